"""Whole sums and whole neurons as ONE graph node: ``sum``, ``dot``, ``linear``.

Why: in pure Python the time goes into the number of nodes, not into the
arithmetic. ``w1*x1 + w2*x2 + b`` is four nodes; ``linear(x, w, b)`` is one,
so a network's graph is small and its Python work is paid once per neuron
instead of 2n times. Each node's derivative is in ``engine.RULES`` ("sum",
"dot", "linear"), beside the others; backward() gives exactly what the
unfused graph gives (the tests compare both against PyTorch).

>>> from micrograd_like import Value
>>> linear([1.0, 2.0], [Value(0.5), Value(-1.0)], Value(3.0)).data
1.5
"""

from __future__ import annotations

import functools
import math
import sys
from operator import add, mul
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from micrograd_like.engine import Scalar, Value, _lift, _new, _node, _recording, _sigmoid

# The floats of a fused node are added one by one, left to right, as the
# unfused graph (and micrograd's ``sum(..., b)``) adds them, so both agree to
# the bit. Python 3.12's sum() of floats compensates its rounding (Neumaier);
# there reduce(add) keeps the plain order, at C speed.
if sys.version_info >= (3, 12):
    def _builtin_sum(xs: Iterable[float], start: float) -> float:
        return functools.reduce(add, xs, start)
else:
    _builtin_sum = sum

# ``sum`` is public (micrograd_like.sum) but not in __all__, so that
# ``from micrograd_like import *`` never hides the built-in sum.
__all__ = ["dot", "linear"]


def _values(xs: Iterable[Scalar], op: str) -> tuple:
    try:
        xs = tuple(xs)
    except TypeError:
        raise TypeError(
            f"{op}: expected a list of Values or numbers, got {type(xs).__name__} {xs!r}"
        ) from None
    for x in xs:
        if type(x) is not Value:  # rare: some numbers among them
            return tuple([_lift(x, op) for x in xs])
    return xs


def sum(values: Iterable[Scalar]) -> Value:  # noqa: A001 - mirrors torch.sum
    """Sum of many Values as ONE graph node (not a chain of n-1 additions).

    >>> s = sum([Value(1.0), Value(2.0), 3.0]); s.data, len(s._prev)
    (6.0, 3)
    """
    xs = _values(values, "sum")
    return _node(_builtin_sum([x.data for x in xs], 0.0), xs, "sum")


def dot(a: Sequence[Scalar], b: Sequence[Scalar]) -> Value:
    """sum(a[i] * b[i]) as ONE graph node.

    >>> dot([Value(1.0), Value(2.0)], [3.0, 4.0]).data
    11.0
    """
    xs, ws = _pair(a, b, "dot")
    return _node(_builtin_sum([x.data * w.data for x, w in zip(xs, ws)], 0.0), xs + ws, "dot")


_identity = lambda z: z  # noqa: E731

# activation name -> function, for the activation fused into a linear node
_FUSED_ACTIVATIONS: Dict[Optional[str], Callable[[float], float]] = {
    None: _identity,
    "linear": _identity,
    "relu": lambda z: 0.0 if z <= 0.0 else z,  # NaN stays NaN
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
}


def linear(
    x: Sequence[Scalar],
    w: Sequence[Scalar],
    b: Optional[Scalar] = None,
    activation: Optional[str] = None,
) -> Value:
    """A whole neuron, ``activation(dot(w, x) + b)``, as ONE graph node.

    Named after ``torch.nn.functional.linear``. ``activation`` is None
    (or "linear"), "relu", "tanh" or "sigmoid". The node's inputs are
    ``(*x, *w, b)``; without ``b`` the bias is a constant 0.

    As in torch, ``w`` may also be a weight matrix, one row per output
    (``(out_features, in_features)``), with ``b`` a list of biases: then it
    is a whole layer and returns a list of nodes, one per row, the same
    nodes as one ``linear`` call per row (only faster).

    >>> linear([1.0, 2.0], [Value(0.5), Value(-1.0)], Value(3.0)).data
    1.5
    >>> linear([1.0, 2.0], [Value(0.5), Value(-1.0)], Value(0.0), "relu").data
    0.0
    >>> [v.data for v in linear([1.0, 2.0], [[Value(0.5), Value(-1.0)], [Value(2.0), Value(1.0)]])]
    [-1.5, 4.0]
    """
    act = _FUSED_ACTIVATIONS.get(activation)
    if act is None:
        raise ValueError(
            f"linear: unknown activation {activation!r}; use one of "
            "None, 'linear', 'relu', 'tanh', 'sigmoid'"
        )
    if type(x) is not list and type(x) is not tuple:  # (cheap check first)
        x = _sequence(x, "x")
    if type(w) is not list and type(w) is not tuple:
        w = _sequence(w, "w")
    if w and (type(w[0]) is list or type(w[0]) is tuple):  # a weight matrix
        return _linear_rows(x, w, b, activation)
    n = len(x)
    if len(w) != n:
        raise ValueError(f"linear: x and w must have the same length, got {n} and {len(w)}")
    prev = (*x, *w, 0.0 if b is None else b)  # one tuple: the node's inputs
    try:  # the common case, all Values, without a type check per input
        z = _builtin_sum([xi.data * wi.data for xi, wi in zip(x, w)], prev[-1].data)
    except (AttributeError, TypeError):
        z = None
    if type(z) is not float:  # numbers among the inputs: make them leaves
        prev = tuple([_lift(v, "linear") for v in prev])
        z = _weighted_sum(prev, n)
    return _node(act(z), prev, "linear", _ACTIVATION_ARG[activation])


_ACTIVATION_ARG = {a: (a,) for a in _FUSED_ACTIVATIONS}  # shared, not one per node


def _linear_rows(
    x: Sequence[Scalar], rows: Sequence, b: object, activation: Optional[str]
) -> List[Value]:
    # A whole layer, one node per row of weights. The nodes are exactly those
    # of one linear() per row; this path exists for speed, because a layer is
    # where a training step spends its time: the inputs are lifted and read
    # once for all rows, and each weighted sum is a C-level multiply-add.
    x = _values(x, "linear")
    n = len(x)
    xd = [xi.data for xi in x]
    if b is None:
        b = [None] * len(rows)
    elif type(b) is not list and type(b) is not tuple:
        b = _sequence(b, "b")
    if len(b) != len(rows):
        raise ValueError(
            f"linear: w has {len(rows)} rows but b has {len(b)} biases; "
            "give one bias per row"
        )
    act = _FUSED_ACTIVATIONS[activation]
    relu = activation == "relu"  # the commonest, applied inline below
    arg = _ACTIVATION_ARG[activation] if _recording() else None
    out = []
    for i, (w, bi) in enumerate(zip(rows, b)):
        if type(w) is not list and type(w) is not tuple or len(w) != n:
            w = _sequence(w, f"w[{i}]")
            if len(w) != n:
                raise ValueError(f"linear: x has {n} inputs but row w[{i}] has {len(w)} weights")
        try:  # the common case: all Values
            z = _builtin_sum(map(mul, xd, [wi.data for wi in w]), bi.data)
        except AttributeError:  # numbers among them (or no bias): the general path
            out.append(linear(x, w, bi, activation))
            continue
        # _node(act(z), (*x, *w, bi), "linear", arg), written out: a layer
        # makes one node per row, so two calls per row are worth saving.
        v = _new(Value)
        v.data = (0.0 if z <= 0.0 else z) if relu else act(z)  # (NaN stays NaN)
        v.grad = 0.0
        if arg is None:  # under no_grad(): a plain leaf
            v._prev, v._op, v._arg = (), "", ()
        else:
            v._prev, v._op, v._arg = (*x, *w, bi), "linear", arg
        out.append(v)
    return out


def _linear_batch(
    x: Sequence[Value], weights: List[List[float]], biases: List[float],
    inputs: List[tuple], activation: str,
) -> List[Value]:
    # _linear_rows for one sample of a batch, from what Layer has read once
    # for the whole batch: each row's weights and bias as numbers, and its
    # Values as one tuple (*w, b). There is nothing left to check, so a
    # node's inputs are one tuple concatenation and its sum one C-level
    # multiply-add: at 16 inputs that is about a tenth of the forward pass.
    x = _values(x, "linear")
    xd = [xi.data for xi in x]
    record = _recording()  # (under no_grad(): plain leaves)
    arg = _ACTIVATION_ARG[activation]
    act = None if activation == "relu" else _FUSED_ACTIVATIONS[activation]
    out = []
    for wd, bd, wb in zip(weights, biases, inputs):
        z = _builtin_sum(map(mul, xd, wd), bd)
        v = _new(Value)
        v.data = (0.0 if z <= 0.0 else z) if act is None else act(z)  # (NaN stays NaN)
        v.grad = 0.0
        if record:
            v._prev, v._op, v._arg = x + wb, "linear", arg
        else:
            v._prev, v._op, v._arg = (), "", ()
        out.append(v)
    return out


def _sequence(xs: object, name: str) -> Sequence:
    if isinstance(xs, (list, tuple)):
        return xs
    try:
        return tuple(xs)  # a generator or any other iterable
    except TypeError:
        raise TypeError(
            f"linear: {name} must be a list of numbers or Values, got "
            f"{type(xs).__name__} {xs!r}"
        ) from None


def _weighted_sum(prev: tuple, n: int) -> float:
    # prev = (x_1..x_n, w_1..w_n, b): b + x_1*w_1 + ... + x_n*w_n
    return _builtin_sum([x.data * w.data for x, w in zip(prev[:n], prev[n:-1])], prev[-1].data)


def _pair(a: Sequence[Scalar], b: Sequence[Scalar], op: str) -> Tuple[tuple, tuple]:
    xs = _values(a, op)
    ws = _values(b, op)
    if len(xs) != len(ws):
        raise ValueError(
            f"{op}: the two lists must have the same length, got "
            f"{len(xs)} and {len(ws)}"
        )
    return xs, ws

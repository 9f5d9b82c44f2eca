"""The autograd engine: ``Value``, its derivative rules, and backpropagation.

A ``Value`` wraps one float. Every operation on Values returns a new Value
that remembers its inputs (``_prev``) and the operation (``_op``), so a
whole computation becomes a graph. ``backward()`` walks that graph from the
output back to the inputs and applies the chain rule at every node.

The chain rule for every op lives in one table, ``RULES``, after the class.
Each rule gets the upstream gradient ``g``, the node's output ``out`` and its
inputs, and returns one gradient per input. The same rule serves two
purposes: called with floats it computes ordinary gradients; called with
Values it *records* the gradient computation as a new graph, which is how
second derivatives (``autograd.grad(..., create_graph=True)``) work.
``backward()`` has a few fast paths for the commonest ops; each says why,
and computes exactly what its rule says.

Around this file, each building on it: ``grad_mode`` (no_grad), ``fused``
(sum, dot, linear: many inputs in one node) and ``autograd`` (grad).
"""

from __future__ import annotations

import functools
import gc
import math
import operator
import threading
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from numbers import Real
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

__all__ = ["Value", "RULES", "topological_order"]

Number = Union[int, float]
Scalar = Union["Value", int, float]


# --- recording on/off -------------------------------------------------------


# The switch that no_grad()/enable_grad() (in grad_mode.py) turn. A ContextVar is per
# thread (and per asyncio task): one thread inside ``no_grad()`` never switches recording
# off for another. Reading it is cheap, which matters because every op checks it.
_grad_enabled: ContextVar[bool] = ContextVar("micrograd_like_grad_enabled", default=True)


# --- the Value class --------------------------------------------------------


def _as_float(x: object, where: str) -> float:
    """Turn a user number into a float, or say clearly why not."""
    if type(x) is float:
        return x
    if type(x) is int or isinstance(x, Real):  # int, bool, Fraction, numpy.float64, ...
        try:  # (type() first: isinstance against the Real ABC is slower)
            return float(x)
        except OverflowError:  # an int (or Fraction) beyond the largest float
            raise OverflowError(f"{where}: {str(x)[:30]}... is too large for a float "
                                "(at most about 1.8e308); scale it down") from None
    fix = (" (use .data, or pass the Value itself)" if where == "Value()" else " (use its .data)"
           ) if isinstance(x, Value) else ""
    raise TypeError(
        f"{where}: expected a real number (int or float), got "
        f"{type(x).__name__} {x!r}{fix}"
    )


class Value:
    """A scalar that remembers how it was computed.

    >>> a = Value(2.0); b = Value(-3.0)
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad
    (-2.0, 2.0)
    """

    # __slots__: small, fast nodes. "__dict__" lets micrograd code put attributes on a
    # Value (v._vis_color, an optimizer's p.m); made only when used, it costs 8 bytes.
    # label lives there too: ops make no labels, so most nodes need no room for one.
    __slots__ = ("data", "grad", "_prev", "_op", "_arg", "__dict__", "__weakref__")
    label = ""  # (until one is given: Value(x, label="x"), or v.label = "x")

    def __init__(
        self,
        data: Number,
        _children: Iterable["Value"] = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        if type(data) is not float:
            data = _as_float(data, "Value()")
        self.data = data
        self.grad = 0.0
        if label:
            self.label = label
        prev = tuple(_children) if hasattr(_children, "__iter__") else (_children,)  # ordered
        if prev and not all(isinstance(c, Value) for c in prev):  # (ops skip this check)
            raise TypeError(f"Value(): the children (inputs of op {_op!r}) must be a tuple of "
                            f"Values, got {_children!r}; wrap numbers in Value(...)")
        self._prev = prev
        self._op = _op
        self._arg = ()  # constants of the op, e.g. the exponent of x ** 2

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"

    def __float__(self) -> float:
        return self.data

    def item(self) -> float:
        """The number inside, as ``tensor.item()``: the same as ``.data``.

        >>> Value(2.5).item()
        2.5
        """
        return self.data

    # Comparisons look at .data, so max(values) and sorted() work; == and hash stay
    # by identity (as in micrograd): Values are graph nodes and serve as dict keys.
    def __lt__(self, other: Scalar) -> bool:
        return self.data < _data(other, "<")

    def __le__(self, other: Scalar) -> bool:
        return self.data <= _data(other, "<=")

    def __gt__(self, other: Scalar) -> bool:
        return self.data > _data(other, ">")

    def __ge__(self, other: Scalar) -> bool:
        return self.data >= _data(other, ">=")

    __hash__ = object.__hash__

    # -- arithmetic: each builds one node; its derivative is in RULES -------
    # (``type(x) is Value`` is a fast check for the common case; anything
    # else goes through _lift, which accepts numbers and explains the rest.)

    def __add__(self, other: Scalar) -> "Value":
        if type(other) is not Value:
            other = _lift(other, "+")
        return _node(self.data + other.data, (self, other), "+")

    def __radd__(self, other: Number) -> "Value":  # other + self
        return _lift(other, "+", left=True) + self

    def __sub__(self, other: Scalar) -> "Value":
        if type(other) is not Value:
            other = _lift(other, "-")
        return _node(self.data - other.data, (self, other), "-")

    def __rsub__(self, other: Number) -> "Value":  # other - self
        return _lift(other, "-", left=True) - self

    def __mul__(self, other: Scalar) -> "Value":
        if type(other) is not Value:
            other = _lift(other, "*")
        return _node(self.data * other.data, (self, other), "*")

    def __rmul__(self, other: Number) -> "Value":  # other * self
        return _lift(other, "*", left=True) * self

    def __truediv__(self, other: Scalar) -> "Value":
        if type(other) is not Value:
            other = _lift(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(
                f"Value division: {self.data!r} / 0.0 is undefined; "
                "make sure the divisor is never zero (e.g. add a small eps)"
            )
        return _node(self.data / other.data, (self, other), "/")

    def __rtruediv__(self, other: Number) -> "Value":  # other / self
        return _lift(other, "/", left=True) / self

    def __neg__(self) -> "Value":  # -self
        return _node(-self.data, (self,), "neg")

    def __pos__(self) -> "Value":  # +self
        return self

    def __abs__(self) -> "Value":
        return _node(abs(self.data), (self,), "abs")

    def __pow__(self, other: Scalar) -> "Value":
        if isinstance(other, Value):  # a Value exponent gets a gradient too
            return _node(_pow(self.data, other.data), (self, other), "pow")
        n = _as_float(other, "Value ** exponent")
        return _node(_pow(self.data, n), (self,), "**", (n,))  # n: a constant

    def __rpow__(self, other: Number) -> "Value":  # other ** self, e.g. 2 ** v
        return _lift(other, "**", left=True) ** self

    # -- functions ----------------------------------------------------------

    def exp(self) -> "Value":
        """e ** self. Raises OverflowError above about 709.78.

        >>> Value(0.0).exp().data
        1.0
        """
        try:
            y = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp({self.data!r}) overflows a float (the largest input is "
                "about 709.78); scale the input down, or use a stable form "
                "such as sigmoid(), log_softmax or cross_entropy"
            ) from None
        return _node(y, (self,), "exp")

    def log(self) -> "Value":
        """Natural logarithm; the input must be > 0.

        >>> x = Value(2.0); y = x.log(); y.backward(); x.grad  # 1 / x
        0.5
        """
        x = self.data
        if x <= 0.0:  # (NaN compares False, so it passes through as for floats)
            raise ValueError(
                f"log({x!r}): log is defined only for inputs > 0; "
                "clamp the input (e.g. max(x, 1e-12)) or use log_softmax"
            )
        return _node(math.log(x), (self,), "log")

    def sqrt(self) -> "Value":
        """Square root (``self ** 0.5``); the input must be >= 0.

        >>> x = Value(9.0); y = x.sqrt(); y.backward(); y.data, x.grad
        (3.0, 0.16666666666666666)
        """
        return self**0.5

    def sin(self) -> "Value":
        """sin(self); its derivative is cos.

        >>> x = Value(0.0); y = x.sin(); y.backward(); y.data, x.grad
        (0.0, 1.0)
        """
        return _node(_periodic(math.sin, self.data), (self,), "sin")

    def cos(self) -> "Value":
        """cos(self); its derivative is -sin.

        >>> x = Value(0.0); y = x.cos(); y.backward(); y.data, x.grad
        (1.0, 0.0)
        """
        return _node(_periodic(math.cos, self.data), (self,), "cos")

    def tanh(self) -> "Value":
        """tanh(self), which saturates to +-1 without overflow; its derivative is 1 - tanh**2.

        >>> x = Value(0.0); y = x.tanh(); y.backward(); y.data, x.grad
        (0.0, 1.0)
        """
        return _node(math.tanh(self.data), (self,), "tanh")

    def sigmoid(self) -> "Value":
        """1 / (1 + e**-x), computed so that it never overflows.

        >>> x = Value(0.0); y = x.sigmoid(); y.backward(); y.data, x.grad
        (0.5, 0.25)
        """
        return _node(_sigmoid(self.data), (self,), "sigmoid")

    def relu(self) -> "Value":
        """max(self, 0); its slope at 0 is 0, as in torch.

        >>> Value(-2.0).relu().data, Value(3.0).relu().data
        (0.0, 3.0)
        """
        x = self.data
        return _node(0.0 if x <= 0.0 else x, (self,), "relu")  # NaN stays NaN

    def leaky_relu(self, negative_slope: float = 0.01) -> "Value":
        """self if self > 0, else negative_slope * self.

        >>> Value(-2.0).leaky_relu(0.1).data
        -0.2
        """
        slope = _as_float(negative_slope, "leaky_relu(negative_slope)")
        x = self.data
        return _node(x if x > 0.0 else x * slope, (self,), "leaky_relu", (slope,))

    def zero_grad(self) -> None:
        """Set this node's gradient to 0 (``model.zero_grad()`` does all parameters).

        >>> x = Value(2.0); (x * x).backward(); x.zero_grad(); x.grad
        0.0
        """
        self.grad = 0.0

    # -- micrograd's _backward -------------------------------------------------
    # In micrograd every node carries a closure ``_backward`` that applies its chain rule
    # once; the lecture calls them by hand (``o.grad = 1.0; o._backward(); n._backward()``)
    # and adds ops by assigning one. Here the rule is in RULES, so reading ``v._backward``
    # gives a function that applies v's rule once; assigning one makes backward() use it.

    @property
    def _backward(self) -> Callable[[], None]:
        """Apply this node's chain rule once: add to its inputs' ``.grad`` from ``self.grad``."""
        if _CUSTOM and self in _CUSTOM:
            return self.__dict__["_backward"]
        return functools.partial(_backward_once, self)

    @_backward.setter
    def _backward(self, fn: Callable[[], None]) -> None:
        if not callable(fn):
            raise TypeError(
                f"Value._backward: expected a function of no arguments (a closure "
                f"that adds to the inputs' .grad), got {type(fn).__name__} {fn!r}"
            )
        self.__dict__["_backward"] = fn
        _CUSTOM.add(self)

    def detach(self) -> "Value":
        """A new leaf with the same data: gradients stop here.

        >>> x = Value(2.0); y = (x * x).detach() * x; y.backward(); x.grad
        4.0
        """
        return Value(self.data, label=self.label)

    # -- backpropagation ----------------------------------------------------

    def backward(self, gradient: float = 1.0) -> None:
        """Add d(self)/d(node) to ``node.grad`` for every node in the graph.

        Gradients *accumulate* across calls, as in PyTorch: call
        ``zero_grad()`` (or set ``.grad = 0.0``) between training steps.

        >>> x = Value(3.0); y = x * x
        >>> y.backward(); y.backward(); x.grad
        12.0
        """
        seed = _as_float(gradient, "backward(gradient)")
        with _collector_paused():
            order = topological_order(self, leaves=False)  # leaves need no rule
            # An interior node passes its .grad on to its inputs, so it must hold only
            # *this* call's gradient; what it held before is put aside and added back.
            held = [(v, v.grad) for v in order if v.grad]
            for v, _ in held:
                v.grad = 0.0
            self.grad += seed
            try:
                _run_backward(order)
            finally:  # also when a rule raises: what was held is given back
                for v, g in held:
                    v.grad += g


# --- building nodes ---------------------------------------------------------

# Graph walks make no cycles: pause the cycle collector (threshold 0, which leaves the
# user's gc.disable() alone); of overlapping pauses (threads) the last restores it.
_pause_lock, _pauses = threading.Lock(), [0, None]  # [pauses in progress, thresholds before]


@contextmanager
def _collector_paused() -> Iterator[None]:
    if not hasattr(gc, "get_threshold"):  # PyPy: no cycle collector with a threshold to pause
        yield
        return
    with _pause_lock:
        _pauses[0] += 1
        if _pauses[0] == 1:
            _pauses[1] = gc.get_threshold()
            gc.set_threshold(0, *_pauses[1][1:])
    try:
        yield
    finally:
        with _pause_lock:
            _pauses[0] -= 1
            if _pauses[0] == 0 and gc.get_threshold() == (0, *_pauses[1][1:]):
                gc.set_threshold(*_pauses[1])


_new, _recording = object.__new__, _grad_enabled.get

# Nodes with a closure assigned micrograd's way (out._backward = fn, kept in their __dict__).
_CUSTOM: "weakref.WeakSet[Value]" = weakref.WeakSet()


def custom_backward(v: Value) -> Optional[Callable[[], None]]:
    """The closure assigned to ``v._backward`` (micrograd's way of adding an op), or None.

    >>> x = Value(2.0); y = Value(4.0, (x,), "square")
    >>> custom_backward(y) is None
    True
    """
    return v.__dict__["_backward"] if _CUSTOM and v in _CUSTOM else None


def uses_custom_backward(nodes: Iterable[Value]) -> bool:
    """True if one of ``nodes`` has a closure assigned micrograd's way (only then the plain walk)."""
    # few such nodes (lecture-sized graphs); isdisjoint passes over the graph in C
    return bool(_CUSTOM) and not {id(v) for v in _CUSTOM}.isdisjoint(map(id, nodes))


def _backward_once(v: Value) -> None:
    """What micrograd's ``v._backward()`` does: v's chain rule, once; nothing for a leaf."""
    if not v._prev:
        return
    try:
        grads = RULES[v._op](v.grad, v.data, *[p.data for p in v._prev], *v._arg)
    except (ArithmeticError, ValueError, KeyError) as err:
        raise _explain(v, err) from err
    for p, g in zip(v._prev, grads):
        p.grad += g


def _node(data: float, prev: tuple, op: str, arg: tuple = ()) -> Value:
    """Make an op's result; under no_grad() it is a plain leaf."""
    out = _new(Value)  # skips __init__'s checks: data is already a float
    out.data = data
    out.grad = 0.0
    if _recording():
        out._prev, out._op, out._arg = prev, op, arg
    else:
        out._prev, out._op, out._arg = (), "", ()
    return out


def _data(x: Scalar, op: str) -> float:
    return x.data if isinstance(x, Value) else _as_float(x, f"Value {op}")


def _lift(x: Scalar, op: str, left: bool = False) -> Value:
    """Numbers become constant leaves, as in micrograd."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or isinstance(x, Real):  # (fast checks first)
        return Value(x)
    kind = type(x).__name__
    if op in ("+", "-", "*", "/", "**"):  # say it as it was written
        where = f"{kind} {op} Value" if left else f"Value {op} {kind}"
        what = "operand"
    else:  # sum, dot, linear
        where, what = op, "input"
    raise TypeError(
        f"{where}: unsupported {what} {x!r}; use a Value or a real number (int or float)"
    )


def _pow(a: float, n: float) -> float:
    """a ** n for floats, with errors that say what went wrong."""
    if a < 0.0 and math.isfinite(n) and not n.is_integer():
        raise ValueError(
            f"pow: {a!r} ** {n!r} is not a real number (negative base, "
            "fractional exponent); use an integer exponent or a positive base"
        )
    try:
        y = a**n
    except ZeroDivisionError:
        raise ZeroDivisionError(
            f"pow: 0.0 ** {n!r} is undefined (division by zero); "
            "keep the base away from zero"
        ) from None
    except OverflowError:
        y = math.inf  # (raised below, with the same words as PyPy's x ** 2 gets)
    if y in (math.inf, -math.inf) and math.isfinite(a) and math.isfinite(n):
        # CPython raises here; PyPy computes x ** 2 as x * x and gives inf.
        raise OverflowError(f"pow: {a!r} ** {n!r} overflows a float; scale the base down")
    return y


def _periodic(f: Callable[[float], float], x: float) -> float:
    # math.sin(inf) raises; IEEE (and PyTorch) say NaN, as for any float op.
    return f(x) if math.isfinite(x) else math.nan


def _sigmoid(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # for x < 0, exp(-x) could overflow but exp(x) cannot
    return e / (1.0 + e)


# --- the derivative rules ---------------------------------------------------
#
# rule(g, out, *inputs, *constants) -> one gradient per input, where
# g = d(loss)/d(out). Each entry is the chain rule for one op. The rules use
# only arithmetic, comparisons and the helpers below, so they work on floats
# (ordinary backward) and on Values (create_graph=True, second derivatives).


def _log(x):
    return x.log() if isinstance(x, Value) else math.log(x)


def _cos(x):
    return x.cos() if isinstance(x, Value) else _periodic(math.cos, x)


def _sin(x):
    return x.sin() if isinstance(x, Value) else _periodic(math.sin, x)


def _power_grad(g, a, n):
    # d(a**n)/da = n * a**(n-1); 0 for n == 0, also at a == 0 where a**(n-1) divides by 0.
    return g * n * a ** (n - 1) if float(n) != 0 else 0.0 * g  # (float: n may be a Value)


def _pow_exponent_grad(g, out, a):
    # d(a**b)/db = a**b * log(a): real only for a > 0. At a == 0 PyTorch
    # uses 0 (a**b is flat there for b > 0); a < 0 has no real answer.
    base = float(a)  # a may be a Value, whose == means "same node"
    if base > 0:
        return g * out * _log(a)
    if base == 0:
        return 0.0 * g
    raise ValueError(
        f"pow: the gradient of {base!r} ** b with respect to the exponent "
        "b is not real (it needs log of a negative number); use a constant "
        "exponent (x ** 2.0) or a positive base"
    )


def _dot_rule(g, out, *ab):
    n = len(ab) // 2
    a, b = ab[:n], ab[n:]
    return [g * bi for bi in b] + [g * ai for ai in a]


def _activation_grad(activation, out):
    # d activation(z) / dz, written with the output so z need not be stored.
    if activation == "relu":
        return 0.0 if out <= 0 else 1.0  # (NaN passes, as in PyTorch)
    if activation == "tanh":
        return 1 - out * out
    if activation == "sigmoid":
        return out * (1 - out)
    return 1.0  # None / "linear"


def _linear_rule(g, out, *args):
    # args = x_1..x_n, w_1..w_n, b, activation
    gz = g * _activation_grad(args[-1], out)  # back through the activation
    n = (len(args) - 2) // 2
    x, w = args[:n], args[n : 2 * n]
    return [gz * wi for wi in w] + [gz * xi for xi in x] + [gz]


RULES: Dict[str, Callable[..., Sequence]] = {
    "+": lambda g, out, a, b: (g, g),
    "-": lambda g, out, a, b: (g, -g),
    "*": lambda g, out, a, b: (g * b, g * a),
    "/": lambda g, out, a, b: (g / b, -g * out / b),  # out / b == a / b**2
    "neg": lambda g, out, a: (-g,),
    "**": lambda g, out, a, n: (_power_grad(g, a, n),),  # n is a constant
    "pow": lambda g, out, a, b: (_power_grad(g, a, b), _pow_exponent_grad(g, out, a)),
    "exp": lambda g, out, a: (g * out,),
    "log": lambda g, out, a: (g / a,),
    "sin": lambda g, out, a: (g * _cos(a),),
    "cos": lambda g, out, a: (-g * _sin(a),),
    "tanh": lambda g, out, a: (g * (1 - out * out),),
    "sigmoid": lambda g, out, a: (g * out * (1 - out),),
    "relu": lambda g, out, a: (0.0 * g if a <= 0 else g,),  # NaN passes g, as in PyTorch
    "leaky_relu": lambda g, out, a, slope: (g if a > 0 else g * slope,),
    "abs": lambda g, out, a: (g if a > 0 else (-g if a < 0 else 0.0 * g),),
    "sum": lambda g, out, *xs: (g,) * len(xs),
    "dot": _dot_rule,
    "linear": _linear_rule,
}


# --- walking the graph ------------------------------------------------------

# model(X) makes each sample's hidden nodes layer by layer from leaves: the order
# the sort below gives them. It leaves them here under the sample's output, and the
# sort places them at once instead of visiting each (a fifth of a W1 step), once it
# has checked that the output is the same node, no node's inputs have changed, the
# sample's inputs and the weights are still leaves, and it has seen none of the
# nodes yet. Only a weak reference to the output is kept.
_IN_ORDER: Dict[int, tuple] = {}  # id(output) -> (weakref, nodes, their _prevs, leaves)
_inputs_of = operator.attrgetter("_prev")


def _made_in_order(out: Value, nodes: List[Value], xs: tuple, params: tuple) -> None:
    key = id(out)
    def forget(ref: "weakref.ref[Value]") -> None:  # out is gone (unless its id is reused)
        if _IN_ORDER.get(key, (None,))[0] is ref:
            del _IN_ORDER[key]
    prevs = [*map(_inputs_of, nodes), out._prev]
    _IN_ORDER[key] = (weakref.ref(out, forget), nodes, prevs, xs, params)


def _placed_as_made(v: Value, expanded: set, placed: set, order: List[Value],
                    checked: dict) -> bool:
    """Place v and the hidden nodes it was made from, if model(X) left them in order."""
    known = _IN_ORDER.get(id(v))
    if known is None:
        return False
    ref, nodes, prevs, xs, params = known
    if not (ref() is v and expanded.isdisjoint(nodes) and prevs[-1] is v._prev
            and prevs[:-1] == [*map(_inputs_of, nodes)] and not any(map(_inputs_of, xs))
            and (checked.get(id(params)) is params or not any(map(_inputs_of, params)))):
        return False
    checked[id(params)] = params  # (the weights all samples share: checked once a sort)
    expanded.update(nodes)
    placed.update(nodes, (v,))
    order += nodes
    order.append(v)
    return True


def topological_order(root: Value, leaves: bool = True) -> List[Value]:
    """Every node reachable from ``root``, each after all of its inputs.

    Iterative depth-first search: no recursion, so a graph a million nodes deep
    is fine. The order depends only on the graph (``_prev`` is a tuple), never on
    memory addresses. ``leaves=False`` leaves out the nodes without inputs (backward
    has no rule for them) and takes a ``model(X)``'s samples as made, in this order.

    >>> x = Value(2.0); y = (x * x).exp()
    >>> [v._op for v in topological_order(y)]
    ['', '*', 'exp']
    """
    order: List[Value] = []
    if not root._prev:
        return [root] if leaves else order
    # Each interior node is popped twice: first to push its inputs (and itself again,
    # below them), then, once they are all placed, to be placed itself. Sets, not
    # (node, flag) pairs, keep the garbage collector out: nothing here allocates per node.
    expanded: set = set()  # nodes whose inputs are pushed (and leaves seen)
    placed: set = set()
    checked: dict = {}  # id -> the weights of a model(X) found still leaves
    stack = [root]
    push, pop, add = stack.append, stack.pop, order.append
    while stack:
        v = pop()
        if v in expanded:  # second visit: all of v's inputs are placed
            if v not in placed:  # (v may have been pushed more than once)
                placed.add(v)
                add(v)
            continue
        expanded.add(v)
        if _IN_ORDER and not leaves and v._op == "linear" and _placed_as_made(
                v, expanded, placed, order, checked):  # (a model(X) output: a neuron's node)
            continue  # its sample placed as made (_made_in_order; no leaves there)
        prev = v._prev
        # Fast path for nodes with many inputs (neurons, sums): often none of them is
        # new (a neuron's weights come back in every sample), and that test runs in C,
        # where the loops below run in Python. It is why their leaves go into
        # ``expanded`` too. An input already seen is also placed (were it still waiting,
        # it would depend on v: a cycle), so v is placed now, without a second visit.
        wide = len(prev) > 2
        if wide and expanded.issuperset(prev):
            placed.add(v)
            add(v)
            continue
        if leaves or wide:  # a leaf needs nothing before it: place it right away
            for p in prev:
                if not p._prev and p not in expanded:
                    expanded.add(p)
                    if leaves:
                        add(p)
        push(v)  # (below its inputs: popped again once they are placed)
        for p in reversed(prev):  # reversed: inputs come out in order
            if p._prev and p not in expanded:
                push(p)
    return order


def _explain(v: Value, err: Exception) -> Exception:
    if isinstance(err, KeyError) and v._op not in RULES:
        return ValueError(
            f"backward: no derivative rule for op {v._op!r} (a node made with "
            f"Value(data, children, {v._op!r})); give it micrograd's closure "
            "(out._backward = fn), build it with Value's own operations, or "
            "add a rule for it to micrograd_like.engine.RULES"
        )
    inputs = ", ".join(repr(p.data) for p in v._prev[:4])
    more = ", ..." if len(v._prev) > 4 else ""
    const = f", constant {', '.join(map(repr, v._arg))}" if v._arg else ""
    why = err  # (an overflow's own words are an errno pair, or PyPy's "float power")
    if isinstance(err, OverflowError):
        why = f"a gradient is too large for a float ({err}); keep this op's inputs in range"
    return type(err)(f"backward through {v._op!r} (output {v.data!r}, inputs {inputs}{more}"
                     f"{const}): {why}")


def _run_backward(order: List[Value]) -> None:
    """The chain rule over floats, outputs first; results go into .grad."""
    if _CUSTOM and uses_custom_backward(order):  # micrograd's closures here: the plain walk
        return _run_backward_closures(order)
    rules = RULES
    v = None
    try:
        for v in reversed(order):
            g = v.grad
            if g == 0.0:  # nothing to pass on (e.g. a ReLU that is off)
                continue
            prev = v._prev
            op = v._op
            # Fast paths: exactly what RULES says, without the call and temporary lists
            # of the general case (most of a training step's time). The tests check
            # backward() (fast paths) and grad() (RULES only) against PyTorch alike.
            if op == "linear":  # a neuron: d/dw_i = gz * x_i, d/dx_i = gz * w_i
                act = v._arg[0]
                if act == "relu":  # the commonest: gz is g or 0, no call needed
                    if v.data <= 0.0:  # off: nothing to pass on, as above
                        continue
                    gz = g
                else:
                    gz = g * _activation_grad(act, v.data)
                    if gz == 0.0:  # e.g. a saturated tanh: as for a zero g
                        continue
                n = len(prev) // 2
                for xi, wi in zip(prev, prev[n:-1]):  # (zip stops after x_n)
                    wi.grad += gz * xi.data
                    xi.grad += gz * wi.data
                prev[-1].grad += gz
            elif op == "+":  # the commonest ops, without a call
                a, b = prev
                a.grad += g
                b.grad += g
            elif op == "*":
                a, b = prev
                a.grad += g * b.data
                b.grad += g * a.data
            elif len(prev) == 2:
                a, b = prev
                ga, gb = rules[op](g, v.data, a.data, b.data, *v._arg)
                a.grad += ga
                b.grad += gb
            elif len(prev) == 1:
                a = prev[0]
                a.grad += rules[op](g, v.data, a.data, *v._arg)[0]
            else:  # the general case: any op, any number of inputs
                grads = rules[op](g, v.data, *[p.data for p in prev], *v._arg)
                for p, g in zip(prev, grads):
                    p.grad += g
    except (ArithmeticError, ValueError, KeyError) as err:
        raise _explain(v, err) from err


def _run_backward_closures(order: List[Value]) -> None:
    # Lecture-sized graphs with user closures: each node runs its own
    # closure if it has one, else its rule from RULES. No fast paths here;
    # they compute exactly what the rules do, so the numbers are the same.
    for v in reversed(order):
        fn = custom_backward(v)
        if fn is not None:
            fn()  # as micrograd: called whatever v.grad is
        elif v.grad != 0.0:
            _backward_once(v)

"""Functions of Values, named as in ``torch.nn.functional``.

``softmax``, ``log_softmax`` and ``logsumexp`` take a list of Values (or
numbers) and are numerically stable: logits of 1000 or -1000 are fine. The
activations (``relu``, ``sigmoid``, ...) take one Value, or a list of them.

>>> import micrograd_like.functional as F
>>> [round(p.data, 4) for p in F.softmax([1000.0, 1000.0, 0.0])]
[0.5, 0.5, 0.0]
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Callable, List, Sequence, Tuple, Union

from micrograd_like.engine import Value
from micrograd_like.fused import sum as value_sum

__all__ = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "relu",
    "leaky_relu",
    "sigmoid",
    "tanh",
    "logsigmoid",
    "softplus",
]

Scalar = Union[Value, int, float]


# --- turning user input into Values ------------------------------------------


def _value(x: object, where: str) -> Value:
    if isinstance(x, Value):
        return x
    if isinstance(x, Real):
        return Value(x)
    raise TypeError(
        f"{where}: expected a Value or a real number, got "
        f"{type(x).__name__} {x!r}; convert it with Value(x)"
    )


def _values(xs: Sequence[Scalar], fn: str) -> List[Value]:
    if isinstance(xs, (Value, Real)) or not hasattr(xs, "__iter__"):
        raise TypeError(
            f"{fn}: expected a list of Values or numbers, got "
            f"{type(xs).__name__} {xs!r}; wrap a single value in a list"
        )
    vs = [_value(x, f"{fn}: element {i}") for i, x in enumerate(xs)]
    if not vs:
        raise ValueError(f"{fn}: got an empty list; pass at least one value")
    return vs


# --- softmax and friends -----------------------------------------------------
#
# exp(1000) overflows a float, so all three subtract the largest input m
# first: softmax(x) == softmax(x - m) and logsumexp(x) == m + logsumexp(x - m).
# m is a plain constant, not a Value: the identities hold for every m, so the
# gradients (of any order) do not depend on it.


def _shifted(vs: List[Value], fn: str) -> Tuple[float, List[Value]]:
    """(m, [x - m for x in vs]) with m the largest input: every x - m <= 0."""
    m = max(v.data for v in vs)
    if m == -math.inf:
        raise ValueError(
            f"{fn}: every input is -inf, so there is nothing to normalize; "
            "leave at least one input finite (use -inf only as a mask)"
        )
    if not math.isfinite(m):  # +inf or NaN: shifting would give NaN; torch uses 0
        m = 0.0
    shift = Value(m)  # one shared constant leaf
    return m, [v - shift for v in vs]


def logsumexp(xs: Sequence[Scalar]) -> Value:
    """log(sum(exp(x) for x in xs)), computed without overflow.

    >>> logsumexp([1000.0, 1000.0]).data == 1000.0 + math.log(2.0)
    True
    """
    vs = _values(xs, "logsumexp")
    m, shifted = _shifted(vs, "logsumexp")
    return value_sum([s.exp() for s in shifted]).log() + m


def softmax(xs: Sequence[Scalar]) -> List[Value]:
    """exp(x_i) / sum_j exp(x_j): probabilities that sum to 1.

    >>> [p.data for p in softmax([0.0, 0.0])]
    [0.5, 0.5]
    """
    vs = _values(xs, "softmax")
    _, shifted = _shifted(vs, "softmax")
    exps = [s.exp() for s in shifted]
    total = value_sum(exps)  # one node, shared by every output
    return [e / total for e in exps]


def log_softmax(xs: Sequence[Scalar]) -> List[Value]:
    """log(softmax(xs)), computed as (x_i - m) - log(sum_j exp(x_j - m)).

    Never takes the log of a probability, so it is exact even where
    softmax would round to 0.

    >>> [p.data for p in log_softmax([0.0, -1000.0])]
    [0.0, -1000.0]
    """
    vs = _values(xs, "log_softmax")
    _, shifted = _shifted(vs, "log_softmax")
    log_total = value_sum([s.exp() for s in shifted]).log()
    return [s - log_total for s in shifted]


# --- activations as functions ------------------------------------------------
#
# F.relu(v) is v.relu(). A list maps element by element, like torch applying
# F.relu to every entry of a tensor.


def _map(f: Callable[[Value], Value], x: object, fn: str) -> Union[Value, List[Value]]:
    if isinstance(x, (Value, Real)):
        return f(_value(x, fn))
    if hasattr(x, "__iter__") and not isinstance(x, str):
        return [f(_value(v, f"{fn}: element {i}")) for i, v in enumerate(x)]
    raise TypeError(
        f"{fn}: expected a Value, a number or a list of them, got "
        f"{type(x).__name__} {x!r}"
    )


def relu(x: Union[Scalar, Sequence[Scalar]]) -> Union[Value, List[Value]]:
    """max(x, 0), of one number or each of a list.

    >>> [v.data for v in relu([-2.0, 3.0])]
    [0.0, 3.0]
    """
    return _map(Value.relu, x, "relu")


def leaky_relu(
    x: Union[Scalar, Sequence[Scalar]], negative_slope: float = 0.01
) -> Union[Value, List[Value]]:
    """x if x > 0 else negative_slope * x.

    >>> leaky_relu(-2.0, 0.1).data
    -0.2
    """
    return _map(lambda v: v.leaky_relu(negative_slope), x, "leaky_relu")


def sigmoid(x: Union[Scalar, Sequence[Scalar]]) -> Union[Value, List[Value]]:
    """1 / (1 + exp(-x)).

    >>> sigmoid(0.0).data
    0.5
    """
    return _map(Value.sigmoid, x, "sigmoid")


def tanh(x: Union[Scalar, Sequence[Scalar]]) -> Union[Value, List[Value]]:
    """Hyperbolic tangent.

    >>> tanh(0.0).data
    0.0
    """
    return _map(Value.tanh, x, "tanh")


def _log1p(u: Value) -> Value:
    """log(1 + u), with math.log1p's value: 1 + u would round away a small u's digits.

    The engine has no log1p op. log(1 + u) has torch's derivatives (1 / (1 + u),
    ...); we add its rounding error as a constant, log1p(u) - log(1 + u), which
    is 0 up to rounding, so it changes the value but no derivative.
    """
    return (1.0 + u).log() + (math.log1p(u.data) - math.log(1.0 + u.data))


def _logsigmoid(v: Value) -> Value:
    # torch's min(x, 0) - log1p(e^-|x|): -log1p(e^-x) or x - log1p(e^x). The exp
    # has a non-positive argument, so it cannot overflow, and log never sees 0.
    if v.data >= 0.0:
        return -_log1p((-v).exp())
    return v - _log1p(v.exp())


def logsigmoid(x: Union[Scalar, Sequence[Scalar]]) -> Union[Value, List[Value]]:
    """log(sigmoid(x)), stable for any x (torch's ``F.logsigmoid``).

    >>> logsigmoid(-1000.0).data
    -1000.0
    """
    return _map(_logsigmoid, x, "logsigmoid")


def softplus(
    x: Union[Scalar, Sequence[Scalar]], beta: float = 1.0, threshold: float = 20.0
) -> Union[Value, List[Value]]:
    """log(1 + exp(beta * x)) / beta, as in torch: above ``beta * x > threshold``
    it returns x itself (the difference is below 2e-9 at the default 20).

    >>> round(softplus(0.0).data, 6)
    0.693147
    """
    for name, c in (("beta", beta), ("threshold", threshold)):
        if isinstance(c, bool) or not isinstance(c, Real):
            raise TypeError(f"softplus: {name} must be a number, got {c!r}")
    if beta == 0:
        raise ValueError("softplus: beta=0 divides by zero; use a nonzero beta such as 1.0")

    def one(v: Value) -> Value:
        if v.data * beta > threshold:
            return v
        return _log1p((v * beta).exp()) / beta  # torch's log1p(exp(beta x)) / beta

    return _map(one, x, "softplus")

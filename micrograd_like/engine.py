"""The autograd engine: ``Value``, its derivative rules, and backpropagation.

A ``Value`` wraps one float. Every operation on Values returns a new Value
that remembers its inputs (``_prev``) and the operation (``_op``), so a
whole computation becomes a graph. ``backward()`` walks that graph from the
output back to the inputs and applies the chain rule at every node.

The chain rule for every op lives in one table, ``RULES``, right below the
class. Each rule gets the upstream gradient ``g``, the node's output ``out``
and its inputs, and returns one gradient per input. The same rule serves two
purposes: called with floats it computes ordinary gradients; called with
Values it *records* the gradient computation as a new graph, which is how
second derivatives (``grad(..., create_graph=True)``) work.
"""

from __future__ import annotations

import math
import threading
from numbers import Real
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

__all__ = [
    "Value",
    "RULES",
    "grad",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "sum",
    "dot",
    "linear",
    "topological_order",
]

Number = Union[int, float]
Scalar = Union["Value", int, float]

_builtin_sum = sum


# --- recording on/off -------------------------------------------------------


class _GradMode(threading.local):
    # threading.local gives each thread its own flag, so one thread inside
    # ``no_grad()`` never switches recording off for another.
    enabled = True


_mode = _GradMode()


def is_grad_enabled() -> bool:
    """True when new operations are recorded into the graph (the default)."""
    return _mode.enabled


class _SetGradMode:
    """Context manager *and* decorator, like ``torch.no_grad``."""

    _enabled: bool

    def __enter__(self) -> None:
        self._saved = _mode.enabled  # restore what was there: nesting works
        _mode.enabled = self._enabled

    def __exit__(self, *exc: object) -> None:
        _mode.enabled = self._saved

    def __call__(self, fn: Callable) -> Callable:
        import functools

        enabled = self._enabled

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            saved = _mode.enabled
            _mode.enabled = enabled
            try:
                return fn(*args, **kwargs)
            finally:
                _mode.enabled = saved

        return wrapper


class no_grad(_SetGradMode):
    """Stop recording the graph: results are plain leaf Values.

    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y._prev
    ()
    """

    _enabled = False


class enable_grad(_SetGradMode):
    """Switch recording back on inside a ``no_grad`` block."""

    _enabled = True


# --- the Value class --------------------------------------------------------


def _as_float(x: object, where: str) -> float:
    """Turn a user number into a float, or say clearly why not."""
    if type(x) is float:
        return x
    if isinstance(x, Real):  # int, bool, Fraction, numpy.float64, ...
        return float(x)
    fix = " (use .data, or pass the Value itself)" if isinstance(x, Value) else ""
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

    # __slots__ keeps each node small (no per-instance dict) and fast.
    __slots__ = ("data", "grad", "label", "_prev", "_op", "_arg", "__weakref__")

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
        self.label = label
        self._prev = tuple(_children)  # a tuple: ordered, so runs repeat exactly
        self._op = _op
        self._arg = ()  # constants of the op, e.g. the exponent of x ** 2

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"

    def __float__(self) -> float:
        return self.data

    # Comparisons look at .data, as for floats, so max(values) and sorted()
    # work. == and hash stay by identity (as in micrograd): Values are graph
    # nodes and serve as dict keys.
    def __lt__(self, other: Scalar) -> bool:
        return self.data < _data(other)

    def __le__(self, other: Scalar) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Scalar) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Scalar) -> bool:
        return self.data >= _data(other)

    __hash__ = object.__hash__

    # -- arithmetic: each builds one node; the derivative is in RULES -------

    def __add__(self, other: Scalar) -> "Value":
        other = _lift(other, "+")
        return _node(self.data + other.data, (self, other), "+")

    def __radd__(self, other: Number) -> "Value":  # other + self
        return _lift(other, "+") + self

    def __sub__(self, other: Scalar) -> "Value":
        other = _lift(other, "-")
        return _node(self.data - other.data, (self, other), "-")

    def __rsub__(self, other: Number) -> "Value":  # other - self
        return _lift(other, "-") - self

    def __mul__(self, other: Scalar) -> "Value":
        other = _lift(other, "*")
        return _node(self.data * other.data, (self, other), "*")

    def __rmul__(self, other: Number) -> "Value":  # other * self
        return _lift(other, "*") * self

    def __truediv__(self, other: Scalar) -> "Value":
        other = _lift(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(
                f"Value division: {self.data!r} / 0.0 is undefined; "
                "make sure the divisor is never zero (e.g. add a small eps)"
            )
        return _node(self.data / other.data, (self, other), "/")

    def __rtruediv__(self, other: Number) -> "Value":  # other / self
        return _lift(other, "/") / self

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
        out = _node(_pow(self.data, n), (self,), "**")
        out._arg = (n,)  # the constant exponent, needed by the rule
        return out

    def __rpow__(self, other: Number) -> "Value":  # other ** self, e.g. 2 ** v
        return _lift(other, "**") ** self

    # -- functions ----------------------------------------------------------

    def exp(self) -> "Value":
        """e ** self. Raises OverflowError above about 709.78."""
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
        """Natural logarithm; the input must be > 0."""
        x = self.data
        if not x > 0.0 and x == x:  # NaN passes through, as for floats
            raise ValueError(
                f"log({x!r}): log is defined only for inputs > 0; "
                "clamp the input (e.g. max(x, 1e-12)) or use log_softmax"
            )
        return _node(math.log(x), (self,), "log")

    def sqrt(self) -> "Value":
        """Square root; the input must be >= 0."""
        return self ** 0.5

    def sin(self) -> "Value":
        return _node(math.sin(self.data), (self,), "sin")

    def cos(self) -> "Value":
        return _node(math.cos(self.data), (self,), "cos")

    def tanh(self) -> "Value":
        # math.tanh is exact and saturates to +-1 without overflow.
        return _node(math.tanh(self.data), (self,), "tanh")

    def sigmoid(self) -> "Value":
        """1 / (1 + e**-x), computed so that it never overflows."""
        x = self.data
        if x >= 0.0:
            y = 1.0 / (1.0 + math.exp(-x))
        else:  # exp(-x) would overflow for x < -709; exp(x) cannot
            e = math.exp(x)
            y = e / (1.0 + e)
        return _node(y, (self,), "sigmoid")

    def relu(self) -> "Value":
        return _node(self.data if self.data > 0.0 else 0.0, (self,), "relu")

    def leaky_relu(self, negative_slope: float = 0.01) -> "Value":
        slope = _as_float(negative_slope, "leaky_relu(negative_slope)")
        x = self.data
        out = _node(x if x > 0.0 else x * slope, (self,), "leaky_relu")
        out._arg = (slope,)
        return out

    def detach(self) -> "Value":
        """A new leaf with the same data: gradients stop here."""
        return Value(self.data, label=self.label)

    # -- backpropagation ----------------------------------------------------

    def backward(self, gradient: float = 1.0) -> None:
        """Add d(self)/d(node) to ``node.grad`` for every node in the graph.

        Gradients *accumulate* across calls, as in PyTorch: call
        ``zero_grad()`` (or set ``.grad = 0.0``) between training steps.
        """
        order = topological_order(self)
        # Propagate in fresh zeros, then add back what was there, so that a
        # second backward() adds exactly one more gradient to every node.
        saved = [v.grad for v in order]
        for v in order:
            v.grad = 0.0
        self.grad = _as_float(gradient, "backward(gradient)")
        _run_backward(order)
        for v, g in zip(order, saved):
            v.grad += g


# --- building nodes ---------------------------------------------------------


def _data(x: Scalar) -> float:
    return x.data if isinstance(x, Value) else x


def _lift(x: Scalar, op: str) -> Value:
    """Numbers become constant leaves, as in micrograd."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or isinstance(x, Real):
        return Value(x)
    raise TypeError(
        f"Value {op} {type(x).__name__}: unsupported operand {x!r}; "
        f"use a Value or a real number (int or float)"
    )


def _node(data: float, prev: tuple, op: str) -> Value:
    """Make an op's result; under no_grad() it is a plain leaf."""
    out = Value.__new__(Value)  # skips __init__'s checks: data is a float
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._arg = ()
    if _mode.enabled:
        out._prev = prev
        out._op = op
    else:
        out._prev = ()
        out._op = ""
    return out


def _pow(a: float, n: float) -> float:
    """a ** n for floats, with errors that say what went wrong."""
    if a < 0.0 and n != int(n) and n == n:
        raise ValueError(
            f"pow: {a!r} ** {n!r} is not a real number (negative base, "
            "fractional exponent); use an integer exponent or a positive base"
        )
    try:
        return a**n
    except ZeroDivisionError:
        raise ZeroDivisionError(
            f"pow: 0.0 ** {n!r} is undefined (division by zero); "
            "keep the base away from zero"
        ) from None
    except OverflowError:
        raise OverflowError(
            f"pow: {a!r} ** {n!r} overflows a float; scale the base down"
        ) from None


# --- fused n-ary nodes ------------------------------------------------------


def sum(values: Iterable[Scalar]) -> Value:  # noqa: A001 - mirrors torch.sum
    """Sum of many Values as ONE graph node (not a chain of n-1 additions).

    >>> s = sum([Value(1.0), Value(2.0), 3.0]); s.data, len(s._prev)
    (6.0, 3)
    """
    xs = tuple(_lift(v, "sum") for v in values)
    return _node(_builtin_sum(v.data for v in xs), xs, "sum")


def dot(a: Sequence[Scalar], b: Sequence[Scalar]) -> Value:
    """sum(a[i] * b[i]) as ONE graph node.

    >>> dot([Value(1.0), Value(2.0)], [3.0, 4.0]).data
    11.0
    """
    xs, ws = _pair(a, b, "dot")
    data = _builtin_sum([x.data * w.data for x, w in zip(xs, ws)])
    return _node(data, xs + ws, "dot")


def linear(x: Sequence[Scalar], w: Sequence[Scalar], b: Optional[Scalar] = None) -> Value:
    """A neuron's weighted sum ``dot(w, x) + b`` as ONE graph node.

    Named after ``torch.nn.functional.linear``.

    >>> linear([1.0, 2.0], [Value(0.5), Value(-1.0)], Value(3.0)).data
    1.5
    """
    if b is None:
        return dot(x, w)
    xs, ws = _pair(x, w, "linear")
    bias = _lift(b, "linear bias")
    data = _builtin_sum([xi.data * wi.data for xi, wi in zip(xs, ws)], bias.data)
    return _node(data, xs + ws + (bias,), "linear")


def _pair(a: Sequence[Scalar], b: Sequence[Scalar], op: str) -> Tuple[tuple, tuple]:
    xs = tuple(_lift(v, op) for v in a)
    ws = tuple(_lift(v, op) for v in b)
    if len(xs) != len(ws):
        raise ValueError(
            f"{op}: the two lists must have the same length, got "
            f"{len(xs)} and {len(ws)}"
        )
    return xs, ws


# --- the derivative rules ---------------------------------------------------
#
# rule(g, out, *inputs, *constants) -> one gradient per input.
# ``g`` is d(loss)/d(out). Each line is the chain rule for one op.
# The rules use only arithmetic, comparisons and the helpers below, so they
# work on floats (plain backward) and on Values (create_graph=True).


def _log(x):
    return x.log() if isinstance(x, Value) else math.log(x)


def _cos(x):
    return x.cos() if isinstance(x, Value) else math.cos(x)


def _sin(x):
    return x.sin() if isinstance(x, Value) else math.sin(x)


def _pow_exponent_grad(g, out, a):
    # d(a**b)/db = a**b * log(a): real only for a > 0. At a == 0 PyTorch
    # uses 0 (a**b is flat there for b > 0); a < 0 has no real answer.
    if a > 0:
        return g * out * _log(a)
    if a == 0:
        return 0.0 * g
    raise ValueError(
        f"pow: the gradient of {float(a)!r} ** b with respect to the exponent "
        "b is not real (it needs log of a negative number); use a constant "
        "exponent (x ** 2.0) or a positive base"
    )


def _split_half(xs):
    n = len(xs) // 2
    return xs[:n], xs[n:]


def _dot_rule(g, out, *ab):
    a, b = _split_half(ab)
    return [g * y for y in b] + [g * x for x in a]


def _linear_rule(g, out, *xwb):
    x, w = _split_half(xwb[:-1])
    return [g * wi for wi in w] + [g * xi for xi in x] + [g]


RULES: Dict[str, Callable[..., Sequence]] = {
    "+": lambda g, out, a, b: (g, g),
    "-": lambda g, out, a, b: (g, -g),
    "*": lambda g, out, a, b: (g * b, g * a),
    "/": lambda g, out, a, b: (g / b, -g * out / b),  # out / b == a / b**2
    "neg": lambda g, out, a: (-g,),
    "**": lambda g, out, a, n: (g * n * a ** (n - 1),),  # n is a constant
    "pow": lambda g, out, a, b: (g * b * a ** (b - 1), _pow_exponent_grad(g, out, a)),
    "exp": lambda g, out, a: (g * out,),
    "log": lambda g, out, a: (g / a,),
    "sin": lambda g, out, a: (g * _cos(a),),
    "cos": lambda g, out, a: (-g * _sin(a),),
    "tanh": lambda g, out, a: (g * (1 - out * out),),
    "sigmoid": lambda g, out, a: (g * out * (1 - out),),
    "relu": lambda g, out, a: (g if a > 0 else 0.0 * g,),
    "leaky_relu": lambda g, out, a, slope: (g if a > 0 else g * slope,),
    "abs": lambda g, out, a: (g if a > 0 else (-g if a < 0 else 0.0 * g),),
    "sum": lambda g, out, *xs: (g,) * len(xs),
    "dot": _dot_rule,
    "linear": _linear_rule,
}


# --- walking the graph ------------------------------------------------------


def topological_order(root: Value) -> List[Value]:
    """Every node reachable from ``root``, each after all of its inputs.

    Iterative depth-first search: no recursion, so a graph a million nodes
    deep is fine. The order depends only on the graph (``_prev`` is a
    tuple), never on memory addresses.
    """
    order: List[Value] = []
    seen = set()
    stack = [(root, False)]
    push, pop, visit, add = stack.append, stack.pop, seen.add, order.append
    while stack:
        v, inputs_done = pop()
        if inputs_done:
            add(v)  # all of v's inputs are already in ``order``
        elif v not in seen:
            visit(v)
            push((v, True))
            for p in reversed(v._prev):  # reversed: inputs come out in order
                if p not in seen:
                    push((p, False))
    return order


def _explain(v: Value, err: Exception) -> Exception:
    what = f"backward through {v._op!r} (output {v.data!r}, inputs " + ", ".join(
        repr(p.data) for p in v._prev[:4]
    ) + (", ..." if len(v._prev) > 4 else "") + ")"
    return type(err)(f"{what}: {err}")


def _run_backward(order: List[Value]) -> None:
    """Chain rule over floats, outputs before inputs. Grads go into .grad."""
    rules = RULES
    v = None
    try:
        for v in reversed(order):
            prev = v._prev
            if not prev:
                continue
            grads = rules[v._op](v.grad, v.data, *[p.data for p in prev], *v._arg)
            for p, g in zip(prev, grads):
                p.grad += g
    except (ArithmeticError, ValueError) as err:
        raise _explain(v, err) from err


def grad(
    output: Value,
    inputs: Union[Value, Sequence[Value]],
    create_graph: bool = False,
    allow_unused: bool = False,
) -> List:
    """d(output)/d(input) for each input, like ``torch.autograd.grad``.

    Leaves every ``.grad`` untouched. With ``create_graph=True`` the results
    are Values recorded in a new graph, so they can be differentiated again.

    >>> x = Value(3.0)
    >>> [dy] = grad(x ** 3, [x], create_graph=True)
    >>> dy.data, grad(dy, [x])[0]
    (27.0, 18.0)
    """
    if isinstance(inputs, Value):
        inputs = [inputs]
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__}")
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad: every input must be a Value, got {type(x).__name__} {x!r}")

    order = topological_order(output)
    grads: Dict[Value, object] = {output: Value(1.0) if create_graph else 1.0}
    rules = RULES
    v = None
    try:
        with enable_grad() if create_graph else no_grad():
            for v in reversed(order):
                g = grads.get(v)
                if g is None or not v._prev:
                    continue
                if create_graph:
                    args = v._prev
                    out = v
                else:
                    args = [p.data for p in v._prev]
                    out = v.data
                for p, gp in zip(v._prev, rules[v._op](g, out, *args, *v._arg)):
                    old = grads.get(p)
                    grads[p] = gp if old is None else old + gp
    except (ArithmeticError, ValueError) as err:
        raise _explain(v, err) from err

    result = []
    for x in inputs:
        g = grads.get(x)
        if g is None:
            if not allow_unused:
                raise ValueError(
                    f"grad: input {x!r} is not part of the graph of the output; "
                    "pass allow_unused=True to get None for it"
                )
        elif create_graph and not isinstance(g, Value):
            g = Value(g)
        result.append(g)
    return result

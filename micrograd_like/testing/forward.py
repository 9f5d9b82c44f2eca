"""Forward mode by dual numbers: a second automatic differentiation, independent of RULES.

A dual number ``x + t ε`` with ``ε**2 = 0`` carries a value ``x`` and a
tangent ``t``. Doing arithmetic on it is the chain rule run forwards:
``sin(x + t ε) = sin x + (cos x) t ε``. So if every input carries its
direction ``v_i`` as tangent, the output carries ``J v``, the directional
derivative (a *Jacobian-vector product*, ``jvp``).

Every derivative here is written again, from the math, in the methods of
``Dual`` below; none comes from ``engine.RULES``. That is the point: reverse
mode (``backward``, ``grad``) and forward mode are two independent
computations of the same numbers, so a wrong rule in one shows up as a
disagreement with the other. The function is run once on Values, as usual;
its recorded graph is then replayed on dual numbers, node by node (so fused
nodes such as ``linear`` and ``micrograd_like.sum`` work too).

>>> out, tangent = jvp(lambda x, y: x * y.sin(), [2.0, 0.0], [1.0, 1.0])
>>> out, tangent  # d/dt (2 + t) sin(t) at t = 0 is sin 0 + 2 cos 0
(0.0, 2.0)
"""

from __future__ import annotations

import math
import re
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from micrograd_like.engine import Value, topological_order
from micrograd_like.grad_mode import enable_grad
from micrograd_like.testing._checks import _call, _check_callable, _check_inputs

__all__ = ["Dual", "jvp", "forward_rule", "NoForwardRule"]


class NoForwardRule(ValueError):
    """A node's op has no dual-number rule (an op of the user's own).

    >>> cube = lambda x: Value(x.data ** 3, (x,), "cube")  # an op made micrograd's way
    >>> jvp(cube, [2.0], [1.0])
    Traceback (most recent call last):
        ...
    micrograd_like.testing.forward.NoForwardRule: jvp: node Value(data=8.0, grad=0.0) has op 'cube', ...
    """


def _sigmoid(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class Dual:
    """A value and its tangent: ``Dual(x, t)`` is ``x + t ε`` with ``ε**2 = 0``.

    >>> y = Dual(3.0, 1.0) * Dual(3.0, 1.0)  # d(x*x)/dx = 2x at x = 3
    >>> y.x, y.t
    (9.0, 6.0)
    """

    __slots__ = ("x", "t")

    def __init__(self, x: float, t: float = 0.0) -> None:
        self.x = float(x)
        self.t = float(t)

    def __repr__(self) -> str:
        return f"Dual({self.x!r}, {self.t!r})"

    # -- arithmetic: the product and quotient rules ---------------------------
    def __add__(self, o: "Dual") -> "Dual":
        return Dual(self.x + o.x, self.t + o.t)

    def __sub__(self, o: "Dual") -> "Dual":
        return Dual(self.x - o.x, self.t - o.t)

    def __mul__(self, o: "Dual") -> "Dual":
        return Dual(self.x * o.x, self.t * o.x + self.x * o.t)

    def __truediv__(self, o: "Dual") -> "Dual":
        return Dual(self.x / o.x, (self.t * o.x - self.x * o.t) / (o.x * o.x))

    def __neg__(self) -> "Dual":
        return Dual(-self.x, -self.t)

    def power(self, n: float) -> "Dual":  # self ** n, n a constant
        """``d(x**n) = n x**(n - 1) dx``, for a constant ``n``.

        >>> Dual(3.0, 1.0).power(2)
        Dual(9.0, 6.0)
        """
        dx = n * self.x ** (n - 1) if n != 0 else 0.0
        return Dual(self.x**n, dx * self.t)

    def __pow__(self, o: "Dual") -> "Dual":  # a ** b = exp(b log a), both moving
        y = self.x**o.x
        db = y * math.log(self.x) if self.x > 0 else 0.0  # a = 0: flat, as torch
        return Dual(y, self.power(o.x).t + db * o.t)

    # -- functions ----------------------------------------------------------
    def exp(self) -> "Dual":
        """``d exp(x) = exp(x) dx``.

        >>> Dual(0.0, 1.0).exp()
        Dual(1.0, 1.0)
        """
        y = math.exp(self.x)
        return Dual(y, y * self.t)

    def log(self) -> "Dual":
        """``d log(x) = dx / x``.

        >>> Dual(2.0, 1.0).log()
        Dual(0.6931471805599453, 0.5)
        """
        return Dual(math.log(self.x), self.t / self.x)

    def sin(self) -> "Dual":
        """``d sin(x) = cos(x) dx``.

        >>> Dual(0.0, 1.0).sin()
        Dual(0.0, 1.0)
        """
        return Dual(math.sin(self.x), math.cos(self.x) * self.t)

    def cos(self) -> "Dual":
        """``d cos(x) = -sin(x) dx``.

        >>> Dual(0.0, 1.0).cos()
        Dual(1.0, -0.0)
        """
        return Dual(math.cos(self.x), -math.sin(self.x) * self.t)

    def tanh(self) -> "Dual":
        """``d tanh(x) = (1 - tanh(x)**2) dx``.

        >>> Dual(0.0, 1.0).tanh()
        Dual(0.0, 1.0)
        """
        y = math.tanh(self.x)
        return Dual(y, (1.0 - y * y) * self.t)

    def sigmoid(self) -> "Dual":
        """``d sigmoid(x) = sigmoid(x) (1 - sigmoid(x)) dx``.

        >>> Dual(0.0, 1.0).sigmoid()
        Dual(0.5, 0.25)
        """
        y = _sigmoid(self.x)
        return Dual(y, y * (1.0 - y) * self.t)

    def relu(self) -> "Dual":  # slope 0 at 0, as torch
        """``d relu(x) = dx`` where ``x > 0``, else 0.

        >>> Dual(-1.0, 1.0).relu(), Dual(2.0, 1.0).relu()
        (Dual(0.0, 0.0), Dual(2.0, 1.0))
        """
        return Dual(self.x, self.t) if self.x > 0 else Dual(0.0, 0.0)

    def leaky_relu(self, slope: float) -> "Dual":
        """``d leaky_relu(x) = dx`` where ``x > 0``, else ``slope * dx``.

        >>> Dual(-2.0, 1.0).leaky_relu(0.1)
        Dual(-0.2, 0.1)
        """
        return Dual(self.x, self.t) if self.x > 0 else Dual(self.x * slope, slope * self.t)

    def abs(self) -> "Dual":  # slope 0 at 0, as torch's sign(0)
        """``d abs(x) = sign(x) dx``.

        >>> Dual(-2.0, 1.0).abs()
        Dual(2.0, -1.0)
        """
        sign = (self.x > 0) - (self.x < 0)
        return Dual(abs(self.x), sign * self.t)


def _sum(xs: Sequence[Dual]) -> Dual:
    total = Dual(0.0)
    for d in xs:
        total = total + d
    return total


def _dot(*ab: Dual) -> Dual:
    n = len(ab) // 2
    return _sum([a * b for a, b in zip(ab[:n], ab[n:])])


def _linear(*args: object) -> Dual:
    # args = x_1..x_n, w_1..w_n, b, activation (the node's inputs and constant)
    *duals, activation = args
    n = (len(duals) - 1) // 2
    z = _dot(*duals[: 2 * n]) + duals[-1]  # type: ignore[arg-type]
    return z if activation in (None, "linear") else getattr(z, str(activation))()


# op -> the op on dual numbers: (inputs..., constants...) -> Dual
FORWARD: Dict[str, Callable[..., Dual]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "neg": lambda a: -a,
    "**": lambda a, n: a.power(n),
    "pow": lambda a, b: a**b,
    "exp": Dual.exp,
    "log": Dual.log,
    "sin": Dual.sin,
    "cos": Dual.cos,
    "tanh": Dual.tanh,
    "sigmoid": Dual.sigmoid,
    "relu": Dual.relu,
    "ReLU": Dual.relu,  # micrograd's name for its own relu node
    "leaky_relu": Dual.leaky_relu,
    "abs": Dual.abs,
    "sum": lambda *xs: _sum(xs),
    "dot": _dot,
    "linear": _linear,
}

_MICROGRAD_POWER = re.compile(r"\*\*(-?[0-9.]+(?:e-?[0-9]+)?)$")  # micrograd's '**2'


def forward_rule(v: Value) -> Optional[Callable[..., Dual]]:
    """The forward-mode rule for node ``v`` as a function of its inputs' Duals, or None.

    Constants of the op (the exponent of ``x ** 2``) are bound in. Nodes made
    micrograd's way have ops such as ``'**2'`` and ``'ReLU'``; those are known.

    >>> x = Value(3.0); rule = forward_rule(x ** 2)
    >>> rule(Dual(3.0, 1.0)).t
    6.0
    """
    rule = FORWARD.get(v._op)
    if rule is not None:
        arg = v._arg
        return (lambda *ds: rule(*ds, *arg)) if arg else rule
    match = _MICROGRAD_POWER.match(v._op)
    if match and len(v._prev) == 1:
        n = float(match.group(1))
        return lambda a: a.power(n)
    return None


def replay(outputs: Sequence[Value], tangents: Dict[Value, float]) -> Dict[Value, Dual]:
    """Each node of the graphs behind ``outputs`` as a Dual; leaves not in ``tangents`` are constants.

    Raises ValueError naming the op when a node has no forward-mode rule.
    """
    duals: Dict[Value, Dual] = {}
    for out in outputs:
        for v in topological_order(out):  # iterative: deep graphs are fine
            if v in duals:
                continue
            if not v._prev:
                duals[v] = Dual(v.data, tangents.get(v, 0.0))
                continue
            rule = forward_rule(v)
            if rule is None:
                raise NoForwardRule(
                    f"jvp: node {v!r} has op {v._op!r}, which has no forward-mode "
                    "rule; build it from Value's own operations, or check it with "
                    "check(..., modes=('rev',))"
                )
            duals[v] = rule(*[duals[p] for p in v._prev])
    return duals


Outputs = Union[Value, Sequence[Value]]


def forward_grad(fn: Callable[..., Value], xs: List[float], where: str) -> List[float]:
    """df/dx_i by forward mode: the graph is built once and replayed with tangent e_i."""
    with enable_grad():
        leaves = [Value(x) for x in xs]
        out = _call(fn, leaves, where)
        return [replay([out], {leaf: 1.0})[out].t for leaf in leaves]


def _outputs(result: object, where: str) -> Tuple[List[Value], bool]:
    """([Values], whether fn returned a single Value), or a clear TypeError."""
    if isinstance(result, Value):
        return [result], True
    if isinstance(result, (list, tuple)) and result and all(isinstance(r, Value) for r in result):
        return list(result), False
    raise TypeError(
        f"{where}: fn must return a Value or a list of Values, got "
        f"{type(result).__name__} {result!r}; build the result from the Values fn receives"
    )


def _tangents(v: object, n: int, where: str, name: str = "v") -> List[float]:
    """A list of n finite floats, or an error that says what to pass."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and n == 1:
        v = [v]
    if isinstance(v, (str, bytes)) or not isinstance(v, Sequence):
        raise TypeError(f"{where}: {name} must be a list of {n} number(s), got {type(v).__name__} {v!r}")
    if len(v) != n:
        raise ValueError(
            f"{where}: {name} has {len(v)} entries but there are {n} inputs; "
            f"pass one tangent per input"
        )
    out = []
    for i, t in enumerate(v):
        t = t.data if isinstance(t, Value) else t
        if isinstance(t, bool) or not isinstance(t, (int, float)):
            raise TypeError(f"{where}: {name}[{i}] must be a number, got {type(t).__name__} {t!r}")
        if not math.isfinite(t):
            raise ValueError(f"{where}: {name}[{i}] is {t!r}; tangents must be finite numbers")
        out.append(float(t))
    return out


def jvp(
    fn: Callable[..., Outputs], inputs: Sequence[float], v: Sequence[float]
) -> Tuple[Union[float, List[float]], Union[float, List[float]]]:
    """``(fn(inputs), J v)``, by forward mode, as ``torch.autograd.functional.jvp``.

    ``fn`` takes one Value per input and returns a Value or a list of
    Values; ``v`` has one tangent per input. The results are floats (a list
    when ``fn`` returns a list).

    >>> jvp(lambda x, y: [x * y, x + y], [2.0, 3.0], [1.0, 0.0])
    ([6.0, 5.0], [3.0, 1.0])
    """
    xs = _check_inputs(inputs, "jvp")
    _check_callable(fn, len(xs), "jvp")
    ts = _tangents(v, len(xs), "jvp")
    with enable_grad():
        leaves = [Value(x) for x in xs]
        outs, single = _outputs(fn(*leaves), "jvp")
        duals = replay(outs, dict(zip(leaves, ts)))
    values = [duals[o].x for o in outs]
    tangents = [duals[o].t for o in outs]
    return (values[0], tangents[0]) if single else (values, tangents)

"""Finite differences you can trust: Ridders-Richardson extrapolation with an error estimate.

A central difference ``(f(x + h) - f(x - h)) / 2h`` has a truncation error
``c2 h**2 + c4 h**4 + ...`` and a rounding error ``~ eps_machine |f| / h``.
No single step ``h`` is right for every function. Ridders' method (Numerical
Recipes, ``dfridr``) takes a shrinking sequence of steps, extrapolates the
differences to ``h = 0`` (Richardson) and uses the disagreement between
neighbouring extrapolations as the error estimate; numdifftools does the same.
So the step chooses itself, and every derivative comes with ``error``. Two
tableaux, the second starting 10 times closer to ``x``, must agree before
an estimate is trusted: a function that wiggles faster than the first step
(``sin(50 x)``) can fool one tableau into looking converged.

The same evaluations ``f(x), f(x +- h_k)`` also give the one-sided slopes
``(f(x + h) - f(x)) / h`` and ``(f(x) - f(x - h)) / h``. Where they disagree
the function has a kink at ``x`` (relu or abs at 0, max at a tie), and no
single derivative exists.

>>> d = derivative(lambda x: x ** 3, 2.0)
>>> round(d.value, 12), d.error < 1e-9, d.kink
(12.0, True, False)
>>> k = derivative(abs, 0.0)
>>> k.kink, k.left, k.right
(True, -1.0, 1.0)
"""

from __future__ import annotations

import math
from numbers import Real
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

__all__ = ["Derivative", "derivative", "FiniteDifferenceError"]

_EPS = 2.0 ** -52  # the spacing of floats near 1
_SHRINK = 1.4  # step ratio between rows of the tableau (Numerical Recipes' CON)
_STEPS = 15  # rows: the last step is the first / 1.4**14, about 1/110 of it
_ROUNDS = 5  # tableaux tried, each starting 10 times closer to x
_SAFE = 2.0  # stop when the extrapolation got this much worse than the best


class FiniteDifferenceError(ValueError):
    """f is not finite at x, or cannot be evaluated on both sides of it.

    >>> import math
    >>> derivative(math.sqrt, 0.0)  # sqrt is not defined left of 0
    Traceback (most recent call last):
        ...
    micrograd_like.testing.differences.FiniteDifferenceError: f cannot be evaluated on both sides of 0.0, ...
    """


@dataclass(frozen=True)
class Derivative:
    """One derivative by finite differences, with what we know about its accuracy.

    ``value`` is the extrapolated central difference and ``error`` its
    estimated absolute error. ``left`` and ``right`` are the one-sided
    slopes (each extrapolated too, with errors ``left_error``,
    ``right_error``); ``kink`` is True when they differ by more than those
    errors allow, and then ``value`` is only their average. ``step`` is the
    first (largest) step of the tableau.

    >>> d = derivative(lambda x: x * x, 3.0)
    >>> round(d.value, 9), d.error < 1e-9, round(d.left, 9), round(d.right, 9), d.kink
    (6.0, True, 6.0, 6.0, False)
    """

    value: float
    error: float
    left: float
    right: float
    left_error: float
    right_error: float
    kink: bool
    step: float


def derivative(
    f: Callable[[float], float], x: float, step: Optional[float] = None
) -> Derivative:
    """df/dx at ``x`` by Ridders-extrapolated central differences.

    ``step`` is the largest step tried (default ``0.1 * max(1, |x|)``). If
    ``f`` fails or is not finite at ``x +- step`` (a domain edge such as log
    near 0), the step is divided by 10 until it works.

    >>> import math
    >>> d = derivative(math.sin, 1.0)
    >>> abs(d.value - math.cos(1.0)) <= d.error
    True
    """
    if not callable(f):
        raise TypeError(f"derivative: f must be a function of one float, e.g. math.sin, got {f!r}")
    if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
        raise TypeError(f"derivative: x must be a finite real number, got {type(x).__name__} {x!r}")
    if step is not None and (isinstance(step, bool) or not isinstance(step, Real)
                             or not 0 < step < math.inf):
        raise ValueError(f"derivative: step must be a finite number > 0 (or None), got {step!r}")
    h = 0.1 * max(1.0, abs(x)) if step is None else float(step)
    # Two tableaux, the second starting 10 times closer to x, must agree. A
    # function that changes on a smaller scale than h (sin(50 x)) fools a
    # single tableau into looking converged; then start again closer. The
    # central and each one-sided slope find their agreeing pair on their own.
    rounds = [_one_tableau(f, x, h)]
    picked: List[Optional[Tuple[float, float]]] = [None, None, None]
    while True:
        if len(rounds) > 1:
            a, b = rounds[-2], rounds[-1]
            for q in range(3):
                if picked[q] is None and _agree(a, b, q):
                    picked[q] = _better(a, b, q)
        if None not in picked or len(rounds) == _ROUNDS:
            break
        rounds.append(_one_tableau(f, x, rounds[-1].step / 10.0))
    for q in range(3):
        if picked[q] is None:  # no two rounds agree: the best one, as honest as we can be
            k = min(range(len(rounds) - 1), key=lambda k: _get(rounds[k + 1], q)[1])
            picked[q] = _better(rounds[k], rounds[k + 1], q)
    (value, error), (left, left_error), (right, right_error) = picked  # type: ignore[misc]
    jump = abs(right - left)
    # A kink: the slopes differ by more than both estimates allow, and by
    # more than 1e-5 of their size (a smaller jump is beyond what the
    # one-sided differences resolve on a smooth function).
    kink = jump > 10.0 * (left_error + right_error) and jump > 1e-5 * (
        1.0 + max(abs(left), abs(right)))
    return Derivative(value, error, left, right, left_error, right_error, kink, rounds[0].step)


def _get(d: Derivative, q: int) -> Tuple[float, float]:
    return [(d.value, d.error), (d.left, d.left_error), (d.right, d.right_error)][q]


def _agree(a: Derivative, b: Derivative, q: int) -> bool:
    # Within 10 times the *smaller* error: a round whose large error covers
    # anything (a first step far too big) does not vouch for the other.
    (va, ea), (vb, eb) = _get(a, q), _get(b, q)
    return abs(va - vb) <= 10.0 * min(ea, eb)


def _better(a: Derivative, b: Derivative, q: int) -> Tuple[float, float]:
    """The more accurate of two rounds, its error at least their disagreement."""
    (va, ea), (vb, eb) = _get(a, q), _get(b, q)
    v, e = (va, ea) if ea <= eb else (vb, eb)
    return v, max(e, abs(va - vb))


class _Tableau:
    """Ridders' tableau, one row per step: extrapolations of the differences to h = 0.

    ``order`` is the power of h in the leading error term (2 for central
    differences, 1 for one-sided). Column j cancels one more term; the error
    of an entry is its distance from its two neighbours of the column before.
    """

    def __init__(self, order: int) -> None:
        self.ratio = _SHRINK**order
        self.row: List[float] = []
        self.best, self.error = math.nan, math.inf
        self.done = False
        self.smallest_step = math.inf  # the last row's step: it bounds rounding

    def add(self, d: float, step: float) -> None:
        current = [d]
        factor = self.ratio
        for j, earlier in enumerate(self.row, start=1):
            current.append((current[j - 1] * factor - earlier) / (factor - 1.0))
            # central differences have only even powers of h, so the next
            # term to cancel is h**(2j) there, h**j for one-sided ones
            factor *= self.ratio
            err = max(abs(current[j] - current[j - 1]), abs(current[j] - earlier))
            if err <= self.error:
                self.best, self.error = current[j], err
        if not self.row:
            self.best = d
        elif abs(current[-1] - self.row[-1]) >= _SAFE * self.error:
            self.done = True  # higher orders got worse (rounding took over): stop
        self.row = current
        self.smallest_step = step

    def result(self, scale: float) -> Tuple[float, float]:
        # Rounding in f itself limits any difference at the smallest step used.
        return self.best, self.error + 4.0 * _EPS * scale / self.smallest_step


class _OffTheEdge(Exception):
    """f failed or was not finite at x +- step: the step must come closer to x."""


def _one_tableau(f: Callable[[float], float], x: float, h: float) -> Derivative:
    """One round: f at x +- h / 1.4**k, row by row, until all three tableaux stop.

    If f cannot be evaluated at a step (the edge of its domain), the round
    starts again with a step 10 times smaller.
    """
    f0 = _finite(f, x)
    if f0 is None:
        raise FiniteDifferenceError(f"f({x!r}) is not a finite number")
    smallest = 1e-12 * max(1.0, abs(x))
    last_error: Optional[Exception] = None
    while h >= smallest:
        try:
            return _rows(f, x, h, f0)
        except _OffTheEdge as edge:
            last_error = edge.__cause__
        h /= 10.0
    reason = f": {last_error}" if last_error else " (not finite there)"
    raise FiniteDifferenceError(
        f"f cannot be evaluated on both sides of {x!r}, even {smallest:.3g} away"
        f"{reason}; move the point away from the edge of the function's domain"
    )


def _rows(f: Callable[[float], float], x: float, h: float, f0: float) -> Derivative:
    central, right, left = _Tableau(2), _Tableau(1), _Tableau(1)
    scale, slope = abs(f0), 0.0
    for k in range(_STEPS):
        hi, lo = x + h / _SHRINK**k, x - h / _SHRINK**k
        try:
            up, down = _finite(f, hi), _finite(f, lo)
        except (ArithmeticError, ValueError) as err:
            raise _OffTheEdge() from err
        if up is None or down is None:
            raise _OffTheEdge()
        # the steps as really taken, after rounding x +- h
        a, b = hi - x, x - lo
        central.add((up - down) / (a + b), min(a, b))
        right.add((up - f0) / a, a)
        left.add((f0 - down) / b, b)
        scale = max(scale, abs(up), abs(down))
        slope = max(slope, abs(central.row[0]))
        if central.done and right.done and left.done:
            break
    # f's own rounding error: eps |f|, plus eps |x f'| from rounding x
    # itself (sin(50 x) near x = 3 is only as exact as 50 x).
    scale += abs(x) * slope
    value, error = central.result(scale)
    r, r_err = right.result(scale)
    l, l_err = left.result(scale)
    return Derivative(value, error, l, r, l_err, r_err, False, h)  # kink: decided above


def _finite(f: Callable[[float], float], x: float) -> Optional[float]:
    y = f(x)
    return y if math.isfinite(y) else None

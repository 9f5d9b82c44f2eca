"""The classic checks, as in torch: gradcheck and friends against central finite differences.

Backpropagation is easy to get subtly wrong. The outside oracle that needs
nothing but the function itself is the *central finite difference*

    df/dx_i  ~  (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

whose error shrinks like eps**2. ``gradcheck`` compares it with both ways
the engine computes a gradient: ``Value.backward()`` (which has hand-written
fast paths for the commonest ops) and ``micrograd_like.grad`` (which uses only
the rules in ``engine.RULES``). ``gradgradcheck`` does the same one order up
(the Hessian). The names and default tolerances are PyTorch's
(``torch.autograd.gradcheck``); like every test helper (``numpy.testing``,
``torch.testing``) they raise ``AssertionError`` on a mismatch, with a table
that shows which input is wrong. ``testing.check`` goes further: forward
mode too, differences with an error estimate, kinks, and the wrong node.

>>> from micrograd_like.testing import gradcheck
>>> gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [0.5, -1.5])
True
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Callable, List

from micrograd_like.autograd import grad
from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad, no_grad
from micrograd_like.testing._checks import (
    Inputs, _call, _check_callable, _check_inputs, _check_positive, _check_tolerances,
)
from micrograd_like.testing.forward import forward_grad

__all__ = [
    "gradcheck",
    "gradgradcheck",
    "check_grads",
    "numerical_grad",
    "assert_close",
]

# --- the public checks ------------------------------------------------------


def numerical_grad(fn: Callable[..., Value], inputs: Inputs, eps: float = 1e-6) -> List[float]:
    """The central finite-difference gradient of ``fn`` at ``inputs``.

    ``fn`` is evaluated on plain leaf Values under ``no_grad()``, so no graph
    is built; only ``.data`` of its result is used.

    >>> g = numerical_grad(lambda x, y: x * y, [2.0, 3.0])  # d/dx = y, d/dy = x
    >>> [round(d, 6) for d in g]
    [3.0, 2.0]
    """
    xs = _check_inputs(inputs, "numerical_grad")
    _check_positive(eps, "eps", "numerical_grad")
    _check_callable(fn, len(xs), "numerical_grad")
    return _numeric_grad(fn, xs, eps, "numerical_grad")


def gradcheck(
    fn: Callable[..., Value],
    inputs: Inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    check_forward_ad: bool = False,
) -> bool:
    """Check the gradient of ``fn`` against central finite differences.

    Both ways the engine computes gradients are checked, each on a fresh
    evaluation of ``fn``: ``backward()`` (its ``.grad`` on fresh leaves; it
    has fast paths of its own) and ``micrograd_like.grad`` (``engine.RULES``
    only). ``fn`` takes one Value per input and returns one Value. ``inputs``
    are numbers (a Value counts as its ``.data``; its ``.grad`` is not
    touched). An entry passes when
    ``|analytic - numeric| <= atol + rtol * |numeric|``, as in
    ``torch.autograd.gradcheck``, whose defaults these are.

    Returns True; raises AssertionError with a table (one row per input and
    method) when any entry fails, or returns False with
    ``raise_exception=False``. ``check_forward_ad=True`` checks forward
    mode (dual numbers, ``testing.jvp``) too. Both names are torch's.

    >>> gradcheck(lambda x: x.sin() * x, [0.3], check_forward_ad=True)
    True
    """
    xs = _check_inputs(inputs, "gradcheck")
    _check_tolerances(eps, atol, rtol, "gradcheck")
    _check_callable(fn, len(xs), "gradcheck")

    by_method = [
        ("backward()", _backward_grad(fn, xs, "gradcheck")),
        ("grad()", _analytic_grad(fn, xs, "gradcheck")),
    ]
    if check_forward_ad:
        by_method.append(("forward", forward_grad(fn, xs, "gradcheck")))
    numeric = _numeric_grad(fn, xs, eps, "gradcheck")
    rows = [
        (str(i), xs[i], analytic[i], numeric[i], method)
        for i in range(len(xs))
        for method, analytic in by_method
    ]
    try:
        _assert_rows(
            rows,
            atol,
            rtol,
            title=f"gradcheck: the {'' if check_forward_ad else 'reverse-mode '}gradient "
            "does not match finite differences",
            first_column="input",
            settings=f"eps={eps!r}, atol={atol!r}, rtol={rtol!r}",
        )
    except AssertionError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(
    fn: Callable[..., Value],
    inputs: Inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check second derivatives: the Hessian from ``grad(..., create_graph=True)``.

    The analytic Hessian ``H[i][j] = d/dx_j (df/dx_i)`` differentiates the
    recorded gradient graph a second time. The numeric one takes central
    differences of the (first-order) analytic gradient. A mismatch means a
    derivative rule does not record its own derivative correctly.

    >>> gradgradcheck(lambda x, y: x * y.exp() + x ** 3, [0.5, -1.0])
    True
    """
    xs = _check_inputs(inputs, "gradgradcheck")
    _check_tolerances(eps, atol, rtol, "gradgradcheck")
    _check_callable(fn, len(xs), "gradgradcheck")

    analytic = _analytic_hessian(fn, xs, "gradgradcheck")
    n = len(xs)
    rows = []
    for j in range(n):
        # column j of the numeric Hessian: move x_j, watch the whole gradient
        hi = list(xs)
        lo = list(xs)
        hi[j] += eps
        lo[j] -= eps
        g_hi = _analytic_grad(fn, hi, "gradgradcheck")
        g_lo = _analytic_grad(fn, lo, "gradgradcheck")
        for i in range(n):
            numeric = (g_hi[i] - g_lo[i]) / (2.0 * eps)
            rows.append((f"{i},{j}", xs[j], analytic[i][j], numeric))
    rows.sort(key=lambda row: row[0])  # row-major: (0,0), (0,1), ...
    _assert_rows(
        rows,
        atol,
        rtol,
        title="gradgradcheck: the second derivatives (Hessian) do not match "
        "finite differences of the gradient",
        first_column="i,j",
        settings=f"eps={eps!r}, atol={atol!r}, rtol={rtol!r}",
        value_column="x[j]",
    )
    return True


def check_grads(
    fn: Callable[..., Value],
    inputs: Inputs,
    order: int = 2,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """``gradcheck``, and for ``order=2`` also ``gradgradcheck`` (like HIPS autograd).

    >>> check_grads(lambda x: x.tanh() / (1 + x * x), [0.7], order=2)
    True
    """
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"check_grads: order must be 1 or 2, got {order!r}")
    gradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol)
    if order == 2:
        gradgradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol)
    return True


def assert_close(
    actual: object,
    expected: object,
    *,
    rtol: float = 1e-7,
    atol: float = 1e-7,
    equal_nan: bool = False,
) -> None:
    """Assert ``|actual - expected| <= atol + rtol * |expected|`` for numbers or lists.

    Like ``torch.testing.assert_close`` (and its float64 defaults). Accepts
    floats, ints, Values (their ``.data``) and nested lists/tuples of them.
    Raises AssertionError listing every entry that differs.

    >>> assert_close([0.1 + 0.2, 1.0], [0.3, 1.0])
    >>> assert_close(1.0, 1.1)
    Traceback (most recent call last):
        ...
    AssertionError: assert_close: 1 of 1 values are not close (rtol=1e-07, atol=1e-07)
      index           actual      expected    abs diff     allowed
      -                  1.0           1.1         0.1     2.1e-07
    """
    _check_positive(rtol, "rtol", "assert_close", allow_zero=True)
    _check_positive(atol, "atol", "assert_close", allow_zero=True)
    pairs = _flatten_pairs(actual, expected)
    bad = []
    for index, a, e in pairs:
        allowed = atol + rtol * abs(e)
        if not _close(a, e, allowed, equal_nan):
            bad.append((index, a, e, abs(a - e), allowed))
    if bad:
        lines = [
            f"assert_close: {len(bad)} of {len(pairs)} values are not close "
            f"(rtol={rtol!r}, atol={atol!r})",
            f"  {'index':<8}{'actual':>14}{'expected':>14}{'abs diff':>12}{'allowed':>12}",
        ]
        for index, a, e, diff, allowed in bad:
            lines.append(
                f"  {index:<8}{_num(a):>14}{_num(e):>14}{diff:>12.3g}{allowed:>12.3g}"
            )
        raise AssertionError("\n".join(lines))


# --- computing gradients ----------------------------------------------------


def _value_of(fn: Callable[..., Value], point: List[float], where: str) -> float:
    with no_grad():  # only the number is needed: build no graph
        return _call(fn, [Value(p) for p in point], where).data


def _backward_grad(fn: Callable[..., Value], point: List[float], where: str) -> List[float]:
    # backward() has fast paths that grad() does not use, so it is checked too
    with enable_grad():
        xs = [Value(p) for p in point]
        _call(fn, xs, where).backward()
    return [x.grad for x in xs]  # an unused input keeps 0.0


def _analytic_grad(fn: Callable[..., Value], point: List[float], where: str) -> List[float]:
    with enable_grad():  # gradcheck must work even inside a no_grad() block
        xs = [Value(p) for p in point]
        gs = grad(_call(fn, xs, where), xs, allow_unused=True)
    return [0.0 if g is None else g for g in gs]  # unused input: zero gradient


def _analytic_hessian(
    fn: Callable[..., Value], point: List[float], where: str
) -> List[List[float]]:
    n = len(point)
    with enable_grad():
        xs = [Value(p) for p in point]
        first = grad(_call(fn, xs, where), xs, create_graph=True, allow_unused=True)
        hessian = []
        for g in first:
            row = [0.0] * n if g is None else grad(g, xs, allow_unused=True)
            hessian.append([0.0 if h is None else h for h in row])
    return hessian


def _numeric_grad(
    fn: Callable[..., Value], point: List[float], eps: float, where: str
) -> List[float]:
    return [
        _central_difference(lambda p: _value_of(fn, p, where), point, i, eps)
        for i in range(len(point))
    ]


def _central_difference(
    f: Callable[[List[float]], float], point: List[float], i: int, eps: float
) -> float:
    hi = list(point)
    lo = list(point)
    hi[i] += eps
    lo[i] -= eps
    try:
        return (f(hi) - f(lo)) / (2.0 * eps)
    except (ArithmeticError, ValueError) as err:
        raise type(err)(
            f"finite differences: fn failed when input {i} ({point[i]!r}) was "
            f"moved by +-eps={eps!r}: {err}; move the point away from the edge "
            "of fn's domain, or use a smaller eps"
        ) from err


# --- comparing and reporting ------------------------------------------------


def _close(a: float, e: float, allowed: float, equal_nan: bool) -> bool:
    if a == e:  # also covers inf == inf, where a - e would be nan
        return True
    if equal_nan and a != a and e != e:
        return True
    if math.isinf(a) or math.isinf(e):  # inf is close only to itself
        return False
    return abs(a - e) <= allowed  # False whenever either side is nan


def _assert_rows(
    rows: list,
    atol: float,
    rtol: float,
    title: str,
    first_column: str,
    settings: str,
    value_column: str = "value",
) -> None:
    """Raise AssertionError with a table of (index, value, analytic, numeric[, method]).

    A fifth item in the rows names the method that computed ``analytic``
    ("backward()" or "grad()"); it gets a column of its own.
    """
    failed = [not _close(row[2], row[3], atol + rtol * abs(row[3]), False) for row in rows]
    if not any(failed):
        return
    has_method = len(rows[0]) > 4
    method_head = f"{'method':<12}" if has_method else ""
    lines = [
        f"{title} for {failed.count(True)} of {len(rows)} entries ({settings})",
        f"  {first_column:<7}{method_head}{value_column:>12}{'analytic':>16}"
        f"{'numeric':>16}{'abs error':>12}",
    ]
    for row, bad in zip(rows, failed):
        index, x, a, n = row[:4]
        method = f"{row[4]:<12}" if has_method else ""
        mark = "  <-- FAILED" if bad else ""
        lines.append(
            f"  {index:<7}{method}{_num(x):>12}{_num(a):>16}{_num(n):>16}"
            f"{abs(a - n):>12.3g}{mark}"
        )
    raise AssertionError("\n".join(lines))


def _num(x: float) -> str:
    """A float as Python writes it, shortened to 10 significant digits."""
    text = repr(x)
    return text if len(text) <= 12 else f"{x:.10g}"


def _flatten_pairs(actual: object, expected: object, index: str = "") -> list:
    """[(index, actual float, expected float)] for matching nested structures."""
    if isinstance(actual, (list, tuple)) or isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or not isinstance(expected, (list, tuple)):
            raise AssertionError(
                f"assert_close: at [{index}] one side is a list and the other is "
                f"not: actual {actual!r}, expected {expected!r}"
            )
        if len(actual) != len(expected):
            raise AssertionError(
                f"assert_close: length mismatch at [{index}]: actual has "
                f"{len(actual)} items, expected has {len(expected)}"
            )
        pairs = []
        for k, (a, e) in enumerate(zip(actual, expected)):
            pairs.extend(_flatten_pairs(a, e, f"{index},{k}" if index else str(k)))
        return pairs
    where = f"[{index}]" if index else "-"  # "-": a single number, no index
    return [(where, _number(actual, "actual"), _number(expected, "expected"))]


# --- argument checks --------------------------------------------------------


def _number(x: object, what: str) -> float:
    if isinstance(x, Value):
        return x.data
    if isinstance(x, Real):
        return float(x)
    raise TypeError(
        f"assert_close: {what} must be a number, a Value or a list of them, "
        f"got {type(x).__name__} {x!r}"
    )

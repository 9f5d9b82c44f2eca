"""The classic checks, named as in torch: gradcheck, gradgradcheck and friends.

Backpropagation is easy to get subtly wrong. The outside oracle that needs
nothing but the function itself is the *central finite difference*

    df/dx_i  ~  (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

whose error shrinks like eps**2 while its rounding error grows like 1/eps.
``gradcheck`` compares it with all three ways of computing a gradient:
``Value.backward()`` (which has hand-written fast paths for the commonest
ops), ``micrograd_like.grad`` (which uses only the rules in
``engine.RULES``) and forward mode (dual numbers, rules of their own), and
holds reverse mode to forward mode too. By default the differences are
Ridders-extrapolated, with an automatic step, and each is judged by its own
error estimate (``testing.oracle``, as ``check``); any of ``eps``, ``atol``,
``rtol`` gives torch's fixed step and tolerance instead. ``gradgradcheck``
checks the Hessian with torch's fixed ones. Like every test helper
(``numpy.testing``, ``torch.testing``) they raise ``AssertionError`` on a
mismatch, with a table that shows which input is wrong.

>>> from micrograd_like.testing import gradcheck
>>> gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [0.5, -1.5])
True
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Callable, List, Optional

from micrograd_like.engine import Value
from micrograd_like.testing._checks import (
    Inputs, _check_callable, _check_inputs, _check_positive, _check_tolerances,
)
from micrograd_like.testing._grads import _analytic_grad, _analytic_hessian, _numeric_grad
from micrograd_like.testing.oracle import compare
from micrograd_like.testing.report import GradcheckError

__all__ = [
    "gradcheck",
    "gradgradcheck",
    "check_grads",
    "numerical_grad",
    "assert_close",
]

# torch.autograd.gradcheck's defaults: gradcheck's fixed mode, gradgradcheck's defaults
TORCH_EPS, TORCH_ATOL, TORCH_RTOL = 1e-6, 1e-5, 1e-3

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
    eps: Optional[float] = None,
    atol: Optional[float] = None,
    rtol: Optional[float] = None,
    raise_exception: bool = True,
    check_forward_ad: Optional[bool] = None,
    kink_is_failure: bool = False,
) -> bool:
    """Check the gradient of ``fn``: reverse mode, forward mode and finite differences.

    ``fn`` takes one Value per input and returns one Value. ``inputs`` are
    numbers (a Value counts as its ``.data``; its ``.grad`` is not touched).
    Three methods are checked, each on a fresh evaluation of ``fn``:
    ``backward()`` (its ``.grad`` on fresh leaves; it has fast paths of its
    own), ``micrograd_like.grad`` (``engine.RULES`` only) and forward mode
    (dual numbers, ``testing.jvp``, rules written apart from ``RULES``).

    By default each is compared with Ridders-extrapolated central
    differences (automatic step) and passes when
    ``|analytic - numeric| <= 10 * est. error + 1e-10 * (1 + |numeric|)``;
    the reverse-mode results must also match forward mode to within
    rounding (``1e-9 * (1 + |forward|)``). Passing any of ``eps``, ``atol``,
    ``rtol`` gives torch's fixed mode instead: the plain central difference
    with step ``eps`` and ``|analytic - numeric| <= atol + rtol * |numeric|``,
    the others at torch's defaults (``eps=1e-6, atol=1e-5, rtol=1e-3``).

    Where the one-sided slopes differ (relu at 0), the verdict is "not
    differentiable here (left slope a, right slope b)", which fails only
    with ``kink_is_failure=True``, as in ``check``. ``check_forward_ad``
    (torch's name): None checks forward mode where it can replay every op
    (skipped, with a note, for an op of your own), True insists, False
    leaves it out.

    Returns True; raises ``GradcheckError`` (an AssertionError) whose message
    is the report (per input and method: analytic, numeric, estimated
    numeric error, verdict, and the wrong node), or returns False with
    ``raise_exception=False``. ``check`` returns the report itself.

    >>> gradcheck(lambda x: x.sin() * x, [0.3])
    True
    >>> gradcheck(lambda x: x ** 3, [1.0], eps=0.1, raise_exception=False)  # 3.01 vs 3
    False
    """
    xs = _check_inputs(inputs, "gradcheck")
    _check_tolerances(eps, atol, rtol, "gradcheck", optional=True)
    _check_callable(fn, len(xs), "gradcheck")
    if check_forward_ad not in (None, True, False):
        raise TypeError(
            f"gradcheck: check_forward_ad must be None, True or False, got {check_forward_ad!r}"
        )
    if not isinstance(kink_is_failure, bool):
        raise TypeError(f"gradcheck: kink_is_failure must be True or False, got {kink_is_failure!r}")
    if (eps, atol, rtol) != (None, None, None):  # torch's fixed mode, torch's defaults
        eps = TORCH_EPS if eps is None else eps
        atol = TORCH_ATOL if atol is None else atol
        rtol = TORCH_RTOL if rtol is None else rtol
    methods = ["rev"] if check_forward_ad is False else ["rev", "fwd"]
    report = compare(fn, xs, "gradcheck", methods, eps, atol, rtol, kink_is_failure,
                     forward_required=check_forward_ad is True)
    if report.passed:
        return True
    if raise_exception:
        raise GradcheckError(report)
    return False


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
    eps: Optional[float] = None,
    atol: Optional[float] = None,
    rtol: Optional[float] = None,
) -> bool:
    """``gradcheck``, and for ``order=2`` also ``gradgradcheck`` (like HIPS autograd).

    ``eps``, ``atol``, ``rtol`` go to both; left out, ``gradcheck`` uses its
    automatic step and tolerance, ``gradgradcheck`` torch's defaults.

    >>> check_grads(lambda x: x.tanh() / (1 + x * x), [0.7], order=2)
    True
    """
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"check_grads: order must be 1 or 2, got {order!r}")
    gradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol)
    if order == 2:
        gradgradcheck(
            fn, inputs,
            eps=TORCH_EPS if eps is None else eps,
            atol=TORCH_ATOL if atol is None else atol,
            rtol=TORCH_RTOL if rtol is None else rtol,
        )
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
    """Raise AssertionError with a table of (index, value, analytic, numeric) rows."""
    failed = [not _close(row[2], row[3], atol + rtol * abs(row[3]), False) for row in rows]
    if not any(failed):
        return
    lines = [
        f"{title} for {failed.count(True)} of {len(rows)} entries ({settings})",
        f"  {first_column:<7}{value_column:>12}{'analytic':>16}{'numeric':>16}{'abs error':>12}",
    ]
    for (index, x, a, n), bad in zip(rows, failed):
        mark = "  <-- FAILED" if bad else ""
        lines.append(
            f"  {index:<7}{_num(x):>12}{_num(a):>16}{_num(n):>16}{abs(a - n):>12.3g}{mark}"
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

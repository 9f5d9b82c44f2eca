"""``check``: forward mode, reverse mode and error-bounded finite differences, with kinks and the wrong node.

Three independent computations of every partial derivative ``df/dx_i``:

- reverse mode, both ways the engine has it: ``backward()`` (with its fast
  paths) and ``grad()`` (``engine.RULES`` only);
- forward mode by dual numbers (``testing.forward``), whose rules are written
  apart from ``RULES``;
- Ridders-extrapolated central differences (``testing.differences``), with an
  automatic step and an estimate of their own error.

Each analytic value must match the numeric one within a tolerance derived
from that estimate (or fixed ``atol``/``rtol``, if given). Where the one-sided
slopes differ, the verdict is "not differentiable here"; it fails only with
``kink_is_failure=True``. When something fails, every node's local rule is
checked alone (``testing.locate``), and the report names the wrong node.

>>> report = check(lambda x, y: (x * y).tanh() + x.exp(), [0.5, -1.5])
>>> bool(report), len(report.entries)  # 2 inputs x (backward, grad, forward)
(True, 6)
>>> check(lambda x: x.relu(), [0.0], raise_exception=False).entries[0].verdict
'not differentiable here (left slope 0.0, right slope 1.0)'
"""

from __future__ import annotations

from typing import Callable, List, Mapping, Optional, Sequence, Tuple

from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad
from micrograd_like.testing._checks import _call, _check_callable, _check_inputs, _check_positive
from micrograd_like.testing.classic import _analytic_grad, _backward_grad, _value_of
from micrograd_like.testing.differences import Derivative, FiniteDifferenceError, derivative
from micrograd_like.testing.forward import NoForwardRule, forward_grad
from micrograd_like.testing.locate import locate
from micrograd_like.testing.report import (
    CheckReport, Entry, GradcheckError, kink_verdict, tolerance_text,
)

__all__ = ["check"]

MODES = ("fwd", "rev")


def check(
    fn: Callable[..., Value],
    inputs: Sequence[float],
    *,
    modes: Sequence[str] = MODES,
    eps: Optional[float] = None,
    atol: Optional[float] = None,
    rtol: Optional[float] = None,
    kink_is_failure: bool = False,
    raise_exception: bool = True,
    forward: Optional[Mapping[str, Callable[..., float]]] = None,
) -> CheckReport:
    """Check ``fn``'s gradient by forward mode, reverse mode and finite differences.

    ``fn`` takes one Value per input and returns one Value; ``inputs`` are
    numbers. ``modes`` chooses the analytic methods: ``"rev"`` (backward()
    and grad()) and ``"fwd"`` (dual numbers), as in JAX's ``check_grads``.

    By default the step is automatic and an entry passes when
    ``|analytic - numeric| <= 10 * est. error + 1e-10 * (1 + |numeric|)``.
    ``eps`` fixes the step of a plain central difference (its error
    estimate then says how far it is from the extrapolated one); ``atol`` and
    ``rtol`` fix the tolerance, ``atol + rtol * |numeric|``, as in torch.

    ``forward`` gives the float function of an op you added yourself (a
    custom ``_backward`` closure, or a new entry in ``RULES``), called with
    the node's input values and constants, so that its node can be checked
    alone: ``forward={"cube": lambda a: a ** 3}``.

    Returns the ``CheckReport`` (True when it passed). A failure raises
    ``GradcheckError`` (an AssertionError) with the report as its message,
    unless ``raise_exception=False``, which returns the report instead.

    >>> bool(check(lambda x: x.sin() * x, [0.3], modes=("fwd",)))
    True
    """
    xs = _check_inputs(inputs, "check")
    _check_callable(fn, len(xs), "check")
    methods = _check_modes(modes)
    if eps is not None:
        _check_positive(eps, "eps", "check")
    for name, tol in (("atol", atol), ("rtol", rtol)):
        if tol is not None:
            _check_positive(tol, name, "check", allow_zero=True)
    _check_forward(forward)

    notes: List[str] = []
    # numeric first: a point on the edge of fn's domain gets the clearest message
    numeric = [_numeric(fn, xs, i, eps) for i in range(len(xs))]
    analytic = _analytic(fn, xs, methods, notes)
    entries = []
    for i, (d, value, err) in enumerate(numeric):
        for method, grads in analytic:
            entries.append(_entry(i, xs[i], method, grads[i], d, value, err,
                                  atol, rtol, kink_is_failure))
    report = CheckReport("check", entries, notes=notes, settings=tolerance_text(atol, rtol, eps))
    if not report.passed:
        _find_the_node(fn, xs, report, forward)
    if not report.passed and raise_exception:
        raise GradcheckError(report)
    return report


# --- the three computations -------------------------------------------------


def _analytic(
    fn: Callable[..., Value], xs: List[float], methods: List[str], notes: List[str]
) -> List[Tuple[str, List[float]]]:
    out = []
    if "rev" in methods:
        out.append(("backward()", _backward_grad(fn, xs, "check")))
        out.append(("grad()", _analytic_grad(fn, xs, "check")))
    if "fwd" in methods:
        try:
            out.append(("forward", forward_grad(fn, xs, "check")))
        except NoForwardRule as err:  # an op of the user's own
            notes.append(f"forward mode skipped: {str(err)[len('jvp: '):]}")
    return out


def _numeric(
    fn: Callable[..., Value], xs: List[float], i: int, eps: Optional[float]
) -> Tuple[Derivative, float, float]:
    """(Ridders' derivative, the numeric value used, its estimated error) for input i."""

    def along(t: float) -> float:
        point = list(xs)
        point[i] = t
        return _value_of(fn, point, "check")

    try:
        d = derivative(along, xs[i])
    except FiniteDifferenceError as err:  # (fn's own errors pass: they say what they are)
        text = str(err)
        if text.startswith("f cannot"):
            raise ValueError(f"check: input {i} ({xs[i]!r}): fn{text[1:]}") from None
        raise ValueError(
            f"check: fn is not finite (inf or nan) at the point given (input {i} is "
            f"{xs[i]!r}); check at a point where fn is finite"
        ) from None
    if eps is None:
        return d, d.value, d.error
    plain = (along(xs[i] + eps) - along(xs[i] - eps)) / (2.0 * eps)
    return d, plain, abs(plain - d.value) + d.error  # how far the fixed step is off


def _entry(
    i: int, x: float, method: str, analytic: float, d: Derivative, numeric: float,
    error: float, atol: Optional[float], rtol: Optional[float], kink_is_failure: bool,
) -> Entry:
    if atol is None and rtol is None:
        allowed = 10.0 * error + 1e-10 * (1.0 + abs(numeric))
    else:
        allowed = (atol or 0.0) + (rtol or 0.0) * abs(numeric)
    if d.kink:
        return Entry(str(i), x, method, analytic, numeric, error, allowed,
                     kink_verdict(d.left, d.right), kink_is_failure)
    ok = analytic == numeric or abs(analytic - numeric) <= allowed
    return Entry(str(i), x, method, analytic, numeric, error, allowed,
                 "ok" if ok else "FAILED", not ok)


def _find_the_node(
    fn: Callable[..., Value], xs: List[float], report: CheckReport,
    forward: Optional[Mapping[str, Callable[..., float]]],
) -> None:
    with enable_grad():
        out = _call(fn, [Value(x) for x in xs], "check")
    report.output = out
    wrong, unchecked = locate(out, forward)
    report.wrong_nodes.extend(wrong)
    if wrong:
        return
    failed = {e.method for e in report.failed_entries}
    if unchecked:
        ops = ", ".join(sorted({repr(v._op) for v in unchecked}))
        report.notes.append(
            f"every node agrees with its own finite difference except those that "
            f"could not be checked alone (op {ops}): the suspect; pass "
            f"forward={{op: function of its inputs}} to check it"
        )
    elif failed == {"backward()"}:
        report.notes.append(
            "only backward() disagrees and every rule agrees with its finite "
            "difference: the suspect is a fast path in engine._run_backward"
        )
    elif not all(e.verdict.startswith("not differentiable") for e in report.failed_entries):
        report.notes.append("no single node disagrees with its own finite difference")


# --- argument checks --------------------------------------------------------


def _check_modes(modes: object) -> List[str]:
    if isinstance(modes, str):
        modes = (modes,)
    if not isinstance(modes, Sequence) or not modes or any(m not in MODES for m in modes):
        raise ValueError(
            f"check: modes must be a non-empty list of 'fwd' and 'rev', got {modes!r}"
        )
    return list(modes)


def _check_forward(forward: object) -> None:
    if forward is None:
        return
    if not isinstance(forward, Mapping) or not all(
        isinstance(k, str) and callable(f) for k, f in forward.items()
    ):
        raise TypeError(
            f"check: forward must map op names to functions of the node's inputs, "
            f"e.g. {{'cube': lambda a: a ** 3}}; got {forward!r}"
        )

"""``check``: forward mode, reverse mode and error-bounded finite differences, with kinks and the wrong node.

Three independent computations of every partial derivative ``df/dx_i``:

- reverse mode, both ways the engine has it: ``backward()`` (with its fast
  paths) and ``grad()`` (``engine.RULES`` only);
- forward mode by dual numbers (``testing.forward``), whose rules are written
  apart from ``RULES``;
- Ridders-extrapolated central differences (``testing.differences``), with an
  automatic step and an estimate of their own error.

Each analytic value must match the numeric one within a tolerance derived
from that estimate (or fixed ``atol``/``rtol``, if given), and reverse mode
must match forward mode to within rounding, wherever forward mode matches
the differences: that catches a wrong rule even where the differences are
loose. ``gradcheck`` runs the same comparison. Where the one-sided
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

from dataclasses import replace
from typing import Callable, List, Mapping, Optional, Sequence, Tuple

from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad
from micrograd_like.testing._checks import _call, _check_callable, _check_inputs, _check_tolerances
from micrograd_like.testing._grads import (
    _analytic_grad, _backward_grad, _central_difference, _value_of,
)
from micrograd_like.testing.differences import Derivative, FiniteDifferenceError, derivative
from micrograd_like.testing.forward import NoForwardRule, forward_grad
from micrograd_like.testing.locate import locate
from micrograd_like.testing.report import (
    CheckReport, Entry, GradcheckError, _num, kink_verdict, tolerance_text,
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
    ``|analytic - numeric| <= 10 * est. error + 1e-10 * (1 + |numeric|)``;
    a reverse-mode entry must also match forward mode, to
    ``1e-9 * (1 + |forward|)``.
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
    _check_tolerances(eps, atol, rtol, "check", optional=True)
    _check_forward(forward)

    report = compare(fn, xs, "check", methods, eps, atol, rtol, kink_is_failure, forward)
    if not report.passed and raise_exception:
        raise GradcheckError(report)
    return report


def compare(
    fn: Callable[..., Value], xs: List[float], where: str, methods: List[str],
    eps: Optional[float], atol: Optional[float], rtol: Optional[float],
    kink_is_failure: bool, forward: Optional[Mapping[str, Callable[..., float]]] = None,
    forward_required: bool = False,
) -> CheckReport:
    """The rows of ``check`` (and ``gradcheck``) for checked arguments, and the wrong node.

    ``forward_required`` makes an op that forward mode cannot replay an
    error instead of a note (``gradcheck(check_forward_ad=True)``).
    """
    notes: List[str] = []
    # numeric first: a point on the edge of fn's domain gets the clearest message
    numeric = [_numeric(fn, xs, i, eps, where) for i in range(len(xs))]
    analytic = _analytic(fn, xs, methods, notes, where, forward_required)
    fwd = dict(analytic).get("forward")
    entries = []
    for i, (d, value, err) in enumerate(numeric):
        rows = [_entry(i, xs[i], method, grads[i], d, value, err, atol, rtol, kink_is_failure)
                for method, grads in analytic]
        entries.extend(_against_forward(rows, None if fwd is None else fwd[i]))
    report = CheckReport(where, entries, notes=notes, settings=tolerance_text(atol, rtol, eps))
    if not report.passed:
        _find_the_node(fn, xs, report, forward, where)
    return report


# --- the three computations -------------------------------------------------


def _analytic(
    fn: Callable[..., Value], xs: List[float], methods: List[str], notes: List[str],
    where: str, forward_required: bool,
) -> List[Tuple[str, List[float]]]:
    out = []
    if "rev" in methods:
        out.append(("backward()", _backward_grad(fn, xs, where)))
        out.append(("grad()", _analytic_grad(fn, xs, where)))
    if "fwd" in methods:
        try:
            out.append(("forward", forward_grad(fn, xs, where)))
        except NoForwardRule as err:  # an op of the user's own
            reason = str(err)[len("jvp: "):].split("; build it")[0]
            if forward_required:
                raise ValueError(
                    f"{where}: check_forward_ad=True, but {reason}; build it from "
                    "Value's own operations, or pass check_forward_ad=False"
                ) from None
            notes.append(f"forward mode skipped: {str(err)[len('jvp: '):]}")
    return out


def _numeric(
    fn: Callable[..., Value], xs: List[float], i: int, eps: Optional[float], where: str
) -> Tuple[Derivative, float, float]:
    """(Ridders' derivative, the numeric value used, its estimated error) for input i."""

    def along(t: float) -> float:
        point = list(xs)
        point[i] = t
        return _value_of(fn, point, where)

    try:
        d = derivative(along, xs[i])
    except FiniteDifferenceError as err:  # (fn's own errors pass: they say what they are)
        text = str(err)
        if text.startswith("f cannot"):
            raise ValueError(f"{where}: input {i} ({xs[i]!r}): fn{text[1:]}") from None
        raise ValueError(
            f"{where}: fn is not finite (inf or nan) at the point given (input {i} is "
            f"{xs[i]!r}); check at a point where fn is finite"
        ) from None
    if eps is None:
        return d, d.value, d.error
    # torch's plain central difference, and how far it is from the extrapolated one
    plain = _central_difference(lambda p: _value_of(fn, p, where), xs, i, eps)
    return d, plain, abs(plain - d.value) + d.error


# --- the verdicts -------------------------------------------------------------

# Forward and reverse mode are both exact up to rounding, so they must agree
# far more closely than either agrees with a finite difference. Measured on
# every op (tests/test_engine_torch.py) and on 200 random programs: at most
# about 1e-15 of 1 + |derivative|; 1e-9 leaves a wide margin for longer
# chains and cancellation, and still sees a rule off by a part in a billion.
FORWARD_VS_REVERSE = 1e-9


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


def _against_forward(rows: List[Entry], fwd: Optional[float]) -> List[Entry]:
    """The rows of one input, each reverse-mode row also held to forward mode.

    Forward mode is the reference only where it agrees with the differences
    itself (its row passed); then a reverse row that passed the differences
    but not forward mode fails, with forward's value in the verdict.
    """
    forward_row = next((e for e in rows if e.method == "forward"), None)
    if fwd is None or forward_row is None or forward_row.verdict != "ok":
        return rows
    allowed = FORWARD_VS_REVERSE * (1.0 + abs(fwd))
    out = []
    for e in rows:
        if e.verdict == "ok" and e.method != "forward" and not (
                e.analytic == fwd or abs(e.analytic - fwd) <= allowed):
            e = replace(e, verdict=f"FAILED (forward mode gives {_num(fwd)})", failed=True)
        out.append(e)
    return out


def _find_the_node(
    fn: Callable[..., Value], xs: List[float], report: CheckReport,
    forward: Optional[Mapping[str, Callable[..., float]]], where: str,
) -> None:
    with enable_grad():
        out = _call(fn, [Value(x) for x in xs], where)
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

"""Loss functions and weight penalties, defined as in ``torch.nn.functional``.

Every loss takes the model's output first and the targets second, and
averages over the elements (``reduction="mean"``); ``"sum"`` adds them up and
``"none"`` returns the list of per-element losses. Values *and* gradients
match PyTorch, including its clamping at the extremes.

>>> from micrograd_like import Value
>>> pred = [Value(2.0), Value(0.0)]
>>> loss = mse_loss(pred, [1.0, 1.0])
>>> loss.backward()
>>> loss.data, pred[0].grad, pred[1].grad
(1.0, 1.0, -1.0)
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from micrograd_like.engine import Value
from micrograd_like.fused import dot
from micrograd_like.fused import sum as value_sum
from micrograd_like.functional import _log1p, _shifted, _values, logsigmoid

__all__ = [
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
    "hinge_loss",
    "l1_penalty",
    "l2_penalty",
]

Scalar = Union[Value, int, float]
Scalars = Union[Scalar, Sequence[Scalar]]
Loss = Union[Value, List[Value]]  # a list only for reduction="none"


# --- shared plumbing -----------------------------------------------------------


def _is_scalar(x: object) -> bool:
    return isinstance(x, (Value, Real))


_COMMON = {Value, float, int}  # the types nearly every element has


def _as_list(xs: object, fn: str, name: str) -> list:
    if isinstance(xs, str) or not hasattr(xs, "__iter__"):
        raise TypeError(
            f"{fn}: {name} must be a Value, a number or a list of them, got "
            f"{type(xs).__name__} {xs!r}"
        )
    xs = list(xs)
    for i, x in enumerate(xs):
        if type(x) not in _COMMON and not isinstance(x, (Value, Real)):  # (fast check first)
            raise TypeError(
                f"{fn}: {name}[{i}]: expected a Value or a real number, got "
                f"{type(x).__name__} {x!r}"
            )
    return xs


def _pairs(
    preds: Scalars, targets: Scalars, fn: str, pname: str, tname: str = "targets"
) -> Tuple[List[Scalar], List[Scalar], bool]:
    """Line predictions up with targets. The flag is True for one scalar pair."""
    if _is_scalar(preds) and _is_scalar(targets):
        return [preds], [targets], True
    if _is_scalar(preds) or _is_scalar(targets):
        one, many = (pname, tname) if _is_scalar(preds) else (tname, pname)
        raise ValueError(
            f"{fn}: {one} is a single value but {many} is a list; pass both "
            "as lists of the same length, or both as single values"
        )
    ps = _as_list(preds, fn, pname)
    ts = _as_list(targets, fn, tname)
    if len(ps) != len(ts):
        raise ValueError(
            f"{fn}: {pname} has {len(ps)} elements but {tname} has {len(ts)}; "
            "they must have the same length"
        )
    if not ps:
        raise ValueError(f"{fn}: {pname} and {tname} are empty; pass at least one element")
    return ps, ts, False


def _check_reduction(reduction: str, fn: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(
            f"{fn}: reduction={reduction!r} is not supported; "
            "use 'mean' (the default), 'sum' or 'none'"
        )


def _reduce(losses: List[Value], reduction: str, single: bool) -> Loss:
    if reduction == "none":
        return losses[0] if single else losses
    total = value_sum(losses)  # one fused node however many elements
    return total if reduction == "sum" else total / len(losses)


def _data(x: Scalar) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _check_unit_interval(xs: List[Scalar], fn: str, name: str, single: bool) -> None:
    for i, x in enumerate(xs):
        d = _data(x)
        if not 0.0 <= d <= 1.0:  # also rejects NaN
            where = name if single else f"{name}[{i}]"
            raise ValueError(
                f"{fn}: {where} = {d!r} is not in [0, 1]; {name} must be "
                "probabilities" + (
                    " (for raw scores use binary_cross_entropy_with_logits)"
                    if name == "probs" else ""
                )
            )


# --- regression ----------------------------------------------------------------


def mse_loss(preds: Scalars, targets: Scalars, reduction: str = "mean") -> Loss:
    """Mean squared error: mean((pred - target) ** 2).

    >>> mse_loss(Value(3.0), 1.0).data
    4.0
    """
    _check_reduction(reduction, "mse_loss")
    ps, ts, single = _pairs(preds, targets, "mse_loss", "preds")
    return _reduce([(_lift(p) - t) ** 2 for p, t in zip(ps, ts)], reduction, single)


def l1_loss(preds: Scalars, targets: Scalars, reduction: str = "mean") -> Loss:
    """Mean absolute error: mean(|pred - target|).

    >>> l1_loss([Value(3.0), Value(0.0)], [1.0, 1.0]).data
    1.5
    """
    _check_reduction(reduction, "l1_loss")
    ps, ts, single = _pairs(preds, targets, "l1_loss", "preds")
    return _reduce([abs(_lift(p) - t) for p, t in zip(ps, ts)], reduction, single)


def _check_width(x: object, fn: str, name: str, allow_zero: bool) -> float:
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{fn}: {name} must be a number, got {type(x).__name__} {x!r}")
    if not (x >= 0.0 if allow_zero else x > 0.0) or x == math.inf:
        raise ValueError(
            f"{fn}: {name}={x!r} must be a finite number {'>= 0' if allow_zero else '> 0'}"
        )
    return float(x)


def huber_loss(preds: Scalars, targets: Scalars, reduction: str = "mean", delta: float = 1.0) -> Loss:
    """Squared error near the target, absolute error far away (``torch.nn.functional.huber_loss``).

    0.5 d² where |d| < delta, else delta (|d| - 0.5 delta), for d = pred - target.

    >>> huber_loss([Value(0.5), Value(3.0)], [0.0, 0.0], reduction="none")[1].data
    2.5
    """
    fn = "huber_loss"
    _check_reduction(reduction, fn)
    delta = _check_width(delta, fn, "delta", allow_zero=False)
    ps, ts, single = _pairs(preds, targets, fn, "preds")
    return _reduce(_quadratic_near(ps, ts, delta, per_width=False), reduction, single)


def smooth_l1_loss(preds: Scalars, targets: Scalars, reduction: str = "mean", beta: float = 1.0) -> Loss:
    """``torch.nn.functional.smooth_l1_loss``: huber_loss(delta=beta) / beta; beta=0 is l1_loss.

    0.5 d² / beta where |d| < beta, else |d| - 0.5 beta.

    >>> smooth_l1_loss(Value(0.5), 0.0).data
    0.125
    """
    fn = "smooth_l1_loss"
    _check_reduction(reduction, fn)
    beta = _check_width(beta, fn, "beta", allow_zero=True)
    ps, ts, single = _pairs(preds, targets, fn, "preds")
    return _reduce(_quadratic_near(ps, ts, beta, per_width=True), reduction, single)


def _quadratic_near(ps: List[Scalar], ts: List[Scalar], width: float, per_width: bool) -> List[Value]:
    # Huber: 0.5 d² inside |d| < width, width (|d| - width / 2) outside; smooth L1
    # is the same divided by width (written out, so the floats are torch's).
    out = []
    for p, t in zip(ps, ts):
        d = _lift(p) - t
        if abs(d.data) < width:
            out.append(0.5 * d * d / width if per_width else 0.5 * d * d)
        else:
            out.append(abs(d) - 0.5 * width if per_width else width * (abs(d) - 0.5 * width))
    return out


def _lift(x: Scalar) -> Value:
    # A loss always returns Values, even when every input is a plain number.
    return x if isinstance(x, Value) else Value(x)


# --- binary classification -----------------------------------------------------

# PyTorch (aten/src/ATen/native/Loss.cpp) clamps each log at -100, so a
# probability of exactly 0 or 1 costs at most 100 instead of infinity, and
# divides the gradient by max(p * (1 - p), EPSILON) instead of by p * (1 - p).
# Its EPSILON is 1e-12 stored as a C float, i.e. rounded to single precision.
_LOG_FLOOR = -100.0
_GRAD_EPS = 9.999999960041972e-13  # float32(1e-12)


def _bce(p: Value, t: Scalar) -> Value:
    pd, td = p.data, _data(t)
    if (1.0 - pd) * pd >= _GRAD_EPS:
        # The textbook formula, with torch's log1p(-p) for log(1 - p) (exact for
        # a tiny p). Autograd's gradient -t/p + (1-t)/(1-p) equals torch's
        # (p - t) / (p (1 - p)), and second derivatives work too.
        return -(t * p.log() + (1 - t) * _log1p(-p))
    # p is within about 1e-12 of 0 or 1: log(p) may be -inf, and torch's
    # value and gradient are no longer derivative and antiderivative. So we
    # build what a custom autograd function would: a constant holding torch's
    # value, plus terms that are exactly 0 but carry torch's gradient to p
    # (and to t). Their second derivative is 0 here, where torch's is ~1e24.
    log_p = max(math.log(pd), _LOG_FLOOR) if pd > 0.0 else _LOG_FLOOR
    log_q = max(math.log1p(-pd), _LOG_FLOOR) if pd < 1.0 else _LOG_FLOOR
    out = Value((td - 1.0) * log_q - td * log_p)
    out = out + (pd - td) / max((1.0 - pd) * pd, _GRAD_EPS) * (p - pd)
    if isinstance(t, Value):
        # torch's d/dt is log(1-p) - log(p) without clamps: +-inf at p == 0
        # or 1. There we use the clamped logs so that the loss stays finite.
        dt = (math.log1p(-pd) if pd < 1.0 else log_q) - (math.log(pd) if pd > 0.0 else log_p)
        out = out + dt * (t - td)
    return out


def binary_cross_entropy(probs: Scalars, targets: Scalars, reduction: str = "mean") -> Loss:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1].

    Each log is clamped at -100, as in PyTorch, so p = 0 or 1 gives a
    finite loss (at most 100 per element) and a finite gradient.
    Prefer ``binary_cross_entropy_with_logits`` on raw scores: it is exact.

    >>> round(binary_cross_entropy([Value(0.8)], [1.0]).data, 6)
    0.223144
    """
    fn = "binary_cross_entropy"
    _check_reduction(reduction, fn)
    ps, ts, single = _pairs(probs, targets, fn, "probs")
    _check_unit_interval(ps, fn, "probs", single)
    _check_unit_interval(ts, fn, "targets", single)
    return _reduce([_bce(_lift(p), t) for p, t in zip(ps, ts)], reduction, single)


def binary_cross_entropy_with_logits(
    logits: Scalars,
    targets: Scalars,
    reduction: str = "mean",
    pos_weight: Optional[Union[float, Sequence[float]]] = None,
) -> Loss:
    """binary_cross_entropy(sigmoid(x), t), computed stably from the logit x.

    Written as torch does, (1 - t) x - log(sigmoid(x)), with a log-sigmoid
    that never overflows, so logits of +-1000 are fine. The gradient is
    sigmoid(x) - t. ``pos_weight`` (a number, or one per element) multiplies
    the loss of the positive class, as in torch: w = 1 + (pos_weight - 1) t.

    >>> binary_cross_entropy_with_logits(Value(0.0), 1.0).data == math.log(2.0)
    True
    """
    fn = "binary_cross_entropy_with_logits"
    _check_reduction(reduction, fn)
    xs, ts, single = _pairs(logits, targets, fn, "logits")
    _check_unit_interval(ts, fn, "targets", single)
    if pos_weight is None:
        weights: List[Optional[float]] = [None] * len(xs)
    elif isinstance(pos_weight, Real) and not isinstance(pos_weight, bool):
        weights = [float(pos_weight)] * len(xs)
    elif not single and hasattr(pos_weight, "__iter__") and not isinstance(pos_weight, str):
        weights = [_weight(w, fn, i) for i, w in enumerate(pos_weight)]
        if len(weights) != len(xs):
            raise ValueError(
                f"{fn}: pos_weight has {len(weights)} elements but logits has "
                f"{len(xs)}; give one weight per element, or a single number"
            )
    else:
        raise TypeError(
            f"{fn}: pos_weight must be a number or a list of numbers, got "
            f"{type(pos_weight).__name__} {pos_weight!r}"
        )
    losses = []
    for x, t, pw in zip(xs, ts, weights):
        x = _lift(x)
        log_p = logsigmoid(x)  # log(sigmoid(x)): the log-probability of class 1
        if pw is not None:
            log_p = (1.0 + (pw - 1.0) * t) * log_p
        losses.append((1 - t) * x - log_p)
    return _reduce(losses, reduction, single)


def _weight(w: object, fn: str, i: int) -> float:
    if isinstance(w, bool) or not isinstance(w, Real):
        raise TypeError(f"{fn}: pos_weight[{i}] must be a number, got {w!r}")
    return float(w)


# --- multi-class classification ------------------------------------------------


def _class_index(c: object, where: str, n_classes: int, fn: str = "cross_entropy") -> int:
    if isinstance(c, bool) or not isinstance(c, Integral):
        raise TypeError(
            f"{fn}: {where} must be an int class index, got "
            f"{type(c).__name__} {c!r}; convert labels with int(...)"
        )
    if not 0 <= c < n_classes:
        raise ValueError(
            f"{fn}: {where} = {c!r} is not a class index for "
            f"{n_classes} classes; use 0 to {n_classes - 1}"
        )
    return int(c)


def _rows(scores: object, target: object, fn: str, what: str) -> Tuple[list, list, list, bool]:
    """One row of class scores with an int target, or rows with a list of ints, checked.

    Returns (rows, targets, the targets' names for messages, single row?).
    ``what`` is the argument's name in messages ("logits", "log_probs").
    """
    if isinstance(scores, str) or not hasattr(scores, "__iter__"):
        raise TypeError(
            f"{fn}: {what} must be a list of scores (one row) or a list of rows, "
            f"got {type(scores).__name__} {scores!r}"
        )
    scores = list(scores)
    if not scores:
        raise ValueError(f"{fn}: {what} is empty; pass at least one row of class scores")
    single = _is_scalar(scores[0])
    if single:
        rows, names, targets = [_as_list(scores, fn, what)], ["target"], [target]
    else:
        rows = [_as_list(r, fn, f"{what}[{i}]") for i, r in enumerate(scores)]
        if isinstance(target, str) or not hasattr(target, "__iter__"):
            raise TypeError(
                f"{fn}: {what} has {len(rows)} rows, so target must be a list of "
                f"{len(rows)} class indices, got {type(target).__name__} {target!r}"
            )
        targets = list(target)
        if len(targets) != len(rows):
            raise ValueError(
                f"{fn}: {what} has {len(rows)} rows but target has "
                f"{len(targets)} class indices; they must have the same length"
            )
        names = [f"target[{i}]" for i in range(len(rows))]
    n_classes = len(rows[0])
    for i, row in enumerate(rows):
        where = what if single else f"{what}[{i}]"
        if not row:
            raise ValueError(f"{fn}: {where} is empty; each row needs one score per class")
        if len(row) != n_classes:
            raise ValueError(
                f"{fn}: {what}[{i}] has {len(row)} scores but {what}[0] has "
                f"{n_classes}; every row needs one score per class"
            )
    return rows, targets, names, single


def cross_entropy(
    logits: Union[Sequence[Scalar], Sequence[Sequence[Scalar]]],
    target: Union[int, Sequence[int]],
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Loss:
    """-log_softmax(logits)[target]: the classification loss on raw scores.

    ``logits`` is one row of class scores with an int ``target``, or a list
    of rows with a list of ints (the loss is then averaged over rows). With
    ``label_smoothing`` e, the target is the distribution (1 - e) one_hot +
    e / n_classes, as in torch.

    >>> round(cross_entropy([Value(2.0), Value(0.0)], 0).data, 6)
    0.126928
    >>> cross_entropy([[0.0, 0.0], [1000.0, -1000.0]], [1, 0]).data == math.log(2) / 2
    True
    """
    fn = "cross_entropy"
    _check_reduction(reduction, fn)
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, Real):
        raise TypeError(f"{fn}: label_smoothing must be a number, got {label_smoothing!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            f"{fn}: label_smoothing={label_smoothing!r} must be between 0.0 and 1.0"
        )
    rows, targets, names, single = _rows(logits, target, fn, "logits")
    eps = float(label_smoothing)
    losses = []
    n_classes = len(rows[0])
    for row, c, name in zip(rows, targets, names):
        c = _class_index(c, name, n_classes, fn)
        # torch's -log_softmax: log(sum exp(x - m)) - (x_c - m), with m = max(x).
        # Not (m + log(sum ...)) - x_c: m + a tiny log would round away the
        # digits of a confident prediction's loss (1.87e-13 at [30, 0, 0]).
        _, shifted = _shifted(_values(row, fn), fn)
        log_total = value_sum([s.exp() for s in shifted]).log()
        if eps == 0.0:
            losses.append(log_total - shifted[c])
        else:
            # sum_k q_k * -log_softmax_k = log_total - q . shifted, since sum q = 1
            q = [eps / n_classes + (1.0 - eps) * (k == c) for k in range(n_classes)]
            losses.append(log_total - dot(q, shifted))
    return _reduce(losses, reduction, single)


def nll_loss(
    log_probs: Union[Sequence[Scalar], Sequence[Sequence[Scalar]]],
    target: Union[int, Sequence[int]],
    reduction: str = "mean",
) -> Loss:
    """-log_probs[target]: the negative log-likelihood, as ``torch.nn.functional.nll_loss``.

    ``log_probs`` are log-probabilities (e.g. from ``log_softmax``): one row
    with an int ``target``, or rows with a list of ints. ``nll_loss(
    log_softmax(logits), t)`` is ``cross_entropy(logits, t)``.

    >>> nll_loss([Value(-0.5), Value(-1.5)], 1).data
    1.5
    """
    fn = "nll_loss"
    _check_reduction(reduction, fn)
    rows, targets, names, single = _rows(log_probs, target, fn, "log_probs")
    n_classes = len(rows[0])
    losses = [-_lift(row[_class_index(c, name, n_classes, fn)])
              for row, c, name in zip(rows, targets, names)]
    return _reduce(losses, reduction, single)


def hinge_loss(scores: Scalars, targets: Scalars, reduction: str = "mean") -> Loss:
    """The SVM max-margin loss of micrograd's demo: mean(relu(1 - y * s)).

    Targets are the labels -1 and +1; ``scores`` are raw (unsquashed)
    outputs. Equals ``torch.relu(1 - y * s).mean()`` and sklearn's
    ``hinge_loss(y, s)``.

    >>> hinge_loss([Value(0.5), Value(-2.0)], [1, -1]).data
    0.25
    """
    fn = "hinge_loss"
    _check_reduction(reduction, fn)
    ss, ys, single = _pairs(scores, targets, fn, "scores")
    for i, y in enumerate(ys):
        if isinstance(y, bool) or _data(y) not in (-1.0, 1.0):
            where = "targets" if single else f"targets[{i}]"
            raise ValueError(
                f"{fn}: {where} = {y!r} is not a label -1 or +1; "
                "map 0/1 labels with y = 2 * label - 1"
            )
    return _reduce([(1 - y * _lift(s)).relu() for s, y in zip(ss, ys)], reduction, single)


# --- weight penalties ----------------------------------------------------------


def _params(params: Iterable[Value], fn: str) -> List[Scalar]:
    if hasattr(params, "parameters") and callable(params.parameters):
        raise TypeError(
            f"{fn}: got a model ({type(params).__name__}); pass its parameters: "
            f"{fn}(model.parameters())"
        )
    return _as_list(params, fn, "params")


def l1_penalty(params: Iterable[Value]) -> Value:
    """sum(|p|): added to a loss (times a small alpha) it pushes weights to 0.

    >>> l1_penalty([Value(-2.0), Value(3.0)]).data
    5.0
    """
    ps = _params(params, "l1_penalty")
    return value_sum([abs(_lift(p)) for p in ps]) if ps else Value(0.0)


def l2_penalty(params: Iterable[Value]) -> Value:
    """sum(p * p), one fused node: micrograd's demo adds ``alpha * l2_penalty``.

    Its gradient is 2 p, so ``alpha * l2_penalty`` equals PyTorch's
    ``weight_decay = 2 * alpha`` (torch adds wd * p to each gradient).

    >>> l2_penalty([Value(-2.0), Value(3.0)]).data
    13.0
    """
    ps = _params(params, "l2_penalty")
    return dot(ps, ps) if ps else Value(0.0)

"""Classification metrics: accuracy, the confusion matrix, precision, recall, F-scores."""

from __future__ import annotations

import math
import numbers
import sys
import warnings
from collections import Counter
from typing import Any, List, Optional, Sequence, Tuple, Union

from micrograd_like._validation import _check_bool
from micrograd_like.metrics._base import (
    UndefinedMetricWarning, Label, Score, _check_label, _as_list, _check_targets, _check_weights,
    _weight_total,
)

Weights = Optional[Sequence[float]]


# --- accuracy and the confusion matrix ---------------------------------------


def accuracy_score(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    normalize: bool = True,
    sample_weight: Weights = None,
) -> float:
    """Fraction of samples whose predicted label equals the true one.

    With ``normalize=False``: the number of correct samples (as a float, like
    scikit-learn). ``sample_weight`` (one number per sample) counts each
    sample that many times: the weighted fraction, or with
    ``normalize=False`` the sum of the weights of the correct samples.

    >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0], sample_weight=[1, 1, 2, 0])
    0.5
    """
    fn = "accuracy_score"
    y_true, y_pred, _ = _check_targets(y_true, y_pred, fn)
    normalize = _check_bool(normalize, "normalize", fn)
    weights = _check_weights(sample_weight, len(y_true), fn)
    if weights is None:
        correct = sum(1 for t, p in zip(y_true, y_pred) if t == p)
        return correct / len(y_true) if normalize else float(correct)
    correct = math.fsum(w for t, p, w in zip(y_true, y_pred, weights) if t == p)
    return correct / _weight_total(weights, fn) if normalize else float(correct)


def confusion_matrix(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    sample_weight: Weights = None,
    normalize: Optional[str] = None,
) -> List[List[Union[int, float]]]:
    """Counts ``C[i][j]`` of samples with true label ``labels[i]`` predicted as ``labels[j]``.

    Rows are true labels, columns predicted labels (scikit-learn's
    orientation); ``labels`` picks and orders them (default: every label
    seen, sorted). Samples whose labels are not in ``labels`` are left out.
    ``normalize="true"`` divides each row by its sum, ``"pred"`` each
    column, ``"all"`` everything by the total (an empty row or column
    stays 0). ``sample_weight`` adds each sample's weight instead of 1; as
    in scikit-learn the counts stay ints when every weight is an int, and
    are floats otherwise.

    >>> confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1])
    [[1, 0], [1, 2]]
    >>> confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1], sample_weight=[1.0, 0.5, 2.0, 1.0])
    [[1.0, 0.0], [2.0, 1.5]]
    """
    fn = "confusion_matrix"
    y_true, y_pred, present = _check_targets(y_true, y_pred, fn)
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(
            f"{fn}: normalize must be None, 'true', 'pred' or 'all', got {normalize!r}"
        )
    if labels is None:
        labels = present
    else:
        labels = [
            _check_label(v, f"{fn}: labels[{i}]")
            for i, v in enumerate(_as_list(labels, "labels", fn))
        ]
        if not labels:
            raise ValueError(f"{fn}: labels is empty; give at least one label, or None for all")
        if not set(labels) & set(y_true):
            raise ValueError(f"{fn}: none of labels={labels} occurs in y_true; at least one must")
    weights = _check_weights(sample_weight, len(y_true), fn)
    if weights is None:
        weights = [1] * len(y_true)
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    # numpy's rule: int weights give int counts, any float weight float counts.
    zero = 0 if all(isinstance(w, int) for w in weights) else 0.0
    cm: List[List[Any]] = [[zero] * k for _ in range(k)]
    for t, p, w in zip(y_true, y_pred, weights):
        if t in index and p in index:
            cm[index[t]][index[p]] += w
    if k == 1:
        warnings.warn(
            f"{fn}: a single label was found in y_true and y_pred; pass labels=[...] "
            "with all known labels to get the full matrix",
            UserWarning,
            stacklevel=2,
        )
    if normalize == "true":
        sums = [sum(row) for row in cm]
        cm = [[_ratio(c, s) for c in row] for row, s in zip(cm, sums)]
    elif normalize == "pred":
        sums = [sum(col) for col in zip(*cm)]
        cm = [[_ratio(c, s) for c, s in zip(row, sums)] for row in cm]
    elif normalize == "all":
        total = sum(map(sum, cm))
        cm = [[_ratio(c, total) for c in row] for row in cm]
    return cm


def _ratio(c: float, s: float) -> float:
    """c / s as numpy's divide then nan_to_num: 0 / 0 is 0, c / 0 the largest float of c's sign."""
    if s:
        return c / s
    # A zero sum with a non-zero count needs negative weights.
    return 0.0 if c == 0 else math.copysign(sys.float_info.max, c)


# --- precision, recall, F-score ----------------------------------------------


_AVERAGES = ("binary", "micro", "macro", "weighted", None)


def _zero_division_value(zero_division: Any, fn: str) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, numbers.Real) and not isinstance(zero_division, bool):
        if zero_division in (0, 1):
            return float(zero_division)
        if math.isnan(zero_division):
            return math.nan
    raise ValueError(
        f"{fn}: zero_division must be 'warn', 0, 1 or float('nan'), got {zero_division!r}"
    )


def _divide(
    num: List[float], den: List[int], metric: str, modifier: str, zero_value: float, warn: bool
) -> List[float]:
    """num / den elementwise; 0 / 0 becomes ``zero_value`` (and warns if asked)."""
    out = [n / d if d else zero_value for n, d in zip(num, den)]
    if warn and not all(den):
        where = "due to" if len(den) == 1 else "in labels with"
        warnings.warn(
            f"{metric} is ill-defined and being set to 0.0 {where} no {modifier} samples. "
            "Use `zero_division` parameter to control this behavior.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
    return out


def _mean(values: List[float], weights: Optional[List[int]] = None) -> float:
    """Average that skips nan (a class set to nan by zero_division), as scikit-learn."""
    pairs = [
        (v, 1 if weights is None else w)
        for v, w in zip(values, weights if weights is not None else values)
        if not math.isnan(v)
    ]
    if not pairs:
        return math.nan
    total = math.fsum(w for _, w in pairs)
    if total == 0:  # every weight 0 (no true samples): plain mean instead
        return math.fsum(v for v, _ in pairs) / len(pairs)
    return math.fsum(v * w for v, w in pairs) / total


def _counts(
    y_true: list, y_pred: list, weights: Optional[list], labels: list
) -> Tuple[list, list, list]:
    """True positives, predictions and true samples of each label: counts, or sums of weights."""
    if weights is None:
        weights = [1] * len(y_true)
        tp: Counter = Counter()
        pred: Counter = Counter()
        true: Counter = Counter()
    else:  # numpy's bincount with weights counts in floats, a missing label too
        tp, pred, true = Counter({v: 0.0 for v in labels}), Counter(), Counter()
        pred.update(tp)
        true.update(tp)
    for t, p, w in zip(y_true, y_pred, weights):
        if t == p:
            tp[t] += w
        pred[p] += w
        true[t] += w
    tps = [tp[v] for v in labels]
    # scikit-learn adds TP to FP = pred - TP (and FN = true - TP): the same
    # sums, rounded as there, so weighted supports print the same digits.
    return (tps, [t + (pred[v] - t) for t, v in zip(tps, labels)],
            [t + (true[v] - t) for t, v in zip(tps, labels)])


def precision_recall_fscore_support(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    beta: float = 1.0,
    labels: Optional[Sequence[Label]] = None,
    pos_label: Optional[Label] = 1,
    average: Optional[str] = None,
    warn_for: Tuple[str, ...] = ("precision", "recall", "f-score"),
    sample_weight: Weights = None,
    zero_division: Union[str, float] = "warn",
) -> Tuple[Score, Score, Score, Optional[List[float]]]:
    """Precision, recall, F-beta score and support (true count) per class, or averaged.

    For one class: precision = TP / (TP + FP), recall = TP / (TP + FN),
    F-beta = (1 + beta^2) TP / ((1 + beta^2) TP + beta^2 FN + FP).

    ``average``:

    - ``"binary"``: only the class ``pos_label`` (labels must be two kinds at most);
    - ``"micro"``: count TP, FP, FN over all classes together, then divide;
    - ``"macro"``: the plain mean of the per-class scores;
    - ``"weighted"``: the mean weighted by each class's support;
    - ``None``: lists, one entry per label in ``labels`` (default: all seen,
      sorted), and the supports as the fourth item (``None`` otherwise).

    ``sample_weight`` (one number per sample) weights every count: TP, FP,
    FN and the supports become sums of weights (floats), as in scikit-learn.

    >>> precision_recall_fscore_support([0, 1, 1, 2], [0, 1, 2, 2], average=None)
    ([1.0, 1.0, 0.5], [1.0, 0.5, 1.0], [1.0, 0.6666666666666666, 0.6666666666666666], [1, 2, 1])
    """
    return _scores(
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=warn_for,
        sample_weight=sample_weight,
        zero_division=zero_division,
        fn="precision_recall_fscore_support",
    )


def _scores(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    beta: float = 1.0,
    labels: Optional[Sequence[Label]] = None,
    pos_label: Optional[Label] = 1,
    average: Optional[str] = None,
    warn_for: Tuple[str, ...] = ("precision", "recall", "f-score"),
    sample_weight: Weights = None,
    zero_division: Union[str, float] = "warn",
    fn: str,
) -> Tuple[Score, Score, Score, Optional[List[float]]]:
    """The work of precision_recall_fscore_support; ``fn`` is the public
    function the user called, so that error messages name it."""
    y_true, y_pred, present = _check_targets(y_true, y_pred, fn)
    if average not in _AVERAGES:
        raise ValueError(f"{fn}: average must be one of {list(_AVERAGES)}, got {average!r}")
    zero_value = _zero_division_value(zero_division, fn)
    weights = _check_weights(sample_weight, len(y_true), fn)
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real) or not beta >= 0:
        raise ValueError(f"{fn}: beta must be a real number >= 0, got {beta!r}")

    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                f"{fn}: the labels are multiclass ({present}) but average='binary'; "
                "use average='macro', 'micro', 'weighted' or None"
            )
        if pos_label not in present and len(present) == 2:
            raise ValueError(
                f"{fn}: pos_label={pos_label!r} is not a label here; it should be one of {present}"
            )
        labels = [pos_label]
    else:
        if pos_label not in (None, 1):
            warnings.warn(
                f"{fn}: pos_label={pos_label!r} is ignored when average={average!r}; use "
                "labels=[pos_label] to score a single class",
                UserWarning,
                stacklevel=3,
            )
        if labels is None:
            labels = present
        else:
            labels = [
                _check_label(v, f"{fn}: labels[{i}]")
                for i, v in enumerate(_as_list(labels, "labels", fn))
            ]
            if not labels:
                raise ValueError(f"{fn}: labels is empty; give at least one label, or None for all")

    tp, pred, true = _counts(y_true, y_pred, weights, labels)
    if average == "micro":
        tp, pred, true = [sum(tp)], [sum(pred)], [sum(true)]

    warn = zero_division == "warn"
    precision = _divide(
        tp, pred, "Precision", "predicted", zero_value, warn and "precision" in warn_for
    )
    recall = _divide(tp, true, "Recall", "true", zero_value, warn and "recall" in warn_for)
    if math.isinf(beta):
        fscore = recall
    elif beta == 0:
        fscore = precision
    else:
        b2 = beta * beta
        # From the counts, not from P and R: defined whenever TP + FP + FN > 0.
        fscore = _divide(
            [(1 + b2) * t for t in tp],
            [b2 * t + p for t, p in zip(true, pred)],
            "F-score",
            "true nor predicted",
            zero_value,
            warn and "f-score" in warn_for,
        )

    if average is None:
        return precision, recall, fscore, true
    weights = true if average == "weighted" else None
    return _mean(precision, weights), _mean(recall, weights), _mean(fscore, weights), None


def precision_score(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    pos_label: Optional[Label] = 1,
    average: Optional[str] = "binary",
    sample_weight: Weights = None,
    zero_division: Union[str, float] = "warn",
) -> Score:
    """Precision TP / (TP + FP): of the samples predicted positive, how many are.

    ``average`` and ``sample_weight`` as in :func:`precision_recall_fscore_support`;
    the default ``"binary"`` scores the class ``pos_label`` only.

    >>> precision_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    p, _, _, _ = _scores(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("precision",),
        sample_weight=sample_weight,
        zero_division=zero_division,
        fn="precision_score",
    )
    return p


def recall_score(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    pos_label: Optional[Label] = 1,
    average: Optional[str] = "binary",
    sample_weight: Weights = None,
    zero_division: Union[str, float] = "warn",
) -> Score:
    """Recall TP / (TP + FN): of the truly positive samples, how many were found.

    ``average`` and ``sample_weight`` as in :func:`precision_recall_fscore_support`.

    >>> recall_score([0, 1, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    """
    _, r, _, _ = _scores(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("recall",),
        sample_weight=sample_weight,
        zero_division=zero_division,
        fn="recall_score",
    )
    return r


def fbeta_score(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    beta: float,
    labels: Optional[Sequence[Label]] = None,
    pos_label: Optional[Label] = 1,
    average: Optional[str] = "binary",
    sample_weight: Weights = None,
    zero_division: Union[str, float] = "warn",
) -> Score:
    """F-beta score: recall counts ``beta`` times as much as precision.

    ``average`` and ``sample_weight`` as in :func:`precision_recall_fscore_support`.

    >>> fbeta_score([0, 1, 1, 1], [1, 1, 0, 1], beta=1.0)
    0.6666666666666666
    """
    _, _, f, _ = _scores(
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("f-score",),
        sample_weight=sample_weight,
        zero_division=zero_division,
        fn="fbeta_score",
    )
    return f


def f1_score(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    pos_label: Optional[Label] = 1,
    average: Optional[str] = "binary",
    sample_weight: Weights = None,
    zero_division: Union[str, float] = "warn",
) -> Score:
    """F1 = 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.

    ``average`` and ``sample_weight`` as in :func:`precision_recall_fscore_support`.

    >>> f1_score([0, 1, 2, 2], [0, 2, 2, 2], average="macro")
    0.6
    """
    _, _, f, _ = _scores(
        y_true,
        y_pred,
        beta=1.0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("f-score",),
        sample_weight=sample_weight,
        zero_division=zero_division,
        fn="f1_score",
    )
    return f

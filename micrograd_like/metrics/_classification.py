"""Classification metrics: accuracy, the confusion matrix, precision, recall, F-scores."""

from __future__ import annotations

import math
import numbers
import warnings
from collections import Counter
from typing import Any, List, Optional, Sequence, Tuple, Union

from micrograd_like.metrics._base import UndefinedMetricWarning, Label, Score, _check_label, _as_list, _check_targets


# --- accuracy and the confusion matrix ---------------------------------------


def accuracy_score(
    y_true: Sequence[Label], y_pred: Sequence[Label], *, normalize: bool = True
) -> float:
    """Fraction of samples whose predicted label equals the true one.

    With ``normalize=False``: the number of correct samples (as a float, like
    scikit-learn).

    >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    y_true, y_pred, _ = _check_targets(y_true, y_pred, "accuracy_score")
    correct = sum(1 for t, p in zip(y_true, y_pred) if t == p)
    return correct / len(y_true) if normalize else float(correct)


def confusion_matrix(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    normalize: Optional[str] = None,
) -> List[List[Union[int, float]]]:
    """Counts ``C[i][j]`` of samples with true label ``labels[i]`` predicted as ``labels[j]``.

    Rows are true labels, columns predicted labels (scikit-learn's
    orientation); ``labels`` picks and orders them (default: every label
    seen, sorted). Samples whose labels are not in ``labels`` are left out.
    ``normalize="true"`` divides each row by its sum, ``"pred"`` each
    column, ``"all"`` everything by the total (an empty row or column
    stays 0).

    >>> confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1])
    [[1, 0], [1, 2]]
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
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    cm: List[List[Any]] = [[0] * k for _ in range(k)]
    for t, p in zip(y_true, y_pred):
        if t in index and p in index:
            cm[index[t]][index[p]] += 1
    if k == 1:
        warnings.warn(
            f"{fn}: a single label was found in y_true and y_pred; pass labels=[...] "
            "with all known labels to get the full matrix",
            UserWarning,
            stacklevel=2,
        )
    if normalize == "true":
        sums = [sum(row) for row in cm]
        cm = [[c / s if s else 0.0 for c in row] for row, s in zip(cm, sums)]
    elif normalize == "pred":
        sums = [sum(col) for col in zip(*cm)]
        cm = [[c / s if s else 0.0 for c, s in zip(row, sums)] for row in cm]
    elif normalize == "all":
        total = sum(map(sum, cm))
        cm = [[c / total if total else 0.0 for c in row] for row in cm]
    return cm


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


def precision_recall_fscore_support(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    beta: float = 1.0,
    labels: Optional[Sequence[Label]] = None,
    pos_label: Optional[Label] = 1,
    average: Optional[str] = None,
    warn_for: Tuple[str, ...] = ("precision", "recall", "f-score"),
    zero_division: Union[str, float] = "warn",
) -> Tuple[Score, Score, Score, Optional[List[int]]]:
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
    zero_division: Union[str, float] = "warn",
    fn: str,
) -> Tuple[Score, Score, Score, Optional[List[int]]]:
    """The work of precision_recall_fscore_support; ``fn`` is the public
    function the user called, so that error messages name it."""
    y_true, y_pred, present = _check_targets(y_true, y_pred, fn)
    if average not in _AVERAGES:
        raise ValueError(f"{fn}: average must be one of {list(_AVERAGES)}, got {average!r}")
    zero_value = _zero_division_value(zero_division, fn)
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

    pairs = list(zip(y_true, y_pred))
    tp_count = Counter(t for t, p in pairs if t == p)
    pred_count = Counter(y_pred)
    true_count = Counter(y_true)
    tp = [tp_count[label] for label in labels]
    pred = [pred_count[label] for label in labels]
    true = [true_count[label] for label in labels]
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
    zero_division: Union[str, float] = "warn",
) -> Score:
    """Precision TP / (TP + FP): of the samples predicted positive, how many are.

    ``average`` as in :func:`precision_recall_fscore_support`; the default
    ``"binary"`` scores the class ``pos_label`` only.

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
    zero_division: Union[str, float] = "warn",
) -> Score:
    """Recall TP / (TP + FN): of the truly positive samples, how many were found.

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
    zero_division: Union[str, float] = "warn",
) -> Score:
    """F-beta score: recall counts ``beta`` times as much as precision.

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
    zero_division: Union[str, float] = "warn",
) -> Score:
    """F1 = 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.

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
        zero_division=zero_division,
        fn="f1_score",
    )
    return f

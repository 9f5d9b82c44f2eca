"""How good are the predictions? Classification and regression metrics, in plain Python.

The names, arguments and results are scikit-learn's (``accuracy_score``,
``precision_score``, ``f1_score``, ``confusion_matrix``, ``r2_score``, ...),
and so are the edge cases, which the tests check against scikit-learn itself.

Labels are ints, bools or strings (whole-number floats such as ``1.0`` are
fine too). Predicted *scores* are not labels: threshold or argmax them first,
e.g. ``[int(s.data > 0) for s in scores]``.

Precision, recall and F-score can be undefined (no predicted or no true
samples of a class: 0 / 0). ``zero_division`` chooses the value used then:
``"warn"`` (the default) gives 0.0 and emits an ``UndefinedMetricWarning``;
``0`` or ``1`` give that value silently; ``float("nan")`` gives nan, and
averages then skip the undefined classes.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections import Counter
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score",
    "confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "f1_score",
    "fbeta_score",
    "classification_report",
    "mean_squared_error",
    "mean_absolute_error",
    "r2_score",
]

Label = Union[int, str, bool, float]
Score = Union[float, List[float]]


class UndefinedMetricWarning(UserWarning):
    """A metric was 0 / 0 and was set by the ``zero_division`` rule (as in scikit-learn)."""


# --- checking labels ---------------------------------------------------------


def _check_label(v: Any, where: str) -> Label:
    if isinstance(v, str) or isinstance(v, numbers.Integral):  # bool is Integral too
        return v
    if isinstance(v, numbers.Real):
        if math.isfinite(v) and float(v).is_integer():
            return v
        raise ValueError(
            f"{where} is {v!r}, which is a score, not a class label; classification "
            "metrics need labels: threshold or argmax your scores first, "
            "e.g. [int(p > 0.5) for p in probabilities]"
        )
    hint = " (a Value: use int(v.data > 0) or similar)" if hasattr(v, "grad") else ""
    raise TypeError(f"{where} must be an int or str label, got {type(v).__name__} {v!r}{hint}")


def _as_list(seq: Any, name: str, fn: str) -> list:
    if isinstance(seq, (str, bytes)) or not hasattr(seq, "__iter__"):
        raise TypeError(f"{fn}: {name} must be a list of labels, got {type(seq).__name__} {seq!r}")
    return list(seq)


def _sorted_labels(labels: Any, fn: str) -> list:
    try:
        return sorted(labels)
    except TypeError:
        raise TypeError(
            f"{fn}: labels mix strings and numbers ({sorted(map(repr, labels))}); "
            "use one kind of label"
        ) from None


def _check_targets(y_true: Any, y_pred: Any, fn: str) -> Tuple[list, list, list]:
    """Both label lists, checked, and the sorted labels present in either."""
    y_true = _as_list(y_true, "y_true", fn)
    y_pred = _as_list(y_pred, "y_pred", fn)
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"{fn}: y_true has {len(y_true)} labels but y_pred has {len(y_pred)}; "
            "they need one label per sample"
        )
    if not y_true:
        raise ValueError(f"{fn}: y_true and y_pred are empty; need at least one sample")
    for name, seq in (("y_true", y_true), ("y_pred", y_pred)):
        for i, v in enumerate(seq):
            _check_label(v, f"{fn}: {name}[{i}]")
    present = _sorted_labels(set(y_true) | set(y_pred), fn)
    return y_true, y_pred, present


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


def classification_report(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    target_names: Optional[Sequence[str]] = None,
    digits: int = 2,
    output_dict: bool = False,
    zero_division: Union[str, float] = "warn",
) -> Union[str, Dict[str, Any]]:
    """Per-class precision, recall, F1 and support, plus averages, as a text table.

    The same layout as scikit-learn's report. ``output_dict=True`` returns
    the numbers as a dict instead.

    >>> print(classification_report([0, 1, 1, 0], [0, 1, 0, 0]))
                  precision    recall  f1-score   support
    <BLANKLINE>
               0       0.67      1.00      0.80         2
               1       1.00      0.50      0.67         2
    <BLANKLINE>
        accuracy                           0.75         4
       macro avg       0.83      0.75      0.73         4
    weighted avg       0.83      0.75      0.73         4
    <BLANKLINE>
    """
    fn = "classification_report"
    y_true, y_pred, present = _check_targets(y_true, y_pred, fn)
    labels_given = labels is not None
    if labels is None:
        labels = present
    else:
        labels = _as_list(labels, "labels", fn)
    if target_names is None:
        target_names = [str(label) for label in labels]
    elif len(target_names) != len(labels):
        raise ValueError(
            f"{fn}: target_names has {len(target_names)} names but there are {len(labels)} labels "
            f"({labels}); give one name per label"
        )
    target_names = list(target_names)
    # As scikit-learn: a "micro avg" row replaces "accuracy" when the chosen
    # labels are not all the labels present (then the two differ).
    micro_is_accuracy = not labels_given or set(present) <= set(labels)

    headers = ["precision", "recall", "f1-score", "support"]
    p, r, f, s = _scores(
        y_true, y_pred, labels=labels, average=None, zero_division=zero_division, fn=fn
    )
    rows = [(name, [a, b, c, d]) for name, a, b, c, d in zip(target_names, p, r, f, s)]  # type: ignore[arg-type]
    averages = ["macro avg", "weighted avg"]
    averages.insert(0, "accuracy" if micro_is_accuracy else "micro avg")
    avg_rows = []
    for avg_name in averages:
        mode = avg_name.split()[0] if avg_name != "accuracy" else "micro"
        ap, ar, af, _ = _scores(
            y_true, y_pred, labels=labels, average=mode, zero_division=zero_division, fn=fn
        )
        avg_rows.append((avg_name, [ap, ar, af, sum(s)]))  # type: ignore[arg-type]

    if output_dict:
        report: Dict[str, Any] = {name: dict(zip(headers, values)) for name, values in rows}
        for name, values in avg_rows:
            report[name] = values[0] if name == "accuracy" else dict(zip(headers, values))
        return report

    width = max(len("weighted avg"), digits, *(len(name) for name in target_names))
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    text = ("{:>{width}s} " + " {:>9}" * 4).format("", *headers, width=width) + "\n\n"
    for name, values in rows:
        text += row_fmt.format(name, *values, width=width, digits=digits)
    text += "\n"
    for name, values in avg_rows:
        if name == "accuracy":  # only the F1 column (= accuracy) is filled in
            text += ("{:>{width}s} " + " {:>9}" * 2 + " {:>9.{digits}f} {:>9}\n").format(
                name, "", "", values[2], values[3], width=width, digits=digits
            )
        else:
            text += row_fmt.format(name, *values, width=width, digits=digits)
    return text


# --- regression --------------------------------------------------------------


def _check_values(y_true: Any, y_pred: Any, fn: str) -> Tuple[List[float], List[float]]:
    out = []
    for name, seq in (("y_true", y_true), ("y_pred", y_pred)):
        values = []
        for i, v in enumerate(_as_list(seq, name, fn)):
            if not isinstance(v, numbers.Real):
                hint = " (use .data to get a Value's number)" if hasattr(v, "grad") else ""
                raise TypeError(
                    f"{fn}: {name}[{i}] must be a real number, got {type(v).__name__} {v!r}{hint}"
                )
            if not math.isfinite(v):
                raise ValueError(f"{fn}: {name}[{i}] is {v!r}; only finite numbers can be scored")
            values.append(float(v))
        out.append(values)
    if len(out[0]) != len(out[1]):
        raise ValueError(
            f"{fn}: y_true has {len(out[0])} values but y_pred has {len(out[1])}; "
            "they need one value per sample"
        )
    if not out[0]:
        raise ValueError(f"{fn}: y_true and y_pred are empty; need at least one sample")
    return out[0], out[1]


def mean_squared_error(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """Mean of ``(y_true - y_pred) ** 2``.

    >>> mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.3333333333333333
    """
    t, p = _check_values(y_true, y_pred, "mean_squared_error")
    return math.fsum((a - b) ** 2 for a, b in zip(t, p)) / len(t)


def mean_absolute_error(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """Mean of ``|y_true - y_pred|``.

    >>> mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    0.6666666666666666
    """
    t, p = _check_values(y_true, y_pred, "mean_absolute_error")
    return math.fsum(abs(a - b) for a, b in zip(t, p)) / len(t)


def r2_score(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """Coefficient of determination: ``1 - SS_res / SS_tot``; 1 is perfect.

    It can be negative (worse than always predicting the mean). Edge cases
    as scikit-learn: a constant ``y_true`` gives 1.0 for a perfect
    prediction and 0.0 otherwise; fewer than two samples give nan with an
    ``UndefinedMetricWarning``.

    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    """
    fn = "r2_score"
    t, p = _check_values(y_true, y_pred, fn)
    if len(t) < 2:
        warnings.warn(
            "R^2 score is not well-defined with less than two samples "
            f"({fn} got {len(t)}); returning nan",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        return math.nan
    ss_res = math.fsum((a - b) ** 2 for a, b in zip(t, p))
    if ss_res == 0:
        return 1.0
    if min(t) == max(t):  # constant y_true: SS_tot is exactly 0 (no rounding from the mean)
        return 0.0
    mean = math.fsum(t) / len(t)
    ss_tot = math.fsum((a - mean) ** 2 for a in t)
    return 1.0 - ss_res / ss_tot

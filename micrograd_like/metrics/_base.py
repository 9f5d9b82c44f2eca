"""What every metric checks first: labels, and y_true beside y_pred."""

from __future__ import annotations

import math
import numbers
from typing import Any, List, Tuple, Union

from micrograd_like._validation import _tabular

Label = Union[int, str, bool, float]
Score = Union[float, List[float]]


class UndefinedMetricWarning(UserWarning):
    """A metric was 0 / 0 and was set by the ``zero_division`` rule (as in scikit-learn).

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     metrics.precision_score([0, 0], [0, 0])  # no positive predicted: 0 / 0
    0.0
    >>> caught[0].category.__name__
    'UndefinedMetricWarning'
    """


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


def _as_list(seq: Any, name: str, fn: str, what: str = "labels") -> list:
    seq = _tabular(seq, fn, name)  # numpy arrays, pandas Series
    if isinstance(seq, (str, bytes)) or not hasattr(seq, "__iter__"):
        raise TypeError(f"{fn}: {name} must be a list of {what}, got {type(seq).__name__} {seq!r}")
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

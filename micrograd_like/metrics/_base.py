"""What every metric checks first: labels, and y_true beside y_pred."""

from __future__ import annotations

import math
import numbers
from typing import AbstractSet, Any, List, Mapping, Optional, Tuple, Union

from micrograd_like._validation import _short, _tabular

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
    """``seq`` as a flat list; a column ``[[v], ...]`` counts as 1-D (scikit-learn's column_or_1d)."""
    if type(seq).__module__.startswith("pandas") and len(getattr(seq, "columns", ())) == 1:
        seq = seq.iloc[:, 0]  # a 1-column DataFrame: its column, with its own dtype
    seq = _tabular(seq, fn, name)  # numpy arrays, pandas Series
    # A dict would iterate its keys and a set has no order: neither pairs up samples.
    if isinstance(seq, (str, bytes, Mapping, AbstractSet)) or not hasattr(seq, "__iter__"):
        raise TypeError(
            f"{fn}: {name} must be a list of {what} (one per sample), got {type(seq).__name__} "
            f"{_short(seq)}" + ("; pass list(d.values()) for a dict" if isinstance(seq, Mapping) else "")
        )
    out = list(seq)
    for i, v in enumerate(out):
        if isinstance(v, (list, tuple)):
            if len(v) != 1:  # TypeError, as for any other non-label (fit relies on it)
                raise TypeError(
                    f"{fn}: {name}[{i}] is a row of {len(v)} values, but {fn} takes one value "
                    f"per sample: a list of {what}, or a single column [[v], ...]"
                )
            out[i] = v[0]
    return out


def _check_weights(sample_weight: Any, n: int, fn: str) -> Optional[List[Union[int, float]]]:
    """scikit-learn's check of ``sample_weight``: n finite numbers, not all 0 (negatives allowed)."""
    if sample_weight is None:
        return None
    sample_weight = _tabular(sample_weight, fn, "sample_weight")
    if isinstance(sample_weight, (str, bytes, Mapping, AbstractSet)) or not hasattr(sample_weight, "__len__"):
        raise TypeError(
            f"{fn}: sample_weight must be None or a list of {n} numbers (one per sample), "
            f"got {type(sample_weight).__name__} {_short(sample_weight)}"
        )
    if len(sample_weight) != n:
        raise ValueError(
            f"{fn}: sample_weight has {len(sample_weight)} entries but there are {n} samples; "
            "give one weight per sample"
        )
    out: List[Union[int, float]] = []
    for i, w in enumerate(sample_weight):
        if not isinstance(w, numbers.Real):
            raise TypeError(
                f"{fn}: sample_weight[{i}] must be a real number, got {type(w).__name__} {_short(w)}"
            )
        if not math.isfinite(w):
            raise ValueError(f"{fn}: sample_weight[{i}] is {w!r}; weights must be finite")
        out.append(int(w) if isinstance(w, numbers.Integral) else float(w))  # int stays int, as numpy's dtype
    if not any(out):
        raise ValueError(
            f"{fn}: sample_weight is all 0; at least one weight must be non-zero (as in scikit-learn)"
        )
    return out


def _weight_total(weights: List[Union[int, float]], fn: str) -> float:
    """The sum of the weights, which a weighted mean divides by; 0 is refused."""
    total = math.fsum(weights)
    if total == 0:
        raise ValueError(
            f"{fn}: sample_weight sums to 0 (negative weights cancel the positive ones), so the "
            "weighted mean is undefined; give weights with a non-zero sum"
        )
    return total


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

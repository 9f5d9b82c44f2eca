"""Regression metrics: mean squared and absolute error, R²."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, List, Optional, Sequence, Tuple

from micrograd_like._validation import _fsum, _warn_overflow
from micrograd_like.metrics._base import (
    UndefinedMetricWarning, _as_list, _check_weights, _weight_total,
)


# --- regression --------------------------------------------------------------


def _check_values(
    y_true: Any, y_pred: Any, fn: str, sample_weight: Any = None
) -> Tuple[List[float], List[float], Optional[list]]:
    out = []
    for name, seq in (("y_true", y_true), ("y_pred", y_pred)):
        values = []
        for i, v in enumerate(_as_list(seq, name, fn, "numbers")):
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
    return out[0], out[1], _check_weights(sample_weight, len(out[0]), fn)


def _average(values: List[float], weights: Optional[list], fn: str) -> float:
    """The mean, or numpy.average's weighted mean sum(w * v) / sum(w)."""
    if weights is None:
        return _fsum(values) / len(values)
    return _fsum(w * v for w, v in zip(weights, values)) / _weight_total(weights, fn)


def mean_squared_error(
    y_true: Sequence[float], y_pred: Sequence[float], *, sample_weight: Optional[Sequence[float]] = None
) -> float:
    """Mean of ``(y_true - y_pred) ** 2``; with ``sample_weight``, the weighted mean.

    Values so large that the squares pass the float range give inf with a
    ``RuntimeWarning``, as scikit-learn (numpy) does.

    >>> mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.3333333333333333
    >>> mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0], sample_weight=[1, 1, 2])
    2.0
    """
    fn = "mean_squared_error"
    t, p, w = _check_values(y_true, y_pred, fn, sample_weight)
    # d * d, not d ** 2: a float power that overflows raises, a product gives inf.
    result = _average([(a - b) * (a - b) for a, b in zip(t, p)], w, fn)
    _warn_overflow(fn, result, "the squared errors")
    return result


def mean_absolute_error(
    y_true: Sequence[float], y_pred: Sequence[float], *, sample_weight: Optional[Sequence[float]] = None
) -> float:
    """Mean of ``|y_true - y_pred|``; with ``sample_weight``, the weighted mean.

    >>> mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    0.6666666666666666
    >>> mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0], sample_weight=[1, 1, 2])
    1.0
    """
    fn = "mean_absolute_error"
    t, p, w = _check_values(y_true, y_pred, fn, sample_weight)
    result = _average([abs(a - b) for a, b in zip(t, p)], w, fn)
    _warn_overflow(fn, result, "the absolute errors")
    return result


def r2_score(
    y_true: Sequence[float], y_pred: Sequence[float], *, sample_weight: Optional[Sequence[float]] = None
) -> float:
    """Coefficient of determination: ``1 - SS_res / SS_tot``; 1 is perfect.

    It can be negative (worse than always predicting the mean). Edge cases
    as scikit-learn: a constant ``y_true`` gives 1.0 for a perfect
    prediction and 0.0 otherwise; fewer than two samples give nan with an
    ``UndefinedMetricWarning``. ``sample_weight`` weights each squared
    error, and the mean of ``y_true`` in ``SS_tot``, as in scikit-learn.

    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 4.0], sample_weight=[1, 1, 0])
    1.0
    """
    fn = "r2_score"
    t, p, w = _check_values(y_true, y_pred, fn, sample_weight)
    if len(t) < 2:
        warnings.warn(
            "R^2 score is not well-defined with less than two samples "
            f"({fn} got {len(t)}); returning nan",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        return math.nan
    ones = [1] * len(t) if w is None else w
    ss_res = _fsum(c * (a - b) * (a - b) for a, b, c in zip(t, p, ones))
    mean = _average(t, w, fn)  # checks the weights' sum even when ss_res is 0
    if ss_res == 0:
        return 1.0
    # A constant y_true: SS_tot is exactly 0 (no rounding from the mean),
    # unless the mean itself overflowed (then nan, as numpy's).
    if min(t) == max(t) and math.isfinite(mean):
        return 0.0
    ss_tot = _fsum(c * (a - mean) * (a - mean) for a, c in zip(t, ones))
    if ss_tot == 0:  # all the weight on equal values
        return 0.0
    result = 1.0 - ss_res / ss_tot
    _warn_overflow(fn, result, "the sums of squares")
    return result

"""Regression metrics: mean squared and absolute error, R²."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, List, Sequence, Tuple

from micrograd_like.metrics._base import UndefinedMetricWarning, _as_list


# --- regression --------------------------------------------------------------


def _check_values(y_true: Any, y_pred: Any, fn: str) -> Tuple[List[float], List[float]]:
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

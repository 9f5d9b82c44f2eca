"""Feature scaling: ``StandardScaler`` and ``MinMaxScaler`` (``sklearn.preprocessing``).

Networks train best when every input has a similar range. Fit a scaler on
the training data only, then transform train and test with it, so no
information from the test set leaks into training.

>>> s = StandardScaler().fit([[1.0], [3.0]])
>>> s.transform([[1.0], [3.0], [5.0]])
[[-1.0], [1.0], [3.0]]
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Tuple

from micrograd_like._validation import (
    Matrix, _as_matrix, _check_bool, _check_real, _fsum, _warn_overflow,
)

__all__ = ["StandardScaler", "MinMaxScaler", "NotFittedError"]

_EPS = 2.0**-52  # float64 machine epsilon, as numpy.finfo(float).eps


class NotFittedError(ValueError, AttributeError):
    """A scaler was used before ``fit`` (scikit-learn's exception of the same name).

    >>> StandardScaler().transform([[1.0]])
    Traceback (most recent call last):
        ...
    micrograd_like.preprocessing.NotFittedError: StandardScaler.transform: ... call fit(X_train) first
    """


class _Scaler:
    """Shared plumbing: parameters, input checks and ``fit_transform``.

    The parameters are the ``__init__`` arguments, kept as attributes of the
    same names (scikit-learn's BaseEstimator convention); ``_PARAMS`` lists
    them and ``_set`` checks and stores them.
    """

    n_features_in_: int
    _PARAMS: Tuple[str, ...] = ()

    def _set(self, **params: Any) -> None:
        raise NotImplementedError

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """The parameters, as scikit-learn's ``get_params`` (``deep`` changes nothing: no sub-estimators).

        >>> StandardScaler(with_mean=False).get_params()
        {'copy': True, 'with_mean': False, 'with_std': True}
        """
        return {name: getattr(self, name) for name in sorted(self._PARAMS)}

    def set_params(self, **params: Any) -> "_Scaler":
        """Change parameters by name, checked as in ``__init__``; returns self.

        >>> MinMaxScaler().set_params(feature_range=(-1, 1)).feature_range
        (-1.0, 1.0)
        """
        name = type(self).__name__
        for key in params:
            if key not in self._PARAMS:
                raise ValueError(
                    f"{name}.set_params: invalid parameter {key!r}; valid parameters are "
                    f"{sorted(self._PARAMS)}"
                )
        self._set(**{**self.get_params(), **params})
        return self

    def _check_fitted(self, method: str) -> None:
        if not hasattr(self, "n_features_in_"):
            name = type(self).__name__
            raise NotFittedError(
                f"{name}.{method}: this {name} is not fitted yet; call fit(X_train) first"
            )

    def _checked(self, X: Any, method: str) -> Matrix:
        self._check_fitted(method)
        name = type(self).__name__
        rows = _as_matrix(X, f"{name}.{method}", bools=True)
        if len(rows[0]) != self.n_features_in_:
            raise ValueError(
                f"{name}.{method}: X has {len(rows[0])} features per row, but this {name} "
                f"was fitted on {self.n_features_in_} features"
            )
        return rows

    def fit(self, X: Any, y: Any = None) -> "_Scaler":
        raise NotImplementedError

    def transform(self, X: Any) -> Matrix:
        raise NotImplementedError

    def fit_transform(self, X: Any, y: Any = None) -> Matrix:
        """``fit(X)`` then ``transform(X)``. Use it on training data only.

        >>> MinMaxScaler().fit_transform([[0.0], [2.0], [4.0]])
        [[0.0], [0.5], [1.0]]
        """
        return self.fit(X).transform(X)


class StandardScaler(_Scaler):
    """Shift and scale every feature to mean 0 and standard deviation 1.

    ``fit`` learns ``mean_``, ``var_`` (population variance, divided by n)
    and ``scale_`` (its square root) per feature; ``transform`` maps
    ``x -> (x - mean_) / scale_``. A feature that is constant (up to
    rounding) gets ``scale_ = 1``, so it becomes 0 instead of a division by
    zero. Fit on the training set only, then transform train and test.

    As in scikit-learn: ``with_mean=False`` does not subtract the mean and
    ``with_std=False`` does not divide (``scale_`` and ``var_`` are then
    None; with both False ``mean_`` is None too). ``copy`` is accepted
    for scikit-learn's signature and has no effect: the scalers never
    modify your ``X``, they always return new lists. True/False features
    count as 1/0.

    >>> scaler = StandardScaler().fit([[0.0, 1.0], [2.0, 1.0]])
    >>> scaler.mean_, scaler.scale_
    ([1.0, 1.0], [1.0, 1.0])
    >>> scaler.transform([[4.0, 3.0]])
    [[3.0, 2.0]]
    """

    mean_: Optional[List[float]]
    var_: Optional[List[float]]
    scale_: Optional[List[float]]
    n_samples_seen_: int
    _PARAMS = ("with_mean", "with_std", "copy")

    def __init__(self, *, with_mean: bool = True, with_std: bool = True, copy: bool = True) -> None:
        self._set(with_mean=with_mean, with_std=with_std, copy=copy)

    def _set(self, **params: Any) -> None:
        for key, value in params.items():
            setattr(self, key, _check_bool(value, key, "StandardScaler"))

    def fit(self, X: Any, y: Any = None) -> "StandardScaler":
        """Learn each feature's mean and standard deviation from ``X``; returns self.

        >>> scaler = StandardScaler().fit([[1.0], [3.0]])
        >>> scaler.mean_, scaler.var_, scaler.scale_
        ([2.0], [1.0], [1.0])
        """
        fn = "StandardScaler.fit"
        rows = _as_matrix(X, fn, bools=True)
        n = len(rows)
        mean, var, scale = [], [], []
        for column in zip(*rows):
            # Exactly rounded sums (fsum), so the statistics do not drift with n;
            # past the float range they are inf or nan, as numpy's.
            m = _fsum(column) / n
            d = [v - m for v in column]
            # The corrected two-pass formula (Chan, Golub & LeVeque), as
            # scikit-learn: the second term cancels the rounding error of m.
            # Products, not ** 2: a float power that overflows raises.
            s = _fsum(d)
            v = (_fsum(e * e for e in d) - s * s / n) / n
            v = v if math.isnan(v) else max(v, 0.0)
            # scikit-learn's test for "constant up to rounding error".
            constant = v <= n * _EPS * v + (n * m * _EPS) * (n * m * _EPS)
            mean.append(m)
            var.append(v)
            scale.append(1.0 if constant else math.sqrt(v))
        _warn_overflow(fn, mean + var, "the mean or variance")
        self.mean_ = mean if self.with_mean or self.with_std else None
        self.var_ = var if self.with_std else None
        self.scale_ = scale if self.with_std else None
        self.n_samples_seen_ = n
        self.n_features_in_ = len(rows[0])
        return self

    def _shift_scale(self, n: int) -> Tuple[List[float], List[float]]:
        """The (mean, scale) that transform uses: 0 and 1 where with_mean / with_std is off."""
        mean = self.mean_ if self.with_mean and self.mean_ is not None else [0.0] * n
        scale = self.scale_ if self.with_std and self.scale_ is not None else [1.0] * n
        return mean, scale

    def transform(self, X: Any) -> Matrix:
        """``(x - mean_) / scale_`` for every row; returns new lists.

        >>> StandardScaler().fit([[1.0], [3.0]]).transform([[2.0], [5.0]])
        [[0.0], [3.0]]
        """
        rows = self._checked(X, "transform")
        mean, scale = self._shift_scale(self.n_features_in_)
        return [[(v - m) / s for v, m, s in zip(row, mean, scale)] for row in rows]

    def inverse_transform(self, X: Any) -> Matrix:
        """Undo ``transform``: ``x * scale_ + mean_``.

        >>> StandardScaler().fit([[1.0], [3.0]]).inverse_transform([[0.0], [3.0]])
        [[2.0], [5.0]]
        """
        rows = self._checked(X, "inverse_transform")
        mean, scale = self._shift_scale(self.n_features_in_)
        return [[v * s + m for v, m, s in zip(row, mean, scale)] for row in rows]


class MinMaxScaler(_Scaler):
    """Map every feature linearly onto ``feature_range`` (default [0, 1]).

    ``fit`` learns ``data_min_``, ``data_max_`` and ``data_range_`` per
    feature; ``transform`` computes ``x * scale_ + min_`` with
    ``scale_ = (hi - lo) / data_range_`` and ``min_ = lo - data_min_ * scale_``.
    A constant feature gets ``data_range_`` treated as 1. Test data outside
    the training range maps outside ``feature_range``, unless
    ``clip=True`` (as in scikit-learn) clips ``transform``'s output to it.
    ``copy`` is accepted for scikit-learn's signature and has no effect:
    the scaler never modifies your ``X``. True/False features count as 1/0.

    >>> scaler = MinMaxScaler().fit([[0.0], [4.0]])
    >>> scaler.transform([[1.0], [6.0]])
    [[0.25], [1.5]]
    """

    data_min_: List[float]
    data_max_: List[float]
    data_range_: List[float]
    scale_: List[float]
    min_: List[float]
    n_samples_seen_: int

    _PARAMS = ("feature_range", "copy", "clip")

    def __init__(
        self, feature_range: Tuple[float, float] = (0, 1), *, copy: bool = True, clip: bool = False
    ) -> None:
        self._set(feature_range=feature_range, copy=copy, clip=clip)

    def _set(self, **params: Any) -> None:
        feature_range = params["feature_range"]
        try:
            low, high = feature_range
        except (TypeError, ValueError):
            raise TypeError(
                f"MinMaxScaler: feature_range must be a pair (min, max), got {feature_range!r}"
            ) from None
        low = _check_real(low, "feature_range[0]", "MinMaxScaler")
        high = _check_real(high, "feature_range[1]", "MinMaxScaler")
        if not low < high:
            raise ValueError(
                f"MinMaxScaler: feature_range must have min < max, got {feature_range!r}"
            )
        self.feature_range = (low, high)
        self.copy = _check_bool(params["copy"], "copy", "MinMaxScaler")
        self.clip = _check_bool(params["clip"], "clip", "MinMaxScaler")

    def fit(self, X: Any, y: Any = None) -> "MinMaxScaler":
        """Learn each feature's minimum and maximum from ``X``; returns self.

        >>> scaler = MinMaxScaler(feature_range=(-1, 1)).fit([[2.0], [6.0]])
        >>> scaler.data_min_, scaler.data_max_, scaler.scale_
        ([2.0], [6.0], [0.5])
        """
        rows = _as_matrix(X, "MinMaxScaler.fit", bools=True)
        low, high = self.feature_range
        self.data_min_ = [min(col) for col in zip(*rows)]
        self.data_max_ = [max(col) for col in zip(*rows)]
        self.data_range_ = [b - a for a, b in zip(self.data_min_, self.data_max_)]
        # Like scikit-learn: a range within rounding error of 0 counts as 1.
        self.scale_ = [(high - low) / (r if r >= 10 * _EPS else 1.0) for r in self.data_range_]
        self.min_ = [low - a * s for a, s in zip(self.data_min_, self.scale_)]
        self.n_samples_seen_ = len(rows)
        self.n_features_in_ = len(rows[0])
        return self

    def transform(self, X: Any) -> Matrix:
        """``x * scale_ + min_`` for every row; returns new lists.

        >>> MinMaxScaler().fit([[2.0], [6.0]]).transform([[3.0], [8.0]])  # not clipped
        [[0.25], [1.5]]
        """
        rows = self._checked(X, "transform")
        out = [[v * s + m for v, s, m in zip(row, self.scale_, self.min_)] for row in rows]
        if self.clip:
            low, high = self.feature_range
            out = [[min(max(v, low), high) for v in row] for row in out]
        return out

    def inverse_transform(self, X: Any) -> Matrix:
        """Undo ``transform``: ``(x - min_) / scale_``.

        >>> MinMaxScaler().fit([[2.0], [6.0]]).inverse_transform([[0.25], [1.5]])
        [[3.0], [8.0]]
        """
        rows = self._checked(X, "inverse_transform")
        return [[(v - m) / s for v, s, m in zip(row, self.scale_, self.min_)] for row in rows]

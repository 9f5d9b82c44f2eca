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
from typing import Any, List, Tuple

from micrograd_like._validation import Matrix, _as_matrix, _check_real

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
    """Shared plumbing: input checks and ``fit_transform``."""

    n_features_in_: int

    def _check_fitted(self, method: str) -> None:
        if not hasattr(self, "n_features_in_"):
            name = type(self).__name__
            raise NotFittedError(
                f"{name}.{method}: this {name} is not fitted yet; call fit(X_train) first"
            )

    def _checked(self, X: Any, method: str) -> Matrix:
        self._check_fitted(method)
        name = type(self).__name__
        rows = _as_matrix(X, f"{name}.{method}")
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

    >>> scaler = StandardScaler().fit([[0.0, 1.0], [2.0, 1.0]])
    >>> scaler.mean_, scaler.scale_
    ([1.0, 1.0], [1.0, 1.0])
    >>> scaler.transform([[4.0, 3.0]])
    [[3.0, 2.0]]
    """

    mean_: List[float]
    var_: List[float]
    scale_: List[float]
    n_samples_seen_: int

    def fit(self, X: Any, y: Any = None) -> "StandardScaler":
        """Learn each feature's mean and standard deviation from ``X``; returns self.

        >>> scaler = StandardScaler().fit([[1.0], [3.0]])
        >>> scaler.mean_, scaler.var_, scaler.scale_
        ([2.0], [1.0], [1.0])
        """
        rows = _as_matrix(X, "StandardScaler.fit")
        n = len(rows)
        mean, var, scale = [], [], []
        for column in zip(*rows):
            # fsum: exactly rounded sums, so the statistics do not drift with n.
            m = math.fsum(column) / n
            d = [v - m for v in column]
            # The corrected two-pass formula (Chan, Golub & LeVeque), as
            # scikit-learn: the second term cancels the rounding error of m.
            v = (math.fsum(e * e for e in d) - math.fsum(d) ** 2 / n) / n
            v = max(v, 0.0)
            # scikit-learn's test for "constant up to rounding error".
            constant = v <= n * _EPS * v + (n * m * _EPS) ** 2
            mean.append(m)
            var.append(v)
            scale.append(1.0 if constant else math.sqrt(v))
        self.mean_, self.var_, self.scale_ = mean, var, scale
        self.n_samples_seen_ = n
        self.n_features_in_ = len(mean)
        return self

    def transform(self, X: Any) -> Matrix:
        """``(x - mean_) / scale_`` for every row; returns new lists.

        >>> StandardScaler().fit([[1.0], [3.0]]).transform([[2.0], [5.0]])
        [[0.0], [3.0]]
        """
        rows = self._checked(X, "transform")
        return [[(v - m) / s for v, m, s in zip(row, self.mean_, self.scale_)] for row in rows]

    def inverse_transform(self, X: Any) -> Matrix:
        """Undo ``transform``: ``x * scale_ + mean_``.

        >>> StandardScaler().fit([[1.0], [3.0]]).inverse_transform([[0.0], [3.0]])
        [[2.0], [5.0]]
        """
        rows = self._checked(X, "inverse_transform")
        return [[v * s + m for v, m, s in zip(row, self.mean_, self.scale_)] for row in rows]


class MinMaxScaler(_Scaler):
    """Map every feature linearly onto ``feature_range`` (default [0, 1]).

    ``fit`` learns ``data_min_``, ``data_max_`` and ``data_range_`` per
    feature; ``transform`` computes ``x * scale_ + min_`` with
    ``scale_ = (hi - lo) / data_range_`` and ``min_ = lo - data_min_ * scale_``.
    A constant feature gets ``data_range_`` treated as 1. Test data outside
    the training range maps outside ``feature_range``; it is not clipped.

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

    def __init__(self, feature_range: Tuple[float, float] = (0, 1)) -> None:
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

    def fit(self, X: Any, y: Any = None) -> "MinMaxScaler":
        """Learn each feature's minimum and maximum from ``X``; returns self.

        >>> scaler = MinMaxScaler(feature_range=(-1, 1)).fit([[2.0], [6.0]])
        >>> scaler.data_min_, scaler.data_max_, scaler.scale_
        ([2.0], [6.0], [0.5])
        """
        rows = _as_matrix(X, "MinMaxScaler.fit")
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
        return [[v * s + m for v, s, m in zip(row, self.scale_, self.min_)] for row in rows]

    def inverse_transform(self, X: Any) -> Matrix:
        """Undo ``transform``: ``(x - min_) / scale_``.

        >>> MinMaxScaler().fit([[2.0], [6.0]]).inverse_transform([[0.25], [1.5]])
        [[3.0], [8.0]]
        """
        rows = self._checked(X, "inverse_transform")
        return [[(v - m) / s for v, s, m in zip(row, self.scale_, self.min_)] for row in rows]

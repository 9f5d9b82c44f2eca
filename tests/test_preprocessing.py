"""Tests for micrograd_like.preprocessing: StandardScaler and MinMaxScaler.

Oracle: scikit-learn's scalers on the same data.
"""

import math
import random

import pytest

from _data_helpers import _sk, _close
from micrograd_like.preprocessing import (
    MinMaxScaler,
    NotFittedError,
    StandardScaler,
)


# --- scalers -------------------------------------------------------------------


def _matrix(seed, n=20):
    rng = random.Random(seed)
    # Columns: ordinary, constant, near-constant at a big offset, huge scale.
    return [
        [rng.gauss(3.0, 2.0), 5.0, 1e6 + rng.random() * 1e-10, rng.uniform(-1e8, 1e8)]
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_standard_scaler_matches_sklearn(sklearn, seed):
    preprocessing = _sk(sklearn, "preprocessing")
    X_train, X_test = _matrix(seed), _matrix(seed + 100, n=5)
    ours = StandardScaler().fit(X_train)
    theirs = preprocessing.StandardScaler().fit(X_train)
    assert _close(ours.mean_, theirs.mean_)
    assert _close(ours.scale_, theirs.scale_)
    assert _close(ours.var_, theirs.var_, tol=1e-9)  # var of a near-constant column is ~1e-22
    assert ours.n_features_in_ == theirs.n_features_in_ == 4
    assert _close(ours.transform(X_test), theirs.transform(X_test))
    assert _close(ours.inverse_transform(X_test), theirs.inverse_transform(X_test))


@pytest.mark.parametrize("feature_range", [(0, 1), (-1, 1), (2.5, 3.0)])
def test_min_max_scaler_matches_sklearn(sklearn, feature_range):
    preprocessing = _sk(sklearn, "preprocessing")
    X_train, X_test = _matrix(4), _matrix(5, n=5)
    ours = MinMaxScaler(feature_range).fit(X_train)
    theirs = preprocessing.MinMaxScaler(feature_range=feature_range).fit(X_train)
    for attr in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        assert _close(getattr(ours, attr), getattr(theirs, attr)), attr
    assert _close(ours.transform(X_test), theirs.transform(X_test))
    assert _close(ours.inverse_transform(X_test), theirs.inverse_transform(X_test))
    assert _close(ours.fit_transform(X_train), theirs.fit_transform(X_train))


@pytest.mark.parametrize("Scaler", [StandardScaler, MinMaxScaler])
def test_scaler_round_trip_and_training_stats(Scaler):
    X = [[1.0, -2.0], [3.0, 0.0], [8.0, 4.0]]
    scaler = Scaler()
    Z = scaler.fit_transform(X)
    assert _close(scaler.inverse_transform(Z), X)
    cols = list(zip(*Z))
    if Scaler is StandardScaler:
        assert all(abs(sum(c) / 3) < 1e-15 for c in cols)
        assert all(math.isclose(sum(v * v for v in c) / 3, 1.0) for c in cols)
    else:
        assert all(min(c) == 0.0 and max(c) == 1.0 for c in cols)
    assert X == [[1.0, -2.0], [3.0, 0.0], [8.0, 4.0]]  # input untouched


@pytest.mark.parametrize("Scaler", [StandardScaler, MinMaxScaler])
def test_scaler_errors(Scaler):
    with pytest.raises(NotFittedError, match="not fitted yet; call fit"):
        Scaler().transform([[1.0]])
    assert issubclass(NotFittedError, ValueError)
    scaler = Scaler().fit([[1.0, 2.0], [3.0, 5.0]])
    with pytest.raises(
        ValueError, match="X has 3 features per row, but this .* was fitted on 2 features"
    ):
        scaler.transform([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"ragged: row 0 has 2 features but row 1 has 1"):
        Scaler().fit([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match=r"2-D .* \[\[x\] for x in values\]"):
        Scaler().fit([1.0, 2.0])
    with pytest.raises(TypeError, match=r"X\[0\]\[1\] must be a real number, got str"):
        Scaler().fit([[1.0, "2"]])
    with pytest.raises(ValueError, match="X is empty"):
        Scaler().fit([])


def test_min_max_scaler_bad_range():
    with pytest.raises(ValueError, match="min < max"):
        MinMaxScaler((1, 0))
    with pytest.raises(TypeError, match="pair"):
        MinMaxScaler(1)

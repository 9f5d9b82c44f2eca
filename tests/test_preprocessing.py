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


# --- scikit-learn's parameters, get_params / set_params, bools, overflow ------------


def _fitted_attrs(scaler, names):
    out = {}
    for n in names:
        v = getattr(scaler, n)
        out[n] = None if v is None else [float(x) for x in (v.tolist() if hasattr(v, "tolist") else v)]
    return out


def _same_or_nan(a, b):
    if a is None or b is None:
        return a is b
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
        for x, y in zip(a, b))


@pytest.mark.parametrize("with_mean", [True, False])
@pytest.mark.parametrize("with_std", [True, False])
def test_standard_scaler_with_mean_with_std_match_sklearn(sklearn, with_mean, with_std):
    preprocessing = _sk(sklearn, "preprocessing")
    X, X_test = _matrix(3), _matrix(4, n=5)
    ours = StandardScaler(with_mean=with_mean, with_std=with_std, copy=False).fit(X)
    theirs = preprocessing.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    for name in ("mean_", "var_", "scale_"):
        got, want = _fitted_attrs(ours, [name])[name], _fitted_attrs(theirs, [name])[name]
        assert _same_or_nan(got, want), name
    assert _close(ours.transform(X_test), theirs.transform(X_test).tolist(), tol=1e-7)
    assert _close(ours.inverse_transform(X_test), theirs.inverse_transform(X_test).tolist(), tol=1e-7)


@pytest.mark.parametrize("clip", [False, True])
def test_min_max_scaler_clip_matches_sklearn(sklearn, clip):
    preprocessing = _sk(sklearn, "preprocessing")
    X, X_test = [[0.0, 5.0], [4.0, 7.0]], [[-2.0, 6.0], [9.0, 100.0]]
    ours = MinMaxScaler((-1, 2), clip=clip, copy=False).fit(X)
    theirs = preprocessing.MinMaxScaler(feature_range=(-1, 2), clip=clip).fit(X)
    assert _close(ours.transform(X_test), theirs.transform(X_test).tolist())


@pytest.mark.parametrize("ours, theirs_name, changes", [
    (StandardScaler, "StandardScaler", {"with_mean": False, "copy": False}),
    (MinMaxScaler, "MinMaxScaler", {"feature_range": (-1, 1), "clip": True}),
])
def test_get_params_and_set_params_are_sklearns(sklearn, ours, theirs_name, changes):
    theirs = getattr(_sk(sklearn, "preprocessing"), theirs_name)()
    scaler = ours()
    assert scaler.get_params() == theirs.get_params() == scaler.get_params(deep=False)
    assert scaler.set_params(**changes) is scaler
    theirs.set_params(**changes)
    assert scaler.get_params() == theirs.get_params()
    assert scaler.set_params() is scaler
    with pytest.raises(ValueError):
        theirs.set_params(nope=1)
    valid = str(sorted(theirs.get_params()))
    with pytest.raises(ValueError, match=rf"{theirs_name}.set_params: invalid parameter 'nope'.*"
                                         rf"{valid.replace('[', '.').replace(']', '.')}"):
        scaler.set_params(nope=1)


@pytest.mark.parametrize("make", [
    lambda: StandardScaler(with_mean=1), lambda: StandardScaler(copy="yes"),
    lambda: MinMaxScaler(clip=None), lambda: StandardScaler().set_params(with_std=0),
    lambda: MinMaxScaler().set_params(feature_range=(2, 1)),
])
def test_scaler_parameters_are_checked(make):
    with pytest.raises((TypeError, ValueError), match="Scaler"):
        make()


@pytest.mark.parametrize("name", ["StandardScaler", "MinMaxScaler"])
def test_bool_features_count_as_0_and_1_like_sklearn(sklearn, numpy, name):
    theirs = getattr(_sk(sklearn, "preprocessing"), name)()
    ours = {"StandardScaler": StandardScaler, "MinMaxScaler": MinMaxScaler}[name]()
    X = [[True, 2.0], [False, 4.0], [True, 5.0]]
    want = theirs.fit_transform(numpy.array(X, dtype=object).astype(float)).tolist()
    assert _close(ours.fit_transform(X), want)
    assert _close(ours.fit_transform(numpy.array([[True], [False]])), theirs.fit_transform(
        numpy.array([[True], [False]])).tolist())


@pytest.mark.parametrize("X", [[[1e200], [-1e200]], [[1e308], [1e308]], [[1e308, 1.0], [-1e308, 2.0]]])
def test_standard_scaler_overflow_is_inf_or_nan_with_a_warning_as_sklearn(sklearn, X):
    import warnings

    theirs = _sk(sklearn, "preprocessing").StandardScaler()
    with warnings.catch_warnings(record=True) as sk_caught:
        warnings.simplefilter("always")
        theirs.fit(X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = StandardScaler().fit(X)
    for name in ("mean_", "var_", "scale_"):
        assert _same_or_nan(_fitted_attrs(ours, [name])[name], _fitted_attrs(theirs, [name])[name]), name
    assert any(w.category is RuntimeWarning for w in sk_caught)
    assert [str(w.message).split(":")[0] for w in caught if w.category is RuntimeWarning] == ["StandardScaler.fit"]

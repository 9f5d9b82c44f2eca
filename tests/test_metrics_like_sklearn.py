"""Metrics with scikit-learn's sample_weight, column vectors and argument checks.

Oracle: scikit-learn's own metrics on the same input (results to 1e-9, the
UndefinedMetricWarnings they emit, and whether they refuse the input).
"""

import importlib
import math
import random
import warnings

import pytest

from micrograd_like import metrics

NAN = float("nan")
AVERAGES = [None, "binary", "micro", "macro", "weighted"]
ZERO_DIVISIONS = ["warn", 0, 1.0, NAN]
CLASSIFICATION = ["precision_score", "recall_score", "f1_score"]


@pytest.fixture(scope="module")
def skm(sklearn):
    return importlib.import_module("sklearn.metrics")


def _run(f, *args, **kwargs):
    """(the result, or "error" for a ValueError/TypeError/ZeroDivisionError; the warning kinds)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = f(*args, **kwargs)
        except (ValueError, TypeError, ZeroDivisionError):
            result = "error"
    kinds = sorted({w.category.__name__ for w in caught if w.category.__name__ != "DeprecationWarning"})
    return result, kinds


def _plain(x):
    if hasattr(x, "tolist"):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _same(a, b, tol=1e-9):
    a, b = _plain(a), _plain(b)
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b) and all(
            _same(a[k], b[k], tol) for k in a)
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(
            _same(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return a == b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _agree(ours, theirs, *args, **kwargs):
    got, got_warn = _run(ours, *args, **kwargs)
    want, want_warn = _run(theirs, *args, **kwargs)
    assert _same(got, want), (got, want, args, kwargs)
    assert got_warn == want_warn, (got_warn, want_warn, args, kwargs)
    return got


def _case(seed):
    """Random labels and weights: few classes (so some are missing); int, float, 0 or negative weights."""
    rng = random.Random(seed)
    n = rng.randint(1, 12)
    k = rng.choice([2, 2, 3, 4])
    y_true = [rng.randrange(k) for _ in range(n)]
    y_pred = [rng.randrange(k) for _ in range(n)]
    kind = rng.choice(["int", "float", "zeros", "negative"])
    if kind == "int":
        w = [rng.randint(1, 4) for _ in range(n)]
    elif kind == "negative":  # scikit-learn allows them; sums of weights may cancel
        w = [rng.choice([-2, -1, 1, 2, 0.5]) for _ in range(n)]
    else:
        w = [round(rng.uniform(0.0, 3.0), 3) for _ in range(n)]
        if kind == "zeros":
            w = [0.0 if rng.random() < 0.5 else v for v in w]
    return y_true, y_pred, w


# --- sample_weight: seeded random cases against scikit-learn ---------------------


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("name", CLASSIFICATION)
def test_weighted_scores_match_sklearn_for_every_average_and_zero_division(skm, seed, name):
    y_true, y_pred, w = _case(seed)
    for average in AVERAGES:
        for zero_division in ZERO_DIVISIONS:
            _agree(getattr(metrics, name), getattr(skm, name), y_true, y_pred, sample_weight=w,
                   average=average, zero_division=zero_division)


@pytest.mark.parametrize("seed", range(40))
def test_weighted_fbeta_and_support_match_sklearn(skm, seed):
    y_true, y_pred, w = _case(seed)
    for average in AVERAGES:
        for beta in (0.5, 2.0):
            _agree(metrics.fbeta_score, skm.fbeta_score, y_true, y_pred, beta=beta,
                   sample_weight=w, average=average, zero_division=1.0)
        _agree(metrics.precision_recall_fscore_support, skm.precision_recall_fscore_support,
               y_true, y_pred, sample_weight=w, average=average, labels=[0, 1, 2, 5])


@pytest.mark.parametrize("seed", range(60))
def test_weighted_accuracy_and_confusion_matrix_match_sklearn(skm, seed):
    y_true, y_pred, w = _case(seed)
    for normalize in (True, False):
        _agree(metrics.accuracy_score, skm.accuracy_score, y_true, y_pred, sample_weight=w,
               normalize=normalize)
    for normalize in (None, "true", "pred", "all"):
        got = _agree(metrics.confusion_matrix, skm.confusion_matrix, y_true, y_pred,
                     sample_weight=w, normalize=normalize)
        if got != "error" and normalize is None:
            # scikit-learn's dtype: int counts for int weights, floats otherwise
            want_type = int if all(isinstance(v, int) for v in w) else float
            assert {type(c) for row in got for c in row} == {want_type}


@pytest.mark.parametrize("seed", range(30))
def test_weighted_classification_report_matches_sklearn(skm, seed):
    y_true, y_pred, w = _case(seed)
    for output_dict in (False, True):
        _agree(metrics.classification_report, skm.classification_report, y_true, y_pred,
               sample_weight=w, output_dict=output_dict, zero_division=0)


@pytest.mark.parametrize("seed", range(60))
def test_weighted_regression_metrics_match_sklearn(skm, seed):
    rng = random.Random(seed)
    n = rng.randint(1, 10)
    y_true = [rng.uniform(-5, 5) for _ in range(n)]
    y_pred = [rng.uniform(-5, 5) for _ in range(n)]
    w = [rng.choice([0, 0.5, 1, 2, rng.uniform(0, 3)]) for _ in range(n)]
    for name in ("mean_squared_error", "mean_absolute_error", "r2_score"):
        _agree(getattr(metrics, name), getattr(skm, name), y_true, y_pred, sample_weight=w)


@pytest.mark.parametrize("w", [
    [1, 2],             # too short
    [1, 2, 3, 4],       # too long
    [0, 0, 0],          # all zero
    [1, -1, 0],         # sums to 0: no weighted mean
    [1, -2, 3],         # negative weights are allowed, as in scikit-learn
    [1, NAN, 1],
    [1, float("inf"), 1],
    [1, "a", 1],
    [[1], [2], [3]],    # 2-D
    [True, False, True],
])
@pytest.mark.parametrize("name", ["accuracy_score", "confusion_matrix", "f1_score",
                                  "mean_squared_error", "mean_absolute_error", "r2_score"])
def test_sample_weight_is_checked_as_sklearn_does(skm, w, name):
    y_true, y_pred = [0, 1, 1], [0, 1, 0]
    got = _agree(getattr(metrics, name), getattr(skm, name), y_true, y_pred, sample_weight=w)
    if got == "error":
        with pytest.raises((ValueError, TypeError), match=f"{name}: sample_weight"):
            getattr(metrics, name)(y_true, y_pred, sample_weight=w)


@pytest.mark.parametrize("w", [2.0, "abc", {0: 1, 1: 1, 2: 1}])
def test_a_sample_weight_that_is_not_a_list_is_a_type_error(skm, w):
    with pytest.raises((TypeError, ValueError)):
        skm.accuracy_score([0, 1, 1], [0, 1, 0], sample_weight=w)
    with pytest.raises(TypeError, match="accuracy_score: sample_weight must be None or a list"):
        metrics.accuracy_score([0, 1, 1], [0, 1, 0], sample_weight=w)


# --- column vectors, dicts, normalize, target_names --------------------------------


def _columns(numpy, pandas, values):
    return [numpy.array(values).reshape(-1, 1), [[v] for v in values],
            pandas.DataFrame({"y": values})]


@pytest.mark.parametrize("name", ["accuracy_score", "f1_score", "confusion_matrix",
                                  "classification_report"])
def test_classification_metrics_take_column_vectors(skm, numpy, pandas, name):
    y_true, y_pred = [0, 1, 1, 0, 1], [0, 1, 0, 0, 1]
    for column in _columns(numpy, pandas, y_true):
        _agree(getattr(metrics, name), getattr(skm, name), column, y_pred)
        _agree(getattr(metrics, name), getattr(skm, name), y_pred, column)


@pytest.mark.parametrize("name", ["mean_squared_error", "mean_absolute_error", "r2_score"])
def test_regression_metrics_take_column_vectors(skm, numpy, pandas, name):
    y_true, y_pred = [0.5, 1.0, 2.5, 3.0], [0.0, 1.5, 2.0, 3.5]
    for column in _columns(numpy, pandas, y_true):
        _agree(getattr(metrics, name), getattr(skm, name), column, y_pred)
        _agree(getattr(metrics, name), getattr(skm, name), y_pred, column)


@pytest.mark.parametrize("name, y", [
    ("accuracy_score", [[0, 1], [1, 0]]),
    ("mean_squared_error", [[0.5, 1.0], [1.0, 2.0]]),
])
def test_rows_of_several_values_are_a_clear_error(name, y):
    with pytest.raises(TypeError, match=rf"{name}: y_true\[0\] is a row of 2 values.*one value per sample"):
        getattr(metrics, name)(y, y)


@pytest.mark.parametrize("name", ["accuracy_score", "f1_score", "mean_squared_error"])
@pytest.mark.parametrize("bad", [{0: 1, 1: 0}, {0, 1}])
def test_dicts_and_sets_are_a_type_error_not_their_keys(skm, name, bad):
    with pytest.raises((TypeError, ValueError)):
        getattr(skm, name)(bad, bad)
    with pytest.raises(TypeError, match=f"{name}: y_true must be a list"):
        getattr(metrics, name)(bad, [0, 1])


@pytest.mark.parametrize("normalize", [1, 0, "yes", None, 1.0])
def test_accuracy_normalize_must_be_a_bool(skm, numpy, normalize):
    with pytest.raises((TypeError, ValueError)):
        skm.accuracy_score([0, 1], [0, 0], normalize=normalize)
    with pytest.raises(TypeError, match=rf"accuracy_score: normalize must be True or False, got .*{normalize!r}"):
        metrics.accuracy_score([0, 1], [0, 0], normalize=normalize)
    assert metrics.accuracy_score([0, 1], [0, 0], normalize=numpy.bool_(False)) == 1.0


@pytest.mark.parametrize("labels, names", [
    ([0, 1], ["a", "b", "c"]), ([0, 1], ["a"]), ([0, 1, 2], ["x", "a long name"]),
    ([2, 0], ["two", "zero", "one", "extra"]),
])
@pytest.mark.parametrize("output_dict", [False, True])
def test_report_with_labels_and_other_length_target_names_warns_as_sklearn(skm, labels, names, output_dict):
    y_true, y_pred = [0, 1, 1, 2, 0], [0, 1, 0, 2, 2]
    with pytest.warns(UserWarning, match="classification_report: labels size"):
        metrics.classification_report(y_true, y_pred, labels=labels, target_names=names,
                                      output_dict=output_dict)
    _agree(metrics.classification_report, skm.classification_report, y_true, y_pred,
           labels=labels, target_names=names, output_dict=output_dict)


def test_report_target_names_as_a_str_is_a_type_error():
    with pytest.raises(TypeError, match="classification_report: target_names must be a list of names"):
        metrics.classification_report([0, 1], [0, 1], target_names="ab")


# --- overflow on finite input ------------------------------------------------------


@pytest.mark.parametrize("y_true, y_pred", [
    ([1e200, -1e200], [0.0, 0.0]), ([1e308, 1e308], [-1e308, 0.0]), ([1e308, 1e308, 0.0], [0.0, 0.0, 1.0]),
])
@pytest.mark.parametrize("name", ["mean_squared_error", "mean_absolute_error", "r2_score"])
def test_overflow_gives_inf_or_nan_with_a_runtime_warning_as_sklearn(skm, name, y_true, y_pred):
    got, kinds = _run(getattr(metrics, name), y_true, y_pred)
    want, sk_kinds = _run(getattr(skm, name), y_true, y_pred)
    assert _same(got, want)
    assert ("RuntimeWarning" in kinds) == ("RuntimeWarning" in sk_kinds)

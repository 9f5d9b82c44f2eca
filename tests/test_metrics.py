"""Tests for micrograd_like.metrics against scikit-learn, the reference for every value.

Each case runs our function and scikit-learn's on the same labels and
compares the results (to 1e-12: sums are rounded differently), the
UndefinedMetricWarnings they emit, and whether they reject the input.
"""

import importlib
import math
import random
import sys
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_like import metrics
from micrograd_like.metrics import (
    UndefinedMetricWarning,
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    precision_recall_fscore_support,
    precision_score,
    r2_score,
    recall_score,
)

NAN = float("nan")
AVERAGES = [None, "binary", "micro", "macro", "weighted"]
ZERO_DIVISIONS = ["warn", 0, 1.0, NAN]


@pytest.fixture(scope="module")
def skm(sklearn):
    return importlib.import_module("sklearn.metrics")


def _run(f, *args, **kwargs):
    """(result or the exception type, first words of UndefinedMetricWarnings)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = f(*args, **kwargs)
        except (ValueError, TypeError):
            result = "error"
    undefined = [
        str(w.message).split()[0] for w in caught if w.category.__name__ == "UndefinedMetricWarning"
    ]
    return result, undefined


def _same(a, b, tol=1e-12):
    if hasattr(b, "tolist"):
        b = b.tolist()
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (
            isinstance(a, (list, tuple))
            and isinstance(b, (list, tuple))
            and len(a) == len(b)
            and all(_same(x, y, tol) for x, y in zip(a, b))
        )
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _agree(ours, theirs, *args, **kwargs):
    got, got_warnings = _run(ours, *args, **kwargs)
    want, want_warnings = _run(theirs, *args, **kwargs)
    assert _same(got, want), (args, kwargs, got, want)
    assert got_warnings == want_warnings, (args, kwargs)


def _random_cases(seed, count):
    """Random label lists: 1..4 classes (so degenerate ones too), 1..12 samples."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        k = rng.randint(1, 4)
        n = rng.randint(1, 12)
        y_true = [rng.randrange(k) for _ in range(n)]
        y_pred = [rng.randrange(k) for _ in range(n)]
        cases.append((y_true, y_pred))
    return cases


DEGENERATE = [
    ([0, 0, 0], [0, 0, 0]),  # a single class everywhere
    ([1, 1, 1], [1, 1, 1]),
    ([0, 1, 1, 0], [0, 0, 0, 0]),  # no positive predictions
    ([0, 0, 0, 0], [0, 1, 1, 0]),  # no positive true samples
    ([0, 1, 2], [0, 1, 2]),  # perfect
    ([0, 1, 2], [1, 2, 0]),  # all wrong
    ([2, 2], [3, 3]),  # binary labels without pos_label=1
    ([1], [0]),
]


# --- precision, recall, F1 against scikit-learn -----------------------------------


@pytest.mark.parametrize("average", AVERAGES)
def test_prfs_agrees_with_sklearn_on_random_and_degenerate_labels(skm, average):
    # Degenerate cases under every zero_division mode; random ones under two.
    runs = [(case, zd) for case in DEGENERATE for zd in ZERO_DIVISIONS]
    runs += [(case, zd) for case in _random_cases(seed=1, count=6) for zd in ("warn", NAN)]
    for (y_true, y_pred), zero_division in runs:
        _agree(
            precision_recall_fscore_support,
            skm.precision_recall_fscore_support,
            y_true,
            y_pred,
            average=average,
            zero_division=zero_division,
        )


@pytest.mark.parametrize("name", ["precision_score", "recall_score", "f1_score"])
@pytest.mark.parametrize("average", ["binary", "macro"])
def test_each_score_warns_only_about_itself(skm, name, average):
    for y_true, y_pred in DEGENERATE[:4]:
        _agree(getattr(metrics, name), getattr(skm, name), y_true, y_pred, average=average)
    _agree(
        getattr(metrics, name),
        getattr(skm, name),
        [0, 1, 2, 2],
        [1, 1, 2, 0],
        average="weighted",
        zero_division=1,
    )


@pytest.mark.parametrize("labels", [[1], [0, 2], [2, 0, 5], [3, 1, 0]])
def test_labels_argument_selects_and_orders_classes(skm, labels):
    cases = _random_cases(seed=11, count=3) + [DEGENERATE[0], DEGENERATE[2]]
    for y_true, y_pred in cases:
        for average, zero_division in (
            (None, "warn"),
            ("micro", "warn"),
            ("macro", NAN),
            ("weighted", 1),
        ):
            _agree(
                precision_recall_fscore_support,
                skm.precision_recall_fscore_support,
                y_true,
                y_pred,
                labels=labels,
                average=average,
                zero_division=zero_division,
            )


@pytest.mark.parametrize(
    "y_true, y_pred, pos_label",
    [
        ([0, 1, 1, 0, 1], [0, 1, 0, 0, 0], 0),
        (["cat", "dog", "dog"], ["dog", "dog", "cat"], "cat"),
        (["cat", "dog", "dog"], ["dog", "dog", "cat"], 1),  # not a label: error
        (["cat", "cat"], ["cat", "cat"], 1),  # one label present: 0 and a warning
        ([True, False, True], [True, True, False], True),
        ([True, False, True], [True, True, False], False),
        ([2, 5, 5, 2], [5, 5, 2, 2], 5),
    ],
)
@pytest.mark.parametrize("name", ["precision_score", "recall_score", "f1_score"])
def test_pos_label_and_non_int_labels(skm, name, y_true, y_pred, pos_label):
    _agree(getattr(metrics, name), getattr(skm, name), y_true, y_pred, pos_label=pos_label)


@pytest.mark.parametrize("beta", [0.0, 0.5, 2.0, math.inf])
def test_fbeta_agrees_with_sklearn(skm, beta):
    for y_true, y_pred in _random_cases(seed=5, count=3) + DEGENERATE[2:5]:
        for average in ("micro", "macro", "weighted", None):
            _agree(metrics.fbeta_score, skm.fbeta_score, y_true, y_pred, beta=beta, average=average)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=20),
    st.sampled_from(["micro", "macro", "weighted", None]),
    st.sampled_from(["warn", 0, 1]),
)
def test_prfs_agrees_with_sklearn_hypothesis(skm, pairs, average, zero_division):
    y_true, y_pred = [t for t, _ in pairs], [p for _, p in pairs]
    _agree(
        precision_recall_fscore_support,
        skm.precision_recall_fscore_support,
        y_true,
        y_pred,
        average=average,
        zero_division=zero_division,
    )


def test_warning_is_an_undefined_metric_warning_and_value_is_zero():
    with pytest.warns(
        UndefinedMetricWarning, match="Precision is ill-defined and being set to 0.0"
    ):
        assert precision_score([0, 1], [0, 0]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert precision_score([0, 1], [0, 0], zero_division=1) == 1.0
        assert precision_score([0, 1], [0, 0], zero_division=0) == 0.0


# --- accuracy and confusion matrix --------------------------------------------------


@pytest.mark.parametrize("normalize", [True, False])
def test_accuracy_agrees_with_sklearn(skm, normalize):
    for y_true, y_pred in _random_cases(seed=2, count=8) + DEGENERATE:
        _agree(accuracy_score, skm.accuracy_score, y_true, y_pred, normalize=normalize)
    _agree(
        accuracy_score, skm.accuracy_score, ["a", "b", "b"], ["a", "b", "a"], normalize=normalize
    )


@pytest.mark.parametrize("labels", [None, [2, 1, 0], [1, 7], [0, 1, 2, 3]])
@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
def test_confusion_matrix_agrees_with_sklearn(skm, labels, normalize):
    for y_true, y_pred in _random_cases(seed=3, count=5) + DEGENERATE[::2]:
        got, _ = _run(confusion_matrix, y_true, y_pred, labels=labels, normalize=normalize)
        want, _ = _run(skm.confusion_matrix, y_true, y_pred, labels=labels, normalize=normalize)
        assert _same(got, want), (y_true, y_pred, got, want)


def test_confusion_matrix_orientation_and_types():
    # By hand: true 1 predicted 0 once; rows are true labels.
    cm = confusion_matrix([1, 1, 0], [0, 1, 0])
    assert cm == [[1, 0], [1, 1]]
    assert all(type(c) is int for row in cm for c in row)
    assert confusion_matrix(["b", "a"], ["a", "a"], labels=["b", "a"]) == [[0, 1], [0, 1]]


# --- classification report ------------------------------------------------------------


@pytest.mark.parametrize("labels, digits", [(None, 2), (None, 4), ([0, 1], 2), ([2, 0, 1], 3)])
def test_classification_report_text_matches_sklearn(skm, labels, digits):
    rng = random.Random(digits)
    y_true = [rng.randrange(3) for _ in range(30)]
    y_pred = [rng.randrange(3) for _ in range(30)]
    ours = classification_report(y_true, y_pred, labels=labels, digits=digits, zero_division=0)
    theirs = skm.classification_report(
        y_true, y_pred, labels=labels, digits=digits, zero_division=0
    )
    assert ours == theirs


def test_classification_report_with_names_matches_sklearn(skm):
    y_true, y_pred = [0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 2, 1, 1, 0]
    names = ["setosa", "versicolor", "virginica"]
    assert classification_report(y_true, y_pred, target_names=names) == skm.classification_report(
        y_true, y_pred, target_names=names
    )


def test_classification_report_dict_matches_sklearn(skm):
    y_true, y_pred = ["a", "b", "c", "a", "b"], ["a", "c", "c", "b", "b"]
    ours = classification_report(y_true, y_pred, output_dict=True)
    theirs = skm.classification_report(y_true, y_pred, output_dict=True)
    assert list(ours) == list(theirs)
    for key in ours:
        if key == "accuracy":
            assert _same(ours[key], theirs[key])
        else:
            assert _same([ours[key][h] for h in theirs[key]], [theirs[key][h] for h in theirs[key]])


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: accuracy_score([0, 1], [0]), ValueError, "y_true has 2 labels but y_pred has 1"),
        (lambda: accuracy_score([], []), ValueError, "empty"),
        (
            lambda: accuracy_score([0, 1], [0.2, 0.9]),
            ValueError,
            r"y_pred\[0\] is 0.2, which is a score",
        ),
        (lambda: accuracy_score([0, "a"], [0, 0]), TypeError, "mix strings and numbers"),
        (
            lambda: accuracy_score([0, None], [0, 0]),
            TypeError,
            r"y_true\[1\] must be an int or str label",
        ),
        (lambda: accuracy_score("01", "01"), TypeError, "y_true must be a list of labels"),
        (lambda: f1_score([0, 1, 2], [0, 1, 1]), ValueError, "multiclass .* but average='binary'"),
        (lambda: f1_score([0, 1], [0, 1], average="mean"), ValueError, "average must be one of"),
        (lambda: f1_score([0, 1], [0, 1], zero_division=2), ValueError, "zero_division must be"),
        (
            lambda: recall_score([2, 3], [2, 3]),
            ValueError,
            r"pos_label=1 is not a label here; .* \[2, 3\]",
        ),
        (
            lambda: confusion_matrix([0, 1], [0, 1], labels=[5]),
            ValueError,
            "none of labels=.* occurs in y_true",
        ),
        (lambda: confusion_matrix([0, 1], [0, 1], labels=[]), ValueError, "labels is empty"),
        (
            lambda: confusion_matrix([0, 1], [0, 1], normalize="rows"),
            ValueError,
            "normalize must be",
        ),
        (
            lambda: classification_report([0, 1], [0, 1], target_names=["a"]),
            ValueError,
            "target_names has 1",
        ),
        (
            lambda: mean_squared_error([1.0], [1.0, 2.0]),
            ValueError,
            "y_true has 1 values but y_pred has 2",
        ),
        (lambda: mean_squared_error([], []), ValueError, "empty"),
        (lambda: r2_score([1.0, "2"], [1.0, 2.0]), TypeError, r"y_true\[1\] must be a real number"),
        (lambda: mean_absolute_error([1.0, NAN], [1.0, 2.0]), ValueError, "only finite numbers"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("f1_score", {}),
        ("precision_score", {}),
        ("recall_score", {}),
        ("fbeta_score", {"beta": 2.0}),
        ("precision_recall_fscore_support", {"average": "binary"}),
    ],
)
def test_errors_name_the_function_the_user_called(name, kwargs):
    # binary average on three classes, a bad average and a bad label: each
    # message starts with the public name, never with an internal helper's
    fn = getattr(metrics, name)
    calls = [
        lambda: fn([0, 1, 2], [0, 1, 2], **kwargs),
        lambda: fn([0, 1], [0, 1], **dict(kwargs, average="mean")),
        lambda: fn([0, None], [0, 1], **kwargs),
    ]
    for call in calls:
        with pytest.raises((ValueError, TypeError)) as info:
            call()
        assert str(info.value).startswith(f"{name}:"), str(info.value)
        if name != "precision_recall_fscore_support":
            assert "precision_recall_fscore_support" not in str(info.value)


def test_classification_report_errors_name_it():
    with pytest.raises(TypeError, match=r"^classification_report: labels\[0\]"):
        classification_report([0, 1], [0, 1], labels=[None])


def test_warnings_point_at_the_callers_line():
    # the UndefinedMetricWarning is reported at the line that called the metric
    with pytest.warns(UndefinedMetricWarning) as record:
        line = sys._getframe().f_lineno; precision_score([0, 1], [0, 0])  # noqa: E702
    assert (record[0].filename, record[0].lineno) == (__file__, line)
    with pytest.warns(UndefinedMetricWarning) as record:
        line = sys._getframe().f_lineno; precision_recall_fscore_support([0, 1], [0, 0])  # noqa: E702
    assert (record[0].filename, record[0].lineno) == (__file__, line)


def test_predictions_that_are_values_get_a_hint():
    from micrograd_like import Value

    with pytest.raises(TypeError, match=r"a Value: use int\(v.data > 0\)"):
        accuracy_score([0, 1], [Value(0.3), Value(0.9)])


def test_bad_input_is_also_rejected_by_sklearn(skm):
    # Our errors mirror scikit-learn's refusals (where it has one).
    # (Mixed int/str labels are left out: scikit-learn 1.6 accepts them, later
    # releases refuse them; ours always refuses, see the test above.)
    for y_true, y_pred in ([0, 1], [0]), ([0, 1], [0.2, 0.9]):
        assert _run(skm.accuracy_score, y_true, y_pred)[0] == "error"
    assert _run(skm.f1_score, [0, 1, 2], [0, 1, 1])[0] == "error"
    assert _run(skm.recall_score, [2, 3], [2, 3])[0] == "error"


# --- regression metrics -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["mean_squared_error", "mean_absolute_error", "r2_score"])
def test_regression_metrics_agree_with_sklearn(skm, name):
    rng = random.Random(7)
    for n in (1, 2, 3, 50):
        y_true = [rng.gauss(0.0, 3.0) for _ in range(n)]
        y_pred = [v + rng.gauss(0.0, 1.0) for v in y_true]
        _agree(getattr(metrics, name), getattr(skm, name), y_true, y_pred)
        _agree(getattr(metrics, name), getattr(skm, name), y_true, y_true)
        _agree(getattr(metrics, name), getattr(skm, name), [int(v) for v in y_true], y_pred)


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        ([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),  # constant and perfect: 1.0
        ([2.0, 2.0, 2.0], [2.0, 2.5, 2.0]),  # constant, imperfect: 0.0
        ([0.5, 0.5], [1.0, 0.0]),
        ([3.0], [1.0]),  # one sample: nan and a warning
        ([1.0, 2.0, 3.0], [3.0, 2.0, 1.0]),  # negative R^2
    ],
)
def test_r2_edge_cases_agree_with_sklearn(skm, y_true, y_pred):
    _agree(r2_score, skm.r2_score, y_true, y_pred)

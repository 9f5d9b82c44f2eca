"""micrograd_like.exercises.evaluation: each planted mistake is named, correct code passes.

Learner code for standardizing, metrics and XOR, right (in two styles) and
wrong (every code in ``evaluation.MISTAKES``). The library answers the
checks compare with (StandardScaler, the metrics) are checked against
scikit-learn; XOR's answers are the four labels themselves.
"""

import math
import statistics
import warnings

import pytest

from micrograd_like import MLP, Value, exercises
from micrograd_like.exercises import evaluation
from micrograd_like.losses import binary_cross_entropy
from micrograd_like.optim import SGD

# --- learner code: standardizing -----------------------------------------------------------


def standardize_by_hand(X_train, X_test):
    n = len(X_train)
    cols = list(zip(*X_train))
    means = [sum(c) / n for c in cols]
    stds = [math.sqrt(sum((v - m) ** 2 for v in c) / n) for c, m in zip(cols, means)]
    scale = lambda X: [[(v - m) / s for v, m, s in zip(row, means, stds)] for row in X]  # noqa: E731
    return scale(X_train), scale(X_test)


def standardize_with(center, spread, fit_train=True, fit_test=False, both=False, rows=False):
    """A learner's standardize built from statistics functions, with switches for mistakes."""
    def stats(X):
        cols = list(zip(*X))
        return [center(c) for c in cols], [spread(c) for c in cols]

    def scale(X, fitted):
        if rows:
            return [[(v - center(r)) / spread(r) for v in r] for r in X]
        means, sds = fitted
        return [[(v - m) / s for v, m, s in zip(r, means, sds)] for r in X]

    def standardize(X_train, X_test):
        fitted = stats(X_train + X_test if both else X_train if fit_train else X_test)
        return scale(X_train, fitted), scale(X_test, stats(X_test) if fit_test else fitted)
    return standardize


standardize_pstdev = standardize_with(statistics.fmean, statistics.pstdev)


def standardize_by_variance(X_train, X_test):
    return standardize_with(statistics.fmean, statistics.pvariance)(X_train, X_test)


def standardize_min_max(X_train, X_test):
    cols = list(zip(*X_train))
    lo, hi = [min(c) for c in cols], [max(c) for c in cols]
    scale = lambda X: [[(v - a) / (b - a) for v, a, b in zip(r, lo, hi)] for r in X]  # noqa: E731
    return scale(X_train), scale(X_test)


@pytest.mark.parametrize("fn", [standardize_by_hand, standardize_pstdev])
def test_correct_standardize_passes(fn):
    assert exercises.check_standardize(fn)


def test_numpy_arrays_are_accepted(numpy):
    def standardize(X_train, X_test):
        X_train, X_test = numpy.array(X_train), numpy.array(X_test)
        m, s = X_train.mean(axis=0), X_train.std(axis=0)
        return (X_train - m) / s, (X_test - m) / s
    assert exercises.check_standardize(standardize)


# --- learner code: metrics -------------------------------------------------------------------


def counts(y_true, y_pred):
    tp = sum(1 for t, p in zip(y_true, y_pred) if t == 1 and p == 1)
    fp = sum(1 for t, p in zip(y_true, y_pred) if t == 0 and p == 1)
    fn = sum(1 for t, p in zip(y_true, y_pred) if t == 1 and p == 0)
    return tp, fp, fn


def accuracy_loop(y_true, y_pred):
    right = 0
    for t, p in zip(y_true, y_pred):
        if t == p:
            right += 1
    return right / len(y_true)


def accuracy_mean(y_true, y_pred):
    return statistics.fmean(int(t == p) for t, p in zip(y_true, y_pred))


def precision_safe(y_true, y_pred):
    tp, fp, _ = counts(y_true, y_pred)
    return tp / (tp + fp) if tp + fp else 0.0


def precision_try(y_true, y_pred):
    tp, fp, _ = counts(y_true, y_pred)
    try:
        return tp / (tp + fp)
    except ZeroDivisionError:
        return 0.0


def recall_safe(y_true, y_pred):
    tp, _, fn = counts(y_true, y_pred)
    return tp / (tp + fn) if tp + fn else 0.0


def recall_positives(y_true, y_pred):
    found = [p for t, p in zip(y_true, y_pred) if t == 1]
    return sum(found) / len(found) if found else 0.0


def f1_counts(y_true, y_pred):
    tp, fp, fn = counts(y_true, y_pred)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def f1_from_pr(y_true, y_pred):
    p, r = precision_safe(y_true, y_pred), recall_safe(y_true, y_pred)
    return 2 * p * r / (p + r) if p + r else 0.0


@pytest.mark.parametrize("name, fn", [
    ("accuracy", accuracy_loop), ("accuracy", accuracy_mean),
    ("precision", precision_safe), ("precision", precision_try),
    ("recall", recall_safe), ("recall", recall_positives),
    ("f1", f1_counts), ("f1", f1_from_pr),
])
def test_correct_metrics_pass(name, fn):
    report = exercises.check_metric(name, fn)
    assert report, str(report)


# --- learner code: XOR -----------------------------------------------------------------------

XOR = [([0.0, 0.0], 0), ([0.0, 1.0], 1), ([1.0, 0.0], 1), ([1.0, 1.0], 0)]


def train_plus_minus(seed, steps=150, activation="tanh", nouts=(4, 1)):
    """Targets -1/+1, tanh hidden layer, mean squared error, plain gradient descent."""
    model = MLP(2, list(nouts), activation=activation, seed=seed)
    for _ in range(steps):
        loss = sum((model(x) - (2 * y - 1)) ** 2 for x, y in XOR) / 4
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.2 * p.grad
    return model


def train_zero_one(seed):
    """Targets 0/1, a sigmoid output, binary cross-entropy and optim.SGD; returns a list of one Value."""
    model = MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", seed=seed)
    opt = SGD(model.parameters(), lr=1.0)
    for _ in range(300):
        opt.zero_grad()
        binary_cross_entropy([model(x) for x, _ in XOR], [y for _, y in XOR]).backward()
        opt.step()
    return lambda x: [model(x)]


@pytest.mark.parametrize("fn, rule", [(train_plus_minus, "decided by the sign"),
                                      (train_zero_one, "decided by > 0.5")])
def test_correct_xor_costs_three_trainings_and_four_calls_each(fn, rule):
    # What the check costs beyond the learner's own training is counted, not timed:
    # one training per seed and one model call per XOR point, no probes when all are right.
    trained, calls = [], []

    def counted(seed):
        trained.append(seed)
        model = fn(seed)
        return lambda x: (calls.append((seed, tuple(x))), model(x))[1]

    report = exercises.check_xor(counted)
    assert report, str(report)
    assert "seeds 0, 1, 2" in report.message and rule in report.message
    assert trained == [0, 1, 2]
    assert calls == [(s, tuple(x)) for s in (0, 1, 2) for x, _ in XOR]


def test_xor_answers_are_read_off_the_outputs():
    # The check's verdict rests on the four labels, not on the library: by hand here.
    outputs, _ = evaluation._outputs("xor", train_plus_minus(0), [x for x, _ in XOR], 0)
    assert [int(o > 0) for o in outputs] == [0, 1, 1, 0]
    assert outputs[0] < -0.5 and outputs[1] > 0.5  # -1/+1 targets: near -1 and +1


def test_xor_output_with_a_value_in_data_is_named():
    def value_in_data(seed):
        def model(x):
            out = Value(0.0)
            out.data = Value(-1.0 if x[0] == x[1] else 1.0)  # right numbers, as a Value
            return out
        return model
    report = exercises.check_xor(value_in_data)
    assert not report and report.mistake == "wrong", str(report)
    assert "has a .data that is a Value (data -1)" in report.message, report.message


def test_xor_other_seeds():
    report = exercises.check_xor(train_plus_minus, seed=7)
    assert report and "seeds 7, 8, 9" in report.message


def test_slow_training_is_noted_not_failed(monkeypatch):
    monkeypatch.setattr(evaluation, "_SLOW", 0.0)
    report = exercises.check_xor(train_plus_minus)
    assert report and "fewer steps would do" in report.message


def dead_relu(seed):
    # ReLU units whose bias keeps them off on the unit square (alive further out)
    model = MLP(2, [4, 1], seed=seed)
    for neuron in model.layers[0].neurons:
        neuron.b.data = -10.0
    model.layers[1].neurons[0].b.data = 0.5
    return model


# --- every mistake, planted ------------------------------------------------------------------

PLANTED = [
    ("standardize", (standardize_with(statistics.fmean, statistics.pstdev, fit_test=True),), "leak",
     ["its own statistics", "[[-1, 1, 1], [1, -1, -1]]", "[[0, 3.536, 0], [3.162, -3.536, -1.569]]"]),
    ("standardize", (standardize_with(statistics.fmean, statistics.pstdev, fit_train=False),), "leak",
     ["came from X_test", "from X_train"]),
    ("standardize", (standardize_with(statistics.fmean, statistics.pstdev, both=True),), "leak",
     ["X_train + X_test"]),
    ("standardize", (standardize_by_variance,), "variance", ["variance", "square root"]),
    ("standardize", (standardize_with(statistics.fmean, statistics.stdev),), "ddof",
     ["n - 1", "statistics.pstdev"]),
    ("standardize", (standardize_with(statistics.fmean, statistics.pstdev, rows=True),), "rows",
     ["each column"]),
    ("standardize", (standardize_with(statistics.fmean, statistics.stdev, rows=True),), "rows",
     ["each column"]),
    ("standardize", (lambda X_train, X_test: X_train[0][3],), "error",
     ["IndexError", "test_exercises_evaluation.py"]),
    ("standardize", (lambda X_train, X_test: standardize_by_hand(X_train, X_test)[0],), "wrong",
     ["you returned a list of 4 items", "return a pair"]),
    ("standardize", (standardize_min_max,), "wrong", ["X_train became", "[0.25, 1, 0.2857]"]),
    ("metric", ("precision", lambda t, p: recall_safe(t, p)), "swapped-metric",
     ["0.5", "0.6667", "that is the recall"]),
    ("metric", ("recall", lambda t, p: precision_safe(t, p)), "swapped-metric",
     ["0.6667", "0.5", "that is the precision"]),
    ("metric", ("precision", lambda t, p: counts(t, p)[0] / (counts(t, p)[0] + counts(t, p)[1])),
     "zero-division", ["[0, 0, 0, 0]", "no predicted positive", "ZeroDivisionError", "0"]),
    ("metric", ("recall", lambda t, p: counts(t, p)[0] / (counts(t, p)[0] + counts(t, p)[2])),
     "zero-division", ["no actual positive"]),
    ("metric", ("f1", lambda t, p: (lambda pr, rc: 2 * pr * rc / (pr + rc) if pr + rc else 0.0)(
        counts(t, p)[0] / (counts(t, p)[0] + counts(t, p)[1]), recall_safe(t, p))),
     "zero-division", ["no predicted positive"]),
    ("metric", ("precision", lambda t, p: precision_safe(t, p) if 1 in p else math.nan),
     "zero-division", ["returned nan"]),
    ("metric", ("recall", lambda t, p: recall_safe(t, p) if 1 in t else 1.0),
     "zero-division", ["you returned float 1.0", "expected 0.0", "a 0 / 0 case"]),
    ("metric", ("f1", lambda t, p: (precision_safe(t, p) + recall_safe(t, p)) / 2), "arithmetic-mean",
     ["0.5833", "0.5714", "harmonic"]),
    ("metric", ("accuracy", lambda t, p: sum(a == b for a, b in zip(t, p))), "count",
     ["you returned 5", "0.625", "len(y_true)"]),
    ("metric", ("accuracy", lambda t, p: t.count(1) / len(t[5])), "error", ["TypeError", "len(t[5])"]),
    ("metric", ("precision", lambda t, p: precision_safe([1 - v for v in t], [1 - v for v in p])), "wrong",
     ["you returned 0.6", "TP / (TP + FP) is 0.6667"]),
    ("metric", ("recall", lambda t, p: str(recall_safe(t, p))), "wrong", ["return a float"]),
    ("metric", ("precision", lambda t, p: precision_safe(t, p) if 1 in t else 0.5), "wrong",
     ["no actual positive", "expected 0"]),
    ("xor", (lambda seed: train_plus_minus(seed, nouts=(1,)),), "linear",
     ["affine", "f(0,0) + f(1,1) = f(0,1) + f(1,0)"]),
    ("xor", (lambda seed: train_plus_minus(seed, activation="linear"),), "linear", ["hidden layer"]),
    ("xor", (lambda seed: (lambda x: Value(0.5)),), "linear", ["[0.5, 0.5, 0.5, 0.5]", "constant"]),
    ("xor", (dead_relu,), "not-trained", ["[0.5, 0.5, 0.5, 0.5]", "dead ReLUs"]),
    ("xor", (lambda seed: MLP(2, [4, 1], activation="tanh", seed=seed),), "not-trained",
     ["no better than always answering"]),
    ("xor", (lambda seed: train_plus_minus(seed, steps=30, activation="relu"),), "wrong",
     ["more steps"]),
    ("xor", (lambda seed: train_plus_minus(seed).parameters(),), "wrong",
     ["returned a list of 17 items", "return the trained model"]),
    ("xor", (lambda seed: (lambda x: [Value(1.0), Value(2.0)]),), "wrong", ["one Value"]),
    ("xor", (lambda seed: train_plus_minus(seed) if seed < 1 else None.fit(),), "error",
     ["AttributeError", "for seed 1"]),
    ("xor", (lambda seed: (lambda x: Value(x[2])),), "error", ["IndexError", "called on [0.0, 0.0]"]),
]
CHECKS = {"standardize": exercises.check_standardize, "metric": exercises.check_metric,
          "xor": exercises.check_xor}


@pytest.mark.parametrize("check, args, code, words", PLANTED,
                         ids=[f"{c}-{code}-{i}" for i, (c, _, code, _) in enumerate(PLANTED)])
def test_planted_mistake_is_named(check, args, code, words):
    report = CHECKS[check](*args)
    assert not report and report.mistake == code, str(report)
    for w in words:
        assert w in report.message, (w, report.message)
    assert report.message[0].isupper() and str(report).startswith(f"{report.exercise}: not yet [{code}]. ")


def test_every_mistake_code_is_planted():
    assert {code for _, _, code, _ in PLANTED} - {"wrong"} == set(evaluation.MISTAKES)


# --- bad input to the checks -------------------------------------------------------------------


@pytest.mark.parametrize("call, error, words", [
    (lambda: exercises.check_metric("auc", accuracy_loop), ValueError, ["check_metric", "'auc'", "'f1'"]),
    (lambda: exercises.check_metric("f1", 0.5), TypeError, ["check_metric", "float 0.5"]),
    (lambda: exercises.check_standardize([[1.0]]), TypeError, ["check_standardize", "list"]),
    (lambda: exercises.check_xor(train_plus_minus(0)), TypeError,
     ["check_xor", "got a model", "def train_xor(seed)"]),
    (lambda: exercises.check_xor(None), TypeError, ["check_xor", "without calling it"]),
    (lambda: exercises.check_xor(train_plus_minus, seed="0"), TypeError, ["check_xor", "seed", "'0'"]),
])
def test_bad_input_is_explained(call, error, words):
    with pytest.raises(error) as info:
        call()
    for w in words:
        assert w in str(info.value)


# --- the library answers, against scikit-learn ---------------------------------------------------


def test_standard_scaler_matches_sklearn(sklearn):
    from sklearn.preprocessing import StandardScaler as SkScaler
    sk = SkScaler().fit(evaluation._TRAIN)
    for X in (evaluation._TRAIN, evaluation._TEST):
        expected = sk.transform(X).tolist()
        ours = evaluation._scaled(evaluation._TRAIN, X)
        flat = [v for row in expected for v in row]
        assert [v for row in ours for v in row] == pytest.approx(flat, rel=1e-12)


@pytest.mark.parametrize("name", sorted(evaluation._METRICS))
def test_metrics_match_sklearn_with_edges(sklearn, name):
    from sklearn import metrics as sk
    theirs = {"accuracy": sk.accuracy_score, "precision": sk.precision_score,
              "recall": sk.recall_score, "f1": sk.f1_score}[name]
    cases = [(evaluation._Y_TRUE, evaluation._Y_PRED)] + [(t, p) for t, p, _ in evaluation._EDGES]
    for y_true, y_pred in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn warns at 0 / 0 and returns 0.0
            expected = theirs(y_true, y_pred)
        assert evaluation._METRICS[name](y_true, y_pred) == expected


def test_main_metric_case_by_hand():
    # TP = 2, FP = 1, FN = 2, TN = 3
    got = {name: f(evaluation._Y_TRUE, evaluation._Y_PRED) for name, f in evaluation._METRICS.items()}
    assert got == pytest.approx({"accuracy": 5 / 8, "precision": 2 / 3, "recall": 1 / 2, "f1": 4 / 7})

"""Exercises on data and evaluation: standardize features, score predictions, solve XOR.

The checks compare your function with ``micrograd_like.preprocessing`` and
``micrograd_like.metrics`` (which agree with scikit-learn), and, for XOR,
with the four right answers. When an answer is wrong they try what the usual
mistakes would give (statistics taken from the test set, precision and
recall swapped, a model with no hidden nonlinearity, ...) and name it.

>>> from micrograd_like import exercises
>>> def accuracy(y_true, y_pred):
...     return sum(t == p for t, p in zip(y_true, y_pred)) / len(y_true)
>>> print(exercises.check_metric("accuracy", accuracy))
accuracy: correct, 0.625 on the main case and right on 3 edge cases, as metrics.accuracy_score.
"""

from __future__ import annotations

import math
import time
from numbers import Integral
from typing import Any, Callable, List, Optional, Tuple

from micrograd_like import metrics
from micrograd_like.engine import Value
from micrograd_like.exercises._report import Report, _check_name
from micrograd_like.exercises.ops import _seen
from micrograd_like.exercises.training import (_check_callable, _close, _error, _fail, _fmt,
                                               _is_number, _run)
from micrograd_like.module import Module
from micrograd_like.preprocessing import StandardScaler

__all__ = ["check_standardize", "check_metric", "check_xor"]

MISTAKES = {
    "leak": "the scaling statistics came from the test set (or from train + test), not train only",
    "variance": "divided by the variance instead of the standard deviation",
    "ddof": "divided by the sample standard deviation (n - 1); StandardScaler uses n",
    "rows": "each row (sample) was normalised instead of each column (feature)",
    "swapped-metric": "precision and recall swapped: precision is TP / (TP + FP)",
    "zero-division": "a crash, nan or not 0.0 where a metric is 0 / 0 (scikit-learn gives 0.0)",
    "arithmetic-mean": "F1 as (p + r) / 2; it is the harmonic mean 2 p r / (p + r)",
    "count": "accuracy as the number of right predictions, not the fraction",
    "linear": "the model is affine in its input (no hidden nonlinearity): XOR is out of its reach",
    "not-trained": "the model's outputs are equal for every point, or no better than a constant",
    "error": "your code raised an exception",
}


# --- standardization -------------------------------------------------------------

_TRAIN = [[1.0, 10.0, -2.0], [2.0, 14.0, 0.0], [4.0, 6.0, 1.0], [5.0, 10.0, 5.0]]
_TEST = [[3.0, 20.0, 1.0], [8.0, 0.0, -3.0]]
Rows = List[List[float]]


def _scaled(fit_on: Rows, X: Rows, divide: str = "std") -> Rows:
    """X scaled with fit_on's column statistics; ``divide`` is "std", "var" or "sample-std"."""
    s, n = StandardScaler().fit(fit_on), len(fit_on)
    by = {"std": s.scale_, "var": s.var_,
          "sample-std": [math.sqrt(v * n / (n - 1)) for v in s.var_]}[divide]
    return [[(v - m) / d for v, m, d in zip(row, s.mean_, by)] for row in X]


def _by_rows(X: Rows, ddof: int) -> Rows:
    out = []
    for row in X:
        m = sum(row) / len(row)
        sd = math.sqrt(sum((v - m) ** 2 for v in row) / (len(row) - ddof))
        out.append([(v - m) / sd for v in row])
    return out


def _matrix(X: Any) -> Optional[Rows]:
    """Rows of floats (lists, tuples or numpy arrays), or None if X is not that."""
    try:
        return [[float(v) for v in row] for row in X]
    except (TypeError, ValueError):
        return None


def check_standardize(fn: Callable) -> Report:
    """Check ``fn(X_train, X_test) -> (X_train_scaled, X_test_scaled)`` against StandardScaler.

    Each column (feature) gets ``(x - mean) / std``, where the mean and the
    population standard deviation (divided by n) come from ``X_train`` only,
    and the same numbers scale ``X_test``: exactly
    ``StandardScaler().fit(X_train)`` then ``transform`` of each. Rows are
    lists of floats. Names "leak", "variance", "ddof", "rows" and "error".

    >>> from micrograd_like import exercises
    >>> def standardize(X_train, X_test):
    ...     n = len(X_train)
    ...     means = [sum(col) / n for col in zip(*X_train)]
    ...     stds = [(sum((v - m) ** 2 for v in c) / n) ** 0.5 for c, m in zip(zip(*X_train), means)]
    ...     scale = lambda X: [[(v - m) / s for v, m, s in zip(row, means, stds)] for row in X]
    ...     return scale(X_train), scale(X_test)
    >>> bool(exercises.check_standardize(standardize))
    True
    """
    _check_callable(fn, "check_standardize", "check_standardize(my_standardize)")
    exercise = "standardize"
    on = f"For X_train = {_fmt(_TRAIN)} and X_test = {_fmt(_TEST)}"
    out, err = _run(fn, [list(r) for r in _TRAIN], [list(r) for r in _TEST])
    if err is not None:
        return _error(exercise, err, on[0].lower() + on[1:])
    pair = list(out) if isinstance(out, (list, tuple)) else None
    train, test = (_matrix(pair[0]), _matrix(pair[1])) if pair and len(pair) == 2 else (None, None)
    if train is None or test is None:
        return _fail(exercise, f"{on}, you returned {_kind(out)}; return a pair "
                     "(X_train_scaled, X_test_scaled), each a list of rows.", "wrong")
    right = (_scaled(_TRAIN, _TRAIN), _scaled(_TRAIN, _TEST))
    if _close(train, right[0]) and _close(test, right[1]):
        return Report(exercise, True, "train and test scaled with X_train's means and standard "
                      "deviations, as StandardScaler().fit(X_train).")
    both = _TRAIN + _TEST
    fit_test = ("the means and standard deviations came from X_test, which the model must not see "
                "before the test: compute them from X_train, and scale both with them")
    fit_both = ("the means and standard deviations came from X_train + X_test, so the test set "
                "leaked into them: compute them from X_train only")
    mistakes = [  # (code, the train and test outputs that mistake gives, what to say)
        ("leak", (right[0], _scaled(_TEST, _TEST)),
         "X_test was scaled with its own statistics; " + fit_test),
        ("leak", (_scaled(_TEST, _TRAIN), _scaled(_TEST, _TEST)), fit_test),
        ("leak", (_scaled(both, _TRAIN), _scaled(both, _TEST)), fit_both),
        ("variance", (_scaled(_TRAIN, _TRAIN, "var"), _scaled(_TRAIN, _TEST, "var")),
         "you divided by the variance; divide by its square root, the standard deviation"),
        ("ddof", (_scaled(_TRAIN, _TRAIN, "sample-std"), _scaled(_TRAIN, _TEST, "sample-std")),
         "you divided by the sample standard deviation (n - 1, as statistics.stdev); "
         "StandardScaler divides the sum of squares by n (as statistics.pstdev)"),
        ("rows", (_by_rows(_TRAIN, 0), _by_rows(_TEST, 0)), "each row was normalised; "
         "standardize each column (feature): for col in zip(*X_train)"),
        ("rows", (_by_rows(_TRAIN, 1), _by_rows(_TEST, 1)), "each row was normalised; "
         "standardize each column (feature): for col in zip(*X_train)"),
    ]
    got = f"{on}, X_test became {_fmt(test)}; fitted on X_train only it is {_fmt(right[1])}"
    for code, (tr, te), say in mistakes:
        if _close(train, tr) and _close(test, te):
            return _fail(exercise, f"{got}: {say}.", code)
    if not _close(train, right[0]):
        got = f"{on}, X_train became {_fmt(train)}; expected {_fmt(right[0])}"
    return _fail(exercise, f"{got}. Each column: subtract X_train's mean, divide by X_train's "
                 "standard deviation (sum of squares / n, square root).", "wrong")


# --- metrics ---------------------------------------------------------------------

_Y_TRUE = [1, 1, 1, 0, 0, 0, 1, 0]
_Y_PRED = [1, 0, 1, 1, 0, 0, 0, 0]  # TP = 2, FN = 2, FP = 1, TN = 3
_EDGES = [  # (y_true, y_pred, what is special)
    ([1, 0, 1, 0], [0, 0, 0, 0], "no predicted positive: TP + FP = 0"),
    ([0, 0, 0, 0], [0, 1, 0, 0], "no actual positive: TP + FN = 0"),
    ([0, 0, 0], [0, 0, 0], "no positive at all"),
]
_METRICS = {
    "accuracy": lambda t, p: metrics.accuracy_score(t, p),
    "precision": lambda t, p: metrics.precision_score(t, p, zero_division=0),
    "recall": lambda t, p: metrics.recall_score(t, p, zero_division=0),
    "f1": lambda t, p: metrics.f1_score(t, p, zero_division=0),
}
_FORMULA = {"accuracy": "(TP + TN) / n", "precision": "TP / (TP + FP)",
            "recall": "TP / (TP + FN)", "f1": "2 TP / (2 TP + FP + FN)"}


def check_metric(name: str, fn: Callable) -> Report:
    """Check ``fn(y_true, y_pred) -> float`` for binary labels 0/1 (positive class 1).

    ``name`` is ``"accuracy"``, ``"precision"`` (TP / (TP + FP)),
    ``"recall"`` (TP / (TP + FN)) or ``"f1"`` (their harmonic mean,
    2 TP / (2 TP + FP + FN)). The answer must equal ``micrograd_like.metrics``
    (scikit-learn's numbers), including 0.0 where the formula is 0 / 0.
    Names "swapped-metric", "zero-division", "arithmetic-mean", "count" and
    "error".

    >>> from micrograd_like import exercises
    >>> def precision(y_true, y_pred):
    ...     tp = sum(t == 1 and p == 1 for t, p in zip(y_true, y_pred))
    ...     return tp / sum(t == 1 for t in y_true)     # that divides by TP + FN
    >>> exercises.check_metric("precision", precision).mistake
    'swapped-metric'
    """
    _check_name(name, _METRICS, "check_metric", "metric")
    _check_callable(fn, "check_metric", f"check_metric({name!r}, my_{name})")
    on = f"For y_true = {_Y_TRUE} and y_pred = {_Y_PRED} (TP = 2, FP = 1, FN = 2, TN = 3)"
    got, err = _run(fn, list(_Y_TRUE), list(_Y_PRED))
    if err is not None:
        return _error(name, err, on[0].lower() + on[1:])
    expected = _METRICS[name](_Y_TRUE, _Y_PRED)
    if not _is_number(got):
        return _fail(name, f"{on}, you returned {_kind(got)}; return a float, here "
                     f"{_fmt(expected)}.", "wrong")
    if not _close(got, expected):
        return _diagnose_metric(name, got, f"{on}, you returned {_fmt(got)}; {name} "
                                f"{_FORMULA[name]} is {_fmt(expected)}")
    for y_true, y_pred, special in _EDGES:
        report = _check_edge(name, fn, y_true, y_pred, special)
        if report is not None:
            return report
    return Report(name, True, f"{_fmt(expected)} on the main case and right on "
                  f"{len(_EDGES)} edge cases, as metrics.{_LIBRARY[name]}.")


def _diagnose_metric(name: str, got: float, said: str) -> Report:
    """The main case is wrong: is it the other metric, the wrong mean, a count?"""
    p, r = _METRICS["precision"](_Y_TRUE, _Y_PRED), _METRICS["recall"](_Y_TRUE, _Y_PRED)
    if name in ("precision", "recall") and _close(got, r if name == "precision" else p):
        other = "recall" if name == "precision" else "precision"
        by = "predicted" if name == "precision" else "actual"
        return _fail(name, f"{said}: that is the {other}, {_FORMULA[other]}. "
                     f"{name.capitalize()} divides TP by all {by} positives.", "swapped-metric")
    if name == "f1" and _close(got, (p + r) / 2):
        return _fail(name, f"{said}: (p + r) / 2 with p = {_fmt(p)}, r = {_fmt(r)} is the "
                     "arithmetic mean; F1 is the harmonic mean 2 p r / (p + r).",
                     "arithmetic-mean")
    if name == "accuracy" and _close(got, _METRICS[name](_Y_TRUE, _Y_PRED) * len(_Y_TRUE)):
        return _fail(name, f"{said}: that is the number of right predictions; divide by "
                     "len(y_true).", "count")
    return _fail(name, f"{said}.", "wrong")


def _check_edge(name: str, fn: Callable, y_true: List[int], y_pred: List[int],
                special: str) -> Optional[Report]:
    """None if fn gives scikit-learn's answer where a denominator may be 0, else the Report."""
    got, err = _run(fn, list(y_true), list(y_pred))
    case = f"for y_true = {y_true} and y_pred = {y_pred} ({special})"
    want = _METRICS[name](y_true, y_pred)
    nan = err is None and _is_number(got) and math.isnan(got)
    if isinstance(err, ZeroDivisionError) or nan:
        seen = "returned nan" if nan else "raised ZeroDivisionError"
        return _fail(name, f"{case}, your {name} {seen}. Where a denominator is 0, scikit-learn "
                     f"returns {want!r} (zero_division='warn'): test it before dividing.",
                     "zero-division")
    if err is not None:
        return _error(name, err, case)
    if _is_number(got) and _close(got, want):
        return None
    # 0 / 0 in precision (nothing predicted positive) or recall (nothing actually positive)
    undefined = ((name in ("precision", "f1") and 1 not in y_pred)
                 or (name in ("recall", "f1") and 1 not in y_true))
    why = f": a 0 / 0 case, where scikit-learn returns {want!r}" if undefined else ""
    return _fail(name, f"{case}, you returned {_kind(got)}; expected {want!r}{why}.",
                 "zero-division" if undefined and _is_number(got) else "wrong")


_LIBRARY = {"accuracy": "accuracy_score", "precision": "precision_score",
            "recall": "recall_score", "f1": "f1_score"}


def _kind(x: Any) -> str:
    """What a wrong return value is, briefly: 'a list of 4 items', 'None'."""
    if isinstance(x, (list, tuple, dict)):
        return f"a {type(x).__name__} of {len(x)} items"
    return f"{type(x).__name__} {x!r:.40}" if x is not None else "None"


# --- XOR -------------------------------------------------------------------------

_XOR = [([0.0, 0.0], 0), ([0.0, 1.0], 1), ([1.0, 0.0], 1), ([1.0, 1.0], 0)]
# Points beyond the four, to tell an affine model from a nonlinear one.
# Far ones in every direction too: ReLU units dead on the unit square wake up there.
_PROBES = [[0.5, 0.5], [3.0, -1.0]] + [[r * a, r * b] for r in (5.0, 50.0) for a, b in
                                       [(1, 1), (-1, -1), (1, -1), (-1, 1)]]
# the two readings of the outputs: (name, target per label, threshold, squared error of
# always answering the mean target)
_ENCODINGS = [("0/1 targets, decided by > 0.5", (0.0, 1.0), 0.5, 0.25),
              ("-1/+1 targets, decided by the sign", (-1.0, 1.0), 0.0, 1.0)]
_SLOW = 2.0  # seconds per seed beyond which the report suggests fewer steps


def check_xor(fn: Callable, seed: int = 0) -> Report:
    """Check ``fn(seed) -> model``: a trained model that gets all four XOR points right.

    XOR maps (0, 0) and (1, 1) to 0, (0, 1) and (1, 0) to 1. Targets may be
    0/1 or -1/+1: the check reads the outputs both ways and keeps the one
    they fit better (squared error, relative to always answering the mean
    target), then decides by > 0.5 (0/1) or by the sign (-1/+1); the report
    says which. The model is called on a list of 2 floats and returns a
    Value (or a list of one Value).
    ``fn`` is run for ``seed``, ``seed + 1`` and ``seed + 2``; all must pass.
    Names "linear" (a model with no hidden nonlinearity: no affine function
    can do XOR), "not-trained" and "error".

    >>> from micrograd_like import exercises
    >>> def no_hidden_layer(seed):
    ...     model = MLP(2, [1], seed=seed)
    ...     for _ in range(50):
    ...         data = [([0, 0], 0), ([0, 1], 1), ([1, 0], 1), ([1, 1], 0)]
    ...         loss = sum((model(x) - y) ** 2 for x, y in data)
    ...         model.zero_grad(); loss.backward()
    ...         for p in model.parameters():
    ...             p.data -= 0.05 * p.grad
    ...     return model
    >>> exercises.check_xor(no_hidden_layer).mistake
    'linear'
    """
    _check_callable(fn, "check_xor", "check_xor(train_xor)")
    if isinstance(fn, Module):
        raise TypeError(f"check_xor: got a model, {fn!r}; pass the function that builds and "
                        "trains one for a seed, e.g. check_xor(train_xor) with "
                        "def train_xor(seed): ...")
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"check_xor: seed must be an int, got {type(seed).__name__} {seed!r}")
    exercise, rules, slow = "xor", [], []
    for s in (int(seed), int(seed) + 1, int(seed) + 2):
        start = time.perf_counter()
        model, err = _run(fn, s)
        seconds = time.perf_counter() - start
        if err is not None:
            return _error(exercise, err, f"for seed {s}")
        if seconds > _SLOW:
            slow.append(f"{seconds:.1f} s for seed {s}")
        outputs, failed = _outputs(exercise, model, [x for x, _ in _XOR], s)
        if failed is not None:
            return failed
        # Read the outputs with the encoding they fit better, relative to a constant answer.
        ratio, rule, threshold = min((_mse(outputs, targets) / constant, rule, threshold)
                                     for rule, targets, threshold, constant in _ENCODINGS)
        rules.append(rule)
        labels = [int(o > threshold) for o in outputs]
        if labels == [y for _, y in _XOR]:
            continue
        right = sum(a == y for a, (_, y) in zip(labels, _XOR))
        seen = (f"For seed {s} the model gives {_fmt(outputs)} at (0,0), (0,1), (1,0), (1,1) "
                f"(read as {rule}): {right} of 4 right")
        return _diagnose_xor(exercise, model, outputs, ratio, seen, s)
    note = f" Training took {', '.join(slow)}: fewer steps would do." if slow else ""
    return Report(exercise, True, f"all four points right for seeds {seed}, {seed + 1}, "
                  f"{seed + 2} (outputs read as {' / '.join(sorted(set(rules)))}).{note}")


def _outputs(exercise: str, model: Any, points: Rows,
             s: int) -> Tuple[List[float], Optional[Report]]:
    """The model's output at each point as a float, or a Report saying why there is none."""
    if not callable(model):
        return [], _fail(exercise, f"for seed {s} your function returned {_kind(model)}; return "
                         "the trained model itself (callable on a list of 2 floats).", "wrong")
    outputs = []
    for x in points:
        out, err = _run(model, list(x))
        if err is not None:
            return [], _error(exercise, err, f"when the model (seed {s}) was called on {x}")
        if isinstance(out, (list, tuple)) and len(out) == 1:
            out = out[0]
        out = getattr(out, "data", out)  # a Value (ours, micrograd's) or a plain number
        if isinstance(out, Value):  # float() would read its number and hide the mistake
            return [], _fail(exercise, f"for seed {s} the model's output on {x} has a .data that "
                             f"is {_seen(out, 'Value(p.grad), p', 'p.grad, p.data')}; keep "
                             "floats in .data: p.data -= lr * p.grad.", "wrong")
        value = float(out) if _is_number(out) else None
        if value is None or math.isnan(value):
            return [], _fail(exercise, f"for seed {s} the model returned {_kind(out)} on {x}; it "
                             "must return one Value (or a list of one Value).", "wrong")
        outputs.append(value)
    return outputs, None


def _mse(outputs: List[float], targets: Tuple[float, float]) -> float:
    return sum((o - targets[y]) ** 2 for o, (_, y) in zip(outputs, _XOR)) / len(_XOR)


def _diagnose_xor(exercise: str, model: Any, outputs: List[float], ratio: float, seen: str,
                  s: int) -> Report:
    # An affine f(x) = a + b1 x1 + b2 x2 is fixed by f(0,0), f(0,1), f(1,0); if the
    # model equals that plane at the fourth point and at far-off probes, it is affine.
    a, b2, b1 = outputs[0], outputs[1] - outputs[0], outputs[2] - outputs[0]
    probes, failed = _outputs(exercise, model, _PROBES, s)
    if failed is not None:
        return failed
    scale = 1.0 + max(abs(v) for v in outputs + probes)
    plane = [a + b1 * x1 + b2 * x2 for x1, x2 in [[1.0, 1.0]] + _PROBES]
    if all(abs(f - g) <= 1e-6 * scale for f, g in zip([outputs[3]] + probes, plane)):
        return _fail(exercise, f"{seen}. The model is an affine function of its input (no "
                     "hidden layer, or a linear activation), and no affine f can do XOR: f(0,0) + "
                     "f(1,1) = f(0,1) + f(1,0) always, so the two 0-points cannot both be below "
                     "the two 1-points (the best affine fit is a constant). Add a hidden layer "
                     "with a nonlinearity: MLP(2, [4, 1], activation='tanh').", "linear")
    if max(outputs) - min(outputs) <= 1e-9 * scale:
        return _fail(exercise, f"{seen}: the same output for every point, though the model is "
                     "not constant elsewhere. Its hidden units are off on all four points (dead "
                     "ReLUs): try tanh, a smaller lr or another seed.", "not-trained")
    if ratio >= 1.0:
        return _fail(exercise, f"{seen}; its squared error is no better than always answering "
                     "the mean target, under either reading. It looks untrained: does your loop "
                     "call loss.backward() and change p.data, for enough steps?", "not-trained")
    return _fail(exercise, f"{seen}. It learned something but not XOR yet: train for more "
                 "steps, with a larger lr, or more hidden units.", "wrong")

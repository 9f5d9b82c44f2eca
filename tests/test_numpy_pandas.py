"""numpy arrays and pandas DataFrames/Series are accepted wherever lists are.

Oracle: the same call with plain lists (the results must be identical),
and scikit-learn on the same arrays. numpy and pandas are only used by the
tests; a subprocess without them checks that nothing imports them.
"""

import subprocess
import sys

import pytest

from micrograd_like import MLP, fit
from micrograd_like.losses import mse_loss
from micrograd_like.metrics import accuracy_score, f1_score, mean_squared_error
from micrograd_like.model_selection import train_test_split
from micrograd_like.optim import SGD
from micrograd_like.predict import evaluate, predict
from micrograd_like.preprocessing import MinMaxScaler, StandardScaler
from micrograd_like.train import batches

X = [[0.0, 1.0], [1.0, 0.5], [2.0, -1.0], [3.0, 0.25], [4.0, 2.0], [5.0, -0.5]]
y = [0.5, 1.0, 0.0, 2.0, 1.5, 3.0]


def _fit(X_, y_, val=None):
    model = MLP(2, [4, 1], seed=0)
    h = fit(model, mse_loss, SGD(model.parameters(), lr=0.01), X_, y_, epochs=5, batch_size=2,
            seed=0, verbose=0, validation_data=val)
    return h, model


def test_fit_takes_arrays_and_frames(numpy, pandas):
    plain, _ = _fit(X, y, (X, y))
    arrays, _ = _fit(numpy.array(X), numpy.array(y), (numpy.array(X), numpy.array(y)))
    frame = pandas.DataFrame(X, columns=["a", "b"])
    frames, model = _fit(frame, pandas.Series(y), (frame, pandas.Series(y)))
    assert plain["loss"] == arrays["loss"] == frames["loss"]
    assert plain["val_loss"] == frames["val_loss"]
    assert predict(model, frame) == predict(model, X) == predict(model, numpy.array(X))
    assert evaluate(model, mse_loss, frame, pandas.Series(y)) == evaluate(model, mse_loss, X, y)


def test_splits_take_frames_and_keep_rows_together(numpy, pandas):
    frame = pandas.DataFrame({"a": [float(i) for i in range(10)], "b": [2.0 * i for i in range(10)]})
    target = pandas.Series([i % 2 for i in range(10)])
    X_tr, X_te, y_tr, y_te = train_test_split(frame, target, test_size=0.3, stratify=target,
                                              random_state=0)
    assert len(X_tr) == 7 and len(X_te) == 3 and all(type(r) is list for r in X_tr)
    for rows, ys in ((X_tr, y_tr), (X_te, y_te)):
        assert all(r[1] == 2 * r[0] and int(r[0]) % 2 == t for r, t in zip(rows, ys))
    a_tr, a_te = train_test_split(numpy.arange(8), random_state=1)
    assert sorted(a_tr + a_te) == list(range(8))
    assert [len(b[0]) for b in batches(numpy.array(X), numpy.array(y), 4, shuffle=False)] == [4, 2]


def test_scalers_take_arrays_and_agree_with_scikit_learn(numpy, pandas, sklearn):
    import importlib

    skp = importlib.import_module("sklearn.preprocessing")
    arr = numpy.array(X)
    for ours, theirs in ((StandardScaler(), skp.StandardScaler()), (MinMaxScaler(), skp.MinMaxScaler())):
        got = ours.fit(arr).transform(pandas.DataFrame(X))
        want = theirs.fit_transform(arr).tolist()
        flat = [v for row in want for v in row]
        assert [v for row in got for v in row] == pytest.approx(flat, rel=1e-12, abs=1e-12)
        assert ours.fit(X).transform(X) == got


def test_metrics_take_arrays_and_series(numpy, pandas, sklearn):
    import importlib

    skm = importlib.import_module("sklearn.metrics")
    t = numpy.array([0, 1, 1, 0, 1])
    p = pandas.Series([0, 1, 0, 0, 1])
    assert accuracy_score(t, p) == skm.accuracy_score(t, p) == accuracy_score(t.tolist(), p.tolist())
    assert f1_score(t, p) == pytest.approx(skm.f1_score(t, p))
    labels = pandas.Series(["cat", "dog", "dog"])
    assert accuracy_score(labels, ["cat", "dog", "cat"]) == pytest.approx(2 / 3)
    assert mean_squared_error(numpy.array(y), numpy.array(y) + 1.0) == pytest.approx(1.0)


def test_a_column_that_is_not_numbers_is_named(pandas):
    frame = pandas.DataFrame({"size": [1.0, 2.0, 3.0], "colour": ["red", "blue", "red"]})
    model = MLP(2, [1], seed=0)
    with pytest.raises(TypeError, match=r"fit: X column 'colour' holds (object|str) values, not numbers"):
        fit(model, mse_loss, SGD(model.parameters(), lr=0.1), frame, [0.0, 1.0, 2.0], verbose=0)
    with pytest.raises(TypeError, match=r"StandardScaler.fit: X column 'colour'"):
        StandardScaler().fit(frame)
    with pytest.raises(TypeError, match=r"train_test_split: arrays\[0\] column 'colour'"):
        train_test_split(frame, [0, 1, 2])


def test_nothing_imports_numpy_or_pandas():
    code = (
        "import sys\n"
        "sys.modules['numpy'] = None; sys.modules['pandas'] = None  # not installed\n"
        "from micrograd_like import MLP, fit\n"
        "from micrograd_like.losses import mse_loss\n"
        "from micrograd_like.optim import SGD\n"
        "from micrograd_like.model_selection import train_test_split\n"
        "from micrograd_like.preprocessing import StandardScaler\n"
        "from micrograd_like.metrics import accuracy_score\n"
        "m = MLP(1, [2, 1], seed=0)\n"
        "X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.0, 3.0]\n"
        "Xa, Xb, ya, yb = train_test_split(StandardScaler().fit_transform(X), y, random_state=0)\n"
        "fit(m, mse_loss, SGD(m.parameters(), lr=0.1), Xa, ya, epochs=2, verbose=0)\n"
        "print(accuracy_score([0, 1], [0, 1]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1.0"

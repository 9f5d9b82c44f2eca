"""train_test_split with scikit-learn's signature: *arrays, test_size, train_size, random_state.

Oracle: scikit-learn's own train_test_split (part sizes, which arguments it
refuses) and alignment checks by hand.
"""

import importlib

import pytest

from micrograd_like.datasets import make_moons
from micrograd_like.model_selection import train_test_split


@pytest.fixture(scope="module")
def sk_split(sklearn):
    return importlib.import_module("sklearn.model_selection").train_test_split


@pytest.mark.parametrize("n", [4, 10, 33])
@pytest.mark.parametrize("test_size, train_size", [
    (None, None), (0.25, None), (0.3, None), (None, 0.6), (0.2, 0.5), (3, None), (None, 2),
    (1, 2), (0.5, 0.5), (0.1, None),
])
def test_part_sizes_are_scikit_learns(sk_split, n, test_size, train_size):
    X = [[float(i)] for i in range(n)]
    try:
        theirs = sk_split(X, test_size=test_size, train_size=train_size, random_state=0)
    except ValueError:
        with pytest.raises(ValueError, match="train_test_split"):
            train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
        return
    ours = train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
    assert [len(part) for part in ours] == [len(part) for part in theirs]


def test_any_number_of_arrays_stays_aligned():
    X = [[float(i)] for i in range(20)]
    y = [i * 10 for i in range(20)]
    names = [f"s{i}" for i in range(20)]
    X_tr, X_te, y_tr, y_te, n_tr, n_te = train_test_split(X, y, names, random_state=3)
    for xs, ys, ns in ((X_tr, y_tr, n_tr), (X_te, y_te, n_te)):
        assert [int(x[0]) * 10 for x in xs] == ys and [f"s{int(x[0])}" for x in xs] == ns
    assert sorted(int(x[0]) for x in X_tr + X_te) == list(range(20))
    [a_tr, a_te] = train_test_split(list(range(8)), test_size=2, random_state=0)  # one array
    assert len(a_tr) == 6 and len(a_te) == 2


def test_random_state_and_seed_are_the_same_word():
    X = list(range(30))
    assert train_test_split(X, random_state=5) == train_test_split(X, seed=5)
    assert train_test_split(X, random_state=5) != train_test_split(X, random_state=6)
    with pytest.raises(ValueError, match="pass random_state= or seed="):
        train_test_split(X, random_state=1, seed=1)


def test_the_generators_take_random_state(sklearn):
    sk = importlib.import_module("sklearn.datasets")
    ours = make_moons(50, noise=0.1, random_state=4)
    assert ours == make_moons(50, noise=0.1, seed=4)
    # the same argument name as scikit-learn's, for every generator both have
    import inspect
    from micrograd_like import datasets

    for name in ("make_moons", "make_circles", "make_blobs"):
        assert "random_state" in inspect.signature(getattr(datasets, name)).parameters
        assert "random_state" in inspect.signature(getattr(sk, name)).parameters


def test_no_arrays_is_scikit_learns_error(sk_split):
    with pytest.raises(ValueError):
        sk_split()
    with pytest.raises(TypeError, match="train_test_split: at least one array required"):
        train_test_split()


def test_sizes_that_ask_for_too_much_are_refused():
    with pytest.raises(ValueError, match="make them add up to at most 1"):
        train_test_split(list(range(10)), test_size=6, train_size=5)


@pytest.mark.parametrize("n", [10, 20, 100])
@pytest.mark.parametrize("test_size, train_size", [
    (0.6, 0.45), (0.6, 0.6), (0.5, 0.5), (0.3, 0.7), (0.55, 0.46), (0.99, 0.02), (0.25, 0.7),
])
def test_fractions_that_sum_past_1_are_refused_as_scikit_learn_does(sk_split, n, test_size, train_size):
    # 0.6 + 0.45 on 10 samples asks for 6 + 4 rounded samples, which fit: only the sum tells.
    X = list(range(n))
    try:
        theirs = sk_split(X, test_size=test_size, train_size=train_size, random_state=0)
    except ValueError:
        with pytest.raises(ValueError, match=r"train_test_split: the sum of test_size and "
                                             r"train_size = .*reduce test_size and/or train_size"):
            train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
        return
    ours = train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
    assert [len(p) for p in ours] == [len(p) for p in theirs]


def _class_counts(part, key):
    counts = {}
    for row in part:
        counts[key(row)] = counts.get(key(row), 0) + 1
    return counts


@pytest.mark.parametrize("as_array", [False, True])
@pytest.mark.parametrize("rows, test_size", [
    ([[1, 0]] * 6 + [[0, 1]] * 4, 0.5),                        # one-hot, 2 classes
    ([[1, 0, 0]] * 8 + [[0, 1, 0]] * 4 + [[0, 0, 1]] * 8, 0.25),  # one-hot, 3 classes
    ([[1, 1]] * 4 + [[1, 0]] * 6 + [[0, 1]] * 2 + [[0, 0]] * 8, 0.5),  # multilabel rows
])
def test_stratify_by_rows_gives_scikit_learns_class_counts(sk_split, numpy, rows, test_size, as_array):
    # Each row is one class, as scikit-learn joins a row into one key.
    idx = list(range(len(rows)))
    labels = numpy.array(rows) if as_array else rows
    ours = train_test_split(idx, stratify=labels, test_size=test_size, random_state=0)
    theirs = sk_split(idx, stratify=numpy.array(rows), test_size=test_size, random_state=0)
    key = lambda i: tuple(rows[i])  # noqa: E731
    for mine, sk in zip(ours, theirs):
        assert _class_counts(mine, key) == _class_counts(sk.tolist() if hasattr(sk, "tolist") else sk, key)
    # the same split as the rows' class numbers would give
    as_ints = [sorted(set(map(tuple, rows))).index(tuple(r)) for r in rows]
    assert ours == train_test_split(idx, stratify=as_ints, test_size=test_size, random_state=0)


@pytest.mark.parametrize("labels", [
    [0, 1, 0, 1, 0, 1, 0, 1, float("nan"), 1],
    [[0, 1]] * 5 + [[1, float("nan")]] + [[1, 0]] * 4,
])
def test_nan_in_stratify_is_refused_as_scikit_learn_does(sk_split, numpy, labels):
    X = list(range(10))
    with pytest.raises(ValueError):
        sk_split(X, stratify=numpy.array(labels, dtype=float), random_state=0)
    with pytest.raises(ValueError, match=r"train_test_split: stratify\[\d\] is nan"):
        train_test_split(X, stratify=labels, random_state=0)
    with pytest.raises(ValueError, match=r"train_test_split: stratify\[\d\] is nan"):
        train_test_split(X, stratify=numpy.array(labels, dtype=float), random_state=0)


def test_stratify_rows_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match=r"train_test_split: stratify\[2\] has 1 values"):
        train_test_split(list(range(4)), stratify=[[0, 1], [1, 0], [1], [0, 1]])

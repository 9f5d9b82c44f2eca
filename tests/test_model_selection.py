"""Tests for micrograd_like.model_selection.train_test_split.

Oracles: scikit-learn (split sizes and stratified class counts) and
alignment checks derived by hand.
"""

from collections import Counter

import pytest

from _data_helpers import _indexed, _sk
from micrograd_like.model_selection import (
    train_test_split,
)


# --- train_test_split --------------------------------------------------------




@pytest.mark.parametrize("n", [2, 3, 7, 10, 101])
@pytest.mark.parametrize("test_size", [0.1, 0.25, 0.5, 0.9, 1, 2])
def test_split_sizes_match_sklearn_and_lose_nothing(sklearn, n, test_size):
    model_selection = _sk(sklearn, "model_selection")
    X, y = _indexed(n)
    try:
        sk = model_selection.train_test_split(X, y, test_size=test_size, random_state=0)
    except ValueError:
        with pytest.raises(ValueError, match="test_size"):
            train_test_split(X, y, test_size=test_size, seed=0)
        return
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, seed=0)
    assert (len(X_tr), len(X_te)) == (len(sk[0]), len(sk[1]))
    assert (len(y_tr), len(y_te)) == (len(sk[2]), len(sk[3]))
    used = [row[0] for row in X_tr + X_te]
    assert sorted(used) == [float(i) for i in range(n)]  # no overlap, nothing lost
    assert all(label == row[0] * 10 for row, label in zip(X_tr + X_te, y_tr + y_te))


def test_split_without_shuffle_matches_sklearn(sklearn):
    model_selection = _sk(sklearn, "model_selection")
    X, y = _indexed(9)
    ours = train_test_split(X, y, test_size=0.3, shuffle=False)
    theirs = model_selection.train_test_split(X, y, test_size=0.3, shuffle=False)
    assert list(ours) == [list(part) for part in theirs]


def test_split_is_deterministic_per_seed_and_shuffles():
    X, y = _indexed(50)
    assert train_test_split(X, y, seed=1) == train_test_split(X, y, seed=1)
    assert train_test_split(X, y, seed=1) != train_test_split(X, y, seed=2)
    X_tr, _, _, _ = train_test_split(X, y, seed=1)
    assert X_tr != sorted(X_tr)


@pytest.mark.parametrize(
    "counts, test_size",
    [
        ([50, 50], 0.25),
        ([90, 10], 0.2),
        ([30, 20, 10], 0.3),
        ([7, 5, 3, 2], 0.4),
        ([12, 12, 13], 10),
    ],
)
def test_stratified_split_class_counts_match_sklearn(sklearn, counts, test_size):
    model_selection = _sk(sklearn, "model_selection")
    y = [c for c, k in enumerate(counts) for _ in range(k)]
    X = [[float(i)] for i in range(len(y))]
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, stratify=y, seed=3)
    _, _, y_tr_sk, y_te_sk = model_selection.train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=3
    )

    # Classes of equal size may swap who gets a tie-broken extra sample, so
    # compare per-class (class size, test count) as multisets.
    def pairs(y_test):
        got = Counter(y_test)
        return sorted((counts[c], got[c]) for c in range(len(counts)))

    assert pairs(y_te) == pairs(list(y_te_sk))
    assert len(y_tr) == len(y_tr_sk)
    assert sorted(row[0] for row in X_tr + X_te) == [float(i) for i in range(len(y))]
    assert all(y[int(row[0])] == label for row, label in zip(X_tr + X_te, y_tr + y_te))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: train_test_split([[1.0]] * 3, [0, 1], seed=0),
            ValueError,
            "X has 3 samples but y has 2",
        ),
        (
            lambda: train_test_split([[1.0]] * 4, [0] * 4, test_size=0.0),
            ValueError,
            r"test_size=0.0 .* \(0, 1\)",
        ),
        (
            lambda: train_test_split([[1.0]] * 4, [0] * 4, test_size=1.0),
            ValueError,
            r"test_size=1.0 .* \(0, 1\)",
        ),
        (
            lambda: train_test_split([[1.0]] * 4, [0] * 4, test_size=4),
            ValueError,
            r"test_size=4 .* \[1, 3\]",
        ),
        (
            lambda: train_test_split([[1.0]] * 4, [0] * 4, test_size="0.2"),
            TypeError,
            "test_size must be",
        ),
        (
            lambda: train_test_split([[1.0]] * 4, [0] * 4, test_size=True),
            TypeError,
            "test_size must be",
        ),
        (lambda: train_test_split([[1.0]], [0]), ValueError, "at least 2 samples"),
        (
            lambda: train_test_split([[1.0]] * 4, [0, 0, 0, 1], stratify=[0, 0, 0, 1]),
            ValueError,
            "only 1 member",
        ),
        (
            lambda: train_test_split(
                [[1.0]] * 4, [0, 0, 1, 1], stratify=[0, 0, 1, 1], shuffle=False
            ),
            ValueError,
            "stratify needs shuffle=True",
        ),
        (
            lambda: train_test_split(
                [[1.0]] * 6, [0, 0, 1, 1, 2, 2], stratify=[0, 0, 1, 1, 2, 2], test_size=2
            ),
            ValueError,
            "test set would get 2 samples",
        ),
    ],
)
def test_split_argument_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()

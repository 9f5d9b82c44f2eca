"""Tests for micrograd_like.train.batches, the mini-batch iterator of fit.

Oracle: facts derived by hand (every sample once, sizes, order by seed).
"""

import random

import pytest

from _data_helpers import _indexed
from micrograd_like.train import batches




# --- batches -------------------------------------------------------------------


@pytest.mark.parametrize("n, batch_size", [(10, 3), (10, 5), (10, 10), (10, 32), (1, 1)])
@pytest.mark.parametrize("shuffle", [True, False])
def test_batches_cover_every_sample_once(n, batch_size, shuffle):
    X, y = _indexed(n)
    got = list(batches(X, y, batch_size, shuffle=shuffle, seed=0))
    sizes = [len(xb) for xb, _ in got]
    full, rest = divmod(n, batch_size)
    assert sizes == [batch_size] * full + ([rest] if rest else [])
    seen = [row[0] for xb, _ in got for row in xb]
    assert sorted(seen) == [float(i) for i in range(n)]
    assert all(label == row[0] * 10 for xb, yb in got for row, label in zip(xb, yb))
    if not shuffle:
        assert seen == [float(i) for i in range(n)]


def test_batches_drop_last_and_seeds():
    X, y = _indexed(10)
    assert [len(xb) for xb, _ in batches(X, y, 4, drop_last=True, seed=0)] == [4, 4]
    assert list(batches(X, y, 3, seed=5)) == list(batches(X, y, 3, seed=5))
    rng = random.Random(5)
    epoch1, epoch2 = list(batches(X, y, 3, seed=rng)), list(batches(X, y, 3, seed=rng))
    assert epoch1 != epoch2  # a shared Random gives a new order each epoch


def test_batches_check_arguments_at_the_call():
    X, y = _indexed(4)
    with pytest.raises(ValueError, match="batches: batch_size must be an int >= 1, got 0"):
        batches(X, y, 0)
    with pytest.raises(ValueError, match="X has 4 samples but y has 3"):
        batches(X, y[:3], 2)

"""Splitting data for honest evaluation: ``train_test_split`` (``sklearn.model_selection``).

Train on one part, measure on the other: a model that only memorised its
training data shows it here. ``stratify=y`` keeps each class's share the
same in both parts.

>>> X_train, X_test, y_train, y_test = train_test_split(
...     [[0], [1], [2], [3]], [0, 0, 1, 1], test_size=0.5, seed=0)
>>> len(X_train), len(X_test)
(2, 2)
"""

from __future__ import annotations

import math
import numbers
import random
from typing import List, Optional, Sequence, Tuple, Union

from micrograd_like._validation import Seed, _check_same_length, _rng

__all__ = ["train_test_split"]


def _approximate_mode(counts: List[int], n_draws: int, rng: random.Random) -> List[int]:
    """Split ``n_draws`` over classes in proportion to ``counts`` (scikit-learn's rule).

    Every class gets the floor of its share; the leftover draws go to the
    classes with the largest remainders, ties broken at random.
    """
    total = sum(counts)
    continuous = [c / total * n_draws for c in counts]
    taken = [math.floor(v) for v in continuous]
    need = n_draws - sum(taken)
    remainders = [v - t for v, t in zip(continuous, taken)]
    for value in sorted(set(remainders), reverse=True):
        if need <= 0:
            break
        tied = [i for i, r in enumerate(remainders) if r == value]
        for i in rng.sample(tied, min(len(tied), need)):
            taken[i] += 1
        need -= min(len(tied), need)
    return taken


def train_test_split(
    X: Sequence,
    y: Sequence,
    *,
    test_size: Union[float, int] = 0.25,
    seed: Seed = None,
    shuffle: bool = True,
    stratify: Optional[Sequence] = None,
) -> Tuple[list, list, list, list]:
    """Split samples into a training and a test set: ``X_train, X_test, y_train, y_test``.

    ``test_size`` is a fraction in (0, 1) (the test set gets
    ``ceil(test_size * n)`` samples, as in scikit-learn) or a count in
    [1, n - 1]. ``stratify=y`` keeps the class proportions in both sets.
    With ``shuffle=False`` the last samples form the test set. The rows are
    shared with ``X``, not copied.

    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1]
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=1, shuffle=False)
    >>> X_test, y_test
    ([[3.0]], [1])
    """
    fn = "train_test_split"
    n = _check_same_length(X, y, fn)
    if n < 2:
        raise ValueError(f"{fn}: need at least 2 samples to split, got {n}")
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(
            f"{fn}: test_size must be a float in (0, 1) or an int in [1, {n - 1}], "
            f"got {type(test_size).__name__} {test_size!r}"
        )
    if isinstance(test_size, numbers.Integral):
        if not 1 <= test_size <= n - 1:
            raise ValueError(
                f"{fn}: test_size={test_size!r} as a count must be in [1, {n - 1}] for {n} samples"
            )
        n_test = int(test_size)
    else:
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"{fn}: test_size={test_size!r} as a fraction must be in (0, 1)")
        n_test = math.ceil(test_size * n)
    n_train = n - n_test
    if n_train == 0:
        raise ValueError(
            f"{fn}: test_size={test_size!r} leaves no training samples out of {n}; "
            "use a smaller test_size"
        )

    if stratify is not None:
        if not shuffle:
            raise ValueError(f"{fn}: stratify needs shuffle=True (as in scikit-learn)")
        _check_same_length(X, stratify, fn, "stratify")
        train_idx, test_idx = _stratified_indices(
            list(stratify), n_train, n_test, _rng(seed, fn), fn
        )
    elif shuffle:
        order = list(range(n))
        _rng(seed, fn).shuffle(order)
        test_idx, train_idx = order[:n_test], order[n_test:]
    else:
        train_idx, test_idx = list(range(n_train)), list(range(n_train, n))
    return (
        [X[i] for i in train_idx],
        [X[i] for i in test_idx],
        [y[i] for i in train_idx],
        [y[i] for i in test_idx],
    )


def _stratified_indices(
    labels: list, n_train: int, n_test: int, rng: random.Random, fn: str
) -> Tuple[List[int], List[int]]:
    """scikit-learn's StratifiedShuffleSplit: per-class shares, then shuffled."""
    by_class: dict = {}
    for i, label in enumerate(labels):
        by_class.setdefault(label, []).append(i)
    try:
        classes = sorted(by_class)
    except TypeError:
        classes = list(by_class)  # unorderable mix: keep first-seen order
    counts = [len(by_class[c]) for c in classes]
    too_few = [c for c, k in zip(classes, counts) if k < 2]
    if too_few:
        raise ValueError(
            f"{fn}: stratify has classes with only 1 member: {too_few}; every class needs "
            "at least 2 samples (one for each side), or do not stratify"
        )
    for name, size in (("train", n_train), ("test", n_test)):
        if size < len(classes):
            raise ValueError(
                f"{fn}: the {name} set would get {size} samples, fewer than the {len(classes)} "
                "classes to stratify; change test_size"
            )
    train_counts = _approximate_mode(counts, n_train, rng)
    test_counts = _approximate_mode([k - t for k, t in zip(counts, train_counts)], n_test, rng)
    train: List[int] = []
    test: List[int] = []
    for c, n_tr, n_te in zip(classes, train_counts, test_counts):
        members = by_class[c][:]
        rng.shuffle(members)
        train += members[:n_tr]
        test += members[n_tr : n_tr + n_te]
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test

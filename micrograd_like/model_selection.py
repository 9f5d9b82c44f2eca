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

from micrograd_like._validation import Seed, _check_same_length, _one_seed, _rng, _tabular

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
    *arrays: Sequence,
    test_size: Union[float, int, None] = None,
    train_size: Union[float, int, None] = None,
    random_state: Seed = None,
    shuffle: bool = True,
    stratify: Optional[Sequence] = None,
    seed: Seed = None,
) -> List[list]:
    """Split arrays into training and test parts, as ``sklearn.model_selection.train_test_split``.

    Returns ``a_train, a_test, b_train, b_test, ...`` for the arrays given
    (usually ``X, y``), row i of each staying together. ``test_size`` and
    ``train_size`` are fractions in (0, 1) (the test part gets
    ``ceil(test_size * n)`` samples, the training part ``floor(train_size *
    n)``) or counts; give one and the other is the rest; give neither and
    the test part is 0.25. ``stratify=y`` keeps the class proportions in
    both parts; as in scikit-learn, a row of ``stratify`` (one-hot or
    multilabel rows) is one class, and a nan label is refused. With ``shuffle=False`` the first samples train and the next
    ones test. ``random_state`` (an int, a ``random.Random``, or None for the
    global ``random``) fixes the shuffle; ``seed=`` is the same, in torch's
    word. The rows are shared with the arrays, not copied.

    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1]
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=1, shuffle=False)
    >>> X_test, y_test
    ([[3.0]], [1])
    """
    fn = "train_test_split"
    arrays = tuple(_tabular(a, fn, f"arrays[{k}]") for k, a in enumerate(arrays))  # numpy, pandas
    stratify = _tabular(stratify, fn, "stratify")
    if not arrays:
        raise TypeError(f"{fn}: at least one array required as input, e.g. train_test_split(X, y)")
    n = _check_same_length(arrays[0], arrays[0], fn, "X")
    for k, a in enumerate(arrays[1:], 1):
        _check_same_length(arrays[0], a, fn, "y" if k == 1 else f"arrays[{k}]")
    if n < 2:
        raise ValueError(f"{fn}: need at least 2 samples to split, got {n}")
    n_train, n_test = _sizes(n, test_size, train_size, fn)
    rng_seed = _one_seed(random_state, seed, fn)
    if stratify is not None:
        if not shuffle:
            raise ValueError(f"{fn}: stratify needs shuffle=True (as in scikit-learn)")
        _check_same_length(arrays[0], stratify, fn, "stratify")
        train_idx, test_idx = _stratified_indices(
            list(stratify), n_train, n_test, _rng(rng_seed, fn), fn
        )
    elif shuffle:
        order = list(range(n))
        _rng(rng_seed, fn).shuffle(order)
        test_idx, train_idx = order[:n_test], order[n_test:n_test + n_train]
    else:
        train_idx, test_idx = list(range(n_train)), list(range(n_train, n_train + n_test))
    out: List[list] = []
    for a in arrays:
        out += [[a[i] for i in train_idx], [a[i] for i in test_idx]]
    return out


def _size(value: object, n: int, name: str, fn: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a float in (0, 1) or an int in [1, {n - 1}], "
                        f"got {type(value).__name__} {value!r}")
    if isinstance(value, numbers.Integral):
        if not 1 <= value <= n - 1:
            raise ValueError(f"{fn}: {name}={value!r} as a count must be in [1, {n - 1}] for {n} samples")
    elif not 0.0 < value < 1.0:
        raise ValueError(f"{fn}: {name}={value!r} as a fraction must be in (0, 1)")
    return value


def _sizes(n: int, test_size: object, train_size: object, fn: str) -> Tuple[int, int]:
    """(n_train, n_test) by scikit-learn's rules: ceil for the test part, floor for training."""
    test = _size(test_size, n, "test_size", fn)
    train = _size(train_size, n, "train_size", fn)
    if test is None and train is None:
        test = 0.25
    fractions = [v for v in (train, test) if v is not None and not isinstance(v, numbers.Integral)]
    if len(fractions) == 2 and train + test > 1:  # type: ignore[operator]
        raise ValueError(
            f"{fn}: the sum of test_size and train_size = {train + test}, should be in the "  # type: ignore[operator]
            "(0, 1) range; reduce test_size and/or train_size"
        )
    n_test = None if test is None else (int(test) if isinstance(test, numbers.Integral) else math.ceil(test * n))
    n_train = None if train is None else (int(train) if isinstance(train, numbers.Integral)
                                          else math.floor(train * n))
    if n_test is None:
        n_test = n - n_train
    elif n_train is None:
        n_train = n - n_test
    if n_train + n_test > n:
        raise ValueError(f"{fn}: train_size={train_size!r} and test_size={test_size!r} ask for "
                         f"{n_train + n_test} samples of the {n}; make them add up to at most 1")
    if n_train == 0 or n_test == 0:
        raise ValueError(
            f"{fn}: with n_samples={n}, test_size={test_size!r} and train_size={train_size!r}, "
            f"one part would be empty (train {n_train}, test {n_test}); change the sizes"
        )
    return n_train, n_test


def _class_key(label: object, width: Optional[int], i: int, fn: str) -> object:
    """The class of one sample: a label, or a whole row as one class (scikit-learn joins rows)."""
    if isinstance(label, (list, tuple)):
        if len(label) != width:
            raise ValueError(
                f"{fn}: stratify[{i}] has {len(label)} values but stratify[0] has {width}; "
                "2-D stratify labels need rows of one length"
            )
        for v in label:
            _not_nan(v, i, fn)
        return tuple(label)
    _not_nan(label, i, fn)
    return label


def _not_nan(v: object, i: int, fn: str) -> None:
    if isinstance(v, float) and math.isnan(v):
        raise ValueError(
            f"{fn}: stratify[{i}] is nan; every sample needs a class to stratify: fill in or "
            "drop the samples with missing labels"
        )


def _stratified_indices(
    labels: list, n_train: int, n_test: int, rng: random.Random, fn: str
) -> Tuple[List[int], List[int]]:
    """scikit-learn's StratifiedShuffleSplit: per-class shares, then shuffled."""
    width = len(labels[0]) if isinstance(labels[0], (list, tuple)) else None
    by_class: dict = {}
    for i, label in enumerate(labels):
        by_class.setdefault(_class_key(label, width, i, fn), []).append(i)
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

"""Toy data sets, train/test splits, feature scaling and mini-batches, in plain Python.

Everything here works on plain lists, so it needs nothing from the engine:
``X`` is a list of rows (each row a list of floats) and ``y`` a list of
targets (ints for classification, floats for regression). Names, arguments
and results follow scikit-learn (``make_moons``, ``train_test_split``,
``StandardScaler``, ...), so what you know from there carries over.

Every function that draws random numbers takes ``seed``:

- an ``int``: a private ``random.Random(seed)``; same seed, same result, and
  the global ``random`` module is left untouched;
- a ``random.Random``: used as it is (and advanced), to share one stream
  between calls;
- ``None``: the global ``random`` module, as in micrograd's demos
  (``random.seed(1337)`` once, then call without ``seed``).
"""

from __future__ import annotations

import csv
import math
import numbers
import os
import random
from typing import Any, Iterator, List, Optional, Sequence, Tuple, Union

__all__ = [
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_spirals",
    "make_xor",
    "make_sine",
    "train_test_split",
    "StandardScaler",
    "MinMaxScaler",
    "NotFittedError",
    "batches",
    "load_csv",
]

Seed = Union[int, random.Random, None]
Matrix = List[List[float]]

_EPS = 2.0**-52  # float64 machine epsilon, as numpy.finfo(float).eps


# --- argument checks ---------------------------------------------------------


def _rng(seed: Seed, fn: str) -> random.Random:
    """The random stream that ``seed`` asks for (see the module docstring)."""
    if seed is None:
        # The module has the same methods as a Random instance.
        return random  # type: ignore[return-value]
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return random.Random(int(seed))
    raise TypeError(
        f"{fn}: seed must be an int, a random.Random or None (the global random "
        f"module), got {type(seed).__name__} {seed!r}"
    )


def _check_int(value: Any, name: str, fn: str, minimum: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(
            f"{fn}: {name} must be an int >= {minimum}, got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{fn}: {name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _check_real(
    value: Any,
    name: str,
    fn: str,
    low: float = -math.inf,
    high: float = math.inf,
    high_open: bool = False,
) -> float:
    """A finite real number in [low, high] (or [low, high) if high_open)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{fn}: {name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    too_high = value >= high if high_open else value > high
    if not math.isfinite(value) or value < low or too_high:
        if high == math.inf:
            valid = f"a finite number >= {low}" if low > -math.inf else "a finite number"
        else:
            valid = f"in [{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{fn}: {name} must be {valid}, got {value!r}")
    return value


def _check_same_length(X: Sequence, y: Sequence, fn: str, y_name: str = "y") -> int:
    for name, seq in (("X", X), (y_name, y)):
        if (
            isinstance(seq, (str, bytes))
            or not hasattr(seq, "__len__")
            or not hasattr(seq, "__getitem__")
        ):
            raise TypeError(
                f"{fn}: {name} must be a list (or tuple) of samples, got {type(seq).__name__}"
            )
    if len(X) != len(y):
        raise ValueError(
            f"{fn}: X has {len(X)} samples but {y_name} has {len(y)}; "
            "they must have one entry per sample"
        )
    return len(X)


def _as_matrix(X: Any, fn: str, name: str = "X") -> Matrix:
    """X as a fresh list of float rows, all of one length; or a clear error."""
    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
        raise TypeError(
            f"{fn}: {name} must be a list of rows (lists of numbers), got {type(X).__name__}"
        )
    if len(X) == 0:
        raise ValueError(f"{fn}: {name} is empty; it needs at least one row")
    rows: Matrix = []
    for i, row in enumerate(X):
        if isinstance(row, numbers.Real):
            raise ValueError(
                f"{fn}: {name} must be 2-D (a list of rows), but {name}[{i}] is the "
                f"number {row!r}; for a single feature write each sample as a row: "
                "[[x] for x in values]"
            )
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            raise TypeError(
                f"{fn}: {name}[{i}] must be a list of numbers, got {type(row).__name__} {row!r}"
            )
        out = []
        for j, v in enumerate(row):
            if not isinstance(v, numbers.Real) or isinstance(v, bool):
                hint = " (use .data to get a Value's number)" if hasattr(v, "grad") else ""
                raise TypeError(
                    f"{fn}: {name}[{i}][{j}] must be a real number, "
                    f"got {type(v).__name__} {v!r}{hint}"
                )
            v = float(v)
            if not math.isfinite(v):
                raise ValueError(
                    f"{fn}: {name}[{i}][{j}] is {v!r}; only finite numbers are allowed"
                )
            out.append(v)
        if rows and len(out) != len(rows[0]):
            raise ValueError(
                f"{fn}: {name} is ragged: row 0 has {len(rows[0])} features "
                f"but row {i} has {len(out)}"
            )
        rows.append(out)
    if not rows[0]:
        raise ValueError(f"{fn}: the rows of {name} are empty; they need at least one feature")
    return rows


def _split_evenly(n_samples: int, n_classes: int) -> List[int]:
    """Samples per class: equal shares, the first ``n % k`` classes get one more."""
    base, extra = divmod(n_samples, n_classes)
    return [base + (1 if c < extra else 0) for c in range(n_classes)]


def _linspace(start: float, stop: float, num: int, endpoint: bool = True) -> List[float]:
    """numpy.linspace for floats, computed the same way (``i * step``, exact end)."""
    div = (num - 1) if endpoint else num
    if div <= 0:
        return [start] * num
    step = (stop - start) / div
    points = [start + i * step for i in range(num)]
    if endpoint:
        points[-1] = stop
    return points


def _finish(
    X: Matrix, y: list, shuffle: bool, noise: float, rng: random.Random
) -> Tuple[Matrix, list]:
    """Shuffle the samples (optionally), then add Gaussian noise, as scikit-learn does."""
    if shuffle:
        order = list(range(len(X)))
        rng.shuffle(order)
        X = [X[i] for i in order]
        y = [y[i] for i in order]
    if noise > 0.0:
        X = [[v + rng.gauss(0.0, noise) for v in row] for row in X]
    return X, y


# --- toy data sets -----------------------------------------------------------


def make_moons(
    n_samples: int = 100, *, shuffle: bool = True, noise: float = 0.0, seed: Seed = None
) -> Tuple[Matrix, List[int]]:
    """Two interleaving half circles, like ``sklearn.datasets.make_moons``.

    Class 0 (``n_samples // 2`` points) is the upper half of the unit circle;
    class 1 (the rest) is the lower half circle shifted by (1, 0.5).
    ``noise`` is the standard deviation of Gaussian noise added to every
    coordinate.

    >>> X, y = make_moons(4, shuffle=False)
    >>> y
    [0, 0, 1, 1]
    >>> [round(v, 6) for v in X[1]]
    [-1.0, 0.0]
    """
    fn = "make_moons"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    noise = _check_real(noise, "noise", fn, low=0.0)
    rng = _rng(seed, fn)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    X += [[1.0 - math.cos(t), 1.0 - math.sin(t) - 0.5] for t in _linspace(0.0, math.pi, n_in)]
    y = [0] * n_out + [1] * n_in
    return _finish(X, y, shuffle, noise, rng)


def make_circles(
    n_samples: int = 100,
    *,
    shuffle: bool = True,
    noise: float = 0.0,
    factor: float = 0.8,
    seed: Seed = None,
) -> Tuple[Matrix, List[int]]:
    """A small circle inside a big one, like ``sklearn.datasets.make_circles``.

    Class 0 (``n_samples // 2`` points) lies on the unit circle, class 1 (the
    rest) on a circle of radius ``factor`` (0 <= factor < 1); points are
    evenly spaced in angle. ``noise`` is the standard deviation of Gaussian
    noise added to every coordinate.

    >>> X, y = make_circles(4, shuffle=False, factor=0.5)
    >>> y, X[2]
    ([0, 0, 1, 1], [0.5, 0.0])
    """
    fn = "make_circles"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    noise = _check_real(noise, "noise", fn, low=0.0)
    factor = _check_real(factor, "factor", fn, low=0.0, high=1.0, high_open=True)
    rng = _rng(seed, fn)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    # endpoint=False: the first point of a circle must not repeat as its last.
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_out, endpoint=False)]
    X += [
        [math.cos(t) * factor, math.sin(t) * factor]
        for t in _linspace(0.0, 2 * math.pi, n_in, endpoint=False)
    ]
    y = [0] * n_out + [1] * n_in
    return _finish(X, y, shuffle, noise, rng)


def make_blobs(
    n_samples: int = 100,
    n_features: Optional[int] = None,
    *,
    centers: Union[int, Sequence[Sequence[float]]] = 3,
    cluster_std: Union[float, Sequence[float]] = 1.0,
    center_box: Tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
    seed: Seed = None,
) -> Tuple[Matrix, List[int]]:
    """Gaussian blobs, one per class, like ``sklearn.datasets.make_blobs``.

    ``centers`` is a number of classes (their centers drawn uniformly from
    ``center_box`` in every coordinate) or a list of center points.
    ``n_features`` defaults to 2, or to the dimension of the given centers.
    ``cluster_std`` is one standard deviation for all blobs or one per blob.
    Class ``c`` is the blob around ``centers[c]``; the classes get equal
    shares of ``n_samples`` and the first ``n_samples % k`` one extra.

    >>> X, y = make_blobs(6, centers=[[0.0, 0.0], [5.0, 5.0]], cluster_std=0.0, shuffle=False)
    >>> y, X[3]
    ([0, 0, 0, 1, 1, 1], [5.0, 5.0])
    """
    fn = "make_blobs"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    rng = _rng(seed, fn)
    if n_features is not None:
        n_features = _check_int(n_features, "n_features", fn, 1)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        n_centers = _check_int(centers, "centers", fn, 1)
        low = _check_real(center_box[0], "center_box[0]", fn)
        high = _check_real(center_box[1], "center_box[1]", fn)
        if not low < high:
            raise ValueError(
                f"{fn}: center_box must be (low, high) with low < high, got {center_box!r}"
            )
        dim = 2 if n_features is None else n_features
        points = [[rng.uniform(low, high) for _ in range(dim)] for _ in range(n_centers)]
    else:
        points = _as_matrix(centers, fn, "centers")
        n_centers, dim = len(points), len(points[0])
        if n_features is not None and n_features != dim:
            raise ValueError(
                f"{fn}: n_features={n_features} but the centers have {dim} coordinates; "
                "leave n_features out or make them agree"
            )
    if isinstance(cluster_std, numbers.Real):
        stds = [_check_real(cluster_std, "cluster_std", fn, low=0.0)] * n_centers
    else:
        stds = [_check_real(s, "cluster_std[i]", fn, low=0.0) for s in cluster_std]
        if len(stds) != n_centers:
            raise ValueError(
                f"{fn}: cluster_std has {len(stds)} entries but there are {n_centers} centers"
            )

    X: Matrix = []
    y: List[int] = []
    for c, count in enumerate(_split_evenly(n_samples, n_centers)):
        for _ in range(count):
            X.append([m + rng.gauss(0.0, stds[c]) if stds[c] > 0 else m for m in points[c]])
            y.append(c)
    return _finish(X, y, shuffle, 0.0, rng)


def make_spirals(
    n_samples: int = 300,
    n_classes: int = 3,
    *,
    noise: float = 0.0,
    shuffle: bool = True,
    seed: Seed = None,
) -> Tuple[Matrix, List[int]]:
    """Interleaved spiral arms, one per class: the CS231n classic.

    Arm ``c`` runs from the origin (radius 0) out to radius 1 while its angle
    goes from ``4c`` to ``4c + 4`` radians; a point is
    ``(r * sin(t), r * cos(t))``. ``noise`` is the standard deviation of
    Gaussian noise added to the *angle* (CS231n used 0.2). The classes get
    equal shares of ``n_samples``, the first ``n_samples % n_classes`` one
    extra. Every arm starts at the origin, so (0, 0) appears once per class.
    ``n_classes`` must be at least 2 and ``n_samples`` at least ``n_classes``,
    so that every class has points.

    >>> X, y = make_spirals(6, n_classes=2, shuffle=False)
    >>> y
    [0, 0, 0, 1, 1, 1]
    """
    fn = "make_spirals"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    # One arm, or arms with no points, would make a set that silently lacks
    # classes: nothing to classify.
    n_classes = _check_int(n_classes, "n_classes", fn, 2)
    if n_samples < n_classes:
        raise ValueError(
            f"{fn}: n_samples={n_samples} is fewer than n_classes={n_classes}, so some "
            "classes would get no points; use n_samples >= n_classes"
        )
    noise = _check_real(noise, "noise", fn, low=0.0)
    rng = _rng(seed, fn)
    X: Matrix = []
    y: List[int] = []
    for c, count in enumerate(_split_evenly(n_samples, n_classes)):
        radii = _linspace(0.0, 1.0, count)
        angles = _linspace(4.0 * c, 4.0 * (c + 1), count)
        for r, t in zip(radii, angles):
            if noise > 0.0:
                t += rng.gauss(0.0, noise)
            X.append([r * math.sin(t), r * math.cos(t)])
            y.append(c)
    return _finish(X, y, shuffle, 0.0, rng)


def make_xor(
    n_samples: int = 4, *, noise: float = 0.0, shuffle: bool = False, seed: Seed = None
) -> Tuple[Matrix, List[int]]:
    """The XOR problem: corners of the unit square, label = x1 XOR x2.

    Sample ``i`` sits at corner ``i % 4`` of (0,0), (0,1), (1,0), (1,1),
    plus Gaussian noise of standard deviation ``noise`` on every coordinate.
    Class 0 gets corners (0,0) and (1,1); with ``n_samples`` not a multiple
    of 4 the first corners get one sample more. Unlike the other
    generators, ``shuffle`` defaults to False so that the 4-sample version
    is the truth table in its usual order.

    >>> make_xor()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    fn = "make_xor"
    n_samples = _check_int(n_samples, "n_samples", fn, 4)
    noise = _check_real(noise, "noise", fn, low=0.0)
    rng = _rng(seed, fn)
    corners = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    X = [list(corners[i % 4]) for i in range(n_samples)]
    y = [int(a) ^ int(b) for a, b in X]
    return _finish(X, y, shuffle, noise, rng)


def make_sine(
    n_samples: int = 100, *, noise: float = 0.0, seed: Seed = None
) -> Tuple[Matrix, List[float]]:
    """A 1-D regression set: ``y = sin(x) + noise`` for ``x`` in [-pi, pi].

    The ``x`` are drawn uniformly and returned sorted (handy for plotting a
    fitted curve); ``X`` is ``[[x], ...]`` (one feature per row) and ``y``
    a list of floats. ``noise`` is the standard deviation of Gaussian noise
    added to ``y``.

    >>> X, y = make_sine(3, seed=0)
    >>> len(X), len(X[0]), X[0][0] <= X[1][0] <= X[2][0]
    (3, 1, True)
    """
    fn = "make_sine"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    noise = _check_real(noise, "noise", fn, low=0.0)
    rng = _rng(seed, fn)
    xs = sorted(rng.uniform(-math.pi, math.pi) for _ in range(n_samples))
    ys = [math.sin(x) + (rng.gauss(0.0, noise) if noise > 0.0 else 0.0) for x in xs]
    return [[x] for x in xs], ys


# --- train/test split --------------------------------------------------------


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


# --- feature scaling ---------------------------------------------------------


class NotFittedError(ValueError, AttributeError):
    """A scaler was used before ``fit`` (scikit-learn's exception of the same name)."""


class _Scaler:
    """Shared plumbing: input checks and ``fit_transform``."""

    n_features_in_: int

    def _check_fitted(self, method: str) -> None:
        if not hasattr(self, "n_features_in_"):
            name = type(self).__name__
            raise NotFittedError(
                f"{name}.{method}: this {name} is not fitted yet; call fit(X_train) first"
            )

    def _checked(self, X: Any, method: str) -> Matrix:
        self._check_fitted(method)
        name = type(self).__name__
        rows = _as_matrix(X, f"{name}.{method}")
        if len(rows[0]) != self.n_features_in_:
            raise ValueError(
                f"{name}.{method}: X has {len(rows[0])} features per row, but this {name} "
                f"was fitted on {self.n_features_in_} features"
            )
        return rows

    def fit(self, X: Any, y: Any = None) -> "_Scaler":
        raise NotImplementedError

    def transform(self, X: Any) -> Matrix:
        raise NotImplementedError

    def fit_transform(self, X: Any, y: Any = None) -> Matrix:
        """``fit(X)`` then ``transform(X)``. Use it on training data only."""
        return self.fit(X).transform(X)


class StandardScaler(_Scaler):
    """Shift and scale every feature to mean 0 and standard deviation 1.

    ``fit`` learns ``mean_``, ``var_`` (population variance, divided by n)
    and ``scale_`` (its square root) per feature; ``transform`` maps
    ``x -> (x - mean_) / scale_``. A feature that is constant (up to
    rounding) gets ``scale_ = 1``, so it becomes 0 instead of a division by
    zero. Fit on the training set only, then transform train and test.

    >>> scaler = StandardScaler().fit([[0.0, 1.0], [2.0, 1.0]])
    >>> scaler.mean_, scaler.scale_
    ([1.0, 1.0], [1.0, 1.0])
    >>> scaler.transform([[4.0, 3.0]])
    [[3.0, 2.0]]
    """

    mean_: List[float]
    var_: List[float]
    scale_: List[float]
    n_samples_seen_: int

    def fit(self, X: Any, y: Any = None) -> "StandardScaler":
        """Learn each feature's mean and standard deviation from ``X``; returns self."""
        rows = _as_matrix(X, "StandardScaler.fit")
        n = len(rows)
        mean, var, scale = [], [], []
        for column in zip(*rows):
            # fsum: exactly rounded sums, so the statistics do not drift with n.
            m = math.fsum(column) / n
            d = [v - m for v in column]
            # The corrected two-pass formula (Chan, Golub & LeVeque), as
            # scikit-learn: the second term cancels the rounding error of m.
            v = (math.fsum(e * e for e in d) - math.fsum(d) ** 2 / n) / n
            v = max(v, 0.0)
            # scikit-learn's test for "constant up to rounding error".
            constant = v <= n * _EPS * v + (n * m * _EPS) ** 2
            mean.append(m)
            var.append(v)
            scale.append(1.0 if constant else math.sqrt(v))
        self.mean_, self.var_, self.scale_ = mean, var, scale
        self.n_samples_seen_ = n
        self.n_features_in_ = len(mean)
        return self

    def transform(self, X: Any) -> Matrix:
        """``(x - mean_) / scale_`` for every row; returns new lists."""
        rows = self._checked(X, "transform")
        return [[(v - m) / s for v, m, s in zip(row, self.mean_, self.scale_)] for row in rows]

    def inverse_transform(self, X: Any) -> Matrix:
        """Undo ``transform``: ``x * scale_ + mean_``."""
        rows = self._checked(X, "inverse_transform")
        return [[v * s + m for v, m, s in zip(row, self.mean_, self.scale_)] for row in rows]


class MinMaxScaler(_Scaler):
    """Map every feature linearly onto ``feature_range`` (default [0, 1]).

    ``fit`` learns ``data_min_``, ``data_max_`` and ``data_range_`` per
    feature; ``transform`` computes ``x * scale_ + min_`` with
    ``scale_ = (hi - lo) / data_range_`` and ``min_ = lo - data_min_ * scale_``.
    A constant feature gets ``data_range_`` treated as 1. Test data outside
    the training range maps outside ``feature_range``; it is not clipped.

    >>> scaler = MinMaxScaler().fit([[0.0], [4.0]])
    >>> scaler.transform([[1.0], [6.0]])
    [[0.25], [1.5]]
    """

    data_min_: List[float]
    data_max_: List[float]
    data_range_: List[float]
    scale_: List[float]
    min_: List[float]
    n_samples_seen_: int

    def __init__(self, feature_range: Tuple[float, float] = (0, 1)) -> None:
        try:
            low, high = feature_range
        except (TypeError, ValueError):
            raise TypeError(
                f"MinMaxScaler: feature_range must be a pair (min, max), got {feature_range!r}"
            ) from None
        low = _check_real(low, "feature_range[0]", "MinMaxScaler")
        high = _check_real(high, "feature_range[1]", "MinMaxScaler")
        if not low < high:
            raise ValueError(
                f"MinMaxScaler: feature_range must have min < max, got {feature_range!r}"
            )
        self.feature_range = (low, high)

    def fit(self, X: Any, y: Any = None) -> "MinMaxScaler":
        """Learn each feature's minimum and maximum from ``X``; returns self."""
        rows = _as_matrix(X, "MinMaxScaler.fit")
        low, high = self.feature_range
        self.data_min_ = [min(col) for col in zip(*rows)]
        self.data_max_ = [max(col) for col in zip(*rows)]
        self.data_range_ = [b - a for a, b in zip(self.data_min_, self.data_max_)]
        # Like scikit-learn: a range within rounding error of 0 counts as 1.
        self.scale_ = [(high - low) / (r if r >= 10 * _EPS else 1.0) for r in self.data_range_]
        self.min_ = [low - a * s for a, s in zip(self.data_min_, self.scale_)]
        self.n_samples_seen_ = len(rows)
        self.n_features_in_ = len(rows[0])
        return self

    def transform(self, X: Any) -> Matrix:
        """``x * scale_ + min_`` for every row; returns new lists."""
        rows = self._checked(X, "transform")
        return [[v * s + m for v, s, m in zip(row, self.scale_, self.min_)] for row in rows]

    def inverse_transform(self, X: Any) -> Matrix:
        """Undo ``transform``: ``(x - min_) / scale_``."""
        rows = self._checked(X, "inverse_transform")
        return [[(v - m) / s for v, s, m in zip(row, self.scale_, self.min_)] for row in rows]


# --- mini-batches ------------------------------------------------------------


def batches(
    X: Sequence,
    y: Sequence,
    batch_size: int,
    *,
    shuffle: bool = True,
    drop_last: bool = False,
    seed: Seed = None,
) -> Iterator[Tuple[list, list]]:
    """Yield ``(X_batch, y_batch)`` pairs that cover every sample once.

    The last batch is smaller when ``batch_size`` does not divide the number
    of samples (``drop_last=True`` skips it, as in PyTorch's DataLoader).
    The order is drawn when you call ``batches``: with an int ``seed`` every
    call gives the same order, so for a new order each epoch pass a
    ``random.Random`` made once, or ``seed=epoch``.

    >>> [yb for _, yb in batches([[0], [1], [2]], [0, 1, 2], 2, shuffle=False)]
    [[0, 1], [2]]
    """
    fn = "batches"
    n = _check_same_length(X, y, fn)
    batch_size = _check_int(batch_size, "batch_size", fn, 1)
    order = list(range(n))
    if shuffle:
        _rng(seed, fn).shuffle(order)
    stop = n - n % batch_size if drop_last else n
    # A separate generator: the checks above run at the call, not at the first next().
    return _iter_batches(X, y, order, batch_size, stop)


def _iter_batches(
    X: Sequence, y: Sequence, order: List[int], batch_size: int, stop: int
) -> Iterator[Tuple[list, list]]:
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size]
        yield [X[i] for i in idx], [y[i] for i in idx]


# --- reading a CSV file ------------------------------------------------------


def load_csv(
    path: Union[str, "os.PathLike[str]"],
    target: Union[str, int] = -1,
    *,
    header: bool = True,
    delimiter: str = ",",
) -> Tuple[Matrix, List[Union[int, float]]]:
    """Read a numeric table: every column but ``target`` becomes a feature.

    ``target`` is a column name (needs ``header=True``: the first row holds
    the names) or a 0-based index (negative counts from the end; the default
    is the last column). Returns ``X`` (rows of floats) and ``y``: ints when
    every target value is a whole number (class labels), floats otherwise.
    Blank lines are skipped; any other row that is ragged or holds a
    non-number, an empty cell, ``nan`` or ``inf`` raises ``ValueError``
    naming the line and the column.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "toy.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("x1,x2,label\\n0.5,1,0\\n2,3.5,1\\n")
    >>> load_csv(path, target="label")
    ([[0.5, 1.0], [2.0, 3.5]], [0, 1])
    """
    fn = "load_csv"
    if isinstance(target, bool) or not isinstance(target, (str, numbers.Integral)):
        raise TypeError(f"{fn}: target must be a column name (str) or index (int), got {target!r}")
    where = os.fspath(path)
    # utf-8-sig drops the byte-order mark that spreadsheet programs write.
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(_csv_rows(csv.reader(f, delimiter=delimiter)))
    if not rows:
        raise ValueError(f"{fn}: {where} has no rows")

    if header:
        names = [name.strip() for name in rows[0][1]]
        rows = rows[1:]
        if not rows:
            raise ValueError(f"{fn}: {where} has a header but no data rows")
    elif isinstance(target, str):
        raise ValueError(
            f"{fn}: target={target!r} is a column name, but header=False; give an index"
        )
    else:
        names = [str(j) for j in range(len(rows[0][1]))]
    n_cols = len(names)
    if n_cols < 2:
        raise ValueError(
            f"{fn}: {where} has {n_cols} column(s); need at least one feature and the target"
        )

    if isinstance(target, str):
        if names.count(target) != 1:
            problem = "is not a column" if target not in names else "names more than one column"
            raise ValueError(
                f"{fn}: target={target!r} {problem} of {where}; the columns are {names}"
            )
        t = names.index(target)
    else:
        if not -n_cols <= target < n_cols:
            raise ValueError(
                f"{fn}: target={target} is out of range for {n_cols} columns "
                f"(use 0..{n_cols - 1} or -1)"
            )
        t = int(target) % n_cols

    X: Matrix = []
    targets: List[float] = []
    for line, row in rows:
        if len(row) != n_cols:
            raise ValueError(
                f"{fn}: {where}, line {line}: expected {n_cols} values, found {len(row)}"
            )
        values = [_parse_cell(text, where, line, j, names, header) for j, text in enumerate(row)]
        targets.append(values.pop(t))
        X.append(values)
    if all(v.is_integer() for v in targets):
        return X, [int(v) for v in targets]
    return X, list(targets)


def _csv_rows(reader: Any) -> Iterator[Tuple[int, List[str]]]:
    """(line number, cells) for each non-blank row; numbers are the file's own lines."""
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        yield reader.line_num, row


def _parse_cell(text: str, where: str, line: int, j: int, names: List[str], header: bool) -> float:
    column = f"column {j} ({names[j]!r})" if header else f"column {j}"
    try:
        value = float(text.strip())
    except ValueError:
        problem = "is empty" if not text.strip() else f"holds {text!r}, which is not a number"
        raise ValueError(f"load_csv: {where}, line {line}, {column} {problem}") from None
    if not math.isfinite(value):
        raise ValueError(
            f"load_csv: {where}, line {line}, {column} holds {text!r}; missing or infinite "
            "values must be removed or filled in before training"
        )
    return value

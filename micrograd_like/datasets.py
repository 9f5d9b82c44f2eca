"""Data sets: toy generators and CSV files, in plain Python (``sklearn.datasets``).

``X`` is a list of rows (each row a list of floats) and ``y`` a list of
targets (ints for classification, floats for regression). Names, arguments
and results follow scikit-learn (``make_moons``, ``make_circles``,
``make_blobs``); ``make_spirals``, ``make_xor`` and ``make_sine`` are the
classic teaching sets beyond them. ``load_iris``, ``load_wine``,
``load_breast_cancer`` and ``load_digits`` are scikit-learn's small real
sets, shipped with the package, and ``load_csv`` reads your own data: real
data lives in ``_real_datasets``, the generators here.

Every function that draws random numbers takes ``random_state``, as in
scikit-learn (``seed=`` is the same, in torch's word):

- an ``int``: a private ``random.Random(seed)``; same seed, same result, and
  the global ``random`` module is left untouched;
- a ``random.Random``: used as it is (and advanced), to share one stream
  between calls;
- ``None``: the global ``random`` module, as in micrograd's demos
  (``random.seed(1337)`` once, then call without ``seed``).

>>> X, y = make_moons(6, random_state=0)
>>> len(X), sorted(set(y))
(6, [0, 1])
"""

from __future__ import annotations

import math
import numbers
import random
from typing import Any, List, Optional, Sequence, Tuple, Union

from micrograd_like._real_datasets import (
    Bunch, load_breast_cancer, load_csv, load_digits, load_iris, load_wine,
)
from micrograd_like._validation import (
    Matrix, Seed, _as_matrix, _check_int, _check_real, _one_seed, _rng, _tabular,
)

__all__ = [
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_spirals",
    "make_xor",
    "make_sine",
    "make_classification",
    "make_regression",
    "load_csv",
    "load_iris",
    "load_wine",
    "load_breast_cancer",
    "load_digits",
    "Bunch",
]


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


def _two_counts(n_samples: Any, fn: str) -> Tuple[int, int]:
    """(outer, inner) sample counts: an int split in two (the outer part gets the floor),
    or scikit-learn's tuple ``(n_out, n_in)``."""
    if isinstance(n_samples, tuple):
        if len(n_samples) != 2:
            raise ValueError(
                f"{fn}: n_samples as a tuple must be (n_out, n_in), two counts, got {n_samples!r}"
            )
        n_out, n_in = (_check_int(v, f"n_samples[{k}]", fn, 0) for k, v in enumerate(n_samples))
        return n_out, n_in
    n = _check_int(n_samples, "n_samples", fn, 1)
    return n // 2, n - n // 2


def _noise(noise: Any, fn: str) -> float:
    """The noise's standard deviation; None (scikit-learn's default) means none."""
    return 0.0 if noise is None else _check_real(noise, "noise", fn, low=0.0)


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
    n_samples: Union[int, Tuple[int, int]] = 100, *, shuffle: bool = True,
    noise: Optional[float] = None, random_state: Seed = None, seed: Seed = None,
) -> Tuple[Matrix, List[int]]:
    """Two interleaving half circles, like ``sklearn.datasets.make_moons``.

    Class 0 (``n_samples // 2`` points) is the upper half of the unit circle;
    class 1 (the rest) is the lower half circle shifted by (1, 0.5).
    ``n_samples`` may also be a tuple ``(n_out, n_in)``, the two classes'
    sizes. ``noise`` is the standard deviation of Gaussian noise added to
    every coordinate (None, the default, adds none).

    >>> X, y = make_moons(4, shuffle=False)
    >>> y
    [0, 0, 1, 1]
    >>> [round(v, 6) for v in X[1]]
    [-1.0, 0.0]
    """
    fn = "make_moons"
    n_out, n_in = _two_counts(n_samples, fn)
    noise = _noise(noise, fn)
    rng = _rng(_one_seed(random_state, seed, fn), fn)
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    X += [[1.0 - math.cos(t), 1.0 - math.sin(t) - 0.5] for t in _linspace(0.0, math.pi, n_in)]
    y = [0] * n_out + [1] * n_in
    return _finish(X, y, shuffle, noise, rng)


def make_circles(
    n_samples: Union[int, Tuple[int, int]] = 100,
    *,
    shuffle: bool = True,
    noise: Optional[float] = None,
    factor: float = 0.8,
    random_state: Seed = None,
    seed: Seed = None,
) -> Tuple[Matrix, List[int]]:
    """A small circle inside a big one, like ``sklearn.datasets.make_circles``.

    Class 0 (``n_samples // 2`` points) lies on the unit circle, class 1 (the
    rest) on a circle of radius ``factor`` (0 <= factor < 1); points are
    evenly spaced in angle. ``n_samples`` may also be a tuple ``(n_out,
    n_in)``, the two circles' sizes. ``noise`` is the standard deviation of
    Gaussian noise added to every coordinate (None, the default, adds none).

    >>> X, y = make_circles(4, shuffle=False, factor=0.5)
    >>> y, X[2]
    ([0, 0, 1, 1], [0.5, 0.0])
    """
    fn = "make_circles"
    n_out, n_in = _two_counts(n_samples, fn)
    noise = _noise(noise, fn)
    factor = _check_real(factor, "factor", fn, low=0.0, high=1.0, high_open=True)
    rng = _rng(_one_seed(random_state, seed, fn), fn)
    # endpoint=False: the first point of a circle must not repeat as its last.
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_out, endpoint=False)]
    X += [
        [math.cos(t) * factor, math.sin(t) * factor]
        for t in _linspace(0.0, 2 * math.pi, n_in, endpoint=False)
    ]
    y = [0] * n_out + [1] * n_in
    return _finish(X, y, shuffle, noise, rng)


def make_blobs(
    n_samples: Union[int, Sequence[int]] = 100,
    n_features: Optional[int] = None,
    *,
    centers: Union[int, Sequence[Sequence[float]], None] = None,
    cluster_std: Union[float, Sequence[float]] = 1.0,
    center_box: Tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
    random_state: Seed = None,
    return_centers: bool = False,
    seed: Seed = None,
) -> Union[Tuple[Matrix, List[int]], Tuple[Matrix, List[int], Matrix]]:
    """Gaussian blobs, one per class, like ``sklearn.datasets.make_blobs``.

    ``centers`` is a number of classes (their centers drawn uniformly from
    ``center_box`` in every coordinate) or a list of center points; None
    (the default) means 3. ``n_samples`` is the total, which the classes
    share equally (the first ``n_samples % k`` get one extra), or, as in
    scikit-learn, a list of per-blob counts: then ``centers`` is None (one
    drawn center per count) or a list of as many points.
    ``n_features`` defaults to 2, or to the dimension of the given centers.
    ``cluster_std`` is one standard deviation for all blobs or one per blob.
    Class ``c`` is the blob around ``centers[c]``. ``return_centers=True``
    also returns the centers, ``(X, y, centers)``.

    >>> X, y = make_blobs(6, centers=[[0.0, 0.0], [5.0, 5.0]], cluster_std=0.0, shuffle=False)
    >>> y, X[3]
    ([0, 0, 0, 1, 1, 1], [5.0, 5.0])
    >>> X, y, centers = make_blobs([1, 2], cluster_std=0.0, shuffle=False, return_centers=True,
    ...                            random_state=0)
    >>> y, X[2] == centers[1]
    ([0, 1, 1], True)
    """
    fn = "make_blobs"
    counts = _blob_counts(n_samples, centers, fn)
    rng = _rng(_one_seed(random_state, seed, fn), fn)
    if n_features is not None:
        n_features = _check_int(n_features, "n_features", fn, 1)
    if centers is None:
        centers = 3 if counts is None else len(counts)
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
    if counts is None:
        counts = _split_evenly(n_samples, n_centers)  # type: ignore[arg-type]
    elif len(counts) != n_centers:
        raise ValueError(
            f"{fn}: n_samples has {len(counts)} per-blob counts but there are {n_centers} "
            "centers; give one count per center (or centers=None)"
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
    for c, count in enumerate(counts):
        for _ in range(count):
            X.append([m + rng.gauss(0.0, stds[c]) if stds[c] > 0 else m for m in points[c]])
            y.append(c)
    X, y = _finish(X, y, shuffle, 0.0, rng)
    return (X, y, points) if return_centers else (X, y)


def _blob_counts(n_samples: Any, centers: Any, fn: str) -> Optional[List[int]]:
    """None for a total (checked), or the list of per-blob counts that scikit-learn also takes."""
    if isinstance(n_samples, numbers.Integral) or isinstance(n_samples, (str, bytes)) \
            or not hasattr(n_samples, "__len__"):
        _check_int(n_samples, "n_samples", fn, 1)
        return None
    counts = [_check_int(v, f"n_samples[{k}]", fn, 0) for k, v in enumerate(_tabular(n_samples, fn, "n_samples"))]
    if not counts:
        raise ValueError(f"{fn}: n_samples is an empty list; give one count per blob, e.g. [50, 50]")
    if isinstance(centers, numbers.Integral):
        raise ValueError(
            f"{fn}: n_samples is a list of {len(counts)} per-blob counts, so centers must be None "
            f"or a list of {len(counts)} center points, got centers={centers!r}"
        )
    return counts


def make_spirals(
    n_samples: int = 300,
    n_classes: int = 3,
    *,
    noise: float = 0.0,
    shuffle: bool = True,
    random_state: Seed = None,
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
    rng = _rng(_one_seed(random_state, seed, fn), fn)
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
    n_samples: int = 4, *, noise: float = 0.0, shuffle: bool = False, random_state: Seed = None,
    seed: Seed = None,
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
    rng = _rng(_one_seed(random_state, seed, fn), fn)
    corners = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    X = [list(corners[i % 4]) for i in range(n_samples)]
    y = [int(a) ^ int(b) for a, b in X]
    return _finish(X, y, shuffle, noise, rng)


def make_sine(
    n_samples: int = 100, *, noise: float = 0.0, random_state: Seed = None, seed: Seed = None
) -> Tuple[Matrix, List[float]]:
    """A 1-D regression set: ``y = sin(x) + noise`` for ``x`` in [-pi, pi].

    The ``x`` are drawn uniformly and returned sorted (handy for plotting a
    fitted curve); ``X`` is ``[[x], ...]`` (one feature per row) and ``y``
    a list of floats. ``noise`` is the standard deviation of Gaussian noise
    added to ``y``.

    >>> X, y = make_sine(3, random_state=0)
    >>> len(X), len(X[0]), X[0][0] <= X[1][0] <= X[2][0]
    (3, 1, True)
    """
    fn = "make_sine"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    noise = _check_real(noise, "noise", fn, low=0.0)
    rng = _rng(_one_seed(random_state, seed, fn), fn)
    xs = sorted(rng.uniform(-math.pi, math.pi) for _ in range(n_samples))
    ys = [math.sin(x) + (rng.gauss(0.0, noise) if noise > 0.0 else 0.0) for x in xs]
    return [[x] for x in xs], ys


def make_classification(
    n_samples: int = 100, n_features: int = 20, *, n_informative: int = 2, n_redundant: int = 2,
    n_classes: int = 2, class_sep: float = 1.0, shuffle: bool = True,
    random_state: Seed = None, seed: Seed = None,
) -> Tuple[Matrix, List[int]]:
    """A classification problem in ``n_features`` dimensions, as scikit-learn's (simplified).

    Each class is a Gaussian cluster around its own vertex of a hypercube of
    side ``2 * class_sep`` in the first ``n_informative`` features; the next
    ``n_redundant`` features are random mixtures of those; the rest are
    noise. Classes get equal shares (the first ``n % k`` one more). Same
    names and meaning as scikit-learn; the random numbers differ (no numpy).

    >>> X, y = make_classification(10, 4, random_state=0); len(X), len(X[0]), sorted(set(y))
    (10, 4, [0, 1])
    """
    fn = "make_classification"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    n_features = _check_int(n_features, "n_features", fn, 1)
    n_informative = _check_int(n_informative, "n_informative", fn, 1)
    n_redundant = _check_int(n_redundant, "n_redundant", fn, 0)
    n_classes = _check_int(n_classes, "n_classes", fn, 2)
    class_sep = _check_real(class_sep, "class_sep", fn, low=0.0)
    if n_informative + n_redundant > n_features:
        raise ValueError(f"{fn}: n_informative + n_redundant = {n_informative + n_redundant} "
                         f"must be at most n_features = {n_features}")
    if n_classes > 2 ** n_informative:
        raise ValueError(f"{fn}: n_classes = {n_classes} needs at least {math.ceil(math.log2(n_classes))} "
                         f"informative features (one hypercube vertex per class), got {n_informative}")
    rng = _rng(_one_seed(random_state, seed, fn), fn)
    vertices = rng.sample(range(2 ** n_informative), n_classes)  # a different corner per class
    mix = [[rng.uniform(-1.0, 1.0) for _ in range(n_informative)] for _ in range(n_redundant)]
    X: Matrix = []
    y: List[int] = []
    for c, count in enumerate(_split_evenly(n_samples, n_classes)):
        centre = [class_sep * (1.0 if vertices[c] >> j & 1 else -1.0) for j in range(n_informative)]
        for _ in range(count):
            inf = [m + rng.gauss(0.0, 1.0) for m in centre]
            red = [sum(a * b for a, b in zip(row, inf)) for row in mix]
            noise = [rng.gauss(0.0, 1.0) for _ in range(n_features - n_informative - n_redundant)]
            X.append(inf + red + noise)
            y.append(c)
    return _finish(X, y, shuffle, 0.0, rng)


def make_regression(
    n_samples: int = 100, n_features: int = 100, *, n_informative: int = 10, bias: float = 0.0,
    noise: float = 0.0, shuffle: bool = True, coef: bool = False,
    random_state: Seed = None, seed: Seed = None,
) -> Union[Tuple[Matrix, List[float]], Tuple[Matrix, List[float], List[float]]]:
    """A linear regression problem, as scikit-learn's: ``y = X . w + bias + noise``.

    X is standard normal; ``n_informative`` of the weights are uniform in
    [0, 100), the others 0. ``coef=True`` also returns the weights. Same
    names and meaning as scikit-learn; the random numbers differ (no numpy).

    >>> X, y, w = make_regression(3, 2, n_informative=1, coef=True, random_state=0)
    >>> all(abs(yi - sum(a * b for a, b in zip(row, w))) < 1e-12 for row, yi in zip(X, y))
    True
    """
    fn = "make_regression"
    n_samples = _check_int(n_samples, "n_samples", fn, 1)
    n_features = _check_int(n_features, "n_features", fn, 1)
    n_informative = min(_check_int(n_informative, "n_informative", fn, 0), n_features)  # as sklearn
    bias = _check_real(bias, "bias", fn)
    noise = _check_real(noise, "noise", fn, low=0.0)
    rng = _rng(_one_seed(random_state, seed, fn), fn)
    X = [[rng.gauss(0.0, 1.0) for _ in range(n_features)] for _ in range(n_samples)]
    w = [100.0 * rng.random() if j < n_informative else 0.0 for j in range(n_features)]
    y = [sum(a * b for a, b in zip(row, w)) + bias for row in X]
    if noise > 0.0:
        y = [t + rng.gauss(0.0, noise) for t in y]
    if shuffle:  # the samples, then which features are informative, as scikit-learn
        order = list(range(n_samples))
        rng.shuffle(order)
        X, y = [X[i] for i in order], [y[i] for i in order]
        cols = list(range(n_features))
        rng.shuffle(cols)
        X = [[row[j] for j in cols] for row in X]
        w = [w[j] for j in cols]
    return (X, y, w) if coef else (X, y)

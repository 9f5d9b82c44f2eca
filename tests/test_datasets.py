"""Tests for micrograd_like.datasets: the toy generators and load_csv.

Oracles: scikit-learn (make_moons/make_circles geometry), numpy
re-implementations of the CS231n spiral code, and facts derived by hand (XOR
table, class counts from the documented rule, CSV contents written by the
test itself).
"""

import importlib
import math
import random
from collections import Counter

import pytest

from _data_helpers import _sk, _close
from micrograd_like.datasets import (
    load_csv,
    make_blobs,
    make_circles,
    make_moons,
    make_sine,
    make_spirals,
    make_xor,
)

GENERATORS = {
    "moons": lambda **kw: make_moons(50, noise=0.1, **kw),
    "circles": lambda **kw: make_circles(50, noise=0.1, **kw),
    "blobs": lambda **kw: make_blobs(50, **kw),
    "spirals": lambda **kw: make_spirals(50, 3, noise=0.2, **kw),
    "xor": lambda **kw: make_xor(50, noise=0.1, **kw),
    "sine": lambda **kw: make_sine(50, noise=0.1, **kw),
}


# --- seeds and determinism ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_same_seed_same_data_other_seed_other_data(name):
    gen = GENERATORS[name]
    assert gen(seed=7) == gen(seed=7)
    assert gen(seed=7) != gen(seed=8)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_int_seed_equals_random_instance_and_leaves_global_state(name):
    gen = GENERATORS[name]
    state = random.getstate()
    from_int = gen(seed=3)
    assert random.getstate() == state
    assert gen(seed=random.Random(3)) == from_int


@pytest.fixture
def global_random():
    """Lets a test seed the global random module, then puts its state back."""
    state = random.getstate()
    yield random
    random.setstate(state)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_seed_none_uses_the_global_random_module(name, global_random):
    gen = GENERATORS[name]
    random.seed(1337)
    first = gen()
    random.seed(1337)
    assert gen() == first
    random.seed(1337)
    assert gen(seed=None) == first


@pytest.mark.parametrize("seed", ["1", 1.0, True, [1]])
def test_bad_seed_type_is_a_type_error(seed):
    with pytest.raises(TypeError, match="seed must be an int, a random.Random or None"):
        make_moons(10, seed=seed)


# --- shapes and class balance ------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 5, 100, 101])
@pytest.mark.parametrize("maker", ["moons", "circles"])
def test_moons_circles_shapes_and_class_split_match_sklearn(sklearn, maker, n):
    datasets = _sk(sklearn, "datasets")
    ours = {"moons": make_moons, "circles": make_circles}[maker]
    theirs = {"moons": datasets.make_moons, "circles": datasets.make_circles}[maker]
    X, y = ours(n, noise=0.05, seed=0)
    _, y_sk = theirs(n, noise=0.05, random_state=0)
    assert len(X) == len(y) == n
    assert all(len(row) == 2 and all(type(v) is float for v in row) for row in X)
    assert all(type(label) is int for label in y)
    assert Counter(y) == Counter(y_sk.tolist())


@pytest.mark.parametrize("n, k", [(10, 3), (11, 3), (12, 3), (7, 1), (5, 4)])
def test_blobs_spirals_balance_follows_the_remainder_rule(n, k):
    # Documented rule: n // k each, the first n % k classes one more.
    expected = {c: n // k + (1 if c < n % k else 0) for c in range(k)}
    _, y_blobs = make_blobs(n, centers=k, seed=0)
    assert dict(Counter(y_blobs)) == expected
    if k >= 2:  # make_spirals needs two classes at least
        _, y_spirals = make_spirals(n, k, seed=0)
        assert dict(Counter(y_spirals)) == expected


@pytest.mark.parametrize("n", [4, 5, 6, 7, 40])
def test_xor_counts_and_labels(n):
    X, y = make_xor(n, seed=0)
    corners = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    assert [tuple(row) for row in X] == [corners[i % 4] for i in range(n)]
    assert y == [int(a != b) for a, b in X]


def test_xor_four_points_are_the_truth_table():
    assert make_xor() == ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    assert make_xor(4, noise=0.0, seed=123) == make_xor()


def test_xor_noise_moves_points_near_their_corner():
    X, y = make_xor(400, noise=0.1, shuffle=True, seed=1)
    assert sorted(Counter(y).values()) == [200, 200]
    for row, label in zip(X, y):
        corner = [round(v) for v in row]  # noise 0.1: 5 sigma from the halfway line
        assert label == corner[0] ^ corner[1]


# --- geometry against the references -----------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 10, 99])
def test_moons_match_sklearn_exactly_without_noise(sklearn, n):
    datasets = _sk(sklearn, "datasets")
    X, y = make_moons(n, shuffle=False)
    X_sk, y_sk = datasets.make_moons(n, shuffle=False)
    assert _close(X, X_sk)
    assert y == y_sk.tolist()


@pytest.mark.parametrize("n", [1, 2, 3, 10, 99])
@pytest.mark.parametrize("factor", [0.0, 0.3, 0.8])
def test_circles_match_sklearn_exactly_without_noise(sklearn, n, factor):
    datasets = _sk(sklearn, "datasets")
    X, y = make_circles(n, shuffle=False, factor=factor)
    X_sk, y_sk = datasets.make_circles(n, shuffle=False, factor=factor)
    assert _close(X, X_sk)
    assert y == y_sk.tolist()


@pytest.mark.parametrize("maker", ["make_moons", "make_circles"])
def test_shuffled_noise_free_sets_are_sklearns_point_sets(sklearn, maker):
    datasets = _sk(sklearn, "datasets")
    X, y = globals()[maker](30, seed=4)
    X_sk, y_sk = getattr(datasets, maker)(30, random_state=4)
    ours = sorted((round(a, 12), round(b, 12), c) for (a, b), c in zip(X, y))
    theirs = sorted(
        (round(a, 12), round(b, 12), c) for (a, b), c in zip(X_sk.tolist(), y_sk.tolist())
    )
    assert ours == theirs


def test_noise_is_gaussian_with_the_requested_std():
    noise = 0.2
    X0, y0 = make_moons(4000, shuffle=False)
    X1, y1 = make_moons(4000, shuffle=False, noise=noise, seed=5)
    diffs = [b - a for r0, r1 in zip(X0, X1) for a, b in zip(r0, r1)]
    mean = sum(diffs) / len(diffs)
    std = math.sqrt(sum((d - mean) ** 2 for d in diffs) / len(diffs))
    assert abs(mean) < 0.01 and abs(std - noise) < 0.01


def test_spirals_match_the_cs231n_code(sklearn):
    np = importlib.import_module("numpy")  # comes with the scikit-learn oracle
    n_per_class, k = 20, 3
    X, y = make_spirals(n_per_class * k, k, shuffle=False)
    # CS231n "Putting it together: Minimal Neural Network Case Study", noise 0.
    X_ref = np.zeros((n_per_class * k, 2))
    for j in range(k):
        ix = range(n_per_class * j, n_per_class * (j + 1))
        r = np.linspace(0.0, 1, n_per_class)
        t = np.linspace(j * 4, (j + 1) * 4, n_per_class)
        X_ref[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    assert _close(X, X_ref)
    assert y == [j for j in range(k) for _ in range(n_per_class)]


def test_spiral_noise_changes_the_angle_not_the_radius():
    X0, _ = make_spirals(60, 2, shuffle=False)
    X1, _ = make_spirals(60, 2, noise=0.3, shuffle=False, seed=2)
    for a, b in zip(X0, X1):
        assert math.isclose(math.hypot(*a), math.hypot(*b), abs_tol=1e-12)
    assert X0 != X1


def test_blobs_with_given_centers():
    centers = [[0.0, 0.0, 0.0], [10.0, -5.0, 2.0]]
    X, y = make_blobs(7, centers=centers, cluster_std=0.0, shuffle=False)
    assert X == [centers[label] for label in y] and y == [0, 0, 0, 0, 1, 1, 1]
    X, y = make_blobs(4000, centers=centers, cluster_std=[0.5, 2.0], seed=9)
    for c, std in ((0, 0.5), (1, 2.0)):
        rows = [row for row, label in zip(X, y) if label == c]
        for d in range(3):
            col = [row[d] for row in rows]
            m = sum(col) / len(col)
            s = math.sqrt(sum((v - m) ** 2 for v in col) / len(col))
            assert abs(m - centers[c][d]) < 0.15 and abs(s - std) / std < 0.06


def test_blob_centers_are_drawn_from_center_box():
    X, y = make_blobs(30, 4, centers=5, cluster_std=0.0, center_box=(2.0, 3.0), seed=0)
    assert len(X[0]) == 4 and sorted(set(y)) == [0, 1, 2, 3, 4]
    assert all(2.0 <= v <= 3.0 for row in X for v in row)


def test_sine_is_sorted_sine_on_minus_pi_pi():
    X, y = make_sine(200, seed=0)
    xs = [row[0] for row in X]
    assert xs == sorted(xs) and all(-math.pi <= x <= math.pi for x in xs)
    assert y == [math.sin(x) for x in xs]
    X2, y2 = make_sine(2000, noise=0.3, seed=1)
    residuals = [b - math.sin(row[0]) for row, b in zip(X2, y2)]
    assert abs(math.sqrt(sum(r * r for r in residuals) / len(residuals)) - 0.3) < 0.02


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: make_moons(0), "make_moons: n_samples must be an int >= 1, got 0"),
        (lambda: make_moons(10.0), "make_moons: n_samples must be an int >= 1, got float 10.0"),
        (
            lambda: make_circles(10, noise=-0.1),
            r"make_circles: noise must be a finite number >= 0.0, got -0.1",
        ),
        (
            lambda: make_circles(10, factor=1.0),
            r"make_circles: factor must be in \[0.0, 1.0\), got 1.0",
        ),
        (lambda: make_xor(3), "make_xor: n_samples must be an int >= 4, got 3"),
        (lambda: make_spirals(10, 0), "make_spirals: n_classes must be an int >= 2, got 0"),
        (
            lambda: make_spirals(10, n_classes=1),
            "make_spirals: n_classes must be an int >= 2, got 1",
        ),
        (
            lambda: make_spirals(2, n_classes=3),
            "make_spirals: n_samples=2 is fewer than n_classes=3, so some classes would get no",
        ),
        (
            lambda: make_blobs(10, 3, centers=[[0.0, 0.0]]),
            "n_features=3 but the centers have 2 coordinates",
        ),
        (
            lambda: make_blobs(10, centers=2, cluster_std=[1.0]),
            "cluster_std has 1 entries but there are 2 centers",
        ),
        (lambda: make_blobs(10, centers=[[0.0], [1.0, 2.0]]), "make_blobs: centers is ragged"),
        (lambda: make_sine(-1), "make_sine: n_samples must be an int >= 1, got -1"),
    ],
)
def test_generator_argument_errors(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


@pytest.mark.parametrize("n, k", [(2, 2), (3, 3), (4, 2)])
def test_spirals_smallest_sets_have_every_class(n, k):
    # the smallest allowed sets: every class present, as the check promises
    _, y = make_spirals(n, k, seed=0)
    assert sorted(set(y)) == list(range(k))


# --- load_csv --------------------------------------------------------------------


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_csv_by_name_index_and_default(tmp_path):
    path = _write(tmp_path, "a,label,b\n1,0,2.5\n-3e2, 1 ,4\n\n0.5,2,6\n")
    expected_X = [[1.0, 2.5], [-300.0, 4.0], [0.5, 6.0]]
    assert load_csv(path, target="label") == (expected_X, [0, 1, 2])
    assert load_csv(path, target=1) == (expected_X, [0, 1, 2])
    assert load_csv(str(path)) == ([[1.0, 0.0], [-300.0, 1.0], [0.5, 2.0]], [2.5, 4.0, 6.0])
    X, y = load_csv(path, target="label")
    assert all(type(v) is int for v in y)


def test_load_csv_without_header_and_with_bom(tmp_path):
    path = _write(tmp_path, "1,2,0\n3,4,1.5\n")
    assert load_csv(path, header=False) == ([[1.0, 2.0], [3.0, 4.0]], [0.0, 1.5])
    bom = tmp_path / "bom.csv"
    bom.write_bytes("x;y\n1;2\n".encode("utf-8-sig"))
    assert load_csv(bom, target="y", delimiter=";") == ([[1.0]], [2])


@pytest.mark.parametrize(
    "text, match",
    [
        (
            "a,b,t\n1,2,0\n1,oops,1\n",
            r"line 3, column 1 \('b'\) holds 'oops', which is not a number",
        ),
        ("a,b,t\n1,2,0\n\n1,,1\n", r"line 4, column 1 \('b'\) is empty"),
        ("a,b,t\n1,2,0\n1,2\n", "line 3: expected 3 values, found 2"),
        ("a,b,t\n1,nan,0\n", r"line 2, column 1 \('b'\) holds 'nan'; missing or infinite"),
        ("a,b,t\n", "has a header but no data rows"),
        ("", "has no rows"),
        ("t\n1\n", "need at least one feature"),
    ],
)
def test_load_csv_bad_files(tmp_path, text, match):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=match):
        load_csv(path, target="t" if text else -1)


def test_load_csv_bad_targets(tmp_path):
    path = _write(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(ValueError, match=r"target='label' is not a column .* \['a', 'b', 'c'\]"):
        load_csv(path, target="label")
    with pytest.raises(ValueError, match="target=3 is out of range for 3 columns"):
        load_csv(path, target=3)
    with pytest.raises(ValueError, match="header=False"):
        load_csv(path, target="a", header=False)
    with pytest.raises(TypeError, match="target must be a column name"):
        load_csv(path, target=1.5)
    no_header = _write(tmp_path, "1,2\n3,x\n", "plain.csv")
    with pytest.raises(ValueError, match="line 2, column 1 holds 'x'"):
        load_csv(no_header, header=False)


# --- scikit-learn's other forms of n_samples, noise=None, centers=None -------------


@pytest.mark.parametrize("counts", [(2, 3), (0, 3), (5, 0), (1, 1), (7, 2), (0, 0)])
@pytest.mark.parametrize("maker", ["make_moons", "make_circles"])
def test_moons_circles_take_sklearns_count_tuple_exactly(sklearn, maker, counts):
    X_sk, y_sk = getattr(_sk(sklearn, "datasets"), maker)(counts, shuffle=False)
    X, y = globals()[maker](counts, shuffle=False)
    assert y == y_sk.tolist() and len(X) == len(X_sk)
    assert all(_close(a, b) for a, b in zip(X, X_sk.tolist()))


@pytest.mark.parametrize("maker", ["make_moons", "make_circles"])
def test_noise_none_is_sklearns_default_no_noise(sklearn, maker):
    X_sk, y_sk = getattr(_sk(sklearn, "datasets"), maker)(9, noise=None, shuffle=False)
    X, y = globals()[maker](9, noise=None, shuffle=False)
    assert _close(X, X_sk) and y == y_sk.tolist()
    assert globals()[maker](9, seed=1) == globals()[maker](9, noise=0.0, seed=1)


@pytest.mark.parametrize("maker", ["make_moons", "make_circles"])
@pytest.mark.parametrize("bad, exc", [((1, 2, 3), ValueError), ((-1, 2), ValueError), ((1.5, 2), TypeError)])
def test_bad_count_tuples_are_refused_like_sklearn(sklearn, maker, bad, exc):
    with pytest.raises((ValueError, TypeError)):
        getattr(_sk(sklearn, "datasets"), maker)(bad, shuffle=False)
    with pytest.raises(exc, match=f"{maker}: n_samples"):
        globals()[maker](bad)


@pytest.mark.parametrize("counts", [[2, 3], (4, 0, 1), [1]])
def test_blobs_take_per_blob_counts_like_sklearn(sklearn, counts):
    X_sk, y_sk, c_sk = _sk(sklearn, "datasets").make_blobs(counts, shuffle=False, random_state=0,
                                                           return_centers=True)
    X, y, centers = make_blobs(counts, shuffle=False, random_state=0, return_centers=True)
    assert y == y_sk.tolist()
    assert len(centers) == len(c_sk) and len(centers[0]) == len(c_sk[0]) == len(X[0])
    given = [[float(10 * c), -float(c)] for c in range(len(counts))]
    X, y, centers = make_blobs(counts, centers=given, cluster_std=0.0, shuffle=False,
                               return_centers=True)
    assert centers == given and X == [given[c] for c in y] and Counter(y) == Counter(y_sk.tolist())


def test_blobs_default_centers_are_sklearns_3(sklearn):
    _, y_sk, c_sk = _sk(sklearn, "datasets").make_blobs(10, random_state=0, return_centers=True)
    _, y, centers = make_blobs(10, random_state=0, return_centers=True)
    assert len(centers) == len(c_sk) == 3 and sorted(Counter(y).values()) == sorted(Counter(y_sk.tolist()).values())
    assert make_blobs(10, random_state=0) == make_blobs(10, centers=None, random_state=0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_samples=[2, 3], centers=2), "centers must be None or a list of 2 center points"),
    (dict(n_samples=[2, 3], centers=[[0.0, 0.0]]), "2 per-blob counts but there are 1 centers"),
    (dict(n_samples=[], centers=None), "empty list"),
    (dict(n_samples=[2, -1]), r"n_samples\[1\] must be an int >= 0"),
    (dict(n_samples=[2, 3], cluster_std=[1.0]), "cluster_std has 1 entries"),
])
def test_blob_count_lists_that_sklearn_refuses_are_refused(sklearn, kwargs, match):
    with pytest.raises(ValueError):
        _sk(sklearn, "datasets").make_blobs(**kwargs, random_state=0)
    with pytest.raises(ValueError, match=f"make_blobs: .*{match}"):
        make_blobs(**kwargs, random_state=0)

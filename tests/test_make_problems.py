"""make_classification and make_regression: scikit-learn's names and meaning, checked by hand."""

import math

import pytest

from micrograd_like.datasets import make_classification, make_regression


@pytest.mark.parametrize("n, k", [(100, 2), (101, 3), (7, 4)])
def test_classification_shapes_and_balance(n, k):
    X, y = make_classification(n, 6, n_informative=2, n_redundant=1, n_classes=k, random_state=0)
    assert len(X) == n and all(len(r) == 6 for r in X)
    counts = [y.count(c) for c in range(k)]
    assert counts == [n // k + (1 if c < n % k else 0) for c in range(k)]


def test_classes_sit_at_different_vertices_and_redundant_features_are_mixtures():
    X, y = make_classification(400, 5, n_informative=2, n_redundant=2, class_sep=3.0,
                               shuffle=False, random_state=1)
    means = {}
    for c in (0, 1):
        rows = [r for r, t in zip(X, y) if t == c]
        means[c] = [sum(r[j] for r in rows) / len(rows) for j in range(2)]
    # each class centre is (+-3, +-3), with noise of std 1: the mean is close
    for c in (0, 1):
        assert all(abs(abs(m) - 3.0) < 0.4 for m in means[c])
    assert means[0] != pytest.approx(means[1], abs=1.0)
    # feature 2 is a fixed mix a*f0 + b*f1 for every sample: solve from two rows, check the rest
    (p, q), (r, s) = (X[0][0], X[0][1]), (X[1][0], X[1][1])
    det = p * s - q * r
    a = (X[0][2] * s - q * X[1][2]) / det
    b = (p * X[1][2] - X[0][2] * r) / det
    assert all(abs(row[2] - (a * row[0] + b * row[1])) < 1e-9 for row in X)


def test_regression_is_exactly_linear_without_noise():
    X, y, w = make_regression(50, 8, n_informative=3, bias=2.5, coef=True, random_state=3)
    assert sum(1 for v in w if v != 0.0) == 3 and all(0.0 <= v < 100.0 for v in w)
    for row, t in zip(X, y):
        assert t == pytest.approx(sum(a * b for a, b in zip(row, w)) + 2.5, rel=1e-12)
    X, y = make_regression(50, 8, n_informative=3, bias=2.5, shuffle=False, random_state=3)
    X2, y2 = make_regression(50, 8, n_informative=3, bias=2.5, noise=1.0, shuffle=False,
                             random_state=3)
    residual = [t - u for t, u in zip(y2, y)]
    sd = math.sqrt(sum(v * v for v in residual) / len(residual))
    assert X2 == X and 0.6 < sd < 1.4  # the same X; the noise has std 1


def test_random_state_repeats_and_seed_is_the_same():
    assert make_classification(20, 4, random_state=5) == make_classification(20, 4, seed=5)
    assert make_regression(20, 4, random_state=5) != make_regression(20, 4, random_state=6)


@pytest.mark.parametrize("call, text", [
    (lambda: make_classification(10, 3, n_informative=2, n_redundant=2), "n_informative \\+ n_redundant = 4 must be at most n_features = 3"),
    (lambda: make_classification(10, 4, n_informative=1, n_classes=3), "n_classes = 3 needs at least 2 informative features"),
    (lambda: make_regression(10, 2, noise=-1.0), "make_regression: noise"),
    (lambda: make_classification(0), "make_classification: n_samples"),
])
def test_bad_arguments(call, text):
    with pytest.raises(ValueError, match=text):
        call()

"""Ridders-extrapolated differences: accurate, honest about their error, and they see kinks.

The functions have derivatives known in closed form, so the true error of
every numeric derivative is known and the estimate can be held to it.
"""

import math
import random

import pytest

from micrograd_like.testing import derivative

# (name, f, f', where x is drawn from)
KNOWN = [
    ("sin", math.sin, math.cos, (-3, 3)),
    ("exp", math.exp, math.exp, (-3, 3)),
    ("x**3", lambda x: x**3, lambda x: 3 * x * x, (-3, 3)),
    ("tanh", math.tanh, lambda x: 1 - math.tanh(x) ** 2, (-3, 3)),
    ("sin(50 x)", lambda x: math.sin(50 * x), lambda x: 50 * math.cos(50 * x), (-3, 3)),
    ("1/(1+x^2)", lambda x: 1 / (1 + x * x), lambda x: -2 * x / (1 + x * x) ** 2, (-3, 3)),
    ("exp(-x^2) cos 3x", lambda x: math.exp(-x * x) * math.cos(3 * x),
     lambda x: math.exp(-x * x) * (-2 * x * math.cos(3 * x) - 3 * math.sin(3 * x)), (-3, 3)),
    ("sqrt", math.sqrt, lambda x: 0.5 / math.sqrt(x), (0.01, 3)),
    ("log near 0", math.log, lambda x: 1 / x, (1e-6, 1e-3)),
]


@pytest.mark.parametrize("name, f, df, interval", KNOWN, ids=[k[0] for k in KNOWN])
def test_error_estimate_covers_the_true_error(name, f, df, interval):
    rng = random.Random(0)
    points = [rng.uniform(*interval) for _ in range(200)]
    covered = 0
    for x in points:
        d = derivative(f, x)
        covered += abs(d.value - df(x)) <= d.error
        assert not d.kink, (name, x)
        assert d.error <= 1e-8 * (1 + abs(df(x))), (name, x, d)  # and it is small
    assert covered == len(points)  # measured: every one of the 1800 points


@pytest.mark.parametrize("f, x, left, right", [
    (abs, 0.0, -1.0, 1.0),
    (lambda x: max(x, 0.0), 0.0, 0.0, 1.0),  # relu
    (lambda x: max(x, 1.0), 1.0, 0.0, 1.0),  # max at a tie
    (lambda x: 2 * (x - 0.5) if x > 0.5 else 0.5 - x, 0.5, -1.0, 2.0),
])
def test_kinks_are_found_with_both_slopes(f, x, left, right):
    d = derivative(f, x)
    assert d.kink
    assert d.left == pytest.approx(left, abs=1e-9) and d.right == pytest.approx(right, abs=1e-9)
    assert d.value == pytest.approx((left + right) / 2, abs=1e-9)  # the central difference averages


def test_a_kink_near_but_not_at_the_point_is_not_a_kink():
    # relu at 0.05: the first steps straddle 0, the tableau's smaller ones do not
    d = derivative(lambda x: max(x, 0.0), 0.05)
    assert not d.kink and d.value == pytest.approx(1.0, abs=1e-12)


def test_the_step_shrinks_at_the_edge_of_the_domain():
    # log at 1e-7: a step of 0.1 would leave the domain; the step comes closer
    d = derivative(math.log, 1e-7)
    assert d.step < 1e-7
    assert d.value == pytest.approx(1e7, rel=1e-9)


def test_a_point_on_the_edge_of_the_domain_is_refused():
    with pytest.raises(ValueError, match="cannot be evaluated on both sides of 0.0.*move the point away"):
        derivative(math.sqrt, 0.0)

"""micrograd_like.testing: the checks pass on right derivatives and catch wrong ones.

A wrong derivative is made by replacing a rule in engine.RULES (monkeypatch
puts the real one back). The expected numbers are derived by hand.
"""

import doctest
import math

import pytest

import micrograd_like.engine as engine
import micrograd_like.testing as testing
from micrograd_like import Value, no_grad
from micrograd_like.testing import assert_close, check_grads, gradcheck, gradgradcheck, numerical_grad

CORRECT = [
    ("product", lambda x, y: x * y, [2.0, -3.0]),
    ("sin * y", lambda x, y: x.sin() * y, [0.5, 1.5]),
    ("tanh of product", lambda x, y: (x * y).tanh(), [0.3, -0.7]),
    ("exp / const", lambda x: x.exp() / 3.0, [0.2]),
    ("log", lambda x: x.log(), [2.0]),
    ("three inputs", lambda x, y, z: x * y + y * z + z.sigmoid(), [0.1, -0.4, 1.2]),
]


# --- gradcheck ----------------------------------------------------------------


@pytest.mark.parametrize("name, f, point", CORRECT, ids=[c[0] for c in CORRECT])
def test_gradcheck_passes_on_correct_functions(name, f, point):
    assert gradcheck(f, point) is True


@pytest.mark.parametrize("name, f, point", CORRECT, ids=[c[0] for c in CORRECT])
def test_gradgradcheck_passes_on_correct_functions(name, f, point):
    assert gradgradcheck(f, point) is True


def test_gradcheck_reports_a_wrong_rule_in_a_table(monkeypatch):
    # d sin(x) / dx with the wrong sign: -cos(x); torch's fixed mode, reverse mode only
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (-g * engine._cos(a),))
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda x, y: x.sin() + y * y, [0.5, 1.5],
                  eps=1e-6, atol=1e-5, rtol=1e-3, check_forward_ad=False)
    message = str(info.value)
    assert message.startswith("gradcheck:")
    assert "2 of 4 entries" in message and "(eps=1e-06, atol=1e-05, rtol=0.001)" in message
    header, *rows = message.splitlines()[1:6]
    assert header.split() == ["input", "method", "value", "analytic", "numeric", "abs", "error",
                              "est.", "error", "allowed", "verdict"]
    # one row per input and method; sin has no fast path, so both are wrong
    assert [r.split()[:2] for r in rows] == [
        ["0", "backward()"], ["0", "grad()"], ["1", "backward()"], ["1", "grad()"]
    ]
    for row in rows[:2]:
        # input 0 at 0.5: analytic -cos(0.5), numeric cos(0.5), error 2 cos(0.5)
        cells = row.split()
        assert float(cells[2]) == 0.5
        assert float(cells[3]) == pytest.approx(-math.cos(0.5), rel=1e-8)
        assert float(cells[4]) == pytest.approx(math.cos(0.5), rel=1e-8)
        assert float(cells[5]) == pytest.approx(2 * math.cos(0.5), rel=1e-2)
        assert float(cells[7]) == pytest.approx(1e-5 + 1e-3 * math.cos(0.5), rel=1e-2)  # allowed
        assert row.endswith("FAILED")
    for row in rows[2:]:
        # d(y*y)/dy = 3 is right and not marked
        assert float(row.split()[3]) == pytest.approx(3.0, rel=1e-12)
        assert "FAILED" not in row
    assert "from RULES['sin']" in message  # and the wrong node is named


def test_gradcheck_default_report_has_forward_mode_and_the_estimate(monkeypatch):
    # the same wrong rule, by default: automatic step, estimate-based tolerance, forward mode
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (-g * engine._cos(a),))
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda x, y: x.sin() + y * y, [0.5, 1.5])
    lines = str(info.value).splitlines()
    assert lines[0] == ("gradcheck: FAILED for 2 of 6 entries (automatic step, "
                        "allowed = 10 x est. error + 1e-10 (1 + |numeric|))")
    rows = [line.split() for line in lines[2:8]]
    assert [r[:2] for r in rows] == [[i, m] for i in "01" for m in ("backward()", "grad()", "forward")]
    assert [r[-1] for r in rows] == ["FAILED", "FAILED", "ok", "ok", "ok", "ok"]
    for cells in rows[:3]:
        assert float(cells[4]) == pytest.approx(math.cos(0.5), rel=1e-9)  # extrapolated
        assert float(cells[6]) < 1e-10  # its estimated error
    assert float(rows[2][3]) == pytest.approx(math.cos(0.5), rel=1e-9)  # forward mode is right
    assert lines[8] == "the wrong node:" and "RULES['sin']" in lines[9]


def _failed_methods(message):
    """{(input, method)} of the rows marked FAILED in a gradcheck table."""
    return {tuple(r.split()[:2]) for r in message.splitlines()[2:] if "FAILED" in r}


def test_gradcheck_catches_a_wrong_fast_path_in_backward(monkeypatch):
    # backward() runs engine._run_backward, whose fast paths ('linear', '+',
    # '*') bypass RULES. Break only that walk: every leaf gets 1 too much.
    real = engine._run_backward

    def broken(order):
        real(order)
        leaves = {p for v in order for p in v._prev if not p._prev}
        for leaf in leaves:
            leaf.grad += 1.0

    monkeypatch.setattr(engine, "_run_backward", broken)
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda x, y: x * y + x, [2.0, -3.0])
    assert _failed_methods(str(info.value)) == {("0", "backward()"), ("1", "backward()")}


def test_gradcheck_catches_a_wrong_rule_that_only_grad_uses(monkeypatch):
    # '*' has a fast path in backward(), so a wrong RULES['*'] (the factors
    # swapped: d(x*y)/dx = x) shows up in grad() only
    monkeypatch.setitem(engine.RULES, "*", lambda g, out, a, b: (g * a, g * b))
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda x, y: x * y, [2.0, -3.0])
    assert _failed_methods(str(info.value)) == {("0", "grad()"), ("1", "grad()")}


def test_gradcheck_passes_on_the_fast_path_ops():
    # the three fast-path ops, each checked: x*y + linear([x], [y], b)
    from micrograd_like import linear

    assert gradcheck(lambda x, y, b: x * y + linear([x], [y], b), [0.5, -1.5, 0.25])


def test_gradcheck_catches_a_wrong_rule_on_the_float_path_only(monkeypatch):
    # a rule can be right on Values (create_graph) and wrong on floats;
    # gradcheck uses the float path, which backward() also uses
    def rule(g, out, a):
        return (g * (engine._cos(a) if isinstance(a, Value) else 2 * math.cos(a)),)

    monkeypatch.setitem(engine.RULES, "sin", rule)
    with pytest.raises(AssertionError, match="FAILED"):
        gradcheck(lambda x: x.sin(), [1.0])


def test_gradgradcheck_catches_a_rule_that_escapes_the_graph(monkeypatch):
    # Right first derivative, but computed on the float inside a Value, so
    # the recorded gradient is a constant: its own derivative is lost.
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (g * math.cos(float(a)),))
    f = lambda x: x.sin()  # noqa: E731
    assert gradcheck(f, [0.5])
    with pytest.raises(AssertionError) as info:
        gradgradcheck(f, [0.5])
    message = str(info.value)
    assert message.startswith("gradgradcheck:") and "1 of 1 entries" in message
    header, row = message.splitlines()[1:]
    assert header.split()[:4] == ["i,j", "x[j]", "analytic", "numeric"]
    cells = row.split()
    assert cells[0] == "0,0" and float(cells[1]) == 0.5
    assert float(cells[2]) == 0.0  # the lost second derivative
    assert float(cells[3]) == pytest.approx(-math.sin(0.5), rel=1e-6)
    assert row.endswith("<-- FAILED")


def test_gradgradcheck_reports_mixed_derivatives(monkeypatch):
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (g * math.cos(float(a)),))
    with pytest.raises(AssertionError) as info:
        gradgradcheck(lambda x, y: (x * y).sin(), [0.5, 0.8])
    rows = str(info.value).splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["0,0", "0,1", "1,0", "1,1"]
    assert all(r.endswith("<-- FAILED") for r in rows)  # every entry has a -sin term


def test_gradcheck_tolerances_are_used():
    # with eps = 0.1, the central difference of x**3 at 1 is 3 + eps**2 = 3.01
    f = lambda x: x**3  # noqa: E731
    with pytest.raises(AssertionError, match="FAILED"):
        gradcheck(f, [1.0], eps=0.1)  # eps alone: atol and rtol at torch's 1e-5, 1e-3
    assert gradcheck(f, [1.0], eps=0.1, atol=0.011, rtol=0.0)
    assert gradcheck(f, [1.0], eps=0.1, atol=0.0, rtol=0.004)


def test_gradcheck_takes_values_and_leaves_their_grad_alone():
    x = Value(0.5)
    x.grad = 3.0
    assert gradcheck(lambda v: v.exp() * v, [x])
    assert gradcheck(lambda v: v.exp() * v, x)  # one input may be passed bare
    assert gradcheck(lambda v: v * v, 2)
    assert x.grad == 3.0


def test_gradcheck_allows_an_unused_input():
    assert gradcheck(lambda x, y: x * 2.0, [1.0, 5.0])
    assert gradgradcheck(lambda x, y: x * 2.0, [1.0, 5.0])


def test_gradcheck_works_inside_no_grad():
    with no_grad():
        assert gradcheck(lambda x: x.tanh(), [0.3])
        assert gradgradcheck(lambda x: x.tanh(), [0.3])


def test_check_grads_orders(monkeypatch):
    assert check_grads(lambda x: x.cos() * x, [0.4])
    assert check_grads(lambda x: x.cos() * x, [0.4], order=1)
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (g * math.cos(float(a)),))
    assert check_grads(lambda x: x.sin(), [0.4], order=1)
    with pytest.raises(AssertionError, match="gradgradcheck"):
        check_grads(lambda x: x.sin(), [0.4], order=2)


@pytest.mark.parametrize("order", [0, 3, 1.5, True])
def test_check_grads_rejects_other_orders(order):
    with pytest.raises(ValueError, match=f"check_grads: order must be 1 or 2, got {order!r}"):
        check_grads(lambda x: x, [1.0], order=order)


# --- numerical_grad -----------------------------------------------------------


def test_numerical_grad_by_hand():
    assert numerical_grad(lambda x, y: x * y, [2.0, 3.0]) == pytest.approx([3.0, 2.0], rel=1e-9)
    assert numerical_grad(lambda x: x**3, [2.0]) == pytest.approx([12.0], rel=1e-9)
    # the error of a central difference is eps**2 f'''/6: 0.01 * 6 / 6 here
    assert numerical_grad(lambda x: x**3, [2.0], eps=0.1) == pytest.approx([12.01], rel=1e-12)


def test_numerical_grad_builds_no_graph():
    made = []

    def f(x):
        y = x * 2.0
        made.append(y)
        return y

    numerical_grad(f, [1.0])
    assert made and all(y._prev == () for y in made)


def test_numerical_grad_explains_a_step_out_of_the_domain():
    pattern = r"finite differences: fn failed when input 0 \(1e-07\) was moved by \+-eps=1e-06.*log"
    with pytest.raises(ValueError, match=pattern):
        numerical_grad(lambda x: x.log(), [1e-7])


# --- bad arguments --------------------------------------------------------------


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck, check_grads, numerical_grad])
@pytest.mark.parametrize("eps", [0.0, -1e-6, math.nan, math.inf, "1e-6"])
def test_bad_eps(check, eps):
    with pytest.raises(ValueError, match=f"eps must be a finite number > 0, got {eps!r}"):
        check(lambda x: x, [1.0], eps=eps)


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
@pytest.mark.parametrize("name", ["atol", "rtol"])
def test_bad_tolerance(check, name):
    with pytest.raises(ValueError, match=f"{check.__name__}: {name} must be a finite number >= 0, got -1"):
        check(lambda x: x, [1.0], **{name: -1})


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck, numerical_grad])
def test_fn_must_return_a_value(check):
    with pytest.raises(TypeError, match=f"{check.__name__}: fn must return a Value, got float 2.0"):
        check(lambda x: 2.0, [1.0])
    with pytest.raises(TypeError, match="got list.*return one Value"):
        check(lambda x: [x, x], [1.0])


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck, numerical_grad])
def test_wrong_number_of_inputs(check):
    with pytest.raises(TypeError, match=r"fn\(x, y\) cannot be called with 3 input\(s\)"):
        check(lambda x, y: x * y, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"fn\(x, y\) cannot be called with 1 input\(s\)"):
        check(lambda x, y: x * y, [1.0])


def test_variadic_fn_is_fine():
    assert gradcheck(lambda *xs: xs[0] * xs[1] * xs[2], [1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    "inputs, err, pattern",
    [
        ([], ValueError, "inputs is empty"),
        ("ab", TypeError, "inputs must be a list of numbers.*str 'ab'"),
        ([1.0, None], TypeError, "input 1 must be a number or a Value, got NoneType None"),
        ([1.0, "2"], TypeError, "input 1 must be a number or a Value, got str '2'"),
        ([math.nan], ValueError, "input 0 is nan; gradients can only be checked at finite points"),
        ({1.0}, TypeError, "inputs must be a list"),
    ],
)
def test_bad_inputs(inputs, err, pattern):
    with pytest.raises(err, match="gradcheck: " + pattern):
        gradcheck(lambda *xs: xs[0], inputs)


def test_fn_must_be_callable():
    with pytest.raises(TypeError, match="gradcheck: fn must be a function of 1 Value"):
        gradcheck("sin", [1.0])


# --- assert_close -------------------------------------------------------------


@pytest.mark.parametrize(
    "actual, expected",
    [
        (1.0, 1.0),
        (0.1 + 0.2, 0.3),
        (3, 3.0),
        (Value(2.0), 2.0),
        ([1.0, Value(2.0)], (1.0, 2.0)),
        ([[1.0], [2.0, 3.0]], [[1.0], [2.0, 3.0 + 1e-12]]),
        (math.inf, math.inf),
        ([], []),
    ],
)
def test_assert_close_passes(actual, expected):
    assert assert_close(actual, expected) is None


def test_assert_close_tolerance_is_atol_plus_rtol_times_expected():
    assert_close(1.5, 1.0, atol=0.5, rtol=0.0)  # |diff| = allowed: passes
    assert_close(1.5, 1.0, atol=0.0, rtol=0.5)
    assert_close(1.5, 1.0, atol=0.25, rtol=0.25)
    with pytest.raises(AssertionError):
        assert_close(1.5, 1.0, atol=0.25, rtol=0.0)
    with pytest.raises(AssertionError):
        assert_close(1.0, 1.5, atol=0.0, rtol=0.25)  # relative to expected


def test_assert_close_lists_every_difference():
    with pytest.raises(AssertionError) as info:
        assert_close([1.0, 2.0, [3.0, 4.0]], [1.0, 2.5, [3.0, 4.25]])
    lines = str(info.value).splitlines()
    assert lines[0] == "assert_close: 2 of 4 values are not close (rtol=1e-07, atol=1e-07)"
    assert lines[1].split() == ["index", "actual", "expected", "abs", "diff", "allowed"]
    assert lines[2].split()[:4] == ["[1]", "2.0", "2.5", "0.5"]
    assert lines[3].split()[:4] == ["[2,1]", "4.0", "4.25", "0.25"]
    assert len(lines) == 4


def test_assert_close_nan():
    with pytest.raises(AssertionError, match="1 of 1"):
        assert_close(math.nan, math.nan)
    assert_close([math.nan, 1.0], [math.nan, 1.0], equal_nan=True)
    with pytest.raises(AssertionError):
        assert_close(math.nan, 1.0, equal_nan=True)
    with pytest.raises(AssertionError):
        assert_close(math.inf, -math.inf)


def test_assert_close_structure_mismatch():
    with pytest.raises(AssertionError, match=r"length mismatch at \[1\]: actual has 1 items, expected has 2"):
        assert_close([1.0, [2.0]], [1.0, [2.0, 3.0]])
    with pytest.raises(AssertionError, match=r"at \[0\] one side is a list and the other is not"):
        assert_close([[1.0]], [1.0])


def test_assert_close_bad_arguments():
    pattern = "assert_close: actual must be a number, a Value or a list of them, got str '1'"
    with pytest.raises(TypeError, match=pattern):
        assert_close("1", 1.0)
    with pytest.raises(TypeError, match="expected must be a number.*NoneType"):
        assert_close(1.0, None)
    with pytest.raises(ValueError, match="assert_close: rtol must be a finite number >= 0, got -0.1"):
        assert_close(1.0, 1.0, rtol=-0.1)


# --- the examples in the docstrings run -------------------------------------


def test_docstring_examples():
    result = doctest.testmod(testing, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8
    assert result.failed == 0

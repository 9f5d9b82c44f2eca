"""``gradcheck``'s default: forward mode against reverse, Ridders differences, a tolerance from their estimate.

Passing ``eps``, ``atol`` or ``rtol`` gives torch's fixed mode, number for
number. Wrong rules are planted with monkeypatch; the ill-conditioned
functions are correct, so any failure on them is a false alarm. The outside
oracle is ``torch.autograd.gradcheck`` in float64, on the same functions.
"""

import math

import pytest

import micrograd_like.engine as engine
from micrograd_like import Value
from micrograd_like.testing import GradcheckError, check, check_grads, gradcheck, numerical_grad

FIXED = {"eps": 1e-6, "atol": 1e-5, "rtol": 1e-3}  # torch's defaults, passed explicitly

# --- forward mode against reverse mode -------------------------------------------


def exp_off_by_1e4(g, out, a):  # d exp(a) = exp(a), one part in 10,000 too big
    return (g * out * (1 + 1e-4),)


def tanh_off_by_10_percent(g, out, a):
    return (g * (1 - out * out) * 1.1,)


# (wrong rule, fn, point, options): the differences alone let each one pass
LOOSE = [
    # torch's tolerances: rtol=1e-3 hides an error of 1e-4
    pytest.param("exp", exp_off_by_1e4, lambda x: x.exp() * 2.0, [0.3], FIXED, id="fixed-rtol"),
    # tanh(3e5 x) is so steep that no step resolves it well: the estimate is 90%
    pytest.param("tanh", tanh_off_by_10_percent, lambda x: (3e5 * x).tanh(), [1e-6], {},
                 id="steep-default"),
]


@pytest.mark.parametrize("op, rule, f, point, options", LOOSE)
def test_forward_mode_catches_a_wrong_rule_the_differences_miss(monkeypatch, op, rule, f, point,
                                                                 options):
    assert gradcheck(f, point, **options)
    monkeypatch.setitem(engine.RULES, op, rule)
    assert gradcheck(f, point, check_forward_ad=False, **options)  # differences alone: missed
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, point, **options)
    report = info.value.report
    backward, grad_, forward = report.entries
    assert forward.verdict == "ok"
    for e in (backward, grad_):
        assert e.abs_error <= e.tolerance  # within the differences' tolerance ...
        assert e.verdict.startswith("FAILED (forward mode gives ")  # ... but not forward mode's
        assert e.failed and e.analytic != pytest.approx(forward.analytic, rel=1e-9)
    assert report.failing_node.source == f"RULES[{op!r}]"  # and the node is named
    # check() holds reverse mode to forward mode the same way
    assert not check(f, point, raise_exception=False, **options)


def test_forward_mode_is_the_reference_only_where_it_matches_the_differences(monkeypatch):
    # every method wrong the same way: the rows fail against the differences, not "forward"
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (-g * engine._cos(a),))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: x.sin(), [0.5])
    assert [e.verdict for e in info.value.report.entries] == ["FAILED", "FAILED", "ok"]


def _square(x):
    """x**2 as micrograd adds an op: forward mode cannot replay 'square'."""
    out = Value(x.data ** 2, (x,), "square")

    def _backward():
        x.grad += 2 * x.data * out.grad

    out._backward = _backward
    return out


def test_check_forward_ad_none_true_false():
    f = lambda x: _square(x).tanh()  # noqa: E731
    assert gradcheck(f, [0.7])  # default: forward mode skipped for an op of your own
    assert gradcheck(f, [0.7], check_forward_ad=False)
    pattern = (r"gradcheck: check_forward_ad=True, but node .* has op 'square', which has no "
               r"forward-mode rule; .* pass check_forward_ad=False")
    with pytest.raises(ValueError, match=pattern):
        gradcheck(f, [0.7], check_forward_ad=True)
    with pytest.raises(TypeError, match="gradcheck: check_forward_ad must be None, True or False, got 'yes'"):
        gradcheck(lambda x: x, [1.0], check_forward_ad="yes")
    with pytest.raises(TypeError, match="gradcheck: kink_is_failure must be True or False, got 1"):
        gradcheck(lambda x: x, [1.0], kink_is_failure=1)


def test_without_forward_mode_two_rows_per_input(monkeypatch):
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (-g * engine._cos(a),))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: x.sin() * y, [0.5, 1.5], check_forward_ad=False)
    assert [e.method for e in info.value.report.entries] == ["backward()", "grad()"] * 2


# --- no false alarms where fixed tolerances give them ----------------------------

# Correct functions, spelled the same for a Value and a torch tensor. A fixed
# step eps = 1e-6 loses digits to rounding (the function's value is large next
# to its change) or to truncation (the function bends within eps).
ILL_CONDITIONED = [
    pytest.param(lambda x: x.sin() + 1e8, [0.5], id="a large constant: sin(x) + 1e8"),
    pytest.param(lambda x, y: x * y + 1e10, [0.3, 0.7], id="a large output: x y + 1e10"),
    pytest.param(lambda x: x.exp() * 1e6 + x - x.exp() * 1e6, [3.0],
                 id="cancellation: 1e6 exp(x) + x - 1e6 exp(x)"),
    pytest.param(lambda x: (1e5 * x).tanh(), [1e-5], id="steep: tanh(1e5 x)"),
]


@pytest.mark.parametrize("f, point", ILL_CONDITIONED)
def test_the_default_passes_where_fixed_tolerances_fail(f, point):
    assert gradcheck(f, point) is True
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, point, **FIXED)
    # every failed row is the fixed step's error, and the report says so: the
    # estimated error of the plain difference covers what it is off by
    failed = info.value.report.failed_entries
    assert failed and all(e.abs_error <= 2 * e.error for e in failed)
    assert check_grads(f, point, order=1)  # check_grads uses gradcheck's default too


# --- torch.autograd.gradcheck on the same functions ------------------------------

SMOOTH = [
    pytest.param(lambda x, y: (x * y).tanh() + x.exp(), [0.5, -1.5], id="tanh(x y) + exp(x)"),
    pytest.param(lambda x, y: x.sin() * y, [0.5, 1.5], id="sin(x) y"),
    pytest.param(lambda x: (1 + x.exp()).log(), [0.3], id="softplus"),
    pytest.param(lambda x: x ** 3 / (1 + x * x), [0.7], id="x**3 / (1 + x**2)"),
]


def _torch_gradcheck(torch, f, point, **kwargs):
    xs = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in point]
    return torch.autograd.gradcheck(f, xs, raise_exception=False, **kwargs)


@pytest.mark.parametrize("f, point", SMOOTH + ILL_CONDITIONED)
def test_the_fixed_mode_gives_torchs_verdict(torch, f, point):
    expected = _torch_gradcheck(torch, f, point)  # torch's defaults
    assert gradcheck(f, point, **FIXED, raise_exception=False) is expected
    assert gradcheck(f, point) is True  # all are correct: the default passes them all


def test_a_wrong_derivative_fails_in_torch_and_here(torch, monkeypatch):
    class WrongSin(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return -g * x.cos()

    assert _torch_gradcheck(torch, lambda x, y: WrongSin.apply(x) * y, [0.5, 1.5]) is False
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (-g * engine._cos(a),))
    f = lambda x, y: x.sin() * y  # noqa: E731
    assert gradcheck(f, [0.5, 1.5], raise_exception=False) is False
    assert gradcheck(f, [0.5, 1.5], **FIXED, raise_exception=False) is False


# --- kinks -----------------------------------------------------------------------

# torch compares its subgradient with the average of the two slopes: 0 against
# 0.5 fails at relu(0); 0 against 0 passes at abs(0), by symmetry
KINKS = [
    pytest.param(lambda x: x.relu(), [0.0], "left slope 0.0, right slope 1.0", False, id="relu(0)"),
    pytest.param(lambda x: abs(x), [0.0], "left slope -1.0, right slope 1.0", True, id="abs(0)"),
]


@pytest.mark.parametrize("options", [{}, FIXED], ids=["default", "fixed"])
@pytest.mark.parametrize("f, point, slopes, torch_verdict", KINKS)
def test_a_kink_is_a_verdict_and_fails_only_when_asked(torch, f, point, slopes, torch_verdict,
                                                       options):
    assert _torch_gradcheck(torch, f, point) is torch_verdict
    assert gradcheck(f, point, **options) is True
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, point, kink_is_failure=True, **options)
    report = info.value.report
    assert all(e.verdict == f"not differentiable here ({slopes})" for e in report.entries)
    assert "at a kink" in str(report).splitlines()[0]
    same = check(f, point, kink_is_failure=True, raise_exception=False, **options)
    assert same.entries == report.entries  # check() says the same


def test_a_max_tie_is_a_kink():
    assert gradcheck(lambda x, y: max(x, y) * 2.0, [1.5, 1.5])
    assert not gradcheck(lambda x, y: max(x, y) * 2.0, [1.5, 1.5], kink_is_failure=True,
                         raise_exception=False)


# --- explicit eps, atol, rtol: torch's fixed mode, number for number --------------


def test_explicit_settings_reproduce_the_old_numbers():
    f = lambda x, y: x.sin() * y + x.exp()  # noqa: E731
    point = [0.5, -1.2]
    eps = 1e-6
    # atol = rtol = 0: every inexact row fails, so the report shows every number
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, point, eps=eps, atol=0.0, rtol=0.0)
    report = info.value.report
    assert report.settings == "eps=1e-06, atol=0.0, rtol=0.0"
    by_hand = [
        (math.sin(0.5 + eps) * -1.2 + math.exp(0.5 + eps)
         - math.sin(0.5 - eps) * -1.2 - math.exp(0.5 - eps)) / (2 * eps),
        (math.sin(0.5) * (-1.2 + eps) - math.sin(0.5) * (-1.2 - eps)) / (2 * eps),
    ]
    old = numerical_grad(f, point, eps=eps)  # the old formula, unchanged
    for e in report.entries:
        assert e.numeric == old[int(e.index)]  # bit for bit
        assert e.numeric == pytest.approx(by_hand[int(e.index)], rel=1e-9)
        assert e.tolerance == 0.0
        # the estimate: how far the plain difference is from the extrapolated one
        assert e.error >= abs(e.numeric - [math.cos(0.5) * -1.2 + math.exp(0.5), math.sin(0.5)]
                              [int(e.index)]) * 0.5


@pytest.mark.parametrize("given, settings", [
    ({"eps": 1e-6, "atol": 1e-5, "rtol": 1e-3}, "eps=1e-06, atol=1e-05, rtol=0.001"),
    ({"eps": 1e-4}, "eps=0.0001, atol=1e-05, rtol=0.001"),
    ({"atol": 1e-7}, "eps=1e-06, atol=1e-07, rtol=0.001"),
    ({"rtol": 0.0}, "eps=1e-06, atol=1e-05, rtol=0.0"),
])
def test_one_setting_given_the_others_are_torchs(monkeypatch, given, settings):
    monkeypatch.setitem(engine.RULES, "exp", lambda g, out, a: (g * out * 1.5,))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: x.exp(), [0.3], **given)
    report = info.value.report
    assert report.settings == settings
    atol, rtol = (float(part.split("=")[1]) for part in settings.split(", ")[1:])
    for e in report.entries:
        assert e.tolerance == atol + rtol * abs(e.numeric)  # torch's allclose


def test_the_fixed_mode_passes_and_fails_at_torchs_boundary():
    # x**3 at 1 with eps = 0.1: the plain difference is 3 + eps**2 = 3.01
    f = lambda x: x ** 3  # noqa: E731
    assert gradcheck(f, [1.0], eps=0.1, atol=0.0101, rtol=0.0)
    assert not gradcheck(f, [1.0], eps=0.1, atol=0.0099, rtol=0.0, raise_exception=False)
    assert gradcheck(f, [1.0])  # the default extrapolates the step away


def test_a_step_out_of_the_domain_is_explained():
    pattern = r"finite differences: fn failed when input 0 \(1e-07\) was moved by \+-eps=1e-06"
    with pytest.raises(ValueError, match=pattern):
        gradcheck(lambda x: x.log(), [1e-7], **FIXED)
    assert gradcheck(lambda x: x.log(), [1e-7])  # the automatic step stays inside

"""``testing.check``: three computations of every derivative, kinks as a verdict, and the node that is wrong.

Wrong rules are planted with monkeypatch (the real ones come back after each
test): a sign flip, a missing factor of 2, a closure that writes ``=``
instead of ``+=``. Each must be caught, and the right node named.
"""

import math
import random
import re

import pytest

import micrograd_like.engine as engine
from micrograd_like import Value, linear
from micrograd_like.draw import draw_dot
from micrograd_like.testing import CheckReport, GradcheckError, check

CORRECT = [
    ("product", lambda x, y: x * y, [2.0, -3.0]),
    ("tanh of product + exp", lambda x, y: (x * y).tanh() + x.exp(), [0.5, -1.5]),
    ("log", lambda x: x.log(), [1e-3]),
    ("fan-out", lambda x: (x + x) * x, [0.7]),
    ("sin(sin(x) + sin(x))", lambda x: (x.sin() + x.sin()).sin(), [0.7]),
    ("a neuron", lambda x, w, b: linear([x, x], [w, 2.0], b, "sigmoid"), [0.3, -0.8, 0.1]),
    ("pow with a moving exponent", lambda x, y: x ** y, [1.7, 0.6]),
    ("sin(50 x)", lambda x: (50 * x).sin(), [2.3]),
]


@pytest.mark.parametrize("name, f, point", CORRECT, ids=[c[0] for c in CORRECT])
def test_check_passes_on_right_derivatives(name, f, point):
    report = check(f, point)
    assert report and report.passed and report.failing_node is None
    assert [e.method for e in report.entries[:3]] == ["backward()", "grad()", "forward"]
    assert len(report.entries) == 3 * len(point)
    for e in report.entries:
        assert e.verdict == "ok" and e.error < 1e-8 * (1 + abs(e.numeric))


def sin_with_wrong_sign(g, out, a):
    return (-g * engine._cos(a),)


def power_missing_its_factor(g, out, a, n):  # d(a**n)/da = n a**(n-1); here a**(n-1)
    return (g * a ** (n - 1),)


def product_missing_factor_2_on_x(g, out, a, b):  # half of the right d/da
    return (g * b / 2, g * a)


@pytest.mark.parametrize("op, rule, f, point, wrong_op, expected, got", [
    ("sin", sin_with_wrong_sign, lambda x, y: x.sin() * y + y * y, [0.5, 1.5],
     "sin", math.cos(0.5), -math.cos(0.5)),
    ("**", power_missing_its_factor, lambda x: (x ** 2 + x).tanh(), [0.7], "**", 1.4, 0.7),
    ("*", product_missing_factor_2_on_x, lambda x, y: (x * y).exp() + x, [0.3, 2.0],
     "*", 2.0, 1.0),
])
def test_a_wrong_rule_is_caught_and_its_node_named(monkeypatch, op, rule, f, point, wrong_op,
                                                   expected, got):
    monkeypatch.setitem(engine.RULES, op, rule)
    with pytest.raises(GradcheckError) as info:
        check(f, point)
    report = info.value.report
    assert isinstance(info.value, AssertionError) and not report
    node = report.failing_node
    assert node.op == wrong_op and node.source == f"RULES[{op!r}]" and node.wrt == 0
    assert node.expected == pytest.approx(expected, rel=1e-9)
    assert node.got == pytest.approx(got, rel=1e-12)
    # forward mode is independent of RULES, so its rows are right
    assert all(e.verdict == "ok" for e in report.entries if e.method == "forward")
    assert f"node {node.name} = {wrong_op}(" in str(info.value)


def test_the_sign_flip_report_reads_as_a_table(monkeypatch):
    monkeypatch.setitem(engine.RULES, "sin", sin_with_wrong_sign)
    report = check(lambda x, y: x.sin() + y * y, [0.5, 1.5], raise_exception=False)
    lines = str(report).splitlines()
    assert lines[0].startswith("check: FAILED for 2 of 6 entries (automatic step")
    assert lines[1].split() == ["input", "method", "value", "analytic", "numeric", "abs", "error",
                                "est.", "error", "allowed", "verdict"]
    verdicts = [line.split()[-1] for line in lines[2:8]]
    assert verdicts == ["FAILED", "FAILED", "ok", "ok", "ok", "ok"]
    assert lines[8] == "the wrong node:"
    assert lines[9].strip() == (
        "node n1 = sin(0.5) = 0.4794255386: d/d(input 0) expected 0.8775825619 (finite "
        "difference of this node alone), got -0.8775825619 from RULES['sin']"
    )


def _square(x, assign=False, op="square"):
    """x**2 as micrograd adds an op: a node with its own _backward closure."""
    out = Value(x.data**2, (x,), op)

    def _backward():
        if assign:  # the bug: = where += belongs
            x.grad = 2 * x.data * out.grad
        else:
            x.grad += 2 * x.data * out.grad

    out._backward = _backward
    return out


def test_a_closure_that_assigns_instead_of_adding_is_named():
    # fan-out: x is used by the square and by the +; '=' loses the 1 from the +
    report = check(lambda x: _square(x, assign=True) + x, [0.7], raise_exception=False)
    assert not report
    failed = {e.method for e in report.failed_entries}
    assert failed == {"backward()"}  # grad() runs each closure on its own, so it is right
    node = report.failing_node
    assert node.op == "square" and node.source.startswith("its _backward closure, which assigns")
    assert node.expected == pytest.approx(1.4)  # what it adds to a .grad of 0
    assert "instead of adding to it (+=)" in str(report)


def test_a_right_closure_passes_and_a_wrong_one_is_named_with_forward():
    assert check(lambda x: _square(x) + x, [0.7], modes=("rev",))

    def wrong(x):  # d(x**2)/dx = 2x, written as x
        out = Value(x.data**2, (x,), "square")

        def _backward():
            x.grad += x.data * out.grad

        out._backward = _backward
        return out

    report = check(lambda x: wrong(x).tanh(), [0.7], raise_exception=False)
    # 'square' is the user's own op: forward mode cannot replay it ...
    assert any("forward mode skipped" in n and "'square'" in n for n in report.notes)
    # ... and its node cannot be recomputed alone, so it is the suspect
    assert report.failing_node is None
    assert any("could not be checked alone (op 'square')" in n for n in report.notes)
    # given its forward function, the node is checked and named
    report = check(lambda x: wrong(x).tanh(), [0.7], raise_exception=False,
                   forward={"square": lambda a: a * a})
    node = report.failing_node
    assert (node.op, node.expected, node.got) == ("square", pytest.approx(1.4), pytest.approx(0.7))
    assert node.source == "its _backward closure"


def test_micrograd_op_names_are_checked_without_help():
    # micrograd's own ops ('**2', 'ReLU') are known: the wrong closure is found alone
    report = check(lambda x: _square(x, op="**2") * 3.0, [0.7], raise_exception=False)
    assert report  # a right closure
    report = check(lambda x: _square(x, assign=True, op="**2") * x, [0.7], raise_exception=False)
    assert report.failing_node.op == "**2"


def test_a_new_rule_added_to_rules_is_checked(monkeypatch):
    # an op of the user's own: a node type and its entry in RULES (wrong: 3 a**2 / 2)
    monkeypatch.setitem(engine.RULES, "cube", lambda g, out, a: (g * 1.5 * a * a,))

    def cube(x):
        return Value(x.data**3, (x,), "cube")

    report = check(lambda x: cube(x) + x, [0.5], modes=("rev",), raise_exception=False,
                   forward={"cube": lambda a: a**3})
    node = report.failing_node
    assert node.op == "cube" and node.source == "RULES['cube']"
    assert (node.expected, node.got) == (pytest.approx(0.75), pytest.approx(0.375))


def test_the_wrong_node_of_a_composite_is_named(monkeypatch):
    # softplus(x * y) = log(1 + exp(x y)), with a wrong log rule (g / a**2)
    monkeypatch.setitem(engine.RULES, "log", lambda g, out, a: (g / (a * a),))
    softplus = lambda z: (1 + z.exp()).log()  # noqa: E731
    report = check(lambda x, y: softplus(x * y) + x.exp(), [0.5, -1.2], raise_exception=False)
    assert [n.op for n in report.wrong_nodes] == ["log"]
    a = 1 + math.exp(-0.6)
    assert report.failing_node.inputs == (pytest.approx(a),)
    assert (report.failing_node.expected, report.failing_node.got) == (
        pytest.approx(1 / a), pytest.approx(1 / a**2))


def test_every_use_of_a_wrong_rule_is_listed(monkeypatch):
    monkeypatch.setitem(engine.RULES, "sin", sin_with_wrong_sign)
    report = check(lambda x: x.sin() * x.sin().sin(), [0.4], raise_exception=False)
    assert [n.op for n in report.wrong_nodes] == ["sin", "sin", "sin"]


def test_a_wrong_fast_path_in_backward_is_pointed_at(monkeypatch):
    real = engine._run_backward

    def broken(order):  # every leaf gets 1 too much, in backward() only
        real(order)
        for leaf in {p for v in order for p in v._prev if not p._prev}:
            leaf.grad += 1.0

    monkeypatch.setattr(engine, "_run_backward", broken)
    report = check(lambda x, y: x * y + x, [2.0, -3.0], raise_exception=False)
    assert {e.method for e in report.failed_entries} == {"backward()"}
    assert report.failing_node is None
    assert any("a fast path in engine._run_backward" in n for n in report.notes)


# --- kinks ----------------------------------------------------------------------

KINKS = [
    ("relu(0)", lambda x: x.relu(), [0.0], [(0.0, 1.0)]),
    ("abs(0)", lambda x: abs(x), [0.0], [(-1.0, 1.0)]),
    ("max tie", lambda x, y: max(x, y) * 2.0, [1.5, 1.5], [(0.0, 2.0), (0.0, 2.0)]),
    # d/dy = -[x > y] + 2y: 1 - 1 = 0 from the left, 1 from the right
    ("relu in a sum", lambda x, y: (x - y).relu() + y * y, [0.5, 0.5], [(0.0, 1.0), (0.0, 1.0)]),
]


def _slopes(verdict):
    """(left, right) from 'not differentiable here (left slope a, right slope b)'."""
    match = re.fullmatch(r"not differentiable here \(left slope (\S+), right slope (\S+)\)", verdict)
    assert match, verdict
    return float(match.group(1)), float(match.group(2))


@pytest.mark.parametrize("name, f, point, slopes", KINKS, ids=[k[0] for k in KINKS])
def test_a_kink_is_a_verdict_not_a_failure(name, f, point, slopes):
    report = check(f, point)
    assert report.passed
    for e in report.entries:
        left, right = slopes[int(e.index)]
        assert _slopes(e.verdict) == (pytest.approx(left, abs=1e-9), pytest.approx(right, abs=1e-9))
        assert not e.failed
    assert "at a kink" in str(report).splitlines()[0]


def test_a_kink_verdict_reads_as_the_slopes():
    verdict = check(lambda x: x.relu(), [0.0]).entries[0].verdict
    assert verdict == "not differentiable here (left slope 0.0, right slope 1.0)"


def test_a_kink_fails_when_asked():
    report = check(lambda x: abs(x), [0.0], kink_is_failure=True, raise_exception=False)
    assert not report and all(e.failed for e in report.entries)
    with pytest.raises(GradcheckError, match="not differentiable here"):
        check(lambda x: abs(x), [0.0], kink_is_failure=True)


def test_next_to_a_kink_is_smooth():
    assert all(e.verdict == "ok" for e in check(lambda x: x.relu(), [1e-3]).entries)


# --- tolerances -------------------------------------------------------------------


def test_a_fixed_step_and_tolerance_are_used_as_given():
    # with eps = 0.1 the central difference of x**3 at 1 is 3 + eps**2 = 3.01
    f = lambda x: x**3  # noqa: E731
    report = check(f, [1.0], eps=0.1, raise_exception=False)
    assert report  # the estimate knows that step is 0.01 off, so the default tolerance allows it
    assert report.entries[0].numeric == pytest.approx(3.01, rel=1e-12)
    assert report.entries[0].error == pytest.approx(0.01, rel=1e-6)
    assert not check(f, [1.0], eps=0.1, atol=1e-5, rtol=1e-3, raise_exception=False)
    assert check(f, [1.0], eps=0.1, atol=0.011)  # rtol left out: 0
    assert "eps=0.1, atol=1e-05, rtol=0.001" in str(
        check(f, [1.0], eps=0.1, atol=1e-5, rtol=1e-3, raise_exception=False))


def test_the_default_tolerance_is_tight_enough_for_a_tiny_error(monkeypatch):
    # a rule off by one part in a million fails: fixed rtol=1e-3 would pass it
    monkeypatch.setitem(engine.RULES, "exp", lambda g, out, a: (g * out * (1 + 1e-6),))
    assert not check(lambda x: x.exp(), [0.3], modes=("rev",), raise_exception=False)
    assert check(lambda x: x.exp(), [0.3], modes=("rev",), atol=1e-5, rtol=1e-3)


# --- the report -------------------------------------------------------------------


def test_report_is_truthy_prints_and_shows_in_jupyter(monkeypatch):
    good = check(lambda x: x.tanh(), [0.3], raise_exception=False)
    assert isinstance(good, CheckReport) and bool(good) is True
    assert repr(good).startswith("<CheckReport check: passed 3 entries")
    monkeypatch.setitem(engine.RULES, "sin", sin_with_wrong_sign)
    bad = check(lambda x: x.sin() * 2.0, [0.3], raise_exception=False)
    assert bool(bad) is False
    page = bad._repr_html_()
    assert page.startswith("<div>") and page.count("<tr") == 4  # header + 3 rows
    assert page.count('style="background:#fde0dc"') == 2  # the failed rows stand out
    assert "RULES[&#x27;sin&#x27;]" in page  # escaped


def test_the_wrong_node_is_highlighted_in_draw_dot(monkeypatch):
    monkeypatch.setitem(engine.RULES, "sin", sin_with_wrong_sign)
    report = check(lambda x: x.sin() * 2.0, [0.3], raise_exception=False)
    name = report.failing_node.name
    source = report.draw().source
    assert f'{name} [label="{{ data 0.2955 | grad ? }}" color="#d62728" fillcolor=white penwidth=3]' in source
    assert f'{name}_op [label=sin color="#d62728"' in source
    assert source.count("#d62728") == 2  # only that node and its op


def test_draw_dot_without_highlight_is_unchanged():
    x = Value(0.3, label="x")
    y = (x * 2.0).tanh()
    assert draw_dot(y).source == draw_dot(y, highlight=[]).source
    assert "#d62728" not in draw_dot(y).source
    with pytest.raises(TypeError, match=r"draw_dot\(highlight=...\): expected Values"):
        draw_dot(y, highlight=[1.0])


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, err, pattern", [
    ({"modes": ()}, ValueError, "check: modes must be a non-empty list of 'fwd' and 'rev', got ()"),
    ({"modes": ("backward",)}, ValueError, "modes must be a non-empty list"),
    ({"eps": 0.0}, ValueError, "check: eps must be a finite number > 0, got 0.0"),
    ({"atol": -1.0}, ValueError, "check: atol must be a finite number >= 0, got -1.0"),
    ({"rtol": math.nan}, ValueError, "check: rtol must be a finite number >= 0, got nan"),
    ({"forward": {"cube": 3}}, TypeError, "check: forward must map op names to functions"),
])
def test_bad_settings(kwargs, err, pattern):
    with pytest.raises(err, match=pattern.replace("(", r"\(").replace(")", r"\)")):
        check(lambda x: x, [1.0], **kwargs)


@pytest.mark.parametrize("f, point, err, pattern", [
    (lambda x: 2.0, [1.0], TypeError, "check: fn must return a Value, got float 2.0"),
    (lambda x: [x, x], [1.0], TypeError, "check: fn must return a Value, got list.*return one Value"),
    (lambda x, y: x * y, [1.0], TypeError, r"check: fn\(x, y\) cannot be called with 1 input"),
    (lambda x: x, [math.inf], ValueError, "check: input 0 is inf; gradients can only be checked at finite points"),
    (lambda x: x, [], ValueError, "check: inputs is empty"),
    (lambda x: x.sqrt(), [0.0], ValueError,
     r"check: input 0 \(0.0\): fn cannot be evaluated on both sides of 0.0.*move the point away"),
])
def test_bad_input(f, point, err, pattern):
    with pytest.raises(err, match=pattern):
        check(f, point)


def test_a_point_where_fn_is_not_finite():
    # fn's own errors pass through: they already say what went wrong
    with pytest.raises(OverflowError, match=r"exp\(800.0\) overflows"):
        check(lambda x: x.exp(), [800.0])
    with pytest.raises(ValueError, match=r"check: fn is not finite \(inf or nan\) at the point given \(input 0 is 0.0\)"):
        check(lambda x: x * float("inf"), [0.0])


def test_check_works_inside_no_grad():
    from micrograd_like import no_grad

    with no_grad():
        assert check(lambda x: x.tanh() * x, [0.3])


# --- no false alarms ------------------------------------------------------------


def _random_program(rng, n_inputs, n_ops):
    """A random expression with reuse, smooth everywhere on the reals."""
    ops = [(rng.choice(["+", "*", "-", "/", "sin", "tanh", "sigmoid", "exp", "**2", "**1.5",
                        "linear"]), rng.randrange(n_inputs + k), rng.randrange(n_inputs + k))
           for k in range(n_ops)]

    def f(*xs):
        vals = list(xs)
        for op, i, j in ops:
            a, b = vals[i], vals[j]
            vals.append({
                "+": lambda: a + b, "*": lambda: a * b, "-": lambda: a - b,
                "/": lambda: a / (1 + b * b), "sin": a.sin, "tanh": a.tanh,
                "sigmoid": a.sigmoid, "exp": lambda: a.tanh().exp(), "**2": lambda: a**2,
                "**1.5": lambda: (a * a + 1) ** 1.5,
                "linear": lambda: linear([a, b], [b, a], a, "tanh"),
            }[op]())
        return vals[-1]

    return f


def test_no_false_alarms_on_random_programs():
    rng = random.Random(1)
    worst = 0.0
    for _ in range(200):
        n = rng.randint(1, 3)
        f = _random_program(rng, n, rng.randint(1, 12))
        point = [rng.uniform(-2, 2) for _ in range(n)]
        report = check(f, point)  # raises on any failure
        worst = max(worst, max(e.abs_error / e.tolerance for e in report.entries))
    assert worst < 0.05  # measured: about 0.0007; the tolerance is not what lets them pass


# --- gradcheck's torch keywords -------------------------------------------------


def test_gradcheck_checks_forward_mode_when_asked(monkeypatch):
    from micrograd_like.testing import gradcheck

    f = lambda x, y: x.sin() * y  # noqa: E731
    assert gradcheck(f, [0.5, 1.5], check_forward_ad=True)
    monkeypatch.setitem(engine.RULES, "sin", sin_with_wrong_sign)
    with pytest.raises(AssertionError) as info:
        gradcheck(f, [0.5, 1.5], check_forward_ad=True)
    rows = str(info.value).splitlines()[2:8]  # then the wrong node
    assert [r.split()[1] for r in rows] == ["backward()", "grad()", "forward"] * 2
    failed = [tuple(r.split()[:2]) for r in rows if r.endswith("FAILED")]
    assert failed == [("0", "backward()"), ("0", "grad()")]  # forward mode is right
    assert gradcheck(f, [0.5, 1.5], raise_exception=False) is False

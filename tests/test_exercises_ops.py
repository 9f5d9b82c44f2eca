"""micrograd_like.exercises.ops: check_activation and check_op name the learner's mistake.

Each mistake is planted in learner-style code (``out = Value(t, (x,), 'tanh')``
and a ``_backward`` closure) and the check must name it, with the numbers it
saw; correct solutions in two styles must pass. The checks' own derivative
tables are compared with PyTorch in float64 at the checks' inputs.
"""

import math

import pytest

from micrograd_like import Value
from micrograd_like.exercises import MISTAKES, Report, check_activation, check_op
from micrograd_like.exercises import ops


def activation(forward, derivative, op="f", assign=False, chain=True):
    """A learner's activation: forward(x) -> t, derivative(x, t) -> d t / d x."""
    def fn(x):
        t = forward(x.data)
        out = Value(t, (x,), op)

        def _backward():
            g = derivative(x.data, t) * (out.grad if chain else 1.0)
            if assign:
                x.grad = g
            else:
                x.grad += g
        out._backward = _backward
        return out
    return fn


def stable_sigmoid(x):
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    return math.exp(x) / (1 + math.exp(x))


def tanh_via_exp(x):  # the lecture's formula, made stable with exp(-2|x|)
    e = math.exp(-2 * abs(x))
    return math.copysign((1 - e) / (1 + e), x)


CORRECT = {
    "tanh": [activation(math.tanh, lambda x, t: 1 - t**2),
             activation(tanh_via_exp, lambda x, t: 1 - math.tanh(x) ** 2)],
    "sigmoid": [activation(stable_sigmoid, lambda x, t: t * (1 - t)),
                activation(stable_sigmoid, lambda x, t: stable_sigmoid(x) * stable_sigmoid(-x))],
    "relu": [activation(lambda x: max(0.0, x), lambda x, t: float(t > 0)),
             activation(lambda x: x if x > 0 else 0.0, lambda x, t: 1.0 if x > 0 else 0.0)],
    "leaky_relu": [activation(lambda x: x if x > 0 else 0.01 * x, lambda x, t: 1.0 if x > 0 else 0.01),
                   activation(lambda x: max(x, 0.01 * x), lambda x, t: (x > 0) + 0.01 * (x <= 0))],
}


@pytest.mark.parametrize("name", sorted(CORRECT))
@pytest.mark.parametrize("style", [0, 1])
def test_correct_activations_pass(name, style):
    report = check_activation(name, CORRECT[name][style])
    assert report, str(report)
    assert report.mistake is None and "1000" in report.message


def test_an_activation_made_of_library_ops_passes():
    # the lecture's second way: tanh out of exp, +, -, /; its rules do the work
    def tanh(x):
        e = (-2 * x).exp()
        return (1 - e) / (1 + e)
    # exp(-2 * -1000) overflows: the composite is right at small x and caught at large x
    report = check_activation("tanh", tanh)
    assert report.mistake == "overflow" and "-1000" in report.message


PLANTED = [
    # (name, learner's function, mistake, numbers that must be in the message)
    ("tanh", activation(math.tanh, lambda x, t: 1 - x**2), "input-not-output", ["-4.725", "0.3125"]),
    ("sigmoid", activation(stable_sigmoid, lambda x, t: x * (1 - x)), "input-not-output", ["x = -1.7"]),
    ("tanh", activation(math.tanh, lambda x, t: t**2 - 1), "sign", ["-0.3125", "0.3125"]),
    ("tanh", activation(math.tanh, lambda x, t: 1 - t**2, assign=True), "accumulate", ["0.3125", "1.563"]),
    ("relu", activation(lambda x: max(0.0, x), lambda x, t: float(x > 0), assign=True), "accumulate", []),
    ("tanh", activation(math.tanh, lambda x, t: 1 - t**2, chain=False), "chain", ["0.125", "0.3125"]),
    ("sigmoid", activation(stable_sigmoid, lambda x, t: t * (1 - t), chain=False), "chain", ["out.grad"]),
    ("tanh", activation(lambda x: (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1), lambda x, t: 1 - t**2),
     "overflow", ["400", "OverflowError", "math.tanh"]),
    ("sigmoid", activation(lambda x: 1 / (1 + math.exp(-x)), lambda x, t: t * (1 - t)),
     "overflow", ["-1000", "OverflowError"]),
    ("tanh", activation(lambda x: math.sinh(x) / math.cosh(x), lambda x, t: 1 - t**2),
     "overflow", ["OverflowError"]),
    ("tanh", activation(lambda x: 1 / (1 + math.exp(-x)), lambda x, t: 1 - t**2), "forward", ["-0.9354"]),
    ("leaky_relu", activation(lambda x: x if x > 0 else 0.1 * x, lambda x, t: 1.0 if x > 0 else 0.01),
     "forward", ["-0.17", "-0.017"]),
    ("relu", activation(lambda x: max(0.0, x), lambda x, t: 0.0), "no-backward", ["nothing"]),
]


@pytest.mark.parametrize("name, fn, mistake, numbers", PLANTED)
def test_planted_activation_mistakes_are_named(name, fn, mistake, numbers):
    report = check_activation(name, fn)
    assert not report and report.mistake == mistake, str(report)
    for number in numbers:
        assert number in report.message, (number, report.message)
    assert mistake in MISTAKES


def test_overflow_by_nan_is_named():
    def forward(x):  # inf / inf = nan instead of an exception
        e = math.exp(2 * x) if x < 350 else math.inf
        return (e - 1) / (e + 1) if e != math.inf else math.inf / math.inf
    report = check_activation("tanh", activation(forward, lambda x, t: 1 - t**2))
    assert report.mistake == "overflow" and "nan" in report.message


def test_no_backward_closure_is_named():
    def tanh(x):  # the right number, but out._backward is never set
        return Value(math.tanh(x.data), (x,), "tanh")
    report = check_activation("tanh", tanh)
    assert report.mistake == "no-backward" and "out._backward" in report.message
    assert check_activation("tanh", lambda x: Value(math.tanh(x.data))).mistake == "no-backward"
    assert check_activation("tanh", lambda x: x.tanh()).mistake == "no-backward"  # the library's own


def test_a_closure_on_a_node_without_children_is_named():
    def tanh(x):
        out = Value(math.tanh(x.data))  # forgot (x,): backward never reaches this closure

        def _backward():
            x.grad += (1 - out.data**2) * out.grad
        out._backward = _backward
        return out
    report = check_activation("tanh", tanh)
    assert report.mistake == "no-backward" and "no children" in report.message


def test_a_value_added_to_grad_is_caught():
    def tanh(x):
        out = Value(math.tanh(x.data), (x,), "tanh")

        def _backward():
            x.grad += (1 - out**2) * out.grad  # out, the Value, where out.data was meant
        out._backward = _backward
        return out
    report = check_activation("tanh", tanh)
    assert report.mistake == "wrong" and "out.data" in report.message


def test_not_a_value_is_a_forward_mistake():
    report = check_activation("tanh", lambda x: math.tanh(x.data))
    assert report.mistake == "forward" and "float" in report.message


def test_an_exception_names_the_learners_line():
    def tanh(x):
        t = math.tanh(x.data)
        out = Value(t, (x,), "tanh")

        def _backward():
            x.grad += (1 - tt**2) * out.grad  # noqa: F821 - the learner's typo
        out._backward = _backward
        return out
    report = check_activation("tanh", tanh)
    assert report.mistake == "error"
    assert "NameError" in report.message and "test_exercises_ops.py" in report.message
    assert "(1 - tt**2)" in report.message


# --- check_op ------------------------------------------------------------------


def binary(forward, da, db, assign=(False, False), chain=True):
    """A learner's two-input op; da, db: (a, b, out) -> local derivatives."""
    def fn(a, b):
        out = Value(forward(a.data, b.data), (a, b), "op")

        def _backward():
            g = out.grad if chain else 1.0
            ga, gb = da(a.data, b.data, out.data) * g, db(a.data, b.data, out.data) * g
            if assign[0]:
                a.grad = ga
            else:
                a.grad += ga
            if assign[1]:
                b.grad = gb
            else:
                b.grad += gb
        out._backward = _backward
        return out
    return fn


def unary(forward, d, assign=False):
    def fn(a):
        out = Value(forward(a.data), (a,), "op")

        def _backward():
            if assign:
                a.grad = d(a.data, out.data) * out.grad
            else:
                a.grad += d(a.data, out.data) * out.grad
        out._backward = _backward
        return out
    return fn


def power(rule):
    def fn(a, n):
        out = Value(a.data**n, (a,), f"**{n}")

        def _backward():
            a.grad += rule(a.data, n) * out.grad
        out._backward = _backward
        return out
    return fn


def add_lecture_style(a, b):
    out = Value(a.data + b.data, (a, b), "+")

    def _backward():
        a.grad += 1.0 * out.grad
        b.grad += 1.0 * out.grad
    out._backward = _backward
    return out


CORRECT_OPS = [
    ("add", binary(lambda a, b: a + b, lambda a, b, o: 1.0, lambda a, b, o: 1.0)),
    ("add", add_lecture_style),
    ("sub", binary(lambda a, b: a - b, lambda a, b, o: 1.0, lambda a, b, o: -1.0)),
    ("sub", lambda a, b: a + (-1.0) * b),
    ("mul", binary(lambda a, b: a * b, lambda a, b, o: b, lambda a, b, o: a)),
    ("mul", binary(lambda a, b: a * b, lambda a, b, o: o / a, lambda a, b, o: o / b)),
    ("div", binary(lambda a, b: a / b, lambda a, b, o: 1 / b, lambda a, b, o: -a / b**2)),
    ("div", lambda a, b: a * b**-1),  # micrograd's own __truediv__
    ("pow", power(lambda a, n: n * a ** (n - 1))),
    ("pow", power(lambda a, n: n * a**n / a)),
    ("exp", unary(math.exp, lambda a, o: o)),
    ("exp", unary(math.exp, lambda a, o: math.exp(a))),
    ("log", unary(math.log, lambda a, o: 1 / a)),
    ("log", unary(math.log, lambda a, o: a**-1)),
]


@pytest.mark.parametrize("name, fn", CORRECT_OPS)
def test_correct_ops_pass(name, fn):
    report = check_op(name, fn)
    assert report, str(report)


def test_a_single_library_node_is_not_the_learners_backward():
    report = check_op("mul", lambda a, b: a * b)
    assert report.mistake == "no-backward"


PLANTED_OPS = [
    ("sub", binary(lambda a, b: a - b, lambda a, b, o: 1.0, lambda a, b, o: 1.0), "sign",
     ["b.grad", "2.5", "-2.5"]),
    ("div", binary(lambda a, b: a / b, lambda a, b, o: 1 / b, lambda a, b, o: a / b**2), "sign",
     ["1.875", "-1.875", "-a/b**2"]),
    ("add", binary(lambda a, b: a + b, lambda a, b, o: -1.0, lambda a, b, o: 1.0), "sign", ["a.grad"]),
    ("mul", binary(lambda a, b: a * b, lambda a, b, o: a, lambda a, b, o: b), "swapped", ["7.5", "-5"]),
    ("div", binary(lambda a, b: a / b, lambda a, b, o: -a / b**2, lambda a, b, o: 1 / b), "swapped", []),
    ("mul", binary(lambda a, b: a * b, lambda a, b, o: b, lambda a, b, o: a, assign=(True, True)),
     "accumulate", ["0.25", "-5", "-3.75"]),
    ("mul", binary(lambda a, b: a * b, lambda a, b, o: b, lambda a, b, o: a, assign=(False, True)),
     "accumulate", ["b.grad", "7.5", "8.75"]),
    ("add", binary(lambda a, b: a + b, lambda a, b, o: 1.0, lambda a, b, o: 1.0, chain=False), "chain",
     ["1", "2.5"]),
    ("sub", binary(lambda a, b: b - a, lambda a, b, o: 1.0, lambda a, b, o: -1.0), "forward", ["-5", "5"]),
    ("exp", unary(math.exp, lambda a, o: a), "input-not-output", ["-2.5", "0.9197"]),
    ("log", unary(math.log, lambda a, o: 1 / a, assign=True), "accumulate", []),
    ("pow", power(lambda a, n: n * a**n), "wrong", ["45", "15", "n * a**(n - 1)"]),
]


@pytest.mark.parametrize("name, fn, mistake, numbers", PLANTED_OPS)
def test_planted_op_mistakes_are_named(name, fn, mistake, numbers):
    report = check_op(name, fn)
    assert not report and report.mistake == mistake, str(report)
    for number in numbers:
        assert number in report.message, (number, report.message)


def test_a_leaf_used_twice_finds_an_overwrite_the_separate_inputs_miss():
    # = on the a line, but only when a and b are the same Value: fn(a, a) must catch it
    def mul(a, b):
        out = Value(a.data * b.data, (a, b), "*")

        def _backward():
            if a is b:
                a.grad = 2 * a.data * out.grad - a.data * out.grad
            else:
                a.grad += b.data * out.grad
                b.grad += a.data * out.grad
        out._backward = _backward
        return out
    report = check_op("mul", mul)
    assert report.mistake == "accumulate" and "mul(a, a)" in report.message
    assert "16" in report.message  # a = 3 used twice in 2.5 * a * a + a: 2.5 * 6 + 1


def test_an_op_that_raises_is_reported_with_its_line():
    def div(a, b):
        return Value(a.data / (b.data - b.data), (a, b), "/")
    report = check_op("div", div)
    assert report.mistake == "error" and "ZeroDivisionError" in report.message
    assert "b.data - b.data" in report.message


# --- bad input to the checks themselves -------------------------------------------


@pytest.mark.parametrize("check, name", [(check_activation, "softplus"), (check_op, "matmul")])
def test_unknown_names_are_refused(check, name):
    with pytest.raises(ValueError, match=f"{check.__name__}: unknown name '{name}'"):
        check(name, lambda *a: a[0])


@pytest.mark.parametrize("check, name", [(check_activation, "tanh"), (check_op, "add")])
def test_a_non_callable_is_refused(check, name):
    with pytest.raises(TypeError, match=f"{check.__name__}: expected .* got float 1.0"):
        check(name, 1.0)


def test_checks_print_nothing_and_return_reports(capsys):
    assert isinstance(check_activation("tanh", CORRECT["tanh"][0]), Report)
    assert isinstance(check_op("log", CORRECT_OPS[-1][1]), Report)
    assert capsys.readouterr() == ("", "")


def test_every_code_has_a_one_line_meaning():
    assert set(ops.MISTAKES) >= {"overflow", "input-not-output", "accumulate", "sign", "chain",
                                 "swapped", "forward", "no-backward", "error"}
    assert all(isinstance(v, str) and "\n" not in v for v in ops.MISTAKES.values())


# --- the checks' own tables against PyTorch float64 -------------------------------


@pytest.mark.parametrize("name", sorted(ops._ACTIVATIONS))
def test_activation_tables_match_torch(name, torch):
    forward, deriv, _, _ = ops._ACTIVATIONS[name]
    f = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
         "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.01)}[name]
    for x0 in ops._ACT_POINTS + ops._BIG_POINTS:
        x = torch.tensor(x0, requires_grad=True)
        y = f(x)
        y.backward()
        assert math.isclose(forward(x0), y.item(), rel_tol=1e-12, abs_tol=1e-300)
        assert math.isclose(deriv(x0, forward(x0)), x.grad.item(), rel_tol=1e-9, abs_tol=1e-300)


@pytest.mark.parametrize("name", sorted(ops._OPS))
def test_op_tables_match_torch(name, torch):
    forward, rules, _ = ops._OPS[name]
    f = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
         "pow": torch.pow, "exp": lambda a, b: torch.exp(a), "log": lambda a, b: torch.log(a)}[name]
    for args in ops._OP_POINTS[name]:
        a = torch.tensor(args[0], requires_grad=True)
        b = torch.tensor(float(args[1]) if len(args) == 2 else 0.0, requires_grad=True)
        y = f(a, b) if name != "pow" else a ** args[1]
        y.backward()
        a0, b0 = ops._ab(args)
        assert math.isclose(forward(*args), y.item(), rel_tol=1e-12)
        torch_grads = [a.grad.item(), b.grad.item() if b.grad is not None else 0.0]
        for i, rule in enumerate(rules):
            assert math.isclose(rule(a0, b0, forward(*args)), torch_grads[i], rel_tol=1e-12)

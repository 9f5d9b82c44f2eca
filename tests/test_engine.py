"""The engine against values derived by hand and central finite differences.

PyTorch comparisons live in test_engine_torch.py, random graphs in
test_engine_hypothesis.py. Here: the micrograd README example, simple rules
by hand, fan-out, gradient accumulation, deep graphs, no_grad (also from two
threads), grad(), the fused nodes, and every bad input.
"""

import gc
import math
import re
import threading

import pytest

import micrograd_like as mg
from micrograd_like import Value, grad, linear, no_grad
from micrograd_like.engine import topological_order

approx = pytest.approx


def re_float(x):
    return re.escape(repr(float(x)))


def central_difference(f, xs, i, eps=1e-6):
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps), on plain floats via Values."""
    hi = list(xs)
    lo = list(xs)
    hi[i] += eps
    lo[i] -= eps
    with no_grad():
        return (f(*map(Value, hi)).data - f(*map(Value, lo)).data) / (2 * eps)


# --- micrograd's README example ---------------------------------------------


def test_micrograd_readme_example():
    # Verbatim from karpathy/micrograd's README; the numbers are the README's.
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert f"{g.data:.4f}" == "24.7041"
    g.backward()
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


# --- each rule, derived by hand ---------------------------------------------

X, Y = 0.7, -1.3

# (name, f(x, y), df/dx, df/dy), derivatives written out by hand
BINARY_BY_HAND = [
    ("x + y", lambda x, y: x + y, lambda x, y: 1.0, lambda x, y: 1.0),
    ("x - y", lambda x, y: x - y, lambda x, y: 1.0, lambda x, y: -1.0),
    ("x * y", lambda x, y: x * y, lambda x, y: y, lambda x, y: x),
    ("x / y", lambda x, y: x / y, lambda x, y: 1 / y, lambda x, y: -x / y**2),
    ("x ** 3", lambda x, y: x**3 + 0 * y, lambda x, y: 3 * x**2, lambda x, y: 0.0),
    ("x ** -2", lambda x, y: x**-2 + 0 * y, lambda x, y: -2 * x**-3, lambda x, y: 0.0),
    ("(-y) ** x", lambda x, y: (-y) ** x,
     lambda x, y: (-y) ** x * math.log(-y), lambda x, y: -x * (-y) ** (x - 1)),
    ("2 ** x", lambda x, y: 2**x + 0 * y, lambda x, y: 2**x * math.log(2), lambda x, y: 0.0),
    ("3 - x / y", lambda x, y: 3 - x / y, lambda x, y: -1 / y, lambda x, y: x / y**2),
    ("5 / (x * y)", lambda x, y: 5 / (x * y), lambda x, y: -5 / (x**2 * y), lambda x, y: -5 / (x * y**2)),
]

# (name, f(x), df/dx as a function of the float x)
UNARY_BY_HAND = [
    ("neg", lambda x: -x, lambda x: -1.0),
    ("exp", lambda x: x.exp(), math.exp),
    ("log", lambda x: x.log(), lambda x: 1 / x),
    ("sqrt", lambda x: x.sqrt(), lambda x: 0.5 / math.sqrt(x)),
    ("sin", lambda x: x.sin(), math.cos),
    ("cos", lambda x: x.cos(), lambda x: -math.sin(x)),
    ("tanh", lambda x: x.tanh(), lambda x: 1 - math.tanh(x) ** 2),
    ("sigmoid", lambda x: x.sigmoid(), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    ("relu", lambda x: x.relu(), lambda x: 1.0 if x > 0 else 0.0),
    ("leaky_relu", lambda x: x.leaky_relu(0.1), lambda x: 1.0 if x > 0 else 0.1),
    ("abs", lambda x: abs(x), lambda x: 1.0 if x > 0 else -1.0),
]


@pytest.mark.parametrize("name, f, dfdx, dfdy", BINARY_BY_HAND, ids=[c[0] for c in BINARY_BY_HAND])
def test_binary_gradients_by_hand(name, f, dfdx, dfdy):
    x, y = Value(X), Value(Y)
    out = f(x, y)
    assert out.data == approx(f(X, Y), rel=1e-14)
    out.backward()
    assert x.grad == approx(dfdx(X, Y), rel=1e-12, abs=1e-15)
    assert y.grad == approx(dfdy(X, Y), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name, f, dfdx", UNARY_BY_HAND, ids=[c[0] for c in UNARY_BY_HAND])
@pytest.mark.parametrize("x0", [0.3, 2.5, -0.8])
def test_unary_gradients_by_hand(name, f, dfdx, x0):
    if name in ("log", "sqrt") and x0 < 0:
        x0 = -x0
    x = Value(x0)
    f(x).backward()
    assert x.grad == approx(dfdx(x0), rel=1e-12)


@pytest.mark.parametrize("name, f, dfdx", UNARY_BY_HAND, ids=[c[0] for c in UNARY_BY_HAND])
def test_unary_gradients_match_finite_differences(name, f, dfdx):
    x = Value(1.1)
    f(x).backward()
    assert x.grad == approx(central_difference(f, [1.1], 0), rel=1e-7)


def test_backward_with_gradient_scales_every_gradient():
    x, y = Value(X), Value(Y)
    (x * y + x.sin()).backward(gradient=2.5)
    assert x.grad == approx(2.5 * (Y + math.cos(X)), rel=1e-15)
    assert y.grad == approx(2.5 * X, rel=1e-15)


# --- fan-out: one value used several times ----------------------------------


def test_x_plus_x_times_x():
    x = Value(3.0)
    ((x + x) * x).backward()  # 2 x**2
    assert x.grad == 12.0


def test_a_times_a():
    a = Value(-1.5)
    (a * a).backward()
    assert a.grad == -3.0


def test_sin_of_sin_plus_sin():
    x = Value(0.4)
    (x.sin() + x.sin()).sin().backward()
    assert x.grad == approx(math.cos(2 * math.sin(0.4)) * 2 * math.cos(0.4), rel=1e-14)


def test_shared_subexpression():
    x = Value(0.9)
    y = x * x
    z = y + y * y  # z = x**2 + x**4
    z.backward()
    assert x.grad == approx(2 * 0.9 + 4 * 0.9**3, rel=1e-14)
    assert y.grad == approx(1 + 2 * 0.9**2, rel=1e-14)


def test_node_used_directly_and_deeper_down():
    # f = (2b) * b with b = x + 1: the root reaches b directly AND through 2b,
    # so a topological order must place b before both of its users.
    x = Value(0.7)
    b = x + 1
    f = (b * 2) * b
    f.backward()
    assert x.grad == approx(4 * 1.7, rel=1e-15)
    assert grad(f, [x])[0] == approx(4 * 1.7, rel=1e-15)


def test_topological_order_puts_every_node_after_its_inputs():
    x = Value(0.7)
    b = x + 1
    v = 1 / b
    root = (-v * b) / b + b.exp() * v
    order = topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order)  # no duplicates
    for node in order:
        for p in node._prev:
            assert position[p] < position[node], (p, node)
    assert order[-1] is root


def test_diamond_graph():
    x = Value(1.2)
    a = x.exp()
    b = a.sin()
    c = a.cos()
    d = b * c  # d = sin(e^x) cos(e^x) = sin(2 e^x) / 2
    d.backward()
    assert x.grad == approx(math.cos(2 * math.exp(1.2)) * math.exp(1.2), rel=1e-12)


# --- accumulation -----------------------------------------------------------


def test_two_backward_calls_exactly_double_every_grad():
    x, y = Value(0.3), Value(-2.0)
    h = x * y
    k = h.tanh() + h * x
    out = k.exp() / (1 + y * y)
    nodes = topological_order(out)
    out.backward()
    first = [v.grad for v in nodes]
    out.backward()
    assert [v.grad for v in nodes] == [2 * g for g in first]  # exactly
    assert any(g != 0 for g in first)


def test_backward_from_two_roots_sharing_a_subgraph_adds_up():
    x = Value(0.5)
    y = x * x
    y.exp().backward()
    y.sin().backward()  # y.grad is not zero now; it must not be passed on twice
    assert y.grad == approx(math.exp(0.25) + math.cos(0.25), rel=1e-15)
    assert x.grad == approx((math.exp(0.25) + math.cos(0.25)) * 2 * 0.5, rel=1e-15)


def test_backward_keeps_a_leaf_gradient_set_beforehand():
    x = Value(2.0)
    x.grad = 10.0
    (x * x).backward()
    assert x.grad == 14.0


# --- deep graphs: no recursion anywhere -------------------------------------


def test_a_million_nodes_deep_chain():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y + x
    y.backward()  # a recursive walk would raise RecursionError
    assert y.data == 0.5 * 1_000_001
    assert x.grad == 1_000_001.0
    del y  # freeing a million-deep chain must not overflow the C stack
    gc.collect()


def test_grad_on_a_deep_chain():
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = -y
    assert grad(y, [x]) == [1.0]
    assert len(topological_order(y)) == 100_001


# --- graph structure --------------------------------------------------------


def test_prev_is_an_ordered_tuple():
    a, b = Value(1.0), Value(2.0)
    assert (a * b)._prev == (a, b)
    assert (b * a)._prev == (b, a)
    assert type((a + b)._prev) is tuple
    assert Value(3.0)._prev == ()


def test_numbers_become_constant_leaves_in_order():
    a = Value(5.0)
    right = a - 2
    left = 2 - a
    assert right._prev[0] is a and right._prev[1].data == 2.0
    assert left._prev[1] is a and left._prev[0].data == 2.0
    assert right.data == 3.0 and left.data == -3.0


OP_NAMES = [
    (lambda a, b: a + b, "+"),
    (lambda a, b: a - b, "-"),
    (lambda a, b: a * b, "*"),
    (lambda a, b: a / b, "/"),
    (lambda a, b: -a, "neg"),
    (lambda a, b: a**2, "**"),
    (lambda a, b: a**b, "pow"),
    (lambda a, b: a.exp(), "exp"),
    (lambda a, b: a.log(), "log"),
    (lambda a, b: a.sqrt(), "**"),
    (lambda a, b: a.sin(), "sin"),
    (lambda a, b: a.cos(), "cos"),
    (lambda a, b: a.tanh(), "tanh"),
    (lambda a, b: a.sigmoid(), "sigmoid"),
    (lambda a, b: a.relu(), "relu"),
    (lambda a, b: a.leaky_relu(), "leaky_relu"),
    (lambda a, b: abs(a), "abs"),
    (lambda a, b: mg.sum([a, b]), "sum"),
    (lambda a, b: mg.dot([a], [b]), "dot"),
    (lambda a, b: mg.linear([a], [b], 1.0), "linear"),
]


@pytest.mark.parametrize("f, op", OP_NAMES, ids=[f"{i}-{op}" for i, (_, op) in enumerate(OP_NAMES)])
def test_op_names(f, op):
    assert f(Value(2.0), Value(3.0))._op == op


def test_op_constants_are_kept_in_arg():
    a = Value(4.0)
    assert (a**3)._arg == (3.0,)
    assert a.sqrt()._arg == (0.5,)
    assert a.leaky_relu(0.2)._arg == (0.2,)
    assert (a * a)._arg == ()


def test_detach_stops_the_gradient():
    x = Value(3.0)
    y = x * x
    d = y.detach()
    assert d._prev == () and d.data == 9.0 and d is not y
    z = d * x
    z.backward()
    assert x.grad == 9.0  # only the direct path: d is a constant
    assert y.grad == 0.0


# --- no_grad ------------------------------------------------------------------


def test_no_grad_context():
    x = Value(2.0)
    assert mg.is_grad_enabled()
    with no_grad():
        assert not mg.is_grad_enabled()
        y = x * 3 + x.exp()
    assert mg.is_grad_enabled()
    assert y._prev == () and y._op == ""
    assert y.data == approx(6 + math.exp(2.0))


def test_no_grad_decorator():
    @no_grad()
    def f(x):
        assert not mg.is_grad_enabled()
        return x * x

    y = f(Value(3.0))
    assert y._prev == () and y.data == 9.0
    assert mg.is_grad_enabled()
    assert f.__name__ == "f"


def test_no_grad_nesting_and_enable_grad():
    with no_grad():
        with no_grad():
            assert not mg.is_grad_enabled()
        assert not mg.is_grad_enabled()
        with mg.enable_grad():
            assert mg.is_grad_enabled()
            y = Value(1.0) * 2
        assert not mg.is_grad_enabled()
    assert mg.is_grad_enabled()
    assert y._op == "*"


def test_no_grad_restores_the_mode_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            Value(1.0) / 0
    assert mg.is_grad_enabled()


def test_one_no_grad_object_can_be_reused_and_nested():
    ng = no_grad()
    with ng:
        with ng:
            assert not mg.is_grad_enabled()
        assert not mg.is_grad_enabled()
    assert mg.is_grad_enabled()


def test_no_grad_is_per_thread():
    # Thread A sits inside no_grad() while thread B builds a graph, at the
    # same time: the barriers make the two really overlap.
    barrier = threading.Barrier(2, timeout=10)
    seen = {}
    errors = []

    def in_no_grad():
        try:
            with no_grad():
                barrier.wait()  # 1: both threads are inside their mode
                y = Value(2.0) * 3
                seen["A"] = (mg.is_grad_enabled(), y._prev)
                barrier.wait()  # 2: B has built its node meanwhile
            seen["A after"] = mg.is_grad_enabled()
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    def recording():
        try:
            barrier.wait()  # 1
            y = Value(2.0) * 3
            seen["B"] = (mg.is_grad_enabled(), len(y._prev))
            barrier.wait()  # 2
        except Exception as err:  # pragma: no cover
            errors.append(err)

    threads = [threading.Thread(target=in_no_grad), threading.Thread(target=recording)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert not errors
    assert seen["A"] == (False, ())
    assert seen["B"] == (True, 2)
    assert seen["A after"] is True
    assert mg.is_grad_enabled()  # the main thread was never affected


# --- grad() -----------------------------------------------------------------


def test_grad_leaves_dot_grad_untouched():
    x, y = Value(0.5), Value(2.0)
    h = x * y
    out = h.sin() + x
    x.grad, h.grad = 5.0, 7.0
    gx, gy = grad(out, [x, y])
    assert (x.grad, y.grad, h.grad, out.grad) == (5.0, 0.0, 7.0, 0.0)
    assert gx == approx(math.cos(1.0) * 2.0 + 1, rel=1e-15)
    assert gy == approx(math.cos(1.0) * 0.5, rel=1e-15)


def test_grad_agrees_with_backward():
    x, y = Value(0.8), Value(-0.6)
    out = (x * y).tanh() * x.exp() + (y * y + 1).log() / (1 + x * x)
    expected = grad(out, [x, y])
    out.backward()
    assert expected == [x.grad, y.grad]


def test_grad_accepts_a_single_value():
    x = Value(3.0)
    assert grad(x * x, x) == [6.0]


def test_grad_of_an_unused_input():
    x, unused = Value(1.0), Value(2.0)
    out = x * 3
    with pytest.raises(ValueError, match="not part of the graph.*allow_unused=True"):
        grad(out, [x, unused])
    assert grad(out, [x, unused], allow_unused=True) == [3.0, None]
    assert grad(out, [unused], create_graph=True, allow_unused=True) == [None]


def test_grad_of_a_generator_of_inputs_is_not_silently_empty():
    x = Value(2.0)
    try:
        result = grad(x * x, (v for v in [x]))
    except TypeError:  # refusing a one-shot iterable is fine too
        return
    assert result == [4.0]


def test_grad_with_respect_to_an_intermediate():
    x = Value(0.5)
    h = x.exp()
    out = h * h
    assert grad(out, [h]) == [approx(2 * math.exp(0.5), rel=1e-15)]


def test_grad_create_graph_returns_values_for_second_derivatives():
    x = Value(3.0)
    [dy] = grad(x**3, [x], create_graph=True)
    assert isinstance(dy, Value) and dy.data == 27.0
    [d2y] = grad(dy, [x])
    assert d2y == 18.0
    assert x.grad == 0.0


def test_grad_create_graph_of_a_linear_function_is_a_value():
    x = Value(3.0)
    [dy] = grad(x * 2 + 1, [x], create_graph=True)
    assert isinstance(dy, Value) and dy.data == 2.0


def test_grad_create_graph_result_can_be_backpropagated():
    x = Value(0.4)
    [dy] = grad(x.sin() * x, [x], create_graph=True)  # cos(x) x + sin(x)
    dy.backward()
    assert x.grad == approx(-math.sin(0.4) * 0.4 + 2 * math.cos(0.4), rel=1e-14)


def test_grad_second_derivative_through_a_quotient():
    # d2/dx2 of 1 / (1 + x) is 2 / (1 + x)**3
    x = Value(0.7)
    [dy] = grad(1 / (x + 1), [x], create_graph=True)
    assert dy.data == approx(-1 / 1.7**2, rel=1e-14)
    assert grad(dy, [x]) == [approx(2 / 1.7**3, rel=1e-12)]


def test_third_derivative():
    x = Value(0.5)
    [d1] = grad(x.exp() * x, [x], create_graph=True)  # (x + 1) e^x
    [d2] = grad(d1, [x], create_graph=True)  # (x + 2) e^x
    [d3] = grad(d2, [x])  # (x + 3) e^x
    assert d3 == approx(3.5 * math.exp(0.5), rel=1e-13)


def test_grad_rejects_non_values():
    x = Value(1.0)
    with pytest.raises(TypeError, match="grad: output must be a Value.*float"):
        grad(3.0, [x])
    with pytest.raises(TypeError, match="grad: every input must be a Value.*float 2.0"):
        grad(x * x, [x, 2.0])


# --- fused nodes: sum, dot, linear --------------------------------------------

XS = [0.5, -1.25, 2.0, 0.75]
WS = [-0.3, 0.8, 0.1, -1.1]
B0 = 0.4


def unfused_linear(xs, ws, b, act=None):
    z = b
    for x, w in zip(xs, ws):
        z = z + x * w
    return z if act is None else getattr(z, act)()


FUSED = [  # (name, fused, the same thing unfused), each f(xs, ws, b)
    ("sum", lambda xs, ws, b: mg.sum(xs), lambda xs, ws, b: xs[0] + xs[1] + xs[2] + xs[3]),
    ("dot", lambda xs, ws, b: mg.dot(xs, ws), lambda xs, ws, b: unfused_linear(xs, ws, 0.0)),
    ("linear", lambda xs, ws, b: mg.linear(xs, ws, b), lambda xs, ws, b: unfused_linear(xs, ws, b)),
    ("linear no bias", lambda xs, ws, b: mg.linear(xs, ws), lambda xs, ws, b: unfused_linear(xs, ws, 0.0)),
] + [
    (f"linear {act}", (lambda a: lambda xs, ws, b: mg.linear(xs, ws, b, a))(act),
     (lambda a: lambda xs, ws, b: unfused_linear(xs, ws, b, a))(act))
    for act in ("tanh", "sigmoid", "relu")
]


@pytest.mark.parametrize("name, fused, unfused", FUSED, ids=[c[0] for c in FUSED])
def test_fused_node_matches_the_unfused_expression(name, fused, unfused):
    def leaves():
        return [Value(v) for v in XS], [Value(v) for v in WS], Value(B0)

    xs, ws, b = leaves()
    out = fused(xs, ws, b)
    out.backward()
    xs2, ws2, b2 = leaves()
    ref = unfused(xs2, ws2, b2)
    ref.backward()
    assert out.data == approx(ref.data, rel=1e-14, abs=1e-15)
    got = [v.grad for v in xs + ws + [b]]
    want = [v.grad for v in xs2 + ws2 + [b2]]
    assert got == approx(want, rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("name, fused, unfused", FUSED, ids=[c[0] for c in FUSED])
def test_fused_node_matches_finite_differences(name, fused, unfused):
    n = len(XS)
    point = XS + WS + [B0]

    def f(*v):
        return fused(list(v[:n]), list(v[n : 2 * n]), v[-1])

    leaves = [Value(p) for p in point]
    out = f(*leaves)
    out.backward()
    for i, leaf in enumerate(leaves):
        assert leaf.grad == approx(central_difference(f, point, i), rel=1e-7, abs=1e-8), i


def test_fused_nodes_are_one_node():
    xs = [Value(v) for v in XS]
    ws = [Value(v) for v in WS]
    assert len(mg.sum(xs)._prev) == 4
    assert len(mg.dot(xs, ws)._prev) == 8
    assert mg.linear(xs, ws, Value(B0))._prev[:8] == tuple(xs + ws)
    assert len(mg.linear(xs, ws, Value(B0))._prev) == 9


def test_fused_nodes_accept_numbers_and_generators():
    x = Value(2.0)
    s = mg.sum(v for v in [x, 3, 4.5])
    assert s.data == 9.5
    s.backward()
    assert x.grad == 1.0


@pytest.mark.parametrize(
    "call",
    [lambda: mg.sum([]), lambda: mg.dot([], [])],
    ids=["sum", "dot"],
)
def test_empty_sum_is_a_float_zero(call):
    # torch.sum of an empty tensor is 0.0; the data must stay a float
    out = call()
    assert type(out.data) is float and out.data == 0.0


@pytest.mark.parametrize("nx, nw", [(1, 3), (3, 1), (2, 3), (3, 2), (0, 1)])
def test_linear_rejects_mismatched_lengths(nx, nw):
    with pytest.raises(ValueError, match="linear.*same length"):
        mg.linear([1.0] * nx, [1.0] * nw, 0.0)


def test_dot_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match=r"dot: the two lists must have the same length, got 2 and 3"):
        mg.dot([1.0, 2.0], [1.0, 2.0, 3.0])


def test_linear_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match="linear: unknown activation 'gelu'"):
        mg.linear([1.0], [1.0], 0.0, "gelu")


# --- bad input: clear errors that name the op and the value --------------------


@pytest.mark.parametrize("bad", ["3", None, [1], 1 + 2j])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match=r"Value\(\): expected a real number.*" + type(bad).__name__):
        Value(bad)


def test_value_of_a_value_says_how_to_fix_it():
    with pytest.raises(TypeError, match=r"use \.data"):
        Value(Value(1.0))


BINARY_OPERATORS = [
    ("+", lambda a, b: a + b),
    ("-", lambda a, b: a - b),
    ("*", lambda a, b: a * b),
    ("/", lambda a, b: a / b),
    ("**", lambda a, b: a**b),
]


@pytest.mark.parametrize("op, f", BINARY_OPERATORS, ids=[o for o, _ in BINARY_OPERATORS])
@pytest.mark.parametrize("bad", ["a", None, [1], 2j])
def test_operators_reject_non_numbers_on_the_right(op, f, bad):
    with pytest.raises(TypeError, match=re.escape(f"Value {op}")) as info:
        f(Value(1.0), bad)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("op, f", BINARY_OPERATORS, ids=[o for o, _ in BINARY_OPERATORS])
@pytest.mark.parametrize("bad", ["a", None, [1], 2j])
def test_operators_reject_non_numbers_on_the_left(op, f, bad):
    with pytest.raises(TypeError, match=re.escape(f"{type(bad).__name__} {op} Value")) as info:
        f(bad, Value(1.0))
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("cmp", [lambda a, b: a < b, lambda a, b: a >= b, lambda a, b: b > a])
def test_comparisons_reject_non_numbers(cmp):
    with pytest.raises(TypeError):
        cmp(Value(1.0), "a")


@pytest.mark.parametrize("x", [0.0, -1.0, -float("inf")])
def test_log_of_non_positive_raises(x):
    with pytest.raises(ValueError, match=r"log\(" + re_float(x) + r"\).*> 0"):
        Value(x).log()


@pytest.mark.parametrize(
    "f",
    [lambda: Value(1.0) / 0, lambda: 1 / Value(0.0), lambda: Value(1.0) / Value(-0.0)],
    ids=["value / 0", "1 / value", "value / value"],
)
def test_division_by_zero(f):
    with pytest.raises(ZeroDivisionError, match=r"division: 1\.0 / 0\.0"):
        f()


@pytest.mark.parametrize(
    "f", [lambda: Value(-2.0) ** 0.5, lambda: Value(-2.0).sqrt(), lambda: Value(-2.0) ** Value(1.5)]
)
def test_negative_base_to_a_fractional_power(f):
    with pytest.raises(ValueError, match=r"pow: -2\.0 \*\* (0\.5|1\.5) is not a real number"):
        f()


def test_exp_overflow():
    with pytest.raises(OverflowError, match=r"exp\(710\.0\) overflows"):
        Value(710.0).exp()


@pytest.mark.parametrize("f", [lambda: Value(0.0) ** -1, lambda: Value(0.0) ** Value(-1.0)])
def test_zero_to_a_negative_power(f):
    with pytest.raises(ZeroDivisionError, match=r"pow: 0\.0 \*\* -1\.0"):
        f()


def test_pow_overflow():
    with pytest.raises(OverflowError, match=r"pow: 10\.0 \*\* 400\.0 overflows"):
        Value(10.0) ** 400


def test_sqrt_gradient_at_zero_names_the_op():
    x = Value(0.0)
    y = x.sqrt()
    assert y.data == 0.0
    with pytest.raises(ZeroDivisionError, match=r"backward through '\*\*' \(output 0\.0, inputs 0\.0, constant 0\.5\)"):
        y.backward()
    with pytest.raises(ZeroDivisionError, match=r"backward through '\*\*'"):
        grad(y, [x])


def test_exponent_gradient_of_a_negative_base_is_not_real():
    y = Value(-2.0) ** Value(2.0)
    assert y.data == 4.0
    with pytest.raises(ValueError, match=r"backward through 'pow'.*-2\.0 \*\* b"):
        y.backward()


def test_backward_gradient_must_be_a_number():
    with pytest.raises(TypeError, match=r"backward\(gradient\).*str"):
        (Value(1.0) * 2).backward(gradient="1")


def test_leaky_relu_slope_must_be_a_number():
    with pytest.raises(TypeError, match=r"leaky_relu\(negative_slope\).*str"):
        Value(1.0).leaky_relu("0.1")


# --- saturation: no overflow at large inputs --------------------------------


@pytest.mark.parametrize(
    "x, sigmoid, tanh", [(1000.0, 1.0, 1.0), (-1000.0, 0.0, -1.0), (745.0, 1.0, 1.0), (-745.0, 5e-324, -1.0)]
)
def test_sigmoid_and_tanh_saturate_exactly(x, sigmoid, tanh):
    # The true values differ from these by less than half a float step;
    # so do the true derivatives from 0.0.
    s, t = Value(x), Value(x)
    ys, yt = s.sigmoid(), t.tanh()
    assert ys.data == sigmoid and yt.data == tanh
    ys.backward()
    yt.backward()
    assert s.grad == approx(0.0, abs=1e-300) and t.grad == 0.0


# --- NaN and inf: accepted as data, IEEE semantics --------------------------
# (the per-op comparison with torch at nan/inf is in test_engine_torch.py)

NAN, INF = float("nan"), float("inf")


def test_nan_is_data_and_propagates():
    x = Value(NAN)
    assert math.isnan(x.data)
    y = x * x + 1
    assert math.isnan(y.data)
    y.backward()
    assert math.isnan(x.grad)
    assert math.isnan(Value(NAN).log().data)  # not a domain error: nan in, nan out


@pytest.mark.parametrize(
    "f",
    [lambda x: x.relu(), lambda x: mg.linear([x], [1.0], 0.0, "relu"), lambda x: x.leaky_relu(),
     lambda x: abs(x), lambda x: x.sigmoid(), lambda x: mg.linear([x], [1.0], 0.0, "sigmoid")],
    ids=["relu", "linear relu", "leaky_relu", "abs", "sigmoid", "linear sigmoid"],
)
def test_nan_in_gives_nan_out(f):
    assert math.isnan(f(Value(NAN)).data)


def test_inf_follows_float_arithmetic():
    x = Value(INF)
    assert (x * 2).data == INF
    assert (1 / x).data == 0.0
    assert math.isnan((x - x).data)
    assert x.exp().data == INF  # exp(inf) is inf, not an overflow
    assert Value(-INF).exp().data == 0.0
    assert x.tanh().data == 1.0 and x.sigmoid().data == 1.0
    assert Value(-INF).sigmoid().data == 0.0


@pytest.mark.parametrize("base, exponent", [(-2.0, INF), (-0.5, INF), (-2.0, -INF), (-2.0, NAN), (2.0, NAN)])
def test_negative_base_to_a_non_finite_power_follows_floats(base, exponent):
    want = base**exponent  # Python floats (and torch) agree: inf, 0.0, nan
    got = (Value(base) ** exponent).data
    assert got == want or (math.isnan(want) and math.isnan(got))


# --- nodes made by hand, micrograd-style: Value(data, children, op) ---------


def test_a_node_with_an_unknown_op_gets_a_clear_error():
    a = Value(1.0)
    b = Value(2.0, (a,), "ReLU")  # micrograd's op name; we have no rule for it
    with pytest.raises(ValueError, match=r"no derivative rule for op 'ReLU'.*RULES"):
        b.backward()
    with pytest.raises(ValueError, match=r"no derivative rule for op 'ReLU'"):
        grad(b, [a])


def test_a_rule_added_to_RULES_serves_backward_and_second_derivatives(monkeypatch):
    import micrograd_like.engine as engine

    # d(a**3)/da = 3a**2, by hand; written only with arithmetic, so it also
    # works on Values for create_graph=True.
    monkeypatch.setitem(engine.RULES, "cube", lambda g, out, a: (3 * g * a * a,))
    x = Value(2.0)
    y = Value(8.0, (x,), "cube")
    y.backward()
    assert x.grad == 12.0
    [dy] = grad(y, [x], create_graph=True)
    assert dy.data == 12.0
    assert grad(dy, [x]) == [12.0]  # 6a at a = 2


# --- review findings ---------------------------------------------------------


def test_star_import_does_not_hide_the_builtin_sum():
    namespace = {}
    exec("from micrograd_like import *", namespace)
    assert "sum" not in namespace and "Value" in namespace
    import micrograd_like

    assert micrograd_like.sum([Value(1.0), 2.0]).data == 3.0  # still public


def test_no_grad_on_a_generator_function_covers_every_resume():
    from micrograd_like import is_grad_enabled

    @mg.no_grad
    def pairs():
        yield is_grad_enabled(), (Value(1.0) * 2)._prev
        yield is_grad_enabled(), (Value(1.0) * 3)._prev

    gen = pairs()
    assert next(gen) == (False, ())
    assert is_grad_enabled()  # the caller records between resumes
    assert (Value(1.0) * 2)._prev != ()
    assert next(gen) == (False, ())
    with pytest.raises(StopIteration):
        next(gen)


def test_no_grad_generator_passes_sent_values_and_thrown_errors_through():
    @mg.no_grad()
    def echo():
        got = yield "ready"
        try:
            yield got * 2
        except KeyError:
            yield "caught"

    gen = echo()
    assert next(gen) == "ready"
    assert gen.send(21) == 42
    assert gen.throw(KeyError("k")) == "caught"
    gen.close()


def test_linear_takes_any_iterable_and_refuses_non_iterables():
    w = [Value(2.0), Value(3.0)]
    assert mg.linear((v for v in [1.0, 1.0]), iter(w), Value(1.0)).data == 6.0
    with pytest.raises(TypeError, match=r"linear: x must be a list of numbers or Values, got int 3"):
        mg.linear(3, w)
    with pytest.raises(TypeError, match=r"linear: w must be a list"):
        mg.linear([1.0], None)


@pytest.mark.parametrize("expr, text", [
    (lambda: "a" + Value(1.0), "str \\+ Value"),
    (lambda: "a" - Value(1.0), "str - Value"),
    (lambda: "a" * Value(1.0), "str \\* Value"),
    (lambda: "a" / Value(1.0), "str / Value"),
    (lambda: "a" ** Value(1.0), "str \\*\\* Value"),
    (lambda: Value(1.0) + "a", "Value \\+ str"),
])
def test_type_errors_show_the_operands_in_the_order_written(expr, text):
    with pytest.raises(TypeError, match=text):
        expr()


# --- linear() with a weight matrix: a whole layer --------------------------


def _layer_inputs(seed=0, nin=3, nout=4):
    import random

    rng = random.Random(seed)
    x = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
    W = [[Value(rng.uniform(-1, 1)) for _ in range(nin)] for _ in range(nout)]
    b = [Value(rng.uniform(-1, 1)) for _ in range(nout)]
    return x, W, b


@pytest.mark.parametrize("act", [None, "linear", "relu", "tanh", "sigmoid"])
def test_linear_matrix_makes_the_same_nodes_as_one_call_per_row(act):
    x, W, b = _layer_inputs()
    rows = linear(x, W, b, act)
    each = [linear(x, w, bi, act) for w, bi in zip(W, b)]
    assert len(rows) == len(W)
    for r, e in zip(rows, each):
        assert r.data == e.data  # bit for bit: the same sums in the same order
        assert r._op == e._op == "linear" and r._arg == e._arg
        assert r._prev == e._prev  # (*x, *w, b), the same Values
    # and so the same gradients, through backward()
    params = x + [w for row in W for w in row] + b
    sum(rows).backward()
    got = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    sum(each).backward()
    assert got == [p.grad for p in params]


def test_linear_matrix_by_hand():
    # relu(1*1 + 2*(-1) + 0.5) = 0 (off), relu(1*2 + 2*3 - 1) = 7
    x = [1.0, 2.0]
    W = [[Value(1.0), Value(-1.0)], [Value(2.0), Value(3.0)]]
    b = [Value(0.5), Value(-1.0)]
    y0, y1 = linear(x, W, b, "relu")
    assert (y0.data, y1.data) == (0.0, 7.0)
    (y0 + y1).backward()
    assert [w.grad for w in W[0]] == [0.0, 0.0] and b[0].grad == 0.0  # ReLU off
    assert [w.grad for w in W[1]] == [1.0, 2.0] and b[1].grad == 1.0


def test_linear_matrix_takes_numbers_tuples_and_no_bias():
    W = [(Value(1.0), 2.0), [Value(3.0), Value(4.0)]]
    y = linear((1.0, Value(2.0)), W)  # numbers anywhere, no bias (constant 0)
    assert [v.data for v in y] == [5.0, 11.0]
    y = linear([1.0, 2.0], W, (Value(1.0), 2.0))  # a bias that is a number
    assert [v.data for v in y] == [6.0, 13.0]


def test_linear_matrix_under_no_grad_makes_leaves():
    x, W, b = _layer_inputs()
    with no_grad():
        out = linear(x, W, b, "relu")
    assert all(v._prev == () and v._op == "" for v in out)


def test_linear_matrix_errors_name_the_row():
    x, W, b = _layer_inputs(nin=3, nout=2)
    with pytest.raises(ValueError, match=r"linear: x has 3 inputs but row w\[1\] has 2 weights"):
        linear(x, [W[0], W[1][:2]], b)
    with pytest.raises(ValueError, match="w has 2 rows but b has 1 biases"):
        linear(x, W, b[:1])
    with pytest.raises(TypeError, match=r"linear: w\[1\] must be a list"):
        linear(x, [W[0], 5], b)
    with pytest.raises(TypeError, match="linear: unsupported input 'a'"):
        linear(x, [W[0], W[1][:2] + ["a"]], b)


def test_a_dead_fused_relu_passes_nothing_on_like_an_unfused_one():
    # A ReLU that is off because of an infinite input. Unfused, relu's node gets gradient 0 and passes nothing on (documented);
    # fused, the same: no 0 * inf = NaN in the weights' gradients.
    x = [Value(math.inf)]
    w = [Value(-1.0)]
    fused = linear(x, w, Value(0.0), "relu")
    fused.backward()
    assert fused.data == 0.0 and w[0].grad == 0.0 and x[0].grad == 0.0
    w2 = [Value(-1.0)]
    unfused = linear(x, w2, Value(0.0)).relu()
    unfused.backward()
    assert w2[0].grad == 0.0


# --- the topological order is the same depth-first order as ever ----------


def _reference_order(root, leaves=True):
    """The plain two-visit DFS (no fast path), as a reference."""
    order, expanded, placed, stack = [], set(), set(), [root]
    if not root._prev:
        return [root] if leaves else []
    while stack:
        v = stack.pop()
        if v in expanded:
            if v not in placed:
                placed.add(v)
                order.append(v)
            continue
        expanded.add(v)
        stack.append(v)
        for p in reversed(v._prev):
            if p._prev and p not in expanded:
                stack.append(p)
        if leaves:
            for p in v._prev:
                if not p._prev and p not in expanded:
                    expanded.add(p)
                    order.append(p)
    return order


@pytest.mark.parametrize("leaves", [True, False])
@pytest.mark.parametrize("seed", range(5))
def test_topological_order_of_an_mlp_loss_equals_the_plain_dfs(seed, leaves):
    import random

    from micrograd_like.nn import MLP

    rng = random.Random(seed)
    model = MLP(3, [5, rng.choice([1, 4]), 2], seed=seed)
    xs = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(6)]
    outs = [model(x) for x in xs]
    # shared leaves everywhere: weights in every sample, a constant reused
    c = Value(0.5)
    loss = sum([o * c + o.tanh() for out in outs for o in out]) + mg.sum(model.parameters())
    assert [id(v) for v in topological_order(loss, leaves)] == [
        id(v) for v in _reference_order(loss, leaves)
    ]


def _assert_topological(order):
    place = {id(v): i for i, v in enumerate(order)}
    assert len(place) == len(order)
    for v in order:
        assert all(place[id(p)] < place[id(v)] for p in v._prev), v


def test_the_order_holds_for_graphs_built_by_threads_and_for_copies_and_pickles():
    import copy
    import pickle
    import threading

    x = Value(0.5)
    parts = [[], []]

    def build(k):  # two threads add to one graph at the same time
        y = x
        for i in range(2000):
            y = y * 1.0001 + (k + 1) * 1e-4
        parts[k].append(y)

    threads = [threading.Thread(target=build, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    root = parts[0][0] * parts[1][0]
    _assert_topological(topological_order(root))
    root.backward()
    want = x.grad
    where = [id(v) for v in topological_order(root)].index(id(x))
    for twin in (copy.deepcopy(root), pickle.loads(pickle.dumps(root))):
        _assert_topological(topological_order(twin))
        leaf = topological_order(twin)[where]  # x's copy: copies keep the structure
        leaf.grad = 0.0
        twin.grad = 0.0
        twin.backward()
        assert leaf.grad == want  # the same numbers, in the same order


@pytest.mark.parametrize("base, exponent", [(1e200, 2), (1e200, 2.0), (-1e200, 3), (1e155, 2.5), (10.0, 400)])
def test_a_power_that_overflows_raises_on_every_python(base, exponent):
    # CPython raises OverflowError for 1e200 ** 2.0; PyPy computes x ** 2 as
    # x * x and gives inf. The engine says the same on both.
    with pytest.raises(OverflowError, match=r"pow: .* overflows a float; scale the base down"):
        Value(base) ** exponent
    assert (Value(float("inf")) ** 2).data == float("inf")  # inf in, inf out: no overflow

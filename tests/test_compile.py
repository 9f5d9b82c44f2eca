"""micrograd_like.compile: the same numbers and gradients as eager code, and PyTorch float64.

Each case runs three ways: eagerly, compiled (twice: the tracing call and a
call of the generated code), and in torch float64 where torch has the op.
Values and every gradient must agree to 1e-12. Speed is for benchmarks/.
"""

import math

import pytest

from micrograd_like import MLP, Neuron, Value, no_grad
from micrograd_like.compiler import compile
from micrograd_like.fused import dot, linear
from micrograd_like.fused import sum as value_sum
from micrograd_like.losses import hinge_loss, l2_penalty, mse_loss

TOL = 1e-12


def close(a, b, tol=TOL):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def run(fn, data, compiled=None):
    """(output data, input grads) of fn on fresh leaves; fn compiled if given."""
    xs = [Value(d) for d in data]
    out = (compiled or fn)(*xs)
    out.backward()
    return out.data, [x.grad for x in xs]


# --- every op, eager vs compiled vs torch ----------------------------------------

# (name, fn of Values, fn of torch tensors or None, inputs)
OPS = [
    ("fan-out (x + x) * x", lambda x, y: (x + x) * x, lambda x, y: (x + x) * x, [1.5, 0.0]),
    ("sin(sin(x) + sin(x))", lambda x, y: (x.sin() + x.sin()).sin(),
     lambda x, y: (x.sin() + x.sin()).sin(), [0.7, 0.0]),
    ("- and /", lambda x, y: (x - y) / (y * y + 1.0), lambda x, y: (x - y) / (y * y + 1.0),
     [2.0, -3.0]),
    ("rsub rdiv neg", lambda x, y: 1.0 - 2.0 / x - (-y), lambda x, y: 1.0 - 2.0 / x - (-y),
     [0.5, 1.25]),
    ("** constant", lambda x, y: x ** 3 + y ** -0.5 + x ** 0, lambda x, y: x ** 3 + y ** -0.5 + x ** 0,
     [-1.2, 2.0]),
    ("** Value", lambda x, y: x ** y, lambda x, y: x ** y, [1.7, 0.3]),
    ("rpow", lambda x, y: 2.0 ** x, lambda x, y: 2.0 ** x, [0.8, 0.0]),
    ("exp log", lambda x, y: (x * y).exp() + (x + 3.0).log(),
     lambda x, y: (x * y).exp() + (x + 3.0).log(), [0.4, -1.1]),
    ("cos tanh sigmoid", lambda x, y: x.cos() * y.tanh() + (x * y).sigmoid(),
     lambda x, y: x.cos() * y.tanh() + (x * y).sigmoid(), [0.3, -0.9]),
    ("relu on and off", lambda x, y: x.relu() + y.relu() * x, lambda x, y: x.relu() + y.relu() * x,
     [0.6, -0.2]),
    ("leaky_relu abs", lambda x, y: x.leaky_relu(0.1) * abs(y) + abs(x),
     lambda x, y: __import__("torch").nn.functional.leaky_relu(x, 0.1) * abs(y) + abs(x),
     [-0.6, -2.5]),
    ("sqrt", lambda x, y: (x * x + y * y).sqrt(), lambda x, y: (x * x + y * y).sqrt(), [3.0, 4.0]),
]


@pytest.mark.parametrize("name, fn, tfn, data", OPS, ids=[c[0] for c in OPS])
def test_ops_match_eager_and_torch(name, fn, tfn, data, torch):
    eager = run(fn, data)
    fast = compile(fn)
    for _ in range(2):  # the tracing call, then the generated code
        value, grads = run(fn, data, fast)
        assert close(value, eager[0]) and all(map(close, grads, eager[1]))
    ts = [torch.tensor(d, dtype=torch.float64, requires_grad=True) for d in data]
    tfn(*ts).backward()
    assert close(value, tfn(*[t.detach() for t in ts]).item())
    assert all(close(g, 0.0 if t.grad is None else t.grad.item()) for g, t in zip(grads, ts))


FUSED = [
    ("sum", lambda a, b, c: value_sum([a, b * c, a * a, 2.0])),
    ("dot", lambda a, b, c: dot([a, b, 3.0], [c, a, b])),
    ("dot with itself (L2)", lambda a, b, c: l2_penalty([a, b, c])),
    *[(f"linear {act}", lambda a, b, c, act=act: linear([a, 2.0], [b, c], a * 0.5, act))
      for act in (None, "relu", "tanh", "sigmoid")],
    ("linear without bias", lambda a, b, c: linear([a, b], [c, c])),
    ("linear layer", lambda a, b, c: value_sum(linear([a, b], [[b, c], [c, a], [a, a]],
                                                    [a, b, 0.5], "relu"))),
    ("mse", lambda a, b, c: mse_loss([a * b, c], [1.0, -1.0])),
]


@pytest.mark.parametrize("data", [[0.3, -1.2, 0.8], [-0.5, 0.25, -2.0]])
@pytest.mark.parametrize("name, fn", FUSED, ids=[c[0] for c in FUSED])
def test_fused_ops_match_eager(name, fn, data):
    eager = run(fn, data)
    fast = compile(fn)
    for _ in range(2):
        value, grads = run(fn, data, fast)
        assert close(value, eager[0]) and all(map(close, grads, eager[1]))


def test_a_module_matches_eager_and_torch(torch):
    from micrograd_like.torch_bridge import to_torch

    model = MLP(3, [5, 4, 1], activation=["tanh", "relu"], seed=1)
    x = [0.5, -1.5, 2.0]
    fast = compile(lambda m, x: m(x))
    out = fast(model, x)
    out = fast(model, x)  # the generated code
    out.backward()
    grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    eager = model(x)
    eager.backward()
    assert close(out.data, eager.data)
    assert all(map(close, grads, [p.grad for p in model.parameters()]))
    seq = to_torch(model)
    y = seq(torch.tensor(x, dtype=torch.float64))
    y.sum().backward()
    assert close(out.data, y.item())
    tgrads = [g for lin in seq if hasattr(lin, "weight")
              for row, b in zip(lin.weight.grad.tolist(), lin.bias.grad.tolist()) for g in row + [b]]
    assert all(map(close, grads, tgrads))


def test_input_values_get_gradients_and_graphs_continue_through_the_result():
    a, b = Value(2.0), Value(-1.0)
    h = a * b  # an eager node passed in: its gradient flows on to a and b
    fast = compile(lambda h, c: (h * c).tanh())
    c = Value(0.5)
    y = fast(h, c) * 3.0
    y.backward()
    expect = 3.0 * (1 - math.tanh(-1.0) ** 2)
    assert close(c.grad, expect * -2.0) and close(a.grad, expect * 0.5 * -1.0)
    assert close(b.grad, expect * 0.5 * 2.0) and close(h.grad, expect * 0.5)


# --- inputs are inputs, not constants ---------------------------------------------


def test_changed_weights_and_data_give_new_answers():
    model = MLP(2, [3, 1], seed=0)
    fast = compile(lambda m, x: m(x))
    first = fast(model, [1.0, 2.0]).data
    assert fast(model, [1.0, 2.0]).data == first
    model.layers[1].neurons[0].b.data += 1.0
    assert close(fast(model, [1.0, 2.0]).data, first + 1.0)
    assert close(fast(model, [-1.0, 0.5]).data, model([-1.0, 0.5]).data)
    assert len(fast._programs) == 1  # one trace served every call


def test_closure_leaves_are_read_afresh_and_get_gradients():
    w = Value(3.0)
    fast = compile(lambda x: w * x + 1.0)
    assert fast(2.0).data == 7.0
    w.data = -1.0
    y = fast(2.0)
    y.backward()
    assert y.data == -1.0 and w.grad == 2.0


SCALE = 0.5  # a global read by name in the next test


def test_a_rebound_global_number_traces_again(monkeypatch):
    fast = compile(lambda v: v * SCALE)
    assert fast(3.0).data == 1.5
    monkeypatch.setitem(globals(), "SCALE", 2.0)
    assert fast(3.0).data == 6.0  # the old program kept 0.5 as a constant: 1.5
    assert fast._count == 2


def test_a_rebound_closure_value_traces_again_and_gets_the_gradient():
    w = Value(2.0)
    fast = compile(lambda v: v * w)
    assert fast(3.0).data == 6.0
    old, w = w, Value(100.0)
    y = fast(3.0)
    y.backward()
    # the old program: 6.0, with the gradient going to the old w
    assert (y.data, w.grad, old.grad) == (300.0, 3.0, 0.0)


def test_a_name_rebound_at_every_call_ends_in_an_error_naming_it():
    step = 0
    fast = compile(lambda v: v * step, cache_size=3)
    with pytest.raises(ValueError, match="traced 3 times already .*the name 'step' that fn "
                                         "reads now holds another object"):
        for step in range(1, 10):
            assert fast(1.0).data == step


def test_changing_a_neurons_activation_or_fusion_traces_again():
    model = MLP(2, [3, 1], seed=0)
    fast = compile(lambda m, x: m(x))
    first = fast(model, [1.0, -2.0]).data
    for n in model.layers[0].neurons:
        n.activation = "tanh"
    eager = model([1.0, -2.0]).data
    assert eager != first and fast(model, [1.0, -2.0]).data == eager
    model.layers[1].neurons[0].fused = False
    model.layers[1].neurons[0].activation = "sigmoid"
    eager = model([1.0, -2.0]).data
    assert close(fast(model, [1.0, -2.0]).data, eager) and fast._count == 3


def test_new_value_objects_in_the_arguments_are_new_inputs():
    fast = compile(lambda xs: xs[0] * xs[1])
    fast([Value(1.0), Value(2.0)])
    a, b = Value(3.0), Value(4.0)
    y = fast([a, b])
    y.backward()
    assert (y.data, a.grad, b.grad) == (12.0, 4.0, 3.0)


def test_the_same_value_in_two_places_is_traced_again_when_they_differ():
    fast = compile(lambda a, b: a * b)
    x = Value(3.0)
    assert fast(x, x).data == 9.0
    assert fast(x, Value(2.0)).data == 6.0
    assert fast._count == 2


def test_nested_arguments_dicts_and_numbers():
    fast = compile(lambda d, xs, k: d["w"] * xs[0][1] + xs[1] * k)
    w = Value(2.0)
    assert fast({"w": w}, [(1.0, 3.0), 4], 0.5).data == 8.0
    y = fast({"w": w}, [(1.0, 5.0), 4], -1.0)
    y.backward()
    assert (y.data, w.grad) == (6.0, 5.0)
    assert fast._count == 1


def test_constants_made_inside_fn_are_baked_in():
    fast = compile(lambda x: x * Value(2.5) + 1)
    assert fast(Value(2.0)).data == 6.0
    assert "2.5" in fast.source and "1.0" in fast.source


def test_value_of_an_input_number_is_that_input():
    fast = compile(lambda x: Value(x) * 3)
    assert (fast(2.0).data, fast(5).data, fast._count) == (6.0, 15.0, 1)


def test_list_and_tuple_results():
    fast = compile(lambda x: [x * x, x.exp()])
    x = Value(0.5)
    out = fast(x)
    assert isinstance(out, list) and [v.data for v in out] == [0.25, math.exp(0.5)]
    (out[0] + 2 * out[1]).backward()
    assert close(x.grad, 1.0 + 2 * math.exp(0.5))
    pair = compile(lambda x: (x, x + 1.0))(Value(1.0))
    assert isinstance(pair, tuple) and [v.data for v in pair] == [1.0, 2.0]


def test_under_no_grad_the_result_is_a_plain_leaf_and_traces_normally():
    w = Value(2.0)
    fast = compile(lambda x: w * x)
    with no_grad():
        y = fast(3.0)
    assert y.data == 6.0 and y._prev == ()
    z = fast(4.0)  # the trace made under no_grad() still records
    z.backward()
    assert w.grad == 4.0


def test_a_compiled_function_inside_another_is_traced_through():
    inner = compile(lambda x: x * x)
    outer = compile(lambda x: inner(x) + x)
    x = Value(3.0)
    y = outer(x)
    y = outer(x)
    y.backward()
    assert (y.data, x.grad) == (12.0, 7.0)


def test_a_deep_graph_is_traced_without_recursion():
    def chain(x):
        for _ in range(3000):  # 6000 op nodes: far deeper than the recursion limit
            x = x * 0.999 + 0.001
        return x

    x = Value(0.5)
    fast = compile(chain)
    y = fast(x)
    y.backward()
    eager_x = Value(0.5)
    e = chain(eager_x)
    e.backward()
    assert close(y.data, e.data) and close(x.grad, eager_x.grad)


# --- guards: never silently wrong -------------------------------------------------


def sign_branch(x):
    return x * 2.0 if x > 0 else x * -3.0


def test_a_branch_on_a_values_sign_is_guarded_and_traced_again():
    fast = compile(sign_branch)
    for data, expect, grad in [(2.0, 4.0, 2.0), (-2.0, 6.0, -3.0), (5.0, 10.0, 2.0), (-1.0, 3.0, -3.0)]:
        x = Value(data)
        y = fast(x)
        y.backward()
        assert (y.data, x.grad) == (expect, grad)
    assert fast._count == 2  # one trace per side of the branch, then both reused
    assert "raise Guard" in fast.source


def test_max_of_values_is_guarded():
    fast = compile(lambda xs: max(xs) * 2.0)
    assert fast([Value(1.0), Value(3.0)]).data == 6.0
    assert fast([Value(4.0), Value(3.0)]).data == 8.0


def test_too_many_traces_raise_a_clear_error():
    fast = compile(lambda x, n: x * int(n), cache_size=2)  # int(n) pins n's value
    assert [fast(Value(1.0), 1).data, fast(Value(1.0), 2).data, fast(Value(1.0), 1).data] == [1, 2, 1]
    with pytest.raises(ValueError, match=r"compile\(<lambda>\): traced 2 times.*cache_size"):
        fast(Value(1.0), 3)


def test_relu_needs_no_guard():
    fast = compile(lambda x: (x * 2.0).relu())
    assert [fast(Value(d)).data for d in (1.0, -1.0, 3.0)] == [2.0, 0.0, 6.0]
    assert fast._count == 1 and "Guard(" not in fast.source


def test_number_arguments_used_as_numbers_are_guarded():
    fast = compile(lambda x, y: x * 2 if y == 1 else x * 5)
    x = Value(1.0)
    assert [fast(x, 1).data, fast(x, -1).data, fast(x, 1).data] == [2.0, 5.0, 2.0]
    assert fast._count == 2
    rep = compile(lambda x, n: value_sum([x] * int(n)))
    assert [rep(x, 2).data, rep(x, 3).data] == [2.0, 3.0]


def test_an_arithmetic_error_gives_the_eager_error():
    fast = compile(lambda x: x.log())
    fast(Value(2.0))
    with pytest.raises(ValueError, match=r"log\(-1.0\): log is defined only for inputs > 0"):
        fast(Value(-1.0))


# --- the source --------------------------------------------------------------------


def test_source_is_readable_and_deterministic():
    def make():
        n = Neuron(2, activation="tanh", seed=0)
        fast = compile(lambda m, x: m(x))
        fast(n, [0.5, -1.0])
        return fast.source

    src = make()
    assert src == make()
    assert "0x" not in src  # no memory addresses
    assert "def forward(P, N):" in src and "def backward(G, P, N, S):" in src
    assert "t0 = tanh(p2 + n0 * p0 + n1 * p1)" in src
    assert "gz = g_t0 * (1 - t0 * t0)" in src


def test_source_before_the_first_call_says_so():
    with pytest.raises(ValueError, match="nothing traced yet"):
        compile(lambda x: x).source


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("fn, match", [
    (lambda x: x.data, r"must return a Value.*got float"),
    (lambda x: [x, 1.0], r"must return a Value, or a list or tuple of Values"),
    (lambda x: None, r"got NoneType"),
])
def test_fn_must_return_values(fn, match):
    with pytest.raises(TypeError, match=match):
        compile(fn)(Value(1.0))


def test_backward_inside_fn_is_an_error():
    def fn(x):
        y = x * 2.0
        y.backward()
        return y

    with pytest.raises(TypeError, match=r"compile\(fn\): fn calls backward\(\)"):
        compile(fn)(Value(1.0))
    assert Value.backward.__name__ == "backward"  # the hooks are gone again
    (Value(1.0) * 2).backward()


def test_changing_data_while_tracing_is_an_error():
    def step(x):
        x.data -= 0.1
        return x * 2.0

    x = Value(1.0)
    with pytest.raises(ValueError, match=r"compile\(step\): fn changes \.data of a Value"):
        compile(step)(x)
    x.data = 5.0  # outside a trace, as always


def test_no_grad_inside_fn_is_an_error():
    def fn(x):
        with no_grad():
            y = x * 2.0
        return y * x

    with pytest.raises(TypeError, match=r"no_grad\(\)"):
        compile(fn)(Value(1.0))


def test_ops_without_codegen_are_an_error():
    def custom(x):
        out = Value(x.data ** 2, (x,), "square")
        out._backward = lambda: None
        return out

    with pytest.raises(TypeError, match=r"cannot compile the op 'square'"):
        compile(custom)(Value(1.0))


def test_second_derivatives_say_to_use_eager_code():
    from micrograd_like import grad

    x = Value(1.5)
    y = compile(lambda x: x * x * x)(x)
    with pytest.raises(TypeError, match="create_graph=True"):
        grad(y, [x], create_graph=True)
    assert close(grad(y, [x])[0], 3 * 1.5 ** 2)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(batch="X"), TypeError, "batch must be an argument position"),
    (dict(batch=[-1]), TypeError, "batch must be"),
    (dict(reduce="max"), ValueError, "reduce='max'"),
    (dict(cache_size=0), ValueError, "cache_size"),
])
def test_bad_arguments_to_compile(kwargs, error, match):
    with pytest.raises(error, match=match):
        compile(lambda x: x, **kwargs)


def test_not_a_function():
    with pytest.raises(TypeError, match="expected a function"):
        compile(3)


def test_decorator_forms():
    @compile
    def f(x):
        return x * 2.0

    @compile(cache_size=3)
    def g(x):
        return x + 1.0

    assert (f(Value(2.0)).data, g(Value(2.0)).data) == (4.0, 3.0)
    assert f.__name__ == "f" and "compile(f" in repr(f)


@pytest.mark.parametrize("make", [
    lambda: MLP(2, [3, 4, 1], seed=0), lambda: MLP(3, [2], seed=1),
    lambda: Neuron(3, seed=0), lambda: MLP(2, [3, 1], seed=0).layers[0],
])
def test_the_parameter_shortcut_lists_what_parameters_lists(make):
    from micrograd_like.compiler.trace import parameters

    m = make()
    assert parameters(m) == m.parameters()
    if isinstance(m, MLP):  # a weight shared by two neurons: listed once, as parameters() does
        m.layers[0].neurons[1].w[0] = m.layers[0].neurons[0].w[0]
        assert parameters(m) == m.parameters()


def test_wide_nodes_are_written_in_lines_python_can_compile():
    # A chain of 5000 additions in one expression makes Python's compiler recurse too deep.
    xs = [Value(0.001 * i) for i in range(5000)]
    fast = compile(lambda xs: l2_penalty(xs) + value_sum(xs) + linear(xs, xs, None, "tanh"))
    y = fast(xs)
    y.backward()
    grads = [x.grad for x in xs]
    for x in xs:
        x.grad = 0.0
    e = l2_penalty(xs) + value_sum(xs) + linear(xs, xs, None, "tanh")
    e.backward()
    assert close(y.data, e.data) and all(map(close, grads, [x.grad for x in xs]))


def test_another_thread_is_not_traced_and_the_hooks_go_away():
    import threading

    started, done = threading.Event(), threading.Event()
    other = {}

    def slow(x):
        started.set()
        done.wait(5)  # meanwhile the other thread changes .data and compares
        return x * 2.0

    def elsewhere():
        started.wait(5)
        v = Value(1.0)
        v.data = 3.0  # not an error: this thread is not tracing
        other["result"] = (v > 0, (v * v).data)
        done.set()

    t = threading.Thread(target=elsewhere)
    t.start()
    fast = compile(slow)
    assert fast(Value(1.5)).data == 3.0
    t.join(5)
    assert other["result"] == (True, 9.0)
    assert "Guard(" not in fast.source  # the other thread's comparison is not a guard here
    assert type(Value.__dict__["data"]).__name__ == "member_descriptor"


@pytest.mark.parametrize("fn, data, match", [
    (lambda x: x ** 0.5, -4.0, r"pow: -4.0 \*\* 0.5 is not a real number"),
    (lambda x: x ** Value(0.5), -4.0, r"pow: -4.0 \*\* 0.5 is not a real number"),
    (lambda x: 1.0 / x, 0.0, r"Value division: 1.0 / 0.0 is undefined"),
    # PyPy computes 1e200 ** 2 as a product and gets inf where CPython raises;
    # the engine raises on both, and so must the compiled code
    (lambda x: x ** 2, 1e200, r"pow: 1e\+200 \*\* 2.0 overflows a float"),
    (lambda x: 1.0 / (x ** 3 + 1.0), 1e200, r"pow: 1e\+200 \*\* 3.0 overflows a float"),
])
def test_errors_in_compiled_code_are_the_eager_errors(fn, data, match):
    fast = compile(fn)
    fast(Value(4.0))
    with pytest.raises((ValueError, ZeroDivisionError, OverflowError), match=match):
        fast(Value(data))

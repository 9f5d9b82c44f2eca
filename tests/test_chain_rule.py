"""explain(), backward_steps() and forward_steps() against outside oracles.

The oracles: the lecture's neuron derived by hand, ``backward()`` (explain
must end at exactly its number), PyTorch in float64, central finite
differences, and path counts worked out from the shape of the graph.
"""

import math

import pytest

from micrograd_like import Value, dot, grad, linear, no_grad
from micrograd_like import sum as vsum
from micrograd_like.engine import topological_order
from micrograd_like.chain_rule import PATH_COUNT_CAP, backward_steps, explain, forward_steps
from micrograd_like.nn import MLP

approx = pytest.approx


def backward_grads(output, wrts):
    """What output.backward() puts in each .grad, from all-zero gradients."""
    for v in topological_order(output):
        v.grad = 0.0
    output.backward()
    grads = [w.grad for w in wrts]
    for v in topological_order(output):
        v.grad = 0.0
    return grads


def central_difference(f, xs, i, eps=1e-6):
    hi, lo = list(xs), list(xs)
    hi[i] += eps
    lo[i] -= eps
    with no_grad():
        return (f(*map(Value, hi)).data - f(*map(Value, lo)).data) / (2 * eps)


def lecture_neuron():
    """Karpathy's neuron: o = tanh(x1*w1 + x2*w2 + b), with the lecture's labels."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    s = x1w1 + x2w2; s.label = "x1*w1 + x2*w2"
    n = s + b; n.label = "n"
    o = n.tanh(); o.label = "o"
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, n=n)


# --- the lecture's neuron, by hand ---------------------------------------------

# do/dn = 1 - tanh(n)^2 = 0.5; then d/dx1 = 0.5 * w1, d/dw1 = 0.5 * x1, ...
LECTURE = [("x1", -1.5), ("w1", 1.0), ("x2", 0.5), ("w2", 0.0), ("b", 0.5), ("n", 0.5)]


@pytest.mark.parametrize("name, by_hand", LECTURE)
def test_lecture_neuron_by_hand(name, by_hand):
    o, v = lecture_neuron()
    e = explain(o, v[name])
    assert e.grad == approx(by_hand, abs=1e-12)
    assert e.grad == backward_grads(o, [v[name]])[0]


def test_lecture_neuron_text():
    o, v = lecture_neuron()
    text = str(explain(o, v["x1"]))
    assert text.startswith("do/dx1 = -1.5")
    assert "path 1: o → n → x1*w1 + x2*w2 → x1*w1 → x1" in text
    assert "do/dn = 1 − o² = 1 − 0.7071² = 0.5" in text
    assert "d(x1*w1)/dx1 = w1 = -3" in text
    assert "product: 0.5 × 1 × 1 × (-3) = -1.5" in text
    assert text.endswith("do/dx1 = -1.5: the number o.backward() puts in x1.grad.")


def test_lecture_neuron_data():
    o, v = lecture_neuron()
    [path] = explain(o, v["x1"]).paths
    assert [link.node.label for link in path.links] == ["o", "n", "x1*w1 + x2*w2", "x1*w1"]
    assert [link.local for link in path.links] == approx([0.5, 1.0, 1.0, -3.0])
    assert path.links[0].rule == "1 − o²" and path.links[0].numbers == "1 − 0.7071²"
    assert path.product == approx(-1.5)


def test_fused_neuron_is_one_step():
    _, v = lecture_neuron()
    o = linear([v["x1"], v["x2"]], [v["w1"], v["w2"]], v["b"], "tanh")
    o.label = "o"
    e = explain(o, v["x1"])
    [path] = e.paths
    assert len(path.links) == 1
    assert e.grad == approx(-1.5) and e.grad == backward_grads(o, [v["x1"]])[0]
    assert "do/dx1 = (1 − o²) × w1 = (1 − 0.7071²) × (-3) = -1.5" in str(e)
    assert explain(o, v["w1"]).grad == approx(1.0)


# --- every op: the same number as backward(), torch and finite differences --------

CASES = [
    # id, ours(*Values), torch(T, *tensors), point
    ("add", lambda a, b: a + b, lambda T, a, b: a + b, (1.5, -2.0)),
    ("sub", lambda a, b: a - b, lambda T, a, b: a - b, (1.5, -2.0)),
    ("mul", lambda a, b: a * b, lambda T, a, b: a * b, (1.5, -2.0)),
    ("div", lambda a, b: a / b, lambda T, a, b: a / b, (1.5, -2.0)),
    ("neg", lambda a: -a, lambda T, a: -a, (0.7,)),
    ("square", lambda a: a**2, lambda T, a: a**2, (-1.3,)),
    ("cube", lambda a: a**3, lambda T, a: a**3, (-1.3,)),
    ("pow", lambda a, b: a**b, lambda T, a, b: a**b, (1.7, 0.6)),
    ("exp", lambda a: a.exp(), lambda T, a: a.exp(), (0.3,)),
    ("log", lambda a: a.log(), lambda T, a: a.log(), (2.5,)),
    ("sin", lambda a: a.sin(), lambda T, a: a.sin(), (0.9,)),
    ("cos", lambda a: a.cos(), lambda T, a: a.cos(), (0.9,)),
    ("tanh", lambda a: a.tanh(), lambda T, a: a.tanh(), (-0.4,)),
    ("sigmoid", lambda a: a.sigmoid(), lambda T, a: a.sigmoid(), (0.8,)),
    ("relu", lambda a: a.relu(), lambda T, a: a.relu(), (0.8,)),
    ("relu_off", lambda a: a.relu() * a, lambda T, a: a.relu() * a, (-0.8,)),
    ("leaky_relu", lambda a: a.leaky_relu(0.1), lambda T, a: T.nn.functional.leaky_relu(a, 0.1), (-0.8,)),
    ("abs", lambda a: abs(a), lambda T, a: a.abs(), (-0.8,)),
    ("sum", lambda a, b: vsum([a, b, a * b]), lambda T, a, b: a + b + a * b, (0.5, 2.0)),
    ("dot", lambda a, b: dot([a, b], [b, 3.0]), lambda T, a, b: a * b + b * 3.0, (0.5, 2.0)),
    ("linear", lambda a, b: linear([a, b], [b, 2.0], a), lambda T, a, b: a * b + b * 2 + a, (0.5, 2.0)),
    ("linear_relu", lambda a, b: linear([a, b], [b, 2.0], a, "relu"),
     lambda T, a, b: (a * b + b * 2 + a).relu(), (0.5, 2.0)),
    ("linear_tanh", lambda a, b: linear([a, b], [b, 2.0], a, "tanh"),
     lambda T, a, b: (a * b + b * 2 + a).tanh(), (0.1, 0.2)),
    ("linear_sigmoid", lambda a, b: linear([a, b], [b, 2.0], a, "sigmoid"),
     lambda T, a, b: (a * b + b * 2 + a).sigmoid(), (0.5, 2.0)),
    # fan-out: a value used more than once
    ("(x + x) * x", lambda x: (x + x) * x, lambda T, x: (x + x) * x, (2.0,)),
    ("sin(sin(x) + sin(x))", lambda x: (x.sin() + x.sin()).sin(),
     lambda T, x: (x.sin() + x.sin()).sin(), (2.0,)),
    ("several paths", lambda x, y: (x * y + x.exp()) * (y - x) + (x * y).tanh(),
     lambda T, x, y: (x * y + x.exp()) * (y - x) + (x * y).tanh(), (0.3, -1.2)),
]
IDS = [c[0] for c in CASES]


def build(ours, point):
    xs = [Value(p, label=f"x{i + 1}") for i, p in enumerate(point)]
    return ours(*xs), xs


@pytest.mark.parametrize("name, ours, theirs, point", CASES, ids=IDS)
def test_grad_is_exactly_backwards(name, ours, theirs, point):
    out, xs = build(ours, point)
    assert [explain(out, x).grad for x in xs] == backward_grads(out, xs)


@pytest.mark.parametrize("name, ours, theirs, point", CASES, ids=IDS)
def test_grad_matches_torch(torch, name, ours, theirs, point):
    out, xs = build(ours, point)
    ts = [torch.tensor(p, requires_grad=True) for p in point]
    theirs(torch, *ts).backward()
    for x, t in zip(xs, ts):
        assert explain(out, x).grad == approx(t.grad.item(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name, ours, theirs, point", CASES, ids=IDS)
def test_grad_matches_finite_differences(name, ours, theirs, point):
    out, xs = build(ours, point)
    for i, x in enumerate(xs):
        assert explain(out, x).grad == approx(central_difference(ours, point, i), rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name, ours, theirs, point", CASES, ids=IDS)
def test_paths_add_up_to_the_grad(name, ours, theirs, point):
    out, xs = build(ours, point)
    for x in xs:
        e = explain(out, x, max_paths=1000)
        assert len(e.paths) == e.path_count
        for path in e.paths:
            assert path.product == approx(math.prod(link.local for link in path.links), rel=1e-15)
        assert sum(p.product for p in e.paths) == approx(e.grad, rel=1e-12, abs=1e-15)


def evaluate(numbers):
    """The 'numbers plugged in' of a rule, read back as Python."""
    py = numbers.replace("×", "*").replace("−", "-").replace("²", "**2").replace("^", "**")
    names = {"cos": math.cos, "sin": math.sin, "exp": math.exp, "ln": math.log,
             "sign": lambda x: (x > 0) - (x < 0)}
    return eval(py, {"__builtins__": {}}, names)


@pytest.mark.parametrize("name, ours, theirs, point", CASES, ids=IDS)
def test_the_numbers_shown_give_the_local_derivative(name, ours, theirs, point):
    # The text rounds each number to 4 digits, so the result agrees to ~1e-3.
    out, xs = build(ours, point)
    for step in backward_steps(out):
        for t in step.terms:
            assert evaluate(t.numbers) == approx(t.local, rel=2e-3, abs=2e-3), (t.rule, t.numbers)


# --- fan-out, by hand ----------------------------------------------------------------


def test_x_plus_x_times_x():
    x = Value(2.0, label="x"); a = x + x; a.label = "a"; y = a * x; y.label = "y"
    e = explain(y, x)
    assert e.grad == 8.0  # d(2x²)/dx = 4x
    assert e.path_count == 3
    assert [p.product for p in e.paths] == [2.0, 2.0, 4.0]
    [s] = e.sums
    assert s.node is x and [u.contribution for u in s.uses] == [4.0, 2.0, 2.0] and s.total == 8.0
    text = str(e)
    assert "sum over the 3 paths: 2 + 2 + 4 = 8" in text
    assert "x is used 3 times: x.grad = 4 (from y) + 2 (from a) + 2 (from a) = 8" in text


def test_sin_sin_plus_sin():
    x = Value(2.0, label="x")
    y = (x.sin() + x.sin()).sin()
    e = explain(y, x)
    assert e.path_count == 2
    assert e.grad == approx(math.cos(2 * math.sin(2.0)) * 2 * math.cos(2.0), rel=1e-14)
    assert "x is used twice: x.grad = " in str(e)


# --- an MLP: counts from its shape, grads from backward() ----------------------------


def mlp_loss():
    model = MLP(2, [4, 4, 1], seed=0)
    xs = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    out = model(xs)
    loss = (out - 1.5) ** 2
    loss.label = "loss"
    return loss, model, xs


def test_mlp_every_parameter_is_exactly_backwards():
    loss, model, xs = mlp_loss()
    ps = model.parameters()
    assert [explain(loss, p).grad for p in ps] == backward_grads(loss, ps)


def test_mlp_path_counts_follow_the_layers():
    # A first-layer weight reaches the loss through each of the 4 neurons of
    # layer 2; an input through each of 4 x 4 pairs of neurons.
    loss, model, xs = mlp_loss()
    first_layer_weight = model.layers[0].neurons[0].w[0]
    assert explain(loss, first_layer_weight).path_count == 4
    e = explain(loss, xs[0], max_paths=3)
    assert e.path_count == 16 and len(e.paths) == 3
    assert "… and 13 more paths, not shown (max_paths=3)" in str(e)
    assert sum(p.product for p in explain(loss, xs[0], max_paths=16).paths) == approx(e.grad, rel=1e-12)


# --- big graphs: summarised, no recursion --------------------------------------------


def test_deep_chain_is_summarised():
    x = Value(0.5, label="x")
    y = x
    for _ in range(50_000):  # 100000 nodes
        y = (y * 1.0).tanh()
    e = explain(y, x, max_steps=12)
    assert e.grad == backward_grads(y, [x])[0]
    assert len(e.paths) == 1 and len(e.paths[0].links) == 100_000
    text = str(e)
    assert "… 99,988 more steps …" in text
    assert "product of all 100,000 local derivatives" in text
    assert len(text.splitlines()) < 30


def doubling(layers):
    """y = (y + y) * 0.5, repeated: 2**layers paths, and dy/dx = 1."""
    x = Value(1.0, label="x")
    y = x
    for _ in range(layers):
        y = (y + y) * 0.5
    return y, x


def test_paths_are_counted_not_listed():
    y, x = doubling(30)
    e = explain(y, x)
    assert e.path_count == 2**30 and len(e.paths) == 10
    assert e.grad == 1.0
    assert "… and 1,073,741,814 more paths, not shown (max_paths=10)" in str(e)


def test_path_count_stops_at_the_cap():
    y, x = doubling(200)
    e = explain(y, x, max_paths=2)
    assert e.path_count == PATH_COUNT_CAP and len(e.paths) == 2
    assert "more than 10^18 paths" in str(e)


def test_many_values_used_more_than_once_are_limited_and_wrt_is_kept():
    y, x = doubling(20)
    e = explain(y, x, max_paths=3)
    assert e.sum_count == 20 and len(e.sums) == 3 and e.sums[-1].node is x  # x and 19 y
    assert "… and 17 more values used more than once, not shown (max_paths=3)." in str(e)


# --- backward_steps and forward_steps --------------------------------------------------


def replay(steps):
    grads = {}
    for step in steps:
        for t in step.terms:
            assert grads.get(t.input, 0.0) == t.grad_before
            grads[t.input] = t.grad_after
    return grads


@pytest.mark.parametrize("name, ours, theirs, point", CASES, ids=IDS)
def test_backward_steps_replay_backward_exactly(name, ours, theirs, point):
    out, xs = build(ours, point)
    steps = backward_steps(out)
    assert [s.node for s in steps] == list(reversed(topological_order(out, leaves=False)))
    grads = replay(steps)
    nodes = topological_order(out)[:-1]
    assert [grads[v] for v in nodes] == backward_grads(out, nodes)


def test_backward_steps_of_the_lecture_neuron():
    o, v = lecture_neuron()
    steps = backward_steps(o)
    assert [s.upstream for s in steps] == approx([1.0, 0.5, 0.5, 0.5, 0.5])
    assert str(steps[0]) == "o (tanh): upstream o.grad = 1\n  n.grad += 1 × 0.5 = 0.5  (now 0.5)"
    assert "  x1.grad += 0.5 × (-3) = -1.5  (now -1.5)" in str(steps[-1])
    t = steps[0].terms[0]
    assert (t.input, t.index, t.rule, t.numbers) == (v["n"], 0, "1 − o²", "1 − 0.7071²")


def test_backward_steps_mark_a_zero_upstream():
    # relu is off at -4.6, so d = exp(x) - 5 and exp(x) get an upstream of 0.
    x = Value(0.0, label="x")
    e = x.exp(); e.label = "e"
    d = e - 5; d.label = "d"
    y = d.relu() + x
    steps = backward_steps(y)
    assert [s.node for s in steps if s.skipped] == [d, e]
    assert all(t.contribution == 0.0 and t.grad_after == t.grad_before
               for s in steps if s.skipped for t in s.terms)
    assert str(steps[2]) == "d (-): upstream d.grad = 0 (0: nothing to pass on)"
    assert replay(steps)[x] == backward_grads(y, [x])[0] == 1.0


def repeated_input_neuron():
    # x is the neuron's 2nd input and its 1st weight: the order of its
    # additions decides the last bit (backward() and grad() differ here).
    x, y, z, b = Value(0.52), Value(-1.0), Value(-0.11), Value(0.3)
    return (linear([y, x], [x, z], b, "tanh") + 0.44) * x, [x, y, z, b]


def test_the_repeated_input_neuron_tells_the_orders_apart():
    # (so that the two tests below can fail)
    out, leaves = repeated_input_neuron()
    assert backward_grads(out, leaves[:1]) != grad(out, leaves[:1])


def test_a_neuron_with_a_repeated_input_adds_in_backwards_order():
    out, leaves = repeated_input_neuron()
    grads = replay(backward_steps(out))
    assert [grads[v] for v in leaves] == backward_grads(out, leaves)


def test_the_same_while_some_node_has_its_own_backward():
    # Then backward() walks without its fast paths: backward_steps follows.
    x = Value(0.5)
    other = Value(1.0, (x,), "mine")
    other._backward = lambda: None
    out, leaves = repeated_input_neuron()
    grads = replay(backward_steps(out))
    assert [grads[v] for v in leaves] == backward_grads(out, leaves)
    del other


def test_forward_steps():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b; e.label = "e"
    f = (e + a).tanh(); f.label = "f"
    steps = forward_steps(f)
    assert [s.node for s in steps] == topological_order(f, leaves=False)
    assert [str(s) for s in steps] == [
        "e = a * b = 2 × (-3) = -6",
        "n3 = e + a = (-6) + 2 = -4",
        "f = tanh(n3) = tanh(-4) = -0.9993",
    ]
    assert [s.value for s in steps] == [-6.0, -4.0, math.tanh(-4.0)]


def test_names_are_the_pictures_node_ids():
    # draw_dot names the node at place i of topological_order(root) "n<i>".
    x = Value(2.0)
    y = (x * 3).exp()
    order = topological_order(y)
    assert [s.name for s in forward_steps(y)] == [f"n{order.index(s.node)}" for s in forward_steps(y)]
    assert str(explain(y, x)).startswith("dn3/dn0 = ")


# --- leaves everything as it was ---------------------------------------------------------


def test_no_grad_is_touched():
    loss, model, xs = mlp_loss()
    nodes = topological_order(loss)
    for k, v in enumerate(nodes):
        v.grad = 0.25 * k - 3.0
    before = [v.grad for v in nodes]
    explain(loss, xs[0])
    backward_steps(loss)
    forward_steps(loss)
    assert [v.grad for v in nodes] == before


def test_output_is_deterministic():
    loss1, _, xs1 = mlp_loss()
    loss2, _, xs2 = mlp_loss()
    assert str(explain(loss1, xs1[1])) == str(explain(loss2, xs2[1]))
    assert [str(s) for s in backward_steps(loss1)] == [str(s) for s in backward_steps(loss2)]


def test_wrt_is_the_output_or_inside_the_graph():
    x = Value(3.0, label="x"); h = x * x; h.label = "h"; y = h.sin(); y.label = "y"
    e = explain(y, y)
    assert e.grad == 1.0 and e.path_count == 1 and e.paths[0].links == ()
    assert "y is wrt itself, and dy/dy = 1." in str(e)
    assert explain(y, h).grad == math.cos(9.0) == backward_grads(y, [h])[0]


# --- Jupyter -------------------------------------------------------------------------------


def test_html_is_escaped():
    x = Value(2.0, label="<b>")
    y = x * x
    y.label = "a & b"
    page = explain(y, x)._repr_html_()
    assert "&lt;b&gt;" in page and "a &amp; b" in page
    assert "<b>" not in page and "a & b" not in page
    assert page.startswith('<div class="micrograd-like-explain"')


def test_repr_is_the_text():
    x = Value(2.0, label="x")
    e = explain(x * x, x)
    assert repr(e) == str(e)


# --- a node with the user's own _backward (micrograd style) ----------------------------------


def test_custom_backward_is_run_in_a_sandbox():
    # An op unknown to RULES, with its own closure: explain runs the closure
    # to read the local derivative, and puts every .grad back as it was.
    x = Value(0.5, label="x")
    t = math.tanh(0.5)
    out = Value(t, (x,), "mytanh"); out.label = "out"

    def _backward():
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward
    y = out * 2.0
    x.grad, out.grad = 7.0, -1.0
    e = explain(y, x)
    assert (x.grad, out.grad) == (7.0, -1.0)
    assert e.grad == 2.0 * (1 - t**2)
    assert "dout/dx = your own _backward = 0.7864" in str(e)
    [step] = [s for s in backward_steps(y) if s.node is out]
    assert step.terms[0].contribution == (1 - t**2) * 2.0 and step.terms[0].rule == "your own _backward"
    assert (x.grad, out.grad) == (7.0, -1.0)


def test_a_failing_custom_backward_leaves_every_grad_as_it_was():
    x = Value(0.5, label="x")
    out = Value(1.0, (x,), "mine")

    def _backward():
        x.grad += 1.0
        raise ArithmeticError("my own bug")

    out._backward = _backward
    x.grad, out.grad = 7.0, -1.0
    with pytest.raises(ArithmeticError, match="my own bug"):
        explain(out * 2.0, x)
    assert (x.grad, out.grad) == (7.0, -1.0)


def micrograd_tanh(x):
    """The lecture's way to add an op: a node with its own _backward closure."""
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def test_custom_backward_of_the_engine():
    x = Value(0.5, label="x")
    o = micrograd_tanh(x); o.label = "o"
    y = o * 3.0
    x.grad = 5.0
    e = explain(y, x)
    assert x.grad == 5.0 and o.grad == 0.0
    assert e.grad == backward_grads(y, [x])[0] == approx(3 * (1 - math.tanh(0.5) ** 2))
    assert "do/dx = your own _backward = 0.7864" in str(e)


def test_custom_backward_with_zero_upstream():
    # backward() runs a closure whatever its upstream (as micrograd does).
    x = Value(-0.5, label="x")
    y = micrograd_tanh(x).relu() * x + micrograd_tanh(x * x)
    steps = backward_steps(y)
    assert any(s.skipped and s.op == "tanh" for s in steps)
    grads = replay(steps)
    nodes = topological_order(y)[:-1]
    assert [grads[v] for v in nodes] == backward_grads(y, nodes)


# --- bad input --------------------------------------------------------------------------------


def test_output_must_be_a_value():
    with pytest.raises(TypeError, match=r"explain: output must be a Value, got float 3.0; pass"):
        explain(3.0, Value(1.0))


def test_wrt_must_be_one_value():
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"explain: wrt must be a Value, got list \[Value.*\]; pass one Value at a time"):
        explain(x * 2, [x])


def test_wrt_must_be_in_the_graph():
    x, z = Value(1.0), Value(5.0, label="z")
    with pytest.raises(ValueError, match=r"explain: wrt Value\(data=5.0.*label='z'\) is not in the graph"):
        explain(x * 2, z)


@pytest.mark.parametrize("limit", [0, -1, 2.5, "3", True])
def test_limits_must_be_positive_ints(limit):
    x = Value(1.0)
    with pytest.raises(ValueError, match=r"explain: max_paths must be a positive int"):
        explain(x * 2, x, max_paths=limit)
    with pytest.raises(ValueError, match=r"explain: max_steps must be a positive int"):
        explain(x * 2, x, max_steps=limit)


@pytest.mark.parametrize("fn", [backward_steps, forward_steps])
def test_steps_need_a_value(fn):
    with pytest.raises(TypeError, match=fn.__name__ + r": output must be a Value, got list"):
        fn([Value(1.0)])


def test_an_op_without_a_rule_is_named():
    x = Value(1.0)
    y = Value(2.0, (x,), "mystery") * 2
    for fn in (backward_steps, lambda y: explain(y, x)):
        with pytest.raises(ValueError, match=r"op 'mystery', which has no rule in micrograd_like.engine.RULES"):
            fn(y)


@pytest.mark.parametrize("x, shown", [
    # tanh(-8) = -0.99999977493: 1 - 0.9999997749**2 = 4.498e-07 is the 4.501e-07 the rule
    # gives, to 0.1%; the 4-digit 1 - (-1)**2 would show 0
    (-8.0, "1 − n1² = 1 − (-0.9999997749)² = 4.501e-07"),
    (0.3, "1 − n1² = 1 − 0.2913² = 0.9151"),  # normal numbers keep their 4 digits
])
def test_plugged_in_numbers_give_the_result_shown(x, shown):
    v = Value(x, label="x")
    assert shown in str(explain(v.tanh(), v))

"""The lecture's own code runs unchanged: manual _backward(), closures, attributes, its pictures.

karpathy's "The spelled-out intro to neural networks and backpropagation"
builds a neuron by hand, calls ``_backward()`` node by node, adds ops by
assigning closures and draws micrograd's graph. Oracles: the lecture's own
numbers (derived by hand below), karpathy's micrograd 0.1.0, PyTorch in
float64 and central finite differences.
"""

import math
import random

import pytest

from micrograd_like import Value, grad
from micrograd_like.draw import draw_dot
from micrograd_like.engine import RULES, custom_backward, topological_order
from micrograd_like.nn import MLP, Layer, Neuron

B = 6.8813735870195432  # the lecture's bias: n = 0.8814, o = tanh(n) = 0.7071


def lecture_neuron():
    """x1*w1 + x2*w2 + b -> tanh, labelled as in the video."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(B, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b; n.label = "n"
    o = n.tanh(); o.label = "o"
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, x1w1=x1w1, x2w2=x2w2,
                x1w1x2w2=x1w1x2w2, n=n, o=o)


# By hand: do/dn = 1 - tanh(n)**2 = 1 - 0.5 = 0.5; + passes it on; for x1*w1,
# d/dx1 = w1 * 0.5 = -1.5 and d/dw1 = x1 * 0.5 = 1.0; x2 = 0 so dw2 = 0.
LECTURE_GRADS = dict(o=1.0, n=0.5, b=0.5, x1w1x2w2=0.5, x1w1=0.5, x2w2=0.5,
                     x1=-1.5, w1=1.0, x2=0.5, w2=0.0)


def test_the_manual_backward_walkthrough():
    v = lecture_neuron()
    v["o"].grad = 1.0
    for name in ("o", "n", "b", "x1w1x2w2", "x2w2", "x1w1"):  # the video's order
        v[name]._backward()
    for name, expected in LECTURE_GRADS.items():
        assert v[name].grad == pytest.approx(expected, abs=1e-12), name


def test_manual_walkthrough_equals_backward():
    by_hand, auto = lecture_neuron(), lecture_neuron()
    by_hand["o"].grad = 1.0
    for node in reversed(topological_order(by_hand["o"])):
        node._backward()
    auto["o"].backward()
    assert {k: v.grad for k, v in by_hand.items()} == {k: v.grad for k, v in auto.items()}


def test_backward_of_a_leaf_does_nothing():
    x = Value(3.0)
    x.grad = 2.0
    x._backward()
    assert x.grad == 2.0


@pytest.mark.parametrize("op", sorted(set(RULES) - {"sum", "dot", "linear", "pow", "**"}))
def test_every_nodes_backward_applies_its_rule_once(op, torch):
    # One node, upstream grad 0.75: _backward() adds 0.75 * local derivative
    # to each input, exactly once; torch float64 computes the same.
    a_val, b_val = 0.7, 1.3
    a, b = Value(a_val), Value(b_val)
    unary = {"neg": -a, "exp": a.exp(), "log": a.log(), "sin": a.sin(), "cos": a.cos(),
             "tanh": a.tanh(), "sigmoid": a.sigmoid(), "relu": a.relu(),
             "leaky_relu": (-a).leaky_relu(0.1), "abs": abs(a)}
    binary = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}
    out = unary.get(op) or binary[op]
    out.grad = 0.75
    out._backward()
    ta = torch.tensor(a_val, requires_grad=True)
    tb = torch.tensor(b_val, requires_grad=True)
    f = {"neg": lambda: -ta, "exp": ta.exp, "log": ta.log, "sin": ta.sin, "cos": ta.cos,
         "tanh": ta.tanh, "sigmoid": ta.sigmoid, "relu": ta.relu,
         "leaky_relu": lambda: torch.nn.functional.leaky_relu(-ta, 0.1), "abs": ta.abs,
         "+": lambda: ta + tb, "-": lambda: ta - tb, "*": lambda: ta * tb, "/": lambda: ta / tb}[op]
    (f() * 0.75).backward()
    if op == "leaky_relu":  # the node's input is -a, a node of its own
        assert out._prev[0].grad == pytest.approx(0.75 * 0.1, rel=1e-15)
        return
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-15)
    if op in binary:
        assert b.grad == pytest.approx(tb.grad.item(), rel=1e-15)


def test_backward_once_on_fused_nodes_matches_backward():
    from micrograd_like import linear
    x, w, b = [Value(0.5), Value(-2.0)], [Value(1.5), Value(0.25)], Value(0.1)
    out = linear(x, w, b, "tanh")
    out.grad = 1.0
    out._backward()
    manual = [v.grad for v in (*x, *w, b)]
    for v in (*x, *w, b):
        v.grad = 0.0
    linear(x, w, b, "tanh").backward()
    assert manual == [v.grad for v in (*x, *w, b)]


# --- micrograd's way of adding an op -------------------------------------------


def my_tanh(self):
    """The lecture's tanh, written micrograd's way, verbatim."""
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def test_a_closure_added_micrograds_way_is_used_by_backward():
    x = Value(0.3)
    y = my_tanh(x * 2.0) * 3.0
    y.backward()
    # by hand: dy/dx = 3 * (1 - tanh(0.6)**2) * 2
    assert x.grad == pytest.approx(6 * (1 - math.tanh(0.6) ** 2), rel=1e-14)


def test_backward_runs_the_closure_not_the_table():
    # A deliberately different closure proves which one ran: RULES["tanh"]
    # would give 1 - tanh(x)**2, the closure says 42.
    x = Value(0.3)
    out = Value(math.tanh(0.3), (x,), "tanh")

    def _backward():
        x.grad += 42.0 * out.grad

    out._backward = _backward
    assert custom_backward(out) is _backward and out._backward is _backward
    (out * 2.0).backward()
    assert x.grad == 84.0


def test_a_closure_node_matches_finite_differences_inside_a_bigger_graph():
    def f(v):
        return (my_tanh(v) * v + my_tanh(v * v)).exp()

    x = Value(0.4)
    f(x).backward()
    h = 1e-6
    numeric = (f(Value(0.4 + h)).data - f(Value(0.4 - h)).data) / (2 * h)
    assert x.grad == pytest.approx(numeric, rel=1e-8)


def test_grad_through_a_closure_equals_backward_and_touches_no_grad():
    x = Value(0.4)
    y = my_tanh(x) * my_tanh(x)
    x.grad = 5.0
    [g] = grad(y, [x])
    assert x.grad == 5.0
    x.grad = 0.0
    y.backward()
    assert g == pytest.approx(x.grad, rel=1e-15)


def test_grad_create_graph_through_a_closure_is_a_clear_error():
    x = Value(0.4)
    with pytest.raises(ValueError, match="its own _backward closure, which cannot be differentiated"):
        grad(my_tanh(x), [x], create_graph=True)


def test_an_op_without_rule_or_closure_says_how_to_fix_it():
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"no derivative rule for op 'square'.*out._backward = fn"):
        Value(4.0, (x,), "square").backward()


def test_assigning_a_non_function_is_a_clear_error():
    with pytest.raises(TypeError, match="Value._backward: expected a function"):
        Value(1.0)._backward = 3.0


# --- attributes, zero_grad -------------------------------------------------------


def test_values_accept_any_attribute_as_in_micrograd():
    v = Value(1.0)
    v._vis_color = "red"
    v.m, v.v = 0.0, 0.0  # an optimizer keeping its moments on the parameter
    assert (v._vis_color, v.m, v.v) == ("red", 0.0, 0.0)
    assert (v * 2).data == 2.0  # still an ordinary Value


def test_a_hand_written_optimizer_with_state_on_the_parameters(torch):
    # Momentum SGD the way people write it for micrograd: p.velocity on p.
    w = Value(1.5)
    tw = torch.tensor(1.5, requires_grad=True)
    topt = torch.optim.SGD([tw], lr=0.1, momentum=0.9)
    for _ in range(5):
        w.grad = 0.0
        (w * w * w).backward()
        # torch's momentum buffer: the first grad, then 0.9 * buffer + grad
        w.velocity = 0.9 * w.velocity + w.grad if hasattr(w, "velocity") else w.grad
        w.data -= 0.1 * w.velocity
        topt.zero_grad()
        (tw * tw * tw).backward()
        topt.step()
        assert w.data == pytest.approx(tw.item(), rel=1e-14)


def test_value_zero_grad():
    x = Value(2.0)
    (x * x).backward()
    assert x.grad == 4.0
    x.zero_grad()
    assert x.grad == 0.0


# --- lecture-faithful graphs -----------------------------------------------------


def boxes(src):
    """The value boxes of a DOT text (record nodes), not the op ovals."""
    return [line for line in src.splitlines() if "label=\"{" in line]


def micrograd_count(root):
    """Values in a micrograd graph: a plain walk over its _prev sets."""
    seen, stack = set(), [root]
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            stack.extend(v._prev)
    return len(seen)


def test_an_unfused_2d_neuron_draws_as_micrograd_does(micrograd_nn):
    random.seed(7)
    theirs = micrograd_nn.Neuron(2)([2.0, 0.0])
    random.seed(7)
    ours_n = Neuron(2, fused=False)
    ours = ours_n([2.0, 0.0])
    assert ours.data == theirs.data  # the same weights, the same sum order
    assert len(boxes(draw_dot(ours).source)) == micrograd_count(theirs) == 10
    assert len(boxes(draw_dot(Neuron(2, seed=0)([2.0, 0.0])).source)) == 6  # fused default


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_unfused_networks_compute_exactly_what_fused_ones_do(activation):
    x = [0.3, -0.7, 1.1]
    fused = MLP(3, [4, 4, 2], activation=activation, seed=3)
    plain = MLP(3, [4, 4, 2], activation=activation, seed=3, fused=False)
    out_f, out_p = fused(x), plain(x)
    assert [o.data for o in out_f] == [o.data for o in out_p]
    (out_f[0] * out_f[1]).backward()
    (out_p[0] * out_p[1]).backward()
    assert [p.grad for p in fused.parameters()] == pytest.approx(
        [p.grad for p in plain.parameters()], rel=1e-14, abs=1e-15)
    ops = {v._op for v in topological_order(out_p[0])}
    assert "linear" not in ops and {"*", "+"} <= ops


def test_fused_must_be_a_bool():
    for make in (lambda: Neuron(2, fused="no"), lambda: Layer(2, 3, fused=1),
                 lambda: MLP(2, [3, 1], fused=None)):
        with pytest.raises(TypeError, match="fused must be True"):
            make()


def test_a_drawing_before_backward_says_not_computed_yet():
    v = lecture_neuron()
    before = draw_dot(v["o"]).source
    assert "grad ?" in before and "not computed yet" in before and "grad 0" not in before
    v["o"].backward()
    after = draw_dot(v["o"]).source
    assert "not computed yet" not in after and "grad 0.5" in after and "grad -1.5" in after


def test_a_closure_elsewhere_leaves_other_graphs_on_the_fast_paths(monkeypatch):
    # A node with its own closure, kept alive; a wrong "*" rule in RULES. The
    # plain graph's backward() uses its fast path for "*" (not RULES), so it
    # stays right; the graph that holds the closure takes the plain walk,
    # which uses RULES, and shows the planted rule.
    import micrograd_like.engine as engine

    keep = my_tanh(Value(0.1))
    monkeypatch.setitem(engine.RULES, "*", lambda g, out, a, b: (0.0, 0.0))
    a, b = Value(2.0), Value(3.0)
    (a * b).backward()
    assert (a.grad, b.grad) == (3.0, 2.0)
    x = Value(0.5)
    (my_tanh(x) * x).backward()
    assert x.grad == pytest.approx(0.0 + 0.0 + 0.0 * 0.0)  # only the planted rule's zeros
    assert keep.data == pytest.approx(math.tanh(0.1))


def test_fused_nodes_add_left_to_right_as_the_unfused_graph_does():
    # 1e16 + 1 rounds back to 1e16, so adding left to right gives 0.0, as the
    # unfused graph and micrograd do; a compensated sum (Python 3.12's sum()
    # of floats) would give 1.0.
    from micrograd_like import dot, linear
    from micrograd_like import sum as value_sum

    xs = [Value(1e16), Value(1.0), Value(-1e16)]
    chain = xs[0] + xs[1] + xs[2]
    assert value_sum(xs).data == chain.data == 0.0
    ones = [Value(1.0)] * 3
    assert dot(xs, ones).data == 0.0
    assert linear([1e16, 1.0], [Value(1.0), Value(1.0)], Value(-1e16)).data == (-1e16 + 1e16) + 1.0


def test_backward_works_where_gc_has_no_threshold(monkeypatch):
    # PyPy's gc module has no get_threshold/set_threshold: backward must not need them
    import gc

    monkeypatch.delattr(gc, "get_threshold", raising=False)
    x = Value(2.0)
    (x * x + x).backward()
    assert x.grad == 5.0

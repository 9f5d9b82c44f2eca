"""micrograd_like.exercises.graphs and .neurons: the sort, backward, Neuron and Layer checks.

Each mistake is planted in learner-style code and the check must name it with
the numbers it saw; correct solutions in two styles pass. The gradients the
backward check expects are compared with PyTorch float64 on every graph it
uses, and the library's tanh Neuron (the neuron check's reference) too.
"""

import math
import random
import sys
from collections import deque

import pytest

from micrograd_like import Value
from micrograd_like.engine import RULES, topological_order
from micrograd_like.exercises import (MISTAKES, check_backward, check_layer, check_neuron,
                                      check_topological_sort)
from micrograd_like.exercises import graphs, neurons
from micrograd_like.nn import Layer, Neuron


# --- learners' topological sorts ---------------------------------------------------


def build_topo(root):  # micrograd's own, recursive
    topo, visited = [], set()

    def build(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build(child)
            topo.append(v)
    build(root)
    return topo


def iterative_topo(root):  # a stack of (node, children done) pairs
    topo, visited, stack = [], set(), [(root, False)]
    while stack:
        v, done = stack.pop()
        if done:
            topo.append(v)
        elif v not in visited:
            visited.add(v)
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev if c not in visited)
    return topo


def no_visited_set(root):
    topo = []

    def build(v):
        for child in v._prev:
            build(child)
        topo.append(v)
    build(root)
    return topo


def breadth_first(root):  # every node once, but a re-used node too late
    order, seen, todo = [], {root}, deque([root])
    while todo:
        v = todo.popleft()
        order.append(v)
        for c in v._prev:
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return order


@pytest.fixture
def shallow_stack():
    """A recursion limit that a 3000-deep recursive walk exceeds on every Python.

    (PyPy's stack lets the learner's recursive build_topo go 3000 deep at the
    default limit; the note is about the RecursionError, so make one happen.)
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(limit)


def test_correct_sorts_pass_and_recursion_gets_a_note(shallow_stack):
    report = check_topological_sort(build_topo)
    assert report
    if sys.implementation.name == "cpython":  # (PyPy's JIT may inline the recursion past the limit)
        assert "RecursionError" in report.message and "stack" in report.message
    report = check_topological_sort(iterative_topo)
    assert report and "3000 deep" in report.message and "RecursionError" not in report.message
    assert check_topological_sort(topological_order)  # the library's own


SORT_MISTAKES = [
    (no_visited_set, "duplicates", ["x", "listed twice", "visited"]),
    (lambda root: build_topo(root)[::-1], "reversed", ["starts with the root out"]),
    (lambda root: [v for v in build_topo(root) if v._prev or v is root], "missing", ["a, b, c", "8"]),
    (lambda root: breadth_first(root)[::-1], "topological-order", ["u comes before its input h"]),
    (lambda root: set(build_topo(root)), "not-a-list", ["set"]),
    (lambda root: [v.data for v in build_topo(root)], "not-a-list", ["float 1.0"]),
    (lambda root: None, "not-a-list", ["NoneType"]),
]


@pytest.mark.parametrize("fn, mistake, words", SORT_MISTAKES)
def test_planted_sort_mistakes_are_named(fn, mistake, words):
    report = check_topological_sort(fn)
    assert not report and report.mistake == mistake, str(report)
    for w in words:
        assert w in report.message, (w, report.message)
    assert mistake in MISTAKES


def test_a_sort_that_raises_names_the_line():
    report = check_topological_sort(lambda root: root._prev[0])
    assert report.mistake == "error" and "IndexError" in report.message


# --- learners' backward passes --------------------------------------------------------


def backward_with_closures(root):
    root.grad = 1.0
    for v in reversed(build_topo(root)):
        v._backward()


def backward_by_hand(root):  # the chain rule written out, iteratively sorted
    root.grad = 1.0
    for v in reversed(iterative_topo(root)):
        if v._prev:
            local = RULES[v._op](1.0, v.data, *[p.data for p in v._prev], *v._arg)
            for child, d in zip(v._prev, local):
                child.grad += d * v.grad


def test_correct_backward_passes(shallow_stack):
    report = check_backward(backward_by_hand)
    assert report and "3000 deep" in report.message
    report = check_backward(backward_with_closures)  # recursive: passes, with a note where it recursed too deep
    assert report
    if sys.implementation.name == "cpython":  # (PyPy's JIT may inline the recursion past the limit)
        assert "RecursionError" in report.message and "iterative" in report.message
    else:
        assert "RecursionError" in report.message or "3000 deep" in report.message


def no_seed(root):
    for v in reversed(topological_order(root)):
        v._backward()


def leaves_first(root):
    root.grad = 1.0
    for v in topological_order(root):
        v._backward()


def assign(root):
    root.grad = 1.0
    for v in reversed(topological_order(root)):
        if v._prev:
            local = RULES[v._op](1.0, v.data, *[p.data for p in v._prev], *v._arg)
            for child, d in zip(v._prev, local):
                child.grad = d * v.grad


def breadth_first_backward(root):
    root.grad = 1.0
    for v in breadth_first(root):
        v._backward()


def unsorted_backward(root):  # a set's order: any order, so a wrong one
    root.grad = 1.0
    for v in sorted(topological_order(root), key=lambda v: -v.data):
        v._backward()


def twice(root):
    root.grad = 1.0
    for v in reversed(no_visited_set(root)):
        v._backward()


BACKWARD_MISTAKES = [
    (no_seed, "seed", ["root.grad = 1.0", "still 0"]),
    (leaves_first, "not-reversed", ["a tree", "e.grad is 0, expected 1.63", "reversed(topo)"]),
    (assign, "accumulate", ["out = x * x", "x.grad is 3, expected 6", "+="]),
    (breadth_first_backward, "topological-order", ["h + tanh(h)", "k.grad is 0.7, expected 0.7408",
                                                   "h, used by u and out"]),
    (twice, "duplicates", ["k.grad is 1.482, expected 0.7408", "visited"]),
    (lambda root: None, "seed", []),
]


@pytest.mark.parametrize("fn, mistake, words", BACKWARD_MISTAKES)
def test_planted_backward_mistakes_are_named(fn, mistake, words):
    report = check_backward(fn)
    assert not report and report.mistake == mistake, str(report)
    for w in words:
        assert w in report.message, (w, report.message)


def test_an_unsorted_walk_is_caught():
    report = check_backward(unsorted_backward)
    assert not report and report.mistake in ("not-reversed", "topological-order"), str(report)


def test_a_value_seed_is_caught():
    def backward(root):
        root.grad = Value(1.0)  # a Value where the number 1.0 was meant
        for v in reversed(topological_order(root)):
            v._backward()
    report = check_backward(backward)
    assert report.mistake == "wrong" and "a Value (data" in report.message


def test_a_backward_that_raises_is_reported():
    report = check_backward(lambda root: root._prev[0]._backward(1.0))
    assert report.mistake == "error" and "TypeError" in report.message


@pytest.mark.parametrize("what, build", graphs._GRAPHS)
def test_the_expected_gradients_match_torch(what, build, torch):
    # The check's oracle (the chain rule in reversed topological order) against torch.
    root = build()
    nodes = topological_order(root)
    t = {}
    for v in nodes:
        if not v._prev:
            t[id(v)] = torch.tensor(v.data, requires_grad=True)
        else:
            a, b = (t[id(p)] for p in (v._prev + v._prev)[:2])
            t[id(v)] = {"+": lambda: a + b, "*": lambda: a * b, "tanh": lambda: torch.tanh(a)}[v._op]()
            t[id(v)].retain_grad()
    t[id(root)].backward()
    want = graphs._simulate(build, "reversed")
    for v, g in zip(nodes, want):
        assert math.isclose(g, t[id(v)].grad.item(), rel_tol=1e-12, abs_tol=1e-15), v.label
    root.backward()  # and the library's own backward agrees
    assert [v.grad for v in nodes] == pytest.approx(want, rel=1e-12)


def test_the_graphs_are_what_the_mistakes_need():
    for _, build in graphs._GRAPHS:  # every node labelled, so messages name it
        assert all(v.label for v in topological_order(build()))
    assert graphs._simulate(graphs._early, "breadth-first") != graphs._simulate(graphs._early, "reversed")
    assert graphs._simulate(graphs._leaf_twice, "reversed", assign=True) != graphs._simulate(
        graphs._leaf_twice, "reversed")


# --- learners' neurons and layers -----------------------------------------------------


class GoodNeuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]


class LoopNeuron(GoodNeuron):  # another style: a loop, and tanh out of exp
    def __init__(self, nin):
        self.w = []
        for _ in range(nin):
            self.w.append(Value(random.uniform(-1, 1)))
        self.b = Value(0.0)

    def __call__(self, x):
        z = self.b
        for wi, xi in zip(self.w, x):
            z = z + wi * xi
        e = (2 * z).exp()
        return (e - 1) / (e + 1)

    def parameters(self):
        params = list(self.w)
        params.append(self.b)
        return params


@pytest.mark.parametrize("cls", [GoodNeuron, LoopNeuron])
def test_correct_neurons_pass(cls):
    report = check_neuron(cls)
    assert report, str(report)


def test_the_neuron_check_gives_back_the_random_state():
    random.seed(123)
    expected = random.random()
    random.seed(123)
    check_neuron(GoodNeuron)
    assert random.random() == expected


def _neuron(call=None, init=None, parameters=None):
    attrs = {}
    if call:
        attrs["__call__"] = call
    if init:
        attrs["__init__"] = init
    if parameters:
        attrs["parameters"] = parameters
    return type("Neuron", (GoodNeuron,), attrs)


def _zeros(self, nin):
    self.w, self.b = [Value(0.0) for _ in range(nin)], Value(0.0)


def _reseeded(self, nin):
    rng = random.Random(42)
    self.w, self.b = [Value(rng.uniform(-1, 1)) for _ in range(nin)], Value(0.0)


NEURON_MISTAKES = [
    (_neuron(call=lambda s, x: sum(wi * xi for wi, xi in zip(s.w, x)).tanh()), "bias",
     ["-0.8692", "-0.7739", "bias is left out"]),
    (_neuron(call=lambda s, x: (sum(wi * xi for wi, xi in zip(s.w, x)) * s.b).tanh()), "bias",
     ["-0.3791", "multiplied"]),
    (_neuron(call=lambda s, x: sum((wi * xi for wi, xi in zip(s.w, x)), s.b)), "activation",
     ["-1.03", "no tanh"]),
    (_neuron(call=lambda s, x: sum((wi * xi for wi, xi in zip(s.w, x)), s.b).relu()), "activation",
     ["ReLU"]),
    (_neuron(call=lambda s, x: sum(((wi * xi).tanh() for wi, xi in zip(s.w, x)), s.b)), "activation",
     ["-0.4328", "each term"]),
    (_neuron(init=_zeros), "init", ["start at 0", "symmetry"]),
    (_neuron(init=_reseeded), "init", ["same weights", "re-seeding"]),
    (_neuron(parameters=lambda s: s.w), "parameters", ["3 Values, expected 4"]),
    (_neuron(parameters=lambda s: [s.b] + s.w), "parameters", ["order"]),
    (_neuron(parameters=lambda s: [Value(p.data) for p in s.w + [s.b]]), "parameters", ["copies"]),
    (_neuron(parameters=lambda s: (p for p in s.w + [s.b])), "parameters", ["a generator, not a list"]),
    (_neuron(call=lambda s, x: s.w[3]), "error", ["IndexError", "s.w[3]"]),
    (_neuron(call=lambda s, x: Value(math.tanh(sum((wi * xi for wi, xi in zip(s.w, x)), s.b).data))),
     "wrong", ["right value", "w[0].grad is 0, expected 0.6016"]),
]


@pytest.mark.parametrize("cls, mistake, words", NEURON_MISTAKES)
def test_planted_neuron_mistakes_are_named(cls, mistake, words):
    report = check_neuron(cls)
    assert not report and report.mistake == mistake, str(report)
    for w in words:
        assert w in report.message, (w, report.message)


def test_the_library_tanh_neuron_matches_torch(torch):
    ref = Neuron(3, activation="tanh", seed=0)
    for p, v in zip(ref.w + [ref.b], neurons._W + [neurons._B]):
        p.data = v
    xs = [Value(v) for v in neurons._X1]
    out = ref(xs)
    out.backward()
    w = torch.tensor(neurons._W, requires_grad=True)
    b = torch.tensor(neurons._B, requires_grad=True)
    x = torch.tensor(neurons._X1, requires_grad=True)
    y = torch.tanh(w @ x + b)
    y.backward()
    assert math.isclose(out.data, y.item(), rel_tol=1e-12)
    assert [p.grad for p in ref.w] == pytest.approx(w.grad.tolist(), rel=1e-12)
    assert [v.grad for v in xs] == pytest.approx(x.grad.tolist(), rel=1e-12)
    assert math.isclose(ref.b.grad, b.grad.item(), rel_tol=1e-12)


def test_the_library_layers_with_known_numbers_match_torch(torch):
    # check_layer puts these numbers into parameters() and compares with the library's Layer
    values = [round(math.sin(1.7 * k + 0.3), 3) for k in range(4 * (3 + 1))]
    for act, f in [("tanh", torch.tanh), ("relu", torch.relu), ("sigmoid", torch.sigmoid),
                   ("linear", lambda z: z)]:
        ref = Layer(3, 4, activation=act, seed=0)
        for p, v in zip(ref.parameters(), values):
            p.data = v
        rows = torch.tensor(values).reshape(4, 4)  # neuron by neuron: w_1, w_2, w_3, b
        want = f(rows[:, :3] @ torch.tensor(neurons._X1) + rows[:, 3])
        assert [o.data for o in ref(neurons._X1)] == pytest.approx(want.tolist(), rel=1e-12)


def test_the_layer_check_gives_back_the_random_state():
    random.seed(7)
    expected = random.random()
    random.seed(7)
    check_layer(GoodLayer)
    assert random.random() == expected


class GoodLayer:
    def __init__(self, nin, nout):
        self.neurons = [GoodNeuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs  # micrograd's bare Value

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class ListLayer(GoodLayer):  # another style: always a list, parameters by a loop
    def __init__(self, nin, nout):
        self.neurons = []
        for _ in range(nout):
            self.neurons.append(LoopNeuron(nin))

    def __call__(self, x):
        return [n(x) for n in self.neurons]

    def parameters(self):
        params = []
        for n in self.neurons:
            params.extend(n.parameters())
        return params


@pytest.mark.parametrize("cls", [GoodLayer, ListLayer])
def test_correct_layers_pass(cls):
    report = check_layer(cls)
    assert report, str(report)


def _layer(**attrs):
    return type("Layer", (GoodLayer,), attrs)


def _shared(self, nin, nout):
    self.neurons = [GoodNeuron(nin)] * nout


def _copied(self, nin, nout):
    first = GoodNeuron(nin)
    self.neurons = []
    for _ in range(nout):
        n = GoodNeuron(nin)
        for p, q in zip(n.parameters(), first.parameters()):
            p.data = q.data
        self.neurons.append(n)


LAYER_MISTAKES = [
    (_layer(__init__=_shared), "shared-neuron", ["more than once", "[Neuron(nin)] * nout"]),
    (_layer(__init__=_copied), "shared-neuron", ["4 equal outputs"]),
    (_layer(__call__=lambda s, x: [n(x) for n in s.neurons[:-1]] or [s.neurons[0](x)]), "shape",
     ["3 outputs", "list of 4 Values"]),
    (_layer(__call__=lambda s, x: sum(n(x) for n in s.neurons)), "shape", ["a single Value"]),
    (_layer(parameters=lambda s: [p for n in s.neurons for p in n.w]), "parameters",
     ["12 Values", "16"]),
    (_layer(parameters=lambda s: [p for n in s.neurons for p in n.w] + [n.b for n in s.neurons]),
     "parameters", ["neuron by neuron"]),
    (_layer(parameters=lambda s: [Value(p.data) for n in s.neurons for p in n.parameters()]),
     "parameters", ["copies"]),
    (_layer(__call__=lambda s, x: [n(x[1:]) for n in s.neurons]), "wrong", ["check_neuron"]),
    (_layer(parameters=lambda s: s.neurons), "parameters", ["holding a GoodNeuron", "flat list"]),
    (_layer(parameters=lambda s: (p for n in s.neurons for p in n.parameters())), "parameters",
     ["a generator, not a list"]),
    (_layer(__init__=lambda s, nin, nout: 1 / 0), "error", ["ZeroDivisionError"]),
]


@pytest.mark.parametrize("cls, mistake, words", LAYER_MISTAKES)
def test_planted_layer_mistakes_are_named(cls, mistake, words):
    report = check_layer(cls)
    assert not report and report.mistake == mistake, str(report)
    for w in words:
        assert w in report.message, (w, report.message)


# --- bad input to the checks, and the codes ------------------------------------------------


@pytest.mark.parametrize("check", [check_topological_sort, check_backward, check_neuron, check_layer])
def test_a_non_callable_is_refused(check):
    with pytest.raises(TypeError, match=f"{check.__name__}: expected .* got list"):
        check([1, 2])


def test_checks_print_nothing(capsys):
    check_topological_sort(build_topo)
    check_backward(backward_by_hand)
    check_neuron(GoodNeuron)
    check_layer(GoodLayer)
    assert capsys.readouterr() == ("", "")


def test_every_code_has_a_one_line_meaning():
    for module in (graphs, neurons):
        assert all(isinstance(v, str) and "\n" not in v for v in module.MISTAKES.values())
    assert {"reversed", "duplicates", "missing", "topological-order", "not-a-list", "seed",
            "not-reversed"} <= set(graphs.MISTAKES)
    assert {"bias", "activation", "parameters", "init", "shared-neuron", "shape"} <= set(neurons.MISTAKES)

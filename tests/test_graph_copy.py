"""copy.copy, copy.deepcopy and pickle of Value graphs: deep, shared, with attributes.

Oracles: hand-derived gradients (d/dx of x + x + ... + x is the count of
x's), and the structure of the original graph, walked by hand.
"""

from __future__ import annotations

import copy
import gc
import pickle
import platform

import pytest

from micrograd_like import MLP, Value

DEEP = 10**6


def _depth(v: Value) -> int:
    n = 0
    while v._prev:
        v = v._prev[0]
        n += 1
    return n


@pytest.fixture(scope="module")
def deep():
    """y = x + x + ... + x, a chain DEEP nodes deep: dy/dx = DEEP + 1."""
    x = Value(0.5, label="x")
    x.note = "mine"  # a user attribute, in the __dict__ slot
    y = x
    for _ in range(DEEP):
        y = y + x
    return x, y


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_a_graph_a_million_deep_copies_without_recursion(deep, how):
    x, y = deep
    c = pickle.loads(pickle.dumps(y)) if how == "pickle" else copy.deepcopy(y)
    assert c is not y and _depth(c) == DEEP
    leaf = c
    while leaf._prev:
        leaf = leaf._prev[0]
    assert leaf is not x and (leaf.label, leaf.note, leaf.data) == ("x", "mine", 0.5)
    assert c._prev[1] is leaf  # x is one node in the copy too, not a million
    c.backward()
    assert leaf.grad == DEEP + 1 and x.grad == 0.0  # the original is untouched
    assert c.data == y.data


def _fan_out():
    x = Value(3.0)
    return x, (x + x) * x  # 2 x**2: d/dx = 4 x = 12


@pytest.mark.parametrize("copier", [copy.deepcopy, lambda o: pickle.loads(pickle.dumps(o))])
def test_shared_nodes_stay_shared(copier):
    x, y = _fan_out()
    s = y._prev[0]  # x + x
    a, b, c, d = copier([x, s, y, x])
    assert a is d and b._prev == (a, a) and c._prev == (b, a)
    c.backward()
    assert a.grad == 12.0


@pytest.mark.parametrize("copier", [copy.deepcopy, lambda o: pickle.loads(pickle.dumps(o))])
def test_nodes_listed_after_their_output_are_the_same_objects(copier):
    x, y = _fan_out()
    c, b, a = copier([y, y._prev[0], x])
    assert c._prev == (b, a) and b._prev == (a, a)


def test_user_attributes_survive_and_are_copied_deeply():
    x = Value(1.0)
    y = x * 2
    y._vis_color = "red"
    y.history = [1, 2]
    for c in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert c._vis_color == "red" and c.history == [1, 2] and c.history is not y.history
    assert "__dict__" in Value.__slots__ and "__weakref__" in Value.__slots__


def test_copying_gives_no_node_a_dict_it_did_not_have():
    # 64 bytes a node on CPython: pickling a big graph must not grow it.
    y = Value(1.0) * 2 + 1
    pickle.dumps(y), copy.deepcopy(y)
    if platform.python_implementation() == "CPython":
        # PyPy keeps a node's attributes in shared maps, not in a dict of its
        # own, and lists a dict among its referents once __dict__ was read.
        assert not any(isinstance(r, dict) for r in gc.get_referents(y))
    assert vars(y) == {}  # no attribute left behind, on every Python (vars makes the dict)


def test_a_value_inside_an_attribute_is_copied_too():
    x = Value(2.0)
    y = x * x
    y.partner = x + 1  # another graph, reached through the attribute
    c = pickle.loads(pickle.dumps(y))
    assert c.partner._prev[0] is c._prev[0]


def test_copy_copy_keeps_the_inputs():
    x = Value(2.0)
    y = x * 3
    y.tag = "t"
    c = copy.copy(y)
    assert c is not y and c._prev == y._prev and (c.data, c._op, c.tag) == (6.0, "*", "t")


def test_a_failed_pickle_leaves_nothing_that_breaks_the_next():
    x = Value(1.0)
    nodes = [x]
    for _ in range(5000):  # deeper than the recursion limit
        nodes.append(nodes[-1] * 1.0)
    nodes[3000].bad = lambda: 0  # pickle cannot write a lambda
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(nodes[-1])
    del nodes[3000].bad
    for v in (nodes[2000], nodes[-1]):  # starting inside the failed graph too
        assert _depth(pickle.loads(pickle.dumps(v))) == _depth(v)


def test_a_model_copies_and_its_graph_works():
    model = MLP(2, [4, 1], seed=0)
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert clone.state_dict() == model.state_dict()
        assert clone([1.0, 2.0]).data == model([1.0, 2.0]).data


def _lecture_tanh(x: Value) -> Value:
    # The lecture's way of adding an op: a closure over x and out.
    import math

    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


@pytest.mark.parametrize("copier", [copy.deepcopy, copy.copy, pickle.dumps])
def test_a_closure_over_the_original_nodes_cannot_be_copied(copier):
    # A copy would run the original's closure: its backward would fill the
    # original x's .grad and leave the copy's at 0 (measured before the check).
    x = Value(0.5)
    y = _lecture_tanh(x * 2.0)
    with pytest.raises(TypeError, match="closure out._backward that refers to the original "
                                        "graph's Values.*RULES"):
        copier(y)
    y.backward()  # the original still works; d tanh(2x)/dx = 2 (1 - tanh(1)^2) by hand
    assert x.grad == pytest.approx(2 * (1 - 0.7615941559557649 ** 2), rel=1e-15)


def test_a_closure_holding_no_value_is_shared_by_the_copy():
    x = Value(1.0)
    x._backward = lambda: None  # as the lecture's Value.__init__ sets on every node
    y = copy.deepcopy(x * 3.0)
    y.backward()
    assert y._prev[0].grad == 3.0 and x.grad == 0.0

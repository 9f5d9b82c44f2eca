"""model(X) leaves each sample's hidden nodes in the order they were made, and
backward() places them in one step instead of sorting them (engine._made_in_order).

The shortcut must give exactly the order of the full sort (so gradients are
the same to the bit), be taken only while it is still true (the output is
the same node, no node's inputs changed, the sample's inputs and the weights
still leaves, none of the nodes seen before), and
keep nothing alive: the entries go with the outputs. Where a changed graph
must not fool it, gradients are checked against values derived by hand and
a central finite difference.
"""

import gc
import math
import threading

import pytest

from micrograd_like import MLP, Value, no_grad
from micrograd_like import engine
from micrograd_like.losses import cross_entropy, hinge_loss, l2_penalty, mse_loss

X = [[0.3, -1.2], [1.5, 0.25], [-2.0, 0.0], [0.1, 0.2], [0.9, -0.4]]
Y = [1, -1, 1, -1, 1]


def _sorted_without_the_shortcut(root):
    saved = dict(engine._IN_ORDER)
    engine._IN_ORDER.clear()
    try:
        return engine.topological_order(root, leaves=False)
    finally:
        engine._IN_ORDER.update(saved)


def _uses_the_shortcut(root, monkeypatch):
    """Whether the sort of root placed some sample as it was made."""
    calls = []
    real = engine._placed_as_made

    def spy(*args):
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(engine, "_placed_as_made", spy)
    engine.topological_order(root, leaves=False)
    return any(calls)


@pytest.mark.parametrize("nouts, activation, loss", [
    ([8, 8, 1], "relu", lambda s: hinge_loss(s, Y)),
    ([4, 1, 3], "relu", lambda s: cross_entropy(s, [0, 2, 1, 0, 2])),
    ([5, 5, 1], "tanh", lambda s: mse_loss(s, [0.5, -1.0, 2.0, 0.0, 1.0])),
    ([3], "relu", lambda s: sum(v for out in s for v in out)),
])
def test_the_order_is_the_full_sorts_order(nouts, activation, loss, monkeypatch):
    model = MLP(2, nouts, activation=activation, seed=1)
    L = loss(model(X)) + 1e-4 * l2_penalty(model.parameters())
    assert engine.topological_order(L, leaves=False) == _sorted_without_the_shortcut(L)
    assert _uses_the_shortcut(L, monkeypatch)


def test_gradients_are_those_of_one_call_per_sample_bit_for_bit():
    one, many = MLP(2, [6, 6, 1], seed=4), MLP(2, [6, 6, 1], seed=4)
    (hinge_loss([one(x) for x in X], Y) + 1e-4 * l2_penalty(one.parameters())).backward()
    (hinge_loss(many(X), Y) + 1e-4 * l2_penalty(many.parameters())).backward()
    assert [p.grad for p in many.parameters()] == [p.grad for p in one.parameters()]


def test_a_hidden_node_reached_first_is_sorted_as_usual(monkeypatch):
    model = MLP(2, [4, 1], seed=2)
    scores = model(X)
    hidden = scores[0]._prev[0]  # a node of sample 0's first layer
    L = hidden * 3.0 + sum(scores[1:], scores[0])
    assert engine.topological_order(L, leaves=False) == _sorted_without_the_shortcut(L)


def test_a_changed_input_of_a_hidden_node_is_not_missed():
    # Rewire a hidden node after model(X): its new input is an interior node
    # the recorded order knows nothing of, so the shortcut must not be taken.
    model = MLP(2, [3, 1], seed=5)
    scores = model(X[:2])
    hidden = scores[0]._prev[0]  # sample 0's first hidden node
    a = Value(3.0)
    extra = a * a  # interior: it needs its own place in the order
    hidden._prev = hidden._prev[:-1] + (extra,)  # the bias replaced by a * a
    x, w = hidden._prev[:2], hidden._prev[2:4]
    hidden.data = max(0.0, x[0].data * w[0].data + x[1].data * w[1].data + extra.data)
    assert hidden.data > 0.0  # (|x . w| <= 4 < a * a): the ReLU is on
    (scores[0] + scores[1]).backward()
    w_out = scores[0]._prev[3]  # the output neuron's weight on that hidden node
    assert a.grad == pytest.approx(w_out.data * 2 * a.data, rel=1e-12)  # by hand


def test_a_changed_output_is_not_missed():
    model = MLP(2, [3, 1], seed=6)
    out = model(X[:1])[0]
    b = Value(2.0)
    out._prev = out._prev[:-1] + (b * 1.0,)  # the bias replaced by an interior node
    out.backward()
    assert b.grad == 1.0  # a linear output passes g = 1 to its bias input


def test_a_weight_given_inputs_after_the_call_is_not_missed():
    # A parameter that gains inputs after model(X) is no leaf any more: the order
    # must now hold its graph too, so the shortcut must not be taken.
    model = MLP(2, [3, 1], seed=7)
    scores = model(X[:2])
    (scores[0] + scores[1]).backward()  # a first sort finds the weights leaves
    w = model.layers[1].neurons[0].w[0]  # the output neuron's first weight
    a = Value(0.5)
    w._prev, w._op, w._arg = (a,), "tanh", ()  # w = tanh(a), as a lecture's rewiring would
    w.data = math.tanh(a.data)
    (scores[0] + scores[1]).backward()
    # by hand: d(score_s)/dw = h_s (sample s's first hidden output), dw/da = 1 - w^2
    hidden = [s._prev[0].data for s in scores]  # the hidden output that w multiplies
    assert a.grad == pytest.approx(sum(hidden) * (1 - w.data ** 2), rel=1e-12)


def test_a_sample_input_given_inputs_after_the_call_is_not_missed():
    model = MLP(2, [3, 1], seed=8)
    x0 = [Value(0.3), Value(-1.2)]
    score = model([x0, [1.5, 0.25]])[0]
    a = Value(0.6)
    x0[0]._prev, x0[0]._op, x0[0]._arg = (a,), "tanh", ()
    x0[0].data = math.tanh(a.data)
    score.backward()
    assert x0[0].grad != 0.0
    assert a.grad == pytest.approx(x0[0].grad * (1 - x0[0].data ** 2), rel=1e-12)


def test_nothing_is_kept_alive():
    model = MLP(2, [4, 4, 1], seed=0)
    scores = model(X)
    entries = [(id(s), engine._IN_ORDER[id(s)][0]) for s in scores]
    L = hinge_loss(scores, Y)
    L.backward()
    del scores, L
    gc.collect()  # (PyPy frees by its collector; CPython already did)
    assert all(ref() is None for _, ref in entries)  # the outputs are gone
    assert not any(engine._IN_ORDER.get(key, (None,))[0] is ref for key, ref in entries)


def test_no_order_is_left_where_it_would_not_hold():
    def loss(av):
        a = Value(av)
        model = MLP(2, [3, 1], seed=0)
        with no_grad():
            plain = model(X)  # plain leaves: nothing to sort
        interior_input = model([[a * 2.0, 1.0], [0.5, a * -1.0]])  # their graph comes first
        tied = MLP(2, [3, 1], seed=1)
        tied.layers[0].neurons[0].w[0] = a * 1.5  # a computed weight
        outputs = plain + interior_input + tied(X)
        return a, sum(outputs[len(plain):], plain[0]), outputs

    a, L, outputs = loss(0.8)
    assert not any(engine._IN_ORDER.get(id(o), (lambda: None,))[0]() is o for o in outputs)
    assert engine.topological_order(L, leaves=False) == _sorted_without_the_shortcut(L)
    L.backward()
    h = 1e-6
    numeric = (loss(0.8 + h)[1].data - loss(0.8 - h)[1].data) / (2 * h)  # central difference
    assert a.grad != 0.0 and a.grad == pytest.approx(numeric, rel=1e-6)


def test_batches_made_in_threads_each_keep_their_order():
    results, errors = {}, []

    def run(seed):
        try:
            model = MLP(2, [5, 5, 1], seed=seed)
            L = hinge_loss(model(X), Y)
            results[seed] = (engine.topological_order(L, leaves=False)
                             == _sorted_without_the_shortcut(L))
        except Exception as err:  # reported below, in the test's thread
            errors.append(err)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == {0: True, 1: True, 2: True, 3: True}

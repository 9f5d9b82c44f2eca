"""model(X): a batch through a network, with each weight's .data read once per layer.

The batch path must build exactly the nodes of one call per sample (so
outputs and every gradient agree to the bit), and read each weight's
number once per layer for the whole batch, not once per sample.
"""

import pytest

from micrograd_like import MLP, Layer, Neuron, Value, no_grad
from micrograd_like.losses import mse_loss


def _grads(model):
    return [p.grad for p in model.parameters()]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear", "leaky_relu"])
@pytest.mark.parametrize("fused", [True, False])
def test_a_batch_gives_the_per_sample_outputs_and_gradients_bit_for_bit(activation, fused):
    X = [[0.3, -1.2, 2.0], [1.5, 0.25, -0.5], [-2.0, 0.0, 1.0], [0.1, 0.2, 0.3]]
    y = [0.5, -1.0, 2.0, 0.0]
    one = MLP(3, [5, 4, 1], activation=activation, seed=3, fused=fused)
    many = MLP(3, [5, 4, 1], activation=activation, seed=3, fused=fused)
    by_sample = [one(x) for x in X]
    batch = many(X)
    assert [v.data for v in batch] == [v.data for v in by_sample]
    mse_loss(by_sample, y).backward()
    mse_loss(batch, y).backward()
    assert _grads(many) == _grads(one)


def test_layers_and_neurons_take_batches_too_and_tuples_work():
    layer, neuron = Layer(2, 3, seed=0), Neuron(2, seed=0)
    X = ((1.0, 2.0), (-0.5, 0.5))
    assert [[v.data for v in out] for out in layer(X)] == [[v.data for v in layer(x)] for x in X]
    assert [v.data for v in neuron(X)] == [neuron(x).data for x in X]
    assert [v.data for v in Layer(2, 1, seed=0)(X)] == [Layer(2, 1, seed=0)(x).data for x in X]


def test_several_outputs_give_a_list_per_sample():
    model = MLP(2, [3, 2], seed=1)
    out = model([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert len(out) == 3 and all(len(o) == 2 for o in out)
    assert [o.data for o in out[1]] == [o.data for o in model([3.0, 4.0])]


def test_values_as_inputs_get_their_gradients():
    model = MLP(2, [4, 1], activation="tanh", seed=2)
    xs = [[Value(0.5), Value(-1.0)], [Value(2.0), Value(0.25)]]
    twin = [[Value(v.data) for v in x] for x in xs]
    sum(model(xs)).backward()
    ref = MLP(2, [4, 1], activation="tanh", seed=2)
    sum(ref(x) for x in twin).backward()
    assert [v.grad for x in xs for v in x] == [v.grad for x in twin for v in x]


def test_under_no_grad_a_batch_builds_no_graph():
    model = MLP(2, [3, 1], seed=0)
    with no_grad():
        out = model([[1.0, 2.0], [0.0, 1.0]])
    assert all(v._prev == () for v in out)


class _Counting(Value):
    """A weight that counts how often its number is read."""

    reads = 0

    @property
    def data(self):
        _Counting.reads += 1
        return self.__dict__["d"]

    @data.setter
    def data(self, value):
        self.__dict__["d"] = value


def test_each_weight_is_read_once_per_layer_not_once_per_sample():
    model = MLP(3, [4, 2], activation="tanh", seed=0)
    first = model.layers[0]
    for n in first.neurons:
        n.w = [_Counting(w.data) for w in n.w]
    X = [[0.1 * i, 0.2, -0.3] for i in range(10)]
    _Counting.reads = 0
    model(X)
    assert _Counting.reads == 4 * 3  # each of the 12 weights, once for all 10 samples
    _Counting.reads = 0
    [model(x) for x in X]
    assert _Counting.reads == 4 * 3 * 10  # one call per sample: once per sample


@pytest.mark.parametrize("X, exc, fragment", [
    ([[1.0, 2.0], [1.0]], ValueError, "expected 2 inputs, got 1"),
    ([[1.0, 2.0], [1.0, "a"]], TypeError, "input 1 must be a number or a Value, got str 'a'"),
    ([[[1.0, 2.0]]], TypeError, "a batch is a list of samples, each a list of numbers: model(X)"),
])
def test_a_bad_sample_in_a_batch_is_named(X, exc, fragment):
    with pytest.raises(exc) as err:
        MLP(2, [3, 1], seed=0)(X)
    assert fragment in str(err.value)


def test_the_collector_pause_while_a_batch_is_built_is_not_observable():
    import gc

    model = MLP(2, [8, 1], seed=0)
    X = [[0.1 * i, -0.2] for i in range(50)]
    before = gc.get_threshold() if hasattr(gc, "get_threshold") else None
    model(X)
    assert (gc.get_threshold() if before is not None else None) == before
    was = gc.isenabled()
    gc.disable()  # the user's choice is left alone
    try:
        model(X)
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


class _SeesTheCollector(float):
    """A number that notes CPython's first collector threshold when it is read."""

    seen: list = []

    def __float__(self):
        import gc

        _SeesTheCollector.seen.append(gc.get_threshold()[0])
        return super().__float__()


@pytest.mark.parametrize("module", [MLP(2, [3, 1], seed=0), Layer(2, 3, seed=0)],
                         ids=["MLP", "Layer"])
def test_a_batch_is_built_with_the_collector_paused(gc_thresholds, module):
    import gc

    _SeesTheCollector.seen = []
    module([[0.5, -1.0], [_SeesTheCollector(0.25), 2.0]])
    assert _SeesTheCollector.seen == [0]  # paused while the batch's nodes are made
    assert gc.get_threshold() == gc_thresholds  # and given back after
    module([_SeesTheCollector(0.25), 2.0])  # one sample: nothing to pause for
    assert _SeesTheCollector.seen == [0, gc_thresholds[0]]


def test_fit_pauses_the_collector_only_inside_its_steps(gc_thresholds):
    import gc

    from micrograd_like.train import fit

    seen = []
    model = MLP(2, [4, 1], seed=0)

    def loss(outputs, y):  # runs inside a step: the collector is paused there
        seen.append(gc.get_threshold()[0])
        return mse_loss(outputs, y)

    before = gc.get_threshold()
    from micrograd_like.optim import SGD

    fit(model, loss, SGD(model.parameters(), lr=0.1), [[0.0, 1.0], [1.0, 0.0]], [1.0, -1.0], epochs=2,
        callbacks=[lambda epoch, logs: seen.append(("callback", gc.get_threshold()))], verbose=0)
    assert gc.get_threshold() == before
    assert [s for s in seen if not isinstance(s, tuple)] == [0, 0]
    assert [s for s in seen if isinstance(s, tuple)] == [("callback", before)] * 2  # a user's code sees theirs

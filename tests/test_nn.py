"""Tests for micrograd_like.nn: Module, Neuron, Layer, MLP (saving: test_serialization.py).

Oracles: karpathy's micrograd 0.1.0 (same weights and outputs for the same
random.seed), PyTorch in float64 (forward and gradients, built here directly
from the parameter values, not through torch_bridge), torch.nn.init (weight
distributions), and values and counts derived by hand.
"""

import copy
import math
import pickle
import random
import re
import struct
import weakref
from collections import Counter

import pytest

import micrograd_like.functional as functional
import micrograd_like.nn as nn
from micrograd_like.engine import Value, topological_order
from micrograd_like.init import INIT_ALIASES
from micrograd_like.nn import MLP, IncompatibleKeys, Layer, Module, Neuron

ACTIVATION_NAMES = "'relu', 'tanh', 'sigmoid', 'leaky_relu', 'linear'"
INIT_NAMES = (
    "'uniform', 'xavier', 'he', or an alias: "
    "'micrograd' (= 'uniform'), 'glorot' (= 'xavier'), 'kaiming' (= 'he')"
)


@pytest.fixture(scope="module")
def micrograd(micrograd_nn):
    """micrograd.nn (from conftest): the reference for the micrograd-compatible API."""
    return micrograd_nn


def bits(x):
    return struct.pack("<d", x)


def sample_inputs(nin, count, seed):
    rng = random.Random(seed)
    return [[rng.uniform(-2.0, 2.0) for _ in range(nin)] for _ in range(count)]


def as_list(out):
    return out if isinstance(out, list) else [out]


# --- PyTorch oracle: the same network written with torch tensors -----------


def torch_forward(torch, model, x, activations):
    """Forward pass of tensor x in torch with the model's weights; returns (output, [(W, b)])."""
    acts = {
        "relu": torch.relu,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.01),
        "linear": lambda t: t,
    }
    h = x
    params = []
    for layer, act in zip(model.layers, activations):
        W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], requires_grad=True)
        params.append((W, b))
        h = acts[act](W @ h + b)
    return h, params


def check_against_torch(torch, model, activations, inputs):
    for x in inputs:
        model.zero_grad()
        xs = [Value(xi) for xi in x]
        outs = as_list(model(xs))
        total = outs[0]
        for o in outs[1:]:
            total = total + o
        total.backward()

        t_in = torch.tensor(x, requires_grad=True)
        h, params = torch_forward(torch, model, t_in, activations)
        h.sum().backward()

        assert [o.data for o in outs] == pytest.approx(h.tolist(), abs=1e-12, rel=1e-12)
        assert [v.grad for v in xs] == pytest.approx(t_in.grad.tolist(), abs=1e-12, rel=1e-12)
        for layer, (W, b) in zip(model.layers, params):
            ours_w = [[w.grad for w in n.w] for n in layer.neurons]
            ours_b = [n.b.grad for n in layer.neurons]
            for row, t_row in zip(ours_w, W.grad.tolist()):
                assert row == pytest.approx(t_row, abs=1e-12, rel=1e-12)
            assert ours_b == pytest.approx(b.grad.tolist(), abs=1e-12, rel=1e-12)


# --- sizes and structure ----------------------------------------------------


@pytest.mark.parametrize(
    "nin, nouts, expected",
    [
        (2, [16, 16, 1], 337),  # (2+1)*16 + (16+1)*16 + (16+1)*1 = 48 + 272 + 17
        (3, [4, 4, 1], 41),  # micrograd's README: 16 + 20 + 5
        (2, [16, 1, 1], 67),  # 48 + 17 + 2
        (1, [1], 2),
        (5, [3], 18),
    ],
)
def test_mlp_parameter_count(nin, nouts, expected):
    assert len(MLP(nin, nouts, seed=0).parameters()) == expected


def test_neuron_and_layer_parameter_counts():
    assert len(Neuron(3, seed=0).parameters()) == 4  # 3 weights + bias
    assert len(Layer(3, 4, seed=0).parameters()) == 16  # 4 * (3 + 1)


def test_named_parameters_follow_the_dotted_attribute_scheme():
    model = MLP(2, [3, 1], seed=0)
    expected = []
    for i, (nin, nout) in enumerate([(2, 3), (3, 1)]):
        for j in range(nout):
            expected += [f"layers.{i}.neurons.{j}.w.{k}" for k in range(nin)]
            expected.append(f"layers.{i}.neurons.{j}.b")
    named = model.named_parameters()
    assert [name for name, _ in named] == expected
    assert [p for _, p in named] == model.parameters()
    assert model.layers[1].neurons[0].w[2] is dict(named)["layers.1.neurons.0.w.2"]


def test_custom_module_finds_nested_parameters_once():
    class Net(Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.body = MLP(2, [3, 1], seed=0)
            self.heads = [Neuron(1, seed=1)]
            self.table = {"offset": Value(0.5)}
            self._cache = Value(9.0)  # private: not a parameter
            self.tied = self.scale  # shared: listed once
            self.me = self  # a cycle must not loop forever
            self.note = "text"

        def __call__(self, x):
            return self.heads[0]([self.body(x)]) * self.scale + self.table["offset"]

    net = Net()
    names = [name for name, _ in net.named_parameters()]
    assert names[0] == "scale"
    assert names[1:14] == ["body." + n for n, _ in net.body.named_parameters()]
    assert names[14:] == ["heads.0.w.0", "heads.0.b", "table.offset"]
    assert len(net.parameters()) == 1 + 13 + 2 + 1
    assert isinstance(net([1.0, 2.0]), Value)


def test_parameters_order_equals_micrograd(micrograd):
    random.seed(3)
    theirs = micrograd.MLP(3, [4, 2])
    random.seed(3)
    ours = MLP(3, [4, 2])
    assert [bits(p.data) for p in ours.parameters()] == [
        bits(float(p.data)) for p in theirs.parameters()
    ]


def test_zero_grad_resets_every_parameter():
    model = MLP(2, [4, 1], seed=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# --- micrograd compatibility ------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 42])
@pytest.mark.parametrize("nin, nouts", [(2, [16, 16, 1]), (3, [4, 2]), (2, [1]), (4, [5])])
def test_mlp_equals_micrograd(micrograd, seed, nin, nouts):
    random.seed(seed)
    theirs = micrograd.MLP(nin, nouts)
    random.seed(seed)
    ours = MLP(nin, nouts)
    # same random calls in the same order: bit-identical weights
    assert [bits(p.data) for p in ours.parameters()] == [
        bits(float(p.data)) for p in theirs.parameters()
    ]
    for x in sample_inputs(nin, 3, seed + 100):
        ours.zero_grad()
        theirs.zero_grad()
        out_o, out_t = ours(x), theirs(x)
        assert type(out_o) is (list if isinstance(out_t, list) else Value)
        out_o, out_t = as_list(out_o), as_list(out_t)
        assert [o.data for o in out_o] == pytest.approx([t.data for t in out_t], abs=1e-12)
        sum(out_o).backward()
        sum(out_t).backward()
        assert [p.grad for p in ours.parameters()] == pytest.approx(
            [p.grad for p in theirs.parameters()], abs=1e-12
        )


def test_seed_and_rng_give_the_global_random_stream():
    random.seed(7)
    expected = [bits(p.data) for p in MLP(2, [4, 1]).parameters()]
    assert [bits(p.data) for p in MLP(2, [4, 1], seed=7).parameters()] == expected
    assert [bits(p.data) for p in MLP(2, [4, 1], rng=random.Random(7)).parameters()] == expected


def test_layer_and_neuron_equal_micrograd(micrograd):
    x = [0.5, -1.5, 2.0]
    random.seed(11)
    theirs = (micrograd.Layer(3, 1), micrograd.Layer(3, 4), micrograd.Neuron(3, nonlin=False))
    random.seed(11)
    ours = (Layer(3, 1), Layer(3, 4), Neuron(3, nonlin=False))
    out = ours[0](x)
    assert isinstance(out, Value)  # a bare Value for nout == 1, as in micrograd
    assert out.data == pytest.approx(theirs[0](x).data, abs=1e-12)
    outs = ours[1](x)
    assert isinstance(outs, list) and len(outs) == 4
    assert [o.data for o in outs] == pytest.approx([t.data for t in theirs[1](x)], abs=1e-12)
    assert ours[2](x).data == pytest.approx(theirs[2](x).data, abs=1e-12)
    assert ours[2].nonlin is False and ours[0].neurons[0].nonlin is True


def test_width_one_hidden_layer_by_hand():
    # MLP(1, [1, 1]): relu(2 * 1.5 - 1) = 2, then 3 * 2 + 0.5 = 6.5
    model = MLP(1, [1, 1], seed=0)
    model.load_state_dict(
        {
            "layers.0.neurons.0.w.0": 2.0,
            "layers.0.neurons.0.b": -1.0,
            "layers.1.neurons.0.w.0": 3.0,
            "layers.1.neurons.0.b": 0.5,
        }
    )
    x = Value(1.5)
    y = model([x])
    assert y.data == 6.5
    y.backward()
    assert x.grad == 6.0  # 3 * relu'(2) * 2


@pytest.mark.parametrize("seed", [0, 3, 5])
def test_width_one_hidden_layer_matches_torch(torch, seed):
    model = MLP(2, [16, 1, 1], seed=seed)
    assert isinstance(model([0.3, -0.7]), Value)
    check_against_torch(torch, model, ["relu", "relu", "linear"], sample_inputs(2, 4, seed))


def test_forward_is_one_linear_node_per_neuron():
    model = MLP(2, [16, 16, 1], seed=0)
    out = model([0.5, -1.0])
    order = topological_order(out)
    # 16 + 16 + 1 neurons, each one linear node with its activation inside
    assert Counter((v._op, v._arg) for v in order if v._prev) == {
        ("linear", ("relu",)): 32,
        ("linear", ("linear",)): 1,
    }
    leaves = [v for v in order if not v._prev]
    assert len(leaves) == 337 + 2  # the parameters and the two inputs
    assert len(order) == 33 + 339


def test_leaky_relu_is_a_node_after_the_linear_node():
    out = MLP(2, [3, 1], activation="leaky_relu", seed=0)([0.5, -1.0])
    ops = Counter(v._op for v in topological_order(out) if v._prev)
    assert ops == {"linear": 4, "leaky_relu": 3}


def test_inputs_can_be_numbers_values_or_a_bare_scalar():
    model = MLP(2, [3, 1], seed=0)
    a = model([0.5, -1.0]).data
    assert model([Value(0.5), -1]).data == a
    assert model((0.5, -1.0)).data == a
    one = MLP(1, [2], seed=0)
    assert [o.data for o in one(0.25)] == [o.data for o in one([0.25])]


# --- activations and init ---------------------------------------------------


@pytest.mark.parametrize(
    "nin, nouts, activation, output_activation, expected",
    [
        (3, [4, 5, 2], "tanh", "linear", ["tanh", "tanh", "linear"]),
        (3, [4, 5, 2], ["sigmoid", "leaky_relu"], "tanh", ["sigmoid", "leaky_relu", "tanh"]),
        (2, [6, 1], "relu", "sigmoid", ["relu", "sigmoid"]),
        (2, [3], "tanh", "leaky_relu", ["leaky_relu"]),
        (4, [5, 5, 3], ["linear", "relu"], "relu", ["linear", "relu", "relu"]),
    ],
)
@pytest.mark.parametrize("init", ["uniform", "xavier", "he"])
def test_activations_per_layer_match_torch(
    torch, nin, nouts, activation, output_activation, expected, init
):
    model = MLP(nin, nouts, activation=activation, output_activation=output_activation,
                init=init, seed=1)
    check_against_torch(torch, model, expected, sample_inputs(nin, 3, 2))


@pytest.mark.parametrize(
    "activation, f",
    [
        ("relu", lambda s: max(s, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda s: 1.0 / (1.0 + math.exp(-s))),
        ("leaky_relu", lambda s: s if s > 0 else 0.01 * s),
        ("linear", lambda s: s),
    ],
)
def test_neuron_activation_by_hand(activation, f):
    n = Neuron(3, activation=activation, seed=4)
    x = [1.0, -2.0, 0.5]
    s = n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))
    assert n(x).data == pytest.approx(f(s), abs=1e-15)
    assert n.nonlin is (activation != "linear")


@pytest.mark.parametrize(
    "init, nin, nout, bound",
    [
        ("uniform", 3, 5, 1.0),
        ("uniform", 100, 2, 1.0),  # micrograd ignores the layer size
        ("xavier", 30, 20, math.sqrt(6.0 / (30 + 20))),
        ("xavier", 40, 1, math.sqrt(6.0 / 41)),
        ("he", 30, 20, math.sqrt(6.0 / 30)),
        ("he", 8, 50, math.sqrt(6.0 / 8)),
        ("micrograd", 100, 2, 1.0),
        ("glorot", 30, 20, math.sqrt(6.0 / (30 + 20))),
        ("kaiming", 30, 20, math.sqrt(6.0 / 30)),
    ],
)
def test_init_bounds(init, nin, nout, bound):
    layer = Layer(nin, nout, init=init, seed=0)
    ws = [w.data for n in layer.neurons for w in n.w]
    assert max(abs(w) for w in ws) <= bound
    assert max(abs(w) for w in ws) > 0.8 * bound  # the whole range is used
    assert min(ws) < 0.0 < max(ws)
    assert all(n.b.data == 0.0 for n in layer.neurons)  # biases start at zero


@pytest.mark.parametrize(
    "alias, canonical", [("micrograd", "uniform"), ("glorot", "xavier"), ("kaiming", "he")]
)
def test_init_aliases_are_the_same_init(alias, canonical):
    a = MLP(3, [7, 2], init=alias, seed=5)
    b = MLP(3, [7, 2], init=canonical, seed=5)
    assert a.state_dict() == b.state_dict()
    assert a.get_config() == b.get_config() and repr(a) == repr(b)
    assert Layer(4, 3, init=alias, seed=1).state_dict() == Layer(4, 3, init=canonical, seed=1).state_dict()
    n_alias = Neuron(6, init=alias, fan_out=4, seed=2)
    assert n_alias.state_dict() == Neuron(6, init=canonical, fan_out=4, seed=2).state_dict()
    assert INIT_ALIASES[alias] == canonical


def test_init_uses_each_layers_own_fans():
    model = MLP(10, [40, 5], init="xavier", seed=0)
    first = max(abs(w.data) for n in model.layers[0].neurons for w in n.w)
    second = max(abs(w.data) for n in model.layers[1].neurons for w in n.w)
    assert first <= math.sqrt(6.0 / 50) and second <= math.sqrt(6.0 / 45)
    he = MLP(10, [40, 5], init="he", seed=0)
    assert max(abs(w.data) for n in he.layers[1].neurons for w in n.w) <= math.sqrt(6.0 / 40)


@pytest.mark.parametrize("init", ["uniform", "xavier", "he"])
def test_init_distribution_matches_torch_nn_init(torch, init):
    nin, nout = 64, 48
    ours = [w.data for n in Layer(nin, nout, init=init, seed=0).neurons for w in n.w]
    t = torch.empty(nout, nin)  # torch's Linear weight shape: (fan_out, fan_in)
    gen = torch.Generator().manual_seed(0)
    if init == "uniform":
        torch.nn.init.uniform_(t, -1.0, 1.0, generator=gen)
    elif init == "xavier":
        torch.nn.init.xavier_uniform_(t, generator=gen)
    else:
        torch.nn.init.kaiming_uniform_(t, nonlinearity="relu", generator=gen)
    theirs = t.flatten().tolist()

    def std(xs):
        m = sum(xs) / len(xs)
        return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))

    # 3072 draws each: the spreads agree to a few percent
    assert std(ours) == pytest.approx(std(theirs), rel=0.05)
    assert max(map(abs, ours)) == pytest.approx(max(map(abs, theirs)), rel=0.02)


def test_init_is_deterministic_per_seed():
    a = [p.data for p in MLP(3, [8, 1], init="he", seed=5).parameters()]
    b = [p.data for p in MLP(3, [8, 1], init="he", seed=5).parameters()]
    c = [p.data for p in MLP(3, [8, 1], init="he", seed=6).parameters()]
    assert a == b and a != c
    rng = random.Random(1)  # one rng, two models: the stream moves on
    assert MLP(3, [8, 1], rng=rng).state_dict() != MLP(3, [8, 1], rng=rng).state_dict()


def test_seed_does_not_touch_the_global_random():
    random.seed(123)
    state = random.getstate()
    MLP(2, [8, 1], seed=1)
    MLP(2, [8, 1], rng=random.Random(2))
    assert random.getstate() == state
    MLP(2, [8, 1])  # no seed: micrograd's behaviour, uses the global random
    assert random.getstate() != state


# --- state_dict ---------------------------------------------------------------


def test_state_dict_is_ordered_name_to_float():
    model = MLP(2, [3, 1], seed=0)
    sd = model.state_dict()
    assert list(sd) == [name for name, _ in model.named_parameters()]
    assert list(sd.values()) == [p.data for p in model.parameters()]
    assert all(type(v) is float for v in sd.values())


def test_load_state_dict_copies_values():
    a, b = MLP(2, [4, 3], seed=1), MLP(2, [4, 3], seed=2)
    assert a.state_dict() != b.state_dict()
    result = b.load_state_dict(a.state_dict())
    assert result == IncompatibleKeys([], [])
    assert b.state_dict() == a.state_dict()
    assert [o.data for o in b([0.3, 0.1])] == [o.data for o in a([0.3, 0.1])]
    assert a.parameters()[0] is not b.parameters()[0]  # values copied, not shared


def test_load_state_dict_strict_reports_missing_and_unexpected():
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    sd = model.state_dict()
    del sd["layers.0.neurons.1.b"]
    sd["layers.9.w"] = 1.0
    with pytest.raises(ValueError) as err:
        model.load_state_dict(sd)
    msg = str(err.value)
    assert "missing keys ['layers.0.neurons.1.b']" in msg
    assert "unexpected keys ['layers.9.w']" in msg
    assert "strict=False" in msg
    assert model.state_dict() == before


def test_load_state_dict_wrong_shape_says_expected_and_got():
    small = MLP(2, [16, 1], seed=0)  # 48 + 17 = 65 parameters
    big = MLP(2, [16, 16, 1], seed=0)
    with pytest.raises(ValueError, match="expected 337 parameters, got 65") as err:
        big.load_state_dict(small.state_dict())
    # 337 - 65 = 272 missing (layer 1's neuron 0 exists in both): 5 shown, 267 more
    assert "and 267 more" in str(err.value)


def test_load_state_dict_non_strict_loads_what_matches():
    model = MLP(2, [3, 1], seed=0)
    w = model.layers[0].neurons[0].w[0]
    result = model.load_state_dict({"layers.0.neurons.0.w.0": 0.25, "extra": 1.0}, strict=False)
    assert w.data == 0.25
    assert result.unexpected_keys == ["extra"]
    assert len(result.missing_keys) == 12 and "layers.0.neurons.0.w.0" not in result.missing_keys


@pytest.mark.parametrize("bad", ["0.5", None, True, [1.0]])
def test_load_state_dict_rejects_non_numbers_and_changes_nothing(bad):
    model = MLP(1, [2], seed=0)
    before = model.state_dict()
    sd = dict(before)
    sd["layers.0.neurons.0.w.0"] = 0.0  # would be written first...
    sd["layers.0.neurons.1.w.0"] = bad  # ...but this one is bad
    with pytest.raises(TypeError, match="'layers.0.neurons.1.w.0' must be a real number"):
        model.load_state_dict(sd)
    assert model.state_dict() == before


def test_load_state_dict_value_hint_and_type():
    model = MLP(1, [1], seed=0)
    with pytest.raises(TypeError, match=r"use \.data"):
        model.load_state_dict({"layers.0.neurons.0.w.0": Value(1.0), "layers.0.neurons.0.b": 0.0})
    with pytest.raises(TypeError, match="expected a dict of name -> float"):
        model.load_state_dict([("layers.0.neurons.0.w.0", 1.0)])
    model.load_state_dict({"layers.0.neurons.0.w.0": 3, "layers.0.neurons.0.b": 0})
    assert type(model.layers[0].neurons[0].w[0].data) is float


def test_softmax_is_reexported_from_functional():
    assert nn.softmax is functional.softmax
    assert nn.log_softmax is functional.log_softmax
    assert {"softmax", "log_softmax"} <= set(nn.__all__)


# --- repr, config ------------------------------------------------------------


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: MLP(2, [16, 16, 1]), "MLP(2 -> [16 relu, 16 relu, 1 linear])"),
        (lambda: MLP(3, [4, 2], activation="tanh", output_activation="sigmoid"),
         "MLP(3 -> [4 tanh, 2 sigmoid])"),
        (lambda: MLP(2, [3, 3, 1], activation=["leaky_relu", "linear"]),
         "MLP(2 -> [3 leaky_relu, 3 linear, 1 linear])"),
        (lambda: Layer(3, 4), "Layer(3 -> 4, relu)"),
        (lambda: Layer(3, 1, nonlin=False), "Layer(3 -> 1, linear)"),
        (lambda: Neuron(3), "Neuron(3, relu)"),
        (lambda: Neuron(2, activation="leaky_relu"), "Neuron(2, leaky_relu)"),
        (lambda: Neuron(2, nonlin=False), "Neuron(2, linear)"),
    ],
)
def test_repr(make, expected):
    model = make()
    assert repr(model) == expected
    assert repr(type(model)(**model.get_config())) == expected  # the config rebuilds it


def test_base_module():
    assert repr(Module()) == "Module()"
    assert Module().parameters() == [] and Module().get_config() is None
    with pytest.raises(NotImplementedError, match=r"Module must define forward\(self, x\).*or __call__"):
        Module()(1.0)


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "make, exc, fragment",
    [
        (lambda: MLP(0, [1]), ValueError, "MLP: nin must be a positive int, got 0"),
        (lambda: MLP(2.0, [1]), TypeError, "MLP: nin must be an int, got float 2.0"),
        (lambda: MLP(True, [1]), TypeError, "nin must be an int, got bool"),
        (lambda: MLP(2, []), TypeError, "nouts must be a non-empty list of layer sizes"),
        (lambda: MLP(2, 3), TypeError, "nouts must be a non-empty list"),
        (lambda: MLP(2, "16"), TypeError, "nouts must be a non-empty list"),
        (lambda: MLP(2, [4, 0]), ValueError, "every size in nouts must be a positive int, got 0"),
        (lambda: MLP(2, [4, "1"]), TypeError, "every size in nouts must be an int, got str"),
        (lambda: MLP(2, [4, 1], activation="gelu"), ValueError,
         f"MLP: unknown activation 'gelu'; choose one of {ACTIVATION_NAMES}"),
        (lambda: MLP(2, [4, 1], activation="ReLU"), ValueError, "unknown activation 'ReLU'"),
        # no hidden layer: the name was never used, so it went unchecked
        (lambda: MLP(2, [1], activation="gelu"), ValueError,
         f"MLP: unknown activation 'gelu'; choose one of {ACTIVATION_NAMES}"),
        (lambda: MLP(2, [4, 1], output_activation="softmax"), ValueError,
         "unknown activation 'softmax'"),
        (lambda: MLP(2, [4, 4, 1], activation=["tanh"]), ValueError,
         "activation lists 1 names but nouts=[4, 4, 1] has 2 hidden layers"),
        (lambda: MLP(2, [4, 1], activation=None), TypeError,
         "activation must be a name or a list of names"),
        (lambda: MLP(2, [4, 1], init="orthogonal"), ValueError,
         f"MLP: unknown init 'orthogonal'; choose one of {INIT_NAMES}"),
        (lambda: MLP(2, [4, 1], init="Glorot"), ValueError, "unknown init 'Glorot'"),
        (lambda: Layer(2, 4, init=None), ValueError, "Layer: unknown init None"),
        (lambda: Neuron(2, init="normal"), ValueError, f"Neuron: unknown init 'normal'; choose one of {INIT_NAMES}"),
        (lambda: MLP(2, [4, 1], seed=1, rng=random.Random(1)), ValueError,
         "MLP: pass seed= or rng=, not both"),
        (lambda: MLP(2, [4, 1], seed=1.5), TypeError, "MLP: seed must be an int, got float 1.5"),
        (lambda: MLP(2, [4, 1], rng=42), TypeError, "MLP: rng must be a random.Random, got int"),
        (lambda: Layer(3, 0), ValueError, "Layer: nout must be a positive int, got 0"),
        (lambda: Layer(0, 3), ValueError, "Layer: nin must be a positive int, got 0"),
        (lambda: Layer(3, 2, activation="swish"), ValueError,
         f"Layer: unknown activation 'swish'; choose one of {ACTIVATION_NAMES}"),
        (lambda: Neuron(-1), ValueError, "Neuron: nin must be a positive int, got -1"),
        (lambda: Neuron(3, nonlin="yes"), TypeError, "Neuron: nonlin must be True or False"),
        (lambda: Neuron(3, nonlin=False, activation="tanh"), ValueError,
         "nonlin=False (no activation) contradicts activation='tanh'"),
    ],
)
def test_bad_constructor_arguments(make, exc, fragment):
    with pytest.raises(exc) as err:
        make()
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    "model, x, exc, fragment",
    [
        (MLP(2, [3, 1], seed=0), [1.0], ValueError,
         "MLP(2 -> [3 relu, 1 linear]): expected 2 inputs, got 1"),
        (MLP(2, [3, 1], seed=0), [1.0, 2.0, 3.0], ValueError, "expected 2 inputs, got 3"),
        (MLP(2, [3, 1], seed=0), [1.0, "a"], TypeError,
         "input 1 must be a number or a Value, got str 'a'"),
        (MLP(2, [3, 1], seed=0), [[[1.0, 2.0], [3.0, 4.0]]], TypeError,  # a batch of batches
         "a batch is a list of samples, each a list of numbers: model(X)"),
        (MLP(2, [3, 1], seed=0), None, TypeError,
         "expected one sample (a list of 2 numbers or Values), got NoneType"),
        # each of these iterates (bytes as ints, a dict's keys, a set in hash
        # order) into two numbers, which used to give an output silently
        (MLP(2, [3, 1], seed=0), b"ab", TypeError,
         "expected one sample (a list of 2 numbers or Values), got bytes b'ab'; pass the numbers as a list"),
        (MLP(2, [3, 1], seed=0), {1.0: 0, 2.0: 0}, TypeError, "got dict {1.0: 0, 2.0: 0}; pass the numbers"),
        (MLP(2, [3, 1], seed=0), {1.0, 2.0}, TypeError, "got set {1.0, 2.0}; pass the numbers"),
        (Neuron(2, seed=0), frozenset({1.0, 2.0}), TypeError, "got frozenset"),
        (Layer(2, 3, seed=0), "ab", TypeError, "got str 'ab'; pass the numbers as a list"),
        (Layer(2, 3, seed=0), [1.0, 2.0, 3.0], ValueError, "Layer(2 -> 3, relu): expected 2 inputs"),
        (Neuron(2, seed=0), [1.0], ValueError, "Neuron(2, relu): expected 2 inputs, got 1"),
        (Neuron(2, seed=0), 5.0, ValueError, "expected 2 inputs, got 1"),
    ],
)
def test_bad_call_arguments(model, x, exc, fragment):
    with pytest.raises(exc) as err:
        model(x)
    assert fragment in str(err.value)


# --- slots, and the layer's fast path ------------------------------------------


def test_neuron_layer_mlp_keep_their_attributes_in_slots():
    model = MLP(2, [3, 1], seed=0)
    for obj in (model, model.layers[0], model.layers[0].neurons[0]):
        assert not hasattr(obj, "__dict__")
    with pytest.raises(AttributeError):
        model.layers[0].neurons[0].typo = 1.0
    clone = copy.deepcopy(model)
    assert [p.data for p in clone.parameters()] == [p.data for p in model.parameters()]
    again = pickle.loads(pickle.dumps(model))
    assert again.state_dict() == model.state_dict()
    assert weakref.ref(model)() is model  # as before the slots


def test_a_user_module_still_has_a_dict_and_a_weakref():
    class Affine(Module):
        def __init__(self):
            self.a = Value(2.0)

    m = Affine()
    m.extra = 1.0
    assert vars(m)["extra"] == 1.0 and weakref.ref(m)() is m


def test_a_subclass_can_add_attributes_and_they_are_parameters_after_the_slots():
    class Scaled(MLP):
        def __init__(self):
            super().__init__(2, [2, 1], seed=0)
            self.scale = Value(3.0)
            self._cache = Value(9.0)  # private: not a parameter

        def __call__(self, x):
            return super().__call__(x) * self.scale

    model = Scaled()
    names = [n for n, _ in model.named_parameters()]
    assert names[-1] == "scale" and names[0] == "layers.0.neurons.0.w.0"
    assert len(names) == 2 * 3 + 3 + 1
    assert model.parameters()[-1] is model.scale


def test_a_layer_with_mixed_activations_runs_each_neuron_its_own_way():
    layer = Layer(2, 3, activation="relu", seed=0)
    layer.neurons[1].activation = "tanh"  # no longer one activation for all
    out = layer([0.3, -0.7])
    for n, o in zip(layer.neurons, out):
        assert o.data == n([0.3, -0.7]).data


def test_layer_output_equals_one_neuron_call_each():
    layer = Layer(4, 5, activation="tanh", seed=3)
    x = [0.1, -0.2, 0.3, -0.4]
    assert [o.data for o in layer(x)] == [n(x).data for n in layer.neurons]


@pytest.mark.parametrize("kwargs, text", [
    (dict(init="normal"), "Layer: unknown init 'normal'"),
    (dict(activation="gelu"), "Layer: unknown activation 'gelu'"),
    (dict(nonlin=False, activation="tanh"), "Layer: nonlin=False"),
])
def test_layer_errors_name_the_layer(kwargs, text):
    with pytest.raises(ValueError, match=re.escape(text)):
        Layer(2, 3, **kwargs)

"""Tests for micrograd_like.torch_bridge: MLP <-> torch.nn.Sequential.

Oracle: PyTorch in float64 (outputs and gradients of the converted model
must equal ours), plus structure checks derived by hand.
"""

import random
import subprocess
import sys

import pytest

from micrograd_like.engine import Value
from micrograd_like.nn import MLP, Layer
from micrograd_like.torch_bridge import from_torch, to_torch

CASES = [
    (2, [16, 16, 1], "relu", "linear"),
    (3, [4, 2], "tanh", "sigmoid"),
    (2, [5, 3, 2], ["leaky_relu", "sigmoid"], "tanh"),
    (1, [1], "relu", "linear"),
    (2, [16, 1, 1], "relu", "relu"),
    (4, [3, 3, 3], ["linear", "tanh"], "leaky_relu"),
]


def linears(torch, seq):
    return [m for m in seq if isinstance(m, torch.nn.Linear)]


def sample_inputs(nin, count, seed):
    rng = random.Random(seed)
    return [[rng.uniform(-2.0, 2.0) for _ in range(nin)] for _ in range(count)]


@pytest.mark.parametrize("nin, nouts, activation, output_activation", CASES)
def test_to_torch_same_outputs_and_gradients(torch, nin, nouts, activation, output_activation):
    model = MLP(nin, nouts, activation=activation, output_activation=output_activation, seed=3)
    seq = to_torch(model)
    for x in sample_inputs(nin, 4, 1):
        model.zero_grad()
        seq.zero_grad()
        out = model(x)
        outs = out if isinstance(out, list) else [out]
        total = outs[0]
        for o in outs[1:]:
            total = total + o
        total.backward()
        t_out = seq(torch.tensor(x, dtype=torch.float64))
        t_out.sum().backward()

        assert [o.data for o in outs] == pytest.approx(t_out.tolist(), abs=1e-12, rel=1e-12)
        for layer, lin in zip(model.layers, linears(torch, seq)):
            for n, w_row, b in zip(layer.neurons, lin.weight.grad.tolist(), lin.bias.grad.tolist()):
                assert [w.grad for w in n.w] == pytest.approx(w_row, abs=1e-12, rel=1e-12)
                assert n.b.grad == pytest.approx(b, abs=1e-12, rel=1e-12)


def test_to_torch_structure_and_exact_weights(torch):
    model = MLP(2, [3, 3, 1], activation=["tanh", "leaky_relu"], seed=0)
    seq = to_torch(model)
    assert isinstance(seq, torch.nn.Sequential)
    assert [type(m).__name__ for m in seq] == ["Linear", "Tanh", "Linear", "LeakyReLU", "Linear"]
    assert seq[3].negative_slope == 0.01
    for layer, lin in zip(model.layers, linears(torch, seq)):
        assert (lin.in_features, lin.out_features) == (layer.nin, layer.nout)
        assert lin.weight.dtype == torch.float64 and lin.bias.dtype == torch.float64
        # row j of the weight matrix is neuron j's weights, bit for bit
        assert lin.weight.tolist() == [[w.data for w in n.w] for n in layer.neurons]
        assert lin.bias.tolist() == [n.b.data for n in layer.neurons]


def test_to_torch_is_exact_under_torchs_float32_default(torch):
    model = MLP(2, [4, 1], seed=0)
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    try:
        seq = to_torch(model)
    finally:
        torch.set_default_dtype(old)
    assert seq[0].weight.dtype == torch.float64
    assert seq[0].weight.tolist() == [[w.data for w in n.w] for n in model.layers[0].neurons]


def test_to_torch_copies_and_keeps_torchs_random_state(torch):
    model = MLP(2, [4, 1], seed=0)
    before = model.state_dict()
    state = torch.get_rng_state()
    seq = to_torch(model)
    assert torch.equal(torch.get_rng_state(), state)  # no random init happened
    with torch.no_grad():
        seq[0].weight.fill_(7.0)
    assert model.state_dict() == before  # weights were copied, not shared


def test_single_output_is_a_value_here_and_a_tensor_there(torch):
    model = MLP(2, [3, 1], seed=0)
    seq = to_torch(model)
    assert isinstance(model([0.5, 1.0]), Value)
    assert seq(torch.tensor([0.5, 1.0], dtype=torch.float64)).shape == (1,)
    assert seq(torch.zeros(5, 2, dtype=torch.float64)).shape == (5, 1)  # a batch


def make_seq(torch):
    torch.manual_seed(0)
    nn = torch.nn
    return nn.Sequential(
        nn.Linear(3, 5), nn.Tanh(), nn.Identity(),
        nn.Linear(5, 4), nn.LeakyReLU(),
        nn.Linear(4, 4),  # no activation: a linear layer
        nn.Linear(4, 2), nn.Sigmoid(),
    ).double()


def test_from_torch_same_function(torch):
    seq = make_seq(torch)
    model = from_torch(seq)
    assert repr(model) == "MLP(3 -> [5 tanh, 4 leaky_relu, 4 linear, 2 sigmoid])"
    for x in sample_inputs(3, 5, 2):
        expected = seq(torch.tensor(x, dtype=torch.float64)).tolist()
        assert [o.data for o in model(x)] == pytest.approx(expected, abs=1e-12, rel=1e-12)


def test_from_torch_float32_weights_are_read_exactly(torch):
    torch.manual_seed(1)
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3, dtype=torch.float32), torch.nn.ReLU())
    model = from_torch(seq)
    assert [w.data for w in model.layers[0].neurons[2].w] == seq[0].weight[2].double().tolist()


def test_round_trips_are_exact(torch):
    model = MLP(3, [6, 4, 2], activation=["sigmoid", "tanh"], output_activation="relu", seed=4)
    back = from_torch(to_torch(model))
    assert back.get_config() == model.get_config()
    assert back.state_dict() == model.state_dict()

    seq = make_seq(torch)
    again = to_torch(from_torch(seq))
    assert [type(m).__name__ for m in again] == [
        "Linear", "Tanh", "Linear", "LeakyReLU", "Linear", "Linear", "Sigmoid"
    ]
    for a, b in zip(linears(torch, seq), linears(torch, again)):
        assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)


def test_from_torch_keeps_the_global_random_state(torch):
    seq = make_seq(torch)
    state = random.getstate()
    from_torch(seq)
    assert random.getstate() == state


@pytest.mark.parametrize(
    "build, fragment",
    [
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5)),
         "module 1 (Dropout(p=0.5, inplace=False)) is not supported; supported: Linear"),
        (lambda nn: nn.Sequential(nn.Conv1d(1, 1, 3)), "module 0 (Conv1d("),
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=0)), "Softmax"),
        (lambda nn: nn.Sequential(nn.Sequential(nn.Linear(2, 3))), "module 0 (Sequential("),
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.2)),
         "only negative_slope=0.01 (the default) is"),
        (lambda nn: nn.Sequential(nn.Linear(2, 3, bias=False)), "has no bias"),
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)),
         "module 1 (Linear(in_features=4, out_features=1, bias=True)) takes 4 inputs, "
         "but the Linear before it gives 3"),
        (lambda nn: nn.Sequential(), "has no Linear layer"),
        (lambda nn: nn.Sequential(nn.ReLU(), nn.Linear(2, 1)), "module 0 (ReLU()) comes before any Linear"),
        (lambda nn: nn.Sequential(nn.Linear(2, 1), nn.ReLU(), nn.Tanh()),
         "module 2 (Tanh()) comes right after another activation"),
    ],
)
def test_from_torch_rejects_what_an_mlp_cannot_be(torch, build, fragment):
    with pytest.raises(ValueError) as err:
        from_torch(build(torch.nn))
    assert fragment in str(err.value)


def test_bad_argument_types(torch):
    with pytest.raises(TypeError, match="from_torch: expected a torch.nn.Sequential, got Linear"):
        from_torch(torch.nn.Linear(2, 1))
    with pytest.raises(TypeError, match="to_torch: expected an MLP, got Layer"):
        to_torch(Layer(2, 3, seed=0))


def test_mixed_activations_in_one_layer_are_refused(torch):
    model = MLP(2, [3, 1], seed=0)
    model.layers[0].neurons[1].activation = "tanh"
    with pytest.raises(ValueError, match=r"layer 0 use different activations \['relu', 'tanh'\]"):
        to_torch(model)


def test_missing_torch_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(ImportError, match="pip install torch"):
        to_torch(MLP(2, [3, 1], seed=0))
    with pytest.raises(ImportError, match="pip install torch"):
        from_torch(None)


def test_importing_the_package_does_not_import_torch():
    code = (
        "import sys, micrograd_like.nn, micrograd_like.torch_bridge; "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""torch.nn.Module's habits on micrograd_like's Module: forward, train/eval, the module tree, apply.

Oracle: torch.nn.Module itself, built with the same structure (a Sequential
of Linear layers stands for an MLP), and the order torch documents.
"""

import pytest

from micrograd_like import Value
from micrograd_like.module import Module
from micrograd_like.nn import MLP, Layer, Neuron


class Affine(Module):
    """A torch-style module: parameters as attributes, the computation in forward."""

    def __init__(self):
        self.w = Value(2.0)
        self.b = Value(1.0)

    def forward(self, x):
        return self.w * x + self.b


class Net(Module):
    def __init__(self):
        self.first = Affine()
        self.rest = [Affine(), Affine()]

    def forward(self, x):
        for m in [self.first, *self.rest]:
            x = m(x)
        return x


def test_calling_a_module_runs_forward():
    y = Affine()(3.0)
    assert y.data == 7.0  # 2 * 3 + 1
    y.backward()
    out = Net()(1.0)
    assert out.data == 15.0  # 1 -> 3 -> 7 -> 15


def test_a_module_without_forward_says_what_to_define():
    class Empty(Module):
        pass

    with pytest.raises(NotImplementedError, match=r"Empty must define forward\(self, x\)"):
        Empty()(1.0)


def test_train_and_eval_set_the_flag_everywhere(torch):
    ours = MLP(2, [3, 1], seed=0)
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    assert ours.training is theirs.training is True
    assert ours.eval() is ours and theirs.eval() is theirs
    assert all(not m.training for m in ours.modules()) and not any(m.training for m in theirs.modules())
    ours.train()
    theirs.train()
    assert all(m.training for m in ours.modules()) and all(m.training for m in theirs.modules())
    assert ours.train(False).training is False
    with pytest.raises(TypeError, match="MLP.train: mode must be True or False"):
        ours.train("yes")


def test_training_mode_changes_no_number():
    model = MLP(2, [4, 1], seed=0)
    x = [0.5, -1.0]
    before = model(x).data
    assert model.eval()(x).data == before


def test_the_module_tree_is_found_as_parameters_are():
    model = MLP(2, [3, 1], seed=0)
    assert [n for n, _ in model.named_children()] == ["layers.0", "layers.1"]
    assert model.children() == model.layers
    names = [n for n, _ in model.named_modules()]
    assert names[:3] == ["", "layers.0", "layers.0.neurons.0"]
    assert len(names) == 1 + 2 + 3 + 1  # the MLP, two layers, four neurons
    # every parameter name starts with the name of a module that holds it
    for pname, _ in model.named_parameters():
        assert pname.rsplit(".", 2)[0] in names or pname.rsplit(".", 1)[0] in names


def test_named_modules_lists_a_shared_module_once(torch):
    shared = Affine()

    class Twice(Module):
        def __init__(self):
            self.a, self.b = shared, shared

    ours = [n for n, _ in Twice().named_modules()]
    tshared = torch.nn.Linear(1, 1)
    tw = torch.nn.Module()
    tw.a, tw.b = tshared, tshared
    assert ours == [n for n, _ in tw.named_modules()] == ["", "a"]


def test_apply_visits_children_before_parents_in_torchs_order(torch):
    net = Net()
    seen = []
    assert net.apply(lambda m: seen.append(m)) is net
    assert seen == [net.first, net.rest[0], net.rest[1], net]
    # torch's order on the same shape
    t = torch.nn.Module()
    t.first, t.r0, t.r1 = torch.nn.Linear(1, 1), torch.nn.Linear(1, 1), torch.nn.Linear(1, 1)
    tseen = []
    t.apply(lambda m: tseen.append(m))
    assert tseen == [t.first, t.r0, t.r1, t]


def test_apply_can_initialise_weights():
    model = MLP(2, [3, 1], seed=0)

    def zero_biases(m):
        if isinstance(m, Neuron):
            m.b.data = 0.25

    model.apply(zero_biases)
    assert [n.b.data for layer in model.layers for n in layer.neurons] == [0.25] * 4
    with pytest.raises(TypeError, match="MLP.apply: fn must be a function"):
        model.apply(3)


def test_zero_grad_takes_set_to_none_as_torch():
    model = Layer(2, 2, seed=0)
    model([1.0, 2.0])[0].backward()
    model.zero_grad(set_to_none=True)
    assert all(p.grad == 0.0 for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(p.grad == 0.0 for p in model.parameters())


def test_a_deep_module_chain_needs_no_recursion():
    class Link(Module):
        def __init__(self, inner):
            self.inner = inner
            self.w = Value(1.0)

    m = Affine()
    for _ in range(20_000):
        m = Link(m)
    assert len(m.modules()) == 20_001
    assert len(m.parameters()) == 20_002
    count = []
    m.eval().apply(lambda mod: count.append(mod.training))
    assert len(count) == 20_001 and not any(count)


def test_optimizer_zero_grad_takes_set_to_none_as_torch(torch):
    from micrograd_like.optim import SGD

    w = Value(1.0)
    opt = SGD([w], lr=0.1)
    (w * w).backward()
    opt.zero_grad(set_to_none=True)
    assert w.grad == 0.0
    tw = torch.tensor(1.0, requires_grad=True)
    topt = torch.optim.SGD([tw], lr=0.1)
    (tw * tw).backward()
    topt.zero_grad(set_to_none=False)  # the same call is valid for both
    opt.zero_grad(set_to_none=False)
    assert tw.grad.item() == w.grad == 0.0


@pytest.mark.parametrize("mode", [True, False])
def test_set_grad_enabled_as_torch(torch, mode):
    from micrograd_like import is_grad_enabled, set_grad_enabled

    # a with block: switched inside, restored after (torch alike)
    with set_grad_enabled(mode), torch.set_grad_enabled(mode):
        y = Value(2.0) * 3
        assert is_grad_enabled() is mode is torch.is_grad_enabled()
    assert bool(y._prev) is mode
    assert is_grad_enabled() and torch.is_grad_enabled()
    # a plain call switches at once, until switched back
    set_grad_enabled(mode), torch.set_grad_enabled(mode)
    assert is_grad_enabled() is mode is torch.is_grad_enabled()
    set_grad_enabled(True), torch.set_grad_enabled(True)

    # a decorator: only inside the function
    @set_grad_enabled(mode)
    def f():
        return is_grad_enabled()

    assert f() is mode and is_grad_enabled()


def test_set_grad_enabled_wants_a_bool():
    from micrograd_like import set_grad_enabled

    with pytest.raises(TypeError, match="set_grad_enabled: mode must be True"):
        set_grad_enabled("off")


def test_value_item_as_tensor_item(torch):
    assert Value(2.5).item() == torch.tensor(2.5).item() == 2.5
    assert type(Value(3).item()) is float

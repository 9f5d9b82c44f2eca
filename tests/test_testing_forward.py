"""Forward mode (dual numbers) and the torch.autograd.functional helpers, against PyTorch in float64.

The oracles are ``torch.func.jvp`` and ``torch.autograd.functional``
(``jacobian``, ``hessian``, ``vjp``, ``hvp``), and derivatives taken by hand.
"""

import math

import pytest

import micrograd_like.engine as engine
from micrograd_like import Value, linear
from micrograd_like import sum as value_sum
from micrograd_like.testing import Dual, hessian, hvp, jacobian, jvp, vjp

# (name, function of Values, the same function of torch tensors, a point)
OPS = [
    ("+", lambda x, y: x + y, lambda x, y: x + y, [0.3, -1.2]),
    ("-", lambda x, y: x - y, lambda x, y: x - y, [0.3, -1.2]),
    ("*", lambda x, y: x * y, lambda x, y: x * y, [0.3, -1.2]),
    ("/", lambda x, y: x / y, lambda x, y: x / y, [0.3, -1.2]),
    ("neg", lambda x: -x, lambda x: -x, [0.7]),
    ("** constant", lambda x: x**3, lambda x: x**3, [0.7]),
    ("** fractional", lambda x: x**0.5, lambda x: x**0.5, [0.7]),
    ("pow", lambda x, y: x**y, lambda x, y: x**y, [0.7, 1.3]),
    ("exp", lambda x: x.exp(), lambda x: x.exp(), [0.7]),
    ("log", lambda x: x.log(), lambda x: x.log(), [0.7]),
    ("sin", lambda x: x.sin(), lambda x: x.sin(), [0.7]),
    ("cos", lambda x: x.cos(), lambda x: x.cos(), [0.7]),
    ("tanh", lambda x: x.tanh(), lambda x: x.tanh(), [0.7]),
    ("sigmoid", lambda x: x.sigmoid(), lambda x: x.sigmoid(), [-0.7]),
    ("relu on", lambda x: x.relu(), lambda x: x.relu(), [0.7]),
    ("relu off", lambda x: x.relu(), lambda x: x.relu(), [-0.7]),
    ("leaky_relu", lambda x: x.leaky_relu(0.1), lambda x: x.clamp(min=0) + 0.1 * x.clamp(max=0), [-0.7]),
    ("abs", lambda x: abs(x), lambda x: x.abs(), [-0.7]),
    ("sum", lambda x, y: value_sum([x, y, x]), lambda x, y: x + y + x, [0.3, -1.2]),
    ("linear tanh", lambda x, y: linear([x, y], [y, 2.0], x, "tanh"),
     lambda x, y: (x * y + y * 2.0 + x).tanh(), [0.3, -1.2]),
    ("fan-out", lambda x: (x + x) * x, lambda x: (x + x) * x, [0.7]),
    ("sin(sin(x) + sin(x))", lambda x: (x.sin() + x.sin()).sin(),
     lambda x: (x.sin() + x.sin()).sin(), [0.7]),
]
IDS = [op[0] for op in OPS]


def _tensors(torch, point):
    return tuple(torch.tensor(p, dtype=torch.float64) for p in point)


@pytest.mark.parametrize("name, f, tf, point", OPS, ids=IDS)
def test_jvp_matches_torch_func_jvp(torch, name, f, tf, point):
    tangent = [0.5 + k for k in range(len(point))]  # a direction that is not an axis
    out, tangent_out = jvp(f, point, tangent)
    t_out, t_tangent = torch.func.jvp(tf, _tensors(torch, point), _tensors(torch, tangent))
    assert out == pytest.approx(t_out.item(), rel=1e-12)
    assert tangent_out == pytest.approx(t_tangent.item(), rel=1e-12, abs=1e-15)


def test_jvp_of_several_outputs(torch):
    f = lambda x, y: [x * y, (x - y).exp()]  # noqa: E731
    out, tangents = jvp(f, [0.5, 2.0], [1.0, -1.0])
    t_out, t_tan = torch.func.jvp(lambda x, y: torch.stack([x * y, (x - y).exp()]),
                                  _tensors(torch, [0.5, 2.0]), _tensors(torch, [1.0, -1.0]))
    assert out == pytest.approx(t_out.tolist(), rel=1e-12)
    assert tangents == pytest.approx(t_tan.tolist(), rel=1e-12)


def test_dual_numbers_by_hand():
    # d/dx [x sin x] = sin x + x cos x
    y = Dual(2.0, 1.0) * Dual(2.0, 1.0).sin()
    assert y.x == 2.0 * math.sin(2.0)
    assert y.t == pytest.approx(math.sin(2.0) + 2.0 * math.cos(2.0), rel=1e-15)
    assert Dual(0.0, 1.0).relu().t == 0.0 and Dual(0.0, 1.0).abs().t == 0.0  # torch's choice at 0


def test_forward_mode_does_not_use_the_reverse_rules(monkeypatch):
    # a wrong RULES entry leaves jvp right: it is an independent second AD
    monkeypatch.setitem(engine.RULES, "sin", lambda g, out, a: (-g * engine._cos(a),))
    assert jvp(lambda x: x.sin(), [0.5], [1.0])[1] == pytest.approx(math.cos(0.5), rel=1e-15)


def test_jvp_replays_micrograd_style_nodes():
    # a node made micrograd's way, with op '**2' or 'ReLU': forward mode knows the op
    def square(x):
        out = Value(x.data**2, (x,), "**2")
        out._backward = lambda: None
        return out

    assert jvp(lambda x: square(x) * 3.0, [1.5], [1.0]) == (6.75, 9.0)


def test_jvp_deep_graph_has_no_recursion():
    def f(x):
        for _ in range(20000):
            x = x * 1.0 + 0.0
        return x

    assert jvp(f, [2.0], [3.0]) == (2.0, 3.0)


# --- jacobian, hessian, vjp, hvp against torch.autograd.functional ---------------

FUNCTIONS = [
    ("one output", lambda x, y, z: (x * y).tanh() + z.exp() * x,
     lambda x, y, z: (x * y).tanh() + z.exp() * x),
    ("three outputs", lambda x, y, z: [x * y, y.sin() + z, (x - z) ** 2],
     lambda x, y, z: torch_stack([x * y, y.sin() + z, (x - z) ** 2])),
]
POINT = [0.4, -1.1, 0.7]


def torch_stack(ts):
    import torch

    return torch.stack(ts)


@pytest.mark.parametrize("name, f, tf", FUNCTIONS, ids=[c[0] for c in FUNCTIONS])
def test_jacobian_matches_torch(torch, name, f, tf):
    ours = jacobian(f, POINT)
    theirs = torch.autograd.functional.jacobian(tf, _tensors(torch, POINT))
    # torch gives one column per input; ours is shaped as torch's for one
    # 1-D input: n numbers for one output, m rows of n for m outputs
    expected = torch.stack(theirs, dim=-1).tolist()
    if name == "one output":
        assert ours == pytest.approx(expected, rel=1e-12)
    else:
        assert len(ours) == 3
        for row, want in zip(ours, expected):
            assert row == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_hessian_matches_torch(torch):
    f, tf = FUNCTIONS[0][1], FUNCTIONS[0][2]
    ours = hessian(f, POINT)
    theirs = torch.autograd.functional.hessian(tf, _tensors(torch, POINT))
    expected = [[theirs[i][j].item() for j in range(3)] for i in range(3)]
    for row, want in zip(ours, expected):
        assert row == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_vjp_and_hvp_match_torch(torch):
    f, tf = FUNCTIONS[1][1], FUNCTIONS[1][2]
    v = [1.0, -2.0, 0.5]
    out, ours = vjp(f, POINT, v)
    t_out, theirs = torch.autograd.functional.vjp(tf, _tensors(torch, POINT), torch.tensor(v))
    assert out == pytest.approx(t_out.tolist(), rel=1e-12)
    assert ours == pytest.approx([t.item() for t in theirs], rel=1e-12)

    g, tg = FUNCTIONS[0][1], FUNCTIONS[0][2]
    out, ours = hvp(g, POINT, v)
    t_out, theirs = torch.autograd.functional.hvp(tg, _tensors(torch, POINT), _tensors(torch, v))
    assert out == pytest.approx(t_out.item(), rel=1e-12)
    assert ours == pytest.approx([t.item() for t in theirs], rel=1e-12)


def test_helpers_by_hand():
    f = lambda x, y: x * x * y  # noqa: E731  grad (2xy, x^2), Hessian [[2y, 2x], [2x, 0]]
    assert jacobian(f, [3.0, 2.0]) == [12.0, 9.0]
    assert hessian(f, [3.0, 2.0]) == [[4.0, 6.0], [6.0, 0.0]]
    assert hvp(f, [3.0, 2.0], [1.0, 1.0]) == (18.0, [10.0, 6.0])
    assert vjp(f, [3.0, 2.0]) == (18.0, [12.0, 9.0])
    assert vjp(f, [3.0, 2.0], 2.0) == (18.0, [24.0, 18.0])
    assert jacobian(lambda x, y: x * 2.0, [3.0, 2.0]) == [2.0, 0.0]  # unused input: 0
    assert hessian(lambda x, y: x * 2.0, [3.0, 2.0]) == [[0.0, 0.0], [0.0, 0.0]]


# --- bad input ----------------------------------------------------------------

@pytest.mark.parametrize("v, err, pattern", [
    ([1.0], ValueError, r"jvp: v has 1 entries but there are 2 inputs; pass one tangent per input"),
    ([1.0, 2.0, 3.0], ValueError, "v has 3 entries but there are 2 inputs"),
    ([1.0, math.nan], ValueError, r"jvp: v\[1\] is nan; tangents must be finite"),
    ([1.0, "2"], TypeError, r"jvp: v\[1\] must be a number, got str '2'"),
    ("ab", TypeError, "jvp: v must be a list of 2 number"),
])
def test_jvp_bad_tangents(v, err, pattern):
    with pytest.raises(err, match=pattern):
        jvp(lambda x, y: x * y, [1.0, 2.0], v)


@pytest.mark.parametrize("helper, args", [
    (jvp, ([1.0],)), (jacobian, ()), (vjp, ()), (hvp, ([1.0],)), (hessian, ()),
])
def test_helpers_say_fn_must_return_values(helper, args):
    name = helper.__name__
    with pytest.raises(TypeError, match=f"{name}: fn must return .*Value.*got float 2.0"):
        helper(lambda x: 2.0, [1.0], *args)


@pytest.mark.parametrize("helper, args", [
    (jvp, ([1.0],)), (jacobian, ()), (vjp, ()), (hvp, ([1.0],)), (hessian, ()),
])
def test_helpers_check_their_inputs(helper, args):
    name = helper.__name__
    with pytest.raises(ValueError, match=f"{name}: input 0 is inf; gradients can only be checked at finite points"):
        helper(lambda x: x, [math.inf], *args)
    with pytest.raises(TypeError, match=rf"{name}: fn\(x, y\) cannot be called with 1 input"):
        helper(lambda x, y: x, [1.0], *args)


def test_hessian_and_hvp_need_one_output():
    with pytest.raises(TypeError, match="hessian: fn must return one Value"):
        hessian(lambda x: [x, x], [1.0])
    with pytest.raises(TypeError, match="hvp: fn must return one Value"):
        hvp(lambda x: [x, x], [1.0], [1.0])


def test_vjp_needs_one_weight_per_output():
    with pytest.raises(ValueError, match="vjp: v has 1 entries but there are 2"):
        vjp(lambda x: [x, x * x], [1.0], [1.0])


def test_jvp_names_an_op_it_cannot_replay():
    out = lambda x: Value(x.data * 2, (x,), "double")  # noqa: E731  no closure, no rule
    with pytest.raises(ValueError, match="jvp: node .* has op 'double', which has no forward-mode rule"):
        jvp(out, [1.0], [1.0])

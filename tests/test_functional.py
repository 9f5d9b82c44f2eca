"""micrograd_like.functional against torch.nn.functional (float64).

Every function is checked for its values and for the gradients that
backward() gives, on seeded random inputs and on extremes (logits of +-1000).
"""

import math
import random

import pytest

import micrograd_like.functional as F
from micrograd_like import Value, dot, grad

TOL = 1e-12  # relative for big numbers, absolute below 1


def assert_close(ours, theirs, tol=TOL):
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        ok = a == b or abs(a - b) <= tol * max(1.0, abs(b))
        assert ok, f"element {i}: ours {a!r}, torch {b!r}\nours  {ours}\ntorch {theirs}"


def random_vector(seed, n, scale):
    rng = random.Random(seed)
    return [rng.uniform(-scale, scale) for _ in range(n)]


# --- softmax, log_softmax, logsumexp -------------------------------------------

LIST_FNS = {
    "softmax": (F.softmax, lambda torch, x: torch.softmax(x, 0)),
    "log_softmax": (F.log_softmax, lambda torch, x: torch.log_softmax(x, 0)),
}

EXTREMES = [
    [1000.0, -1000.0, 0.0],
    [1000.0, 1000.0],
    [-1000.0, -1000.0, -999.0],
    [1000.0, 999.0, 998.5],
    [700.0, -745.0, 0.0, 1e-300],
    [5.0],
    [0.0, -math.inf, 1.0],  # -inf as a mask
]


def ours_list(f, data, weights):
    xs = [Value(d) for d in data]
    ys = f(xs)
    dot(weights, ys).backward()  # a random weighted sum tests the full Jacobian
    return [y.data for y in ys], [x.grad for x in xs]


def torch_list(torch, f, data, weights):
    x = torch.tensor(data, requires_grad=True)
    y = f(torch, x)
    (y * torch.tensor(weights)).sum().backward()
    return y.tolist(), x.grad.tolist()


@pytest.mark.parametrize("name", sorted(LIST_FNS))
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n,scale", [(1, 1.0), (2, 3.0), (5, 10.0), (8, 1000.0)])
def test_softmax_family_matches_torch_on_random_inputs(torch, name, seed, n, scale):
    data = random_vector(seed, n, scale)
    weights = random_vector(seed + 100, n, 1.0)
    ours, theirs = LIST_FNS[name][0], LIST_FNS[name][1]
    values, grads = ours_list(ours, data, weights)
    t_values, t_grads = torch_list(torch, theirs, data, weights)
    assert_close(values, t_values)
    assert_close(grads, t_grads)


@pytest.mark.parametrize("name", sorted(LIST_FNS))
@pytest.mark.parametrize("data", EXTREMES)
def test_softmax_family_matches_torch_on_extremes(torch, name, data):
    weights = random_vector(7, len(data), 1.0)
    values, grads = ours_list(LIST_FNS[name][0], data, weights)
    t_values, t_grads = torch_list(torch, LIST_FNS[name][1], data, weights)
    assert_close(values, t_values)
    assert_close(grads, t_grads)


@pytest.mark.parametrize("data", EXTREMES + [random_vector(s, 6, 50.0) for s in range(3)])
def test_logsumexp_matches_torch(torch, data):
    xs = [Value(d) for d in data]
    out = F.logsumexp(xs)
    out.backward()
    x = torch.tensor(data, requires_grad=True)
    t_out = torch.logsumexp(x, 0)
    t_out.backward()
    assert_close([out.data], [t_out.item()])
    assert_close([v.grad for v in xs], x.grad.tolist())


def test_softmax_accepts_plain_numbers_and_returns_values():
    probs = F.softmax([0.0, math.log(3.0)])
    assert all(isinstance(p, Value) for p in probs)
    assert [p.data for p in probs] == pytest.approx([0.25, 0.75], rel=1e-15)


def test_softmax_graph_is_small():
    # n shifts + n exps + one fused sum + n divisions (+ the shared constant
    # and the n inputs): linear in n, not quadratic.
    from micrograd_like.engine import topological_order

    n = 50
    xs = [Value(float(i)) for i in range(n)]
    ys = F.softmax(xs)
    assert len(topological_order(dot([1.0] * n, ys))) < 6 * n


@pytest.mark.parametrize("seed", range(3))
def test_log_softmax_second_derivative_matches_torch(torch, seed):
    n = 4
    data, c, d = (random_vector(seed + k, n, 3.0) for k in (0, 10, 20))
    xs = [Value(v) for v in data]
    first = grad(dot(c, F.log_softmax(xs)), xs, create_graph=True)
    second = grad(dot(d, first), xs)

    x = torch.tensor(data, requires_grad=True)
    y = (torch.tensor(c) * torch.log_softmax(x, 0)).sum()
    (t_first,) = torch.autograd.grad(y, x, create_graph=True)
    (t_second,) = torch.autograd.grad((torch.tensor(d) * t_first).sum(), x)
    assert_close([g.data for g in first], t_first.tolist())
    assert_close(second, t_second.tolist())


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
@pytest.mark.parametrize(
    "bad,error,match",
    [
        ([], ValueError, "empty list"),
        ([-math.inf, -math.inf], ValueError, "every input is -inf"),
        (Value(1.0), TypeError, "wrap a single value in a list"),
        (3.0, TypeError, "wrap a single value in a list"),
        ([1.0, "2"], TypeError, r"element 1.*str"),
        (None, TypeError, "expected a list"),
    ],
)
def test_softmax_family_rejects_bad_input(name, bad, error, match):
    with pytest.raises(error, match=f"{name}.*{match}"):
        getattr(F, name)(bad)


# --- activations as functions ----------------------------------------------------

POINTS = [-1000.0, -30.0, -3.0, -1e-8, 0.0, 1e-8, 0.5, 3.0, 19.99, 20.01, 30.0, 1000.0]

ACTIVATIONS = {
    "relu": (F.relu, lambda tF, x: tF.relu(x)),
    "leaky_relu": (lambda v: F.leaky_relu(v, 0.1), lambda tF, x: tF.leaky_relu(x, 0.1)),
    "sigmoid": (F.sigmoid, lambda tF, x: tF.sigmoid(x)),
    "tanh": (F.tanh, lambda tF, x: tF.tanh(x)),
    "logsigmoid": (F.logsigmoid, lambda tF, x: tF.logsigmoid(x)),
    "softplus": (F.softplus, lambda tF, x: tF.softplus(x)),
    "softplus_beta": (
        lambda v: F.softplus(v, beta=0.5, threshold=5.0),
        lambda tF, x: tF.softplus(x, beta=0.5, threshold=5.0),
    ),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("x", POINTS)
def test_activation_matches_torch(torch, name, x):
    ours, theirs = ACTIVATIONS[name]
    v = Value(x)
    out = ours(v)
    out.backward()
    t = torch.tensor(x, requires_grad=True)
    t_out = theirs(torch.nn.functional, t)
    t_out.backward()
    assert_close([out.data, v.grad], [t_out.item(), t.grad.item()])


@pytest.mark.parametrize("x", [-1000.0, -2.0, 0.0, 1.5, 1000.0])
def test_logsigmoid_second_derivative_matches_torch(torch, x):
    v = Value(x)
    [d1] = grad(F.logsigmoid(v), [v], create_graph=True)
    [d2] = grad(d1, [v])
    t = torch.tensor(x, requires_grad=True)
    (t1,) = torch.autograd.grad(torch.nn.functional.logsigmoid(t), t, create_graph=True)
    (t2,) = torch.autograd.grad(t1, t)
    assert_close([d1.data, d2], [t1.item(), t2.item()])


def test_activation_maps_over_a_list():
    xs = [Value(-1.0), 2.0]
    out = F.relu(xs)
    assert isinstance(out, list) and [o.data for o in out] == [0.0, 2.0]
    assert isinstance(F.sigmoid(0), Value)


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"leaky_relu", "softplus_beta"}))
@pytest.mark.parametrize("bad", ["1.0", None, [Value(1.0), "x"]])
def test_activation_rejects_non_numbers(name, bad):
    with pytest.raises(TypeError, match=name):
        getattr(F, name)(bad)


def test_softplus_rejects_bad_beta():
    with pytest.raises(ValueError, match="softplus: beta=0"):
        F.softplus(1.0, beta=0)
    with pytest.raises(TypeError, match="softplus: beta must be a number"):
        F.softplus(1.0, beta="1")

"""Random expression graphs, built the same way in micrograd_like and torch.

Hypothesis draws a small *program*: a few leaf values and a list of ops,
each reading earlier results (so values are reused: fan-out, diamonds,
shared subexpressions). The program runs once on Values and once on torch
float64 tensors; output value and every leaf gradient must agree, and for
fewer examples the whole Hessian too. Every op is total on the reals
(log(x*x + 1), division by 1 + x*x, ...), and programs whose numbers grow
past 1e4 are discarded, so a mismatch is a real bug, not an overflow.
Failures print the program; ``derandomize=True`` makes every run the same.
"""

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import micrograd_like as mg
from micrograd_like import Value

REL = 1e-9


def same(f):
    return lambda T, c, *xs: f(c, *xs)


# name -> (number of inputs: an int, or "n" for 2..4, ours(c, *xs), torch(T, c, *xs))
# ``c`` is a drawn constant in [-2, 2]; most ops ignore it.
OPS = {
    "neg": (1, same(lambda c, x: -x)),
    "exp": (1, same(lambda c, x: x.exp())),
    "log(x*x+1)": (1, same(lambda c, x: (x * x + 1).log())),
    "sqrt(x*x+1)": (1, same(lambda c, x: (x * x + 1).sqrt())),
    "sin": (1, same(lambda c, x: x.sin())),
    "cos": (1, same(lambda c, x: x.cos())),
    "tanh": (1, same(lambda c, x: x.tanh())),
    "sigmoid": (1, same(lambda c, x: x.sigmoid())),
    "relu": (1, same(lambda c, x: x.relu())),
    "leaky_relu": (1, lambda T, c, x: T.nn.functional.leaky_relu(x, 0.1)),
    "abs": (1, same(lambda c, x: abs(x))),
    "x**2": (1, same(lambda c, x: x**2)),
    "x**3": (1, same(lambda c, x: x**3)),
    "(x*x+1)**-1.5": (1, same(lambda c, x: (x * x + 1) ** -1.5)),
    "2**x": (1, same(lambda c, x: 2**x)),
    "x+c": (1, same(lambda c, x: x + c)),
    "c-x": (1, same(lambda c, x: c - x)),
    "c*x": (1, same(lambda c, x: c * x)),
    "c/(1+x*x)": (1, same(lambda c, x: c / (1 + x * x))),
    "a+b": (2, same(lambda c, a, b: a + b)),
    "a-b": (2, same(lambda c, a, b: a - b)),
    "a*b": (2, same(lambda c, a, b: a * b)),
    "a/(1+b*b)": (2, same(lambda c, a, b: a / (1 + b * b))),
    "(1+a*a)**b": (2, same(lambda c, a, b: (1 + a * a) ** b)),
    "sum": ("n", lambda T, c, *xs: T.stack(xs).sum()),
    "dot": ("2n", lambda T, c, *xs: T.dot(T.stack(xs[: len(xs) // 2]), T.stack(xs[len(xs) // 2 :]))),
    "linear": ("2n+1", lambda T, c, *xs: _torch_linear(T, xs, None)),
    "linear tanh": ("2n+1", lambda T, c, *xs: _torch_linear(T, xs, "tanh")),
    "linear sigmoid": ("2n+1", lambda T, c, *xs: _torch_linear(T, xs, "sigmoid")),
    "linear relu": ("2n+1", lambda T, c, *xs: _torch_linear(T, xs, "relu")),
}


def _torch_linear(T, xs, act):
    n = len(xs) // 2
    z = T.nn.functional.linear(T.stack(xs[:n]), T.stack(xs[n : 2 * n]).unsqueeze(0), xs[-1].unsqueeze(0))[0]
    return z if act is None else getattr(T, act)(z)


# ours: the fused ones need micrograd_like's functions; the rest are spelled
# the same for Values and tensors (the T argument is unused then)
OURS = {name: (lambda f: (lambda c, *xs: f(None, c, *xs)))(f) for name, (_, f) in OPS.items()}
OURS["leaky_relu"] = lambda c, x: x.leaky_relu(0.1)
OURS["sum"] = lambda c, *xs: mg.sum(xs)
OURS["dot"] = lambda c, *xs: mg.dot(xs[: len(xs) // 2], xs[len(xs) // 2 :])
for _act in (None, "tanh", "sigmoid", "relu"):
    OURS["linear" if _act is None else f"linear {_act}"] = (
        lambda act: lambda c, *xs: mg.linear(xs[: len(xs) // 2], xs[len(xs) // 2 : -1], xs[-1], act)
    )(_act)

NAMES = sorted(OPS)


@st.composite
def programs(draw, max_ops=10):
    """(leaf values, [(op name, constant, input indices), ...])."""
    leaves = draw(st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=4))
    steps = []
    size = len(leaves)
    for _ in range(draw(st.integers(1, max_ops))):
        name = draw(st.sampled_from(NAMES))
        arity = OPS[name][0]
        if arity == "n":
            arity = draw(st.integers(2, 4))
        elif arity == "2n":
            arity = 2 * draw(st.integers(1, 3))
        elif arity == "2n+1":
            arity = 2 * draw(st.integers(1, 3)) + 1
        args = tuple(draw(st.lists(st.integers(0, size - 1), min_size=arity, max_size=arity)))
        c = draw(st.sampled_from([-2.0, -0.5, 0.0, 0.5, 1.5]))
        steps.append((name, c, args))
        size += 1
    return leaves, steps


def run(program, leaf, apply):
    """Run the program: make the leaves, apply each step; return leaves, all values."""
    values, steps = program
    xs = [leaf(v) for v in values]
    pool = list(xs)
    for name, c, args in steps:
        pool.append(apply(name, c, [pool[i] for i in args]))
    return xs, pool


def run_torch(T, program):
    xs, pool = run(program, lambda v: T.tensor(v, requires_grad=True), lambda n, c, a: OPS[n][1](T, c, *a))
    # discard programs whose numbers leave a sane range (exp of exp, ...)
    assume(all(math.isfinite(v.item()) and abs(v.item()) < 1e4 for v in pool))
    return xs, pool[-1]


def run_ours(program):
    return run(program, Value, lambda n, c, a: OURS[n](c, *a))


def torch_grads(T, y, xs, create_graph=False):
    gs = T.autograd.grad(y, xs, allow_unused=True, create_graph=create_graph)
    return [T.zeros(()) if g is None else g for g in gs]


def tolerance(*numbers):
    # rounding differs between libraries in the last bit; a sum of big terms
    # that cancels keeps that error in absolute terms
    return REL * max([1.0] + [abs(x) for x in numbers])


SETTINGS = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=300, **SETTINGS)
@given(program=programs())
def test_random_graphs_match_torch(torch, program):
    txs, ty = run_torch(torch, program)
    want_g = [g.item() for g in torch_grads(torch, ty, txs)]

    xs, pool = run_ours(program)
    y = pool[-1]
    assume(all(math.isfinite(v.data) for v in pool))  # never false once torch's are
    scale = tolerance(ty.item(), *want_g, *[v.data for v in pool])
    assert y.data == pytest.approx(ty.item(), rel=REL, abs=scale)

    by_grad = [0.0 if g is None else g for g in mg.grad(y, xs, allow_unused=True)]
    y.backward()
    assert by_grad == pytest.approx(want_g, rel=REL, abs=scale)
    assert [x.grad for x in xs] == pytest.approx(want_g, rel=REL, abs=scale)


@settings(max_examples=60, **SETTINGS)
@given(program=programs(max_ops=6))
def test_random_graphs_second_derivatives_match_torch(torch, program):
    txs, ty = run_torch(torch, program)
    first = torch_grads(torch, ty, txs, create_graph=True)
    want_h = []
    for g in first:
        if g.requires_grad:
            want_h.append([h.item() for h in torch_grads(torch, g, txs, create_graph=True)])
        else:
            want_h.append([0.0] * len(txs))

    xs, pool = run_ours(program)
    ours_first = mg.grad(pool[-1], xs, create_graph=True, allow_unused=True)
    hessian = []
    for g in ours_first:
        row = [None] * len(xs) if g is None else mg.grad(g, xs, allow_unused=True)
        hessian.append([0.0 if h is None else h for h in row])

    scale = tolerance(*[h for row in want_h for h in row], *[v.data for v in pool])
    assert [0.0 if g is None else g.data for g in ours_first] == pytest.approx(
        [g.item() for g in first], rel=REL, abs=scale
    )
    for row, want in zip(hessian, want_h):
        assert row == pytest.approx(want, rel=REL, abs=scale)

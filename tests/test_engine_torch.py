"""Every op against PyTorch in float64: value, gradient and second derivatives.

For each op and point, the value, the gradient (from ``backward()``, from
``grad()`` and from ``grad(create_graph=True)``) and the Hessian (from
``grad`` of the recorded gradient) must match ``torch.autograd`` to 1e-12
relative. At kinks (relu, abs, leaky_relu at 0) the subgradient must be
torch's choice. The FD oracle (``gradcheck``/``gradgradcheck``) runs on
every op too.
"""

import math
import re

import pytest

import micrograd_like as mg
from micrograd_like import Value
from micrograd_like.testing import gradcheck, gradgradcheck

REL = 1e-12  # float64 round-off, a few ulps amplified by the rule
ABS = 1e-12

GENERAL = [-2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 3.7]
NONZERO = [-2.5, -1.0, -0.3, 0.4, 1.0, 3.7]
POSITIVE = [0.05, 0.4, 1.0, 3.7, 20.0]


def same(f):
    """The op is spelled the same for a Value and a torch tensor."""
    return lambda T, *xs: f(*xs)


def leaky(slope):
    return lambda T, x: T.nn.functional.leaky_relu(x, slope)


# name, ours(*Values), torch(T, *tensors), points (each a tuple of inputs)
UNARY = [
    ("neg", lambda x: -x, GENERAL),
    ("exp", lambda x: x.exp(), GENERAL + [50.0]),
    ("log", lambda x: x.log(), POSITIVE),
    ("sqrt", lambda x: x.sqrt(), POSITIVE),
    ("sin", lambda x: x.sin(), GENERAL),
    ("cos", lambda x: x.cos(), GENERAL),
    ("tanh", lambda x: x.tanh(), GENERAL + [-20.0, 20.0]),
    ("sigmoid", lambda x: x.sigmoid(), GENERAL + [-30.0, 30.0]),
    ("relu", lambda x: x.relu(), GENERAL),
    ("abs", lambda x: abs(x), GENERAL),
    ("x ** 2", lambda x: x**2, GENERAL),
    ("x ** 3", lambda x: x**3, GENERAL),
    ("x ** -2", lambda x: x**-2, NONZERO),
    ("x ** 0.5", lambda x: x**0.5, POSITIVE),
    ("x ** -1.5", lambda x: x**-1.5, POSITIVE),
    ("x ** 1", lambda x: x**1, GENERAL),
    ("x ** 0", lambda x: x**0, GENERAL),
    ("x + 2.5", lambda x: x + 2.5, GENERAL),
    ("2.5 + x", lambda x: 2.5 + x, GENERAL),
    ("x - 2.5", lambda x: x - 2.5, GENERAL),
    ("2.5 - x", lambda x: 2.5 - x, GENERAL),
    ("x * 2.5", lambda x: x * 2.5, GENERAL),
    ("2.5 * x", lambda x: 2.5 * x, GENERAL),
    ("x / 2.5", lambda x: x / 2.5, GENERAL),
    ("2.5 / x", lambda x: 2.5 / x, NONZERO),
    ("2 ** x", lambda x: 2**x, GENERAL),
    ("0.5 ** x", lambda x: 0.5**x, GENERAL),
]
UNARY = [(name, f, same(f), pts) for name, f, pts in UNARY] + [
    ("leaky_relu", lambda x: x.leaky_relu(), leaky(0.01), GENERAL),
    ("leaky_relu(0.2)", lambda x: x.leaky_relu(0.2), leaky(0.2), GENERAL),
]

PAIRS = [(-2.5, 1.5), (-0.3, -1.0), (0.0, 0.7), (0.4, 0.0), (1.0, 3.7), (2.0, -0.5)]
POSITIVE_BASE = [(0.05, 2.0), (0.4, -1.3), (1.0, 0.5), (2.5, 3.0), (3.7, -0.2), (0.0, 2.0), (0.0, 3.0), (0.0, 0.0)]

BINARY = [
    ("a + b", lambda a, b: a + b, PAIRS),
    ("a - b", lambda a, b: a - b, PAIRS),
    ("a * b", lambda a, b: a * b, PAIRS),
    ("a / b", lambda a, b: a / b, [p for p in PAIRS if p[1] != 0] + [(0.0, -2.0)]),
    ("a ** b", lambda a, b: a**b, POSITIVE_BASE),
    ("a * a + b", lambda a, b: a * a + b, PAIRS),  # fan-out inside an op
]
BINARY = [(name, f, same(f), pts) for name, f, pts in BINARY]

X4 = [0.5, -1.25, 2.0, 0.75]
W4 = [-0.3, 0.8, 0.1, -1.1]
FUSED_POINTS = [X4 + W4 + [0.4], W4 + X4 + [-2.0], [1.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, -1.0]]


def torch_linear(act):
    def f(T, *v):
        z = T.nn.functional.linear(T.stack(v[:4]), T.stack(v[4:8]).unsqueeze(0), v[8].unsqueeze(0))[0]
        return z if act is None else getattr(T, act)(z)

    return f


FUSED = [
    ("sum", lambda *v: mg.sum(v), lambda T, *v: T.stack(v).sum()),
    # (0 * b keeps the same nine inputs as linear)
    ("dot", lambda *v: mg.dot(v[:4], v[4:8]) + 0 * v[8],
     lambda T, *v: T.dot(T.stack(v[:4]), T.stack(v[4:8])) + 0 * v[8]),
    ("linear", lambda *v: mg.linear(v[:4], v[4:8], v[8]), torch_linear(None)),
    ("linear tanh", lambda *v: mg.linear(v[:4], v[4:8], v[8], "tanh"), torch_linear("tanh")),
    ("linear sigmoid", lambda *v: mg.linear(v[:4], v[4:8], v[8], "sigmoid"), torch_linear("sigmoid")),
    ("linear relu", lambda *v: mg.linear(v[:4], v[4:8], v[8], "relu"), torch_linear("relu")),
]


def cases(table):
    out = []
    for name, ours, theirs, points in table:
        for p in points:
            p = p if isinstance(p, (tuple, list)) else (p,)
            out.append(pytest.param(ours, theirs, tuple(p), id=f"{name}@{','.join(map(str, p))}"))
    return out


ALL = cases(UNARY) + cases(BINARY) + cases([(n, o, t, FUSED_POINTS) for n, o, t in FUSED])


# --- the two sides ----------------------------------------------------------


def torch_derivatives(T, f, point):
    """Value, gradient and Hessian of f at point, by torch.autograd in float64."""
    xs = [T.tensor(float(p), requires_grad=True) for p in point]
    y = f(T, *xs)
    first = T.autograd.grad(y, xs, create_graph=True, allow_unused=True)
    hessian = []
    for g in first:
        if g is None or not g.requires_grad:  # a constant gradient
            hessian.append([0.0] * len(xs))
            continue
        row = T.autograd.grad(g, xs, retain_graph=True, allow_unused=True)
        hessian.append([0.0 if h is None else h.item() for h in row])
    return y.item(), [0.0 if g is None else g.item() for g in first], hessian


def our_gradients(f, point):
    """Value and gradient by micrograd_like, by backward() and by grad()."""
    xs = [Value(p) for p in point]
    y = f(*xs)
    y.backward()
    by_backward = [x.grad for x in xs]
    by_grad = [0.0 if g is None else g for g in mg.grad(y, xs, allow_unused=True)]
    return y.data, by_backward, by_grad


def our_second_derivatives(f, point):
    """The gradient recorded with create_graph=True, and the Hessian from it."""
    xs = [Value(p) for p in point]
    first = mg.grad(f(*xs), xs, create_graph=True, allow_unused=True)
    hessian = []
    for g in first:
        row = [None] * len(xs) if g is None else mg.grad(g, xs, allow_unused=True)
        hessian.append([0.0 if h is None else h for h in row])
    return [0.0 if g is None else g.data for g in first], hessian


def close(expected, rel=REL, abs_=ABS):
    return pytest.approx(expected, rel=rel, abs=abs_)


# --- the comparisons --------------------------------------------------------


@pytest.mark.parametrize("ours, theirs, point", ALL)
def test_value_and_gradient_match_torch(torch, ours, theirs, point):
    want_y, want_g, _ = torch_derivatives(torch, theirs, point)
    y, by_backward, by_grad = our_gradients(ours, point)
    assert y == close(want_y)
    assert by_backward == close(want_g), "backward()"
    assert by_grad == close(want_g), "grad()"


# torch's Hessian of a ** b at a = 0 has nan where the limit is 0 (it
# differentiates its own "0 where a == 0" mask); checked by hand below.
SECOND = [c for c in ALL if not (c.id.startswith("a ** b@0.0"))]


@pytest.mark.parametrize("ours, theirs, point", SECOND)
def test_second_derivatives_match_torch(torch, ours, theirs, point):
    _, want_g, want_h = torch_derivatives(torch, theirs, point)
    by_graph, hessian = our_second_derivatives(ours, point)
    assert by_graph == close(want_g), "grad(create_graph=True)"
    for i, row in enumerate(hessian):
        assert row == close(want_h[i]), f"row {i} of the Hessian"


@pytest.mark.parametrize("b, hessian", [(2.0, [[2.0, 0.0], [0.0, 0.0]]), (3.0, [[0.0, 0.0], [0.0, 0.0]])])
def test_power_with_base_zero_second_derivatives_by_hand(b, hessian):
    # a ** b at a = 0, b > 1: d/da = b a**(b-1) = 0, d/db = a**b log(a) -> 0,
    # d2/da2 = b (b-1) a**(b-2), and every term with log(a) has limit 0.
    first, got = our_second_derivatives(lambda a, e: a**e, (0.0, b))
    assert first == [0.0, 0.0]
    assert got == hessian


@pytest.mark.parametrize(
    "name, ours, theirs", [("relu", lambda x: x.relu(), same(lambda x: x.relu())),
                           ("abs", lambda x: abs(x), same(lambda x: abs(x))),
                           ("leaky_relu", lambda x: x.leaky_relu(0.3), leaky(0.3))]
)
def test_subgradient_at_zero_is_torchs(torch, name, ours, theirs):
    # Spelled out, although ALL covers it: 0 is where frameworks differ.
    _, (want,), _ = torch_derivatives(torch, theirs, (0.0,))
    x = Value(0.0)
    ours(x).backward()
    assert x.grad == want


def test_micrograd_readme_example_matches_torch(torch):
    def expression(a, b):
        c = a + b
        d = a * b + b**3
        c = c + (c + 1)  # c += c + 1
        c = c + (1 + c + (-a))
        d = d + (d * 2 + (b + a).relu())
        d = d + (3 * d + (b - a).relu())
        e = c - d
        f = e**2
        g = f / 2.0
        return g + 10.0 / f

    want_y, want_g, want_h = torch_derivatives(torch, same(expression), (-4.0, 2.0))
    y, by_backward, _ = our_gradients(expression, (-4.0, 2.0))
    _, hessian = our_second_derivatives(expression, (-4.0, 2.0))
    assert y == close(want_y)
    assert by_backward == close(want_g)
    assert hessian[0] == close(want_h[0]) and hessian[1] == close(want_h[1])


# --- the finite-difference oracle on every op -------------------------------


def smooth_points(name, points):
    # finite differences need the function smooth around the point
    kinks = ("relu", "abs", "leaky_relu")
    return [p for p in points if not (name.startswith(kinks) and p == 0.0)]


FD_CASES = [
    pytest.param(f, p, id=f"{name}@{p}")
    for name, f, _, points in UNARY
    for p in smooth_points(name, points)
] + [
    pytest.param(f, p, id=f"{name}@{p}")
    for name, f, _, points in BINARY
    for p in points
    if not (name == "a ** b" and p[0] == 0.0)  # a ** b is not defined left of a = 0
] + [pytest.param(f, p, id=f"{name}@{i}") for name, f, _ in FUSED for i, p in enumerate(FUSED_POINTS[:2])]


@pytest.mark.parametrize("f, point", FD_CASES)
def test_gradcheck_and_gradgradcheck_on_every_op(f, point):
    point = point if isinstance(point, (tuple, list)) else [point]
    assert gradcheck(f, point)
    assert gradgradcheck(f, point)


# --- NaN and inf: IEEE semantics, like torch --------------------------------

# Domain errors: the engine may raise here (the lead's policy) where torch
# returns nan (or, for (-inf) ** -1.5, IEEE's 0.0); the message must then
# name the op and the value.
DOMAIN_ERRORS = {
    ("log", -math.inf): r"log\(-inf\)",
    ("sqrt", -math.inf): r"-inf \*\* 0\.5",
    ("x ** 0.5", -math.inf): r"-inf \*\* 0\.5",
    ("x ** -1.5", -math.inf): r"-inf \*\* -1\.5",
    ("sin", math.inf): r"sin\(inf\)",
    ("sin", -math.inf): r"sin\(-inf\)",
    ("cos", math.inf): r"cos\(inf\)",
    ("cos", -math.inf): r"cos\(-inf\)",
}

NONFINITE_CASES = [
    pytest.param(name, f, theirs, x, id=f"{name}@{x}")
    for name, f, theirs, _ in UNARY
    for x in (math.nan, math.inf, -math.inf)
]


@pytest.mark.parametrize("name, ours, theirs, x", NONFINITE_CASES)
def test_nan_and_inf_follow_torch(torch, name, ours, theirs, x):
    want = theirs(torch, torch.tensor(x)).item()
    pattern = DOMAIN_ERRORS.get((name, x))
    if pattern is None:
        got = ours(Value(x)).data
    else:
        try:
            got = ours(Value(x)).data
        except (ValueError, ArithmeticError) as err:
            assert re.search(pattern, str(err)), f"unclear message: {err}"
            return
    if math.isnan(want):
        assert math.isnan(got), f"torch gives nan, got {got!r}"
    else:
        assert got == want


@pytest.mark.parametrize("how", ["eager", "compiled"])
@pytest.mark.parametrize("name", ["relu", "leaky_relu", "linear relu", "linear tanh"])
def test_gradients_through_a_nan_follow_torch(torch, name, how):
    # torch's ReLU backward zeroes where x <= 0: NaN passes the gradient on, so
    # the NaN shows up in the weights' gradients instead of a clean 0.0.
    from micrograd_like import linear
    from micrograd_like.compiler import compile

    F = torch.nn.functional
    ours = {
        "relu": lambda x, w: (x * w).relu(),
        "leaky_relu": lambda x, w: (x * w).leaky_relu(),
        "linear relu": lambda x, w: linear([x], [w], Value(0.5), "relu"),
        "linear tanh": lambda x, w: linear([x], [w], Value(0.5), "tanh"),
    }[name]
    theirs = {
        "relu": lambda x, w: F.relu(x * w),
        "leaky_relu": lambda x, w: F.leaky_relu(x * w),
        "linear relu": lambda x, w: F.relu(x * w + 0.5),
        "linear tanh": lambda x, w: torch.tanh(x * w + 0.5),
    }[name]
    x, w = Value(math.nan), Value(2.0)
    (compile(ours) if how == "compiled" else ours)(x, w).backward()
    tx = torch.tensor(math.nan, dtype=torch.float64, requires_grad=True)
    tw = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    theirs(tx, tw).backward()
    for got, want in ((x.grad, tx.grad.item()), (w.grad, tw.grad.item())):
        assert (math.isnan(got) and math.isnan(want)) or got == want, (got, want)

"""micrograd_like.losses against torch.nn.functional (float64), sklearn and hand math.

Each loss is compared in value and in the gradients that backward() puts on
its inputs, for every reduction, on seeded random data and on the extremes
(probabilities of exactly 0 and 1, logits of +-1000).
"""

import math
import random

import pytest

from micrograd_like import Value, dot, grad
from micrograd_like.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l1_loss,
    l1_penalty,
    l2_penalty,
    mse_loss,
)

TOL = 1e-12  # relative for big numbers, absolute below 1
REDUCTIONS = ["mean", "sum", "none"]


def assert_close(ours, theirs, tol=TOL):
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        ok = a == b or abs(a - b) <= tol * max(1.0, abs(b))
        assert ok, f"element {i}: ours {a!r}, torch {b!r}\nours  {ours}\ntorch {theirs}"


def uniform(seed, n, lo, hi):
    rng = random.Random(seed)
    return [rng.uniform(lo, hi) for _ in range(n)]


def backward_ours(out, seed=0):
    """backward() through the loss; for reduction='none', through a random
    weighted sum of the per-element losses (so every element's gradient counts)."""
    if isinstance(out, list):
        weights = uniform(seed, len(out), -1.0, 1.0)
        dot(weights, out).backward()
        return [o.data for o in out], weights
    out.backward()
    return [out.data], None


def backward_torch(torch, out, weights):
    if weights is not None:
        (out * torch.tensor(weights)).sum().backward()
    else:
        out.backward()
    return out.reshape(-1).tolist()


def compare_elementwise(torch, ours_fn, torch_fn, inputs, targets, reduction, target_grad=False, **kw):
    """Run a loss of (inputs, targets) in both libraries; compare value and grads."""
    xs = [Value(x) for x in inputs]
    ts = [Value(t) for t in targets] if target_grad else list(targets)
    values, weights = backward_ours(ours_fn(xs, ts, reduction=reduction, **kw))

    x = torch.tensor(inputs, requires_grad=True)
    t = torch.tensor(targets, requires_grad=target_grad)
    t_values = backward_torch(torch, torch_fn(x, t, reduction=reduction, **kw), weights)

    assert_close(values, t_values)
    assert_close([v.grad for v in xs], x.grad.tolist())
    if target_grad:
        assert_close([v.grad for v in ts], t.grad.tolist())


# --- mse_loss and l1_loss ----------------------------------------------------------

REGRESSION = {"mse_loss": mse_loss, "l1_loss": l1_loss}


@pytest.mark.parametrize("name", sorted(REGRESSION))
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("seed,n", [(0, 1), (1, 3), (2, 8)])
@pytest.mark.parametrize("target_grad", [False, True])
def test_regression_losses_match_torch(torch, name, reduction, seed, n, target_grad):
    preds = uniform(seed, n, -5.0, 5.0)
    targets = uniform(seed + 50, n, -5.0, 5.0)
    torch_fn = getattr(torch.nn.functional, name)
    compare_elementwise(torch, REGRESSION[name], torch_fn, preds, targets, reduction, target_grad)


@pytest.mark.parametrize("name", sorted(REGRESSION))
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_on_a_single_value(torch, name, reduction):
    p = Value(0.7)
    out = REGRESSION[name](p, 2.0, reduction=reduction)
    assert isinstance(out, Value)
    out.backward()
    x = torch.tensor(0.7, requires_grad=True)
    t_out = getattr(torch.nn.functional, name)(x, torch.tensor(2.0), reduction=reduction)
    t_out.backward()
    assert_close([out.data, p.grad], [t_out.item(), x.grad.item()])


def test_l1_loss_gradient_is_zero_where_prediction_equals_target(torch):
    compare_elementwise(torch, l1_loss, torch.nn.functional.l1_loss, [1.0, 2.0], [1.0, 0.0], "sum")


def test_mse_loss_by_hand():
    # ((3-1)^2 + (0-1)^2) / 2 = 2.5; d/dp = 2 (p - t) / 2 = (2, -1)
    p = [Value(3.0), Value(0.0)]
    out = mse_loss(p, [1, 1])
    out.backward()
    assert (out.data, p[0].grad, p[1].grad) == (2.5, 2.0, -1.0)


def test_losses_of_plain_numbers_are_values():
    assert isinstance(mse_loss([1.0, 2.0], [0.0, 0.0]), Value)


# --- binary_cross_entropy ----------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("hard_targets", [True, False])
def test_bce_matches_torch_on_random_probabilities(torch, reduction, seed, hard_targets):
    probs = uniform(seed, 6, 0.01, 0.99)
    targets = [float(round(t)) if hard_targets else t for t in uniform(seed + 9, 6, 0.0, 1.0)]
    compare_elementwise(
        torch, binary_cross_entropy, torch.nn.functional.binary_cross_entropy,
        probs, targets, reduction, target_grad=not hard_targets,
    )


# Exactly 0 and 1, and the region next to them where torch's clamps apply:
# log(p) < -100 below about 3.7e-44, and the gradient's p(1 - p) floor of 1e-12.
EDGE_PROBS = [0.0, 1e-300, 1e-50, 1e-13, 1e-12, 2e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-12, 1 - 1e-13, 1.0]


@pytest.mark.parametrize("p", EDGE_PROBS)
@pytest.mark.parametrize("t", [0.0, 1.0, 0.3])
def test_bce_matches_torch_at_the_clamped_extremes(torch, p, t):
    compare_elementwise(
        torch, binary_cross_entropy, torch.nn.functional.binary_cross_entropy, [p], [t], "mean"
    )


@pytest.mark.parametrize("p", [1e-50, 1e-13, 0.2, 1 - 1e-13])
def test_bce_target_gradient_matches_torch_near_the_extremes(torch, p):
    compare_elementwise(
        torch, binary_cross_entropy, torch.nn.functional.binary_cross_entropy,
        [p], [0.3], "sum", target_grad=True,
    )


@pytest.mark.parametrize("p,expected", [(0.0, 100.0), (1.0, -100.0)])
def test_bce_target_gradient_stays_finite_at_exactly_0_and_1(p, expected):
    # torch says +-inf here (d/dt = log(1-p) - log(p)); we use the clamped
    # logs, -100, as documented, so that the loss itself stays finite.
    t = Value(0.3)
    out = binary_cross_entropy(Value(p), t)
    out.backward()
    assert math.isfinite(out.data) and t.grad == expected


@pytest.mark.parametrize("seed", range(3))
def test_bce_second_derivative_matches_torch(torch, seed):
    p0, t0 = uniform(seed, 2, 0.05, 0.95)
    p = Value(p0)
    [d1] = grad(binary_cross_entropy(p, t0), [p], create_graph=True)
    [d2] = grad(d1, [p])
    x = torch.tensor(p0, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy(x, torch.tensor(t0))
    (t1,) = torch.autograd.grad(loss, x, create_graph=True)
    (t2,) = torch.autograd.grad(t1, x)
    assert_close([d1.data, d2], [t1.item(), t2.item()], tol=1e-10)


def test_bce_by_hand():
    # -(log 0.8 + log(1 - 0.4)) / 2; d/dp = (p - t) / (p (1 - p)) / 2
    p = [Value(0.8), Value(0.4)]
    out = binary_cross_entropy(p, [1.0, 0.0])
    out.backward()
    assert out.data == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2, rel=1e-15)
    assert p[0].grad == pytest.approx(-0.2 / 0.16 / 2, rel=1e-15)
    assert p[1].grad == pytest.approx(0.4 / 0.24 / 2, rel=1e-15)


# --- binary_cross_entropy_with_logits -------------------------------------------

BCE_LOGITS = binary_cross_entropy_with_logits


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("target_grad", [False, True])
def test_bce_with_logits_matches_torch_on_random_inputs(torch, reduction, seed, target_grad):
    logits = uniform(seed, 6, -8.0, 8.0)
    targets = uniform(seed + 9, 6, 0.0, 1.0)
    compare_elementwise(
        torch, BCE_LOGITS, torch.nn.functional.binary_cross_entropy_with_logits,
        logits, targets, reduction, target_grad,
    )


EXTREME_LOGITS = [-1000.0, -745.0, -40.0, -1e-8, 0.0, 1e-8, 40.0, 710.0, 1000.0]


@pytest.mark.parametrize("t", [0.0, 1.0, 0.3])
def test_bce_with_logits_matches_torch_at_extremes(torch, t):
    targets = [t] * len(EXTREME_LOGITS)
    compare_elementwise(
        torch, BCE_LOGITS, torch.nn.functional.binary_cross_entropy_with_logits,
        EXTREME_LOGITS, targets, "none", target_grad=True,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [2.5, 0.5, "list"])
def test_bce_with_logits_pos_weight_matches_torch(torch, reduction, pos_weight):
    logits = [-1000.0, -3.0, 0.0, 0.7, 1000.0]
    targets = [1.0, 0.2, 0.5, 0.0, 0.9]
    weights = [0.5, 1.0, 2.0, 3.0, 4.0] if pos_weight == "list" else [pos_weight] * 5
    xs = [Value(x) for x in logits]
    ts = [Value(t) for t in targets]
    pw = weights if pos_weight == "list" else pos_weight
    values, w = backward_ours(BCE_LOGITS(xs, ts, reduction=reduction, pos_weight=pw))
    x = torch.tensor(logits, requires_grad=True)
    t = torch.tensor(targets, requires_grad=True)
    out = torch.nn.functional.binary_cross_entropy_with_logits(
        x, t, reduction=reduction, pos_weight=torch.tensor(weights)
    )
    assert_close(values, backward_torch(torch, out, w))
    assert_close([v.grad for v in xs], x.grad.tolist())
    assert_close([v.grad for v in ts], t.grad.tolist())


@pytest.mark.parametrize("x0", [-2.0, 0.0, 3.0])
def test_bce_with_logits_second_derivative_matches_torch(torch, x0):
    x = Value(x0)
    [d1] = grad(BCE_LOGITS(x, 0.3), [x], create_graph=True)
    [d2] = grad(d1, [x])
    tx = torch.tensor(x0, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(tx, torch.tensor(0.3))
    (t1,) = torch.autograd.grad(loss, tx, create_graph=True)
    (t2,) = torch.autograd.grad(t1, tx)
    assert_close([d1.data, d2], [t1.item(), t2.item()])


# --- cross_entropy -------------------------------------------------------------------


def torch_cross_entropy(torch, rows, target, reduction="mean", label_smoothing=0.0):
    x = torch.tensor(rows, requires_grad=True)
    out = torch.nn.functional.cross_entropy(
        x, torch.tensor(target), reduction=reduction, label_smoothing=label_smoothing
    )
    return x, out


def random_rows(seed, n_rows, n_classes, scale):
    rng = random.Random(seed)
    rows = [[rng.uniform(-scale, scale) for _ in range(n_classes)] for _ in range(n_rows)]
    return rows, [rng.randrange(n_classes) for _ in range(n_rows)]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("seed,n_rows,n_classes,scale", [
    (0, 1, 1, 1.0), (1, 1, 4, 3.0), (2, 3, 5, 3.0), (3, 4, 2, 1000.0), (4, 2, 6, 30.0),
])
def test_cross_entropy_batch_matches_torch(torch, reduction, label_smoothing, seed, n_rows, n_classes, scale):
    rows, target = random_rows(seed, n_rows, n_classes, scale)
    vrows = [[Value(x) for x in row] for row in rows]
    out = cross_entropy(vrows, target, reduction=reduction, label_smoothing=label_smoothing)
    values, w = backward_ours(out)
    x, t_out = torch_cross_entropy(torch, rows, target, reduction, label_smoothing)
    assert_close(values, backward_torch(torch, t_out, w))
    assert_close([v.grad for row in vrows for v in row], x.grad.reshape(-1).tolist())


@pytest.mark.parametrize("label_smoothing", [0.0, 0.25])
@pytest.mark.parametrize("row,target", [
    ([1000.0, -1000.0, 0.0], 1),
    ([1000.0, -1000.0, 0.0], 0),
    ([-1000.0, -1000.0], 0),
    ([3.0], 0),
    ([0.5, -1.5, 2.0, 0.0], 3),
])
def test_cross_entropy_single_row_matches_torch(torch, label_smoothing, row, target):
    vrow = [Value(x) for x in row]
    out = cross_entropy(vrow, target, label_smoothing=label_smoothing)
    assert isinstance(out, Value)
    out.backward()
    x, t_out = torch_cross_entropy(torch, row, target, label_smoothing=label_smoothing)
    t_out.backward()
    assert_close([out.data], [t_out.item()])
    assert_close([v.grad for v in vrow], x.grad.tolist())


def test_cross_entropy_by_hand():
    # -log(e^2 / (e^2 + e^0)) = log(1 + e^-2); gradient softmax - one_hot
    z = [Value(2.0), Value(0.0)]
    out = cross_entropy(z, 0)
    out.backward()
    p1 = 1.0 / (1.0 + math.exp(2.0))
    assert out.data == pytest.approx(math.log1p(math.exp(-2.0)), rel=1e-15)
    assert [v.grad for v in z] == pytest.approx([-p1, p1], rel=1e-15)


@pytest.mark.parametrize("seed", range(2))
def test_cross_entropy_second_derivative_matches_torch(torch, seed):
    row = uniform(seed, 3, -2.0, 2.0)
    c = uniform(seed + 5, 3, -1.0, 1.0)
    zs = [Value(x) for x in row]
    first = grad(cross_entropy(zs, 2, label_smoothing=0.1), zs, create_graph=True)
    second = grad(dot(c, first), zs)
    x, t_out = torch_cross_entropy(torch, row, 2, label_smoothing=0.1)
    (t1,) = torch.autograd.grad(t_out, x, create_graph=True)
    (t2,) = torch.autograd.grad((torch.tensor(c) * t1).sum(), x)
    assert_close([g.data for g in first], t1.tolist())
    assert_close(second, t2.tolist())


@pytest.mark.parametrize("logits,target,error,match", [
    ([1.0, 2.0, 3.0], 3, ValueError, r"target = 3 is not a class index for 3 classes; use 0 to 2"),
    ([1.0, 2.0, 3.0], -1, ValueError, r"target = -1 is not a class index"),
    ([[1.0, 2.0], [3.0, 4.0]], [0, 2], ValueError, r"target\[1\] = 2 is not a class index"),
    ([1.0, 2.0], 1.0, TypeError, r"target must be an int class index, got float 1.0"),
    ([1.0, 2.0], True, TypeError, r"target must be an int class index, got bool"),
    ([[1.0, 2.0]], [False], TypeError, r"target\[0\] must be an int class index, got bool"),
    ([1.0, 2.0], [1], TypeError, r"target must be an int class index, got list"),
    ([[1.0, 2.0], [3.0, 4.0]], 1, TypeError, r"logits has 2 rows, so target must be a list of 2"),
    ([[1.0, 2.0], [3.0, 4.0]], [1], ValueError, r"logits has 2 rows but target has 1 class indices"),
    ([], 0, ValueError, r"logits is empty"),
    ([[]], [0], ValueError, r"logits\[0\] is empty"),
    ([[1.0, 2.0], [3.0]], [0, 0], ValueError, r"logits\[1\] has 1 scores but logits\[0\] has 2"),
    (Value(1.0), 0, TypeError, r"logits must be a list of scores"),
    ([1.0, "2"], 0, TypeError, r"logits\[1\]: expected a Value or a real number, got str"),
    ([[1.0], "ab"], [0, 0], TypeError, r"logits\[1\] must be a Value, a number or a list"),
])
def test_cross_entropy_rejects_bad_input(logits, target, error, match):
    with pytest.raises(error, match="cross_entropy: " + match):
        cross_entropy(logits, target)


@pytest.mark.parametrize("eps,error", [(1.5, ValueError), (-0.1, ValueError), ("0.1", TypeError)])
def test_cross_entropy_rejects_bad_label_smoothing(eps, error):
    with pytest.raises(error, match="cross_entropy: label_smoothing"):
        cross_entropy([1.0, 2.0], 0, label_smoothing=eps)


# --- hinge_loss ----------------------------------------------------------------------


def test_hinge_loss_by_hand():
    # margins 1 - y s: 0.5, 1 - 2 = -1 -> 0, 1 + 3 = 4, 1 - 1 = 0 -> 0.
    # mean = 4.5 / 4; d/ds = -y / 4 where the margin is > 0, else 0.
    s = [Value(0.5), Value(-2.0), Value(3.0), Value(1.0)]
    out = hinge_loss(s, [1, -1, -1, 1])
    out.backward()
    assert out.data == 1.125
    assert [v.grad for v in s] == [-0.25, 0.0, 0.25, 0.0]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("seed", range(3))
def test_hinge_loss_matches_torch(torch, reduction, seed):
    scores = uniform(seed, 7, -3.0, 3.0) + [1.0, -1.0]  # two sit exactly on the margin
    rng = random.Random(seed)
    targets = [rng.choice([-1.0, 1.0]) for _ in range(7)] + [1.0, -1.0]
    ss = [Value(x) for x in scores]
    values, w = backward_ours(hinge_loss(ss, targets, reduction=reduction))
    x = torch.tensor(scores, requires_grad=True)
    margins = torch.relu(1 - torch.tensor(targets) * x)
    out = {"mean": margins.mean(), "sum": margins.sum(), "none": margins}[reduction]
    assert_close(values, backward_torch(torch, out, w))
    assert_close([v.grad for v in ss], x.grad.tolist())


@pytest.mark.parametrize("seed", range(3))
def test_hinge_loss_matches_sklearn(sklearn, seed):
    from sklearn.metrics import hinge_loss as sk_hinge_loss

    rng = random.Random(seed)
    scores = uniform(seed, 10, -3.0, 3.0)
    targets = [rng.choice([-1, 1]) for _ in range(10)]
    ours = hinge_loss([Value(x) for x in scores], targets).data
    assert_close([ours], [sk_hinge_loss(targets, scores)])


@pytest.mark.parametrize("targets,match", [
    ([1, 0], r"targets\[1\] = 0 is not a label -1 or \+1; map 0/1 labels"),
    ([2.0, 1], r"targets\[0\] = 2.0 is not a label"),
    ([True, -1], r"targets\[0\] = True is not a label"),
])
def test_hinge_loss_rejects_labels_other_than_plus_minus_one(targets, match):
    with pytest.raises(ValueError, match="hinge_loss: " + match):
        hinge_loss([Value(0.1), Value(0.2)], targets)


# --- penalties -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["l1_penalty", "l2_penalty"])
@pytest.mark.parametrize("seed", range(2))
def test_penalties_match_torch(torch, name, seed):
    data = uniform(seed, 5, -2.0, 2.0) + [0.0]
    ps = [Value(x) for x in data]
    out = {"l1_penalty": l1_penalty, "l2_penalty": l2_penalty}[name](ps)
    out.backward()
    x = torch.tensor(data, requires_grad=True)
    t_out = x.abs().sum() if name == "l1_penalty" else (x * x).sum()
    t_out.backward()
    assert_close([out.data], [t_out.item()])
    assert_close([p.grad for p in ps], x.grad.tolist())


def test_l2_penalty_is_one_fused_node():
    ps = [Value(float(i)) for i in range(10)]
    out = l2_penalty(ps)
    assert out._op == "dot" and all(p in out._prev for p in ps)


def test_half_l2_penalty_gradient_is_torch_weight_decay():
    # torch.optim.SGD's documented weight decay adds wd * p to each gradient
    # (g <- g + lambda * theta); d/dp of 0.5 * wd * sum(p^2) is exactly that.
    wd, data = 0.1, [1.5, -2.0, 0.25]
    ps = [Value(x) for x in data]
    (0.5 * wd * l2_penalty(ps)).backward()
    assert_close([p.grad for p in ps], [wd * x for x in data])


@pytest.mark.parametrize("fn", [l1_penalty, l2_penalty])
def test_penalty_of_no_parameters_is_zero(fn):
    out = fn([])
    assert isinstance(out, Value) and out.data == 0.0


@pytest.mark.parametrize("fn", [l1_penalty, l2_penalty])
def test_penalty_rejects_a_model_and_non_numbers(fn):
    class Model:
        def parameters(self):
            return [Value(1.0)]

    with pytest.raises(TypeError, match=fn.__name__ + r": got a model \(Model\); pass its parameters"):
        fn(Model())
    with pytest.raises(TypeError, match=fn.__name__ + r": params\[1\]: expected a Value"):
        fn([Value(1.0), "w"])


# --- bad input shared by every elementwise loss -----------------------------------------

ELEMENTWISE = {
    "mse_loss": (mse_loss, "preds"),
    "l1_loss": (l1_loss, "preds"),
    "binary_cross_entropy": (binary_cross_entropy, "probs"),
    "binary_cross_entropy_with_logits": (BCE_LOGITS, "logits"),
    "hinge_loss": (hinge_loss, "scores"),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_mismatched_lengths_name_both(name):
    fn, arg = ELEMENTWISE[name]
    with pytest.raises(ValueError, match=f"{name}: {arg} has 3 elements but targets has 2"):
        fn([Value(0.5)] * 3, [1.0, 1.0])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_single_value_against_a_list_is_an_error(name):
    fn, arg = ELEMENTWISE[name]
    with pytest.raises(ValueError, match=f"{name}: {arg} is a single value but targets is a list"):
        fn(Value(0.5), [1.0])
    with pytest.raises(ValueError, match=f"{name}: targets is a single value but {arg} is a list"):
        fn([Value(0.5)], 1.0)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_empty_input_is_an_error(name):
    fn, arg = ELEMENTWISE[name]
    with pytest.raises(ValueError, match=f"{name}: {arg} and targets are empty"):
        fn([], [])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_non_numbers_are_a_type_error(name):
    fn, arg = ELEMENTWISE[name]
    with pytest.raises(TypeError, match=rf"{name}: {arg}\[1\]: expected a Value or a real number, got str"):
        fn([Value(0.5), "0.5"], [1.0, 1.0])
    with pytest.raises(TypeError, match=rf"{name}: {arg} must be a Value, a number or a list"):
        fn("0.5", [1.0])


@pytest.mark.parametrize("fn", [mse_loss, l1_loss, binary_cross_entropy, BCE_LOGITS, hinge_loss])
@pytest.mark.parametrize("reduction", ["avg", "MEAN", None])
def test_unknown_reduction_is_an_error(fn, reduction):
    with pytest.raises(ValueError, match=f"{fn.__name__}: reduction={reduction!r} is not supported"):
        fn([Value(0.5)], [1.0], reduction=reduction)


def test_cross_entropy_unknown_reduction_is_an_error():
    with pytest.raises(ValueError, match="cross_entropy: reduction='avg' is not supported"):
        cross_entropy([1.0, 2.0], 0, reduction="avg")


@pytest.mark.parametrize("probs,targets,match", [
    ([1.5], [1.0], r"probs\[0\] = 1.5 is not in \[0, 1\].*binary_cross_entropy_with_logits"),
    ([0.5, -0.1], [1.0, 0.0], r"probs\[1\] = -0.1 is not in \[0, 1\]"),
    ([math.nan], [1.0], r"probs\[0\] = nan is not in \[0, 1\]"),
    ([0.5], [1.5], r"targets\[0\] = 1.5 is not in \[0, 1\]"),
    (0.5, -1.0, r"targets = -1.0 is not in \[0, 1\]"),
    ([0.5], [math.nan], r"targets\[0\] = nan is not in \[0, 1\]"),
])
def test_bce_rejects_values_outside_the_unit_interval(probs, targets, match):
    with pytest.raises(ValueError, match="binary_cross_entropy: " + match):
        binary_cross_entropy(probs, targets)


def test_bce_with_logits_rejects_bad_targets_and_pos_weight():
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: targets\[0\] = 2.0"):
        BCE_LOGITS([0.5], [2.0])
    with pytest.raises(ValueError, match=r"pos_weight has 2 elements but logits has 1"):
        BCE_LOGITS([0.5], [1.0], pos_weight=[1.0, 2.0])
    with pytest.raises(TypeError, match=r"binary_cross_entropy_with_logits: pos_weight must be a number"):
        BCE_LOGITS([0.5], [1.0], pos_weight="2")
    with pytest.raises(TypeError, match=r"pos_weight must be a number or a list of numbers, got list"):
        BCE_LOGITS(0.5, 1.0, pos_weight=[2.0])
    with pytest.raises(TypeError, match=r"pos_weight\[0\] must be a number"):
        BCE_LOGITS([0.5], [1.0], pos_weight=[None])

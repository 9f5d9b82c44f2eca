"""nll_loss, huber_loss and smooth_l1_loss against torch.nn.functional in float64: values and gradients."""

import math
import random

import pytest

from micrograd_like import Value
from micrograd_like.functional import log_softmax
from micrograd_like.losses import cross_entropy, huber_loss, nll_loss, smooth_l1_loss

# differences on both sides of the kink, exactly at it, and far away
DIFFS = [-3.0, -1.0, -0.999, -0.25, 0.0, 0.5, 1.0, 1.5, 7.0]


def _pairs(seed, n=9):
    rng = random.Random(seed)
    targets = [rng.uniform(-2, 2) for _ in range(n)]
    return [t + d for t, d in zip(targets, DIFFS)], targets


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("width", [1.0, 0.5, 2.5])
@pytest.mark.parametrize("name", ["huber_loss", "smooth_l1_loss"])
def test_robust_regression_losses_match_torch(torch, name, width, reduction):
    F = torch.nn.functional
    preds, targets = _pairs(seed=int(width * 10))
    ours_p = [Value(p) for p in preds]
    kw = {"delta": width} if name == "huber_loss" else {"beta": width}
    ours = {"huber_loss": huber_loss, "smooth_l1_loss": smooth_l1_loss}[name](
        ours_p, targets, reduction=reduction, **kw)
    tp = torch.tensor(preds, requires_grad=True)
    theirs = getattr(F, name)(tp, torch.tensor(targets), reduction=reduction, **kw)
    if reduction == "none":
        assert [o.data for o in ours] == pytest.approx(theirs.tolist(), rel=1e-14, abs=1e-15)
        ours = sum(ours[1:], ours[0])
        theirs = theirs.sum()
    else:
        assert ours.data == pytest.approx(theirs.item(), rel=1e-14)
    ours.backward()
    theirs.backward()
    assert [p.grad for p in ours_p] == pytest.approx(tp.grad.tolist(), rel=1e-14, abs=1e-15)


def test_smooth_l1_with_beta_zero_is_l1(torch):
    preds, targets = _pairs(seed=3)
    ours = smooth_l1_loss([Value(p) for p in preds], targets, beta=0.0).data
    theirs = torch.nn.functional.smooth_l1_loss(torch.tensor(preds), torch.tensor(targets), beta=0.0)
    assert ours == pytest.approx(theirs.item(), rel=1e-14)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_matches_torch_and_equals_cross_entropy(torch, reduction):
    rng = random.Random(5)
    logits = [[rng.uniform(-3, 3) for _ in range(4)] for _ in range(6)]
    target = [rng.randrange(4) for _ in range(6)]
    rows = [[Value(v) for v in row] for row in logits]
    ours = nll_loss([log_softmax(r) for r in rows], target, reduction=reduction)
    tl = torch.tensor(logits, requires_grad=True)
    theirs = torch.nn.functional.nll_loss(torch.log_softmax(tl, dim=1), torch.tensor(target),
                                          reduction=reduction)
    if reduction == "none":
        assert [o.data for o in ours] == pytest.approx(theirs.tolist(), rel=1e-13)
        ours, theirs = sum(ours[1:], ours[0]), theirs.sum()
    ours.backward()
    theirs.backward()
    assert ours.data == pytest.approx(theirs.item(), rel=1e-13)
    flat = [g for row in tl.grad.tolist() for g in row]
    assert [v.grad for r in rows for v in r] == pytest.approx(flat, rel=1e-12, abs=1e-14)
    if reduction != "none":
        ce = cross_entropy(logits, target, reduction=reduction).data
        assert ours.data == pytest.approx(ce, rel=1e-13)


def test_nll_loss_on_one_row():
    assert nll_loss([Value(math.log(0.25)), Value(math.log(0.75))], 1).data == pytest.approx(-math.log(0.75))


@pytest.mark.parametrize("call, exc, text", [
    (lambda: huber_loss([1.0], [0.0], delta=0), ValueError, "huber_loss: delta=0 must be a finite number > 0"),
    (lambda: huber_loss([1.0], [0.0], delta="1"), TypeError, "huber_loss: delta must be a number"),
    (lambda: smooth_l1_loss([1.0], [0.0], beta=-1.0), ValueError, "smooth_l1_loss: beta=-1.0 must be a finite number >= 0"),
    (lambda: smooth_l1_loss([1.0], [0.0, 1.0]), ValueError, "smooth_l1_loss: preds has 1 elements but targets has 2"),
    (lambda: huber_loss([1.0], [0.0], reduction="max"), ValueError, "huber_loss: reduction='max' is not supported"),
    (lambda: nll_loss([[-1.0, -2.0]], [2]), ValueError, "nll_loss: target\\[0\\] = 2 is not a class index for 2 classes"),
    (lambda: nll_loss([[-1.0, -2.0]], [0.5]), TypeError, "nll_loss: target\\[0\\] must be an int class index"),
    (lambda: nll_loss("ab", 0), TypeError, "nll_loss: log_probs must be a list of scores"),
    (lambda: nll_loss([[-1.0], [-1.0, -2.0]], [0, 0]), ValueError, r"nll_loss: log_probs\[1\] has 2 scores but log_probs\[0\] has 1"),
])
def test_bad_input(call, exc, text):
    with pytest.raises(exc, match=text):
        call()

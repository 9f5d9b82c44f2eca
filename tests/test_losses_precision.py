"""Losses and activations on confident inputs, where every digit of a tiny value counts: against torch.

cross_entropy subtracts the max before the log (torch's log_softmax), and
softplus, logsigmoid, binary_cross_entropy(_with_logits) use torch's log1p, so
values such as cross_entropy([30, 0, 0], 0) = 1.87e-13 or logsigmoid(40) =
-4.25e-18 keep all their digits.
"""

import math

import pytest

import micrograd_like.functional as F
import micrograd_like.losses as L
from micrograd_like import Value
from micrograd_like.autograd import grad

REL = 4e-16  # a couple of ulps


def _close(ours, theirs, rel=REL):
    assert ours == pytest.approx(theirs, rel=rel, abs=0), (ours, theirs)


ROWS = [([30.0, 0.0, 0.0], 0), ([50.0, -3.0, 1.0], 0), ([1.0, 2.0, 3.0], 2), ([-20.0, 15.0, 0.5], 1),
        ([36.0, 0.0], 0), ([1000.0, -1000.0, 0.0], 0), ([0.1, 0.2, 0.3, 0.4], 0)]


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
@pytest.mark.parametrize("row, c", ROWS)
def test_cross_entropy_keeps_the_digits_of_a_confident_prediction(torch, row, c, label_smoothing):
    xs = [Value(x) for x in row]
    loss = L.cross_entropy(xs, c, label_smoothing=label_smoothing)
    loss.backward()
    t = torch.tensor([row], requires_grad=True)
    tl = torch.nn.functional.cross_entropy(t, torch.tensor([c]), label_smoothing=label_smoothing)
    tl.backward()
    _close(loss.data, tl.item())
    # softmax - one_hot: where p_c rounds to 1 both lose the digits of p_c - 1 (a few ulps of 1)
    assert [x.grad for x in xs] == pytest.approx(t.grad[0].tolist(), rel=1e-15, abs=4e-16)


def test_cross_entropy_of_rows_matches_torch(torch):
    rows = [r for r, _ in ROWS[:4]]
    targets = [c for _, c in ROWS[:4]]
    _close(L.cross_entropy(rows, targets).data,
           torch.nn.functional.cross_entropy(torch.tensor(rows), torch.tensor(targets)).item())


XS = [40.0, 30.0, 20.0, 15.0, 3.0, 0.5, 1e-3, 0.0, -1e-3, -3.0, -20.0, -40.0, -700.0]


def _value_grad_grad2(fn, x):
    v = Value(x)
    (dv,) = grad(fn(v), [v], create_graph=True)
    (ddv,) = grad(dv, [v], allow_unused=True)
    return fn(Value(x)).data, dv.data, 0.0 if ddv is None else ddv


def _sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


@pytest.mark.parametrize("x", XS)
@pytest.mark.parametrize("name, ours, theirs, second", [
    ("logsigmoid", F.logsigmoid, lambda t: t.nn.functional.logsigmoid,
     lambda x: -_sigmoid(x) * _sigmoid(-x)),
    ("softplus", F.softplus, lambda t: t.nn.functional.softplus,
     lambda x: 0.0 if x > 20 else _sigmoid(x) * _sigmoid(-x)),
    ("softplus beta 2", lambda v: F.softplus(v, beta=2.0),
     lambda t: lambda x: t.nn.functional.softplus(x, beta=2.0),
     lambda x: 0.0 if 2 * x > 20 else 2 * _sigmoid(2 * x) * _sigmoid(-2 * x)),
])
def test_log1p_activations_match_torch(torch, x, name, ours, theirs, second):
    value, d1, d2 = _value_grad_grad2(ours, x)
    t = torch.tensor(x, requires_grad=True)
    y = theirs(torch)(t)
    y.backward()
    _close(value, y.item())
    _close(d1, t.grad.item(), rel=1e-15)
    # Against the formula (torch's own rounds these tiny values away). The graph's is a
    # difference of terms near 1, so it is right to a few ulps of 1, not relatively.
    assert d2 == pytest.approx(second(x), rel=1e-14, abs=1e-15)


def test_the_quoted_values():
    # torch float64's values, noted here as a reminder of what was lost before
    assert F.logsigmoid(40.0).data == pytest.approx(-4.248354255291589e-18, rel=REL)
    assert F.softplus(-40.0).data == pytest.approx(4.248354255291589e-18, rel=REL)
    assert L.cross_entropy([30.0, 0.0, 0.0], 0).data == pytest.approx(1.869615573468589e-13, rel=REL)


@pytest.mark.parametrize("p", [1e-9, 1e-6, 0.3, 0.5, 0.9, 1 - 1e-6])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
def test_binary_cross_entropy_uses_log1p_as_torch(torch, p, target):
    v = Value(p)
    loss = L.binary_cross_entropy(v, target)
    loss.backward()
    t = torch.tensor(p, requires_grad=True)
    tl = torch.nn.functional.binary_cross_entropy(t, torch.tensor(target))
    tl.backward()
    _close(loss.data, tl.item())
    _close(v.grad, t.grad.item(), rel=1e-12)  # torch divides by p (1 - p); we add -t/p + (1-t)/(1-p)


@pytest.mark.parametrize("x", [40.0, 20.0, 3.0, 0.5, -0.5, -20.0, -40.0])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
@pytest.mark.parametrize("pos_weight", [None, 3.0])
def test_binary_cross_entropy_with_logits_matches_torch(torch, x, target, pos_weight):
    v = Value(x)
    loss = L.binary_cross_entropy_with_logits(v, target, pos_weight=pos_weight)
    loss.backward()
    t = torch.tensor(x, requires_grad=True)
    pw = None if pos_weight is None else torch.tensor(pos_weight)
    tl = torch.nn.functional.binary_cross_entropy_with_logits(t, torch.tensor(target), pos_weight=pw)
    tl.backward()
    _close(loss.data, tl.item(), rel=1e-15)
    # torch's sigmoid(x) - t and our graph's (1 - t) - d logsigmoid round differently
    # where sigmoid(x) is within an ulp of 0 or 1: agreement to an ulp of 1
    assert v.grad == pytest.approx(t.grad.item(), rel=1e-14, abs=1e-16)

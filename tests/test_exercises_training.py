"""micrograd_like.exercises.training: each planted mistake is named, correct code passes.

The learner code below is what people really write, right and wrong. Every
mistake code in ``training.MISTAKES`` is planted at least once, and the
report must name it with the numbers that show it. The library answers the
checks rely on (losses, SGD, the training loop, the weight-decay
convention) are checked against PyTorch in float64.
"""

import copy
import math

import pytest

from micrograd_like import MLP, Value, exercises
from micrograd_like.exercises import training
from micrograd_like.losses import mse_loss
from micrograd_like.optim import SGD

# --- learner code: losses ----------------------------------------------------------


def mse_mean(preds, targets):
    return sum((p - t) ** 2 for p, t in zip(preds, targets)) / len(preds)


def mse_loop(preds, targets):
    total = Value(0.0)
    for p, t in zip(preds, targets):
        d = p - t
        total = total + d * d
    return total * (1.0 / len(preds))


def mse_by_hand(preds, targets, sign=1.0):
    # lecture style: compute the number, then give the node its own _backward
    n = len(preds)
    out = Value(sum((p.data - t) ** 2 for p, t in zip(preds, targets)) / n, tuple(preds), "mse")

    def _backward():
        for p, t in zip(preds, targets):
            p.grad += sign * 2 * (p.data - t) / n * out.grad

    out._backward = _backward
    return out


def mse_sum(preds, targets):
    return sum((p - t) ** 2 for p, t in zip(preds, targets))


def mse_abs(preds, targets):
    return sum(abs(p - t) for p, t in zip(preds, targets)) / len(preds)


def bce_mean(probs, targets):
    return sum(-(t * p.log() + (1 - t) * (1 - p).log()) for p, t in zip(probs, targets)) / len(probs)


def bce_branches(probs, targets):
    terms = [-(p.log()) if t == 1 else -((1 - p).log()) for p, t in zip(probs, targets)]
    return sum(terms) * (1 / len(terms))


def bce_sum(probs, targets):
    return sum(-(t * p.log() + (1 - t) * (1 - p).log()) for p, t in zip(probs, targets))


def bce_not_negated(probs, targets):
    return sum(t * p.log() + (1 - t) * (1 - p).log() for p, t in zip(probs, targets)) / len(probs)


def bce_float(probs, targets):
    return sum(-(t * math.log(p.data) + (1 - t) * math.log(1 - p.data))
               for p, t in zip(probs, targets)) / len(probs)


def bce_rewrapped(probs, targets):
    return Value(bce_float(probs, targets))


def ce_stable(logits, target):
    m = max(z.data for z in logits)
    return sum((z - m).exp() for z in logits).log() + m - logits[target]


def ce_max_value(logits, target):
    m = max(logits)  # a Value: its gradient cancels out
    return sum((z - m).exp() for z in logits).log() - (logits[target] - m)


def ce_softmax(logits, target):
    # stable softmax, but log(e**-1000 / ...) is log(0) on large logits
    m = max(z.data for z in logits)
    exps = [(z - m).exp() for z in logits]
    return -(exps[target] / sum(exps)).log()


def ce_naive(logits, target):
    return sum(z.exp() for z in logits).log() - logits[target]


def ce_log_softmax_only(logits, target):
    m = max(z.data for z in logits)
    return logits[target] - m - sum((z - m).exp() for z in logits).log()


def raises_inside(preds, targets):
    n = 0
    return sum((p - t) ** 2 for p, t in zip(preds, targets)) / n  # ZeroDivisionError


@pytest.mark.parametrize("name, fn", [
    ("mse", mse_mean), ("mse", mse_loop), ("mse", mse_by_hand),
    ("binary_cross_entropy", bce_mean), ("binary_cross_entropy", bce_branches),
    ("cross_entropy", ce_stable), ("cross_entropy", ce_max_value),
])
def test_correct_losses_pass(name, fn):
    report = exercises.check_loss(name, fn)
    assert report, str(report)
    assert report.mistake is None and "match micrograd_like.losses." in report.message


def test_cross_entropy_passes_on_large_logits_too():
    assert "also on logits [1000, 0, -1000]" in str(exercises.check_loss("cross_entropy", ce_stable))


# --- learner code: one SGD step ------------------------------------------------------


def step_minus_equals(parameters, lr):
    for p in parameters:
        p.data -= lr * p.grad


def step_then_zero(parameters, lr):
    for i in range(len(parameters)):
        parameters[i].data = parameters[i].data + (-lr) * parameters[i].grad
        parameters[i].grad = 0.0  # harmless: the next backward starts from 0


def step_plus(parameters, lr):
    for p in parameters:
        p.data += lr * p.grad


def step_no_lr(parameters, lr):
    for p in parameters:
        p.data -= p.grad


def step_into_grad(parameters, lr):
    for p in parameters:
        p.grad -= lr * p.grad


def step_rebinds(parameters, lr):
    for p in parameters:
        p = p - lr * p.grad  # noqa: F841 (the mistake: a new Value, the parameter is untouched)


def step_zero_first(parameters, lr):
    for p in parameters:
        p.grad = 0.0  # the mistake: the gradient is gone before the update reads it
        p.data -= lr * p.grad


def step_value_into_data(parameters, lr):
    for p in parameters:
        p.data = p.data - lr * Value(p.grad)  # the mistake: p.data becomes a Value


def mse_value_into_grad(preds, targets):
    n = len(preds)
    out = Value(sum((p.data - t) ** 2 for p, t in zip(preds, targets)) / n, tuple(preds), "mse")

    def _backward():
        for p, t in zip(preds, targets):
            p.grad += Value(2 * (p.data - t) / n) * out.grad  # the mistake: a Value in .grad
    out._backward = _backward
    return out


def l2_value_into_grad(ps, alpha):
    out = Value(alpha * sum(p.data ** 2 for p in ps), tuple(ps), "l2")

    def _backward():
        for p in ps:
            p.grad += Value(2 * alpha * p.data) * out.grad
    out._backward = _backward
    return out


def loop_value_into_data(model, xs, ys, steps, lr):
    history = []
    for _ in range(steps):
        model.zero_grad()
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        history.append(loss.data)
    for p in model.parameters():  # the mistake, once at the end: float() would not see it
        p.data = Value(p.data)
    return history


def step_double(parameters, lr):
    for p in parameters:
        p.data -= 2 * lr * p.grad


def step_raises(parameters, lr):
    for p in parameters:
        p.data -= lr * p.gradient


@pytest.mark.parametrize("fn", [step_minus_equals, step_then_zero])
def test_correct_sgd_steps_pass(fn):
    assert exercises.check_sgd_step(fn)


# --- learner code: training loops ------------------------------------------------------


def loop_by_hand(model, xs, ys, steps, lr):
    history = []
    for _ in range(steps):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        history.append(loss.data)
    return history


def loop_with_library(model, xs, ys, steps, lr):
    opt = SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(steps):
        loss = mse_loss([model(x) for x in xs], ys)
        loss.backward()
        opt.step()
        opt.zero_grad()  # after the step: also right
        history.append(loss)  # Values are accepted
    return history


def loop_variant(zero_grad=True, sign=-1.0, mean=True, backward=True, zero_before_step=False,
                 record="loss"):
    def train(model, xs, ys, steps, lr):
        history = []
        for _ in range(steps):
            loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
            if mean:
                loss = loss / len(xs)
            if zero_grad:
                model.zero_grad()
            if backward:
                loss.backward()
            if zero_before_step:
                model.zero_grad()
            for p in model.parameters():
                p.data += sign * lr * p.grad
            if record == "loss":
                history.append(loss.data)
            elif record == "after":  # the loss after the update: one step late
                history.append((sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)).data)
            elif record == "first":
                history.append(history[0] if history else loss.data)
        return None if record == "none" else history
    return train


def loop_first_sample_only(model, xs, ys, steps, lr):
    return loop_by_hand(model, xs[:1], ys[:1], steps, lr)


def loop_raises(model, xs, ys, steps, lr):
    for _ in range(steps):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        loss.backwards()


@pytest.mark.parametrize("fn", [loop_by_hand, loop_with_library])
def test_correct_training_loops_pass(fn):
    report = exercises.check_training_loop(fn)
    assert report, str(report)


# --- learner code: penalties -------------------------------------------------------------


def l2_products(parameters, alpha):
    return alpha * sum(p * p for p in parameters)


def l2_powers(parameters, alpha):
    total = 0.0
    for p in parameters:
        total = total + alpha * p ** 2
    return total


def l1_abs(parameters, alpha):
    return alpha * sum(abs(p) for p in parameters)


def l1_relus(parameters, alpha):
    return sum(alpha * (p.relu() + (-p).relu()) for p in parameters)


@pytest.mark.parametrize("kind, fn", [("l2", l2_products), ("l2", l2_powers),
                                      ("l1", l1_abs), ("l1", l1_relus)])
def test_correct_penalties_pass(kind, fn):
    assert exercises.check_regularization(kind, fn)


# --- every mistake, planted -----------------------------------------------------------------

# (check, its arguments, the mistake it must name, strings the message must contain)
PLANTED = [
    ("loss", ("mse", mse_sum), "sum-not-mean", ["6", "3 times the mean 2", "len(targets)"]),
    ("loss", ("binary_cross_entropy", bce_sum), "sum-not-mean", ["1.245", "0.4149"]),
    ("loss", ("binary_cross_entropy", bce_not_negated), "sign", ["-0.4149", "minus sign"]),
    ("loss", ("cross_entropy", ce_log_softmax_only), "sign", ["-1.741", "1.741"]),
    ("loss", ("mse", lambda p, t: mse_by_hand(p, t, sign=-1.0)), "sign",
     ["[-0.6667, 1.333, -0.6667]", "(p - t), not (t - p)"]),
    ("loss", ("cross_entropy", ce_naive), "overflow",
     ["[1000, 0, -1000]", "OverflowError", "gradients [1, -1, 0]"]),
    ("loss", ("cross_entropy", ce_softmax), "overflow",
     ["raised ValueError", "log(0) is -inf", "not of a probability"]),
    ("loss", ("binary_cross_entropy", bce_float), "not-a-value", ["float 0.4149", "the right number"]),
    ("loss", ("binary_cross_entropy", bce_rewrapped), "not-a-value", ["every gradient is 0"]),
    ("loss", ("mse", raises_inside), "error",
     ["ZeroDivisionError", "test_exercises_training.py", "/ n  # ZeroDivisionError`"]),
    ("loss", ("mse", mse_abs), "wrong", ["1.333", "expected 2"]),
    # d/dp0 of mean (p - t)**2 = 2 (2 - 1) / 3 = 0.6667, as a Value
    ("loss", ("mse", mse_value_into_grad), "wrong",
     ["predictions[0].grad is a Value (data 0.6667)", "a rule used a Value"]),
    ("sgd", (step_plus,), "lr-sign", ["[1.062, -2.125, 0.75]", "[0.9375, -1.875, 0.25]"]),
    ("sgd", (step_no_lr,), "lr-missing", ["[0.5, -1, -1.5]", "Multiply it by lr"]),
    ("sgd", (step_into_grad,), "grad-not-data", ["p.grad became [0.4375, -0.875, 1.75]"]),
    ("sgd", (step_rebinds,), "no-update", ["still [1, -2, 0.5]", "rebinds"]),
    ("sgd", (step_double,), "wrong", ["[0.875, -1.75, 0]"]),
    ("sgd", (step_zero_first,), "no-backward", ["every p.grad became 0", "reset before the update"]),
    # 1 - 0.125 * 0.5 = 0.9375, as a Value
    ("sgd", (step_value_into_data,), "wrong",
     ["parameters[0].data is a Value (data 0.9375)", "a rule used a Value"]),
    ("sgd", (step_raises,), "error", ["AttributeError", "gradient", "test_exercises_training.py"]),
    ("loop", (loop_variant(zero_grad=False),), "zero-grad", ["never resets", "zero_grad()"]),
    ("loop", (loop_variant(sign=+1.0),), "lr-sign", ["loss rises"]),
    ("loop", (loop_variant(mean=False),), "sum-not-mean", ["summed"]),
    ("loop", (loop_variant(backward=False),), "no-backward", ["initial value"]),
    ("loop", (loop_variant(zero_before_step=True),), "no-backward", ["initial value"]),
    ("loop", (loop_variant(record="after"),), "stale-loss", ["the weights are right"]),
    ("loop", (loop_variant(record="first"),), "stale-loss", ["the weights are right"]),
    ("loop", (loop_variant(record="none"),), "stale-loss", ["returned None"]),
    ("loop", (loop_first_sample_only,), "wrong", ["differ from the library's"]),
    ("loop", (loop_value_into_data,), "wrong",
     ["model.parameters()[0].data is a Value", "a rule used a Value"]),
    ("loop", (loop_raises,), "error", ["AttributeError", "backwards", "test_exercises_training.py"]),
    ("penalty", ("l2", lambda ps, a: a * sum(ps)), "not-squared", ["0.375", "3.312"]),
    ("penalty", ("l2", lambda ps, a: a * sum(abs(p) for p in ps)), "not-squared", ["1.375", "L1"]),
    ("penalty", ("l2", lambda ps, a: a * sum(p * p for p in ps) ** 0.5), "not-squared", ["norm"]),
    ("penalty", ("l1", lambda ps, a: a * sum(ps)), "abs-missing", ["0.375", "1.375", "sum(abs(w))"]),
    ("penalty", ("l2", lambda ps, a: a / 2 * sum(p * p for p in ps)), "factor", ["1.656", "half"]),
    ("penalty", ("l2", lambda ps, a: 2 * a * sum(p * p for p in ps)), "factor", ["6.625", "twice"]),
    ("penalty", ("l2", lambda ps, a: sum(p * p for p in ps)), "factor", ["13.25", "alpha was left out"]),
    ("penalty", ("l1", lambda ps, a: sum(abs(p) for p in ps)), "factor", ["5.5", "alpha was left out"]),
    ("penalty", ("l1", lambda ps, a: a * sum(abs(p) for p in ps) / len(ps)), "factor", ["0.4583", "mean"]),
    ("penalty", ("l2", lambda ps, a: a * sum(p.data ** 2 for p in ps)), "not-a-value", ["a float"]),
    ("penalty", ("l2", lambda ps, a: Value(a * sum(p.data ** 2 for p in ps))), "not-a-value", ["cut off"]),
    ("penalty", ("l2", lambda ps, a: a * sum(p * p for p in ps.parameters())), "error", ["AttributeError"]),
    ("penalty", ("l2", lambda ps, a: a * sum(p * p * p for p in ps)), "wrong", ["alpha * sum(w * w)"]),
    # 2 * 0.25 * 0.5 = 0.25, as a Value
    ("penalty", ("l2", l2_value_into_grad), "wrong",
     ["parameters[0].grad is a Value (data 0.25)", "a rule used a Value"]),
]
CHECKS = {"loss": exercises.check_loss, "sgd": exercises.check_sgd_step,
          "loop": exercises.check_training_loop, "penalty": exercises.check_regularization}


@pytest.mark.parametrize("check, args, code, words", PLANTED,
                         ids=[f"{c}-{code}-{i}" for i, (c, _, code, _) in enumerate(PLANTED)])
def test_planted_mistake_is_named(check, args, code, words):
    report = CHECKS[check](*args)
    assert not report and report.mistake == code, str(report)
    for w in words:
        assert w in report.message, (w, report.message)
    assert str(report).startswith(f"{report.exercise}: not yet [{code}]. ")
    assert report.message[0].isupper()


def test_every_mistake_code_is_planted():
    assert {code for _, _, code, _ in PLANTED} - {"wrong"} == set(training.MISTAKES)


def test_messages_are_short():
    for check, args, _, _ in PLANTED:
        message = CHECKS[check](*args).message
        assert message.count(". ") <= 4 and len(message) < 600, message


def test_the_check_keeps_its_own_inputs():
    # A learner that mutates the targets or the list it was given cannot fool the next run.
    def clears(preds, targets):
        loss = mse_mean(preds, targets)
        targets.clear()
        preds.clear()
        return loss
    assert exercises.check_loss("mse", clears)
    assert exercises.check_loss("mse", mse_mean)


# --- bad input to the checks -------------------------------------------------------------------


@pytest.mark.parametrize("call, error, words", [
    (lambda: exercises.check_loss("mae", mse_mean), ValueError, ["check_loss", "'mae'", "'mse'"]),
    (lambda: exercises.check_loss(["mse"], mse_mean), ValueError, ["check_loss", "['mse']"]),
    (lambda: exercises.check_loss("mse", mse_mean([Value(1.0)], [1.0])), TypeError,
     ["check_loss", "Value", "without calling it"]),
    (lambda: exercises.check_sgd_step(None), TypeError, ["check_sgd_step", "None"]),
    (lambda: exercises.check_training_loop(3), TypeError, ["check_training_loop", "int 3"]),
    (lambda: exercises.check_regularization("l3", l1_abs), ValueError,
     ["check_regularization", "'l3'", "'l2'"]),
    (lambda: exercises.check_regularization("l2", "l2"), TypeError, ["check_regularization", "str"]),
])
def test_bad_input_is_explained(call, error, words):
    with pytest.raises(error) as info:
        call()
    for w in words:
        assert w in str(info.value)


# --- the library answers the checks rely on, against PyTorch ---------------------------------


@pytest.mark.parametrize("name", sorted(training._LOSSES))
def test_library_losses_match_torch(torch, name):
    F = torch.nn.functional
    data, targets, library, _ = training._LOSSES[name]
    cases = [(data, targets)] + ([training._LOGITS_BIG] if name == "cross_entropy" else [])
    for data, targets in cases:
        x = torch.tensor(data, requires_grad=True)
        if name == "mse":
            expected = F.mse_loss(x, torch.tensor(targets))
        elif name == "binary_cross_entropy":
            expected = F.binary_cross_entropy(x, torch.tensor(targets, dtype=torch.float64))
        else:
            expected = F.cross_entropy(x.unsqueeze(0), torch.tensor([targets]))
        expected.backward()
        value, grads, err = training._value_and_grads(library, data, targets)
        assert err is None
        assert value.data == pytest.approx(expected.item(), rel=1e-12)
        assert grads == pytest.approx(x.grad.tolist(), rel=1e-12, abs=1e-15)


def test_sgd_step_matches_torch(torch):
    p = torch.tensor(training._START, requires_grad=True)
    p.grad = torch.tensor(training._GRADS)
    torch.optim.SGD([p], lr=training._LR).step()
    params = [Value(d) for d in training._START]
    for v, g in zip(params, training._GRADS):
        v.grad = g
    SGD(params, lr=training._LR).step()
    assert [v.data for v in params] == p.tolist() == [0.9375, -1.875, 0.25]  # by hand too


def test_library_loop_matches_torch(torch):
    from micrograd_like import to_torch
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    seq = to_torch(copy.deepcopy(model))
    ours = training._library_loop(model)
    xs, ys = torch.tensor(training._XS), torch.tensor(training._YS)
    opt = torch.optim.SGD(seq.parameters(), lr=training._LOOP_LR)
    theirs = []
    for _ in range(training._STEPS):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(seq(xs).squeeze(1), ys)
        loss.backward()
        opt.step()
        theirs.append(loss.item())
    assert ours == pytest.approx(theirs, rel=1e-12)
    assert theirs[-1] < theirs[0]  # it does train
    outputs = [model(x).data for x in training._XS]
    assert outputs == pytest.approx(seq(xs).squeeze(1).tolist(), rel=1e-12)


def test_penalty_convention_matches_torch_weight_decay(torch):
    # alpha * sum(w**2) has gradient 2 alpha w: one step on it is SGD(weight_decay=2 alpha).
    w0, alpha, lr = training._WEIGHTS, training._ALPHA, 0.1
    ws = [Value(d) for d in w0]
    training._PENALTIES["l2"](ws, alpha).backward()
    for w in ws:
        w.data -= lr * w.grad
    t = torch.tensor(w0, requires_grad=True)
    (t * 0.0).sum().backward()  # a loss with zero gradient: only the decay moves t
    torch.optim.SGD([t], lr=lr, weight_decay=2 * alpha).step()
    assert [w.data for w in ws] == pytest.approx(t.tolist(), rel=1e-15)
    # and the same step through our own SGD's weight_decay
    vs = [Value(d) for d in w0]
    SGD(vs, lr=lr, weight_decay=2 * alpha).step()
    assert [v.data for v in vs] == pytest.approx(t.tolist(), rel=1e-15)


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_library_penalties_match_torch(torch, kind):
    t = torch.tensor(training._WEIGHTS, requires_grad=True)
    expected = training._ALPHA * (t.abs().sum() if kind == "l1" else (t ** 2).sum())
    expected.backward()
    value, grads, _ = training._value_and_grads(training._PENALTIES[kind], training._WEIGHTS,
                                                training._ALPHA)
    assert value.data == pytest.approx(expected.item(), rel=1e-15)
    assert grads == pytest.approx(t.grad.tolist(), rel=1e-15)

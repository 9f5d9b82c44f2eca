"""Exercises on training: a loss, a gradient-descent step, a training loop, a weight penalty.

Each check runs your function on small, fixed inputs, runs the library on
the same inputs (``micrograd_like.losses``, ``optim.SGD``, ``model.zero_grad``),
and compares values and gradients. When they differ it tries the answers
the usual mistakes would give (a sum for a mean, a missing minus sign, a
forgotten ``zero_grad``, ...) and names the one that matches.

>>> from micrograd_like import exercises
>>> def mse(preds, targets):
...     return sum((p - t) ** 2 for p, t in zip(preds, targets)) / len(preds)
>>> print(exercises.check_loss("mse", mse))
mse loss: correct, value 2 and all 3 gradients match micrograd_like.losses.mse_loss.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Callable, List, Optional, Sequence, Tuple

from micrograd_like import losses
from micrograd_like._format import fmt
from micrograd_like.engine import Value
from micrograd_like.exercises._report import Report, _check_name, _where
from micrograd_like.exercises.ops import _seen
from micrograd_like.nn import MLP
from micrograd_like.optim import SGD

__all__ = ["check_loss", "check_sgd_step", "check_training_loop", "check_regularization"]

MISTAKES = {
    "sum-not-mean": "the loss adds the per-sample losses up instead of averaging them",
    "sign": "a sign error: d(a - b)/db = +1, (t - p) for (p - t), a log-likelihood not negated",
    "overflow": "OverflowError, inf or nan at large inputs such as 1000; use a stable form",
    "not-a-value": "the result is a plain number, or cut off from the inputs: no gradient flows",
    "error": "your code raised an exception",
    "lr-sign": "the update adds lr * grad: it climbs the loss instead of descending it",
    "lr-missing": "the update subtracts the whole gradient, without multiplying by lr",
    "grad-not-data": "the update changed p.grad instead of p.data",
    "no-update": "the parameters did not change (p = ... only rebinds a name; assign p.data)",
    "zero-grad": "gradients were not reset between steps, so they accumulate",
    "no-backward": ("no gradient arrives: backward is never set or called, or the gradients "
                    "are zeroed before the update (the weights never move)"),
    "stale-loss": "the returned losses are not the model's loss at each step",
    "not-squared": "the L2 penalty does not square the weights",
    "abs-missing": "the L1 penalty sums the weights instead of their absolute values",
    "factor": "the penalty is off by a constant factor (2, 1/2, alpha left out, a mean)",
}


# --- shared plumbing (evaluation.py uses it too) ---------------------------------

_Outcome = Tuple[Any, List[float], Optional[BaseException]]  # result, input gradients, error


def _check_callable(fn: object, check: str, example: str) -> None:
    if not callable(fn):
        raise TypeError(f"{check}: fn must be your function, got {type(fn).__name__} {fn!r}; "
                        f"pass the function itself, e.g. {example}, without calling it")


def _run(fn: Callable, *args: Any) -> Tuple[Any, Optional[BaseException]]:
    """Call the learner's function: (its result, None), or (None, the exception it raised)."""
    try:
        return fn(*args), None
    except Exception as err:  # the learner's bug becomes a report, not a traceback
        return None, err


def _fail(exercise: str, message: str, mistake: str) -> Report:
    """A failed check; messages are sentences, so they start with a capital."""
    return Report(exercise, False, message[:1].upper() + message[1:], mistake)


def _error(exercise: str, err: BaseException, doing: str) -> Report:
    return _fail(exercise, f"your code raised {type(err).__name__} ({err}) {doing}"
                 f"{_where(err)}. Fix that line, then run the check again.", "error")


def _fmt(x: Any) -> str:
    """A number (or a list of them) as every page shows it: ``fmt``'s 4 significant digits."""
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(_fmt(v) for v in x) + "]"
    try:
        return fmt(float(x))  # Values too (float(v) is v.data)
    except (TypeError, ValueError):
        return repr(x)


def _close(a: Any, b: Any, tol: float = 1e-7) -> bool:
    """Equal up to rounding: numbers, or (nested) lists of numbers of the same length."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))
                and len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b)))
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _numbers(exercise: str, on: str, read: Sequence[Tuple[str, Any]], fix: str,
             used: str = "out, x", meant: str = "out.data, x.data") -> Optional[Report]:
    """A failed Report if a .grad or .data the learner's code set is not a number, else None:
    float() would read a Value's number, hiding the mistake."""
    for what, x in read:
        if not _is_number(x):
            return _fail(exercise, f"{on}, {what} is {_seen(x, used, meant)}; {fix}.", "wrong")
    return None


_TO_GRAD = "put floats in .data and .grad"
_STEP = ("Value(p.grad), p", "p.grad, p.data")  # what a step used, and what it meant


def _value_and_grads(f: Callable, data: Sequence[float], *rest: Any) -> _Outcome:
    """Run f on fresh leaves made from data: (its result, d result / d leaf, the error if any)."""
    xs = [Value(d) for d in data]
    out, err = _run(f, list(xs), *rest)  # a copy of the list: the check keeps its own leaves
    if err is None and isinstance(out, Value):
        _, err = _run(out.backward)
    return out, [x.grad for x in xs], err


# --- losses --------------------------------------------------------------------

# name -> (inputs, targets, the library's loss, what the inputs are called)
_LOSSES = {
    "mse": ([2.0, -1.0, 0.5], [1.0, 1.0, -0.5], losses.mse_loss, "predictions"),
    "binary_cross_entropy": ([0.9, 0.2, 0.6], [1, 0, 0], losses.binary_cross_entropy,
                             "probabilities"),
    "cross_entropy": ([2.0, -1.0, 0.5], 2, losses.cross_entropy, "logits"),
}
_LOGITS_BIG = ([1000.0, 0.0, -1000.0], 1)  # exp(1000) overflows a float


def check_loss(name: str, fn: Callable) -> Report:
    """Check your loss ``fn`` against ``micrograd_like.losses``: its value and its gradients.

    ``name`` is ``"mse"`` (``fn(predictions, targets)``: the mean of
    (p - t)**2), ``"binary_cross_entropy"`` (``fn(probabilities, targets)``
    with targets 0 or 1: the mean of -(t log p + (1 - t) log(1 - p))) or
    ``"cross_entropy"`` (``fn(logits, target)`` for one sample, target a class
    index: -log softmax(logits)[target], as ``torch.nn.functional.cross_entropy``
    on one row). Inputs are lists of Values; ``fn`` returns a Value. Names
    "sum-not-mean", "sign", "overflow" (cross_entropy on logits
    [1000, 0, -1000]), "not-a-value" and "error".

    >>> from micrograd_like import exercises
    >>> def nll(logits, target):   # forgot the minus sign
    ...     return logits[target] - sum(z.exp() for z in logits).log()
    >>> exercises.check_loss("cross_entropy", nll).mistake
    'sign'
    """
    _check_name(name, _LOSSES, "check_loss", "loss")
    _check_callable(fn, "check_loss", f"check_loss({name!r}, my_loss)")
    data, targets, library, what = _LOSSES[name]
    exercise, ce = f"{name} loss", name == "cross_entropy"
    on = f"on {what} {_fmt(data)} and target{'' if ce else 's'} {_fmt(targets)}"
    report = _compare_loss(exercise, on, library, fn, data, targets, what, averaged=not ce)
    if report and ce:  # right on small logits: now large ones, where a naive exp overflows
        big, c = _LOGITS_BIG
        also = _compare_loss(exercise, f"on logits {_fmt(big)} and target {c}", library, fn,
                             big, c, what, averaged=False)
        if also:
            also.message = report.message + f", also on logits {_fmt(big)},"
        report = also
    if report:
        report.message += f" match micrograd_like.losses.{library.__name__}."
    return report


def _compare_loss(exercise: str, on: str, library: Callable, fn: Callable, data: List[float],
                  targets: Any, what: str, averaged: bool) -> Report:
    """Run the learner's loss and the library's on the same inputs; name the mistake if any."""
    ref, ref_grads, _ = _value_and_grads(library, data, copy.copy(targets))
    got, grads, err = _value_and_grads(fn, data, copy.copy(targets))
    expected = f"expected {_fmt(ref)} with gradients {_fmt(ref_grads)}"
    numbers = ([got.data] if isinstance(got, Value) else []) + grads
    if max(map(abs, data)) >= 1000 and (isinstance(err, (ArithmeticError, ValueError)) or (
            err is None and not all(map(math.isfinite, numbers)))):
        # Only the large logits get here (the same code was right on small ones): numerics.
        seen = (f"raised {type(err).__name__}" if err else
                f"gave {_fmt(got)}, gradients {_fmt(grads)}")
        why = ("exp(1000) overflows a float." if isinstance(err, OverflowError) else
               "A softmax probability of e**-1000 rounds to 0, and log(0) is -inf.")
        return _fail(exercise, f"{on}, your loss {seen}; {expected}. {why} Subtract the largest "
                     "logit m first, and take the log of the sum, not of a probability: "
                     "loss = m + log(sum(exp(z - m))) - z[target].", "overflow")
    if err is not None:
        return _error(exercise, err, on)
    if not isinstance(got, Value):
        kind = "the right number" if _is_number(got) and _close(got, ref.data) else expected
        return _fail(exercise, f"{on}, your loss returned {type(got).__name__} {_fmt(got)} "
                     f"({kind}), not a Value: backward() cannot reach the inputs. Build it from "
                     "the Values themselves, without .data, float() or math.*.", "not-a-value")
    bad = _numbers(exercise, on, [("your loss's .data", got.data)] + [
        (f"after backward {what}[{k}].grad", g) for k, g in enumerate(grads)], _TO_GRAD)
    if bad is not None:
        return bad
    v, r, n = got.data, ref.data, len(data)
    if _close(v, r) and _close(grads, ref_grads):
        return Report(exercise, True, f"value {_fmt(r)} and all {n} gradients")
    if _close(v, r) and all(g == 0.0 for g in grads):
        return _fail(exercise, f"{on}, the value {_fmt(v)} is right but every gradient is 0: "
                     "the Value was made from plain numbers (.data, float(), math.*), so the "
                     "graph does not reach the inputs. Compute with the Values.", "not-a-value")
    if averaged and _close(v, n * r) and _close(grads, [n * g for g in ref_grads]):
        return _fail(exercise, f"{on}, your loss is {_fmt(v)}, {n} times the mean {_fmt(r)}: "
                     f"you added the {n} per-sample losses up. Divide the sum by len(targets).",
                     "sum-not-mean")
    if _close(v, -r):
        return _fail(exercise, f"{on}, your loss is {_fmt(v)}, minus the right {_fmt(r)}: a "
                     "log-likelihood must be negated to be a loss (minimising it then maximises "
                     "the likelihood). Put a minus sign in front.", "sign")
    if _close(v, r) and _close(grads, [-g for g in ref_grads]):
        return _fail(exercise, f"{on}, the value is right but the gradients {_fmt(grads)} have "
                     f"the wrong sign (expected {_fmt(ref_grads)}): the loss pulls p towards t, "
                     "so its derivative is proportional to (p - t), not (t - p).", "sign")
    return _fail(exercise, f"{on}, your loss gave {_fmt(v)} with gradients {_fmt(grads)}; "
                 f"{expected}. Write the formula out for one sample and check each term.", "wrong")


def _is_number(x: Any) -> bool:
    """A real number (int, float, numpy scalar), not a str, bool-like text or a Value."""
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return not isinstance(x, (str, bytes, Value))


# --- one step of gradient descent ------------------------------------------------

_START, _GRADS, _LR = [1.0, -2.0, 0.5], [0.5, -1.0, 2.0], 0.125


def check_sgd_step(fn: Callable) -> Report:
    """Check ``fn(parameters, lr)``: one step of plain gradient descent, p.data -= lr * p.grad.

    ``fn`` changes each Value's ``.data`` in place, as ``SGD(params, lr).step()``
    does. Names "lr-sign", "lr-missing", "grad-not-data", "no-update",
    "no-backward" (the gradients zeroed before the update) and "error".

    >>> from micrograd_like import exercises
    >>> def step(parameters, lr):
    ...     for p in parameters:
    ...         p.data -= lr * p.grad
    >>> print(exercises.check_sgd_step(step))
    sgd step: correct, every p.data moved by -lr * p.grad, as optim.SGD(params, lr=0.125).step().
    """
    _check_callable(fn, "check_sgd_step", "check_sgd_step(my_step)")
    exercise = "sgd step"
    ref, mine = [Value(d) for d in _START], [Value(d) for d in _START]
    for p, q, g in zip(ref, mine, _GRADS):
        p.grad = q.grad = g
    SGD(ref, lr=_LR).step()
    expected = [p.data for p in ref]
    _, err = _run(fn, list(mine), _LR)  # a copy of the list: the check keeps its own Values
    on = f"for data {_fmt(_START)}, grads {_fmt(_GRADS)} and lr = {_LR}"
    if err is not None:
        return _error(exercise, err, on)
    data, grads = [p.data for p in mine], [p.grad for p in mine]
    bad = _numbers(exercise, on, [(f"after your step parameters[{k}].{a}", x) for a, xs in
                                  (("data", data), ("grad", grads)) for k, x in enumerate(xs)],
                   "assign floats: p.data -= lr * p.grad", *_STEP)
    if bad is not None:
        return bad
    if _close(data, expected):
        return Report(exercise, True, "every p.data moved by -lr * p.grad, as "
                      f"optim.SGD(params, lr={_LR}).step().")
    said = f"{on}, p.data became {_fmt(data)}; expected {_fmt(expected)}"
    fix = "p.data -= lr * p.grad"
    if _close(data, [d + _LR * g for d, g in zip(_START, _GRADS)]):
        return _fail(exercise, f"{said}: you added lr * p.grad, which climbs the loss. "
                     f"Step against the gradient: {fix}.", "lr-sign")
    if _close(data, [d - g for d, g in zip(_START, _GRADS)]):
        return _fail(exercise, f"{said}: the step is the whole gradient. Multiply it by lr: "
                     f"{fix}.", "lr-missing")
    if data == _START and all(g == 0.0 for g in grads):
        return _fail(exercise, f"{on}, no p.data changed and every p.grad became 0: the "
                     "gradient was reset before the update, so the step moved nothing. Update "
                     f"first ({fix}), then zero the gradients, or zero them in the training "
                     "loop before loss.backward().", "no-backward")
    if data == _START and grads != _GRADS:
        return _fail(exercise, f"{on}, p.data did not change but p.grad became {_fmt(grads)}: "
                     f"the update went into the gradient. Change the data: {fix}.",
                     "grad-not-data")
    if data == _START:
        return _fail(exercise, f"{on}, no p.data changed (still {_fmt(data)}). `p = p - lr * "
                     "p.grad` only makes a new Value and rebinds the name p; change each "
                     f"parameter in place: {fix}.", "no-update")
    return _fail(exercise, f"{said}, i.e. p.data - lr * p.grad.", "wrong")


# --- a training loop -------------------------------------------------------------

_XS = [[0.5, -1.0], [1.0, 0.5], [-0.5, 1.5], [-1.0, -0.5]]
_YS = [1.0, -1.0, 1.0, -1.0]
_STEPS, _LOOP_LR = 5, 0.125  # not a round lr: a loop that ignores its lr argument shows


def _library_loop(model: MLP, zero_grad: bool = True, maximize: bool = False,
                  reduction: str = "mean") -> List[float]:
    """The library's loop (or one with a planted mistake): full-batch MSE and SGD."""
    opt = SGD(model.parameters(), lr=_LOOP_LR, maximize=maximize)
    history = []
    for _ in range(_STEPS):
        if zero_grad:
            opt.zero_grad()
        loss = losses.mse_loss([model(x) for x in _XS], _YS, reduction=reduction)
        loss.backward()
        opt.step()
        history.append(loss.data)
    return history


def _weights_after(model: MLP, **mistake: Any) -> List[float]:
    _library_loop(model, **mistake)
    return [p.data for p in model.parameters()]


def check_training_loop(fn: Callable) -> Report:
    """Check ``fn(model, xs, ys, steps, lr)``: train with MSE and plain gradient descent.

    Each of the ``steps`` steps uses all of ``xs`` at once: zero the
    gradients, compute the mean squared error of ``[model(x) for x in xs]``
    against ``ys``, ``backward()``, then ``p.data -= lr * p.grad`` for every
    parameter. ``fn`` returns the list of the loss (a float) at each step.
    The check trains a copy of the same ``MLP(2, [4, 1])`` with the library
    and compares the weights and the losses. Names "zero-grad", "lr-sign",
    "sum-not-mean", "no-backward", "stale-loss" and "error".

    >>> from micrograd_like import exercises
    >>> def train(model, xs, ys, steps, lr):
    ...     history = []
    ...     for _ in range(steps):
    ...         loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
    ...         loss.backward()          # no zero_grad: gradients pile up
    ...         for p in model.parameters():
    ...             p.data -= lr * p.grad
    ...         history.append(loss.data)
    ...     return history
    >>> exercises.check_training_loop(train).mistake
    'zero-grad'
    """
    _check_callable(fn, "check_training_loop", "check_training_loop(my_train)")
    exercise = "training loop"
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    start, reference = [p.data for p in model.parameters()], copy.deepcopy(model)
    expected = _library_loop(reference)
    mistakes = [  # (code, the weights that mistake ends with, what to say)
        ("zero-grad", _weights_after(copy.deepcopy(model), zero_grad=False),
         "match a loop that never resets the gradients: backward() adds to p.grad, so each step "
         "used the sum of all gradients so far. Call model.zero_grad() before loss.backward()."),
        ("lr-sign", _weights_after(copy.deepcopy(model), maximize=True),
         "match a loop that adds lr * p.grad, so the loss rises. Use p.data -= lr * p.grad."),
        ("sum-not-mean", _weights_after(copy.deepcopy(model), reduction="sum"),
         "match a loop on the summed squared error; the exercise averages it: divide by len(xs)."),
    ]
    history, err = _run(fn, model, [list(x) for x in _XS], list(_YS), _STEPS, _LOOP_LR)
    on = f"for {_STEPS} steps with lr = {_LOOP_LR} on {model!r}"
    if err is not None:
        return _error(exercise, err, on)
    weights, seen = [p.data for p in model.parameters()], _floats(history)
    bad = _numbers(exercise, on, [(f"after training model.parameters()[{k}].data", w)
                                  for k, w in enumerate(weights)],
                   "assign floats: p.data -= lr * p.grad", *_STEP)
    if bad is not None:
        return bad
    shown = _fmt(seen) if seen else repr(history)
    if _close(weights, start):
        return _fail(exercise, f"{on}, every weight is still at its initial value: call "
                     "loss.backward() before the update, and zero_grad() before backward() "
                     "(not between backward() and the update).", "no-backward")
    if _close(weights, [p.data for p in reference.parameters()], 1e-6):
        if seen and _close(seen, expected, 1e-6):
            return Report(exercise, True, f"{on}, the weights and the losses {_fmt(expected)} "
                          "match the library's.")
        return _fail(exercise, f"{on}, the weights are right, but you returned {shown}, while "
                     f"the loss at each step was {_fmt(expected)}. Append loss.data right after "
                     "computing the loss, once per step, and return the list.", "stale-loss")
    for code, wrong, say in mistakes:
        if _close(weights, wrong, 1e-6):
            return _fail(exercise, f"{on}, your weights {say} (Losses: yours {shown}, the "
                         f"library's {_fmt(expected)}.)", code)
    return _fail(exercise, f"{on}, your weights differ from the library's (losses {shown}, "
                 f"expected {_fmt(expected)}). Each step: zero_grad, mean squared error over all "
                 "xs, backward, p.data -= lr * p.grad.", "wrong")


def _floats(history: Any) -> Optional[List[float]]:
    """The learner's losses as floats (Values are fine too), or None if it is not such a list."""
    if not isinstance(history, (list, tuple)) or len(history) != _STEPS:
        return None
    try:
        return [float(h) for h in history]
    except (TypeError, ValueError):
        return None


# --- weight penalties ------------------------------------------------------------

_WEIGHTS, _ALPHA = [0.5, -2.0, 3.0], 0.25
_PENALTIES = {"l2": lambda ps, a: a * losses.l2_penalty(ps),
              "l1": lambda ps, a: a * losses.l1_penalty(ps)}


def check_regularization(kind: str, fn: Callable) -> Report:
    """Check ``fn(parameters, alpha)``: the L2 or L1 weight penalty, as a Value.

    The convention is micrograd's demo: ``kind="l2"`` is
    ``alpha * sum(w**2)`` (``alpha * losses.l2_penalty(ps)``), whose
    gradient is ``2 * alpha * w``; ``kind="l1"`` is ``alpha * sum(|w|)``
    (``alpha * losses.l1_penalty(ps)``), gradient ``alpha * sign(w)``.
    Adding the L2 penalty to the loss moves the weights exactly as
    ``optim.SGD(params, lr, weight_decay=2 * alpha)`` does: torch's
    ``weight_decay`` wd adds wd * w to each gradient, the gradient of
    wd/2 * sum(w**2). Names "not-squared", "abs-missing", "factor",
    "not-a-value" and "error".

    >>> from micrograd_like import exercises
    >>> def l2(parameters, alpha):
    ...     return alpha * sum(p * p for p in parameters)
    >>> bool(exercises.check_regularization("l2", l2))
    True
    """
    if not isinstance(kind, str) or kind not in _PENALTIES:
        raise ValueError(f"check_regularization: unknown kind {kind!r}; use 'l2' or 'l1'")
    _check_callable(fn, "check_regularization", f"check_regularization({kind!r}, my_penalty)")
    exercise, penalty = f"{kind} regularization", _PENALTIES[kind]
    ref, ref_grads, _ = _value_and_grads(penalty, _WEIGHTS, _ALPHA)
    got, grads, err = _value_and_grads(fn, _WEIGHTS, _ALPHA)
    on = f"for weights {_fmt(_WEIGHTS)} and alpha = {_ALPHA}"
    if err is not None:
        return _error(exercise, err, on)
    bad = _numbers(exercise, on, ([("your penalty's .data", got.data)] if isinstance(got, Value)
                                  else []) + [(f"after backward parameters[{k}].grad", g)
                                              for k, g in enumerate(grads)], _TO_GRAD)
    if bad is not None:
        return bad
    if not isinstance(got, Value) or all(g == 0.0 for g in grads):
        what = "cut off from the weights" if isinstance(got, Value) else f"a {type(got).__name__}"
        return _fail(exercise, f"{on}, your penalty {_fmt(got)} is {what}: backward() cannot "
                     "reach the weights. Build it from the Values.", "not-a-value")
    if _close(got.data, ref.data) and _close(grads, ref_grads):
        return Report(exercise, True, f"{on}, value {_fmt(ref)} and gradients {_fmt(ref_grads)} "
                      f"match alpha * losses.{kind}_penalty(ps).")
    said = (f"{on}, your penalty is {_fmt(got)} (gradients {_fmt(grads)}); expected {_fmt(ref)} "
            f"({_fmt(ref_grads)})")
    right = "alpha * " + ("sum(w * w)" if kind == "l2" else "sum(abs(w))")
    candidates = {  # kind -> [(code, the penalty that mistake computes, what to say)]
        "l2": [("not-squared", lambda ps, a: a * sum(ps), f"you summed the weights; use {right}."),
               ("not-squared", lambda ps, a: a * sum(abs(p) for p in ps),
                f"that is the L1 penalty; L2 squares each weight: {right}."),
               ("not-squared", lambda ps, a: a * losses.l2_penalty(ps) ** 0.5,
                f"that is alpha times the norm ||w||; the penalty is its square: {right}.")],
        "l1": [("abs-missing", lambda ps, a: a * sum(ps),
                "you summed the weights, so negative ones lower the penalty; use sum(abs(w)).")],
    }[kind] + [
        ("factor", lambda ps, a: 0.5 * penalty(ps, a), f"half the answer: use {right}."),
        ("factor", lambda ps, a: 2 * penalty(ps, a), f"twice the answer: use {right}."),
        ("factor", lambda ps, a: penalty(ps, 1.0), f"alpha was left out: use {right}."),
        ("factor", lambda ps, a: penalty(ps, a) / len(ps),
         f"that is a mean; the penalty sums over the weights: {right}."),
    ]
    for code, mistake, say in candidates:
        v, g, _ = _value_and_grads(mistake, _WEIGHTS, _ALPHA)
        if _close(got.data, v.data) and _close(grads, g):
            return _fail(exercise, f"{said}: {say}", code)
    return _fail(exercise, f"{said}. Write it as {right}.", "wrong")

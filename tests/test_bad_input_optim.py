"""Bad input to the optimizers, the schedules, fit, batches, predict and evaluate.

Also the learning rate that goes bad after construction (a schedule that
yields NaN, a hand edit of param_groups): step() refuses it before it
touches the weights. See tests/_bad_input.py for what each case checks.
"""

from __future__ import annotations

import math

import pytest

from micrograd_like import MLP, Value
from micrograd_like.losses import mse_loss
from micrograd_like.optim import SGD, Adagrad, Adam, AdamW, RMSprop
from micrograd_like.optim.lr_scheduler import (
    CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, MultiStepLR, StepLR,
)
from micrograd_like.predict import evaluate, predict
from micrograd_like.train import batches, fit

from _bad_input import case, check

model = MLP(2, [3, 1], seed=0)
other = MLP(2, [3, 1], seed=1)
X, Y = [[0.0, 1.0], [1.0, 0.0]], [1.0, -1.0]


def opt():
    return SGD(model.parameters(), lr=0.1)


def _set_lr(o, lr):
    o.param_groups[0]["lr"] = lr
    return o


def _fit(**kw):
    args = dict(model=model, loss_fn=mse_loss, optimizer=opt(), X=X, y=Y, verbose=0)
    args.update(kw)
    return fit(args.pop("model"), args.pop("loss_fn"), args.pop("optimizer"), args.pop("X"), args.pop("y"), **args)


def _stepped(sched_factory):
    o = opt()
    sched = sched_factory(o)
    sched.step()
    return o.step()


OPTIMIZERS = [
    case("SGD(model)", lambda: SGD(model), TypeError, "SGD", "MLP", "model.parameters()"),
    case("Adam(model)", lambda: Adam(model), TypeError, "Adam", "MLP", "model.parameters()"),
    case("SGD(Value)", lambda: SGD(Value(1.0)), TypeError, "SGD", "Value", "wrap it in a list"),
    case("SGD(3)", lambda: SGD(3), TypeError, "SGD", "int", "wrap it in a list"),
    case("SGD(None)", lambda: SGD(None), TypeError, "SGD", "NoneType", "wrap it in a list"),
    case("SGD(set)", lambda: SGD({Value(1.0)}), TypeError, "SGD", "set", "pass a list"),
    case("SGD([])", lambda: SGD([]), ValueError, "SGD", "empty", "at least one Value"),
    case("SGD([1.0])", lambda: SGD([1.0]), TypeError, "SGD", "float 1.0", "Value(...)"),
    case("SGD non-leaf", lambda: SGD([Value(1.0) * 2]), ValueError, "non-leaf", "'*'", ".detach()"),
    case("SGD twice", lambda: SGD([model.parameters()[0]] * 2), ValueError, "SGD", "more than once", "list each parameter once"),
    case("SGD lr nan", lambda: SGD(model.parameters(), lr=math.nan), ValueError, "SGD", "nan", "lr >= 0"),
    case("SGD lr inf", lambda: SGD(model.parameters(), lr=math.inf), ValueError, "SGD", "inf", "finite"),
    case("SGD lr -1", lambda: SGD(model.parameters(), lr=-1), ValueError, "SGD", "-1", "lr >= 0"),
    case("SGD lr str", lambda: SGD(model.parameters(), lr="0.1"), TypeError, "SGD", "'0.1'", "real number"),
    case("SGD lr None", lambda: SGD(model.parameters(), lr=None), TypeError, "SGD", "None", "real number"),
    case("SGD momentum -1", lambda: SGD(model.parameters(), momentum=-1), ValueError, "SGD", "-1", "momentum >= 0"),
    case("SGD nesterov", lambda: SGD(model.parameters(), nesterov=True), ValueError, "SGD", "momentum=0", "Nesterov"),
    case("SGD weight_decay nan", lambda: SGD(model.parameters(), weight_decay=math.nan), ValueError, "SGD", "nan", "weight_decay >= 0"),
    case("Adam lr nan", lambda: Adam(model.parameters(), lr=math.nan), ValueError, "Adam", "nan", "lr >= 0"),
    case("Adam betas", lambda: Adam(model.parameters(), betas=(1.5, 0.9)), ValueError, "Adam", "1.5", "0 <= beta1 < 1"),
    case("Adam betas str", lambda: Adam(model.parameters(), betas="ab"), TypeError, "Adam", "'ab'", "pair"),
    case("Adam eps -1", lambda: Adam(model.parameters(), eps=-1.0), ValueError, "Adam", "-1.0", "eps >= 0"),
    case("AdamW lr -1", lambda: AdamW(model.parameters(), lr=-1.0), ValueError, "AdamW", "-1.0", "lr >= 0"),
    case("RMSprop alpha -1", lambda: RMSprop(model.parameters(), alpha=-1.0), ValueError, "RMSprop", "-1.0", "alpha >= 0"),
    case("RMSprop lr str", lambda: RMSprop(model.parameters(), lr="x"), TypeError, "RMSprop", "'x'", "real number"),
    case("Adagrad lr_decay -1", lambda: Adagrad(model.parameters(), lr_decay=-1.0), ValueError, "Adagrad", "-1.0", "lr_decay >= 0"),
    case("Adagrad eps inf", lambda: Adagrad(model.parameters(), eps=math.inf), ValueError, "Adagrad", "inf", "finite"),
    case("step(closure='x')", lambda: opt().step(closure="x"), TypeError, "SGD.step", "'x'", "function"),
    case("step(closure=3)", lambda: opt().step(3), TypeError, "SGD.step", "3", "function"),
    case("step lr edited nan", lambda: _set_lr(opt(), math.nan).step(), ValueError, "SGD.step", "nan", "lr >= 0"),
    case("step lr edited str", lambda: _set_lr(opt(), "fast").step(), TypeError, "SGD.step", "'fast'", "real number"),
    case("step lr edited inf", lambda: _set_lr(Adam(model.parameters()), math.inf).step(), ValueError, "Adam.step", "inf", "finite"),
    case("add_param_group(3)", lambda: opt().add_param_group(3), TypeError, "param_group", "int", "'params'"),
    case("add_param_group no params", lambda: opt().add_param_group({"lr": 0.1}), ValueError, "SGD", "['lr']", "'params' key"),
    case("add_param_group overlap", lambda: opt().add_param_group({"params": model.parameters()}), ValueError, "SGD", "more than one", "exactly one group"),
    case("opt.load_state_dict(None)", lambda: opt().load_state_dict(None), ValueError, "SGD.load_state_dict", "NoneType", "state_dict()"),
    case("opt.load_state_dict state None", lambda: opt().load_state_dict({"state": None, "param_groups": []}), TypeError, "SGD.load_state_dict", "None", "as state_dict() makes"),
    case("opt.load_state_dict groups None", lambda: opt().load_state_dict({"state": {}, "param_groups": None}), TypeError, "SGD.load_state_dict", "None", "must be a list"),
    case("opt.load_state_dict lr nan", lambda: opt().load_state_dict({"state": {}, "param_groups": [dict(opt().state_dict()["param_groups"][0], lr=math.nan)]}), ValueError, "Invalid learning rate", "nan", "lr >= 0"),
    case("opt.load_state_dict({})", lambda: opt().load_state_dict({}), ValueError, "SGD.load_state_dict", "[]", "'param_groups'"),
]

SCHEDULES = [
    case("StepLR(None)", lambda: StepLR(None, 2), TypeError, "StepLR", "NoneType", "SGD(params)"),
    case("StepLR(model)", lambda: StepLR(model, 2), TypeError, "StepLR", "MLP", "SGD(params)"),
    case("StepLR step_size 0", lambda: StepLR(opt(), 0), ValueError, "StepLR", "0", "positive int"),
    case("StepLR step_size str", lambda: StepLR(opt(), "2"), ValueError, "StepLR", "'2'", "positive int"),
    case("StepLR gamma nan", lambda: StepLR(opt(), 2, gamma=math.nan), ValueError, "StepLR", "nan", "finite"),
    case("StepLR gamma str", lambda: StepLR(opt(), 2, gamma="x"), TypeError, "StepLR", "'x'", "real number"),
    case("MultiStepLR(milestones=5)", lambda: MultiStepLR(opt(), milestones=5), TypeError, "MultiStepLR", "5", "list of epochs"),
    case("MultiStepLR(milestones='ab')", lambda: MultiStepLR(opt(), milestones="ab"), TypeError, "MultiStepLR", "'ab'", "list of epochs"),
    case("MultiStepLR float milestone", lambda: MultiStepLR(opt(), milestones=[2.5]), TypeError, "MultiStepLR", "2.5", "ints"),
    case("MultiStepLR gamma inf", lambda: MultiStepLR(opt(), [2], gamma=math.inf), ValueError, "MultiStepLR", "inf", "finite"),
    case("ExponentialLR gamma nan", lambda: ExponentialLR(opt(), gamma=math.nan), ValueError, "ExponentialLR", "nan", "finite"),
    case("ExponentialLR gamma None", lambda: ExponentialLR(opt(), gamma=None), TypeError, "ExponentialLR", "None", "real number"),
    case("ExponentialLR gamma overflows", lambda: _stepped(lambda o: ExponentialLR(_set_lr(o, 10.0), gamma=1e308)), ValueError, "ExponentialLR.step", "inf", "finite number"),
    case("LambdaLR nan", lambda: _stepped(lambda o: LambdaLR(o, lambda k: math.nan)), ValueError, "LambdaLR.step", "nan", "finite number"),
    case("LambdaLR inf", lambda: _stepped(lambda o: LambdaLR(o, lambda k: math.inf)), ValueError, "LambdaLR.step", "inf", "finite number"),
    case("LambdaLR returns None", lambda: LambdaLR(opt(), lambda k: None), TypeError, "LambdaLR.step", "NoneType", "must return numbers"),
    case("LambdaLR returns str", lambda: LambdaLR(opt(), lambda k: "x"), TypeError, "LambdaLR.step", "epoch 0", "must return numbers"),
    case("LambdaLR not callable", lambda: LambdaLR(opt(), 3), TypeError, "LambdaLR", "int", "function"),
    case("LambdaLR wrong count", lambda: LambdaLR(opt(), [abs, abs]), ValueError, "lr_lambdas", "2", "one per param group"),
    case("CosineAnnealingLR T_max 0", lambda: CosineAnnealingLR(opt(), T_max=0), ValueError, "CosineAnnealingLR", "0", "> 0"),
    case("CosineAnnealingLR T_max str", lambda: CosineAnnealingLR(opt(), T_max="10"), TypeError, "CosineAnnealingLR", "'10'", "real number"),
    case("CosineAnnealingLR eta_min nan", lambda: CosineAnnealingLR(opt(), 10, eta_min=math.nan), ValueError, "CosineAnnealingLR", "nan", "finite"),
    case("LinearLR start 0", lambda: LinearLR(opt(), start_factor=0), ValueError, "LinearLR", "0", "greater than 0"),
    case("LinearLR end 2", lambda: LinearLR(opt(), end_factor=2.0), ValueError, "LinearLR", "2.0", "between 0 and 1"),
    case("LinearLR total_iters 0", lambda: LinearLR(opt(), total_iters=0), ValueError, "LinearLR", "0", "positive int"),
    case("sched.load_state_dict(None)", lambda: StepLR(opt(), 2).load_state_dict(None), TypeError, "StepLR.load_state_dict", "None", "state_dict()"),
    case("sched.load_state_dict([])", lambda: StepLR(opt(), 2).load_state_dict([]), TypeError, "StepLR.load_state_dict", "[]", "state_dict()"),
    case("sched.load_state_dict wrong keys", lambda: StepLR(opt(), 2).load_state_dict({"x": 1}), ValueError, "StepLR.load_state_dict", "'x'", "different scheduler"),
    case("resume without initial_lr", lambda: StepLR(opt(), 2, last_epoch=3), ValueError, "StepLR", "last_epoch=3", "last_epoch=-1"),
]

TRAIN = [
    case("fit file str", lambda: _fit(file="out.txt"), TypeError, "fit", "'out.txt'", "open('log.txt', 'w')"),
    case("fit file int", lambda: _fit(file=2), TypeError, "fit", "2", ".write"),
    case("fit other model's optimizer", lambda: _fit(optimizer=SGD(other.parameters())), ValueError, "fit", "another model", "model.parameters()"),
    case("fit model None", lambda: _fit(model=None), TypeError, "fit", "NoneType", "callable"),
    case("fit loss_fn str", lambda: _fit(loss_fn="mse"), TypeError, "fit", "'mse'", "loss_fn(outputs, targets)"),
    case("fit optimizer None", lambda: _fit(optimizer=None), TypeError, "fit", "NoneType", "SGD(model.parameters())"),
    case("fit X None", lambda: _fit(X=None), TypeError, "fit", "None", "list of samples"),
    case("fit y None", lambda: _fit(y=None), TypeError, "fit", "None", "list of samples"),
    case("fit lengths", lambda: _fit(y=[1.0]), ValueError, "fit", "1", "one target per sample"),
    case("fit empty", lambda: _fit(X=[], y=[]), ValueError, "fit", "empty", "at least one sample"),
    case("fit epochs 0", lambda: _fit(epochs=0), ValueError, "fit", "0", ">= 1"),
    case("fit epochs 1.5", lambda: _fit(epochs=1.5), TypeError, "fit", "1.5", "int >= 1"),
    case("fit epochs str", lambda: _fit(epochs="3"), TypeError, "fit", "'3'", "int >= 1"),
    case("fit batch_size 0", lambda: _fit(batch_size=0), ValueError, "fit", "0", ">= 1"),
    case("fit l2 -1", lambda: _fit(l2=-1.0), ValueError, "fit", "-1.0", ">= 0"),
    case("fit l1 str", lambda: _fit(l1="a"), TypeError, "fit", "'a'", ">= 0"),
    case("fit patience no validation", lambda: _fit(patience=2), ValueError, "fit", "patience", "validation_data"),
    case("fit verbose 3", lambda: _fit(verbose=3), ValueError, "fit", "3", "0 (silent)"),
    case("fit callbacks int", lambda: _fit(callbacks=5), TypeError, "fit", "5", "list of functions"),
    case("fit callback str", lambda: _fit(callbacks=["x"]), TypeError, "fit", "'x'", "callback(epoch, logs)"),
    case("fit seed str", lambda: _fit(seed="a"), TypeError, "fit", "'a'", "random.Random"),
    case("fit validation_data 3", lambda: _fit(validation_data=3), ValueError, "fit", "3", "(X_val, y_val)"),
    case("fit scheduler str", lambda: _fit(scheduler="cos"), TypeError, "fit", "str", "step()"),
    case("fit metrics list", lambda: _fit(metrics=[abs]), TypeError, "fit", "list", "{'acc': accuracy_score}"),
    case("fit to_label str", lambda: _fit(to_label="argmax"), TypeError, "fit", "'argmax'", "function"),
    case("batches size 0", lambda: list(batches(X, Y, 0)), ValueError, "batches", "0", ">= 1"),
    case("batches X None", lambda: list(batches(None, Y, 1)), TypeError, "batches", "None", "list"),
    case("batches lengths", lambda: list(batches(X, [1.0], 1)), ValueError, "batches", "1", "one entry per sample"),
    case("predict(model, None)", lambda: predict(model, None), TypeError, "predict", "None", "list of samples"),
    case("predict(model, 3)", lambda: predict(model, 3), TypeError, "predict", "3", "list of samples"),
    case("predict(None, X)", lambda: predict(None, X), TypeError, "predict", "None", "callable"),
    case("evaluate(X None)", lambda: evaluate(model, mse_loss, None, Y), TypeError, "evaluate", "None", "list of samples"),
    case("evaluate(model=None)", lambda: evaluate(None, mse_loss, X, Y), TypeError, "evaluate", "None", "callable"),
    case("evaluate(loss_fn='mse')", lambda: evaluate(model, "mse", X, Y), TypeError, "evaluate", "'mse'", "mse_loss"),
    case("evaluate lengths", lambda: evaluate(model, mse_loss, X, [1.0]), ValueError, "evaluate", "1", "one target per sample"),
]


@pytest.mark.parametrize("call, exc, words", OPTIMIZERS + SCHEDULES + TRAIN)
def test_bad_input_gets_a_clear_error(call, exc, words):
    check(call, exc, words)


def test_a_bad_lr_reaches_no_weight():
    # Oracle: the weights as they were, compared exactly.
    before = [p.data for p in model.parameters()]
    for o in (_set_lr(opt(), math.nan), _set_lr(Adam(model.parameters()), math.inf)):
        with pytest.raises(ValueError):
            o.step()
    assert [p.data for p in model.parameters()] == before


def test_the_table_is_big_enough():
    assert len(OPTIMIZERS + SCHEDULES + TRAIN) >= 90


def test_a_schedule_with_a_bad_last_epoch():
    import pytest as _pytest

    from micrograd_like import Value
    from micrograd_like.optim import SGD
    from micrograd_like.optim.lr_scheduler import StepLR

    for bad in ("x", 1.5, -2, True):
        with _pytest.raises(TypeError, match="StepLR: last_epoch must be an int"):
            StepLR(SGD([Value(0.0)], lr=0.1), step_size=1, last_epoch=bad)

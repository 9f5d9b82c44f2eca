"""ReduceLROnPlateau and OneCycleLR against torch.optim.lr_scheduler, step by step."""

import math
import random

import pytest

from micrograd_like import Value
from micrograd_like.optim import SGD, Adam
from micrograd_like.optim.lr_scheduler import OneCycleLR, ReduceLROnPlateau


def _metrics(seed, n=60):
    rng = random.Random(seed)
    out, x = [], 1.0
    for _ in range(n):  # falls, then wanders: plateaus and small gains
        x = x * rng.uniform(0.95, 1.02)
        out.append(x)
    return out


@pytest.mark.parametrize("kwargs", [
    {},
    {"patience": 2, "factor": 0.5},
    {"patience": 0, "cooldown": 2, "factor": 0.3, "min_lr": 0.01},
    {"mode": "max", "patience": 3, "threshold": 0.01, "threshold_mode": "abs"},
    {"patience": 1, "threshold": 0.05, "eps": 0.02},
])
def test_reduce_lr_on_plateau_matches_torch(torch, kwargs):
    ours_opt = SGD([Value(0.0)], lr=1.0, momentum=0.9)
    tp = torch.zeros((), requires_grad=True)
    theirs_opt = torch.optim.SGD([tp], lr=1.0, momentum=0.9)
    ours = ReduceLROnPlateau(ours_opt, **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs_opt, **kwargs)
    for m in _metrics(seed=len(kwargs)):
        ours.step(m)
        theirs.step(m)
        assert ours.get_last_lr() == theirs.get_last_lr()
        assert (ours.num_bad_epochs, ours.cooldown_counter, ours.best) == (
            theirs.num_bad_epochs, theirs.cooldown_counter, theirs.best)


def test_reduce_lr_on_plateau_takes_a_value_and_resumes():
    opt = SGD([Value(0.0)], lr=1.0)
    sched = ReduceLROnPlateau(opt, patience=0)
    sched.step(Value(1.0))
    sched.step(Value(2.0))
    assert sched.get_last_lr() == [0.1]
    again = ReduceLROnPlateau(SGD([Value(0.0)], lr=0.1), patience=0)
    again.load_state_dict(sched.state_dict())
    assert (again.best, again.last_epoch) == (1.0, 2)


@pytest.mark.parametrize("kwargs", [
    {"total_steps": 40},
    {"epochs": 4, "steps_per_epoch": 10, "anneal_strategy": "linear"},
    {"total_steps": 30, "three_phase": True, "pct_start": 0.25},
    {"total_steps": 25, "div_factor": 10.0, "final_div_factor": 100.0, "cycle_momentum": False},
])
@pytest.mark.parametrize("make", ["sgd", "adam"])
def test_one_cycle_matches_torch(torch, kwargs, make):
    tp = torch.zeros((), requires_grad=True)
    if make == "sgd":
        ours_opt = SGD([Value(0.0)], lr=0.1, momentum=0.9)
        theirs_opt = torch.optim.SGD([tp], lr=0.1, momentum=0.9)
    else:
        ours_opt = Adam([Value(0.0)], lr=0.1)
        theirs_opt = torch.optim.Adam([tp], lr=0.1)
    ours = OneCycleLR(ours_opt, max_lr=0.5, **kwargs)
    theirs = torch.optim.lr_scheduler.OneCycleLR(theirs_opt, max_lr=0.5, **kwargs)
    steps = kwargs.get("total_steps") or kwargs["epochs"] * kwargs["steps_per_epoch"]
    for _ in range(steps - 1):
        key = "momentum" if make == "sgd" else "betas"
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-15)
        assert ours_opt.param_groups[0][key] == pytest.approx(theirs_opt.param_groups[0][key], rel=1e-15)
        ours_opt.step(), theirs_opt.step()
        ours.step(), theirs.step()
    # past the end: torch raises once the count passes total_steps; here the
    # extrapolated lr may already be refused a step earlier (it can turn negative)
    with pytest.raises(ValueError, match=r"OneCycleLR(: tried to step|\.step: epoch)"):
        ours.step(), ours.step()


@pytest.mark.parametrize("call, text", [
    (lambda o: ReduceLROnPlateau(o, factor=1.5), "factor should be < 1.0"),
    (lambda o: ReduceLROnPlateau(o, mode="lowest"), "mode must be 'min'"),
    (lambda o: ReduceLROnPlateau(o, patience=-1), "patience must be an int >= 0"),
    (lambda o: ReduceLROnPlateau(o, min_lr=[0.1, 0.2]), "expected 1 min_lrs"),
    (lambda o: OneCycleLR(o, max_lr=1.0), "give total_steps, or epochs and steps_per_epoch"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=0), "expected a positive int total_steps"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=5, pct_start=2.0), "pct_start"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=5, anneal_strategy="exp"), "anneal_strategy"),
])
def test_bad_arguments(call, text):
    with pytest.raises(ValueError, match=text):
        call(SGD([Value(0.0)], lr=0.1, momentum=0.9))


def test_one_cycle_without_momentum_needs_cycle_momentum_false():
    from micrograd_like.optim import Adagrad

    with pytest.raises(ValueError, match="cycle_momentum=True needs an optimizer with momentum"):
        OneCycleLR(Adagrad([Value(0.0)], lr=0.1), max_lr=1.0, total_steps=5)
    OneCycleLR(Adagrad([Value(0.0)], lr=0.1), max_lr=1.0, total_steps=5, cycle_momentum=False)


def test_plateau_step_wants_a_number():
    sched = ReduceLROnPlateau(SGD([Value(0.0)], lr=0.1))
    with pytest.raises(TypeError, match="ReduceLROnPlateau.step: metrics must be a number"):
        sched.step("low")
    assert math.isinf(sched.best)


def test_a_plateau_state_saved_before_default_min_lr_still_loads():
    # state_dict() gained "default_min_lr" (torch has it too); a scheduler
    # saved without it must load, keeping the constructor's value
    from micrograd_like import Value
    from micrograd_like.optim import SGD
    from micrograd_like.optim.lr_scheduler import ReduceLROnPlateau

    old = ReduceLROnPlateau(SGD([Value(1.0)], lr=0.1), patience=0, min_lr=0.01)
    old.step(1.0)
    old.step(2.0)  # reduced once: lr 0.01
    saved = old.state_dict()
    del saved["default_min_lr"]
    new = ReduceLROnPlateau(SGD([Value(1.0)], lr=0.1), patience=0, min_lr=0.01)
    new.load_state_dict(saved)
    assert (new.best, new.num_bad_epochs, new.default_min_lr) == (1.0, 0, 0.01)
    saved["unknown"] = 1
    with pytest.raises(ValueError, match=r"keys do not match \(missing \[\], unexpected \['unknown'\]\)"):
        new.load_state_dict(saved)

"""Where optimizers and schedules once parted from torch.optim: each case against torch in float64.

A parameter without a gradient, learning rates that a schedule drives to (or
just below) zero, param groups added after a scheduler, per-group lists of
the wrong length.
"""

import itertools

import pytest

from micrograd_like import Value
from micrograd_like.optim import SGD, Adagrad, Adam, AdamW, RMSprop
from micrograd_like.optim import lr_scheduler
from micrograd_like.optim.lr_scheduler import OneCycleLR, ReduceLROnPlateau

OPTIMIZERS = [
    ("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("SGD", dict(lr=0.1)),  # the fast path without momentum
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.1, weight_decay=0.1, amsgrad=True)),
    ("AdamW", dict(lr=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
]
OURS = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW, "RMSprop": RMSprop, "Adagrad": Adagrad}


def _pair(torch, name, kwargs, data):
    ours = [Value(x) for x in data]
    theirs = [torch.tensor(x, requires_grad=True) for x in data]
    return ours, OURS[name](ours, **kwargs), theirs, getattr(torch.optim, name)(theirs, **kwargs)


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS)
def test_a_parameter_whose_grad_is_none_is_skipped_as_in_torch(torch, name, kwargs):
    ours, opt, theirs, topt = _pair(torch, name, kwargs, [1.0, -2.0, 0.5])
    # grads per step; None: that parameter has no gradient this step
    for grads in ([0.3, None, -1.0], [0.3, 0.7, -1.0], [None, -0.2, None], [None, None, None]):
        for p, t, g in zip(ours, theirs, grads):
            p.grad = g
            t.grad = None if g is None else torch.tensor(g)
        opt.step()
        topt.step()
        assert [p.data for p in ours] == pytest.approx([t.item() for t in theirs], rel=1e-14, abs=0)


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS)
def test_zero_grad_is_torchs_set_to_none_false(torch, name, kwargs):
    # Documented difference: our zero_grad() leaves 0.0 (micrograd's way), so an
    # unused parameter still takes a zero-gradient step, as torch's
    # zero_grad(set_to_none=False) does; torch's default would skip it.
    ours, opt, theirs, topt = _pair(torch, name, kwargs, [1.0, -2.0])
    for p, t in zip(ours, theirs):
        p.grad, t.grad = 0.5, torch.tensor(0.5)
    opt.step()
    topt.step()
    for set_to_none in (True, False):
        opt.zero_grad(set_to_none=set_to_none)
        topt.zero_grad(set_to_none=False)
        assert [p.grad for p in ours] == [0.0, 0.0]
        opt.step()
        topt.step()
        assert [p.data for p in ours] == pytest.approx([t.item() for t in theirs], rel=1e-14, abs=0)


def test_a_negative_lr_set_after_construction_steps_as_in_torch(torch):
    # torch refuses lr < 0 only in the constructor.
    ours, opt, theirs, topt = _pair(torch, "SGD", dict(lr=0.1, momentum=0.9), [1.0])
    for o in (opt, topt):
        o.param_groups[0]["lr"] = -0.5
    ours[0].grad, theirs[0].grad = 2.0, torch.tensor(2.0)
    opt.step()
    topt.step()
    assert ours[0].data == theirs[0].item()
    again = SGD([Value(1.0)], lr=0.1)
    again.load_state_dict(opt.state_dict())  # a state saved then loads
    assert again.param_groups[0]["lr"] == -0.5
    with pytest.raises(ValueError, match="Invalid learning rate"):
        SGD([Value(1.0)], lr=-0.5)


def _run_schedule(torch, make, steps, momentum=True):
    """The standard loop ``opt.step(); sched.step()``, ours and torch's side by side; their lrs.

    ``make(optimizer, schedules)`` builds the schedule from our module or torch's.
    """
    w, tw = Value(1.0), torch.tensor(1.0, requires_grad=True)
    opt = SGD([w], lr=0.1, momentum=0.9 if momentum else 0.0)
    topt = torch.optim.SGD([tw], lr=0.1, momentum=0.9 if momentum else 0.0)
    sched, tsched = make(opt, lr_scheduler), make(topt, torch.optim.lr_scheduler)
    ours, theirs = [sched.get_last_lr()], [tsched.get_last_lr()]
    for _ in range(steps):
        w.grad, tw.grad = 0.25, torch.tensor(0.25)
        opt.step()
        topt.step()
        sched.step()
        tsched.step()
        ours.append(sched.get_last_lr())
        theirs.append(tsched.get_last_lr())
        assert opt.param_groups[0]["momentum"] == topt.param_groups[0]["momentum"]
        assert w.data == pytest.approx(tw.item(), rel=1e-13, abs=1e-15)
    return ours, theirs


def test_linear_lr_decaying_to_zero_matches_torch(torch):
    negative = 0
    for start, total in itertools.product([1.0, 0.9, 0.5, 1 / 3, 0.25, 0.1, 0.01],
                                          [1, 2, 3, 4, 5, 6, 7, 9, 10, 13, 30, 100]):
        def make(o, schedules):
            return schedules.LinearLR(o, start_factor=start, end_factor=0.0, total_iters=total)
        ours, theirs = _run_schedule(torch, make, total + 2, momentum=False)
        assert ours == theirs, (start, total)
        negative += any(lr[0] < 0 for lr in ours)
    assert negative  # the rounding below 0 that once raised is among them


@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("total_steps", [2, 3, 4, 5, 7, 10, 11, 50, 101])
def test_one_cycle_linear_standard_loop_matches_torch(torch, three_phase, total_steps):
    def make(o, schedules):
        return schedules.OneCycleLR(o, max_lr=1.0, total_steps=total_steps, anneal_strategy="linear",
                                    three_phase=three_phase)
    ours, theirs = _run_schedule(torch, make, total_steps)
    assert ours == theirs
    assert ours[-1][0] < 0  # the total_steps-th step's lr, which no opt.step() uses


def _plateau_pair(torch, min_lr):
    opt = SGD([Value(1.0)], lr=0.1)
    topt = torch.optim.SGD([torch.tensor(1.0, requires_grad=True)], lr=0.1)
    sched = ReduceLROnPlateau(opt, patience=0, min_lr=min_lr)
    tsched = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, patience=0, min_lr=min_lr)
    opt.add_param_group({"params": [Value(2.0)], "lr": 0.2})
    topt.add_param_group({"params": [torch.tensor(2.0, requires_grad=True)], "lr": 0.2})
    return sched, tsched


@pytest.mark.parametrize("min_lr", [0.0, 0.015])
def test_plateau_with_a_group_added_later_and_one_min_lr_matches_torch(torch, min_lr):
    sched, tsched = _plateau_pair(torch, min_lr)
    for metric in [1.0, 2.0, 2.0, 3.0, 0.5, 0.6]:
        sched.step(metric)
        tsched.step(metric)
        assert sched.get_last_lr() == tsched.get_last_lr()
        assert sched.min_lrs == tsched.min_lrs


def test_plateau_with_a_group_added_later_and_a_list_of_min_lrs_raises_as_torch(torch):
    sched, tsched = _plateau_pair(torch, [0.001])
    sched.step(1.0)
    tsched.step(1.0)  # an improvement: nothing to reduce yet, so no error in either
    with pytest.raises(RuntimeError) as theirs:
        tsched.step(2.0)
    with pytest.raises(RuntimeError) as ours:
        sched.step(2.0)
    for words in ("ReduceLROnPlateau", "2 param groups", "for 1", "min_lrs to a list of 2"):
        assert words in str(ours.value)
    assert "min_lrs" in str(theirs.value)


@pytest.mark.parametrize("key, value", [
    ("max_lr", [1.0, 2.0]), ("max_lr", []),
    ("max_momentum", [0.95, 0.9]), ("base_momentum", [0.85, 0.8, 0.7]), ("base_momentum", ()),
])
def test_one_cycle_per_group_lists_of_the_wrong_length_raise_as_torch(torch, key, value):
    kwargs = {"max_lr": 1.0, "total_steps": 10, key: value}
    with pytest.raises(ValueError) as theirs:
        torch.optim.lr_scheduler.OneCycleLR(
            torch.optim.SGD([torch.tensor(1.0, requires_grad=True)], lr=0.1, momentum=0.9), **kwargs)
    with pytest.raises(ValueError) as ours:
        OneCycleLR(SGD([Value(1.0)], lr=0.1, momentum=0.9), **kwargs)
    message = str(ours.value)
    for words in ("OneCycleLR", key, f"has {len(value)} values", "param_groups has 1", "one " + key):
        assert words in message
    assert f"{key} has {len(value)} values" in str(theirs.value)

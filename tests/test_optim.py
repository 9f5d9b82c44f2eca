"""micrograd_like.optim against torch.optim (float64), step by step.

Every optimizer test feeds the SAME gradients to our Values and to float64
torch tensors and requires the parameters to agree to 1e-10 after every one
of 100 steps. Schedulers are compared with torch.optim.lr_scheduler lr by lr.
PyTorch fuses ``p + alpha * g`` into one FMA on the CPU, which plain Python
(before 3.13) cannot, so the two runs differ in the last bits, never more.
"""

import inspect
import json
import math
import random

import pytest

from micrograd_like import Value, optim
from micrograd_like.optim import lr_scheduler

N_PARAMS = 5
STEPS = 100
TOL = 1e-10


# --- helpers ----------------------------------------------------------------


def _gradient_sequence(seed, steps=STEPS, n=N_PARAMS):
    """Deterministic gradients of mixed sign and scale (0.1x, 1x, 10x), some exactly 0."""
    rng = random.Random(seed)
    seq = []
    for _ in range(steps):
        seq.append(
            [0.0 if rng.random() < 0.05 else rng.uniform(-1, 1) * rng.choice((0.1, 1.0, 10.0))
             for _ in range(n)]
        )
    return seq


def _initial_values(seed, n=N_PARAMS):
    rng = random.Random(seed + 1000)
    return [rng.uniform(-2, 2) for _ in range(n)]


def _as_params(params, groups):
    """``groups`` lists parameter *indices*; turn them into param-group dicts."""
    if groups is None:
        return list(params)
    return [dict(g, params=[params[i] for i in g["params"]]) for g in groups]


def _torch_optimizer(torch, name, params, kwargs):
    # foreach=False: the single-tensor code path that micrograd_like.optim mirrors.
    return getattr(torch.optim, name)(params, foreach=False, **kwargs)


class _TorchTwin:
    """The same parameters in torch: one float64 1-D tensor per group (fewer, faster steps)."""

    def __init__(self, torch, init, groups):
        self.torch, self.n = torch, len(init)
        self.groups = groups
        self.tensors = [torch.tensor([init[i] for i in g["params"]], requires_grad=True) for g in groups]

    def group(self, k):
        return dict(self.groups[k], params=[self.tensors[k]])

    def set_grads(self, grads):
        for g, t in zip(self.groups, self.tensors):
            t.grad = self.torch.tensor([grads[i] for i in g["params"]])

    def data(self):
        out = [None] * self.n
        for g, t in zip(self.groups, self.tensors):
            for i, x in zip(g["params"], t.tolist()):
                out[i] = x
        return out


def _run_lockstep(torch, name, kwargs, groups=None, seed=0, steps=STEPS, add_group=None, scheduler=None):
    """Run ours and torch's on identical gradients; return both trajectories."""
    init = _initial_values(seed)
    ours = [Value(x) for x in init]
    all_groups = list(groups or [{"params": list(range(N_PARAMS))}]) + ([add_group] if add_group else [])
    twin = _TorchTwin(torch, init, all_groups)
    n_init = len(all_groups) - (1 if add_group else 0)
    if groups is None:
        opt = getattr(optim, name)(ours, **kwargs)
        topt = _torch_optimizer(torch, name, twin.tensors[:1], kwargs)
    else:
        opt = getattr(optim, name)(_as_params(ours, groups), **kwargs)
        topt = _torch_optimizer(torch, name, [twin.group(k) for k in range(n_init)], kwargs)
    if add_group is not None:
        opt.add_param_group(_as_params(ours, [add_group])[0])
        topt.add_param_group(twin.group(n_init))
    scheds = []
    if scheduler is not None:
        sched_name, sched_kwargs = scheduler
        scheds = [
            getattr(lr_scheduler, sched_name)(opt, **sched_kwargs),
            getattr(torch.optim.lr_scheduler, sched_name)(topt, **sched_kwargs),
        ]
    ours_traj, theirs_traj = [], []
    for grads in _gradient_sequence(seed, steps):
        for v, g in zip(ours, grads):
            v.grad = g
        twin.set_grads(grads)
        opt.step()
        topt.step()
        for sched in scheds:
            sched.step()
        ours_traj.append([v.data for v in ours])
        theirs_traj.append(twin.data())
    return ours_traj, theirs_traj


def _assert_same_trajectory(ours, theirs, tol=TOL):
    assert len(ours) == len(theirs)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for i, (x, y) in enumerate(zip(a, b)):
            assert abs(x - y) <= tol, f"step {step}, param {i}: ours {x!r}, torch {y!r}"


# --- optimizers: trajectories against torch ----------------------------------

OPTIMIZER_CASES = [
    ("SGD", {}),
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.1, "maximize": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "nesterov": True, "maximize": True}),
    ("Adam", {}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.99)}),
    ("Adam", {"lr": 0.05, "betas": (0.3, 0.6)}),  # lerp weight >= 0.5: torch's other formula
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("Adam", {"lr": 0.05, "eps": 1e-2, "maximize": True, "amsgrad": True}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.5, "amsgrad": True}),
    ("AdamW", {"lr": 0.05, "maximize": True}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "maximize": True, "eps": 1e-3}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05}),
    ("Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1, "eps": 1e-3, "maximize": True, "lr_decay": 0.01}),
]


def _case_id(case):
    name, kwargs = case[0], case[1]
    return name + "-" + ("-".join(f"{k}={v}" for k, v in kwargs.items()) or "defaults")


@pytest.mark.parametrize("name, kwargs", OPTIMIZER_CASES, ids=[_case_id(c) for c in OPTIMIZER_CASES])
def test_trajectory_matches_torch(torch, name, kwargs):
    ours, theirs = _run_lockstep(torch, name, kwargs)
    _assert_same_trajectory(ours, theirs)


GROUP_CASES = [
    ("SGD", {"lr": 0.1}, [{"params": [0, 1], "lr": 0.3}, {"params": [2, 3, 4], "momentum": 0.9}]),
    ("Adam", {"lr": 0.05}, [{"params": [0, 1], "lr": 0.2, "amsgrad": True}, {"params": [2, 3, 4]}]),
    ("AdamW", {"lr": 0.05}, [{"params": [3], "weight_decay": 0.3}, {"params": [0, 1, 2, 4], "lr": 0.01}]),
    ("RMSprop", {"lr": 0.01}, [{"params": [0, 1], "lr": 0.001, "centered": True}, {"params": [2, 3, 4]}]),
    ("Adagrad", {"lr": 0.1}, [{"params": [0, 1, 2], "lr": 0.5, "lr_decay": 0.1}, {"params": [3, 4]}]),
]


@pytest.mark.parametrize("name, kwargs, groups", GROUP_CASES, ids=[c[0] for c in GROUP_CASES])
def test_param_groups_with_different_hyperparameters_match_torch(torch, name, kwargs, groups):
    ours, theirs = _run_lockstep(torch, name, kwargs, groups=groups, seed=3)
    _assert_same_trajectory(ours, theirs)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Adagrad"])
def test_add_param_group_matches_torch(torch, name):
    kwargs = {"lr": 0.05, "momentum": 0.9} if name == "SGD" else {"lr": 0.05}
    ours, theirs = _run_lockstep(
        torch, name, kwargs, groups=[{"params": [0, 1]}], add_group={"params": [2, 3, 4], "lr": 0.01}, seed=5
    )
    _assert_same_trajectory(ours, theirs)


def test_closure_with_engine_gradients_matches_torch(torch):
    # f(p) = sum c_i (p_i - t_i)^2 + p0 p1 p2, differentiated by each framework itself.
    c, target = [1.0, 2.0, 0.5, 3.0, 1.5], [0.3, -1.0, 2.0, 0.0, -0.5]
    init = _initial_values(7)
    ours = [Value(x) for x in init]
    theirs = torch.tensor(init, requires_grad=True)
    opt = optim.Adam(ours, lr=0.05, amsgrad=True)
    topt = torch.optim.Adam([theirs], lr=0.05, amsgrad=True, foreach=False)

    def closure():
        opt.zero_grad()
        loss = sum(ci * (p - ti) ** 2 for ci, p, ti in zip(c, ours, target)) + ours[0] * ours[1] * ours[2]
        loss.backward()
        return loss

    def tclosure():
        topt.zero_grad()
        loss = (torch.tensor(c) * (theirs - torch.tensor(target)) ** 2).sum()
        loss = loss + theirs[0] * theirs[1] * theirs[2]
        loss.backward()
        return loss

    for step in range(STEPS):
        loss, tloss = opt.step(closure), topt.step(tclosure)
        assert abs(loss.data - tloss.item()) <= TOL, f"step {step}: loss"
        _assert_same_trajectory([[v.data for v in ours]], [theirs.tolist()])


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_defaults_and_positional_order_match_torch(torch, name):
    ours_cls, torch_cls = getattr(optim, name), getattr(torch.optim, name)
    ours = ours_cls([Value(0.0)]).defaults
    theirs = torch_cls([torch.tensor(0.0, requires_grad=True)]).defaults
    for key, value in ours.items():
        assert key in theirs, key
        assert value == theirs[key], key
    # Positional arguments come in torch's order, so SGD(params, 0.1, 0.9) means the same.
    positional = [
        p.name
        for p in inspect.signature(ours_cls).parameters.values()
        if p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    torch_positional = [
        p.name
        for p in inspect.signature(torch_cls).parameters.values()
        if p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert positional == torch_positional[: len(positional)]


# --- state_dict ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs, steps",
    [
        ("SGD", {"lr": 0.1}, 3),
        ("SGD", {"lr": 0.1, "momentum": 0.9}, 3),
        ("Adam", {"lr": 0.1, "amsgrad": True}, 3),
        ("AdamW", {"lr": 0.1}, 3),
        ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}, 3),
        ("Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.2}, 0),  # state exists before any step
        ("Adagrad", {"lr": 0.1}, 3),
    ],
)
def test_state_dict_layout_matches_torch(torch, name, kwargs, steps):
    groups = [{"params": [0, 1], "lr": 0.01}, {"params": [2, 3, 4]}]
    init = _initial_values(11)
    ours = [Value(x) for x in init]
    theirs = [torch.tensor(x, requires_grad=True) for x in init]
    opt = getattr(optim, name)(_as_params(ours, groups), **kwargs)
    topt = _torch_optimizer(torch, name, _as_params(theirs, groups), kwargs)
    for grads in _gradient_sequence(11, steps):
        for v, t, g in zip(ours, theirs, grads):
            v.grad, t.grad = g, torch.tensor(g)
        opt.step()
        topt.step()
    sd, tsd = opt.state_dict(), topt.state_dict()

    assert list(sd["state"]) == list(tsd["state"])
    for i, state in sd["state"].items():
        assert set(state) == set(tsd["state"][i]), i
        for key, value in state.items():
            assert isinstance(value, float)
            assert abs(value - float(tsd["state"][i][key])) <= TOL, (i, key)
    assert len(sd["param_groups"]) == len(tsd["param_groups"])
    for group, tgroup in zip(sd["param_groups"], tsd["param_groups"]):
        assert group["params"] == tgroup["params"]
        for key, value in group.items():
            assert value == tgroup[key], key
    json.dumps(sd)  # plain floats, ints, lists, dicts


ROUND_TRIP_CASES = [c for c in OPTIMIZER_CASES if c[1]]  # every non-default configuration


@pytest.mark.parametrize("name, kwargs", ROUND_TRIP_CASES, ids=[_case_id(c) for c in ROUND_TRIP_CASES])
def test_json_state_dict_round_trip_resumes_exactly(name, kwargs):
    grads_seq = _gradient_sequence(21)
    init = _initial_values(21)
    groups = [{"params": [0, 1], "lr": 0.02}, {"params": [2, 3, 4]}]
    cls = getattr(optim, name)

    def run(params, opt, grads_seq):
        traj = []
        for grads in grads_seq:
            for p, g in zip(params, grads):
                p.grad = g
            opt.step()
            traj.append([p.data for p in params])
        return traj

    params = [Value(x) for x in init]
    uninterrupted = run(params, cls(_as_params(params, groups), **kwargs), grads_seq)

    first = [Value(x) for x in init]
    opt = cls(_as_params(first, groups), **kwargs)
    traj = run(first, opt, grads_seq[:40])
    saved = json.loads(json.dumps(opt.state_dict()))
    # A fresh optimizer with default hyperparameters: load_state_dict brings them back.
    second = [Value(p.data) for p in first]
    fresh = cls(_as_params(second, groups))
    fresh.load_state_dict(saved)
    assert fresh.state_dict() == opt.state_dict()  # int keys and tuples restored from JSON
    traj += run(second, fresh, grads_seq[40:])
    assert traj == uninterrupted  # same arithmetic, so bit for bit


def test_state_dict_is_a_snapshot_and_load_copies():
    w = Value(1.0)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = 1.0
    opt.step()
    sd = opt.state_dict()
    opt.step()
    assert sd["state"][0]["momentum_buffer"] == 1.0  # the second step did not change it
    other = optim.SGD([Value(0.0)], lr=0.1, momentum=0.9)
    other.load_state_dict(sd)
    sd["state"][0]["momentum_buffer"] = 123.0
    sd["param_groups"][0]["lr"] = 5.0
    assert other.state_dict()["state"][0]["momentum_buffer"] == 1.0
    assert other.param_groups[0]["lr"] == 0.1


def _two_group_adam():
    ps = [Value(float(i)) for i in range(5)]
    return optim.Adam([{"params": ps[:2]}, {"params": ps[2:]}], lr=0.1)


def test_load_state_dict_rejects_a_different_group_count():
    sd = optim.Adam([Value(1.0)]).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups.*has 2.*has 1"):
        _two_group_adam().load_state_dict(sd)


def test_load_state_dict_rejects_a_different_group_size():
    ps = [Value(1.0) for _ in range(5)]
    sd = optim.Adam([{"params": ps[:3]}, {"params": ps[3:]}]).state_dict()
    with pytest.raises(ValueError, match="doesn't match the size.*group 0.*2 parameters.*has 3"):
        _two_group_adam().load_state_dict(sd)


def test_load_state_dict_rejects_another_optimizers_state():
    ps = [Value(1.0) for _ in range(5)]
    sd = optim.SGD([{"params": ps[:2]}, {"params": ps[2:]}], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="betas.*different optimizer than Adam"):
        _two_group_adam().load_state_dict(sd)


def test_load_state_dict_rejects_state_for_unknown_parameters():
    opt = _two_group_adam()
    sd = opt.state_dict()
    sd["state"] = {"7": {"step": 1.0, "exp_avg": 0.0, "exp_avg_sq": 0.0}}
    with pytest.raises(ValueError, match="parameter '7'"):
        opt.load_state_dict(sd)
    with pytest.raises(ValueError, match="'state' and 'param_groups'"):
        opt.load_state_dict({"state": {}})


# --- hyperparameter and parameter validation -----------------------------------

INVALID_HYPERPARAMETERS = [
    ("SGD", {"lr": -0.1}),
    ("SGD", {"lr": 0.1, "momentum": -0.5}),
    ("SGD", {"lr": 0.1, "weight_decay": -1.0}),
    ("SGD", {"lr": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}),
    ("Adam", {"lr": -1.0}),
    ("Adam", {"eps": -1e-8}),
    ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (0.9, -0.1)}),
    ("Adam", {"weight_decay": -0.1}),
    ("AdamW", {"betas": (0.9, 1.5)}),
    ("RMSprop", {"lr": -0.01}),
    ("RMSprop", {"eps": -1.0}),
    ("RMSprop", {"momentum": -0.9}),
    ("RMSprop", {"weight_decay": -0.1}),
    ("RMSprop", {"alpha": -0.5}),
    ("Adagrad", {"lr": -0.1}),
    ("Adagrad", {"lr_decay": -0.1}),
    ("Adagrad", {"weight_decay": -0.1}),
    ("Adagrad", {"initial_accumulator_value": -0.1}),
    ("Adagrad", {"eps": -1e-10}),
]


@pytest.mark.parametrize(
    "name, kwargs", INVALID_HYPERPARAMETERS, ids=[_case_id(c) for c in INVALID_HYPERPARAMETERS]
)
def test_invalid_hyperparameters_raise_torchs_message(torch, name, kwargs):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.tensor(0.0, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as ours:
        getattr(optim, name)([Value(0.0)], **kwargs)
    assert str(theirs.value) in str(ours.value)
    assert name in str(ours.value)  # and says which optimizer complained


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_nan_learning_rate_is_rejected(name):
    with pytest.raises(ValueError, match="Invalid learning rate: nan"):
        getattr(optim, name)([Value(0.0)], lr=math.nan)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_invalid_hyperparameter_in_a_param_group_is_rejected(name):
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        getattr(optim, name)([{"params": [Value(0.0)]}, {"params": [Value(1.0)], "lr": -1}], lr=0.1)


@pytest.mark.parametrize(
    "name, kwargs, pattern",
    [
        ("SGD", {"lr": "0.1"}, "SGD: lr must be a real number, got str '0.1'"),
        ("Adam", {"betas": 0.9}, "Adam: betas must be a pair"),
        ("Adam", {"betas": (0.9, None)}, r"Adam: betas\[1\] must be a real number"),
        ("RMSprop", {"alpha": None}, "RMSprop: alpha must be a real number"),
    ],
)
def test_hyperparameters_of_the_wrong_type_raise_type_error(name, kwargs, pattern):
    with pytest.raises(TypeError, match=pattern):
        getattr(optim, name)([Value(0.0)], **kwargs)


def test_empty_parameter_list_raises_torchs_message(torch):
    with pytest.raises(ValueError) as theirs:
        torch.optim.SGD([], lr=0.1)
    with pytest.raises(ValueError) as ours:
        optim.SGD([], lr=0.1)
    assert str(theirs.value) in str(ours.value)


def test_parameter_in_two_groups_raises_torchs_message(torch):
    t = torch.tensor(0.0, requires_grad=True)
    with pytest.raises(ValueError) as theirs:
        torch.optim.SGD([{"params": [t]}, {"params": [t]}], lr=0.1)
    w = Value(0.0)
    with pytest.raises(ValueError) as ours:
        optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)
    assert str(theirs.value) in str(ours.value)


def test_parameter_twice_in_one_group_is_an_error():
    # torch only warns, then updates the parameter twice per step.
    w = Value(0.0)
    with pytest.raises(ValueError, match="same Value more than once"):
        optim.SGD([w, w], lr=0.1)


@pytest.mark.parametrize(
    "params, pattern",
    [
        ({Value(0.0)}, "iterable of Values or dicts, but got set.*pass a list"),
        (Value(0.0), "iterable of Values or dicts, but got Value.*wrap it in a list"),
        ({"params": [Value(0.0)]}, "iterable of Values or dicts, but got dict"),
        (3.0, "iterable of Values or dicts, but got float"),
        ([1.0, 2.0], "optimizer can only optimize Values, but one of the params is float 1.0"),
        ([{"params": {Value(0.0)}}], "ordering of Values in sets will change"),
        ([{"params": [Value(0.0)]}, Value(1.0)], "param_group must be a dict, but got Value"),
        ([{"lr": 0.1}], "needs a 'params' key"),
    ],
    ids=["set", "single-value", "bare-dict", "number", "floats", "set-in-group", "mixed", "no-params-key"],
)
def test_bad_params_argument_raises_type_or_value_error(params, pattern):
    with pytest.raises((TypeError, ValueError), match=pattern):
        optim.SGD(params, lr=0.1)


def test_set_of_params_is_a_type_error():
    with pytest.raises(TypeError):
        optim.Adam({Value(0.0), Value(1.0)})


def test_non_leaf_value_cannot_be_optimized():
    a = Value(1.0)
    with pytest.raises(ValueError, match="non-leaf Value.*detach"):
        optim.SGD([a * 2], lr=0.1)


def test_single_value_as_group_params_is_accepted():
    w = Value(1.0)
    opt = optim.SGD([{"params": w, "lr": 0.5}])
    assert opt.param_groups[0]["params"] == [w]
    assert opt.param_groups[0]["momentum"] == 0.0  # filled in from the defaults


def test_zero_grad_zeroes_every_group():
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 3.0, -4.0
    opt = optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.1}])
    opt.zero_grad()
    assert (a.grad, b.grad) == (0.0, 0.0)


def test_sgd_step_by_hand():
    # w = 1, grad = 2: plain SGD gives 1 - 0.1 * 2; with momentum the buffer starts at the gradient.
    w = Value(1.0)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = 2.0
    opt.step()
    assert w.data == pytest.approx(0.8, abs=1e-15)
    opt.step()  # buf = 0.9 * 2 + 2 = 3.8
    assert w.data == pytest.approx(0.8 - 0.38, abs=1e-15)


# --- learning-rate schedulers -----------------------------------------------------

SCHEDULER_CASES = [
    ("StepLR", {"step_size": 7, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [5, 12, 12, 30], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.93}),
    ("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.001}),
    ("CosineAnnealingLR", {"T_max": 7}),
    ("LambdaLR", {"lr_lambda": lambda k: 1.0 - 0.9 * k / 100}),
    ("LambdaLR", {"lr_lambda": [lambda k: 0.95**k, lambda k: 1.0 / (1 + k)]}),
    ("LinearLR", {}),
    ("LinearLR", {"start_factor": 0.25, "total_iters": 8}),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 20}),
]


def _two_group_sgds(torch):
    ours = optim.SGD([{"params": [Value(1.0)]}, {"params": [Value(2.0)], "lr": 0.05}], lr=0.1)
    a, b = torch.tensor(1.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)
    theirs = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1)
    return ours, theirs


@pytest.mark.parametrize(
    "name, kwargs", SCHEDULER_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SCHEDULER_CASES)]
)
def test_scheduler_lrs_match_torch(torch, name, kwargs):
    opt, topt = _two_group_sgds(torch)
    sched = getattr(lr_scheduler, name)(opt, **kwargs)
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    assert [g["initial_lr"] for g in opt.param_groups] == [g["initial_lr"] for g in topt.param_groups]
    assert sched.base_lrs == tsched.base_lrs
    for step in range(50):
        assert sched.last_epoch == tsched.last_epoch == step
        for ours, theirs in zip(sched.get_last_lr(), tsched.get_last_lr()):
            assert abs(ours - theirs) <= 1e-12, f"step {step}: ours {ours!r}, torch {theirs!r}"
        assert [g["lr"] for g in opt.param_groups] == sched.get_last_lr()
        opt.step()
        topt.step()
        sched.step()
        tsched.step()


@pytest.mark.parametrize(
    "name, kwargs, sched_name, sched_kwargs",
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9}, "CosineAnnealingLR", {"T_max": 20, "eta_min": 0.01}),
        ("Adam", {"lr": 0.1}, "StepLR", {"step_size": 10, "gamma": 0.5}),
        ("RMSprop", {"lr": 0.01}, "LinearLR", {"start_factor": 0.1, "total_iters": 10}),
        ("Adagrad", {"lr": 0.3}, "ExponentialLR", {"gamma": 0.97}),
    ],
)
def test_scheduler_driving_an_optimizer_matches_torch(torch, name, kwargs, sched_name, sched_kwargs):
    ours, theirs = _run_lockstep(torch, name, kwargs, seed=31, steps=50, scheduler=(sched_name, sched_kwargs))
    _assert_same_trajectory(ours, theirs)


def test_lambda_lr_reproduces_micrograds_demo_schedule():
    # micrograd's demo: learning_rate = 1.0 - 0.9*k/100; p.data -= learning_rate * p.grad.
    grads = [g[0] for g in _gradient_sequence(41)]
    w = Value(0.5)
    opt = optim.SGD([w], lr=1.0)
    sched = lr_scheduler.LambdaLR(opt, lambda k: 1.0 - 0.9 * k / 100)
    expected = 0.5
    for k, g in enumerate(grads):
        assert opt.param_groups[0]["lr"] == 1.0 - 0.9 * k / 100
        w.grad = g
        opt.step()
        sched.step()
        expected -= (1.0 - 0.9 * k / 100) * g
        assert w.data == expected


@pytest.mark.parametrize(
    "name, kwargs", SCHEDULER_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SCHEDULER_CASES)]
)
def test_scheduler_json_round_trip_resumes_exactly(name, kwargs):
    def make():
        opt = optim.SGD([{"params": [Value(1.0)]}, {"params": [Value(2.0)], "lr": 0.05}], lr=0.1)
        return opt, getattr(lr_scheduler, name)(opt, **kwargs)

    opt, sched = make()
    uninterrupted = []
    for _ in range(50):
        opt.step()
        sched.step()
        uninterrupted.append(sched.get_last_lr())

    opt, sched = make()
    resumed = []
    for _ in range(20):
        opt.step()
        sched.step()
        resumed.append(sched.get_last_lr())
    saved_opt = json.loads(json.dumps(opt.state_dict()))
    saved_sched = json.loads(json.dumps(sched.state_dict()))
    opt, sched = make()  # PyTorch's order: scheduler first, then load both
    opt.load_state_dict(saved_opt)
    sched.load_state_dict(saved_sched)
    for _ in range(30):
        opt.step()
        sched.step()
        resumed.append(sched.get_last_lr())
    assert resumed == uninterrupted


def test_invalid_scheduler_arguments_raise_torchs_messages(torch):
    opt, topt = _two_group_sgds(torch)
    for kwargs in ({"start_factor": 0.0}, {"start_factor": 1.5}, {"end_factor": -0.1}):
        with pytest.raises(ValueError) as theirs:
            torch.optim.lr_scheduler.LinearLR(topt, **kwargs)
        with pytest.raises(ValueError) as ours:
            lr_scheduler.LinearLR(opt, **kwargs)
        assert str(theirs.value) in str(ours.value)
    with pytest.raises(ValueError) as theirs:
        torch.optim.lr_scheduler.LambdaLR(topt, [lambda k: 1.0])
    with pytest.raises(ValueError) as ours:
        lr_scheduler.LambdaLR(opt, [lambda k: 1.0])
    assert str(theirs.value) in str(ours.value)


@pytest.mark.parametrize(
    "make, error, pattern",
    [
        (lambda opt: lr_scheduler.StepLR(opt, step_size=0), ValueError, "step_size must be a positive int, got 0"),
        (lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=0), ValueError, "T_max must be > 0"),
        (lambda opt: lr_scheduler.ExponentialLR(opt, gamma="0.9"), TypeError, "gamma must be a real number"),
        (lambda opt: lr_scheduler.MultiStepLR(opt, milestones=[2.5]), TypeError, "milestones must be ints"),
        (lambda opt: lr_scheduler.LinearLR(opt, total_iters=0), ValueError, "total_iters must be a positive int"),
        (lambda opt: lr_scheduler.LambdaLR(opt, 0.5), TypeError, "lr_lambda should be a function"),
        (lambda opt: lr_scheduler.StepLR(object(), step_size=3), TypeError, "object is not an Optimizer"),
        (lambda opt: lr_scheduler.StepLR(opt, 3, last_epoch=5), ValueError, "'initial_lr' is not specified"),
    ],
)
def test_bad_scheduler_arguments(make, error, pattern):
    opt = optim.SGD([Value(0.0)], lr=0.1)
    with pytest.raises(error, match=pattern):
        make(opt)


def test_scheduler_load_state_dict_rejects_another_schedulers_state():
    opt = optim.SGD([Value(0.0)], lr=0.1)
    step_state = lr_scheduler.StepLR(opt, step_size=3).state_dict()
    with pytest.raises(ValueError, match="keys do not match.*missing \\['T_max', 'eta_min'\\]"):
        lr_scheduler.CosineAnnealingLR(optim.SGD([Value(0.0)], lr=0.1), T_max=5).load_state_dict(step_state)


def test_scheduler_notices_a_param_group_added_later():
    opt = optim.SGD([Value(0.0)], lr=0.1)
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.9)
    opt.add_param_group({"params": [Value(1.0)]})
    with pytest.raises(ValueError, match="2 param groups.*made for 1"):
        sched.step()


def test_schedules_live_in_lr_scheduler_as_in_torch(torch):
    assert set(lr_scheduler.__all__) == {
        "LRScheduler", "LambdaLR", "StepLR", "MultiStepLR", "ExponentialLR",
        "CosineAnnealingLR", "LinearLR", "ReduceLROnPlateau", "OneCycleLR",
    }
    for name in lr_scheduler.__all__:
        assert hasattr(torch.optim.lr_scheduler, name)  # the same place as torch's
        with pytest.raises(AttributeError, match=f"from micrograd_like.optim.lr_scheduler import {name}"):
            getattr(optim, name)
    with pytest.raises(AttributeError, match="no attribute 'Adamax'"):
        optim.Adamax


# --- plain SGD's loop ------------------------------------------------------------


def test_plain_sgd_updates_exactly_as_the_general_update():
    # SGD without momentum, weight decay or maximize runs one loop per group
    # instead of _update per parameter: the numbers must be the same bits.
    class General(optim.SGD):
        def _update_group(self, group):  # the base class's loop: _update per parameter
            for p in group["params"]:
                self._update(p, group)

    rng = random.Random(0)
    data = [rng.uniform(-2, 2) for _ in range(20)]
    grads = [rng.uniform(-3, 3) for _ in range(20)]
    fast, general = [Value(d) for d in data], [Value(d) for d in data]
    opt_fast, opt_general = optim.SGD(fast, lr=0.37), General(general, lr=0.37)
    for k in range(3):
        for a, b, g in zip(fast, general, grads):
            a.grad = b.grad = g * (k + 1)
        opt_fast.step()
        opt_general.step()
    assert [p.data for p in fast] == [p.data for p in general]


def test_a_subclass_of_sgd_with_its_own_update_is_still_called():
    calls = []

    class Counting(optim.SGD):
        def _update(self, p, group):
            calls.append(p)
            super()._update(p, group)

    w = Value(1.0)
    w.grad = 2.0
    Counting([w], lr=0.5).step()
    assert calls == [w] and w.data == 0.0

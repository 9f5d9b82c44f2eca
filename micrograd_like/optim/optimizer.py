"""The base class of every optimizer, as ``torch.optim.Optimizer``.

An optimizer holds the parameters in ``param_groups`` (each group a dict of
``params`` and hyperparameters such as ``lr``) and its per-parameter
``state``; ``zero_grad()`` clears the gradients, ``step()`` (in each
subclass) updates ``p.data`` from ``p.grad``, and ``state_dict()`` /
``load_state_dict()`` save and resume it. The argument checks shared by
the optimizers live here too.
"""

from __future__ import annotations

import copy
import math
from collections import abc, defaultdict
from numbers import Real
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad

__all__ = ["Optimizer"]


ParamGroup = Dict[str, Any]
Params = Union[Iterable[Value], Iterable[ParamGroup]]


def _type_name(x: object) -> str:
    return type(x).__name__


def _check_real(opt: str, group: ParamGroup, *keys: str) -> None:
    """TypeError unless every ``group[key]`` is a real number (bools are not)."""
    for key in keys:
        v = group[key]
        if isinstance(v, bool) or not isinstance(v, Real):
            raise TypeError(f"{opt}: {key} must be a real number, got {_type_name(v)} {v!r}")


def _check_nonneg(opt: str, group: ParamGroup, key: str, what: str) -> None:
    """PyTorch's ``ValueError(f"Invalid {what}: {value}")``, plus the rule it broke."""
    v = group[key]
    if not 0.0 <= v < math.inf:  # written this way round so that NaN fails too
        raise ValueError(f"Invalid {what}: {v} ({opt} needs {key} >= 0, a finite number)")


def _checked_lrs(sched: Any, get_lr: Callable[[], Iterable[Any]]) -> List[float]:
    """The lrs a schedule is about to set, refused if not finite numbers (NaN ruins the weights).

    Any sign is allowed, as in torch: LinearLR decaying to ``end_factor=0``
    ends at -2.2e-18 by rounding, and OneCycleLR's ``total_steps``-th step
    (after the last ``optimizer.step()``) sets an lr below 0 that is never used.
    """
    try:
        lrs = list(get_lr())
    except TypeError as err:  # e.g. an lr_lambda that returns None or a str
        raise TypeError(
            f"{_type_name(sched)}.step: epoch {sched.last_epoch}: the schedule could not compute "
            f"a learning rate ({err}); its functions must return numbers"
        ) from err
    for i, lr in enumerate(lrs):
        if isinstance(lr, bool) or not isinstance(lr, Real) or not math.isfinite(lr):
            raise ValueError(
                f"{_type_name(sched)}.step: epoch {sched.last_epoch} gives param group {i} the "
                f"learning rate {lr!r}; it must be a finite number (check gamma, "
                "lr_lambda or the other arguments of the schedule)"
            )
    return lrs


def _any_sign_lr(group: ParamGroup) -> ParamGroup:
    """``group`` as ``_validate`` should see it after construction, when an lr < 0 is allowed.

    torch refuses lr < 0 only in the constructor; a schedule may set one (see
    ``_checked_lrs``), and a state_dict saved then must load. NaN stays refused.
    """
    lr = group.get("lr")
    if isinstance(lr, Real) and not isinstance(lr, bool) and lr < 0:
        return {**group, "lr": -lr}
    return group


def _check_number(sched: str, name: str, value: object) -> None:
    """A schedule's argument: TypeError unless a real number, ValueError unless finite."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{sched}: {name} must be a real number, got {_type_name(value)} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{sched}: {name} must be a finite number, got {value!r}")


def _format_param(sched: str, key: str, optimizer: "Optimizer", value: Any) -> List[Any]:
    """One ``value`` per param group, as torch's ``_format_param``: a number serves all."""
    n = len(optimizer.param_groups)
    if not isinstance(value, (list, tuple)):
        return [value] * n
    if len(value) != n:
        raise ValueError(
            f"{sched}: {key} must have the same length as optimizer.param_groups. {key} has "
            f"{len(value)} values, param_groups has {n}; give one {key} per param group, "
            "or a single number for all of them"
        )
    return list(value)


def _lerp(start: float, end: float, weight: float) -> float:
    """``torch.lerp`` on floats: start + weight * (end - start).

    PyTorch uses two algebraically equal formulas and picks the one that
    rounds better for the weight, so we do too.
    """
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``step`` and ``zero_grad``.

    A subclass passes its hyperparameters as ``defaults`` and implements two
    methods: ``_validate(group)`` (raise on bad hyperparameters) and
    ``_update(p, group)``, the update of one parameter -- the body of the loop
    in PyTorch's ``_single_tensor_*`` functions.

    ``params`` is a list of Values, or a list of dicts (parameter groups) that
    each hold ``"params"`` and any hyperparameters that differ from the
    defaults:

        SGD([{"params": body, "lr": 0.01}, {"params": head}], lr=0.1)

    As in torch, ``step()`` skips a parameter whose ``.grad`` is None. But
    ``zero_grad()`` sets 0.0, as micrograd does (torch's default sets None),
    so a parameter that the loss did not use still takes a zero-gradient
    step: with momentum, weight decay or Adam's averages it moves, where in
    torch it would stay put.

    >>> w = Value(1.0)
    >>> opt = SGD([w], lr=0.1)
    >>> w.grad = 2.0
    >>> opt.step(); w.data
    0.8
    """

    def __init__(self, params: Params, defaults: Dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self._validate(self.defaults)  # bad constructor arguments fail here
        self.state: Dict[Value, Dict[str, Any]] = defaultdict(dict)
        self.param_groups: List[ParamGroup] = []

        name = _type_name(self)
        prefix = "params argument given to the optimizer should be an iterable of Values or dicts"
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{prefix}, but got {_type_name(params)} ({name}: a set has no fixed "
                "order, so runs would not repeat; pass a list, e.g. model.parameters())"
            )
        if callable(getattr(params, "parameters", None)):  # the commonest slip: SGD(model)
            raise TypeError(
                f"{prefix}, but got the model itself, a {_type_name(params)} ({name}: pass "
                f"its parameters, e.g. {name}(model.parameters(), lr=0.1))"
            )
        if isinstance(params, (Value, dict)) or not isinstance(params, abc.Iterable):
            raise TypeError(
                f"{prefix}, but got {_type_name(params)} ({name}: wrap it in a list, "
                "e.g. [w] or [{'params': [w], 'lr': 0.1}])"
            )
        groups = list(params)
        if not groups:
            raise ValueError(
                f"optimizer got an empty parameter list ({name} needs at least one Value to optimize)"
            )
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: ParamGroup) -> None:
        """Add a group of parameters with its own hyperparameters.

        Keys that the group leaves out take the optimizer's defaults.

        >>> a, b = Value(1.0), Value(2.0)
        >>> opt = SGD([a], lr=0.1)
        >>> opt.add_param_group({"params": [b], "lr": 0.01})
        >>> [g["lr"] for g in opt.param_groups]
        [0.1, 0.01]
        """
        name = _type_name(self)
        if not isinstance(param_group, dict):
            raise TypeError(
                f"param_group must be a dict, but got {_type_name(param_group)} "
                f"({name}: pass {{'params': [...], ...}})"
            )
        if "params" not in param_group:
            raise ValueError(f"{name}: a param group needs a 'params' key, got keys {sorted(param_group)}")
        params = param_group["params"]
        if isinstance(params, Value):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but "
                "the ordering of Values in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        for p in params:
            if not isinstance(p, Value):
                raise TypeError(
                    f"optimizer can only optimize Values, but one of the params is "
                    f"{_type_name(p)} {p!r} ({name}: wrap numbers in Value(...))"
                )
            if p._prev:
                raise ValueError(
                    f"can't optimize a non-leaf Value ({p!r} was computed by {p._op!r}; "
                    "its data is recomputed on every forward pass). Optimize the leaf Values "
                    "it came from, or make a new leaf with .detach()"
                )
        if len(set(params)) != len(params):
            # PyTorch only warns here; a repeated parameter would be updated twice per step.
            raise ValueError(
                f"{name}: a parameter group contains the same Value more than once; list each parameter once"
            )
        for group in self.param_groups:
            if not set(group["params"]).isdisjoint(params):
                raise ValueError(
                    "some parameters appear in more than one parameter group "
                    f"({name}: put each Value in exactly one group)"
                )

        group = dict(param_group)
        group["params"] = params
        for key, default in self.defaults.items():
            group.setdefault(key, default)
        self._validate(group)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set ``p.grad = 0.0`` for every parameter, as micrograd does.

        ``set_to_none`` is accepted as in torch, but both settings give 0.0:
        ``backward()`` adds into ``.grad``, so it must stay a float. This is
        torch's ``set_to_none=False``, and it differs from torch's default:
        a parameter that the next loss does not use keeps grad 0.0 and still
        takes a step (momentum, weight decay and Adam's averages move it),
        where torch leaves a parameter whose grad is None untouched. To skip
        one, set its ``p.grad = None`` yourself after ``backward()``:
        ``step()`` skips it, as torch does.

        >>> w = Value(1.0); w.grad = 2.0
        >>> SGD([w], lr=0.1).zero_grad()
        >>> w.grad
        0.0
        """
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = 0.0

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Update every parameter once from its ``.grad``.

        ``closure``, if given, is called first (with gradient recording on);
        it should zero the grads, recompute the loss, call ``backward()`` and
        return the loss, which ``step`` then returns.

        >>> w = Value(3.0)
        >>> opt = SGD([w], lr=0.5)
        >>> (w * w).backward()  # w.grad = 2 * w = 6
        >>> opt.step(); w.data
        0.0
        """
        name = _type_name(self)
        if closure is not None and not callable(closure):
            raise TypeError(
                f"{name}.step: closure must be a function that recomputes the loss, calls "
                f"backward() and returns the loss (or None), got {_type_name(closure)} {closure!r}"
            )
        # Checked again here, whatever set them since (a schedule, a hand edit
        # of param_groups): a NaN lr would silently ruin the weights.
        for i, group in enumerate(self.param_groups):
            try:
                self._validate(_any_sign_lr(group))
            except (TypeError, ValueError) as err:
                raise type(err)(
                    f"{name}.step: param_groups[{i}] was changed to something invalid "
                    f"(by a scheduler or by hand): {err}"
                ) from None
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._update_group(group)
        return loss

    def _update_group(self, group: ParamGroup) -> None:
        """Update every parameter of one group (a subclass may loop faster)."""
        for p in group["params"]:
            if p.grad is not None:  # torch skips a parameter without a gradient
                self._update(p, group)

    def _validate(self, group: ParamGroup) -> None:
        """Raise TypeError/ValueError if the hyperparameters in ``group`` are invalid."""

    def _update(self, p: Value, group: ParamGroup) -> None:
        raise NotImplementedError(f"{_type_name(self)} must implement _update(p, group) or step()")

    # -- saving and loading --------------------------------------------------

    def state_dict(self) -> Dict[str, Any]:
        """A snapshot of the optimizer, in PyTorch's layout, that ``json`` can save.

        Parameters are replaced by their position (0, 1, 2, ... across all
        groups in order): ``{"state": {0: {...}, ...}, "param_groups":
        [{"lr": ..., "params": [0, 1]}, ...]}``. Unlike PyTorch it is a deep
        copy, so later steps do not change it.

        >>> opt = SGD([Value(1.0), Value(2.0)], lr=0.1)
        >>> opt.state_dict()["param_groups"][0]["params"]
        [0, 1]
        """
        index: Dict[Value, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index[p] = len(index)
                packed["params"].append(index[p])
            groups.append(packed)
        state = {i: copy.deepcopy(self.state[p]) for p, i in index.items() if p in self.state}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Restore a ``state_dict()``; the hyperparameters come from it too.

        The optimizer must have the same number of groups, each with the same
        number of parameters, as the one that was saved. The state is copied,
        so changing ``state_dict`` afterwards does not affect the optimizer.
        Integer keys that JSON turned into strings (``"0"``) are accepted.

        >>> w = Value(1.0)
        >>> saved = SGD([w], lr=0.5).state_dict()
        >>> opt = SGD([w], lr=0.1); opt.load_state_dict(saved)
        >>> opt.param_groups[0]["lr"]
        0.5
        """
        name = _type_name(self)
        if not isinstance(state_dict, dict) or "state" not in state_dict or "param_groups" not in state_dict:
            got = sorted(state_dict) if isinstance(state_dict, dict) else _type_name(state_dict)
            raise ValueError(
                f"{name}.load_state_dict: expected a dict with 'state' and 'param_groups' "
                f"(from state_dict()), got {got}"
            )
        for key, kind in (("state", dict), ("param_groups", list)):
            if not isinstance(state_dict[key], kind):
                raise TypeError(
                    f"{name}.load_state_dict: state_dict[{key!r}] must be a {kind.__name__} "
                    f"(as state_dict() makes), got {_type_name(state_dict[key])} {state_dict[key]!r}"
                )
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                "loaded state dict has a different number of parameter groups "
                f"({name} has {len(self.param_groups)}, the state dict has {len(saved_groups)})"
            )
        id_map: Dict[int, Value] = {}
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if not isinstance(saved, dict) or "params" not in saved:
                raise ValueError(
                    f"{name}.load_state_dict: param_groups[{i}] is not a dict with a 'params' list"
                )
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    f"of optimizer's group (group {i}: {name} has {len(group['params'])} "
                    f"parameters, the state dict has {len(saved['params'])})"
                )
            missing = [k for k in self.defaults if k not in saved]
            if missing:
                raise ValueError(
                    f"loaded state dict's parameter group {i} has no {missing}: "
                    f"was it saved from a different optimizer than {name}?"
                )
            id_map.update(zip(saved["params"], group["params"]))

        state: Dict[Value, Dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            try:
                p = id_map[int(key)]  # JSON turns the integer keys into strings
            except (KeyError, ValueError, TypeError):
                raise ValueError(
                    f"loaded state dict has state for parameter {key!r}, which is not in its "
                    f"param_groups (ids {sorted(id_map)})"
                ) from None
            state[p] = copy.deepcopy(value)

        new_groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            # JSON has no tuples: betas=(0.9, 0.999) comes back as a list.
            new = {k: tuple(v) if isinstance(v, list) else v for k, v in saved.items() if k != "params"}
            new["params"] = group["params"]
            self._validate(_any_sign_lr(new))
            new_groups.append(new)
        self.state = state
        self.param_groups = new_groups

    def __repr__(self) -> str:
        lines = [f"{_type_name(self)} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"

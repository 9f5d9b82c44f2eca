"""Optimizers and learning-rate schedules, written to match ``torch.optim``.

An optimizer changes ``p.data`` using ``p.grad`` for every parameter it was
given. Each one here follows the single-tensor code path of the PyTorch
optimizer of the same name: the same update order, the same arithmetic, the
same per-parameter ``state`` keys. Given the same gradients, the parameters
follow PyTorch's float64 trajectory to the last few bits.

>>> from micrograd_like import Value
>>> w = Value(3.0)
>>> opt = SGD([w], lr=0.1)
>>> for _ in range(3):
...     opt.zero_grad()
...     loss = w * w
...     loss.backward()
...     opt.step()
>>> round(w.data, 6)  # 3 * 0.8 ** 3
1.536

A scheduler changes ``group["lr"]`` between steps, like
``torch.optim.lr_scheduler``; call ``scheduler.step()`` after ``opt.step()``.
"""

from __future__ import annotations

import copy
import math
import types
from collections import abc, defaultdict
from numbers import Real
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Union

from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad

__all__ = [
    "Optimizer",
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "LRScheduler",
    "LambdaLR",
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "LinearLR",
]

ParamGroup = Dict[str, Any]
Params = Union[Iterable[Value], Iterable[ParamGroup]]


# --- helpers ----------------------------------------------------------------


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
    if not 0.0 <= v:  # written this way round so that NaN fails too
        raise ValueError(f"Invalid {what}: {v} ({opt} needs {key} >= 0)")


def _lerp(start: float, end: float, weight: float) -> float:
    """``torch.lerp`` on floats: start + weight * (end - start).

    PyTorch uses two algebraically equal formulas and picks the one that
    rounds better for the weight, so we do too.
    """
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


# --- the base class -----------------------------------------------------------


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``step`` and ``zero_grad``.

    A subclass passes its hyperparameters as ``defaults`` and implements two
    methods: ``_validate(group)`` (raise on bad hyperparameters) and
    ``_update(p, group)``, the update of one parameter -- the body of the loop
    in PyTorch's ``_single_tensor_*`` functions.

    ``params`` is a list of Values, or a list of dicts (parameter groups) that
    each hold ``"params"`` and any hyperparameters that differ from the
    defaults::

        SGD([{"params": body, "lr": 0.01}, {"params": head}], lr=0.1)
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

    def zero_grad(self) -> None:
        """Set ``p.grad = 0.0`` for every parameter (our grads are floats, never None)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = 0.0

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Update every parameter once from its ``.grad``.

        ``closure``, if given, is called first (with gradient recording on);
        it should zero the grads, recompute the loss, call ``backward()`` and
        return the loss, which ``step`` then returns.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                self._update(p, group)
        return loss

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
        """
        name = _type_name(self)
        if not isinstance(state_dict, dict) or "state" not in state_dict or "param_groups" not in state_dict:
            got = sorted(state_dict) if isinstance(state_dict, dict) else _type_name(state_dict)
            raise ValueError(
                f"{name}.load_state_dict: expected a dict with 'state' and 'param_groups' "
                f"(from state_dict()), got {got}"
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
            self._validate(new)
            new_groups.append(new)
        self.state = state
        self.param_groups = new_groups

    def __repr__(self) -> str:
        lines = [f"{_type_name(self)} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"


# --- the optimizers -------------------------------------------------------------


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (``torch.optim.SGD``).

    With momentum ``mu`` the step follows a running buffer
    ``b = mu * b + (1 - dampening) * g`` instead of ``g``; ``nesterov`` looks
    one step ahead: ``g + mu * b``.

    >>> w = Value(1.0)
    >>> (w * w).backward()   # w.grad == 2.0
    >>> SGD([w], lr=0.1).step()
    >>> w.data
    0.8
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _validate(self, group: ParamGroup) -> None:
        _check_real("SGD", group, "lr", "momentum", "dampening", "weight_decay")
        _check_nonneg("SGD", group, "lr", "learning rate")
        _check_nonneg("SGD", group, "momentum", "momentum value")
        _check_nonneg("SGD", group, "weight_decay", "weight_decay value")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening (SGD got "
                f"momentum={group['momentum']}, dampening={group['dampening']})"
            )

    def _update(self, p: Value, group: ParamGroup) -> None:
        lr, momentum, wd = group["lr"], group["momentum"], group["weight_decay"]
        grad = -p.grad if group["maximize"] else p.grad
        if wd != 0:
            grad = grad + wd * p.data  # L2 penalty wd/2 * p**2, folded into the gradient
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:  # the first step starts the buffer at the gradient, not at 0
                buf = grad
            else:
                buf = buf * momentum + (1 - group["dampening"]) * grad
            state["momentum_buffer"] = buf
            grad = grad + momentum * buf if group["nesterov"] else buf
        p.data = p.data + -lr * grad


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradient and its square (``torch.optim.Adam``).

    ``m`` averages ``g`` and ``v`` averages ``g**2``; the step is
    ``lr * m_hat / (sqrt(v_hat) + eps)``, where the hats undo the bias toward 0
    of averages that start at 0. ``amsgrad`` uses the largest ``v`` so far.

    >>> w = Value(1.0)
    >>> (w * w).backward()
    >>> Adam([w], lr=0.1).step()   # the first step is about lr * sign(grad)
    >>> round(w.data, 6)
    0.9
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: Sequence[float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas) if isinstance(betas, list) else betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _validate(self, group: ParamGroup) -> None:
        name = _type_name(self)
        _check_real(name, group, "lr", "eps", "weight_decay")
        _check_nonneg(name, group, "lr", "learning rate")
        _check_nonneg(name, group, "eps", "epsilon value")
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            _check_real(name, {f"betas[{i}]": beta}, f"betas[{i}]")
            if not 0.0 <= beta < 1.0:
                raise ValueError(
                    f"Invalid beta parameter at index {i}: {beta} ({name} needs 0 <= beta{i + 1} < 1)"
                )
        _check_nonneg(name, group, "weight_decay", "weight_decay value")

    def _update(self, p: Value, group: ParamGroup) -> None:
        state = self.state[p]
        if not state:  # lazy state initialization, on the first step
            state["step"] = 0.0
            state["exp_avg"] = 0.0  # m: running average of the gradient
            state["exp_avg_sq"] = 0.0  # v: running average of its square
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = 0.0
        lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
        beta1, beta2 = group["betas"]
        grad = -p.grad if group["maximize"] else p.grad

        state["step"] += 1
        step = state["step"]
        if wd != 0:
            if group["decoupled_weight_decay"]:
                p.data = p.data * (1 - lr * wd)  # AdamW: shrink the weight itself
            else:
                grad = grad + wd * p.data  # Adam: L2 penalty through the gradient

        exp_avg = state["exp_avg"] = _lerp(state["exp_avg"], grad, 1 - beta1)
        exp_avg_sq = state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * grad * grad

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5

        if group["amsgrad"]:
            state["max_exp_avg_sq"] = max(state["max_exp_avg_sq"], exp_avg_sq)
            exp_avg_sq = state["max_exp_avg_sq"]
        denom = math.sqrt(exp_avg_sq) / bias_correction2_sqrt + eps
        p.data = p.data + -step_size * exp_avg / denom


class AdamW(Adam):
    """Adam with decoupled weight decay (``torch.optim.AdamW``).

    The decay shrinks the weights directly, ``p *= 1 - lr * weight_decay``,
    instead of passing through the gradient averages as in ``Adam``.

    >>> w = Value(1.0)
    >>> AdamW([w], lr=0.1).step()   # zero gradient: only the decay acts
    >>> w.data
    0.999
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: Sequence[float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, decoupled_weight_decay=True
        )


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root-mean-square (``torch.optim.RMSprop``).

    ``centered`` divides by an estimate of the standard deviation instead
    (the mean square minus the squared mean).

    >>> w = Value(1.0)
    >>> (w * w).backward()
    >>> RMSprop([w], lr=0.01).step()   # first step: lr / sqrt(1 - alpha)
    >>> round(w.data, 6)
    0.9
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _validate(self, group: ParamGroup) -> None:
        _check_real("RMSprop", group, "lr", "alpha", "eps", "weight_decay", "momentum")
        _check_nonneg("RMSprop", group, "lr", "learning rate")
        _check_nonneg("RMSprop", group, "eps", "epsilon value")
        _check_nonneg("RMSprop", group, "momentum", "momentum value")
        _check_nonneg("RMSprop", group, "weight_decay", "weight_decay value")
        _check_nonneg("RMSprop", group, "alpha", "alpha value")

    def _update(self, p: Value, group: ParamGroup) -> None:
        state = self.state[p]
        if not state:
            state["step"] = 0.0
            state["square_avg"] = 0.0
            if group["momentum"] > 0:
                state["momentum_buffer"] = 0.0
            if group["centered"]:
                state["grad_avg"] = 0.0
        lr, alpha, eps, momentum = group["lr"], group["alpha"], group["eps"], group["momentum"]
        grad = -p.grad if group["maximize"] else p.grad

        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * p.data

        square_avg = state["square_avg"] = state["square_avg"] * alpha + (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"] = _lerp(state["grad_avg"], grad, 1 - alpha)
            # The variance is >= 0 in exact arithmetic; clamp rounding noise
            # (PyTorch would take the sqrt of a tiny negative number and get NaN).
            avg = math.sqrt(max(square_avg - grad_avg * grad_avg, 0.0))
        else:
            avg = math.sqrt(square_avg)
        avg = avg + eps

        if momentum > 0:
            buf = state["momentum_buffer"] = state["momentum_buffer"] * momentum + grad / avg
            p.data = p.data + -lr * buf
        else:
            p.data = p.data + -lr * grad / avg


class Adagrad(Optimizer):
    """Adagrad: divide by the root of the sum of all squared gradients so far (``torch.optim.Adagrad``).

    >>> w = Value(1.0)
    >>> (w * w).backward()
    >>> Adagrad([w], lr=0.1).step()   # first step: lr * g / |g|
    >>> round(w.data, 6)
    0.9
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            maximize=maximize,
        )
        super().__init__(params, defaults)
        # Like PyTorch, Adagrad creates its state at once, not on the first step.
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, p: Value, group: ParamGroup) -> None:
        state = self.state[p]
        state["step"] = 0.0
        state["sum"] = float(group["initial_accumulator_value"])

    def _validate(self, group: ParamGroup) -> None:
        keys = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")
        _check_real("Adagrad", group, *keys)
        _check_nonneg("Adagrad", group, "lr", "learning rate")
        _check_nonneg("Adagrad", group, "lr_decay", "lr_decay value")
        _check_nonneg("Adagrad", group, "weight_decay", "weight_decay value")
        _check_nonneg("Adagrad", group, "initial_accumulator_value", "initial_accumulator_value value")
        _check_nonneg("Adagrad", group, "eps", "epsilon value")

    def _update(self, p: Value, group: ParamGroup) -> None:
        state = self.state[p]
        if not state:  # a group added later with add_param_group
            self._init_state(p, group)
        grad = -p.grad if group["maximize"] else p.grad

        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * p.data
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])

        state["sum"] = state["sum"] + grad * grad
        std = math.sqrt(state["sum"]) + group["eps"]
        p.data = p.data + -clr * grad / std


# --- learning-rate schedules ----------------------------------------------------


class LRScheduler:
    """Base class: sets ``group["lr"]`` of every param group, once per ``step()``.

    ``last_epoch`` counts the calls to ``step()`` (it is 0 right after
    construction). The first time, each group's ``lr`` is saved as
    ``group["initial_lr"]``; ``base_lrs`` are those values. A subclass
    implements ``get_lr()``, which returns the new lr of each group.

    Call ``scheduler.step()`` after ``optimizer.step()``. Save both
    ``optimizer.state_dict()`` and ``scheduler.state_dict()`` to resume.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{_type_name(optimizer)} is not an Optimizer ({_type_name(self)}: pass e.g. SGD(params))"
            )
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise ValueError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                        f"{_type_name(self)} with last_epoch={last_epoch}: load the optimizer's "
                        "state_dict first, or use last_epoch=-1 for a fresh run"
                    )
        self.base_lrs: List[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        # Like PyTorch, construction takes one step: last_epoch -1 -> 0 sets the
        # first lr. Chainable schedules keep the current lr during this step.
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> List[float]:
        """The next lr of each param group (called by ``step``; use ``get_last_lr`` to read)."""
        raise NotImplementedError(f"{_type_name(self)} must implement get_lr()")

    def step(self) -> None:
        """Advance the schedule by one and write the new lrs into the optimizer."""
        groups = self.optimizer.param_groups
        if len(groups) != len(self.base_lrs):
            raise ValueError(
                f"{_type_name(self)}: the optimizer has {len(groups)} param groups, but the "
                f"scheduler was made for {len(self.base_lrs)}; create the scheduler after add_param_group"
            )
        self.last_epoch += 1
        for group, lr in zip(groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in groups]

    def get_last_lr(self) -> List[float]:
        """The lrs set by the last ``step()``, one per param group."""
        return list(self._last_lr)

    def state_dict(self) -> Dict[str, Any]:
        """Every attribute except the optimizer, as a JSON-friendly deep copy."""
        return {k: copy.deepcopy(v) for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Restore a ``state_dict()`` of a scheduler of the same kind."""
        expected, got = set(self.state_dict()), set(state_dict)
        if expected != got:
            raise ValueError(
                f"{_type_name(self)}.load_state_dict: keys do not match (missing {sorted(expected - got)}, "
                f"unexpected {sorted(got - expected)}); was it saved from a different scheduler?"
            )
        for k, v in state_dict.items():
            if k != "lr_lambdas":
                setattr(self, k, copy.deepcopy(v))


def _check_number(sched: str, name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{sched}: {name} must be a real number, got {_type_name(value)} {value!r}")


class LambdaLR(LRScheduler):
    """lr = base_lr * lr_lambda(epoch): any schedule you can write as a function.

    ``lr_lambda`` may be one function for all groups, or a list with one per group.
    micrograd's demo schedule ``lr = 1.0 - 0.9 * k / 100``:

    >>> w = Value(0.0)
    >>> opt = SGD([w], lr=1.0)
    >>> sched = LambdaLR(opt, lambda k: 1.0 - 0.9 * k / 100)
    >>> opt.step(); sched.step()
    >>> sched.get_last_lr()
    [0.991]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Union[Callable[[int], float], Sequence[Callable[[int], float]]],
        last_epoch: int = -1,
    ) -> None:
        n = len(optimizer.param_groups) if isinstance(optimizer, Optimizer) else 0
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != n:
                raise ValueError(f"Expected {n} lr_lambdas, but got {len(lr_lambda)} (one per param group)")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * n
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {_type_name(fn)} (LambdaLR)")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> List[float]:
        return [base_lr * fn(self.last_epoch) for fn, base_lr in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self) -> Dict[str, Any]:
        """Plain functions and lambdas are not saved (``None``); callable objects save their ``__dict__``."""
        state = super().state_dict()
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) else copy.deepcopy(fn.__dict__)
            for fn in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        for fn, saved in zip(self.lr_lambdas, state_dict["lr_lambdas"]):
            if saved is not None:
                fn.__dict__.update(copy.deepcopy(saved))


class StepLR(LRScheduler):
    """Multiply the lr by ``gamma`` every ``step_size`` epochs.

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for _ in range(5):
    ...     opt.step(); sched.step(); lrs.append(sched.get_last_lr()[0])
    >>> lrs
    [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"StepLR: step_size must be a positive int, got {step_size!r}")
        _check_number("StepLR", "gamma", gamma)
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> List[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]


class MultiStepLR(LRScheduler):
    """Multiply the lr by ``gamma`` at each epoch listed in ``milestones``.

    A milestone listed twice multiplies by ``gamma ** 2``.

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
    >>> lrs = []
    >>> for _ in range(5):
    ...     opt.step(); sched.step(); lrs.append(sched.get_last_lr()[0])
    >>> lrs
    [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(
        self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        milestones = list(milestones)
        for m in milestones:
            if isinstance(m, bool) or not isinstance(m, int):
                raise TypeError(f"MultiStepLR: milestones must be ints, got {_type_name(m)} {m!r}")
        _check_number("MultiStepLR", "gamma", gamma)
        self.milestones = sorted(milestones)  # a list, not torch's Counter: it survives JSON
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> List[float]:
        groups = self.optimizer.param_groups
        hits = self.milestones.count(self.last_epoch)
        if hits == 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma**hits for group in groups]


class ExponentialLR(LRScheduler):
    """Multiply the lr by ``gamma`` every epoch.

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> opt.step(); sched.step(); opt.step(); sched.step()
    >>> sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        _check_number("ExponentialLR", "gamma", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> List[float]:
        groups = self.optimizer.param_groups
        if self._is_initial:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]


class CosineAnnealingLR(LRScheduler):
    """Cosine from the base lr down to ``eta_min`` over ``T_max`` epochs, then back up.

    The closed form is ``eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2``.
    Like PyTorch, each step computes the new lr from the current one (the
    "chainable" form), so it composes with outside changes to the lr; it
    keeps following the cosine past ``T_max``.

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = CosineAnnealingLR(opt, T_max=2)
    >>> opt.step(); sched.step()
    >>> round(sched.get_last_lr()[0], 12)  # cos(pi / 2) == 0: halfway
    0.5
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        _check_number("CosineAnnealingLR", "T_max", T_max)
        if not T_max > 0:
            raise ValueError(
                f"CosineAnnealingLR: T_max must be > 0 (the length of the half cosine), got {T_max}"
            )
        _check_number("CosineAnnealingLR", "eta_min", eta_min)
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> List[float]:
        groups = self.optimizer.param_groups
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return [group["lr"] for group in groups]
        if (t - 1 - T) % (2 * T) == 0:
            # Leaving the bottom of the cosine: the ratio below would be 0 / 0.
            return [
                group["lr"] + (base_lr - eta_min) * (1 - math.cos(math.pi / T)) / 2
                for base_lr, group in zip(self.base_lrs, groups)
            ]
        return [
            (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T)) * (group["lr"] - eta_min)
            + eta_min
            for group in groups
        ]


class LinearLR(LRScheduler):
    """Scale the lr by a factor that moves linearly from ``start_factor`` to ``end_factor``.

    The factor reaches ``end_factor`` after ``total_iters`` steps and stays there:
    a linear warm-up with the defaults.

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = LinearLR(opt, start_factor=0.5, total_iters=2)
    >>> lrs = [sched.get_last_lr()[0]]
    >>> for _ in range(3):
    ...     opt.step(); sched.step(); lrs.append(sched.get_last_lr()[0])
    >>> lrs
    [0.5, 0.75, 1.0, 1.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        _check_number("LinearLR", "start_factor", start_factor)
        _check_number("LinearLR", "end_factor", end_factor)
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or equal to 1. "
                f"(LinearLR got start_factor={start_factor})"
            )
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError(
                "Ending multiplicative factor expected to be between 0 and 1. "
                f"(LinearLR got end_factor={end_factor})"
            )
        if isinstance(total_iters, bool) or not isinstance(total_iters, int) or total_iters < 1:
            raise ValueError(f"LinearLR: total_iters must be a positive int, got {total_iters!r}")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> List[float]:
        groups = self.optimizer.param_groups
        t, start, end = self.last_epoch, self.start_factor, self.end_factor
        if t == 0:
            return [group["lr"] * start for group in groups]
        if self._is_initial or t > self.total_iters:
            return [group["lr"] for group in groups]
        # The ratio factor(t) / factor(t - 1), so each step builds on the current lr.
        ratio = 1.0 + (end - start) / (self.total_iters * start + (t - 1) * (end - start))
        return [group["lr"] * ratio for group in groups]

"""Learning-rate schedules, written to match ``torch.optim.lr_scheduler``.

A scheduler sets ``group["lr"]`` of an optimizer: call ``scheduler.step()`` after
``optimizer.step()``, once per epoch usually. Save both ``state_dict()``s to resume.
"""

from __future__ import annotations

import copy
import math
import types
from numbers import Real
from typing import Any, Callable, Dict, Iterable, List, Sequence, Union

from micrograd_like.optim.optimizer import Optimizer, _check_number, _checked_lrs, _format_param, _type_name

__all__ = ["LRScheduler", "LambdaLR", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
           "LinearLR", "ReduceLROnPlateau", "OneCycleLR"]


class LRScheduler:
    """Base class: sets ``group["lr"]`` of every param group, once per ``step()``.

    ``last_epoch`` counts the calls to ``step()`` (0 after construction); ``base_lrs`` are the
    first lrs, saved as ``group["initial_lr"]``. A subclass implements ``get_lr()``.

    >>> StepLR(SGD([Value(0.0)], lr=0.1), step_size=2).base_lrs
    [0.1]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{_type_name(optimizer)} is not an Optimizer ({_type_name(self)}: pass e.g. SGD(params))"
            )
        if isinstance(last_epoch, bool) or not isinstance(last_epoch, int) or last_epoch < -1:
            raise TypeError(f"{_type_name(self)}: last_epoch must be an int, -1 for a fresh run or "
                            f"the epoch to resume from, got {last_epoch!r}")
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
        """The next lr of each param group (called by ``step``; use ``get_last_lr`` to read).

        >>> ExponentialLR(SGD([Value(0.0)], lr=1.0), gamma=0.5).get_lr()  # the next step() sets 1.0 * 0.5
        [0.5]
        """
        raise NotImplementedError(f"{_type_name(self)} must implement get_lr()")

    def step(self) -> None:
        """Advance the schedule by one and write the new lrs into the optimizer.

        >>> sched = ExponentialLR(SGD([Value(0.0)], lr=1.0), gamma=0.5); sched.step(); sched.get_last_lr()
        [0.5]
        """
        groups = self.optimizer.param_groups
        if len(groups) != len(self.base_lrs):
            raise ValueError(
                f"{_type_name(self)}: the optimizer has {len(groups)} param groups, but the "
                f"scheduler was made for {len(self.base_lrs)}; create the scheduler after add_param_group"
            )
        self.last_epoch += 1
        lrs = _checked_lrs(self, self.get_lr)  # a schedule checks what it sets
        for group, lr in zip(groups, lrs):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in groups]

    def get_last_lr(self) -> List[float]:
        """The lrs set by the last ``step()``, one per param group.

        >>> ExponentialLR(SGD([Value(0.0)], lr=1.0), gamma=0.5).get_last_lr()
        [1.0]
        """
        return list(self._last_lr)

    def state_dict(self) -> Dict[str, Any]:
        """Every attribute except the optimizer, as a JSON-friendly deep copy.

        >>> StepLR(SGD([Value(0.0)], lr=1.0), step_size=2).state_dict()["step_size"]
        2
        """
        return {k: copy.deepcopy(v) for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Restore a ``state_dict()`` of a scheduler of the same kind.

        >>> make = lambda: StepLR(SGD([Value(0.0)], lr=1.0), step_size=2)
        >>> a, b = make(), make(); a.step()
        >>> b.load_state_dict(a.state_dict()); b.last_epoch
        1
        """
        if not isinstance(state_dict, dict):
            raise TypeError(
                f"{_type_name(self)}.load_state_dict: expected the dict from "
                f"scheduler.state_dict(), got {_type_name(state_dict)} {state_dict!r}"
            )
        expected, got = set(self.state_dict()), set(state_dict) | set(getattr(self, "_added_later", ()))
        if expected != got:
            raise ValueError(
                f"{_type_name(self)}.load_state_dict: keys do not match (missing {sorted(expected - got)}, "
                f"unexpected {sorted(got - expected)}); was it saved from a different scheduler?"
            )
        for k, v in state_dict.items():
            if k != "lr_lambdas":
                setattr(self, k, copy.deepcopy(v))


class LambdaLR(LRScheduler):
    """lr = base_lr * lr_lambda(epoch): any schedule you can write as a function.

    ``lr_lambda``: one function, or a list of one per group. micrograd's demo ``1.0 - 0.9 * k / 100``:

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = LambdaLR(opt, lambda k: 1.0 - 0.9 * k / 100)
    >>> opt.step(); sched.step(); sched.get_last_lr()
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
        """Plain functions and lambdas are not saved (``None``); callable objects save their ``__dict__``.

        >>> LambdaLR(SGD([Value(0.0)], lr=1.0), lambda k: 0.5**k).state_dict()["lr_lambdas"]
        [None]
        """
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
    >>> for _ in range(5): opt.step(); sched.step(); lrs.append(sched.get_last_lr()[0])
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
    """Multiply the lr by ``gamma`` at each epoch in ``milestones`` (listed twice: ``gamma ** 2``).

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
    >>> for _ in range(5): opt.step(); sched.step()
    >>> sched.get_last_lr()
    [0.25]
    """

    def __init__(
        self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Iterable):
            raise TypeError(
                f"MultiStepLR: milestones must be a list of epochs (ints), e.g. [30, 80], "
                f"got {_type_name(milestones)} {milestones!r}"
            )
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

    ``eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2``, computed from the current
    lr as PyTorch does (so it composes with outside changes to the lr), and on past ``T_max``.

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

    It reaches ``end_factor`` after ``total_iters`` steps and stays: a linear warm-up by default.

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = LinearLR(opt, start_factor=0.5, total_iters=2)
    >>> lrs = [sched.get_last_lr()[0]]
    >>> for _ in range(3): opt.step(); sched.step(); lrs.append(sched.get_last_lr()[0])
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


class ReduceLROnPlateau:
    """Cut the lr by ``factor`` when a metric stops improving, as ``torch``'s ReduceLROnPlateau.

    Call ``step(metric)`` once per epoch with e.g. the validation loss (``mode="min"``) or
    accuracy (``"max"``). After more than ``patience`` epochs without an improvement beyond
    ``threshold``, every lr becomes ``max(lr * factor, min_lr)``, then ``cooldown`` epochs pass.

    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = ReduceLROnPlateau(opt, patience=1, factor=0.5)
    >>> for loss in [1.0, 0.9, 0.95, 0.95, 0.95]: sched.step(loss)
    >>> sched.get_last_lr()
    [0.5]
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: str = "rel",
                 cooldown: int = 0, min_lr: Union[float, Sequence[float]] = 0.0,
                 eps: float = 1e-8) -> None:
        name = "ReduceLROnPlateau"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{_type_name(optimizer)} is not an Optimizer ({name}: pass e.g. SGD(params))")
        n = len(optimizer.param_groups)
        # As torch: a single min_lr also serves groups added later; a list cannot.
        self.default_min_lr = None if isinstance(min_lr, (list, tuple)) else min_lr
        min_lrs = [min_lr] * n if self.default_min_lr is not None else list(min_lr)
        if len(min_lrs) != n:
            raise ValueError(f"{name}: expected {n} min_lrs (one per param group), got {len(min_lrs)}")
        for key, value in (("factor", factor), ("threshold", threshold), ("eps", eps),
                           *[("min_lr", v) for v in min_lrs]):
            _check_number(name, key, value)
        if not factor < 1.0:
            raise ValueError(f"{name}: factor should be < 1.0 (the lr is multiplied by it), got {factor!r}")
        for key, value in (("patience", patience), ("cooldown", cooldown)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name}: {key} must be an int >= 0, got {value!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"{name}: mode must be 'min' (e.g. a loss) or 'max' (e.g. accuracy), got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{name}: threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.min_lrs, self.eps = cooldown, min_lrs, eps
        self.last_epoch = self.num_bad_epochs = self.cooldown_counter = 0
        self.best = math.inf if mode == "min" else -math.inf
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def _is_better(self, a: float) -> bool:
        # torch's rule, to the letter: relative or absolute margin over the best
        if self.mode == "min":
            return a < (self.best * (1.0 - self.threshold) if self.threshold_mode == "rel"
                        else self.best - self.threshold)
        return a > (self.best * (self.threshold + 1.0) if self.threshold_mode == "rel"
                    else self.best + self.threshold)

    def step(self, metrics: Any) -> None:
        """One epoch's metric (a number or a Value): maybe reduce the lr.

        >>> sched = ReduceLROnPlateau(SGD([Value(0.0)], lr=1.0), patience=0)
        >>> sched.step(1.0); sched.step(2.0); sched.get_last_lr()  # no better: lr * factor
        [0.1]
        """
        current = getattr(metrics, "data", metrics)  # a Value's number, or a number
        if isinstance(current, bool) or not isinstance(current, Real):
            raise TypeError(f"ReduceLROnPlateau.step: metrics must be a number (e.g. this epoch's "
                            f"validation loss), got {_type_name(metrics)} {metrics!r}")
        current = float(current)
        self.last_epoch += 1
        if self._is_better(current):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._match_min_lrs()
            for group, low in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(group["lr"] * self.factor, low)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _match_min_lrs(self) -> None:
        n, have = len(self.optimizer.param_groups), len(self.min_lrs)
        if n != have and self.default_min_lr is None:  # torch's RuntimeError, with the fix
            raise RuntimeError(f"ReduceLROnPlateau: the optimizer has {n} param groups but min_lr was given for "
                               f"{have} (a group added later?); set scheduler.min_lrs to a list of {n} values")
        self.min_lrs = [self.default_min_lr] * n if n != have else self.min_lrs

    _added_later = ("default_min_lr",)  # saves without it still load: the constructor's stays
    get_last_lr = LRScheduler.get_last_lr
    state_dict = LRScheduler.state_dict
    load_state_dict = LRScheduler.load_state_dict


class OneCycleLR(LRScheduler):
    """The 1cycle policy, as ``torch``'s OneCycleLR: warm up to ``max_lr``, then anneal far below.

    Call ``step()`` after every batch, ``total_steps`` times (or ``epochs * steps_per_epoch``).
    The lr starts at ``max_lr / div_factor``, rises for a ``pct_start`` share of the steps and
    falls to ``initial_lr / final_div_factor``; the momentum (or Adam's beta1) moves the other way.

    >>> opt = SGD([Value(0.0)], lr=0.1, momentum=0.9)
    >>> sched = OneCycleLR(opt, max_lr=1.0, total_steps=10)
    >>> round(sched.get_last_lr()[0], 6), round(opt.param_groups[0]["momentum"], 6)
    (0.04, 0.95)
    """

    def __init__(self, optimizer: Optimizer, max_lr: Union[float, Sequence[float]],
                 total_steps: Any = None, epochs: Any = None, steps_per_epoch: Any = None,
                 pct_start: float = 0.3, anneal_strategy: str = "cos", cycle_momentum: bool = True,
                 base_momentum: Union[float, Sequence[float]] = 0.85,
                 max_momentum: Union[float, Sequence[float]] = 0.95, div_factor: float = 25.0,
                 final_div_factor: float = 1e4, three_phase: bool = False, last_epoch: int = -1) -> None:
        name = "OneCycleLR"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{_type_name(optimizer)} is not an Optimizer ({name}: pass e.g. SGD(params))")
        count = lambda v: not isinstance(v, bool) and isinstance(v, int) and v > 0  # noqa: E731
        if total_steps is not None:
            if not count(total_steps):
                raise ValueError(f"{name}: expected a positive int total_steps, got {total_steps!r}")
        elif count(epochs) and count(steps_per_epoch):
            total_steps = epochs * steps_per_epoch
        else:
            raise ValueError(f"{name}: give total_steps, or epochs and steps_per_epoch (positive ints); "
                             f"got total_steps={total_steps!r}, epochs={epochs!r}, "
                             f"steps_per_epoch={steps_per_epoch!r}")
        if isinstance(pct_start, bool) or not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"{name}: expected a float between 0 and 1 for pct_start, got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"{name}: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        self.total_steps, self.anneal_strategy = total_steps, anneal_strategy
        a, b = float(pct_start * total_steps) - 1, float(2 * pct_start * total_steps) - 2
        self._phases = (  # (end step, start key, end key, start momentum key, end momentum key)
            [(a, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
             (b, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
             (total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")] if three_phase else
            [(a, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
             (total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")])
        groups = optimizer.param_groups
        max_lrs = _format_param(name, "max_lr", optimizer, max_lr)
        for v in max_lrs + [div_factor, final_div_factor]:
            _check_number(name, "max_lr, div_factor and final_div_factor", v)
        if last_epoch == -1:
            for lr, group in zip(max_lrs, groups):
                group["initial_lr"] = lr / div_factor
                group["max_lr"] = lr
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"{name}: cycle_momentum=True needs an optimizer with momentum or "
                                 "betas (SGD, RMSprop, Adam); pass cycle_momentum=False")
            self.use_beta1 = "betas" in optimizer.defaults
            his = _format_param(name, "max_momentum", optimizer, max_momentum)
            los = _format_param(name, "base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for hi, lo, group in zip(his, los, groups):
                    if self.use_beta1:
                        group["betas"] = (hi, *group["betas"][1:])
                    else:
                        group["momentum"] = hi
                    group["max_momentum"], group["base_momentum"] = hi, lo
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> List[float]:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"OneCycleLR: tried to step {step} times; the specified number of "
                             f"total steps is {self.total_steps}")
        lrs = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, (end, lr_a, lr_b, m_a, m_b) in enumerate(self._phases):
                if step <= end or i == len(self._phases) - 1:
                    pct = (step - start) / (end - start)
                    lrs.append(self._anneal(group[lr_a], group[lr_b], pct))
                    if self.cycle_momentum:
                        m = self._anneal(group[m_a], group[m_b], pct)
                        if self.use_beta1:
                            group["betas"] = (m, *group["betas"][1:])
                        else:
                            group["momentum"] = m
                    break
                start = end
        return lrs

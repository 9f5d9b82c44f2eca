"""Learning-rate schedules, written to match ``torch.optim.lr_scheduler``.

A scheduler changes ``group["lr"]`` of an optimizer between steps; call
``scheduler.step()`` after ``optimizer.step()`` (once per epoch, usually).

>>> from micrograd_like import Value
>>> from micrograd_like.optim import SGD
>>> opt = SGD([Value(1.0)], lr=0.1)
>>> sched = StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for epoch in range(5):
...     opt.step(); sched.step(); lrs.append(opt.param_groups[0]["lr"])
>>> lrs
[0.1, 0.05, 0.05, 0.025, 0.025]
"""

from __future__ import annotations

import copy
import math
import types
from numbers import Real
from typing import Any, Callable, Dict, Iterable, List, Sequence, Union

from micrograd_like.optim.optimizer import Optimizer, _type_name

__all__ = ["LRScheduler", "LambdaLR", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR"]


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

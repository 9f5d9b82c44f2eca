"""Adagrad (``torch.optim.Adagrad``): steps scaled by the sum of all past squared gradients.
"""

from __future__ import annotations

import math

from micrograd_like.engine import Value
from micrograd_like.optim.optimizer import Optimizer, _check_real, _check_nonneg, ParamGroup, Params

__all__ = ["Adagrad"]


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

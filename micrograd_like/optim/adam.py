"""Adam and AdamW (``torch.optim.Adam``, ``torch.optim.AdamW``).

Adam keeps running averages of each parameter's gradient and squared
gradient and steps by their ratio; AdamW decays the weights directly
instead of through the gradient.
"""

from __future__ import annotations

import math
from typing import Sequence

from micrograd_like.engine import Value
from micrograd_like.optim.optimizer import Optimizer, _type_name, _check_real, _check_nonneg, _lerp, ParamGroup, Params


__all__ = ["Adam", "AdamW"]


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

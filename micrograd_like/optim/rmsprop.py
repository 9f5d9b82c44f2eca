"""RMSprop (``torch.optim.RMSprop``): steps scaled by a running average of squared gradients.
"""

from __future__ import annotations

import math

from micrograd_like.engine import Value
from micrograd_like.optim.optimizer import Optimizer, _check_real, _check_nonneg, _lerp, ParamGroup, Params

__all__ = ["RMSprop"]


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

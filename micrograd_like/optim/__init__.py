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

Schedules are in ``micrograd_like.optim.lr_scheduler``, as in torch:
``from micrograd_like.optim.lr_scheduler import StepLR``.

One file per optimizer, as in torch: ``optimizer`` (the base class), ``sgd``,
``adam`` (Adam, AdamW), ``rmsprop``, ``adagrad``.
"""

from micrograd_like.optim import lr_scheduler
from micrograd_like.optim.adagrad import Adagrad
from micrograd_like.optim.adam import Adam, AdamW
from micrograd_like.optim.optimizer import Optimizer
from micrograd_like.optim.rmsprop import RMSprop
from micrograd_like.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]


def __getattr__(name: str):
    # torch keeps schedules in torch.optim.lr_scheduler only; say where they are
    # rather than a bare AttributeError.
    if name in lr_scheduler.__all__:
        raise AttributeError(
            f"micrograd_like.optim has no attribute {name!r}: schedules live in "
            f"micrograd_like.optim.lr_scheduler, as in torch (from "
            f"micrograd_like.optim.lr_scheduler import {name})"
        )
    raise AttributeError(f"module 'micrograd_like.optim' has no attribute {name!r}")

"""W1/W2 and the moons demo with ``micrograd_like.compile`` (issue 14).

The same model, loss and optimizer as engine_ours.py. The loss is
compiled: the hinge loss of *one* sample with ``batch=(1, 2)``, so the
generated code loops over the samples, and the L2 term once after the loop
(``then=``). zero_grad, backward and the SGD step are the library's eager
code, as a user would write them. Unlike engine_ours, the step does not compute
the training accuracy (the compiled loss returns the loss only); that is
100 comparisons, well under 1% of an eager step.

bench.py times ``mlp_step`` after a warm-up call (the warm-up traces and
compiles), ``mlp_step`` right after ``mlp_recompile`` (compilation
included), and ``moons`` against ``moons_eager``: the moons demo's 100
training steps, from building the model to the last update.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

from micrograd_like import Value
from micrograd_like.compiler import compile
from micrograd_like.losses import hinge_loss, l2_penalty
from micrograd_like.nn import MLP
from micrograd_like.optim import SGD
from micrograd_like.optim.lr_scheduler import LambdaLR

from benchmarks import engine_ours
from benchmarks.workloads import ALPHA, Layer, Matrix

NAME = "micrograd_like compiled"
WORKLOADS = ("W1", "W2", "MOONS")  # bench.py runs this engine on these only


def sample_loss(model: MLP, x: List[float], y: int) -> Value:
    """The hinge loss of one sample: relu(1 - y * score), as hinge_loss writes it."""
    return (1 - y * model(x)).relu()


def plus_l2(data_loss: Value, model: MLP) -> Value:
    """The demo's total loss: the mean hinge loss + 1e-4 * L2."""
    return data_loss + ALPHA * l2_penalty(model.parameters())


def loss_fn():
    """The demo's loss, compiled: the mean of sample_loss over (X, y), then plus_l2."""
    return compile(sample_loss, batch=(1, 2), reduce="mean", then=plus_l2)


# --- W1, W2: one training step of micrograd's demo --------------------------


class Demo(engine_ours.Demo):
    """engine_ours' model and optimizer, plus the compiled data loss."""

    def __init__(self, weights: Sequence[Layer], lr: float) -> None:
        super().__init__(weights, lr)
        mlp_recompile(self)


def mlp_setup(weights: Sequence[Layer], lr: float) -> Demo:
    return Demo(weights, lr)


def mlp_load(demo: Demo, weights: Sequence[Layer]) -> None:
    engine_ours.mlp_load(demo, weights)


def mlp_recompile(demo: Demo, weights: Sequence[Layer] = ()) -> None:
    """A fresh compiled loss: its next call traces and compiles again."""
    if weights:
        mlp_load(demo, weights)
    demo.loss = loss_fn()


def mlp_step(demo: Demo, X: Matrix, y: List[int]) -> float:
    model, optimizer = demo.model, demo.optimizer
    total_loss = demo.loss(model, X, y)
    optimizer.zero_grad()
    total_loss.backward()
    optimizer.step()
    return total_loss.data


def mlp_result(demo: Demo, loss: float) -> Tuple[float, List[float]]:
    return engine_ours.mlp_result(demo, loss)


# --- the moons demo: 100 steps, from the model's construction on --------------


def _train(weights: Sequence[Layer], X: Matrix, y: List[int], steps: int, compiled: bool
           ) -> Tuple[float, List[float]]:
    """demos/moons.py's loop: SGD with lr 1.0 -> 0.1, hinge + 1e-4 * L2; no pictures."""
    demo = engine_ours.Demo(weights, 1.0)  # the model (micrograd's init) and SGD
    model, optimizer = demo.model, demo.optimizer
    scheduler = LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / steps)
    compiled_loss = loss_fn() if compiled else None
    loss = None
    for _ in range(steps):
        if compiled:
            loss = compiled_loss(model, X, y)
        else:
            scores = [model(x) for x in X]
            loss = hinge_loss(scores, y) + ALPHA * l2_penalty(model.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    return loss.data, [p.grad for p in model.parameters()]


def moons(weights: Sequence[Layer], X: Matrix, y: List[int], steps: int) -> Tuple[float, List[float]]:
    """The demo's training, compiled (compilation included): last loss and gradients."""
    return _train(weights, X, y, steps, compiled=True)


def moons_eager(weights: Sequence[Layer], X: Matrix, y: List[int], steps: int
                ) -> Tuple[float, List[float]]:
    """The same training with the eager engine."""
    return _train(weights, X, y, steps, compiled=False)

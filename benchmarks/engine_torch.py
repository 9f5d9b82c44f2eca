"""The workloads written with PyTorch, one 0-d float64 tensor per scalar.

This is PyTorch used the way micrograd is used: every weight, every
activation, every partial sum is its own tensor and its own autograd node.
It measures PyTorch's per-op overhead (dispatch, autograd bookkeeping), not
its speed on real tensors, where it is of course far faster than any of the
pure-Python engines here.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

import torch

from benchmarks.workloads import Chain, Layer, Matrix, Program, run_program

NAME = f"torch {torch.__version__.split('+')[0]} (0-d)"
F64 = torch.float64


def _leaf(x: float) -> torch.Tensor:
    return torch.tensor(x, dtype=F64, requires_grad=True)


# --- W1, W2: one training step of micrograd's demo --------------------------


class Demo:
    """micrograd's MLP, with a list of 0-d tensors per neuron."""

    def __init__(self, weights: Sequence[Layer], lr: float) -> None:
        self.layers = [
            [([_leaf(w) for w in row], _leaf(bj)) for row, bj in zip(W, b)] for W, b in weights
        ]
        self.learning_rate = lr

    def __call__(self, x: list) -> torch.Tensor:
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            # micrograd's Neuron: sum((wi*xi for wi,xi in zip(w, x)), b), then relu
            x = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            if i != last:
                x = [torch.relu(a) for a in x]
        return x[0]

    def parameters(self) -> List[torch.Tensor]:
        return [p for layer in self.layers for w, b in layer for p in w + [b]]


def mlp_setup(weights: Sequence[Layer], lr: float) -> Demo:
    return Demo(weights, lr)


def mlp_load(model: Demo, weights: Sequence[Layer]) -> None:
    with torch.no_grad():
        flat = [x for W, b in weights for row, bj in zip(W, b) for x in list(row) + [bj]]
        for p, x in zip(model.parameters(), flat):
            p.fill_(x)


def mlp_step(model: Demo, X: Matrix, y: List[int]) -> float:
    # the demo's loss(), with torch tensors
    scores = list(map(model, X))
    losses = [torch.relu(1 + -yi * scorei) for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p * p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.item() > 0) for yi, scorei in zip(y, scores)]
    acc = sum(accuracy) / len(accuracy)
    # backward (zero_grad as torch does it: grads to None) and SGD
    params = model.parameters()
    for p in params:
        p.grad = None
    total_loss.backward()
    with torch.no_grad():
        for p in params:
            p -= model.learning_rate * p.grad
    del acc
    return total_loss.item()


def mlp_result(model: Demo, loss: float) -> Tuple[float, List[float]]:
    return loss, [p.grad.item() for p in model.parameters()]


# --- W3: a deep chain --------------------------------------------------------


def chain(n_nodes: int, ch: Chain) -> Tuple[float, List[float]]:
    x, c, d = _leaf(ch.x0), _leaf(ch.c), _leaf(ch.d)
    y = x
    for _ in range(n_nodes // 2):
        y = y * c + d
    y.backward()
    return y.item(), [x.grad.item(), c.grad.item(), d.grad.item()]


# --- W4: a wide random graph -------------------------------------------------


def graph_leaves(program: Program) -> List[torch.Tensor]:
    return [_leaf(v) for v in program.leaves]


def graph_build(leaves: List[torch.Tensor], program: Program) -> torch.Tensor:
    return run_program(leaves, program)[-1]


def graph_backward(root: torch.Tensor, program: Program) -> None:
    root.backward()


def graph_result(leaves: List[torch.Tensor], root: torch.Tensor, _: None) -> Tuple[float, List[float]]:
    return root.item(), [v.grad.item() for v in leaves]

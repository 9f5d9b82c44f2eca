"""The workloads written with micrograd_like, the way a user writes them.

W1/W2 is micrograd's demo.ipynb ported to this library: the same model,
data and loss, with the library's helpers (hinge_loss, l2_penalty, SGD).
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

from micrograd_like import Value
from micrograd_like.losses import hinge_loss, l2_penalty
from micrograd_like.nn import MLP
from micrograd_like.optim import SGD

from benchmarks.workloads import ALPHA, Chain, Layer, Matrix, Program, run_program

NAME = "micrograd_like"


# --- W1, W2: one training step of micrograd's demo --------------------------


class Demo:
    """The model and its optimizer, made once, as in a training script."""

    def __init__(self, weights: Sequence[Layer], lr: float) -> None:
        nin = len(weights[0][0][0])
        self.model = MLP(nin, [len(b) for _, b in weights], seed=0)
        self.optimizer = SGD(self.model.parameters(), lr=lr)
        mlp_load(self, weights)


def mlp_setup(weights: Sequence[Layer], lr: float) -> Demo:
    return Demo(weights, lr)


def mlp_load(demo: Demo, weights: Sequence[Layer]) -> None:
    """Copy the shared weights in, through micrograd's attribute layout."""
    for layer, (W, b) in zip(demo.model.layers, weights):
        for neuron, row, bj in zip(layer.neurons, W, b):
            for p, w in zip(neuron.w, row):
                p.data = w
            neuron.b.data = bj


def mlp_step(demo: Demo, X: Matrix, y: List[int]) -> float:
    """Forward over all samples, loss, backward, SGD update."""
    model, optimizer = demo.model, demo.optimizer
    # the demo's loss(): hinge ("max-margin") loss + L2 regularization;
    # model(X) is the batch call a torch user writes (micrograd's demo maps
    # the model over the points): the same nodes, each weight read once a layer
    scores = model(X)
    total_loss = hinge_loss(scores, y) + ALPHA * l2_penalty(model.parameters())
    accuracy = [(yi > 0) == (s.data > 0) for yi, s in zip(y, scores)]
    acc = sum(accuracy) / len(accuracy)
    # the demo's training loop body
    optimizer.zero_grad()
    total_loss.backward()
    optimizer.step()
    del acc
    return total_loss.data


def mlp_result(demo: Demo, loss: float) -> Tuple[float, List[float]]:
    return loss, [p.grad for p in demo.model.parameters()]


# --- W3: a deep chain --------------------------------------------------------


def chain(n_nodes: int, ch: Chain) -> Tuple[float, List[float]]:
    """y = x0, then y = y * c + d, n_nodes / 2 times; backward from y."""
    x, c, d = Value(ch.x0), Value(ch.c), Value(ch.d)
    y = x
    for _ in range(n_nodes // 2):
        y = y * c + d
    y.backward()
    return y.data, [x.grad, c.grad, d.grad]


# --- W4: a wide random graph -------------------------------------------------


def graph_leaves(program: Program) -> List[Value]:
    return [Value(v) for v in program.leaves]


def graph_build(leaves: List[Value], program: Program) -> Value:
    return run_program(leaves, program)[-1]


def graph_backward(root: Value, program: Program) -> None:
    root.backward()


def graph_result(leaves: List[Value], root: Value, _: None) -> Tuple[float, List[float]]:
    return root.data, [v.grad for v in leaves]

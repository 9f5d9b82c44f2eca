"""The workloads written with karpathy's micrograd 0.1.0 (from PyPI).

W1/W2 is the demo notebook's ``loss()`` (batch_size=None) and the body of
its optimization loop, verbatim apart from the names of the inputs.

micrograd's ``backward`` sorts the graph with a recursive function, so a
graph deeper than Python's recursion limit (1000 by default) raises
RecursionError. ``deep_recursion`` raises the limit only as far as
``MAX_SAFE_DEPTH``, where Python cannot overflow the C stack.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Iterator, List, Sequence, Tuple

from micrograd.engine import Value
from micrograd.nn import MLP

from benchmarks.workloads import Chain, Layer, Matrix, Program, run_program

NAME = "micrograd 0.1.0"

# From Python 3.11 on, a Python function calling a Python function does not
# use the C stack, so a recursion limit of ~10^4 is safe. Before 3.11 every
# level costs C stack too; stay well inside a default 8 MB stack there.
MAX_SAFE_DEPTH = 11_000 if sys.version_info >= (3, 11) else 3_000


@contextlib.contextmanager
def deep_recursion(depth: int) -> Iterator[None]:
    """Let micrograd's recursive topological sort reach ``depth`` nodes, then restore."""
    if depth > MAX_SAFE_DEPTH:
        raise RecursionError(
            f"micrograd's backward recurses once per graph level; depth {depth} is "
            f"beyond the safe limit {MAX_SAFE_DEPTH} for this Python"
        )
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, depth + 200))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# --- W1, W2: one training step of micrograd's demo --------------------------


class Demo:
    def __init__(self, weights: Sequence[Layer], lr: float) -> None:
        nin = len(weights[0][0][0])
        self.model = MLP(nin, [len(b) for _, b in weights])
        self.learning_rate = lr
        mlp_load(self, weights)
        # The demo's L2 term, sum(p*p for p in parameters), is a chain of one
        # addition per parameter: the graph is at least that deep (4,417 for
        # MLP(2, [64, 64, 1])), beyond the default recursion limit.
        self.depth = len(self.model.parameters()) + 1000


def mlp_setup(weights: Sequence[Layer], lr: float) -> Demo:
    return Demo(weights, lr)


def mlp_load(demo: Demo, weights: Sequence[Layer]) -> None:
    for layer, (W, b) in zip(demo.model.layers, weights):
        for neuron, row, bj in zip(layer.neurons, W, b):
            for p, w in zip(neuron.w, row):
                p.data = w
            neuron.b.data = bj


def mlp_step(demo: Demo, X: Matrix, y: List[int]) -> float:
    model, learning_rate = demo.model, demo.learning_rate
    Xb, yb = X, y

    # --- demo.ipynb: loss() ---
    inputs = [list(map(Value, xrow)) for xrow in Xb]

    # forward the model to get scores
    scores = list(map(model, inputs))

    # svm "max-margin" loss
    losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    # L2 regularization
    alpha = 1e-4
    reg_loss = alpha * sum((p*p for p in model.parameters()))
    total_loss = data_loss + reg_loss

    # also get accuracy
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
    acc = sum(accuracy) / len(accuracy)

    # --- demo.ipynb: the optimization loop body ---
    # backward
    model.zero_grad()
    with deep_recursion(demo.depth):  # (not in the demo: see Demo)
        total_loss.backward()

    # update (sgd)
    for p in model.parameters():
        p.data -= learning_rate * p.grad

    del acc
    return total_loss.data


def mlp_result(demo: Demo, loss: float) -> Tuple[float, List[float]]:
    return loss, [float(p.grad) for p in demo.model.parameters()]


# --- W3: a deep chain --------------------------------------------------------


def chain(n_nodes: int, ch: Chain) -> Tuple[float, List[float]]:
    x, c, d = Value(ch.x0), Value(ch.c), Value(ch.d)
    with deep_recursion(n_nodes + 10):  # before building: fail fast
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
    with deep_recursion(program.depth + 10):
        root.backward()


def graph_result(leaves: List[Value], root: Value, _: None) -> Tuple[float, List[float]]:
    return root.data, [float(v.grad) for v in leaves]

"""The floor: each workload by hand, on plain float lists, with no graph at all.

Forward and backward are written out for the one computation at hand, so
nothing is spent on recording a graph, looking up a derivative rule or
walking nodes. No autograd engine written in pure Python can beat this by
much; it shows how close an engine comes to "just the arithmetic". It is
written the way a careful Python programmer would (``sum(map(mul, w, x))``
for dot products, list comprehensions), not tuned with tricks.

The functions have the same names and signatures in engine_ours.py,
engine_micrograd.py and engine_torch.py; bench.py calls them.
"""

from __future__ import annotations

from operator import mul
from typing import List, Sequence, Tuple

from benchmarks.workloads import ALPHA, Chain, Layer, Matrix, Program, run_program

NAME = "floor"


# --- W1, W2: one training step of micrograd's demo --------------------------


class Net:
    """The model is just the weights: [W, b] per layer, as mutable float lists."""

    def __init__(self, weights: Sequence[Layer], lr: float) -> None:
        self.lr = lr
        mlp_load(self, weights)


def mlp_setup(weights: Sequence[Layer], lr: float) -> Net:
    return Net(weights, lr)


def mlp_load(net: Net, weights: Sequence[Layer]) -> None:
    net.layers = [[[list(row) for row in W], list(b)] for W, b in weights]


def mlp_step(net: Net, X: Matrix, y: List[int]) -> Tuple[float, list]:
    """Hinge loss + L2 penalty, its gradient, an SGD update. Returns (loss, grads)."""
    model, lr = net.layers, net.lr
    n = len(X)
    last = len(model) - 1
    # Forward, all samples at once. Keep each layer's input and pre-activation.
    H = X
    inputs, pre = [], []
    for li, (W, b) in enumerate(model):
        Z = [[sum(map(mul, w, h), bj) for w, bj in zip(W, b)] for h in H]
        inputs.append(H)
        pre.append(Z)
        H = Z if li == last else [[z if z > 0.0 else 0.0 for z in zs] for zs in Z]
    scores = [zs[0] for zs in H]
    margins = [1.0 - yi * s for yi, s in zip(y, scores)]
    data_loss = sum([m if m > 0.0 else 0.0 for m in margins]) * (1.0 / n)
    reg_loss = ALPHA * sum([p * p for W, b in model for row in W + [b] for p in row])
    loss = data_loss + reg_loss
    accuracy = sum([(yi > 0) == (s > 0) for yi, s in zip(y, scores)]) / n  # the demo computes it

    # Backward. G[s][j] = d loss / d (output j of the current layer, for sample s).
    G = [[-yi / n if m > 0.0 else 0.0] for yi, m in zip(y, margins)]
    two_alpha = 2.0 * ALPHA  # d(alpha * p * p)/dp
    grads: list = [None] * len(model)
    for li in range(last, -1, -1):
        W, b = model[li]
        if li != last:  # back through the ReLU
            G = [[g if z > 0.0 else 0.0 for g, z in zip(gs, zs)] for gs, zs in zip(G, pre[li])]
        GT = list(zip(*G))  # per neuron: its gradient over the samples
        HT = list(zip(*inputs[li]))  # per input: its value over the samples
        gW = [
            [sum(map(mul, gcol, hcol)) + two_alpha * w for hcol, w in zip(HT, row)]
            for gcol, row in zip(GT, W)
        ]
        gb = [sum(gcol) + two_alpha * bj for gcol, bj in zip(GT, b)]
        grads[li] = (gW, gb)
        if li:  # gradient for the layer below: G @ W
            WT = list(zip(*W))
            G = [[sum(map(mul, gs, wcol)) for wcol in WT] for gs in G]

    # SGD update
    for (W, b), (gW, gb) in zip(model, grads):
        W[:] = [[w - lr * g for w, g in zip(row, grow)] for row, grow in zip(W, gW)]
        b[:] = [bj - lr * g for bj, g in zip(b, gb)]
    del accuracy
    return loss, grads


def mlp_result(net: Net, out: Tuple[float, list]) -> Tuple[float, List[float]]:
    """The last step's loss and gradients, in micrograd's parameter order."""
    loss, grads = out
    return loss, [x for gW, gb in grads for row, bj in zip(gW, gb) for x in row + [bj]]


# --- W3: a deep chain --------------------------------------------------------


def chain(n_nodes: int, ch: Chain) -> Tuple[float, List[float]]:
    """y = x0, then y = y * c + d; returns (y, [dy/dx0, dy/dc, dy/dd])."""
    c, d = ch.c, ch.d
    y = ch.x0
    ys = []  # the input of every step: all that backward needs
    for _ in range(n_nodes // 2):
        ys.append(y)
        y = y * c + d
    gy, gc, gd = 1.0, 0.0, 0.0
    for yk in reversed(ys):
        gd += gy
        gc += gy * yk
        gy *= c
    return y, [gy, gc, gd]


# --- W4: a wide random graph -------------------------------------------------


def graph_leaves(program: Program) -> list:
    return list(program.leaves)


def graph_build(leaves: list, program: Program) -> list:
    """Forward: the value of every node, in program order (the program is the tape)."""
    return run_program(leaves, program)


def graph_backward(vals: list, program: Program) -> List[float]:
    """Reverse over the program; returns the gradients of the leaves."""
    g = [0.0] * len(vals)
    g[-1] = 1.0
    k = len(vals)
    for i, j in reversed(program.pairs):
        k -= 1
        gk = g[k]
        g[i] += gk
        g[j] += gk
    for a, b, c in reversed(program.triples):
        k -= 1
        gk = g[k]
        g[a] += gk
        g[b] += gk * vals[c]
        g[c] += gk * vals[b]
    return g[: len(program.leaves)]


def graph_result(leaves: list, vals: list, leaf_grads: List[float]) -> Tuple[float, List[float]]:
    return vals[-1], leaf_grads

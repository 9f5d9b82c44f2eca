"""The inputs of every workload, as plain floats and ints, the same for every engine.

Each engine gets exactly these numbers (data, weights, constants, the op
program), so their losses and gradients must agree to rounding before any
timing counts. Nothing here depends on an engine.
"""

from __future__ import annotations

import random
from typing import List, NamedTuple, Sequence, Tuple

Matrix = List[List[float]]
# One MLP layer: a weight row per neuron, and one bias per neuron.
Layer = Tuple[Matrix, List[float]]


# --- W1, W2: micrograd's demo ------------------------------------------------


def moons(n_samples: int = 100, noise: float = 0.1, seed: int = 0) -> Tuple[Matrix, List[int]]:
    """The demo's data: two moons, labels -1 and +1 (``y * 2 - 1`` in the demo).

    Uses micrograd_like.datasets.make_moons (scikit-learn's algorithm in pure
    Python), so numpy is not needed.
    """
    from micrograd_like.datasets import make_moons

    X, labels = make_moons(n_samples, noise=noise, seed=seed)
    return [[float(v) for v in row] for row in X], [2 * int(c) - 1 for c in labels]


def mlp_weights(nin: int, nouts: Sequence[int], seed: int = 0) -> List[Layer]:
    """Weights like micrograd's init: w ~ uniform(-1, 1); biases small and nonzero.

    micrograd starts biases at 0; small random biases instead make every
    bias gradient a real check (and change no timing).
    """
    rng = random.Random(seed)
    sizes = [nin] + list(nouts)
    return [
        (
            [[rng.uniform(-1.0, 1.0) for _ in range(sizes[i])] for _ in range(sizes[i + 1])],
            [rng.uniform(-0.1, 0.1) for _ in range(sizes[i + 1])],
        )
        for i in range(len(nouts))
    ]


def flatten(layers: Sequence[Layer]) -> List[float]:
    """Weights or gradients in micrograd's parameter order: per neuron, w then b."""
    return [x for W, b in layers for row, bj in zip(W, b) for x in row + [bj]]


ALPHA = 1e-4  # the demo's L2 strength
LR = 1.0  # the demo's learning rate at step 0 (1.0 - 0.9 * k / 100)


# --- W3: a deep chain ----------------------------------------------------------


class Chain(NamedTuple):
    """y <- y * c + d, repeated: two op nodes per step, depth = number of nodes."""

    x0: float = 0.5
    c: float = 0.999  # |c| < 1 and the fixed point d / (1 - c) = 1: values stay near 1
    d: float = 0.001


# --- W4, W5: a wide random graph ---------------------------------------------


class Program(NamedTuple):
    """A random expression graph over ``leaves``, written as index lists.

    ``vals`` starts as the leaves. Each triple (a, b, c) appends
    ``vals[a] + vals[b] * vals[c]`` (two op nodes); each pair (i, j) then
    appends ``vals[i] + vals[j]`` (one node). The pairs add up every value
    nobody used, as a balanced tree, so the last value (the root) depends on
    every node and backward visits all of them.
    """

    leaves: List[float]
    triples: List[Tuple[int, int, int]]
    pairs: List[Tuple[int, int]]
    depth: int  # longest path from a leaf to the root, in op nodes

    @property
    def n_nodes(self) -> int:
        return 2 * len(self.triples) + len(self.pairs)


def random_program(
    n_triples: int = 46_800, n_leaves: int = 1000, window: int = 1000, seed: int = 0
) -> Program:
    """A seeded wide graph: about 10^5 op nodes with the defaults.

    a and b come from the last ``window`` values, so the graph is about
    ``window`` wide and ``2 * n_triples / window`` deep (micrograd's recursive
    backward copes). c is always a leaf in (-0.5, 0.5), which keeps the values
    moderate: each generation multiplies their spread by about sqrt(13/12).
    """
    rng = random.Random(seed)
    leaves = [rng.uniform(-0.5, 0.5) for _ in range(n_leaves)]
    depth = [0] * n_leaves
    used = [True] * n_leaves  # leaves need no sink
    triples = []
    for t in range(n_triples):
        n = n_leaves + t
        lo = max(0, n - window)
        a, b, c = rng.randrange(lo, n), rng.randrange(lo, n), rng.randrange(n_leaves)
        triples.append((a, b, c))
        used[a] = used[b] = True
        used.append(False)
        depth.append(max(depth[a], depth[b] + 1) + 1)  # b*c is one node, + another
    pairs = []
    level = [i for i, u in enumerate(used) if not u]
    n = len(used)
    while len(level) > 1:
        nxt = []
        for k in range(0, len(level) - 1, 2):
            pairs.append((level[k], level[k + 1]))
            depth.append(max(depth[level[k]], depth[level[k + 1]]) + 1)
            nxt.append(n)
            n += 1
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return Program(leaves, triples, pairs, max(depth))


def run_program(leaves: Sequence, program: Program) -> list:
    """Every value of the program, in order, with each engine's own + and *.

    The same source runs on floats, Values and tensors, so every engine
    builds exactly the same graph. The last value is the root.
    """
    vals = list(leaves)
    push = vals.append
    for a, b, c in program.triples:
        push(vals[a] + vals[b] * vals[c])
    for i, j in program.pairs:
        push(vals[i] + vals[j])
    return vals


TOL = 1e-9  # every comparison of results: relative above 1, absolute below


def close(a: float, b: float, tol: float = TOL) -> bool:
    """|a - b| <= tol * max(1, |a|, |b|): absolute near 0, relative for large values."""
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))  # False for NaN: never a match

"""A bare Value engine: the same design as micrograd_like with nothing else.

This is a measuring stick, not a product. It keeps exactly the ideas of
issue 6 (``__slots__``, no per-node closures, an iterative topological sort,
fused neurons, rules inline in backward) and drops everything a library
needs on top: no input checks or error messages, no ``no_grad``, no labels,
no op constants, no rule table, no second derivatives, no held gradients.
Its times are the best this design can do on this Python; micrograd_like's
time / bare time is what the library's features cost.

The workloads use the same graph shapes as engine_ours.py: one node per
neuron (ReLU fused), hinge loss as ``relu(1 - y * s)`` with constant leaves,
one node for the sum of the losses and one for the L2 term.
"""

from __future__ import annotations

from operator import mul
from typing import List, Sequence, Tuple

from benchmarks.workloads import ALPHA, Chain, Layer, Matrix, Program, run_program

NAME = "bare engine"

_new = object.__new__


class Value:
    __slots__ = ("data", "grad", "_prev", "_op")

    def __init__(self, data: float, _prev: tuple = (), _op: str = "") -> None:
        self.data = data
        self.grad = 0.0
        self._prev = _prev
        self._op = _op

    def __add__(self, other: "Value") -> "Value":
        out = _new(Value)
        out.data = self.data + other.data
        out.grad = 0.0
        out._prev = (self, other)
        out._op = "+"
        return out

    def __mul__(self, other: "Value") -> "Value":
        out = _new(Value)
        out.data = self.data * other.data
        out.grad = 0.0
        out._prev = (self, other)
        out._op = "*"
        return out

    def relu(self) -> "Value":
        return Value(self.data if self.data > 0.0 else 0.0, (self,), "relu")


def neuron(x: tuple, xd: List[float], w: List[Value], b: Value, relu: bool) -> Value:
    """relu?(b + sum(x_i * w_i)) as one node; inputs (*x, *w, b) as in micrograd_like."""
    z = sum(map(mul, xd, [wi.data for wi in w]), b.data)
    if relu:
        return Value(z if z > 0.0 else 0.0, (*x, *w, b), "linear_relu")
    return Value(z, (*x, *w, b), "linear")


def topological_order(root: Value) -> List[Value]:
    """Interior nodes, inputs first (the same iterative sort as micrograd_like)."""
    order: List[Value] = []
    expanded, placed = set(), set()
    stack = [root]
    while stack:
        v = stack.pop()
        if v in expanded:
            if v not in placed:
                placed.add(v)
                order.append(v)
            continue
        expanded.add(v)
        stack.append(v)
        for p in reversed(v._prev):
            if p._prev and p not in expanded:
                stack.append(p)
    return order


def backward(root: Value) -> None:
    root.grad = 1.0
    for v in reversed(topological_order(root)):
        g = v.grad
        if g == 0.0:
            continue
        op, prev = v._op, v._prev
        if op == "+":
            a, b = prev
            a.grad += g
            b.grad += g
        elif op == "*":
            a, b = prev
            a.grad += g * b.data
            b.grad += g * a.data
        elif op == "linear" or op == "linear_relu":
            if op == "linear_relu" and v.data <= 0.0:
                continue
            n = len(prev) // 2
            for xi, wi in zip(prev[:n], prev[n:-1]):
                wi.grad += g * xi.data
                xi.grad += g * wi.data
            prev[-1].grad += g
        elif op == "relu":
            if prev[0].data > 0.0:
                prev[0].grad += g
        elif op == "sum":
            for p in prev:
                p.grad += g
        elif op == "dot":  # only ever dot(ps, ps) here: d/dp = 2 p
            n = len(prev) // 2
            for a, b in zip(prev[:n], prev[n:]):
                a.grad += g * b.data
                b.grad += g * a.data


# --- W1, W2: one training step of micrograd's demo --------------------------


class Demo:
    def __init__(self, weights: Sequence[Layer], lr: float) -> None:
        self.layers = [
            ([[Value(0.0) for _ in row] for row in W], [Value(0.0) for _ in b]) for W, b in weights
        ]
        self.params = [p for W, b in self.layers for row, bj in zip(W, b) for p in row + [bj]]
        self.lr = lr
        mlp_load(self, weights)


def mlp_setup(weights: Sequence[Layer], lr: float) -> Demo:
    return Demo(weights, lr)


def mlp_load(demo: Demo, weights: Sequence[Layer]) -> None:
    for (W, b), (Wv, bv) in zip(weights, demo.layers):
        for row, rowv in zip(W, Wv):
            for w, p in zip(row, rowv):
                p.data = w
        for bj, p in zip(b, bv):
            p.data = bj


def mlp_step(demo: Demo, X: Matrix, y: List[int]) -> float:
    last = len(demo.layers) - 1
    scores = []
    for row in X:
        h = tuple([Value(float(v)) for v in row])
        for li, (W, b) in enumerate(demo.layers):
            hd = [v.data for v in h]
            h = tuple([neuron(h, hd, w, bj, li != last) for w, bj in zip(W, b)])
        scores.append(h[0])
    one = Value(1.0)
    losses = [(one + Value(-float(yi)) * s).relu() for yi, s in zip(y, scores)]
    total = Value(sum([v.data for v in losses]), tuple(losses), "sum")
    data_loss = total * Value(1.0 / len(losses))
    ps = demo.params
    reg = Value(sum([p.data * p.data for p in ps]), (*ps, *ps), "dot")
    loss = data_loss + Value(ALPHA) * reg
    for p in ps:
        p.grad = 0.0
    backward(loss)
    for p in ps:
        p.data -= demo.lr * p.grad
    return loss.data


def mlp_result(demo: Demo, loss: float) -> Tuple[float, List[float]]:
    return loss, [p.grad for p in demo.params]


# --- W3: a deep chain --------------------------------------------------------


def chain(n_nodes: int, ch: Chain) -> Tuple[float, List[float]]:
    x, c, d = Value(ch.x0), Value(ch.c), Value(ch.d)
    y = x
    for _ in range(n_nodes // 2):
        y = y * c + d
    backward(y)
    return y.data, [x.grad, c.grad, d.grad]


# --- W4: a wide random graph -------------------------------------------------


def graph_leaves(program: Program) -> List[Value]:
    return [Value(v) for v in program.leaves]


def graph_build(leaves: List[Value], program: Program) -> Value:
    return run_program(leaves, program)[-1]


def graph_backward(root: Value, program: Program) -> None:
    backward(root)


def graph_result(leaves: List[Value], root: Value, _: None) -> Tuple[float, List[float]]:
    return root.data, [v.grad for v in leaves]

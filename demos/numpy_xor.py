"""XOR "from scratch" in NumPy, as the articles write it, with its hand-written gradients checked.

The "neural network from scratch" articles build a 2-4-1 sigmoid network in
NumPy and derive its backward pass by hand: ``sigmoid_derivative``,
``d_z_2 = error * sigmoid_derivative(self.z_2)`` and so on, with
``error = y - a_2`` and an update that *adds* ``learning_rate * d_w``. The
class below is that code. Before and after training, its gradients are
checked by ``check_numpy_grads``: the same ``forward`` runs on NumPy object
arrays of Values, ``backward()`` differentiates it, and every entry of every
hand-written array is compared with autodiff.

Mind the sign: since the update adds ``learning_rate * d_w`` and
``error = y - a_2``, the hand-written ``d_w`` is the gradient of
``-L`` with ``L = 1/2 sum (y - a_2)**2`` (gradient ascent on -L is descent on L).
A version with a planted mistake (``sigmoid_derivative`` forgotten in the
hidden layer) shows what a failed check looks like.

    python demos/numpy_xor.py
    python demos/numpy_xor.py --seed 3 --epochs 20000
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import _cli
import numpy as np
from micrograd_like.testing import check_numpy_grads

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return sigmoid(x) * (1 - sigmoid(x))


class NeuralNetwork:
    """The article's network: weights w1 (2x4), b1 (1x4), w2 (4x1), b2 (1x1)."""

    def __init__(self, input_size=2, hidden_size=4, output_size=1, seed=0):
        rng = np.random.default_rng(seed)
        self.w1 = rng.standard_normal((input_size, hidden_size))
        self.b1 = np.zeros((1, hidden_size))
        self.w2 = rng.standard_normal((hidden_size, output_size))
        self.b2 = np.zeros((1, output_size))

    def forward(self, X):
        self.z_1 = np.dot(X, self.w1) + self.b1
        self.a_1 = sigmoid(self.z_1)
        self.z_2 = np.dot(self.a_1, self.w2) + self.b2
        self.a_2 = sigmoid(self.z_2)
        return self.a_2

    def gradients(self, X, y, planted_bug=False):
        """The hand-derived backward pass (after forward(X))."""
        error = y - self.a_2
        d_z_2 = error * sigmoid_derivative(self.z_2)
        d_w2 = np.dot(self.a_1.T, d_z_2)
        d_b2 = np.sum(d_z_2, axis=0, keepdims=True)
        d_a_1 = np.dot(d_z_2, self.w2.T)
        d_z_1 = d_a_1 if planted_bug else d_a_1 * sigmoid_derivative(self.z_1)
        d_w1 = np.dot(X.T, d_z_1)
        d_b1 = np.sum(d_z_1, axis=0, keepdims=True)
        return {"w1": d_w1, "b1": d_b1, "w2": d_w2, "b2": d_b2}

    def backward(self, X, y, learning_rate):
        d = self.gradients(X, y)
        self.w1 += learning_rate * d["w1"]  # += : error = y - a_2 points downhill already
        self.b1 += learning_rate * d["b1"]
        self.w2 += learning_rate * d["w2"]
        self.b2 += learning_rate * d["b2"]

    def params(self) -> Dict[str, Any]:
        return {"w1": self.w1, "b1": self.b1, "w2": self.w2, "b2": self.b2}


def minus_loss(p: Dict[str, Any]):
    """-1/2 sum (y - a_2)**2, by the article's own forward, on whatever arrays p holds."""
    net = NeuralNetwork.__new__(NeuralNetwork)  # the same class, other weights
    net.w1, net.b1, net.w2, net.b2 = p["w1"], p["b1"], p["w2"], p["b2"]
    return -0.5 * np.sum((Y - net.forward(X)) ** 2)


def check_gradients(net: NeuralNetwork, planted_bug: bool = False):
    net.forward(X)
    hand = net.gradients(X, Y, planted_bug=planted_bug)
    return check_numpy_grads(minus_loss, net.params(), hand, raise_exception=False)


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    args = _cli.parse(_cli.demo_parser(
        __doc__, seed=0, seed_help="seed for the initial weights",
        epochs_help="training epochs (default 10000, 5000 with --quick)",
        quick_help="fewer epochs (for tests)",
    ), argv)
    epochs = args.epochs or (5000 if args.quick else 10000)
    net = NeuralNetwork(seed=args.seed)

    before = check_gradients(net)
    print("hand-written gradients before training:", "agree" if before else "DISAGREE")
    for epoch in range(1, epochs + 1):
        net.forward(X)
        net.backward(X, Y, learning_rate=0.1)
        if epoch % (epochs // 5) == 0 or epoch == epochs:
            loss = 0.5 * float(np.sum((Y - net.forward(X)) ** 2))
            print(f"epoch {epoch}/{epochs}  loss {loss:.5f}")
    after = check_gradients(net)
    print("hand-written gradients after training:", "agree" if after else "DISAGREE")
    print(after)

    outputs = [float(o) for o in net.forward(X).ravel()]
    correct = sum(int(o > 0.5) == t for o, t in zip(outputs, Y.ravel()))
    print("\n x1  x2   target  output")
    for (a, b), t, o in zip(X, Y.ravel(), outputs):
        print(f" {a:.0f}   {b:.0f}   {t:.0f}       {o:.3f}")
    print(f"{correct}/4 outputs correct")

    buggy = check_gradients(net, planted_bug=True)
    print("\nwith sigmoid_derivative forgotten in the hidden layer:")
    print(buggy)
    return {
        "before": before,
        "after": after,
        "buggy": buggy,
        "loss": 0.5 * float(np.sum((Y - net.forward(X)) ** 2)),
        "outputs": outputs,
        "correct": correct,
        "pictures": [],
    }


if __name__ == "__main__":
    main()

"""What the picture modules share: the lecture's neuron, and saving a matplotlib figure byte-for-byte reproducibly."""

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "micrograd_like"  # fixed ids in SVGs

import matplotlib.pyplot as plt  # noqa: E402

from micrograd_like import Value  # noqa: E402


def lecture_neuron():
    """o = tanh(x1*w1 + x2*w2 + b), op by op, with the lecture's numbers; returns (o, [w1, w2, b])."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [w1, w2, b]


def save_figure(fig, path: str) -> None:
    """Save ``fig`` to ``path`` (PNG at 150 dpi, or SVG) with no date or version in it."""
    if path.endswith(".svg"):
        fig.savefig(path, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    else:
        fig.savefig(path, dpi=150, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)

"""What the picture modules share: saving a matplotlib figure byte-for-byte reproducibly."""

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "micrograd_like"  # fixed ids in SVGs

import matplotlib.pyplot as plt  # noqa: E402


def save_figure(fig, path: str) -> None:
    """Save ``fig`` to ``path`` (PNG at 150 dpi, or SVG) with no date or version in it."""
    if path.endswith(".svg"):
        fig.savefig(path, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    else:
        fig.savefig(path, dpi=150, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)

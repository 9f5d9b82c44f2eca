"""Pictures for the demos: loss curves, decision boundaries, fits, confusion matrices.

matplotlib is optional (``pip install -e ".[demos]"``). It is imported only
here, with the headless Agg backend chosen *before* pyplot is imported, so
the demos run on servers and in CI without a display. Without matplotlib the
demos still train and print their results; they just write no pictures.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, List, Optional, Sequence

# Class colours (points) and their light versions (regions), colour-blind safe
# (Okabe-Ito): blue, orange, green.
COLORS = ["#0072B2", "#E69F00", "#009E73"]
LIGHT = ["#BFDCEF", "#F9E3B3", "#BFE6DA"]
DPI = 90


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend, or None when matplotlib is missing."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")  # no display needed; must happen before pyplot is imported
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


# Pictures are PNGs at slide resolution; with --svg each also comes as SVG.
DPI = 150
_ALSO_SVG = [False]


def check_available(svg: bool = False) -> bool:
    """True if pictures can be drawn; otherwise say how to get them (on stderr)."""
    _ALSO_SVG[0] = svg
    if pyplot() is not None:
        return True
    print(
        "note: matplotlib is not installed, so no pictures will be written; "
        'install it with: pip install -e ".[demos]"',
        file=sys.stderr,
    )
    return False


def _save(fig: Any, out_dir: str, name: str) -> str:
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name)
    fig.savefig(path, bbox_inches="tight", dpi=DPI)
    if _ALSO_SVG[0]:  # vector pictures for slides; the same file name, .svg
        fig.savefig(os.path.splitext(path)[0] + ".svg", bbox_inches="tight",
                    metadata={"Date": None})  # no date: the same run, the same bytes
    pyplot().close(fig)
    return path


def loss_curve(
    out_dir: str,
    name: str,
    train: Sequence[float],
    val: Optional[Sequence[float]] = None,
    *,
    title: str = "loss",
    xlabel: str = "epoch",
    log: bool = False,
    best: Optional[int] = None,
) -> str:
    """Training (and validation) loss per epoch; returns the PNG's path."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    steps = range(1, len(train) + 1)
    ax.plot(steps, train, color=COLORS[0], lw=1.8, label="train")
    if val is not None:
        ax.plot(steps, val, color=COLORS[1], lw=1.8, label="validation")
    if best is not None:
        ax.axvline(best, color="0.5", ls=":", lw=1.2, label=f"best ({xlabel} {best})")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    # beside the axes, not on them: a legend inside can cover a curve
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return _save(fig, out_dir, name)


def _grid(X: Sequence[Sequence[float]], resolution: int, margin: float = 0.25):
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    pad_x = margin * (max(xs) - min(xs))
    pad_y = margin * (max(ys) - min(ys))
    x0, x1 = min(xs) - pad_x, max(xs) + pad_x
    y0, y1 = min(ys) - pad_y, max(ys) + pad_y
    gx = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    gy = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    return gx, gy


def decision_boundary(
    out_dir: str,
    name: str,
    predict: Callable[[List[List[float]]], List[Any]],
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    *,
    X_val: Optional[Sequence[Sequence[float]]] = None,
    y_val: Optional[Sequence[int]] = None,
    classes: Sequence[Any],
    class_names: Optional[Sequence[str]] = None,
    threshold: Optional[float] = None,
    resolution: int = 100,
    point_size: float = 22,
    title: str = "decision boundary",
) -> str:
    """Colour the plane by the predicted class and draw the points on top.

    ``predict`` maps a list of points to the model's float outputs: one score
    per point (binary; the boundary is where it crosses ``threshold``) or a
    list of class scores per point (multi-class; the argmax wins).
    ``classes`` lists the labels in colour order, e.g. ``[-1, 1]``.
    """
    plt = pyplot()
    k = len(classes)
    names = [str(c) for c in classes] if class_names is None else list(class_names)
    gx, gy = _grid(list(X) + list(X_val or []), resolution)
    outputs = predict([[a, b] for b in gy for a in gx])  # row by row: y outer, x inner
    fig, ax = plt.subplots(figsize=(5.2, 4.4))
    if threshold is not None:  # binary: colour by which side of the threshold
        Z = [outputs[j * resolution : (j + 1) * resolution] for j in range(resolution)]
        lo = min(min(r) for r in Z)
        hi = max(max(r) for r in Z)
        levels = [min(lo, threshold) - 1.0, threshold, max(hi, threshold) + 1.0]
        ax.contourf(gx, gy, Z, levels=levels, colors=LIGHT[:2])
        ax.contour(gx, gy, Z, levels=[threshold], colors="0.35", linewidths=1.0)
    else:  # multi-class: class c wins where its score beats every other score
        for c in range(k):
            # margin > 0 exactly where c is the argmax; contouring the margin
            # (not the integer labels) gives smooth boundaries
            margin = [o[c] - max(o[:c] + o[c + 1 :]) for o in outputs]
            Z = [margin[j * resolution : (j + 1) * resolution] for j in range(resolution)]
            top = max(max(r) for r in Z)
            if top > 0:
                ax.contourf(gx, gy, Z, levels=[0.0, top + 1.0], colors=[LIGHT[c]])
                ax.contour(gx, gy, Z, levels=[0.0], colors="0.35", linewidths=0.8)
    for c, label in enumerate(classes):
        pts = [p for p, t in zip(X, y) if t == label]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=point_size, color=COLORS[c],
                   edgecolors="white", linewidths=0.6, label=f"{names[c]} (train)", zorder=3)
        if X_val is not None:
            pts = [p for p, t in zip(X_val, y_val) if t == label]
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=26, marker="^",
                       facecolors="none", edgecolors=COLORS[c], linewidths=1.2,
                       label=f"{names[c]} (validation)", zorder=3)
    ax.set_xlim(gx[0], gx[-1])
    ax.set_ylim(gy[0], gy[-1])
    for side in ("top", "right"):  # a coloured plane needs a full frame
        ax.spines[side].set_visible(True)
    ax.set_aspect("equal", adjustable="box")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2 if k < 3 else 3,
              frameon=False, fontsize=8, handletextpad=0.3, columnspacing=1.0)
    return _save(fig, out_dir, name)


def regression_fit(
    out_dir: str,
    name: str,
    predict: Callable[[List[List[float]]], List[float]],
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    *,
    X_val: Optional[Sequence[Sequence[float]]] = None,
    y_val: Optional[Sequence[float]] = None,
    truth: Optional[Callable[[float], float]] = None,
    title: str = "fit",
) -> str:
    """The data as points and the model's prediction as a curve (1-D input)."""
    plt = pyplot()
    xs = [p[0] for p in list(X) + list(X_val or [])]
    lo, hi = min(xs), max(xs)
    grid = [lo + (hi - lo) * i / 299 for i in range(300)]
    fig, ax = plt.subplots(figsize=(5.8, 3.6))
    ax.scatter([p[0] for p in X], y, s=16, color=COLORS[0], alpha=0.8, label="train", zorder=2)
    if X_val is not None:
        ax.scatter([p[0] for p in X_val], y_val, s=20, marker="^", facecolors="none",
                   edgecolors=COLORS[1], linewidths=1.1, label="validation", zorder=2)
    if truth is not None:
        ax.plot(grid, [truth(g) for g in grid], color="0.45", lw=1.2, ls="--", label="true function")
    ax.plot(grid, predict([[g] for g in grid]), color=COLORS[2], lw=2.2, label="model", zorder=3)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    return _save(fig, out_dir, name)


def confusion(
    out_dir: str,
    name: str,
    cm: Sequence[Sequence[int]],
    class_names: Sequence[str],
    *,
    title: str = "confusion matrix",
) -> str:
    """A confusion matrix as a heat map: rows are true classes, columns predicted."""
    plt = pyplot()
    k = len(cm)
    fig, ax = plt.subplots(figsize=(3.6, 3.4))
    ax.imshow(cm, cmap="Blues", vmin=0)
    top = max(max(row) for row in cm) or 1
    for i in range(k):
        for j in range(k):
            ax.text(j, i, str(cm[i][j]), ha="center", va="center", fontsize=11,
                    color="white" if cm[i][j] > top / 2 else "black")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xticklabels(class_names)
    ax.set_yticklabels(class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    return _save(fig, out_dir, name)


def digit_grid(
    out_dir: str,
    name: str,
    images: Sequence[Sequence[Sequence[float]]],
    captions: Sequence[str],
    *,
    title: str = "digits",
    columns: int = 8,
) -> str:
    """A grid of 8 x 8 greyscale digit images, each with a caption under it."""
    plt = pyplot()
    n = max(len(images), 1)
    rows = (n + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(1.1 * columns, 1.3 * rows + 0.4), squeeze=False)
    for k, ax in enumerate(ax for row in axes for ax in row):
        ax.set_axis_off()
        if k < len(images):
            ax.imshow(images[k], cmap="gray_r", vmin=0, vmax=16, interpolation="nearest")
            ax.set_title(captions[k], fontsize=8)
    fig.suptitle(title, fontsize=10)
    return _save(fig, out_dir, name)

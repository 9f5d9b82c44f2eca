"""The four pictures of one snapshot, each as inline SVG text.

``loss_svg`` and ``boundary_svg`` draw with matplotlib, imported on first
use, on a ``Figure`` with the Agg canvas (never pyplot and its global
state). ``network_svg`` and ``graph_svg`` draw with Graphviz through
``micrograd_like.draw``. Every function returns an HTML fragment: an
``<svg>`` element without its XML prolog, ready to sit inside a page.

>>> svg = loss_svg([1, 2, 3], {"loss": [0.9, 0.5, 0.2]}, upto=1,
...                view=LossView.of({"loss": [0.9, 0.5, 0.2]}, [1, 2, 3]))  # doctest: +SKIP
>>> svg.startswith("<svg")  # doctest: +SKIP
True
"""

from __future__ import annotations

import html
import io
import math
import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from micrograd_like import Value, enable_grad
from micrograd_like._format import fmt

Output = Any  # one sample's output as floats: a float, or a list of floats

# Every figure is drawn under these settings. A fixed svg.hashsalt makes the
# ids matplotlib writes into an SVG the same on every run (by default they
# are random), so the same program writes the same bytes. Text stays <text>
# ("none") instead of glyph outlines: smaller files, and a page can be searched.
RC = {"svg.hashsalt": "micrograd_like.replay", "svg.fonttype": "none", "font.size": 9.0,
      "axes.titlesize": 10.0, "axes.titleweight": "bold"}
NEGATIVE, POSITIVE = "#b2182b", "#2166ac"  # red, blue: as draw_model colours weights
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]  # matplotlib's tab10
GRAPH_NODES = 60  # draw the sample's graph collapsed (one box per neuron) above this size


def require_matplotlib(where: str) -> Any:
    """matplotlib, or an ImportError that says how to get it.

    It is not a dependency of the package (only of its ``test`` and ``demos``
    extras), so a replay may be the first thing that needs it.
    """
    try:
        import matplotlib
    except ImportError as err:
        raise ImportError(
            f"{where}: the loss curve and the decision boundary are drawn with matplotlib, "
            f"which is not installed ({err}); install it with: pip install matplotlib"
        ) from err
    return matplotlib


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Fixed axes positions, not layout="constrained": that layout costs a
    # third of the drawing time, and a replay draws hundreds of figures.
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)  # a canvas of its own: no pyplot, no global figure list
    return fig


def _svg_text(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # no date: same bytes every run
    # The <metadata> block (creator, licence URLs) means nothing inside a page.
    return re.sub(r"\s*<metadata>.*?</metadata>", "", inline(buf.getvalue()), count=1, flags=re.S)


def inline(svg: str) -> str:
    """The ``<svg>`` element itself: drop the XML prolog and doctype before it."""
    return svg[svg.index("<svg"):]


def graphviz_svg(svg: str) -> str:
    """Graphviz's SVG, inline and smaller: without comments, node-name titles and
    the font on every label (the page's CSS sets it once for ``svg.gv``)."""
    svg = re.sub(r"<!--.*?-->\n?", "", inline(svg), flags=re.S)
    svg = re.sub(r"<title>[^<]*</title>\n?", "", svg)
    svg = svg.replace(' font-family="Helvetica,sans-Serif"', "")
    # Coordinates to 0.1 pt (Graphviz writes 0.01): a quarter smaller, looks the same.
    svg = re.sub(r' (d|points)="([^"]*)"', lambda m: f' {m[1]}="{_round(m[2])}"', svg)
    return svg.replace("<svg ", '<svg class="gv" ', 1)


def _round(coords: str) -> str:
    return re.sub(r"(\d+\.\d)\d+", r"\1", coords)


def note(text: str) -> str:
    """A short message shown in place of a picture that cannot be drawn."""
    return f'<p class="note">{html.escape(text)}</p>'


def rc_context(where: str) -> Any:
    """matplotlib's settings for these pictures, restored afterwards."""
    return require_matplotlib(where).rc_context(RC)


# --- the loss curve -----------------------------------------------------------


class LossView(NamedTuple):
    """The fixed axes of the loss curve, so that it does not jump between frames."""

    xlim: Tuple[float, float]
    ylim: Tuple[float, float]
    log: bool  # a log scale when the loss spans more than a factor of 30

    @classmethod
    def of(cls, series: Dict[str, List[Optional[float]]], epochs: Sequence[int]) -> "LossView":
        # nan, inf and numbers near the float limit (a diverged run) are left off
        # the scale: the margins below must not overflow.
        values = [v for vs in series.values() for v in vs if v is not None and abs(v) < 1e300]
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        log = lo > 0 and hi / lo > 30
        if log:
            ylim = (lo / 1.5, hi * 1.5)
        else:
            pad = (hi - lo) * 0.08 or max(abs(hi) * 0.1, 0.1)
            ylim = (lo - pad, hi + pad)
        first, last = epochs[0], epochs[-1]
        pad = max((last - first) * 0.03, 0.5)
        return cls((first - pad, last + pad), ylim, log)


def loss_svg(epochs: Sequence[int], series: Dict[str, List[Optional[float]]], upto: int,
             view: LossView) -> str:
    """The loss (and val_loss) of snapshots 0..upto, on axes fixed by ``view``."""
    fig = _figure(4.2, 3.4)
    ax = fig.add_axes((0.15, 0.14, 0.8, 0.82))
    styles = {"loss": dict(color=POSITIVE, label="loss (training)"),
              "val_loss": dict(color="#ff7f0e", linestyle="--", label="val_loss (validation)")}
    for name, values in series.items():
        points = [(e, v) for e, v in zip(epochs[: upto + 1], values[: upto + 1]) if v is not None]
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        ax.plot(xs, ys, linewidth=1.6, **styles.get(name, dict(label=name)))
        if epochs[upto] == xs[-1]:  # this frame's point, with its value written beside it
            ax.plot(xs[-1:], ys[-1:], "o", color=styles.get(name, {}).get("color", "black"))
            right = xs[-1] > sum(view.xlim) / 2  # write it on the side with room
            ax.annotate(fmt(ys[-1]), (xs[-1], ys[-1]), textcoords="offset points",
                        xytext=(-6 if right else 6, 7), ha="right" if right else "left",
                        fontsize=9)
    if view.log:
        ax.set_yscale("log")
    ax.set_xlim(*view.xlim)
    ax.set_ylim(*view.ylim)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss" + (" (log scale)" if view.log else ""))
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(loc="upper right", fontsize=8)
    return _svg_text(fig)


# --- the decision boundary ------------------------------------------------------


def _label(target: Any) -> Any:
    """A target as a class label: a one-hot (or score) list becomes its argmax."""
    if isinstance(target, (list, tuple)):
        return max(range(len(target)), key=lambda k: target[k])
    return target


def boundary_svg(grid_x: Sequence[float], grid_y: Sequence[float], grid: List[List[Output]],
                 X: Sequence[Sequence[float]], y: Sequence[Any], *, threshold: float,
                 vlim: float, sample: int) -> str:
    """The model's output over the grid as colour, its boundary line, and the data.

    One output: colour is the output (red below ``threshold``, blue above,
    as strong as ``vlim`` allows) and the black line is where it equals
    ``threshold``. Several outputs: colour is the class with the largest one.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D

    fig = _figure(4.6, 4.0)
    ax = fig.add_axes((0.14, 0.25, 0.64, 0.72))
    extent = (grid_x[0], grid_x[-1], grid_y[0], grid_y[-1])
    labels = [_label(t) for t in y]
    handles = []
    scores = next((v for row in grid for v in row if isinstance(v, list)), None)
    if scores is not None:  # several outputs: the predicted class (nan where it overflowed)
        n = len(scores)
        image = [[max(range(n), key=v.__getitem__) if isinstance(v, list) else math.nan
                  for v in row] for row in grid]
        colors = [CLASS_COLORS[k % 10] for k in range(n)]
        ax.imshow(image, origin="lower", extent=extent, aspect="auto", interpolation="nearest",
                  cmap=ListedColormap(colors), vmin=-0.5, vmax=n - 0.5, alpha=0.35)
        levels = [k + 0.5 for k in range(n - 1)]
        point_colors = [CLASS_COLORS[int(c) % 10] for c in labels]
        for k in sorted(set(int(c) for c in labels)):
            handles.append(Line2D([], [], marker="o", linestyle="", color=CLASS_COLORS[k % 10],
                                  markeredgecolor="black", label=f"class {k}"))
        text = "boundary (where the predicted class changes)"
    else:
        image = grid
        im = ax.imshow(image, origin="lower", extent=extent, aspect="auto",
                       interpolation="bilinear", cmap="RdBu", vmin=threshold - vlim,
                       vmax=threshold + vlim, alpha=0.8)
        fig.colorbar(im, cax=fig.add_axes((0.81, 0.25, 0.03, 0.72)), label="model output",
                     extend="both")
        levels = [threshold]
        classes = sorted(set(labels))
        if len(classes) == 2:  # the low class red, the high class blue, as the colours say
            side = {classes[0]: NEGATIVE, classes[1]: POSITIVE}
            point_colors = [side[c] for c in labels]
            for c in classes:
                handles.append(Line2D([], [], marker="o", linestyle="", color=side[c],
                                      markeredgecolor="black", label=f"class {c}"))
        else:
            point_colors = labels
        text = f"boundary (output = {fmt(threshold)})"
    flat = [v for row in image for v in row if v == v]
    if flat and min(flat) < max(flat) and any(min(flat) < t < max(flat) for t in levels):
        ax.contour(grid_x, grid_y, image, levels=levels, colors="black", linewidths=1.6)
        handles.append(Line2D([], [], color="black", linewidth=1.6, label=text))
    kwargs = {} if isinstance(point_colors[0], str) else dict(
        cmap="RdBu", vmin=threshold - vlim, vmax=threshold + vlim)
    ax.scatter([p[0] for p in X], [p[1] for p in X], c=point_colors, s=26,
               edgecolors="black", linewidths=0.7, **kwargs)
    ax.scatter([X[sample][0]], [X[sample][1]], s=150, facecolors="none", edgecolors="black",
               linewidths=1.8)
    handles.append(Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor="none",
                          markeredgecolor="black", label=f"sample #{sample} (graph below)"))
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("x1 (input 1)")
    ax.set_ylabel("x2 (input 2)")
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=7.5, frameon=False)
    return _svg_text(fig)


# --- the network and the graph of one sample -------------------------------------


def network_svg(model: Any) -> str:
    """``draw_model``: weights as edges, blue positive, red negative, thick when large."""
    from micrograd_like.draw import draw_model, to_svg

    try:
        drawing = draw_model(model)
    except (TypeError, ValueError) as err:  # not an MLP-shaped model, or too big to draw
        return note(f"The network cannot be drawn: {err}")
    return graphviz_svg(to_svg(drawing))


def sample_root(model: Any, x: Sequence[float], target: Any,
                loss_fn: Optional[Callable[[List[Any], List[Any]], Value]]) -> Value:
    """The Value whose graph is drawn: the sample's loss, or its output without a loss."""
    with enable_grad():  # the graph is needed even if the caller is inside no_grad()
        xs = [Value(float(v), label=f"x{i + 1}") for i, v in enumerate(x)]
        out = model(xs)
        if isinstance(out, Value):
            out.label = "output"
        if loss_fn is None:
            return out
        root = loss_fn([out], [target])
    if isinstance(root, Value):
        root.label = "loss"
    return root


def graph_svg(model: Any, x: Sequence[float], target: Any,
              loss_fn: Optional[Callable[[List[Any], List[Any]], Value]],
              collapse: Optional[bool]) -> str:
    """``draw_dot`` of one sample's loss (or output) after ``backward()``: data and grad."""
    from micrograd_like.draw import draw_dot, to_svg
    from micrograd_like.engine import topological_order

    model.zero_grad()
    try:
        root = sample_root(model, x, target, loss_fn)
        root.backward()
    except ArithmeticError as err:  # the engine's OverflowError: training diverged
        return note(f"No graph: at these weights the arithmetic overflows ({err}).")
    if collapse is None:  # a big graph is unreadable box by box: one box per neuron
        collapse = len(topological_order(root)) > GRAPH_NODES
    try:
        drawing = draw_dot(root, "TB", collapse=collapse)
    except ValueError as err:  # more nodes than draw_dot's max_nodes
        # (draw_dot's own fix, max_nodes=, is not an argument of Replay: say what is)
        count = re.search(r"would have (\d+) nodes", str(err))
        boxes = f" ({count.group(1)} boxes)" if count else ""
        return note(f"The graph of one sample is too big to draw here{boxes}. To see it, draw "
                    "one sample yourself with draw_dot(loss, max_nodes=None), or record a "
                    "smaller model.")
    why = ""
    if all(p.grad == 0 for p in model.parameters()):  # a puzzle for a learner: say why
        what = "output" if loss_fn is None else "loss"
        why = note(f"Every weight's grad is 0 here: nudging a weight would not change this "
                   f"sample's {what}, so it teaches nothing now (e.g. a hinge loss of 0: the "
                   "sample is on the right side, with margin; or every ReLU on its path is off).")
    return why + graphviz_svg(to_svg(drawing))

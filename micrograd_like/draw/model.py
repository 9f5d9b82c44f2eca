"""``draw_model``: a network drawn as its architecture, weights as edges.

Inputs on the left, one node per neuron, outputs on the right; each edge is
a weight, coloured by its sign (blue +, red -) and thicker the larger it is.
Works on micrograd_like's MLPs and on karpathy's micrograd MLPs alike.

>>> from micrograd_like.nn import MLP
>>> g = draw_model(MLP(2, [3, 1], seed=0))
>>> g.source.count(" -> ")  # 2*3 + 3*1 weights, and the output's arrow
10
"""

from __future__ import annotations

from typing import Dict, Optional, Sequence

from micrograd_like._format import fmt as _fmt
from micrograd_like.draw.style import (
    NEGATIVE, POSITIVE, ROLE_COLORS, ZERO, _escape, _legend, _new_drawing,
)
from micrograd_like.draw.graph import MAX_NODES, _check_max_nodes
from micrograd_like.draw.renderers import Drawing

__all__ = ["draw_model"]


def _number(x: object) -> float:
    return float(getattr(x, "data", x))  # a Value (ours or micrograd's) or a float


def _activation(neuron: object, layer: object) -> str:
    """The activation's name, read from the attributes nn modules use."""
    for obj in (neuron, layer):
        for attr in ("activation", "nonlin", "act", "nonlinearity"):
            if not hasattr(obj, attr):
                continue
            a = getattr(obj, attr)
            if isinstance(a, bool):  # micrograd: nonlin=True means ReLU
                return "relu" if a else "linear"
            if a is None or isinstance(a, str):
                return a or "linear"
            a = getattr(a, "func", a)  # functools.partial
            return getattr(a, "__name__", type(a).__name__)
    return ""


def draw_model(
    model: object,
    rankdir: str = "LR",
    *,
    input_names: Optional[Sequence[str]] = None,
    output_names: Optional[Sequence[str]] = None,
    show_weights: bool = False,
    max_nodes: Optional[int] = MAX_NODES,
    renderer: str = "auto",
    format: str = "svg",
    display_width: Optional[str] = None,
    legend: bool = False,
) -> Drawing:
    """Draw a network as its architecture: inputs, neurons, outputs.

    Works with any model shaped like micrograd's MLP: ``model.layers[i]
    .neurons[j]`` with weights ``.w`` (a list) and bias ``.b``. Each neuron
    shows its activation and bias. Each edge is a weight: blue when
    positive, red when negative, thicker and darker the larger it is
    (``show_weights=True`` also writes its value on it).

    >>> from micrograd_like.nn import MLP  # doctest: +SKIP
    >>> render(draw_model(MLP(2, [4, 1])), "mlp.svg")  # doctest: +SKIP
    'mlp.svg'
    """
    layers = list(getattr(model, "layers", None) or [])
    if not layers or not all(getattr(layer, "neurons", None) for layer in layers):
        raise TypeError(
            f"draw_model: expected a model with .layers, each with a non-empty "
            f"list .neurons (like micrograd_like.nn.MLP), got {type(model).__name__}; "
            "to draw any computation, use draw_dot(model(x))"
        )
    _check_max_nodes(max_nodes, "draw_model")
    sizes = [len(layers[0].neurons[0].w)] + [len(layer.neurons) for layer in layers]
    count = sum(sizes) + sizes[-1]  # inputs, neurons, one output per last neuron
    if max_nodes is not None and count > max_nodes:
        raise ValueError(
            f"draw_model: the model has {count} nodes to draw, more than "
            f"max_nodes={max_nodes}; pass max_nodes={count} (or None) to draw it anyway"
        )
    for what, names, n in (("input_names", input_names, sizes[0]),
                           ("output_names", output_names, sizes[-1])):
        if names is not None and len(names) != n:
            raise ValueError(f"draw_model: {what} has {len(names)} names but the model has {n}")

    g = _new_drawing("model", rankdir, renderer, "draw_model", format=format,
                     display_width=display_width)
    g.attr(nodesep="0.15", ranksep="1.2")
    g.attr("edge", arrowsize="0.4")
    weights = [_number(w) for layer in layers for n in layer.neurons for w in n.w]
    biggest = max((abs(w) for w in weights if w == w), default=0.0) or 1.0

    g.attr("node", shape="box", style="rounded,filled", fillcolor=ROLE_COLORS["input"])
    prev = [f"x{k}" for k in range(sizes[0])]
    for k, node in enumerate(prev):
        g.node(node, _escape(input_names[k]) if input_names else f"x{k + 1}")

    g.attr("node", shape="ellipse", style="filled", fillcolor=ROLE_COLORS["parameter"])
    for i, layer in enumerate(layers):
        here = []
        for j, neuron in enumerate(layer.neurons):
            if len(neuron.w) != len(prev):
                raise ValueError(
                    f"draw_model: layer {i} neuron {j} has {len(neuron.w)} weights, "
                    f"but the layer before it has {len(prev)} outputs"
                )
            node = f"l{i}n{j}"
            lines = [_activation(neuron, layer)]
            if getattr(neuron, "b", None) is not None:
                lines.append("b " + _fmt(_number(neuron.b)))
            g.node(node, "\\n".join(_escape(t) for t in lines if t) or " ")
            for src, w in zip(prev, neuron.w):
                g.edge(src, node, **_weight_style(_number(w), biggest, show_weights))
            here.append(node)
        prev = here

    g.attr("node", shape="box", style="rounded,filled", fillcolor=ROLE_COLORS["output"])
    for k, src in enumerate(prev):
        g.node(f"y{k}", _escape(output_names[k]) if output_names else f"y{k + 1}")
        g.edge(src, f"y{k}")
    if legend:
        _legend(g, [("input", ROLE_COLORS["input"]), ("neuron", ROLE_COLORS["parameter"]),
                    ("output", ROLE_COLORS["output"])],
                [("weight > 0", POSITIVE), ("weight < 0", NEGATIVE)])
    return g


def _weight_style(w: float, biggest: float, show_weights: bool) -> Dict[str, str]:
    """Blue/red by sign; width and opacity grow with |w| / the largest |w|."""
    share = min(abs(w) / biggest, 1.0) if w == w else 0.0
    color = POSITIVE if w > 0 else NEGATIVE if w < 0 else ZERO
    alpha = round(255 * (0.25 + 0.75 * share))  # small weights stay faint
    style = {
        "color": f"{color}{alpha:02x}",
        "penwidth": f"{0.5 + 3 * share:.2f}",
        "tooltip": "w " + _fmt(w),  # shown on hover in a browser
    }
    if show_weights:
        style.update(label=_fmt(w), fontsize="9", fontcolor=color)
    return style


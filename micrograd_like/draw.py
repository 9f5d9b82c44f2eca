"""Draw a computation graph (or a network) with Graphviz.

``draw_dot(root)`` turns the graph behind a Value into a ``graphviz.Digraph``:
one box per Value (label, data, grad) and one small oval per operation, as in
micrograd's lecture. ``draw_model(mlp)`` draws a network as its architecture
instead. ``to_svg`` and ``render`` turn either drawing into a picture.

Turning DOT text into a picture needs a layout program. We use the system
Graphviz ``dot`` when it is installed, and otherwise ``graphviz-pure`` (a
port of ``dot`` that pip installs with this package). The DOT text itself
(``.source``) needs no program at all.

Node names are ``n<i>``, where ``i`` is the Value's place in the topological
order, never ``id()``: the same program draws the same picture, byte for byte.

>>> from micrograd_like import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
>>> e = a * b; e.label = "e"
>>> print(draw_dot(e, show_grad=False).source)  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
digraph computation {
...
	n2 [label="{ e | data -6 }" fillcolor="#d5efcf"]
	n2_op [label="*" ...]
	n2_op -> n2
	n0 -> n2_op
	n1 -> n2_op
}
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import graphviz

from micrograd_like._format import fmt as _fmt
from micrograd_like.engine import Value, topological_order

__all__ = [
    "draw_dot",
    "draw_model",
    "to_svg",
    "render",
    "find_renderer",
    "Drawing",
    "RendererNotFoundError",
    "MAX_NODES",
    "RENDERERS",
]

# How many nodes (boxes plus op ovals) a drawing may have by default. Layout
# time grows faster than the graph: with `dot`, an MLP loss graph of ~1000
# nodes takes about 2 s, one of ~3000 nodes over 2 minutes, and nobody can
# read either picture.
MAX_NODES = 1000
RENDERERS = ("auto", "dot", "graphviz-pure")

# Fill colours by role; light, so that the black text stays readable.
ROLE_COLORS = {
    "input": "#dbe9f6",  # light blue
    "parameter": "#fde0c5",  # light orange
    "constant": "#eeeeee",  # light grey
    "intermediate": "white",
    "output": "#d5efcf",  # light green
}
POSITIVE, NEGATIVE, ZERO = "#2166ac", "#b2182b", "#999999"  # blue, red, grey
OP_STYLE = {"shape": "oval", "style": "solid", "width": "0.4", "height": "0.3",
            "margin": "0.04,0.02"}

_FUSED = ("linear", "dot")  # one node holds a whole neuron's weighted sum
_ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")
_FORMATS = {".svg": "svg", ".png": "png", ".jpg": "jpg", ".jpeg": "jpg",
            ".gv": "dot", ".dot": "dot"}  # suffix -> the -T format; "dot" is the DOT text


# --- numbers and labels -----------------------------------------------------


def _escape(text: str) -> str:
    """Make user text safe inside a record label, where { } | < > are syntax."""
    text = " ".join(str(text).split())  # newlines and tabs become spaces
    for ch in '\\"{}|<>':
        text = text.replace(ch, "\\" + ch)
    return text


def _op_text(v: Value) -> str:
    """The op as shown: '+', 'tanh', '**2', 'leaky_relu(0.01)', 'tanh(linear)'."""
    if v._op == "**":
        return "**" + _fmt(v._arg[0])
    if v._op == "linear":  # _arg holds the fused activation, None for none
        act = v._arg[0] if v._arg else None
        return "linear" if act in (None, "linear") else f"{act}(linear)"
    args = [a if isinstance(a, str) else _fmt(a) for a in v._arg if a is not None]
    return f"{v._op}({', '.join(args)})" if args else v._op


def _record(fields: Sequence[str]) -> str:
    # The braces put the fields in a row in LR layout, in a column in TB.
    return "{ " + " | ".join(fields) + " }"


def _value_fields(v: Value, show_grad: bool) -> List[str]:
    fields = [_escape(v.label)] if v.label else []
    fields.append("data " + _fmt(v.data))
    if show_grad:
        fields.append("grad " + _fmt(v.grad))
    return fields


def _grad_style(grad: float, biggest: float) -> Dict[str, str]:
    """Border colour by the sign of the gradient, width by its size."""
    if grad == 0.0 or grad != grad:  # zero or NaN
        return {"color": ZERO}
    if abs(grad) == math.inf:
        share = 1.0
    else:
        share = abs(grad) / biggest if biggest < math.inf else 0.0
    return {"color": POSITIVE if grad > 0 else NEGATIVE, "penwidth": f"{1 + 2.5 * share:.2f}"}


# --- the drawing, which knows how to show itself in Jupyter ----------------


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders with our choice of program.

    Jupyter shows a Digraph by calling its ``_repr_mimebundle_``, which in
    plain graphviz runs the system ``dot``. A Drawing runs what
    ``find_renderer(self.program)`` finds instead, so notebooks show graphs
    also where only ``graphviz-pure`` is installed. ``program`` is "auto",
    "dot" or "graphviz-pure" (``renderer=`` of draw_dot sets it).
    """

    program = "auto"

    def copy(self) -> "Drawing":
        new = super().copy()
        new.program = self.program
        return new

    def _repr_image_svg_xml(self) -> str:
        return _run(self.source, "svg", self.program).decode("utf-8")

    def _repr_image_png(self) -> bytes:
        return _run(self.source, "png", self.program)

    def _repr_image_jpeg(self) -> bytes:
        return _run(self.source, "jpg", self.program)

    def _repr_svg_(self) -> str:  # for front-ends older than mimebundles
        return self._repr_image_svg_xml()


def _new_drawing(name: str, rankdir: str, renderer: str, where: str) -> Drawing:
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(
            f"{where}: rankdir must be 'LR' (left to right) or 'TB' (top to "
            f"bottom), or 'RL'/'BT'; got {rankdir!r}"
        )
    _check_renderer_name(renderer, where)
    g = Drawing(name, graph_attr={"rankdir": rankdir})
    g.attr("node", fontname="Helvetica", fontsize="11")
    g.attr("edge", arrowsize="0.6")
    g.program = renderer
    return g


# --- draw_dot ---------------------------------------------------------------


def draw_dot(
    root: Value,
    rankdir: str = "LR",
    *,
    show_grad: bool = True,
    params: Optional[Iterable[Value]] = None,
    grad_color: bool = False,
    collapse: bool = False,
    max_nodes: Optional[int] = MAX_NODES,
    renderer: str = "auto",
) -> Drawing:
    """Draw the computation graph that produced ``root``.

    Every Value is a box with its label, data and grad; every op is a small
    oval between its inputs and its result. Fill colours show the role of
    each Value: output (green); parameter (orange: the Values in ``params``,
    or without ``params`` the weights and bias of ``linear``/``dot`` nodes);
    input (blue: labelled leaves, and the x side of ``linear``/``dot``);
    constant (grey: other unlabelled leaves, like the 2 in ``2 * x``);
    intermediate (white).

    ``grad_color=True`` colours each border by the sign of the gradient
    (blue +, red -) and makes it thicker the larger the gradient.
    ``collapse=True`` draws a compact view: each op inside its result's box,
    each neuron (``linear`` and its activation) as one box, with its weights
    and all constants hidden. ``renderer`` ("auto", "dot", "graphviz-pure")
    is the program used when the drawing shows itself in Jupyter.

    >>> x = Value(3.0, label="x"); y = (x * 2).tanh()
    >>> g = draw_dot(y, rankdir="TB")
    >>> g.source.count("->")  # x, 2 -> "*" -> box -> "tanh" -> y
    5
    """
    if not isinstance(root, Value):
        raise TypeError(
            f"draw_dot: root must be a Value (the output of a computation), "
            f"got {type(root).__name__} {root!r}"
        )
    param_set = None if params is None else _as_value_set(params, "draw_dot(params=...)")
    g = _new_drawing("computation", rankdir, renderer, "draw_dot")
    order = topological_order(root)
    name = {v: f"n{i}" for i, v in enumerate(order)}
    roles = _roles(order, root, param_set)
    plan = _collapsed_plan(order, roles) if collapse else None
    if plan is None:
        count = len(order) + sum(1 for v in order if v._prev)  # boxes + ovals
    else:
        count = len(plan)
    _check_size(count, max_nodes, collapse)

    biggest = max((abs(v.grad) for v in order if v.grad == v.grad), default=0.0)

    def box(v: Value, op_text: Optional[str] = None) -> None:
        fields = _value_fields(v, show_grad)
        if op_text:  # collapsed view: the op goes inside the box
            fields.insert(1 if v.label else 0, _escape(op_text))
        attrs = {"fillcolor": ROLE_COLORS[roles[v]]}
        if grad_color:
            attrs.update(_grad_style(v.grad, biggest))
        g.node(name[v], _record(fields), **attrs)

    g.attr("node", shape="record", style="filled")
    if plan is None:
        # As in micrograd: value box, op oval, op -> box, inputs -> op.
        for v in order:
            box(v)
            if v._prev:
                op = name[v] + "_op"
                g.node(op, _escape(_op_text(v)), **OP_STYLE)
                g.edge(op, name[v])
                for p in v._prev:
                    g.edge(name[p], op)
    else:
        for v, (op_text, inputs) in plan.items():
            box(v, op_text)
            for p in inputs:
                g.edge(name[p], name[v])
    return g


def _as_value_set(values: Iterable[Value], where: str) -> Set[Value]:
    out = set()
    for p in values:
        if not isinstance(p, Value):
            raise TypeError(
                f"{where}: expected Values (e.g. model.parameters()), got {type(p).__name__} {p!r}"
            )
        out.add(p)
    return out


def _sides(v: Value) -> Tuple[tuple, tuple]:
    """Split a linear/dot node's inputs into (x side, weights and bias)."""
    n = len(v._prev) // 2  # linear: x + w + (b,); dot: x + w
    return v._prev[:n], v._prev[n:]


def _roles(order: List[Value], root: Value, params: Optional[Set[Value]]) -> Dict[Value, str]:
    x_side: Set[Value] = set()
    w_side: Set[Value] = set()
    for v in order:
        if v._op in _FUSED:
            xs, ws = _sides(v)
            x_side.update(xs)
            w_side.update(ws)
    if params is None:
        params = w_side
    roles = {}
    for v in order:
        if v is root:
            roles[v] = "output"
        elif v._prev:
            roles[v] = "intermediate"
        elif v in params:
            roles[v] = "parameter"
        elif v.label or v in x_side:
            roles[v] = "input"
        else:
            roles[v] = "constant"
    return roles


def _collapsed_plan(
    order: List[Value], roles: Dict[Value, str]
) -> Dict[Value, Tuple[str, List[Value]]]:
    """The compact view: {shown Value: (op text, its shown inputs)}, in order."""
    uses: Dict[Value, int] = {}
    weight_uses: Dict[Value, int] = {}
    for v in order:
        for p in v._prev:
            uses[p] = uses.get(p, 0) + 1
        if v._op in _FUSED:
            for p in _sides(v)[1]:
                weight_uses[p] = weight_uses.get(p, 0) + 1

    # dot(...).tanh(): a weighted sum used only by its activation merges
    # into it. (linear(..., activation=) is one node already.)
    core = {}  # activation -> its weighted sum
    for v in order:
        if v._op in _ACTIVATIONS and v._prev[0]._op in _FUSED and uses[v._prev[0]] == 1:
            core[v] = v._prev[0]
    merged = set(core.values())

    def hidden(v: Value) -> bool:
        if v._prev:
            return v in merged
        only_weight = uses.get(v, 0) > 0 and weight_uses.get(v, 0) == uses[v]
        return roles[v] == "constant" or only_weight

    plan = {}
    for v in order:
        if hidden(v) and roles[v] != "output":
            continue
        if not v._prev:
            plan[v] = ("", [])
            continue
        c = core.get(v, v)
        if c._op in _FUSED:
            text = _op_text(c) if c is v else f"{v._op}({_op_text(c)})"
            text += f", {len(_sides(c)[0])} inputs"
        else:
            text = _inline_constants(v, hidden)
        plan[v] = (text, [p for p in c._prev if not hidden(p)])
    return plan


def _inline_constants(v: Value, hidden: Callable[[Value], bool]) -> str:
    """The op with its hidden constants written in: '· * 2', '1 - ·'."""
    n_const = sum(1 for p in v._prev if hidden(p))
    if not n_const:
        return _op_text(v)
    if len(v._prev) == 2 and v._op in ("+", "-", "*", "/", "pow"):
        a, b = (_fmt(p.data) if hidden(p) else "\u00b7" for p in v._prev)  # middle dot
        return f"{a} {'**' if v._op == 'pow' else v._op} {b}"
    return f"{_op_text(v)} (+{n_const} const)"


def _check_size(count: int, max_nodes: Optional[int], collapse: bool) -> None:
    if max_nodes is None or count <= max_nodes:
        return
    collapse_hint = "" if collapse else (
        ", use draw_dot(root, collapse=True) to draw each neuron as one node"
    )
    raise ValueError(
        f"draw_dot: the drawing would have {count} nodes, more than "
        f"max_nodes={max_nodes}: Graphviz would be slow and the picture "
        f"unreadable. Pass max_nodes={count} (or None) to draw it anyway"
        f"{collapse_hint}, or draw the network's architecture with draw_model(model)."
    )


# --- draw_model -------------------------------------------------------------


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

    g = _new_drawing("model", rankdir, renderer, "draw_model")
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


# --- running the layout program ----------------------------------------------


class RendererNotFoundError(graphviz.ExecutableNotFound):
    """Neither Graphviz ``dot`` nor ``graphviz-pure`` could be found.

    A subclass of ``graphviz.ExecutableNotFound`` (a RuntimeError), so code
    that catches graphviz's error catches this one too.
    """

    def __init__(self, message: str) -> None:
        RuntimeError.__init__(self, message)  # graphviz's __init__ wants a command


def _check_renderer_name(renderer: str, where: str) -> None:
    if renderer not in RENDERERS:
        raise ValueError(
            f"{where}: renderer must be one of {', '.join(map(repr, RENDERERS))}; got {renderer!r}"
        )


def _find_graphviz_pure() -> Optional[str]:
    found = shutil.which("graphviz-pure")
    if found:
        return found
    # pip puts the command in the environment's scripts folder, which is not
    # on PATH when a venv's python runs without the venv being activated.
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        found = shutil.which("graphviz-pure", path=folder) if folder else None
        if found:
            return found
    return None


def find_renderer(renderer: str = "auto") -> Tuple[str, str]:
    """Return ``(name, path)`` of the layout program to use.

    "auto" prefers the system Graphviz ``dot`` and falls back to
    ``graphviz-pure``. Raises RendererNotFoundError if there is none.

    >>> find_renderer()  # doctest: +SKIP
    ('dot', '/usr/bin/dot')
    """
    _check_renderer_name(renderer, "find_renderer")
    if renderer in ("auto", "dot"):
        found = shutil.which("dot")
        if found:
            return "dot", found
    if renderer in ("auto", "graphviz-pure"):
        found = _find_graphviz_pure()
        if found:
            return "graphviz-pure", found
    raise RendererNotFoundError(_missing_renderer_message(renderer))


_SYSTEM_GRAPHVIZ = (
    "install the system Graphviz (apt-get install graphviz, brew install graphviz "
    "or choco install graphviz)"
)


def _missing_renderer_message(renderer: str) -> str:
    # Name only fixes that help with the renderer asked for: installing
    # graphviz-pure does nothing for renderer="dot" unless the user switches.
    if renderer == "dot":
        missing = "no 'dot' (the system Graphviz) on PATH, which renderer='dot' needs"
        fix = (
            f"{_SYSTEM_GRAPHVIZ}, or draw with renderer='graphviz-pure' (after "
            "`pip install graphviz-pure`) or renderer='auto' (dot when it is "
            "installed, graphviz-pure otherwise)"
        )
    elif renderer == "graphviz-pure":
        missing = "no 'graphviz-pure', which renderer='graphviz-pure' needs"
        fix = (
            "run `pip install graphviz-pure` in this Python's environment, or, if "
            "the system Graphviz is installed, draw with renderer='dot' or 'auto'"
        )
    else:
        missing = "neither Graphviz 'dot' nor 'graphviz-pure' on PATH"
        fix = f"either {_SYSTEM_GRAPHVIZ}, or run `pip install graphviz-pure`"
    return (
        f"cannot render the graph: found {missing}. Fix it: {fix}. "
        "(The DOT text in .source needs neither.)"
    )


def _run(source: str, fmt: str, renderer: str) -> bytes:
    """Pipe DOT text through the layout program and return what it prints."""
    name, path = find_renderer(renderer)
    proc = subprocess.run([path, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{name} ({path}) failed with exit code {proc.returncode}: {err}")
    return proc.stdout


Drawable = Union[Value, graphviz.Digraph]


def _source(root: Drawable, renderer: str, draw_kwargs: dict, where: str) -> Tuple[str, str]:
    """The DOT text of a Value (drawn with draw_dot) or of a ready drawing."""
    _check_renderer_name(renderer, where)
    if isinstance(root, Value):
        return draw_dot(root, **draw_kwargs).source, renderer
    if isinstance(root, (graphviz.Digraph, graphviz.Graph)):
        if draw_kwargs:
            raise TypeError(
                f"{where}: options {sorted(draw_kwargs)} are for draw_dot; "
                "pass them to draw_dot/draw_model, not with a ready drawing"
            )
        if renderer == "auto" and isinstance(root, Drawing):
            renderer = root.program
        return root.source, renderer
    raise TypeError(
        f"{where}: expected a Value or a drawing from draw_dot/draw_model, "
        f"got {type(root).__name__} {root!r}"
    )


def to_svg(root: Drawable, *, renderer: str = "auto", **draw_kwargs) -> str:
    """SVG text of ``draw_dot(root, **draw_kwargs)``, or of a ready drawing.

    >>> to_svg(Value(1.0) + 2).startswith("<?xml")  # doctest: +SKIP
    True
    """
    source, renderer = _source(root, renderer, draw_kwargs, "to_svg")
    return _run(source, "svg", renderer).decode("utf-8")


def render(
    root: Drawable, path: str = "graph.svg", *, renderer: str = "auto", **draw_kwargs
) -> str:
    """Write the drawing to ``path``; return the path.

    The format follows the suffix: .svg, .png, .jpg, or .gv/.dot for the DOT
    text itself. The file is written under a temporary name and then renamed,
    so it is never seen half-written.

    >>> render(Value(1.0) + 2, "out/graph.svg")  # doctest: +SKIP
    'out/graph.svg'
    """
    path = os.fspath(path)
    fmt = _FORMATS.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        raise ValueError(
            f"render: cannot tell the format of {path!r}; end the name in "
            f"one of {', '.join(_FORMATS)}"
        )
    source, renderer = _source(root, renderer, draw_kwargs, "render")
    data = source.encode("utf-8") if fmt == "dot" else _run(source, fmt, renderer)
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"  # same folder: os.replace is atomic
    try:
        with open(tmp, "xb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


# --- command line: python -m micrograd_like.draw ----------------------------


def example_expression() -> Value:
    """The expression from micrograd's README, labelled, after backward().

    >>> round(example_expression().data, 4)
    24.7041
    """
    a = Value(-4.0, label="a")
    b = Value(2.0, label="b")
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    for v, name in ((c, "c"), (d, "d"), (e, "e"), (f, "f"), (g, "g")):
        v.label = name
    g.backward()
    return g


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Render a small example graph, to check that drawing works here."""
    import argparse  # only the command line needs it; keeps `import draw` quick

    parser = argparse.ArgumentParser(
        prog="python -m micrograd_like.draw",
        description="Render micrograd's README expression, to check that graph drawing works.",
    )
    parser.add_argument("--out", default="graph.svg",
                        help="output file: .svg, .png, .jpg or .gv (default: graph.svg)")
    parser.add_argument("--renderer", default="auto", choices=RENDERERS,
                        help="layout program (default: auto)")
    parser.add_argument("--rankdir", default="LR", choices=("LR", "TB"),
                        help="layout direction (default: LR)")
    args = parser.parse_args(argv)
    try:
        name, path = find_renderer(args.renderer)
        start = time.perf_counter()
        render(example_expression(), args.out, renderer=name, rankdir=args.rankdir)
    except (RuntimeError, OSError, ValueError) as err:  # RendererNotFoundError is a RuntimeError
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} with {name} ({path}) in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``draw_dot``: the computation graph behind a Value, as micrograd draws it.

One box per Value (label, data, grad) and one small oval per operation.
Node names are ``n<i>``, where ``i`` is the Value's place in the topological
order, never ``id()``: the same program draws the same picture, byte for byte.

>>> from micrograd_like import Value
>>> x = Value(3.0, label="x"); y = (x * 2).tanh()
>>> draw_dot(y).source.count("->")  # x, 2 -> "*" -> box -> "tanh" -> y
5
"""

from __future__ import annotations

import math
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from micrograd_like._format import fmt as _fmt
from micrograd_like.draw.style import (
    NEGATIVE, OP_STYLE, POSITIVE, ROLE_COLORS, ZERO, _escape, _legend, _new_drawing, _record,
)
from micrograd_like.draw.renderers import Drawing
from micrograd_like.engine import Value, topological_order

__all__ = ["draw_dot", "MAX_NODES"]

# How many nodes (boxes plus op ovals) a drawing may have by default. Layout
# time grows faster than the graph: with `dot`, an MLP loss graph of ~1000
# nodes takes about 2 s, one of ~3000 nodes over 2 minutes, and nobody can
# read either picture.
MAX_NODES = 1000

# The border of a highlighted node (draw_dot(highlight=...)): thick and red.
HIGHLIGHT = {"color": "#d62728", "penwidth": "3"}

_FUSED = ("linear", "dot")  # one node holds a whole neuron's weighted sum
_ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")


# --- labels -----------------------------------------------------------------


def _op_text(v: Value) -> str:
    """The op as shown: '+', 'tanh', '**2', 'leaky_relu(0.01)', 'tanh(linear)'."""
    if v._op == "**":
        return "**" + _fmt(v._arg[0])
    if v._op == "linear":  # _arg holds the fused activation, None for none
        act = v._arg[0] if v._arg else None
        return "linear" if act in (None, "linear") else f"{act}(linear)"
    args = [a if isinstance(a, str) else _fmt(a) for a in v._arg if a is not None]
    return f"{v._op}({', '.join(args)})" if args else v._op



# What a box shows for its gradient before backward() has run: a 0 there
# would read as "the gradient is zero", which is a different statement.
NOT_COMPUTED = "?"
NOT_COMPUTED_NOTE = "grad ? = not computed yet: call backward() first"


def _value_fields(v: Value, show_grad: bool, computed: bool = True) -> List[str]:
    fields = [_escape(v.label)] if v.label else []
    fields.append("data " + _fmt(v.data))
    if show_grad:
        fields.append("grad " + (_fmt(v.grad) if computed else NOT_COMPUTED))
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
    highlight: Optional[Iterable[Value]] = None,
    format: str = "svg",
    display_width: Optional[str] = None,
    legend: bool = False,
) -> Drawing:
    """Draw the computation graph that produced ``root``.

    Every Value is a box with its label, data and grad; every op is a small
    oval between its inputs and its result. Fill colours show the role of
    each Value: output (green); parameter (orange: the Values in ``params``,
    or without ``params`` the weights and bias of ``linear``/``dot`` nodes);
    input (blue: labelled leaves, and the x side of ``linear``/``dot``);
    constant (grey: other unlabelled leaves, like the 2 in ``2 * x``);
    intermediate (white).

    Before ``backward()`` has run (every grad still 0) the boxes show
    ``grad ?`` and a note says the gradients are not computed yet, so a 0
    is never mistaken for a computed gradient.

    ``grad_color=True`` colours each border by the sign of the gradient
    (blue +, red -) and makes it thicker the larger the gradient.
    ``collapse=True`` draws a compact view: each op inside its result's box,
    each neuron (``linear`` and its activation) as one box, with its weights
    and all constants hidden. ``renderer`` ("auto", "dot", "graphviz-pure")
    is the program used when the drawing shows itself in Jupyter.
    ``highlight`` (Values of the graph, e.g. the wrong node a gradient check
    found) draws those boxes and their op ovals with a thick red border.
    ``legend=True`` adds a key to the colours. ``format`` is what the
    drawing's ``render()`` and ``pipe()`` write (micrograd's ``draw_dot``
    takes it too), and ``display_width`` how wide it shows in a notebook:
    None fits the cell (a wide graph is scaled down), or a CSS width.

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
    _check_max_nodes(max_nodes, "draw_dot")
    param_set = None if params is None else _as_value_set(params, "draw_dot(params=...)")
    marked = set() if highlight is None else _as_value_set(highlight, "draw_dot(highlight=...)")
    g = _new_drawing("computation", rankdir, renderer, "draw_dot", format=format,
                     display_width=display_width)
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
    # Every grad still 0 (NaN counts as computed): backward() has not run
    # through this graph yet, or zero_grad() has reset it.
    computed = any(v.grad != 0.0 for v in order)
    if show_grad and not computed:
        g.attr(label=NOT_COMPUTED_NOTE, labelloc="b", fontname="Helvetica", fontsize="10")

    def box(v: Value, op_text: Optional[str] = None) -> None:
        fields = _value_fields(v, show_grad, computed)
        if op_text:  # collapsed view: the op goes inside the box
            fields.insert(1 if v.label else 0, _escape(op_text))
        attrs = {"fillcolor": ROLE_COLORS[roles[v]]}
        if grad_color:
            attrs.update(_grad_style(v.grad, biggest))
        if v in marked:
            attrs.update(HIGHLIGHT)
        g.node(name[v], _record(fields), **attrs)

    g.attr("node", shape="record", style="filled")
    if plan is None:
        # As in micrograd: value box, op oval, op -> box, inputs -> op.
        for v in order:
            box(v)
            if v._prev:
                op = name[v] + "_op"
                style = {**OP_STYLE, **HIGHLIGHT} if v in marked else OP_STYLE
                g.node(op, _escape(_op_text(v)), **style)
                g.edge(op, name[v])
                for p in v._prev:
                    g.edge(name[p], op)
    else:
        for v, (op_text, inputs) in plan.items():
            box(v, op_text)
            for p in inputs:
                g.edge(name[p], name[v])
    if legend:
        _legend(g, [(role, ROLE_COLORS[role]) for role in ROLE_COLORS],
                [("grad > 0", POSITIVE), ("grad < 0", NEGATIVE)] if grad_color else [])
    return g


def _check_max_nodes(max_nodes: object, fn: str) -> None:
    """``max_nodes`` of the drawing functions: a positive int, or None for no limit."""
    if max_nodes is None:
        return
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int):
        raise TypeError(
            f"{fn}: max_nodes must be a positive int or None (no limit), "
            f"got {type(max_nodes).__name__} {max_nodes!r}"
        )
    if max_nodes < 1:
        raise ValueError(f"{fn}: max_nodes must be a positive int or None (no limit), got {max_nodes!r}")


def _as_value_set(values: Iterable[Value], where: str) -> Set[Value]:
    if isinstance(values, (Value, str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"{where}: expected a list of Values (e.g. model.parameters()), "
            f"got {type(values).__name__} {values!r}"
        )
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


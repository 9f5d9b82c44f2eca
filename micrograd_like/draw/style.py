"""How drawings look: colours by role and by sign, the op oval, record labels.

Shared by ``draw_dot`` and ``draw_model``, so a parameter is the same orange
and a positive gradient the same blue in both.
"""

from __future__ import annotations

from typing import Optional, Sequence

from micrograd_like.draw.renderers import Drawing, _check_renderer_name

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



def _escape(text: str) -> str:
    """Make user text safe inside a record label, where { } | < > are syntax."""
    text = " ".join(str(text).split())  # newlines and tabs become spaces
    # Graphviz reads &name; as an entity in any label ("&lt;b&gt;" would show
    # as <b>); &amp; is the one escape both renderers read back as "&".
    text = text.replace("&", "&amp;")
    for ch in '\\"{}|<>':
        text = text.replace(ch, "\\" + ch)
    return text



def _record(fields: Sequence[str]) -> str:
    # The braces put the fields in a row in LR layout, in a column in TB.
    return "{ " + " | ".join(fields) + " }"



_FORMATS = ("svg", "png", "jpg", "jpeg", "pdf", "gv", "dot")  # what render()/pipe() may write


def _new_drawing(name: str, rankdir: str, renderer: str, where: str, *,
                 format: str = "svg", display_width: Optional[str] = None) -> Drawing:
    if rankdir in _FORMATS:  # micrograd's draw_dot(root, format, rankdir), positionally
        raise ValueError(
            f"{where}: rankdir={rankdir!r} is a file format; pass it as format={rankdir!r} "
            "(the second argument here is rankdir, 'LR' or 'TB')"
        )
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(
            f"{where}: rankdir must be 'LR' (left to right) or 'TB' (top to "
            f"bottom), or 'RL'/'BT'; got {rankdir!r}"
        )
    if format not in _FORMATS:
        raise ValueError(f"{where}: format must be one of {', '.join(map(repr, _FORMATS))}; got {format!r}")
    if display_width is not None and not isinstance(display_width, str):
        raise TypeError(f"{where}: display_width must be a CSS width such as '600px' or '80%', "
                        f"or None (fit the notebook's width), got {display_width!r}")
    _check_renderer_name(renderer, where)
    g = Drawing(name, format=format, graph_attr={"rankdir": rankdir})
    g.attr("node", fontname="Helvetica", fontsize="11")
    g.attr("edge", arrowsize="0.6")
    g.program = renderer
    g.display_width = display_width
    return g


def _legend(g: Drawing, boxes: Sequence[tuple], lines: Sequence[tuple] = ()) -> None:
    """A small key in its own frame: (text, fill colour) boxes, and (text, colour)
    for what is drawn as a coloured line (a border, an edge), shown as a border."""
    with g.subgraph(name="cluster_legend") as c:
        c.attr(label="legend", fontname="Helvetica", fontsize="10", color="#bbbbbb", style="rounded")
        entries = [(text, {"style": "filled", "fillcolor": fill}) for text, fill in boxes]
        entries += [(text, {"style": "solid", "color": color, "penwidth": "2.5"}) for text, color in lines]
        names = []
        for i, (text, attrs) in enumerate(entries):
            names.append(f"legend_{i}")
            c.node(names[-1], text, shape="box", fontsize="9", width="0.3", height="0.2", **attrs)
        for a, b in zip(names, names[1:]):  # in order, along the drawing's direction
            c.edge(a, b, style="invis")

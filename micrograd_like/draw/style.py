"""How drawings look: colours by role and by sign, the op oval, record labels.

Shared by ``draw_dot`` and ``draw_model``, so a parameter is the same orange
and a positive gradient the same blue in both.
"""

from __future__ import annotations

from typing import Sequence

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
    for ch in '\\"{}|<>':
        text = text.replace(ch, "\\" + ch)
    return text



def _record(fields: Sequence[str]) -> str:
    # The braces put the fields in a row in LR layout, in a column in TB.
    return "{ " + " | ".join(fields) + " }"



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


"""Draw a computation graph (or a network) with Graphviz.

``draw_dot(root)`` turns the graph behind a Value into a ``graphviz.Digraph``:
one box per Value (label, data, grad) and one small oval per operation, as in
micrograd's lecture. ``draw_model(mlp)`` draws a network as its architecture
instead. ``to_svg`` and ``render`` turn either drawing into a picture.

Turning DOT text into a picture needs a layout program. We use the system
Graphviz ``dot`` when it is installed, and otherwise ``graphviz-pure`` (a
port of ``dot`` that pip installs with this package). The DOT text itself
(``.source``) needs no program at all.

The package, one idea a file: ``graph`` (draw_dot), ``model`` (draw_model),
``style`` (colours and labels both share), ``output`` (to_svg, render),
``renderers`` (finding and running the layout program), ``cli`` (``python -m
micrograd_like.draw``). Everything depends only on ``micrograd_like.engine``.

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

from micrograd_like.draw.cli import example_expression
from micrograd_like.draw.graph import MAX_NODES, draw_dot
from micrograd_like.draw.model import draw_model
from micrograd_like.draw.output import render, to_svg
from micrograd_like.draw.renderers import RENDERERS, Drawing, RendererNotFoundError, find_renderer
from micrograd_like.draw.style import NEGATIVE, POSITIVE, ROLE_COLORS, ZERO

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
    "ROLE_COLORS",
    "POSITIVE",
    "NEGATIVE",
    "ZERO",
    "example_expression",
]

"""A page that steps through backward() one node at a time.

``explore(output)`` writes one self-contained HTML file (no network, all CSS
and JavaScript inline) that shows the graph behind ``output`` as ``draw_dot``
draws it, then runs backpropagation on it step by step: the current node is
highlighted, its chain rule is written out with the numbers, and each
gradient appears on its node when it is computed. Buttons (and the arrow
keys) step forward and back, play and reset. In Jupyter the returned object
shows the same page inline.

>>> from micrograd_like import Value
>>> x = Value(2.0, label="x"); y = (x + x) * x; y.label = "y"
>>> explore(y, path=None)  # the seed y.grad = 1, the steps of * and +, done
Explorer(path=None, steps=4)
>>> explore(y, "backprop.html")  # doctest: +SKIP
Explorer(path='backprop.html', steps=4)

The package: ``steps`` turns ``micrograd_like.chain_rule`` into the page's
steps; this file lays out the graph, fills the page template
(``template.html``, ``page.css``, ``page.js``) and writes it.
"""

from __future__ import annotations

import html
import json
import os
import re
from importlib import resources
from typing import Dict, List, Optional, Set, Union

from micrograd_like._graph_copy import copy_to_draw
from micrograd_like._validation import _check_path as _as_path
from micrograd_like.draw import MAX_NODES, RENDERERS, draw_dot, to_svg
from micrograd_like.engine import Value, topological_order
from micrograd_like.explorer.steps import build
from micrograd_like.serialization import atomic_write

__all__ = ["explore", "Explorer"]

PathLike = Union[str, "os.PathLike[str]"]
_RANKDIRS = ("LR", "TB", "RL", "BT")


class Explorer:
    """The step-through page: ``.html`` (the text), ``.path`` (where it was written, or None).

    Jupyter shows it inline: ``_repr_html_`` wraps the page in an
    ``<iframe srcdoc=...>``, so its script runs apart from the notebook's.

    >>> from micrograd_like import Value
    >>> page = explore(Value(2.0) * 3, path=None)
    >>> page.html.startswith("<!DOCTYPE html>"), page._repr_html_().startswith("<iframe srcdoc=")
    (True, True)
    """

    __slots__ = ("html", "path", "n_steps", "_height")

    def __init__(self, html_text: str, path: Optional[str], n_steps: int, height: int) -> None:
        self.html = html_text
        self.path = path
        self.n_steps = n_steps  # steps after the start: the "of N" in "step 3 of N"
        self._height = height

    def _repr_html_(self) -> str:
        # srcdoc holds the whole page as an attribute: escape & < > " and '.
        # sandbox="allow-scripts": the page's script runs, but cannot reach
        # the notebook (its origin is opaque).
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'sandbox="allow-scripts" title="backpropagation, step by step" '
            f'style="width: 100%; height: {self._height}px; border: 1px solid #e1e4e8;"></iframe>'
        )

    def __repr__(self) -> str:
        return f"Explorer(path={self.path!r}, steps={self.n_steps})"


def explore(
    output: Value,
    path: Optional[PathLike] = "backprop.html",
    *,
    forward: bool = False,
    collapse: bool = False,
    max_nodes: Optional[int] = MAX_NODES,
    rankdir: str = "LR",
    renderer: str = "auto",
    title: Optional[str] = None,
) -> Explorer:
    """Write a page that steps through ``output.backward()``; return it.

    The page shows the graph with its forward values and every gradient as
    "grad ?" (not computed yet). Each step then takes one node in the order
    backward() does: the node is highlighted, its rule is shown with the
    numbers (``x.grad += y.grad × w = 0.5 × 2 = 1``) and the new gradients
    appear on the graph. ``forward=True`` first steps through the forward
    computation too. ``collapse=True`` draws each neuron as one box (as ``draw_dot``
    does) and steps one neuron at a time. ``max_nodes``, ``rankdir`` and
    ``renderer`` are those of ``draw_dot``/``to_svg``. ``path=None`` writes
    nothing; the returned Explorer shows itself in Jupyter either way.
    Nothing in the graph is changed: ``.grad`` is left as it was.

    >>> from micrograd_like import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> explore(a * b + a, "backprop.html")  # doctest: +SKIP
    Explorer(path='backprop.html', steps=4)
    """
    _check_args(output, forward, collapse, max_nodes, rankdir, renderer, title)
    if path is not None:
        path = _as_path(path, "explore")  # a str, or a TypeError saying what a path is
        _check_path(path)

    order = topological_order(output)
    _check_size(output, order, max_nodes, collapse)  # before any work on a huge graph
    try:
        steps = build(output, order, forward=forward)
    except ValueError as err:  # an op without a rule: named as the function the user called
        raise ValueError(f"explore: {str(err).partition(': ')[2]}") from None
    svg = _layout(output, order, steps.widest_grad, collapse, rankdir, renderer)
    shown = _shown(svg)
    data = steps.page_data(shown, collapse)
    text = _page(title or "Backpropagation, step by step", svg, data)
    if path is not None:
        atomic_write(path, text, where="explore")
    return Explorer(text, path, len(data["steps"]) - 1, _iframe_height(svg))


def _check_args(output: object, forward: object, collapse: object, max_nodes: object,
                rankdir: object, renderer: object, title: object) -> None:
    if not isinstance(output, Value):
        hint = ""
        if isinstance(output, (list, tuple)) and output and isinstance(output[0], Value):
            hint = " (a model with one output returns a list: pass out[0])"
        raise TypeError(
            f"explore: output must be a Value, the result of a computation such as "
            f"a loss; got {type(output).__name__} {output!r}{hint}. Pass the Value "
            "you would call .backward() on, e.g. explore(loss)"
        )
    for name, flag in (("forward", forward), ("collapse", collapse)):
        if not isinstance(flag, bool):
            raise TypeError(f"explore: {name} must be True or False, got {flag!r}")
    if max_nodes is not None and (type(max_nodes) is not int or max_nodes < 1):
        raise ValueError(
            f"explore: max_nodes must be a positive int or None (no limit), got {max_nodes!r}"
        )
    # (draw_dot checks these too, but its message would name draw_dot)
    if rankdir not in _RANKDIRS:
        raise ValueError(f"explore: rankdir must be one of {', '.join(map(repr, _RANKDIRS))} "
                         f"('LR' left to right, 'TB' top to bottom); got {rankdir!r}")
    if renderer not in RENDERERS:
        raise ValueError(f"explore: renderer must be one of {', '.join(map(repr, RENDERERS))}; "
                         f"got {renderer!r}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"explore: title must be a str, got {type(title).__name__} {title!r}")


def _check_path(path: str) -> None:
    """Say what is wrong with ``path`` before any work (and name it as given)."""
    if not path or os.path.isdir(path):
        raise ValueError(
            f"explore: path must name an HTML file, e.g. 'backprop.html', got {path!r}"
            + (" (a directory)" if path else "")
        )
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"explore: cannot write {path!r}: the directory {directory!r} does not "
            "exist; create it first (os.makedirs(directory, exist_ok=True)) or pass "
            "another path"
        )


# --- the picture ---------------------------------------------------------------

ZOOM = 1.25  # the graph a little larger than Graphviz's 1:1, for reading on a screen
_SIZE = re.compile(r'\b(width|height)="([\d.]+)pt"')


def _layout(
    output: Value,
    order: List[Value],
    grads: Dict[int, float],
    collapse: bool,
    rankdir: str,
    renderer: str,
) -> str:
    """The SVG of draw_dot(output, show_grad=True), boxes wide enough for every grad shown."""
    # Graphviz sizes each box to its text, so the drawing is made with the
    # widest grad each box will show; the page writes "grad ?" first. A
    # copy of the graph carries those grads: the learner's .grad is left
    # alone. (Copies keep the structure, so topological_order and draw_dot
    # number the nodes as they number the original: n<i> is order[i].)
    twin: Dict[Value, Value] = {}
    for i, v in enumerate(order):
        c = copy_to_draw(v)  # (copy.copy refuses a micrograd closure: see _graph_copy)
        c._prev = tuple(twin[p] for p in v._prev)
        c.grad = grads.get(i, 0.0)
        if v._prev and not v.label:  # the name the rule text uses (explain's n<i>)
            c.label = f"n{i}"
        twin[v] = c
    g = draw_dot(twin[output], rankdir, show_grad=True, collapse=collapse,
                 max_nodes=None, renderer=renderer)  # (explore checked the size)
    svg = to_svg(g, renderer=renderer)
    svg = svg[svg.index("<svg"):]  # inline in HTML: no XML prolog or DOCTYPE
    # Zoomed; the page's script shrinks a wide one to fit (the viewBox keeps it sharp).
    return _SIZE.sub(lambda m: f'{m.group(1)}="{float(m.group(2)) * ZOOM:.2f}pt"', svg, count=2)


_NODE_STATEMENT = re.compile(r"^\t(n\d+(?:_op)?) \[", re.M)


def _check_size(output: Value, order: List[Value], max_nodes: Optional[int],
                collapse: bool) -> None:
    # The same limit and the same ways out as draw_dot (its MAX_NODES).
    if max_nodes is None:
        return
    if collapse:  # draw_dot knows which boxes the compact view keeps
        source = draw_dot(output, show_grad=False, collapse=True, max_nodes=None).source
        count = len(_NODE_STATEMENT.findall(source))
    else:  # a box per Value and an oval per op
        count = len(order) + sum(1 for v in order if v._prev)
    if count <= max_nodes:
        return
    collapse_hint = "" if collapse else (
        ", or explore(output, collapse=True) to step one neuron at a time"
    )
    raise ValueError(
        f"explore: the drawing would have {count} nodes, more than max_nodes="
        f"{max_nodes}: Graphviz would be slow and the page unreadable. Pass "
        f"max_nodes={count} (or None) to draw it anyway{collapse_hint}, or explore "
        "a smaller computation (e.g. the loss of one sample)"
    )


_TITLE = re.compile(r"<title>n(\d+)</title>")


def _shown(svg: str) -> Set[int]:
    """The places in topological order of the Values that have a box."""
    return {int(i) for i in _TITLE.findall(svg)}


def _iframe_height(svg: str) -> int:
    # Graphviz gives the size in points (1 pt = 4/3 px); add the controls.
    m = re.search(r'height="([\d.]+)pt"', svg)
    graph = float(m.group(1)) * 4 / 3 if m else 300.0
    return int(min(max(graph + 330, 420), 900))


# --- the page --------------------------------------------------------------------


def _resource(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _json_for_script(data: object) -> str:
    # Inside <script>, "</script>" or "<!--" in a label would end or break
    # the script; \u003c is the same character to JSON.parse.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(title: str, svg: str, data: dict) -> str:
    parts = {
        "TITLE": html.escape(title),
        "CSS": _resource("page.css"),
        "JS": _resource("page.js"),
        "SVG": svg,
        "DATA": _json_for_script(data),
    }
    # One pass over the template: text put in is never searched again.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _resource("template.html"))

"""Pictures out of drawings: ``to_svg`` (SVG text) and ``render`` (a file).

Either takes a Value (drawn with ``draw_dot``) or a ready drawing from
``draw_dot``/``draw_model``.

>>> from micrograd_like import Value
>>> to_svg(Value(1.0) + 2).startswith("<?xml")  # doctest: +SKIP
True
"""

from __future__ import annotations

import errno
import os
from typing import Tuple, Union

import graphviz

from micrograd_like.draw.graph import draw_dot
from micrograd_like.draw.renderers import Drawing, _check_renderer_name, _run
from micrograd_like.engine import Value

__all__ = ["to_svg", "render"]

_FORMATS = {".svg": "svg", ".png": "png", ".jpg": "jpg", ".jpeg": "jpg",
            ".gv": "dot", ".dot": "dot"}  # suffix -> the -T format; "dot" is the DOT text

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
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str) or not path:
        error = TypeError if not isinstance(path, str) else ValueError
        raise error(
            f"render: path must be a file name (a str or os.PathLike), e.g. 'graph.svg'; "
            f"got {type(path).__name__} {path!r}"
        )
    if os.path.isdir(path):
        raise IsADirectoryError(
            errno.EISDIR,
            f"render: cannot write {path!r}: it is a directory; give the name of a "
            f"file, e.g. {os.path.join(path, 'graph.svg')!r}",
        )
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
    except BaseException as err:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(err, OSError) and err.errno is not None:  # it names our tmp
            raise type(err)(err.errno, f"render: cannot write {path!r}: {err.strerror}") from None
        raise
    return path


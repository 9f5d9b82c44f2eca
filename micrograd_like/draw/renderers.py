"""Running the layout program: Graphviz ``dot``, or ``graphviz-pure``.

Turning DOT text into a picture needs a layout program. We use the system
Graphviz ``dot`` when it is installed, and otherwise ``graphviz-pure`` (a
port of ``dot`` that pip installs with this package). A ``Drawing`` is a
``graphviz.Digraph`` that renders with that choice, also in Jupyter.

>>> find_renderer()  # doctest: +SKIP
('dot', '/usr/bin/dot')
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from typing import Any, Optional, Tuple, Union

import graphviz

__all__ = ["find_renderer", "Drawing", "RendererNotFoundError", "RENDERERS", "fit_svg"]

RENDERERS = ("auto", "dot", "graphviz-pure")


class RendererNotFoundError(graphviz.ExecutableNotFound):
    """Neither Graphviz ``dot`` nor ``graphviz-pure`` could be found.

    A subclass of ``graphviz.ExecutableNotFound`` (a RuntimeError), so code
    that catches graphviz's error catches this one too.

    >>> import graphviz
    >>> issubclass(RendererNotFoundError, graphviz.ExecutableNotFound)  # graphviz's except catches it
    True
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



# --- the drawing, which knows how to show itself in Jupyter ----------------


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders with our choice of program.

    Jupyter shows a Digraph by calling its ``_repr_mimebundle_``, which in
    plain graphviz runs the system ``dot``. A Drawing runs what
    ``find_renderer(self.program)`` finds instead, so notebooks show graphs
    also where only ``graphviz-pure`` is installed. ``program`` is "auto",
    "dot" or "graphviz-pure" (``renderer=`` of draw_dot sets it).

    >>> d = draw_dot(Value(1.0) + 2, renderer="graphviz-pure")
    >>> type(d).__name__, d.program
    ('Drawing', 'graphviz-pure')
    """

    program = "auto"
    # How wide the picture shows in a notebook: None scales a wide graph down
    # to the cell's width (never up); or a CSS width such as "600px" or "50%".
    display_width: Optional[str] = None

    def copy(self) -> "Drawing":
        """A copy, with the same ``program`` and ``display_width`` (graphviz's copy drops them).

        >>> draw_dot(Value(1.0), renderer="dot").copy().program
        'dot'
        """
        new = super().copy()
        new.program, new.display_width = self.program, self.display_width
        return new

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        # The SVG itself, and the same SVG as HTML sized to fit the cell:
        # notebooks prefer the HTML, and Graphviz's fixed widths in points
        # would cut a wide graph (the lecture's neuron is 1286 pt) at the edge.
        svg = self._repr_image_svg_xml()
        return {"image/svg+xml": svg, "text/html": fit_svg(svg, self.display_width)}

    def pipe(self, format: Optional[str] = None, renderer: Any = None, formatter: Any = None,
             neato_no_op: Any = None, quiet: bool = False, *, engine: Any = None,
             encoding: Optional[str] = None) -> Union[bytes, str]:
        """The rendered picture as bytes (or text with ``encoding``), as graphviz's ``pipe``.

        It runs this drawing's layout program (``dot`` or ``graphviz-pure``),
        so it works without a system Graphviz.

        >>> draw_dot(Value(1.0) + 2).pipe("svg", encoding="utf-8")[:5]  # doctest: +SKIP
        '<?xml'
        """
        _refuse(renderer=renderer, formatter=formatter, neato_no_op=neato_no_op, engine=engine)
        data = _run(self.source, format or self.format, self.program)
        return data.decode(encoding) if encoding else data

    def render(self, filename: Optional[str] = None, directory: Optional[str] = None,
               view: bool = False, cleanup: bool = False, format: Optional[str] = None,
               renderer: Any = None, formatter: Any = None, neato_no_op: Any = None,
               quiet: bool = False, quiet_view: bool = False, *, outfile: Optional[str] = None,
               engine: Any = None, raise_if_result_exists: bool = False,
               overwrite_source: bool = False) -> str:
        """Save the DOT source and the picture, as graphviz's ``render``; returns the picture's path.

        As there: the source goes to ``directory/filename`` (default
        ``<name>.gv``), the picture to the same path plus ``.<format>``, or
        to ``outfile`` (its suffix gives the format). It runs this drawing's
        layout program, so it works without a system Graphviz.

        >>> draw_dot(Value(1.0) + 2).render(outfile="sum.svg")  # doctest: +SKIP
        'sum.svg'
        """
        _refuse(renderer=renderer, formatter=formatter, neato_no_op=neato_no_op, engine=engine)
        if view:
            raise ValueError("Drawing.render: view=True (open a viewer) is not supported; "
                             "open the returned file yourself")
        if outfile is not None:
            outfile = os.fspath(outfile)
            stem, suffix = os.path.splitext(outfile)
            format = format or suffix.lstrip(".") or self.format
            source_path = os.path.join(directory or "", filename) if filename else stem + ".gv"
            out_path = outfile
        else:
            source_path = os.path.join(directory or self.directory or "", filename or self.filename)
            format = format or self.format
            out_path = f"{source_path}.{format}"
        if raise_if_result_exists and os.path.exists(out_path):
            raise FileExistsError(f"Drawing.render: {out_path!r} exists (raise_if_result_exists=True)")
        data = _run(self.source, format, self.program)  # before writing anything
        folder = os.path.dirname(source_path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(source_path, "w", encoding="utf-8") as f:
            f.write(self.source)
        with open(out_path, "wb") as f:
            f.write(data)
        if cleanup:
            os.remove(source_path)
        return out_path

    def _repr_image_svg_xml(self) -> str:
        return _run(self.source, "svg", self.program).decode("utf-8")

    def _repr_image_png(self) -> bytes:
        return _run(self.source, "png", self.program)

    def _repr_image_jpeg(self) -> bytes:
        return _run(self.source, "jpg", self.program)

    def _repr_svg_(self) -> str:  # for front-ends older than mimebundles
        return self._repr_image_svg_xml()


def _refuse(**options: Any) -> None:
    # graphviz's options for choosing a program: ours is chosen by renderer=
    # of draw_dot (Drawing.program); say so rather than ignore them.
    given = sorted(k for k, v in options.items() if v is not None)
    if given:
        raise ValueError(
            f"Drawing: {', '.join(given)} choose graphviz's own program; this drawing "
            "renders with its renderer (draw_dot(..., renderer='dot' or 'graphviz-pure'))"
        )


def fit_svg(svg: str, width: Optional[str] = None) -> str:
    """The SVG as HTML that fits its container: scaled down to 100% (never up), or ``width``.

    >>> fit_svg('<?xml version="1.0"?><svg width="900pt" height="90pt" viewBox="0 0 900 90"></svg>')
    '<svg style="max-width:100%;height:auto" width="900pt" height="90pt" viewBox="0 0 900 90"></svg>'
    """
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg  # the XML prolog and doctype are not HTML
    style = "max-width:100%;height:auto" if width is None else f"width:{width};height:auto"
    return body.replace("<svg", f'<svg style="{style}"', 1)

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
from typing import Optional, Tuple

import graphviz

__all__ = ["find_renderer", "Drawing", "RendererNotFoundError", "RENDERERS"]

RENDERERS = ("auto", "dot", "graphviz-pure")


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


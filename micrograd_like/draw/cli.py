"""``python -m micrograd_like.draw``: render an example, to check drawing works here."""

from __future__ import annotations

import sys
import time
from typing import Optional, Sequence

from micrograd_like.draw.output import render
from micrograd_like.draw.renderers import RENDERERS, find_renderer
from micrograd_like.engine import Value

__all__ = ["example_expression", "main"]


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
    """Render a small example graph, to check that drawing works here.

    ``argv`` are the command line's arguments (default: ``sys.argv[1:]``);
    returns the exit code, 0 on success. Needs a layout program (dot or graphviz-pure):

    >>> main(["--out", "graph.svg"])  # doctest: +SKIP
    wrote graph.svg with dot (/usr/bin/dot) in 0.05 s
    0
    """
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


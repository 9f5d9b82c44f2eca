"""The guide's pages as Jupyter notebooks, generated from the pages by jupytext.

One source: ``docs/guide/NN-*.md``. Each page becomes
``docs/notebooks/NN-*.ipynb`` (no outputs; the code cells are the page's
```` ```python ```` blocks, the rest is Markdown). The notebooks sit one folder
below docs/, as the pages do, so the pages' ``../images/`` links work in both.

    python docs/notebooks.py            # (re)write docs/notebooks/
    python docs/notebooks.py --check    # fail if a notebook is stale

The test suite executes the notebooks in a real Jupyter kernel (nbmake).
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = os.path.join(HERE, "guide")
NOTEBOOKS = os.path.join(HERE, "notebooks")


def pages() -> List[str]:
    """The guide's numbered pages, in order."""
    return sorted(glob.glob(os.path.join(GUIDE, "[0-9][0-9]-*.md")))


def render(page: str) -> str:
    """The notebook of one page, as the text of an .ipynb file."""
    import jupytext
    import nbformat

    with open(page, encoding="utf-8") as f:
        notebook = jupytext.reads(f.read(), fmt="md")
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.source.startswith("%%"):
            # jupytext makes a ```bash block a %%bash cell; a page's shell
            # commands are for a terminal, not for the kernel: keep them as text.
            magic, _, body = cell.source.partition("\n")
            cell = notebook.cells[i] = nbformat.v4.new_markdown_cell(f"```{magic[2:].strip()}\n{body}\n```")
        cell.id = f"cell-{i}"  # stable ids: the same page gives the same bytes
        cell.metadata = {}
    return nbformat.writes(notebook) + "\n"


def expected() -> Dict[str, str]:
    return {os.path.join(NOTEBOOKS, os.path.basename(p)[:-3] + ".ipynb"): render(p) for p in pages()}


def stale() -> List[str]:
    old = []
    for path, text in expected().items():
        if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
            old.append(os.path.basename(path))
    present = set(glob.glob(os.path.join(NOTEBOOKS, "*.ipynb")))
    old += sorted(os.path.basename(p) + " (no page)" for p in present - set(expected()))
    return old


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        if old:
            print("stale notebooks (run python docs/notebooks.py): " + ", ".join(old), file=sys.stderr)
            return 1
        print("every notebook is current")
        return 0
    os.makedirs(NOTEBOOKS, exist_ok=True)
    wanted = expected()
    for path in glob.glob(os.path.join(NOTEBOOKS, "*.ipynb")):
        if path not in wanted:
            os.remove(path)
    for path, text in wanted.items():
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(os.path.relpath(path, os.path.dirname(HERE)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Make the guidebook's pictures with the library itself.

Every module in ``docs/pictures/`` draws the pictures of one part of the
docs: it has ``PICTURES`` (the file names it writes) and ``make(out_dir)``.
Pictures land in ``docs/images/``. The same program gives the same bytes
(draw_dot's SVG is deterministic; matplotlib is told to leave out dates and
random ids), so ``--check`` can tell a stale picture from a current one:

    python docs/make_pictures.py            # (re)write docs/images/
    python docs/make_pictures.py --check    # fail if any picture is stale

The docs build (docs/hooks.py) and the tests run ``--check``.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import os
import sys
import tempfile
from typing import List

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "images")
PICTURES = os.path.join(HERE, "pictures")


def modules():
    """The picture modules, by file name (their order is the docs' order)."""
    sys.path.insert(0, PICTURES)  # they share docs/pictures/_common.py
    found = []
    for name in sorted(os.listdir(PICTURES)):
        if name.endswith(".py") and not name.startswith("_"):
            spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(PICTURES, name))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            found.append(module)
    return found


def make(out_dir: str = IMAGES) -> List[str]:
    """Write every picture into ``out_dir``; return their names."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for module in modules():
        module.make(out_dir)
        for name in module.PICTURES:
            if not os.path.exists(os.path.join(out_dir, name)):
                raise RuntimeError(f"docs/pictures/{module.__name__}.py promised {name} but did not write it")
        written.extend(module.PICTURES)
    return written


def stale() -> List[str]:
    """The pictures whose committed copy differs from a fresh one (or is missing)."""
    with tempfile.TemporaryDirectory() as tmp:
        names = make(tmp)
        return [n for n in names if not os.path.exists(os.path.join(IMAGES, n))
                or not filecmp.cmp(os.path.join(tmp, n), os.path.join(IMAGES, n), shallow=False)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed picture is stale")
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        if old:
            print("stale pictures (run python docs/make_pictures.py): " + ", ".join(old), file=sys.stderr)
            return 1
        print("every picture is current")
        return 0
    for name in make():
        print(os.path.join("docs", "images", name))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the teaching pages for the README, taken in a real browser.

Runs the lecture demo (its explorer page) and the quick-start moons demo (its
training replay), opens each page in headless Chromium with Playwright,
steps it to a telling moment, and saves a PNG:

- ``explorer.png``: the lecture's neuron half-way through backward();
- ``replay.png``: the moons network late in training.

    python docs/screenshots.py                 # writes docs/images/*.png
    python docs/screenshots.py --out /tmp/shots

Needs playwright (``pip install playwright``) and a Chromium: Debian's
``/usr/bin/chromium`` by default, or ``--chromium PATH`` (Playwright cannot
download its own browser here).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
from typing import List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "images")
DEMOS = os.path.join(os.path.dirname(HERE), "demos")

# Chromium without its calls home: this machine has no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

# (picture, the demo that writes the page, the page, arrow presses, viewport)
SHOTS = [
    ("explorer.png", "lecture", "lecture_backprop.html", 11, (1280, 470)),
    ("replay.png", "moons", "moons_replay.html", 8, (1280, 680)),
]


def _pages(folder: str) -> None:
    """Run the demos that write the pages, quietly."""
    sys.path.insert(0, DEMOS)
    try:
        for name in sorted({demo for _, demo, _, _, _ in SHOTS}):
            module = __import__(name)
            with contextlib.redirect_stdout(io.StringIO()):
                module.main(["--quick", "--out", folder])
    finally:
        sys.path.remove(DEMOS)


def main(argv: Optional[List[str]] = None, browser=None) -> List[str]:
    """Write the screenshots; ``browser``: a Playwright browser already running (tests)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=IMAGES, help="folder for the PNGs (default: docs/images)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser to drive")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        _pages(folder)
        if browser is not None:
            return _shoot(browser, folder, args.out)
        from playwright.sync_api import sync_playwright  # only this script needs it

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            try:
                return _shoot(browser, folder, args.out)
            finally:
                browser.close()


def _shoot(browser, folder: str, out: str) -> List[str]:
    written = []
    for picture, _, page_name, presses, (width, height) in SHOTS:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto("file://" + os.path.join(folder, page_name))
        for _ in range(presses):  # the pages step on the arrow keys
            page.keyboard.press("ArrowRight")
        path = os.path.join(out, picture)
        page.screenshot(path=path)
        page.close()
        written.append(path)
    print("wrote", ", ".join(written))
    return written


if __name__ == "__main__":
    main()

"""The README's Python examples run, in order, as a reader would paste them.

Each ```python block is executed in one shared namespace (later examples may
use names from earlier ones), in a temporary working directory, so that an
example that drifts from the code fails here instead of in a reader's hands.
"""

import contextlib
import io
import os
import re
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
# (dedented: a block inside a list item is indented in the Markdown)
BLOCKS = [textwrap.dedent(b) for b in re.findall(
    r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)]


def test_readme_has_examples():
    assert len(BLOCKS) >= 10


def test_readme_examples_run(tmp_path, monkeypatch, request):
    if any("import torch" in block for block in BLOCKS):
        request.getfixturevalue("torch")  # the PyTorch bridge example needs it
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "readme"}
    for i, block in enumerate(BLOCKS):
        first = block.strip().splitlines()[0]
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                exec(compile(block, f"README block {i}", "exec"), namespace)
        except Exception as err:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README block {i} ({first!r}) raised {type(err).__name__}: {err}")


def test_readme_micrograd_example_prints_micrograd_numbers(tmp_path, monkeypatch):
    block = next(b for b in BLOCKS if "g += 10.0 / f" in b)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README micrograd example", "exec"), {})
    assert out.getvalue().split() == ["24.7041", "138.8338", "645.5773"]


def test_readme_lecture_walkthrough_prints_the_lectures_numbers():
    block = next(b for b in BLOCKS if "o._backward()" in b)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README lecture walkthrough", "exec"), {})
    assert out.getvalue().split() == ["-1.5", "1.0"]  # by hand: w1 * 0.5 and x1 * 0.5

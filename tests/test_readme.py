"""The README is short and true: its Python examples run, its links and pictures exist.

Each ```python block is executed in one shared namespace (later examples may
use names from earlier ones), in a temporary working directory, so that an
example that drifts from the code fails here instead of in a reader's hands.
The numbers the longer examples print are claimed and checked on the docs
pages that hold them (tests/test_docs.py): micrograd's README example and the
lecture's walkthrough in docs/how-to/micrograd.md.
"""

import contextlib
import io
import os
import re
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
TEXT = README.read_text(encoding="utf-8")
# (dedented: a block inside a list item is indented in the Markdown)
BLOCKS = [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)]


def test_readme_has_examples():
    assert len(BLOCKS) >= 5


def test_readme_is_short():
    # The README introduces; the docs hold the details.
    assert len(TEXT.splitlines()) <= 260


def test_readme_keeps_the_quick_start_commands():
    # The two commands a fresh machine needs, exactly as CI and the docs describe them.
    assert ('python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[demos]" '
            "&& python demos/moons.py") in TEXT
    assert 'apt-get install -y chromium graphviz && pip install -e ".[test]" && python -m pytest' in TEXT
    assert os.path.isfile(REPO / "demos" / "moons.py")


def test_readme_links_and_pictures_exist():
    # Relative links must work on GitHub: every target is a file in the repo.
    targets = re.findall(r"\]\(((?!https?:|#)[^)\s#]+)(?:#[^)]*)?\)", TEXT)
    assert any(t.startswith("docs/how-to/") for t in targets)
    assert any(t.endswith(".svg") for t in targets), "the tour shows no graph picture"
    missing = [t for t in targets if not (REPO / t).exists()]
    assert missing == [], f"README links to missing files: {missing}"


def test_readme_examples_run(tmp_path, monkeypatch, request):
    if any("import torch" in block for block in BLOCKS):
        request.getfixturevalue("torch")  # a PyTorch example needs it
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


def test_readme_tour_prints_the_lectures_numbers(tmp_path, monkeypatch):
    # By hand: o = tanh(n) = 0.7071, do/dn = 1 - o**2 = 0.5, x1.grad = w1 * 0.5, w1.grad = x1 * 0.5.
    monkeypatch.chdir(tmp_path)
    block = next(b for b in BLOCKS if "o.backward()" in b)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README tour", "exec"), {})
    assert out.getvalue().split() == ["0.7071", "-1.5", "1.0"]

"""The guidebook (docs/) is true: its code runs, its claimed output is printed, its site builds.

Every ```python block of a page runs, in order, in one namespace per page
(later blocks use names from earlier ones), in a temporary working directory,
as a reader pasting them would run them. A ```text block right after a
python block is the output the page claims: the block must print exactly
that (``...`` stands for any text, as in doctest). The pictures and the
notebooks are generated from the repo and must be current; the site is
built by MkDocs with --strict. The notebooks themselves are executed by a
real Jupyter kernel (nbmake) in test_notebooks_execute below.
"""

import contextlib
import doctest
import glob
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(REPO, "docs")
sys.path.insert(0, DOCS)

PAGES = sorted(os.path.relpath(p, DOCS) for p in glob.glob(os.path.join(DOCS, "**", "*.md"), recursive=True))
# A python block, then optionally (after blank lines only) the text block it claims to print.
BLOCK = re.compile(r"^( *)```python\n(.*?)^\1```\n(?:\s*^\1```text\n(.*?)^\1```\n)?", re.S | re.M)


def blocks(page):
    text = open(os.path.join(DOCS, page), encoding="utf-8").read()
    out = []
    for m in BLOCK.finditer(text):
        indent = len(m.group(1))
        code = "\n".join(line[indent:] for line in m.group(2).splitlines())
        claim = None if m.group(3) is None else "\n".join(line[indent:] for line in m.group(3).splitlines())
        out.append((text.count("\n", 0, m.start()) + 1, code, claim))
    return out


def test_the_docs_have_pages():
    assert {"index.md", "benchmarks.md", "guide/01-neurons.md", "guide/11-xor.md"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_code_runs_and_prints_what_it_claims(page, tmp_path, monkeypatch, request):
    found = blocks(page)
    text = open(os.path.join(DOCS, page), encoding="utf-8").read()
    if "import torch" in text:
        request.getfixturevalue("torch")
    if "matplotlib" in text:
        request.getfixturevalue("matplotlib")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__main__"}
    checker = doctest.OutputChecker()
    for line, code, claim in found:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"docs/{page}:{line}", "exec"), namespace)
        except Exception as err:  # pragma: no cover - the message is the point
            pytest.fail(f"docs/{page}, the block at line {line} raised {type(err).__name__}: {err}")
        if claim is not None:
            got = "\n".join(l.rstrip() for l in out.getvalue().splitlines()).strip("\n") + "\n"
            want = "\n".join(l.rstrip() for l in claim.splitlines()).strip("\n") + "\n"
            assert checker.check_output(want, got, doctest.ELLIPSIS), (
                f"docs/{page}, the block at line {line} claims to print\n{want}\nbut printed\n{got}")


def test_every_guide_page_has_code_a_picture_and_an_exercise():
    for page in PAGES:
        if re.match(r"guide/\d\d-", page):
            text = open(os.path.join(DOCS, page), encoding="utf-8").read()
            assert blocks(page), f"{page} has no runnable code"
            assert re.search(r"!\[[^\]]*\]\(\.\./images/", text), f"{page} shows no picture"
            assert "## Exercise" in text and "exercises." in text, f"{page} ends with no checked exercise"


def test_every_picture_a_page_shows_exists():
    for page in PAGES:
        text = open(os.path.join(DOCS, page), encoding="utf-8").read()
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text):
            path = os.path.normpath(os.path.join(DOCS, os.path.dirname(page), target))
            assert os.path.isfile(path), f"docs/{page} shows {target}, which is not there"


def test_the_pictures_are_current(matplotlib):
    # The committed SVGs were laid out by Graphviz's dot; graphviz-pure lays
    # out the same graph a little differently, so only dot can reproduce them.
    if shutil.which("dot") is None:
        _missing("Graphviz (dot)")
    # In a fresh process, as the docs build runs it: the pictures may not
    # depend on what other tests did to matplotlib or to random's state.
    run = subprocess.run([sys.executable, os.path.join(DOCS, "make_pictures.py"), "--check"],
                         cwd=REPO, capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"})
    assert run.returncode == 0, run.stderr[-2000:] + "\nrun python docs/make_pictures.py and commit docs/images/"


def test_the_notebooks_are_current():
    if importlib.util.find_spec("jupytext") is None:
        _missing("jupytext")
    import notebooks

    assert notebooks.pages(), "the guide has no numbered pages"
    assert notebooks.stale() == [], "run python docs/notebooks.py and commit docs/notebooks/"


def _missing(name):
    msg = f"{name} is not installed (pip install -e '.[test]')"
    if os.environ.get("MICROGRAD_LIKE_REQUIRE_ORACLES") == "1":
        pytest.fail(msg, pytrace=False)
    pytest.skip(msg)


def _tool(name):
    path = os.path.join(os.path.dirname(sys.executable), name)
    if not os.path.exists(path):
        _missing(name)
    return path


def test_the_site_builds_strictly(tmp_path, matplotlib):
    mkdocs = _tool("mkdocs")
    run = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-4000:]
    assert os.path.exists(tmp_path / "site" / "guide" / "01-neurons" / "index.html")
    assert os.path.exists(tmp_path / "site" / "reference" / "engine" / "index.html")


def test_notebooks_execute(tmp_path):
    """Every notebook runs top to bottom in a real Jupyter kernel (nbmake), with no error.

    They run from a copy (docs/notebooks and docs/images side by side, as in
    the repo), so that whatever a notebook writes lands in a temporary folder.
    """
    import shutil

    _tool("jupyter")
    if importlib.util.find_spec("nbmake") is None:
        _missing("nbmake")
    shutil.copytree(os.path.join(DOCS, "notebooks"), tmp_path / "notebooks")
    shutil.copytree(os.path.join(DOCS, "images"), tmp_path / "images")
    notebooks = sorted(glob.glob(str(tmp_path / "notebooks" / "*.ipynb")))
    assert notebooks, "docs/notebooks/ is empty: run python docs/notebooks.py"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbmake", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", os.devnull, *notebooks],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"})
    assert run.returncode == 0, run.stdout[-4000:]
    assert f"{len(notebooks)} passed" in run.stdout, run.stdout[-2000:]


def test_the_exercises_reference_lists_every_mistake_a_check_can_name():
    from micrograd_like import exercises

    text = open(os.path.join(DOCS, "reference", "exercises.md"), encoding="utf-8").read()
    missing = [code for code in exercises.MISTAKES if f"`{code}`" not in text]
    assert missing == [], f"docs/reference/exercises.md does not list {missing}"

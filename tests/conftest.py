"""Shared fixtures: the outside oracles (torch, scikit-learn, Graphviz), and markers.

An oracle that is not installed skips its tests on a developer's machine.
In CI, .ci/run sets MICROGRAD_LIKE_REQUIRE_ORACLES=1, and then a missing
oracle fails the test instead: a skip must never pass for a pass.

Every test that uses an oracle fixture is marked with its name (``torch``,
``sklearn``, ``browser``, ...), and the tests of the pages, docs and
notebooks are marked ``docs``. Where an oracle cannot be installed (torch
exists here for Python 3.11 only), CI leaves its tests out by name, saying
why: ``python -m pytest -m "not torch"``.
"""

import importlib
import os

import pytest

REQUIRE_ORACLES = os.environ.get("MICROGRAD_LIKE_REQUIRE_ORACLES") == "1"

# marker -> (the fixtures that set it, what it means)
ORACLE_MARKERS = {
    "torch": (("torch",), "compares with PyTorch (the torch fixture)"),
    "sklearn": (("sklearn",), "compares with scikit-learn (the sklearn fixture)"),
    "pandas": (("pandas",), "takes pandas DataFrames (the pandas fixture)"),
    "numpy": (("numpy",), "takes numpy arrays (the numpy fixture)"),
    "matplotlib": (("matplotlib",), "draws with matplotlib (the matplotlib fixture)"),
    "micrograd": (("micrograd_nn",), "compares with karpathy's micrograd (the micrograd_nn fixture)"),
    "browser": (("browser",), "opens a page in Chromium (the browser and page fixtures)"),
    # not an oracle but a platform fact: PyPy's collector has no thresholds to pause
    "gc_thresholds": (("collector", "gc_thresholds"),
                      "checks the pauses of CPython's collector thresholds (PyPy has none)"),
}
# The tests of the guidebook, the README and notebooks: they check pages, not the engine.
DOCS_FILES = {"test_docs.py", "test_readme.py", "test_notebook.py", "test_screenshots.py"}
# Edge cases (sample_weight's checks, weighted reports) compared with scikit-learn
# 1.9.1, the version on CPython 3.11 here; older releases answer some differently.
SKLEARN_EDGES_FILES = {"test_metrics_like_sklearn.py"}


def pytest_configure(config):
    for name, (_, meaning) in ORACLE_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}; set automatically")
    config.addinivalue_line("markers", "docs: tests the docs, README or notebooks; set automatically")
    config.addinivalue_line("markers", "sklearn_edges: edge cases compared with scikit-learn "
                                       "1.9.1; set automatically")


def pytest_collection_modifyitems(config, items):
    # A marker per oracle, from the fixtures a test uses (also through other
    # fixtures: fixturenames is the whole closure), so that CI can leave out
    # by name what an interpreter cannot install.
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for name, (fixtures, _) in ORACLE_MARKERS.items():
            if used.intersection(fixtures):
                item.add_marker(name)
        if item.path.name in DOCS_FILES:
            item.add_marker("docs")
        if item.path.name in SKLEARN_EDGES_FILES:
            item.add_marker("sklearn_edges")


@pytest.fixture
def gc_thresholds():
    """CPython's collector thresholds, put back after the test (on PyPy, which has none, CI leaves these out)."""
    import gc

    if not hasattr(gc, "get_threshold"):
        pytest.skip("PyPy's collector has no thresholds (CI leaves these tests out there by marker)")
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def _oracle(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ImportError as err:
        msg = f"oracle {module_name!r} is not installed ({err})"
        if REQUIRE_ORACLES:
            pytest.fail(msg + " and MICROGRAD_LIKE_REQUIRE_ORACLES=1", pytrace=False)
        pytest.skip(msg)


@pytest.fixture(scope="session")
def torch():
    """PyTorch, set to float64: the reference for values and gradients."""
    torch = _oracle("torch")
    torch.set_default_dtype(torch.float64)
    return torch


@pytest.fixture(scope="session")
def sklearn():
    """scikit-learn: the reference for metrics and data utilities."""
    return _oracle("sklearn")


@pytest.fixture(scope="session")
def pandas():
    """pandas: DataFrames and Series as input, as a scikit-learn user passes them."""
    return _oracle("pandas")


@pytest.fixture(scope="session")
def numpy():
    """numpy (it comes with scikit-learn): arrays as input."""
    return _oracle("numpy")


@pytest.fixture(scope="session")
def micrograd_nn():
    """karpathy's micrograd 0.1.0 (its nn module): the reference for the compatible API."""
    _oracle("micrograd")
    return _oracle("micrograd.nn")


@pytest.fixture(scope="session")
def matplotlib():
    """matplotlib with the headless Agg backend: the demos draw with it."""
    matplotlib = _oracle("matplotlib")
    matplotlib.use("Agg")
    return matplotlib


# --- a real browser ------------------------------------------------------------
# Debian's chromium, driven by Playwright from PyPI (Playwright cannot download
# its own browser here). The flags keep Chromium from phoning home: this
# machine has no network, and its refused connections would be noise.
CHROMIUM = os.environ.get("MICROGRAD_LIKE_CHROMIUM", "/usr/bin/chromium")
_CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (a missing one fails in CI, skips elsewhere)."""
    sync_api = _oracle("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        msg = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_ORACLES:
            pytest.fail(msg + " and MICROGRAD_LIKE_REQUIRE_ORACLES=1", pytrace=False)
        pytest.skip(msg)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=_CHROMIUM_ARGS)
        yield b
        b.close()


class _Page:
    """A browser page that records what it asks of the network and its console errors."""

    def __init__(self, page):
        self.page = page
        self.requests = []  # every URL the page asked for, beyond its own file
        self.errors = []  # console errors and uncaught exceptions
        page.on("request", self._request)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _request(self, request):
        if not request.url.startswith(("file://", "data:", "about:")):
            self.requests.append(request.url)

    def open(self, path):
        """Open a local file, as a learner's double-click would."""
        self.page.goto("file://" + os.path.abspath(os.fspath(path)))
        return self.page


@pytest.fixture
def page(browser):
    """A fresh page: ``page.open(path)``; check ``page.requests`` and ``page.errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Nothing may leave the machine: every request to the network is aborted
    # (and recorded by _Page, so a test can assert there were none).
    context.route("http*://**", lambda route: route.abort())
    p = _Page(context.new_page())
    yield p
    context.close()

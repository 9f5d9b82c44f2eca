"""The package's metadata: one version, the licence, the classifiers, and graphviz-pure only where it installs.

The built wheel and sdist themselves are checked by .ci/run (twine check,
their contents, a clean install without a system dot, the sdist's tests).
"""

import os

import pytest

import micrograd_like

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def project():
    try:
        import tomllib
    except ImportError:  # Python < 3.11: the same parser, from PyPI (CI installs it there)
        tomllib = pytest.importorskip("tomli", reason="tomllib is Python 3.11+; pip install tomli")
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)


def test_one_source_for_the_version(project):
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "micrograd_like.__version__"}
    assert micrograd_like.__version__ == "0.1.0"


def test_the_licence_is_shipped_and_named(project):
    assert project["project"]["license"] == "MIT"
    assert project["project"]["license-files"] == ["LICENSE"]
    with open(os.path.join(REPO, "LICENSE"), encoding="utf-8") as f:
        assert f.readline().strip() == "MIT License"


def test_classifiers(project):
    classifiers = project["project"]["classifiers"]
    for minor in range(9, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert project["project"]["requires-python"] == ">=3.9"
    assert {"Typing :: Typed", "Intended Audience :: Education"} <= set(classifiers)
    assert any(c.startswith("Development Status ::") for c in classifiers)
    assert os.path.exists(os.path.join(REPO, "micrograd_like", "py.typed"))


@pytest.mark.parametrize("platform, machine, expected", [
    ("linux", "x86_64", True),
    ("linux", "aarch64", True),
    ("darwin", "arm64", True),
    ("darwin", "x86_64", True),
    ("win32", "AMD64", True),
    ("linux", "armv7l", False),   # 32-bit ARM (a Raspberry Pi OS)
    ("win32", "x86", False),      # 32-bit Windows
    ("emscripten", "wasm32", False),  # Pyodide / JupyterLite
])
def test_graphviz_pure_only_where_it_has_a_wheel(project, platform, machine, expected):
    from packaging.requirements import Requirement

    [req] = [Requirement(d) for d in project["project"]["dependencies"]
             if d.startswith("graphviz-pure")]
    env = {"sys_platform": platform, "platform_machine": machine}
    assert req.marker.evaluate(env) is expected


def test_the_test_extra_brings_every_oracle(project):
    test = " ".join(project["project"]["optional-dependencies"]["test"])
    for oracle in ("torch==2.13.0", "scikit-learn", "micrograd==0.1.0", "playwright", "nbclient",
                   "ipykernel", "hypothesis", "matplotlib", "tqdm", "ipywidgets", "pandas"):
        assert oracle in test


def test_the_sdist_carries_the_tests():
    with open(os.path.join(REPO, "MANIFEST.in"), encoding="utf-8") as f:
        manifest = f.read()
    for folder in ("tests", "demos", "benchmarks", "docs"):
        assert f"graft {folder}" in manifest

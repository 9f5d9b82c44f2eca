"""Every example in a docstring runs and prints what it says.

The examples are run by ``doctest`` with the package's public names at
hand (``Value``, ``MLP``, ``SGD``, ...), as a reader trying them would have
after ``from micrograd_like import *``. Examples that write files or need
an optional program carry ``# doctest: +SKIP``.
"""

import doctest
import importlib
import pkgutil

import pytest

import micrograd_like
import micrograd_like.optim as optim

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(micrograd_like.__path__, "micrograd_like.")
    if not m.name.endswith("__main__")  # running it would run the command line
)


def _public_names():
    names = {k: getattr(micrograd_like, k) for k in micrograd_like.__all__}
    names.update({k: getattr(optim, k) for k in optim.__all__})
    names.update(MLP=micrograd_like.MLP, micrograd_like=micrograd_like)
    return names


def test_every_module_is_found():
    assert {"micrograd_like.engine", "micrograd_like.optim.lr_scheduler",
            "micrograd_like.draw.graph"} <= set(MODULES)


# Modules whose examples need an optional oracle: it skips (fails in CI) without it.
# Each carries the oracle's marker, as the fixture's users do (conftest), so that
# CI can deselect it by name on a Python without that oracle.
NEEDS = {"micrograd_like.torch_bridge": "torch", "micrograd_like.testing.numpy_check": "numpy",
         "micrograd_like.testing": "numpy"}  # it shows check_numpy_grads's example too


@pytest.mark.parametrize("name", [
    pytest.param(m, marks=getattr(pytest.mark, NEEDS[m])) if m in NEEDS else m for m in MODULES])
def test_docstring_examples(name, tmp_path, monkeypatch, request):
    if name in NEEDS:
        request.getfixturevalue(NEEDS[name])
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    module = importlib.import_module(name)
    result = doctest.testmod(
        module,
        extraglobs=_public_names(),
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=False,
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) in {name} failed (run python -m doctest -v)"

"""Shared fixtures: the outside oracles (torch, scikit-learn, Graphviz).

An oracle that is not installed skips its tests on a developer's machine.
In CI, .ci/run sets MICROGRAD_LIKE_REQUIRE_ORACLES=1, and then a missing
oracle fails the test instead: a skip must never pass for a pass.
"""

import importlib
import os

import pytest

REQUIRE_ORACLES = os.environ.get("MICROGRAD_LIKE_REQUIRE_ORACLES") == "1"


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

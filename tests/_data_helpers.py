"""Helpers shared by the data tests (imported as ``from _data_helpers import ...``)."""

import importlib
import math


def _sk(sklearn, submodule):
    """A scikit-learn submodule, after the fixture made sure sklearn is there."""
    return importlib.import_module(f"sklearn.{submodule}")


def _close(a, b, tol=1e-12):
    """Nested lists of numbers equal up to tol (absolute and relative)."""
    if isinstance(a, (list, tuple)) or hasattr(a, "tolist"):
        a = a.tolist() if hasattr(a, "tolist") else a
        b = b.tolist() if hasattr(b, "tolist") else b
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b))
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _indexed(n):
    """X rows carry their index, y a label derived from it: alignment is checkable."""
    return [[float(i)] for i in range(n)], [i * 10 for i in range(n)]

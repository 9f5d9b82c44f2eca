"""The gradients the checks compare: ``backward()``, ``grad()``, the Hessian and plain central differences.

Shared by the classic checks (``testing.classic``) and ``check``
(``testing.oracle``), so both compute every number the same way. Each
function evaluates ``fn`` afresh on new leaves: a check never reuses a
graph, and never touches the caller's Values.

>>> _backward_grad(lambda x, y: x * y, [2.0, 3.0], "gradcheck")
[3.0, 2.0]
"""

from __future__ import annotations

from typing import Callable, List

from micrograd_like.autograd import grad
from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad, no_grad
from micrograd_like.testing._checks import _call


def _value_of(fn: Callable[..., Value], point: List[float], where: str) -> float:
    with no_grad():  # only the number is needed: build no graph
        return _call(fn, [Value(p) for p in point], where).data


def _backward_grad(fn: Callable[..., Value], point: List[float], where: str) -> List[float]:
    # backward() has fast paths that grad() does not use, so it is checked too
    with enable_grad():
        xs = [Value(p) for p in point]
        _call(fn, xs, where).backward()
    return [x.grad for x in xs]  # an unused input keeps 0.0


def _analytic_grad(fn: Callable[..., Value], point: List[float], where: str) -> List[float]:
    with enable_grad():  # the checks must work even inside a no_grad() block
        xs = [Value(p) for p in point]
        gs = grad(_call(fn, xs, where), xs, allow_unused=True)
    return [0.0 if g is None else g for g in gs]  # unused input: zero gradient


def _analytic_hessian(
    fn: Callable[..., Value], point: List[float], where: str
) -> List[List[float]]:
    n = len(point)
    with enable_grad():
        xs = [Value(p) for p in point]
        first = grad(_call(fn, xs, where), xs, create_graph=True, allow_unused=True)
        hessian = []
        for g in first:
            row = [0.0] * n if g is None else grad(g, xs, allow_unused=True)
            hessian.append([0.0 if h is None else h for h in row])
    return hessian


def _numeric_grad(
    fn: Callable[..., Value], point: List[float], eps: float, where: str
) -> List[float]:
    return [
        _central_difference(lambda p: _value_of(fn, p, where), point, i, eps)
        for i in range(len(point))
    ]


def _central_difference(
    f: Callable[[List[float]], float], point: List[float], i: int, eps: float
) -> float:
    """``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``, as torch computes it."""
    hi = list(point)
    lo = list(point)
    hi[i] += eps
    lo[i] -= eps
    try:
        return (f(hi) - f(lo)) / (2.0 * eps)
    except (ArithmeticError, ValueError) as err:
        raise type(err)(
            f"finite differences: fn failed when input {i} ({point[i]!r}) was "
            f"moved by +-eps={eps!r}: {err}; move the point away from the edge "
            "of fn's domain, or use a smaller eps"
        ) from err

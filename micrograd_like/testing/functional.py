"""``jacobian``, ``hessian``, ``vjp``, ``hvp`` (and ``jvp``), named and shaped as in ``torch.autograd.functional``.

Each takes ``fn``, a function of one Value per input, and ``inputs``, a list
of numbers, and returns floats in nested lists. Think of ``inputs`` as one
vector ``x`` of length n: a single-Value output has a Jacobian of n numbers
(the gradient), a list of m Values one of m rows of n numbers, as torch gives
for a 1-D input. ``jvp`` is forward mode (dual numbers); the others are
reverse mode (``micrograd_like.grad``).

>>> hessian(lambda x, y: x * x * y, [1.0, 2.0])  # [[2y, 2x], [2x, 0]]
[[4.0, 2.0], [2.0, 0.0]]
>>> vjp(lambda x, y: [x * y, x + y], [2.0, 3.0], [1.0, 10.0])
([6.0, 5.0], [13.0, 12.0])
"""

from __future__ import annotations

from typing import Callable, List, Optional, Sequence, Tuple, Union

from micrograd_like.autograd import grad
from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad
from micrograd_like.testing._checks import _check_callable, _check_inputs
from micrograd_like.testing._grads import _analytic_hessian
from micrograd_like.testing.forward import _outputs, _tangents, jvp

__all__ = ["jacobian", "hessian", "vjp", "hvp", "jvp"]

Outputs = Union[Value, Sequence[Value]]


def _run(fn: Callable[..., Outputs], inputs: Sequence[float], where: str):
    xs = _check_inputs(inputs, where)
    _check_callable(fn, len(xs), where)
    leaves = [Value(x) for x in xs]
    outs, single = _outputs(fn(*leaves), where)
    return leaves, outs, single


def _grad(out: Value, leaves: List[Value], create_graph: bool = False) -> list:
    gs = grad(out, leaves, create_graph=create_graph, allow_unused=True)
    return [(Value(0.0) if create_graph else 0.0) if g is None else g for g in gs]


def jacobian(fn: Callable[..., Outputs], inputs: Sequence[float]) -> Union[List[float], List[List[float]]]:
    """d out_i / d x_j: n floats for one output, m rows of n for m outputs.

    >>> jacobian(lambda x, y: x * y, [2.0, 3.0])
    [3.0, 2.0]
    """
    with enable_grad():
        leaves, outs, single = _run(fn, inputs, "jacobian")
        rows = [_grad(o, leaves) for o in outs]
    return rows[0] if single else rows


def hessian(fn: Callable[..., Value], inputs: Sequence[float]) -> List[List[float]]:
    """The n x n matrix of second derivatives of a function with one Value out.

    >>> hessian(lambda x: x ** 3, [2.0])
    [[12.0]]
    """
    xs = _check_inputs(inputs, "hessian")
    _check_callable(fn, len(xs), "hessian")
    _one_output(fn, xs, "hessian")
    return _analytic_hessian(fn, xs, "hessian")


def vjp(
    fn: Callable[..., Outputs], inputs: Sequence[float], v: Optional[Union[float, Sequence[float]]] = None
) -> Tuple[Union[float, List[float]], List[float]]:
    """``(fn(inputs), v^T J)``: one weight per output (``v`` may be left out for one output).

    >>> vjp(lambda x, y: x * y, [2.0, 3.0])
    (6.0, [3.0, 2.0])
    """
    with enable_grad():
        leaves, outs, single = _run(fn, inputs, "vjp")
        weights = [1.0] if v is None and single else _tangents(v, len(outs), "vjp", "v")
        total = [0.0] * len(leaves)
        for o, w in zip(outs, weights):
            if w:
                total = [t + w * g for t, g in zip(total, _grad(o, leaves))]
    values = [o.data for o in outs]
    return (values[0] if single else values), total


def hvp(fn: Callable[..., Value], inputs: Sequence[float], v: Sequence[float]) -> Tuple[float, List[float]]:
    """``(fn(inputs), H v)``: the Hessian times a vector, without forming H.

    >>> hvp(lambda x, y: x * x * y, [1.0, 2.0], [1.0, 0.0])
    (2.0, [4.0, 2.0])
    """
    with enable_grad():
        leaves, outs, single = _run(fn, inputs, "hvp")
        if not single:
            raise TypeError("hvp: fn must return one Value (a Hessian needs a scalar function)")
        weights = _tangents(v, len(leaves), "hvp", "v")
        first = _grad(outs[0], leaves, create_graph=True)
        directional = sum((w * g for w, g in zip(weights, first)), Value(0.0))
        return outs[0].data, _grad(directional, leaves)


def _one_output(fn: Callable[..., Value], xs: List[float], where: str) -> None:
    with enable_grad():
        _, single = _outputs(fn(*[Value(x) for x in xs]), where)
    if not single:
        raise TypeError(f"{where}: fn must return one Value (a Hessian needs a scalar function), got a list")

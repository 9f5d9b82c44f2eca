"""Gradients as return values: ``grad``, as ``torch.autograd.grad``.

``backward()`` adds gradients into every ``.grad``; ``grad(output, inputs)``
returns them instead and leaves every ``.grad`` alone. With
``create_graph=True`` it records the gradient computation itself as a new
graph, so gradients can be differentiated again (second derivatives,
Hessians). It walks the graph like backward() and uses the same ``RULES``.

>>> from micrograd_like import Value
>>> x = Value(3.0)
>>> grad(x * x, [x])
[6.0]
"""

from __future__ import annotations

from typing import Dict, List, Sequence, Union

from micrograd_like.engine import (
    RULES, Value, _collector_paused, _explain, custom_backward, topological_order,
)
from micrograd_like.grad_mode import enable_grad, no_grad

__all__ = ["grad"]


def grad(
    output: Value,
    inputs: Union[Value, Sequence[Value]],
    create_graph: bool = False,
    allow_unused: bool = False,
) -> List:
    """d(output)/d(input) for each input, like ``torch.autograd.grad``.

    Leaves every ``.grad`` untouched. With ``create_graph=True`` the results
    are Values recorded in a new graph, so they can be differentiated again.

    >>> x = Value(3.0)
    >>> [dy] = grad(x ** 3, [x], create_graph=True)
    >>> dy.data, grad(dy, [x])[0]
    (27.0, 18.0)
    """
    if not isinstance(inputs, Value) and (
        isinstance(inputs, (str, bytes)) or not hasattr(inputs, "__iter__")
    ):
        raise TypeError(
            f"grad: inputs must be a Value or a list of Values (the leaves to "
            f"differentiate by), got {type(inputs).__name__} {inputs!r}"
        )
    inputs = [inputs] if isinstance(inputs, Value) else list(inputs)
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__} {output!r}")
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad: every input must be a Value, got {type(x).__name__} {x!r}")

    # Gradients live in a dict, not in .grad, so nothing is overwritten.
    grads: Dict[Value, object] = {output: Value(1.0) if create_graph else 1.0}
    v = None
    try:
        with enable_grad() if create_graph else no_grad(), _collector_paused():
            for v in reversed(topological_order(output, leaves=False)):
                g = grads.get(v)
                if g is None:
                    continue
                closure = custom_backward(v)
                if closure is not None:
                    local = _closure_grads(v, closure, g, create_graph)
                else:
                    # Floats for a plain gradient; the Values themselves when
                    # the gradient computation must be recorded as a graph.
                    args = v._prev if create_graph else [p.data for p in v._prev]
                    out = v if create_graph else v.data
                    local = RULES[v._op](g, out, *args, *v._arg)
                for p, gp in zip(v._prev, local):
                    old = grads.get(p)
                    grads[p] = gp if old is None else old + gp
    except (ArithmeticError, ValueError, KeyError) as err:
        raise _explain(v, err) from err

    result = []
    for x in inputs:
        g = grads.get(x)
        if g is None and not allow_unused:
            raise ValueError(
                f"grad: input {x!r} is not part of the graph of the output; "
                "pass allow_unused=True to get None for it"
            )
        if create_graph and g is not None and not isinstance(g, Value):
            g = Value(g)
        result.append(g)
    return result


def _closure_grads(v: Value, closure, g, create_graph: bool) -> List[float]:
    """What a micrograd-style closure passes to v's inputs for upstream gradient g.

    The closure can only add floats into ``.grad``, so it runs once with
    ``v.grad = g`` and the inputs' grads at 0, and everything is put back.
    """
    if create_graph:
        raise ValueError(
            f"grad(..., create_graph=True): node {v!r} (op {v._op!r}) has its own "
            "_backward closure, which cannot be differentiated again; build the op "
            "from Value's operations, or add its rule to micrograd_like.engine.RULES"
        )
    saved = [(n, n.grad) for n in (v, *v._prev)]
    try:
        for p in v._prev:
            p.grad = 0.0
        v.grad = g
        closure()
        local = [0.0] * len(v._prev)
        for i, p in enumerate(v._prev):  # an input listed twice gets its share once
            if v._prev.index(p) == i:
                local[i] = p.grad
        return local
    finally:
        for n, old in saved:
            n.grad = old

"""Name the node that is wrong: each node's local derivative against the finite difference of that node alone.

A whole-function check says *that* a gradient is wrong; this says *where*.
For every node ``v = op(p_1, ..., p_k)`` of the graph, the node is
recomputed alone from its inputs (the op run on floats, from the forward-mode
rules, or a function the caller gives for an op of their own) and
differentiated by Ridders' differences. That is compared with what the node's
backward rule gives for upstream gradient 1:

- a micrograd-style closure (``out._backward = fn``) is run with its inputs'
  ``.grad`` preset to a non-zero value, so a closure that writes ``=``
  instead of ``+=`` is caught (it would lose the gradient of fan-out);
- otherwise the node's entry in ``engine.RULES``;
- and the forward-mode (dual number) rule as well.

>>> from micrograd_like import Value
>>> x = Value(0.5); y = x.sin() * 2.0
>>> wrong, unchecked = locate(y)
>>> wrong, unchecked
([], [])
"""

from __future__ import annotations

import math
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from micrograd_like.engine import RULES, Value, custom_backward, topological_order
from micrograd_like.testing.differences import derivative
from micrograd_like.testing.forward import Dual, forward_rule
from micrograd_like.testing.report import NodeReport

__all__ = ["locate"]

# Preset on the inputs' .grad while a closure runs: a closure that assigns
# instead of adding loses it. An odd number, so no rule gives it by chance.
_SENTINEL = 0.3183098861837907  # 1 / pi


def locate(
    output: Value, forward: Optional[Mapping[str, Callable[..., float]]] = None
) -> Tuple[List[NodeReport], List[Value]]:
    """(the wrong nodes, the nodes that could not be checked alone) of ``output``'s graph.

    ``forward`` maps an op of your own to its function on floats, called
    with the node's input values and then its constants (``_arg``).

    >>> from micrograd_like import Value
    >>> x = Value(3.0); y = Value(9.0, (x,), "square")  # an op of your own, micrograd's way
    >>> def _backward(): x.grad += x.data * y.grad  # wrong: d(x**2)/dx is 2x
    >>> y._backward = _backward
    >>> wrong, unchecked = locate(y, forward={"square": lambda a: a * a})
    >>> [(r.name, r.op, round(r.expected, 9), r.got) for r in wrong], unchecked
    ([('n1', 'square', 6.0, 3.0)], [])
    """
    if not isinstance(output, Value):
        raise TypeError(f"locate: output must be a Value (the result of a computation), "
                        f"got {type(output).__name__} {output!r}")
    if forward is not None and (not isinstance(forward, Mapping)
                                or not all(callable(f) for f in forward.values())):
        raise TypeError(f"locate: forward must map op names to functions on floats, e.g. "
                        f"{{'cube': lambda a: a ** 3}}, got {forward!r}")
    order = topological_order(output)  # the same order, and names, as draw_dot
    wrong: List[NodeReport] = []
    unchecked: List[Value] = []
    for i, v in enumerate(order):
        if not v._prev:
            continue
        assigns = _assigns_instead_of_adding(v, f"n{i}")
        if assigns is not None:  # wrong whatever its op computes
            wrong.append(assigns)
            continue
        alone = _forward_alone(v, forward)
        if alone is None:
            unchecked.append(v)
            continue
        wrong.extend(_check_node(v, f"n{i}", alone))
    return wrong, unchecked


def _forward_alone(
    v: Value, forward: Optional[Mapping[str, Callable[..., float]]]
) -> Optional[Callable[[List[float]], float]]:
    """The node's op on floats, as a function of its inputs' values, or None."""
    if forward and v._op in forward:
        user, arg = forward[v._op], v._arg
        return lambda xs: float(user(*xs, *arg))
    rule = forward_rule(v)
    if rule is None:
        return None
    return lambda xs: rule(*[Dual(x) for x in xs]).x


def _check_node(v: Value, name: str, alone: Callable[[List[float]], float]) -> List[NodeReport]:
    inputs = [p.data for p in v._prev]

    def report(wrt: int, expected: float, got: float, source: str) -> NodeReport:
        return NodeReport(v, name, v._op, tuple(inputs), wrt, expected, got, source)

    try:
        recomputed = alone(inputs)
    except (ArithmeticError, ValueError):
        recomputed = math.nan
    if not _close(recomputed, v.data, 1e-9 * (1.0 + abs(v.data))):
        return [report(0, recomputed, v.data, "forward value")]

    distinct = list(dict.fromkeys(v._prev))  # an input used twice counts once
    try:
        got, source = _local_rule(v, distinct)
    except (ArithmeticError, ValueError):
        return []  # the rule itself fails here: backward() says so, with the node
    fwd = _local_forward(v, distinct)
    found = []
    for p, g, f in zip(distinct, got, fwd):
        slots = [k for k, q in enumerate(v._prev) if q is p]

        def moved(t: float, slots=slots) -> float:
            xs = list(inputs)
            for k in slots:
                xs[k] = t
            return alone(xs)

        try:
            d = derivative(moved, p.data)
        except (ArithmeticError, ValueError):
            continue  # the node alone cannot be moved here: nothing to say
        if d.kink:
            continue  # no single local derivative at a kink: any subgradient is fine
        allowed = 10.0 * d.error + 1e-9 * (1.0 + abs(d.value))
        for value, where in ((g, source), (f, "forward mode (dual numbers)")):
            if value is not None and not _close(value, d.value, allowed):
                found.append(report(slots[0], d.value, value, where))
                break
    return found


def _run_closure(v: Value, closure: Callable[[], None], distinct: List[Value], preset: float) -> List[float]:
    """What v's closure adds to each distinct input's .grad, for v.grad = 1 and .grad = preset before."""
    saved = [(n, n.grad) for n in (v, *distinct)]
    try:
        for p in distinct:
            p.grad = preset
        v.grad = 1.0
        closure()
        return [p.grad - preset for p in distinct]
    finally:
        for n, g in saved:
            n.grad = g


def _assigns_instead_of_adding(v: Value, name: str) -> Optional[NodeReport]:
    """A closure whose result depends on the .grad already there writes ``=`` where ``+=`` belongs."""
    closure = custom_backward(v)
    if closure is None:
        return None
    distinct = list(dict.fromkeys(v._prev))
    on_zero = _run_closure(v, closure, distinct, 0.0)
    on_sentinel = _run_closure(v, closure, distinct, _SENTINEL)
    for p, a, b in zip(distinct, on_zero, on_sentinel):
        if not _close(a, b, 1e-12 * (1.0 + abs(a))):
            return NodeReport(
                v, name, v._op, tuple(q.data for q in v._prev), v._prev.index(p), a, b,
                "its _backward closure, which assigns .grad (=) instead of adding to it "
                "(+=): the gradient from the input's other uses is lost",
            )
    return None


def _local_rule(v: Value, distinct: List[Value]) -> Tuple[List[float], str]:
    """d v / d p for each distinct input p, from v's closure or its RULES entry."""
    closure = custom_backward(v)
    if closure is not None:
        return _run_closure(v, closure, distinct, 0.0), "its _backward closure"
    if v._op not in RULES:
        return [math.nan] * len(distinct), "nothing (no closure, no entry in RULES)"
    per_slot = RULES[v._op](1.0, v.data, *[p.data for p in v._prev], *v._arg)
    totals: Dict[Value, float] = {}
    for p, g in zip(v._prev, per_slot):
        totals[p] = totals.get(p, 0.0) + float(g)
    return [totals[p] for p in distinct], f"RULES[{v._op!r}]"


def _local_forward(v: Value, distinct: List[Value]) -> List[Optional[float]]:
    rule = forward_rule(v)
    if rule is None:
        return [None] * len(distinct)
    return [rule(*[Dual(q.data, 1.0 if q is p else 0.0) for q in v._prev]).t for p in distinct]


def _close(a: float, b: float, allowed: float) -> bool:
    return a == b or abs(a - b) <= allowed  # False when either is NaN

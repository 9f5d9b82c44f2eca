"""``pickle``, ``copy.deepcopy`` and ``copy.copy`` of a Value graph, without recursion.

Left to themselves, pickle and deepcopy follow ``_prev`` one Python call
per node, so a graph a few hundred nodes deep raises RecursionError. The
engine imports nothing of the package, so this lives here and is
registered with ``copyreg``, the standard place to give a class its
pickling; ``copy`` uses the same entry. (The package registers it on
import; ``micrograd_like.engine`` cannot be imported without the package.)

How: the first Value pickled, the root, lists all of its ancestors,
inputs first, ahead of itself. Each ancestor is then written "shallow":
its inputs are earlier in the stream, so pickle (or deepcopy's memo) finds
them there instead of descending into them. Shared nodes stay shared, and
a Value pickled elsewhere in the same stream is the same object when read
back. A node's own attributes (its ``__dict__``, e.g. ``v._vis_color``) are
copied too.

>>> import copy, pickle
>>> from micrograd_like import Value
>>> x = Value(2.0, label="x"); y = x
>>> for _ in range(5000):
...     y = y * 1.0
>>> pickle.loads(pickle.dumps(y)).data, copy.deepcopy(y)._prev[0]._op
(2.0, '*')
"""

from __future__ import annotations

import copyreg
import threading
from typing import Any, Dict, List, Optional, Tuple

from micrograd_like.engine import _CUSTOM, Value, topological_order

__all__ = ["copy_to_draw", "reduce_value"]

_new = object.__new__


def _make(cls, data, grad, label, op, arg, prev, state) -> Value:
    """One node, as pickle rebuilds it (its inputs exist already)."""
    v = _new(cls)
    v.data, v.grad, v._op, v._arg, v._prev = data, grad, op, arg, prev
    if label:
        v.label = label
    if state:
        v.__dict__.update(state)
        if "_backward" in state:  # micrograd's closure: backward() must see it
            _CUSTOM.add(v)
    return v


def _attrs(v: Value) -> Optional[Dict[str, Any]]:
    """v's own attributes, or None; without leaving an empty dict on every node."""
    state = v.__dict__  # (made on first access; 64 bytes a node, so undone below)
    if state:
        return state
    del v.__dict__
    return None


def _shallow(v: Value) -> Tuple[Any, tuple]:
    state = _attrs(v)
    if state and "_backward" in state:
        _check_closure(v, state["_backward"])
    return _make, (type(v), v.data, v.grad, v.label, v._op, v._arg, v._prev, state)


def copy_to_draw(v: Value) -> Value:
    """A shallow copy of v to draw, not to differentiate: a micrograd closure is left out.

    (Drawing reads data, grad, label, op and inputs; a copy that kept the
    closure could not be made, see below.)
    """
    state = _attrs(v)
    if state and "_backward" in state:
        state = {k: x for k, x in state.items() if k != "_backward"}
    return _make(type(v), v.data, v.grad, v.label, v._op, v._arg, v._prev, state)


def _check_closure(v: Value, fn: Any) -> None:
    # micrograd's closure (out._backward = fn) holds the original nodes in
    # its cells: a copy calling it would send its gradients to the original
    # graph, silently. One holding no Value (lambda: None) is safe to share.
    fn = getattr(fn, "__func__", fn)
    cells = [c.cell_contents for c in getattr(fn, "__closure__", None) or () if _filled(c)]
    if any(isinstance(x, Value) for x in cells) or isinstance(getattr(fn, "__self__", None), Value):
        name = v.label or f"op {v._op!r}"
        raise TypeError(
            f"copying or pickling a Value graph: the node {name} (data {v.data!r}) has a "
            "micrograd-style closure out._backward that refers to the original graph's "
            "Values, so a copy's backward would fill the original's .grad instead; rebuild "
            "the graph by running your code again, or give the op a rule in "
            "micrograd_like.engine.RULES instead of a closure (how-to/micrograd, 'Adding "
            "an op'): a node with a rule can be copied"
        )


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents
    except ValueError:  # an empty cell (a variable not yet assigned)
        return False
    return True


class _Root:
    """A root being pickled: the position of each of its ancestors in its list.

    Pickle writes that list in order, so the ancestors come in increasing
    positions; ``cursor`` is one past the last one seen. One that comes
    back from before the cursor means this root is not being pickled any
    more (an error stopped it, and nothing told us): it is forgotten, and
    the node is treated as a new root, which is always correct.
    """

    def __init__(self, ancestors: List[Value]) -> None:
        self.position = {id(u): i for i, u in enumerate(ancestors) if u._prev}
        self.cursor = 0


# The roots being pickled in this thread, innermost last. (A Value in some
# attribute of a node is a root of its own, so roots nest.)
_local = threading.local()


def _forget(root: _Root) -> None:
    roots = _local.roots
    if root in roots:
        del roots[roots.index(root) :]


class _EndOfAncestors:
    """Written right after a root's ancestors: they are done, forget the root."""

    def __init__(self, root: _Root) -> None:
        self.root = root

    def __reduce__(self) -> Tuple[Any, tuple]:
        _forget(self.root)
        return _nothing, ()


def _nothing() -> None:
    return None


def _make_root(ancestors: List[Value], end: Optional[_EndOfAncestors], *fields: Any) -> Value:
    # The ancestors exist now: they were listed only for their order.
    if end is not None:  # copy.copy passes the arguments as they are
        _forget(end.root)
    return _make(*fields)


def reduce_value(v: Value) -> Tuple[Any, tuple]:
    """What pickle and copy write for ``v`` (registered with ``copyreg``)."""
    roots: List[_Root] = _local.__dict__.setdefault("roots", [])
    for root in reversed(roots):
        i = root.position.get(id(v))
        if i is None:
            continue
        if i >= root.cursor:  # its inputs are already in the stream
            root.cursor = i + 1
            return _shallow(v)
        roots.remove(root)  # left over: see _Root
        break
    if not v._prev:
        return _shallow(v)
    ancestors = topological_order(v)
    ancestors.pop()  # v itself, which comes last
    root = _Root(ancestors)
    roots.append(root)
    return _make_root, (ancestors, _EndOfAncestors(root), *_shallow(v)[1])


copyreg.pickle(Value, reduce_value)

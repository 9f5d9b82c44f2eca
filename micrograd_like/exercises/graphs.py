"""Exercises on whole graphs: the topological sort, and backward over it.

- :func:`check_topological_sort`: the learner's ``fn(root)`` returns every
  node reachable from ``root``, each after its inputs (micrograd's
  ``build_topo``; any valid order passes).
- :func:`check_backward`: the learner's ``fn(root)`` fills ``.grad`` of every
  node by the chain rule (it may call ``node._backward()``).

Both run the learner's code on small graphs with re-used nodes (a diamond, a
value used three times, a leaf used twice by one node), a chain, and a chain
3000 deep. Mistakes are found by behaviour: the learner's result is compared
with what each known wrong walk (leaves first, breadth-first, ``=`` for
``+=``, no seed) gives on the same graph.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Dict, List, Optional

from micrograd_like._format import fmt
from micrograd_like.engine import RULES, Value, topological_order
from micrograd_like.exercises._report import Report
from micrograd_like.exercises.ops import _check_callable, _close, _error, _is_number, _not_a_number

__all__ = ["check_topological_sort", "check_backward"]

MISTAKES: Dict[str, str] = {
    "reversed": "the order is reversed: the root comes first instead of last",
    "duplicates": "a node is listed twice (no visited set), so its _backward would run twice",
    "missing": "a node reachable from the root is left out of the order",
    "topological-order": "a node before one of its inputs, or a re-used node propagated too early",
    "not-a-list": "the topological sort does not return a list of Values",
    "seed": "backward never sets root.grad = 1.0, so every gradient stays 0",
    "not-reversed": "backward walks the topological order leaves first instead of reversed",
}

_DEEP = 3000  # deeper than Python's recursion limit (about 1000)
_ITERATIVE = (
    "micrograd_like's own walk is iterative: keep a stack of (node, inputs_done) pairs; "
    "pop one, and if inputs_done append the node to topo, else push (node, True) and then "
    "(child, False) for every child not yet visited (see micrograd_like.engine.topological_order)")


# --- the graphs the checks use: built fresh for every run, every node labelled -----


def _v(data: float, label: str) -> Value:
    return Value(data, label=label)


def _lab(v: Value, label: str) -> Value:
    v.label = label
    return v


def _tree() -> Value:  # no node used twice: any walk from the root down works
    a, b, c = _v(0.8, "a"), _v(-1.2, "b"), _v(0.5, "c")
    d = _lab(a * b, "d")
    e = _lab(d + c, "e")
    return _lab(_lab(e.tanh(), "f") * _v(2.0, "k"), "out")


def _leaf_twice() -> Value:  # one node uses x twice: only += matters
    x = _v(3.0, "x")
    return _lab(x * x, "out")


def _leaf_two_nodes() -> Value:  # x used by two nodes, the root first in any walk
    x, y = _v(3.0, "x"), _v(-2.0, "y")
    a = _lab(x * y, "a")
    return _lab(a + x, "out")


def _early() -> Value:  # h is used by u and by out: breadth-first visits h too early
    x = _v(0.7, "x")
    h = _lab(x * _v(3.0, "k"), "h")
    u = _lab(h.tanh(), "u")
    return _lab(h + u, "out")


def _diamond() -> Value:  # c is used by d and by e
    a, b = _v(0.5, "a"), _v(-1.5, "b")
    c = _lab(a * b, "c")
    d = _lab(c + a, "d")
    e = _lab(c * d, "e")
    return _lab(e.tanh(), "out")


def _thrice() -> Value:  # x used three times
    x, y = _v(1.5, "x"), _v(-0.5, "y")
    p = _lab(x * y, "p")
    q = _lab(p + x, "q")
    return _lab(q * x, "out")


def _chain(n: int = 40) -> Value:
    v = _v(0.9, "x")
    for i in range(n):
        v = _lab(_lab(v * _v(0.99, f"w{i}"), f"m{i}") + _v(0.01, f"b{i}"), f"v{i}")
    return v


_GRAPHS = [("a tree", _tree), ("out = x * x", _leaf_twice), ("out = x * y + x", _leaf_two_nodes),
           ("out = h + tanh(h)", _early), ("a diamond", _diamond), ("x used three times", _thrice),
           ("a chain 40 deep", _chain)]


def _name(v: Value) -> str:
    return v.label or f"a {v._op or 'leaf'} node (data {fmt(v.data)})"


# --- the topological sort --------------------------------------------------------


def check_topological_sort(fn: Callable[[Value], List[Value]]) -> Report:
    """Check a learner's ``fn(root)``: every node reachable from root, inputs first.

    >>> from micrograd_like import exercises
    >>> def build_topo(root):          # micrograd's, without the visited set
    ...     topo = []
    ...     def build(v):
    ...         for child in v._prev:
    ...             build(child)
    ...         topo.append(v)
    ...     build(root)
    ...     return topo
    >>> exercises.check_topological_sort(build_topo).mistake
    'duplicates'
    """
    _check_callable(fn, "check_topological_sort", "your topological sort")
    ex = "topological sort"
    for what, build in [("a single leaf", lambda: _v(1.0, "x"))] + _GRAPHS:
        root = build()
        try:
            got = fn(root)
        except Exception as err:
            return _error(ex, f"Your sort on {what}", err)
        report = _judge_order(ex, what, root, got)
        if report is not None:
            return report
    root = _chain(_DEEP)
    try:
        got = fn(root)
    except RecursionError:
        return Report(ex, passed=True, message=(
            f"every order is valid; but on a chain {_DEEP} deep your recursion hit Python's "
            f"limit (RecursionError). That is fine for the lecture's graphs; {_ITERATIVE}."))
    except Exception as err:
        return _error(ex, f"Your sort on a chain {_DEEP} deep", err)
    report = _judge_order(ex, f"a chain {_DEEP} deep", root, got)
    if report is not None:  # (not `report or ...`: a failed Report is false)
        return report
    return Report(ex, passed=True, message=(
        f"every order is valid, on {len(_GRAPHS) + 1} small graphs and a chain {_DEEP} deep."))


def _judge_order(ex: str, what: str, root: Value, got: object) -> Optional[Report]:
    if not isinstance(got, (list, tuple)):
        return Report(ex, passed=False, mistake="not-a-list", message=(
            f"On {what} your function returned {type(got).__name__} {got!r:.60}; return the "
            "list topo, filled with topo.append(v) (backward walks reversed(topo))."))
    for i, v in enumerate(got):
        if not isinstance(v, Value):
            return Report(ex, passed=False, mistake="not-a-list", message=(
                f"On {what} item {i} of your list is {type(v).__name__} {v!r:.40}, not a Value; "
                "append the node v itself, not v.data or v.label."))
    seen: Dict[int, int] = {}
    for i, v in enumerate(got):
        if id(v) in seen:
            return Report(ex, passed=False, mistake="duplicates", message=(
                f"On {what} node {_name(v)} is listed twice (positions {seen[id(v)]} and {i}); "
                "keep a set visited and skip a node already in it."))
        seen[id(v)] = i
    reachable = topological_order(root)
    want = {id(v) for v in reachable}
    lost = sorted((v for v in reachable if id(v) not in seen), key=_name)  # by name: easy to read
    if lost:
        return Report(ex, passed=False, mistake="missing", message=(
            f"On {what} your list has {len(got)} nodes, the graph {len(reachable)}: "
            f"{', '.join(_name(v) for v in lost[:3])} {'is' if len(lost) == 1 else 'are'} missing. "
            "Visit every child in v._prev, leaves included."))
    if len(seen) != len(want):
        return Report(ex, passed=False, mistake="wrong", message=(
            f"On {what} your list has {len(got)} nodes but only {len(reachable)} are reachable "
            "from the root; list only nodes reached through _prev."))
    bad = _first_violation(got)
    if bad is None:
        return None
    if _first_violation(list(reversed(got))) is None and len(got) > 1:
        return Report(ex, passed=False, mistake="reversed", message=(
            f"On {what} your list starts with the root {_name(got[0])} and ends with "
            f"{_name(got[-1])}; append a node after its children, so that the root comes last."))
    parent, child = bad
    return Report(ex, passed=False, mistake="topological-order", message=(
        f"On {what} {_name(parent)} comes before its input {_name(child)}; append a node only "
        "after all of its children (recurse into v._prev first, then topo.append(v))."))


def _first_violation(order: List[Value]):
    """(parent, child) for the first node listed before one of its inputs, or None."""
    pos = {id(v): i for i, v in enumerate(order)}
    for i, v in enumerate(order):
        for p in v._prev:
            if pos[id(p)] > i:
                return v, p
    return None


# --- backward ----------------------------------------------------------------------


def check_backward(fn: Callable[[Value], object]) -> Report:
    """Check a learner's ``fn(root)`` that fills every node's ``.grad`` by the chain rule.

    >>> from micrograd_like import exercises
    >>> from micrograd_like.engine import topological_order
    >>> def backward(root):            # forgets root.grad = 1.0
    ...     for v in reversed(topological_order(root)):
    ...         v._backward()
    >>> exercises.check_backward(backward).mistake
    'seed'
    """
    _check_callable(fn, "check_backward", "your backward function")
    ex = "backward"
    for what, build in _GRAPHS:
        report = _judge_backward(ex, what, build, fn)
        if report is not None:
            return report
    try:
        report = _judge_backward(ex, f"a chain {_DEEP} deep", lambda: _chain(_DEEP), fn, deep=True)
    except RecursionError:
        return Report(ex, passed=True, message=(
            f"every gradient matches on {len(_GRAPHS)} graphs; but on a chain {_DEEP} deep your "
            f"recursion hit Python's limit (RecursionError). Fine for the lecture; {_ITERATIVE}."))
    if report is not None:  # (not `report or ...`: a failed Report is false)
        return report
    return Report(ex, passed=True, message=(
        f"every gradient matches, on {len(_GRAPHS)} graphs with re-used nodes and a chain "
        f"{_DEEP} deep."))


def _judge_backward(ex: str, what: str, build: Callable[[], Value], fn: Callable,
                    deep: bool = False) -> Optional[Report]:
    root = build()
    try:
        fn(root)
    except Exception as err:
        if deep and isinstance(err, RecursionError):
            raise  # check_backward passes it, with a note
        return _error(ex, f"Your backward on {what}", err)
    nodes = topological_order(root)
    got = [v.grad for v in nodes]
    for v in nodes:
        if not _is_number(v.grad):
            return _not_a_number(ex, f"{_name(v)}.grad on {what}", v.grad)
    want = _simulate(build, "reversed")
    if all(_close(g, w) for g, w in zip(got, want)):
        return None
    k = next(i for i in reversed(range(len(nodes))) if not _close(got[i], want[i]))
    wrong = f"{_name(nodes[k])}.grad is {fmt(got[k])}, expected {fmt(want[k])}"
    if root.grad == 0.0 and not any(got):
        return Report(ex, passed=False, mistake="seed", message=(
            f"On {what} every .grad is still 0, root's too; set root.grad = 1.0 before the walk "
            "(d root / d root = 1), then go from the root down."))
    if _same(got, _simulate(build, "leaves-first")):
        return Report(ex, passed=False, mistake="not-reversed", message=(
            f"On {what} {wrong}: only the root's own inputs got a gradient. You walked topo from "
            "the leaves up, so each node passed on its .grad before it had one; use reversed(topo)."))
    if _same(got, _simulate(build, "reversed", assign=True)) or build is _leaf_twice:
        return Report(ex, passed=False, mistake="accumulate", message=(
            f"On {what} {wrong}: a node used twice kept only its last gradient. Add to it "
            "(child.grad += ...), never child.grad = ...: every use contributes."))
    if _same(got, _simulate(build, "twice")):
        return Report(ex, passed=False, mistake="duplicates", message=(
            f"On {what} {wrong}: a node's _backward ran twice, passing its gradient on twice. "
            "Your topological sort lists a node more than once: give it a visited set."))
    early = any(_same(got, _simulate(build, walk)) for walk in ("breadth-first", "depth-first"))
    if early or build in (_early, _diamond):
        return Report(ex, passed=False, mistake="topological-order", message=(
            f"On {what} {wrong}: {_too_early(nodes, got, want, k)} Visit the nodes in reverse "
            "topological order: for v in reversed(topo): v._backward()."))
    return Report(ex, passed=False, mistake="wrong", message=(
        f"On {what} {wrong}; each node should add local derivative * its own .grad to every "
        "input's .grad, nodes taken in reversed(topo) after root.grad = 1.0."))


def _too_early(nodes: List[Value], got: List[float], want: List[float], k: int) -> str:
    """Name the re-used node that passed its gradient on before it was complete."""
    pos = {id(v): i for i, v in enumerate(nodes)}
    users: Dict[int, List[Value]] = {}
    for v in nodes:
        for p in v._prev:
            users.setdefault(id(p), []).append(v)
    for c in users.get(id(nodes[k]), []):
        uses = users.get(id(c), [])
        if len(uses) > 1 and _close(got[pos[id(c)]], want[pos[id(c)]]):
            return (f"{_name(c)}, used by {' and '.join(_name(u) for u in uses)}, passed its "
                    f"gradient on before all of them had added to {_name(c)}.grad.")
    return "a node used more than once passed its gradient on before all its uses had added theirs."


def _same(got: List[float], other: List[float]) -> bool:
    return all(_close(g, o) for g, o in zip(got, other))


def _simulate(build: Callable[[], Value], walk: str, assign: bool = False) -> List[float]:
    """The gradients a walk gives on a fresh copy, in topological_order (the oracle
    itself is walk="reversed"; the others are the learners' wrong walks)."""
    root = build()
    topo = topological_order(root)
    if walk == "reversed":
        order = list(reversed(topo))
    elif walk == "leaves-first":
        order = topo
    elif walk == "twice":  # reversed build_topo without a visited set: once per path
        order, stack = [], [(root, False)]
        while stack:
            v, done = stack.pop()
            if done:
                order.append(v)
            else:
                stack.append((v, True))
                stack.extend((p, False) for p in reversed(v._prev))
        order.reverse()
    else:  # from the root down, each node once, without waiting for its users
        order, seen, todo = [], {id(root)}, deque([root])
        while todo:
            v = todo.popleft() if walk == "breadth-first" else todo.pop()
            order.append(v)
            for p in v._prev:
                if id(p) not in seen:
                    seen.add(id(p))
                    todo.append(p)
    root.grad = 1.0
    for v in order:
        if not v._prev:
            continue
        grads = RULES[v._op](v.grad, v.data, *[p.data for p in v._prev], *v._arg)
        for p, g in zip(v._prev, grads):
            p.grad = g if assign else p.grad + g
    return [v.grad for v in topo]

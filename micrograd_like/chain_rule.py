"""The chain rule in words, with your numbers, on your own graph.

``explain(output, wrt)`` derives d(output)/d(wrt) as on paper: every path
from output down to wrt, each step's local derivative (its rule, then the
numbers plugged in), the product along each path, and the sum wherever a
value is used more than once, ending at exactly what ``backward()`` gives.
``backward_steps`` lists what ``backward()`` does node by node (``x.grad +=
0.5 × 2 = 1``), ``forward_steps`` the forward pass. No ``.grad`` changes.

>>> from micrograd_like import Value
>>> x = Value(2.0, label="x"); a = x + x; a.label = "a"; y = a * x; y.label = "y"
>>> print(explain(y, x))  # doctest: +ELLIPSIS
dy/dx = 8, by the chain rule on your graph
...
  x is used 3 times: x.grad = 4 (from y) + 2 (from a) + 2 (from a) = 8
...
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from micrograd_like._format import fmt
from micrograd_like.engine import RULES, Value, custom_backward, topological_order, uses_custom_backward

__all__ = ["explain", "backward_steps", "forward_steps", "Explanation", "Path", "Link",
           "Sum", "Use", "BackwardStep", "Term", "ForwardStep", "PATH_COUNT_CAP"]

# Paths are counted exactly up to this many, then counting stops: the count
# for a graph a million nodes deep can have 300000 digits.
PATH_COUNT_CAP = 10**18

Closure = Optional[Callable[[], None]]


# --- the data ---------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Term:
    """What one input gets in one backward step: ``input.grad += contribution``.

    >>> t = backward_steps(Value(2.0, label="x") * 3)[0].terms[0]
    >>> t.input_name, t.rule, t.numbers, t.contribution
    ('x', 'n1', '3', 3.0)
    """
    input: Value
    index: int  # position in node._prev
    local: float  # d node/d input
    rule: str  # the local derivative in symbols: "1 − o²"
    numbers: str  # and with the numbers plugged in: "1 − 0.7071²"
    contribution: float  # exactly what backward() adds (upstream × local, by RULES)
    grad_before: float  # the input's running gradient before and after
    grad_after: float
    input_name: str = ""


@dataclass(frozen=True, eq=False)
class BackwardStep:
    """One interior node's turn in ``backward()``; ``terms`` in the order it adds them.

    >>> step = backward_steps(Value(2.0, label="x").tanh())[0]
    >>> step.op, step.upstream, len(step.terms), step.skipped
    ('tanh', 1.0, 1, False)
    """
    node: Value
    op: str
    upstream: float  # the node's gradient when its rule runs
    terms: Tuple[Term, ...]
    name: str = ""

    @property
    def skipped(self) -> bool:
        """Upstream 0: backward() passes nothing on (each term adds 0.0, changes nothing)."""
        return self.upstream == 0.0

    def __str__(self) -> str:
        name = _wrap(self.name)
        op = f"a neuron, {self.node._arg[0] or 'linear'}" if self.op == "linear" else self.op
        head = f"{name} ({op}): upstream {name}.grad = {fmt(self.upstream)}"
        if self.skipped:
            return head + " (0: nothing to pass on)"
        return "\n".join([head] + [
            f"  {_wrap(t.input_name)}.grad += {_num(self.upstream)} × {_num(t.local)} = "
            f"{fmt(t.contribution)}  (now {fmt(t.grad_after)})" for t in self.terms])


@dataclass(frozen=True, eq=False)
class ForwardStep:
    """One interior node of the forward pass: ``name = formula = numbers = value``.

    >>> s = forward_steps(Value(2.0, label="x") * 3)[0]
    >>> s.formula, s.numbers, s.value
    ('x * n1', '2 × 3', 6.0)
    """
    node: Value
    name: str
    op: str
    inputs: Tuple[Value, ...]
    formula: str  # e.g. "a * b"
    numbers: str  # e.g. "2 × (-3)"
    value: float

    def __str__(self) -> str:
        return f"{self.name} = {self.formula} = {self.numbers} = {fmt(self.value)}"


@dataclass(frozen=True, eq=False)
class Link:
    """One step of a path: from ``node`` to its input number ``index``; ``local`` = d node/d input.

    >>> x = Value(0.5, label="x"); link = explain(x.tanh(), x).paths[0].links[0]
    >>> link.rule, link.numbers, round(link.local, 4)
    ('1 − n1²', '1 − 0.4621²', 0.7864)
    """
    node: Value
    input: Value
    index: int
    local: float
    names: Dict[Value, str] = field(default_factory=dict, repr=False)  # the graph's names

    # rule and numbers are made when asked for, as in Term: a path can be a million links long.
    rule = property(lambda self: _rule_text(self.node, self.index, self.names)[0],
                    doc='The local derivative in symbols, e.g. "1 − o²".')
    numbers = property(lambda self: _rule_text(self.node, self.index, self.names)[1] or fmt(self.local),
                       doc='The local derivative with the numbers plugged in, e.g. "1 − 0.7071²".')


@dataclass(frozen=True, eq=False)
class Path:
    """A path from the output down to wrt: its links (output first) and their product.

    >>> x = Value(2.0, label="x"); paths = explain(x * x, x).paths  # x * x: two paths down to x
    >>> [(len(p.links), p.product) for p in paths]
    [(1, 2.0), (1, 2.0)]
    """
    links: Tuple[Link, ...]
    product: float


@dataclass(frozen=True, eq=False)
class Use:
    """One use of a value, as input ``index`` of ``consumer``, which passes back ``contribution``.

    >>> x = Value(2.0, label="x"); uses = explain(x * x, x).sums[0].uses
    >>> [(u.index, u.contribution) for u in uses]
    [(0, 2.0), (1, 2.0)]
    """
    consumer: Value
    index: int
    contribution: float


@dataclass(frozen=True, eq=False)
class Sum:
    """A value used more than once: its gradient is the sum of what its uses pass back.

    >>> x = Value(2.0, label="x"); s = explain(x * x, x).sums[0]
    >>> s.node is x, s.total, len(s.uses)
    (True, 4.0, 2)
    """
    node: Value
    uses: Tuple[Use, ...]  # all of them, in the order backward() adds them
    total: float  # exactly node.grad after output.backward()


# --- names and formulas -------------------------------------------------------------
def _names(order: List[Value]) -> Dict[Value, str]:
    # draw_dot's node ids are n<i>, i = place in topological_order(output):
    # the same names here, so that the text and the picture agree.
    return {v: v.label or f"n{i}" for i, v in enumerate(order)}


def _num(x: float, digits: Optional[int] = 4) -> str:
    """A number inside a formula, to ``digits`` (None: all); negative ones in parentheses."""
    s = fmt(x) if digits == 4 else repr(x) if digits is None else f"{x:.{digits}g}"
    return f"({s})" if x < 0 else s


def _digits(xs: Sequence[float], f: Callable[..., float]) -> Optional[int]:
    """Digits for xs (None: all) so f of the shown xs is f(*xs) to 0.1%: 1 − (-0.9999997749)²."""
    try:
        return next((d for d in (4, 6, 8, 10, 12) if abs(
            f(*(float(f"{x:.{d}g}") for x in xs)) - f(*xs)) <= 1e-3 * abs(f(*xs))), None)
    except (ArithmeticError, ValueError, TypeError):
        return 4  # the rule fails at these numbers: nothing to agree with


def _wrap(name: str) -> str:  # "dn/d(x1*w1 + x2*w2)"
    return name if re.match(r"\w+$", name) else f"({name})"


class _Slots:
    """A node's inputs for str.format: ``{p[3]}`` is the name (or number) of input 3."""

    def __init__(self, v: Value, names: Optional[Dict[Value, str]], digits: Optional[int] = 4):
        self.v, self.names, self.digits = v, names, digits

    def __getitem__(self, i: int) -> str:
        p = self.v._prev[i]
        return _num(p.data, self.digits) if self.names is None else _wrap(self.names[p])


_LONE = re.compile(r"\{p\[(\d+)\]\}$")
_DOUBLE = re.compile(r"\(\(([^()]*)\)\)")  # tanh((-4)) -> tanh(-4)


def _fill(template: str, v: Value, names: Dict[Value, str], i: Optional[int] = None) -> Tuple[str, str]:
    """The template filled in twice: with the names, and with the numbers (to d v/d input i)."""
    lone = _LONE.match(template)
    if lone:  # a bare input: its number needs no parentheses
        return template.format(p=_Slots(v, names)), fmt(v._prev[int(lone.group(1))].data)
    named = template.format(p=_Slots(v, names), o=_wrap(names[v]), times="*")
    d = 4 if i is None else _digits([v.data] + [p.data for p in v._prev],
                                    lambda o, *ps: RULES[v._op](1.0, o, *ps, *v._arg)[i])
    numbers = template.format(p=_Slots(v, None, d), o=_num(v.data, d), times="×")
    return _DOUBLE.sub(r"(\1)", named), _DOUBLE.sub(r"(\1)", numbers)


def _linear_local(v: Value, i: int) -> str:
    # prev = (x_1..x_n, w_1..w_n, b); d/dx_i = act' × w_i, d/dw_i = act' × x_i
    n = (len(v._prev) - 1) // 2
    act = {"relu": "(1 if {o} > 0 else 0)", "tanh": "(1 − {o}²)", "sigmoid": "{o} × (1 − {o})"}
    other = "{p[%d]}" % (i + n) if i < n else ("{p[%d]}" % (i - n) if i < 2 * n else "")
    return " × ".join(s for s in (act.get(v._arg[0], ""), other) if s) or "1"


def _power_local(v: Value, i: int) -> str:
    n = v._arg[0]
    return "0" if n == 0 else f"{fmt(n)} × {{p[0]}}" + ("" if n == 2 else f"^{fmt(n - 1)}")


# d node/d input i, as a template: {o} is the node, {p[k]} its input k. One
# line per op, as in engine.RULES, whose numbers these lines explain.
_LOCAL: Dict[str, Callable[[Value, int], str]] = {
    "+": lambda v, i: "1",
    "-": lambda v, i: "1" if i == 0 else "−1",
    "*": lambda v, i: "{p[1]}" if i == 0 else "{p[0]}",
    "/": lambda v, i: "1 / {p[1]}" if i == 0 else "−{p[0]} / {p[1]}²",
    "neg": lambda v, i: "−1",
    "**": _power_local,
    "pow": lambda v, i: "{p[1]} × {p[0]}^({p[1]} − 1)" if i == 0 else "{o} × ln({p[0]})",
    "exp": lambda v, i: "exp({p[0]})",
    "log": lambda v, i: "1 / {p[0]}",
    "sin": lambda v, i: "cos({p[0]})",
    "cos": lambda v, i: "−sin({p[0]})",
    "tanh": lambda v, i: "1 − {o}²",
    "sigmoid": lambda v, i: "{o} × (1 − {o})",
    "relu": lambda v, i: "1 if {p[0]} > 0 else 0",
    "leaky_relu": lambda v, i: "1 if {p[0]} > 0 else " + fmt(v._arg[0]),
    "abs": lambda v, i: "sign({p[0]})",
    "sum": lambda v, i: "1",
    "dot": lambda v, i: "{p[%d]}" % ((i + len(v._prev) // 2) % len(v._prev)),
    "linear": _linear_local,
}


def _terms(n: int, term: str, keep: int = 4) -> str:
    # A sum, dot or neuron with many inputs: the first few terms, then a count.
    parts = [term.format(i=i, j=i + n) for i in range(min(n, keep))]
    return " + ".join(parts) + (f" + … ({n - keep} more)" if n > keep else "")


def _linear_forward(v: Value) -> str:
    n = (len(v._prev) - 1) // 2  # prev = (x_1..x_n, w_1..w_n, b)
    z, act = _terms(n, "{{p[{i}]}} {{times}} {{p[{j}]}}") + " + {p[%d]}" % (2 * n), v._arg[0]
    return z if act in (None, "linear") else f"{act}({z})"


_FORWARD: Dict[str, Callable[[Value], str]] = {  # the others are written f(a)
    "+": lambda v: "{p[0]} + {p[1]}",
    "-": lambda v: "{p[0]} - {p[1]}",
    "*": lambda v: "{p[0]} {times} {p[1]}",
    "/": lambda v: "{p[0]} / {p[1]}",
    "neg": lambda v: "-{p[0]}",
    "**": lambda v: "{p[0]}**" + fmt(v._arg[0]),
    "pow": lambda v: "{p[0]}**{p[1]}",
    "leaky_relu": lambda v: "leaky_relu({p[0]}, " + fmt(v._arg[0]) + ")",
    "sum": lambda v: _terms(len(v._prev), "{{p[{i}]}}"),
    "dot": lambda v: _terms(len(v._prev) // 2, "{{p[{i}]}} {{times}} {{p[{j}]}}"),
    "linear": _linear_forward,
}


def _forward_text(v: Value, names: Dict[Value, str]) -> Tuple[str, str]:
    make = _FORWARD.get(v._op)
    args = ", ".join("{p[%d]}" % i for i in range(len(v._prev)))
    return _fill(make(v) if make else f"{v._op}({args})", v, names)


# --- local derivatives: the engine's own rules, or the user's _backward -------------
def _grads(v: Value, g: float, closure: Closure, where: str) -> Tuple[float, ...]:
    """What backward() adds to each input of v when v's gradient is g."""
    if closure is not None:
        # Run the user's _backward with v.grad = g, its inputs' at 0; read what it added, undo.
        saved = [(p, p.grad) for p in v._prev] + [(v, v.grad)]
        try:
            for p in v._prev:
                p.grad = 0.0
            v.grad = g
            closure()
            # (an input used twice gets both of its uses at its first place)
            return tuple(0.0 if p in v._prev[:i] else p.grad for i, p in enumerate(v._prev))
        finally:
            for p, old in reversed(saved):
                p.grad = old
    rule = RULES.get(v._op)
    if rule is None:
        raise ValueError(f"{where}: node {v!r} has op {v._op!r}, which has no rule in "
                         "micrograd_like.engine.RULES and no _backward of its own; build it "
                         "from Value's operations, or give it a _backward (micrograd style)")
    try:
        return tuple(rule(g, v.data, *[p.data for p in v._prev], *v._arg))
    except (ArithmeticError, ValueError) as err:
        raise type(err)(f"{where}: the rule of {v._op!r} at {v!r} fails: {err}") from err


def _rule_text(v: Value, i: int, names: Dict[Value, str]) -> Tuple[str, str]:
    """(rule, numbers) for d v/d input i; numbers is "" when only the result can be shown."""
    local = _LOCAL.get(v._op)
    if custom_backward(v) is not None:
        return "your own _backward", ""
    if local is None:  # an op added to RULES but not (yet) to _LOCAL
        return f"RULES[{v._op!r}]", ""
    return _fill(local(v, i), v, names, i)


# --- backward and forward, step by step ------------------------------------------------
def _check_value(x: object, where: str, what: str = "output", fix: str = "") -> None:
    if not isinstance(x, Value):
        fix = fix or f"pass the Value you would call backward() on, e.g. {where}(loss)"
        raise TypeError(f"{where}: {what} must be a Value, got {type(x).__name__} {x!r}; {fix}")


def _backward_pass(output: Value, where: str, only: Optional[Dict[Value, int]] = None
                   ) -> Iterator[Tuple[Value, float, Closure, list]]:
    """backward() in a dict: yields (node, upstream, closure, [(i, contribution, before, after)]),
    passing over the nodes v with only[v] == 0 (their gradients reach no node asked for)."""
    grads: Dict[Value, float] = {output: 1.0}  # as backward() does from all-zero grads
    order = topological_order(output, leaves=False)  # (with a closure: backward()'s plain walk,
    plain = uses_custom_backward(order)  # closures run whatever their upstream, RULES order)
    for v in reversed(order):
        if only is not None and not only[v]:
            continue
        g = grads.get(v, 0.0)
        closure = custom_backward(v)
        run = g != 0.0 or closure is not None  # backward() skips a rule when g == 0
        contrib = _grads(v, g, closure, where) if run else None
        adds: Sequence[int] = range(len(v._prev))
        if v._op == "linear" and closure is None and not plain:
            # backward()'s fast path for a neuron adds w_1, x_1, w_2, x_2, ..., b
            # in this order; it shows (in the last bit) only for an input used twice.
            n = len(v._prev) // 2
            adds = [k for i in range(n) for k in (i + n, i)] + [2 * n]
        applied = []
        for i in adds:
            p = v._prev[i]
            before = grads.get(p, 0.0)
            c = 0.0 if contrib is None else contrib[i]
            grads[p] = after = before if contrib is None else before + c
            applied.append((i, c, before, after))
        yield v, g, closure, applied


def backward_steps(output: Value) -> List[BackwardStep]:
    """What ``output.backward()`` does, one interior node at a time, in its order.

    No ``.grad`` changes: the running gradients live in a dict, seeded with
    output = 1, as backward() does from all-zero gradients.

    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); e = a * b
    >>> print(backward_steps(e)[0])
    n2 (*): upstream n2.grad = 1
      a.grad += 1 × (-3) = -3  (now -3)
      b.grad += 1 × 2 = 2  (now 2)
    """
    _check_value(output, "backward_steps")
    names = _names(topological_order(output))
    steps = []
    for v, g, closure, applied in _backward_pass(output, "backward_steps"):
        local = _grads(v, 1.0, closure, "backward_steps")
        terms = []
        for i, c, before, after in applied:
            rule, numbers = _rule_text(v, i, names)
            p = v._prev[i]
            terms.append(Term(p, i, local[i], rule, numbers or fmt(local[i]), c, before, after, names[p]))
        steps.append(BackwardStep(v, v._op, g, tuple(terms), names[v]))
    return steps


def forward_steps(output: Value) -> List[ForwardStep]:
    """The forward pass: each interior node in topological order, with its inputs' values.

    >>> a = Value(2.0, label="a"); e = a * -3; e.label = "e"
    >>> [str(s) for s in forward_steps(e)]
    ['e = a * n1 = 2 × (-3) = -6']
    """
    _check_value(output, "forward_steps")
    names = _names(topological_order(output))
    return [ForwardStep(v, names[v], v._op, v._prev, *_forward_text(v, names), v.data)
            for v in topological_order(output, leaves=False)]


# --- explain -------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False, repr=False)
class Explanation:
    """d(output)/d(wrt), derived: ``print()`` it, show it in Jupyter, or read its data.

    >>> x = Value(2.0, label="x"); e = explain(x * x, x)
    >>> e.grad, e.path_count, e.lines[0]
    (4.0, 2, ('title', 'dn1/dx = 4, by the chain rule on your graph'))
    """
    output: Value
    wrt: Value
    grad: float  # exactly what output.backward() puts in wrt.grad
    paths: Tuple[Path, ...]  # the paths shown
    path_count: int  # how many there are in all (counting stops at PATH_COUNT_CAP)
    sums: Tuple[Sum, ...]  # the values used more than once shown (wrt always, if it is one)
    sum_count: int  # how many there are in all
    lines: Tuple[Tuple[str, str], ...]  # the text: (kind, text), kind title/head/path/step/note

    def __str__(self) -> str:
        indent = {"title": "", "head": "\n", "path": "  ", "step": "    ", "note": "  "}
        return "\n".join(indent[kind] + text for kind, text in self.lines)

    __repr__ = __str__  # explain(o, x) at the prompt: a learner wants to read it

    def _repr_html_(self) -> str:
        style = {"title": "font-weight: bold", "head": "margin-top: 0.8em",
                 "path": "margin-left: 1em", "step": "margin-left: 3em",
                 "note": "margin-left: 1em; font-style: italic"}
        rows = "".join(f'<div style="{style[k]}">{html.escape(t)}</div>' for k, t in self.lines)
        return ('<div class="micrograd-like-explain" style="font-family: ui-monospace, '
                f'Menlo, Consolas, monospace; line-height: 1.5">{rows}</div>')


def _count_paths(order: List[Value], wrt: Value) -> Dict[Value, int]:
    # Paths from each node down to wrt, by dynamic programming over the
    # topological order: a node's count is the sum of its inputs' counts.
    reach: Dict[Value, int] = {}
    for v in order:
        reach[v] = 1 if v is wrt else min(sum(reach[p] for p in v._prev), PATH_COUNT_CAP)
    return reach


def _list_paths(output: Value, wrt: Value, reach: Dict[Value, int], limit: int,
                link: Callable[[Value, int], Link]) -> List[Path]:
    """The first ``limit`` paths: depth first, inputs in order, with a stack (no recursion)."""
    if output is wrt:
        return [Path((), 1.0)]
    paths: List[Path] = []
    frames = [[output, 0, 1.0]]  # [node, next input to try, product of the links down to it]
    links: List[Link] = []  # links[k] leads from frames[k] down to frames[k + 1]
    while frames and len(paths) < limit:
        v, i, product = frames[-1]
        prev = v._prev
        while i < len(prev) and not reach[prev[i]]:  # inputs that never reach wrt
            i += 1
        if i == len(prev):  # done with v: back up to the node above
            frames.pop()
            if links:
                links.pop()
            continue
        frames[-1][1] = i + 1
        step = link(v, i)
        if prev[i] is wrt:
            paths.append(Path(tuple(links) + (step,), product * step.local))
        else:
            links.append(step)
            frames.append([prev[i], 0, product * step.local])
    return paths


def _sums(order: List[Value], output: Value, wrt: Value, reach: Dict[Value, int],
          limit: int) -> Tuple[List[Sum], int, float]:
    """The values used more than once on the way to wrt (at most ``limit``), their
    count, and d(output)/d(wrt), all as backward() adds them up."""
    uses = Counter(p for v in order for p in v._prev)
    shared = [v for v in reversed(order) if reach[v] and uses[v] > 1]
    shown = shared if len(shared) <= limit else shared[: limit - 1] + shared[-1:]  # wrt is last
    collected: Dict[Value, List[Use]] = {v: [] for v in shown}
    totals = {output: 1.0}
    for v, _, _, applied in _backward_pass(output, "explain", only=reach):
        for i, c, _, after in applied:
            p = v._prev[i]
            if p in collected:
                collected[p].append(Use(v, i, c))
                totals[p] = after
            elif p is wrt:
                totals[p] = after
    return [Sum(v, tuple(collected[v]), totals[v]) for v in shown], len(shared), totals[wrt]


def explain(output: Value, wrt: Value, *, max_paths: int = 10, max_steps: int = 12) -> Explanation:
    """Derive d(output)/d(wrt) on your graph, with every rule and number written out.

    Shows at most ``max_paths`` paths (and values used more than once) and
    at most ``max_steps`` steps of each path, with a note saying what was
    left out. A neuron made by ``linear()`` is one step. No ``.grad`` changes.

    >>> x = Value(3.0, label="x"); y = (x * x).tanh()
    >>> e = explain(y, x); y.backward()
    >>> e.grad == x.grad, len(e.paths)
    (True, 2)
    """
    _check_value(output, "explain", fix="pass the Value you would call backward() on, e.g. explain(loss, w)")
    _check_value(wrt, "explain", "wrt", "pass one Value at a time, e.g. explain(loss, model.parameters()[0])")
    for name, x in (("max_paths", max_paths), ("max_steps", max_steps)):
        if type(x) is not int or x < 1:
            raise ValueError(f"explain: {name} must be a positive int, got {x!r}; e.g. {name}=10")
    order = topological_order(output)
    names = _names(order)
    if wrt not in names:
        raise ValueError(f"explain: wrt {wrt!r} is not in the graph of output {output!r}, so the "
                         "derivative is 0 and there is nothing to explain; pass a Value that "
                         "output was computed from (one of topological_order(output))")
    reach = _count_paths(order, wrt)
    sums, sum_count, grad = _sums(order, output, wrt, reach, max_paths)
    local_grads: Dict[Value, Tuple[float, ...]] = {}

    def link(v: Value, i: int) -> Link:
        if v not in local_grads:  # d v/d each input, once per node
            local_grads[v] = _grads(v, 1.0, custom_backward(v), "explain")
        return Link(v, v._prev[i], i, local_grads[v][i], names)

    paths = _list_paths(output, wrt, reach, max_paths, link)
    ex = dict(output=output, wrt=wrt, grad=grad, paths=tuple(paths), path_count=reach[output],
              sums=tuple(sums), sum_count=sum_count)
    return Explanation(lines=tuple(_lines(ex, names, max_paths, max_steps)), **ex)


# --- the text ------------------------------------------------------------------------------
def _d(top: str, bottom: str) -> str:
    return f"d{_wrap(top)}/d{_wrap(bottom)}"


def _shorten(items: list, keep: int, what: str) -> list:
    # The first and the last few of a long list, and how many were left out.
    if len(items) <= keep:
        return items
    head = (keep + 1) // 2
    return items[:head] + [f"… {len(items) - keep:,} more {what} …"] + items[len(items) - keep + head:]


def _step_line(step: Link, names: Dict[Value, str]) -> str:
    v = step.node
    parts = [step.rule]
    if step.numbers != step.rule:
        parts.append(step.numbers)
    if parts[-1] != fmt(step.local):
        parts.append(fmt(step.local))
    which = f", input {step.index + 1}" if v._prev.count(step.input) > 1 else ""
    return (f"{_d(names[v], names[step.input])} = {' = '.join(parts)}"
            f"    ({names[v]} = {_forward_text(v, names)[0]}{which})")


def _path_lines(k: int, path: Path, names: Dict[Value, str], max_steps: int) -> List[Tuple[str, str]]:
    route = _shorten([path.links[0].node] + [s.input for s in path.links], max_steps + 1, "nodes")
    lines = [("path", f"path {k}: " + " → ".join(r if isinstance(r, str) else names[r] for r in route))]
    shown = _shorten(list(range(len(path.links))), max_steps, "steps")  # format only these
    lines += [("step", i if isinstance(i, str) else _step_line(path.links[i], names)) for i in shown]
    n, product = len(path.links), fmt(path.product)
    factors = " × ".join(_num(s.local) for s in path.links[:max_steps])
    return lines + [("step", f"product of all {n:,} local derivatives: {product}" if n > max_steps
                     else f"product: {product}" if n == 1 else f"product: {factors} = {product}")]


def _lines(ex: dict, names: Dict[Value, str], max_paths: int, max_steps: int) -> List[Tuple[str, str]]:
    top, bottom = names[ex["output"]], names[ex["wrt"]]
    d, grad, paths, count = _d(top, bottom), ex["grad"], ex["paths"], ex["path_count"]
    lines = [("title", f"{d} = {fmt(grad)}, by the chain rule on your graph")]
    if ex["output"] is ex["wrt"]:
        return lines + [("note", f"{top} is wrt itself, and {d} = 1.")]
    many = "more than 10^18 paths" if count >= PATH_COUNT_CAP else f"{count:,} path" + "s" * (count > 1)
    how = "along it" if count == 1 else "along each path, then add the paths"
    lines.append(("head", f"{many} from {top} to {bottom}: multiply the local derivatives {how}."))
    for k, path in enumerate(paths, 1):
        lines += _path_lines(k, path, names, max_steps)
    shown = [p.product for p in paths]
    if count > len(paths):
        rest, left = grad - sum(shown), "more than 10^18" if count >= PATH_COUNT_CAP else f"{count - len(paths):,}"
        lines.append(("note", f"… and {left} more paths, not shown (max_paths={max_paths}); "
                              f"together they add {fmt(rest)}."))
        lines.append(("path", f"sum: the {len(paths)} paths shown add {fmt(sum(shown))}, "
                              f"the others {fmt(rest)}: {fmt(grad)}"))
    elif count > 1:
        terms = _shorten([_num(x) for x in shown], max_steps, "paths")
        lines.append(("path", f"sum over the {count} paths: {' + '.join(terms)} = {fmt(grad)}"))
    if ex["sums"]:
        lines.append(("head", "Values used more than once: backward() adds up what each use passes back."))
    for s in ex["sums"]:
        n, times = names[s.node], "twice" if len(s.uses) == 2 else f"{len(s.uses):,} times"
        terms = _shorten([f"{_num(u.contribution)} (from {names[u.consumer]})" for u in s.uses], max_steps, "uses")
        lines.append(("path", f"{n} is used {times}: {_wrap(n)}.grad = {' + '.join(terms)} = {fmt(s.total)}"))
    if ex["sum_count"] > len(ex["sums"]):
        lines.append(("note", f"… and {ex['sum_count'] - len(ex['sums']):,} more values used more "
                              f"than once, not shown (max_paths={max_paths})."))
    return lines + [("head", f"{d} = {fmt(grad)}: the number {_wrap(top)}.backward() puts in {_wrap(bottom)}.grad.")]

"""The steps of the explorer page, made from ``micrograd_like.chain_rule``.

``build(output, order)`` replays ``backward_steps`` (and ``forward_steps``)
as page steps: a title, the rule lines with the numbers, which nodes to
highlight, and which text on the graph changes ("grad ?" -> "grad 0.5").
Every string is made here, in Python, with the format of ``draw_dot``
(``micrograd_like._format.fmt``), so the page and the picture agree.

>>> from micrograd_like import Value
>>> from micrograd_like.engine import topological_order
>>> x = Value(2.0, label="x"); y = x * 3; y.label = "y"
>>> s = build(y, topological_order(y))
>>> [step["title"] for step in s.page_data({0, 1, 2})["steps"]][1]
'backward() starts at the output: y.grad = 1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

from micrograd_like._format import fmt
from micrograd_like.engine import Value
from micrograd_like.chain_rule import BackwardStep, _digits, _num, backward_steps, forward_steps

__all__ = ["build", "Steps"]

DATA, GRAD = 0, 1  # the two fields of a box the page rewrites (draw_dot's last two)
PENDING = "?"  # what a field shows before it is computed
MAX_LINES = 24  # rule lines shown per step; a wide neuron's rest is summed up


def _wrap(text: str) -> str:
    # A name or rule with spaces or operators goes in parentheses, as in
    # explain: "(x1*w1 + x2*w2).grad", "0.5 × (1 − 0.7071²)".
    return text if _SIMPLE.fullmatch(text) else f"({text})"


_SIMPLE = re.compile(r"[\w.]+")


def _factor(text: str) -> str:
    """``text`` as a factor after "×": in parentheses unless it is a product already."""
    # Loose: a leading minus, or a space outside parentheses that is not
    # part of " × " ("1 − o²", "1 if x > 0 else 0", "your own _backward").
    loose, depth = text.startswith(("-", "\u2212")), 0
    for ch in text.replace(" \u00d7 ", "\u00d7"):
        depth += (ch == "(") - (ch == ")")
        loose = loose or (depth == 0 and ch == " ")
    return f"({text})" if loose else text


@dataclass
class _Step:
    """One step, with nodes as places in topological order (before any view)."""

    phase: str  # "start", "forward", "backward" or "done"
    node: Optional[int]  # the node of this step
    title: str
    # A line is a str, or (node, str) for a line about one node: kept only
    # when that node is drawn (the collapsed view hides weights).
    lines: List[Union[str, Tuple[int, str]]] = field(default_factory=list)
    note: str = ""
    inputs: List[int] = field(default_factory=list)  # the nodes it reads or passes to
    sets: List[Tuple[int, int, str]] = field(default_factory=list)  # (node, DATA/GRAD, text)


class Steps:
    """All steps of a page; ``page_data(shown)`` is what the page's script reads."""

    def __init__(self, order: List[Value], steps: List[_Step], fields: Dict[int, List[str]],
                 widest_grad: Dict[int, float], collapse_consumers: Dict[int, int]) -> None:
        self.order = order
        self.steps = steps
        self.fields = fields
        self.widest_grad = widest_grad  # the grad with the longest text each node shows
        self._consumer = collapse_consumers  # node -> its first consumer

    def page_data(self, shown: Set[int], collapsed: bool = False) -> dict:
        """The steps for a drawing that has boxes for the places in ``shown``.

        In a collapsed drawing some interior nodes have no box of their own
        (a neuron's weighted sum is inside its activation's box): their steps
        join the step of the box they are drawn in, so the page steps one
        box (one neuron) at a time.
        """
        owner = self._owners(shown)
        merged: List[_Step] = []
        open_group = False  # the last step has a hidden part: it may take more
        for s in self.steps:
            box = owner.get(s.node) if s.node is not None else None
            hidden = box is not None and s.node != box
            last = merged[-1] if merged else None
            if last is not None and box is not None and last.node == box \
                    and last.phase == s.phase and (hidden or open_group):
                if hidden:  # e.g. the weighted sum inside a neuron's box
                    last.lines += [s.title + ":"] + [
                        "  " + ln if isinstance(ln, str) else ln for ln in s.lines]
                else:  # the box's own step names the step
                    last.title, last.note = s.title, s.note
                    last.lines += s.lines
                last.inputs += s.inputs
                last.sets += s.sets
                open_group = hidden
                continue
            merged.append(_Step(s.phase, box, s.title, list(s.lines), s.note,
                                list(s.inputs), list(s.sets)))
            open_group = hidden
        return {
            "fields": {f"n{i}": self.fields[i] for i in sorted(shown)},
            "steps": [self._for_page(s, shown, collapsed) for s in merged],
        }

    def _owners(self, shown: Set[int]) -> Dict[int, int]:
        owner: Dict[int, int] = {}
        for i in range(len(self.order) - 1, -1, -1):  # consumers come later
            if i in shown:
                owner[i] = i
            elif i in self._consumer and self._consumer[i] in owner:
                owner[i] = owner[self._consumer[i]]
        return owner

    def _for_page(self, s: _Step, shown: Set[int], collapsed: bool) -> dict:
        lines = [ln if isinstance(ln, str) else ln[1] for ln in s.lines
                 if isinstance(ln, str) or ln[0] in shown]
        note = s.note
        unseen = sorted({p for p in s.inputs if p not in shown and not self.order[p]._prev})
        if unseen:  # the collapsed view hides weights, biases and constants
            names = ", ".join(self.order[p].label or f"n{p}" for p in unseen[:8])
            more = f" and {len(unseen) - 8} more" if len(unseen) > 8 else ""
            note += f" Weights, biases and constants are not drawn in this view: {names}{more}."
        if len(lines) > MAX_LINES:
            lines = lines[: MAX_LINES - 1] + [f"… and {len(lines) - MAX_LINES + 1} more lines"]
        targets = sorted({p for p in s.inputs if p in shown})
        current, edges = [], []
        if s.node is not None:
            n = f"n{s.node}"
            if collapsed:
                current = [n]
                edges = [f"n{p}->{n}" for p in targets]
            else:
                current = [n, n + "_op"] if s.inputs else [n]
                edges = [f"n{p}->{n}_op" for p in targets] + ([f"{n}_op->{n}"] if s.inputs else [])
        return {
            "phase": s.phase,
            "title": s.title,
            "lines": lines,
            "note": note,
            "current": current,
            "targets": [f"n{p}" for p in targets],
            "edges": edges,
            "set": [[f"n{i}", which, text] for i, which, text in s.sets if i in shown],
        }


def build(output: Value, order: Sequence[Value], forward: bool = False) -> Steps:
    """The page's steps for ``output``; ``order`` is ``topological_order(output)``."""
    order = list(order)
    place = {v: i for i, v in enumerate(order)}
    name = {v: _wrap(v.label or f"n{i}") for i, v in enumerate(order)}  # explain's names
    out = place[output]
    fsteps = forward_steps(output)
    formula = {place[f.node]: f.formula for f in fsteps}
    computed = {place[f.node]: str(f) for f in fsteps}  # "y = a * x = 4 × 2 = 8"

    fields = {}
    for i, v in enumerate(order):
        data = PENDING if forward and v._prev else fmt(v.data)
        fields[i] = ["data " + data, "grad " + PENDING]

    steps: List[_Step] = []
    if forward:
        steps.append(_Step(
            "start", None, "Before the forward pass: only the leaves hold values",
            [(i, f"{name[v]}.data = {fmt(v.data)}") for i, v in enumerate(order) if not v._prev],
            "Press → (or next) to compute the graph one node at a time; gradients come after."))
        for f in fsteps:
            i = place[f.node]
            steps.append(_Step("forward", i, f"Forward: compute {_wrap(f.name)}", [str(f)],
                               "Each node is computed from its inputs, which are already known.",
                               [place[p] for p in f.inputs], [(i, DATA, "data " + fmt(f.value))]))
    else:
        steps.append(_Step(
            "start", None, "The forward pass is done: every box holds its value (data)",
            [computed.get(out, f"{name[output]} = {fmt(output.data)}")],
            "No gradient is computed yet (grad ?). Press → (or next) to step through "
            "backward(), one node at a time, in the order it uses."))

    shows: Dict[int, List[float]] = {out: [1.0]}
    steps.append(_Step(
        "backward", out, f"backward() starts at the output: {name[output]}.grad = 1",
        [f"{name[output]}.grad = d{name[output]}/d{name[output]} = 1"],
        "Then each node, outputs first, passes its gradient on to its inputs "
        "by the chain rule: input.grad += node.grad × (local derivative).",
        [], [(out, GRAD, "grad 1")]))
    touched = {out}
    for b in backward_steps(output):
        steps.append(_backward_step(b, place, formula, touched, shows))

    steps.append(_done(output, order, name, touched, shows))
    widest = {i: max(vals, key=lambda g: len(fmt(g))) for i, vals in shows.items()}
    consumer: Dict[int, int] = {}
    for i, v in enumerate(order):
        for p in v._prev:
            consumer.setdefault(place[p], i)
    return Steps(order, steps, fields, widest, consumer)


def _backward_step(b: BackwardStep, place: Dict[Value, int], formula: Dict[int, str],
                   touched: Set[int], shows: Dict[int, List[float]]) -> _Step:
    """One BackwardStep of explain as a page step."""
    i = place[b.node]
    up = fmt(b.upstream)
    me = _wrap(b.name)
    title = f"{me} = {formula[i]}: pass {me}.grad = {up} on to its inputs"
    lines, sets, inputs = [], [], []
    if b.skipped:
        lines.append(f"{me}.grad = 0: there is nothing to pass on, so backward() skips it")
        if i not in touched:  # no gradient reached it at all: it stays 0
            touched.add(i)
            sets.append((i, GRAD, "grad 0"))
            shows.setdefault(i, []).append(0.0)
    for t in b.terms:
        p = place[t.input]
        inputs.append(p)
        if b.skipped:
            continue
        to = _wrap(t.input_name)
        # (as in explain, with more digits where 4 would not give the result shown)
        d = _digits([b.upstream], lambda u: u * t.local)
        lines.append(f"{to}.grad += {me}.grad × {_factor(t.rule)} = "
                     f"{_num(b.upstream, d)} × {_factor(t.numbers)} = {fmt(t.contribution)}")
        if p in touched:  # a value used more than once: its gradient adds up
            d = _digits([t.grad_before, t.contribution], lambda a, c: a + c)
            lines.append(f"    so {to}.grad = {_num(t.grad_before, d).strip('()')} + "
                         f"{_num(t.contribution, d)} = {fmt(t.grad_after)} (it adds up)")
        touched.add(p)
        sets.append((p, GRAD, "grad " + fmt(t.grad_after)))
        shows.setdefault(p, []).append(t.grad_after)
    return _Step("backward", i, title, lines, _note(b.op), inputs, sets)


# One sentence per op on what its rule does, shown under the numbers.
_NOTES = {
    "+": "Addition passes the gradient on unchanged: its local derivative is 1.",
    "-": "Subtraction passes the gradient on, with a minus sign for the right side.",
    "*": "Multiplication: each input gets the gradient times the other input.",
    "/": "Division a / b: a gets grad / b, b gets −grad × a / b².",
    "neg": "Negation passes the gradient on with its sign flipped.",
    "**": "The power rule: d(x**n)/dx = n × x**(n − 1).",
    "pow": "A power a**b: a by the power rule, b by b's rule, a**b × ln(a).",
    "exp": "exp is its own derivative: the local derivative is the output itself.",
    "log": "log: the local derivative is 1 / input.",
    "sin": "sin: the local derivative is cos(input).",
    "cos": "cos: the local derivative is −sin(input).",
    "abs": "abs: the local derivative is the sign of the input.",
    "tanh": "tanh: the local derivative is 1 − out², from the value computed forward.",
    "sigmoid": "sigmoid: the local derivative is out × (1 − out), from the value computed forward.",
    "relu": "ReLU: the gradient passes where the input was positive, else it stops.",
    "leaky_relu": "Leaky ReLU: the gradient passes where the input was positive, else a small share.",
    "sum": "A sum passes the gradient on unchanged to every term.",
    "dot": "A weighted sum: each x gets grad × its weight, each weight grad × its x.",
    "linear": "A neuron: each weight gets grad × its input, each input grad × its weight, "
              "the bias the grad (times the activation's slope).",
}


def _note(op: str) -> str:
    return _NOTES.get(op, "The chain rule: input.grad += node.grad × d(node)/d(input).")


def _done(output: Value, order: List[Value], name: Dict[Value, str], touched: Set[int],
          shows: Dict[int, List[float]]) -> _Step:
    """The last step: what backward() leaves in the leaves; untouched nodes keep 0."""
    final = {i: vals[-1] for i, vals in shows.items()}
    sets = []
    for i in range(len(order)):
        if i not in touched:  # nothing reached it: backward() leaves its 0
            sets.append((i, GRAD, "grad 0"))
            shows[i] = [0.0]
            final[i] = 0.0
    leaves = [i for i, v in enumerate(order) if not v._prev]
    labelled = [i for i in leaves if order[i].label]
    lines = [(i, f"{name[order[i]]}.grad = {fmt(final[i])}") for i in (labelled or leaves)]
    note = (f"Each .grad is now d{name[output]}/d(that value). "
            "Nodes that no gradient reached keep grad 0.") if len(touched) < len(order) else \
        f"Each .grad is now d{name[output]}/d(that value): what output.backward() computes."
    return _Step("done", None, "backward() is done", lines, note, [], sets)

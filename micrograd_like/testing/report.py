"""What a gradient check found: one row per input and method, and the node that is wrong.

``check`` (and ``check_numpy_grads``) return a ``CheckReport`` when asked not
to raise, and raise ``GradcheckError`` (an ``AssertionError`` that carries the
report) otherwise. The report is True when the check passed, prints as a
table, shows as an HTML table in Jupyter, and can draw the graph with the
wrong node highlighted.

>>> e = Entry("0", 0.5, "grad()", 1.0, 1.0, 1e-12, 1e-10, "ok", False)
>>> r = CheckReport("check", [e], settings="automatic step")
>>> bool(r), r.failing_node is None
(True, True)
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from micrograd_like.engine import Value

__all__ = ["Entry", "NodeReport", "CheckReport", "GradcheckError"]


def _num(x: float) -> str:
    """A float as Python writes it, shortened to 10 significant digits."""
    if x != x:
        return "-"
    text = repr(float(x))
    if len(text) > 12:
        text = f"{x:.10g}"
        if text.lstrip("-").isdigit():  # 1.0000000000000002 -> "1.0", not "1"
            text += ".0"
    return text


def _small(x: float) -> str:
    return "-" if x != x else f"{x:.3g}"


@dataclass(frozen=True)
class Entry:
    """One row: ``analytic`` (the method's derivative) against ``numeric`` (the reference).

    ``error`` is the estimated error of ``numeric`` (NaN when there is
    none), ``tolerance`` what ``|analytic - numeric|`` may be, ``verdict``
    "ok", "FAILED" or "not differentiable here (left slope a, right slope b)",
    and ``failed`` whether the row makes the check fail.

    >>> from micrograd_like.testing import check
    >>> e = check(lambda x: x * x, [3.0], modes=("rev",)).entries[0]
    >>> e.method, e.analytic, round(e.numeric, 9), e.verdict
    ('backward()', 6.0, 6.0, 'ok')
    """

    index: str
    value: float
    method: str
    analytic: float
    numeric: float
    error: float
    tolerance: float
    verdict: str
    failed: bool

    @property
    def abs_error(self) -> float:
        """``|analytic - numeric|``."""
        return abs(self.analytic - self.numeric)


@dataclass(frozen=True)
class NodeReport:
    """A node whose local derivative disagrees with the finite difference of that node alone.

    ``name`` is the node's name in ``draw_dot`` (``n<i>``), ``inputs`` the
    values of its inputs, ``wrt`` the input whose derivative is wrong,
    ``expected`` the finite difference (or the recomputed value, when
    ``source`` says the value itself is wrong), ``got`` what ``source``
    (e.g. ``RULES['sin']``, ``its _backward closure``) gives.

    >>> from micrograd_like import Value
    >>> from micrograd_like.testing import locate
    >>> x = Value(3.0); y = Value(9.0, (x,), "square")  # an op of your own, micrograd's way
    >>> def _backward(): x.grad += x.data * y.grad  # wrong: d(x**2)/dx is 2x
    >>> y._backward = _backward
    >>> print(locate(y, forward={"square": lambda a: a * a})[0][0])
    node n1 = square(3.0) = 9.0: d/d(input 0) expected 6.0 (finite difference of this node alone), got 3.0 from ...
    """

    node: Value
    name: str
    op: str
    inputs: Tuple[float, ...]
    wrt: int
    expected: float
    got: float
    source: str

    def __str__(self) -> str:
        args = ", ".join(_num(x) for x in self.inputs[:4]) + (", ..." if len(self.inputs) > 4 else "")
        consts = [c for c in self.node._arg if c is not None]
        if consts:  # the constants of the op, e.g. the exponent of x ** 2
            args += "; constant " + ", ".join(c if isinstance(c, str) else _num(c) for c in consts)
        where = f"node {self.name} = {self.op}({args}) = {_num(self.node.data)}"
        if self.source == "forward value":
            return (f"{where}: its value is not {self.op} of its inputs: expected "
                    f"{_num(self.expected)}, got {_num(self.got)}")
        if self.source.startswith("its _backward closure, which assigns"):
            return (f"{where}: {self.source}; it added {_num(self.expected)} to an input "
                    f"whose .grad was 0 but {_num(self.got)} to one that held a gradient")
        return (f"{where}: d/d(input {self.wrt}) expected {_num(self.expected)} (finite "
                f"difference of this node alone), got {_num(self.got)} from {self.source}")


class GradcheckError(AssertionError):
    """A failed check; ``.report`` holds the CheckReport, ``str()`` is its table.

    >>> from micrograd_like.testing import check
    >>> try:
    ...     check(lambda x: x.relu(), [0.0], kink_is_failure=True)  # relu has no slope at 0
    ... except GradcheckError as err:
    ...     print(bool(err.report), err.report.failed_entries[0].verdict)
    False not differentiable here (left slope 0.0, right slope 1.0)
    """

    def __init__(self, report: "CheckReport") -> None:
        super().__init__(str(report))
        self.report = report


@dataclass
class CheckReport:
    """The result of a check. ``bool(report)`` is True when nothing failed.

    ``entries`` are the rows, ``wrong_nodes`` the nodes whose rule is wrong
    (``failing_node`` the first of them, or None), ``notes`` what else a
    reader should know, ``output`` the Value whose graph was checked (for
    ``draw``).

    >>> from micrograd_like.testing import check
    >>> report = check(lambda x: x * x, [3.0], modes=("rev",))
    >>> bool(report), [e.method for e in report.entries], report.failing_node
    (True, ['backward()', 'grad()'], None)
    """

    title: str
    entries: List[Entry]
    wrong_nodes: List[NodeReport] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    settings: str = ""
    columns: Tuple[str, str, str] = ("input", "analytic", "numeric")
    output: Optional[Value] = None

    @property
    def passed(self) -> bool:
        """True when no entry failed (as ``bool(report)``)."""
        return not any(e.failed for e in self.entries)

    def __bool__(self) -> bool:
        return self.passed

    @property
    def failed_entries(self) -> List[Entry]:
        """The entries that made the check fail."""
        return [e for e in self.entries if e.failed]

    @property
    def failing_node(self) -> Optional[NodeReport]:
        """The first of ``wrong_nodes``, or None."""
        return self.wrong_nodes[0] if self.wrong_nodes else None

    def _headline(self) -> str:
        verdict = "passed" if self.passed else f"FAILED for {len(self.failed_entries)} of"
        count = f"{len(self.entries)} entries"
        kinks = sum(1 for e in self.entries if e.verdict.startswith("not differentiable"))
        kink_text = f", {kinks} at a kink" if kinks else ""
        settings = f" ({self.settings})" if self.settings else ""
        return f"{self.title}: {verdict} {count}{kink_text}{settings}"

    def _shown(self) -> List[int]:
        """The columns worth showing: no method column when there is one method,
        no error estimate when there is none."""
        keep = list(range(9))
        if len({e.method for e in self.entries}) <= 1:
            keep.remove(1)
        if all(e.error != e.error for e in self.entries):
            keep.remove(6)
        return keep

    def _rows(self) -> List[List[str]]:
        keep = self._shown()
        return [[cells[k] for k in keep] for cells in (
            (e.index, e.method, _num(e.value), _num(e.analytic), _num(e.numeric),
             _small(e.abs_error), _small(e.error), _small(e.tolerance), e.verdict)
            for e in self.entries)]

    def _header(self) -> List[str]:
        first, a, n = self.columns
        cells = (first, "method", "value", a, n, "abs error", "est. error", "allowed", "verdict")
        return [cells[k] for k in self._shown()]

    def __str__(self) -> str:
        rows = [self._header()] + self._rows()
        text_columns = 2 if len(rows[0]) == 9 else 1  # index (and method) align left
        widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]) - 1)]
        lines = [self._headline()]
        for r in rows:
            cells = [c.ljust(w) if k < text_columns else c.rjust(w)
                     for k, (c, w) in enumerate(zip(r[:-1], widths))]
            lines.append("  " + "  ".join(cells) + "  " + r[-1])
        if self.wrong_nodes:
            lines.append("the wrong node" + ("s:" if len(self.wrong_nodes) > 1 else ":"))
            lines += [f"  {n}" for n in self.wrong_nodes]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CheckReport {self._headline()}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(h)}</th>" for h in self._header())
        body = []
        for e, r in zip(self.entries, self._rows()):
            style = ' style="background:#fde0dc"' if e.failed else ""
            body.append(f"<tr{style}>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>")
        parts = [f"<p><b>{esc(self._headline())}</b></p>",
                 f"<table><tr>{head}</tr>{''.join(body)}</table>"]
        if self.wrong_nodes:
            items = "".join(f"<li>{esc(str(n))}</li>" for n in self.wrong_nodes)
            parts.append(f"<p>The wrong node:</p><ul>{items}</ul>")
        parts += [f"<p>note: {esc(n)}</p>" for n in self.notes]
        return "<div>" + "".join(parts) + "</div>"

    def draw(self, **kwargs: object):
        """``draw_dot`` of the checked graph with the wrong nodes highlighted (needs graphviz).

        >>> report = CheckReport("check", [], output=Value(3.0) * Value(2.0))
        >>> report.draw().source.count(" -> ")  # two inputs -> the * op -> the output
        3
        """
        if self.output is None:
            raise ValueError("CheckReport.draw: this report has no graph to draw (check_numpy_grads)")
        from micrograd_like.draw.graph import draw_dot  # graphviz only when drawing

        return draw_dot(self.output, highlight=[n.node for n in self.wrong_nodes], **kwargs)


def tolerance_text(atol: Optional[float], rtol: Optional[float], eps: Optional[float]) -> str:
    """How the rows were judged, for the headline."""
    step = "automatic step" if eps is None else f"eps={eps!r}"
    if atol is None and rtol is None:
        return f"{step}, allowed = 10 x est. error + 1e-10 (1 + |numeric|)"
    return f"{step}, atol={atol or 0.0!r}, rtol={rtol or 0.0!r}"


def kink_verdict(left: float, right: float) -> str:
    return f"not differentiable here (left slope {_num(left)}, right slope {_num(right)})"

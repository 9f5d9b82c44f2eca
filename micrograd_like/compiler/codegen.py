"""Code generation: a trace becomes two plain Python functions, ``forward`` and ``backward``.

``forward`` computes every node of the trace as a local float, one line per
node, in the trace's order. ``backward`` is the chain rule written out: the
nodes in reverse order, each adding its inputs' share of the gradient, with
exactly the formulas of ``engine.RULES`` (and in the same order as
``backward()``, so the floats agree). A ReLU is an ``if``, not a guard.

Names: ``p3`` is the ``.data`` of input Value 3 (a parameter, a Value
argument, or one fn reached by closure), ``n0`` an input number, ``x1`` a
number of the current sample (batches), ``t5`` node 5, and ``g_t5`` the
gradient of the result with respect to ``t5``.

In a batch the per-sample part is written once, as the body of a loop over
the samples; the forward loop saves what the backward loop needs (a tuple
per sample), so the size of the code does not depend on the number of
samples.

>>> from micrograd_like import Value
>>> from micrograd_like.compiler.trace import trace
>>> w = Value(2.0)
>>> print(generate(trace(lambda x: w * x, (3.0,), "f"), "f").splitlines()[4])
    t0 = p0 * n0
"""

from __future__ import annotations

import math
import platform
from typing import Dict, List, Optional, Sequence, Tuple

from micrograd_like.engine import Value, _pow, _pow_exponent_grad, _sigmoid
from micrograd_like.compiler.trace import Mismatch, Trace

__all__ = ["generate", "namespace", "Guard"]


class Guard(Exception):
    """Internal: guard ``k`` of a trace failed at sample ``i`` (0 without a batch)."""

    def __init__(self, k: int, i: int) -> None:
        super().__init__(k, i)
        self.k, self.i = k, i


def _num(x: object) -> float:
    """A sample's number as a float; anything else does not fit the trace."""
    if type(x) is int:  # labels such as -1 and +1: the commonest call, checked first
        return float(x)
    if isinstance(x, (int, float)) or (not isinstance(x, Value) and _is_real(x)):
        return float(x)
    raise Mismatch(x)


def _is_real(x: object) -> bool:
    from numbers import Real

    return isinstance(x, Real)


def namespace() -> Dict[str, object]:
    """The names generated code may use besides its own locals."""
    return {
        "exp": math.exp, "log": math.log, "sin": math.sin, "cos": math.cos,
        "tanh": math.tanh, "sigmoid": _sigmoid, "pow_exponent_grad": _pow_exponent_grad,
        "pow_": _pow,
        "inf": math.inf, "nan": math.nan, "Guard": Guard, "Mismatch": Mismatch, "num": _num,
    }


def lit(x: float) -> str:
    """A float as Python source (negative numbers in parentheses, so ``c ** n`` stays right)."""
    x = float(x)
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "(-inf)"
    r = repr(x)
    return f"({r})" if r.startswith("-") else r


class _Code:
    """Lines with indentation, and which gradients already have a value."""

    def __init__(self) -> None:
        self.lines: List[str] = []
        self.depth = 1
        self.defined: set = set()
        self.nodes_defined: set = set()  # the gradients of nodes (t...) among them
        self.used: set = set()  # per-sample names the backward reads (to be saved)

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def add(self, var: str, expr: str) -> None:
        """d(result)/d(var) += expr (the first contribution assigns)."""
        g = "g_" + var
        if g in self.defined:
            self.emit(f"{g} += {expr}")
        else:
            self.emit(f"{g} = {expr}")
            self.defined.add(g)
            if var[0] == "t":
                self.nodes_defined.add(g)

    def zero(self, names: Sequence[str]) -> None:
        """Give every gradient in names that has none yet the value 0.0 (before an ``if``)."""
        new = [g for g in dict.fromkeys("g_" + v for v in names) if g not in self.defined]
        if new:
            self.emit(" = ".join(new) + " = 0.0")
            self.defined |= set(new)
            self.nodes_defined |= {g for g in new if g[2] == "t"}


# --- naming -------------------------------------------------------------------


def _names(t: Trace) -> Tuple[Dict[int, str], Dict[int, bool]]:
    """Source text for every Value of the trace, and whether it takes a gradient."""
    name: Dict[int, str] = {}
    grad: Dict[int, bool] = {}
    for key, (kind, i) in t.slot.items():
        name[key] = f"{kind}{i}"
        grad[key] = kind in ("p", "r")
    for prefix, nodes in (("t", t.nodes), ("u", t.tail)):
        for k, v in enumerate(nodes):
            name[id(v)] = f"{prefix}{k}"
            grad[id(v)] = True
    return name, grad


def _arg(v: Value, name: Dict[int, str]) -> List[str]:
    return [name[id(p)] if id(p) in name else lit(p.data) for p in v._prev]


# --- forward ------------------------------------------------------------------


def _forward(code: _Code, v: Value, out: str, a: List[str]) -> None:
    op = v._op
    if op == "linear":
        n = (len(a) - 1) // 2
        terms = [a[-1]] + [f"{x} * {w}" for x, w in zip(a[:n], a[n:2 * n])]
        act = v._arg[0]
        if act in ("tanh", "sigmoid") and len(terms) <= _CHUNK:
            code.emit(f"{out} = {act}({' + '.join(terms)})")
            return
        _chain(code, out, terms)
        if act in ("tanh", "sigmoid"):
            code.emit(f"{out} = {act}({out})")
        elif act == "relu":  # as fused.linear: NaN stays NaN
            code.emit(f"if {out} <= 0.0: {out} = 0.0")
        return
    if op in ("sum", "dot"):
        terms = a if op == "sum" else [f"{x} * {y}" for x, y in zip(a[:len(a) // 2], a[len(a) // 2:])]
        _chain(code, out, ["0.0"] + terms)  # sum() starts at 0.0
        return
    x = a[0]
    expr = {
        "+": lambda: f"{x} + {a[1]}", "-": lambda: f"{x} - {a[1]}",
        "*": lambda: f"{x} * {a[1]}", "/": lambda: f"{x} / {a[1]}",
        "neg": lambda: f"-{x}", "**": lambda: _power_forward(x, v._arg[0]),
        "pow": lambda: f"pow_({x}, {a[1]})", "abs": lambda: f"abs({x})",
        "relu": lambda: f"0.0 if {x} <= 0.0 else {x}",
        "leaky_relu": lambda: f"{x} if {x} > 0.0 else {x} * {lit(v._arg[0])}",
    }.get(op, lambda: f"{op}({x})")()  # exp, log, sin, cos, tanh, sigmoid
    code.emit(f"{out} = {expr}")


def _power_forward(x: str, n: float) -> str:
    # Python's ** gives a complex number for (-8.0) ** 0.5, where the engine's
    # _pow raises; an integer exponent cannot do that, so it stays inline. On
    # CPython an inline 1e200 ** 2 raises OverflowError, and the call goes back
    # to eager code for its clear error; PyPy gives inf there, so it calls _pow.
    if float(n).is_integer() and _INLINE_POWER_RAISES:
        return f"{x} ** {lit(n)}"
    return f"pow_({x}, {lit(n)})"


_INLINE_POWER_RAISES = platform.python_implementation() == "CPython"


_CHUNK = 64  # terms per line: Python's compiler recurses on a long chain of +


def _chain(code: _Code, out: str, terms: List[str]) -> None:
    """out = terms[0] + terms[1] + ..., added left to right as sum() adds them."""
    code.emit(f"{out} = " + " + ".join(terms[:_CHUNK]))
    for i in range(_CHUNK, len(terms), _CHUNK):
        code.emit(f"{out} = {out} + " + " + ".join(terms[i:i + _CHUNK]))


# --- backward: engine.RULES, written out ----------------------------------------


def _backward(code: _Code, v: Value, o: str, a: List[str], needs: List[bool]) -> None:
    """Emit node v's chain rule: g_<input> += its share of g_<o>."""
    g = "g_" + o
    op = v._op
    targets = [x for x, nd in zip(a, needs) if nd]
    code.used.update([o] * (op in ("/", "exp", "tanh", "sigmoid", "pow", "linear")))
    if op == "linear":
        n = (len(a) - 1) // 2
        act = v._arg[0]
        code.zero(targets)
        if act == "relu":
            code.emit(f"if not {o} <= 0.0 and {g} != 0.0:")  # off: passes nothing (NaN: on)
            gz = g
        else:
            factor = {"tanh": f" * (1 - {o} * {o})", "sigmoid": f" * {o} * (1 - {o})"}.get(act, "")
            code.emit(f"gz = {g}{factor}")
            code.emit("if gz != 0.0:")
            gz = "gz"
        code.depth += 1
        for i in range(n):
            x, w = a[i], a[n + i]
            if needs[n + i]:
                code.add(w, f"{gz} * {x}")
                code.used.add(x)
            if needs[i]:
                code.add(x, f"{gz} * {w}")
                code.used.add(w)
        if needs[-1]:
            code.add(a[-1], gz)
        code.depth -= 1
        return
    if op == "dot":
        h = len(a) // 2
        code.used.update(a)
        if a[:h] == a[h:]:  # dot(ps, ps), an L2 penalty: both shares in one line
            for x, nd in zip(a[:h], needs):
                if nd:
                    code.add(x, f"{g} * {x} + {g} * {x}")
            return
        shares = [f"{g} * {b}" for b in a[h:]] + [f"{g} * {x}" for x in a[:h]]
    elif op == "sum":
        shares = [g] * len(a)
    else:
        x = a[0]
        y = a[1] if len(a) > 1 else ""
        uses = {"*": [x, y], "/": [y], "**": [x], "pow": [x, y], "log": [x], "sin": [x],
                "cos": [x], "relu": [x], "leaky_relu": [x], "abs": [x]}
        code.used.update(uses.get(op, []))
        shares = _SHARES[op](g, o, x, y, v)
    for x, nd, share in zip(a, needs, shares):
        if nd:
            code.add(x, share)


def _power(g: str, x: str, n: float) -> str:
    # RULES["**"]: g * n * a ** (n - 1), and 0 for n == 0 (also at a == 0)
    return f"{g} * {lit(n)} * {x} ** {lit(n - 1)}" if n != 0 else f"0.0 * {g}"


_SHARES = {  # op -> (g, out, a, b, node) -> the share of each input, as in RULES
    "+": lambda g, o, x, y, v: [g, g],
    "-": lambda g, o, x, y, v: [g, f"-{g}"],
    "*": lambda g, o, x, y, v: [f"{g} * {y}", f"{g} * {x}"],
    "/": lambda g, o, x, y, v: [f"{g} / {y}", f"-{g} * {o} / {y}"],
    "neg": lambda g, o, x, y, v: [f"-{g}"],
    "**": lambda g, o, x, y, v: [_power(g, x, v._arg[0])],
    "pow": lambda g, o, x, y, v: [f"({g} * {y} * {x} ** ({y} - 1) if {y} != 0 else 0.0 * {g})",
                                  f"pow_exponent_grad({g}, {o}, {x})"],
    "exp": lambda g, o, x, y, v: [f"{g} * {o}"],
    "log": lambda g, o, x, y, v: [f"{g} / {x}"],
    "sin": lambda g, o, x, y, v: [f"{g} * cos({x})"],
    "cos": lambda g, o, x, y, v: [f"-{g} * sin({x})"],
    "tanh": lambda g, o, x, y, v: [f"{g} * (1 - {o} * {o})"],
    "sigmoid": lambda g, o, x, y, v: [f"{g} * {o} * (1 - {o})"],
    "relu": lambda g, o, x, y, v: [f"0.0 * {g} if {x} <= 0 else {g}"],
    "leaky_relu": lambda g, o, x, y, v: [f"{g} if {x} > 0 else {g} * {lit(v._arg[0])}"],
    "abs": lambda g, o, x, y, v: [f"{g} if {x} > 0 else (-{g} if {x} < 0 else 0.0 * {g})"],
}


# --- the two functions -----------------------------------------------------------


def _unpack(names: Sequence[str], source: str) -> str:
    return f"{', '.join(names)}{',' if len(names) == 1 else ''} = {source}"


def _guard_text(guard: tuple, name: Dict[int, str]) -> str:
    v, op, other, outcome, _ = guard
    b = name.get(id(other), None) if isinstance(other, Value) else None
    rhs = b if b is not None else lit(other.data if isinstance(other, Value) else other)
    test = f"{name.get(id(v), lit(v.data))} {op} {rhs}"
    return f"not ({test})" if outcome else test


def generate(t: Trace, fn_name: str, batch: Optional[Sequence[tuple]] = None,
             reduce: str = "sum") -> str:
    """The source of ``forward`` and ``backward`` for trace t.

    ``batch`` is None (one call, straight-line code), or one structure per
    batched argument (``("N",)`` for a number, ``("list", k)`` for k numbers):
    the per-sample graph becomes a loop over the samples, whose results are
    added up (``reduce="sum"``) or averaged (``"mean"``) into ``r0``; the
    nodes of ``then`` (``t.tail``) follow the loop.
    """
    name, grad = _names(t)
    n_p = len(t.inputs)
    n_n = sum(1 for kind, _ in set(t.slot.values()) if kind == "n")
    head = [_unpack([f"p{i}" for i in range(n_p)], "P")] if n_p else []
    head += [_unpack([f"n{i}" for i in range(n_n)], "N")] if n_n else []
    if batch is None:
        return _straight(t, fn_name, name, grad, head, n_p, n_n)
    ns = t.n_sample_guards
    loop_out = t.loop_output

    # backward first: it decides what forward must save
    tb = _Code()  # after the loop: then(), and the gradient of r0
    tb.defined |= {f"g_p{i}" for i in range(n_p)}
    if not t.has_then:
        tb.add("r0", "G[0]")
    elif grad.get(id(t.outputs[0])):
        tb.add(name[id(t.outputs[0])], "G[0]")
    _backward_nodes(tb, t.tail, name, grad)
    bw = _Code()  # the loop body
    bw.depth = 2
    bw.defined |= {f"g_p{i}" for i in range(n_p)}
    if grad.get(id(loop_out)):
        bw.add(name[id(loop_out)], "ge")
    _backward_nodes(bw, t.nodes, name, grad, loop=True)
    saved = sorted({u for u in bw.used if u[0] == "x"}, key=_order)
    saved += [f"t{k}" for k in range(len(t.nodes)) if f"t{k}" in bw.used]
    kept = [u for u in ["r0"] + [f"u{k}" for k in range(len(t.tail))] if u in tb.used]

    fw = _Code()
    fw.lines.append("def forward(P, N, B):")
    fw.emit(f'"""{fn_name}: {_many(len(t.nodes), "op node")} per sample, '
            f'{_many(n_p, "input Value")}, {_many(n_n, "input number")}."""')
    for line in head:
        fw.emit(line)
    fw.emit("tape = []")
    fw.emit("save = tape.append")
    fw.emit("total = 0.0")
    fw.emit(f"for {_tuple(f's{j}' for j in range(len(batch)))} in B:")
    fw.depth = 2
    _sample_unpack(fw, batch)
    _forward_nodes(fw, t.nodes, "t", name, _places(t.nodes, t.guards, range(ns)), t.guards,
                   "len(tape)")
    fw.emit(f"total += {name.get(id(loop_out), lit(loop_out.data))}")
    fw.emit(f"save(({_tuple(saved)}))")
    fw.depth = 1
    fw.emit("r0 = total / len(tape)" if reduce == "mean" else "r0 = total")
    _forward_nodes(fw, t.tail, "u", name, _places(t.tail, t.guards, range(ns, len(t.guards))),
                   t.guards, "0")
    out = name.get(id(t.outputs[0]), lit(t.outputs[0].data)) if t.has_then else "r0"
    fw.emit(f"return ({out},), (tape, ({_tuple(kept)}))")

    body = _Code()
    body.emit('"""The chain rule, from the result back to the inputs (engine.RULES, written out)."""')
    for line in head:
        body.emit(line)
    body.emit(f"tape, ({_tuple(kept)}) = S" if kept else "tape, _ = S")
    if n_p:
        body.emit(" = ".join(f"g_p{i}" for i in range(n_p)) + " = 0.0")
    body.lines += tb.lines
    g_r = "g_r0" if "g_r0" in tb.defined else "0.0"
    body.emit(f"ge = {g_r} / len(tape)" if reduce == "mean" else f"ge = {g_r}")
    body.emit(f"for {_tuple(saved)} in reversed(tape):" if saved else "for _ in tape:")
    body.lines += bw.lines
    body.emit(f"return [{', '.join(f'g_p{i}' for i in range(n_p))}]")
    return "\n".join(fw.lines + ["", "", "def backward(G, P, N, S):"] + body.lines) + "\n"


def _straight(t: Trace, fn_name: str, name: dict, grad: dict, head: List[str], n_p: int,
              n_n: int) -> str:
    """One call, no batch: the whole graph as straight-line code."""
    bw = _Code()
    for k, out in enumerate(t.outputs):
        if grad.get(id(out)):
            bw.add(name[id(out)], f"G[{k}]")
    _backward_nodes(bw, t.nodes, name, grad)
    saved = [f"t{k}" for k in range(len(t.nodes)) if f"t{k}" in bw.used]
    fw = _Code()
    fw.lines.append("def forward(P, N):")
    fw.emit(f'"""{fn_name}: {_many(len(t.nodes), "op node")}, {_many(n_p, "input Value")}, '
            f'{_many(n_n, "input number")}."""')
    for line in head:
        fw.emit(line)
    _forward_nodes(fw, t.nodes, "t", name, _places(t.nodes, t.guards, range(len(t.guards))),
                   t.guards, "0")
    outs = [name.get(id(o), lit(o.data)) for o in t.outputs]
    fw.emit(f"return ({_tuple(outs)}), ({_tuple(saved)})")
    body = _Code()
    body.emit('"""The chain rule, from the result back to the inputs (engine.RULES, written out)."""')
    for line in head:
        body.emit(line)
    if saved:
        body.emit(_unpack(saved, "S"))
    results = [f"g_p{i}" if f"g_p{i}" in bw.defined else "0.0" for i in range(n_p)]
    bw.emit(f"return [{', '.join(results)}]")
    return "\n".join(fw.lines + ["", "", "def backward(G, P, N, S):"] + body.lines
                     + bw.lines) + "\n"


def _tuple(names) -> str:
    """Names as the inside of a tuple display: "a, b", "a," for one, "" for none."""
    names = list(names)
    return ", ".join(names) + ("," if len(names) == 1 else "")


def _places(nodes: List[Value], guards: list, which) -> Dict[int, List[int]]:
    """node index -> the guards to check right after it (-1: before the first node)."""
    index = {id(v): k for k, v in enumerate(nodes)}
    where: Dict[int, List[int]] = {}
    for k in which:
        v, _, other, _, _ = guards[k]
        where.setdefault(max(index.get(id(v), -1), index.get(id(other), -1)), []).append(k)
    return where


def _forward_nodes(code: _Code, nodes: List[Value], prefix: str, name: dict, where: dict,
                   guards: list, sample: str) -> None:
    for k in where.get(-1, []):
        code.emit(f"if {_guard_text(guards[k], name)}: raise Guard({k}, {sample})")
    for k, v in enumerate(nodes):
        _forward(code, v, f"{prefix}{k}", _arg(v, name))
        for gk in where.get(k, []):
            code.emit(f"if {_guard_text(guards[gk], name)}: raise Guard({gk}, {sample})")


def _backward_nodes(code: _Code, nodes: List[Value], name: dict, grad: dict,
                    loop: bool = False) -> None:
    small = len(nodes) <= _COMMENTED
    done = set()
    for v in reversed(nodes):
        o = name[id(v)]
        if "g_" + o not in code.defined:
            continue  # it feeds only a guard, not the result
        if loop and v._op == "linear" and code.nodes_defined - done == {"g_" + o}:
            # Every path back to the inputs passes through o, and a zero gradient
            # passes nothing on (backward() skips such nodes): the sample is done.
            code.emit(f"if g_{o} == 0.0: continue")
        done.add("g_" + o)
        a = _arg(v, name)
        if small:  # for a reader: the forward line this block differentiates
            line = _Code()
            _forward(line, v, o, a)
            text = "; ".join(x.strip() for x in line.lines)
            code.emit("# " + (text if len(text) <= 120 else text[:116] + " ..."))
        _backward(code, v, o, a, [grad.get(id(p), False) for p in v._prev])


_COMMENTED = 40  # traces up to this many nodes get the forward line above each backward step


def _many(k: int, what: str) -> str:
    return f"{k} {what}{'' if k == 1 else 's'}"


def _order(s: str) -> int:
    return int(s[1:])


def _sample_unpack(code: _Code, batch: Sequence[tuple]) -> None:
    """Check each sample's structure and take out its numbers as x0, x1, ..."""
    k = 0
    for j, spec in enumerate(batch):
        s = f"s{j}"
        if spec[0] == "N":
            code.emit(f"x{k} = {s} if type({s}) is float else num({s})")
            k += 1
            continue
        kind, size = spec[0], spec[1]
        xs = [f"x{k + i}" for i in range(size)]
        code.emit(f"if type({s}) is not {kind} or len({s}) != {size}: raise Mismatch({s})")
        if xs:
            code.emit(_unpack(xs, s))
        for x in xs:
            code.emit(f"if type({x}) is not float: {x} = num({x})")
        k += size

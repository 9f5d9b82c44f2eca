"""``compile(fn)``: trace ``fn`` once, then run it as generated straight-line Python.

Named as ``torch.compile``. The compiled function returns what ``fn``
returns, with the same numbers, and ``.backward()`` on its result fills the
same ``.grad`` on every leaf that eager code fills, so it drops into any
training loop. It is faster because nothing is built per node: the whole
computation is one Python function of floats, and its gradient another
(``fast.source`` shows both; ``trace``, ``codegen`` and the docstrings there
say how).

- **Inputs stay inputs.** Numbers and Values in the arguments (in lists,
  tuples, dicts, and a Module's ``parameters()``), and Values ``fn`` reaches
  through a closure, are read afresh at every call; only constants ``fn``
  makes itself are baked in.
- **Never silently wrong.** What the trace assumed (the structure of the
  arguments; the outcome of every comparison of a Value) is checked at
  every call. A call that breaks it is traced again (up to ``cache_size``
  traces), or raises an error that says why.
- **Batches.** ``compile(per_sample, batch=(1, 2))`` takes a function of
  *one sample* and returns the mean (``reduce="mean"``) or sum of it over
  the samples: arguments 1 and 2 are then lists of samples, walked in step.
  The sample's graph becomes the body of a loop, so compiling a batch costs
  what compiling one sample costs. ``then=`` adds what comes once per batch
  (a weight penalty) after the loop.

>>> from micrograd_like import MLP
>>> from micrograd_like.compiler import compile
>>> from micrograd_like.losses import hinge_loss
>>> model = MLP(2, [4, 1], seed=0)
>>> X, y = [[0.5, -1.0], [1.0, 2.0]], [1, -1]
>>> loss_fn = compile(lambda m, x, y: (1 - y * m(x)).relu(), batch=(1, 2))
>>> loss = loss_fn(model, X, y)          # mean over the samples
>>> loss.backward()
>>> abs(loss.data - hinge_loss([model(x) for x in X], y).data) < 1e-12
True
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from micrograd_like.engine import RULES, Value, _node
from micrograd_like.fused import sum as value_sum
from micrograd_like.compiler.codegen import Guard, generate, namespace
from micrograd_like.compiler.trace import Mismatch, Trace, flatten, trace, tracing

# ``compile`` is public (micrograd_like.compile) but not in __all__, so that
# ``import *`` never hides the built-in compile (as fused does for sum).
__all__ = ["Compiled"]

_NUMBER = (int, float)


class _Program:
    """One trace, turned into code: forward, backward, and what a call must match."""

    def __init__(self, t: Trace, fn_name: str, batch: Optional[list], reduce: str) -> None:
        self.source = generate(t, fn_name, batch, reduce)
        scope = namespace()
        exec(compile_source(self.source, fn_name), scope)  # noqa: S102 - our own generated code
        self.forward, self.backward = scope["forward"], scope["backward"]
        self.closure = t.inputs[t.n_args:]  # Values fn reached from outside its arguments
        self.firsts = t.firsts
        self.shared = len(set(t.firsts)) != len(t.firsts)  # one Value in two argument places
        # for error messages only (no Values kept: they would keep the traced graph alive)
        self.guards = [(op, _text(other), outcome, where) for _, op, other, outcome, where in t.guards]
        self.n_out = len(t.outputs)

    def inputs(self, values: List[Value]) -> List[Value]:
        if self.shared:  # the same Value must sit in the same places as when traced
            for pos, i in enumerate(self.firsts):
                if values[pos] is not values[self.firsts.index(i)]:
                    raise Mismatch("aliasing")
            seen: Dict[int, Value] = {}
            for pos, i in enumerate(self.firsts):
                seen.setdefault(i, values[pos])
            values = [seen[i] for i in sorted(seen)]
        return values + self.closure if self.closure else values


_MISSING = object()  # a name not bound (yet), or an empty closure cell


class _Names:
    """What ``fn``'s own code reads by name from outside: its globals and closure cells.

    Why: a trace keeps what those names held then (a Value becomes an input
    of the program, a number a constant). Rebinding one (``w = Value(100.0)``,
    ``lr = 0.01``) must trace again, not run the old program. Compared by
    identity, a dict lookup each: about 0.1 us a name. Not seen: the names
    read by functions that ``fn`` calls, and changes inside a list or object
    it holds (the how-to says so).
    """

    __slots__ = ("scope", "names", "held", "cells", "contents", "free")

    def __init__(self, fn: Callable) -> None:
        f = getattr(fn, "__func__", fn)  # a bound method: its function
        code = getattr(f, "__code__", None)
        self.scope: Dict[str, Any] = getattr(f, "__globals__", {})
        names: List[str] = []
        codes = [code] if code is not None else []
        while codes:  # nested code too: lambdas and comprehensions inside fn
            c = codes.pop()
            names += c.co_names
            codes += [k for k in c.co_consts if hasattr(k, "co_names")]
        self.names = sorted(set(names))
        self.held = [self.scope.get(n, _MISSING) for n in self.names]
        self.cells = getattr(f, "__closure__", None) or ()
        self.free = code.co_freevars if code is not None else ()
        self.contents = [_content(c) for c in self.cells]

    def rebound(self) -> Optional[str]:
        """The first name that holds another object than when traced, or None."""
        scope = self.scope
        for name, obj in zip(self.names, self.held):
            if scope.get(name, _MISSING) is not obj:
                return name
        for name, cell, obj in zip(self.free, self.cells, self.contents):
            if _content(cell) is not obj:
                return name
        return None


def _content(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # not assigned yet
        return _MISSING


def _text(x: object) -> str:
    return f"a Value ({x.data!r})" if isinstance(x, Value) else repr(x)


class _Call:
    """What one output's backward needs: the program, the call's numbers and saved floats."""

    __slots__ = ("program", "numbers", "saved", "k")

    def __init__(self, program: _Program, numbers: list, saved: Any, k: int) -> None:
        self.program, self.numbers, self.saved, self.k = program, numbers, saved, k

    def grads(self, g: float, data: Sequence[float]) -> List[float]:
        G = [0.0] * self.program.n_out
        G[self.k] = g
        return self.program.backward(G, data, self.numbers, self.saved)


def _compiled_rule(g, out, *args):
    # rule(g, out, *input data, call): the generated backward, for one output
    if isinstance(g, Value):
        raise TypeError(
            "grad(..., create_graph=True) through a compiled function: its backward is "
            "generated code on floats, so it has no graph to differentiate again; "
            "call the original (eager) function for second derivatives"
        )
    return args[-1].grads(g, args[:-1])


# A compiled call's result is one node, op "compiled", whose rule is the
# generated backward. The rule joins RULES when the first such node is made
# (not at import): the table then lists only ops that exist in the program.


def compile_source(source: str, fn_name: str):
    import builtins

    return builtins.compile(source, f"<compiled {fn_name}>", "exec")


class Compiled:
    """A compiled function: call it as ``fn``; ``.source`` is the code it runs.

    >>> w = Value(3.0)
    >>> f = compile(lambda x: w * x + 1.0)
    >>> f(2.0).data, f
    (7.0, compile(<lambda>))
    >>> print(f.source)
    def forward(P, N):
        ...
        t0 = p0 * n0
        t1 = t0 + 1.0
        return (t1,), ()
    ...
    """

    def __init__(self, fn: Callable, batch: Tuple[int, ...], reduce: str, cache_size: int,
                 then: Optional[Callable] = None) -> None:
        self.fn = fn
        self.batch = batch
        self.reduce = reduce
        self.then = then
        self.cache_size = cache_size
        self._programs: Dict[tuple, List[_Program]] = {}
        self._count = 0
        self._last: Optional[_Program] = None
        self._name = getattr(fn, "__name__", type(fn).__name__)
        self._why = "a guard broke"
        self._names: Optional[_Names] = None  # set by the first trace
        functools.update_wrapper(self, fn)

    @property
    def source(self) -> str:
        """The generated Python of the latest trace: forward, then backward."""
        if self._last is None:
            raise ValueError(f"compile({self._name}): nothing traced yet; call it once first")
        return self._last.source

    def __repr__(self) -> str:
        return f"compile({self._name}{', batch=' + str(self.batch) if self.batch else ''})"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(
                f"compile({self._name}): pass the arguments by position; keyword "
                f"arguments ({', '.join(kwargs)}) are not supported"
            )
        if tracing():  # called inside another traced fn: become part of that trace
            return self._eager(args)
        name = self._names.rebound() if self._names is not None else None
        if name is not None:  # every program kept the old object: trace anew
            self._programs = {}
            self._names = None
            self._why = f"the name {name!r} that fn reads now holds another object"
        spec, values, numbers = flatten(args, self.batch)
        batched = self._batched(args) if self.batch else None
        key = (spec, batched[0]) if batched else spec
        for program in reversed(self._programs.get(key, [])):
            try:
                inputs = program.inputs(values)
            except Mismatch:  # the Values sit in other places than when traced
                continue
            try:
                return self._run(program, args, inputs, numbers, batched)
            except Guard as broke:
                self._check_batch_guard(program, broke)
        program = self._trace(args, key, batched)
        try:
            return self._run(program, args, program.inputs(values), numbers, batched)
        except Guard as broke:
            self._check_batch_guard(program, broke)  # raises for a later sample
            raise ValueError(
                f"compile({self._name}): {self._why}, right after tracing: fn does not "
                "compute the same thing twice from the same inputs (randomness? a global "
                "that changes?); such a function cannot be compiled"
            ) from None

    # -- the steps of a call ------------------------------------------------------

    def _batched(self, args: Sequence[Any]) -> Tuple[tuple, List[Sequence]]:
        if len(args) <= max(self.batch):
            raise TypeError(
                f"compile({self._name}, batch={self.batch}): got {len(args)} arguments; "
                "batch names argument positions (0 is the first)"
            )
        cols = [args[i] for i in self.batch]
        for i, c in zip(self.batch, cols):
            if type(c) not in (list, tuple):
                raise TypeError(
                    f"compile({self._name}): argument {i} is batched, so it must be a list "
                    f"of samples, got {type(c).__name__} {c!r:.60}"
                )
        n = {len(c) for c in cols}
        if len(n) != 1 or 0 in n:
            raise ValueError(
                f"compile({self._name}): the batched arguments {self.batch} must be "
                f"non-empty lists of the same length, got lengths {[len(c) for c in cols]}"
            )
        return tuple(_sample_spec(c[0], i, self._name) for i, c in zip(self.batch, cols)), cols

    def _trace(self, args: Sequence[Any], key: tuple, batched) -> _Program:
        if self._count >= self.cache_size:
            raise ValueError(
                f"compile({self._name}): traced {self._count} "
                f"time{'s' if self._count > 1 else ''} already (cache_size="
                f"{self.cache_size}); {self._why}. Compile a function that does not branch "
                "on Values (relu() and abs() stay inside the graph; if, max() and "
                "comparisons do not), or pass a larger cache_size"
            )
        if self._names is None:
            self._names = _Names(self.fn)  # before the trace: what it will read
        if batched:
            first = list(args)
            for i, col in zip(self.batch, batched[1]):
                first[i] = col[0]
            t = trace(self.fn, first, self._name, self.batch, self.then)
            if len(t.outputs) != 1:
                raise TypeError(
                    f"compile({self._name}, batch=...): fn must return one Value per "
                    f"sample (its loss), got {len(t.outputs)}"
                )
        else:
            t = trace(self.fn, args, self._name)
        program = _Program(t, self._name, batched[0] if batched else None, self.reduce)
        program.kind = type(t.keep[1])
        del t  # the traced graph itself is no longer needed
        self._programs.setdefault(key, []).append(program)
        self._count += 1
        self._last = program
        return program

    def _run(self, program: _Program, args, inputs, numbers, batched) -> Any:
        data = [v.data for v in inputs]
        try:
            if batched:
                outs, saved = program.forward(data, numbers, zip(*batched[1]))
            else:
                outs, saved = program.forward(data, numbers)
        except Guard:
            raise
        except Mismatch as m:
            raise _mismatch_error(self._name, m) from None
        except (ArithmeticError, ValueError):
            # The eager code gives its own, clearer error (or NaN where IEEE says so).
            return self._eager(args)
        if "compiled" not in RULES:
            RULES["compiled"] = _compiled_rule
        prev = tuple(inputs)
        results = [_node(float(o), prev, "compiled", (_Call(program, numbers, saved, k),))
                   for k, o in enumerate(outs)]
        if program.kind is list or program.kind is tuple:
            return program.kind(results)
        return results[0]

    def _check_batch_guard(self, program: _Program, broke: Guard) -> None:
        op, other, outcome, where = program.guards[broke.k]
        self._why = (f"the comparison at {where} (a Value {op} {other:.40}) was "
                     f"{outcome} when traced, and is not now")
        if broke.i > 0:
            raise ValueError(
                f"compile({self._name}, batch=...): the comparison at {where} (a Value "
                f"{op} {other:.40}) is {outcome} for sample 0 but not for sample "
                f"{broke.i}; a batch runs one program for every sample. Write the branch "
                "with relu() or abs() of Values, or compile without batch="
            )

    def _eager(self, args: Sequence[Any]) -> Any:
        if not self.batch:
            return self.fn(*args)
        outs = []
        for sample in zip(*[args[i] for i in self.batch]):
            a = list(args)
            for i, s in zip(self.batch, sample):
                a[i] = s
            outs.append(self.fn(*a))
        total = value_sum(outs)
        total = total / len(outs) if self.reduce == "mean" else total
        if self.then is None:
            return total
        return self.then(total, *[a for i, a in enumerate(args) if i not in self.batch])


def _sample_spec(s: object, i: int, name: str) -> tuple:
    if type(s) in _NUMBER:
        return ("N",)
    if type(s) in (list, tuple) and all(type(x) in _NUMBER for x in s):
        return (type(s).__name__, len(s))
    raise TypeError(
        f"compile({name}, batch=...): a sample of argument {i} must be a number or a "
        f"list of numbers, got {type(s).__name__} {s!r:.60}; for Values (to get their "
        "gradients) compile without batch="
    )


def _mismatch_error(name: str, m: Mismatch) -> Exception:
    return TypeError(
        f"compile({name}, batch=...): every sample must have the structure of the "
        f"first (a number, or a list of as many numbers); found {m.args[0]!r:.60}"
    )


def compile(  # noqa: A001 - mirrors torch.compile; kept out of __all__ like sum
    fn: Optional[Callable] = None,
    *,
    batch: Union[None, int, Sequence[int]] = None,
    reduce: str = "mean",
    then: Optional[Callable] = None,
    cache_size: int = 8,
) -> Any:
    """Trace ``fn`` on its first call; later calls run generated Python.

    ``batch`` names the arguments (by position) that are lists of samples;
    ``fn`` is then written for one sample and the result is the ``reduce``
    ("mean" or "sum") over all of them. ``then(loss, *other arguments)``, if
    given, is compiled after that loop, with the reduced loss and the
    arguments that are not batched (to add a weight penalty once, not per
    sample). ``cache_size`` bounds how many traces (argument structures,
    branch outcomes) are kept. Usable as a decorator, with or without
    arguments.

    >>> from micrograd_like import Value
    >>> from micrograd_like.compiler import compile
    >>> w = Value(3.0)
    >>> f = compile(lambda x: w * x + 1.0)
    >>> y = f(2.0); y.backward(); y.data, w.grad
    (7.0, 2.0)
    """
    if isinstance(batch, int) and not isinstance(batch, bool):
        batch = (batch,)
    if batch is not None:
        if (not isinstance(batch, (list, tuple)) or not batch
                or not all(type(i) is int and i >= 0 for i in batch)):
            raise TypeError(
                f"compile: batch must be an argument position (an int >= 0) or a "
                f"non-empty list of them, got {batch!r}"
            )
        batch = tuple(sorted(set(batch)))
    if reduce not in ("mean", "sum"):
        raise ValueError(f"compile: reduce={reduce!r} is not supported; use 'mean' or 'sum'")
    if type(cache_size) is not int or cache_size < 1:
        raise ValueError(f"compile: cache_size must be an int >= 1, got {cache_size!r}")
    if then is not None and (not batch or not callable(then)):
        raise TypeError(
            f"compile: then= must be a function, and it needs batch= (it runs after "
            f"the loop over the samples), got then={then!r:.60}, batch={batch!r}"
        )
    if fn is None:
        return lambda f: compile(f, batch=batch, reduce=reduce, then=then, cache_size=cache_size)
    if not callable(fn):
        raise TypeError(f"compile: expected a function, got {type(fn).__name__} {fn!r:.60}")
    return Compiled(fn, batch or (), reduce, cache_size, then)

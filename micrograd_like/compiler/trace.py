"""Tracing: run ``fn`` once, eagerly, and record the graph it builds and what it assumed.

A trace is an ordinary eager call of ``fn`` with three things watched:

- **what is an input.** Numbers in the arguments are handed to ``fn`` as
  ``Input`` Values (a Value subclass), so whatever ``fn`` computes from them
  lands in the graph. Values in the arguments, a Module's parameters, and
  any Value made *before* the trace that ``fn`` reaches (through a closure,
  a global) are inputs too: compiled code reads their ``.data`` afresh at
  every call. Only leaves made *during* the trace are constants.
- **what it assumed.** Every comparison of a Value (``v > 0``, ``max``),
  every ``float(v)``, and ``bool``/``==``/``int`` of an input number is
  recorded as a guard: compiled code re-checks it at every call.
- **what it must not do.** ``backward()``, changing a Value's ``.data``,
  and building Values under ``no_grad()`` inside ``fn`` raise at once:
  compiled code could not repeat them.

The watching is done by swapping a few of ``Value``'s class attributes for
the duration of the trace (they are put back after). Other threads see the
same behaviour, only slower for those milliseconds: every hook first asks a
ContextVar whether *this* thread is tracing.

>>> from micrograd_like import Value
>>> w = Value(2.0)
>>> t = trace(lambda x: w * x + 1.0, (3.0,), "f")
>>> [v._op for v in t.nodes], len(t.inputs)
(['*', '+'], 1)
"""

from __future__ import annotations

import os
import sys
import threading
from contextvars import ContextVar
from numbers import Real
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from micrograd_like.engine import Value, _grad_enabled, custom_backward
from micrograd_like.module import Module
from micrograd_like.nn import MLP, Layer, Neuron

__all__ = ["Input", "Trace", "trace", "flatten", "Mismatch", "SUPPORTED_OPS"]

# The ops codegen can write out (engine.RULES without "compiled" itself).
SUPPORTED_OPS = frozenset([
    "+", "-", "*", "/", "neg", "**", "pow", "exp", "log", "sin", "cos", "tanh",
    "sigmoid", "relu", "leaky_relu", "abs", "sum", "dot", "linear",
])


class Mismatch(Exception):
    """Internal: this call does not fit a trace (its structure or a guard differs)."""


class Input(Value):
    """A number from the arguments, as a Value, while ``fn`` is traced.

    Arithmetic makes graph nodes as for any Value. What a number can do and
    a Value cannot (``==`` by value, ``bool``, ``int``, indexing) works as
    for the number, and is recorded as a guard.
    """

    __slots__ = ()
    __hash__ = Value.__hash__

    def __eq__(self, other: object) -> Any:
        if not isinstance(other, (Value, Real)):
            return NotImplemented
        return _record(self, "==", other, self.data == _number(other))

    def __ne__(self, other: object) -> Any:
        if not isinstance(other, (Value, Real)):
            return NotImplemented
        return _record(self, "!=", other, self.data != _number(other))

    def __bool__(self) -> bool:
        return _record(self, "!=", 0.0, self.data != 0.0)

    def __int__(self) -> int:
        _record(self, "==", self.data, True)
        return int(self.data)

    def __index__(self) -> int:
        if not self.data.is_integer():
            raise TypeError(f"an input number {self.data!r} is not an integer; it cannot index")
        _record(self, "==", self.data, True)
        return int(self.data)


def _number(x: object) -> float:
    return x.data if isinstance(x, Value) else float(x)


# --- what a trace records ----------------------------------------------------


class Trace:
    """One traced call: the graph in order, its inputs, constants and guards."""

    def __init__(self) -> None:
        self.nodes: List[Value] = []  # op nodes, each after its inputs
        self.tail: List[Value] = []  # batches: the nodes of then(), after the loop
        self.inputs: List[Value] = []  # shared inputs whose .data is read per call
        self.n_args = 0  # inputs[:n_args] come from the arguments, the rest from outside
        self.firsts: List[int] = []  # per Value of the arguments: its input index
        # id -> ("p", i) input Value, ("n", i) input number, ("x", i) sample number, ("r", 0) loop
        self.slot: Dict[int, Tuple[str, int]] = {}
        self.outputs: List[Value] = []
        self.loop_output: Optional[Value] = None  # batches: the per-sample result
        self.has_then = False
        self.guards: List[Tuple[Value, str, object, bool, str]] = []  # (v, op, other, outcome, where)
        self.n_sample_guards = 0  # guards[:n] are fn's, the rest then()'s
        self.keep: List[object] = []  # keeps traced objects alive (their ids are keys)


class _Recorder:
    def __init__(self, fn_name: str) -> None:
        self.fn_name = fn_name
        self.created: Dict[int, Value] = {}
        self.guards: List[Tuple[Value, str, object, bool, str]] = []
        self.alias: Dict[int, Input] = {}  # id of Value(x) -> the input number x


_TRACING: ContextVar[Optional[_Recorder]] = ContextVar("micrograd_like_tracing", default=None)


def tracing() -> bool:
    """True while this thread is tracing a function for compile."""
    return _TRACING.get() is not None


def _where() -> str:
    """file:line of the first frame outside the package: where fn did it."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    f = sys._getframe(2)
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(here):
        f = f.f_back
    if f is None:
        return "?"
    return f"{os.path.basename(f.f_code.co_filename)}:{f.f_lineno}"


def _record(v: Value, op: str, other: object, outcome: bool) -> bool:
    rec = _TRACING.get()
    if rec is not None:
        rec.guards.append((v, op, other, bool(outcome), _where()))
    return outcome


# --- the hooks on Value while tracing ----------------------------------------

_SLOT = Value.__dict__["data"]  # the __slots__ descriptor that stores .data
_ORIGINAL = {k: Value.__dict__[k] for k in ("data", "__lt__", "__le__", "__gt__", "__ge__",
                                            "__float__", "backward", "__init__")}
_lock = threading.Lock()
_active = 0  # how many traces run (in any thread): the hooks stay while > 0


def _set_data(v: Value, x: float) -> None:
    rec = _TRACING.get()
    if rec is not None:
        try:
            old = _SLOT.__get__(v, Value)
        except AttributeError:  # a new Value: made during the trace
            if not _grad_enabled.get():
                raise TypeError(
                    f"compile({rec.fn_name}): fn computes under no_grad() while being "
                    "traced; compiled code would keep those numbers as constants. "
                    "Leave no_grad() out of fn (call the compiled fn inside it instead)"
                ) from None
            rec.created[id(v)] = v
        else:
            raise ValueError(
                f"compile({rec.fn_name}): fn changes .data of a Value ({old!r} -> {x!r}) "
                f"at {_where()} while being traced; compiled code only computes, it "
                "cannot repeat that change. Update .data outside fn (e.g. optimizer.step())"
            )
    _SLOT.__set__(v, x)


def _compare(name: str, op: str) -> Callable:
    original = _ORIGINAL[name]

    def hook(self: Value, other: object) -> bool:
        outcome = original(self, other)
        if _TRACING.get() is not None:
            _record(self, op, other, outcome)
        return outcome

    return hook


def _float(self: Value) -> float:
    _record(self, "==", self.data, True)  # the number leaves the graph: pin it
    return self.data


def _backward(self: Value, gradient: float = 1.0) -> None:
    rec = _TRACING.get()
    if rec is not None:
        raise TypeError(
            f"compile({rec.fn_name}): fn calls backward() at {_where()} while being "
            "traced; fn must only compute. Return the loss and call .backward() on "
            "what the compiled function returns"
        )
    _ORIGINAL["backward"](self, gradient)


def _init(self: Value, data: object, *args: Any, **kwargs: Any) -> None:
    # Value(x) of an input number x is that input, not a constant.
    children = args[0] if args else kwargs.get("_children", ())
    if isinstance(data, Input) and not children:
        _ORIGINAL["__init__"](self, data.data, *args, **kwargs)
        rec = _TRACING.get()
        if rec is not None:
            rec.alias[id(self)] = data
        return
    _ORIGINAL["__init__"](self, data, *args, **kwargs)


_HOOKS = {
    "data": property(_SLOT.__get__, _set_data),
    "__lt__": _compare("__lt__", "<"), "__le__": _compare("__le__", "<="),
    "__gt__": _compare("__gt__", ">"), "__ge__": _compare("__ge__", ">="),
    "__float__": _float, "backward": _backward, "__init__": _init,
}


def _install(on: bool) -> None:
    global _active
    with _lock:
        _active += 1 if on else -1
        if (on and _active == 1) or (not on and _active == 0):
            for k, v in (_HOOKS if on else _ORIGINAL).items():
                setattr(Value, k, v)


# --- the arguments: structure and slots --------------------------------------


class _Same:
    """Compares by identity (a Module, a function, any object) inside a spec."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return type(other) is _Same and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


_STATIC = (str, bytes, bool, type(None))


def flatten(args: Sequence[object], skip: Sequence[int] = ()) -> Tuple[tuple, List[Value], List[float]]:
    """(structure, Values, numbers) of the arguments, walked in order without recursion.

    The structure holds types, lengths, static items (strings, bools, None),
    and Modules and other objects by identity; two calls with equal
    structures can share one trace. ``skip`` lists batched positions.

    >>> s, vs, ns = flatten(([1.0, 2], "mean"))
    >>> ns, s
    ([1.0, 2.0], ('tuple', 2, 'list', 2, 'N', 'N', '=', 'mean'))
    """
    spec: list = []
    values: List[Value] = []
    numbers: List[float] = []
    stack: list = [args]
    while stack:
        x = stack.pop()
        t = type(x)
        if t is float or t is int:
            spec.append("N")
            numbers.append(float(x))
        elif isinstance(x, Value):
            spec.append("V")
            values.append(x)
        elif t is list or t is tuple:
            spec += [t.__name__, len(x)]
            stack += reversed(x) if x is not args else [a for i, a in reversed(list(enumerate(x)))
                                                        if i not in skip]
        elif isinstance(x, _STATIC):
            spec += ["=", x]
        elif isinstance(x, Real):  # Fraction, numpy.float64, ...: a number
            spec.append("N")
            numbers.append(float(x))
        elif isinstance(x, Module):
            params = parameters(x)
            spec += ["M", _Same(x), len(params), _how(x)]
            values += params
        elif t is dict:
            spec += ["dict", tuple(x)]
            stack += reversed(list(x.values()))
        else:
            spec += ["is", _Same(x)]
    return tuple(spec), values, numbers


def _how(m: Module) -> Optional[tuple]:
    """What else than its weights decides what the library's own modules compute.

    Why in the spec: setting a neuron's ``activation`` (or ``fused``) after
    a trace must trace again, not run the old program. Your own Module's
    attributes are not looked at: the how-to says so.
    """
    t = type(m)
    if t is Neuron:
        return (m.activation, m.fused)
    if t is Layer:
        return tuple([(n.activation, n.fused) for n in m.neurons])
    if t is MLP:
        return tuple([_how(layer) for layer in m.layers])
    return None


def parameters(m: Module) -> List[Value]:
    """``m.parameters()``, by a shortcut for the library's own MLP, Layer and Neuron.

    Why: ``Module.parameters()`` inspects every attribute of every object
    under the model, about 0.15 ms for 337 parameters, 8% of a compiled W1
    step that reads them at every call. For these three classes (exact
    types, which have no attributes beyond their slots) the order is known:
    per neuron its weights, then its bias. Anything else, or a parameter
    shared between neurons, takes the general walk.

    >>> m = MLP(2, [3, 1], seed=0)
    >>> parameters(m) == m.parameters()
    True
    """
    t = type(m)
    if t is MLP:
        layers = m.layers
    elif t is Layer:
        layers = [m]
    elif t is Neuron:
        layers = None
    else:
        return m.parameters()
    if layers is None:
        neurons = [m]
    elif type(layers) is list and all(type(layer) is Layer for layer in layers):
        neurons = [n for layer in layers for n in layer.neurons]
    else:
        return m.parameters()
    out: List[Value] = []
    for n in neurons:
        if type(n) is not Neuron or type(n.w) is not list:
            return m.parameters()
        out += n.w
        out.append(n.b)
    if not all([type(p) is Value for p in out]) or len(set(map(id, out))) != len(out):
        return m.parameters()
    return out


def _with_inputs(args: Sequence[object], skip: Sequence[int], made: List[Input]) -> tuple:
    """A copy of args with every number an Input (in flatten's order), without recursion.

    Lists, tuples and dicts are copied; Modules and other objects are passed
    as they are (a Module's parameters are Values already).
    """
    root: list = []
    # frames: (rebuild the container from its items, iterator over its items, items so far)
    frames: list = [(tuple, iter([(i, a) for i, a in enumerate(args)]), root)]
    while frames:
        make, items, acc = frames[-1]
        x = next(items, _END)
        if x is _END:
            frames.pop()
            if frames:
                frames[-1][2].append(make(acc))
            continue
        if acc is root:
            i, x = x
            if i in skip:  # a batched argument: the caller hands out its samples
                acc.append(x)
                continue
        t = type(x)
        if t is list or t is tuple:
            frames.append((t, iter(x), []))
        elif t is dict:
            frames.append((lambda vs, keys=list(x): dict(zip(keys, vs)), iter(x.values()), []))
        elif t is float or t is int or (isinstance(x, Real) and not isinstance(x, (bool, Value))):
            v = Input(float(x))
            made.append(v)
            acc.append(v)
        else:
            acc.append(x)
    return tuple(root)


_END = object()


# --- tracing -------------------------------------------------------------------


def trace(fn: Callable, args: Sequence[object], fn_name: str,
          batched: Sequence[int] = (), then: Optional[Callable] = None) -> Trace:
    """Call ``fn(*args)`` eagerly with the hooks on; return what it computed.

    ``batched`` lists the argument positions that hold one *sample* of a
    batch: their numbers become ``x0, x1, ...`` (per sample), the others'
    ``n0, n1, ...``. ``then(r, *other arguments)`` is traced after fn, with
    ``r`` standing for the loop's result (``r0``): its nodes go to
    ``t.tail``. Raises TypeError/ValueError for what cannot be compiled.
    """
    _, values, _ = flatten(args, batched)
    numbers: List[Input] = []
    traced_args = _with_inputs(args, (), numbers)
    kinds: List[str] = []
    for i, a in enumerate(args):
        kinds += ["x" if i in batched else "n"] * len(flatten((a,))[2])
    rec = _Recorder(fn_name)
    token = _TRACING.set(rec)
    grad_token = _grad_enabled.set(True)  # a trace always records, even under no_grad()
    _install(True)
    try:
        result = fn(*traced_args)
        if then is not None:
            _outputs(result, fn_name, one=True)
            n_sample_guards = len(rec.guards)
            r = Input(result.data)
            final = then(r, *[a for i, a in enumerate(traced_args) if i not in batched])
    finally:
        _install(False)
        _grad_enabled.reset(grad_token)
        _TRACING.reset(token)
    t = Trace()
    t.outputs = _outputs(result, fn_name)
    t.keep = [traced_args, result, rec.created]
    count = {"x": 0, "n": 0}
    for kind, v in zip(kinds, numbers):
        t.slot[id(v)] = (kind, count[kind])
        count[kind] += 1
    for leaf, v in rec.alias.items():
        t.slot[leaf] = t.slot[id(v)]
    for v in values:
        if id(v) not in t.slot:
            t.slot[id(v)] = ("p", len(t.inputs))
            t.inputs.append(v)
        t.firsts.append(t.slot[id(v)][1])
    t.n_args = len(t.inputs)
    t.guards = rec.guards
    t.n_sample_guards = n_sample_guards if then else len(t.guards)  # the rest are then()'s
    roots = t.outputs + _guard_roots(t.guards[:n_sample_guards if then else None])
    _walk(t, roots, rec.created, fn_name, t.nodes)
    t.loop_output = t.outputs[0]  # batches: the per-sample result, added up by the loop
    t.has_then = then is not None
    if then is not None:
        t.slot[id(r)] = ("r", 0)
        t.keep.append((r, final))
        t.outputs = _outputs(final, getattr(then, "__name__", "then"), one=True)
        roots = t.outputs + _guard_roots(t.guards[n_sample_guards:])
        _walk(t, roots, rec.created, fn_name, t.tail)
        per_sample = set(map(id, t.nodes))
        if any(t.slot.get(id(p), ("",))[0] == "x" or id(p) in per_sample
               for v in t.tail for p in v._prev):
            raise TypeError(
                f"compile({fn_name}, then=...): then may use the reduced loss and the "
                "arguments that are not batched, not the sample's values"
            )
    return t


def _guard_roots(guards: list) -> List[Value]:
    return [g[0] for g in guards] + [g[2] for g in guards if isinstance(g[2], Value)]


def _outputs(result: object, fn_name: str, one: bool = False) -> List[Value]:
    if isinstance(result, Value):
        return [result]
    if one:
        raise TypeError(
            f"compile({fn_name}, batch=...): must return one Value per call (the loss), "
            f"got {type(result).__name__} {result!r:.80}"
        )
    if type(result) in (list, tuple) and result and all(isinstance(v, Value) for v in result):
        return list(result)
    raise TypeError(
        f"compile({fn_name}): fn must return a Value, or a list or tuple of Values, "
        f"got {type(result).__name__} {result!r:.80}; return the loss itself "
        "(not loss.data), and numbers as Value(x)"
    )


def _walk(t: Trace, roots: List[Value], created: Dict[int, Value], fn_name: str,
          into: List[Value]) -> None:
    """Put the op nodes in order, inputs first; find the Values fn reached from outside."""
    done: set = set()
    for root in roots:
        stack = [(root, False)]
        while stack:
            v, expanded = stack.pop()
            key = id(v)
            if expanded:
                if key not in done:
                    done.add(key)
                    into.append(v)
                continue
            if key in done or key in t.slot:
                continue
            if key not in created:  # made before fn ran: an input, read afresh per call
                t.slot[key] = ("p", len(t.inputs))
                t.inputs.append(v)
                continue
            if not v._prev:  # a constant fn made
                done.add(key)
                continue
            if custom_backward(v) is not None or v._op not in SUPPORTED_OPS:
                raise TypeError(
                    f"compile({fn_name}): cannot compile the op {v._op!r} (a node with "
                    f"{'its own _backward closure' if custom_backward(v) else 'no codegen rule'}); "
                    "build fn from Value's operations, sum, dot and linear"
                )
            stack.append((v, True))
            stack += [(p, False) for p in reversed(v._prev) if id(p) not in done]

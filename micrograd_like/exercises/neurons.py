"""Exercises on building blocks: a micrograd-style ``Neuron`` and ``Layer`` class.

- :func:`check_neuron`: ``cls(nin)`` with ``.w`` (nin Values), ``.b`` (a
  Value), ``__call__(x)`` giving ``tanh(w . x + b)`` and ``parameters()``
  giving ``w + [b]``. The check sets the weights to known numbers and
  compares the value and every gradient with the library's
  :class:`micrograd_like.nn.Neuron` (``activation="tanh"``).
- :func:`check_layer`: ``cls(nin, nout)`` whose ``__call__(x)`` gives nout
  Values (a bare Value when nout == 1 is fine, as in micrograd) and whose
  ``parameters()`` lists every neuron's, neuron by neuron.

The learner's classes draw their weights from the global ``random`` module,
as in the lecture; the checks seed it and give its state back afterwards.
"""

from __future__ import annotations

import math
import random
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, List, Optional, Sequence

from micrograd_like._format import fmt
from micrograd_like.engine import Value
from micrograd_like.exercises._report import Report
from micrograd_like.exercises.ops import _check_callable, _close, _error
from micrograd_like.nn import Layer, Neuron

__all__ = ["check_neuron", "check_layer"]

MISTAKES: Dict[str, str] = {
    "bias": "the bias is left out of w . x + b, or multiplied instead of added",
    "activation": "no tanh, another activation, or tanh applied to each term instead of the sum",
    "parameters": "parameters() misses some Values, has the wrong count or order, or returns copies",
    "init": "the weights start all equal (e.g. zeros: the symmetry problem) or equal in every neuron",
    "shared-neuron": "the layer holds the same Neuron object several times ([Neuron(nin)] * nout)",
    "shape": "the layer returns the wrong number of outputs",
}

# Known numbers: w . x + b is -1.03 for X1 and 0.55 for X2 (so ReLU and tanh differ).
_W, _B = [0.5, -1.2, 0.8], 0.3
_X1, _X2 = [1.5, 0.4, -2.0], [0.5, 1.0, 1.5]


@contextmanager
def _seeded(seed: int = 0) -> Iterator[None]:
    """The global random module seeded for the check, its state given back after."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _dot(w: Sequence[float], x: Sequence[float]) -> float:
    return sum(wi * xi for wi, xi in zip(w, x))


def _sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# What each mistake computes instead of tanh(w . x + b): (code, in words, value).
_NEURON_MISTAKES = [
    ("bias", "tanh(w . x): the bias is left out", lambda w, x, b: math.tanh(_dot(w, x))),
    ("bias", "tanh((w . x) * b): the bias is multiplied", lambda w, x, b: math.tanh(_dot(w, x) * b)),
    ("bias", "tanh(sum(w_i * x_i + b)): the bias is added to every term",
     lambda w, x, b: math.tanh(_dot(w, x) + len(w) * b)),
    ("activation", "w . x + b: no tanh", lambda w, x, b: _dot(w, x) + b),
    ("activation", "relu(w . x + b): micrograd's Neuron uses ReLU, this one tanh",
     lambda w, x, b: max(0.0, _dot(w, x) + b)),
    ("activation", "sigmoid(w . x + b) instead of tanh", lambda w, x, b: _sig(_dot(w, x) + b)),
    ("activation", "sum(tanh(w_i * x_i)) + b: tanh on each term",
     lambda w, x, b: sum(math.tanh(wi * xi) for wi, xi in zip(w, x)) + b),
    ("activation", "sum(tanh(w_i * x_i)) + tanh(b): tanh on each term",
     lambda w, x, b: sum(math.tanh(wi * xi) for wi, xi in zip(w, x)) + math.tanh(b)),
    ("bias", "w . x: no bias and no tanh", lambda w, x, b: _dot(w, x)),
]


def check_neuron(cls: Callable[[int], object]) -> Report:
    """Check a learner's Neuron class against the library's ``Neuron(nin, activation="tanh")``.

    >>> import random
    >>> from micrograd_like import Value, exercises
    >>> class Neuron:
    ...     def __init__(self, nin):
    ...         self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
    ...         self.b = Value(0.0)
    ...     def __call__(self, x):
    ...         return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()
    ...     def parameters(self):
    ...         return self.w              # the bias is missing
    >>> exercises.check_neuron(Neuron).mistake
    'parameters'
    """
    _check_callable(cls, "check_neuron", "your Neuron class")
    ex = "Neuron"
    with _seeded():
        try:
            n, other, n5 = cls(3), cls(3), cls(5)
        except Exception as err:
            return _error(ex, "Neuron(3)", err)
        report = _check_init(ex, n, other, n5)
        if report is not None:
            return report
        ref = Neuron(3, activation="tanh", seed=0)
        for p, q, v in zip(n.w + [n.b], ref.w + [ref.b], _W + [_B]):
            p.data = q.data = float(v)
        for x in (_X1, _X2):
            report = _check_call(ex, n, ref, x)
            if report is not None:
                return report
        report = _check_neuron_parameters(ex, n)
        if report is not None:  # (not `report or ...`: a failed Report is false)
            return report
        return Report(ex, passed=True, message=(
            f"with w = {_W}, b = {_B} the value and every gradient match the library's "
            "Neuron(3, activation='tanh'), and parameters() is w + [b]."))


def _check_init(ex: str, n: object, other: object, n5: object) -> Optional[Report]:
    for neuron, nin in ((n, 3), (n5, 5)):
        w = getattr(neuron, "w", None)
        if not (isinstance(w, list) and len(w) == nin and all(isinstance(v, Value) for v in w)):
            return Report(ex, passed=False, mistake="init", message=(
                f"Neuron({nin}).w is {w!r:.60}; it must be a list of {nin} Values, one weight per "
                "input: self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]."))
        if not isinstance(getattr(neuron, "b", None), Value):
            return Report(ex, passed=False, mistake="bias", message=(
                f"Neuron({nin}).b is {getattr(neuron, 'b', None)!r:.60}, not a Value; give the "
                "neuron a bias: self.b = Value(0.0) (or random.uniform(-1, 1))."))
    w = [v.data for v in n.w]
    if len(set(w)) == 1:
        return Report(ex, passed=False, mistake="init", message=(
            f"All 3 weights of Neuron(3) start at {fmt(w[0])}. Neurons that start equal get equal "
            "gradients and stay equal forever (the symmetry problem); draw each weight with "
            "random.uniform(-1, 1)."))
    if w == [v.data for v in other.w]:
        return Report(ex, passed=False, mistake="init", message=(
            f"Two Neuron(3) made one after the other have the same weights {[fmt(v) for v in w]}: "
            "every neuron of a layer would compute the same thing. Draw the weights from "
            "random.uniform(-1, 1) without re-seeding in __init__."))
    return None


def _check_call(ex: str, n: object, ref: Neuron, x0: List[float]) -> Optional[Report]:
    xs, rx = [Value(v) for v in x0], [Value(v) for v in x0]
    for p in n.w + [n.b] + ref.w + [ref.b]:
        p.grad = 0.0
    call = f"neuron({x0}) with w = {_W}, b = {_B}"
    try:
        out = n(xs)
    except Exception as err:
        return _error(ex, call, err)
    if not isinstance(out, Value):
        return Report(ex, passed=False, mistake="wrong", message=(
            f"{call} returned {type(out).__name__} {out!r:.60}; return one Value, "
            "the tanh of the weighted sum."))
    expected = ref(rx)
    if not _close(out.data, expected.data):
        w = [p.data for p in n.w]
        for code, words, f in _NEURON_MISTAKES:
            if _close(out.data, f(w, x0, n.b.data)):
                return Report(ex, passed=False, mistake=code, message=(
                    f"{call} gave {fmt(out.data)}, expected tanh(w . x + b) = {fmt(expected.data)}; "
                    f"you computed {words}."))
        return Report(ex, passed=False, mistake="wrong", message=(
            f"{call} gave {fmt(out.data)}, expected tanh(w . x + b) = {fmt(expected.data)}."))
    try:
        out.backward()
    except Exception as err:
        return _error(ex, f"Backward through {call}", err)
    expected.backward()
    for name, mine, theirs in _grads(n, ref, xs, rx):
        if not _close(mine, theirs):
            return Report(ex, passed=False, mistake="wrong", message=(
                f"{call} has the right value but {name}.grad is {fmt(mine)}, expected "
                f"{fmt(theirs)}: a _backward you wrote is wrong (try exercises.check_activation "
                "and check_op on your tanh, + and *)."))
    return None


def _grads(n, ref, xs, rx):
    for i in range(len(xs)):
        yield f"w[{i}]", n.w[i].grad, ref.w[i].grad
    yield "b", n.b.grad, ref.b.grad
    for i in range(len(xs)):
        yield f"x[{i}]", xs[i].grad, rx[i].grad


def _check_neuron_parameters(ex: str, n: object) -> Optional[Report]:
    try:
        ps = n.parameters()
    except Exception as err:
        return _error(ex, "neuron.parameters()", err)
    want = n.w + [n.b]
    if not isinstance(ps, list):
        return Report(ex, passed=False, mistake="parameters", message=(
            f"parameters() returned a {type(ps).__name__}, not a list; "
            "return the list self.w + [self.b]."))
    if len(ps) != len(want):
        return Report(ex, passed=False, mistake="parameters", message=(
            f"Neuron(3).parameters() has {len(ps)} Values, expected 4 (3 weights and the bias); "
            "return self.w + [self.b], or the optimizer never updates what is left out."))
    if [id(p) for p in ps] != [id(p) for p in want]:
        if {id(p) for p in ps} == {id(p) for p in want}:
            fix = "the order must be the weights, then the bias (w + [b], as micrograd and state_dict)"
        else:
            fix = ("they must be the neuron's own Values, not copies: an optimizer that updates "
                   "copies leaves the neuron unchanged")
        return Report(ex, passed=False, mistake="parameters", message=(
            f"parameters() is not [w[0], w[1], w[2], b]: {fix}; return self.w + [self.b]."))
    return None


# --- layers ------------------------------------------------------------------


def check_layer(cls: Callable[[int, int], object]) -> Report:
    """Check a learner's Layer class: ``nout`` independent neurons on the same inputs.

    >>> from micrograd_like import Neuron, exercises
    >>> class Layer:
    ...     def __init__(self, nin, nout):
    ...         self.neurons = [Neuron(nin, activation="tanh")] * nout   # one neuron, nout times
    ...     def __call__(self, x):
    ...         return [n(x) for n in self.neurons]
    ...     def parameters(self):
    ...         return [p for n in self.neurons for p in n.parameters()]
    >>> exercises.check_layer(Layer).mistake
    'shared-neuron'
    """
    _check_callable(cls, "check_layer", "your Layer class")
    ex = "Layer"
    with _seeded():
        for nin, nout in ((3, 4), (3, 1), (2, 3)):
            try:
                layer = cls(nin, nout)
                outs = layer([Value(v) for v in _X1[:nin]])
            except Exception as err:
                return _error(ex, f"Layer({nin}, {nout}) on {_X1[:nin]}", err)
            if nout == 1 and isinstance(outs, Value):
                outs = [outs]  # micrograd's bare Value for one output
            if not (isinstance(outs, (list, tuple)) and len(outs) == nout
                    and all(isinstance(o, Value) for o in outs)):
                if isinstance(outs, (list, tuple)):
                    got = f"{len(outs)} outputs"
                elif isinstance(outs, Value):
                    got = f"a single Value ({fmt(outs.data)})"
                else:
                    got = f"{type(outs).__name__} {outs!r:.50}"
                return Report(ex, passed=False, mistake="shape", message=(
                    f"Layer({nin}, {nout})(x) gave {got}; it must give a list of {nout} Values, "
                    "one per neuron: [n(x) for n in self.neurons]."))
            report = _check_layer_parameters(ex, layer, nin, nout, outs)
            if report is not None:
                return report
    return Report(ex, passed=True, message=(
        "Layer(3, 4), Layer(3, 1) and Layer(2, 3) give one output per neuron, and with known "
        "numbers put into parameters() the outputs match the library's Layer."))


def _check_layer_parameters(ex: str, layer: object, nin: int, nout: int, outs) -> Optional[Report]:
    try:
        ps = layer.parameters()
    except Exception as err:
        return _error(ex, f"Layer({nin}, {nout}).parameters()", err)
    if not isinstance(ps, list):
        got = f"a {type(ps).__name__}, not a list"
    else:
        got = next((f"a list holding a {type(p).__name__}" for p in ps if not isinstance(p, Value)), "")
    if got:
        return Report(ex, passed=False, mistake="parameters", message=(
            f"Layer({nin}, {nout}).parameters() returned {got}; return one flat list of Values: "
            "[p for n in self.neurons for p in n.parameters()]."))
    if len({id(p) for p in ps}) < len(ps):
        return Report(ex, passed=False, mistake="shared-neuron", message=(
            f"Layer({nin}, {nout}).parameters() lists the same Values more than once (outputs "
            f"{[fmt(o.data) for o in outs]}): the layer holds one Neuron several times "
            "([Neuron(nin)] * nout). Make a new one each time: [Neuron(nin) for _ in range(nout)]."))
    if nout > 1 and len({o.data for o in outs}) == 1 and len({p.data for p in ps[:nin]}) > 1:
        return Report(ex, passed=False, mistake="shared-neuron", message=(
            f"Layer({nin}, {nout}) gave {nout} equal outputs {fmt(outs[0].data)}: its neurons "
            "have the same weights (one neuron copied, or the same seed in each). Make each "
            "neuron fresh: [Neuron(nin) for _ in range(nout)]."))
    if len(ps) != nout * (nin + 1):
        return Report(ex, passed=False, mistake="parameters", message=(
            f"Layer({nin}, {nout}).parameters() has {len(ps)} Values, expected {nout} * ({nin} + 1) "
            f"= {nout * (nin + 1)}: every neuron's weights and bias."))
    # Put known numbers in, neuron by neuron (w then b), and compare with the library.
    values = [round(math.sin(1.7 * k + 0.3), 3) for k in range(len(ps))]
    for p, v in zip(ps, values):
        p.data = v
    x = _X1[:nin]
    try:
        mine = layer([Value(v) for v in x])
    except Exception as err:
        return _error(ex, f"Layer({nin}, {nout}) on {x}", err)
    mine = [mine] if isinstance(mine, Value) else list(mine)
    for act in ("tanh", "relu", "sigmoid", "linear"):
        ref = Layer(nin, nout, activation=act, seed=0)
        for p, v in zip(ref.parameters(), values):
            p.data = v
        theirs = ref(x)
        theirs = [theirs] if isinstance(theirs, Value) else theirs
        if all(_close(a.data, b.data) for a, b in zip(mine, theirs)):
            return None
    if all(_close(a.data, b.data) for a, b in zip(mine, outs)):
        return Report(ex, passed=False, mistake="parameters", message=(
            f"Setting every Value in Layer({nin}, {nout}).parameters() to new numbers did not change "
            "the outputs: parameters() returns copies, not the neurons' own Values."))
    report = _check_blocks(ex, ps, mine, nin, nout)
    if report is not None:
        return report
    return Report(ex, passed=False, mistake="wrong", message=(
        f"With parameters() set to known numbers, Layer({nin}, {nout}) gave "
        f"{[fmt(o.data) for o in mine]}, which no library Layer with the same numbers gives: "
        "parameters() must go neuron by neuron, each w then b, or the neuron itself is wrong "
        "(run exercises.check_neuron first)."))


def _check_blocks(ex: str, ps: List[Value], outs: List[Value], nin: int, nout: int) -> Optional[Report]:
    """A "parameters" report if output k does not depend on exactly block k of parameters()."""
    for k, out in enumerate(outs):
        for p in ps:
            p.grad = 0.0
        try:
            out.backward()
        except Exception as err:
            return _error(ex, f"Backward through output {k} of Layer({nin}, {nout})", err)
        used = [j for j, p in enumerate(ps) if p.grad != 0.0]
        block = list(range(k * (nin + 1), (k + 1) * (nin + 1)))
        if not set(used) <= set(block):  # (fewer: the neuron's own doing, not the order)
            return Report(ex, passed=False, mistake="parameters", message=(
                f"Output {k} of Layer({nin}, {nout}) depends on parameters() items {used}, "
                f"expected {block}: list them neuron by neuron, each neuron's w then b: "
                "[p for n in self.neurons for p in n.parameters()]."))
    return None

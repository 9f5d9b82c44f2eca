"""Exercises on single ops: write an activation's or an operator's ``_backward``.

Two checks, micrograd-lecture style (compute the number, make
``out = Value(t, (x,), 'tanh')``, give ``out._backward`` a closure that adds
to the inputs' ``.grad``):

- :func:`check_activation` for "tanh", "sigmoid", "relu", "leaky_relu";
- :func:`check_op` for "add", "sub", "mul", "div", "pow", "exp", "log".

Each runs the learner's function at a few inputs, with the output used in a
larger expression (``z = 2.5 * out + x``) and an input that already holds a
gradient, and compares every gradient with what the correct rule gives and
with what each known mistake would give, so the report can name it.
"""

from __future__ import annotations

import math
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from micrograd_like._format import fmt
from micrograd_like.engine import Value, _sigmoid, custom_backward
from micrograd_like.exercises._report import Report, _check_name, _where

__all__ = ["check_activation", "check_op"]

MISTAKES: Dict[str, str] = {
    "overflow": "the function overflows (OverflowError, nan or inf) at large inputs such as x = 1000",
    "input-not-output": "the derivative uses the input x where the output t was meant: 1 - x**2",
    "accumulate": "`=` instead of `+=` in _backward: a gradient that was already there is lost",
    "sign": "a derivative with the wrong sign, e.g. d(a - b)/db = +1 or d(a / b)/db = +a/b**2",
    "chain": "the local derivative is not multiplied by out.grad (the chain rule's upstream factor)",
    "swapped": "the operands are swapped in the rule, e.g. a.grad += a.data * out.grad for a * b",
    "forward": "the forward value is wrong, or the function does not return a Value",
    "no-backward": "out._backward is never set, or out has no children: no gradient gets through",
    "error": "your code raised an exception",
}

# The check's own inputs: no zero (relu's kink), no x == tanh(x) coincidence.
_ACT_POINTS = (-1.7, -0.4, 0.6, 1.3)
_BIG_POINTS = (-1000.0, -710.0, -400.0, 400.0, 710.0, 1000.0)
_UPSTREAM = 2.5  # out.grad seen by the learner's closure: z = 2.5 * out + x
_HELD = 0.25  # a gradient the input already holds before backward


# --- shared by the exercise modules: calling the learner's code ---------------

def _error(exercise: str, doing: str, err: BaseException) -> Report:
    """Report the learner's exception as mistake "error", with the learner's line."""
    return Report(exercise, passed=False, mistake="error",
                  message=f"{doing} raised {type(err).__name__}: {err}{_where(err)}. "
                          "Fix that line and run the check again.")


def _check_callable(fn: object, check: str, what: str) -> None:
    if not callable(fn):
        raise TypeError(f"{check}: expected {what} (a function or class), got "
                        f"{type(fn).__name__} {fn!r}; pass the function itself, without calling it")


def _close(got: float, expected: float) -> bool:
    return math.isclose(got, expected, rel_tol=1e-7, abs_tol=1e-9)


# --- activations ---------------------------------------------------------------

# name -> (forward, derivative from the output t, derivative from the input x,
#          the rule in words)
_ACTIVATIONS = {
    "tanh": (math.tanh, lambda x, t: 1 - t * t, lambda x, t: 1 - x * x, "1 - t**2"),
    "sigmoid": (_sigmoid, lambda x, t: t * (1 - t), lambda x, t: x * (1 - x), "t * (1 - t)"),
    "relu": (lambda x: max(x, 0.0), lambda x, t: float(x > 0), None, "(x > 0) * 1.0"),
    "leaky_relu": (lambda x: x if x > 0 else 0.01 * x, lambda x, t: 1.0 if x > 0 else 0.01,
                   None, "1 if x > 0 else 0.01"),
}

_STABLE = {
    "tanh": "Use math.tanh(x), or (1 - e) / (1 + e) with e = math.exp(-2 * abs(x)) and the sign of x",
    "sigmoid": ("For x < 0 compute math.exp(x) / (1 + math.exp(x)) instead "
                "(exp of a negative number never overflows)"),
    "relu": "Compare with 0 instead of computing anything large",
    "leaky_relu": "Compare with 0 instead of computing anything large",
}


def check_activation(name: str, fn: Callable[[Value], Value]) -> Report:
    """Check a learner's activation ``fn(x) -> Value`` and its ``_backward``.

    ``name`` is "tanh", "sigmoid", "relu" or "leaky_relu" (slope 0.01, as
    ``functional.leaky_relu``). The check compares values and gradients at a
    few inputs, then tries x = +-1000 and other large inputs.

    >>> import math
    >>> from micrograd_like import Value, exercises
    >>> def tanh(x):
    ...     t = math.tanh(x.data)
    ...     out = Value(t, (x,), "tanh")
    ...     def _backward():
    ...         x.grad += (1 - x.data**2) * out.grad   # the input, not the output t
    ...     out._backward = _backward
    ...     return out
    >>> report = exercises.check_activation("tanh", tanh)
    >>> report.mistake
    'input-not-output'
    """
    _check_name(name, tuple(_ACTIVATIONS), "check_activation")
    _check_callable(fn, "check_activation", "your activation function")
    forward, deriv, deriv_input, rule = _ACTIVATIONS[name]
    variants = [("correct", deriv), ("sign", lambda x, t: -deriv(x, t))]
    if deriv_input is not None:
        variants.append(("input-not-output", deriv_input))
    grads: List[Tuple[float, float]] = []
    for x0 in _ACT_POINTS:
        got = _run_one(name, fn, (x0,), forward(x0))
        if isinstance(got, Report):
            return got
        grads.append((x0, got[0]))
    # Which rule, with or without out.grad and with = or +=, gives these numbers?
    local = [(x0, forward(x0)) for x0, _ in grads]
    found = _match([g for _, g in grads], lambda v, k: v(*local[k]), variants)
    if found != ["correct"]:
        cases = [(f"x = {fmt(x0)}", g, _UPSTREAM * deriv(*local[k])) for k, (x0, g) in enumerate(grads)]
        return _diagnose_rule(name, "x", found, cases, f"d {name}(x)/dx is {rule}")
    for x0 in _BIG_POINTS:  # only now: a rule that is right at small x
        report = _check_big(name, fn, x0, forward(x0), deriv(x0, forward(x0)))
        if report is not None:
            return report
    return Report(name, passed=True, message=f"values and gradients match at x = "
                  f"{', '.join(map(fmt, _ACT_POINTS))}, and x = +-1000 does not overflow.")


def _check_big(name: str, fn: Callable, x0: float, t: float, d: float) -> Optional[Report]:
    """None if fn is fine at a large x0, else an "overflow" (or "error") report."""
    x = Value(x0)
    try:
        out = fn(x)
        z = _UPSTREAM * out + x
        z.backward()
    except ArithmeticError as err:
        return Report(name, passed=False, mistake="overflow", message=(
            f"{name}(Value({fmt(x0)})) raised {type(err).__name__}: {err}{_where(err)}; "
            "math.exp(u) overflows once u is above 709.78 (math.exp(2 * x): x above 354.9). "
            f"{_STABLE[name]}."))
    except Exception as err:
        return _error(name, f"{name}(Value({fmt(x0)}))", err)
    data, grad = getattr(out, "data", None), x.grad - 1.0
    if not (isinstance(data, float) and math.isfinite(data) and math.isfinite(grad)):
        return Report(name, passed=False, mistake="overflow", message=(
            f"{name}(Value({fmt(x0)})) gave value {data!r} and gradient {grad!r} (expected "
            f"{fmt(t)} and {fmt(d * _UPSTREAM)}): inf or nan from a huge intermediate. "
            f"{_STABLE[name]}."))
    if not (_close(data, t) and _close(grad, d * _UPSTREAM)):
        return Report(name, passed=False, mistake="overflow", message=(
            f"{name}(Value({fmt(x0)})) gave {fmt(data)} with gradient {fmt(grad)}, expected "
            f"{fmt(t)} and {fmt(d * _UPSTREAM)}: precision lost at large inputs. {_STABLE[name]}."))
    return None


# --- operators -----------------------------------------------------------------

# name -> (forward, rules per input, the rule in words). A rule
# takes (a, b, out) -- b is the exponent n for pow -- and gives d out / d input.
_OPS = {
    "add": (lambda a, b: a + b, [lambda a, b, o: 1.0, lambda a, b, o: 1.0], ("1", "1")),
    "sub": (lambda a, b: a - b, [lambda a, b, o: 1.0, lambda a, b, o: -1.0], ("1", "-1")),
    "mul": (lambda a, b: a * b, [lambda a, b, o: b, lambda a, b, o: a], ("b", "a")),
    "div": (lambda a, b: a / b, [lambda a, b, o: 1 / b, lambda a, b, o: -a / b**2],
            ("1/b", "-a/b**2")),
    "pow": (lambda a, n: a**n, [lambda a, n, o: n * a ** (n - 1)], ("n * a**(n - 1)",)),
    "exp": (math.exp, [lambda a, b, o: o], ("out.data (e**a is its own derivative)",)),
    "log": (math.log, [lambda a, b, o: 1 / a], ("1/a",)),
}
_OP_POINTS = {
    "add": [(3.0, -2.0), (-1.5, 0.5), (0.7, 4.0)], "sub": [(3.0, -2.0), (-1.5, 0.5), (0.7, 4.0)],
    "mul": [(3.0, -2.0), (-1.5, 0.5), (0.7, 4.0)], "div": [(3.0, -2.0), (-1.5, 0.5), (0.7, 4.0)],
    "pow": [(3.0, 2), (1.5, 3), (2.0, -1), (4.0, 0.5)],
    "exp": [(-1.0,), (0.5,), (2.0,)], "log": [(0.5,), (2.0,), (3.0,)],
}
_FORMULA = {"add": "a + b", "sub": "a - b", "mul": "a * b", "div": "a / b", "pow": "a ** n",
            "exp": "exp(a)", "log": "log(a)"}


def check_op(name: str, fn: Callable[..., Value]) -> Report:
    """Check a learner's operator: forward value and ``_backward`` closure.

    ``fn(a, b)`` for "add", "sub", "mul", "div"; ``fn(a, n)`` with ``n`` a
    number for "pow"; ``fn(a)`` for "exp" and "log". Both inputs get checked
    separately (an input that already holds a gradient, the output used in a
    larger expression), then ``fn(a, a)``: a leaf used twice.

    >>> from micrograd_like import Value, exercises
    >>> def sub(a, b):
    ...     out = Value(a.data - b.data, (a, b), "-")
    ...     def _backward():
    ...         a.grad += out.grad
    ...         b.grad += out.grad          # d(a - b)/db is -1
    ...     out._backward = _backward
    ...     return out
    >>> print(exercises.check_op("sub", sub))  # doctest: +ELLIPSIS
    sub: not yet [sign]. ...
    """
    _check_name(name, tuple(_OPS), "check_op")
    _check_callable(fn, "check_op", "your op function")
    forward, rules, words = _OPS[name]
    points = _OP_POINTS[name]
    grads: List[List[float]] = []
    for args in points:
        got = _run_one(name, fn, args, forward(*args))
        if isinstance(got, Report):
            return got
        grads.append(list(got))
    for i, rule in enumerate(rules):  # each input's line of _backward on its own
        variants = [("correct", rule), ("sign", lambda a, b, o, r=rule: -r(a, b, o))]
        if name == "mul":
            variants.append(("swapped", _OPS["mul"][1][1 - i]))
        if name == "div":
            variants.append(("swapped", _OPS["div"][1][1 - i]))
        if name == "exp":
            variants.append(("input-not-output", lambda a, b, o: a))
        def at(v, k, i=i):
            return v(*_ab(points[k]), forward(*points[k]))
        found = _match([g[i] for g in grads], at, variants)
        if found != ["correct"]:
            names = ("a", "n") if name == "pow" else ("a", "b")
            cases = [(", ".join(f"{n} = {fmt(v)}" for n, v in zip(names, points[k])), grads[k][i],
                      _UPSTREAM * at(rule, k)) for k in range(len(points))]
            return _diagnose_rule(name, "ab"[i], found, cases,
                                  f"d({_FORMULA[name]})/d{'ab'[i]} is {words[i]}")
    if len(rules) == 2:  # fn(a, a): both lines add to the same .grad
        a0 = points[0][0]
        report = _check_twice(name, fn, a0, sum(r(a0, a0, forward(a0, a0)) for r in rules))
        if report is not None:
            return report
    return Report(name, passed=True, message=f"{_FORMULA[name]} and its gradients match at "
                  f"{len(points)} inputs" + (", also with a used twice." if len(rules) == 2 else "."))


def _ab(args: Sequence[float]) -> Tuple[float, float]:
    return (args[0], args[1]) if len(args) == 2 else (args[0], 0.0)


def _check_twice(name: str, fn: Callable, a0: float, d: float) -> Optional[Report]:
    a = Value(a0)
    try:
        out = fn(a, a)
        (_UPSTREAM * out + a).backward()
    except Exception as err:
        return _error(name, f"{name}(a, a)", err)
    got, expected = a.grad, _UPSTREAM * d + 1.0
    if not _is_number(got):
        return _not_a_number(name, "a.grad", got)
    if _close(got, expected):
        return None
    return Report(name, passed=False, mistake="accumulate", message=(
        f"With a = {fmt(a0)} used twice, {name}(a, a) gave a.grad = {fmt(got)}, expected "
        f"{fmt(expected)}: the line for b overwrote what the line for a had added. "
        "Write a.grad += ... and b.grad += ..., never =."))


# --- running the learner's code once, and matching the numbers with mistakes ---


def _run_one(name: str, fn: Callable, args: Tuple[float, ...], expected: float):
    """Run z = 2.5 * fn(*inputs) + sum(inputs) backward; the inputs' grads minus the
    direct 1 and the held 0.25, i.e. what fn's _backward added, or a Report."""
    values = [Value(args[0])] + [Value(b) for b in args[1:] if name != "pow"]
    shown = ", ".join(fmt(v) for v in args)
    call = f"{name}({shown})"
    try:
        out = fn(*values, *args[1:]) if name == "pow" else fn(*values)
    except Exception as err:
        return _error(name, call, err)
    if not isinstance(out, Value):
        return Report(name, passed=False, mistake="forward", message=(
            f"{call} returned {type(out).__name__} {out!r:.60}; return a Value: "
            f"out = Value(result, (inputs...), '{name}')."))
    if not _close(out.data, expected):
        return Report(name, passed=False, mistake="forward", message=(
            f"{call} gave {fmt(out.data)}, expected {fmt(expected)}; fix the forward computation."))
    # A closure on a node without children never runs; and without a closure of the
    # learner's, a single node on the inputs would be the library's rule doing the work.
    mine = custom_backward(out) is not None
    if not out._prev or (not mine and set(map(id, out._prev)) <= set(map(id, values))):
        children = "has no children" if not out._prev else "has no _backward of yours"
        return Report(name, passed=False, mistake="no-backward", message=(
            f"The Value that {call} returns {children}, so no gradient of yours reaches the "
            "inputs; make out = Value(t, (inputs...), op), define def _backward(): ... inside "
            "your function and assign out._backward = _backward."))
    for v in values:
        v.grad = _HELD
    try:
        z = _UPSTREAM * out
        for v in values:
            z = z + v
        z.backward()
    except Exception as err:
        return _error(name, f"Backward through {call}", err)
    for v, label in zip(values, ("a", "b") if name in _OPS else ("x",)):
        if not _is_number(v.grad):
            return _not_a_number(name, f"{label}.grad", v.grad)
    return [v.grad - _HELD - 1.0 for v in values]


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _not_a_number(exercise: str, what: str, got: object) -> Report:
    return Report(exercise, passed=False, mistake="wrong", message=(
        f"After backward {what} is {_seen(got)}; add floats to .grad."))


def _seen(got: object, used: str = "out, x", meant: str = "out.data, x.data") -> str:
    """What a .grad or .data holds that is not a number (training.py says it too)."""
    if isinstance(got, Value):
        return (f"a Value (data {fmt(got.data)}), not a number: a rule used a Value ({used}) "
                f"where its number ({meant}) was meant")
    return f"{type(got).__name__} {got!r:.50}, not a number"


def _match(got: List[float], at: Callable, variants) -> List[str]:
    """The mistakes whose predicted gradients equal ``got`` at every point: the rule
    variant's code, plus "chain" (no * out.grad) and "accumulate" (= not +=)."""
    for code, v in variants:
        for chain in (False, True):
            for accumulate in (False, True):
                ok = True
                for k, g in enumerate(got):
                    pred = at(v, k) * (1.0 if chain else _UPSTREAM)
                    if accumulate:  # = threw away the held 0.25 and the direct 1
                        pred -= _HELD + 1.0
                    if not _close(g, pred):
                        ok = False
                        break
                if ok:
                    found = [] if code == "correct" else [code]
                    found += ["chain"] * chain + ["accumulate"] * accumulate
                    return found or ["correct"]
    return []


_FIX = {
    "sign": "check the sign of the derivative",
    "swapped": "each input's gradient uses the OTHER input: a.grad += b.data * out.grad",
    "input-not-output": "write the derivative with the output t = out.data",
    "chain": "multiply the local derivative by out.grad",
    "accumulate": "use += so that gradients from every use add up",
    "no-backward": "make your closure add to the input's .grad",
}


def _diagnose_rule(exercise: str, what: str, found: List[str], cases, words: str) -> Report:
    """A report for one input's line of _backward. ``cases``: (inputs shown, what the
    learner's _backward added, what the correct rule adds), one per point."""
    shown, got, exp = next((c for c in cases if not _close(c[1], c[2])), cases[0])
    where = f"at {shown}"
    if not found:
        if all(_close(c[1], 0.0) for c in cases):
            found = ["no-backward"]
        else:
            return Report(exercise, passed=False, mistake="wrong", message=(
                f"With out.grad = {_UPSTREAM} {where}, your _backward added {fmt(got)} to "
                f"{what}.grad, expected {fmt(exp)}; {words}."))
    code = found[0]
    if code == "accumulate":
        said = (f"{what}.grad held {_HELD} and got +1 from the rest of the expression, but after "
                f"your _backward it is {fmt(got + _HELD + 1.0)}, expected "
                f"{fmt(exp + _HELD + 1.0)} {where}")
    elif code == "no-backward":
        said = f"Your _backward added nothing to {what}.grad {where} (expected {fmt(exp)})"
    else:
        said = (f"With out.grad = {_UPSTREAM} {where}, your _backward added {fmt(got)} to "
                f"{what}.grad, expected {fmt(exp)} ({words})")
    fixes = "; ".join(_FIX[c] for c in found)
    also = f" (also {', '.join(found[1:])})" if len(found) > 1 else ""
    return Report(exercise, passed=False, mistake=code, message=f"{said}{also}. Fix: {fixes}.")

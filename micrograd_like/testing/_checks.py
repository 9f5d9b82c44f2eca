"""Checking what users pass to the gradient checks: inputs, fn and tolerances, once, at the entrance.

Shared by every check in ``micrograd_like.testing`` (classic, forward mode,
``check``), so the same mistake gets the same message everywhere.

>>> _check_inputs([1, 2.5], "gradcheck")
[1.0, 2.5]
"""

from __future__ import annotations

import inspect
import math
from numbers import Real
from typing import Callable, List, Optional, Sequence, Union

from micrograd_like.engine import Value

Scalar = Union[Value, int, float]
Inputs = Union[Scalar, Sequence[Scalar]]


def _call(fn: Callable[..., Value], xs: List[Value], where: str) -> Value:
    out = fn(*xs)
    if not isinstance(out, Value):
        hint = (
            "; return one Value (sum the outputs, or check each one)"
            if isinstance(out, (list, tuple))
            else "; build the result from the Values fn receives"
        )
        raise TypeError(
            f"{where}: fn must return a Value, got {type(out).__name__} {out!r}{hint}"
        )
    return out



def _check_inputs(inputs: Inputs, where: str) -> List[float]:
    if isinstance(inputs, (Value, Real)):
        inputs = [inputs]  # one input may be passed bare, as in torch
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(
            f"{where}: inputs must be a list of numbers (one per argument of "
            f"fn), got {type(inputs).__name__} {inputs!r}"
        )
    if len(inputs) == 0:
        raise ValueError(f"{where}: inputs is empty; pass one number per argument of fn")
    xs = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            x = x.data
        elif isinstance(x, Real):
            x = float(x)
        else:
            raise TypeError(
                f"{where}: input {i} must be a number or a Value, got "
                f"{type(x).__name__} {x!r}"
            )
        if not math.isfinite(x):
            raise ValueError(
                f"{where}: input {i} is {x!r}; gradients can only be checked "
                "at finite points"
            )
        xs.append(x)
    return xs


def _check_positive(x: object, name: str, where: str, allow_zero: bool = False) -> None:
    ok = isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(x)
    ok = ok and (x >= 0 if allow_zero else x > 0)
    if not ok:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{where}: {name} must be a finite number {bound}, got {x!r}")


def _check_tolerances(
    eps: Optional[float], atol: Optional[float], rtol: Optional[float], where: str,
    optional: bool = False,
) -> None:
    """eps > 0, atol and rtol >= 0; with ``optional``, None (automatic) is fine too."""
    for name, x in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if not (optional and x is None):
            _check_positive(x, name, where, allow_zero=name != "eps")


def _check_callable(fn: object, n: int, where: str) -> None:
    if not callable(fn):
        raise TypeError(
            f"{where}: fn must be a function of {n} Value(s), got "
            f"{type(fn).__name__} {fn!r}"
        )
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # some builtins have no signature: just call
        return
    try:
        signature.bind(*range(n))
    except TypeError:
        raise TypeError(
            f"{where}: fn{signature} cannot be called with {n} input(s); pass "
            "exactly one input per argument of fn"
        ) from None

"""Checks of what a learner passes to ``Replay``: each message names the value and the fix.

>>> check_int(0, "every", 1, None, "record every k-th epoch")
Traceback (most recent call last):
...
ValueError: Replay: every must be an int >= 1 (record every k-th epoch), got 0
"""

from __future__ import annotations

from numbers import Real
from typing import Any, List, Optional, Sequence

from micrograd_like import Value
from micrograd_like.nn import Module


def as_number(x: Any, what: str) -> float:
    if isinstance(x, Value):
        x = x.data
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"Replay.record: {what} must be a number, got {type(x).__name__} "
                        f"{short(x)}")
    return float(x)


def check_int(value: Any, name: str, lo: int, hi: Optional[int], why: str,
               where: str = "Replay") -> int:
    span = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where}: {name} must be an int {span} ({why}), got "
                        f"{type(value).__name__} {value!r}")
    if value < lo or (hi is not None and value > hi):
        raise ValueError(f"{where}: {name} must be an int {span} ({why}), got {value!r}")
    return value


def check_X(X: Any, model: Module) -> List[List[float]]:
    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__") or not hasattr(X, "__getitem__"):
        raise TypeError(f"Replay: X must be a list of samples, e.g. [[x1, x2], ...], got "
                        f"{type(X).__name__}")
    if len(X) == 0:
        raise ValueError("Replay: X is empty; pass the training samples, e.g. [[x1, x2], ...]")
    rows = []
    for i, x in enumerate(X):
        row = [x] if isinstance(x, Real) else x
        if isinstance(row, (str, bytes)) or not isinstance(row, (list, tuple)) or not all(
                isinstance(v, Real) and not isinstance(v, bool) for v in row):
            raise TypeError(f"Replay: X[{i}] must be a list of numbers (one sample), got "
                            f"{short(x)}")
        if rows and len(row) != len(rows[0]):
            raise ValueError(f"Replay: X[0] has {len(rows[0])} numbers but X[{i}] has "
                             f"{len(row)}; every sample needs the same number of inputs")
        rows.append([float(v) for v in row])
    nin = getattr(model, "nin", None)
    if isinstance(nin, int) and nin != len(rows[0]):
        flat = (" (X looks flat: pass one list per sample, [[x1, x2], ...])"
                if isinstance(X[0], Real) else "")
        raise ValueError(f"Replay: each sample of X has {len(rows[0])} numbers, but the model "
                         f"takes {nin} inputs (model.nin = {nin}){flat}")
    return rows


def check_y(y: Any, n: int) -> Sequence[Any]:
    if isinstance(y, (str, bytes)) or not hasattr(y, "__len__") or not hasattr(y, "__getitem__"):
        raise TypeError(f"Replay: y must be a list of targets, one per sample, got "
                        f"{type(y).__name__}")
    if len(y) != n:
        raise ValueError(f"Replay: X has {n} samples but y has {len(y)}; pass one target "
                         "per sample")
    return y


def short(x: Any, limit: int = 80) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."

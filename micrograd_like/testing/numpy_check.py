"""Check a hand-written NumPy backward pass against autodiff of the same NumPy forward code.

The "neural network from scratch" articles write a network in NumPy and
derive its gradients by hand (``d_z_2 = error * sigmoid_derivative(z_2)``...).
NumPy arrays of ``dtype=object`` holding Values run that forward code
unchanged: ``np.dot``, ``+``, ``*`` call the Values' operators, and
``np.exp(a)`` calls each element's ``.exp()``. So ``check_numpy_grads`` runs
your forward (the loss) on Values, backpropagates, and compares the result
with your gradient arrays, entry by entry, in a ``CheckReport``.

numpy is needed only here, and imported only when the function is called.

>>> import numpy as np
>>> w = np.array([[0.5, -1.0]]); x = np.array([[2.0], [3.0]])
>>> loss = lambda p: (np.dot(p["w"], x) ** 2).sum()       # (w . x)**2
>>> hand = {"w": 2 * np.dot(w, x) * x.T}                   # 2 (w . x) x
>>> bool(check_numpy_grads(loss, {"w": w}, hand))
True
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Mapping

from micrograd_like.engine import Value
from micrograd_like.grad_mode import enable_grad
from micrograd_like.testing.report import CheckReport, Entry, GradcheckError

__all__ = ["check_numpy_grads"]


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        raise ImportError(
            "check_numpy_grads needs NumPy, which is not installed; "
            "install it with: pip install numpy"
        ) from None
    return numpy


def check_numpy_grads(
    loss: Callable[[Dict[str, Any]], Any],
    params: Mapping[str, Any],
    grads: Mapping[str, Any],
    *,
    atol: float = 1e-9,
    rtol: float = 1e-7,
    raise_exception: bool = True,
) -> CheckReport:
    """Compare ``grads`` (yours, by hand) with d loss / d params (by autodiff of ``loss``).

    ``params`` maps names to float arrays; ``loss(p)`` gets the same names
    mapped to object arrays of Values of the same shapes and returns the
    scalar (a Value, or an array holding one Value) whose gradient ``grads``
    should be. Write it with the same NumPy code as your forward pass. An
    entry passes when ``|yours - autodiff| <= atol + rtol * |autodiff|``.

    Mind the sign: an article that computes ``error = y - output`` and then
    *adds* ``learning_rate * d_w`` has ``d_w = -dL/dw``; give it
    ``loss = -L``. The report notes when your arrays are autodiff's times a
    constant (-1, 2, 1/n...).

    Returns the report (True when every entry agrees); raises
    ``GradcheckError`` with the table otherwise, unless ``raise_exception=False``.

    >>> import numpy as np
    >>> w = np.array([1.0, 2.0])
    >>> report = check_numpy_grads(lambda p: (p["w"] ** 2).sum(), {"w": w}, {"w": 2 * w})
    >>> bool(report), len(report.entries)
    (True, 2)
    """
    np = _numpy()
    arrays = _arrays(np, params, "params")
    yours = _arrays(np, grads, "grads")
    _same_names_and_shapes(arrays, yours)
    values = {name: _values_like(np, a) for name, a in arrays.items()}
    with enable_grad():
        out = _scalar(np, loss(values))
        out.backward()
    entries, pairs = [], []
    for name, a in arrays.items():
        for idx in np.ndindex(a.shape):
            auto = values[name][idx].grad
            mine = float(yours[name][idx])
            allowed = atol + rtol * abs(auto)
            ok = mine == auto or abs(mine - auto) <= allowed
            label = f"{name}[{','.join(map(str, idx))}]" if idx else name
            entries.append(Entry(label, float(a[idx]), "", mine, auto, math.nan,
                                 allowed, "ok" if ok else "FAILED", not ok))
            pairs.append((mine, auto))
    report = CheckReport("check_numpy_grads", entries, columns=("entry", "yours", "autodiff"),
                         settings=f"atol={atol!r}, rtol={rtol!r}")
    if not report.passed:
        report.notes.extend(_factor_note(pairs))
    if not report.passed and raise_exception:
        raise GradcheckError(report)
    return report


def _arrays(np: Any, mapping: object, what: str) -> Dict[str, Any]:
    if not isinstance(mapping, Mapping) or not mapping:
        raise TypeError(
            f"check_numpy_grads: {what} must be a dict of name -> NumPy array, "
            f"e.g. {{'w1': w1, 'b1': b1}}; got {type(mapping).__name__} {mapping!r}"
        )
    out = {}
    for name, a in mapping.items():
        try:
            arr = np.asarray(a, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"check_numpy_grads: {what}[{name!r}] must be an array of numbers, "
                f"got {type(a).__name__} {a!r}"
            ) from None
        if not np.all(np.isfinite(arr)):
            raise ValueError(
                f"check_numpy_grads: {what}[{name!r}] contains NaN or inf; "
                "gradients can only be checked at finite points"
            )
        out[name] = arr
    return out


def _same_names_and_shapes(params: Dict[str, Any], grads: Dict[str, Any]) -> None:
    if set(params) != set(grads):
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        raise ValueError(
            f"check_numpy_grads: params and grads must have the same names; "
            f"missing from grads: {missing}, not in params: {extra}"
        )
    for name, a in params.items():
        if grads[name].shape != a.shape:
            raise ValueError(
                f"check_numpy_grads: grads[{name!r}] has shape {grads[name].shape} but "
                f"params[{name!r}] has shape {a.shape}; a gradient has its parameter's shape"
                " (transposed? summed over the batch with keepdims?)"
            )


def _values_like(np: Any, a: Any) -> Any:
    out = np.empty(a.shape, dtype=object)
    for idx in np.ndindex(a.shape):
        out[idx] = Value(float(a[idx]))
    return out


def _scalar(np: Any, result: object) -> Value:
    if isinstance(result, np.ndarray) and result.size == 1:
        result = result.reshape(()).item()
    if not isinstance(result, Value):
        shape = f" of shape {result.shape}" if isinstance(result, np.ndarray) else ""
        raise TypeError(
            f"check_numpy_grads: loss must return one Value (the scalar loss), got "
            f"{type(result).__name__}{shape}; sum the outputs (e.g. np.sum(...)) and "
            "compute it from the arrays loss receives"
        )
    return result


def _factor_note(pairs: List[tuple]) -> List[str]:
    """A note when yours == c * autodiff for one constant c (a sign or a scale)."""
    big = [(m, a) for m, a in pairs if abs(a) > 1e-12]
    if not big:
        return []
    c = big[0][0] / big[0][1]
    if c == 0 or not all(abs(m - c * a) <= 1e-7 * (abs(m) + abs(a)) for m, a in pairs):
        return []
    if abs(c + 1.0) < 1e-9:
        return ["your gradients are the negative of autodiff's: if your update adds "
                "learning_rate * d (with error = y - output), check against loss = -L"]
    return [f"your gradients are autodiff's times {c:.6g} (a missing or extra "
            "factor such as 1/n or 2)"]

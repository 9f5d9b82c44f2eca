"""Using a trained model: ``predict``, ``evaluate``, and outputs turned into labels.

A model puts out scores (floats); metrics such as ``accuracy_score`` need
class labels. ``sign``, ``argmax`` and ``threshold(t)`` say how to get from
one to the other, and ``fit`` and ``evaluate`` take any of them (or your
own function) as ``to_label``.

>>> from micrograd_like.nn import MLP
>>> model = MLP(2, [4, 1], seed=0)
>>> [sign(o) for o in predict(model, [[1.0, 2.0], [-1.0, 0.5]])]  # doctest: +SKIP
[1, -1]
"""

from __future__ import annotations

from numbers import Real
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from micrograd_like._validation import _short, _tabular
from micrograd_like.engine import Value
from micrograd_like.grad_mode import no_grad
from micrograd_like.nn import MLP, Layer, Neuron

__all__ = ["predict", "evaluate", "sign", "argmax", "threshold"]

Output = Union[float, List[float]]  # one sample's output as plain floats
Metric = Callable[[Sequence[Any], Sequence[Any]], float]  # fn(y_true, y_pred)

_RESERVED = ("loss", "lr", "time")  # history keys that fit itself writes


# --- turning raw outputs into labels -------------------------------------------
# Metrics such as accuracy_score need class labels, but a model puts out
# scores. ``to_label`` says how to get from one to the other.


def sign(output: float) -> int:
    """+1 for a positive score, -1 otherwise: labels for ``hinge_loss`` targets.

    >>> sign(0.3), sign(-2.0), sign(0.0)
    (1, -1, -1)
    """
    if not isinstance(output, Real):
        raise TypeError(f"sign: expected one score (a float), got {type(output).__name__} {output!r}")
    return 1 if output > 0 else -1


def argmax(output: Sequence[float]) -> int:
    """The index of the largest score (the first one on ties): multi-class labels.

    >>> argmax([0.1, 2.0, -1.0])
    1
    """
    if isinstance(output, Real) or not output:
        raise TypeError(
            f"argmax: expected a list of class scores, got {output!r}; a model with one "
            "output needs sign or threshold(...) instead"
        )
    return max(range(len(output)), key=output.__getitem__)


def threshold(t: float = 0.5) -> Callable[[float], int]:
    """A labeller: 1 when the output is above ``t``, else 0.

    ``threshold(0.5)`` suits sigmoid probabilities, ``threshold(0.0)``
    logits (the input of ``binary_cross_entropy_with_logits``).

    >>> threshold(0.5)(0.7), threshold(0.0)(-0.1)
    (1, 0)
    """
    if isinstance(t, bool) or not isinstance(t, Real):
        raise TypeError(f"threshold: t must be a number, got {type(t).__name__} {t!r}")

    def label(output: float) -> int:
        if not isinstance(output, Real):
            raise TypeError(
                f"threshold({t}): expected one score (a float), got "
                f"{type(output).__name__} {output!r}; for class scores use argmax"
            )
        return 1 if output > t else 0

    label.__name__ = f"threshold({t})"
    return label


# --- predictions and evaluation --------------------------------------------------


def _floats(out: Any) -> Output:
    """One model output as plain floats: a Value -> float, a list -> list of floats."""
    if isinstance(out, Value):
        return out.data
    if isinstance(out, Real):
        return float(out)
    return [v.data if isinstance(v, Value) else float(v) for v in out]


_BATCHED = (MLP, Layer, Neuron)  # exactly these: see _outputs_of


def _outputs_of(model: Callable[[Any], Any], X: Sequence[Any]) -> List[Any]:
    """``[model(x) for x in X]``; one of our networks takes the batch in one call.

    ``MLP``, ``Layer`` and ``Neuron`` called on a batch read each weight's
    number once per layer instead of once per sample, and build the same
    nodes. A subclass may change what a call does, so only these exact
    classes take the batch; anything else is called once per sample.

    >>> from micrograd_like.nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> [v.data for v in _outputs_of(model, [[1.0, 2.0], [0.5, 0.0]])] == [model(x).data for x in ([1.0, 2.0], [0.5, 0.0])]
    True
    """
    if type(model) in _BATCHED and X and all([type(x) is list or type(x) is tuple for x in X]):
        return model(X if type(X) is list or type(X) is tuple else list(X))
    return [model(x) for x in X]


def predict(model: Callable[[Any], Any], X: Sequence[Any]) -> List[Output]:
    """The model's output for every sample, as floats, computed under ``no_grad()``.

    A model with one output gives one float per sample; with several, a list
    of floats per sample.

    >>> from micrograd_like.nn import MLP
    >>> outputs = predict(MLP(2, [3], seed=0), [[1.0, 2.0], [0.0, 0.0]])
    >>> len(outputs), len(outputs[0])
    (2, 3)
    """
    if not callable(model):
        raise TypeError(
            f"predict: model must be callable (model(x) -> output), "
            f"got {type(model).__name__} {_short(model)}"
        )
    X = _tabular(X, "predict", "X")  # numpy, pandas -> lists
    if isinstance(X, (str, bytes)) or not hasattr(X, "__iter__"):
        raise TypeError(f"predict: X must be a list of samples, got {type(X).__name__} {_short(X)}")
    with no_grad():  # nothing to backpropagate: build no graph
        return [_floats(o) for o in _outputs_of(model, X)]


def evaluate(
    model: Callable[[Any], Any],
    loss_fn: Optional[Callable[[List[Any], Sequence[Any]], Value]],
    X: Sequence[Any],
    y: Sequence[Any],
    *,
    metrics: Optional[Dict[str, Metric]] = None,
    to_label: Optional[Callable[[Output], Any]] = None,
) -> Dict[str, float]:
    """Loss and metrics of ``model`` on ``(X, y)``, under ``no_grad()``.

    Each metric is called as ``fn(y, [to_label(o) for o in outputs])`` (or
    with the float outputs themselves when ``to_label`` is None). Pass
    ``loss_fn=None`` to compute the metrics only.

    >>> from micrograd_like.nn import MLP
    >>> from micrograd_like.losses import hinge_loss
    >>> from micrograd_like.metrics import accuracy_score
    >>> model = MLP(2, [4, 1], seed=0)
    >>> sorted(evaluate(model, hinge_loss, [[1.0, 0.0], [0.0, 1.0]], [1, -1],
    ...                 metrics={"acc": accuracy_score}, to_label=sign))
    ['acc', 'loss']
    """
    if not callable(model):
        raise TypeError(f"evaluate: model must be callable (model(x) -> output), got {_short(model)}")
    if loss_fn is not None and not callable(loss_fn):
        raise TypeError(f"evaluate: loss_fn must be a loss such as mse_loss, or None, got {loss_fn!r}")
    X, y = _tabular(X, "evaluate", "X"), _tabular(y, "evaluate", "y")
    _check_data(X, y, "evaluate", "X", "y")
    metrics = _check_metrics(metrics, "evaluate")
    with no_grad():
        outputs = _outputs_of(model, X)
        logs = {} if loss_fn is None else {"loss": _loss_value(loss_fn(outputs, y), "evaluate")}
    logs.update(_metric_values(metrics, y, [_floats(o) for o in outputs], to_label, "evaluate"))
    return logs


def _loss_value(loss: Any, where: str) -> float:
    if not isinstance(loss, Value):
        raise TypeError(
            f"{where}: loss_fn must return one Value (a mean over the batch), got "
            f"{type(loss).__name__}; use reduction='mean' (the default)"
        )
    return loss.data


def _metric_values(
    metrics: Dict[str, Metric], y: Sequence[Any], outputs: List[Output],
    to_label: Optional[Callable[[Output], Any]], where: str,
) -> Dict[str, float]:
    preds = outputs if to_label is None else [to_label(o) for o in outputs]
    logs = {}
    for name, fn in metrics.items():
        try:
            value = fn(list(y), preds)
        except (TypeError, ValueError) as exc:
            # The metric's own message names y_pred[0]; say which fit argument fixes it.
            if to_label is None:
                hint = "pass to_label=argmax (or sign / threshold(t))"
                what = "the model outputs"
            else:
                hint = "check that to_label returns the kind of labels y holds"
                what = f"the labels from to_label={getattr(to_label, '__name__', to_label)!r}"
            error = TypeError if isinstance(exc, TypeError) else ValueError
            raise error(f"{where}: metric {name!r} could not use {what} ({exc}); {hint}") from exc
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(
                f"{where}: metric {name!r} returned {type(value).__name__} {value!r}, not a "
                "number; for per-class scores pass e.g. average='macro'"
            )
        logs[name] = float(value)
    return logs


# --- checking arguments -----------------------------------------------------------


def _check_data(X: Any, y: Any, fn: str, xname: str, yname: str) -> None:
    for name, seq in ((xname, X), (yname, y)):
        is_list = hasattr(seq, "__len__") and hasattr(seq, "__getitem__")
        if isinstance(seq, (str, bytes)) or not is_list:
            raise TypeError(
                f"{fn}: {name} must be a list of samples, got {type(seq).__name__} {_short(seq)}"
            )
    if len(X) != len(y):
        raise ValueError(
            f"{fn}: {xname} has {len(X)} samples but {yname} has {len(y)}; "
            "they need one target per sample"
        )
    if len(X) == 0:
        raise ValueError(f"{fn}: {xname} and {yname} are empty; need at least one sample")


def _check_metrics(metrics: Any, fn: str) -> Dict[str, Metric]:
    if metrics is None:
        return {}
    if not isinstance(metrics, dict):
        raise TypeError(
            f"{fn}: metrics must be a dict of name -> fn(y_true, y_pred), e.g. "
            f"{{'acc': accuracy_score}}, got {type(metrics).__name__} {metrics!r}"
        )
    for name, metric in metrics.items():
        if not isinstance(name, str) or not name or name.startswith("val_") or name in _RESERVED:
            raise ValueError(
                f"{fn}: metric name {name!r} is not allowed; use a non-empty string that does "
                f"not start with 'val_' and is not one of {list(_RESERVED)}"
            )
        if not callable(metric):
            raise TypeError(
                f"{fn}: metric {name!r} must be a function fn(y_true, y_pred), got {metric!r}"
            )
    return metrics

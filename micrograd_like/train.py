"""The training loop, packaged: ``fit`` runs it and records what happened.

``fit`` runs exactly the loop you would write by hand (and which the README
teaches first)::

    for epoch in range(epochs):
        for Xb, yb in batches(X, y, batch_size):
            outputs = [model(x) for x in Xb]
            loss = loss_fn(outputs, yb) + l2 * l2_penalty(model.parameters())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()

Everything else here is bookkeeping around that loop: a ``History`` of the
loss and metrics per epoch, validation under ``no_grad()``, early stopping,
progress output, and a clean stop on Ctrl-C.

>>> from micrograd_like.nn import MLP
>>> from micrograd_like.optim import SGD
>>> from micrograd_like.losses import mse_loss
>>> model = MLP(1, [4, 1], seed=0)
>>> X, y = [[0.0], [0.5], [1.0]], [0.0, 0.5, 1.0]
>>> history = fit(model, mse_loss, SGD(model.parameters(), lr=0.1), X, y, epochs=5, verbose=0)
>>> len(history["loss"]), history.stop_reason
(5, 'completed')
"""

from __future__ import annotations

import math
import random
import signal
import sys
import threading
import time
from numbers import Real
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO, Tuple, Union

from micrograd_like.data import batches
from micrograd_like.engine import Value
from micrograd_like.grad_mode import no_grad
from micrograd_like.losses import l1_penalty, l2_penalty

__all__ = ["fit", "History", "evaluate", "predict", "sign", "argmax", "threshold"]

Output = Union[float, List[float]]  # one sample's output as plain floats
Metric = Callable[[Sequence[Any], Sequence[Any]], float]  # fn(y_true, y_pred)
Callback = Callable[[int, Dict[str, float]], Optional[bool]]

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


def predict(model: Callable[[Any], Any], X: Sequence[Any]) -> List[Output]:
    """The model's output for every sample, as floats, computed under ``no_grad()``.

    A model with one output gives one float per sample; with several, a list
    of floats per sample.

    >>> from micrograd_like.nn import MLP
    >>> outputs = predict(MLP(2, [3], seed=0), [[1.0, 2.0], [0.0, 0.0]])
    >>> len(outputs), len(outputs[0])
    (2, 3)
    """
    with no_grad():  # nothing to backpropagate: build no graph
        return [_floats(model(x)) for x in X]


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
    _check_data(X, y, "evaluate", "X", "y")
    metrics = _check_metrics(metrics, "evaluate")
    with no_grad():
        outputs = [model(x) for x in X]
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


# --- the record of a run ---------------------------------------------------------


class History:
    """What ``fit`` recorded, one entry per finished epoch.

    ``history["loss"]`` lists the training loss of each epoch (epoch 1 first);
    likewise ``"val_loss"``, every metric name and ``"val_"`` + name,
    ``"lr"`` (the learning rate used in that epoch, of the first param group)
    and ``"time"`` (seconds the epoch took). ``epoch`` holds the epoch
    numbers 1, 2, ...

    ``best_epoch`` and ``best_val_loss`` name the epoch with the lowest
    validation loss (None without validation data). ``stop_reason`` is
    ``"completed"``, ``"early_stopping"``, ``"callback"``, ``"interrupted"``
    (Ctrl-C) or ``"diverged"`` (the training loss became nan or inf, or
    the arithmetic overflowed); ``stopped_early`` and ``interrupted`` are the
    two common questions as booleans. ``error`` holds the engine's message
    (e.g. ``"OverflowError: pow: ... overflows a float"``) when an
    exception ended the run, else None. ``restored_best_weights`` is True when the model was set back
    to the weights of ``best_epoch``.

    >>> h = History()
    >>> h.record(1, {"loss": 0.5, "time": 0.1})
    >>> h["loss"], h.epoch, len(h)
    ([0.5], [1], 1)
    """

    def __init__(self) -> None:
        self.epoch: List[int] = []
        self.history: Dict[str, List[float]] = {}
        self.best_epoch: Optional[int] = None
        self.best_val_loss: Optional[float] = None
        self.stop_reason = "completed"
        self.error: Optional[str] = None
        self.restored_best_weights = False

    @property
    def stopped_early(self) -> bool:
        """True when early stopping ended the run (patience ran out)."""
        return self.stop_reason == "early_stopping"

    @property
    def interrupted(self) -> bool:
        """True when Ctrl-C (KeyboardInterrupt) ended the run."""
        return self.stop_reason == "interrupted"

    def record(self, epoch: int, logs: Dict[str, float]) -> None:
        """Append one epoch's numbers (``fit`` calls this)."""
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __getitem__(self, key: str) -> List[float]:
        try:
            return self.history[key]
        except KeyError:
            raise KeyError(f"History has no {key!r}; it has {sorted(self.history)}") from None

    def __contains__(self, key: object) -> bool:
        return key in self.history

    def keys(self) -> List[str]:
        return list(self.history)

    def __len__(self) -> int:
        return len(self.epoch)

    def __repr__(self) -> str:
        best = f", best_epoch={self.best_epoch}" if self.best_epoch is not None else ""
        return (
            f"History(epochs={len(self)}, keys={self.keys()}{best}, "
            f"stop_reason={self.stop_reason!r})"
        )


# --- Ctrl-C -------------------------------------------------------------------


class _CtrlC:
    """While training, the first Ctrl-C only *asks* to stop.

    ``fit`` looks at ``requested`` after every batch, so a step is never cut
    in half (half the weights updated, the optimizer's state out of step). A
    second Ctrl-C raises KeyboardInterrupt at once, as usual. Signal handlers
    can only be set in the main thread; elsewhere (and when someone else
    handles SIGINT) nothing changes and a KeyboardInterrupt stops at once.
    """

    def __init__(self) -> None:
        self.requested = False
        self._old: Any = None

    def __enter__(self) -> "_CtrlC":
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.requested = True
        signal.signal(signal.SIGINT, self._old)  # the next Ctrl-C raises

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


class _Interrupted(Exception):
    """Raised inside fit when a requested stop abandons an unfinished epoch."""


class _Diverged(Exception):
    """Raised inside fit when the engine's arithmetic blew up (OverflowError, ...).

    ``where`` says in which part of the epoch, ``weights`` which weights the
    model is left with; both go into the message to the user.
    """

    def __init__(self, where: str, weights: str) -> None:
        super().__init__(where)
        self.where, self.weights = where, weights


# --- progress output --------------------------------------------------------------


def _fmt_time(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"
    return f"{int(seconds // 3600)}h{int(seconds % 3600 // 60):02d}m"


def _fmt_number(x: float) -> str:
    if x == 0 or 1e-3 <= abs(x) < 1e5 or not math.isfinite(x):
        return f"{x:.4f}"
    return f"{x:.3e}"


class _Progress:
    """Epoch lines like ``epoch  3/100  loss 0.4121  acc 0.9100  1.2s elapsed, ~38s left``.

    verbose=1 prints about 20 lines per run (epoch 1, every k-th, the last);
    verbose=2 prints every epoch. When the output is a terminal, a status
    line is also rewritten in place (with ``\\r``) between them: the batch
    counter within an epoch and the latest epoch's numbers.
    """

    def __init__(self, epochs: int, verbose: int, file: Optional[TextIO]) -> None:
        self.epochs = epochs
        self.verbose = verbose
        self.file = sys.stderr if file is None else file
        self.every = 1 if verbose >= 2 else max(1, math.ceil(epochs / 20))
        self.live = verbose > 0 and _isatty(self.file)
        self.start = time.perf_counter()
        self._shown = 0.0  # when the live line was last redrawn
        self._width = 0  # its length, to blank it out

    def batch(self, epoch: int, done: int, total: int) -> None:
        if not self.live or total < 2:
            return
        now = time.perf_counter()
        if now - self._shown < 0.1 and done < total:  # redraw at most 10 times a second
            return
        bar = "#" * (20 * done // total)
        width = len(str(self.epochs))
        self._draw(f"epoch {epoch:>{width}}/{self.epochs} [{bar:<20}] batch {done}/{total}")

    def epoch_end(self, epoch: int, logs: Dict[str, float], last: bool) -> None:
        if not self.verbose:
            return
        line = self._line(epoch, logs, last)
        if last or epoch == 1 or epoch % self.every == 0:
            self.message(line)
        elif self.live:
            self._draw(line)

    def message(self, text: str) -> None:
        if not self.verbose:
            return
        pad = " " * max(0, self._width - len(text)) if self.live else ""
        print(("\r" if self.live else "") + text + pad, file=self.file, flush=True)
        self._width = 0

    def _draw(self, text: str) -> None:
        pad = " " * max(0, self._width - len(text))
        self.file.write("\r" + text + pad)
        self.file.flush()
        self._width = len(text)
        self._shown = time.perf_counter()

    def _line(self, epoch: int, logs: Dict[str, float], last: bool) -> str:
        parts = [f"epoch {epoch:>{len(str(self.epochs))}}/{self.epochs}"]
        parts += [f"{k} {_fmt_number(v)}" for k, v in logs.items() if k not in ("lr", "time")]
        if "lr" in logs:
            parts.append(f"lr {logs['lr']:.4g}")
        elapsed = time.perf_counter() - self.start
        when = f"{_fmt_time(elapsed)} elapsed"
        if not last:
            when += f", ~{_fmt_time(elapsed / epoch * (self.epochs - epoch))} left"
        return "  ".join(parts + [when])


def _isatty(file: Any) -> bool:
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed file
        return False


# --- checking arguments -----------------------------------------------------------


def _check_int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"fit: {name} must be an int >= {minimum}, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"fit: {name} must be an int >= {minimum}, got {value!r}")
    return value


def _check_nonneg(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"fit: {name} must be a number >= 0, got {type(value).__name__} {value!r}")
    if not value >= 0:  # also rejects nan
        raise ValueError(f"fit: {name} must be >= 0, got {value!r}")
    return float(value)


def _check_data(X: Any, y: Any, fn: str, xname: str, yname: str) -> None:
    for name, seq in ((xname, X), (yname, y)):
        is_list = hasattr(seq, "__len__") and hasattr(seq, "__getitem__")
        if isinstance(seq, (str, bytes)) or not is_list:
            raise TypeError(f"{fn}: {name} must be a list of samples, got {type(seq).__name__}")
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


def _check_validation_data(validation_data: Any) -> Optional[Tuple[Sequence, Sequence]]:
    if validation_data is None:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError(
            "fit: validation_data must be a pair (X_val, y_val), got "
            f"{type(validation_data).__name__} of length {_len(validation_data)}"
        )
    Xv, yv = validation_data
    _check_data(Xv, yv, "fit", "validation_data X_val", "y_val")
    return Xv, yv


def _len(x: Any) -> Any:
    try:
        return len(x)
    except TypeError:
        return "?"


# --- fit ----------------------------------------------------------------------


def fit(
    model: Any,
    loss_fn: Callable[[List[Any], Sequence[Any]], Value],
    optimizer: Any,
    X: Sequence[Any],
    y: Sequence[Any],
    *,
    epochs: int = 1,
    batch_size: Optional[int] = None,
    validation_data: Optional[Tuple[Sequence[Any], Sequence[Any]]] = None,
    metrics: Optional[Dict[str, Metric]] = None,
    to_label: Optional[Callable[[Output], Any]] = None,
    scheduler: Any = None,
    l1: float = 0.0,
    l2: float = 0.0,
    patience: Optional[int] = None,
    min_delta: float = 0.0,
    restore_best_weights: bool = True,
    shuffle: bool = True,
    seed: Union[int, random.Random, None] = None,
    callbacks: Optional[Sequence[Callback]] = None,
    verbose: int = 1,
    file: Optional[TextIO] = None,
) -> History:
    """Train ``model`` for ``epochs`` passes over ``(X, y)``; return the ``History``.

    Each step calls ``loss_fn([model(x) for x in Xb], yb)`` -- any loss in
    ``micrograd_like.losses`` fits -- adds ``l1 * l1_penalty + l2 *
    l2_penalty`` of ``model.parameters()``, then runs ``optimizer.zero_grad()``,
    ``backward()`` and ``optimizer.step()``.

    - ``batch_size=None`` trains on the whole set in one step per epoch (in
      the given order). Otherwise the samples are reshuffled every epoch
      (``shuffle=True``) with ``seed`` (an int, a ``random.Random``, or None
      for the global ``random`` module) and the last batch may be smaller.
    - ``scheduler.step()`` runs once after every epoch.
    - ``metrics`` maps names to ``fn(y_true, y_pred)`` such as
      ``accuracy_score``. ``y_pred`` is ``to_label(output)`` per sample
      (``sign``, ``argmax``, ``threshold(0.5)`` or your own function of the
      float output), or the float outputs when ``to_label`` is None.
    - The training loss and metrics of an epoch come from the forward passes
      of its steps (as in Keras), so they describe the weights *before* each
      step; the loss excludes the l1/l2 penalty, to compare with
      ``val_loss``. Validation runs after the epoch under ``no_grad()``.
    - ``patience=k`` stops when ``val_loss`` has not improved by more than
      ``min_delta`` for k epochs, and (``restore_best_weights``) sets the
      weights back to the best epoch's.
    - Each callback is called as ``callback(epoch, logs)`` after every
      epoch; returning True stops training.
    - ``verbose=0`` prints nothing, 1 about 20 lines, 2 one line per epoch;
      the progress goes to ``file`` (default ``sys.stderr``).
    - Ctrl-C stops after the current batch and returns the history of the
      finished epochs, ``history.interrupted`` set; a second Ctrl-C stops at
      once.
    - Divergence stops training with ``stop_reason="diverged"``: a nan/inf
      training loss, or an ``ArithmeticError`` (e.g. the engine's
      ``OverflowError``) in a step or in the validation. Then
      ``history.error`` keeps the engine's message, the unfinished epoch is
      not recorded, and the weights are those from before the failed step
      (an update that failed half-way is undone; the optimizer's own state,
      e.g. momentum, is not) -- or the best epoch's, with early stopping
      and ``restore_best_weights``. A ``TypeError``/``ValueError`` is a bad
      argument, not divergence, and propagates.

    >>> from micrograd_like.nn import MLP
    >>> from micrograd_like.optim import Adam
    >>> from micrograd_like.losses import cross_entropy
    >>> from micrograd_like.metrics import accuracy_score
    >>> model = MLP(2, [8, 2], seed=0)
    >>> X, y = [[0.0, 1.0], [1.0, 0.0]] * 4, [0, 1] * 4
    >>> h = fit(model, cross_entropy, Adam(model.parameters(), lr=0.05), X, y, epochs=20,
    ...         batch_size=4, metrics={"acc": accuracy_score}, to_label=argmax, seed=0, verbose=0)
    >>> h["acc"][-1]
    1.0
    """
    # -- check everything before the first step --
    if not callable(model):
        raise TypeError(f"fit: model must be callable (model(x) -> output), got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"fit: loss_fn must be a function loss_fn(outputs, targets), got {loss_fn!r}")
    for method in ("zero_grad", "step"):
        if not callable(getattr(optimizer, method, None)):
            raise TypeError(
                f"fit: optimizer must have zero_grad() and step() (e.g. SGD(model.parameters())), "
                f"got {type(optimizer).__name__}"
            )
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"fit: scheduler must have a step() method, got {type(scheduler).__name__}")
    _check_data(X, y, "fit", "X", "y")
    epochs = _check_int(epochs, "epochs", 1)
    if batch_size is not None:
        batch_size = _check_int(batch_size, "batch_size", 1)
    validation = _check_validation_data(validation_data)
    metrics = _check_metrics(metrics, "fit")
    if to_label is not None and not callable(to_label):
        raise TypeError(
            f"fit: to_label must be a function of one output (e.g. sign, argmax), got {to_label!r}"
        )
    l1 = _check_nonneg(l1, "l1")
    l2 = _check_nonneg(l2, "l2")
    min_delta = _check_nonneg(min_delta, "min_delta")
    if patience is not None:
        patience = _check_int(patience, "patience", 1)
        if validation is None:
            raise ValueError(
                "fit: patience (early stopping) watches val_loss, so it needs "
                "validation_data=(X_val, y_val)"
            )
    if verbose not in (0, 1, 2):
        raise ValueError(f"fit: verbose must be 0 (silent), 1 or 2 (every epoch), got {verbose!r}")
    callbacks = list(callbacks or [])
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(f"fit: every callback must be a function callback(epoch, logs), got {cb!r}")
    if isinstance(seed, bool) or not (seed is None or isinstance(seed, (int, random.Random))):
        raise TypeError(
            f"fit: seed must be an int, a random.Random or None, got {type(seed).__name__} {seed!r}"
        )
    needs_params = l1 > 0 or l2 > 0 or patience is not None
    if needs_params and not callable(getattr(model, "parameters", None)):
        raise TypeError(
            f"fit: l1, l2 and patience need model.parameters(); {type(model).__name__} has "
            "none (subclass micrograd_like.nn.Module)"
        )
    params = list(model.parameters()) if needs_params else []
    if needs_params and not params:
        raise ValueError("fit: l1, l2 and patience need model.parameters(), but it is empty")

    rng = random.Random(seed) if isinstance(seed, int) else seed  # None: global random
    history = History()
    progress = _Progress(epochs, verbose, file)
    best_weights: Optional[List[float]] = None
    waited = 0  # epochs since val_loss last improved
    diverged_in = ("", "")  # where an OverflowError & co. stopped the run, and the weights left

    # -- the loop --
    with _CtrlC() as ctrl_c:
        try:
            for epoch in range(1, epochs + 1):
                t0 = time.perf_counter()
                lr = _current_lr(optimizer)
                if batch_size is None:
                    steps = [(X, y)]
                else:
                    steps = list(batches(X, y, batch_size, shuffle=shuffle, seed=rng))
                loss_sum, seen_y, seen_out = 0.0, [], []
                for i, (Xb, yb) in enumerate(steps):
                    where = f"step {i + 1}/{len(steps)} of epoch {epoch}"
                    outputs, data_loss = _step(model, loss_fn, optimizer, Xb, yb, params, l1, l2, where)
                    loss_sum += data_loss * len(Xb)  # the epoch's loss: a mean over samples
                    if metrics:
                        seen_y += yb
                        seen_out += [_floats(o) for o in outputs]
                    progress.batch(epoch, i + 1, len(steps))
                    if ctrl_c.requested and i + 1 < len(steps):
                        raise _Interrupted  # mid-epoch: drop the unfinished epoch
                if scheduler is not None:
                    scheduler.step()

                logs = {"loss": loss_sum / len(X)}
                logs.update(_metric_values(metrics, seen_y, seen_out, to_label, "fit"))
                if validation is not None:
                    try:
                        val = evaluate(model, loss_fn, *validation, metrics=metrics, to_label=to_label)
                    except ArithmeticError as exc:  # the step's new weights overflow
                        raise _Diverged(f"the validation after epoch {epoch}",
                                        "the model keeps the weights of its last step") from exc
                    logs.update({"val_" + k: v for k, v in val.items()})
                if lr is not None:
                    logs["lr"] = lr
                logs["time"] = time.perf_counter() - t0
                history.record(epoch, logs)

                # -- decide whether to go on --
                if validation is not None:
                    v, best = logs["val_loss"], history.best_val_loss
                    if math.isfinite(v) and (best is None or v < best - min_delta):
                        history.best_epoch, history.best_val_loss = epoch, v
                        waited = 0
                        if patience is not None:
                            best_weights = [p.data for p in params]
                    else:
                        waited += 1
                stop = None
                if not math.isfinite(logs["loss"]):
                    stop = "diverged"
                elif patience is not None and waited >= patience:
                    stop = "early_stopping"
                elif ctrl_c.requested:
                    stop = "interrupted"
                progress.epoch_end(epoch, logs, last=stop is not None or epoch == epochs)
                # a list, not a generator: every callback runs, even after one says stop
                if stop is None and any([cb(epoch, dict(logs)) for cb in callbacks]):
                    stop = "callback"
                if stop is not None:
                    history.stop_reason = stop
                    break
        except (KeyboardInterrupt, _Interrupted):
            history.stop_reason = "interrupted"
        except _Diverged as exc:
            # Only arithmetic blow-ups land here; a bad argument (TypeError,
            # ValueError) is the caller's bug and propagates.  The unfinished
            # epoch is not recorded, as with Ctrl-C.
            cause = exc.__cause__
            history.stop_reason = "diverged"
            history.error = f"{type(cause).__name__}: {cause}"
            diverged_in = (exc.where, exc.weights)

    # -- finish --
    if best_weights is not None and restore_best_weights:
        history.restored_best_weights = any(p.data != w for p, w in zip(params, best_weights))
        for p, w in zip(params, best_weights):
            p.data = w
    if history.stop_reason != "completed":
        progress.message(_summary(history, epochs, diverged_in))
    return history


def _step(
    model: Any, loss_fn: Callable, optimizer: Any, Xb: Sequence[Any], yb: Sequence[Any],
    params: List[Value], l1: float, l2: float, where: str,
) -> Tuple[List[Any], float]:
    """One training step, the explicit loop's body. Returns the outputs and the data loss.

    When the arithmetic overflows (the engine raises OverflowError or
    ZeroDivisionError), raise ``_Diverged`` with the weights as they were
    before this step: an optimizer that fails half-way through its update
    is undone, so no update is ever half applied.
    """
    BEFORE = "the model keeps the weights from before that step"
    try:
        outputs = [model(x) for x in Xb]
        loss = loss_fn(outputs, yb)
        data_loss = _loss_value(loss, "fit")
        if l1 > 0:
            loss = loss + l1 * l1_penalty(params)
        if l2 > 0:
            loss = loss + l2 * l2_penalty(params)
        optimizer.zero_grad()
        loss.backward()
    except ArithmeticError as exc:  # the weights are untouched: nothing to undo
        raise _Diverged(where, BEFORE) from exc
    updated = _optimized_params(optimizer)
    before = [p.data for p in updated]  # cheap next to the forward pass
    try:
        optimizer.step()
    except ArithmeticError as exc:
        for p, w in zip(updated, before):
            p.data = w
        raise _Diverged(where, BEFORE + " (the optimizer's own state, e.g. momentum, is not undone)") from exc
    return outputs, data_loss


def _optimized_params(optimizer: Any) -> List[Value]:
    """The parameters ``optimizer.step()`` may change (all of its param groups)."""
    groups = getattr(optimizer, "param_groups", None) or []
    return [p for g in groups if isinstance(g, dict) for p in g.get("params", [])]


def _current_lr(optimizer: Any) -> Optional[float]:
    groups = getattr(optimizer, "param_groups", None)
    if groups and isinstance(groups[0].get("lr"), Real):
        return float(groups[0]["lr"])
    return None


def _summary(history: History, epochs: int, diverged_in: Tuple[str, str] = ("", "")) -> str:
    """One line on why training ended before ``epochs``."""
    done = len(history)
    if history.error is not None:  # diverged by an exception, not by a nan loss
        return (
            f"diverged in {diverged_in[0]} ({history.error}); kept the history of {done} "
            "finished epoch(s); " + (
                f"restored the weights of epoch {history.best_epoch} "
                f"(val_loss {_fmt_number(history.best_val_loss)})"
                if history.restored_best_weights else diverged_in[1]
            ) + "; try a smaller learning rate"
        )
    reason = {
        "early_stopping": f"stopped early after epoch {done}/{epochs}: val_loss has not improved",
        "callback": f"stopped by a callback after epoch {done}/{epochs}",
        "interrupted": f"interrupted (Ctrl-C): kept the history of {done} finished epoch(s)",
        "diverged": f"stopped after epoch {done}/{epochs}: the training loss is "
        f"{history['loss'][-1] if done else 'not finite'} (try a smaller learning rate)",
    }[history.stop_reason]
    if history.restored_best_weights:
        reason += (
            f"; restored the weights of epoch {history.best_epoch} "
            f"(val_loss {_fmt_number(history.best_val_loss)})"
        )
    return reason

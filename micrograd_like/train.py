"""The training loop, packaged: ``fit`` runs it and records what happened.

``fit`` runs exactly the loop you would write by hand (and which the README
teaches first):

    for epoch in range(epochs):
        for Xb, yb in batches(X, y, batch_size):
            outputs = [model(x) for x in Xb]
            loss = loss_fn(outputs, yb) + l2 * l2_penalty(model.parameters())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()

Everything else is bookkeeping around that loop: a ``History`` of the loss
and metrics per epoch, validation under ``no_grad()``, early stopping,
progress output, and a clean stop on Ctrl-C (``history.py``), and the
metrics of the predictions (``predict.py``). ``batches`` is the mini-batch
iterator of that loop.

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
import time
from numbers import Real
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, TextIO, Tuple, Union

from micrograd_like._validation import Seed, _check_same_length, _rng, _short, _tabular
from micrograd_like._validation import _check_int as _check_count
from micrograd_like.engine import Value, _collector_paused
from micrograd_like.history import History, _CtrlC, _Diverged, _fmt_number, _Interrupted, _Progress
from micrograd_like.losses import l1_penalty, l2_penalty
from micrograd_like.predict import (
    Metric, Output, _check_data, _check_metrics, _floats, _loss_value, _metric_values, _outputs_of,
    evaluate,
)

__all__ = ["fit", "batches"]

Callback = Callable[[int, Dict[str, float]], Optional[bool]]

# The weights a diverged run leaves the model with, as the progress output says it.
_BEFORE = "the model keeps the weights from before that step"
_KEPT = "the model keeps the weights of its last step"


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


def _check_file_and_optimizer(model: Any, optimizer: Any, file: Any) -> None:
    if file is not None and not callable(getattr(file, "write", None)):
        raise TypeError(
            f"fit: file must be an open text file (anything with .write), such as "
            f"sys.stdout or open('log.txt', 'w'), got {type(file).__name__} {file!r}"
        )
    # An optimizer built on another model's parameters would train nothing,
    # silently: the loss goes down the other model's graph.
    mine = getattr(model, "parameters", None)
    theirs = _optimized_params(optimizer)
    if callable(mine) and theirs:
        params = set(mine())
        if params and params.isdisjoint(theirs):
            raise ValueError(
                f"fit: the optimizer updates none of model.parameters() ({len(theirs)} "
                f"other Values); was it built for another model? Build it as "
                f"{type(optimizer).__name__}(model.parameters(), ...)"
            )


def _check_validation_data(validation_data: Any) -> Optional[Tuple[Sequence, Sequence]]:
    if validation_data is None:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError(
            "fit: validation_data must be a pair (X_val, y_val), got "
            f"{type(validation_data).__name__} of length {_len(validation_data)}: "
            f"{_short(validation_data)}"
        )
    Xv, yv = (_tabular(v, "fit", name) for v, name in zip(validation_data, ("X_val", "y_val")))
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
    - Divergence stops training with ``stop_reason="diverged"``: a step
      whose training loss is nan or inf, a validation loss of inf, or an
      ``ArithmeticError`` (e.g. the engine's ``OverflowError``) in a step or
      in the validation. Then ``history.error`` says which (the engine's
      message, or ``"the training loss is inf"``), the unfinished epoch is
      not recorded, and the weights are those from before the failed step
      (an update that failed half-way is undone; the optimizer's own state,
      e.g. momentum, is not) -- or the best epoch's, with early stopping
      and ``restore_best_weights``. A ``TypeError``/``ValueError`` is a bad
      argument, not divergence, and propagates.

    >>> from micrograd_like.nn import MLP
    >>> from micrograd_like.optim import Adam
    >>> from micrograd_like.losses import cross_entropy
    >>> from micrograd_like.metrics import accuracy_score
    >>> from micrograd_like.predict import argmax
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
    X, y = _tabular(X, "fit", "X"), _tabular(y, "fit", "y")  # numpy, pandas -> lists
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
    _check_file_and_optimizer(model, optimizer, file)
    if callbacks is not None and (isinstance(callbacks, str) or not hasattr(callbacks, "__iter__")):
        raise TypeError(f"fit: callbacks must be a list of functions callback(epoch, logs), got {callbacks!r}")
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
                    # The step's graph is made, used and freed inside the pause: it
                    # dies by reference counting, so the cycle collector never has to
                    # walk it (a graph has no cycles). Thresholds are restored after
                    # each step, a gc.disable() of the user's is left alone.
                    with _collector_paused():
                        outputs, data_loss = _step(model, loss_fn, optimizer, Xb, yb, params, l1, l2, where)
                        if metrics:
                            seen_out += [_floats(o) for o in outputs]
                        del outputs
                    loss_sum += data_loss * len(Xb)  # the epoch's loss: a mean over samples
                    if metrics:
                        seen_y += yb
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
                        raise _Diverged(f"the validation after epoch {epoch}", _KEPT) from exc
                    if val["loss"] in (math.inf, -math.inf):  # an overflow that raised nothing
                        raise _Diverged(f"the validation after epoch {epoch}", _KEPT,
                                        f"the validation loss is {val['loss']}")
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
            history.error = exc.error or f"{type(cause).__name__}: {cause}"
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
    ZeroDivisionError, or the loss is inf or nan), raise ``_Diverged`` with
    the weights as they were before this step: an optimizer that fails
    half-way through its update is undone, so no update is ever half applied.
    """
    try:
        outputs = _outputs_of(model, Xb)  # our networks take the batch in one call
        loss = loss_fn(outputs, yb)
        data_loss = _loss_value(loss, "fit")
        if not math.isfinite(data_loss):
            # Stopped as an OverflowError is: backward would put nan into every
            # weight. (1e200 * 1e200 is inf on every Python, and so is 1e200 ** 2
            # on PyPy, where CPython raises OverflowError.)
            raise _Diverged(where, _BEFORE, f"the training loss is {data_loss}")
        if l1 > 0:
            loss = loss + l1 * l1_penalty(params)
        if l2 > 0:
            loss = loss + l2 * l2_penalty(params)
        optimizer.zero_grad()
        loss.backward()
    except ArithmeticError as exc:  # the weights are untouched: nothing to undo
        raise _Diverged(where, _BEFORE) from exc
    updated = _optimized_params(optimizer)
    before = [p.data for p in updated]  # cheap next to the forward pass
    try:
        optimizer.step()
    except ArithmeticError as exc:
        for p, w in zip(updated, before):
            p.data = w
        raise _Diverged(where, _BEFORE + " (the optimizer's own state, e.g. momentum, is not undone)") from exc
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


# --- mini-batches ------------------------------------------------------------


def batches(
    X: Sequence,
    y: Sequence,
    batch_size: int,
    *,
    shuffle: bool = True,
    drop_last: bool = False,
    seed: Seed = None,
) -> Iterator[Tuple[list, list]]:
    """Yield ``(X_batch, y_batch)`` pairs that cover every sample once.

    The last batch is smaller when ``batch_size`` does not divide the number
    of samples (``drop_last=True`` skips it, as in PyTorch's DataLoader).
    The order is drawn when you call ``batches``: with an int ``seed`` every
    call gives the same order, so for a new order each epoch pass a
    ``random.Random`` made once, or ``seed=epoch``.

    >>> [yb for _, yb in batches([[0], [1], [2]], [0, 1, 2], 2, shuffle=False)]
    [[0, 1], [2]]
    """
    fn = "batches"
    X, y = _tabular(X, fn, "X"), _tabular(y, fn, "y")
    n = _check_same_length(X, y, fn)
    batch_size = _check_count(batch_size, "batch_size", fn, 1)
    order = list(range(n))
    if shuffle:
        _rng(seed, fn).shuffle(order)
    stop = n - n % batch_size if drop_last else n
    # A separate generator: the checks above run at the call, not at the first next().
    return _iter_batches(X, y, order, batch_size, stop)


def _iter_batches(
    X: Sequence, y: Sequence, order: List[int], batch_size: int, stop: int
) -> Iterator[Tuple[list, list]]:
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size]
        yield [X[i] for i in idx], [y[i] for i in idx]

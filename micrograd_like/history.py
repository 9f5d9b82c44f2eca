"""The record of a training run, and what ``fit`` shows while it runs.

``History`` holds the loss and metrics of every epoch (as Keras's
``History``). The rest is ``fit``'s bookkeeping: the progress line, and a
clean stop on Ctrl-C or when training diverges.

>>> h = History()
>>> h.record(1, {"loss": 0.5}); h.record(2, {"loss": 0.25})
>>> h["loss"]
[0.5, 0.25]
"""

from __future__ import annotations

import math
import signal
import sys
import threading
import time
from typing import Any, Dict, List, Optional, TextIO

__all__ = ["History"]


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
    (Ctrl-C) or ``"diverged"`` (a training loss became nan or inf, the
    validation loss inf, or the arithmetic overflowed); ``stopped_early`` and
    ``interrupted`` are the two common questions as booleans. ``error`` says
    what stopped a diverged run: the engine's message (e.g. ``"OverflowError:
    pow: ... overflows a float"``) or the loss (``"the training loss is
    inf"``), else None. ``restored_best_weights`` is True when the model was set back
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
        """Append one epoch's numbers (``fit`` calls this).

        >>> h = History(); h.record(1, {"loss": 0.5, "lr": 0.1})
        >>> h.epoch, h["loss"], h["lr"]
        ([1], [0.5], [0.1])
        """
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
        """The names recorded, in the order they first appeared (as ``dict.keys``).

        >>> h = History(); h.record(1, {"loss": 0.5, "val_loss": 0.75})
        >>> h.keys()
        ['loss', 'val_loss']
        """
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
    """Raised inside fit when training diverged: the engine's arithmetic blew up
    (OverflowError, ...; then it is the ``__cause__``) or a loss is not finite.

    ``where`` says in which part of the epoch, ``weights`` which weights the
    model is left with, ``error`` what went wrong when no exception says it
    (a loss of inf or nan); all go into the message to the user.
    """

    def __init__(self, where: str, weights: str, error: Optional[str] = None) -> None:
        super().__init__(where)
        self.where, self.weights, self.error = where, weights, error


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
        # In a notebook, stderr shows as a pink, error-looking box: there the
        # progress is a bar updated in place, and messages go to stdout.
        self.bar = _NotebookBar(epochs) if verbose and file is None and _in_notebook() else None
        self.file = (sys.stdout if self.bar else sys.stderr) if file is None else file
        self.every = 1 if verbose >= 2 else max(1, math.ceil(epochs / 20))
        self.live = verbose > 0 and _isatty(self.file)
        self.start = time.perf_counter()
        self._shown = 0.0  # when the live line was last redrawn
        self._width = 0  # its length, to blank it out

    def batch(self, epoch: int, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.batch(epoch, done, total)
            return
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
        if self.bar is not None:  # every epoch, in place
            self.bar.epoch_end(epoch, line, logs)
            return
        if last or epoch == 1 or epoch % self.every == 0:
            self.message(line)
        elif self.live:
            self._draw(line)

    def message(self, text: str) -> None:
        if not self.verbose:
            return
        if self.bar is not None:  # the run is over: the bar stays as it ended
            self.bar.close()
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


# --- progress in a notebook --------------------------------------------------------


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (not in a terminal IPython, not in plain Python)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and hasattr(shell, "kernel")


class _NotebookBar:
    """fit's progress in a notebook: tqdm's widget bar when tqdm and ipywidgets are
    installed (what ``tqdm.auto`` picks in a kernel), else one line of text that
    one display updates in place."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs
        self.tqdm = None
        try:
            import importlib

            importlib.import_module("ipywidgets")  # tqdm.auto's widget bar needs it
            from tqdm.notebook import tqdm

            self.tqdm = tqdm(total=epochs, unit="epoch", desc="fit")
        except ImportError:
            from IPython.display import display

            self.handle = display(_Text("fit: starting"), display_id=True)
        self._shown = 0.0

    def batch(self, epoch: int, done: int, total: int) -> None:
        now = time.perf_counter()
        if total < 2 or (now - self._shown < 0.2 and done < total):  # at most 5 redraws a second
            return
        self._shown = now
        text = f"epoch {epoch}/{self.epochs}, batch {done}/{total}"
        if self.tqdm is not None:
            self.tqdm.set_postfix_str(text, refresh=True)
        else:
            self.handle.update(_Text(text))

    def epoch_end(self, epoch: int, line: str, logs: Dict[str, float]) -> None:
        if self.tqdm is not None:
            self.tqdm.update(epoch - self.tqdm.n)
            self.tqdm.set_postfix({k: _fmt_number(v) for k, v in logs.items() if k != "time"})
        else:
            self.handle.update(_Text(line))

    def close(self) -> None:
        if self.tqdm is not None:
            self.tqdm.close()


class _Text:
    """Plain text for a display: shown as text, not as a repr with quotes."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import html

        return f"<pre style='margin:0'>{html.escape(self.text)}</pre>"

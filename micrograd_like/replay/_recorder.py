"""``Replay``: record snapshots while a network trains, then show or save them.

>>> from micrograd_like.nn import MLP
>>> model = MLP(2, [4, 1], seed=0)
>>> rec = Replay(model, [[0.0, 0.0], [1.0, 1.0]], [-1, 1], grid_size=5, live=False)
>>> rec.record(0).epoch, len(rec.snapshots[0].grid)
(0, 5)
"""

from __future__ import annotations

import html
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Real
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from micrograd_like import Value, no_grad
from micrograd_like._format import fmt
from micrograd_like._validation import _check_path
from micrograd_like.nn import Module
from micrograd_like.predict import _floats
from micrograd_like.replay import _panels
from micrograd_like.replay._checks import check_int, check_X, check_y, as_number, short
from micrograd_like.replay._page import Panels, page

from micrograd_like.serialization import atomic_write

__all__ = ["Replay", "Snapshot", "MAX_SNAPSHOTS"]

# Snapshots a saved page holds by default: 5 to 9 MB for a small MLP, which a
# browser opens at once (every picture is precomputed SVG).
MAX_SNAPSHOTS = 60
Output = Union[float, List[float]]  # one sample's output as floats
LossFn = Callable[[List[Any], List[Any]], Value]
_SKIPPED_LOGS = ("loss", "time")  # "time" differs run to run: it would break same-bytes pages


@dataclass(frozen=True)
class Snapshot:
    """The state of training after one epoch.

    ``loss`` is the loss reported for the epoch (by ``fit``: the mean over
    its steps, as in ``History``); ``logs`` the other numbers (``val_loss``,
    metrics, ``lr``); ``state_dict`` the weights after the epoch, as floats;
    ``grid[i][j]`` the model's output at ``(grid_x[j], grid_y[i])`` of the
    Replay, for 2-D inputs (else None).

    >>> from micrograd_like.nn import MLP
    >>> rec = Replay(MLP(2, [1], seed=0), [[0.0, 1.0], [1.0, 0.0]], [1, -1], grid_size=2)
    >>> s = rec.record(1, loss=0.5)
    >>> s.epoch, s.loss, len(s.state_dict), len(s.grid), len(s.grid[0])
    (1, 0.5, 3, 2, 2)
    """

    epoch: int
    loss: Optional[float]
    logs: Dict[str, float]
    state_dict: Dict[str, float]
    grid: Optional[List[List[Output]]]


def _notebook_display() -> Optional[Callable[..., Any]]:
    """IPython's ``display`` when running in a Jupyter kernel, else None.

    Outside a kernel IPython's display *prints* the object, and library code
    never prints, so a plain Python (or terminal IPython) session gets None.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    return display if getattr(shell, "kernel", None) is not None else None


class Replay:
    """Records snapshots of a training run: loss, weights and decision boundary.

    Use it as a ``fit`` callback (``fit(..., callbacks=[rec])``) or call
    ``rec.record(epoch, loss=...)`` in your own loop. Every ``every``-th
    epoch it keeps the loss (and ``val_loss``/metrics from fit's logs), a
    copy of the weights and, when samples have 2 inputs, the model's output
    on a ``grid_size`` x ``grid_size`` grid over the data (10% margin).

    In Jupyter (``live=True``) the panels update in place after each
    snapshot: the loss curve, the decision boundary, the network
    (``draw_model``) and the graph of sample ``X[sample]`` with its
    gradients (``draw_dot`` of ``loss_fn`` on that sample, or of its output
    without ``loss_fn``). Elsewhere nothing is shown. ``write_html`` saves
    the replay as one offline page. ``threshold`` is the output level
    drawn as the boundary: 0 for tanh/hinge scores and logits, 0.5 for
    sigmoid probabilities. ``collapse`` draws the sample's graph one box
    per neuron (None: when it has more than 60 nodes).

    Call ``rec.record(0)`` before training to start the replay at the
    untrained network. As in ``History``, fit's loss for an epoch is
    measured during it, before each step; the weights and the boundary are
    those after the epoch.

    >>> from micrograd_like.nn import MLP
    >>> from micrograd_like.train import fit
    >>> from micrograd_like.optim import SGD
    >>> from micrograd_like.losses import hinge_loss
    >>> model = MLP(2, [4, 1], seed=0)
    >>> X, y = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [-1, 1, 1]
    >>> rec = Replay(model, X, y, loss_fn=hinge_loss, grid_size=10, live=False)
    >>> h = fit(model, hinge_loss, SGD(model.parameters(), lr=0.1), X, y, epochs=3,
    ...         callbacks=[rec], verbose=0)
    >>> [s.epoch for s in rec.snapshots], rec.snapshots[-1].loss == h["loss"][-1]
    ([1, 2, 3], True)
    >>> rec.write_html("replay.html")  # doctest: +SKIP
    'replay.html'
    """

    def __init__(
        self,
        model: Module,
        X: Sequence[Any],
        y: Sequence[Any],
        *,
        loss_fn: Optional[LossFn] = None,
        every: int = 1,
        grid_size: int = 40,
        sample: int = 0,
        threshold: float = 0.0,
        collapse: Optional[bool] = None,
        live: bool = True,
    ) -> None:
        if not isinstance(model, Module):
            raise TypeError(
                f"Replay: model must be a micrograd_like.nn.Module such as MLP(2, [8, 1]), "
                f"got {type(model).__name__} {short(model)}; its weights are read with "
                "model.state_dict()"
            )
        self.X = check_X(X, model)
        self.y = list(check_y(y, len(self.X)))
        self.every = check_int(every, "every", 1, None, "record every k-th epoch; 1 records each")
        self.grid_size = check_int(grid_size, "grid_size", 2, 200, "points per side of the grid")
        self.sample = check_int(sample, "sample", 0, len(self.X) - 1,
                                 f"the index of one sample of X, which has {len(self.X)}")
        if isinstance(threshold, bool) or not isinstance(threshold, Real):
            raise TypeError(f"Replay: threshold must be a number (0.0 for scores and logits, "
                            f"0.5 for probabilities), got {type(threshold).__name__} {threshold!r}")
        if not math.isfinite(threshold):
            raise ValueError(f"Replay: threshold must be finite (0.0 for scores and logits, "
                             f"0.5 for probabilities), got {threshold!r}")
        if loss_fn is not None and not callable(loss_fn):
            raise TypeError(f"Replay: loss_fn must be a loss such as mse_loss(outputs, "
                            f"targets), or None to draw the output, got {short(loss_fn)}")
        for name, flag in (("live", live), ("collapse", collapse)):
            if not (isinstance(flag, bool) or (name == "collapse" and flag is None)):
                raise TypeError(f"Replay: {name} must be True or False, got {flag!r}")
        self.model = model
        self.loss_fn = loss_fn
        self.threshold = float(threshold)
        self.collapse = collapse
        self.live = live
        self.snapshots: List[Snapshot] = []
        self.grid_x: List[float] = []
        self.grid_y: List[float] = []
        if len(self.X[0]) == 2:
            self.grid_x = _axis([p[0] for p in self.X], self.grid_size)
            self.grid_y = _axis([p[1] for p in self.X], self.grid_size)
        root = _panels.sample_root(model, self.X[self.sample], self.y[self.sample], loss_fn)
        if not isinstance(root, Value):  # known now, not after an hour of training
            raise TypeError(
                f"Replay: the graph of sample {self.sample} needs one Value, but "
                f"{'loss_fn' if loss_fn else 'the model'} gives {type(root).__name__}; "
                "pass loss_fn=... (e.g. cross_entropy) for a model with several outputs"
            )
        if live and _notebook_display() is not None:  # fail now, not after epoch 1
            _panels.require_matplotlib("Replay(live=True)")
        self._handle: Any = None  # Jupyter's display handle, made by the first snapshot

    # -- recording ---------------------------------------------------------------

    def __call__(self, epoch: int, logs: Dict[str, float]) -> None:
        """The ``fit`` callback: record this epoch (when it is an ``every``-th one)."""
        if not isinstance(logs, dict):
            raise TypeError(f"Replay: expected fit's logs dict as the 2nd argument, got "
                            f"{short(logs)}")
        self.record(epoch, loss=logs.get("loss"), logs=logs)

    def record(self, epoch: int, loss: Union[float, Value, None] = None,
               logs: Optional[Dict[str, float]] = None) -> Optional[Snapshot]:
        """Take a snapshot of the model now; return it (None when ``epoch`` is skipped).

        Only epochs divisible by ``every`` are kept (0, the start, always).
        ``loss`` may be a float or the loss Value; without it, and with a
        ``loss_fn``, the loss on the whole ``(X, y)`` is computed.
        ``logs`` adds other numbers, e.g. ``{"acc": 0.9}``.

        >>> from micrograd_like.nn import MLP
        >>> rec = Replay(MLP(1, [1], seed=0), [[0.0], [1.0]], [0.0, 1.0], live=False)
        >>> rec.record(0, loss=0.5).loss, rec.snapshots[0].grid is None
        (0.5, True)
        """
        if isinstance(epoch, bool) or not isinstance(epoch, int):
            raise TypeError(f"Replay.record: epoch must be an int >= 0, got "
                            f"{type(epoch).__name__} {epoch!r}")
        if epoch < 0:
            raise ValueError(f"Replay.record: epoch must be an int >= 0, got {epoch!r}")
        if self.snapshots and epoch <= self.snapshots[-1].epoch:
            raise ValueError(
                f"Replay.record: epoch {epoch} is not after the last recorded epoch "
                f"{self.snapshots[-1].epoch}; make a new Replay for a new training run"
            )
        if logs is not None and not isinstance(logs, dict):
            raise TypeError(f"Replay.record: logs must be a dict of name -> number, e.g. "
                            f"{{'acc': 0.9}}, got {type(logs).__name__} {short(logs)}")
        if epoch % self.every:
            return None
        extra = {k: as_number(v, f"logs[{k!r}]") for k, v in (logs or {}).items()
                 if k not in _SKIPPED_LOGS}
        if loss is None and self.loss_fn is not None:
            try:
                with no_grad():
                    loss = self.loss_fn([self.model(x) for x in self.X], self.y)
            except ArithmeticError:  # the engine's OverflowError: training diverged
                loss = math.nan
        snap = Snapshot(
            epoch=epoch,
            loss=None if loss is None else as_number(loss, "loss"),
            logs=extra,
            state_dict={k: float(v) for k, v in self.model.state_dict().items()},
            grid=self._grid() if self.grid_x else None,
        )
        self.snapshots.append(snap)
        if self.live:
            self._show_live()
        return snap

    def _grid(self) -> List[List[Output]]:
        with no_grad():  # 1600 forward passes for 40 x 40: no graph to build
            return [[self._output(a, b) for a in self.grid_x] for b in self.grid_y]

    def _output(self, a: float, b: float) -> Output:
        try:
            return _floats(self.model([a, b]))
        except ArithmeticError:  # diverged weights overflow here: a hole in the picture
            return math.nan

    def _show_live(self) -> None:
        display = _notebook_display()
        if display is None:
            return
        panels = self.panels()
        if self._handle is None:
            self._handle = display(panels, display_id=True)
        else:
            self._handle.update(panels)

    # -- showing -------------------------------------------------------------------

    def panels(self, index: int = -1) -> Panels:
        """The pictures of snapshot ``index`` (default the last); Jupyter shows them.

        The loss curve's axes and the boundary's colour scale cover the
        snapshots recorded so far.

        >>> rec.panels(0)  # doctest: +SKIP
        Panels('Epoch <b class="epoch">1</b> of 30 ...', 4 pictures)
        """
        if not self.snapshots:
            raise ValueError("Replay.panels: nothing recorded yet; call record(epoch) or "
                             "pass the Replay to fit(..., callbacks=[rec]) first")
        n = len(self.snapshots)
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"Replay.panels: index must be an int, got {type(index).__name__} "
                            f"{index!r}")
        if not -n <= index < n:
            raise IndexError(f"Replay.panels: index must be in [-{n}, {n - 1}] ({n} snapshots "
                             f"recorded), got {index!r}")
        with _panels.rc_context("Replay.panels"):
            return self._render([index % n], self.snapshots)[0]

    def to_html(self, *, max_snapshots: Optional[int] = MAX_SNAPSHOTS, interval: int = 400,
                title: str = "Watch a network learn") -> str:
        """The replay as one self-contained HTML page (play, pause, step, slider).

        With more than ``max_snapshots`` snapshots (None: no limit), the page
        holds ``max_snapshots`` of them, evenly spaced, the first and the last
        always included (frame ``i`` of the page is snapshot
        ``i * (n - 1) / (max_snapshots - 1)``, rounded); the loss curve still
        uses every snapshot. A snapshot takes about 80 KB for MLP(2, [4, 1])
        and 150 KB for MLP(2, [8, 8, 1]). Play shows one snapshot every
        ``interval`` milliseconds.

        >>> text = rec.to_html(max_snapshots=20)  # doctest: +SKIP
        >>> text.count('<template class="snapshot"')  # doctest: +SKIP
        20
        """
        if not self.snapshots:
            raise ValueError("Replay.to_html: nothing recorded yet; pass the Replay to "
                             "fit(..., callbacks=[rec]) or call rec.record(epoch) first")
        _check_title(title, "Replay.to_html")  # before the pictures, which take a while
        if max_snapshots is not None:
            max_snapshots = check_int(max_snapshots, "max_snapshots", 2, None,
                                       "or None to keep all", "Replay.to_html")
        interval = check_int(interval, "interval", 10, None, "milliseconds per snapshot",
                              "Replay.to_html")
        keep = _spread(len(self.snapshots), max_snapshots)
        with _panels.rc_context("Replay.to_html"):
            frames = self._render(keep, [self.snapshots[i] for i in keep])
        last = self.snapshots[-1].epoch
        about = (f"{html.escape(repr(self.model))}, {len(self.X)} training samples. "
                 f"{len(keep)} of {len(self.snapshots)} recorded snapshots (epochs "
                 f"{self.snapshots[0].epoch} to {last}). Press play, or drag the slider.")
        return page(title, about, [(self.snapshots[i].epoch, p) for i, p in zip(keep, frames)],
                    interval)

    def write_html(self, path: Union[str, "os.PathLike[str]"], **kwargs: Any) -> str:
        """Write ``to_html(**kwargs)`` to ``path`` atomically; return the path.

        The page is made in full first, then written to a temporary file next
        to ``path`` and renamed over it: a failure never leaves half a file.
        A folder that does not exist is an error (it is not created).

        >>> rec.write_html("replay.html")  # doctest: +SKIP
        'replay.html'
        """
        path = _check_path(path, "Replay.write_html")  # a str, or a TypeError that says what
        if "title" in kwargs:
            _check_title(kwargs["title"], "Replay.write_html")
        folder = os.path.dirname(os.path.abspath(path))
        # Checked before the pictures are made, which may take a while.
        if not os.path.isdir(folder):  # a typo in the path should not make directories
            raise FileNotFoundError(
                f"Replay.write_html: cannot write {path!r}: the folder {folder!r} does not "
                "exist; create it first (os.makedirs(folder, exist_ok=True))"
            )
        if os.path.isdir(path):
            raise IsADirectoryError(
                f"Replay.write_html: cannot write {path!r}: it is a folder; give the name "
                "of a file, e.g. os.path.join(folder, 'replay.html')"
            )
        atomic_write(path, self.to_html(**kwargs), where="Replay.write_html")
        return path

    def _render(self, indices: List[int], scale: List[Snapshot]) -> List[Panels]:
        """Panels of the snapshots at ``indices``; colour scale from ``scale``."""
        snaps = self.snapshots
        epochs = [s.epoch for s in snaps]
        series: Dict[str, List[Optional[float]]] = {"loss": [s.loss for s in snaps]}
        if any("val_loss" in s.logs for s in snaps):
            series["val_loss"] = [s.logs.get("val_loss") for s in snaps]
        view = _panels.LossView.of(series, epochs)
        vlim = _spread_of(scale, self.threshold)
        out = []
        with _weights_kept(self.model):  # drawn at each snapshot's weights, then put back
            for i in indices:
                self.model.load_state_dict(snaps[i].state_dict)
                pictures = self._pictures(i, epochs, series, view, vlim)
                out.append(Panels(_status(snaps[i], epochs[-1]), pictures))
        return out

    def _pictures(self, i: int, epochs: List[int], series: Dict[str, List[Optional[float]]],
                  view: _panels.LossView, vlim: float) -> List[Tuple[str, str, str]]:
        """(title, hint, svg) of each panel of snapshot ``i``, drawn from ``self.model``."""
        s = self.snapshots[i]
        pictures = []
        if any(v is not None for v in series["loss"]):
            pictures.append(("Loss: how wrong the model is", "Lower is better. The dot is "
                             "this epoch.", _panels.loss_svg(epochs, series, i, view)))
        if s.grid is not None:
            pictures.append(("Decision boundary: the model's answer everywhere",
                             "Colour: the model's output at each point of the plane. "
                             "Dots: the training data.", _panels.boundary_svg(
                                 self.grid_x, self.grid_y, s.grid, self.X, self.y,
                                 threshold=self.threshold, vlim=vlim, sample=self.sample)))
        pictures.append(("Network (weights)", "Edges are weights: blue positive, red "
                         "negative, thicker when larger.", _panels.network_svg(self.model)))
        what = "loss" if self.loss_fn is not None else "output"
        pictures.append((f"Computation graph of sample #{self.sample}: its {what} after "
                         "backward()", f"Each box: data (forward pass) and grad (d {what} / "
                         "d box, backward pass). Inputs at the top.", _panels.graph_svg(
                             self.model, self.X[self.sample], self.y[self.sample],
                             self.loss_fn, self.collapse)))
        return pictures

    def __len__(self) -> int:
        return len(self.snapshots)

    def __repr__(self) -> str:
        return (f"Replay({self.model!r}, {len(self.X)} samples, every={self.every}, "
                f"{len(self.snapshots)} snapshots)")


# --- helpers --------------------------------------------------------------------


@contextmanager
def _weights_kept(model: Module) -> Iterator[None]:
    """Put every parameter's data and grad back as they were, whatever happens inside.

    The pictures of a snapshot are drawn by the model itself, loaded with
    that snapshot's weights (a copy of the model would need copy.deepcopy,
    which recurses). Drawing the graph runs backward(), so grads are kept too.
    """
    saved = [(p, p.data, p.grad) for p in model.parameters()]
    try:
        yield
    finally:
        for p, data, grad in saved:
            p.data, p.grad = data, grad


def _status(s: Snapshot, last: int) -> str:
    parts = [f'Epoch <b class="epoch">{s.epoch}</b> of {last}']
    if s.loss is not None:
        parts.append(f'loss <b class="loss">{fmt(s.loss)}</b>')
    parts += [f"{html.escape(k)} {fmt(v)}" for k, v in s.logs.items()]
    return " &middot; ".join(parts)


def _spread(n: int, most: Optional[int]) -> List[int]:
    """``most`` indices out of ``range(n)``, evenly spaced, first and last included."""
    if most is None or n <= most:
        return list(range(n))
    return [(i * (n - 1) + (most - 1) // 2) // (most - 1) for i in range(most)]


def _spread_of(snaps: List[Snapshot], threshold: float) -> float:
    """How far from ``threshold`` the strongest colour is: the colour scale.

    The 95th percentile of |output - threshold| over the grids, not the
    maximum: far corners of the grid reach huge outputs, and would leave the
    region near the boundary, the interesting one, nearly white.
    """
    far = sorted(abs(v - threshold) for s in snaps if s.grid for row in s.grid for v in row
                 if isinstance(v, float) and math.isfinite(v))
    return (far[int(0.95 * (len(far) - 1))] if far else 0.0) or 1.0


def _axis(values: List[float], n: int) -> List[float]:
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or 1.0  # one value only: a unit around it
    lo, hi = lo - pad, hi + pad
    return [lo + (hi - lo) * k / (n - 1) for k in range(n)]


def _check_title(title: object, where: str) -> None:
    if not isinstance(title, str):
        raise TypeError(f"{where}: title must be a str (the page's heading), got "
                        f"{type(title).__name__} {short(title)}")

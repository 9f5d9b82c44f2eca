"""Tests for micrograd_like.replay: the snapshots, the live panels, the offline page.

Oracles: a training loop written out by hand next to ``fit`` (the weights of
every epoch), fit's own History (the loss), a copy of the model loaded with a
snapshot's weights (the grid outputs, the numbers on the drawings), a fake
Jupyter display, and a real headless Chromium for the page (what a learner
sees after moving the slider, play/pause/step, no network, no console error).
"""

import math
import os
import re
import subprocess
import sys
import textwrap
import types

import pytest

from micrograd_like import no_grad
from micrograd_like._format import fmt
from micrograd_like.losses import cross_entropy, hinge_loss, mse_loss
from micrograd_like.metrics import accuracy_score
from micrograd_like.nn import MLP
from micrograd_like.optim import SGD, Adam
from micrograd_like.replay import MAX_SNAPSHOTS, Panels, Replay, Snapshot
from micrograd_like.replay import _recorder
from micrograd_like.train import fit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Two blobs, one on each side of the line x1 = x2 (labels -1 and +1).
X2 = [[-1.0, 0.2], [-0.8, 0.9], [-0.3, 0.7], [-0.6, -0.1], [0.1, 1.0], [-0.9, 0.5],
      [1.0, -0.2], [0.8, -0.9], [0.3, -0.7], [0.6, 0.1], [-0.1, -1.0], [0.9, -0.5]]
Y2 = [-1] * 6 + [1] * 6


def trained(epochs=5, every=1, grid_size=6, **kwargs):
    """A Replay of fit on the blobs, with its model and History."""
    model = MLP(2, [4, 1], seed=0)
    rec = Replay(model, X2, Y2, loss_fn=hinge_loss, every=every, grid_size=grid_size,
                 live=False, **kwargs)
    h = fit(model, hinge_loss, SGD(model.parameters(), lr=0.1), X2, Y2, epochs=epochs,
            callbacks=[rec], verbose=0)
    return rec, model, h


# --- what a snapshot holds --------------------------------------------------------


def test_snapshots_hold_the_weights_of_a_hand_written_loop():
    rec, _, _ = trained(epochs=6)
    twin = MLP(2, [4, 1], seed=0)  # the same loop, written out, on its own model
    opt = SGD(twin.parameters(), lr=0.1)
    for epoch, snap in zip(range(1, 7), rec.snapshots):
        loss = hinge_loss([twin(x) for x in X2], Y2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        assert snap.epoch == epoch
        assert snap.state_dict == dict(twin.state_dict())
    assert len(rec) == 6


def test_a_snapshot_is_a_copy_not_the_live_weights():
    rec, model, _ = trained(epochs=3)
    first = dict(rec.snapshots[0].state_dict)
    for p in model.parameters():
        p.data += 1.0
    assert rec.snapshots[0].state_dict == first
    assert all(isinstance(v, float) for v in first.values())


def test_loss_and_logs_are_those_of_history():
    model = MLP(2, [4, 1], seed=1)
    rec = Replay(model, X2, Y2, grid_size=4, live=False)
    h = fit(model, hinge_loss, Adam(model.parameters(), lr=0.05), X2, Y2, epochs=4,
            batch_size=5, seed=0, validation_data=(X2[:4], Y2[:4]),
            metrics={"acc": accuracy_score}, to_label=lambda o: 1 if o > 0 else -1,
            callbacks=[rec], verbose=0)
    assert [s.loss for s in rec.snapshots] == h["loss"]
    assert [s.logs["val_loss"] for s in rec.snapshots] == h["val_loss"]
    assert [s.logs["acc"] for s in rec.snapshots] == h["acc"]
    assert all("time" not in s.logs and "loss" not in s.logs for s in rec.snapshots)


def test_grid_is_the_output_of_the_snapshot_weights():
    rec, _, _ = trained(epochs=4, grid_size=7)
    lo, hi = -1.0 - 0.2, 1.0 + 0.2  # the data range (-1 .. 1) with a 10% margin
    assert rec.grid_x[0] == pytest.approx(lo) and rec.grid_x[-1] == pytest.approx(hi)
    assert len(rec.grid_x) == len(rec.grid_y) == 7
    copy = MLP(2, [4, 1], seed=123)  # other weights until loaded
    for snap in (rec.snapshots[0], rec.snapshots[-1]):
        copy.load_state_dict(snap.state_dict)
        expected = [[copy([a, b]).data for a in rec.grid_x] for b in rec.grid_y]
        assert snap.grid == expected


def test_grid_of_a_model_with_several_outputs_holds_every_score():
    X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    model = MLP(2, [3, 3], seed=0)
    rec = Replay(model, X, [0, 1, 2], loss_fn=cross_entropy, grid_size=3, live=False)
    snap = rec.record(0)
    with no_grad():
        assert snap.grid[2][0] == [v.data for v in model([rec.grid_x[0], rec.grid_y[2]])]
    assert snap.loss == cross_entropy([model(x) for x in X], [0, 1, 2]).data


def test_hand_loop_records_every_kth_epoch_and_takes_a_loss_value():
    model = MLP(2, [3, 1], seed=0)
    rec = Replay(model, X2, Y2, every=2, grid_size=3, live=False)
    opt = SGD(model.parameters(), lr=0.05)
    kept = []
    for epoch in range(6):
        loss = mse_loss([model(x) for x in X2], Y2)
        snap = rec.record(epoch, loss=loss, logs={"lr": 0.05})
        kept.append(snap is not None)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert kept == [True, False, True, False, True, False]
    assert [s.epoch for s in rec.snapshots] == [0, 2, 4]
    assert rec.snapshots[0].logs == {"lr": 0.05}


def test_without_two_inputs_there_is_no_grid_and_no_boundary_panel(matplotlib):
    model = MLP(1, [3, 1], seed=0)
    rec = Replay(model, [[0.0], [0.5], [1.0]], [0.0, 0.2, 1.0], loss_fn=mse_loss, live=False)
    snap = rec.record(0)
    assert snap.grid is None and rec.grid_x == []
    assert snap.loss == mse_loss([model(x) for x in [[0.0], [0.5], [1.0]]], [0.0, 0.2, 1.0]).data
    titles = [title for title, _, _ in rec.panels().panels]
    assert not any("boundary" in t for t in titles) and len(titles) == 3


# --- the pictures -----------------------------------------------------------------


def test_panels_show_the_snapshot_weights_and_the_chosen_sample(matplotlib):
    rec, model, _ = trained(epochs=3, sample=4)
    for i, p in enumerate(model.parameters()):  # the model moves on; the drawings must not
        p.data, p.grad = 0.5, float(i)
    panels = rec.panels(0)
    # ... and drawing the past leaves the model as it was, grads included
    assert [(p.data, p.grad) for p in model.parameters()] == [
        (0.5, float(i)) for i in range(len(model.parameters()))]
    titles = [t for t, _, _ in panels.panels]
    assert titles[:2] == ["Loss: how wrong the model is",
                          "Decision boundary: the model's answer everywhere"]
    assert "sample #4" in titles[3]
    copy = MLP(2, [4, 1], seed=9)
    copy.load_state_dict(rec.snapshots[0].state_dict)
    network, graph = panels.panels[2][2], panels.panels[3][2]
    b = copy.layers[0].neurons[1].b.data
    assert "b " + fmt(b).replace("-", "&#45;") in network
    loss = hinge_loss([copy(X2[4])], [Y2[4]]).data
    assert "data " + fmt(loss).replace("-", "&#45;") in graph
    assert "<svg" in network and "<svg" in graph and "loss" in graph


def test_a_failed_drawing_puts_the_weights_back(matplotlib, monkeypatch):
    rec, model, _ = trained(epochs=2)
    now = dict(model.state_dict())

    def broken(model):
        raise RuntimeError("the layout program crashed")

    monkeypatch.setattr(_recorder._panels, "network_svg", broken)
    with pytest.raises(RuntimeError, match="layout program crashed"):
        rec.panels(0)
    assert dict(model.state_dict()) == now != rec.snapshots[0].state_dict


def test_graph_says_why_every_grad_is_zero(matplotlib):
    model = MLP(2, [3, 1], seed=0)
    rec = Replay(model, X2, Y2, loss_fn=hinge_loss, grid_size=3, live=False)
    rec.record(0)
    for p in model.parameters():
        p.data = 0.0
    model.layers[-1].neurons[0].b.data = -5.0  # every sample scores -5: sample 0 (-1) is safe
    rec.record(1)
    assert "grad is 0 here" not in rec.panels(0).panels[-1][2]
    assert "Every weight&#x27;s grad is 0 here" in rec.panels(1).panels[-1][2]


def test_boundary_panel_changes_as_the_model_learns(matplotlib):
    rec, _, _ = trained(epochs=4)
    first, last = rec.panels(0), rec.panels(-1)
    assert first.panels[1][2] != last.panels[1][2]
    assert first.panels[1][2].startswith("<svg")


# --- live in Jupyter --------------------------------------------------------------


class FakeDisplay:
    """IPython's display(obj, display_id=True) and the handle it returns."""

    def __init__(self):
        self.shown, self.updates = [], []

    def __call__(self, obj, display_id=False):
        assert display_id is True
        self.shown.append(obj)
        return self

    def update(self, obj):
        self.updates.append(obj)


def test_live_display_updates_in_place_once_per_snapshot(matplotlib, monkeypatch):
    fake = FakeDisplay()
    monkeypatch.setattr(_recorder, "_notebook_display", lambda: fake)
    model = MLP(2, [3, 1], seed=0)
    rec = Replay(model, X2, Y2, loss_fn=hinge_loss, grid_size=4, every=2)
    fit(model, hinge_loss, SGD(model.parameters(), lr=0.1), X2, Y2, epochs=6,
        callbacks=[rec], verbose=0)
    assert len(fake.shown) == 1 and len(fake.updates) == 2  # epochs 2, 4, 6
    for obj, epoch in zip(fake.shown + fake.updates, (2, 4, 6)):
        html = obj._repr_html_()
        assert f'Epoch <b class="epoch">{epoch}</b>' in html and html.count("<svg") >= 4


def test_outside_jupyter_nothing_is_shown_or_printed(monkeypatch, capsys):
    shown = []
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: None  # plain python: no shell at all
    display_mod = types.ModuleType("IPython.display")
    display_mod.display = lambda *a, **k: shown.append(a)
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display_mod)
    assert _recorder._notebook_display() is None
    model = MLP(2, [3, 1], seed=0)
    Replay(model, X2, Y2, grid_size=3).record(0)
    assert shown == [] and capsys.readouterr() == ("", "")
    ipython.get_ipython = lambda: types.SimpleNamespace(kernel=object())  # a Jupyter kernel
    assert _recorder._notebook_display() is display_mod.display


# --- the offline page -------------------------------------------------------------


def test_page_subsamples_evenly_keeping_first_and_last(matplotlib, tmp_path):
    model = MLP(1, [2, 1], seed=0)
    rec = Replay(model, [[0.0], [1.0]], [0.0, 1.0], live=False)
    for epoch in range(10):
        rec.record(epoch, loss=1.0 / (epoch + 1))
    text = rec.to_html(max_snapshots=4)
    assert re.findall(r'data-epoch="(\d+)"', text) == ["0", "3", "6", "9"]
    assert _recorder._spread(100, MAX_SNAPSHOTS)[-1] == 99 and MAX_SNAPSHOTS == 60
    assert len(set(_recorder._spread(61, 60))) == 60


def test_page_is_self_contained(matplotlib):
    rec, _, _ = trained(epochs=2)
    text = rec.to_html()
    assert "<script src" not in text and "<link" not in text and "@import" not in text
    urls = set(re.findall(r"https?://[^\"' )]+", text))
    # Only the XML namespace names of SVG, which are never fetched.
    assert urls == {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_same_program_writes_the_same_bytes(matplotlib, tmp_path):
    program = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {REPO!r})
        from micrograd_like.losses import hinge_loss
        from micrograd_like.nn import MLP
        from micrograd_like.optim import Adam
        from micrograd_like.replay import Replay
        from micrograd_like.train import fit
        X, y = {X2!r}, {Y2!r}
        model = MLP(2, [4, 1], seed=0)
        rec = Replay(model, X, y, loss_fn=hinge_loss, grid_size=6)
        fit(model, hinge_loss, Adam(model.parameters(), lr=0.05), X, y, epochs=3,
            batch_size=4, seed=0, callbacks=[rec], verbose=0)
        rec.write_html(sys.argv[1])
    """)
    paths = []
    for seed in ("1", "2"):  # another hash seed: set order may not leak into the file
        path = tmp_path / f"r{seed}.html"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", program, str(path)], check=True, env=env)
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_write_html_replaces_atomically_and_leaves_no_temp_on_failure(matplotlib, tmp_path, monkeypatch):
    rec, _, _ = trained(epochs=2)
    path = tmp_path / "replay.html"
    assert rec.write_html(path) == str(path)
    good = path.read_bytes()
    assert good.startswith(b"<!DOCTYPE html>")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    rec.record(3, loss=0.1)
    with pytest.raises(OSError):
        rec.write_html(path)
    assert path.read_bytes() == good  # the old page, whole
    assert sorted(os.listdir(tmp_path)) == ["replay.html"]  # no temporary file left


def test_write_html_into_a_folder_that_is_not_there_names_the_path(tmp_path):
    rec, _, _ = trained(epochs=1)
    path = str(tmp_path / "no_such_folder" / "replay.html")
    with pytest.raises(FileNotFoundError, match=re.escape(repr(path))) as err:
        rec.write_html(path)
    assert "write_html" in str(err.value) and "os.makedirs" in str(err.value)
    assert os.listdir(tmp_path) == []


def test_write_html_onto_a_folder_says_so_and_leaves_nothing(tmp_path):
    rec, _, _ = trained(epochs=1)
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder; give the name of a file"):
        rec.write_html(tmp_path / "out")
    assert os.listdir(tmp_path / "out") == [] and os.listdir(tmp_path) == ["out"]


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(model=lambda x: x), TypeError, ["Replay: model must be a micrograd_like.nn.Module",
                                         "function"]),
    (dict(X=[[1.0, 2.0, 3.0]] * 12), ValueError, ["has 3 numbers", "takes 2 inputs"]),
    (dict(X=[0.5] * 12), ValueError, ["takes 2 inputs", "X looks flat"]),
    (dict(X=[[1.0, 2.0]] * 11 + [[1.0]]), ValueError, ["X[11] has 1", "same number"]),
    (dict(X=[[1.0, "a"]] * 12), TypeError, ["X[0] must be a list of numbers", "'a'"]),
    (dict(X=[], y=[]), ValueError, ["X is empty"]),
    (dict(y=Y2[:5]), ValueError, ["X has 12 samples but y has 5"]),
    (dict(every=0), ValueError, ["every must be an int >= 1", "got 0", "1 records each"]),
    (dict(every=1.5), TypeError, ["every must be an int", "float 1.5"]),
    (dict(grid_size=1), ValueError, ["grid_size must be an int in [2, 200]", "got 1"]),
    (dict(sample=12), ValueError, ["sample must be an int in [0, 11]", "got 12"]),
    (dict(threshold="0.5"), TypeError, ["threshold must be a number", "str '0.5'"]),
    (dict(threshold=float("nan")), ValueError, ["threshold must be finite", "nan"]),
    (dict(loss_fn="mse"), TypeError, ["loss_fn must be a loss", "'mse'"]),
    (dict(live="yes"), TypeError, ["live must be True or False", "'yes'"]),
    (dict(model=MLP(2, [3, 2], seed=0)), TypeError, ["needs one Value", "pass loss_fn="]),
])
def test_bad_arguments_say_what_and_how_to_fix(kwargs, error, words):
    args = dict(model=MLP(2, [3, 1], seed=0), X=X2, y=Y2)
    args.update(kwargs)
    with pytest.raises(error) as err:
        Replay(args.pop("model"), args.pop("X"), args.pop("y"), **args)
    for word in words:
        assert word in str(err.value)


def test_bad_calls_after_construction():
    rec = Replay(MLP(2, [3, 1], seed=0), X2, Y2, grid_size=3, live=False)
    with pytest.raises(ValueError, match=r"to_html: nothing recorded yet.*callbacks=\[rec\]"):
        rec.to_html()
    with pytest.raises(ValueError, match="panels: nothing recorded yet"):
        rec.panels()
    rec.record(5, loss=1.0)
    with pytest.raises(ValueError, match="epoch 3 is not after the last recorded epoch 5; "
                                         "make a new Replay"):
        rec.record(3)
    with pytest.raises(ValueError, match="epoch must be an int >= 0, got -1"):
        rec.record(-1)
    with pytest.raises(TypeError, match="epoch must be an int >= 0, got float 6.0"):
        rec.record(6.0)
    with pytest.raises(TypeError, match="loss must be a number, got str 'low'"):
        rec.record(6, loss="low")
    with pytest.raises(ValueError, match=r"max_snapshots must be an int >= 2 .*got 1"):
        rec.to_html(max_snapshots=1)
    with pytest.raises(IndexError, match=r"index must be in \[-1, 0\] \(1 snapshots .*got 3"):
        rec.panels(3)


def test_without_matplotlib_recording_works_and_drawing_says_how_to_get_it(monkeypatch):
    rec, _, _ = trained(epochs=2)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    rec.record(3, loss=0.5)
    with pytest.raises(ImportError, match=r"Replay.to_html: .*pip install matplotlib"):
        rec.to_html()


def test_diverged_weights_still_make_a_page(matplotlib):
    model = MLP(2, [4, 1], seed=0)
    rec = Replay(model, X2, Y2, loss_fn=mse_loss, grid_size=4, live=False)
    for p in model.parameters():
        p.data = 1e200  # what a far too large learning rate leaves behind
    snap = rec.record(1)
    assert not math.isfinite(snap.loss)  # nan for the engine's OverflowError (PyPy: inf), no crash
    assert math.inf in snap.grid[0]
    rec.record(2, loss=1e308)  # the loss curve of a run that blew up
    rec.record(3, loss=math.inf)
    assert rec.to_html().count('<template class="snapshot"') == 3


def test_a_snapshot_is_a_frozen_record(matplotlib):
    rec, _, _ = trained(epochs=1)
    snap = rec.snapshots[0]
    assert isinstance(snap, Snapshot) and isinstance(rec.panels(), Panels)
    with pytest.raises(AttributeError):
        snap.epoch = 3


def test_docstring_examples_run():
    import doctest

    import micrograd_like.replay
    from micrograd_like.replay import _checks, _page, _panels

    for module in (micrograd_like.replay, _recorder, _checks, _page, _panels):
        failed, _ = doctest.testmod(module)
        assert failed == 0, module.__name__


# --- in a real browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def replay_page(matplotlib, tmp_path_factory):
    """A page of 6 snapshots (epochs 0..5) and the Replay behind it."""
    model = MLP(2, [4, 1], seed=0)
    rec = Replay(model, X2, Y2, loss_fn=hinge_loss, grid_size=10, sample=2, live=False)
    rec.record(0)
    fit(model, hinge_loss, SGD(model.parameters(), lr=0.2), X2, Y2, epochs=5,
        callbacks=[rec], verbose=0)
    path = tmp_path_factory.mktemp("replay") / "replay.html"
    rec.write_html(path, interval=250)
    return path, rec


def _shown(pg):
    """What the learner reads: epoch number, loss text, and the boundary picture."""
    boundary = pg.locator("#mgl-stage section.panel").nth(1).inner_html()
    return (pg.inner_text("#mgl-stage .epoch"), pg.inner_text("#mgl-stage .loss"), boundary)


def test_slider_shows_the_recorded_epoch_and_loss(page, replay_page):
    path, rec = replay_page
    pg = page.open(path)
    epoch, loss, boundary0 = _shown(pg)
    assert (epoch, loss) == ("0", fmt(rec.snapshots[0].loss))
    slider = pg.locator("#mgl-slider")
    assert slider.get_attribute("max") == "5"
    slider.focus()
    for k in range(1, 6):
        pg.keyboard.press("ArrowRight")  # how a learner moves the slider by keyboard
        epoch, loss, boundary = _shown(pg)
        assert epoch == str(rec.snapshots[k].epoch) == str(k)
        assert loss == fmt(rec.snapshots[k].loss)
        assert pg.inner_text("#mgl-where") == f"snapshot {k + 1} of 6"
    assert boundary != boundary0  # the picture changed with the weights
    assert "Epoch 5 of 5" in pg.inner_text("#mgl-stage .status")
    pg.screenshot(path="/tmp/replay.png", full_page=True)
    assert page.requests == [] and page.errors == []


def test_step_back_and_step_move_one_snapshot(page, replay_page):
    path, rec = replay_page
    pg = page.open(path)
    pg.click("#mgl-back")  # at the start already: stays at epoch 0
    assert pg.inner_text("#mgl-stage .epoch") == "0"
    pg.click("#mgl-step")
    pg.click("#mgl-step")
    assert pg.inner_text("#mgl-stage .epoch") == "2" and pg.input_value("#mgl-slider") == "2"
    pg.click("#mgl-back")
    assert pg.inner_text("#mgl-stage .epoch") == "1"
    assert pg.inner_text("#mgl-stage .loss") == fmt(rec.snapshots[1].loss)
    assert page.requests == [] and page.errors == []


def test_keyboard_arrows_step_and_space_plays_once(page, replay_page):
    path, _ = replay_page
    pg = page.open(path)
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowLeft")
    assert pg.inner_text("#mgl-stage .epoch") == "1"
    pg.focus("#mgl-play")
    pg.keyboard.press(" ")  # the button's own click and the page's key handler: one toggle
    assert "Pause" in pg.inner_text("#mgl-play")
    pg.keyboard.press(" ")
    assert "Play" in pg.inner_text("#mgl-play")
    assert page.requests == [] and page.errors == []


def test_play_runs_to_the_end_and_pause_stops(page, replay_page):
    path, _ = replay_page
    pg = page.open(path)
    pg.click("#mgl-play")
    assert "Pause" in pg.inner_text("#mgl-play")
    pg.wait_for_selector('#mgl-stage[data-epoch="5"]', timeout=20000)
    pg.wait_for_function("document.getElementById('mgl-play').textContent.includes('Play')")
    assert pg.input_value("#mgl-slider") == "5"
    pg.click("#mgl-play")  # at the end, play starts again from the first snapshot
    pg.click("#mgl-play")  # ... and pause stops it where it is
    stopped = pg.inner_text("#mgl-stage .epoch")
    pg.wait_for_timeout(750)  # three intervals: a running player would have moved
    assert pg.inner_text("#mgl-stage .epoch") == stopped and "Play" in pg.inner_text("#mgl-play")
    assert page.requests == [] and page.errors == []


def test_a_graph_too_big_to_draw_says_what_a_replay_user_can_do(monkeypatch):
    # draw_dot's own fix (max_nodes=...) is not an argument of Replay
    import micrograd_like.draw as draw
    from micrograd_like.draw.graph import _check_size
    from micrograd_like.losses import mse_loss
    from micrograd_like.replay._panels import graph_svg

    def too_big(*args, **kwargs):
        _check_size(5000, 2000, True)  # draw_dot's own refusal, with its own words

    monkeypatch.setattr(draw, "draw_dot", too_big)
    text = graph_svg(MLP(2, [1], seed=0), [1.0, 2.0], 1.0, mse_loss, None)
    assert "too big to draw here (5000 boxes)" in text
    assert "draw_dot(loss, max_nodes=None)" in text and "Pass max_nodes" not in text

"""The demos run end to end (reduced with --quick), reach their quality bars and draw valid PNGs.

The quality bars are facts about the task, not about our own output: XOR
solved means all four outputs on the right side of 0.5 and MSE below 0.01;
micrograd's moons demo separates its training set completely; the sine has
noise 0.1 against a signal variance of 0.5, so R^2 near 0.98 is the ceiling
and 0.9 means the shape was learned; three spirals are 33% by chance.
"""

import importlib
import os
import sys

import pytest

DEMOS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "demos")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

@pytest.fixture
def demo(monkeypatch):
    """Import a demo script the way `python demos/<name>.py` would find its helpers."""
    monkeypatch.syspath_prepend(DEMOS)

    def load(name):
        sys.modules.pop(name, None)  # a fresh module each time
        return importlib.import_module(name)

    return load


def check_pictures(matplotlib, result, out_dir, names):
    import matplotlib.image

    assert sorted(os.path.basename(p) for p in result["pictures"]) == sorted(names)
    for name in names:
        path = os.path.join(out_dir, name)
        with open(path, "rb") as f:
            assert f.read(8) == PNG_MAGIC, name
        image = matplotlib.image.imread(path)
        height, width, channels = image.shape
        assert height > 150 and width > 150 and channels in (3, 4), (name, image.shape)
        assert image[..., :3].std() > 0.05, f"{name} is (almost) blank"
        assert os.path.getsize(path) < 150_000, f"{name} is too big for the README"


def test_xor(matplotlib, demo, tmp_path, capsys):
    result = demo("xor").main(["--quick", "--out", str(tmp_path)])
    assert result["loss"] < 0.01
    assert [int(o > 0.5) for o in result["outputs"]] == [0, 1, 1, 0]
    assert result["correct"] == 4
    out = capsys.readouterr().out
    assert "epoch 300/300" in out and "4/4 outputs correct" in out
    check_pictures(matplotlib, result, tmp_path, ["xor_loss.png", "xor_boundary.png"])


def test_moons_is_micrograds_demo(matplotlib, demo, tmp_path, capsys):
    # --quick only coarsens the picture: these are the full 100 steps
    result = demo("moons").main(["--quick", "--out", str(tmp_path)])
    assert result["train_accuracy"] == 1.0
    assert result["val_accuracy"] >= 0.9
    out = capsys.readouterr().out
    assert "step  99" in out and "validation accuracy" in out
    check_pictures(matplotlib, result, tmp_path, ["moons_loss.png", "moons_boundary.png"])
    # the quick start's pages: a replay of the run and one point's backward()
    assert [os.path.basename(p) for p in result["pages"]] == ["moons_replay.html", "moons_backprop.html"]
    assert "pages (open in a browser):" in out
    replay = open(result["pages"][0], encoding="utf-8").read()
    assert replay.count("<template") == 11  # steps 0, 10, ..., 90 and the end, 100
    assert "<svg" in open(result["pages"][1], encoding="utf-8").read()


def test_regression(matplotlib, demo, tmp_path):
    result = demo("regression").main(["--quick", "--out", str(tmp_path)])
    assert result["val_r2"] > 0.9
    check_pictures(matplotlib, result, tmp_path, ["regression_loss.png", "regression_fit.png"])


def test_spirals(matplotlib, demo, tmp_path, capsys):
    result = demo("spirals").main(["--quick", "--out", str(tmp_path)])
    assert result["val_accuracy"] > 0.85
    cm = result["confusion_matrix"]
    assert len(cm) == 3 and sum(map(sum, cm)) == 38  # 25% of 150 points, rounded up
    for name in ("arm 0", "arm 1", "arm 2"):
        assert set(result["report"][name]) == {"precision", "recall", "f1-score", "support"}
    out = capsys.readouterr().out
    assert "precision" in out and "confusion matrix" in out
    check_pictures(matplotlib, result, tmp_path,
                   ["spirals_loss.png", "spirals_boundary.png", "spirals_confusion.png"])


def test_a_demo_without_matplotlib_still_trains_and_says_why_there_are_no_pictures(
    demo, tmp_path, capsys, monkeypatch
):
    plots = demo("_plots")
    monkeypatch.setattr(plots, "pyplot", lambda: None)
    result = demo("xor").main(["--quick", "--epochs", "50", "--out", str(tmp_path / "none")])
    assert result["pictures"] == []
    assert not (tmp_path / "none").exists()
    assert 'pip install -e ".[demos]"' in capsys.readouterr().err


ALL_DEMOS = ["xor", "moons", "regression", "spirals", "draw_graph", "lecture", "digits", "numpy_xor"]


@pytest.mark.parametrize("name", ALL_DEMOS)
def test_every_demo_takes_seed_epochs_out(demo, name, capsys):
    module = demo(name)
    with pytest.raises(SystemExit):
        module.main(["--help"])
    usage = capsys.readouterr().out
    for option in ("--seed", "--epochs", "--out", "--quick"):
        assert option in usage


@pytest.mark.parametrize("name", ALL_DEMOS)
def test_every_demo_rejects_zero_epochs(demo, name, capsys):
    with pytest.raises(SystemExit):
        demo(name).main(["--epochs", "0"])
    assert "--epochs must be at least 1, got 0" in capsys.readouterr().err


def test_draw_graph_accepts_and_ignores_epochs_and_quick(demo, tmp_path, capsys):
    # nothing is trained in draw_graph: the same pictures with or without them
    from micrograd_like.draw import RendererNotFoundError, find_renderer

    try:
        find_renderer("auto")
    except RendererNotFoundError:
        pytest.skip("neither dot nor graphviz-pure is installed")
    module = demo("draw_graph")
    plain = module.main(["--seed", "1", "--out", str(tmp_path / "plain")])
    extra = module.main(["--seed", "1", "--epochs", "7", "--quick",
                         "--out", str(tmp_path / "extra")])
    assert sorted(plain) == sorted(extra) == ["expression", "mlp", "neuron"]
    for key in plain:
        with open(plain[key], encoding="utf-8") as a, open(extra[key], encoding="utf-8") as b:
            assert a.read() == b.read(), key


def test_lecture(demo, tmp_path, capsys):
    result = demo("lecture").main(["--out", str(tmp_path)])
    # by hand: do/dn = 1 - 0.7071**2 = 0.5; d/dx1 = w1 * 0.5, d/dw1 = x1 * 0.5
    grads = result["grads"]
    assert grads["x1"] == pytest.approx(-1.5, abs=1e-12) and grads["w1"] == pytest.approx(1.0)
    assert grads["x2"] == pytest.approx(0.5) and grads["w2"] == 0.0
    assert result["agree"] is True  # the manual _backward() calls gave backward()'s numbers
    assert result["explanation"].grad == grads["x1"]
    assert result["boxes"] == (10, 6)  # micrograd's neuron picture, and ours fused
    with open(result["page"], encoding="utf-8") as f:
        page = f.read()
    assert "<svg" in page and "<script" in page
    out = capsys.readouterr().out
    assert "do/dx1 = -1.5" in out and "press -> to step through backward()" in out
    assert [os.path.basename(p) for p in result["pictures"]] == ["lecture_neuron.svg"]


def test_digits_reads_real_handwriting(matplotlib, demo, tmp_path):
    # 8 epochs (--quick) of the 30: the task's bar is 95% on held-out images
    result = demo("digits").main(["--quick", "--out", str(tmp_path)])
    assert result["test_accuracy"] >= 0.95
    cm = result["confusion_matrix"]
    assert sum(map(sum, cm)) == 450 and sum(cm[i][i] for i in range(10)) == 450 - result["wrong"]
    check_pictures(matplotlib, result, tmp_path, ["digits_confusion.png", "digits_errors.png"])


def test_numpy_xor_checks_the_articles_hand_written_gradients(demo, capsys):
    pytest.importorskip("numpy")
    result = demo("numpy_xor").main(["--quick"])
    assert result["before"] and result["after"]  # the article's gradients are right (of -L)
    assert len(result["before"].entries) == 17  # w1 2x4, b1 1x4, w2 4x1, b2 1x1
    assert result["correct"] == 4
    buggy = result["buggy"]  # sigmoid_derivative forgotten in the hidden layer
    assert {e.index.split("[")[0] for e in buggy.failed_entries} == {"w1", "b1"}
    out = capsys.readouterr().out
    assert "hand-written gradients before training: agree" in out and "4/4 outputs correct" in out


def _png_dpi(path):
    """The resolution a PNG declares (its pHYs chunk), in dots per inch."""
    import struct

    data = open(path, "rb").read()
    i = data.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", data[i + 4:i + 13])
    assert unit == 1  # per metre
    return round(x * 0.0254), round(y * 0.0254)


def test_pictures_are_sharp_and_come_as_svg_too(matplotlib, demo, tmp_path):
    result = demo("regression").main(["--quick", "--svg", "--out", str(tmp_path)])
    for png in result["pictures"]:
        assert _png_dpi(png) == (150, 150)  # slide resolution
        svg = png[:-4] + ".svg"
        with open(svg, encoding="utf-8") as f:
            text = f.read()
        assert "<svg" in text and "<dc:date>" not in text  # no date: the same run, the same bytes
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["regression_loss.png", "regression_fit.png", "regression_loss.svg", "regression_fit.svg"])

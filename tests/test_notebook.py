"""The teaching tools inside a real Jupyter kernel, as a learner's notebook runs them.

A notebook is written with nbformat and executed by nbclient on a real
IPython kernel (ipykernel); the outputs are read back from the executed
notebook, exactly what Jupyter would show and save. Oracles: backward()'s own
numbers, recomputed in this process, and the recorded epochs.
"""

import html
import re

import pytest

from micrograd_like._format import fmt

LECTURE = """\
from micrograd_like import Value
x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
b = Value(6.8813735870195432, label="b")
n = x1 * w1 + x2 * w2 + b; n.label = "n"
o = n.tanh(); o.label = "o"
"""


def run_notebook(cells, tmp_path):
    nbformat = _need("nbformat")
    nbclient = _need("nbclient")
    _need("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return nb


def _need(name):
    # The notebook oracles fail in CI when missing, like every oracle (conftest).
    import importlib
    import os

    try:
        return importlib.import_module(name)
    except ImportError as err:
        if os.environ.get("MICROGRAD_LIKE_REQUIRE_ORACLES") == "1":
            pytest.fail(f"{name} is not installed ({err}) and MICROGRAD_LIKE_REQUIRE_ORACLES=1")
        pytest.skip(f"{name} is not installed")


def outputs(cell, mime):
    return [o["data"][mime] for o in cell.get("outputs", []) if mime in o.get("data", {})]


def test_explain_shows_as_rich_text_in_a_notebook(tmp_path):
    nb = run_notebook([LECTURE, "from micrograd_like import explain\nexplain(o, x1)"], tmp_path)
    [page] = outputs(nb.cells[1], "text/html")
    [text] = outputs(nb.cells[1], "text/plain")
    assert "do/dx1 = -1.5" in text and "-1.5" in html.unescape(page)


def test_the_explorer_page_shows_inline_with_backwards_numbers(tmp_path):
    nb = run_notebook([LECTURE, "from micrograd_like import explore\nexplore(o, path=None)"],
                      tmp_path)
    [page] = outputs(nb.cells[1], "text/html")
    assert page.startswith("<iframe") and "srcdoc=" in page
    inner = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert "<svg" in inner and "http://" not in inner.replace("http://www.w3.org", "")
    # every gradient backward() computes is among the page's numbers
    from micrograd_like import Value
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    o = (x1 * w1 + x2 * w2 + Value(6.8813735870195432)).tanh()
    o.backward()
    for v in (x1, x2, w1, w2):
        assert f"grad {fmt(v.grad)}" in inner or fmt(v.grad) in inner


TRAIN = """\
from micrograd_like import MLP, Replay, fit
from micrograd_like.losses import hinge_loss
from micrograd_like.optim import Adam
X, y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [-1, 1, 1, -1]
model = MLP(2, [8, 1], seed=0)
rec = Replay(model, X, y, loss_fn=hinge_loss, grid_size=8, every=5)
history = fit(model, hinge_loss, Adam(model.parameters(), lr=0.05), X, y, epochs=20,
              callbacks=[rec], verbose=0)
print(history["loss"][-1])
"""


def test_the_replay_updates_in_place_in_a_live_notebook(tmp_path):
    nb = run_notebook([TRAIN], tmp_path)
    cell = nb.cells[0]
    shown = [o for o in cell.outputs if o["output_type"] == "display_data"]
    # one display, updated in place (not one output per snapshot)
    assert len(shown) == 1 and "text/html" in shown[0]["data"]
    final = html.unescape(shown[0]["data"]["text/html"])
    assert "Epoch <b>20</b>" in final or "Epoch 20" in re.sub(r"<[^>]+>", "", final)
    [printed] = [o["text"] for o in cell.outputs if o["output_type"] == "stream"]
    assert fmt(float(printed)) in re.sub(r"<[^>]+>", "", final)  # the last loss, as recorded


FIT = """\
import sys
{before}
from micrograd_like import MLP, fit
from micrograd_like.losses import mse_loss
from micrograd_like.optim import SGD
model = MLP(1, [4, 1], seed=0)
X, y = [[0.0], [0.5], [1.0], [1.5]], [0.0, 0.5, 1.0, 1.5]
history = fit(model, mse_loss, SGD(model.parameters(), lr=0.05), X, y, epochs=7, batch_size=2,
              verbose=1, seed=0)
print("last loss", history["loss"][-1])
"""


def _last_loss(cell):
    text = "".join(o["text"] for o in cell.outputs if o.get("name") == "stdout")
    return float(re.search(r"last loss (\S+)", text).group(1))


def test_fit_shows_a_tqdm_bar_in_a_notebook_not_stderr(tmp_path):
    _need("tqdm")
    _need("ipywidgets")
    nb = run_notebook([FIT.format(before="")], tmp_path)
    cell = nb.cells[0]
    assert not [o for o in cell.outputs if o.get("name") == "stderr"]  # no pink box
    widgets = [o for o in cell.outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == 1  # one bar, updated in place
    # the bar's final state is in the widget state the kernel saved
    import json
    state = json.dumps(nb.metadata["widgets"])
    assert "7/7" in state and "loss=" in state
    loss = re.search(r"loss=([0-9.]+)", state).group(1)
    import math
    assert math.isclose(float(loss), _last_loss(cell), rel_tol=1e-3)  # the last epoch's loss


def test_fit_without_tqdm_updates_one_line_in_place(tmp_path):
    # ipywidgets blocked in the kernel: the text display, updated in place
    nb = run_notebook([FIT.format(before="sys.modules['ipywidgets'] = None")], tmp_path)
    cell = nb.cells[0]
    assert not [o for o in cell.outputs if o.get("name") == "stderr"]
    shown = [o for o in cell.outputs if o["output_type"] == "display_data"]
    assert len(shown) == 1
    assert shown[0]["data"]["text/plain"].startswith("epoch 7/7  loss ")

"""In a clean install without graphviz-pure and without a system dot: training works, drawing explains."""

from micrograd_like import MLP, Value, fit
from micrograd_like.draw import RendererNotFoundError, draw_dot, to_svg
from micrograd_like.losses import mse_loss
from micrograd_like.optim import SGD

model = MLP(1, [4, 1], seed=0)
X, y = [[0.0], [0.5], [1.0]], [0.0, 0.5, 1.0]
history = fit(model, mse_loss, SGD(model.parameters(), lr=0.1), X, y, epochs=30, verbose=0)
assert history["loss"][-1] < history["loss"][0], history["loss"]
assert "digraph" in draw_dot(Value(1.0) + 2).source  # the DOT text needs no program
try:
    to_svg(Value(1.0) + 2)
except RendererNotFoundError as err:
    assert "pip install graphviz-pure" in str(err) and "apt-get install graphviz" in str(err), err
    print("without a renderer: trained, and drawing says:", str(err)[:80], "...")
else:
    raise SystemExit("to_svg worked without any renderer: the test set-up is wrong")

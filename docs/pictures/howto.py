"""Pictures for the how-to pages: what draw_dot's options look like (docs/how-to/drawing.md).

- ``howto/grad_color.svg``: the lecture's neuron after backward(), with
  ``grad_color=True`` and ``legend=True``: borders by the sign and size of
  each grad, and the key to the fill colours;
- ``howto/collapse.svg``: the hinge loss of a small MLP on 4 points with
  ``collapse=True``: each neuron one box, weights and constants hidden.

Both are drawn by the library from fixed numbers (the MLP has ``seed=0``),
so the same program gives the same bytes from the same renderer.
"""

from __future__ import annotations

import os

from _common import lecture_neuron

from micrograd_like import Value
from micrograd_like.draw import draw_dot, render
from micrograd_like.losses import hinge_loss
from micrograd_like.nn import MLP

PICTURES = ["howto/grad_color.svg", "howto/collapse.svg"]


def small_loss() -> Value:
    """The hinge loss of MLP(2, [4, 4, 1]) on the four XOR corners, after backward()."""
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    X, y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [-1, 1, 1, -1]
    loss = hinge_loss([model(x) for x in X], y)
    loss.label = "loss"
    loss.backward()
    return loss


def make(out_dir: str) -> None:
    """Write every picture in PICTURES under out_dir."""
    os.makedirs(os.path.join(out_dir, "howto"), exist_ok=True)
    o, params = lecture_neuron()
    o.backward()
    render(draw_dot(o, params=params, grad_color=True, legend=True),
           os.path.join(out_dir, "howto", "grad_color.svg"))
    render(draw_dot(small_loss(), collapse=True), os.path.join(out_dir, "howto", "collapse.svg"))

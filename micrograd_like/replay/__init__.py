"""Watch a network learn: record a training run and replay it.

``Replay`` records a snapshot every few epochs -- the loss, a copy of the
weights and, for 2-D inputs, the model's output on a grid -- as a ``fit``
callback or from your own loop. In Jupyter it shows four panels that update
in place: the loss curve, the decision boundary, the network (weights as
coloured edges) and the computation graph of one sample with its gradients.
``write_html`` saves the whole run as one offline page with play, pause,
step and a slider.

Modules: ``_recorder`` (Replay, Snapshot), ``_checks`` (argument checks),
``_panels`` (the pictures, by matplotlib and Graphviz), ``_page`` (the HTML
and its small player script).

>>> from micrograd_like.nn import MLP
>>> from micrograd_like.train import fit
>>> from micrograd_like.optim import Adam
>>> from micrograd_like.losses import hinge_loss
>>> X, y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [-1, 1, 1, -1]  # XOR
>>> model = MLP(2, [8, 1], seed=0)
>>> rec = Replay(model, X, y, loss_fn=hinge_loss, grid_size=20)
>>> h = fit(model, hinge_loss, Adam(model.parameters(), lr=0.05), X, y, epochs=30,
...         callbacks=[rec], verbose=0)
>>> len(rec.snapshots)
30
>>> rec.write_html("xor_replay.html")  # doctest: +SKIP
'xor_replay.html'
"""

from micrograd_like.replay._page import Panels
from micrograd_like.replay._recorder import MAX_SNAPSHOTS, Replay, Snapshot

__all__ = ["Replay", "Snapshot", "Panels", "MAX_SNAPSHOTS"]

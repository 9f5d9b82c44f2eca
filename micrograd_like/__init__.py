"""micrograd_like: a pure-Python scalar autograd engine and a small neural-network library.

>>> from micrograd_like import Value
>>> x = Value(2.0)
>>> y = x * x + 3 * x
>>> y.backward()
>>> x.grad
7.0

Where things are, as in PyTorch and scikit-learn:

- the engine: ``engine`` (Value, RULES, backward), ``grad_mode`` (no_grad),
  ``fused`` (sum, dot, linear), ``autograd`` (grad);
- networks: ``nn`` (Module, Neuron, Layer, MLP), ``init`` (weight init),
  ``functional`` (activations, softmax), ``losses``, ``serialization``
  (save, load), ``torch_bridge`` (to_torch, from_torch);
- training: ``optim`` (SGD, Adam, ...) with ``optim.lr_scheduler``,
  ``train`` (fit, batches), ``history``, ``predict`` (predict, evaluate);
- data and metrics: ``datasets``, ``model_selection``, ``preprocessing``,
  ``metrics``;
- speed: ``compiler`` (compile: trace once, run the graph as plain Python);
- seeing backprop happen: ``chain_rule`` (explain: the chain rule in words
  and numbers), ``explorer`` (explore: a page that steps through
  backward()), ``replay`` (Replay: watch a network learn);
- pictures and checks: ``draw``, ``testing`` (gradcheck, check, jvp, jacobian,
  check_numpy_grads).

Importing the package imports none of graphviz, matplotlib or torch:
``draw``, ``train``, ``explorer`` and ``replay`` load on first use.
"""

from micrograd_like import (
    datasets, functional, losses, metrics, model_selection, nn, optim, preprocessing, testing,
)
from micrograd_like import _graph_copy  # noqa: F401 - pickle and copy of deep graphs (copyreg)
from micrograd_like.autograd import grad
from micrograd_like.chain_rule import explain
from micrograd_like.compiler import compile  # noqa: A001 - as torch.compile; not in __all__
from micrograd_like.engine import Value
from micrograd_like.fused import dot, linear, sum
from micrograd_like.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from micrograd_like.nn import MLP, Layer, Module, Neuron
from micrograd_like.serialization import load, save
from micrograd_like.torch_bridge import from_torch, to_torch

__version__ = "0.1.0"

# ``sum`` and ``compile`` are public (micrograd_like.sum, micrograd_like.compile)
# but left out of __all__, so that ``from micrograd_like import *`` never hides
# the built-ins of the same names.
__all__ = [
    # engine
    "Value",
    "grad",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "dot",
    "linear",
    # networks
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "save",
    "load",
    "to_torch",
    "from_torch",
    # seeing backprop happen (explore and Replay are loaded lazily)
    "explain",
    "explore",
    "Replay",
    # training and drawing (loaded lazily)
    "fit",
    "draw_dot",
    "draw_model",
    "to_svg",
    "render",
    # submodules
    "nn",
    "functional",
    "losses",
    "optim",
    "datasets",
    "model_selection",
    "preprocessing",
    "metrics",
    "testing",
    "__version__",
]

# Names served by a submodule that is imported on first use (PEP 562), so
# that ``import micrograd_like`` stays quick and needs no graphviz.
_LAZY = {
    "explore": "micrograd_like.explorer",
    "Replay": "micrograd_like.replay",
    "fit": "micrograd_like.train",
    "draw_dot": "micrograd_like.draw",
    "draw_model": "micrograd_like.draw",
    "to_svg": "micrograd_like.draw",
    "render": "micrograd_like.draw",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in ("draw", "train", "explorer", "replay"):
        import importlib

        return importlib.import_module(f"micrograd_like.{name}")
    raise AttributeError(f"module 'micrograd_like' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | {"draw", "train", "explorer", "replay"})

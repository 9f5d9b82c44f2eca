"""Move an ``MLP`` to PyTorch and back, with identical weights.

``to_torch(mlp)`` gives a ``torch.nn.Sequential`` of ``Linear`` layers (float64)
and activation modules that computes the same function; ``from_torch(seq)``
turns such a Sequential back into an ``MLP``. PyTorch is imported only
inside these two functions: the rest of micrograd_like never needs it.

>>> import torch
>>> from micrograd_like.nn import MLP
>>> model = MLP(2, [16, 16, 1], seed=0)
>>> seq = to_torch(model)
>>> seq
Sequential(
  (0): Linear(in_features=2, out_features=16, bias=True)
  (1): ReLU()
  (2): Linear(in_features=16, out_features=16, bias=True)
  (3): ReLU()
  (4): Linear(in_features=16, out_features=1, bias=True)
)
>>> x = torch.tensor([1.0, -2.0], dtype=torch.float64)   # float64 in, like the weights
>>> abs(seq(x).item() - model([1.0, -2.0]).data) < 1e-12   # equal up to summation order
True
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, List

from micrograd_like.nn import MLP

if TYPE_CHECKING:  # only for type checkers: importing this module never needs torch
    import torch

__all__ = ["to_torch", "from_torch"]

# our activation name -> name of the torch.nn module class ("linear": none)
_TO_TORCH = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "leaky_relu": "LeakyReLU"}
_FROM_TORCH = {v: k for k, v in _TO_TORCH.items()}
_LEAKY_SLOPE = 0.01  # Value.leaky_relu's default, and torch.nn.LeakyReLU's


def _import_torch() -> Any:
    try:
        import torch
    except ImportError as err:
        raise ImportError(
            "micrograd_like.torch_bridge needs PyTorch, which is not installed: "
            "pip install torch (or pip install micrograd-like[torch])"
        ) from err
    return torch


def to_torch(mlp: MLP) -> "torch.nn.Sequential":
    """A ``torch.nn.Sequential`` (float64) that computes exactly what ``mlp`` does.

    Each layer becomes ``Linear(nin, nout)`` with row j = neuron j's weights,
    followed by its activation module (none for "linear"). Weights are copied,
    not shared. torch's global random state is not touched.

    >>> seq = to_torch(MLP(2, [3, 1], seed=0))
    >>> [type(m).__name__ for m in seq]
    ['Linear', 'ReLU', 'Linear']
    """
    if not isinstance(mlp, MLP):  # (checked before torch is needed: a clear error either way)
        raise TypeError(f"to_torch: expected an MLP, got {type(mlp).__name__} {mlp!r}")
    torch = _import_torch()
    modules: List[Any] = []
    for i, layer in enumerate(mlp.layers):
        acts = {n.activation for n in layer.neurons}
        if len(acts) != 1:
            raise ValueError(
                f"to_torch: the neurons of layer {i} use different activations "
                f"{sorted(acts)}; a torch Linear layer needs one activation after it"
            )
        # skip_init: no random init, so torch's global random state stays put
        lin = torch.nn.utils.skip_init(
            torch.nn.Linear, layer.nin, layer.nout, dtype=torch.float64
        )
        # dtype given explicitly: with torch's default float32, the copy
        # would round every weight
        weight = [[w.data for w in n.w] for n in layer.neurons]
        bias = [n.b.data for n in layer.neurons]
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(weight, dtype=torch.float64))
            lin.bias.copy_(torch.tensor(bias, dtype=torch.float64))
        modules.append(lin)
        act = layer.activation
        if act == "leaky_relu":
            modules.append(torch.nn.LeakyReLU(_LEAKY_SLOPE))
        elif act != "linear":
            modules.append(getattr(torch.nn, _TO_TORCH[act])())
    return torch.nn.Sequential(*modules)


def from_torch(seq: "torch.nn.Sequential") -> MLP:
    """An ``MLP`` with the weights of a Sequential of ``Linear`` + activation modules.

    Supported: ``Linear`` (with bias), each optionally followed by one of
    ``ReLU``, ``Tanh``, ``Sigmoid``, ``LeakyReLU(0.01)``; ``Identity`` is
    skipped. Anything else raises ValueError naming the module.

    >>> import torch
    >>> seq = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(),
    ...                           torch.nn.Linear(4, 1))
    >>> from_torch(seq)
    MLP(2 -> [4 tanh, 1 linear])
    """
    torch = _import_torch()
    nn = torch.nn
    if not isinstance(seq, nn.Sequential):
        raise TypeError(
            f"from_torch: expected a torch.nn.Sequential, got {type(seq).__name__}"
        )
    supported = "Linear (with bias), ReLU, Tanh, Sigmoid, LeakyReLU(0.01), Identity"
    linears: List[Any] = []  # the Linear modules, in order
    acts: List[str] = []  # the activation after each of them
    for i, m in enumerate(seq):
        kind = type(m).__name__
        if isinstance(m, nn.Identity):
            continue
        if type(m) is nn.Linear:
            if m.bias is None:
                raise ValueError(
                    f"from_torch: module {i} ({m}) has no bias, but every Neuron has "
                    "one; use bias=True (a zero bias computes the same)"
                )
            if linears and m.in_features != linears[-1].out_features:
                raise ValueError(
                    f"from_torch: module {i} ({m}) takes {m.in_features} inputs, but "
                    f"the Linear before it gives {linears[-1].out_features}"
                )
            linears.append(m)
            acts.append("linear")
        elif kind in _FROM_TORCH and type(m) is getattr(nn, kind):
            if kind == "LeakyReLU" and m.negative_slope != _LEAKY_SLOPE:
                raise ValueError(
                    f"from_torch: module {i} ({m}) is not supported: only "
                    f"negative_slope={_LEAKY_SLOPE} (the default) is"
                )
            if not linears or acts[-1] != "linear":
                where = "before any Linear" if not linears else "right after another activation"
                raise ValueError(
                    f"from_torch: module {i} ({m}) comes {where}; an MLP applies "
                    "one activation after each Linear"
                )
            acts[-1] = _FROM_TORCH[kind]
        else:
            raise ValueError(
                f"from_torch: module {i} ({m}) is not supported; supported: {supported}"
            )
    if not linears:
        raise ValueError(f"from_torch: {seq} has no Linear layer; supported: {supported}")
    for i, lin in enumerate(linears):
        for name, t in (("weight", lin.weight), ("bias", lin.bias)):
            # .double() would silently drop the imaginary part of complex weights
            if t is not None and (t.is_complex() or not t.is_floating_point()):
                raise ValueError(
                    f"from_torch: Linear layer {i} has a {t.dtype} {name}; a Value holds one "
                    "real number, so give it real weights first (e.g. seq.double(), if the "
                    "imaginary parts are zero)"
                )
            if t is not None and not bool(t.isfinite().all()):
                raise ValueError(
                    f"from_torch: Linear layer {i}'s {name} holds nan or inf; only finite "
                    "weights can be converted"
                )

    # A private rng: the weights are overwritten below, and converting must
    # not move the global random state.
    mlp = MLP(
        linears[0].in_features,
        [lin.out_features for lin in linears],
        activation=acts[:-1],
        output_activation=acts[-1],
        rng=random.Random(0),
    )
    for layer, lin in zip(mlp.layers, linears):
        weight = lin.weight.detach().cpu().double().tolist()
        bias = lin.bias.detach().cpu().double().tolist()
        for n, row, b in zip(layer.neurons, weight, bias):
            for w, x in zip(n.w, row):
                w.data = x
            n.b.data = b
    return mlp

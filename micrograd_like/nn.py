"""Neural networks out of Values: ``Neuron``, ``Layer``, ``MLP`` (and ``nn.Module``).

``Neuron``, ``Layer`` and ``MLP`` behave exactly like karpathy's micrograd:
same weights for the same ``random.seed``, same outputs, same parameter
order. On top of that: activations and weight init per layer (the schemes
are in ``micrograd_like.init``), ``seed=``/``rng=`` for reproducible init, a
width-1 hidden layer that works, and PyTorch's ``named_parameters`` /
``state_dict`` / ``load_state_dict`` from the base class ``Module`` (in
``micrograd_like.module``, and here as ``nn.Module``, as in torch). ``model.save(path)`` and
``model.load(path)`` go through ``micrograd_like.serialization`` (JSON, never
pickle). ``softmax`` and ``log_softmax`` are re-exported from
``micrograd_like.functional``.

>>> import random; random.seed(0)
>>> model = MLP(2, [16, 16, 1])
>>> model
MLP(2 -> [16 relu, 16 relu, 1 linear])
>>> len(model.parameters())
337
>>> y = model([1.0, -2.0])   # one sample in, one Value out
>>> len(model([[1.0, -2.0], [0.5, 0.5], [0.0, 1.0]]))   # a batch in: one output per sample
3
"""

from __future__ import annotations

import random
from numbers import Real
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from micrograd_like.engine import Value, _collector_paused, _made_in_order, _node, _recording
from micrograd_like.fused import _linear_batch, linear
from micrograd_like._validation import _check_choice, _check_nouts, _check_size
from micrograd_like.init import INITS, _check_init, _make_rng
from micrograd_like.module import IncompatibleKeys, Module

# Re-exported so ``nn.softmax`` works as people expect from torch; functional
# imports only the engine, so the import arrows stay one-way.
from micrograd_like.functional import log_softmax, softmax

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "IncompatibleKeys", "ACTIVATIONS", "softmax",
    "log_softmax",
]

# name -> the function applied to a neuron's weighted sum.
ACTIVATIONS: Dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu,  # negative_slope=0.01, as torch.nn.LeakyReLU()
    "linear": lambda v: v,  # no activation (micrograd's nonlin=False)
}

# the activations fused.linear() can apply inside its node (the others
# become a node of their own after it)
_FUSED = ("relu", "tanh", "sigmoid", "linear")


# --- neurons, layers, MLPs --------------------------------------------------


class Neuron(Module):
    """One neuron: ``activation(w . x + b)``, computed as a single ``linear`` node.

    ``nonlin`` is micrograd's switch (True: ReLU, False: linear); ``activation``
    picks any name in ``ACTIVATIONS`` instead. ``fan_out`` matters only for
    ``init="xavier"`` (``Layer`` passes its width). ``fused=False`` builds
    micrograd's graph node for node instead (``w_i * x_i`` nodes, a chain of
    ``+`` from the bias, then the activation), as the lecture draws it; the
    numbers are the same, only the graph is bigger and slower.

    >>> n = Neuron(3, seed=0)
    >>> n
    Neuron(3, relu)
    >>> n([1.0, 2.0, 3.0]).data >= 0.0
    True
    """

    # Slots, not a __dict__: a layer reads these on every forward pass, and
    # slot reads stay fast (on Python 3.11 and 3.12 a __dict__ gets slower
    # to read once anything lists it, e.g. named_parameters()).
    __slots__ = ("activation", "nonlin", "w", "b", "fused")

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: Optional[str] = None,
        init: str = "uniform",
        fan_out: int = 1,
        seed: Optional[int] = None,
        rng: Optional[random.Random] = None,
        fused: bool = True,
    ) -> None:
        _check_size(nin, "nin", "Neuron")
        self.fused = _check_fused(fused, "Neuron")
        _check_size(fan_out, "fan_out", "Neuron")
        self.activation = _resolve_activation(nonlin, activation, "Neuron")
        self.nonlin = self.activation != "linear"  # micrograd's attribute
        bound = INITS[_check_init(init, "Neuron")](nin, fan_out)
        rng = _make_rng(seed, rng, "Neuron")
        # Same calls in the same order as micrograd: with bound 1.0 this is
        # random.uniform(-1, 1), so random.seed(s) gives micrograd's weights.
        self.w = [Value(rng.uniform(-bound, bound)) for _ in range(nin)]
        self.b = Value(0)

    def __call__(self, x: Union[Sequence[Union[Value, float]], Value, float]) -> Value:
        batch = _batch(x)
        if batch is not None:  # neuron(X): one output per sample
            return [self._forward(_inputs(xi, len(self.w), self)) for xi in batch]
        return self._forward(_inputs(x, len(self.w), self))

    def _forward(self, xs: List[Value]) -> Value:
        if not self.fused:  # micrograd's own graph: the lecture's picture
            act = sum((wi * xi for wi, xi in zip(self.w, xs)), self.b)
            return ACTIVATIONS[self.activation](act)
        # One fused node for the weighted sum (bias first, then w_i * x_i in
        # order: micrograd's summation order, so the floats agree exactly).
        # The engine can apply the common activations inside that same node.
        if self.activation in _FUSED:
            return linear(xs, self.w, self.b, self.activation)
        return ACTIVATIONS[self.activation](linear(xs, self.w, self.b))

    def get_config(self) -> Dict[str, Any]:
        return {"nin": len(self.w), "activation": self.activation}

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation})"


class Layer(Module):
    """``nout`` neurons that all see the same inputs.

    Returns a list of ``nout`` Values, or a bare Value when ``nout == 1``
    (as in micrograd). Keyword arguments as for ``Neuron``.

    >>> layer = Layer(3, 4, activation="tanh", seed=0)
    >>> layer
    Layer(3 -> 4, tanh)
    >>> len(layer([1.0, 2.0, 3.0]))
    4
    """

    __slots__ = ("neurons",)  # see Neuron

    def __init__(
        self,
        nin: int,
        nout: int,
        *,
        nonlin: bool = True,
        activation: Optional[str] = None,
        init: str = "uniform",
        seed: Optional[int] = None,
        rng: Optional[random.Random] = None,
        fused: bool = True,
    ) -> None:
        _check_size(nin, "nin", "Layer")
        fused = _check_fused(fused, "Layer")
        _check_size(nout, "nout", "Layer")
        activation = _resolve_activation(nonlin, activation, "Layer")  # errors name Layer
        init = _check_init(init, "Layer")
        rng = _make_rng(seed, rng, "Layer")  # one stream for all the neurons
        self.neurons = [
            Neuron(nin, nonlin, activation=activation, init=init, fan_out=nout, rng=rng,
                   fused=fused)
            for _ in range(nout)
        ]

    def __call__(
        self, x: Union[Sequence[Union[Value, float]], Value, float]
    ) -> Union[Value, List[Value]]:
        batch = _batch(x)
        if batch is not None:  # layer(X): one output per sample
            with _collector_paused():  # (as in MLP.__call__: thousands of nodes, no cycles)
                outs = self._forward_many([_inputs(xi, self.nin, self) for xi in batch],
                                          self._batch_data())
            return [out[0] if len(out) == 1 else out for out in outs]
        out = self._forward(_inputs(x, self.nin, self))
        return out[0] if len(out) == 1 else out

    def _forward_many(self, batch: List[List[Value]], data: Optional[tuple]) -> List[List[Value]]:
        # A batch through the layer, with each weight's .data read once for
        # the whole batch (data: from _batch_data) instead of once per sample:
        # the same nodes as one call per sample, most of the reads saved.
        if data is None:
            return [self._forward(xs) for xs in batch]
        act = self.neurons[0].activation
        return [_linear_batch(xs, *data, act) for xs in batch]

    def _batch_data(self) -> Optional[Tuple[List[List[float]], List[float], List[tuple]]]:
        """What a batch reads once: each row's weights and bias as numbers, and its
        Values as one tuple (*w, b); None if the layer takes the plain path."""
        neurons = self.neurons
        act = neurons[0].activation
        if not (act in _FUSED and all([n.activation == act and n.fused for n in neurons])):
            return None
        rows, biases = [n.w for n in neurons], [n.b for n in neurons]
        try:
            weights = [[w.data for w in row] for row in rows]
            numbers = [b.data for b in biases]
        except AttributeError:  # a weight replaced by a number: the plain path
            return None
        return weights, numbers, [(*row, b) for row, b in zip(rows, biases)]

    def _forward(self, xs: List[Value]) -> List[Value]:
        neurons = self.neurons
        act = neurons[0].activation
        if (len(neurons) > 1 and act in _FUSED and neurons[0].fused
                and all([n.activation == act and n.fused for n in neurons])):
            # All rows at once: the same nodes as one Neuron call each, faster.
            return linear(xs, [n.w for n in neurons], [n.b for n in neurons], act)
        return [n._forward(xs) for n in neurons]

    @property
    def nin(self) -> int:
        """The number of inputs of each neuron."""
        return len(self.neurons[0].w)

    @property
    def nout(self) -> int:
        """The number of neurons (outputs)."""
        return len(self.neurons)

    @property
    def activation(self) -> str:
        """The activation of its neurons: 'relu', 'tanh', 'sigmoid' or 'linear'."""
        return self.neurons[0].activation

    def get_config(self) -> Dict[str, Any]:
        return {"nin": self.nin, "nout": self.nout, "activation": self.activation}

    def __repr__(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, {self.activation})"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes ``nouts`` after ``nin`` inputs.

    Hidden layers use ``activation`` (one name, or one per hidden layer; ReLU
    by default); the last layer uses ``output_activation`` (linear by
    default), exactly like micrograd's ``MLP``. ``init`` is "uniform"
    (micrograd), "xavier" or "he". ``seed=`` or ``rng=`` make the weights
    reproducible; without them the global ``random`` module is used, so
    ``random.seed(s)`` gives the same weights as micrograd. ``fused=False``
    builds micrograd's graph, a ``*`` and a ``+`` node per weight, as the
    lecture draws it (see ``Neuron``); the numbers do not change.

    Call it on one sample (a list of ``nin`` numbers or Values). It returns a
    Value when the last layer has one output, else a list of Values.

    >>> model = MLP(2, [8, 8, 3], activation="tanh", init="xavier", seed=0)
    >>> model
    MLP(2 -> [8 tanh, 8 tanh, 3 linear])
    >>> len(model([0.5, -1.0]))
    3
    """

    __slots__ = ("layers",)  # see Neuron

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: Union[str, Sequence[str]] = "relu",
        output_activation: str = "linear",
        init: str = "uniform",
        seed: Optional[int] = None,
        rng: Optional[random.Random] = None,
        fused: bool = True,
    ) -> None:
        _check_size(nin, "nin", "MLP")
        fused = _check_fused(fused, "MLP")
        _check_nouts(nouts, "MLP")
        hidden = len(nouts) - 1
        if isinstance(activation, str):
            # checked here too: with no hidden layer the loop below never sees it
            _check_choice(activation, ACTIVATIONS, "activation", "MLP")
            acts = [activation] * hidden
        elif not isinstance(activation, (list, tuple)):
            raise TypeError(
                f"MLP: activation must be a name or a list of names (one per hidden "
                f"layer), got {type(activation).__name__} {activation!r}"
            )
        else:
            acts = list(activation)
            if len(acts) != hidden:
                raise ValueError(
                    f"MLP: activation lists {len(acts)} names but nouts={list(nouts)} "
                    f"has {hidden} hidden layers; give one name, or one per hidden layer"
                )
        acts.append(output_activation)
        for a in acts:
            _check_choice(a, ACTIVATIONS, "activation", "MLP")
        init = _check_init(init, "MLP")
        rng = _make_rng(seed, rng, "MLP")
        sz = [nin] + list(nouts)
        self.layers = [
            Layer(sz[i], sz[i + 1], activation=acts[i], init=init, rng=rng, fused=fused)
            for i in range(len(nouts))
        ]

    def __call__(
        self, x: Union[Sequence[Union[Value, float]], Value, float]
    ) -> Union[Value, List[Value]]:
        batch = _batch(x)
        if batch is not None:  # model(X), as in torch: one output per sample
            # A batch makes thousands of nodes that live until backward: the
            # cycle collector would only look at them in vain (a graph has no
            # cycles), so it is paused while they are made, as in backward().
            with _collector_paused():
                outs = [_inputs(xi, self.nin, self) for xi in batch]
                # Made layer by layer from leaves, each sample's hidden nodes are
                # already in the order backward() sorts them into: it is told so.
                inputs = outs
                in_order = _recording() and not any([x._prev for xs in outs for x in xs])
                made: List[List[Value]] = [[] for _ in outs]
                params: List[Value] = []  # the leaves all samples share
                for k, layer in enumerate(self.layers):
                    data = layer._batch_data()
                    in_order = in_order and data is not None
                    if in_order:
                        mine = [p for wb in data[2] for p in wb]
                        in_order = not any([p._prev for p in mine])
                        params += mine
                    if k and in_order:
                        for nodes, out in zip(made, outs):
                            nodes += out
                    outs = layer._forward_many(outs, data)
                if in_order:
                    shared = tuple(params)
                    for nodes, out, xs in zip(made, outs, inputs):
                        for o in out:
                            _made_in_order(o, nodes, tuple(xs), shared)
            return [out[0] if len(out) == 1 else out for out in outs]
        xs = _inputs(x, self.nin, self)
        for layer in self.layers:
            # Always a list between layers (micrograd passes a bare Value
            # after a width-1 layer, which breaks MLP(2, [16, 1, 1])).
            xs = layer._forward(xs)
        return xs[0] if len(xs) == 1 else xs

    @property
    def nin(self) -> int:
        """The number of inputs."""
        return self.layers[0].nin

    @property
    def nouts(self) -> List[int]:
        """The number of neurons of each layer, as given to ``MLP(nin, nouts)``."""
        return [layer.nout for layer in self.layers]

    def get_config(self) -> Dict[str, Any]:
        return {
            "nin": self.nin,
            "nouts": self.nouts,
            "activation": [layer.activation for layer in self.layers[:-1]],
            "output_activation": self.layers[-1].activation,
        }

    def __repr__(self) -> str:
        sizes = ", ".join(f"{layer.nout} {layer.activation}" for layer in self.layers)
        return f"MLP({self.nin} -> [{sizes}])"


# --- checking arguments and inputs ------------------------------------------


def _check_fused(fused: object, who: str) -> bool:
    if not isinstance(fused, bool):
        raise TypeError(
            f"{who}: fused must be True (one node per neuron, fast) or False "
            f"(micrograd's graph, node for node), got {fused!r}"
        )
    return fused


def _resolve_activation(nonlin: object, activation: Optional[str], who: str) -> str:
    if not isinstance(nonlin, bool):
        raise TypeError(f"{who}: nonlin must be True or False, got {nonlin!r}")
    if activation is None:
        return "relu" if nonlin else "linear"  # micrograd's meaning of nonlin
    _check_choice(activation, ACTIVATIONS, "activation", who)
    if not nonlin and activation != "linear":
        raise ValueError(
            f"{who}: nonlin=False (no activation) contradicts activation={activation!r}; "
            "pass only one of them"
        )
    return activation


def _batch(x: Any) -> Optional[Sequence[Any]]:
    """x itself when it is a batch (a list or tuple of samples, each a list or tuple), else None."""
    if (type(x) is list or type(x) is tuple) and x and (type(x[0]) is list or type(x[0]) is tuple):
        return x
    return None


# bytes iterate as ints, a dict as its keys, a set in hash order: silent nonsense
_UNORDERED = (str, bytes, bytearray, memoryview, dict, set, frozenset)


def _inputs(x: Any, nin: int, module: Module) -> List[Value]:
    """One sample as a list of Values (numbers become constant leaves once)."""
    # (type() checks first: isinstance against the Real ABC is slow, and a
    # batch calls this once per sample)
    if type(x) is list or type(x) is tuple:
        items = x
    else:
        if isinstance(x, (Value, Real)):
            x = [x]  # a bare scalar is a one-input sample
        elif isinstance(x, _UNORDERED):  # list() of these is not a sample's inputs in order
            raise TypeError(
                f"{module!r}: expected one sample (a list of {nin} numbers or Values), got "
                f"{type(x).__name__} {x!r:.60}; pass the numbers as a list, e.g. [0.5, -1.0]"
            )
        try:
            items = list(x)
        except TypeError:
            raise TypeError(
                f"{module!r}: expected one sample (a list of {nin} numbers or Values), "
                f"got {type(x).__name__} {x!r}"
            ) from None
    xs = []
    for i, xi in enumerate(items):
        if type(xi) is float:
            xs.append(_node(xi, (), ""))  # Value(xi), without __init__'s checks
        elif isinstance(xi, Value):
            xs.append(xi)
        elif isinstance(xi, Real):
            xs.append(Value(xi))
        else:
            batch = (
                "; a batch is a list of samples, each a list of numbers: model(X)"
                if isinstance(xi, (list, tuple))
                else ""
            )
            raise TypeError(
                f"{module!r}: input {i} must be a number or a Value, got "
                f"{type(xi).__name__} {xi!r}{batch}"
            )
    if len(xs) != nin:
        raise ValueError(f"{module!r}: expected {nin} inputs, got {len(xs)}")
    return xs

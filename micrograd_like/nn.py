"""Neural networks out of Values: ``Module``, ``Neuron``, ``Layer``, ``MLP``.

``Neuron``, ``Layer`` and ``MLP`` behave exactly like karpathy's micrograd:
same weights for the same ``random.seed``, same outputs, same parameter
order. On top of that: activations and weight init per layer (the schemes
are in ``micrograd_like.init``), ``seed=``/``rng=`` for reproducible init, a
width-1 hidden layer that works, and PyTorch's ``named_parameters`` /
``state_dict`` / ``load_state_dict``. ``model.save(path)`` and
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
"""

from __future__ import annotations

import functools
import os
import random
from collections import OrderedDict
from numbers import Real
from typing import (
    Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, TypeVar, Union
)

from micrograd_like.engine import Value
from micrograd_like.fused import linear
from micrograd_like._validation import _check_choice, _check_nouts, _check_size
from micrograd_like.init import INITS, _check_init, _make_rng

# Re-exported so ``nn.softmax`` works as people expect from torch; functional
# imports only the engine, so the import arrows stay one-way.
from micrograd_like.functional import log_softmax, softmax

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "IncompatibleKeys", "ACTIVATIONS", "softmax",
    "log_softmax",
]

PathLike = Union[str, "os.PathLike[str]"]
M = TypeVar("M", bound="Module")

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



# --- the base class ---------------------------------------------------------


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` could not match (as in torch)."""

    missing_keys: List[str]
    unexpected_keys: List[str]


class Module:
    """Base class of every model: finds the parameters, saves and loads them.

    A parameter is any ``Value`` stored in an attribute, or inside a list,
    tuple or dict in an attribute, or inside a sub-Module; attributes whose
    name starts with ``_`` are skipped. Names are the attribute path joined
    with dots, list positions included, as in torch: ``layers.0.neurons.3.w.1``
    is weight 1 of neuron 3 of layer 0, and ``layers.0.neurons.3.b`` its bias.

    >>> class Affine(Module):
    ...     def __init__(self):
    ...         self.a = Value(2.0); self.b = Value(1.0)
    ...     def __call__(self, x):
    ...         return self.a * x + self.b
    >>> [name for name, p in Affine().named_parameters()]
    ['a', 'b']
    """

    # Only a weak-reference slot (so weakref.ref(model) works, as for any
    # object); a subclass without __slots__ gets a __dict__ as usual.
    __slots__ = ("__weakref__",)

    def __call__(self, x: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __call__")

    def named_parameters(self) -> List[Tuple[str, Value]]:
        """(name, Value) for every parameter, in a fixed order (attribute order)."""
        out: List[Tuple[str, Value]] = []
        seen = set()  # ids: a shared parameter is listed once, a cycle stops
        stack: List[Tuple[str, Any]] = [("", self)]
        while stack:  # a stack, not recursion, like every walk in this package
            name, obj = stack.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, Value):
                out.append((name, obj))
                continue
            for key, child in reversed(_children(obj)):  # reversed: popped in order
                stack.append((f"{name}.{key}" if name else str(key), child))
        return out

    def parameters(self) -> List[Value]:
        """All parameters as an ordered list (the order of ``named_parameters``)."""
        # named_parameters' walk without the names: training loops call this
        # every step, and making the names is most of the work.
        out: List[Value] = []
        seen = set()
        stack: List[Any] = [self]
        while stack:
            obj = stack.pop()
            key = id(obj)
            if key in seen:
                continue
            seen.add(key)
            if isinstance(obj, Value):
                out.append(obj)
            else:
                stack += [child for _, child in reversed(_children(obj))]
        return out

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0.0; call it before each backward()."""
        for p in self.parameters():
            p.grad = 0.0

    def get_config(self) -> Optional[Dict[str, Any]]:
        """The constructor arguments that fix the architecture (None: unknown).

        ``save`` stores it, so ``load`` can rebuild the model from the file.
        """
        return None

    def state_dict(self) -> "OrderedDict[str, float]":
        """Parameter name -> value (a float), in parameter order.

        >>> dict(MLP(1, [1], seed=0).state_dict())
        {'layers.0.neurons.0.w.0': 0.6888437030500962, 'layers.0.neurons.0.b': 0.0}
        """
        return OrderedDict((name, p.data) for name, p in self.named_parameters())

    def load_state_dict(
        self, state_dict: Mapping[str, float], strict: bool = True
    ) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters with the same names.

        With ``strict=True`` (the default) the names must match exactly.
        Everything is checked before anything is written, so a failed load
        leaves the model as it was.

        >>> a, b = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
        >>> b.load_state_dict(a.state_dict())
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"{where}: expected a dict of name -> float (from state_dict()), "
                f"got {type(state_dict).__name__}"
            )
        params = OrderedDict(self.named_parameters())
        missing = [k for k in params if k not in state_dict]
        unexpected = [k for k in state_dict if k not in params]
        if strict and (missing or unexpected):
            raise ValueError(
                f"{where}: the state_dict does not fit this model ({self!r}): "
                f"expected {len(params)} parameters, got {len(state_dict)}; "
                f"missing keys {_some(missing)}, unexpected keys {_some(unexpected)}. "
                "Build the model with the same architecture, or pass strict=False "
                "to load only the names that match"
            )
        new = []
        for name, p in params.items():
            if name in state_dict:
                x = state_dict[name]
                if isinstance(x, bool) or not isinstance(x, Real):
                    fix = " (use .data)" if isinstance(x, Value) else ""
                    raise TypeError(
                        f"{where}: the value for {name!r} must be a real number, "
                        f"got {type(x).__name__} {x!r}{fix}"
                    )
                new.append((p, float(x)))
        for p, x in new:
            p.data = x
        return IncompatibleKeys(missing, unexpected)

    # Saving and loading live in micrograd_like.serialization, which builds
    # on this module (it rebuilds Neurons, Layers and MLPs from a file). The
    # methods import it when called, as Keras's Model.save does, so the
    # import-time arrows still point one way: serialization -> nn.

    def save(self, path: PathLike) -> None:
        """Write the architecture and the parameters to a JSON file, atomically.

        The same as ``micrograd_like.serialization.save(self, path)``.

        >>> model.save("model.json")                           # doctest: +SKIP
        >>> same = micrograd_like.serialization.load("model.json")   # doctest: +SKIP
        """
        from micrograd_like import serialization

        serialization.save(self, path)

    def load(self: M, path: PathLike, strict: bool = True) -> M:
        """Load the parameters saved by ``save`` into this model; returns self.

        With ``strict=True`` the file must hold the same architecture (class and
        config). ``strict=False`` loads whatever names match (see
        ``load_state_dict``). To rebuild a model from the file alone, use
        ``micrograd_like.load(path)``.

        >>> model = MLP(2, [16, 16, 1]).load("model.json")   # doctest: +SKIP
        """
        from micrograd_like import serialization

        return serialization.load_into(self, path, strict=strict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _children(obj: Any) -> List[Tuple[Any, Any]]:
    """(key, child) for what a parameter walk looks inside; nothing for other objects."""
    if isinstance(obj, Module):
        return _attributes(obj)
    if isinstance(obj, (list, tuple)):
        return list(enumerate(obj))
    if isinstance(obj, dict):
        return list(obj.items())
    return []  # ints, strings, ...: not parameters


def _attributes(module: Module) -> List[Tuple[str, Any]]:
    """A module's public attributes in order: its slots (base class first), then its __dict__."""
    items = [(k, getattr(module, k)) for k in _public_slots(type(module)) if hasattr(module, k)]
    if hasattr(module, "__dict__"):
        items += [(k, v) for k, v in vars(module).items() if not k.startswith("_")]
    return items


@functools.lru_cache(maxsize=None)
def _public_slots(cls: type) -> Tuple[str, ...]:
    names = []
    for c in reversed(cls.__mro__):
        slots = c.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else slots
    return tuple(k for k in names if not k.startswith("_"))


def _some(names: List[str], k: int = 5) -> str:
    """A short printable list: the first k names and how many more."""
    more = f" and {len(names) - k} more" if len(names) > k else ""
    return "[" + ", ".join(repr(n) for n in names[:k]) + more + "]"


# --- neurons, layers, MLPs --------------------------------------------------


class Neuron(Module):
    """One neuron: ``activation(w . x + b)``, computed as a single ``linear`` node.

    ``nonlin`` is micrograd's switch (True: ReLU, False: linear); ``activation``
    picks any name in ``ACTIVATIONS`` instead. ``fan_out`` matters only for
    ``init="xavier"`` (``Layer`` passes its width).

    >>> n = Neuron(3, seed=0)
    >>> n
    Neuron(3, relu)
    >>> n([1.0, 2.0, 3.0]).data >= 0.0
    True
    """

    # Slots, not a __dict__: a layer reads these on every forward pass, and
    # slot reads stay fast (on Python 3.11 and 3.12 a __dict__ gets slower
    # to read once anything lists it, e.g. named_parameters()).
    __slots__ = ("activation", "nonlin", "w", "b")

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
    ) -> None:
        _check_size(nin, "nin", "Neuron")
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
        return self._forward(_inputs(x, len(self.w), self))

    def _forward(self, xs: List[Value]) -> Value:
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
    ) -> None:
        _check_size(nin, "nin", "Layer")
        _check_size(nout, "nout", "Layer")
        activation = _resolve_activation(nonlin, activation, "Layer")  # errors name Layer
        init = _check_init(init, "Layer")
        rng = _make_rng(seed, rng, "Layer")  # one stream for all the neurons
        self.neurons = [
            Neuron(nin, nonlin, activation=activation, init=init, fan_out=nout, rng=rng)
            for _ in range(nout)
        ]

    def __call__(
        self, x: Union[Sequence[Union[Value, float]], Value, float]
    ) -> Union[Value, List[Value]]:
        out = self._forward(_inputs(x, self.nin, self))
        return out[0] if len(out) == 1 else out

    def _forward(self, xs: List[Value]) -> List[Value]:
        neurons = self.neurons
        act = neurons[0].activation
        if len(neurons) > 1 and act in _FUSED and all([n.activation == act for n in neurons]):
            # All rows at once: the same nodes as one Neuron call each, faster.
            return linear(xs, [n.w for n in neurons], [n.b for n in neurons], act)
        return [n._forward(xs) for n in neurons]

    @property
    def nin(self) -> int:
        return len(self.neurons[0].w)

    @property
    def nout(self) -> int:
        return len(self.neurons)

    @property
    def activation(self) -> str:
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
    ``random.seed(s)`` gives the same weights as micrograd.

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
    ) -> None:
        _check_size(nin, "nin", "MLP")
        _check_nouts(nouts, "MLP")
        hidden = len(nouts) - 1
        if isinstance(activation, str):
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
            Layer(sz[i], sz[i + 1], activation=acts[i], init=init, rng=rng)
            for i in range(len(nouts))
        ]

    def __call__(
        self, x: Union[Sequence[Union[Value, float]], Value, float]
    ) -> Union[Value, List[Value]]:
        xs = _inputs(x, self.nin, self)
        for layer in self.layers:
            # Always a list between layers (micrograd passes a bare Value
            # after a width-1 layer, which breaks MLP(2, [16, 1, 1])).
            xs = layer._forward(xs)
        return xs[0] if len(xs) == 1 else xs

    @property
    def nin(self) -> int:
        return self.layers[0].nin

    @property
    def nouts(self) -> List[int]:
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


def _inputs(x: Any, nin: int, module: Module) -> List[Value]:
    """One sample as a list of Values (numbers become constant leaves once)."""
    if isinstance(x, (Value, Real)):
        x = [x]  # a bare scalar is a one-input sample
    try:
        items = list(x)
    except TypeError:
        raise TypeError(
            f"{module!r}: expected one sample (a list of {nin} numbers or Values), "
            f"got {type(x).__name__} {x!r}"
        ) from None
    xs = []
    for i, xi in enumerate(items):
        if isinstance(xi, Value):
            xs.append(xi)
        elif isinstance(xi, Real):
            xs.append(Value(xi))
        else:
            batch = (
                "; for a batch call the model once per sample: [model(x) for x in X]"
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

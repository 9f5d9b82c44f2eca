"""``Module``: the base class of every model, as ``torch.nn.Module``.

A Module finds its parameters by itself: every ``Value`` in an attribute,
in a list, tuple or dict in an attribute, or in a sub-Module.
``parameters()``, ``named_parameters()``, ``zero_grad()``, ``state_dict()``
and ``load_state_dict()`` work from that, with PyTorch's names and
semantics; ``save``/``load`` write the model to a JSON file through
``micrograd_like.serialization``.

>>> from micrograd_like import Value
>>> class Line(Module):
...     def __init__(self):
...         self.w, self.b = Value(2.0), Value(1.0)
...     def __call__(self, x):
...         return self.w * x + self.b
>>> [name for name, _ in Line().named_parameters()]
['w', 'b']
"""

from __future__ import annotations

import functools
import os
from collections import OrderedDict
from numbers import Real
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Tuple, TypeVar, Union

from micrograd_like.engine import Value

__all__ = ["Module", "IncompatibleKeys"]

PathLike = Union[str, "os.PathLike[str]"]
M = TypeVar("M", bound="Module")


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` could not match (as in torch).

    >>> MLP(1, [1], seed=0).load_state_dict({"layers.0.neurons.0.b": 1.0, "extra": 2.0}, strict=False)
    IncompatibleKeys(missing_keys=['layers.0.neurons.0.w.0'], unexpected_keys=['extra'])
    """

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

    # A weak-reference slot (so weakref.ref(model) works, as for any object)
    # and the train/eval flag; a subclass without __slots__ gets a __dict__.
    __slots__ = ("__weakref__", "_training")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # As in torch, calling a module runs its forward(); Neuron, Layer and
        # MLP define __call__ themselves (micrograd's way), which also works.
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of the module; define it (or ``__call__``) in a subclass.

        >>> class Double(Module):
        ...     def forward(self, x):
        ...         return 2 * x
        >>> Double()(Value(3.0)).data  # calling a module runs forward()
        6.0
        """
        raise NotImplementedError(
            f"{type(self).__name__} must define forward(self, x) (as a torch.nn.Module "
            "does) or __call__(self, x) (as micrograd's modules do)"
        )

    # -- train / eval, and the tree of sub-modules (torch.nn.Module's names) ---

    @property
    def training(self) -> bool:
        """True in training mode (the default), False after ``eval()``.

        No module of this package computes differently in the two modes; the
        flag is there, as in torch, for modules of your own (e.g. dropout).
        """
        return getattr(self, "_training", True)

    def train(self: M, mode: bool = True) -> M:
        """Set training mode on this module and every sub-module; returns self.

        >>> model = MLP(2, [1], seed=0)
        >>> model.train(False).training, model.layers[0].training
        (False, False)
        """
        if not isinstance(mode, bool):
            raise TypeError(f"{type(self).__name__}.train: mode must be True or False, got {mode!r}")
        for _, m in self.named_modules():
            object.__setattr__(m, "_training", mode)
        return self

    def eval(self: M) -> M:
        """``train(False)``: evaluation mode, as in torch; returns self.

        >>> MLP(2, [1], seed=0).eval().training
        False
        """
        return self.train(False)

    def named_children(self) -> List[Tuple[str, "Module"]]:
        """(name, module) for each direct sub-module, found as parameters are (lists included).

        >>> from micrograd_like.nn import MLP
        >>> [name for name, _ in MLP(2, [3, 1], seed=0).named_children()]
        ['layers.0', 'layers.1']
        """
        out, stack = [], [(k, c) for k, c in reversed(_children(self))]
        while stack:  # down to the first Module on each path, no further
            name, obj = stack.pop()
            if isinstance(obj, Module):
                out.append((str(name), obj))
            else:
                stack += [(f"{name}.{k}", c) for k, c in reversed(_children(obj))]
        return out

    def children(self) -> List["Module"]:
        """The direct sub-modules (see ``named_children``).

        >>> [type(m).__name__ for m in MLP(2, [3, 1], seed=0).children()]
        ['Layer', 'Layer']
        """
        return [m for _, m in self.named_children()]

    def named_modules(self) -> List[Tuple[str, "Module"]]:
        """(name, module) for this module ("") and every sub-module below it, parents first.

        >>> from micrograd_like.nn import MLP
        >>> [name for name, _ in MLP(2, [1, 1], seed=0).named_modules()]
        ['', 'layers.0', 'layers.0.neurons.0', 'layers.1', 'layers.1.neurons.0']
        """
        out, seen, stack = [], set(), [("", self)]
        while stack:  # iterative, like every walk here; a module listed twice appears once
            name, m = stack.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            out.append((name, m))
            stack += [(f"{name}.{k}" if name else k, c) for k, c in reversed(m.named_children())]
        return out

    def modules(self) -> List["Module"]:
        """This module and every sub-module (see ``named_modules``).

        >>> [type(m).__name__ for m in MLP(2, [1], seed=0).modules()]
        ['MLP', 'Layer', 'Neuron']
        """
        return [m for _, m in self.named_modules()]

    def apply(self: M, fn: Callable[["Module"], Any]) -> M:
        """Call ``fn(m)`` on every sub-module, children before parents, then on self (as torch).

        >>> from micrograd_like.nn import MLP
        >>> seen = []
        >>> _ = MLP(2, [1], seed=0).apply(lambda m: seen.append(type(m).__name__))
        >>> seen
        ['Neuron', 'Layer', 'MLP']
        """
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}.apply: fn must be a function of a module, got {fn!r}")
        order: List[Module] = []
        seen, stack = set(), [(self, False)]
        while stack:  # iterative post-order: a module after all of its children
            m, done = stack.pop()
            if done:
                order.append(m)
            elif id(m) not in seen:
                seen.add(id(m))
                stack.append((m, True))
                stack += [(c, False) for c in reversed(m.children())]
        for m in order:
            fn(m)
        return self

    def named_parameters(self) -> List[Tuple[str, Value]]:
        """(name, Value) for every parameter, in a fixed order (attribute order).

        >>> [name for name, _ in MLP(2, [1], seed=0).named_parameters()]
        ['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b']
        """
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
        """All parameters as an ordered list (the order of ``named_parameters``).

        >>> len(MLP(2, [3, 1], seed=0).parameters())  # (2 + 1) * 3 + (3 + 1) * 1
        13
        """
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

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's ``.grad`` to 0.0; call it before each backward().

        ``set_to_none`` is accepted as in torch, whose default is True. Here a
        grad is a float, never None: 0.0 means "no gradient yet" either way,
        so both settings do the same.

        >>> model = MLP(2, [1], seed=0)
        >>> model([1.0, 2.0]).backward(); model.zero_grad()
        >>> [p.grad for p in model.parameters()]
        [0.0, 0.0, 0.0]
        """
        for p in self.parameters():
            p.grad = 0.0

    def get_config(self) -> Optional[Dict[str, Any]]:
        """The constructor arguments that fix the architecture (None: unknown).

        ``save`` stores it, so ``load`` can rebuild the model from the file.

        >>> MLP(2, [3, 1], seed=0).get_config()
        {'nin': 2, 'nouts': [3, 1], 'activation': ['relu'], 'output_activation': 'linear'}
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

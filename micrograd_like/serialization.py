"""Saving and loading models: one JSON file, written atomically, never pickle.

``save(model, path)`` writes the architecture (class and config) and every
parameter; ``load(path)`` rebuilds the model from the file alone, and
``model.load(path)`` loads the parameters into a model you built. Floats are
written with ``repr``, so they read back bit for bit. ``atomic_write`` is the
writer behind it, for any file a user keeps: readers see the old file or the
new one, never half of one.

>>> from micrograd_like.nn import MLP
>>> save(MLP(2, [4, 1], seed=0), "model.json")   # doctest: +SKIP
>>> load("model.json")                          # doctest: +SKIP
MLP(2 -> [4 relu, 1 linear])
"""

from __future__ import annotations

import json
import math
import os
import random
from typing import Any, Dict, Tuple, Union

from micrograd_like._validation import _check_nouts, _check_size
from micrograd_like.nn import MLP, Layer, Module, Neuron

__all__ = ["save", "load", "load_into", "atomic_write", "FORMAT", "FORMAT_VERSION"]

PathLike = Union[str, "os.PathLike[str]"]

FORMAT = "micrograd_like.model"  # the tag at the top of every saved file
FORMAT_VERSION = 1

_CLASSES: Dict[str, type] = {"Neuron": Neuron, "Layer": Layer, "MLP": MLP}


def save(model: Module, path: PathLike) -> None:
    """Write the architecture and the parameters to a JSON file, atomically.

    The file is first written in full next to ``path`` and then renamed
    over it, so a crash never leaves a half-written model behind.
    ``model.save(path)`` does the same.

    >>> save(model, "model.json")       # doctest: +SKIP
    >>> same = load("model.json")       # doctest: +SKIP
    """
    state = model.state_dict()
    for name, x in state.items():
        if not math.isfinite(x):
            raise ValueError(
                f"save: parameter {name!r} is {x!r}; JSON cannot store nan or "
                "inf, and such weights mean training diverged (try a smaller "
                "learning rate)"
            )
    doc = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "class": type(model).__name__,
        "config": model.get_config(),
        # json writes floats with repr(), which reads back bit for bit
        "state_dict": state,
    }
    atomic_write(path, json.dumps(doc, indent=1) + "\n")


def load_into(model: Module, path: PathLike, strict: bool = True) -> Module:
    """Load the parameters saved by ``save`` into ``model``; returns ``model``.

    What ``model.load(path, strict)`` does: with ``strict=True`` the file must
    hold the same architecture (class and config); ``strict=False`` loads
    whatever names match (see ``Module.load_state_dict``).

    >>> model = load_into(MLP(2, [16, 16, 1]), "model.json")   # doctest: +SKIP
    """
    doc = _read_model_file(path)
    if strict:
        mine = (type(model).__name__, model.get_config())
        theirs = (doc["class"], doc["config"])
        if mine != theirs:
            raise ValueError(
                f"load: {os.fspath(path)} does not match this model: expected "
                f"{mine[0]} with config {mine[1]}, the file holds {theirs[0]} "
                f"with config {theirs[1]}. Build the model the file describes, "
                "or use micrograd_like.load(path) to rebuild it"
            )
    _load_state(model, doc, path, strict)
    return model


def load(path: PathLike) -> Module:
    """Rebuild a model saved by ``save``: architecture and parameters.

    Reads plain JSON (never pickle): nothing in the file is executed.

    >>> save(MLP(2, [4, 1], seed=0), "model.json")  # doctest: +SKIP
    >>> load("model.json")                          # doctest: +SKIP
    MLP(2 -> [4 relu, 1 linear])
    """
    doc = _read_model_file(path)
    name, config = doc["class"], doc["config"]
    cls = _CLASSES.get(name)
    if cls is None or config is None:
        raise ValueError(
            f"load: {os.fspath(path)} holds a {name!r} without a known architecture "
            f"(this function rebuilds {', '.join(_CLASSES)}); build the model "
            "yourself and call model.load(path)"
        )
    try:
        # Check the config and count its parameters before building anything:
        # a tiny damaged file saying nouts=[10**7] must fail now, not after
        # building 30 million Values. A count that matches is at most the
        # size of the state_dict already in memory, so building is then safe.
        count = _config_parameter_count(name, config)
        # A private rng: the random weights are overwritten at once, and
        # loading must not move the global random state.
        model = None
        if count == len(doc["state_dict"]):
            model = cls(**config, rng=random.Random(0))
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"load: {os.fspath(path)}: the config {config!r} does not describe a "
            f"valid {name}: {err}"
        ) from None
    if model is None:
        raise ValueError(
            f"load: {os.fspath(path)}: the state_dict does not fit the config "
            f"{_short(config)}: expected {count} parameters, got "
            f"{len(doc['state_dict'])}; the file is damaged"
        )
    _load_state(model, doc, path, strict=True)
    return model


# The keys ``get_config`` writes for each class; the first ones are required.
_CONFIG_KEYS: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    "Neuron": (("nin",), ("activation",)),
    "Layer": (("nin", "nout"), ("activation",)),
    "MLP": (("nin", "nouts"), ("activation", "output_activation")),
}


def _config_parameter_count(name: str, config: Dict[str, Any]) -> int:
    """How many parameters the model a saved config describes has, built or not.

    A neuron with nin inputs has nin weights and a bias, so a layer has
    (nin + 1) * nout and an MLP the sum over its layers.
    """
    required, optional = _CONFIG_KEYS[name]
    missing = [k for k in required if k not in config]
    unknown = [k for k in config if k not in required + optional]
    if missing or unknown:
        raise ValueError(
            f"missing key(s) {missing}, unexpected key(s) {unknown}; "
            f"a {name} config has the keys {list(required + optional)}"
        )
    _check_size(config["nin"], "nin", name)
    if name == "Neuron":
        return config["nin"] + 1
    if name == "Layer":
        _check_size(config["nout"], "nout", name)
        return (config["nin"] + 1) * config["nout"]
    _check_nouts(config["nouts"], name)
    sizes = [config["nin"]] + list(config["nouts"])
    return sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(sizes) - 1))


def _short(x: object, limit: int = 200) -> str:
    """repr(x), cut to ``limit`` characters (a damaged config can be huge)."""
    r = repr(x)
    return r if len(r) <= limit else r[:limit] + "...}"


def _load_state(model: Module, doc: Dict[str, Any], path: PathLike, strict: bool) -> None:
    try:
        model.load_state_dict(doc["state_dict"], strict=strict)
    except ValueError as err:
        raise ValueError(f"load: {os.fspath(path)}: {err}") from None


def _read_model_file(path: PathLike) -> Dict[str, Any]:
    """Parse and check a saved model; any problem is a ValueError saying what."""
    where = f"load: {os.fspath(path)}"
    with open(path, "rb") as f:
        raw = f.read()

    def no_constants(word: str) -> None:  # json would turn NaN into float("nan")
        raise ValueError(f"{word} is not a number JSON allows")

    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=no_constants)
    except (ValueError, UnicodeDecodeError) as err:  # JSONDecodeError is a ValueError
        raise ValueError(f"{where} is not valid JSON ({err}); the file is damaged") from None
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: expected a JSON object at the top, got {type(doc).__name__}")
    if doc.get("format") != FORMAT:
        raise ValueError(
            f"{where} is not a micrograd_like model file: expected format "
            f"{FORMAT!r}, got {doc.get('format')!r}"
        )
    version = doc.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        newer = " (written by a newer micrograd_like?)" if isinstance(version, int) else ""
        raise ValueError(
            f"{where}: expected format version {FORMAT_VERSION}, got {version!r}{newer}"
        )
    missing = [k for k in ("class", "config", "state_dict") if k not in doc]
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}; the file is damaged")
    if not isinstance(doc["class"], str):
        raise ValueError(f"{where}: 'class' must be a string, got {doc['class']!r}")
    if doc["config"] is not None and not isinstance(doc["config"], dict):
        raise ValueError(f"{where}: 'config' must be an object or null, got {doc['config']!r}")
    state = doc["state_dict"]
    if not isinstance(state, dict):
        raise ValueError(f"{where}: 'state_dict' must be an object, got {type(state).__name__}")
    for name, x in state.items():
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise ValueError(
                f"{where}: parameter {name!r} must be a number, got {type(x).__name__} {x!r}"
            )
        try:
            x = float(x)
        except OverflowError:  # a huge int
            x = math.inf
        if not math.isfinite(x):  # e.g. 1e999 parses as inf
            raise ValueError(f"{where}: parameter {name!r} is not a finite number: {x!r}")
        state[name] = x
    return doc


def atomic_write(path: PathLike, text: str, *, where: str = "save") -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one.

    Write a temporary file in the same directory, flush it to disk, then
    ``os.replace`` it over ``path`` (atomic on POSIX and Windows within a
    directory). On any error the temporary file is removed.
    """
    path = os.fspath(path)
    directory, base = os.path.split(os.path.abspath(path))
    if not os.path.isdir(directory):
        # Else open() below fails naming our temporary file, which confuses.
        # Not created for you: a typo in the path should not make directories.
        raise FileNotFoundError(
            f"{where}: cannot write {path!r}: the directory {directory!r} does not "
            "exist; create it first (os.makedirs(directory, exist_ok=True))"
        )
    # open(..., "x") (not tempfile) keeps the usual permissions (umask);
    # os.urandom makes the name unique without touching the global random.
    tmp = os.path.join(directory, f".{base}.{os.urandom(6).hex()}.tmp")
    try:
        f = open(tmp, "x", encoding="utf-8")
    except OSError as err:  # e.g. no permission to write in the directory
        raise _save_error(err, path, where) from None
    try:
        with f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the rename
        os.replace(tmp, path)
    except BaseException as err:
        os.remove(tmp)  # the old file at ``path`` is untouched
        if isinstance(err, OSError):  # e.g. ``path`` is a directory
            raise _save_error(err, path, where) from None
        raise


def _save_error(err: OSError, path: str, where: str) -> OSError:
    # The OS names our temporary file; the user knows only ``path``.
    fix = "; give the name of a file, not of a folder" if os.path.isdir(path) else ""
    text = f"{where}: cannot write {path!r}: {err.strerror or err}{fix}"
    return type(err)(text) if err.errno is None else type(err)(err.errno, text)

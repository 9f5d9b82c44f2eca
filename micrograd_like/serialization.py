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

import errno
import json
import math
import os
import random
import re
import time
from typing import Any, Dict, Tuple, Union

from micrograd_like._validation import _check_nouts, _check_path, _check_size, _not_text, _read_bytes
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
    if not isinstance(model, Module):
        raise TypeError(
            f"save: model must be a micrograd_like Module (MLP, Layer, Neuron), got "
            f"{type(model).__name__} {model!r}; call save(model, path)"
        )
    _check_path(path, "save")
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
    if not isinstance(model, Module):
        raise TypeError(
            f"load_into: model must be a micrograd_like Module (MLP, Layer, Neuron), got "
            f"{type(model).__name__} {model!r}; call load_into(model, path)"
        )
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
    name, raw = _read_bytes(path, "load")
    where = f"load: {name}"

    def no_constants(word: str) -> None:  # json would turn NaN into float("nan")
        raise ValueError(f"{word} is not a number JSON allows")

    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=no_constants)
    except UnicodeDecodeError as err:  # (a ValueError too: caught first)
        raise ValueError(f"{where} is not valid JSON ({_not_text(raw, err)}); the file is damaged") from None
    except ValueError as err:  # JSONDecodeError is a ValueError
        raise ValueError(f"{where} is not valid JSON ({err}); the file is damaged") from None
    except RecursionError:  # (json parses nested brackets recursively)
        raise ValueError(
            f"{where} is not a model file: its JSON is nested too deeply; the file is damaged"
        ) from None
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: expected a JSON object at the top, got {type(doc).__name__}")
    if doc.get("format") != FORMAT:
        raise ValueError(
            f"{where} is not a micrograd_like model file: expected format "
            f"{FORMAT!r}, got {doc.get('format')!r}"
        )
    version = doc.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        newer = ""
        if isinstance(version, int) and not isinstance(version, bool):
            newer = (
                " (written by a newer micrograd_like? upgrade it)"
                if version > FORMAT_VERSION
                else f"; no micrograd_like writes version {version}, the file is damaged"
            )
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
    directory) and flush the directory, so the rename survives a power
    loss too. On any error the temporary file is removed. Through a
    symbolic link, the file it points to is written; an existing file keeps
    its permissions. Temporary files left by a save that was killed are
    removed by the next save to the same name.

    >>> atomic_write("notes.txt", "epoch 1: loss 0.5")
    >>> open("notes.txt").read()
    'epoch 1: loss 0.5'
    """
    path = _check_path(path, where)
    if not isinstance(text, str):
        raise TypeError(f"{where}: text must be a str, got {type(text).__name__}")
    # Replacing a symbolic link by a plain file would leave the file it
    # points to stale, so write that file.
    target = os.path.realpath(path)
    directory, base = os.path.split(target)
    if not os.path.isdir(directory):
        # Else open() below fails naming our temporary file, which confuses.
        # Not created for you: a typo in the path should not make directories.
        raise FileNotFoundError(
            errno.ENOENT,
            f"{where}: cannot write {path!r}: the directory {directory!r} does not "
            "exist; create it first (os.makedirs(directory, exist_ok=True))",
        )
    if os.path.isdir(target):
        raise IsADirectoryError(
            errno.EISDIR,
            f"{where}: cannot write {path!r}: it is a directory; give the name of a "
            f"file, not of a folder (e.g. {os.path.join(path, 'model.json')!r})",
        )
    if os.path.exists(target) and not os.path.isfile(target):
        # A save renames a new file over the old one: over a FIFO or a device
        # (/dev/null, /dev/full) that would replace the device itself.
        raise ValueError(
            f"{where}: cannot write {path!r}: it is not a regular file (a device, a FIFO "
            "or a socket); give the name of a file to write instead"
        )
    _remove_stale_temps(directory, base)
    try:
        mode = os.stat(target).st_mode & 0o7777  # re-saving keeps the permissions
    except OSError:
        mode = None  # a new file: the usual permissions (umask)
    tmp, f = _open_temp(directory, base, path, where)
    try:
        f.write(text)
        f.flush()
        if mode is not None:
            os.chmod(tmp, mode)
        os.fsync(f.fileno())  # the bytes are on disk before the rename
        if fcntl is None:
            f.close()  # Windows cannot rename an open file
        # (Else still open: its lock keeps other saves' clean-up away from it.)
        os.replace(tmp, target)
    except BaseException as err:
        try:
            f.close()
        except OSError:  # e.g. the rest of the buffer, on a full disk
            pass
        try:
            os.remove(tmp)  # the old file at ``path`` is untouched
        except OSError:  # (never hide the error that brought us here)
            pass
        if isinstance(err, OSError):  # e.g. the disk is full
            raise _save_error(err, path, where) from None
        raise
    f.close()
    _fsync_directory(directory)


# A temporary file is ".<name>.<12 hex digits>.tmp". While a save writes it,
# it holds an flock on it (POSIX); the lock dies with the process, even
# with SIGKILL, so an unlocked temporary file of ours is left over.
_TEMP_SUFFIX = re.compile(r"[0-9a-f]{12}\.tmp")
_STARTED = time.time()  # without flock: only files older than this process

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def _open_temp(directory: str, base: str, path: str, where: str) -> Tuple[str, Any]:
    while True:
        # os.urandom: a unique name without touching the global random.
        tmp = os.path.join(directory, f".{base}.{os.urandom(6).hex()}.tmp")
        try:
            # open(..., "x") (not tempfile) keeps the usual permissions (umask).
            f = open(tmp, "x", encoding="utf-8")
        except OSError as err:  # e.g. no permission to write in the directory
            raise _save_error(err, path, where) from None
        if fcntl is None:
            return tmp, f
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            ours = os.path.samestat(os.fstat(f.fileno()), os.stat(tmp))
        except FileNotFoundError:
            ours = False
        if ours:
            return tmp, f
        # Another save's clean-up removed it between open and lock: a new name.
        f.close()


def _remove_stale_temps(directory: str, base: str) -> None:
    prefix = f".{base}."
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(prefix)]
    except OSError:
        return  # (then the save itself will say what is wrong)
    for entry in entries:
        if not _TEMP_SUFFIX.fullmatch(entry.name[len(prefix) :]):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if fcntl is None:
                if entry.stat().st_mtime < _STARTED:
                    os.remove(entry.path)
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails: a save is writing it
            if os.path.samestat(os.fstat(fd), os.stat(entry.path, follow_symlinks=False)):
                os.remove(entry.path)
        except OSError:
            pass
        finally:
            os.close(fd)


def _fsync_directory(directory: str) -> None:
    if os.name != "posix":  # Windows cannot open a directory to flush it
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in (errno.EINVAL, errno.ENOTSUP):  # (file systems that cannot)
            raise
    finally:
        os.close(fd)


def _save_error(err: OSError, path: str, where: str) -> OSError:
    # The OS names our temporary file; the user knows only ``path``.
    fix = "; give the name of a file, not of a folder" if os.path.isdir(path) else ""
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "; choose a folder you may write to, or change its permissions"
    elif err.errno == errno.ENOSPC:
        fix = "; free some disk space (the old file, if any, is unchanged)"
    text = f"{where}: cannot write {path!r}: {err.strerror or err}{fix}"
    return type(err)(text) if err.errno is None else type(err)(err.errno, text)

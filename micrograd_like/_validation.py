"""Checking user input once, at the entrance, shared by the public functions.

As ``sklearn.utils.validation``: each public function calls these first, so
a bad argument gets an error that names the function, the value and the
fix, before any work is done. ``X`` is a list of rows (each a list of real
numbers) and ``y`` a list of targets.

Random functions take ``seed``; ``_rng`` turns it into a stream, as the
``datasets`` docstring explains.
"""

from __future__ import annotations

import errno
import math
import numbers
import os
import random
import warnings
from typing import Any, List, Mapping, Sequence, Tuple, Union

Seed = Union[int, random.Random, None]
Matrix = List[List[float]]


def _rng(seed: Seed, fn: str) -> random.Random:
    """The random stream that ``seed`` asks for (see the module docstring)."""
    if seed is None:
        # The module has the same methods as a Random instance.
        return random  # type: ignore[return-value]
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return random.Random(int(seed))
    raise TypeError(
        f"{fn}: seed must be an int, a random.Random or None (the global random "
        f"module), got {type(seed).__name__} {seed!r}"
    )


def _check_int(value: Any, name: str, fn: str, minimum: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(
            f"{fn}: {name} must be an int >= {minimum}, got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{fn}: {name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _check_real(
    value: Any,
    name: str,
    fn: str,
    low: float = -math.inf,
    high: float = math.inf,
    high_open: bool = False,
) -> float:
    """A finite real number in [low, high] (or [low, high) if high_open)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{fn}: {name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    too_high = value >= high if high_open else value > high
    if not math.isfinite(value) or value < low or too_high:
        if high == math.inf:
            valid = f"a finite number >= {low}" if low > -math.inf else "a finite number"
        else:
            valid = f"in [{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{fn}: {name} must be {valid}, got {value!r}")
    return value


def _check_bool(value: Any, name: str, fn: str) -> bool:
    """True or False (numpy's bool too, as scikit-learn accepts); 1 and 0 are refused."""
    if isinstance(value, bool) or type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"):
        return bool(value)
    raise TypeError(f"{fn}: {name} must be True or False, got {type(value).__name__} {value!r}")


def _fsum(values: Any) -> float:
    """math.fsum, except that a sum past the float range is +-inf (or nan), as numpy's.

    math.fsum raises OverflowError there, and ValueError for inf + -inf;
    plain float addition gives what numpy gives instead.
    """
    values = list(values)
    try:
        return math.fsum(values)
    except OverflowError:
        return sum(values, 0.0)
    except ValueError:
        return math.nan


def _warn_overflow(fn: str, result: Any, what: str) -> None:
    """A RuntimeWarning when finite input gave an inf or nan result (numpy warns there too)."""
    values = result if isinstance(result, list) else [result]
    if not all(v is None or math.isfinite(v) for v in values):
        warnings.warn(
            f"{fn}: overflow: {what} went past the float range (about 1.8e308), so the result "
            "holds inf or nan; rescale the data first (e.g. divide by its largest magnitude)",
            RuntimeWarning,
            stacklevel=3,
        )


def _check_same_length(X: Sequence, y: Sequence, fn: str, y_name: str = "y") -> int:
    for name, seq in (("X", X), (y_name, y)):
        if (
            isinstance(seq, (str, bytes))
            or not hasattr(seq, "__len__")
            or not hasattr(seq, "__getitem__")
        ):
            raise TypeError(
                f"{fn}: {name} must be a list (or tuple) of samples, got "
                f"{type(seq).__name__} {_short(seq)}"
            )
    if len(X) != len(y):
        raise ValueError(
            f"{fn}: X has {len(X)} samples but {y_name} has {len(y)}; "
            "they must have one entry per sample"
        )
    return len(X)


def _as_matrix(X: Any, fn: str, name: str = "X", bools: bool = False) -> Matrix:
    """X as a fresh list of float rows, all of one length; or a clear error.

    ``bools=True`` reads True/False as 1.0/0.0, as scikit-learn's scalers do.
    """
    X = _tabular(X, fn, name)
    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
        raise TypeError(
            f"{fn}: {name} must be a list of rows (lists of numbers), got {type(X).__name__}"
        )
    if len(X) == 0:
        raise ValueError(f"{fn}: {name} is empty; it needs at least one row")
    rows: Matrix = []
    for i, row in enumerate(X):
        if isinstance(row, numbers.Real):
            raise ValueError(
                f"{fn}: {name} must be 2-D (a list of rows), but {name}[{i}] is the "
                f"number {row!r}; for a single feature write each sample as a row: "
                "[[x] for x in values]"
            )
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            raise TypeError(
                f"{fn}: {name}[{i}] must be a list of numbers, got {type(row).__name__} {row!r}"
            )
        out = []
        for j, v in enumerate(row):
            if not isinstance(v, numbers.Real) or (isinstance(v, bool) and not bools):
                hint = " (use .data to get a Value's number)" if hasattr(v, "grad") else ""
                raise TypeError(
                    f"{fn}: {name}[{i}][{j}] must be a real number, "
                    f"got {type(v).__name__} {v!r}{hint}"
                )
            v = float(v)
            if not math.isfinite(v):
                raise ValueError(
                    f"{fn}: {name}[{i}][{j}] is {v!r}; only finite numbers are allowed"
                )
            out.append(v)
        if rows and len(out) != len(rows[0]):
            raise ValueError(
                f"{fn}: {name} is ragged: row 0 has {len(rows[0])} features "
                f"but row {i} has {len(out)}"
            )
        rows.append(out)
    if not rows[0]:
        raise ValueError(f"{fn}: the rows of {name} are empty; they need at least one feature")
    return rows


# --- sizes and names (modules) -------------------------------------------------


def _check_size(n: object, what: str, who: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{who}: {what} must be an int, got {type(n).__name__} {n!r}")
    if n <= 0:
        raise ValueError(f"{who}: {what} must be a positive int, got {n}")


def _check_nouts(nouts: object, who: str) -> None:
    if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
        raise TypeError(
            f"{who}: nouts must be a non-empty list of layer sizes, e.g. [16, 16, 1], "
            f"got {nouts!r}"
        )
    for n in nouts:
        _check_size(n, "every size in nouts", who)


def _check_choice(name: object, choices: Mapping[str, object], what: str, who: str) -> str:
    if not isinstance(name, str) or name not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{who}: unknown {what} {name!r}; choose one of {valid}")
    return name


def _short(x: object, limit: int = 60) -> str:
    """repr(x), cut to ``limit`` characters: an error may quote a huge list."""
    r = repr(x)
    return r if len(r) <= limit else r[: limit - 3] + "..."


# --- file names (serialization, datasets, draw, explorer) ----------------------


def _check_path(path: object, fn: str, name: str = "path") -> str:
    """A file name as a str; a number is refused (open(3) would read file descriptor 3)."""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    # the example fits what is written: a page, or a model (save, load)
    example = "'backprop.html'" if fn == "explore" or fn.endswith("_html") else "'model.json'"
    if not isinstance(path, str):
        raise TypeError(
            f"{fn}: {name} must be a file name (a str or os.PathLike, e.g. {example}), "
            f"got {type(path).__name__} {path!r}"
        )
    if not path:
        raise ValueError(f"{fn}: {name} is '' (empty); give a file name, e.g. {example}")
    return path


def _read_bytes(path: object, fn: str) -> Tuple[str, bytes]:
    """(the name, the content) of a file to read; OS errors name ``fn`` and the file."""
    path = _check_path(path, fn)
    if os.path.isdir(path):
        raise IsADirectoryError(
            errno.EISDIR, f"{fn}: {path!r} is a directory; give the name of a file in it"
        )
    try:
        with open(path, "rb") as f:
            return path, f.read()
    except FileNotFoundError:
        raise FileNotFoundError(
            errno.ENOENT,
            f"{fn}: no such file {path!r} (relative names start at {os.getcwd()!r}); check the name",
        ) from None
    except OSError as err:
        raise type(err)(err.errno, f"{fn}: cannot read {path!r}: {err.strerror or err}") from None


def _decode_text(raw: bytes, path: str, fn: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or a ValueError naming the file and line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{fn}: {path!r}, {_not_text(raw, err)}") from None


def _not_text(raw: bytes, err: UnicodeDecodeError) -> str:
    line = raw.count(b"\n", 0, err.start) + 1
    return (
        f"line {line}: byte {raw[err.start]:#04x} is not UTF-8 text; "
        "expected a text file saved as UTF-8 (is it a binary file?)"
    )


def _one_seed(random_state: Seed, seed: Seed, fn: str) -> Seed:
    """``random_state`` (scikit-learn's word) or ``seed`` (torch's): the same thing, given once."""
    if random_state is not None and seed is not None:
        raise ValueError(f"{fn}: pass random_state= or seed= (the same thing), not both")
    return seed if random_state is None else random_state


def _tabular(obj: Any, fn: str, name: str) -> Any:
    """numpy arrays and pandas DataFrames/Series as plain lists; anything else as it is.

    Told apart by their type's module, so neither library is imported here
    (nor needed). A DataFrame column that is not numbers is named.
    """
    module = type(obj).__module__.split(".")[0]
    if module == "pandas" and hasattr(obj, "to_numpy"):
        if hasattr(obj, "columns"):  # a DataFrame: rows of numbers
            for column, dtype in obj.dtypes.items():
                if dtype.kind not in "biuf":  # bool, int, unsigned, float
                    raise TypeError(
                        f"{fn}: {name} column {column!r} holds {dtype} values, not numbers; "
                        "convert it (e.g. pandas.get_dummies, or .astype(float)) or drop it"
                    )
            return obj.to_numpy(dtype=float).tolist()
        return obj.tolist()  # a Series: targets or labels, of any kind
    if module == "numpy" and hasattr(obj, "tolist") and hasattr(obj, "ndim"):
        return obj.tolist()  # numpy scalars become Python numbers too
    return obj

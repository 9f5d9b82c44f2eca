"""Real data: the sets shipped with the package (iris, wine, breast cancer, digits) and CSV files.

The same four small sets as ``sklearn.datasets.load_*``, with the same
conventions: a ``Bunch`` with ``data`` (a list of rows of floats),
``target`` (a list of ints), ``feature_names``, ``target_names`` and
``DESCR``, or ``(X, y)`` with ``return_X_y=True``. ``load_digits`` adds
``images`` (each an 8 x 8 list of rows) and takes ``n_class``. The values are
scikit-learn's own, exported by ``tools/export_datasets.py`` into
``micrograd_like/_data/`` (gzip'd JSON), and the tests compare every one. ``load_csv`` reads your own numeric table.

>>> X, y = load_iris(return_X_y=True)
>>> len(X), len(X[0]), sorted(set(y))
(150, 4, [0, 1, 2])
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import numbers
import os
from importlib import resources
from typing import Any, Dict, Iterator, List, Tuple, Union

from micrograd_like._validation import _decode_text, _read_bytes

__all__ = ["Bunch", "load_iris", "load_wine", "load_breast_cancer", "load_digits", "load_csv"]

Matrix = List[List[float]]


class Bunch(dict):
    """A dict whose keys are also attributes, as ``sklearn.utils.Bunch``.

    >>> b = Bunch(data=[[1.0]], target=[0])
    >>> b.data is b["data"]
    True
    """

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(
                f"this Bunch has no {key!r}; it has {', '.join(sorted(self))}"
            ) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self))


def _read(name: str) -> Dict[str, Any]:
    # Read fresh at every call: the caller may change the lists it gets.
    raw = resources.files("micrograd_like").joinpath("_data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw).decode("utf-8"))


def _check_flags(fn: str, **flags: object) -> None:
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise TypeError(f"{fn}: {name} must be True or False, got {type(value).__name__} {value!r}")
    if flags.get("as_frame"):
        raise ValueError(
            f"{fn}: as_frame=True would need pandas, which micrograd_like does not use; "
            "load the lists (as_frame=False) and build a DataFrame from them if you want one"
        )


def _load(name: str, fn: str, return_X_y: bool, as_frame: bool) -> Union[Bunch, Tuple[Matrix, List[int]]]:
    _check_flags(fn, return_X_y=return_X_y, as_frame=as_frame)
    doc = _read(name)
    if return_X_y:
        return doc["data"], doc["target"]
    return Bunch(data=doc["data"], target=doc["target"], feature_names=doc["feature_names"],
                 target_names=doc["target_names"], DESCR=doc["DESCR"], frame=None)


def load_iris(*, return_X_y: bool = False, as_frame: bool = False) -> Union[Bunch, Tuple[Matrix, List[int]]]:
    """Fisher's iris: 150 flowers, 4 measurements (cm), 3 species (50 each).

    >>> iris = load_iris()
    >>> iris.feature_names[0], list(iris.target_names)
    ('sepal length (cm)', ['setosa', 'versicolor', 'virginica'])
    """
    return _load("iris", "load_iris", return_X_y, as_frame)


def load_wine(*, return_X_y: bool = False, as_frame: bool = False) -> Union[Bunch, Tuple[Matrix, List[int]]]:
    """Wine recognition: 178 wines, 13 chemical measurements, 3 cultivars.

    >>> X, y = load_wine(return_X_y=True); len(X), len(X[0])
    (178, 13)
    """
    return _load("wine", "load_wine", return_X_y, as_frame)


def load_breast_cancer(*, return_X_y: bool = False,
                       as_frame: bool = False) -> Union[Bunch, Tuple[Matrix, List[int]]]:
    """Breast cancer Wisconsin (diagnostic): 569 tumours, 30 features, malignant (0) or benign (1).

    >>> b = load_breast_cancer(); len(b.data), list(b.target_names)
    (569, ['malignant', 'benign'])
    """
    return _load("breast_cancer", "load_breast_cancer", return_X_y, as_frame)


def load_digits(*, n_class: int = 10, return_X_y: bool = False,
                as_frame: bool = False) -> Union[Bunch, Tuple[Matrix, List[int]]]:
    """Handwritten digits: 1797 images of 8 x 8 pixels (values 0 to 16), digits 0 to 9.

    ``n_class`` keeps only the digits 0 to n_class - 1, as scikit-learn does
    (``target_names`` stays all ten, as there).

    >>> d = load_digits(n_class=2); len(d.data), len(d.images[0]), d.target[:4]
    (360, 8, [0, 1, 0, 1])
    """
    # Any integer type (numpy's too), but not a bool: True would keep digit 0 only.
    if isinstance(n_class, bool) or not isinstance(n_class, numbers.Integral):
        raise TypeError(
            f"load_digits: n_class must be an int from 1 to 10 (the digits kept are "
            f"0 to n_class - 1), got {type(n_class).__name__} {n_class!r}"
        )
    if not 1 <= n_class <= 10:
        raise ValueError(
            f"load_digits: n_class must be an int from 1 to 10 (the digits kept are "
            f"0 to n_class - 1), got {n_class!r}"
        )
    n_class = int(n_class)
    out = _load("digits", "load_digits", return_X_y, as_frame)
    data, target = (out if return_X_y else (out.data, out.target))
    keep = [i for i, t in enumerate(target) if t < n_class]
    data, target = [data[i] for i in keep], [target[i] for i in keep]
    if return_X_y:
        return data, target
    out.data, out.target = data, target
    out.images = [[row[r * 8:(r + 1) * 8] for r in range(8)] for row in data]
    return out


# --- reading a CSV file ------------------------------------------------------


def load_csv(
    path: Union[str, "os.PathLike[str]"],
    target: Union[str, int] = -1,
    *,
    header: bool = True,
    delimiter: str = ",",
) -> Tuple[Matrix, List[Union[int, float]]]:
    """Read a numeric table: every column but ``target`` becomes a feature.

    ``target`` is a column name (needs ``header=True``: the first row holds
    the names) or a 0-based index (negative counts from the end; the default
    is the last column). Returns ``X`` (rows of floats) and ``y``: ints when
    every target value is a whole number (class labels), floats otherwise.
    Blank lines are skipped; any other row that is ragged or holds a
    non-number, an empty cell, ``nan`` or ``inf`` raises ``ValueError``
    naming the line and the column.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "toy.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("x1,x2,label\\n0.5,1,0\\n2,3.5,1\\n")
    >>> load_csv(path, target="label")
    ([[0.5, 1.0], [2.0, 3.5]], [0, 1])
    """
    fn = "load_csv"
    if isinstance(target, bool) or not isinstance(target, (str, numbers.Integral)):
        raise TypeError(f"{fn}: target must be a column name (str) or index (int), got {target!r}")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise TypeError(f"{fn}: delimiter must be one character such as ',' or ';', got {delimiter!r}")
    where, raw = _read_bytes(path, fn)
    # utf-8-sig drops the byte-order mark that spreadsheet programs write.
    text = io.StringIO(_decode_text(raw, where, fn), newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        rows = list(_csv_rows(reader))
    except csv.Error as err:  # e.g. a NUL byte: a binary file
        raise ValueError(f"{fn}: {where}, line {reader.line_num + 1}: {err}; is it a CSV file?") from None
    if not rows:
        raise ValueError(f"{fn}: {where} has no rows")

    if header:
        names = [name.strip() for name in rows[0][1]]
        rows = rows[1:]
        if not rows:
            raise ValueError(f"{fn}: {where} has a header but no data rows")
    elif isinstance(target, str):
        raise ValueError(
            f"{fn}: target={target!r} is a column name, but header=False; give an index"
        )
    else:
        names = [str(j) for j in range(len(rows[0][1]))]
    n_cols = len(names)
    if n_cols < 2:
        raise ValueError(
            f"{fn}: {where} has {n_cols} column(s); need at least one feature and the target"
        )

    if isinstance(target, str):
        if names.count(target) != 1:
            problem = "is not a column" if target not in names else "names more than one column"
            raise ValueError(
                f"{fn}: target={target!r} {problem} of {where}; the columns are {names}"
            )
        t = names.index(target)
    else:
        if not -n_cols <= target < n_cols:
            raise ValueError(
                f"{fn}: target={target} is out of range for {n_cols} columns "
                f"(use 0..{n_cols - 1} or -1)"
            )
        t = int(target) % n_cols

    X: Matrix = []
    targets: List[float] = []
    for line, row in rows:
        if len(row) != n_cols:
            raise ValueError(
                f"{fn}: {where}, line {line}: expected {n_cols} values, found {len(row)}"
            )
        values = [_parse_cell(text, where, line, j, names, header) for j, text in enumerate(row)]
        targets.append(values.pop(t))
        X.append(values)
    if all(v.is_integer() for v in targets):
        return X, [int(v) for v in targets]
    return X, list(targets)


def _csv_rows(reader: Any) -> Iterator[Tuple[int, List[str]]]:
    """(line number, cells) for each non-blank row; numbers are the file's own lines."""
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        yield reader.line_num, row


def _parse_cell(text: str, where: str, line: int, j: int, names: List[str], header: bool) -> float:
    column = f"column {j} ({names[j]!r})" if header else f"column {j}"
    try:
        value = float(text.strip())
    except ValueError:
        problem = "is empty" if not text.strip() else f"holds {text!r}, which is not a number"
        raise ValueError(f"load_csv: {where}, line {line}, {column} {problem}") from None
    if not math.isfinite(value):
        raise ValueError(
            f"load_csv: {where}, line {line}, {column} holds {text!r}; missing or infinite "
            "values must be removed or filled in before training"
        )
    return value

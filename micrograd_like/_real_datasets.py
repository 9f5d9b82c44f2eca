"""Real data sets, shipped with the package: iris, wine, breast cancer, digits.

The same four small sets as ``sklearn.datasets.load_*``, with the same
conventions: a ``Bunch`` with ``data`` (a list of rows of floats),
``target`` (a list of ints), ``feature_names``, ``target_names`` and
``DESCR``, or ``(X, y)`` with ``return_X_y=True``. ``load_digits`` adds
``images`` (each an 8 x 8 list of rows) and takes ``n_class``. The values are
scikit-learn's own, exported by ``tools/export_datasets.py`` into
``micrograd_like/_data/`` (gzip'd JSON), and the tests compare every one.

>>> X, y = load_iris(return_X_y=True)
>>> len(X), len(X[0]), sorted(set(y))
(150, 4, [0, 1, 2])
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from typing import Any, Dict, List, Tuple, Union

__all__ = ["Bunch", "load_iris", "load_wine", "load_breast_cancer", "load_digits"]

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
    if isinstance(n_class, bool) or not isinstance(n_class, int) or not 1 <= n_class <= 10:
        raise ValueError(
            f"load_digits: n_class must be an int from 1 to 10 (the digits kept are "
            f"0 to n_class - 1), got {n_class!r}"
        )
    out = _load("digits", "load_digits", return_X_y, as_frame)
    data, target = (out if return_X_y else (out.data, out.target))
    keep = [i for i, t in enumerate(target) if t < n_class]
    data, target = [data[i] for i in keep], [target[i] for i in keep]
    if return_X_y:
        return data, target
    out.data, out.target = data, target
    out.images = [[row[r * 8:(r + 1) * 8] for r in range(8)] for row in data]
    return out

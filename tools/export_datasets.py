"""Export scikit-learn's small real data sets into micrograd_like/_data/ (run by a developer).

    python tools/export_datasets.py

Each set becomes one gzip'd JSON file: data (rows of floats), target (ints),
feature_names, target_names and DESCR, exactly as scikit-learn holds them
(floats are written with repr, so they read back bit for bit). gzip's
timestamp is fixed, so the same scikit-learn gives the same bytes.
tests/test_real_datasets.py checks every value against scikit-learn.
"""

import gzip
import json
import os

import sklearn
from sklearn import datasets

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "micrograd_like", "_data")
NAMES = ("iris", "wine", "breast_cancer", "digits")


def export(name: str) -> str:
    bunch = getattr(datasets, f"load_{name}")()
    doc = {
        "source": f"scikit-learn {sklearn.__version__}, sklearn.datasets.load_{name}()",
        "feature_names": [str(f) for f in bunch.feature_names],
        "target_names": bunch.target_names.tolist(),  # strings, or ints for digits
        "DESCR": bunch.DESCR,
        "data": [[float(v) for v in row] for row in bunch.data],
        "target": [int(t) for t in bunch.target],
    }
    path = os.path.join(OUT, f"{name}.json.gz")
    text = json.dumps(doc, separators=(",", ":")).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(text)
    return path


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for n in NAMES:
        print("wrote", export(n))

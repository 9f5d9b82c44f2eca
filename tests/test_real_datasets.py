"""The shipped real data sets equal scikit-learn's, value for value, with its conventions.

Oracle: scikit-learn's own ``load_iris``, ``load_wine``, ``load_breast_cancer``
and ``load_digits``.
"""

import importlib
import inspect

import pytest

from micrograd_like import datasets

NAMES = ["iris", "wine", "breast_cancer", "digits"]


def _exported_version(name):
    """The scikit-learn release tools/export_datasets.py read the set from."""
    import gzip
    import json
    from importlib import resources

    raw = resources.files("micrograd_like").joinpath("_data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))["source"].split()[1].rstrip(",")


@pytest.fixture(scope="module")
def sk_datasets(sklearn):
    return importlib.import_module("sklearn.datasets")


@pytest.mark.parametrize("name", NAMES)
def test_every_value_equals_scikit_learns(sk_datasets, name):
    ours = getattr(datasets, f"load_{name}")()
    theirs = getattr(sk_datasets, f"load_{name}")()
    assert ours.data == theirs.data.tolist()  # floats, bit for bit
    assert ours.target == theirs.target.tolist()
    assert ours.feature_names == list(theirs.feature_names)
    assert ours.target_names == theirs.target_names.tolist()
    # DESCR is prose that scikit-learn edits between releases: equal to the
    # release the files were exported from, and the same set elsewhere.
    exported = _exported_version(name)
    if importlib.import_module("sklearn").__version__ == exported:
        assert ours.DESCR == theirs.DESCR
    else:
        title = lambda text: text.split("\n", 3)[:3]  # noqa: E731 - the reference and the title
        assert [t.lower() for t in title(ours.DESCR)] == [t.lower() for t in title(theirs.DESCR)]
    assert all(type(v) is float for row in ours.data for v in row)
    assert all(type(t) is int for t in ours.target)


@pytest.mark.parametrize("name", NAMES)
def test_return_X_y_and_the_bunch(sk_datasets, name):
    ours = getattr(datasets, f"load_{name}")
    X, y = ours(return_X_y=True)
    b = ours()
    assert (X, y) == (b["data"], b["target"]) == (b.data, b.target)
    Xs, ys = getattr(sk_datasets, f"load_{name}")(return_X_y=True)
    assert (len(X), len(X[0])) == Xs.shape and len(y) == len(ys)


@pytest.mark.parametrize("n_class", [1, 2, 5, 10])
def test_digits_images_and_n_class(sk_datasets, n_class):
    ours = datasets.load_digits(n_class=n_class)
    theirs = sk_datasets.load_digits(n_class=n_class)
    assert ours.images == theirs.images.tolist()
    assert ours.target == theirs.target.tolist() and ours.data == theirs.data.tolist()
    assert ours.target_names == theirs.target_names.tolist()


def test_the_arguments_are_scikit_learns(sk_datasets):
    for name in NAMES:
        ours = inspect.signature(getattr(datasets, f"load_{name}")).parameters
        theirs = inspect.signature(getattr(sk_datasets, f"load_{name}")).parameters
        assert set(ours) <= set(theirs), name
        for p in ours:
            assert ours[p].default == theirs[p].default and ours[p].kind == theirs[p].kind


def test_an_unknown_argument_gets_scikit_learns_kind_of_error(sk_datasets):
    with pytest.raises(TypeError) as theirs:
        sk_datasets.load_iris(shuffle=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'shuffle'") as ours:
        datasets.load_iris(shuffle=True)
    assert type(ours.value) is type(theirs.value)


@pytest.mark.parametrize("call, exc, text", [
    (lambda: datasets.load_iris(return_X_y="yes"), TypeError, "load_iris: return_X_y must be True or False"),
    (lambda: datasets.load_wine(as_frame=True), ValueError, "load_wine: as_frame=True would need pandas"),
    (lambda: datasets.load_digits(n_class=11), ValueError, "load_digits: n_class must be an int from 1 to 10"),
    (lambda: datasets.load_digits(n_class=0), ValueError, "got 0"),
    (lambda: datasets.load_iris().nope, AttributeError, "this Bunch has no 'nope'"),
])
def test_bad_arguments(call, exc, text):
    with pytest.raises(exc, match=text):
        call()


def test_each_call_gives_fresh_lists():
    a = datasets.load_iris()
    a.data[0][0] = -1.0
    assert datasets.load_iris().data[0][0] == 5.1


@pytest.mark.parametrize("n_class_type", ["int64", "int32", "uint8"])
def test_digits_n_class_takes_numpy_integers_as_sklearn(sk_datasets, numpy, n_class_type):
    n_class = getattr(numpy, n_class_type)(3)
    ours = datasets.load_digits(n_class=n_class, return_X_y=True)
    theirs = sk_datasets.load_digits(n_class=n_class, return_X_y=True)
    assert ours[0] == theirs[0].tolist() and ours[1] == theirs[1].tolist()


@pytest.mark.parametrize("n_class", [3.0, "3", None, True])
def test_digits_n_class_of_another_type_is_a_type_error(n_class):
    with pytest.raises(TypeError, match=r"load_digits: n_class must be an int from 1 to 10.*got"):
        datasets.load_digits(n_class=n_class)

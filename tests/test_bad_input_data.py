"""Bad input to datasets, model_selection, preprocessing and metrics.

See tests/_bad_input.py for what each case checks.
"""

from __future__ import annotations

import math

import pytest

from micrograd_like import datasets as D
from micrograd_like import metrics as M
from micrograd_like.model_selection import train_test_split
from micrograd_like.preprocessing import MinMaxScaler, NotFittedError, StandardScaler

from _bad_input import case, check

nan = math.nan
X4, Y4 = [[1.0], [2.0], [3.0], [4.0]], [0, 1, 0, 1]

DATASETS = [
    case("make_moons(0)", lambda: D.make_moons(0), ValueError, "make_moons", "0", "int >= 1"),
    case("make_moons('10')", lambda: D.make_moons("10"), TypeError, "make_moons", "'10'", "int >= 1"),
    case("make_moons(2.5)", lambda: D.make_moons(2.5), TypeError, "make_moons", "2.5", "int >= 1"),
    case("make_moons(True)", lambda: D.make_moons(True), TypeError, "make_moons", "True", "int >= 1"),
    case("make_moons noise -1", lambda: D.make_moons(10, noise=-1), ValueError, "make_moons", "-1", "finite number >= 0"),
    case("make_moons noise nan", lambda: D.make_moons(10, noise=nan), ValueError, "make_moons", "nan", "finite number"),
    case("make_moons noise str", lambda: D.make_moons(10, noise="0.1"), TypeError, "make_moons", "'0.1'", "real number"),
    case("make_moons seed str", lambda: D.make_moons(10, seed="a"), TypeError, "make_moons", "'a'", "random.Random"),
    case("make_moons seed float", lambda: D.make_moons(10, seed=1.5), TypeError, "make_moons", "1.5", "random.Random"),
    case("make_circles factor 2", lambda: D.make_circles(10, factor=2), ValueError, "make_circles", "2.0", "[0.0, 1.0)"),
    case("make_circles factor 1", lambda: D.make_circles(10, factor=1.0), ValueError, "make_circles", "1.0", "[0.0, 1.0)"),
    case("make_circles n None", lambda: D.make_circles(None), TypeError, "make_circles", "None", "int >= 1"),
    case("make_blobs centers 0", lambda: D.make_blobs(10, centers=0), ValueError, "make_blobs", "0", "int >= 1"),
    case("make_blobs std -1", lambda: D.make_blobs(10, cluster_std=-1), ValueError, "make_blobs", "-1", ">= 0"),
    case("make_blobs n -5", lambda: D.make_blobs(-5), ValueError, "make_blobs", "-5", "int >= 1"),
    case("make_spirals classes 0", lambda: D.make_spirals(10, n_classes=0), ValueError, "make_spirals", "0", "int >= 2"),
    case("make_spirals classes str", lambda: D.make_spirals(10, n_classes="3"), TypeError, "make_spirals", "'3'", "int >= 2"),
    case("make_xor n -1", lambda: D.make_xor(-1), ValueError, "make_xor", "-1", "int >= 4"),
    case("make_sine noise nan", lambda: D.make_sine(10, noise=nan), ValueError, "make_sine", "nan", "finite number"),
    case("make_sine n 0", lambda: D.make_sine(0), ValueError, "make_sine", "0", "int >= 1"),
    case("load_iris return_X_y str", lambda: D.load_iris(return_X_y="yes"), TypeError, "load_iris", "'yes'", "True or False"),
    case("load_digits n_class 11", lambda: D.load_digits(n_class=11), ValueError, "load_digits", "11", "from 1 to 10"),
]

SPLITS_AND_SCALERS = [
    case("split test_size 1.5", lambda: train_test_split(X4, Y4, test_size=1.5), ValueError, "train_test_split", "1.5", "(0, 1)"),
    case("split test_size 0", lambda: train_test_split(X4, Y4, test_size=0), ValueError, "train_test_split", "0", "[1, 3]"),
    case("split test_size 10", lambda: train_test_split(X4, Y4, test_size=10), ValueError, "train_test_split", "10", "[1, 3]"),
    case("split test_size str", lambda: train_test_split(X4, Y4, test_size="half"), TypeError, "train_test_split", "'half'", "test_size"),
    case("split X None", lambda: train_test_split(None, Y4), TypeError, "train_test_split", "None", "list (or tuple) of samples"),
    case("split y 5", lambda: train_test_split(X4, 5), TypeError, "train_test_split", "5", "list (or tuple) of samples"),
    case("split lengths", lambda: train_test_split(X4, [0]), ValueError, "train_test_split", "1", "one entry per sample"),
    case("split stratify length", lambda: train_test_split(X4, Y4, stratify=[0]), ValueError, "train_test_split", "1", "one entry per sample"),
    case("split seed float", lambda: train_test_split(X4, Y4, seed=1.5), TypeError, "train_test_split", "1.5", "random.Random"),
    case("scaler fit None", lambda: StandardScaler().fit(None), TypeError, "StandardScaler.fit", "NoneType", "list of rows"),
    case("scaler fit flat", lambda: StandardScaler().fit([1.0, 2.0]), ValueError, "StandardScaler.fit", "1.0", "[[x] for x in values]"),
    case("scaler fit empty", lambda: StandardScaler().fit([]), ValueError, "StandardScaler.fit", "empty", "at least one row"),
    case("scaler fit ragged", lambda: StandardScaler().fit([[1.0], [1.0, 2.0]]), ValueError, "StandardScaler.fit", "row 1 has 2", "ragged"),
    case("scaler fit nan", lambda: StandardScaler().fit([[nan]]), ValueError, "StandardScaler.fit", "nan", "only finite numbers"),
    case("scaler fit str", lambda: StandardScaler().fit([["a"]]), TypeError, "StandardScaler.fit", "'a'", "real number"),
    case("scaler transform unfitted", lambda: StandardScaler().transform([[1.0]]), NotFittedError, "StandardScaler.transform", "not fitted", "fit(X_train)"),
    case("scaler transform width", lambda: StandardScaler().fit([[1.0, 2.0]]).transform([[1.0]]), ValueError, "StandardScaler.transform", "1 features", "fitted on 2"),
    case("minmax range reversed", lambda: MinMaxScaler(feature_range=(1, 0)), ValueError, "MinMaxScaler", "(1, 0)", "min < max"),
    case("minmax fit nan", lambda: MinMaxScaler().fit([[nan]]), ValueError, "MinMaxScaler.fit", "nan", "only finite numbers"),
    case("minmax inverse unfitted", lambda: MinMaxScaler().inverse_transform([[1.0]]), NotFittedError, "MinMaxScaler", "not fitted", "fit(X_train)"),
]

METRICS = [
    case("accuracy None", lambda: M.accuracy_score(None, [1]), TypeError, "accuracy_score", "None", "list of labels"),
    case("accuracy lengths", lambda: M.accuracy_score([1, 2], [1]), ValueError, "accuracy_score", "2 labels", "one label per sample"),
    case("accuracy empty", lambda: M.accuracy_score([], []), ValueError, "accuracy_score", "empty", "at least one sample"),
    case("accuracy float labels", lambda: M.accuracy_score([0.5], [1]), ValueError, "accuracy_score", "0.5", "threshold or argmax"),
    case("accuracy Value label", lambda: M.accuracy_score([0], [__import__("micrograd_like").Value(1.0)]), TypeError, "accuracy_score", "Value(data=1.0", "int(v.data > 0)"),
    case("confusion normalize", lambda: M.confusion_matrix([1], [1], normalize="rows"), ValueError, "confusion_matrix", "'rows'", "'true'"),
    case("confusion labels absent", lambda: M.confusion_matrix([0], [0], labels=[5]), ValueError, "confusion_matrix", "[5]", "at least one must"),
    case("precision average", lambda: M.precision_score([1], [1], average="avg"), ValueError, "precision_score", "'avg'", "'macro'"),
    case("precision zero_division", lambda: M.precision_score([1], [1], zero_division="x"), ValueError, "precision_score", "'x'", "'warn'"),
    case("precision pos_label", lambda: M.precision_score([0, 1], [0, 1], pos_label=3), ValueError, "precision_score", "3", "one of [0, 1]"),
    case("recall None", lambda: M.recall_score([0], None), TypeError, "recall_score", "None", "list of labels"),
    case("f1 lengths", lambda: M.f1_score([0, 1], [0]), ValueError, "f1_score", "2 labels", "one label per sample"),
    case("fbeta beta -1", lambda: M.fbeta_score([1], [1], beta=-1), ValueError, "fbeta_score", "-1", ">= 0"),
    case("prfs average", lambda: M.precision_recall_fscore_support([1], [1], average="all"), ValueError, "precision_recall_fscore_support", "'all'", "'micro'"),
    case("report digits -1", lambda: M.classification_report([1], [1], digits=-1), ValueError, "classification_report", "-1", "int >= 0"),
    case("report digits str", lambda: M.classification_report([1], [1], digits="2"), TypeError, "classification_report", "'2'", "int >= 0"),
    case("report digits float", lambda: M.classification_report([1], [1], digits=2.5), TypeError, "classification_report", "2.5", "int >= 0"),
    case("report target_names", lambda: M.classification_report([0, 1], [0, 1], target_names=["a"]), ValueError, "classification_report", "1 names", "one name per label"),
    case("mse None", lambda: M.mean_squared_error(None, [1.0]), TypeError, "mean_squared_error", "None", "list of numbers"),
    case("mse str", lambda: M.mean_squared_error(["a"], [1.0]), TypeError, "mean_squared_error", "'a'", "real number"),
    case("mae nan", lambda: M.mean_absolute_error([nan], [1.0]), ValueError, "mean_absolute_error", "nan", "only finite numbers"),
    case("r2 lengths", lambda: M.r2_score([1.0, 2.0], [1.0]), ValueError, "r2_score", "2 values", "one value per sample"),
]


@pytest.mark.parametrize("call, exc, words", DATASETS + SPLITS_AND_SCALERS + METRICS)
def test_bad_input_gets_a_clear_error(call, exc, words):
    check(call, exc, words)


def test_the_table_is_big_enough():
    assert len(DATASETS + SPLITS_AND_SCALERS + METRICS) >= 60

"""How good are the predictions? Classification and regression metrics, in plain Python.

The names, arguments and results are scikit-learn's (``accuracy_score``,
``precision_score``, ``f1_score``, ``confusion_matrix``, ``r2_score``, ...),
and so are the edge cases, which the tests check against scikit-learn itself.

Labels are ints, bools or strings (whole-number floats such as ``1.0`` are
fine too). Predicted *scores* are not labels: threshold or argmax them first,
e.g. ``[int(s.data > 0) for s in scores]``.

Precision, recall and F-score can be undefined (no predicted or no true
samples of a class: 0 / 0). ``zero_division`` chooses the value used then:
``"warn"`` (the default) gives 0.0 and emits an ``UndefinedMetricWarning``;
``0`` or ``1`` give that value silently; ``float("nan")`` gives nan, and
averages then skip the undefined classes.

As in ``sklearn.metrics``, the code is in private modules by kind
(``_classification``, ``_report``, ``_regression``) and every name is
imported from here: ``from micrograd_like.metrics import f1_score``.
"""

from micrograd_like.metrics._base import UndefinedMetricWarning
from micrograd_like.metrics._classification import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from micrograd_like.metrics._regression import mean_absolute_error, mean_squared_error, r2_score
from micrograd_like.metrics._report import classification_report

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score",
    "confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "f1_score",
    "fbeta_score",
    "classification_report",
    "mean_squared_error",
    "mean_absolute_error",
    "r2_score",
]

"""``classification_report``: precision, recall, F1 and support per class, as a table."""

from __future__ import annotations

import warnings
from typing import Any, Dict, List, Optional, Sequence, Union

from micrograd_like._validation import _check_int
from micrograd_like.metrics._base import Label, _as_list, _check_targets
from micrograd_like.metrics._classification import _scores


def classification_report(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    target_names: Optional[Sequence[str]] = None,
    sample_weight: Optional[Sequence[float]] = None,
    digits: int = 2,
    output_dict: bool = False,
    zero_division: Union[str, float] = "warn",
) -> Union[str, Dict[str, Any]]:
    """Per-class precision, recall, F1 and support, plus averages, as a text table.

    The same layout as scikit-learn's report. ``output_dict=True`` returns
    the numbers as a dict instead. ``target_names`` names the rows, one per
    label; if ``labels`` is given too and the lengths differ, a
    ``UserWarning`` says so and the rows pair names with labels up to the
    shorter list, as scikit-learn does. ``sample_weight`` weights every
    count (the supports become sums of weights).

    >>> print(classification_report([0, 1, 1, 0], [0, 1, 0, 0]))
                  precision    recall  f1-score   support
    <BLANKLINE>
               0       0.67      1.00      0.80         2
               1       1.00      0.50      0.67         2
    <BLANKLINE>
        accuracy                           0.75         4
       macro avg       0.83      0.75      0.73         4
    weighted avg       0.83      0.75      0.73         4
    <BLANKLINE>
    """
    fn = "classification_report"
    _check_int(digits, "digits", fn, 0)
    y_true, y_pred, present = _check_targets(y_true, y_pred, fn)
    labels_given = labels is not None
    if labels is None:
        labels = present
    else:
        labels = _as_list(labels, "labels", fn)
    if target_names is None:
        target_names = [str(label) for label in labels]
    target_names = _as_names(target_names, fn)
    if len(target_names) != len(labels):
        if not labels_given:
            raise ValueError(
                f"{fn}: target_names has {len(target_names)} names but there are {len(labels)} "
                f"labels ({labels}); give one name per label"
            )
        warnings.warn(
            f"{fn}: labels size, {len(labels)}, does not match size of target_names, "
            f"{len(target_names)}; the rows pair them up to the shorter list",
            UserWarning,
            stacklevel=2,
        )
    # As scikit-learn: a "micro avg" row replaces "accuracy" when the chosen
    # labels are not all the labels present (then the two differ).
    micro_is_accuracy = not labels_given or set(present) <= set(labels)

    headers = ["precision", "recall", "f1-score", "support"]
    p, r, f, s = _scores(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight,
        zero_division=zero_division, fn=fn,
    )
    rows = [(name, [a, b, c, d]) for name, a, b, c, d in zip(target_names, p, r, f, s)]  # type: ignore[arg-type]
    averages = ["macro avg", "weighted avg"]
    averages.insert(0, "accuracy" if micro_is_accuracy else "micro avg")
    avg_rows = []
    for avg_name in averages:
        mode = avg_name.split()[0] if avg_name != "accuracy" else "micro"
        ap, ar, af, _ = _scores(
            y_true, y_pred, labels=labels, average=mode, sample_weight=sample_weight,
            zero_division=zero_division, fn=fn,
        )
        avg_rows.append((avg_name, [ap, ar, af, sum(s)]))  # type: ignore[arg-type]

    if output_dict:
        report: Dict[str, Any] = {name: dict(zip(headers, values)) for name, values in rows}
        for name, values in avg_rows:
            report[name] = values[0] if name == "accuracy" else dict(zip(headers, values))
        return report

    width = max(len("weighted avg"), digits, *(len(name) for name in target_names))
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    text = ("{:>{width}s} " + " {:>9}" * 4).format("", *headers, width=width) + "\n\n"
    for name, values in rows:
        text += row_fmt.format(name, *values, width=width, digits=digits)
    text += "\n"
    for name, values in avg_rows:
        if name == "accuracy":  # only the F1 column (= accuracy) is filled in
            text += ("{:>{width}s} " + " {:>9}" * 2 + " {:>9.{digits}f} {:>9}\n").format(
                name, "", "", values[2], values[3], width=width, digits=digits
            )
        else:
            text += row_fmt.format(name, *values, width=width, digits=digits)
    return text


def _as_names(target_names: Any, fn: str) -> List[str]:
    # A str would be read as one name per character.
    if isinstance(target_names, (str, bytes)) or not hasattr(target_names, "__iter__"):
        raise TypeError(
            f"{fn}: target_names must be a list of names, one per label, got "
            f"{type(target_names).__name__} {target_names!r}; e.g. target_names=['cat', 'dog']"
        )
    return list(_as_list(target_names, "target_names", fn, "names"))

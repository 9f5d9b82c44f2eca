"""``classification_report``: precision, recall, F1 and support per class, as a table."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Union

from micrograd_like._validation import _check_int
from micrograd_like.metrics._base import Label, _as_list, _check_targets
from micrograd_like.metrics._classification import _scores


def classification_report(
    y_true: Sequence[Label],
    y_pred: Sequence[Label],
    *,
    labels: Optional[Sequence[Label]] = None,
    target_names: Optional[Sequence[str]] = None,
    digits: int = 2,
    output_dict: bool = False,
    zero_division: Union[str, float] = "warn",
) -> Union[str, Dict[str, Any]]:
    """Per-class precision, recall, F1 and support, plus averages, as a text table.

    The same layout as scikit-learn's report. ``output_dict=True`` returns
    the numbers as a dict instead.

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
    elif len(target_names) != len(labels):
        raise ValueError(
            f"{fn}: target_names has {len(target_names)} names but there are {len(labels)} labels "
            f"({labels}); give one name per label"
        )
    target_names = list(target_names)
    # As scikit-learn: a "micro avg" row replaces "accuracy" when the chosen
    # labels are not all the labels present (then the two differ).
    micro_is_accuracy = not labels_given or set(present) <= set(labels)

    headers = ["precision", "recall", "f1-score", "support"]
    p, r, f, s = _scores(
        y_true, y_pred, labels=labels, average=None, zero_division=zero_division, fn=fn
    )
    rows = [(name, [a, b, c, d]) for name, a, b, c, d in zip(target_names, p, r, f, s)]  # type: ignore[arg-type]
    averages = ["macro avg", "weighted avg"]
    averages.insert(0, "accuracy" if micro_is_accuracy else "micro avg")
    avg_rows = []
    for avg_name in averages:
        mode = avg_name.split()[0] if avg_name != "accuracy" else "micro"
        ap, ar, af, _ = _scores(
            y_true, y_pred, labels=labels, average=mode, zero_division=zero_division, fn=fn
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

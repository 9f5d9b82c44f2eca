"""Real data: a 64-32-10 network reads handwritten digits (scikit-learn's 8 x 8 digits).

1797 images of 8 x 8 pixels (values 0 to 16), shipped with the package
(``load_digits``). The pixels are scaled to mean 0 and variance 1 with a
``StandardScaler`` fitted on the training part only; a quarter of the images
is held out, stratified by digit. ``MLP(64, [32, 10])`` with ReLU learns them
with softmax cross-entropy and Adam in mini-batches of 32 (``fit``).

    python demos/digits.py                  # about half a minute; pictures go to out/
    python demos/digits.py --epochs 10 --out /tmp/digits

Writes ``digits_confusion.png`` (the test confusion matrix) and
``digits_errors.png`` (the test images it got wrong, "true -> predicted").
"""

from __future__ import annotations

import sys
import time
from typing import Any, Dict, List, Optional

import _cli
import _plots
from micrograd_like.datasets import load_digits
from micrograd_like.losses import cross_entropy
from micrograd_like.metrics import accuracy_score, confusion_matrix
from micrograd_like.model_selection import train_test_split
from micrograd_like.nn import MLP
from micrograd_like.optim import Adam
from micrograd_like.predict import argmax, predict
from micrograd_like.preprocessing import StandardScaler
from micrograd_like.train import fit

DIGITS = [str(d) for d in range(10)]


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    args = _cli.parse(_cli.demo_parser(
        __doc__, seed=0, seed_help="seed for the split, the weights and the batches",
        epochs_help="training epochs (default 30, 8 with --quick)",
        quick_help="fewer epochs (for tests)",
    ), argv)
    epochs = args.epochs or (8 if args.quick else 30)
    draw = _plots.check_available(svg=args.svg)

    digits = load_digits()
    X_train, X_test, y_train, y_test, img_test = _split(digits, args.seed)
    scaler = StandardScaler().fit(X_train)  # learnt on the training images only
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

    model = MLP(64, [32, 10], init="he", seed=args.seed)
    print(model, "with", len(model.parameters()), "parameters;",
          len(X_train), "training and", len(X_test), "test images")
    start = time.perf_counter()
    fit(model, cross_entropy, Adam(model.parameters(), lr=0.005), X_train, y_train,
        epochs=epochs, batch_size=32, metrics={"acc": accuracy_score}, to_label=argmax,
        seed=args.seed, verbose=1, file=sys.stdout)
    seconds = time.perf_counter() - start

    y_pred = [argmax(o) for o in predict(model, X_test)]
    test_acc = accuracy_score(y_test, y_pred)
    cm = confusion_matrix(y_test, y_pred, labels=list(range(10)))
    wrong = [i for i, (t, p) in enumerate(zip(y_test, y_pred)) if t != p]
    print(f"test accuracy {test_acc:.1%} ({len(wrong)} of {len(y_test)} wrong), "
          f"trained in {seconds:.0f} s")

    result: Dict[str, Any] = {"test_accuracy": test_acc, "seconds": seconds,
                              "confusion_matrix": cm, "wrong": len(wrong), "pictures": []}
    if draw:
        shown = wrong[:32]
        result["pictures"] = [
            _plots.confusion(args.out, "digits_confusion.png", cm, DIGITS,
                             title=f"digits: test accuracy {test_acc:.1%}"),
            _plots.digit_grid(args.out, "digits_errors.png", [img_test[i] for i in shown],
                              [f"{y_test[i]} -> {y_pred[i]}" for i in shown],
                              title=(f"all {len(wrong)} test errors" if len(shown) == len(wrong)
                                     else f"{len(shown)} of the {len(wrong)} test errors")
                              + " (true -> predicted)"),
        ]
        print("pictures:", ", ".join(result["pictures"]))
    return result


def _split(digits, seed):
    # A stratified quarter held out; the test images go with their pixels.
    idx_train, idx_test, y_train, y_test = train_test_split(
        list(range(len(digits.data))), digits.target, test_size=0.25,
        stratify=digits.target, seed=seed)
    return ([digits.data[i] for i in idx_train], [digits.data[i] for i in idx_test],
            y_train, y_test, [digits.images[i] for i in idx_test])


if __name__ == "__main__":
    main()

"""Three interleaved spirals: softmax cross-entropy and Adam on a 2-16-16-3 network.

The CS231n classic: three spiral arms, one per class, that no straight line
can separate. The network puts out three scores (logits) per point;
``cross_entropy`` turns them into a loss through a softmax, and the predicted
class is the highest score (``argmax``). A quarter of the points is held out
for validation, and at the end the demo reports per-class precision, recall
and F1 and the confusion matrix on them.

    python demos/spirals.py                # pictures go to out/
    python demos/spirals.py --seed 3 --epochs 150 --out /tmp/spirals

Writes ``spirals_loss.png`` (train and validation loss per epoch),
``spirals_boundary.png`` (the three regions with the points) and
``spirals_confusion.png`` (the validation confusion matrix).
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional

import _cli
import _plots
from micrograd_like.datasets import make_spirals
from micrograd_like.model_selection import train_test_split
from micrograd_like.losses import cross_entropy
from micrograd_like.metrics import accuracy_score, classification_report, confusion_matrix
from micrograd_like.nn import MLP
from micrograd_like.optim import Adam
from micrograd_like.optim.lr_scheduler import CosineAnnealingLR
from micrograd_like.predict import argmax, predict
from micrograd_like.train import fit

CLASS_NAMES = ["arm 0", "arm 1", "arm 2"]


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    args = _cli.parse(_cli.demo_parser(
        __doc__, seed=0, seed_help="seed for the data, the weights and the batches",
        epochs_help="training epochs (default 100, 30 with --quick)",
        quick_help="fewer points and epochs, coarser pictures (for tests)",
    ), argv)
    epochs = args.epochs or (30 if args.quick else 100)
    draw = _plots.check_available(svg=args.svg)

    # 80 points per arm (50 with --quick); noise 0.2 on the angle, as in CS231n
    X, y = make_spirals(150 if args.quick else 240, n_classes=3, noise=0.2, random_state=args.seed)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, stratify=y, random_state=args.seed)

    model = MLP(2, [16, 16, 3], init="he", seed=args.seed)  # ReLU hidden layers, 3 logits out
    print(model, "with", len(model.parameters()), "parameters")
    optimizer = Adam(model.parameters(), lr=0.02)
    history = fit(
        model, cross_entropy, optimizer, X_train, y_train,
        epochs=epochs,
        batch_size=32,
        validation_data=(X_val, y_val),
        metrics={"acc": accuracy_score},
        to_label=argmax,  # the class with the highest score
        scheduler=CosineAnnealingLR(optimizer, T_max=epochs, eta_min=0.001),
        seed=args.seed,
        verbose=1,
        file=sys.stdout,
    )

    y_pred = [argmax(o) for o in predict(model, X_val)]
    train_acc = accuracy_score(y_train, [argmax(o) for o in predict(model, X_train)])
    val_acc = accuracy_score(y_val, y_pred)
    cm = confusion_matrix(y_val, y_pred, labels=[0, 1, 2])
    print(f"\ntraining accuracy {train_acc:.1%}, validation accuracy {val_acc:.1%}\n")
    print("validation set, per class:")
    print(classification_report(y_val, y_pred, labels=[0, 1, 2], target_names=CLASS_NAMES,
                                digits=3, zero_division=0))
    print("confusion matrix (rows: true class, columns: predicted class):")
    for name, row in zip(CLASS_NAMES, cm):
        print(f"  {name}  " + " ".join(f"{c:4d}" for c in row))

    result: Dict[str, Any] = {
        "train_accuracy": train_acc,
        "val_accuracy": val_acc,
        "report": classification_report(y_val, y_pred, labels=[0, 1, 2], target_names=CLASS_NAMES,
                                       output_dict=True, zero_division=0),
        "confusion_matrix": cm,
        "pictures": [],
    }
    if draw:
        result["pictures"] = [
            _plots.loss_curve(args.out, "spirals_loss.png", history["loss"], history["val_loss"],
                              title="spirals: cross-entropy", log=True),
            _plots.decision_boundary(
                args.out, "spirals_boundary.png", lambda pts: predict(model, pts),
                X_train, y_train, X_val=X_val, y_val=y_val, classes=[0, 1, 2],
                class_names=CLASS_NAMES, resolution=40 if args.quick else 100,
                title=f"spirals: train {train_acc:.0%}, validation {val_acc:.0%}",
            ),
            _plots.confusion(args.out, "spirals_confusion.png", cm, CLASS_NAMES,
                             title="spirals: validation confusion matrix"),
        ]
        print("pictures:", ", ".join(result["pictures"]))
    return result


if __name__ == "__main__":
    main()

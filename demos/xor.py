"""XOR from scratch: a 2-4-1 sigmoid network trained with mean squared error.

XOR is the classic problem that no single neuron can solve (its classes are
not linearly separable) but one hidden layer can. The network sees only the
four corners of the truth table; 40 noisy points around the corners serve as
validation data. Training uses ``fit`` with plain SGD plus momentum.

    python demos/xor.py                    # pictures go to out/
    python demos/xor.py --seed 3 --epochs 1000 --out /tmp/xor

Writes ``xor_loss.png`` (train and validation loss per epoch) and
``xor_boundary.png`` (the decision boundary with the points).
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional

import _cli
import _plots
from micrograd_like.datasets import make_xor
from micrograd_like.losses import mse_loss
from micrograd_like.metrics import accuracy_score
from micrograd_like.nn import MLP
from micrograd_like.optim import SGD
from micrograd_like.predict import predict, threshold
from micrograd_like.train import fit


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    args = _cli.parse(_cli.demo_parser(
        __doc__, seed=0, seed_help="seed for the data and the weights",
        epochs_help="training epochs (default 500, 300 with --quick)",
        quick_help="fewer epochs, coarser pictures (for tests)",
    ), argv)
    epochs = args.epochs or (300 if args.quick else 500)
    draw = _plots.check_available(svg=args.svg)

    X, y = make_xor()  # the truth table: [[0, 0], [0, 1], [1, 0], [1, 1]] -> [0, 1, 1, 0]
    X_val, y_val = make_xor(40, noise=0.1, random_state=args.seed)  # noisy copies of the corners

    # 2 inputs -> 4 sigmoid neurons -> 1 sigmoid output: a probability of class 1
    model = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=args.seed)
    print(model, "with", len(model.parameters()), "parameters")
    optimizer = SGD(model.parameters(), lr=1.0, momentum=0.9)
    history = fit(
        model, mse_loss, optimizer, X, y,
        epochs=epochs,
        validation_data=(X_val, y_val),
        metrics={"acc": accuracy_score},
        to_label=threshold(0.5),  # probability > 0.5 -> class 1
        verbose=1,
        file=sys.stdout,  # progress and results in one stream, in order
    )

    outputs = predict(model, X)
    print("\n x1  x2   target  output")
    for (a, b), t, o in zip(X, y, outputs):
        print(f" {a:.0f}   {b:.0f}   {t}       {o:.3f}")
    final_loss = sum((o - t) ** 2 for o, t in zip(outputs, y)) / len(y)  # MSE after the last step
    correct = sum(int(o > 0.5) == t for o, t in zip(outputs, y))
    print(f"loss {final_loss:.5f}, {correct}/4 outputs correct, "
          f"validation accuracy {history['val_acc'][-1]:.1%}")

    result: Dict[str, Any] = {
        "loss": final_loss,
        "outputs": outputs,
        "correct": correct,
        "val_accuracy": history["val_acc"][-1],
        "pictures": [],
    }
    if draw:
        result["pictures"] = [
            _plots.loss_curve(args.out, "xor_loss.png", history["loss"], history["val_loss"],
                              title="XOR: mean squared error", log=True),
            _plots.decision_boundary(
                args.out, "xor_boundary.png", lambda pts: predict(model, pts),
                X, y, X_val=X_val, y_val=y_val, classes=[0, 1],
                class_names=["0", "1"], threshold=0.5,
                resolution=40 if args.quick else 100, point_size=90,
                title="XOR: where the network says 1",
            ),
        ]
        print("pictures:", ", ".join(result["pictures"]))
    return result


if __name__ == "__main__":
    main()

"""micrograd's demo: a 2-16-16-1 ReLU network separates two moons.

The same set-up as karpathy's micrograd ``demo.ipynb``: 100 points of
``make_moons`` (noise 0.1) with labels -1/+1, ``MLP(2, [16, 16, 1])``, the
SVM "max-margin" hinge loss plus 1e-4 times the L2 penalty, and 100 steps of
full-batch gradient descent with the learning rate falling from 1.0 to 0.1.
The loop is written out by hand, as in micrograd. On top of that it scores
50 held-out points, which the network never trains on.

    python demos/moons.py                  # pictures go to out/
    python demos/moons.py --seed 3 --out /tmp/moons

Writes ``moons_loss.png`` (train and validation loss per step) and
``moons_boundary.png`` (the decision boundary with the points), and two
pages to open in a browser: ``moons_replay.html`` (watch the network learn:
loss, boundary and weights, step by step, with a slider) and
``moons_backprop.html`` (backward() through one point's loss, one neuron at
a time).
"""

from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Optional

import _cli
import _plots
from micrograd_like.datasets import make_moons
from micrograd_like.explorer import explore
from micrograd_like.model_selection import train_test_split
from micrograd_like.losses import hinge_loss, l2_penalty
from micrograd_like.metrics import accuracy_score
from micrograd_like.nn import MLP
from micrograd_like.optim import SGD
from micrograd_like.optim.lr_scheduler import LambdaLR
from micrograd_like.predict import evaluate, predict, sign
from micrograd_like.replay import Replay


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    args = _cli.parse(_cli.demo_parser(
        __doc__, seed=1337, seed_help="seed for the data and the weights",
        epochs=100, epochs_help="number of full-batch steps",
        quick_help="coarser pictures (for tests)",
    ), argv)
    draw = _plots.check_available(svg=args.svg)

    # 150 points: micrograd's 100 for training, 50 held out for validation.
    X, y = make_moons(150, noise=0.1, random_state=args.seed)
    y = [2 * t - 1 for t in y]  # labels -1 / +1, as the hinge loss wants
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=50, stratify=y, random_state=args.seed)

    model = MLP(2, [16, 16, 1], seed=args.seed)  # 337 parameters
    print(model, "with", len(model.parameters()), "parameters")
    optimizer = SGD(model.parameters(), lr=1.0)
    # micrograd's schedule: lr = 1.0 - 0.9 * k / 100 at step k
    scheduler = LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / args.epochs)
    alpha = 1e-4  # strength of the L2 penalty

    # Snapshots of the run for the replay page: weights, loss and the
    # decision boundary on a grid (coarser with --quick, to keep tests fast).
    replay = Replay(model, X_train, y_train, loss_fn=hinge_loss, every=10,
                    grid_size=12 if args.quick else 30, live=False)

    train_losses, val_losses = [], []
    start = time.perf_counter()
    for k in range(args.epochs):
        # forward: a score for every training point
        scores = [model(x) for x in X_train]
        data_loss = hinge_loss(scores, y_train)  # mean(relu(1 - y * score))
        loss = data_loss + alpha * l2_penalty(model.parameters())
        accuracy = accuracy_score(y_train, [sign(s.data) for s in scores])
        replay.record(k, loss=data_loss.data, logs={"acc": accuracy})  # before this step's update

        # backward and update
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()

        # how are we doing on points the model never trains on?
        val = evaluate(model, hinge_loss, X_val, y_val, metrics={"acc": accuracy_score}, to_label=sign)
        train_losses.append(data_loss.data)
        val_losses.append(val["loss"])
        if k % 10 == 0 or k == args.epochs - 1:
            print(
                f"step {k:3d}  loss {loss.data:.4f}  accuracy {accuracy:6.1%}  "
                f"val_loss {val['loss']:.4f}  val_accuracy {val['acc']:6.1%}  "
                f"({time.perf_counter() - start:.1f}s)"
            )

    # final scores, with the weights after the last step
    acc = {"acc": accuracy_score}
    train = evaluate(model, hinge_loss, X_train, y_train, metrics=acc, to_label=sign)
    val = evaluate(model, hinge_loss, X_val, y_val, metrics=acc, to_label=sign)
    print(f"training accuracy {train['acc']:.1%}, validation accuracy {val['acc']:.1%}")

    result: Dict[str, Any] = {
        "train_accuracy": train["acc"],
        "val_accuracy": val["acc"],
        "train_loss": train["loss"],
        "val_loss": val["loss"],
        "pictures": [],
    }
    if draw:
        result["pictures"] = [
            _plots.loss_curve(args.out, "moons_loss.png", train_losses, val_losses,
                              title="moons: hinge loss", xlabel="step"),
            _plots.decision_boundary(
                args.out, "moons_boundary.png", lambda pts: predict(model, pts),
                X_train, y_train, X_val=X_val, y_val=y_val, classes=[-1, 1],
                class_names=["class -1", "class +1"], threshold=0.0,
                resolution=40 if args.quick else 100,
                title=f"moons: train {train['acc']:.0%}, validation {val['acc']:.0%}",
            ),
        ]
        print("pictures:", ", ".join(result["pictures"]))
    replay.record(args.epochs, loss=train["loss"], logs={"acc": train["acc"]})  # the end
    # One training point's loss, as a graph to step through (a neuron a step).
    point = hinge_loss([model(X_train[0])], [y_train[0]])
    result["pages"] = [
        replay.write_html(os.path.join(args.out, "moons_replay.html")),
        explore(point, os.path.join(args.out, "moons_backprop.html"), collapse=True).path,
    ]
    print("pages (open in a browser):", ", ".join(result["pages"]))
    return result


if __name__ == "__main__":
    main()

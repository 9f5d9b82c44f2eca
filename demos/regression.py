"""Regression: a 1-16-16-1 tanh network fits a noisy sine wave.

150 points of ``y = sin(x) + noise`` (noise 0.1) for x in [-pi, pi]; 100
train the network, 50 are held out. ``fit`` runs Adam on mini-batches of 16
with a cosine learning-rate schedule, and early stopping that keeps the
weights of the epoch with the lowest validation loss. The score is R^2 on
the held-out points: 1 is perfect, and with noise 0.1 about 0.98 is the best
any model can do.

    python demos/regression.py             # pictures go to out/
    python demos/regression.py --seed 3 --epochs 300 --out /tmp/regression

Writes ``regression_loss.png`` (train and validation loss per epoch) and
``regression_fit.png`` (the data and the fitted curve).
"""

from __future__ import annotations

import math
import sys
from typing import Any, Dict, List, Optional

import _cli
import _plots
from micrograd_like.datasets import make_sine
from micrograd_like.model_selection import train_test_split
from micrograd_like.losses import mse_loss
from micrograd_like.metrics import r2_score
from micrograd_like.nn import MLP
from micrograd_like.optim import Adam
from micrograd_like.optim.lr_scheduler import CosineAnnealingLR
from micrograd_like.predict import evaluate, predict
from micrograd_like.train import fit


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    args = _cli.parse(_cli.demo_parser(
        __doc__, seed=0, seed_help="seed for the data, the weights and the batches",
        epochs_help="most epochs to train (default 150, 40 with --quick)",
        quick_help="fewer epochs (for tests)",
    ), argv)
    epochs = args.epochs or (40 if args.quick else 150)
    draw = _plots.check_available(svg=args.svg)

    X, y = make_sine(150, noise=0.1, random_state=args.seed)  # X = [[x], ...], y = [sin(x) + noise, ...]
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=50, random_state=args.seed)

    model = MLP(1, [16, 16, 1], activation="tanh", init="xavier", seed=args.seed)
    print(model, "with", len(model.parameters()), "parameters")
    optimizer = Adam(model.parameters(), lr=0.01)
    scheduler = CosineAnnealingLR(optimizer, T_max=epochs, eta_min=0.0005)
    history = fit(
        model, mse_loss, optimizer, X_train, y_train,
        epochs=epochs,
        batch_size=16,
        validation_data=(X_val, y_val),
        metrics={"r2": r2_score},  # regression: metrics see the raw outputs
        scheduler=scheduler,
        patience=25,  # stop when val_loss has not improved for 25 epochs
        seed=args.seed,
        verbose=1,
        file=sys.stdout,
    )

    # the model now holds the weights of the best epoch
    train = evaluate(model, mse_loss, X_train, y_train, metrics={"r2": r2_score})
    val = evaluate(model, mse_loss, X_val, y_val, metrics={"r2": r2_score})
    print(f"best epoch {history.best_epoch}: train R^2 {train['r2']:.4f}, "
          f"validation R^2 {val['r2']:.4f} (validation MSE {val['loss']:.4f})")

    result: Dict[str, Any] = {
        "train_r2": train["r2"],
        "val_r2": val["r2"],
        "val_loss": val["loss"],
        "best_epoch": history.best_epoch,
        "pictures": [],
    }
    if draw:
        result["pictures"] = [
            _plots.loss_curve(args.out, "regression_loss.png", history["loss"], history["val_loss"],
                              title="sine: mean squared error", log=True, best=history.best_epoch),
            _plots.regression_fit(
                args.out, "regression_fit.png", lambda pts: predict(model, pts),
                X_train, y_train, X_val=X_val, y_val=y_val, truth=math.sin,
                title=f"sine: validation R\u00b2 = {val['r2']:.3f}",
            ),
        ]
        print("pictures:", ", ".join(result["pictures"]))
    return result


if __name__ == "__main__":
    main()

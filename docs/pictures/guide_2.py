"""Pictures for guide pages 7-12: batches, overfitting, scaling, evaluation, XOR, moons.

Each picture trains the same model, on the same data, with the same seeds
as the code on its page, so the picture and the page's printed numbers tell
one story. Plots are matplotlib (saved by ``_common.save_figure``, PNG at
150 dpi); the XOR network is drawn by the library's ``draw_model``.

    python docs/make_pictures.py      # writes these with every other picture
"""

from __future__ import annotations

import os
import random

from _common import plt, save_figure
from matplotlib.colors import LinearSegmentedColormap

from micrograd_like.datasets import load_breast_cancer, make_moons, make_sine, make_xor
from micrograd_like.draw import draw_model, render
from micrograd_like.losses import binary_cross_entropy_with_logits, hinge_loss, mse_loss
from micrograd_like.metrics import confusion_matrix
from micrograd_like.model_selection import train_test_split
from micrograd_like.nn import MLP, Neuron
from micrograd_like.optim import SGD, Adam
from micrograd_like.optim.lr_scheduler import LambdaLR
from micrograd_like.predict import evaluate, predict
from micrograd_like.preprocessing import StandardScaler
from micrograd_like.train import batches, fit

PICTURES = [
    "guide/p7_batch_sizes.png",
    "guide/p8_overfitting.png",
    "guide/p8_fits.png",
    "guide/p9_scaling.png",
    "guide/p10_confusion.png",
    "guide/p11_xor_boundary.png",
    "guide/p11_xor_model.svg",
    "guide/p12_moons_boundary.png",
]

# The demos' colours (demos/_plots.py, Okabe-Ito): blue, orange, green.
COLORS = ["#0072B2", "#E69F00", "#009E73"]
LIGHT = ["#BFDCEF", "#F9E3B3", "#BFE6DA"]


def _axes(ax, xlabel, ylabel, title):
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# -- page 7: one epoch, many steps ---------------------------------------------


def batch_sizes(path):
    """Loss of every step's batch, and of the whole set after each epoch, for 3 batch sizes."""
    X, y = make_moons(40, noise=0.1, random_state=0)
    fig, axes = plt.subplots(1, 3, figsize=(7.5, 3.0), sharey=True)
    for ax, batch_size, color in zip(axes, (1, 8, 40), COLORS):
        model = MLP(2, [8, 1], seed=0)
        optimizer = SGD(model.parameters(), lr=0.1)
        rng = random.Random(0)  # what fit(..., seed=0) shuffles with
        at, step_losses, epoch_losses = [], [], [evaluate(model, mse_loss, X, y)["loss"]]
        for epoch in range(20):
            steps = list(batches(X, y, batch_size, seed=rng))
            for i, (xb, yb) in enumerate(steps):
                loss = mse_loss([model(x) for x in xb], yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                at.append(epoch + (i + 1) / len(steps))  # x axis in epochs: equal work
                step_losses.append(loss.data)
            epoch_losses.append(evaluate(model, mse_loss, X, y)["loss"])
        ax.plot(at, step_losses, color=color, lw=0.7, alpha=0.6, label="each step's batch")
        ax.plot(range(21), epoch_losses, color="0.15", lw=1.6, label="whole training set")
        _axes(ax, "epoch", "MSE" if batch_size == 1 else "",
              f"batch_size={batch_size}\n{len(steps)} step{'s' if len(steps) > 1 else ''} an epoch")
        ax.set_ylim(0, 0.8)
    axes[0].legend(frameon=False, fontsize=8, loc="upper right")
    save_figure(fig, path)


# -- page 8: overfitting and the L2 penalty ------------------------------------


def _sine_runs():
    """Page 8's two runs: the same 16-16 tanh net, without and with the L2 penalty."""
    X_train, y_train = make_sine(10, noise=0.3, random_state=0)
    X_val, y_val = make_sine(60, noise=0.3, random_state=1)
    runs = []
    for l2 in (0.0, 0.01):
        model = MLP(1, [16, 16, 1], activation="tanh", seed=0)
        history = fit(model, mse_loss, Adam(model.parameters(), lr=0.03), X_train, y_train,
                      epochs=150, validation_data=(X_val, y_val), l2=l2, verbose=0)
        runs.append((l2, model, history))
    return X_train, y_train, X_val, y_val, runs


def overfitting(curves_path, fits_path):
    X_train, y_train, X_val, y_val, runs = _sine_runs()
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.0), sharey=True)
    for ax, (l2, _, history) in zip(axes, runs):
        ax.plot(history.epoch, history["loss"], color=COLORS[0], lw=1.6, label="train")
        ax.plot(history.epoch, history["val_loss"], color=COLORS[1], lw=1.6, label="validation")
        _axes(ax, "epoch", "MSE" if l2 == 0 else "", "no penalty" if l2 == 0 else f"l2={l2}")
        ax.set_yscale("log")
    axes[0].legend(frameon=False, fontsize=8)
    save_figure(fig, curves_path)

    fig, ax = plt.subplots(figsize=(6.0, 3.5))
    ax.scatter([x[0] for x in X_val], y_val, s=14, marker="^", facecolors="none",
               edgecolors="0.55", linewidths=0.9, label="validation points")
    ax.scatter([x[0] for x in X_train], y_train, s=30, color="0.1", zorder=3, label="training points")
    grid = [-3.2 + 6.4 * i / 199 for i in range(200)]
    for (l2, model, _), color in zip(runs, COLORS[1:]):
        ax.plot(grid, predict(model, [[g] for g in grid]), color=color, lw=2,
                label="no penalty" if l2 == 0 else f"l2={l2}")
    _axes(ax, "x", "y", "sin(x) + noise: 10 training points, a 1-16-16-1 network")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save_figure(fig, fits_path)


# -- page 9: standardising the features ----------------------------------------


def _cancer_two_features(columns):
    data = load_breast_cancer()
    return [[row[c] for c in columns] for row in data.data], list(data.target)


def scaling(path):
    """Loss per epoch of one logistic neuron on raw and on standardised features."""
    X, y = _cancer_two_features([0, 3])  # mean radius, mean area
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    runs = [("raw, lr=1e-4", X_train, 1e-4, COLORS[1]),
            ("raw, lr=1e-6", X_train, 1e-6, "0.5"),
            ("standardised, lr=1.0", scaler.transform(X_train), 1.0, COLORS[0])]
    fig, ax = plt.subplots(figsize=(6.0, 3.5))
    for label, X_fit, lr, color in runs:
        model = MLP(2, [1], seed=0)
        history = fit(model, binary_cross_entropy_with_logits, SGD(model.parameters(), lr=lr),
                      X_fit, y_train, epochs=30, verbose=0)
        ax.plot(history.epoch, history["loss"], color=color, lw=1.8, label=label)
    ax.set_yscale("log")
    _axes(ax, "epoch", "binary cross-entropy", "the same neuron, the same data, two scales")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save_figure(fig, path)


# -- page 10: the confusion matrix ---------------------------------------------


def confusion(path):
    """The confusion matrix of page 10's chosen model on its validation set."""
    X, y = _cancer_two_features([0, 1])  # mean radius, mean texture
    X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25,
                                                      stratify=y_rest, random_state=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    model = MLP(2, [4, 1], seed=0)
    fit(model, binary_cross_entropy_with_logits, SGD(model.parameters(), lr=1.0),
        X_train, y_train, epochs=30, verbose=0)
    y_pred = [1 if o > 0 else 0 for o in predict(model, X_val)]
    cm = confusion_matrix(y_val, y_pred)
    names = ["malignant (0)", "benign (1)"]
    fig, ax = plt.subplots(figsize=(3.8, 3.4))
    ax.imshow(cm, cmap="Blues", vmin=0)
    top = max(max(row) for row in cm)
    for i in range(2):
        for j in range(2):
            ax.text(j, i, str(cm[i][j]), ha="center", va="center", fontsize=13,
                    color="white" if cm[i][j] > top / 2 else "black")
    ax.set_xticks(range(2))
    ax.set_yticks(range(2))
    ax.set_xticklabels(names)
    ax.set_yticklabels(names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("validation set: rows are the truth", fontsize=10)
    save_figure(fig, path)


# -- pages 11 and 12: decision boundaries --------------------------------------


def _boundary(ax, model, X, y, classes, threshold, title, resolution=80, X_val=None, y_val=None,
              shade=False):
    """Colour the plane by the side of ``threshold`` the model's output falls on.

    With ``shade`` the colour follows the output itself, from 0 (class 0's
    colour) to 1 (class 1's), so a model that says 0.5 everywhere shows as
    one even tint.
    """
    points = list(X) + list(X_val or [])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad_x, pad_y = 0.25 * (max(xs) - min(xs)), 0.25 * (max(ys) - min(ys))
    gx = [min(xs) - pad_x + (max(xs) - min(xs) + 2 * pad_x) * i / (resolution - 1) for i in range(resolution)]
    gy = [min(ys) - pad_y + (max(ys) - min(ys) + 2 * pad_y) * j / (resolution - 1) for j in range(resolution)]
    out = predict(model, [[a, b] for b in gy for a in gx])  # row by row: y outer, x inner
    Z = [out[j * resolution:(j + 1) * resolution] for j in range(resolution)]
    lo, hi = min(min(r) for r in Z), max(max(r) for r in Z)
    levels = [min(lo, threshold) - 1.0, threshold, max(hi, threshold) + 1.0]
    if shade:
        tint = LinearSegmentedColormap.from_list("tint", [LIGHT[0], "white", LIGHT[1]])
        ax.contourf(gx, gy, Z, levels=[i / 20 for i in range(21)], cmap=tint, vmin=0.0, vmax=1.0)
    else:
        ax.contourf(gx, gy, Z, levels=levels, colors=LIGHT[:2])
    if hi - lo > 0.05:  # a model that says the same everywhere has no boundary worth drawing
        ax.contour(gx, gy, Z, levels=[threshold], colors="0.35", linewidths=1.0)
    for c, label in enumerate(classes):
        pts = [p for p, t in zip(X, y) if t == label]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=60 if len(X) < 10 else 18,
                   color=COLORS[c], edgecolors="white", linewidths=0.6, zorder=3,
                   label=f"class {label} (train)")
        if X_val is not None:
            pts = [p for p, t in zip(X_val, y_val) if t == label]
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=24, marker="^", facecolors="none",
                       edgecolors=COLORS[c], linewidths=1.1, zorder=3, label=f"class {label} (validation)")
    ax.set_xlim(gx[0], gx[-1])
    ax.set_ylim(gy[0], gy[-1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title, fontsize=10)


def xor(boundary_path, model_path):
    """One sigmoid neuron and a 2-4-1 network, trained on XOR as on page 11."""
    X, y = make_xor()
    neuron = Neuron(2, activation="sigmoid", seed=0)
    fit(neuron, mse_loss, SGD(neuron.parameters(), lr=1.0, momentum=0.9), X, y, epochs=500, verbose=0)
    model = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    fit(model, mse_loss, SGD(model.parameters(), lr=1.0, momentum=0.9), X, y, epochs=500, verbose=0)
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.6))
    _boundary(axes[0], neuron, X, y, [0, 1], 0.5, "one neuron: 0.5 everywhere", shade=True)
    _boundary(axes[1], model, X, y, [0, 1], 0.5, "2-4-1 network: 0 blue, 1 orange", shade=True)
    axes[1].legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    save_figure(fig, boundary_path)
    render(draw_model(model, input_names=["x1", "x2"], output_names=["p(1)"]), model_path)


def moons(path):
    """Page 12's classifier: micrograd's moons set-up, trained with fit."""
    X, y = make_moons(150, noise=0.1, random_state=1337)
    y = [2 * t - 1 for t in y]
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=50, stratify=y, random_state=1337)
    model = MLP(2, [16, 16, 1], seed=1337)
    optimizer = SGD(model.parameters(), lr=1.0)
    scheduler = LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / 100)
    fit(model, hinge_loss, optimizer, X_train, y_train, epochs=100, l2=1e-4, scheduler=scheduler, verbose=0)
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    _boundary(ax, model, X_train, y_train, [-1, 1], 0.0, "moons: the model's answer everywhere",
              resolution=60, X_val=X_val, y_val=y_val)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    save_figure(fig, path)


def make(out_dir):
    """Write every picture in PICTURES under ``out_dir``."""
    os.makedirs(os.path.join(out_dir, "guide"), exist_ok=True)
    at = {name: os.path.join(out_dir, name) for name in PICTURES}
    batch_sizes(at["guide/p7_batch_sizes.png"])
    overfitting(at["guide/p8_overfitting.png"], at["guide/p8_fits.png"])
    scaling(at["guide/p9_scaling.png"])
    confusion(at["guide/p10_confusion.png"])
    xor(at["guide/p11_xor_boundary.png"], at["guide/p11_xor_model.svg"])
    moons(at["guide/p12_moons_boundary.png"])

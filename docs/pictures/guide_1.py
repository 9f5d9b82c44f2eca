"""Pictures for guide pages 1-6: neurons, activations, forward pass, loss, chain rule, descent.

Each picture is made by the library itself (draw_dot, draw_model, Values and
backward()) from the same numbers the page's own code uses, so what a page
says about a picture is what its code prints. Graphs are SVG from
micrograd_like.draw; plots are matplotlib PNGs saved by _common.save_figure.
Every random number comes from a fixed seed: the same run gives the same bytes.
"""

from __future__ import annotations

import os
import random

from _common import lecture_neuron, plt, save_figure

from micrograd_like import Value
from micrograd_like.draw import draw_dot, draw_model, render
from micrograd_like.losses import binary_cross_entropy, mse_loss
from micrograd_like.nn import MLP, Layer

PICTURES = [
    "guide/p1_neuron.svg",
    "guide/p1_init_spread.png",
    "guide/p2_activations.png",
    "guide/p3_mlp.svg",
    "guide/p3_forward.svg",
    "guide/p4_loss_graph.svg",
    "guide/p4_losses.png",
    "guide/p5_before.svg",
    "guide/p5_after.svg",
    "guide/p6_learning_rates.png",
]

# Okabe-Ito colours, as in demos/_plots.py: colour-blind safe.
BLUE, ORANGE, GREEN, RED = "#0072B2", "#E69F00", "#009E73", "#D55E00"
FIGSIZE = (6.0, 3.5)


def _axes_style(ax) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(True, alpha=0.3)


# --- page 1: a neuron, and what init does ----------------------------------------------


def init_outputs():
    """Outputs of a tanh Layer(50, 50) on 40 random inputs, for each init (page 1)."""
    rng = random.Random(0)
    X = [[rng.gauss(0, 1) for _ in range(50)] for _ in range(40)]
    outs = {}
    for init in ("uniform", "xavier", "he"):
        layer = Layer(50, 50, activation="tanh", init=init, seed=0)
        outs[init] = [o.data for x in X for o in layer(x)]
    return outs


def plot_init_spread(path: str) -> None:
    outs = init_outputs()
    fig, axes = plt.subplots(1, 3, figsize=(7.5, 2.8), sharey=True)
    bins = [-1 + 2 * i / 40 for i in range(41)]
    for ax, (init, values), colour in zip(axes, outs.items(), (RED, BLUE, GREEN)):
        ax.hist(values, bins=bins, color=colour)
        saturated = sum(abs(v) > 0.99 for v in values) / len(values)
        ax.set_title(f'init="{init}"\n{saturated:.0%} of outputs at |o| > 0.99', fontsize=9)
        ax.set_xlabel("neuron output o = tanh(z)")
        _axes_style(ax)
    axes[0].set_ylabel("count (40 inputs x 50 neurons)")
    save_figure(fig, path)


# --- page 2: activations and their derivatives, by backward() -------------------------


def activation_curves():
    """(x, f(x), f'(x)) for each activation; f' is x.grad after backward()."""
    xs = [-4 + 8 * i / 160 for i in range(161)]
    curves = {}
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        ys, ds = [], []
        for x in xs:
            v = Value(x)
            # a slope of 0.1 (not the default 0.01) so the picture shows it
            out = v.leaky_relu(0.1) if name == "leaky_relu" else getattr(v, name)()
            out.backward()
            ys.append(out.data)
            ds.append(v.grad)
        curves[name] = (xs, ys, ds)
    return curves


def plot_activations(path: str) -> None:
    fig, axes = plt.subplots(1, 4, figsize=(9.0, 2.6), sharex=True)
    titles = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU",
              "leaky_relu": "leaky ReLU (slope 0.1)"}
    for ax, (name, (xs, ys, ds)) in zip(axes, activation_curves().items()):
        ax.plot(xs, ys, color=BLUE, lw=1.8, label="f(x)")
        ax.plot(xs, ds, color=ORANGE, lw=1.8, ls="--", label="x.grad")
        ax.set_title(titles[name], fontsize=10)
        ax.set_xlabel("x")
        _axes_style(ax)
    axes[0].legend(frameon=False, fontsize=8, loc="upper left")
    save_figure(fig, path)


# --- page 3: a network and its forward pass --------------------------------------------


def small_mlp():
    """MLP(2, [3, 1], tanh hidden layer), seed 0 (page 3)."""
    return MLP(2, [3, 1], activation="tanh", seed=0)


def forward_graph():
    """MLP(2, [2, 1]) on x = [1, -2], layer by layer, every Value labelled (page 3)."""
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    label_parameters(model)
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    h = model.layers[0](x)  # the hidden layer: a list of 2 Values
    h[0].label, h[1].label = "h1", "h2"
    y = model.layers[1](h)  # the output layer: one Value
    y.label = "y"
    return y, model


def label_parameters(model) -> None:
    """Short labels for a 2-layer MLP's weights: h1_w1 ... for hidden neurons, y_w1 ... for the output."""
    hidden, output = model.layers
    for j, neuron in enumerate(hidden.neurons, 1):
        for k, w in enumerate(neuron.w, 1):
            w.label = f"h{j}_w{k}"
        neuron.b.label = f"h{j}_b"
    for k, w in enumerate(output.neurons[0].w, 1):
        w.label = f"y_w{k}"
    output.neurons[0].b.label = "y_b"


# --- page 4: a tiny loss ---------------------------------------------------------------


def tiny_loss():
    """mse_loss of the line w*x + b on two points, after backward() (page 4)."""
    w, b = Value(0.5, label="w"), Value(0.1, label="b")
    preds = [w * x + b for x in [1.0, 2.0]]
    preds[0].label, preds[1].label = "p1", "p2"
    loss = mse_loss(preds, [1.0, 3.0])
    loss.label = "loss"
    loss.backward()
    return loss, [w, b]


def plot_losses(path: str) -> None:
    """Loss and its gradient against the prediction, target 1: MSE and BCE (page 4)."""
    ps = [0.02 + 0.96 * i / 96 for i in range(97)]
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 2.8))
    for ax, (name, loss_fn) in zip(axes, (("mse_loss", mse_loss),
                                          ("binary_cross_entropy", binary_cross_entropy))):
        losses, grads = [], []
        for p in ps:
            v = Value(p)
            loss = loss_fn([v], [1.0])
            loss.backward()
            losses.append(loss.data)
            grads.append(v.grad)
        ax.plot(ps, losses, color=BLUE, lw=1.8, label="loss")
        ax.plot(ps, grads, color=ORANGE, lw=1.8, ls="--", label="p.grad")
        ax.set_title(f"{name}, target 1", fontsize=10)
        ax.set_xlabel("prediction p")
        _axes_style(ax)
    axes[0].legend(frameon=False, fontsize=8)
    axes[1].set_ylim(-10, 4)
    save_figure(fig, path)


# --- page 5: the chain rule ------------------------------------------------------------


def lecture_expression():
    """The lecture's f = (a*b) * (a+b): a and b are each used twice (page 5)."""
    a, b = Value(-2.0, label="a"), Value(3.0, label="b")
    d = a * b
    d.label = "d"
    e = a + b
    e.label = "e"
    f = d * e
    f.label = "f"
    return f


# --- page 6: gradient descent and the learning rate ------------------------------------

XS, YS = [-1.0, 0.0, 1.0, 2.0], [-1.0, 1.0, 3.0, 5.0]  # y = 2x + 1
LEARNING_RATES = (0.02, 0.3, 0.6)


def descend(lr: float, steps: int = 30):
    """Fit w*x + b to (XS, YS) by plain gradient descent from w = b = 0; the losses."""
    w, b = Value(0.0), Value(0.0)
    losses = []
    for _ in range(steps):
        loss = mse_loss([w * x + b for x in XS], YS)
        losses.append(loss.data)
        w.grad = b.grad = 0.0
        loss.backward()
        for p in (w, b):
            p.data -= lr * p.grad
    return losses


def plot_learning_rates(path: str) -> None:
    fig, ax = plt.subplots(figsize=FIGSIZE)
    labels = {0.02: "too small", 0.3: "good", 0.6: "too large: diverges"}
    for lr, colour in zip(LEARNING_RATES, (ORANGE, GREEN, RED)):
        ax.plot(range(30), descend(lr), color=colour, lw=1.8, marker=".",
                label=f"lr = {lr} ({labels[lr]})")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (MSE, log scale)")
    _axes_style(ax)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    save_figure(fig, path)


# --- all of them -----------------------------------------------------------------------


def make(out_dir: str) -> None:
    """Write every picture in PICTURES under out_dir."""
    os.makedirs(os.path.join(out_dir, "guide"), exist_ok=True)

    def at(name: str) -> str:
        return os.path.join(out_dir, "guide", name)

    o, params = lecture_neuron()
    render(draw_dot(o, params=params, show_grad=False), at("p1_neuron.svg"))
    plot_init_spread(at("p1_init_spread.png"))
    plot_activations(at("p2_activations.png"))
    render(draw_model(small_mlp(), input_names=["x1", "x2"], show_weights=True),
           at("p3_mlp.svg"))
    y, model = forward_graph()
    render(draw_dot(y, params=model.parameters(), show_grad=False), at("p3_forward.svg"))
    loss, params = tiny_loss()
    render(draw_dot(loss, params=params), at("p4_loss_graph.svg"))
    plot_losses(at("p4_losses.png"))
    f = lecture_expression()
    render(draw_dot(f), at("p5_before.svg"))
    f.backward()
    render(draw_dot(f), at("p5_after.svg"))
    plot_learning_rates(at("p6_learning_rates.png"))

"""The lecture, step by step: one neuron, backprop by hand, explain(), and the explorer page.

karpathy's "The spelled-out intro to neural networks and backpropagation"
builds one neuron, o = tanh(x1*w1 + x2*w2 + b), and backpropagates through
it by hand, node by node. This demo does the same with micrograd_like:

1. the forward pass, with the lecture's numbers (o = 0.7071);
2. backprop by hand: ``o.grad = 1.0``, then ``_backward()`` on each node;
3. the same with ``backward()``, which must agree;
4. ``explain(o, x1)``: the chain rule written out with these numbers;
5. ``explore(o, ...)``: a page that steps through backward() node by node;
6. micrograd's ``Neuron(2)`` graph (``fused=False``) against the fused one.

    python demos/lecture.py                 # pages and pictures go to out/
    python demos/lecture.py --out /tmp/lecture

Writes ``lecture_backprop.html`` (open it in a browser: -> steps forward)
and, where Graphviz is available, ``lecture_neuron.svg``.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

import _cli
from micrograd_like import Value
from micrograd_like.draw import RendererNotFoundError, draw_dot, render
from micrograd_like.engine import topological_order
from micrograd_like.chain_rule import explain
from micrograd_like.explorer import explore
from micrograd_like.nn import Neuron


def lecture_neuron() -> Dict[str, Value]:
    """The lecture's neuron, with its labels: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")  # chosen so that o comes out at 0.7071
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b; n.label = "n"
    o = n.tanh(); o.label = "o"
    return {v.label: v for v in (x1, x2, w1, w2, b, x1w1, x2w2, x1w1x2w2, n, o)}


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    args = _cli.parse(_cli.demo_parser(
        __doc__, seed=1337, seed_help="seed for micrograd's Neuron(2) at the end",
        epochs_help="(not used: the lecture trains nothing)",
        quick_help="(no effect: the demo is quick)",
    ), argv)
    os.makedirs(args.out, exist_ok=True)

    print("1. forward pass")
    v = lecture_neuron()
    o = v["o"]
    print(f"   n = x1*w1 + x2*w2 + b = {v['n'].data:.4f},  o = tanh(n) = {o.data:.4f}")

    print("2. backprop by hand, as in the video")
    o.grad = 1.0  # do/do = 1: the seed
    for name in ("o", "n", "x1*w1 + x2*w2", "x2*w2", "x1*w1"):
        v[name]._backward()  # adds to its inputs' grads from its own grad
        inputs = ", ".join(f"{p.label}.grad = {p.grad:.4f}" for p in v[name]._prev)
        print(f"   {name}._backward()  ->  {inputs}")
    by_hand = {name: value.grad for name, value in v.items()}

    print("3. the same with backward()")
    again = lecture_neuron()
    again["o"].backward()
    automatic = {name: value.grad for name, value in again.items()}
    agree = by_hand == automatic
    print(f"   backward() gives the same gradients: {agree}")

    print("4. explain(o, x1): the chain rule with these numbers")
    explanation = explain(again["o"], again["x1"])
    print("   " + str(explanation).replace("\n", "\n   "))

    print("5. the explorer page")
    page = explore(again["o"], os.path.join(args.out, "lecture_backprop.html"), forward=True)
    print(f"   wrote {page.path}: open it and press -> to step through backward()")

    print("6. micrograd's Neuron(2), node for node, against the fused neuron")
    plain = Neuron(2, activation="tanh", seed=args.seed, fused=False)([2.0, 0.0])
    fused = Neuron(2, activation="tanh", seed=args.seed)([2.0, 0.0])
    boxes = (len(topological_order(plain)), len(topological_order(fused)))
    print(f"   fused=False draws {boxes[0]} boxes (as micrograd), the default {boxes[1]}; "
          f"same output: {plain.data == fused.data}")

    pictures = []
    try:
        pictures.append(render(draw_dot(again["o"]), os.path.join(args.out, "lecture_neuron.svg")))
        print(f"   wrote {pictures[-1]}")
    except RendererNotFoundError as err:  # drawing needs dot or graphviz-pure
        print(f"   (no picture: {err})")
    return {
        "grads": automatic,
        "agree": agree,
        "explanation": explanation,
        "page": page.path,
        "boxes": boxes,
        "pictures": pictures,
    }


if __name__ == "__main__":
    main()

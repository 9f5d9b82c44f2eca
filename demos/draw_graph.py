"""Draw computation graphs: an expression, a neuron, and a whole network.

    python demos/draw_graph.py                 # pictures go to out/
    python demos/draw_graph.py --out /tmp/graphs --renderer graphviz-pure

Writes three SVG files:

- ``expression.svg``: the expression from micrograd's README, after backward().
- ``neuron.svg``: one neuron, tanh(x1*w1 + x2*w2 + b), built op by op as in
  the lecture, with the weights and bias marked as parameters.
- ``mlp.svg``: a small MLP drawn as its architecture with ``draw_model``.

Rendering uses the system Graphviz ``dot`` when it is installed, and the
pip-installed ``graphviz-pure`` otherwise (``--renderer`` picks one).

Like every demo it takes ``--seed``, ``--epochs``, ``--out`` and ``--quick``.
Nothing is trained here, so ``--epochs`` and ``--quick`` are accepted (the
same command line works for all demos) and ignored.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional

from micrograd_like import Value
from micrograd_like.draw import RENDERERS, draw_model, example_expression, find_renderer, render
from micrograd_like.nn import MLP

import _cli  # the command line every demo shares (demos/_cli.py)


def neuron():
    """The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b). Returns (o, params)."""
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")  # chosen so that o comes out near 0.7071
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o, [w1, w2, b]


def main(argv: Optional[List[str]] = None) -> Dict[str, str]:
    # Every demo takes the same options; nothing is trained here, so --epochs
    # and --quick do nothing.
    parser = _cli.demo_parser(
        __doc__, seed=0, seed_help="seed for the MLP's weights",
        epochs_help="ignored: nothing is trained here (accepted like every demo)",
        quick_help="ignored: drawing is already quick (accepted like every demo)",
    )
    parser.add_argument("--renderer", default="auto", choices=RENDERERS, help="layout program")
    args = _cli.parse(parser, argv)

    name, path = find_renderer(args.renderer)
    print(f"rendering with {name} ({path})")
    o, params = neuron()
    model = MLP(2, [4, 4, 1], activation="tanh", seed=args.seed)
    out = args.out
    written = {
        "expression": render(example_expression(), os.path.join(out, "expression.svg"),
                             renderer=name),
        "neuron": render(o, os.path.join(out, "neuron.svg"), params=params, renderer=name),
        "mlp": render(draw_model(model), os.path.join(out, "mlp.svg"), renderer=name),
    }
    for what, file in written.items():
        print(f"wrote {file}  ({what})")
    return written


if __name__ == "__main__":
    main()

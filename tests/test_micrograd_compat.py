"""The compatibility promise: micrograd code runs unchanged once its import changes.

The code below is micrograd's demo.ipynb (karpathy/micrograd), verbatim apart
from the import line: moons data from scikit-learn, MLP(2, [16, 16, 1]),
hinge loss + 1e-4 * L2, 100 SGD steps with lr 1.0 - 0.9*k/100. Oracles:
micrograd 0.1.0 itself (the same program, step by step) and the demo's
published outcome (100% training accuracy).
"""

import random

import pytest


def run_demo(Value, MLP, X, y, steps):
    """micrograd's demo.ipynb training loop; returns [(loss, accuracy)] per step."""
    model = MLP(2, [16, 16, 1])  # 2-layer neural network

    # loss function
    def loss(batch_size=None):
        Xb, yb = X, y
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    history = []
    for k in range(steps):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        history.append((total_loss.data, acc))
    return history, model


@pytest.fixture(scope="module")
def moons(sklearn):
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=100, noise=0.1, random_state=1337)
    y = y * 2 - 1  # make y be -1 or 1
    return [[float(a), float(b)] for a, b in X], [int(t) for t in y]


def test_micrograds_demo_reaches_100_percent_training_accuracy(moons):
    from micrograd_like.engine import Value
    from micrograd_like.nn import MLP

    X, y = moons
    random.seed(1337)
    history, _ = run_demo(Value, MLP, X, y, steps=100)
    losses = [loss for loss, _ in history]
    assert losses[-1] < losses[0] / 10
    assert history[-1][1] == 1.0


def test_micrograds_demo_follows_micrograd_step_by_step(moons, micrograd_nn):
    from micrograd.engine import Value as TheirValue

    from micrograd_like.engine import Value
    from micrograd_like.nn import MLP

    X, y = moons
    steps = 3  # micrograd needs about a second per step
    random.seed(1337)
    ours, our_model = run_demo(Value, MLP, X, y, steps)
    random.seed(1337)
    theirs, their_model = run_demo(TheirValue, micrograd_nn.MLP, X, y, steps)
    for (our_loss, our_acc), (their_loss, their_acc) in zip(ours, theirs):
        assert our_loss == pytest.approx(their_loss, rel=1e-12)
        assert our_acc == their_acc
    for p, q in zip(our_model.parameters(), their_model.parameters()):
        assert p.data == pytest.approx(q.data, rel=1e-12, abs=1e-15)
        assert p.grad == pytest.approx(q.grad, rel=1e-9, abs=1e-12)

"""fit when training diverges: an overflow, or a loss of inf or nan, stops it the same way.

On CPython a float ``**`` that overflows raises OverflowError; on PyPy it
gives inf, and ``1e200 * 1e200`` is inf on every Python. fit stops on each
of them alike: the unfinished epoch is not recorded, the weights are those
from before the failed step, and ``history.error`` says what happened.

Oracles: a one-weight model whose steps are derived by hand (loss
2.5 (w - 2)^2, so w_k = 2 - 2 * 0.75^k), and the explicit training loop
written out by hand, stopped by the documented rule.
"""

import io
import math
import platform

import pytest

from micrograd_like import Value
from micrograd_like.losses import mse_loss
from micrograd_like.nn import MLP, Module
from micrograd_like.optim import SGD
from micrograd_like.train import fit

CPYTHON = platform.python_implementation() == "CPython"


class Scale(Module):
    """y = w * x: one weight."""

    def __init__(self, w=0.0):
        self.w = Value(w)

    def __call__(self, x):
        return self.w * x[0]


# y = 2x: loss(w) = 2.5 (w - 2)^2, gradient 5 (w - 2); SGD: w_k = 2 - 2 * (1 - 5 lr)^k
X, Y, LR = [[1.0], [2.0]], [2.0, 4.0], 0.05


def scale_fit(epochs, **kwargs):
    model = Scale()
    history = fit(model, mse_loss, SGD(model.parameters(), lr=LR), X, Y, epochs=epochs,
                  verbose=0, **kwargs)
    return model, history


def last_line(buf):
    return buf.getvalue().splitlines()[-1]


# --- a loss of nan or inf ---------------------------------------------------------------


def test_a_nan_loss_stops_before_its_step_and_says_so():
    model, buf = Scale(), io.StringIO()
    h = fit(model, mse_loss, SGD(model.parameters(), lr=LR), [[math.nan]], [1.0], epochs=5,
            verbose=1, file=buf)
    assert (h.stop_reason, len(h), h.error) == ("diverged", 0, "the training loss is nan")
    assert model.w.data == 0.0  # the nan gradient never reached the weight
    assert last_line(buf) == (
        "diverged in step 1/1 of epoch 1 (the training loss is nan); kept the history of 0 "
        "finished epoch(s); the model keeps the weights from before that step; try a smaller "
        "learning rate"
    )


def test_an_inf_loss_from_a_product_stops_like_an_overflow():
    # 1e200 * 1e200 is inf on every Python (IEEE), raising nothing
    model = Scale(1e200)
    h = fit(model, mse_loss, SGD(model.parameters(), lr=LR), [[1e200]], [0.0], epochs=3, verbose=0)
    assert (h.stop_reason, len(h), h.error) == ("diverged", 0, "the training loss is inf")
    assert model.w.data == 1e200


def test_a_nan_in_the_second_batch_keeps_the_first_steps_update():
    model = Scale()
    h = fit(model, mse_loss, SGD(model.parameters(), lr=LR), [[1.0], [math.nan]], Y, epochs=2,
            batch_size=1, shuffle=False, verbose=0)
    assert (h.stop_reason, len(h), h.error) == ("diverged", 0, "the training loss is nan")
    # step 1 by hand: loss (w - 2)^2 at w = 0, gradient -4, so w = 0 - 0.05 * -4
    assert model.w.data == pytest.approx(0.2, rel=1e-15)


def test_an_infinite_validation_loss_stops_after_the_epochs_step():
    model, h = scale_fit(3, validation_data=([[math.inf]], [0.0]))
    assert (h.stop_reason, len(h), h.error) == ("diverged", 0, "the validation loss is inf")
    assert model.w.data == pytest.approx(0.5, rel=1e-15)  # w_1 = 2 - 2 * 0.75


# --- an overflow: OverflowError on CPython, inf on PyPy -------------------------------------


def hand_loop_until_diverged(X, y, lr, epochs):
    """The explicit full-batch loop, stopped by fit's documented rule.

    Returns the losses and weights per finished step, and why it stopped: the
    engine's error (an OverflowError), or a loss that is not finite, which
    stops before backward as an error does.
    """
    ref = MLP(1, [8, 1], seed=0)
    opt = SGD(ref.parameters(), lr=lr)
    losses, weights = [], [[p.data for p in ref.parameters()]]
    for _ in range(epochs):
        try:
            loss = mse_loss([ref(x) for x in X], y)
            if not math.isfinite(loss.data):
                return losses, weights, f"the training loss is {loss.data}"
            opt.zero_grad()
            loss.backward()
            opt.step()
        except OverflowError as exc:
            return losses, weights, f"OverflowError: {exc}"
        losses.append(loss.data)
        weights.append([p.data for p in ref.parameters()])
    raise AssertionError("the reference run did not diverge")


def check_reason(reason, overflow_message):
    # CPython raises on float ** overflow (the engine's message); PyPy may give inf
    assert reason.startswith(overflow_message) or (not CPYTHON and reason.endswith(" is inf"))


def sine():
    from micrograd_like.datasets import make_sine

    return make_sine(50, seed=0)


def test_an_overflow_in_training_stops_with_diverged_and_keeps_the_history():
    X, y = sine()
    losses, weights, reason = hand_loop_until_diverged(X, y, lr=10.0, epochs=30)
    check_reason(reason, "OverflowError: pow:")

    model = MLP(1, [8, 1], seed=0)
    buf = io.StringIO()
    h = fit(model, mse_loss, SGD(model.parameters(), lr=10.0), X, y, epochs=30, verbose=1, file=buf)
    assert (h.stop_reason, len(h)) == ("diverged", len(losses))
    assert h["loss"] == losses
    assert h.error == reason
    assert [p.data for p in model.parameters()] == weights[-1]  # from before the failed step
    last = last_line(buf)
    assert last.startswith(f"diverged in step 1/1 of epoch {len(losses) + 1} ({reason})")
    assert "the model keeps the weights from before that step" in last


def test_an_overflow_with_early_stopping_restores_the_best_weights():
    X, y = sine()
    Xv, yv = X[:10], y[:10]
    _, weights, _ = hand_loop_until_diverged(X, y, lr=10.0, epochs=30)
    model = MLP(1, [8, 1], seed=0)
    h = fit(model, mse_loss, SGD(model.parameters(), lr=10.0), X, y, epochs=30,
            validation_data=(Xv, yv), patience=20, verbose=0)
    assert h.stop_reason == "diverged"
    check_reason(h.error, "OverflowError: pow:")  # in a step, or in the validation before it
    assert h.restored_best_weights
    assert h.best_val_loss == min(h["val_loss"])  # val_loss only grows here, so epoch 1
    assert [p.data for p in model.parameters()] == weights[h.best_epoch]


def test_an_overflow_in_validation_stops_with_diverged():
    # After epoch 1, w = 0.5 (hand-derived above); validating on x = 1e200 squares 5e199.
    model, h = scale_fit(5, validation_data=([[1e200]], [0.0]))
    assert (h.stop_reason, len(h)) == ("diverged", 0)  # epoch 1 never finished its validation
    check_reason(h.error, "OverflowError: pow:")
    assert model.w.data == pytest.approx(0.5, rel=1e-15)


class HalfwayOverflow(SGD):
    """SGD whose update overflows (a real float overflow) on the second parameter."""

    def _update(self, p, group):
        if p is self.param_groups[0]["params"][1]:
            p.data = p.data - math.exp(1000)  # raises OverflowError on every Python
        super()._update(p, group)


def test_an_update_that_fails_half_way_is_undone():
    model = MLP(1, [2, 1], seed=0)
    before = [p.data for p in model.parameters()]
    h = fit(model, mse_loss, HalfwayOverflow(model.parameters(), lr=0.1), [[1.0]], [1.0],
            epochs=3, verbose=0)
    assert (h.stop_reason, len(h)) == ("diverged", 0)
    assert h.error.startswith("OverflowError:")
    assert [p.data for p in model.parameters()] == before  # the first parameter's update undone

"""Tests for fit (train), History (history), evaluate, predict and the labellers (predict).

Oracles: a one-weight model whose gradient-descent trajectory is derived by
hand (loss 2.5 (w - 2)^2, so w_k = 2 - 2 * (1 - 5 lr)^k), and the explicit
training loop written out by hand, which fit must reproduce bit for bit.
"""

import io
import math
import os
import random
import re
import signal

import pytest

from micrograd_like import Value, is_grad_enabled
from micrograd_like.losses import cross_entropy, hinge_loss, l1_penalty, l2_penalty, mse_loss
from micrograd_like.metrics import accuracy_score, mean_squared_error
from micrograd_like.nn import MLP, Module
from micrograd_like.optim import SGD, Adam
from micrograd_like.optim.lr_scheduler import StepLR
from micrograd_like.history import History
from micrograd_like.predict import argmax, evaluate, predict, sign, threshold
from micrograd_like.train import fit


# --- a model small enough to train by hand ------------------------------------------


class Scale(Module):
    """y = w * x: one weight."""

    def __init__(self, w=0.0):
        self.w = Value(w)

    def __call__(self, x):
        return self.w * x[0]


# Training data y = 2x: loss(w) = ((w - 2)^2 + (2w - 4)^2) / 2 = 2.5 (w - 2)^2,
# gradient 5 (w - 2), so SGD gives w_k - 2 = (1 - 5 lr)^k (w_0 - 2).
X = [[1.0], [2.0]]
Y = [2.0, 4.0]
Y_VAL = [1.0, 2.0]  # validation data y = x: val_loss(w) = 2.5 (w - 1)^2
LR = 0.05  # w_k = 2 - 2 * 0.75^k: 0.5, 0.875, 1.15625, 1.3671875, ...


def w_after(k, lr=LR, w0=0.0):
    return 2.0 + (w0 - 2.0) * (1.0 - 5.0 * lr) ** k


def scale_fit(epochs, **kwargs):
    model = Scale()
    kwargs.setdefault("verbose", 0)
    history = fit(model, mse_loss, SGD(model.parameters(), lr=LR), X, Y, epochs=epochs, **kwargs)
    return model, history


# --- the history ------------------------------------------------------------------


def test_history_follows_the_hand_derived_trajectory():
    model, h = scale_fit(4, validation_data=(X, Y_VAL), metrics={"mse": mean_squared_error})
    assert h.epoch == [1, 2, 3, 4]
    assert len(h) == 4
    assert h.keys() == ["loss", "mse", "val_loss", "val_mse", "lr", "time"]
    # The training loss of epoch k is measured before its step, at w_{k-1};
    # validation runs after the step, at w_k.
    assert h["loss"] == pytest.approx([2.5 * (w_after(k) - 2) ** 2 for k in range(4)], rel=1e-12)
    assert h["mse"] == pytest.approx(h["loss"], rel=1e-12)
    assert h["val_loss"] == pytest.approx([2.5 * (w_after(k) - 1) ** 2 for k in range(1, 5)], rel=1e-12)
    assert h["lr"] == [LR] * 4
    assert all(t >= 0 for t in h["time"])
    assert model.w.data == pytest.approx(w_after(4), rel=1e-12)
    # val_loss is lowest at w_2 = 0.875 (closest to 1)
    assert (h.best_epoch, h.stop_reason, h.stopped_early, h.interrupted) == (2, "completed", False, False)
    assert h.best_val_loss == pytest.approx(2.5 * 0.125**2, rel=1e-12)


def test_history_without_validation_has_no_val_keys():
    _, h = scale_fit(3)
    assert h.keys() == ["loss", "lr", "time"]
    assert h.best_epoch is None and h.best_val_loss is None


def test_history_reports_unknown_keys_and_repr():
    _, h = scale_fit(2)
    with pytest.raises(KeyError, match="no 'acc'.*'loss'"):
        h["acc"]
    assert "loss" in h and "acc" not in h
    assert repr(h) == "History(epochs=2, keys=['loss', 'lr', 'time'], stop_reason='completed')"


def test_lr_history_and_weights_follow_the_scheduler():
    model = Scale()
    opt = SGD(model.parameters(), lr=0.1)
    sched = StepLR(opt, step_size=2, gamma=0.5)  # torch: lr 0.1, 0.1, 0.05, 0.05, 0.025
    h = fit(model, mse_loss, opt, X, Y, epochs=5, scheduler=sched, verbose=0)
    lrs = [0.1, 0.1, 0.05, 0.05, 0.025]
    assert h["lr"] == pytest.approx(lrs, rel=1e-15)
    w = 0.0
    for lr in lrs:
        w = w - lr * 5 * (w - 2)
    assert model.w.data == pytest.approx(w, rel=1e-12)


def test_penalties_are_added_to_the_objective_not_to_the_reported_loss():
    # loss 2.5 (w - 2)^2 + l2 w^2 + l1 |w|: gradient 5 (w - 2) + 2 l2 w + l1 sign(w)
    l1, l2 = 0.3, 0.2
    model = Scale(1.0)
    h = fit(model, mse_loss, SGD(model.parameters(), lr=LR), X, Y, epochs=3, l1=l1, l2=l2, verbose=0)
    w, losses = 1.0, []
    for _ in range(3):
        losses.append(2.5 * (w - 2) ** 2)
        w = w - LR * (5 * (w - 2) + 2 * l2 * w + l1 * math.copysign(1.0, w))
    assert model.w.data == pytest.approx(w, rel=1e-12)
    assert h["loss"] == pytest.approx(losses, rel=1e-12)


# --- fit is the explicit loop -------------------------------------------------------


def spiral_data(n=10):
    rng = random.Random(3)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(n)]
    y = [int(a > 0) + int(b > 0) for a, b in X]  # 3 classes
    return X, y


@pytest.mark.parametrize("batch_size", [None, 3, 4, 100])
def test_fit_equals_the_hand_written_loop(batch_size):
    X, y = spiral_data()
    Xv, yv = spiral_data(6)
    n, epochs, l1, l2 = len(X), 5, 1e-3, 2e-3

    model = MLP(2, [4, 3], seed=0)
    opt = Adam(model.parameters(), lr=0.05)
    h = fit(model, cross_entropy, opt, X, y, epochs=epochs, batch_size=batch_size,
            validation_data=(Xv, yv), scheduler=StepLR(opt, 2, 0.5), l1=l1, l2=l2,
            seed=7, verbose=0)

    # The same training, written out as the README teaches it.
    ref = MLP(2, [4, 3], seed=0)
    ref_opt = Adam(ref.parameters(), lr=0.05)
    ref_sched = StepLR(ref_opt, 2, 0.5)
    rng = random.Random(7)
    losses = []
    for _ in range(epochs):
        order = list(range(n))
        if batch_size is not None:
            rng.shuffle(order)  # a new order every epoch
        size = batch_size or n
        total = 0.0
        for start in range(0, n, size):
            idx = order[start:start + size]
            outputs = [ref([*X[i]]) for i in idx]
            data_loss = cross_entropy(outputs, [y[i] for i in idx])
            total += data_loss.data * len(idx)
            loss = data_loss + l1 * l1_penalty(ref.parameters()) + l2 * l2_penalty(ref.parameters())
            ref_opt.zero_grad()
            loss.backward()
            ref_opt.step()
        ref_sched.step()
        losses.append(total / n)

    assert model.state_dict() == ref.state_dict()  # bit for bit
    assert h["loss"] == losses


def test_same_seed_same_weights_and_another_seed_differs():
    X, y = spiral_data(12)

    def run(seed):
        model = MLP(2, [4, 3], seed=0)
        fit(model, cross_entropy, Adam(model.parameters(), lr=0.05), X, y,
            epochs=3, batch_size=4, seed=seed, verbose=0)
        return model.state_dict()

    assert run(1) == run(1)
    assert run(1) != run(2)
    assert run(random.Random(1)) == run(1)


def test_seed_none_uses_the_global_random_module():
    X, y = spiral_data(12)

    def run():
        model = MLP(2, [4, 3], seed=0)
        fit(model, cross_entropy, Adam(model.parameters(), lr=0.05), X, y,
            epochs=3, batch_size=4, verbose=0)
        return model.state_dict()

    random.seed(5)
    first = run()
    random.seed(5)
    assert run() == first


def test_shuffle_false_keeps_the_order():
    seen = []

    def loss_fn(outputs, targets):
        seen.append(list(targets))
        return mse_loss(outputs, targets)

    model = Scale()
    fit(model, loss_fn, SGD(model.parameters(), lr=0.01), [[1.0], [2.0], [3.0]], [1.0, 2.0, 3.0],
        epochs=2, batch_size=2, shuffle=False, verbose=0)
    assert seen == [[1.0, 2.0], [3.0], [1.0, 2.0], [3.0]]


# --- metrics and labels ---------------------------------------------------------------


def test_metrics_see_the_labels_from_to_label():
    calls = []

    def spy(y_true, y_pred):
        calls.append((y_true, y_pred))
        return 0.0

    model = Scale(1.0)  # outputs w * x, before the first step: 0.5, -2.0, 3.0
    X3, y3 = [[0.5], [-2.0], [3.0]], [1, -1, -1]
    fit(model, hinge_loss, SGD(model.parameters(), lr=0.0), X3, y3, epochs=1,
        validation_data=(X3, y3), metrics={"spy": spy}, to_label=sign, verbose=0)
    assert calls == [([1, -1, -1], [1, -1, 1])] * 2  # training, then validation


def test_training_accuracy_is_that_of_the_forward_pass_before_the_step():
    model = Scale(-1.0)  # wrong sign: every prediction is wrong at first
    X2, y2 = [[1.0], [2.0]], [1, 1]
    h = fit(model, hinge_loss, SGD(model.parameters(), lr=2.0), X2, y2, epochs=2,
            metrics={"acc": accuracy_score}, to_label=sign, verbose=0)
    # hinge gradient at w = -1: mean(-y x) = -1.5, so w becomes -1 + 3 = 2
    assert model.w.data == 2.0
    assert h["acc"] == [0.0, 1.0]


def test_a_metric_that_returns_a_list_is_rejected():
    with pytest.raises(TypeError, match="metric 'f1' returned list"):
        scale_fit(1, metrics={"f1": lambda t, p: [1.0, 0.0]})


def test_a_metric_given_raw_class_scores_says_to_pass_to_label():
    X, y = spiral_data(6)
    model = MLP(2, [4, 3], seed=0)  # 3 scores per sample, but accuracy_score needs labels
    with pytest.raises(TypeError) as info:
        fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), X, y, verbose=0,
            metrics={"acc": accuracy_score})
    message = str(info.value)
    assert message.startswith("fit: metric 'acc' could not use the model outputs (accuracy_score:")
    assert message.endswith("; pass to_label=argmax (or sign / threshold(t))")
    assert isinstance(info.value.__cause__, TypeError)  # the metric's own error, chained
    assert str(info.value.__cause__) in message
    with pytest.raises(TypeError, match="^evaluate: metric 'acc' could not use the model outputs"):
        evaluate(model, None, X, y, metrics={"acc": accuracy_score})


def test_a_metric_failing_on_to_label_output_names_to_label():
    def as_list(output):  # two labels per sample: no metric can score that
        return [output, output]

    with pytest.raises(TypeError, match="^fit: metric 'acc' could not use the labels from "
                                        "to_label='as_list' .*accuracy_score"):
        scale_fit(1, metrics={"acc": accuracy_score}, to_label=as_list)


def test_sign_argmax_threshold():
    assert (sign(0.1), sign(-0.1), sign(0.0)) == (1, -1, -1)
    assert argmax([0.0, 3.0, 3.0, -1.0]) == 1  # the first of equal maxima, as torch
    assert (threshold(0.5)(0.51), threshold(0.5)(0.5), threshold(0.0)(-1e-9)) == (1, 0, 0)
    with pytest.raises(TypeError, match="argmax: expected a list of class scores"):
        argmax(0.3)
    with pytest.raises(TypeError, match="sign: expected one score"):
        sign([0.1, 0.2])
    with pytest.raises(TypeError, match=r"threshold\(0.5\): expected one score.*argmax"):
        threshold(0.5)([0.1, 0.9])


def test_predict_and_evaluate_run_under_no_grad():
    modes = []

    def loss_fn(outputs, targets):
        modes.append(is_grad_enabled())
        return mse_loss(outputs, targets)

    model = MLP(2, [3, 2], seed=0)
    out = predict(model, [[1.0, 2.0], [0.5, -1.0]])
    assert len(out) == 2 and all(len(o) == 2 and all(type(v) is float for v in o) for o in out)
    by_hand = [v.data for v in model([1.0, 2.0])]
    assert out[0] == by_hand

    scores = evaluate(Scale(1.0), loss_fn, X, Y, metrics={"mse": mean_squared_error})
    assert scores == {"loss": 2.5, "mse": 2.5}
    assert modes == [False]
    model = Scale()
    fit(model, loss_fn, SGD(model.parameters(), lr=LR), X, Y, epochs=1,
        validation_data=(X, Y_VAL), verbose=0)
    assert modes == [False, True, False]  # the training step records, validation does not


# --- early stopping -------------------------------------------------------------------


def test_early_stopping_stops_after_patience_and_restores_the_best_weights():
    snapshots = {}

    def save(epoch, logs):
        snapshots[epoch] = model.state_dict()

    model = Scale()
    h = fit(model, mse_loss, SGD(model.parameters(), lr=LR), X, Y, epochs=50,
            validation_data=(X, Y_VAL), patience=2, callbacks=[save], verbose=0)
    # val_loss 2.5 (w_k - 1)^2 is lowest at epoch 2 (w = 0.875), then rises: stop at 2 + 2
    assert (len(h), h.best_epoch, h.stop_reason, h.stopped_early) == (4, 2, "early_stopping", True)
    assert h.restored_best_weights
    assert model.state_dict() == snapshots[2]
    assert model.w.data == pytest.approx(w_after(2), rel=1e-12)


def test_restore_best_weights_false_keeps_the_last_weights():
    model, h = scale_fit(50, validation_data=(X, Y_VAL), patience=2, restore_best_weights=False)
    assert (len(h), h.best_epoch, h.restored_best_weights) == (4, 2, False)
    assert model.w.data == pytest.approx(w_after(4), rel=1e-12)


def test_min_delta_counts_only_improvements_larger_than_it():
    # Validation on the training data: val_loss_k = 2.5 (w_k - 2)^2 = 10 * 0.5625^k,
    # always improving, but by less and less.
    min_delta, patience = 0.5, 2
    val = [2.5 * (w_after(k) - 2) ** 2 for k in range(1, 51)]
    best, waited, stop, best_epoch = None, 0, None, None  # the rule, as documented
    for epoch, v in enumerate(val, 1):
        if best is None or v < best - min_delta:
            best, best_epoch, waited = v, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                stop = epoch
                break
    assert (best_epoch, stop) == (6, 8)  # epoch 5 improves by only 0.44 on epoch 4
    model, h = scale_fit(50, validation_data=(X, Y), patience=patience, min_delta=min_delta)
    assert (h.best_epoch, len(h)) == (best_epoch, stop)
    assert model.w.data == pytest.approx(w_after(best_epoch), rel=1e-12)


def test_nan_validation_loss_never_counts_as_best():
    model = Scale()
    h = fit(model, mse_loss, SGD(model.parameters(), lr=LR), X, Y, epochs=3,
            validation_data=([[math.nan], [1.0]], [1.0, 1.0]), patience=2, verbose=0)
    assert h.best_epoch is None and len(h) == 2 and h.stopped_early


# --- stopping: callbacks, divergence, Ctrl-C -------------------------------------------


def test_a_callback_returning_true_stops_training():
    seen = []

    def stop_at_3(epoch, logs):
        seen.append((epoch, sorted(logs)))
        return epoch == 3

    _, h = scale_fit(10, callbacks=[stop_at_3])
    assert (len(h), h.stop_reason, h.stopped_early) == (3, "callback", False)
    assert seen == [(e, ["loss", "lr", "time"]) for e in (1, 2, 3)]


# Divergence (an overflow, a loss of inf or nan): tests/test_train_divergence.py


@pytest.mark.parametrize("error", [TypeError, ValueError])
def test_bad_input_errors_are_not_mistaken_for_divergence(error):
    def loss_fn(outputs, targets):
        raise error("a bug in the caller's code")

    model = Scale()
    with pytest.raises(error, match="a bug in the caller's code"):
        fit(model, loss_fn, SGD(model.parameters(), lr=LR), X, Y, epochs=2, verbose=0)


def raise_at(epoch, where):
    """A callback (after `epoch`) or loss function (during `epoch`) that raises KeyboardInterrupt."""
    count = {"epoch": 0}

    def callback(e, logs):
        if e == epoch:
            raise KeyboardInterrupt

    def loss_fn(outputs, targets):
        count["epoch"] += 1  # full batch: one call per epoch
        if count["epoch"] == epoch:
            raise KeyboardInterrupt
        return mse_loss(outputs, targets)

    return {"callbacks": [callback]} if where == "callback" else {"loss_fn": loss_fn}


@pytest.mark.parametrize("where, finished", [("callback", 3), ("loss_fn", 2)])
def test_keyboard_interrupt_keeps_the_finished_epochs(where, finished):
    kwargs = raise_at(3, where)
    model = Scale()
    h = fit(model, kwargs.pop("loss_fn", mse_loss), SGD(model.parameters(), lr=LR), X, Y,
            epochs=10, verbose=0, **kwargs)
    assert (len(h), h.interrupted, h.stop_reason) == (finished, True, "interrupted")
    assert len(h["loss"]) == finished
    assert model.w.data == pytest.approx(w_after(finished), rel=1e-12)


def test_keyboard_interrupt_with_early_stopping_restores_the_best_weights():
    kwargs = raise_at(4, "callback")
    model, h = scale_fit(10, validation_data=(X, Y_VAL), patience=5, **kwargs)
    assert (len(h), h.interrupted, h.best_epoch, h.restored_best_weights) == (4, True, 2, True)
    assert model.w.data == pytest.approx(w_after(2), rel=1e-12)


def sigint_loss(at_call, times=1):
    """A loss function that presses Ctrl-C (a real SIGINT) `times` times at its call `at_call`."""
    calls = {"n": 0}

    def loss_fn(outputs, targets):
        calls["n"] += 1
        if calls["n"] == at_call:
            for _ in range(times):
                os.kill(os.getpid(), signal.SIGINT)
        return mse_loss(outputs, targets)

    return loss_fn


needs_sigint = pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt",
                                   reason="sends SIGINT to itself (POSIX)")


@needs_sigint
def test_ctrl_c_finishes_the_current_step_then_stops():
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    model = Scale()
    h = fit(model, sigint_loss(3), SGD(model.parameters(), lr=LR), X, Y, epochs=10, verbose=0)
    # full batch: the step of epoch 3 completes, so epoch 3 is finished and recorded
    assert (len(h), h.interrupted) == (3, True)
    assert model.w.data == pytest.approx(w_after(3), rel=1e-12)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored


@needs_sigint
def test_ctrl_c_mid_epoch_drops_the_unfinished_epoch():
    X4, Y4 = [[1.0], [2.0], [1.0], [2.0]], [2.0, 4.0, 2.0, 4.0]
    model = Scale()
    h = fit(model, sigint_loss(5), SGD(model.parameters(), lr=LR), X4, Y4, epochs=10,
            batch_size=2, shuffle=False, verbose=0)
    # two steps per epoch; the 5th step (first of epoch 3) completes, then fit stops
    assert (len(h), h.interrupted) == (2, True)
    w = 0.0
    for _ in range(5):  # every batch is {1, 2}: the hand-derived step, 5 times
        w = w - LR * 5 * (w - 2)
    assert model.w.data == pytest.approx(w, rel=1e-12)


@needs_sigint
def test_a_second_ctrl_c_stops_at_once():
    model = Scale()
    h = fit(model, sigint_loss(3, times=2), SGD(model.parameters(), lr=LR), X, Y, epochs=10, verbose=0)
    # the second SIGINT raises inside the loss function: epoch 3 never steps
    assert (len(h), h.interrupted) == (2, True)
    assert model.w.data == pytest.approx(w_after(2), rel=1e-12)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# --- progress output --------------------------------------------------------------------

NUMBER = r"-?\d+\.\d{4}|-?\d\.\d{3}e[+-]\d+"
LINE = re.compile(
    rf"^epoch +(\d+)/(\d+)  loss ({NUMBER})  acc ({NUMBER})  val_loss ({NUMBER})  val_acc ({NUMBER})"
    rf"  lr [0-9.e+-]+  \d+\.\ds elapsed(, ~\d+\.\ds left)?$"
)


def classification_fit(epochs, **kwargs):
    X, y = spiral_data(12)
    model = MLP(2, [4, 3], seed=0)
    return fit(model, cross_entropy, Adam(model.parameters(), lr=0.05), X, y, epochs=epochs,
               validation_data=(X, y), metrics={"acc": accuracy_score}, to_label=argmax,
               seed=0, **kwargs)


def test_verbose_0_prints_nothing(capsys):
    classification_fit(3, verbose=0)
    assert capsys.readouterr() == ("", "")


def test_verbose_1_writes_to_stderr_by_default(capsys):
    classification_fit(2, verbose=1)
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 2


def test_verbose_2_prints_one_line_per_epoch_in_the_documented_format():
    buf = io.StringIO()
    h = classification_fit(4, verbose=2, file=buf)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 4
    for i, line in enumerate(lines):
        m = LINE.match(line)
        assert m, line
        assert (int(m.group(1)), int(m.group(2))) == (i + 1, 4)
        assert float(m.group(3)) == pytest.approx(h["loss"][i], abs=5e-5)
        assert float(m.group(6)) == pytest.approx(h["val_acc"][i], abs=5e-5)
        assert (m.group(7) is None) == (i == 3)  # time left on all but the last line


def test_verbose_1_prints_about_20_lines():
    buf = io.StringIO()
    model = Scale()
    fit(model, mse_loss, SGD(model.parameters(), lr=0.01), X, Y, epochs=100, verbose=1, file=buf)
    epochs = [int(re.match(r"epoch +(\d+)/100", line).group(1)) for line in buf.getvalue().splitlines()]
    assert epochs == [1] + list(range(5, 101, 5))


def test_the_reason_for_stopping_is_printed():
    buf = io.StringIO()
    scale_fit(50, validation_data=(X, Y_VAL), patience=2, verbose=1, file=buf)
    last = buf.getvalue().splitlines()[-1]
    assert last.startswith("stopped early after epoch 4/50")
    assert "restored the weights of epoch 2" in last


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_live_line():
    buf = FakeTerminal()
    X, y = spiral_data(12)
    model = MLP(2, [4, 3], seed=0)
    fit(model, cross_entropy, Adam(model.parameters(), lr=0.05), X, y, epochs=3, batch_size=2,
        seed=0, verbose=1, file=buf)
    text = buf.getvalue()
    assert "\r" in text and "batch 6/6" in text
    assert len(text.split("\n")) == 4  # still one finished line per epoch (3 lines + the end)


# --- bad arguments ------------------------------------------------------------------------


def bad_call(**changes):
    model = Scale()
    args = dict(model=model, loss_fn=mse_loss, optimizer=SGD(model.parameters(), lr=LR), X=X, y=Y)
    kwargs = {"epochs": 1, "verbose": 0}
    for key, value in changes.items():
        (args if key in args else kwargs)[key] = value
    return lambda: fit(args["model"], args["loss_fn"], args["optimizer"], args["X"], args["y"], **kwargs)


@pytest.mark.parametrize(
    "changes, error, match",
    [
        ({"epochs": 0}, ValueError, r"fit: epochs must be an int >= 1, got 0"),
        ({"epochs": -3}, ValueError, r"epochs must be an int >= 1, got -3"),
        ({"epochs": 2.5}, TypeError, r"epochs must be an int >= 1, got float 2.5"),
        ({"batch_size": 0}, ValueError, r"batch_size must be an int >= 1, got 0"),
        ({"y": [1.0]}, ValueError, r"X has 2 samples but y has 1"),
        ({"X": [], "y": []}, ValueError, r"X and y are empty"),
        ({"X": "abc"}, TypeError, r"X must be a list of samples, got str"),
        ({"validation_data": (X,)}, ValueError, r"validation_data must be a pair \(X_val, y_val\), got tuple of length 1"),
        ({"validation_data": (X, [1.0])}, ValueError, r"validation_data X_val has 2 samples but y_val has 1"),
        ({"patience": 3}, ValueError, r"patience .* needs validation_data"),
        ({"patience": 0, "validation_data": (X, Y)}, ValueError, r"patience must be an int >= 1, got 0"),
        ({"metrics": [accuracy_score]}, TypeError, r"metrics must be a dict of name -> fn"),
        ({"metrics": {"val_acc": accuracy_score}}, ValueError, r"metric name 'val_acc' is not allowed"),
        ({"metrics": {"loss": accuracy_score}}, ValueError, r"metric name 'loss' is not allowed"),
        ({"metrics": {"acc": 1}}, TypeError, r"metric 'acc' must be a function"),
        ({"to_label": "argmax"}, TypeError, r"to_label must be a function"),
        ({"l2": -1.0}, ValueError, r"l2 must be >= 0, got -1.0"),
        ({"min_delta": math.nan}, ValueError, r"min_delta must be >= 0, got nan"),
        ({"verbose": 3}, ValueError, r"verbose must be 0 \(silent\), 1 or 2"),
        ({"seed": "7"}, TypeError, r"seed must be an int, a random.Random or None, got str"),
        ({"callbacks": [1]}, TypeError, r"every callback must be a function"),
        ({"optimizer": object()}, TypeError, r"optimizer must have zero_grad\(\) and step\(\)"),
        ({"scheduler": object()}, TypeError, r"scheduler must have a step\(\) method"),
        ({"loss_fn": lambda o, t: mse_loss(o, t, reduction="none")}, TypeError,
         r"loss_fn must return one Value .* got list; use reduction='mean'"),
        ({"model": 3}, TypeError, r"model must be callable"),
        ({"model": lambda x: x[0] * 2.0, "l2": 0.1}, TypeError, r"need model.parameters\(\); function has none"),
    ],
)
def test_bad_arguments_raise_clear_errors(changes, error, match):
    with pytest.raises(error, match=match):
        bad_call(**changes)()


def test_bad_arguments_fail_before_any_step():
    model = Scale()
    with pytest.raises(ValueError):
        fit(model, mse_loss, SGD(model.parameters(), lr=LR), X, Y, epochs=3,
            validation_data=(X, [1.0]), verbose=0)
    assert model.w.data == 0.0


def test_history_record():
    h = History()
    h.record(1, {"loss": 1.0})
    h.record(2, {"loss": 0.5})
    assert (h.epoch, h["loss"], h.stop_reason) == ([1, 2], [1.0, 0.5], "completed")

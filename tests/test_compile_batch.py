"""compile(per_sample, batch=...): a loop over the samples, the same numbers as eager code.

The eager oracle is the loss written out over the whole batch (what a user
writes without compile); torch float64 checks one case from outside.
"""

import pytest

from micrograd_like import MLP, Value
from micrograd_like.compiler import compile
from micrograd_like.datasets import make_moons
from micrograd_like.fused import sum as value_sum
from micrograd_like.losses import hinge_loss, l2_penalty, mse_loss
from micrograd_like.optim import SGD

TOL = 1e-12


def close(a, b, tol=TOL):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def hinge_sample(model, x, y):
    return (1 - y * model(x)).relu()


def moons(n, seed=0):
    X, labels = make_moons(n, noise=0.1, seed=seed)
    return [list(map(float, row)) for row in X], [2 * int(c) - 1 for c in labels]


def grads_of(loss, model):
    model.zero_grad()
    loss.backward()
    return [p.grad for p in model.parameters()]


@pytest.mark.parametrize("reduce", ["mean", "sum"])
@pytest.mark.parametrize("nouts, act", [([8, 8, 1], "relu"), ([5, 1], "tanh"), ([4, 3, 1], "sigmoid")])
def test_a_batch_matches_the_eager_loss(nouts, act, reduce):
    model = MLP(2, nouts, activation=act, seed=3)
    X, y = moons(20)
    fast = compile(hinge_sample, batch=(1, 2), reduce=reduce)
    eager = hinge_loss([model(x) for x in X], y, reduction=reduce)
    expect = grads_of(eager, model)
    for _ in range(2):  # the tracing call, then the generated loop
        loss = fast(model, X, y)
        assert close(loss.data, eager.data)
        assert all(map(close, grads_of(loss, model), expect))


def test_a_batch_matches_torch(torch):
    from micrograd_like.torch_bridge import to_torch

    model = MLP(2, [6, 6, 1], seed=5)
    X, y = moons(15, seed=2)
    fast = compile(hinge_sample, batch=(1, 2))
    fast(model, X, y)
    loss = fast(model, X, y) + 1e-4 * l2_penalty(model.parameters())
    grads = grads_of(loss, model)
    seq = to_torch(model)
    scores = seq(torch.tensor(X, dtype=torch.float64)).squeeze(1)
    t = torch.relu(1 - torch.tensor(y, dtype=torch.float64) * scores).mean()
    t = t + 1e-4 * sum((p * p).sum() for p in seq.parameters())
    t.backward()
    assert close(loss.data, t.item())
    tgrads = [g for lin in seq if hasattr(lin, "weight")
              for row, b in zip(lin.weight.grad.tolist(), lin.bias.grad.tolist()) for g in row + [b]]
    assert all(map(close, grads, tgrads))


def test_the_code_does_not_grow_with_the_batch():
    model = MLP(2, [4, 1], seed=0)
    sources = []
    for n in (3, 50):
        fast = compile(hinge_sample, batch=(1, 2))
        X, y = moons(n)
        fast(model, X, y)
        sources.append(fast.source)
    assert sources[0] == sources[1]
    assert "for s0, s1 in B:" in sources[0] and "in reversed(tape):" in sources[0]


def test_new_data_and_new_weights_give_new_answers():
    model = MLP(2, [4, 1], seed=1)
    fast = compile(hinge_sample, batch=(1, 2))
    for seed in range(3):
        X, y = moons(10 + seed, seed=seed)
        model.layers[0].neurons[0].w[0].data += 0.1
        eager = hinge_loss([model(x) for x in X], y)
        assert close(fast(model, X, y).data, eager.data)
    assert fast._count == 1


def test_regression_with_float_targets_and_tuple_samples():
    model = MLP(1, [6, 1], activation="tanh", seed=2)
    X = [(i / 10.0,) for i in range(-8, 9)]
    y = [x[0] ** 2 for x in X]
    fast = compile(lambda m, x, t: (m(x) - t) ** 2, batch=(1, 2))
    eager = mse_loss([model(x) for x in X], y)
    expect = grads_of(eager, model)
    loss = fast(model, X, y)
    assert close(loss.data, eager.data) and all(map(close, grads_of(loss, model), expect))


def test_training_compiled_follows_training_eagerly():
    X, y = moons(30, seed=4)
    runs = []
    for compiled in (False, True):
        model = MLP(2, [8, 8, 1], seed=7)
        opt = SGD(model.parameters(), lr=0.5)
        fast = compile(hinge_sample, batch=(1, 2))
        for _ in range(5):
            data = fast(model, X, y) if compiled else hinge_loss([model(x) for x in X], y)
            loss = data + 1e-4 * l2_penalty(model.parameters())
            opt.zero_grad()
            loss.backward()
            opt.step()
        runs.append([p.data for p in model.parameters()])
    assert all(close(a, b, 1e-10) for a, b in zip(*runs))


def test_shared_numbers_and_values_beside_the_batch():
    w = Value(0.5)
    fast = compile(lambda scale, x, t, b: (scale * w * x - t + b) ** 2, batch=(1, 2))
    b = Value(0.25)
    loss = fast(2.0, [1.0, 2.0, 3.0], [0.0, 1.0, 1.0], b)
    eager = value_sum([(2.0 * w * x - t + b) ** 2 for x, t in zip([1.0, 2.0, 3.0], [0.0, 1.0, 1.0])]) / 3
    loss.backward()
    gw, gb = w.grad, b.grad
    w.grad = b.grad = 0.0
    eager.backward()
    assert close(loss.data, eager.data) and close(gw, w.grad) and close(gb, b.grad)
    assert close(fast(3.0, [1.0], [2.0], b).data, (3.0 * 0.5 - 2.0 + 0.25) ** 2)


def penalty(loss, model):
    return loss + 1e-4 * l2_penalty(model.parameters())


@pytest.mark.parametrize("reduce", ["mean", "sum"])
def test_then_adds_a_term_once_after_the_loop(reduce):
    model = MLP(2, [6, 1], seed=4)
    X, y = moons(12, seed=3)
    fast = compile(hinge_sample, batch=(1, 2), reduce=reduce, then=penalty)
    eager = penalty(hinge_loss([model(x) for x in X], y, reduction=reduce), model)
    expect = grads_of(eager, model)
    for _ in range(2):
        loss = fast(model, X, y)
        assert close(loss.data, eager.data)
        assert all(map(close, grads_of(loss, model), expect))
    assert "r0 = total" in fast.source and "u0 = " in fast.source


def test_then_may_branch_on_shared_values_and_use_numbers():
    fast = compile(lambda w, x, k: w * x, batch=1, reduce="sum",
                   then=lambda r, w, k: r * k if w > 0 else r - k)
    w = Value(2.0)
    assert fast(w, [1.0, 2.0], 3.0).data == 18.0
    w.data = -1.0
    y = fast(w, [1.0, 2.0], 3.0)
    y.backward()
    assert (y.data, w.grad, fast._count) == (-6.0, 3.0, 2)


def test_then_must_not_use_the_samples():
    seen = []

    def per_sample(w, x):
        seen.append(w * x)
        return seen[-1]

    with pytest.raises(TypeError, match="not the sample's values"):
        compile(per_sample, batch=1, then=lambda r, w: r + seen[-1])(Value(1.0), [1.0, 2.0])


def test_then_needs_a_batch():
    with pytest.raises(TypeError, match="then= must be a function, and it needs batch="):
        compile(lambda x: x, then=penalty)


# --- guards in a batch ----------------------------------------------------------------


def test_a_branch_that_differs_between_samples_is_a_clear_error():
    def per_sample(w, x):
        s = w * x
        return s if s > 0 else -s  # branches on the sample

    fast = compile(per_sample, batch=1)
    with pytest.raises(ValueError, match=r"True for sample 0 but not for sample 1.*relu\(\)"):
        fast(Value(1.0), [1.0, -2.0, 3.0])


def test_a_branch_on_shared_values_only_is_traced_again():
    def per_sample(w, x):
        return w * x if w > 0 else w * x * x

    fast = compile(per_sample, batch=1, reduce="sum")
    w = Value(2.0)
    assert fast(w, [1.0, 3.0]).data == 8.0
    w.data = -1.0
    assert fast(w, [1.0, 3.0]).data == -10.0
    assert fast._count == 2


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("args, error, match", [
    ((Value(1.0), 2.0), TypeError, r"argument 1 is batched, so it must be a list"),
    ((Value(1.0), []), ValueError, r"non-empty lists of the same length"),
    ((Value(1.0),), TypeError, r"got 1 arguments"),
    ((Value(1.0), [[1.0, "a"]]), TypeError, r"a sample of argument 1 must be a number"),
    ((Value(1.0), [Value(1.0)]), TypeError, r"compile without batch="),
])
def test_bad_batches(args, error, match):
    with pytest.raises(error, match=match):
        compile(lambda w, x: w * 2.0, batch=1)(*args)


def test_batched_lists_must_have_the_same_length():
    with pytest.raises(ValueError, match=r"got lengths \[2, 3\]"):
        compile(lambda w, x, y: w * x * y, batch=(1, 2))(Value(1.0), [1.0, 2.0], [1.0, 2.0, 3.0])


def test_every_sample_must_look_like_the_first():
    fast = compile(lambda m, x: m(x), batch=1)
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"every sample must have the structure of the first"):
        fast(model, [[1.0, 2.0], [1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match=r"every sample must have the structure of the first"):
        fast(model, [[1.0, 2.0], [1.0, Value(2.0)]])


def test_one_value_per_sample():
    with pytest.raises(TypeError, match=r"must return one Value per sample"):
        compile(lambda w, x: [w * x, w], batch=1)(Value(1.0), [1.0, 2.0])

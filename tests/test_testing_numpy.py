"""``check_numpy_grads``: a hand-written NumPy backward pass against autodiff of the same forward.

The network is the "from scratch" articles' 2-4-1 sigmoid XOR network; its
backward pass is derived by hand, and wrong versions of it (a forgotten
factor, the sign of the update) must be caught entry by entry.
"""

import builtins

import pytest

from micrograd_like import Value
from micrograd_like.testing import GradcheckError, check_numpy_grads

np = pytest.importorskip("numpy")

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
rng = np.random.default_rng(0)
PARAMS = {"w1": rng.standard_normal((2, 4)), "b1": np.zeros((1, 4)),
          "w2": rng.standard_normal((4, 1)), "b2": np.zeros((1, 1))}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def forward(p):
    z1 = np.dot(X, p["w1"]) + p["b1"]
    a1 = sigmoid(z1)
    z2 = np.dot(a1, p["w2"]) + p["b2"]
    return z1, a1, z2, sigmoid(z2)


def loss(p):  # L = 1/2 sum (a2 - y)**2
    return 0.5 * np.sum((forward(p)[3] - Y) ** 2)


def by_hand(p, forget_hidden_derivative=False, scale=1.0):
    z1, a1, z2, a2 = forward(p)
    d_z2 = (a2 - Y) * sigmoid(z2) * (1 - sigmoid(z2))
    d_a1 = np.dot(d_z2, p["w2"].T)
    d_z1 = d_a1 if forget_hidden_derivative else d_a1 * sigmoid(z1) * (1 - sigmoid(z1))
    grads = {"w1": np.dot(X.T, d_z1), "b1": d_z1.sum(axis=0, keepdims=True),
             "w2": np.dot(a1.T, d_z2), "b2": d_z2.sum(axis=0, keepdims=True)}
    return {k: scale * g for k, g in grads.items()}


def test_right_gradients_pass(torch):
    report = check_numpy_grads(loss, PARAMS, by_hand(PARAMS))
    assert report and len(report.entries) == 8 + 4 + 4 + 1
    assert [e.index for e in report.entries[:2]] == ["w1[0,0]", "w1[0,1]"]
    # autodiff's numbers are torch's for the same network (float64)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in PARAMS.items()}
    a1 = torch.sigmoid(torch.tensor(X) @ t["w1"] + t["b1"])
    a2 = torch.sigmoid(a1 @ t["w2"] + t["b2"])
    (0.5 * ((a2 - torch.tensor(Y)) ** 2).sum()).backward()
    expected = [x for k in PARAMS for x in t[k].grad.flatten().tolist()]
    assert [e.numeric for e in report.entries] == pytest.approx(expected, rel=1e-12)


def test_a_forgotten_factor_is_caught_entry_by_entry():
    report = check_numpy_grads(loss, PARAMS, by_hand(PARAMS, forget_hidden_derivative=True),
                               raise_exception=False)
    assert not report
    failed = {e.index.split("[")[0] for e in report.failed_entries}
    assert failed == {"w1", "b1"}  # the output layer is right
    with pytest.raises(GradcheckError, match="check_numpy_grads: FAILED for 12 of 17 entries"):
        check_numpy_grads(loss, PARAMS, by_hand(PARAMS, forget_hidden_derivative=True))


@pytest.mark.parametrize("scale, note", [
    (-1.0, "your gradients are the negative of autodiff's"),
    (0.25, "your gradients are autodiff's times 0.25"),
])
def test_a_sign_or_a_constant_factor_is_pointed_out(scale, note):
    report = check_numpy_grads(loss, PARAMS, by_hand(PARAMS, scale=scale), raise_exception=False)
    assert not report and any(n.startswith(note) for n in report.notes)
    # the article's convention (error = y - a2, update adds lr * d): check against -L
    if scale == -1.0:
        assert check_numpy_grads(lambda p: -loss(p), PARAMS, by_hand(PARAMS, scale=-1.0))


def test_loss_may_return_a_one_element_array():
    w = np.array([[2.0, 3.0]])
    assert check_numpy_grads(lambda p: p["w"] * p["w"][:, :1], {"w": w[:, :1]}, {"w": 2 * w[:, :1]})


@pytest.mark.parametrize("grads, err, pattern", [
    ({"w1": np.zeros((2, 4))}, ValueError,
     r"params and grads must have the same names; missing from grads: \['b1', 'b2', 'w2'\]"),
    ({**{k: np.zeros_like(v) for k, v in PARAMS.items()}, "w1": np.zeros((4, 2))}, ValueError,
     r"grads\['w1'\] has shape \(4, 2\) but params\['w1'\] has shape \(2, 4\)"),
    ({**{k: np.zeros_like(v) for k, v in PARAMS.items()}, "b2": np.array([[np.nan]])}, ValueError,
     r"grads\['b2'\] contains NaN or inf"),
    ([1.0], TypeError, "grads must be a dict of name -> NumPy array"),
    ({**PARAMS, "b2": "x"}, TypeError, r"grads\['b2'\] must be an array of numbers, got str 'x'"),
])
def test_bad_arrays(grads, err, pattern):
    with pytest.raises(err, match="check_numpy_grads: " + pattern):
        check_numpy_grads(loss, PARAMS, grads)


def test_loss_must_return_one_value():
    with pytest.raises(TypeError, match=r"check_numpy_grads: loss must return one Value .*got ndarray of shape \(4, 1\)"):
        check_numpy_grads(lambda p: forward(p)[3], PARAMS, by_hand(PARAMS))
    with pytest.raises(TypeError, match="loss must return one Value.*got float"):
        check_numpy_grads(lambda p: 1.0, PARAMS, by_hand(PARAMS))


def test_a_clear_error_without_numpy(monkeypatch):
    real_import = builtins.__import__

    def no_numpy(name, *args, **kwargs):
        if name == "numpy":
            raise ImportError("No module named 'numpy'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_numpy)
    with pytest.raises(ImportError, match="check_numpy_grads needs NumPy.*pip install numpy"):
        check_numpy_grads(loss, PARAMS, by_hand(PARAMS))


def test_object_arrays_of_values_run_numpy_code():
    # the reason the helper works: np.dot, np.exp and + dispatch to Values
    a = np.array([Value(1.0), Value(2.0)], dtype=object)
    out = np.sum(np.exp(a) * np.dot(a, a))
    out.backward()
    assert isinstance(out, Value) and a[0].grad == pytest.approx(np.e * 5 + 2 * (np.e + np.e**2))

"""Bad input to the engine, nn, functional, losses and init: each a clear error.

The table is the specification (see tests/_bad_input.py): the exception
type, and a message naming the function, the value and what is valid.
"""

from __future__ import annotations

import pytest

from micrograd_like import MLP, Layer, Neuron, Value, dot, enable_grad, grad, linear, no_grad
from micrograd_like import functional as F
from micrograd_like import losses as L
from micrograd_like import sum as vsum

from _bad_input import case, check

x = Value(2.0)
y = x * x


def _backward_through_unknown_op():
    Value(3.0, (x,), "mystery").backward()


ENGINE = [
    case("Value(str)", lambda: Value("3"), TypeError, "Value()", "'3'", "real number"),
    case("Value(None)", lambda: Value(None), TypeError, "Value()", "None", "real number"),
    case("Value(list)", lambda: Value([1.0]), TypeError, "Value()", "[1.0]", "real number"),
    case("Value(complex)", lambda: Value(1j), TypeError, "Value()", "1j", "real number"),
    case("Value(Value)", lambda: Value(x), TypeError, "Value()", "Value(data=2.0", ".data"),
    case("Value(children ints)", lambda: Value(3, (1, 2), "+"), TypeError, "Value()", "(1, 2)", "wrap numbers in Value(...)"),
    case("Value(children str)", lambda: Value(3, "ab", "+"), TypeError, "Value()", "got 'ab'", "wrap numbers in Value(...)"),
    case("backward unknown op", _backward_through_unknown_op, ValueError, "backward", "'mystery'", "RULES"),
    case("backward(str)", lambda: y.backward("1"), TypeError, "backward(gradient)", "'1'", "real number"),
    case("backward(None)", lambda: y.backward(None), TypeError, "backward(gradient)", "None", "real number"),
    case("backward(Value)", lambda: y.backward(Value(2.0)), TypeError, "backward(gradient)", "Value(data=2.0", "(use its .data)"),
    case("Value + str", lambda: x + "a", TypeError, "Value + str", "'a'", "real number"),
    case("str + Value", lambda: "a" + x, TypeError, "str + Value", "'a'", "real number"),
    case("Value - None", lambda: x - None, TypeError, "Value - NoneType", "None", "real number"),
    case("list * Value", lambda: [1] * x, TypeError, "list * Value", "[1]", "real number"),
    case("Value / dict", lambda: x / {}, TypeError, "Value / dict", "{}", "real number"),
    case("Value / 0", lambda: x / 0, ZeroDivisionError, "division", "0.0", "never zero"),
    case("Value ** str", lambda: x ** "2", TypeError, "Value ** exponent", "'2'", "real number"),
    case("neg ** frac", lambda: Value(-2.0) ** 0.5, ValueError, "pow", "-2.0 ** 0.5", "integer exponent"),
    case("0 ** -1", lambda: Value(0.0) ** -1, ZeroDivisionError, "pow", "0.0 ** -1.0", "away from zero"),
    case("pow overflow", lambda: Value(10.0) ** 400, OverflowError, "pow", "10.0 ** 400.0", "scale the base"),
    case("exp overflow", lambda: Value(1000.0).exp(), OverflowError, "exp", "1000.0", "709.78"),
    # float(10**400) says only "int too large to convert to float"
    case("Value(huge int)", lambda: Value(10**400), OverflowError, "Value()", "1000000000", "scale it down"),
    case("Value + huge int", lambda: Value(1.0) + 10**400, OverflowError, "Value()", "1000000000", "too large for a float"),
    # math's own words here are an errno pair: (34, 'Numerical result out of range')
    case("backward overflow", lambda: (Value(1e-300) ** -1).backward(), OverflowError,
         "backward through '**'", "1e-300", "a gradient is too large for a float"),
    case("log 0", lambda: Value(0.0).log(), ValueError, "log", "0.0", "> 0"),
    case("log negative", lambda: Value(-1.0).log(), ValueError, "log", "-1.0", "> 0"),
    case("sqrt negative", lambda: Value(-4.0).sqrt(), ValueError, "pow", "-4.0", "positive base"),
    case("leaky slope str", lambda: x.leaky_relu("a"), TypeError, "leaky_relu", "'a'", "real number"),
    case("Value < str", lambda: x < "a", TypeError, "Value <", "'a'", "real number"),
    case("Value >= None", lambda: x >= None, TypeError, "Value >=", "None", "real number"),
    case("_backward = 3", lambda: setattr(Value(1.0), "_backward", 3), TypeError, "_backward", "3", "function"),
    case("grad(y, 3.0)", lambda: grad(y, 3.0), TypeError, "grad", "3.0", "list of Values"),
    case("grad(y, None)", lambda: grad(y, None), TypeError, "grad", "None", "list of Values"),
    case("grad(y, 'x')", lambda: grad(y, "x"), TypeError, "grad", "'x'", "list of Values"),
    case("grad(3.0, [x])", lambda: grad(3.0, [x]), TypeError, "grad", "3.0", "must be a Value"),
    case("grad(y, [1.0])", lambda: grad(y, [1.0]), TypeError, "grad", "1.0", "must be a Value"),
    case("grad unused", lambda: grad(y, [Value(1.0)]), ValueError, "grad", "Value(data=1.0", "allow_unused=True"),
    case("sum(None)", lambda: vsum(None), TypeError, "sum", "None", "list of Values or numbers"),
    case("sum(3)", lambda: vsum(3), TypeError, "sum", "3", "list of Values or numbers"),
    case("sum([x, 'a'])", lambda: vsum([x, "a"]), TypeError, "sum", "'a'", "real number"),
    case("dot(None, [1])", lambda: dot(None, [1]), TypeError, "dot", "None", "list of Values or numbers"),
    case("dot([1], None)", lambda: dot([1], None), TypeError, "dot", "None", "list of Values or numbers"),
    case("dot lengths", lambda: dot([1, 2], [1]), ValueError, "dot", "2 and 1", "same length"),
    case("dot([None], [1])", lambda: dot([None], [1]), TypeError, "dot", "None", "real number"),
    case("linear activation", lambda: linear([1.0], [x], x, "softmax"), ValueError, "linear", "'softmax'", "'relu'"),
    case("linear x=None", lambda: linear(None, [x]), TypeError, "linear", "None", "list of numbers or Values"),
    case("linear w=3", lambda: linear([1.0], 3), TypeError, "linear", "3", "list of numbers or Values"),
    case("linear lengths", lambda: linear([1.0, 2.0], [x]), ValueError, "linear", "2 and 1", "same length"),
    case("linear bias count", lambda: linear([1.0], [[x], [x]], [x]), ValueError, "linear", "2 rows", "one bias per row"),
    case("linear x str", lambda: linear(["a"], [x], x), TypeError, "linear", "'a'", "real number"),
    case("no_grad(3)", lambda: no_grad()(3), TypeError, "no_grad", "3", "function"),
    case("enable_grad('f')", lambda: enable_grad()("f"), TypeError, "enable_grad", "'f'", "function"),
    case("no_grad exit alone", lambda: no_grad().__exit__(None, None, None), RuntimeError, "no_grad", "__exit__", "with"),
    case("backward('x') of a hand-made node", lambda: Value(1.0, (x,), "+").backward("x"), TypeError, "backward(gradient)", "'x'", "real number"),
    case("backward through a negative log", lambda: (Value(-1.0).exp() * 0 - 1).log(), ValueError, "log", "-1.0", "clamp the input"),
]

FUNCTIONAL = [
    case("softmax(None)", lambda: F.softmax(None), TypeError, "softmax", "None", "list"),
    case("softmax([])", lambda: F.softmax([]), ValueError, "softmax", "empty list", "at least one"),
    case("softmax(['a'])", lambda: F.softmax(["a"]), TypeError, "softmax", "'a'", "real number"),
    case("log_softmax(3)", lambda: F.log_softmax(3), TypeError, "log_softmax", "3", "list"),
    case("logsumexp([])", lambda: F.logsumexp([]), ValueError, "logsumexp", "empty list", "at least one"),
    case("relu('a')", lambda: F.relu("a"), TypeError, "relu", "'a'", "a number or a list"),
    case("sigmoid(None)", lambda: F.sigmoid(None), TypeError, "sigmoid", "None", "a number or a list"),
    case("tanh('ab')", lambda: F.tanh("ab"), TypeError, "tanh", "'ab'", "a number or a list"),
    case("leaky_relu slope", lambda: F.leaky_relu(x, "a"), TypeError, "leaky_relu", "'a'", "real number"),
    case("softplus beta 0", lambda: F.softplus(x, beta=0), ValueError, "softplus", "0", "beta"),
    case("softplus beta str", lambda: F.softplus(x, beta="a"), TypeError, "softplus", "'a'", "must be a number"),
    case("logsigmoid([None])", lambda: F.logsigmoid([None]), TypeError, "logsigmoid", "None", "real number"),
]

NN = [
    case("Neuron(0)", lambda: Neuron(0), ValueError, "Neuron", "0", "positive int"),
    case("Neuron('2')", lambda: Neuron("2"), TypeError, "Neuron", "'2'", "int"),
    case("Neuron(2.5)", lambda: Neuron(2.5), TypeError, "Neuron", "2.5", "int"),
    case("Neuron activation", lambda: Neuron(2, activation="swish"), ValueError, "Neuron", "'swish'", "'relu'"),
    case("Neuron init", lambda: Neuron(2, init="zeros!"), ValueError, "Neuron", "'zeros!'", "choose one of"),
    case("Neuron seed str", lambda: Neuron(2, seed="a"), TypeError, "Neuron", "'a'", "int"),
    case("Layer(2, 0)", lambda: Layer(2, 0), ValueError, "Layer", "0", "positive int"),
    case("Layer(2, None)", lambda: Layer(2, None), TypeError, "Layer", "None", "int"),
    case("Layer(-1, 2)", lambda: Layer(-1, 2), ValueError, "Layer", "-1", "positive int"),
    case("MLP nouts int", lambda: MLP(2, 3), TypeError, "MLP", "3", "list of layer sizes"),
    case("MLP nouts empty", lambda: MLP(2, []), TypeError, "MLP", "[]", "list of layer sizes"),
    case("MLP nouts str", lambda: MLP(2, "16"), TypeError, "MLP", "'16'", "list of layer sizes"),
    case("MLP size 0", lambda: MLP(2, [4, 0]), ValueError, "MLP", "0", "positive int"),
    case("MLP size float", lambda: MLP(2, [4.0]), TypeError, "MLP", "4.0", "int"),
    case("MLP nin 0", lambda: MLP(0, [1]), ValueError, "MLP", "0", "positive int"),
    case("MLP activation", lambda: MLP(2, [4, 1], activation="gelu"), ValueError, "MLP", "'gelu'", "'tanh'"),
    case("MLP output_activation", lambda: MLP(2, [1], output_activation="x"), ValueError, "MLP", "'x'", "'linear'"),
    case("MLP call wrong width", lambda: MLP(2, [1], seed=0)([1.0]), ValueError, "MLP", "1", "2"),
    case("MLP call None", lambda: MLP(2, [1], seed=0)(None), TypeError, "MLP", "None", "list"),
    case("MLP call str", lambda: MLP(2, [1], seed=0)(["a", "b"]), TypeError, "MLP", "'a'", "a number or a Value"),
    case("load_state_dict None", lambda: MLP(2, [1], seed=0).load_state_dict(None), TypeError, "load_state_dict", "None", "dict"),
    case("load_state_dict value str", lambda: Neuron(1, seed=0).load_state_dict({"w.0": "a", "b": 0.0}), TypeError, "load_state_dict", "'a'", "real number"),
    case("load_state_dict missing", lambda: Neuron(1, seed=0).load_state_dict({"b": 0.0}), ValueError, "load_state_dict", "w.0", "strict=False"),
]

LOSSES = [
    case("mse None", lambda: L.mse_loss(None, [1.0]), TypeError, "mse_loss", "None", "list"),
    case("mse lengths", lambda: L.mse_loss([x, x], [1.0]), ValueError, "mse_loss", "2", "1"),
    case("mse empty", lambda: L.mse_loss([], []), ValueError, "mse_loss", "empty", "at least one"),
    case("mse target str", lambda: L.mse_loss([x], ["a"]), TypeError, "mse_loss", "'a'", "number"),
    case("mse reduction", lambda: L.mse_loss([x], [1.0], reduction="avg"), ValueError, "mse_loss", "'avg'", "'mean'"),
    case("l1 reduction None", lambda: L.l1_loss([x], [1.0], reduction=None), ValueError, "l1_loss", "None", "'sum'"),
    case("bce target 2", lambda: L.binary_cross_entropy([Value(0.5)], [2]), ValueError, "binary_cross_entropy", "2.0", "[0, 1]"),
    case("bce prob 1.5", lambda: L.binary_cross_entropy([Value(1.5)], [1]), ValueError, "binary_cross_entropy", "1.5", "binary_cross_entropy_with_logits"),
    case("bce logits pos_weight", lambda: L.binary_cross_entropy_with_logits([x], [1], pos_weight="a"), TypeError, "binary_cross_entropy_with_logits", "'a'", "number"),
    case("ce target out of range", lambda: L.cross_entropy([x, x], 5), ValueError, "cross_entropy", "5", "0"),
    case("ce target float", lambda: L.cross_entropy([x, x], 0.5), TypeError, "cross_entropy", "0.5", "int"),
    case("ce smoothing 2", lambda: L.cross_entropy([x, x], 0, label_smoothing=2.0), ValueError, "cross_entropy", "2.0", "between 0.0 and 1.0"),
    case("ce logits None", lambda: L.cross_entropy(None, 0), TypeError, "cross_entropy", "None", "list"),
    case("hinge target 0.5", lambda: L.hinge_loss([x], [0.5]), ValueError, "hinge_loss", "0.5", "-1"),
    case("l2_penalty(None)", lambda: L.l2_penalty(None), TypeError, "l2_penalty", "None", "a list of them"),
    case("l1_penalty(['a'])", lambda: L.l1_penalty(["a"]), TypeError, "l1_penalty", "'a'", "a Value or a real number"),
]


@pytest.mark.parametrize("call, exc, words", ENGINE + FUNCTIONAL + NN + LOSSES)
def test_bad_input_gets_a_clear_error(call, exc, words):
    check(call, exc, words)


def test_the_table_is_big_enough():
    assert len(ENGINE + FUNCTIONAL + NN + LOSSES) >= 100


def test_value_children_that_are_not_a_tuple_of_values():
    import pytest as _pytest

    from micrograd_like import Value

    for children in (5, (1, 2), "ab"):
        with _pytest.raises(TypeError, match=r"Value\(\): the children \(inputs of op '\+'\) must be a tuple of Values"):
            Value(3, children, "+")

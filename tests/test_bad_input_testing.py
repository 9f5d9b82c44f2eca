"""Bad input to micrograd_like.testing (gradcheck and friends).

Written against the testing package as it stood at the end of this pass;
see tests/_bad_input.py for what each case checks.
"""

from __future__ import annotations

import math

import pytest

from micrograd_like import testing as T

from _bad_input import case, check


def square(a):
    return a * a


TESTING = [
    case("gradcheck(3, ...)", lambda: T.gradcheck(3, [1.0]), TypeError, "gradcheck", "int 3", "function of 1 Value(s)"),
    case("gradcheck inputs None", lambda: T.gradcheck(square, None), TypeError, "gradcheck", "None", "list of numbers"),
    case("gradcheck inputs str", lambda: T.gradcheck(square, "x"), TypeError, "gradcheck", "'x'", "list of numbers"),
    case("gradcheck inputs empty", lambda: T.gradcheck(square, []), ValueError, "gradcheck", "empty", "one number per argument"),
    case("gradcheck input nan", lambda: T.gradcheck(square, [math.nan]), ValueError, "gradcheck", "nan", "finite points"),
    case("gradcheck eps 0", lambda: T.gradcheck(square, [1.0], eps=0), ValueError, "gradcheck", "0", "finite number > 0"),
    case("gradcheck eps -1", lambda: T.gradcheck(square, [1.0], eps=-1), ValueError, "gradcheck", "-1", "finite number > 0"),
    case("gradcheck atol str", lambda: T.gradcheck(square, [1.0], atol="x"), ValueError, "gradcheck", "'x'", "finite number >= 0"),
    case("gradcheck fn returns a float", lambda: T.gradcheck(lambda a: 3.0, [1.0]), TypeError, "gradcheck", "3.0", "must return a Value"),
    case("gradgradcheck(None, ...)", lambda: T.gradgradcheck(None, [1.0]), TypeError, "gradgradcheck", "None", "function of 1 Value(s)"),
    case("check_grads order 3", lambda: T.check_grads(square, [1.0], order=3), ValueError, "check_grads", "3", "1 or 2"),
    case("check_grads order 0", lambda: T.check_grads(square, [1.0], order=0), ValueError, "check_grads", "0", "1 or 2"),
    case("numerical_grad eps 0", lambda: T.numerical_grad(square, [1.0], eps=0), ValueError, "numerical_grad", "0", "finite number > 0"),
    case("numerical_grad inputs None", lambda: T.numerical_grad(square, None), TypeError, "numerical_grad", "None", "list of numbers"),
    case("assert_close rtol -1", lambda: T.assert_close(1.0, 1.0, rtol=-1), ValueError, "assert_close", "-1", "finite number >= 0"),
    case("assert_close str", lambda: T.assert_close("a", 1.0), TypeError, "assert_close", "'a'", "a number, a Value or a list"),
    case("check modes", lambda: T.check(square, [1.0], modes=("sideways",)), ValueError, "check", "'sideways'", "'fwd' and 'rev'"),
    case("check inputs None", lambda: T.check(square, None), TypeError, "check", "None", "list of numbers"),
    case("jvp fn None", lambda: T.jvp(None, [1.0], [1.0]), TypeError, "jvp", "None", "function of 1 Value(s)"),
    case("jvp tangent count", lambda: T.jvp(square, [1.0], [1.0, 2.0]), ValueError, "jvp", "2 entries", "one tangent per input"),
    case("vjp tangent count", lambda: T.vjp(square, [1.0], [1.0, 2.0]), ValueError, "vjp", "2 entries", "one tangent per input"),
    case("hvp tangent count", lambda: T.hvp(square, [1.0], [1.0, 2.0]), ValueError, "hvp", "2 entries", "one tangent per input"),
    case("hessian of a list", lambda: T.hessian(lambda a: [a, a], [1.0]), TypeError, "hessian", "a list", "scalar function"),
    case("check_numpy_grads params list", lambda: T.check_numpy_grads(lambda p: 0.0, [1], {}), TypeError, "check_numpy_grads", "[1]", "dict of name -> NumPy array"),
]


@pytest.mark.parametrize("call, exc, words", TESTING)
def test_bad_input_gets_a_clear_error(call, exc, words):
    check(call, exc, words)


# --- the lead's additions: entrances the reliability pass listed as left alone ----


@pytest.mark.parametrize("call, exc, text", [
    (lambda: __import__("micrograd_like.testing", fromlist=["derivative"]).derivative(None, 1.0),
     TypeError, "derivative: f must be a function of one float"),
    (lambda: __import__("micrograd_like.testing", fromlist=["derivative"]).derivative(abs, "x"),
     TypeError, "derivative: x must be a finite real number, got str 'x'"),
    (lambda: __import__("micrograd_like.testing", fromlist=["derivative"]).derivative(abs, 1.0, step=0),
     ValueError, "derivative: step must be a finite number > 0"),
    (lambda: __import__("micrograd_like.testing", fromlist=["locate"]).locate(3),
     TypeError, "locate: output must be a Value"),
])
def test_more_testing_entrances(call, exc, text):
    with pytest.raises(exc, match=text):
        call()

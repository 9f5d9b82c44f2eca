"""Check gradients in your own tests: reverse mode, forward mode and error-bounded finite differences.

The classic checks, named as in torch (``testing.classic``): ``gradcheck``,
``gradgradcheck``, ``check_grads``, ``numerical_grad`` and ``assert_close``.

- ``gradcheck`` and ``check`` compare ``backward()``, ``grad()`` and forward
  mode (dual numbers, independent of ``engine.RULES``) with
  Ridders-extrapolated finite differences, judged by their own error
  estimate, and reverse mode with forward mode; they report kinks as a
  verdict of their own, and name the node whose local rule is wrong.
  ``gradcheck`` returns True or raises; ``check`` returns the report.
  Given ``eps``, ``atol`` or ``rtol``, ``gradcheck`` is torch's, number for number.
- ``jvp``, ``vjp``, ``jacobian``, ``hessian``, ``hvp``, as in
  ``torch.autograd.functional``, on functions of Values.
- ``check_numpy_grads`` checks a hand-written NumPy backward pass against
  autodiff of the same NumPy forward code run on Values.
- ``derivative``: one derivative by finite differences, with its error.

>>> from micrograd_like.testing import check, gradcheck, jacobian
>>> gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [0.5, -1.5])
True
>>> bool(check(lambda x, y: (x * y).tanh() + x.exp(), [0.5, -1.5]))
True
>>> jacobian(lambda x, y: [x * y, x + y], [2.0, 3.0])
[[3.0, 2.0], [1.0, 1.0]]
"""

from micrograd_like.testing import oracle as _oracle
from micrograd_like.testing import classic as _classic
from micrograd_like.testing import differences as _differences
from micrograd_like.testing import forward as _forward
from micrograd_like.testing import functional as _functional
from micrograd_like.testing import locate as _locate
from micrograd_like.testing import numpy_check as _numpy_check
from micrograd_like.testing import report as _report
from micrograd_like.testing.oracle import check
from micrograd_like.testing.classic import (
    assert_close, check_grads, gradcheck, gradgradcheck, numerical_grad,
)
from micrograd_like.testing.differences import Derivative, derivative
from micrograd_like.testing.forward import Dual, jvp
from micrograd_like.testing.functional import hessian, hvp, jacobian, vjp
from micrograd_like.testing.locate import locate
from micrograd_like.testing.numpy_check import check_numpy_grads
from micrograd_like.testing.report import CheckReport, Entry, GradcheckError, NodeReport

__all__ = [
    "gradcheck",
    "gradgradcheck",
    "check_grads",
    "numerical_grad",
    "assert_close",
    "check",
    "check_numpy_grads",
    "jvp",
    "vjp",
    "jacobian",
    "hessian",
    "hvp",
    "derivative",
    "locate",
    "Dual",
    "Derivative",
    "CheckReport",
    "Entry",
    "NodeReport",
    "GradcheckError",
]

# ``doctest.testmod(micrograd_like.testing)`` sees only this file; point it
# at the examples of the functions it re-exports too.
__test__ = {
    name: obj
    for module in (_classic, _oracle, _differences, _forward, _functional,
                   _locate, _numpy_check, _report)
    for name, obj in vars(module).items()
    if name in __all__ and getattr(obj, "__module__", None) == module.__name__
}

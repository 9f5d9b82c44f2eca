"""micrograd_like: a pure-Python scalar autograd engine and a small neural-network library.

>>> from micrograd_like import Value
>>> x = Value(2.0)
>>> y = x * x + 3 * x
>>> y.backward()
>>> x.grad
7.0
"""

from micrograd_like.engine import (
    Value,
    dot,
    enable_grad,
    grad,
    is_grad_enabled,
    linear,
    no_grad,
    sum,
)

__version__ = "0.1.0"

__all__ = [
    "Value",
    "grad",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "sum",
    "dot",
    "linear",
    "__version__",
]

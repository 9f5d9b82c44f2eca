"""Exercises that diagnose: write a piece of backprop yourself, and the library checks it.

Each guide page ends with one. You write the code (a derivative rule, a
``_backward``, the topological sort, a neuron, a loss, a training loop, ...),
then call its check, which runs your code against the library's own and
returns a :class:`Report`. When your code is wrong the report names the
mistake (a sign error, ``=`` instead of ``+=``, a derivative in terms of the
input where the output was meant, a forgotten ``zero_grad``, ...) with the
numbers it saw, instead of only saying "wrong".

>>> from micrograd_like import exercises
>>> {"sign", "accumulate", "topological-order", "zero-grad", "lr-sign"} <= set(exercises.MISTAKES)
True
"""

from micrograd_like.exercises._report import Report
from micrograd_like.exercises import evaluation, graphs, neurons, ops, training
from micrograd_like.exercises.evaluation import *  # noqa: F401,F403
from micrograd_like.exercises.graphs import *  # noqa: F401,F403
from micrograd_like.exercises.neurons import *  # noqa: F401,F403
from micrograd_like.exercises.ops import *  # noqa: F401,F403
from micrograd_like.exercises.training import *  # noqa: F401,F403

# Every mistake a check can name: code -> what it means, for the docs and tests.
MISTAKES = {}
for _module in (ops, graphs, neurons, training, evaluation):
    MISTAKES.update(_module.MISTAKES)
del _module

__all__ = ["Report", "MISTAKES"] + ops.__all__ + graphs.__all__ + neurons.__all__ + training.__all__ + evaluation.__all__

"""Switching graph recording off and on: ``no_grad``, ``enable_grad``.

Inside ``no_grad()`` operations on Values compute their results but record
no graph, which is what evaluation and weight updates want (nothing to
backpropagate, and no memory spent on nodes). Both work as a context
manager and as a decorator, as in ``torch.no_grad``. The switch itself is a
ContextVar in ``engine``, read by every op.

>>> from micrograd_like import Value
>>> with no_grad():
...     y = Value(2.0) * 3
>>> y._prev, is_grad_enabled()
((), True)
"""

from __future__ import annotations

import functools
import inspect
from contextvars import ContextVar
from typing import Callable, Optional, Tuple

from micrograd_like.engine import _grad_enabled

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]


def is_grad_enabled() -> bool:
    """True when new operations are recorded into the graph (the default).

    >>> with no_grad():
    ...     inside = is_grad_enabled()
    >>> inside, is_grad_enabled()
    (False, True)
    """
    return _grad_enabled.get()


# The modes that the ``with`` blocks now open replaced, innermost last: one
# stack per context (thread or asyncio task), for all instances. So one
# ``no_grad()`` object may be entered by several threads or tasks at once,
# each leaving in its own order. A tuple, never changed in place: a task
# starts with a copy of its creator's context and must not pop its entries.
_saved_modes: ContextVar[Tuple[bool, ...]] = ContextVar("micrograd_like_saved_modes", default=())


class _SetGradMode:
    """Context manager *and* decorator, like ``torch.no_grad``."""

    _enabled: bool

    def __new__(cls, fn: Optional[Callable] = None):
        # Bare ``@no_grad`` (no parentheses) decorates right away, as in torch.
        if fn is None:
            return super().__new__(cls)
        return cls()(fn)

    def __init__(self, fn: Optional[Callable] = None) -> None:
        pass

    def __enter__(self) -> None:
        _saved_modes.set(_saved_modes.get() + (_grad_enabled.get(),))
        _grad_enabled.set(self._enabled)

    def __exit__(self, *exc: object) -> None:
        saved = _saved_modes.get()
        if not saved:
            raise RuntimeError(
                f"{type(self).__name__}.__exit__: no matching __enter__ in this thread or "
                "task; enter and leave the block in the same one (use `with`)"
            )
        _saved_modes.set(saved[:-1])
        _grad_enabled.set(saved[-1])

    def __call__(self, fn: Callable) -> Callable:
        if not callable(fn):
            raise TypeError(
                f"{type(self).__name__}: can decorate only a function, got "
                f"{type(fn).__name__} {fn!r}; or use it as `with {type(self).__name__}():`"
            )
        enabled = self._enabled
        if inspect.isgeneratorfunction(fn):
            return _wrap_generator(fn, enabled)
        if inspect.isasyncgenfunction(fn):
            raise TypeError(
                f"{type(self).__name__}: cannot decorate the async generator {fn.__name__!r}; "
                f"write `with {type(self).__name__}():` inside it instead"
            )
        if inspect.iscoroutinefunction(fn):
            # The mode must hold while the coroutine runs (at every await
            # the task keeps its own context), not while it is merely created.
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                token = _grad_enabled.set(enabled)
                try:
                    return await fn(*args, **kwargs)
                finally:
                    _grad_enabled.reset(token)

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            token = _grad_enabled.set(enabled)
            try:
                return fn(*args, **kwargs)
            finally:
                _grad_enabled.reset(token)

        return wrapper


def _wrap_generator(fn: Callable, enabled: bool) -> Callable:
    # A generator runs a little at every next(): set the mode around each of
    # those resumes, not around the call that merely creates the generator
    # (what torch.no_grad does too).
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        gen = fn(*args, **kwargs)
        sent, thrown = None, None
        while True:
            token = _grad_enabled.set(enabled)
            try:
                item = gen.send(sent) if thrown is None else gen.throw(thrown)
            except StopIteration as stop:
                return stop.value
            finally:
                _grad_enabled.reset(token)
            sent, thrown = None, None
            try:
                sent = yield item
            except GeneratorExit:
                gen.close()
                raise
            except BaseException as err:  # thrown into us: pass it on
                thrown = err

    return wrapper


class no_grad(_SetGradMode):
    """Stop recording the graph: results are plain leaf Values.

    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y._prev
    ()
    """

    _enabled = False


class enable_grad(_SetGradMode):
    """Switch recording back on inside a ``no_grad`` block.

    >>> x = Value(2.0)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = x * x
    >>> y.backward(); x.grad
    4.0
    """

    _enabled = True


class set_grad_enabled:
    """Switch recording to ``mode``, as ``torch.set_grad_enabled``.

    Called alone it switches at once (for this thread or task); as a
    ``with`` block it switches back at the end; as a decorator the mode holds
    inside the function only.

    >>> with set_grad_enabled(False):
    ...     y = Value(2.0) * 3
    >>> y._prev, is_grad_enabled()
    ((), True)
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(
                f"set_grad_enabled: mode must be True (record the graph) or False "
                f"(don't), got {type(mode).__name__} {mode!r}"
            )
        self.mode = mode
        self._prev = _grad_enabled.get()
        _grad_enabled.set(mode)  # at once, as torch: the call alone switches

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _grad_enabled.set(self._prev)

    def __call__(self, fn: Callable) -> Callable:
        _grad_enabled.set(self._prev)  # as a decorator: only inside fn
        return (enable_grad if self.mode else no_grad)()(fn)

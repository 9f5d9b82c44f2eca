"""The shared check of the bad-input suites (tests/test_bad_input_*.py).

Each case is a call that must fail, the exception type it must raise, and
words the message must contain: the function's name, the offending value
(as the user wrote it) and what would be valid. So a message that is
raw (an AttributeError from deep inside), vague ("invalid argument") or
misleading fails its case.
"""

from __future__ import annotations

from typing import Callable, Tuple, Type

import pytest


def case(name: str, call: Callable[[], object], exc: Type[BaseException], *words: str):
    """One row of a table: ``call()`` raises ``exc`` and its message holds every word."""
    assert len(words) >= 3, f"{name}: name the function, the value and the fix"
    return pytest.param(call, exc, words, id=name)


def check(call: Callable[[], object], exc: Type[BaseException], words: Tuple[str, ...]) -> None:
    with pytest.raises(BaseException) as info:
        call()
    err = info.value
    assert isinstance(err, exc), f"expected {exc.__name__}, got {type(err).__name__}: {err}"
    message = str(err)
    missing = [w for w in words if w not in message]
    assert not missing, f"message lacks {missing}: {message}"

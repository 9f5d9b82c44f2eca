"""What a check says back: passed or not, which mistake, and how to fix it.

Every ``check_*`` function in :mod:`micrograd_like.exercises` returns a
:class:`Report`. It prints as a short paragraph, shows as HTML in Jupyter,
and is true when the learner's code is right, so ``assert check_x(f)`` works
in a learner's own tests.
"""

from __future__ import annotations

import html
import os
import sysconfig
import traceback
from typing import Iterable, Optional


class Report:
    """The outcome of one exercise check.

    ``passed`` is True when the learner's code agrees with the library;
    otherwise ``mistake`` names the diagnosed mistake (one of the codes listed
    in :data:`micrograd_like.exercises.MISTAKES`, or ``"wrong"`` when the
    answer is wrong in no way the checker recognises) and ``message`` says
    what was seen, with numbers, and how to fix it.

    >>> r = Report("tanh", passed=False, mistake="sign", message="d(a - b)/db is -1, not +1.")
    >>> bool(r), r.mistake
    (False, 'sign')
    >>> print(r)
    tanh: not yet [sign]. d(a - b)/db is -1, not +1.
    >>> print(Report("tanh", passed=True, message="every gradient matches."))
    tanh: correct, every gradient matches.
    """

    __slots__ = ("exercise", "passed", "mistake", "message")

    def __init__(self, exercise: str, passed: bool, message: str, mistake: Optional[str] = None):
        self.exercise = exercise
        self.passed = bool(passed)
        self.mistake = None if passed else (mistake or "wrong")
        self.message = message

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return f"{self.exercise}: correct, {self.message}"
        return f"{self.exercise}: not yet [{self.mistake}]. {self.message}"

    def __repr__(self) -> str:
        return f"<Report {self.exercise}: {'passed' if self.passed else self.mistake}>"

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#b35900"
        return f'<div style="border-left:4px solid {colour};padding:4px 8px">{html.escape(str(self))}</div>'


def _check_name(name: object, names: Iterable[str], check: str, what: str = "name") -> None:
    """Refuse a name the check does not know, listing the ones it does."""
    if not isinstance(name, str) or name not in names:
        raise ValueError(f"{check}: unknown {what} {name!r}; use one of {', '.join(map(repr, names))}")


# Frames from these places are not the learner's: a report points at the learner's line.
_NOT_YOURS = tuple({os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    os.path.abspath(sysconfig.get_paths()["stdlib"]),
                    os.path.abspath(sysconfig.get_paths()["purelib"])})


def _where(err: BaseException) -> str:
    """' at line N of file.py: `code`': the learner's last line in the traceback."""
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if not os.path.abspath(f.filename).startswith(_NOT_YOURS)]
    if not frames:
        return ""
    f = frames[-1]
    code = f": `{f.line.strip()}`" if f.line else ""
    cell = "ipykernel" in f.filename or f.filename.startswith("<ipython-input")
    return f" at line {f.lineno} of {'your cell' if cell else os.path.basename(f.filename)}{code}"

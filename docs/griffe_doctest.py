"""A griffe extension for the reference pages: >>> examples in docstrings show as code.

Our docstrings are plain prose with ``code`` and bare doctest examples
(no "Examples:" heading). Markdown would read ``>>>`` as three nested
quotes and ``[0, 1][i]`` as a link, so each run of doctest lines (from a
``>>>`` line to the next blank line) is wrapped in a ```pycon fence
before mkdocstrings renders the docstring. The docstrings themselves stay
as they are, for ``help()`` and for doctest.
"""

import griffe


def fence_doctests(text: str) -> str:
    """Wrap every run of lines that starts at ``>>>`` (up to a blank line) in a pycon fence."""
    out, in_example, in_fence = [], False, False
    for line in text.split("\n"):
        stripped = line.strip()
        if in_example and not stripped:  # a blank line ends the example
            out.append("```")
            in_example = False
        elif not in_example and stripped.startswith("```"):
            in_fence = not in_fence  # leave the docstring's own code blocks alone
        elif not in_example and not in_fence and stripped.startswith(">>>"):
            out.append("```pycon")
            in_example = True
        out.append(line)
    if in_example:
        out.append("```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Run ``fence_doctests`` on every docstring once the object tree is built."""

    def on_object(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)

"""A Griffe extension for the docs site: show the doctest examples of docstrings as Python code.

Docstrings keep their examples as plain ``>>>`` lines, which the test suite runs.
Rendered as Markdown, those lines would read as prose (and ``[[1.0, 2.0]]`` as a
link); this wraps each run of them, with its expected output, in a code fence.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """`text` with every doctest example (prompt lines and their output) inside a pycon code fence."""
    lines, out, inside = text.split("\n"), [], False
    for line in lines:
        if line.lstrip().startswith(">>>") and not inside:
            out.append("```pycon")
            inside = True
        elif inside and not line.strip():
            out.append("```")
            inside = False
        out.append(line)
    if inside:
        out.append("```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctests of every object's docstring as it is loaded."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)

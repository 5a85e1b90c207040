"""A Griffe extension for the docs site: show the doctest examples of docstrings as Python code.

Docstrings keep their examples as plain ``>>>`` lines, which the test suite runs.
Rendered as Markdown, those lines would read as prose (``>>>`` as a nested
quote, and ``[[1.0, 2.0]]`` as a link); this wraps each run of them, with its
expected output, in a code fence.

It works on the whole package once it is loaded (Griffe's ``on_package``), the
package's own docstring included: the per-object event, ``on_object``, is not
fired for the package itself.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """`text` with every doctest example (prompt lines and their output) inside a pycon code fence.

    Examples already inside a fence are left as they are.
    """
    lines, out, inside, fenced = text.split("\n"), [], False, False
    for line in lines:
        if line.lstrip().startswith("```") and not inside:
            fenced = not fenced
        elif line.lstrip().startswith(">>>") and not inside and not fenced:
            out.append("```pycon")
            inside = True
        elif inside and not line.strip():
            out.append("```")
            inside = False
        out.append(line)
    if inside:
        out.append("```")
    return "\n".join(out)


def objects_of(obj: griffe.Object) -> list[griffe.Object]:
    """`obj` and everything defined in it, at any depth (not what it imports)."""
    found = [obj]
    for member in obj.members.values():
        if not member.is_alias:
            found.extend(objects_of(member))  # type: ignore[arg-type]
    return found


class DoctestFences(griffe.Extension):
    """Fence the doctests of every docstring of a package, the package's own included."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in objects_of(pkg):
            if obj.docstring is not None:
                obj.docstring.value = fence_doctests(obj.docstring.value)

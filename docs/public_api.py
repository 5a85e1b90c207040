"""Griffe extensions for the docs site: doctests shown as code, what the API reference shows, and links.

`DoctestFences` runs first: docstrings keep their examples as plain ``>>>``
lines, which the test suite runs; rendered as Markdown they would read as
prose (``>>>`` as a nested quote, ``[[1.0, 2.0]]`` as a link), so each run of
them, with its expected output, is wrapped in a code fence. It works on the
whole package once it is loaded (Griffe's ``on_package``), the package's own
docstring included: ``on_object`` is not fired for the package itself.

Then `PublicApi` does three things:

1. *What is public.* An object is shown when its module exports it (its
   ``__all__``) and it is not one of the `INTERNAL` names, which a module
   exports for the other modules of the package, not for users. Names starting
   with ``_`` (dunders included) and imported names are never shown: an object
   is documented once, where it is defined.
2. *Docstrings a reader of the source does not see.* ``exp = _method(EXP)``
   in `Value` is an attribute in the source; at run time it is a method with
   a docstring and a signature, and it is documented as that. Likewise a
   ``property(...)`` call, a slot whose docstring is in a ``__slots__`` dict,
   and an attribute documented by ``#:`` comment lines just above it.
3. *Cross-references.* A name in single backticks (``Value``, ``grad``,
   ``Tape.source``, ``autograd_lite.engine``) that resolves, where the
   docstring is, to an object the site documents becomes a link to its entry.
   Anything else (a parameter, an internal helper, ``math``, “Python's
   ``compile``”) stays code, so a strict build never meets a link without a
   target.

What the site documents is read from the pages themselves: every ``::: name``
line under ``docs/api``, with ``members: false`` meaning that entry alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import griffe

PAGES = Path(__file__).resolve().parent / "api"

#: Names a module's ``__all__`` exports for the rest of the package: the site does not show them.
INTERNAL: dict[str, set[str]] = {
    "autograd_lite.engine": {"BINARY", "NUMBER", "POWERS", "UNARY", "CollectorPaused", "apply", "data_of", "evaluate"},
    "autograd_lite.checks": {
        "checked_chain_rule", "finite", "non_finite_gradient", "non_finite_result", "real", "shown",
    },
    "autograd_lite.functions": {"as_list"},
}

# `name`, `name()` or `dotted.name`, in single backticks, not already the text of a link, and not Python's
# own (“Python's `compile`” is the builtin, even in a module whose `compile` is another function).
_BACKTICKED = re.compile(r"(?<![`\w\[])(?<!Python's )`(?P<name>[A-Za-z_][\w.]*?)(?P<call>\(\))?`(?![`\w])")


def documented_entries(pages: Path = PAGES) -> dict[str, bool]:
    """Every ``::: identifier`` of the API pages, and whether its members are shown too (not ``members: false``)."""
    entries: dict[str, bool] = {}
    for page in sorted(pages.glob("*.md")):
        identifier = None
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("::: "):
                identifier = line[4:].strip()
                entries[identifier] = True
            elif identifier and line.startswith(" ") and line.split() == ["members:", "false"]:
                entries[identifier] = False
            elif not line.startswith(" "):
                identifier = None
    return entries


def is_public(obj: griffe.Object | griffe.Alias) -> bool:
    """Whether the site shows `obj` (see the module's docstring)."""
    if obj.name.startswith("_") or obj.is_alias:
        return False
    parent = obj.parent
    if parent is None or obj.is_module:
        return True
    if parent.is_module:
        exports = parent.exports
        if exports is not None and obj.name not in {str(name) for name in exports}:
            return False
        return obj.name not in INTERNAL.get(parent.path, set())
    return True


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


def document_runtime_members(
    cls: griffe.Class, loader: griffe.GriffeLoader, inspected: dict[str, griffe.Module]
) -> None:
    """Give the attributes of `cls` that have no docstring in the source what they are at run time.

    A function (``exp = _method(EXP)``) becomes the method it is, with its
    run-time signature and docstring, placed at the line that makes it; a
    ``property(...)`` gets its docstring; so does a slot documented in a
    ``__slots__`` dict.
    """
    runtime = None
    for name, lineno in unpacked_names(cls).items():  # ``sin, cos = map(_method, (SIN, COS))``
        if name not in cls.members:
            cls.set_member(name, griffe.Attribute(name, lineno=lineno, endlineno=lineno))
    for name, member in list(cls.members.items()):
        if member.is_alias or not member.is_attribute or member.docstring is not None or name.startswith("_"):
            continue
        if runtime is None:
            runtime = griffe.dynamic_import(cls.path, loader.finder.search_paths)
        value = vars(runtime).get(name)
        module = cls.module.path
        if callable(value) or isinstance(value, property):
            if module not in inspected:
                inspected[module] = griffe.inspect(
                    module,
                    import_paths=loader.finder.search_paths,
                    docstring_parser=loader.docstring_parser,
                    docstring_options=loader.docstring_options,
                )
            found = inspected[module].get_member(cls.path[len(module) + 1 :]).members.get(name)
            if found is None or found.docstring is None:
                continue
            found.lineno, found.endlineno = member.lineno, member.endlineno
            cls.set_member(name, found)
        else:
            slots = vars(runtime).get("__slots__")
            text = slots.get(name) if isinstance(slots, dict) else None
            if isinstance(text, str) and text:
                member.docstring = docstring(text, member, loader)


def unpacked_names(cls: griffe.Class) -> dict[str, int]:
    """The public names a class body assigns by unpacking (``a, b = ...``), which griffe does not list, by line."""
    found: dict[str, int] = {}
    statement = ""
    for lineno, line in enumerate(cls.lines, start=cls.lineno or 1):
        if statement or re.match(r"\s+[a-z]\w*(, [a-z_]\w*)+ = ", line):
            statement += line
            if statement.count("(") == statement.count(")"):
                targets = statement.split(" = ", 1)[0]
                found.update((name.strip(), lineno) for name in targets.split(",") if not name.strip().startswith("_"))
                statement = ""
    return found


def docstring(text: str, obj: griffe.Object, loader: griffe.GriffeLoader) -> griffe.Docstring:
    """A docstring for `obj`, parsed as the loader parses the others."""
    return griffe.Docstring(text, parent=obj, parser=loader.docstring_parser, parser_options=loader.docstring_options)


def document_comments(attribute: griffe.Attribute, loader: griffe.GriffeLoader) -> None:
    """Give `attribute` the ``#:`` comment lines just above it as its docstring, if it has none."""
    if attribute.docstring is not None or attribute.lineno is None or attribute.filepath is None:
        return
    try:
        lines = attribute.lines_collection[attribute.filepath]  # type: ignore[index]
    except KeyError:
        return
    comments: list[str] = []
    number = attribute.lineno - 2  # the line above, counted from 0
    while number >= 0 and lines[number].lstrip().startswith("#:"):
        comments.insert(0, lines[number].lstrip()[2:].strip())
        number -= 1
    if comments:
        attribute.docstring = docstring(" ".join(comments), attribute, loader)


def parameters_of(obj: griffe.Object) -> set[str]:
    """The parameter names of a function, or of a class's ``__init__``."""
    function = obj.members.get("__init__") if obj.is_class else obj
    if function is None or function.is_alias or not function.is_function:
        return set()
    return {parameter.name for parameter in function.parameters}  # type: ignore[union-attr]


def _final(obj: griffe.Object | griffe.Alias) -> griffe.Object:
    return obj.final_target if obj.is_alias else obj  # type: ignore[return-value]


class Linker:
    """Turns backticked names into links to the entries the site has."""

    def __init__(self, package: griffe.Module, entries: dict[str, bool]) -> None:
        self.package, self.entries = package, entries

    def find(self, scope: griffe.Object, name: str) -> griffe.Object | None:
        """The object `name` means where `scope`'s docstring is, or None (a parameter of `scope` is no object)."""
        head, *rest = name.split(".")
        if head in parameters_of(scope):
            return None
        try:
            path = scope.resolve(head)
        except griffe.NameResolutionError:
            if head != self.package.name:
                return None
            path = head
        try:
            target = _final(self.package.modules_collection.get_member(path))
            for part in rest:
                target = _final(target.members[part])
            return target
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None

    def has_entry(self, obj: griffe.Object) -> bool:
        """Whether the site renders `obj` under its own path."""
        node: griffe.Object | None = obj
        while node is not None:
            if node.path in self.entries and (node is obj or self.entries[node.path]):
                return True
            described = node.has_docstring or ((node.is_class or node.is_module) and node.has_docstrings)
            if not (node.is_public and described):
                return False
            node = node.parent
        return False

    def link(self, scope: griffe.Object, text: str) -> str:
        """`text` (Markdown) with each backticked name that has an entry made a link to it; code blocks untouched."""
        out, fenced = [], False
        for line in text.split("\n"):
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if not fenced:
                line = _BACKTICKED.sub(lambda m: self._reference(scope, m), line)
            out.append(line)
        return "\n".join(out)

    def _reference(self, scope: griffe.Object, match: re.Match[str]) -> str:
        target = self.find(scope, match["name"])
        if target is None or not self.has_entry(target):
            return match[0]
        return f"[{match[0]}][{target.path}]"


class PublicApi(griffe.Extension):
    """Decide what the site shows, document run-time methods, and link backticked names (see the module)."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        inspected: dict[str, griffe.Module] = {}
        for obj in objects_of(pkg):
            if obj.is_class:
                document_runtime_members(obj, loader, inspected)  # type: ignore[arg-type]
            elif obj.is_attribute:
                document_comments(obj, loader)  # type: ignore[arg-type]
        everything = objects_of(pkg)
        for obj in everything:
            obj.public = is_public(obj)
            for member in obj.members.values():
                if member.is_alias:
                    member.public = False
        linker = Linker(pkg, documented_entries())
        for obj in everything:
            if obj.docstring is not None:
                obj.docstring.value = linker.link(obj, obj.docstring.value)


class DoctestFences(griffe.Extension):
    """Fence the doctests of every docstring of a package, the package's own included."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in objects_of(pkg):
            if obj.docstring is not None:
                obj.docstring.value = fence_doctests(obj.docstring.value)

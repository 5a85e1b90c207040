"""Pictures of the computation graph: Graphviz DOT text, a terminal tree, and image files.

>>> from autograd_lite import Value
>>> x = Value(3.0)
>>> y = x * x + 1
>>> y.backward()
>>> print(to_text(y, names={x: "x"}))
+  data=10  grad=1
├── *  data=9  grad=1
│   ├── x  data=3  grad=6  [#1]
│   └── x  (#1, shown above)
└── leaf  data=1  grad=1
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from .engine import Value, topological_order

__all__ = ["draw", "to_dot", "to_text"]


def _checked(where: str, root: object, names: Mapping[Value, str] | None) -> Mapping[Value, str]:
    """`names` (or {}), after checking that `root` is a Value and every name is a string."""
    if not isinstance(root, Value):
        raise TypeError(f"{where}: expected the Value whose graph to show, got {type(root).__name__} {root!r}")
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise TypeError(f"{where}: names must map Values to strings, got {type(names).__name__}")
    for key, name in names.items():
        if not isinstance(key, Value) or not isinstance(name, str):
            raise TypeError(f"{where}: names must map Values to strings, got {type(key).__name__} -> {name!r}")
    return names


def _label(node: Value, names: Mapping[Value, str]) -> str:
    if node in names:
        return names[node]
    return node.op.label if node.op is not None else "leaf"


def _number(x: float) -> str:
    return f"{x:.4g}"


def to_dot(root: Value, names: Mapping[Value, str] | None = None) -> str:
    """Graphviz DOT text for the graph of `root`: one box per Value (operation, data, grad), edges parent → child.

    `names` optionally labels Values (typically the inputs). Render it with
    ``dot -Tsvg``, or use `draw`.

    >>> a = Value(2.0); b = a * a
    >>> text = to_dot(b)
    >>> text.count("->"), text.count("label=")
    (2, 2)
    """
    names = _checked("to_dot", root, names)
    order = topological_order(root)
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    lines = ["digraph autograd {", "  rankdir=LR;", '  node [shape=record, fontname="Helvetica"];']
    for node in order:
        label = _label(node, names)
        for special in '\\|<>{}"':  # characters with a meaning in a DOT record label
            label = label.replace(special, "\\" + special)
        style = ', style=filled, fillcolor="#e8f0fe"' if node.is_leaf else ""
        lines.append(
            f'  {ids[node]} [label="{{ {label} | data {_number(node.data)} | grad {_number(node.grad)} }}"{style}];'
        )
    for node in order:
        for parent in node.parents:
            lines.append(f"  {ids[parent]} -> {ids[node]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_text(root: Value, names: Mapping[Value, str] | None = None, max_depth: int = 40) -> str:
    """An indented tree of the graph of `root`, output at the top, for the terminal.

    A Value used more than once is drawn in full the first time, marked
    ``[#k]``, and referred to as ``(#k, shown above)`` afterwards. Branches
    deeper than `max_depth` are cut with ``…``.
    """
    names = _checked("to_text", root, names)
    uses: dict[Value, int] = {}
    for node in topological_order(root):
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
    marks: dict[Value, int] = {}
    lines: list[str] = []
    # Each stack entry: (node, prefix for its own line, prefix for its children, depth).
    stack: list[tuple[Value, str, str, int]] = [(root, "", "", 0)]
    while stack:
        node, head, tail, depth = stack.pop()
        label = _label(node, names)
        if node in marks:
            lines.append(f"{head}{label}  (#{marks[node]}, shown above)")
            continue
        text = f"{head}{label}  data={_number(node.data)}  grad={_number(node.grad)}"
        if uses.get(node, 0) > 1:
            marks[node] = len(marks) + 1
            text += f"  [#{marks[node]}]"
        lines.append(text)
        if node.parents and depth >= max_depth:
            lines.append(f"{tail}└── …")
            continue
        children = node.parents
        for i in reversed(range(len(children))):
            last = i == len(children) - 1
            branch, indent = ("└── ", "    ") if last else ("├── ", "│   ")
            branch, indent = ("└── ", "    ") if last else ("├── ", "│   ")
            stack.append((children[i], tail + branch, tail + indent, depth + 1))
    return "\n".join(lines)


def draw(root: Value, path: str | Path, names: Mapping[Value, str] | None = None) -> Path:
    """Render the graph of `root` to an image file with Graphviz's ``dot`` program.

    The format comes from the file's suffix (``.svg``, ``.png``, ``.pdf``).
    Raises RuntimeError saying how to install Graphviz when ``dot`` is not on
    the PATH (`to_dot` needs nothing installed).
    """
    names = _checked("draw", root, names)
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"draw: the directory {str(path.parent)!r} does not exist; create it first")
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in {"svg", "png", "pdf"}:
        raise ValueError(f"draw: the file must end in .svg, .png or .pdf, got {path.name!r}")
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(
            "draw: Graphviz's 'dot' program is not installed. Install Graphviz "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
            "others: https://graphviz.org/download/), or save to_dot(value) to a .dot file."
        )
    subprocess.run([program, f"-T{fmt}", "-o", str(path)], input=to_dot(root, names), text=True, check=True)
    return path

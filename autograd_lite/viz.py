"""Pictures of the computation graph: Graphviz DOT text, a terminal tree, and image files.

>>> from autograd_lite import Value
>>> x = Value(3.0)
>>> y = x * x + 1
>>> y.backward()
>>> print(to_text(y, names={x: "x"}))
+ 1.0  data=10  grad=1
└── *  data=9  grad=1
    ├── x  data=3  grad=6  [#1]
    └── x  (#1, shown above)

A plain number such as the 1 is not a node: it shows inside the label of the
node that uses it.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import overload

from .engine import Value, topological_order

__all__ = ["Drawing", "draw", "to_dot", "to_text"]


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
    return node.op.label_with(node.constants) if node.op is not None else "leaf"


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


_INSTALL_GRAPHVIZ = (
    "Graphviz's 'dot' program is not installed. Install Graphviz "
    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
    "others: https://graphviz.org/download/), or save to_dot(value) to a .dot file."
)


class Drawing:
    """A picture of a graph for notebooks: Jupyter shows it as SVG when Graphviz is installed, else as the text tree.

    ``str(drawing)`` is the text tree; ``drawing.svg()`` the SVG (None without Graphviz).
    Displaying it never raises, whatever is installed.
    """

    def __init__(self, root: Value, names: Mapping[Value, str]) -> None:
        self.root, self.names = root, names

    def svg(self) -> str | None:
        """The graph as SVG text from Graphviz's ``dot``, or None when ``dot`` is not installed."""
        program = shutil.which("dot")
        if program is None:
            return None
        done = subprocess.run([program, "-Tsvg"], input=to_dot(self.root, self.names), text=True, capture_output=True)
        return done.stdout if done.returncode == 0 else None

    def __str__(self) -> str:
        return to_text(self.root, self.names)

    def __repr__(self) -> str:
        return f"<Drawing of a graph of {len(topological_order(self.root))} nodes: str() for the text tree>"

    def _repr_svg_(self) -> str | None:  # Jupyter: the picture, when Graphviz can draw it
        return self.svg()

    def _repr_html_(self) -> str | None:  # Jupyter: the text tree, only when there is no picture
        if shutil.which("dot") is not None:
            return None
        return "<pre>" + html.escape(str(self)) + "</pre>"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:  # IPython in a terminal
        printer.text(str(self))  # type: ignore[attr-defined]


@overload
def draw(root: Value, path: None = None, names: Mapping[Value, str] | None = None) -> Drawing: ...
@overload
def draw(root: Value, path: str | Path, names: Mapping[Value, str] | None = None) -> Path: ...


def draw(root: Value, path: str | Path | None = None, names: Mapping[Value, str] | None = None) -> Path | Drawing:
    """Draw the graph of `root`: into an image file, or, without a path, as a `Drawing` for a notebook.

    With `path`, Graphviz's ``dot`` renders the file; the format comes from its
    suffix (``.svg``, ``.png``, ``.pdf``), and a missing ``dot`` is a
    RuntimeError saying how to install it (`to_dot` needs nothing installed).
    Without, the result shows itself inline in Jupyter: SVG through Graphviz,
    or the text tree when Graphviz is missing.

    >>> from autograd_lite import Value
    >>> x = Value(3.0)
    >>> print(draw(x * x, names={x: "x"}))
    *  data=9  grad=0
    ├── x  data=3  grad=0  [#1]
    └── x  (#1, shown above)
    """
    names = _checked("draw", root, names)
    if path is None:
        return Drawing(root, names)
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"draw: the directory {str(path.parent)!r} does not exist; create it first")
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in {"svg", "png", "pdf"}:
        raise ValueError(f"draw: the file must end in .svg, .png or .pdf, got {path.name!r}")
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(f"draw: {_INSTALL_GRAPHVIZ}")
    subprocess.run([program, f"-T{fmt}", "-o", str(path)], input=to_dot(root, names), text=True, check=True)
    return path

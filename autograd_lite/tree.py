"""Containers of numbers: flatten any nesting of lists, tuples and dicts into leaves, and build it back.

The derivative functions take, for every argument they differentiate, a
number or a container of numbers, and give back derivatives of the same
shape. They do it with these two functions, and nothing else in the library
walks containers.

* Leaves are numbers (int, float, numpy scalars) and Values.
* Containers are lists, tuples and dicts, nested to any depth. A numpy array,
  or any other sequence (not a string), is read as a list, without importing
  numpy: anything with ``.tolist()`` is asked for it.
* The **leaf order** is depth first: list and tuple items in order, dict items
  in insertion order. Flattened inputs and outputs (the columns and rows of a
  Jacobian) follow it.
* One container may appear at several places (its numbers are then leaves
  at each place), but not inside itself: a list that holds itself, directly
  or deeper down, has no finite list of leaves, and is a ValueError saying
  which container and where it comes back.

>>> leaves, shape = tree_flatten({"w": [1.0, 2.0], "b": 3.0})
>>> leaves
[1.0, 2.0, 3.0]
>>> tree_unflatten(shape, [10.0, 20.0, 30.0])
{'w': [10.0, 20.0], 'b': 30.0}
>>> tree_flatten({"w": [1.0, "two"]}, "grad: argument 0")
Traceback (most recent call last):
...
TypeError: grad: argument 0['w'][1] must be a number, got str 'two'
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

from .engine import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Structure", "tree_flatten", "tree_map", "tree_paths", "tree_split", "tree_unflatten"]


class Structure:
    """The shape of a container without its leaves: what `tree_unflatten` needs to build it again.

    ``kind`` is "leaf", "list", "tuple" or "dict"; ``keys`` are a dict's keys;
    ``children`` the structures inside; ``size`` how many leaves it holds.
    """

    __slots__ = ("children", "keys", "kind", "size")
    size: int

    def __init__(self, kind: str, children: tuple[Structure, ...] = (), keys: tuple[Any, ...] = ()) -> None:
        self.kind, self.children, self.keys = kind, children, keys
        self.size = 1 if kind == "leaf" else sum(c.size for c in children)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Structure)
            and (self.kind, self.keys, self.children) == (other.kind, other.keys, other.children)
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.keys, self.children))

    def __repr__(self) -> str:
        # The container with a * for every leaf, e.g. {'w': [*, *], 'b': *}.
        if self.kind == "leaf":
            return "*"
        if self.kind == "dict":
            return "{" + ", ".join(f"{k!r}: {c!r}" for k, c in zip(self.keys, self.children)) + "}"
        inside = ", ".join(repr(c) for c in self.children)
        if self.kind == "list":
            return f"[{inside}]"
        return f"({inside},)" if len(self.children) == 1 else f"({inside})"


LEAF = Structure("leaf")


def _as_items(x: object) -> list[Any] | None:
    """A numpy array (anything with .tolist()) or another non-string sequence as a list; None for anything else."""
    if isinstance(x, (str, bytes, Value)):
        return None
    tolist = getattr(x, "tolist", None)
    if callable(tolist) and not isinstance(x, numbers.Real):
        items = tolist()
        return items if isinstance(items, list) else None  # a 0-d array gives a number: a leaf
    if isinstance(x, Sequence):
        return list(x)
    return None


def tree_flatten(tree: Any, where: str = "tree_flatten: tree") -> tuple[list[Any], Structure]:
    """The leaves of `tree` in leaf order, and its `Structure`.

    A leaf that is neither a number nor a Value is a TypeError naming its path
    inside the container, after `where` (e.g. ``grad: argument 0["layers"][2]``).
    A container that contains itself is a ValueError naming both places.

    >>> tree_flatten((1.0, [2.0, 3.0]))
    ([1.0, 2.0, 3.0], (*, [*, *]))
    >>> loop = [1.0]
    >>> loop.append(loop)
    >>> tree_flatten(loop)
    Traceback (most recent call last):
    ...
    ValueError: tree_flatten: tree contains itself: its item [1] is the same list, so it has no finite list of numbers
    """
    leaves: list[Any] = []
    structure = _flatten(tree, where, leaves, {})
    return leaves, structure


def _flatten(tree: Any, path: str, leaves: list[Any], open_: dict[int, str]) -> Structure:
    """`tree`'s structure, its leaves appended to `leaves`; `open_` maps the containers being walked to their paths."""
    if isinstance(tree, (Value, numbers.Real)):
        leaves.append(tree)
        return LEAF
    # Only the containers on the way down from the root are kept (an id and a
    # path each), so a container met again in a sibling is fine and a loop is
    # caught the first time it closes, before Python's recursion limit.
    key = id(tree)
    if key in open_:
        outer = open_[key]  # where this container was entered; `path` runs on from there
        raise ValueError(
            f"{outer} contains itself: its item {path[len(outer) :]} is the same {type(tree).__name__}, "
            "so it has no finite list of numbers"
        )
    open_[key] = path
    if isinstance(tree, dict):
        keys = tuple(tree)
        structure = Structure("dict", tuple(_flatten(tree[k], f"{path}[{k!r}]", leaves, open_) for k in keys), keys)
    elif isinstance(tree, tuple):
        structure = Structure("tuple", tuple(_flatten(x, f"{path}[{i}]", leaves, open_) for i, x in enumerate(tree)))
    elif (items := _as_items(tree)) is not None:
        structure = Structure("list", tuple(_flatten(x, f"{path}[{i}]", leaves, open_) for i, x in enumerate(items)))
    else:
        del open_[key]
        return _leaf(tree, path, leaves)
    del open_[key]
    return structure


def _leaf(tree: Any, path: str, leaves: list[Any]) -> Structure:
    """A leaf that is not a number or a Value as such: a numpy scalar, a 0-d array; else a TypeError."""
    item = getattr(tree, "item", None)
    if callable(item) and isinstance(number := item(), numbers.Real):
        leaves.append(number)  # a numpy scalar, or a 0-d array
        return LEAF
    what = "a number" if path.endswith("]") else "a number, or a list, tuple or dict of numbers"
    raise TypeError(f"{path} must be {what}, got {type(tree).__name__} {tree!r}")


def tree_unflatten(structure: Structure, leaves: Sequence[Any]) -> Any:
    """Build the container `structure` describes, with `leaves` in leaf order.

    >>> _, shape = tree_flatten([1.0, (2.0, 3.0)])
    >>> tree_unflatten(shape, ["a", "b", "c"])
    ['a', ('b', 'c')]
    """
    if len(leaves) != structure.size:
        raise ValueError(f"tree_unflatten: the structure holds {structure.size} leaves, got {len(leaves)}")
    return _build(structure, iter(leaves))


def _build(structure: Structure, leaves: Any) -> Any:
    if structure.kind == "leaf":
        return next(leaves)
    built = [_build(child, leaves) for child in structure.children]
    if structure.kind == "dict":
        return dict(zip(structure.keys, built))
    return tuple(built) if structure.kind == "tuple" else built


def tree_map(f: Any, tree: Any, where: str = "tree_map: tree") -> Any:
    """`tree` with `f` applied to every leaf.

    >>> tree_map(lambda x: 2 * x, {"a": [1.0, 2.0]})
    {'a': [2.0, 4.0]}
    """
    leaves, structure = tree_flatten(tree, where)
    return tree_unflatten(structure, [f(x) for x in leaves])


def tree_split(structures: Sequence[Structure], leaves: Sequence[Any]) -> list[Any]:
    """One container per structure, filled from `leaves` in order: the arguments from one flat list.

    >>> _, a = tree_flatten(1.0); _, b = tree_flatten([2.0, 3.0])
    >>> tree_split([a, b], [10.0, 20.0, 30.0])
    [10.0, [20.0, 30.0]]
    """
    built, start = [], 0
    for structure in structures:
        built.append(tree_unflatten(structure, leaves[start : start + structure.size]))
        start += structure.size
    if start != len(leaves):
        raise ValueError(f"tree_split: the structures hold {start} leaves, got {len(leaves)}")
    return built


def tree_paths(structure: Structure, prefix: str) -> list[str]:
    """Where each leaf sits, in leaf order, as code after `prefix`.

    >>> tree_paths(tree_flatten({"w": [1.0, 2.0], "b": 3.0})[1], "p")
    ["p['w'][0]", "p['w'][1]", "p['b']"]
    """
    if structure.kind == "leaf":
        return [prefix]
    keys = structure.keys if structure.kind == "dict" else range(len(structure.children))
    return [path for k, child in zip(keys, structure.children) for path in tree_paths(child, f"{prefix}[{k!r}]")]

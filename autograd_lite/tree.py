"""Containers of numbers: flatten any nesting of lists, tuples and dicts into leaves, and build it back.

The derivative functions take, for every argument they differentiate, a
number or a container of numbers, and give back derivatives of the same
shape. They do it with these two functions, and nothing else in the library
walks containers.

* Leaves are numbers (int, float, numpy scalars) and Values.
* Containers are lists, tuples and dicts, nested to any depth, and numpy
  arrays. Any other sequence (not a string) is read as a list; anything else
  with ``.tolist()`` is asked for it.
* A numpy array is a container of its own kind: `tree_unflatten` builds an
  array of the same shape again, of dtype float64 when every leaf is a number
  and of dtype object otherwise (Values, say). Its numbers are leaves in
  row-major (C) order, which is also the order of ``.tolist()``. The package
  never imports numpy: an array is recognised only once numpy is loaded (it
  is, if an array exists), and built with the module it came from. A 0-d
  array is an array of shape ``()``; a numpy scalar (``np.float32(2.0)``) is a
  number.
* The **leaf order** is depth first: list and tuple items in order, dict items
  in insertion order, array items in row-major order. Flattened inputs and
  outputs (the columns and rows of a Jacobian) follow it.
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
import sys
from collections.abc import Sequence

from .engine import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Structure", "is_array", "tree_flatten", "tree_map", "tree_paths", "tree_split", "tree_unflatten"]


class Structure:
    """The shape of a container without its leaves: what `tree_unflatten` needs to build it again.

    ``kind`` is "leaf", "list", "tuple", "dict" or "array" (a numpy array);
    ``keys`` are a dict's keys, or an array's shape; ``children`` the
    structures inside (none for an array: its leaves are its items); ``size``
    how many leaves it holds.
    """

    __slots__ = ("children", "keys", "kind", "size")
    size: int

    def __init__(self, kind: str, children: tuple[Structure, ...] = (), keys: tuple[Any, ...] = ()) -> None:
        self.kind, self.children, self.keys = kind, children, keys
        if kind == "array":
            self.size = 1
            for n in keys:
                self.size *= n
        else:
            self.size = 1 if kind == "leaf" else sum(c.size for c in children)

    @classmethod
    def array(cls, shape: tuple[int, ...]) -> Structure:
        """The structure of a numpy array of this shape.

        >>> Structure.array((2, 3))
        array(shape=(2, 3))
        """
        return cls("array", keys=tuple(shape))

    def lists(self) -> Structure:
        """This structure with every array read as nested lists (a 0-d array as a leaf).

        Two structures whose `lists` are equal have their leaves at the same
        places: a list can stand for an array, as a tangent for its primal.

        >>> Structure.array((2,)).lists() == tree_flatten([1.0, 2.0])[1]
        True
        """
        if self.kind == "leaf":
            return self
        if self.kind == "array":
            built = LEAF
            for n in reversed(self.keys):
                built = Structure("list", (built,) * n)
            return built
        return Structure(self.kind, tuple(c.lists() for c in self.children), self.keys)

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
        if self.kind == "array":
            return f"array(shape={self.keys!r})"
        if self.kind == "dict":
            return "{" + ", ".join(f"{k!r}: {c!r}" for k, c in zip(self.keys, self.children)) + "}"
        inside = ", ".join(repr(c) for c in self.children)
        if self.kind == "list":
            return f"[{inside}]"
        return f"({inside},)" if len(self.children) == 1 else f"({inside})"


LEAF = Structure("leaf")


def is_array(x: object) -> bool:
    """Whether `x` is a numpy array, without importing numpy: none exists unless numpy is loaded."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(x, numpy.ndarray)


def _as_items(x: object) -> list[Any] | None:
    """Anything else with .tolist() (a numpy array is its own kind), or a non-string sequence, as a list; else None."""
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
    >>> import numpy as np
    >>> tree_flatten({"w": np.array([[1.0, 2.0], [3.0, 4.0]])})
    ([1.0, 2.0, 3.0, 4.0], {'w': array(shape=(2, 2))})
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
    if is_array(tree):
        return _flatten_array(tree, path, leaves)
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


def _flatten_array(array: Any, path: str, leaves: list[Any]) -> Structure:
    """A numpy array's structure, its items appended to `leaves` in row-major order; each item must be a leaf."""
    structure = Structure.array(array.shape)
    # As a plain ndarray (a subclass such as np.matrix keeps two dimensions when reshaped), then one row:
    # Python numbers for a numeric array, the objects themselves for dtype object.
    items = sys.modules["numpy"].asarray(array).reshape(-1).tolist()
    if all(isinstance(x, (Value, numbers.Real)) for x in items):
        leaves += items
        return structure
    for x, where in zip(items, tree_paths(structure, path)):
        if isinstance(x, (Value, numbers.Real)):
            leaves.append(x)
        else:
            _leaf(x, where, leaves)
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
    >>> tree_unflatten(Structure.array((2,)), [1, 2.5])
    array([1. , 2.5])
    """
    if len(leaves) != structure.size:
        raise ValueError(f"tree_unflatten: the structure holds {structure.size} leaves, got {len(leaves)}")
    return _build(structure, iter(leaves))


def _build(structure: Structure, leaves: Any) -> Any:
    if structure.kind == "leaf":
        return next(leaves)
    if structure.kind == "array":
        return _build_array(structure.keys, [next(leaves) for _ in range(structure.size)])
    built = [_build(child, leaves) for child in structure.children]
    if structure.kind == "dict":
        return dict(zip(structure.keys, built))
    return tuple(built) if structure.kind == "tuple" else built


def _build_array(shape: tuple[int, ...], items: list[Any]) -> Any:
    """A numpy array of `shape` holding `items` in row-major order: float64 if all are numbers, else dtype object."""
    numpy = sys.modules["numpy"]  # loaded: an array's structure comes from an array
    if all(isinstance(x, numbers.Real) for x in items):
        return numpy.asarray(items, dtype=numpy.float64).reshape(shape)
    array = numpy.empty(len(items), dtype=object)
    for i, x in enumerate(items):  # one by one, so that numpy never looks inside an item
        array[i] = x
    return array.reshape(shape)


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
    if structure.kind == "array":
        paths = [prefix]
        for n in structure.keys:
            paths = [f"{p}[{i}]" for p in paths for i in range(n)]
        return paths
    keys = structure.keys if structure.kind == "dict" else range(len(structure.children))
    return [path for k, child in zip(keys, structure.children) for path in tree_paths(child, f"{prefix}[{k!r}]")]

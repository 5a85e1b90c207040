"""Pickles and deep copies of Values: a graph of any depth, without recursion, checked when it is loaded.

A leaf pickles as its number and gradient; a computed Value also as its row,
its parents, its local derivatives and its constants; the guards it keeps for
replay travel with it. Rows pickle by name (`Primitive.made_by`), so loading
runs only this library's own functions: `_leaf`, `_computed` and the row
factories, each of which checks what it is given and raises naming what is
wrong. A pickle from an untrusted source is still a pickle, though: Python's
`pickle` can be made to call anything, so load only pickles you trust.

Pickling follows parents, and a deep graph would pass Python's recursion
limit. So the first Value of a graph to be pickled sends its ancestors ahead,
parents before children: each then refers only to parents the pickle already
holds. A marker at the end of that list ends the favour once they are sent.

>>> import pickle
>>> from autograd_lite import Value
>>> w = Value(2.0)
>>> y = pickle.loads(pickle.dumps(w * w + 1.0))
>>> y.data, y.op.name, y.parents[0].op.name
(5.0, 'add', 'mul')
"""

from __future__ import annotations

import copyreg
import math
import threading

from .checks import real
from .engine import Value, _constant, _link, _new, topological_order
from .guards import state_of
from .primitives import Primitive

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from typing import Any

__all__: list[str] = []


def _reduce(v: Value) -> tuple[Any, ...]:
    """How pickle and deepcopy take a Value apart: (rebuilder, its arguments, its guards: `Value.__setstate__`)."""
    guards = state_of(v)
    if v.is_leaf:
        return _leaf, (v.data, v.grad), guards
    ahead: list[Any]
    if id(v) in _pickling.ancestors:
        _pickling.ancestors.discard(id(v))
        ahead = []
    else:
        ahead = topological_order(v)[:-1]
        sent = {id(u) for u in ahead if not u.is_leaf}
        _pickling.ancestors |= sent
        ahead.append(_Sent(sent))  # type: ignore[arg-type]  # the marker, last
    data = (ahead, v.data, v.grad, v.op, v.parents, v.local_grads, v.constants)
    return _computed, data, guards


class _Pickling(threading.local):
    """Per thread: the ids of computed Values whose ancestors a pickle has already sent ahead."""

    def __init__(self) -> None:
        self.ancestors: set[int] = set()


_pickling = _Pickling()


class _Sent:
    """The end of a list of ancestors sent ahead: pickling it ends their favour (it unpickles as None)."""

    __slots__ = ("ids",)

    def __init__(self, ids: set[int]) -> None:
        self.ids = ids

    def __reduce__(self) -> tuple[Any, ...]:
        _pickling.ancestors -= self.ids
        return type(None), ()

    def __deepcopy__(self, memo: dict[int, Any]) -> None:
        _pickling.ancestors -= self.ids


_REBUILD = "unpickling a Value"


def _leaf(data: float, grad: float) -> Value:
    node = _constant(real(data, f"{_REBUILD}: its data"))
    node._grad = real(grad, f"{_REBUILD}: its grad")
    return node


def _computed(
    ahead: list[Value],
    data: float,
    grad: float,
    op: Primitive,
    parents: tuple[Value, ...],
    local: tuple[float, ...],
    constants: tuple[float, ...] = (),
) -> Value:
    if not isinstance(op, Primitive):
        raise TypeError(f"{_REBUILD}: its row must be a Primitive, got {type(op).__name__} {op!r}")
    if type(parents) is not tuple or not parents or any(type(p) is not Value for p in parents):
        raise TypeError(f"{_REBUILD}: the parents of a {op.name} node must be a tuple of Values, got {parents!r}")
    if type(local) is not tuple or len(local) != len(parents):
        raise ValueError(f"{_REBUILD}: {op.name} with {len(parents)} parent(s) takes one derivative each: {local!r}")
    if type(constants) is not tuple:
        raise TypeError(f"{_REBUILD}: the constants of a {op.name} node must be a tuple, got {constants!r}")
    inputs = len(parents) + len(constants)
    if (op.arity >= 0 and inputs != op.arity) or (op.arity < 0 and constants):
        raise ValueError(f"{_REBUILD}: {op.name} takes {op.arity} input(s), got {inputs}")
    node = _new(Value)
    node._data, node._grad, node._op = real(data, f"{_REBUILD}: its data"), real(grad, f"{_REBUILD}: its grad"), op
    derivatives = tuple(_derivative(d, op) for d in local)
    _link(node, parents, derivatives, tuple(real(c, f"{_REBUILD}: a constant of {op.name}") for c in constants))
    return node


def _derivative(d: object, op: Primitive) -> float:
    """A stored local derivative: a finite float, or inf where the derivative is infinite (never nan)."""
    if type(d) is float and d in (math.inf, -math.inf):
        return d
    return real(d, f"{_REBUILD}: a local derivative of {op.name}")


copyreg.pickle(Value, _reduce)

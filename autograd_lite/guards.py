"""Guards: the comparisons and conversions a recorded graph depends on, remembered for replay.

``a < b`` on Values returns a plain bool, and the program then takes one
branch; ``int(v)`` and ``round(v)`` give plain numbers the program goes on
using. The recorded graph is only right while each of them comes out as it
did. So while recording, each one is remembered as a `Guard` on the Values
it read, and `compile()` checks its graph's guards again on every replay,
raising `BranchChangedError` where one comes out differently.

What a Value keeps is bounded and scoped:

* Comparisons of a Value with plain numbers all describe the one number the
  Value holds, so together they say "this number lies in an interval": a
  Value keeps only the tightest bound on each side (and "not zero", from
  ``if v:``), however many comparisons were made.
* A leaf (a parameter) lives longer than the graphs made from it. It keeps
  only the guards made at its current number (assigning ``.data`` forgets
  the others) and holds the other Value of a comparison by weak reference,
  so it never keeps an old graph alive. A computed Value belongs to its
  graph and holds the other operands strongly: the loser of ``max(a, b)``
  must stay alive to be recomputed. A Value refers to itself weakly, so no
  reference cycle forms (except between two computed Values compared with
  each other: that pair is freed by Python's cycle collector).

>>> from autograd_lite import Value
>>> w = Value(2.0)
>>> for c in range(100):
...     _ = w > c
>>> [g.describe() for g in guards_of(w)]   # one bound on each side is all they say
['2.0 > 1', '2.0 > 2 is False']
"""

from __future__ import annotations

import contextvars
import math
import numbers
import operator
import weakref

from .grad_mode import recording

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    _Record = tuple[str, Callable[..., Any], tuple[Any, ...], Any]

__all__ = ["Collecting", "Compared", "Guard", "forget", "guards_of", "remember", "restored", "state_of"]

# The comparisons a bound can be read from, by symbol: (the bound is below the number when the
# comparison holds, strictly). ``v > c`` true: c < v, a strict lower bound; false: v ≤ c, an upper one.
_BOUNDS = {">": (True, True), ">=": (True, False), "<": (False, True), "<=": (False, False)}

# What a Value keeps, per guard: a plain tuple (symbol, test, operands, outcome), cheap to make at every
# comparison. Among the operands, the Value itself and, for a leaf, the other Values are weak references.
_ref = weakref.ref
_WeakRef = weakref.ReferenceType


class Guard:
    """One fact a recorded graph depends on: ``test(*operands)`` came out as `outcome` when it was recorded.

    `operands` are Values and plain numbers; `symbol` is an infix operator
    (``<``, ``!=``) or a function name (``round``). Made by `guards_of` from
    what a Value keeps.
    """

    __slots__ = ("operands", "outcome", "symbol", "test")

    def __init__(self, symbol: str, test: Callable[..., Any], operands: tuple[Any, ...], outcome: Any) -> None:
        self.symbol, self.test, self.operands, self.outcome = symbol, test, operands, outcome

    def numbers(self) -> list[Any]:
        """The operands' numbers now (a Value's ``.data``, a plain number as it is)."""
        return [getattr(x, "data", x) for x in self.operands]

    def holds(self, numbers: Sequence[Any]) -> bool:
        """Whether the test at `numbers` comes out as it did when recorded."""
        return bool(self.test(*numbers) == self.outcome)

    @property
    def is_comparison(self) -> bool:
        """True for a comparison (``<``, ``!=``, …), False for a conversion (``round``)."""
        return self.symbol in _BOUNDS or self.symbol == "!="

    def expression(self, numbers: Sequence[Any]) -> str:
        """The test at `numbers` as code: ``3.0 > 0``, ``round(3.7)``."""
        if self.is_comparison:
            return f"{numbers[0]!r} {self.symbol} {numbers[1]!r}"
        return f"{self.symbol}({', '.join(map(repr, numbers))})"

    def describe(self, numbers: Sequence[Any] | None = None) -> str:
        """What was recorded, at `numbers` (default: the operands' now): ``3.0 > 0``, ``2.0 > 2 is False``."""
        text = self.expression(self.numbers() if numbers is None else numbers)
        if self.is_comparison:
            return text if self.outcome is True else f"{text} is {self.outcome!r}"
        return f"{text} == {self.outcome!r}"


def _comparison(symbol: str, test: Callable[[Any, Any], bool]) -> Callable[[Compared, object], bool]:
    """The method ``self <symbol> other``: a bool on the numbers, remembered while recording."""

    def compare(self: Compared, other: object) -> bool:
        if isinstance(other, Compared):
            outcome = test(self._data, other._data)
        elif isinstance(other, numbers.Real):
            outcome = test(self._data, other)  # exactly, as Python compares numbers (no conversion to float)
        else:
            return NotImplemented  # type: ignore[no-any-return]  # lets Python try the other side
        if recording():
            remember(symbol, test, (self, other), outcome)
        return outcome

    compare.__name__ = compare.__qualname__ = {"<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}[symbol]
    compare.__doc__ = f"``self {symbol} other`` on the numbers; a bool, remembered while recording (replay guards)."
    return compare


def _sign_of(x: float, one: float) -> float:
    """copysign(1, x), the test of a sign guard (the Value first, as every guard has it)."""
    return math.copysign(one, x)


def _refused(kind: str) -> Callable[[Any], Any]:
    """``float(v)`` and its kin: an error, since the plain number would lose the derivative with no trace."""

    def convert(self: Any) -> Any:
        raise TypeError(
            f"{kind}() of a Value would lose its derivative: use v.item() (or v.data) for the number, "
            f"or autograd_lite's own function (autograd_lite.sin, not math.sin) to keep the derivative"
        )

    convert.__name__ = f"__{kind}__"
    return convert


class Compared:
    """How `autograd_lite.engine.Value` (a subclass) answers Python's questions of a number, other than arithmetic.

    ``a < b`` compares the numbers exactly, as Python compares numbers (no
    conversion to float: ``Value(2.0) < 10**400`` is True), and returns a bool;
    while recording it is remembered as a guard on the Values compared.
    ``if v:`` is ``v.data != 0``, and ``round(v)`` gives a plain number; both
    are remembered the same way. ``float(v)``, ``int(v)``, ``operator.index(v)``
    and ``complex(v)`` raise: their plain number would silently drop the
    graph (``v.item()`` asks for the number on purpose).
    """

    __slots__ = ()
    _data: float
    #: Read by the rows' derivatives: a derivative that branches on a Value compares it, so the branch is a guard.
    _compares_as_guard = True

    __lt__ = _comparison("<", operator.lt)
    __le__ = _comparison("<=", operator.le)
    __gt__ = _comparison(">", operator.gt)
    __ge__ = _comparison(">=", operator.ge)

    def __bool__(self) -> bool:
        """``v.data != 0``, remembered while recording like a comparison (``if v:`` takes a branch)."""
        outcome = self._data != 0.0
        if recording():
            remember("!=", operator.ne, (self, 0.0), outcome)
        return outcome

    def __round__(self, ndigits: int | None = None) -> float:
        """``round(v, 3)``: the number, rounded; a plain number, remembered while recording as a replay guard.

        Its slope is 0 wherever it is defined, so nothing is lost; a replay
        whose rounded number comes out differently raises (``round_(v)``
        records a node instead).
        """
        result = round(self._data, ndigits)
        if recording():
            remember("round", round, (self,) if ndigits is None else (self, ndigits), result)
        return result

    __float__, __int__, __index__, __complex__ = map(_refused, ("float", "int", "index", "complex"))

    def _sign_bit(self) -> float:
        """copysign(1, v): −1.0 for a negative number or −0.0, else 1.0; remembered while recording (the
        derivative of copysign reads it, and no comparison can tell −0.0 from 0.0)."""
        outcome = math.copysign(1.0, self._data)
        if recording():
            remember("sign_of", _sign_of, (self, 1.0), outcome)
        return outcome


def guards_of(node: Any) -> list[Guard]:
    """The guards remembered on `node` whose Values all still exist (what `compile` collects)."""
    found = []
    for symbol, test, operands, outcome in getattr(node, "_guards", None) or ():
        values = _resolved(operands)
        if values is not None:
            found.append(Guard(symbol, test, values, outcome))
    return found


# While `jit` traces a function, every comparison made is also listed here (its operands, held strongly), so
# that the program checks it even where its Values do not reach the function's result (the branch of relu's
# derivative compares a Value that a zero gradient never uses).
_traced: contextvars.ContextVar[list[tuple[Any, ...]] | None] = contextvars.ContextVar("traced", default=None)


class Collecting:
    """``with Collecting() as operands:``: the operands of every guard remembered inside, in order."""

    __slots__ = ("_token", "operands")

    def __enter__(self) -> list[tuple[Any, ...]]:
        self.operands: list[tuple[Any, ...]] = []
        self._token = _traced.set(self.operands)
        return self.operands

    def __exit__(self, *exc_info: object) -> None:
        _traced.reset(self._token)


def remember(symbol: str, test: Callable[..., Any], operands: tuple[Any, ...], outcome: Any) -> None:
    """Remember a guard on every Value among `operands` (the first is always a Value).

    Each holder refers to itself weakly (a Value holding itself would be a
    reference cycle); a leaf refers weakly to the other Values too.
    """
    traced = _traced.get()
    if traced is not None:
        traced.append(operands)
    for holder in operands:
        if isinstance(holder, Compared):
            leaf = holder.is_leaf  # type: ignore[attr-defined]
            kept: tuple[Any, ...]
            if len(operands) == 2:  # a comparison: written out, it is on the path of every `if v > 0`
                a, b = operands
                kept = (_ref(a) if a is holder or leaf else a,
                        _ref(b) if b is holder or (leaf and isinstance(b, Compared)) else b)  # fmt: skip
            else:
                kept = tuple([_ref(x) if x is holder or (leaf and isinstance(x, Compared)) else x for x in operands])
            guards: list[_Record] | None = getattr(holder, "_guards", None)
            if guards is None:
                holder._guards = [(symbol, test, kept, outcome)]  # type: ignore[attr-defined]
            elif leaf:
                _keep_on_leaf(guards, (symbol, test, kept, outcome))
            else:  # a computed Value: its guards die with its graph, so its list is bounded by the program
                last = guards[-1]
                if not (last[0] == symbol and last[2] == kept and last[3] == outcome):  # the same test again
                    guards.append((symbol, test, kept, outcome))


def forget(node: Any) -> None:
    """Drop every guard of `node`: its number changed, so they describe another point."""
    if getattr(node, "_guards", None) is not None:
        node._guards = None


def state_of(node: Any) -> list[_Record] | None:
    """The guards of `node` for a pickle or a copy: the Values themselves (a weak reference cannot be pickled)."""
    state = []
    for symbol, test, operands, outcome in getattr(node, "_guards", None) or ():
        values = _resolved(operands)
        if values is not None:
            state.append((symbol, test, values, outcome))
    return state or None


def restored(node: Any, state: object) -> list[_Record]:
    """The guards of a pickled or copied `node` from `state_of`, checked, its references weak again."""
    if type(state) is not list or not all(_is_record(r) for r in state):
        raise TypeError(f"unpickling a Value: its guards must be a list of guard records, got {state!r}")
    leaf = node.is_leaf

    def kept(x: Any) -> Any:
        return _ref(x) if x is node or (leaf and isinstance(x, Compared)) else x

    return [(symbol, test, tuple(map(kept, operands)), outcome) for symbol, test, operands, outcome in state]


def _is_record(r: object) -> bool:
    return type(r) is tuple and len(r) == 4 and type(r[0]) is str and callable(r[1]) and type(r[2]) is tuple


def _resolved(operands: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The operands with weak references resolved; None when a Value among them no longer exists."""
    out = []
    for x in operands:
        if type(x) is _WeakRef:
            x = x()
            if x is None:
                return None
        out.append(x)
    return tuple(out)


def _keep_on_leaf(guards: list[_Record], record: _Record) -> None:
    """Add `record` to a leaf's list, keeping only the tightest bound of each kind and no dead or repeated ones."""
    kind = _bound_kind(record)
    kept = []
    for old in guards:
        if _resolved(old[2]) is None:
            continue  # its other Value is gone: so is every graph that could check it
        if kind is not None and _bound_kind(old) == kind:
            if _tighter(old, record, kind):
                return  # the bound already kept says more
            continue  # the new one replaces it
        if kind is None and old[0] == record[0] and _same_operands(old, record):
            continue  # the same test of the same operands: the latest outcome is kept
        kept.append(old)
    kept.append(record)
    guards[:] = kept


def _bound_kind(record: _Record) -> bool | None:
    """True for a lower bound on one Value by a plain number, False for an upper one, None for any other guard."""
    symbol, _, operands, outcome = record
    other = operands[-1]
    if symbol not in _BOUNDS or len(operands) != 2 or isinstance(other, Compared) or type(other) is _WeakRef:
        return None
    below, _ = _BOUNDS[symbol]
    return below is outcome


def _bound(record: _Record) -> tuple[Any, bool]:
    """The record's bound and whether it is strict (a failed ``v > c`` is ``v <= c``: the strictness flips)."""
    _, strict = _BOUNDS[record[0]]
    return record[2][1], strict == record[3]


def _tighter(old: _Record, new: _Record, lower: bool) -> bool:
    """Whether the bound `old` says at least as much as `new` (both lower, or both upper, bounds)."""
    (a, a_strict), (b, b_strict) = _bound(old), _bound(new)
    if a == b:
        return a_strict or not b_strict
    return bool(a > b) if lower else bool(a < b)


def _same_operands(a: _Record, b: _Record) -> bool:
    """The same operands: Values by identity, numbers by value."""
    x, y = _resolved(a[2]), _resolved(b[2])
    if x is None or y is None or len(x) != len(y):
        return False
    return all(p is q if isinstance(p, Compared) or isinstance(q, Compared) else p == q for p, q in zip(x, y))

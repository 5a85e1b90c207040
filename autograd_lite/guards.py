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
>>> [g.describe(g.numbers()) for g in guards_of(w)]   # one bound on each side is all they say
['2.0 > 1', '2.0 > 2 is False']
"""

from __future__ import annotations

import numbers
import operator
import weakref

from .grad_mode import recording

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["Compared", "Guard", "forget", "guards_of", "remember"]

# The comparisons a bound can be read from, by symbol: (the bound is below the number when the
# comparison holds, strictly). ``v > c`` true: c < v, a strict lower bound; false: v ≤ c, an upper one.
_BOUNDS = {">": (True, True), ">=": (True, False), "<": (False, True), "<=": (False, False)}


class Guard:
    """One fact the graph depends on: ``test(*operands)`` came out as `outcome` when it was recorded.

    `operands` are Values, plain numbers, or weak references to Values (kept
    by a leaf); `symbol` is an infix operator (``<``, ``!=``) or a function
    name (``int``, ``round``).
    """

    __slots__ = ("operands", "outcome", "symbol", "test")

    def __init__(self, symbol: str, test: Callable[..., Any], operands: tuple[Any, ...], outcome: Any) -> None:
        self.symbol, self.test, self.operands, self.outcome = symbol, test, operands, outcome

    def values(self) -> tuple[Any, ...] | None:
        """The operands with weak references resolved; None when a Value it compared no longer exists."""
        out = []
        for x in self.operands:
            if type(x) is weakref.ReferenceType:
                x = x()
                if x is None:
                    return None
            out.append(x)
        return tuple(out)

    def numbers(self) -> list[Any]:
        """The operands' numbers now (a Value's ``.data``, a plain number as it is)."""
        return [getattr(x, "data", x) for x in (self.values() or ())]

    def holds(self, numbers: Sequence[Any]) -> bool:
        """Whether the test at `numbers` comes out as it did when recorded."""
        return bool(self.test(*numbers) == self.outcome)

    @property
    def is_comparison(self) -> bool:
        """True for a comparison (``<``, ``!=``, …), False for a conversion (``int``, ``round``)."""
        return self.symbol in _BOUNDS or self.symbol == "!="

    def expression(self, numbers: Sequence[Any]) -> str:
        """The test at `numbers` as code: ``3.0 > 0``, ``int(3.7)``."""
        if self.is_comparison:
            return f"{numbers[0]!r} {self.symbol} {numbers[1]!r}"
        return f"{self.symbol}({', '.join(map(repr, numbers))})"

    def describe(self, numbers: Sequence[Any]) -> str:
        """What was recorded, at `numbers`: ``3.0 > 0``, ``2.0 > 2 is False``, ``int(3.7) == 3``."""
        text = self.expression(numbers)
        if self.is_comparison:
            return text if self.outcome is True else f"{text} is {self.outcome!r}"
        return f"{text} == {self.outcome!r}"

    def __reduce__(self) -> tuple[Any, ...]:
        # A pickle holds the Values themselves: a weak reference cannot be pickled.
        return Guard, (self.symbol, self.test, self.values() or (), self.outcome)


class Compared:
    """The comparisons of `autograd_lite.engine.Value` (a base class): plain bools, remembered while recording.

    ``a < b`` compares the numbers exactly, as Python compares numbers (no
    conversion to float: ``Value(2.0) < 10**400`` is True), and returns a bool;
    while recording it is remembered as a guard on the Values compared.
    ``if v:`` is ``v.data != 0``, and ``round(v)`` gives a plain number; both
    are remembered the same way.
    """

    __slots__ = ()
    _data: float

    def _compare(self, symbol: str, test: Callable[[Any, Any], bool], other: object) -> bool:
        if isinstance(other, Compared):
            right: Any = other._data
        elif isinstance(other, numbers.Real):
            right = other
        else:
            return NotImplemented  # type: ignore[no-any-return]  # lets Python try the other side
        outcome = test(self._data, right)
        if recording():
            remember(symbol, test, (self, other), outcome)
        return outcome

    def __lt__(self, other: object) -> bool:
        """``self < other`` on the numbers; a bool, remembered while recording."""
        return self._compare("<", operator.lt, other)

    def __le__(self, other: object) -> bool:
        """``self <= other`` on the numbers; a bool, remembered while recording."""
        return self._compare("<=", operator.le, other)

    def __gt__(self, other: object) -> bool:
        """``self > other`` on the numbers; a bool, remembered while recording."""
        return self._compare(">", operator.gt, other)

    def __ge__(self, other: object) -> bool:
        """``self >= other`` on the numbers; a bool, remembered while recording."""
        return self._compare(">=", operator.ge, other)

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


def guards_of(node: Any) -> list[Guard]:
    """The guards remembered on `node` whose Values all still exist (what `compile` collects)."""
    return [g for g in getattr(node, "_guards", None) or () if g.values() is not None]


def remember(symbol: str, test: Callable[..., Any], operands: tuple[Any, ...], outcome: Any) -> None:
    """Remember a guard on every Value among `operands` (the first is always a Value).

    Each holder refers to itself weakly (a Value holding itself would be a
    reference cycle); a leaf refers weakly to the other Values too.
    """
    for holder in operands:
        if getattr(type(holder), "_record_row", None) is None:  # a plain number holds nothing
            continue
        leaf = holder.is_leaf
        kept = tuple(
            weakref.ref(x) if x is holder or (leaf and hasattr(type(x), "_record_row")) else x for x in operands
        )
        _keep(holder, Guard(symbol, test, kept, outcome))


def forget(node: Any) -> None:
    """Drop every guard of `node`: its number changed, so they describe another point."""
    if getattr(node, "_guards", None) is not None:
        node._guards = None


def _keep(holder: Any, guard: Guard) -> None:
    """Add `guard` to `holder`'s list, keeping only the tightest bound of each kind and no dead or repeated ones."""
    guards: list[Guard] | None = getattr(holder, "_guards", None)
    if guards is None:
        holder._guards = [guard]
        return
    kind = _bound_kind(guard)
    kept = []
    for old in guards:
        if old.values() is None:
            continue  # its other Value is gone: so is every graph that could check it
        if kind is not None and _bound_kind(old) == kind:
            if _tighter(old, guard, kind):
                return  # the bound already kept says more
            continue  # the new one replaces it
        if kind is None and old.symbol == guard.symbol and _same_operands(old, guard):
            continue  # the same test of the same operands: the latest outcome is kept
        kept.append(old)
    kept.append(guard)
    holder._guards = kept


def _bound_kind(guard: Guard) -> bool | None:
    """True for a lower bound on one Value by a plain number, False for an upper one, None for any other guard."""
    other = guard.operands[-1]
    if guard.symbol not in _BOUNDS or hasattr(other, "_record_row") or type(other) is weakref.ReferenceType:
        return None
    below, _ = _BOUNDS[guard.symbol]
    return below is guard.outcome


def _bound(guard: Guard) -> tuple[Any, bool]:
    """The guard's bound and whether it is strict (a failed ``v > c`` is ``v <= c``: the strictness flips)."""
    _, strict = _BOUNDS[guard.symbol]
    return guard.operands[1], strict == guard.outcome


def _tighter(old: Guard, new: Guard, lower: bool) -> bool:
    """Whether the bound `old` says at least as much as `new` (both lower, or both upper, bounds)."""
    (a, a_strict), (b, b_strict) = _bound(old), _bound(new)
    if a == b:
        return a_strict or not b_strict
    return bool(a > b) if lower else bool(a < b)


def _same_operands(a: Guard, b: Guard) -> bool:
    """The same operands: Values by identity, numbers by value."""
    x, y = a.values(), b.values()
    if x is None or y is None or len(x) != len(y):
        return False
    return all(p is q if hasattr(p, "_record_row") or hasattr(q, "_record_row") else p == q for p, q in zip(x, y))



"""The engine: the `Value` that records a graph of primitives, and the chain rule that differentiates it.

A `Value` is a number that remembers how it was made. Every operation on Values
is a *primitive*, one row of the table in `autograd_lite.primitives`: how to
compute its value, and its local derivatives, side by side. This file applies
the rows to Values and reads them back.

The file reads top to bottom:

1. Recording on and off: `no_grad()` and `enable_grad()`, per thread and per
   asyncio task.
2. `Value`, which records a node for every primitive applied to it, and its
   `backward()`: reverse mode, the chain rule in one loop, gradients as floats.
3. Walking the graph: a topological order without recursion.
4. `differentiate()` and `push_forward()`: the same table read again, for
   gradients that are Values themselves (higher order) and for forward mode.

Every number that enters is checked once, where it enters: a Value holds a
finite float, an operation whose result would overflow or be nan raises,
naming the operation, and a gradient that becomes inf or nan raises
`NonFiniteGradientError` at the node where it first did.

>>> x = Value(3.0)
>>> y = x * x + 2 * x        # y = x² + 2x
>>> y.backward()
>>> x.grad                   # dy/dx = 2x + 2 = 8 at x = 3
8.0
"""

from __future__ import annotations

import functools
import gc
import math
import numbers
import operator
import sys
import threading
from typing import TYPE_CHECKING

from . import primitives as P
from .checks import NonFiniteGradientError, non_finite_gradient, non_finite_result, real, shown
from .grad_mode import enable_grad, is_recording, no_grad, recording
from .primitives import (
    ABS,
    ADD,
    CEIL,
    COMMUTATIVE,
    DIV,
    FLOOR,
    FLOORDIV,
    MOD,
    MUL,
    NEG,
    POW,
    PRIMITIVES,
    SUB,
    TRUNC,
    Primitive,
    flipped,
    power_by,
)

if TYPE_CHECKING:  # names for annotations only: importing `typing` at run time costs start-up time
    from collections.abc import Callable, Hashable, Iterable, Sequence
    from typing import Any

    _Operator = Callable[["Value", "Value | float"], "Value"]

__all__ = [
    "PRIMITIVES",
    "CollectorPaused",
    "Comparison",
    "NonFiniteGradientError",
    "Primitive",
    "Value",
    "apply",
    "comparisons_of",
    "data_of",
    "differentiate",
    "enable_grad",
    "evaluate",
    "is_recording",
    "no_grad",
    "push_forward",
    "topological_order",
]

# ---------------------------------------------------------------------------
# 2. Value
# ---------------------------------------------------------------------------


_new = object.__new__


def _constant(x: float) -> Value:
    """A leaf made without the user-facing checks of `Value(...)`: lifted numbers, and results in no_grad()."""
    node = _new(Value)
    node._data, node.grad, node._op, node._a, node._b = x, 0.0, None, None, None
    return node


# The functions below are the hot path of the library: every operation passes
# through one of them. `_unary`, `_binary` and `_with_number` do what
# `evaluate` does, written out for one input, two, and one plus a plain
# number, and make the node in place, to save calls.


def _unary(op: Primitive, a: Value) -> Value:
    """Apply a one-input primitive: compute the value and, when recording, its derivative."""
    x = a._data
    out = op.value(x)
    if out - out:  # nan or ±inf
        raise non_finite_result(op, (x,), out)
    if not recording():
        return _constant(out)
    try:
        (local,) = op.derivs(x, out)
    except ArithmeticError:  # infinite here: an error only if a gradient flows in
        local = math.inf
    node = _new(Value)
    node._data, node.grad, node._op, node._a, node._b, node._da = out, 0.0, op, a, None, local
    return node


def _binary(op: Primitive, a: Value, b: Value) -> Value:
    """Apply a two-input primitive: compute the value and, when recording, its derivatives."""
    x, y = a._data, b._data
    out = op.value(x, y)
    if out - out:  # nan or ±inf
        raise non_finite_result(op, (x, y), out)
    if not recording():
        return _constant(out)
    try:
        da, db = op.derivs(x, y, out)
    except ArithmeticError:  # infinite here: an error only if a gradient flows in
        da = db = math.inf
    node = _new(Value)
    node._data, node.grad, node._op, node._a, node._b, node._da, node._db = out, 0.0, op, a, b, da, db
    return node


def _with_number(op: Primitive, a: Value, c: float) -> Value:
    """Apply a two-input primitive to a Value and a plain number: one node with one parent.

    The number is not a node: it is kept with the node (`Value.constants`) as
    the row's second argument. (For a number on the left, ``2.0 - x``, the row
    is `flipped`: its inputs swapped.) Only the derivative for the Value is kept.
    """
    x = a._data
    out = op.value(x, c)
    if out - out:  # nan or ±inf
        raise non_finite_result(op, (x, c), out)
    if not recording():
        return _constant(out)
    try:
        local = op.derivs(x, c, out)[0]
    except ArithmeticError:  # infinite here: an error only if a gradient flows in
        local = math.inf
    node = _new(Value)
    node._data, node.grad, node._op, node._a, node._b, node._da = out, 0.0, op, a, c, local
    return node


def evaluate(op: Primitive, xs: Sequence[float], derivatives: bool = True) -> tuple[float, tuple[float, ...]]:
    """A row's value and local derivatives at the floats `xs`, with every check of the eager engine.

    Graph replay uses it too, so a replayed node fails exactly as an eager one would.

    >>> evaluate(P.MUL, [3.0, 4.0])
    (12.0, (4.0, 3.0))
    >>> evaluate(P.SQRT, [0.0])        # an infinite derivative is stored, not raised
    (0.0, (inf,))
    """
    out = op.value(*xs)
    if out - out:
        raise non_finite_result(op, xs, out)
    if not derivatives:
        return out, ()
    try:
        return out, op.derivs(*xs, out)
    except ArithmeticError:
        return out, (math.inf,) * len(xs)


def apply(op: Primitive, *args: Value) -> Value:
    """Apply any primitive to Values (n-ary rows included) and record the node."""
    return _apply_with_numbers(op, args, ())


def _apply_with_numbers(op: Primitive, args: Sequence[Value], numbers: Sequence[float]) -> Value:
    """Apply any primitive to Values followed by plain numbers, recording a node whose parents are the Values."""
    on = recording()
    out, local = evaluate(op, [a._data for a in args] + list(numbers), derivatives=on)
    if not on:
        return _constant(out)
    node = _new(Value)
    node._data, node.grad, node._op = out, 0.0, op
    _link(node, args, local[: len(args)], numbers)
    return node


def _link(node: Value, parents: Sequence[Value], local: Sequence[float], numbers: Sequence[float]) -> None:
    """Store a node's parents, local derivatives and plain numbers in its slots (see `Value`)."""
    if len(parents) == 2 and not numbers:
        node._a, node._b = parents
        node._da, node._db = local
    elif len(parents) == 1 and len(numbers) <= 1:
        node._a, node._da = parents[0], local[0]
        node._b = numbers[0] if numbers else None
    else:  # n inputs (or none): tuples
        node._a, node._da, node._b = tuple(parents), tuple(local), tuple(numbers)


def _plain(x: object, where: str) -> float | None:
    """A real number as a finite float (an error if it is not finite), or None for anything else."""
    # The common cases first, quickly: a finite float, and an int that converts to one.
    if (type(x) is float and not x - x) or (type(x) is int and -1e300 < x < 1e300):
        return float(x)
    if isinstance(x, numbers.Real):
        return real(x, where)
    return None


# -- the hot path, written by the code generator from the same rows ----------------
#
# `_unary`, `_binary` and `_with_number` read any row. For the rows that most
# programs spend their time in, `autograd_lite.codegen` also writes each case
# out as its own small function, with the row's value and derivatives inline
# (read off the row exactly as `compile()` reads it: still one place per op),
# which saves the calls into the row. They fall back on the general functions
# for every error, so they behave exactly alike (tests/test_codegen.py checks it).
# Each is written at its first use, so importing the library compiles nothing.

_HOT = {"add", "sub", "mul", "div", "neg", "tanh", "relu", "exp", "log", "sqrt", "sigmoid", "sin", "cos"}
_generated: dict[str, Any] = {}  # the generated functions' globals, completed once Value exists


def _fast(op: Primitive, kind: str) -> Callable[..., Value]:
    """The generated function for `op` and `kind` ("unary", "binary", "number"), or the general one."""
    from .codegen import eager_function

    base = op.flips or op
    function = eager_function(op, kind, _generated) if base.name in _HOT and base is PRIMITIVES[base.name] else None
    if function is not None:
        return function
    general: Any = {"unary": _unary, "binary": _binary, "number": _with_number}[kind]
    return functools.partial(general, op)


# ``x ** c`` for a constant c: the row `power_by(c)` written out once per exponent, for the first few
# exponents a program uses (it is a family of rows, one per c, so the table cannot list them ahead).
_powers: dict[object, Callable[[Value], Value]] = {}  # by exponent (a Value exponent is never a key)


def _power(c: float) -> Callable[[Value], Value]:
    """The function that records ``x ** c``: generated and kept for the first 32 exponents, general after."""
    from .codegen import eager_function

    row = power_by(c)
    if len(_powers) >= 32:
        return functools.partial(_unary, row)
    function = eager_function(row, "unary", _generated) or functools.partial(_unary, row)
    _powers[c] = function
    return function


def _at_first_use(op: Primitive, kind: str, install: Callable[[Callable[..., Value]], None]) -> Callable[..., Value]:
    """A stand-in that, called once, gets `_fast(op, kind)`, hands it to `install`, and applies it."""

    def first_use(*args: Any) -> Value:
        function = _fast(op, kind)
        install(function)
        return function(*args)

    return first_use


def _operator_pair(op: Primitive) -> tuple[_Operator, _Operator]:
    """The forward and reflected operator methods for a two-input primitive.

    A plain-number operand is kept in the node, not made a node (`_with_number`).
    Both return NotImplemented for foreign types, so Python can try the other side.
    """

    name = op.name
    swapped = op if op in COMMUTATIVE else flipped(op)  # the row for ``number <op> self``

    # The three cases, each replaced by its generated function at its first use.
    binary: Callable[..., Value]
    with_number: Callable[..., Value]
    with_number_first: Callable[..., Value]

    def install_binary(f: Callable[..., Value]) -> None:
        nonlocal binary
        binary = f

    def install_with_number(f: Callable[..., Value]) -> None:
        nonlocal with_number
        with_number = f

    def install_with_number_first(f: Callable[..., Value]) -> None:
        nonlocal with_number_first
        with_number_first = f

    binary = _at_first_use(op, "binary", install_binary)
    with_number = _at_first_use(op, "number", install_with_number)
    with_number_first = _at_first_use(swapped, "number", install_with_number_first)

    def forward(self: Value, other: Value | float) -> Value:
        if type(other) is Value:
            return binary(self, other)
        if type(other) is float and not other - other:  # the common case, without a call
            return with_number(self, other)
        c = _plain(other, name)
        return NotImplemented if c is None else with_number(self, c)

    def reflected(self: Value, other: Value | float) -> Value:
        if type(other) is float and not other - other:
            return with_number_first(self, other)
        c = _plain(other, name)
        return NotImplemented if c is None else with_number_first(self, c)

    forward.__name__, reflected.__name__ = f"__{op.name}__", f"__r{op.name}__"
    forward.__doc__ = f"self {op.name} other, recorded as a node."
    reflected.__doc__ = f"other {op.name} self, recorded as a node."
    return forward, reflected


# -- comparisons, remembered for replay -----------------------------------------
#
# `a < b` on Values returns a plain bool, and the program then takes one
# branch: the recorded graph is only right for that outcome. So while
# recording, every comparison is kept on each Value compared, as a tuple
# (symbol, compare, the other operand, outcome, whether this Value was on the
# left). `compile()` collects those of its graph into guards, which the tape
# checks again on every replay. A Value compared with another Value holds it,
# so the loser of `max(a, b)` stays alive with the winner: the tape must
# recompute it. (Those pairs are the only reference cycles of a graph; the
# cycle collector frees them.)

_Kept = tuple[str, "Callable[[Any, Any], bool]", "Value | float", bool, bool]


class Comparison:
    """A comparison made while recording: the operands (one may be a plain number), the operator, the outcome."""

    __slots__ = ("compare", "left", "outcome", "right", "symbol")

    def __init__(
        self, symbol: str, compare: Callable[[Any, Any], bool], left: Any, right: Any, outcome: bool
    ) -> None:
        self.symbol, self.compare, self.left, self.right, self.outcome = symbol, compare, left, right, outcome

    def describe(self, left: float, right: Any) -> str:
        """The comparison as code, e.g. ``3.0 > 0``."""
        return f"{left!r} {self.symbol} {right!r}"


def _remember(symbol: str, compare: Callable[[Any, Any], bool], left: Value, right: Any, outcome: bool) -> None:
    _keep(left, (symbol, compare, right, outcome, True))
    if type(right) is Value:
        _keep(right, (symbol, compare, left, outcome, False))


def _keep(v: Value, kept: _Kept) -> None:
    # The slot stays unset until a first comparison, so code that never compares never pays for it.
    guards = getattr(v, "_guards", None)
    if guards is None:
        v._guards = [kept]
    elif v._a is not None:
        guards.append(kept)
    else:
        # A leaf (a parameter) outlives many graphs: keep only the latest outcome of each
        # comparison, and forget the ones whose other Value nothing else refers to any more.
        symbol, _, other, _, on_left = kept
        guards[:] = [k for k in guards if not (k[0] == symbol and k[4] == on_left and _same(k[2], other))]
        guards[:] = [k for k in guards if not _forgotten(k)]
        guards.append(kept)


def _same(a: Any, b: Any) -> bool:
    """The same operand: a Value by identity, a number by value."""
    return a is b if type(a) is Value or type(b) is Value else bool(a == b)


def _references(kept: tuple[Any, ...]) -> int:
    """How many references the other operand of `kept` has, counted the same way every time."""
    other = kept[2]
    return sys.getrefcount(other)


# The count for an object that nothing but one kept tuple refers to: measured, since it differs
# between CPython versions. Only CPython counts references; elsewhere nothing is forgotten,
# which costs memory, never a guard.
_ALONE = _references(("", operator.eq, object(), False, False)) if hasattr(sys, "getrefcount") else -1


def _forgotten(kept: _Kept) -> bool:
    """True when a leaf's comparison is all that keeps a computed Value alive (its graph is gone)."""
    if type(kept[2]) is not Value or kept[2]._a is None:  # (no local name for it: that would count)
        return False
    return _references(kept) <= _ALONE


def comparisons_of(node: Value) -> list[Comparison]:
    """The comparisons made with `node` while recording (what `compile` turns into guards)."""
    comparisons = []
    for symbol, compare, other, outcome, on_left in getattr(node, "_guards", None) or ():
        left, right = (node, other) if on_left else (other, node)
        comparisons.append(Comparison(symbol, compare, left, right, outcome))
    return comparisons


def _method(op: Primitive) -> Callable[[Value], Value]:
    """The method ``x.name()`` for a one-input row: the row applied to this Value."""
    apply_row: Callable[..., Value]

    def install(f: Callable[..., Value]) -> None:
        nonlocal apply_row
        apply_row = f

    apply_row = _at_first_use(op, "unary", install)

    def method(self: Value) -> Value:
        return apply_row(self)

    method.__name__, method.__qualname__ = op.name, f"Value.{op.name}"  # pickle finds it as Value.<name>
    method.__doc__ = (getattr(P, op.name).__doc__ or op.name).split("\n")[0]  # the function's summary line
    return method


def _comparison(compare: Callable[[Any, Any], bool], symbol: str) -> Callable[[Value, Value | float], bool]:
    def method(self: Value, other: Value | float) -> bool:
        if isinstance(other, Value):
            right: Any = other._data
        elif isinstance(other, numbers.Real):
            right = other  # compared exactly, as Python compares numbers (no conversion to float)
        else:
            return NotImplemented  # type: ignore[no-any-return]  # lets Python try the other side
        outcome = compare(self._data, right)
        if recording():
            _remember(symbol, compare, self, other, outcome)
        return outcome

    method.__doc__ = f"``self {symbol} other`` on the numbers; a bool, remembered while recording (replay guards)."
    return method


def _lost_derivative(kind: str) -> TypeError:
    return TypeError(
        f"{kind}() of a Value would lose its derivative: use v.item() (or v.data) for the number, "
        f"or autograd_lite's own function (autograd_lite.sin, not math.sin) to keep the derivative"
    )


class Value:
    """A real number that records the computation graph as you compute.

    ``Value(x)`` makes a leaf. Operators (``+ - * / **``, unary ``-``, ``abs``)
    and the methods below make new Values that remember their parents and the
    local derivative with respect to each. ``backward()`` then fills ``.grad``
    of every Value in the graph with the derivative of the output.

    Equality and hashing are by identity, so Values can be keys of dicts and
    members of sets; compare numbers with ``<``, ``<=``, ``>``, ``>=`` (which
    compare ``.data``). ``float(v)`` and ``int(v)`` raise, because the result
    would silently lose the derivative: ask for ``v.item()`` instead.

    >>> w = Value(2.0)
    >>> loss = (w * 3 - 5) ** 2
    >>> loss.backward()
    >>> loss.data, w.grad      # d/dw (3w − 5)² = 6·(3w − 5) = 6
    (1.0, 6.0)
    >>> f"{loss:.2f}", loss.item()
    ('1.00', 1.0)
    """

    __slots__ = {
        "_data": "The number this node holds (a finite float); read and set through `data`.",
        "grad": "d(output)/d(this node) after backward(); 0.0 before. Leaves accumulate across calls.",
        "_op": "The Primitive row that made this node, or None for a leaf.",
        # A node of one or two inputs keeps them in fixed slots, not in tuples: two fewer objects per
        # node, for the memory and for Python's cycle collector, which scans every tracked object.
        "_a": "The first parent (a Value); None for a leaf; for a node of n inputs, the tuple of its parents.",
        "_b": "The second input: a Value, a plain number kept in the node, or None; for n inputs, a tuple of numbers.",
        "_da": "∂(this)/∂a, a float computed with the value (for n inputs: the tuple of them); unset for a leaf.",
        "_db": "∂(this)/∂b when b is a Value; unset otherwise.",
        "_guards": "Comparisons made with this Value while recording (unset until the first): replay checks them.",
    }

    _data: float
    grad: float
    _op: Primitive | None
    _a: Value | tuple[Value, ...] | None
    _b: Value | float | tuple[float, ...] | None
    _da: Any
    _db: float
    _guards: list[_Kept]

    def __init__(self, data: float) -> None:
        self._data = real(data, "Value")
        self.grad = 0.0
        self._op = None
        self._a = None
        self._b = None

    # -- pickle and deepcopy: a graph of any depth, without recursion ----------

    def __reduce__(self) -> tuple[Any, ...]:
        """A leaf is its number and gradient; a computed Value also its row, parents and local derivatives.

        Pickling follows parents, and a deep graph would pass Python's
        recursion limit. So the first Value of a graph to be pickled sends its
        ancestors ahead, parents before children: each then refers only to
        parents the pickle already holds. Comparisons kept for replay are not pickled.
        """
        if self._a is None:
            return _leaf, (self._data, self.grad)
        shallow = _pickling.ancestors
        if id(self) in shallow:
            shallow.discard(id(self))
            ahead: list[Value] = []
        else:
            ahead = topological_order(self)[:-1]
            _pickling.ancestors = {id(v) for v in ahead if v._a is not None}
        return _computed, (ahead, self._data, self.grad, self._op, self.parents, self.local_grads, self.constants)

    @staticmethod
    def _record_row(op: Primitive, args: Sequence[Any]) -> Value:
        """Record `op` on `args`, some of them Values, the others finite numbers: what calling a row does.

        The plain numbers are kept in the node, after its Values (`constants`):
        a two-input row with the number first is recorded `flipped`. In an
        n-ary row, numbers that come before a Value become constant leaves.
        """
        kinds = tuple(map(type, args))  # (counted in C: a dot product of 32 inputs is called often)
        m = kinds.count(Value)
        if m == len(args):  # Values only
            if m == 1:
                return _unary(op, args[0])
            return _binary(op, args[0], args[1]) if m == 2 else _apply_with_numbers(op, args, ())
        plain = []
        for a in args:
            if type(a) is not Value:
                c = _plain(a, op.name)
                if c is None:
                    raise TypeError(f"{op.name}: expected a Value or a real number, got {type(a).__name__} {a!r}")
                plain.append(c)
        if op.arity == 2:  # one Value, one number
            if kinds[0] is Value:
                return _with_number(op, args[0], plain[0])
            return _with_number(op if op in COMMUTATIVE else flipped(op), args[1], plain[0])
        if kinds[:m].count(Value) == m:  # the numbers all come after the Values
            return _apply_with_numbers(op, args[:m], plain)
        numbers = iter(plain)
        lifted = [a if type(a) is Value else _constant(next(numbers)) for a in args]
        return _apply_with_numbers(op, lifted, ())

    # -- what a node is made of (read-only views for the layers above) --------

    def _set_data(self, x: float) -> None:
        self._data = x if type(x) is float and not x - x else real(x, "Value.data")

    data = property(
        operator.attrgetter("_data"),  # a getter written in C: reading .data costs no Python call
        _set_data,
        doc="The number this Value holds. Setting it checks the number (finite and real) like ``Value(x)``.",
    )

    def item(self) -> float:
        """The number this Value holds, as a Python float (PyTorch's name for ``.data``)."""
        return self._data

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in argument order (empty for a leaf)."""
        a, b = self._a, self._b
        if type(a) is Value:
            return (a, b) if type(b) is Value else (a,)
        return () if a is None else a  # type: ignore[return-value]  # n inputs: the tuple

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂(this)/∂(parent) for each parent, as computed when this node was made (``inf`` where infinite)."""
        a = self._a
        if type(a) is Value:
            return (self._da, self._db) if type(self._b) is Value else (self._da,)
        return () if a is None else self._da

    @property
    def constants(self) -> tuple[float, ...]:
        """The plain numbers this node's row was applied to besides its parents, which come first.

        ``x * 0.5`` has the parent ``x`` and the constant ``0.5``: a plain
        number never becomes a node. (``2.0 - x`` is recorded with the row
        ``flipped(sub)`` applied to ``(x, 2.0)``.)
        """
        b = self._b
        if type(b) is float:
            return (b,)
        return b if type(b) is tuple else ()

    @property
    def op(self) -> Primitive | None:
        """The primitive that made this Value, or None for a leaf."""
        return self._op

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by ``Value(x)``, ``detach()`` or inside ``no_grad()``."""
        return self._a is None

    # -- operators: every one is a row of the table ----------------------------

    __add__, __radd__ = _operator_pair(ADD)
    __sub__, __rsub__ = _operator_pair(SUB)
    __mul__, __rmul__ = _operator_pair(MUL)
    __truediv__, __rtruediv__ = _operator_pair(DIV)
    __mod__, __rmod__ = _operator_pair(MOD)
    __floordiv__, __rfloordiv__ = _operator_pair(FLOORDIV)

    def __pow__(self, other: Value | float) -> Value:
        """``self ** other``: a plain-number exponent is a constant, a Value exponent an input."""
        power = _powers.get(other)  # an exponent met before (x ** 2 is in every squared error): quick
        if power is not None:
            return power(self)
        if isinstance(other, Value):
            return _binary(POW, self, other)
        if (type(other) is int and -1e300 < other < 1e300) or (type(other) is float and not other - other):
            return _power(float(other))(self)
        if isinstance(other, numbers.Real):
            return _unary(power_by(real(other, "pow")), self)
        return NotImplemented

    def __rpow__(self, other: float) -> Value:
        """``number ** self``: the base is a constant kept in the node (and must be positive)."""
        base = _plain(other, "pow")
        return NotImplemented if base is None else _with_number(flipped(POW), self, base)

    def __neg__(self) -> Value:
        return _negate(self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _unary(ABS, self)

    # -- functions as methods: x.tan() is tan(x), one line each ----------------

    exp = _method(P.EXP)
    exp2 = _method(P.EXP2)
    expm1 = _method(P.EXPM1)
    log = _method(P.LOG)
    log2 = _method(P.LOG2)
    log10 = _method(P.LOG10)
    log1p = _method(P.LOG1P)
    sqrt = _method(P.SQRT)
    cbrt = _method(P.CBRT)
    sin = _method(P.SIN)
    cos = _method(P.COS)
    tan = _method(P.TAN)
    asin = _method(P.ASIN)
    acos = _method(P.ACOS)
    atan = _method(P.ATAN)
    tanh = _method(P.TANH)
    sinh = _method(P.SINH)
    cosh = _method(P.COSH)
    asinh = _method(P.ASINH)
    acosh = _method(P.ACOSH)
    atanh = _method(P.ATANH)
    erf = _method(P.ERF)
    erfc = _method(P.ERFC)
    lgamma = _method(P.LGAMMA)
    gamma = _method(P.GAMMA)
    digamma = _method(P.DIGAMMA)
    trigamma = _method(P.TRIGAMMA)
    sign = _method(P.SIGN)
    sigmoid = _method(P.SIGMOID)
    relu = _method(P.RELU)
    softplus = _method(P.SOFTPLUS)
    log_sigmoid = _method(P.LOG_SIGMOID)
    silu = _method(P.SILU)

    def gelu(self, approximate: str = "none") -> Value:
        """x·Φ(x) (exact, through erf), or its tanh form with ``approximate="tanh"``."""
        return P.gelu(self, approximate)  # type: ignore[no-any-return]

    def elu(self, alpha: float = 1.0) -> Value:
        """x for x > 0, α·(eˣ − 1) below."""
        return P.elu(self, alpha)  # type: ignore[no-any-return]

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, slope·x below."""
        return P.leaky_relu(self, slope)  # type: ignore[no-any-return]

    # ``math.floor(v)``, ``math.ceil(v)`` and ``math.trunc(v)`` record a node (slope 0), not a plain int.
    __floor__ = _method(FLOOR)
    __ceil__ = _method(CEIL)
    __trunc__ = _method(TRUNC)

    # -- behaving like a number ------------------------------------------------

    __lt__ = _comparison(operator.lt, "<")
    __le__ = _comparison(operator.le, "<=")
    __gt__ = _comparison(operator.gt, ">")
    __ge__ = _comparison(operator.ge, ">=")

    def __bool__(self) -> bool:
        """``v.data != 0``, remembered while recording like a comparison (``if v:`` takes a branch)."""
        outcome = self._data != 0.0
        if recording():
            _remember("!=", operator.ne, self, 0.0, outcome)
        return outcome

    # Converting to a plain number would drop the graph with no error; ask for .item().
    def __float__(self) -> float:
        raise _lost_derivative("float")

    def __int__(self) -> int:
        raise _lost_derivative("int")

    def __index__(self) -> int:
        raise _lost_derivative("index")

    def __complex__(self) -> complex:
        raise _lost_derivative("complex")

    def __format__(self, spec: str) -> str:
        """Format the number: ``f"{loss:.4f}"`` (an empty spec gives the repr)."""
        return format(self._data, spec) if spec else repr(self)

    def __round__(self, ndigits: int | None = None) -> float:
        """``round(v, 3)``: the number, rounded (a plain number: printing, not differentiating)."""
        return round(self._data, ndigits)

    def __repr__(self) -> str:
        return f"Value(data={self._data!r}, grad={self.grad!r})"

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from this Value's graph."""
        return _constant(self._data)

    # -- reverse mode ----------------------------------------------------------

    def backward(self, gradient: float = 1.0) -> None:
        """Fill ``.grad`` of every Value this one depends on with d(self)/d(that Value).

        ``gradient`` seeds the output (default 1.0). As in PyTorch, leaves
        *accumulate*: calling ``backward()`` twice gives them twice the
        gradient, so reset them (``optimizer.zero_grad()``) between steps.
        Interior nodes hold the gradient of the latest pass.

        If a gradient would become inf or nan, `NonFiniteGradientError` names
        the node where it first did; every leaf's ``.grad`` is left as it was
        before the call (and interior nodes' at 0).

        >>> x = Value(3.0)
        >>> y = x * x * 2
        >>> y.backward(); x.grad
        12.0
        >>> y.backward(); x.grad
        24.0
        """
        seed = real(gradient, "backward(gradient)")
        with CollectorPaused():
            order, leaves = _order_and_leaves(self)
            before = [leaf.grad for leaf in leaves]  # to put back if the pass fails
            for node in order:
                if node._a is not None:
                    node.grad = 0.0  # interior gradients belong to this pass only
            self.grad += seed
            # The chain rule, from the output back to the leaves:
            #     ∂out/∂parent  +=  ∂node/∂parent · ∂out/∂node
            for node in reversed(order):
                a = node._a
                if a is None:  # a leaf
                    continue
                g = node.grad
                if type(a) is Value:  # one or two inputs, in slots
                    a.grad += node._da * g
                    b = node._b
                    if type(b) is Value:
                        b.grad += node._db * g
                else:  # n inputs, in tuples
                    for parent, local in zip(a, node._da):  # type: ignore[arg-type]
                        parent.grad += local * g
            # An inf or nan anywhere reaches a leaf, so one sum over the leaves tells
            # whether any gradient went non-finite; only then is the pass redone, with checks.
            total = 0.0
            for leaf in leaves:
                total += leaf.grad
            if total - total:
                _redo_with_checks(order, leaves, before, seed)


_generated.update(
    Value=Value, _new=_new, recording=recording, _constant=_constant,
    non_finite_result=non_finite_result, _unary=_unary, _binary=_binary, _with_number=_with_number,
)  # fmt: skip


def _install_negate(f: Callable[..., Value]) -> None:
    global _negate
    _negate = f


_negate = _at_first_use(NEG, "unary", _install_negate)


class _Pickling(threading.local):
    """Per thread: the ids of computed Values whose ancestors a pickle has already sent ahead."""

    def __init__(self) -> None:
        self.ancestors: set[int] = set()


_pickling = _Pickling()


def _leaf(data: float, grad: float) -> Value:
    node = _constant(data)
    node.grad = grad
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
    node = _new(Value)
    node._data, node.grad, node._op = data, grad, op
    _link(node, parents, local, constants)
    return node


def checked_chain_rule(
    root: Hashable,
    seed: float,
    steps: Iterable[tuple[Hashable, Primitive, Sequence[Hashable], Sequence[float], Sequence[float]]],
    data: Callable[[Any], float],
    where: str,
    visit: Callable[[Any, float], None] | None = None,
) -> dict[Any, float]:
    """The chain rule with every gradient checked: the exact, slower path.

    `steps` gives every computed node from the output back to the leaves, as
    (node, its primitive, its parents, its local derivatives, its constants);
    `data(node)` is a node's number, for the message. Returns the gradient of every node
    reached. A zero gradient adds nothing, even through an infinite local
    derivative; any other gradient that becomes inf or nan raises
    `NonFiniteGradientError` at the first node where it does. `visit(node, g)`,
    if given, is called with each node and the gradient flowing into it, just
    before that gradient is passed on (`autograd_lite.explain` shows the pass so).
    """
    grads: dict[Any, float] = {root: seed}
    for node, op, parents, local, constants in steps:
        g = grads.get(node, 0.0)
        if visit is not None:
            visit(node, g)
        if g == 0.0:
            continue
        for i, (parent, d) in enumerate(zip(parents, local)):
            before = grads.get(parent, 0.0)
            total = before + d * g
            if total - total:
                inputs = [data(p) for p in parents] + list(constants)
                raise non_finite_gradient(where, op, inputs, i, g, d, before)
            grads[parent] = total
    return grads


def node_steps(
    order: list[Value],
) -> Iterable[tuple[Value, Primitive, tuple[Value, ...], tuple[float, ...], tuple[float, ...]]]:
    """The computed nodes of `order` from the output back, as `checked_chain_rule` reads them."""
    return ((n, n._op, n.parents, n.local_grads, n.constants) for n in reversed(order) if n._op is not None)


def _redo_with_checks(order: list[Value], leaves: list[Value], before: list[float], seed: float) -> None:
    """`backward` found a non-finite gradient: put the leaves' ``.grad`` back, redo the pass with checks, then commit.

    The checked pass raises at the first node whose gradient goes inf or nan
    (the interior nodes' ``.grad`` is then 0); a leaf can still overflow when
    the new gradient is added to the one it held.
    """
    for node in order:
        node.grad = 0.0
    for leaf, old in zip(leaves, before):
        leaf.grad = old
    grads = checked_chain_rule(order[-1], seed, node_steps(order), _data_of_node, "backward")
    summed = [old + grads.get(leaf, 0.0) for leaf, old in zip(leaves, before)]
    for leaf, g in zip(leaves, summed):
        if g - g:
            raise NonFiniteGradientError(
                f"backward: the gradient of the leaf {leaf!r} overflows when {grads[leaf]!r} is added to it"
            )
    for node in order:
        if node._a is not None:
            node.grad = grads.get(node, 0.0)
    for leaf, g in zip(leaves, summed):
        leaf.grad = g


_data_of_node = operator.attrgetter("_data")


# ---------------------------------------------------------------------------
# 3. Walking the graph
# ---------------------------------------------------------------------------


class CollectorPaused:
    """``with CollectorPaused():`` runs a loop over a large graph with Python's cycle collector paused.

    Our graphs have no reference cycles, so the collector has nothing to find
    in them, yet it rescans every live node each time a loop allocates enough
    objects. The library's own loops pause it; the caller's setting is
    restored exactly on the way out, error or not.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._was_enabled:
            gc.enable()


def topological_order(root: Value) -> list[Value]:
    """Every Value `root` depends on, parents before children, `root` last.

    Iterative depth-first search, so there is no recursion limit on depth. The
    order is deterministic because parents are an ordered tuple.

    >>> a = Value(1.0); b = a + a; c = b * b
    >>> [v.data for v in topological_order(c)]
    [1.0, 2.0, 4.0]
    """
    return _order_and_leaves(root)[0]


def _order_and_leaves(root: Value) -> tuple[list[Value], list[Value]]:
    """`topological_order(root)`, and the leaves among it (collected on the way, for `backward`'s checks).

    Depth-first, with an explicit stack. A node is expanded the first time it
    is popped: it goes back on the stack under a ``None``, with its parents on
    top. Everything above the ``None`` is then placed before it comes off,
    parents and their ancestors, so popping the ``None`` means the node below
    it can be placed. (A ``None`` rather than a (node, done) pair: no tuple per node.)
    """
    order: list[Value] = []
    leaves: list[Value] = []
    visited: set[Value] = set()  # Values hash by identity
    stack: list[Value | None] = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if node is None:
            order.append(pop())  # type: ignore[arg-type]  # every parent of the node under the None is placed
        elif node not in visited:
            visited.add(node)
            a = node._a
            if a is None:  # a leaf has no parents to wait for: place it now
                order.append(node)
                leaves.append(node)
                continue
            push(node)
            push(None)
            # Parents go on the stack last first, so that the first is placed first.
            if type(a) is Value:
                b = node._b
                if type(b) is Value and b not in visited:
                    push(b)
                if a not in visited:
                    push(a)
            else:
                for parent in reversed(a):  # type: ignore[arg-type]
                    if parent not in visited:
                        push(parent)
    return order, leaves


# ---------------------------------------------------------------------------
# 4. The table read again: gradients as Values, and forward mode
# ---------------------------------------------------------------------------


def _local_values(node: Value, where: str) -> tuple[Any, ...]:
    """The node's local derivatives recomputed from its parents *as Values*.

    The same rule as `node.local_grads`, but each result records its own graph,
    so it can be differentiated again. A Value is finite, so where the
    derivative is infinite this raises.
    """
    assert node._op is not None  # only called on interior nodes
    parents = node.parents
    try:
        return node._op.derivs(*parents, *node.constants, node)[: len(parents)]
    except TypeError as error:
        raise TypeError(
            f"{where}: the derivative rule of {node._op.name} does not take Values ({error}), so it cannot be "
            f"differentiated again; write it with autograd_lite's functions (autograd_lite.cos, not math.cos)"
        ) from None
    except ArithmeticError:
        raise NonFiniteGradientError(
            f"{where}: {node._op.name}({shown([p._data for p in parents] + list(node.constants))}) has an "
            f"infinite derivative, "
            f"which cannot be differentiated again"
        ) from None


def _is_zero_constant(v: Any) -> bool:
    """A Value that is exactly 0 everywhere: a constant leaf 0 (what an unused path contributes)."""
    return v._a is None and v._data == 0.0


def _number_of(v: Any) -> float:
    """The number of a Value, or a plain number (a local derivative may be a constant float)."""
    return v._data if isinstance(v, Value) else float(v)


def _times(g: Value, d: Value, node: Value, i: int, before: Any, where: str) -> Value:
    """``before + d·g`` for gradients as Values, naming the node if the result overflows."""
    try:
        return d * g if before is None else before + d * g
    except OverflowError:
        assert node._op is not None
        inputs = [p._data for p in node.parents] + list(node.constants)
        raise non_finite_gradient(
            where, node._op, inputs, i, _number_of(g), _number_of(d), 0.0 if before is None else _number_of(before)
        ) from None


def differentiate(output: Value, inputs: Sequence[Value], create_graph: bool = True) -> tuple[Any, ...]:
    """∂output/∂input for each input, without touching anyone's ``.grad``.

    The same reverse-mode loop as `Value.backward`, with the gradients kept in
    a dict. With ``create_graph=True`` every gradient is a Value built from the
    local derivatives recomputed as Values, so it can be differentiated again;
    with ``create_graph=False`` the gradients are plain floats, checked as
    they are computed. An input that `output` does not depend on gets 0.

    >>> x = Value(3.0)
    >>> (dy,) = differentiate(x ** 3, [x])
    >>> dy.data                      # 3x² = 27
    27.0
    >>> (d2y,) = differentiate(dy, [x])
    >>> d2y.data                     # 6x = 18
    18.0
    >>> differentiate(x ** 3, [x], create_graph=False)
    (27.0,)
    """
    with CollectorPaused():
        order = topological_order(output)
    if not create_graph:
        grads = checked_chain_rule(output, 1.0, node_steps(order), _data_of_node, "differentiate")
        return tuple(grads.get(x, 0.0) for x in inputs)
    values: dict[Value, Any] = {output: _constant(1.0)}
    with enable_grad():  # gradients as Values must record their graph, even inside no_grad()
        for node in reversed(order):
            g = values.get(node)
            if g is None or node._a is None or _is_zero_constant(g):
                continue
            for i, (parent, d) in enumerate(zip(node.parents, _local_values(node, "differentiate"))):
                values[parent] = _times(g, d, node, i, values.get(parent), "differentiate")
    zero = _constant(0.0)
    return tuple(values.get(x, zero) for x in inputs)


def push_forward(outputs: Sequence[Value], tangents: dict[Value, Any]) -> list[Any]:
    """Forward mode: the directional derivative of each output along `tangents`.

    `tangents` maps input Values to their tangent (a finite float, or a Value
    when the result must itself be differentiable). Walking the recorded graph
    from the inputs forward, each node's tangent is Σ ∂node/∂parent ·
    tangent(parent) — the same local derivatives that `backward` uses, read
    in the other direction. A zero tangent through an infinite derivative adds
    nothing; a tangent that becomes inf or nan raises `NonFiniteGradientError`.

    >>> x = Value(2.0)
    >>> y = x * x
    >>> push_forward([y], {x: 1.0})   # dy/dx = 2x = 4
    [4.0]
    """
    for t in tangents.values():
        if not isinstance(t, Value):
            real(t, "push_forward: tangent")
    as_values = any(isinstance(t, Value) for t in tangents.values())
    known: dict[Value, Any] = dict(tangents)
    with enable_grad():  # tangents as Values must record their graph, even inside no_grad()
        for output in outputs:
            for node in topological_order(output):
                if node in known or node._a is None:
                    continue
                known[node] = _tangent(node, known, as_values)
    return [known.get(y, 0.0) for y in outputs]


def _tangent(node: Value, known: dict[Value, Any], as_values: bool) -> Any:
    """Σ ∂node/∂parent · tangent(parent), skipping parents whose tangent is zero."""
    assert node._op is not None
    moving = [(i, t) for i, t in enumerate(known.get(p) for p in node.parents) if t is not None]
    if as_values:
        moving = [(i, t) for i, t in moving if not (isinstance(t, Value) and _is_zero_constant(t))]
        if not moving:
            return _constant(0.0)
        local = _local_values(node, "push_forward")
        total: Any = None
        for i, t in moving:
            total = _times(t if isinstance(t, Value) else _constant(t), local[i], node, i, total, "push_forward")
        return total
    total = 0.0
    for i, t in moving:
        if t != 0.0:  # a zero tangent adds nothing, even through an infinite derivative
            d = node.local_grads[i]
            new = total + d * t
            if new - new:
                inputs = [p._data for p in node.parents] + list(node.constants)
                raise non_finite_gradient("push_forward", node._op, inputs, i, t, d, total)
            total = new
    return total


# ---------------------------------------------------------------------------
# Numbers in and out
# ---------------------------------------------------------------------------


def data_of(x: object, where: str, what: str = "the result") -> float:
    """The number a Value holds, or a plain number as a finite float; a TypeError naming `where` otherwise.

    >>> data_of(Value(2.0), "f"), data_of(3, "f")
    (2.0, 3.0)
    """
    if isinstance(x, Value):
        return x._data
    if isinstance(x, numbers.Real):
        return real(x, f"{where}: {what}")
    raise TypeError(f"{where}: {what} must be a Value or a number, got {type(x).__name__}")

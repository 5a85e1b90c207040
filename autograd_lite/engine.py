"""The engine: the `Value` that records a graph of primitives, and the chain rule that differentiates it.

A `Value` is a number that remembers how it was made. Every operation on Values
is a *primitive*, one row of the table in `autograd_lite.primitives`: its value
and its local derivatives, side by side. This file applies the rows to Values
and reads them back, top to bottom: recording one node (section 1), walking
the graph (2), `Value` and its `backward()`, the chain rule in one loop (3),
and the tables through which every operator reaches a row (4).

Every number is checked where it enters (`autograd_lite.checks`): a Value
holds a finite float, an operation whose result would overflow or be nan
raises naming the operation, and a gradient that becomes inf or nan raises
`NonFiniteGradientError` at the node where it first did. Recording on and off
is `autograd_lite.grad_mode`; comparisons are `autograd_lite.guards`; the rows
written out for speed are `autograd_lite.fast`.

>>> x = Value(3.0)
>>> y = x * x + 2 * x        # y = x² + 2x
>>> y.backward()
>>> x.grad                   # dy/dx = 2x + 2 = 8 at x = 3
8.0
"""

from __future__ import annotations

import math
import operator
import threading

from . import primitives as P
from .checks import NonFiniteGradientError, as_number, checked_backward, non_finite_result, real
from .fast import CollectorPaused, EagerFunctions, Powers
from .grad_mode import recording
from .guards import Compared, forget, restored
from .primitives import COMMUTATIVE, NEG, POW, STOP_GRADIENT, Primitive, elu_by, flipped, gelu_row, leaky_relu_by

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:  # names for annotations only: importing `typing` at run time costs start-up time
    from collections.abc import Callable, Sequence
    from typing import Any

    _Operator = Callable[["Value", "Value | float"], "Value"]

__all__ = [
    "BINARY",
    "NUMBER",
    "POWERS",
    "UNARY",
    "CollectorPaused",
    "NonFiniteGradientError",
    "Value",
    "apply",
    "evaluate",
    "topological_order",
]

# ---------------------------------------------------------------------------
# 1. Recording one node
#
# `evaluate` computes a row's value and local derivatives, checked; `_record`
# keeps them in a new node. That is the general path, for any row:
# `autograd_lite.fast` writes the same steps out, row by row, for every row
# whose functions it can read.
# ---------------------------------------------------------------------------

_new = object.__new__


def _constant(x: float) -> Value:
    """A leaf made without the user-facing checks of `Value(...)`: lifted numbers, and results in no_grad()."""
    node = _new(Value)
    node._data, node._grad, node._op, node._a, node._b = x, 0.0, None, None, None
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
    """Apply any row to Values (n-ary rows included) and record the node."""
    return _record(op, args, ())


def _record(op: Primitive, parents: Sequence[Value], numbers: Sequence[float]) -> Value:
    """Apply a row to Values followed by plain numbers: the value, checked; when recording, a node that keeps it.

    The node's parents are the Values; the plain numbers are kept in it as
    constants (``x * 0.5``: one parent, the constant 0.5), never made nodes.
    """
    on = recording()
    out, local = evaluate(op, [a._data for a in parents] + list(numbers), derivatives=on)
    if not on:
        return _constant(out)
    node = _new(Value)
    node._data, node._grad, node._op = out, 0.0, op
    _link(node, parents, local[: len(parents)], numbers)
    return node


# The three cases a row is applied in: one Value, two, one and a plain number (``x * 0.5``, and, with the
# row `flipped`, ``2.0 - x``). `autograd_lite.fast` writes each case out for the rows it can read.


def _unary(op: Primitive, a: Value) -> Value:
    return _record(op, (a,), ())


def _binary(op: Primitive, a: Value, b: Value) -> Value:
    return _record(op, (a, b), ())


def _with_number(op: Primitive, a: Value, c: float) -> Value:
    return _record(op, (a,), (c,))


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


# ---------------------------------------------------------------------------
# 2. Walking the graph
# ---------------------------------------------------------------------------


def topological_order(root: Value, *more: Value) -> list[Value]:
    """Every Value `root` depends on, parents before children, `root` last (then those of `more`, if given).

    Iterative depth-first search, so there is no recursion limit on depth. The
    order is deterministic because parents are an ordered tuple.

    >>> a = Value(1.0); b = a + a; c = b * b
    >>> [v.data for v in topological_order(c)]
    [1.0, 2.0, 4.0]
    """
    return _order_and_leaves(root, *more)[0]


def _order_and_leaves(root: Value, *more: Value) -> tuple[list[Value], list[Value]]:
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
    stack: list[Value | None] = [*reversed(more), root]
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
# 3. Value
#
# The operators and methods are made by three small helpers, each reaching
# its row through the tables of section 4: `_operator_pair` (``x * y`` and
# ``2 * x``), `_method` (``x.tanh()``) and `_comparison` (``x < y``).
# ---------------------------------------------------------------------------


def _operator_pair(op: Primitive) -> tuple[_Operator, _Operator]:
    """The forward and reflected operator methods for a two-input row.

    A foreign type gets NotImplemented first, so Python can try the other
    side; a plain-number operand is kept in the node, not made a node.
    """
    name = op.name
    swapped = op if op in COMMUTATIVE else flipped(op)  # the row for ``number <op> self``

    def forward(self: Value, other: Value | float) -> Value:
        if type(other) is Value:
            return BINARY[op](self, other)
        if type(other) is float and not other - other:  # the common case, without a call
            return NUMBER[op](self, other)
        c = as_number(other, name)
        return NotImplemented if c is None else NUMBER[op](self, c)

    def reflected(self: Value, other: Value | float) -> Value:
        if type(other) is float and not other - other:
            return NUMBER[swapped](self, other)
        c = as_number(other, name)
        return NotImplemented if c is None else NUMBER[swapped](self, c)

    forward.__name__, reflected.__name__ = f"__{op.name}__", f"__r{op.name}__"
    forward.__doc__ = f"self {op.name} other, recorded as a node."
    reflected.__doc__ = f"other {op.name} self, recorded as a node."
    return forward, reflected


def _method(op: Primitive) -> Callable[[Value], Value]:
    """The method ``x.name()`` for a one-input row: the row applied to this Value."""

    def method(self: Value) -> Value:
        return UNARY[op](self)

    method.__name__, method.__qualname__ = op.name, f"Value.{op.name}"  # pickle finds it as Value.<name>
    method.__doc__ = f"``autograd_lite.{op.name}(self)``: the row {op.name} applied to this Value."
    return method


#: How many times a Value was set to another number (0.0 and -0.0 count as two): `data_moves()`.
_moves = 0


def data_moves() -> int:
    """A count that grows whenever any Value's ``.data`` is set to another number: unchanged means none moved."""
    return _moves


# One backward pass at a time: passes through a shared subgraph would otherwise overwrite each
# other's running gradients, which live on the nodes. (Python runs one thread at a time anyway.)
_one_pass = threading.RLock()


class Value(Compared):
    """A real number that records the computation graph as you compute.

    ``Value(x)`` makes a leaf. Operators (``+ - * / **``, unary ``-``, ``abs``)
    and the methods below make new Values that remember their parents and the
    local derivative with respect to each. ``backward()`` then fills ``.grad``
    of every Value in the graph with the derivative of the output.

    Equality and hashing are by identity, so Values can be keys of dicts and
    members of sets; compare numbers with ``<``, ``<=``, ``>``, ``>=`` (which
    compare ``.data`` and are remembered for replay: `autograd_lite.guards.Compared`).
    ``float(v)`` and ``int(v)`` raise, because the result would silently lose
    the derivative: ask for ``v.item()`` instead.

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
        "_grad": "d(output)/d(this node) after backward(); 0.0 before; read and set through `grad`.",
        "_op": "The Primitive row that made this node, or None for a leaf.",
        # A node of one or two inputs keeps them in fixed slots, not in tuples: two fewer objects per
        # node, for the memory and for Python's cycle collector, which scans every tracked object.
        # `parents`, `local_grads` and `constants` read them; `backward` and `autograd_lite.fast` too.
        "_a": "The first parent (a Value); None for a leaf; for a node of n inputs, the tuple of its parents.",
        "_b": "The second input: a Value, a plain number kept in the node, or None; for n inputs, a tuple of numbers.",
        "_da": "∂(this)/∂a, a float computed with the value (for n inputs: the tuple of them); unset for a leaf.",
        "_db": "∂(this)/∂b when b is a Value; unset otherwise.",
        "_guards": "Guards made with this Value while recording (unset until the first): replay checks them.",
        "__weakref__": "So that a leaf can remember a comparison with this Value without keeping it alive.",
    }

    _data: float
    _grad: float
    _op: Primitive | None
    _a: Value | tuple[Value, ...] | None
    _b: Value | float | tuple[float, ...] | None
    _da: Any
    _db: float
    _guards: list[tuple[Any, ...]] | None

    def __init__(self, data: float) -> None:
        self._data = real(data, "Value")
        self._grad = 0.0
        self._op = None
        self._a = None
        self._b = None

    def __setstate__(self, guards: object) -> None:
        """Put back the guards of a pickled or copied Value (how it is taken apart: `autograd_lite.pickles`)."""
        if guards is not None:
            self._guards = restored(self, guards)

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
                return record_unary(op)(args[0])
            return record_binary(op)(args[0], args[1]) if m == 2 else _record(op, args, ())
        plain = []
        for a in args:
            if type(a) is not Value:
                c = as_number(a, op.name)
                if c is None:
                    raise TypeError(f"{op.name}: expected a Value or a real number, got {type(a).__name__} {a!r}")
                plain.append(c)
        if op.arity == 2:  # one Value, one number
            if kinds[0] is Value:
                return record_number(op)(args[0], plain[0])
            return record_number(op if op in COMMUTATIVE else flipped(op))(args[1], plain[0])
        if kinds[:m].count(Value) == m:  # the numbers all come after the Values
            return _record(op, args[:m], plain)
        numbers = iter(plain)
        lifted = [a if type(a) is Value else _constant(next(numbers)) for a in args]
        return _record(op, lifted, ())

    # -- what a node is made of (read-only views for the layers above) --------

    def _set_data(self, x: float) -> None:
        global _moves
        number = x if type(x) is float and not x - x else real(x, "Value.data")
        if number != self._data or (not number and math.copysign(1.0, number) != math.copysign(1.0, self._data)):
            forget(self)  # the comparisons made at the old number describe another point
            _moves += 1  # (a Tape then checks whether its leaves moved since its forward pass)
        self._data = number

    data = property(
        operator.attrgetter("_data"),  # a getter written in C: reading .data costs no Python call
        _set_data,
        doc="The number this Value holds. Setting it checks the number (finite and real) like ``Value(x)``.",
    )

    def item(self) -> float:
        """The number this Value holds, as a Python float (PyTorch's name for ``.data``)."""
        return self._data

    def _set_grad(self, g: float | None) -> None:
        self._grad = 0.0 if g is None else g if type(g) is float and not g - g else real(g, "Value.grad")

    grad = property(
        operator.attrgetter("_grad"),
        _set_grad,
        doc="d(output)/d(this Value) after backward(); 0.0 before. Leaves accumulate across calls. Setting it "
        "checks the number like ``.data``; None (PyTorch's ``set_to_none``) means no gradient yet and reads as 0.0.",
    )

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
        """True for a Value made by ``Value(x)`` or inside ``no_grad()``: one with no parents."""
        return self._a is None

    # -- operators: every one is a row of the table ----------------------------

    __add__, __radd__ = _operator_pair(P.ADD)
    __sub__, __rsub__ = _operator_pair(P.SUB)
    __mul__, __rmul__ = _operator_pair(P.MUL)
    __truediv__, __rtruediv__ = _operator_pair(P.DIV)
    __mod__, __rmod__ = _operator_pair(P.MOD)
    __floordiv__, __rfloordiv__ = _operator_pair(P.FLOORDIV)

    def __pow__(self, other: Value | float) -> Value:
        """``self ** other``: a plain-number exponent is a constant, a Value exponent an input."""
        if type(other) is Value:
            return BINARY[POW](self, other)
        # The type is checked before any lookup, so Value ** [1, 2] is NotImplemented, as Python wants.
        # Only finite exponents are keys of POWERS, so a hit needs no other check.
        if type(other) is int or type(other) is float:
            try:  # x ** 2: an exponent met before, quickly
                return POWERS[other](self)
            except KeyError:
                pass
        c = as_number(other, "pow")
        return NotImplemented if c is None else record_power(c)(self)

    def __rpow__(self, other: float) -> Value:
        """``number ** self``: the base is a constant kept in the node (and must be positive)."""
        base = as_number(other, "pow")
        return NotImplemented if base is None else NUMBER[flipped(POW)](self, base)

    def __neg__(self) -> Value:
        return UNARY[NEG](self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return UNARY[P.ABS](self)

    # -- functions as methods: x.tan() is tan(x), by family (a new one-input row adds its name here) -----

    exp, exp2, expm1, log, log2, log10, log1p = map(_method, (P.EXP, P.EXP2, P.EXPM1, P.LOG, P.LOG2, P.LOG10, P.LOG1P))
    sqrt, cbrt, deg2rad, rad2deg, sign = map(_method, (P.SQRT, P.CBRT, P.DEG2RAD, P.RAD2DEG, P.SIGN))
    sin, sinc, cos, tan, asin, acos, atan = map(_method, (P.SIN, P.SINC, P.COS, P.TAN, P.ASIN, P.ACOS, P.ATAN))
    sinh, cosh, tanh, asinh, acosh, atanh = map(_method, (P.SINH, P.COSH, P.TANH, P.ASINH, P.ACOSH, P.ATANH))
    erf, erfc, erfinv, lgamma, gamma = map(_method, (P.ERF, P.ERFC, P.ERFINV, P.LGAMMA, P.GAMMA))
    digamma, trigamma = map(_method, (P.DIGAMMA, P.TRIGAMMA))
    sigmoid, logit, relu, softplus, log_sigmoid, silu = map(
        _method, (P.SIGMOID, P.LOGIT, P.RELU, P.SOFTPLUS, P.LOG_SIGMOID, P.SILU)
    )

    def gelu(self, approximate: str = "none") -> Value:
        """x·Φ(x) (exact, through erf), or its tanh form with ``approximate="tanh"``."""
        return UNARY[gelu_row(approximate)](self)

    def elu(self, alpha: float = 1.0) -> Value:
        """x for x > 0, α·(eˣ − 1) below."""
        return record_unary(elu_by(real(alpha, "elu: alpha")))(self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, slope·x below."""
        return record_unary(leaky_relu_by(real(slope, "leaky_relu: slope")))(self)

    # ``math.floor(v)``, ``math.ceil(v)`` and ``math.trunc(v)`` record a node (slope 0), not a plain int.
    __floor__, __ceil__, __trunc__ = map(_method, (P.FLOOR, P.CEIL, P.TRUNC))

    # -- behaving like a number ------------------------------------------------

    def __format__(self, spec: str) -> str:
        """Format the number: ``f"{loss:.4f}"`` (an empty spec gives the repr)."""
        return format(self._data, spec) if spec else repr(self)

    def __repr__(self) -> str:
        return f"Value(data={self._data!r}, grad={self._grad!r})"

    def detach(self) -> Value:
        """The same number with its derivative cut to 0: gradients stop here (JAX's ``stop_gradient``).

        It is recorded as a node, so a replay recomputes it from this Value's
        graph, which it keeps. For a fresh leaf that keeps nothing, use
        ``Value(v.item())``.
        """
        return UNARY[STOP_GRADIENT](self)

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
        with _one_pass, CollectorPaused():
            order, leaves = _order_and_leaves(self)
            before = [leaf._grad for leaf in leaves]  # to put back if the pass fails
            try:
                for node in order:
                    if node._a is not None:
                        node._grad = 0.0  # interior gradients belong to this pass only
                self._grad += seed
                # The chain rule, from the output back to the leaves:
                #     ∂out/∂parent  +=  ∂node/∂parent · ∂out/∂node
                for node in reversed(order):
                    a = node._a
                    if a is None:  # a leaf
                        continue
                    g = node._grad
                    if type(a) is Value:  # one or two inputs, in slots
                        a._grad += node._da * g
                        b = node._b
                        if type(b) is Value:
                            b._grad += node._db * g
                    else:  # n inputs, in tuples
                        for parent, local in zip(a, node._da):  # type: ignore[arg-type]
                            parent._grad += local * g
                # An inf or nan anywhere reaches a leaf, so one sum over the leaves tells
                # whether any gradient went non-finite; only then is the pass redone, with checks.
                total = 0.0
                for leaf in leaves:
                    total += leaf._grad
                if total - total:
                    checked_backward(order, leaves, before, seed)
            except BaseException:  # any error, ^C included: every .grad as it was before the call
                for node in order:
                    if node._a is not None:
                        node._grad = 0.0
                for leaf, old in zip(leaves, before):
                    leaf._grad = old
                raise


# ---------------------------------------------------------------------------
# 4. The tables every operator, method and function reaches a row through
#
# ``UNARY[row](x)``, ``BINARY[row](x, y)`` and ``NUMBER[row](x, c)`` record
# a row of the table on one Value, two, or a Value and a plain number;
# ``record_unary(row)`` and its kin serve any row. For the common rows the
# function is written out from the row at its first use (`autograd_lite.fast`);
# for the others it is the general one of section 1. ``POWERS[c](x)`` records
# ``x ** c`` for a constant c met before, ``record_power(c)`` for any.
# ---------------------------------------------------------------------------

_NAMES = {"Value": Value, "new": _new, "constant": _constant}
_unaries = EagerFunctions("unary", _unary, _NAMES)
_binaries = EagerFunctions("binary", _binary, _NAMES)
_numbers = EagerFunctions("number", _with_number, _NAMES)
_powers = Powers(_unaries)
#: Every row of the table, by case: plain dicts, so that a lookup on the hot path is quick.
UNARY: dict[Primitive, Callable[[Value], Value]] = _unaries.table
BINARY: dict[Primitive, Callable[[Value, Value], Value]] = _binaries.table
NUMBER: dict[Primitive, Callable[[Value, float], Value]] = _numbers.table
#: Any row, the table's or not (a user's row, a family's): how calling a row reaches the same functions.
record_unary: Callable[[Primitive], Callable[[Value], Value]] = _unaries.__getitem__
record_binary: Callable[[Primitive], Callable[[Value, Value], Value]] = _binaries.__getitem__
record_number: Callable[[Primitive], Callable[[Value, float], Value]] = _numbers.__getitem__
#: ``x ** c`` by exponent: the first few exponents a program uses, written out.
POWERS: dict[float, Callable[[Value], Value]] = _powers.table
record_power: Callable[[float], Callable[[Value], Value]] = _powers.__getitem__

"""The engine: one table of primitives, and the `Value` that records and differentiates them.

A `Value` is a number that remembers how it was made. Every operation on Values
is a *primitive*, and every primitive is one row of the table below: how to
compute its value, and its local derivatives, side by side. Everything else in
the library reads that table.

The file reads top to bottom:

1. Value functions with domain checks (what each primitive computes).
2. The table of primitives (value and local derivatives, one row each).
3. `Value`, which records a node for every primitive applied to it, and its
   `backward()`: reverse mode, the chain rule in one loop, gradients as floats.
4. Walking the graph: a topological order without recursion.
5. `differentiate()` and `push_forward()`: the same table read again, for
   gradients that are Values themselves (higher order) and for forward mode.
6. `no_grad()`, and the functions (`exp`, `sin`, `dot`, …) for Values or numbers.

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names for annotations only: importing `typing` at run time costs start-up time
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    V = TypeVar("V", "Value", float)
    _Operator = Callable[["Value", "Value | float"], "Value"]

__all__ = [
    "PRIMITIVES",
    "CollectorPaused",
    "Primitive",
    "Value",
    "abs_",
    "apply",
    "cos",
    "data_of",
    "differentiate",
    "dot",
    "enable_grad",
    "evaluate",
    "exp",
    "is_recording",
    "log",
    "no_grad",
    "power_by",
    "push_forward",
    "relu",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "sum_",
    "tanh",
    "topological_order",
]

# ---------------------------------------------------------------------------
# 1. Value functions with domain checks
#
# Each takes and returns plain floats. Where an operation has no real answer it
# raises the builtin exception that fits, naming the operation and the value,
# instead of returning nan or inf.
# ---------------------------------------------------------------------------


def _divide(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"div: division by zero ({a!r} / {b!r})")
    return a / b


def _power(a: float, b: float) -> float:
    # With the exponent a Value, d/db a**b = a**b · ln a needs a > 0.
    if a <= 0.0:
        raise ValueError(
            f"pow: a Value exponent needs a positive base (the slope in the exponent "
            f"is a**b·ln a), got base {a!r}; use a plain number as the exponent instead"
        )
    return _checked_power(a, b)


def _checked_power(a: float, c: float) -> float:
    if a == 0.0 and c < 0.0:
        raise ZeroDivisionError(f"pow: 0.0 cannot be raised to the negative power {c!r}")
    if a < 0.0 and not c.is_integer():
        raise ValueError(f"pow: negative base {a!r} with fractional exponent {c!r} has no real value")
    try:
        return float(a**c)
    except OverflowError:
        raise OverflowError(f"pow: {a!r} ** {c!r} is too large for a float") from None


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp: result too large for a float at x={x!r}") from None


def _log(x: float) -> float:
    if x <= 0.0:
        raise ValueError(f"log: needs x > 0, got x={x!r}")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0.0:
        raise ValueError(f"sqrt: needs x >= 0, got x={x!r}")
    return math.sqrt(x)


def _sin(x: float) -> float:
    if math.isinf(x):
        raise ValueError(f"sin: needs a finite x, got x={x!r}")
    return math.sin(x)


def _cos(x: float) -> float:
    if math.isinf(x):
        raise ValueError(f"cos: needs a finite x, got x={x!r}")
    return math.cos(x)


def _sigmoid(x: float) -> float:
    # Two forms, so that exp() only ever sees a non-positive argument: stable for any x.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    # log(1 + eˣ) = max(x, 0) + log(1 + e^-|x|): no overflow for large |x|.
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _dot(*ws_then_xs: float) -> float:
    # dot(w₁..wₙ, x₁..xₙ): the inputs are all the ws, then all the xs.
    n = len(ws_then_xs) // 2
    total: float = sum(map(operator.mul, ws_then_xs[:n], ws_then_xs[n:]))  # w₁x₁ + w₂x₂ + …, in order
    return total


def _dot_derivs(*ws_xs_out: Any) -> tuple[Any, ...]:
    # ∂/∂wᵢ = xᵢ and ∂/∂xᵢ = wᵢ: the inputs with the two halves swapped.
    n = (len(ws_xs_out) - 1) // 2
    return (*ws_xs_out[n : 2 * n], *ws_xs_out[:n])


def _relu(x: float) -> float:
    return x if x > 0.0 else 0.0


def _step(x: Any) -> float:
    # relu'(x): 1 for x > 0, else 0 (the convention at the kink x = 0 is 0).
    return 1.0 if x > 0.0 else 0.0


def _sign(x: Any) -> float:
    # abs'(x): the sign of x (the convention at the kink x = 0 is 0).
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0


# ---------------------------------------------------------------------------
# 2. The table of primitives
# ---------------------------------------------------------------------------


class Primitive:
    """One row of the table: an operation's value and its local derivatives.

    ``value(*xs)`` takes floats and returns the result as a float.
    ``derivs(*xs, out)`` returns one local derivative ∂out/∂xᵢ per input. It is
    written with arithmetic operators and the functions of this module only, so
    it works on floats (the fast first-order path) *and* on Values (which makes
    the derivatives differentiable again: higher order for free).

    >>> MUL.value(3.0, 4.0), MUL.derivs(3.0, 4.0, 12.0)
    (12.0, (4.0, 3.0))
    """

    __slots__ = ("arity", "derivs", "name", "symbol", "value")

    def __init__(
        self,
        name: str,
        arity: int,
        value: Callable[..., float],
        derivs: Callable[..., tuple[Any, ...]],
        symbol: str = "",
    ) -> None:
        self.name = name
        self.arity = arity  # how many inputs; -1 for any number of inputs
        self.value = value
        self.derivs = derivs
        self.symbol = symbol  # how pictures of the graph show it, when not by name

    def __repr__(self) -> str:
        return f"Primitive({self.name!r}, arity={self.arity})"

    @property
    def label(self) -> str:
        """A short name for pictures of the graph: the symbol, else the name."""
        return self.symbol or self.name


# Each row: name, arity, value, local derivatives — with the math in a comment.
# Inside `derivs`, `out` is the primitive's own result, reused where it saves work.

# d/dx x = 1          (a fresh name for x: `grad` differentiates with respect to one use of x)
IDENTITY = Primitive("identity", 1, operator.pos, lambda x, out: (1.0,))
# d/da (a + b) = 1                 d/db (a + b) = 1
ADD = Primitive("add", 2, operator.add, lambda a, b, out: (1.0, 1.0), "+")
# d/da (a − b) = 1                 d/db (a − b) = −1
SUB = Primitive("sub", 2, operator.sub, lambda a, b, out: (1.0, -1.0), "-")
# d/da (a·b) = b                   d/db (a·b) = a
MUL = Primitive("mul", 2, operator.mul, lambda a, b, out: (b, a), "*")
# d/da (a/b) = 1/b                 d/db (a/b) = −a/b² = −out/b
DIV = Primitive("div", 2, _divide, lambda a, b, out: (1.0 / b, -out / b), "/")
# d/da aᵇ = b·aᵇ⁻¹ = b·out/a       d/db aᵇ = aᵇ·ln a = out·ln a        (needs a > 0)
POW = Primitive("pow", 2, _power, lambda a, b, out: (b * out / a, out * log(a)), "**")
# d/dx (−x) = −1
NEG = Primitive("neg", 1, operator.neg, lambda x, out: (-1.0,), "-")
# d/dx |x| = sign(x)               (0 at x = 0)
ABS = Primitive("abs", 1, abs, lambda x, out: (_sign(x),))
# d/dx eˣ = eˣ = out
EXP = Primitive("exp", 1, _exp, lambda x, out: (out,))
# d/dx ln x = 1/x
LOG = Primitive("log", 1, _log, lambda x, out: (1.0 / x,))
# d/dx √x = 1/(2√x) = 0.5/out      (infinite at x = 0: an error there)
SQRT = Primitive("sqrt", 1, _sqrt, lambda x, out: (0.5 / out,))
# d/dx tanh x = 1 − tanh² x = 1 − out²
TANH = Primitive("tanh", 1, math.tanh, lambda x, out: (1.0 - out * out,))
# d/dx σ(x) = σ(x)·(1 − σ(x)) = out·(1 − out)
SIGMOID = Primitive("sigmoid", 1, _sigmoid, lambda x, out: (out * (1.0 - out),))
# d/dx max(x, 0) = 1 if x > 0 else 0    (0 at x = 0)
RELU = Primitive("relu", 1, _relu, lambda x, out: (_step(x),))
# d/dx sin x = cos x
SIN = Primitive("sin", 1, _sin, lambda x, out: (cos(x),))
# d/dx cos x = −sin x
COS = Primitive("cos", 1, _cos, lambda x, out: (-sin(x),))
# d/dx ln(1 + eˣ) = σ(x)
SOFTPLUS = Primitive("softplus", 1, _softplus, lambda x, out: (sigmoid(x),))

# Rows with any number of inputs: one node instead of a chain of n − 1 additions.
# d/dxᵢ (x₁ + … + xₙ) = 1
SUM = Primitive("sum", -1, lambda *xs: sum(xs), lambda *xs_out: (1.0,) * (len(xs_out) - 1))
# d/dwᵢ Σ wⱼxⱼ = xᵢ               d/dxᵢ Σ wⱼxⱼ = wᵢ
DOT = Primitive("dot", -1, _dot, _dot_derivs)

#: Every fixed primitive by name. Raising to a constant power is a family of
#: rows, one per exponent, made on demand by `power_by`.
PRIMITIVES: dict[str, Primitive] = {
    op.name: op
    for op in (
        IDENTITY, ADD, SUB, MUL, DIV, POW, NEG, ABS, EXP, LOG, SQRT, TANH, SIGMOID, RELU, SIN, COS, SOFTPLUS, SUM, DOT
    )
}


@functools.lru_cache(maxsize=256)
def power_by(c: float) -> Primitive:
    """The row for ``x ** c`` with a constant exponent ``c`` (cached per exponent).

    A constant exponent is part of the operation, not an input: the slope in
    the exponent, xᶜ·ln x, is never needed, so a negative base is fine.

    >>> square = power_by(2.0)
    >>> square.value(3.0), square.derivs(3.0, 9.0)
    (9.0, (6.0,))
    """

    # d/dx xᶜ = c·xᶜ⁻¹                (and 0 when c = 0, even at x = 0)
    def derivs(x: Any, out: Any) -> tuple[Any, ...]:
        return (c * x ** (c - 1.0) if c != 0.0 else 0.0,)

    return Primitive("pow_const", 1, lambda x: _checked_power(x, c), derivs, f"**{c:g}")


# ---------------------------------------------------------------------------
# 3. Value
# ---------------------------------------------------------------------------

# Recording is switched off inside `with no_grad():`; see `no_grad` below.
_recording = True


def _real(x: object, where: str) -> float:
    """`x` as a float, or a TypeError naming `where` and what was given."""
    if isinstance(x, (float, numbers.Real)):
        f = float(x)
        if f != f or f in (math.inf, -math.inf):
            raise ValueError(f"{where}: expected a finite number, got {f!r}")
        return f
    raise TypeError(f"{where}: expected a real number, got {type(x).__name__} {x!r}")


_new = object.__new__


def _constant(x: float) -> Value:
    """A leaf made without the user-facing checks of `Value(...)`: lifted numbers, and results in no_grad()."""
    node = _new(Value)
    node.data, node.grad, node._parents, node._local, node._op = x, 0.0, (), (), None
    return node


def _shown(xs: Sequence[float]) -> str:
    return ", ".join(repr(x) for x in xs)


def _nan_error(op: Primitive, xs: Sequence[float]) -> ValueError:
    # Only infinite inputs get here (every domain error is caught before): inf − inf, 0 · inf, …
    return ValueError(f"{op.name}: the result is nan for ({_shown(xs)})")


def _derivative_error(op: Primitive, xs: Sequence[float], error: ArithmeticError) -> ArithmeticError:
    return type(error)(f"{op.name}: the derivative is undefined (infinite) at ({_shown(xs)}): {error}")


# The functions below are the hot path of the library: every operation passes
# through one of them. `_unary` and `_binary` do what `evaluate` does, written
# out for one and two inputs, and make the node in place, to save calls.


def _unary(op: Primitive, a: Value) -> Value:
    """Apply a one-input primitive: compute the value and, when recording, its derivative."""
    x = a.data
    out = op.value(x)
    if out != out:
        raise _nan_error(op, (x,))
    if not _recording:
        return _constant(out)
    try:
        local = op.derivs(x, out)
    except ArithmeticError as error:
        raise _derivative_error(op, (x,), error) from None
    node = _new(Value)
    node.data, node.grad, node._parents, node._local, node._op = out, 0.0, (a,), local, op
    return node


def _binary(op: Primitive, a: Value, b: Value) -> Value:
    """Apply a two-input primitive: compute the value and, when recording, its derivatives."""
    x, y = a.data, b.data
    out = op.value(x, y)
    if out != out:
        raise _nan_error(op, (x, y))
    if not _recording:
        return _constant(out)
    try:
        local = op.derivs(x, y, out)
    except ArithmeticError as error:
        raise _derivative_error(op, (x, y), error) from None
    node = _new(Value)
    node.data, node.grad, node._parents, node._local, node._op = out, 0.0, (a, b), local, op
    return node


def evaluate(op: Primitive, xs: Sequence[float], derivatives: bool = True) -> tuple[float, tuple[float, ...]]:
    """A row's value and local derivatives at the floats `xs`, with every check of the eager engine.

    Graph replay uses it too, so a replayed node fails exactly as an eager one would.

    >>> evaluate(MUL, [3.0, 4.0])
    (12.0, (4.0, 3.0))
    """
    out = op.value(*xs)
    if out != out:
        raise _nan_error(op, xs)
    if not derivatives:
        return out, ()
    try:
        return out, op.derivs(*xs, out)
    except ArithmeticError as error:
        raise _derivative_error(op, xs, error) from None


def apply(op: Primitive, *args: Value) -> Value:
    """Apply any primitive to Values (n-ary rows included) and record the node."""
    out, local = evaluate(op, [a.data for a in args], derivatives=_recording)
    if not _recording:
        return _constant(out)
    node = _new(Value)
    node.data, node.grad, node._parents, node._local, node._op = out, 0.0, args, local, op
    return node


def _as_value(x: object) -> Value | None:
    """A Value for `x` (a plain number becomes a constant leaf), or None for foreign types."""
    if isinstance(x, Value):
        return x
    if type(x) is float or isinstance(x, (int, numbers.Real)):  # float first: the common case, and quick
        return _constant(float(x))
    return None


def _operator_pair(op: Primitive) -> tuple[_Operator, _Operator]:
    """The forward and reflected operator methods for a two-input primitive.

    Both return NotImplemented for foreign types, so Python can try the other side.
    """

    def forward(self: Value, other: Value | float) -> Value:
        b = other if type(other) is Value else _as_value(other)
        return NotImplemented if b is None else _binary(op, self, b)

    def reflected(self: Value, other: Value | float) -> Value:
        a = _as_value(other)
        return NotImplemented if a is None else _binary(op, a, self)

    forward.__name__, reflected.__name__ = f"__{op.name}__", f"__r{op.name}__"
    forward.__doc__ = f"self {op.name} other, recorded as a node."
    reflected.__doc__ = f"other {op.name} self, recorded as a node."
    return forward, reflected


def _comparison(compare: Callable[[float, float], bool]) -> Callable[[Value, Value | float], bool]:
    def method(self: Value, other: Value | float) -> bool:
        if isinstance(other, Value):
            return compare(self.data, other.data)
        if isinstance(other, numbers.Real):
            return compare(self.data, float(other))
        return NotImplemented  # type: ignore[no-any-return]  # lets Python try the other side

    method.__doc__ = f"Compare ``.data`` ({compare.__name__}); returns a bool and records nothing."
    return method


class Value:
    """A real number that records the computation graph as you compute.

    ``Value(x)`` makes a leaf. Operators (``+ - * / **``, unary ``-``, ``abs``)
    and the methods below make new Values that remember their parents and the
    local derivative with respect to each. ``backward()`` then fills ``.grad``
    of every Value in the graph with the derivative of the output.

    Equality and hashing are by identity, so Values can be keys of dicts and
    members of sets; compare numbers with ``.data`` (``<``, ``<=``, ``>``,
    ``>=`` do compare ``.data``, and ``bool(v)`` is ``v.data != 0``).

    >>> w = Value(2.0)
    >>> loss = (w * 3 - 5) ** 2
    >>> loss.backward()
    >>> loss.data, w.grad      # d/dw (3w − 5)² = 6·(3w − 5) = 6
    (1.0, 6.0)
    """

    __slots__ = {
        "data": "The number this node holds (a float).",
        "grad": "d(output)/d(this node) after backward(); 0.0 before. Leaves accumulate across calls.",
        "_parents": "The Values this one was computed from, in argument order (a tuple).",
        "_local": "∂(this)/∂(parent) for each parent: plain floats, computed with the value.",
        "_op": "The Primitive row that made this node, or None for a leaf.",
    }

    data: float
    grad: float
    _parents: tuple[Value, ...]
    _local: tuple[float, ...]
    _op: Primitive | None

    def __init__(self, data: float) -> None:
        self.data = _real(data, "Value")
        self.grad = 0.0
        self._parents = ()
        self._local = ()
        self._op = None

    # -- what a node is made of (read-only views for the layers above) --------

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in argument order (empty for a leaf)."""
        return self._parents

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂(this)/∂(parent) for each parent, as computed when this node was made."""
        return self._local

    @property
    def op(self) -> Primitive | None:
        """The primitive that made this Value, or None for a leaf."""
        return self._op

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by ``Value(x)``, ``detach()`` or inside ``no_grad()``."""
        return not self._parents

    # -- operators: every one is a row of the table ----------------------------

    __add__, __radd__ = _operator_pair(ADD)
    __sub__, __rsub__ = _operator_pair(SUB)
    __mul__, __rmul__ = _operator_pair(MUL)
    __truediv__, __rtruediv__ = _operator_pair(DIV)

    def __pow__(self, other: Value | float) -> Value:
        """``self ** other``: a plain-number exponent is a constant, a Value exponent an input."""
        if isinstance(other, Value):
            return _binary(POW, self, other)
        if type(other) is int or type(other) is float or isinstance(other, numbers.Real):
            return _unary(power_by(float(other)), self)
        return NotImplemented

    def __rpow__(self, other: float) -> Value:
        """``number ** self``: the base is a constant (and must be positive)."""
        base = _as_value(other)
        return NotImplemented if base is None else _binary(POW, base, self)

    def __neg__(self) -> Value:
        return _unary(NEG, self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _unary(ABS, self)

    # -- functions as methods --------------------------------------------------

    def exp(self) -> Value:
        """eˣ"""
        return _unary(EXP, self)

    def log(self) -> Value:
        """Natural logarithm; needs x > 0."""
        return _unary(LOG, self)

    def sqrt(self) -> Value:
        """Square root; needs x >= 0 (and x > 0 to be differentiable)."""
        return _unary(SQRT, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        return _unary(TANH, self)

    def sigmoid(self) -> Value:
        """The logistic function 1 / (1 + e⁻ˣ), stable for any finite x."""
        return _unary(SIGMOID, self)

    def relu(self) -> Value:
        """max(x, 0), with derivative 0 at x = 0."""
        return _unary(RELU, self)

    def sin(self) -> Value:
        """Sine (radians)."""
        return _unary(SIN, self)

    def cos(self) -> Value:
        """Cosine (radians)."""
        return _unary(COS, self)

    def softplus(self) -> Value:
        """log(1 + eˣ), stable for any finite x."""
        return _unary(SOFTPLUS, self)

    # -- behaving like a number ------------------------------------------------

    __lt__ = _comparison(operator.lt)
    __le__ = _comparison(operator.le)
    __gt__ = _comparison(operator.gt)
    __ge__ = _comparison(operator.ge)

    def __float__(self) -> float:
        return self.data

    def __bool__(self) -> bool:
        return self.data != 0.0

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from this Value's graph."""
        return _constant(self.data)

    # -- reverse mode ----------------------------------------------------------

    def backward(self, gradient: float = 1.0) -> None:
        """Fill ``.grad`` of every Value this one depends on with d(self)/d(that Value).

        ``gradient`` seeds the output (default 1.0). As in PyTorch, leaves
        *accumulate*: calling ``backward()`` twice gives them twice the
        gradient, so reset them (``optimizer.zero_grad()``) between steps.
        Interior nodes hold the gradient of the latest pass.

        >>> x = Value(3.0)
        >>> y = x * x * 2
        >>> y.backward(); x.grad
        12.0
        >>> y.backward(); x.grad
        24.0
        """
        seed = _real(gradient, "backward(gradient)")
        with CollectorPaused():
            order = topological_order(self)
            for node in order:
                if node._parents:
                    node.grad = 0.0  # interior gradients belong to this pass only
            self.grad += seed
            # The chain rule, from the output back to the leaves:
            #     ∂out/∂parent  +=  ∂node/∂parent · ∂out/∂node
            for node in reversed(order):
                if node._parents:
                    g = node.grad
                    for parent, local in zip(node._parents, node._local):
                        parent.grad += local * g


# ---------------------------------------------------------------------------
# 4. Walking the graph
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
    order: list[Value] = []
    visited: set[Value] = set()  # Values hash by identity
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)  # every parent is already in `order`
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            for parent in reversed(node._parents):
                if parent not in visited:
                    if parent._parents:
                        stack.append((parent, False))
                    else:  # a leaf has no parents to wait for: place it now
                        visited.add(parent)
                        order.append(parent)
    return order


# ---------------------------------------------------------------------------
# 5. The table read again: gradients as Values, and forward mode
# ---------------------------------------------------------------------------


def _local_values(node: Value) -> tuple[Any, ...]:
    """The node's local derivatives recomputed from its parents *as Values*.

    The same rule as `node.local_grads`, but each result records its own graph,
    so it can be differentiated again.
    """
    assert node._op is not None  # only called on interior nodes
    return node._op.derivs(*node._parents, node)


def differentiate(output: Value, inputs: Sequence[Value], create_graph: bool = True) -> tuple[Any, ...]:
    """∂output/∂input for each input, without touching anyone's ``.grad``.

    The same reverse-mode loop as `Value.backward`, with the gradients kept in
    a dict. With ``create_graph=True`` every gradient is a Value built from the
    local derivatives recomputed as Values, so it can be differentiated again;
    with ``create_graph=False`` the gradients are plain floats. An input that
    `output` does not depend on gets 0.

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
    seed: Any = _constant(1.0) if create_graph else 1.0
    grads: dict[Value, Any] = {output: seed}
    with CollectorPaused():
        order = topological_order(output)
    with enable_grad():  # gradients as Values must record their graph, even inside no_grad()
        for node in reversed(order):
            g = grads.get(node)
            if g is None or not node._parents:
                continue
            local = _local_values(node) if create_graph else node._local
            for parent, d in zip(node._parents, local):
                contribution = g * d
                grads[parent] = grads[parent] + contribution if parent in grads else contribution
    zero: Any = _constant(0.0) if create_graph else 0.0
    return tuple(grads.get(x, zero) for x in inputs)


def push_forward(outputs: Sequence[Value], tangents: dict[Value, Any]) -> list[Any]:
    """Forward mode: the directional derivative of each output along `tangents`.

    `tangents` maps input Values to their tangent (a float, or a Value when the
    result must itself be differentiable). Walking the recorded graph from the
    inputs forward, each node's tangent is Σ ∂node/∂parent · tangent(parent) —
    the same local derivatives that `backward` uses, read in the other
    direction.

    >>> x = Value(2.0)
    >>> y = x * x
    >>> push_forward([y], {x: 1.0})   # dy/dx = 2x = 4
    [4.0]
    """
    as_values = any(isinstance(t, Value) for t in tangents.values())
    known: dict[Value, Any] = dict(tangents)
    with enable_grad():  # tangents as Values must record their graph, even inside no_grad()
        for output in outputs:
            for node in topological_order(output):
                if node in known or not node._parents:
                    continue
                local = _local_values(node) if as_values else node._local
                total: Any = 0.0
                for parent, d in zip(node._parents, local):
                    t = known.get(parent)
                    if t is not None:
                        total = total + d * t
                known[node] = total
    return [known.get(y, 0.0) for y in outputs]


# ---------------------------------------------------------------------------
# 6. Recording switch and module-level functions
# ---------------------------------------------------------------------------


class _Recording:
    """Set whether operations record the graph inside a ``with`` block; restore it after."""

    __slots__ = ("_previous",)
    _on = True

    def __enter__(self) -> None:
        global _recording
        self._previous = _recording
        _recording = self._on

    def __exit__(self, *exc_info: object) -> None:
        global _recording
        _recording = self._previous


class no_grad(_Recording):
    """Inside ``with no_grad():`` operations compute values but record no graph.

    Results are leaves, so nothing inside is differentiated and no memory
    is spent on nodes. Recording resumes on leaving the block, even after an
    error, and blocks nest.

    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.is_leaf
    True
    """

    __slots__ = ()
    _on = False


class enable_grad(_Recording):
    """Inside ``with enable_grad():`` operations record the graph, even within ``no_grad()``.

    The derivative functions (`grad` and friends) use it, so that they work
    wherever they are called.
    """

    __slots__ = ()
    _on = True


def is_recording() -> bool:
    """False inside ``no_grad()``, True otherwise."""
    return _recording


def data_of(x: object, where: str, what: str = "the result") -> float:
    """The number a Value holds, or a plain number as a float; a TypeError naming `where` otherwise.

    >>> data_of(Value(2.0), "f"), data_of(3, "f")
    (2.0, 3.0)
    """
    if isinstance(x, Value):
        return x.data
    if isinstance(x, (int, float)):
        return float(x)
    raise TypeError(f"{where}: {what} must be a Value or a number, got {type(x).__name__}")


def _call(op: Primitive, x: Any) -> Any:
    if isinstance(x, Value):
        return _unary(op, x)
    return op.value(_real(x, op.name))


def exp(x: V) -> V:
    """eˣ of a Value (recorded) or a number (a float).

    >>> exp(0.0), exp(Value(0.0))
    (1.0, Value(data=1.0, grad=0.0))
    """
    return _call(EXP, x)  # type: ignore[no-any-return]


def log(x: V) -> V:
    """Natural logarithm of a Value or a number; needs x > 0."""
    return _call(LOG, x)  # type: ignore[no-any-return]


def sqrt(x: V) -> V:
    """Square root of a Value or a number; needs x >= 0."""
    return _call(SQRT, x)  # type: ignore[no-any-return]


def tanh(x: V) -> V:
    """Hyperbolic tangent of a Value or a number."""
    return _call(TANH, x)  # type: ignore[no-any-return]


def sigmoid(x: V) -> V:
    """Logistic function 1 / (1 + e⁻ˣ) of a Value or a number, stable for any finite x."""
    return _call(SIGMOID, x)  # type: ignore[no-any-return]


def relu(x: V) -> V:
    """max(x, 0) of a Value or a number."""
    return _call(RELU, x)  # type: ignore[no-any-return]


def sin(x: V) -> V:
    """Sine of a Value or a number (radians)."""
    return _call(SIN, x)  # type: ignore[no-any-return]


def cos(x: V) -> V:
    """Cosine of a Value or a number (radians)."""
    return _call(COS, x)  # type: ignore[no-any-return]


def softplus(x: V) -> V:
    """log(1 + eˣ) of a Value or a number, stable for any finite x."""
    return _call(SOFTPLUS, x)  # type: ignore[no-any-return]


def _lift_all(xs: Sequence[Any], where: str) -> list[Value]:
    """Every item as a Value (numbers become constants), or a TypeError naming the bad item."""
    lifted = []
    for i, x in enumerate(xs):
        v = x if type(x) is Value else _as_value(x)
        if v is None:
            raise TypeError(f"{where}: item {i} must be a Value or a real number, got {type(x).__name__} {x!r}")
        lifted.append(v)
    return lifted


def sum_(xs: Sequence[Any]) -> Value:
    """x₁ + … + xₙ as one node with n parents (the builtin ``sum`` records n − 1 additions).

    >>> a, b = Value(1.0), Value(2.0)
    >>> s = sum_([a, b, 3.0])
    >>> s.backward(); (s.data, a.grad, len(s.parents))
    (6.0, 1.0, 3)
    """
    values = _lift_all(xs, "sum_")
    if not values:
        return _constant(0.0)
    return apply(SUM, *values)


def dot(ws: Sequence[Any], xs: Sequence[Any]) -> Value:
    """Σ wᵢ·xᵢ as one node with 2n parents: a neuron's weighted sum in one step.

    >>> w, x = [Value(2.0), Value(3.0)], [Value(4.0), 5.0]
    >>> d = dot(w, x)
    >>> d.backward(); (d.data, w[0].grad, x[0].grad)
    (23.0, 4.0, 2.0)
    """
    if len(ws) != len(xs):
        raise ValueError(f"dot: got {len(ws)} weights but {len(xs)} inputs")
    if not ws:
        return _constant(0.0)
    return apply(DOT, *_lift_all(ws, "dot"), *_lift_all(xs, "dot"))


def abs_(x: V) -> V:
    """|x| of a Value or a number (the builtin ``abs`` works on Values too)."""
    return _call(ABS, x)  # type: ignore[no-any-return]

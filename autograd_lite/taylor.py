"""Taylor mode: derivatives of any order in one pass, for every row of the table.

A `Series` is a truncated Taylor series c₀ + c₁t + … + cₙtⁿ, its coefficients
a list. Its operators use the standard recurrences (the Cauchy product, the
division recurrence), and every row of the table applied to a Series gets a
rule: a *generic* one read from the row's ``derivs`` (which are written with
operators and rows, so they work on Series as they do on Values), or a
*dedicated* recurrence where the generic one would be slow or lose digits.
Seeding x = x₀ + t and reading the coefficients of f(x) gives every
derivative up to order n from one evaluation of f: cₖ = f⁽ᵏ⁾(x₀)/k!.

>>> import autograd_lite as al
>>> al.taylor(al.exp, 0.0, 4)                        # 1/k!
[1.0, 1.0, 0.5, 0.16666666666666666, 0.041666666666666664]
>>> al.derivative(al.sin, 3)(0.0)                     # sin‴ = −cos
-1.0
>>> al.jet(lambda x: x * x, (3.0,), ([1.0, 0.0],))    # JAX's jet: (f, [f′, f″]) along the path
(9.0, [6.0, 2.0])
>>> al.derivatives(lambda x, y: x * x * y, (1.0, 3.0), 2)[(1, 1)]   # ∂²(x²y)/∂x∂y = 2x
2.0

The generic rule. For y = f(x₁, …, xₘ), y′ = Σᵢ ∂f/∂xᵢ · xᵢ′; with dᵢ the
series of ∂f/∂xᵢ, the coefficient of tᵏ⁻¹ on both sides gives

    k·yₖ = Σᵢ Σⱼ₌₁..ₖ j·xᵢ,ⱼ·dᵢ,ₖ₋ⱼ,

and dᵢ is the row's ``derivs`` applied to the input series truncated at order
n − 1. Where ``derivs`` reads ``out`` (∂ tanh = 1 − out²), it gets the
coefficients of y known so far, and each call gives one more. Rows whose
derivative is piecewise constant (floor, sign, relu, abs, maximum…) return a
number as their derivative, so every higher coefficient follows the table's
convention at the kinks too: relu at 0 is [0, 0, 0, …], maximum at a tie is
½·(a + b) to every order. A row made with `primitive` gets Taylor mode from its
``derivs`` in the same way, or a TypeError saying why not.

Coefficients may be Values (when x is a Value, or f closes over one), so a
Taylor coefficient can be differentiated again by `grad`; or Series, which is
how `derivatives` gets mixed partials from nested series. A coefficient that
comes out inf or nan raises `NonFiniteCoefficientError` naming the function
called, the row and the order; a domain edge raises only when the coefficient
that is infinite is asked for (√x at 0: order 0 is fine, order 1 raises).
"""

from __future__ import annotations

import functools
import math
import numbers
import operator
from contextvars import ContextVar

from .checks import NonFiniteGradientError, real, shown
from .engine import Value
from .primitives import (
    ABS,
    ADD,
    CEIL,
    COS,
    COSH,
    DIV,
    ERF,
    ERFC,
    EXP,
    EXP2,
    EXPM1,
    FLOOR,
    FLOORDIV,
    GAMMA,
    IDENTITY,
    LGAMMA,
    LOG,
    LOG1P,
    LOG2,
    LOG10,
    LOGSUMEXP,
    MOD,
    MUL,
    NEG,
    POW,
    PRIMITIVES,
    SIGMOID,
    SIN,
    SINC,
    SINH,
    SQRT,
    SUB,
    TAN,
    TANH,
    TRUNC,
    Primitive,
    elu_by,
    flipped,
    gelu_row,
    leaky_relu_by,
    power_by,
)
from .tree import Structure, tree_flatten, tree_unflatten

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any

    Rule = Callable[..., "Series"]

__all__ = ["NonFiniteCoefficientError", "Series", "derivative", "derivatives", "jet", "taylor"]

_mul, _sub, _ne = operator.mul, operator.sub, operator.ne
_INF = math.inf
_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_LAST_FACTORIAL = 170  # 170! is the largest factorial a float holds

# The public function at work, for error messages ("taylor: sqrt …"); "Series" when Series are used directly.
_where: ContextVar[str] = ContextVar("autograd_lite_taylor_caller", default="Series")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class NonFiniteCoefficientError(NonFiniteGradientError):
    """A Taylor coefficient is inf or nan: it overflows, or the derivative of that order is infinite.

    The message names the function called, the row and the order. A subclass
    of `NonFiniteGradientError`, which nested `grad` raises at the same
    points (√x at 0), so one ``except`` serves both.
    """


def _non_finite(name: str, order: int, why: str) -> NonFiniteCoefficientError:
    return NonFiniteCoefficientError(f"{_where.get()}: {name}: the Taylor coefficient of order {order} {why}")


def _finished(name: str, coefficients: list[Any]) -> Series:
    """A Series of `coefficients`, once none of them is inf or nan (else an error naming `name` and the order)."""
    # Three scans in C (only nan differs from itself); a Value or a Series is neither ±inf nor nan.
    if _INF in coefficients or -_INF in coefficients or any(map(_ne, coefficients, coefficients)):
        for k, c in enumerate(coefficients):
            if c == _INF or c == -_INF:
                raise _non_finite(name, k, f"is {c!r}: it overflows a float")
            if c != c:
                raise _non_finite(name, k, "is nan: a float overflowed on the way (inf − inf, 0·inf)")
    return _made(coefficients)


def _row_name(op: Primitive) -> str:
    return (op.flips or op).name


def _number(c: Any) -> float:
    """The plain number of a coefficient: a float, a Value's number, a Series' value (its constant term's number)."""
    while type(c) is Series:
        c = c._c[0]
    return c if type(c) is float else c.data if isinstance(c, Value) else float(c)


# ---------------------------------------------------------------------------
# The series
# ---------------------------------------------------------------------------

_new = object.__new__


def _method(name: str) -> Callable[[Series], Series]:
    """The method ``s.name()`` for a one-input row: the row applied to this series."""
    op = PRIMITIVES[name]

    def method(self: Series) -> Series:
        return op(self)  # type: ignore[no-any-return]

    method.__name__, method.__qualname__ = name, f"Series.{name}"
    method.__doc__ = f"``autograd_lite.{name}(self)``: the row {name} applied to this series."
    return method


def _made(coefficients: list[Any]) -> Series:
    """A Series holding `coefficients` (the list itself, not a copy), without the user-facing checks."""
    s: Series = _new(Series)
    s._c = coefficients
    return s


def _scalar(x: Any, where: str) -> Any:
    """A constant operand: a Value, or a real number as a finite float; None for anything else."""
    if type(x) is float and not x - x:
        return x
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return real(x, where)
    return None


class Series:
    """A truncated Taylor series c₀ + c₁t + … + cₙtⁿ: the value c₀ and the coefficients of a function of t.

    ``Series([x, 1.0, 0.0])`` is the variable x + t to order 2. Arithmetic and
    every row of the table (``al.sin(s)``, ``al.maximum(s, 0.0)``, ``s ** 0.5``)
    give the series of the result to the same order; combining series of
    different orders gives the lower one (a coefficient beyond it is unknown).
    A coefficient is a float, a Value (so that `grad` can differentiate it) or
    a Series (a series in a second variable, as `derivatives` builds them).
    Comparisons and ``bool`` read the value c₀, as they read a Value's number.

    >>> x = Series([0.5, 1.0, 0.0, 0.0])
    >>> y = x * x - 1.0                   # t² + t − 0.75
    >>> y
    Series([-0.75, 1.0, 1.0, 0.0])
    >>> y.derivatives()                   # y, y′, y″, y‴ at t = 0
    [-0.75, 1.0, 2.0, 0.0]
    """

    __slots__ = ("_c",)
    _c: list[Any]

    def __init__(self, coefficients: Sequence[Any]) -> None:
        checked: list[Any] = []
        for k, c in enumerate(coefficients):
            if type(c) is Series or isinstance(c, Value):
                checked.append(c)
            else:
                checked.append(real(c, f"Series: coefficient {k}"))
        if not checked:
            raise ValueError("Series: needs at least one coefficient, the value c₀")
        self._c = checked

    @classmethod
    def variable(cls, x: Any, order: int) -> Series:
        """The series of x + t to `order`: the seed whose result's coefficients are f⁽ᵏ⁾(x)/k!.

        >>> Series.variable(2.0, 3)
        Series([2.0, 1.0, 0.0, 0.0])
        """
        order = _order(order, "Series.variable")
        x0 = x if isinstance(x, Value) else real(x, "Series.variable: x")
        return _made([x0, 1.0] + [0.0] * (order - 1) if order else [x0])

    # -- what a series holds ---------------------------------------------------

    @property
    def coefficients(self) -> list[Any]:
        """The coefficients c₀, c₁, …, cₙ, as a new list."""
        return list(self._c)

    @property
    def order(self) -> int:
        """n, the highest power of t kept."""
        return len(self._c) - 1

    @property
    def data(self) -> float:
        """The number of the value c₀ (what a row reads to choose a branch, as it reads a Value's ``.data``)."""
        return _number(self._c[0])

    def __getitem__(self, k: int) -> Any:
        """cₖ, the coefficient of tᵏ."""
        return self._c[k]

    def __iter__(self) -> Iterator[Any]:
        """The coefficients c₀, c₁, …, cₙ."""
        return iter(self._c)

    def derivatives(self) -> list[Any]:
        """The derivatives at t = 0: k!·cₖ for every order k (the terms JAX's `jet` takes and gives)."""
        return [_times_factorial(c, k) for k, c in enumerate(self._c)]

    def truncated(self, order: int) -> Series:
        """The same series to a lower order (itself if `order` is not lower)."""
        return self if order >= len(self._c) - 1 else _made(self._c[: order + 1])

    def at(self, t: Any) -> Any:
        """The polynomial c₀ + c₁t + … + cₙtⁿ at `t`, by Horner's rule (a step of a Taylor-series integrator).

        >>> Series([1.0, 2.0, 3.0]).at(0.5)
        2.75
        """
        total = self._c[-1]
        for c in reversed(self._c[:-1]):
            total = total * t + c
        return total

    def __repr__(self) -> str:
        return f"Series({self._c!r})"

    # -- arithmetic: the recurrences -----------------------------------------------

    def __add__(self, other: Any) -> Series:
        if type(other) is Series:
            return _finished("add", list(map(operator.add, self._c, other._c)))
        c = _scalar(other, "add")
        if c is None:
            return NotImplemented
        return _finished("add", [self._c[0] + c, *self._c[1:]])

    def __radd__(self, other: Any) -> Series:
        c = _scalar(other, "add")
        if c is None:
            return NotImplemented
        return _finished("add", [c + self._c[0], *self._c[1:]])

    def __sub__(self, other: Any) -> Series:
        if type(other) is Series:
            return _finished("sub", list(map(_sub, self._c, other._c)))
        c = _scalar(other, "sub")
        if c is None:
            return NotImplemented
        return _finished("sub", [self._c[0] - c, *self._c[1:]])

    def __rsub__(self, other: Any) -> Series:
        c = _scalar(other, "sub")
        if c is None:
            return NotImplemented
        return _finished("sub", [c - self._c[0], *[-x for x in self._c[1:]]])

    def __mul__(self, other: Any) -> Series:
        if type(other) is Series:
            return _finished("mul", _cauchy(self._c, other._c))
        c = _scalar(other, "mul")
        if c is None:
            return NotImplemented
        return _finished("mul", [x * c for x in self._c])

    def __rmul__(self, other: Any) -> Series:
        c = _scalar(other, "mul")
        if c is None:
            return NotImplemented
        return _finished("mul", [c * x for x in self._c])

    def __truediv__(self, other: Any) -> Series:
        if type(other) is Series:
            return _finished("div", _quotient(self._c, other._c))
        c = _scalar(other, "div")
        if c is None:
            return NotImplemented
        if type(c) is float and c == 0.0:
            DIV(self._c[0], c)  # raises the row's own error: division by zero
        return _finished("div", [x / c for x in self._c])

    def __rtruediv__(self, other: Any) -> Series:
        c = _scalar(other, "div")
        if c is None:
            return NotImplemented
        return _finished("div", _quotient([c] + [0.0] * (len(self._c) - 1), self._c))

    def __pow__(self, other: Any) -> Series:
        """``s ** c``: a constant exponent is the row ``power_by(c)``; a Series exponent is the two-input `pow`."""
        if type(other) is Series or isinstance(other, Value):
            return _pow_series(self, other)
        c = _scalar(other, "pow")
        if c is None:
            return NotImplemented
        return _power(self, c)

    def __rpow__(self, other: Any) -> Series:
        c = _scalar(other, "pow")
        if c is None:
            return NotImplemented
        return _pow_series(c, self)

    def __neg__(self) -> Series:
        return _made([-x for x in self._c])

    def __pos__(self) -> Series:
        return self

    def __abs__(self) -> Series:
        return ABS(self)  # type: ignore[no-any-return]

    def __mod__(self, other: Any) -> Series:
        return MOD(self, other)  # type: ignore[no-any-return]

    def __rmod__(self, other: Any) -> Series:
        return MOD(other, self)  # type: ignore[no-any-return]

    def __floordiv__(self, other: Any) -> Series:
        return FLOORDIV(self, other)  # type: ignore[no-any-return]

    def __rfloordiv__(self, other: Any) -> Series:
        return FLOORDIV(other, self)  # type: ignore[no-any-return]

    def __floor__(self) -> Series:
        return FLOOR(self)  # type: ignore[no-any-return]

    def __ceil__(self) -> Series:
        return CEIL(self)  # type: ignore[no-any-return]

    def __trunc__(self) -> Series:
        return TRUNC(self)  # type: ignore[no-any-return]

    # -- functions as methods: s.tanh() is tanh(s), as on a Value --------------------------

    exp = _method("exp")
    exp2 = _method("exp2")
    expm1 = _method("expm1")
    log = _method("log")
    log2 = _method("log2")
    log10 = _method("log10")
    log1p = _method("log1p")
    sqrt = _method("sqrt")
    cbrt = _method("cbrt")
    deg2rad = _method("deg2rad")
    rad2deg = _method("rad2deg")
    sin = _method("sin")
    sinc = _method("sinc")
    cos = _method("cos")
    tan = _method("tan")
    asin = _method("asin")
    acos = _method("acos")
    atan = _method("atan")
    tanh = _method("tanh")
    sinh = _method("sinh")
    cosh = _method("cosh")
    asinh = _method("asinh")
    acosh = _method("acosh")
    atanh = _method("atanh")
    erf = _method("erf")
    erfc = _method("erfc")
    erfinv = _method("erfinv")
    lgamma = _method("lgamma")
    gamma = _method("gamma")
    digamma = _method("digamma")
    trigamma = _method("trigamma")
    sign = _method("sign")
    sigmoid = _method("sigmoid")
    logit = _method("logit")
    relu = _method("relu")
    softplus = _method("softplus")
    log_sigmoid = _method("log_sigmoid")
    silu = _method("silu")

    def gelu(self, approximate: str = "none") -> Series:
        """x·Φ(x) (exact, through erf), or its tanh form with ``approximate="tanh"``."""
        return gelu_row(approximate)(self)  # type: ignore[no-any-return]

    def elu(self, alpha: float = 1.0) -> Series:
        """x for x > 0, α·(eˣ − 1) below."""
        return elu_by(real(alpha, "elu: alpha"))(self)  # type: ignore[no-any-return]

    def leaky_relu(self, slope: float = 0.01) -> Series:
        """x for x > 0, slope·x below."""
        return leaky_relu_by(real(slope, "leaky_relu: slope"))(self)  # type: ignore[no-any-return]

    # -- comparisons read the value, as a Value's do ----------------------------------

    def __lt__(self, other: Any) -> bool:
        return self.data < _number(other)

    def __le__(self, other: Any) -> bool:
        return self.data <= _number(other)

    def __gt__(self, other: Any) -> bool:
        return self.data > _number(other)

    def __ge__(self, other: Any) -> bool:
        return self.data >= _number(other)

    def __bool__(self) -> bool:
        return self.data != 0.0

    def __float__(self) -> float:
        raise TypeError(
            "float() of a Series would drop its higher coefficients: use s[0] for the value, or autograd_lite's "
            "own function (autograd_lite.cos, not math.cos) to keep the series"
        )

    def __int__(self) -> int:
        raise TypeError("int() of a Series would drop its higher coefficients: use s[0] for the value")

    # -- every row of the table -------------------------------------------------------

    @staticmethod
    def _record_row(op: Primitive, args: Sequence[Any]) -> Series:
        """A row called with a Series among its arguments: its dedicated rule, else the generic one."""
        rule = _RULES.get(op)
        if rule is not None:
            return rule(*args)
        if op.made_by[0] is power_by:
            return _power(args[0], op.made_by[1])
        return _generic(op, args)


def _cauchy(a: list[Any], b: list[Any]) -> list[Any]:
    """The coefficients of a·b: the Cauchy product, (a·b)ₖ = Σⱼ₌₀..ₖ aⱼ·bₖ₋ⱼ."""
    return [sum(map(_mul, a, b[k::-1])) for k in range(min(len(a), len(b)))]


def _quotient(a: list[Any], b: list[Any]) -> list[Any]:
    """The coefficients of q = a/b, from q·b = a: qₖ = (aₖ − Σⱼ₌₁..ₖ bⱼ·qₖ₋ⱼ)/b₀."""
    b0, b1 = b[0], b[1:]
    q = [a[0] / b0 if _number(b0) != 0.0 else DIV(a[0], b0)]  # DIV raises the row's own error at b₀ = 0
    for k in range(1, min(len(a), len(b))):
        q.append((a[k] - sum(map(_mul, b1, q[::-1]))) / b0)
    return q


@functools.cache
def _factorial(k: int) -> float:
    """k! as a float, rounded once (k ≤ 170)."""
    return float(math.factorial(k))


def _times_factorial(c: Any, k: int) -> Any:
    """c·k!, for the derivative of order k from its Taylor coefficient (in steps where k! passes a float)."""
    if k <= _LAST_FACTORIAL:
        return c * _factorial(k)
    for m in range(2, k + 1):
        c = c * m
    return c


def _over_factorial(c: Any, k: int) -> Any:
    """c/k!, the Taylor coefficient of a derivative of order k."""
    if k <= _LAST_FACTORIAL:
        return c / _factorial(k)
    for m in range(2, k + 1):
        c = c / m
    return c


# ---------------------------------------------------------------------------
# The generic rule: any row, read from its derivatives
# ---------------------------------------------------------------------------


def _generic(op: Primitive, args: Sequence[Any]) -> Series:
    """Any row applied to Series, from its ``derivs``: y′ = Σᵢ dᵢ·xᵢ′ solved order by order.

    k·yₖ = Σᵢ Σⱼ₌₁..ₖ j·xᵢ,ⱼ·dᵢ,ₖ₋ⱼ, where dᵢ = ∂f/∂xᵢ is the row's ``derivs``
    applied to the inputs truncated at order n − 1 and to ``out``, the
    coefficients of y known so far. A dᵢ that is a number is constant in t (a
    piecewise-constant slope): its term is dᵢ·xᵢ,ₖ. One call gives every
    coefficient when ``derivs`` does not read ``out``; one more per call when it
    does, since yₖ needs d to order k − 1, which needs y to order k − 1.
    """
    moving = [i for i, a in enumerate(args) if type(a) is Series]
    n = min(len(args[i]._c) for i in moving) - 1
    y0 = op(*[a._c[0] if type(a) is Series else a for a in args])
    ys = [y0]
    if n == 0:
        return _made(ys)
    xs = {i: args[i]._c for i in moving}
    jxs = {i: [j * x for j, x in enumerate(xs[i][1 : n + 1], start=1)] for i in moving}  # j·xᵢ,ⱼ for j ≥ 1
    while len(ys) <= n:
        k = len(ys)  # the next order
        d, top = _local_series(op, args, ys, n - 1 if k == 1 else k - 1, k)
        for m in range(k, top + 2):  # d is known to order `top`, so y to order top + 1
            series_part: Any = 0
            constant_part: Any = 0
            for i in moving:
                di = d[i]
                if type(di) is Series:
                    series_part += sum(map(_mul, jxs[i], di._c[m - 1 :: -1]))  # Σⱼ₌₁..ₘ j·xⱼ·d_(m−j)
                elif _number(di) != 0.0 or isinstance(di, Value):
                    constant_part += di * xs[i][m]  # a constant slope: dᵢ·xᵢ,ₘ
            ys.append(series_part / m + constant_part)
    return _finished(_row_name(op), ys)


def _local_series(op: Primitive, args: Sequence[Any], ys: list[Any], m: int, k: int) -> tuple[Sequence[Any], int]:
    """The row's local derivatives at the inputs truncated to order `m` and ``out`` known to order k − 1.

    Returns them and the order to which all of them are known. A derivative
    that raises an ArithmeticError (infinite, as √x's at 0) is asked for again
    at the lowest order that yₖ needs, to say which coefficient is infinite.
    """
    out = _made(ys[: m + 1])
    try:
        d = _call_derivs(op, args, out, m)
    except ArithmeticError as error:
        if m == k - 1:
            raise _infinite(op, args, k, error) from None
        return _local_series(op, args, ys, k - 1, k)
    top = m
    for i, di in enumerate(d[: len(args)]):
        if type(args[i]) is Series and type(di) is Series:
            top = min(top, len(di._c) - 1)
    return d, top


def _call_derivs(op: Primitive, args: Sequence[Any], out: Series, m: int) -> Sequence[Any]:
    inputs = [a.truncated(m) if type(a) is Series else a for a in args]
    try:
        return op.derivs(*inputs, out)
    except TypeError as error:
        raise TypeError(
            f"{_where.get()}: the derivative rule of {_row_name(op)} does not take a Series ({error}), so it has no "
            f"Taylor mode; write it with autograd_lite's functions (autograd_lite.cos, not math.cos), as "
            f"derivatives of derivatives need"
        ) from None


def _infinite(op: Primitive, args: Sequence[Any], k: int, error: BaseException) -> NonFiniteCoefficientError:
    at = [_number(a) for a in args]
    if op.flips is not None:
        at = at[::-1]
    return _non_finite(
        _row_name(op),
        k,
        f"is not finite at ({shown(at)}): its derivative there raised {type(error).__name__}: "
        f"{error} (the coefficients below order {k} are finite: ask for order {k - 1})",
    )


# ---------------------------------------------------------------------------
# Dedicated rules: where the generic rule would be slow or lose digits
# ---------------------------------------------------------------------------


def _riccati(name: str, x: Series, y0: Any, z0: Any, b: float, c: float) -> Series:
    """y with y′ = z·x′, z = a + b·y + c·y² (a is folded into z₀): exp, expm1, exp2, tanh, tan, sigmoid (Γ, aᵇ).

    Why dedicated: these rows' ``derivs`` read ``out``, so the generic rule
    would call them once per order (O(n³)); here zₖ is updated as soon as yₖ is
    known, O(n²), and z₀ is the row's first derivative computed where it keeps
    its digits (eˣ for expm1 near −∞, σ(x)·σ(−x) for sigmoid, sech² for tanh):

        k·yₖ = Σⱼ₌₁..ₖ j·xⱼ·zₖ₋ⱼ,        zₖ = b·yₖ + c·Σᵢ₌₀..ₖ yᵢ·yₖ₋ᵢ  (k ≥ 1).
    """
    xc = x._c
    n = len(xc) - 1
    jx = [j * xj for j, xj in enumerate(xc[1:], start=1)]
    ys, zs = [y0], [z0]
    for k in range(1, n + 1):
        yk = sum(map(_mul, jx, zs[::-1])) / k
        ys.append(yk)
        if k < n:  # zₖ = b·yₖ + c·(y²)ₖ, for the orders still to come
            zk = yk if b == 1.0 else b * yk
            if c:
                square = c * sum(map(_mul, ys, ys[::-1]))
                zk = zk + square if b else square
            zs.append(zk)
    return _finished(name, ys)


def _exp(x: Series) -> Series:
    # y′ = y·x′: the exponential's recurrence (z = y).
    y0 = EXP(x._c[0])
    return _riccati("exp", x, y0, y0, 1.0, 0.0)


def _exp2(x: Series) -> Series:
    # y′ = ln 2·y·x′.
    y0 = EXP2(x._c[0])
    return _riccati("exp2", x, y0, _LN2 * y0, _LN2, 0.0)


def _expm1(x: Series) -> Series:
    # y′ = (1 + y)·x′, z₀ = e^x₀ directly: 1 + expm1(x₀) would lose every digit far below 0.
    x0 = x._c[0]
    return _riccati("expm1", x, EXPM1(x0), EXP(x0), 1.0, 0.0)


def _tanh(x: Series) -> Series:
    # y′ = (1 − y²)·x′. On a float, z₀ = sech² x₀ = 4e/(1 + e)², e = e^(−2|x₀|), which keeps its digits where
    # tanh is near ±1; on a Value the row's own 1 − y₀², so that grad differentiates it as nested grad does.
    x0 = x._c[0]
    y0 = TANH(x0)
    if type(x0) is float:
        e = math.exp(-2.0 * abs(x0))
        z0 = 4.0 * e / ((1.0 + e) * (1.0 + e))
    else:
        z0 = 1.0 - y0 * y0
    return _riccati("tanh", x, y0, z0, 0.0, -1.0)


def _tan(x: Series) -> Series:
    # y′ = (1 + y²)·x′.
    y0 = TAN(x._c[0])
    return _riccati("tan", x, y0, 1.0 + y0 * y0, 0.0, 1.0)


def _sigmoid(x: Series) -> Series:
    # y′ = (y − y²)·x′, z₀ = σ(x₀)·σ(−x₀): y₀(1 − y₀) would lose its digits where σ is near 1.
    x0 = x._c[0]
    y0 = SIGMOID(x0)
    return _riccati("sigmoid", x, y0, y0 * SIGMOID(-x0), 1.0, -1.0)


def _logarithm(name: str, x: Series, y0: Any, shift: float, scale: float) -> Series:
    """y = log(x + shift)/scale: log, log1p, log2, log10.

    Why dedicated: from w·y′ = x′/scale (w = x + shift) each coefficient is one
    short sum, where the generic rule would build the series 1/w first and
    then convolve it with x′:

        w₀·yₖ = xₖ/scale − (1/k)·Σⱼ₌₁..ₖ₋₁ j·yⱼ·wₖ₋ⱼ.
    """
    xc = x._c
    w0 = xc[0] + shift if shift else xc[0]
    x1 = xc[1:]
    ys, jy = [y0], [0.0]
    for k in range(1, len(xc)):
        yk = (xc[k] / scale - sum(map(_mul, x1, jy[k - 1 : 0 : -1])) / k) / w0
        ys.append(yk)
        jy.append(k * yk)
    return _finished(name, ys)


def _log(x: Series) -> Series:
    return _logarithm("log", x, LOG(x._c[0]), 0.0, 1.0)


def _log1p(x: Series) -> Series:
    return _logarithm("log1p", x, LOG1P(x._c[0]), 1.0, 1.0)


def _log2(x: Series) -> Series:
    return _logarithm("log2", x, LOG2(x._c[0]), 0.0, _LN2)


def _log10(x: Series) -> Series:
    return _logarithm("log10", x, LOG10(x._c[0]), 0.0, _LN10)


def _sin_cos(x: Series, hyperbolic: bool) -> tuple[list[Any], list[Any]]:
    """The coefficients of sin x and cos x together (or sinh and cosh): s′ = c·x′, c′ = ∓s·x′.

    Why dedicated: each row's derivative is the other row, so the generic rule
    would recurse through both, one order lower each time (O(n³)); the two
    recurrences side by side are O(n²):

        k·sₖ = Σⱼ₌₁..ₖ j·xⱼ·cₖ₋ⱼ,        k·cₖ = ∓Σⱼ₌₁..ₖ j·xⱼ·sₖ₋ⱼ.
    """
    xc = x._c
    x0 = xc[0]
    jx = [j * xj for j, xj in enumerate(xc[1:], start=1)]
    s, c = ([SINH(x0)], [COSH(x0)]) if hyperbolic else ([SIN(x0)], [COS(x0)])
    for k in range(1, len(xc)):
        sk = sum(map(_mul, jx, c[::-1])) / k
        ck = sum(map(_mul, jx, s[::-1])) / k
        s.append(sk)
        c.append(ck if hyperbolic else -ck)
    return s, c


def _sin(x: Series) -> Series:
    return _finished("sin", _sin_cos(x, False)[0])


def _cos(x: Series) -> Series:
    return _finished("cos", _sin_cos(x, False)[1])


def _sinh(x: Series) -> Series:
    return _finished("sinh", _sin_cos(x, True)[0])


def _cosh(x: Series) -> Series:
    return _finished("cosh", _sin_cos(x, True)[1])


def _sqrt(x: Series) -> Series:
    """√x from y² = x: 2y₀·yₖ = xₖ − Σⱼ₌₁..ₖ₋₁ yⱼ·yₖ₋ⱼ.

    Why dedicated: √'s ``derivs`` (0.5/out) read ``out``, so the generic rule
    would call them once per order; here each coefficient is one short sum. At
    x₀ = 0 the value is 0 and the first coefficient is infinite: order 0 works,
    order 1 or more raises.
    """
    xc = x._c
    y0 = SQRT(xc[0])
    if len(xc) > 1 and _number(y0) == 0.0:
        raise _non_finite("sqrt", 1, "is infinite at x = 0 (√x has an infinite slope there): only order 0 is finite")
    ys, twice = [y0], 2.0 * y0
    for k in range(1, len(xc)):
        ys.append((xc[k] - sum(map(_mul, ys[1:k], ys[k - 1 : 0 : -1]))) / twice)
    return _finished("sqrt", ys)


def _power(x: Series, c: float) -> Series:
    """x ** c for a constant c, from x·y′ = c·x′·y:  k·x₀·yₖ = Σⱼ₌₁..ₖ ((c + 1)·j − k)·xⱼ·yₖ₋ⱼ.

    Why dedicated: the generic rule would recurse through c·x^(c−1), one power
    and one order lower each time. A whole power up to 4, or any whole power
    at x₀ = 0, is repeated Cauchy products instead (exact where the recurrence
    would divide by x₀ = 0). At x₀ = 0 a fractional power has coefficients 0
    below order c and an infinite one above (as nested `grad` finds); it
    raises when such an order is asked for.
    """
    c = float(c)
    xc = x._c
    x0 = xc[0]
    y0 = power_by(c)(x0)  # the row's value and errors (0 to a negative power, a negative base, overflow)
    n = len(xc) - 1
    whole = c.is_integer() and c >= 0.0
    if n == 0 or c == 0.0:
        return _made([y0] + [0.0] * n)
    at_zero = _number(x0) == 0.0
    if whole and (c <= 4.0 or at_zero):
        ys = _whole_power(xc, int(c))
        ys[0] = y0
        return _finished("pow", ys)
    if at_zero:
        if type(x0) is Series or c < n:
            first = 1 if type(x0) is Series else math.floor(c) + 1
            raise _non_finite("pow", first, f"of x ** {c!r} is infinite at x = 0 (x**(c−k) for k > c)")
        return _made([y0] + [0.0] * n)  # every order asked for is below c
    x1 = xc[1:]
    jx = [j * xj for j, xj in enumerate(x1, start=1)]
    ys = [y0]
    for k in range(1, n + 1):
        reverse = ys[::-1]
        ys.append(((c + 1.0) * sum(map(_mul, jx, reverse)) - k * sum(map(_mul, x1, reverse))) / (k * x0))
    return _finished("pow", ys)


def _whole_power(xc: list[Any], m: int) -> list[Any]:
    """The coefficients of xᵐ by repeated squaring: Cauchy products only (m ≥ 1)."""
    result: list[Any] | None = None
    square = xc
    while True:
        if m & 1:
            result = square if result is None else _cauchy(result, square)
        m >>= 1
        if not m:
            assert result is not None
            return list(result)
        square = _cauchy(square, square)


def _pow_series(a: Any, b: Any) -> Series:
    """aᵇ with a Series base or exponent: e^(b·ln a), the exponential's recurrence on u = b·ln a, y₀ = aᵇ.

    Why dedicated: the row's ``derivs`` read ``out`` (b·out/a, out·ln a), so the
    generic rule would call them once per order.
    """
    y0 = POW(a._c[0] if type(a) is Series else a, b._c[0] if type(b) is Series else b)
    u = b * LOG(a)
    return _riccati("pow", u, y0, y0, 1.0, 0.0)


def _erf_like(name: str, x: Series, y0: Any, sign: float) -> Series:
    """erf and erfc: y′ = ±(2/√π)·e^(−x²)·x′, with g = e^(−x²) from the exponential's recurrence.

    Why dedicated: the generic rule would build x², e^(−x²) and a scaled copy
    as Series before its convolution; here g comes from one recurrence and
    k·yₖ = ±(2/√π)·Σⱼ₌₁..ₖ j·xⱼ·gₖ₋ⱼ. Where e^(−x₀²) underflows (|x₀| > 27)
    every higher coefficient is exactly 0, as the row's own derivative is.
    """
    xc = x._c
    n = len(xc) - 1
    if n == 0 or abs(_number(xc[0])) > 27.0:
        return _made([y0] + [0.0] * n)
    head = x.truncated(n - 1)
    g = _exp(-(head * head))._c
    jx = [j * xj for j, xj in enumerate(xc[1:], start=1)]
    scale = sign * _TWO_OVER_SQRT_PI
    ys = [y0]
    for k in range(1, n + 1):
        ys.append(scale * sum(map(_mul, jx, g[k - 1 :: -1])) / k)
    return _finished(name, ys)


def _erf(x: Series) -> Series:
    return _erf_like("erf", x, ERF(x._c[0]), 1.0)


def _erfc(x: Series) -> Series:
    return _erf_like("erfc", x, ERFC(x._c[0]), -1.0)


def _sinc(x: Series) -> Series:
    """sinc x = sin(πx)/(πx) = ∫₀¹ cos(πxs) ds, by Gauss–Legendre quadrature of cos(πs·x) over s.

    Why dedicated: the row's slope (cos(πx) − sinc x)/x divides by x, and so
    does sin(πx)/(πx): the division recurrence multiplies each rounding error
    by 1/x₀ per order while the true coefficients shrink as πᵏ/k! (sinc has no
    pole at 0), so at x₀ = 0.27 order 10 was off by 1e-8. The quadrature is a
    weighted sum of cosine series, each coefficient bounded by the result's own
    scale, so nothing cancels; Gauss–Legendre with n/2 + ⌈π|x₀|/2⌉ + 8 nodes is
    exact to rounding for that integrand. Far from 0 (π|x₀| ≥ n + 12), where
    the errors of the division shrink faster than the coefficients, it divides.
    """
    xc = x._c
    n = len(xc) - 1
    x0 = xc[0]
    y0 = SINC(x0)
    if n == 0:
        return _made([y0])
    reach = math.pi * abs(_number(x0))
    if reach >= n + 12.0:
        ys = _quotient(_sin(math.pi * x)._c, [math.pi * c for c in xc])
    else:
        nodes, weights = _gauss_legendre(n // 2 + math.ceil(reach / 2.0) + 8)
        ys = [0.0] * (n + 1)
        for s, w in zip(nodes, weights):
            ys = list(map(operator.add, ys, [w * c for c in _cos(math.pi * s * x)._c]))
    ys[0] = y0
    return _finished("sinc", ys)


@functools.lru_cache(maxsize=32)
def _gauss_legendre(m: int) -> tuple[list[float], list[float]]:
    """The m nodes and weights of Gauss–Legendre quadrature on [0, 1]: Newton's method on the Legendre polynomial Pₘ."""
    nodes, weights = [], []
    for i in range(1, m + 1):
        z = math.cos(math.pi * (i - 0.25) / (m + 0.5))  # a first guess close to the i-th root
        for _ in range(100):
            p, slope = _legendre(m, z)
            step = p / slope
            z -= step
            if abs(step) < 1e-16:
                break
        _, slope = _legendre(m, z)
        nodes.append((1.0 - z) / 2.0)
        weights.append(1.0 / ((1.0 - z * z) * slope * slope))  # 2/((1 − z²)·Pₘ′(z)²), halved for [0, 1]
    return nodes, weights


def _legendre(m: int, z: float) -> tuple[float, float]:
    """Pₘ(z) and Pₘ′(z), by the three-term recurrence k·Pₖ = (2k − 1)·z·Pₖ₋₁ − (k − 1)·Pₖ₋₂."""
    before, p = 1.0, z
    for k in range(2, m + 1):
        before, p = p, ((2 * k - 1) * z * p - (k - 1) * before) / k
    return p, m * (z * p - before) / (z * z - 1.0)


def _gamma(x: Series) -> Series:
    """Γ(x) = Γ(x₀)·e^(ln|Γ(x)| − ln|Γ(x₀)|): the exponential's recurrence on u = lgamma(x), with y₀ = Γ(x₀).

    Why dedicated: Γ's ``derivs`` (out·ψ(x)) read ``out``, so the generic rule
    would call them once per order, each call building the series of ψ through
    the polygamma rows again (O(n⁴)); y′ = y·u′ needs that series once. The
    sign of Γ (negative between its poles below 0) is in y₀; u′ = ψ either way.
    """
    y0 = GAMMA(x._c[0])
    return _riccati("gamma", LGAMMA(x), y0, y0, 1.0, 0.0)


def _logsumexp(*args: Any) -> Series:
    """log Σ eˣⁱ = x* + log1p(Σᵢ≠* e^(xᵢ − x*)), x* the input with the largest value.

    Why dedicated: the generic rule reads the slopes as softmax weights, and
    where one weight is near 1 the higher coefficients (of the size of the
    other weights) come out of a cancellation of terms near 1, losing digits
    in proportion; with the largest input taken out exactly, log1p's
    recurrence adds only terms of their own size.
    """
    y0 = LOGSUMEXP(*[a._c[0] if type(a) is Series else a for a in args])
    top = max(range(len(args)), key=lambda i: _number(args[i]))
    rest: Any = 0.0
    for i, a in enumerate(args):
        if i != top:
            rest = rest + EXP(a - args[top])
    y = args[top] + LOG1P(rest) if len(args) > 1 else +args[top]
    return _finished("logsumexp", [y0, *y._c[1:]])


#: The rows with a rule of their own; every other row takes the generic rule (and ``power_by(c)`` `_power`).
_RULES: dict[Primitive, Rule] = {
    # The arithmetic rows, as the operators (the rows are reached by calling them: al.sum_, flipped rows).
    ADD: operator.add, SUB: operator.sub, MUL: operator.mul, DIV: operator.truediv, NEG: operator.neg,
    IDENTITY: operator.pos, flipped(SUB): lambda a, b: b - a, flipped(DIV): lambda a, b: b / a,
    POW: _pow_series, flipped(POW): lambda a, b: _pow_series(b, a),
    EXP: _exp, EXP2: _exp2, EXPM1: _expm1, TANH: _tanh, TAN: _tan, SIGMOID: _sigmoid,
    LOG: _log, LOG1P: _log1p, LOG2: _log2, LOG10: _log10,
    SIN: _sin, COS: _cos, SINH: _sinh, COSH: _cosh,
    SQRT: _sqrt, ERF: _erf, ERFC: _erfc, SINC: _sinc, LOGSUMEXP: _logsumexp, GAMMA: _gamma,
}  # fmt: skip


# ---------------------------------------------------------------------------
# The public functions
# ---------------------------------------------------------------------------


def _order(order: object, where: str) -> int:
    if not isinstance(order, int) or isinstance(order, bool) or order < 0:
        raise ValueError(f"{where}: the order must be an int >= 0, got {type(order).__name__} {order!r}")
    return order


def _coefficients(out: Any, order: int, where: str) -> list[Any]:
    """The coefficients c₀…c_order of f's result: a Series, or a number or Value (a constant: 0 above order 0)."""
    if type(out) is Series:
        if len(out._c) <= order:
            raise ValueError(f"{where}: the function returned a series of order {out.order}, not {order}")
        return out._c[: order + 1]
    if isinstance(out, Value):
        return [out] + [0.0] * order
    if isinstance(out, numbers.Real) and not isinstance(out, bool):
        return [real(out, f"{where}: the result")] + [0.0] * order
    raise TypeError(
        f"{where}: the function must return a number, a Value or a Series, got {type(out).__name__} {out!r}"
    )


def _derivative_of(c: Any, k: int) -> Any:
    """The derivative k!·cₖ of the result, from its coefficient cₖ; an error if it passes a float."""
    d = _times_factorial(c, k)
    if d != d or d == _INF or d == -_INF:
        raise _non_finite("the result", k, f"times {k}! is {d!r}, too large for a float")
    return d


def taylor(f: Callable[[Any], Any], x: Any, order: int) -> list[Any]:
    """The Taylor coefficients [f(x), f′(x), f″(x)/2!, …, f⁽ⁿ⁾(x)/n!] of a function of one number, n = `order`.

    One evaluation of f on the series x + t: each row on the way applies its
    rule, O(n²) for the common ones. The coefficients are floats, or Values
    when x is a Value (or f closes over one), so `grad` can differentiate them.

    >>> taylor(lambda x: 1.0 / (1.0 - x), 0.5, 3)       # 1/(1 − x) = 2 + 4t + 8t² + 16t³ + …
    [2.0, 4.0, 8.0, 16.0]
    >>> from autograd_lite import grad, sin
    >>> grad(lambda x: taylor(sin, x, 2)[2])(0.0)        # d/dx (−sin x / 2) = −cos x / 2
    -0.5
    """
    order = _order(order, "taylor")
    token = _where.set("taylor")
    try:
        return list(_coefficients(f(Series.variable(x, order)), order, "taylor"))
    finally:
        _where.reset(token)


def derivative(f: Callable[[Any], Any], n: int = 1) -> Callable[[Any], Any]:
    """The function x ↦ f⁽ⁿ⁾(x), computed in Taylor mode: n!·cₙ from one pass, however large n is.

    >>> import autograd_lite as al
    >>> round(al.derivative(al.exp, 20)(0.0), 12), al.derivative(lambda x: x ** 5, 5)(2.0)
    (1.0, 120.0)
    """
    n = _order(n, "derivative")

    def nth_derivative(x: Any) -> Any:
        token = _where.set("derivative")
        try:
            return _derivative_of(_coefficients(f(Series.variable(x, n)), n, "derivative")[n], n)
        finally:
            _where.reset(token)

    nth_derivative.__doc__ = f"The derivative of order {n} of {getattr(f, '__name__', 'f')}, in Taylor mode."
    return nth_derivative


def jet(
    fun: Callable[..., Any], primals: Sequence[Any], series: Sequence[Sequence[Any]], factorial_scaled: bool = True
) -> tuple[Any, Any]:
    """Taylor mode with JAX's signature: ``(fun(*primals), [the derivatives along the series])``.

    As ``jax.experimental.jet.jet``: `primals` has one entry per positional
    argument of `fun`; `series` one list per argument, all of the same length
    K, whose term j is the derivative of order j + 1 of that argument along a
    path (∂ʲ⁺¹x[v, …, v]); the result is ``(fun(*primals), [f₁, …, f_K])`` with
    fₖ the k-th derivative of fun along the same path (Faà di Bruno's formula).
    With ``factorial_scaled=False`` both sides are Taylor coefficients instead
    (term k divided by k!). An argument may be a container of numbers, its
    terms containers of the same shape; an output that is a container gives
    its primal and a list of terms per number, in the same shape.

    >>> import math, autograd_lite as al
    >>> f0, (f1, f2) = jet(al.sin, (0.5 ** 3,), ([3 * 0.5 ** 2, 6 * 0.5],))    # sin(z³) at z = 0.5
    >>> f1 == math.cos(0.125) * 0.75, f2 == -math.sin(0.125) * 0.75 ** 2 + math.cos(0.125) * 3.0
    (True, True)
    """
    token = _where.set("jet")
    try:
        arguments, order = _jet_arguments(primals, series, factorial_scaled)
        leaves, shape = _output_leaves(fun(*arguments), "jet: the result")
        values, terms = [], []
        for leaf in leaves:
            c = _coefficients(leaf, order, "jet")
            values.append(c[0])
            terms.append([_derivative_of(ck, k) if factorial_scaled else ck for k, ck in enumerate(c) if k])
        return tree_unflatten(shape, values), tree_unflatten(shape, terms)
    finally:
        _where.reset(token)


def _jet_arguments(
    primals: Sequence[Any], series: Sequence[Sequence[Any]], factorial_scaled: bool
) -> tuple[list[Any], int]:
    """`jet`'s arguments as Series (containers of them for containers), and the order K."""
    for what, given in (("primals", primals), ("series", series)):
        if not isinstance(given, (tuple, list)):
            raise TypeError(f"jet: {what} must be a tuple or list with one entry per argument, got {given!r}")
    if len(primals) != len(series):
        raise ValueError(f"jet: got {len(primals)} primals but {len(series)} series")
    for i, terms in enumerate(series):
        if not isinstance(terms, (tuple, list)):
            raise TypeError(f"jet: series {i} must be a list of terms, got {type(terms).__name__} {terms!r}")
    orders = {len(terms) for terms in series}
    if len(orders) > 1:
        raise ValueError(f"jet: the series have different lengths {sorted(orders)}; every argument needs K terms")
    order = orders.pop() if orders else 0
    arguments = []
    for i, (primal, terms) in enumerate(zip(primals, series)):
        leaves, shape = tree_flatten(primal, f"jet: primal {i}")
        columns = [[_lifted(x, f"jet: primal {i}") for x in leaves]]
        for j, term in enumerate(terms):
            term_leaves, term_shape = tree_flatten(term, f"jet: series {i} term {j}")
            if term_shape != shape:
                raise ValueError(f"jet: series {i} term {j} has the shape {term_shape!r}, its primal {shape!r}")
            column = [_lifted(t, f"jet: series {i} term {j}") for t in term_leaves]
            columns.append([_over_factorial(t, j + 1) for t in column] if factorial_scaled else column)
        arguments.append(tree_unflatten(shape, [_made(list(c)) for c in zip(*columns)]))
    return arguments, order


def _lifted(x: Any, where: str) -> Any:
    return x if isinstance(x, Value) else real(x, where)


def _output_leaves(out: Any, where: str) -> tuple[list[Any], Structure]:
    """The numbers, Values and Series of a result, in leaf order, and its container (lists, tuples, dicts)."""
    if type(out) is Series or isinstance(out, (Value, numbers.Real)):
        return [out], Structure("leaf")
    if isinstance(out, (list, tuple, dict)):
        keys = list(out) if isinstance(out, dict) else range(len(out))
        leaves: list[Any] = []
        children = []
        for key in keys:
            inner, structure = _output_leaves(out[key], f"{where}[{key!r}]")
            leaves += inner
            children.append(structure)
        kind = "dict" if isinstance(out, dict) else "tuple" if isinstance(out, tuple) else "list"
        return leaves, Structure(kind, tuple(children), tuple(keys) if kind == "dict" else ())
    raise TypeError(f"{where} must be a Series, a number, or a list, tuple or dict of them, got {type(out).__name__}")


def derivatives(f: Callable[..., Any], x: Sequence[Any], order: int) -> dict[tuple[int, ...], Any]:
    """Every partial derivative of f(*x) of total order ≤ `order`, keyed by multi-index: (1, 2) is ∂³f/∂x₀∂x₁².

    One evaluation of f on nested series, a series in x₀ whose coefficients are
    series in x₁, and so on: the coefficient at (α₀, α₁, …) is
    ∂^|α|f/∂x^α / (α₀!·α₁!·…), exact to rounding, no interpolation. The work
    grows as (order + 1)^(2·len(x)) per operation: meant for a few numbers.

    >>> d = derivatives(lambda x, y: x ** 3 * y, [2.0, 5.0], 3)
    >>> d[(0, 0)], d[(1, 0)], d[(2, 1)], d[(3, 0)], d[(0, 2)]    # x³y, 3x²y, 6x, 6y, 0
    (40.0, 60.0, 12.0, 30.0, 0.0)
    """
    order = _order(order, "derivatives")
    if isinstance(x, (Value, numbers.Real)):
        x = [x]
    points = [_lifted(xi, f"derivatives: x[{i}]") for i, xi in enumerate(x)]
    if not points:
        raise ValueError("derivatives: x is empty, so there is nothing to differentiate")
    token = _where.set("derivatives")
    try:
        out = f(*[_nested_variable(xi, i, order) for i, xi in enumerate(points)])
        if type(out) is not Series:
            out = _coefficients(out, 0, "derivatives")[0]
        found: dict[tuple[int, ...], Any] = {}
        for index in _multi_indices(len(points), order):
            c = _nested_coefficient(out, index)
            for k in index:
                c = _times_factorial(c, k)
            found[index] = c
        return found
    finally:
        _where.reset(token)


def _nested_variable(x: Any, i: int, order: int) -> Series:
    """Variable i as a nested series: x + t at depth i, constant in the series around it."""
    s = Series.variable(x, order)
    for _ in range(i):
        s = _made([s] + [0.0] * order)
    return s


def _nested_coefficient(s: Any, index: tuple[int, ...]) -> Any:
    """The coefficient at `index` of nested series (a number inside means 0 at every higher order)."""
    for k in index:
        if type(s) is Series:
            s = s._c[k]
        elif k:
            return 0.0
    return s


def _multi_indices(n: int, order: int) -> list[tuple[int, ...]]:
    """Every (α₀, …, αₙ₋₁) of total order ≤ `order`, by total order, then the first index highest first."""

    def tails(m: int, budget: int) -> list[tuple[int, ...]]:
        if m == 0:
            return [()]
        return [(a, *rest) for a in range(budget, -1, -1) for rest in tails(m - 1, budget - a)]

    everything = tails(n, order)
    return sorted(everything, key=lambda index: (sum(index), [-a for a in index]))

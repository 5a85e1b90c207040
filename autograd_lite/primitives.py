"""The table of primitives: every operation's value and local derivatives, one row each.

A row is a `Primitive`: a name, how many inputs, a value function on floats
(with its domain checks), and ``derivs``, its local derivatives, written with
operators and the functions of this module, so that they work on floats (the
fast first-order path) and on Values (derivatives of derivatives, to any
order). The math stands in a comment beside each row. Everything else reads
this table: the `Value` operators and methods, `backward()`, higher-order
derivatives, forward mode, replay and the pictures.

A row can be called. On plain numbers it gives a checked float, like `math`;
if any argument is a Value, it records a node:

>>> SIN(0.0), SIN.derivs(0.0, 0.0)
(0.0, (1.0,))

The module-level functions (`exp`, `erf`, `maximum`, `logsumexp`, …) are those
calls with a name and a docstring; each is one line. The file reads top to
bottom: the `Primitive` class, the value functions with their domain checks,
then the rows family by family (arithmetic, powers and logs, trigonometric,
hyperbolic, special, piecewise, activations, n-ary), then the functions.
"""

from __future__ import annotations

import functools
import math
import numbers
import operator

from .checks import finite, non_finite_result, real, shown

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:  # names for annotations only: importing `typing` at run time costs start-up time
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    V = TypeVar("V")


__all__ = [
    "COMMUTATIVE",
    "PRIMITIVES",
    "Domain",
    "Primitive",
    "elu_by",
    "flipped",
    "gelu_row",
    "leaky_relu_by",
    "polygamma_of",
    "power_by",
    "primitive",
    "user_row",
]


# ---------------------------------------------------------------------------
# The row
# ---------------------------------------------------------------------------


class Primitive:
    """One row of the table: an operation's value and its local derivatives.

    ``value(*xs)`` takes floats and returns the result as a float, raising a
    clear error (naming the operation and the value) outside its domain.
    ``derivs(*xs, out)`` returns one local derivative ∂out/∂xᵢ per input. Where
    a derivative is infinite (``derivs`` raises an ArithmeticError, as √x does
    at 0), the node stores ``inf``, and `backward` raises only if a non-zero
    gradient flows into it.

    >>> MUL.value(3.0, 4.0), MUL.derivs(3.0, 4.0, 12.0)
    (12.0, (4.0, 3.0))
    """

    __slots__ = ("arity", "code", "derivs", "domain", "flips", "made_by", "name", "smooth", "symbol", "value")

    def __init__(
        self,
        name: str,
        arity: int,
        value: Callable[..., float],
        derivs: Callable[..., tuple[Any, ...]],
        symbol: str = "",
        code: tuple[str | None, tuple[str, ...] | None] | None = None,
        domain: tuple[Domain, ...] = (),
        smooth: bool = True,
    ) -> None:
        self.name = name
        self.arity = arity  # how many inputs; -1 for any number of inputs
        self.value = value
        self.derivs = derivs
        self.symbol = symbol  # how pictures of the graph show it, when not by name
        self.flips: Primitive | None = None  # for a row made by `flipped`: the row whose inputs it swaps
        # The value and/or derivatives as Python source, for a row whose functions compiled code cannot
        # read (they compare): format strings of the inputs {0}, {1}, … and {out}; None where the function
        # can be read. A check the source leaves out must be one where Python itself raises (then the
        # compiled tape recomputes the pass through `value` and raises its error). Tested equal.
        self.code = code
        # Where the row's inputs are drawn in tests, one `Domain` per input (for an n-ary row: as many
        # as the tests draw). The tests read it; a row without one is told so by the tests.
        self.domain = domain
        # False for a row whose value jumps or has kinks (floor, relu): its slope is tested away from them.
        self.smooth = smooth
        self.made_by: tuple[Any, ...] = (_row_named, name)  # how a pickle finds this row again

    def __reduce__(self) -> tuple[Any, ...]:
        # A row is code: a pickle names it (the table's name, the family and its constant, or
        # the module and name of a user-defined one) and finds the same row when loaded.
        return self.made_by[0], self.made_by[1:]

    def __copy__(self) -> Primitive:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Primitive:
        return self

    def __repr__(self) -> str:
        return f"Primitive({self.name!r}, arity={self.arity})"

    @property
    def label(self) -> str:
        """A short name for pictures of the graph: the symbol, else the name."""
        return self.symbol or self.name

    def label_with(self, constants: Sequence[float]) -> str:
        """The label of a node of this row that holds plain numbers: ``* 0.5``, ``2.0 -``, ``atan2(·, 1.0)``."""
        if not constants:
            return self.label
        numbers = shown(constants)
        if self.symbol:
            return f"{numbers} {self.symbol}" if self.flips is not None else f"{self.symbol} {numbers}"
        if self.flips is not None:
            return f"{self.name}({numbers}, ·)"
        return f"{self.name}(·, {numbers})" if self.arity == 2 else f"{self.name}(…, {numbers})"

    def __call__(self, *args: Any) -> Any:
        """The row applied: to plain numbers, a checked float; if any argument is a Value, a recorded node."""
        for a in args:
            if type(a) is not float and not isinstance(a, numbers.Real):
                record = getattr(type(a), "_record_row", None)  # a Value records the row
                if record is None:
                    raise TypeError(f"{self.name}: expected a Value or a real number, got {type(a).__name__} {a!r}")
                return record(self, args)
        out = self.value(*[finite(a, self.name) for a in args])
        if out - out:  # nan or ±inf: for a finite out, out − out is 0.0
            raise non_finite_result(self, args, out)
        return out


class Domain:
    """Where a row is tested: intervals to draw its input from, and a guard that maps any number into them.

    The intervals lie inside the row's domain and away from its kinks and
    jumps; property tests draw inputs from them. ``guard(x)`` is written with
    operators and rows, so it works on Values too: random expressions apply it
    to an earlier result before the row, to stay in the domain. A guard of
    None keeps the row out of random expressions (a drawn point may land on a
    jump).
    """

    __slots__ = ("guard", "intervals")

    def __init__(self, intervals: tuple[tuple[float, float], ...], guard: Callable[[Any], Any] | None) -> None:
        self.intervals, self.guard = intervals, guard

    def __repr__(self) -> str:
        return f"Domain({self.intervals!r})"


def _row_named(name: str) -> Primitive:
    """The fixed row called `name` (how a pickle refers to it)."""
    return PRIMITIVES[name]


# ---------------------------------------------------------------------------
# Value functions with domain checks
#
# Each takes and returns plain floats. Where an operation has no real answer it
# raises the builtin exception that fits, naming the operation and the value,
# instead of returning nan or inf. (An overflow to ±inf is caught for every row
# where the row is applied.)
# ---------------------------------------------------------------------------


def _domain(name: str, ok: bool, x: float, needs: str) -> None:
    if not ok:
        raise ValueError(f"{name}: needs {needs}, got x={x!r}")


def _math(name: str, f: Callable[..., float], needs: str = "") -> Callable[..., float]:
    """`f` from the math module, with its OverflowError and ValueError naming the operation (and its domain)."""

    def value(*xs: float) -> float:
        try:
            return f(*xs)
        except OverflowError:
            raise OverflowError(f"{name}: the result is too large for a float at ({shown(xs)})") from None
        except ValueError:
            raise ValueError(f"{name}: needs {needs or 'a point of its domain'}, got ({shown(xs)})") from None

    return value


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


def _log(name: str, f: Callable[[float], float]) -> Callable[[float], float]:
    def value(x: float) -> float:
        _domain(name, x > 0.0, x, "x > 0")
        return f(x)

    return value


def _log1p(x: float) -> float:
    _domain("log1p", x > -1.0, x, "x > -1")
    return math.log1p(x)


def _sqrt(x: float) -> float:
    _domain("sqrt", x >= 0.0, x, "x >= 0")
    return math.sqrt(x)


def _sigmoid(x: float) -> float:
    # Two forms, so that exp() only ever sees a non-positive argument: stable for any x.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    # log(1 + eˣ) = max(x, 0) + log(1 + e^-|x|): no overflow for large |x|.
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _cbrt(x: float) -> float:
    # The real cube root for any sign; one Newton step polishes the power's rounding.
    if x == 0.0:
        return 0.0
    y = math.copysign(abs(x) ** (1.0 / 3.0), x)
    return y - (y * y * y - x) / (3.0 * y * y)


def _logaddexp(a: float, b: float) -> float:
    # log(eᵃ + eᵇ) = max + log1p(e^-|a − b|): no overflow.
    return max(a, b) + math.log1p(math.exp(-abs(a - b)))


# Bernoulli numbers B₂, B₄, …, B₂₀, for the asymptotic series of the polygamma functions.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330)


def _polygamma(n: int, x: float) -> float:
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function ψ = (ln Γ)′.

    Method: the recurrence ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) − (−1)ⁿ n! / xⁿ⁺¹ moves x up to
    at least 20, where the asymptotic series with ten Bernoulli terms is below
    1e-16 relative; for n = 0 and x < 0, the reflection ψ(x) = ψ(1 − x) −
    π / tan(πx) first. Accuracy: about 1e-14 relative (absolute near ψ's zero
    at 1.4616…), checked against published values and against `math.lgamma`.
    """
    name = {0: "digamma", 1: "trigamma"}.get(n, f"polygamma({n})")
    if x <= 0.0 and x == math.floor(x):
        raise ValueError(f"{name}: undefined at the pole x={x!r} (0 and the negative integers)")
    if n == 0 and x < 0.0:
        return _polygamma(0, 1.0 - x) - math.pi / math.tan(math.pi * x)
    if x < -1e6:
        raise ValueError(f"{name}: x={x!r} is too far below 0 for the recurrence")
    try:
        return _polygamma_series(n, x)
    except (ZeroDivisionError, OverflowError):  # x so close to a pole that a term is too large for a float
        raise OverflowError(f"{name}: the result is too large for a float at x={x!r}") from None


def _polygamma_series(n: int, x: float) -> float:
    sign = -1.0 if n % 2 == 0 else 1.0  # (−1)ⁿ⁺¹
    factorial = math.factorial(n)
    total = 0.0
    while x < 20.0:
        total -= (-sign) * factorial / x ** (n + 1)
        x += 1.0
    if n == 0:
        series = math.log(x) - 0.5 / x
        for k, b in enumerate(_BERNOULLI, start=1):
            series -= b / (2 * k * x ** (2 * k))
        return total + series
    series = math.factorial(n - 1) / x**n + factorial / (2.0 * x ** (n + 1))
    for k, b in enumerate(_BERNOULLI, start=1):
        series += b * math.factorial(2 * k + n - 1) / (math.factorial(2 * k) * x ** (2 * k + n))
    return total + sign * series


def _round(x: float) -> float:
    return float(round(x))  # to the nearest integer, ties to even (Python's round)


def _sign(x: float) -> float:
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0


def _fmod(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"fmod: division by zero ({a!r}, {b!r})")
    return math.fmod(a, b)


def _mod(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"mod: division by zero ({a!r} % {b!r})")
    return a % b


def _floordiv(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"floordiv: division by zero ({a!r} // {b!r})")
    return a // b


def _gelu_tanh(x: float) -> float:
    # 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); far out it is x or 0 (and x³ would overflow).
    if abs(x) > 1e10:
        return x if x > 0.0 else 0.0
    return 0.5 * x * (1.0 + math.tanh(_GELU_C * (x + 0.044715 * x * x * x)))


def _logsumexp(*xs: float) -> float:
    # Shifted by the largest input, so exp never overflows: log Σ eˣⁱ = m + log Σ e^(xᵢ − m).
    m = max(xs)
    return m + math.log(math.fsum(math.exp(x - m) for x in xs))


def _sum(*xs: float) -> float:
    # x₁ + x₂ + …, added left to right. (Not the builtin sum, which from Python 3.12 adds floats with
    # compensation: a compiled tape writes the sum out as a chain of +, and must get the same float.)
    return functools.reduce(operator.add, xs)


def _dot(*ws_then_xs: float) -> float:
    # dot(w₁..wₙ, x₁..xₙ): the inputs are all the ws, then all the xs; w₁x₁ + w₂x₂ + …, left to right.
    n = len(ws_then_xs) // 2
    return functools.reduce(operator.add, map(operator.mul, ws_then_xs[:n], ws_then_xs[n:]))  # type: ignore[no-any-return]


# Helpers for derivatives. A derivative that takes a branch on its input (relu's is 1 or 0) compares the
# input itself when it is a Value (never a Value computed from it, which is not in the graph): the
# comparison is then remembered as a guard on a node of the graph, and a replay of a graph of derivatives
# (a hessian through compile or jit) checks that the branch still holds. Other inputs (a float, a Taylor
# series) are compared by their number.


def _number(x: Any) -> float:
    return x if type(x) is float else float(x.data) if hasattr(x, "data") else float(x)


def _compared(x: Any) -> Any:
    """What a derivative's branch compares: a Value itself (remembered as a guard), anything else its number."""
    return x if type(x) is float or getattr(x, "_compares_as_guard", False) else _number(x)


def _step(x: Any) -> float:
    # relu'(x): 1 for x > 0, else 0 (the convention at the kink x = 0 is 0).
    return 1.0 if _compared(x) > 0.0 else 0.0


def _slope_sign(x: Any) -> float:
    # abs'(x): the sign of x (the convention at the kink x = 0 is 0).
    x = _compared(x)
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0


def _sign_bit(b: Any) -> float:
    # copysign(1, b): −1 for b < 0 or b = −0.0, else 1 (a Value remembers which).
    x = _compared(b)
    return math.copysign(1.0, x) if type(x) is float else x._sign_bit()


def _wins(a: Any, b: Any) -> float:
    # d/da max(a, b): 1 where a is larger, 0 where smaller, ½ at a tie (as PyTorch, JAX and HIPS autograd).
    x, y = _compared(a), _compared(b)
    return 1.0 if x > y else 0.0 if x < y else 0.5


def _gauss(x: Any, scale: float) -> Any:
    # e^(−scale·x²); exactly 0.0 where that underflows, so that no inf appears on the way (x² would overflow).
    far = 27.0 / math.sqrt(scale)
    if not -far <= _compared(x) <= far:  # compared as x itself, so that a Value remembers it
        return 0.0
    return EXP(-scale * x * x)


def _sigmoid_of_difference(a: Any, b: Any) -> Any:
    # σ(a − b), where a − b may overflow a float: then it is exactly 1 or 0.
    difference = _number(a) - _number(b)
    if difference - difference:
        return 1.0 if difference > 0.0 else 0.0
    return SIGMOID(a - b)


def _atan2_derivs(y: Any, x: Any) -> tuple[Any, Any]:
    h = HYPOT(x, y)
    return x / h / h, -y / h / h


def _gelu_tanh_slope(x: Any) -> Any:
    # d/dx of the tanh form of gelu; far out (where x³ would overflow) it is 1 or 0.
    if not -1e10 <= _compared(x) <= 1e10:
        return 1.0 if _compared(x) > 0.0 else 0.0
    t = TANH(_GELU_C * (x + 0.044715 * x * x * x))
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * _GELU_C * (1.0 + 0.134145 * x * x)


def _softmax_weights(xs: Sequence[Any]) -> tuple[Any, ...]:
    # softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m), shifted by the largest input m, a plain number: exact to the last
    # bit where e^(xᵢ − logsumexp) is not (logsumexp([1000, 1000]) carries 1000's rounding into every weight).
    m = max(_number(x) for x in xs)
    e = [EXP(x - m) for x in xs]
    total = functools.reduce(operator.add, e)
    return tuple(ei / total for ei in e)


def _logit(p: float) -> float:
    _domain("logit", 0.0 < p < 1.0, p, "0 < p < 1")
    return math.log(p) - math.log1p(-p)  # log(p / (1 − p)), without the rounding of 1 − p in the quotient


def _sinc(x: float) -> float:
    # sin(πx)/(πx), the normalized sinc (numpy's and JAX's), 1 at 0.
    if x == 0.0:
        return 1.0
    return math.sin(math.pi * x) / (math.pi * x)


# sinc′(x) = Σₖ₌₁ (−1)ᵏ·2k·π²ᵏ·x²ᵏ⁻¹/(2k+1)!, its series about 0: the coefficients of x, x³, x⁵, …, to x²³.
_SINC_SLOPE = tuple((-1) ** k * 2 * k * math.pi ** (2 * k) / math.factorial(2 * k + 1) for k in range(1, 13))


def _sinc_slope(x: Any, out: Any) -> Any:
    # sinc′(x) = (cos(πx) − sinc(x))/x; near 0, where that is 0/0, its series (a polynomial: exact to any order).
    if -0.25 < _compared(x) < 0.25:
        x2 = x * x
        total = _SINC_SLOPE[-1]
        for c in reversed(_SINC_SLOPE[:-1]):
            total = total * x2 + c
        return total * x
    return (COS(math.pi * x) - out) / x


def _erfinv(y: float) -> float:
    """erf⁻¹(y) for −1 < y < 1: a rational first guess refined by three steps of Halley's method.

    Method: Giles's single-precision fit in w = −ln((1 − y)(1 + y)) starts within about 1e-7
    relative; each Halley step x ← x − f/(f′ + x·f) (f = erf x − y, f′ = (2/√π)e^(−x²)) triples the
    correct digits, until a step changes nothing. Accuracy: about 3e-15 relative across (−1, 1), checked
    against scipy.special.erfinv.
    """
    _domain("erfinv", -1.0 < y < 1.0, y, "-1 < y < 1")
    if y == 0.0:
        return 0.0
    w = -math.log((1.0 - y) * (1.0 + y))
    # A rational guess in w (Giles's single-precision fit, which is enough to start Halley's method).
    if w < 5.0:
        w -= 2.5
        p = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                  -0.00417768164, 0.246640727, 1.50140941):  # fmt: skip
            p = p * w + c
    else:
        w = math.sqrt(w) - 3.0
        p = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                  0.00943887047, 1.00167406, 2.83297682):  # fmt: skip
            p = p * w + c
    x = p * y
    # Halley's step on f(x) = erf(x) − y; for |y| > 0.5 on erfc(|x|) − (1 − |y|) instead, which keeps its
    # digits where erf(x) is close to 1 (same step: both have f″ = −2x·f′).
    a, tail = abs(x), 1.0 - abs(y)
    for _ in range(12):  # three steps nearly everywhere; a few more within 1e-13 of ±1
        slope = _TWO_OVER_SQRT_PI * math.exp(-a * a)
        if tail < 0.5:
            f, slope = math.erfc(a) - tail, -slope
        else:
            f = math.erf(a) - abs(y)
        step = f / (slope + a * f)
        a -= step
        if abs(step) <= 1e-17 * a:
            break
    return math.copysign(a, y)


def _xlogy(x: float, y: float) -> float:
    if x == 0.0:
        return 0.0  # 0·log 0 = 0, the convention of scipy and JAX
    _domain("xlogy", y > 0.0, y, "y > 0 where x != 0")
    return x * math.log(y)


def _xlogy_derivs(x: Any, y: Any, out: Any) -> tuple[Any, Any]:
    # d/dx x·log y = log y (infinite at y = 0: stored, an error only if a gradient flows in); d/dy = x/y
    if _number(y) == 0.0:
        raise ZeroDivisionError("xlogy: log 0")
    return LOG(y), x / y


def _xlog1py(x: float, y: float) -> float:
    if x == 0.0:
        return 0.0  # 0·log1p(−1) = 0, as xlogy's convention
    _domain("xlog1py", y > -1.0, y, "y > -1 where x != 0")
    return x * math.log1p(y)


def _xlog1py_derivs(x: Any, y: Any, out: Any) -> tuple[Any, Any]:
    # d/dx x·log(1 + y) = log(1 + y) (infinite at y = −1); d/dy = x/(1 + y)
    if _number(y) == -1.0:
        raise ZeroDivisionError("xlog1py: log 0")
    return LOG1P(y), x / (1.0 + y)


def _dot_derivs(*ws_xs_out: Any) -> tuple[Any, ...]:
    # ∂/∂wᵢ = xᵢ and ∂/∂xᵢ = wᵢ: the inputs with the two halves swapped.
    n = (len(ws_xs_out) - 1) // 2
    return (*ws_xs_out[n : 2 * n], *ws_xs_out[:n])


_LN2, _LN10 = math.log(2.0), math.log(10.0)
_NOT_A_POLE = "x other than 0 and the negative integers"
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0
_DEGREE = math.pi / 180.0
_INV_SQRT_2, _INV_SQRT_2PI = 1.0 / math.sqrt(2.0), 1.0 / math.sqrt(2.0 * math.pi)
_GELU_C = math.sqrt(2.0 / math.pi)


def _family(row: Primitive, factory: Callable[..., Primitive], *constants: Any) -> Primitive:
    row.made_by = (factory, *constants)  # a pickle remakes it with the same constant
    return row


@functools.lru_cache(maxsize=64)
def polygamma_of(n: int) -> Primitive:
    """The row for ψ⁽ⁿ⁾(x), the n-th derivative of digamma; its derivative is the row for n + 1.

    >>> polygamma_of(1) is TRIGAMMA, round(polygamma_of(2).value(1.0), 12)     # ψ″(1) = −2ζ(3)
    (True, -2.404113806319)
    """
    if type(n) is not int or n < 0:
        raise ValueError(f"polygamma_of: the order must be an int >= 0, got {type(n).__name__} {n!r}")
    if n == 0:
        return DIGAMMA
    if n == 1:
        return TRIGAMMA
    # d/dx ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x)
    row = Primitive(f"polygamma{n}", 1, functools.partial(_polygamma, n), lambda x, out: (polygamma_of(n + 1)(x),))
    return _family(row, polygamma_of, n)


# ---------------------------------------------------------------------------
# Test domains, shared by the rows below
# ---------------------------------------------------------------------------

REAL = Domain(((-3.0, 3.0),), lambda x: x)
#: (−2, 2): random expressions squash a number into it first, so that exp, sinh and powers stay small.
SMALL = Domain(((-2.0, 2.0),), lambda x: TANH(x) * 2.0)
POSITIVE = Domain(((0.05, 5.0),), lambda x: x * x + 0.5)
NONZERO = Domain(((0.05, 3.0), (-3.0, -0.05)), lambda x: x * x + 0.5)
#: Around a kink at 0 (relu, abs): both sides are drawn; random expressions shift the kink off round numbers.
KINKED = Domain(((0.05, 3.0), (-3.0, -0.05)), lambda x: x + 0.318309886)
UNIT = Domain(((-0.9, 0.9),), lambda x: TANH(x) * 0.9)
GAMMA_LIKE = Domain(((0.1, 5.0),), lambda x: x * x + 0.5)
#: Away from the jumps of floor, ceil, trunc and round: not near an integer, nor near a half.
BETWEEN_JUMPS = Domain(tuple((lo, lo + 0.3) for lo in (0.1, 0.6, -0.9, -0.4, 1.1, -1.4)), None)
#: For a % b, fmod and //: a/b stays strictly between −1 and 1 and away from 0, so no jump is near.
DIVIDEND = Domain(((0.1, 1.9), (-1.9, -0.1)), None)
DIVISOR = Domain(((2.0, 2.5), (-2.5, -2.0)), None)
SIGNED = Domain(((0.05, 3.0), (-3.0, -0.05)), None)
#: maximum and minimum: a is below b (a < −0.05 ≤ 0 ≤ b) or above it (a ≥ 0.5 > 0.45 ≥ b), never tied.
APART = Domain(((-3.0, -0.05), (0.5, 3.0)), None), Domain(((0.0, 0.45),), None)


# ---------------------------------------------------------------------------
# The table
#
# Each row: name, arity, value, local derivatives, with the math in a comment.
# Inside `derivs`, `out` is the primitive's own result, reused where it saves work.
# ---------------------------------------------------------------------------

# -- arithmetic ---------------------------------------------------------------
# d/dx x = 1          (a fresh name for x: `grad` differentiates with respect to one use of x)
IDENTITY = Primitive("identity", 1, operator.pos, lambda x, out: (1.0,), domain=(REAL,))
# d/dx stop_gradient(x) = 0        (the number passes, its derivative does not: `Value.detach()`)
STOP_GRADIENT = Primitive("stop_gradient", 1, operator.pos, lambda x, out: (0.0,), domain=(REAL,))
# d/da (a + b) = 1                 d/db (a + b) = 1
ADD = Primitive("add", 2, operator.add, lambda a, b, out: (1.0, 1.0), "+", domain=(REAL, REAL))
# d/da (a − b) = 1                 d/db (a − b) = −1
SUB = Primitive("sub", 2, operator.sub, lambda a, b, out: (1.0, -1.0), "-", domain=(REAL, REAL))
# d/da (a·b) = b                   d/db (a·b) = a
MUL = Primitive("mul", 2, operator.mul, lambda a, b, out: (b, a), "*", domain=(REAL, REAL))
# d/da (a/b) = 1/b                 d/db (a/b) = −a/b² = −out/b
DIV = Primitive("div", 2, _divide, lambda a, b, out: (1.0 / b, -out / b), "/", code=("{0} / {1}", None),
                domain=(REAL, NONZERO))
# d/dx (−x) = −1
NEG = Primitive("neg", 1, operator.neg, lambda x, out: (-1.0,), "-", domain=(REAL,))
# d/dx |x| = sign(x)               (0 at x = 0)
ABS = Primitive("abs", 1, abs, lambda x, out: (_slope_sign(x),), domain=(KINKED,), smooth=False)

# -- powers and logarithms -----------------------------------------------------
# d/da aᵇ = b·aᵇ⁻¹ = b·out/a       d/db aᵇ = aᵇ·ln a = out·ln a        (needs a > 0)
POW = Primitive("pow", 2, _power, lambda a, b, out: (b * out / a, out * LOG(a)), "**",
                domain=(Domain(((0.05, 5.0),), lambda x: TANH(x) * TANH(x) * 4.0 + 0.5), SMALL))
# d/dx eˣ = eˣ = out
EXP: Primitive = Primitive("exp", 1, _exp, lambda x, out: (out,), domain=(SMALL,))
# d/dx 2ˣ = 2ˣ·ln 2
EXP2 = Primitive("exp2", 1, _math("exp2", lambda x: 2.0**x), lambda x, out: (out * _LN2,), domain=(SMALL,))
# d/dx (eˣ − 1) = eˣ = out + 1     (accurate for tiny x, where eˣ − 1 loses every digit)
EXPM1 = Primitive("expm1", 1, _math("expm1", math.expm1), lambda x, out: (out + 1.0,), domain=(SMALL,))
# d/dx ln x = 1/x
LOG: Primitive = Primitive("log", 1, _log("log", math.log), lambda x, out: (1.0 / x,), domain=(POSITIVE,))
# d/dx log₂ x = 1/(x·ln 2)
LOG2 = Primitive("log2", 1, _log("log2", math.log2), lambda x, out: (1.0 / (x * _LN2),), domain=(POSITIVE,))
# d/dx log₁₀ x = 1/(x·ln 10)      (written 1/x/ln 10: x·ln 10 overflows for x above 7.8e307)
LOG10 = Primitive("log10", 1, _log("log10", math.log10), lambda x, out: (1.0 / x / _LN10,), domain=(POSITIVE,))
# d/dx ln(1 + x) = 1/(1 + x)       (accurate for tiny x)
LOG1P = Primitive("log1p", 1, _log1p, lambda x, out: (1.0 / (1.0 + x),),
                  domain=(Domain(((-0.9, 3.0),), lambda x: x * x + 0.5),))
# d/dx √x = 1/(2√x) = 0.5/out      (infinite at x = 0: an error only if a gradient flows in)
SQRT: Primitive = Primitive("sqrt", 1, _sqrt, lambda x, out: (0.5 / out,), domain=(POSITIVE,))
# d/dx ∛x = 1/(3·∛x²) = 1/(3·out²) (any sign of x; infinite at 0)
CBRT = Primitive("cbrt", 1, _cbrt, lambda x, out: (1.0 / (3.0 * out * out),), domain=(NONZERO,))
# d/da log(eᵃ + eᵇ) = σ(a − b)     d/db = σ(b − a)
LOGADDEXP = Primitive(
    "logaddexp", 2, _logaddexp, lambda a, b, out: (_sigmoid_of_difference(a, b), _sigmoid_of_difference(b, a))
, domain=(REAL, REAL))

# -- trigonometric (radians) ---------------------------------------------------
# d/dx (x·π/180) = π/180           d/dx (x·180/π) = 180/π
DEG2RAD = Primitive("deg2rad", 1, lambda x: x * _DEGREE, lambda x, out: (_DEGREE,), domain=(REAL,))
RAD2DEG = Primitive("rad2deg", 1, lambda x: x / _DEGREE, lambda x, out: (1.0 / _DEGREE,), domain=(REAL,))
# d/dx sinc x = (cos(πx) − sinc x)/x, 0 at x = 0     (sinc x = sin(πx)/(πx), normalized; a series near 0)
SINC = Primitive("sinc", 1, _sinc, lambda x, out: (_sinc_slope(x, out),), domain=(REAL,))
# d/dx sin x = cos x
SIN: Primitive = Primitive("sin", 1, _math("sin", math.sin), lambda x, out: (COS(x),), domain=(REAL,))
# d/dx cos x = −sin x
COS: Primitive = Primitive("cos", 1, _math("cos", math.cos), lambda x, out: (-SIN(x),), domain=(REAL,))
# d/dx tan x = 1 + tan² x = 1 + out²
TAN = Primitive("tan", 1, _math("tan", math.tan), lambda x, out: (1.0 + out * out,),
                domain=(Domain(((-1.2, 1.2),), lambda x: TANH(x) * 1.2),))
# d/dx asin x = 1/√(1 − x²)        (|x| ≤ 1; infinite at ±1)
ASIN = Primitive("asin", 1, _math("asin", math.asin, "-1 <= x <= 1"),
                 lambda x, out: (1.0 / SQRT((1.0 - x) * (1.0 + x)),), domain=(UNIT,))
# d/dx acos x = −1/√(1 − x²)       (|x| ≤ 1; infinite at ±1)
ACOS = Primitive("acos", 1, _math("acos", math.acos, "-1 <= x <= 1"),
                 lambda x, out: (-1.0 / SQRT((1.0 - x) * (1.0 + x)),), domain=(UNIT,))
# d/dx atan x = 1/(1 + x²)         (written (1/hypot(x, 1))², so that nothing overflows on the way)
ATAN = Primitive("atan", 1, math.atan, lambda x, out: ((1.0 / HYPOT(x, 1.0)) ** 2,), domain=(REAL,))
# d/dy atan2(y, x) = x/(x² + y²)   d/dx atan2(y, x) = −y/(x² + y²)
#     (written x/h/h with h = HYPOT(x, y), so that nothing overflows on the way; infinite at the origin)
#     (tested with y ≠ 0, away from the branch cut along the negative x axis; random expressions keep x > 0)
ATAN2 = Primitive("atan2", 2, math.atan2, lambda y, x, out: _atan2_derivs(y, x),
                  domain=(Domain(SIGNED.intervals, lambda y: y), Domain(REAL.intervals, lambda x: x * x + 0.5)))
# d/dx √(x² + y²) = x/out          d/dy = y/out                       (infinite at the origin)
HYPOT: Primitive = Primitive("hypot", 2, _math("hypot", math.hypot), lambda x, y, out: (x / out, y / out),
                             domain=(NONZERO, REAL))

# -- hyperbolic ----------------------------------------------------------------
# d/dx tanh x = 1 − tanh² x = 1 − out²
TANH: Primitive = Primitive("tanh", 1, math.tanh, lambda x, out: (1.0 - out * out,), domain=(REAL,))
# d/dx sinh x = cosh x
SINH: Primitive = Primitive("sinh", 1, _math("sinh", math.sinh), lambda x, out: (COSH(x),), domain=(SMALL,))
# d/dx cosh x = sinh x
COSH: Primitive = Primitive("cosh", 1, _math("cosh", math.cosh), lambda x, out: (SINH(x),), domain=(SMALL,))
# d/dx asinh x = 1/√(x² + 1) = 1/hypot(x, 1)
ASINH = Primitive("asinh", 1, math.asinh, lambda x, out: (1.0 / HYPOT(x, 1.0),), domain=(REAL,))
# d/dx acosh x = 1/(√(x − 1)·√(x + 1))   (x ≥ 1; infinite at 1)
ACOSH = Primitive("acosh", 1, _math("acosh", math.acosh, "x >= 1"),
                  lambda x, out: (1.0 / (SQRT(x - 1.0) * SQRT(x + 1.0)),),
                 domain=(Domain(((1.1, 5.0),), lambda x: x * x + 1.5),))
# d/dx atanh x = 1/(1 − x²)        (|x| < 1)
ATANH = Primitive("atanh", 1, _math("atanh", math.atanh, "-1 < x < 1"), lambda x, out: (1.0 / ((1.0 - x) * (1.0 + x)),),
                  domain=(UNIT,))

# -- special functions ------------------------------------------------------------
# d/dx erf x = (2/√π)·e^(−x²)
ERF = Primitive("erf", 1, math.erf, lambda x, out: (_TWO_OVER_SQRT_PI * _gauss(x, 1.0),), domain=(REAL,))
# d/dx erfc x = −(2/√π)·e^(−x²)
ERFC: Primitive = Primitive("erfc", 1, math.erfc, lambda x, out: (-_TWO_OVER_SQRT_PI * _gauss(x, 1.0),), domain=(REAL,))
# d/dy erf⁻¹(y) = (√π/2)·e^(erf⁻¹(y)²) = (√π/2)·e^(out²)        (−1 < y < 1)
ERFINV = Primitive("erfinv", 1, _erfinv, lambda y, out: (_SQRT_PI_OVER_TWO * EXP(out * out),), domain=(UNIT,))
# d/dx ln|Γ(x)| = ψ(x), the digamma function        (poles at 0, −1, −2, …)
LGAMMA = Primitive("lgamma", 1, _math("lgamma", math.lgamma, _NOT_A_POLE), lambda x, out: (DIGAMMA(x),),
                   domain=(GAMMA_LIKE,))
# d/dx Γ(x) = Γ(x)·ψ(x) = out·ψ(x)
GAMMA = Primitive("gamma", 1, _math("gamma", math.gamma, _NOT_A_POLE), lambda x, out: (out * DIGAMMA(x),),
                  domain=(Domain(((0.1, 5.0),), lambda x: TANH(x) * TANH(x) * 4.0 + 0.5),))
# d/dx ψ(x) = ψ′(x), the trigamma function
DIGAMMA: Primitive = Primitive("digamma", 1, functools.partial(_polygamma, 0), lambda x, out: (TRIGAMMA(x),),
                               domain=(GAMMA_LIKE,))
# d/dx ψ′(x) = ψ″(x)               (the polygamma family goes on, one row per order: `polygamma_of`)
TRIGAMMA: Primitive = Primitive("trigamma", 1, functools.partial(_polygamma, 1), lambda x, out: (polygamma_of(2)(x),),
                                domain=(GAMMA_LIKE,))

# -- piecewise: the derivative where it exists, with the convention at the jumps --
# d/dx ⌊x⌋ = 0, and likewise ⌈x⌉, trunc, round and sign: flat between jumps; 0 at them too
FLOOR: Primitive = Primitive("floor", 1, lambda x: float(math.floor(x)), lambda x, out: (0.0,),
                             domain=(BETWEEN_JUMPS,), smooth=False)
CEIL = Primitive("ceil", 1, lambda x: float(math.ceil(x)), lambda x, out: (0.0,), domain=(BETWEEN_JUMPS,), smooth=False)
TRUNC: Primitive = Primitive("trunc", 1, lambda x: float(math.trunc(x)), lambda x, out: (0.0,),
                             domain=(BETWEEN_JUMPS,), smooth=False)
ROUND = Primitive("round", 1, _round, lambda x, out: (0.0,), domain=(BETWEEN_JUMPS,), smooth=False)
SIGN = Primitive("sign", 1, _sign, lambda x, out: (0.0,), domain=(SIGNED,), smooth=False)
# fmod(a, b) = a − b·trunc(a/b): d/da = 1, d/db = −trunc(a/b)      (the sign follows a, as math.fmod)
#     The quotient is read back as (a − out)/b, rounded: a/b alone can underflow or round past the one used.
FMOD = Primitive("fmod", 2, _fmod, lambda a, b, out: (1.0, -ROUND((a - out) / b)), domain=(DIVIDEND, DIVISOR),
                 smooth=False)
# a % b = a − b·⌊a/b⌋: d/da = 1, d/db = −⌊a/b⌋                   (the sign follows b, as Python's %)
#     (the quotient read back as (a − out)/b, rounded, as for fmod: −1e-310 % 1e300 is 1e300, quotient −1)
MOD = Primitive("mod", 2, _mod, lambda a, b, out: (1.0, -ROUND((a - out) / b)), "%", domain=(DIVIDEND, DIVISOR),
                smooth=False)
# a // b = ⌊a/b⌋: 0 for both
FLOORDIV = Primitive("floordiv", 2, _floordiv, lambda a, b, out: (0.0, 0.0), "//",
                     domain=(DIVIDEND, DIVISOR), smooth=False)
# copysign(a, b) = |a|·sign(b): d/da = sign(a)·sign(b) (0 at a = 0), d/db = 0
COPYSIGN = Primitive("copysign", 2, math.copysign,
                     lambda a, b, out: (_slope_sign(a) * _sign_bit(b), 0.0),
                 domain=(SIGNED, SIGNED), smooth=False)
# xlogy(x, y) = x·log y, 0 where x = 0 (even at y = 0):  d/dx = log y,  d/dy = x/y
XLOGY = Primitive("xlogy", 2, _xlogy, _xlogy_derivs, domain=(REAL, POSITIVE))
# xlog1py(x, y) = x·log(1 + y), 0 where x = 0:             d/dx = log(1 + y),  d/dy = x/(1 + y)
XLOG1PY = Primitive("xlog1py", 2, _xlog1py, _xlog1py_derivs,
                    domain=(REAL, Domain(((-0.5, 3.0),), lambda y: y * y - 0.5)))
# max(a, b): d/da = 1 where a > b, 0 where a < b, ½ at a tie (the gradient is split, as PyTorch and JAX do)
MAXIMUM = Primitive("maximum", 2, max, lambda a, b, out: (_wins(a, b), _wins(b, a)), domain=APART, smooth=False)
# min(a, b): d/da = 1 where a < b, 0 where a > b, ½ at a tie
MINIMUM = Primitive("minimum", 2, min, lambda a, b, out: (_wins(b, a), _wins(a, b)), domain=APART, smooth=False)

# -- activations ------------------------------------------------------------------
# d/dp log(p/(1 − p)) = 1/(p·(1 − p))                   (0 < p < 1; the inverse of sigmoid)
LOGIT = Primitive("logit", 1, _logit, lambda p, out: (1.0 / (p * (1.0 - p)),),
                  domain=(Domain(((0.05, 0.95),), lambda x: SIGMOID(x) * 0.9 + 0.05),))
# d/dx σ(x) = σ(x)·(1 − σ(x)) = out·(1 − out)
SIGMOID: Primitive = Primitive("sigmoid", 1, _sigmoid, lambda x, out: (out * (1.0 - out),), domain=(REAL,))
# d/dx max(x, 0) = 1 if x > 0 else 0    (0 at x = 0)
RELU = Primitive("relu", 1, lambda x: x if x > 0.0 else 0.0, lambda x, out: (_step(x),),
                 code=("{0} if {0} > 0.0 else 0.0", ("1.0 if {0} > 0.0 else 0.0",)), domain=(KINKED,), smooth=False)
# d/dx ln(1 + eˣ) = σ(x)
SOFTPLUS = Primitive("softplus", 1, _softplus, lambda x, out: (SIGMOID(x),), domain=(REAL,))
# d/dx ln σ(x) = σ(−x)             (log_sigmoid(x) = −softplus(−x): stable for any x)
LOG_SIGMOID = Primitive("log_sigmoid", 1, lambda x: -_softplus(-x), lambda x, out: (SIGMOID(-x),), domain=(REAL,))
# d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
SILU = Primitive("silu", 1, lambda x: x * _sigmoid(x),
                 lambda x, out: (SIGMOID(x) * (1.0 + x * (1.0 - SIGMOID(x))),), domain=(REAL,))
# gelu(x) = x·Φ(x), Φ the normal CDF:  d/dx = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)
GELU = Primitive("gelu", 1, lambda x: 0.5 * x * math.erfc(-x * _INV_SQRT_2),
                 lambda x, out: (0.5 * ERFC(-x * _INV_SQRT_2) + x * _INV_SQRT_2PI * _gauss(x, 0.5),), domain=(REAL,))
# gelu, tanh form: 0.5·x·(1 + tanh u), u = √(2/π)·(x + 0.044715·x³):
#   d/dx = 0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²)
GELU_TANH = Primitive("gelu_tanh", 1, _gelu_tanh, lambda x, out: (_gelu_tanh_slope(x),), domain=(REAL,))

# -- n-ary rows: one node instead of a chain ---------------------------------------
# d/dxᵢ (x₁ + … + xₙ) = 1
SUM = Primitive("sum", -1, _sum, lambda *xs_out: (1.0,) * (len(xs_out) - 1), domain=(REAL, REAL, REAL))
# d/dwᵢ Σ wⱼxⱼ = xᵢ               d/dxᵢ Σ wⱼxⱼ = wᵢ
DOT = Primitive("dot", -1, _dot, _dot_derivs, domain=(REAL, REAL, REAL, REAL))
# d/dxᵢ log Σ eˣʲ = e^(xᵢ − out) = softmax(x)ᵢ     (computed as e^(xᵢ − m)/Σ e^(xⱼ − m), m the largest input)
LOGSUMEXP = Primitive("logsumexp", -1, _logsumexp, lambda *xs_out: _softmax_weights(xs_out[:-1]),
                      domain=(REAL, REAL, REAL))

#: Every fixed primitive by name. Families of rows (a constant exponent, a
#: polygamma order, a slope) are made on demand: `power_by`, `polygamma_of`,
#: `leaky_relu_by`, `elu_by`.
PRIMITIVES: dict[str, Primitive] = {
    op.name: op
    for op in (
        IDENTITY, STOP_GRADIENT, ADD, SUB, MUL, DIV, NEG, ABS,
        POW, EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P, SQRT, CBRT, LOGADDEXP,
        DEG2RAD, RAD2DEG, SIN, COS, TAN, ASIN, ACOS, ATAN, ATAN2, HYPOT, SINC,
        TANH, SINH, COSH, ASINH, ACOSH, ATANH,
        ERF, ERFC, ERFINV, LGAMMA, GAMMA, DIGAMMA, TRIGAMMA,
        FLOOR, CEIL, TRUNC, ROUND, SIGN, FMOD, MOD, FLOORDIV, COPYSIGN, XLOGY, XLOG1PY, MAXIMUM, MINIMUM,
        SIGMOID, LOGIT, RELU, SOFTPLUS, LOG_SIGMOID, SILU, GELU, GELU_TANH,
        SUM, DOT, LOGSUMEXP,
    )
}  # fmt: skip


def user_row(module: str, qualname: str) -> Primitive:
    """A user-defined row, found again by the module and name of its decorated function."""
    import importlib

    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found.primitive  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=256)
def power_by(c: float) -> Primitive:
    """The row for ``x ** c`` with a constant exponent ``c`` (cached per exponent).

    A constant exponent is part of the operation, not an input: the slope in
    the exponent, xᶜ·ln x, is never needed, so a negative base is fine.

    >>> square = power_by(2.0)
    >>> square.value(3.0), square.derivs(3.0, 9.0)
    (9.0, (6.0,))
    """

    c = real(c, "power_by: the exponent")

    # d/dx xᶜ = c·xᶜ⁻¹                (and 0 when c = 0, even at x = 0)
    def derivs(x: Any, out: Any) -> tuple[Any, ...]:
        return (c * x ** (c - 1.0) if c != 0.0 else 0.0,)

    # With a whole, non-negative c, Python's own x ** c raises wherever the checks would (an overflow).
    code = (f"{{0}} ** {c!r}", None) if c >= 0.0 and c.is_integer() else None
    row = Primitive("pow_const", 1, lambda x: _checked_power(x, c), derivs, f"**{c:g}", code)
    return _family(row, power_by, c)


@functools.lru_cache(maxsize=64)
def leaky_relu_by(slope: float) -> Primitive:
    """The row for leaky_relu with a constant `slope` for x ≤ 0 (cached per slope)."""
    slope = real(slope, "leaky_relu_by: the slope")
    # d/dx = 1 for x > 0, slope for x ≤ 0   (slope at the kink, as PyTorch)
    row = Primitive(
        "leaky_relu", 1, lambda x: x if x > 0.0 else slope * x, lambda x, out: (1.0 if _compared(x) > 0.0 else slope,)
    )
    return _family(row, leaky_relu_by, slope)


@functools.lru_cache(maxsize=64)
def elu_by(alpha: float) -> Primitive:
    """The row for elu with a constant `alpha` (cached per alpha)."""
    alpha = real(alpha, "elu_by: alpha")

    def value(x: float) -> float:
        return x if x > 0.0 else alpha * math.expm1(x)

    # d/dx = 1 for x > 0, α·eˣ = out + α for x ≤ 0
    row = Primitive("elu", 1, value, lambda x, out: (1.0 if _compared(x) > 0.0 else out + alpha,))
    return _family(row, elu_by, alpha)


def gelu_row(approximate: str) -> Primitive:
    """The row for gelu: exact (``"none"``, through erf) or its tanh form (``"tanh"``), as PyTorch names them."""
    if approximate == "none":
        return GELU
    if approximate == "tanh":
        return GELU_TANH
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


#: Two-input rows whose inputs can swap places without changing the value or
#: the derivatives: ``2.0 * x`` is recorded as ``x * 2.0``.
COMMUTATIVE = frozenset({ADD, MUL, HYPOT, LOGADDEXP})


@functools.cache
def flipped(row: Primitive) -> Primitive:
    """`row` with its two inputs swapped: ``flipped(SUB)(x, c)`` is ``c - x``.

    A plain number in a node is kept after the node's Values (see
    `Value.constants`), so ``2.0 - x`` is recorded as this row applied to
    ``(x, 2.0)``. One flipped row per row, not per number.

    >>> flipped(SUB).value(3.0, 10.0), flipped(SUB).derivs(3.0, 10.0, 7.0)
    (7.0, (-1.0, 1.0))
    """
    if row.arity != 2:
        raise ValueError(f"flipped: only a two-input row can be flipped, not {row.name}")

    def value(a: float, b: float) -> float:
        return row.value(b, a)

    def derivs(a: Any, b: Any, out: Any) -> tuple[Any, ...]:
        db, da = row.derivs(b, a, out)
        return da, db

    swapped = Primitive(row.name, 2, value, derivs, row.symbol)
    swapped.flips = row
    return _family(swapped, flipped, row)


# ---------------------------------------------------------------------------
# Rows from outside the library
# ---------------------------------------------------------------------------


def _user_derivative(d: Any, row: str, i: int, inputs: Sequence[Any]) -> Any:
    """A local derivative returned by a user's row, checked where it enters: a Python float (or a Value).

    A numpy scalar becomes a Python float, so no float32 rounding spreads into
    the gradients; inf stays (it is an error only if a gradient flows in); nan,
    complex numbers, strings and anything else raise, naming the row and the inputs.
    """
    if type(d) is float and d == d:
        return d
    if getattr(type(d), "_record_row", None) is not None:  # a Value: the derivative differentiated again
        return d
    numbers_in = shown([getattr(x, "data", x) for x in inputs])
    if isinstance(d, numbers.Real) and not isinstance(d, bool):
        f = float(d)
        if f == f:
            return f
        raise ValueError(f"{row}: derivs returned nan as the derivative for input {i} at ({numbers_in})")
    raise TypeError(
        f"{row}: derivs returned {d!r} ({type(d).__name__}) as the derivative for input {i} at ({numbers_in}); "
        f"a local derivative must be a real number"
    )


def primitive(derivs: Callable[..., tuple[Any, ...]], name: str | None = None) -> Callable[[Callable[..., float]], Any]:
    """Make a function whose derivative you know into one more row of the table.

    The decorated function computes the value on floats. `derivs` receives the
    inputs, then the output, and returns one local derivative per input, as the
    rows above do. The result takes Values and numbers, records one node, and
    works with `backward`, `grad`, `jvp`, replay, the pictures and `gradcheck`.
    Written with autograd_lite's functions (``al.cos``, operators), `derivs`
    differentiates again to any order; written with plain ``math``, it serves
    first derivatives, and a second one through it raises a TypeError saying so.

    >>> import math
    >>> @primitive(derivs=lambda x, out: (1.0 - out * out,))
    ... def my_tanh(x):
    ...     return math.tanh(x)
    >>> from autograd_lite import grad
    >>> grad(my_tanh)(0.5) == 1.0 - math.tanh(0.5) ** 2
    True
    """

    def decorate(f: Callable[..., float]) -> Any:
        import inspect  # only when a row is made: it is slow to import

        row_name = name or f.__name__
        arity = len(inspect.signature(f).parameters)

        def value(*xs: float) -> float:
            out = f(*xs)
            if not isinstance(out, numbers.Real):
                raise TypeError(f"{row_name}: the function must return a real number, got {type(out).__name__} {out!r}")
            return float(out)

        def local_derivatives(*xs_out: Any) -> tuple[Any, ...]:
            local = derivs(*xs_out)
            if not isinstance(local, (tuple, list)) or len(local) != arity:
                raise TypeError(f"{row_name}: derivs must return {arity} local derivative(s) as a tuple, got {local!r}")
            return tuple(_user_derivative(d, row_name, i, xs_out[:-1]) for i, d in enumerate(local))

        row = Primitive(row_name, arity, value, local_derivatives)

        @functools.wraps(f)
        def function(*args: Any) -> Any:
            if len(args) != arity:
                raise TypeError(f"{row_name}: takes {arity} argument(s), got {len(args)}")
            return row(*args)

        function.primitive = row  # type: ignore[attr-defined]
        row.made_by = (user_row, f.__module__, f.__qualname__)
        return function

    return decorate

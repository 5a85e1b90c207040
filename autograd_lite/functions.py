"""The math library: one public function per row of the table, for a Value (recorded) or a number (a float).

``al.exp(x)`` is the row `EXP` applied: to plain numbers it gives a checked
float, like `math`; to a Value it records a node through the same function
as ``x.exp()`` (`autograd_lite.engine.UNARY`), so both cost the same. A few
functions take more than the row does: ``polygamma(n, x)`` picks its row by
order, ``gelu``, ``elu`` and ``leaky_relu`` take a setting, and ``sum_``,
``dot``, ``logsumexp``, ``softmax`` take sequences.

>>> exp(0.0), round(log(2.718281828459045), 12)
(1.0, 1.0)
>>> from autograd_lite import Value
>>> x = Value(0.5)
>>> tanh(x).data == x.tanh().data
True
"""

from __future__ import annotations

import numbers

from .checks import real
from .engine import UNARY, Value
from .primitives import (
    ABS,
    ACOS,
    ACOSH,
    ASIN,
    ASINH,
    ATAN,
    ATAN2,
    ATANH,
    CBRT,
    CEIL,
    COPYSIGN,
    COS,
    COSH,
    DEG2RAD,
    DIGAMMA,
    DOT,
    ERF,
    ERFC,
    ERFINV,
    EXP,
    EXP2,
    EXPM1,
    FLOOR,
    FMOD,
    GAMMA,
    HYPOT,
    LGAMMA,
    LOG,
    LOG1P,
    LOG2,
    LOG10,
    LOG_SIGMOID,
    LOGADDEXP,
    LOGIT,
    LOGSUMEXP,
    MAXIMUM,
    MINIMUM,
    MOD,
    RAD2DEG,
    RELU,
    ROUND,
    SIGMOID,
    SIGN,
    SILU,
    SIN,
    SINC,
    SINH,
    SOFTPLUS,
    SQRT,
    STOP_GRADIENT,
    SUM,
    TAN,
    TANH,
    TRIGAMMA,
    TRUNC,
    XLOG1PY,
    XLOGY,
    elu_by,
    gelu_row,
    leaky_relu_by,
    polygamma_of,
)  # fmt: skip

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, TypeVar

    V = TypeVar("V")

# The engine's table of one-Value recorders, seen loosely typed here: these functions are generic in
# their argument (a Value gives a Value, a number a float), which the table's types cannot say.
_UNARY: dict[Any, Any] = UNARY

__all__ = [
    "abs_",
    "acos",
    "acosh",
    "as_list",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cbrt",
    "ceil",
    "clamp",
    "copysign",
    "cos",
    "cosh",
    "deg2rad",
    "digamma",
    "dot",
    "elu",
    "erf",
    "erfc",
    "erfinv",
    "exp",
    "exp2",
    "expm1",
    "floor",
    "fmod",
    "gamma",
    "gelu",
    "hypot",
    "leaky_relu",
    "lgamma",
    "log",
    "log1p",
    "log2",
    "log10",
    "log_sigmoid",
    "log_softmax",
    "logaddexp",
    "logit",
    "logsumexp",
    "maximum",
    "minimum",
    "mod",
    "polygamma",
    "rad2deg",
    "relu",
    "round_",
    "sigmoid",
    "sign",
    "silu",
    "sin",
    "sinc",
    "sinh",
    "softmax",
    "softplus",
    "sqrt",
    "stop_gradient",
    "sum_",
    "tan",
    "tanh",
    "trigamma",
    "trunc",
    "xlog1py",
    "xlogy",
]


def data_of(x: object, where: str, what: str = "the result") -> float:
    """The number a Value holds, or a plain number as a finite float; a TypeError naming `where` otherwise.

    How the library's functions read a number a user gives or a function returns.

    >>> data_of(Value(2.0), "f"), data_of(3, "f")
    (2.0, 3.0)
    """
    if isinstance(x, Value):
        return x._data
    if isinstance(x, numbers.Real):
        return real(x, f"{where}: {what}")
    raise TypeError(f"{where}: {what} must be a Value or a number, got {type(x).__name__}")


def exp(x: V) -> V:
    """eˣ of a Value (recorded) or a number (a float).

    >>> exp(0.0)
    1.0
    """
    return _UNARY[EXP](x) if type(x) is Value else EXP(x)  # type: ignore[no-any-return]


def exp2(x: V) -> V:
    """2ˣ."""
    return _UNARY[EXP2](x) if type(x) is Value else EXP2(x)  # type: ignore[no-any-return]


def expm1(x: V) -> V:
    """eˣ − 1, accurate for tiny x (``expm1(1e-12)`` keeps every digit)."""
    return _UNARY[EXPM1](x) if type(x) is Value else EXPM1(x)  # type: ignore[no-any-return]


def log(x: V) -> V:
    """Natural logarithm; needs x > 0."""
    return _UNARY[LOG](x) if type(x) is Value else LOG(x)  # type: ignore[no-any-return]


def log2(x: V) -> V:
    """Base-2 logarithm; needs x > 0."""
    return _UNARY[LOG2](x) if type(x) is Value else LOG2(x)  # type: ignore[no-any-return]


def log10(x: V) -> V:
    """Base-10 logarithm; needs x > 0."""
    return _UNARY[LOG10](x) if type(x) is Value else LOG10(x)  # type: ignore[no-any-return]


def log1p(x: V) -> V:
    """ln(1 + x), accurate for tiny x; needs x > −1."""
    return _UNARY[LOG1P](x) if type(x) is Value else LOG1P(x)  # type: ignore[no-any-return]


def sqrt(x: V) -> V:
    """Square root; needs x >= 0 (its derivative is infinite at 0: an error only if a gradient flows there)."""
    return _UNARY[SQRT](x) if type(x) is Value else SQRT(x)  # type: ignore[no-any-return]


def cbrt(x: V) -> V:
    """Real cube root, for any sign of x (as ``math.cbrt``)."""
    return _UNARY[CBRT](x) if type(x) is Value else CBRT(x)  # type: ignore[no-any-return]


def logaddexp(a: Any, b: Any) -> Any:
    """log(eᵃ + eᵇ) without overflow.

    >>> import math
    >>> logaddexp(1000.0, 1000.0) == 1000.0 + math.log(2.0)
    True
    """
    return LOGADDEXP(a, b)


def sin(x: V) -> V:
    """Sine (radians)."""
    return _UNARY[SIN](x) if type(x) is Value else SIN(x)  # type: ignore[no-any-return]


def cos(x: V) -> V:
    """Cosine (radians)."""
    return _UNARY[COS](x) if type(x) is Value else COS(x)  # type: ignore[no-any-return]


def tan(x: V) -> V:
    """Tangent (radians)."""
    return _UNARY[TAN](x) if type(x) is Value else TAN(x)  # type: ignore[no-any-return]


def asin(x: V) -> V:
    """Arcsine; needs −1 ≤ x ≤ 1 (its derivative is infinite at ±1)."""
    return _UNARY[ASIN](x) if type(x) is Value else ASIN(x)  # type: ignore[no-any-return]


def acos(x: V) -> V:
    """Arccosine; needs −1 ≤ x ≤ 1 (its derivative is infinite at ±1)."""
    return _UNARY[ACOS](x) if type(x) is Value else ACOS(x)  # type: ignore[no-any-return]


def atan(x: V) -> V:
    """Arctangent."""
    return _UNARY[ATAN](x) if type(x) is Value else ATAN(x)  # type: ignore[no-any-return]


def sinc(x: V) -> V:
    """sin(πx)/(πx), 1 at 0: the normalized sinc, as numpy's and JAX's."""
    return _UNARY[SINC](x) if type(x) is Value else SINC(x)  # type: ignore[no-any-return]


def deg2rad(x: V) -> V:
    """Degrees to radians: x·π/180."""
    return _UNARY[DEG2RAD](x) if type(x) is Value else DEG2RAD(x)  # type: ignore[no-any-return]


def rad2deg(x: V) -> V:
    """Radians to degrees: x·180/π."""
    return _UNARY[RAD2DEG](x) if type(x) is Value else RAD2DEG(x)  # type: ignore[no-any-return]


def atan2(y: Any, x: Any) -> Any:
    """The angle of the point (x, y), as ``math.atan2(y, x)`` (derivatives infinite at the origin)."""
    return ATAN2(y, x)


def hypot(x: Any, y: Any) -> Any:
    """√(x² + y²) without overflow; 0 at the origin, where its derivative is infinite."""
    return HYPOT(x, y)


def tanh(x: V) -> V:
    """Hyperbolic tangent."""
    return _UNARY[TANH](x) if type(x) is Value else TANH(x)  # type: ignore[no-any-return]


def sinh(x: V) -> V:
    """Hyperbolic sine."""
    return _UNARY[SINH](x) if type(x) is Value else SINH(x)  # type: ignore[no-any-return]


def cosh(x: V) -> V:
    """Hyperbolic cosine."""
    return _UNARY[COSH](x) if type(x) is Value else COSH(x)  # type: ignore[no-any-return]


def asinh(x: V) -> V:
    """Inverse hyperbolic sine."""
    return _UNARY[ASINH](x) if type(x) is Value else ASINH(x)  # type: ignore[no-any-return]


def acosh(x: V) -> V:
    """Inverse hyperbolic cosine; needs x >= 1."""
    return _UNARY[ACOSH](x) if type(x) is Value else ACOSH(x)  # type: ignore[no-any-return]


def atanh(x: V) -> V:
    """Inverse hyperbolic tangent; needs −1 < x < 1."""
    return _UNARY[ATANH](x) if type(x) is Value else ATANH(x)  # type: ignore[no-any-return]


def erf(x: V) -> V:
    """The error function (``math.erf``)."""
    return _UNARY[ERF](x) if type(x) is Value else ERF(x)  # type: ignore[no-any-return]


def erfinv(y: V) -> V:
    """The inverse of erf on (−1, 1): a first guess refined by Halley's method, about 3e-15 relative.

    >>> erfinv(erf(0.3)) == 0.3
    True
    """
    return _UNARY[ERFINV](y) if type(y) is Value else ERFINV(y)  # type: ignore[no-any-return]


def erfc(x: V) -> V:
    """1 − erf(x), accurate where erf is close to 1."""
    return _UNARY[ERFC](x) if type(x) is Value else ERFC(x)  # type: ignore[no-any-return]


def lgamma(x: V) -> V:
    """ln|Γ(x)| (``math.lgamma``); its derivative is digamma."""
    return _UNARY[LGAMMA](x) if type(x) is Value else LGAMMA(x)  # type: ignore[no-any-return]


def gamma(x: V) -> V:
    """Γ(x) (``math.gamma``)."""
    return _UNARY[GAMMA](x) if type(x) is Value else GAMMA(x)  # type: ignore[no-any-return]


def digamma(x: V) -> V:
    """ψ(x) = d/dx ln Γ(x). See `_polygamma` for the method and accuracy.

    >>> round(digamma(1.0), 15)           # −γ, the Euler–Mascheroni constant
    -0.577215664901533
    """
    return _UNARY[DIGAMMA](x) if type(x) is Value else DIGAMMA(x)  # type: ignore[no-any-return]


def trigamma(x: V) -> V:
    """ψ′(x), the derivative of digamma.

    >>> import math
    >>> round(trigamma(1.0), 14) == round(math.pi ** 2 / 6, 14)
    True
    """
    return _UNARY[TRIGAMMA](x) if type(x) is Value else TRIGAMMA(x)  # type: ignore[no-any-return]


def polygamma(n: int, x: Any) -> Any:
    """ψ⁽ⁿ⁾(x), the n-th derivative of digamma (n = 0 is digamma itself)."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"polygamma: the order n must be an int >= 0, got {n!r}")
    return polygamma_of(n)(x)


def floor(x: V) -> V:
    """⌊x⌋ as a float (slope 0; ``math.floor`` of a Value gives this too)."""
    return _UNARY[FLOOR](x) if type(x) is Value else FLOOR(x)  # type: ignore[no-any-return]


def ceil(x: V) -> V:
    """⌈x⌉ as a float (slope 0)."""
    return _UNARY[CEIL](x) if type(x) is Value else CEIL(x)  # type: ignore[no-any-return]


def trunc(x: V) -> V:
    """x rounded toward 0, as a float (slope 0)."""
    return _UNARY[TRUNC](x) if type(x) is Value else TRUNC(x)  # type: ignore[no-any-return]


def round_(x: V) -> V:
    """x rounded to the nearest integer, ties to even, as a float (slope 0). (``round(v, 3)`` gives a number.)"""
    return _UNARY[ROUND](x) if type(x) is Value else ROUND(x)  # type: ignore[no-any-return]


def sign(x: V) -> V:
    """−1, 0 or 1 (slope 0)."""
    return _UNARY[SIGN](x) if type(x) is Value else SIGN(x)  # type: ignore[no-any-return]


def mod(a: Any, b: Any) -> Any:
    """a − b·⌊a/b⌋, the sign of b: Python's ``a % b`` (``%`` on Values is this row too)."""
    return MOD(a, b)


def xlogy(x: Any, y: Any) -> Any:
    """x·log y, and 0 wherever x = 0, y = 0 included (0·log 0 = 0, as scipy and JAX); needs y > 0 elsewhere.

    >>> xlogy(0.0, 0.0), round(xlogy(2.0, 3.0), 12)
    (0.0, 2.197224577336)
    """
    return XLOGY(x, y)


def xlog1py(x: Any, y: Any) -> Any:
    """x·log(1 + y), and 0 wherever x = 0 (y = −1 included); needs y > −1 elsewhere."""
    return XLOG1PY(x, y)


def fmod(a: Any, b: Any) -> Any:
    """a − b·trunc(a/b), the sign of a (``math.fmod``); ``a % b`` on Values follows Python's %, the sign of b."""
    return FMOD(a, b)


def copysign(a: Any, b: Any) -> Any:
    """|a| with the sign of b."""
    return COPYSIGN(a, b)


def maximum(a: Any, b: Any) -> Any:
    """The larger of a and b, recorded: the gradient goes to the larger one, split ½–½ at a tie.

    >>> from autograd_lite import Value, grad
    >>> grad(lambda x: maximum(x, 1.0))(1.0)
    0.5
    """
    return MAXIMUM(a, b)


def minimum(a: Any, b: Any) -> Any:
    """The smaller of a and b, recorded: the gradient goes to the smaller one, split ½–½ at a tie."""
    return MINIMUM(a, b)


def clamp(x: Any, lo: Any, hi: Any) -> Any:
    """x limited to [lo, hi]: minimum(maximum(x, lo), hi) (the gradient goes to whichever is chosen)."""
    if data_of(lo, "clamp", "lo") > data_of(hi, "clamp", "hi"):
        raise ValueError(f"clamp: lo={lo!r} is above hi={hi!r}")
    return minimum(maximum(x, lo), hi)


def logit(p: V) -> V:
    """log(p/(1 − p)), the inverse of sigmoid; needs 0 < p < 1."""
    return _UNARY[LOGIT](p) if type(p) is Value else LOGIT(p)  # type: ignore[no-any-return]


def sigmoid(x: V) -> V:
    """The logistic function 1 / (1 + e⁻ˣ), stable for any finite x."""
    return _UNARY[SIGMOID](x) if type(x) is Value else SIGMOID(x)  # type: ignore[no-any-return]


def relu(x: V) -> V:
    """max(x, 0), with derivative 0 at x = 0."""
    return _UNARY[RELU](x) if type(x) is Value else RELU(x)  # type: ignore[no-any-return]


def softplus(x: V) -> V:
    """log(1 + eˣ), stable for any finite x."""
    return _UNARY[SOFTPLUS](x) if type(x) is Value else SOFTPLUS(x)  # type: ignore[no-any-return]


def log_sigmoid(x: V) -> V:
    """log σ(x) = −softplus(−x), stable for any finite x."""
    return _UNARY[LOG_SIGMOID](x) if type(x) is Value else LOG_SIGMOID(x)  # type: ignore[no-any-return]


def silu(x: V) -> V:
    """x·σ(x) (also called swish)."""
    return _UNARY[SILU](x) if type(x) is Value else SILU(x)  # type: ignore[no-any-return]


def gelu(x: Any, approximate: str = "none") -> Any:
    """x·Φ(x), Φ the standard normal CDF (exact, through erf); ``approximate="tanh"`` for the tanh form, as PyTorch."""
    return gelu_row(approximate)(x)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """x for x > 0, α·(eˣ − 1) below."""
    return elu_by(real(alpha, "elu: alpha"))(x)


def leaky_relu(x: Any, slope: float = 0.01) -> Any:
    """x for x > 0, slope·x below (PyTorch's default slope 0.01)."""
    return leaky_relu_by(real(slope, "leaky_relu: slope"))(x)


def stop_gradient(x: V) -> V:
    """x, with derivative 0: gradients stop here (``x.detach()``, JAX's ``stop_gradient``); replay recomputes it."""
    return _UNARY[STOP_GRADIENT](x) if type(x) is Value else STOP_GRADIENT(x)  # type: ignore[no-any-return]


def abs_(x: V) -> V:
    """|x| (the builtin ``abs`` works on Values too)."""
    return _UNARY[ABS](x) if type(x) is Value else ABS(x)  # type: ignore[no-any-return]


def sum_(xs: Sequence[Any]) -> Any:
    """x₁ + … + xₙ as one node with n parents (the builtin ``sum`` records n − 1 additions).

    Plain numbers only give a plain float.

    >>> sum_([1.0, 2.5])
    3.5
    """
    xs = _items(xs, "sum_")
    return SUM(*xs) if xs else 0.0


def dot(ws: Sequence[Any], xs: Sequence[Any]) -> Any:
    """Σ wᵢ·xᵢ as one node with 2n parents: a neuron's weighted sum in one step. Plain numbers give a float."""
    ws, xs = _items(ws, "dot"), _items(xs, "dot")
    if len(ws) != len(xs):
        raise ValueError(f"dot: got {len(ws)} weights but {len(xs)} inputs")
    return DOT(*ws, *xs) if ws else 0.0


def logsumexp(xs: Sequence[Any]) -> Any:
    """log Σ eˣⁱ as one node, shifted by the largest input: no overflow; its gradient is softmax(xs).

    >>> import math
    >>> logsumexp([1000.0, 1000.0]) == 1000.0 + math.log(2.0)
    True
    """
    xs = _items(xs, "logsumexp")
    if not xs:
        raise ValueError("logsumexp: needs at least one input")
    return LOGSUMEXP(*xs)


def softmax(xs: Sequence[Any]) -> list[Any]:
    """[e^(xᵢ − m) / Σⱼ e^(xⱼ − m)], m the largest: probabilities that sum to 1, exact for logits of any size.

    >>> softmax([1000.0, 1000.0])
    [0.5, 0.5]
    """
    items = _items(xs, "softmax")
    if not items:
        raise ValueError("softmax: needs at least one input")
    m = max(data_of(x, "softmax", f"input {i}") for i, x in enumerate(items))
    e = [exp(x - m) for x in items]
    total = sum_(e)
    return [ei / total for ei in e]


def log_softmax(xs: Sequence[Any]) -> list[Any]:
    """[(xᵢ − m) − log Σⱼ e^(xⱼ − m)], m the largest: log-probabilities, exact for logits of any size."""
    items = _items(xs, "log_softmax")
    if not items:
        raise ValueError("log_softmax: needs at least one input")
    m = max(data_of(x, "log_softmax", f"input {i}") for i, x in enumerate(items))
    shifted = [x - m for x in items]
    lse = log(sum_([exp(x) for x in shifted]))
    return [x - lse for x in shifted]


def as_list(xs: Any) -> Any:
    """A numpy array (anything with ``.tolist()``) as a list; a list, a tuple or anything else as it is."""
    if type(xs) is list or type(xs) is tuple:  # the common case, quick
        return xs
    tolist = getattr(xs, "tolist", None)
    return tolist() if callable(tolist) else xs


def _items(xs: Iterable[Any], where: str) -> Sequence[Any]:
    """Numbers or Values from any iterable (a list, a generator, a numpy array) as a list or tuple.

    A string, bytes or a lone number is a TypeError naming `where`.
    """
    xs = as_list(xs)
    if type(xs) is list or type(xs) is tuple:
        return xs
    if isinstance(xs, (str, bytes)) or not hasattr(xs, "__iter__"):
        raise TypeError(f"{where}: expected numbers or Values (a list or any iterable), got {type(xs).__name__} {xs!r}")
    return list(xs)

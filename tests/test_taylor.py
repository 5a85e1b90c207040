"""Taylor mode: every row's series against mpmath at 40 digits and against nested grad, the conventions at kinks,
the errors, jet against JAX, mixed partials against sympy and nested grad, and the examples and benchmark.

Accuracy is measured coefficient by coefficient, relative to the coefficient's own size; where a coefficient
is much smaller than its neighbours (near a zero of that derivative, as ψ is near 1.4616), relative to a
hundredth of the larger neighbour instead, since there no method keeps relative digits.
"""

import importlib.util
import math
import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import NonFiniteCoefficientError, NonFiniteGradientError, Series, Value
from autograd_lite.primitives import PRIMITIVES, elu_by, flipped, leaky_relu_by, polygamma_of, power_by
from autograd_lite.testing import EXPONENTS, PIECEWISE, expressions

ROOT = Path(__file__).resolve().parent.parent
ORDER = 10
FEW = settings(max_examples=4, deadline=None, derandomize=True)
#: Examples per row against mpmath: 4 keeps the file near 10 s; TAYLOR_EXAMPLES=100 searches longer.
MPMATH_EXAMPLES = int(os.environ.get("TAYLOR_EXAMPLES", "4"))
#: Below this, floats are subnormal and keep fewer digits: an error this small is not the method's.
TINY = 1e-300


# ---------------------------------------------------------------------------
# References: every row written with mpmath, by name
# ---------------------------------------------------------------------------


def mpmath_rows(mp):
    """name -> the row as a function of mpf numbers (stop_gradient: None, its series is constant by definition)."""

    def trunc(x):
        return mp.floor(x) if x >= 0 else mp.ceil(x)

    def gelu_tanh(x):
        return x / 2 * (1 + mp.tanh(mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)))

    return {
        "identity": lambda x: x, "stop_gradient": None,
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
        "neg": lambda x: -x, "abs": abs, "pow": lambda a, b: a**b, "exp": mp.exp, "exp2": lambda x: 2**x,
        "expm1": mp.expm1, "log": mp.log, "log2": lambda x: mp.log(x, 2), "log10": mp.log10, "log1p": mp.log1p,
        "sqrt": mp.sqrt, "cbrt": lambda x: mp.sign(x) * mp.cbrt(abs(x)),
        "logaddexp": lambda a, b: mp.log(mp.exp(a) + mp.exp(b)),
        "deg2rad": lambda x: x * mp.pi / 180, "rad2deg": lambda x: x * 180 / mp.pi,
        "sin": mp.sin, "cos": mp.cos, "tan": mp.tan, "asin": mp.asin, "acos": mp.acos, "atan": mp.atan,
        "atan2": mp.atan2, "hypot": lambda x, y: mp.sqrt(x * x + y * y), "sinc": mp.sincpi,
        "tanh": mp.tanh, "sinh": mp.sinh, "cosh": mp.cosh, "asinh": mp.asinh, "acosh": mp.acosh, "atanh": mp.atanh,
        "erf": mp.erf, "erfc": mp.erfc, "erfinv": mp.erfinv, "lgamma": lambda x: mp.log(abs(mp.gamma(x))),
        "gamma": mp.gamma, "digamma": mp.digamma, "trigamma": lambda x: mp.polygamma(1, x),
        "floor": mp.floor, "ceil": mp.ceil, "trunc": trunc, "round": mp.nint, "sign": mp.sign,
        "fmod": lambda a, b: a - b * trunc(a / b), "mod": lambda a, b: a - b * mp.floor(a / b),
        "floordiv": lambda a, b: mp.floor(a / b), "copysign": lambda a, b: abs(a) * mp.sign(b),
        "xlogy": lambda x, y: x * mp.log(y), "xlog1py": lambda x, y: x * mp.log1p(y),
        "maximum": max, "minimum": min, "sigmoid": lambda x: 1 / (1 + mp.exp(-x)),
        "logit": lambda p: mp.log(p / (1 - p)), "relu": lambda x: x if x > 0 else mp.mpf(0),
        "softplus": lambda x: mp.log1p(mp.exp(x)), "log_sigmoid": lambda x: -mp.log1p(mp.exp(-x)),
        "silu": lambda x: x / (1 + mp.exp(-x)), "gelu": lambda x: x * mp.ncdf(x), "gelu_tanh": gelu_tanh,
        "sum": lambda *xs: mp.fsum(xs),
        "dot": lambda *wx: mp.fsum(w * x for w, x in zip(wx[: len(wx) // 2], wx[len(wx) // 2 :])),
        "logsumexp": lambda *xs: mp.log(mp.fsum(mp.exp(x) for x in xs)),
    }  # fmt: skip


POSITIVE, NEGATIVE, KINKED = ((0.05, 5.0),), ((-3.0, -0.05),), ((0.05, 3.0), (-3.0, -0.05))
#: The rows made on demand (families and flipped rows): label -> (row, its inputs' intervals, mpmath form).
FAMILIES = {
    **{f"pow_const {c:g}": (power_by(c), (POSITIVE,), lambda mp, c=c: lambda x: x**c)
       for c in (*EXPONENTS, 4.0, 7.0, -2.0, 2.5, -1.5, 1 / 3, 0.0)},
    **{f"pow_const {c:g}, x < 0": (power_by(c), (NEGATIVE,), lambda mp, c=c: lambda x: x**c)
       for c in (2.0, 3.0, 5.0, -1.0, -3.0)},
    "polygamma2": (polygamma_of(2), (((0.1, 5.0),),), lambda mp: lambda x: mp.polygamma(2, x)),
    "polygamma3": (polygamma_of(3), (((0.1, 5.0),),), lambda mp: lambda x: mp.polygamma(3, x)),
    "leaky_relu 0.1": (leaky_relu_by(0.1), (KINKED,), lambda mp: lambda x: x if x > 0 else x / 10),
    "elu 1.5": (elu_by(1.5), (KINKED,), lambda mp: lambda x: x if x > 0 else mp.mpf(1.5) * mp.expm1(x)),
    **{f"flipped {name}": (flipped(PRIMITIVES[name]), tuple(d.intervals for d in PRIMITIVES[name].domain[::-1]),
                           lambda mp, name=name: lambda a, b: mpmath_rows(mp)[name](b, a))
       for name in ("sub", "div", "pow", "mod", "fmod", "atan2", "xlogy", "floordiv")},
}  # fmt: skip
ROWS = {name: (row, tuple(d.intervals for d in row.domain), None) for name, row in PRIMITIVES.items()}
# hypot along x has coefficients of order ≥ 2 that are O(y²): they come from x/hypot(x, y), whose rounding keeps
# only ε·(x/y)² of them, so relative digits need |y| not far below |x| (and the other way round along y).
ROWS["hypot"] = (PRIMITIVES["hypot"], (((0.3, 3.0), (-3.0, -0.3)),) * 2, None)
CASES = {**ROWS, **FAMILIES}
SLOW_IN_MPMATH = {"erfinv", "lgamma", "digamma", "trigamma", "polygamma2", "polygamma3"}


def reference(mp, label):
    _, _, family = CASES[label]
    return family(mp) if family is not None else mpmath_rows(mp)[label]


def draw_point(data, label):
    """In-domain inputs for the case `label`, one float per input."""
    _, intervals, _ = CASES[label]
    return [
        data.draw(st.sampled_from(choices).flatmap(lambda lo_hi: st.floats(*lo_hi, allow_subnormal=False)))
        for choices in intervals
    ]


def assert_close(got, want, rtol=1e-12, where=""):
    """got[k] against want[k] for every k of got (want may go further): within rtol of the coefficient's size,
    or of a hundredth of a larger neighbour (see the top).

    A coefficient that is zero together with its neighbours (a polynomial's tail, the zeros of a piecewise-linear
    row) is within 1e-15 of the largest coefficient instead: rounding on the way, and the reference's own noise.
    """
    largest = max(abs(w) for w in want)
    for k, a in enumerate(got):
        w = want[k]
        neighbours = [abs(want[j]) for j in (k - 1, k + 1) if 0 <= j < len(want)]
        scale = max([abs(w)] + [n / 100 for n in neighbours])
        error = abs(a - w)
        if error <= TINY:
            continue
        if scale <= 1e-20 * largest:
            assert error <= 1e-15 * largest, f"{where} order {k}: {a!r} against {w} (a zero; largest {largest})"
        else:
            assert error <= rtol * scale, f"{where} order {k}: {a!r} against {w} (scale {scale})"


def series_along(row, xs, moving, order):
    """The row's series when input `moving` is xs[moving] + t and the others are constants."""
    args = [Series.variable(x, order) if i == moving else x for i, x in enumerate(xs)]
    return row(*args).coefficients


def test_every_row_of_the_table_has_an_mpmath_form():
    """A new row fails here until it has a reference; every case names a domain for each input."""
    mp = pytest.importorskip("mpmath")
    assert set(mpmath_rows(mp)) == set(PRIMITIVES)
    assert all(intervals and all(intervals) for _, intervals, _ in CASES.values())


# ---------------------------------------------------------------------------
# Every row against mpmath at 40 digits, orders 0–10
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(CASES))
@given(data=st.data())
@settings(max_examples=MPMATH_EXAMPLES, deadline=None)
def test_every_row_agrees_with_mpmath_to_1e_12(label, data):
    """Each row along one input (drawn): order 10 and a drawn lower order, against mpmath.taylor at 40 digits."""
    mp = pytest.importorskip("mpmath")
    if label in SLOW_IN_MPMATH and data.draw(st.booleans(), "skip a slow reference this time"):
        return  # mpmath takes 0.2 s a series for these: half the examples
    row, _, _ = CASES[label]
    xs = draw_point(data, label)
    moving = data.draw(st.integers(0, len(xs) - 1), "moving input")
    order = data.draw(st.integers(0, ORDER), "a lower order")
    with mp.workdps(40):
        f = reference(mp, label)
        if f is None:  # stop_gradient: the number passes, its derivative is 0 at every order
            want = [mp.mpf(xs[0])] + [mp.mpf(0)] * ORDER
        else:
            want = mp.taylor(
                lambda t: f(*[mp.mpf(x) + (t if i == moving else 0) for i, x in enumerate(xs)]), 0, ORDER, chop=False
            )
        got = series_along(row, xs, moving, ORDER)
        assert_close(got, want, where=f"{label} at {xs}, input {moving}")
        assert_close(series_along(row, xs, moving, order), want, where=f"{label} to order {order}")


@pytest.mark.parametrize("label", sorted(name for name, (_, intervals, _) in CASES.items() if len(intervals) > 1))
@given(data=st.data())
@FEW
def test_rows_of_several_inputs_along_any_direction(label, data):
    """Every input moving at once (x + v·t, v drawn): against mpmath, relative to the largest coefficient.

    hypot and atan2 are singular where all their inputs vanish, at a distance ‖x‖/‖v‖ along the line: both
    their coefficients and the rounding in them may grow by ‖v‖/‖x‖ an order (even where the coefficients
    cancel to 0, along v ∥ x), so order k is measured against the largest coefficient times that growth.
    """
    mp = pytest.importorskip("mpmath")
    row, _, _ = CASES[label]
    xs = draw_point(data, label)
    vs = [data.draw(st.floats(-1.0, 1.0, allow_subnormal=False)) for _ in xs]
    got = row(*[Series([x, v] + [0.0] * (ORDER - 1)) for x, v in zip(xs, vs)]).coefficients
    with mp.workdps(40):
        want = mp.taylor(
            lambda t: reference(mp, label)(*[mp.mpf(x) + t * mp.mpf(v) for x, v in zip(xs, vs)]), 0, ORDER, chop=False
        )
        scale = max(abs(w) for w in want)
        growth = max(1.0, math.hypot(*vs) / math.hypot(*xs)) if label in ("hypot", "atan2") else 1.0
        for k, (a, w) in enumerate(zip(got, want)):
            assert abs(a - w) <= 1e-12 * scale * growth**k + TINY, (label, xs, vs, k)


# ---------------------------------------------------------------------------
# Every row against nested grad (always runs)
# ---------------------------------------------------------------------------


def nested_derivatives(f, x, order):
    """f(x), f′(x), …, f⁽ᵒʳᵈᵉʳ⁾(x) by nesting al.grad."""
    found, g = [], f
    for _ in range(order + 1):
        found.append(g(x))
        g = al.grad(g)
    return [d.item() if isinstance(d, Value) else float(d) for d in found]


@pytest.mark.parametrize("label", sorted(CASES))
@given(data=st.data())
@settings(max_examples=3, deadline=None)
def test_every_row_agrees_with_nested_grad(label, data):
    """k!·cₖ equals grad applied k times, to order 3, along one input of each row."""
    row, _, _ = CASES[label]
    xs = draw_point(data, label)
    moving = data.draw(st.integers(0, len(xs) - 1), "moving input")

    def along(x):
        return row(*[x if i == moving else c for i, c in enumerate(xs)])

    got = [c * math.factorial(k) for k, c in enumerate(al.taylor(along, xs[moving], 3))]
    assert got == pytest.approx(nested_derivatives(along, xs[moving], 3), rel=1e-9, abs=1e-9), (label, xs)


@given(expressions(n_inputs=3, max_steps=6), st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
@FEW
def test_random_expressions_agree_with_nested_grad(expression, point):
    """Random programs over the table (shared subexpressions, mixed series and numbers) to order 3."""

    def f(x):  # the other two inputs are constants of x's kind (the expressions call methods on them)
        if isinstance(x, Series):
            return expression(x, *[Series([c] + [0.0] * x.order) for c in point[1:]])
        return expression(x if isinstance(x, Value) else Value(x), *[Value(c) for c in point[1:]])

    got = [c * math.factorial(k) for k, c in enumerate(al.taylor(f, point[0], 3))]
    assert got == pytest.approx(nested_derivatives(f, point[0], 3), rel=1e-8, abs=1e-8)


# ---------------------------------------------------------------------------
# Kinks and jumps: the table's conventions at every order
# ---------------------------------------------------------------------------

#: At a kink or a jump: (the function of x, the point, its coefficients to order 10 by the table's conventions).
AT_KINKS = {
    "relu at 0 (relu′(0) = 0)": (al.relu, 0.0, [0.0] * 11),
    "abs at 0 (abs′(0) = 0)": (al.abs_, 0.0, [0.0] * 11),
    "sign at 0": (al.sign, 0.0, [0.0] * 11),
    "floor at its jump": (al.floor, 2.0, [2.0] + [0.0] * 10),
    "ceil at its jump": (al.ceil, -1.0, [-1.0] + [0.0] * 10),
    "trunc at its jump": (al.trunc, 1.0, [1.0] + [0.0] * 10),
    "round at a half": (al.round_, 0.5, [0.0] + [0.0] * 10),
    "x % 1.5 at its jump (slope 1)": (lambda x: x % 1.5, 3.0, [0.0, 1.0] + [0.0] * 9),
    "x // 1.5 at its jump": (lambda x: x // 1.5, 3.0, [2.0] + [0.0] * 10),
    "fmod at its jump (slope 1)": (lambda x: al.fmod(x, 1.5), 3.0, [0.0, 1.0] + [0.0] * 9),
    "copysign(x, 1) at 0": (lambda x: al.copysign(x, 1.0), 0.0, [0.0] * 11),
    "maximum at a tie (½ each)": (lambda x: al.maximum(x, 1.0), 1.0, [1.0, 0.5] + [0.0] * 9),
    "minimum at a tie (½ each)": (lambda x: al.minimum(2.0 * x, 2.0), 1.0, [2.0, 1.0] + [0.0] * 9),
    "maximum of two series at a tie": (lambda x: al.maximum(x, x * x), 1.0, [1.0, 1.5, 0.5] + [0.0] * 8),
    "leaky_relu at 0 (the slope)": (lambda x: al.leaky_relu(x, 0.1), 0.0, [0.0, 0.1] + [0.0] * 9),
    "elu at 0 (the left branch α·(eˣ − 1))": (
        lambda x: al.elu(x, 2.0), 0.0, [0.0] + [2.0 / math.factorial(k) for k in range(1, 11)]),
    "clamp at its upper end": (lambda x: al.clamp(x, 0.0, 1.0), 1.0, [1.0, 0.5] + [0.0] * 9),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(AT_KINKS))
def test_the_conventions_at_kinks_hold_at_every_order(case):
    """At a kink or jump each row follows the table's convention to order 10, as nested grad does to order 3."""
    f, x, expected = AT_KINKS[case]
    got = al.taylor(f, x, 10)
    assert got == pytest.approx(expected, rel=1e-15, abs=0.0)
    assert [c * math.factorial(k) for k, c in enumerate(got[:4])] == pytest.approx(nested_derivatives(f, x, 3))


def test_every_piecewise_row_is_checked_at_a_kink():
    """Each row whose value jumps or has a kink appears in AT_KINKS (by the function it calls)."""
    covered = {"relu", "abs", "sign", "floor", "ceil", "trunc", "round", "mod", "floordiv", "fmod", "copysign",
               "maximum", "minimum"}  # fmt: skip
    assert covered == set(PIECEWISE)


# ---------------------------------------------------------------------------
# Errors: they name the function, the row and the order
# ---------------------------------------------------------------------------


def test_sqrt_at_zero_raises_only_when_the_infinite_coefficient_is_asked_for():
    """√x at 0: order 0 is 0; order 1 and up raise, naming taylor, sqrt and order 1."""
    assert al.taylor(al.sqrt, 0.0, 0) == [0.0]
    with pytest.raises(NonFiniteCoefficientError, match=r"taylor: sqrt: the Taylor coefficient of order 1 is infin"):
        al.taylor(al.sqrt, 0.0, 3)
    with pytest.raises(NonFiniteGradientError):  # the same class nested grad raises there
        al.grad(al.grad(al.sqrt))(0.0)


def test_domain_edges_of_the_generic_rule_name_the_row_and_the_first_infinite_order():
    """cbrt at 0, asin at 1, x**2.5 at 0 (orders below 2.5 are 0): each raises at its first infinite order."""
    assert al.taylor(al.cbrt, 0.0, 0) == [0.0]
    with pytest.raises(NonFiniteCoefficientError, match=r"cbrt: the Taylor coefficient of order 1 .*ask for order 0"):
        al.taylor(al.cbrt, 0.0, 2)
    with pytest.raises(NonFiniteCoefficientError, match="asin: the Taylor coefficient of order 1"):
        al.taylor(al.asin, 1.0, 1)
    assert al.taylor(lambda x: x**2.5, 0.0, 2) == [0.0, 0.0, 0.0]
    with pytest.raises(NonFiniteCoefficientError, match=r"derivative: pow: the Taylor coefficient of order 3"):
        al.derivative(lambda x: x**2.5, 4)(0.0)
    with pytest.raises(NonFiniteCoefficientError, match="order 1"):
        al.taylor(lambda x: (x - 1.0) ** 0.5 * al.exp(x), 1.0, 2)


def test_an_overflowing_coefficient_names_the_row_and_the_order():
    """e^(700x) at 1: the value fits, the coefficient of order 2 does not."""
    with pytest.raises(NonFiniteCoefficientError, match=r"taylor: exp: the Taylor coefficient of order 2 is inf"):
        al.taylor(lambda x: al.exp(700.0 * x), 1.0, 3)
    with pytest.raises(NonFiniteCoefficientError, match=r"jet: mul: the Taylor coefficient of order 1 is inf"):
        al.jet(lambda x: x * 1e300, (1.0,), ([1e10],))
    with pytest.raises(NonFiniteCoefficientError, match=r"derivative: the result: .* order 171"):
        al.derivative(lambda x: 1.0 / (1.0 - x), 171)(0.0)  # every coefficient is 1, and 171! passes a float


def test_errors_at_order_zero_are_the_rows_own():
    """Where the value itself fails, the row's own error, as on floats and Values."""
    with pytest.raises(ValueError, match="log: needs x > 0"):
        al.taylor(al.log, 0.0, 2)
    with pytest.raises(ZeroDivisionError, match="div: division by zero"):
        al.taylor(lambda x: 1.0 / x, 0.0, 2)
    with pytest.raises(ZeroDivisionError, match="div: division by zero"):
        al.taylor(lambda x: x / (x - x), 1.0, 2)
    with pytest.raises(ZeroDivisionError, match=r"pow: 0\.0 cannot be raised to the negative power"):
        al.taylor(lambda x: x**-1, 0.0, 2)


def test_a_user_row_gets_taylor_mode_from_its_derivs_or_says_why_not():
    """@primitive with derivs written with al.cos: every order; with math.cos: a TypeError naming the row."""

    @al.primitive(derivs=lambda x, out: (al.cos(x),))
    def my_sin(x):
        return math.sin(x)

    @al.primitive(derivs=lambda x, out: (math.cos(x),))
    def plain_sin(x):
        return math.sin(x)

    assert al.taylor(my_sin, 0.7, 8) == pytest.approx(al.taylor(al.sin, 0.7, 8), rel=1e-15)
    assert al.taylor(plain_sin, 0.7, 0) == [math.sin(0.7)]
    with pytest.raises(TypeError, match=r"taylor: the derivative rule of plain_sin does not take a Series.*math\.cos"):
        al.taylor(plain_sin, 0.7, 2)


def test_bad_calls_say_what_was_expected():
    with pytest.raises(ValueError, match="taylor: the order must be an int >= 0"):
        al.taylor(al.sin, 0.0, -1)
    with pytest.raises(ValueError, match="derivative: the order must be an int >= 0"):
        al.derivative(al.sin, 1.5)
    with pytest.raises(TypeError, match="taylor: the function must return a number, a Value or a Series"):
        al.taylor(lambda x: [x], 0.0, 2)
    with pytest.raises(TypeError, match="float\\(\\) of a Series would drop its higher coefficients"):
        al.taylor(math.cos, 0.0, 2)
    with pytest.raises(ValueError, match="Series: needs at least one coefficient"):
        Series([])
    with pytest.raises(ValueError, match="Series: coefficient 1: expected a finite number"):
        Series([1.0, math.nan])
    with pytest.raises(ValueError, match="jet: the series have different lengths"):
        al.jet(lambda x, y: x * y, (1.0, 2.0), ([1.0], [1.0, 0.0]))
    with pytest.raises(TypeError, match="jet: primals must be a tuple or list"):
        al.jet(al.sin, 0.5, ([1.0],))
    with pytest.raises(ValueError, match="jet: series 0 term 0 has the shape"):
        al.jet(lambda v: v[0], ([1.0, 2.0],), ([3.0],))
    with pytest.raises(ValueError, match="derivatives: x is empty"):
        al.derivatives(lambda: 1.0, [], 2)


# ---------------------------------------------------------------------------
# The series type
# ---------------------------------------------------------------------------


def test_a_series_does_arithmetic_to_the_lower_order_of_its_operands():
    """+, −, ×, ÷, ** and unary − with series and numbers on either side; mixed orders give the lower one."""
    x, y = Series([2.0, 1.0, 0.0, 0.0]), Series([3.0, 0.0, 1.0])
    assert (x * y).coefficients == [6.0, 3.0, 2.0]
    assert (x + y).order == 2 and (1.0 + x - 1).coefficients == x.coefficients
    assert (1.0 / x).coefficients == [0.5, -0.25, 0.125, -0.0625]
    assert (x / 2).coefficients == [1.0, 0.5, 0.0, 0.0] and (-x).coefficients == [-2.0, -1.0, -0.0, -0.0]
    assert (x**2).coefficients == [4.0, 4.0, 1.0, 0.0] and (2 - x).coefficients == [0.0, -1.0, -0.0, -0.0]
    assert (2.0**x).coefficients == pytest.approx(
        [4.0, 4 * math.log(2), 2 * math.log(2) ** 2, 2 * math.log(2) ** 3 / 3]
    )
    assert (x**x)[1] == pytest.approx(4.0 * (math.log(2.0) + 1.0))
    assert x.at(0.5) == 2.5 and x.derivatives() == [2.0, 1.0, 0.0, 0.0] and list(x) == x.coefficients
    assert (x > 1.5, x < y, x >= 2.0, bool(x - 2.0), x.data) == (True, True, True, False, 2.0)
    assert repr(Series.variable(1, 2)) == "Series([1.0, 1.0, 0.0])" and x.truncated(1).coefficients == [2.0, 1.0]
    assert x.tanh().coefficients == al.taylor(al.tanh, 2.0, 3) and abs(-x).coefficients == x.coefficients
    assert math.floor(x).coefficients == [2.0, 0.0, 0.0, 0.0] and (x % 1.5).coefficients == [0.5, 1.0, 0.0, 0.0]


def test_lower_orders_are_the_first_coefficients_of_higher_ones():
    """taylor(f, x, k) is the start of taylor(f, x, n), through rules that read `out` order by order."""

    def f(x):
        return al.sigmoid(al.gamma(x) * al.tan(x)) + al.erfinv(al.tanh(x) / 2) + al.cbrt(x) / al.hypot(x, 2.0)

    everything = al.taylor(f, 0.7, 12)
    for k in range(12):
        assert al.taylor(f, 0.7, k) == everything[: k + 1]


def test_a_whole_power_at_zero_is_exact():
    """x² and x⁷ at 0 by products (the recurrence would divide by x₀ = 0); x**0 is 1."""
    assert al.taylor(lambda x: x**2, 0.0, 4) == [0.0, 0.0, 1.0, 0.0, 0.0]
    assert al.taylor(lambda x: x**7, 0.0, 8) == [0.0] * 7 + [1.0, 0.0]
    assert al.taylor(lambda x: x**0, 0.0, 2) == [1.0, 0.0, 0.0]
    assert al.taylor(lambda x: (x + 1.0) ** 9.0, 0.0, 9) == [float(math.comb(9, k)) for k in range(10)]


def test_dedicated_rules_keep_their_digits_where_the_value_is_near_its_limit():
    """tanh far out, sigmoid on both tails, expm1 far below 0, erfc far out: relative digits in every coefficient."""
    e = math.exp(-40.0)
    assert al.taylor(al.tanh, 20.0, 1)[1] == pytest.approx(4 * e / (1 + e) ** 2, rel=1e-14)
    assert al.taylor(al.sigmoid, 40.0, 1)[1] == pytest.approx(math.exp(-40.0) / (1 + math.exp(-40.0)) ** 2, rel=1e-14)
    assert al.taylor(al.expm1, -30.0, 2)[1:] == pytest.approx([math.exp(-30.0), math.exp(-30.0) / 2], rel=1e-14)
    erfc = al.taylor(al.erfc, 10.0, 2)
    assert erfc[1] == pytest.approx(-2 / math.sqrt(math.pi) * math.exp(-100.0), rel=1e-14)
    assert al.taylor(al.erfc, 30.0, 3) == [0.0] * 4  # e^(−900) underflows, as the row's own derivative does


def test_sinc_keeps_its_digits_near_zero_where_division_would_not():
    """sinc at 0 and near it, to order 20: its coefficients against the power series Σ (−1)ᵐ(πx)²ᵐ/(2m+1)!."""
    terms = [(-1) ** m * math.pi ** (2 * m) / math.factorial(2 * m + 1) for m in range(40)]
    for x0 in (0.0, 0.27, 0.9):
        expected = [math.fsum(a * math.comb(2 * m, k) * x0 ** (2 * m - k) for m, a in enumerate(terms) if 2 * m >= k)
                    for k in range(21)]  # fmt: skip
        got = al.taylor(al.sinc, x0, 20)
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-15 * math.pi**20 / math.factorial(20))


# ---------------------------------------------------------------------------
# Values inside: coefficients that grad differentiates again
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("f", [al.sin, al.exp, al.tanh, al.erf, al.sqrt, lambda x: x**2.5, al.sinc, al.lgamma])
def test_grad_of_a_coefficient_is_the_next_coefficient(f):
    """d/dx [f⁽ⁿ⁾(x)/n!] = (n + 1)·cₙ₊₁: a coefficient computed from a Value is differentiated by grad."""
    x0 = 1.3
    for n in (0, 1, 3):
        slope = al.grad(lambda x, n=n: al.taylor(f, x, n)[n])(x0)
        assert slope == pytest.approx((n + 1) * al.taylor(f, x0, n + 1)[n + 1], rel=1e-10)
    curvature = al.grad(al.grad(lambda x: al.taylor(f, x, 2)[2]))(x0)
    assert curvature == pytest.approx(12 * al.taylor(f, x0, 4)[4], rel=1e-9)


def test_a_series_of_values_and_values_closed_over():
    """Value coefficients stay Values; a Value the function closes over enters the coefficients."""
    x = Value(0.5)
    coefficients = al.taylor(al.sin, x, 2)
    assert all(isinstance(c, Value) for c in coefficients)
    coefficients[2].backward()
    assert x.grad == pytest.approx(-math.cos(0.5) / 2)
    assert al.grad(lambda a: al.taylor(lambda t: a * t**3, 1.0, 2)[2])(2.0) == 3.0
    assert al.grad(al.derivative(al.exp, 5))(0.3) == pytest.approx(math.exp(0.3))


# ---------------------------------------------------------------------------
# derivative, jet, derivatives
# ---------------------------------------------------------------------------


def test_derivative_of_high_order():
    """The 30th derivative of eˣ·sin x, against its closed form 2¹⁵·eˣ·sin(x + 30π/4)."""
    x = 0.4
    expected = 2**15 * math.exp(x) * math.sin(x + 30 * math.pi / 4)
    assert al.derivative(lambda t: al.exp(t) * al.sin(t), 30)(x) == pytest.approx(expected, rel=1e-12)
    assert al.derivative(al.sin)(0.0) == 1.0 and al.derivative(al.sin, 0)(0.0) == 0.0


def test_jet_follows_faa_di_bruno():
    """JAX's docstring example: sin∘h with h₀ = z³, h₁ = 3z², h₂ = 6z at z = 0.5; factorial_scaled=False too."""
    h0, h1, h2 = 0.5**3, 3 * 0.5**2, 6 * 0.5
    f0, (f1, f2) = al.jet(al.sin, (h0,), ([h1, h2],))
    assert (f0, f1) == (math.sin(h0), math.cos(h0) * h1)
    assert f2 == pytest.approx(-math.sin(h0) * h1**2 + math.cos(h0) * h2, rel=1e-15)
    g0, (g1, g2) = al.jet(al.sin, (h0,), ([h1, h2 / 2],), factorial_scaled=False)
    assert (g0, g1, g2) == pytest.approx((f0, f1, f2 / 2), rel=1e-15)
    assert al.jet(al.sin, (0.5,), ([],)) == (math.sin(0.5), [])


def test_jet_takes_and_gives_containers():
    """Containers of numbers in (terms of the same shape) and out (a list of terms at each number)."""
    primal, terms = al.jet(lambda p: {"xy": p["x"] * p["y"][0], "x": p["x"]},
                           ({"x": 0.5, "y": [2.0]},), ([{"x": 1.0, "y": [0.0]}, {"x": 0.0, "y": [1.0]}],))  # fmt: skip
    assert primal == {"xy": 1.0, "x": 0.5}
    assert terms == {"xy": [2.0, 0.5], "x": [1.0, 0.0]}  # (0.5 + t)(2 + t²/2) = 1 + 2t + t²/4 + …
    assert al.jet(lambda x, y: (x * y, 3.0), (2.0, 3.0), ([1.0], [0.0])) == ((6.0, 3.0), ([3.0], [0.0]))


@pytest.mark.parametrize("case", ["one argument", "two arguments", "a tuple out", "not factorial-scaled"])
def test_jet_matches_jax(case):
    """The same calls to jax.experimental.jet.jet (float64) give the same numbers."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax.experimental.jet import jet

    calls = {
        "one argument": (lambda m: lambda x: m.exp(m.sin(x)) / (1.0 + x * x), (0.7,), ([1.0, 0.3, -0.2, 0.5],), {}),
        "two arguments": (lambda m: lambda x, y: m.tanh(x * y) + m.log(y), (0.7, 1.9), ([1.0, 0.0], [0.5, 2.0]), {}),
        "a tuple out": (lambda m: lambda x: (m.sqrt(x), x**3), (2.0,), ([1.0, 1.0, 1.0],), {}),
        "not factorial-scaled": (lambda m: lambda x: m.cos(x) * x, (0.3,), ([1.0, 0.25, 0.1],),
                                 {"factorial_scaled": False}),
    }  # fmt: skip
    make, primals, series, options = calls[case]
    ours = al.jet(make(al), primals, series, **options)
    theirs = jet(make(jnp), primals, series, **options)
    flat_ours, flat_theirs = al.tree_flatten(ours)[0], [float(v) for v in jax.tree_util.tree_leaves(theirs)]
    assert flat_ours == pytest.approx(flat_theirs, rel=1e-12, abs=1e-14)


def test_derivatives_agree_with_nested_grad_and_hessian():
    """Order ≤ 2 is the value, the gradient and the Hessian; a third-order mixed partial is grad three times."""

    def f(x, y, z):
        return al.sin(x * y) * al.exp(z) + al.log1p(x * x * z) - y**3 / (1.0 + z)

    point = (0.7, -1.2, 0.4)
    d = al.derivatives(f, point, 3)
    assert len(d) == math.comb(3 + 3, 3)
    gradient = al.grad(f, argnums=(0, 1, 2))(*point)
    hessian = al.hessian(f, argnums=(0, 1, 2))(*point)
    assert d[(0, 0, 0)] == pytest.approx(f(*point))
    for i in range(3):
        unit = tuple(int(j == i) for j in range(3))
        assert d[unit] == pytest.approx(gradient[i], rel=1e-12)
        for j in range(3):
            index = tuple(int(k == i) + int(k == j) for k in range(3))
            assert d[index] == pytest.approx(hessian[i][j], rel=1e-12)
    third = al.grad(al.grad(al.grad(f, 1), 2), 2)(*point)  # ∂³f/∂y∂z²
    assert d[(0, 1, 2)] == pytest.approx(third, rel=1e-11)


def test_derivatives_agree_with_sympy():
    """Every partial of order ≤ 4 of a function of two numbers, and ≤ 3 of three, against sympy at 30 digits."""
    sympy = pytest.importorskip("sympy")
    x, y, z = sympy.symbols("x y z")
    cases = [
        (
            (x, y),
            sympy.exp(x * y) * sympy.cos(x - y) + sympy.sqrt(1 + x**2 * y**2),
            (0.3, 0.8),
            4,
            lambda a, b: al.exp(a * b) * al.cos(a - b) + al.sqrt(1.0 + a * a * b * b),
        ),
        (
            (x, y, z),
            sympy.atan(x * y) * sympy.erf(z) + sympy.tanh(x + 2 * z) / y,
            (0.5, 1.5, -0.2),
            3,
            lambda a, b, c: al.atan(a * b) * al.erf(c) + al.tanh(a + 2.0 * c) / b,
        ),
    ]
    for symbols, expression, point, order, f in cases:
        ours = al.derivatives(f, point, order)
        at = dict(zip(symbols, point))
        for index, value in ours.items():
            partial = expression
            for s, k in zip(symbols, index):
                partial = sympy.diff(partial, s, k) if k else partial
            expected = float(partial.evalf(30, subs=at))
            assert value == pytest.approx(expected, rel=1e-11, abs=1e-12), index


# ---------------------------------------------------------------------------
# The examples and the benchmark run and check their numbers
# ---------------------------------------------------------------------------


def load(path):
    """Import a script of the repository as a module (examples/ and benchmarks/ are not packages)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


@pytest.mark.parametrize("name", ["taylor_polynomials", "higher_greeks", "taylor_ode"])
def test_each_example_runs_and_checks_its_numbers(name, capsys):
    """Each example's main() asserts what it prints and returns 0."""
    example = load(ROOT / "examples" / f"{name}.py")
    assert example.main(["--quick"]) == 0
    assert "checked" in capsys.readouterr().out


def test_an_example_check_fails_loudly():
    """The examples' checks are assertions that fire: a wrong closed form would stop the Greeks example."""
    greeks = load(ROOT / "examples" / "higher_greeks.py")
    with pytest.raises(AssertionError):
        greeks.check("speed", 1.0, 1.0 + 1e-6)


def test_the_benchmark_agrees_with_nested_grad_and_mpmath():
    """benchmarks/taylor.py at small orders, and run.py's row at --quick size: every implementation agrees."""
    bench = load(ROOT / "benchmarks" / "taylor.py")
    rows = bench.measure(orders=(1, 3), repeat=1)
    assert [row["order"] for row in rows] == [1, 3] and all(row["agrees"] for row in rows)
    workload = bench.workload(quick=True)
    results = {}
    for name, make in workload.implementations.items():
        run = make(workload.small_size)
        run.run()
        value, rest = run.result()
        results[name] = [value, *rest]
    assert {"hand-written", "al.taylor", "nested al.grad"} <= set(results)
    for name, coefficients in results.items():
        assert coefficients == pytest.approx(results["hand-written"], rel=1e-9), name


@given(st.floats(-2.0, 2.0), st.integers(0, 6))
@FEW
def test_taylor_of_a_polynomial_is_its_shifted_coefficients(x0, order):
    """p(x₀ + t) expanded by the binomial theorem: exact for a polynomial, to rounding."""
    rng = random.Random(order)
    a = [rng.uniform(-1, 1) for _ in range(6)]

    def p(x):
        total = 0.0
        for c in reversed(a):
            total = total * x + c
        return total

    expected = [math.fsum(a[m] * math.comb(m, k) * x0 ** (m - k) for m in range(k, 6)) for k in range(order + 1)]
    assert al.taylor(p, x0, order) == pytest.approx(expected, rel=1e-12, abs=1e-12)

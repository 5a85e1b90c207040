"""Every row of the table of primitives, checked against closed forms and central differences.

The tests iterate the table: a new row without a closed form here fails
`test_every_row_has_a_closed_form`.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from references import big_phi, erfinv, gelu_tanh, gelu_tanh_slope, phi, psi, sigma, sinc_slope, softmax3

from autograd_lite import PRIMITIVES, Value, numeric_grad
from autograd_lite.engine import apply
from autograd_lite.primitives import STOP_GRADIENT, power_by
from autograd_lite.testing import DOMAINS, EXPONENTS, primitive_inputs

# name: (value, derivatives) written with the math module only, independently of the table.
CLOSED_FORMS = {
    "identity": (lambda x: x, lambda x: (1.0,)),
    "stop_gradient": (lambda x: x, lambda x: (0.0,)),
    "add": (lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    "sub": (lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    "mul": (lambda a, b: a * b, lambda a, b: (b, a)),
    "div": (lambda a, b: a / b, lambda a, b: (1.0 / b, -a / b**2)),
    "pow": (lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), a**b * math.log(a))),
    "neg": (lambda x: -x, lambda x: (-1.0,)),
    "abs": (abs, lambda x: (math.copysign(1.0, x),)),
    "exp": (math.exp, lambda x: (math.exp(x),)),
    "log": (math.log, lambda x: (1.0 / x,)),
    "sqrt": (math.sqrt, lambda x: (1.0 / (2.0 * math.sqrt(x)),)),
    "tanh": (math.tanh, lambda x: (1.0 / math.cosh(x) ** 2,)),
    "sigmoid": (lambda x: 1.0 / (1.0 + math.exp(-x)), lambda x: (math.exp(-x) / (1.0 + math.exp(-x)) ** 2,)),
    "relu": (lambda x: max(x, 0.0), lambda x: (1.0 if x > 0 else 0.0,)),
    "sin": (math.sin, lambda x: (math.cos(x),)),
    "cos": (math.cos, lambda x: (-math.sin(x),)),
    "softplus": (lambda x: math.log(1.0 + math.exp(x)), lambda x: (1.0 / (1.0 + math.exp(-x)),)),
    "sum": (lambda *xs: sum(xs), lambda *xs: (1.0,) * len(xs)),
    "dot": (lambda a, b, c, d: a * c + b * d, lambda a, b, c, d: (c, d, a, b)),
    "exp2": (lambda x: 2**x, lambda x: (2**x * math.log(2),)),
    "expm1": (math.expm1, lambda x: (math.exp(x),)),
    "log2": (math.log2, lambda x: (1 / (x * math.log(2)),)),
    "log10": (math.log10, lambda x: (1 / (x * math.log(10)),)),
    "log1p": (math.log1p, lambda x: (1 / (1 + x),)),
    "cbrt": (lambda x: math.copysign(abs(x) ** (1 / 3), x), lambda x: (abs(x) ** (-2 / 3) / 3,)),
    "logaddexp": (lambda a, b: math.log(math.exp(a) + math.exp(b)), lambda a, b: (sigma(a - b), sigma(b - a))),
    "tan": (math.tan, lambda x: (1 / math.cos(x) ** 2,)),
    "asin": (math.asin, lambda x: (1 / math.sqrt(1 - x * x),)),
    "acos": (math.acos, lambda x: (-1 / math.sqrt(1 - x * x),)),
    "atan": (math.atan, lambda x: (1 / (1 + x * x),)),
    "atan2": (math.atan2, lambda y, x: (x / (x * x + y * y), -y / (x * x + y * y))),
    "hypot": (math.hypot, lambda x, y: (x / math.hypot(x, y), y / math.hypot(x, y))),
    "sinh": (math.sinh, lambda x: (math.cosh(x),)),
    "cosh": (math.cosh, lambda x: (math.sinh(x),)),
    "asinh": (math.asinh, lambda x: (1 / math.sqrt(x * x + 1),)),
    "acosh": (math.acosh, lambda x: (1 / math.sqrt(x * x - 1),)),
    "atanh": (math.atanh, lambda x: (1 / (1 - x * x),)),
    "erf": (math.erf, lambda x: (2 / math.sqrt(math.pi) * math.exp(-x * x),)),
    "erfc": (math.erfc, lambda x: (-2 / math.sqrt(math.pi) * math.exp(-x * x),)),
    "lgamma": (math.lgamma, lambda x: (psi(x),)),
    "gamma": (math.gamma, lambda x: (math.gamma(x) * psi(x),)),
    "digamma": (psi, lambda x: (psi(x, 1),)),
    "trigamma": (lambda x: psi(x, 1), lambda x: (psi(x, 2),)),
    "floor": (math.floor, lambda x: (0.0,)),
    "ceil": (math.ceil, lambda x: (0.0,)),
    "trunc": (math.trunc, lambda x: (0.0,)),
    "round": (round, lambda x: (0.0,)),
    "sign": (lambda x: math.copysign(1.0, x), lambda x: (0.0,)),
    "fmod": (math.fmod, lambda a, b: (1.0, -math.trunc(a / b))),
    "mod": (lambda a, b: a % b, lambda a, b: (1.0, -math.floor(a / b))),
    "floordiv": (lambda a, b: a // b, lambda a, b: (0.0, 0.0)),
    "copysign": (math.copysign, lambda a, b: (math.copysign(1.0, a) * math.copysign(1.0, b), 0.0)),
    "maximum": (max, lambda a, b: (1.0, 0.0) if a > b else (0.0, 1.0)),
    "minimum": (min, lambda a, b: (1.0, 0.0) if a < b else (0.0, 1.0)),
    "log_sigmoid": (lambda x: -math.log1p(math.exp(-x)), lambda x: (sigma(-x),)),
    "silu": (lambda x: x * sigma(x), lambda x: (sigma(x) * (1 + x * (1 - sigma(x))),)),
    "gelu": (lambda x: x * big_phi(x), lambda x: (big_phi(x) + x * phi(x),)),
    "gelu_tanh": (gelu_tanh, lambda x: (gelu_tanh_slope(x),)),
    "logsumexp": (lambda a, b, c: math.log(math.exp(a) + math.exp(b) + math.exp(c)), softmax3),
    "logit": (lambda p: math.log(p / (1 - p)), lambda p: (1 / (p * (1 - p)),)),
    "sinc": (lambda x: math.sin(math.pi * x) / (math.pi * x) if abs(x) > 1e-8 else 1.0,
             lambda x: (sinc_slope(x),)),
    "deg2rad": (math.radians, lambda x: (math.pi / 180,)),
    "rad2deg": (math.degrees, lambda x: (180 / math.pi,)),
    "xlogy": (lambda x, y: x * math.log(y), lambda x, y: (math.log(y), x / y)),
    "xlog1py": (lambda x, y: x * math.log1p(y), lambda x, y: (math.log1p(y), x / (1 + y))),
    "erfinv": (erfinv, lambda y: (math.sqrt(math.pi) / 2 * math.exp(erfinv(y) ** 2),)),
}

NAMES = sorted(PRIMITIVES)


def exact_gradient(name, xs):
    inputs = [Value(x) for x in xs]
    out = apply(PRIMITIVES[name], *inputs)
    out.backward()
    return out.data, [v.grad for v in inputs]


def test_every_row_has_a_test_domain_and_the_closed_forms_name_rows():
    """Every row carries its test domain; the closed forms here (an independent check) name rows of the table."""
    assert set(DOMAINS) == set(PRIMITIVES)
    assert set(CLOSED_FORMS) <= set(PRIMITIVES)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
@given(data=st.data())
def test_every_row_declares_its_arity(name, data):
    """A row's arity matches how many derivatives its rule returns (n-ary rows: -1, any count)."""
    op = PRIMITIVES[name]
    assert op.arity == len(DOMAINS[name]) or op.arity == -1, name
    xs = data.draw(primitive_inputs(name))
    out = op.value(*xs)
    assert len(op.derivs(*xs, out)) == len(xs), name


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
@given(data=st.data())
def test_value_and_derivative_match_the_closed_form(name, data):
    """Each primitive's value and exact derivatives equal the closed forms."""
    xs = data.draw(primitive_inputs(name))
    value, derivative = CLOSED_FORMS[name]
    out, grads = exact_gradient(name, xs)
    assert out == pytest.approx(value(*xs), rel=1e-12, abs=1e-12)
    assert grads == pytest.approx(list(derivative(*xs)), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_derivative_matches_central_difference(name, data):
    """Each primitive's exact derivatives agree with numeric_grad inside its domain."""
    xs = data.draw(primitive_inputs(name))
    _, grads = exact_gradient(name, xs)
    if PRIMITIVES[name] is STOP_GRADIENT:  # its derivative is 0 by definition, not the slope of its value
        assert grads == [0.0]
        return
    numeric = numeric_grad(lambda v: apply(PRIMITIVES[name], *v), list(xs))  # a list in: a list out
    assert grads == pytest.approx(numeric, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("c", EXPONENTS)
@given(x=st.floats(0.05, 5.0))
def test_constant_power_matches_closed_form_and_central_difference(c, x):
    """x ** c with a number exponent: value x^c, derivative c·x^(c−1), equal to the slope."""
    v = Value(x)
    y = v**c
    y.backward()
    assert y.op.made_by == (power_by, c)
    assert y.data == pytest.approx(x**c, rel=1e-12)
    assert v.grad == pytest.approx(c * x ** (c - 1), rel=1e-9)
    assert v.grad == pytest.approx(numeric_grad(lambda t: t**c, x), rel=1e-5, abs=1e-6)


def test_constant_power_takes_negative_bases_and_zero():
    """Integer powers of negative numbers and of zero are fine; x**0 has slope 0 everywhere."""
    for x, c, value, slope in [(-2.0, 3, -8.0, 12.0), (-3.0, 2, 9.0, -6.0), (0.0, 2, 0.0, 0.0), (0.0, 0, 1.0, 0.0)]:
        v = Value(x)
        y = v**c
        y.backward()
        assert (y.data, v.grad) == (value, slope)


def test_conventions_at_kinks():
    """relu'(0) = 0 and abs'(0) = 0, as documented."""
    for method in ("relu", "__abs__"):
        x = Value(0.0)
        getattr(x, method)().backward()
        assert x.grad == 0.0


@pytest.mark.parametrize("x", [1e308, -1e308, 800.0, -800.0, 50.0, -50.0])
def test_sigmoid_tanh_softplus_are_stable_for_huge_inputs(x):
    """sigmoid, tanh and softplus give finite values and gradients up to ±1e308."""
    for name in ("sigmoid", "tanh", "softplus"):
        v = Value(x)
        y = getattr(v, name)()
        y.backward()
        assert math.isfinite(y.data) and math.isfinite(v.grad), (name, x)
    assert Value(x).sigmoid().data == pytest.approx(1.0 if x > 0 else 0.0, abs=1e-20)
    assert Value(x).softplus().data == pytest.approx(max(x, 0.0), abs=1e-12)

"""Derivatives of any order: grad, value_and_grad, jacobian, hessian, hvp, jvp."""

import math

import pytest
from helpers import nth
from hypothesis import given
from hypothesis import strategies as st
from references import GELU_A, GELU_C, phi, psi, softmax3
from references import sigma as sigmoid

import autograd_lite as al
from autograd_lite import PRIMITIVES, Value, grad, gradcheck, hessian, hvp, jacobian, jvp, value_and_grad
from autograd_lite.engine import apply
from autograd_lite.primitives import STOP_GRADIENT
from autograd_lite.testing import expressions, points, primitive_inputs

# Derivatives 1..4 in closed form, written with the math module only.
HIGHER = {
    "x**5": (lambda v: v**5, [lambda x: 5 * x**4, lambda x: 20 * x**3, lambda x: 60 * x**2, lambda x: 120 * x]),
    "exp": (al.exp, [math.exp] * 4),
    "sin": (al.sin, [math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x), math.sin]),
    "cos": (al.cos, [lambda x: -math.sin(x), lambda x: -math.cos(x), math.sin, math.cos]),
    "log": (al.log, [lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3, lambda x: -6 / x**4]),
    "tanh": (
        al.tanh,
        [
            lambda x: 1 - math.tanh(x) ** 2,
            lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
            lambda x: -2 * (1 - math.tanh(x) ** 2) * (1 - 3 * math.tanh(x) ** 2),
            lambda x: 8 * math.tanh(x) * (1 - math.tanh(x) ** 2) * (2 - 3 * math.tanh(x) ** 2),
        ],
    ),
    "sigmoid": (
        al.sigmoid,
        [
            lambda x: sigmoid(x) * (1 - sigmoid(x)),
            lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x)),
            lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 6 * sigmoid(x) + 6 * sigmoid(x) ** 2),
            lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x)) * (1 - 6 * sigmoid(x) + 6 * sigmoid(x) ** 2)
            + (sigmoid(x) * (1 - sigmoid(x))) ** 2 * (12 * sigmoid(x) - 6),
        ],
    ),
    "sqrt": (al.sqrt, [lambda x: 0.5 * x**-0.5, lambda x: -0.25 * x**-1.5, lambda x: 0.375 * x**-2.5,
                       lambda x: -0.9375 * x**-3.5]),
}


@pytest.mark.parametrize("name", sorted(HIGHER))
@pytest.mark.parametrize("x", [0.3, 1.7])
def test_first_to_fourth_derivatives_match_closed_forms(name, x):
    """grad nested 1 to 4 times equals the closed-form derivatives (sin cycles cos, −sin, −cos, sin)."""
    f, derivatives = HIGHER[name]
    for order, expected in enumerate(derivatives, start=1):
        assert nth(f, order)(x) == pytest.approx(expected(x), rel=1e-9, abs=1e-12), (name, order)


# Second derivatives (Hessians) of every row of the table, in closed form.
SECOND = {
    "identity": lambda x: [[0.0]],
    "stop_gradient": lambda x: [[0.0]],
    "neg": lambda x: [[0.0]],
    "abs": lambda x: [[0.0]],
    "relu": lambda x: [[0.0]],
    "exp": lambda x: [[math.exp(x)]],
    "log": lambda x: [[-1 / x**2]],
    "sqrt": lambda x: [[-0.25 * x**-1.5]],
    "tanh": lambda x: [[-2 * math.tanh(x) * (1 - math.tanh(x) ** 2)]],
    "sigmoid": lambda x: [[sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x))]],
    "sin": lambda x: [[-math.sin(x)]],
    "cos": lambda x: [[-math.cos(x)]],
    "softplus": lambda x: [[sigmoid(x) * (1 - sigmoid(x))]],
    "add": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "sub": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "mul": lambda a, b: [[0.0, 1.0], [1.0, 0.0]],
    "div": lambda a, b: [[0.0, -1 / b**2], [-1 / b**2, 2 * a / b**3]],
    "sum": lambda a, b, c: [[0.0] * 3 for _ in range(3)],
    "dot": lambda a, b, c, d: [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]],
    "pow": lambda a, b: [
        [b * (b - 1) * a ** (b - 2), a ** (b - 1) * (1 + b * math.log(a))],
        [a ** (b - 1) * (1 + b * math.log(a)), a**b * math.log(a) ** 2],
    ],
    "exp2": lambda x: [[2**x * math.log(2) ** 2]],
    "expm1": lambda x: [[math.exp(x)]],
    "log2": lambda x: [[-1 / (x * x * math.log(2))]],
    "log10": lambda x: [[-1 / (x * x * math.log(10))]],
    "log1p": lambda x: [[-1 / (1 + x) ** 2]],
    "cbrt": lambda x: [[-2 / 9 * math.copysign(abs(x) ** (-5 / 3), x)]],
    "logaddexp": lambda a, b: [[c := sigmoid(a - b) * (1 - sigmoid(a - b)), -c], [-c, c]],
    "tan": lambda x: [[2 * math.tan(x) * (1 + math.tan(x) ** 2)]],
    "asin": lambda x: [[x / (1 - x * x) ** 1.5]],
    "acos": lambda x: [[-x / (1 - x * x) ** 1.5]],
    "atan": lambda x: [[-2 * x / (1 + x * x) ** 2]],
    "atan2": lambda y, x: [
        [-2 * x * y / (x * x + y * y) ** 2, (y * y - x * x) / (x * x + y * y) ** 2],
        [(y * y - x * x) / (x * x + y * y) ** 2, 2 * x * y / (x * x + y * y) ** 2],
    ],
    "hypot": lambda x, y: [
        [y * y / math.hypot(x, y) ** 3, -x * y / math.hypot(x, y) ** 3],
        [-x * y / math.hypot(x, y) ** 3, x * x / math.hypot(x, y) ** 3],
    ],
    "sinh": lambda x: [[math.sinh(x)]],
    "cosh": lambda x: [[math.cosh(x)]],
    "asinh": lambda x: [[-x / (x * x + 1) ** 1.5]],
    "acosh": lambda x: [[-x / (x * x - 1) ** 1.5]],
    "atanh": lambda x: [[2 * x / (1 - x * x) ** 2]],
    "erf": lambda x: [[-4 / math.sqrt(math.pi) * x * math.exp(-x * x)]],
    "erfc": lambda x: [[4 / math.sqrt(math.pi) * x * math.exp(-x * x)]],
    "lgamma": lambda x: [[psi(x, 1)]],
    "gamma": lambda x: [[math.gamma(x) * (psi(x) ** 2 + psi(x, 1))]],
    "digamma": lambda x: [[psi(x, 2)]],
    "trigamma": lambda x: [[psi(x, 3)]],
    "floor": lambda x: [[0.0]],
    "ceil": lambda x: [[0.0]],
    "trunc": lambda x: [[0.0]],
    "round": lambda x: [[0.0]],
    "sign": lambda x: [[0.0]],
    "fmod": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "mod": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "floordiv": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "copysign": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "maximum": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "minimum": lambda a, b: [[0.0, 0.0], [0.0, 0.0]],
    "log_sigmoid": lambda x: [[-sigmoid(x) * (1 - sigmoid(x))]],
    "silu": lambda x: [[sigmoid(x) * (1 - sigmoid(x)) * (2 + x * (1 - 2 * sigmoid(x)))]],
    "gelu": lambda x: [[phi(x) * (2 - x * x)]],
    "gelu_tanh": lambda x: [[gelu_tanh_second(x)]],
    "logsumexp": lambda a, b, c: [
        [(p[i] if i == j else 0.0) - p[i] * p[j] for j in range(3)] for p in [softmax3(a, b, c)] for i in range(3)
    ],
}


def gelu_tanh_second(x):
    u = GELU_C * (x + GELU_A * x**3)
    du, ddu = GELU_C * (1 + 3 * GELU_A * x * x), 6 * GELU_A * GELU_C * x
    t = math.tanh(u)
    return (1 - t * t) * du + 0.5 * x * (1 - t * t) * (ddu - 2 * t * du * du)


def test_the_closed_second_derivatives_name_rows():
    """The closed forms here are an independent check of some rows; every row is checked numerically below."""
    assert set(SECOND) <= set(PRIMITIVES)


@pytest.mark.parametrize("name", sorted(n for n, row in PRIMITIVES.items() if row is not STOP_GRADIENT))
@given(data=st.data())
def test_every_row_has_second_derivatives_that_match_differences_of_its_gradient(name, data):
    """hessian of each row agrees with central differences of its exact gradient, read off the row alone."""
    xs = data.draw(primitive_inputs(name))
    assert gradcheck(lambda *v: apply(PRIMITIVES[name], *v), *xs, order=2, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", sorted(SECOND))
@given(data=st.data())
def test_every_primitive_has_the_right_hessian(name, data):
    """hessian of each primitive equals its closed-form second derivatives."""
    xs = data.draw(primitive_inputs(name))
    f = lambda *v: apply(PRIMITIVES[name], *v)
    every = tuple(range(len(xs)))
    assert hessian(f, argnums=every)(*xs) == [pytest.approx(row, rel=1e-8, abs=1e-10) for row in SECOND[name](*xs)]


def test_no_perturbation_confusion():
    """d/dx [x · (d/dy (x + y))] at x = 1 is 1, not 2: the inner derivative is with respect to y only."""
    inner = lambda x: grad(lambda y: x + y)(x)
    assert grad(lambda x: x * inner(x))(1.0) == 1.0
    # The same with the inner point given as a plain number, and closing over x.
    assert grad(lambda x: x * grad(lambda y: x * y)(1.0))(3.0) == 6.0


def test_grad_with_a_closure_over_an_outer_value():
    """An inner grad that closes over the outer variable stays differentiable: d/dx (d/dy x·y) = 1."""
    assert grad(lambda x: grad(lambda y: x * y)(2.0))(5.0) == 1.0


def test_value_and_grad_gives_both_from_one_pass():
    """value_and_grad returns f(x) and f'(x); argnums selects and shapes the gradients."""
    f = lambda x, y: x * y + al.exp(y)  # al.exp: y is a plain float when only x is differentiated
    assert value_and_grad(f)(2.0, 0.0) == (1.0, 0.0)
    assert value_and_grad(f, argnums=1)(2.0, 0.0) == (1.0, 3.0)
    assert value_and_grad(f, argnums=(1, 0))(2.0, 0.0) == (1.0, (3.0, 0.0))
    assert grad(f, argnums=-1)(2.0, 0.0) == 3.0


def test_plain_numbers_in_floats_out_values_in_values_out():
    """At the top level grad returns floats; given Values it returns Values that record their graph."""
    assert type(grad(al.sin)(1.0)) is float
    x = Value(1.0)
    d = grad(al.sin)(x)
    assert isinstance(d, Value) and d.data == pytest.approx(math.cos(1.0))
    d.backward()
    assert x.grad == pytest.approx(-math.sin(1.0))


def test_non_differentiated_arguments_pass_through():
    """Arguments outside argnums reach f unchanged (here a list of data points)."""
    loss = lambda w, data: sum((w * x - y) ** 2 for x, y in data)
    assert grad(loss)(1.0, [(1.0, 2.0), (2.0, 4.0)]) == 2 * (1 - 2) * 1 + 2 * (2 - 4) * 2


def test_jacobian_of_a_vector_function():
    """jacobian returns one row per output, one column per differentiated argument (argument 0 by default)."""
    f = lambda x, y: (x * y, al.sin(x), y + 1.0)
    J = jacobian(f, argnums=(0, 1))(2.0, 3.0)
    assert J[0] == [3.0, 2.0] and J[2] == [0.0, 1.0]
    assert J[1] == pytest.approx([math.cos(2.0), 0.0])
    assert jacobian(f, argnums=1)(2.0, 3.0) == [[2.0], [0.0], [1.0]]
    assert jacobian(f)(2.0, 3.0) == [[3.0], [pytest.approx(math.cos(2.0))], [0.0]]
    assert jacobian(f, argnums=None)(2.0, 3.0) == J


def test_jacobian_and_hessian_differentiate_argument_0_by_default():
    """As grad (and JAX): hessian(x²y³)(1, 3) is [[∂²f/∂x²]] = [[2y³]], not the 2×2 over both arguments."""
    f = lambda x, y: x * x * y**3
    assert hessian(f)(1.0, 3.0) == [[54.0]]
    assert hessian(f, argnums=0)(1.0, 3.0) == [[54.0]]
    assert hessian(f, argnums=1)(1.0, 3.0) == [[18.0]]  # 6x²y
    assert hessian(f, argnums=(0, 1))(1.0, 3.0) == [[54.0, 54.0], [54.0, 18.0]]
    assert hessian(f, argnums=None)(1.0, 3.0) == [[54.0, 54.0], [54.0, 18.0]]
    assert jacobian(f)(1.0, 3.0) == [[54.0]]  # ∂f/∂x = 2xy³


def test_hvp_equals_hessian_times_vector():
    """hvp(f, primals, tangents) equals H·v over every primal, a tuple with one entry per primal."""
    f = lambda x, y, z: x * y * z + (x * z).sin() + y**3
    args, v = (0.5, -1.2, 2.0), (0.3, -0.7, 1.1)
    H = hessian(f, argnums=(0, 1, 2))(*args)
    expected = tuple(sum(H[i][j] * v[j] for j in range(3)) for i in range(3))
    product = hvp(f, args, v)
    assert type(product) is tuple and product == pytest.approx(expected, rel=1e-12)


def test_hvp_of_one_primal_is_shaped_like_it():
    """hvp(f, (x,), (v,)) is H·v shaped like x, as JAX's docs define it: jvp(grad(f), (x,), (v,))[1]."""
    f = lambda xs: xs[0] ** 3 * xs[1] + xs[1] ** 2
    x, v = [1.5, -0.5], [0.2, 1.0]
    H = hessian(f)(x)
    product = hvp(f, (x,), (v,))
    assert product == pytest.approx([H[0][0] * v[0] + H[0][1] * v[1], H[1][0] * v[0] + H[1][1] * v[1]], rel=1e-12)
    assert product == jvp(grad(f), (x,), (v,))[1]
    assert hvp(lambda t: t**4, (2.0,), (1.0,)) == 48.0  # a number: 12t²·1


def test_hvp_passes_keyword_arguments_and_nests():
    """Keyword arguments reach f undifferentiated; hvp inside grad is differentiable (d/dx of 6x·1 is 6)."""
    assert hvp(lambda x, scale: scale * x**3, (2.0,), (1.0,), scale=2.0) == 24.0
    assert grad(lambda x: hvp(lambda t: t**3, (x,), (1.0,)))(2.0) == 6.0


def test_jvp_single_and_multiple_outputs():
    """jvp gives f and its directional derivative; a tuple-valued f gives tuples."""
    assert jvp(lambda x: x.exp(), (0.0,), (2.0,)) == (1.0, 2.0)
    values, tangents = jvp(lambda x, y: (x * y, x - y), (2.0, 3.0), (1.0, 1.0))
    assert values == (6.0, -1.0) and tangents == (5.0, 0.0)


def test_jvp_nests_inside_grad():
    """The forward-mode derivative is differentiable again: d/dx jvp(f, x, 1) = f''(x)."""
    f = lambda x: x**4
    second = grad(lambda x: jvp(f, (x,), (1.0,))[1])
    assert second(2.0) == 12 * 2.0**2


def test_higher_order_mixed_partials():
    """∂²/∂x∂y and ∂³/∂x²∂y of x²·y³ by nesting grad with different argnums."""
    f = lambda x, y: x**2 * y**3
    fxy = grad(grad(f, 0), 1)
    assert fxy(2.0, 3.0) == pytest.approx(2 * 2.0 * 3 * 3.0**2)
    fxxy = grad(grad(grad(f, 0), 0), 1)
    assert fxxy(2.0, 3.0) == pytest.approx(2 * 3 * 3.0**2)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: grad(lambda x: [x, x])(1.0), TypeError, "must return a scalar Value or number, got list"),
        (lambda: grad(lambda x: "one")(1.0), TypeError, "got str 'one'"),
        (lambda: grad(lambda x, y: x * y, argnums=2)(1.0, 2.0), IndexError, "argnums 2 is out of range"),
        (lambda: grad(lambda x: x, argnums=())(1.0), ValueError, "argnums is empty"),
        (lambda: grad(lambda x: x, argnums="0")(1.0), TypeError, "argnums must be an int or a tuple of ints"),
        (lambda: grad(lambda x: x, argnums=("0",))(1.0), TypeError, "argnums must be ints"),
        (lambda: jvp(lambda x: x, (1.0,), (1.0, 2.0)), ValueError, "1 primals but 2 tangents"),
        (lambda: hvp(lambda x: x, (1.0,), ()), ValueError, "^hvp: got 1 primals but 0 tangents"),
        (lambda: hvp(lambda x: x, 1.0, 1.0), TypeError, r"^hvp: primals must be a tuple or list .* \(write \(1.0,\)"),
        (lambda: jacobian(lambda x: [x, "y"])(1.0), TypeError, r"jacobian: the function's result\[1\] must be"),
    ],
)
def test_errors_say_what_went_wrong(call, error, words):
    """Bad outputs and bad argnums raise errors that say what they got."""
    with pytest.raises(error, match=words):
        call()


def test_constant_function_has_zero_derivatives():
    """A function that ignores its argument has derivative 0 at every order."""
    f = lambda x: 3.0
    assert grad(f)(1.0) == 0.0 and grad(grad(f))(1.0) == 0.0
    assert hessian(lambda x, y: x * 2.0, argnums=(0, 1))(1.0, 1.0) == [[0.0, 0.0], [0.0, 0.0]]


@given(expressions(max_steps=6), points(3))
def test_second_derivatives_match_differences_of_the_gradient(expr, xs):
    """Random expressions: every second derivative agrees with central differences of the exact gradient."""
    assert gradcheck(expr, *xs, order=2, rtol=1e-4, atol=1e-5)


@given(expressions(max_steps=6), points(3), points(3))
def test_jvp_agrees_with_grad_dot_direction(expr, xs, v):
    """Forward mode along v equals the reverse-mode gradient dotted with v."""
    _, forward = jvp(expr, xs, v)
    gradient = grad(expr, argnums=(0, 1, 2))(*xs)
    assert forward == pytest.approx(sum(g * d for g, d in zip(gradient, v)), rel=1e-9, abs=1e-9)


@given(expressions(max_steps=6), points(3))
def test_hessians_are_symmetric(expr, xs):
    """∂²f/∂xᵢ∂xⱼ = ∂²f/∂xⱼ∂xᵢ for random expressions."""
    H = hessian(expr, argnums=(0, 1, 2))(*xs)
    for i in range(3):
        for j in range(i):
            assert H[i][j] == pytest.approx(H[j][i], rel=1e-9, abs=1e-9)


def test_grad_leaves_captured_values_alone():
    """grad computes derivatives without adding into the .grad of Values the function closes over."""
    w = Value(3.0)
    assert grad(lambda x: x * w)(2.0) == 3.0
    assert w.grad == 0.0


def test_derivatives_work_inside_no_grad():
    """grad, hessian and numeric_grad of a gradient work even inside no_grad()."""
    from autograd_lite import no_grad, numeric_grad

    with no_grad():
        assert grad(lambda x: x**3)(2.0) == 12.0
        assert hessian(lambda x: x**3)(2.0) == [[12.0]]
        assert numeric_grad(grad(lambda x: x**3), 2.0) == pytest.approx(12.0, rel=1e-6)
    assert numeric_grad(grad(lambda x: x**3), 2.0) == pytest.approx(12.0, rel=1e-6)

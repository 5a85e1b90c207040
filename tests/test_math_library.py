"""The whole of math, differentiable: accuracy, precision, conventions at jumps, infinite slopes, user rows."""

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from references import psi

import autograd_lite as al
from autograd_lite import PRIMITIVES, Value, grad
from autograd_lite.engine import apply
from autograd_lite.primitives import STOP_GRADIENT
from autograd_lite.testing import DOMAINS, PIECEWISE, primitive_inputs

# -- every function is a module function and, for one input, a method ---------------------------------

ONE_INPUT = sorted(name for name, op in PRIMITIVES.items() if op.arity == 1 and name not in ("identity", "neg", "abs"))


@pytest.mark.parametrize("name", ONE_INPUT)
@given(data=st.data())
def test_one_input_rows_are_functions_and_methods(name, data):
    """al.f(number) is a float (like math); al.f(Value) and Value.f() record the same node."""
    (x,) = data.draw(primitive_inputs(name))
    function = getattr(al, "round_" if name == "round" else name.replace("gelu_tanh", "gelu"), None)
    assert function is not None, f"the row {name} has no function autograd_lite.{name} (add one to functions.py)"
    kwargs = {"approximate": "tanh"} if name == "gelu_tanh" else {}
    plain = function(x, **kwargs)
    assert type(plain) is float
    recorded = function(Value(x), **kwargs)
    assert isinstance(recorded, Value) and recorded.op is PRIMITIVES[name] and recorded.data == plain
    method = getattr(Value(x), {"gelu_tanh": "gelu", "stop_gradient": "detach"}.get(name, name), None)
    assert method is not None or name in ("floor", "ceil", "trunc", "round"), f"Value has no method for {name}"
    if name in ("floor", "ceil", "trunc", "round"):
        return  # math.floor(v), math.ceil(v), math.trunc(v) and al.round_(v) instead (see below)
    made = method(**kwargs)
    assert made.op is PRIMITIVES[name] and made.data == plain, f"Value.{method.__name__} records another row"


def test_every_smooth_row_is_in_random_expressions():
    """A smooth row enters random expressions through the guards of its domain; the tests say which lacks one."""
    from autograd_lite.testing import _APPLY

    for name, row in PRIMITIVES.items():
        if row.smooth and row is not STOP_GRADIENT:
            assert name in _APPLY, f"the row {name}: give every Domain of its domain= a guard"
    assert set(DOMAINS) == set(PRIMITIVES)


# -- third derivatives of the smooth rows ---------------------------------------------------------------

SMOOTH_ONE_INPUT = [name for name in ONE_INPUT if name not in PIECEWISE]


@pytest.mark.parametrize("name", SMOOTH_ONE_INPUT)
@given(data=st.data())
def test_third_derivatives_match_slopes_of_the_second(name, data):
    """d³f/dx³ from nesting grad three times agrees with the central difference of d²f/dx²."""
    (x,) = data.draw(primitive_inputs(name))
    f = lambda v: apply(PRIMITIVES[name], v)
    second = grad(grad(f))
    third = grad(second)(x)
    h = 1e-4 * max(1.0, abs(x))
    numeric = (second(x + h) - second(x - h)) / (2 * h)
    assert third == pytest.approx(numeric, rel=1e-4, abs=1e-4 * max(1.0, abs(second(x))))


# -- special functions: accuracy ------------------------------------------------------------------------


@pytest.mark.parametrize("x", [0.1, 0.5, 1.0, 1.4616321449683622, 2.5, 7.3, 19.9, 20.1, 150.0, -0.5, -2.7])
def test_digamma_and_trigamma_are_accurate(x):
    """digamma and trigamma agree with an independent computation to 1e-12 (relative, or absolute near a zero)."""
    if x > 0:
        assert al.digamma(x) == pytest.approx(psi(x), rel=1e-12, abs=1e-14)
        assert al.trigamma(x) == pytest.approx(psi(x, 1), rel=1e-12)
        assert al.polygamma(2, x) == pytest.approx(psi(x, 2), rel=1e-12)
    else:  # below 0, by the recurrence ψ(x) = ψ(x + 1) − 1/x from a positive point
        assert al.digamma(x) == pytest.approx(al.digamma(x + 3) - 1 / x - 1 / (x + 1) - 1 / (x + 2), rel=1e-12)


def test_special_functions_match_published_values():
    """ψ(1) = −γ, ψ′(1) = π²/6, ψ(½) = −γ − 2 ln 2, ψ′(½) = π²/2; erf, erfc, lgamma, gamma as math computes them."""
    euler_gamma = 0.5772156649015329
    assert al.digamma(1.0) == pytest.approx(-euler_gamma, rel=1e-14)
    assert al.trigamma(1.0) == pytest.approx(math.pi**2 / 6, rel=1e-14)
    assert al.digamma(0.5) == pytest.approx(-euler_gamma - 2 * math.log(2), rel=1e-14)
    assert al.trigamma(0.5) == pytest.approx(math.pi**2 / 2, rel=1e-14)
    for x in (-3.7, -0.2, 0.3, 1.0, 2.5, 10.0):
        assert (al.erf(x), al.erfc(x)) == (math.erf(x), math.erfc(x))
        assert (al.lgamma(x), al.gamma(x)) == (math.lgamma(x), math.gamma(x))


def test_lgamma_slope_is_digamma_everywhere_off_the_poles():
    """d/dx lgamma = digamma, also for negative non-integers, where lgamma is ln|Γ|."""
    for x in (-2.5, -0.3, 0.7, 4.2):
        assert grad(al.lgamma)(x) == pytest.approx(al.digamma(x), rel=1e-14)
        assert grad(grad(al.lgamma))(x) == pytest.approx(al.trigamma(x), rel=1e-12)
    with pytest.raises(ValueError, match=r"digamma: undefined at the pole x=-2\.0"):
        al.digamma(-2.0)
    with pytest.raises(ValueError, match="lgamma: needs x other than 0 and the negative integers, got"):
        al.lgamma(0.0)


# -- precision where compositions lose digits ---------------------------------------------------------


def test_log1p_and_expm1_keep_every_digit_of_tiny_inputs():
    """log1p(1e-12) and expm1(1e-12) and their slopes are exact to 1e-15; log(1 + x) loses four digits."""
    x = 1e-12
    assert al.log1p(x) == pytest.approx(x - x * x / 2, rel=1e-15)
    assert al.expm1(x) == pytest.approx(x + x * x / 2, rel=1e-15)
    assert grad(al.log1p)(x) == pytest.approx(1 / (1 + x), rel=1e-15)
    assert grad(al.expm1)(x) == pytest.approx(math.exp(x), rel=1e-15)
    composed = al.log(1.0 + x)
    assert abs(composed / x - 1) > 1e-6  # the composition is off in the fifth digit


def test_logsumexp_and_softmax_are_stable():
    """logsumexp([1000, 1000]) = 1000 + ln 2; softmax of logits 1e4 apart has no overflow; gradients too."""
    assert al.logsumexp([1000.0, 1000.0]) == 1000.0 + math.log(2.0)
    probs = al.softmax([1e4, 0.0, -1e4])
    assert probs == [1.0, 0.0, 0.0] and al.log_softmax([1e4, 0.0])[1] == -1e4
    g = grad(lambda xs: al.logsumexp(xs))([1e4, 1e4 - 1.0])
    assert g == pytest.approx([1 / (1 + math.exp(-1)), 1 / (1 + math.exp(1))], rel=1e-15)
    assert sum(al.softmax([0.3, -1.2, 2.0])) == pytest.approx(1.0, rel=1e-15)


def test_cross_entropy_is_built_on_logsumexp():
    """cross_entropy(logits, t) = logsumexp − logits[t]: finite for logits of ±1e4; its slope is softmax − onehot."""
    logits = [Value(1e4), Value(-1e4), Value(0.0)]
    loss = al.nn.cross_entropy(logits, 0)
    loss.backward()
    assert loss.data == 0.0 and [v.grad for v in logits] == [0.0, 0.0, 0.0]
    g = grad(lambda zs: al.nn.cross_entropy(zs, 2))([0.5, -0.5, 1.0])
    expected = [p - (i == 2) for i, p in enumerate(al.softmax([0.5, -0.5, 1.0]))]
    assert g == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match=r"cross_entropy: target must be a class index in 0\.\.2"):
        al.nn.cross_entropy(logits, 3)


def test_the_norm_and_cube_root_work_at_zero_and_for_any_sign():
    """hypot(0, 0) = 0 and cbrt(−8) = −2 as values; their infinite slopes raise only when used."""
    assert al.hypot(Value(0.0), Value(0.0)).data == 0.0 and al.cbrt(-8.0) == -2.0
    assert grad(al.cbrt)(-8.0) == pytest.approx(1 / 12, rel=1e-15)
    for build, point in ((lambda x: al.hypot(x, 0.0), 0.0), (al.cbrt, 0.0), (al.asin, 1.0), (al.acos, -1.0)):
        assert isinstance(build(Value(point)), Value)
        with pytest.raises(al.NonFiniteGradientError, match="infinite"):
            grad(build)(point)


# -- piecewise rows: conventions at the jumps, and comparisons that are recorded ---------------------


def test_maximum_and_minimum_split_the_gradient_at_a_tie():
    """maximum/minimum send the gradient to the chosen input, ½ each at a tie (as PyTorch, JAX, HIPS autograd)."""
    assert grad(al.maximum, argnums=(0, 1))(2.0, 1.0) == (1.0, 0.0)
    assert grad(al.maximum, argnums=(0, 1))(1.0, 1.0) == (0.5, 0.5)
    assert grad(al.minimum, argnums=(0, 1))(2.0, 1.0) == (0.0, 1.0)
    assert grad(lambda x: al.clamp(x, -1.0, 1.0))(0.3) == 1.0 and grad(lambda x: al.clamp(x, -1.0, 1.0))(3.0) == 0.0


def test_maximum_is_recorded_so_replay_follows_the_data():
    """Unlike the builtin max (guarded: replay refuses the other branch), maximum is one node: replay just follows."""
    a, b = Value(1.0), Value(2.0)
    tape = al.compile(al.maximum(a, b) * 3.0)
    b.data = 0.5
    assert tape.forward() == 3.0
    tape.backward()
    assert (a.grad, b.grad) == (3.0, 0.0)


def test_mod_floordiv_and_the_rounding_functions_on_values():
    """%, // and math.floor/ceil/trunc on Values are recorded rows, with the documented slopes."""
    a, b = Value(7.5), Value(-2.0)
    r = a % b
    assert r.data == 7.5 % -2.0 and r.op is PRIMITIVES["mod"]
    r.backward()
    assert (a.grad, b.grad) == (1.0, -math.floor(7.5 / -2.0))
    assert (a // b).data == 7.5 // -2.0 and (3.0 % Value(2.0)).data == 1.0
    x = Value(2.7)
    for f, name in ((math.floor, "floor"), (math.ceil, "ceil"), (math.trunc, "trunc")):
        y = f(x)
        assert isinstance(y, Value) and y.op is PRIMITIVES[name] and y.data == float(f(2.7))
    assert al.round_(Value(2.5)).data == 2.0 and round(x, 1) == 2.7  # round(v, n): a plain number, to print
    assert grad(lambda v: al.fmod(v, 2.0))(-3.5) == 1.0 and grad(al.copysign, argnums=1)(3.0, -1.0) == 0.0


def test_activations_in_nn():
    """silu, gelu (exact and tanh), elu, leaky_relu and log_sigmoid, as functions and as MLP activations."""
    assert al.gelu(1.0) == pytest.approx(0.8413447460685429, rel=1e-15)
    assert al.gelu(1.0, approximate="tanh") == pytest.approx(0.8411919906082768, rel=1e-12)
    assert al.leaky_relu(-2.0) == -0.02 and grad(lambda x: al.leaky_relu(x, 0.2))(0.0) == 0.2
    assert al.elu(-1.0) == pytest.approx(math.exp(-1) - 1) and al.log_sigmoid(-800.0) == -800.0
    for activation in ("silu", "gelu", "elu", "leaky_relu"):
        net = al.nn.MLP(2, [3, 1], activation=activation)
        net([0.5, -1.0]).backward()
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh'"):
        al.gelu(1.0, approximate="fast")


# -- rows from outside the library ----------------------------------------------------------------------


@al.primitive(derivs=lambda x, out: (1.0 - out * out,))
def my_tanh(x: float) -> float:
    return math.tanh(x)


@al.primitive(derivs=lambda a, b, out: (b, a))  # two inputs: one local derivative each
def my_mul(a: float, b: float) -> float:
    return a * b


@al.primitive(derivs=lambda x, out: (math.cos(x),))  # plain math: first order only
def my_sin(x: float) -> float:
    return math.sin(x)


def test_a_user_row_works_everywhere_a_builtin_row_does():
    """Values and numbers, one node, backward, grad to any order, jvp, replay, pictures and gradcheck."""
    assert my_tanh(0.5) == math.tanh(0.5) and my_mul(2.0, 3.0) == 6.0
    x, y = Value(0.5), Value(2.0)
    out = my_mul(my_tanh(x), y)
    assert out.op is my_mul.primitive and len(al.topological_order(out)) == 4
    out.backward()
    assert x.grad == pytest.approx(2.0 * (1 - math.tanh(0.5) ** 2)) and y.grad == math.tanh(0.5)
    second = grad(grad(my_tanh))(0.5)
    assert second == pytest.approx(-2 * math.tanh(0.5) * (1 - math.tanh(0.5) ** 2), rel=1e-12)
    assert al.jvp(my_tanh, (0.5,), (1.0,))[1] == pytest.approx(1 - math.tanh(0.5) ** 2)
    tape = al.compile(my_tanh(x) * 2.0)
    x.data = 0.1
    assert tape.forward() == pytest.approx(2 * math.tanh(0.1))
    assert "my_tanh" in al.viz.to_text(my_tanh(x))
    assert al.gradcheck(lambda a, b: my_mul(my_tanh(a), b), 0.3, -1.2, order=2)
    t = math.tanh(0.3)
    h = al.hessian(lambda a, b: my_mul(my_tanh(a), b), argnums=(0, 1))(0.3, -1.2)
    assert h[0] == pytest.approx([-1.2 * -2 * t * (1 - t * t), 1 - t * t], rel=1e-12)
    assert h[1] == pytest.approx([1 - t * t, 0.0], rel=1e-12)
    assert "my_tanh" in str(al.explain(my_tanh(Value(0.5))))
    copied = pickle.loads(pickle.dumps(my_mul(my_tanh(x), y)))
    assert copied.op is my_mul.primitive and copied.parents[0].op is my_tanh.primitive


def test_a_user_row_with_plain_math_derivatives_serves_first_order_only():
    """A derivative written with math.cos works once; a second derivative through it says why it cannot."""
    assert grad(my_sin)(1.0) == math.cos(1.0)
    with pytest.raises(TypeError, match=r"derivative rule of my_sin does not take Values.*autograd_lite.cos"):
        grad(grad(my_sin))(1.0)


def test_user_rows_check_what_they_are_given():
    """A wrong count of arguments or of derivatives, and a non-number result, are clear errors."""
    with pytest.raises(TypeError, match="my_mul: takes 2 argument"):
        my_mul(1.0)

    @al.primitive(derivs=lambda x, out: (1.0, 2.0))
    def bad_derivs(x):
        return x

    with pytest.raises(TypeError, match="bad_derivs: derivs must return 1 local derivative"):
        bad_derivs(Value(1.0))

    @al.primitive(derivs=lambda x, out: (0.0,))
    def bad_value(x):
        return "x"

    with pytest.raises(TypeError, match="bad_value: the function must return a real number"):
        bad_value(1.0)


def test_derivatives_at_extreme_inputs_are_finite_where_the_math_is():
    """Found by the fuzzer: no intermediate overflow turns a finite derivative into an 'infinite' one."""
    assert grad(al.atan)(1e300) == 0.0 and grad(grad(al.atan))(1e300) == 0.0
    assert grad(al.erf)(1e200) == 0.0 and grad(grad(al.erfc))(-1e200) == 0.0
    assert grad(al.gelu)(1e200) == 1.0 and grad(lambda x: al.gelu(x, approximate="tanh"))(-1e200) == 0.0
    assert grad(al.logaddexp, argnums=(0, 1))(1e308, -1e308) == (1.0, 0.0)
    assert grad(al.atan2, argnums=(0, 1))(1e300, 1e300) == pytest.approx((5e-301, -5e-301), rel=1e-12)


def test_polygamma_near_a_pole_overflows_with_its_name():
    """trigamma(2e-310) is too large for a float: an OverflowError naming trigamma, not a bare ZeroDivisionError."""
    with pytest.raises(OverflowError, match="trigamma: the result is too large for a float"):
        al.trigamma(2e-310)
    with pytest.raises(OverflowError, match="digamma: the result is too large"):
        al.digamma(-1e-310)

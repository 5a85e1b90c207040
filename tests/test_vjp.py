"""vjp: JAX's reverse mode, (f(*primals), vjp_fn) with vjp_fn(cotangent) a tuple of one cotangent per primal."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.functional import vjp
from autograd_lite.testing import expressions, points


def test_a_scalar_function_gives_the_gradient_times_the_cotangent():
    """vjp(x·y)(3, 4): the output 12, and vjp_fn(c) = (c·y, c·x)."""
    out, vjp_fn = vjp(lambda x, y: x * y, 3.0, 4.0)
    assert out == 12.0 and type(out) is float
    assert vjp_fn(1.0) == (4.0, 3.0)
    assert vjp_fn(2.0) == (8.0, 6.0)


def test_one_primal_still_gives_a_tuple():
    """As in JAX, vjp_fn returns a tuple even for one primal, its entry shaped like the primal."""
    out, vjp_fn = vjp(lambda xs: [xs[0] * xs[1], xs[0] + xs[1]], [2.0, 3.0])
    assert out == [6.0, 5.0]
    assert vjp_fn([1.0, 10.0]) == ([13.0, 12.0],)


def test_containers_keep_their_shapes():
    """A dict primal gets a dict cotangent; a tuple output takes a tuple cotangent."""
    out, vjp_fn = vjp(lambda p, s: (p["a"] * s, p["b"]), {"a": 2.0, "b": 5.0}, 3.0)
    assert out == (6.0, 5.0)
    assert vjp_fn((1.0, 2.0)) == ({"a": 3.0, "b": 2.0}, 2.0)


@given(expressions(max_steps=6), points(3), st.floats(-2.0, 2.0))
def test_vjp_is_the_gradient_scaled_by_the_cotangent(expr, xs, c):
    """For random expressions, vjp_fn(c) equals c times grad over every argument."""
    out, vjp_fn = vjp(expr, *xs)
    value, gradient = al.value_and_grad(expr, argnums=(0, 1, 2))(*xs)
    assert out == value
    assert vjp_fn(c) == pytest.approx(tuple(c * g for g in gradient), rel=1e-12, abs=1e-12)


def test_vjp_is_the_transposed_jacobian_times_the_cotangent():
    """For a vector function, vjp_fn(u) is Jᵀu, and vjp_fn is linear: vjp_fn(u) + vjp_fn(v) = vjp_fn(u + v)."""
    f = lambda xs: [xs[0] * xs[1], al.sin(xs[0]), xs[1] ** 2]
    x = [0.7, -1.3]
    J = al.jacobian(f)(x)
    _, vjp_fn = vjp(f, x)
    u, v = [1.0, -2.0, 0.5], [0.25, 3.0, -1.0]
    (got,) = vjp_fn(u)
    assert got == pytest.approx([sum(J[i][j] * u[i] for i in range(3)) for j in range(2)], rel=1e-12)
    (sum_uv,) = vjp_fn([a + b for a, b in zip(u, v)])
    assert sum_uv == pytest.approx([a + b for a, b in zip(got, vjp_fn(v)[0])], rel=1e-12)


def test_numpy_in_numpy_out():
    """An array primal and an array output: the output and the cotangent per primal are float64 arrays."""
    np = pytest.importorskip("numpy")
    x = np.array([1.0, 2.0, 3.0])
    out, vjp_fn = vjp(lambda x: x**2, x)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.tolist() == [1.0, 4.0, 9.0]
    (ct,) = vjp_fn(np.array([1.0, 0.0, 2.0]))
    assert isinstance(ct, np.ndarray) and ct.dtype == np.float64 and ct.tolist() == [2.0, 0.0, 12.0]
    assert vjp_fn([1.0, 1.0, 1.0])[0].tolist() == [2.0, 4.0, 6.0]  # a list stands for an array of its shape


def test_has_aux_returns_the_aux_third():
    """vjp(f, x, has_aux=True) is (out, vjp_fn, aux), the aux's Values as floats at the top level."""
    out, vjp_fn, aux = vjp(lambda x: (x**3, {"square": x * x}), 2.0, has_aux=True)
    assert (out, vjp_fn(1.0), aux) == (8.0, (12.0,), {"square": 4.0})


def test_keyword_arguments_reach_f_undifferentiated():
    """Keyword arguments go to f as they are; only the primals get cotangents."""
    out, vjp_fn = vjp(lambda x, scale=1.0: scale * x * x, 3.0, scale=2.0)
    assert out == 18.0 and vjp_fn(1.0) == (12.0,)


def test_vjp_nests_inside_grad():
    """d/dx of vjp(y³)(x)'s cotangent 3x² is 6x; and d/dc of vjp_fn(c) is f'(x)."""
    assert al.grad(lambda x: vjp(lambda y: y**3, x)[1](1.0)[0])(2.0) == 12.0
    _, vjp_fn = vjp(lambda y: y**3, 2.0)
    assert al.grad(lambda c: vjp_fn(c)[0])(1.0) == 12.0


def test_vjp_changes_no_grad():
    """vjp and vjp_fn leave the .grad of Values the function closes over as it was."""
    w = Value(3.0)
    _, vjp_fn = vjp(lambda x: x * w, 2.0)
    assert vjp_fn(1.0) == (3.0,) and w.grad == 0.0


def test_a_function_of_nothing_gives_zero_cotangents():
    """An output with no numbers ([]) takes the cotangent [] and gives zero for every primal."""
    out, vjp_fn = vjp(lambda x: [], 1.0)
    assert out == [] and vjp_fn([]) == (0.0,)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: vjp(lambda: 1.0), ValueError, r"^vjp: no primals, so there is nothing to differentiate"),
        (lambda: vjp(lambda x: [x, x], 1.0)[1](1.0), ValueError, r"^vjp: the cotangent has the shape \*, but the"),
        (lambda: vjp(lambda x: x, 1.0)[1]("1"), TypeError, r"^vjp: the cotangent must be a number, .* got str '1'"),
        (lambda: vjp(lambda x: x, 1.0)[1](math.nan), ValueError, r"^vjp: the cotangent"),
        (lambda: vjp(lambda x: x, [1.0, "a"]), TypeError, r"^vjp: argument 0\[1\] must be a number"),
        (lambda: vjp(lambda x: x, 1.0, has_aux=True), TypeError, r"^vjp: with has_aux=True the function must return"),
    ],
)
def test_errors_name_vjp_and_the_bad_value(call, error, words):
    """Bad primals, cotangents and aux results raise errors naming vjp and what they got."""
    with pytest.raises(error, match=words):
        call()

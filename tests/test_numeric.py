"""Numeric derivatives and gradcheck: the slope Δy/Δx, and agreement with exact slopes."""

import math

import pytest

import autograd_lite as al
from autograd_lite import GradcheckError, Value, gradcheck, numeric_grad


def test_slope_of_a_line_is_its_coefficient_everywhere():
    """The slope of 2x + 1 is 2 at every x."""
    for x in (-3.0, 0.0, 2.0, 1e6):
        assert numeric_grad(lambda v: 2 * v + 1, x) == pytest.approx(2.0, rel=1e-6)


def test_slope_of_x_squared():
    """The slope of x² is 2x: 4, 0 and −2 at 2, 0 and −1."""
    for x, slope in [(2.0, 4.0), (0.0, 0.0), (-1.0, -2.0)]:
        assert numeric_grad(lambda v: v * v, x) == pytest.approx(slope, abs=1e-6)


def test_one_slope_per_argument():
    """For several arguments numeric_grad returns a tuple with the partial slope for each."""
    slopes = numeric_grad(lambda x, y: x * y.exp(), 2.0, 0.0)
    assert type(slopes) is tuple and slopes == pytest.approx((1.0, 2.0), rel=1e-6)


@pytest.mark.parametrize(
    "args",
    [(1.5,), ([1.5, -0.5],), ((1.5, -0.5),), ({"a": 1.5, "b": [-0.5]},), (1.5, [-0.5, 2.0]), ([1.5], {"k": 0.5})],
    ids=["number", "list", "tuple", "dict", "number and list", "list and dict"],
)
def test_numeric_grad_has_the_shape_grad_has(args):
    """numeric_grad(f, *args) is shaped as grad(f, argnums=all)(*args): one argument unwrapped, several a tuple."""
    from autograd_lite import grad, tree_flatten

    def f(*trees):
        leaves = [x for tree in trees for x in tree_flatten(tree)[0]]
        return sum((x * x * (i + 1) for i, x in enumerate(leaves)), Value(0.0)).sin()

    argnums = 0 if len(args) == 1 else tuple(range(len(args)))
    exact, numeric = grad(f, argnums=argnums)(*args), numeric_grad(f, *args)
    exact_leaves, exact_shape = tree_flatten(exact)
    numeric_leaves, numeric_shape = tree_flatten(numeric)
    assert numeric_shape == exact_shape and type(numeric) is type(exact)
    assert numeric_leaves == pytest.approx(exact_leaves, rel=1e-6, abs=1e-8)


def test_numeric_grad_of_a_numpy_array_is_a_float_array():
    """A numpy array reaches f as an array of Values, and its slopes come back as a float64 array of its shape."""
    np = pytest.importorskip("numpy")
    slopes = numeric_grad(lambda x: (x**2).sum(), np.array([[1.0, -2.0], [0.5, 3.0]]))
    assert isinstance(slopes, np.ndarray) and slopes.dtype == np.float64 and slopes.shape == (2, 2)
    assert slopes.reshape(-1).tolist() == pytest.approx([2.0, -4.0, 1.0, 6.0], rel=1e-6)


def test_numeric_grad_rejects_bad_eps_and_bad_results():
    """eps must be positive; f must return a Value or a number, and take at least one argument."""
    with pytest.raises(ValueError, match="eps"):
        numeric_grad(lambda x: x, 1.0, eps=0.0)
    with pytest.raises(TypeError, match="list"):
        numeric_grad(lambda x: [x], 1.0)
    with pytest.raises(ValueError, match=r"^numeric_grad: no arguments, so there is nothing to differentiate"):
        numeric_grad(lambda: 1.0)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: al.numeric_grad(lambda x: x * x, 1e300), OverflowError, r"mul: the result is too large"),
        (lambda: al.numeric_grad(lambda x: x * x, 1.0, eps=1e-20), ValueError, "x ± step rounds to x"),
        (lambda: al.numeric_grad(lambda x: x * x, 1.0, eps=math.nan), ValueError, "eps must be a finite number"),
        (lambda: al.gradcheck(lambda x: x * x, 1.0, atol=-1.0), ValueError, "atol must be a finite number >= 0"),
        (lambda: al.gradcheck(lambda x: x * x, 1.0, rtol=math.nan), ValueError, "rtol must be a finite number"),
        (lambda: al.numeric_grad(lambda x: x.log(), 5e-7), ValueError, "step .* leaves the function's domain"),
        (lambda: al.gradcheck(lambda x: x.sqrt(), 5e-7), ValueError, "x0 = 5e-07.*smaller eps"),
    ],
)
def test_numeric_checks_explain_bad_steps_and_settings(call, error, words):
    """numeric_grad and gradcheck refuse settings and steps that would give a meaningless slope."""
    with pytest.raises(error, match=words):
        call()


def test_gradcheck_passes_for_correct_gradients():
    """gradcheck returns True when exact and numeric slopes agree, at first and second order."""
    f = lambda x, y: (x * y).tanh() + y.log() * x**2
    assert gradcheck(f, 0.3, 1.7) is True
    assert gradcheck(f, 0.3, 1.7, order=2) is True


def test_gradcheck_reports_a_table_when_slopes_disagree():
    """A function whose exact slope is wrong fails with a per-argument table."""

    def wrong(x, y):
        # y·(x.detach() + x) equals 2xy, but detach() hides half of x: exact slope y, true slope 2y
        return y * (x.detach() + x)

    with pytest.raises(GradcheckError) as failure:
        gradcheck(wrong, 1.0, 3.0)
    text = str(failure.value)
    assert isinstance(failure.value, ValueError)
    assert "exact" in text and "numeric" in text and "error" in text
    assert "x0" in text and "mismatch" in text
    first_row = next(line for line in text.splitlines() if line.strip().startswith("x0"))
    assert "3" in first_row and "6" in first_row and "mismatch" in first_row
    x1_row = next(line for line in text.splitlines() if line.strip().startswith("x1"))
    assert "mismatch" not in x1_row


def test_gradcheck_adapts_its_step_to_the_functions_scale():
    """sin at 1e10: eps·|x| = 1e4 is far too coarse; a smaller step agrees with the exact slope."""
    assert al.gradcheck(lambda x: x.sin(), 1e10)
    assert al.gradcheck(lambda x: (x * 1e-8).sin() * x, 3e9)


def test_gradcheck_with_a_smaller_step_still_reports_a_wrong_slope():
    """relu's slope 0 at its kink, where the central difference is 0.5, is a mismatch whatever step gradcheck tries."""
    with pytest.raises(al.GradcheckError, match="mismatch"):
        al.gradcheck(lambda x: x.relu(), 0.0)


def test_gradcheck_of_a_constant_function():
    """A function that ignores its input has slope 0, exact and numeric."""
    assert gradcheck(lambda x: 5.0, 1.0)


def test_gradcheck_order_must_be_1_or_2():
    """Other orders are refused with the value named."""
    with pytest.raises(ValueError, match="order must be 1 or 2, got 3"):
        gradcheck(lambda x: x, 1.0, order=3)


def test_numeric_slopes_approach_the_exact_one_as_the_step_shrinks():
    """Δy/Δx for x² at 1: 2.1 for Δx = 0.1, then closer and closer to the exact 2."""
    x = Value(1.0)
    (x * x).backward()
    errors = []
    for dx in (0.1, 0.01, 0.001):
        slope = ((1.0 + dx) ** 2 - 1.0) / dx
        errors.append(abs(slope - x.grad))
    assert errors[0] == pytest.approx(0.1)
    assert errors[0] > errors[1] > errors[2]
    assert math.isclose(x.grad, 2.0)

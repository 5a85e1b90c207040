"""gradcheck's default tolerance: relative to the derivatives compared, so a wrong one is caught at any scale."""

import math

import pytest

import autograd_lite as al
from autograd_lite import GradcheckError, Value


def scaled_square(c, wrong_by=1.0):
    """c·x² as one row whose derivative is `wrong_by` times the true 2c·x."""

    @al.primitive(derivs=lambda x, out: (wrong_by * 2.0 * c * x,))
    def square(x):
        return c * x * x

    return square


def test_a_doubled_slope_of_a_function_near_1e_8_is_caught():
    """f(x) = 1e-8·x² with derivative 4e-8·x fails at x = 1, the row marked; the true derivative passes."""
    with pytest.raises(GradcheckError) as failure:
        al.gradcheck(scaled_square(1e-8, wrong_by=2.0), 1.0)
    row = next(line for line in str(failure.value).splitlines() if line.strip().startswith("x0"))
    assert "4e-08" in row and "2e-08" in row and row.endswith("<-- mismatch")
    assert al.gradcheck(scaled_square(1e-8), 1.0)


@pytest.mark.parametrize("c", [1e-290, 1e-12, 1e-8, 1e-4, 1.0, 1e8, 1e12])
@pytest.mark.parametrize("x", [0.3, -1.7, 1e3])
@pytest.mark.parametrize("wrong_by", [2.0, 1.01])
def test_a_wrong_slope_is_caught_at_every_scale(c, x, wrong_by):
    """c·x² with its slope 2 or 1.01 times too large fails, from c = 1e-290 to 1e12; the right slope passes."""
    with pytest.raises(GradcheckError, match="mismatch"):
        al.gradcheck(scaled_square(c, wrong_by), x)
    assert al.gradcheck(scaled_square(c), x)


def test_a_small_slope_next_to_a_large_one_is_judged_on_its_own_scale():
    """In 100·x² + 1e-6·y² a doubled y slope (4e-6 for 2e-6) is caught; an absolute 1e-5 lets it through."""
    y_term = scaled_square(1e-6, wrong_by=2.0)
    f = lambda x, y: 100.0 * x * x + y_term(y)
    with pytest.raises(GradcheckError) as failure:
        al.gradcheck(f, 1.0, 1.0)
    rows = {line.split()[0]: line for line in str(failure.value).splitlines()[2:]}
    assert rows["x1"].endswith("<-- mismatch") and "mismatch" not in rows["x0"]
    assert al.gradcheck(f, 1.0, 1.0, atol=1e-5)  # the old absolute tolerance, given explicitly


def test_a_wrong_second_derivative_of_a_function_near_1e_8_is_caught():
    """1e-8·x³ whose derivative is right in value but has a detached factor: order 2 finds H = 4.5e-8, not 9e-8."""

    def constant(v):
        return v.detach() if isinstance(v, Value) else v

    @al.primitive(derivs=lambda x, out: (3e-8 * x * constant(x),))
    def cube(x):
        return 1e-8 * x**3

    assert al.gradcheck(cube, 1.5)
    with pytest.raises(GradcheckError, match=r"H\[0\]\[0\] .*<-- mismatch"):
        al.gradcheck(cube, 1.5, order=2)


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (lambda x: x.sin() ** 2 + x.cos() ** 2, 1.0),  # derivative 0, values rounded near 1
        (lambda x: (x + 1.0) - x, 1.0),
        (lambda x: x**3, 0.0),  # the central difference is h², exactly 0 only in the limit
        (lambda x: x**4, 0.0),  # the Hessian's difference is 4h²
        (lambda x: 1e-8 * x.sin() * x, 0.7),
        (lambda x: 1e8 * (x * x).exp(), 0.5),
    ],
    ids=["sin2-cos2", "cancel", "cube-at-0", "quartic-at-0", "small", "large"],
)
def test_correct_functions_pass_at_first_and_second_order(f, x):
    """Derivatives that are 0 up to rounding or truncation, and functions of size 1e-8 or 1e8, pass at both orders."""
    assert al.gradcheck(f, x) and al.gradcheck(f, x, order=2)


def test_derivatives_in_the_subnormal_range_are_not_blamed():
    """x / y at x = -5e-324 has a y slope of 4e-324 that no central difference can see: that is not a mismatch."""
    assert al.gradcheck(lambda x, y: x / y, -5e-324, 1.1)
    assert math.ulp(0.0) == 5e-324


def test_an_explicit_atol_is_absolute():
    """With atol given, it is used as it is: atol=1e-5 cannot tell 2e-8 from 4e-8, atol=0 can."""
    wrong = scaled_square(1e-8, wrong_by=2.0)
    assert al.gradcheck(wrong, 1.0, atol=1e-5)
    with pytest.raises(GradcheckError, match="mismatch"):
        al.gradcheck(wrong, 1.0, atol=0.0)

"""Derivatives stay right at the ends of the float range, where a formula's intermediate steps overflow or underflow."""

import math
from fractions import Fraction

import pytest

import autograd_lite as al


def test_log10_slope_near_the_largest_float():
    """d/dx log10 x at 1.7e308 is 1/(x ln 10) ≈ 2.55e-309, not 0 (x·ln 10 would overflow)."""
    x = 1.7e308
    assert al.grad(al.log10)(x) == pytest.approx(1 / x / math.log(10), rel=1e-12)
    assert al.grad(al.log10)(2.0) == pytest.approx(1 / (2.0 * math.log(10)), rel=1e-15)


@pytest.mark.parametrize(
    ("a", "b"),
    [(-1e-310, 1e300), (1e-310, -1e300), (-7.0, 3.0), (7.5, -2.0), (5e-324, 1.0)],
)
def test_the_slope_of_mod_in_its_divisor_is_the_quotient_used(a, b):
    """d/db (a % b) = −(a // b), even where a/b underflows (−1e-310 % 1e300 = 1e300, quotient −1)."""
    assert al.grad(lambda d: a % d)(b) == -(a // b)
    assert al.grad(lambda d: al.fmod(a, d))(b) == -float(math.trunc(Fraction(a) / Fraction(b)))

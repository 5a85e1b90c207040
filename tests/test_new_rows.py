"""The rows JAX and HIPS autograd users reach for: logit, sinc, degrees, xlogy, erfinv, mod; softmax to the bit."""

import math

import pytest
import scipy.special as sp
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import Value


@given(st.floats(-0.999999, 0.999999))
def test_erfinv_agrees_with_scipy_to_a_few_ulp(y):
    """erfinv against scipy.special.erfinv: within 4e-15 relative over (−1, 1)."""
    assert al.erfinv(y) == pytest.approx(sp.erfinv(y), rel=4e-15, abs=1e-300)


def test_erfinv_inverts_erf_near_the_ends():
    """erf(erfinv(y)) == y far into the tails, where 1 − y is tiny."""
    for y in (1 - 1e-15, -(1 - 1e-12), 1e-300, 0.5):
        assert al.erfinv(y) == pytest.approx(sp.erfinv(y), rel=4e-15)
    with pytest.raises(ValueError, match="erfinv: needs -1 < y < 1"):
        al.erfinv(1.0)


def test_xlogy_follows_the_zero_times_log_zero_convention():
    """xlogy(0, y) = 0 for every y ≥ 0, its gradient there is (log y, 0); y ≤ 0 elsewhere is an error."""
    assert al.xlogy(0.0, 0.0) == 0.0 and al.xlog1py(0.0, -1.0) == 0.0
    assert al.grad(al.xlogy, argnums=(0, 1))(0.0, 2.0) == (math.log(2.0), 0.0)
    with pytest.raises(ValueError, match="xlogy: needs y > 0 where x != 0"):
        al.xlogy(1.0, 0.0)
    x = Value(0.0)
    al.xlogy(x, 0.0).backward(0.0)  # an infinite derivative, but no gradient flows: nothing to raise
    with pytest.raises(al.NonFiniteGradientError, match="xlogy"):
        al.xlogy(x, 0.0).backward()
    assert al.xlogy(2.0, 3.0) == pytest.approx(sp.xlogy(2.0, 3.0), rel=1e-15)
    assert al.xlog1py(2.0, 1e-10) == pytest.approx(sp.xlog1py(2.0, 1e-10), rel=1e-15)


def test_sinc_is_smooth_through_zero_to_any_order():
    """sinc(0) = 1, sinc′(0) = 0, sinc″(0) = −π²/3, sinc⁗(0) = π⁴/5, matching the series."""
    d = al.sinc
    derivatives = [d]
    for _ in range(4):
        derivatives.append(al.grad(derivatives[-1]))
    values = [f(0.0) for f in derivatives]
    assert values == pytest.approx([1.0, 0.0, -math.pi**2 / 3, 0.0, math.pi**4 / 5], rel=1e-12, abs=1e-12)
    for x in (0.2, 0.3, -0.26, 1.5):  # both sides of where the series hands over
        assert al.grad(al.sinc)(x) == pytest.approx(
            (math.pi * x * math.cos(math.pi * x) - math.sin(math.pi * x)) / (math.pi * x * x), rel=1e-12
        )


def test_logit_inverts_sigmoid_and_degrees_convert():
    """logit(sigmoid(x)) = x; deg2rad and rad2deg are math.radians and math.degrees."""
    assert al.logit(al.sigmoid(0.7)) == pytest.approx(0.7, rel=1e-15)
    assert al.deg2rad(180.0) == math.pi and al.rad2deg(math.pi) == 180.0
    assert al.mod(-7.0, 3.0) == -7.0 % 3.0 and (Value(-7.0) % 3.0).data == al.mod(-7.0, 3.0)


@pytest.mark.parametrize("big", [1000.0, -1000.0, 1e6, 123.456])
def test_softmax_weights_are_exact_at_large_logits(big):
    """The gradient of logsumexp and softmax at equal large logits is 0.5 to the last bit."""
    assert al.grad(al.logsumexp)([big, big]) == [0.5, 0.5]
    assert al.softmax([big, big]) == [0.5, 0.5]
    assert al.log_softmax([big, big]) == [-math.log(2.0)] * 2
    weights = [w.data for w in al.softmax([Value(big), Value(big + 1.0)])]
    assert weights == pytest.approx([1 / (1 + math.e), math.e / (1 + math.e)], rel=1e-15)


def test_sum_dot_and_softmax_take_any_iterable():
    """sum_(x for x in …), dot of two generators and softmax of a tuple, as the README writes them."""
    w = Value(2.0)
    total = al.sum_(w * k for k in range(4))
    total.backward()
    assert total.data == 12.0 and w.grad == 6.0
    assert al.dot((x for x in [1.0, 2.0]), iter([3.0, 4.0])) == 11.0
    assert al.softmax(iter([0.0, 0.0])) == [0.5, 0.5]
    with pytest.raises(TypeError, match="sum_: expected numbers or Values"):
        al.sum_("12")
    with pytest.raises(TypeError, match="dot: expected numbers or Values"):
        al.dot(3.0, [1.0])

"""Values and Python's numbers: what Value(x) and .data = x accept and keep, why float(v) raises, how v < n compares."""

import math

import pytest

import autograd_lite as al
from autograd_lite import Value


@pytest.mark.parametrize("bad", ["2", 1j, math.inf, math.nan, None])
def test_assigning_data_checks_the_number(bad):
    """Value.data = complex, str, inf or nan raises; the Value keeps its number."""
    v = Value(1.0)
    with pytest.raises((TypeError, ValueError), match=r"Value\.data"):
        v.data = bad
    assert v.data == 1.0


def test_assigned_numpy_floats_become_python_floats():
    """A numpy float32 assigned to .data (or given to Value) becomes a Python float, so arithmetic stays float64."""
    numpy = pytest.importorskip("numpy")
    v = Value(numpy.float32(0.1))
    assert type(v.data) is float
    v.data = numpy.float32(0.25)
    assert type(v.data) is float and v.data == 0.25
    assert Value(numpy.bool_(True)).data == 1.0 and Value(True).data == 1.0


@pytest.mark.parametrize(
    "convert",
    [float, int, math.sin, lambda v: math.fsum([v]), lambda v: [1, 2][v], complex],
)
def test_converting_a_value_to_a_plain_number_raises(convert):
    """float(v), int(v), math.sin(v), indexing with v: a TypeError saying the derivative would be lost."""
    with pytest.raises(TypeError, match=r"would lose its derivative: use v.item\(\)"):
        convert(Value(1.0))


def test_grad_through_a_plain_number_raises_instead_of_a_wrong_slope():
    """grad of x · math.sin(x) or float(x) · 2 raises rather than give 0.841 for 1.382, or 0; al.sin keeps the slope."""
    with pytest.raises(TypeError, match=r"autograd_lite\.sin"):
        al.grad(lambda x: x * math.sin(x))(1.0)
    with pytest.raises(TypeError, match="derivative"):
        al.grad(lambda x: float(x) * 2)(1.0)
    assert al.grad(lambda x: x * al.sin(x))(1.0) == pytest.approx(math.sin(1.0) + math.cos(1.0))


def test_comparisons_with_huge_ints_are_exact():
    """Value(2.0) < 10**400 compares like Python's float < int: exactly, without an overflow."""
    assert Value(2.0) < 10**400 and not Value(2.0) > 10**400

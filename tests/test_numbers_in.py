"""Every number that enters is checked where it enters, and a bad one is refused naming the call."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import Value


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: al.sin(10**400), "sin: the int"),
        (lambda: al.exp(10**400), "exp: the int"),
        (lambda: al.maximum(10**400, 1.0), "maximum: the int"),
        (lambda: al.sum_([1.0, 10**400]), "sum: the int"),
        (lambda: al.dot([1.0, 2.0], [10**400, 1.0]), "dot: the int"),
        (lambda: al.sin(Fraction(10**400)), "sin: the Fraction"),
        (lambda: Value(2.0) * 10**400, "mul: the int"),
    ],
)
def test_a_huge_int_names_the_function(call, words):
    """Plain-number calls with an int too large for a float raise OverflowError naming the function."""
    with pytest.raises(OverflowError, match=words):
        call()


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: Value(np.array([1.0, 2.0])), "Value"),
        (lambda: Value(3.0).backward(np.array([1.0, 2.0])), r"backward\(gradient\)"),
        (lambda: setattr(Value(3.0), "data", np.array([1.0, 2.0])), "Value.data"),
    ],
)
def test_an_array_is_not_one_number(call, where):
    """An array of several numbers where a Value's one number goes: a TypeError saying a Value holds one number."""
    with pytest.raises(TypeError, match=f"{where}: a Value holds one number, got an array of shape \\(2,\\)"):
        call()


def test_an_array_of_one_number_is_that_number():
    """np.array([2.5]) and a 0-d array are the number they hold."""
    assert Value(np.array([2.5])).data == 2.5 and Value(np.array(1.5)).data == 1.5


@pytest.mark.parametrize("exponent", [[1, 2], {1: 2}, "2", Decimal("0.375"), None])
def test_a_foreign_exponent_gets_pythons_own_error(exponent):
    """Value ** list (or dict, str, Decimal, None) says "unsupported operand type(s)", as Value * dict does."""
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\* or pow\(\)"):
        Value(2.0) ** exponent
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*"):
        Value(2.0) * {}


def test_the_same_input_gives_the_same_outcome_whatever_ran_before():
    """Value ** Decimal raises in a fresh start and after x ** 0.375 ran: no cache answers before the type check."""
    with pytest.raises(TypeError):
        Value(4.0) ** Decimal("0.375")
    assert (Value(4.0) ** 0.375).data == 4.0**0.375
    with pytest.raises(TypeError):
        Value(4.0) ** Decimal("0.375")


def test_a_value_to_a_numpy_array_is_elementwise():
    """Value ** ndarray works as Value * ndarray does: an object array of Values."""
    powers = Value(2.0) ** np.array([1.0, 3.0])
    products = Value(2.0) * np.array([1.0, 3.0])
    assert [p.data for p in powers] == [2.0, 8.0] and [p.data for p in products] == [2.0, 6.0]

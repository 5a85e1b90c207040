"""Rows made with @al.primitive are checked where their numbers enter, like the table's own."""

import math

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import Value


def _row(derivative):
    @al.primitive(derivs=lambda x, out: (derivative,))
    def scaled(x):
        return 2.0 * x

    return scaled


@pytest.mark.parametrize(
    ("derivative", "error", "words"),
    [
        (2 + 0j, TypeError, r"scaled: derivs returned \(2\+0j\) \(complex\) as the derivative for input 0 at \(1.5\)"),
        ("0.5", TypeError, r"scaled: derivs returned '0.5' \(str\)"),
        (None, TypeError, r"scaled: derivs returned None"),
        (math.nan, ValueError, r"scaled: derivs returned nan as the derivative for input 0 at \(1.5\)"),
        (np.float64("nan"), ValueError, "scaled: derivs returned nan"),
    ],
)
def test_a_bad_derivative_names_the_row_and_the_inputs(derivative, error, words):
    """A complex, string, None or nan derivative raises where it enters, naming the row and the point."""
    with pytest.raises(error, match=words):
        al.grad(_row(derivative))(1.5)
    x = Value(1.5)
    with pytest.raises(error, match=words):
        _row(derivative)(x)


@pytest.mark.parametrize("scalar", [np.float32(0.1), np.float16(0.5), np.int64(3)])
def test_numpy_derivatives_become_python_floats(scalar):
    """A numpy scalar derivative is taken as the number it is, as a Python float: no float32 spreads into .grad."""
    x = Value(1.5)
    y = _row(scalar)(x) * 3.0
    y.backward()
    assert type(x.grad) is float and x.grad == 3.0 * float(scalar)


def test_an_infinite_derivative_is_an_error_only_when_a_gradient_flows_in():
    """A row may say its derivative is infinite there: backward raises naming it, a zero gradient passes."""
    x = Value(0.0)
    y = _row(math.inf)(x)
    with pytest.raises(al.NonFiniteGradientError, match="scaled"):
        y.backward()
    (y * 0.0).backward()
    assert x.grad == 0.0


def test_a_bad_value_names_the_row():
    """A user's function that returns a complex number or a string is refused naming the row."""

    @al.primitive(derivs=lambda x, out: (1.0,))
    def bad(x):
        return 1j * x

    with pytest.raises(TypeError, match="bad: the function must return a real number"):
        bad(Value(1.0))

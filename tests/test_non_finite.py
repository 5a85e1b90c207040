"""Non-finite numbers: inf and nan are refused where they enter; a gradient that would be one raises where it starts.

An infinite local derivative (√x at 0) is kept in its node: it is an error
only where a non-zero gradient or tangent meets it.
"""

import math

import pytest

import autograd_lite as al
from autograd_lite import Value


@pytest.mark.parametrize(
    "compute",
    [
        lambda inf: Value(2.0) + inf,
        lambda inf: inf * Value(2.0),
        lambda inf: Value(2.0) ** inf,
        lambda inf: inf ** Value(2.0),
        lambda inf: al.sum_([Value(1.0), inf]),
        lambda inf: al.dot([Value(1.0)], [inf]),
        lambda inf: Value(1.0) / inf,  # finite result, still refused: the operand is not a real number
    ],
)
@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_non_finite_plain_operands_are_refused(compute, bad):
    """An infinite or nan plain number is refused wherever numbers enter, as Value(inf) is."""
    with pytest.raises(ValueError, match="expected a finite number"):
        compute(bad)


@pytest.mark.parametrize(
    ("start", "build", "gradient", "words"),
    [
        (0.0, lambda x: x.relu() * 1e300 * 1e300, 1.0, r"mul\(0.0, 1e\+300\).*overflows a float"),
        (1.0, lambda x: (x * 1e-320).log(), 1.0, r"log\(1e-320\)"),
        (1e10, lambda x: x * x, 1e300, r"mul\(10000000000.0, 10000000000.0\)"),
    ],
)
def test_a_non_finite_gradient_raises_where_it_starts(start, build, gradient, words):
    """A gradient that would become inf or nan raises NonFiniteGradientError naming the node, and changes no .grad."""
    x = Value(start)
    y = build(x)
    x.grad = 0.5
    with pytest.raises(al.NonFiniteGradientError, match=words):
        y.backward(gradient)
    assert x.grad == 0.5 and all(n.grad == 0.0 for n in al.topological_order(y) if not n.is_leaf)


def test_non_finite_gradients_are_floating_point_errors():
    """NonFiniteGradientError is a FloatingPointError (an ArithmeticError), so builtin handlers catch it."""
    assert issubclass(al.NonFiniteGradientError, FloatingPointError)


def test_grad_and_tape_backward_check_gradients_too():
    """grad(...) and Tape.backward raise the same error as backward() for a gradient that overflows."""
    with pytest.raises(al.NonFiniteGradientError, match=r"mul\("):
        al.grad(lambda x: x.relu() * 1e300 * 1e300)(0.0)
    x = Value(1.0)
    tape = al.compile(x * x)
    with pytest.raises(al.NonFiniteGradientError, match=r"Tape\.backward"):
        tape.backward(1e308)
    assert x.grad == 0.0


def test_seeds_and_tangents_must_be_finite_numbers():
    """backward(gradient), Tape.backward(gradient) and jvp tangents refuse inf, nan and non-numbers."""
    x = Value(1.0)
    y = x * 2
    for bad in (math.inf, math.nan):
        with pytest.raises(ValueError, match="finite"):
            y.backward(bad)
        with pytest.raises(ValueError, match="finite"):
            al.compile(y).backward(bad)
        with pytest.raises(ValueError, match="jvp: tangent 0"):
            al.jvp(lambda v: v * 2, (1.0,), (bad,))
    with pytest.raises(TypeError, match=r"Tape\.backward: gradient must be a number, got str"):
        al.compile(y).backward("a")


def test_the_norm_at_the_origin_has_a_value_and_its_gradient_is_an_error():
    """sqrt(x² + y²) at the origin is 0.0; only backward (or grad) complains, naming sqrt and the point."""
    x, y = Value(0.0), Value(0.0)
    norm = (x * x + y * y).sqrt()
    assert norm.data == 0.0
    with pytest.raises(al.NonFiniteGradientError, match=r"sqrt\(0.0\)"):
        norm.backward()
    with pytest.raises(al.NonFiniteGradientError, match=r"pow_const\(0.0\)"):
        al.grad(lambda v: v**0.5)(0.0)
    assert (Value(0.0) ** 0.5).data == 0.0


def test_a_zero_gradient_through_an_infinite_derivative_adds_nothing():
    """relu kills the gradient before sqrt's infinite slope: the result is exact, not nan."""
    x = Value(0.0)
    y = x.sqrt().relu() * 0.0 + x * 3.0
    y.backward()
    assert x.grad == 3.0
    assert al.grad(lambda v: (v.sqrt() * 0.0) + v)(0.0) == 1.0


def test_forward_mode_raises_where_a_tangent_meets_an_infinite_derivative():
    """Forward mode pushes a non-zero tangent into √x at 0 before any later zero could cancel it: an error."""
    with pytest.raises(al.NonFiniteGradientError, match=r"push_forward: .*sqrt\(0.0\)"):
        al.jvp(lambda v: v.sqrt() * 0.0 + v, (0.0,), (1.0,))


def test_an_infinite_derivative_cannot_be_differentiated_again():
    """The second derivative through √x at 0 raises, naming sqrt, rather than a silent number."""
    with pytest.raises(al.NonFiniteGradientError, match="sqrt"):
        al.grad(al.grad(lambda v: v.sqrt()))(0.0)

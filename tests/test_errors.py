"""Bad input raises the builtin exception that fits, naming the operation and the value."""

import math

import pytest

import autograd_lite as al
from autograd_lite import Value


def graph_size(v):
    return len(al.topological_order(v))


@pytest.mark.parametrize(
    ("compute", "error", "words"),
    [
        (lambda x: x / 0, ZeroDivisionError, r"div: division by zero \(2.0 / 0.0\)"),
        (lambda x: 1 / (x - 2), ZeroDivisionError, "div: division by zero"),
        (lambda x: (x - 3).log(), ValueError, r"log: needs x > 0, got x=-1.0"),
        (lambda x: (x - 2).log(), ValueError, r"log: needs x > 0, got x=0.0"),
        (lambda x: (-x).sqrt(), ValueError, r"sqrt: needs x >= 0, got x=-2.0"),
        (lambda x: (-x) ** 0.5, ValueError, r"pow: negative base -2.0 with fractional exponent 0.5"),
        (lambda x: (x - 2) ** -1, ZeroDivisionError, r"pow: 0.0 cannot be raised to the negative power -1.0"),
        (lambda x: (-x) ** Value(2.0), ValueError, r"pow: a Value exponent needs a positive base.*-2.0"),
        (lambda x: (x * 400).exp(), OverflowError, r"exp: result too large for a float at x=800.0"),
        (lambda x: x ** 2000, OverflowError, r"pow: 2.0 \*\* 2000.0 is too large"),
        (lambda x: x * 1e308, OverflowError, r"mul: the result is too large for a float \(inf\) at \(2.0, 1e\+308\)"),
        (lambda x: 1 / (x * 1e-310), OverflowError, r"div: the result is too large for a float"),
        (lambda x: x + float("inf"), ValueError, r"add: expected a finite number, got inf"),
        (lambda x: x ** float("inf"), ValueError, r"pow: expected a finite number, got inf"),
        (lambda x: float("nan") - x, ValueError, r"sub: expected a finite number, got nan"),
    ],
)
def test_bad_input_names_the_operation_and_value(compute, error, words):
    """Each domain error is the right builtin type with a message naming op and value."""
    x = Value(2.0)
    with pytest.raises(error, match=words):
        compute(x)
    assert x.grad == 0.0 and x.is_leaf


def test_a_failed_operation_leaves_the_graph_as_it_was():
    """An error inside an expression adds no node to the graph that existed before it."""
    x = Value(1.0)
    y = x * 3
    size = graph_size(y)
    with pytest.raises(ValueError):
        y + (y - 10).log()
    assert graph_size(y) == size
    y.backward()
    assert x.grad == 3.0


def test_module_functions_check_plain_numbers_too():
    """al.log(-1) raises the same clear error as Value(-1).log()."""
    with pytest.raises(ValueError, match="log: needs x > 0"):
        al.log(-1.0)
    with pytest.raises(TypeError, match="exp: expected a Value or a real number, got str"):
        al.exp("1")


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: al.jvp(lambda x: x, 3.0, 1.0), TypeError, r"jvp: primals must be a tuple or list"),
        (lambda: al.grad(lambda x: x, argnums=1.0)(1.0), TypeError, r"grad: argnums must be an int"),
        (lambda: al.Adam([Value(1.0)], betas=(0.9,)), ValueError, r"Adam: betas must be a pair"),
        (lambda: al.nn.MLP(2, 1), TypeError, r"MLP: nouts must be a list of layer sizes"),
        (lambda: al.compile(Value(1.0) * 2).backward("a"), TypeError, r"Tape.backward: gradient must be a number"),
        (lambda: al.nn.mse(Value(1.0), 2.0), TypeError, r"mse: predictions must be a list"),
        (lambda: al.viz.to_dot(3.0), TypeError, r"to_dot: expected the Value"),
        (lambda: al.viz.to_text(3.0), TypeError, r"to_text: expected the Value"),
        (lambda: al.viz.draw(3.0, "g.svg"), TypeError, r"draw: expected the Value"),
        (lambda: al.viz.to_dot(Value(1.0), names={Value(1.0): 42}), TypeError, r"to_dot: names must map Values"),
        (lambda: al.hessian(lambda x: x[0] * x[0])([1.0, "2"]), TypeError, r"hessian: argument 0\[1\] must be a"),
        (lambda: al.hessian(lambda x: x)(), IndexError, r"^hessian: argnums 0 is out of range for a call with 0 "),
        (lambda: al.jacobian(lambda x: x)(), IndexError, r"^jacobian: argnums 0 is out of range for a call with 0 "),
        (lambda: al.jacobian(lambda x: x, argnums=None)(), ValueError, r"^jacobian: .*nothing to differentiate"),
        (lambda: al.hessian(lambda x: [x, x])(1.0), TypeError, r"^hessian: the function must return a scalar"),
        (lambda: al.softplus(math.inf), ValueError, r"^softplus: expected a finite number"),
        (lambda: (Value(1e308) * 10.0).softplus(), OverflowError, r"^mul: the result is too large"),  # not sigmoid
        (lambda: Value(10**400), OverflowError, r"^Value: the int \(\d+ bits\) is too large for a float"),
    ],
)
def test_errors_name_the_autograd_lite_function(call, error, words):
    """A bad argument to a function of the package raises an error that names the function and what it expected."""
    with pytest.raises(error, match=words):
        call()


def test_sqrt_of_zero_has_a_value_and_fails_only_when_a_gradient_flows_in():
    """sqrt(0) is 0; its infinite derivative is an error in backward, and only for a non-zero gradient."""
    x = Value(0.0)
    y = x.sqrt()
    assert y.data == 0.0 and y.local_grads == (math.inf,)
    with pytest.raises(al.NonFiniteGradientError, match=r"sqrt\(0.0\): its derivative .* is infinite"):
        y.backward()
    assert x.grad == 0.0
    (y * 0.0).backward()  # a zero gradient through an infinite derivative adds nothing
    assert x.grad == 0.0


def test_bad_seed_gradient():
    """backward(gradient) must be a real number."""
    with pytest.raises(TypeError, match="backward"):
        Value(1.0).backward("one")


def test_no_silent_nan_from_huge_inputs():
    """Stable primitives never turn a finite input into nan."""
    for x in (1e308, -1e308):
        for name in ("sigmoid", "tanh", "softplus", "relu"):
            assert not math.isnan(getattr(Value(x), name)().data)


def test_an_overflow_never_becomes_an_infinity():
    """A result too large for a float raises OverflowError at the operation, instead of carrying inf onwards."""
    for compute in (
        lambda: Value(1e200) * Value(1e200),
        lambda: (Value(1e300) * 1e10).log(),
        lambda: al.sum_([Value(1e308), 1e308]),
        lambda: al.dot([1e308, 1e308], [Value(1.0), Value(1.0)]),
        lambda: Value(1e308) - Value(-1e308),
    ):
        with pytest.raises(OverflowError, match="the result is too large for a float"):
            compute()

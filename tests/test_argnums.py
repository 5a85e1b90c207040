"""argnums: negative positions, positions listed twice, and positions out of range."""

import pytest

import autograd_lite as al
from autograd_lite import Value


def product(a, b):
    return a * b


def test_a_position_listed_twice_gets_its_gradient_twice():
    """grad(a·b, argnums=(0, 0)) at (2, 3) is (3, 3), as in JAX, not (0, 3)."""
    assert al.grad(product, argnums=(0, 0))(2.0, 3.0) == (3.0, 3.0)
    assert al.value_and_grad(product, argnums=(0, 0))(2.0, 3.0) == (6.0, (3.0, 3.0))


def test_a_negative_position_is_the_same_argument_as_its_positive_one():
    """(0, -2) names argument 0 twice for a call with two arguments; (-1, 1) names argument 1 twice."""
    assert al.grad(product, argnums=(0, -2))(2.0, 3.0) == (3.0, 3.0)
    assert al.grad(product, argnums=(-1, 1))(2.0, 3.0) == (2.0, 2.0)
    assert al.grad(product, argnums=(-1, 0))(2.0, 3.0) == (2.0, 3.0)


def test_jacobian_and_hessian_repeat_the_columns_of_a_repeated_argument():
    """jacobian(a·b, (0, 0)) is [[3, 3]]; hessian(a²·b, (0, 0)) is 2b in all four places."""
    assert al.jacobian(product, argnums=(0, 0))(2.0, 3.0) == [[3.0, 3.0]]
    assert al.jacobian(product, argnums=(0, -2))(2.0, 3.0) == [[3.0, 3.0]]
    assert al.hessian(lambda a, b: a * a * b, argnums=(0, 0))(2.0, 3.0) == [[6.0, 6.0], [6.0, 6.0]]
    assert al.hessian(product, argnums=(0, 0))(2.0, 3.0) == [[0.0, 0.0], [0.0, 0.0]]


def test_a_repeat_among_others_keeps_the_argnums_order():
    """argnums (1, 0, 1): the columns and the Hessian's rows follow that order, every entry from the full Hessian."""
    f = lambda a, b: a * a * b + b * b * b
    full = al.hessian(f, argnums=(0, 1))(2.0, 3.0)  # [[2b, 2a], [2a, 6b]]
    order = (1, 0, 1)
    assert al.hessian(f, argnums=order)(2.0, 3.0) == [[full[i][j] for j in order] for i in order]
    assert al.jacobian(lambda a, b: [a * b, a + b], argnums=order)(2.0, 3.0) == [[2.0, 3.0, 2.0], [1.0, 1.0, 1.0]]


def test_repeated_container_arguments_get_separate_equal_gradients():
    """A list argument asked for twice gets two equal gradients that are different lists."""
    f = lambda xs, c: c * xs[0] * xs[1]
    first, second = al.grad(f, argnums=(0, 0))([2.0, 5.0], 3.0)
    assert first == second == [15.0, 6.0]
    first[0] = 0.0
    assert second == [15.0, 6.0]


def test_a_repeated_argument_reaches_f_once_and_nests():
    """f is called once with one Value per number, and a repeated argnums inside grad stays differentiable."""
    seen = []

    def f(a, b):
        seen.append((type(a), type(b)))
        return a * b

    al.grad(f, argnums=(0, 0, 1))(2.0, 3.0)
    assert seen == [(Value, Value)]
    # d/dx of ∂(a·b·x)/∂a = b·x at b = 3 is 3, through the second copy of the gradient.
    assert al.grad(lambda x: al.grad(lambda a, b: a * b * x, argnums=(0, 0))(2.0, 3.0)[1])(1.0) == 3.0


@pytest.mark.parametrize("name", ["grad", "value_and_grad", "jacobian", "hessian"])
@pytest.mark.parametrize("argnums", [2, -3, (0, 2), (0, -3)])
def test_a_position_out_of_range_names_the_function_and_the_position(name, argnums):
    """Every function that takes argnums refuses a position past either end of the call, naming itself."""
    bad = argnums if isinstance(argnums, int) else argnums[1]
    function = getattr(al, name)(product, argnums=argnums)
    with pytest.raises(IndexError, match=rf"^{name}: argnums {bad} is out of range for a call with 2 positional"):
        function(2.0, 3.0)

"""has_aux=True: f returns (output, aux); only the output is differentiated, the aux comes back beside it (JAX)."""

import collections

import pytest

import autograd_lite as al
from autograd_lite import Value

Stats = collections.namedtuple("Stats", ["mean", "label"])


def loss_with_aux(w):
    """w⁴, with its parts as aux: the square as a Value, a label, and a namedtuple."""
    square = w * w
    return square * square, {"square": square, "label": "quartic", "stats": Stats(square / 2, "half")}


def test_grad_returns_the_gradient_and_the_aux():
    """grad(f, has_aux=True)(2) is (4w³, aux) = (32, aux), the aux's Values as floats, other items unchanged."""
    g, aux = al.grad(loss_with_aux, has_aux=True)(2.0)
    assert g == 32.0
    assert aux == {"square": 4.0, "label": "quartic", "stats": Stats(2.0, "half")}
    assert type(aux["square"]) is float and type(aux["stats"]) is Stats


def test_value_and_grad_returns_value_and_aux_together():
    """value_and_grad(f, has_aux=True) gives ((value, aux), gradient), JAX's order."""
    (value, aux), g = al.value_and_grad(loss_with_aux, has_aux=True)(2.0)
    assert (value, aux["square"], g) == (16.0, 4.0, 32.0)


def test_has_aux_works_with_argnums():
    """With a tuple of argnums the gradient is a tuple; the aux is still the second item of the result."""
    f = lambda x, y: (x * y, [x + y])
    assert al.grad(f, argnums=(0, 1), has_aux=True)(2.0, 3.0) == ((3.0, 2.0), [5.0])
    assert al.value_and_grad(f, argnums=1, has_aux=True)(2.0, 3.0) == ((6.0, [5.0]), 2.0)


def test_jacobian_and_hessian_return_the_matrix_and_the_aux():
    """jacobian(has_aux) is (J, aux) and hessian(has_aux) is (H, aux), the aux's Values as floats."""
    f = lambda xs: ([xs[0] * xs[1], xs[0]], xs[0] + xs[1])
    J, aux = al.jacobian(f, has_aux=True)([2.0, 3.0])
    assert (J, aux) == ([[3.0, 2.0], [1.0, 0.0]], 5.0) and type(aux) is float
    H, aux = al.hessian(lambda xs: (xs[0] ** 2 * xs[1], ("xs", xs[1] * 10)), has_aux=True)([1.0, 2.0])
    assert (H, aux) == ([[4.0, 2.0], [2.0, 0.0]], ("xs", 20.0))


def test_aux_without_values_is_the_same_object():
    """An aux that holds no Value comes back as the very object f returned."""
    marker, record = object(), {"a": [1, "b"], "c": None}
    assert al.grad(lambda x: (x * 2.0, marker), has_aux=True)(1.0)[1] is marker
    assert al.grad(lambda x: (x * 2.0, record), has_aux=True)(1.0)[1] is record


def test_aux_arrays_of_values_become_float_arrays():
    """An object array of Values in the aux comes back as a float64 array; a numeric array is left as it is."""
    np = pytest.importorskip("numpy")
    numbers = np.array([1.0, 2.0])
    g, (squares, kept) = al.grad(lambda x: ((x**2).sum(), (x**2, numbers)), has_aux=True)(np.array([1.0, 3.0]))
    assert g.tolist() == [2.0, 6.0]
    assert squares.dtype == np.float64 and squares.tolist() == [1.0, 9.0]
    assert kept is numbers


def test_inside_another_derivative_the_aux_keeps_its_values():
    """Nested, the aux is Values the outer grad differentiates: d/dx of the aux x³ is 3x²."""
    inner = lambda y: (y * y, y**3)
    seen = []

    def outer(x):
        g, aux = al.grad(inner, has_aux=True)(x)
        seen.append(aux)
        return aux + g

    assert al.grad(outer)(2.0) == 3 * 2.0**2 + 2.0
    assert isinstance(seen[0], Value)


def test_a_self_containing_aux_does_not_recurse_forever():
    """An aux list that holds itself comes back without a RecursionError, its Value as a float."""

    def f(x):
        aux = [x * 3.0]
        aux.append(aux)
        return x * x, aux

    g, aux = al.grad(f, has_aux=True)(2.0)
    assert g == 4.0 and aux[0] == 6.0


@pytest.mark.parametrize("name", ["grad", "value_and_grad", "jacobian", "hessian"])
@pytest.mark.parametrize("result", [1.0, (1.0,), (1.0, 2.0, 3.0)], ids=["number", "one", "three"])
def test_has_aux_needs_a_pair(name, result):
    """With has_aux=True a result that is not a pair is a TypeError naming the function and what came back."""
    f = getattr(al, name)(lambda x: result, has_aux=True)
    with pytest.raises(TypeError, match=rf"^{name}: with has_aux=True the function must return a pair \(output, aux\)"):
        f(1.0)


def test_without_has_aux_a_pair_is_not_a_scalar():
    """has_aux is off by default: a function returning (loss, aux) to grad is the usual scalar error."""
    with pytest.raises(TypeError, match=r"^grad: the function must return a scalar Value or number, got tuple"):
        al.grad(lambda x: (x * x, "aux"))(1.0)

"""numpy in, numpy out: an array argument reaches f as an array of Values, and its derivatives come back as arrays."""

import math
import subprocess
import sys

import pytest

import autograd_lite as al
from autograd_lite import Value

np = pytest.importorskip("numpy")


def float_array(result, shape):
    """Assert that `result` is a float64 numpy array of `shape`, and return it."""
    assert isinstance(result, np.ndarray), type(result)
    assert result.dtype == np.float64 and result.shape == shape, (result.dtype, result.shape)
    return result


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_f_receives_an_object_array_of_values_of_the_same_shape(shape):
    """An array of any shape, 0-d included, reaches f as an object array of that shape holding a fresh Value each."""
    seen = []

    def f(x):
        seen.append(x)
        return np.sum(x * x)  # for a 0-d array, x * x is numpy's scalar: the Value itself

    x = np.arange(1.0, 1.0 + math.prod(shape)).reshape(shape)
    g = al.grad(f)(x)
    (received,) = seen
    assert isinstance(received, np.ndarray) and received.shape == shape and received.dtype == object
    assert all(isinstance(v, Value) for v in received.reshape(-1))
    assert [v.data for v in received.reshape(-1)] == x.reshape(-1).tolist()
    assert float_array(g, shape).tolist() == (2 * x).tolist()


def test_numpy_functions_work_on_the_array_f_receives():
    """x.sum(), np.sum, np.dot, w @ x, np.exp and np.tanh all work inside f, and give the closed-form gradients."""
    x = np.array([0.5, -1.0, 2.0])
    w = np.array([1.0, 2.0, 3.0])
    assert float_array(al.grad(lambda x: (x**2).sum())(x), (3,)).tolist() == [1.0, -2.0, 4.0]
    assert float_array(al.grad(lambda x: np.sum(x**3))(x), (3,)).tolist() == [0.75, 3.0, 12.0]
    assert float_array(al.grad(lambda x: np.dot(w, x))(x), (3,)).tolist() == [1.0, 2.0, 3.0]
    assert float_array(al.grad(lambda x: w @ x)(x), (3,)).tolist() == [1.0, 2.0, 3.0]
    assert al.grad(lambda x: np.exp(x).sum())(x) == pytest.approx(np.exp(x), rel=1e-15)
    assert al.grad(lambda x: np.tanh(x).sum())(x) == pytest.approx(1 - np.tanh(x) ** 2, rel=1e-12)


def test_value_and_grad_gives_a_float_value_and_array_gradients():
    """value_and_grad of w·x over two arrays: a float, and a tuple of two float64 arrays (each the other vector)."""
    w, x = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    value, (gw, gx) = al.value_and_grad(lambda w, x: np.dot(w, x), argnums=(0, 1))(w, x)
    assert type(value) is float and value == 11.0
    assert float_array(gw, (2,)).tolist() == [3.0, 4.0] and float_array(gx, (2,)).tolist() == [1.0, 2.0]


def test_integer_arrays_give_float_gradients():
    """An int array is differentiated as the numbers it holds; the gradient is float64."""
    assert float_array(al.grad(lambda x: (x * x).sum())(np.array([1, 2])), (2,)).tolist() == [2.0, 4.0]


def test_an_array_inside_a_container_keeps_the_container_and_the_array():
    """A dict holding an array and a float: the gradient is a dict holding a float64 array and a float."""
    g = al.grad(lambda p: (p["w"] * p["b"]).sum())({"w": np.array([1.0, 2.0]), "b": 3.0})
    assert list(g) == ["w", "b"] and float_array(g["w"], (2,)).tolist() == [3.0, 3.0] and g["b"] == 3.0


def test_lists_and_tuples_stay_what_they_are():
    """With numpy loaded, a list still gets a list, a tuple a tuple, and f sees lists and tuples."""
    seen = []

    def f(xs, ys):
        seen.append((type(xs), type(ys)))
        return xs[0] * ys[1]

    gx, gy = al.grad(f, argnums=(0, 1))([2.0, 3.0], (4.0, 5.0))
    assert (gx, gy) == ([5.0, 0.0], (0.0, 2.0)) and seen == [(list, tuple)]
    assert al.hessian(lambda xs: xs[0] * xs[0] * xs[1])([1.0, 2.0]) == [[4.0, 2.0], [2.0, 0.0]]


def test_the_jacobian_of_an_array_function_is_a_2d_float_array():
    """jacobian of the elementwise tanh of a (3,) array is a 3×3 diagonal float64 array."""
    x = np.array([0.1, 0.2, 0.3])
    J = float_array(al.jacobian(np.tanh)(x), (3, 3))
    assert np.diag(J) == pytest.approx(1 - np.tanh(x) ** 2, rel=1e-12)
    assert J[0, 1] == J[1, 0] == J[2, 0] == 0.0


def test_the_jacobian_is_outputs_by_inputs():
    """A (2,) output of a (2, 2) input: 2 rows, 4 columns in row-major order; a scalar output gives one row."""
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    J = float_array(al.jacobian(lambda x: x.sum(axis=1) * x[0, 0])(x), (2, 4))
    # rows: x00·(x00 + x01) and x00·(x10 + x11)
    assert J.tolist() == [[4.0, 1.0, 0.0, 0.0], [7.0, 0.0, 1.0, 1.0]]
    assert float_array(al.jacobian(lambda x: x.sum())(x), (1, 4)).tolist() == [[1.0, 1.0, 1.0, 1.0]]


def test_an_array_output_of_a_list_input_makes_the_jacobian_an_array():
    """The matrix is an array when the output is one, even for a list argument; lists in and out give lists."""
    J = float_array(al.jacobian(lambda xs: np.array([xs[0] * xs[1], xs[0]], dtype=object))([2.0, 3.0]), (2, 2))
    assert J.tolist() == [[3.0, 2.0], [1.0, 0.0]]
    assert al.jacobian(lambda xs: [xs[0] * xs[1], xs[0]])([2.0, 3.0]) == [[3.0, 2.0], [1.0, 0.0]]


def test_the_hessian_of_a_vector_argument_is_n_by_n():
    """hessian of x0·(x·x) over a (2,) array is the 2×2 float64 array [[6x0, 2x1], [2x1, 2x0]]."""
    x = np.array([1.0, 2.0])
    H = float_array(al.hessian(lambda x: np.dot(x, x) * x[0])(x), (2, 2))
    assert H.tolist() == [[6.0, 4.0], [4.0, 2.0]]
    assert H.tolist() == al.jacobian(al.grad(lambda x: np.dot(x, x) * x[0]))(x).tolist()


def test_the_hessian_of_a_matrix_argument_counts_its_numbers_row_major():
    """hessian over a (2, 2) array is 4×4, the numbers in row-major order: Σ x³ has 6x on the diagonal."""
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    H = float_array(al.hessian(lambda x: (x**3).sum())(x), (4, 4))
    assert H.tolist() == np.diag([6.0, 12.0, 18.0, 24.0]).tolist()


def test_jvp_answers_array_outputs_with_arrays_and_takes_list_tangents():
    """jvp of 2x along t gives arrays (2x, 2t); a list may stand for an array tangent of the same shape."""
    x = np.array([1.0, 2.0, 3.0])
    values, tangents = al.jvp(lambda x: x * 2.0, (x,), (np.array([1.0, 0.0, -1.0]),))
    assert float_array(values, (3,)).tolist() == [2.0, 4.0, 6.0]
    assert float_array(tangents, (3,)).tolist() == [2.0, 0.0, -2.0]
    assert al.jvp(lambda x: x * 2.0, (x,), ([1.0, 0.0, -1.0],))[1].tolist() == [2.0, 0.0, -2.0]
    assert al.jvp(lambda x: x.sum(), (x,), (x,)) == (6.0, 6.0)
    with pytest.raises(ValueError, match=r"^jvp: tangent 0 has the shape \[\*, \*\], but its primal has array\("):
        al.jvp(lambda x: x.sum(), (x,), ([1.0, 0.0],))


def test_hvp_of_an_array_is_an_array_of_its_shape():
    """hvp(Σx³, (x,), (v,)) for a (2, 2) array is the float64 array 6x·v, of x's shape; lists give lists."""
    x, v = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.5, -1.0]])
    product = float_array(al.hvp(lambda x: (x**3).sum(), (x,), (v,)), (2, 2))
    assert product.tolist() == [[6.0, 0.0], [9.0, -24.0]]
    assert al.hvp(lambda xs: xs[0] ** 3, ([1.0, 2.0],), ([1.0, 0.0],)) == [6.0, 0.0]


def test_hessian_vector_product_gives_scipy_a_flat_array():
    """hessian_vector_product(f)(x, p) for arrays x and p is a float64 array of p's length; lists give a list."""
    f = lambda x: (x[0] ** 2) * x[1]
    assert float_array(al.hessian_vector_product(f)(np.array([1.0, 2.0]), np.array([1.0, 0.0])), (2,)).tolist() == [
        4.0,
        2.0,
    ]
    assert al.hessian_vector_product(f)([1.0, 2.0], [1.0, 0.0]) == [4.0, 2.0]


@pytest.mark.parametrize(
    ("output", "value", "gradient"),
    [
        (lambda x: np.asarray(x[0] * x[1]), 6.0, [3.0, 2.0]),  # a 0-d object array holding a Value
        (lambda x: np.sum(x * x, keepdims=True).reshape(()), 13.0, [4.0, 6.0]),  # the same, from a reduction
        (lambda x: np.sum(x * x), 13.0, [4.0, 6.0]),  # np.sum of an object array: the Value itself
    ],
    ids=["asarray", "reshape", "sum"],
)
def test_a_scalar_output_may_be_a_0d_array(output, value, gradient):
    """f may return its one number as a 0-d array of a Value: value_and_grad reads it."""
    result, g = al.value_and_grad(output)(np.array([2.0, 3.0]))
    assert type(result) is float and (result, float_array(g, (2,)).tolist()) == (value, gradient)


def test_a_numpy_scalar_output_is_a_constant():
    """f returning np.float32 or np.float64 (no Value in it) has value that number and gradient 0."""
    x = np.array([2.0, 3.0])
    assert al.value_and_grad(lambda x: np.float32(1.5))(x)[0] == 1.5
    assert float_array(al.grad(lambda x: np.float64(1.5))(x), (2,)).tolist() == [0.0, 0.0]
    assert al.grad(lambda t: np.float64(1.5) * t)(2.0) == 1.5


def test_an_array_of_several_numbers_is_not_a_scalar_output():
    """grad of f returning an array of shape (1,) is a TypeError naming grad and the shape, pointing to jacobian."""
    with pytest.raises(TypeError, match=r"^grad: the function must return a scalar .* array of shape \(1,\).*jacobian"):
        al.grad(lambda x: x * 2.0)(np.array([1.0]))


def test_a_bad_item_in_an_object_array_names_its_place():
    """An object array holding a string or a list is a TypeError naming the argument and the index."""
    with pytest.raises(TypeError, match=r"^grad: argument 0\[1\] must be a number, got str 'a'"):
        al.grad(lambda x: 0.0)(np.array([1.0, "a"], dtype=object))
    bad = np.empty((1, 2), dtype=object)
    bad[0, 0], bad[0, 1] = 1.0, [2.0]
    with pytest.raises(TypeError, match=r"^grad: argument 0\[0\]\[1\] must be a number, got list"):
        al.grad(lambda x: 0.0)(bad)


def test_an_empty_array_gets_an_empty_gradient():
    """An array of shape (0,) gives a float64 gradient of shape (0,), and a (1, 0) Jacobian."""
    assert float_array(al.grad(lambda x: x.sum() + 1.0)(np.zeros(0)), (0,)).size == 0
    float_array(al.jacobian(lambda x: x.sum() + 1.0)(np.zeros(0)), (1, 0))


def test_nested_derivatives_pass_arrays_of_values_inward():
    """Inside grad, an inner grad of an array gets and returns object arrays of Values: d/dx Σ 3x² is 6x."""
    x = np.array([1.0, 2.0])
    inner = []

    def outer(x):
        g = al.grad(lambda y: (y**3).sum())(x)
        inner.append(g)
        return g.sum()

    assert float_array(al.grad(outer)(x), (2,)).tolist() == [6.0, 12.0]
    assert inner[0].dtype == object and all(isinstance(v, Value) for v in inner[0])
    assert al.grad(lambda x: al.grad(lambda y: (y * x).sum())(x).sum())(x).tolist() == [1.0, 1.0]


def test_the_tree_functions_keep_arrays():
    """tree_flatten reads an array row-major; tree_unflatten builds float64 from numbers, dtype object from Values."""
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    leaves, shape = al.tree_flatten({"x": x})
    assert leaves == [1.0, 2.0, 3.0, 4.0] and repr(shape) == "{'x': array(shape=(2, 2))}"
    assert float_array(al.tree_unflatten(shape, [10.0, 20.0, 30.0, 40.0])["x"], (2, 2))[1, 0] == 30.0
    values = al.tree_unflatten(shape, [Value(1.0)] * 4)["x"]
    assert values.dtype == object and values.shape == (2, 2) and isinstance(values[1, 1], Value)
    assert float_array(al.tree_map(lambda v: 2 * v, x), (2, 2)).tolist() == [[2.0, 4.0], [6.0, 8.0]]


def test_gradcheck_labels_array_numbers_by_index():
    """gradcheck gives f arrays and names a wrong slope by its index in the array."""
    assert al.gradcheck(lambda x: (x**3).sum() * x[1, 0], np.array([[0.5, 1.0], [1.5, 2.0]]), order=2)
    with pytest.raises(al.GradcheckError, match=r"x0\[1\]\[0\] .*mismatch"):
        al.gradcheck(lambda x: (x[1, 0] + x[1, 0].detach()) * 1.0, np.array([[0.5, 1.0], [1.5, 2.0]]))


def test_the_package_does_not_import_numpy():
    """Importing autograd_lite and differentiating lists and dicts leaves numpy unloaded."""
    code = (
        "import sys, autograd_lite as al; "
        "al.hessian(lambda xs: xs[0] * xs[1])([1.0, 2.0]); al.grad(lambda p: p['a'] ** 2)({'a': 1.0}); "
        "print('numpy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "False", result.stderr


def test_an_array_subclass_is_read_as_the_array_it_is():
    """np.matrix, which stays 2-d when reshaped, is read number by number; its gradient is a plain float64 array."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        m = np.matrix([[1.0, 2.0], [3.0, 4.0]])
    g = float_array(al.grad(lambda x: x[0, 0] * x[1, 1])(m), (2, 2))
    assert type(g) is np.ndarray and g.tolist() == [[4.0, 0.0], [0.0, 1.0]]

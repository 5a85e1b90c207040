"""Functions of many numbers: containers of arguments, keyword arguments, numpy arrays and scipy.optimize."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import Value

# -- lists, dicts and keyword arguments --------------------------------------------------------------


def test_a_list_argument_gets_a_list_gradient():
    """grad(sum of squares)([1, 2]) is [2, 4]."""
    assert al.grad(lambda xs: sum(x * x for x in xs))([1.0, 2.0]) == [2.0, 4.0]


def test_a_dict_argument_gets_a_dict_gradient():
    """grad(p['a']·p['b']) at {'a': 1, 'b': 2} is {'a': 2, 'b': 1}, keys in the same order."""
    g = al.grad(lambda p: p["a"] * p["b"])({"a": 1.0, "b": 2.0})
    assert g == {"a": 2.0, "b": 1.0} and list(g) == ["a", "b"]


def test_keyword_arguments_reach_f_and_are_not_differentiated():
    """Keyword arguments pass through unchanged; with no positional argument there is nothing to differentiate."""
    seen = {}

    def f(x, scale=1.0, *, name):
        seen["scale"], seen["name"] = scale, name
        return scale * x * x

    assert al.grad(f)(3.0, scale=2.0, name="a") == 12.0
    assert seen == {"scale": 2.0, "name": "a"} and type(seen["scale"]) is float
    assert al.value_and_grad(f)(1.0, name="b") == (1.0, 2.0)
    assert al.jacobian(f)(1.0, name="c") == [[2.0]]
    assert al.hessian(f)(1.0, scale=3.0, name="d") == [[6.0]]
    assert al.jvp(f, (1.0,), (1.0,), name="e") == (1.0, 2.0)
    with pytest.raises(IndexError, match="keyword arguments are passed to f unchanged, never differentiated"):
        al.grad(lambda x: x * x)(x=3.0)


# -- shapes --------------------------------------------------------------------------------------------


def test_tuples_stay_tuples_and_nesting_is_kept():
    """A gradient has exactly the container shape of its argument."""
    f = lambda p: p["w"][0] * p["w"][1] + p["b"][0] * 3.0
    g = al.grad(f)({"w": [2.0, 5.0], "b": (1.0,)})
    assert g == {"w": [5.0, 2.0], "b": (3.0,)} and type(g["b"]) is tuple


def test_argnums_picks_arguments_and_keeps_each_shape():
    """With a tuple of argnums, one gradient per chosen argument, each shaped like it."""
    f = lambda xs, y, z: (xs[0] + xs[1]) * y * z
    gx, gz = al.grad(f, argnums=(0, 2))([1.0, 2.0], 3.0, 4.0)
    assert gx == [12.0, 12.0] and gz == 9.0


def test_numpy_arrays_reach_f_as_arrays():
    """A 1-D numpy array argument reaches f as an object array of Values, and its gradient is a float64 array."""
    np = pytest.importorskip("numpy")
    seen = []

    def f(xs):
        seen.append((type(xs), xs.dtype))
        return xs[0] * xs[1]

    g = al.grad(f)(np.array([3.0, 4.0]))
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.tolist() == [4.0, 3.0]
    assert seen == [(np.ndarray, object)]
    assert al.grad(lambda x: x * x)(np.float32(3.0)) == 6.0


def test_the_jacobian_has_a_row_per_output_number_and_a_column_per_input_number():
    """Rows follow the output's leaf order, columns the arguments' leaf order, across arguments."""
    f = lambda p, s: {"a": [p[0] * s, p[1]], "b": s * s}
    assert al.jacobian(f, argnums=(0, 1))([2.0, 3.0], 5.0) == [[5.0, 0.0, 2.0], [0.0, 1.0, 0.0], [0.0, 0.0, 10.0]]


def test_the_hessian_over_a_list_of_n_is_n_by_n():
    """hessian over a list of 3 numbers is a 3×3 list of lists, equal to jacobian(grad)."""
    f = lambda xs: xs[0] * xs[1] * xs[2] + xs[0] ** 3
    h = al.hessian(f)([1.0, 2.0, 3.0])
    assert h == [[6.0, 3.0, 2.0], [3.0, 0.0, 1.0], [2.0, 1.0, 0.0]]
    assert h == al.jacobian(al.grad(f))([1.0, 2.0, 3.0])


def test_jvp_and_hvp_take_containers():
    """Tangents and vectors have the primals' shapes; results have the output's shape."""
    value, tangent = al.jvp(lambda p: [p["x"] * p["y"], p["x"]], ({"x": 2.0, "y": 3.0},), ({"x": 1.0, "y": 0.0},))
    assert (value, tangent) == ([6.0, 2.0], [3.0, 1.0])
    assert al.hvp(lambda xs: xs[0] * xs[0] * xs[1], ([1.0, 2.0],), ([1.0, 0.0],)) == [4.0, 2.0]
    with pytest.raises(ValueError, match=r"jvp: tangent 0 has the shape \[\*\], but its primal has \[\*, \*\]"):
        al.jvp(lambda xs: xs[0], ([1.0, 2.0],), ([1.0],))


def test_numeric_grad_and_gradcheck_take_containers():
    """numeric_grad answers in each argument's shape; gradcheck names leaves by their path."""
    f = lambda p, c: p["w"][0] * p["w"][1] * c
    (slopes, c_slope) = al.numeric_grad(f, {"w": [2.0, 3.0]}, 4.0)
    assert slopes["w"] == [pytest.approx(12.0), pytest.approx(8.0)] and c_slope == pytest.approx(6.0)
    assert al.gradcheck(f, {"w": [2.0, 3.0]}, 4.0)
    with pytest.raises(al.GradcheckError, match=r"x0\['w'\]\[0\]"):
        al.gradcheck(lambda p: p["w"][0].relu(), {"w": [0.0]})


@pytest.mark.parametrize(
    ("argument", "path"),
    [
        ({"layers": [1.0, 2.0, "x"]}, r"grad: argument 0\['layers'\]\[2\] must be a number, got str"),
        ([1.0, None], r"grad: argument 0\[1\] must be a number, got NoneType"),
        ((1.0, [object()]), r"grad: argument 0\[1\]\[0\] must be a number, got object"),
        ("abc", r"grad: argument 0 must be a number, or a list, tuple or dict of numbers, got str"),
    ],
)
def test_a_container_holding_a_non_number_names_the_path(argument, path):
    """The TypeError says where inside the argument the bad item is."""
    with pytest.raises(TypeError, match=path):
        al.grad(lambda x: 0.0)(argument)


# -- nesting, and no perturbation confusion ----------------------------------------------------------


def test_every_number_gets_a_fresh_node():
    """d/dx [x · d/dy (x + y)] = 1 with containers too: the inner derivative never sees the outer x."""
    outer = al.grad(lambda xs: xs[0] * al.grad(lambda ys: xs[0] + ys[0])([1.0])[0])([2.0])
    assert outer == [1.0]


def test_one_value_twice_in_a_container_is_two_inputs():
    """Inside another derivative, the same Value at two places of a container gets two gradients."""
    d = al.grad(lambda x: al.grad(lambda pair: pair[0] * 3.0 + pair[1] * 5.0)([x, x])[1] * x)(2.0)
    assert d == 5.0


nested = st.recursive(
    st.floats(-2.0, 2.0),
    lambda inner: st.lists(inner, min_size=1, max_size=3)
    | st.tuples(inner, inner)
    | st.dictionaries(st.sampled_from("abc"), inner, min_size=1, max_size=3),
    max_leaves=6,
)


def smooth(tree):
    """A smooth function of every number in `tree`, coupling neighbours."""
    leaves, _ = al.tree_flatten(tree)
    total = 0.0
    for i, x in enumerate(leaves):
        total = total + al.sin(x) * (x + 0.5 * leaves[i - 1])
    return total


@given(nested)
def test_grad_of_a_random_container_matches_numeric_slopes(tree):
    """For random nested containers, grad equals numeric_grad number by number and keeps the structure."""
    exact = al.grad(smooth)(tree)
    numeric = al.numeric_grad(smooth, tree)
    exact_leaves, exact_shape = al.tree_flatten(exact)
    numeric_leaves, numeric_shape = al.tree_flatten(numeric)
    assert exact_shape == al.tree_flatten(tree)[1] == numeric_shape
    assert exact_leaves == pytest.approx(numeric_leaves, rel=1e-5, abs=1e-6)


@given(nested)
def test_hessian_of_a_container_is_the_jacobian_of_the_gradient(tree):
    """hessian(f)(tree) equals jacobian(grad(f))(tree) and is symmetric."""
    h = al.hessian(smooth)(tree)
    assert h == al.jacobian(al.grad(smooth))(tree)
    assert [x for row in h for x in row] == pytest.approx([x for col in zip(*h) for x in col])


@given(nested, st.data())
def test_jvp_over_containers_is_the_gradient_dotted_with_the_tangent(tree, data):
    """jvp(f, (tree,), (t,)) equals grad(f)(tree) · t, leaf by leaf."""
    leaves, shape = al.tree_flatten(tree)
    t = [data.draw(st.floats(-1.0, 1.0)) for _ in leaves]
    _, directional = al.jvp(smooth, (tree,), (al.tree_unflatten(shape, t),))
    gradient, _ = al.tree_flatten(al.grad(smooth)(tree))
    assert directional == pytest.approx(math.fsum(g * ti for g, ti in zip(gradient, t)), rel=1e-9, abs=1e-12)


def test_tree_round_trip():
    """tree_unflatten(tree_flatten(t)) is t, for nested lists, tuples and dicts."""
    tree = {"a": [1.0, (2.0, 3.0)], "b": {"c": 4.0}, "d": ()}
    leaves, shape = al.tree_flatten(tree)
    assert leaves == [1.0, 2.0, 3.0, 4.0] and al.tree_unflatten(shape, leaves) == tree
    with pytest.raises(ValueError, match="holds 4 leaves, got 3"):
        al.tree_unflatten(shape, [1.0, 2.0, 3.0])


# -- numpy arrays wherever a sequence of numbers is taken ----------------------------------------------


def test_sequences_of_numbers_may_be_numpy_arrays():
    """sum_, dot, the losses and every nn call take numpy arrays as they take lists."""
    np = pytest.importorskip("numpy")
    w = [Value(1.0), Value(2.0)]
    assert al.dot(np.array([1.0, 2.0]), w).data == 5.0
    assert al.sum_(np.array([1.0, 2.0, 3.5])) == 6.5 and al.sum_([Value(1.0), *np.array([2.0, 3.5])]).data == 6.5
    assert al.nn.mse(np.array([1.0, 2.0]), np.array([1.5, 2.0])).data == 0.125
    assert al.nn.hinge(np.array([0.5]), np.array([1])).data == 0.5
    assert al.nn.binary_cross_entropy_with_logits(np.array([0.0]), np.array([1])).data == pytest.approx(math.log(2.0))
    assert al.nn.binary_cross_entropy(np.array([0.5]), np.array([1])).data == pytest.approx(math.log(2.0))
    net = al.nn.MLP(2, [3, 1], seed=1)
    x = np.array([0.5, -1.0])
    assert net(x).data == net([0.5, -1.0]).data
    assert [v.data for v in net.layers[0](x)] == [v.data for v in net.layers[0]([0.5, -1.0])]
    assert net.layers[0].neurons[0](x).data == net.layers[0].neurons[0]([0.5, -1.0]).data


# -- scipy.optimize, with exact derivatives ------------------------------------------------------------


def rosenbrock(x):
    return sum(100.0 * (x[i + 1] - x[i] * x[i]) ** 2 + (1.0 - x[i]) ** 2 for i in range(len(x) - 1))


@pytest.mark.parametrize("n", [2, 5])
def test_scipy_bfgs_and_trust_ncg_reach_the_minimum_with_fewer_evaluations(n):
    """BFGS with jac=True and trust-ncg with hessp reach (1, …, 1) in fewer evaluations than finite differences."""
    optimize = pytest.importorskip("scipy.optimize", reason="scipy is in the test extra: pip install '.[test]'")
    x0 = [-1.2, 1.0] * (n // 2) + [-1.2] * (n % 2)
    numeric = optimize.minimize(rosenbrock, x0, method="BFGS")
    bfgs = optimize.minimize(al.value_and_grad(rosenbrock), x0, jac=True, method="BFGS")
    newton = optimize.minimize(
        rosenbrock, x0, jac=al.grad(rosenbrock), hessp=al.hessian_vector_product(rosenbrock), method="trust-ncg"
    )
    for result in (bfgs, newton):
        assert result.success and result.x == pytest.approx([1.0] * n, abs=1e-5)
        assert result.nfev < numeric.nfev


def test_sum_and_dot_of_plain_numbers_are_plain_floats():
    """Like exp and log, sum_ and dot give a float for numbers and a recorded Value when a Value is among them."""
    assert al.sum_([1.0, 2]) == 3.0 and type(al.sum_([1.0, 2])) is float and al.sum_([]) == 0.0
    assert al.dot([1.0, 2.0], [3.0, 4.0]) == 11.0 and isinstance(al.dot([Value(1.0)], [3.0]), Value)
    with pytest.raises(ValueError, match="sum: expected a finite number, got inf"):
        al.sum_([1.0, math.inf])


def test_scipy_finite_differences_can_call_the_same_function():
    """A function written with sum_ returns a float for scipy's own finite differences, and Values for grad."""
    optimize = pytest.importorskip("scipy.optimize", reason="scipy is in the test extra: pip install '.[test]'")
    f = lambda x: al.sum_([(x[0] - 3.0) ** 2, (x[1] + 1.0) ** 2])
    numeric = optimize.minimize(f, [0.0, 0.0], method="BFGS")
    exact = optimize.minimize(al.value_and_grad(f), [0.0, 0.0], jac=True, method="BFGS")
    assert numeric.x == pytest.approx([3.0, -1.0], abs=1e-4) and exact.x == pytest.approx([3.0, -1.0], abs=1e-8)


def test_hessian_vector_product_passes_scipy_args_through():
    """hessp(x, p, *args): the extra arguments of minimize reach f and are not differentiated."""
    hessp = al.hessian_vector_product(lambda x, a: a * x[0] * x[0] * x[1])
    assert hessp([1.0, 2.0], [1.0, 0.0], 3.0) == [12.0, 6.0]

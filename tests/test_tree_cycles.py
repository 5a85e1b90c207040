"""Containers that contain themselves: a clear ValueError from every function that walks containers."""

import pytest

import autograd_lite as al


def self_list():
    loop = [1.0]
    loop.append(loop)
    return loop


def self_dict():
    loop = {"x": 1.0}
    loop["again"] = loop
    return loop


def deep_loop():
    # The list comes back three levels down, through a dict and a tuple.
    outer = [1.0, {"c": []}]
    outer[1]["c"].append((2.0, outer))
    return outer


CALLS = {
    "grad": lambda tree: al.grad(lambda t: 0.0)(tree),
    "value_and_grad": lambda tree: al.value_and_grad(lambda t: 0.0)(tree),
    "jacobian": lambda tree: al.jacobian(lambda t: 0.0)(tree),
    "hessian": lambda tree: al.hessian(lambda t: 0.0)(tree),
    "jvp": lambda tree: al.jvp(lambda t: 0.0, (tree,), (tree,)),
    "hvp": lambda tree: al.hvp(lambda t: 0.0, (tree,), (tree,)),
    "gradcheck": lambda tree: al.gradcheck(lambda t: 0.0, tree),
    "numeric_grad": lambda tree: al.numeric_grad(lambda t: 0.0, tree),
    "tree_flatten": al.tree_flatten,
    "tree_map": lambda tree: al.tree_map(float, tree),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize(
    ("make", "item", "kind"),
    [
        (self_list, r"\[1\]", "list"),
        (self_dict, r"\['again'\]", "dict"),
        (deep_loop, r"\[1\]\['c'\]\[0\]\[1\]", "list"),
    ],
    ids=["list", "dict", "deep"],
)
def test_a_container_inside_itself_is_a_value_error_naming_the_function(name, make, item, kind):
    """Each function raises ValueError saying which argument contains itself and where, not RecursionError."""
    argument = "tree" if name.startswith("tree_") else "argument 0"
    words = rf"^{name}: {argument} contains itself: its item {item} is the same {kind}"
    with pytest.raises(ValueError, match=words):
        CALLS[name](make())


def test_the_loop_is_named_where_it_starts_inside_a_larger_argument():
    """A self-containing list deep inside the second argument is named by its own path."""
    loop = self_list()
    with pytest.raises(ValueError, match=r"^grad: argument 1\[0\]\['k'\] contains itself: its item \[1\] is the same"):
        al.grad(lambda a, b: a, argnums=(0, 1))(1.0, [{"k": loop}])


def test_a_result_that_contains_itself_names_the_result():
    """jacobian of a function returning a list that holds itself says the result contains itself."""

    def f(x):
        out = [x]
        out.append(out)
        return out

    with pytest.raises(ValueError, match=r"^jacobian: the function's result contains itself: its item \[1\]"):
        al.jacobian(f)(1.0)


def test_a_container_shared_between_branches_is_not_a_loop():
    """The same list at several places (not inside itself) gives its numbers at each place."""
    shared = [1.0, 2.0]
    tree = {"a": shared, "b": (shared, [shared])}
    leaves, shape = al.tree_flatten(tree)
    assert leaves == [1.0, 2.0] * 3
    assert al.tree_unflatten(shape, leaves) == tree
    assert al.grad(lambda t: t["a"][0] * t["b"][1][0][1])(tree) == {"a": [2.0, 0.0], "b": ([0.0, 0.0], [[0.0, 1.0]])}


def test_a_failed_walk_leaves_nothing_behind_for_the_next():
    """After a loop is refused, flattening an ordinary tree (and the same list once fixed) works."""
    loop = self_list()
    with pytest.raises(ValueError, match="contains itself"):
        al.tree_flatten(loop)
    loop.pop()
    assert al.tree_flatten([loop, loop]) == ([1.0, 1.0], al.tree_flatten([[1.0], [1.0]])[1])

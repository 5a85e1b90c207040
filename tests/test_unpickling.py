"""Loading a pickle runs only the library's own rebuilders, and each refuses what is not a Value."""

import math
import pickle
from fractions import Fraction

import pytest

import autograd_lite as al
from autograd_lite import Value, pickles
from autograd_lite.primitives import MUL, elu_by, leaky_relu_by, polygamma_of, power_by


class _Forged:
    """An object whose pickle calls `function(*args)`, as a hand-made pickle could."""

    def __init__(self, function, *args):
        self.call = (function, args)

    def __reduce__(self):
        return self.call


def _load(function, *args):
    return pickle.loads(pickle.dumps(_Forged(function, *args)))


@pytest.mark.parametrize("bad", [math.nan, math.inf, "abc", 1 + 2j, 10**400, None])
@pytest.mark.parametrize("slot", ["data", "grad"])
def test_a_leaf_with_a_bad_number_is_refused(bad, slot):
    """A leaf whose data or grad is nan, inf, a string, complex or too large raises naming what is wrong."""
    args = (bad, 0.0) if slot == "data" else (1.0, bad)
    with pytest.raises((ValueError, TypeError, OverflowError), match=f"unpickling a Value: its {slot}"):
        _load(pickles._leaf, *args)


def test_computed_nodes_with_bad_parts_are_refused():
    """A row that is a string, parents that are floats, a string derivative, three parents for mul: each raises."""
    a, b = Value(1.0), Value(2.0)
    cases = [
        (("mul", (a, b), (2.0, 1.0)), TypeError, "its row must be a Primitive, got str"),
        ((MUL, (1.0, 2.0), (2.0, 1.0)), TypeError, "parents of a mul node must be a tuple of Values"),
        ((MUL, (a, b), ("2.0", 1.0)), TypeError, "a local derivative of mul"),
        ((MUL, (a, b), (math.nan, 1.0)), ValueError, "a local derivative of mul"),
        ((MUL, (a, b, a), (2.0, 1.0, 1.0)), ValueError, "mul takes 2 input"),
        ((MUL, (a, b), (2.0,)), ValueError, "takes one derivative each"),
        ((MUL, (), ()), TypeError, "must be a tuple of Values"),
    ]
    for (op, parents, local), error, words in cases:
        with pytest.raises(error, match=words):
            _load(pickles._computed, [], 2.0, 0.0, op, parents, local, ())


def test_an_infinite_stored_derivative_is_kept():
    """inf is what a node stores where its derivative is infinite (√x at 0): it loads as it was."""
    x = Value(0.0)
    y = pickle.loads(pickle.dumps(x.sqrt()))
    assert y.local_grads == (math.inf,)


@pytest.mark.parametrize(
    ("factory", "constant", "words"),
    [
        (power_by, math.nan, "power_by: the exponent"),
        (power_by, "2", "power_by: the exponent"),
        (polygamma_of, -1, "polygamma_of: the order must be an int >= 0"),
        (polygamma_of, "x", "polygamma_of: the order must be an int >= 0"),
        (polygamma_of, 2.0, "polygamma_of: the order must be an int >= 0"),
        (leaky_relu_by, math.nan, "leaky_relu_by: the slope"),
        (elu_by, math.inf, "elu_by: alpha"),
        (elu_by, Fraction(10**400), "elu_by: alpha"),
    ],
)
def test_a_family_row_with_a_bad_constant_is_refused(factory, constant, words):
    """The family rows a pickle names (an exponent, an order, a slope) check their constant when made."""
    with pytest.raises((ValueError, TypeError, OverflowError), match=words):
        _load(factory, constant)


def test_guards_that_are_not_guards_are_refused():
    """A pickled Value's state must be its list of guards."""
    v = Value(1.0)
    with pytest.raises(TypeError, match="its guards must be a list of guard records"):
        v.__setstate__(["not a guard"])


def test_pickling_a_list_then_one_of_its_values_works_in_the_same_thread():
    """pickle.dumps([mid, out]) then pickle.dumps(mid) on a deep graph: no RecursionError, the same numbers."""
    x = Value(0.5)
    mid = x
    for _ in range(5_000):
        mid = mid * 1.0001
    out = mid * 2.0
    both = pickle.loads(pickle.dumps([mid, out]))
    alone = pickle.loads(pickle.dumps(mid))
    assert alone.data == both[0].data == mid.data and both[1].parents[0] is both[0]


def test_a_failed_pickle_leaves_the_next_one_working():
    """A dump that fails half way (an unpicklable object beside a graph) does not break the next dump."""
    x = Value(0.5)
    y = x
    for _ in range(5_000):
        y = y * 1.0001
    with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
        pickle.dumps([y, lambda: None])
    assert pickle.loads(pickle.dumps(y)).data == y.data


def test_values_from_a_pickle_work_like_the_originals():
    """A loaded graph differentiates like the original."""
    w = Value(1.5)
    y = pickle.loads(pickle.dumps(al.tanh(w * w) + w))
    y.backward()
    (leaf,) = [v for v in al.topological_order(y) if v.is_leaf]
    assert leaf.grad == pytest.approx(2 * 1.5 * (1 - math.tanh(2.25) ** 2) + 1, rel=1e-15)

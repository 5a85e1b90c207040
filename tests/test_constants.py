"""A plain number in an operation is kept in the node that uses it: it never becomes a node of its own."""

from __future__ import annotations

import math
import pickle

import pytest
from helpers import nth
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import PRIMITIVES, Value
from autograd_lite.primitives import COMMUTATIVE, SUB, flipped

# Each spelling with a number, the row it records, and the same function of plain floats.
SPELLINGS = [
    ("x * 0.9999", lambda x: x * 0.9999, "mul"),
    ("0.9999 * x", lambda x: 0.9999 * x, "mul"),
    ("x + 1", lambda x: x + 1, "add"),
    ("1 + x", lambda x: 1 + x, "add"),
    ("x - 3", lambda x: x - 3, "sub"),
    ("3 - x", lambda x: 3 - x, "sub"),
    ("x / 4", lambda x: x / 4, "div"),
    ("1 / x", lambda x: 1 / x, "div"),
    ("2 ** x", lambda x: 2**x, "pow"),
    ("x % 0.7", lambda x: x % 0.7, "mod"),
    ("5 % x", lambda x: 5 % x, "mod"),
    ("atan2(x, 2)", lambda x: al.atan2(x, 2.0), "atan2"),
    ("atan2(2, x)", lambda x: al.atan2(2.0, x), "atan2"),
    ("maximum(1, x)", lambda x: al.maximum(1.0, x), "maximum"),
    ("hypot(3, x)", lambda x: al.hypot(3.0, x), "hypot"),
]


@pytest.mark.parametrize(("text", "f", "row"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_a_number_is_kept_in_the_node_not_made_a_node(text, f, row):
    """`x ∘ c` and `c ∘ x` record one node with x as its only parent and c among its constants."""
    x = Value(1.3)
    y = f(x)
    assert y.parents == (x,) and len(al.topological_order(y)) == 2
    assert len(y.constants) == 1 and y.data == f(1.3)
    base = y.op.flips if y.op.flips is not None else y.op
    assert base is PRIMITIVES[row]


@pytest.mark.parametrize(("text", "f", "row"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_derivatives_through_a_kept_number_match_numeric_ones_to_third_order(text, f, row):
    """First, second and third derivatives through a node holding a number agree with central differences."""
    for order in (1, 2, 3):
        g = nth(f, order)
        h = 1e-4
        previous = nth(f, order - 1)
        numeric = (previous(1.3 + h) - previous(1.3 - h)) / (2 * h)
        assert g(1.3) == pytest.approx(numeric, rel=1e-5, abs=1e-7), f"order {order}"


@pytest.mark.parametrize(("text", "f", "row"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_forward_mode_and_replay_read_the_kept_number(text, f, row):
    """jvp agrees with grad, and a compiled tape recomputes the node with its number at a new point."""
    assert al.jvp(f, (1.3,), (1.0,))[1] == pytest.approx(al.grad(f)(1.3), rel=1e-12)
    x = Value(1.3)
    y = f(x)
    tape = al.compile(y)
    x.data = 1.7
    assert tape.forward() == f(1.7)
    x.grad = 0.0
    tape.backward()
    assert x.grad == pytest.approx(al.grad(f)(1.7), rel=1e-12)


@given(a=st.floats(-50, 50), b=st.floats(0.5, 50))
def test_every_flipped_row_is_its_row_with_the_inputs_swapped(a, b):
    """flipped(row)(x, c) gives row(c, x), and its derivatives are row's, swapped, for every two-input row."""
    for row in PRIMITIVES.values():
        if row.arity != 2:
            continue
        try:
            out = row.value(b, a)
            expected = row.derivs(b, a, out)
        except (ArithmeticError, ValueError):
            continue
        turned = flipped(row)
        assert turned.value(a, b) == out and turned.derivs(a, b, out) == expected[::-1]
        if row in COMMUTATIVE:
            assert row.value(a, b) == out and row.derivs(a, b, out) == expected[::-1]


def test_errors_name_the_row_as_written():
    """An error in `c - x` or `c / x` names sub or div with the inputs in the order the user wrote them."""
    with pytest.raises(ZeroDivisionError, match=r"div: division by zero \(1.0 / 0.0\)"):
        _ = 1.0 / Value(0.0)
    too_large = r"sub: the result is too large for a float .* at \(-1\.7e\+308, 1\.7e\+308\)"
    with pytest.raises(OverflowError, match=too_large):
        _ = -1.7e308 - Value(1.7e308)
    y = 1.0 - al.sqrt(Value(0.0))  # fine: the infinite slope of sqrt is only an error if a gradient flows in
    with pytest.raises(al.NonFiniteGradientError, match="sqrt"):
        y.backward()


def test_numbers_after_the_values_of_an_n_ary_row_are_kept_too():
    """dot(ws, xs) with plain xs has the ws as parents and the xs as constants; a number first becomes a leaf."""
    w = [Value(0.5), Value(-1.0)]
    y = al.dot(w, [2.0, 3.0])
    assert y.parents == tuple(w) and y.constants == (2.0, 3.0) and y.data == -2.0
    y.backward()
    assert [v.grad for v in w] == [2.0, 3.0]
    z = al.sum_([1.0, w[0]])  # a number before a Value: kept as a constant leaf, still right
    assert len(z.parents) == 2 and z.data == 1.5


def test_pictures_and_pickles_keep_the_number():
    """The label shows the number beside the operation, and a pickle keeps it."""
    x = Value(2.0)
    y = 3.0 - x * 0.5
    assert al.viz.to_text(y, {x: "x"}).splitlines()[:2] == ["3.0 -  data=2  grad=0", "└── * 0.5  data=1  grad=0"]
    again = pickle.loads(pickle.dumps(y))
    assert again.constants == (3.0,) and again.op is flipped(SUB) and again.parents[0].constants == (0.5,)
    again.backward()
    assert again.parents[0].parents[0].grad == -0.5


def test_the_chain_step_is_four_nodes():
    """x ← 0.9999·x + 1e-4·tanh(x) records mul, tanh, mul, add: no node for either number."""
    x0 = Value(0.5)
    x = 0.9999 * x0 + 1e-4 * x0.tanh()
    assert len(al.topological_order(x)) == 5
    x.backward()
    assert x0.grad == pytest.approx(0.9999 + 1e-4 * (1 - math.tanh(0.5) ** 2), rel=1e-15)

"""The eager fast path: every function written from a row behaves exactly as the general path does."""

import functools

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

import autograd_lite as al
from autograd_lite import PRIMITIVES, Value, engine, fast
from autograd_lite.primitives import flipped, power_by
from autograd_lite.testing import primitive_inputs

CASES = [(name, kind) for name in sorted(PRIMITIVES) for kind in ("unary", "binary", "number", "flipped")
         if PRIMITIVES[name].arity in (1, 2) and (PRIMITIVES[name].arity == 1) == (kind == "unary")]


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
@settings(max_examples=30)
@given(data=st.data())
def test_the_written_function_of_every_row_is_the_general_one(name, kind, data):
    """Each row's written function gives the node the general function gives: value, derivatives, errors."""
    row = PRIMITIVES[name]
    if kind == "flipped":
        row, kind = flipped(row), "number"
    xs = data.draw(primitive_inputs(name) | st.tuples(*[st.floats(-1e3, 1e3)] * max(row.arity, 1)))
    if row.flips is not None:  # a flipped row takes the number first
        xs = xs[::-1]
    written = {"unary": engine.record_unary, "binary": engine.record_binary, "number": engine.record_number}[kind](row)
    general = {"unary": engine._unary, "binary": engine._binary, "number": engine._with_number}[kind]
    args = [Value(xs[0])] + ([Value(xs[1])] if kind == "binary" else [xs[1]] if kind == "number" else [])

    def outcome(f):
        try:
            node = f(*args)
        except (ArithmeticError, ValueError) as error:
            return type(error), str(error)
        return node.data, node.parents, node.local_grads, node.constants, node.op

    assert outcome(written) == outcome(lambda *a: general(row, *a))


@given(x=st.floats(-50, 50), c=st.sampled_from([0, 1, 2, 3, 2.0, 0.5, -1, -2.5, 1.5]))
def test_x_to_a_constant_power_is_the_general_row(x, c):
    """x ** c through the per-exponent generated function gives the node and the errors the row gives."""
    def outcome(f):
        try:
            node = f()
        except (ArithmeticError, ValueError) as error:
            return type(error), str(error)
        return node.data, node.local_grads, node.op

    assert outcome(lambda: Value(x) ** c) == outcome(lambda: engine._unary(power_by(float(c)), Value(x)))


def test_operators_methods_and_functions_reach_the_same_function():
    """x.tanh(), al.tanh(x) and the row called on x all go through engine.UNARY[TANH]: one dispatch path."""
    row = PRIMITIVES["tanh"]
    x = Value(0.3)
    al.tanh(x)
    written = engine.UNARY[row]
    assert not isinstance(written, functools.partial)
    for make in (lambda: x.tanh(), lambda: al.tanh(x), lambda: row(x)):
        assert make().op is row and engine.UNARY[row] is written


def test_rows_of_a_family_are_not_kept_without_bound():
    """Many different slopes or exponents do not grow the tables: only the first few exponents are kept."""
    x = Value(0.5)
    before = len(engine.UNARY)
    for i in range(300):
        al.leaky_relu(x, slope=i / 1000)
        x ** (1.0 + i / 1000)
    assert len(engine.UNARY) <= before + fast.POWERS and len(engine.POWERS) <= fast.POWERS


def test_a_user_row_is_written_out_and_behaves_as_the_general_path():
    """A row made with @al.primitive gets a written function: the same nodes, and no derivative asked in no_grad."""
    calls = []

    def derivs(x, out):
        calls.append(x)
        return (1.0 - out * out,)

    @al.primitive(derivs=derivs)
    def my_tanh(x):
        return __import__("math").tanh(x)

    row = my_tanh.primitive
    x = Value(0.4)
    node = my_tanh(x)
    written = engine.UNARY[row]
    assert not isinstance(written, functools.partial)
    general = engine._unary(row, Value(0.4))
    assert (node.data, node.local_grads, node.op) == (general.data, general.local_grads, general.op)
    calls.clear()
    with al.no_grad():
        assert my_tanh(x).is_leaf
    assert calls == []  # outside recording the derivative is not computed


def test_rows_made_in_a_loop_do_not_grow_the_tables_without_bound():
    """A program that makes a new @al.primitive row at every step keeps at most USER_ROWS written functions."""
    before = len(engine.UNARY)
    for _ in range(fast.USER_ROWS + 50):
        scaled = al.primitive(derivs=lambda x, out: (2.0,), name="scaled")(lambda x: 2.0 * x)
        assert scaled(Value(1.0)).data == 2.0
    assert len(engine.UNARY) - before <= fast.USER_ROWS

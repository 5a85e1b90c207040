"""Compiled code: the derivative program of a graph computes the eager engine's floats, and reads as the math."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import PRIMITIVES, Value
from autograd_lite.codegen import derivative_program
from autograd_lite.primitives import RELU, flipped
from autograd_lite.testing import DOMAINS, expressions, points, primitive_inputs

TWO_INPUT = sorted(name for name, row in PRIMITIVES.items() if row.arity == 2)


def eager_at(f, xs):
    inputs = [Value(x) for x in xs]
    out = f(*inputs)
    out.backward()
    return out.data, [v.grad for v in inputs]


def compiled_at(f, recorded, xs):
    """Record f at `recorded`, compile, move the inputs to `xs`, run the program: value and gradients."""
    inputs = [Value(x) for x in recorded]
    tape = al.compile(f(*inputs))
    assert tape.program is not None, tape.note
    for v, x in zip(inputs, xs):
        v.data = x
    value = tape.forward()
    tape.backward()
    return value, [v.grad for v in inputs]


@pytest.mark.parametrize("name", sorted(DOMAINS))
@given(data=st.data())
def test_every_row_compiles_to_the_eager_floats(name, data):
    """For every row of the table, the compiled value and gradients equal the eager ones, bit for bit."""
    row = PRIMITIVES[name]
    first, second = data.draw(primitive_inputs(name)), data.draw(primitive_inputs(name))
    assert compiled_at(row, first, second) == eager_at(row, second)


@pytest.mark.parametrize("name", TWO_INPUT)
@given(data=st.data())
def test_a_number_on_either_side_compiles_to_the_eager_floats(name, data):
    """row(x, c) and row(c, x) with a plain number c: the literal in the code gives the eager floats."""
    row = PRIMITIVES[name]
    first, second = data.draw(primitive_inputs(name)), data.draw(primitive_inputs(name))
    c = second[1]
    assert compiled_at(lambda x: row(x, c), first[:1], second[:1]) == eager_at(lambda x: row(x, c), second[:1])
    c = second[0]
    right = (second[1],)
    assert compiled_at(lambda x: row(c, x), first[1:], right) == eager_at(lambda x: row(c, x), right)


@given(expressions(max_steps=12), points(3), points(3))
def test_random_programs_compile_to_the_eager_floats(expr, first, second):
    """Random expressions with shared subexpressions: compiled value and gradients equal eager ones exactly."""
    assert compiled_at(expr, first, second) == eager_at(expr, second)


def test_a_network_compiles_to_the_eager_floats():
    """An MLP's hinge loss over data points (numbers in the code) replays to the eager loss and gradients."""
    data = [([0.5, -1.0], 1), ([-0.3, 0.8], -1), ([1.2, 0.1], 1)]
    net = al.nn.MLP(2, [6, 6, 1], activation="relu", seed=3)
    params = net.parameters()

    def loss():
        return al.nn.hinge([net(x) for x, _ in data], [y for _, y in data])

    tape = al.compile(loss())
    assert tape.program is not None
    for p in params:
        p.data *= 0.9
    value = tape.forward()
    tape.backward()
    compiled = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    eager = loss()
    eager.backward()
    assert value == eager.data and compiled == [p.grad for p in params]


def test_the_source_reads_as_the_math():
    """Names from the user, one line per node and per edge, the row in a comment, forward then backward."""
    w = Value(0.5)
    loss = sum((w * x - y) ** 2 for x, y in [(1.0, 2.0), (2.0, 4.0)]) / 2
    source = al.compile(loss, names={w: "w"}).source
    backward = source.index("def backward(seed, values, leaves):")
    assert source.index("def forward(leaves):\n    w = leaves[0].data\n") < backward
    assert "    v1 = w * 1.0  # mul\n" in source and "    v2 = v1 - 2.0  # sub\n" in source
    assert "    g_w = g_v5 * 2.0  # mul: ∂v5/∂w\n" in source and "    g_w += g_v1  # mul: ∂v1/∂w = 1.0\n" in source
    assert source.count("\n    v") == loss_nodes(loss) - 1  # one line per computed node
    assert str(al.compile(loss)) == al.compile(loss).source


def loss_nodes(v):
    return len(al.topological_order(v))


def test_user_names_are_made_valid_and_unique():
    """Names that are not identifiers, keywords, builtins or repeated become distinct identifiers."""
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    source = al.compile(a * b + c, names={a: "learning rate", b: "lambda", c: "sum"}).source
    for i, name in enumerate(["learning_rate", "x_lambda", "x_sum"]):  # the leaves in graph order
        assert f"    {name} = leaves[{i}].data\n" in source


def test_rows_that_cannot_be_read_are_called_by_name():
    """tanh (a C function) is called; its derivative 1 − out² is written out; a user row is called both ways."""

    @al.primitive(derivs=lambda x, out: (3.0 * x * x,))
    def cube(x):
        return x * x * x

    x = Value(0.7)
    source = al.compile(cube(al.tanh(x)), names={x: "x"}).source
    assert "v1 = tanh(x)  # tanh" in source and "(1.0 - v1 * v1)" in source
    assert "v2 = cube(v1)" in source and "d_v2 = cube_derivs(v1, v2)" in source


def test_relu_source_form_agrees_with_its_functions():
    """The relu row's source form gives the same value and slope as its functions, at and around the kink."""
    value, (slope,) = RELU.code
    for x in (-2.0, -0.0, 0.0, 1e-300, 3.5):
        assert eval(value.format(repr(x))) == RELU.value(x)  # our own template
        assert eval(slope.format(repr(x), out=repr(RELU.value(x)))) == RELU.derivs(x, RELU.value(x))[0]


def test_errors_in_compiled_code_are_the_eager_errors():
    """A domain error, an overflow and an infinite slope raise as eagerly, naming the same node."""
    x = Value(2.0)
    tape = al.compile(al.log(x - 1.0) * al.exp(x))
    x.data = 0.5
    with pytest.raises(ValueError, match=r"log: needs x > 0, got x=-0.5"):
        tape.forward()
    x.data = 800.0
    with pytest.raises(OverflowError, match="exp"):
        tape.forward()
    with pytest.raises(RuntimeError, match="forward"):
        tape.backward()
    y = Value(1.0)
    tape = al.compile(al.sqrt(y) * 2.0)
    y.data = 0.0
    assert tape.forward() == 0.0
    with pytest.raises(al.NonFiniteGradientError, match="sqrt"):
        tape.backward()
    assert y.grad == 0.0


def test_an_overflow_that_later_nodes_hide_is_still_caught():
    """x·1e200·1e200 overflows, then tanh makes it 1.0: the compiled pass still raises, as eager does."""
    x = Value(1e-300)
    tape = al.compile(al.tanh(x * 1e200 * 1e200) + x)
    x.data = 1e-300
    assert tape.forward() == math.tanh(1e-300 * 1e200 * 1e200) + 1e-300
    x.data = 2.0
    with pytest.raises(OverflowError, match="mul"):
        tape.forward()


def test_a_graph_over_the_code_limit_is_compiled_in_chunks():
    """More nodes than the limit: the program comes in chunks, the note says so, and the floats are the same."""
    x = Value(0.5)
    y = x
    for _ in range(50):
        y = 0.99 * y + 0.01 * y.tanh()
    tape = al.Tape(y, code_limit=100)
    assert isinstance(tape.program, al.codegen.ChunkedProgram) and "compiled in 1 chunks" in tape.note
    x.data = 0.7
    value = tape.forward()
    tape.backward()
    assert (value, [x.grad]) == eager_at(lambda v: _chain(v, 50), [0.7])


def _chain(x, steps):
    for _ in range(steps):
        x = 0.99 * x + 0.01 * x.tanh()
    return x


def test_a_long_sum_is_called_not_written_out():
    """sum_ of 1,000 inputs would nest past Python's compiler limit: it is called by name, and compiles."""
    xs = [Value(float(i)) for i in range(1000)]
    tape = al.compile(al.sum_(xs) * al.dot(xs, xs))
    assert tape.program is not None and "sum_(" in tape.source and "dot(" in tape.source
    tape.forward()
    tape.backward()
    assert xs[3].grad == pytest.approx(sum(range(1000)) * 6.0 + sum(i * i for i in range(1000)))


def test_a_flipped_row_is_written_with_the_number_first():
    """2 - x compiles to `2.0 - x`; 2 ** x calls the checked power (it needs a positive base)."""
    x = Value(0.3)
    source = al.compile((2.0 - x) + 2.0**x, names={x: "x"}).source
    assert "v1 = 2.0 - x  # sub" in source and "rpow(x, 2.0)" in source
    assert flipped(PRIMITIVES["sub"]).flips is PRIMITIVES["sub"]


def test_derivative_program_docstring_example_runs():
    """derivative_program() gives forward and backward functions that run."""
    w = Value(2.0)
    program = derivative_program(w * w, {w: "w"})
    w.data = 3.0
    assert program.forward([w]) == (3.0, 9.0) and program.backward(1.0, (3.0, 9.0), [w]) is True and w.grad == 6.0
    w.grad = 1e308
    assert program.backward(1e308, (3.0, 9.0), [w]) is False and w.grad == 1e308  # inf: nothing changed


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 5 nodes, so that small graphs exercise what large ones do: windows, far parents, repeats."""
    from autograd_lite import codegen

    monkeypatch.setattr(codegen, "CHUNK", 5)


def compiled_in_chunks(f, recorded, xs):
    inputs = [Value(x) for x in recorded]
    tape = al.Tape(f(*inputs), code_limit=0)
    assert "chunks" in tape.note, tape.note
    for v, x in zip(inputs, xs):
        v.data = x
    value = tape.forward()
    tape.backward()
    return value, [v.grad for v in inputs]


@given(expressions(max_steps=12), points(3), points(3))
def test_random_programs_in_chunks_give_the_eager_floats(expr, first, second):
    """Cut into chunks of 5 nodes (parents in earlier chunks, near and far), the floats are still the eager ones."""
    from unittest import mock

    from autograd_lite import codegen

    with mock.patch.object(codegen, "CHUNK", 5):
        assert compiled_in_chunks(expr, first, second) == eager_at(expr, second)


def test_a_long_chain_compiles_in_repeated_chunks():
    """A chain of 3,000 steps over the code limit: three distinct chunk shapes, compiled once each; eager floats."""
    x = Value(0.5)
    tape = al.Tape(_chain(x, 3000), code_limit=1000)
    assert isinstance(tape.program, al.codegen.ChunkedProgram) and tape.program.distinct == 3
    assert "def forward_chunk(d, b):" in tape.source and "tanh(" in tape.source
    x.data = 0.8
    value = tape.forward()
    tape.backward()
    assert (value, [x.grad]) == eager_at(lambda v: _chain(v, 3000), [0.8])


def test_chunks_that_do_not_repeat_are_replayed_from_lists(small_chunks, monkeypatch):
    """More distinct chunk shapes than allowed: a note, the list replay, and still the eager floats."""
    from autograd_lite import codegen

    monkeypatch.setattr(codegen, "MAX_DISTINCT_CHUNKS", 2)
    xs = [Value(float(i) / 10) for i in range(30)]
    f = lambda *vs: al.sum_([v * float(i) for i, v in enumerate(vs)]).tanh()
    tape = al.Tape(f(*xs), code_limit=0)
    assert tape.program is None and "do not repeat" in tape.note
    value = tape.forward()
    tape.backward()
    assert (value, [v.grad for v in xs]) == eager_at(f, [float(i) / 10 for i in range(30)])


def test_errors_in_chunks_are_the_eager_errors(small_chunks):
    """A domain error inside a chunk raises the eager message; a non-finite gradient names the node."""
    x = Value(2.0)
    tape = al.Tape(al.log(x - 1.0) * al.sqrt(x * x - 4.0 + 1.0) + x, code_limit=0)
    x.data = 0.5
    with pytest.raises(ValueError, match=r"log: needs x > 0, got x=-0.5"):
        tape.forward()
    x.data = 2.0
    tape.forward()
    y = Value(2.0)
    tape = al.Tape(al.sqrt(y * y - 4.0) * 3.0 + y * 0.5, code_limit=0)
    tape.forward()
    with pytest.raises(al.NonFiniteGradientError, match="sqrt"):
        tape.backward()
    assert y.grad == 0.0


def test_compile_checks_its_names_and_describes_itself():
    """compile(names=...) wants Values mapped to strings; a tape's repr says how it runs."""
    x = Value(1.0)
    with pytest.raises(TypeError, match="compile: names maps Values to strings"):
        al.compile(x * 2.0, names={x: 3})
    with pytest.raises(TypeError, match="compile: names maps Values to strings"):
        al.compile(x * 2.0, names={"x": "x"})
    tape = al.compile(x * 2.0)
    assert re.match(r"<Tape of 2 nodes; compiled: \d+ lines for 2 nodes \(writing \d\.\d{3} s", repr(tape))


def test_a_user_name_never_hides_a_function_the_program_calls():
    """Naming a Value `exp` or `tanh` gives it another name in the code, so the call still reaches the row."""
    x, y = Value(0.5), Value(0.2)
    tape = al.compile(al.exp(x) * al.tanh(y), names={x: "exp", y: "tanh_derivs"})
    assert "x_exp = leaves[0].data" in tape.source and "exp(x_exp)" in tape.source
    assert tape.forward() == math.exp(0.5) * math.tanh(0.2)


@pytest.mark.parametrize("limit", [5000, 0], ids=["one function", "chunks"])
def test_backward_right_after_compile_uses_the_recorded_numbers(limit):
    """compile() then backward(), with no forward(): the gradients of the graph as it was recorded."""
    w = Value(0.5)
    tape = al.Tape(sum((w * x - y) ** 2 for x, y in [(1, 2), (2, 4), (3, 6)]) / 3, code_limit=limit)
    tape.backward()
    assert w.grad == -14.0


def test_backward_right_after_compile_from_lists():
    """The same when the graph is replayed from lists (chunks that do not repeat)."""
    from unittest import mock

    from autograd_lite import codegen

    def f(*vs):
        return al.sum_([v * (i / 10) for i, v in enumerate(vs)]).tanh()

    xs = [Value(i / 100) for i in range(12)]
    with mock.patch.object(codegen, "CHUNK", 3), mock.patch.object(codegen, "MAX_DISTINCT_CHUNKS", 1):
        tape = al.Tape(f(*xs), code_limit=0)
    assert tape.program is None
    tape.backward()
    grads = [x.grad for x in xs]
    assert grads == eager_at(f, [i / 100 for i in range(12)])[1] and grads[5] > 0.1

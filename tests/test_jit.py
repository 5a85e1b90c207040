"""jit: a function traced into a program, retraced when a branch or the input structure changes, never stale."""

import math
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.testing import expressions, points

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from oscillator_fit import path as oscillator

# Rows whose derivative shifts by a number read at trace time (the largest input): a program agrees with the eager
# engine to rounding there, not bit for bit.
SHIFTED = ("logsumexp", "softmax", "log_softmax")


def same(a, b):
    """Equal float for float, through containers (0.0 and -0.0 count as equal)."""
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def outcome(f, *args):
    try:
        return f(*args)
    except (ValueError, ArithmeticError) as error:
        return type(error), str(error)


@given(expressions(), points(3), points(3))
def test_a_jitted_gradient_is_the_eager_one_at_every_point(expr, xs, ys):
    """jit(value_and_grad(f)) and jit(hessian(f)) give f's eager numbers (or its error) at each new point."""
    for make in (al.value_and_grad, al.hessian):
        f = make(expr, argnums=(0, 1, 2))
        jitted = al.jit(f)
        for p in (xs, ys, xs):
            want, got = outcome(f, *p), outcome(jitted, *p)
            if isinstance(want, tuple) and isinstance(want[0], type):
                assert got == want  # the eager engine's own error, naming the row
            elif any(name in repr(expr) for name in SHIFTED):
                flat_want, flat_got = al.tree_flatten(want)[0], al.tree_flatten(got)[0]
                assert np.allclose(flat_want, flat_got, rtol=1e-12, atol=1e-300)
            else:
                assert same(want, got), (want, got)


def test_a_changed_branch_traces_again_and_the_note_says_why():
    f = al.jit(lambda x: x * x if x > 0 else -x)
    assert f(3.0) == 9.0 and f.traces == 1 and f.note == "1 program"
    assert f(-2.0) == 2.0 and f.traces == 2
    assert f.note == "2 programs; traced again because x0 > 0 came out False (True when traced)"
    assert f(5.0) == 25.0 and f(-1.0) == 1.0 and f.traces == 2  # both branches held now


def test_the_branch_of_a_derivative_is_checked_too():
    """relu' and abs' branch on their input: a program traced at x < 0 does not serve x > 0 (it traces again)."""
    for row in (al.relu, al.abs_, lambda x: al.maximum(x, 0.5 * x), lambda x: al.leaky_relu(x, 0.1)):
        f = al.grad(row)
        jitted = al.jit(f)
        for x in (-1.0, 2.0, -3.0, 0.5):
            assert jitted(x) == f(x)
        second = al.grad(al.grad(lambda x, row=row: x * row(x)))
        h = al.jit(second)
        assert h(-1.0) == second(-1.0) and h(2.0) == second(2.0)


def test_programs_are_bounded_the_least_recently_used_going_first():
    f = al.jit(lambda x: x * 1.0 if x < 1 else x * 2.0 if x < 2 else x * 3.0, max_traces=2)
    assert [f(0.5), f(1.5)] == [0.5, 3.0] and f.traces == 2
    f(0.25)  # the first program is now the most recently used
    assert f(2.5) == 7.5 and f.traces == 2  # the x < 2 one was dropped
    assert "least recently used was dropped" in f.note
    assert f(0.75) == 0.75 and f.traces == 2  # still held: no new trace
    assert f(1.25) == 2.5  # traced again


def test_another_input_structure_traces_again():
    f = al.jit(lambda xs: al.sum_(x * x for x in xs))
    assert f([1.0, 2.0]) == 5.0
    assert f([1.0, 2.0, 3.0]) == 14.0 and f.traces == 2
    assert "a new input structure" in f.note
    assert f((1.0, 2.0)) == 5.0 and f.traces == 3  # a tuple is another structure
    assert f([3.0, 4.0]) == 25.0 and f.traces == 3


def test_containers_and_numpy_in_and_out_as_the_function_gives_them():
    def loss(params, x):
        return (params["w"] * x + params["b"] - 1.0) ** 2

    f = al.grad(loss)
    jitted = al.jit(f)
    for p in ({"w": 2.0, "b": 0.5}, {"w": -1.0, "b": 3.0}):
        assert jitted(p, 1.5) == f(p, 1.5)
    g = al.grad(lambda v: al.sum_(v[i] * v[i] * (i + 1) for i in range(3)))
    jg = al.jit(g)
    for v in (np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 2.0])):
        got = jg(v)
        assert isinstance(got, np.ndarray) and got.dtype == np.float64 and np.array_equal(got, g(v))


def test_has_aux_and_a_jacobian():
    f = al.value_and_grad(lambda x, y: (x * y, {"x_plus_y": x + y}), argnums=(0, 1), has_aux=True)
    jitted = al.jit(f)
    for p in ((2.0, 3.0), (-1.0, 4.0)):
        assert jitted(*p) == f(*p)
    j = al.jacobian(lambda x: [al.sin(x), x * x])
    jj = al.jit(j)
    assert jj(0.5) == j(0.5) and jj(1.5) == j(1.5)


def test_a_loop_count_is_static():
    def power(x, n):
        out = x
        for _ in range(n - 1):
            out = out * x
        return out

    with pytest.raises(TypeError, match=r"static_argnums"):
        al.jit(power)(2.0, 3)
    f = al.jit(power, static_argnums=1)
    assert f(2.0, 3) == 8.0 and f(3.0, 3) == 27.0 and f(2.0, 5) == 32.0 and f.traces == 2


def test_errors_are_the_eager_engines():
    """An input outside a row's domain raises what eager code raises; so does an overflow; nothing is held."""
    f = al.jit(al.grad(lambda x: al.log(x) * x))
    assert f(2.0) == al.grad(lambda x: al.log(x) * x)(2.0)
    with pytest.raises(ValueError, match="log"):
        f(-1.0)
    with pytest.raises(OverflowError, match="exp"):
        al.jit(lambda x: al.exp(x))(1000.0)
    with pytest.raises(ValueError, match="finite"):
        f(math.nan)
    assert f.traces == 1 and f(3.0) == al.grad(lambda x: al.log(x) * x)(3.0)


def test_a_value_outside_the_arguments_is_read_at_every_call():
    """A closure's parameter is not frozen: the program reads its current number (never a stale one)."""
    w = Value(2.0)
    f = al.jit(lambda x: w * x)
    assert f(3.0) == 6.0
    w.data = 5.0
    assert f(3.0) == 15.0 and f.traces == 1


def test_values_among_the_arguments_call_the_function_as_it_is():
    """jit inside grad: given Values, the jitted function records as the function does."""
    f = al.jit(lambda x: x * x * x)
    assert al.grad(f)(2.0) == 12.0


def hinge(x):
    return x * x if x > 0 else 0.5 * x


def test_a_jitted_function_pickles_with_its_programs():
    """A function defined at module level pickles with it: the copy holds the programs and can trace again."""
    jitted = al.jit(hinge)
    assert jitted(2.0) == 4.0
    copy = pickle.loads(pickle.dumps(jitted))
    assert copy.traces == 1 and copy.sources == jitted.sources
    assert copy(3.0) == 9.0 and copy.traces == 1  # answered by the unpickled program
    assert copy(-2.0) == -1.0 and copy.traces == 2  # traced again, by the function that came with it


def test_a_program_pickles_without_a_closure():
    """grad() returns a closure, which does not pickle: the copy runs the programs it holds, and says so otherwise."""
    jitted = al.jit(al.value_and_grad(al.softplus))
    jitted(1.0)
    copy = pickle.loads(pickle.dumps(jitted))
    assert copy.fn is None and copy(0.5) == al.value_and_grad(al.softplus)(0.5)
    with pytest.raises(RuntimeError, match="unpickled without its function"):
        copy([0.5])


@given(st.floats(-3, 3), st.floats(-3, 3))
def test_a_line_fit_step_matches_eager(w, b):
    xs, ys = [1.0, 2.0, 3.0], [2.0, 4.1, 5.9]

    def loss(w, b):
        return al.sum_((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)

    step = al.value_and_grad(loss, argnums=(0, 1))
    assert same(al.jit(step)(w, b), step(w, b))


# -- loops: a repeated step is written once -----------------------------------------------------------------


TARGET = [0.9 * x for x in oscillator(2.0, 0.1, 300)]


def fit_loss(omega, zeta):
    return al.sum_((x - y) ** 2 for x, y in zip(oscillator(omega, zeta, 300), TARGET)) / len(TARGET)


def test_a_repeated_step_compiles_as_a_loop_and_gives_the_eager_numbers():
    f = al.value_and_grad(fit_loss, argnums=(0, 1))
    jitted = al.jit(f)
    for p in ((2.1, 0.12), (1.9, 0.08), (2.0, 0.1)):
        assert jitted(*p) == f(*p)
    source = jitted.sources[0]
    assert source.count(" steps of ") >= 2  # a loop for the forward steps, one for the backward steps
    assert source.count("\n") < 6000  # for a graph of about 58,000 nodes


def test_a_loop_meets_an_inf_and_the_eager_engine_names_it():
    jitted = al.jit(al.grad(fit_loss))
    jitted(2.0, 0.1)
    with pytest.raises(OverflowError):
        jitted(1e154, 0.1)  # ω² overflows in the first step


def test_steps_with_a_branch_stay_straight_and_right():
    def walk(a):
        x = a
        for i in range(400):
            x = x * 0.99 + (0.01 if x > 0.5 else -0.01) * (i % 3)
        return x

    f = al.value_and_grad(walk)
    jitted = al.jit(f)
    for a in (0.3, 0.7, 0.55):
        assert jitted(a) == f(a)


# -- the sign of zero, and other roads to a silent wrong number ------------------------------------------------


def test_a_constant_that_is_zero_of_either_sign_per_step_is_read_per_step():
    def f(x):
        out = x
        for i in range(1000):
            out = out + al.copysign(x, x * (0.0 if i % 2 else -0.0))
        return out

    jitted = al.jit(f)
    assert jitted(1.0) == jitted(1.0) == f(Value(1.0)).item() == 1.0


def test_round_and_copysign_tell_the_zeros_apart():
    f = al.jit(lambda x: al.copysign(x, round(x, 0)))
    assert f(-0.3) == -0.3 and f(0.3) == 0.3 and f.traces == 2
    g = al.grad(lambda a, b: al.copysign(a, b))
    jitted = al.jit(g)
    assert jitted(1.5, 2.0) == 1.0 and jitted(1.5, -0.0) == g(1.5, -0.0) == -1.0


def test_a_static_or_keyword_zero_keeps_its_sign_in_the_key():
    f = al.jit(al.copysign, static_argnums=1)
    assert f(2.0, 0.0) == 2.0 and f(2.0, -0.0) == -2.0
    g = al.jit(lambda x, sign=1.0: al.copysign(x, sign))
    assert g(2.0, sign=0.0) == 2.0 and g(2.0, sign=-0.0) == -2.0


def test_inf_and_nan_arguments_are_refused_after_the_first_call_too():
    f = al.jit(lambda x: x)
    f(1.0)
    for bad in (math.inf, math.nan):
        with pytest.raises(ValueError, match="finite"):
            f(bad)


def test_a_guard_on_a_node_that_is_its_parent_exactly():
    def f(x, y):
        z = (x + y) * 1.0
        return z + 2 if z > 0 else z - 2

    jitted = al.jit(f)
    assert jitted(3.0, 4.0) == 9.0 and jitted(-3.0, 1.0) == -4.0


W = Value(2.0)


def scaled(x):
    return W * x


def test_an_unpickled_function_reads_the_values_it_closes_over_not_copies():
    jitted = al.jit(scaled)
    assert jitted(3.0) == 6.0
    copy = pickle.loads(pickle.dumps(jitted))
    W.data = 5.0
    try:
        assert jitted(3.0) == copy(3.0) == 15.0
    finally:
        W.data = 2.0


def test_a_plain_int_in_the_result_stays_an_int_on_every_backend():
    f = al.jit(lambda x: (x * 2, 3))
    assert f(1.0) == f(1.0) == (2.0, 3) and type(f(2.0)[1]) is int

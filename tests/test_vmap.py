"""vmap: one scalar function over arrays of points, each point on its own branch, errors named by point."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.testing import expressions


def price(S, K, T, r, sigma):
    """Black–Scholes call price."""
    d1 = (al.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * al.sqrt(T))
    d2 = d1 - sigma * al.sqrt(T)
    cdf = lambda x: 0.5 * (1.0 + al.erf(x / math.sqrt(2.0)))
    return S * cdf(d1) - K * al.exp(-r * T) * cdf(d2)


def market(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(50, 150, n), rng.uniform(50, 150, n), rng.uniform(0.1, 2, n), rng.uniform(0, 0.05, n),
            rng.uniform(0.1, 0.5, n))  # fmt: skip


def test_black_scholes_price_and_greeks_match_the_eager_engine_at_every_point():
    greeks = al.value_and_grad(price, argnums=(0, 1, 2, 3, 4))
    args = market(2000)
    values, slopes = al.vmap(greeks)(*args)
    assert values.shape == (2000,) and len(slopes) == 5 and all(s.shape == (2000,) for s in slopes)
    for i in (0, 1, 777, 1999):
        v, g = greeks(*(a[i] for a in args))
        assert values[i] == pytest.approx(v, rel=1e-13, abs=1e-12)
        assert [s[i] for s in slopes] == pytest.approx(list(g), rel=1e-12, abs=1e-12)


@given(expressions(n_inputs=2), st.integers(0, 2**32 - 1))
def test_random_expressions_and_their_gradients_match_eager_at_every_point(expr, seed):
    xs, ys = np.random.default_rng(seed).uniform(-2, 2, (2, 40))
    f = al.value_and_grad(expr, argnums=(0, 1))
    try:
        values, (dx, dy) = al.vmap(f)(xs, ys)
    except (ValueError, ArithmeticError) as error:
        assert "vmap: at point" in str(error)  # the first point where eager code fails too
        i = int(str(error).split("at point ")[1].split(" ")[0])
        with pytest.raises(type(error)):
            f(xs[i], ys[i])
        return
    for i in range(40):
        v, (gx, gy) = f(xs[i], ys[i])
        assert [values[i], dx[i], dy[i]] == pytest.approx([v, gx, gy], rel=1e-9, abs=1e-9)


def test_each_point_takes_its_own_branch():
    f = al.vmap(al.value_and_grad(lambda x: x * x if x > 0 else -3.0 * x))
    xs = np.array([2.0, -1.0, 0.5, -4.0, 3.0])
    values, slopes = f(xs)
    assert values.tolist() == [4.0, 3.0, 0.25, 12.0, 9.0]
    assert slopes.tolist() == [4.0, -3.0, 1.0, -3.0, 6.0]
    assert f.note == "2 program(s) for 5 points (3, 2)"


def test_the_branch_of_a_derivative_is_per_point_too():
    f = al.vmap(al.grad(al.relu))
    assert f(np.array([-1.0, 2.0, -0.5, 3.0])).tolist() == [0.0, 1.0, 0.0, 1.0]


def test_beyond_the_bound_the_rest_go_through_the_eager_engine():
    def staircase(x):
        return x * al.floor(x)  # every unit interval its own branch of floor... recorded as a node, not a guard

    def steps(x):
        k = 0.0
        for edge in (1.0, 2.0, 3.0, 4.0):
            if x > edge:
                k += 1.0
        return x * k

    f = al.vmap(steps, max_programs=2)
    xs = np.array([0.5, 1.5, 2.5, 3.5, 4.5])
    assert f(xs).tolist() == [0.0, 1.5, 5.0, 10.5, 18.0]
    assert "3 through the eager engine" in f.note
    assert al.vmap(staircase)(np.array([0.5, 1.5, 2.5])).tolist() == [0.0, 1.5, 5.0]


def test_a_shared_argument_and_points_that_are_arrays():
    f = al.vmap(al.grad(lambda v, a: a * al.sum_(x * x for x in v)), in_axes=(0, None))
    vs = np.array([[1.0, 2.0], [3.0, -1.0]])
    got = f(vs, 0.5)
    assert got.shape == (2, 2) and got.tolist() == [[1.0, 2.0], [3.0, -1.0]]


def test_a_non_finite_point_names_the_operation_the_index_and_the_inputs():
    f = al.vmap(lambda x: al.log(x) * 2.0)
    with pytest.raises(ValueError, match=r"vmap: at point 2 \(-1\.0\): log"):
        f(np.array([1.0, 2.0, -1.0, 3.0, -5.0]))
    with pytest.raises(OverflowError, match=r"vmap: at point 1 \(1000\.0\): exp"):
        al.vmap(al.exp)(np.array([1.0, 1000.0]))


def test_with_the_mask_opt_in_failing_points_are_nan_beside_a_mask():
    values, ok = al.vmap(lambda x: al.sqrt(x) + 1.0, on_error="mask")(np.array([4.0, -1.0, 9.0, -2.0]))
    assert ok.tolist() == [True, False, True, False]
    assert values[ok].tolist() == [3.0, 4.0] and np.isnan(values[~ok]).all()


def test_programs_are_kept_across_calls():
    f = al.vmap(lambda x: x * x if x > 0 else -x)
    f(np.array([1.0, -1.0]))
    first = f._programs[:]
    assert f(np.array([-3.0, 2.0])).tolist() == [3.0, 4.0] and f._programs == first


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="same length"):
        al.vmap(lambda x, y: x * y)(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="in_axes"):
        al.vmap(lambda x: x, in_axes=(1,))(np.zeros(3))
    with pytest.raises(ValueError, match="on_error"):
        al.vmap(lambda x: x, on_error="ignore")


def test_the_eager_engine_judges_a_point_on_plain_floats_not_numpys():
    """Beyond the bound (and for errors) a point runs on Python floats, which raise where numpy's would warn."""
    f = lambda x: x * 2 if x > 0 else 1 / (x + 1)
    with pytest.raises(ZeroDivisionError, match=r"vmap: at point 1 \(-1\.0\)"):
        al.vmap(f, max_programs=1)(np.array([1.0, -1.0]))
    values, ok = al.vmap(f, max_programs=1, on_error="mask")(np.array([1.0, -1.0]))
    assert ok.tolist() == [True, False] and values[0] == 2.0 and np.isnan(values[1])


def test_the_first_failing_point_is_named_whatever_branch_it_takes():
    with pytest.raises(ValueError, match=r"at point 1 \(-20\.0\): log"):
        al.vmap(lambda x: 1 / (x - 3) if x > 0 else al.log(x + 10))(np.array([1.0, -20.0, 3.0]))


def test_the_mask_catches_an_inf_that_a_later_operation_hides():
    values, ok = al.vmap(lambda x: 1 / (1 + al.exp(x)), on_error="mask")(np.array([0.0, 1000.0]))
    assert ok.tolist() == [True, False] and values[0] == 0.5  # exp(1000) overflows: eager code raises there


def test_when_every_point_fails_the_mask_gives_the_eager_error():
    with pytest.raises(ValueError, match="vmap: at point 0"):
        al.vmap(al.log, on_error="mask")(np.array([-1.0, -2.0]))


def test_a_shared_zero_keeps_its_sign():
    f = al.vmap(al.copysign, in_axes=(0, None))
    assert f(np.array([2.0]), 0.0).tolist() == [2.0] and f(np.array([2.0]), -0.0).tolist() == [-2.0]

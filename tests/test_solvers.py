"""al.root, al.fixed_point and al.argmin: answers, derivatives at every order, errors, replay, the examples."""

import math
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.higher import differentiate

ROOT = Path(__file__).resolve().parent.parent


def richardson(f, x, h=1e-2):
    """f′(x) from central differences at h, h/2, h/4, extrapolated twice: error of order h⁶."""
    d = [(f(x + s) - f(x - s)) / (2.0 * s) for s in (h, h / 2.0, h / 4.0)]
    r1, r2 = (4.0 * d[1] - d[0]) / 3.0, (4.0 * d[2] - d[1]) / 3.0
    return (16.0 * r2 - r1) / 15.0


def close(a, b, tol):
    return abs(a - b) <= tol * max(1.0, abs(b))


# ---------------------------------------------------------------------------
# Problems with one parameter θ: each a function θ -> one number of a solve's answer
# ---------------------------------------------------------------------------


def kepler_in_m(m):
    """E(M) for e = 0.6: Kepler's equation E − e·sin E = M."""
    return al.root(lambda E, m: E - 0.6 * al.sin(E) - m, 1.0, m)


def kepler_in_e(e):
    """E(e) for M = 1.2."""
    return al.root(lambda E, e: E - e * al.sin(E) - 1.2, 1.0, e)


def system_first(a):
    """The first unknown of x² + y = a, x − y³ = 0.5."""
    return al.root(lambda v, a: [v[0] ** 2 + v[1] - a, v[0] - v[1] ** 3 - 0.5], [1.0, 1.0], a)[0]


def dottie(a):
    """x = cos(a·x)."""
    return al.fixed_point(lambda x, a: al.cos(a * x), 0.7, a)


def smooth_argmin(lam):
    """The second coordinate of the minimizer of a smooth, strictly convex function of two numbers."""
    def f(w, lam):
        return al.softplus(w[0] - 1.0) + (w[1] + 0.5) ** 2 + 0.3 * w[0] * w[1] + lam * (w[0] ** 2 + al.cosh(w[1]))

    return al.argmin(f, [0.0, 0.0], lam)[1]


PROBLEMS = [(kepler_in_m, 1.0), (kepler_in_e, 0.5), (system_first, 3.0), (dottie, 1.3), (smooth_argmin, 0.4)]


def nth_derivative(f, order):
    for _ in range(order):
        f = al.grad(f)
    return f


@pytest.mark.parametrize(("problem", "theta"), PROBLEMS, ids=lambda p: getattr(p, "__name__", ""))
@pytest.mark.parametrize("order", [1, 2, 3])
def test_every_order_matches_differences_of_re_solved_problems(problem, theta, order):
    """dᵏx*/dθᵏ for k = 1, 2, 3 is the Richardson-extrapolated central difference of the exact (k−1)-th, re-solved."""
    exact = nth_derivative(problem, order)(theta)
    numeric = richardson(nth_derivative(problem, order - 1), theta)
    assert close(exact, numeric, 1e-8), (exact, numeric)


def test_kepler_derivatives_match_their_closed_forms():
    """∂E/∂M = 1/D, ∂E/∂e = sin E/D, and the three second derivatives, with D = 1 − e·cos E."""
    solve = lambda m, e: al.root(lambda E, m, e: E - e * al.sin(E) - m, m, m, e)
    m, e = 2.0, 0.7
    E = solve(m, e)
    s, c = math.sin(E), math.cos(E)
    d = 1.0 - e * c
    assert math.isclose(E - e * s, m, rel_tol=1e-15)
    assert al.grad(solve, (0, 1))(m, e) == pytest.approx((1 / d, s / d), rel=1e-14)
    h = al.hessian(solve, argnums=(0, 1))(m, e)
    assert h[0][0] == pytest.approx(-e * s / d**3, rel=1e-13)
    assert h[0][1] == pytest.approx((c - e) / d**3, rel=1e-13) and h[1][0] == pytest.approx(h[0][1], rel=1e-13)
    assert h[1][1] == pytest.approx((2 * s * c * d - e * s**3) / d**3, rel=1e-13)


def test_jvp_and_hvp_agree_with_grad_and_hessian():
    """Forward mode through a solve: jvp is the gradient along the tangent, hvp a column of the Hessian."""
    solve = lambda m, e: al.root(lambda E, m, e: E - e * al.sin(E) - m, m, m, e)
    value, tangent = al.jvp(solve, (1.0, 0.5), (0.3, -0.2))
    g = al.grad(solve, (0, 1))(1.0, 0.5)
    assert value == solve(1.0, 0.5) and tangent == pytest.approx(0.3 * g[0] - 0.2 * g[1], rel=1e-14)
    h = al.hessian(solve, argnums=(0, 1))(1.0, 0.5)
    assert al.hvp(solve, (1.0, 0.5), (1.0, 0.0)) == pytest.approx((h[0][0], h[1][0]), rel=1e-13)


def test_a_system_s_jacobian_and_second_derivatives_match_re_solves():
    """For two unknowns, the Jacobian in two parameters and the Hessian of each unknown, against differences."""
    F = lambda v, a, b: [v[0] ** 2 + v[1] - a, v[0] - v[1] ** 3 - b]
    solve = lambda a, b: al.root(F, (1.0, 1.0), a, b)
    x = solve(3.0, 0.5)
    assert isinstance(x, tuple) and all(abs(r) < 1e-15 for r in F(x, 3.0, 0.5))
    jac = al.jacobian(solve, argnums=(0, 1))(3.0, 0.5)
    for i in range(2):
        assert close(jac[i][0], richardson(lambda a, i=i: solve(a, 0.5)[i], 3.0), 1e-9)
        assert close(jac[i][1], richardson(lambda b, i=i: solve(3.0, b)[i], 0.5), 1e-9)
        h = al.hessian(lambda a, b, i=i: solve(a, b)[i], argnums=(0, 1))(3.0, 0.5)
        assert close(h[0][1], richardson(lambda b, i=i: al.grad(lambda a: solve(a, b)[i])(3.0), 0.5), 1e-8)
        assert h[0][1] == pytest.approx(h[1][0], rel=1e-12)


def test_a_solve_inside_a_solve():
    """The outer equation calls al.root; both orders of the outer answer match re-solved differences."""
    inner = lambda x, t: al.root(lambda y, x, t: y**3 + y - x - t, 0.0, x, t)
    outer = lambda t: al.root(lambda x, t: x - 0.5 * inner(x, t) - 1.0, 0.0, t)
    assert close(al.grad(outer)(0.3), richardson(outer, 0.3), 1e-9)
    assert close(al.grad(al.grad(outer))(0.3), richardson(al.grad(outer), 0.3), 1e-8)


def test_ridge_weights_and_their_derivative_have_the_closed_form():
    """argmin of ‖y − Xw‖² + λ‖w‖² is (XᵀX + λI)⁻¹Xᵀy, and dw/dλ = −(XᵀX + λI)⁻¹w (X's rows (1, 0), (1, 1), (0, 1))."""

    def loss(w, lam):
        return (1.0 - w[0]) ** 2 + (1.0 - w[0] - w[1]) ** 2 + (2.0 - w[1]) ** 2 + lam * (w[0] ** 2 + w[1] ** 2)

    lam = 0.5
    a = [[2.0 + lam, 1.0], [1.0, 2.0 + lam]]  # XᵀX + λI for the rows (1, 0), (1, 1), (0, 1)
    det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    inv = [[a[1][1] / det, -a[0][1] / det], [-a[1][0] / det, a[0][0] / det]]
    xty = [2.0, 3.0]
    w = [inv[i][0] * xty[0] + inv[i][1] * xty[1] for i in range(2)]
    dw = [-(inv[i][0] * w[0] + inv[i][1] * w[1]) for i in range(2)]
    assert al.argmin(loss, [0.0, 0.0], lam) == pytest.approx(w, rel=1e-14)
    jac = al.jacobian(lambda lam: al.argmin(loss, [0.0, 0.0], lam))(lam)
    assert [row[0] for row in jac] == pytest.approx(dw, rel=1e-13)


# ---------------------------------------------------------------------------
# Random problems with known roots
# ---------------------------------------------------------------------------


@given(
    a=st.floats(-5.0, 5.0),
    b=st.floats(0.0, 3.0),
    offset=st.floats(-2.0, 2.0),
)
def test_random_smooth_problems_with_a_known_root(a, b, offset):
    """F(x, a, b) = (x − a)·(1 + b·x²) has the one root x* = a: dx*/da = 1, dx*/db = 0, every second derivative 0."""
    F = lambda x, a, b: (x - a) * (1.0 + b * x * x)
    solve = lambda a, b: al.root(F, a + offset, a, b)
    assert solve(a, b) == pytest.approx(a, abs=1e-14)
    assert al.grad(solve, (0, 1))(a, b) == pytest.approx((1.0, 0.0), abs=1e-12)
    h = al.hessian(solve, argnums=(0, 1))(a, b)
    assert max(abs(x) for row in h for x in row) <= 1e-10


@given(p=st.floats(0.1, 5.0), q=st.floats(-10.0, 10.0))
def test_random_cubics_match_the_implicit_function_theorem(p, q):
    """x³ + p·x − q = 0: dx/dq = 1/(3x² + p), dx/dp = −x/(3x² + p), d²x/dq² = −6x/(3x² + p)³."""
    solve = lambda p, q: al.root(lambda x, p, q: x**3 + p * x - q, 0.0, p, q)
    x = solve(p, q)
    d = 3 * x * x + p
    assert abs(x**3 + p * x - q) <= 1e-13 * max(1.0, abs(q))
    assert al.grad(solve, (0, 1))(p, q) == pytest.approx((-x / d, 1 / d), rel=1e-12, abs=1e-14)
    assert al.grad(al.grad(solve, 1), 1)(p, q) == pytest.approx(-6 * x / d**3, rel=1e-10, abs=1e-13)


@given(a=st.floats(-3.0, 3.0), b=st.floats(-3.0, 3.0), k=st.floats(-2.0, 2.0))
def test_random_systems_with_a_known_root(a, b, k):
    """F = [(x − a)(1 + y²), (y − b) + k(x − a)²] has the root (a, b): its Jacobian in (a, b) is I, its curvature 0."""
    F = lambda v, a, b: [(v[0] - a) * (1.0 + v[1] ** 2), (v[1] - b) + k * (v[0] - a) ** 2]
    solve = lambda a, b: al.root(F, [a + 0.5, b - 0.5], a, b)
    assert solve(a, b) == pytest.approx([a, b], abs=1e-13)
    jac = al.jacobian(solve, argnums=(0, 1))(a, b)
    assert jac == [pytest.approx([1.0, 0.0], abs=1e-12), pytest.approx([0.0, 1.0], abs=1e-12)]
    for i in range(2):
        h = al.hessian(lambda a, b, i=i: solve(a, b)[i], argnums=(0, 1))(a, b)
        assert max(abs(x) for row in h for x in row) <= 1e-9


# ---------------------------------------------------------------------------
# What the answer is: shapes, numbers, Values
# ---------------------------------------------------------------------------


def test_plain_numbers_give_floats_and_values_give_nodes():
    """No Value among the parameters: floats, in x0's shape. A Value: one node per unknown, its parents the Values."""
    F = lambda v, a: {"x": v["x"] + v["y"] - a, "y": v["x"] - v["y"]}
    assert al.root(F, {"x": 0.0, "y": 0.0}, 4.0) == {"x": 2.0, "y": 2.0}
    a = al.Value(4.0)
    x = al.root(F, {"x": 0.0, "y": 0.0}, a)
    assert set(x) == {"x", "y"} and all(v.parents == (a,) for v in x.values())
    x["x"].backward()
    assert a.grad == 0.5


def test_parameters_may_be_containers_and_numpy_arrays_stay_arrays():
    """Values inside a list or dict are parameters; a parameter without Values (a numpy array) reaches F unchanged."""
    np = pytest.importorskip("numpy")
    seen = []

    def F(x, p, data):
        seen.append(type(data))
        return x * p["scale"][0] - float(data.sum())

    g = al.grad(lambda s: al.root(F, 1.0, {"scale": [s]}, np.array([1.0, 2.0])))(2.0)
    assert g == pytest.approx(-3.0 / 4.0) and set(seen) == {np.ndarray}


def test_the_same_value_twice_and_a_value_start():
    """A Value passed as two parameters gets both derivatives; x0 may be a Value (only its number is used)."""
    a = al.Value(3.0)
    x = al.root(lambda x, p, q: x - p * q, al.Value(1.0), a, a)  # x = a²
    x.backward()
    assert x.data == 9.0 and a.grad == 6.0


def test_inside_no_grad_the_answer_is_a_constant():
    a = al.Value(2.0)
    with al.no_grad():
        x = al.root(lambda x, a: x * x - a, 1.0, a)
    assert x.is_leaf and x.data == pytest.approx(math.sqrt(2.0), rel=1e-15)


def test_a_root_at_a_tiny_scale_is_found_to_its_own_precision():
    """The step test is relative: log x = −100 is solved to e^−100, not stopped near 1e-14."""
    assert al.root(lambda x: al.log(x) + 100.0, 1.0) == pytest.approx(math.exp(-100.0), rel=1e-14)
    assert al.root(lambda x, a: (x - a) * (1.0 + x * x), 1.0, 0.0) == 0.0


def test_fixed_point_by_iteration_or_newton_and_argmin_agree():
    """method='iterate' and Newton reach the same fixed point; argmin of ∫ is the root of its derivative."""
    g = lambda x, a: al.cos(a * x)
    assert al.fixed_point(g, 1.0, 1.0, method="iterate") == pytest.approx(al.fixed_point(g, 1.0, 1.0), rel=1e-15)
    assert al.grad(lambda a: al.fixed_point(g, 1.0, a, method="iterate"))(1.0) == pytest.approx(
        al.grad(lambda a: al.fixed_point(g, 1.0, a))(1.0), rel=1e-14
    )
    f = lambda x, a: al.cosh(x - a) + 0.5 * x * x  # minimum where sinh(x − a) + x = 0
    assert al.argmin(f, 0.0, 2.0) == pytest.approx(al.root(lambda x, a: al.sinh(x - a) + x, 0.0, 2.0), rel=1e-15)


def test_scipy_finds_the_same_roots():
    """method='scipy': brentq in a bracket, newton without, root for systems; Newton finishes; the same derivative."""
    pytest.importorskip("scipy")
    F = lambda x, a: x**3 + x - a
    for bracket in (None, (0.0, 3.0)):
        assert al.root(F, 1.0, 2.0, method="scipy", bracket=bracket) == pytest.approx(1.0, abs=1e-15)
    assert al.grad(lambda a: al.root(F, 1.0, a, method="scipy"))(2.0) == pytest.approx(0.25, rel=1e-14)
    G = lambda v, a: [v[0] ** 2 + v[1] - a, v[0] - v[1] ** 3 - 0.5]
    assert al.root(G, [1.0, 1.0], 3.0, method="scipy") == pytest.approx(al.root(G, [1.0, 1.0], 3.0), rel=1e-14)


# ---------------------------------------------------------------------------
# The derivative is the implicit one: its cost and its accuracy do not depend on the iterations
# ---------------------------------------------------------------------------


def test_the_derivative_costs_one_evaluation_per_order_whatever_the_iterations():
    """From a start near the root or far away, grad evaluates F once more than the solve, the second order twice."""
    calls = [0]

    def F(x, a):
        calls[0] += 1
        return x * x * x + x - a

    costs = []
    for x0 in (1.1, 50.0, 1e4):
        calls[0] = 0
        al.root(F, x0, 2.0)
        solve = calls[0]
        calls[0] = 0
        assert al.grad(lambda a, x0=x0: al.root(F, x0, a))(2.0) == 0.25
        first = calls[0] - solve
        calls[0] = 0
        al.grad(al.grad(lambda a, x0=x0: al.root(F, x0, a)))(2.0)
        costs.append((solve, first, calls[0] - solve))
    assert costs[0][0] < costs[1][0] < costs[2][0]  # the solves took more iterations from further away
    assert {c[1:] for c in costs} == {(1, 2)}


def test_a_loose_tolerance_changes_the_derivative_only_through_the_answer():
    """With tol = 1e-4 the derivative is still −F_θ/F_x at the answer returned, to rounding: nothing is unrolled."""
    F = lambda E, m: E - 0.6 * al.sin(E) - m
    for tol in (1e-4, 1e-12):
        value, slope = al.value_and_grad(lambda m, tol=tol: al.root(F, 1.0, m, tol=tol))(1.0)
        assert slope == pytest.approx(1.0 / (1.0 - 0.6 * math.cos(value)), rel=1e-15)


# ---------------------------------------------------------------------------
# Errors instead of wrong numbers
# ---------------------------------------------------------------------------


def test_no_convergence_names_the_solver_the_point_and_the_residual():
    with pytest.raises(al.SolverError, match=r"root: no convergence in 3 iterations: the last iterate x = 1\.49") as e:
        al.root(lambda x: al.atan(x) - 1.0, 10.0, maxiter=3)
    assert e.value.solver == "root" and e.value.point == pytest.approx(1.4988, abs=1e-4)
    assert e.value.residual == pytest.approx(-0.0176, abs=1e-4) and isinstance(e.value, ValueError)


def test_no_root_stalls_and_says_where():
    with pytest.raises(al.SolverError, match=r"stalled at x = 0\.0, where F = 1\.0 and ∂F/∂x = 0\.0"):
        al.root(lambda x: x * x + 1.0, 1.0)


@pytest.mark.parametrize(
    ("F", "x0", "params"),
    [
        (lambda x, a: (x - a) ** 2, 0.0, (1.0,)),  # a double root
        (lambda x, t: (x - 1.0) ** 3 - t, 2.0, (0.0,)),  # a triple one
        (lambda v: [(v[0] - 1.0) ** 2, v[1] - 1.0], [0.0, 0.0], ()),  # a double root of a system
    ],
    ids=["double", "triple", "system"],
)
def test_a_singular_derivative_at_the_answer_is_an_error(F, x0, params):
    """A multiple root: ∂F/∂x is singular there, so the implicit derivative does not exist."""
    with pytest.raises(al.SolverError, match=r"is singular at the solution x = .*implicit derivative"):
        al.root(F, x0, *params)


def test_a_multiple_root_at_zero_says_newton_converges_only_linearly():
    with pytest.raises(al.SolverError, match=r"steady factor of about 0\.67.*multiple root"):
        al.root(lambda x, t: x**3 - t, 1.0, 0.0)


def test_a_singular_jacobian_on_the_way_is_an_error():
    with pytest.raises(al.SolverError, match=r"singular at x = \[0\.0, 1\.0\].*cannot step"):
        al.root(lambda v, a: [v[0] + v[1] - a, 2 * v[0] + 2 * v[1] - 2 * a], [0.0, 1.0], 1.0)


def test_a_root_outside_the_domain_is_an_error():
    """√x + 1 has no root: the steps keep leaving x ≥ 0; log at a negative start cannot even be evaluated."""
    with pytest.raises(al.SolverError, match=r"leaves F's domain: sqrt: needs x >= 0"):
        al.root(lambda x, c: al.sqrt(x) + c, 4.0, 1.0)
    with pytest.raises(al.SolverError, match=r"cannot be evaluated at the start x0 = -1\.0"):
        al.root(lambda x: al.log(x), -1.0)


def test_a_jump_or_a_pole_in_a_bracket_is_not_a_root():
    step = lambda x: x + 1.0 if x >= 1.0 else x - 2.0  # jumps over 0 at x = 1
    with pytest.raises(al.SolverError, match=r"changes sign between 0\.99999.* and 1\.0 but is not zero"):
        al.root(step, 0.5, bracket=(0.0, 3.0))
    with pytest.raises(al.SolverError, match=r"jump or have a pole"):
        al.root(lambda x: 1.0 / x, 0.3, bracket=(-1.0, 2.0))


def test_a_bracket_must_hold_a_sign_change_and_one_unknown():
    with pytest.raises(al.SolverError, match=r"does not change sign on the bracket \(2\.0, 3\.0\)"):
        al.root(lambda x: x * x - 2.0, 1.0, bracket=(2.0, 3.0))
    assert al.root(lambda x: x * x - 2.0, 9.0, bracket=(3.0, 0.0)) == pytest.approx(math.sqrt(2.0), rel=1e-15)
    with pytest.raises(ValueError, match="bracket is for one unknown"):
        al.root(lambda v: v, [1.0, 2.0], bracket=(0.0, 1.0))


def test_argmin_refuses_a_maximum_and_a_saddle():
    with pytest.raises(al.SolverError, match=r"argmin: x = 0\.05 is a stationary point .* not a minimum"):
        al.argmin(lambda x: -x * x + 0.1 * x, 1.0)
    with pytest.raises(al.SolverError, match=r"not positive definite"):
        al.argmin(lambda w: w[0] ** 2 - w[1] ** 2, [0.3, 0.2])


def test_a_closure_over_a_value_is_refused():
    """A Value F closes over would be a constant to the solve: its derivative would be silently lost."""
    with pytest.raises(TypeError, match="closes over a Value"):
        al.grad(lambda a: al.root(lambda x: x * x - a, 1.0))(2.0)


def test_an_al_grad_inside_f_is_not_taken_for_a_closure():
    """F may differentiate on its own (here the root of f′): inside an outer grad it still sees plain numbers."""
    f = lambda x, a: al.cosh(x - a) + 0.5 * x * x
    root_of_slope = lambda a: al.root(lambda x, a: al.grad(f)(x, a), 0.0, a)
    assert al.grad(root_of_slope)(2.0) == pytest.approx(al.grad(lambda a: al.argmin(f, 0.0, a))(2.0), rel=1e-14)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: al.root(lambda v: [v[0]], [1.0, 2.0]), ValueError, "F returned 1 number"),
        (lambda: al.root(lambda x: x, 1.0, method="brent"), ValueError, "method must be one of 'newton', 'scipy'"),
        (lambda: al.root(lambda x: x, 1.0, method="iterate"), ValueError, "method must be one of"),
        (lambda: al.root(lambda x: x, 1.0, tol=0.0), ValueError, "tol must be positive"),
        (lambda: al.root(lambda x: x, 1.0, maxiter=0), ValueError, "maxiter must be a positive int"),
        (lambda: al.root(lambda x: x, 1.0, bracket=(1.0,)), TypeError, "bracket must be a pair"),
        (lambda: al.root(lambda x: x, []), ValueError, "x0 holds no number"),
        (lambda: al.root(3.0, 1.0), TypeError, "must be a function"),
        (lambda: al.argmin(lambda x: [x], 1.0), TypeError, "f must return one number"),
        (lambda: al.fixed_point(lambda x: 2 * x + 1, 1.0, method="iterate"), al.SolverError, "did not settle"),
    ],
)
def test_bad_calls_say_what_is_wrong(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_a_graph_holding_a_solve_refuses_to_pickle():
    x = al.root(lambda x, a: x * x - a, 1.0, al.Value(2.0))
    with pytest.raises(TypeError, match="holds the function F"):
        pickle.dumps(x)


# ---------------------------------------------------------------------------
# Replay solves again
# ---------------------------------------------------------------------------


def test_a_compiled_graph_solves_again_at_new_parameters():
    """The tape calls the solve's row by name: forward() solves at the new numbers, backward() differentiates there."""
    F = lambda v, a, b: [v[0] ** 2 + v[1] - a, v[0] - v[1] ** 3 - b]
    a, b = al.Value(3.0), al.Value(0.5)
    x = al.root(F, [1.0, 1.0], a, b)
    tape = al.compile(x[0] * x[1] + x[0])
    assert "root_0_(" in tape.source and "root_0__derivs(" in tape.source
    a.data, b.data = 2.5, 0.2
    value = tape.forward()
    tape.backward()
    expected = al.value_and_grad(lambda a, b: (lambda x: x[0] * x[1] + x[0])(al.root(F, [1.0, 1.0], a, b)), (0, 1))
    assert (value, (a.grad, b.grad)) == expected(2.5, 0.2)


def test_a_replay_whose_solve_fails_raises_and_refuses_backward():
    r = al.Value(2.0)
    tape = al.compile(al.root(lambda x, r: x * x - r, 1.0, r))
    r.data = -1.0
    with pytest.raises(al.SolverError, match="stalled"):
        tape.forward()
    with pytest.raises(RuntimeError, match="last forward"):
        tape.backward()
    r.data = 9.0
    assert tape.forward() == 3.0


def test_a_compiled_derivative_checks_the_branch_f_took():
    """F branches on x; the derivative graph keeps that comparison, so its replay sees the branch change."""
    F = lambda x, a: (x * x - a) if x > 0 else (x + 10.0)
    a = al.Value(4.0)
    (slope,) = differentiate(al.root(F, 1.0, a), [a])  # a graph of its own: 1/(2x*)
    assert slope.data == 0.25
    tape = al.compile(slope)
    a.data = 9.0
    assert tape.forward() == pytest.approx(1.0 / 6.0, rel=1e-15)
    a.data = -1.0  # the root is now x* = −10, on the other branch
    with pytest.raises(al.BranchChangedError):
        tape.forward()


# ---------------------------------------------------------------------------
# The examples and the benchmark row
# ---------------------------------------------------------------------------


def run_example(name):
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True,
                            timeout=120, check=False, env=environment)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CHECK FAILED" not in result.stdout and "All checks passed." in result.stdout
    return result.stdout


def test_the_kepler_example():
    out = run_example("kepler.py")
    assert "e = 0.3, M = 1.0: E = 1.288091313211838" in out
    assert re.search(r"e = 0\.99, M = 0\.01: E = 0\.3422703164917", out)
    assert len(re.findall(r"^    d3E/dM3 .* ok$", out, re.M)) == 6


def test_the_implied_volatility_example():
    out = run_example("implied_volatility.py")
    assert re.search(r"σ\(price\)\s+\+2\.70000000000000\de-01", out)
    row = re.search(r"^\s+100\.0\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", out, re.M)
    assert row is not None and row.group(2) == "0.200000000" and row.group(4) == row.group(5)
    assert len(re.findall(r"^\s+\d+\.0\s+\d+\.\d+\s+0\.\d+\s+\S+e-1\d", out, re.M)) == 7


def test_the_bilevel_ridge_example():
    out = run_example("bilevel_ridge.py")
    assert "tuned: λ* = 0.173586160906" in out
    assert out.count("re-solved FD") == 3 and out.count(" ok") == 13


def test_the_benchmark_row_agrees_with_hand_written_code():
    """benchmarks/solvers.py: al.root and unrolled Newton give σ and dσ/dprice of the hand-written code, to 1e-9."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run as bench
    import solvers as solver_bench

    workload = solver_bench.workload()
    results = {}
    for name, make in workload.implementations.items():
        run = make(workload.small_size)
        run.run()
        results[name] = run.result()
    assert len(results) == 5
    for name, result in results.items():
        assert bench.agree(results["hand-written"], result), name

"""Bilevel ridge regression: the weights as the argmin of their loss, differentiated with respect to the penalty.

Ridge regression fits weights w to training data (X, y) by minimizing

    L(w, λ) = ‖y − X·w‖² / n + λ·‖w‖²,

so the fitted weights are a function of the penalty: w*(λ) = argmin_w L(w, λ).
How well λ generalizes is the validation loss V(λ) = ‖y_val − X_val·w*(λ)‖² / m,
and tuning λ means minimizing V: a problem with a minimization inside.

`al.argmin` finds w*(λ) by Newton's method on ∂L/∂w = 0 and records it with
the implicit function theorem's derivative, dw*/dλ = −(∂²L/∂w²)⁻¹·∂²L/∂w∂λ,
written with Values. So the hypergradient dV/dλ and its derivative d²V/dλ²
are plain `al.grad` calls, and λ itself can be tuned by `al.argmin` (Newton's
method on dV/d(ln λ), with the exact second derivative through the inner
solve). For ridge all of it has a closed form, with A = XᵀX/n + λI:

    w* = A⁻¹·Xᵀy/n     dw*/dλ = −A⁻¹·w*     d²w*/dλ² = 2·A⁻²·w*

The script checks the derivatives against these and against central finite
differences of re-solved problems (Richardson-extrapolated, to 1e-7), then
tunes λ and checks dV/dλ = 0 there; last, how the tuned λ moves when one
validation label moves, a derivative through two nested solves.

Run:  python examples/bilevel_ridge.py
"""

from __future__ import annotations

import math
import random
import sys

import autograd_lite as al

P = 3  # features


def make_data(n, rng, w_true=(1.5, -2.0, 0.5), noise=1.0):
    """n rows of features and noisy targets from a known linear model."""
    xs = [[rng.gauss(0.0, 1.0) for _ in range(P)] for _ in range(n)]
    ys = [sum(wi * xi for wi, xi in zip(w_true, x)) + rng.gauss(0.0, noise) for x in xs]
    return xs, ys


def training_loss(w, lam, xs, ys):
    """L(w, λ) = mean squared residual + λ·‖w‖²."""
    residuals = [y - al.dot(w, x) for x, y in zip(xs, ys)]
    return al.sum_([r * r for r in residuals]) / len(ys) + lam * al.sum_([wi * wi for wi in w])


def fitted_weights(lam, xs, ys):
    """w*(λ): the minimizer of the training loss, from a start at 0."""
    return al.argmin(training_loss, [0.0] * P, lam, xs, ys)


def validation_loss(lam, train, val):
    """V(λ): the mean squared error of w*(λ) on the validation data."""
    w = fitted_weights(lam, *train)
    xs, ys = val
    return al.sum_([(y - al.dot(w, x)) ** 2 for x, y in zip(xs, ys)]) / len(ys)


# -- closed forms, on plain floats ----------------------------------------------------------


def solve(a, b):
    """x with a·x = b, by Gaussian elimination with partial pivoting (a small dense system)."""
    n = len(a)
    m = [[*row, bi] for row, bi in zip(a, b)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            m[r] = [u - f * v for u, v in zip(m[r], m[c])]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (m[i][n] - sum(m[i][k] * x[k] for k in range(i + 1, n))) / m[i][i]
    return x


def ridge_closed_form(lam, xs, ys):
    """w*, dw*/dλ and d²w*/dλ² from A = XᵀX/n + λI."""
    n = len(ys)
    a = [[sum(x[i] * x[j] for x in xs) / n + (lam if i == j else 0.0) for j in range(P)] for i in range(P)]
    w = solve(a, [sum(x[i] * y for x, y in zip(xs, ys)) / n for i in range(P)])
    dw = [-v for v in solve(a, w)]
    d2w = [-2.0 * v for v in solve(a, dw)]
    return w, dw, d2w


def validation_closed_form(lam, train, val):
    """V, dV/dλ and d²V/dλ² through the closed form of w*."""
    w, dw, d2w = ridge_closed_form(lam, *train)
    xs, ys = val
    m = len(ys)
    r = [y - sum(wi * xi for wi, xi in zip(w, x)) for x, y in zip(xs, ys)]
    dr = [-sum(d * xi for d, xi in zip(dw, x)) for x in xs]
    d2r = [-sum(d * xi for d, xi in zip(d2w, x)) for x in xs]
    v = sum(ri * ri for ri in r) / m
    dv = 2.0 * sum(ri * di for ri, di in zip(r, dr)) / m
    d2v = 2.0 * sum(di * di + ri * ei for ri, di, ei in zip(r, dr, d2r)) / m
    return v, dv, d2v


def richardson(f, x, h):
    """f′(x) by central differences at h, h/2, h/4, extrapolated twice (error of order h⁶)."""
    d = [(f(x + s) - f(x - s)) / (2.0 * s) for s in (h, h / 2.0, h / 4.0)]
    r1, r2 = (4.0 * d[1] - d[0]) / 3.0, (4.0 * d[2] - d[1]) / 3.0
    return (16.0 * r2 - r1) / 15.0


def agree(label, exact, reference, what, rtol):
    ok = math.isclose(exact, reference, rel_tol=rtol, abs_tol=rtol * 1e-6)
    print(f"  {label:<22} {exact:+.12e}   {what} {reference:+.12e}   {'ok' if ok else 'CHECK FAILED'}")
    return ok


def main() -> int:
    rng = random.Random(2024)
    train, val = make_data(20, rng), make_data(15, rng)
    lam = 0.3
    w = fitted_weights(lam, *train)
    w_exact, dw_exact, d2w_exact = ridge_closed_form(lam, *train)
    print(f"λ = {lam}: w* = [{', '.join(f'{wi:.12f}' for wi in w)}]")
    ok = all(math.isclose(a, b, rel_tol=1e-13) for a, b in zip(w, w_exact))
    jac = al.jacobian(fitted_weights, argnums=0)(lam, *train)  # argnums=0: λ only, not the data
    print("dw*/dλ and d²w*/dλ², by al.jacobian and a nested one, against the closed forms:")
    second = al.jacobian(lambda lam: al.jacobian(fitted_weights, argnums=0)(lam, *train))(lam)
    for i in range(P):
        ok &= agree(f"dw{i}/dλ", jac[i][0], dw_exact[i], "closed form", 1e-12)
        ok &= agree(f"d²w{i}/dλ²", second[i][0], d2w_exact[i], "closed form", 1e-11)

    print("\nThe validation loss V(λ) and its derivatives, against closed forms and re-solved differences:")
    v_exact, dv_exact, d2v_exact = validation_closed_form(lam, train, val)
    value, slope = al.value_and_grad(validation_loss)(lam, train, val)
    curvature = al.grad(al.grad(validation_loss))(lam, train, val)
    ok &= agree("V(λ)", value, v_exact, "closed form", 1e-13)
    ok &= agree("dV/dλ", slope, dv_exact, "closed form", 1e-12)
    ok &= agree("d²V/dλ²", curvature, d2v_exact, "closed form", 1e-11)
    ok &= agree("dV/dλ", slope, richardson(lambda x: validation_loss(x, train, val), lam, 1e-2), "re-solved FD", 1e-7)
    first = lambda x: al.grad(validation_loss)(x, train, val)
    ok &= agree("d²V/dλ²", curvature, richardson(first, lam, 1e-2), "re-solved FD", 1e-7)

    # Tune λ = e^ρ by Newton's method on dV/dρ: the outer argmin differentiates through the inner one.
    tuned = lambda val: al.argmin(lambda rho, val: validation_loss(al.exp(rho), train, val), 0.0, val)
    rho = tuned(val)
    best = math.exp(rho)
    _, dv_best, d2v_best = validation_closed_form(best, train, val)
    print(f"\ntuned: λ* = {best:.12f}, V(λ*) = {validation_loss(best, train, val):.12f}")
    flat = abs(dv_best) <= 1e-10 * abs(dv_exact) and d2v_best > 0.0
    verdict = "ok" if flat else "CHECK FAILED"
    print(f"  dV/dλ at λ* = {dv_best:+.1e}, d²V/dλ² = {d2v_best:.6f} (closed forms): {verdict}")
    ok &= flat

    # How λ* moves with the first validation label: d ln λ*/dy₀, through both solves, against re-solves.
    def tuned_given_label(y0):
        xs, ys = val
        return tuned((xs, [y0, *ys[1:]]))

    y0 = val[1][0]
    ok &= agree("d ln λ*/dy_val[0]", al.grad(tuned_given_label)(y0), richardson(tuned_given_label, y0, 0.05),
                "re-solved FD", 1e-7)  # fmt: skip
    print("\nAll checks passed." if ok else "\nCHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

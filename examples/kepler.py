"""Kepler's equation E − e·sin E = M, solved for the eccentric anomaly E, and differentiated through the solve.

A planet on an ellipse of eccentricity e is at the mean anomaly M (which grows
uniformly with time) and at the eccentric anomaly E, where

    E − e·sin E = M.

E(M, e) has no closed form, so it comes from a solver; its derivatives do have
closed forms. With D = 1 − e·cos E (differentiating the equation implicitly):

    ∂E/∂M = 1/D                       ∂E/∂e = sin E / D
    ∂²E/∂M² = −e·sin E / D³           ∂²E/∂e² = (2·sin E·cos E·D − e·sin³E) / D³
    ∂²E/∂M∂e = (cos E − e) / D³       ∂³E/∂M³ = −e·(cos E·D − 3e·sin²E) / D⁵

`al.root` solves on floats and records E as one node whose derivative is the
implicit function theorem's, written with Values, so `al.grad`, `al.hessian`
and nested `grad` give every order exactly, at the cost of one evaluation of
the equation per order, however many Newton steps the solve took. This script
checks each derivative against its closed form, at moderate and at nearly
parabolic eccentricity (e = 0.99, where D is close to 0 near perihelion and
Newton's method needs a bracket), and checks the orbit's time derivatives: the
speed dE/dt = n/D for the mean motion n.

Run:  python examples/kepler.py
"""

from __future__ import annotations

import math
import sys

import autograd_lite as al


def kepler(E, M, e):
    """The residual of Kepler's equation: zero at the eccentric anomaly."""
    return E - e * al.sin(E) - M


def eccentric_anomaly(M, e):
    """E(M, e): the root of Kepler's equation, bracketed in [M − e, M + e] (where the residual changes sign)."""
    m, ecc = M.data if isinstance(M, al.Value) else M, e.data if isinstance(e, al.Value) else e
    return al.root(kepler, m, M, e, bracket=(m - ecc, m + ecc))


def closed_forms(E, e):
    """Every derivative of E(M, e) this script checks, from the formulas above."""
    s, c = math.sin(E), math.cos(E)
    d = 1.0 - e * c
    return {
        "dE/dM": 1.0 / d,
        "dE/de": s / d,
        "d2E/dM2": -e * s / d**3,
        "d2E/de2": (2.0 * s * c * d - e * s**3) / d**3,
        "d2E/dMde": (c - e) / d**3,
        "d3E/dM3": -e * (c * d - 3.0 * e * s * s) / d**5,
    }


def by_differentiation(M, e):
    """The same derivatives, each from grad, hessian or nested grad of the solve."""
    h = al.hessian(eccentric_anomaly, argnums=(0, 1))(M, e)
    return {
        "dE/dM": al.grad(eccentric_anomaly, 0)(M, e),
        "dE/de": al.grad(eccentric_anomaly, 1)(M, e),
        "d2E/dM2": h[0][0],
        "d2E/de2": h[1][1],
        "d2E/dMde": h[0][1],
        "d3E/dM3": al.grad(al.grad(al.grad(eccentric_anomaly, 0), 0), 0)(M, e),
    }


def check(label, exact, expected, rtol=1e-12):
    """Print one comparison; return whether it agrees to rtol (relative to the larger of 1 and the number)."""
    ok = abs(exact - expected) <= rtol * max(1.0, abs(expected))
    print(f"    {label:<9} {exact:+.15e}   closed form {expected:+.15e}   {'ok' if ok else 'CHECK FAILED'}")
    return ok


def main() -> int:
    all_ok = True
    for e in (0.3, 0.99):
        for M in (0.01, 1.0, 2.5):
            E = eccentric_anomaly(M, e)
            residual = kepler(E, M, e)
            print(f"e = {e}, M = {M}: E = {E:.15f}   (E − e·sin E − M = {residual:.1e})")
            all_ok &= abs(residual) <= 1e-15
            expected = closed_forms(E, e)
            for label, value in by_differentiation(M, e).items():
                all_ok &= check(label, value, expected[label], rtol=1e-11 if e > 0.9 else 1e-12)

    # The orbit in time: M = n·(t − τ) with the mean motion n. dE/dt = n·∂E/∂M, d²E/dt² = n²·∂²E/∂M².
    n, tau, e = 2.0 * math.pi / 365.25, 10.0, 0.0167  # the Earth: a year, perihelion on day 10

    def anomaly_at(t):
        return eccentric_anomaly(n * (t - tau), e)

    t = 100.0
    E = anomaly_at(t)
    d = 1.0 - e * math.cos(E)
    print(f"\nthe Earth on day {t:g}: E = {E:.12f} rad")
    all_ok &= check("dE/dt", al.grad(anomaly_at)(t), n / d)
    all_ok &= check("d2E/dt2", al.grad(al.grad(anomaly_at))(t), -(n**2) * e * math.sin(E) / d**3)

    print("\nAll checks passed." if all_ok else "\nCHECK FAILED")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Implied volatility: the Black–Scholes price inverted for σ, and differentiated through the inversion.

A call option's Black–Scholes price depends on the volatility σ:

    C(σ) = S·N(d₁) − K·e^(−rT)·N(d₂),   d₁ = (ln(S/K) + (r + σ²/2)·T) / (σ√T),   d₂ = d₁ − σ√T

Traders quote options by the σ that reproduces the market price: the implied
volatility, σ(price), the root of C(σ) − price, which has no closed form. Its
derivatives do, from the greeks vega = ∂C/∂σ = S·φ(d₁)·√T and
vomma = ∂²C/∂σ² = vega·d₁·d₂/σ:

    dσ/dprice = 1/vega        d²σ/dprice² = −vomma/vega³ = −d₁·d₂ / (σ·vega²)
    dσ/dK = e^(−rT)·N(d₂)/vega   (the price held fixed: the slope of the smile in price space)

`al.root` solves C(σ) = price on floats, with Newton's method inside the
bracket 0.001 ≤ σ ≤ 5, and records σ as one node whose derivative is the
implicit function theorem's, so `al.grad` and nested `al.grad` give these
exactly. The script checks them at one option, then inverts a whole smile:
prices generated from a known σ(K) across strikes are turned back into
volatilities, each with its dσ/dprice and d²σ/dprice².

Run:  python examples/implied_volatility.py
"""

from __future__ import annotations

import math
import sys

import autograd_lite as al

SQRT2, SQRT_2PI = math.sqrt(2.0), math.sqrt(2.0 * math.pi)


def normal_cdf(x):
    """N(x), on Values or numbers, through the library's erf."""
    return 0.5 * (1.0 + al.erf(x / SQRT2))


def call_price(sigma, s, k, t, r):
    """The Black–Scholes price of a European call."""
    d1 = (al.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    return s * normal_cdf(d1) - k * al.exp(-r * t) * normal_cdf(d2)


def implied_volatility(price, s, k, t, r):
    """The σ with call_price(σ) = price: a root in the bracket [0.001, 5], from a start of 0.3."""
    return al.root(lambda sigma, price, k: call_price(sigma, s, k, t, r) - price, 0.3, price, k, bracket=(1e-3, 5.0))


def greeks(sigma, s, k, t, r):
    """d₁, d₂, vega and N(d₂) in closed form, with plain floats."""
    d1 = (math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    vega = s * math.exp(-0.5 * d1 * d1) / SQRT_2PI * math.sqrt(t)
    return d1, d2, vega, 0.5 * math.erfc(-d2 / SQRT2)


def agree(label, exact, expected, rtol):
    ok = math.isclose(exact, expected, rel_tol=rtol, abs_tol=rtol * 1e-3)
    print(f"  {label:<16} {exact:+.15e}   closed form {expected:+.15e}   {'ok' if ok else 'CHECK FAILED'}")
    return ok


def one_option(s, k, t, r, sigma_true):
    """Price an option at a known σ, invert the price, and check σ and its derivatives against closed forms."""
    price = call_price(sigma_true, s, k, t, r)
    print(f"S = {s}, K = {k}, T = {t}, r = {r}: the price at σ = {sigma_true} is {price:.12f}")
    sigma = implied_volatility(price, s, k, t, r)
    d1, d2, vega, n_d2 = greeks(sigma, s, k, t, r)
    ok = agree("σ(price)", sigma, sigma_true, 1e-13)
    ok &= agree("dσ/dprice", al.grad(implied_volatility)(price, s, k, t, r), 1.0 / vega, 1e-12)
    ok &= agree("d²σ/dprice²", al.grad(al.grad(implied_volatility))(price, s, k, t, r),
                -d1 * d2 / (sigma * vega**2), 1e-10)  # fmt: skip
    ok &= agree("dσ/dK", al.grad(implied_volatility, 2)(price, s, k, t, r), math.exp(-r * t) * n_d2 / vega, 1e-12)
    return ok


def smile(strike):
    """A volatility smile: σ as a function of the strike (quadratic in log-moneyness, skewed)."""
    m = math.log(strike / 100.0)
    return 0.2 - 0.1 * m + 0.5 * m * m


def main() -> int:
    ok = one_option(100.0, 110.0, 0.75, 0.03, 0.27)
    print("\nA smile: prices from σ(K) = 0.2 − 0.1·ln(K/100) + 0.5·ln²(K/100), inverted strike by strike")
    print(f"  {'K':>6} {'price':>12} {'σ implied':>12} {'|σ − σ(K)|':>11} {'dσ/dprice':>12} {'1/vega':>12} "
          f"{'d²σ/dprice²':>13}")  # fmt: skip
    s, t, r = 100.0, 0.5, 0.01
    for k in (70.0, 80.0, 90.0, 100.0, 110.0, 120.0, 130.0):
        price = call_price(smile(k), s, k, t, r)
        sigma, slope = al.value_and_grad(implied_volatility)(price, s, k, t, r)
        curvature = al.grad(al.grad(implied_volatility))(price, s, k, t, r)
        d1, d2, vega, _ = greeks(sigma, s, k, t, r)
        error = abs(sigma - smile(k))
        ok &= error <= 1e-12 and math.isclose(slope, 1.0 / vega, rel_tol=1e-11)
        ok &= math.isclose(curvature, -d1 * d2 / (sigma * vega**2), rel_tol=1e-9, abs_tol=1e-12)
        print(f"  {k:6.1f} {price:12.6f} {sigma:12.9f} {error:11.1e} {slope:12.8f} {1.0 / vega:12.8f} "
              f"{curvature:+13.6e}")  # fmt: skip
    print("\nAll checks passed." if ok else "\nCHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""The Black–Scholes price of a call option and its greeks, by differentiating the price formula.

A call option's price depends on the stock price S, the strike K, the time to
maturity T (years), the interest rate r and the volatility σ:

    C = S·N(d₁) − K·e^(−rT)·N(d₂),   d₁ = (ln(S/K) + (r + σ²/2)·T) / (σ√T),   d₂ = d₁ − σ√T

where N is the standard normal CDF. Traders call its derivatives the greeks:
delta = ∂C/∂S, gamma = ∂²C/∂S², vega = ∂C/∂σ and theta = −∂C/∂T (the value
lost as a day passes). Each has a closed form, and each is one call of `grad`
on the price formula, here computed twice:

1. with N built from the library's own ``erf``: N(x) = (1 + erf(x/√2)) / 2;
2. with N as a user-defined primitive: its value from ``math.erfc``, and its
   derivative, the normal density, written with ``al.exp`` so that gamma (a
   second derivative) works through it too.

Run:  python examples/custom_primitive.py
"""

from __future__ import annotations

import math
import sys

import autograd_lite as al

SQRT2, SQRT_2PI = math.sqrt(2.0), math.sqrt(2.0 * math.pi)


def normal_cdf_from_erf(x):
    """N(x) from the built-in erf row: a Value in, a Value out."""
    return 0.5 * (1.0 + al.erf(x / SQRT2))


# N(x) as one more row of the table: the value on floats, the derivative N′(x) = φ(x) = e^(−x²/2)/√(2π).
@al.primitive(derivs=lambda x, out: (al.exp(-0.5 * x * x) / SQRT_2PI,))
def normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / SQRT2)


def call_price(cdf):
    """The Black–Scholes call price as a function of (S, K, T, r, sigma), with the normal CDF `cdf`."""

    def price(s, k, t, r, sigma):
        d1 = (al.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * al.sqrt(t))
        d2 = d1 - sigma * al.sqrt(t)
        return s * cdf(d1) - k * al.exp(-r * t) * cdf(d2)

    return price


def greeks_by_differentiation(price, market):
    """The price (plain numbers in, a plain float out), and delta, gamma, vega and theta, each from grad."""
    return {
        "price": price(*market),
        "delta": al.grad(price, argnums=0)(*market),
        "gamma": al.grad(al.grad(price, argnums=0), argnums=0)(*market),
        "vega": al.grad(price, argnums=4)(*market),
        "theta": -al.grad(price, argnums=2)(*market),
    }


def greeks_in_closed_form(market):
    """The textbook formulas, for checking."""
    s, k, t, r, sigma = market
    d1 = (math.log(s / k) + (r + 0.5 * sigma**2) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    big_n = lambda x: 0.5 * math.erfc(-x / SQRT2)
    density = math.exp(-0.5 * d1 * d1) / SQRT_2PI
    return {
        "price": s * big_n(d1) - k * math.exp(-r * t) * big_n(d2),
        "delta": big_n(d1),
        "gamma": density / (s * sigma * math.sqrt(t)),
        "vega": s * density * math.sqrt(t),
        "theta": -s * density * sigma / (2 * math.sqrt(t)) - r * k * math.exp(-r * t) * big_n(d2),
    }


def main() -> int:
    market = (100.0, 95.0, 0.5, 0.03, 0.25)  # S, K, T (years), r, sigma
    print("A call option: S = 100, K = 95, T = 0.5 years, r = 3%, σ = 25%\n")
    closed = greeks_in_closed_form(market)
    built_in = greeks_by_differentiation(call_price(normal_cdf_from_erf), market)
    custom = greeks_by_differentiation(call_price(normal_cdf), market)
    print(f"  {'':<7} {'closed form':>18} {'grad, built-in erf':>20} {'grad, own primitive':>20}")
    failures = 0
    for name in ("price", "delta", "gamma", "vega", "theta"):
        print(f"  {name:<7} {closed[name]:>18.12f} {built_in[name]:>20.12f} {custom[name]:>20.12f}")
        for result in (built_in, custom):
            if not math.isclose(result[name], closed[name], rel_tol=1e-10, abs_tol=1e-12):
                failures += 1
    print(
        "\nEvery greek is one grad of the price formula: gamma nests grad twice, through erf's row or through"
        "\nthe user-defined normal_cdf row, whose derivative is written with al.exp so it differentiates again."
    )
    if failures:
        print(f"\nCHECK FAILED: {failures} greek(s) disagree with the closed form")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

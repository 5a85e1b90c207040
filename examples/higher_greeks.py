"""Black–Scholes higher Greeks from Taylor mode, against their closed forms.

Run it:  python examples/higher_greeks.py [--quick]

The price of a European call (no dividends) is written once, with
autograd_lite's functions, and Taylor mode differentiates it to third order:

* speed  = ∂³C/∂S³                      (``al.derivative(price in S, 3)``)
* ultima = ∂³C/∂σ³                      (``al.derivative(price in σ, 3)``)
* zomma  = ∂³C/∂S²∂σ, a mixed third derivative, and
  colour = ∂³C/∂S²∂τ (τ the time to expiry; per calendar day it is −colour/365),
  both read off ``al.derivatives(price, (S, σ, τ), 3)``, every partial of order
  ≤ 3 from one pass on nested series; vanna ∂²C/∂S∂σ and vomma ∂²C/∂σ² too.

The closed forms, with d₁ = (ln(S/K) + (r + σ²/2)τ)/(σ√τ), d₂ = d₁ − σ√τ, φ the
normal density, Γ = φ(d₁)/(Sσ√τ) and vega = S·φ(d₁)·√τ:

    speed  = −Γ/S·(d₁/(σ√τ) + 1)          zomma = Γ·(d₁d₂ − 1)/σ
    colour = −φ(d₁)/(2Sτσ√τ)·(1 + d₁·(2rτ − d₂σ√τ)/(σ√τ))
    ultima = −vega/σ²·(d₁d₂(1 − d₁d₂) + d₁² + d₂²)
    vanna  = −φ(d₁)·d₂/σ                  vomma = vega·d₁d₂/σ

One market by hand and random ones (seeded) are checked to 1e-10 relative;
speed is also checked against grad nested three times. The script raises
AssertionError at the first Greek that disagrees.
"""

from __future__ import annotations

import argparse
import math
import random
from typing import Any

import autograd_lite as al

STRIKE, RATE = 100.0, 0.03
SQRT_2 = math.sqrt(2.0)


def normal_cdf(x: Any) -> Any:
    """Φ(x) = erfc(−x/√2)/2, accurate in both tails."""
    return 0.5 * al.erfc(-x / SQRT_2)


def call_price(spot: Any, sigma: Any, tau: Any) -> Any:
    """The Black–Scholes price of a call: S·Φ(d₁) − K·e^(−rτ)·Φ(d₂). Numbers, Values or series."""
    root = al.sqrt(tau)
    d1 = (al.log(spot / STRIKE) + (RATE + 0.5 * sigma * sigma) * tau) / (sigma * root)
    d2 = d1 - sigma * root
    return spot * normal_cdf(d1) - STRIKE * al.exp(-RATE * tau) * normal_cdf(d2)


def closed_forms(spot: float, sigma: float, tau: float) -> dict[str, float]:
    """The Greeks of the docstring, from their formulas."""
    root = math.sqrt(tau)
    d1 = (math.log(spot / STRIKE) + (RATE + 0.5 * sigma * sigma) * tau) / (sigma * root)
    d2 = d1 - sigma * root
    density = math.exp(-0.5 * d1 * d1) / math.sqrt(2.0 * math.pi)
    gamma = density / (spot * sigma * root)
    vega = spot * density * root
    return {
        "speed": -gamma / spot * (d1 / (sigma * root) + 1.0),
        "zomma": gamma * (d1 * d2 - 1.0) / sigma,
        "colour": -density / (2.0 * spot * tau * sigma * root) * (1.0 + d1 * (2.0 * RATE * tau - d2 * sigma * root)
                                                                  / (sigma * root)),
        "ultima": -vega / sigma**2 * (d1 * d2 * (1.0 - d1 * d2) + d1 * d1 + d2 * d2),
        "vanna": -density * d2 / sigma,
        "vomma": vega * d1 * d2 / sigma,
    }  # fmt: skip


def taylor_greeks(spot: float, sigma: float, tau: float) -> dict[str, float]:
    """The same Greeks in Taylor mode: two one-variable passes and one pass for every partial up to order 3."""
    partials = al.derivatives(call_price, (spot, sigma, tau), 3)  # keys: how often S, σ, τ are differentiated
    return {
        "speed": al.derivative(lambda s: call_price(s, sigma, tau), 3)(spot),
        "zomma": partials[(2, 1, 0)],
        "colour": partials[(2, 0, 1)],
        "ultima": al.derivative(lambda v: call_price(spot, v, tau), 3)(sigma),
        "vanna": partials[(1, 1, 0)],
        "vomma": partials[(0, 2, 0)],
        # the one-variable partials again, from the mixed pass, must agree with the passes above
        "speed (mixed pass)": partials[(3, 0, 0)],
        "ultima (mixed pass)": partials[(0, 3, 0)],
    }


def check(name: str, got: float, expected: float, rtol: float = 1e-10) -> None:
    """Assert that a Greek agrees with its closed form to `rtol` relative."""
    assert abs(got - expected) <= rtol * abs(expected), f"{name}: Taylor mode {got!r}, closed form {expected!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer random markets")
    args = parser.parse_args(argv)
    rng = random.Random(7)
    markets = [(105.0, 0.25, 0.75)] + [
        (rng.uniform(70.0, 130.0), rng.uniform(0.1, 0.6), rng.uniform(0.1, 2.0)) for _ in range(2 if args.quick else 10)
    ]
    print(f"European call, K = {STRIKE:g}, r = {RATE:g}; Taylor mode against the closed forms\n")
    worst = 0.0
    for i, (spot, sigma, tau) in enumerate(markets):
        ours, theirs = taylor_greeks(spot, sigma, tau), closed_forms(spot, sigma, tau)
        differences = {}
        for name, value in ours.items():
            expected = theirs[name.split(" ")[0]]
            check(name, value, expected)
            differences[name] = abs(value - expected) / abs(expected)
        worst = max(worst, *differences.values())
        if i == 0:
            print(f"S = {spot:g}, σ = {sigma:g}, τ = {tau:g}: price {call_price(spot, sigma, tau):.10f}")
            print(f"    {'Greek':<20} {'Taylor mode':>20} {'closed form':>20} {'relative difference':>20}")
            for name, value in ours.items():
                print(
                    f"    {name:<20} {value:>+20.12e} {theirs[name.split(' ')[0]]:>+20.12e} {differences[name]:>20.1e}"
                )
            print(
                f"\n{len(markets) - 1} random markets (seed 7), the largest relative difference over the Greeks above:"
            )
        else:
            print(f"    S = {spot:7.3f}  σ = {sigma:.3f}  τ = {tau:.3f}   {max(differences.values()):.1e}")
    spot, sigma, tau = markets[0]
    nested = al.grad(al.grad(al.grad(lambda s: call_price(s, sigma, tau))))(spot)
    check("speed by nested grad", nested, closed_forms(spot, sigma, tau)["speed"])
    print(f"\nspeed by grad nested three times: {nested:+.12e}")
    print(f"All Greeks checked: the largest relative difference from a closed form is {worst:.1e}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Taylor polynomials of sin and exp at orders 1, 3, 5 and 9, every coefficient from one Taylor-mode pass.

Run it:  python examples/taylor_polynomials.py [--png PATH] [--quick]

``al.taylor(f, 0.0, 9)`` gives f(0), f′(0), f″(0)/2!, …, f⁽⁹⁾(0)/9! from one
evaluation of f on the series 0 + t. Cut after order n, they are the Taylor
polynomial pₙ, and Lagrange's remainder bounds its error on [−a, a]:

    |f(x) − pₙ(x)| ≤ max|f⁽ⁿ⁺¹⁾|·|x|ⁿ⁺¹/(n + 1)!,

with max|sin⁽ⁿ⁺¹⁾| ≤ 1 and max|exp⁽ⁿ⁺¹⁾| = e^a on [−a, a]. The script checks the
coefficients against 1/k! and (−1)ᵏ/(2k + 1)!, and every polynomial's error at
random points (seeded) against its bound, prints the table, and with
``--png PATH`` draws the polynomials over the functions (matplotlib). It exits
with an AssertionError if a check fails.
"""

from __future__ import annotations

import argparse
import math
import random
from typing import Any

import autograd_lite as al

ORDERS = (1, 3, 5, 9)
REACH = math.pi  # the polynomials are checked on [−π, π]


def exact_coefficients(name: str, order: int) -> list[float]:
    """The Maclaurin coefficients of sin (0, 1, 0, −1/3!, …) or exp (1/k!), from their closed forms."""
    if name == "exp":
        return [1.0 / math.factorial(k) for k in range(order + 1)]
    return [0.0 if k % 2 == 0 else (-1.0) ** (k // 2) / math.factorial(k) for k in range(order + 1)]


def remainder_bound(name: str, n: int, x: float) -> float:
    """Lagrange's bound on |f(x) − pₙ(x)| for |x| ≤ REACH."""
    largest_derivative = 1.0 if name == "sin" else math.exp(REACH)
    return largest_derivative * abs(x) ** (n + 1) / math.factorial(n + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", metavar="PATH", help="draw the polynomials to this PNG (needs matplotlib)")
    parser.add_argument("--quick", action="store_true", help="fewer test points")
    args = parser.parse_args(argv)
    rng = random.Random(0)
    points = [rng.uniform(-REACH, REACH) for _ in range(20 if args.quick else 200)] + [-REACH, REACH]
    functions = {"sin": (al.sin, math.sin), "exp": (al.exp, math.exp)}
    polynomials: dict[str, dict[int, al.Series]] = {}

    print(f"Taylor polynomials about 0, checked at {len(points)} points of [-π, π] (seed 0)\n")
    print(f"{'f':>4} {'order':>6} {'max |f - p|':>14} {'Lagrange bound':>16}")
    for name, (series_function, float_function) in functions.items():
        coefficients = al.taylor(series_function, 0.0, max(ORDERS))  # one pass, every order
        expected = exact_coefficients(name, max(ORDERS))
        assert all(abs(c - e) <= 1e-16 * max(1.0, abs(e)) for c, e in zip(coefficients, expected)), coefficients
        polynomials[name] = {}
        for n in ORDERS:
            p = al.Series(coefficients[: n + 1])  # p.at(x) is the polynomial at x
            polynomials[name][n] = p
            errors = [abs(float_function(x) - p.at(x)) for x in points]
            bounds = [remainder_bound(name, n, x) for x in points]
            assert all(e <= b * (1 + 1e-9) + 1e-15 for e, b in zip(errors, bounds)), (name, n)
            print(f"{name:>4} {n:>6} {max(errors):>14.3e} {max(bounds):>16.3e}")
    print("\nsin coefficients:", [round(c, 12) + 0.0 for c in al.taylor(al.sin, 0.0, 9)])

    if args.png:
        draw(args.png, functions, polynomials)
    print("All numbers checked: the coefficients are 1/k! and (-1)^k/(2k+1)!, every error is within its bound.")
    return 0


def draw(path: str, functions: dict[str, tuple[Any, Any]], polynomials: dict[str, dict[int, al.Series]]) -> None:
    """Each function with its Taylor polynomials, one panel per function."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(no picture: matplotlib is not installed; pip install matplotlib)")
        return
    xs = [-REACH + 2 * REACH * i / 400 for i in range(401)]
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, (name, (_, float_function)) in zip(axes, functions.items()):
        axis.plot(xs, [float_function(x) for x in xs], color="black", linewidth=2.5, label=name)
        for n, p in polynomials[name].items():
            axis.plot(xs, [p.at(x) for x in xs], label=f"order {n}")
        axis.set_ylim(*((-2.0, 2.0) if name == "sin" else (-1.0, 25.0)))
        axis.set_title(f"{name} and its Taylor polynomials about 0")
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    print(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())

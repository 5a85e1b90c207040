"""Derivatives of derivatives: Newton's method, Taylor series and a Hessian.

Run it:  python examples/higher_order.py

`grad(f)` is itself a function you can differentiate, so `grad(grad(f))` is
the second derivative, and so on to any order. Three things to do with that:

1. Newton's method. Gradient descent steps by −lr·f'(w) and needs many steps.
   Newton divides by the curvature instead: w ← w − f'(w)/f''(w). The line-fit
   loss is a parabola in w, so its curvature is the same everywhere and one
   Newton step lands exactly on the minimum.
2. A Taylor series: sin near 0 from its derivatives at 0 (which cycle
   0, 1, 0, −1, ...), all computed by nesting `grad`.
3. The Hessian of a two-parameter loss, and a Hessian-vector product.

The script exits with status 1 if a check fails.
"""

from __future__ import annotations

import math
import sys

from fit_line import POINTS, loss  # the line-fit problem of the main example

from autograd_lite import Value, grad, hessian, hvp, sin


def main() -> int:
    failures = 0

    print("1. Newton's method on the line-fit loss, from w = 0")
    slope, curvature = grad(loss), grad(grad(loss))
    w = 0.0
    print(f"   at w = {w}: slope = {slope(w):.6f}, curvature = {curvature(w):.6f}")
    w = w - slope(w) / curvature(w)
    print(f"   one step: w = {w!r}, slope there = {slope(w)!r}")
    failures += abs(w - 2.0) > 1e-12

    print("\n2. Taylor series of sin around 0 from its derivatives there")
    derivatives, f = [], sin
    for _ in range(10):
        derivatives.append(f(0.0))
        f = grad(f)
    print("   derivatives at 0:", [round(d, 12) + 0.0 for d in derivatives])
    x = 0.5
    taylor = sum(d * x**n / math.factorial(n) for n, d in enumerate(derivatives))
    print(f"   sin({x}) ≈ {taylor:.12f}   (math.sin gives {math.sin(x):.12f})")
    failures += abs(taylor - math.sin(x)) > 1e-9

    print("\n3. Fitting y = a·x + b: the Hessian of the loss in (a, b)")

    def line_loss(a: Value, b: Value) -> Value:
        return sum(((a * x + b - y) ** 2 for x, y in POINTS), Value(0.0)) / len(POINTS)

    H = hessian(line_loss, argnums=(0, 1))(0.0, 0.0)
    for row in H:
        print("   [" + "  ".join(f"{h:8.4f}" for h in row) + "]")
    expected = [[2 * 14 / 3, 2 * 6 / 3], [2 * 6 / 3, 2.0]]
    failures += any(abs(H[i][j] - expected[i][j]) > 1e-12 for i in range(2) for j in range(2))
    v = (1.0, -1.0)
    product = hvp(line_loss, (0.0, 0.0), v)
    print(f"   H·{v} = {[round(p, 12) for p in product]}  (without forming H)")
    failures += any(abs(product[i] - sum(H[i][j] * v[j] for j in range(2))) > 1e-12 for i in range(2))

    if failures:
        print(f"\n{failures} check(s) failed")
        return 1
    print("\nAll checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

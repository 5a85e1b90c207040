"""What a derivative is: the slope Δy/Δx, in the limit of a tiny Δx.

Run it:  python examples/derivatives.py

We measure slopes the way you would with a ruler, as rise over run, and
compare them with the exact derivatives that backward() computes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from autograd_lite import Value


def exact_slope(f: Callable[[Any], Any], x: float) -> float:
    """The exact derivative of f at x, by one backward pass."""
    v = Value(x)
    f(v).backward()
    return v.grad


def line(x: Any) -> Any:
    return 2 * x + 1


def square(x: Any) -> Any:
    return x * x


def main() -> int:
    failures = 0

    print("1. f(x) = 2x + 1, a straight line")
    x0, x1 = 2.0, 3.0
    y0, y1 = line(x0), line(x1)
    print(f"   x goes {x0:g} -> {x1:g} (Δx = {x1 - x0:g}), y goes {y0:g} -> {y1:g} (Δy = {y1 - y0:g})")
    print(f"   slope = Δy/Δx = {(y1 - y0) / (x1 - x0):g}")
    slopes = [exact_slope(line, x) for x in (-5.0, 0.0, 2.0, 100.0)]
    print(f"   backward() at x = -5, 0, 2, 100 gives {slopes}: the same slope everywhere")
    failures += any(s != 2.0 for s in slopes) or (y1 - y0) / (x1 - x0) != 2.0

    print("\n2. f(x) = x², a curve: the slope depends on where you stand")
    print("   at x = 1, shrinking the step Δx:")
    for dx in (1.0, 0.1, 0.01, 0.001, 0.0001):
        rise = square(1.0 + dx) - square(1.0)
        print(f"     Δx = {dx:<7g} Δy = {rise:<12.8g} Δy/Δx = {rise / dx:.4f}")
    slope_01 = (square(1.1) - square(1.0)) / 0.1
    exact = exact_slope(square, 1.0)
    print(f"   the ratios approach {exact:g}, the exact slope backward() gives at x = 1")
    failures += abs(slope_01 - 2.1) > 1e-9 or exact != 2.0

    print("\n3. The sign of the derivative says which way the function goes")
    for x in (2.0, 0.0, -1.0):
        d = exact_slope(square, x)
        meaning = "increasing: y grows as x grows" if d > 0 else (
            "decreasing: y shrinks as x grows" if d < 0 else "flat: the bottom of the valley")
        print(f"   x = {x:>4g}: d/dx x² = {d:>4g}   {meaning}")
    failures += [exact_slope(square, x) for x in (2.0, 0.0, -1.0)] != [4.0, 0.0, -2.0]

    if failures:
        print(f"\n{failures} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

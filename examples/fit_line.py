"""Fit y = w·x to the points (1, 2), (2, 4), (3, 6) by gradient descent.

Run it:  python examples/fit_line.py

The error of a guess w is the mean squared error over the three points. Its
derivative with respect to w says which way to move w and how steeply the
error changes there. Gradient descent takes the step w ← w − lr·slope, over
and over. At every step we also measure the slope the slow way, Δerror/Δw with
a tiny Δw on each side, and check that it agrees with the exact slope that
backward() gives. The script exits with status 1 if any check fails.
"""

from __future__ import annotations

import sys

from autograd_lite import Value, numeric_grad
from autograd_lite.optim import SGD

POINTS = [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]


def loss(w: Value) -> Value:
    """Mean squared error of the line y = w·x on POINTS."""
    return sum(((w * x - y) ** 2 for x, y in POINTS), Value(0.0)) / len(POINTS)


def exact_slope(w_data: float) -> tuple[float, float]:
    """The loss and its exact slope at w, by one forward and one backward pass."""
    w = Value(w_data)
    error = loss(w)
    error.backward()
    return error.data, w.grad


def main() -> int:
    failures = 0

    print("Which way should w move? The sign of the slope says.")
    for guess in (1.0, 3.0):
        error, slope = exact_slope(guess)
        direction = "increase w" if slope < 0 else "decrease w"
        print(f"  at w = {guess:.0f}: loss = {error:.4f}, slope = {slope:+.4f}  ->  {direction}")
    if not (exact_slope(1.0)[1] < 0 < exact_slope(3.0)[1]):
        print("CHECK FAILED: the slope should be negative at w = 1 and positive at w = 3")
        failures += 1

    print("\nGradient descent from w = 0 with learning rate 0.05:")
    print(f"  {'step':>4}  {'w':>12}  {'loss':>12}  {'exact slope':>12}  {'numeric slope':>13}  {'agree':>5}")
    w = Value(0.0)
    optimizer = SGD([w], lr=0.05)
    step = 0
    while True:
        optimizer.zero_grad()
        error = loss(w)
        error.backward()
        numeric = numeric_grad(loss, w.data)
        agree = abs(w.grad - numeric) <= 1e-6 + 1e-6 * abs(numeric)
        failures += not agree
        done = abs(w.data - 2.0) < 1e-7
        if step < 5 or step % 5 == 0 or done or not agree:
            print(f"  {step:>4}  {w.data:>12.8f}  {error.data:>12.3e}  {w.grad:>+12.6f}  {numeric:>+13.6f}  "
                  f"{'yes' if agree else 'NO':>5}")
        if done or step == 200:
            break
        optimizer.step()  # w ← w − lr·slope
        step += 1

    print(f"\nAfter {step} steps: w = {w.data:.9f} (the true slope of the points is 2)")
    if abs(w.data - 2.0) > 1e-6:
        print("CHECK FAILED: w did not reach 2 within 1e-6")
        failures += 1
    if failures:
        print(f"{failures} check(s) failed")
        return 1
    print("Every exact slope agreed with its finite-difference slope.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Helpers shared by the test files: gradients by one eager pass, numeric slopes, deep chains, live Values.

The test files import them as ``from helpers import ...``: pytest puts tests/
on sys.path (the default import mode, tests/ is not a package), as it does for
``references``.
"""

import gc
import math

from autograd_lite import Value, grad


def eager_at(f, xs):
    """Call f on fresh leaves holding xs and run backward(): the value and every leaf's gradient."""
    inputs = [Value(x) for x in xs]
    out = f(*inputs)
    out.backward()
    return out.data, [v.grad for v in inputs]


def numeric_slope(f, x, noise=0.0, rtol=1e-4):
    """f's slope at x by central differences, with its uncertainty; None where f has no trustworthy slope at x.

    f maps a float to a float; an ArithmeticError or ValueError from it (x ± h
    outside its domain) means no slope. The steps are h = 1e-6·max(1, |x|) and
    h/3. A kink or a jump near x shows as one-sided slopes that differ by as
    much at h/3 as at h (a smooth f's differ by about h·f''); curvature too
    strong for the step shows as central slopes at h and h/3 that disagree.
    Both give None. `noise` bounds how far each value of f may be from the
    exact one (rounding): slopes closer than that allows count as agreeing,
    and it is part of the uncertainty returned with the slope.
    """
    h = 1e-6 * max(1.0, abs(x))
    try:
        lo, lo3, mid, hi3, hi = (f(x + step) for step in (-h, -h / 3, 0.0, h / 3, h))
    except (ArithmeticError, ValueError):
        return None
    if not all(map(math.isfinite, (lo, lo3, mid, hi3, hi))):
        return None
    down, down3, up3, up = x - h, x - h / 3, x + h / 3, x + h  # the steps floats take, not h and h/3
    left, right = (mid - lo) / (x - down), (hi - mid) / (up - x)
    left3, right3 = (mid - lo3) / (x - down3), (hi3 - mid) / (up3 - x)
    central, central3 = (hi - lo) / (up - down), (hi3 - lo3) / (up3 - down3)
    scale = max(abs(left), abs(right), abs(left3), abs(right3))
    slack = 2 * noise / min(x - down3, up3 - x)  # how far rounding can move a slope at the smaller step
    if abs(right - left) > rtol * scale + 2 * slack and abs(right3 - left3) > 0.5 * abs(right - left) + 2 * slack:
        return None  # the one-sided slopes do not close in as the step shrinks: a kink or a jump
    if abs(central - central3) > rtol * scale + 2 * slack:
        return None  # the slope changes with the step: curvature or a jump within h
    # x ± h/3 rounds to floats whose midpoint may not be x (x = 1e-95: both steps lose x): the slope is then
    # taken that far from x, off by about the curvature times the distance.
    curvature = abs(right3 - left3) / ((up3 - down3) / 2)
    off_centre = abs((up3 / 2 + down3 / 2) - x)
    return central3, abs(central - central3) + slack + curvature * off_centre


def chain(x, steps):
    """x ← 0.9999·x + 1e-4·tanh(x), `steps` times: a graph 4 nodes a step deep, with a derivative near 1."""
    for _ in range(steps):
        x = 0.9999 * x + 1e-4 * x.tanh()
    return x


def chain_derivative(x, steps):
    """d chain(x, steps) / dx for a plain number x, by the chain rule written out in floats."""
    slope = 1.0
    for _ in range(steps):
        slope *= 0.9999 + 1e-4 * (1.0 - math.tanh(x) ** 2)
        x = 0.9999 * x + 1e-4 * math.tanh(x)
    return slope


def nth(f, n):
    """grad nested n times: the n-th derivative of a function of one number (f itself for n = 0)."""
    for _ in range(n):
        f = grad(f)
    return f


def live_values():
    """How many Values are alive now (every one is tracked by the cycle collector)."""
    return sum(1 for o in gc.get_objects() if type(o) is Value)

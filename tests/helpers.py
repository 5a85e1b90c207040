"""Helpers shared by the test files: gradients by one eager pass, deep chains, and counting live Values.

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

"""Reference formulas for the tests, written with the math module and computed differently from the library."""

import math

# ψ, ψ′, ψ″ and ψ‴, computed differently from the table's method: a shift by N = 200 with the
# recurrence, then a short asymptotic series (error below 1e-16).
N_SHIFT = 200


def psi(x, order=0):
    """The polygamma function ψ⁽ᵒʳᵈᵉʳ⁾(x) for x > 0, by a 200-step shift and four asymptotic terms."""
    y = x + N_SHIFT
    if order == 0:
        tail = math.log(y) - 1 / (2 * y) - 1 / (12 * y**2) + 1 / (120 * y**4)
        return tail - math.fsum(1 / (x + k) for k in range(N_SHIFT))
    if order == 1:
        tail = 1 / y + 1 / (2 * y**2) + 1 / (6 * y**3) - 1 / (30 * y**5) + 1 / (42 * y**7)
        return tail + math.fsum(1 / (x + k) ** 2 for k in range(N_SHIFT))
    if order == 2:
        tail = -1 / y**2 - 1 / y**3 - 1 / (2 * y**4) + 1 / (6 * y**6) - 1 / (6 * y**8)
        return tail - math.fsum(2 / (x + k) ** 3 for k in range(N_SHIFT))
    tail = 2 / y**3 + 3 / y**4 + 2 / y**5 - 1 / y**7 + 4 / (3 * y**9)
    return tail + math.fsum(6 / (x + k) ** 4 for k in range(N_SHIFT))


def sigma(x):
    return 1.0 / (1.0 + math.exp(-x))


def phi(x):
    """The standard normal density."""
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def big_phi(x):
    """The standard normal CDF."""
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


GELU_C, GELU_A = math.sqrt(2 / math.pi), 0.044715


def gelu_tanh(x):
    return 0.5 * x * (1 + math.tanh(GELU_C * (x + GELU_A * x**3)))


def gelu_tanh_slope(x):
    t = math.tanh(GELU_C * (x + GELU_A * x**3))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x)


def softmax3(a, b, c):
    total = math.exp(a) + math.exp(b) + math.exp(c)
    return (math.exp(a) / total, math.exp(b) / total, math.exp(c) / total)


def erfinv(y):
    """erf⁻¹(y) by bisection on math.erf: slow, simple and independent of the library's method."""
    lo, hi = -10.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if math.erf(mid) < y:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def sinc_slope(x):
    """d/dx sin(πx)/(πx) = (πx·cos(πx) − sin(πx))/(πx²), and −π²x/3 where that is 0/0 (its first term)."""
    if abs(x) < 1e-4:
        return -(math.pi**2) * x / 3 + math.pi**4 * x**3 / 30
    return (math.pi * x * math.cos(math.pi * x) - math.sin(math.pi * x)) / (math.pi * x * x)

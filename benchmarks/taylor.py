"""Taylor mode against nested grad and mpmath: the coefficients of orders 1 to 32 of one function.

Run it:  python benchmarks/taylor.py [--orders 1,2,4,6,8,16,32] [--repeat 5]

f(x) is ten steps of y ← sin(y)·e^(−0.1·y) + 0.5·y from y = x, at x = 0.3: 10
sines, 10 exponentials, 10 products. For each order n the table gives the time
to get every coefficient c₀ … cₙ:

* ``al.taylor(f, 0.3, n)``, one pass on a Series;
* the same recurrences written out by hand on lists of floats (no Series, no
  checks): what pure Python can do, and the reference of the ratios;
* nested ``al.grad`` (n levels; to order 6 only, as each level multiplies the
  graph it differentiates);
* ``mpmath.taylor`` at 40 digits (numerical differentiation at high
  precision), if mpmath is installed.

Every implementation's coefficients must agree with al.taylor's first (to
1e-9 relative, each coefficient; mpmath's to 1e-12) before anything is timed.
``benchmarks/run.py`` runs order 32 (6 with ``--quick``) as its ``taylor`` row.
"""

from __future__ import annotations

import argparse
import math
import operator
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workloads import Run, Workload

import autograd_lite as al

try:
    import mpmath
except ImportError:  # pragma: no cover - depends on the environment
    mpmath = None

X0, STEPS = 0.3, 10
NESTED_GRAD_UP_TO = 6


def f(x: Any) -> Any:
    """Ten steps of y ← sin(y)·e^(−0.1y) + 0.5y: numbers, Values or Series."""
    y = x
    for _ in range(STEPS):
        y = al.sin(y) * al.exp(-0.1 * y) + 0.5 * y
    return y


def f_mpmath(x: Any) -> Any:
    y = x
    for _ in range(STEPS):
        y = mpmath.sin(y) * mpmath.exp(-0.1 * y) + 0.5 * y
    return y


# ---------------------------------------------------------------------------
# The implementations: each gives [c₀, …, cₙ]
# ---------------------------------------------------------------------------


def by_taylor(order: int) -> list[float]:
    return al.taylor(f, X0, order)


def by_hand(order: int) -> list[float]:
    """The recurrences of Taylor mode written out on lists of floats: sin/cos side by side, exp, the Cauchy product."""
    mul = operator.mul
    y = [X0, 1.0] + [0.0] * (order - 1) if order else [X0]
    for _ in range(STEPS):
        jy = [j * c for j, c in enumerate(y)][1:]  # j·yⱼ, j ≥ 1
        ju = [-0.1 * v for v in jy]  # j·uⱼ for u = −0.1·y
        s, c, e = [math.sin(y[0])], [math.cos(y[0])], [math.exp(-0.1 * y[0])]
        for k in range(1, order + 1):
            s_k = sum(map(mul, jy, c[::-1])) / k  # k·sₖ = Σⱼ j·yⱼ·cₖ₋ⱼ
            c.append(-sum(map(mul, jy, s[::-1])) / k)  # k·cₖ = −Σⱼ j·yⱼ·sₖ₋ⱼ
            s.append(s_k)
            e.append(sum(map(mul, ju, e[::-1])) / k)  # k·eₖ = Σⱼ j·uⱼ·eₖ₋ⱼ
        y = [sum(map(mul, s, e[k::-1])) + 0.5 * y[k] for k in range(order + 1)]
    return y


def by_nested_grad(order: int) -> list[float]:
    found, g = [], f
    for k in range(order + 1):
        found.append(g(X0) / math.factorial(k))
        g = al.grad(g)
    return found


def by_mpmath(order: int) -> list[float]:
    with mpmath.workdps(40):
        return [float(c) for c in mpmath.taylor(f_mpmath, mpmath.mpf(X0), order, chop=False)]


def implementations(order: int) -> dict[str, Callable[[int], list[float]]]:
    """Every implementation that runs at this order, by name (al.taylor first, the reference)."""
    found: dict[str, Callable[[int], list[float]]] = {"al.taylor": by_taylor, "hand-written": by_hand}
    if order <= NESTED_GRAD_UP_TO:
        found["nested al.grad"] = by_nested_grad
    if mpmath is not None:
        found["mpmath.taylor"] = by_mpmath
    return found


def agree(reference: list[float], other: list[float], rtol: float) -> bool:
    """Coefficient by coefficient within rtol."""
    return len(reference) == len(other) and all(abs(a - b) <= rtol * abs(a) for a, b in zip(reference, other))


def seconds(run: Callable[[int], list[float]], order: int, repeat: int) -> float:
    """The median over `repeat` rounds of the time per call, each round long enough to time (~20 ms)."""
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            run(order)
        if time.perf_counter() - start > 0.02 or calls >= 1 << 12:
            break
        calls *= 4
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            run(order)
        rounds.append((time.perf_counter() - start) / calls)
    return statistics.median(rounds)


def measure(orders: tuple[int, ...] = (1, 2, 4, 6, 8, 16, 32), repeat: int = 5) -> list[dict[str, Any]]:
    """One row per order: each implementation's seconds, and whether all agree with al.taylor."""
    rows = []
    for order in orders:
        runs = implementations(order)
        reference = by_taylor(order)
        results = {name: run(order) for name, run in runs.items()}
        agrees = all(agree(reference, r, 1e-12 if name == "mpmath.taylor" else 1e-9) for name, r in results.items())
        rows.append(
            {"order": order, "agrees": agrees, **{name: seconds(run, order, repeat) for name, run in runs.items()}}
        )
    return rows


# ---------------------------------------------------------------------------
# The row of benchmarks/run.py
# ---------------------------------------------------------------------------


def _make(implementation: Callable[[int], list[float]]) -> Callable[[int], Run]:
    def make(order: int) -> Run:
        state: dict[str, list[float]] = {"coefficients": []}

        def run() -> None:
            state["coefficients"] = implementation(order)

        return Run(run, lambda: (state["coefficients"][0], state["coefficients"][1:]))

    return make


def workload(quick: bool = False) -> Workload:
    """run.py's ``taylor`` row: order 32 (6 with --quick, where nested grad runs too), against the hand-written code."""
    everything = {"hand-written": by_hand, "al.taylor": by_taylor}
    skipped = {}
    if quick:
        everything["nested al.grad"] = by_nested_grad
    else:
        skipped["nested al.grad"] = (
            f"32 levels, each multiplying the graph; benchmarks/taylor.py times it to order {NESTED_GRAD_UP_TO}"
        )
    if mpmath is not None:
        everything["mpmath.taylor"] = by_mpmath
    else:
        skipped["mpmath.taylor"] = "mpmath is not installed"
    return Workload(
        name="taylor",
        description="every Taylor coefficient to order N of ten steps of y <- sin(y)·exp(-0.1y) + 0.5y",
        default_size=32,
        small_size=NESTED_GRAD_UP_TO,
        implementations={name: _make(run) for name, run in everything.items()},
        skipped=skipped,
    )


def format_time(s: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="1,2,4,6,8,16,32", help="comma-separated orders")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds per implementation (the median)")
    args = parser.parse_args(argv)
    orders = tuple(int(n) for n in args.orders.split(","))
    rows = measure(orders, args.repeat)
    names = ["al.taylor", "hand-written", "nested al.grad", "mpmath.taylor"]
    print(
        f"f = {STEPS} steps of y <- sin(y)·exp(-0.1y) + 0.5y at x = {X0}; the median of {args.repeat} rounds; "
        f"mpmath {'installed' if mpmath is not None else 'not installed'}\n"
    )
    print(f"{'order':>5}  " + "  ".join(f"{name:>15}" for name in names) + "  agree")
    for row in rows:
        cells = [format_time(row[name]) if name in row else "-" for name in names]
        print(
            f"{row['order']:>5}  "
            + "  ".join(f"{cell:>15}" for cell in cells)
            + f"  {'yes' if row['agrees'] else 'NO'}"
        )
    if not all(row["agrees"] for row in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

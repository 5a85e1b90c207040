"""The cost of a derivative through a solver: al.root's implicit rule against Newton's method unrolled.

Run it:  python benchmarks/solvers.py [--pairs 300]

The problem is implied volatility: σ with C(σ) = price for the Black–Scholes
call price C, and its derivative dσ/dprice (= 1/vega). Two ways to get it:

* unrolled: N Newton steps σ ← σ − (C(σ) − price)/vega(σ) on Values, then
  one backward pass through all of them: the graph, and so the cost, grows
  with N;
* implicit: `al.root` solves on floats and records σ as one node whose
  derivative comes from one evaluation of C at the answer, whatever the
  solve took.

The table times both at N = 5, 10 and 20 iterations. For al.root, N is the
number of evaluations its solve took (a start further from the answer, in a
wider bracket, takes more), and the derivative's share is the time of
``value_and_grad`` through al.root minus the time of the same solve on plain
numbers (the two called in turn, one call each, and the median of the
differences), next to how many evaluations of C each made. The derivative
must not grow with N.

`workload()` is the same comparison as a row of ``benchmarks/run.py``: a
smile of options inverted per step, against hand-written Newton iterations
with the closed-form vega.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workloads import Run, Workload

import autograd_lite as al

S, T, R = 100.0, 0.5, 0.01  # spot, years to maturity, interest rate
SQRT2, SQRT_2PI = math.sqrt(2.0), math.sqrt(2.0 * math.pi)
START = 0.3  # the first guess of σ for every method


def smile(k: float) -> float:
    """The volatility the market prices are made from, by strike."""
    m = math.log(k / S)
    return 0.2 - 0.1 * m + 0.5 * m * m


def call_price(sigma, k):  # type: ignore[no-untyped-def]  # Values or floats
    """Black–Scholes, on Values or floats."""
    d1 = (al.log(S / k) + (R + 0.5 * sigma * sigma) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    return S * 0.5 * (1.0 + al.erf(d1 / SQRT2)) - k * math.exp(-R * T) * 0.5 * (1.0 + al.erf(d2 / SQRT2))


def vega(sigma, k):  # type: ignore[no-untyped-def]
    """∂C/∂σ = S·φ(d₁)·√T, on Values or floats."""
    d1 = (al.log(S / k) + (R + 0.5 * sigma * sigma) * T) / (sigma * math.sqrt(T))
    return S * al.exp(-0.5 * d1 * d1) / SQRT_2PI * math.sqrt(T)


def residual(sigma, price, k):  # type: ignore[no-untyped-def]
    return call_price(sigma, k) - price


def implicit(price, k, start=START, bracket=(1e-3, 5.0)):  # type: ignore[no-untyped-def]
    """σ(price) by al.root: Newton on floats in the bracket, the derivative from the implicit rule."""
    return al.root(residual, start, price, k, bracket=bracket)


def unrolled(steps: int):  # type: ignore[no-untyped-def]
    """σ(price) by `steps` Newton steps on Values: differentiable because every step is recorded."""

    def solve(price, k):  # type: ignore[no-untyped-def]
        sigma = START
        for _ in range(steps):
            sigma = sigma - (call_price(sigma, k) - price) / vega(sigma, k)
        return sigma

    return solve


def strikes(size: int) -> list[float]:
    """`size` strikes from 80 to 120."""
    return [80.0 + 40.0 * i / max(size - 1, 1) for i in range(size)]


# -- the row of benchmarks/run.py ------------------------------------------------------------


def hand_written(size: int) -> Run:
    """Newton's method on floats with the closed-form vega; dσ/dprice = 1/vega at the answer."""
    options = [(call_price(smile(k), k), k) for k in strikes(size)]
    state: dict[str, object] = {}

    def run() -> None:
        total, slopes = 0.0, []
        for price, k in options:
            sigma = START
            for _ in range(50):
                step = (call_price(sigma, k) - price) / vega(sigma, k)
                sigma -= step
                if abs(step) <= 1e-14 * sigma:
                    break
            total += sigma
            slopes.append(1.0 / vega(sigma, k))
        state["result"] = (total, slopes)

    return Run(run, lambda: state["result"])  # type: ignore[arg-type, return-value]


def through(solve) -> Callable[[int], Run]:  # type: ignore[no-untyped-def]
    """An implementation that takes value_and_grad of `solve(price, k)` for every option."""

    def make(size: int) -> Run:
        options = [(call_price(smile(k), k), k) for k in strikes(size)]
        state: dict[str, object] = {}
        value_and_slope = al.value_and_grad(solve)

        def run() -> None:
            total, slopes = 0.0, []
            for price, k in options:
                sigma, slope = value_and_slope(price, k)
                total += sigma
                slopes.append(slope)
            state["result"] = (total, slopes)

        return Run(run, lambda: state["result"])  # type: ignore[arg-type, return-value]

    return make


def workload() -> Workload:
    """Implied volatility over a smile: σ and dσ/dprice per option, implicit against unrolled."""
    return Workload(
        "implied vol",
        "σ(price) for N strikes and dσ/dprice: al.root's implicit rule against N-step unrolled Newton",
        20,
        3,
        {"hand-written": hand_written, "al.root (implicit)": through(implicit),
         **{f"unrolled, {n} steps": through(unrolled(n)) for n in (5, 10, 20)}},
        {},
    )  # fmt: skip


# -- the table: cost against iterations -------------------------------------------------------


def alternating(functions, pairs: int) -> list[list[float]]:  # type: ignore[no-untyped-def]
    """Seconds of each call, the functions called in turn (A B C, A B C, …) `pairs` times: one list per turn.

    Calling them in turn, one call each, means a burst of load on a shared
    machine slows the calls of one turn alike, so per-turn differences stay
    sharp.
    """
    clock = time.perf_counter
    for f in functions:  # warm up
        f()
    turns = []
    for _ in range(pairs):
        times = []
        for f in functions:
            start = clock()
            f()
            times.append(clock() - start)
        turns.append(times)
    return turns


def evaluations(start: float, upper: float, price: float, k: float) -> tuple[int, int]:
    """How often al.root evaluates the residual from `start` in the bracket (0.001, upper): to solve, for dσ/dprice."""
    count = [0]

    def counted(sigma, price, k):  # type: ignore[no-untyped-def]
        count[0] += 1
        return residual(sigma, price, k)

    al.root(counted, start, price, k, bracket=(1e-3, upper))
    solve = count[0] - 3  # less the check on plain numbers and the bracket's two ends
    count[0] = 0
    al.grad(lambda p: al.root(counted, start, p, k, bracket=(1e-3, upper)))(price)
    return solve, count[0] - 3 - solve


def starts_for(targets: tuple[int, ...], price: float, k: float) -> dict[int, tuple[float, float, tuple[int, int]]]:
    """For each target count, a (start, bracket top) whose solve takes about that many evaluations, and the counts."""
    found: dict[int, tuple[float, float, tuple[int, int]]] = {}
    candidates = [(x0, upper) for upper in (5.0, 50.0, 500.0, 5e3, 5e4, 5e5, 5e6, 5e7)
                  for x0 in (START, 1e-3, 0.05, 1.0, upper)]  # fmt: skip
    measured = [(evaluations(x0, upper, price, k), x0, upper) for x0, upper in candidates]
    for target in targets:
        counts, x0, upper = min(measured, key=lambda m: (abs(m[0][0] - target), m[0][0]))
        found[target] = (x0, upper, counts)
    return found


def table(pairs: int) -> list[dict[str, float]]:
    """Time both routes at about 5, 10 and 20 iterations; print and return the rows."""
    k = 110.0
    price = call_price(smile(k), k)
    exact = 1.0 / vega(smile(k), k)
    rows = []
    print("dσ/dprice for one option (K = 110, T = 0.5): unrolled Newton against al.root's implicit rule")
    print(f"{'N':>3}  {'unrolled: record + backward':>27}  {'al.root: F evaluations':>22}  {'solve only':>10}  "
          f"{'solve + dσ/dprice':>17}  {'dσ/dprice alone':>15}")  # fmt: skip
    for n, (x0, upper, (in_solve, in_derivative)) in starts_for((5, 10, 20), price, k).items():
        unroll = al.value_and_grad(unrolled(n))
        root_grad = al.value_and_grad(lambda p, x0=x0, upper=upper: implicit(p, k, x0, (1e-3, upper)))
        assert math.isclose(unroll(price, k)[1], exact, rel_tol=1e-9), "the unrolled derivative has not converged"
        assert math.isclose(root_grad(price)[1], exact, rel_tol=1e-12)
        turns = alternating([lambda unroll=unroll: unroll(price, k),
                             lambda x0=x0, upper=upper: implicit(price, k, x0, (1e-3, upper)),
                             lambda root_grad=root_grad: root_grad(price)], pairs)  # fmt: skip
        t_unrolled, t_solve, t_both = (statistics.median(t[i] for t in turns) for i in range(3))
        derivative = statistics.median(t[2] - t[1] for t in turns)  # per turn: the solves' noise cancels
        row = {"N": n, "unrolled_s": t_unrolled, "root_solve_evaluations": in_solve, "root_solve_s": t_solve,
               "root_derivative_evaluations": in_derivative, "root_total_s": t_both, "root_derivative_s": derivative}
        rows.append(row)
        counts = f"{in_solve} solve + {in_derivative} dσ/dprice"
        print(f"{n:>3}  {t_unrolled * 1e6:>24.0f} µs  {counts:>22}  {t_solve * 1e6:>7.0f} µs  "
              f"{t_both * 1e6:>14.0f} µs  {derivative * 1e6:>12.0f} µs")  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300, help="turns of calls per timing (medians are shown)")
    table(parser.parse_args(argv).pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

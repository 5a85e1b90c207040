"""A Taylor-series integrator of order 20 for the pendulum, against Runge–Kutta 4 at equal work.

Run it:  python examples/taylor_ode.py [--quick]

The pendulum θ″ = −sin θ, as θ′ = ω, ω′ = −sin θ. The Taylor series of the
solution about the current state comes from the equation itself, one order at
a time: the coefficient k of sin θ(t) needs θ only to order k, so

    θₖ₊₁ = ωₖ/(k + 1),        ωₖ₊₁ = −(sin θ)ₖ/(k + 1),

with (sin θ)ₖ read off ``al.sin`` applied to the series known so far. A step of
size h sums the series at h (Horner's rule, ``Series.at``). Released from rest
at θ₀ the pendulum is back at (θ₀, 0) after one period T = 4K(sin(θ₀/2)), K the
complete elliptic integral (here by the arithmetic–geometric mean), so the
error after one period is exact to measure.

Work is counted two ways, and Runge–Kutta 4 gets the same of each:

* evaluations of the right-hand side: a Taylor step of order 20 evaluates
  sin on a series 20 times, an RK4 step on a number 4 times. At equal
  evaluations RK4 takes 5 steps for each Taylor step, and is far behind;
* time: a series of order k costs about k² multiplications and, in pure
  Python, the calls around them, so a Taylor step here costs as much time as
  some hundreds of RK4 steps. At equal time RK4's tiny steps bring it close
  to rounding too; that is printed as measured, and asserted only loosely.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable

import autograd_lite as al

THETA0 = 2.0  # radians: a large swing, far from the small-angle pendulum
ORDER = 20


def period(theta0: float) -> float:
    """T = 4K(k), k = sin(θ₀/2), with K(k) = π/(2·agm(1, √(1 − k²)))."""
    a, b = 1.0, math.sqrt(1.0 - math.sin(theta0 / 2.0) ** 2)
    while abs(a - b) > 1e-16 * a:
        a, b = (a + b) / 2.0, math.sqrt(a * b)
    return 4.0 * math.pi / (2.0 * a)


def taylor_series(theta: float, omega: float, order: int) -> tuple[al.Series, al.Series]:
    """The Taylor series of θ(t) and ω(t) about (θ, ω), to `order`, from θ′ = ω and ω′ = −sin θ."""
    th, om = [theta], [omega]
    for k in range(order):
        sine = al.sin(al.Series(th))  # sin θ(t), known to order k
        th.append(om[k] / (k + 1))
        om.append(-sine[k] / (k + 1))
    return al.Series(th), al.Series(om)


def taylor_step(theta: float, omega: float, h: float, order: int = ORDER) -> tuple[float, float]:
    """One step of the Taylor-series method: both series summed at h."""
    th, om = taylor_series(theta, omega, order)
    return th.at(h), om.at(h)


def rk4_step(theta: float, omega: float, h: float) -> tuple[float, float]:
    """One step of the classical Runge–Kutta method: four evaluations of (ω, −sin θ)."""
    k1t, k1w = omega, -math.sin(theta)
    k2t, k2w = omega + h / 2 * k1w, -math.sin(theta + h / 2 * k1t)
    k3t, k3w = omega + h / 2 * k2w, -math.sin(theta + h / 2 * k2t)
    k4t, k4w = omega + h * k3w, -math.sin(theta + h * k3t)
    return theta + h / 6 * (k1t + 2 * k2t + 2 * k3t + k4t), omega + h / 6 * (k1w + 2 * k2w + 2 * k3w + k4w)


def integrate(
    step: Callable[[float, float, float], tuple[float, float]], steps: int, t_end: float, repeat: int = 1
) -> tuple[tuple[float, float], float]:
    """(θ, ω) after `steps` equal steps from (θ₀, 0) to t_end, and the seconds it took (the least of `repeat`)."""
    h = t_end / steps
    best = math.inf
    for _ in range(repeat):
        theta, omega = THETA0, 0.0
        start = time.perf_counter()
        for _ in range(steps):
            theta, omega = step(theta, omega, h)
        best = min(best, time.perf_counter() - start)
    return (theta, omega), best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer Taylor steps (the same checks)")
    args = parser.parse_args(argv)
    T = period(THETA0)
    taylor_steps = 24 if args.quick else 40

    def error(state: tuple[float, float]) -> float:
        return max(abs(state[0] - THETA0), abs(state[1]))

    taylor_end, taylor_seconds = integrate(taylor_step, taylor_steps, T, repeat=2)
    evaluations = taylor_steps * ORDER
    same_evaluations = evaluations // 4
    rk4_end, rk4_seconds = integrate(rk4_step, same_evaluations, T)
    _, probe = integrate(rk4_step, 2000, T, repeat=3)  # RK4's time per step, to fill the Taylor integrator's time
    same_time = max(1, round(taylor_seconds / (probe / 2000)))
    rk4_timed_end, rk4_timed_seconds = integrate(rk4_step, same_time, T)
    rows = [
        (f"Taylor, order {ORDER}", taylor_steps, taylor_seconds, error(taylor_end)),
        ("RK4, same evaluations", same_evaluations, rk4_seconds, error(rk4_end)),
        ("RK4, same time", same_time, rk4_timed_seconds, error(rk4_timed_end)),
    ]
    print(f"Pendulum from rest at θ0 = {THETA0}, one period T = {T:.15f} (4K(sin(θ0/2)) by the AGM)\n")
    print(
        f"{'method':<22} {'steps':>6} {'step':>9} {'sin evaluations':>16} {'time':>9} {'error at T':>11} "
        f"{'per step':>9}"
    )
    for name, steps, seconds, err in rows:
        count = steps * (ORDER if name.startswith("Taylor") else 4)
        print(
            f"{name:<22} {steps:>6} {T / steps:>9.2e} {count:>16} {seconds * 1e3:>7.1f}ms {err:>11.2e} "
            f"{err / steps:>9.1e}"
        )
    energy = 0.5 * taylor_end[1] ** 2 - math.cos(taylor_end[0]) + math.cos(THETA0)
    print(f"\nTaylor: the energy after one period differs from the start by {energy:.1e}")
    assert error(taylor_end) < 1e-12, taylor_end
    assert error(rk4_end) > 1000 * error(taylor_end), (error(rk4_end), error(taylor_end))
    assert error(rk4_timed_end) < 1e-9, error(rk4_timed_end)
    print(
        f"All checked: order {ORDER} is back at (θ0, 0) to {error(taylor_end):.0e}; RK4 with as many "
        f"evaluations of sin is {error(rk4_end) / error(taylor_end):.0e} times further off; in the same time, "
        f"{same_time / taylor_steps:.0f} RK4 steps for each Taylor step, it is within {error(rk4_timed_end):.0e}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

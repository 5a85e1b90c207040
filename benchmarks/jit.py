"""jit, vmap and the numba backend: what a gradient costs, in evaluations of the plain function.

Run it:  python benchmarks/jit.py [--quick] [--repeat 5] [--skip-dask]

The seed's claim, made measurable: one reverse pass gives every slope for a
few evaluations' worth of work, where finite differences need N + 1. Four
measurements, each in one run (ratios, not seconds, are what carry over):

1. **A gradient, in plain evaluations**: the time of one call of
   ``jit(value_and_grad(f))`` over one plain-float ``f(x)``, for the line fit
   (3 points), Black–Scholes (price and 5 greeks), a 2-16-16-1 MLP's loss on
   100 points, and a damped oscillator's fit loss (1,000 RK4 steps). Beside it:
   finite differences (N + 1, by definition), eager ``value_and_grad``, the
   numba backend, and ``jax.jit(jax.value_and_grad)`` when JAX is installed.
2. **Compiling**: the first call of the jitted function (trace, write,
   compile) less a later call, in seconds and in plain evaluations.
3. **scipy.optimize.minimize** (BFGS) fitting the oscillator, wall time with
   tracing and compiling included: finite differences, eager gradients, jit;
   at 2 parameters (ω, ζ) and at 10 (five oscillators summed).
4. **vmap**: Black–Scholes price and 5 greeks at 10⁶ points, over the plain
   numpy price, beside ``jax.jit(jax.vmap(jax.value_and_grad))``; and 10⁷
   points through dask on a local cluster of 2 workers.

Every implementation's numbers are checked against the eager engine's first
(to 1e-9 relative; vmap's to 1e-12). ``benchmarks/run.py`` prints the same
tables after its own.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))  # the oscillator lives there

from oscillator_fit import path as oscillator

import autograd_lite as al

try:
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
except ImportError:  # pragma: no cover - depends on the environment
    jax = None

try:
    import numba
except ImportError:  # pragma: no cover - depends on the environment
    numba = None


# ---------------------------------------------------------------------------
# The workloads: each a plain function of numbers, and its JAX twin
# ---------------------------------------------------------------------------

XS, YS = [1.0, 2.0, 3.0], [2.0, 4.1, 5.9]


def line_fit(w: Any, b: Any) -> Any:
    total = 0.0
    for x, y in zip(XS, YS):
        total = total + (w * x + b - y) ** 2
    return total / len(XS)


def black_scholes(S: Any, K: Any, T: Any, r: Any, sigma: Any, lib: Any = al) -> Any:
    erf = lib.erf if lib is al else jax.scipy.special.erf
    d1 = (lib.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * lib.sqrt(T))
    d2 = d1 - sigma * lib.sqrt(T)
    return S * 0.5 * (1.0 + erf(d1 / math.sqrt(2.0))) - K * lib.exp(-r * T) * 0.5 * (1.0 + erf(d2 / math.sqrt(2.0)))


MLP_SIZES = (2, 16, 16, 1)


def mlp_data(n: int) -> tuple[list[list[float]], list[float], list[float]]:
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (n, 2))
    targets = np.sin(2 * points[:, 0]) * points[:, 1]
    count = sum((a + 1) * b for a, b in itertools.pairwise(MLP_SIZES))
    return points.tolist(), targets.tolist(), (rng.normal(0, 0.5, count)).tolist()


def mlp_loss(params: Any, points: list[list[float]], targets: list[float], lib: Any = al) -> Any:
    """Mean squared error of a tanh MLP whose weights and biases are the flat list `params`."""
    total = 0.0
    for point, target in zip(points, targets):
        h, k = list(point), 0
        for i, (a, b) in enumerate(itertools.pairwise(MLP_SIZES)):
            out = []
            for _ in range(b):
                s = params[k + a]  # the bias
                for j in range(a):
                    s = s + params[k + j] * h[j]
                k += a + 1
                out.append(lib.tanh(s) if i < len(MLP_SIZES) - 2 else s)
            h = out
        total = total + (h[0] - target) ** 2
    return total / len(points)


def jax_mlp_loss(points: list[list[float]], targets: list[float]) -> Callable[[Any], Any]:
    """`mlp_loss` on matrices, with the same flat layout of weights and biases."""
    x, y = jnp.array(points), jnp.array(targets)

    def loss(params: Any) -> Any:
        h, k = x, 0
        for i, (a, b) in enumerate(itertools.pairwise(MLP_SIZES)):
            w = params[k : k + (a + 1) * b].reshape(b, a + 1)
            k += (a + 1) * b
            h = h @ w[:, :a].T + w[:, a]
            if i < len(MLP_SIZES) - 2:
                h = jnp.tanh(h)
        return jnp.mean((h[:, 0] - y) ** 2)

    return loss


def oscillator_loss(steps: int, pairs: int = 1) -> tuple[Callable[..., Any], list[float], list[float]]:
    """The fit loss of `pairs` oscillators summed into one signal: a function of 2·pairs numbers, its truth, a start."""
    truth = [v for i in range(pairs) for v in (1.5 + 0.4 * i, 0.05 + 0.03 * i)]
    start = [v * (1.08 if k % 2 == 0 else 1.3) for k, v in enumerate(truth)]
    paths = [oscillator(truth[2 * i], truth[2 * i + 1], steps) for i in range(pairs)]
    target = [sum(p[t] for p in paths) for t in range(steps)]

    def loss(*params: Any) -> Any:
        paths = [oscillator(params[2 * i], params[2 * i + 1], steps) for i in range(pairs)]
        total = 0.0
        for t, y in enumerate(target):
            signal = paths[0][t]
            for p in paths[1:]:
                signal = signal + p[t]
            total = total + (signal - y) ** 2
        return total / steps

    return loss, truth, start


def jax_oscillator_loss(steps: int) -> Callable[..., Any]:
    target = jnp.array([float(x) for x in oscillator(1.5, 0.05, steps)])
    dt = 0.01

    def loss(omega: Any, zeta: Any) -> Any:
        def acceleration(x: Any, v: Any) -> Any:
            return -2.0 * zeta * omega * v - omega * omega * x

        def step(t: Any, carry: Any) -> Any:
            x, v, total = carry
            k1x, k1v = v, acceleration(x, v)
            k2x, k2v = v + 0.5 * dt * k1v, acceleration(x + 0.5 * dt * k1x, v + 0.5 * dt * k1v)
            k3x, k3v = v + 0.5 * dt * k2v, acceleration(x + 0.5 * dt * k2x, v + 0.5 * dt * k2v)
            k4x, k4v = v + dt * k3v, acceleration(x + dt * k3x, v + dt * k3v)
            x = x + dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
            v = v + dt / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
            return x, v, total + (x - target[t]) ** 2

        _, _, total = jax.lax.fori_loop(0, steps, step, (1.0, 0.0, 0.0))
        return total / steps

    return loss


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def best_of(f: Callable[[], Any], repeat: int, target: float = 0.05) -> float:
    """Seconds per call: the best of `repeat` timings of enough calls to last about `target` seconds."""
    f()
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            f()
        elapsed = time.perf_counter() - start
        if elapsed >= target or n >= 1 << 20:
            break
        n *= 4
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(n):
            f()
        times.append((time.perf_counter() - start) / n)
    return min(times)


def flat(x: Any) -> list[float]:
    return [float(v) for v in al.tree_flatten(x)[0]]


def check(name: str, want: Any, got: Any, rtol: float = 1e-9) -> None:
    a, b = flat(want), flat(got)
    scale = max([abs(v) for v in a] + [1e-300])
    if len(a) != len(b) or any(abs(x - y) > rtol * scale for x, y in zip(a, b)):
        raise SystemExit(f"{name} disagrees with the eager engine: {b[:4]} vs {a[:4]}")


def gradient_costs(quick: bool, repeat: int) -> list[dict[str, Any]]:
    """Benchmarks 1 and 2: a gradient in plain evaluations, and what compiling costs."""
    points, targets, params = mlp_data(4 if quick else 100)
    steps = 50 if quick else 1000
    loss, _, start = oscillator_loss(steps)
    cases: list[tuple[str, Callable[..., Any], tuple[Any, ...], tuple[int, ...], Any]] = [
        ("line fit", line_fit, (1.0, 0.5), (0, 1), None),
        ("Black-Scholes", black_scholes, (100.0, 95.0, 0.5, 0.02, 0.25), (0, 1, 2, 3, 4), None),
        ("MLP 2-16-16-1", lambda p: mlp_loss(p, points, targets), (params,), (0,), None),
        (f"RK4 {steps} steps", loss, tuple(start), (0, 1), None),
    ]
    rows = []
    for name, f, args, argnums, _ in cases:
        n = sum(len(a) if isinstance(a, list) else 1 for a in args)
        plain = best_of(lambda f=f, args=args: f(*args), repeat)
        vg = al.value_and_grad(f, argnums=argnums)
        want = vg(*args)
        row: dict[str, Any] = {"workload": name, "inputs": n, "plain_s": plain, "finite differences": n + 1}
        eager = best_of(lambda vg=vg, args=args: vg(*args), max(1, repeat // 2), target=0.02)
        row["eager"] = eager / plain
        # (numba is left out of the MLP: its program, some thousands of lines, takes numba minutes to compile)
        backends = ["python"] + (["numba"] if numba is not None and not name.startswith("MLP") else [])
        for backend in backends:
            jitted = al.jit(vg, backend=backend)
            begin = time.perf_counter()
            got = jitted(*args)
            first = time.perf_counter() - begin
            check(f"{name}, jit {backend}", want, got)
            per_call = best_of(lambda jitted=jitted, args=args: jitted(*args), repeat)
            row[f"jit {backend}"] = per_call / plain
            row[f"compile {backend} s"] = first - per_call
            row[f"note {backend}"] = jitted.note
        if jax is not None:
            row["jax.jit(value_and_grad)"] = jax_cost(name, args, argnums, points, targets, steps, plain, repeat)
        rows.append(row)
    return rows


def jax_cost(
    name: str, args: tuple[Any, ...], argnums: tuple[int, ...], points: Any, targets: Any, steps: int, plain: float,
    repeat: int,
) -> float:  # fmt: skip
    if name == "line fit":
        f = line_fit
    elif name == "Black-Scholes":
        f = lambda *a: black_scholes(*a, lib=jnp)
    elif name.startswith("MLP"):
        f = jax_mlp_loss(points, targets)  # on matrices: JAX's way (a loop over points would take minutes to trace)
        args = (jnp.array(args[0]),)
    else:
        f = jax_oscillator_loss(steps)
    g = jax.jit(jax.value_and_grad(f, argnums=argnums))
    jax.block_until_ready(g(*args))
    return best_of(lambda: jax.block_until_ready(g(*args)), repeat) / plain


def scipy_fits(quick: bool) -> list[dict[str, Any]]:
    """Benchmark 3: BFGS on the oscillator, wall time with tracing and compiling included."""
    steps = 50 if quick else 1000
    rows = []
    for pairs in (1, 5):
        loss, truth, start = oscillator_loss(steps, pairs)
        row: dict[str, Any] = {"parameters": 2 * pairs}
        for label in ("finite differences", "eager", "jit"):
            if label == "eager" and pairs > 1:
                row[label] = None  # minutes: the table says so
                continue
            seconds, calls, error = fit_once(label, loss, start, truth)
            row[label], row[f"{label} evaluations"], row[f"{label} error"] = seconds, calls, error
        rows.append(row)
    return rows


def fit_once(label: str, loss: Callable[..., Any], start: list[float], truth: list[float]) -> tuple[float, int, float]:
    """One BFGS fit: its wall time (making the objective included), scipy's calls, the largest error."""
    from scipy.optimize import minimize

    begin = time.perf_counter()
    if label == "finite differences":
        fit = minimize(lambda p: float(loss(*p)), start, method="BFGS", options={"gtol": 1e-10})
    else:
        vg = al.value_and_grad(loss, argnums=tuple(range(len(start))))
        f = al.jit(vg) if label == "jit" else vg

        def objective(p: Any) -> tuple[float, Any]:
            value, grads = f(*[float(x) for x in p])
            return value, np.array(grads)

        fit = minimize(objective, start, jac=True, method="BFGS", options={"gtol": 1e-10})
    seconds = time.perf_counter() - begin
    return seconds, int(fit.nfev), max(abs(a - b) for a, b in zip(fit.x, truth))


def vmap_costs(quick: bool, repeat: int, with_dask: bool) -> dict[str, Any]:
    """Benchmark 4: Black–Scholes price and five greeks over many points."""
    n = 10_000 if quick else 1_000_000
    rng = np.random.default_rng(0)
    arrays = [rng.uniform(50, 150, n), rng.uniform(50, 150, n), rng.uniform(0.1, 2, n), rng.uniform(0, 0.05, n),
              rng.uniform(0.1, 0.5, n)]  # fmt: skip
    greeks = al.value_and_grad(black_scholes, argnums=(0, 1, 2, 3, 4))
    mapped = al.vmap(greeks)
    price, slopes = mapped(*arrays)
    for i in (0, n // 2, n - 1):
        check("vmap", greeks(*(float(a[i]) for a in arrays)), (price[i], tuple(s[i] for s in slopes)), rtol=1e-12)
    from scipy.special import erf

    def numpy_price() -> Any:
        S, K, T, r, s = arrays
        d1 = (np.log(S / K) + (r + 0.5 * s * s) * T) / (s * np.sqrt(T))
        d2 = d1 - s * np.sqrt(T)
        return S * 0.5 * (1.0 + erf(d1 / math.sqrt(2.0))) - K * np.exp(-r * T) * 0.5 * (1.0 + erf(d2 / math.sqrt(2.0)))

    plain = best_of(numpy_price, repeat, target=0.2)
    result: dict[str, Any] = {"points": n, "numpy price s": plain}
    result["vmap"] = best_of(lambda: mapped(*arrays), repeat, target=0.2) / plain
    if numba is not None:
        native = al.vmap(greeks, backend="numba")
        check("vmap, numba", (price, slopes), native(*arrays), rtol=1e-12)
        result["vmap numba"] = best_of(lambda: native(*arrays), repeat, target=0.2) / plain
    if jax is not None:
        g = jax.jit(jax.vmap(jax.value_and_grad(lambda *a: black_scholes(*a, lib=jnp), argnums=(0, 1, 2, 3, 4))))
        jarrays = [jnp.array(a) for a in arrays]
        jax.block_until_ready(g(*jarrays))
        result["jax.jit(jax.vmap(value_and_grad))"] = best_of(lambda: jax.block_until_ready(g(*jarrays)), repeat,
                                                             target=0.2) / plain  # fmt: skip
    if with_dask and not quick:
        result.update(dask_cost())
    return result


def dask_cost(points: int = 10_000_000, chunk: int = 500_000) -> dict[str, Any]:
    try:
        import dask.array as da
        import distributed
    except ImportError:
        return {"dask": "skipped: pip install 'autograd_lite[dask]'"}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as c, \
            distributed.Client(c) as client:  # fmt: skip
        state = da.random.RandomState(1)
        args = [state.uniform(50, 150, points, chunks=chunk), state.uniform(50, 150, points, chunks=chunk),
                state.uniform(0.1, 2, points, chunks=chunk), state.uniform(0, 0.05, points, chunks=chunk),
                state.uniform(0.1, 0.5, points, chunks=chunk)]  # fmt: skip
        price, slopes = al.vmap(al.value_and_grad(black_scholes, argnums=(0, 1, 2, 3, 4)))(*args)
        begin = time.perf_counter()
        total = client.compute(price.sum() + sum(s.sum() for s in slopes), sync=True)
        seconds = time.perf_counter() - begin
    return {"dask points": points, "dask s": seconds, "dask finite": math.isfinite(total)}


# ---------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------


def report(quick: bool = False, repeat: int = 5, with_dask: bool = True) -> dict[str, Any]:
    """Run the four benchmarks and print their tables; returns the numbers."""
    costs = gradient_costs(quick, repeat)
    columns = ["finite differences", "eager", "jit python", "jit numba", "jax.jit(value_and_grad)"]
    print("\nA gradient in evaluations of the plain function (value and every slope, per call):")
    print(f"  {'workload':<16} {'N':>4}  {'plain f':>9}  " + "  ".join(f"{c:>12}" for c in columns))
    for row in costs:
        cells = [f"{row[c]:12.2f}" if isinstance(row.get(c), float) else f"{row.get(c, '-')!s:>12}" for c in columns]
        print(f"  {row['workload']:<16} {row['inputs']:>4}  {row['plain_s'] * 1e6:7.1f} µs  " + "  ".join(cells))
    print("\nCompiling (the first call less a later one):")
    for row in costs:
        for backend in ("python", "numba"):
            if f"compile {backend} s" in row:
                seconds = row[f"compile {backend} s"]
                print(f"  {row['workload']:<16} {backend:<7} {seconds:8.3f} s = {seconds / row['plain_s']:10,.0f} "
                      f"plain evaluations   ({row[f'note {backend}']})")
    fits = scipy_fits(quick)
    print("\nscipy.optimize.minimize (BFGS) on the oscillator fit, wall time with tracing and compiling:")
    for row in fits:
        cells = []
        for label in ("finite differences", "eager", "jit"):
            if row.get(label) is None:
                cells.append(f"{label} not run (minutes)")
            else:
                cells.append(f"{label} {row[label]:.2f} s ({row[f'{label} evaluations']} calls)")
        print(f"  {row['parameters']:>2} parameters: " + ", ".join(cells))
    batch = vmap_costs(quick, repeat, with_dask)
    print(f"\nBlack-Scholes price and 5 greeks at {batch['points']:,} points, over the plain numpy price "
          f"({batch['numpy price s'] * 1e3:.1f} ms):")
    print(f"  vmap(value_and_grad)                 {batch['vmap']:6.2f}×")
    if "vmap numba" in batch:
        print(f"  vmap(value_and_grad, backend=numba)  {batch['vmap numba']:6.2f}×")
    if "jax.jit(jax.vmap(value_and_grad))" in batch:
        print(f"  jax.jit(jax.vmap(value_and_grad))    {batch['jax.jit(jax.vmap(value_and_grad))']:6.2f}×")
    if "dask s" in batch:
        print(f"  dask, 2 local workers, {batch['dask points']:,} points: {batch['dask s']:.2f} s")
    elif "dask" in batch:
        print(f"  dask {batch['dask']}")
    return {"gradients": costs, "scipy": fits, "vmap": batch}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--repeat", type=int, default=5, help="timings per measurement (the best counts)")
    parser.add_argument("--skip-dask", action="store_true", help="leave out the dask cluster")
    args = parser.parse_args(argv)
    report(args.quick, args.repeat, not args.skip_dask)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

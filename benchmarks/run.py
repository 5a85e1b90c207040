"""Benchmark autograd_lite against hand-written derivative code and micrograd.

Run it:  python benchmarks/run.py [--quick] [--repeat 5] [--only chain] [--json results.json]

For each workload, every implementation first runs once from the same start
and must agree with the hand-written code on the value and every gradient
(to 1e-9, relative to the largest). Then the implementations are timed in
interleaved rounds (A B C, A B C, ...), so a noisy neighbour slows all of them
alike. Each round gives one ratio to the hand-written code per implementation;
the table shows the median time and the median, min and max of those ratios.

Two more measurements: memory per graph node (tracemalloc, while a chain's
graph is alive) and the time to import the package (fresh interpreters,
minus the time of an interpreter that imports nothing).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jit import report as jit_report
from solvers import workload as solver_workload
from taylor import workload as taylor_workload
from workloads import Run, Workload, graph_builders, mg_engine, workloads

import autograd_lite as al


def agree(reference: tuple[float, list[float]], other: tuple[float, list[float]], rtol: float = 1e-9) -> bool:
    """Same value and gradients, each within rtol of the largest magnitude among them."""
    (v0, g0), (v1, g1) = reference, other
    if len(g0) != len(g1):
        return False
    scale = max([abs(v0), *map(abs, g0), 1e-300])
    return abs(v0 - v1) <= rtol * max(abs(v0), 1e-300) and all(abs(a - b) <= rtol * scale for a, b in zip(g0, g1))


def time_once(run: Run, iterations: int) -> float:
    start = time.perf_counter()
    for _ in range(iterations):
        run.run()
    return (time.perf_counter() - start) / iterations


def calibrate(run: Run, target: float = 0.05) -> int:
    """How many iterations make one timing last about `target` seconds."""
    iterations = 1
    while True:
        elapsed = time_once(run, iterations) * iterations
        if elapsed >= target or iterations >= 1 << 20:
            return iterations
        iterations *= 2 if elapsed > target / 4 else 8


def bench_workload(workload: Workload, size: int, repeat: int) -> dict[str, object]:
    runs = {name: make(size) for name, make in workload.implementations.items()}
    reference = "hand-written"
    eager = "autograd_lite" if "autograd_lite" in runs else None  # compile costs are counted in its steps
    results = {}
    for name, run in runs.items():
        run.run()
        results[name] = run.result()
    for name, result in results.items():
        if not agree(results[reference], result):
            raise SystemExit(f"{workload.name}: {name} disagrees with the hand-written code: {result[0]!r} vs "
                             f"{results[reference][0]!r}")
    iterations = {name: calibrate(run) for name, run in runs.items()}
    times: dict[str, list[float]] = {name: [] for name in runs}
    ratios: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        round_times = {name: time_once(run, iterations[name]) for name, run in runs.items()}
        for name, t in round_times.items():
            times[name].append(t)
            ratios[name].append(t / round_times[reference])
    return {
        "workload": workload.name,
        "description": workload.description,
        "size": size,
        "implementations": {
            name: {
                "setup_s": runs[name].setup_seconds,
                "setup_in_eager_steps": runs[name].setup_seconds / statistics.median(times[eager]) if eager else None,
                "median_s": statistics.median(times[name]),
                "min_s": min(times[name]),
                "max_s": max(times[name]),
                "ratio_median": statistics.median(ratios[name]),
                "ratio_min": min(ratios[name]),
                "ratio_max": max(ratios[name]),
            }
            for name in runs
        },
        "skipped": workload.skipped,
    }


def chain_graph(library: str, steps: int) -> tuple[object, int]:
    """Build a chain's graph and count its nodes (for memory per node)."""
    if library == "autograd_lite":
        x = al.Value(0.5)
        for _ in range(steps):
            x = 0.9999 * x + 1e-4 * x.tanh()
        return x, len(al.topological_order(x))
    # micrograd has no tanh: the same shape with relu
    y = mg_engine.Value(0.5)
    for _ in range(steps):
        y = 0.9999 * y + 1e-4 * y.relu()
    seen, stack = set(), [y]
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            stack.extend(v._prev)
    return y, len(seen)


def memory_per_node(steps: int) -> dict[str, float]:
    out = {}
    libraries = ["autograd_lite"] + (["micrograd"] if mg_engine is not None else [])
    for library in libraries:
        gc.collect()
        tracemalloc.start()
        graph, nodes = chain_graph(library, steps)
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[library] = current / nodes
        del graph
        gc.collect()
    return out


def import_time(module: str, repeat: int) -> tuple[float, float]:
    """Median seconds to start Python and import `module`, and the same for a bare start."""

    # Bytecode caches as a user has them: allow writing them, and warm them up once.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def start(code: str) -> float:
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        return time.perf_counter() - begin

    start(f"import {module}")
    bare, with_import = [], []
    for _ in range(repeat):
        bare.append(start("pass"))
        with_import.append(start(f"import {module}"))
    return statistics.median(with_import), statistics.median(bare)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds per workload")
    parser.add_argument("--only", help="run only the workload whose name contains this")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--profile", metavar="WORKLOAD", help="where the time of one workload goes, then stop")
    args = parser.parse_args(argv)
    if args.profile:
        return profile(args.profile, args.quick, args.repeat)

    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}; "
          f"micrograd {'installed' if mg_engine is not None else 'not installed'}")
    report: dict[str, object] = {"python": platform.python_version(), "machine": platform.machine(), "workloads": []}
    ratio_title = "× hand-written (median, min–max)"
    header = f"{'workload':<10} {'N':>9}  {'implementation':<23} {'median':>10}  {ratio_title}"
    print("\n" + header + "\n" + "-" * len(header))
    for workload in [*workloads(), solver_workload(), taylor_workload(args.quick)]:  # solvers.py, taylor.py
        if args.only and args.only not in workload.name:
            continue
        size = workload.small_size if args.quick else workload.default_size
        result = bench_workload(workload, size, args.repeat)
        report["workloads"].append(result)  # type: ignore[attr-defined]
        for name, r in result["implementations"].items():  # type: ignore[attr-defined]
            ratio = f"{r['ratio_median']:8.1f}×  ({r['ratio_min']:.1f}–{r['ratio_max']:.1f})"
            setup = ""
            if r["setup_s"]:
                steps = f" = {r['setup_in_eager_steps']:.1f} eager steps" if r["setup_in_eager_steps"] else ""
                setup = f"   compile {format_time(r['setup_s'])}{steps}"
            print(f"{workload.name:<10} {size:>9}  {name:<23} {format_time(r['median_s']):>10}  {ratio}{setup}")
        for name, why in workload.skipped.items():
            print(f"{workload.name:<10} {size:>9}  {name:<23} {'skipped':>10}  {why}")

    if not args.only or "memory" in args.only:
        steps = 2_000 if args.quick else 200_000
        memory = memory_per_node(steps)
        report["memory_bytes_per_node"] = memory
        print(f"\nmemory per graph node (a chain of {steps} steps, tracemalloc):")
        for library, per_node in memory.items():
            print(f"  {library:<14} {per_node:7.0f} B")
    if not args.only or "import" in args.only:
        repeat = 3 if args.quick else 15
        imports = {"autograd_lite": import_time("autograd_lite", repeat)}
        if mg_engine is not None:
            imports["micrograd"] = import_time("micrograd.engine, micrograd.nn", repeat)
        report["import_seconds"] = {k: {"with_import": v[0], "bare": v[1]} for k, v in imports.items()}
        print(f"\npython -c 'import …' (median of {repeat} fresh interpreters, bytecode cached):")
        for library, (seconds, bare) in imports.items():
            print(f"  {library:<14} {seconds * 1000:7.1f} ms   (a bare start: {bare * 1000:.1f} ms; "
                  f"the import adds {(seconds - bare) * 1000:.1f} ms)")

    if not args.only or "jit" in args.only:  # benchmarks/jit.py: functions compiled, and many points at once
        report["jit"] = jit_report(args.quick, args.repeat, with_dask=not args.quick)

    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


def profile(name: str, quick: bool, repeat: int) -> int:
    """Print where one step of a workload spends its time, eager and compiled (medians of `repeat` runs)."""
    chosen = [w for w in workloads() if name in w.name]
    if not chosen:
        raise SystemExit(f"--profile: no workload named like {name!r}; try " + ", ".join(w.name for w in workloads()))
    workload = chosen[0]
    size = workload.small_size if quick else workload.default_size
    build = graph_builders()[workload.name](size)
    engine = al.engine

    def timed(f: object) -> float:
        """Seconds per call of f, over enough calls to last about 20 ms."""
        calls = 1
        while True:
            start = time.perf_counter()
            for _ in range(calls):
                f()  # type: ignore[operator]
            elapsed = time.perf_counter() - start
            if elapsed > 0.02 or calls >= 1 << 16:
                return elapsed / calls
            calls *= 4

    rows: dict[str, list[float]] = {}

    def note(label: str, seconds: float) -> None:
        rows.setdefault(label, []).append(seconds)

    graph: dict[str, al.Value] = {}

    def record() -> None:
        graph["out"] = build()

    for _ in range(repeat):
        note("eager: record the graph (collector on)", timed(record))
        graph.clear()
        gc.collect()
        gc.disable()
        try:
            note("eager: record the graph (collector off)", timed(record))
        finally:
            gc.enable()
        note("eager: order the graph (topological_order)", timed(lambda: engine.topological_order(graph["out"])))
        note("eager: backward() (ordering + chain rule + checks)", timed(graph["out"].backward))
        start = time.perf_counter()
        tape = al.compile(graph["out"])
        note("compile: in all (ordering, guards, code)", time.perf_counter() - start)
        note("compile: write the code (with Python's compile, for chunks)", tape.codegen_seconds)
        note("compile: Python's compile()", tape.compile_seconds)
        note("compiled: forward()", timed(tape.forward))
        note("compiled: backward()", timed(tape.backward))
        del tape
        graph.clear()
        gc.collect()
    print(f"where the time of one step goes: {workload.name}, N = {size}, median of {repeat} runs")
    for label, seconds in rows.items():
        print(f"  {label:<52} {format_time(statistics.median(seconds)):>10}")
    record_on = statistics.median(rows["eager: record the graph (collector on)"])
    record_off = statistics.median(rows["eager: record the graph (collector off)"])
    backward = statistics.median(rows["eager: backward() (ordering + chain rule + checks)"])
    ordering = statistics.median(rows["eager: order the graph (topological_order)"])
    print(f"  the cycle collector's share of recording: {max(record_on - record_off, 0.0) / record_on:.0%}; "
          f"ordering's share of backward(): {min(ordering / backward, 1.0):.0%}")
    return 0


def format_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


if __name__ == "__main__":
    sys.exit(main())

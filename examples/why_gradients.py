"""Why gradients win: gradient descent against trial and error, with numbers.

Run it:  python examples/why_gradients.py [--sizes 1,2,10,100,1000] [--budget 3] [--png why_gradients.png]

Part 1 fits N parameters by least squares, loss(w) = Σⱼ cⱼ·(wⱼ − tⱼ)², three ways:

* gradient descent: one forward pass and one backward pass give all N slopes;
* finite differences: the same descent, but each slope measured as Δloss/Δw,
  two loss evaluations per parameter per step;
* trial and error: nudge each parameter up, else down, keep what helps
  (between N + 1 and 2N + 1 loss evaluations per step, and it only ever
  learns "better or worse").

Each runs until the loss is a millionth of where it started, or until its
time budget runs out. The cost of one loss evaluation grows with N, so the
derivative-free methods fall behind fast.

Part 2 is a badly scaled bowl, loss = ½(x² + 50y²): steep across, shallow
along. Plain gradient descent bounces from wall to wall (zig-zags) and creeps
along the floor; momentum and Adam move along the valley.

Pictures are drawn in the terminal; with ``--png PATH`` they are also saved
there as a PNG, which needs matplotlib (pip install '.[plot]').
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from plotting import Canvas, pyplot_or_explain, save

from autograd_lite import Value, no_grad, numeric_grad
from autograd_lite.optim import SGD, Adam, Optimizer, TrialAndError

TARGET_RATIO = 1e-6  # stop when loss <= TARGET_RATIO * initial loss
LR = 0.3


# ---------------------------------------------------------------------------
# Part 1: N parameters
# ---------------------------------------------------------------------------


@dataclass
class Problem:
    """Least squares with a known answer: loss(w) = Σ cⱼ·(wⱼ − tⱼ)², minimum 0 at w = t."""

    weights: list[float]
    targets: list[float]

    @classmethod
    def random(cls, n: int, seed: int = 0) -> Problem:
        rng = random.Random(seed)
        return cls([rng.uniform(0.5, 1.5) for _ in range(n)], [rng.uniform(-1.0, 1.0) for _ in range(n)])

    def loss(self, w: list[Value]) -> Value:
        return sum((c * (wj - t) ** 2 for c, wj, t in zip(self.weights, w, self.targets)), Value(0.0))

    def loss_at(self, data: list[float]) -> float:
        with no_grad():
            return self.loss([Value(x) for x in data]).data


@dataclass
class Result:
    method: str
    n: int
    evaluations_per_step: float  # loss evaluations (forward passes) per step
    backward_per_step: int
    steps: int
    evaluations: int
    seconds: float
    reached: bool


class OutOfTime(Exception):
    """The method used up its time budget in the middle of a step."""


def run(method: str, problem: Problem, budget: float) -> Result:
    """Run one method from w = 0 until the loss falls to TARGET_RATIO of its start, or the budget ends."""
    n = len(problem.weights)
    w = [Value(0.0) for _ in range(n)]
    target = TARGET_RATIO * problem.loss_at([0.0] * n)
    deadline = time.perf_counter() + budget
    forward_passes = 0

    def loss(params: list[Value]) -> Value:
        """The loss, counted, and stopped mid-step when the budget is spent."""
        nonlocal forward_passes
        if time.perf_counter() > deadline:
            raise OutOfTime
        forward_passes += 1
        return problem.loss(params)

    optimizer: Optimizer
    if method == "finite differences":
        optimizer = SGD(w, lr=LR)

        def step_once() -> None:
            slopes = numeric_grad(loss, [p.data for p in w], eps=1e-6)
            for p, slope in zip(w, slopes):
                p.grad = slope
            optimizer.step()

    else:
        optimizer = SGD(w, lr=LR) if method == "gradient descent" else TrialAndError(w, step_size=0.5)

        def step_once() -> None:
            optimizer.step(lambda: loss(w))

    steps, reached = 0, False
    start = time.perf_counter()
    try:
        while not reached:
            step_once()
            steps += 1
            # Checking progress is bookkeeping, not part of any method: it is not counted.
            reached = problem.loss_at([p.data for p in w]) <= target
    except OutOfTime:
        pass
    seconds = time.perf_counter() - start
    return Result(method, n, forward_passes / max(steps, 1), optimizer.gradient_evaluations // max(steps, 1),
                  steps, forward_passes, seconds, reached)


METHODS = ("gradient descent", "finite differences", "trial and error")
RULE_COUNT: dict[str, Callable[[int], float]] = {
    "gradient descent": lambda n: 1.0,
    "finite differences": lambda n: 2.0 * n,
    "trial and error": lambda n: 1.5 * n + 1,  # between N + 1 and 2N + 1
}
RULE: dict[str, Callable[[int], str]] = {
    "gradient descent": lambda n: "1",
    "finite differences": lambda n: f"({2 * n})",
    "trial and error": lambda n: f"({n + 1}-{2 * n + 1})",
}


def scaling_table(sizes: list[int], budget: float) -> list[Result]:
    results = []
    print(f"Least squares with N parameters, from w = 0 until the loss is {TARGET_RATIO:g} of its start")
    print(f"(each method stops early if it runs out of its {budget:g} s budget).\n")
    header = (f"  {'N':>5}  {'method':<19} {'forward/step':>12} {'backward/step':>13} {'steps':>6} "
              f"{'forward passes':>14} {'seconds':>8}  reached")
    print(header)
    print("  " + "-" * (len(header) - 2))
    for n in sizes:
        problem = Problem.random(n)
        for method in METHODS:
            r = run(method, problem, budget)
            results.append(r)
            total = f"{r.evaluations}" if r.reached else f">{r.evaluations}"
            # With no step finished, show what one step costs by the method's rule.
            per_step = f"{r.evaluations_per_step:.1f}" if r.steps else RULE[method](n)
            print(f"  {n:>5}  {method:<19} {per_step:>12} {r.backward_per_step:>13} {r.steps:>6} "
                  f"{total:>14} {r.seconds:>8.3f}  {'yes' if r.reached else 'no (budget)'}")
        print()
    return results


# ---------------------------------------------------------------------------
# Part 2: zig-zag in a badly scaled bowl
# ---------------------------------------------------------------------------


def bowl(x: Value, y: Value) -> Value:
    """½(x² + 50y²): curvature 1 along x, 50 across y."""
    return 0.5 * (x * x + 50.0 * y * y)


OPTIMIZERS: dict[str, Callable[[list[Value]], Optimizer]] = {
    "gradient descent (lr 0.038)": lambda p: SGD(p, lr=0.038),
    "momentum 0.9 (lr 0.01)": lambda p: SGD(p, lr=0.01, momentum=0.9),
    "Adam (lr 0.1)": lambda p: Adam(p, lr=0.1),
}


Path = list[tuple[float, float]]


def bowl_path(make: Callable[[list[Value]], Optimizer], steps: int = 300) -> tuple[Path, int | None]:
    """The (x, y) points an optimizer visits from (−4, 1), and the step where the loss first drops below 1e-6."""
    x, y = Value(-4.0), Value(1.0)
    optimizer = make([x, y])
    path = [(x.data, y.data)]
    arrived = None
    for k in range(1, steps + 1):
        optimizer.step(lambda: bowl(x, y))
        path.append((x.data, y.data))
        if arrived is None and bowl(x, y).data < 1e-6:
            arrived = k
    return path, arrived


def reversals(path: Path, steps: int = 50) -> int:
    """How often the y-direction of the step flips within the first `steps` steps: the zig-zag count."""
    dy = [b[1] - a[1] for a, b in pairwise(path[: steps + 1])]
    return sum(1 for a, b in pairwise(dy) if a * b < 0)


def bowl_limits(paths: dict[str, tuple[Path, int | None]], steps: int = 60) -> tuple[tuple[float, float], ...]:
    """x and y limits that hold the first `steps` points of every path, with a margin (momentum overshoots x = 0)."""
    points = [p for path, _ in paths.values() for p in path[:steps]]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (min(xs) - 0.3, max(xs) + 0.3), (min(ys) - 0.15, max(ys) + 0.15)


def zigzag(show: int = 8) -> dict[str, tuple[Path, int | None]]:
    print("A badly scaled bowl, loss = ½(x² + 50y²), from (x, y) = (-4, 1):\n")
    paths = {name: bowl_path(make) for name, make in OPTIMIZERS.items()}
    print(f"  {'optimizer':<28} {'y flips in 50 steps':>20} {'steps to loss < 1e-6':>21}")
    for name, (path, arrived) in paths.items():
        print(f"  {name:<28} {reversals(path):>20} {arrived if arrived else '> 300':>21}")
    for name, (path, _) in paths.items():
        print(f"\n  {name}, first {show} points:")
        print("   " + "  ".join(f"({x:+.2f},{y:+.2f})" for x, y in path[:show]))
    print("\n  The first 60 steps of each (the minimum is at (0, 0), the start at (-4, 1)):")
    xlim, ylim = bowl_limits(paths)
    for name, (path, _) in paths.items():
        canvas = Canvas(64, 9, (round(xlim[0], 1), round(xlim[1], 1)), (round(ylim[0], 1), round(ylim[1], 1)))
        canvas.points([0.0], [0.0], "+")
        canvas.curve([p[0] for p in path[:60]], [p[1] for p in path[:60]], ".", samples=6)
        canvas.points([p[0] for p in path[:60]], [p[1] for p in path[:60]], "o")
        print(f"\n  {name}")
        print(canvas.render())
    return paths


def save_png(filename: str, results: list[Result], paths: dict[str, tuple[Path, int | None]]) -> None:
    plt = pyplot_or_explain()
    if plt is None:
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    for method, style in zip(METHODS, ("o-", "s--", "^:")):
        rows = [r for r in results if r.method == method]
        # Forward passes one step costs: measured, or by the method's rule where no step finished in time.
        per_step = [r.evaluations_per_step if r.steps else RULE_COUNT[method](r.n) for r in rows]
        left.plot([r.n for r in rows], per_step, style, label=method)
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("number of parameters N")
    left.set_ylabel("loss evaluations (forward passes) per step")
    left.set_title("The cost of one step grows with N, except for gradients")
    left.legend()
    # The axes hold every path whole (momentum overshoots the minimum to x ≈ 0.6), the contours fill them.
    (x0, x1), (y0, y1) = bowl_limits(paths)
    xs = [x0 + (x1 - x0) * k / 200 for k in range(201)]
    ys = [y0 + (y1 - y0) * k / 200 for k in range(201)]
    right.contour(xs, ys, [[0.5 * (x * x + 50 * y * y) for x in xs] for y in ys], levels=12, colors="0.8")
    for name, (path, _) in paths.items():
        right.plot([p[0] for p in path[:60]], [p[1] for p in path[:60]], ".-", markersize=3, label=name)
    right.plot([0], [0], "k*", markersize=10)
    right.set_xlim(x0, x1)
    right.set_ylim(y0, y1)
    right.set_title("½(x² + 50y²): the first 60 steps")
    right.legend(fontsize=8)
    save(plt, fig, filename)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,10,100,1000", help="comma-separated numbers of parameters")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds each method may run per size")
    parser.add_argument("--png", metavar="PATH", help="also save the picture here as a PNG (needs matplotlib)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    results = scaling_table(sizes, args.budget)
    paths = zigzag()
    if args.png:
        save_png(args.png, results, paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())

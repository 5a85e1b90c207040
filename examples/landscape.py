"""The loss landscape of the line fit, and the path gradient descent takes across it.

Run it:  python examples/landscape.py [--png landscape.png]

For y = w·x and the points (1, 2), (2, 4), (3, 6), the loss (mean squared
error) is a function of the one number w: a valley with its bottom at w = 2.
Standing anywhere on it, the slope says which way is downhill. Gradient
descent steps against the slope, w ← w − lr·slope: big steps where the valley
is steep, smaller ones as it flattens near the bottom.

The picture is drawn in the terminal; with ``--png PATH`` it is also saved
there as a PNG, which needs matplotlib (pip install '.[plot]').
"""

from __future__ import annotations

import argparse
import sys

from fit_line import loss  # the line-fit problem of the main example
from plotting import Canvas, pyplot_or_explain, save

from autograd_lite import Value
from autograd_lite.optim import SGD

W_RANGE = (-1.0, 5.0)


def loss_and_slope(w: float) -> tuple[float, float]:
    v = Value(w)
    out = loss(v)
    out.backward()
    return out.data, v.grad


def descent_path(start: float, lr: float, steps: int) -> list[float]:
    """The values of w that gradient descent visits from `start`."""
    w = Value(start)
    optimizer = SGD([w], lr=lr)
    path = [w.data]
    for _ in range(steps):
        optimizer.step(lambda: loss(w))
        path.append(w.data)
    return path


def tangent(w: float, half_width: float = 0.5) -> tuple[list[float], list[float]]:
    """Two end points of the tangent line at w: the slope drawn as a short segment."""
    height, slope = loss_and_slope(w)
    return [w - half_width, w + half_width], [height - slope * half_width, height + slope * half_width]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", metavar="PATH", help="also save the picture here as a PNG (needs matplotlib)")
    args = parser.parse_args(argv)

    grid = [W_RANGE[0] + k * (W_RANGE[1] - W_RANGE[0]) / 120 for k in range(121)]
    heights = [loss_and_slope(w)[0] for w in grid]
    path = descent_path(start=-0.5, lr=0.04, steps=12)
    slopes_at = [0.0, 2.0, 4.0]

    print("The loss as a function of w, the slope at w = 0, 2, 4 (/ \\ -), and gradient descent from w = -0.5 (o):\n")
    canvas = Canvas(72, 22, W_RANGE, (0.0, 30.0))
    canvas.curve(grid, heights, ".")
    for w in slopes_at:
        xs, ys = tangent(w)
        slope = loss_and_slope(w)[1]
        canvas.curve(xs, ys, "/" if slope > 0 else "\\" if slope < 0 else "-")
    canvas.points(path, [loss_and_slope(w)[0] for w in path], "o")
    print(canvas.render())

    print("\n  step        w        loss       slope   move = −lr·slope")
    for k, w in enumerate(path):
        height, slope = loss_and_slope(w)
        print(f"  {k:>4}  {w:>9.5f}  {height:>10.5f}  {slope:>+10.5f}  {-0.04 * slope:>+10.5f}")
    print("\nThe slope is negative left of the bottom (so w moves right) and positive right of it;")
    print(f"its size shrinks near w = 2, and so do the steps. After {len(path) - 1} steps w = {path[-1]:.5f}.")

    if args.png:
        save_png(args.png, grid, heights, path, slopes_at)
    return 0


def save_png(filename: str, grid: list[float], heights: list[float], path: list[float], slopes_at: list[float]) -> None:
    plt = pyplot_or_explain()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(grid, heights, color="0.3", label="loss(w)")
    # The tangents over the loss curve, the path over them. The tangent at the bottom (w = 2) is flat at loss 0:
    # the y axis starts a little below 0 so that it is not drawn on the frame.
    for w in slopes_at:
        xs, ys = tangent(w, 0.6)
        ax.plot(xs, ys, color="tab:orange", linewidth=2.5, zorder=3)
    ax.plot([], [], color="tab:orange", linewidth=2.5, label="slope at w = 0, 2, 4")
    ax.plot(path, [loss_and_slope(w)[0] for w in path], "o-", color="tab:blue", markersize=4, zorder=4,
            label="gradient descent from w = -0.5")
    ax.set_xlabel("w")
    ax.set_ylabel("mean squared error")
    ax.set_ylim(-1.5, 30)
    ax.set_title("Line fit y = w·x: the loss landscape and the descent path")
    ax.legend()
    save(plt, fig, filename)


if __name__ == "__main__":
    sys.exit(main())

"""Train a small neural network to separate two interleaving half-moons.

Run it:  python examples/moons.py [--steps 100] [--optimizer adam|sgd] [--png examples/pictures/moons.png]
                                  [--save model.json] [--load model.json]

Everything is built from Values: the network (`autograd_lite.nn.MLP`, two
hidden layers of 16 ReLU neurons), the max-margin (hinge) loss with a little
L2 regularisation, and the optimizer. Each step runs the whole data set
forward, backward() once, and updates every weight. Progress shows on one
updating line on a terminal (plain lines otherwise), each for the model after
that step's update. At the end the decision boundary is drawn in the terminal
(and saved as a PNG with ``--png``, when matplotlib is installed). ``--save``
writes the trained weights as JSON (`Module.state_dict`); ``--load`` starts
from such a file (``--steps 0`` only evaluates it).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time

from plotting import Canvas, pyplot_or_explain, save

from autograd_lite import Value, no_grad
from autograd_lite.nn import MLP, hinge
from autograd_lite.optim import SGD, Adam, Optimizer

Point = tuple[float, float]


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list[Point], list[int]]:
    """Two interleaving half circles, n points in all, labels +1 (upper moon) and −1 (lower moon)."""
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        upper = i % 2 == 0
        t = math.pi * rng.random()
        x, y = (math.cos(t), math.sin(t)) if upper else (1.0 - math.cos(t), 0.5 - math.sin(t))
        points.append((x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)))
        labels.append(1 if upper else -1)
    return points, labels


def loss_and_accuracy(model: MLP, points: list[Point], labels: list[int], alpha: float = 1e-4) -> tuple[Value, float]:
    """Hinge loss plus alpha·Σw², and the fraction of points on the right side of the boundary."""
    scores = [model(list(p)) for p in points]
    regularisation = alpha * sum((p * p for p in model.parameters()), Value(0.0))
    accuracy = sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)
    return hinge(scores, labels) + regularisation, accuracy


def train(model: MLP, optimizer: Optimizer, points: list[Point], labels: list[int], steps: int) -> tuple[float, float]:
    """Full-batch training; returns the final loss and accuracy.

    Each step's forward pass measures the model as the previous update left
    it, so the line for step k is printed once step k + 1 has measured it:
    every line reports the model after that step's update, at no extra cost.
    """
    live = sys.stdout.isatty()

    def report(step: int, loss: Value, accuracy: float) -> None:
        line = f"step {step:>4}/{steps}   loss {loss.data:.4f}   accuracy {accuracy:6.1%}"
        if live:
            print("\r" + line, end="", flush=True)
        elif step % 10 == 0 or step == 1 or step == steps:
            print(line)

    for step in range(1, steps + 1):
        optimizer.zero_grad()
        loss, accuracy = loss_and_accuracy(model, points, labels)  # the model after step − 1
        if step > 1:
            report(step - 1, loss, accuracy)
        loss.backward()
        optimizer.step()
    loss, accuracy = loss_and_accuracy(model, points, labels)  # the model after the last step
    if steps:
        report(steps, loss, accuracy)
    if live:
        print()
    return loss.data, accuracy


def boundary_text(model: MLP, points: list[Point], labels: list[int]) -> str:
    xlim, ylim = (-1.5, 2.5), (-1.0, 1.5)
    canvas = Canvas(68, 22, xlim, ylim)
    with no_grad():
        for row in range(canvas.height):
            for col in range(canvas.width):
                x = xlim[0] + col * (xlim[1] - xlim[0]) / (canvas.width - 1)
                y = ylim[1] - row * (ylim[1] - ylim[0]) / (canvas.height - 1)
                canvas.grid[row][col] = "·" if model([x, y]).data > 0 else " "
    for mark, label in (("o", 1), ("x", -1)):
        canvas.points([p[0] for p, y in zip(points, labels) if y == label],
                      [p[1] for p, y in zip(points, labels) if y == label], mark)
    return canvas.render()


def save_png(filename: str, model: MLP, points: list[Point], labels: list[int]) -> None:
    plt = pyplot_or_explain()
    if plt is None:
        return
    xs = [-1.5 + 4.0 * k / 120 for k in range(121)]
    ys = [-1.0 + 2.5 * k / 75 for k in range(76)]
    with no_grad():
        scores = [[model([x, y]).data for x in xs] for y in ys]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.contourf(xs, ys, scores, levels=[-1e9, 0.0, 1e9], colors=["#fde2e1", "#dbeafe"])
    ax.contour(xs, ys, scores, levels=[0.0], colors="0.3", linewidths=1)
    for label, color, marker in ((1, "tab:blue", "o"), (-1, "tab:red", "x")):
        ax.scatter([p[0] for p, y in zip(points, labels) if y == label],
                   [p[1] for p, y in zip(points, labels) if y == label], c=color, marker=marker, s=18)
    ax.set_title("Two moons: the decision boundary of MLP(2, [16, 16, 1])")
    save(plt, fig, filename)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    parser.add_argument("--png", help="also save the picture here (needs matplotlib)")
    parser.add_argument("--no-png", action="store_true", help="draw in the terminal only (the default)")
    parser.add_argument("--save", help="write the trained weights here, as JSON")
    parser.add_argument("--load", help="start from the weights in this JSON file")
    args = parser.parse_args(argv)

    points, labels = make_moons()
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    if args.load:
        with open(args.load) as file:
            model.load_state_dict(json.load(file))
        print(f"loaded the weights from {args.load}")
    print(f"{len(points)} points, {model!r}")
    print(f"{len(model.parameters())} parameters; training with {args.optimizer} for {args.steps} steps\n")
    optimizer = (Adam(model.parameters(), lr=0.05) if args.optimizer == "adam"
                 else SGD(model.parameters(), lr=0.1, momentum=0.9))
    start = time.perf_counter()
    loss, accuracy = train(model, optimizer, points, labels, args.steps)
    seconds = time.perf_counter() - start
    per_step = f", {seconds:.2f} s ({1000 * seconds / args.steps:.1f} ms per step)" if args.steps else ""
    print(f"\nfinal loss {loss:.4f}, training accuracy {accuracy:.1%}{per_step}\n")
    print("Decision boundary (·: the network says upper moon; o: upper moon, x: lower moon):\n")
    print(boundary_text(model, points, labels))
    if args.save:
        with open(args.save, "w") as file:
            json.dump(model.state_dict(), file, indent=1)
        print(f"\nSaved the weights to {args.save}")
    if args.png and not args.no_png:
        save_png(args.png, model, points, labels)
    return 0 if accuracy == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())

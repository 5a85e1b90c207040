"""Look at a computation graph: one neuron, tanh(x1·w1 + x2·w2 + b), after backward().

Run it:  python examples/draw_graph.py [--out neuron.png]

Every box is a Value: the operation that made it, its data, and its grad,
the derivative of the output with respect to it. Read the grads from the
right (the output, grad 1) to the left: each one is the grad of the box it
feeds times the local derivative of that box's operation.

The tree is printed in the terminal. With ``--out PATH`` the picture is
drawn there too, by Graphviz's `dot` program; without Graphviz, the script
says how to install it and exits with status 1.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from autograd_lite import Value, viz


def neuron() -> tuple[Value, dict[Value, str]]:
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)  # chosen so that the output is tanh(0.8814) = 0.7071
    out = (x1 * w1 + x2 * w2 + b).tanh()
    out.backward()
    return out, {x1: "x1", x2: "x2", w1: "w1", w2: "w2", b: "b"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", metavar="PATH", help="also draw the graph into this image (.png, .svg or .pdf; needs Graphviz)"
    )
    args = parser.parse_args(argv)
    out, names = neuron()
    print(viz.to_text(out, names))
    grads = {name: round(v.grad, 4) for v, name in names.items()}
    print("\ngradients:", grads)
    if not args.out:
        print("\n(pass --out neuron.png to draw the picture too; it needs Graphviz)")
        return 0
    try:
        path = viz.draw(out, args.out, names)
    except (RuntimeError, OSError, ValueError, subprocess.CalledProcessError) as error:
        print(f"draw_graph.py: no picture drawn: {error}", file=sys.stderr)
        return 1
    print(f"\nSaved the picture to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time one recorded operation, by the way a program reaches it: operators, methods, functions, comparisons.

Run it:  python benchmarks/ops.py [--number 200000]

Each line is the best of seven timings of one expression on Values, in
nanoseconds per operation, recording on: what the eager engine costs per
node, and whether ``al.tanh(x)`` costs what ``x.tanh()`` does (one dispatch
path). Compare two checkouts by running it with each on PYTHONPATH, one
after the other, on a quiet machine.
"""

from __future__ import annotations

import argparse
import timeit

import autograd_lite as al
from autograd_lite import Value

EXPRESSIONS = [
    ("x * y", "two Values"),
    ("x * 0.5", "a Value and a number"),
    ("2.0 - x", "a number on the left"),
    ("-x", "one Value"),
    ("x ** 2", "a constant exponent"),
    ("x.tanh()", "a method"),
    ("al.tanh(x)", "the function"),
    ("abs(z)", "a row whose derivative compares"),
    ("al.erf(x)", "a special function"),
    ("al.maximum(x, y)", "a two-input function"),
    ("z > 0", "a comparison, remembered"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=200_000, help="operations per timing")
    args = parser.parse_args()
    namespace = {"al": al, "x": Value(0.3), "y": Value(0.7), "z": Value(0.3) * 2.0}
    print(f"autograd_lite {al.__version__}: nanoseconds per operation (best of 7 timings of {args.number:,})")
    for expression, what in EXPRESSIONS:
        eval(expression, namespace)  # the first use writes the row's function out
        best = min(timeit.repeat(expression, globals=namespace, number=args.number, repeat=7)) / args.number
        print(f"  {expression:18s} {best * 1e9:7.0f} ns   {what}")


if __name__ == "__main__":
    main()

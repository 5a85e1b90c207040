"""Fit a damped oscillator's frequency and damping three ways: finite differences, eager gradients, and jit.

The model is x'' = −2ζω·x' − ω²·x from x = 1, x' = 0, integrated by 1,000
steps of the classical Runge–Kutta method (dt = 0.01); the data are the path
at ω = 2, ζ = 0.1. The loss is the mean squared distance between the model's
path and the data's, a function of the two numbers (ω, ζ), and scipy's BFGS
minimises it from (2.2, 0.15):

1. on its own finite-difference gradient (no ``jac``): 3 evaluations a gradient;
2. on ``al.value_and_grad(loss)``, eager: every step records 196,000 nodes;
3. on ``al.jit(al.value_and_grad(loss))``: traced once, then a program of a few
   hundred lines (the 1,000 steps are a loop) runs on plain floats.

Each line says the answer, how many calls scipy made, and the wall time,
tracing and compiling included. Pass ``--backend numba`` to compile the
program to machine code too (the ``numba`` extra), and ``--steps N`` for a
shorter or longer integration.

Run:  python examples/oscillator_fit.py [--steps 1000] [--backend numba]   (scipy: pip install '.[scipy]')
"""

from __future__ import annotations

import argparse
import sys
import time

import autograd_lite as al

TRUE, START, DT = (2.0, 0.1), (2.2, 0.15), 0.01


def path(omega, zeta, steps):
    """x at every step of the oscillator, from x = 1, v = 0 (numbers or Values)."""
    x, v = 1.0, 0.0
    out = []

    def acceleration(x, v):
        return -2.0 * zeta * omega * v - omega * omega * x

    for _ in range(steps):
        k1x, k1v = v, acceleration(x, v)
        k2x, k2v = v + 0.5 * DT * k1v, acceleration(x + 0.5 * DT * k1x, v + 0.5 * DT * k1v)
        k3x, k3v = v + 0.5 * DT * k2v, acceleration(x + 0.5 * DT * k2x, v + 0.5 * DT * k2v)
        k4x, k4v = v + DT * k3v, acceleration(x + DT * k3x, v + DT * k3v)
        x = x + DT / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        v = v + DT / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
        out.append(x)
    return out


def make_loss(steps):
    data = path(*TRUE, steps)

    def loss(omega, zeta):
        total = 0.0
        for x, y in zip(path(omega, zeta, steps), data):
            total = total + (x - y) ** 2
        return total / steps

    return loss


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000, help="Runge–Kutta steps (default 1000)")
    parser.add_argument("--backend", choices=("python", "numba"), default="python", help="jit's backend")
    args = parser.parse_args(argv)
    try:
        import numpy as np
        from scipy.optimize import minimize
    except ImportError:
        print("this example needs scipy: pip install 'autograd_lite[scipy]'")
        return 1
    loss = make_loss(args.steps)
    value_and_grad = al.value_and_grad(loss, argnums=(0, 1))

    def with_gradient(f):
        def objective(p):
            value, grads = f(float(p[0]), float(p[1]))
            return value, np.array(grads)

        return objective

    ways = [
        ("finite differences", lambda: (lambda p: loss(float(p[0]), float(p[1])), False)),
        ("eager value_and_grad", lambda: (with_gradient(value_and_grad), True)),
        (f"jit, {args.backend}", lambda: (with_gradient(al.jit(value_and_grad, backend=args.backend)), True)),
    ]
    print(f"damped oscillator, {args.steps} RK4 steps; truth ω = {TRUE[0]}, ζ = {TRUE[1]}; BFGS from {START}")
    for name, make in ways:
        begin = time.perf_counter()
        objective, jac = make()
        fit = minimize(objective, START, jac=jac, method="BFGS", options={"gtol": 1e-9})
        seconds = time.perf_counter() - begin
        omega, zeta = fit.x
        print(f"  {name:<22} ω = {omega:.6f}, ζ = {zeta:.6f}   {fit.nfev:4d} calls   {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

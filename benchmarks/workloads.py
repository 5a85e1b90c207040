"""The benchmark workloads, each written for autograd_lite, as hand-written derivative code, and for micrograd.

A workload is a set of *implementations* of the same computation. Each
implementation is a function ``make(size) -> Run`` that does its set-up (data,
parameters, building a graph to replay) outside the timing, and returns a
`Run`: ``run()`` does the timed work once, ``result()`` returns the value
and the gradients it computed, so the runner can check that every library
agrees before it times anything.

Hand-written code is plain floats, no graph: the derivative rules applied by
hand. It is the fastest pure Python can be, and every ratio is against it.
"""

from __future__ import annotations

import gc
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import autograd_lite as al
from autograd_lite.nn import MLP, hinge

try:  # the optional comparisons (pip install '.[bench]')
    import micrograd.engine as mg_engine
    import micrograd.nn as mg_nn
except ImportError:  # pragma: no cover - depends on the environment
    mg_engine = mg_nn = None
try:
    import autograd as hips
    import autograd.numpy as hnp
except ImportError:  # pragma: no cover
    hips = hnp = None
try:
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)  # the same float64 as everyone else
except ImportError:  # pragma: no cover
    jax = jnp = None


@dataclass
class Run:
    run: Callable[[], object]
    result: Callable[[], tuple[float, list[float]]]
    setup_seconds: float = 0.0  # compiling, where there is a compile step (not part of the timed runs)


def timed(f: Callable[[], Any]) -> tuple[Any, float]:
    """f() and the seconds it took."""
    start = time.perf_counter()
    out = f()
    return out, time.perf_counter() - start


Make = Callable[[int], Run]


@dataclass
class Workload:
    name: str
    description: str
    default_size: int
    small_size: int
    implementations: dict[str, Make]
    skipped: dict[str, str]  # implementation -> why it is not run


# ---------------------------------------------------------------------------
# 1. Line fit: y = w·x on (1, 2), (2, 4), (3, 6), one gradient step
# ---------------------------------------------------------------------------

POINTS = [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]
LR = 0.01


def line_fit_hand(size: int) -> Run:
    state = {"w": 0.5, "loss": 0.0, "grad": 0.0}

    def run() -> None:
        w = state["w"]
        loss = grad = 0.0
        for x, y in POINTS:
            r = w * x - y
            loss += r * r
            grad += 2.0 * r * x  # d/dw (w·x − y)² = 2(w·x − y)·x
        loss /= len(POINTS)
        grad /= len(POINTS)
        state["w"] = w - LR * grad
        state["loss"], state["grad"] = loss, grad

    return Run(run, lambda: (state["loss"], [state["grad"]]))


def line_fit_graph(value_type: Callable[[float], Any]) -> Make:
    """The line-fit step for a library whose Value is `value_type` (both have the same operators)."""

    def make(size: int) -> Run:
        w = value_type(0.5)
        state = {"loss": 0.0, "grad": 0.0}

        def run() -> None:
            w.grad = 0.0
            loss = sum((w * x - y) ** 2 for x, y in POINTS) / len(POINTS)
            loss.backward()
            state["loss"], state["grad"] = loss.data, w.grad
            w.data -= LR * w.grad

        return Run(run, lambda: (state["loss"], [state["grad"]]))

    return make


def line_fit_replay(size: int) -> Run:
    """The line fit recorded once and compiled; each step runs its generated forward and backward code."""
    w = al.Value(0.5)
    state = {"loss": 0.0, "grad": 0.0}
    tape, seconds = timed(lambda: al.compile(sum((w * x - y) ** 2 for x, y in POINTS) / len(POINTS), names={w: "w"}))

    def run() -> None:
        w.grad = 0.0
        loss = tape.forward()
        tape.backward()
        state["loss"], state["grad"] = loss, w.grad
        w.data -= LR * w.grad

    return Run(run, lambda: (state["loss"], [state["grad"]]), seconds)


def line_fit_loss(np: Any) -> Callable[[Any], Any]:
    """The line fit's loss for an array library `np` (HIPS autograd's numpy, or jax.numpy)."""
    xs, ys = np.array([x for x, _ in POINTS]), np.array([y for _, y in POINTS])

    def loss(w: Any) -> Any:
        return np.mean((w * xs - ys) ** 2)

    return loss


def line_fit_peer(value_and_grad: Callable[[Callable[[Any], Any]], Callable[[Any], Any]], np: Any) -> Make:
    """The line-fit step with a peer's value_and_grad (HIPS autograd, jax.grad, jax.jit(jax.grad))."""

    def make(size: int) -> Run:
        step = value_and_grad(line_fit_loss(np))
        state = {"w": 0.5, "loss": 0.0, "grad": 0.0}
        _, seconds = timed(lambda: step(state["w"]))  # the first call: where jax.jit compiles

        def run() -> None:
            loss, g = step(state["w"])
            state["loss"], state["grad"] = float(loss), float(g)
            state["w"] -= LR * state["grad"]

        return Run(run, lambda: (state["loss"], [state["grad"]]), seconds)

    return make


# ---------------------------------------------------------------------------
# 2. A deep chain: x ← 0.9999·x + 1e-4·tanh(x), forward and backward
# ---------------------------------------------------------------------------


def chain_hand(size: int) -> Run:
    state = {"x": 0.0, "slope": 0.0}

    def run() -> None:
        x, slope = 0.5, 1.0
        for _ in range(size):
            t = math.tanh(x)
            slope *= 0.9999 + 1e-4 * (1.0 - t * t)  # chain rule, forward
            x = 0.9999 * x + 1e-4 * t
        state["x"], state["slope"] = x, slope

    return Run(run, lambda: (state["x"], [state["slope"]]))


def chain_autograd_lite(size: int) -> Run:
    state = {"x": 0.0, "slope": 0.0}

    def run() -> None:
        x0 = al.Value(0.5)
        x = x0
        for _ in range(size):
            x = 0.9999 * x + 1e-4 * x.tanh()
        x.backward()
        state["x"], state["slope"] = x.data, x0.grad

    return Run(run, lambda: (state["x"], [state["slope"]]))


def chain_autograd_lite_collector_off(size: int) -> Run:
    """The same, with Python's cycle collector off while the graph is built (the caller's choice to make).

    Not a target: it shows how much of the eager time is the collector rescanning a growing graph.
    """
    inner = chain_autograd_lite(size)

    def run() -> None:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            inner.run()
        finally:
            if was_enabled:
                gc.enable()

    return Run(run, inner.result)


def chain_replay(size: int) -> Run:
    """The chain recorded once and compiled (or replayed from lists above compile's code limit)."""
    x0 = al.Value(0.5)
    x = x0
    for _ in range(size):
        x = 0.9999 * x + 1e-4 * x.tanh()
    tape, seconds = timed(lambda: al.compile(x))
    state = {"x": 0.0, "slope": 0.0}

    def run() -> None:
        x0.grad = 0.0
        state["x"] = tape.forward()
        tape.backward()
        state["slope"] = x0.grad

    return Run(run, lambda: (state["x"], [state["slope"]]), seconds)


# ---------------------------------------------------------------------------
# 3. Comparisons: a least-absolute-deviations fit, |r| written as max(r, −r)
# ---------------------------------------------------------------------------

ABS_POINTS = [(0.1 * i, 0.2 * i + (0.05 if i % 3 else -0.05)) for i in range(1, 101)]


def abs_fit_hand(size: int) -> Run:
    state = {"w": 1.5, "loss": 0.0, "grad": 0.0}

    def run() -> None:
        w = state["w"]
        loss = grad = 0.0
        for x, y in ABS_POINTS[:size]:
            r = w * x - y
            if r > -r:  # |r| = max(r, −r); d|r|/dw = sign(r)·x
                loss += r
                grad += x
            else:
                loss -= r
                grad -= x
        state["loss"], state["grad"] = loss / size, grad / size
        state["w"] = w - LR * state["grad"]

    return Run(run, lambda: (state["loss"], [state["grad"]]))


def abs_fit_autograd_lite(guarded: bool) -> Make:
    """The same with Values; `guarded=False` compares the numbers (.data), so no comparison is remembered."""

    def make(size: int) -> Run:
        w = al.Value(1.5)
        state = {"loss": 0.0, "grad": 0.0}

        def absolute(r: al.Value) -> al.Value:
            return max(r, -r) if guarded else (r if r.data > -r.data else -r)

        def run() -> None:
            w.grad = 0.0
            loss = al.sum_([absolute(w * x - y) for x, y in ABS_POINTS[:size]]) / size
            loss.backward()
            state["loss"], state["grad"] = loss.data, w.grad
            w.data -= LR * w.grad

        return Run(run, lambda: (state["loss"], [state["grad"]]))

    return make


# ---------------------------------------------------------------------------
# 4. MLP 2-16-16-1 (ReLU) on 100 two-moons points, hinge loss, one SGD step
# ---------------------------------------------------------------------------


def moons(n: int = 100, seed: int = 1) -> tuple[list[tuple[float, float]], list[int]]:
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        t = math.pi * rng.random()
        upper = i % 2 == 0
        x, y = (math.cos(t), math.sin(t)) if upper else (1.0 - math.cos(t), 0.5 - math.sin(t))
        points.append((x + rng.gauss(0, 0.1), y + rng.gauss(0, 0.1)))
        labels.append(1 if upper else -1)
    return points, labels


MLP_LR = 0.05


def initial_mlp() -> MLP:
    return MLP(2, [16, 16, 1], activation="relu", seed=0)


def mlp_hand(size: int) -> Run:
    points, labels = moons(size)
    net = initial_mlp()
    # Plain lists of floats: W[layer][neuron][input], B[layer][neuron].
    W = [[[w.data for w in n.w] for n in layer.neurons] for layer in net.layers]
    B = [[n.b.data for n in layer.neurons] for layer in net.layers]
    state: dict[str, object] = {"loss": 0.0, "grads": []}

    def run() -> None:
        gW = [[[0.0] * len(row) for row in layer] for layer in W]
        gB = [[0.0] * len(layer) for layer in B]
        total = 0.0
        n = len(points)
        for (px, py), label in zip(points, labels):
            # forward, keeping every layer's inputs
            inputs = [[px, py]]
            h = inputs[0]
            for li, (Wl, Bl) in enumerate(zip(W, B)):
                z = [sum(w * x for w, x in zip(row, h)) + b for row, b in zip(Wl, Bl)]
                h = [v if v > 0.0 else 0.0 for v in z] if li < len(W) - 1 else z
                inputs.append(h)
            score = h[0]
            margin = 1.0 - label * score
            if margin <= 0.0:
                continue
            total += margin
            # backward: d loss / d score = −label / n while the margin is positive
            delta = [-label / n]
            for li in range(len(W) - 1, -1, -1):
                x_in = inputs[li]
                Wl = W[li]
                for j, d in enumerate(delta):
                    row, grow = Wl[j], gW[li][j]
                    for k, xk in enumerate(x_in):
                        grow[k] += d * xk
                    gB[li][j] += d
                if li:
                    back = [sum(delta[j] * Wl[j][k] for j in range(len(delta))) for k in range(len(x_in))]
                    delta = [b if x > 0.0 else 0.0 for b, x in zip(back, x_in)]  # relu'
        state["loss"] = total / n
        state["grads"] = [g for layer_w, layer_b in zip(gW, gB) for row, b in zip(layer_w, layer_b) for g in (*row, b)]
        for layer_w, layer_b, glw, glb in zip(W, B, gW, gB):
            for j, (row, grow) in enumerate(zip(layer_w, glw)):
                for k in range(len(row)):
                    row[k] -= MLP_LR * grow[k]
                layer_b[j] -= MLP_LR * glb[j]

    return Run(run, lambda: (state["loss"], state["grads"]))  # type: ignore[arg-type,return-value]


def mlp_training_set_up(size: int) -> tuple[Callable[[], al.Value], list[al.Value], al.SGD]:
    """The loss as a function of the network (building its graph), the parameters, and the optimizer."""
    points, labels = moons(size)
    net = initial_mlp()
    params = net.parameters()

    def loss() -> al.Value:
        return hinge([net(list(p)) for p in points], labels)

    return loss, params, al.SGD(params, lr=MLP_LR)


def mlp_autograd_lite(size: int) -> Run:
    make_loss, params, opt = mlp_training_set_up(size)
    state: dict[str, object] = {"loss": 0.0, "grads": []}

    def run() -> None:
        opt.zero_grad()
        loss = make_loss()
        loss.backward()
        state["loss"], state["grads"] = loss.data, [p.grad for p in params]
        opt.step()

    return Run(run, lambda: (state["loss"], state["grads"]))  # type: ignore[arg-type,return-value]


def mlp_autograd_lite_replay(size: int) -> Run:
    make_loss, params, opt = mlp_training_set_up(size)
    graph = make_loss()  # the graph is built once, here
    tape, seconds = timed(lambda: al.compile(graph))  # and compiled once (the set-up reported)
    state: dict[str, object] = {"loss": 0.0, "grads": []}

    def run() -> None:
        opt.zero_grad()
        loss = tape.forward()
        tape.backward()
        state["loss"], state["grads"] = loss, [p.grad for p in params]
        opt.step()

    return Run(run, lambda: (state["loss"], state["grads"]), seconds)  # type: ignore[arg-type,return-value]


def mlp_peer(value_and_grad: Callable[[Callable[[Any], Any]], Callable[[Any], Any]], np: Any) -> Make:
    """The MLP step with arrays: the same network, data, loss and SGD step, for HIPS autograd or JAX."""

    def make(size: int) -> Run:
        points, labels = moons(size)
        net = initial_mlp()
        # One matrix and one bias vector per layer, the parameters in autograd_lite's order.
        params = [
            (np.array([[w.data for w in n.w] for n in layer.neurons]), np.array([n.b.data for n in layer.neurons]))
            for layer in net.layers
        ]
        xs, ys = np.array(points), np.array([float(y) for y in labels])

        def loss(params: Any) -> Any:
            h = xs
            for i, (w, b) in enumerate(params):
                h = h @ w.T + b
                if i < len(params) - 1:
                    h = np.maximum(h, 0.0)
            return np.mean(np.maximum(1.0 - ys * h[:, 0], 0.0))

        step = value_and_grad(loss)
        state: dict[str, object] = {"params": params, "loss": 0.0, "grads": []}
        _, seconds = timed(lambda: step(params))  # the first call: where jax.jit compiles

        def run() -> None:
            value, grads = step(state["params"])
            state["loss"] = float(value)
            state["grads"] = grads
            state["params"] = [(w - MLP_LR * gw, b - MLP_LR * gb) for (w, b), (gw, gb) in zip(state["params"], grads)]

        def result() -> tuple[float, list[float]]:
            flat = [float(g) for gw, gb in state["grads"] for row, gbi in zip(gw, gb) for g in (*row, gbi)]
            return state["loss"], flat  # type: ignore[return-value]

        return Run(run, result, seconds)

    return make


def peers(workload: str) -> tuple[dict[str, Make], dict[str, str]]:
    """HIPS autograd and JAX rows for a workload ("line fit" or "MLP step"), or why each is skipped."""
    make = line_fit_peer if workload == "line fit" else mlp_peer
    rows: dict[str, Make] = {}
    skipped: dict[str, str] = {}
    if hips is not None:
        rows["HIPS autograd"] = make(hips.value_and_grad, hnp)
    else:
        skipped["HIPS autograd"] = "autograd is not installed (pip install '.[bench]')"
    if jax is not None:
        rows["jax.grad"] = make(jax.value_and_grad, jnp)
        rows["jax.jit(jax.grad)"] = make(lambda f: jax.jit(jax.value_and_grad(f)), jnp)
    else:
        skipped["jax"] = "jax is not installed (pip install '.[bench]')"
    return rows, skipped


def mlp_micrograd(size: int) -> Run:
    points, labels = moons(size)
    net = mg_nn.MLP(2, [16, 16, 1])
    for mine, theirs in zip(initial_mlp().parameters(), net.parameters()):
        theirs.data = mine.data  # the same starting weights, in the same order
    params = net.parameters()
    state: dict[str, object] = {"loss": 0.0, "grads": []}

    def run() -> None:
        net.zero_grad()
        scores = [net([mg_engine.Value(x), mg_engine.Value(y)]) for x, y in points]
        loss = sum((1 + -label * s).relu() for label, s in zip(labels, scores)) * (1.0 / len(points))
        loss.backward()
        state["loss"], state["grads"] = loss.data, [p.grad for p in params]
        for p in params:
            p.data -= MLP_LR * p.grad

    return Run(run, lambda: (state["loss"], state["grads"]))  # type: ignore[arg-type,return-value]


# ---------------------------------------------------------------------------
# Graphs alone, for `run.py --profile`: a function that records the workload's graph once
# ---------------------------------------------------------------------------


def graph_builders() -> dict[str, Callable[[int], Callable[[], al.Value]]]:
    """For each workload, make(size) -> build(), where build() records the graph of one step and returns its output."""

    def line_fit(size: int) -> Callable[[], al.Value]:
        w = al.Value(0.5)
        return lambda: sum((w * x - y) ** 2 for x, y in POINTS) / len(POINTS)

    def chain(size: int) -> Callable[[], al.Value]:
        def build() -> al.Value:
            x = al.Value(0.5)
            for _ in range(size):
                x = 0.9999 * x + 1e-4 * x.tanh()
            return x

        return build

    def mlp(size: int) -> Callable[[], al.Value]:
        return mlp_training_set_up(size)[0]

    return {"line fit": line_fit, "chain": chain, "MLP step": mlp}


# ---------------------------------------------------------------------------
# The list the runner reads
# ---------------------------------------------------------------------------

NO_MICROGRAD = "micrograd is not installed (pip install '.[bench]')"


def workloads() -> list[Workload]:
    have_mg = mg_engine is not None
    return [
        Workload(
            "line fit",
            "y = w·x on 3 points: build the loss, backward(), one gradient step",
            1,
            1,
            {"hand-written": line_fit_hand, "autograd_lite": line_fit_graph(al.Value),
             "autograd_lite compiled": line_fit_replay,
             **({"micrograd": line_fit_graph(mg_engine.Value)} if have_mg else {}), **peers("line fit")[0]},
            {**({} if have_mg else {"micrograd": NO_MICROGRAD}), **peers("line fit")[1]},
        ),
        Workload(
            "chain",
            "x ← 0.9999·x + 1e-4·tanh(x), N steps, forward + backward",
            1_000_000,
            2_000,
            {"hand-written": chain_hand, "autograd_lite": chain_autograd_lite,
             "autograd_lite, gc off": chain_autograd_lite_collector_off, "autograd_lite compiled": chain_replay},
            {"micrograd": "micrograd 0.1.0 has no tanh, and its recursive backward() stops near depth 1,000"},
        ),
        Workload(
            "abs fit",
            "Σ|w·x − y| over N points with |r| = max(r, −r): comparisons in eager code, one gradient step",
            100,
            10,
            {"hand-written": abs_fit_hand, "autograd_lite": abs_fit_autograd_lite(guarded=True),
             "autograd_lite, .data": abs_fit_autograd_lite(guarded=False)},
            {"micrograd": "micrograd 0.1.0's Value has no comparisons"},
        ),
        Workload(
            "MLP step",
            "MLP 2-16-16-1 (ReLU), N two-moons points, hinge loss, one SGD step",
            100,
            10,
            {"hand-written": mlp_hand, "autograd_lite": mlp_autograd_lite,
             "autograd_lite compiled": mlp_autograd_lite_replay, **({"micrograd": mlp_micrograd} if have_mg else {}),
             **peers("MLP step")[0]},
            {**({} if have_mg else {"micrograd": NO_MICROGRAD}), **peers("MLP step")[1]},
        ),
    ]

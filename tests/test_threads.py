"""Backward passes in several threads at once give exactly the serial gradients."""

import threading

import pytest

from autograd_lite import Value


def _trunk(w, n):
    """A long chain of nodes from w, shared by every head built on it."""
    h = w
    for i in range(n):
        h = (h * 0.9999 + 0.0001 * (i % 3)).tanh() if i % 50 == 0 else h * 0.9999 + 0.0001
    return h


def _run_in_threads(functions):
    errors = []

    def run(f):
        try:
            f()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_four_heads_on_one_shared_trunk_give_the_serial_sum():
    """Four threads each call backward() on their own head of one 20,000-node trunk: w.grad is the serial sum."""
    w = Value(0.5)
    trunk = _trunk(w, 20_000)
    heads = [trunk * float(k + 1) + trunk.sin() * 0.1 * k for k in range(4)]
    for head in heads:
        head.backward()
    serial = w.grad
    w.grad = 0.0
    _run_in_threads([head.backward for head in heads])
    assert w.grad == serial


def test_threads_sharing_leaves_but_not_nodes_accumulate_exactly():
    """Many short graphs over the same two leaves, differentiated in eight threads: every update is counted."""
    a, b = Value(1.5), Value(-0.5)
    graphs = [(a * b + a * float(k)).exp() * 1e-3 for k in range(8)]
    for g in graphs:
        g.backward()
    expected = (a.grad, b.grad)
    a.grad = b.grad = 0.0
    _run_in_threads([lambda g=g: [g.backward() for _ in range(20)] for g in graphs])
    # The passes run whole, one at a time, in whatever order the threads come: the sum is the same up to rounding.
    assert a.grad == pytest.approx(20 * expected[0], rel=1e-12) and b.grad == pytest.approx(20 * expected[1], rel=1e-12)

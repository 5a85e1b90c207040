"""Reverse mode: the chain rule over whole graphs, and the classic bugs, by name."""

import gc
import math

import pytest
from helpers import chain, chain_derivative, live_values
from hypothesis import given

from autograd_lite import Value, gradcheck, topological_order
from autograd_lite.testing import expressions, points


def test_a_plus_a_counts_both_paths():
    """b = a + a gives da = 2, not 1 (the fan-out bug of early tinygrad)."""
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0


def test_squared_shared_node():
    """c = b·b with b = a + a: dc/da = 2b·2 = 8a."""
    a = Value(1.5)
    b = a + a
    c = b * b
    c.backward()
    assert a.grad == 8 * 1.5 and b.grad == 2 * 3.0


def test_diamond_sums_both_branches():
    """a feeds two branches that meet again: the gradient is the sum over both paths."""
    a = Value(0.5)
    left, right = a.sin(), a.exp()
    out = left * right
    out.backward()
    assert a.grad == pytest.approx(math.cos(0.5) * math.exp(0.5) + math.sin(0.5) * math.exp(0.5))


def test_backward_twice_accumulates_exactly():
    """Calling backward() twice doubles leaf gradients: 12 then 24 for x·x·2 at 3 (micrograd gives 36)."""
    x = Value(3.0)
    y = x * x * 2
    y.backward()
    assert x.grad == 12.0
    y.backward()
    assert x.grad == 24.0


def test_interior_gradients_are_per_pass():
    """Interior nodes hold the latest pass's gradient; only leaves accumulate."""
    x = Value(2.0)
    h = x * 3
    y = h * h
    y.backward()
    y.backward()
    assert h.grad == 2 * 6.0
    assert x.grad == 2 * 36.0


def test_seed_gradient_scales_everything():
    """backward(g) gives g times the gradients of backward()."""
    x = Value(2.0)
    y = x**3
    y.backward(0.5)
    assert x.grad == 0.5 * 12.0


def test_backward_on_a_leaf():
    """A leaf's derivative with respect to itself is 1."""
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0


def test_constants_get_no_say_and_unused_inputs_get_zero():
    """An input the output does not depend on keeps gradient 0."""
    x, unused = Value(1.0), Value(5.0)
    (x * 2).backward()
    assert unused.grad == 0.0


def test_order_is_parents_first_and_deterministic():
    """topological_order lists every node once, parents before children, the same way every time."""
    a, b = Value(1.0), Value(2.0)
    c = a * b + a
    order = topological_order(c)
    assert order[-1] is c and len(order) == len({id(v) for v in order}) == 4
    position = {id(v): i for i, v in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]
    assert [v.data for v in topological_order(c)] == [v.data for v in order]


def test_deep_chain_of_100_000_steps():
    """A 100,000-step chain (400,000 nodes) backpropagates without a recursion limit."""
    x = Value(0.5)
    y = chain(x, 100_000)
    y.backward()
    assert x.grad == pytest.approx(chain_derivative(0.5, 100_000), rel=1e-9)


@pytest.mark.slow
def test_chain_of_a_million_steps():
    """A 1,000,000-step chain backpropagates and is freed."""
    x = Value(0.5)
    y = chain(x, 1_000_000)
    y.backward()
    assert x.grad == pytest.approx(chain_derivative(0.5, 1_000_000), rel=1e-9)
    del y


def test_graph_is_freed_by_reference_counting_alone():
    """With the cycle collector off, dropping the output frees every node (there are no cycles)."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = live_values()
        x = Value(0.3)
        y = chain(x, 2_000)
        y = y * y.sin() + y.exp()
        y.backward()
        assert live_values() > before + 8_000
        del x, y
        assert live_values() == before
    finally:
        if was_enabled:
            gc.enable()


def test_backward_leaves_the_collector_setting_as_it_was():
    """backward() may pause the cycle collector but restores the caller's setting exactly."""
    x = Value(1.0)
    gc.disable()
    try:
        (x * x).backward()
        assert not gc.isenabled()
    finally:
        gc.enable()
    (x * x).backward()
    assert gc.isenabled()


@given(expressions(), points(3))
def test_random_compositions_match_central_differences(expr, xs):
    """Random expressions with shared subexpressions: exact gradients agree with central differences."""
    assert gradcheck(expr, *xs, rtol=1e-4, atol=1e-6)

"""Optimizer state: zero_grad(set_to_none=...), parameter groups, state_dict and load_state_dict, checkpoints."""

import pytest

from autograd_lite import Value
from autograd_lite.nn import MLP
from autograd_lite.optim import SGD, Adam

# -- zero_grad(set_to_none=True) -------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1, momentum=0.9), lambda p: Adam(p, lr=0.1)])
def test_zero_grad_set_to_none_zeroes_and_training_continues(make):
    """opt.zero_grad(set_to_none=True) leaves .grad == 0.0 (not None), and the next backward and step work."""
    w = Value(0.0)
    opt = make([w])
    for _ in range(50):
        opt.zero_grad(set_to_none=True)
        assert w.grad == 0.0 and w.grad is not None
        ((w - 3.0) ** 2).backward()
        assert w.grad == pytest.approx(2 * (w.data - 3.0))
        opt.step()
    assert abs(w.data - 3.0) < abs(0.0 - 3.0) / 2


def test_module_zero_grad_takes_set_to_none_too():
    """Module.zero_grad(set_to_none=True) sets every gradient to 0.0, as zero_grad() does."""
    net = MLP(2, [3, 1], seed=0)
    net([1.0, -1.0]).backward()
    assert any(p.grad != 0.0 for p in net.parameters())
    net.zero_grad(set_to_none=True)
    assert all(p.grad == 0.0 and p.grad is not None for p in net.parameters())


def test_a_gradient_set_to_none_reads_as_zero_in_step():
    """A .grad set to None by hand is read as 0.0 by step(): no NoneType error, and that parameter moves as if 0."""
    a, b = Value(1.0), Value(2.0)
    opt = SGD([a, b], lr=0.5)
    a.grad, b.grad = None, 4.0
    opt.step()
    assert (a.data, b.data) == (1.0, 0.0)
    c = Value(1.0)
    closure_opt = SGD([c], lr=0.25)

    def closure():
        c.grad = None  # PyTorch's habit, in a closure that leaves backward to the optimizer
        return (c - 2.0) ** 2

    assert closure_opt.step(closure) == 1.0
    assert c.data == 1.0 - 0.25 * 2 * (1.0 - 2.0) and c.grad == 2 * (1.0 - 2.0)

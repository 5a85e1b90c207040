"""A backward pass that fails, for any reason, leaves every gradient as it was before the call."""

import math

import pytest

import autograd_lite as al
from autograd_lite import Value


class _Interrupting(float):
    """A local derivative that raises when used: as if ^C (or any error) arrived in the middle of a pass."""

    def __new__(cls, value, error=KeyboardInterrupt):
        made = super().__new__(cls, value)
        made.error = error
        return made

    def __rmul__(self, other):
        raise self.error

    __mul__ = __rmul__


def _graph():
    x, y = Value(1.5), Value(-0.5)
    x.grad, y.grad = 0.25, -4.0  # gradients from earlier passes
    z = x * y + x.exp()
    out = (z * z + y).tanh() * 3.0
    return x, y, z, out


@pytest.mark.parametrize("error", [KeyboardInterrupt, MemoryError, ZeroDivisionError])
def test_an_interrupted_pass_restores_every_gradient(error):
    """Any exception half way through backward(): leaves keep their old .grad, interior nodes are 0."""
    x, y, z, out = _graph()
    z._da = _Interrupting(z._da, error)  # the node made from x, reached late in the pass
    with pytest.raises(error):
        out.backward()
    assert (x.grad, y.grad) == (0.25, -4.0)
    assert z.grad == 0.0 and out.grad == 0.0


def test_a_non_finite_gradient_restores_every_gradient():
    """A gradient that overflows: NonFiniteGradientError, and the leaves keep their old .grad."""
    x = Value(1.0)
    x.grad = 0.25
    y = (x * 1e10).tanh() + x * 1e10  # finite values; a seed of 1e300 times 1e10 overflows on the way
    with pytest.raises(al.NonFiniteGradientError, match="mul"):
        y.backward(1e300)
    assert x.grad == 0.25


def test_after_a_failed_pass_the_next_one_is_right():
    """A pass that failed leaves nothing behind that changes the next one."""
    x, y, z, out = _graph()
    saved = z._da
    z._da = _Interrupting(saved)
    with pytest.raises(KeyboardInterrupt):
        out.backward()
    z._da = saved
    out.backward()
    x2, y2, _, out2 = _graph()
    out2.backward()
    assert (x.grad, y.grad) == (x2.grad, y2.grad) and math.isfinite(x.grad)

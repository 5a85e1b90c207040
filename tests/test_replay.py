"""Graph replay: a compiled tape recomputes what a fresh eager pass would, and refuses a branch it did not record."""

import math

import pytest
from helpers import eager_at, live_values
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.nn import MLP, hinge
from autograd_lite.testing import expressions, points


@given(expressions(), points(3), points(3))
def test_replay_equals_a_fresh_eager_pass(expr, first, second):
    """Record at one point, move the leaves to another, replay: value and gradients equal eager ones exactly."""
    inputs = [Value(x) for x in first]
    tape = al.compile(expr(*inputs))
    for v, x in zip(inputs, second):
        v.data = x
    value = tape.forward()
    tape.backward()
    expected_value, expected_grads = eager_at(expr, second)
    assert value == expected_value
    assert [v.grad for v in inputs] == expected_grads


def test_replay_of_a_network_after_its_weights_change():
    """An MLP's loss replayed after SGD steps equals the eager loss and gradients at the new weights."""
    data = [([0.5, -1.0], 1), ([-0.3, 0.8], -1), ([1.2, 0.1], 1), ([0.0, -0.7], -1)]
    net = MLP(2, [8, 8, 1], activation="tanh", seed=1)
    params = net.parameters()
    tape = al.compile(hinge([net(x) for x, _ in data], [y for _, y in data]))
    opt = al.SGD(params, lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        loss = tape.forward()
        tape.backward()
        replayed = [p.grad for p in params]
        opt.zero_grad()
        fresh = hinge([net(x) for x, _ in data], [y for _, y in data])
        fresh.backward()
        assert loss == fresh.data
        assert replayed == [p.grad for p in params]
        opt.step()


def test_replay_leaves_gradients_accumulating_like_backward():
    """tape.backward() adds into .grad, as backward() does."""
    w = Value(2.0)
    tape = al.compile(w * w)
    tape.forward()
    tape.backward()
    tape.backward()
    assert w.grad == 8.0


def test_tape_forward_updates_the_output_and_refuses_nan_seeds():
    """Tape.forward() writes the output Value's .data; Tape.backward(nan) raises."""
    w = Value(1.0)
    out = w * 3.0
    tape = al.compile(out)
    w.data = 2.0
    tape.forward()
    assert out.data == 6.0
    with pytest.raises(ValueError, match="finite"):
        tape.backward(math.nan)


def test_replay_out_of_domain_raises_the_eager_error_and_blocks_backward():
    """A replay whose inputs leave an op's domain raises the same error; backward waits for a good forward."""
    x = Value(2.0)
    tape = al.compile((x - 1.0).log() * 3.0)
    x.data = 0.5
    with pytest.raises(ValueError, match=r"log: needs x > 0, got x=-0.5"):
        tape.forward()
    with pytest.raises(RuntimeError, match="forward"):
        tape.backward()
    x.data = 3.0
    assert tape.forward() == pytest.approx(3.0 * 0.6931471805599453)
    tape.backward()
    assert x.grad == pytest.approx(3.0 / 2.0)


def test_a_changed_branch_is_an_error_not_a_stale_answer():
    """A comparison recorded with the graph is checked on replay: the other branch raises BranchChangedError."""
    x = Value(2.0)
    out = x * 3.0 if x > 0 else -x
    tape = al.compile(out)
    x.data = 1.0
    assert tape.forward() == 3.0 and out.data == 3.0
    x.data = -1.0
    with pytest.raises(al.BranchChangedError, match=r"the comparison -1.0 > 0 is now False"):
        tape.forward()
    with pytest.raises(RuntimeError, match="forward"):
        tape.backward()


def test_replay_guards_max_of_values():
    """compile(max(a, b)·2), then data that changes the winner: BranchChangedError, not the old winner's value."""
    a, b = Value(1.0), Value(2.0)
    tape = al.compile(max(a * 1.0, b * 1.0) * 2.0)
    assert tape.program is not None  # the guards hold in compiled code, the default
    b.data = 1.5
    assert tape.forward() == 3.0
    b.data = 0.5
    with pytest.raises(al.BranchChangedError, match=r"0.5 > 1.0 is now False"):
        tape.forward()


def test_replay_guards_truth_tests_and_comparisons_of_values_the_output_uses():
    """`if v:` and a comparison of a Value that the output is computed from are guarded too."""
    w = Value(1.0)
    z = w * 5.0
    out = z * 2.0 if z > 0 else z * 3.0
    tape = al.compile(out)
    w.data = 2.0
    assert tape.forward() == 20.0
    w.data = -1.0
    with pytest.raises(al.BranchChangedError, match=r"-5.0 > 0 is now False"):
        tape.forward()
    u = Value(3.0)
    d = u - 3.0
    tape = al.compile(d * 2.0 if d else d * 4.0)
    u.data = 3.5
    with pytest.raises(al.BranchChangedError, match="!="):
        tape.forward()


def test_comparisons_inside_no_grad_are_not_guards():
    """Code that does not record keeps no comparisons."""
    w = Value(1.0)
    with al.no_grad():
        assert w > 0
    assert al.guards.guards_of(w) == []


def test_leaf_comparisons_do_not_pile_up_over_a_training_loop():
    """A parameter compared in every step keeps a bounded list of comparisons (old graphs are not kept alive)."""
    w = Value(1.0)
    for _ in range(500):
        u = Value(2.0) * 1.0
        max(w, u)
        assert w > 0
    assert len(al.guards.guards_of(w)) < 10


@given(st.floats(-3, 3), st.floats(-3, 3))
def test_replay_creates_no_values(a, b):
    """Replaying builds no new graph: the tape's output value changes, the recorded nodes are reused."""
    x, y = Value(a), Value(b)
    tape = al.compile((x * y).tanh() + x.sin())
    before = live_values()
    tape.forward()
    tape.backward()
    assert live_values() == before


def test_compile_needs_a_value():
    """compile() of anything else is a TypeError naming what it got."""
    with pytest.raises(TypeError, match="got float"):
        al.compile(1.0)


@pytest.mark.parametrize(
    ("build", "good", "bad", "error", "words"),
    [
        (lambda x: (x - 1.0).log(), 2.0, 1.0, ValueError, r"log: needs x > 0, got x=0.0"),
        (lambda x: x * 1e307 - x, 1.0, 20.0, OverflowError, r"mul: the result is too large for a float"),
    ],
)
def test_replay_fails_with_the_eager_message(build, good, bad, error, words):
    """Domain and overflow errors in a replay carry the same message as in the eager engine."""
    x = Value(good)
    tape = al.compile(build(x))
    with pytest.raises(error, match=words):
        build(Value(bad))
    x.data = bad
    with pytest.raises(error, match=words):
        tape.forward()


@pytest.mark.parametrize("limit", [5000, 0], ids=["one function", "chunks"])
def test_a_pass_whose_finite_numbers_sum_past_a_float_replays_right(limit):
    """p·1e308 + q·1e308 at p = q = 0.5: every number is finite though their sum is not; forward and backward work."""
    p, q = Value(0.5), Value(0.5)
    tape = al.Tape(p * 1e308 + q * 1e308, code_limit=limit)
    assert tape.forward() == 1e308
    tape.backward()
    assert (p.grad, q.grad) == (1e308, 1e308)


def test_backward_after_a_leaf_changes_without_forward_raises_naming_the_leaf():
    """Tape.backward never returns the gradient at an older point: a leaf changed since forward() is named."""
    w, b = al.Value(2.0), al.Value(1.0)
    tape = al.compile(w * w + b)
    w.data = 3.0  # d/dw w² is now 6, but the tape last ran at w = 2
    with pytest.raises(RuntimeError, match=r"Tape.backward: the leaf Value\(data=3.0.*was 2.0 at the last forward"):
        tape.backward()
    assert w.grad == 0.0 and b.grad == 0.0  # nothing was added
    tape.forward()
    tape.backward()
    assert w.grad == 6.0 and b.grad == 1.0
    b.data = 1.0  # the same number again: nothing changed
    tape.backward()
    assert w.grad == 12.0


def test_a_leaf_that_changes_to_the_other_zero_counts_as_changed():
    w, b = al.Value(1.0), al.Value(0.0)
    tape = al.compile(al.copysign(w, b))
    b.data = -0.0
    with pytest.raises(RuntimeError, match=r"was 0\.0 at the last forward"):
        tape.backward()

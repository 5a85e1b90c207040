"""Guards: the comparisons and conversions a recorded graph depends on, checked again on every replay."""

import copy
import gc
import pickle
import weakref

import pytest

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.guards import guards_of


def _branchy(w):
    return w * 3.0 if w > 0 else -w


@pytest.mark.parametrize("copier", [lambda v: pickle.loads(pickle.dumps(v)), copy.deepcopy], ids=["pickle", "deepcopy"])
def test_a_copied_graph_keeps_its_guards(copier):
    """Record a branch at w = 2, copy the output, replay the copy at w = -1: BranchChangedError, not -3.0."""
    w = Value(2.0)
    y = copier(_branchy(w))
    tape = al.compile(y)
    (leaf,) = tape._leaf_values
    leaf.data = -1.0
    with pytest.raises(al.BranchChangedError, match=r"-1.0 > 0 is now False"):
        tape.forward()


def test_a_copied_graph_with_a_comparison_of_two_values_keeps_it():
    """max(a·1, b·1)·2 copied by pickle: the copy's replay still notices the winner changing."""
    a, b = Value(1.0), Value(2.0)
    y = pickle.loads(pickle.dumps(max(a * 1.0, b * 1.0) * 2.0))
    tape = al.compile(y)
    leaves = {leaf.data: leaf for leaf in tape._leaf_values}
    leaves[2.0].data = 0.5
    with pytest.raises(al.BranchChangedError, match=r"0.5 > 1.0 is now False"):
        tape.forward()


def test_detach_is_recomputed_on_replay():
    """A straight-through estimator w + (round_(w) − w).detach() replays as eager code computes it."""
    w = Value(3.2)
    tape = al.compile(w + (al.round_(w) - w).detach())
    w.data = 9.4
    assert tape.forward() == 9.0
    tape.backward()
    assert w.grad == 1.0  # the detached part carries no gradient


@pytest.mark.parametrize("make", [lambda w: w * round(w), lambda w: w * round(w, 1)], ids=["round", "round-1"])
def test_a_rounded_number_the_program_goes_on_using_is_a_guard(make):
    """w * round(w) replays while round(w) is unchanged and raises once it changes, never a stale 10.24."""
    w = Value(3.2)
    tape = al.compile(make(w))
    w.data = 3.21  # round(w) and round(w, 1) come out as recorded
    assert tape.forward() == make(Value(3.21)).data
    w.data = 10.24
    with pytest.raises(al.BranchChangedError, match="conversion round"):
        tape.forward()


def test_int_of_a_value_still_refuses():
    """int(v) would drop the graph and is refused: there is nothing to replay wrongly."""
    with pytest.raises(TypeError, match="would lose its derivative"):
        Value(2.5) * int(Value(2.5))


def test_comparisons_made_at_an_earlier_number_never_guard_a_later_graph():
    """w > 0.5 at w = 1, then w.data = 0.2 and a new graph: its replay at 0.1 is not blocked by the old test."""
    w = Value(1.0)
    assert w > 0.5
    w.data = 0.2
    tape = al.compile(w * 3.0)
    w.data = 0.1
    assert tape.forward() == pytest.approx(0.3)


def test_an_optimizer_step_starts_a_leaf_afresh():
    """A parameter's comparisons belong to the number it had: after opt.step() they guard nothing."""
    w = Value(1.0)
    opt = al.SGD([w], lr=0.5)
    loss = (w - 3.0) ** 2 if w < 2.0 else w * 0.0
    loss.backward()
    opt.step()  # w = 3.0 now
    assert guards_of(w) == []
    tape = al.compile(w * 2.0)
    w.data = 10.0
    assert tape.forward() == 20.0


def test_many_comparisons_with_numbers_keep_two_bounds():
    """Comparing a leaf with 10,000 different numbers leaves it two guards, and compile(w * 2) carries two."""
    w = Value(0.5)
    for c in range(10_000):
        w > c / 10_000  # noqa: B015  (the comparison is the point)
    assert sorted(g.describe(g.numbers()) for g in guards_of(w)) == ["0.5 > 0.4999", "0.5 > 0.5 is False"]
    tape = al.compile(w * 2.0)
    assert len(tape.guards) == 2
    w.data = 0.49995  # every comparison comes out as it did
    assert tape.forward() == 0.9999
    for outside in (0.6, 0.4):  # w > 0.5 is now true, or w > 0.4999 false
        w.data = outside
        with pytest.raises(al.BranchChangedError):
            tape.forward()


def test_the_tightest_bound_is_the_one_kept():
    """Of w > 1 and w > 2 (both true), w > 2 is kept; of w < 5 and w <= 5, the strict one."""
    w = Value(3.0)
    assert w > 1 and w > 2 and w < 5 and w <= 5
    assert sorted(g.describe(g.numbers()) for g in guards_of(w)) == ["3.0 < 5", "3.0 > 2"]


def test_a_leaf_does_not_keep_the_values_it_was_compared_with_alive():
    """A parameter compared with fresh computed Values in a loop keeps none of them alive, without the collector."""
    w = Value(1.0)
    gc.disable()
    try:
        refs = []
        for _ in range(200):
            u = Value(2.0) * 1.0
            max(w, u)
            refs.append(weakref.ref(u))
        del u
        assert sum(r() is not None for r in refs) == 0
        assert len(guards_of(w)) <= 1
    finally:
        gc.enable()


def test_a_computed_value_compared_with_a_number_is_freed_at_once():
    """`if z > 0:` on a computed z makes no reference cycle: z is freed as soon as the last name goes."""
    gc.disable()
    try:
        z = Value(1.0) * 2.0
        assert z > 0
        r = weakref.ref(z)
        del z
        assert r() is None
    finally:
        gc.enable()


def test_guards_of_a_graph_name_what_they_compared():
    """A tape's guards are the comparisons made with its nodes, each with its operands' positions."""
    w = Value(2.0)
    z = w * 1.5
    out = z * 2.0 if z > 1 else z
    tape = al.compile(out)
    (guard, where) = tape.guards[0]
    assert guard.symbol == ">" and guard.outcome is True and where[1] is None

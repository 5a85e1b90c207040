"""Recording on and off: no_grad() and enable_grad() as blocks and decorators, per thread, task and generator."""

import asyncio
import contextlib
import threading

import pytest

import autograd_lite as al
from autograd_lite import Value


def test_no_grad_in_one_thread_does_not_stop_another_from_recording():
    """Thread A inside no_grad() while thread B records: B's gradient is right."""
    inside, done = threading.Event(), threading.Event()

    def a():
        with al.no_grad():
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=a)
    thread.start()
    inside.wait(5)
    x = Value(3.0)
    (x * x).backward()
    done.set()
    thread.join()
    assert x.grad == 6.0


def test_overlapping_blocks_in_two_threads_leave_recording_on():
    """Two threads whose no_grad blocks overlap, the first in leaving first, leave recording on for everyone."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with al.no_grad():
            first_in.set()
            second_in.wait(5)
        first_out.set()
        seen["first"] = al.is_recording()

    def second():
        first_in.wait(5)
        with al.no_grad():
            second_in.set()
            first_out.wait(5)
        seen["second"] = al.is_recording()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"first": True, "second": True} and al.is_recording()


def test_asyncio_tasks_each_have_their_own_recording_state():
    """A task inside no_grad() does not switch recording off for a task running at the same time."""

    async def quiet(entered, release):
        with al.no_grad():
            entered.set()
            await release.wait()
            return al.is_recording()

    async def loud(entered, release):
        await entered.wait()
        recording = al.is_recording()
        x = Value(2.0)
        (x * x).backward()
        release.set()
        return recording, x.grad

    async def main():
        entered, release = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(quiet(entered, release), loud(entered, release))

    quiet_state, (loud_state, grad) = asyncio.run(main())
    assert quiet_state is False and loud_state is True and grad == 4.0
    assert al.is_recording()


def test_one_manager_reused_in_nested_blocks_restores_recording():
    """ng = no_grad(); with ng: with ng: … leaves recording on afterwards (re-entrant and reusable)."""
    ng = al.no_grad()
    with ng:
        with ng:
            assert not al.is_recording()
        assert not al.is_recording()
    assert al.is_recording()
    with ng:
        assert not al.is_recording()
    assert al.is_recording()


def test_a_block_left_open_at_a_yield_holds_for_the_caller_until_the_generator_leaves_it():
    """A with block is in force from entry to exit, as PyTorch's: a generator paused inside one leaves it open."""

    def numbers():
        with al.no_grad():
            yield al.is_recording()
            yield al.is_recording()

    gen = numbers()
    assert next(gen) is False
    assert not al.is_recording()  # the generator's block is still open
    assert next(gen) is False
    gen.close()  # leaving the block restores the caller's setting
    assert al.is_recording()


@pytest.mark.parametrize("opening", ["direct", "helper", "exit_stack"])
def test_a_decorated_generator_records_nothing_while_it_runs_and_leaves_its_caller_recording(opening):
    """@no_grad() on a generator function holds on every resume and is lifted at every yield, however it is opened."""

    @contextlib.contextmanager
    def quietly():
        with al.no_grad():
            yield

    @al.no_grad()
    def steps(w):
        if opening == "direct":
            yield (w * w).is_leaf
        elif opening == "helper":
            with quietly():
                yield (w * w).is_leaf
        else:
            with contextlib.ExitStack() as stack:
                stack.enter_context(al.no_grad())
                yield (w * w).is_leaf
        yield al.is_recording()

    w = Value(1.0)
    gen = steps(w)
    assert next(gen) is True
    loss = w * -1.0  # the caller records while the generator is paused
    loss.backward()
    assert w.grad == -1.0 and al.is_recording()
    assert next(gen) is False
    gen.close()
    assert al.is_recording()


def test_a_decorated_generator_passes_sent_values_throws_and_its_return_value():
    """The wrapper of a decorated generator forwards send(), throw() and the return value."""

    @al.no_grad()
    def echo():
        received = yield "ready"
        try:
            yield received
        except KeyError:
            yield "caught"
        return "done"

    gen = echo()
    assert next(gen) == "ready"
    assert gen.send(5) == 5
    assert gen.throw(KeyError("k")) == "caught"
    with pytest.raises(StopIteration) as stop:
        next(gen)
    assert stop.value.value == "done" and al.is_recording()


def test_context_managers_built_from_generators_apply_to_their_with_body():
    """@contextmanager wrapping no_grad()/enable_grad() switches recording for the caller's with body, as intended."""

    @contextlib.contextmanager
    def quietly():
        with al.no_grad():
            yield

    @contextlib.contextmanager
    def recording():
        with al.enable_grad():
            yield

    x = Value(2.0)
    with quietly():
        assert not al.is_recording() and (x * x).is_leaf
    assert al.is_recording()
    with al.no_grad(), recording():
        y = x * x
    y.backward()
    assert x.grad == 4.0 and al.is_recording()


def test_no_grad_as_a_decorator_on_functions_and_generators():
    """@no_grad() and @no_grad decorate a function; a decorated generator records nothing only while it runs."""

    @al.no_grad()
    def square(v):
        return v * v

    @al.no_grad
    def cube(v):
        return v * v * v

    @al.no_grad()
    def states():
        yield al.is_recording()

    x = Value(2.0)
    assert square(x).is_leaf and cube(x).is_leaf and square.__name__ == "square"
    gen = states()
    assert next(gen) is False and al.is_recording()
    assert not (x * x).is_leaf


def test_enable_grad_inside_no_grad_and_back():
    """enable_grad() inside no_grad() records; leaving both restores each state in turn."""
    with al.no_grad():
        with al.enable_grad():
            assert al.is_recording() and not (Value(1.0) * 2).is_leaf
        assert not al.is_recording()
    assert al.is_recording()

"""Recording on and off: `no_grad()`, `enable_grad()` and `is_recording()`.

Whether operations record the graph is one context variable, so each thread
and each asyncio task has its own: one thread inside ``no_grad()`` never
changes what another records. The engine reads it once per operation.

The open blocks of a context are kept as a stack of (manager, on) switches,
innermost last; the state is the innermost switch's, or on when none is open.
Leaving a block removes its own switch, so managers nest, can be reused, and
may even be left out of order.

A ``with`` block is in force from entering it until leaving it, whatever runs
in between, as in PyTorch. So a generator that yields inside a block leaves
that block open for its caller until it resumes and leaves it. To scope a
setting to a generator's own steps, decorate the generator function:
``@no_grad()`` switches recording off each time the generator resumes and
back each time it yields, and every block the generator opens itself (by a
``with``, a helper context manager or an ExitStack) holds only while it runs.

>>> is_recording()
True
>>> with no_grad():
...     is_recording()
False
"""

from __future__ import annotations

import functools
from contextvars import ContextVar

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Generator
    from typing import Any

__all__ = ["enable_grad", "is_recording", "no_grad"]

_Switch = tuple[object, bool]  # (the manager that opened a block, whether it records)
_switches: ContextVar[tuple[_Switch, ...]] = ContextVar("autograd_lite_switches", default=())
_recording: ContextVar[bool] = ContextVar("autograd_lite_recording", default=True)

#: The engine's question, asked once per operation: a C call, no Python frame.
recording = _recording.get


def is_recording() -> bool:
    """False inside ``no_grad()``, True otherwise (and inside ``enable_grad()``), for this thread or task."""
    return _recording.get()


def _set(switches: tuple[_Switch, ...]) -> None:
    """Make `switches` this context's open blocks, and the innermost one's setting the state."""
    _switches.set(switches)
    _recording.set(switches[-1][1] if switches else True)


class _Recording:
    """Set whether operations record the graph inside a ``with`` block (or a decorated function)."""

    __slots__ = ()
    _on = True

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        # `@no_grad` without parentheses decorates at once, as `@no_grad()` does.
        manager = super().__new__(cls)
        return manager if func is None else manager(func)

    def __enter__(self) -> None:
        _set((*_switches.get(), (self, self._on)))

    def __exit__(self, *exc_info: object) -> None:
        switches = _switches.get()
        for i in reversed(range(len(switches))):
            if switches[i][0] is self:  # this manager's innermost switch
                _set(switches[:i] + switches[i + 1 :])
                return

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Use as a decorator: the whole call runs inside the block (a generator: each time it runs)."""
        import inspect  # only when decorating: it is slow to import

        if inspect.isasyncgenfunction(func):
            raise TypeError(f"{type(self).__name__}: cannot decorate an async generator; use a with block inside it")
        if inspect.isgeneratorfunction(func):
            return functools.wraps(func)(functools.partial(_each_step, self, func))
        if inspect.iscoroutinefunction(func):

            async def coroutine(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return functools.wraps(func)(coroutine)

        def function(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        wrapped: Callable[..., Any] = functools.wraps(func)(function)
        return wrapped


def _each_step(manager: _Recording, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
    """Run the generator `func(*args)` under `manager`'s setting while it runs, and the caller's while it is paused.

    The generator keeps switches of its own: `manager`'s, and those of any
    block it opens (directly, through a helper context manager, an ExitStack).
    Each resumption (``next``, ``send``, ``throw``, ``close``) puts them on top
    of the caller's; each ``yield`` takes them off again, so nothing opened
    inside the generator ever holds for its caller.
    """
    inner = func(*args, **kwargs)
    own: tuple[_Switch, ...] = ((manager, manager._on),)

    def resume(step: Callable[..., Any], *arg: Any) -> Any:
        nonlocal own
        caller = _switches.get()
        _set((*caller, *own))
        try:
            return step(*arg)
        finally:
            now = _switches.get()
            own = now[len(caller) :] if now[: len(caller)] == caller else tuple(s for s in now if s not in caller)
            _set(caller)

    try:
        value = resume(next, inner)
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                resume(inner.close)
                raise
            except BaseException as error:  # thrown in by the caller: passed on to the generator
                value = resume(inner.throw, error)
            else:
                value = resume(inner.send, sent)
    except StopIteration as stop:
        return stop.value


class no_grad(_Recording):
    """Inside ``with no_grad():`` operations compute values but record no graph.

    Results are leaves, so nothing inside is differentiated and no memory is
    spent on nodes. Recording resumes on leaving the block, even after an
    error. Blocks nest, one manager can be reused, and the setting belongs to
    the thread (or asyncio task) that opened the block, as PyTorch's grad mode
    does. ``@no_grad()`` (or ``@no_grad``) decorates a function, a coroutine,
    or a generator (then it holds each time the generator runs, not while it
    is paused).

    >>> from autograd_lite import Value
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.is_leaf
    True
    >>> @no_grad()
    ... def square(v):
    ...     return v * v
    >>> square(x).is_leaf, (x * x).is_leaf
    (True, False)
    """

    __slots__ = ()
    _on = False


class enable_grad(_Recording):
    """Inside ``with enable_grad():`` operations record the graph, even within ``no_grad()``.

    The derivative functions (`grad` and friends) use it, so that they work
    wherever they are called.
    """

    __slots__ = ()
    _on = True

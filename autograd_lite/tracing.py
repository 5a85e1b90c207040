"""`jit(fn)`: a function traced once into a straight-line program, traced again when its branch changes.

``al.jit(fn)`` returns a callable with `fn`'s signature and results. Its first
call runs `fn` on Values (a *trace*): the graph `fn` records, gradients too
when `fn` is ``al.grad(f)`` or ``al.value_and_grad(f)`` (they record their
gradients as nodes when given Values), is written out as one Python function
with a line per node (`autograd_lite.codegen.write_function`), which later
calls run on plain floats: no Value is made, no table is read.

A program holds for the input structure it was traced with (how many
arguments, which containers, which static arguments) and for the branches the
trace took: every comparison of Values the trace made is checked in the
program, where its operands are computed. Another structure, or a comparison
that comes out otherwise, makes a new trace instead of an error (JAX refuses
Python control flow on traced numbers; here every such decision is recorded,
so it can simply trace again). The programs are kept in a small cache, the
least recently used dropped first; `Jitted.note` says how many there are and
why the latest trace was made.

Every check of the eager engine stays, because the eager engine does the
checking: a program meets an inf, a nan or a domain error only as a signal to
run `fn` eagerly on the same numbers, which raises the eager error, naming
the operation, or gives the result when the program's one-line check was too
cautious. The numbers are the eager engine's, bit for bit (the program applies
the same rows to the same floats, in the same order).

What a trace cannot see is a number taken out of the graph on purpose
(``v.item()``, ``v.data``) and then used: that part is frozen, as in
`compile`. A Value the function reads that is not among its arguments (a
model's parameter, from a closure) is read afresh at every call.

>>> import autograd_lite as al
>>> step = al.jit(al.value_and_grad(lambda w, b: (w * 3.0 + b - 7.0) ** 2, argnums=(0, 1)))
>>> step(2.0, 0.0)
(1.0, (-6.0, -2.0))
>>> step(1.0, 1.0)                   # the same program: one trace so far
(9.0, (-18.0, -6.0))
>>> relu_ish = al.jit(lambda x: x * x if x > 0 else -x)
>>> relu_ish(3.0), relu_ish(-2.0)     # the second call takes the other branch: traced again
(9.0, 2.0)
>>> relu_ish.note
'2 programs; traced again because x0 > 0 came out False (True when traced)'
"""

from __future__ import annotations

import functools
import math

from .checks import real
from .codegen import namespace_of, write_function
from .engine import Value
from .grad_mode import enable_grad
from .guards import Collecting
from .native import NotNative, compiled, native_source
from .primitives import IDENTITY
from .replay import _guarded_graph
from .tree import Structure, _build_array, tree_flatten, tree_unflatten

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["Jitted", "jit"]

#: How many programs a jitted function keeps, at most, unless told otherwise.
MAX_TRACES = 8


def _signature(structure: Structure) -> Any:
    """A hashable summary of a container's shape: what a program's inputs must match."""
    if structure.kind in ("leaf", "array"):
        return structure.kind, structure.keys
    return structure.kind, structure.keys, tuple(_signature(c) for c in structure.children)


class Trace:
    """One program of a jitted function: its source, what its names stand for, and the Values it reads live.

    With the numba backend, `native` is the program numba compiles (floats in, a tuple of floats out) and
    `source` the Python around it that builds the result's containers.
    """

    __slots__ = ("guards", "key", "lines", "live", "native", "program", "source", "spec")

    def __init__(
        self,
        key: Any,
        source: str,
        spec: dict[str, tuple[Any, ...]],
        live: list[Value],
        guards: list[str],
        native: tuple[str, dict[str, tuple[Any, ...]], int] | None = None,
    ) -> None:
        self.key, self.source, self.spec, self.live, self.guards, self.native = key, source, spec, live, guards, native
        self.lines = source.count("\n")
        namespace = namespace_of(spec)
        if native is not None:
            namespace["native"] = compiled(*native)  # NotNative where numba cannot take it
        exec(compile(source, "<autograd_lite jit program>", "exec"), namespace)  # written by write_function
        self.program: Callable[..., Any] = namespace["program"]

    def run(self, numbers: Sequence[float]) -> Any:
        """The program at `numbers` (then the live Values' numbers): ``(result,)``, a guard's index, or None."""
        if self.live:
            return self.program(*numbers, *[v._data for v in self.live])
        return self.program(*numbers)

    def __reduce__(self) -> Any:
        return Trace, (self.key, self.source, self.spec, self.live, self.guards, self.native)



class Jitted:
    """A function compiled by `jit`: call it as the function; `note`, `traces` and `sources` tell what it holds."""

    def __init__(
        self,
        fn: Callable[..., Any],
        static_argnums: Sequence[int] = (),
        max_traces: int = MAX_TRACES,
        backend: str = "python",
    ) -> None:
        if backend not in ("python", "numba"):
            raise ValueError(f"jit: backend must be 'python' or 'numba', got {backend!r}")
        if not callable(fn):
            raise TypeError(f"jit: fn must be a function, got {type(fn).__name__} {fn!r}")
        if isinstance(static_argnums, int):
            static_argnums = (static_argnums,)
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in static_argnums):
            raise TypeError(f"jit: static_argnums must be ints, got {static_argnums!r}")
        if not isinstance(max_traces, int) or isinstance(max_traces, bool) or max_traces < 1:
            raise ValueError(f"jit: max_traces must be a positive int, got {max_traces!r}")
        self.fn: Callable[..., Any] | None = fn
        self.static_argnums = tuple(static_argnums)
        self.max_traces = max_traces
        self.backend = backend
        #: With backend="numba": why a program runs on the Python backend instead ("" while all are native).
        self.fallback = ""
        self._traces: dict[Any, list[Trace]] = {}  # by input structure, the most recently used first
        self._used: dict[Trace, None] = {}  # every program, the least recently used first
        self._last: Trace | None = None
        #: Why the latest trace was made.
        self.reason = ""
        functools.update_wrapper(self, fn)

    @property
    def traces(self) -> int:
        """How many programs are held (one per input structure and branch met, at most `max_traces`)."""
        return len(self._used)

    @property
    def sources(self) -> list[str]:
        """The programs' source, the most recently used last."""
        return [t.source for t in self._used]

    @property
    def note(self) -> str:
        """How many programs are held, and why the latest one was traced."""
        n = self.traces
        text = f"{n} program{'s' * (n != 1)}" + (f"; traced again because {self.reason}" if self.reason else "")
        return text + (f"; on the Python backend: {self.fallback}" if self.fallback else "")

    def __repr__(self) -> str:
        return f"<jit of {getattr(self.fn, '__qualname__', self.fn)!r}: {self.note}>"

    def __reduce__(self) -> Any:
        # The programs pickle by their source; the function by reference, if it can (a closure, such as what
        # grad() returns, cannot: the copy then runs the programs it holds and cannot trace again).
        import pickle  # here, not at the top: pickle costs start-up time, and most programs never pickle one

        try:
            fn = pickle.loads(pickle.dumps(self.fn))
        except (pickle.PicklingError, AttributeError, TypeError):
            fn = None
        return _rebuilt, (fn, self.static_argnums, self.max_traces, list(self._used), self.reason, self.backend)

    # -- calling -----------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs and not self.static_argnums and all(type(a) is float and not a - a for a in args):
            key: Any = len(args)  # numbers only, the common case: no flattening
            numbers_: Sequence[float] = args
        else:
            flat = self._flatten(args, kwargs)
            if flat is None and self.fn is not None:  # Values among the arguments (jit inside grad): fn as it is
                return self.fn(*args, **kwargs)
            if flat is None:
                raise TypeError("jit: a jitted function unpickled without its function takes numbers, not Values")
            key, numbers_ = flat
        last = self._last
        if last is not None and last.key == key:
            try:
                out = last.run(numbers_)
            except (ArithmeticError, ValueError, TypeError):
                out = None
            if type(out) is tuple:
                return out[0]
        else:
            out = None
        return self._slow_call(key, numbers_, args, kwargs, out)

    def _slow_call(self, key: Any, numbers_: Sequence[float], args: Any, kwargs: Any, first: Any) -> Any:
        """Try the other programs for this structure; else trace again (`first`: what the latest program gave)."""
        tried = self._last if self._last is not None and self._last.key == key else None
        reason = self._reason(tried, first) if tried is not None else ""
        for trace in self._traces.get(key, ()):
            if trace is tried:
                continue
            try:
                out = trace.run(numbers_)
            except (ArithmeticError, ValueError, TypeError):
                out = None
            if type(out) is tuple:
                self._use(trace)
                return out[0]
            reason = reason or self._reason(trace, out)
        if not self._traces:
            reason = ""
        elif key not in self._traces:
            reason = f"a new input structure ({len(self._traces) + 1} seen)"
        return self._trace(key, numbers_, args, kwargs, reason)

    @staticmethod
    def _reason(trace: Trace, out: Any) -> str:
        """Why a program could not serve: the guard whose index it returned, or an inf, a nan or an error."""
        if type(out) is int:
            return trace.guards[out]
        return "some number came out inf or nan, or a row refused its input"

    def _use(self, trace: Trace) -> None:
        self._last = trace
        self._used.pop(trace, None)
        self._used[trace] = None
        held = self._traces.setdefault(trace.key, [])
        if not held or held[0] is not trace:
            if trace in held:
                held.remove(trace)
            held.insert(0, trace)

    def _flatten(self, args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Any, list[float]] | None:
        """The key of the call (structure and static arguments) and its numbers; None if a Value is among them."""
        n = len(args)
        static = {i % n for i in self.static_argnums if -n <= i < n}
        if len(static) != len({i for i in self.static_argnums}):
            raise IndexError(f"jit: static_argnums {self.static_argnums} out of range for {n} arguments")
        dynamic = [a for i, a in enumerate(args) if i not in static]
        leaves, structure = tree_flatten(dynamic, "jit: argument")
        numbers_: list[float] = []
        for i, x in enumerate(leaves):
            if isinstance(x, Value):
                return None
            numbers_.append(x if type(x) is float and not x - x else real(x, f"jit: argument number {i}"))
        try:
            key = (
                _signature(structure),
                tuple((i, _keyed(args[i])) for i in sorted(static)),
                tuple((k, _keyed(v)) for k, v in sorted(kwargs.items())),
            )
            hash(key)
        except TypeError:
            raise TypeError(
                "jit: static arguments and keyword arguments are part of the program's key, so they must be "
                "hashable (numbers, strings, tuples)"
            ) from None
        return key, numbers_

    # -- tracing -----------------------------------------------------------------

    def _trace(self, key: Any, numbers_: Sequence[float], args: Any, kwargs: Any, reason: str) -> Any:
        """Run `fn` on Values at `numbers_` (the eager engine: its errors are raised here), hold its program.

        A program the same as one held (the eager run found no error where a
        program saw an inf: a sum of finite numbers that overflows its check)
        is not held twice.
        """
        inputs = [Value(x) for x in numbers_]
        call_args = self._rebuilt_args(args, inputs)
        if self.fn is None:
            raise RuntimeError(
                "jit: no program held serves these arguments, and this jitted function was unpickled without its "
                "function (it did not pickle), so it cannot trace again"
            )
        try:
            with enable_grad(), Collecting() as compared:
                result = self.fn(*call_args, **kwargs)
        except TypeError as error:
            if "would lose its derivative" in str(error):
                raise TypeError(
                    f"{error} (jit: an argument used as a plain number, such as a loop count, is static: "
                    f"jit(fn, static_argnums=...))"
                ) from error
            raise
        leaves, structure = tree_flatten(result, "jit: the result")
        answer = tree_unflatten(structure, [x._data if isinstance(x, Value) else x for x in leaves])
        trace = self._written(key, inputs, leaves, structure, compared)
        if all((t.source, t.native) != (trace.source, trace.native) for t in self._traces.get(key, ())):
            self.reason = reason
            self._use(trace)
            self._bound()
        return answer

    def _rebuilt_args(self, args: Sequence[Any], inputs: list[Value]) -> list[Any]:
        n = len(args)
        static = {i % n for i in self.static_argnums}
        if all(type(a) is float for a in args) and not static:
            return list(inputs)
        dynamic = [a for i, a in enumerate(args) if i not in static]
        _, structure = tree_flatten(dynamic, "jit: argument")
        rebuilt = iter(tree_unflatten(structure, inputs))
        return [a if i in static else next(rebuilt) for i, a in enumerate(args)]

    def _written(
        self, key: Any, inputs: list[Value], leaves: list[Any], structure: Structure, compared: list[tuple[Any, ...]]
    ) -> Trace:
        """The program of a trace: its graph and every comparison the trace made, the Values it reads live kept."""
        order, guarded, live = traced_graph(inputs, leaves, compared)
        params = inputs + live
        names = {leaf: f"x{i}" for i, leaf in enumerate(params)}
        for node in order:  # for the note: an argument lifted by grad() is that argument; abs(x0) is abs(x0)
            if node.op is IDENTITY and node.parents[0] in names:
                names[node] = names[node.parents[0]]
            elif node.op is not None and node.parents and all(p in names for p in node.parents):
                parts = [names[p] for p in node.parents] + [repr(c) for c in node.constants]
                shown = f"{node.op.name}({', '.join(parts)})"
                if len(shown) <= 40:
                    names[node] = shown
        guards = [_described(g, operands, names) for g, operands in guarded]

        def result(name: Callable[[Any], str]) -> str:
            return _expression(structure, iter(leaves), name)

        if self.backend == "numba":
            values = [x for x in leaves if isinstance(x, Value)]  # what numba returns; the constants stay here
            slot = iter(range(1, len(values) + 1))
            slots = [_Slot(next(slot)) if isinstance(x, Value) else x for x in leaves]

            outer_spec: dict[str, tuple[Any, ...]] = {}  # the containers' constants (dict keys, the array builder)

            def constant(x: Any) -> str:
                if type(x) is _Slot:
                    return f"r[{x.i}]"
                if (type(x) is float and not x - x) or type(x) is int:
                    return repr(x)
                outer_spec[f"c{len(outer_spec)}"] = ("constant", x)
                return f"c{len(outer_spec) - 1}"

            names_ = ", ".join(f"x{i}" for i in range(len(params)))
            outer = (f"def program({names_}):\n    r = native({names_})\n    if r[0] == 0.0:\n"
                     f"        return ({_expression(structure, iter(slots), constant)},)\n"
                     f"    return None if r[0] < 0.0 else int(r[0]) - 1\n")
            try:
                return Trace(key, outer, outer_spec, live, guards, (*native_source(order, params, guarded, values),
                                                                    len(params)))
            except NotNative as why:
                self.fallback = str(why)
        source, spec, _ = write_function(order, params, guarded, result)
        return Trace(key, source, spec, live, guards)

    def _bound(self) -> None:
        while len(self._used) > self.max_traces:  # the least recently used goes
            oldest = next(iter(self._used))
            del self._used[oldest]
            self._traces[oldest.key].remove(oldest)
            if not self._traces[oldest.key]:
                del self._traces[oldest.key]
            self.reason += f" (held {self.max_traces}: the least recently used was dropped)"


def traced_graph(
    inputs: Sequence[Value], leaves: Sequence[Any], compared: Sequence[tuple[Any, ...]]
) -> tuple[list[Value], list[tuple[Any, tuple[Any, ...]]], list[Value]]:
    """What a trace's program is written from: the nodes, parents first, and the guards (`_guarded_graph`) of the
    result's Values and of every comparison the trace made; and the leaves that are not `inputs` (read live).
    """
    roots = [x for x in leaves if isinstance(x, Value)]
    roots += [x for group in compared for x in group if isinstance(x, Value)]
    order, guarded = _guarded_graph(*{id(x): x for x in roots}.values())
    known = set(inputs)
    return order, guarded, [node for node in order if node.is_leaf and node not in known]


def _keyed(x: Any) -> Any:
    """A static argument as a key: a float with its sign (0.0 and -0.0 are equal, yet copysign tells them apart)."""
    if type(x) is float:
        return x, math.copysign(1.0, x)
    if type(x) is tuple:
        return tuple(map(_keyed, x))
    return x


class _Slot:
    """Where an output sits in the tuple a native program returns."""

    __slots__ = ("i",)

    def __init__(self, i: int) -> None:
        self.i = i


def _described(guard: Any, operands: Sequence[Any], names: dict[Value, str]) -> str:
    """A guard as the note says it: ``x0 > 0 came out False (True when traced)``."""
    shown = [names.get(x, "a computed number") if isinstance(x, Value) else repr(x) for x in operands]
    opposite = not guard.outcome if type(guard.outcome) is bool else "otherwise"
    if guard.is_comparison:
        return f"{shown[0]} {guard.symbol} {shown[1]} came out {opposite} ({guard.outcome!r} when traced)"
    return f"{guard.symbol}({', '.join(shown)}) came out otherwise ({guard.outcome!r} when traced)"


def _expression(structure: Structure, leaves: Any, name: Callable[[Any], str]) -> str:
    """Python source that builds `structure` again from the program's numbers (its leaves named by `name`)."""
    kind = structure.kind
    if kind == "leaf":
        return name(next(leaves))
    if kind == "array":
        items = ", ".join(name(next(leaves)) for _ in range(structure.size))
        return f"{name(_build_array)}({structure.keys!r}, [{items}])"
    parts = [_expression(child, leaves, name) for child in structure.children]
    if kind == "dict":
        return "{" + ", ".join(f"{name(k)}: {p}" for k, p in zip(structure.keys, parts)) + "}"
    return f"({''.join(p + ', ' for p in parts)})" if kind == "tuple" else f"[{', '.join(parts)}]"


def _rebuilt(
    fn: Callable[..., Any] | None,
    static: tuple[int, ...],
    max_traces: int,
    traces: list[Trace],
    reason: str,
    backend: str = "python",
) -> Jitted:
    """A pickled `Jitted` again, with the programs it held (rebuilt from their source)."""
    jitted = Jitted(fn or _lost, static, max_traces, backend)
    jitted.fn = fn
    for trace in traces:
        # A program that reads Values from outside its arguments holds copies of them now; the function that came
        # along reads the real ones, so it traces again. (Without it, the copies are all there is.)
        if fn is None or not trace.live:
            jitted._use(trace)
    jitted.reason = reason
    return jitted


def _lost(*args: Any, **kwargs: Any) -> Any:
    """What a jitted function that was pickled without its function stands on (`Jitted._trace` refuses first)."""
    raise RuntimeError("jit: the function did not pickle")


def jit(
    fn: Callable[..., Any],
    static_argnums: Sequence[int] | int = (),
    max_traces: int = MAX_TRACES,
    backend: str = "python",
) -> Jitted:
    """`fn` compiled: traced on its first call, run as a straight-line program after (see the module docstring).

    `fn` takes numbers, containers of numbers (lists, tuples, dicts, numpy
    arrays) or both, and returns the same kinds (its Values come back as
    floats): a loss, or ``grad(f)``, ``value_and_grad(f, has_aux=…)``,
    ``jacobian(f)``, ``hessian(f)``. Arguments listed in `static_argnums` (a
    loop count, a flag) are passed as they are and become part of the
    program's key, as are keyword arguments. At most `max_traces` programs are
    kept, the least recently used dropped first. ``backend="numba"`` compiles
    each program to machine code (`autograd_lite.native`; the ``numba`` extra).
    """
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)
    return Jitted(fn, static_argnums, max_traces, backend)

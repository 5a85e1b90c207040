"""Graph replay: record a graph once, then recompute it many times without building new Values.

A training loop usually builds the same graph at every step: only the
parameters' numbers change. `compile(output)` walks the recorded graph of
`output` once and writes it out as Python (`autograd_lite.codegen`): a
``forward`` function with one line per node and a ``backward`` function with
one line per use of the chain rule, read off the same table of primitives as
the eager engine (`Tape.source` shows them). `Tape.forward()` runs the first
on the leaves' current ``.data``; `Tape.backward()` runs the second and adds
the gradients into the leaves' ``.grad``. Both give exactly the eager
engine's floats. The graph is also kept as flat lists (the leaves, and for
every other node its primitive and the positions of its parents), replayed
node by node through `evaluate` when the code meets an error or an inf or
nan, so that every error is the eager engine's, and for graphs too varied to
compile.

The control flow is frozen when the graph is recorded, as with
``torch.jit.trace``, but never silently. Every comparison of Values made while
recording (``a < b``, ``if v > 0``, ``max(a, b)``, ``if v:``) is remembered; the
tape keeps those that touch its graph (recomputing their operands too), and
`Tape.forward()` raises `BranchChangedError` as soon as one comes out
differently from how it did when recorded. What cannot be guarded is a number
taken out of the graph on purpose (``v.item()`` or ``v.data``) and then used in
an ``if``: the tape cannot see it. (``float(v)`` raises, for the same reason.)

>>> import autograd_lite as al
>>> w = al.Value(1.0)
>>> tape = al.compile((w * 3.0 - 6.0) ** 2)
>>> w.data = 2.5
>>> tape.forward()                 # (3·2.5 − 6)²
2.25
>>> tape.backward(); w.grad        # 2·(3w − 6)·3
9.0
"""

from __future__ import annotations

import numbers
import time

from .checks import BranchChangedError, NonFiniteGradientError, checked_chain_rule
from .codegen import ChunkedProgram, DerivativeProgram, _differs, _TooVaried, write_source
from .engine import Value, data_moves, evaluate, topological_order
from .fast import CollectorPaused
from .functions import data_of
from .guards import Guard, guards_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from .primitives import Primitive

__all__ = ["CODE_LIMIT", "BranchChangedError", "Tape", "compile"]


def _guarded_graph(*outputs: Value) -> tuple[list[Value], list[tuple[Guard, tuple[Any, ...]]]]:
    """The nodes to replay for `outputs`, parents first, and the guards that check them, each with its operands.

    Every guard remembered on a node of the graph guards the tape. Its other
    operands join the graph (the loser of ``max(a, b)`` is not an input of the
    output, yet the tape must recompute it to check the outcome), and that may
    bring in more guards, until none is left. Nodes that join are placed
    after those already there, so parents still come first.
    """
    order = topological_order(*outputs) if outputs else []
    nodes = set(order)
    guards: list[tuple[Guard, tuple[Any, ...]]] = []
    seen: set[tuple[Any, ...]] = set()
    todo = list(order)
    while todo:
        for g in guards_of(todo.pop()):
            operands = g.operands
            key = (g.symbol, *(id(x) if isinstance(x, Value) else x for x in operands))
            if key in seen:  # a comparison of two Values is kept on both
                continue
            seen.add(key)
            guards.append((g, operands))
            for v in operands:
                if isinstance(v, Value) and v not in nodes:
                    new = [n for n in topological_order(v) if n not in nodes]
                    nodes.update(new)
                    order += new
                    todo += new
    return order, guards


#: Graphs of more nodes than this are compiled in chunks (`autograd_lite.codegen.ChunkedProgram`)
#: rather than as one function. Python's compiler takes longer per line the longer the function
#: (80,000 lines in one function: 1.1 s; the same in 20 functions: 0.4 s), the chunks also run a
#: little faster, and chunks of the same shape are compiled once. Below it, one function reads best.
CODE_LIMIT = 5_000


class Tape:
    """A recorded graph, ready to recompute. Make one with `compile`.

    The tape runs the graph's *derivative program* (`source`): straight-line
    Python, one line per node forward and one per edge backward, generated
    from the table of primitives. A graph of more than `CODE_LIMIT` nodes runs
    the same code in chunks, each shape compiled once; one whose chunks do not
    repeat, or that Python cannot compile, is replayed from flat lists
    instead, node by node (`note` says which). All give the same floats as the
    eager engine, and the lists stay as the reference: whenever the program
    meets an error or a non-finite number, the lists recompute the pass, so
    every error is the eager engine's, naming the same node.
    """

    def __init__(self, output: Value, names: Mapping[Value, str] | None = None, code_limit: int = CODE_LIMIT) -> None:
        with CollectorPaused():
            order, guarded = _guarded_graph(output)
        position = {node: i for i, node in enumerate(order)}
        self.output = output
        self._out = position[output]
        #: The leaves (inputs and parameters) and where they sit in the flat lists.
        self.leaves: list[tuple[int, Value]] = [(i, node) for i, node in enumerate(order) if node.is_leaf]
        self._leaf_values = tuple(node for _, node in self.leaves)
        #: The guards checked on every forward pass: (guard, where each operand is: a node's position,
        #: or None for a plain number, which the guard keeps).
        self.guards: list[tuple[Guard, tuple[int | None, ...]]] = [
            (g, tuple(position[x] if isinstance(x, Value) else None for x in operands)) for g, operands in guarded
        ]
        self.size = len(order)
        self._order = order
        self._lists_built = False  # the flat lists of the reference replay are built when first needed
        # Where the output and the guards' operands sit among the numbers the program's forward returns:
        # their graph positions, unless a DerivativeProgram returns only some nodes' numbers (set in _compile).
        self._program_out, self._program_guards = self._out, self.guards
        self._current = True  # a forward pass succeeded since the last failure
        #: The leaves' numbers at the latest forward pass (at recording, before the first): backward checks them.
        self._seen = [leaf.data for _, leaf in self.leaves]
        self._moves = data_moves()  # whether any Value's number was set since: if not, none of the leaves moved
        #: The generated forward and backward code, or None when the graph is replayed from lists.
        self.program: DerivativeProgram | ChunkedProgram | None = None
        #: How the tape runs, and what generating its code cost.
        self.note = ""
        #: Seconds spent writing the code, and compiling it with Python's `compile` (together, for chunks).
        self.codegen_seconds = self.compile_seconds = 0.0
        self._compile(order, position, output, names or {}, code_limit)
        # The numbers of the latest pass, as the program reads them; until a forward(), those recorded.
        self._values: Sequence[float]
        program = self.program
        if isinstance(program, DerivativeProgram):
            self._values = tuple(node.data for node in program.kept)
        elif program is not None:  # chunks: the program's own list of every node's number
            program.values[:] = [node.data for node in order]
            self._values = program.values
        else:
            self._build_lists()
            self.data[:] = [node.data for node in order]
            self.local[:] = [node.local_grads for node in order]
            self._values = self.data

    def _compile(
        self, order: list[Value], position: dict[Value, int], output: Value, names: Mapping[Value, str], limit: int
    ) -> None:
        """Write and compile the derivative program (in chunks above `limit` nodes), or say why the lists replay."""
        begin = time.perf_counter()
        try:
            if self.size > limit:
                self.program = ChunkedProgram(order, position, output)
                self.codegen_seconds = time.perf_counter() - begin
                self.note = (f"compiled in {len(self.program.chunks):,} chunks, {self.program.distinct} distinct "
                             f"({self.program.lines:,} lines, {self.codegen_seconds:.3f} s to write and compile)")
                return
            operands = [order[i] for _, at in self.guards for i in at if i is not None]
            text = write_source(order, output, names, keep=set(operands))
            self.codegen_seconds = time.perf_counter() - begin
            self.program = DerivativeProgram(text)
            at = {position[node]: i for i, node in enumerate(self.program.kept)}
            self._program_out = at[self._out]
            self._program_guards = [
                (g, tuple(None if i is None else at[i] for i in where)) for g, where in self.guards
            ]
        except _TooVaried as why:
            self.note = f"{self.size:,} nodes whose chunks do not repeat ({why}): replayed from lists, node by node"
            return
        except (RecursionError, MemoryError, SyntaxError) as error:  # Python's compiler could not take it
            self.note = f"Python could not compile the code ({type(error).__name__}): replayed from lists"
            return
        self.compile_seconds = time.perf_counter() - begin - self.codegen_seconds
        self.note = (f"compiled: {self.program.lines:,} lines for {self.size:,} nodes "
                     f"(writing {self.codegen_seconds:.3f} s, Python's compile {self.compile_seconds:.3f} s)")

    def _build_lists(self) -> None:
        """The flat lists of the reference replay: every computed node's row and parents, numbers, derivatives."""
        order = self._order
        position = {node: i for i, node in enumerate(order)}
        #: For every computed node in order: its position, its primitive, its parents' positions, its constants.
        self.steps: list[tuple[int, Primitive, tuple[int, ...], tuple[float, ...]]] = [
            (i, node.op, tuple(position[p] for p in node.parents), node.constants)
            for i, node in enumerate(order)
            if node.op is not None
        ]
        self.data: list[float] = [0.0] * self.size
        self.local: list[Sequence[float]] = [()] * self.size
        self._lists_built = True

    @property
    def source(self) -> str:
        """The derivative program: the Python code that forward() and backward() run ("" when replayed from lists)."""
        return self.program.source if self.program is not None else ""

    def __str__(self) -> str:
        return self.source or f"# {self.note}\n"

    def __repr__(self) -> str:
        return f"<Tape of {self.size:,} nodes; {self.note}>"

    def forward(self) -> float:
        """Recompute every node from the leaves' current ``.data``; return the output's value.

        The output Value's ``.data`` is updated too. A node that leaves its
        primitive's domain raises the same error as the eager engine; a
        comparison that comes out differently raises `BranchChangedError`.
        Either way the tape refuses `backward` until a forward pass succeeds.
        """
        self._current = False
        program = self.program
        values: Sequence[float] | None = None
        if program is not None:
            # An error, or None (some number is inf or nan): the lists recompute the pass and raise as eagerly.
            # (try/except, not contextlib.suppress: entering a context manager costs more than the line fit.)
            try:  # noqa: SIM105
                values = program.forward(self._leaf_values)
            except (ArithmeticError, ValueError, TypeError):
                pass
        if values is None:
            values = self._forward_lists()
            out_at, guards = self._out, self.guards
        else:
            out_at, guards = self._program_out, self._program_guards
        if guards:
            self._check_guards(values, guards)
        self._values = values
        self._current = True
        self._seen = [leaf._data for leaf in self._leaf_values]
        self._moves = data_moves()
        out = values[out_at]
        self.output._data = out  # a finite float, checked above
        return out

    def _moved(self) -> bool:
        """Whether a leaf's number differs from the last forward pass's (0.0 and -0.0 differ); if not, say so."""
        if any(map(_differs, [leaf._data for leaf in self._leaf_values], self._seen)):
            return True
        self._moves = data_moves()  # numbers moved, but none of this tape's leaves
        return False

    def _check_guards(self, values: Sequence[float], guards: list[tuple[Guard, tuple[int | None, ...]]]) -> None:
        for guard, where in guards:
            numbers = [x if i is None else values[i] for x, i in zip(guard.operands, where)]
            if not guard.holds(numbers):
                what = "comparison" if guard.is_comparison else "conversion"
                raise BranchChangedError(
                    f"Tape.forward: the {what} {guard.expression(numbers)} is now {guard.test(*numbers)!r}, but was "
                    f"{guard.outcome!r} when the graph was recorded, so the program would take another branch; "
                    f"record the graph again and compile that"
                )

    def _forward_lists(self) -> list[float]:
        """The forward pass node by node, through `evaluate`: the eager engine's checks and errors."""
        if not self._lists_built:
            self._build_lists()
        data, local = self.data, self.local
        with CollectorPaused():
            for i, leaf in self.leaves:
                data[i] = leaf.data
            for i, op, parents, constants in self.steps:
                data[i], local[i] = evaluate(op, [data[p] for p in parents] + list(constants))
        return data

    def backward(self, gradient: float = 1.0) -> None:
        """Add d(output)/d(leaf) into every leaf's ``.grad``: the chain rule, as generated code or over the lists.

        As with `Value.backward`, a gradient that becomes inf or nan raises
        `NonFiniteGradientError` naming the node, and no ``.grad`` changes.
        """
        if type(gradient) is float and not gradient - gradient:  # the common case, quickly
            seed = gradient
        elif isinstance(gradient, Value) or not isinstance(gradient, numbers.Real):
            raise TypeError(f"Tape.backward: gradient must be a number, got {type(gradient).__name__} {gradient!r}")
        else:
            seed = data_of(gradient, "Tape.backward", "gradient")
        if not self._current:
            raise RuntimeError("Tape.backward: the last forward() failed; run forward() again first")
        if data_moves() != self._moves and self._moved():  # never the gradient at an older point
            leaf, was = next((v, x) for v, x in zip(self._leaf_values, self._seen) if _differs(v._data, x))
            raise RuntimeError(
                f"Tape.backward: the leaf {leaf!r} was {was!r} at the last forward(); run forward() first, "
                f"so that backward() differentiates at the leaves' current numbers"
            )
        # The program reads the numbers in its own layout: after a forward pass that the lists had to redo (a sum of
        # finite numbers can overflow the program's one-line check), the lists hold the pass, and run backward too.
        if self.program is not None and not (self._lists_built and self._values is self.data):
            try:
                if self.program.backward(seed, self._values, self._leaf_values):
                    return  # every leaf's .grad is updated
            except ArithmeticError:  # an infinite local derivative: the lists store inf and decide
                pass
            # Some gradient went inf or nan (nothing was changed): the checked pass over the lists names where.
        new = self._backward_lists(seed)
        for (_, leaf), g in zip(self.leaves, new):
            leaf.grad = g

    def _backward_lists(self, seed: float) -> list[float]:
        """The chain rule over the flat lists, every gradient checked (the reference, and the path for errors)."""
        if not self._lists_built or self._values is not self.data:  # the lists hold an older pass
            self._forward_lists()
        local = self.local
        with CollectorPaused():
            grads = checked_chain_rule(
                self._out,
                seed,
                ((i, op, parents, local[i], constants) for i, op, parents, constants in reversed(self.steps)),
                self.data.__getitem__,
                "Tape.backward",
            )
        new = [leaf.grad + grads.get(i, 0.0) for i, leaf in self.leaves]
        for (_, leaf), g in zip(self.leaves, new):
            if g - g:
                raise NonFiniteGradientError(f"Tape.backward: the gradient of {leaf!r} overflows a float")
        return new


def compile(output: Value, names: Mapping[Value, str] | None = None) -> Tape:
    """Compile the graph of `output` for replay: see `Tape` and the module docstring.

    `names` gives Values (typically the inputs) names to use in the generated
    code, as `autograd_lite.viz.draw` does in pictures.
    """
    if not isinstance(output, Value):
        raise TypeError(f"compile: expected the Value whose graph to replay, got {type(output).__name__}")
    if names is not None:
        for value, name in names.items():
            if not isinstance(value, Value) or not isinstance(name, str):
                raise TypeError(f"compile: names maps Values to strings, got {value!r}: {name!r}")
    return Tape(output, names)

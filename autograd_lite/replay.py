"""Graph replay: record a graph once, then recompute it many times without building new Values.

A training loop usually builds the same graph at every step: only the
parameters' numbers change. `compile(output)` walks the recorded graph of
`output` once and flattens it into lists: the leaves, and for every other node
its primitive and the positions of its parents. `Tape.forward()` then
recomputes every node from the leaves' current ``.data``, reading the same
table of primitives as the eager engine, and `Tape.backward()` runs the chain
rule over those lists and adds the gradients into the leaves' ``.grad``.

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
from typing import TYPE_CHECKING

from .engine import (
    CollectorPaused,
    Comparison,
    NonFiniteGradientError,
    Value,
    checked_chain_rule,
    comparisons_of,
    data_of,
    evaluate,
    topological_order,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .engine import Primitive

__all__ = ["BranchChangedError", "Tape", "compile"]


class BranchChangedError(RuntimeError):
    """A comparison made while recording comes out differently on replay: the graph took the other branch."""


def _guarded_graph(output: Value) -> tuple[list[Value], list[Comparison]]:
    """The nodes to replay, parents first, and the comparisons that guard them.

    Every comparison made with a node of the graph guards the tape. Its other
    operand joins the graph (the loser of ``max(a, b)`` is not an input of the
    output, yet the tape must recompute it to check the outcome), and that may
    bring in more comparisons, until none is left. Nodes that join are placed
    after those already there, so parents still come first.
    """
    order = topological_order(output)
    nodes = set(order)
    guards: list[Comparison] = []
    seen: set[tuple[int, str, int]] = set()
    todo = list(order)
    while todo:
        for c in comparisons_of(todo.pop()):
            key = (id(c.left), c.symbol, id(c.right))  # a comparison of two Values is kept on both
            if key in seen:
                continue
            seen.add(key)
            guards.append(c)
            for v in (c.left, c.right):
                if isinstance(v, Value) and v not in nodes:
                    new = [n for n in topological_order(v) if n not in nodes]
                    nodes.update(new)
                    order += new
                    todo += new
    return order, guards


class Tape:
    """A recorded graph, flattened for replay. Make one with `compile`."""

    def __init__(self, output: Value) -> None:
        with CollectorPaused():
            order, comparisons = _guarded_graph(output)
        position = {node: i for i, node in enumerate(order)}
        self.output = output
        self._out = position[output]
        #: The leaves (inputs, parameters and constants) and where they sit in the flat lists.
        self.leaves: list[tuple[int, Value]] = [(i, node) for i, node in enumerate(order) if node.is_leaf]
        #: For every computed node in order: its position, its primitive, its parents' positions, its constants.
        self.steps: list[tuple[int, Primitive, tuple[int, ...], tuple[float, ...]]] = [
            (i, node.op, tuple(position[p] for p in node.parents), node.constants)
            for i, node in enumerate(order)
            if node.op is not None
        ]
        #: The comparisons checked on every forward pass: (comparison, left position,
        #: right position, or None when the right side is the plain number kept in the comparison).
        self.guards: list[tuple[Comparison, int, int | None]] = []
        for c in comparisons:
            self.guards.append((c, position[c.left], position[c.right] if isinstance(c.right, Value) else None))
        self.data: list[float] = [node.data for node in order]
        self.local: list[Sequence[float]] = [node.local_grads for node in order]
        self.size = len(order)
        self._current = True  # data and local match the leaves' data as recorded

    def forward(self) -> float:
        """Recompute every node from the leaves' current ``.data``; return the output's value.

        The output Value's ``.data`` is updated too. A node that leaves its
        primitive's domain raises the same error as the eager engine; a
        comparison that comes out differently raises `BranchChangedError`.
        Either way the tape refuses `backward` until a forward pass succeeds.
        """
        data, local = self.data, self.local
        self._current = False
        with CollectorPaused():
            for i, leaf in self.leaves:
                data[i] = leaf.data
            for i, op, parents, constants in self.steps:
                data[i], local[i] = evaluate(op, [data[p] for p in parents] + list(constants))
        for comparison, left, right in self.guards:
            a, b = data[left], (comparison.right if right is None else data[right])
            if comparison.compare(a, b) != comparison.outcome:
                raise BranchChangedError(
                    f"Tape.forward: the comparison {comparison.describe(a, b)} is now {not comparison.outcome}, "
                    f"but was {comparison.outcome} when the graph was recorded, so the program would take another "
                    f"branch; record the graph again and compile that"
                )
        self._current = True
        self.output.data = data[self._out]
        return data[self._out]

    def backward(self, gradient: float = 1.0) -> None:
        """Add d(output)/d(leaf) into every leaf's ``.grad``: the chain rule over the flat lists.

        As with `Value.backward`, a gradient that becomes inf or nan raises
        `NonFiniteGradientError` naming the node, and no ``.grad`` changes.
        """
        if isinstance(gradient, Value) or not isinstance(gradient, numbers.Real):
            raise TypeError(f"Tape.backward: gradient must be a number, got {type(gradient).__name__} {gradient!r}")
        seed = data_of(gradient, "Tape.backward", "gradient")
        if not self._current:
            raise RuntimeError("Tape.backward: the last forward() failed; run forward() again first")
        grads = [0.0] * self.size
        grads[self._out] = seed
        local = self.local
        with CollectorPaused():
            for i, _, parents, _ in reversed(self.steps):
                g = grads[i]
                for p, d in zip(parents, local[i]):
                    grads[p] += d * g
            new = [leaf.grad + grads[i] for i, leaf in self.leaves]
            total = sum(new)
            if total - total:  # some gradient went inf or nan: redo the pass with checks, to name where
                checked = checked_chain_rule(
                    self._out,
                    seed,
                    ((i, op, parents, local[i], constants) for i, op, parents, constants in reversed(self.steps)),
                    self.data.__getitem__,
                    "Tape.backward",
                )
                new = [leaf.grad + checked.get(i, 0.0) for i, leaf in self.leaves]
                for (_, leaf), g in zip(self.leaves, new):
                    if g - g:
                        raise NonFiniteGradientError(f"Tape.backward: the gradient of {leaf!r} overflows a float")
        for (_, leaf), g in zip(self.leaves, new):
            leaf.grad = g


def compile(output: Value) -> Tape:
    """Record the graph of `output` for replay: see `Tape` and the module docstring."""
    if not isinstance(output, Value):
        raise TypeError(f"compile: expected the Value whose graph to replay, got {type(output).__name__}")
    return Tape(output)

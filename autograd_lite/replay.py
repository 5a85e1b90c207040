"""Graph replay: record a graph once, then recompute it many times without building new Values.

A training loop usually builds the same graph at every step: only the
parameters' numbers change. `compile(output)` walks the recorded graph of
`output` once and flattens it into lists: the leaves, and for every other node
its primitive and the positions of its parents. `Tape.forward()` then
recomputes every node from the leaves' current ``.data``, reading the same
table of primitives as the eager engine, and `Tape.backward()` runs the chain
rule over those lists and adds the gradients into the leaves' ``.grad``.

The control flow is frozen when the graph is recorded, as with
``torch.jit.trace``: an ``if`` on a value, a ``max()`` of Values, or a loop
whose length depends on data takes the branch it took while recording, on
every replay. Use replay for graphs whose shape does not depend on the data.

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

from typing import TYPE_CHECKING

from .engine import CollectorPaused, Value, evaluate, topological_order

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .engine import Primitive

__all__ = ["Tape", "compile"]


class Tape:
    """A recorded graph, flattened for replay. Make one with `compile`."""

    def __init__(self, output: Value) -> None:
        with CollectorPaused():
            order = topological_order(output)
        position = {node: i for i, node in enumerate(order)}
        #: The leaves (inputs, parameters and constants) and where they sit in the flat lists.
        self.leaves: list[tuple[int, Value]] = [(i, node) for i, node in enumerate(order) if node.is_leaf]
        #: For every computed node in order: its position, its primitive, its parents' positions.
        self.steps: list[tuple[int, Primitive, tuple[int, ...]]] = [
            (i, node.op, tuple(position[p] for p in node.parents))
            for i, node in enumerate(order)
            if node.op is not None
        ]
        self.data: list[float] = [node.data for node in order]
        self.local: list[Sequence[float]] = [node.local_grads for node in order]
        self.size = len(order)
        self._current = True  # data and local match the leaves' data as recorded

    def forward(self) -> float:
        """Recompute every node from the leaves' current ``.data``; return the output's value.

        A node that leaves its primitive's domain raises the same error as
        the eager engine, and the tape then refuses `backward` until a
        forward pass succeeds.
        """
        data, local = self.data, self.local
        self._current = False
        with CollectorPaused():
            for i, leaf in self.leaves:
                data[i] = leaf.data
            for i, op, parents in self.steps:
                data[i], local[i] = evaluate(op, [data[p] for p in parents])
        self._current = True
        return data[-1]

    def backward(self, gradient: float = 1.0) -> None:
        """Add d(output)/d(leaf) into every leaf's ``.grad``: the chain rule over the flat lists."""
        if not self._current:
            raise RuntimeError("Tape.backward: the last forward() failed; run forward() again first")
        grads = [0.0] * self.size
        grads[-1] = gradient
        local = self.local
        with CollectorPaused():
            for i, _, parents in reversed(self.steps):
                g = grads[i]
                for p, d in zip(parents, local[i]):
                    grads[p] += d * g
        for i, leaf in self.leaves:
            leaf.grad += grads[i]


def compile(output: Value) -> Tape:
    """Record the graph of `output` for replay: see `Tape` and the module docstring."""
    if not isinstance(output, Value):
        raise TypeError(f"compile: expected the Value whose graph to replay, got {type(output).__name__}")
    return Tape(output)

"""Backprop, step by step: the reverse pass written out as a learner would on paper.

`explain(output)` walks the graph of `output` from the output back to the
leaves, with the same chain rule `backward()` uses (the engine's
`checked_chain_rule`, watched as it runs), and writes one block per node: its
operation, its number and the gradient flowing into it, then for each input
what it receives: that gradient times the local derivative. It changes no
``.grad``; its gradients are the ones `backward()` would leave.

One neuron, tanh(x1·w1 + x2·w2 + b), as in the README's learner path:

>>> from autograd_lite import Value
>>> x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.881373587019543)
>>> n = x1 * w1 + x2 * w2 + b
>>> print(explain(n.tanh(), names={x1: "x1", x2: "x2", w1: "w1", w2: "w2", b: "b", n: "n"}))
tanh  data 0.7071  grad 1
    n  (data 0.8814)  += 1 × 0.5 = 0.5
n  data 0.8814  grad 0.5
    +  (data -6)  += 0.5 × 1 = 0.5
    b  (data 6.881)  += 0.5 × 1 = 0.5
+  data -6  grad 0.5
    *  (data -6)  += 0.5 × 1 = 0.5
    *  (data 0)  += 0.5 × 1 = 0.5
*  data 0  grad 0.5
    x2  (data 0)  += 0.5 × 1 = 0.5
    w2  (data 1)  += 0.5 × 0 = 0
*  data -6  grad 0.5
    x1  (data 2)  += 0.5 × -3 = -1.5
    w1  (data -3)  += 0.5 × 2 = 1
x1  data 2  grad -1.5  (a leaf)
w1  data -3  grad 1  (a leaf)
x2  data 0  grad 0.5  (a leaf)
w2  data 1  grad 0  (a leaf)
b  data 6.881  grad 0.5  (a leaf)

Each line under a node is one use of the chain rule: the input's gradient
grows by the gradient flowing in times the local derivative (tanh′ = 1 − 0.7071²
= 0.5 above).
"""

from __future__ import annotations

from .checks import checked_chain_rule, node_steps
from .engine import Value, topological_order
from .fast import CollectorPaused
from .functions import data_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Explanation", "explain"]


def _number(x: float) -> str:
    return f"{x:.4g}"


class Explanation:
    """The reverse pass of one graph, node by node: ``str()`` or ``print()`` it; ``grads`` holds the numbers.

    ``grads`` maps every Value of the graph to d(output)/d(that Value), as
    `backward()` would leave it in ``.grad`` (for leaves, on top of what they hold).
    """

    def __init__(self, lines: list[str], grads: dict[Value, float]) -> None:
        self.lines, self.grads = lines, grads

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return f"<Explanation of {len(self.grads)} nodes: print() it>"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:  # IPython shows the text
        printer.text(str(self))  # type: ignore[attr-defined]


def explain(
    output: Value, names: Mapping[Value, str] | None = None, gradient: float = 1.0, max_nodes: int = 40
) -> Explanation:
    """The reverse pass of `output`'s graph, as text: for each node, what flows in and what each input receives.

    `names` labels Values (as in `autograd_lite.viz`); others show their
    operation, or "leaf". Graphs of more than `max_nodes` nodes are cut, with a
    last line saying how many more there are.
    """
    if not isinstance(output, Value):
        raise TypeError(f"explain: expected the Value whose reverse pass to show, got {type(output).__name__}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"explain: max_nodes must be a positive int, got {max_nodes!r}")
    seed = data_of(gradient, "explain", "gradient")
    names = names or {}

    def label(node: Value) -> str:
        return names.get(node) or (node.op.label_with(node.constants) if node.op is not None else "leaf")

    lines: list[str] = []
    shown = 0

    def write(node: Value, g: float) -> None:
        nonlocal shown
        shown += 1
        if shown > max_nodes:
            return
        lines.append(f"{label(node)}  data {_number(node.data)}  grad {_number(g)}")
        for parent, local in zip(node.parents, node.local_grads):
            product = local * g if g != 0.0 else 0.0  # a zero gradient adds nothing, even through an infinite slope
            where = f"    {label(parent)}  (data {_number(parent.data)})"
            lines.append(f"{where}  += {_number(g)} × {_number(local)} = {_number(product)}")

    with CollectorPaused():
        order = topological_order(output)
        grads = checked_chain_rule(output, seed, node_steps(order), lambda n: n.data, "explain", visit=write)
    for node in order:
        if node.is_leaf:
            shown += 1
            if shown <= max_nodes:
                g = grads.get(node, 0.0)
                lines.append(f"{label(node)}  data {_number(node.data)}  grad {_number(g)}  (a leaf)")
    if shown > max_nodes:
        lines.append(f"… {shown - max_nodes} more nodes")
    return Explanation(lines, {node: grads.get(node, 0.0) for node in order})

"""The table read again: gradients that are Values themselves (higher order), and forward mode.

`Value.backward` reads each node's local derivatives as floats, computed when
the node was made. Two more interpreters read the same rows differently:

* `differentiate` runs the same reverse pass, but recomputes each local
  derivative from the row *as a Value* (``derivs`` applied to the parents'
  Values), so every gradient has a graph of its own and can be
  differentiated again: derivatives of any order.
* `push_forward` walks the graph from the inputs forward (forward mode):
  each node's tangent is Σ ∂node/∂parent · tangent(parent), the same local
  derivatives read in the other direction.

>>> from autograd_lite import Value
>>> x = Value(3.0)
>>> (dy,) = differentiate(x ** 3, [x])
>>> dy.data, differentiate(dy, [x])[0].data      # 3x², 6x
(27.0, 18.0)
"""

from __future__ import annotations

from .checks import NonFiniteGradientError, checked_chain_rule, node_steps, non_finite_gradient, real, shown
from .engine import Value, _constant, topological_order
from .fast import CollectorPaused
from .grad_mode import enable_grad

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["differentiate", "push_forward"]

def _local_values(node: Value, where: str) -> tuple[Any, ...]:
    """The node's local derivatives recomputed from its parents *as Values*.

    The same rule as `node.local_grads`, but each result records its own graph,
    so it can be differentiated again. A Value is finite, so where the
    derivative is infinite this raises.
    """
    assert node.op is not None  # only called on interior nodes
    parents = node.parents
    try:
        return node.op.derivs(*parents, *node.constants, node)[: len(parents)]
    except TypeError as error:
        raise TypeError(
            f"{where}: the derivative rule of {node.op.name} does not take Values ({error}), so it cannot be "
            f"differentiated again; write it with autograd_lite's functions (autograd_lite.cos, not math.cos)"
        ) from None
    except ArithmeticError:
        raise NonFiniteGradientError(
            f"{where}: {node.op.name}({shown([p.data for p in parents] + list(node.constants))}) has an "
            f"infinite derivative, "
            f"which cannot be differentiated again"
        ) from None


def _is_zero_constant(v: Value) -> bool:
    """A Value that is exactly 0 everywhere: a constant leaf 0 (what an unused path contributes)."""
    return v.is_leaf and v.data == 0.0


def _number_of(v: Any) -> float:
    """The number of a Value, or a plain number (a local derivative may be a constant float)."""
    return v.data if isinstance(v, Value) else float(v)


def _times(g: Value, d: Value, node: Value, i: int, before: Any, where: str) -> Value:
    """``before + d·g`` for gradients as Values, naming the node if the result overflows."""
    try:
        return d * g if before is None else before + d * g
    except OverflowError:
        assert node.op is not None
        inputs = [p.data for p in node.parents] + list(node.constants)
        raise non_finite_gradient(
            where, node.op, inputs, i, _number_of(g), _number_of(d), 0.0 if before is None else _number_of(before)
        ) from None


def differentiate(output: Value, inputs: Sequence[Value], create_graph: bool = True) -> tuple[Any, ...]:
    """∂output/∂input for each input, without touching anyone's ``.grad``.

    The same reverse-mode loop as `Value.backward`, with the gradients kept in
    a dict. With ``create_graph=True`` every gradient is a Value built from the
    local derivatives recomputed as Values, so it can be differentiated again;
    with ``create_graph=False`` the gradients are plain floats, checked as
    they are computed. An input that `output` does not depend on gets 0.

    >>> x = Value(3.0)
    >>> (dy,) = differentiate(x ** 3, [x])
    >>> dy.data                      # 3x² = 27
    27.0
    >>> (d2y,) = differentiate(dy, [x])
    >>> d2y.data                     # 6x = 18
    18.0
    >>> differentiate(x ** 3, [x], create_graph=False)
    (27.0,)
    """
    with CollectorPaused():
        order = topological_order(output)
    if not create_graph:
        grads = checked_chain_rule(output, 1.0, node_steps(order), _number_of, "differentiate")
        return tuple(grads.get(x, 0.0) for x in inputs)
    values: dict[Value, Any] = {output: _constant(1.0)}
    with enable_grad():  # gradients as Values must record their graph, even inside no_grad()
        for node in reversed(order):
            g = values.get(node)
            if g is None or node.is_leaf or _is_zero_constant(g):
                continue
            for i, (parent, d) in enumerate(zip(node.parents, _local_values(node, "differentiate"))):
                values[parent] = _times(g, d, node, i, values.get(parent), "differentiate")
    zero = _constant(0.0)
    return tuple(values.get(x, zero) for x in inputs)


def push_forward(outputs: Sequence[Value], tangents: dict[Value, Any]) -> list[Any]:
    """Forward mode: the directional derivative of each output along `tangents`.

    `tangents` maps input Values to their tangent (a finite float, or a Value
    when the result must itself be differentiable). Walking the recorded graph
    from the inputs forward, each node's tangent is Σ ∂node/∂parent ·
    tangent(parent) — the same local derivatives that `backward` uses, read
    in the other direction. A zero tangent through an infinite derivative adds
    nothing; a tangent that becomes inf or nan raises `NonFiniteGradientError`.

    >>> x = Value(2.0)
    >>> y = x * x
    >>> push_forward([y], {x: 1.0})   # dy/dx = 2x = 4
    [4.0]
    """
    for t in tangents.values():
        if not isinstance(t, Value):
            real(t, "push_forward: tangent")
    as_values = any(isinstance(t, Value) for t in tangents.values())
    known: dict[Value, Any] = dict(tangents)
    with enable_grad():  # tangents as Values must record their graph, even inside no_grad()
        for output in outputs:
            for node in topological_order(output):
                if node in known or node.is_leaf:
                    continue
                known[node] = _tangent(node, known, as_values)
    return [known.get(y, 0.0) for y in outputs]


def _tangent(node: Value, known: dict[Value, Any], as_values: bool) -> Any:
    """Σ ∂node/∂parent · tangent(parent), skipping parents whose tangent is zero."""
    assert node.op is not None
    moving = [(i, t) for i, t in enumerate(known.get(p) for p in node.parents) if t is not None]
    if as_values:
        moving = [(i, t) for i, t in moving if not (isinstance(t, Value) and _is_zero_constant(t))]
        if not moving:
            return _constant(0.0)
        local = _local_values(node, "push_forward")
        total: Any = None
        for i, t in moving:
            total = _times(t if isinstance(t, Value) else _constant(t), local[i], node, i, total, "push_forward")
        return total
    total = 0.0
    for i, t in moving:
        if t != 0.0:  # a zero tangent adds nothing, even through an infinite derivative
            d = node.local_grads[i]
            new = total + d * t
            if new - new:
                inputs = [p.data for p in node.parents] + list(node.constants)
                raise non_finite_gradient("push_forward", node.op, inputs, i, t, d, total)
            total = new
    return total

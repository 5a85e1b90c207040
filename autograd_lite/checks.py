"""The checks every number passes where it enters, and the errors that say what went wrong.

autograd_lite never returns a silent nan or inf. Every number that enters the
library is checked once, where it enters, by `real`: a finite real number
becomes a Python float, anything else raises naming the call. Every result a
row computes is checked too, and `non_finite_result` is its error; a gradient
that becomes inf or nan is `NonFiniteGradientError`, with the message written
by `non_finite_gradient`, and `checked_chain_rule` is the reverse pass that
finds where. The other modules raise these and only these (or a
builtin exception naming the operation), so one file says how errors read.

>>> real(3, "Value"), real(2.5, "Value")
(3.0, 2.5)
>>> real(float("nan"), "Value")
Traceback (most recent call last):
...
ValueError: Value: expected a finite number, got nan
"""

from __future__ import annotations

import numbers

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:  # for annotations only: the rows are defined above this module, in `primitives`
    from collections.abc import Callable, Hashable, Iterable, Sequence
    from typing import Any

    from .primitives import Primitive

__all__ = [
    "BranchChangedError",
    "NonFiniteGradientError",
    "as_number",
    "checked_backward",
    "checked_chain_rule",
    "finite",
    "node_steps",
    "non_finite_gradient",
    "non_finite_result",
    "real",
    "shown",
]


class NonFiniteGradientError(FloatingPointError):
    """A gradient became inf or nan; the message names the node where it first did.

    Raised by `backward`, `differentiate`, `push_forward`, the derivative
    functions and `Tape.backward`. A zero gradient flowing into an infinite
    local derivative (√x at 0) contributes nothing and raises nothing.
    """


class BranchChangedError(RuntimeError):
    """A comparison made while recording comes out differently on replay: the graph took the other branch."""


def real(x: object, where: str) -> float:
    """`x` as a finite Python float, or an exception naming `where` and what was given.

    Real numbers (bool, int, float, Fraction, numpy's numbers) are converted;
    so is anything with ``.item()`` that gives one, like a numpy scalar or an
    array of one element. A float32 becomes a Python float, so arithmetic never
    quietly drops precision. A Value, an array of several numbers, a string or
    a complex number is refused with a TypeError saying what was expected.
    """
    if type(x) is float:
        f = x
    elif type(x) is int or isinstance(x, numbers.Real):
        try:
            f = float(x)
        except OverflowError:
            bits = int(x).bit_length()  # type: ignore[arg-type]  # a Real that overflows is an int or a ratio
            raise OverflowError(f"{where}: the {type(x).__name__} ({bits} bits) is too large for a float") from None
    elif getattr(type(x), "_record_row", None) is not None:  # a Value (or another recording type)
        raise TypeError(f"{where}: expected a plain number, got a Value (use v.item() for its number)")
    elif getattr(x, "size", 1) != 1 and hasattr(x, "shape"):  # an array of several numbers
        raise TypeError(
            f"{where}: a Value holds one number, got an array of shape {x.shape!r}; "
            f"pass the array to grad() and friends, which give each element a Value of its own"
        )
    elif callable(item := getattr(x, "item", None)) and isinstance(number := item(), numbers.Real):
        return real(number, where)
    else:
        raise TypeError(f"{where}: expected a real number, got {type(x).__name__} {x!r}")
    if f - f:  # nan, or ±inf: for a finite f, f − f is 0.0
        raise ValueError(f"{where}: expected a finite number, got {f!r}")
    return f


def as_number(x: object, where: str) -> float | None:
    """A real number as a finite float (an error naming `where` if it is not finite), or None for anything else.

    What an operator does with its other operand: a number is kept in the
    node, anything else gets NotImplemented, so Python can try the other side.
    """
    # The common cases first, quickly: a finite float, and an int that converts to one.
    if (type(x) is float and not x - x) or (type(x) is int and -1e300 < x < 1e300):
        return float(x)
    if isinstance(x, numbers.Real):
        return real(x, where)
    return None


def finite(x: Any, where: str) -> float:
    """A plain real number as a finite Python float, or an error naming `where` (`real`, for the rows' own inputs)."""
    return x if type(x) is float and not x - x else real(x, where)


def shown(xs: Sequence[Any]) -> str:
    """Inputs for a message: the first six, and how many there are."""
    text = ", ".join(repr(x) for x in xs[:6])
    return text if len(xs) <= 6 else f"{text}, … {len(xs)} inputs"


def non_finite_result(op: Primitive, xs: Sequence[Any], out: float) -> ArithmeticError | ValueError:
    """The error for a result that is inf or nan (inputs are finite, so inf is an overflow)."""
    if op.flips is not None:  # name the row as written, with its inputs in the order written
        op, xs = op.flips, xs[::-1]
    if out != out:
        return ValueError(f"{op.name}: the result is nan for ({shown(xs)})")
    return OverflowError(f"{op.name}: the result is too large for a float ({out!r}) at ({shown(xs)})")


def non_finite_gradient(
    where: str, op: Primitive, inputs: Sequence[float], i: int, flowing: float, local: float, before: float
) -> NonFiniteGradientError:
    """The error for input `i` of a node of `op` at `inputs`, with `flowing` the gradient coming in."""
    if op.flips is not None:  # name the row as written, with its inputs in the order written
        op, inputs, i = op.flips, inputs[::-1], len(inputs) - 1 - i
    at = f"{op.name}({shown(inputs)})"
    if local - local:
        why = f"its derivative with respect to input {i} is infinite there, and a gradient of {flowing!r} flows in"
    elif (local * flowing) - (local * flowing):
        why = f"the gradient {flowing!r} flowing in × the local derivative {local!r} of input {i} overflows a float"
    else:
        why = f"the gradient of input {i} overflows when {before!r} and {local * flowing!r} are added"
    return NonFiniteGradientError(f"{where}: the gradient becomes non-finite at {at}: {why}")


def checked_chain_rule(
    root: Hashable,
    seed: float,
    steps: Iterable[tuple[Hashable, Primitive, Sequence[Hashable], Sequence[float], Sequence[float]]],
    data: Callable[[Any], float],
    where: str,
    visit: Callable[[Any, float], None] | None = None,
) -> dict[Any, float]:
    """The chain rule with every gradient checked: the exact, slower path.

    `steps` gives every computed node from the output back to the leaves, as
    (node, its primitive, its parents, its local derivatives, its constants);
    `data(node)` is a node's number, for the message. Returns the gradient of every node
    reached. A zero gradient adds nothing, even through an infinite local
    derivative; any other gradient that becomes inf or nan raises
    `NonFiniteGradientError` at the first node where it does. `visit(node, g)`,
    if given, is called with each node and the gradient flowing into it, just
    before that gradient is passed on (`autograd_lite.explain` shows the pass so).
    """
    grads: dict[Any, float] = {root: seed}
    for node, op, parents, local, constants in steps:
        g = grads.get(node, 0.0)
        if visit is not None:
            visit(node, g)
        if g == 0.0:
            continue
        for i, (parent, d) in enumerate(zip(parents, local)):
            before = grads.get(parent, 0.0)
            total = before + d * g
            if total - total:
                inputs = [data(p) for p in parents] + list(constants)
                raise non_finite_gradient(where, op, inputs, i, g, d, before)
            grads[parent] = total
    return grads


def node_steps(order: Sequence[Any]) -> Iterable[tuple[Any, Primitive, Any, Any, Any]]:
    """The computed Values of a topological `order`, from the output back, as `checked_chain_rule` reads them."""
    return ((n, n.op, n.parents, n.local_grads, n.constants) for n in reversed(order) if n.op is not None)


def checked_backward(order: Sequence[Any], leaves: Sequence[Any], before: Sequence[float], seed: float) -> None:
    """`Value.backward` met an inf or nan: the pass again, checked, raises at the node where it first appeared.

    The checked pass sums a leaf's gradient before adding it to the one the
    leaf held (`before`), so it may come out finite after all: then its
    result stands. (`backward` puts every ``.grad`` back when this raises.)
    """
    grads = checked_chain_rule(order[-1], seed, node_steps(order), lambda node: node.data, "backward")
    summed = [old + grads.get(leaf, 0.0) for leaf, old in zip(leaves, before)]
    for leaf, old, g in zip(leaves, before, summed):
        if g - g:
            raise NonFiniteGradientError(
                f"backward: the gradient {old!r} of the leaf Value(data={leaf.data!r}) overflows "
                f"when {grads[leaf]!r} is added to it"
            )
    for node in order:
        if not node.is_leaf:
            node.grad = grads.get(node, 0.0)
    for leaf, g in zip(leaves, summed):
        leaf.grad = g

"""Derivatives as functions: `grad`, `value_and_grad`, `jacobian`, `hessian`, `hvp`, `jvp`.

Each takes a function of Values and returns a new function that computes
derivatives. They nest to any order, because a gradient is itself a `Value`
whenever something outside may differentiate it again:

>>> from autograd_lite import Value
>>> f = lambda x: x ** 4
>>> grad(f)(2.0)                  # 4x³
32.0
>>> grad(grad(f))(2.0)            # 12x²
48.0
>>> grad(grad(grad(f)))(2.0)      # 24x
48.0

Called with plain numbers at the top level, they return plain floats.

How nesting works: every call lifts the arguments it differentiates to fresh
Values, runs `f`, and reads the derivatives off the recorded graph. At the top
level that is one reverse pass with gradients as floats (`differentiate` with
``create_graph=False``: no Value's ``.grad`` changes). Inside another
derivative (an argument is a Value, or an outer `grad` is running `f`), it is
`differentiate()`, whose gradients are Values with graphs of their own, built
from the same table of primitives, so the outer call can differentiate them.
Each argument gets a fresh node, so a derivative with respect to one use of a
variable never mixes with another use of it (no *perturbation confusion*).
"""

from __future__ import annotations

import numbers
from contextvars import ContextVar
from typing import TYPE_CHECKING

from .engine import IDENTITY, Value, apply, data_of, differentiate, enable_grad, push_forward

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    Function = Callable[..., Any]
    ArgNums = int | Sequence[int] | None

__all__ = ["grad", "hessian", "hvp", "jacobian", "jvp", "value_and_grad"]

# How many derivative calls are running a user's function right now. Inside
# one, results must stay Values even for plain-number arguments, because the
# function may close over a Value of the outer call.
_depth: ContextVar[int] = ContextVar("autograd_lite_derivative_depth", default=0)


def _positions(argnums: ArgNums, nargs: int, name: str) -> tuple[int, ...]:
    """The argument positions to differentiate, checked against the call."""
    if argnums is None:
        chosen: tuple[Any, ...] = tuple(range(nargs))
    elif isinstance(argnums, int) and not isinstance(argnums, bool):
        chosen = (argnums,)
    elif isinstance(argnums, (tuple, list)):
        chosen = tuple(argnums)
    else:
        raise TypeError(f"{name}: argnums must be an int or a tuple of ints, got {type(argnums).__name__} {argnums!r}")
    if not chosen:
        what = "argnums is empty" if argnums is not None else "the function was called with no arguments"
        raise ValueError(f"{name}: {what}, so there is nothing to differentiate")
    for i in chosen:
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError(f"{name}: argnums must be ints, got {i!r}")
        if not -nargs <= i < nargs:
            raise IndexError(f"{name}: argnums {i} is out of range for a call with {nargs} argument(s)")
    return tuple(i % nargs for i in chosen)


class _Call:
    """One evaluation of `f` with chosen arguments lifted to fresh Values."""

    def __init__(self, f: Function, args: Sequence[Any], positions: tuple[int, ...], name: str) -> None:
        self.nested = _depth.get() > 0 or any(isinstance(args[i], Value) for i in positions)
        call_args = list(args)
        for i in positions:
            a = args[i]
            if not isinstance(a, (Value, numbers.Real)):
                raise TypeError(f"{name}: argument {i} must be a number or a Value, got {type(a).__name__} {a!r}")
            # A fresh node per argument: derivatives are taken with respect to
            # this use of the argument only (identity has derivative 1).
            call_args[i] = apply(IDENTITY, a) if isinstance(a, Value) else Value(data_of(a, name, f"argument {i}"))
        self.inputs: list[Value] = [call_args[i] for i in positions]
        token = _depth.set(_depth.get() + 1)
        try:
            with enable_grad():  # derivatives need the graph, even when called inside no_grad()
                self.output = f(*call_args)
        finally:
            _depth.reset(token)
        self.name = name

    def scalar_output(self) -> Value:
        out = self.output
        if isinstance(out, Value):
            return out
        if isinstance(out, numbers.Real) and not isinstance(out, bool):
            return Value(data_of(out, self.name, "the result"))  # a constant function: every derivative is 0
        raise TypeError(
            f"{self.name}: the function must return a scalar Value or number, got {type(out).__name__} {out!r}"
            + (" (for a function with several outputs, use jacobian)" if isinstance(out, (list, tuple)) else "")
        )

    def gradients(self, out: Value) -> tuple[Any, ...]:
        """d(out)/d(each input): Values when nested, floats at the top level; no ``.grad`` changes."""
        return differentiate(out, self.inputs, create_graph=self.nested)

    def result(self, v: Any) -> Any:
        """A Value as the caller should see it: itself when nested, else its float."""
        return v if self.nested or not isinstance(v, Value) else v.data


def _shape(gradients: tuple[Any, ...], argnums: ArgNums) -> Any:
    return gradients[0] if isinstance(argnums, int) else gradients


def value_and_grad(f: Function, argnums: ArgNums = 0) -> Function:
    """A function returning ``(f(*args), ∂f/∂args[argnums])`` from one forward and one backward pass.

    `argnums` is an int (one gradient) or a tuple of ints (a tuple of gradients).
    Arguments outside `argnums` reach `f` unchanged (a float stays a float).

    >>> value_and_grad(lambda x, y: x * y, argnums=(0, 1))(3.0, 4.0)
    (12.0, (4.0, 3.0))
    """

    return _value_and_grad(f, argnums, "value_and_grad")


def _value_and_grad(f: Function, argnums: ArgNums, name: str) -> Function:
    """`value_and_grad`, with errors naming `name` (the function the user called)."""

    def value_and_gradient(*args: Any) -> tuple[Any, Any]:
        call = _Call(f, args, _positions(argnums, len(args), name), name)
        out = call.scalar_output()
        return call.result(out), _shape(call.gradients(out), argnums)

    return value_and_gradient


def grad(f: Function, argnums: ArgNums = 0) -> Function:
    """A function computing the derivative of `f` with respect to argument `argnums`.

    `argnums` is an int or a tuple of ints (then a tuple is returned). Nest it
    for higher derivatives: ``grad(grad(f))`` is the second derivative.

    >>> cube = lambda x: x ** 3
    >>> grad(cube)(2.0), grad(grad(cube))(2.0), grad(grad(grad(cube)))(2.0)
    (12.0, 12.0, 6.0)
    """

    return _grad(f, argnums, "grad")


def _grad(f: Function, argnums: ArgNums, name: str) -> Function:
    """`grad`, with errors naming `name`."""

    def gradient(*args: Any) -> Any:
        return _value_and_grad(f, argnums, name)(*args)[1]

    return gradient


def jacobian(f: Function, argnums: ArgNums = None) -> Function:
    """A function computing the matrix ``J[i][j] = ∂fᵢ/∂xⱼ`` (a list of rows).

    `f` returns a list or tuple of Values (a single scalar gives one row); by
    default every argument is differentiated.

    >>> jacobian(lambda x, y: [x * y, x + y])(2.0, 3.0)
    [[3.0, 2.0], [1.0, 1.0]]
    """

    return _jacobian(f, argnums, "jacobian")


def _jacobian(f: Function, argnums: ArgNums, name: str) -> Function:
    """`jacobian`, with errors naming `name`."""

    def jacobian_matrix(*args: Any) -> list[list[Any]]:
        call = _Call(f, args, _positions(argnums, len(args), name), name)
        outputs = call.output if isinstance(call.output, (list, tuple)) else [call.output]
        rows = []
        for i, y in enumerate(outputs):
            if not isinstance(y, (Value, int, float)):
                raise TypeError(f"{name}: output {i} must be a Value or a number, got {type(y).__name__} {y!r}")
            y = y if isinstance(y, Value) else Value(y)
            rows.append([call.result(d) for d in differentiate(y, call.inputs, create_graph=call.nested)])
        return rows

    return jacobian_matrix


def hessian(f: Function, argnums: ArgNums = None) -> Function:
    """A function computing ``H[i][j] = ∂²f/∂xᵢ∂xⱼ``: the Jacobian of the gradient.

    >>> hessian(lambda x, y: x * x * y)(1.0, 2.0)    # [[2y, 2x], [2x, 0]]
    [[4.0, 2.0], [2.0, 0.0]]
    """

    def hessian_matrix(*args: Any) -> list[list[Any]]:
        positions = _positions(argnums, len(args), "hessian")
        # Differentiate the chosen arguments in both passes; the others stay fixed.
        matrix: list[list[Any]] = _jacobian(_grad(f, positions, "hessian"), positions, "hessian")(*args)
        return matrix

    return hessian_matrix


def jvp(f: Function, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Forward mode: ``(f(*primals), directional derivative of f along tangents)``.

    One evaluation of `f` records the graph; the tangents are then pushed
    forward through it with the local derivatives of the table of primitives.
    If `f` returns a list or tuple, both results are tuples.

    >>> jvp(lambda x, y: x * y, (3.0, 4.0), (1.0, 0.0))     # ∂(xy)/∂x = y
    (12.0, 4.0)
    """
    return _jvp(f, primals, tangents, "jvp")


def _jvp(f: Function, primals: Sequence[Any], tangents: Sequence[Any], name: str) -> tuple[Any, Any]:
    """`jvp`, with errors naming `name`."""
    for what, given in (("primals", primals), ("tangents", tangents)):
        if not isinstance(given, (tuple, list)):
            raise TypeError(
                f"{name}: {what} must be a tuple or list with one entry per argument, got {type(given).__name__} "
                f"{given!r} (write ({given!r},) for one argument)"
            )
    if len(primals) != len(tangents):
        raise ValueError(f"{name}: got {len(primals)} primals but {len(tangents)} tangents")
    if not primals:
        raise ValueError(f"{name}: no primals, so there is nothing to differentiate")
    for i, t in enumerate(tangents):
        if not isinstance(t, Value):
            data_of(t, name, f"tangent {i}")
    call = _Call(f, primals, tuple(range(len(primals))), name)
    many = isinstance(call.output, (list, tuple))
    outputs = list(call.output) if many else [call.scalar_output()]
    outputs = [y if isinstance(y, Value) else Value(y) for y in outputs]
    seeds: list[Any] = [t if isinstance(t, Value) or not call.nested else Value(t) for t in tangents]
    pushed = push_forward(outputs, dict(zip(call.inputs, seeds)))
    values = [call.result(y) for y in outputs]
    derivatives = [call.result(d) for d in pushed]
    if many:
        return tuple(values), tuple(derivatives)
    return values[0], derivatives[0]


def hvp(f: Function) -> Callable[[Sequence[Any], Sequence[Any]], list[Any]]:
    """A function computing the Hessian-vector product ``H·v`` without forming ``H``.

    Forward mode over reverse mode: the directional derivative of the gradient
    along `v`, one gradient evaluation's worth of work.

    >>> hvp(lambda x, y: x * x * y)((1.0, 2.0), (1.0, 0.0))    # first column of H
    [4.0, 2.0]
    """

    def product(args: Sequence[Any], vector: Sequence[Any]) -> list[Any]:
        for what, given in (("the arguments", args), ("the vector", vector)):
            if not isinstance(given, (tuple, list)):
                raise TypeError(f"hvp: {what} must be a tuple or list, got {type(given).__name__} {given!r}")
        if len(args) != len(vector):
            raise ValueError(f"hvp: got {len(args)} arguments but a vector of length {len(vector)}")
        everything = tuple(range(len(args)))
        _, derivative = _jvp(_grad(f, everything, "hvp"), args, vector, "hvp")
        return list(derivative)

    return product

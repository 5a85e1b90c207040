"""Derivatives as functions: `grad`, `value_and_grad`, `jacobian`, `hessian`, `hvp`, `jvp`, `vjp`.

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

**Many numbers.** Every differentiated argument may be a number or any nesting
of lists, tuples and dicts of numbers, and its derivative has the same shape;
`f` receives the same shape with a Value for every number. Keyword arguments
reach `f` unchanged and are never differentiated (JAX's rule). Matrices
(`jacobian`, `hessian`) are lists of rows: one row per number of the output,
one column per number of the differentiated arguments, both in leaf order
(`autograd_lite.tree`: depth first, dicts in insertion order, arguments in
`argnums` order).

>>> grad(lambda p: p["a"] * p["b"])({"a": 1.0, "b": 2.0})
{'a': 2.0, 'b': 1.0}
>>> hessian(lambda xs: xs[0] * xs[0] * xs[1])([1.0, 2.0])
[[4.0, 2.0], [2.0, 0.0]]

**numpy in, numpy out.** A numpy array argument reaches `f` as an array of
the same shape with ``dtype=object`` holding a Value per number, so numpy's
own functions work on it: arithmetic, ``x.sum()``, ``np.dot``, ``w @ x``, and
``np.exp``, ``np.tanh``, … (numpy calls each Value's method of that name).
Its derivative comes back as a float64 array of its shape (dtype object
inside another derivative, holding Values). `f` may return an object array
of Values (a vector-valued `f`, for `jacobian` and `jvp`), and, where one
number is wanted, a Value, a number, a numpy scalar or a 0-d array. A
matrix is a 2-d float64 array, of shape (numbers of the output, numbers of
the differentiated arguments), whenever a differentiated argument or the
output is or holds an array: for `f` of an array of shape (n,) with a scalar
output, ``jacobian`` is (1, n) and ``hessian`` (n, n); an argument of shape
(a, b) counts as its a·b numbers in row-major order (JAX would give the
shapes (a, b) and (a, b, a, b)). Lists stay lists, and tuples and dicts
what they are. numpy is not imported by the package: arrays are recognised,
and made, with the numpy the caller already has.

>>> import numpy as np
>>> grad(lambda x: (x ** 2).sum())(np.array([1.0, 2.0]))
array([2., 4.])
>>> hessian(lambda x: np.dot(x, x) * x[0])(np.array([1.0, 2.0]))
array([[6., 4.],
       [4., 2.]])

**JAX's names and defaults.** `grad`, `value_and_grad`, `jacobian` and
`hessian` differentiate argument 0 unless `argnums` says otherwise, and take
``has_aux=True`` for an `f` returning ``(output, aux)``. ``vjp(f, *primals)``
is ``(out, vjp_fn)``; ``jvp(f, primals, tangents)`` and ``hvp(f, primals,
tangents)`` take tuples of arguments and of directions, in JAX's order.

How nesting works: every call lifts the numbers it differentiates to fresh
Values, runs `f`, and reads the derivatives off the recorded graph. At the top
level that is one reverse pass with gradients as floats (`differentiate` with
``create_graph=False``: no Value's ``.grad`` changes). Inside another
derivative (an argument holds a Value, or an outer `grad` is running `f`), it
is `differentiate()`, whose gradients are Values with graphs of their own,
built from the same table of primitives, so the outer call can differentiate
them. Each number gets a fresh node, so a derivative with respect to one use of
a variable never mixes with another use of it (no *perturbation confusion*).
"""

from __future__ import annotations

import numbers
from contextvars import ContextVar

from .engine import Value, apply
from .functions import data_of
from .grad_mode import enable_grad
from .higher import differentiate, push_forward
from .primitives import IDENTITY
from .tree import Structure, is_array, tree_flatten, tree_split, tree_unflatten

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    Function = Callable[..., Any]
    ArgNums = int | Sequence[int] | None

__all__ = ["grad", "hessian", "hessian_vector_product", "hvp", "jacobian", "jvp", "value_and_grad", "vjp"]

# How many derivative calls are running a user's function right now. Inside
# one, results must stay Values even for plain-number arguments, because the
# function may close over a Value of the outer call.
_depth: ContextVar[int] = ContextVar("autograd_lite_derivative_depth", default=0)


def _positions(argnums: ArgNums, nargs: int, name: str, keywords: dict[str, Any]) -> tuple[int, ...]:
    """The argument positions to differentiate, checked against the call, negative ones counted from the end.

    A position may come more than once (``(0, 0)``, or ``(0, -2)`` for two
    arguments): it is kept every time, so that each gets its own gradient.
    """
    if argnums is None:
        chosen: tuple[Any, ...] = tuple(range(nargs))
    elif isinstance(argnums, int) and not isinstance(argnums, bool):
        chosen = (argnums,)
    elif isinstance(argnums, (tuple, list)):
        chosen = tuple(argnums)
    else:
        raise TypeError(f"{name}: argnums must be an int or a tuple of ints, got {type(argnums).__name__} {argnums!r}")
    if not chosen:
        what = "argnums is empty" if argnums is not None else "the function was called with no positional arguments"
        raise ValueError(f"{name}: {what}, so there is nothing to differentiate")
    for i in chosen:
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError(f"{name}: argnums must be ints, got {i!r}")
        if not -nargs <= i < nargs:
            note = " (keyword arguments are passed to f unchanged, never differentiated)" if keywords else ""
            raise IndexError(f"{name}: argnums {i} is out of range for a call with {nargs} positional arguments{note}")
    return tuple(i % nargs for i in chosen)


class _Call:
    """One evaluation of `f`, with every number of the chosen arguments lifted to a fresh Value."""

    def __init__(
        self,
        f: Function,
        args: Sequence[Any],
        kwargs: dict[str, Any],
        positions: tuple[int, ...],
        name: str,
        has_aux: bool = False,
    ) -> None:
        self.name = name
        self.nested = _depth.get() > 0
        self.inputs: list[Value] = []  # every lifted number, argument by argument, in leaf order
        self.shapes: list[Structure] = []  # the container of each differentiated argument, in argnums order
        call_args = list(args)
        # An argument asked for twice is lifted once (f sees one Value per number);
        # each request then gets its own copy of that argument's derivatives, as in JAX.
        lifted: dict[int, tuple[slice, Structure]] = {}
        for i in positions:
            if i not in lifted:
                leaves, shape = tree_flatten(args[i], f"{name}: argument {i}")
                self.nested = self.nested or any(isinstance(x, Value) for x in leaves)
                # A fresh node per number: derivatives are taken with respect to
                # this use of it only (identity has derivative 1).
                fresh = [
                    apply(IDENTITY, x) if isinstance(x, Value) else Value(data_of(x, name, f"argument {i}"))
                    for x in leaves
                ]
                lifted[i] = slice(len(self.inputs), len(self.inputs) + len(fresh)), shape
                self.inputs += fresh
                call_args[i] = tree_unflatten(shape, fresh)
            self.shapes.append(lifted[i][1])
        # Where each requested argument's derivatives sit among the lifted inputs; None when nothing repeats.
        self.spans = None if len(lifted) == len(positions) else [lifted[i][0] for i in positions]
        token = _depth.set(_depth.get() + 1)
        try:
            with enable_grad():  # derivatives need the graph, even when called inside no_grad()
                self.output = f(*call_args, **kwargs)
        finally:
            _depth.reset(token)
        self.aux: Any = None
        if has_aux:
            if not (isinstance(self.output, (tuple, list)) and len(self.output) == 2):
                raise TypeError(
                    f"{name}: with has_aux=True the function must return a pair (output, aux), got "
                    f"{type(self.output).__name__} {self.output!r}"
                )
            self.output, self.aux = self.output

    def aux_result(self) -> Any:
        """The aux as the caller should see it: as `f` returned it, its Values as floats at the top level."""
        return self.aux if self.nested else _floats_in(self.aux, set())

    def scalar_output(self) -> Value:
        """The output as one Value: a Value, a number or numpy scalar (a constant), or a 0-d array of one of them."""
        out = self.output
        if is_array(out) and out.shape == ():
            out = out[()]  # numpy's way to take the one item out of a 0-d array
        if isinstance(out, Value):
            return out
        if isinstance(out, numbers.Real) and not isinstance(out, bool):
            return Value(data_of(out, self.name, "the result"))  # a constant function: every derivative is 0
        several = " (for a function with several outputs, use jacobian)"
        if is_array(out):
            raise TypeError(
                f"{self.name}: the function must return a scalar Value or number, got a numpy array of shape "
                f"{out.shape}" + several
            )
        raise TypeError(
            f"{self.name}: the function must return a scalar Value or number, got {type(out).__name__} {out!r}"
            + (several if isinstance(out, (list, tuple, dict)) else "")
        )

    def output_leaves(self) -> tuple[list[Value], Structure]:
        """Every number of the output as a Value, in leaf order, and the output's container."""
        leaves, shape = tree_flatten(self.output, f"{self.name}: the function's result")
        return [y if isinstance(y, Value) else Value(data_of(y, self.name, "the result")) for y in leaves], shape

    def derivatives(self, out: Value) -> list[Any]:
        """d(out)/d(every number of the arguments in argnums order), as the caller should see them.

        An argument listed twice in argnums has its derivatives twice. No ``.grad`` changes.
        """
        flat = [self.result(d) for d in differentiate(out, self.inputs, create_graph=self.nested)]
        return flat if self.spans is None else [d for span in self.spans for d in flat[span]]

    def per_argument(self, flat: Sequence[Any]) -> list[Any]:
        """Split `derivatives` back into the containers of the arguments, one per entry of argnums."""
        return tree_split(self.shapes, flat)

    def result(self, v: Any) -> Any:
        """A Value as the caller should see it: itself when nested, else its float."""
        return v if self.nested or not isinstance(v, Value) else v.data


def _floats_in(aux: Any, open_: set[int]) -> Any:
    """`aux` with each Value in it replaced by its float: itself, or inside lists, tuples, dicts and object arrays.

    Anything else is left as it is, and so is a container with no Value inside
    (the same object comes back). `open_` holds the containers being walked: a
    container met again inside itself is left as it is there.
    """
    if isinstance(aux, Value):
        return aux.data
    if id(aux) in open_:
        return aux
    if is_array(aux):
        if aux.dtype != object:
            return aux
        items = aux.reshape(-1).tolist()
        open_.add(id(aux))
        plain = [_floats_in(x, open_) for x in items]
        open_.discard(id(aux))
        same = all(p is x for p, x in zip(plain, items))
        return aux if same else tree_unflatten(Structure.array(aux.shape), plain)
    kind = type(aux)
    if kind is dict:
        open_.add(id(aux))
        plain_values = {k: _floats_in(v, open_) for k, v in aux.items()}
        open_.discard(id(aux))
        return aux if all(plain_values[k] is v for k, v in aux.items()) else plain_values
    if kind is list or kind is tuple or (isinstance(aux, tuple) and hasattr(aux, "_fields")):  # a namedtuple too
        open_.add(id(aux))
        plain = [_floats_in(x, open_) for x in aux]
        open_.discard(id(aux))
        if all(p is x for p, x in zip(plain, aux)):
            return aux
        return plain if kind is list else tuple(plain) if kind is tuple else kind(*plain)
    return aux


def _holds_array(structure: Structure) -> bool:
    """Whether a numpy array is, or is somewhere inside, the container `structure` describes."""
    return structure.kind == "array" or any(_holds_array(c) for c in structure.children)


def value_and_grad(f: Function, argnums: ArgNums = 0, has_aux: bool = False) -> Function:
    """A function returning ``(f(*args), ∂f/∂args[argnums])`` from one forward and one backward pass.

    `argnums` is an int (one gradient, shaped like that argument) or a tuple of
    ints (a tuple of gradients, one per entry). Negative positions count from
    the end; a position listed twice, as ``(0, 0)`` or ``(0, -2)`` for two
    arguments, gets its gradient twice (as in JAX), and `jacobian` and
    `hessian` then repeat its columns. Arguments outside `argnums`, and
    keyword arguments, reach `f` unchanged (a float stays a float).

    With ``has_aux=True``, as in JAX, `f` returns a pair ``(output, aux)``:
    only the output is differentiated, and the result is ``((value, aux),
    gradient)``. The aux comes back as `f` returned it, except that at the
    top level every Value in it (itself, or inside lists, tuples, dicts and
    object arrays) is its float, as every result is there; inside another
    derivative it keeps its Values, so the outer one can differentiate them.

    >>> value_and_grad(lambda x, y: x * y, argnums=(0, 1))(3.0, 4.0)
    (12.0, (4.0, 3.0))
    >>> value_and_grad(lambda x, y: x * y, argnums=(0, -2))(3.0, 4.0)
    (12.0, (4.0, 4.0))
    >>> value_and_grad(lambda xs, scale: scale * sum(x * x for x in xs))([1.0, 2.0], scale=0.5)
    (2.5, [1.0, 2.0])
    >>> value_and_grad(lambda x: (x * x, {"half": x / 2}), has_aux=True)(3.0)
    ((9.0, {'half': 1.5}), 6.0)
    """
    return _value_and_grad(f, argnums, "value_and_grad", has_aux)


def _value_and_grad(f: Function, argnums: ArgNums, name: str, has_aux: bool = False) -> Function:
    """`value_and_grad`, with errors naming `name` (the function the user called)."""

    def value_and_gradient(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        call = _Call(f, args, kwargs, _positions(argnums, len(args), name, kwargs), name, has_aux)
        out = call.scalar_output()
        gradients = call.per_argument(call.derivatives(out))
        gradient = gradients[0] if isinstance(argnums, int) else tuple(gradients)
        value = call.result(out)
        return ((value, call.aux_result()) if has_aux else value), gradient

    return value_and_gradient


def grad(f: Function, argnums: ArgNums = 0, has_aux: bool = False) -> Function:
    """A function computing the derivative of `f` with respect to argument `argnums`.

    `argnums` is an int or a tuple of ints (then a tuple is returned). Nest it
    for higher derivatives: ``grad(grad(f))`` is the second derivative. The
    gradient has the shape of the argument:

    >>> cube = lambda x: x ** 3
    >>> grad(cube)(2.0), grad(grad(cube))(2.0), grad(grad(grad(cube)))(2.0)
    (12.0, 12.0, 6.0)
    >>> grad(lambda xs: sum(x * x for x in xs))([1.0, 2.0])
    [2.0, 4.0]

    With ``has_aux=True`` `f` returns ``(output, aux)`` and the result is
    ``(gradient, aux)``, as in JAX; the aux is what `value_and_grad` says.

    >>> grad(lambda x: (x ** 3, ["cube", x ** 3]), has_aux=True)(2.0)
    (12.0, ['cube', 8.0])
    """
    return _grad(f, argnums, "grad", has_aux)


def _grad(f: Function, argnums: ArgNums, name: str, has_aux: bool = False) -> Function:
    """`grad`, with errors naming `name`."""

    def gradient(*args: Any, **kwargs: Any) -> Any:
        value, g = _value_and_grad(f, argnums, name, has_aux)(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return gradient


def jacobian(f: Function, argnums: ArgNums = 0, has_aux: bool = False) -> Function:
    """A function computing the matrix ``J[i][j] = ∂fᵢ/∂xⱼ`` (a list of rows).

    Row i is the i-th number of the output (a scalar gives one row; a list,
    tuple or dict of Values one row per number, in leaf order); column j is the
    j-th number of the differentiated arguments, all of them in `argnums`
    order, each in leaf order. `argnums` is 0 by default, as for `grad` (and
    in JAX); a tuple of positions puts the columns of all of them side by side
    in one matrix, and ``None`` stands for every positional argument. With
    ``has_aux=True`` `f` returns ``(output, aux)`` and the result is
    ``(J, aux)``, as in JAX; the aux is what `value_and_grad` says.

    >>> jacobian(lambda x, y: [x * y, x + y])(2.0, 3.0)
    [[3.0], [1.0]]
    >>> jacobian(lambda x, y: [x * y, x + y], argnums=(0, 1))(2.0, 3.0)
    [[3.0, 2.0], [1.0, 1.0]]
    >>> jacobian(lambda v: {"sum": v[0] + v[1], "product": v[0] * v[1]})([2.0, 3.0])
    [[1.0, 1.0], [3.0, 2.0]]
    """
    return _jacobian(f, argnums, "jacobian", has_aux)


def _jacobian(f: Function, argnums: ArgNums, name: str, has_aux: bool = False) -> Function:
    """`jacobian`, with errors naming `name`."""

    def jacobian_matrix(*args: Any, **kwargs: Any) -> Any:
        call = _Call(f, args, kwargs, _positions(argnums, len(args), name, kwargs), name, has_aux)
        outputs, shape = call.output_leaves()
        rows = [call.derivatives(y) for y in outputs]
        matrix: Any = rows
        if any(_holds_array(s) for s in [shape, *call.shapes]):
            columns = sum(s.size for s in call.shapes)
            matrix = tree_unflatten(Structure.array((len(rows), columns)), [d for row in rows for d in row])
        return (matrix, call.aux_result()) if has_aux else matrix

    return jacobian_matrix


def hessian(f: Function, argnums: ArgNums = 0, has_aux: bool = False) -> Function:
    """A function computing ``H[i][j] = ∂²f/∂xᵢ∂xⱼ``: the Jacobian of the gradient.

    For n numbers in the differentiated arguments (n scalars, or a list of n,
    or any containers holding n numbers in all), H is n rows of n, in leaf order.
    `argnums` is 0 by default, as for `grad` (and in JAX): ∂²f/∂x² for
    ``f(x, y)``; a tuple of positions gives the Hessian over all of them, and
    ``None`` over every positional argument. With ``has_aux=True`` `f`
    returns ``(output, aux)`` and the result is ``(H, aux)``, as in JAX.

    >>> hessian(lambda x, y: x * x * y)(1.0, 2.0)    # ∂²f/∂x² = 2y
    [[4.0]]
    >>> hessian(lambda x, y: x * x * y, argnums=(0, 1))(1.0, 2.0)    # [[2y, 2x], [2x, 0]]
    [[4.0, 2.0], [2.0, 0.0]]
    """

    def hessian_matrix(*args: Any, **kwargs: Any) -> Any:
        positions = _positions(argnums, len(args), "hessian", kwargs)
        # Differentiate the chosen arguments in both passes; the others stay fixed.
        return _jacobian(_grad(f, positions, "hessian", has_aux), positions, "hessian", has_aux)(*args, **kwargs)

    return hessian_matrix


def jvp(f: Function, primals: Sequence[Any], tangents: Sequence[Any], **kwargs: Any) -> Any:
    """Forward mode: ``(f(*primals), directional derivative of f along tangents)``.

    One evaluation of `f` records the graph; the tangents are then pushed
    forward through it with the local derivatives of the table of primitives.
    `tangents` has one entry per primal, of the same shape. Both results have
    the shape of `f`'s output. Keyword arguments go to `f` unchanged.

    >>> jvp(lambda x, y: x * y, (3.0, 4.0), (1.0, 0.0))     # ∂(xy)/∂x = y
    (12.0, 4.0)
    >>> jvp(lambda xs: [xs[0] * xs[1], xs[0]], ([3.0, 4.0],), ([1.0, 0.0],))
    ([12.0, 3.0], [4.0, 1.0])
    """
    return _jvp(f, primals, tangents, kwargs, "jvp")


def _jvp(f: Function, primals: Sequence[Any], tangents: Sequence[Any], kwargs: dict[str, Any], name: str) -> Any:
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
    seeds: list[Any] = []
    for i, (primal, tangent) in enumerate(zip(primals, tangents)):
        expected = tree_flatten(primal, f"{name}: argument {i}")[1]  # the primal first: its errors come first
        leaves, shape = tree_flatten(tangent, f"{name}: tangent {i}")
        if shape.lists() != expected.lists():  # a list may stand for an array of its shape, and back
            raise ValueError(f"{name}: tangent {i} has the shape {shape!r}, but its primal has {expected!r}")
        seeds += [t if isinstance(t, Value) else data_of(t, name, f"tangent {i}") for t in leaves]
    call = _Call(f, primals, kwargs, tuple(range(len(primals))), name)
    outputs, shape = call.output_leaves()
    if call.nested:
        seeds = [t if isinstance(t, Value) else Value(t) for t in seeds]
    pushed = push_forward(outputs, dict(zip(call.inputs, seeds)))
    values = tree_unflatten(shape, [call.result(y) for y in outputs])
    return values, tree_unflatten(shape, [call.result(d) for d in pushed])


def vjp(f: Function, *primals: Any, has_aux: bool = False, **kwargs: Any) -> tuple[Any, ...]:
    """Reverse mode as JAX gives it: ``(f(*primals), vjp_fn)``, and ``vjp_fn(cotangent)`` is cotangent · ∂f/∂primals.

    `f` is evaluated once, its graph recorded. ``vjp_fn`` takes a cotangent
    shaped like `f`'s output (a number for a scalar output) and returns a
    tuple with one entry per primal, shaped like it: Σₖ cotangentₖ · ∂outₖ/∂x
    for every number x of that primal, from one reverse pass. It may be called
    any number of times; it changes no Value's ``.grad``. With
    ``has_aux=True`` `f` returns ``(output, aux)`` and the result is ``(out,
    vjp_fn, aux)``, the aux as `value_and_grad` says. Every primal is
    differentiated; keyword arguments reach `f` unchanged.

    >>> out, vjp_fn = vjp(lambda x, y: [x * y, x + y], 2.0, 3.0)
    >>> out, vjp_fn([1.0, 0.0]), vjp_fn([1.0, 10.0])
    ([6.0, 5.0], (3.0, 2.0), (13.0, 12.0))
    """
    if not primals:
        raise ValueError("vjp: no primals, so there is nothing to differentiate")
    call = _Call(f, primals, kwargs, tuple(range(len(primals))), "vjp", has_aux)
    outputs, shape = call.output_leaves()
    out = tree_unflatten(shape, [call.result(y) for y in outputs])

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        leaves, given = tree_flatten(cotangent, "vjp: the cotangent")
        if given.lists() != shape.lists():  # a list may stand for an array of its shape, and back
            raise ValueError(f"vjp: the cotangent has the shape {given!r}, but the function's result has {shape!r}")
        cotangents = [c if isinstance(c, Value) else data_of(c, "vjp", "the cotangent") for c in leaves]
        # Values in the cotangent (an outer derivative through it) need gradients as Values too.
        nested = call.nested or any(isinstance(c, Value) for c in cotangents)
        total: Value | None = None
        with enable_grad():  # Σ cotangent · output, recorded on f's graph: one reverse pass gives every product
            for c, y in zip(cotangents, outputs):
                total = c * y if total is None else total + c * y
        if total is None:  # an output with no numbers: every product is 0
            total = Value(0.0)
        flat = differentiate(total, call.inputs, create_graph=nested)
        return tuple(tree_split(call.shapes, [d if nested or not isinstance(d, Value) else d.data for d in flat]))

    return (out, vjp_fn, call.aux_result()) if has_aux else (out, vjp_fn)


def hvp(f: Function, primals: Sequence[Any], tangents: Sequence[Any], **kwargs: Any) -> Any:
    """The Hessian-vector product ``H·v`` at `primals` along `tangents`, without forming ``H``.

    JAX's order, as its documentation defines ``hvp(f, primals, tangents)``
    (``jvp(grad(f), primals, tangents)[1]``): `primals` is the tuple of `f`'s
    arguments and `tangents` the vector, one entry per primal of the same
    shape. Every primal is differentiated, so ``H`` is the Hessian over all of
    them. For one primal the product has its shape (``hvp(f, (x,), (v,))``
    is shaped like ``x``, as in JAX's docs); for several it is a tuple with one
    entry per primal, shaped like it (the first entry is what JAX's docs'
    ``hvp`` gives for several primals). Forward mode over reverse mode: the
    directional derivative of the gradient, one gradient evaluation's worth
    of work. Keyword arguments go to `f` unchanged. (`hessian_vector_product`
    is the same product in scipy's ``hessp(x, p)`` order.)

    >>> hvp(lambda x, y: x * x * y, (1.0, 2.0), (1.0, 0.0))    # first column of H = [[2y, 2x], [2x, 0]]
    (4.0, 2.0)
    >>> hvp(lambda xs: xs[0] * xs[0] * xs[1], ([1.0, 2.0],), ([0.0, 1.0],))
    [2.0, 0.0]
    """
    return _hvp(f, primals, tangents, kwargs, "hvp")


def _hvp(f: Function, primals: Sequence[Any], tangents: Sequence[Any], kwargs: dict[str, Any], name: str) -> Any:
    """`hvp`, with errors naming `name`."""
    every = tuple(range(len(primals))) if isinstance(primals, (tuple, list)) else (0,)  # _jvp checks primals
    _, product = _jvp(_grad(f, every, name), primals, tangents, kwargs, name)
    return product[0] if len(product) == 1 else product


def hessian_vector_product(f: Function) -> Callable[..., Any]:
    """``H(x)·p`` as ``(x, p, *args) -> numbers``: the ``hessp`` that ``scipy.optimize.minimize`` calls.

    `f` takes the parameters `x` (a list, or the numpy array scipy passes,
    which `f` receives as an array of Values) and any extra ``args`` of the
    minimization, which are not differentiated. The product is a flat list of
    floats, or a flat float64 array when `p` is an array (scipy does
    arithmetic on it). With `grad` for ``jac``, scipy gets exact
    first and second derivatives:

    ``minimize(f, x0, jac=grad(f), hessp=hessian_vector_product(f), method="trust-ncg")``

    >>> hessian_vector_product(lambda v: v[0] * v[0] * v[1])([1.0, 2.0], [1.0, 0.0])
    [4.0, 2.0]
    """

    def hessp(x: Any, p: Any, *args: Any) -> Any:
        product = _hvp(lambda v: f(v, *args), (x,), (p,), {}, "hessian_vector_product")
        flat = [data_of(h, "hessian_vector_product", "the product") for h in tree_flatten(product)[0]]
        # A numpy array in, a (flat) numpy array out.
        return tree_unflatten(Structure.array((len(flat),)), flat) if is_array(p) else flat

    return hessp

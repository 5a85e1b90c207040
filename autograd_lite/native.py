"""The optional native backend of `jit`: a traced program compiled to machine code by numba.

``al.jit(fn, backend="numba")`` writes the same program as the Python backend
(`autograd_lite.codegen.write_function`, one line per node, guards inline),
in the form numba wants: floats in, one tuple of floats out (a status first).
numba compiles it with ``njit``; a rows' value function becomes the `math`
function it is where there is one (numba knows them), and is compiled itself
otherwise. Every check stays where it was: the program still tests each guard
and the finiteness of every number, and on either signal the Python side
traces again or runs the eager engine, exactly as with the Python backend. A
program numba cannot compile (a row it cannot take) runs on the Python
backend instead, and `Jitted.note` names the rows.

numba comes from the ``numba`` extra.
"""

from __future__ import annotations

import importlib
import math

from .codegen import _literal, write_function
from .engine import Value
from .primitives import power_by

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .primitives import Primitive

__all__ = ["NotNative", "compiled", "native_source"]

# Rows whose value function is, but for its checks, a function of `math` (the checks stay: an inf or nan
# makes the program's status say so, and the eager engine then raises its own error).
_MATH: dict[str, Any] = {
    name: getattr(math, name)
    for name in ("exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "sin", "cos", "tan", "asin", "acos",
                 "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "lgamma", "gamma",
                 "atan2", "hypot", "floor", "ceil", "trunc", "fmod", "copysign")
}  # fmt: skip


# Rows whose value function checks its inputs in Python (a division by zero): the operator itself, for numba
# (a zero divisor then raises ZeroDivisionError, which the program's caller treats as the eager engine would).
_OPERATORS: dict[str, Callable[..., float]] = {"div": lambda a, b: a / b, "pow": lambda a, b: a**b}


def _numba() -> Any:
    try:
        return importlib.import_module("numba")
    except ImportError:
        raise ImportError("jit(backend='numba') needs numba: pip install 'autograd_lite[numba]'") from None


def _native_function(numba: Any, op: Primitive) -> Callable[..., Any]:
    """The row's value function as numba can call it: a `math` function, a power, or the function compiled."""
    base, flipped = (op.flips, True) if op.flips is not None else (op, False)
    if base.made_by[0] is power_by:
        c = float(base.made_by[1])
        return numba.njit(lambda a: a**c)  # type: ignore[no-any-return]
    f: Any = _MATH.get(base.name) or {"abs": abs, "maximum": max, "minimum": min}.get(base.name)
    if base.name in _OPERATORS:
        f = numba.njit(_OPERATORS[base.name])
    elif f is None:
        f = numba.njit(base.value)
    if flipped:
        g = f
        return numba.njit(lambda a, b: g(b, a))  # type: ignore[no-any-return]
    return f  # type: ignore[no-any-return]


def native_source(
    order: Sequence[Value], params: Sequence[Value], guarded: Sequence[Any], outputs: Sequence[Any]
) -> tuple[str, dict[str, tuple[Any, ...]]]:
    """The program in numba's form (see the module docstring): its source and what its names stand for."""

    def result(name: Callable[[Any], str]) -> str:
        return ", ".join(name(x) if isinstance(x, Value) else _literal(float(x)) for x in outputs)

    source, spec, _ = write_function(order, params, guarded, result, flat=len(outputs))
    return source, spec


class NotNative(Exception):
    """numba could not compile a program: the message says why (the caller runs it another way)."""


def compiled(source: str, spec: dict[str, tuple[Any, ...]], arity: int) -> Callable[..., Any]:
    """The program compiled by numba for `arity` floats; `NotNative`, saying why, where numba cannot compile it."""
    numba = _numba()
    namespace: dict[str, Any] = {}
    rows: list[str] = []
    try:
        for name, entry in spec.items():
            if entry[0] == "row":
                rows.append(entry[1].name)
                namespace[name] = _native_function(numba, entry[1])
            else:
                namespace[name] = entry[1]
        exec(compile(source, "<autograd_lite native program>", "exec"), namespace)  # written by write_function
        program = numba.njit(namespace["program"])
        program.compile((numba.float64,) * arity)
    except Exception as error:  # numba's typing and lowering errors have no common base of their own
        called = f" (it calls the rows {sorted(set(rows))})" if rows else ""
        raise NotNative(f"numba could not compile the program{called}: {type(error).__name__}") from None
    return program  # type: ignore[no-any-return]

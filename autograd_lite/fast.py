"""The eager engine's fast path: the rows most programs spend their time in, each written out as a function.

`autograd_lite.engine` records a node through one general function, for any
row, in three cases: one Value (``tanh(x)``), two Values (``x * y``), a Value
and a plain number kept in the node (``x * 0.5``). It calls the row's value
and derivative functions and builds the node from lists. For each row of the
table, this module writes each case out, at its first use, as its own small
function, with the row's value and local derivatives inline, read off the row
by `autograd_lite.rowtext` exactly as `compile()` reads it (so there is still
one place per op). That saves the calls into the row: about 280 ns an
operation instead of 450 (or more: the general path builds lists). A row
whose derivatives cannot be read (they compare their input) keeps the general
function.

Every operator, method and function of the library reaches a row through one
of three tables (`EagerFunctions`): ``table[row]`` is the function that
records `row` for that case, written at its first use (so importing compiles
nothing), or the general one for a row that is not written out. A written
function falls back on the general one for every error, so the two behave
exactly alike; tests/test_codegen.py checks each against it.

This module alone knows the layout of a node's slots that the written code
fills in (see `autograd_lite.engine.Value`).
"""

from __future__ import annotations

import functools
import gc
import math

from .checks import non_finite_result
from .grad_mode import recording
from .primitives import COMMUTATIVE, PRIMITIVES, _row_named, flipped, power_by, user_row
from .rowtext import Tracer

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .primitives import Primitive


__all__ = ["CollectorPaused", "EagerFunctions", "Powers"]

#: How many constant exponents (``x ** 2``, ``x ** 0.5``) get a function of their own: a program uses a few.
POWERS = 32
#: How many rows made with `primitive` get one (a program that makes rows in a loop must not grow the table).
USER_ROWS = 256

_ARGUMENTS = {"unary": ("a",), "binary": ("a", "b"), "number": ("a", "c")}
_INPUTS = {"unary": ("x",), "binary": ("x", "y"), "number": ("x", "c")}
# How each case fills the node's slots: parents in _a and _b (a plain number in _b), derivatives in _da and _db.
_SLOTS = {
    "unary": "node._a, node._b, node._da = a, None, da",
    "binary": "node._a, node._b, node._da, node._db = a, b, da, db",
    "number": "node._a, node._b, node._da = a, c, da",
}
_TRACER = Tracer()  # one tracer for every written function, so the names they call stay distinct


class EagerFunctions:
    """The functions that record rows for one case, each written at its first use.

    `kind` is the case ("unary", "binary" or "number"); `general` is the
    engine's general function for it, called as ``general(row, *args)``;
    `names` are the engine's names the written code uses (``Value``, ``new``
    for making a node, ``constant`` for a result inside ``no_grad()``).

    `table` is a plain dict, so that ``table[row]`` is one quick lookup on
    the hot path. It holds every row of the table from the start, each as a
    stand-in that writes the row's function at the first call and puts it in
    its place. ``functions[row]`` serves any row: a user's, a family's.
    """

    def __init__(self, kind: str, general: Callable[..., Any], names: dict[str, Any]) -> None:
        self.kind, self.general, self.names = kind, general, names
        self.powers = 0  # constant-exponent rows written so far
        self.user_rows = 0  # rows made with `primitive` written so far
        rows = [row for row in PRIMITIVES.values() if row.arity == (1 if kind == "unary" else 2)]
        if kind == "number":  # a plain number on the left: the row with its inputs swapped
            rows += [flipped(row) for row in rows if row not in COMMUTATIVE]
        self.table: dict[Primitive, Callable[..., Any]] = {row: functools.partial(self._first_use, row) for row in rows}

    def _first_use(self, row: Primitive, *args: Any) -> Any:
        function = self.table[row]
        if function.__class__ is functools.partial and function.func == self._first_use:  # still the stand-in
            function = self.table[row] = self.function(row)
        return function(*args)

    def __getitem__(self, row: Primitive) -> Callable[..., Any]:
        function = self.table.get(row)
        if function is None:
            function = self.function(row)
            # Kept: what was written out (the table's rows, the first few exponents and user rows), all bounded.
            # Not kept: other rows of a family (a slope, an exponent, an order), which a program makes without end.
            if not isinstance(function, functools.partial) or (row.flips or row).made_by[0] is _row_named:
                self.table[row] = function
        return function

    def function(self, row: Primitive) -> Callable[..., Any]:
        """The function that records `row`: written out for a row of the table, a user's row or a constant exponent."""
        base = row.flips or row
        power = base.made_by[0] is power_by and self.powers < POWERS
        users = base.made_by[0] is user_row and self.user_rows < USER_ROWS
        if not (base is PRIMITIVES.get(base.name) or users or power):
            return functools.partial(self.general, row)  # another row of a family: not worth writing out
        written = self._write(row)
        self.powers += power
        self.user_rows += users
        return written

    def _write(self, row: Primitive) -> Callable[..., Any]:
        """The written function for `row`: its value and derivatives inline where they can be read, else called."""
        kind = self.kind
        inputs = _INPUTS[kind]
        name = f"row_{_TRACER.call_name(row)}"
        out = _TRACER.value_code(row, list(inputs), "out")
        codes = _TRACER.local_codes(row, list(inputs), "out", len(inputs))
        arguments = ", ".join(_ARGUMENTS[kind])
        two = kind == "binary"
        if isinstance(codes, str):  # the derivatives cannot be read (they compare): one call for them all
            local = [f"{codes}[{i}]" for i in range(2 if two else 1)]
            inline = []
            called = [
                "    try:",
                f"        d = {codes}",
                "    except ArithmeticError:  # infinite there: stored, an error only if a gradient flows in",
                "        d = (inf, inf)",
                "    da = d[0]",
                *(["    db = d[1]"] if two else []),
            ]
        else:
            local = [d for d, _ in codes]
            inline = [f"        da = {local[0]}", *([f"        db = {local[1]}"] if two else [])]
            called = []
        lines = [
            f"def {kind}_{name}({arguments}):",
            "    x = a._data",
            *(["    y = b._data"] if two else []),
            "    try:",
            f"        out = {out}",
            *inline,
            "    except ArithmeticError:  # the general function stores inf, or raises its own error",
            f"        return general({name}, {arguments})",
            "    if out - out:",
            f"        raise non_finite_result({name}, ({', '.join(inputs)},), out)",
            "    if not recording():",
            "        return constant(out)",
            *called,
            "    node = new(Value)",
            f"    node._data, node._grad, node._op = out, 0.0, {name}",
            f"    {_SLOTS[kind]}",
            "    return node",
        ]
        namespace = {**_TRACER.namespace, **self.names, "general": self.general, name: row,
                     "non_finite_result": non_finite_result, "recording": recording, "inf": math.inf}  # fmt: skip
        exec(compile("\n".join(lines) + "\n", f"<autograd_lite eager {row.name}>", "exec"), namespace)
        function: Callable[..., Any] = namespace[f"{kind}_{name}"]
        function.__doc__ = f"{row.name} of {kind} inputs, written from its row: value {out}; derivatives {local}."
        return function


class Powers:
    """The functions that record ``x ** c`` for a constant exponent c (a finite float), by exponent.

    The exponent is a family of rows, one per c (`power_by`), so the table
    cannot list them ahead; the first `POWERS` exponents a program uses are
    kept in `table`, as the rows of the table are.
    """

    def __init__(self, unary: EagerFunctions) -> None:
        self.unary = unary
        self.table: dict[float, Callable[..., Any]] = {}

    def __getitem__(self, c: float) -> Callable[..., Any]:
        function = self.table.get(c)
        if function is None:
            function = self.unary[power_by(c)]
            if len(self.table) < POWERS:
                self.table[c] = function
        return function


class CollectorPaused:
    """``with CollectorPaused():`` runs a loop over a large graph with Python's cycle collector paused.

    Our graphs have no reference cycles, so the collector has nothing to find
    in them, yet it rescans every live node each time a loop allocates enough
    objects. The library's own loops pause it; the caller's setting is
    restored exactly on the way out, error or not.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._was_enabled:
            gc.enable()

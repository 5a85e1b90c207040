"""Rows read as text: placeholders that turn a row's value and derivative functions into expressions.

A row's functions are written with operators and other rows (``lambda x,
out: (COS(x),)``). Called with placeholder objects instead of floats, they
record the arithmetic done to them: `Code` is such a placeholder, and
`Tracer` calls a row on placeholders named ``{0}``, ``{1}``, ``{out}`` and
keeps the resulting expressions as format strings. The code writers
(`autograd_lite.codegen`, the compiled derivative program) and the eager
engine's fast path (`autograd_lite.fast`) both read rows through this one
module, so a row is written once and every piece of generated code agrees
with it.

A function that cannot be read so (it compares its input, or calls into C,
like ``math.tanh``) is called by name from the generated code instead, which
is just as exact; three rows whose functions compare or check carry their
source in the row (`Primitive.code`).

>>> from autograd_lite.primitives import MUL, SIN
>>> tracer = Tracer()
>>> tracer.templates(MUL, 2)
('{0} * {1}', [('{1}', 9), ('{0}', 9)])
>>> tracer.local_codes(SIN, ["x"], "out", 1)
[('cos(x)', 9)]
"""

from __future__ import annotations

import builtins
import keyword

from .primitives import user_row

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .primitives import Primitive

__all__ = ["ATOM", "TIMES", "Code", "Tracer", "Untraceable", "word"]

# An expression longer than this many operations is called, not written out: Python's compiler
# recurses on nested expressions (a dot product of 1,000 inputs would pass its limit).
_MAX_OPERATIONS = 200


class Untraceable(Exception):
    """A value or derivative function did something a placeholder cannot record (a comparison, a C call)."""


# Python's operator precedence, for as few parentheses as keep the meaning.
ATOM, _POWER, _UNARY, TIMES, _PLUS = 9, 7, 6, 5, 4


class Code:
    """A placeholder for a float: arithmetic on it builds the source text of that arithmetic.

    Only what keeps the float result exact is recorded: operators, and calls of
    other rows (the derivative of sin calls cos). Anything else (comparing it,
    turning it into a float for a C function) raises `Untraceable`, and the
    function is called by name instead.
    """

    __slots__ = ("operations", "precedence", "text")

    def __init__(self, text: str, precedence: int = ATOM, operations: int = 0) -> None:
        self.text, self.precedence, self.operations = text, precedence, operations
        if operations > _MAX_OPERATIONS:
            raise Untraceable("expression too long")

    def __repr__(self) -> str:
        return self.text

    def __neg__(self) -> Code:
        return Code(f"-{_wrap(self, _UNARY - 1)}", _UNARY, self.operations + 1)

    def __pos__(self) -> Code:
        return self


def _operand(x: Any) -> Code:
    if type(x) is Code:
        return x
    if type(x) is float or type(x) is int:
        if x - x:  # inf and nan have no literal
            raise Untraceable("non-finite constant")
        text = repr(float(x)) if type(x) is float else repr(x)
        return Code(text, _UNARY if text.startswith("-") else ATOM)
    raise Untraceable(f"cannot record {type(x).__name__}")


def _wrap(x: Code, tighter_than: int) -> str:
    return x.text if x.precedence > tighter_than else f"({x.text})"


def _infix(symbol: str, precedence: int) -> tuple[Callable[[Any, Any], Code], Callable[[Any, Any], Code]]:
    def make(left: Any, right: Any) -> Code:
        a, b = _operand(left), _operand(right)
        if precedence == _POWER:  # right-associative, and binds tighter than a unary minus on its left
            text = f"{_wrap(a, _POWER)} ** {_wrap(b, _UNARY - 1)}"
        else:  # left-associative: the right operand needs parentheses at the same precedence
            text = f"{_wrap(a, precedence - 1)} {symbol} {_wrap(b, precedence)}"
        return Code(text, precedence, a.operations + b.operations + 1)

    return make, lambda self, other: make(other, self)


def _refuse(self: Code, *args: Any) -> Any:
    raise Untraceable("a placeholder cannot be compared or converted")


for _name, (_symbol, _precedence) in {
    "add": ("+", _PLUS), "sub": ("-", _PLUS), "mul": ("*", TIMES), "truediv": ("/", TIMES), "pow": ("**", _POWER),
}.items():  # fmt: skip
    _forward, _reflected = _infix(_symbol, _precedence)
    setattr(Code, f"__{_name}__", _forward)
    setattr(Code, f"__r{_name}__", _reflected)
for _name in ("eq", "ne", "lt", "le", "gt", "ge", "bool", "float", "int", "index", "abs", "floordiv", "mod"):
    setattr(Code, f"__{_name}__", _refuse)
for _name in ("floordiv", "mod"):
    setattr(Code, f"__r{_name}__", _refuse)
Code.__hash__ = None  # type: ignore[assignment]


def _record_row(op: Primitive, args: Sequence[Any]) -> Code:
    # A row called on a placeholder (the derivative of sin calls cos): `Primitive.__call__` asks the
    # placeholder's type to record it, as it asks a Value's; the tracer at work writes a call.
    if _active is None:
        raise Untraceable("no tracer at work")
    return _active.record_row(op, args)


Code._record_row = staticmethod(_record_row)  # type: ignore[attr-defined]
_active: Tracer | None = None


class Tracer:
    """Reads rows into code: the row's value and derivatives as expressions of its arguments' names."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}  # what the generated code calls, by name
        self.rows: dict[str, tuple[Primitive, str]] = {}  # the same names: which row, and "value" or "derivs"
        self._names: dict[int, str] = {}  # id(row) -> the name its value function is called by
        self._templates: dict[tuple[int, int], tuple[str | None, list[tuple[str, int]] | None]] = {}

    def call_name(self, op: Primitive, kind: str = "") -> str:
        """A name in the namespace for the row's value function (or, with kind="derivs", its derivatives)."""
        key = id(op) if not kind else -id(op)
        name = self._names.get(key)
        if name is None:
            base = ("r" if op.flips is not None else "") + op.name + (f"_{kind}" if kind else "")
            base = word(base)
            if keyword.iskeyword(base) or hasattr(builtins, base):
                base += "_"  # sum_, abs_: as the library's own functions are named
            name, n = base, 1
            while name in self.namespace:
                name, n = f"{base}_{n}", n + 1
            self.namespace[name] = op.derivs if kind else op.value
            self.rows[name] = (op, kind or "value")
            self._names[key] = name
        return name

    def record_row(self, op: Primitive, args: Sequence[Any]) -> Code:
        """A row called inside a derivative (the derivative of sin calls cos): a call to its value function."""
        if op.arity >= 0 and len(args) != op.arity:
            raise Untraceable("wrong number of arguments")
        inner = [_operand(a) for a in args]
        text = f"{self.call_name(op)}({', '.join(a.text for a in inner)})"
        return Code(text, ATOM, sum(a.operations for a in inner) + 1)

    def templates(self, op: Primitive, n: int) -> tuple[str | None, list[tuple[str, int]] | None]:
        """The row's value and derivatives as format strings of ``{0}``…``{n-1}`` and ``{out}``; None where unreadable.

        Only the library's own rows are read so; a user's row (`primitive`) is always called by name,
        since its functions are not known to be free of side effects.
        """
        global _active
        key = (id(op), n)
        if key not in self._templates:
            if not _readable(op):
                self._templates[key] = (None, None)
            else:
                _active = self
                try:
                    self._templates[key] = (self._value_template(op, n), self._derivs_template(op, n))
                finally:
                    _active = None
        return self._templates[key]

    def value_code(self, op: Primitive, args: Sequence[str], out: str) -> str:
        """The expression for the row's value at `args` (names or literals): inline if readable, else a call."""
        value, _ = self.templates(op, len(args))
        return value.format(*args, out=out) if value is not None else f"{self.call_name(op)}({', '.join(args)})"

    def local_codes(self, op: Primitive, args: Sequence[str], out: str, parents: int) -> list[tuple[str, int]] | str:
        """The first `parents` local derivatives as (expression, precedence); or, unreadable, one call for them all."""
        _, derivs = self.templates(op, len(args))
        if derivs is None:
            return f"{self.call_name(op, 'derivs')}({', '.join(args)}, {out})"
        return [(d.format(*args, out=out), precedence) for d, precedence in derivs[:parents]]

    def _value_template(self, op: Primitive, n: int) -> str | None:
        if op.code is not None and op.code[0] is not None:
            return op.code[0]
        try:
            out: Any = op.value(*[Code(f"{{{i}}}") for i in range(n)])
            return out.text if isinstance(out, Code) else None
        except Untraceable:
            return None
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            return None

    def _derivs_template(self, op: Primitive, n: int) -> list[tuple[str, int]] | None:
        # Each derivative with its precedence, to know when `g * d` needs parentheses.
        if op.code is not None and op.code[1] is not None:
            return [(d, 0) for d in op.code[1]]
        try:
            local = op.derivs(*[Code(f"{{{i}}}") for i in range(n)], Code("{out}"))
            if not isinstance(local, tuple) or len(local) != n:
                return None
            return [(code.text, code.precedence) for code in map(_operand, local)]
        except Untraceable:
            return None
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            return None


def word(text: str) -> str:
    """`text` with every character that cannot be in a Python name made an underscore."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in text)


def _readable(op: Primitive) -> bool:
    """A row of this library (or one flipped from it), whose functions may be read with placeholders."""
    return (op.flips or op).made_by[0] is not user_row

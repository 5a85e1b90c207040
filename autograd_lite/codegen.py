"""The derivative program of a recorded graph, written out as straight-line Python.

`compile()` turns a graph into two functions: ``forward``, one line per node,
and ``backward``, the chain rule from the output back, one line per edge
(``g_a += g_out * ∂out/∂a``). A learner can read them (`Tape.source`), and
Python runs them with no per-node call into the engine: no loop, no lookup in
a table, just arithmetic on local variables.

The code is *read off the table of primitives*, not written a second time:
each row's value and derivative functions are called once with placeholder
objects that record the arithmetic done to them (`_Code`), so ``lambda a, b,
out: (b, a)`` becomes ``g_a += g * b`` and ``g_b += g * a``. A function that
cannot be read so (it compares its input, or calls into C, like
``math.tanh``) is called by name from the generated code instead, which is
just as exact. Three rows whose functions compare or check carry their source
form in the row (`Primitive.code`: relu, div, and a whole power), tested
against their functions.

The module has three writers, which share the way a node's value, its local
derivatives and a use of the chain rule are written:

* `write_source`: one straight-line function each way, for graphs a reader
  can take in (`DerivativeProgram`);
* `ChunkedProgram`: large graphs in chunks that read and write a flat list by
  slices, each distinct chunk compiled once;
* `eager_function`: the eager engine's hot path, one small function per row
  and case, so that eager code also runs the rows' arithmetic inline.

>>> from autograd_lite import Value
>>> w = Value(2.0)
>>> print(derivative_program(w * 3.0 - 1.0, {w: "w"}).source)
# The derivative program of a graph of 3 nodes (1 input): autograd_lite.compile().
def forward(leaves):
    w = leaves[0].data
    # every node from its inputs, in the order they were recorded
    v1 = w * 3.0  # mul
    v2 = v1 - 1.0  # sub
    # all finite? (an inf or nan makes the sum one): else None, and the tape says where
    total = sum((v1, v2, ))
    if total - total:
        return None
    return (v2, )
<BLANKLINE>
def backward(seed, values, leaves):
    (v2, ) = values
    # the chain rule from the output back: g_n is d(output)/dn
    g_v2 = seed
    g_v1 = g_v2  # sub: ∂v2/∂v1 = 1.0
    g_w = g_v1 * 3.0  # mul: ∂v1/∂w
    # added into the leaves' .grad only if all stay finite (else a checked pass says where)
    new_w = leaves[0].grad + g_w
    if new_w - new_w:
        return False
    leaves[0].grad = new_w
    return True
<BLANKLINE>
"""

from __future__ import annotations

import builtins
import keyword
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, Sequence
    from typing import Any

    from .engine import Value
    from .primitives import Primitive

__all__ = ["CHUNK", "ChunkedProgram", "DerivativeProgram", "derivative_program"]

# An expression longer than this many operations is called, not written out: Python's compiler
# recurses on nested expressions (a dot product of 1,000 inputs would pass its limit).
_MAX_OPERATIONS = 200


class _Untraceable(Exception):
    """A value or derivative function did something a placeholder cannot record (a comparison, a C call)."""


# Python's operator precedence, for as few parentheses as keep the meaning.
_ATOM, _POWER, _UNARY, _TIMES, _PLUS = 9, 7, 6, 5, 4


class _Code:
    """A placeholder for a float: arithmetic on it builds the source text of that arithmetic.

    Only what keeps the float result exact is recorded: operators, and calls of
    other rows (the derivative of sin calls cos). Anything else (comparing it,
    turning it into a float for a C function) raises `_Untraceable`, and the
    function is called by name instead.
    """

    __slots__ = ("operations", "precedence", "text")

    def __init__(self, text: str, precedence: int = _ATOM, operations: int = 0) -> None:
        self.text, self.precedence, self.operations = text, precedence, operations
        if operations > _MAX_OPERATIONS:
            raise _Untraceable("expression too long")

    def __repr__(self) -> str:
        return self.text

    def __neg__(self) -> _Code:
        return _Code(f"-{_wrap(self, _UNARY - 1)}", _UNARY, self.operations + 1)

    def __pos__(self) -> _Code:
        return self


def _operand(x: Any) -> _Code:
    if type(x) is _Code:
        return x
    if type(x) is float or type(x) is int:
        if x - x:  # inf and nan have no literal
            raise _Untraceable("non-finite constant")
        text = repr(float(x)) if type(x) is float else repr(x)
        return _Code(text, _UNARY if text.startswith("-") else _ATOM)
    raise _Untraceable(f"cannot record {type(x).__name__}")


def _wrap(x: _Code, tighter_than: int) -> str:
    return x.text if x.precedence > tighter_than else f"({x.text})"


def _infix(symbol: str, precedence: int) -> tuple[Callable[[Any, Any], _Code], Callable[[Any, Any], _Code]]:
    def make(left: Any, right: Any) -> _Code:
        a, b = _operand(left), _operand(right)
        if precedence == _POWER:  # right-associative, and binds tighter than a unary minus on its left
            text = f"{_wrap(a, _POWER)} ** {_wrap(b, _UNARY - 1)}"
        else:  # left-associative: the right operand needs parentheses at the same precedence
            text = f"{_wrap(a, precedence - 1)} {symbol} {_wrap(b, precedence)}"
        return _Code(text, precedence, a.operations + b.operations + 1)

    return make, lambda self, other: make(other, self)


def _refuse(self: _Code, *args: Any) -> Any:
    raise _Untraceable("a placeholder cannot be compared or converted")


for _name, (_symbol, _precedence) in {
    "add": ("+", _PLUS), "sub": ("-", _PLUS), "mul": ("*", _TIMES), "truediv": ("/", _TIMES), "pow": ("**", _POWER),
}.items():  # fmt: skip
    _forward, _reflected = _infix(_symbol, _precedence)
    setattr(_Code, f"__{_name}__", _forward)
    setattr(_Code, f"__r{_name}__", _reflected)
for _name in ("eq", "ne", "lt", "le", "gt", "ge", "bool", "float", "int", "index", "abs", "floordiv", "mod"):
    setattr(_Code, f"__{_name}__", _refuse)
for _name in ("floordiv", "mod"):
    setattr(_Code, f"__r{_name}__", _refuse)
_Code.__hash__ = None  # type: ignore[assignment]


def _record_row(op: Primitive, args: Sequence[Any]) -> _Code:
    # A row called on a placeholder (the derivative of sin calls cos): `Primitive.__call__` asks the
    # placeholder's type to record it, as it asks a Value's; the tracer at work writes a call.
    if _active is None:
        raise _Untraceable("no tracer at work")
    return _active.record_row(op, args)


_Code._record_row = staticmethod(_record_row)  # type: ignore[attr-defined]
_active: _Tracer | None = None


class _Tracer:
    """Reads rows into code: the row's value and derivatives as expressions of its arguments' names."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}  # what the generated code calls, by name
        self._names: dict[int, str] = {}  # id(row) -> the name its value function is called by
        self._templates: dict[tuple[int, int], tuple[str | None, list[tuple[str, int]] | None]] = {}

    def call_name(self, op: Primitive, kind: str = "") -> str:
        """A name in the namespace for the row's value function (or, with kind="derivs", its derivatives)."""
        key = id(op) if not kind else -id(op)
        name = self._names.get(key)
        if name is None:
            base = ("r" if op.flips is not None else "") + op.name + (f"_{kind}" if kind else "")
            base = _word(base)
            if keyword.iskeyword(base) or hasattr(builtins, base):
                base += "_"  # sum_, abs_: as the library's own functions are named
            name, n = base, 1
            while name in self.namespace:
                name, n = f"{base}_{n}", n + 1
            self.namespace[name] = op.derivs if kind else op.value
            self._names[key] = name
        return name

    def record_row(self, op: Primitive, args: Sequence[Any]) -> _Code:
        """A row called inside a derivative (the derivative of sin calls cos): a call to its value function."""
        if op.arity >= 0 and len(args) != op.arity:
            raise _Untraceable("wrong number of arguments")
        inner = [_operand(a) for a in args]
        text = f"{self.call_name(op)}({', '.join(a.text for a in inner)})"
        return _Code(text, _ATOM, sum(a.operations for a in inner) + 1)

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
            out: Any = op.value(*[_Code(f"{{{i}}}") for i in range(n)])
            return out.text if isinstance(out, _Code) else None
        except _Untraceable:
            return None
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            return None

    def _derivs_template(self, op: Primitive, n: int) -> list[tuple[str, int]] | None:
        # Each derivative with its precedence, to know when `g * d` needs parentheses.
        if op.code is not None and op.code[1] is not None:
            return [(d, 0) for d in op.code[1]]
        try:
            local = op.derivs(*[_Code(f"{{{i}}}") for i in range(n)], _Code("{out}"))
            if not isinstance(local, tuple) or len(local) != n:
                return None
            return [(code.text, code.precedence) for code in map(_operand, local)]
        except _Untraceable:
            return None
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            return None


def _calls_a_row(name: str) -> bool:
    """Whether `name` could be what the program calls a row's function by (`tanh`, `rsub`, `exp_derivs_1`)."""
    from .primitives import PRIMITIVES

    stem = name.rstrip("0123456789").rstrip("_").removesuffix("_derivs").rstrip("_")
    rows = {*PRIMITIVES, "pow_const", "leaky_relu", "elu"}
    return stem in rows or stem[1:] in rows or stem.startswith("polygamma")


def _word(text: str) -> str:
    """`text` with every character that cannot be in a Python name made an underscore."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in text)


def _readable(op: Primitive) -> bool:
    """A row of this library (or one flipped from it), whose functions may be read with placeholders."""
    from .primitives import _user_row

    return (op.flips or op).made_by[0] is not _user_row


def _identifier(name: str, taken: set[str]) -> str:
    """`name` made a fresh Python identifier (a user's name for a Value, cleaned up and made unique)."""
    base = _word(name) or "x"
    reserved = base.startswith(("g_", "d_", "new_")) or _calls_a_row(base)  # the program's own names
    if base[0].isdigit() or keyword.iskeyword(base) or hasattr(builtins, base) or reserved:
        base = f"x_{base}"
    candidate, n = base, 1
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _chain_rule(target: str, g: str, d: str, precedence: int, first: bool) -> str:
    """One use of the chain rule as a statement: ``target += g * d`` (``= g * d`` for the first contribution).

    The product is written ``g * d`` with ``d`` computed first, as the eager
    engine computes ``local * g``; a derivative of 1 or −1 is written without
    the product (the same float).
    """
    if d == "1.0":
        term = g
    elif d == "-1.0":
        return f"{target} = -{g}" if first else f"{target} -= {g}"
    else:
        term = f"{g} * {d if precedence > _TIMES else f'({d})'}"
    return f"{target} = {term}" if first else f"{target} += {term}"


def _literal(c: float) -> str:
    text = repr(c)
    return f"({text})" if text.startswith("-") else text


class DerivativeProgram:
    """The generated source of a graph's forward and backward passes, and the two functions compiled from it.

    ``forward(leaves)`` reads the leaf Values' numbers, computes every node,
    and returns the numbers of the nodes in `kept` (or None when some number
    is inf or nan). ``backward(seed, values, leaves)`` adds each leaf's
    gradient into its ``.grad`` and returns True, or, when any of them is inf
    or nan, changes nothing and returns False.
    """

    def __init__(self, generated: tuple[str, dict[str, Any], int, list[Value]]) -> None:
        source, namespace, lines, kept = generated
        self.source = source
        self.lines = lines
        #: The nodes whose numbers ``forward`` returns, in order.
        self.kept = kept
        code = compile(source, "<autograd_lite derivative program>", "exec")
        exec(code, namespace)  # the source was generated just above, from the graph
        self.forward: Callable[[Sequence[Value]], tuple[float, ...] | None] = namespace["forward"]
        self.backward: Callable[[float, Sequence[float], Sequence[Value]], bool] = namespace["backward"]


def derivative_program(output: Value, names: Mapping[Value, str] | None = None) -> DerivativeProgram:
    """Write and compile the forward and backward passes of `output`'s graph (see the module docstring)."""
    from .engine import topological_order

    order = topological_order(output)
    return DerivativeProgram(write_source(order, output, names or {}))


def write_source(
    order: Sequence[Value], output: Value, names: Mapping[Value, str], keep: Collection[Value] = ()
) -> tuple[str, dict[str, Any], int, list[Value]]:
    """The derivative program of the nodes `order` (parents first; `output` among them).

    Returns the source, the names it calls (the rows' functions), its number of
    lines, and the nodes whose numbers ``forward`` returns, in that order: those
    the backward pass reads, the output, and any in `keep`.
    """
    tracer = _Tracer()
    taken = set(tracer.namespace) | {"forward", "backward", "seed", "values", "leaves", "total"}
    var: dict[Value, str] = {}
    leaves: list[str] = []
    computed = 0
    for node in order:
        if node in names:
            var[node] = _identifier(str(names[node]), taken)
        elif node.is_leaf:
            var[node] = _identifier(f"x{len(leaves)}", taken)
        else:
            computed += 1
            var[node] = _identifier(f"v{computed}", taken)
        if node.is_leaf:
            leaves.append(var[node])

    forward = ["def forward(leaves):"]
    forward += [f"    {name} = leaves[{i}].data" for i, name in enumerate(leaves)]
    forward.append("    # every node from its inputs, in the order they were recorded")
    backward_lines: list[str] = []
    written: set[Value] = set()  # nodes whose gradient variable has been assigned
    derivatives: dict[Value, list[tuple[str, int]] | str] = {}
    for node in order:
        op = node.op
        if op is None:
            continue
        args = [var[p] for p in node.parents] + [_literal(c) for c in node.constants]
        name = var[node]
        called = tracer.templates(op, len(args))[0] is None  # a call names the row; its label says more
        label = op.label_with(node.constants) if called and op.symbol else op.name
        forward.append(f"    {name} = {tracer.value_code(op, args, name)}  # {label}")
        derivatives[node] = tracer.local_codes(op, args, name, len(node.parents))
    backward_lines.append("def backward(seed, values, leaves):")
    backward_lines.append("    # the chain rule from the output back: g_n is d(output)/dn")
    backward_lines.append(f"    g_{var[output]} = seed")
    written.add(output)
    reads: list[str] = []  # the derivative expressions: the numbers they read must come from forward
    for node in reversed(order):
        op = node.op
        if op is None or node not in written:
            continue
        g = f"g_{var[node]}"
        local = derivatives[node]
        if isinstance(local, str):  # the derivatives come from a call, once for all inputs
            backward_lines.append(f"    d_{var[node]} = {local}  # {op.name}")
            reads.append(local)
            local = [(f"d_{var[node]}[{i}]", _ATOM) for i in range(len(node.parents))]
        for i, parent in enumerate(node.parents):
            d, precedence = local[i]
            reads.append(d)
            statement = _chain_rule(f"g_{var[parent]}", g, d, precedence, first=parent not in written)
            comment = f"{op.name}: ∂{var[node]}/∂{var[parent]}" + (f" = {d}" if d in ("1.0", "-1.0") else "")
            backward_lines.append(f"    {statement}  # {comment}")
            written.add(parent)
    grads = [f"g_{var[node]}" if node in written else "0.0" for node in order if node.is_leaf]
    backward_lines.append("    # added into the leaves' .grad only if all stay finite (else a checked pass says where)")
    backward_lines += [f"    new_{name} = leaves[{i}].grad + {g}" for i, (name, g) in enumerate(zip(leaves, grads))]
    if len(leaves) == 1:
        backward_lines.append(f"    if new_{leaves[0]} - new_{leaves[0]}:")
    else:
        backward_lines.append(f"    total = sum(({''.join(f'new_{name}, ' for name in leaves)}))")
        backward_lines.append("    if total - total:")
    backward_lines.append("        return False")
    backward_lines += [f"    leaves[{i}].grad = new_{name}" for i, name in enumerate(leaves)]
    backward_lines.append("    return True")

    # forward hands backward only the numbers its derivatives read (and those the tape reads: the output,
    # the operands of guards), after checking that every number is finite.
    import re  # here, not at the top: the engine imports this module, and `re` is slow to import

    used = set(re.findall(r"[A-Za-z_]\w*", "\n".join(reads)))
    kept = [node for node in order if var[node] in used or node is output or node in keep]
    computed_names = [var[node] for node in order if not node.is_leaf]
    if computed_names:
        forward.append("    # all finite? (an inf or nan makes the sum one): else None, and the tape says where")
        forward.append(f"    total = sum(({''.join(f'{name}, ' for name in computed_names)}))")
        forward.append("    if total - total:")
        forward.append("        return None")
    forward.append(f"    return ({''.join(f'{var[node]}, ' for node in kept)})")
    backward_lines.insert(1, f"    ({''.join(f'{var[node]}, ' for node in kept)}) = values")

    nodes = len(order)
    head = (f"# The derivative program of a graph of {nodes} node{'s' * (nodes != 1)} "
            f"({len(leaves)} input{'s' * (len(leaves) != 1)}): autograd_lite.compile().")
    source = "\n".join([head, *forward, "", *backward_lines]) + "\n"
    return source, tracer.namespace, len(forward) + len(backward_lines), kept


# ---------------------------------------------------------------------------
# Large graphs: the same code, in chunks, each compiled once however often it repeats
# ---------------------------------------------------------------------------

#: Nodes per chunk of a large graph's program.
CHUNK = 2000
#: A large graph whose chunks come in more distinct shapes than this is replayed from lists instead.
MAX_DISTINCT_CHUNKS = 64


class ChunkedProgram:
    """A large graph's derivative program: the graph cut into chunks of `CHUNK` nodes, each run by compiled code.

    The numbers live in a flat list, one slot per node in graph order. A chunk's
    forward code reads the numbers it needs by slicing that list relative to
    where the chunk starts, computes its nodes in local variables, and writes
    them back with one slice; its backward code does the same with the
    gradients. Chunks whose code would read alike (a long chain repeats one
    shape) share one compiled function, so compiling costs the distinct shapes,
    not the length. Same interface and same floats as `DerivativeProgram`.
    """

    def __init__(self, order: Sequence[Value], position: Mapping[Value, int], output: Value) -> None:
        tracer = _Tracer()
        self.size = len(order)
        self._out = position[output]
        self._leaf_positions = [position[node] for node in order if node.is_leaf]
        self.values = [0.0] * self.size  # every node's number, in graph order
        compiled: dict[tuple[Any, ...], tuple[Callable[..., None], Callable[..., None]]] = {}
        self.chunks: list[tuple[int, Callable[..., None], Callable[..., None]]] = []
        sources: list[str] = []
        for b in range(0, self.size, CHUNK):
            nodes = order[b : b + CHUNK]
            shape = _chunk_shape(nodes, b, position)
            if shape not in compiled:
                if len(compiled) >= MAX_DISTINCT_CHUNKS:
                    raise _TooVaried(f"more than {MAX_DISTINCT_CHUNKS} distinct chunks of {CHUNK} nodes")
                source = _chunk_source(tracer, shape)
                namespace = dict(tracer.namespace)
                exec(compile(source, "<autograd_lite derivative program chunk>", "exec"), namespace)
                compiled[shape] = (namespace["forward_chunk"], namespace["backward_chunk"])
                sources.append(source)
            forward, backward = compiled[shape]
            self.chunks.append((b, forward, backward))
        self.distinct = len(compiled)
        self.lines = sum(source.count("\n") for source in sources)
        head = (f"# The derivative program of a graph of {self.size:,} nodes, in {len(self.chunks):,} chunks of up to "
                f"{CHUNK:,} nodes; {self.distinct} distinct chunk(s), each compiled once. d holds every node's number, "
                f"g every gradient; b is where the chunk starts.\n")
        self.source = head + "\n".join(sources)

    def forward(self, leaves: Sequence[Value]) -> list[float] | None:
        d = self.values
        for pos, leaf in zip(self._leaf_positions, leaves):
            d[pos] = leaf.data
        for b, forward, _ in self.chunks:
            forward(d, b)
        total = sum(d)
        return None if total - total else d  # None: some number is inf or nan

    def backward(self, seed: float, values: Sequence[float], leaves: Sequence[Value]) -> bool:
        g = [0.0] * self.size
        g[self._out] = seed
        for b, _, backward in reversed(self.chunks):
            backward(values, g, b)
        new = [leaf.grad + g[pos] for pos, leaf in zip(self._leaf_positions, leaves)]
        total = sum(new)
        if total - total:
            return False
        for leaf, grad in zip(leaves, new):
            leaf.grad = grad
        return True


class _TooVaried(Exception):
    """A large graph whose chunks do not repeat: compiling each would cost more than replaying from lists."""


def _chunk_shape(nodes: Sequence[Value], b: int, position: Mapping[Value, int]) -> tuple[Any, ...]:
    """What a chunk's code depends on: each node's row, constants, and where its parents are.

    A parent within the chunk or the `CHUNK` nodes before it is named by its
    offset from the chunk's start (the same in every repetition of a chain);
    one further back (a leaf, a parameter) by its absolute position.
    """
    shape: list[Any] = []
    for node in nodes:
        op = node.op
        if op is None:
            shape.append(None)
            continue
        refs = []
        for p in node.parents:
            j = position[p]
            refs.append(j - b if j >= b - CHUNK else ("at", j))
        shape.append((op, tuple(refs), node.constants))
    return tuple(shape)


def _chunk_source(tracer: _Tracer, shape: tuple[Any, ...]) -> str:
    """The forward and backward code of one chunk shape (see `ChunkedProgram`)."""
    n = len(shape)
    low = min([r for entry in shape if entry is not None for r in entry[1] if isinstance(r, int)] + [0])
    far = sorted({r[1] for entry in shape if entry is not None for r in entry[1] if not isinstance(r, int)})

    def name(ref: Any) -> str:
        if isinstance(ref, int):
            return f"n{ref}" if ref >= 0 else f"p{-ref}"
        return f"a{ref[1]}"

    before = [f"p{-r}" for r in range(low, 0)]  # d[b + low], …, d[b − 1]
    forward = ["def forward_chunk(d, b):"]
    if before:
        forward.append(f"    ({', '.join(before)},) = d[b - {-low}:b]")
    forward += [f"    a{j} = d[{j}]" for j in far]
    derivatives: list[Any] = []
    for k, entry in enumerate(shape):
        if entry is None:  # a leaf: its number is already in d
            forward.append(f"    n{k} = d[b + {k}]")
            derivatives.append(None)
            continue
        op, refs, constants = entry
        args = [name(r) for r in refs] + [_literal(c) for c in constants]
        forward.append(f"    n{k} = {tracer.value_code(op, args, f'n{k}')}  # {op.name}")
        derivatives.append(tracer.local_codes(op, args, f"n{k}", len(refs)))
    forward.append(f"    d[b:b + {n}] = ({''.join(f'n{k}, ' for k in range(n))})")

    backward = ["def backward_chunk(d, g, b):",
                f"    ({', '.join(before + [f'n{k}' for k in range(n)])},) = d[b - {-low}:b + {n}]"]
    backward += [f"    a{j} = d[{j}]" for j in far]
    backward.append(f"    ({''.join(f'g_n{k}, ' for k in range(n))}) = g[b:b + {n}]")
    if before:
        backward.append(f"    ({''.join(f'g_{p}, ' for p in before)}) = g[b - {-low}:b]")
    backward += [f"    g_a{j} = g[{j}]" for j in far]
    for k in reversed(range(n)):
        entry = shape[k]
        if entry is None:
            continue
        local = derivatives[k]
        if isinstance(local, str):
            backward.append(f"    d_n{k} = {local}")
            local = [(f"d_n{k}[{i}]", _ATOM) for i in range(len(entry[1]))]
        for ref, (d, precedence) in zip(entry[1], local):
            backward.append(f"    {_chain_rule(f'g_{name(ref)}', f'g_n{k}', d, precedence, first=False)}")
    leaves = [k for k, entry in enumerate(shape) if entry is None]
    backward += [f"    g[b + {k}] = g_n{k}" for k in leaves]
    if before:
        backward.append(f"    g[b - {-low}:b] = ({''.join(f'g_{p}, ' for p in before)})")
    backward += [f"    g[{j}] = g_a{j}" for j in far]
    return "\n".join([*forward, "", *backward]) + "\n"


# ---------------------------------------------------------------------------
# The eager engine's hot path, written from the same rows
# ---------------------------------------------------------------------------

_EAGER = _Tracer()  # one tracer for every eager function, so the names they call stay distinct

_ARGUMENTS = {"unary": ("a",), "binary": ("a", "b"), "number": ("a", "c")}


def eager_function(op: Primitive, kind: str, namespace: dict[str, Any]) -> Callable[..., Any] | None:
    """A function that applies `op` to Values as `engine._unary`, `_binary` or `_with_number` do, specialised.

    `kind` is "unary" (one Value), "binary" (two Values) or "number" (a Value,
    then a plain number kept in the node). The value and the local
    derivatives are written inline, read off the row as `compile()` reads it,
    so no call to the row's ``derivs`` is left; where the row's value cannot
    be read, its value function is called, as the engine calls it. If the
    inline arithmetic raises (an ArithmeticError: a division by zero, an
    overflow), the engine's own function redoes the node, so its error and its
    stored ``inf`` are exactly the engine's. None when the derivatives cannot
    be read (the engine keeps its general function for the row).
    `namespace` supplies the engine's names (``Value``, ``_new``, ``_mode``, …).
    """
    names = _ARGUMENTS[kind]
    inputs = ["x", "y"] if kind == "binary" else ["x", "c"] if kind == "number" else ["x"]
    codes = _EAGER.local_codes(op, inputs, "out", len(inputs))
    if isinstance(codes, str):  # a call to the row's derivs: nothing to save
        return None
    row = f"row_{_EAGER.call_name(op)}"
    out = _EAGER.value_code(op, inputs, "out")
    local = [d for d, _ in codes]
    general = {"unary": "_unary", "binary": "_binary", "number": "_with_number"}[kind]
    slots = {"unary": "node._a, node._b, node._da = a, None, da",
             "binary": "node._a, node._b, node._da, node._db = a, b, da, db",
             "number": "node._a, node._b, node._da = a, c, da"}[kind]
    lines = [
        f"def {kind}_{row}({', '.join(names)}):",
        "    x = a._data",
        *(["    y = b._data"] if kind == "binary" else []),
        "    try:",
        f"        out = {out}",
        f"        da = {local[0]}",
        *([f"        db = {local[1]}"] if kind == "binary" else []),
        "    except ArithmeticError:",
        f"        return {general}({row}, {', '.join(names)})",
        "    if out - out:",
        f"        raise non_finite_result({row}, ({', '.join(inputs)},), out)",
        "    if not recording():",
        "        return _constant(out)",
        "    node = _new(Value)",
        f"    node._data, node.grad, node._op = out, 0.0, {row}",
        f"    {slots}",
        "    return node",
    ]
    namespace.update(_EAGER.namespace)
    namespace[row] = op
    exec(compile("\n".join(lines) + "\n", f"<autograd_lite eager {op.name}>", "exec"), namespace)
    function: Callable[..., Any] = namespace[f"{kind}_{row}"]
    function.__doc__ = f"{op.name} of {kind} inputs, written from its row: value {out}; local derivatives {local}."
    return function

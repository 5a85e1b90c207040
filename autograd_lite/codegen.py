"""The derivative program of a recorded graph, written out as straight-line Python.

`compile()` turns a graph into two functions: ``forward``, one line per node,
and ``backward``, the chain rule from the output back, one line per edge
(``g_a += g_out * ∂out/∂a``). A learner can read them (`Tape.source`), and
Python runs them with no per-node call into the engine: no loop, no lookup in
a table, just arithmetic on local variables.

The code is *read off the table of primitives*, not written a second time:
each row's value and derivative functions are called once with placeholder
objects that record the arithmetic done to them (`autograd_lite.rowtext`), so ``lambda a, b,
out: (b, a)`` becomes ``g_a += g * b`` and ``g_b += g * a``. A function that
cannot be read so (it compares its input, or calls into C, like
``math.tanh``) is called by name from the generated code instead, which is
just as exact. Three rows whose functions compare or check carry their source
form in the row (`Primitive.code`: relu, div, and a whole power), tested
against their functions.

The module has two writers, which share the way a node's value, its local
derivatives and a use of the chain rule are written:

* `write_source`: one straight-line function each way, for graphs a reader
  can take in (`DerivativeProgram`);
* `ChunkedProgram`: large graphs in chunks that read and write a flat list by
  slices, each distinct chunk compiled once.

Rows are read through `autograd_lite.rowtext`, as the eager engine's fast
path (`autograd_lite.fast`) reads them.

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
import itertools
import keyword
import math
import operator

from .engine import Value, topological_order
from .primitives import ADD, IDENTITY, MUL, NEG, PRIMITIVES, SUB, power_by
from .rowtext import ATOM, TIMES, Tracer, word

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, Sequence
    from typing import Any


__all__ = ["CHUNK", "ChunkedProgram", "DerivativeProgram", "derivative_program", "namespace_of", "write_function"]

def _calls_a_row(name: str) -> bool:
    """Whether `name` could be what the program calls a row's function by (`tanh`, `rsub`, `exp_derivs_1`)."""
    stem = name.rstrip("0123456789").rstrip("_").removesuffix("_derivs").rstrip("_")
    rows = {*PRIMITIVES, "pow_const", "leaky_relu", "elu"}
    return stem in rows or stem[1:] in rows or stem.startswith("polygamma")


def _identifier(name: str, taken: set[str]) -> str:
    """`name` made a fresh Python identifier (a user's name for a Value, cleaned up and made unique)."""
    base = word(name) or "x"
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
        term = f"{g} * {d if precedence > TIMES else f'({d})'}"
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
    tracer = Tracer()
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
            local = [(f"d_{var[node]}[{i}]", ATOM) for i in range(len(node.parents))]
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
# A function's program: the graph of several outputs, forward only, guards inline (`autograd_lite.tracing`)
# ---------------------------------------------------------------------------

#: The comparisons a program writes inline; any other guard (``round``) calls its test by name.
_INLINE = {"<", "<=", ">", ">=", "!="}
#: Rows whose result is inf or nan whenever an input is: a node used once by one of them may be written inside it.
_PROPAGATING = {ADD, SUB, MUL, NEG}
#: How deeply inlined expressions may nest.
_DEPTH = 16


def write_function(
    order: Sequence[Value],
    params: Sequence[Value],
    guards: Sequence[tuple[Any, tuple[Any, ...]]],
    result: Callable[[Callable[[Any], str]], str],
    flat: int | None = None,
) -> tuple[str, dict[str, tuple[Any, ...]], int]:
    """The program of a traced function: ``program(x0, x1, …)``, one line per node of `order`, forward only.

    `params` are the graph's leaves, in the order the program takes their
    numbers; `guards` the comparisons the graph depends on, each with its
    operands; `result(name)` writes the expression returned, given how to name a
    node (or a constant). A derivative is not a pass of its own here: a function
    such as ``grad(f)`` records its gradient as nodes, so it is part of the graph.

    The program returns ``(result,)``; the index of the first guard that comes
    out otherwise (the caller traces again); or None when some number is inf or
    nan (the caller runs the eager engine, which says where). Each guard is
    checked as soon as its operands are computed, before anything that depends
    on the branch it chose.

    Returns the source, what its names stand for (`namespace_of` builds the
    namespace from it: rows by row, so that the program pickles), and its lines.

    With `flat` (the number of outputs), for a native compiler that wants one
    return type: the program returns a tuple of floats, a status first (0.0,
    then the outputs, which `result` writes as ``a, b, c``; k + 1 for guard k;
    -1.0 for an inf or nan) and `flat` numbers after it.
    """
    misses = ", 0.0" * (flat or 0)
    tracer = Tracer()
    namespace: dict[str, Any] = {}  # the constants the program reads by name
    taken = {"program", "total"}
    var: dict[Value, str] = {}
    for i, leaf in enumerate(params):
        var[leaf] = _identifier(f"x{i}", taken)
    computed = 0
    for node in order:
        if node not in var:
            if node.is_leaf:
                raise ValueError("write_function: a leaf of the graph is not among the parameters")
            if _same_number(node):  # x, x * 1.0 and x ** 1.0 are x, to the bit: no line of their own
                var[node] = var[node.parents[0]]
                continue
            computed += 1
            var[node] = f"v{computed}"  # no other name of the program starts with v and a digit
    position = {node: i for i, node in enumerate(order)}
    due: dict[int, list[int]] = {}  # after which node each guard can be checked (-1: before any)
    for k, (_, operands) in enumerate(guards):
        at = [position[x] for x in operands if isinstance(x, Value)]
        due.setdefault(max(at, default=-1), []).append(k)

    constants: dict[int, str] = {}

    def name(x: Any) -> str:
        """A node's variable; a plain float as a literal; anything else a constant in the namespace."""
        if isinstance(x, Value):
            return var[x]
        if (type(x) is float and not x - x) or type(x) is int:
            return _literal(x) if type(x) is float else repr(x)
        if id(x) not in constants:
            constants[id(x)] = _identifier(f"c{len(constants)}", taken)
            namespace[constants[id(x)]] = x
        return constants[id(x)]

    def checks(after: int) -> list[str]:
        lines = []
        for k in due.get(after, ()):
            guard, operands = guards[k]
            args = [name(x) for x in operands]
            if guard.symbol in _INLINE and type(guard.outcome) is bool:
                test = f"{args[0]} {guard.symbol} {args[1]}"
                lines.append(f"    if {'not ' if guard.outcome else ''}({test}):  # recorded {guard.outcome}")
            else:  # round(v): the same number, and the same sign of zero
                test = f"{name(guard.test)}({', '.join(args)})"
                lines.append(f"    if {name(_differs)}({test}, {name(guard.outcome)}):  # recorded {guard.outcome!r}")
            lines.append(f"        return {k}" if flat is None else f"        return ({k + 1}.0{misses})")
        return lines

    guarded = {position[x] for _, operands in guards for x in operands if isinstance(x, Value)}
    loops = {run.start: run for run in _runs(order, position, guarded)}
    inside = [0] * len(order)  # which loop a node is in (0: none)
    for number, run in enumerate(loops.values(), start=1):  # a loop's node is read from D outside its iteration
        inside[run.start : run.end] = [number] * (run.end - run.start)
        for i in range(run.start, run.end):
            if order[i] in var:
                var[order[i]] = f"D[{i}]"
    for i, node in enumerate(order):  # an alias outside a loop of a node inside one reads it from D too
        if not inside[i] and node.op is not None and _same_number(node):
            var[node] = var[node.parents[0]]
    loops_read = {j for run in loops.values() for j in run.reads() if not inside[j]}
    store = {j for j in loops_read if order[j].op is not None}
    # A node used once, by an addition, a subtraction, a product or a negation in the same stretch of code, is
    # written inside that use: fewer lines, the same floats (Python computes the same operations in the same
    # order), and an inf or nan it makes still reaches a number that is checked (those operations keep them).
    root = list(range(len(order)))
    for i, node in enumerate(order):
        if node.op is not None and _same_number(node):
            root[i] = root[position[node.parents[0]]]
    uses = [0] * len(order)
    consumer = [-1] * len(order)
    for i, node in enumerate(order):
        if node.op is not None and not _same_number(node):
            for parent in node.parents:
                j = root[position[parent]]
                uses[j] += 1
                consumer[j] = i
    pinned = {root[j] for j in guarded | loops_read | {j for run in loops.values() for j in run.reads()}}

    def pin(x: Any) -> str:  # the outputs are read by name
        if isinstance(x, Value):
            pinned.add(root[position[x]])
        return "0"

    result(pin)
    for j in pinned:
        uses[j] += 2
    inline = {
        j for j in range(len(order))
        if uses[j] == 1 and order[j].op is not None and not _same_number(order[j]) and inside[j] == inside[consumer[j]]
        and _propagates(order[consumer[j]])
    }  # fmt: skip
    text: dict[int, str] = {}  # an inlined node's expression, in parentheses
    depth: dict[int, int] = {}  # how deeply it nests (Python's parser takes some 200 parentheses at most)
    body = [f"def program({', '.join(var[leaf] for leaf in params)}):"]
    if loops and flat is not None:
        namespace["np"] = __import__("numpy")
        body.append(f"    D = np.zeros({len(order)})  # the numbers of the nodes computed in loops")
    elif loops:
        body.append(f"    D = [0.0] * {len(order)}  # the numbers of the nodes computed in loops")
    body += checks(-1)
    i = 0
    while i < len(order):
        if i in loops:
            body += loops[i].lines(order, var, tracer, namespace, taken, flat is not None, inline)
            i = loops[i].end
            continue
        node = order[i]
        op = node.op
        if op is not None and not _same_number(node):
            refs = [root[position[p]] for p in node.parents]
            args = [text.get(j, var[p]) for j, p in zip(refs, node.parents)] + [_literal(c) for c in node.constants]
            code = tracer.value_code(op, args, var[node])
            depth[i] = 1 + max([depth.get(j, 0) for j in refs], default=0)
            if i in inline and depth[i] <= _DEPTH:
                text[i] = f"({code})"
            else:
                depth[i] = 0
                body.append(f"    {var[node]} = {code}  # {op.name}")
        if i in store or (node.is_leaf and i in loops_read):
            body.append(f"    D[{i}] = {var[node]}  # read by a loop")
        body += checks(i)
        i += 1
    names = [
        var[node] for i, node in enumerate(order)
        if not node.is_leaf and not _same_number(node) and var[node][0] != "D" and i not in text
    ]  # fmt: skip
    if names or loops:
        body.append("    # all finite? (an inf or nan makes the sum one): else None, and the eager engine says where")
        groups = [names[k : k + 500] for k in range(0, len(names), 500)]  # (numba takes tuples of under 1,000)
        every = " + ".join(f"sum(({''.join(f'{n}, ' for n in group)}))" for group in groups) or "0.0"
        body.append(f"    total = {every}" + ((" + D.sum()" if flat is not None else " + sum(D)") if loops else ""))
        body.append("    if total - total:")
        body.append("        return None" if flat is None else f"        return (-1.0{misses})")
    body.append(f"    return ({result(name)},)" if flat is None else f"    return (0.0, {result(name)})")
    spec: dict[str, tuple[Any, ...]] = {n: ("row", *row) for n, row in tracer.rows.items()}
    spec.update((n, ("constant", x)) for n, x in namespace.items())
    return "\n".join(body) + "\n", spec, len(body)


# ---------------------------------------------------------------------------
# Loops: a program that repeats a step (a 1,000-step integrator, epochs of a model) is written once per step
# ---------------------------------------------------------------------------

#: A graph of fewer nodes is written straight; above it, repeated steps are looked for and written as loops.
LOOP_MIN = 2000
#: The longest step looked for, the fewest repetitions, and the fewest nodes worth a loop.
_MAX_PERIOD, _MIN_COUNT, _MIN_NODES = 5000, 4, 200


class _Run:
    """`count` repetitions of one step of `period` nodes from `start` on: the same rows, constants and references.

    A reference of the step's k-th node is affine in the iteration t: node
    ``first + stride·t`` (the same iteration's node when stride is the period
    and first lies in the first step). Constants that differ between
    iterations (a data point) are read from a table, one row per iteration.
    """

    def __init__(self, start: int, period: int, count: int) -> None:
        self.start, self.period, self.count = start, period, count
        self.end = start + period * count
        self.refs: list[list[tuple[int, int]]] = []  # per node of the step: (first, stride) of each parent
        self.varying: list[list[int]] = []  # per node: which of its constants differ between iterations

    def reads(self) -> set[int]:
        """The nodes the loop reads from D (those of its own earlier iterations included)."""
        found: set[int] = set()
        s, p = self.start, self.period
        for refs in self.refs:
            for first, stride in refs:
                if stride == 0 or (stride == p and s <= first < s + p):
                    continue  # a fixed node by name, or a node of the same iteration
                found.update(first + stride * t for t in range(self.count))
        return found

    def lines(
        self,
        order: Sequence[Value],
        var: dict[Value, str],
        tracer: Tracer,
        namespace: dict[str, Any],
        taken: set[str],
        native: bool = False,
        inline: Collection[int] = (),
    ) -> list[str]:
        """The loop's source: one iteration's nodes in local variables, stored in D at its end.

        A number of an earlier iteration (or of the nodes before the loop) is
        read from D once per iteration. For numba (`native`), D is an array, the
        stores go one by one, and the varying constants come from a 2-D table.
        """
        s, p = self.start, self.period
        table = [
            tuple(order[s + p * t + k].constants[c] for k, which in enumerate(self.varying) for c in which)
            for t in range(self.count)
        ]
        wide = sum(len(which) for which in self.varying)
        out = [f"    # {self.count:,} steps of {p} nodes, one iteration each (nodes {s:,} to {self.end - 1:,})"]
        name = _identifier(f"table_{s}", taken)
        if not wide:
            out.append(f"    for t in range({self.count}):")
        elif native:
            namespace[name] = _matrix(table)
            out.append(f"    for t in range({self.count}):")
            out += [f"        k{j} = {name}[t, {j}]" for j in range(wide)]
        else:
            namespace[name] = table
            out.append(f"    for t, ({''.join(f'k{j}, ' for j in range(wide))}) in enumerate({name}):")
        out.append(f"        o = {s} + {p} * t")
        local: list[str] = []
        read: dict[str, str] = {}  # an expression reading D -> the local that holds it this iteration
        # a node of the step is written inside its one use when it is so in every iteration
        inlined = {k for k in range(p) if all(s + p * t + k in inline for t in range(self.count))}
        depth = [0] * p
        column = 0
        for k in range(p):
            node = order[s + k]
            args = []
            for first, stride in self.refs[k]:
                if stride == p and s <= first < s + p:
                    args.append(local[first - s])
                    continue
                if stride == 0:
                    args.append(var[order[first]])
                    continue
                where = f"D[o - {s - first}]" if stride == p else f"D[{first} + {stride} * t]"
                if where not in read:
                    read[where] = f"r{len(read)}"
                    out.append(f"        {read[where]} = {where}")
                args.append(read[where])
            for c, value in enumerate(node.constants):
                if c in self.varying[k]:
                    args.append(f"k{column}")
                    column += 1
                else:
                    args.append(_literal(value))
            op = node.op
            assert op is not None
            fixed_one = not self.varying[k] and node.constants == (1.0,)
            if op is IDENTITY or (op is MUL and fixed_one) or op.made_by == (power_by, 1.0):
                local.append(args[0])  # the parent's number itself
                continue
            inner = [depth[first - s] for first, stride in self.refs[k] if stride == p and s <= first < s + p]
            depth[k] = 1 + max(inner, default=0)
            if k in inlined and depth[k] <= _DEPTH:
                local.append(f"({tracer.value_code(op, args, f'n{k}')})")
                continue
            inlined.discard(k)
            depth[k] = 0
            local.append(f"n{k}")
            out.append(f"        n{k} = {tracer.value_code(op, args, f'n{k}')}  # {op.name}")
        kept = ["0.0" if k in inlined else n for k, n in enumerate(local)]  # (an inlined node is never read)
        if native:
            out += [f"        D[o + {k}] = {n}" for k, n in enumerate(kept) if k not in inlined]
        else:
            out.append(f"        D[o:o + {p}] = ({''.join(n + ', ' for n in kept)})")
        return out


def _matrix(rows: list[tuple[float, ...]]) -> Any:
    """A table of constants as a 2-D numpy array, for numba (which then needs numpy anyway)."""
    import numpy

    return numpy.array(rows, dtype=numpy.float64)


def _runs(order: Sequence[Value], position: Mapping[Value, int], guarded: set[int]) -> list[_Run]:
    """The repeated steps of a large graph, as loops (none below `LOOP_MIN` nodes).

    Each node gets a signature: its row, how many constants, and where its
    parents are (how far back, within a window; else just "far"). A step is
    a stretch whose signatures repeat with some period: the periods are voted
    for by the distances between equal signatures, and the longest stretches
    kept. A stretch is then checked: every reference affine in the
    iteration, no leaf and no guard inside (else it stays straight).
    """
    n = len(order)
    if n < LOOP_MIN:
        return []
    window = 64
    signatures = []
    for i, node in enumerate(order):
        op = node.op
        if op is None:
            signatures.append(hash(("leaf", i)))  # a leaf never repeats
            continue
        refs = tuple(d if (d := i - position[p]) <= window else -1 for p in node.parents)
        signatures.append(hash((op, len(node.constants), refs)))
    last: dict[int, int] = {}
    votes: dict[int, int] = {}
    for i, h in enumerate(signatures):
        j = last.get(h)
        if j is not None and i - j <= _MAX_PERIOD:
            votes[i - j] = votes.get(i - j, 0) + 1
        last[h] = i
    candidates = sorted(votes, key=lambda p: -votes[p])[:6]
    found: list[tuple[int, int, int]] = []  # (start, period, count)
    for p in candidates:
        i = 0
        for same, stretch in itertools.groupby(map(operator.eq, signatures, signatures[p:])):
            length = sum(1 for _ in stretch)
            if same and (length + p) // p >= _MIN_COUNT:  # nodes i … i + length + p − 1 repeat with period p
                found.append((i, p, (length + p) // p))
            i += length
    chosen: list[_Run] = []
    taken = bytearray(n)
    for start, p, count in sorted(found, key=lambda r: -r[1] * r[2]):
        if any(taken[start : start + p * count]) or p * count < _MIN_NODES:
            continue
        for skip in range(3):  # the first iteration or two may read what comes before differently: start later
            run = _checked(order, position, guarded, _Run(start + skip * p, p, count - skip))
            if run is not None:
                chosen.append(run)
                taken[run.start : run.end] = b"\x01" * (run.end - run.start)
                break
    return sorted(chosen, key=lambda r: r.start)


def _checked(order: Sequence[Value], position: Mapping[Value, int], guarded: set[int], run: _Run) -> _Run | None:
    """`run` with its references and varying constants read, or None if it cannot be a loop."""
    s, p, m = run.start, run.period, run.count
    if m < _MIN_COUNT or any(order[i].is_leaf or i in guarded for i in range(s, run.end)):
        return None
    for k in range(p):
        node = order[s + k]
        refs = []
        for slot, parent in enumerate(node.parents):
            first = position[parent]
            second = position[order[s + p + k].parents[slot]]
            stride = second - first
            for t in range(2, m):
                if position[order[s + p * t + k].parents[slot]] != first + stride * t:
                    return None
            if stride == 0 and s <= first < run.end:
                return None  # every iteration reads one node of the loop itself
            if stride not in (0, p) and any(
                s <= (j := first + stride * t) < run.end and j >= s + p * t for t in range(m)
            ):
                return None  # a node of this iteration, or of a later one, read through D
            refs.append((first, stride))
        run.refs.append(refs)
        constants = node.constants
        steps = [order[s + p * t + k].constants for t in range(m)]
        run.varying.append([c for c in range(len(constants)) if any(_differs(step[c], constants[c]) for step in steps)])
    return run


def _differs(a: Any, b: Any) -> bool:
    """Whether two numbers differ, -0.0 and 0.0 included (they are equal, but copysign tells them apart)."""
    if a != b:
        return True
    return type(a) is float and type(b) is float and a == 0.0 and math.copysign(1.0, a) != math.copysign(1.0, b)


def _propagates(node: Value) -> bool:
    """Whether the node's row gives inf or nan whenever an input is (see `_PROPAGATING`)."""
    op = node.op
    return op is not None and (op.flips or op) in _PROPAGATING


def _same_number(node: Value) -> bool:
    """A node whose number is its one parent's, exactly: identity, ``x * 1.0``, ``x ** 1.0`` (for finite x)."""
    op = node.op
    if op is IDENTITY:
        return True
    if op is MUL:
        return node.constants == (1.0,)
    return op is not None and op.made_by == (power_by, 1.0)


def namespace_of(spec: Mapping[str, tuple[Any, ...]]) -> dict[str, Any]:
    """The names a program calls, from `write_function`'s description of them."""
    return {
        name: (getattr(entry[1], "derivs" if entry[2] == "derivs" else "value") if entry[0] == "row" else entry[1])
        for name, entry in spec.items()
    }


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
        tracer = Tracer()
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


def _chunk_source(tracer: Tracer, shape: tuple[Any, ...]) -> str:
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
            local = [(f"d_n{k}[{i}]", ATOM) for i in range(len(entry[1]))]
        for ref, (d, precedence) in zip(entry[1], local):
            backward.append(f"    {_chain_rule(f'g_{name(ref)}', f'g_n{k}', d, precedence, first=False)}")
    leaves = [k for k, entry in enumerate(shape) if entry is None]
    backward += [f"    g[b + {k}] = g_n{k}" for k in leaves]
    if before:
        backward.append(f"    g[b - {-low}:b] = ({''.join(f'g_{p}, ' for p in before)})")
    backward += [f"    g[{j}] = g_a{j}" for j in far]
    return "\n".join([*forward, "", *backward]) + "\n"

"""A property-based fuzzer of the public API: random programs on random, often hostile, inputs.

Each example runs a random sequence of public operations (operators, module
functions, backward, grad, no_grad, compile and replay, optimizer steps,
assigning .data) on a small pool of Values. After every step:

* a step that succeeded left only finite numbers (data and gradients), and
  every gradient it added agrees with a numeric slope where one exists;
* a step that failed raised a documented exception whose message names an
  autograd_lite operation, and changed no number it was not meant to change.

At the end, every Value the program made is differentiated and checked the
same way. The numeric slope is a central difference of the program recomputed
from its leaves (`Trace`), taken only where it means something: not at a kink
or a jump, nor where the float rounding of the program hides the slope.

The CI profile is derandomized (tests/conftest.py); HYPOTHESIS_PROFILE=dev draws more.
"""

import functools
import math

import pytest
from helpers import numeric_slope
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.testing import expressions

#: What may go wrong, and how the message must begin: with a name of autograd_lite.
DOCUMENTED = (ValueError, TypeError, ArithmeticError, RuntimeError)
NAMES = {
    *al.PRIMITIVES,
    "pow_const",
    "pow",
    "Value",
    "Value.data",
    "backward",
    "backward(gradient)",
    "differentiate",
    "push_forward",
    "grad",
    "jvp",
    "hessian",
    "sum_",
    "dot",
    "Tape.forward",
    "Tape.backward",
    "SGD",
    "Adam",
    "elu: alpha",
    "leaky_relu: slope",
    "float()",
    "int()",
}

NASTY = [0.0, -0.0, 1.0, -1.0, 1e-310, -1e-310, 1e-320, 1e300, -1e300, 1.7e308, math.inf, -math.inf, math.nan]
numbers = st.sampled_from(NASTY) | st.floats(-5.0, 5.0) | st.integers(-3, 3)
wrong = st.sampled_from(["2", None, 1j, [1.0], {"a": 1.0}])
operands = numbers | wrong

BINARY = ["+", "-", "*", "/", "**", "%", "//", "maximum", "minimum", "atan2", "hypot", "fmod", "logaddexp", "copysign"]
UNARY = [
    "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "sin", "cos", "softplus", "abs", "neg", "tan", "asin", "acos",
    "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log1p", "expm1", "log2", "log10", "exp2", "cbrt", "erf",
    "erfc", "lgamma", "gamma", "digamma", "trigamma", "floor", "ceil", "trunc", "sign", "silu", "gelu",
    "log_sigmoid", "elu", "leaky_relu",
]


def check_error(error):
    """A failure must be a documented type whose message names the autograd_lite operation."""
    assert isinstance(error, DOCUMENTED), f"undocumented {type(error).__name__}: {error}"
    message = str(error)
    if isinstance(error, TypeError) and message.startswith("unsupported operand type"):
        return  # Python's own message for an operator no side supports (NotImplemented on both sides)
    head = message.split(":")[0].split(" ")[0]
    assert head in NAMES or message.split(":")[0] in NAMES, f"message does not name an operation: {message!r}"


def snapshot(pool):
    return [(v.data, v.grad, v.is_leaf) for v in pool]


def all_finite(pool):
    return all(math.isfinite(v.data) and math.isfinite(v.grad) for v in pool)


_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
    "%": lambda a, b: a % b,
    "//": lambda a, b: a // b,
    **{name: getattr(al, name) for name in BINARY if name.isidentifier()},
}


def unary(name, a):
    if name == "neg":
        return -a
    if name == "abs":
        return abs(a)
    return getattr(al, name)(a)


def _side(x):
    return (x > 0) - (x < 0)


#: The rows that are smooth only in pieces, and which piece plain inputs are on. The steps of a numeric
#: slope must stay on one piece: at a kink the exact derivative is a convention (relu'(0) = 0, so
#: copysign(x, x) = x has the slope 0 at 0), and at 1e300, where every float is an integer, floor(x) is x.
#: sin, cos and tan count a piece per sixteenth of a turn: where a step is longer, at 1e300, their floats
#: are all but random, and a slope between them says nothing of the derivative.
PIECES = {
    "sin": lambda x: math.floor(x / (math.pi / 8)),
    "cos": lambda x: math.floor(x / (math.pi / 8)),
    "tan": lambda x: math.floor(x / (math.pi / 8)),
    "floor": math.floor,
    "ceil": math.ceil,
    "trunc": math.trunc,
    "sign": _side,
    "abs": _side,
    "relu": _side,
    "elu": _side,
    "leaky_relu": _side,
    "%": lambda x, y: x // y,
    "//": lambda x, y: x // y,
    "fmod": lambda x, y: round((x - math.fmod(x, y)) / y),
    "copysign": lambda x, y: (_side(x), math.copysign(1.0, y), y == 0),
    "maximum": lambda x, y: _side(x - y),
    "minimum": lambda x, y: _side(x - y),
}


def refill(terms, values):
    """terms with its Values replaced, in order, by values."""
    values = iter(values)
    return [next(values) if isinstance(x, Value) else x for x in terms]


class Trace:
    """The fuzzer's own account of its pool, kept beside the graphs the engine records.

    For each Value of the pool, how to recompute it from the pool's leaves (a
    recipe: the same public operation on the recomputed inputs, or None for a
    leaf), so that a numeric slope can be taken without the engine's
    derivatives; for a row that is smooth only in pieces, also which piece the
    inputs are on. For each node of every graph, the action that made it and
    the last one that changed its number, so that the gradient of a graph is
    compared only with the function it was recorded at.
    """

    def __init__(self):
        self.recipes = {}  # id(Value) -> None (a leaf) or (function, [input Values], piece, error)
        self.nodes = {}  # id(node) -> [node, data.hex(), made at, changed at (-1: never)]
        self.clock = 0
        self.seen = 0  # how many Values of the pool have had their graphs read

    def made(self, v, function=None, inputs=(), piece=None, error=None):
        """v joined the pool: a leaf, or function applied to the Values in inputs (numbers are inside function).

        piece, for a row smooth only in pieces, maps the same inputs to which piece they are on; error, for a
        row whose rounding follows the size of its inputs rather than of its result (a sum), to that error.
        """
        recipe = None if function is None or v.is_leaf else (function, list(inputs), piece, error)
        self.recipes.setdefault(id(v), recipe)

    def tick(self, pool):
        """After an action: note the nodes it changed and the nodes it made."""
        self.clock += 1
        for entry in self.nodes.values():
            if entry[0].data.hex() != entry[1]:
                entry[1], entry[3] = entry[0].data.hex(), self.clock
        for v in pool[self.seen :]:
            for node in al.topological_order(v):
                self.nodes.setdefault(id(node), [node, node.data.hex(), self.clock, -1])
        self.seen = len(pool)

    def current(self, out):
        """Whether out's graph was recorded at the numbers it holds: no computed node changed, no leaf since."""
        order = al.topological_order(out)
        computed = [self.nodes[id(n)] for n in order if not n.is_leaf]
        if any(changed >= 0 for _, _, _, changed in computed):
            return False
        first = min((made for _, _, made, _ in computed), default=math.inf)
        return all(self.nodes[id(n)][3] < first for n in order if n.is_leaf)

    def order(self, out):
        """The pool's Values out is computed from, inputs before the Values made from them."""
        done, order, stack = set(), [], [(out, False)]
        while stack:
            v, ready = stack.pop()
            if ready:
                order.append(v)
            elif id(v) not in done:
                done.add(id(v))
                stack.append((v, True))
                stack.extend((u, False) for u in (self.recipes[id(v)] or (None, ()))[1])
        return order

    def recompute(self, out, point, nudge=(None, 0.0), record=False):
        """Every Value out is computed from, computed again from fresh leaves holding the numbers in point.

        Returns them, and the piece each row smooth in pieces is on. Nothing is
        recorded unless record is true. nudge = (id, delta) adds delta to that
        one result, for what follows from it.
        """
        results, pieces = {}, {}
        with al.enable_grad() if record else al.no_grad():
            for v in self.order(out):
                recipe = self.recipes[id(v)]
                if recipe is None:
                    r = Value(point[id(v)])
                else:
                    function, inputs, piece, _ = recipe
                    args = [results[id(u)] for u in inputs]
                    r = function(*args)
                    if piece is not None:
                        pieces[id(v)] = piece(*args)
                results[id(v)] = r + nudge[1] if id(v) == nudge[0] else r
        return results, pieces

    def values(self, out, point, nudge=(None, 0.0)):
        """The numbers of recompute(), and the pieces."""
        results, pieces = self.recompute(out, point, nudge)
        return {key: r.data for key, r in results.items()}, pieces

    def along(self, out, point, leaf, pieces):
        """out as a function of one leaf's number, the others as in point; a step off a row's piece raises."""

        def f(x):
            numbers, now = self.values(out, {**point, id(leaf): x})
            if now != pieces:
                raise ValueError("the step leaves a row's smooth piece")
            return numbers[id(out)]

        return f

    def rounding(self, out, point):
        """How far out's float may be from its exact value: what each result, off by its rounding, does to out.

        Each computed result is taken to be within 64 units in its last place
        (a row's own rounding and the error of its method), or its recipe's
        error: out is recomputed with the result moved that far either way, and
        the changes are added.
        """
        results = self.recompute(out, point)[0]
        total = 0.0
        for key, r in results.items():
            recipe = self.recipes[key]
            if recipe is not None:
                inputs, error = recipe[1], recipe[3]
                e = 64 * math.ulp(r.data) + (error(*[results[id(u)] for u in inputs]) if error else 0.0)
                moved = [self.values(out, point, (key, d))[0][id(out)] for d in (e, -e)]
                total += max(abs(m - results[id(out)].data) for m in moved)
        return total

    def paths(self, out, point):
        """For each leaf, the sum over the paths from it to out of |the product of the local derivatives|.

        The scale a backward pass adds and cancels to reach a leaf's gradient,
        so the scale of its rounding (x − x has the gradient 0 from 1 and −1).
        From a fresh recording at point; the numbers under test are the sums
        these products make, not these magnitudes.
        """
        results = self.recompute(out, point, record=True)[0]
        order = al.topological_order(results[id(out)])
        through = {id(n): 0.0 for n in order}
        through[id(order[-1])] = 1.0
        for node in reversed(order):
            for parent, d in zip(node.parents, node.local_grads):
                through[id(parent)] += through[id(node)] * abs(d)
        return {key: through.get(id(r), 0.0) for key, r in results.items() if self.recipes[key] is None}

    def check_gradients(self, out, seed, before):
        """Each leaf's gradient added by a backward pass of out with this seed is seed × the numeric slope of out."""
        leaves = [v for v in self.order(out) if self.recipes[id(v)] is None]
        point = {id(v): v.data for v in leaves}
        try:
            noise, paths = self.rounding(out, point), self.paths(out, point)
        except (ArithmeticError, ValueError):
            return  # a nearby point is outside the domain of a step: no slopes here
        pieces = self.values(out, point)[1]
        for leaf in leaves:
            found = numeric_slope(self.along(out, point, leaf, pieces), leaf.data, noise)
            if found is None:
                continue  # no slope here: a kink, a jump, or a step out of the domain
            slope, uncertainty = found
            expected, added = seed * slope, leaf.grad - before[id(leaf)]
            if not math.isfinite(expected):
                continue
            tolerance = (
                1e-4 * max(abs(added), abs(expected))
                + abs(seed) * uncertainty
                + 1e-13 * (abs(before[id(leaf)]) + abs(seed) * paths[id(leaf)])  # the backward pass's rounding
                + 1e-300
            )
            if not math.isfinite(tolerance):
                continue  # an infinite local derivative (√x at 0) on a path: nothing to measure against
            assert abs(added - expected) <= tolerance, (
                f"{out!r}: backward added {added!r} to the gradient of {leaf!r}, the numeric slope × {seed!r} is "
                f"{expected!r} (± {tolerance:.3g})"
            )


actions = st.one_of(
    st.tuples(st.just("binary"), st.sampled_from(BINARY), st.integers(0, 9), st.integers(0, 9) | operands, st.booleans()),  # noqa: E501
    st.tuples(st.just("unary"), st.sampled_from(UNARY), st.integers(0, 9)),
    st.tuples(st.just("backward"), st.integers(0, 9), numbers | wrong),
    st.tuples(st.just("no_grad"), st.sampled_from(BINARY), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("assign"), st.integers(0, 9), operands),
    st.tuples(st.just("replay"), st.integers(0, 9), st.integers(0, 9), numbers),
    st.tuples(st.just("optimizer"), st.sampled_from(["SGD", "Adam"]), numbers),
    st.tuples(st.just("float"), st.integers(0, 9)),
    st.tuples(st.just("sum"), st.lists(st.integers(0, 9) | numbers, max_size=4)),
)


def run(action, pool, trace):
    """Do one action on the pool; new Values join it, and the trace. Returns whether it raised."""
    kind, *args = action
    pick = lambda i: pool[i % len(pool)]
    before = snapshot(pool)
    try:
        if kind == "binary":
            symbol, i, j, reflected = args
            a, b = pick(i), (pick(j) if isinstance(j, int) and not isinstance(j, bool) else j)
            pool.append(_OPS[symbol](b, a) if reflected and not isinstance(b, Value) else _OPS[symbol](a, b))
            op = _OPS[symbol]
            piece = PIECES.get(symbol)
            if isinstance(b, Value):
                trace.made(pool[-1], op, [a, b], piece and (lambda u, w: piece(u.data, w.data)))
            elif reflected:
                trace.made(pool[-1], lambda u: op(b, u), [a], piece and (lambda u: piece(b, u.data)))
            else:
                trace.made(pool[-1], lambda u: op(u, b), [a], piece and (lambda u: piece(u.data, b)))
        elif kind == "unary":
            name, i = args
            a = pick(i)
            pool.append(unary(name, a))
            piece = PIECES.get(name)
            trace.made(pool[-1], lambda u: unary(name, u), [a], piece and (lambda u: piece(u.data)))
        elif kind == "backward":
            i, seed = args
            leaves = [v for v in al.topological_order(pick(i)) if v.is_leaf]
            held = {id(v): v.grad for v in leaves}
            try:
                pick(i).backward(seed)
            except DOCUMENTED:
                assert all(v.grad == held[id(v)] for v in leaves), "a failed backward changed a leaf's gradient"
                raise
            if trace.current(pick(i)):
                trace.check_gradients(pick(i), seed, held)
        elif kind == "no_grad":
            symbol, i, j = args
            with al.no_grad():
                v = _OPS[symbol](pick(i), pick(j))
            assert v.is_leaf and al.is_recording()
            pool.append(v)
            trace.made(v)
        elif kind == "assign":
            i, x = args
            pick(i).data = x
            assert type(pick(i).data) is float
        elif kind == "replay":
            i, j, x = args
            out, leaf = pick(i), pick(j)
            tape = al.compile(out)
            if leaf.is_leaf:
                leaf.data = x
            try:
                tape.forward()
            except DOCUMENTED:
                with pytest.raises(RuntimeError, match="forward"):
                    tape.backward()
                raise
            held = {id(v): v.grad for v in al.topological_order(out) if v.is_leaf}
            tape.backward()
            trace.check_gradients(out, 1.0, held)  # replay recomputes the graph at the leaves' new numbers
        elif kind == "optimizer":
            name, grad = args
            params = list({id(v): v for v in pool if v.is_leaf}.values())[:3]
            opt = al.SGD(params, lr=0.1, momentum=0.9) if name == "SGD" else al.Adam(params, lr=0.1)
            for p in params:
                p.grad = grad if isinstance(grad, float) and math.isfinite(grad) else 1.0
            held = [p.data for p in params]
            try:
                opt.step()
            except DOCUMENTED:
                assert [p.data for p in params] == held, "a failed step changed a parameter"
                raise
        elif kind == "float":
            (i,) = args
            float(pick(i))
            raise AssertionError("float() of a Value must raise")
        elif kind == "sum":
            (items,) = args
            terms = [pick(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in items]
            total = al.sum_(terms)
            assert isinstance(total, Value) or math.isfinite(total)  # plain numbers only: a plain float
            pool.append(total if isinstance(total, Value) else Value(total))
            if isinstance(total, Value):
                inputs = [x for x in terms if isinstance(x, Value)]
                size = lambda *vs: math.fsum(abs(getattr(x, "data", x)) for x in refill(terms, vs))
                rounding = lambda *vs: 64 * math.ulp(size(*vs))  # added left to right: the partial sums round
                trace.made(total, lambda *vs: al.sum_(refill(terms, vs)), inputs, error=rounding)
            else:
                trace.made(pool[-1])
    except DOCUMENTED as error:
        # A str or list operand of * or + raises the TypeError of str or list themselves (a list times a Value
        # asks for the Value's index). ** gets no such allowance: a foreign exponent must get Python's own
        # "unsupported operand type(s)", whatever ran before.
        foreign = kind == "binary" and args[0] != "**" and isinstance(args[2], (str, complex, list, dict, type(None)))
        if not (foreign and isinstance(error, TypeError)):
            check_error(error)
        if kind not in ("backward", "replay", "optimizer"):  # those restore what they touched, checked above
            assert snapshot(pool[: len(before)]) == before, f"{kind} failed and changed a Value"
        return True
    assert all_finite(pool), f"{kind} left a non-finite number: {pool}"
    return False


def run_program(start, program):
    """Run the actions of program on a pool of Values holding start, then differentiate every Value it made."""
    pool = []
    for x in start:
        try:
            pool.append(Value(x))
        except DOCUMENTED as error:
            check_error(error)
    pool = pool or [Value(1.0)]
    trace = Trace()
    for v in pool:
        trace.made(v)
    trace.tick(pool)
    for action in program:
        run(action, pool, trace)
        trace.tick(pool)
    assert al.is_recording()
    for out in {id(v): v for v in pool if not v.is_leaf and trace.current(v)}.values():
        held = {id(v): v.grad for v in al.topological_order(out) if v.is_leaf}
        try:
            out.backward()
        except DOCUMENTED as error:
            check_error(error)
            continue
        trace.check_gradients(out, 1.0, held)  # every Value the program made, not only those it differentiated


@settings(max_examples=max(1000, settings().max_examples))  # about 2 s; the dev profile draws them at random
@given(st.lists(numbers, min_size=2, max_size=4), st.lists(actions, min_size=1, max_size=25))
def test_random_programs_never_give_a_silent_wrong_number(start, program):
    """Every step leaves finite numbers and gradients that match numeric slopes, or raises a documented error."""
    run_program(start, program)


@pytest.mark.parametrize(
    "program",
    [
        [("unary", "sinh", 0), ("backward", 2, 1.0)],  # checked after backward
        [("unary", "sinh", 0), ("replay", 2, 0, 0.4)],  # after a compiled tape's backward
        [("unary", "sinh", 1)],  # at the end, for every Value made
    ],
    ids=["backward", "replay", "at-the-end"],
)
def test_a_wrong_derivative_fails_the_fuzzer(monkeypatch, program):
    """With sinh's derivative 1.5 times too large, a program that differentiates sinh fails the gradient check."""
    sinh = al.PRIMITIVES["sinh"]
    right = sinh.derivs
    monkeypatch.setattr(sinh, "derivs", lambda x, out: tuple(1.5 * d for d in right(x, out)))
    # The eager fast path wrote sinh's derivative out at its first use: go through the row's derivs again.
    monkeypatch.setitem(al.engine.UNARY, sinh, functools.partial(al.engine._unary, sinh))
    with pytest.raises(AssertionError, match="backward added"):
        run_program([0.7, -1.3], program)


@pytest.mark.parametrize(
    ("start", "program"),
    [
        ([0.0], [("binary", "copysign", 0, 0, False)]),  # copysign(x, x) = x: relu-like conventions at 0
        ([0.0, 1.0], [("binary", "maximum", 0, 1, False), ("binary", "maximum", 0, 0, False)]),  # a tie
        ([0.0], [("unary", "relu", 0), ("unary", "abs", 0), ("unary", "sign", 0)]),  # kinks and a jump
        ([1e300], [("unary", "floor", 0), ("binary", "%", 0, 1.0, False)]),  # every float there is an integer
        ([1e300], [("binary", "+", 0, 0, False), ("unary", "tan", 1)]),  # a step of 1e294: tan is noise
        ([0.0], [("sum", [0, 1e300, -1e300]), ("binary", "+", 0, 1e300, False)]),  # x is lost in the rounding
        ([2.9e-95], [("binary", "*", 0, 0, False)]),  # x ± h rounds to ±h: the steps are not centred on x
        ([1.0], [("binary", "-", 0, 0, False), ("unary", "exp", 0), ("backward", 2, 1e-20)]),  # 2.7e-20 + 1 − 1
    ],
    ids=["copysign", "maximum", "kinks", "floor", "tan", "rounding", "tiny", "cancel"],
)
def test_the_gradient_check_passes_where_a_numeric_slope_says_nothing(start, program):
    """Kinks, jumps, steps lost in rounding and cancelling paths are skipped or allowed for, not failed."""
    run_program(start, program)


@given(expressions(n_inputs=2, max_steps=6), st.tuples(numbers, numbers))
def test_derivatives_of_random_expressions_are_right_or_refused(expr, point):
    """grad of a random expression at a hostile point: the exact slope agrees with the numeric one, or it raises."""
    try:
        exact = al.grad(expr, argnums=(0, 1))(*point)
    except DOCUMENTED as error:
        check_error(error)
        return
    assert all(math.isfinite(g) for g in exact)
    if all(isinstance(x, (int, float)) and abs(x) <= 2.0 for x in point):
        try:
            numeric = al.numeric_grad(expr, *point)
        except DOCUMENTED:
            return  # the numeric slope is what cannot be computed here
        for e, n in zip(exact, numeric):
            assert e == pytest.approx(n, rel=1e-3, abs=1e-4)

"""A property-based fuzzer of the public API: random programs on random, often hostile, inputs.

Each example runs a random sequence of public operations (operators, module
functions, backward, grad, no_grad, compile and replay, optimizer steps,
assigning .data) on a small pool of Values. After every step:

* a step that succeeded left only finite numbers (data and gradients), and
  every derivative it returned agrees with a numeric slope where one exists;
* a step that failed raised a documented exception whose message names an
  autograd_lite operation, and changed no number it was not meant to change.

The CI profile is derandomized (tests/conftest.py); HYPOTHESIS_PROFILE=dev draws more.
"""

import math

import pytest
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


def run(action, pool):
    """Do one action on the pool; new Values join it. Returns whether it raised."""
    kind, *args = action
    pick = lambda i: pool[i % len(pool)]
    before = snapshot(pool)
    try:
        if kind == "binary":
            symbol, i, j, reflected = args
            a, b = pick(i), (pick(j) if isinstance(j, int) and not isinstance(j, bool) else j)
            pool.append(_OPS[symbol](b, a) if reflected and not isinstance(b, Value) else _OPS[symbol](a, b))
        elif kind == "unary":
            name, i = args
            pool.append(unary(name, pick(i)))
        elif kind == "backward":
            i, seed = args
            leaves = [v for v in al.topological_order(pick(i)) if v.is_leaf]
            held = {id(v): v.grad for v in leaves}
            try:
                pick(i).backward(seed)
            except DOCUMENTED:
                assert all(v.grad == held[id(v)] for v in leaves), "a failed backward changed a leaf's gradient"
                raise
        elif kind == "no_grad":
            symbol, i, j = args
            with al.no_grad():
                v = _OPS[symbol](pick(i), pick(j))
            assert v.is_leaf and al.is_recording()
            pool.append(v)
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
            tape.backward()
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
            total = al.sum_([pick(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in items])
            assert isinstance(total, Value) or math.isfinite(total)  # plain numbers only: a plain float
            pool.append(total if isinstance(total, Value) else Value(total))
    except DOCUMENTED as error:
        foreign = kind == "binary" and isinstance(args[2], (str, complex, list, dict, type(None)))
        if not (foreign and isinstance(error, TypeError)):  # a str or list operand raises its own TypeError
            check_error(error)
        if kind not in ("backward", "replay", "optimizer"):  # those restore what they touched, checked above
            assert snapshot(pool[: len(before)]) == before, f"{kind} failed and changed a Value"
        return True
    assert all_finite(pool), f"{kind} left a non-finite number: {pool}"
    return False


@settings(max_examples=max(200, settings().max_examples))  # at least 200, more with the dev profile
@given(st.lists(numbers, min_size=2, max_size=4), st.lists(actions, min_size=1, max_size=25))
def test_random_programs_never_give_a_silent_wrong_number(start, program):
    """Every step either leaves finite numbers or raises a documented error naming the operation."""
    pool = []
    for x in start:
        try:
            pool.append(Value(x))
        except DOCUMENTED as error:
            check_error(error)
    pool = pool or [Value(1.0)]
    for action in program:
        run(action, pool)
    assert al.is_recording()


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

"""Hypothesis strategies for property tests of derivatives (needs ``hypothesis``).

* `DOMAINS` — for every primitive in the table, a strategy per input that stays
  inside the primitive's domain and away from its kinks.
* `expressions()` — random expressions over the primitives, with shared
  subexpressions, defined for every input in [−2, 2].
* `points(n)` — inputs for those expressions.

Importing `autograd_lite` does not import this module; only this module needs
hypothesis.

>>> from hypothesis import given
>>> from autograd_lite import gradcheck
>>> @given(expressions(), points(3))
... def test_gradients_match_slopes(expr, xs):
...     assert gradcheck(expr, *xs, rtol=1e-4, atol=1e-6)
>>> test_gradients_match_slopes()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on what is installed
    raise ImportError(
        "autograd_lite.testing needs hypothesis: install the test extra, pip install 'autograd_lite[test]'"
    ) from error

from . import primitives as P
from .primitives import dot, sum_

__all__ = ["DOMAINS", "EXPONENTS", "PIECEWISE", "Expression", "Step", "expressions", "points", "primitive_inputs"]

Floats = st.SearchStrategy[float]


def _between(lo: float, hi: float) -> Floats:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


_any = _between(-3.0, 3.0)
_positive = _between(0.05, 5.0)
_away_from_zero = _between(0.05, 3.0) | _between(-3.0, -0.05)
_inside_one = _between(-0.9, 0.9)
# Away from the jumps of floor, ceil, trunc and round: not near an integer, nor near a half.
_between_jumps = st.one_of(*(_between(lo, lo + 0.3) for lo in (0.1, 0.6, -0.9, -0.4, 1.1, -1.4)))
# For a % b, fmod and //: a/b stays strictly between −1 and 1 and away from 0, so no jump is near.
_dividend = _between(0.1, 1.9) | _between(-1.9, -0.1)
_divisor = _between(2.0, 2.5) | _between(-2.5, -2.0)

#: Per primitive, one strategy per input: inside the domain, away from kinks.
DOMAINS: dict[str, tuple[Floats, ...]] = {
    "identity": (_any,),
    "add": (_any, _any),
    "sub": (_any, _any),
    "mul": (_any, _any),
    "div": (_any, _away_from_zero),
    "pow": (_positive, _between(-2.0, 2.0)),
    "neg": (_any,),
    "abs": (_away_from_zero,),
    "exp": (_any,),
    "log": (_positive,),
    "sqrt": (_positive,),
    "tanh": (_any,),
    "sigmoid": (_any,),
    "relu": (_away_from_zero,),
    "sin": (_any,),
    "cos": (_any,),
    "softplus": (_any,),
    # Rows with any number of inputs are drawn with a fixed number: sum of 3, dot of 2 pairs.
    "sum": (_any, _any, _any),
    "dot": (_any, _any, _any, _any),
    "exp2": (_any,),
    "expm1": (_any,),
    "log2": (_positive,),
    "log10": (_positive,),
    "log1p": (_between(-0.9, 3.0),),
    "cbrt": (_away_from_zero,),
    "logaddexp": (_any, _any),
    "tan": (_between(-1.2, 1.2),),
    "asin": (_inside_one,),
    "acos": (_inside_one,),
    "atan": (_any,),
    "atan2": (_away_from_zero, _any),  # y ≠ 0: away from the branch cut along the negative x axis
    "hypot": (_away_from_zero, _any),
    "sinh": (_any,),
    "cosh": (_any,),
    "asinh": (_any,),
    "acosh": (_between(1.1, 5.0),),
    "atanh": (_inside_one,),
    "erf": (_any,),
    "erfc": (_any,),
    "lgamma": (_between(0.1, 5.0),),
    "gamma": (_between(0.1, 5.0),),
    "digamma": (_between(0.1, 5.0),),
    "trigamma": (_between(0.1, 5.0),),
    "floor": (_between_jumps,),
    "ceil": (_between_jumps,),
    "trunc": (_between_jumps,),
    "round": (_between_jumps,),
    "sign": (_away_from_zero,),
    "fmod": (_dividend, _divisor),
    "mod": (_dividend, _divisor),
    "floordiv": (_dividend, _divisor),
    "copysign": (_away_from_zero, _away_from_zero),
    # maximum and minimum: a is below b (a < −0.05 ≤ 0 ≤ b) or above it (a ≥ 0.5 > 0.45 ≥ b), never tied.
    "maximum": (_between(-3.0, -0.05) | _between(0.5, 3.0), _between(0.0, 0.45)),
    "minimum": (_between(-3.0, -0.05) | _between(0.5, 3.0), _between(0.0, 0.45)),
    "log_sigmoid": (_any,),
    "silu": (_any,),
    "gelu": (_any,),
    "gelu_tanh": (_any,),
    "logsumexp": (_any, _any, _any),
}

#: Rows whose value jumps or has kinks: their slopes are checked inside DOMAINS, but, except
#: relu and abs (shifted off their kink), they are left out of random expressions, where a
#: drawn point may land on a jump.
PIECEWISE = frozenset(
    {"abs", "relu", "floor", "ceil", "trunc", "round", "sign", "fmod", "mod", "floordiv", "copysign", "maximum",
     "minimum"}
)

#: Constant exponents drawn for ``x ** c`` (the `power_by` family).
EXPONENTS = (2.0, 3.0, -1.0, 0.5, 1.5)


@dataclass(frozen=True)
class Step:
    """One instruction: apply primitive `op` to earlier results `operands`."""

    op: str
    operands: tuple[int, ...]
    exponent: float = 0.0  # only for "pow_const"


def _positive_of(x: Any) -> Any:
    # A guard that keeps log, sqrt, division and powers inside their domains.
    return x * x + 0.5


def _off_kink(x: Any) -> Any:
    # A guard that moves relu's and abs's kink at 0 away from the round numbers
    # (0, ±1, x − x) that drawn inputs favour, so central differences see no kink.
    return x + 0.318309886


def _bounded(x: Any) -> Any:
    # A guard that keeps exp, powers and exponents from growing without bound.
    return x.tanh() * 2.0


@dataclass(frozen=True)
class Expression:
    """A random straight-line program over the primitives; call it with Values.

    Results are numbered: 0..n_inputs-1 are the inputs, then one per step;
    the last step's result is the output. Steps may reuse any earlier result,
    which makes shared subexpressions (diamonds, ``a + a``).
    """

    n_inputs: int
    steps: tuple[Step, ...]

    def __call__(self, *xs: Any) -> Any:
        results: list[Any] = list(xs)
        for step in self.steps:
            args = [results[i] for i in step.operands]
            results.append(_APPLY[step.op](step, *args))
        return results[-1]

    def __repr__(self) -> str:
        names = [f"x{i}" for i in range(self.n_inputs)]
        for step in self.steps:
            args = ", ".join(names[i] for i in step.operands)
            extra = f", c={step.exponent}" if step.op == "pow_const" else ""
            names.append(f"{step.op}({args}{extra})")
        return f"Expression({names[-1]})"


_APPLY: dict[str, Callable[..., Any]] = {
    "identity": lambda s, a: +a,
    "add": lambda s, a, b: a + b,
    "sub": lambda s, a, b: a - b,
    "mul": lambda s, a, b: a * b,
    "div": lambda s, a, b: a / _positive_of(b),
    "pow": lambda s, a, b: _positive_of(_bounded(a)) ** _bounded(b),
    "pow_const": lambda s, a: (_bounded(a) if s.exponent.is_integer() and s.exponent > 0 else _positive_of(_bounded(a)))
    ** s.exponent,
    "neg": lambda s, a: -a,
    "abs": lambda s, a: abs(_off_kink(a)),
    "exp": lambda s, a: _bounded(a).exp(),
    "log": lambda s, a: _positive_of(a).log(),
    "sqrt": lambda s, a: _positive_of(a).sqrt(),
    "tanh": lambda s, a: a.tanh(),
    "sigmoid": lambda s, a: a.sigmoid(),
    "relu": lambda s, a: _off_kink(a).relu(),
    "sin": lambda s, a: a.sin(),
    "cos": lambda s, a: a.cos(),
    "softplus": lambda s, a: a.softplus(),
    "sum": lambda s, a, b, c: sum_([a, b, c]),
    "dot": lambda s, a, b, c, d: dot([a, b], [c, d]),
    "exp2": lambda s, a: P.exp2(_bounded(a)),
    "expm1": lambda s, a: P.expm1(_bounded(a)),
    "log2": lambda s, a: P.log2(_positive_of(a)),
    "log10": lambda s, a: P.log10(_positive_of(a)),
    "log1p": lambda s, a: P.log1p(_positive_of(a)),
    "cbrt": lambda s, a: P.cbrt(_positive_of(a)),
    "logaddexp": lambda s, a, b: P.logaddexp(a, b),
    "tan": lambda s, a: P.tan(_bounded(a) * 0.6),
    "asin": lambda s, a: P.asin(_bounded(a) * 0.45),
    "acos": lambda s, a: P.acos(_bounded(a) * 0.45),
    "atan": lambda s, a: P.atan(a),
    "atan2": lambda s, a, b: P.atan2(a, _positive_of(b)),
    "hypot": lambda s, a, b: P.hypot(_positive_of(a), b),
    "sinh": lambda s, a: P.sinh(_bounded(a)),
    "cosh": lambda s, a: P.cosh(_bounded(a)),
    "asinh": lambda s, a: P.asinh(a),
    "acosh": lambda s, a: P.acosh(_positive_of(a) + 1.0),
    "atanh": lambda s, a: P.atanh(_bounded(a) * 0.45),
    "erf": lambda s, a: P.erf(a),
    "erfc": lambda s, a: P.erfc(a),
    "lgamma": lambda s, a: P.lgamma(_positive_of(a)),
    "gamma": lambda s, a: P.gamma(_positive_of(_bounded(a))),
    "digamma": lambda s, a: P.digamma(_positive_of(a)),
    "trigamma": lambda s, a: P.trigamma(_positive_of(a)),
    "log_sigmoid": lambda s, a: P.log_sigmoid(a),
    "silu": lambda s, a: P.silu(a),
    "gelu": lambda s, a: P.gelu(a),
    "gelu_tanh": lambda s, a: P.gelu(a, approximate="tanh"),
    "logsumexp": lambda s, a, b, c: P.logsumexp([a, b, c]),
}


def _arity(op: str) -> int:
    """How many operands a step of `op` takes (n-ary rows: as many as their test domain)."""
    return 1 if op == "pow_const" else len(DOMAINS[op])


@st.composite
def expressions(draw: st.DrawFn, n_inputs: int = 3, max_steps: int = 8, ops: Sequence[str] | None = None) -> Expression:
    """Random expressions of `n_inputs` inputs and up to `max_steps` primitives.

    Operands are drawn from the inputs and every earlier result, so results
    are often reused. Guards (``x² + 0.5``, ``2·tanh x``, a shift before relu
    and abs) keep every step in its domain and off its kinks for inputs in
    [−2, 2].
    """
    names = list(ops) if ops is not None else list(_APPLY)  # every row with a guarded step, and x ** c
    count = draw(st.integers(1, max_steps))
    steps = []
    for k in range(count):
        op = draw(st.sampled_from(names))
        available = n_inputs + k
        # Lean towards recent results, so expressions are deep, not just wide.
        operands = tuple(
            draw(st.integers(0, available - 1) | st.just(available - 1)) for _ in range(_arity(op))
        )
        exponent = draw(st.sampled_from(EXPONENTS)) if op == "pow_const" else 0.0
        steps.append(Step(op, operands, exponent))
    return Expression(n_inputs, tuple(steps))


def points(n: int, lo: float = -2.0, hi: float = 2.0) -> st.SearchStrategy[tuple[float, ...]]:
    """Tuples of `n` floats in [lo, hi]: inputs for `expressions()`."""
    return st.tuples(*[_between(lo, hi)] * n)


def primitive_inputs(name: str) -> st.SearchStrategy[tuple[float, ...]]:
    """In-domain inputs for one primitive of the table (or ``"pow_const"``)."""
    if name == "pow_const":
        return st.tuples(_positive)
    return st.tuples(*DOMAINS[name])


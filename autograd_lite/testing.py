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

from .primitives import PRIMITIVES, STOP_GRADIENT, Domain, Primitive

__all__ = ["DOMAINS", "EXPONENTS", "PIECEWISE", "Expression", "Step", "expressions", "points", "primitive_inputs"]

Floats = st.SearchStrategy[float]


def _between(lo: float, hi: float) -> Floats:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


_positive = _between(0.05, 5.0)


def _strategy(domain: Domain) -> Floats:
    return st.one_of(*(_between(lo, hi) for lo, hi in domain.intervals))


def _domains() -> dict[str, tuple[Floats, ...]]:
    missing = [name for name, row in PRIMITIVES.items() if not row.domain]
    if missing:
        raise ValueError(f"autograd_lite.testing: rows without a test domain (add domain=(...) to the row): {missing}")
    return {name: tuple(map(_strategy, row.domain)) for name, row in PRIMITIVES.items()}


#: Per row of the table, one strategy per input: inside the domain, away from kinks (read off `Primitive.domain`).
DOMAINS: dict[str, tuple[Floats, ...]] = _domains()

#: Rows whose value jumps or has kinks (``Primitive.smooth`` is False): their slopes are checked inside
#: DOMAINS; in random expressions only those whose domain has a guard (relu, abs: shifted off the kink).
PIECEWISE = frozenset(name for name, row in PRIMITIVES.items() if not row.smooth)

#: Constant exponents drawn for ``x ** c`` (the `power_by` family).
EXPONENTS = (2.0, 3.0, -1.0, 0.5, 1.5)


@dataclass(frozen=True)
class Step:
    """One instruction: apply primitive `op` to earlier results `operands`."""

    op: str
    operands: tuple[int, ...]
    exponent: float = 0.0  # only for "pow_const"


def _bounded(x: Any) -> Any:
    # A guard that keeps x ** c from growing without bound.
    return x.tanh() * 2.0


def _positive_of(x: Any) -> Any:
    # A guard that keeps x ** c inside its domain for a fractional or negative c.
    return x * x + 0.5


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


def _guarded(row: Primitive) -> Callable[..., Any]:
    """The row applied to earlier results, each first guarded into the row's domain."""
    guards = [domain.guard for domain in row.domain]

    def step(s: Step, *args: Any) -> Any:
        return row(*[guard(a) for guard, a in zip(guards, args)])  # type: ignore[misc]  # no guard is None here

    return step


def _power(s: Step, a: Any) -> Any:
    base = _bounded(a) if s.exponent.is_integer() and s.exponent > 0 else _positive_of(_bounded(a))
    return base**s.exponent


#: How a random expression applies each row: every row whose domain has a guard for each input and whose
#: derivative is its slope, and x ** c for the constant exponents.
_APPLY: dict[str, Callable[..., Any]] = {
    **{name: _guarded(row) for name, row in PRIMITIVES.items()
       if row.domain and all(d.guard is not None for d in row.domain) and row is not STOP_GRADIENT},
    "pow_const": _power,
}  # fmt: skip


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


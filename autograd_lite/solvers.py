"""Derivatives through solvers: `root`, `fixed_point` and `argmin`, whose answers are exact at every order.

A solver's answer x* depends on the parameters θ of the equation it solves,
F(x*, θ) = 0, but the iterations that find it are not that dependence:
differentiating through them (unrolling) records a graph per iteration and
gives the derivative of the iteration, which matches the answer's only once
the iteration has converged, and costs more the more iterations it took.
Here the iterations run on plain floats, and x* is recorded as one node per
unknown, whose local derivatives are the implicit function theorem's, taken
at the converged point:

    dx*/dθ = −(∂F/∂x)⁻¹ · ∂F/∂θ        at (x*, θ)

That rule is written with Values: F is evaluated on Values, ∂F/∂x and ∂F/∂θ
come from the engine, and the linear solve is written with operators. So
`grad`, `hessian`, `jvp` and nested `grad` differentiate it again: every
order is exact, the cost of a derivative does not depend on how many
iterations the solve took, and the tolerance changes a derivative only
through x* itself.

>>> import autograd_lite as al
>>> def sqrt_of(a):                                     # the x with x² − a = 0
...     return al.root(lambda x, a: x * x - a, 1.0, a)
>>> sqrt_of(2.0)
1.414213562373095...
>>> al.grad(sqrt_of)(4.0)                               # 1/(2√a)
0.25
>>> round(al.grad(al.grad(sqrt_of))(4.0), 12)           # −1/(4·a^(3/2))
-0.03125

The solve: Newton's method with the exact ∂F/∂x from the engine. For one
unknown it keeps a bracket once it has seen F change sign (or is given one)
and bisects whenever Newton would leave it or stalls; without one, it halves
any step that leaves F's domain or does not lower |F|. For several unknowns,
Newton with the exact Jacobian (Gaussian elimination with partial pivoting)
and the same halving. ``method="scipy"`` lets `scipy.optimize` find the root
(`brentq` in a bracket, `newton` without, `root` for several unknowns; the
``scipy`` extra), and Newton's method then finishes as usual.

Guarantees, or an error: a solve that does not converge within `maxiter`, a
∂F/∂x that is singular at the answer (a multiple root: the implicit
derivative does not exist), a root outside F's domain, and for `argmin` a
stationary point that is not a minimum, each raise `SolverError`, naming the
solver, the point and the residual. Converged means that a Newton step at the
answer is smaller than ``tol·|x|`` for every unknown (a root at exactly 0 is
reached exactly): for a simple root x* is then accurate to about tol²,
relative, which is to the last bits of a float.

Parameters may be numbers, Values, or lists, tuples and dicts of them; the
answer has the shape of `x0`. With no Value among the parameters the answer
is plain floats, like the library's other functions on plain numbers. F must
receive every Value it depends on through the parameters: a Value it closes
over would be a constant to the solve, so that is a TypeError.

A replay of a compiled graph (`autograd_lite.compile`) solves again at the
parameters' new numbers, starting from the last answer; a pickle of a graph
holding a solve is a TypeError, since the row holds the function F.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import math
import numbers

from .checks import real, shown
from .engine import Value, _record, apply, topological_order
from .functional import _depth
from .functions import data_of
from .grad_mode import enable_grad
from .guards import guards_of, remember
from .higher import differentiate
from .primitives import SUM, Primitive, user_row
from .tree import LEAF, tree_flatten, tree_unflatten

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .tree import Structure

    Matrix = list[list[Any]]

__all__ = ["SolverError", "argmin", "fixed_point", "root"]

#: The spacing of floats at 1 (2⁻⁵²): a bracket a few of these wide, relative to its ends, cannot shrink further.
_EPS = 2.0**-52
#: Four of the smallest float's steps: below the normal floats, precision is absolute (`_converged`).
_DENORMAL_ULPS = 4.0 * math.ulp(0.0)
#: A Jacobian whose condition number exceeds this is singular to float precision.
_CONDITION_LIMIT = 1e14
#: At a simple root, ∂F/∂x changes over the last Newton step by a sliver of itself; at a multiple
#: root by as much as itself. More than 1/_CHANGE of itself marks the root as multiple (singular).
_CHANGE = 10.0
#: Halvings of a step that leaves F's domain or does not lower |F|, before giving up.
_HALVINGS = 60
#: Solutions (and derivatives) remembered per solve, by the parameters' numbers: a replay's forward
#: and backward pass ask for the same point, and the components of one answer share one solve.
_REMEMBERED = 4


class SolverError(ValueError):
    """A solve gave no answer to trust: no convergence, a singular ∂F/∂x at the answer, or F's domain left.

    `solver` is the function that raised (``"root"``, ``"fixed_point"``,
    ``"argmin"``), `point` the unknowns where it stopped (a float or a list)
    and `residual` F there (None where F could not be evaluated).
    """

    def __init__(self, message: str, solver: str = "", point: Any = None, residual: Any = None) -> None:
        super().__init__(message)
        self.solver, self.point, self.residual = solver, point, residual


# ---------------------------------------------------------------------------
# The three solvers: one function each, over one `_solve`
# ---------------------------------------------------------------------------


def root(
    F: Callable[..., Any],
    x0: Any,
    *params: Any,
    method: str = "newton",
    tol: float = 1e-12,
    maxiter: int = 100,
    bracket: tuple[float, float] | None = None,
) -> Any:
    """The x with ``F(x, *params) = 0``, as Values whose derivatives in every Value of `params` are exact.

    `x0` is the start: a number, or a list, tuple or dict of numbers, and F
    returns the same number of numbers (in leaf order). `bracket` (one unknown
    only) is an interval (a, b) where F changes sign: the solve then stays in
    it. dx*/dθ = −(∂F/∂x)⁻¹·∂F/∂θ at the answer, recorded as a rule written
    with Values, so derivatives of any order follow.

    >>> import autograd_lite as al
    >>> kepler = lambda E, M, e: E - e * al.sin(E) - M          # Kepler's equation
    >>> E = al.root(kepler, 1.0, al.Value(1.0), 0.5)
    >>> E.backward()
    >>> round(E.data, 12)
    1.498701133518
    >>> import math; math.isclose(E.parents[0].grad, 1 / (1 - 0.5 * math.cos(E.data)))   # dE/dM
    True
    >>> al.root(lambda v, a: [v[0] + v[1] - a, v[0] - v[1]], [0.0, 0.0], 4.0)
    [2.0, 2.0]
    """
    return _solve("root", F, x0, params, method, tol, maxiter, bracket)


def fixed_point(
    g: Callable[..., Any],
    x0: Any,
    *params: Any,
    method: str = "newton",
    tol: float = 1e-12,
    maxiter: int = 100,
    bracket: tuple[float, float] | None = None,
) -> Any:
    """The x with ``x = g(x, *params)``: the root of x − g(x, θ), with the same guarantees as `root`.

    ``method="iterate"`` repeats x ← g(x) until it settles (for a contraction)
    before Newton's method finishes; the derivative is the implicit one either way:
    dx*/dθ = (1 − ∂g/∂x)⁻¹·∂g/∂θ.

    >>> import autograd_lite as al
    >>> x = al.fixed_point(lambda x, a: al.cos(a * x), 1.0, al.Value(1.0))    # x = cos(x): the Dottie number
    >>> round(x.data, 12)
    0.739085133215
    """
    return _solve("fixed_point", g, x0, params, method, tol, maxiter, bracket)


def argmin(
    f: Callable[..., Any],
    x0: Any,
    *params: Any,
    method: str = "newton",
    tol: float = 1e-12,
    maxiter: int = 100,
    bracket: tuple[float, float] | None = None,
) -> Any:
    """The minimiser of ``f(·, *params)`` near `x0`: the root of ∂f/∂x, checked to be a minimum.

    The answer's ∂²f/∂x² must be positive (positive definite for several
    unknowns), else `SolverError`: a maximum or a saddle is not a minimum.
    dx*/dθ = −(∂²f/∂x²)⁻¹·∂²f/∂x∂θ, at every order. `bracket` is an interval
    where ∂f/∂x changes sign.

    >>> import autograd_lite as al
    >>> lam = al.Value(2.0)                                   # ridge on one number: (w − 3)² + λw²
    >>> w = al.argmin(lambda w, lam: (w - 3.0) ** 2 + lam * w * w, 0.0, lam)
    >>> w.backward()
    >>> round(w.data, 12), round(lam.grad, 12)                # 3/(1 + λ), −3/(1 + λ)²
    (1.0, -0.333333333333)
    """
    return _solve("argmin", f, x0, params, method, tol, maxiter, bracket)


def _solve(
    kind: str,
    function: Callable[..., Any],
    x0: Any,
    params: tuple[Any, ...],
    method: str,
    tol: float,
    maxiter: int,
    bracket: tuple[float, float] | None,
) -> Any:
    """Check the options, solve on floats, and record the answer as one node per unknown (or return floats)."""
    options = _Options(kind, method, tol, maxiter, bracket)
    problem = _Problem(kind, function, x0, params)
    if bracket is not None and problem.n != 1:
        raise ValueError(f"{kind}: bracket is for one unknown, but x0 holds {problem.n}")
    thetas = [v.data for v in problem.values]
    problem.check_start(problem.start, thetas)
    answer = _find(problem, problem.start, thetas, options)
    if not problem.values:
        return tree_unflatten(problem.x_shape, answer)
    solve = _Solve(problem, options, tuple(thetas), answer)
    return tree_unflatten(problem.x_shape, [apply(solve.row(i), *problem.values) for i in range(problem.n)])


class _Options:
    """A solve's method, tolerance, iteration budget and bracket, checked."""

    __slots__ = ("bracket", "maxiter", "method", "tol")

    def __init__(self, kind: str, method: str, tol: float, maxiter: int, bracket: tuple[float, float] | None) -> None:
        methods = ("newton", "scipy", "iterate") if kind == "fixed_point" else ("newton", "scipy")
        if method not in methods:
            raise ValueError(f"{kind}: method must be one of {', '.join(map(repr, methods))}, got {method!r}")
        self.method = method
        self.tol = real(tol, f"{kind}: tol")
        if not self.tol > 0.0:
            raise ValueError(f"{kind}: tol must be positive, got {tol!r}")
        if not isinstance(maxiter, int) or isinstance(maxiter, bool) or maxiter < 1:
            raise ValueError(f"{kind}: maxiter must be a positive int, got {maxiter!r}")
        self.maxiter = maxiter
        self.bracket: tuple[float, float] | None = None
        if bracket is not None:
            if not isinstance(bracket, (tuple, list)) or len(bracket) != 2:
                raise TypeError(f"{kind}: bracket must be a pair (a, b), got {bracket!r}")
            a, b = (data_of(end, kind, "the bracket") for end in bracket)
            if a == b:
                raise ValueError(f"{kind}: the bracket ({a!r}, {b!r}) is empty")
            self.bracket = (min(a, b), max(a, b))


# ---------------------------------------------------------------------------
# The problem: the user's function as a residual on flat lists of unknowns and parameters
# ---------------------------------------------------------------------------


class _Problem:
    """The equation to solve, F(x, θ) = 0, on flat lists: x in leaf order, θ the Values among the parameters.

    Parameters without a Value reach the function unchanged (a numpy array
    stays an array); those holding Values are rebuilt around the numbers or
    Values put in their place (`arguments`).
    """

    def __init__(self, kind: str, function: Callable[..., Any], x0: Any, params: tuple[Any, ...]) -> None:
        if not callable(function):
            raise TypeError(f"{kind}: the first argument must be a function, got {type(function).__name__}")
        self.name, self.function = kind, function
        leaves, self.x_shape = tree_flatten(x0, f"{kind}: x0")
        if not leaves:
            raise ValueError(f"{kind}: x0 holds no number to solve for")
        self.start = [data_of(x, kind, "x0") for x in leaves]
        self.n = len(leaves)
        self.params = list(params)
        # For each parameter holding Values: its position, structure and leaves; the Values, in order.
        self.varying: list[tuple[int, Structure, list[Any], list[int]]] = []
        self.values: list[Value] = []
        for i, p in enumerate(params):
            p_leaves, shape = tree_flatten(p, f"{kind}: params[{i}]")
            where = [j for j, leaf in enumerate(p_leaves) if isinstance(leaf, Value)]
            if where:
                self.varying.append((i, shape, p_leaves, where))
                self.values += [p_leaves[j] for j in where]

    def arguments(self, xs: Sequence[Any], thetas: Sequence[Any]) -> tuple[Any, list[Any]]:
        """The function's arguments: x built from `xs`, the parameters with `thetas` where their Values were."""
        params = list(self.params)
        taken = iter(thetas)
        for i, shape, p_leaves, where in self.varying:
            filled = list(p_leaves)
            for j in where:
                filled[j] = next(taken)
            params[i] = filled[0] if shape is LEAF else tree_unflatten(shape, filled)
        return tree_unflatten(self.x_shape, list(xs)), params

    def call(self, xs: Sequence[Any], thetas: Sequence[Any]) -> Any:
        """The user's function at (xs, thetas), run as at the top level, recording on.

        Its own derivative calls (an ``al.grad`` inside F) then see only what
        the solve hands them, never an outer derivative call: F's inputs are
        the solve's own, and F closes over no Value (`check_start`).
        """
        x, params = self.arguments(xs, thetas)
        token = _depth.set(0)
        try:
            with enable_grad():
                return self.function(x, *params)
        finally:
            _depth.reset(token)

    def residual(self, xs: Sequence[Value], thetas: Sequence[Any]) -> list[Any]:
        """F(x, θ) as a flat list: the function's value (root), x − g (fixed_point), ∂f/∂x (argmin)."""
        out = self.call(xs, thetas)
        if self.name == "argmin":
            if not isinstance(out, (Value, numbers.Real)) or isinstance(out, bool):
                raise TypeError(f"argmin: f must return one number, got {type(out).__name__} {out!r}")
            if not isinstance(out, Value):
                return [0.0] * self.n  # f does not depend on x here
            with enable_grad():
                return list(differentiate(out, xs, create_graph=True))
        leaves = self.leaves_of(out)
        if self.name == "fixed_point":
            return [x - y for x, y in zip(xs, leaves)]
        return leaves

    def leaves_of(self, out: Any) -> list[Any]:
        """The numbers of F's (or g's) result, as many as there are unknowns."""
        what = "F" if self.name == "root" else "g"
        leaves, _ = tree_flatten(out, f"{self.name}: the result of {what}")
        if len(leaves) != self.n:
            raise ValueError(f"{self.name}: {what} returned {len(leaves)} number(s) for {self.n} unknown(s)")
        return leaves

    def check_start(self, xs: list[float], thetas: list[float]) -> None:
        """Evaluate the function on plain numbers once: it must give plain numbers, else it closes over a Value."""
        try:
            out = self.call(xs, thetas)
        except (ValueError, ArithmeticError) as error:
            raise SolverError(
                f"{self.name}: the function cannot be evaluated at the start x0 = {_shown(xs)}: {error}",
                self.name, _point(xs),
            ) from None
        if self.name == "argmin" and (not isinstance(out, (Value, numbers.Real)) or isinstance(out, bool)):
            raise TypeError(f"argmin: f must return one number, got {type(out).__name__} {out!r}")
        leaves = [out] if self.name == "argmin" else self.leaves_of(out)
        if any(isinstance(leaf, Value) for leaf in leaves):
            raise TypeError(
                f"{self.name}: the function returns a Value for plain-number arguments, so it closes over a Value; "
                f"its derivative would be lost. Pass that Value among the parameters: "
                f"{self.name}(F, x0, v) with F(x, v)"
            )

    def residual_at(self, xs: list[float], thetas: Sequence[float]) -> list[float]:
        """F alone at plain numbers, on floats (but ∂f/∂x for argmin needs Values); `_Undefined` if it fails."""
        if self.name == "argmin":
            return self.jacobian_at(xs, thetas)[0]
        try:
            leaves = self.leaves_of(self.call(xs, thetas))
            ys = [data_of(y, self.name, "F") for y in leaves]
        except (ValueError, ArithmeticError) as error:
            raise _Undefined(error) from None
        return ys if self.name == "root" else [x - y for x, y in zip(xs, ys)]

    def jacobian_at(self, xs: list[float], thetas: Sequence[float]) -> tuple[list[float], Matrix]:
        """F and ∂F/∂x at plain numbers, both as floats, from one evaluation and one reverse pass per equation.

        A point where F or its derivative cannot be evaluated (outside F's
        domain, an overflow, an infinite slope) raises `_Undefined`.
        """
        leaves = [Value(x) for x in xs]
        try:
            ys = self.residual(leaves, thetas)
            f = [data_of(y, self.name, "F") for y in ys]
            jacobian = _slopes(ys, leaves)
        except (ValueError, ArithmeticError) as error:
            raise _Undefined(error) from None
        if any(d - d for row in jacobian for d in row):
            raise _Undefined(ArithmeticError(f"∂F/∂x is not finite at {_shown(xs)}"))
        return f, jacobian

    def partials(self, xs: Sequence[float], thetas: Sequence[float], create_graph: bool) -> tuple[Any, ...]:
        """∂F/∂x and ∂F/∂θ at (xs, thetas), from fresh leaves: floats, or with `create_graph` Values over the leaves.

        Returns (x leaves, θ leaves, ∂F/∂x, ∂F/∂θ).
        """
        x_leaves = [Value(x) for x in xs]
        theta_leaves = [Value(t) for t in thetas]
        inputs = [*x_leaves, *theta_leaves]
        zero = [0.0] * len(inputs)
        with enable_grad():
            ys = self.residual(x_leaves, theta_leaves)
            if create_graph:
                rows = [list(differentiate(y, inputs)) if isinstance(y, Value) else zero for y in ys]
            else:
                rows = _slopes(ys, inputs)
        n = self.n
        return x_leaves, theta_leaves, [row[:n] for row in rows], [row[n:] for row in rows]


def _slopes(ys: Sequence[Any], leaves: Sequence[Value]) -> Matrix:
    """∂yᵢ/∂leafⱼ as floats: one `backward` pass per y, the engine's fast path (the leaves are the solve's own)."""
    rows = []
    for y in ys:
        for leaf in leaves:
            leaf.grad = 0.0
        if isinstance(y, Value):
            y.backward()
        rows.append([leaf.grad for leaf in leaves])
    return rows


class _Undefined(Exception):
    """F (or its slope) cannot be evaluated at a trial point; the solver steps back, or says so."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


# ---------------------------------------------------------------------------
# Solving on floats
# ---------------------------------------------------------------------------


class _Answer:
    """A converged point, F and ∂F/∂x there, and ∂F/∂x one Newton step before (for the singularity check)."""

    __slots__ = ("before", "f", "jacobian", "x")

    def __init__(self, x: list[float], f: list[float], jacobian: Matrix, before: Matrix) -> None:
        self.x, self.f, self.jacobian, self.before = x, f, jacobian, before


def _find(problem: _Problem, start: list[float], thetas: Sequence[float], options: _Options) -> list[float]:
    """Solve on floats by the chosen method, then check that the answer is a simple root (a minimum for argmin)."""
    if options.method == "scipy":
        start = _scipy_start(problem, start, thetas, options)
    elif options.method == "iterate":
        start = _iterate(problem, start, thetas, options)
    if problem.n == 1:
        answer = _newton_one(problem, start[0], thetas, options)
    else:
        answer = _newton_many(problem, start, thetas, options)
    _check_simple(problem, answer)
    if problem.name == "argmin":
        _check_minimum(problem, answer)
    return answer.x


def _converged(step: Sequence[float], x: Sequence[float], tol: float) -> bool:
    """Every |stepᵢ| ≤ tol·|xᵢ|: Newton's step is within the tolerance, relative to each unknown.

    Relative, so that a root at any scale is found to its own precision (an
    absolute floor of tol would stop 1e-14 short of a root at 1e-44). A root
    at exactly 0 is reached exactly: Newton's steps there shrink faster than
    x until F(x) is 0, and a step of 0 passes. Below the normal floats, where
    a float has only absolute precision, a step of a few ulps of 0 passes too.
    """
    return all(abs(s) <= tol * abs(xi) + _DENORMAL_ULPS for s, xi in zip(step, x))


class _Progress:
    """What the iterations did, for the message when they fail: step sizes, and steps that left F's domain."""

    __slots__ = ("bisected", "left_domain", "steps")

    def __init__(self) -> None:
        self.steps: list[float] = []
        self.left_domain = False  # the latest full Newton step left F's domain
        self.bisected = False  # the latest step was a bisection

    def hint(self) -> str:
        """Why the iterations may have failed, read from the last steps."""
        if self.bisected:
            return "; Newton's steps kept failing inside the bracket, so F may jump or have a pole there"
        if self.left_domain:
            return "; Newton's full step kept leaving F's domain, so the root may lie outside it"
        last = [s for s in self.steps[-6:] if s > 0.0]
        ratios = [b / a for a, b in itertools.pairwise(last)]
        if len(ratios) >= 4 and all(0.2 <= r <= 0.95 for r in ratios):
            return (f"; the steps shrink by a steady factor of about {ratios[-1]:.2f}: Newton's method converges "
                    f"only linearly, as at a multiple root, where ∂F/∂x is singular and no implicit derivative exists")
        return ""


def _newton_one(problem: _Problem, x: float, thetas: Sequence[float], options: _Options) -> _Answer:
    """One unknown: Newton's method, inside a bracket once F has changed sign, bisecting when Newton fails.

    Without a bracket, a step that leaves F's domain or does not lower |F| is
    halved (`_halve`). With one, a Newton step that would leave it, or that
    did not halve |F|, is followed by a bisection, so the bracket at least
    halves every other step.
    """
    name, tol = problem.name, options.tol

    def at(point: list[float]) -> tuple[list[float], Matrix]:
        return problem.jacobian_at(point, thetas)

    bracket = _Bracket(problem, thetas, options.bracket) if options.bracket is not None else None
    if bracket is not None and not bracket.low <= x <= bracket.high:
        x = bracket.middle()
    (f,), ((d,),) = _start(problem, [x], lambda: at([x]))
    progress = _Progress()
    bisect = False
    for _ in range(options.maxiter):
        step = -f / d if d != 0.0 else (0.0 if f == 0.0 else math.nan)
        finite = step - step == 0.0
        progress.steps.append(abs(step) if finite else math.inf)
        if finite and _converged([step], [x], tol):
            answer, ((x,), (f,), ((d,),)) = _settle(problem, [x], [f], [[d]], [step], at, tol)
            if answer is not None:
                return answer
            continue  # not yet: go on from x + step
        if bracket is not None:
            bracket.check_open(x, f)
            newton = finite and not bisect and bracket.low < x + step < bracket.high
            trial = x + step if newton else bracket.middle()
            try:
                (f_trial,), ((d_trial,),) = at([trial])
            except _Undefined as why:
                if not newton:
                    raise _outside(problem, [x], [f], why) from None
                trial, newton = bracket.middle(), False
                try:
                    (f_trial,), ((d_trial,),) = at([trial])
                except _Undefined as why_again:
                    raise _outside(problem, [x], [f], why_again) from None
            bisect = newton and abs(f_trial) > 0.5 * abs(f)
            progress.bisected = not newton
            bracket.narrow(trial, f_trial)
        else:
            try:
                if not finite:
                    raise SolverError(
                        f"{name}: Newton's method stalled at x = {x!r}, where F = {f!r} and ∂F/∂x = {d!r}; "
                        f"start elsewhere or give bracket=(a, b)", name, x, f,
                    )
                (trial,), (f_trial,), ((d_trial,),) = _halve(problem, [x], [f], [step], at, progress)
            except SolverError as stalled:  # no way downhill: look for a sign change around x, and bisect there
                bracket = _Bracket.search(problem, thetas, x, f, stalled)
                continue
            if (f_trial > 0.0) != (f > 0.0) and f_trial != 0.0:  # F changed sign: a bracket from now on
                bracket = _Bracket.between(problem, x, f, trial, f_trial)
        x, f, d = trial, f_trial, d_trial
    raise _no_convergence(problem, options, [x], [f], progress)


class _Bracket:
    """An interval [low, high] where F changes sign, so a root of a continuous F lies inside."""

    __slots__ = ("f_low", "high", "low", "name")

    def __init__(self, problem: _Problem, thetas: Sequence[float], ends: tuple[float, float]) -> None:
        self.name = problem.name
        values = []
        for end in ends:
            try:
                values.append(problem.residual_at([end], thetas)[0])
            except _Undefined as why:
                raise SolverError(
                    f"{self.name}: F cannot be evaluated at the bracket's end {end!r}: {why}", self.name, end
                ) from None
        if values[0] * values[1] > 0.0:
            raise SolverError(
                f"{self.name}: F does not change sign on the bracket ({ends[0]!r}, {ends[1]!r}): F = {values[0]!r} "
                f"and {values[1]!r} there", self.name, list(ends), values,
            )
        self.low, self.high, self.f_low = ends[0], ends[1], values[0]

    @classmethod
    def between(cls, problem: _Problem, a: float, f_a: float, b: float, f_b: float) -> _Bracket:
        """The bracket of two points where F has opposite signs."""
        bracket = cls.__new__(cls)
        bracket.name = problem.name
        (bracket.low, bracket.f_low), (bracket.high, _) = sorted([(a, f_a), (b, f_b)])
        return bracket

    @classmethod
    def search(cls, problem: _Problem, thetas: Sequence[float], x: float, f: float, stalled: SolverError) -> _Bracket:
        """A bracket around x found by stepping out on both sides, doubling the step, until F changes sign.

        For when Newton's method has no way downhill (∂F/∂x = 0 at x, or F at
        its rounding noise); without a sign change within 2⁶⁰ steps, `stalled`.
        """
        width = 1e-3 * max(abs(x), 1.0)
        open_sides = {1.0, -1.0}
        for _ in range(60):
            for side in sorted(open_sides):
                y = x + side * width
                try:
                    (f_y,) = problem.residual_at([y], thetas)
                except _Undefined:
                    open_sides.discard(side)  # past the domain's edge on this side
                    continue
                if (f_y > 0.0) != (f > 0.0) or f_y == 0.0:
                    return cls.between(problem, x, f, y, f_y)
            if not open_sides:
                break
            width *= 2.0
        raise stalled

    def middle(self) -> float:
        return 0.5 * (self.low + self.high)

    def narrow(self, x: float, f: float) -> None:
        """Replace the end on x's side of the root by x."""
        if (f > 0.0) == (self.f_low > 0.0):
            self.low, self.f_low = x, f
        else:
            self.high = x

    def check_open(self, x: float, f: float) -> None:
        """Raise if the bracket is down to a few ulps of its ends and Newton's step has not converged at x.

        A continuous F with a simple root inside would pass the convergence
        test (asked first) this close; one that does not jumps or has a pole.
        """
        if self.high - self.low <= 4.0 * _EPS * max(abs(self.low), abs(self.high)):
            raise SolverError(
                f"{self.name}: F changes sign between {self.low!r} and {self.high!r} but is not zero there "
                f"(F = {f!r} at {x!r}): a jump or a pole, not a root", self.name, x, f,
            )


def _newton_many(problem: _Problem, x: list[float], thetas: Sequence[float], options: _Options) -> _Answer:
    """Several unknowns: Newton's method with the exact Jacobian, each step halved until it lowers ‖F‖."""
    name, tol = problem.name, options.tol

    def at(point: list[float]) -> tuple[list[float], Matrix]:
        return problem.jacobian_at(point, thetas)

    f, jacobian = _start(problem, x, lambda: at(x))
    progress = _Progress()
    for _ in range(options.maxiter):
        try:
            step = [row[0] for row in _solve_linear(jacobian, [[-fi] for fi in f])]
        except ZeroDivisionError:
            raise SolverError(
                f"{name}: ∂F/∂x is singular at x = {_shown(x)} (F = {_shown(f)}), so Newton's method cannot step "
                f"from there; start elsewhere", name, x, f,
            ) from None
        progress.steps.append(max(map(abs, step)))
        if _converged(step, x, tol):
            answer, (x, f, jacobian) = _settle(problem, x, f, jacobian, step, at, tol)
            if answer is not None:
                return answer
            continue  # not yet: go on from x + step
        x, f, jacobian = _halve(problem, x, f, step, at, progress)
    raise _no_convergence(problem, options, x, f, progress)


def _settle(
    problem: _Problem,
    x: list[float],
    f: list[float],
    jacobian: Matrix,
    step: list[float],
    at: Callable[[list[float]], tuple[list[float], Matrix]],
    tol: float,
) -> tuple[_Answer | None, tuple[list[float], list[float], Matrix]]:
    """Take the converged step: the answer if Newton's step from there is within tol too, and the point reached.

    With no answer yet (None), the iterations go on from the point reached.
    """
    new = [xi + si for xi, si in zip(x, step)]
    if new == x:
        return _Answer(x, f, jacobian, jacobian), (x, f, jacobian)
    try:
        f_new, j_new = at(new)
    except _Undefined as why:
        raise SolverError(
            f"{problem.name}: the root lies on the edge of F's domain: F is defined at x = {_shown(x)} (F = "
            f"{_shown(f)}) but not a step of {_shown(step)} further: {why}", problem.name, _point(x), _point(f),
        ) from None
    try:
        next_step = [row[0] for row in _solve_linear(j_new, [[-fi] for fi in f_new])]
    except ZeroDivisionError:  # singular at the answer: `_check_simple` says so
        return _Answer(new, f_new, j_new, jacobian), (new, f_new, j_new)
    reached = (new, f_new, j_new)
    return (_Answer(new, f_new, j_new, jacobian) if _converged(next_step, new, tol) else None), reached


def _start(problem: _Problem, x: list[float], evaluate: Callable[[], Any]) -> Any:
    """F and ∂F/∂x at the start, or a SolverError saying they cannot be evaluated there."""
    try:
        return evaluate()
    except _Undefined as why:
        raise SolverError(
            f"{problem.name}: F or its derivative cannot be evaluated at the start x0 = {_shown(x)}: {why}",
            problem.name, _point(x),
        ) from None


def _halve(
    problem: _Problem,
    x: list[float],
    f: list[float],
    step: list[float],
    at: Callable[[list[float]], tuple[list[float], Matrix]],
    progress: _Progress,
) -> tuple[list[float], list[float], Matrix]:
    """x + λ·step for λ = 1, ½, ¼, …: the first such point where F is defined and ‖F‖ is smaller than at x.

    Newton's step points downhill for ‖F‖², so a short enough one lowers it,
    unless F is at the noise of its own rounding (then: stalled).
    """
    size = _norm(f)
    scale, why = 1.0, None
    progress.left_domain = False
    for _ in range(_HALVINGS):
        trial = [xi + scale * si for xi, si in zip(x, step)]
        try:
            f_trial, j_trial = at(trial)
        except _Undefined as error:
            why = error
            progress.left_domain = progress.left_domain or scale == 1.0
        else:
            if _norm(f_trial) < size:
                return trial, f_trial, j_trial
        scale *= 0.5
    if why is not None:
        raise _outside(problem, x, f, why)
    raise SolverError(
        f"{problem.name}: Newton's method stalled at x = {_shown(x)} (F = {_shown(f)}): no step toward the root "
        f"lowers |F|, so F is at the noise of its own rounding there; loosen tol, or check F", problem.name,
        _point(x), _point(f),
    )


def _norm(f: Sequence[float]) -> float:
    """‖f‖₂, without overflow for large entries."""
    return math.hypot(*f)


def _iterate(problem: _Problem, x: list[float], thetas: Sequence[float], options: _Options) -> list[float]:
    """x ← g(x) on plain numbers until a step is within the tolerance (or the budget is spent)."""
    residual = [math.nan] * problem.n
    for _ in range(options.maxiter):
        try:
            new = [data_of(y, "fixed_point", "g") for y in problem.leaves_of(problem.call(x, thetas))]
        except (ValueError, ArithmeticError) as error:
            raise SolverError(
                f"fixed_point: iterating x ← g(x) left g's domain at x = {_shown(x)}: {error}", "fixed_point", _point(x)
            ) from None
        residual = [a - b for a, b in zip(x, new)]
        if _converged(residual, new, options.tol):
            return new
        x = new
    raise SolverError(
        f"fixed_point: x ← g(x) did not settle in {options.maxiter} iterations: at x = {_shown(x)} the residual "
        f"x − g(x) is {_shown(residual)}; g may not be a contraction there: try method='newton'",
        "fixed_point", _point(x), _point(residual),
    )


def _scipy_start(problem: _Problem, x: list[float], thetas: Sequence[float], options: _Options) -> list[float]:
    """A root found by scipy.optimize (brentq in a bracket, newton without, root for several unknowns)."""
    name = problem.name
    try:
        optimize = importlib.import_module("scipy.optimize")  # an optional extra, typed or not
    except ImportError:
        raise ImportError(f"{name}: method='scipy' needs scipy: pip install 'autograd_lite[scipy]'") from None

    def f_and_jacobian(point: Any) -> tuple[list[float], Matrix]:
        return problem.jacobian_at([float(p) for p in point], thetas)

    try:
        if problem.n > 1:
            found = optimize.root(f_and_jacobian, x, jac=True, method="hybr", tol=options.tol)
            if not found.success:
                raise RuntimeError(found.message)
            return [float(v) for v in found.x]
        if options.bracket is not None:
            a, b = options.bracket
            value = optimize.brentq(
                lambda p: problem.residual_at([float(p)], thetas)[0], a, b, xtol=options.tol, maxiter=options.maxiter
            )
        else:
            value = optimize.newton(
                lambda p: f_and_jacobian([p])[0][0], x[0], fprime=lambda p: f_and_jacobian([p])[1][0][0],
                tol=options.tol, maxiter=options.maxiter,
            )
        return [float(value)]
    except _Undefined as why:
        raise SolverError(f"{name}: scipy stepped out of F's domain: {why}", name, _point(x)) from None
    except (RuntimeError, ValueError) as error:
        raise SolverError(f"{name}: scipy found no root from x0 = {_shown(x)}: {error}", name, _point(x)) from None


# ---------------------------------------------------------------------------
# Checking the answer: a simple root (the implicit derivative exists), and a minimum for argmin
# ---------------------------------------------------------------------------


def _check_simple(problem: _Problem, answer: _Answer) -> None:
    """Raise unless ∂F/∂x at the answer is safely invertible.

    Singular when it is singular to float precision (a zero pivot, or a
    condition number above 1e14), or when it changed over the last Newton
    step by more than a tenth of itself: at a multiple root ∂F/∂x shrinks as
    fast as the steps do (for x² at 0 it halves with each), while at a simple
    root it changes by a sliver (the step is within tol there).
    """
    jacobian, before = answer.jacobian, answer.before
    n = problem.n
    try:
        inverse = _solve_linear(jacobian, [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)])
    except ZeroDivisionError:
        inverse = None
    if inverse is not None:
        size, inverse_size = _matrix_norm(jacobian), _matrix_norm(inverse)
        change = _matrix_norm([[a - b for a, b in zip(r, s)] for r, s in zip(jacobian, before)])
        if size * inverse_size <= _CONDITION_LIMIT and _CHANGE * change * inverse_size < 1.0:
            return
    what = "∂F/∂x" if problem.name != "argmin" else "∂²f/∂x²"
    shown_j = _shown(jacobian[0]) if n == 1 else repr(jacobian)
    raise SolverError(
        f"{problem.name}: {what} is singular at the solution x = {_shown(answer.x)} (residual {_shown(answer.f)}): "
        f"{what} = {shown_j}, so the implicit derivative dx*/dθ = −({what})⁻¹·∂F/∂θ does not exist there "
        f"(a multiple root, or roots that are not isolated)", problem.name, _point(answer.x), _point(answer.f),
    )


def _check_minimum(problem: _Problem, answer: _Answer) -> None:
    """Raise unless ∂²f/∂x² is positive definite at the answer (a Cholesky factorization of its symmetric part)."""
    h = answer.jacobian
    n = problem.n
    lower: Matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = 0.5 * (h[i][j] + h[j][i]) - sum(lower[i][k] * lower[j][k] for k in range(j))
            if i == j:
                if not s > 0.0:
                    shown_h = _shown(h[0]) if n == 1 else repr(h)
                    raise SolverError(
                        f"argmin: x = {_shown(answer.x)} is a stationary point of f (∂f/∂x = {_shown(answer.f)}) but "
                        f"not a minimum: ∂²f/∂x² = {shown_h} is not positive definite (a maximum or a saddle)",
                        "argmin", _point(answer.x), _point(answer.f),
                    )
                lower[i][i] = math.sqrt(s)
            else:
                lower[i][j] = s / lower[j][j]


def _matrix_norm(a: Matrix) -> float:
    """The largest row sum of |aᵢⱼ| (the ∞-norm)."""
    return max(math.fsum(abs(x) for x in row) for row in a)


def _no_convergence(
    problem: _Problem, options: _Options, x: list[float], f: list[float], progress: _Progress
) -> SolverError:
    return SolverError(
        f"{problem.name}: no convergence in {options.maxiter} iterations: the last iterate x = {_shown(x)} has the "
        f"residual F = {_shown(f)}{progress.hint()}; raise maxiter, start closer"
        + (", or give bracket=(a, b)" if problem.n == 1 and options.bracket is None else ""),
        problem.name, _point(x), _point(f),
    )


def _outside(problem: _Problem, x: list[float], f: list[float], why: _Undefined) -> SolverError:
    return SolverError(
        f"{problem.name}: every step from x = {_shown(x)} (F = {_shown(f)}) toward the root leaves F's domain: "
        f"{why}; the root may lie outside it", problem.name, _point(x), _point(f),
    )


def _shown(xs: Sequence[Any]) -> str:
    """One number as itself, several as a list (the first six)."""
    return repr(xs[0]) if len(xs) == 1 else f"[{shown(list(xs))}]"


def _point(xs: Sequence[float]) -> Any:
    return xs[0] if len(xs) == 1 else list(xs)


# ---------------------------------------------------------------------------
# Linear algebra on floats or Values: Gaussian elimination with partial pivoting
# ---------------------------------------------------------------------------


def _solve_linear(a: Matrix, b: Matrix) -> Matrix:
    """X with A·X = B, by Gaussian elimination with partial pivoting; ZeroDivisionError if A is singular.

    Written with operators, so it works on floats and on Values alike (then X
    is differentiable again). Pivots are chosen by the numbers, without
    comparing Values, so no guard is recorded: any nonzero pivot gives the
    same X, exactly in exact arithmetic.
    """
    n = len(a)
    rows = [list(a[i]) + list(b[i]) for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(_number(rows[r][col])))
        if _number(rows[pivot][col]) == 0.0:
            raise ZeroDivisionError("singular matrix")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        top = rows[col]
        for r in range(col + 1, n):
            below = rows[r]
            if _is_zero(below[col]):
                continue
            factor = below[col] / top[col]
            rows[r] = below[: col + 1] + [x - factor * y for x, y in zip(below[col + 1 :], top[col + 1 :])]
    m = len(b[0]) if b else 0
    solution: Matrix = [[0.0] * m for _ in range(n)]
    for i in reversed(range(n)):
        for j in range(m):
            total = rows[i][n + j]
            for k in range(i + 1, n):
                if not _is_zero(rows[i][k]):
                    total = total - rows[i][k] * solution[k][j]
            solution[i][j] = total / rows[i][i]
    return solution


def _number(x: Any) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _is_zero(x: Any) -> bool:
    """A plain 0.0 (a Value is never skipped: its number may be 0 where its derivative is not)."""
    return type(x) is float and x == 0.0


# ---------------------------------------------------------------------------
# The recorded rule: one row per unknown, whose derivatives are the implicit function theorem's
# ---------------------------------------------------------------------------


class _SolveRow(Primitive):
    """The row of one unknown of one solve: its value solves at the parameters' numbers; its derivatives are implicit.

    Its functions call the user's F, so generated code calls them by name
    (as it calls a user's row) and a pickle refuses it.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError(
            f"{self.name}: a graph holding a solve cannot be pickled, since its row holds the function F; "
            f"pickle the parameters and solve again"
        )


class _Solve:
    """One solve's problem and options, and its latest solutions and derivatives, by the parameters' numbers.

    Rows are made on demand and hold this object. It holds no row, and no
    Value but the parameters (ancestors of every node it makes), so no
    reference cycle forms.
    """

    def __init__(self, problem: _Problem, options: _Options, thetas: tuple[float, ...], answer: list[float]) -> None:
        self.problem, self.options = problem, options
        self.solutions: dict[tuple[float, ...], list[float]] = {thetas: answer}
        self.derivatives: dict[tuple[float, ...], Matrix] = {}
        self.latest = answer

    def row(self, i: int) -> _SolveRow:
        """The row of unknown `i`: value x*ᵢ(θ), derivatives row i of −(∂F/∂x)⁻¹·∂F/∂θ."""
        problem = self.problem
        name = problem.name if problem.n == 1 else f"{problem.name}[{i}]"
        value = lambda *thetas: self.solution(thetas)[i]
        derivs = lambda *args: self.local(i, args[:-1], args[-1])
        row = _SolveRow(name, len(problem.values), value, derivs)
        row.made_by = (user_row, __name__, name)  # read as a user's row: called by name, never traced
        return row

    def node(self, i: int, thetas: Sequence[Value]) -> Value:
        """A new node of unknown `i` on the Values `thetas`."""
        return apply(self.row(i), *thetas)

    def solution(self, thetas: tuple[float, ...]) -> list[float]:
        """x*(θ) at these numbers: remembered, or solved again from the latest answer (then from x0)."""
        found = self.solutions.get(thetas)
        if found is None:
            try:
                found = _find(self.problem, self.latest, thetas, self.options)
            except SolverError:
                if self.latest == self.problem.start:
                    raise
                found = _find(self.problem, self.problem.start, thetas, self.options)
            _remember(self.solutions, thetas, found)
            self.latest = found
        return found

    def local(self, i: int, thetas: Sequence[Any], out: Any) -> tuple[Any, ...]:
        """∂x*ᵢ/∂θ: floats from the numbers, or, given Values (higher order), Values that differentiate again."""
        if isinstance(out, Value):
            return self._local_values(i, thetas, out)
        key = tuple(thetas)
        matrix = self.derivatives.get(key)
        if matrix is None:
            xs = self.solution(key)
            _, _, fx, ftheta = self.problem.partials(xs, key, create_graph=False)
            try:
                matrix = [[-d for d in row] for row in _solve_linear(fx, ftheta)]
            except ZeroDivisionError:
                raise _singular_here(self.problem, xs) from None
            _remember(self.derivatives, key, matrix)
        return tuple(matrix[i])

    def _local_values(self, i: int, thetas: Sequence[Value], out: Value) -> tuple[Any, ...]:
        """Row i of −(∂F/∂x)⁻¹·∂F/∂θ as Values in the node's own inputs.

        It is computed over fresh leaves standing for x* and θ (so that no
        pass inside F reaches back into the graph being differentiated), then
        rebuilt with the leaves replaced by the real inputs: θ, this node for
        x*ᵢ, and a new node of this solve for every other unknown. Through those
        nodes the rule differentiates again, at every order.
        """
        problem = self.problem
        numbers_ = tuple(t.data for t in thetas)
        xs = list(self.solution(numbers_))
        xs[i] = out.data
        x_leaves, theta_leaves, fx, ftheta = problem.partials(xs, numbers_, create_graph=True)
        with enable_grad():
            try:
                if problem.n == 1:
                    local = [-d / fx[0][0] for d in ftheta[0]]
                else:  # row i of (∂F/∂x)⁻¹: the solution w of (∂F/∂x)ᵀ·w = eᵢ
                    transposed = [list(column) for column in zip(*fx)]
                    w = _solve_linear(transposed, [[1.0 if r == i else 0.0] for r in range(problem.n)])
                    local = [-_dot([wr[0] for wr in w], [row[j] for row in ftheta]) for j in range(len(thetas))]
            except ZeroDivisionError:
                raise _singular_here(problem, xs) from None
            stand_ins = {leaf: _given(t) for leaf, t in zip(theta_leaves, thetas)}
            for j, leaf in enumerate(x_leaves):
                stand_ins[leaf] = _given(out) if j == i else functools.partial(self.node, j, thetas)
            return tuple(_rebuild(local, stand_ins))


def _given(v: Value) -> Callable[[], Value]:
    """A function giving `v`: a stand-in that is already made."""
    return lambda: v


def _dot(a: Sequence[Any], b: Sequence[Any]) -> Any:
    total: Any = 0.0
    for x, y in zip(a, b):
        if not (_is_zero(x) or _is_zero(y)):
            total = total + x * y
    return total


def _remember(memory: dict[tuple[float, ...], Any], key: tuple[float, ...], value: Any) -> None:
    """Keep `value` under `key`, forgetting the oldest entries beyond `_REMEMBERED`."""
    memory[key] = value
    while len(memory) > _REMEMBERED:
        del memory[next(iter(memory))]


def _singular_here(problem: _Problem, xs: Sequence[float]) -> SolverError:
    return SolverError(
        f"{problem.name}: ∂F/∂x is singular at the solution x = {_shown(xs)}, so the implicit derivative does not "
        f"exist there", problem.name, _point(xs),
    )


def _rebuild(outputs: Sequence[Any], stand_ins: dict[Value, Callable[[], Value]]) -> list[Any]:
    """`outputs` recomputed with each leaf of `stand_ins` replaced by the Value its function gives.

    Every node between is recorded again with the same row and constants on
    the replaced inputs, so the result is the same numbers, now a function of
    the new inputs. Guards remembered on the old nodes are remembered on the
    new ones, so a replay of the rebuilt graph still checks F's branches (the
    other operands of a comparison are rebuilt too, as `compile` keeps them).
    """
    new: dict[Value, Value] = {}

    def rebuilt(v: Value) -> Value:
        if v in new:
            return new[v]
        for node in topological_order(v):
            if node in new:
                continue
            if node in stand_ins:
                new[node] = stand_ins[node]()
            elif node.is_leaf:
                new[node] = node  # a constant
            else:
                op = node.op
                assert op is not None
                new[node] = _record(op, [new[p] for p in node.parents], node.constants)
                pending.append(node)
        return new[v]

    pending: list[Value] = [leaf for leaf in stand_ins]
    values = [v for v in outputs if isinstance(v, Value)]
    if len(values) > 1:  # one walk over them all: the order of a (discarded) sum of the outputs
        rebuilt(apply(SUM, *values))
    result = [rebuilt(v) if isinstance(v, Value) else v for v in outputs]
    seen: set[tuple[Any, ...]] = set()
    while pending:
        node = pending.pop()
        for guard in guards_of(node):
            operands = guard.operands
            key = (guard.symbol, *(id(x) if isinstance(x, Value) else x for x in operands))
            if key in seen:  # a comparison of two Values is kept on both
                continue
            seen.add(key)
            moved = tuple(rebuilt(x) if isinstance(x, Value) else x for x in operands)
            if any(isinstance(x, Value) and x is not y for x, y in zip(operands, moved)):
                remember(guard.symbol, guard.test, moved, guard.outcome)
    return result

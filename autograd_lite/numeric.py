"""Numeric derivatives, and checking exact gradients against them.

A derivative is the limit of Δy/Δx as Δx shrinks. `numeric_grad` takes that
ratio with a small, finite Δx on both sides of the point (a *central
difference*), which is accurate to about eps². `gradcheck` compares those slopes
with the exact ones from `backward()` and says, argument by argument, whether
they agree.

>>> slope = numeric_grad(lambda x: x * x, 3.0)     # the slope of x² at 3 is 6
>>> round(slope, 6)
6.0
>>> gradcheck(lambda x, y: x * y + y.exp(), 2.0, 0.5)
True
"""

from __future__ import annotations

import math
import sys

from .engine import Value
from .functions import data_of
from .grad_mode import enable_grad, no_grad
from .higher import differentiate, push_forward
from .tree import tree_flatten, tree_paths, tree_split

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["GradcheckError", "gradcheck", "numeric_grad"]


class GradcheckError(ValueError):
    """Exact and numeric derivatives disagree; the message has the table."""


def _step(x: float, eps: float) -> float:
    # Scale the step with |x|, so large arguments are not lost in float rounding.
    return eps * max(1.0, abs(x))


def _check_positive(where: str, name: str, x: object, allow_zero: bool = False) -> float:
    number = float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else math.nan
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{where}: {name} must be a finite number {bound}, got {x!r}")
    return number


class _Flat:
    """`f` as a function of one number per leaf of its arguments (which may be containers), and where they sit."""

    def __init__(self, f: Callable[..., Any], args: Sequence[Any], where: str) -> None:
        self.f, self.shapes, self.point, self.labels = f, [], [], []
        for i, a in enumerate(args):
            leaves, shape = tree_flatten(a, f"{where}: argument {i}")
            self.shapes.append(shape)
            self.point += [data_of(x, where, f"argument {i}") for x in leaves]
            self.labels += tree_paths(shape, f"x{i}")

    def __call__(self, *numbers: Any) -> Any:
        return self.f(*tree_split(self.shapes, numbers))


def _value_at(f: _Flat, point: Sequence[float]) -> float:
    return data_of(f(*[Value(a) for a in point]), "numeric_grad", "the function's result")


# How far each value of f may be off from rounding, relative to its size: a few
# operations' worth of float error (2**-53 each). The central difference divides
# that error by the step, which at a function of size 1 and a step of 1e-6 is
# about 2e-9: a numeric slope smaller than that is noise, whatever its sign.
_ROUNDING = 8 * sys.float_info.epsilon
# Below the smallest normal float (2.2e-308) numbers lose their relative
# precision, and a computation whose intermediate values pass through there
# can lose all of them: no value of f is known better than that.
_UNDERFLOW = sys.float_info.min


def _rounding(a: float, b: float, step: float) -> float:
    """How much of ``(a − b) / step`` float rounding in `a` and `b` could be."""
    return (_ROUNDING * (abs(a) + abs(b)) + _UNDERFLOW) / step


def _slope(f: _Flat, point: list[float], i: int, h: float, where: str) -> float:
    """The central difference of `f` in number `i` with step `h`, over the step floats can represent."""
    return _difference(f, point, i, h, where)[0]


def _difference(f: _Flat, point: list[float], i: int, h: float, where: str) -> tuple[float, float]:
    """`_slope`, and how much of it float rounding in the two values of f could be."""
    x, label = point[i], f.labels[i]
    up, down = x + h, x - h
    if up == x or down == x:
        raise ValueError(
            f"{where}: the step {h:.3g} is too small for {label} = {x!r}: x ± step rounds to x (use a larger eps)"
        )
    try:
        f_up = _value_at(f, [*point[:i], up, *point[i + 1 :]])
        f_down = _value_at(f, [*point[:i], down, *point[i + 1 :]])
    except (ArithmeticError, ValueError) as error:
        _value_at(f, point)  # if f fails at the point itself, that error is the one to see
        raise ValueError(
            f"{where}: f is defined at {label} = {x!r} but not at {down!r} or {up!r}: the finite-difference "
            f"step {h:.3g} leaves the function's domain ({error}); pass a smaller eps"
        ) from None
    slope = (f_up - f_down) / (up - down)  # the step floats actually took, not 2h
    if not math.isfinite(slope):
        raise OverflowError(f"{where}: the numeric slope in {label} at {x!r} overflows a float")
    return slope, _rounding(f_up, f_down, up - down)


def numeric_grad(f: Callable[..., Any], *args: Any, eps: float = 1e-6) -> Any:
    """Central-difference slopes of `f` at `args`, shaped as `grad` shapes its gradient.

    ``(f(x + h) − f(x − h)) / 2h`` with ``h = eps · max(1, |x|)``, one number
    at a time. `f` takes Values, the same function you would call
    ``backward()`` on; it is evaluated without recording a graph. Every
    argument is differentiated. For one argument the slopes have its shape (a
    float for a number, a list for a list, a float64 array for a numpy
    array, which `f` receives as an array of Values): what ``grad(f)(x)``
    returns. For several, a tuple with one entry per argument, each shaped
    like it: what ``grad(f, argnums=(0, 1, …))`` returns. A step that leaves
    the function's domain, or that floats cannot represent, is an error that
    says so.

    >>> round(numeric_grad(lambda x: x * x, 3.0), 6)
    6.0
    >>> [round(slope, 6) for slope in numeric_grad(lambda v: v[0] * v[1], [3.0, 4.0])]
    [4.0, 3.0]
    >>> tuple(round(slope, 6) for slope in numeric_grad(lambda x, y: x * y, 3.0, 4.0))
    (4.0, 3.0)
    """
    eps = _check_positive("numeric_grad", "eps", eps)
    if not args:
        raise ValueError("numeric_grad: no arguments, so there is nothing to differentiate")
    flat = _Flat(f, args, "numeric_grad")
    slopes = tree_split(flat.shapes, _slopes(flat, eps, "numeric_grad"))
    return slopes[0] if len(args) == 1 else tuple(slopes)


def _slopes(f: _Flat, eps: float, where: str) -> list[float]:
    """The central difference in every number of the point, without recording."""
    return [slope for slope, _ in _differences(f, eps, where)]


def _differences(f: _Flat, eps: float, where: str) -> list[tuple[float, float]]:
    """`_difference` in every number of the point, without recording."""
    with no_grad():
        return [_difference(f, f.point, i, _step(x, eps), where) for i, x in enumerate(f.point)]


def _record(f: _Flat, point: Sequence[float], where: str) -> tuple[list[Value], Value | None]:
    """Fresh leaves at `point` and `f` recorded on them; None in place of a constant function's number."""
    inputs = [Value(a) for a in point]
    with enable_grad():
        out = f(*inputs)
    if isinstance(out, Value):
        return inputs, out
    data_of(out, where, "the function's result")  # a number: a constant function, every slope is 0
    return inputs, None


def _exact_grad(f: _Flat, *args: float) -> list[float]:
    """The exact gradient of `f` at `args` by one forward and one reverse pass (no ``.grad`` changes)."""
    inputs, out = _record(f, args, "gradcheck")
    return [0.0] * len(inputs) if out is None else list(differentiate(out, inputs, create_graph=False))


def _table(title: str, rows: Sequence[tuple[str, float, float, float]]) -> tuple[bool, str]:
    """Format (label, exact, numeric, allowed error) rows; return whether all agree, and the text."""
    lines = [title, f"  {'argument':<10} {'exact':>14} {'numeric':>14} {'error':>10}"]
    ok = True
    for label, exact, numeric, allowed in rows:
        error = abs(exact - numeric)
        bad = not error <= allowed  # nan is never within
        ok = ok and not bad
        mark = "  <-- mismatch" if bad else ""
        lines.append(f"  {label:<10} {exact:>14.8g} {numeric:>14.8g} {error:>10.2e}{mark}")
    return ok, "\n".join(lines)


def gradcheck(
    f: Callable[..., Any],
    *args: Any,
    eps: float = 1e-6,
    atol: float | None = None,
    rtol: float = 1e-4,
    order: int = 1,
    seed: int = 0,
) -> bool:
    """Check the exact derivatives of `f` at `args` against numeric ones.

    Order 1 compares each exact slope with its central difference, and the
    forward-mode directional derivative along a random direction with
    gradient · direction. Order 2 also compares every exact second derivative
    with the central difference of the exact gradient. Returns True, or raises
    `GradcheckError` with a table of exact slope, numeric slope and error.

    An exact number e agrees with the number n it is compared with when
    ``|e − n| <= atol + rtol·|n|``. By default `atol` is relative to the two
    numbers compared: ``rtol / 10`` times the larger of |e| and |n|, plus the
    float rounding n can carry (for a central difference, about 2e-9 times
    the size of f's values at the default step). So each derivative is
    judged on its own scale: a slope twice too large is caught for a function
    whose values are near 1e-8 as for one near 1e8, and beside slopes far
    larger than it, as long as it stands above the rounding of f's values.
    A number for `atol` is an absolute tolerance, used as it is.

    When a numeric number disagrees, smaller steps are tried before the exact
    one is blamed (a step can be too coarse for the function, and the error of
    a central difference shrinks with the step); if they do not settle, the
    error says the numeric slope cannot be trusted at that point.

    >>> gradcheck(lambda x: x.sin() * x, 1.5, order=2)
    True
    >>> gradcheck(lambda x: x.relu(), 0.0)     # relu'(0) is 0 by convention, the slope is 0.5
    Traceback (most recent call last):
    ...
    autograd_lite.numeric.GradcheckError: gradcheck failed at (0.0,)
      argument            exact        numeric      error
      x0                      0            0.5   5.00e-01  <-- mismatch
      jvp                     0              0   0.00e+00
    """
    if order not in (1, 2):
        raise ValueError(f"gradcheck: order must be 1 or 2, got {order!r}")
    eps = _check_positive("gradcheck", "eps", eps)
    tolerance = _Tolerance(
        None if atol is None else _check_positive("gradcheck", "atol", atol, allow_zero=True),
        _check_positive("gradcheck", "rtol", rtol, allow_zero=True),
    )
    flat = _Flat(f, args, "gradcheck")
    point = flat.point
    inputs, out = _record(flat, point, "gradcheck")  # one recording serves every exact derivative below
    exact = [0.0] * len(point) if out is None else list(differentiate(out, inputs, create_graph=False))
    differences = _differences(flat, eps, "gradcheck")
    rows = []
    for i, (e, first) in enumerate(zip(exact, differences)):

        def slope(h: float, i: int = i) -> tuple[float, float]:
            return _difference(flat, point, i, h, "gradcheck")

        rows.append(tolerance.row(flat.labels[i], e, first, slope, point[i], eps))

    # Forward mode along a random direction must give gradient · direction.
    import random  # here, not at the top: it is slow to import and only gradcheck needs it

    rng = random.Random(seed)
    direction = [rng.uniform(-1.0, 1.0) for _ in point]
    forward = 0.0 if out is None else float(push_forward([out], dict(zip(inputs, direction)))[0])
    terms = [g * d for g, d in zip(exact, direction)]
    # Both sides are exact; their rounding is bounded by the sum's own and, for
    # a gradient that is 0 up to rounding (1e-17 either way), by the numeric slopes'.
    rounding = _ROUNDING * sum(map(abs, terms)) + sum(r * abs(d) for (_, r), d in zip(differences, direction))
    dot = sum(terms)
    rows.append(("jvp", forward, dot, tolerance.allowed(dot, max(abs(forward), abs(dot)), rounding)))

    if order == 2 and out is not None:
        rows += _second_order_rows(flat, out, inputs, point, eps, tolerance)
    ok, text = _table(f"gradcheck failed at {tuple(point)}", rows)
    if not ok:
        raise GradcheckError(text)
    return True


class _Tolerance:
    """How far an exact number may be from a numeric one, and the search for a numeric one to trust."""

    __slots__ = ("atol", "rtol")

    def __init__(self, atol: float | None, rtol: float) -> None:
        self.atol, self.rtol = atol, rtol  # atol None: relative, as `gradcheck` says

    def allowed(self, numeric: float, scale: float, rounding: float) -> float:
        """The largest error allowed against `numeric`, for numbers of size `scale` that rounding moves by `rounding`.

        With a fixed `atol`, `scale` and `rounding` play no part.
        """
        if self.atol is not None:
            return self.atol + self.rtol * abs(numeric)
        return self.rtol * abs(numeric) + 0.1 * self.rtol * scale + rounding

    def row(
        self,
        label: str,
        exact: float,
        first: tuple[float, float],
        estimate: Callable[[float], tuple[float, float]],
        x: float,
        eps: float,
    ) -> tuple[str, float, float, float]:
        """The table's row for `exact` against a numeric number, `first` or, if that disagrees, one from smaller steps.

        `estimate(h)` is the numeric number and its rounding with step h
        (`first` is the one with eps's step, at `x`). The scale stays the
        first step's: a central difference that is only truncation error
        shrinks with the step until it is small beside it (for x³ at 0 the
        central difference is h², and the exact slope 0).

        A step that is large for the function's scale (sin at 10¹⁰ with
        eps·|x| = 10⁴) gives a meaningless slope. Smaller steps, down to where
        float rounding takes over, either find one that agrees, or settle on
        a number (two steps in a row agree: then the exact number is what is
        wrong), or never settle, and then the numeric number cannot be trusted
        at this point, which is said.
        """
        scale = max(abs(exact), abs(first[0]))
        numeric, rounding = first
        allowed = self.allowed(numeric, scale, rounding)
        if abs(exact - numeric) <= allowed:
            return label, exact, numeric, allowed
        h = _step(x, eps)
        floor = 64 * math.ulp(max(abs(x), 1.0))  # below this, rounding dominates the difference
        tried = [first]
        with no_grad():
            while h / 10.0 >= floor:
                h /= 10.0
                try:
                    numeric, rounding = estimate(h)
                except (ArithmeticError, ValueError):
                    break
                allowed = self.allowed(numeric, scale, rounding)
                if abs(exact - numeric) <= allowed:
                    return label, exact, numeric, allowed
                previous, previous_rounding = tried[-1]
                if abs(numeric - previous) <= self.allowed(previous, scale, max(rounding, previous_rounding)):
                    return label, exact, numeric, allowed  # settled, and not on the exact number
                tried.append((numeric, rounding))
        shown = ", ".join(f"{n:.6g}" for n, _ in tried)
        raise GradcheckError(
            f"gradcheck: the numeric slope for {label} at {x!r} cannot be trusted: it changes with the step "
            f"({shown} as the step shrinks from {_step(x, eps):.3g}), so it cannot judge the exact slope {exact!r}"
        )


def _second_order_rows(
    f: _Flat, out: Value, inputs: list[Value], point: list[float], eps: float, tolerance: _Tolerance
) -> list[tuple[str, float, float, float]]:
    """Exact Hessian entries (from `out` recorded at `point`) next to central differences of the exact gradient."""
    first = differentiate(out, inputs)

    def column(j: int, h: float) -> list[tuple[float, float]]:
        """The central difference of the exact gradient in number j with step h, and its rounding, entry by entry."""
        x = point[j]
        up = _exact_grad(f, *point[:j], x + h, *point[j + 1 :])
        down = _exact_grad(f, *point[:j], x - h, *point[j + 1 :])
        step = (x + h) - (x - h)
        return [((u - d) / step, _rounding(u, d, step)) for u, d in zip(up, down)]

    rows = []
    for j, x in enumerate(point):
        exact_column = differentiate(first[j], inputs)
        numeric_column = column(j, _step(x, eps))
        for i in range(len(point)):

            def entry(h: float, i: int = i, j: int = j) -> tuple[float, float]:
                return column(j, h)[i]

            rows.append(tolerance.row(f"H[{i}][{j}]", exact_column[i].data, numeric_column[i], entry, x, eps))
    return rows

"""Optimizers: gradient descent, its refinements, and the trial-and-error baseline.

Every optimizer holds a list of parameters (leaf Values) and changes their
``.data`` in ``step()``. The conventions are PyTorch's:

* ``zero_grad()`` sets every parameter's ``.grad`` to 0 (gradients accumulate);
  ``zero_grad(set_to_none=True)`` does the same, as there is no "no gradient"
  state, and a ``.grad`` set to None reads as 0.0 in ``step()``.
* ``step()`` updates the parameters from the gradients they hold now.
* ``step(closure)`` first calls ``closure()`` to evaluate the loss (and its
  gradient), then updates, and returns the loss as a float.

Hyperparameters (``lr``, ``momentum``, ``eps``…) may be any real number,
numpy's scalars and Fractions included, and are kept as Python floats.

Two counters make costs visible: ``evaluations`` counts loss evaluations made
through a closure, ``gradient_evaluations`` counts backward passes made for one.

>>> from autograd_lite import Value
>>> w = Value(1.0)
>>> opt = SGD([w], lr=0.1)
>>> loss = (w - 3) ** 2          # slope 2·(w − 3) = −4 at w = 1
>>> loss.backward()
>>> opt.step()
>>> w.data                       # w ← w − lr·grad = 1 − 0.1·(−4)
1.4
"""

from __future__ import annotations

import math
from numbers import Real

from .engine import Value, data_of
from .grad_mode import no_grad

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    Closure = Callable[[], Any]

__all__ = ["SGD", "Adam", "Optimizer", "TrialAndError"]


def _hyperparameter(owner: str, name: str, x: object, rule: str, within: Callable[[float], bool]) -> float:
    """`x` as a Python float if it is a real number for which `within` holds; else a ValueError saying `rule`.

    Any real number counts: int, float, Fraction, and numpy's scalars
    (float32 is not a float subclass, nor int64 an int), found through
    `numbers.Real` without importing numpy.
    """
    if isinstance(x, Real):
        try:
            number = float(x)
        except OverflowError:  # a huge int or Fraction; its repr could be thousands of digits
            too_large = f"a number too large for a float ({type(x).__name__})"
            raise ValueError(f"{owner}: {name} must be {rule}, got {too_large}") from None
        if within(number):
            return number
    raise ValueError(f"{owner}: {name} must be {rule}, got {x!r}")


def _positive(owner: str, name: str, x: object) -> float:
    return _hyperparameter(owner, name, x, "a positive finite number", lambda v: 0.0 < v < math.inf)


def _in_unit_interval(owner: str, name: str, x: object) -> float:
    return _hyperparameter(owner, name, x, "in [0, 1)", lambda v: 0.0 <= v < 1.0)


class Optimizer:
    """What every optimizer shares: the parameter list, ``zero_grad``, closures, counters."""

    def __init__(self, params: Iterable[Value]) -> None:
        name = type(self).__name__
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError(f"{name}: got an empty parameter list")
        first_seen: dict[Value, int] = {}
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"{name}: parameter {i} must be a Value, got {type(p).__name__} {p!r}")
            if not p.is_leaf:
                raise ValueError(f"{name}: parameter {i} is a computed Value, not a leaf; optimize its leaves")
            if p in first_seen:
                raise ValueError(f"{name}: parameters {first_seen[p]} and {i} are the same Value; list each once")
            first_seen[p] = i
        self.evaluations = 0
        self.gradient_evaluations = 0

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Set every parameter's gradient to 0 before the next backward pass.

        `set_to_none` is PyTorch's keyword, taken so that code written for
        PyTorch runs unchanged; it changes nothing here. autograd_lite has no
        "no gradient yet" state; a gradient of None reads as 0.0, so
        set_to_none zeroes.
        """
        for p in self.params:
            p.grad = 0.0

    def step(self, closure: Closure | None = None) -> float | None:
        """Update the parameters once; with a closure, evaluate the loss first and return it."""
        loss = self._loss_and_gradient(closure) if closure is not None else None
        self._update(self._gradients())
        return loss

    # -- helpers for subclasses -------------------------------------------------

    def _loss_and_gradient(self, closure: Closure) -> float:
        """Evaluate the loss through `closure` and make sure the gradients are its own.

        The closure may call ``zero_grad()`` and ``backward()`` itself, as in
        PyTorch; if it only returns the loss, the backward pass is run here.
        """
        self.zero_grad()
        loss = closure()
        self.evaluations += 1
        if isinstance(loss, Value) and all(p.grad is None or p.grad == 0.0 for p in self.params):
            for p in self.params:
                if p.grad is None:  # set by the closure, in PyTorch's habit: it reads as 0.0
                    p.grad = 0.0
            loss.backward()
        self.gradient_evaluations += 1
        return data_of(loss, type(self).__name__, "the closure's loss")

    def _evaluate(self, closure: Closure) -> float:
        """The loss only, recording no graph (for derivative-free methods)."""
        with no_grad():
            loss = closure()
        self.evaluations += 1
        return data_of(loss, type(self).__name__, "the closure's loss")

    def _gradients(self) -> list[float]:
        """Every parameter's gradient, checked before anything is changed; a gradient of None reads as 0.0."""
        grads = [0.0 if p.grad is None else p.grad for p in self.params]
        for i, g in enumerate(grads):
            if not math.isfinite(g):
                raise ValueError(f"{type(self).__name__}: parameter {i} has a non-finite gradient {g!r}")
        return grads

    def _update(self, grads: list[float]) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not implement _update")

    def _commit(self, new_data: list[float], *state: list[float]) -> None:
        """Check every new number first, then assign the parameters: a step happens whole or not at all."""
        for what, numbers in (("parameter", new_data), *(("state of parameter", s) for s in state)):
            for i, x in enumerate(numbers):
                if not math.isfinite(x):
                    raise OverflowError(
                        f"{type(self).__name__}: this step would make the {what} {i} {x!r}; nothing was changed "
                        f"(a smaller lr, or gradients of a reasonable size, avoid it)"
                    )
        for p, x in zip(self.params, new_data):
            p.data = x


class SGD(Optimizer):
    """Gradient descent: ``w ← w − lr·grad``, optionally with momentum.

    With momentum μ each parameter keeps a velocity ``v ← μ·v + grad`` and
    moves by ``w ← w − lr·v``; Nesterov's variant moves by
    ``w ← w − lr·(grad + μ·v)``, looking one step ahead.

    >>> w = Value(0.0)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (w - 1).backward()   # grad is always 1
    ...     opt.step()
    >>> round(w.data, 10)        # −0.1, then −0.1 − 0.1·(0.9 + 1)
    -0.29
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(params)
        self.lr = _positive("SGD", "lr", lr)
        self.momentum = _in_unit_interval("SGD", "momentum", momentum)
        if nesterov and self.momentum == 0.0:
            raise ValueError("SGD: nesterov=True needs momentum > 0")
        self.nesterov = nesterov
        self.velocity = [0.0] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        velocity, new_data = list(self.velocity), []
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if self.momentum:
                velocity[i] = self.momentum * velocity[i] + g
                g = g + self.momentum * velocity[i] if self.nesterov else velocity[i]
            new_data.append(p.data - self.lr * g)
        self._commit(new_data, velocity)
        self.velocity = velocity


class Adam(Optimizer):
    """Adam: gradient descent with per-parameter step sizes from running moments.

    For each parameter, with t the step count::

        g ← grad + weight_decay·w
        m ← β₁·m + (1 − β₁)·g          running mean of gradients
        s ← β₂·s + (1 − β₂)·g²         running mean of squared gradients
        m̂ = m / (1 − β₁ᵗ),  ŝ = s / (1 − β₂ᵗ)   (bias correction)
        w ← w − lr·m̂ / (√ŝ + eps)

    >>> w = Value(0.0)
    >>> opt = Adam([w], lr=0.1)
    >>> (w - 1).backward(); opt.step()
    >>> round(w.data, 6)          # the first step moves by lr, whatever the gradient's size
    -0.1
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _positive("Adam", "lr", lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2) like (0.9, 0.999), got {betas!r}")
        self.betas = (_in_unit_interval("Adam", "betas[0]", betas[0]), _in_unit_interval("Adam", "betas[1]", betas[1]))
        self.eps = _positive("Adam", "eps", eps)
        self.weight_decay = _hyperparameter(
            "Adam", "weight_decay", weight_decay, "a finite number >= 0", lambda v: 0.0 <= v < math.inf
        )
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.s = [0.0] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        beta1, beta2 = self.betas
        t = self.t + 1
        correction1 = 1.0 - beta1**t
        correction2 = 1.0 - beta2**t
        m, s, new_data = list(self.m), list(self.s), []
        for i, (p, g) in enumerate(zip(self.params, grads)):
            g += self.weight_decay * p.data
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            s[i] = beta2 * s[i] + (1.0 - beta2) * g * g
            m_hat = m[i] / correction1
            s_hat = s[i] / correction2
            new_data.append(p.data - self.lr * m_hat / (math.sqrt(s_hat) + self.eps))
        self._commit(new_data, m, s)
        self.t, self.m, self.s = t, m, s


class TrialAndError(Optimizer):
    """The derivative-free baseline: nudge each parameter, keep what helps.

    One ``step(closure)`` evaluates the loss once where it stands, then for
    each parameter in turn: try ``w + step_size``, keep it if the loss drops;
    else try ``w − step_size``, keep it if the loss drops; else put ``w`` back.
    If no parameter moved, ``step_size`` shrinks by ``shrink``. So a step costs
    between N + 1 and 2N + 1 loss evaluations for N parameters, and it only
    ever learns "better or worse", never "how much" or "which way".

    >>> w = Value(0.0)
    >>> opt = TrialAndError([w], step_size=0.5)
    >>> opt.step(lambda: (w - 1) ** 2)     # tries 0.5: better, kept
    1.0
    >>> w.data, opt.evaluations
    (0.5, 2)
    """

    def __init__(self, params: Iterable[Value], step_size: float, shrink: float = 0.5) -> None:
        super().__init__(params)
        self.step_size = _positive("TrialAndError", "step_size", step_size)
        self.shrink = _hyperparameter("TrialAndError", "shrink", shrink, "in (0, 1)", lambda v: 0.0 < v < 1.0)

    def step(self, closure: Closure | None = None) -> float:
        """Try every parameter up, then down; return the loss before the step."""
        if closure is None:
            raise ValueError("TrialAndError.step needs a closure that returns the loss")
        start = best = self._evaluate(closure)
        before = [p.data for p in self.params]
        moved = False
        try:
            for p in self.params:
                old = p.data
                for candidate in (old + self.step_size, old - self.step_size):
                    p.data = candidate
                    loss = self._evaluate(closure)
                    if loss < best:
                        best, moved = loss, True
                        break
                else:
                    p.data = old
        except BaseException:
            for p, x in zip(self.params, before):  # a failed step changes nothing
                p.data = x
            raise
        if not moved:
            self.step_size *= self.shrink
        return start

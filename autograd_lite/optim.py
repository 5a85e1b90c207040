"""Optimizers: gradient descent, its refinements, and the trial-and-error baseline.

Every optimizer holds a list of parameters (leaf Values), in one or more
parameter groups with their own hyperparameters (``opt.param_groups``), and
changes their ``.data`` in ``step()``. The conventions are PyTorch's:

* ``zero_grad()`` sets every parameter's ``.grad`` to 0 (gradients accumulate);
  ``zero_grad(set_to_none=True)`` does the same, as there is no "no gradient"
  state, and a ``.grad`` set to None reads as 0.0 in ``step()``.
* ``step()`` updates the parameters from the gradients they hold now.
* ``step(closure)`` first calls ``closure()`` to evaluate the loss (and its
  gradient), then updates, and returns the loss as a float.
* ``state_dict()`` holds the hyperparameters of every group and each
  parameter's state, in plain dicts, lists and numbers (JSON takes them);
  ``load_state_dict(d)`` restores them all, or nothing.

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
import operator
from numbers import Integral, Real

from .engine import Value
from .functions import data_of
from .grad_mode import no_grad

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, ClassVar

    Closure = Callable[[], Any]
    #: A hyperparameter's check: (owner, name, value) -> the value as stored, or a ValueError naming owner and name.
    Rule = Callable[[str, str, object], Any]
    #: How a hyperparameter is named in errors: "lr" for a constructor's argument, "param_groups[1]['lr']" in a group.
    Naming = Callable[[str], str]

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


def _non_negative(owner: str, name: str, x: object) -> float:
    return _hyperparameter(owner, name, x, "a finite number >= 0", lambda v: 0.0 <= v < math.inf)


def _in_open_unit_interval(owner: str, name: str, x: object) -> float:
    return _hyperparameter(owner, name, x, "in (0, 1)", lambda v: 0.0 < v < 1.0)


def _flag(owner: str, name: str, x: object) -> bool:
    """True or False (numpy's bool, 0 and 1 too); anything else, such as the string "False", is a ValueError."""
    if isinstance(x, bool):
        return x
    if (isinstance(x, Integral) and x in (0, 1)) or (type(x).__module__ == "numpy" and "bool" in type(x).__name__):
        return bool(x)
    raise ValueError(f"{owner}: {name} must be True or False, got {x!r}")


def _betas(owner: str, name: str, x: object) -> tuple[float, float]:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"{owner}: {name} must be a pair (beta1, beta2) like (0.9, 0.999), got {x!r}")
    return (_in_unit_interval(owner, f"{name}[0]", x[0]), _in_unit_interval(owner, f"{name}[1]", x[1]))


def _plain(key: str) -> str:
    return key


def _in_group(g: int) -> Naming:
    return lambda key: f"param_groups[{g}][{key!r}]"


def _listed(owner: str, what: str, xs: object, one_value: bool = False) -> list[Any]:
    """`xs` as a list; a Value alone counts as a list of one where `one_value`. Unordered or odd kinds: a TypeError."""
    if isinstance(xs, Value):
        if one_value:
            return [xs]
        raise TypeError(
            f"{owner}: {what} must be a list of Values (or of parameter groups), got one Value; use [{what}]"
        )
    if isinstance(xs, (set, frozenset)):
        raise TypeError(
            f"{owner}: {what} is a {type(xs).__name__}, which has no fixed order, and the optimizer's state goes "
            "by position; pass a list"
        )
    if isinstance(xs, (str, bytes, dict)) or not hasattr(xs, "__iter__"):
        raise TypeError(
            f"{owner}: {what} must be a list of Values or of parameter groups (dicts), got {type(xs).__name__}"
        )
    return list(xs)


def _finite(owner: str, name: str, x: object) -> float:
    """`x` as a finite Python float; a ValueError (an OverflowError beyond a float's range) naming `name`."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise ValueError(f"{owner}: {name} must be a finite number, got {x!r}")
    try:
        number = float(x)
    except OverflowError:  # a huge int or Fraction; its repr could be thousands of digits
        raise OverflowError(f"{owner}: {name} is too large for a float ({type(x).__name__})") from None
    if not math.isfinite(number):
        raise ValueError(f"{owner}: {name} must be a finite number, got {x!r}")
    return number


def _count(owner: str, name: str, x: object) -> int:
    """`x` as a Python int >= 0 (5 and 5.0 alike, as a count read back from JSON may be either); else a ValueError."""
    if not isinstance(x, bool) and isinstance(x, Real):
        number = int(x) if isinstance(x, Integral) else _finite(owner, name, x)
        if number >= 0 and number == int(number):
            return int(number)
    raise ValueError(f"{owner}: {name} must be a whole number >= 0, got {x!r}")


def _exact_keys(owner: str, where: str, held: dict[Any, Any], expected: Iterable[str]) -> None:
    """A KeyError naming the first key of `expected` that `held` lacks, or the first key it has beyond them."""
    expected = tuple(expected)
    for key in expected:
        if key not in held:
            raise KeyError(f"{owner}: {where} has no {key!r}")
    for key in held:
        if key not in expected:
            listed = ", ".join(repr(k) for k in expected) or "none"
            raise KeyError(f"{owner}: {where} has an unexpected key {key!r} (expected {listed})")


def _parameter_number(key: object) -> int | None:
    """A key of ``state``: an int, or the decimal string JSON turns it into ("3"); None for anything else."""
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and key.isascii() and key.isdigit() and str(int(key)) == key:
        return int(key)
    return None


class _Shared:
    """A hyperparameter as an attribute (``opt.lr``): the value every parameter group holds; setting it sets them all.

    Reading it when the groups hold different values is a ValueError pointing to
    ``opt.param_groups[i]``, rather than one group's value passed off as all of them.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, opt: Optimizer | None, kind: type | None = None) -> Any:
        if opt is None:
            return self
        values = [group[self.name] for group in opt.param_groups]
        if any(v != values[0] for v in values[1:]):
            raise ValueError(
                f"{type(opt).__name__}.{self.name}: the parameter groups hold different values {values!r}; "
                f"read opt.param_groups[i][{self.name!r}]"
            )
        return values[0]

    def __set__(self, opt: Optimizer, value: object) -> None:
        owner = type(opt).__name__
        checked = opt._rules[self.name](owner, self.name, value)
        for group in opt.param_groups:
            opt._cross_check(owner, _plain, {**group, self.name: checked})
        for group in opt.param_groups:
            group[self.name] = checked


class Optimizer:
    """What every optimizer shares: parameter groups, ``zero_grad``, closures, counters.

    `params` is a list of Values, or, as in PyTorch, a list of parameter groups:
    dicts holding a group's ``"params"`` and any hyperparameters of its own; a
    hyperparameter a group leaves out is the one given to the constructor.

    >>> w, b = Value(1.0), Value(1.0)
    >>> opt = SGD([{"params": [w], "lr": 0.1}, {"params": [b]}], lr=0.01, momentum=0.9)
    >>> [(g["lr"], g["momentum"]) for g in opt.param_groups]
    [(0.1, 0.9), (0.01, 0.9)]
    >>> (w + b).backward(); opt.step()
    >>> w.data, b.data                 # each group by its own lr
    (0.9, 0.99)

    ``opt.param_groups`` is that list of dicts, each group's ``"params"`` and
    every hyperparameter; change a hyperparameter there (``opt.param_groups[0]["lr"] = 0.05``)
    and the next step uses it, after checking it. A group's ``"params"`` stay the
    parameters the optimizer was made with, as its state belongs to them; a step
    refuses a list changed since. ``opt.lr`` (and every hyperparameter so named)
    reads the value all groups hold and sets it in all of them.
    """

    #: The hyperparameters of every group, each with its check; a subclass lists its own.
    _rules: ClassVar[dict[str, Rule]] = {}
    #: Stricter checks for the values given to the constructor (a step size that shrinks may reach 0 later).
    _initial_rules: ClassVar[dict[str, Rule]] = {}
    #: The names of what each parameter's entry in ``state_dict()["state"]`` holds (PyTorch's names); none here.
    _state_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any] | None = None) -> None:
        name = type(self).__name__
        items = _listed(name, "params", params)
        if not items:
            raise ValueError(f"{name}: got an empty parameter list")
        grouped = isinstance(items[0], dict)
        groups: list[tuple[list[Any], dict[str, Any]]] = []
        if not grouped:
            groups.append((items, {}))
        for g, group in enumerate(items if grouped else []):
            if not isinstance(group, dict):
                kind = type(group).__name__
                raise TypeError(f"{name}: params[{g}] must be a parameter group (a dict) as params[0] is, got {kind}")
            if "params" not in group:
                raise ValueError(f"{name}: parameter group {g} has no 'params'")
            for key in group:
                if key != "params" and key not in self._rules:
                    expected = ", ".join(repr(k) for k in ("params", *self._rules))
                    raise ValueError(f"{name}: parameter group {g} has an unknown key {key!r}; {name} takes {expected}")
            values = _listed(name, f"param_groups[{g}]['params']", group["params"], one_value=True)
            if not values:
                raise ValueError(f"{name}: param_groups[{g}]['params'] is empty")
            groups.append((values, {k: v for k, v in group.items() if k != "params"}))
        first_seen: dict[Value, str] = {}
        for g, (values, _) in enumerate(groups):
            for i, p in enumerate(values):
                where = f"param_groups[{g}]['params'][{i}]" if grouped else f"parameter {i}"
                if not isinstance(p, Value):
                    raise TypeError(f"{name}: {where} must be a Value, got {type(p).__name__} {p!r}")
                if not p.is_leaf:
                    raise ValueError(f"{name}: {where} is a computed Value, not a leaf; optimize its leaves")
                if p in first_seen:
                    both = f"{first_seen[p]} and {where}" if grouped else f"parameters {first_seen[p]} and {i}"
                    raise ValueError(f"{name}: {both} are the same Value; list each once")
                first_seen[p] = where if grouped else str(i)
        given = {k: v for k, v in (defaults or {}).items() if v is not None}
        initial = {**self._rules, **self._initial_rules}
        checked_defaults = self._check(name, _plain, given, initial)
        self._cross_check(name, _plain, checked_defaults)
        self.param_groups: list[dict[str, Any]] = []
        for g, (values, own) in enumerate(groups):
            for key in self._rules:
                if key not in own and key not in checked_defaults:
                    if grouped:
                        raise TypeError(f"{name}: parameter group {g} has no {key!r}, and no default {key} was given")
                    raise TypeError(f"{name}: missing the required argument {key}")
            checked = {**checked_defaults, **self._check(name, _in_group(g), own, initial)}
            self._cross_check(name, _in_group(g), checked)
            self.param_groups.append({"params": list(values), **{k: checked[k] for k in self._rules}})
        self.params: list[Value] = [p for values, _ in groups for p in values]
        self._sizes = [len(values) for values, _ in groups]  # the groups' lengths: params holds them one after another
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
        groups = self._current(f"{type(self).__name__}.step")
        loss = self._loss_and_gradient(closure) if closure is not None else None
        self._update(self._gradients(), groups)
        return loss

    def state_dict(self) -> dict[str, Any]:
        """Everything a step depends on, as PyTorch's: ``{"state": {...}, "param_groups": [...]}``, ready for JSON.

        ``param_groups`` lists each group's hyperparameters, with its ``"params"``
        as the parameters' numbers (0, 1, … group after group) instead of the
        Values; ``state`` maps each number to that parameter's state (SGD:
        ``momentum_buffer``; Adam: ``step``, ``exp_avg``, ``exp_avg_sq``;
        TrialAndError keeps none). Only dicts, lists, floats, ints, bools and
        strings: ``json.dumps`` takes it as it is (and turns the int keys of
        ``state`` into strings, which `load_state_dict` reads back).

        >>> w = Value(1.0)
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> (w * 2).backward(); opt.step()
        >>> opt.state_dict()
        {'state': {0: {'momentum_buffer': 2.0}},
         'param_groups': [{'lr': 0.1, 'momentum': 0.9, 'nesterov': False, 'params': [0]}]}
        """
        groups = self._current(f"{type(self).__name__}.state_dict")
        packed, start = [], 0
        for size, group in zip(self._sizes, groups):
            entry: dict[str, Any] = {k: list(v) if isinstance(v, tuple) else v for k, v in group.items()}
            entry["params"] = list(range(start, start + size))
            packed.append(entry)
            start += size
        return {"state": dict(enumerate(self._parameter_state())), "param_groups": packed}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict` saved (through JSON too): all of it, or, on any error, nothing.

        As in PyTorch, the saved groups must match this optimizer's in number and
        size; their hyperparameters replace the current ones, and the saved
        parameter numbers map, in order, onto this optimizer's parameters.
        Everything is checked before anything is assigned, and on any error the
        optimizer is left as it was: a missing or unexpected key is a KeyError
        naming it; a value that is not what its key holds (a bad lr, a
        non-finite moment, a step count of 2.5) a ValueError naming the key (an
        OverflowError for a number beyond a float's range, a TypeError for a list
        where a dict belongs).
        """
        owner = f"{type(self).__name__}.load_state_dict"
        try:
            groups, assign = self._checked_state_dict(owner, state_dict)
        except (KeyError, ValueError, TypeError, OverflowError) as error:
            if type(error) not in (KeyError, ValueError, TypeError, OverflowError) or len(error.args) != 1:
                raise  # not one of the errors raised here, which all say what they name
            raise type(error)(f"{error.args[0]}; nothing was changed") from None
        self.param_groups = [{"params": params, **group} for params, group in zip(self._grouped(), groups)]
        assign()

    # -- helpers for subclasses -------------------------------------------------

    def _checked_state_dict(self, owner: str, saved: object) -> tuple[list[dict[str, Any]], Callable[[], None]]:
        """Every group's hyperparameters and the function that sets the parameters' state, all checked, nothing set."""
        if not isinstance(saved, dict):
            raise TypeError(f"{owner}: expected a dict with 'state' and 'param_groups', got {type(saved).__name__}")
        _exact_keys(owner, "the state dict", saved, ("state", "param_groups"))
        saved_groups, saved_state = saved["param_groups"], saved["state"]
        if not isinstance(saved_groups, (list, tuple)):
            raise TypeError(f"{owner}: param_groups must be a list of dicts, got {type(saved_groups).__name__}")
        if len(saved_groups) != len(self._sizes):
            raise ValueError(
                f"{owner}: param_groups has {len(saved_groups)} groups; this optimizer has {len(self._sizes)}"
            )
        position: dict[int, int] = {}  # a saved parameter number -> its place in self.params
        groups = []
        for g, (group, size) in enumerate(zip(saved_groups, self._sizes)):
            where = f"param_groups[{g}]"
            if not isinstance(group, dict):
                raise TypeError(f"{owner}: {where} must be a dict, got {type(group).__name__}")
            _exact_keys(owner, where, group, (*self._rules, "params"))
            numbers = group["params"]
            if not isinstance(numbers, (list, tuple)):
                raise TypeError(f"{owner}: {where}['params'] must be a list of ints, got {type(numbers).__name__}")
            if len(numbers) != size:
                raise ValueError(
                    f"{owner}: {where}['params'] lists {len(numbers)} parameters; this optimizer's group {g} has {size}"
                )
            for j, number in enumerate(numbers):
                if isinstance(number, bool) or not isinstance(number, int):
                    raise TypeError(f"{owner}: {where}['params'][{j}] must be an int, got {number!r}")
                if number in position:
                    raise ValueError(f"{owner}: {where}['params'][{j}] is {number}, which is listed twice")
                position[number] = len(position)
            groups.append(self._check(owner, _in_group(g), group, self._rules))
            self._cross_check(owner, _in_group(g), groups[-1])
        if not isinstance(saved_state, dict):
            raise TypeError(f"{owner}: state must be a dict, got {type(saved_state).__name__}")
        entries: list[dict[str, Any] | None] = [None] * len(self.params)
        keys: list[object] = [None] * len(self.params)
        for key, entry in saved_state.items():
            number = _parameter_number(key)
            if number is None or number not in position:
                raise KeyError(f"{owner}: state has an unexpected key {key!r}, which is no parameter of param_groups")
            i = position[number]
            if entries[i] is not None:
                raise ValueError(f"{owner}: state has parameter {number} twice, as {keys[i]!r} and as {key!r}")
            if not isinstance(entry, dict):
                raise TypeError(f"{owner}: state[{key!r}] must be a dict, got {type(entry).__name__}")
            _exact_keys(owner, f"state[{key!r}]", entry, self._state_keys)
            entries[i], keys[i] = entry, key
        if not self._state_keys:
            return groups, lambda: None
        for number, i in position.items():
            if entries[i] is None:
                raise KeyError(f"{owner}: state has no {number!r} (parameter {i})")
        names = [f"state[{key!r}]" for key in keys]
        return groups, self._checked_parameter_state(owner, [e for e in entries if e is not None], names)

    def _parameter_state(self) -> list[dict[str, Any]]:
        """Each parameter's state, in the order of `params` (none here: an empty list)."""
        return []

    def _checked_parameter_state(
        self, owner: str, entries: list[dict[str, Any]], names: list[str]
    ) -> Callable[[], None]:
        """A function setting the state in `entries` (one per parameter), which is checked first; `names` for errors."""
        return lambda: None

    def _check(self, owner: str, name_of: Naming, values: dict[str, Any], rules: dict[str, Rule]) -> dict[str, Any]:
        """The hyperparameters in `values`, each checked by its rule and as it returns it; errors say `name_of(key)`."""
        return {key: rule(owner, name_of(key), values[key]) for key, rule in rules.items() if key in values}

    def _cross_check(self, owner: str, name_of: Naming, values: dict[str, Any]) -> None:
        """What no single hyperparameter's rule can see (SGD: nesterov needs momentum); `values` may lack some keys."""

    def _current(self, owner: str) -> list[dict[str, Any]]:
        """Each group's hyperparameters as ``param_groups`` holds them now, checked; an error if its params changed."""
        groups = self.param_groups
        if not isinstance(groups, list) or len(groups) != len(self._sizes):
            raise ValueError(
                f"{owner}: param_groups must stay the list of the {len(self._sizes)} groups the optimizer was "
                "made with; make a new optimizer for other parameters"
            )
        current = []
        for g, (group, params) in enumerate(zip(groups, self._grouped())):
            if not isinstance(group, dict):
                raise TypeError(f"{owner}: param_groups[{g}] must be a dict, got {type(group).__name__}")
            for key in ("params", *self._rules):
                if key not in group:
                    raise KeyError(f"{owner}: param_groups[{g}] has no {key!r}")
            for key in group:
                if key != "params" and key not in self._rules:
                    raise KeyError(f"{owner}: param_groups[{g}] has an unknown key {key!r}")
            held = group["params"]
            if not (
                isinstance(held, (list, tuple)) and len(held) == len(params) and all(map(operator.is_, held, params))
            ):
                raise ValueError(
                    f"{owner}: param_groups[{g}]['params'] is not the list of parameters the optimizer was made with; "
                    "its state belongs to those, so make a new optimizer for others"
                )
            current.append(self._check(owner, _in_group(g), group, self._rules))
            self._cross_check(owner, _in_group(g), current[-1])
        return current

    def _grouped(self) -> list[list[Value]]:
        """The parameters group by group (each group's part of `params`)."""
        grouped, start = [], 0
        for size in self._sizes:
            grouped.append(self.params[start : start + size])
            start += size
        return grouped

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

    def _update(self, grads: list[float], groups: list[dict[str, Any]]) -> None:
        """Change the parameters from their gradients (in the order of `params`) and each group's hyperparameters."""
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
    ``w ← w − lr·(grad + μ·v)``, looking one step ahead. ``lr``, ``momentum``
    and ``nesterov`` may differ per parameter group; `lr` may be left out
    when every group gives its own.

    >>> w = Value(0.0)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (w - 1).backward()   # grad is always 1
    ...     opt.step()
    >>> round(w.data, 10)        # −0.1, then −0.1 − 0.1·(0.9 + 1)
    -0.29
    """

    _rules: ClassVar[dict[str, Rule]] = {"lr": _positive, "momentum": _in_unit_interval, "nesterov": _flag}
    _state_keys = ("momentum_buffer",)
    lr = _Shared()
    momentum = _Shared()
    nesterov = _Shared()

    def __init__(
        self, params: Iterable[Any], lr: float | None = None, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__(params, {"lr": lr, "momentum": momentum, "nesterov": nesterov})
        self.velocity = [0.0] * len(self.params)

    def _parameter_state(self) -> list[dict[str, Any]]:
        return [{"momentum_buffer": v} for v in self.velocity]

    def _checked_parameter_state(
        self, owner: str, entries: list[dict[str, Any]], names: list[str]
    ) -> Callable[[], None]:
        velocity = [_finite(owner, f"{n}['momentum_buffer']", e["momentum_buffer"]) for n, e in zip(names, entries)]

        def assign() -> None:
            self.velocity = velocity

        return assign

    def _cross_check(self, owner: str, name_of: Naming, values: dict[str, Any]) -> None:
        if values.get("nesterov") and values.get("momentum", 0.0) == 0.0:
            raise ValueError(f"{owner}: {name_of('nesterov')}=True needs {name_of('momentum')} > 0")

    def _update(self, grads: list[float], groups: list[dict[str, Any]]) -> None:
        velocity, new_data = list(self.velocity), []
        start = 0
        for params, group in zip(self._grouped(), groups):
            lr, momentum, nesterov = group["lr"], group["momentum"], group["nesterov"]
            for i, (p, g) in enumerate(zip(params, grads[start : start + len(params)]), start):
                if momentum:
                    velocity[i] = momentum * velocity[i] + g
                    g = g + momentum * velocity[i] if nesterov else velocity[i]
                new_data.append(p.data - lr * g)
            start += len(params)
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

    ``lr``, ``betas``, ``eps`` and ``weight_decay`` may differ per parameter
    group; the step count t is one for all.

    >>> w = Value(0.0)
    >>> opt = Adam([w], lr=0.1)
    >>> (w - 1).backward(); opt.step()
    >>> round(w.data, 6)          # the first step moves by lr, whatever the gradient's size
    -0.1
    """

    _rules: ClassVar[dict[str, Rule]] = {
        "lr": _positive,
        "betas": _betas,
        "eps": _positive,
        "weight_decay": _non_negative,
    }
    _state_keys = ("step", "exp_avg", "exp_avg_sq")
    lr = _Shared()
    betas = _Shared()
    eps = _Shared()
    weight_decay = _Shared()

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.s = [0.0] * len(self.params)

    def _parameter_state(self) -> list[dict[str, Any]]:
        return [{"step": self.t, "exp_avg": m, "exp_avg_sq": s} for m, s in zip(self.m, self.s)]

    def _checked_parameter_state(
        self, owner: str, entries: list[dict[str, Any]], names: list[str]
    ) -> Callable[[], None]:
        steps = [_count(owner, f"{n}['step']", e["step"]) for n, e in zip(names, entries)]
        for n, t in zip(names, steps):
            if t != steps[0]:
                raise ValueError(
                    f"{owner}: {n}['step'] is {t} but {names[0]}['step'] is {steps[0]}; Adam counts one step for all"
                )
        m = [_finite(owner, f"{n}['exp_avg']", e["exp_avg"]) for n, e in zip(names, entries)]
        s = [_finite(owner, f"{n}['exp_avg_sq']", e["exp_avg_sq"]) for n, e in zip(names, entries)]
        for n, x in zip(names, s):
            if x < 0.0:
                raise ValueError(f"{owner}: {n}['exp_avg_sq'] must be >= 0 (a mean of squares), got {x!r}")

        def assign() -> None:
            self.t, self.m, self.s = steps[0], m, s

        return assign

    def _update(self, grads: list[float], groups: list[dict[str, Any]]) -> None:
        t = self.t + 1
        m, s, new_data = list(self.m), list(self.s), []
        start = 0
        for params, group in zip(self._grouped(), groups):
            beta1, beta2 = group["betas"]
            lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
            correction1 = 1.0 - beta1**t
            correction2 = 1.0 - beta2**t
            for i, (p, g) in enumerate(zip(params, grads[start : start + len(params)]), start):
                g += weight_decay * p.data
                m[i] = beta1 * m[i] + (1.0 - beta1) * g
                s[i] = beta2 * s[i] + (1.0 - beta2) * g * g
                m_hat = m[i] / correction1
                s_hat = s[i] / correction2
                new_data.append(p.data - lr * m_hat / (math.sqrt(s_hat) + eps))
            start += len(params)
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

    With parameter groups each group has its own ``step_size`` and ``shrink``,
    and a group's step size shrinks when none of its parameters moved.

    >>> w = Value(0.0)
    >>> opt = TrialAndError([w], step_size=0.5)
    >>> opt.step(lambda: (w - 1) ** 2)     # tries 0.5: better, kept
    1.0
    >>> w.data, opt.evaluations
    (0.5, 2)
    """

    # A step size given is positive; shrinking may take it down to 0 (where nothing moves) after many steps.
    _rules: ClassVar[dict[str, Rule]] = {"step_size": _non_negative, "shrink": _in_open_unit_interval}
    _initial_rules: ClassVar[dict[str, Rule]] = {"step_size": _positive}
    step_size = _Shared()
    shrink = _Shared()

    def __init__(self, params: Iterable[Any], step_size: float | None = None, shrink: float = 0.5) -> None:
        super().__init__(params, {"step_size": step_size, "shrink": shrink})

    def step(self, closure: Closure | None = None) -> float:
        """Try every parameter up, then down; return the loss before the step."""
        if closure is None:
            raise ValueError("TrialAndError.step needs a closure that returns the loss")
        groups = self._current("TrialAndError.step")
        start = best = self._evaluate(closure)
        before = [p.data for p in self.params]
        moved = [False] * len(groups)
        try:
            for g, (params, group) in enumerate(zip(self._grouped(), groups)):
                size = group["step_size"]
                for p in params:
                    old = p.data
                    for candidate in (old + size, old - size):
                        p.data = candidate
                        loss = self._evaluate(closure)
                        if loss < best:
                            best, moved[g] = loss, True
                            break
                    else:
                        p.data = old
        except BaseException:
            for p, x in zip(self.params, before):  # a failed step changes nothing
                p.data = x
            raise
        for held, group, did in zip(self.param_groups, groups, moved):
            if not did:
                held["step_size"] = group["step_size"] * group["shrink"]
        return start

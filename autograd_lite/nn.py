"""Neural networks made of Values: `Neuron`, `Layer`, `MLP`, and the losses people reach for.

A neuron computes ``activation(w · x + b)``: the weighted sum is one `dot`
node, so a neuron adds three nodes to the graph whatever its number of
inputs. A layer is a list of neurons; an MLP is a list of layers. Hidden
layers apply the activation; the output layer is linear.

>>> net = MLP(2, [4, 1], activation="tanh", seed=0)
>>> len(net.parameters())          # (2 weights + 1 bias)·4 + (4 + 1)·1
17
>>> out = net([1.0, -2.0])
>>> out.backward()
>>> any(p.grad != 0.0 for p in net.parameters())
True
"""

from __future__ import annotations

import math
import numbers
import operator
import random
from collections.abc import Callable, Sequence
from typing import Any

from .engine import Value
from .functions import as_list, data_of, dot, log, log1p, logsumexp, maximum, softplus

__all__ = [
    "MLP",
    "Layer",
    "Module",
    "Neuron",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge",
    "mse",
]

ACTIVATIONS: dict[str | None, Callable[[Value], Value] | None] = {
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "silu": Value.silu,
    "gelu": Value.gelu,
    "elu": Value.elu,
    "leaky_relu": Value.leaky_relu,
    None: None,
}


def _activation(name: str | None) -> Callable[[Value], Value] | None:
    if name not in ACTIVATIONS:
        expected = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; expected one of {expected}")
    return ACTIVATIONS[name]


def _size(owner: str, name: str, n: object) -> int:
    """A layer size as a Python int: an int or a numpy integer, at least 1; a ValueError for anything else.

    `operator.index` takes exactly the integers (numpy's too, found without
    importing numpy) and refuses every float, 3.0 as well as 2.5, as ``range`` does.
    """
    try:
        size = operator.index(n)  # type: ignore[arg-type]  # anything else is the TypeError caught here
    except TypeError:
        size = 0
    if size < 1:
        raise ValueError(f"{owner}: {name} must be a positive int, got {n!r}")
    return size


def _check_inputs(x: Sequence[Any], nin: int, owner: str) -> Sequence[Any]:
    """The inputs as a sequence (a numpy array becomes a list), after checking their number and types."""
    x = as_list(x)
    if isinstance(x, (str, bytes)) or not isinstance(x, Sequence):
        raise TypeError(f"{owner}: expected a sequence of {nin} numbers or Values, got {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"{owner}: expected {nin} inputs, got {len(x)}")
    for i, xi in enumerate(x):
        if not isinstance(xi, (Value, numbers.Real)):
            raise TypeError(f"{owner}: input {i} must be a number or a Value, got {type(xi).__name__} {xi!r}")
    return x


def _as_values(x: Sequence[Any]) -> list[Value]:
    # Predictions that are plain numbers become Values, so that a loss is always a Value.
    return [xi if isinstance(xi, Value) else Value(xi) for xi in x]


def _inputs(x: Sequence[Any], where: str) -> list[Any]:
    # Numbers are checked once here, not once per neuron that reads them. They stay numbers: the
    # neurons' dot products keep them in their nodes (a plain number never becomes a node).
    return [xi if isinstance(xi, Value) else data_of(xi, where, "an input") for xi in x]


class _UnorderedError(Exception):
    """A set holding parameters was met by a walk that keeps no names."""


def _collect(held: object, name: str | None, found: list[Any], seen: set[int], owner: str) -> None:
    """Append every Value reachable from `held` to `found`, in the order of the class docstring.

    With a `name` (the dotted name of `held`, "" for the module asked), each
    entry is a (name, Value) pair; with None, it is the Value alone (for
    `parameters`, which has no use for the names). `owner` is the method
    that walks, for errors (``MLP.parameters``). `seen` holds the ids of
    the Modules and containers already walked: each is walked once, which
    stops at a container inside itself or a module that refers back to its
    parent. A Value reachable twice is in `found` twice; `_first_of_each`
    keeps its first place.
    """
    if id(held) in seen:
        return
    items: Any
    if isinstance(held, Module):
        items = vars(held).items()
    elif isinstance(held, (list, tuple)):
        items = enumerate(held)
    elif isinstance(held, dict):
        items = held.items()
    else:
        if isinstance(held, (set, frozenset)) and _holds_parameters(held):
            if name is None:
                raise _UnorderedError  # the caller walks again with names, to say where
            raise TypeError(
                f"{owner}: {name} is a {type(held).__name__} holding Values or Modules, which has no fixed order "
                "for the parameters; hold them in a list, a tuple or a dict"
            )
        return  # a number, a string, a function: no parameters in it
    seen.add(id(held))
    for key, item in items:
        if isinstance(item, Value):  # most parameters sit in a list or an attribute: no call for them
            found.append(item if name is None else (f"{name}.{key}" if name else str(key), item))
        elif not isinstance(item, (str, numbers.Number)):
            _collect(item, None if name is None else f"{name}.{key}" if name else str(key), found, seen, owner)


def _first_of_each(found: list[Any], ids: list[int]) -> list[Any]:
    """`found` with each Value (whose ids are `ids`) kept at its first place only: tied weights are one parameter."""
    if len(set(ids)) == len(ids):  # the usual case: nothing shared, a check in C
        return found
    kept, seen = [], set()
    for key, entry in zip(ids, found):
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return kept


def _holds_parameters(held: object) -> bool:
    """Whether a set (or a tuple in one) holds a Value or a Module."""
    if isinstance(held, (Value, Module)):
        return True
    return isinstance(held, (set, frozenset, tuple)) and any(_holds_parameters(x) for x in held)


def _first_few(names: list[Any], shown: int = 5) -> str:
    """The first `shown` names as a list, with "…" when there are more; "none" for none."""
    if not names:
        return "none"
    more = ", …" if len(names) > shown else ""
    return f"[{', '.join(repr(n) for n in names[:shown])}{more}]"


class Module:
    """Anything with parameters: ``parameters()`` lists them, ``zero_grad()`` clears their gradients.

    **Which Values are parameters.** Every Value reachable from the module's
    attributes, in the order the attributes were set: a Value held directly,
    or inside lists, tuples and dicts nested to any depth (items in order,
    dicts in insertion order), and, the same way, every Value of a Module
    held in them. A Value or Module reachable twice is listed once, at its
    first place, so tied weights are trained and saved once, and a module
    that refers back to its parent does not loop. Nothing else is looked
    into; a set holding Values is refused, as it has no fixed order.

    ``state_dict()`` and ``load_state_dict()`` save and restore the parameters'
    numbers under names that show the structure, as PyTorch does: the path
    of attributes, list and tuple positions and dict keys, joined by dots
    (``layers.0.neurons.3.b``, ``blocks.attention.w.1``):

    >>> net = MLP(2, [3, 1], seed=0)
    >>> state = net.state_dict()
    >>> list(state)[:3], len(state) == len(net.parameters())
    (['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b'], True)
    >>> twin = MLP(2, [3, 1], seed=1)
    >>> twin.load_state_dict(state)
    >>> twin([0.5, -1.0]).data == net([0.5, -1.0]).data
    True
    >>> class Pair(Module):
    ...     def __init__(self):
    ...         self.blocks = {"first": Neuron(1), "second": [Value(0.5)]}
    >>> list(Pair().state_dict())
    ['blocks.first.w.0', 'blocks.first.b', 'blocks.second.0']
    """

    def parameters(self) -> list[Value]:
        """Every trainable Value, in a fixed order (see the class docstring for which)."""
        found: list[Value] = []
        owner = f"{type(self).__name__}.parameters"
        try:
            _collect(self, None, found, set(), owner)
        except _UnorderedError:
            _collect(self, "", [], set(), owner)  # raises the TypeError naming the set
            raise
        return _first_of_each(found, list(map(id, found)))

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Value]]:
        """Every parameter with its dotted name (``layers.0.neurons.3.b``), in the order of `parameters`.

        `prefix` is joined to every name with a dot, as in PyTorch (``"net"`` gives
        ``net.layers.0…``); a prefix that already ends in a dot is a ValueError,
        since the dot would be doubled. Two parameters whose names come out the same (a dict key with a dot in
        it, or the keys ``0`` and ``"0"``) are a ValueError: the names of a
        state_dict must tell every parameter apart.
        """
        owner = f"{type(self).__name__}.named_parameters"
        if not isinstance(prefix, str):
            raise TypeError(f"{owner}: prefix must be a str, got {type(prefix).__name__} {prefix!r}")
        if prefix.endswith("."):
            raise ValueError(
                f"{owner}: prefix {prefix!r} ends in a dot; the dot is added, as in PyTorch: pass {prefix[:-1]!r}"
            )
        named: list[tuple[str, Value]] = []
        _collect(self, "", named, set(), owner)
        named = _first_of_each(named, [id(p) for _, p in named])
        if prefix:
            named = [(f"{prefix}.{name}", p) for name, p in named]
        if len(named) > 1 and len({name for name, _ in named}) < len(named):
            first: dict[str, int] = {}
            for i, (name, _) in enumerate(named):
                if name in first:
                    raise ValueError(
                        f"{type(self).__name__}.named_parameters: parameters {first[name]} and {i} are both named "
                        f"{name!r}; rename a dict key so that every name is different"
                    )
                first[name] = i
        return named

    def state_dict(self) -> dict[str, float]:
        """The parameters' numbers by name: a plain dict, ready for ``json.dump``."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Set every parameter from `state` (as `state_dict` made it); all of them or, on any error, none.

        A missing name or an unexpected one is a KeyError giving how many of
        each and the first few; a value that is not a finite number, or is too
        large for a float (``10**400``, a huge Fraction), is an error naming it.
        """
        owner = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, dict):
            raise TypeError(f"{owner}: expected a dict of name -> number, got {type(state).__name__}")
        named = dict(self.named_parameters())
        missing, unexpected = [n for n in named if n not in state], [n for n in state if n not in named]
        if missing or unexpected:
            # The counts and the first few names: a state of another architecture can miss hundreds.
            raise KeyError(
                f"{owner}: {len(missing)} missing and {len(unexpected)} unexpected names: "
                f"missing {_first_few(missing)}, unexpected {_first_few(unexpected)}"
            )
        values = {}
        for name in named:
            x = state[name]
            if isinstance(x, bool) or not isinstance(x, numbers.Real):
                raise ValueError(f"{owner}: {name} must be a finite number, got {x!r}; no parameter was changed")
            try:
                number = float(x)
            except OverflowError:  # an int or a Fraction beyond 1.8e308; its repr may be thousands of digits
                size = f"{type(x).__name__}, about 1e{int(math.log10(abs(math.trunc(x))))}"
                unchanged = "no parameter was changed"
                raise OverflowError(f"{owner}: {name} is too large for a float ({size}); {unchanged}") from None
            if not math.isfinite(number):
                raise ValueError(f"{owner}: {name} must be a finite number, got {x!r}; no parameter was changed")
            values[name] = number
        for name, p in named.items():  # every number checked: now set them all
            p.data = values[name]

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Set every parameter's gradient to 0.

        `set_to_none` is PyTorch's keyword and changes nothing here: autograd_lite
        has no "no gradient yet" state; a gradient of None reads as 0.0, so
        set_to_none zeroes.
        """
        for p in self.parameters():
            p.grad = 0.0

    def __call__(self, x: Sequence[Any]) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")


class Neuron(Module):
    """``activation(w · x + b)`` with ``nin`` weights drawn uniformly from ±1/√nin and bias 0.

    Its parameters are the weights, then the bias.

    >>> n = Neuron(2, activation=None, rng=random.Random(0))
    >>> n.w[0].data = 2.0; n.w[1].data = -1.0; n.b.data = 0.5
    >>> n([3.0, 4.0]).data             # 2·3 − 1·4 + 0.5
    2.5
    """

    def __init__(self, nin: int, activation: str | None = "tanh", rng: random.Random | None = None) -> None:
        nin = _size("Neuron", "nin", nin)
        rng = rng if rng is not None else random.Random(0)
        scale = 1.0 / math.sqrt(nin)
        self.w = [Value(rng.uniform(-scale, scale)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation = activation
        self._act = _activation(activation)

    def __call__(self, x: Sequence[Any]) -> Value:
        return self.forward(_check_inputs(x, len(self.w), "Neuron"))

    def forward(self, x: Sequence[Any]) -> Value:
        """The neuron on inputs already checked (the layers above check them once for all neurons)."""
        out = dot(self.w, x) + self.b
        return self._act(out) if self._act is not None else out

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; calling it returns a list of ``nout`` Values.

    Its parameters go neuron by neuron, each neuron's weights then its bias.
    """

    def __init__(self, nin: int, nout: int, activation: str | None = "tanh", rng: random.Random | None = None) -> None:
        nin, nout = _size("Layer", "nin", nin), _size("Layer", "nout", nout)
        rng = rng if rng is not None else random.Random(0)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        return self.forward(_inputs(_check_inputs(x, len(self.neurons[0].w), "Layer"), "Layer"))

    def forward(self, x: Sequence[Any]) -> list[Value]:
        """The layer on inputs already checked (Values and finite floats)."""
        return [n.forward(x) for n in self.neurons]

    def __repr__(self) -> str:
        return f"Layer(of {len(self.neurons)} × {self.neurons[0]!r})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` maps 2 inputs through two hidden layers of 16 to 1.

    Hidden layers apply `activation` ("tanh", "relu", "sigmoid", "silu", "gelu",
    "elu", "leaky_relu", PyTorch's functions with PyTorch's defaults, or None); the
    output layer is linear. The same `seed` gives the same initial weights.
    Sizes are ints (numpy's integers too); a float, even 3.0, is refused.
    With one output, calling the MLP returns that Value; with several, a list.
    Its parameters go layer by layer, neuron by neuron, each neuron's weights
    then its bias.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str | None = "tanh", seed: int = 0) -> None:
        nouts = as_list(nouts)  # a numpy array of sizes reads as a list
        if not isinstance(nouts, Sequence) or isinstance(nouts, str):
            raise TypeError(
                f"MLP: nouts must be a list of layer sizes, like [16, 1], got {type(nouts).__name__} {nouts!r}"
            )
        if not nouts:
            raise ValueError("MLP: nouts must list at least one layer size")
        sizes = [_size("MLP", "nin", nin), *(_size("MLP", f"nouts[{i}]", n) for i, n in enumerate(nouts))]
        _activation(activation)
        if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
            seed = operator.index(seed)  # random.Random takes a Python int, not numpy's
        rng = random.Random(seed)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else None, rng) for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Any]) -> Any:
        out = _inputs(_check_inputs(x, len(self.layers[0].neurons[0].w), "MLP"), "MLP")
        for layer in self.layers:
            out = layer.forward(out)
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        return f"MLP({', '.join(repr(layer) for layer in self.layers)})"


# ---------------------------------------------------------------------------
# Losses (as PyTorch's torch.nn.functional: the mean over the examples by default)
# ---------------------------------------------------------------------------

_REDUCTIONS = ("mean", "sum", "none")

# The floor of the logarithms in `binary_cross_entropy`, PyTorch's: log 0 counts as −100.
_LOG_FLOOR = -100.0


def _number(x: Any) -> float:
    return x._data if isinstance(x, Value) else float(x)


def _pairs(predictions: Sequence[Any], targets: Sequence[Any], name: str) -> list[tuple[Value, Any]]:
    """The (prediction, target) pairs, every prediction a Value and every plain target a float; errors name `name`."""
    for what, xs in (("predictions", predictions), ("targets", targets)):
        if isinstance(xs, (str, bytes, Value)) or not hasattr(xs, "__len__") or not hasattr(xs, "__getitem__"):
            raise TypeError(f"{name}: {what} must be a list of numbers or Values, got {type(xs).__name__} {xs!r}")
        for i, x in enumerate(xs):
            if not isinstance(x, (Value, numbers.Real)):
                raise TypeError(f"{name}: {what}[{i}] must be a number or a Value, got {type(x).__name__} {x!r}")
    if len(predictions) != len(targets):
        raise ValueError(f"{name}: got {len(predictions)} predictions but {len(targets)} targets")
    if len(predictions) == 0:
        raise ValueError(f"{name}: needs at least one prediction")
    ys = [y if isinstance(y, Value) else data_of(y, name, f"targets[{i}]") for i, y in enumerate(targets)]
    return list(zip(_as_values(predictions), ys))


def _check_reduction(reduction: object, name: str) -> None:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none' (as PyTorch's), got {reduction!r}")


def _reduce(losses: list[Any], reduction: str) -> Any:
    """The mean of the losses, their sum, or (``"none"``) the list of them, every one a Value."""
    if reduction == "none":
        return [x if isinstance(x, Value) else Value(x) for x in losses]
    total = sum(losses, Value(0.0))
    return total / len(losses) if reduction == "mean" else total


def _unit_interval(pairs: list[tuple[Value, Any]], name: str, what: str) -> None:
    """Every target (``what="targets"``) or every prediction in [0, 1]; a ValueError naming the first that is not."""
    for i, (p, y) in enumerate(pairs):
        x = _number(y if what == "targets" else p)
        if not 0.0 <= x <= 1.0:
            hint = "; for logits use binary_cross_entropy_with_logits" if what == "probabilities" else ""
            raise ValueError(f"{name}: {what}[{i}] must be in [0, 1], got {x!r}{hint}")


def _floored_log(p: Value) -> Any:
    """max(log p, −100) for p in [0, 1]: −100 (a constant, slope 0) where log p is −inf or below −100."""
    return maximum(log(p), _LOG_FLOOR) if p > 0.0 else _LOG_FLOOR


def _floored_log1m(p: Value) -> Any:
    """max(log(1 − p), −100) for p in [0, 1], computed as log1p(−p) as PyTorch does."""
    return maximum(log1p(-p), _LOG_FLOOR) if p < 1.0 else _LOG_FLOOR


def binary_cross_entropy(probabilities: Sequence[Any], targets: Sequence[Any], reduction: str = "mean") -> Any:
    """PyTorch's ``binary_cross_entropy(input, target)``: −[y·log p + (1 − y)·log(1 − p)] from probabilities.

    `probabilities` are numbers in [0, 1] (a sigmoid's output; for logits use
    `binary_cross_entropy_with_logits`, which is also more accurate); anything
    outside is a ValueError naming the index. `targets` are numbers in [0, 1]:
    labels 0 and 1, or soft labels in between. `reduction` is ``"mean"`` (the
    default), ``"sum"`` or ``"none"`` (the list of the per-example losses).

    **The logarithms are floored at −100, as PyTorch does:** each term is
    ``(y − 1)·max(log1p(−p), −100) − y·max(log p, −100)``, so p = 0 or 1
    gives a finite loss (100 per example at worst), not inf. The gradient is
    the exact derivative of that floored expression: where a logarithm is
    floored (p = 0 for log p, p = 1 for log(1 − p), or p below about 3.7e-44)
    its slope is 0, so the gradient stays finite; elsewhere it is
    (p − y) / (p·(1 − p)) per example. (PyTorch's own backward divides by
    max(p·(1 − p), 1e-12) instead, which at p = 0 or 1 gives a gradient near
    ±1e12 that is not the slope of the value it returns.)

    >>> from autograd_lite import sigmoid
    >>> round(binary_cross_entropy([sigmoid(Value(2.0))], [1]).data, 4)      # −log σ(2)
    0.1269
    >>> binary_cross_entropy([Value(0.0)], [1]).data                         # −max(log 0, −100)
    100.0
    """
    name = "binary_cross_entropy"
    pairs = _pairs(probabilities, targets, name)
    _check_reduction(reduction, name)
    _unit_interval(pairs, name, "probabilities")
    _unit_interval(pairs, name, "targets")
    return _reduce([(y - 1.0) * _floored_log1m(p) - y * _floored_log(p) for p, y in pairs], reduction)


def binary_cross_entropy_with_logits(logits: Sequence[Any], targets: Sequence[Any], reduction: str = "mean") -> Any:
    """PyTorch's ``binary_cross_entropy_with_logits(input, target)``: binary cross-entropy from logits z.

    Computed as softplus(z) − y·z, which equals −[y·log σ(z) + (1 − y)·log(1 − σ(z))]
    but stays finite and accurate for any logit, with gradient σ(z) − y.
    `targets` are numbers in [0, 1] (labels 0 and 1, or soft labels); anything
    else is a ValueError naming the index. `reduction` as in `binary_cross_entropy`.

    >>> round(binary_cross_entropy_with_logits([Value(0.0)], [1]).data, 6)     # log 2
    0.693147
    >>> binary_cross_entropy_with_logits([Value(1000.0)], [1]).data            # no overflow
    0.0
    """
    name = "binary_cross_entropy_with_logits"
    pairs = _pairs(logits, targets, name)
    _check_reduction(reduction, name)
    _unit_interval(pairs, name, "targets")
    return _reduce([softplus(z) - y * z for z, y in pairs], reduction)


def mse(predictions: Sequence[Any], targets: Sequence[Any], reduction: str = "mean") -> Any:
    """Mean squared error, PyTorch's ``mse_loss(input, target)``: the mean of (prediction − target)².

    `reduction` is ``"mean"`` (the default), ``"sum"`` or ``"none"`` (the list of squared errors).

    >>> mse([Value(1.0), Value(3.0)], [2.0, 3.0]).data
    0.5
    """
    pairs = _pairs(predictions, targets, "mse")
    _check_reduction(reduction, "mse")
    return _reduce([(p - t) ** 2 for p, t in pairs], reduction)


def hinge(scores: Sequence[Any], labels: Sequence[float], reduction: str = "mean") -> Any:
    """Max-margin loss for labels ±1: the mean of max(0, 1 − label·score).

    PyTorch has no function of this name. Its ``hinge_embedding_loss`` is a
    different loss (x for label 1, max(0, 1 − x) for label −1, made for
    distances), and ``multi_margin_loss`` is the version for several classes
    (for two classes with scores ±s/2 it gives half of this). `reduction`
    as in `mse`.

    >>> hinge([Value(2.0), Value(0.5)], [1, 1]).data     # (0 + 0.5) / 2
    0.25
    """
    pairs = _pairs(scores, labels, "hinge")
    _check_reduction(reduction, "hinge")
    for i, (_, y) in enumerate(pairs):
        if y not in (-1, 1):
            raise ValueError(f"hinge: label {i} must be -1 or 1, got {y!r}")
    return _reduce([(1 - y * s).relu() for s, y in pairs], reduction)


def _class_index(target: object, n: int, where: str) -> int:
    """`target` as a class index in 0..n−1 (an int or a numpy integer; not a bool or a float); a ValueError if not."""
    try:
        index = -1 if isinstance(target, bool) else operator.index(target)  # type: ignore[arg-type]
    except TypeError:
        index = -1
    if not 0 <= index < n:
        raise ValueError(f"cross_entropy: {where} must be a class index in 0..{n - 1}, got {target!r}")
    return index


def _one_cross_entropy(logits: list[Any], target: object, where: str, row: str) -> Any:
    if not logits:
        raise ValueError(f"cross_entropy: {row}needs at least one logit")
    return logsumexp(logits) - logits[_class_index(target, len(logits), where)]


def cross_entropy(logits: Sequence[Any], target: Any, reduction: str = "mean") -> Any:
    """PyTorch's ``cross_entropy(input, target)``: −log softmax(logits)[target], from logits.

    One example: `logits` is a list of C numbers or Values and `target` a
    class index in 0..C−1; the loss is returned whatever the `reduction`
    (PyTorch's unbatched form). A batch: `logits` is a list of N such lists
    and `target` a list of N class indices; the loss is their mean
    (``reduction="mean"``, the default), their sum (``"sum"``) or the list
    of them (``"none"``).

    Computed as logsumexp(logits) − logits[target], one node for the logsumexp,
    so it stays finite for logits of any size.

    >>> round(cross_entropy([Value(1.0), Value(1.0)], 0).data, 6)      # log 2
    0.693147
    >>> cross_entropy([Value(1e4), Value(-1e4)], 1).data                # no overflow
    20000.0
    >>> batch = [[Value(0.0), Value(0.0)], [Value(5.0), Value(-5.0)]]
    >>> round(cross_entropy(batch, [1, 0]).data, 6)                     # (log 2 + log(1 + e⁻¹⁰)) / 2
    0.346596
    """
    _check_reduction(reduction, "cross_entropy")
    items = [as_list(x) for x in as_list(logits)]  # numpy rows and scalars as lists and floats
    rows = [isinstance(x, Sequence) and not isinstance(x, (str, bytes)) for x in items]
    if not any(rows):
        return _one_cross_entropy(items, target, "target", "")
    if not all(rows):
        first = rows.index(not rows[0])
        raise TypeError(
            f"cross_entropy: logits must be numbers (one example) or lists of numbers (a batch), not a mix; "
            f"item 0 is a {type(items[0]).__name__} and item {first} a {type(items[first]).__name__}"
        )
    targets = as_list(target)
    if isinstance(targets, (str, bytes)) or not isinstance(targets, Sequence):
        raise TypeError(f"cross_entropy: a batch of {len(items)} needs a list of {len(items)} targets, got {target!r}")
    if len(targets) != len(items):
        raise ValueError(f"cross_entropy: got {len(items)} rows of logits but {len(targets)} targets")
    losses = [
        _one_cross_entropy(list(row), t, f"target[{i}]", f"row {i} ") for i, (row, t) in enumerate(zip(items, targets))
    ]
    return _reduce(losses, reduction)

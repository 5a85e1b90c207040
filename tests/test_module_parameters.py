"""Module.parameters: Values and Modules inside lists, tuples and dicts, once each, in a fixed order."""

import json

import pytest

from autograd_lite import Value
from autograd_lite.nn import MLP, Module, Neuron, mse
from autograd_lite.optim import SGD


class Holder(Module):
    """A Value held directly, in a list, in a tuple and in a dict."""

    def __init__(self):
        self.a = Value(1.0)
        self.listed = [Value(2.0)]
        self.paired = (Value(3.0),)
        self.keyed = {"k": Value(4.0)}


class Stack(Module):
    """Modules in a list and in a dict, and Values nested three containers deep."""

    def __init__(self):
        self.layers = [Neuron(2, activation=None), Neuron(2, activation=None)]
        self.blocks = {"key": Neuron(1, activation=None)}
        self.deep = {"scales": [(Value(0.5), Value(2.0))]}

    def __call__(self, x):
        hidden = [layer(x) for layer in self.layers]
        s, t = self.deep["scales"][0]
        return self.blocks["key"]([hidden[0] * s + hidden[1] * t])


def test_values_in_lists_tuples_and_dicts_are_parameters():
    """All four Values of Holder are found, in the order the attributes were set, with dotted names."""
    m = Holder()
    assert [p.data for p in m.parameters()] == [1.0, 2.0, 3.0, 4.0]
    assert m.state_dict() == {"a": 1.0, "listed.0": 2.0, "paired.0": 3.0, "keyed.k": 4.0}


def test_modules_in_containers_and_deep_nesting_are_walked():
    """Modules in a list and a dict and Values three levels deep are found, named by their path."""
    m = Stack()
    assert list(m.state_dict()) == [
        "layers.0.w.0", "layers.0.w.1", "layers.0.b",
        "layers.1.w.0", "layers.1.w.1", "layers.1.b",
        "blocks.key.w.0", "blocks.key.b",
        "deep.scales.0.0", "deep.scales.0.1",
    ]  # fmt: skip
    expected = [*m.layers[0].w, m.layers[0].b, *m.layers[1].w, m.layers[1].b, *m.blocks["key"].w, m.blocks["key"].b]
    assert m.parameters() == [*expected, *m.deep["scales"][0]]
    assert [p for _, p in m.named_parameters()] == m.parameters()


def test_every_parameter_in_a_container_is_trained_and_saved():
    """SGD over parameters() moves every parameter, and a state_dict through JSON restores every one in a twin."""
    m = Stack()
    before = m.state_dict()
    opt = SGD(m.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        mse([m([0.3, -0.7]), m([1.0, 0.5])], [1.0, -1.0]).backward()
        opt.step()
    after = m.state_dict()
    assert all(after[name] != before[name] for name in before)
    twin = Stack()
    twin.load_state_dict(json.loads(json.dumps(after)))
    assert twin.state_dict() == after and twin([0.2, 0.1]).data == m([0.2, 0.1]).data


def test_a_value_or_module_reachable_twice_is_listed_once_and_loops_end():
    """Tied weights, a shared list, a module pointing at its parent and a list inside itself give no duplicates."""

    class Tied(Module):
        def __init__(self):
            self.encoder = Neuron(2)
            self.decoder = Neuron(2)
            self.decoder.w = self.encoder.w  # the same list: tied weights
            self.encoder.parent = self  # a way back up
            self.again = [self.encoder, self.encoder.b]
            self.loop = [Value(5.0)]
            self.loop.append(self.loop)

    m = Tied()
    names = list(m.state_dict())
    assert names == ["encoder.w.0", "encoder.w.1", "encoder.b", "decoder.b", "loop.0"]
    params = m.parameters()
    assert len(params) == len({id(p) for p in params}) == 5
    SGD(params, lr=0.1)  # an optimizer refuses a parameter listed twice


def test_a_subclass_of_a_built_in_module_keeps_its_new_parameters():
    """A Neuron subclass with an extra Value and an MLP with an extra list of modules list them too."""

    class ScaledNeuron(Neuron):
        def __init__(self, nin):
            super().__init__(nin)
            self.scale = Value(2.0)

    class Heads(MLP):
        def __init__(self):
            super().__init__(2, [3, 1])
            self.heads = [Neuron(1), Neuron(1)]

    n = ScaledNeuron(2)
    assert n.parameters() == [*n.w, n.b, n.scale]
    net = Heads()
    assert len(net.parameters()) == 3 * 3 + 4 + 2 * 2
    assert list(net.state_dict())[-4:] == ["heads.0.w.0", "heads.0.b", "heads.1.w.0", "heads.1.b"]


def test_the_order_is_the_same_for_modules_built_the_same_way():
    """Two Stacks give the same names in the same order, and a fresh walk gives the same list."""
    a, b = Stack(), Stack()
    assert list(a.state_dict()) == list(b.state_dict())
    assert a.parameters() == a.parameters()


def test_a_set_of_values_is_refused_naming_it():
    """A set has no fixed order: holding Values in one is a TypeError naming the attribute and the method."""

    class Pool(Module):
        def __init__(self):
            self.fine = {"not", "parameters"}
            self.nested = {"pool": {Value(1.0), Value(2.0)}}

    with pytest.raises(TypeError, match=r"^Pool.parameters: nested.pool is a set holding Values or Modules"):
        Pool().parameters()
    with pytest.raises(TypeError, match=r"^Pool.named_parameters: nested.pool is a set holding Values"):
        Pool().state_dict()


def test_two_parameters_with_one_name_are_refused():
    """Keys 0 and '0' (or a key with a dot) would give two parameters one name: a ValueError naming it."""

    class Clash(Module):
        def __init__(self, keys):
            self.d = {key: Value(float(i)) for i, key in enumerate(keys)}

    with pytest.raises(ValueError, match=r"^Clash.named_parameters: parameters 0 and 1 are both named 'd.0'"):
        Clash([0, "0"]).state_dict()
    dotted = Clash(["a.b"])
    assert list(dotted.state_dict()) == ["d.a.b"]
    dotted.d["a"] = {"b": Value(0.0)}
    with pytest.raises(ValueError, match=r"parameters 0 and 1 are both named 'd.a.b'"):
        dotted.state_dict()

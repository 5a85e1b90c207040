"""Neural networks on Value: modules, their parameters, errors, and the losses."""

import math

import pytest

from autograd_lite import Value, gradcheck
from autograd_lite.nn import (
    MLP,
    Layer,
    Module,
    Neuron,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge,
    mse,
)


def test_same_seed_same_network():
    """MLP initialisation is seeded: equal seeds give equal weights, different seeds different ones."""
    a, b, c = MLP(3, [4, 2], seed=7), MLP(3, [4, 2], seed=7), MLP(3, [4, 2], seed=8)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]


def test_parameters_are_ordered_layer_neuron_weights_then_bias():
    """parameters() lists layer by layer, neuron by neuron, each neuron's weights then its bias."""
    net = MLP(2, [3, 1], seed=0)
    expected = [p for layer in net.layers for n in layer.neurons for p in (*n.w, n.b)]
    assert net.parameters() == expected
    assert len(expected) == 3 * (2 + 1) + 1 * (3 + 1)


def test_hidden_layers_use_the_activation_and_the_output_is_linear():
    """Every hidden neuron applies the activation; the output layer has none."""
    net = MLP(2, [4, 4, 2], activation="sigmoid", seed=0)
    assert [n.activation for layer in net.layers[:-1] for n in layer.neurons] == ["sigmoid"] * 8
    assert [n.activation for n in net.layers[-1].neurons] == [None, None]
    out = net.layers[0]([0.3, -0.2])
    assert all(0.0 < v.data < 1.0 for v in out)


def test_layer_always_returns_a_list_and_mlp_unwraps_a_single_output():
    """A one-neuron layer returns a list of one; a one-output MLP returns the Value itself."""
    assert isinstance(Layer(2, 1)([1.0, 2.0]), list)
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    outputs = MLP(2, [3, 2])([1.0, 2.0])
    assert isinstance(outputs, list) and len(outputs) == 2


def test_neuron_computes_activation_of_weighted_sum():
    """A neuron is activation(w·x + b)."""
    n = Neuron(2, activation="tanh")
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
    assert n([2.0, 1.0]).data == pytest.approx(math.tanh(0.5 * 2 - 1 + 0.25))
    n.activation, n._act = "relu", Value.relu
    assert n([0.0, 1.0]).data == 0.0


def test_gradients_through_a_network_match_central_differences():
    """gradcheck on an MLP's output as a function of its inputs and of one weight."""
    net = MLP(2, [5, 5, 1], activation="tanh", seed=3)
    assert gradcheck(lambda x, y: net([x, y]), 0.4, -0.7)
    w = net.parameters()[4]

    def as_function_of_weight(v):
        saved = net.layers[0].neurons[1].w[1]
        net.layers[0].neurons[1].w[1] = v
        try:
            return net([0.4, -0.7])
        finally:
            net.layers[0].neurons[1].w[1] = saved

    assert w is net.layers[0].neurons[1].w[1]
    assert gradcheck(as_function_of_weight, w.data)


def test_zero_grad_clears_every_parameter():
    """Module.zero_grad() sets every parameter's gradient to 0."""
    net = MLP(2, [3, 1], seed=0)
    net([1.0, 1.0]).backward()
    assert any(p.grad for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0.0 for p in net.parameters())


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: MLP(2, [3, 1])([1.0]), ValueError, "MLP: expected 2 inputs, got 1"),
        (lambda: MLP(2, [3, 1])([1.0, "a"]), TypeError, "input 1 must be a number or a Value, got str"),
        (lambda: MLP(2, [3, 1])("ab"), TypeError, "expected a sequence of 2 numbers"),
        (lambda: MLP(2, [3, 1], activation="swish"), ValueError, "unknown activation 'swish'; expected one of"),
        (lambda: Neuron(0), ValueError, "nin must be a positive int"),
        (lambda: Layer(2, 0), ValueError, "nout must be a positive int"),
        (lambda: MLP(2, []), ValueError, "at least one layer"),
        (lambda: Module()([1.0]), NotImplementedError, "Module"),
    ],
)
def test_bad_input_says_what_was_expected(call, error, words):
    """Wrong input length, non-number inputs and unknown activations raise errors naming what was expected."""
    with pytest.raises(error, match=words):
        call()


def test_mse():
    """mse is the mean of squared differences, with gradient 2(p − t)/n."""
    p = [Value(1.0), Value(3.0)]
    loss = mse(p, [2.0, 3.0])
    loss.backward()
    assert loss.data == 0.5 and [v.grad for v in p] == [-1.0, 0.0]


def test_hinge():
    """hinge is mean(max(0, 1 − y·s)); labels must be ±1."""
    s = [Value(2.0), Value(0.5), Value(-0.5)]
    loss = hinge(s, [1, 1, 1])
    loss.backward()
    assert loss.data == pytest.approx((0 + 0.5 + 1.5) / 3)
    assert [v.grad for v in s] == pytest.approx([0.0, -1 / 3, -1 / 3])
    with pytest.raises(ValueError, match="label 0 must be -1 or 1, got 0"):
        hinge([Value(1.0)], [0])


def test_all_losses_accept_the_same_inputs():
    """hinge, mse and both binary cross-entropies all take plain numbers or Values as predictions."""
    for loss, targets in ((hinge, [1]), (mse, [1.0]), (binary_cross_entropy, [1]),
                          (binary_cross_entropy_with_logits, [1])):  # fmt: skip
        assert isinstance(loss([1.0], targets), Value)
        assert loss([1.0], targets).data == loss([Value(1.0)], targets).data


def test_state_dict_round_trips_through_json_with_identical_predictions():
    """A trained MLP's state_dict, through JSON, loads into a fresh MLP that predicts exactly the same."""
    import json

    from autograd_lite.optim import Adam

    net = MLP(2, [8, 1], activation="relu", seed=3)
    opt = Adam(net.parameters(), lr=0.05)
    for _ in range(5):
        opt.zero_grad()
        loss = sum(((net([x, -x]) - x) ** 2 for x in (0.1, 0.5, -0.7)), Value(0.0))
        loss.backward()
        opt.step()
    twin = MLP(2, [8, 1], activation="relu", seed=4)
    twin.load_state_dict(json.loads(json.dumps(net.state_dict())))
    for x in (-1.0, 0.3, 2.0):
        assert twin([x, x * x]).data == net([x, x * x]).data
    assert [p for _, p in net.named_parameters()] == net.parameters()


def test_load_state_dict_refuses_bad_entries_and_changes_nothing():
    """Missing, extra and non-finite entries are named; a refused state leaves every parameter as it was."""
    net = MLP(2, [2, 1], seed=0)
    before = net.state_dict()
    state = dict(before)
    del state["layers.0.neurons.1.b"]
    with pytest.raises(KeyError, match=r"missing \['layers.0.neurons.1.b'\], unexpected none"):
        net.load_state_dict(state)
    with pytest.raises(KeyError, match=r"unexpected \['extra'\]"):
        net.load_state_dict({**before, "extra": 1.0})
    with pytest.raises(ValueError, match=r"layers.1.neurons.0.b must be a finite number, got nan"):
        net.load_state_dict({**{k: 0.5 for k in before}, "layers.1.neurons.0.b": float("nan")})
    assert net.state_dict() == before


def test_named_parameters_joins_the_prefix_with_a_dot_as_pytorch():
    """named_parameters(prefix="net") gives "net.layers…", as PyTorch's; a prefix ending in a dot is refused."""
    net = MLP(2, [1], seed=0)
    assert [name for name, _ in net.named_parameters("net")] == ["net.layers.0.neurons.0.w.0",
                                                                 "net.layers.0.neurons.0.w.1",
                                                                 "net.layers.0.neurons.0.b"]  # fmt: skip
    assert [p for _, p in net.named_parameters("net")] == net.parameters()
    with pytest.raises(ValueError, match=r"^MLP.named_parameters: prefix 'net.' ends in a dot; .* pass 'net'$"):
        net.named_parameters("net.")
    with pytest.raises(TypeError, match=r"^MLP.named_parameters: prefix must be a str, got int 3$"):
        net.named_parameters(3)

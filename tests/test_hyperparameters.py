"""Hyperparameters as numpy scalars, Fractions or huge ints: taken as the numbers they are, or refused by name."""

from fractions import Fraction

import pytest

from autograd_lite import Value
from autograd_lite.nn import MLP, Layer, Neuron, cross_entropy
from autograd_lite.optim import SGD, Adam, TrialAndError

np = pytest.importorskip("numpy")


def test_optimizers_take_numpy_scalars_as_python_floats():
    """SGD(lr=float32, momentum=float64) and Adam(eps=float32) hold the same numbers as Python floats."""
    sgd = SGD([Value(1.0)], lr=np.float32(0.1), momentum=np.float64(0.9))
    assert (sgd.lr, sgd.momentum) == (float(np.float32(0.1)), 0.9)
    assert type(sgd.lr) is float and type(sgd.momentum) is float
    adam = Adam([Value(1.0)], lr=np.float16(0.01), betas=(np.float32(0.9), 0.999), eps=np.float32(1e-8),
                weight_decay=np.int64(0))  # fmt: skip
    assert adam.eps == float(np.float32(1e-8)) and adam.betas == (float(np.float32(0.9)), 0.999)
    assert {type(x) for x in (adam.lr, adam.eps, adam.weight_decay, *adam.betas)} == {float}
    trial = TrialAndError([Value(1.0)], step_size=np.float32(0.5), shrink=Fraction(1, 4))
    assert (trial.step_size, trial.shrink) == (0.5, 0.25)


def test_a_numpy_learning_rate_gives_the_same_step_as_its_float():
    """One SGD step with lr=np.float32(0.25) moves w exactly as lr=0.25 does (0.25 is exact in float32)."""
    moved = []
    for lr in (0.25, np.float32(0.25)):
        w = Value(1.0)
        opt = SGD([w], lr=lr)
        ((w - 3) ** 2).backward()
        opt.step()
        moved.append(w.data)
    assert moved == [2.0, 2.0]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: SGD(p, lr=np.float32("nan")), r"SGD: lr must be a positive finite number, got np.float32\(nan\)"),
        (lambda p: SGD(p, lr=np.float64(-0.1)), r"SGD: lr must be a positive finite number, got np.float64\(-0.1\)"),
        (lambda p: SGD(p, lr=0.1, momentum=np.float32(1.0)), r"SGD: momentum must be in \[0, 1\), got np.float32"),
        (lambda p: Adam(p, eps=np.float32(0.0)), "Adam: eps must be a positive finite number"),
        (lambda p: SGD(p, lr=10**400), r"SGD: lr must be a positive finite number, got a number too large for a float"),
        (lambda p: Adam(p, weight_decay=Fraction(10**400)), r"Adam: weight_decay must be .* too large for a float"),
        (lambda p: SGD(p, lr="0.1"), r"SGD: lr must be a positive finite number, got '0.1'"),
        (lambda p: TrialAndError(p, step_size=1.0, shrink=np.int64(1)), r"TrialAndError: shrink must be in \(0, 1\)"),
    ],
)
def test_bad_numbers_of_any_kind_are_refused_by_name(make, words):
    """numpy nan, negatives, out-of-range numbers, numbers too large for a float and strings name the argument."""
    with pytest.raises(ValueError, match=words):
        make([Value(1.0)])


def test_networks_take_numpy_integer_sizes_and_seeds():
    """MLP(np.int64(2), [np.int64(3), 1]) is the network MLP(2, [3, 1]); an array of sizes and a numpy seed work too."""
    plain = MLP(2, [3, 1])
    assert MLP(np.int64(2), [np.int64(3), 1]).state_dict() == plain.state_dict()
    assert MLP(np.int32(2), np.array([3, 1]), seed=np.int64(0)).state_dict() == plain.state_dict()
    assert len(Neuron(np.uint8(3)).w) == 3 and len(Layer(np.int16(2), np.int64(4)).neurons) == 4
    net = MLP(np.int64(2), [np.int64(3), 1])
    assert type(net.layers[0].neurons[0].w) is list and net([0.5, -1.0]).data == plain([0.5, -1.0]).data


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: MLP(2, [2.5, 1]), r"MLP: nouts\[0\] must be a positive int, got 2.5"),
        (lambda: MLP(2, [3, np.float64(1.0)]), r"MLP: nouts\[1\] must be a positive int, got np.float64\(1.0\)"),
        (lambda: MLP(np.float32(2.0), [1]), r"MLP: nin must be a positive int, got np.float32\(2.0\)"),
        (lambda: MLP(2, [np.int64(0)]), r"MLP: nouts\[0\] must be a positive int, got np.int64\(0\)"),
        (lambda: Neuron(3.0), r"Neuron: nin must be a positive int, got 3.0"),
        (lambda: Layer(2, np.int8(-1)), r"Layer: nout must be a positive int, got np.int8\(-1\)"),
    ],
)
def test_a_size_that_is_not_a_positive_integer_is_refused(make, words):
    """A float size (integral or not) and a numpy integer below 1 are ValueErrors naming the size."""
    with pytest.raises(ValueError, match=words):
        make()


def test_cross_entropy_takes_a_numpy_integer_target():
    """cross_entropy(logits, np.int64(1)) is cross_entropy(logits, 1); a float target is still refused."""
    logits = [Value(0.5), Value(-0.5), Value(2.0)]
    assert cross_entropy(logits, np.int64(1)).data == cross_entropy(logits, 1).data
    with pytest.raises(ValueError, match=r"target must be a class index in 0..2, got 1.0"):
        cross_entropy(logits, 1.0)
    with pytest.raises(ValueError, match=r"target must be a class index in 0..2, got True"):
        cross_entropy(logits, True)

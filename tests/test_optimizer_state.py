"""Optimizer state: zero_grad(set_to_none=...), parameter groups, state_dict and load_state_dict, checkpoints."""

import pytest

from autograd_lite import Value
from autograd_lite.nn import MLP
from autograd_lite.optim import SGD, Adam, TrialAndError

# -- zero_grad(set_to_none=True) -------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1, momentum=0.9), lambda p: Adam(p, lr=0.1)])
def test_zero_grad_set_to_none_zeroes_and_training_continues(make):
    """opt.zero_grad(set_to_none=True) leaves .grad == 0.0 (not None), and the next backward and step work."""
    w = Value(0.0)
    opt = make([w])
    for _ in range(50):
        opt.zero_grad(set_to_none=True)
        assert w.grad == 0.0 and w.grad is not None
        ((w - 3.0) ** 2).backward()
        assert w.grad == pytest.approx(2 * (w.data - 3.0))
        opt.step()
    assert abs(w.data - 3.0) < abs(0.0 - 3.0) / 2


def test_module_zero_grad_takes_set_to_none_too():
    """Module.zero_grad(set_to_none=True) sets every gradient to 0.0, as zero_grad() does."""
    net = MLP(2, [3, 1], seed=0)
    net([1.0, -1.0]).backward()
    assert any(p.grad != 0.0 for p in net.parameters())
    net.zero_grad(set_to_none=True)
    assert all(p.grad == 0.0 and p.grad is not None for p in net.parameters())


def test_a_gradient_set_to_none_reads_as_zero_in_step():
    """A .grad set to None by hand is read as 0.0 by step(): no NoneType error, and that parameter moves as if 0."""
    a, b = Value(1.0), Value(2.0)
    opt = SGD([a, b], lr=0.5)
    a.grad, b.grad = None, 4.0
    opt.step()
    assert (a.data, b.data) == (1.0, 0.0)
    c = Value(1.0)
    closure_opt = SGD([c], lr=0.25)

    def closure():
        c.grad = None  # PyTorch's habit, in a closure that leaves backward to the optimizer
        return (c - 2.0) ** 2

    assert closure_opt.step(closure) == 1.0
    assert c.data == 1.0 - 0.25 * 2 * (1.0 - 2.0) and c.grad == 2 * (1.0 - 2.0)


# -- parameter groups ------------------------------------------------------------------------------------------


def quadratic(ps, targets):
    """Σ (p − t)², with gradient 2(p − t) for each p."""
    return sum(((p - t) ** 2 for p, t in zip(ps, targets)), Value(0.0))


def run(opt, ps, targets, steps):
    for _ in range(steps):
        opt.zero_grad()
        quadratic(ps, targets).backward()
        opt.step()
    return [p.data for p in ps]


def test_sgd_groups_take_their_own_hyperparameters_and_the_constructors_for_the_rest():
    """Each group keeps its lr; momentum comes from the constructor; opt.param_groups lists them as PyTorch's."""
    w, b = Value(1.0), Value(-1.0)
    opt = SGD([{"params": [w], "lr": 0.1}, {"params": [b], "lr": 0.01}], lr=0.05, momentum=0.9)
    assert opt.param_groups == [
        {"params": [w], "lr": 0.1, "momentum": 0.9, "nesterov": False},
        {"params": [b], "lr": 0.01, "momentum": 0.9, "nesterov": False},
    ]
    assert opt.params == [w, b]
    w1, b1 = Value(1.0), Value(-1.0)
    alone = [SGD([w1], lr=0.1, momentum=0.9), SGD([b1], lr=0.01, momentum=0.9)]
    for _ in range(20):
        opt.zero_grad()
        quadratic([w, b], [3.0, 2.0]).backward()
        opt.step()
        for o in alone:
            o.zero_grad()
        quadratic([w1, b1], [3.0, 2.0]).backward()
        for o in alone:
            o.step()
    assert (w.data, b.data) == (w1.data, b1.data)
    assert w.data != b.data


def test_adam_groups_equal_one_adam_per_group():
    """Adam over two groups (different lr and betas) gives bit for bit what two separate Adams give."""
    ps, qs = [Value(0.5), Value(-0.5), Value(2.0)], [Value(0.5), Value(-0.5), Value(2.0)]
    targets = [1.0, 2.0, -1.0]
    opt = Adam([{"params": ps[:2]}, {"params": ps[2], "lr": 0.3, "betas": (0.5, 0.9)}], lr=0.05, weight_decay=0.01)
    alone = [Adam(qs[:2], lr=0.05, weight_decay=0.01), Adam([qs[2]], lr=0.3, betas=(0.5, 0.9), weight_decay=0.01)]
    for _ in range(30):
        opt.zero_grad()
        quadratic(ps, targets).backward()
        opt.step()
        for o in alone:
            o.zero_grad()
        quadratic(qs, targets).backward()
        for o in alone:
            o.step()
    assert [p.data for p in ps] == [q.data for q in qs]
    assert opt.param_groups[1]["betas"] == (0.5, 0.9) and opt.param_groups[0]["betas"] == (0.9, 0.999)


def test_one_group_is_the_plain_list():
    """SGD([{"params": ps}], ...) and SGD(ps, ...) take the same steps, bit for bit."""
    ps, qs = [Value(0.0), Value(1.0)], [Value(0.0), Value(1.0)]
    a = run(SGD([{"params": ps}], lr=0.1, momentum=0.5, nesterov=True), ps, [1.0, -1.0], 10)
    b = run(SGD(qs, lr=0.1, momentum=0.5, nesterov=True), qs, [1.0, -1.0], 10)
    assert a == b


def test_trial_and_error_groups_shrink_apart():
    """A group none of whose parameters moved shrinks its own step size; the other group keeps its own."""
    a, b = Value(0.0), Value(0.0)
    opt = TrialAndError([{"params": [a]}, {"params": [b], "step_size": 0.25}], step_size=1.0)
    opt.step(lambda: (a - 0.1) ** 2 + (b - 5.0) ** 2)  # a: ±1 both worse; b: +0.25 better
    assert (a.data, b.data) == (0.0, 0.25)
    assert [g["step_size"] for g in opt.param_groups] == [0.5, 0.25]


def test_a_hyperparameter_changed_in_param_groups_is_used_and_checked():
    """Setting param_groups[0]["lr"] changes the next step; a bad value is refused by name and changes nothing."""
    w = Value(0.0)
    opt = SGD([w], lr=0.1)
    opt.param_groups[0]["lr"] = 0.5
    (w - 1.0).backward()
    opt.step()
    assert w.data == -0.5
    opt.param_groups[0]["lr"] = -1.0
    with pytest.raises(ValueError, match=r"^SGD.step: param_groups\[0\]\['lr'\] must be a positive finite number"):
        opt.step()
    assert w.data == -0.5
    opt.param_groups[0]["lr"] = 0.5
    opt.param_groups[0]["momentun"] = 0.9
    with pytest.raises(KeyError, match=r"SGD.step: param_groups\[0\] has an unknown key 'momentun'"):
        opt.step()
    del opt.param_groups[0]["momentun"]
    opt.param_groups[0]["params"].append(Value(1.0))
    with pytest.raises(ValueError, match=r"SGD.step: param_groups\[0\]\['params'\] is not the list of parameters"):
        opt.step()
    assert w.data == -0.5


def test_a_hyperparameter_attribute_reads_and_sets_every_group():
    """opt.lr is the lr all groups hold; when they differ, reading it names param_groups; setting it sets all."""
    w, b = Value(0.0), Value(0.0)
    opt = SGD([{"params": [w]}, {"params": [b]}], lr=0.1, momentum=0.5)
    assert (opt.lr, opt.momentum, opt.nesterov) == (0.1, 0.5, False)
    opt.param_groups[1]["lr"] = 0.2
    with pytest.raises(ValueError, match=r"^SGD.lr: the parameter groups hold different values \[0.1, 0.2\]"):
        _ = opt.lr
    opt.lr = 0.3
    assert [g["lr"] for g in opt.param_groups] == [0.3, 0.3] and opt.lr == 0.3
    with pytest.raises(ValueError, match=r"^SGD: lr must be a positive finite number, got 0"):
        opt.lr = 0
    opt.nesterov = True
    with pytest.raises(ValueError, match=r"^SGD: nesterov=True needs momentum > 0"):
        opt.momentum = 0.0
    assert [g["lr"] for g in opt.param_groups] == [0.3, 0.3] and opt.momentum == 0.5


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (
            lambda w, b: SGD([{"params": [w]}, {"params": [w, b]}], lr=0.1),
            ValueError,
            r"^SGD: param_groups\[0\]\['params'\]\[0\] and param_groups\[1\]\['params'\]\[0\] are the same Value",
        ),
        (
            lambda w, b: SGD([{"params": [w]}, {"params": [w * b]}], lr=0.1),
            ValueError,
            r"^SGD: param_groups\[1\]\['params'\]\[0\] is a computed Value",
        ),
        (
            lambda w, b: SGD([{"params": [w], "lr": 0.1, "momentun": 0.9}], lr=0.1),
            ValueError,
            r"^SGD: parameter group 0 has an unknown key 'momentun'; SGD takes 'params', 'lr', 'momentum', 'nesterov'",
        ),
        (lambda w, b: Adam([{"lr": 0.1}]), ValueError, r"^Adam: parameter group 0 has no 'params'"),
        (
            lambda w, b: Adam([{"params": [w]}, {"params": []}]),
            ValueError,
            r"^Adam: param_groups\[1\]\['params'\] is empty",
        ),
        (
            lambda w, b: Adam([{"params": [w]}, b]),
            TypeError,
            r"^Adam: params\[1\] must be a parameter group \(a dict\)",
        ),
        (lambda w, b: Adam({w, b}), TypeError, r"^Adam: params is a set, which has no fixed order"),
        (lambda w, b: Adam([{"params": {w}}]), TypeError, r"^Adam: param_groups\[0\]\['params'\] is a set"),
        (lambda w, b: Adam(w), TypeError, r"^Adam: params must be a list of Values .* got one Value"),
        (
            lambda w, b: SGD([{"params": [w], "lr": 0.1}, {"params": [b]}]),
            TypeError,
            r"^SGD: parameter group 1 has no 'lr', and no default lr was given",
        ),
        (lambda w, b: SGD([w]), TypeError, r"^SGD: missing the required argument lr"),
        (lambda w, b: TrialAndError([w]), TypeError, r"^TrialAndError: missing the required argument step_size"),
        (
            lambda w, b: SGD([{"params": [w], "lr": -1.0}], lr=0.1),
            ValueError,
            r"^SGD: param_groups\[0\]\['lr'\] must be a positive finite number, got -1.0",
        ),
        (
            lambda w, b: SGD([{"params": [w], "nesterov": True}], lr=0.1),
            ValueError,
            r"^SGD: param_groups\[0\]\['nesterov'\]=True needs param_groups\[0\]\['momentum'\] > 0",
        ),
        (
            lambda w, b: SGD([w], lr=0.1, momentum=0.5, nesterov="no"),
            ValueError,
            r"^SGD: nesterov must be True or False",
        ),
        (
            lambda w, b: Adam([{"params": [w], "betas": (0.9,)}]),
            ValueError,
            r"^Adam: param_groups\[0\]\['betas'\] must be a pair",
        ),
        (
            lambda w, b: TrialAndError([{"params": [w], "step_size": 0.0}], step_size=1.0),
            ValueError,
            r"^TrialAndError: param_groups\[0\]\['step_size'\] must be a positive finite number, got 0.0",
        ),
    ],
)
def test_bad_parameter_groups_are_refused_by_name(make, error, words):
    """Shared or computed parameters, unknown keys, empty or unordered groups and bad values name the group and key."""
    with pytest.raises(error, match=words):
        make(Value(1.0), Value(2.0))


def test_a_group_may_hold_one_value_and_any_iterable():
    """A group's "params" may be one Value or a generator, as in PyTorch; they are kept as a list."""
    w, b = Value(1.0), Value(2.0)
    opt = Adam([{"params": w}, {"params": (p for p in [b])}], lr=0.1)
    assert [g["params"] for g in opt.param_groups] == [[w], [b]]

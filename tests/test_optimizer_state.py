"""Optimizer state: zero_grad(set_to_none=...), parameter groups, state_dict and load_state_dict, checkpoints."""

import json

import pytest

from autograd_lite import Value
from autograd_lite.nn import MLP, binary_cross_entropy_with_logits
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


def test_a_group_with_nesterov_takes_the_constructors_momentum():
    """A group asking for nesterov=True is fine when the momentum it takes from the constructor is above 0."""
    w = Value(1.0)
    opt = SGD([{"params": [w], "nesterov": True}], lr=0.1, momentum=0.9)
    assert opt.param_groups[0]["nesterov"] is True and opt.param_groups[0]["momentum"] == 0.9


# -- state_dict and load_state_dict ----------------------------------------------------------------------------


def trained(make, steps, start=(0.5, -0.5, 2.0)):
    ps = [Value(x) for x in start]
    opt = make(ps)
    run(opt, ps, [1.0, 2.0, -1.0], steps)
    return ps, opt


MAKERS = {
    "sgd": lambda ps: SGD(ps, lr=0.05),
    "momentum": lambda ps: SGD([{"params": ps[:2], "lr": 0.1}, {"params": ps[2:]}], lr=0.02, momentum=0.9),
    "nesterov": lambda ps: SGD(ps, lr=0.05, momentum=0.5, nesterov=True),
    "adam": lambda ps: Adam([{"params": ps[:1], "betas": (0.8, 0.99)}, {"params": ps[1:]}], lr=0.1, weight_decay=0.1),
}


def test_state_dict_is_pytorchs_layout():
    """SGD saves each momentum_buffer, Adam step, exp_avg and exp_avg_sq, by parameter number, and every group."""
    (w, b, _), sgd = trained(MAKERS["momentum"], 1)
    assert sgd.state_dict() == {
        "state": {i: {"momentum_buffer": v} for i, v in enumerate(sgd.velocity)},
        "param_groups": [
            {"lr": 0.1, "momentum": 0.9, "nesterov": False, "params": [0, 1]},
            {"lr": 0.02, "momentum": 0.9, "nesterov": False, "params": [2]},
        ],
    }
    assert sgd.velocity == [2 * (0.5 - 1.0), 2 * (-0.5 - 2.0), 2 * (2.0 + 1.0)]
    _, adam = trained(MAKERS["adam"], 3)
    state = adam.state_dict()
    assert state["state"] == {i: {"step": 3, "exp_avg": adam.m[i], "exp_avg_sq": adam.s[i]} for i in range(3)}
    assert state["param_groups"] == [
        {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-8, "weight_decay": 0.1, "params": [0]},
        {"lr": 0.1, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1, "params": [1, 2]},
    ]
    trial = TrialAndError([w, b], step_size=0.5)
    assert trial.state_dict() == {"state": {}, "param_groups": [{"step_size": 0.5, "shrink": 0.5, "params": [0, 1]}]}


@pytest.mark.parametrize("name", list(MAKERS))
def test_a_state_through_json_resumes_bit_for_bit(name):
    """Save after 7 steps, load through JSON into a fresh optimizer, 8 more: the parameters of 15 straight steps."""
    make = MAKERS[name]
    straight, _ = trained(make, 15)
    first, opt = trained(make, 7)
    saved = json.dumps({"params": [p.data for p in first], "opt": opt.state_dict()})
    loaded = json.loads(saved)
    fresh = [Value(x) for x in loaded["params"]]
    resumed = make(fresh)
    resumed.load_state_dict(loaded["opt"])
    assert resumed.state_dict() == opt.state_dict()
    run(resumed, fresh, [1.0, 2.0, -1.0], 8)
    assert [p.data for p in fresh] == [p.data for p in straight]


def test_trial_and_error_resumes_with_its_shrunk_step_size():
    """TrialAndError's step size, shrunk by steps that moved nothing, is saved and restored."""
    w = Value(1.0)
    opt = TrialAndError([w], step_size=1.0)
    for _ in range(3):
        opt.step(lambda: (w - 1.0) ** 2)  # already at the minimum: nothing moves, the step size halves
    assert opt.step_size == 0.125
    twin = TrialAndError([Value(1.0)], step_size=1.0)
    twin.load_state_dict(json.loads(json.dumps(opt.state_dict())))
    assert twin.step_size == 0.125 and twin.param_groups[0]["shrink"] == 0.5


def test_load_replaces_the_hyperparameters_and_maps_saved_numbers_in_order():
    """The saved lr replaces the constructor's; saved parameter numbers [1, 0] map, in order, onto this optimizer's."""
    ps, opt = trained(MAKERS["nesterov"], 2)
    state = opt.state_dict()
    state["param_groups"][0]["lr"] = 0.2
    renumbered = {
        "state": {str(9 - i): entry for i, entry in state["state"].items()},
        "param_groups": [{**state["param_groups"][0], "params": [9, 8, 7]}],
    }
    twin = SGD([Value(p.data) for p in ps], lr=0.5, momentum=0.1, nesterov=False)
    twin.load_state_dict(renumbered)
    assert (twin.lr, twin.momentum, twin.nesterov) == (0.2, 0.5, True)
    assert twin.velocity == opt.velocity


def broken(state, path, value):
    """A deep copy of `state` with the entry at `path` set to `value` (or deleted, for DELETE)."""
    copy = json.loads(json.dumps(state))
    *inner, last = path
    held = copy
    for key in inner:
        held = held[key]
    if value is DELETE:
        del held[last]
    else:
        held[last] = value
    return copy


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "error", "words"),
    [
        (("state",), DELETE, KeyError, r"the state dict has no 'state'"),
        (("extra",), 1, KeyError, r"the state dict has an unexpected key 'extra'"),
        (("param_groups",), [], ValueError, r"param_groups has 0 groups; this optimizer has 2"),
        (("param_groups", 0, "params"), [0], ValueError, r"param_groups\[0\]\['params'\] lists 1 parameters; .* has 2"),
        (("param_groups", 0, "params"), [0, 0], ValueError, r"param_groups\[0\]\['params'\]\[1\] is 0, .*twice"),
        (
            ("param_groups", 1, "params"),
            ["2"],
            TypeError,
            r"param_groups\[1\]\['params'\]\[0\] must be an int, got '2'",
        ),
        (("param_groups", 1, "lr"), DELETE, KeyError, r"param_groups\[1\] has no 'lr'"),
        (("param_groups", 1, "dampening"), 0.0, KeyError, r"param_groups\[1\] has an unexpected key 'dampening'"),
        (("param_groups", 0, "lr"), -0.1, ValueError, r"param_groups\[0\]\['lr'\] must be a positive finite number"),
        (("param_groups", 0, "lr"), 10**400, ValueError, r"param_groups\[0\]\['lr'\] must be a positive finite number"),
        (("param_groups", 1, "nesterov"), "yes", ValueError, r"param_groups\[1\]\['nesterov'\] must be True or False"),
        (("param_groups", 1, "momentum"), 0.0, ValueError, r"param_groups\[1\]\['nesterov'\]=True needs"),
        (("state", "2"), DELETE, KeyError, r"state has no 2 \(parameter 2\)"),
        (("state", "3"), {"momentum_buffer": 0.0}, KeyError, r"state has an unexpected key '3'"),
        (("state", "1", "momentum_buffer"), None, ValueError, r"state\['1'\]\['momentum_buffer'\] must be a finite"),
        (("state", "1", "momentum_buffer"), 10**400, OverflowError, r"state\['1'\]\['momentum_buffer'\] is too large"),
        (("state", "0", "exp_avg"), 0.0, KeyError, r"state\['0'\] has an unexpected key 'exp_avg'"),
        (("state", "0"), [0.0], TypeError, r"state\['0'\] must be a dict, got list"),
    ],
)
def test_a_bad_sgd_state_names_the_key_and_changes_nothing(path, value, error, words):
    """Every kind of bad entry is refused naming load_state_dict and the key, and the optimizer is as it was."""
    ps = [Value(0.5), Value(-0.5), Value(2.0)]
    opt = SGD([{"params": ps[:2]}, {"params": ps[2:], "nesterov": True}], lr=0.1, momentum=0.9)
    run(opt, ps, [1.0, 2.0, -1.0], 2)
    before, data = opt.state_dict(), [p.data for p in ps]
    with pytest.raises(error, match=r"^[\"']?SGD.load_state_dict: " + words) as refused:
        opt.load_state_dict(broken(before, path, value))
    assert str(refused.value).rstrip("'\"").endswith("; nothing was changed")
    assert opt.state_dict() == before and [p.data for p in ps] == data
    run(opt, ps, [1.0, 2.0, -1.0], 1)  # and it still steps


@pytest.mark.parametrize(
    ("path", "value", "error", "words"),
    [
        (("state", "2", "step"), 3, ValueError, r"state\['2'\]\['step'\] is 3 but state\['0'\]\['step'\] is 2"),
        (("state", "0", "step"), 2.5, ValueError, r"state\['0'\]\['step'\] must be a whole number >= 0, got 2.5"),
        (("state", "0", "step"), True, ValueError, r"state\['0'\]\['step'\] must be a whole number >= 0, got True"),
        (("state", "1", "exp_avg_sq"), -1.0, ValueError, r"state\['1'\]\['exp_avg_sq'\] must be >= 0"),
        (("state", "1", "exp_avg"), "nan", ValueError, r"state\['1'\]\['exp_avg'\] must be a finite number"),
        (("param_groups", 0, "betas"), [0.9], ValueError, r"param_groups\[0\]\['betas'\] must be a pair"),
        (
            ("param_groups", 0, "betas"),
            [0.9, 1.0],
            ValueError,
            r"param_groups\[0\]\['betas'\]\[1\] must be in \[0, 1\)",
        ),
    ],
)
def test_a_bad_adam_state_names_the_key_and_changes_nothing(path, value, error, words):
    """Adam's step counts must agree and be whole, its moments finite (the squares' >= 0), its betas a pair."""
    ps, opt = trained(MAKERS["adam"], 2)
    before, data = opt.state_dict(), [p.data for p in ps]
    with pytest.raises(error, match=r"^[\"']?Adam.load_state_dict: " + words):
        opt.load_state_dict(broken(before, path, value))
    assert opt.state_dict() == before and [p.data for p in ps] == data and opt.t == 2


def test_load_state_dict_wants_a_dict():
    """A list, or a state that is not a dict, is a TypeError naming load_state_dict; a stranger's number a KeyError."""
    opt = TrialAndError([Value(0.0)], step_size=1.0)
    with pytest.raises(TypeError, match=r"^TrialAndError.load_state_dict: expected a dict with 'state' and 'param_gro"):
        opt.load_state_dict([])
    groups = opt.state_dict()["param_groups"]
    with pytest.raises(TypeError, match=r"^TrialAndError.load_state_dict: state must be a dict, got list"):
        opt.load_state_dict({"state": [], "param_groups": groups})
    with pytest.raises(KeyError, match=r"TrialAndError.load_state_dict: state has an unexpected key '1', which is no"):
        opt.load_state_dict({"state": {"1": {}}, "param_groups": groups})


# -- checkpoint and resume -------------------------------------------------------------------------------------

POINTS = [([0.2, 0.9], 1), ([-0.8, 0.3], 0), ([0.5, -0.6], 1), ([-0.1, -0.9], 0), ([0.9, 0.1], 1)]


def train_mlp(net, opt, steps):
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = binary_cross_entropy_with_logits([net(x) for x, _ in POINTS], [y for _, y in POINTS])
        loss.backward()
        opt.step()
        losses.append(loss.data)
    return losses


def test_checkpoint_and_resume_an_mlp_bit_for_bit():
    """N Adam steps, both state_dicts through json.dumps into fresh objects, K more: N + K straight, bit for bit."""
    n, k = 6, 7
    straight = MLP(2, [8, 8, 1], activation="tanh", seed=1)
    straight_losses = train_mlp(straight, Adam(straight.parameters(), lr=0.05), n + k)

    first = MLP(2, [8, 8, 1], activation="tanh", seed=1)
    opt = Adam(first.parameters(), lr=0.05)
    train_mlp(first, opt, n)
    checkpoint = json.loads(json.dumps({"model": first.state_dict(), "optimizer": opt.state_dict()}))

    net = MLP(2, [8, 8, 1], activation="tanh", seed=2)  # other initial weights: the checkpoint replaces them
    resumed = Adam(net.parameters(), lr=0.05)
    net.load_state_dict(checkpoint["model"])
    resumed.load_state_dict(checkpoint["optimizer"])
    assert train_mlp(net, resumed, k) == straight_losses[n:]
    assert [p.data for p in net.parameters()] == [p.data for p in straight.parameters()]
    assert resumed.t == n + k


def test_resuming_without_the_optimizer_state_is_not_the_same_run():
    """The check above can fail: loading only the model, with Adam's moments at zero, gives other parameters."""
    straight = MLP(2, [8, 8, 1], activation="tanh", seed=1)
    train_mlp(straight, Adam(straight.parameters(), lr=0.05), 12)
    first = MLP(2, [8, 8, 1], activation="tanh", seed=1)
    train_mlp(first, Adam(first.parameters(), lr=0.05), 6)
    net = MLP(2, [8, 8, 1], activation="tanh", seed=2)
    net.load_state_dict(json.loads(json.dumps(first.state_dict())))
    train_mlp(net, Adam(net.parameters(), lr=0.05), 6)
    assert [p.data for p in net.parameters()] != [p.data for p in straight.parameters()]

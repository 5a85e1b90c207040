"""Optimizers: each update rule by hand, convergence on the line fit, counters, bad arguments, and failed steps."""

import copy
import math

import pytest

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.optim import SGD, Adam, Optimizer, TrialAndError

POINTS = [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]


def line_loss(w):
    return sum((w * x - y) ** 2 for x, y in POINTS) / len(POINTS)


def train(optimizer, w, steps):
    for _ in range(steps):
        optimizer.step(lambda: line_loss(w))
    return w.data


def test_sgd_step_is_w_minus_lr_times_grad():
    """SGD: w ← w − lr·grad, here 1 − 0.1·(−4) = 1.4."""
    w = Value(1.0)
    opt = SGD([w], lr=0.1)
    ((w - 3) ** 2).backward()
    opt.step()
    assert w.data == pytest.approx(1.4, abs=1e-15)


def test_sgd_momentum_and_nesterov_by_hand():
    """Momentum keeps v ← μv + g; Nesterov moves by g + μv."""
    for nesterov, expected in [(False, [-0.1, -0.1 - 0.1 * 1.5]), (True, [-0.15, -0.15 - 0.1 * (1 + 0.5 * 1.5)])]:
        w = Value(0.0)
        opt = SGD([w], lr=0.1, momentum=0.5, nesterov=nesterov)
        seen = []
        for _ in range(2):
            opt.zero_grad()
            (w * 1.0).backward()  # gradient 1 every time
            opt.step()
            seen.append(w.data)
        assert seen == pytest.approx(expected, abs=1e-15)


def test_adam_first_steps_by_hand():
    """Adam's bias-corrected first step moves each parameter by lr·g/(|g| + eps); weight decay adds λw to g."""
    w = Value(2.0)
    opt = Adam([w], lr=0.01, weight_decay=0.5)
    (w * 3.0).backward()
    opt.step()
    g = 3.0 + 0.5 * 2.0
    assert w.data == pytest.approx(2.0 - 0.01 * g / (abs(g) + 1e-8), abs=1e-15)
    # Second step with gradient 3 again, computed from the rule.
    w2 = w.data
    opt.zero_grad()
    (w * 3.0).backward()
    opt.step()
    g2 = 3.0 + 0.5 * w2
    m = 0.9 * 0.1 * g + 0.1 * g2
    s = 0.999 * 0.001 * g * g + 0.001 * g2 * g2
    m_hat, s_hat = m / (1 - 0.9**2), s / (1 - 0.999**2)
    assert w.data == pytest.approx(w2 - 0.01 * m_hat / (math.sqrt(s_hat) + 1e-8), abs=1e-15)


@pytest.mark.parametrize(
    "make",
    [
        lambda w: SGD([w], lr=0.05),
        lambda w: SGD([w], lr=0.01, momentum=0.9),
        lambda w: SGD([w], lr=0.01, momentum=0.9, nesterov=True),
        lambda w: Adam([w], lr=0.05),
        lambda w: TrialAndError([w], step_size=0.5),
    ],
    ids=["sgd", "momentum", "nesterov", "adam", "trial-and-error"],
)
def test_every_optimizer_fits_the_line(make):
    """From w = 0, each optimizer reaches w = 2 on the line-fit problem."""
    w = Value(0.0)
    assert train(make(w), w, 400) == pytest.approx(2.0, abs=1e-4)


def test_closure_counts_one_evaluation_and_one_gradient_per_step():
    """step(closure) evaluates the loss once and runs one backward pass; it returns the loss."""
    w = Value(0.0)
    opt = SGD([w], lr=0.05)
    loss = opt.step(lambda: line_loss(w))
    assert loss == pytest.approx(56.0 / 3.0)
    assert (opt.evaluations, opt.gradient_evaluations) == (1, 1)
    assert w.data == pytest.approx(0.05 * 56.0 / 3.0)


def test_closure_that_calls_backward_itself_is_not_doubled():
    """A PyTorch-style closure (zero_grad, backward, return loss) gives the same step as a bare one."""
    w1, w2 = Value(0.0), Value(0.0)
    opt1, opt2 = SGD([w1], lr=0.05), SGD([w2], lr=0.05)

    def closure():
        opt2.zero_grad()
        loss = line_loss(w2)
        loss.backward()
        return loss

    opt1.step(lambda: line_loss(w1))
    opt2.step(closure)
    assert w1.data == w2.data


def test_trial_and_error_counts_what_its_rule_implies():
    """Two parameters: 1 + 1 (a up helps) + 2 (b up fails, b down helps) = 4 evaluations; none move: 1 + 2·2."""
    a, b = Value(0.0), Value(0.0)
    opt = TrialAndError([a, b], step_size=0.5)
    closure = lambda: (a - 1) ** 2 + (b + 1) ** 2
    opt.step(closure)
    assert (a.data, b.data, opt.evaluations) == (0.5, -0.5, 4)
    assert opt.gradient_evaluations == 0
    a.data, b.data = 1.0, -1.0
    opt.step(closure)
    assert (a.data, b.data, opt.evaluations) == (1.0, -1.0, 4 + 5)
    assert opt.step_size == 0.25


def test_trial_and_error_needs_a_closure_and_restores_on_error():
    """Without a closure it refuses; if the loss raises mid-step, every parameter is put back."""
    a, b = Value(0.0), Value(0.0)
    opt = TrialAndError([a, b], step_size=0.5)
    with pytest.raises(ValueError, match="closure"):
        opt.step()

    def fragile():
        if b.data != 0.0:
            raise ArithmeticError("loss undefined here")
        return (a - 1) ** 2

    with pytest.raises(ArithmeticError):
        opt.step(fragile)
    assert (a.data, b.data) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: SGD(p, lr=0.0), "lr must be a positive"),
        (lambda p: SGD(p, lr=-1.0), "lr must be a positive"),
        (lambda p: SGD(p, lr=0.1, momentum=1.0), r"momentum must be in \[0, 1\)"),
        (lambda p: SGD(p, lr=0.1, nesterov=True), "nesterov=True needs momentum"),
        (lambda p: Adam(p, lr=0.0), "lr must be"),
        (lambda p: Adam(p, betas=(1.0, 0.999)), r"betas\[0\] must be in \[0, 1\)"),
        (lambda p: Adam(p, betas=(0.9, -0.1)), r"betas\[1\] must be in \[0, 1\)"),
        (lambda p: Adam(p, weight_decay=-1.0), "weight_decay"),
        (lambda p: TrialAndError(p, step_size=0.0), "step_size"),
        (lambda p: TrialAndError(p, step_size=1.0, shrink=1.0), "shrink"),
        (lambda p: SGD([], lr=0.1), "empty parameter list"),
    ],
)
def test_bad_hyperparameters_name_the_argument(make, words):
    """Bad hyperparameters raise ValueError naming the argument and value."""
    with pytest.raises(ValueError, match=words):
        make([Value(1.0)])


def test_parameters_must_be_values():
    """A plain number in the parameter list is a TypeError naming its position."""
    with pytest.raises(TypeError, match="parameter 1 must be a Value, got float"):
        SGD([Value(1.0), 2.0], lr=0.1)


def test_duplicate_and_computed_parameters_are_refused():
    """SGD([w, w]) names the positions; a computed Value is not a parameter."""
    w = Value(1.0)
    with pytest.raises(ValueError, match="parameters 0 and 1 are the same Value"):
        al.SGD([w, w], lr=0.1)
    with pytest.raises(ValueError, match="parameter 0 is a computed Value"):
        al.Adam([w * 2])


def test_non_finite_gradient_changes_nothing():
    """A gradient of inf is refused where it is assigned; one that got in anyway stops step() before any change."""
    a, b = Value(1.0), Value(2.0)
    opt = SGD([a, b], lr=0.1)
    with pytest.raises(ValueError, match=r"Value\.grad: expected a finite number, got inf"):
        b.grad = math.inf
    a.grad, b._grad = 1.0, math.inf  # past the check, as only the library's own code could
    with pytest.raises(ValueError, match="parameter 1 has a non-finite gradient inf"):
        opt.step()
    assert (a.data, b.data) == (1.0, 2.0)


def test_a_gradient_of_none_reads_as_zero():
    """v.grad = None, PyTorch's set_to_none habit, means no gradient yet: it reads back as 0.0 and training goes on."""
    w = Value(2.0)
    w.grad = None
    assert w.grad == 0.0
    (w * 3.0).backward()
    assert w.grad == 3.0
    with pytest.raises(TypeError, match=r"Value\.grad: expected a real number, got str"):
        w.grad = "1"


@pytest.mark.parametrize("make", [lambda p: al.Adam(p, lr=0.1), lambda p: al.SGD(p, lr=1e300, momentum=0.5)])
def test_a_step_that_would_overflow_changes_nothing(make):
    """A gradient of 1e160 (Adam: s = g² overflows) or a huge lr raises before any parameter or state changes."""
    w, v = Value(1.0), Value(2.0)
    opt = make([w, v])
    w.grad, v.grad = 1.0, 1e160

    def held():  # everything but the parameters themselves, which a deep copy would not compare equal to
        groups = [{k: x for k, x in group.items() if k != "params"} for group in opt.param_groups]
        return {k: x for k, x in vars(opt).items() if k not in ("params", "param_groups")}, groups

    state = copy.deepcopy(held())
    with pytest.raises(OverflowError, match="nothing was changed"):
        opt.step()
    assert (w.data, v.data) == (1.0, 2.0)
    assert held() == state and [g["params"] for g in opt.param_groups] == [[w, v]]
    w.grad, v.grad = 1.0, 1.0
    opt.step()  # and it still works afterwards
    assert w.data < 1.0 and v.data < 2.0


def test_zero_grad_clears_every_parameter():
    """zero_grad() sets each parameter's gradient to 0."""
    ps = [Value(1.0), Value(2.0)]
    (ps[0] * ps[1]).backward()
    SGD(ps, lr=0.1).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_the_base_class_has_no_rule():
    """Optimizer itself has no update rule; subclasses provide _update."""
    with pytest.raises(NotImplementedError):
        Optimizer([Value(1.0)]).step()


def test_closure_must_return_a_loss():
    """A closure returning something other than a Value or a number is a TypeError naming it."""
    w = Value(1.0)
    with pytest.raises(TypeError, match="SGD: the closure's loss must be a Value or a number, got str"):
        SGD([w], lr=0.1).step(lambda: "loss")
    with pytest.raises(TypeError, match="TrialAndError: the closure's loss must be a Value or a number, got list"):
        TrialAndError([w], step_size=0.1).step(lambda: [w])

"""The losses of autograd_lite.nn against PyTorch's definitions: arguments, reductions, values, gradients, errors."""

import math

import pytest

import autograd_lite as al
from autograd_lite import Value, gradcheck, sigmoid
from autograd_lite.nn import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, hinge, mse


def torch_bce(p, y):
    """PyTorch's CPU kernel for one example: (y − 1)·max(log1p(−p), −100) − y·max(log p, −100)."""
    log_p = max(math.log(p), -100.0) if p > 0.0 else -100.0
    log_1mp = max(math.log1p(-p), -100.0) if p < 1.0 else -100.0
    return (y - 1.0) * log_1mp - y * log_p


PROBABILITIES = [0.0, 1e-300, 1e-50, 1e-10, 0.1, 0.5, 0.8808, 0.999999, 1.0 - 2**-53, 1.0]
TARGETS = [0.0, 0.25, 0.5, 1.0]


# -- binary_cross_entropy takes probabilities ------------------------------------------------------------------


def test_binary_cross_entropy_of_a_sigmoid_is_the_loss_of_its_logit():
    """binary_cross_entropy(σ(2), 1) is −log σ(2) = 0.1269 (not 0.3467, the loss of 0.8808 read as a logit)."""
    loss = binary_cross_entropy([sigmoid(Value(2.0))], [1])
    assert loss.data == pytest.approx(0.12692801104297263, rel=1e-15)
    assert loss.data == pytest.approx(binary_cross_entropy_with_logits([Value(2.0)], [1]).data, rel=1e-15)
    assert binary_cross_entropy_with_logits([sigmoid(Value(2.0))], [1]).data == pytest.approx(0.3467, abs=1e-4)


@pytest.mark.parametrize("y", TARGETS)
@pytest.mark.parametrize("p", PROBABILITIES)
def test_binary_cross_entropy_is_pytorchs_kernel(p, y):
    """For every probability (0 and 1 included) and every target, hard or soft, the value is PyTorch's formula."""
    assert binary_cross_entropy([p], [y]).data == torch_bce(p, y)


def test_binary_cross_entropy_reductions():
    """reduction="mean" (the default) averages, "sum" adds, "none" gives the list of per-example losses."""
    ps, ys = [0.2, 0.9, 0.5], [0.0, 1.0, 0.3]
    each = [torch_bce(p, y) for p, y in zip(ps, ys)]
    assert [v.data for v in binary_cross_entropy(ps, ys, reduction="none")] == each
    assert binary_cross_entropy(ps, ys, reduction="sum").data == pytest.approx(sum(each), rel=1e-15)
    assert binary_cross_entropy(ps, ys).data == pytest.approx(sum(each) / 3, rel=1e-15)
    assert binary_cross_entropy(ps, ys).data == binary_cross_entropy(ps, ys, reduction="mean").data


def test_binary_cross_entropy_gradient_inside_the_interval():
    """Inside (0, 1) the gradient is (p − y) / (p·(1 − p)) / n, and gradcheck agrees."""
    ps = [Value(0.3), Value(0.9)]
    ys = [0.2, 1.0]
    binary_cross_entropy(ps, ys).backward()
    for p, y in zip(ps, ys):
        assert p.grad == pytest.approx((p.data - y) / (p.data * (1 - p.data)) / 2, rel=1e-13)
    assert gradcheck(lambda a, b: binary_cross_entropy([a, b], [0.25, 0.75]), 0.4, 0.05)


@pytest.mark.parametrize(
    ("p", "y", "loss", "slope"),
    [
        (0.0, 1.0, 100.0, 0.0),  # −y·max(log 0, −100): floored, slope 0
        (0.0, 0.0, 0.0, 1.0),  # (y − 1)·log1p(−p): slope 1/(1 − p) = 1
        (0.0, 0.5, 50.0, 0.5),
        (1.0, 0.0, 100.0, 0.0),  # (y − 1)·max(log1p(−1), −100): floored, slope 0
        (1.0, 1.0, 0.0, -1.0),  # −y·log p: slope −1/p = −1
        (1.0, 0.5, 50.0, -0.5),
        (1e-50, 1.0, 100.0, 0.0),  # log 1e-50 = −115 is below the floor
    ],
)
def test_binary_cross_entropy_at_the_ends_is_finite_and_the_slope_of_the_floored_value(p, y, loss, slope):
    """At p = 0 or 1 the loss is PyTorch's floored value and the gradient its exact slope, finite."""
    v = Value(p)
    out = binary_cross_entropy([v], [y])
    out.backward()
    assert (out.data, v.grad) == (loss, slope)


def test_binary_cross_entropy_floors_log_only_below_minus_100():
    """Just above the floor (log p = −99.9) the slope is −y/p, not 0: the floor changes only what PyTorch's does."""
    p = Value(math.exp(-99.9))
    binary_cross_entropy([p], [1.0]).backward()
    assert p.grad == pytest.approx(-1.0 / p.data, rel=1e-12)


def test_a_compiled_binary_cross_entropy_replays_the_floor_or_refuses():
    """Replayed below the floor the loss is 100 as eagerly; across p = 0 in either direction the tape raises."""
    p = Value(0.5)
    tape = al.compile(binary_cross_entropy([p], [1.0]))
    for x in (0.25, 1e-50):
        p.data = x
        assert tape.forward() == binary_cross_entropy([Value(x)], [1.0]).data
    assert tape.forward() == 100.0
    p.data = 0.0
    with pytest.raises((al.BranchChangedError, ValueError)):  # log 0 is met before the guard p > 0 is read
        tape.forward()
    q = Value(0.0)
    at_zero = al.compile(binary_cross_entropy([q], [1.0]))  # recorded with log p floored to a constant
    q.data = 0.5
    with pytest.raises(al.BranchChangedError):
        at_zero.forward()


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (
            lambda: binary_cross_entropy([0.5, 1.5], [1, 1]),
            r"^binary_cross_entropy: probabilities\[1\] must be in \[0, 1\], got 1.5; for logits use "
            r"binary_cross_entropy_with_logits$",
        ),
        (lambda: binary_cross_entropy([Value(-0.25)], [0]), r"^binary_cross_entropy: probabilities\[0\] .* got -0.25"),
        (
            lambda: binary_cross_entropy([0.5, 0.5], [0, 2]),
            r"^binary_cross_entropy: targets\[1\] must be in \[0, 1\], got 2",
        ),
        (lambda: binary_cross_entropy([0.5], [-0.5]), r"^binary_cross_entropy: targets\[0\] must be in \[0, 1\]"),
        (lambda: binary_cross_entropy([0.5], [1], reduction="avg"), r"^binary_cross_entropy: reduction must be 'mean'"),
        (lambda: binary_cross_entropy([0.5], [math.nan]), r"^binary_cross_entropy: targets\[0\]"),
        (
            lambda: binary_cross_entropy_with_logits([0.0, 3.0], [1, 1.5]),
            r"^binary_cross_entropy_with_logits: targets\[1\] must be in \[0, 1\], got 1.5$",
        ),
        (lambda: binary_cross_entropy_with_logits([0.0], [-1]), r"^binary_cross_entropy_with_logits: targets\[0\]"),
        (
            lambda: binary_cross_entropy_with_logits([0.0], [1], reduction=None),
            r"^binary_cross_entropy_with_logits: reduction must be 'mean', 'sum' or 'none'",
        ),
    ],
)
def test_binary_cross_entropy_refuses_what_is_outside_zero_one(call, words):
    """A probability or target outside [0, 1], or an unknown reduction: a ValueError naming the function and index."""
    with pytest.raises(ValueError, match=words):
        call()


# -- binary_cross_entropy_with_logits --------------------------------------------------------------------------


def test_binary_cross_entropy_with_logits_is_stable_with_slope_sigmoid_minus_target():
    """From logits: the textbook value, gradient σ(z) − y, and finite values and slopes for logits of ±1000."""
    z = Value(0.3)
    loss = binary_cross_entropy_with_logits([z], [1])
    loss.backward()
    sig = 1 / (1 + math.exp(-0.3))
    assert loss.data == pytest.approx(-math.log(sig), rel=1e-15)
    assert z.grad == pytest.approx(sig - 1, rel=1e-15)
    for logit, label, expected in [(1000.0, 1, 0.0), (-1000.0, 0, 0.0), (1000.0, 0, 1000.0), (-1000.0, 1, 1000.0)]:
        v = Value(logit)
        out = binary_cross_entropy_with_logits([v], [label])
        out.backward()
        assert out.data == expected and v.grad == pytest.approx(float(logit > 0) - label)


@pytest.mark.parametrize("y", TARGETS)
@pytest.mark.parametrize("z", [-8.0, -1.0, 0.0, 0.5, 3.0])
def test_with_logits_equals_the_probability_form_on_the_sigmoid(z, y):
    """With soft or hard targets, the logit form equals binary_cross_entropy of σ(z), value and slope."""
    a, b = Value(z), Value(z)
    from_logits = binary_cross_entropy_with_logits([a], [y])
    from_probabilities = binary_cross_entropy([sigmoid(b)], [y])
    from_logits.backward()
    from_probabilities.backward()
    assert from_logits.data == pytest.approx(from_probabilities.data, rel=1e-12, abs=1e-15)
    assert a.grad == pytest.approx(b.grad, rel=1e-12, abs=1e-15)


def test_with_logits_reductions():
    """reduction="sum" adds the per-example losses and "none" lists them; "mean" is the default."""
    zs, ys = [0.0, 2.0], [1.0, 0.25]
    each = [v.data for v in binary_cross_entropy_with_logits(zs, ys, reduction="none")]
    assert each == pytest.approx([math.log(2.0), math.log1p(math.exp(2.0)) - 0.5], rel=1e-15)
    assert binary_cross_entropy_with_logits(zs, ys, reduction="sum").data == pytest.approx(sum(each), rel=1e-15)
    assert binary_cross_entropy_with_logits(zs, ys).data == pytest.approx(sum(each) / 2, rel=1e-15)


# -- mse, hinge, cross_entropy ---------------------------------------------------------------------------------


def test_mse_is_pytorchs_mse_loss_with_its_reductions():
    """mse(input, target) is the mean of squared errors by default; "sum" and "none" as mse_loss's."""
    p = [Value(1.0), Value(3.0), Value(-2.0)]
    t = [2.0, 3.0, 0.0]
    loss = mse(p, t)
    loss.backward()
    assert loss.data == pytest.approx(5.0 / 3.0, rel=1e-15)
    assert [v.grad for v in p] == pytest.approx([2 * (1 - 2) / 3, 0.0, 2 * (-2 - 0) / 3], rel=1e-15)
    assert mse(p, t, reduction="sum").data == 5.0
    assert [v.data for v in mse(p, t, reduction="none")] == [1.0, 0.0, 4.0]


def test_hinge_is_twice_pytorchs_two_class_multi_margin_loss():
    """hinge has no torch namesake: it is 2 · multi_margin_loss on the scores [−s/2, s/2], written out here."""

    def multi_margin(x, y):  # torch.nn.functional.multi_margin_loss for one example, margin 1, p = 1
        return sum(max(0.0, 1.0 - x[y] + x[i]) for i in range(len(x)) if i != y) / len(x)

    for s in (-2.0, -0.3, 0.0, 0.7, 3.0):
        for label in (-1, 1):
            assert hinge([s], [label]).data == pytest.approx(2 * multi_margin([-s / 2, s / 2], (label + 1) // 2))
    assert hinge([2.0, 0.5, -0.5], [1, 1, 1], reduction="sum").data == 2.0
    assert [v.data for v in hinge([2.0, 0.5], [1, -1], reduction="none")] == [0.0, 1.5]


def test_cross_entropy_of_one_example_and_of_a_batch():
    """One example gives its loss; a batch (a list of rows) the mean, sum or list over rows, as torch's (N, C) input."""
    rows = [[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]]
    targets = [1, 0]
    each = [math.log(sum(math.exp(z) for z in row)) - row[t] for row, t in zip(rows, targets)]
    assert cross_entropy(rows[0], 1) == pytest.approx(each[0], rel=1e-15)
    assert cross_entropy(rows[0], 1, reduction="none") == cross_entropy(rows[0], 1)
    assert cross_entropy(rows, targets).data == pytest.approx(sum(each) / 2, rel=1e-15)
    assert cross_entropy(rows, targets, reduction="sum").data == pytest.approx(sum(each), rel=1e-15)
    assert [v.data for v in cross_entropy(rows, targets, reduction="none")] == pytest.approx(each, rel=1e-15)
    zs = [Value(z) for z in rows[1]]
    cross_entropy([rows[0], zs], targets).backward()
    softmax = [math.exp(z) / sum(math.exp(w) for w in rows[1]) for z in rows[1]]
    assert [v.grad for v in zs] == pytest.approx([(s - (i == 0)) / 2 for i, s in enumerate(softmax)], rel=1e-14)


def test_cross_entropy_takes_numpy_rows():
    """A 2-D numpy array of logits and an array of class indices are a batch."""
    np = pytest.importorskip("numpy")
    rows = [[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]]
    assert cross_entropy(np.array(rows), np.array([1, 0])).data == cross_entropy(rows, [1, 0]).data
    assert cross_entropy([np.array(rows[0]), np.array(rows[1])], [1, 0]).data == cross_entropy(rows, [1, 0]).data


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (
            lambda: cross_entropy([[0.0, 1.0], 2.0], [0, 1]),
            TypeError,
            r"^cross_entropy: logits must be numbers .* a mix",
        ),
        (lambda: cross_entropy([[0.0, 1.0]], 0), TypeError, r"^cross_entropy: a batch of 1 needs a list of 1 targets"),
        (
            lambda: cross_entropy([[0.0, 1.0]], [0, 1]),
            ValueError,
            r"^cross_entropy: got 1 rows of logits but 2 targets",
        ),
        (
            lambda: cross_entropy([[0.0], [0.0, 1.0]], [0, 2]),
            ValueError,
            r"target\[1\] must be a class index in 0\.\.1",
        ),
        (
            lambda: cross_entropy([[0.0, 1.0]], [0.0]),
            ValueError,
            r"target\[0\] must be a class index in 0\.\.1, got 0.0",
        ),
        (lambda: cross_entropy([[]], [0]), ValueError, r"^cross_entropy: row 0 needs at least one logit"),
        (lambda: cross_entropy([1.0], 0, reduction="avg"), ValueError, r"^cross_entropy: reduction must be"),
        (lambda: mse([1.0], [1.0], reduction="batchmean"), ValueError, r"^mse: reduction must be"),
        (lambda: hinge([1.0], [1], reduction=""), ValueError, r"^hinge: reduction must be"),
        (lambda: mse([1.0], [math.inf]), ValueError, r"^mse: targets\[0\]"),
    ],
)
def test_bad_loss_arguments_name_the_function(call, error, words):
    """Mixed rows, mismatched targets, bad class indices and unknown reductions raise errors naming the loss."""
    with pytest.raises(error, match=words):
        call()

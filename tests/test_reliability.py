"""No silent wrong number: every way 0.1.0 could give a wrong derivative without an error, each as a test.

The sections follow the reliability issue: recording state, non-finite numbers,
infinite derivatives, float conversion, optimizers, guarded replay, numeric
checks, and errors that name the autograd_lite function.
"""

import asyncio
import contextlib
import copy
import math
import subprocess
import sys
import threading

import pytest

import autograd_lite as al
from autograd_lite import Value

# -- 1. Recording on/off is per thread and per asyncio task ---------------------------------------


def test_no_grad_in_one_thread_does_not_stop_another_from_recording():
    """Thread A inside no_grad() while thread B records: B's gradient is right."""
    inside, done = threading.Event(), threading.Event()

    def a():
        with al.no_grad():
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=a)
    thread.start()
    inside.wait(5)
    x = Value(3.0)
    (x * x).backward()
    done.set()
    thread.join()
    assert x.grad == 6.0


def test_overlapping_blocks_in_two_threads_leave_recording_on():
    """Two threads whose no_grad blocks overlap, the first in leaving first, leave recording on for everyone."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with al.no_grad():
            first_in.set()
            second_in.wait(5)
        first_out.set()
        seen["first"] = al.is_recording()

    def second():
        first_in.wait(5)
        with al.no_grad():
            second_in.set()
            first_out.wait(5)
        seen["second"] = al.is_recording()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"first": True, "second": True} and al.is_recording()


def test_asyncio_tasks_each_have_their_own_recording_state():
    """A task inside no_grad() does not switch recording off for a task running at the same time."""

    async def quiet(entered, release):
        with al.no_grad():
            entered.set()
            await release.wait()
            return al.is_recording()

    async def loud(entered, release):
        await entered.wait()
        recording = al.is_recording()
        x = Value(2.0)
        (x * x).backward()
        release.set()
        return recording, x.grad

    async def main():
        entered, release = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(quiet(entered, release), loud(entered, release))

    quiet_state, (loud_state, grad) = asyncio.run(main())
    assert quiet_state is False and loud_state is True and grad == 4.0
    assert al.is_recording()


def test_one_manager_reused_in_nested_blocks_restores_recording():
    """ng = no_grad(); with ng: with ng: … leaves recording on afterwards (re-entrant and reusable)."""
    ng = al.no_grad()
    with ng:
        with ng:
            assert not al.is_recording()
        assert not al.is_recording()
    assert al.is_recording()
    with ng:
        assert not al.is_recording()
    assert al.is_recording()


def test_a_block_left_open_at_a_yield_holds_for_the_caller_until_the_generator_leaves_it():
    """A with block is in force from entry to exit, as PyTorch's: a generator paused inside one leaves it open."""

    def numbers():
        with al.no_grad():
            yield al.is_recording()
            yield al.is_recording()

    gen = numbers()
    assert next(gen) is False
    assert not al.is_recording()  # the generator's block is still open
    assert next(gen) is False
    gen.close()  # leaving the block restores the caller's setting
    assert al.is_recording()


@pytest.mark.parametrize("opening", ["direct", "helper", "exit_stack"])
def test_a_decorated_generator_records_nothing_while_it_runs_and_leaves_its_caller_recording(opening):
    """@no_grad() on a generator function holds on every resume and is lifted at every yield, however it is opened."""

    @contextlib.contextmanager
    def quietly():
        with al.no_grad():
            yield

    @al.no_grad()
    def steps(w):
        if opening == "direct":
            yield (w * w).is_leaf
        elif opening == "helper":
            with quietly():
                yield (w * w).is_leaf
        else:
            with contextlib.ExitStack() as stack:
                stack.enter_context(al.no_grad())
                yield (w * w).is_leaf
        yield al.is_recording()

    w = Value(1.0)
    gen = steps(w)
    assert next(gen) is True
    loss = w * -1.0  # the caller records while the generator is paused
    loss.backward()
    assert w.grad == -1.0 and al.is_recording()
    assert next(gen) is False
    gen.close()
    assert al.is_recording()


def test_a_decorated_generator_passes_sent_values_throws_and_its_return_value():
    """The wrapper of a decorated generator forwards send(), throw() and the return value."""

    @al.no_grad()
    def echo():
        received = yield "ready"
        try:
            yield received
        except KeyError:
            yield "caught"
        return "done"

    gen = echo()
    assert next(gen) == "ready"
    assert gen.send(5) == 5
    assert gen.throw(KeyError("k")) == "caught"
    with pytest.raises(StopIteration) as stop:
        next(gen)
    assert stop.value.value == "done" and al.is_recording()


def test_context_managers_built_from_generators_apply_to_their_with_body():
    """@contextmanager wrapping no_grad()/enable_grad() switches recording for the caller's with body, as intended."""

    @contextlib.contextmanager
    def quietly():
        with al.no_grad():
            yield

    @contextlib.contextmanager
    def recording():
        with al.enable_grad():
            yield

    x = Value(2.0)
    with quietly():
        assert not al.is_recording() and (x * x).is_leaf
    assert al.is_recording()
    with al.no_grad(), recording():
        y = x * x
    y.backward()
    assert x.grad == 4.0 and al.is_recording()


def test_no_grad_as_a_decorator_on_functions_and_generators():
    """@no_grad() and @no_grad decorate a function; a decorated generator records nothing only while it runs."""

    @al.no_grad()
    def square(v):
        return v * v

    @al.no_grad
    def cube(v):
        return v * v * v

    @al.no_grad()
    def states():
        yield al.is_recording()

    x = Value(2.0)
    assert square(x).is_leaf and cube(x).is_leaf and square.__name__ == "square"
    gen = states()
    assert next(gen) is False and al.is_recording()
    assert not (x * x).is_leaf


def test_enable_grad_inside_no_grad_and_back():
    """enable_grad() inside no_grad() records; leaving both restores each state in turn."""
    with al.no_grad():
        with al.enable_grad():
            assert al.is_recording() and not (Value(1.0) * 2).is_leaf
        assert not al.is_recording()
    assert al.is_recording()


# -- 2. Non-finite numbers are caught where they start -----------------------------------------------


@pytest.mark.parametrize(
    "compute",
    [
        lambda inf: Value(2.0) + inf,
        lambda inf: inf * Value(2.0),
        lambda inf: Value(2.0) ** inf,
        lambda inf: inf ** Value(2.0),
        lambda inf: al.sum_([Value(1.0), inf]),
        lambda inf: al.dot([Value(1.0)], [inf]),
        lambda inf: Value(1.0) / inf,  # finite result, still refused: the operand is not a real number
    ],
)
@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_non_finite_plain_operands_are_refused(compute, bad):
    """An infinite or nan plain number is refused wherever numbers enter, as Value(inf) is."""
    with pytest.raises(ValueError, match="expected a finite number"):
        compute(bad)


@pytest.mark.parametrize(
    ("start", "build", "gradient", "words"),
    [
        (0.0, lambda x: x.relu() * 1e300 * 1e300, 1.0, r"mul\(0.0, 1e\+300\).*overflows a float"),
        (1.0, lambda x: (x * 1e-320).log(), 1.0, r"log\(1e-320\)"),
        (1e10, lambda x: x * x, 1e300, r"mul\(10000000000.0, 10000000000.0\)"),
    ],
)
def test_a_non_finite_gradient_raises_where_it_starts(start, build, gradient, words):
    """A gradient that would become inf or nan raises NonFiniteGradientError naming the node, and changes no .grad."""
    x = Value(start)
    y = build(x)
    x.grad = 0.5
    with pytest.raises(al.NonFiniteGradientError, match=words):
        y.backward(gradient)
    assert x.grad == 0.5 and all(n.grad == 0.0 for n in al.topological_order(y) if not n.is_leaf)


def test_non_finite_gradients_are_floating_point_errors():
    """NonFiniteGradientError is a FloatingPointError (an ArithmeticError), so builtin handlers catch it."""
    assert issubclass(al.NonFiniteGradientError, FloatingPointError)


def test_grad_and_tape_backward_check_gradients_too():
    """grad(...) and Tape.backward raise the same error as backward() for a gradient that overflows."""
    with pytest.raises(al.NonFiniteGradientError, match=r"mul\("):
        al.grad(lambda x: x.relu() * 1e300 * 1e300)(0.0)
    x = Value(1.0)
    tape = al.compile(x * x)
    with pytest.raises(al.NonFiniteGradientError, match=r"Tape\.backward"):
        tape.backward(1e308)
    assert x.grad == 0.0


def test_seeds_and_tangents_must_be_finite_numbers():
    """backward(gradient), Tape.backward(gradient) and jvp tangents refuse inf, nan and non-numbers."""
    x = Value(1.0)
    y = x * 2
    for bad in (math.inf, math.nan):
        with pytest.raises(ValueError, match="finite"):
            y.backward(bad)
        with pytest.raises(ValueError, match="finite"):
            al.compile(y).backward(bad)
        with pytest.raises(ValueError, match="jvp: tangent 0"):
            al.jvp(lambda v: v * 2, (1.0,), (bad,))
    with pytest.raises(TypeError, match=r"Tape\.backward: gradient must be a number, got str"):
        al.compile(y).backward("a")


@pytest.mark.parametrize("bad", ["2", 1j, math.inf, math.nan, None])
def test_assigning_data_checks_the_number(bad):
    """Value.data = complex, str, inf or nan raises; the Value keeps its number."""
    v = Value(1.0)
    with pytest.raises((TypeError, ValueError), match=r"Value\.data"):
        v.data = bad
    assert v.data == 1.0


def test_assigned_numpy_floats_become_python_floats():
    """A numpy float32 assigned to .data (or given to Value) becomes a Python float, so arithmetic stays float64."""
    numpy = pytest.importorskip("numpy")
    v = Value(numpy.float32(0.1))
    assert type(v.data) is float
    v.data = numpy.float32(0.25)
    assert type(v.data) is float and v.data == 0.25
    assert Value(numpy.bool_(True)).data == 1.0 and Value(True).data == 1.0


# -- 3. Derivatives that are infinite only where they are used ---------------------------------------


def test_the_norm_at_the_origin_has_a_value_and_its_gradient_is_an_error():
    """sqrt(x² + y²) at the origin is 0.0; only backward (or grad) complains, naming sqrt and the point."""
    x, y = Value(0.0), Value(0.0)
    norm = (x * x + y * y).sqrt()
    assert norm.data == 0.0
    with pytest.raises(al.NonFiniteGradientError, match=r"sqrt\(0.0\)"):
        norm.backward()
    with pytest.raises(al.NonFiniteGradientError, match=r"pow_const\(0.0\)"):
        al.grad(lambda v: v**0.5)(0.0)
    assert (Value(0.0) ** 0.5).data == 0.0


def test_a_zero_gradient_through_an_infinite_derivative_adds_nothing():
    """relu kills the gradient before sqrt's infinite slope: the result is exact, not nan."""
    x = Value(0.0)
    y = x.sqrt().relu() * 0.0 + x * 3.0
    y.backward()
    assert x.grad == 3.0
    assert al.grad(lambda v: (v.sqrt() * 0.0) + v)(0.0) == 1.0


def test_forward_mode_raises_where_a_tangent_meets_an_infinite_derivative():
    """Forward mode pushes a non-zero tangent into √x at 0 before any later zero could cancel it: an error."""
    with pytest.raises(al.NonFiniteGradientError, match=r"push_forward: .*sqrt\(0.0\)"):
        al.jvp(lambda v: v.sqrt() * 0.0 + v, (0.0,), (1.0,))


def test_an_infinite_derivative_cannot_be_differentiated_again():
    """The second derivative through √x at 0 raises, naming sqrt, rather than a silent number."""
    with pytest.raises(al.NonFiniteGradientError, match="sqrt"):
        al.grad(al.grad(lambda v: v.sqrt()))(0.0)


# -- 4. Python's own number functions must not drop the derivative ---------------------------------


@pytest.mark.parametrize(
    "convert",
    [float, int, math.sin, lambda v: math.fsum([v]), lambda v: [1, 2][v], complex],
)
def test_converting_a_value_to_a_plain_number_raises(convert):
    """float(v), int(v), math.sin(v), indexing with v: a TypeError saying the derivative would be lost."""
    with pytest.raises(TypeError, match=r"would lose its derivative: use v.item\(\)"):
        convert(Value(1.0))


def test_the_silent_slope_of_0_1_now_raises():
    """x · math.sin(x) gave slope 0.841 instead of 1.382; grad(float(x)·2) gave 0.0. Both raise now."""
    with pytest.raises(TypeError, match=r"autograd_lite\.sin"):
        al.grad(lambda x: x * math.sin(x))(1.0)
    with pytest.raises(TypeError, match="derivative"):
        al.grad(lambda x: float(x) * 2)(1.0)
    assert al.grad(lambda x: x * al.sin(x))(1.0) == pytest.approx(math.sin(1.0) + math.cos(1.0))


# -- 5. Optimizers never corrupt their state --------------------------------------------------------


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


def test_duplicate_and_computed_parameters_are_refused():
    """SGD([w, w]) names the positions; a computed Value is not a parameter."""
    w = Value(1.0)
    with pytest.raises(ValueError, match="parameters 0 and 1 are the same Value"):
        al.SGD([w, w], lr=0.1)
    with pytest.raises(ValueError, match="parameter 0 is a computed Value"):
        al.Adam([w * 2])


# -- 6. Replay refuses a branch it did not record ----------------------------------------------------


def test_replay_guards_max_of_values():
    """compile(max(a, b)·2), then data that changes the winner: BranchChangedError, not the old winner's value."""
    a, b = Value(1.0), Value(2.0)
    tape = al.compile(max(a * 1.0, b * 1.0) * 2.0)
    assert tape.program is not None  # the guards hold in compiled code, the default
    b.data = 1.5
    assert tape.forward() == 3.0
    b.data = 0.5
    with pytest.raises(al.BranchChangedError, match=r"0.5 > 1.0 is now False"):
        tape.forward()


def test_replay_guards_truth_tests_and_comparisons_of_values_the_output_uses():
    """`if v:` and a comparison of a Value that the output is computed from are guarded too."""
    w = Value(1.0)
    z = w * 5.0
    out = z * 2.0 if z > 0 else z * 3.0
    tape = al.compile(out)
    w.data = 2.0
    assert tape.forward() == 20.0
    w.data = -1.0
    with pytest.raises(al.BranchChangedError, match=r"-5.0 > 0 is now False"):
        tape.forward()
    u = Value(3.0)
    d = u - 3.0
    tape = al.compile(d * 2.0 if d else d * 4.0)
    u.data = 3.5
    with pytest.raises(al.BranchChangedError, match="!="):
        tape.forward()


def test_comparisons_inside_no_grad_are_not_guards():
    """Code that does not record keeps no comparisons."""
    w = Value(1.0)
    with al.no_grad():
        assert w > 0
    assert al.guards.guards_of(w) == []


def test_tape_forward_updates_the_output_and_refuses_nan_seeds():
    """Tape.forward() writes the output Value's .data; Tape.backward(nan) raises."""
    w = Value(1.0)
    out = w * 3.0
    tape = al.compile(out)
    w.data = 2.0
    tape.forward()
    assert out.data == 6.0
    with pytest.raises(ValueError, match="finite"):
        tape.backward(math.nan)


def test_leaf_comparisons_do_not_pile_up_over_a_training_loop():
    """A parameter compared in every step keeps a bounded list of comparisons (old graphs are not kept alive)."""
    w = Value(1.0)
    for _ in range(500):
        u = Value(2.0) * 1.0
        max(w, u)
        assert w > 0
    assert len(al.guards.guards_of(w)) < 10


# -- 7. Numeric checks that say what went wrong ------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: al.numeric_grad(lambda x: x * x, 1e300), OverflowError, r"mul: the result is too large"),
        (lambda: al.numeric_grad(lambda x: x * x, 1.0, eps=1e-20), ValueError, "x ± step rounds to x"),
        (lambda: al.numeric_grad(lambda x: x * x, 1.0, eps=math.nan), ValueError, "eps must be a finite number"),
        (lambda: al.gradcheck(lambda x: x * x, 1.0, atol=-1.0), ValueError, "atol must be a finite number >= 0"),
        (lambda: al.gradcheck(lambda x: x * x, 1.0, rtol=math.nan), ValueError, "rtol must be a finite number"),
        (lambda: al.numeric_grad(lambda x: x.log(), 5e-7), ValueError, "step .* leaves the function's domain"),
        (lambda: al.gradcheck(lambda x: x.sqrt(), 5e-7), ValueError, "x0 = 5e-07.*smaller eps"),
    ],
)
def test_numeric_checks_explain_bad_steps_and_settings(call, error, words):
    """numeric_grad and gradcheck refuse settings and steps that would give a meaningless slope."""
    with pytest.raises(error, match=words):
        call()


def test_gradcheck_adapts_its_step_to_the_functions_scale():
    """sin at 1e10: eps·|x| = 1e4 is far too coarse; a smaller step agrees with the exact slope."""
    assert al.gradcheck(lambda x: x.sin(), 1e10)
    assert al.gradcheck(lambda x: (x * 1e-8).sin() * x, 3e9)


def test_gradcheck_still_catches_a_wrong_slope():
    """A wrong exact slope is still reported as a mismatch, whatever the step."""
    with pytest.raises(al.GradcheckError, match="mismatch"):
        al.gradcheck(lambda x: x.relu(), 0.0)


# -- 8. Errors that speak autograd_lite --------------------------------------------------------------


def _draw_dir(tmp_path):
    return tmp_path / "missing" / "g.svg"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: al.jvp(lambda x: x, 3.0, 1.0), TypeError, r"jvp: primals must be a tuple or list"),
        (lambda: al.grad(lambda x: x, argnums=1.0)(1.0), TypeError, r"grad: argnums must be an int"),
        (lambda: al.Adam([Value(1.0)], betas=(0.9,)), ValueError, r"Adam: betas must be a pair"),
        (lambda: al.nn.MLP(2, 1), TypeError, r"MLP: nouts must be a list of layer sizes"),
        (lambda: al.compile(Value(1.0) * 2).backward("a"), TypeError, r"Tape.backward: gradient must be a number"),
        (lambda: al.nn.mse(Value(1.0), 2.0), TypeError, r"mse: predictions must be a list"),
        (lambda: al.viz.to_dot(3.0), TypeError, r"to_dot: expected the Value"),
        (lambda: al.viz.to_text(3.0), TypeError, r"to_text: expected the Value"),
        (lambda: al.viz.draw(3.0, "g.svg"), TypeError, r"draw: expected the Value"),
        (lambda: al.viz.to_dot(Value(1.0), names={Value(1.0): 42}), TypeError, r"to_dot: names must map Values"),
        (lambda: al.hessian(lambda x: x[0] * x[0])([1.0, "2"]), TypeError, r"hessian: argument 0\[1\] must be a"),
        (lambda: al.hessian(lambda x: x)(), ValueError, r"hessian: .*nothing to differentiate"),
        (lambda: al.jacobian(lambda x: x)(), ValueError, r"jacobian: .*nothing to differentiate"),
        (lambda: al.hessian(lambda x: [x, x])(1.0), TypeError, r"^hessian: the function must return a scalar"),
        (lambda: al.softplus(math.inf), ValueError, r"^softplus: expected a finite number"),
        (lambda: (Value(1e308) * 10.0).softplus(), OverflowError, r"^mul: the result is too large"),  # not sigmoid
        (lambda: Value(10**400), OverflowError, r"^Value: the int \(\d+ bits\) is too large for a float"),
    ],
)
def test_errors_name_the_autograd_lite_function(call, error, words):
    """Each call that used to raise a bare Python error names the function and what it expected."""
    with pytest.raises(error, match=words):
        call()


def test_all_losses_accept_the_same_inputs():
    """hinge, mse and both binary cross-entropies all take plain numbers or Values as predictions."""
    nn = al.nn
    for loss, targets in ((nn.hinge, [1]), (nn.mse, [1.0]), (nn.binary_cross_entropy, [1]),
                          (nn.binary_cross_entropy_with_logits, [1])):  # fmt: skip
        assert isinstance(loss([1.0], targets), Value)
        assert loss([1.0], targets).data == loss([Value(1.0)], targets).data


def test_comparisons_with_huge_ints_are_exact():
    """Value(2.0) < 10**400 compares like Python's float < int: exactly, without an overflow."""
    assert Value(2.0) < 10**400 and not Value(2.0) > 10**400


def test_draw_into_a_missing_directory_says_so(tmp_path):
    """draw() into a directory that does not exist raises FileNotFoundError naming draw, before needing Graphviz."""
    with pytest.raises(FileNotFoundError, match="draw: the directory"):
        al.viz.draw(Value(1.0), _draw_dir(tmp_path))


def test_dot_labels_escape_braces():
    """Names with { and } are escaped, so the DOT text stays valid."""
    x = Value(1.0)
    text = al.viz.to_dot(x * 2, names={x: "{x}|<y>"})
    assert "\\{x\\}\\|\\<y\\>" in text


def test_nn_and_viz_are_reachable_and_compile_is_documented():
    """al.nn and al.viz after `import autograd_lite`; compile shows in help(autograd_lite)."""
    code = (
        "import autograd_lite as al, pydoc; al.nn.MLP; al.viz.to_dot; "
        "text = pydoc.render_doc(al, renderer=pydoc.plaintext); "
        "assert 'compile(output' in text.split('FUNCTIONS')[1], 'compile missing'; print('ok')"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "ok\n"


def test_testing_module_says_which_extra_to_install(tmp_path):
    """import autograd_lite.testing without hypothesis says to install the test extra."""
    blocker = tmp_path / "hypothesis"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('no hypothesis here')\n")
    code = "import autograd_lite.testing"
    env_path = f"{tmp_path}"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": env_path, "PATH": ""}
    )
    assert result.returncode != 0 and "install the test extra" in result.stderr

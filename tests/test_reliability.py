"""No silent wrong number: every way 0.1.0 could give a wrong derivative without an error, each as a test.

The sections follow the reliability issue: recording state, non-finite numbers,
infinite derivatives, float conversion, optimizers, guarded replay, numeric
checks, and errors that name the autograd_lite function.
"""

import math
import subprocess
import sys

import pytest

import autograd_lite as al
from autograd_lite import Value

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
    """hinge, mse and binary_cross_entropy all take plain numbers or Values as predictions."""
    for loss, targets in ((al.nn.hinge, [1]), (al.nn.mse, [1.0]), (al.nn.binary_cross_entropy, [1])):
        assert isinstance(loss([1.0], targets), Value)
        assert loss([1.0], targets).data == loss([Value(1.0)], targets).data


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

"""The examples run as scripts and print the figures they promise."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run_example(name, *args, env=None):
    """Run examples/NAME as a script (with this checkout importable) and return what it printed."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True, text=True, timeout=300, check=False, env=environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_fit_line_reaches_two_and_checks_every_slope():
    """fit_line.py: slope negative at w = 1, positive at w = 3, every slope agrees, w ends within 1e-6 of 2."""
    out = run_example("fit_line.py")
    assert re.search(r"at w = 1: loss = 4\.6667, slope = -9\.3333\s+->\s+increase w", out)
    assert re.search(r"at w = 3: loss = 4\.6667, slope = \+9\.3333\s+->\s+decrease w", out)
    final = float(re.search(r"w = (\d\.\d+) \(the true slope", out).group(1))
    assert final == pytest.approx(2.0, abs=1e-6)
    assert "NO" not in out and "Every exact slope agreed" in out


def test_higher_order_newton_lands_in_one_step():
    """higher_order.py: one Newton step reaches w = 2 exactly; Taylor series and Hessian checks pass."""
    out = run_example("higher_order.py")
    assert "one step: w = 2.0, slope there = 0.0" in out
    assert "derivatives at 0: [0.0, 1.0, 0.0, -1.0, 0.0, 1.0, 0.0, -1.0, 0.0, 1.0]" in out
    assert "All checks passed." in out


def test_derivatives_shows_slopes_as_rise_over_run():
    """derivatives.py: slope 2 for 2x + 1; 2.1 for x² at 1 with Δx = 0.1, approaching 2; 4, 0, −2 at 2, 0, −1."""
    out = run_example("derivatives.py")
    assert "slope = Δy/Δx = 2\n" in out
    assert "[2.0, 2.0, 2.0, 2.0]: the same slope everywhere" in out
    assert re.search(r"Δx = 0\.1\s+Δy = 0\.21\s+Δy/Δx = 2\.1000", out)
    assert re.search(r"Δx = 0\.0001\s+Δy = 0\.00020001\s+Δy/Δx = 2\.0001", out)
    assert re.search(r"x =\s+2: d/dx x² =\s+4\s+increasing", out)
    assert re.search(r"x =\s+0: d/dx x² =\s+0\s+flat", out)
    assert re.search(r"x =\s+-1: d/dx x² =\s+-2\s+decreasing", out)


def table_rows(out):
    """(N, method) -> (forward per step, backward per step, steps, forward passes, reached) from why_gradients.py."""
    rows = {}
    pattern = (r"^\s+(\d+)\s+(gradient descent|finite differences|trial and error)\s+(\S+)\s+(\d+)\s+(\d+)"
               r"\s+(>?\d+)\s+[\d.]+\s+(yes|no)")
    for m in re.finditer(pattern, out, re.MULTILINE):
        rows[int(m.group(1)), m.group(2)] = (m.group(3), int(m.group(4)), int(m.group(5)), m.group(6), m.group(7))
    return rows


def test_why_gradients_counts_evaluations():
    """why_gradients.py: gradients cost 1 forward + 1 backward per step; the others 2N and N+1..2N+1 forward passes."""
    sizes = [1, 2, 10, 30]
    out = run_example("why_gradients.py", "--sizes", ",".join(map(str, sizes)), "--budget", "20")
    rows = table_rows(out)
    assert len(rows) == 3 * len(sizes)
    for n in sizes:
        gd = rows[n, "gradient descent"]
        fd = rows[n, "finite differences"]
        te = rows[n, "trial and error"]
        assert (float(gd[0]), gd[1], gd[4]) == (1.0, 1, "yes")
        assert (float(fd[0]), fd[1], fd[4]) == (2.0 * n, 0, "yes")
        assert n + 1 <= float(te[0]) <= 2 * n + 1 and te[1] == 0 and te[4] == "yes"
        # Reaching the same loss takes more forward passes without gradients, more so as N grows.
        assert fd[2] == gd[2] and int(fd[3]) == 2 * n * fd[2]  # the same descent, slopes measured the slow way
        assert int(te[3]) > int(gd[3])
    assert int(rows[30, "trial and error"][3]) > 10 * int(rows[30, "gradient descent"][3])


def test_why_gradients_shows_the_zigzag():
    """why_gradients.py: plain descent flips direction across the valley every step; momentum and Adam much less."""
    out = run_example("why_gradients.py", "--sizes", "1")
    flips = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s+(\w[\w .()]+?)\s{2,}(\d+)\s+\d+$", out, re.M)}
    gd = next(v for k, v in flips.items() if k.startswith("gradient descent"))
    momentum = next(v for k, v in flips.items() if k.startswith("momentum"))
    adam = next(v for k, v in flips.items() if k.startswith("Adam"))
    assert gd == 49 and momentum < gd / 2 and adam < gd / 2


def test_landscape_walks_downhill_to_two():
    """landscape.py: slopes negative left of w = 2, and the path ends near 2."""
    out = run_example("landscape.py")
    steps = re.findall(r"^\s+\d+\s+(-?\d\.\d+)\s+(\d+\.\d+)\s+([+-]\d+\.\d+)", out, re.M)
    assert len(steps) == 13
    ws = [float(w) for w, _, _ in steps]
    losses = [float(loss) for _, loss, _ in steps]
    assert all(float(slope) < 0 for _, _, slope in steps)
    assert ws == sorted(ws) and losses == sorted(losses, reverse=True)
    assert abs(ws[-1] - 2.0) < 0.01


def has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize(
    ("name", "args"), [("landscape.py", []), ("why_gradients.py", ["--sizes", "1,2", "--budget", "1"])]
)
def test_examples_save_png_when_matplotlib_is_installed(name, args, tmp_path):
    """With the plot extra installed, the examples write a PNG; without it they say how to get one."""
    png = tmp_path / "picture.png"
    out = run_example(name, *args, "--png", str(png))
    if not has_matplotlib():
        assert "matplotlib is not installed" in out and not png.exists()
        pytest.skip("matplotlib is not installed (the 'plot' extra)")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"Saved the picture to {png}" in out


def test_moons_reaches_full_training_accuracy():
    """moons.py: the MLP separates the two moons (100% training accuracy) and draws the boundary."""
    out = run_example("moons.py", "--no-png")
    assert re.search(r"final loss \d\.\d+, training accuracy 100\.0%", out)
    assert "step  100/100" in out
    assert "Decision boundary" in out and out.count("o") > 40 and out.count("x") > 40


def test_draw_graph_prints_the_tree_and_the_gradients():
    """draw_graph.py: the neuron's gradients are the textbook ones; the hint names a path outside the repository's."""
    out = run_example("draw_graph.py")
    assert "gradients: {'x1': -1.5, 'x2': 0.5, 'w1': 1.0, 'w2': 0.0, 'b': 0.5}" in out
    assert out.splitlines()[0].startswith("tanh  data=0.7071  grad=1")
    assert "pass --out neuron.png" in out and "examples/pictures" not in out  # not the committed picture


def test_draw_graph_draws_the_picture_with_graphviz(tmp_path):
    """draw_graph.py --out PATH: with Graphviz there, the picture is saved and the script succeeds."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    picture = tmp_path / "neuron.svg"
    out = run_example("draw_graph.py", "--out", str(picture))
    assert f"Saved the picture to {picture}" in out and picture.read_text().lstrip().startswith("<?xml")


def test_draw_graph_fails_clearly_without_graphviz(tmp_path):
    """draw_graph.py --out PATH without Graphviz: the tree is printed, then status 1 and how to install it."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": str(tmp_path)}  # no dot on this PATH
    result = subprocess.run([sys.executable, str(EXAMPLES / "draw_graph.py"), "--out", str(tmp_path / "neuron.svg")],
                            capture_output=True, text=True, timeout=300, check=False, env=environment)
    assert result.returncode == 1
    assert "gradients: {'x1': -1.5" in result.stdout
    assert "no picture drawn" in result.stderr and "apt-get install graphviz" in result.stderr
    assert not (tmp_path / "neuron.svg").exists()


@pytest.fixture(scope="module")
def curve_fit_output():
    """What examples/curve_fit.py prints (run once for the tests below)."""
    pytest.importorskip("scipy", reason="curve_fit.py compares with scipy: the scipy extra")
    return run_example("curve_fit.py")


def test_curve_fit_reaches_the_published_puromycin_fit_with_fewer_evaluations(curve_fit_output):
    """curve_fit.py: every exact-derivative method reaches Vmax ≈ 212.7, K ≈ 0.0641; BFGS needs fewer calls of f."""
    out = curve_fit_output
    rows = {
        m.group(1).strip(): (float(m.group(2)), float(m.group(3)), int(m.group(4)))
        for m in re.finditer(r"^  (\S.{25}) +(\d+\.\d+) +(\d\.\d+) +\d+\.\d+ +(\d+)", out, re.M)
    }
    assert len(rows) == 5, out
    for name in ("Adam, exact gradient", "BFGS, exact gradient", "Newton-CG, exact H·p", "trust-ncg, exact H·p"):
        vmax, k, _ = rows[name]
        assert f"{vmax:.3g} {k:.3g}" == "213 0.0641", (name, vmax, k)
    assert rows["BFGS, exact gradient"][2] < rows["BFGS, finite differences"][2]
    assert "CHECK FAILED" not in out


CURVE_FIT_ROW = re.compile(
    r"^  (?P<method>\S.*?\S) +(?P<vmax>\d+\.\d+) +(?P<k>\d\.\d+) +(?P<rss>\d+\.\d+) +(?P<f>\d+)"
    r" +(?P<g>\d+|\(in f\)) +(?P<hp>\d+)  (?P<converged>yes|no: .+)$",
    re.M,
)


def curve_fit_rows(text):
    """method -> its row of curve_fit.py's table, as a dict of the columns' text."""
    return {m["method"]: m.groupdict() for m in CURVE_FIT_ROW.finditer(text)}


def readme_curve_fit():
    """The README's quote of curve_fit.py: the scipy version it names, its table, and the sentence after it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("`examples/curve_fit.py` fits")
    quote = re.compile(r"Its real output, with scipy (\d+\.\d+) .*?:\n\n```\n(.*?)```\n\n(.*?)\n", re.S)
    m = quote.match(readme, readme.index("Its real output", start))
    assert m, "README: the curve_fit.py quote is not where it was"
    return m.group(1), m.group(2), m.group(3)


def test_readme_quotes_the_fits_curve_fit_prints(curve_fit_output):
    """README: the curve-fit table has the methods the example prints, with the same fits (numbers of our own)."""
    _, table, _ = readme_curve_fit()
    quoted, printed = curve_fit_rows(table), curve_fit_rows(curve_fit_output)
    assert list(quoted) == list(printed) and len(printed) == 5
    for method, row in printed.items():
        assert (quoted[method]["vmax"], quoted[method]["k"], quoted[method]["rss"]) == (
            row["vmax"], row["k"], row["rss"]
        ), method
    assert quoted["Adam, exact gradient"] == printed["Adam, exact gradient"]  # no scipy in it: every column


def test_readme_quotes_the_evaluation_counts_curve_fit_prints(curve_fit_output):
    """README: every column of the curve-fit table, and the counts in the sentence after it, are the example's."""
    import scipy

    version, table, sentence = readme_curve_fit()
    installed = ".".join(scipy.__version__.split(".")[:2])
    if installed != version:
        pytest.skip(f"the README quotes a run with scipy {version}, this is scipy {installed}: scipy's counts differ")
    printed = curve_fit_rows(curve_fit_output)
    assert curve_fit_rows(table) == printed, "README: rerun python examples/curve_fit.py and quote its table"
    counts = re.search(r"exact gradient needs (\d+) function evaluations; on its own finite differences, (\d+),",
                       sentence)
    assert counts, sentence
    assert counts.groups() == (printed["BFGS, exact gradient"]["f"], printed["BFGS, finite differences"]["f"])


def test_custom_primitive_computes_the_greeks_both_ways():
    """custom_primitive.py: Black–Scholes greeks from grad, with erf and with a user row, match the closed forms."""
    out = run_example("custom_primitive.py")
    assert "CHECK FAILED" not in out
    gamma = re.search(r"^  gamma +(\S+) +(\S+) +(\S+)$", out, re.M)
    assert gamma is not None and len({gamma.group(1), gamma.group(2), gamma.group(3)}) == 1


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("fit_line.py", []), ("derivatives.py", []), ("higher_order.py", []), ("landscape.py", []),
        ("why_gradients.py", ["--sizes", "1,2", "--budget", "1"]), ("moons.py", ["--steps", "3"]),
        ("draw_graph.py", []), ("custom_primitive.py", []),
    ],
)
def test_examples_write_no_file_unless_asked(name, args, tmp_path):
    """Run from any directory, an example leaves no file behind unless given --png, --out or --save."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=tmp_path, capture_output=True, text=True,
                   timeout=300, check=False, env=environment)
    assert list(tmp_path.iterdir()) == []


def test_moons_saves_and_loads_its_weights_and_reports_the_model_it_prints(tmp_path):
    """--save writes the state_dict as JSON, --load --steps 0 gives the same accuracy; the last step line is final."""
    saved = tmp_path / "model.json"
    trained = run_example("moons.py", "--steps", "100", "--save", str(saved))
    last = re.findall(r"step +100/100 +loss (\d\.\d+) +accuracy +(\d+\.\d)%", trained)
    assert last and last[-1] == re.search(r"final loss (\d\.\d+), training accuracy (\d+\.\d)%", trained).groups()
    state = json.loads(saved.read_text())
    assert len(state) == 337 and "layers.0.neurons.3.w.1" in state and "layers.2.neurons.0.b" in state
    loaded = run_example("moons.py", "--steps", "0", "--load", str(saved))
    final = re.compile(r"final loss (\d\.\d+), training accuracy (\d+\.\d)%")
    assert final.search(trained).groups() == final.search(loaded).groups()


def test_oscillator_fit_finds_the_truth_three_ways():
    """oscillator_fit.py: finite differences, eager gradients and jit each recover ω = 2, ζ = 0.1."""
    out = run_example("oscillator_fit.py", "--steps", "200")
    found = re.findall(r"^\s+(finite differences|eager value_and_grad|jit, python)\s+ω = ([\d.]+), ζ = ([\d.]+)", out,
                       re.MULTILINE)  # fmt: skip
    assert [name for name, _, _ in found] == ["finite differences", "eager value_and_grad", "jit, python"]
    for _, omega, zeta in found:
        assert float(omega) == pytest.approx(2.0, abs=1e-5) and float(zeta) == pytest.approx(0.1, abs=1e-5)

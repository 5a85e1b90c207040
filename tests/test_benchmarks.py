"""The benchmark workloads, at small sizes: every implementation computes the same value and gradients."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import run as bench
import workloads


@pytest.mark.parametrize("workload", workloads.workloads(), ids=lambda w: w.name)
def test_every_implementation_agrees_with_hand_written_code(workload):
    """Each library's value and gradients match the hand-written derivative code to 1e-9."""
    results = {}
    for name, make in workload.implementations.items():
        run = make(workload.small_size)
        run.run()
        results[name] = run.result()
    reference = results["hand-written"]
    assert len(results) >= 2
    for name, result in results.items():
        assert bench.agree(reference, result), name


def test_agree_catches_a_wrong_gradient():
    """The agreement check would fail for a gradient off by a little."""
    assert bench.agree((1.0, [2.0, 3.0]), (1.0, [2.0, 3.0 + 1e-12]))
    assert not bench.agree((1.0, [2.0, 3.0]), (1.0, [2.0, 3.0001]))
    assert not bench.agree((1.0, [2.0]), (1.0001, [2.0]))


def test_the_runner_prints_a_table(capsys, tmp_path):
    """run.py --quick times every workload and writes JSON with a ratio per implementation."""
    out_json = tmp_path / "results.json"
    bench.main(["--quick", "--repeat", "1", "--only", "line", "--json", str(out_json)])
    printed = capsys.readouterr().out
    assert "line fit" in printed and "hand-written" in printed and "×" in printed
    import json

    report = json.loads(out_json.read_text())
    impls = report["workloads"][0]["implementations"]
    assert impls["hand-written"]["ratio_median"] == 1.0
    ours, reference = impls["autograd_lite"], impls["hand-written"]
    assert ours["ratio_median"] == pytest.approx(ours["median_s"] / reference["median_s"])  # one round: a time ratio


def test_the_profile_says_where_the_time_goes(capsys):
    """run.py --profile prints each phase of one step, eager and compiled, with the collector's share."""
    assert bench.main(["--profile", "chain", "--quick", "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    for phase in ("record the graph (collector on)", "order the graph", "backward()", "Python's compile()",
                  "compiled: forward()", "compiled: backward()", "the cycle collector's share"):
        assert phase in printed, phase


def test_the_jit_benchmarks_check_their_numbers_and_print_four_tables(capsys):
    """benchmarks/jit.py --quick: a gradient in plain evaluations, compiling, scipy fits, vmap; each checked first."""
    import jit as jit_bench

    numbers = jit_bench.report(quick=True, repeat=1, with_dask=False)
    printed = capsys.readouterr().out
    for title in ("A gradient in evaluations of the plain function", "Compiling", "scipy.optimize.minimize",
                  "Black-Scholes price and 5 greeks"):  # fmt: skip
        assert title in printed
    rows = {row["workload"]: row for row in numbers["gradients"]}
    assert set(rows) == {"line fit", "Black-Scholes", "MLP 2-16-16-1", "RK4 50 steps"}
    assert all(row["jit python"] > 0 and row["finite differences"] == row["inputs"] + 1 for row in rows.values())
    assert [fit["parameters"] for fit in numbers["scipy"]] == [2, 10]
    two = numbers["scipy"][0]
    assert two["jit error"] < 1e-4 and two["finite differences error"] < 1e-4  # both fits find the truth

"""The examples run as scripts and print the figures they promise."""

import os
import re
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

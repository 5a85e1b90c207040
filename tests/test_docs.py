"""Documentation examples exist where promised (pytest runs them with --doctest-modules/-glob)."""

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "autograd_lite",
    "autograd_lite.engine",
    "autograd_lite.functional",
    "autograd_lite.numeric",
    "autograd_lite.optim",
    "autograd_lite.testing",
]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_runnable_examples(name):
    """Each public module's docstrings hold >>> examples, and they pass."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_readme_examples_run():
    """The README's >>> session runs and has a fair number of examples."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 15


def test_every_public_name_has_a_docstring():
    """Everything exported from autograd_lite says what it is."""
    import autograd_lite

    for name in autograd_lite.__all__:
        obj = getattr(autograd_lite, name)
        if callable(obj) or isinstance(obj, type):
            assert obj.__doc__ and obj.__doc__.strip(), name

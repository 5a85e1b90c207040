"""Documentation examples exist where promised (pytest runs them with --doctest-modules/-glob)."""

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "autograd_lite",
    "autograd_lite.engine",
    "autograd_lite.functions",
    "autograd_lite.primitives",
    "autograd_lite.functional",
    "autograd_lite.higher",
    "autograd_lite.solvers",
    "autograd_lite.taylor",
    "autograd_lite.grad_mode",
    "autograd_lite.tree",
    "autograd_lite.numeric",
    "autograd_lite.optim",
    "autograd_lite.nn",
    "autograd_lite.explain",
    "autograd_lite.viz",
    "autograd_lite.replay",
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


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_has_a_docstring(module_name):
    """Everything a module exports (its __all__), and every public method of its classes, says what it is."""
    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if callable(obj) or isinstance(obj, type):
            assert obj.__doc__ and obj.__doc__.strip(), f"{module_name}.{name}"
        if isinstance(obj, type) and obj.__module__ == module_name:
            for attribute, member in vars(obj).items():
                if not attribute.startswith("_") and callable(member):
                    assert member.__doc__ and member.__doc__.strip(), f"{module_name}.{name}.{attribute}"


def test_the_docs_site_lists_every_module():
    """docs/api has a page per public module, and mkdocs.yml puts each in the navigation."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for name in MODULES[1:]:
        page = f"api/{name.split('.')[-1]}.md"
        assert (ROOT / "docs" / page).is_file() and page in nav, page

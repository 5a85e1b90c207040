"""The installed package: what `import autograd_lite` reaches and documents, and what each optional part needs."""

import subprocess
import sys


def test_importing_the_package_does_not_need_hypothesis():
    """Only autograd_lite.testing imports hypothesis."""
    code = "import sys, autograd_lite; assert 'hypothesis' not in sys.modules; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_nn_and_viz_are_reachable_and_compile_is_documented():
    """al.nn and al.viz after `import autograd_lite`; help(autograd_lite) says how to call al.compile."""
    code = (
        "import autograd_lite as al, pydoc; al.nn.MLP; al.viz.to_dot; "
        "text = pydoc.render_doc(al, renderer=pydoc.plaintext); "
        "assert 'al.compile(output)' in text, 'compile missing'; print('ok')"
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


def test_the_version_is_the_same_everywhere_and_has_a_changelog_entry():
    """__version__, pyproject.toml and the newest CHANGELOG heading name the same release."""
    import pathlib
    import re

    import autograd_lite as al

    root = pathlib.Path(__file__).resolve().parent.parent
    pyproject = re.search(r'^version = "([^"]+)"', (root / "pyproject.toml").read_text(), re.M)
    changelog = re.search(r"^## (\S+)", (root / "CHANGELOG.md").read_text(), re.M)
    assert pyproject is not None and changelog is not None
    assert al.__version__ == pyproject.group(1) == changelog.group(1)

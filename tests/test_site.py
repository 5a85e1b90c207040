"""The API reference site: built from this checkout, it has an entry for every public name and none for internals.

Needs the docs extra (``pip install -e '.[docs]'``); without it the tests skip.
The site is built once, strictly (a broken link fails), into a temporary directory.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import autograd_lite
from autograd_lite import Value

ROOT = Path(__file__).resolve().parent.parent

# Helpers the package's modules share, which the site must not present as public API.
PRIVATE = {"evaluate", "apply", "checked_chain_rule", "data_of", "CollectorPaused"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the site; return {page path: the ids of its elements} for the API pages, and the pages' HTML."""
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        pytest.importorskip(module, reason="building the site needs the docs extra: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("site")
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(ROOT / "mkdocs.yml")]
    result = subprocess.run(
        [*command, "-d", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False, env=environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in (out / "api").rglob("*.html")}
    assert "api/index.html" in pages and "api/engine/index.html" in pages
    return pages


def api_ids(pages):
    """Every id of an API entry (``autograd_lite.engine.Value.exp``) on the API pages."""
    return {i for html in pages.values() for i in re.findall(r'\bid="(autograd_lite(?:\.[^"]+)?)"', html)}


def test_every_public_name_of_the_package_has_an_entry(site):
    """Each name of autograd_lite.__all__ is documented in the module that defines it (a module, on its own page)."""
    ids = api_ids(site)
    public = [name for name in autograd_lite.__all__ if not name.startswith("_")]
    missing = [
        name for name in public
        if not any(re.fullmatch(rf"autograd_lite(\.[a-z_]+)?\.{re.escape(name)}", i) for i in ids)
    ]
    assert not missing, f"no entry on the site for {missing}"


def test_every_public_value_method_has_an_entry(site):
    """Value's methods (those made from a row, like exp and tanh, too) and its public attributes each have one."""
    ids = api_ids(site)
    prefix = f"{Value.__module__}.Value"
    public = [name for name in dir(Value) if not name.startswith("_")]
    assert {"exp", "tanh", "relu", "backward", "item", "grad", "data"} <= set(public)
    missing = [name for name in public if f"{prefix}.{name}" not in ids]
    assert not missing, f"no entry for Value.{missing}"


def test_no_internal_helper_has_an_entry(site):
    """Nothing starting with an underscore, and none of the shared helpers, appears as an entry."""
    shown = sorted(
        i for i in api_ids(site)
        if any(part in PRIVATE or part.startswith("_") for part in i.split(".")[1:])
    )
    assert not shown, f"internals on the site: {shown}"
    assert len(api_ids(site)) > 150  # the check above looked at a real site


def test_names_in_docstrings_and_signatures_link_to_their_entries(site):
    """`Value` and `grad` in the package docstring are links to their entries, and so are annotations."""
    index = site["api/index.html"]
    assert re.search(r'<a [^>]*href="engine/#autograd_lite\.engine\.Value"[^>]*><code>Value</code></a>', index)
    assert re.search(r'<a [^>]*href="functional/#autograd_lite\.functional\.grad"[^>]*><code>grad</code></a>', index)
    engine = site["api/engine/index.html"]
    assert re.search(r'<a [^>]*href="#autograd_lite\.engine\.Value"[^>]*>Value</a>', engine)  # `-> Value`


def test_the_package_docstring_example_is_code(site):
    """The example at the end of the package docstring shows as a code block, not as nested quotes."""
    index = site["api/index.html"]
    assert "<blockquote>" not in index
    assert re.search(r'<div class="highlight"><pre>.*?&gt;&gt;&gt; .*?gradcheck', index, re.S)

"""examples/tutorial.ipynb runs from a clean kernel, and its committed outputs are the ones it gives now."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook extra: pip install '.[notebook]'")
pytest.importorskip("nbclient", reason="the notebook extra: pip install '.[notebook]'")
pytest.importorskip("ipykernel", reason="the notebook extra: pip install '.[notebook]'")
pytest.importorskip("matplotlib", reason="the notebook extra: pip install '.[notebook]'")

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "tutorial.ipynb"


def text_outputs(notebook):
    """Per code cell, what it printed and the plain text of what it showed (pictures aside: they vary by version)."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stdout":
                texts.append(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                texts.append(output.data.get("text/plain", ""))
            elif output.output_type == "error":
                texts.append(f"ERROR {output.ename}: {output.evalue}")
        cells.append(texts)
    return cells


def test_the_tutorial_runs_and_its_saved_outputs_are_current():
    """Run the committed notebook again from a clean kernel: no error, and the same text outputs as committed."""
    import sys

    sys.path.insert(0, str(NOTEBOOK.parent))
    from make_tutorial import build, run

    committed = nbformat.read(NOTEBOOK, as_version=4)
    assert [c.source for c in committed.cells] == [c.source for c in build().cells], (
        "the notebook differs from examples/make_tutorial.py: run python examples/make_tutorial.py"
    )
    fresh = run(nbformat.read(NOTEBOOK, as_version=4), NOTEBOOK.parent)
    assert text_outputs(fresh) == text_outputs(committed)
    assert not [c.id for c in fresh.cells if "execution" in c.metadata], "a run records no timings"
    shown = [o for c in committed.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/svg+xml" in o.get("data", {}) or "text/html" in o.get("data", {}) for o in shown)
    assert any("image/png" in o.get("data", {}) for o in shown)


def test_rewriting_an_unchanged_tutorial_changes_nothing():
    """make_tutorial.py builds the same notebook every time (ids from the cells), and the saved one has no timings."""
    import sys

    sys.path.insert(0, str(NOTEBOOK.parent))
    from make_tutorial import build

    first, second = build(), build()
    assert nbformat.writes(first) == nbformat.writes(second)
    assert len({c.id for c in first.cells}) == len(first.cells)
    committed = nbformat.read(NOTEBOOK, as_version=4)
    assert [c.id for c in committed.cells] == [c.id for c in first.cells], (
        "the notebook's cell ids are not the ones make_tutorial.py gives: run python examples/make_tutorial.py"
    )
    assert not [c.id for c in committed.cells if "execution" in c.metadata], "timings saved in the notebook"

"""Pictures of the graph: DOT text, the terminal tree, and files drawn by Graphviz."""

import html
import re
import shutil

import pytest

from autograd_lite import Value, viz


def small_graph():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a  # a is used twice
    e = d.tanh()
    e.backward()
    return a, b, e


def test_dot_has_one_node_per_value_and_one_edge_per_parent():
    """For e = tanh(a·b + a): 5 Values (a, b, a·b, +, tanh) and 5 edges (a twice)."""
    a, b, e = small_graph()
    text = viz.to_dot(e, names={a: "a", b: "b"})
    assert text.startswith("digraph") and text.rstrip().endswith("}")
    nodes = re.findall(r"^\s+(n\d+) \[label=", text, re.M)
    edges = re.findall(r"^\s+(n\d+) -> (n\d+);", text, re.M)
    assert len(nodes) == 5 and len(edges) == 5
    assert {"{ a |", "{ b |", "{ * |", "{ + |", "{ tanh |"} <= {m for m in re.findall(r"\{ \S+ \|", text)}
    assert "grad 1 }" in text  # the output's gradient


def test_dot_labels_escape_braces():
    """Names with { and } are escaped, so the DOT text stays valid."""
    x = Value(1.0)
    text = viz.to_dot(x * 2, names={x: "{x}|<y>"})
    assert "\\{x\\}\\|\\<y\\>" in text


def test_text_tree_marks_shared_subexpressions():
    """to_text draws a shared Value once, then refers back to it."""
    a, b, e = small_graph()
    text = viz.to_text(e, names={a: "a", b: "b"})
    assert text.splitlines()[0].startswith("tanh")
    assert text.count("a  data=2") == 1 and "[#1]" in text and "(#1, shown above)" in text


def test_text_tree_of_a_deep_chain_is_cut_not_recursed():
    """A 5,000-deep chain prints without recursion, cut at max_depth."""
    x = Value(1.0)
    y = x
    for _ in range(5_000):
        y = y * 1.0001
    lines = viz.to_text(y, max_depth=10).splitlines()
    assert any(line.strip().endswith("└── …") for line in lines) and len(lines) < 40


def test_draw_explains_how_to_get_graphviz(monkeypatch, tmp_path):
    """Without the dot program, draw raises an error that says how to install it."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        viz.draw(small_graph()[2], tmp_path / "graph.svg")


def test_draw_refuses_unknown_formats(tmp_path):
    """The file suffix picks the format; others are refused before anything runs."""
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.pdf"):
        viz.draw(small_graph()[2], tmp_path / "graph.gif")


def test_draw_into_a_missing_directory_says_so(tmp_path):
    """draw() into a directory that does not exist raises FileNotFoundError naming draw, before needing Graphviz."""
    with pytest.raises(FileNotFoundError, match="draw: the directory"):
        viz.draw(Value(1.0), tmp_path / "missing" / "g.svg")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_draw_writes_an_image(tmp_path, suffix):
    """With Graphviz installed, draw writes an SVG or PNG file."""
    path = viz.draw(small_graph()[2], tmp_path / f"graph.{suffix}")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data


def test_draw_without_a_path_shows_itself_in_a_notebook(monkeypatch):
    """draw(y) is a Drawing: SVG for Jupyter when Graphviz is there, the text tree in <pre> when not; never an error."""
    x = Value(3.0)
    drawing = viz.draw(x * x + 1.0, names={x: "x"})
    assert str(drawing) == viz.to_text(drawing.root, {x: "x"}) and "Drawing of a graph of 3 nodes" in repr(drawing)
    if shutil.which("dot") is not None:
        svg = drawing._repr_svg_()
        assert svg is not None and "<svg" in svg and drawing._repr_html_() is None
    monkeypatch.setattr(viz.shutil, "which", lambda name: None)
    assert drawing._repr_svg_() is None
    assert drawing._repr_html_() == "<pre>" + html.escape(str(drawing)) + "</pre>"
    with pytest.raises(RuntimeError, match="draw: Graphviz's 'dot' program is not installed"):
        viz.draw(x * x, "graph.svg")

"""explain(): the reverse pass written out, with the same numbers backward() leaves in .grad."""

import pytest
from hypothesis import given

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.testing import expressions, points


@given(expressions(n_inputs=3, max_steps=8), points(3))
def test_explain_gives_the_gradients_backward_leaves(expr, xs):
    """On random graphs, each node's gradient in explain() is its .grad after backward(); .grad is left alone."""
    inputs = [Value(x) for x in xs]
    out = expr(*inputs)
    if not isinstance(out, Value) or out.is_leaf:
        return
    explained = al.explain(out)
    assert all(v.grad == 0.0 for v in al.topological_order(out))  # explain changes no .grad
    out.backward()
    for node in al.topological_order(out):
        assert explained.grads[node] == pytest.approx(node.grad, rel=1e-12, abs=1e-300)


def test_each_line_is_one_use_of_the_chain_rule():
    """A node's block shows the gradient in, and for each input: gradient × local derivative = contribution."""
    x = Value(3.0)
    text = str(al.explain(x * x + 1.0, names={x: "x"}))
    assert text.splitlines()[0] == "+ 1.0  data 10  grad 1"  # the plain number 1.0 is kept in the node
    assert "    x  (data 3)  += 1 × 3 = 3" in text and text.count("+= 1 × 3 = 3") == 2
    assert text.splitlines()[-1] == "x  data 3  grad 6  (a leaf)" and text.count("(a leaf)") == 1


def test_long_graphs_are_cut_with_a_count():
    """More nodes than max_nodes: the text stops and says how many more there are; the numbers are all there."""
    x = Value(0.5)
    y = x
    for _ in range(100):
        y = y * 1.01
    explained = al.explain(y, max_nodes=5)
    assert str(explained).splitlines()[-1] == "… 96 more nodes" and len(explained.grads) == 101


def test_explain_checks_what_it_is_given():
    """explain() of a number, a bad max_nodes or a non-finite seed is a clear error."""
    with pytest.raises(TypeError, match="explain: expected the Value"):
        al.explain(3.0)
    with pytest.raises(ValueError, match="explain: max_nodes must be a positive int"):
        al.explain(Value(1.0) * 2, max_nodes=0)
    with pytest.raises(ValueError, match="finite"):
        al.explain(Value(1.0) * 2, gradient=float("nan"))
    with pytest.raises(al.NonFiniteGradientError, match=r"explain: .*sqrt\(0\.0\)"):
        al.explain(Value(0.0).sqrt())

"""Pickle and deepcopy: leaves, modules and whole graphs, on every protocol, without recursion."""

import copy
import pickle

import pytest
from helpers import chain

import autograd_lite as al
from autograd_lite import Value


def the_leaf(graph, data):
    return next(v for v in al.topological_order(graph) if v.is_leaf and v.data == data)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_deep_graph_round_trips_on_every_protocol(protocol):
    """A chain 3,000 steps deep (12,001 nodes, far past the recursion limit) pickles; its backward() is the same."""
    x = Value(0.5)
    y = chain(x, 3000)
    restored = pickle.loads(pickle.dumps(y, protocol=protocol))
    y.backward()
    restored.backward()
    assert restored.data == y.data and the_leaf(restored, 0.5).grad == x.grad
    assert len(al.topological_order(restored)) == len(al.topological_order(y))


def test_deepcopy_of_a_deep_graph_keeps_shared_nodes_shared():
    """deepcopy copies the graph once: a node used twice stays one node, and the copy differentiates the same."""
    x = Value(2.0)
    shared = x * x
    y = shared + shared * 3.0
    for _ in range(3000):
        y = y * 1.0
    twin = copy.deepcopy(y)
    node = the_leaf(twin, 2.0)
    twin.backward()
    y.backward()
    assert node.grad == x.grad == 16.0 and twin is not y
    assert len(al.topological_order(twin)) == len(al.topological_order(y))


def test_leaves_modules_and_rows_round_trip():
    """A leaf keeps its number and gradient, a trained Module predicts the same, rows come back as the same rows."""
    leaf = Value(1.5)
    leaf.grad = 0.25
    back = pickle.loads(pickle.dumps(leaf))
    assert (back.data, back.grad, back.is_leaf) == (1.5, 0.25, True)
    net = al.nn.MLP(2, [4, 1], activation="gelu", seed=2)
    opt = al.Adam(net.parameters(), lr=0.1)
    for _ in range(10):  # trained a little, so the weights are not the ones the seed gives
        opt.zero_grad()
        al.nn.mse([net([x, 1.0 - x]) for x in (0.0, 0.5, 1.0)], [0.0, 1.0, 0.0]).backward()
        opt.step()
    for twin in (pickle.loads(pickle.dumps(net)), copy.deepcopy(net)):
        assert twin([0.3, -0.7]).data == net([0.3, -0.7]).data and twin.state_dict() == net.state_dict()
    for value in (leaf**2.5, al.leaky_relu(leaf, 0.2), al.polygamma(3, leaf), al.elu(leaf, 0.5), al.erf(leaf)):
        assert pickle.loads(pickle.dumps(value)).op is value.op


def test_pickling_works_in_any_thread():
    """Each thread keeps its own record of what a pickle has sent ahead."""
    import threading

    results = []
    thread = threading.Thread(target=lambda: results.append(pickle.loads(pickle.dumps(chain(Value(0.5), 1500))).data))
    thread.start()
    thread.join()
    assert results == [chain(Value(0.5), 1500).data]


@al.primitive(derivs=lambda x, out: (2.0 * x,))
def square(x):
    return x * x


def test_a_user_row_pickles_by_the_name_of_its_function():
    """A node of a user-defined row comes back with the same row (found by module and name)."""
    y = square(Value(3.0))
    assert pickle.loads(pickle.dumps(y)).op is square.primitive


@pytest.mark.slow
def test_a_graph_of_a_million_nodes_pickles_and_deep_copies():
    """10⁶ nodes (a 250,000-step chain of 4 nodes a step): pickle and deepcopy without recursion, same gradients."""
    x = Value(0.5)
    y = chain(x, 250_000)
    assert len(al.topological_order(y)) >= 1_000_000
    y.backward()
    for twin in (pickle.loads(pickle.dumps(y, protocol=pickle.HIGHEST_PROTOCOL)), copy.deepcopy(y)):
        leaf = the_leaf(twin, 0.5)
        leaf.grad = 0.0
        twin.backward()
        assert leaf.grad == x.grad

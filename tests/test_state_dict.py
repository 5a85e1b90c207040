"""load_state_dict: numbers too large for a float, all or nothing, and short messages for mismatched names."""

from fractions import Fraction

import pytest

from autograd_lite import Value
from autograd_lite.nn import MLP, Module


def filled(net, number):
    return {name: number for name in net.state_dict()}


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        (10**400, r"\(int, about 1e400\)"),
        (-(10**5000), r"\(int, about 1e5000\)"),  # past the 4300 digits that int's repr allows
        (Fraction(10**400, 3), r"\(Fraction, about 1e399\)"),
    ],
    ids=["int", "int-beyond-repr", "fraction"],
)
def test_a_number_too_large_for_a_float_is_an_overflow_error_naming_the_key(bad, shown):
    """10**400 or a huge Fraction is an OverflowError naming load_state_dict and the key, and nothing changes."""
    net = MLP(2, [3, 1], seed=0)
    before = net.state_dict()
    state = {**filled(net, 0.5), "layers.1.neurons.0.b": bad}
    words = rf"^MLP.load_state_dict: layers.1.neurons.0.b is too large for a float {shown}; no parameter was changed$"
    with pytest.raises(OverflowError, match=words):
        net.load_state_dict(state)
    assert net.state_dict() == before


@pytest.mark.parametrize("position", [0, 7, -1])
@pytest.mark.parametrize("bad", [10**400, float("inf"), "0.5", None, Value(0.5)])
def test_one_bad_value_anywhere_changes_no_parameter(position, bad):
    """Wherever the bad value sits (first, middle, last key), every parameter keeps its number."""
    net = MLP(2, [3, 1], seed=0)
    before = net.state_dict()
    state = filled(net, 0.25)
    state[list(state)[position]] = bad
    with pytest.raises((OverflowError, ValueError)) as refused:
        net.load_state_dict(state)
    assert str(refused.value).startswith(f"MLP.load_state_dict: {list(state)[position]} ")
    assert net.state_dict() == before


def test_numbers_that_fit_load_as_floats():
    """A small Fraction, a large int that fits and a numpy float32 load as the Python floats they equal."""
    net = MLP(1, [1], seed=0)
    names = list(net.state_dict())
    net.load_state_dict(dict(zip(names, [Fraction(1, 3), 10**300])))
    assert net.state_dict() == dict(zip(names, [1 / 3, 1e300]))
    np = pytest.importorskip("numpy")
    net.load_state_dict(dict(zip(names, [np.float32(0.5), np.int64(-2)])))
    assert net.state_dict() == dict(zip(names, [0.5, -2.0]))
    assert all(type(p.data) is float for p in net.parameters())


def test_a_state_of_another_architecture_names_the_counts_and_the_first_five():
    """337 missing names give a short KeyError: both counts and the first five names, not all of them."""
    net = MLP(2, [16, 16, 1], seed=0)
    names = list(net.state_dict())
    assert len(names) == 337
    with pytest.raises(KeyError) as refused:
        net.load_state_dict({"weights": 1.0})
    text = str(refused.value)
    assert "MLP.load_state_dict: 337 missing and 1 unexpected names" in text
    assert f"missing {names[:5]!r}"[:-1] + ", …]" in text and "unexpected ['weights']" in text
    assert names[5] not in text and len(text) < 400


def test_mismatched_names_in_both_directions_are_counted():
    """A state with 2 names dropped and 7 extra says 2 missing, 7 unexpected, and lists at most five of each."""
    net = MLP(2, [3, 1], seed=0)
    state = filled(net, 0.5)
    dropped = [state.popitem()[0] for _ in range(2)][::-1]
    state.update({f"extra.{i}": 0.0 for i in range(7)})
    with pytest.raises(KeyError, match=r"2 missing and 7 unexpected names") as refused:
        net.load_state_dict(state)
    text = str(refused.value)
    assert f"missing {dropped!r}" in text
    assert "'extra.4', …]" in text and "extra.5" not in text


def test_parameters_inside_containers_are_loaded_all_or_nothing():
    """A module with Values in a dict of lists loads them by their dotted names, or changes none of them."""

    class Table(Module):
        def __init__(self):
            self.rows = {"a": [Value(1.0), Value(2.0)], "b": (Value(3.0),)}

    table = Table()
    assert list(table.state_dict()) == ["rows.a.0", "rows.a.1", "rows.b.0"]
    with pytest.raises(OverflowError, match=r"^Table.load_state_dict: rows.b.0 is too large"):
        table.load_state_dict({"rows.a.0": 5.0, "rows.a.1": 6.0, "rows.b.0": 10**400})
    assert table.state_dict() == {"rows.a.0": 1.0, "rows.a.1": 2.0, "rows.b.0": 3.0}
    table.load_state_dict({"rows.a.0": 5.0, "rows.a.1": 6.0, "rows.b.0": 7.0})
    assert [p.data for p in table.parameters()] == [5.0, 6.0, 7.0]

"""The `Value` type: construction, operators, comparisons and the recording switch."""

import fractions
import math

import pytest

import autograd_lite as al
from autograd_lite import Value
from autograd_lite.primitives import ADD, DIV, MUL, NEG, POW, SUB


def test_value_stores_a_float_and_a_zero_gradient():
    """Value(x) keeps x as a float in .data and starts .grad at 0.0."""
    v = Value(3)
    assert v.data == 3.0 and type(v.data) is float
    assert v.grad == 0.0 and v.is_leaf


@pytest.mark.parametrize("number", [True, 7, 2.5, fractions.Fraction(1, 4)])
def test_value_accepts_any_real_number(number):
    """Anything numbers.Real is accepted and stored as float."""
    assert Value(number).data == float(number)


@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j, [1.0], Value(1.0)])
def test_value_rejects_what_is_not_a_real_number(bad):
    """A string, None, complex, list or Value raises TypeError naming the type given."""
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_value_rejects_nan_and_infinities(bad):
    """nan and ±inf have no derivative, so they are refused at the door."""
    with pytest.raises(ValueError, match=f"Value: expected a finite number, got {bad!r}"):
        Value(bad)


@pytest.mark.parametrize(
    ("expression", "expected", "row"),
    [
        (lambda a, b: a + b, 5.0, ADD),
        (lambda a, b: a - b, -1.0, SUB),
        (lambda a, b: a * b, 6.0, MUL),
        (lambda a, b: a / b, 2 / 3, DIV),
        (lambda a, b: a**b, 8.0, POW),
    ],
)
def test_binary_operators_record_their_row(expression, expected, row):
    """Each operator on two Values computes the value and records the table row that made it."""
    a, b = Value(2.0), Value(3.0)
    out = expression(a, b)
    assert out.data == pytest.approx(expected)
    assert out.op is row and out.parents == (a, b)


def test_operators_accept_plain_numbers_on_either_side():
    """`2 * x`, `x * 2`, `1 - x`, `1 / x`, `2 ** x` all work and differentiate."""
    x = Value(4.0)
    assert (2 * x).data == (x * 2).data == 8.0
    assert (1 - x).data == -3.0 and (x - 1).data == 3.0
    assert (1 / x).data == 0.25 and (x / 2).data == 2.0
    assert (1 + x).data == 5.0
    y = 2**x
    y.backward()
    assert y.data == 16.0
    assert x.grad == pytest.approx(16.0 * math.log(2.0))


def test_unary_operators():
    """-x and abs(x) are recorded primitives; +x is x itself."""
    x = Value(-1.5)
    assert (-x).data == 1.5 and (-x).op is NEG
    assert abs(x).data == 1.5
    assert +x is x


def test_foreign_types_give_not_implemented():
    """Operators with a non-number raise TypeError through Python's NotImplemented protocol."""
    x = Value(1.0)
    with pytest.raises(TypeError):
        x + "a"
    with pytest.raises(TypeError):
        [1] * x
    with pytest.raises(TypeError):
        assert x < "a"
    assert x.__add__("a") is NotImplemented


def test_methods_and_module_functions_agree():
    """x.exp() and al.exp(x) build the same value; al.exp(number) returns a float."""
    for name in ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "sin", "cos", "softplus"]:
        x = Value(0.7)
        method = getattr(x, name)()
        function = getattr(al, name)(x)
        assert method.data == function.data
        assert method.op is function.op
        plain = getattr(al, name)(0.7)
        assert type(plain) is float and plain == method.data
    assert al.abs_(-2) == 2.0 and al.abs_(Value(-2.0)).data == 2.0


def test_comparisons_use_data_and_return_bool():
    """<, <=, >, >= compare .data (with Values or numbers) and return plain bools."""
    a, b = Value(1.0), Value(2.0)
    assert (a < b) is True and (a <= 1) is True and (b > a) is True and (b >= 3) is False
    assert (0.5 < a) is True  # noqa: SIM300 (the reflected comparison is what is tested)


def test_equality_and_hash_are_by_identity():
    """Two Values with equal data are different keys; a Value is usable in sets and dicts."""
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert len({a, b, a}) == 2
    assert {a: 1, b: 2}[b] == 2


def test_item_bool_format_and_repr():
    """v.item() is .data, bool(v) follows .data, formatting shows the number, repr shows data and grad."""
    v = Value(2.5)
    assert v.item() == 2.5 and type(v.item()) is float
    assert bool(Value(0.0)) is False and bool(v) is True
    assert f"{v:.3f}" == "2.500" and round(v, 0) == 2.0 and f"{v}" == repr(v)
    assert repr(v) == "Value(data=2.5, grad=0.0)"


def test_no_grad_records_nothing_and_restores_recording():
    """Inside no_grad() results are leaves; recording resumes afterwards, even after an error."""
    x = Value(3.0)
    with al.no_grad():
        assert not al.is_recording()
        y = x * x
    assert y.is_leaf and y.data == 9.0
    with pytest.raises(ZeroDivisionError), al.no_grad():
        x / 0
    assert al.is_recording()
    assert not (x * x).is_leaf


def test_detach_cuts_the_graph():
    """detach() gives a leaf with the same data, so no gradient flows through it."""
    x = Value(3.0)
    y = x.detach() * x
    y.backward()
    assert y.data == 9.0 and x.grad == 3.0


def test_sum_and_dot_are_single_nodes():
    """sum_ and dot record one node with n parents, and agree with the chain of + and *."""
    ws, xs = [Value(0.5), Value(-1.5), Value(2.0)], [1.0, 2.0, Value(3.0)]
    d = al.dot(ws, xs)
    chain = ws[0] * xs[0] + ws[1] * xs[1] + ws[2] * xs[2]
    assert d.data == chain.data and len(d.parents) == 6 and d.op is al.PRIMITIVES["dot"]
    d.backward()
    assert [w.grad for w in ws] == [1.0, 2.0, 3.0] and xs[2].grad == 2.0
    s = al.sum_(ws)
    assert s.data == 1.0 and len(s.parents) == 3
    assert al.sum_([]) == 0.0 and al.dot([], []) == 0.0
    with pytest.raises(ValueError, match="dot: got 2 weights but 1 inputs"):
        al.dot(ws[:2], xs[:1])
    with pytest.raises(TypeError, match="sum: expected a Value or a real number, got str"):
        al.sum_([1.0, "2"])
    with pytest.raises(TypeError, match="sum: expected a Value or a real number, got str"):
        al.sum_([ws[0], "2"])


def test_enable_grad_records_inside_no_grad():
    """enable_grad() turns recording back on inside no_grad(), and both restore what they found."""
    x = Value(2.0)
    with al.no_grad():
        with al.enable_grad():
            assert not (x * x).is_leaf
        assert (x * x).is_leaf
    assert al.is_recording()

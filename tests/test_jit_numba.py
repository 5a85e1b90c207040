"""jit(backend="numba"): the same programs compiled to machine code, the same checks, a fallback that says why."""

import math
import pickle

import pytest

import autograd_lite as al

pytest.importorskip("numba", reason="the native backend needs numba: pip install 'autograd_lite[numba]'")

XS, YS = [1.0, 2.0, 3.0], [2.0, 4.1, 5.9]


def line_fit(w, b):
    total = 0.0
    for x, y in zip(XS, YS):
        total = total + (w * x + b - y) ** 2
    return total / 3


def kinked(x):
    return al.tanh(x) * al.exp(-x * x) if x > 0 else al.sigmoid(x) + al.log1p(x * x)


@pytest.mark.parametrize("f", [al.value_and_grad(line_fit, argnums=(0, 1)), al.hessian(line_fit, argnums=(0, 1))])
def test_arithmetic_programs_give_the_python_backends_floats(f):
    native, python = al.jit(f, backend="numba"), al.jit(f)
    for w, b in ((1.0, 0.5), (-2.0, 3.0), (0.25, -1.5)):
        assert native(w, b) == python(w, b) == f(w, b)
    assert native.traces == 1 and "Python backend" not in native.note


def test_branches_retrace_and_math_rows_agree_to_rounding():
    f = al.value_and_grad(kinked)
    native = al.jit(f, backend="numba")
    for x in (0.5, -0.5, 1.5, -2.0):
        value, slope = native(x)
        want_value, want_slope = f(x)
        assert value == pytest.approx(want_value, rel=1e-15) and slope == pytest.approx(want_slope, rel=1e-14)
    assert native.traces == 2 and "traced again because x0 > 0 came out False" in native.note


def test_errors_are_still_the_eager_engines():
    native = al.jit(al.grad(lambda x: al.exp(x) * al.log(x)), backend="numba")
    assert native(2.0) == pytest.approx(al.grad(lambda x: al.exp(x) * al.log(x))(2.0), rel=1e-15)
    with pytest.raises(ValueError, match="log"):
        native(-1.0)
    with pytest.raises(OverflowError, match="exp"):
        native(1000.0)
    assert native.traces == 1


@al.primitive(lambda x, out: (2.0 * x,))
def squared_by_name(x):
    """x², through a dictionary numba cannot compile."""
    return {"x": x}["x"] ** 2


def test_a_row_numba_cannot_take_runs_on_the_python_backend_and_the_note_names_it():
    native = al.jit(al.value_and_grad(lambda x: squared_by_name(x) + x), backend="numba")
    assert native(3.0) == (12.0, 7.0) and native(1.0) == (2.0, 3.0)
    assert "on the Python backend: numba could not compile the program (it calls the rows ['squared_by_name'])" in (
        native.note
    )


def test_a_native_jitted_function_pickles():
    native = al.jit(kinked, backend="numba")
    native(0.5)
    copy = pickle.loads(pickle.dumps(native))
    assert copy.backend == "numba" and copy(0.75) == native(0.75) and copy.traces == 1
    assert math.isclose(copy(-1.0), kinked(al.Value(-1.0)).item(), rel_tol=1e-15)


# -- vmap(backend="numba") ------------------------------------------------------------------------------------


def test_vmap_on_numba_gives_each_point_its_branch_and_the_numpy_paths_numbers():
    import numpy as np

    f = al.value_and_grad(kinked)
    xs = np.array([0.5, -0.5, 1.5, -2.0, 0.25])
    native, numpy_path = al.vmap(f, backend="numba"), al.vmap(f)
    (v1, s1), (v2, s2) = native(xs), numpy_path(xs)
    assert np.allclose(v1, v2, rtol=1e-14) and np.allclose(s1, s2, rtol=1e-14)
    assert native.note.startswith("2 program(s) for 5 points") and "on numpy" not in native.note
    for x, value, slope in zip(xs, v1, s1):
        assert (value, slope) == pytest.approx(f(float(x)), rel=1e-14)


def test_vmap_on_numba_names_a_failing_point_and_masks_on_request():
    import numpy as np

    with pytest.raises(ValueError, match=r"vmap: at point 2 \(-1\.0\): log"):
        al.vmap(lambda x: al.log(x) * 2.0, backend="numba")(np.array([1.0, 2.0, -1.0]))
    values, ok = al.vmap(al.log, backend="numba", on_error="mask")(np.array([1.0, -1.0, 4.0]))
    assert ok.tolist() == [True, False, True] and values[0] == 0.0 and np.isnan(values[1])


def test_vmap_on_numba_runs_a_branch_numba_cannot_take_on_numpy_and_says_so():
    import numpy as np

    f = al.vmap(lambda x: squared_by_name(x) + x, backend="numba")
    assert f(np.array([3.0, 1.0])).tolist() == [12.0, 2.0]
    assert "on numpy: numba could not compile the program" in f.note

"""`vmap(fn)`: one scalar function at a million points, as one program over whole numpy (or dask) arrays.

``al.vmap(fn)(xs, ys)`` applies `fn` at every point (``fn(xs[i], ys[i])``)
and returns numpy arrays, one per number of `fn`'s result, in `fn`'s
containers: ``vmap(value_and_grad(price, argnums=(0, 1)))(S, K)`` gives
``(prices, (dS, dK))``. `in_axes` says, per argument, 0 (one item per point)
or None (one value shared by all points), as in JAX.

It does not loop over the points in Python. `fn` is traced once, at one
point, into a graph (with gradients as nodes, as in `autograd_lite.tracing`), and
the graph is written out as one program over arrays: each row in its numpy
form (``np.exp`` for exp; a few through scipy.special when it is installed;
a row with neither is applied point by point, and `Vmapped.note` names it).

**Branches per point.** Each comparison the trace made is evaluated over the
whole batch, and only the points where every one comes out as at the traced
point take that program. The others are traced again at the first of them,
and so on: every point gets its own branch's exact value and gradient. After
`max_programs` branches the rest go through the eager engine, point by point
(`note` says so).

**Never a silent inf or nan.** The program runs with numpy's floating-point
errors raised; where one is met, the point that causes it is found (by
halving the batch) and `fn` runs there eagerly, which raises the eager
engine's error, named, with the point's index and inputs. With
``on_error="mask"`` those points give nan instead, and a boolean array of the
points that succeeded comes back beside the result.

**numba.** With ``backend="numba"`` each branch is the program `jit` would
compile (`autograd_lite.native`), run point by point in machine code, with
the same guards and checks.

**dask.** Given dask arrays, the same program runs chunk by chunk
(``map_blocks``): the result is dask arrays of the same chunks, computed
where and when dask computes them, out of core or on a cluster.

The numbers agree with the eager engine's to rounding (numpy's ``exp`` and
``math.exp`` may differ in the last bit), not bit for bit as `jit`'s do.
numpy (and dask, for dask arrays) come from the ``vmap`` and ``dask`` extras.
"""

from __future__ import annotations

import importlib

from .codegen import _same_number
from .engine import Value
from .grad_mode import enable_grad
from .guards import Collecting
from .native import NotNative
from .primitives import IDENTITY, STOP_GRADIENT
from .rowtext import Tracer
from .tracing import _keyed, traced_graph
from .tree import Structure, tree_flatten, tree_unflatten

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .primitives import Primitive

__all__ = ["Vmapped", "vmap"]

#: How many branches get a program of their own in one call, at most, unless told otherwise.
MAX_PROGRAMS = 8
#: Points per block of a program's run: small enough that a block's arrays stay in the processor's cache.
BLOCK = 4096

# Rows by name, in their array form: a numpy function of the same name and meaning, or an expression.
_NUMPY = {
    "exp": "np.exp", "exp2": "np.exp2", "expm1": "np.expm1", "log": "np.log", "log2": "np.log2",
    "log10": "np.log10", "log1p": "np.log1p", "sqrt": "np.sqrt", "cbrt": "np.cbrt", "sin": "np.sin",
    "cos": "np.cos", "tan": "np.tan", "asin": "np.arcsin", "acos": "np.arccos", "atan": "np.arctan",
    "sinh": "np.sinh", "cosh": "np.cosh", "tanh": "np.tanh", "asinh": "np.arcsinh", "acosh": "np.arccosh",
    "atanh": "np.arctanh", "abs": "np.abs", "floor": "np.floor", "ceil": "np.ceil", "trunc": "np.trunc",
    "atan2": "np.arctan2", "hypot": "np.hypot", "fmod": "np.fmod", "mod": "np.mod", "floordiv": "np.floor_divide",
    "div": "np.true_divide", "deg2rad": "np.deg2rad", "rad2deg": "np.rad2deg", "logaddexp": "np.logaddexp",
    "maximum": "np.maximum", "minimum": "np.minimum",
}  # fmt: skip
_EXPRESSIONS = {
    "relu": "np.where({0} > 0.0, {0}, 0.0)",
    "sign": "np.sign({0})",
    "sigmoid": "_sigmoid({0})",
    "softplus": "np.logaddexp(0.0, {0})",
}
_SCIPY = {"erf": "erf", "erfc": "erfc", "lgamma": "gammaln", "gamma": "gamma", "digamma": "psi"}


def _arithmetic(template: str) -> bool:
    """An expression of its inputs only (operators and literals): the same text serves floats and arrays."""
    import re  # here, not at the top: `re` is slow to import, and most programs never need it

    return re.fullmatch(r"(?:[\s{}0-9.+\-*/()]|e[+-]?\d)*", template) is not None


def _numpy() -> Any:
    try:
        return importlib.import_module("numpy")
    except ImportError:
        raise ImportError("vmap needs numpy: pip install 'autograd_lite[vmap]'") from None


def _sigmoid(x: Any) -> Any:
    np = _numpy()
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


class _ArrayProgram:
    """One branch of `fn` as a program over arrays: ``run(*inputs) -> (ok, outputs)``."""

    def __init__(self, order: list[Value], params: list[Value], guarded: list[Any], outputs: list[Any]) -> None:
        np = _numpy()
        tracer = Tracer()
        namespace: dict[str, Any] = {"np": np, "_sigmoid": _sigmoid}
        try:
            namespace["_special"] = importlib.import_module("scipy.special")
        except ImportError:
            namespace["_special"] = None
        var: dict[Value, str] = {leaf: f"x{i}" for i, leaf in enumerate(params)}
        lines = [f"def run({', '.join(var[p] for p in params)}):", "    ok = True"]
        self.pointwise: list[str] = []  # rows applied point by point (no array form)
        position = {node: i for i, node in enumerate(order)}
        due: dict[int, list[Any]] = {}
        for guard, operands in guarded:
            at = max((position[x] for x in operands if isinstance(x, Value)), default=-1)
            due.setdefault(at, []).append((guard, operands))

        def name(x: Any) -> str:
            if isinstance(x, Value):
                return var[x]
            key = f"c{len(namespace)}"
            namespace[key] = x
            return key

        def checks(after: int) -> None:
            for guard, operands in due.get(after, ()):
                args = [name(x) for x in operands]
                if guard.is_comparison and type(guard.outcome) is bool:
                    test = f"({args[0]} {guard.symbol} {args[1]})"
                    lines.append(f"    ok = ok & {test if guard.outcome else '~' + test}")
                else:  # round(v): per point
                    test = name(np.frompyfunc(guard.test, len(args), 1))
                    lines.append(f"    ok = ok & ({test}({', '.join(args)}) == {name(guard.outcome)})")

        checks(-1)
        for i, node in enumerate(order):
            op = node.op
            if op is not None and _same_number(node):  # x, x * 1.0, x ** 1.0: the parent's array itself
                var[node] = var[node.parents[0]]
            elif op is not None:
                var[node] = f"v{i}"
                args = [var[p] for p in node.parents] + [repr(c) for c in node.constants]
                lines.append(f"    v{i} = {self._code(op, args, tracer, namespace)}  # {op.name}")
            checks(i)
        shape = "np.broadcast_shapes(" + "".join(f"np.shape({var[p]}), " for p in params) + ")"
        results = [f"np.broadcast_to({name(x)}, {shape})" for x in outputs]
        self.outputs = list(outputs)
        self.block = BLOCK  # points per call: their arrays stay in the processor's cache
        lines.append(f"    return ok, ({''.join(r + ', ' for r in results)})")
        self.source = "\n".join(lines) + "\n"
        exec(compile(self.source, "<autograd_lite vmap program>", "exec"), namespace)  # written just above
        self.run: Callable[..., Any] = namespace["run"]

    def _code(self, op: Primitive, args: list[str], tracer: Tracer, namespace: dict[str, Any]) -> str:
        """The row at `args` in array form; a row with none is applied point by point."""
        base, operands = op, args
        if op.flips is not None:
            base, operands = op.flips, list(reversed(args))
        if base is IDENTITY or base is STOP_GRADIENT:
            return operands[0]
        if base.name in _NUMPY:
            return f"{_NUMPY[base.name]}({', '.join(operands)})"
        if base.name in _EXPRESSIONS:
            return _EXPRESSIONS[base.name].format(*operands)
        if base.name in _SCIPY and namespace["_special"] is not None:
            return f"_special.{_SCIPY[base.name]}({', '.join(operands)})"
        template, _ = tracer.templates(base, len(operands))
        if template is not None and _arithmetic(template):
            return template.format(*operands, out="")
        self.pointwise.append(op.name)
        np = namespace["np"]
        key = f"_pointwise_{len(self.pointwise)}"
        namespace[key] = np.frompyfunc(op.value, len(args), 1)
        return f"{key}({', '.join(args)}).astype(np.float64)"


class _NativeArrayProgram:
    """One branch of `fn` compiled by numba (`autograd_lite.native`), run point by point in machine code.

    The same interface as `_ArrayProgram`: ``run(*inputs) -> (ok, outputs)``.
    The compiled program gives each point a status (0: its branch, k + 1: guard
    k came out otherwise, −1: an inf or nan); under numpy's "raise" error
    state a point of this branch with −1 raises FloatingPointError, as numpy's
    own arithmetic does in the other backend, so the caller finds it alike.
    """

    def __init__(self, order: list[Value], params: list[Value], guarded: list[Any], outputs: list[Any]) -> None:
        from .native import _numba, compiled, native_source

        numba = _numba()
        values = [x for x in outputs if isinstance(x, Value)]
        source, spec = native_source(order, params, guarded, values)
        program = compiled(source, spec, len(params))  # NotNative where numba cannot take it
        n = len(params)
        columns = ", ".join(f"c{j}" for j in range(n))
        lines = [f"def drive({columns}{', ' if n else ''}status, out):", "    for i in range(status.shape[0]):"]
        lines.append(f"        r = program({', '.join(f'c{j}[i]' for j in range(n))})")
        lines.append("        status[i] = r[0]")
        lines += [f"        out[i, {k}] = r[{k + 1}]" for k in range(len(values))]
        namespace: dict[str, Any] = {"program": program}
        exec(compile("\n".join(lines) + "\n", "<autograd_lite vmap driver>", "exec"), namespace)  # written above
        self.drive = numba.njit(namespace["drive"])
        self.source = source
        self.outputs = list(outputs)
        self.pointwise: list[str] = []
        self.block = 1 << 62  # machine code needs no cache-sized blocks: one call for all the points

    def run(self, *inputs: Any) -> tuple[Any, list[Any]]:
        np = _numpy()
        n = max([np.size(x) for x in inputs if np.ndim(x)], default=1)
        columns = [np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=np.float64), (n,))) for x in inputs]
        status = np.empty(n)
        values = [x for x in self.outputs if isinstance(x, Value)]
        out = np.empty((n, len(values)))
        self.drive(*columns, status, out)
        ok = status == 0.0
        if (status < 0.0).any():
            if np.geterr()["invalid"] == "raise":
                raise FloatingPointError("vmap: an inf or nan in the native program")
            out[status < 0.0] = np.nan
        it = iter(range(len(values)))
        results = [out[:, next(it)] if isinstance(x, Value) else np.full(n, float(x)) for x in self.outputs]
        return ok | (status < 0.0), results



class Vmapped:
    """`fn` mapped over points by `vmap`: call it with arrays; `note` says how the latest call ran."""

    def __init__(
        self,
        fn: Callable[..., Any],
        in_axes: Any = 0,
        max_programs: int = MAX_PROGRAMS,
        on_error: str = "raise",
        backend: str = "numpy",
    ) -> None:
        if not callable(fn):
            raise TypeError(f"vmap: fn must be a function, got {type(fn).__name__} {fn!r}")
        if backend not in ("numpy", "numba"):
            raise ValueError(f"vmap: backend must be 'numpy' or 'numba', got {backend!r}")
        self.backend = backend
        #: With backend="numba": why a branch runs on numpy instead ("" while all are native).
        self.fallback = ""
        if on_error not in ("raise", "mask"):
            raise ValueError(f"vmap: on_error must be 'raise' or 'mask', got {on_error!r}")
        if not isinstance(max_programs, int) or isinstance(max_programs, bool) or max_programs < 1:
            raise ValueError(f"vmap: max_programs must be a positive int, got {max_programs!r}")
        self.fn, self.in_axes, self.max_programs, self.on_error = fn, in_axes, max_programs, on_error
        #: How the latest call ran: programs written, points per branch, rows applied point by point.
        self.note = ""
        self._programs: list[tuple[_ArrayProgram, Structure, list[Value], Any]] = []  # the latest first
        self._live: list[Value] = []

    def __reduce__(self) -> Any:
        return Vmapped, (self.fn, self.in_axes, self.max_programs, self.on_error, self.backend)

    def _axes(self, n: int) -> list[Any]:
        axes = self.in_axes
        axes = [axes] * n if axes is None or isinstance(axes, int) else list(axes)
        if len(axes) != n or any(a not in (0, None) for a in axes):
            raise ValueError(f"vmap: in_axes must be 0, None, or one of them per argument, got {self.in_axes!r}")
        return axes

    def __call__(self, *args: Any) -> Any:
        axes = self._axes(len(args))
        if any(type(a).__module__.startswith("dask") for a in args):
            return self._dask(args, axes)
        return self._numpy_call(args, axes)

    # -- numpy -------------------------------------------------------------------

    def _numpy_call(self, args: Sequence[Any], axes: list[Any]) -> Any:
        np = _numpy()
        arrays = [np.asarray(a, dtype=np.float64) if axis == 0 else a for a, axis in zip(args, axes)]
        sizes = {a.shape[0] for a, axis in zip(arrays, axes) if axis == 0 and a.ndim > 0}
        if len(sizes) != 1 or any(axis == 0 and a.ndim == 0 for a, axis in zip(arrays, axes)):
            raise ValueError(
                f"vmap: every argument with in_axes 0 must be an array of the same length along axis 0, got "
                f"shapes {[np.shape(a) for a, axis in zip(arrays, axes) if axis == 0]}"
            )
        (n,) = sizes
        results: list[Any] | None = None
        structure: Structure | None = None
        ok_all = np.zeros(n, dtype=bool)
        remaining = np.arange(n)
        counts: list[int] = []
        pointwise: set[str] = set()
        failing = n  # the first point where the eager engine fails, once one is known (on_error="raise")
        while remaining.size and remaining[0] < failing:
            first = int(remaining[0])
            if len(counts) >= self.max_programs:  # the rest, point by point, through the eager engine
                for i in remaining:
                    try:
                        out, structure = self._eager_point(args, axes, int(i))
                    except _Masked:
                        continue
                    except (ValueError, ArithmeticError):
                        failing = min(failing, int(i))
                        break
                    results = results or [np.full(n, np.nan) for _ in out]
                    for column, x in zip(results, out):
                        column[i] = x
                    ok_all[i] = True
                counts.append(-int(remaining.size))
                break
            held = self._held(args, axes, first)
            if held is not None:
                program, structure = held
            else:
                try:
                    program, structure = self._program(args, axes, first)
                except _Masked:  # on_error="mask": the point fails in the eager engine itself
                    remaining = remaining[1:]
                    continue
            pointwise.update(program.pointwise)
            subset = [a[remaining] if axis == 0 else a for a, axis in zip(arrays, axes)]
            accepted, outs, failed = self._run(program, subset, remaining, args, axes)
            if self.on_error == "raise" and failed.any():  # later points cannot come before this one: stop there
                failing = min(failing, int(remaining[failed][0]))
                remaining = remaining[~(accepted | failed)]
                counts.append(0)
                continue
            if results is None and accepted.all() and remaining.size == n:  # one branch for every point
                results = outs
            else:
                if results is None:
                    results = [np.full(n, np.nan) for _ in outs]
                for column, out in zip(results, outs):
                    column[remaining[accepted]] = out
            ok_all[remaining[accepted]] = True
            counts.append(int(np.count_nonzero(accepted)))
            if not (accepted[0] or failed[0]):  # the traced point itself takes its program, or fails in it
                raise RuntimeError(f"vmap: the program traced at point {first} does not hold there")
            remaining = remaining[~(accepted | failed)]
        if failing < n or results is None or structure is None:  # the eager engine raises, naming the point
            self._eager_point(args, axes, failing if failing < n else 0, raising=True)
            raise FloatingPointError(f"vmap: at point {failing}, numpy met an inf or nan that the eager engine did not")
        done = ", ".join(f"{c:,}" if c >= 0 else f"{-c:,} through the eager engine" for c in counts)
        self.note = (f"{len([c for c in counts if c >= 0])} program(s) for {n:,} points ({done})"
                     + (f"; applied point by point (no array form): {sorted(pointwise)}" if pointwise else "")
                     + (f"; on numpy: {self.fallback}" if self.fallback else ""))
        built = _unflatten_columns(structure, results, n, np)
        return (built, ok_all) if self.on_error == "mask" else built

    def _point(self, args: Sequence[Any], axes: list[Any], i: int) -> list[Any]:
        return [a[i] if axis == 0 else a for a, axis in zip(args, axes)]

    def _eager_point(
        self, args: Sequence[Any], axes: list[Any], i: int, raising: bool = False
    ) -> tuple[list[float], Structure]:
        """`fn` at point `i` through the eager engine, on Python floats (numpy's own floats warn where these raise)."""
        np = _numpy()
        point = [
            p if axis is None else float(p) if np.ndim(p) == 0 else np.array(np.asarray(p).tolist(), dtype=object)
            for p, axis in zip(self._point(args, axes, i), axes)
        ]
        try:
            out = self.fn(*point)
        except (ValueError, ArithmeticError) as error:
            if self.on_error == "mask" and not raising:
                raise _Masked from error
            raise type(error)(f"vmap: at point {i} ({_shown(self._point(args, axes, i))}): {error}") from error
        leaves, structure = tree_flatten(out, "vmap: the result")
        return [x.item() if isinstance(x, Value) else float(x) for x in leaves], structure

    def _key(self, args: Sequence[Any], axes: list[Any]) -> Any:
        """What a held program must match: each argument's points' shape, and the shared arguments themselves."""
        np = _numpy()
        try:
            return tuple(np.shape(a)[1:] if axis == 0 else ("shared", _keyed(a)) for a, axis in zip(args, axes)), hash(
                tuple(_keyed(a) for a, axis in zip(args, axes) if axis is None)
            )
        except TypeError:
            return None  # a shared argument that does not hash (an array): programs are not kept across calls

    def _held(self, args: Sequence[Any], axes: list[Any], i: int) -> tuple[_ArrayProgram, Structure] | None:
        """A program held from an earlier trace whose every guard holds at point `i`, if any."""
        key = self._key(args, axes)
        if key is None:
            return None
        np = _numpy()
        arrays = [np.asarray(a[i : i + 1], dtype=np.float64) if axis == 0 else a for a, axis in zip(args, axes)]
        flat = self._flat_inputs(arrays, axes)
        for program, structure, live, k in self._programs:
            if k != key:
                continue
            try:
                with np.errstate(all="ignore"):
                    ok, _ = program.run(*flat, *[v.item() for v in live])
            except (ValueError, ArithmeticError, TypeError):
                continue
            if bool(np.all(ok)):
                self._live = live
                return program, structure
        return None

    def _program(self, args: Sequence[Any], axes: list[Any], i: int) -> tuple[_ArrayProgram, Structure]:
        """Trace `fn` at point `i` and write its graph as a program over arrays."""
        np = _numpy()
        point = self._point(args, axes, i)
        leaves, shape = tree_flatten([p for p, axis in zip(point, axes) if axis == 0], "vmap: argument")
        inputs = [Value(x) for x in leaves]
        built = iter(tree_unflatten(shape, inputs))
        call = [next(built) if axis == 0 else p for p, axis in zip(point, axes)]
        try:
            with enable_grad(), Collecting() as compared:
                out = self.fn(*call)
        except (ValueError, ArithmeticError) as error:
            if self.on_error == "mask":
                raise _Masked from error
            raise type(error)(f"vmap: at point {i} ({_shown(point)}): {error}") from error
        out_leaves, structure = tree_flatten(out, "vmap: the result")
        order, guarded, live = traced_graph(inputs, out_leaves, compared)
        params = inputs + live
        program: Any = None
        if self.backend == "numba" and all(np.ndim(p) == 0 for p, axis in zip(point, axes) if axis == 0):
            try:
                program = _NativeArrayProgram(order, params, guarded, out_leaves)
            except NotNative as why:
                self.fallback = str(why)
        if program is None:
            program = _ArrayProgram(order, params, guarded, out_leaves)
        self._live = live  # read by _run: each live Value's number, shared by all points
        key = self._key(args, axes)
        if key is not None:
            self._programs.insert(0, (program, structure, live, key))
            del self._programs[self.max_programs :]
        return program, structure

    def _run(
        self, program: _ArrayProgram, subset: list[Any], where: Any, args: Sequence[Any], axes: list[Any]
    ) -> tuple[Any, list[Any], Any]:
        """The program on the points `where`: which took its branch, their outputs, which failed (with "mask")."""
        np = _numpy()
        flat = self._flat_inputs(subset, axes)
        live = [v.item() for v in self._live]
        fast = self._in_blocks(program, flat, live, where.size)
        if fast is not None:  # no inf, nan or refused input anywhere: one pass did it all
            ok, outs = fast
            return ok, outs if ok.all() else [o[ok] for o in outs], np.zeros_like(ok)
        with np.errstate(all="ignore"):
            ok, _ = program.run(*flat, *live)
        accepted = np.broadcast_to(np.asarray(ok, dtype=bool), where.shape).copy()
        chosen = [x[accepted] if np.ndim(x) else x for x in flat]
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                _, outs = program.run(*chosen, *live)
            return accepted, [np.array(o, dtype=np.float64) for o in outs], np.zeros_like(accepted)
        except (FloatingPointError, ValueError, ArithmeticError):
            pass
        # Some points meet an inf, a nan or a refused input: find them by halving (the program itself says which
        # raise); with on_error="raise" the caller lets the eager engine speak at the first of them.
        bad = self._bad_points(program, chosen, live, 0, int(np.count_nonzero(accepted)))
        failed = np.zeros_like(accepted)
        failed[np.flatnonzero(accepted)[bad]] = True
        kept = accepted & ~failed
        good = [x[~np.isin(np.arange(np.size(x)), bad)] if np.ndim(x) else x for x in chosen]
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            _, outs = program.run(*good, *live) if kept.any() else (None, [np.empty(0)] * len(program.outputs))
        return kept, [np.array(np.broadcast_to(o, (int(kept.sum()),)), dtype=np.float64) for o in outs], failed

    def _bad_points(self, program: _ArrayProgram, chosen: list[Any], live: list[float], lo: int, hi: int) -> list[int]:
        """The points in [lo, hi) where the program raises (an inf, a nan, a refused input), by halving."""
        np = _numpy()
        part = [x[lo:hi] if np.ndim(x) else x for x in chosen]
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                program.run(*part, *live)
            return []
        except (FloatingPointError, ValueError, ArithmeticError):
            if hi - lo == 1:
                return [lo]
        mid = (lo + hi) // 2
        return self._bad_points(program, chosen, live, lo, mid) + self._bad_points(program, chosen, live, mid, hi)

    @staticmethod
    def _in_blocks(program: _ArrayProgram, flat: list[Any], live: list[float], n: int) -> tuple[Any, list[Any]] | None:
        """The program over blocks of `BLOCK` points (their arrays stay in the processor's cache), errors raised.

        Returns which points took the branch and every point's outputs; None
        if any block met an inf, a nan or a refused input (the caller then
        sorts the points out).
        """
        np = _numpy()
        ok_all = np.empty(n, dtype=bool)
        outs: list[Any] | None = None
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                block = program.block
                for start in range(0, n, block):
                    part = [x[start : start + block] if np.ndim(x) else x for x in flat]
                    ok, results = program.run(*part, *live)
                    if outs is None:
                        outs = [np.empty(n) for _ in results]
                    for column, r in zip(outs, results):
                        column[start : start + block] = r
                    ok_all[start : start + block] = ok
        except (FloatingPointError, ValueError, ArithmeticError):
            return None
        return ok_all, outs or []

    @staticmethod
    def _flat_inputs(subset: list[Any], axes: list[Any]) -> list[Any]:
        """The program's inputs: one array (or shared number) per number of a point's arguments."""
        flat: list[Any] = []
        for a, axis in zip(subset, axes):
            if axis != 0:
                continue
            if a.ndim == 1:
                flat.append(a)
            else:  # points that are arrays: one column per number of a point
                for index in _indices(a.shape[1:]):
                    column = (slice(None), *index)
                    flat.append(a[column])
        return flat

    # -- dask --------------------------------------------------------------------

    def _dask(self, args: Sequence[Any], axes: list[Any]) -> Any:
        try:
            da = importlib.import_module("dask.array")
        except ImportError:
            raise ImportError("vmap over dask arrays needs dask: pip install 'autograd_lite[dask]'") from None
        np = _numpy()
        mapped = [a for a, axis in zip(args, axes) if axis == 0]
        if any(getattr(a, "ndim", 0) != 1 for a in mapped):
            raise ValueError("vmap: dask arrays of points must be one-dimensional")
        # The result's containers, from one point (a single-point call of the numpy path).
        probe = Vmapped(self.fn, self.in_axes, self.max_programs, "mask")
        probe(*[np.asarray(a[:1]) if axis == 0 else a for a, axis in zip(args, axes)])
        if not probe._programs:
            raise ValueError("vmap: the function fails at the first point of the dask arrays; run it there to see why")
        structure = probe._programs[0][1]  # a point's result: its containers and how many numbers
        columns = structure.size
        shared = {i: a for i, (a, axis) in enumerate(zip(args, axes)) if axis is None}
        blocks = da.map_blocks(
            _block, *mapped, fn=self, shared=shared, n=len(args), dtype=np.float64, meta=np.empty((0, 0)),
            new_axis=1, chunks=(mapped[0].chunks[0], (columns + (self.on_error == "mask"),)),
        )  # fmt: skip
        built = _unflatten_columns(structure, [blocks[:, j] for j in range(columns)], mapped[0].shape[0], da)
        return (built, blocks[:, columns] > 0.5) if self.on_error == "mask" else built


class _Masked(Exception):
    """A point that fails, under on_error="mask"."""


def _block(*blocks: Any, fn: Vmapped, shared: dict[int, Any], n: int, block_info: Any = None) -> Any:
    """One chunk of a dask call: the numpy path on it, its outputs as the columns of one array."""
    np = _numpy()
    it = iter(blocks)
    args = [shared[i] if i in shared else next(it) for i in range(n)]
    try:
        out = fn(*args)
    except (ValueError, ArithmeticError) as error:  # the point's index in the whole array, not in the chunk
        import re

        start = block_info[0]["array-location"][0][0] if block_info else 0
        text = str(error)
        found = re.match(r"vmap: at point (\d+) ", text)
        if found is None or not start:
            raise
        raise type(error)(f"vmap: at point {int(found[1]) + start} {text[found.end():]}") from error
    ok = None
    if fn.on_error == "mask":
        out, ok = out
    columns = _columns_of(out, np) + ([ok.astype(np.float64)] if ok is not None else [])
    return np.stack(columns, axis=1)


def _columns_of(built: Any, np: Any) -> list[Any]:
    """The arrays of a vmapped result, in leaf order: what `_unflatten_columns` built, taken apart again."""
    if isinstance(built, dict):
        return [c for v in built.values() for c in _columns_of(v, np)]
    if isinstance(built, (tuple, list)):
        return [c for v in built for c in _columns_of(v, np)]
    array = np.asarray(built, dtype=np.float64)
    return [array] if array.ndim == 1 else list(array.reshape(array.shape[0], -1).T)


def _shown(point: Sequence[Any]) -> str:
    return ", ".join(repr(x.item() if hasattr(x, "item") and getattr(x, "ndim", 1) == 0 else x) for x in point)


def _indices(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [()]
    for n in shape:
        out = [(*i, k) for i in out for k in range(n)]
    return out


def _unflatten_columns(structure: Structure, columns: list[Any], n: int, np: Any) -> Any:
    """`fn`'s result with each number replaced by its array over the points (an array result gains axis 0)."""
    if structure.kind == "array":
        return np.stack(columns, axis=1).reshape((n, *structure.keys))
    if structure.kind == "leaf":
        return columns[0]
    parts, start = [], 0
    for child in structure.children:
        parts.append(_unflatten_columns(child, columns[start : start + child.size], n, np))
        start += child.size
    if structure.kind == "dict":
        return dict(zip(structure.keys, parts))
    return tuple(parts) if structure.kind == "tuple" else parts


def vmap(
    fn: Callable[..., Any],
    in_axes: Any = 0,
    max_programs: int = MAX_PROGRAMS,
    on_error: str = "raise",
    backend: str = "numpy",
) -> Vmapped:
    """`fn` applied at every point of its array arguments, as programs over whole arrays (see the module docstring).

    ``backend="numba"`` compiles each branch's program to machine code and runs
    it point by point (the ``numba`` extra; points that are numbers); a branch
    numba cannot take runs on numpy, and `note` says so.

    >>> import numpy as np
    >>> import autograd_lite as al
    >>> f = al.vmap(al.value_and_grad(lambda x, a: a * x * x if x > 0 else -x), in_axes=(0, None))
    >>> values, slopes = f(np.array([-2.0, 1.0, 3.0]), 0.5)
    >>> values.tolist(), slopes.tolist()
    ([2.0, 0.5, 4.5], [-1.0, 1.0, 3.0])
    >>> f.note
    '2 program(s) for 3 points (1, 2)'
    """
    return Vmapped(fn, in_axes, max_programs, on_error, backend)

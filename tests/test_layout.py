"""The package's layout: imports run one way, and the learner's file stays small."""

import ast
import pathlib
import subprocess
import sys

import autograd_lite

PACKAGE = pathlib.Path(autograd_lite.__file__).parent


def _imports(path):
    """The package modules a module imports, at run time: top level or inside functions (not TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    found = set()

    def visit(node, typing_only=False):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograd_lite."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module"):
            return  # `al.nn` and `al.viz` load on first use, by name: not an edge the graph needs
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found - {path.stem}


def test_no_module_of_the_package_imports_one_that_imports_it_back():
    """The import graph of the package, lazy imports included, has no cycle."""
    modules = {p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    graph = {name: _imports(path) & set(modules) for name, path in modules.items()}
    state = {}

    def walk(name, path):
        state[name] = "open"
        for other in sorted(graph[name]):
            assert state.get(other) != "open", f"import cycle: {' -> '.join([*path, other])}"
            if other not in state:
                walk(other, [*path, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])


def test_the_engine_does_not_import_the_layers_above_it():
    """engine imports only what lies below it: the table, the checks, grad mode, guards and the fast path."""
    assert _imports(PACKAGE / "engine.py") <= {"checks", "fast", "grad_mode", "guards", "primitives"}
    assert _imports(PACKAGE / "primitives.py") <= {"checks"}


def test_no_cpython_only_trick_decides_correctness():
    """No reference counts and no frame inspection anywhere in the package."""
    for path in PACKAGE.glob("*.py"):
        text = path.read_text()
        for trick in ("getrefcount", "_getframe", "f_back", "co_flags"):
            assert trick not in text, f"{path.name} uses {trick}"


def test_importing_the_package_loads_no_heavy_module():
    """A bare import of autograd_lite loads neither typing nor inspect, dataclasses or the optional layers."""
    code = (
        "import sys; import autograd_lite; "
        "print(','.join(m for m in ('typing', 'inspect', 'dataclasses', 'autograd_lite.nn', 'autograd_lite.viz') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""


def test_a_star_import_shadows_no_builtin():
    """from autograd_lite import * brings in no name of a builtin (compile, sum, abs, round stay Python's)."""
    import builtins

    namespace = {}
    exec("from autograd_lite import *", namespace)
    shadowed = sorted(name for name in namespace if name != "__builtins__" and hasattr(builtins, name))
    assert shadowed == []
    exec("x = compile('1 + 1', '<s>', 'eval')", namespace)
    assert eval(namespace["x"]) == 2


def test_the_spellings_users_type_are_the_underscored_functions():
    """al.sum, al.abs and al.round are sum_, abs_ and round_; al.compile is the replay compiler."""
    import autograd_lite as al

    assert al.sum is al.sum_ and al.abs is al.abs_ and al.round is al.round_
    assert al.compile is al.replay.compile and al.sum([1.0, 2.0]) == 3.0

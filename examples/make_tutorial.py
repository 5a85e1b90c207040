"""Write examples/tutorial.ipynb from the cells below, and run it so that it is saved with its outputs.

Run:  python examples/make_tutorial.py      (needs the notebook extra: pip install '.[notebook]')

The notebook is the learner's path in one place. Its cells live here, in plain
Python, so that a change to the tutorial is a readable change to this file;
`tests/test_notebook.py` runs the committed notebook again from a clean kernel
and checks that its text outputs are still the ones saved.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

NOTEBOOK = Path(__file__).with_name("tutorial.ipynb")

CELLS: list[tuple[str, str]] = [
    ("markdown", """# autograd_lite in one sitting

A derivative is a slope. This notebook follows the learner's path of the README: slopes as rise over run,
a line fitted by gradient descent, the graph of one neuron, backprop step by step, why gradients beat
trial and error, and a tiny neural network. It runs in a few seconds."""),
    ("markdown", "## 1. A slope is Δy/Δx as Δx shrinks"),
    ("code", """import autograd_lite as al
from autograd_lite import Value

f = lambda x: x * x
for dx in (0.1, 0.01, 0.001):
    print(f"Δx = {dx:<6} Δy/Δx = {(f(1 + dx) - f(1)) / dx:.4f}")
x = Value(1.0)
f(x).backward()
print("exact slope at x = 1:", x.grad)"""),
    ("markdown", """## 2. Fit a line through (1, 2), (2, 4), (3, 6)

The loss is the mean squared error of `y = w·x`. Its slope says which way to move `w`; every exact slope
is checked against a numeric one."""),
    ("code", """points = [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]

def loss(w):
    return al.sum_([(w * x - y) ** 2 for x, y in points]) / len(points)

w = Value(0.0)
opt = al.SGD([w], lr=0.05)
for step in range(8):
    opt.zero_grad()
    loss(w).backward()
    numeric = al.numeric_grad(loss, w.data)
    print(f"step {step}: w = {w.data:.6f}  exact slope {w.grad:+.6f}  numeric {numeric:+.6f}")
    opt.step()"""),
    ("markdown", """## 3. The graph of one neuron

`tanh(x1·w1 + x2·w2 + b)`. With Graphviz installed the graph shows as a picture; without it, as a tree of text."""),
    ("code", """x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.881373587019543)
n = x1 * w1 + x2 * w2 + b
out = n.tanh()
out.backward()
names = {x1: "x1", x2: "x2", w1: "w1", w2: "w2", b: "b", n: "n"}
al.viz.draw(out, names=names)"""),
    ("markdown", "## 4. Backprop, step by step\n\nEach line is one use of the chain rule: gradient in × local slope."),
    ("code", "print(al.explain(out, names=names))"),
    ("markdown", """## 5. Why gradients beat trial and error

One gradient costs one forward and one backward pass, whatever the number of parameters. Trial and error
tries each parameter up and down: at least N + 1 loss evaluations per step, and it learns only
"better or worse"."""),
    ("code", """def bowl(ws):
    return al.sum_([(i + 1) * (w - 1.0) ** 2 for i, w in enumerate(ws)])

def one_trial_step(n_params):
    ws = [Value(0.0) for _ in range(n_params)]
    trial = al.TrialAndError(ws, step_size=0.5)
    trial.step(lambda: bowl(ws))
    return trial

for n_params in (2, 10, 50):
    trial = one_trial_step(n_params)
    print(f"N = {n_params:>2}: one trial-and-error step took {trial.evaluations:>3} loss evaluations; "
          f"a gradient takes 1 forward + 1 backward")"""),
    ("code", """import matplotlib.pyplot as plt


def valley(p):
    x, y = p
    return 0.5 * (x * x + 50 * y * y)

fig, ax = plt.subplots(figsize=(6, 3))
for name, make, colour in (("gradient descent", lambda p: al.SGD(p, lr=0.038), "tab:red"),
                           ("Adam", lambda p: al.Adam(p, lr=0.1), "tab:blue")):
    p = [Value(-9.0), Value(1.0)]
    opt, path = make(p), []
    for _ in range(50):
        path.append((p[0].data, p[1].data))
        opt.zero_grad()
        valley(p).backward()
        opt.step()
    ax.plot(*zip(*path), ".-", color=colour, label=name)
ax.set_title("½(x² + 50y²): plain descent zig-zags across the valley, Adam moves along it")
ax.legend();"""),
    ("markdown", "## 6. A tiny neural network\n\nAn MLP learns XOR, which no line can separate."),
    ("code", """xor = [([0.0, 0.0], -1), ([0.0, 1.0], 1), ([1.0, 0.0], 1), ([1.0, 1.0], -1)]
net = al.nn.MLP(2, [8, 1], activation="tanh", seed=0)
opt = al.Adam(net.parameters(), lr=0.05)
for step in range(101):
    opt.zero_grad()
    scores = [net(x) for x, _ in xor]
    loss = al.nn.hinge(scores, [y for _, y in xor])
    loss.backward()
    opt.step()
    if step % 25 == 0:
        print(f"step {step:>3}: loss {loss.data:.4f}")
print("predictions:", [1 if net(x).data > 0 else -1 for x, _ in xor], "targets:", [y for _, y in xor])"""),
    ("markdown", "## 7. A function, compiled\n\n`al.jit` traces a function once into a straight-line program of "
                 "plain floats, and traces again when a branch changes; `al.vmap` runs it at every point of an array, "
                 "each point on its own branch."),
    ("code", """import numpy as np


def huber(r):
    return 0.5 * r * r if abs(r) < 1.0 else abs(r) - 0.5

slope = al.jit(al.grad(huber))
slopes = [slope(r) for r in (-3.0, -0.5, 0.25, 2.0)]
batch = al.vmap(al.grad(huber))(np.linspace(-2.0, 2.0, 9))
print(slopes, "|", slope.note, slope.sources[-1], batch, sep="\\n")"""),
]


def cell_ids(cells: list[tuple[str, str]]) -> list[str]:
    """A stable id per cell, from its kind and text, so that rewriting an unchanged tutorial changes nothing.

    (nbformat would draw random ones.) An edited cell gets a new id, the others
    keep theirs; a repeated cell is told apart by a count.
    """
    ids: list[str] = []
    seen: dict[str, int] = {}
    for kind, text in cells:
        base = hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()[:12]
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def build() -> object:
    """The notebook of CELLS, not yet run: the same object, ids included, every time."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell(text, id=cell_id) if kind == "markdown"
        else nbformat.v4.new_code_cell(text, id=cell_id)
        for (kind, text), cell_id in zip(CELLS, cell_ids(CELLS))
    ]
    return notebook


def run(notebook: object, cwd: Path) -> object:
    """Execute `notebook` from a clean kernel (nbclient), failing on any error.

    No timings are recorded in the cells' metadata, so that the saved notebook
    depends only on the cells and what they print and show.
    """
    from nbclient import NotebookClient

    NotebookClient(
        notebook, timeout=120, kernel_name="python3", record_timing=False, resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return notebook


def main() -> int:
    try:
        import nbformat
    except ImportError:
        print("This needs the notebook extra: pip install '.[notebook]'")
        return 1
    notebook = run(build(), NOTEBOOK.parent)
    nbformat.write(notebook, NOTEBOOK)
    print(f"wrote {NOTEBOOK} with its outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Small plotting helpers shared by the examples: a text canvas, and PNGs when matplotlib is there.

The examples always draw in the terminal with `Canvas`, which needs nothing
but the standard library. `matplotlib_or_none()` returns pyplot when the
optional ``plot`` extra is installed (``pip install '.[plot]'``), else None.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType


class Canvas:
    """A character grid with real-valued axes: plot points, then render it as text.

    >>> c = Canvas(11, 3, (0.0, 10.0), (0.0, 2.0))
    >>> c.points([0.0, 5.0, 10.0], [0.0, 1.0, 2.0], "*")
    >>> print(c.render())
      2 |          *
        |     *
      0 |*
        +-----------
         0        10
    """

    def __init__(self, width: int, height: int, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
        self.width, self.height = width, height
        self.xlim, self.ylim = xlim, ylim
        self.grid = [[" "] * width for _ in range(height)]

    def _cell(self, x: float, y: float) -> tuple[int, int] | None:
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        col = round((x - x0) / (x1 - x0) * (self.width - 1))
        row = round((y1 - y) / (y1 - y0) * (self.height - 1))
        if 0 <= col < self.width and 0 <= row < self.height:
            return row, col
        return None

    def points(self, xs: Sequence[float], ys: Sequence[float], mark: str) -> None:
        """Put `mark` at every (x, y) inside the axes."""
        for x, y in zip(xs, ys):
            cell = self._cell(x, y)
            if cell is not None:
                self.grid[cell[0]][cell[1]] = mark

    def curve(self, xs: Sequence[float], ys: Sequence[float], mark: str, samples: int = 8) -> None:
        """Join consecutive points with `mark`, so lines look continuous."""
        for (xa, ya), (xb, yb) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
            ts = [k / samples for k in range(samples + 1)]
            self.points([xa + t * (xb - xa) for t in ts], [ya + t * (yb - ya) for t in ts], mark)

    def render(self) -> str:
        """The grid with a y axis (top and bottom labels) and an x axis (ends labelled)."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        top, bottom = f"{y1:g}", f"{y0:g}"
        pad = max(len(top), len(bottom)) + 2
        lines = []
        for i, row in enumerate(self.grid):
            label = top if i == 0 else bottom if i == self.height - 1 else ""
            lines.append(f"{label:>{pad}} |" + "".join(row).rstrip())
        lines.append(" " * (pad + 1) + "+" + "-" * self.width)
        left, right = f"{x0:g}", f"{x1:g}"
        lines.append(" " * (pad + 2) + left + right.rjust(self.width - len(left)))
        return "\n".join(lines)


def matplotlib_or_none() -> ModuleType | None:
    """matplotlib.pyplot with a file-only backend, or None when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def pyplot_or_explain() -> ModuleType | None:
    """pyplot for an example's optional PNG, or None after saying how to get matplotlib."""
    plt = matplotlib_or_none()
    if plt is None:
        print("\n(matplotlib is not installed: no PNG; pip install '.[plot]' for one)")
    return plt


def save(plt: ModuleType, fig: object, filename: str) -> None:
    """Write a finished figure to `filename`, free it, and say where it went."""
    fig.tight_layout()  # type: ignore[attr-defined]
    fig.savefig(filename, dpi=110)  # type: ignore[attr-defined]
    plt.close(fig)
    print(f"\nSaved the picture to {filename}")

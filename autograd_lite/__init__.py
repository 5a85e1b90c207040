"""autograd_lite: exact derivatives of scalar Python code, by reverse-mode automatic differentiation.

Contents:

* `Value` — a number that records the computation graph; ``backward()`` fills
  ``.grad`` with exact derivatives by the chain rule (`autograd_lite.engine`,
  where the table of primitives lives).
* ``exp, log, sqrt, tanh, sigmoid, relu, sin, cos, softplus`` — on Values or
  plain numbers; ``no_grad()`` to compute without recording.
* `grad`, `value_and_grad`, `jacobian`, `hessian`, `hvp`, `jvp` — derivatives as
  functions, nesting to any order (`autograd_lite.functional`).
* `numeric_grad`, `gradcheck` — finite-difference slopes, and checking exact
  ones against them (`autograd_lite.numeric`).
* `autograd_lite.optim` — `SGD`, `Adam`, and the `TrialAndError` baseline.
* `autograd_lite.nn` — `Neuron`, `Layer`, `MLP` and losses; `autograd_lite.viz` —
  pictures of the graph.
* ``compile(output)`` — record a graph once and replay it (`autograd_lite.replay`);
  not in ``__all__``, so ``from autograd_lite import *`` leaves the builtin alone.

>>> import autograd_lite as al
>>> w = al.Value(1.0)
>>> loss = ((w * 2.0 - 4.0) ** 2 + (w * 3.0 - 6.0) ** 2) / 2
>>> loss.backward()
>>> w.grad                          # negative: increasing w lowers the loss
-13.0
>>> al.gradcheck(lambda w: (w * 3.0 - 6.0) ** 2, 1.0)
True
"""

from . import optim
from .engine import (
    PRIMITIVES,
    Primitive,
    Value,
    abs_,
    cos,
    differentiate,
    dot,
    enable_grad,
    exp,
    is_recording,
    log,
    no_grad,
    push_forward,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    sum_,
    tanh,
    topological_order,
)
from .functional import grad, hessian, hvp, jacobian, jvp, value_and_grad
from .numeric import GradcheckError, gradcheck, numeric_grad
from .optim import SGD, Adam, TrialAndError
from .replay import Tape, compile  # noqa: F401 - not in __all__: `import *` must not hide the builtin

__version__ = "0.1.0"

__all__ = [
    "PRIMITIVES",
    "SGD",
    "Adam",
    "GradcheckError",
    "Primitive",
    "Tape",
    "TrialAndError",
    "Value",
    "__version__",
    "abs_",
    "cos",
    "differentiate",
    "dot",
    "enable_grad",
    "exp",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "is_recording",
    "jacobian",
    "jvp",
    "log",
    "no_grad",
    "numeric_grad",
    "optim",
    "push_forward",
    "relu",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "sum_",
    "tanh",
    "topological_order",
    "value_and_grad",
]

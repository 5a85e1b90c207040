"""autograd_lite: exact derivatives of scalar Python code, by reverse-mode automatic differentiation.

Contents:

* `Value` — a number that records the computation graph; ``backward()`` fills
  ``.grad`` with exact derivatives by the chain rule (`autograd_lite.engine`).
* The math library, on Values or plain numbers (a number gives a float, like
  `math`): exponentials and logarithms, trigonometric, hyperbolic and special
  functions (``erf``, ``lgamma``, ``digamma``…), piecewise ones (``floor``,
  ``maximum``, ``clamp``…), activations and ``logsumexp``/``softmax``
  (`autograd_lite.functions`); every one a row of the table in
  `autograd_lite.primitives`, and `primitive` adds your own. ``no_grad()``
  computes without recording (`autograd_lite.grad_mode`).
* `grad`, `value_and_grad`, `jacobian`, `hessian`, `hvp`, `jvp`, `vjp` — derivatives
  as functions, with JAX's names and defaults (``argnums=0``, ``has_aux``),
  nesting to any order, of numbers, containers of numbers or numpy arrays
  (`autograd_lite.functional`, over `autograd_lite.higher`);
  `hessian_vector_product` in scipy's ``hessp`` form.
* `root`, `fixed_point`, `argmin` — solve F(x, θ) = 0 on floats and record x* with
  the implicit function theorem's derivative, exact at every order; `SolverError`
  when no trustworthy answer exists (`autograd_lite.solvers`).
* `tree_flatten`, `tree_unflatten`, `tree_map` — lists, tuples and dicts of
  numbers to a flat list and back (`autograd_lite.tree`).
* `explain` — the reverse pass of a graph written out node by node, as on paper.
* `numeric_grad`, `gradcheck` — finite-difference slopes, and checking exact
  ones against them (`autograd_lite.numeric`).
* `autograd_lite.optim` — `SGD`, `Adam`, and the `TrialAndError` baseline.
* `autograd_lite.nn` — `Neuron`, `Layer`, `MLP` and losses; `autograd_lite.viz` —
  pictures of the graph.
* `compile` — ``al.compile(output)`` records a graph once and replays it, guarded
  against a changed branch (`autograd_lite.replay`, `autograd_lite.guards`). Like
  ``torch.compile``, it shares its name with a builtin, so ``from autograd_lite
  import *`` leaves it out, as it leaves out ``al.sum``, ``al.abs`` and
  ``al.round`` (the same functions as ``sum_``, ``abs_`` and ``round_``): a star
  import shadows no builtin.
* Errors (`autograd_lite.checks`): `NonFiniteGradientError` (a gradient became
  inf or nan), `BranchChangedError` (a replay would take another branch),
  `GradcheckError`; every other error is a builtin exception naming the operation.

>>> import autograd_lite as al
>>> w = al.Value(1.0)
>>> loss = ((w * 2.0 - 4.0) ** 2 + (w * 3.0 - 6.0) ** 2) / 2
>>> loss.backward()
>>> w.grad                          # negative: increasing w lowers the loss
-13.0
>>> al.gradcheck(lambda w: (w * 3.0 - 6.0) ** 2, 1.0)
True
"""


from . import optim, pickles  # noqa: F401  (pickles registers how Values pickle)
from .checks import BranchChangedError, NonFiniteGradientError
from .engine import Value, topological_order
from .explain import explain
from .functional import grad, hessian, hessian_vector_product, hvp, jacobian, jvp, value_and_grad, vjp
from .functions import (
    abs_,
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cbrt,
    ceil,
    clamp,
    copysign,
    cos,
    cosh,
    deg2rad,
    digamma,
    dot,
    elu,
    erf,
    erfc,
    erfinv,
    exp,
    exp2,
    expm1,
    floor,
    fmod,
    gamma,
    gelu,
    hypot,
    leaky_relu,
    lgamma,
    log,
    log1p,
    log2,
    log10,
    log_sigmoid,
    log_softmax,
    logaddexp,
    logit,
    logsumexp,
    maximum,
    minimum,
    mod,
    polygamma,
    rad2deg,
    relu,
    round_,
    sigmoid,
    sign,
    silu,
    sin,
    sinc,
    sinh,
    softmax,
    softplus,
    sqrt,
    stop_gradient,
    sum_,
    tan,
    tanh,
    trigamma,
    trunc,
    xlog1py,
    xlogy,
)
from .grad_mode import enable_grad, is_recording, no_grad
from .higher import differentiate, push_forward
from .numeric import GradcheckError, gradcheck, numeric_grad
from .optim import SGD, Adam, TrialAndError
from .primitives import PRIMITIVES, Primitive, primitive
from .replay import Tape
from .replay import compile as compile  # not in __all__: a star import must not shadow the builtin
from .solvers import SolverError, argmin, fixed_point, root
from .taylor import NonFiniteCoefficientError, Series, derivative, derivatives, jet, taylor
from .tree import tree_flatten, tree_map, tree_unflatten

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs start-up time
if TYPE_CHECKING:
    from . import nn, viz
    from .batching import Vmapped, vmap
    from .tracing import Jitted, jit

__version__ = "0.3.0"

# The spellings a PyTorch or JAX user types, beside the underscored names that never shadow a builtin. They
# are module attributes, not in `__all__`: ``from autograd_lite import *`` shadows no builtin (nor does it
# bring in `compile`, which shares its name with one; ``al.compile`` is the way to call it).
sum = sum_
abs = abs_
round = round_


# Loaded on first use, so that `import autograd_lite` stays quick: two modules, and the names of two more.
_LATER = {"nn": None, "viz": None, "jit": "tracing", "Jitted": "tracing", "vmap": "batching", "Vmapped": "batching"}


def __getattr__(name: str) -> object:
    if name in _LATER:
        import importlib

        module = importlib.import_module(f".{_LATER[name] or name}", __name__)
        found = module if _LATER[name] is None else getattr(module, name)
        globals()[name] = found  # the next lookup is an ordinary one
        return found
    raise AttributeError(f"module 'autograd_lite' has no attribute {name!r}")


__all__ = [
    "PRIMITIVES",
    "SGD",
    "Adam",
    "BranchChangedError",
    "GradcheckError",
    "Jitted",
    "NonFiniteCoefficientError",
    "NonFiniteGradientError",
    "Primitive",
    "Series",
    "SolverError",
    "Tape",
    "TrialAndError",
    "Value",
    "Vmapped",
    "__version__",
    "abs_",
    "acos",
    "acosh",
    "argmin",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cbrt",
    "ceil",
    "clamp",
    "copysign",
    "cos",
    "cosh",
    "deg2rad",
    "derivative",
    "derivatives",
    "differentiate",
    "digamma",
    "dot",
    "elu",
    "enable_grad",
    "erf",
    "erfc",
    "erfinv",
    "exp",
    "exp2",
    "explain",
    "expm1",
    "fixed_point",
    "floor",
    "fmod",
    "gamma",
    "gelu",
    "grad",
    "gradcheck",
    "hessian",
    "hessian_vector_product",
    "hvp",
    "hypot",
    "is_recording",
    "jacobian",
    "jet",
    "jit",
    "jvp",
    "leaky_relu",
    "lgamma",
    "log",
    "log1p",
    "log2",
    "log10",
    "log_sigmoid",
    "log_softmax",
    "logaddexp",
    "logit",
    "logsumexp",
    "maximum",
    "minimum",
    "mod",
    "nn",
    "no_grad",
    "numeric_grad",
    "optim",
    "polygamma",
    "primitive",
    "push_forward",
    "rad2deg",
    "relu",
    "root",
    "round_",
    "sigmoid",
    "sign",
    "silu",
    "sin",
    "sinc",
    "sinh",
    "softmax",
    "softplus",
    "sqrt",
    "stop_gradient",
    "sum_",
    "tan",
    "tanh",
    "taylor",
    "topological_order",
    "tree_flatten",
    "tree_map",
    "tree_unflatten",
    "trigamma",
    "trunc",
    "value_and_grad",
    "viz",
    "vjp",
    "vmap",
    "xlog1py",
    "xlogy",
]

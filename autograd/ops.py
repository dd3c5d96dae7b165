"""The elementwise primitives: each one a name, its forward, and one derivative rule per operand.

A rule ``rule(g, out, *operands)`` gets ``g``, the gradient dL/d(out) of the final output L with
respect to this op's result, and returns g · ∂out/∂operand: what the chain rule sends to that
operand. For ``out = a · b`` that is ``g · b`` for ``a`` and ``g · a`` for ``b``; for
``out = tanh(a)`` it is ``g · (1 - out²)``. `autograd.engine` adds those up over the graph.

These serve both node kinds (``Value`` and ``Tensor``); the Tensor-only ones (matmul,
reductions, shapes, indexing, softmax) are in `autograd.array_ops`, written the same way.

>>> MUL.rules[0](2.0, 6.0, 3.0, 2.0)     # d(a·b)/da · g = b · g
4.0
>>> TANH.rules[0](1.0, 0.5, 0.5493)      # (1 - tanh²) · g = 0.75
0.75
>>> EXP(0.0), RELU(-2.0)                 # on plain numbers a primitive is its forward
(1.0, 0.0)
"""

from __future__ import annotations

import math
import operator
from functools import partial
from typing import Any

import numpy as np

from autograd import numerics
from autograd.primitive import Primitive, power, where
from autograd.primitive import primitive as _primitive

# The built-in primitives are proven by the op table of the tests, so they skip the run-time
# checks that a user's primitive gets (see autograd.primitive.primitive).
primitive = partial(_primitive, checked=False)

# How results are written (higher binds tighter): a + b·c², -x, f(x).
SUM_LEVEL, PRODUCT_LEVEL, NEGATION_LEVEL, POWER_LEVEL, ATOM_LEVEL = 1, 2, 3, 4, 5

ADD = primitive(
    "+",
    floats=operator.add,
    arrays=operator.add,
    rules=[lambda g, out, a, b: g, lambda g, out, a, b: g],
    derivatives=["1", "1"],
    notation="{a} + {b}",
    precedence=SUM_LEVEL,
    js="a + b",
)
MUL = primitive(
    "*",
    floats=operator.mul,
    arrays=operator.mul,
    rules=[lambda g, out, a, b: g * b, lambda g, out, a, b: g * a],
    derivatives=["{b}", "{a}"],
    notation="{a}·{b}",
    precedence=PRODUCT_LEVEL,
    js="a * b",
)
EXP = primitive(
    "exp",
    floats=numerics.exp,
    arrays=np.exp,
    rules=[lambda g, out, a: g * out],
    derivatives=["exp({a})"],
    js="Math.exp(a)",
)
LOG = primitive(
    "log",
    floats=numerics.log,
    arrays=numerics.log_array,
    rules=[lambda g, out, a: g / a],
    derivatives=["1/{a}"],
    js="a <= 0 ? fail('log: input must be positive, got ' + a) : Math.log(a)",
)
TANH = primitive(
    "tanh",
    floats=math.tanh,
    arrays=np.tanh,
    rules=[lambda g, out, a: g * (1 - out * out)],
    derivatives=["1 - tanh²({a})"],
    js="Math.tanh(a)",
)


def _power_slope(a: Any, k: Any) -> Any:
    """d(a ** k)/da = k·a^(k-1), and 0 where k = 0: a ** 0 is constant, even at a = 0 where the
    formula would give 0·inf. A node exponent keeps the plain formula, so that the slope stays
    differentiable in k."""
    if k.__class__ is int or k.__class__ is float:  # a plain number: the usual case
        if k == 2:
            return a + a  # exact, and cheaper than a power
        return a * 0.0 if k == 0 else k * power(a, k - 1)
    if hasattr(k, "_op"):
        return k * power(a, k - 1)
    with np.errstate(invalid="ignore"):  # the 0·inf at a = 0, k = 0 that where() drops
        return where(k == 0, 0.0, k * power(a, k - 1))


POW = primitive(
    "**",
    floats=numerics.pow_floats,
    arrays=numerics.pow_array,
    rules=[
        lambda g, out, a, b: g * _power_slope(a, b),
        lambda g, out, a, b: g * out * LOG(where(a > 0, a, 1.0)),  # out·ln a, taken as 0 at a = 0
    ],
    derivatives=[lambda a, b, out: _power_text(a, b), "{out}·ln {a}"],
    notation="{a}^{b}",
    precedence=POWER_LEVEL,
    js=(
        "a === 0 && b < 0 ? fail('pow: 0 cannot be raised to the negative power ' + b"
        " + (b === -1 ? ' (a division by zero)' : ''))"
        " : a < 0 && !Number.isInteger(b) ? fail('pow: ' + a + ' ** ' + b + ' is not a real number')"
        " : power(a, b)"
    ),
)
SIGMOID = primitive(
    "sigmoid",
    floats=numerics.sigmoid,
    arrays=numerics.sigmoid_array,
    rules=[lambda g, out, a: g * out * (1 - out)],
    derivatives=["σ({a})·(1 - σ({a}))"],
    notation="σ({a})",
    js="a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))",
)
RELU = primitive(
    "relu",
    floats=numerics.relu,
    arrays=lambda x: np.maximum(x, 0),
    # Select, not multiply by a 0/1 mask: a dead unit must pass 0 even when g is inf. At x = 0
    # the slope is 0, and at NaN the gradient passes (both as PyTorch).
    rules=[lambda g, out, a: where(a <= 0, 0.0, g)],
    derivatives=["1 if {a} > 0, else 0"],
    js="a <= 0 ? 0 : a",
)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
ERF = primitive(
    "erf",
    floats=math.erf,
    arrays=numerics.erf_array,
    rules=[lambda g, out, a: g * _TWO_OVER_SQRT_PI * EXP(-(a * a))],
    derivatives=["2/√π·exp(-{a}²)"],
    js="erf(a)",
)
ABS = primitive(
    "abs",
    floats=abs,
    arrays=np.abs,
    rules=[lambda g, out, a: where(a > 0, g, where(a < 0, -g, 0.0))],  # sign(0) = 0, as PyTorch
    derivatives=["sign({a})"],
    notation="|{a}|",
    js="Math.abs(a)",
)
SQRT = primitive(
    "sqrt",
    floats=numerics.sqrt,
    arrays=numerics.sqrt_array,
    rules=[lambda g, out, a: g * 0.5 * power(out, -1.0)],  # inf at 0, as PyTorch
    derivatives=["1/(2·√{a})"],
    notation="√{a}",
    js="a < 0 ? fail('sqrt: input must be >= 0, got ' + a) : Math.sqrt(a)",
)
# maximum and minimum: all of g to the side that wins, half to each at a tie, and all of it to
# both at a NaN (which wins, and ties nothing), as PyTorch. Selections: an infinite g never
# meets a 0.
MAXIMUM = primitive(
    "maximum",
    floats=lambda a, b: a if a >= b or a != a else b,  # NaN wins, as numpy and PyTorch
    arrays=np.maximum,
    rules=[
        lambda g, out, a, b: where(a < b, 0.0, where(a == b, g * 0.5, g)),
        lambda g, out, a, b: where(a > b, 0.0, where(a == b, g * 0.5, g)),
    ],
    derivatives=["1 where {a} > {b}, ½ at a tie", "1 where {b} > {a}, ½ at a tie"],
    js="(a >= b || a !== a) ? a : b",
)
MINIMUM = primitive(
    "minimum",
    floats=lambda a, b: a if a <= b or a != a else b,
    arrays=np.minimum,
    rules=[
        lambda g, out, a, b: where(a > b, 0.0, where(a == b, g * 0.5, g)),
        lambda g, out, a, b: where(a < b, 0.0, where(a == b, g * 0.5, g)),
    ],
    derivatives=["1 where {a} < {b}, ½ at a tie", "1 where {b} < {a}, ½ at a tie"],
    js="(a <= b || a !== a) ? a : b",
)

# --- writing exponents as on paper -----------------------------------------------------------

_SUPERSCRIPT = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def superscript(k: float) -> str:
    """An exponent as written on paper: ``2`` -> ``²``, ``-1`` -> ``⁻¹``."""
    return (str(int(k)) if float(k).is_integer() else f"{k:g}").translate(_SUPERSCRIPT)


def _power_text(a: str, b: str) -> str:
    """The base's local derivative as written on paper: 2x, 3·x², k·x^(k - 1)."""
    try:
        k = float(b.strip("()"))  # a negative number comes bracketed: (-1)
    except ValueError:
        return f"{b}·{a}^({b} - 1)"
    coefficient = f"{k:g}" if k >= 0 else f"({k:g})"
    if k - 1 == 1:
        return f"{coefficient}{a}" if len(a) == 1 else f"{coefficient}·{a}"
    if k - 1 == 0:
        return coefficient
    return f"{coefficient}·{a}{superscript(k - 1)}"


__all__ = [name for name, value in list(globals().items()) if isinstance(value, Primitive)] + [
    "ATOM_LEVEL",
    "NEGATION_LEVEL",
    "POWER_LEVEL",
    "PRODUCT_LEVEL",
    "SUM_LEVEL",
    "superscript",
]

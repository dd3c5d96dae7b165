"""The elementwise primitives, each defined once: forward on floats and arrays, one rule per
operand, the text of each local derivative, and how it is written.

These serve both node kinds (``Value`` and ``Tensor``). The Tensor-only ones (matmul,
reductions, shapes, indexing, softmax) are in `autograd.array_ops`, written the same way.

>>> MUL.rules[0](2.0, 6.0, 3.0, 2.0)     # d(a·b)/da · g = b · g
4.0
>>> TANH.rules[0](1.0, 0.5, 0.5493)      # 1 - tanh² = 0.75
0.75
>>> EXP(0.0), RELU(-2.0)                 # on plain numbers a primitive is its forward
(1.0, 0.0)
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from autograd.primitive import power, primitive, where

__all__ = [
    "ABS",
    "ADD",
    "ERF",
    "EXP",
    "LOG",
    "MAXIMUM",
    "MINIMUM",
    "MUL",
    "POW",
    "RELU",
    "SIGMOID",
    "SQRT",
    "TANH",
    "superscript",
]

# Precedences for writing results (higher binds tighter): a + b·c², -x, f(x).
SUM_LEVEL, PRODUCT_LEVEL, NEGATION_LEVEL, POWER_LEVEL, ATOM_LEVEL = 1, 2, 3, 4, 5

_SUPERSCRIPT = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def superscript(k: float) -> str:
    """An exponent as written on paper: ``2`` -> ``²``, ``-1`` -> ``⁻¹``."""
    return (str(int(k)) if float(k).is_integer() else f"{k:g}").translate(_SUPERSCRIPT)


# --- forwards that need care on floats (Python raises where IEEE arithmetic returns inf) ------


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:  # past about 709.78: inf, as numpy
        return math.inf


def _log(x: float) -> float:
    if x <= 0:
        raise ValueError(f"log: input must be positive, got {x!r}")
    return math.log(x)


def _log_array(x: np.ndarray) -> np.ndarray:
    _refuse_below("log", x, 0.0, "positive", strict=True)
    return np.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt: input must be >= 0, got {x!r}")
    return math.sqrt(x)


def _sqrt_array(x: np.ndarray) -> np.ndarray:
    _refuse_below("sqrt", x, 0.0, ">= 0", strict=False)
    return np.sqrt(x)


def _refuse_below(op: str, x: np.ndarray, bound: float, what: str, strict: bool) -> None:
    bad = x <= bound if strict else x < bound
    if bad.any():
        where_ = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{op}: input must be {what}, got {x[where_].item()!r} at index {where_} "
            f"({int(bad.sum())} of {x.size} elements)"
        )


def _sigmoid(x: float) -> float:
    # exp of a non-positive number only, so it never overflows: sigmoid(-1000) is 0.0.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _sigmoid_array(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # NaN stays NaN (a NaN prediction must not read as a finite loss)


_erf_each = np.frompyfunc(math.erf, 1, 1)


def _erf_array(x: np.ndarray) -> np.ndarray:
    return np.asarray(_erf_each(x), dtype=x.dtype if x.dtype.kind == "f" else np.float64)


def _pow(a: float, k: float) -> float:
    """``a ** k`` on floats, as Python's own: 0 to a negative power raises ZeroDivisionError,
    a negative base to a fractional power ValueError (not a complex number), and an overflow is
    ±inf (the sign a real power has)."""
    try:
        out = a**k
    except ZeroDivisionError:
        raise ZeroDivisionError(f"pow: 0.0 cannot be raised to the negative power {k!r}") from None
    except OverflowError:
        return -math.inf if a < 0 and k % 2 == 1 else math.inf
    if out.__class__ is complex:
        raise ValueError(f"pow: {a!r} ** {k!r} is not a real number (negative base, fractional power)")
    return out


def _pow_array(a: Any, k: Any) -> Any:
    """``a ** k`` elementwise; a negative base with a fractional exponent is refused (not real),
    0 to a negative power is inf (as numpy)."""
    if isinstance(k, (int, float)):
        if not float(k).is_integer() and (np.asarray(a) < 0).any():
            raise ValueError(f"pow: negative base to the fractional power {k!r} is not a real number")
    elif (np.asarray(a) < 0).any() and (np.asarray(k) != np.round(k)).any():
        raise ValueError("pow: negative base with a fractional exponent is not a real number")
    try:
        with np.errstate(divide="ignore", over="ignore"):
            return a**k
    except ValueError as e:  # integer arrays to negative integer powers
        raise ValueError(f"pow: {e}") from None


def _power_slope(a: Any, k: Any) -> Any:
    """d(a ** k)/da = k·a^(k-1), and 0 where k = 0: a ** 0 is constant, even at a = 0 where the
    formula would give 0·inf. A node exponent keeps the plain formula, so that the slope stays
    differentiable in k."""
    if k.__class__ is int or k.__class__ is float:  # a plain number: the usual case
        if k == 2:
            return a + a  # exact, and cheaper than a power
        return a * 0.0 if k == 0 else k * power(a, k - 1)
    if hasattr(k, "_prev"):
        return k * power(a, k - 1)
    with np.errstate(invalid="ignore"):  # the 0·inf at a = 0, k = 0 that where() drops
        return where(k == 0, 0.0, k * power(a, k - 1))


def _power_text(a: str, b: str, out: str) -> str:
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


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

# --- the table ----------------------------------------------------------------------------------

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
    floats=_exp,
    arrays=np.exp,
    rules=[lambda g, out, a: g * out],
    derivatives=["exp({a})"],
    js="Math.exp(a)",
)
LOG = primitive(
    "log",
    floats=_log,
    arrays=_log_array,
    rules=[lambda g, out, a: g / a],
    derivatives=["1/{a}"],
    js="a <= 0 ? fail('log: input must be positive, got ' + a) : Math.log(a)",
)
POW = primitive(
    "**",
    floats=_pow,
    arrays=_pow_array,
    rules=[
        lambda g, out, a, b: g * _power_slope(a, b),
        lambda g, out, a, b: g * out * LOG(where(a > 0, a, 1.0)),  # out·ln a, taken as 0 at a = 0
    ],
    derivatives=[_power_text, "{out}·ln {a}"],
    notation="{a}^{b}",
    precedence=POWER_LEVEL,
    js=(
        "a === 0 && b < 0 ? fail('pow: 0 cannot be raised to the negative power ' + b"
        " + (b === -1 ? ' (a division by zero)' : ''))"
        " : a < 0 && !Number.isInteger(b) ? fail('pow: ' + a + ' ** ' + b + ' is not a real number')"
        " : power(a, b)"
    ),
)
TANH = primitive(
    "tanh",
    floats=math.tanh,
    arrays=np.tanh,
    rules=[lambda g, out, a: g * (1 - out * out)],
    derivatives=["1 - tanh²({a})"],
    js="Math.tanh(a)",
)
SIGMOID = primitive(
    "sigmoid",
    floats=_sigmoid,
    arrays=_sigmoid_array,
    rules=[lambda g, out, a: g * out * (1 - out)],
    derivatives=["σ({a})·(1 - σ({a}))"],
    notation="σ({a})",
    js="a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))",
)
RELU = primitive(
    "relu",
    floats=_relu,
    arrays=lambda x: np.maximum(x, 0),
    # Select, not multiply by a 0/1 mask: a dead unit must pass 0 even when g is inf. At x = 0
    # the slope is 0, and at NaN the gradient passes (both as PyTorch).
    rules=[lambda g, out, a: where(a <= 0, 0.0, g)],
    derivatives=["1 if {a} > 0, else 0"],
    js="a <= 0 ? 0 : a",
)
ERF = primitive(
    "erf",
    floats=math.erf,
    arrays=_erf_array,
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
    floats=_sqrt,
    arrays=_sqrt_array,
    rules=[lambda g, out, a: g * 0.5 * power(out, -1.0)],  # inf at 0, as PyTorch
    derivatives=["1/(2·√{a})"],
    notation="√{a}",
    js="a < 0 ? fail('sqrt: input must be >= 0, got ' + a) : Math.sqrt(a)",
)


def _tie_rule(first: bool, wins: Any) -> Any:
    """maximum's (or minimum's) rule for one operand: all of g where it wins, half at a tie (as
    PyTorch splits it), none where it loses: a selection, so an infinite g never meets a 0."""
    if first:
        return lambda g, out, a, b: where(wins(a, b), g, where(a == b, g * 0.5, 0.0))
    return lambda g, out, a, b: where(wins(b, a), g, where(a == b, g * 0.5, 0.0))


def _greater(x: Any, y: Any) -> Any:
    return x > y


def _less(x: Any, y: Any) -> Any:
    return x < y


MAXIMUM = primitive(
    "maximum",
    floats=lambda a, b: a if a >= b or a != a else b,  # NaN wins, as numpy and PyTorch
    arrays=np.maximum,
    rules=[_tie_rule(True, _greater), _tie_rule(False, _greater)],
    derivatives=["1 where {a} > {b}, ½ at a tie", "1 where {b} > {a}, ½ at a tie"],
    js="(a >= b || a !== a) ? a : b",
)
MINIMUM = primitive(
    "minimum",
    floats=lambda a, b: a if a <= b or a != a else b,
    arrays=np.minimum,
    rules=[_tie_rule(True, _less), _tie_rule(False, _less)],
    derivatives=["1 where {a} < {b}, ½ at a tie", "1 where {b} < {a}, ½ at a tie"],
    js="(a <= b || a !== a) ? a : b",
)

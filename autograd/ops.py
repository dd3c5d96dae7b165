"""The elementwise primitives' derivative rules: one table, shared by `Value` and `Tensor`.

An `Op` has a name (shown in graph pictures) and one rule per input. A rule
``rule(g, out, *inputs, *params)`` gets ``g``, the gradient of the final output with respect to
the op's result ``out``, and returns the gradient with respect to its input: one link of the chain
rule. The same rule runs in every kind of backward pass:

- first order, for a `Value`: ``g``, ``out`` and the inputs are Python floats;
- first order, for a `Tensor`: they are ndarrays (a Tensor sums the result back to its input's
  shape, so the rules need not care about broadcasting);
- higher order (``create_graph=True``): they are `Value` or `Tensor` nodes, so the gradient is a
  graph too, and can be differentiated again.

So a rule uses only arithmetic and the helpers below (`exp`, `log_positive`, `step`, `power`),
which do the right thing for each of those kinds. Ops that exist only for Tensors (matmul,
reductions, indexing, softmax) keep their rules in `autograd.tensor`, written the same way.

>>> MUL.rules[0](2.0, 6.0, 3.0, 2.0)     # d(a·b)/da · g = b · g
4.0
>>> TANH.rules[0](1.0, 0.5, 0.5493)      # 1 - tanh² = 0.75
0.75
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "ADD",
    "ADD_NUMBER",
    "ERF",
    "EXP",
    "LOG",
    "MUL",
    "MUL_NUMBER",
    "Op",
    "POW",
    "POW_NUMBER",
    "RELU",
    "SIGMOID",
    "TANH",
]


class Op:
    """A differentiable primitive: its name and one derivative rule per input."""

    __slots__ = ("name", "rules")

    def __init__(self, name: str, *rules: Callable[..., Any]) -> None:
        self.name = name
        self.rules = rules

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


# --- helpers: one rule, three kinds of operand (float, ndarray, graph node) -------------------

_ARRAY = (np.ndarray, np.generic)  # numpy gives scalars (np.float64, ...) for 0-d results


def raw(x: Any) -> Any:
    """The number or array behind x: a node's ``.data``, or x itself."""
    return x if x.__class__ is float or isinstance(x, _ARRAY) else getattr(x, "data", x)


def exp(x: Any) -> Any:
    """e ** x; inf where it overflows (IEEE, as numpy), never an exception."""
    if x.__class__ is float:
        try:
            return math.exp(x)
        except OverflowError:
            return math.inf
    if isinstance(x, _ARRAY):
        return np.exp(x)
    return x.exp()


def log_positive(x: Any) -> Any:
    """log x where x > 0, and 0 elsewhere: the factor out·log(a) of a ** b's derivative in b,
    taken as 0 at a = 0 (the only non-positive base a differentiated exponent allows)."""
    if x.__class__ is float:
        return math.log(x) if x > 0 else 0.0
    if isinstance(x, _ARRAY):
        return np.log(np.where(np.greater(x, 0), x, 1.0))
    positive: Any = raw(x) > 0
    if isinstance(positive, _ARRAY):  # a Tensor node
        return x.log() if positive.all() else (x * positive + np.logical_not(positive)).log()  # log 1 = 0
    return x.log() if positive else 0.0


def step(x: Any) -> Any:
    """1 where x > 0, else 0: relu's derivative (a constant, so never differentiated itself)."""
    positive = raw(x) > 0
    if isinstance(positive, _ARRAY):
        return positive
    return 1.0 if positive else 0.0


def power(a: Any, k: Any) -> Any:
    """a ** k, with 0 to a negative power giving inf (IEEE, as numpy) rather than an exception."""
    if a.__class__ is float:
        try:
            return a**k
        except ZeroDivisionError:
            return math.inf
    if isinstance(a, _ARRAY):
        with np.errstate(divide="ignore"):
            return a**k
    return a**k


def power_slope(a: Any, k: Any) -> Any:
    """d(a ** k)/da = k · a ** (k - 1), and 0 where k = 0 (a ** 0 is constant, even at a = 0,
    where the formula would give 0 · inf)."""
    if k.__class__ is int or k.__class__ is float:  # a plain number, the common case, first
        if k == 2:  # a square: skip computing a ** 1; numpy adds arrays faster than it scales them
            return a + a
        return a * 0.0 if k == 0 else k * power(a, k - 1)
    if isinstance(k, np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):  # the 0 · inf that where() drops
            return np.where(k == 0, 0.0, k * a ** (k - 1))
    # A node exponent (create_graph): the plain formula, which stays differentiable in k (at
    # k = 0 the slope in a is 0, but its derivative in k is not).
    return k * power(a, k - 1)


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

# --- the table ---------------------------------------------------------------------------------

ADD = Op("+", lambda g, out, a, b: g, lambda g, out, a, b: g)
MUL = Op("*", lambda g, out, a, b: g * b, lambda g, out, a, b: g * a)
POW = Op("**", lambda g, out, a, b: g * power_slope(a, b), lambda g, out, a, b: g * out * log_positive(a))
# A plain number k is the op's parameter, not a node: it gets no gradient.
ADD_NUMBER = Op("+", lambda g, out, a, k: g)
MUL_NUMBER = Op("*", lambda g, out, a, k: g * k)
POW_NUMBER = Op("**", lambda g, out, a, k: g * power_slope(a, k))
EXP = Op("exp", lambda g, out, a: g * out)
LOG = Op("log", lambda g, out, a: g / a)
TANH = Op("tanh", lambda g, out, a: g * (1 - out * out))
SIGMOID = Op("sigmoid", lambda g, out, a: g * out * (1 - out))
RELU = Op("relu", lambda g, out, a: g * step(a))
ERF = Op("erf", lambda g, out, a: g * _TWO_OVER_SQRT_PI * exp(-(a * a)))

"""Forwards that need care: IEEE answers where Python raises (``math.exp(1000)``), clear errors
where the math has no real answer (``log`` of a negative), and nothing that overflows on the way
(``sigmoid(-1000)``). The primitives in `autograd.ops` use them.

>>> exp(1000.0), sigmoid(-1000.0), relu(float("nan"))
(inf, 0.0, nan)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "erf_array",
    "exp",
    "log",
    "log_array",
    "pow_array",
    "pow_floats",
    "relu",
    "sigmoid",
    "sigmoid_array",
    "sqrt",
    "sqrt_array",
]


def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:  # past about 709.78: inf, as numpy
        return math.inf


def log(x: float) -> float:
    if x <= 0:
        raise ValueError(f"log: input must be positive, got {x!r}")
    return math.log(x)


def log_array(x: np.ndarray) -> np.ndarray:
    _refuse_below("log", x, 0.0, "positive", strict=True)
    return np.log(x)


def sqrt(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt: input must be >= 0, got {x!r}")
    return math.sqrt(x)


def sqrt_array(x: np.ndarray) -> np.ndarray:
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


def sigmoid(x: float) -> float:
    # exp of a non-positive number only, so it never overflows: sigmoid(-1000) is 0.0.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # NaN stays NaN (a NaN prediction must not read as a finite loss)


_erf_each = np.frompyfunc(math.erf, 1, 1)


def erf_array(x: np.ndarray) -> np.ndarray:
    return np.asarray(_erf_each(x), dtype=x.dtype if x.dtype.kind == "f" else np.float64)


def pow_floats(a: float, k: float) -> float:
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


def pow_array(a: Any, k: Any) -> Any:
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

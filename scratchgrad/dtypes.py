"""PyTorch's dtype names, as numpy dtypes, and the default floating dtype (float32, as PyTorch's).

``scratchgrad.float32`` is ``numpy.dtype("float32")``: ``str()`` of it is ``"float32"`` where
PyTorch prints ``"torch.float32"``. ``float`` is float32 and ``double`` float64, ``long`` int64 and
``int`` int32, as in PyTorch.

>>> import scratchgrad
>>> scratchgrad.float is scratchgrad.float32, scratchgrad.long is scratchgrad.int64
(True, True)
>>> scratchgrad.get_default_dtype()
dtype('float32')
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd
from autograd.factories import as_dtype

__all__ = [
    "bool",
    "double",
    "float",
    "float16",
    "float32",
    "float64",
    "get_default_dtype",
    "half",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "long",
    "set_default_dtype",
    "short",
    "uint8",
]

float16 = half = autograd.float16
float32 = float = autograd.float32
float64 = double = autograd.float64
int64 = long = autograd.int64
int32 = int = autograd.int32
int16 = short = np.dtype("int16")
int8, uint8 = np.dtype("int8"), np.dtype("uint8")
bool = autograd.bool_

_default = [float32]  # a list so that set_default_dtype changes it in place


def get_default_dtype() -> np.dtype:
    """The dtype Python floats become (``tensor([0.5])``, ``randn``, ``zeros``): float32 unless
    `set_default_dtype` changed it."""
    return _default[0]


def set_default_dtype(d: Any) -> None:
    """Make ``d`` (float32 or float64) the dtype of new floating tensors, as PyTorch's."""
    try:
        found = np.dtype(d)
    except TypeError:
        raise TypeError(f"set_default_dtype: expected a dtype, got {d!r}") from None
    if found not in (float32, float64):
        raise TypeError(f"set_default_dtype: only float32 and float64 can be the default, got {found}")
    _default[0] = found


def resolve(op: str, dtype: Any) -> np.dtype | None:
    """``dtype`` as a numpy dtype (None stays None): PyTorch's rule for Python's types, ``float``
    is float64 and ``int`` int64; anything not a real number type is a TypeError naming ``op``."""
    return None if dtype is None else as_dtype(op, dtype, None)


def floating(op: str, dtype: Any) -> np.dtype:
    """``dtype``, or the default dtype when None (for factories that make floats)."""
    found = resolve(op, dtype)
    return get_default_dtype() if found is None else found

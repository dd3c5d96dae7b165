"""Reading state-dict entries (for `nn.module` and `nn.optim_state`): a parameter's or buffer's
array, and an entry cast to the dtype it is loaded into, refusing what the cast would change.

>>> _cast("w", [1, 2], np.dtype(np.float32))[0].dtype
dtype('float32')
>>> _cast("n", 2.5, np.dtype(np.int64))[1]
"'n' holds 2.5, not a whole number for its int64"
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensors import Tensor
from autograd.value import Value

__all__: list[str] = []  # helpers for nn's state dicts, not part of the API


def _data_array(p: Any) -> np.ndarray:
    """The numbers a parameter or buffer holds: a Tensor's own array (not a copy), a Value's
    float as a 0-d float64 array."""
    return np.asarray(p.data, dtype=np.float64) if isinstance(p, Value) else p._data


def _as_array(x: Any) -> Any:
    """State-dict entries may be arrays, numbers, or nodes (a Tensor's or Value's numbers are taken)."""
    if isinstance(x, Tensor):
        return x._data
    return x.data if isinstance(x, Value) else x


def _cast(key: str, value: Any, dtype: np.dtype) -> tuple[np.ndarray, str]:
    """(a copy of ``value`` as ``dtype``, "") or (an empty array, the problem, naming ``key``)."""
    try:
        raw = np.asarray(_as_array(value))
    except (TypeError, ValueError) as err:
        return np.empty(0), f"{key!r} cannot be read as {dtype} numbers ({err})"
    if raw.dtype.kind == "c":
        return raw, f"{key!r} holds {raw.dtype} numbers, not real ones (the imaginary part would be lost)"
    if raw.dtype.kind not in "biuf":
        return raw, f"{key!r} cannot be read as {dtype} numbers (it holds {raw.dtype} values)"
    if dtype.kind in "iu":  # an integer buffer (num_batches_tracked): whole numbers in range
        return _cast_integers(key, raw, dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        new = raw.astype(dtype)  # always a copy: the model does not share the caller's array
    overflowed = ~np.isfinite(new) & np.isfinite(raw)
    if overflowed.any():
        before, after = raw[overflowed].flat[0], new[overflowed].flat[0]
        return new, f"{key!r} {before:g} becomes {after} as {dtype} (out of its range)"
    return new, ""


def _cast_integers(key: str, raw: np.ndarray, dtype: np.dtype) -> tuple[np.ndarray, str]:
    """``raw`` as integers of ``dtype`` when every number is a whole number in its range."""
    info = np.iinfo(dtype)
    if raw.dtype.kind == "f":
        bad = ~np.isfinite(raw) | (raw != np.round(raw))
        if bad.any():
            return raw, f"{key!r} holds {raw[bad].flat[0].item()!r}, not a whole number for its {dtype}"
    if raw.size and (raw.min() < info.min or raw.max() > info.max):
        return raw, f"{key!r} holds numbers beyond the range of its {dtype}"
    return raw.astype(dtype), ""

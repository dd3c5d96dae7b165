"""PyTorch's dtype for Python data, and values that must fit their dtype (for the factories).

``torch.tensor(data)`` reads nested lists, tuples and ranges of Python numbers, numpy scalars
and arrays, and tensors. Its dtype promotes the elements' own: a bool is bool, a Python int
int64, a Python float the default float dtype, a numpy scalar or a tensor brings its dtype, and a
float among integers wins (``[np.int64(1), 2.5]`` is float32, as PyTorch's). Integers are taken
exactly, never through float64 (``tensor([2**53 + 1])`` keeps its last digit), and a value the
dtype cannot hold is a ValueError naming it, never a wrapped or rounded number.

>>> from scratchgrad.inference import exact_array
>>> import numpy as np
>>> exact_array("tensor", [True, 2], None, np.dtype("float32")).dtype
dtype('int64')
>>> int(exact_array("tensor", [2**53 + 1], None, np.dtype("float32"))[0]) == 2**53 + 1
True
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any

import numpy as np

import autograd

__all__ = ["check_fits", "exact_array"]

_PYTHON = {bool: np.dtype(bool), int: np.dtype(np.int64)}
_WHOLE = (int, np.integer, np.bool_)  # exact: compared as Python ints (bool is an int)


def _promoted(kinds: set[type], default: np.dtype) -> np.dtype | None:
    """PyTorch's dtype for elements of these types (bool < integers < floats; within a kind, the
    wider), or None when one of them is not a real number (the caller reports it)."""
    found = []
    for kind in kinds:
        if kind in _PYTHON:
            found.append(_PYTHON[kind])
        elif kind is float:
            found.append(default)
        elif issubclass(kind, np.generic) and np.dtype(kind).kind in "biuf":
            found.append(np.dtype(kind))
        else:
            return None
    for letter in "fiub":  # the float dtypes win over the integers, the integers over bool
        same = [d for d in found if d.kind == letter or (letter == "i" and d.kind == "u")]
        if same:
            return functools.reduce(np.promote_types, same)
    return None


def exact_array(op: str, data: Any, dtype: np.dtype | None, default: np.dtype) -> np.ndarray | None:
    """``data`` (Python data, not an array or a tensor) as an array of ``dtype`` (PyTorch's
    inferred one when None), its integers exact; None when ``data`` is not a rectangular nest of
    real numbers (autograd's ``tensor`` then says what is wrong with it)."""
    arrays: set[type] = set()
    try:
        cells = np.array(data, dtype=object)
        flat = cells.ravel().tolist()
        kinds = set(map(type, flat))
        if _holds_arrays(data, cells.ndim) or any(issubclass(kind, _ARRAYS) for kind in kinds):
            cells = np.array(_unwrapped(data, arrays), dtype=object)  # their dtypes, not Python's
            flat = cells.ravel().tolist()
            kinds = set(map(type, flat))
    except (ValueError, TypeError):
        return None
    if kinds & {list, tuple, np.ndarray}:  # numpy stopped where the rows' lengths differ
        raise ValueError(
            f"{op}: ragged nested lists: the items at depth {cells.ndim} differ in length (or mix "
            "numbers and lists); a tensor needs rows of one length at each depth"
        )
    if not flat:
        return None  # no numbers: the default dtype, as autograd.tensor gives it
    found = _promoted(kinds | arrays, default)
    if found is None:
        odd = next(x for x in flat if _promoted({type(x)}, default) is None)
        what = (
            "complex numbers are not supported" if isinstance(odd, complex) else f"got {type(odd).__name__}"
        )
        raise TypeError(f"{op}: data must be real numbers (ints, floats or bools); {what}: {_shown(odd)}")
    target = found if dtype is None else dtype
    if target.kind in "iu":
        _check_integers(op, flat, kinds, target)
    try:
        with np.errstate(over="ignore"):  # a float past float32's range becomes inf, as PyTorch's
            return cells.astype(target)
    except OverflowError:  # an int beyond any float (10**400)
        big = max(flat, key=lambda x: abs(x) if isinstance(x, int) else 0)
        raise ValueError(f"{op}: {_shown(big)} is too large for {target}") from None


_ARRAYS = (np.ndarray, autograd.Tensor)


def _holds_arrays(data: Any, depth: int) -> bool:
    """Whether tensors or arrays are among the containers of ``data``'s first ``depth`` levels,
    looked for level by level, each level's types gathered at once (a Python call per item
    would cost more than all the rest)."""
    level = [data]
    for d in range(depth):
        if any(issubclass(kind, _ARRAYS) for kind in set(map(type, level))):
            return True
        if d + 1 < depth:
            level = list(itertools.chain.from_iterable(level))
    return False


def _unwrapped(data: Any, arrays: set[type]) -> Any:
    """``data`` with tensors replaced by their arrays; ``arrays`` collects the scalar type of
    every array found (an object array holds their numbers as Python's)."""
    if isinstance(data, autograd.Tensor):
        data = data._data
    if isinstance(data, np.ndarray):
        arrays.add(data.dtype.type)
        if data.ndim == 0:
            return data[()]  # a 0-d array as its numpy scalar
        # numpy scalars, which keep the array's dtype: an object array made from the array
        # itself would hold Python ints and floats (a list of int8 arrays would become int64)
        return np.fromiter(data.flat, dtype=object, count=data.size).reshape(data.shape)
    if isinstance(data, (list, tuple, range)):
        return [_unwrapped(x, arrays) for x in data]
    return data


def _check_integers(op: str, flat: list[Any], kinds: set[type], target: np.dtype) -> None:
    """Each value must become an integer of ``target`` (a float is cut toward zero, as PyTorch
    casts it): finite, and in range after the cut."""
    if not all(issubclass(kind, _WHOLE) for kind in kinds):
        for x in flat:
            if not isinstance(x, _WHOLE) and not math.isfinite(x):
                raise ValueError(f"{op}: {x!r} cannot be converted to {target} (it is not finite)")
    elif kinds <= {int, bool}:
        try:  # numpy refuses a Python int out of range itself: the fast way for the usual case
            np.array(flat, dtype=target)
            return
        except OverflowError:
            pass
    for value in (min(flat), max(flat)):
        _check_range(op, value, target)


def _check_range(op: str, value: Any, target: np.dtype) -> None:
    info = np.iinfo(target)
    value = value.item() if isinstance(value, np.generic) else value  # a numpy scalar would overflow
    if not info.min - 1 < value < info.max + 1:
        raise ValueError(f"{op}: {_shown(value)} is out of range for {target} [{info.min}, {info.max}]")


def _shown(value: Any) -> str:
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 40 else f"{text[:12]}...({len(text)} digits)"


def check_fits(op: str, value: Any, dtype: np.dtype) -> None:
    """A fill value must be representable in ``dtype`` (PyTorch: "value cannot be converted to
    type ... without overflow"): integers take finite values in range (a float is cut toward
    zero), floats any value up to their largest (inf and NaN too); anything goes into bool."""
    if dtype.kind == "b" or isinstance(value, (bool, np.bool_)):
        return
    whole = isinstance(value, _WHOLE)
    if dtype.kind in "iu":
        if not whole and not math.isfinite(value):
            raise ValueError(f"{op}: {value!r} cannot be converted to {dtype} (it is not finite)")
        _check_range(op, value, dtype)
    elif dtype.kind == "f":
        number = int(value) if whole else float(value)  # a Python int compares exactly
        if abs(number) > float(np.finfo(dtype).max) and (whole or math.isfinite(number)):
            raise ValueError(f"{op}: {_shown(value)} is too large for {dtype} (it would become inf)")

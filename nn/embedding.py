"""`Embedding`: a table of learned vectors looked up by integer index, as ``torch.nn.Embedding``.

>>> import nn
>>> table = nn.Embedding(10, 3, rng=0)
>>> table([[1, 2], [2, 9]]).shape           # any shape of indices, one vector each
(2, 2, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.devices import check_cpu
from autograd.factories import where
from autograd.tensors import Tensor
from nn import init
from nn.init import RNG, get_rng
from nn.layers import _check_count, _check_size
from nn.linear import float_dtype
from nn.module import Module

__all__ = ["Embedding", "IndexOutOfRangeError", "check_indices", "rows_of"]


class IndexOutOfRangeError(IndexError, ValueError):
    """An index outside the table: an IndexError, as PyTorch raises ("index out of range in
    self"), and a ValueError, as this project's errors about values are."""


def check_indices(who: str, indices: Any, size: int | None) -> np.ndarray:
    """``indices`` (a Tensor, an array, a list or an int) as an integer array, every one in
    [0, size) when ``size`` is given; TypeError for what is not integers, `IndexOutOfRangeError`
    (an IndexError and a ValueError) for an index out of range (negative ones too: PyTorch refuses
    them, numpy would count from the end), or beyond int64 (10**30: numpy keeps it as an object)."""
    data = indices._data if isinstance(indices, Tensor) else indices
    if isinstance(data, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{who}: indices must be integers, got {type(data).__name__}")
    try:
        array = np.asarray(data)
    except ValueError:
        raise ValueError(f"{who}: the indices are ragged (rows of different lengths)") from None
    if array.dtype.kind not in "iu":
        if array.size == 0 and array.dtype.kind == "f":  # [] reads as float64: no indices
            return array.astype(np.int64)
        whole = _python_integers(data, array)
        if whole is not None:  # integers numpy could not hold as int64: out of any table's range
            _refuse_out_of_range(who, whole, size)
        raise TypeError(f"{who}: indices must be integers, got {_kind(array)}")
    if size is not None and array.size:
        bad = (array < 0) | (array >= size)
        if bad.any():
            _refuse_out_of_range(who, array, size)
    return array


def _python_integers(data: Any, array: np.ndarray) -> np.ndarray | None:
    """``data`` as an object array when every item is an integer that numpy could not fit in
    int64 or uint64 ([10**30] is kept as objects; [-1, 2**63] becomes float64); else None."""
    if isinstance(data, np.ndarray) or array.dtype.kind not in "fO":
        return None  # a float array really holds floats
    try:
        items = np.asarray(data, dtype=object)
    except ValueError:
        return None
    if items.size and all(
        isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)) for x in items.flat
    ):
        return items
    return None


def _refuse_out_of_range(who: str, array: np.ndarray, size: int | None) -> None:
    """Raise `IndexOutOfRangeError` naming the first index of ``array`` outside [0, size)
    (outside int64 when ``size`` is None), and where it is."""
    low, high = (0, size) if size is not None else (-(2**63), 2**63)
    for spot, x in np.ndenumerate(array):
        if not low <= int(x) < high:
            at = f" at {spot if len(spot) != 1 else spot[0]}" if spot else ""
            limit = f"for {size} entries" if size is not None else "of int64"
            raise IndexOutOfRangeError(f"{who}: index {_int_text(int(x))}{at} is out of range {limit}")


def _kind(array: np.ndarray) -> str:
    """What the indices hold instead of integers: the first item that is not one, else the dtype."""
    if array.dtype.kind == "O":
        odd = (x for x in array.flat if not isinstance(x, (int, np.integer)) or isinstance(x, bool))
        return next((type(x).__name__ for x in odd), "object")
    return str(array.dtype)


def _int_text(x: int) -> str:
    """``x`` in digits, or by its size when it has too many to print (Python refuses 4300+)."""
    return str(x) if x.bit_length() <= 256 else f"(an int of {x.bit_length()} bits)"


class Embedding(Module):
    """``weight`` (num_embeddings, embedding_dim) drawn from N(0, 1) as PyTorch's
    (``init.normal_`` from the default generator, or ``rng=``). Calling it with integer indices
    of any shape gives their rows, shape ``(*indices.shape, embedding_dim)``; the gradient of a
    row used several times adds up. ``padding_idx``: that row starts at zeros and gets no
    gradient, as PyTorch's. ``dtype``: float64 by default; ``device``: the CPU only."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: RNG = None,
    ) -> None:
        _check_size("Embedding", "num_embeddings", num_embeddings)
        _check_size("Embedding", "embedding_dim", embedding_dim)
        _check_count("Embedding", [num_embeddings, embedding_dim])
        check_cpu("Embedding", device)
        dtype = float_dtype("Embedding", dtype)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _check_padding(padding_idx, num_embeddings)
        table = np.empty((num_embeddings, embedding_dim), dtype)
        self.weight = Tensor(table, requires_grad=True, label="weight")
        init.normal_(self.weight, generator=get_rng(rng))
        if self.padding_idx is not None:
            table[self.padding_idx] = 0

    def forward(self, indices: Any) -> Tensor:
        index = check_indices("Embedding", indices, self.num_embeddings)
        return rows_of(self.weight, index, self.padding_idx)

    def extra_repr(self) -> str:
        padding = "" if self.padding_idx is None else f", padding_idx={self.padding_idx}"
        return f"{self.num_embeddings}, {self.embedding_dim}{padding}"


def rows_of(weight: Tensor, index: np.ndarray, padding_idx: int | None) -> Tensor:
    """``weight[index]``; the rows at ``padding_idx`` (if not None) get no gradient."""
    rows = weight[index]
    if padding_idx is None:
        return rows
    counted = (index != padding_idx)[..., None]
    return where(counted, rows, rows.detach())


def _check_padding(padding_idx: Any, size: int) -> int | None:
    if padding_idx is None:
        return None
    if isinstance(padding_idx, (bool, np.bool_)) or not isinstance(padding_idx, (int, np.integer)):
        raise TypeError(f"Embedding: padding_idx must be an int or None, got {type(padding_idx).__name__}")
    if not -size <= padding_idx < size:
        raise ValueError(f"Embedding: padding_idx {padding_idx} must be within the {size} entries")
    return int(padding_idx) % size

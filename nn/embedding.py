"""`Embedding`: a table of learned vectors looked up by integer index, as ``torch.nn.Embedding``.

>>> import nn
>>> table = nn.Embedding(10, 3, rng=0)
>>> table([[1, 2], [2, 9]]).shape           # any shape of indices, one vector each
(2, 2, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor
from nn.init import RNG, get_rng
from nn.layers import _check_size
from nn.linear import float_dtype
from nn.module import Module

__all__ = ["Embedding", "check_indices"]


def check_indices(who: str, indices: Any, size: int | None) -> np.ndarray:
    """``indices`` (a Tensor, an array, a list or an int) as an integer array, every one in
    [0, size) when ``size`` is given; TypeError for what is not integers, ValueError for an index
    out of range (negative ones too: PyTorch refuses them, numpy would count from the end)."""
    data = indices.data if isinstance(indices, Tensor) else indices
    if isinstance(data, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{who}: indices must be integers, got {type(data).__name__}")
    try:
        array = np.asarray(data)
    except ValueError:
        raise ValueError(f"{who}: the indices are ragged (rows of different lengths)") from None
    if array.dtype.kind not in "iu":
        if array.size == 0 and array.dtype.kind == "f":  # [] reads as float64: no indices
            return array.astype(np.int64)
        raise TypeError(f"{who}: indices must be integers, got {_kind(array)}")
    if size is not None and array.size:
        bad = (array < 0) | (array >= size)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            at = f" at {where if len(where) != 1 else where[0]}" if where else ""
            raise ValueError(f"{who}: index {int(array[bad].flat[0])}{at} is out of range for {size} entries")
    return array


def _kind(array: np.ndarray) -> str:
    if array.dtype.kind == "O":
        odd = next(x for x in array.flat if not isinstance(x, (int, np.integer)) or isinstance(x, bool))
        return type(odd).__name__
    return str(array.dtype)


class Embedding(Module):
    """``weight`` (num_embeddings, embedding_dim) drawn from N(0, 1), as PyTorch's. Calling it
    with integer indices of any shape gives their rows, shape ``(*indices.shape, embedding_dim)``;
    the gradient of a row used several times adds up."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        *,
        rng: RNG = None,
        dtype: Any = np.float64,
    ) -> None:
        _check_size("Embedding", "num_embeddings", num_embeddings)
        _check_size("Embedding", "embedding_dim", embedding_dim)
        dtype = float_dtype("Embedding", dtype)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        table = get_rng(rng).standard_normal((num_embeddings, embedding_dim)).astype(dtype)
        self.weight = Tensor(table, requires_grad=True, label="weight")

    def forward(self, indices: Any) -> Tensor:
        return self.weight[check_indices("Embedding", indices, self.num_embeddings)]

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"

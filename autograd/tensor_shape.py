"""Tensor shapes and indexing: ``reshape``, ``transpose`` / ``.T``, ``t[index]``.

Each is one line over its primitive (`autograd.array_ops`) after the checks that name the
problem. Mixed into `autograd.tensor.Tensor`.

>>> from autograd import Tensor
>>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2).shape
(2, 2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.array_ops import GETITEM, RESHAPE, TRANSPOSE
from autograd.tensor_reduce import normalize_axes

if TYPE_CHECKING:
    from autograd.primitive import Primitive
    from autograd.tensor import Tensor

__all__ = ["Shapes", "clean_index"]


def _shape_arg(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` alike, as numpy and PyTorch accept both."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


def clean_index(op: str, index: Any) -> tuple[Any, bool]:
    """An index with Tensors replaced by their arrays, and whether it may repeat an element."""
    items = index if isinstance(index, tuple) else (index,)
    clean, repeats = [], False
    for item in items:
        item = getattr(item, "data", item) if hasattr(item, "_prev") else item  # a Tensor
        if isinstance(item, list):
            try:
                item = np.asarray(item)
            except ValueError:
                raise ValueError(
                    f"{op}: the index list {item!r:.60} is ragged (rows of different lengths)"
                ) from None
        if isinstance(item, np.ndarray):
            if item.dtype.kind not in "biu":
                raise TypeError(f"{op}: index arrays must be integers or booleans, got {item.dtype}")
            repeats = repeats or item.dtype.kind != "b"
        clean.append(item)
    return (tuple(clean) if isinstance(index, tuple) else clean[0]), repeats


class Shapes:
    """The shape and indexing methods of `Tensor` (a mixin: see `autograd.tensor`)."""

    __slots__ = ()
    data: np.ndarray

    if TYPE_CHECKING:

        def _apply1(self, prim: Primitive, **params: Any) -> Tensor: ...

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (one dimension may be -1), as ``ndarray.reshape``.

        >>> from autograd import Tensor
        >>> Tensor(np.arange(6.0)).reshape(2, -1).shape
        (2, 3)
        """
        shape = _shape_arg(shape)
        try:
            return self._apply1(RESHAPE, shape=shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape shape {self.data.shape} ({self.data.size} elements) into {shape}"
            ) from None
        except TypeError:
            raise TypeError(f"reshape: the shape must be ints, got {shape!r}") from None

    def transpose(self, *axes: Any) -> Tensor:
        """Permute the axes (all reversed when none are given), as ``ndarray.transpose``.

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((2, 3, 4))).transpose(2, 0, 1).shape
        (4, 2, 3)
        """
        axes = _shape_arg(axes)
        ndim = self.data.ndim
        axes = axes or tuple(range(ndim - 1, -1, -1))
        if len(axes) != ndim:
            raise ValueError(f"transpose: {len(axes)} axes given for shape {self.data.shape}, need {ndim}")
        normalize_axes("transpose", axes, ndim)  # ints, in range, none repeated: a permutation
        return self._apply1(TRANSPOSE, axes=tuple(int(a) % ndim for a in axes))

    @property
    def T(self) -> Tensor:
        """All axes reversed (the matrix transpose for 2-D)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        """numpy indexing: ints, slices, None, ..., integer arrays and boolean masks. Gradients of
        repeated indices add up.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> x[[0, 0, 2]].sum().backward()
        >>> x.grad
        array([2., 0., 1.])
        """
        index, repeats = clean_index("index", index)
        try:
            return self._apply1(GETITEM, index=index, repeats=repeats)
        except IndexError as e:
            raise IndexError(f"index: {e} (tensor shape {self.data.shape})") from None

"""Tensor shapes and indexing: ``reshape view flatten unsqueeze squeeze transpose permute T``,
``t[index]`` and ``masked_fill``.

``reshape``, ``transpose`` and indexing are one line over their primitives
(`autograd.array_ops`) after the checks that name the problem; the rest are composites of them.
Mixed into `autograd.tensors.Tensor`.

>>> from autograd import Tensor
>>> Tensor([1.0, 2.0, 3.0, 4.0]).view(2, 2).unsqueeze(0).shape
(1, 2, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.node import Node
from autograd.primitive import _REGISTRY
from autograd.tensor_reduce import normalize_axes, one_axis

if TYPE_CHECKING:
    from autograd.primitive import Primitive
    from autograd.tensors import Tensor

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
        item = item._data if isinstance(item, Node) else item  # a Tensor: its array
        if isinstance(item, (list, range)):
            try:  # (a list of 0-d Tensors is the list of their numbers)
                item = np.asarray([x._data if isinstance(x, Node) else x for x in item])
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
    """The shape and indexing methods of `Tensor` (a mixin: see `autograd.tensors`)."""

    __slots__ = ()
    _data: np.ndarray

    if TYPE_CHECKING:

        def _apply1(self, prim: Primitive, **params: Any) -> Tensor: ...

        @staticmethod
        def _apply(prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Tensor: ...

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (one dimension may be -1), as ``ndarray.reshape``.

        >>> from autograd import Tensor
        >>> Tensor(np.arange(6.0)).reshape(2, -1).shape
        (2, 3)
        """
        shape = _shape_arg(shape)
        if any(isinstance(n, (int, np.integer)) and n < -1 for n in shape):
            raise ValueError(f"reshape: a size must be >= 0, or -1 for the one inferred, got {shape}")
        try:
            return self._apply1(_REGISTRY["reshape"], shape=shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape shape {self._data.shape} ({self._data.size} elements) into {shape}"
            ) from None
        except TypeError:
            raise TypeError(f"reshape: the shape must be ints, got {shape!r}") from None

    def view(self, *shape: Any) -> Tensor:
        """PyTorch's name for `reshape` (any tensor can be viewed here: numpy copies if it must)."""
        return self.reshape(*shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """The dimensions ``start_dim`` to ``end_dim`` (both included) merged into one.

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((2, 3, 4))).flatten(1).shape
        (2, 12)
        """
        shape = self._data.shape
        if not shape:
            return self.reshape(1)
        start, end = (one_axis("flatten", d, len(shape)) for d in (start_dim, end_dim))
        if start > end:
            raise ValueError(
                f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {shape}"
            )
        return self.reshape(*shape[:start], -1 if 0 not in shape else 0, *shape[end + 1 :])

    def unsqueeze(self, dim: int) -> Tensor:
        """A new axis of length 1 at ``dim`` (from -ndim-1 to ndim, as PyTorch).

        >>> from autograd import Tensor
        >>> Tensor([1.0, 2.0]).unsqueeze(-1).shape
        (2, 1)
        """
        ndim = self._data.ndim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"unsqueeze: dim must be an int, got {type(dim).__name__}")
        if not -ndim - 1 <= dim <= ndim:
            raise ValueError(f"unsqueeze: dim {dim} is out of range for a tensor with {ndim} dimensions")
        dim = int(dim) % (ndim + 1)
        return self.reshape(*self._data.shape[:dim], 1, *self._data.shape[dim:])

    def squeeze(self, dim: int | None = None) -> Tensor:
        """The axes of length 1 removed (only ``dim``'s, if given and of length 1, as PyTorch).

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((1, 3, 1))).squeeze().shape, Tensor(np.zeros((1, 3, 1))).squeeze(1).shape
        ((3,), (1, 3, 1))
        """
        shape = self._data.shape
        if dim is None:
            return self.reshape(*(n for n in shape if n != 1))
        if not shape:
            return self.reshape(())
        ax = one_axis("squeeze", dim, len(shape))
        return self.reshape(*shape[:ax], *shape[ax + 1 :]) if shape[ax] == 1 else self.reshape(*shape)

    def transpose(self, *axes: Any) -> Tensor:
        """``transpose()`` reverses the axes, ``transpose(1, 2, 0)`` permutes them (numpy), and
        ``transpose(dim0, dim1)``, two axes, swaps them (PyTorch: ``k.transpose(-2, -1)``).

        >>> from autograd import Tensor
        >>> x = Tensor(np.zeros((2, 3, 4)))
        >>> x.transpose(2, 0, 1).shape, x.transpose(0, 2).shape, x.transpose(-2, -1).shape
        ((4, 2, 3), (4, 3, 2), (2, 4, 3))
        """
        axes = _shape_arg(axes)
        ndim = self._data.ndim
        if len(axes) == 2 and ndim >= 2:  # PyTorch's swap of two dimensions
            a, b = (one_axis("transpose", d, ndim) for d in axes)
            order = list(range(ndim))
            order[a], order[b] = order[b], order[a]
            axes = tuple(order)
        axes = axes or tuple(range(ndim - 1, -1, -1))
        if len(axes) != ndim:
            raise ValueError(f"transpose: {len(axes)} axes given for shape {self._data.shape}, need {ndim}")
        normalize_axes("transpose", axes, ndim)  # ints, in range, none repeated: a permutation
        return self._apply1(_REGISTRY["transpose"], axes=tuple(int(a) % ndim for a in axes))

    def permute(self, *dims: Any) -> Tensor:
        """The axes in the order ``dims`` (PyTorch's name for a full transpose).

        >>> from autograd import Tensor
        >>> Tensor(np.zeros((2, 3, 4))).permute(2, 0, 1).shape
        (4, 2, 3)
        """
        dims = _shape_arg(dims)
        if len(dims) != self._data.ndim:
            raise ValueError(
                f"permute: {len(dims)} dims given for shape {self._data.shape}, need {self._data.ndim}"
            )
        normalize_axes("permute", dims, self._data.ndim)
        return self._apply1(
            _REGISTRY["transpose"], axes=tuple(int(d) % max(self._data.ndim, 1) for d in dims)
        )

    @property
    def T(self) -> Tensor:
        """All axes reversed (the matrix transpose for 2-D)."""
        return self._apply1(_REGISTRY["transpose"], axes=tuple(range(self._data.ndim - 1, -1, -1)))

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
            return self._apply1(_REGISTRY["[]"], index=index, repeats=repeats)
        except IndexError as e:
            raise IndexError(f"index: {e} (tensor shape {self._data.shape})") from None

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """``value`` where ``mask`` (booleans, broadcast to this shape) holds, these elements elsewhere.

        >>> from autograd import Tensor
        >>> Tensor([1.0, 2.0, 3.0]).masked_fill(np.array([True, False, True]), -np.inf).tolist()
        [-inf, 2.0, -inf]
        """
        cond = np.asarray(getattr(mask, "_data", mask))
        if cond.dtype != np.bool_:
            raise TypeError(f"masked_fill: the mask must be booleans, got {cond.dtype}")
        try:
            shape = np.broadcast_shapes(cond.shape, self._data.shape)
        except ValueError:
            raise ValueError(
                f"masked_fill: mask shape {cond.shape} does not broadcast to {self._data.shape}"
            ) from None
        if shape != self._data.shape:
            raise ValueError(
                f"masked_fill: mask shape {cond.shape} would grow the tensor's {self._data.shape}"
            )
        fill = np.shape(getattr(value, "_data", value))
        try:
            grows = np.broadcast_shapes(fill, self._data.shape) != self._data.shape
        except ValueError:
            grows = True
        if grows:
            raise ValueError(
                f"masked_fill: the value's shape {fill} does not fit the tensor's {self._data.shape}"
            )
        return self._apply(_REGISTRY["where"], (value, self), {"cond": cond})

    # --- joining tensors (autograd.cat and autograd.stack, and numpy's twins of them) ---------

    @classmethod
    def _joined(cls, op: str, tensors: Any) -> list[Tensor]:
        if (
            isinstance(tensors, Shapes)
            or not isinstance(tensors, Sequence)
            or isinstance(tensors, (str, bytes))
        ):
            raise TypeError(f"{op}: expected a list or tuple of Tensors, got {type(tensors).__name__}")
        if not tensors:
            raise ValueError(f"{op}: expected at least one tensor, got none")
        return [t if isinstance(t, Shapes) else cls(t) for t in tensors]  # type: ignore[call-arg, misc]

    @classmethod
    def _cat(cls, tensors: Sequence[Any], dim: int) -> Tensor:
        ts = cls._joined("cat", tensors)
        ndim = ts[0]._data.ndim
        if ndim == 0 or any(t._data.ndim != ndim for t in ts):
            shapes = [t._data.shape for t in ts]
            raise ValueError(
                f"cat: tensors need the same number of dimensions (at least 1), got shapes {shapes}"
            )
        ax = one_axis("cat", dim, ndim)
        rest = ts[0]._data.shape[:ax] + ts[0]._data.shape[ax + 1 :]
        if any(t._data.shape[:ax] + t._data.shape[ax + 1 :] != rest for t in ts):
            raise ValueError(f"cat: shapes {[t._data.shape for t in ts]} differ outside dim {dim}")
        bounds = tuple(int(b) for b in np.cumsum([0] + [t._data.shape[ax] for t in ts]))  # where each starts
        return cls._apply(_REGISTRY["cat"], tuple(ts), {"axis": ax, "bounds": bounds})

    @classmethod
    def _stack(cls, tensors: Sequence[Any], dim: int) -> Tensor:
        ts = cls._joined("stack", tensors)
        if any(t._data.shape != ts[0]._data.shape for t in ts):
            raise ValueError(f"stack: tensors need one shape, got {[t._data.shape for t in ts]}")
        ndim = ts[0]._data.ndim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not -ndim - 1 <= dim <= ndim:
            raise ValueError(f"stack: dim {dim!r} is out of range for tensors with {ndim} dimensions")
        return cls._cat([t.unsqueeze(int(dim)) for t in ts], dim=int(dim) % (ndim + 1))

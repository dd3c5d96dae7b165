"""Tensor shapes and indexing: ``reshape view flatten unsqueeze squeeze transpose permute T
expand repeat flip split chunk``, ``t[index]``, ``gather`` and ``masked_fill``.

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


def _other_shape(op: str, other: Any) -> tuple[int, ...]:
    if not isinstance(other, Shapes):
        raise TypeError(f"{op}: expected a Tensor, got {type(other).__name__}")
    return other._data.shape


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

        def clone(self) -> Tensor: ...

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

    def expand(self, *sizes: Any) -> Tensor:
        """This Tensor broadcast to ``sizes`` (-1 keeps a dimension's size; new ones go in front),
        as PyTorch's ``expand``. The gradient sums back over the copies.

        >>> from autograd import Tensor
        >>> Tensor([[1.0], [2.0]]).expand(2, 3).tolist()
        [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
        """
        sizes = _shape_arg(sizes)
        shape, lead = self._data.shape, len(sizes) - self._data.ndim
        if lead < 0 or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in sizes):
            raise ValueError(f"expand: sizes {sizes} do not fit shape {shape} (one whole number per dim)")
        target = tuple(int(shape[i - lead]) if n == -1 and i >= lead else int(n) for i, n in enumerate(sizes))
        if any(n < 0 for n in target) or any(
            shape[i] not in (1, target[i + lead]) for i in range(len(shape))
        ):
            raise ValueError(f"expand: shape {shape} cannot expand to {sizes}")
        if target == shape:
            return self  # type: ignore[return-value]
        return self._apply1(_REGISTRY["broadcast"], shape=target)

    def expand_as(self, other: Any) -> Tensor:
        """``expand`` to ``other``'s shape."""
        return self.expand(*_other_shape("expand_as", other))

    def view_as(self, other: Any) -> Tensor:
        """``view`` as ``other``'s shape."""
        return self.reshape(*_other_shape("view_as", other))

    def contiguous(self) -> Tensor:
        """This Tensor if its elements lie in order in memory, else a copy that does (``x.T``
        is a view: its contiguous copy no longer shares memory with ``x``), as PyTorch's."""
        return self if self._data.flags.c_contiguous else self.clone()  # type: ignore[return-value]

    def repeat(self, *repeats: Any) -> Tensor:
        """The tensor tiled ``repeats[d]`` times along each dimension d (more repeats than dims
        add dimensions in front), as PyTorch's ``repeat`` and numpy's ``tile``.

        >>> from autograd import Tensor
        >>> Tensor([1.0, 2.0]).repeat(2, 2).tolist()
        [[1.0, 2.0, 1.0, 2.0], [1.0, 2.0, 1.0, 2.0]]
        """
        repeats = _shape_arg(repeats)
        ok = all(isinstance(r, (int, np.integer)) and not isinstance(r, bool) and r >= 0 for r in repeats)
        if not ok or len(repeats) < self._data.ndim:
            raise ValueError(
                f"repeat: give one count >= 0 per dimension (at least {self._data.ndim}), got {repeats}"
            )
        shape = (1,) * (len(repeats) - self._data.ndim) + self._data.shape
        # Each dim of size n as (1, n), broadcast to (r, n), merged into r*n: the copies in order.
        spread = self.reshape(*(m for n in shape for m in (1, n)))
        tiled = spread.expand(*(m for r, n in zip(repeats, shape) for m in (r, n)))
        out = tiled.reshape(*(r * n for r, n in zip(repeats, shape)))
        return out.clone() if np.shares_memory(out._data, self._data) else out  # (a copy, as PyTorch's)

    def flip(self, *dims: Any) -> Tensor:
        """The elements along each of ``dims`` in reverse order (a copy, as PyTorch's)."""
        axes = normalize_axes("flip", _shape_arg(dims), self._data.ndim)
        backwards = tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(self._data.ndim))
        return self[backwards].clone()

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces along ``dim``: of ``split_size`` each (the last may be smaller), or of the sizes
        listed, as PyTorch's ``split``.

        >>> from autograd import Tensor
        >>> [t.tolist() for t in Tensor([1.0, 2.0, 3.0]).split(2)]
        [[1.0, 2.0], [3.0]]
        """
        ax = one_axis("split", dim, self._data.ndim)
        n, size = self._data.shape[ax], split_size_or_sections
        if isinstance(size, (list, tuple)):
            sizes = list(size)
            if not all(isinstance(k, (int, np.integer)) and k >= 0 for k in sizes) or sum(sizes) != n:
                raise ValueError(f"split: sizes {size} must be whole numbers adding up to {n} (dim {dim})")
        elif isinstance(size, (int, np.integer)) and not isinstance(size, bool) and size > 0:
            sizes = [min(size, n - i) for i in range(0, n, size)] or [0]
        else:
            raise ValueError(f"split: the size must be an int > 0 or a list of sizes, got {size!r}")
        starts = np.cumsum([0, *sizes])
        lead = (slice(None),) * ax
        return tuple(self[(*lead, slice(int(a), int(b)))] for a, b in zip(starts, starts[1:]))

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, that dimension removed, as a tuple (each one differentiable).

        >>> from autograd import Tensor
        >>> [t.tolist() for t in Tensor([[1, 2], [3, 4]]).unbind(1)]
        [[1.0, 3.0], [2.0, 4.0]]
        """
        if not self._data.ndim:
            raise ValueError("unbind: a 0-d tensor has no dimension to unbind")
        ax = one_axis("unbind", dim, self._data.ndim)
        before = (slice(None),) * ax
        return tuple(self[before + (i,)] for i in range(self._data.shape[ax]))

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """``chunks`` pieces along ``dim`` (fewer if it does not divide evenly), as PyTorch's."""
        if isinstance(chunks, bool) or not isinstance(chunks, (int, np.integer)) or chunks <= 0:
            raise ValueError(f"chunk: chunks must be an int > 0, got {chunks!r}")
        n = self._data.shape[one_axis("chunk", dim, self._data.ndim)]
        return self.split(max(-(-n // int(chunks)), 1), dim)

    def __getitem__(self, index: Any) -> Tensor:
        """numpy indexing: ints, slices, None, ..., integer arrays and boolean masks. Gradients of
        repeated indices add up.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> x[[0, 0, 2]].sum().backward()
        >>> x.grad
        Tensor([2., 0., 1.])
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

    def gather(self, dim: int, index: Any) -> Tensor:
        """out[i][j] = self[index[i][j]][j] for dim 0 (and so on): picks along ``dim`` by an
        integer ``index`` of the same number of dimensions, as PyTorch's ``gather``. Gradients
        of indices picked twice add up.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).gather(1, Tensor(np.array([[1], [0]]))).tolist()
        [[2.0], [3.0]]
        """
        ax = one_axis("gather", dim, self._data.ndim)
        idx = np.asarray(getattr(index, "_data", index))
        if idx.dtype.kind not in "iu" or idx.ndim != self._data.ndim:
            raise ValueError(
                f"gather: index must be integers with {self._data.ndim} dims, got {idx.dtype} with {idx.ndim}"
            )
        if any(m > n for i, (m, n) in enumerate(zip(idx.shape, self._data.shape)) if i != ax):
            raise ValueError(
                f"gather: index shape {idx.shape} is larger than {self._data.shape} outside dim {dim}"
            )
        n = self._data.shape[ax]
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            bad = idx.min() if idx.min() < 0 else idx.max()
            raise IndexError(f"gather: index {bad} is out of bounds for dim {dim} of size {n}")
        picked: Any = np.indices(idx.shape, sparse=True)  # every other dim as it is, this one at the index
        return self[tuple(idx if i == ax else p for i, p in enumerate(picked))]

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

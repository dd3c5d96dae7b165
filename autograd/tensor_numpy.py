"""A Tensor among numpy and Python values: conversions (``item tolist numpy float double long
int to``) and numpy's functions applied to Tensors.

numpy must never take a Tensor's numbers and silently drop its graph: ``np.asarray(t)`` on a
Tensor that requires grad is refused (as PyTorch refuses ``t.numpy()``), and numpy functions
(``np.concatenate``, ``np.where``, ``np.sum``, ...) called on Tensors run their differentiable twin
here (`autograd.cat`, `autograd.where`, ``Tensor.sum``) or raise TypeError naming what to use.
numpy's ufuncs (``np.exp(t)``) are refused by numpy itself (``Tensor.__array_ufunc__ = None``).
Mixed into `autograd.tensor.Tensor`.

>>> import numpy as np
>>> from autograd import Tensor
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> np.concatenate([x, x]).requires_grad, x.double().dtype, x.tolist()
(True, dtype('float64'), [1.0, 2.0])
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.array_ops import CAST

if TYPE_CHECKING:
    from autograd.primitive import Primitive
    from autograd.tensor import Tensor

__all__ = ["NumpyInterop"]


def _twins() -> dict[Callable[..., Any], Callable[..., Any]]:
    """numpy function -> what it does to Tensors here (differentiably)."""
    from autograd import factories

    def reduction(name: str) -> Callable[..., Any]:
        return lambda a, axis=None, keepdims=False, **_: getattr(a, name)(axis=axis, keepdims=keepdims)

    return {
        np.concatenate: lambda arrays, axis=0: factories.cat(arrays, dim=axis),
        np.stack: lambda arrays, axis=0: factories.stack(arrays, dim=axis),
        np.where: lambda cond, a, b: factories.where(cond, a, b),
        np.sum: reduction("sum"),
        np.mean: reduction("mean"),
        np.max: reduction("max"),
        np.amax: reduction("max"),
        np.min: reduction("min"),
        np.amin: reduction("min"),
        np.reshape: lambda a, shape, **_: a.reshape(shape),
        np.transpose: lambda a, axes=None: a.transpose(*(axes or ())),
        np.squeeze: lambda a, axis=None: a.squeeze(axis),
        np.expand_dims: lambda a, axis: a.unsqueeze(axis),
        np.clip: lambda a, a_min=None, a_max=None, **_: a.clamp(a_min, a_max),
        np.shape: lambda a: a.shape,
        np.ndim: lambda a: a.ndim,
        np.size: lambda a, axis=None: a.numel() if axis is None else a.shape[axis],
    }


_TWINS: dict[Callable[..., Any], Callable[..., Any]] = {}


class NumpyInterop:
    """Conversions and numpy dispatch of `Tensor` (a mixin: see `autograd.tensor`)."""

    __slots__ = ()
    data: np.ndarray
    requires_grad: bool

    if TYPE_CHECKING:

        def _apply1(self, prim: Primitive, **params: Any) -> Tensor: ...

        @staticmethod
        def _constant(data: np.ndarray) -> Tensor: ...

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> np.ndarray:
        # numpy would take the numbers and drop the graph without a word (``Tensor([a, b])``,
        # ``np.asarray(t)``): refuse, as PyTorch does, for a Tensor gradients flow through.
        if self.requires_grad:
            raise TypeError(
                "numpy cannot take a Tensor that requires grad: its graph would be lost. Use "
                "autograd.stack(...) or autograd.cat(...) to combine Tensors, or .detach() for the numbers"
            )
        if dtype is None or dtype == self.data.dtype:
            return self.data.copy() if copy else self.data
        return self.data.astype(dtype)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if not _TWINS:
            _TWINS.update(_twins())
        twin = _TWINS.get(func)
        if twin is None:
            name = getattr(func, "__name__", str(func))
            raise TypeError(
                f"np.{name} cannot work on Tensors without dropping their graph; use the Tensor's own "
                f"methods or autograd's functions (cat, stack, where, ...), or np.{name}(t.data) for numbers"
            )
        return twin(*args, **kwargs)

    def numpy(self) -> np.ndarray:
        """The data array itself (shared, not copied); refused, as PyTorch, while gradients flow
        through this Tensor: use ``.detach().numpy()`` (or ``.data``) for its numbers."""
        if self.requires_grad:
            raise TypeError(
                "numpy: this Tensor requires grad; use .detach().numpy() (or .data) for its numbers"
            )
        return self.data

    def item(self) -> builtins.float | builtins.int | builtins.bool:
        """The single element as a Python number.

        >>> from autograd import Tensor
        >>> Tensor([[2.5]]).item()
        2.5
        """
        if self.data.size != 1:
            raise ValueError(
                f"item: the tensor has {self.data.size} elements (shape {self.data.shape}), not 1"
            )
        return self.data.item()

    def tolist(self) -> Any:
        """The elements as (nested) Python lists of numbers."""
        return self.data.tolist()

    def to(self, dtype: Any) -> Tensor:
        """A copy of another dtype; differentiable between float types (the gradient goes back to
        this dtype), a constant for an integer or bool dtype.

        >>> from autograd import Tensor
        >>> Tensor([1.5], requires_grad=True).to("float32").dtype
        dtype('float32')
        """
        try:
            kind = np.dtype(dtype)
        except TypeError:
            raise TypeError(f"to: dtype must be a numpy dtype or its name, got {dtype!r}") from None
        if kind.kind not in "biuf":
            raise TypeError(f"to: dtype must be a real number type, got {kind}")
        if kind.kind != "f":  # integers and bools cannot carry gradients: a constant
            return self._constant(self.data.astype(kind))
        return self._apply1(CAST, dtype=kind)

    def float(self) -> Tensor:
        """As float32 (PyTorch's ``.float()``), differentiable."""
        return self.to(np.float32)

    def double(self) -> Tensor:
        """As float64, differentiable."""
        return self.to(np.float64)

    def long(self) -> Tensor:
        """As int64 (class indices), a constant."""
        return self.to(np.int64)

    def int(self) -> Tensor:
        """As int32, a constant."""
        return self.to(np.int32)

    def bool(self) -> Tensor:
        """As booleans (nonzero is True), a constant."""
        return self.to(np.bool_)

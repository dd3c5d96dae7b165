"""Tensor reductions and normalisations: ``sum``, ``mean``, ``max``, ``softmax``, ``log_softmax``.

Each is one line over its primitive (`autograd.array_ops`) after checking its axis; ``mean`` is
a composite (a sum times 1/count). Mixed into `autograd.tensor.Tensor`.

>>> from autograd import Tensor
>>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0).data
array([4., 6.])
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.array_ops import LOG_SOFTMAX, MAX, SOFTMAX, SUM

if TYPE_CHECKING:
    from autograd.primitive import Primitive
    from autograd.tensor import Tensor

__all__ = ["Axis", "Reductions", "normalize_axes", "one_axis"]

Axis = int | tuple[int, ...] | list[int] | None


def normalize_axes(op: str, axis: Axis, ndim: int) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes (all of them for None); ValueError naming
    ``op`` if one is out of range or repeated, TypeError if one is not an int."""
    if axis is None:
        return tuple(range(ndim))
    items = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for ax in items:
        if isinstance(ax, (bool, np.bool_)) or not isinstance(ax, (int, np.integer)):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {type(ax).__name__}")
        if not -ndim <= ax < ndim:
            raise ValueError(f"{op}: axis {ax} is out of range for a tensor with {ndim} dimensions")
        out.append(int(ax) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(out))


def one_axis(op: str, axis: Any, ndim: int) -> int:
    """A single axis (softmax normalises along one), checked as `normalize_axes` checks it."""
    if axis is None or isinstance(axis, (tuple, list)):
        raise TypeError(f"{op}: axis must be one int, got {axis!r}")
    return normalize_axes(op, axis, ndim)[0]


def _keep(op: str, keepdims: Any) -> bool:
    if keepdims is False or keepdims is True:
        return keepdims
    if not isinstance(keepdims, np.bool_):
        raise TypeError(f"{op}: keepdims must be a bool, got {type(keepdims).__name__} {keepdims!r}")
    return bool(keepdims)


class Reductions:
    """The reductions of `Tensor` (a mixin: see `autograd.tensor`)."""

    __slots__ = ()
    data: np.ndarray

    if TYPE_CHECKING:

        def _apply1(self, prim: Primitive, **params: Any) -> Tensor: ...

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (an int, a tuple, or None for all; negative axes count from the end).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=1, keepdims=True).data
        array([[3.],
               [7.]])
        """
        axes = None if axis is None else normalize_axes("sum", axis, self.data.ndim)  # None: all
        return self._apply1(SUM, axes=axes, keepdims=_keep("sum", keepdims))

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis``, as `sum` times 1/count (NaN for an empty tensor, as numpy).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1).data
        array([1.5, 3.5])
        """
        if axis is None:
            count = self.data.size
        else:
            count = math.prod(self.data.shape[i] for i in normalize_axes("mean", axis, self.data.ndim))
        return self.sum(axis, keepdims) * (1.0 / count if count else math.nan)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Maximum over ``axis``. The gradient goes to the arg-max; k tied maxima get 1/k each.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
        >>> x.max().backward()
        >>> x.grad
        array([0. , 0.5, 0.5])
        """
        axes = normalize_axes("max", axis, self.data.ndim)
        if self.data.size == 0:
            raise ValueError(f"max: cannot take the max of an empty tensor, shape {self.data.shape}")
        return self._apply1(MAX, axes=axes, keepdims=_keep("max", keepdims))

    def softmax(self, axis: int = -1) -> Tensor:
        """exp(x) / Σ exp(x) along ``axis``, shifted by the max first so that nothing overflows.

        >>> from autograd import Tensor
        >>> Tensor([1000.0, 1000.0]).softmax().data
        array([0.5, 0.5])
        """
        ax = one_axis("softmax", axis, self.data.ndim)
        return self._apply1(SOFTMAX, axis=ax)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x - log Σ exp(x) along ``axis``, computed stably (finite for logits of 1e4).

        >>> from autograd import Tensor
        >>> Tensor([0.0, 1e4]).log_softmax().data
        array([-10000.,      0.])
        """
        ax = one_axis("log_softmax", axis, self.data.ndim)
        return self._apply1(LOG_SOFTMAX, axis=ax)

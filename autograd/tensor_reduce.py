"""Tensor reductions and normalisations: ``sum mean max min var std argmax argmin softmax
log_softmax``.

``sum``, ``max``, ``softmax`` and ``log_softmax`` are one line over their primitives
(`autograd.array_ops`) after checking the axis; ``mean``, ``min``, ``var`` and ``std`` are
composites of those. Every one takes numpy's ``axis``/``keepdims`` or PyTorch's ``dim``/``keepdim``.
Mixed into `autograd.tensor.Tensor`.

>>> from autograd import Tensor
>>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0).data
array([4., 6.])
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.primitive import _REGISTRY

if TYPE_CHECKING:
    from autograd.primitive import Primitive
    from autograd.tensor import Tensor

__all__ = ["Axis", "Reductions", "normalize_axes", "one_axis"]

Axis = int | tuple[int, ...] | list[int] | None
_UNSET: Any = object()  # "not given", told apart from an axis of None (all axes)


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
        if not -max(ndim, 1) <= ax < max(ndim, 1):
            raise ValueError(f"{op}: axis {ax} is out of range for a tensor with {ndim} dimensions")
        out.append(int(ax) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(out)) if ndim else ()


def one_axis(op: str, axis: Any, ndim: int) -> int:
    """A single axis (softmax normalises along one), checked as `normalize_axes` checks it."""
    if axis is None or isinstance(axis, (tuple, list)):
        raise TypeError(f"{op}: axis must be one int, got {axis!r}")
    if ndim == 0:
        raise ValueError(f"{op}: a 0-d tensor has no axis to work along")
    return normalize_axes(op, axis, ndim)[0]


def pick(op: str, numpy_name: str, numpy_value: Any, torch_name: str, torch_value: Any, default: Any) -> Any:
    """One argument given by its numpy name (axis, keepdims) or its PyTorch name (dim, keepdim)."""
    if numpy_value is not _UNSET and torch_value is not _UNSET:
        raise TypeError(f"{op}: give {numpy_name}= or {torch_name}=, not both")
    value = numpy_value if numpy_value is not _UNSET else torch_value
    return default if value is _UNSET else value


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

        @staticmethod
        def _apply(prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Tensor: ...

        def __neg__(self) -> Tensor: ...

        def __sub__(self, other: Any) -> Tensor: ...

        def __mul__(self, other: Any) -> Tensor: ...

        @staticmethod
        def _constant(data: np.ndarray) -> Tensor: ...

    def _axis_keep(self, op: str, axis: Any, keepdims: Any, dim: Any, keepdim: Any) -> tuple[Any, bool]:
        axis = pick(op, "axis", axis, "dim", dim, None)
        keep = _keep(op, pick(op, "keepdims", keepdims, "keepdim", keepdim, False))
        if axis is None or (isinstance(axis, (tuple, list)) and not axis):  # dim=(): all, as PyTorch
            return None, keep
        return normalize_axes(op, axis, self.data.ndim), keep

    def sum(
        self, axis: Axis = _UNSET, keepdims: bool = _UNSET, *, dim: Axis = _UNSET, keepdim: bool = _UNSET
    ) -> Tensor:
        """Sum over ``axis`` (an int, a tuple, or None for all; negative axes count from the end).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=1, keepdims=True).data
        array([[3.],
               [7.]])
        """
        if axis is _UNSET and keepdims is _UNSET and dim is _UNSET and keepdim is _UNSET:
            return self._apply1(_REGISTRY["sum"], axes=None, keepdims=False)  # the usual loss.sum(), fast
        axes, keep = self._axis_keep("sum", axis, keepdims, dim, keepdim)  # None: all axes
        return self._apply1(_REGISTRY["sum"], axes=axes, keepdims=keep)

    def mean(
        self, axis: Axis = _UNSET, keepdims: bool = _UNSET, *, dim: Axis = _UNSET, keepdim: bool = _UNSET
    ) -> Tensor:
        """Mean over ``axis``, as `sum` times 1/count (NaN for an empty tensor, as numpy).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1).data
        array([1.5, 3.5])
        """
        axes, keep = self._axis_keep("mean", axis, keepdims, dim, keepdim)
        count = self.data.size if axes is None else math.prod(self.data.shape[i] for i in axes)
        return self._apply1(_REGISTRY["sum"], axes=axes, keepdims=keep) * (1.0 / count if count else math.nan)

    def max(
        self, axis: Axis = _UNSET, keepdims: bool = _UNSET, *, dim: Axis = _UNSET, keepdim: bool = _UNSET
    ) -> Tensor:
        """Maximum over ``axis`` (the values only, as ``torch.amax``; `argmax` gives the indices).
        The gradient goes to the arg-max; k tied maxima get 1/k each.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
        >>> x.max().backward()
        >>> x.grad
        array([0. , 0.5, 0.5])
        """
        return self._extreme("max", axis, keepdims, dim, keepdim)

    def min(
        self, axis: Axis = _UNSET, keepdims: bool = _UNSET, *, dim: Axis = _UNSET, keepdim: bool = _UNSET
    ) -> Tensor:
        """Minimum over ``axis``, as -max(-x) (the values only, as ``torch.amin``; ties share).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 5.0], [3.0, 2.0]]).min(dim=1).data
        array([1., 2.])
        """
        return -(-self)._extreme("min", axis, keepdims, dim, keepdim)

    def _extreme(self, who: str, axis: Axis, keepdims: Any, dim: Axis, keepdim: Any) -> Tensor:
        """The max over the axes asked for (``min`` is -max(-x); ``who`` names the caller)."""
        axes, keep = self._axis_keep(who, axis, keepdims, dim, keepdim)
        reduced = self.data.shape if axes is None else [self.data.shape[i] for i in axes]
        if 0 in reduced:  # (an empty tensor along other dims gives an empty result, as PyTorch)
            raise ValueError(f"{who}: cannot take the {who} over an empty dimension, shape {self.data.shape}")
        return self._apply1(_REGISTRY["max"], axes=axes, keepdims=keep)

    def var(
        self,
        axis: Axis = _UNSET,
        unbiased: bool = True,
        keepdims: bool = _UNSET,
        *,
        dim: Axis = _UNSET,
        keepdim: bool = _UNSET,
        correction: int | None = None,
    ) -> Tensor:
        """Variance over ``axis``: Σ(x - mean)² / (n - correction), unbiased (correction 1) by
        default, as PyTorch; ``unbiased=False`` or ``correction=0`` divides by n.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0, 3.0, 4.0])
        >>> round(x.var().item(), 6), x.var(unbiased=False).item()
        (1.666667, 1.25)
        """
        axes, keep = self._axis_keep("var", axis, keepdims, dim, keepdim)
        if not isinstance(unbiased, (bool, np.bool_)):
            raise TypeError(f"var: unbiased must be a bool, got {type(unbiased).__name__}")
        if correction is None:
            correction = 1 if unbiased else 0
        elif isinstance(correction, bool) or not isinstance(correction, (int, float)):
            raise TypeError(f"var: correction must be a number, got {type(correction).__name__}")
        return self._apply1(_REGISTRY["var"], axes=axes, correction=correction, keepdims=keep)

    def std(
        self,
        axis: Axis = _UNSET,
        unbiased: bool = True,
        keepdims: bool = _UNSET,
        *,
        dim: Axis = _UNSET,
        keepdim: bool = _UNSET,
        correction: int | None = None,
    ) -> Tensor:
        """Standard deviation: the square root of `var` (unbiased by default, as PyTorch). Where
        it is 0 (a constant feature) its gradient is 0, as PyTorch's, not 0·inf = NaN.

        >>> from autograd import Tensor
        >>> x = Tensor([2.0, 2.0, 2.0], requires_grad=True)
        >>> x.std().backward()
        >>> x.grad
        array([0., 0., 0.])
        """
        kept = pick("std", "keepdims", keepdims, "keepdim", keepdim, False)
        v = self.var(pick("std", "axis", axis, "dim", dim, None), unbiased, kept, correction=correction)
        zero = v.data == 0
        if not zero.any():
            return v.sqrt()
        # sqrt's slope at 0 is inf: take the root of 1 there instead, and select 0 for the result
        where = _REGISTRY["where"]
        return self._apply(where, (0.0, self._apply(where, (1.0, v), {"cond": zero}).sqrt()), {"cond": zero})

    def argmax(self, dim: Any = None, keepdim: bool = False, *, axis: Any = _UNSET) -> Tensor:
        """The index of the maximum (the first, at ties) along ``dim``, or in the flattened tensor
        for None, as an int64 Tensor; not differentiable.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 5.0], [3.0, 2.0]]).argmax(dim=1).tolist()
        [1, 0]
        """
        return self._arg("argmax", np.argmax, dim, keepdim, axis)

    def argmin(self, dim: Any = None, keepdim: bool = False, *, axis: Any = _UNSET) -> Tensor:
        """The index of the minimum along ``dim`` (flattened for None), as `argmax`."""
        return self._arg("argmin", np.argmin, dim, keepdim, axis)

    def _arg(self, op: str, fn: Any, dim: Any, keepdim: bool, axis: Any) -> Tensor:
        dim = pick(op, "axis", axis, "dim", None if dim is None else dim, None)
        keep = _keep(op, keepdim)
        if self.data.size == 0:
            raise ValueError(f"{op}: the tensor is empty (shape {self.data.shape})")
        if dim is None:
            found = fn(self.data)
            return self._constant(
                np.asarray(found).reshape((1,) * self.data.ndim) if keep else np.asarray(found)
            )
        ax = one_axis(op, dim, self.data.ndim)
        return self._constant(np.asarray(fn(self.data, axis=ax, keepdims=keep)))

    def softmax(self, axis: int = _UNSET, *, dim: int = _UNSET) -> Tensor:
        """exp(x) / Σ exp(x) along ``axis`` (the last by default), shifted by the max first so that
        nothing overflows.

        >>> from autograd import Tensor
        >>> Tensor([1000.0, 1000.0]).softmax().data
        array([0.5, 0.5])
        """
        ax = one_axis("softmax", pick("softmax", "axis", axis, "dim", dim, -1), self.data.ndim)
        return self._apply1(_REGISTRY["softmax"], axis=ax)

    def log_softmax(self, axis: int = _UNSET, *, dim: int = _UNSET) -> Tensor:
        """x - log Σ exp(x) along ``axis`` (the last by default), computed stably (finite for
        logits of 1e4).

        >>> from autograd import Tensor
        >>> Tensor([0.0, 1e4]).log_softmax().data
        array([-10000.,      0.])
        """
        ax = one_axis("log_softmax", pick("log_softmax", "axis", axis, "dim", dim, -1), self.data.ndim)
        return self._apply1(_REGISTRY["log_softmax"], axis=ax)

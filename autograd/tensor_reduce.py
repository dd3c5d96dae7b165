"""Tensor reductions and normalisations: ``sum mean max min var std argmax argmin softmax
log_softmax``, and the running and ordering ones: ``cumsum sort topk``.

``sum``, ``max``, ``softmax`` and ``log_softmax`` are one line over their primitives
(`autograd.array_ops`) after checking the axis; ``mean``, ``min``, ``var`` and ``std`` are
composites of those. Every one takes numpy's ``axis``/``keepdims`` or PyTorch's ``dim``/``keepdim``.
Mixed into `autograd.tensors.Tensor`.

>>> from autograd import Tensor
>>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0).data
Tensor([4., 6.])
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from autograd.primitive import _REGISTRY

if TYPE_CHECKING:
    from autograd.primitive import Primitive
    from autograd.tensors import Tensor

__all__ = ["Axis", "ValuesIndices", "Reductions", "normalize_axes", "one_axis"]

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


def _either(op: str, torch_name: str, torch_value: Any, numpy_name: str, numpy_value: Any) -> Any:
    """One argument given by its PyTorch name (dim, keepdim) or its numpy name (axis, keepdims)."""
    if numpy_value is None:
        return torch_value
    if torch_value is not None and torch_value is not False:
        raise TypeError(f"{op}: give {torch_name}= or {numpy_name}=, not both")
    return numpy_value


def _keep(op: str, keepdims: Any) -> bool:
    if keepdims is False or keepdims is True:
        return keepdims
    if not isinstance(keepdims, np.bool_):
        raise TypeError(f"{op}: keepdim must be a bool, got {type(keepdims).__name__} {keepdims!r}")
    return bool(keepdims)


class ValuesIndices(NamedTuple):
    """What ``x.max(dim)``, ``x.min(dim)``, ``x.sort()`` and ``x.topk(k)`` return, as PyTorch:
    the values, and where each came from along the dim (at a tie, the first)."""

    values: Any
    indices: Any


class Reductions:
    """The reductions of `Tensor` (a mixin: see `autograd.tensors`)."""

    __slots__ = ()
    _data: np.ndarray

    if TYPE_CHECKING:

        def _apply1(self, prim: Primitive, **params: Any) -> Tensor: ...

        @staticmethod
        def _apply(prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Tensor: ...

        def __neg__(self) -> Tensor: ...

        def __sub__(self, other: Any) -> Tensor: ...

        def __mul__(self, other: Any) -> Tensor: ...

        @staticmethod
        def _constant(data: np.ndarray) -> Tensor: ...

        def __getitem__(self, index: Any) -> Tensor: ...

        def gather(self, dim: int, index: Any) -> Tensor: ...

    def _axes(self, op: str, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> tuple[Any, bool]:
        """The axes to reduce (None: all; ``dim=()`` too, as PyTorch) and whether to keep them."""
        dim = _either(op, "dim", dim, "axis", axis)
        keep = _keep(op, _either(op, "keepdim", keepdim, "keepdims", keepdims))
        if dim is None or (isinstance(dim, (tuple, list)) and not dim):
            return None, keep
        return normalize_axes(op, dim, self._data.ndim), keep

    def sum(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool | None = None
    ) -> Tensor:
        """Sum over ``dim`` (an int, a tuple, or None for all; negative dims count from the end);
        numpy's ``axis``/``keepdims`` are accepted too.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(1, keepdim=True).tolist()
        [[3.0], [7.0]]
        """
        if dim is None and axis is None and not keepdim and keepdims is None:
            return self._apply1(_REGISTRY["sum"], axes=None, keepdims=False)  # the usual loss.sum(), fast
        axes, keep = self._axes("sum", dim, keepdim, axis, keepdims)
        return self._apply1(_REGISTRY["sum"], axes=axes, keepdims=keep)

    def mean(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool | None = None
    ) -> Tensor:
        """Mean over ``dim``, as `sum` times 1/count (NaN for an empty tensor, as numpy).

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(1).tolist()
        [1.5, 3.5]
        """
        axes, keep = self._axes("mean", dim, keepdim, axis, keepdims)
        count = self._data.size if axes is None else math.prod(self._data.shape[i] for i in axes)
        return self._apply1(_REGISTRY["sum"], axes=axes, keepdims=keep) * (1.0 / count if count else math.nan)

    def max(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool | None = None
    ) -> Any:
        """The maximum. Over all elements: a Tensor, whose gradient k tied maxima share (1/k each).
        Along ``dim`` (one int): PyTorch's pair ``(values, indices)``, the gradient going to the
        index picked (the first, at a tie). numpy's ``axis=`` gives the values alone (``amax``).

        >>> from autograd import Tensor
        >>> x = Tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
        >>> values, indices = x.max(1)
        >>> values.tolist(), indices.tolist(), x.max().item()
        ([5.0, 3.0], [1, 0], 5.0)
        """
        return self._extreme("max", dim, keepdim, axis, keepdims)

    def min(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool | None = None
    ) -> Any:
        """The minimum, as `max`: a Tensor over all elements, ``(values, indices)`` along ``dim``.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 5.0], [3.0, 2.0]]).min(1).values.tolist()
        [1.0, 2.0]
        """
        return self._extreme("min", dim, keepdim, axis, keepdims)

    def amax(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool | None = None
    ) -> Tensor:
        """The maximum over ``dim`` (an int, a tuple, or None), ties sharing the gradient (1/k
        each), as ``torch.amax``.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 5.0], [3.0, 2.0]]).amax(dim=1).tolist()
        [5.0, 3.0]
        """
        return self._extreme("amax", None, keepdim, _either("amax", "dim", dim, "axis", axis), keepdims)

    def amin(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool | None = None
    ) -> Tensor:
        """The minimum over ``dim``, ties sharing the gradient, as ``torch.amin``."""
        return self._extreme("amin", None, keepdim, _either("amin", "dim", dim, "axis", axis), keepdims)

    def _extreme(self, who: str, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> Any:
        """max and min, by dim (the pair) or by axis (the values, ties sharing)."""
        axes, keep = self._axes(who, dim, keepdim, axis, keepdims)
        reduced = self._data.shape if axes is None else [self._data.shape[i] for i in axes]
        if 0 in reduced:  # (an empty tensor along other dims gives an empty result, as PyTorch)
            raise ValueError(
                f"{who}: cannot take the {who} over an empty dimension, shape {self._data.shape}"
            )
        lowest = who in ("min", "amin")
        if dim is None or axes is None:  # all elements, or numpy's axis=: the values, ties sharing
            x = -self if lowest else self
            values = x._apply1(_REGISTRY["max"], axes=axes, keepdims=keep)
            return -values if lowest else values
        ax = one_axis(who, dim, self._data.ndim)
        indices = self._arg(who, np.argmin if lowest else np.argmax, ax, True)
        values = self.gather(ax, indices)
        if not keep:
            values, indices = values.squeeze(ax), indices.squeeze(ax)
        return ValuesIndices(values, indices)

    def var(
        self,
        dim: Axis = None,
        unbiased: bool = True,
        keepdim: bool = False,
        *,
        correction: float | None = None,
        axis: Axis = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Variance over ``dim``: Σ(x - mean)² / (n - correction), unbiased (correction 1) by
        default, as PyTorch; ``unbiased=False`` or ``correction=0`` divides by n.

        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0, 3.0, 4.0])
        >>> round(x.var().item(), 6), x.var(unbiased=False).item()
        (1.666667, 1.25)
        """
        return self._var("var", dim, unbiased, keepdim, correction, axis, keepdims)

    def _var(
        self, op: str, dim: Any, unbiased: Any, keepdim: Any, correction: Any, axis: Any, keepdims: Any
    ) -> Tensor:
        axes, keep = self._axes(op, dim, keepdim, axis, keepdims)
        if not isinstance(unbiased, (bool, np.bool_)):
            raise TypeError(f"{op}: unbiased must be a bool, got {type(unbiased).__name__}")
        if correction is None:
            correction = 1 if unbiased else 0
        elif isinstance(correction, bool) or not isinstance(correction, (int, float)):
            raise TypeError(f"{op}: correction must be a number, got {type(correction).__name__}")
        return self._apply1(_REGISTRY["var"], axes=axes, correction=correction, keepdims=keep)

    def std(
        self,
        dim: Axis = None,
        unbiased: bool = True,
        keepdim: bool = False,
        *,
        correction: float | None = None,
        axis: Axis = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Standard deviation: the square root of `var` (unbiased by default, as PyTorch). Where
        it is 0 (a constant feature) its gradient is 0, as PyTorch's, not 0·inf = NaN.

        >>> from autograd import Tensor
        >>> x = Tensor([2.0, 2.0, 2.0], requires_grad=True)
        >>> x.std().backward()
        >>> x.grad.tolist()
        [0.0, 0.0, 0.0]
        """
        v = self._var("std", dim, unbiased, keepdim, correction, axis, keepdims)
        zero = v._data == 0
        if not zero.any():
            return v.sqrt()
        # sqrt's slope at 0 is inf: take the root of 1 there instead, and select 0 for the result
        where = _REGISTRY["where"]
        return self._apply(where, (0.0, self._apply(where, (1.0, v), {"cond": zero}).sqrt()), {"cond": zero})

    def all(self, dim: Axis = None, keepdim: bool = False) -> Tensor:
        """Whether every element is nonzero (along ``dim``), a bool Tensor; not differentiable."""
        axes, keep = self._axes("all", dim, keepdim, None, None)
        return self._constant(np.asarray(np.all(self._data, axis=axes, keepdims=keep)))

    def any(self, dim: Axis = None, keepdim: bool = False) -> Tensor:
        """Whether some element is nonzero (along ``dim``), a bool Tensor; not differentiable."""
        axes, keep = self._axes("any", dim, keepdim, None, None)
        return self._constant(np.asarray(np.any(self._data, axis=axes, keepdims=keep)))

    def argmax(self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None) -> Tensor:
        """The index of the maximum (the first, at ties) along ``dim``, or in the flattened tensor
        for None, as an int64 Tensor; not differentiable.

        >>> from autograd import Tensor
        >>> Tensor([[1.0, 5.0], [3.0, 2.0]]).argmax(dim=1).tolist()
        [1, 0]
        """
        return self._arg("argmax", np.argmax, _either("argmax", "dim", dim, "axis", axis), keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None) -> Tensor:
        """The index of the minimum along ``dim`` (flattened for None), as `argmax`."""
        return self._arg("argmin", np.argmin, _either("argmin", "dim", dim, "axis", axis), keepdim)

    def _arg(self, op: str, fn: Any, dim: Any, keepdim: bool) -> Tensor:
        keep = _keep(op, keepdim)
        if self._data.size == 0 and (dim is None or self._data.shape[dim] == 0):
            raise ValueError(f"{op}: no element to pick from (shape {self._data.shape})")
        if dim is None:
            found = np.asarray(fn(self._data))
            return self._constant(found.reshape((1,) * self._data.ndim) if keep else found)
        ax = one_axis(op, dim, self._data.ndim)
        return self._constant(np.asarray(fn(self._data, axis=ax, keepdims=keep)))

    def softmax(self, dim: int = -1, *, axis: int | None = None) -> Tensor:
        """exp(x) / Σ exp(x) along ``dim`` (the last by default), shifted by the max first so that
        nothing overflows.

        >>> from autograd import Tensor
        >>> Tensor([1000.0, 1000.0]).softmax().tolist()
        [0.5, 0.5]
        """
        dim = dim if axis is None else axis
        return self._apply1(_REGISTRY["softmax"], axis=one_axis("softmax", dim, self._data.ndim))

    def log_softmax(self, dim: int = -1, *, axis: int | None = None) -> Tensor:
        """x - log Σ exp(x) along ``dim`` (the last by default), computed stably (finite for
        logits of 1e4).

        >>> from autograd import Tensor
        >>> Tensor([0.0, 1e4]).log_softmax().tolist()
        [-10000.0, 0.0]
        """
        dim = dim if axis is None else axis
        return self._apply1(_REGISTRY["log_softmax"], axis=one_axis("log_softmax", dim, self._data.ndim))

    def cumsum(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """Running sums along ``dim``: element i is x[0] + ... + x[i].

        >>> from autograd import Tensor
        >>> Tensor([1.0, 2.0, 3.0]).cumsum(0).tolist()
        [1.0, 3.0, 6.0]
        """
        dim = _either("cumsum", "dim", dim, "axis", axis)
        return self._apply1(_REGISTRY["cumsum"], axis=one_axis("cumsum", dim, self._data.ndim))

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> ValuesIndices:
        """The elements along ``dim`` in order, and the index each came from (PyTorch's pair).
        Equal elements keep their order; NaN counts as the largest, as in PyTorch. The values'
        gradient goes back to where each came from.

        >>> from autograd import Tensor
        >>> values, indices = Tensor([3.0, 1.0, 2.0]).sort(descending=True)
        >>> values.tolist(), indices.tolist()
        ([3.0, 2.0, 1.0], [0, 2, 1])
        """
        ax = one_axis("sort", dim, self._data.ndim)
        order = self._order(ax, descending)
        return ValuesIndices(self.gather(ax, order), self._constant(order))

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:
        """The ``k`` largest elements along ``dim`` (smallest if not ``largest``), in order, and
        their indices (PyTorch's pair).

        >>> from autograd import Tensor
        >>> Tensor([1.0, 5.0, 3.0, 4.0]).topk(2).indices.tolist()
        [1, 3]
        """
        ax = one_axis("topk", dim, self._data.ndim)
        n = self._data.shape[ax]
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
            raise ValueError(f"topk: k must be an int from 0 to {n} (the size of dim {dim}), got {k!r}")
        order = np.take(self._order(ax, largest), np.arange(k), axis=ax)
        return ValuesIndices(self.gather(ax, order), self._constant(order))

    def _order(self, ax: int, descending: bool) -> np.ndarray:
        """The indices that sort along ``ax``, stably; NaN counts as the largest (last, or first
        when descending), as in PyTorch."""
        a = self._data
        if not descending:
            return np.argsort(a, axis=ax, kind="stable")
        if a.dtype.kind != "f":  # ~a reverses the order of ints and bools, and cannot overflow
            return np.argsort(~a, axis=ax, kind="stable")
        order = np.argsort(-a, axis=ax, kind="stable")  # (NaN sorts last here)
        nan_first = np.argsort(~np.isnan(np.take_along_axis(a, order, axis=ax)), axis=ax, kind="stable")
        return np.take_along_axis(order, nan_first, axis=ax)

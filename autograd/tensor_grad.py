"""How a Tensor takes part in the graph walk: the engine's node protocol for Tensors, and
``backward()``. Mixed into `autograd.tensors.Tensor`.

The walk (`autograd.engine`) runs a Tensor node's rules on its arrays and hands each result to
the operand's `Gradients._accumulate`, which sums a broadcast gradient back to the operand's shape
(`sum_to`: the one place broadcasting is undone) and adds it into ``.grad``.

>>> from autograd import Tensor
>>> w = Tensor([1.0, 2.0], requires_grad=True)
>>> (w * Tensor([[1.0], [10.0]])).sum().backward()   # broadcast to (2, 2), summed back to (2,)
>>> w.grad
Tensor([11., 11.])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import engine
from autograd.array_ops import CAST, _reshape, expand, sum_axes

if TYPE_CHECKING:
    from autograd.tensors import Tensor

__all__ = ["Gradients", "sum_to"]

_ndarray = np.ndarray


class Gradients:
    """The backward half of `Tensor` (a mixin: see `autograd.tensors`)."""

    __slots__ = ()
    _ZERO_GRAD = None
    _data: np.ndarray
    _grad: Any
    _requires_grad: bool
    _op: Any
    _prev: tuple[Any, ...]
    _args: tuple[Any, ...]
    _params: Any

    if TYPE_CHECKING:

        def __init__(self, data: Any, requires_grad: bool = False, label: str = "") -> None: ...

        @staticmethod
        def _constant(data: np.ndarray) -> Tensor: ...

        @property
        def shape(self) -> tuple[int, ...]: ...

    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Add d(self)/d(node) into ``.grad`` of every node this Tensor was computed from, with
        PyTorch's arguments.

        ``gradient`` is the gradient to start from: needed (with this Tensor's shape) unless the
        Tensor has a single element. Gradients add up over repeated calls, as in PyTorch. With
        ``create_graph=True`` they are graphs themselves (differentiate them again); ``inputs``
        limits the accumulation to those leaves. ``retain_graph`` changes nothing here: a graph is
        kept as long as a Tensor refers to it.

        >>> from autograd import Tensor
        >>> x = Tensor([2.0], requires_grad=True)
        >>> (x**3).sum().backward(create_graph=True)
        >>> x.grad.sum().backward(inputs=[x])       # d(3x²)/dx = 6x, added to the 12 above
        >>> x.grad.tolist()
        [24.0]
        """
        if inputs is None:
            engine.backward(self, gradient, create_graph)  # type: ignore[arg-type]
            return
        leaves = [inputs] if isinstance(inputs, Gradients) else list(inputs)
        found = engine.grad([self], leaves, [gradient], create_graph)  # type: ignore[list-item, arg-type]
        for leaf, g in zip(leaves, found):
            leaf._accumulate(g if create_graph else g._data)

    @property
    def is_leaf(self) -> bool:
        """True unless an op that records the graph made this Tensor (PyTorch's meaning: only
        leaves that require grad get ``.grad`` from ``backward()``)."""
        return not self._op

    @property
    def grad_fn(self) -> Any:
        """The op that made this Tensor in the graph (its primitive is ``.primitive``), or None
        for a leaf."""
        return self._op or None

    def detach(self) -> Tensor:
        """A new leaf sharing this data, cut off from the graph."""
        return self._constant(self._data)

    # The rest of the engine's node protocol (see autograd.engine.Node).

    def _accumulate(self, g: Any) -> None:
        """``._grad += g``, with ``g`` first summed back to this Tensor's shape (a rule may return
        the broadcast one) and given its dtype (float32 stays float32)."""
        data = self._data
        if g.__class__ is not _ndarray:
            if isinstance(g, Gradients):  # a node (grad with create_graph=True)
                return self._accumulate_node(g)
            g = np.asarray(g)  # a numpy scalar, or a constant 0.0 from a selection
        old = self._grad
        if g.shape != data.shape:
            g = sum_to(g, data.shape)  # a new array, this node's to keep
            if old is None:
                self._grad = g if g.dtype is data.dtype else g.astype(data.dtype)
                return None
        if old is None:
            # An intermediate result keeps the walk's array as it is (read it, do not change it
            # in place); a leaf gets its own copy (optimizers update it in place), as the walk
            # may share one array among nodes (+ passes its gradient on unchanged).
            self._grad = g if self._prev and g.dtype is data.dtype else g.astype(data.dtype)
        elif old.__class__ is _ndarray:
            g = old + g  # a new array: the old one may be shared, or held by the user
            g = g if g.__class__ is _ndarray else np.asarray(g)  # (0-d arrays add up to scalars)
            self._grad = g if g.dtype is data.dtype else g.astype(data.dtype)
        else:  # a node so far (create_graph)
            self._grad = old + g
        return None

    def _accumulate_node(self, g: Any) -> None:
        if g.shape != self._data.shape:
            g = sum_to(g, self._data.shape)
        if g._data.dtype != self._data.dtype:
            g = CAST(g, dtype=self._data.dtype)
        self._grad = g if self._grad is None else self._grad + g

    def _seed(self, g: Any, create_graph: bool) -> Any:
        if not self._requires_grad:
            raise ValueError(
                "backward: this tensor does not require grad (no input it was computed from has "
                "requires_grad=True, or it was computed under no_grad)"
            )
        dtype = self._data.dtype
        if g is None:
            if self._data.size != 1:
                raise ValueError(
                    f"backward: the output has shape {self.shape}; only a one-element output can start "
                    "from 1, so pass grad= an array of that shape"
                )
            raw = np.ones_like(self._data)
        elif isinstance(g, Gradients):
            if g.shape != self.shape:
                raise ValueError(f"backward: grad has shape {g.shape}, expected the output's {self.shape}")
            if create_graph:
                return g
            raw = np.array(g._data, dtype=dtype)
        else:
            try:
                raw = np.array(type(self)(g)._data, dtype=dtype)  # a copy: the engine may share it
            except (TypeError, ValueError) as err:
                raise type(err)(f"backward: grad: {str(err).removeprefix('Tensor: ')}") from None
            if raw.shape != self.shape:
                raise ValueError(f"backward: grad has shape {raw.shape}, expected the output's {self.shape}")
        return self._constant(raw) if create_graph else raw

    def _gradient(self, raw: Any, create_graph: bool) -> Any:
        """What grad() returns for this input, from what the walk left in its ._grad."""
        if isinstance(raw, Gradients):
            return raw if create_graph else self._constant(np.array(raw._data, dtype=self._data.dtype))
        if raw is None:
            return self._constant(np.zeros_like(self._data))
        return self._constant(np.array(raw, dtype=self._data.dtype))  # a copy: the walk's may be shared


def sum_to(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum a broadcast gradient back to an operand's shape: the one place broadcasting is undone.
    (A gradient with fewer dimensions, a constant from a selection, is broadcast up to it.)"""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    if lead >= 0:  # the axes broadcasting put in front, and those of length 1 it stretched
        axes = tuple(range(lead))
        if g.shape[lead:] != shape:
            axes += tuple(i + lead for i, n in enumerate(shape) if n == 1 and g.shape[i + lead] != 1)
        if axes:
            if g.__class__ is _ndarray:  # (numpy's own, on the walk's arrays: a third cheaper)
                g = np.add.reduce(g, axes)
                g = g if g.__class__ is _ndarray else np.asarray(g)  # (numpy gives 0-d as scalars)
                return g if g.shape == shape else g.reshape(shape)
            return _reshape(sum_axes(g, axes, False), shape)
    if lead >= 0 or np.broadcast_shapes(g.shape, shape) != shape:
        raise ValueError(f"a gradient of shape {g.shape} does not fit an operand of shape {shape}")
    return expand(g, shape)

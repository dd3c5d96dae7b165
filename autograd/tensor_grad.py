"""How a Tensor takes part in the graph walk: the engine's node protocol for Tensors, and
``backward()``. Mixed into `autograd.tensor.Tensor`.

A Tensor node's backward step (its ``_op.send``, written out per signature by
`autograd.compile.tensor_send`) runs its primitive's rules on the arrays, sums each gradient back to
its operand's shape (`sum_to`: the one place broadcasting is undone) and adds it into the operand's
``.grad``; `Gradients._vjp` does the same for ``grad()``, returning the gradients instead.

>>> from autograd import Tensor
>>> w = Tensor([1.0, 2.0], requires_grad=True)
>>> (w * Tensor([[1.0], [10.0]])).sum().backward()   # broadcast to (2, 2), summed back to (2,)
>>> w.grad
array([11., 11.])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import engine

if TYPE_CHECKING:
    from autograd.tensor import Tensor

__all__ = ["Gradients", "sum_to"]

_ndarray = np.ndarray


class Gradients:
    """The backward half of `Tensor` (a mixin: see `autograd.tensor`)."""

    __slots__ = ()
    _ZERO_GRAD = None
    data: np.ndarray
    grad: Any
    requires_grad: bool
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

    def backward(self, grad: Any = None) -> None:
        """Add d(self)/d(node) into ``.grad`` of every node this Tensor was computed from.

        ``grad`` is the gradient to start from: needed (with this Tensor's shape) unless the
        Tensor has a single element. Gradients add up over repeated calls, as in PyTorch.
        """
        engine.backward(self, grad)

    def detach(self) -> Tensor:
        """A new leaf sharing this data, cut off from the graph."""
        return self._constant(self.data)

    # The engine's node protocol (see autograd.engine).

    def _vjp(self, g: Any, create_graph: bool) -> list[Any]:
        """The gradients for each Tensor operand (None where none is needed), by the op's rules."""
        prim = self._op.primitive
        args, params = self._args, self._params
        out: Any = self if create_graph else self.data
        if len(args) == 1:  # the common case first, unrolled: this is the hot path of small graphs
            (a,) = args
            x = a if create_graph else a.data
            rule = prim.rule(0)
            ga = rule(g, out, x, **params) if params else rule(g, out, x)
            return [ga if ga.shape == a.data.shape else sum_to(ga, a.data.shape)]
        operands = args if create_graph else [x.data if isinstance(x, Gradients) else x for x in args]
        grads: list[Any] = []
        for i, x in enumerate(args):
            if not isinstance(x, Gradients):  # a number operand: a constant
                continue
            rule = prim.rule(i)
            if not x.requires_grad or rule is None:  # never compute a gradient nobody needs
                grads.append(None)
                continue
            gx = rule(g, out, *operands, **params) if params else rule(g, out, *operands)
            shape = x.data.shape
            grads.append(gx if gx.shape == shape else sum_to(gx, shape))
        return grads

    def _accumulate(self, g: Any) -> None:
        old = self.grad
        dtype = self.data.dtype
        if self._prev:
            # An intermediate result keeps the engine's array as it is (no copy; read it, do not
            # change it in place): 0-d results come back from numpy as scalars, so make them arrays.
            if old is not None:
                g = old + g
            if g.__class__ is not _ndarray or g.dtype != dtype:
                g = np.asarray(g, dtype)
            self.grad = g
        elif old is not None:
            # A leaf gets its own array (optimizers update .grad in place), never one the engine
            # may share with other nodes' .grad (+ passes its gradient on unchanged).
            self.grad = np.add(old, g, dtype=dtype)
        elif g.__class__ is _ndarray:
            self.grad = g.astype(dtype)  # a copy, at half np.array's cost for a small matrix
        else:
            self.grad = np.array(g, dtype=dtype)

    def _seed(self, g: Any, create_graph: bool) -> Any:
        if not self.requires_grad:
            raise ValueError(
                "backward: this tensor does not require grad (no input it was computed from has "
                "requires_grad=True, or it was computed under no_grad)"
            )
        dtype = self.data.dtype
        if g is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward: the output has shape {self.shape}; only a one-element output can start "
                    "from 1, so pass grad= an array of that shape"
                )
            if not create_graph and not self.data.ndim:
                return dtype.type(1)  # a 0-d gradient travels as a numpy scalar (see tensor_send)
            raw = np.ones_like(self.data)
        elif isinstance(g, Gradients):
            if g.shape != self.shape:
                raise ValueError(f"backward: grad has shape {g.shape}, expected the output's {self.shape}")
            if create_graph:
                return g
            raw = np.array(g.data, dtype=dtype)
        else:
            try:
                raw = np.array(type(self)(g).data, dtype=dtype)  # a copy: the engine may share it
            except (TypeError, ValueError) as err:
                raise type(err)(f"backward: grad: {str(err).removeprefix('Tensor: ')}") from None
            if raw.shape != self.shape:
                raise ValueError(f"backward: grad has shape {raw.shape}, expected the output's {self.shape}")
        return self._constant(raw) if create_graph else raw

    def _zeros(self) -> np.ndarray:
        return np.zeros_like(self.data)

    def _detached(self, raw: Any) -> Any:
        if isinstance(raw, Gradients):
            return raw
        return self._constant(np.array(raw, dtype=self.data.dtype))  # a copy: the engine's may be shared


def sum_to(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum a broadcast gradient back to an operand's shape: the one place broadcasting is undone."""
    lead = g.ndim - len(shape)
    if lead:  # axes broadcasting put in front
        g = g.sum(axis=0) if lead == 1 else g.sum(axis=tuple(range(lead)))
    if g.shape == shape:
        return g
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=stretched, keepdims=True) if stretched else g

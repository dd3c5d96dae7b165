"""Changing a Tensor in place, as PyTorch does: ``t += x``, ``t[index] = v``, ``add_ mul_ zero_
fill_ copy_ clamp_``. Mixed into `autograd.tensors.Tensor`.

Where no graph is recorded (nothing involved requires grad, or grad mode is off) the numbers change
in the Tensor's own array, so every Tensor sharing that memory sees it: ``p.data -= lr * p.grad``
updates ``p``, ``dlogits[range(n), y] -= 1`` changes ``dlogits``. Where a graph is recorded, the
Tensor becomes the new node (its old value stays in the graph as a node of its own): ``out +=
bias`` on a computed ``out`` stays differentiable, and ``nlls[i] = nll`` makes ``nlls`` depend on
``nll``. A leaf that requires grad cannot change in place outside ``no_grad`` (its gradient would
belong to a value it no longer holds), as in PyTorch. Nodes computed from a Tensor before it
changed read its new value when they are differentiated: change a Tensor in place only before
using it, or where no graph needs it.

>>> from autograd import Tensor
>>> t = Tensor([1.0, 2.0, 3.0])
>>> view = t.data
>>> view += 1
>>> t[0] = 10.0
>>> t.tolist()
[10.0, 3.0, 4.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import random
from autograd.modes import Modes
from autograd.primitive import _REGISTRY
from autograd.tensor_shape import clean_index
from autograd.value_protocol import number

if TYPE_CHECKING:
    from autograd.tensors import Tensor

__all__ = ["InPlace"]


def _recorded(t: Any, other: Any) -> bool:
    """Whether changing ``t`` with ``other`` makes a new node: a graph records it, or a jvp
    carries tangents through it."""
    if t._requires_grad or getattr(other, "_requires_grad", False):
        return Modes.recording() or _tangents(t, other)
    return bool(Modes.special) and _tangents(t, other)


def _tangents(t: Any, other: Any) -> bool:
    return Modes.tangents() and (hasattr(t, "tangent") or hasattr(other, "tangent"))


def _alpha(op: str, alpha: Any) -> float:
    k = number(alpha) if not isinstance(alpha, (str, bytes)) else None
    if k is None:
        raise TypeError(f"{op}: alpha must be a number, got {type(alpha).__name__}")
    return k


def _redirected(other: Any, target: Any, old: Any) -> Any:
    """``other`` with ``target`` replaced by ``old`` wherever its graph reads it: what ``other``
    was computed from is target's value before the change (``y += y``, ``y /= y.sum()``), while
    ``target`` itself becomes the new node."""
    if other is target:
        return old
    if not getattr(other, "_op", None):  # a number, a leaf: its graph cannot reach target
        return other
    seen, stack = {id(other)}, [other]
    while stack:  # every node of other's graph above target (target's own inputs are not read)
        node = stack.pop()
        if any(x is target for x in node._prev):
            node._prev = tuple(old if x is target else x for x in node._prev)
            node._args = tuple(old if x is target else x for x in node._args)
        for x in node._prev:
            if id(x) not in seen and x._op:
                seen.add(id(x))
                stack.append(x)
    return other


class InPlace:
    """The in-place operations of `Tensor` (a mixin: see the module docstring)."""

    __slots__ = ()
    _data: np.ndarray
    _grad: Any
    _requires_grad: bool
    _op: Any
    _prev: Any
    _args: Any
    _params: Any
    tangent: Any

    if TYPE_CHECKING:

        def _operand(self, other: Any, op: str) -> Any: ...

        def reshape(self, *shape: Any) -> Tensor: ...

        @staticmethod
        def _constant(data: np.ndarray) -> Tensor: ...

        @staticmethod
        def _apply(prim: Any, operands: tuple[Any, ...], params: dict[str, Any]) -> Tensor: ...

    def _changed(
        self, what: str, other: Any, compute: Callable[[Any, Any], Any], ufunc: Any = None
    ) -> Tensor:
        """``self`` set to ``compute(self, other)``: in its array, or as the new node (see above).
        ``ufunc`` computes the same in the array directly (``p.data -= lr * p.grad`` in every
        step of training: numpy writes into the array, no Tensor is made)."""
        if other is NotImplemented:
            raise TypeError(f"{what}: cannot combine a Tensor with this operand in place")
        if not _recorded(self, other):
            if ufunc is not None:
                return self._into_array(what, ufunc, getattr(other, "_data", other))
            result = compute(self._constant(self._data), other)._data
            if result.shape != self._data.shape:
                raise ValueError(
                    f"{what}: the result's shape {result.shape} is not the tensor's {self._data.shape}"
                )
            if not np.can_cast(result.dtype, self._data.dtype, casting="same_kind"):
                raise TypeError(
                    f"{what}: a {result.dtype} result cannot go into a {self._data.dtype} tensor in place"
                )
            np.copyto(self._data, result, casting="same_kind")
            return self  # type: ignore[return-value]
        if self._requires_grad and not self._op:
            raise ValueError(
                f"{what}: a leaf Tensor that requires grad cannot change in place (its gradient would be "
                "lost); write x = x + y instead, or change it under no_grad()"
            )
        old = self._constant(self._data)  # self's value so far, as a node of its own
        old._requires_grad, old._op, old._prev, old._args, old._params = (
            self._requires_grad,
            self._op,
            self._prev,
            self._args,
            self._params,
        )
        if getattr(self, "tangent", None) is not None:
            old.tangent = self.tangent
        new = compute(old, _redirected(other, self, old))
        if new._data.dtype != self._data.dtype:
            raise TypeError(
                f"{what}: a {new._data.dtype} result cannot go into a {self._data.dtype} tensor in place"
            )
        self._data, self._grad, self._requires_grad = new._data, None, new._requires_grad  # type: ignore[misc]
        self._op, self._prev, self._args, self._params = new._op, new._prev, new._args, new._params
        if getattr(new, "tangent", None) is not None:
            self.tangent = new.tangent
            Modes.here().changed.append(self)  # (its tangent is dropped when the jvp ends)
        return self  # type: ignore[return-value]

    def _into_array(self, what: str, ufunc: Any, b: Any) -> Tensor:
        a = self._data
        try:
            ufunc(a, b, out=a, casting="same_kind")
        except ValueError:
            raise ValueError(
                f"{what}: an operand of shape {np.shape(b)} would not give the tensor's shape {a.shape}"
            ) from None
        except TypeError:
            found = np.result_type(a, b, 1.0) if ufunc is np.true_divide else np.result_type(a, b)
            raise TypeError(f"{what}: a {found} result cannot go into a {a.dtype} tensor in place") from None
        return self  # type: ignore[return-value]

    def __iadd__(self, other: Any) -> Tensor:
        return self._changed("+=", self._operand(other, "add"), lambda a, b: a + b, np.add)

    def __isub__(self, other: Any) -> Tensor:
        return self._changed("-=", self._operand(other, "sub"), lambda a, b: a - b, np.subtract)

    def __imul__(self, other: Any) -> Tensor:
        return self._changed("*=", self._operand(other, "mul"), lambda a, b: a * b, np.multiply)

    def __itruediv__(self, other: Any) -> Tensor:
        return self._changed("/=", self._operand(other, "div"), lambda a, b: a / b, np.true_divide)

    def add_(self, other: Any, alpha: float = 1.0) -> Tensor:
        """``self += alpha * other``, in place."""
        alpha = _alpha("add_", alpha)
        return self._changed(
            "add_", self._operand(other, "add"), lambda a, b: a + b * alpha, np.add if alpha == 1 else None
        )

    def sub_(self, other: Any, alpha: float = 1.0) -> Tensor:
        """``self -= alpha * other``, in place."""
        alpha = _alpha("sub_", alpha)
        return self._changed(
            "sub_",
            self._operand(other, "sub"),
            lambda a, b: a - b * alpha,
            np.subtract if alpha == 1 else None,
        )

    def mul_(self, other: Any) -> Tensor:
        """``self *= other``, in place."""
        return self._changed("mul_", self._operand(other, "mul"), lambda a, b: a * b, np.multiply)

    def div_(self, other: Any) -> Tensor:
        """``self /= other``, in place."""
        return self._changed("div_", self._operand(other, "div"), lambda a, b: a / b, np.true_divide)

    def clamp_(self, min: float | None = None, max: float | None = None) -> Tensor:
        """``clamp``, in place."""
        return self._changed("clamp_", 0.0, lambda a, _: a.clamp(min, max))

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        """``masked_fill``, in place."""
        return self._changed(
            "masked_fill_", self._operand(value, "masked_fill_"), lambda a, v: a.masked_fill(mask, v)
        )

    def zero_(self) -> Tensor:
        """Every element 0, in place."""
        return self.fill_(0)

    def fill_(self, value: float) -> Tensor:
        """Every element ``value``, in place (its values then depend on nothing)."""
        value = getattr(value, "_data", value)
        if np.ndim(value) or not isinstance(value, (int, float, bool, np.number, np.bool_, np.ndarray)):
            raise TypeError(f"fill_: the value must be a number, got {type(value).__name__}")
        if Modes.recording() and self._requires_grad:
            raise ValueError("fill_: a Tensor that requires grad cannot be filled in place outside no_grad()")
        self._set_numbers("fill_", Ellipsis, value)
        return self  # type: ignore[return-value]

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with normal numbers in place, PyTorch's for the same seed (``nn.init`` uses it)."""
        return self._filled("normal_", lambda a: random.normal_(a, mean, std, generator))

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with uniform numbers in [a, b) in place, PyTorch's for the same seed."""
        return self._filled("uniform_", lambda x: random.uniform_(x, a, b, generator))

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with exponential numbers of rate ``lambd`` in place, PyTorch's for the same seed."""
        return self._filled("exponential_", lambda x: random.exponential_(x, lambd, generator))

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 1s (probability ``p``) and 0s in place, PyTorch's for the same seed."""
        if isinstance(p, (np.ndarray, InPlace)):  # a probability per element, broadcast
            probs = np.broadcast_to(
                np.asarray(getattr(p, "_data", p), dtype=self._data.dtype), self._data.shape
            )
            return self._filled(
                "bernoulli_", lambda x: np.copyto(x, random.bernoulli(probs, None, generator))
            )
        return self._filled(
            "bernoulli_", lambda x: np.copyto(x, random.bernoulli(p, x.shape, generator, x.dtype))
        )

    def _filled(self, what: str, fill: Callable[[np.ndarray], Any]) -> Tensor:
        if Modes.recording() and self._requires_grad:
            raise ValueError(
                f"{what}: a Tensor that requires grad can be filled in place only under no_grad()"
            )
        if self._data.dtype.kind != "f":
            raise TypeError(f"{what}: fills floats, not {self._data.dtype}")
        fill(self._data)
        return self  # type: ignore[return-value]

    def copy_(self, source: Any) -> Tensor:
        """This Tensor's values set to ``source``'s (broadcast to this shape), in place."""
        self.__setitem__(Ellipsis, source)
        return self  # type: ignore[return-value]

    def __setitem__(self, index: Any, value: Any) -> None:
        """``t[index] = value``, as numpy assigns (value broadcast to the picked elements, cast to
        t's dtype). Recorded in the graph where grad flows (see the module docstring)."""
        index, _ = clean_index("setitem", index)
        operand = self._operand(value, "setitem")
        if operand is NotImplemented:
            raise TypeError(
                f"setitem: the value must be a Tensor, an array or a number, got {type(value).__name__}"
            )
        operand = self._fitted(index, operand)
        if not _recorded(self, operand):
            self._set_numbers("setitem", index, getattr(operand, "_data", operand))
            return
        put = _REGISTRY["[]="]
        self._changed("setitem", operand, lambda a, b: a._apply(put, (a, b), {"index": index}))

    def _fitted(self, index: Any, value: Any) -> Any:
        """``value`` without the leading dims of size 1 it has beyond the elements it goes to
        (PyTorch puts a (1,)-shaped value into one element; numpy refuses)."""
        shape = np.shape(getattr(value, "_data", value))
        try:
            extra = len(shape) - np.ndim(self._data[index])
        except IndexError:
            return value  # (the assignment names the bad index)
        if extra <= 0 or any(n != 1 for n in shape[:extra]):
            return value
        return (
            value.reshape(shape[extra:]) if isinstance(value, InPlace) else np.reshape(value, shape[extra:])
        )

    def _set_numbers(self, what: str, index: Any, value: Any) -> None:
        try:
            self._data[index] = value
        except (ValueError, IndexError) as err:
            kind = type(err)
            raise kind(f"{what}: {err} (tensor shape {self._data.shape})") from None

"""A Tensor among numpy and Python values: conversions (``item tolist numpy float double long
int to``) and numpy's functions applied to Tensors.

numpy must never take a Tensor's numbers and silently drop its graph: ``np.asarray(t)`` on a
Tensor that requires grad is refused (as PyTorch refuses ``t.numpy()``), and numpy functions
(``np.concatenate``, ``np.where``, ``np.sum``, ...) called on Tensors run their differentiable twin
here (`autograd.cat`, `autograd.where`, ``Tensor.sum``) or raise TypeError naming what to use.
numpy's ufuncs on Tensors (``np.exp(t)``, ``ndarray * t``) run the Tensor's own operation where one
exists (differentiable), and otherwise work on the numbers of Tensors that need no grad, giving a
Tensor; on a Tensor that requires grad they are refused, naming what to use.
Mixed into `autograd.tensors.Tensor`.

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

from autograd.devices import CPU, to_arguments
from autograd.devices import device as device_type
from autograd.primitive import _REGISTRY

if TYPE_CHECKING:
    from autograd.primitive import Primitive
    from autograd.tensors import Tensor

__all__ = ["NumpyInterop"]


# PyTorch's names of the CPU tensor types, for ``.type()``.
_TYPE_NAMES = {
    "float16": "torch.HalfTensor",
    "float32": "torch.FloatTensor",
    "float64": "torch.DoubleTensor",
    "uint8": "torch.ByteTensor",
    "int8": "torch.CharTensor",
    "int16": "torch.ShortTensor",
    "int32": "torch.IntTensor",
    "int64": "torch.LongTensor",
    "bool": "torch.BoolTensor",
}
_TYPES = {name: np.dtype(kind) for kind, name in _TYPE_NAMES.items()}

_DEFAULTS = {
    "out": None,
    "dtype": None,
    "order": "C",
    "where": True,
    "initial": np._NoValue,
    "casting": "same_kind",
}


def _check(name: str, given: dict[str, Any], supported: tuple[str, ...]) -> None:
    """Refuse, by name, a keyword numpy would honour but the Tensor twin cannot (never ignore it)."""
    for key, value in given.items():
        if key not in supported and not (key in _DEFAULTS and value is _DEFAULTS[key]):
            raise TypeError(
                f"np.{name}: the keyword {key}= is not supported on Tensors (supported: "
                f"{', '.join(supported) or 'none'}); use the Tensor's methods, or np.{name}(t._data) "
                "for numbers"
            )


def _reduction(method: str) -> Callable[..., Any]:
    def twin(T: type, a: Any, axis: Any = None, **kw: Any) -> Any:
        _check(method, kw, ("keepdims",))
        return getattr(a, method)(axis=axis, keepdims=kw.get("keepdims", False))

    return twin


def _concatenate(T: Any, arrays: Any, axis: Any = 0, **kw: Any) -> Any:
    _check("concatenate", kw, ())
    return T._cat(arrays, axis)


def _stack(T: Any, arrays: Any, axis: Any = 0, **kw: Any) -> Any:
    _check("stack", kw, ())
    return T._stack(arrays, axis)


def _where(T: Any, cond: Any, *sides: Any) -> Any:
    if len(sides) != 2:  # np.where(cond) alone: the indices where it holds (not differentiable)
        if sides:
            raise TypeError("np.where: give the condition alone, or the condition and both sides")
        return np.nonzero(np.asarray(getattr(cond, "_data", cond)))
    return (
        T._where(cond, *sides) if not isinstance(cond, (bool, np.bool_)) else (sides[0] if cond else sides[1])
    )


def _reshape(T: Any, a: Any, *shape: Any, **kw: Any) -> Any:
    shape = shape or (kw.pop("shape", None) or kw.pop("newshape", None),)
    _check("reshape", kw, ())
    return a.reshape(*shape)


def _transpose(T: Any, a: Any, axes: Any = None) -> Any:
    return a.transpose(*(axes or ()))


def _clip(T: Any, a: Any, a_min: Any = None, a_max: Any = None, **kw: Any) -> Any:
    _check("clip", kw, ())
    return a.clamp(a_min, a_max)


_TWINS: dict[Callable[..., Any], Callable[..., Any]] = {
    np.concatenate: _concatenate,
    np.stack: _stack,
    np.where: _where,
    np.sum: _reduction("sum"),
    np.mean: _reduction("mean"),
    np.max: _reduction("max"),
    np.amax: _reduction("max"),
    np.min: _reduction("min"),
    np.amin: _reduction("min"),
    np.reshape: _reshape,
    np.transpose: _transpose,
    np.squeeze: lambda T, a, axis=None: a.squeeze(axis),
    np.expand_dims: lambda T, a, axis: a.unsqueeze(axis),
    np.clip: _clip,
    np.shape: lambda T, a: a.shape,
    np.ndim: lambda T, a: a.ndim,
    np.size: lambda T, a, axis=None: a.numel() if axis is None else a.shape[axis],
}


def _ufuncs() -> dict[Any, Callable[..., Any]]:
    import operator

    return {
        np.add: operator.add,  # (named below as the operators' errors name them)
        np.subtract: operator.sub,
        np.multiply: operator.mul,
        np.true_divide: operator.truediv,
        np.power: operator.pow,
        np.matmul: operator.matmul,
        np.negative: operator.neg,
        np.exp: lambda x: x.exp(),
        np.log: lambda x: x.log(),
        np.tanh: lambda x: x.tanh(),
        np.sqrt: lambda x: x.sqrt(),
        np.absolute: lambda x: x.abs(),
        np.maximum: lambda a, b: _REGISTRY["maximum"](a, b),
        np.minimum: lambda a, b: _REGISTRY["minimum"](a, b),
    }


_UFUNCS = _ufuncs()
_NAMES = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div", np.power: "pow"}


def _operand(t: Any, x: Any, name: str) -> Any:
    """An operand of a ufunc as a Tensor operation takes it: arrays as constants (checked),
    numpy's scalars as Python numbers (weakly typed: float32 stays float32)."""
    if isinstance(x, np.generic) and x.dtype.kind in "biuf":
        return x.item()
    return t._operand(x, name) if isinstance(x, (np.ndarray, np.generic)) else x


def _numbers(name: str, items: Any) -> list[Any]:
    """``items`` with each Tensor (also inside lists and tuples) replaced by its array; TypeError
    for a Tensor that requires grad (numpy would drop its graph)."""
    out = []
    for x in items:
        if isinstance(x, NumpyInterop):
            if x._requires_grad:
                raise TypeError(
                    f"np.{name} cannot work on a Tensor that requires grad without dropping its graph; "
                    f"use the Tensor's own methods or autograd's functions (cat, stack, where, ...), "
                    f"or np.{name}(t.detach()) for numbers"
                )
            x = x._data
        elif isinstance(x, (list, tuple)):
            x = type(x)(_numbers(name, x)) if type(x) in (list, tuple) else x
        out.append(x)
    return out


class NumpyInterop:
    """Conversions and numpy dispatch of `Tensor` (a mixin: see `autograd.tensors`)."""

    __slots__ = ()
    _data: np.ndarray
    _requires_grad: bool

    if TYPE_CHECKING:

        def _apply1(self, prim: Primitive, **params: Any) -> Tensor: ...

        def _operand(self, other: Any, op: str) -> Any: ...

        @staticmethod
        def _constant(data: np.ndarray) -> Tensor: ...

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> np.ndarray:
        # numpy would take the numbers and drop the graph without a word (``Tensor([a, b])``,
        # ``np.asarray(t)``): refuse, as PyTorch does, for a Tensor gradients flow through.
        if self._requires_grad:
            raise TypeError(
                "numpy cannot take a Tensor that requires grad: its graph would be lost. Use "
                "autograd.stack(...) or autograd.cat(...) to combine Tensors, or .detach() for the numbers"
            )
        data = self._data if self._data.__class__ is np.ndarray else np.asarray(self._data)
        if dtype is None or dtype == data.dtype:
            return data.copy() if copy else data
        return self._data.astype(dtype)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        twin = _UFUNCS.get(ufunc) if method == "__call__" and not kwargs else None
        if twin is not None:  # ndarray * t, np.exp(t): the Tensor's own operation
            name = _NAMES.get(ufunc, ufunc.__name__)
            return twin(*(_operand(self, x, name) for x in inputs))
        tensors = [x for x in (*inputs, *kwargs.get("out", ())) if isinstance(x, NumpyInterop)]
        if any(t._requires_grad for t in tensors):
            name = getattr(ufunc, "__name__", str(ufunc))
            raise TypeError(
                f"np.{name} cannot work on a Tensor that requires grad without dropping its graph; use "
                f"the Tensor's methods, or np.{name}(t.detach()) for numbers"
            )
        if "out" in kwargs:
            kwargs["out"] = tuple(x._data if isinstance(x, NumpyInterop) else x for x in kwargs["out"])
        raw = (x._data if isinstance(x, NumpyInterop) else x for x in inputs)
        found = getattr(ufunc, method)(*raw, **kwargs)
        wrap = self._constant
        if isinstance(found, tuple):
            return tuple(wrap(np.asarray(x)) for x in found)
        return wrap(np.asarray(found)) if isinstance(found, (np.ndarray, np.generic)) else found

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        twin = _TWINS.get(func)
        if twin is not None:  # np.concatenate, np.where, ...: autograd's own, in the graph
            return twin(type(self), *args, **kwargs)
        name = getattr(func, "__name__", str(func))
        # Any other function takes the numbers of Tensors no gradient flows through
        # (np.allclose(t.grad, ...), np.linalg.norm(p.data)) and gives numpy's answer.
        return func(*_numbers(name, args), **dict(zip(kwargs, _numbers(name, kwargs.values()))))

    def numpy(self) -> np.ndarray:
        """The data array itself (shared, not copied); refused, as PyTorch, while gradients flow
        through this Tensor: use ``.detach().numpy()`` (or ``.data``) for its numbers."""
        if self._requires_grad:
            raise TypeError(
                "numpy: this Tensor requires grad; use .detach().numpy() (or .data) for its numbers"
            )
        return self._data

    def item(self) -> builtins.float | builtins.int | builtins.bool:
        """The single element as a Python number.

        >>> from autograd import Tensor
        >>> Tensor([[2.5]]).item()
        2.5
        """
        if self._data.size != 1:
            raise ValueError(
                f"item: the tensor has {self._data.size} elements (shape {self._data.shape}), not 1"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """The elements as (nested) Python lists of numbers."""
        return self._data.tolist()

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This Tensor on ``device`` and of ``dtype`` (PyTorch's ``.to``): ``.to("cpu")`` is itself
        (there is only the CPU here; another device is an error), ``.to(float32)`` a copy of
        another dtype, differentiable between float types, a constant for integers and bools;
        ``.to(other)`` takes ``other``'s dtype.

        >>> from autograd import Tensor
        >>> Tensor([1.5], requires_grad=True).to("float32").dtype, Tensor([1.0]).to("cpu").dtype
        (dtype('float32'), dtype('float64'))
        """
        _, dtype = to_arguments("to", args, kwargs)
        if kwargs.get("copy"):  # a new Tensor even when nothing changes
            return self.clone() if dtype is None else self.to(dtype).clone()
        if dtype is None:
            return self  # type: ignore[return-value]
        kind = dtype
        if kind.kind not in "biuf":
            raise TypeError(f"to: dtype must be a real number type, got {kind}")
        if kind == self._data.dtype:
            return self  # type: ignore[return-value]
        if kind.kind != "f":  # integers and bools cannot carry gradients: a constant
            return self._constant(self._data.astype(kind))
        return self._apply1(_REGISTRY["cast"], dtype=kind)

    @property
    def device(self) -> device_type:
        """Where the Tensor lives: always the CPU here (``t.device == "cpu"``)."""
        return CPU

    def type_as(self, other: Any) -> Tensor:
        """This Tensor as ``other``'s dtype (``.to(other.dtype)``)."""
        if not isinstance(other, NumpyInterop):
            raise TypeError(f"type_as: expected a Tensor, got {type(other).__name__}")
        return self.to(other._data.dtype)

    def new_zeros(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
        """Zeros of ``size``, of this Tensor's dtype unless ``dtype`` is given (a new leaf)."""
        return self._new_full("new_zeros", size, 0, dtype, requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
        """Ones of ``size``, of this Tensor's dtype unless ``dtype`` is given (a new leaf)."""
        return self._new_full("new_ones", size, 1, dtype, requires_grad)

    def new_full(
        self, size: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """``fill_value`` everywhere in ``size``, of this Tensor's dtype unless ``dtype`` is given."""
        return self._new_full("new_full", (size,), fill_value, dtype, requires_grad)

    def _new_full(
        self, what: str, size: tuple[Any, ...], value: Any, dtype: Any, requires_grad: bool
    ) -> Tensor:
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 0 for n in shape):
            raise ValueError(f"{what}: the size must be whole numbers >= 0, got {size!r}")
        if isinstance(value, (str, bytes)) or not isinstance(
            value, (builtins.int, builtins.float, builtins.bool, np.number, np.bool_)
        ):
            raise TypeError(f"{what}: the value must be a number, got {type(value).__name__}")
        data = np.full(shape, value, dtype=self._data.dtype if dtype is None else np.dtype(dtype))
        return type(self)(data, requires_grad=requires_grad)  # type: ignore[call-arg, return-value]

    def type(self, dtype: Any = None) -> Any:
        """As ``dtype`` (PyTorch's ``.type(torch.float)``, or its name ``"torch.DoubleTensor"``),
        or with no argument PyTorch's name of this one's type.

        >>> from autograd import Tensor
        >>> Tensor([1.0]).type(), Tensor([1.5]).type("torch.LongTensor").tolist()
        ('torch.DoubleTensor', [1])
        """
        if dtype is None:
            return _TYPE_NAMES.get(self._data.dtype.name, self._data.dtype.name)
        if isinstance(dtype, (bool, np.bool_)):  # (to() would read it as non_blocking)
            raise TypeError(f"type: expected a dtype or a type's name, got {dtype!r}")
        if isinstance(dtype, str) and dtype.endswith("Tensor"):
            if dtype not in _TYPES:
                raise ValueError(f"type: invalid type {dtype!r}; the types are {', '.join(_TYPES)}")
            dtype = _TYPES[dtype]
        return self.to(dtype)

    def cpu(self) -> Tensor:
        """Itself: there is only the CPU here."""
        return self  # type: ignore[return-value]

    def clone(self) -> Tensor:
        """A copy with its own memory, in the graph (its gradient flows back to this one)."""
        return self._apply1(_REGISTRY["cast"], dtype=self._data.dtype)  # (astype copies)

    def nelement(self) -> builtins.int:
        """The number of elements (PyTorch's other name for ``numel``)."""
        return builtins.int(self._data.size)

    def __index__(self) -> builtins.int:
        """A one-element integer Tensor used as an index: ``names[t.argmax()]``."""
        if self._data.size != 1 or self._data.dtype.kind not in "iub":
            raise TypeError(
                f"only a one-element integer tensor is an index, got {self._data.shape} {self._data.dtype}"
            )
        return builtins.int(self._data.item())

    def __format__(self, spec: str) -> str:
        """A one-element Tensor formats as its number: ``f"{loss:.4f}"``."""
        if spec and self._data.size == 1:
            return format(self._data.item(), spec)
        return format(str(self), spec)

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

"""Activation modules: `Activation` for any unary function the primitives define, and PyTorch's
names for the common ones: `ReLU`, `Tanh`, `Sigmoid`, `GELU`, `SiLU`, `LeakyReLU`; and `Softmax`
and `LogSoftmax` along a dimension of a Tensor.

Each works on a Tensor, a Value, or a list of Values (element by element), and has no
parameters. The functions come from `autograd.functions()`, so an activation defined as your
own primitive works here too: ``nn.Activation("softplus")``.

>>> from autograd import Value
>>> import nn
>>> [v.data for v in nn.ReLU()([Value(-1.0), Value(2.0)])]
[0.0, 2.0]
>>> nn.Activation("tanh")
Activation('tanh')
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from autograd.composite import gelu
from autograd.factories import where
from autograd.primitive import functions
from autograd.tensors import Tensor
from autograd.value import Value
from nn.linear import tensor_input
from nn.module import Module

__all__ = [
    "GELU",
    "Activation",
    "LeakyReLU",
    "LogSoftmax",
    "ReLU",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "activation_function",
    "leaky_relu",
    "silu",
]


def activation_function(who: str, name: Any) -> Any:
    """The unary function registered as ``name`` (ValueError listing the known ones)."""
    known = functions()
    if not isinstance(name, str) or name not in known:
        raise ValueError(f"{who}: unknown activation {name!r}; valid: {', '.join(repr(n) for n in known)}")
    return known[name]


class Activation(Module):
    """An elementwise function by name: ``Activation("tanh")``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._fn = activation_function(type(self).__name__, name)

    def _apply(self, x: Any) -> Any:
        if not hasattr(x, "_prev"):
            raise TypeError(f"{type(self).__name__}: expected a Tensor or Values, got {type(x).__name__}")
        return self._fn(x)

    def forward(self, x: Any) -> Any:
        if isinstance(x, (list, tuple)):
            return [self._apply(v) for v in x]
        return self._apply(x)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})" if type(self) is Activation else super().__repr__()


class ReLU(Activation):
    """max(0, x), elementwise. ``inplace`` is accepted for PyTorch's signature; the result is
    always a new node (the graph needs the input as it was)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__("relu")
        self.inplace = _flag("ReLU", "inplace", inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Tanh(Activation):
    """tanh(x), elementwise."""

    def __init__(self) -> None:
        super().__init__("tanh")


class Sigmoid(Activation):
    """1 / (1 + e^-x), elementwise."""

    def __init__(self) -> None:
        super().__init__("sigmoid")


class GELU(Activation):
    """x·Φ(x), elementwise: exact (erf) by default, ``approximate="tanh"`` for the tanh form."""

    def __init__(self, approximate: str = "none") -> None:
        if not isinstance(approximate, str) or approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        super().__init__("gelu")
        self.approximate = approximate
        self._fn = lambda x: gelu(x, approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


def silu(x: Any) -> Any:
    """x·sigmoid(x) (also called swish), of a Tensor or a Value."""
    return x * x.sigmoid()


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x where x > 0, else negative_slope·x (the gradient at 0 is the slope, as PyTorch's), of a
    Tensor or a Value."""
    positive = bool(x.data > 0) if isinstance(x, Value) else x._data > 0
    return where(positive, x, x * negative_slope)


class SiLU(Activation):
    """x·sigmoid(x), elementwise."""

    def __init__(self, inplace: bool = False) -> None:
        self.name = "silu"
        self._fn = silu
        self.inplace = _flag("SiLU", "inplace", inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Activation):
    """x where x > 0, else ``negative_slope``·x, elementwise."""

    negative_slope: float
    inplace: bool

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        if isinstance(negative_slope, (bool, np.bool_)) or not isinstance(negative_slope, numbers.Real):
            raise TypeError(
                f"LeakyReLU: negative_slope must be a number, got {type(negative_slope).__name__}"
            )
        self.name = "leaky_relu"
        self.negative_slope = float(negative_slope)
        self.inplace = _flag("LeakyReLU", "inplace", inplace)
        self._fn = lambda x: leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


def _flag(who: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: {name} must be True or False, got {type(value).__name__}")
    return bool(value)


def implicit_dim(who: str, ndim: int) -> int:
    """PyTorch's choice of dimension when ``dim`` is None (deprecated there, with a warning):
    0 for 0-, 1- and 3-D input, else 1."""
    warnings.warn(f"{who}: implicit dimension choice is deprecated; pass dim=", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def check_dim(who: str, dim: Any) -> int:
    """A dimension argument: an int (TypeError otherwise; the range is checked on the input)."""
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{who}: dim must be an int, got {type(dim).__name__}")
    return int(dim)


class Softmax(Module):
    """exp(x) / Σ exp(x) along ``dim`` of a Tensor (computed stably), as ``torch.nn.Softmax``.

    >>> from autograd import Tensor
    >>> Softmax(dim=1)(Tensor([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, dim: int | None = None) -> None:
        self.dim = None if dim is None else check_dim(type(self).__name__, dim)

    def forward(self, x: Any) -> Tensor:
        x, dim = self._input(x)
        return x.softmax(dim=dim)

    def _input(self, x: Any) -> tuple[Tensor, int]:
        who = type(self).__name__
        x = tensor_input(who, x)
        dim = implicit_dim(who, x.ndim) if self.dim is None else self.dim
        if not -max(x.ndim, 1) <= dim < max(x.ndim, 1) or x.ndim == 0:
            raise ValueError(f"{who}: dim {dim} is out of range for an input of shape {x.shape}")
        if x.dtype.kind != "f":
            raise TypeError(f"{who}: input must hold floats, got {x.dtype}")
        return x, dim

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """x − log Σ exp(x) along ``dim`` (finite for large logits), as ``torch.nn.LogSoftmax``.

    >>> from autograd import Tensor
    >>> LogSoftmax(dim=-1)(Tensor([0.0, 1e4])).tolist()
    [-10000.0, 0.0]
    """

    def forward(self, x: Any) -> Tensor:
        x, dim = self._input(x)
        return x.log_softmax(dim=dim)

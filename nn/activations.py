"""Activation modules: `Activation` for any unary function the primitives define, and PyTorch's
names for the common ones: `ReLU`, `Tanh`, `Sigmoid`, `GELU`; and `Softmax` and `LogSoftmax`
along a dimension of a Tensor.

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

from typing import Any

import numpy as np

from autograd.composite import gelu
from autograd.primitive import functions
from autograd.tensors import Tensor
from nn.linear import tensor_input
from nn.module import Module

__all__ = ["GELU", "Activation", "LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Tanh", "activation_function"]


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
    """max(0, x), elementwise."""

    def __init__(self) -> None:
        super().__init__("relu")


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
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        super().__init__("gelu")
        self.approximate = approximate
        self._fn = lambda x: gelu(x, approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


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

    def __init__(self, dim: int) -> None:
        self.dim = check_dim(type(self).__name__, dim)

    def forward(self, x: Any) -> Tensor:
        return self._input(x).softmax(dim=self.dim)

    def _input(self, x: Any) -> Tensor:
        who = type(self).__name__
        x = tensor_input(who, x)
        if not -x.ndim <= self.dim < x.ndim:
            raise ValueError(f"{who}: dim {self.dim} is out of range for an input of shape {x.shape}")
        if x.dtype.kind != "f":
            raise TypeError(f"{who}: input must hold floats, got {x.dtype}")
        return x

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """x − log Σ exp(x) along ``dim`` (finite for large logits), as ``torch.nn.LogSoftmax``.

    >>> from autograd import Tensor
    >>> LogSoftmax(dim=-1)(Tensor([0.0, 1e4])).tolist()
    [-10000.0, 0.0]
    """

    def forward(self, x: Any) -> Tensor:
        return self._input(x).log_softmax(dim=self.dim)

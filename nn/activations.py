"""Activation modules: `ReLU`, `Tanh`, `Sigmoid`, `GELU`.

Each calls the node's own method, so it works on a Tensor, a Value, or a list of Values
(element by element), and has no parameters.

>>> from autograd import Value
>>> import nn
>>> [v.data for v in nn.activations.ReLU()([Value(-1.0), Value(2.0)])]
[0.0, 2.0]
"""

from __future__ import annotations

from typing import Any

from nn.module import Module

__all__ = ["GELU", "ReLU", "Sigmoid", "Tanh"]


class _Elementwise(Module):
    _method = ""

    def _apply(self, x: Any) -> Any:
        return getattr(x, self._method)()

    def forward(self, x: Any) -> Any:
        if isinstance(x, (list, tuple)):
            return [self._apply(v) for v in x]
        if not hasattr(x, self._method):
            raise TypeError(f"{type(self).__name__}: expected a Tensor or Values, got {type(x).__name__}")
        return self._apply(x)


class ReLU(_Elementwise):
    """max(0, x), elementwise."""

    _method = "relu"


class Tanh(_Elementwise):
    """tanh(x), elementwise."""

    _method = "tanh"


class Sigmoid(_Elementwise):
    """1 / (1 + e^-x), elementwise."""

    _method = "sigmoid"


class GELU(_Elementwise):
    """x·Φ(x), elementwise: exact (erf) by default, ``approximate="tanh"`` for the tanh form."""

    _method = "gelu"

    def __init__(self, approximate: str = "none") -> None:
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def _apply(self, x: Any) -> Any:
        return x.gelu(approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"

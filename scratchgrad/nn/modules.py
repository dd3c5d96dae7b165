"""nn's modules that hold floating-point tensors, made in scratchgrad's default dtype (float32,
as PyTorch's) instead of nn's float64, and taking PyTorch's ``device=`` (the CPU only).

Each is nn's class itself but for that default (a subclass: ``isinstance(m, nn.Linear)`` holds
for both, and ``repr`` and state dict keys are nn's); every other argument goes to nn's class.

>>> from scratchgrad import nn
>>> nn.Linear(3, 2).weight.dtype, nn.Embedding(5, 4).weight.dtype, nn.Linear(3, 2, dtype=float).weight.dtype
(dtype('float32'), dtype('float32'), dtype('float64'))
"""

from __future__ import annotations

from typing import Any

import nn
from autograd.devices import check_cpu
from scratchgrad import dtypes

__all__ = ["BatchNorm1d", "Embedding", "LayerNorm", "Linear"]


def _dtype(who: str, device: Any, dtype: Any) -> Any:
    check_cpu(who, device)
    return dtypes.floating(who, dtype)


class Linear(nn.Linear):
    """`nn.Linear`, float32 by default (see the module's docstring)."""

    def __init__(self, *args: Any, device: Any = None, dtype: Any = None, **kwargs: Any) -> None:
        kwargs["dtype"] = _dtype("Linear", device, dtype)
        super().__init__(*args, **kwargs)


class Embedding(nn.Embedding):
    """`nn.Embedding`, float32 by default (see the module's docstring)."""

    def __init__(self, *args: Any, device: Any = None, dtype: Any = None, **kwargs: Any) -> None:
        kwargs["dtype"] = _dtype("Embedding", device, dtype)
        super().__init__(*args, **kwargs)


class LayerNorm(nn.LayerNorm):
    """`nn.LayerNorm`, float32 by default (see the module's docstring)."""

    def __init__(self, *args: Any, device: Any = None, dtype: Any = None, **kwargs: Any) -> None:
        kwargs["dtype"] = _dtype("LayerNorm", device, dtype)
        super().__init__(*args, **kwargs)


class BatchNorm1d(nn.BatchNorm1d):
    """`nn.BatchNorm1d`, float32 by default (see the module's docstring)."""

    def __init__(self, *args: Any, device: Any = None, dtype: Any = None, **kwargs: Any) -> None:
        kwargs["dtype"] = _dtype("BatchNorm1d", device, dtype)
        super().__init__(*args, **kwargs)

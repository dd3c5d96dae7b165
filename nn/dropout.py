"""`Dropout`: in training mode, each element is zeroed with probability ``p`` and the others are
scaled by 1/(1 − p), so the expected value is unchanged; in eval mode the input passes unchanged.
The masks come from the project's one generator, so ``nn.manual_seed`` (or
``autograd.manual_seed``) makes them reproducible.

>>> import nn, autograd
>>> drop = nn.Dropout(p=0.5)
>>> autograd.manual_seed(0); a = drop(autograd.ones(8))
>>> autograd.manual_seed(0); bool((drop(autograd.ones(8)) == a).data.all())
True
>>> sorted(set(a.tolist()))                  # dropped, or kept and scaled by 1/(1 - p)
[0.0, 2.0]
>>> drop.eval()(autograd.ones(3)).tolist()
[1.0, 1.0, 1.0]
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from autograd.tensors import Tensor
from nn.init import get_rng
from nn.linear import tensor_input
from nn.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each element with probability ``p`` while training (scaling the rest by 1/(1 − p)),
    pass the input on in eval mode. ``p`` is a probability in [0, 1], as PyTorch requires.
    ``inplace`` is accepted for PyTorch's signature, but the result is always a new Tensor (the
    graph needs the input as it was)."""

    p: float
    inplace: bool

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
            raise TypeError(f"Dropout: p must be a number, got {type(p).__name__}")
        if not 0 <= float(p) <= 1:  # NaN too
            raise ValueError(f"Dropout: p must be a probability in [0, 1], got {p!r}")
        if not isinstance(inplace, (bool, np.bool_)):
            raise TypeError(f"Dropout: inplace must be True or False, got {type(inplace).__name__}")
        self.p = float(p)
        self.inplace = bool(inplace)

    def forward(self, x: Any) -> Tensor:
        x = tensor_input("Dropout", x)
        if x.dtype.kind != "f":
            raise TypeError(f"Dropout: input must hold floats, got {x.dtype}")
        if not self.training or self.p == 0:
            return x
        if self.p == 1:  # everything dropped; 1/(1 - p) would be inf
            return x * 0.0
        keep = get_rng().random(x.shape) >= self.p  # kept with probability 1 - p
        # The scaled mask is a constant of x's dtype: float32 stays float32.
        scale = np.where(keep, 1.0 / (1.0 - self.p), 0.0).astype(x.dtype, copy=False)
        return x * scale

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"

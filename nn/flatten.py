"""`Flatten`: dimensions ``start_dim`` to ``end_dim`` merged into one, as ``torch.nn.Flatten``
(by default all but the batch dimension).

>>> import nn, autograd
>>> nn.Flatten()(autograd.zeros(2, 3, 4)).shape, nn.Flatten(0, 1)(autograd.zeros(2, 3, 4)).shape
((2, 12), (6, 4))
"""

from __future__ import annotations

from typing import Any

from autograd.tensors import Tensor
from nn.activations import check_dim
from nn.linear import tensor_input
from nn.module import Module

__all__ = ["Flatten"]


class Flatten(Module):
    """``x.flatten(start_dim, end_dim)``: both ends included, negative dims count from the end."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        self.start_dim = check_dim("Flatten", start_dim)
        self.end_dim = check_dim("Flatten", end_dim)

    def forward(self, x: Any) -> Tensor:
        x = tensor_input("Flatten", x)
        ndim = max(x.ndim, 1)  # a 0-d input flattens to one element, as PyTorch's
        for name, dim in (("start_dim", self.start_dim), ("end_dim", self.end_dim)):
            if not -ndim <= dim < ndim:
                raise ValueError(f"Flatten: {name} {dim} is out of range for an input of shape {x.shape}")
        if self.start_dim % ndim > self.end_dim % ndim:
            raise ValueError(
                f"Flatten: start_dim {self.start_dim} comes after end_dim {self.end_dim} for shape {x.shape}"
            )
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"

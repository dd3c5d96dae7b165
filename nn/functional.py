"""Functions with PyTorch's names (``torch.nn.functional``): ``relu``, ``softmax``, ``log_softmax``,
``one_hot``, and the losses, which live in `nn.losses` and are importable from here.

The losses have PyTorch's definitions and work on Tensors and on sequences of Values: an
elementwise formula written with operations that Values and Tensors share, then a reduction,
``"mean"`` (the default), ``"sum"`` or ``"none"``. A Tensor input gives a Tensor (the same shape
as the input for ``"none"``); a sequence of Values (targets: numbers or Values) gives a Value (a
list for ``"none"``). Where a formula has a kink or a branch, its gradient is the one PyTorch uses
(``l1_loss`` has gradient 0 where input equals target), and nothing overflows:
``binary_cross_entropy_with_logits`` and ``cross_entropy`` stay finite at any logit.

>>> from autograd import Tensor, Value
>>> import nn.functional as F
>>> F.mse_loss([Value(1.0), Value(3.0)], [0.0, 1.0]).data          # (1 + 4) / 2
2.5
>>> F.cross_entropy([[Value(0.0), Value(0.0)]], [1]).data           # log 2
0.6931471805599453
>>> x = Tensor([[1.0, 2.0], [3.0, 0.0]])
>>> F.nll_loss(F.log_softmax(x, dim=1), [1, 0]).item() == F.cross_entropy(x, [1, 0]).item()
True
>>> F.one_hot([0, 2]).tolist()
[[1, 0, 0], [0, 0, 1]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensors import Tensor
from autograd.value import Value
from nn.activations import check_dim
from nn.embedding import check_indices
from nn.linear import tensor_input
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "l1_loss",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu",
    "smooth_l1_loss",
    "softmax",
]


def relu(input: Any) -> Any:
    """max(0, x) elementwise, of a Tensor or a Value (gradient 0 at 0, as PyTorch).

    >>> relu(Tensor([-1.0, 2.0])).tolist(), relu(Value(-3.0)).data
    ([0.0, 2.0], 0.0)
    """
    if isinstance(input, (Tensor, Value)):
        return input.relu()
    raise TypeError(f"relu: input must be a Tensor or a Value, got {type(input).__name__}")


def _along(who: str, input: Any, dim: Any, dtype: Any) -> Tensor:
    """The input of softmax/log_softmax: a float Tensor (cast to ``dtype`` first if given) and
    ``dim`` in range."""
    dim = check_dim(who, dim)
    x = tensor_input(who, input)
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must hold floats, got {x.dtype} (pass dtype= to cast it)")
    if not -max(x.ndim, 1) <= dim < max(x.ndim, 1) or x.ndim == 0:
        raise ValueError(f"{who}: dim {dim} is out of range for an input of shape {x.shape}")
    return x


def softmax(input: Any, dim: int, dtype: Any = None) -> Tensor:
    """exp(x) / Σ exp(x) along ``dim``, computed stably; ``dtype`` casts the input first.

    >>> softmax(Tensor([[0.0, 0.0]]), dim=1).tolist()
    [[0.5, 0.5]]
    """
    return _along("softmax", input, dim, dtype).softmax(dim=dim)


def log_softmax(input: Any, dim: int, dtype: Any = None) -> Tensor:
    """x − log Σ exp(x) along ``dim``, finite for large logits; ``dtype`` casts the input first.

    >>> log_softmax(Tensor([0.0, 1e4]), dim=0).tolist()
    [-10000.0, 0.0]
    """
    return _along("log_softmax", input, dim, dtype).log_softmax(dim=dim)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Integer class indices (a Tensor, an array, a list) as one-hot rows: an int64 Tensor of
    shape ``(*tensor.shape, num_classes)``, as PyTorch's; ``num_classes=-1`` takes the largest
    index + 1. Not differentiable (integers).

    >>> one_hot(Tensor(np.array([1, 0])), num_classes=3).tolist()
    [[0, 1, 0], [1, 0, 0]]
    """
    who = "one_hot"
    if isinstance(num_classes, (bool, np.bool_)) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"{who}: num_classes must be an int, got {type(num_classes).__name__}")
    num_classes = int(num_classes)
    if num_classes < -1:
        raise ValueError(f"{who}: num_classes must be -1 (infer it) or >= 0, got {num_classes}")
    indices = check_indices(who, tensor, None)
    if indices.size and indices.min() < 0:
        raise ValueError(f"{who}: class values must be >= 0, got {int(indices.min())}")
    if num_classes == -1:
        if not indices.size:
            raise ValueError(f"{who}: cannot infer num_classes from no indices; give num_classes")
        num_classes = int(indices.max()) + 1
    elif indices.size and indices.max() >= num_classes:
        raise ValueError(f"{who}: class value {int(indices.max())} is out of range for {num_classes} classes")
    return Tensor(np.equal.outer(indices, np.arange(num_classes)).astype(np.int64))

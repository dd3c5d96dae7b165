"""Functions with PyTorch's names and arguments (``torch.nn.functional``): activations (``relu``,
``gelu``, ``tanh``, ``sigmoid``, ``silu``, ``leaky_relu``, ``softmax``, ``log_softmax``), ``one_hot``,
``dropout``, ``linear``, ``embedding``, ``layer_norm``, and the losses (`nn.losses`,
`nn.cross_entropy`). ``dir(nn.functional)`` lists them, and only them.

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

import numbers
from typing import Any

import numpy as np

from autograd.composite import gelu as _gelu
from autograd.tensors import Tensor
from autograd.value import Value
from nn.activations import check_dim, implicit_dim
from nn.activations import leaky_relu as _leaky_relu
from nn.activations import silu as _silu
from nn.cross_entropy import cross_entropy, nll_loss
from nn.dropout import dropout
from nn.embedding import check_indices, rows_of
from nn.linear import tensor_input
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge_loss,
    huber_loss,
    l1_loss,
    mse_loss,
    smooth_l1_loss,
)
from nn.normalization import layer_norm

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "embedding",
    "gelu",
    "hinge_loss",
    "huber_loss",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "tanh",
]


def __dir__() -> list[str]:
    """The API, not the modules and helpers this one imports."""
    return sorted(__all__)


def _node(who: str, input: Any) -> Any:
    if isinstance(input, (Tensor, Value)):
        return input
    raise TypeError(f"{who}: input must be a Tensor or a Value, got {type(input).__name__}")


def relu(input: Any, inplace: bool = False) -> Any:
    """max(0, x) elementwise, of a Tensor or a Value (gradient 0 at 0, as PyTorch). ``inplace``
    is accepted for PyTorch's signature; the result is always a new node.

    >>> relu(Tensor([-1.0, 2.0])).tolist(), relu(Value(-3.0)).data
    ([0.0, 2.0], 0.0)
    """
    return _node("relu", input).relu()


def tanh(input: Any) -> Any:
    """tanh elementwise, of a Tensor or a Value."""
    return _node("tanh", input).tanh()


def sigmoid(input: Any) -> Any:
    """1 / (1 + e^−x) elementwise, of a Tensor or a Value."""
    return _node("sigmoid", input).sigmoid()


def gelu(input: Any, approximate: str = "none") -> Any:
    """x·Φ(x) elementwise: exact (erf) by default, ``approximate="tanh"`` for the tanh form.

    >>> round(gelu(Value(1.0)).data, 4)
    0.8413
    """
    return _gelu(_node("gelu", input), approximate)


def silu(input: Any, inplace: bool = False) -> Any:
    """x·sigmoid(x) elementwise (swish)."""
    return _silu(_node("silu", input))


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Any:
    """x where x > 0, else ``negative_slope``·x, elementwise.

    >>> leaky_relu(Tensor([-1.0, 2.0]), 0.1).tolist()
    [-0.1, 2.0]
    """
    if isinstance(negative_slope, (bool, np.bool_)) or not isinstance(negative_slope, numbers.Real):
        raise TypeError(f"leaky_relu: negative_slope must be a number, got {type(negative_slope).__name__}")
    return _leaky_relu(_node("leaky_relu", input), float(negative_slope))


def _along(who: str, input: Any, dim: Any, dtype: Any) -> tuple[Tensor, int]:
    """The input of softmax/log_softmax: a float Tensor (cast to ``dtype`` first if given) and
    ``dim`` in range (None: PyTorch's implicit choice, with its warning)."""
    x = tensor_input(who, input)
    dim = implicit_dim(who, x.ndim) if dim is None else check_dim(who, dim)
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must hold floats, got {x.dtype} (pass dtype= to cast it)")
    if not -max(x.ndim, 1) <= dim < max(x.ndim, 1) or x.ndim == 0:
        raise ValueError(f"{who}: dim {dim} is out of range for an input of shape {x.shape}")
    return x, dim


def softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x) / Σ exp(x) along ``dim``, computed stably; ``dtype`` casts the input first.

    >>> softmax(Tensor([[0.0, 0.0]]), dim=1).tolist()
    [[0.5, 0.5]]
    """
    x, dim = _along("softmax", input, dim, dtype)
    return x.softmax(dim=dim)


def log_softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x − log Σ exp(x) along ``dim``, finite for large logits; ``dtype`` casts the input first.

    >>> log_softmax(Tensor([0.0, 1e4]), dim=0).tolist()
    [-10000.0, 0.0]
    """
    x, dim = _along("log_softmax", input, dim, dtype)
    return x.log_softmax(dim=dim)


def linear(input: Any, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias, as `nn.Linear` computes it (weight (out, in), bias (out,)).

    >>> linear(Tensor([[1.0, 2.0]]), Tensor([[1.0, 1.0]]), Tensor([0.5])).tolist()
    [[3.5]]
    """
    who = "linear"
    if not isinstance(weight, Tensor) or weight.ndim not in (1, 2):
        raise TypeError(f"linear: weight must be a 1-D or 2-D Tensor, got {weight!r:.60}")
    x = tensor_input(who, input, weight.dtype)
    if x.ndim == 0 or x.shape[-1] != weight.shape[-1]:
        raise ValueError(f"{who}: input shape {x.shape} does not fit weight shape {weight.shape}")
    if bias is not None and not isinstance(bias, Tensor):
        raise TypeError(f"{who}: bias must be None or a Tensor, got {type(bias).__name__}")
    out = x @ weight.T
    return out if bias is None else out + bias


def embedding(input: Any, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """The rows of ``weight`` at the integer indices ``input`` (any shape), as `nn.Embedding`;
    the row ``padding_idx`` gets no gradient.

    >>> embedding([[1], [0]], Tensor([[0.0, 1.0], [2.0, 3.0]])).tolist()
    [[[2.0, 3.0]], [[0.0, 1.0]]]
    """
    if not isinstance(weight, Tensor) or weight.ndim != 2:
        raise TypeError(f"embedding: weight must be a 2-D Tensor, got {weight!r:.60}")
    index = check_indices("embedding", input, weight.shape[0])
    return rows_of(weight, index, None if padding_idx is None else padding_idx % weight.shape[0])


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
    if indices.size * num_classes * 8 >= 2**63:
        raise ValueError(
            f"{who}: {indices.size} x {num_classes} one-hot rows are more than an array can hold"
        )
    return Tensor(np.equal.outer(indices, np.arange(num_classes)).astype(np.int64))

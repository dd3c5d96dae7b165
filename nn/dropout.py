"""`Dropout`: in training mode, each element is zeroed with probability ``p`` and the others are
scaled by 1/(1 − p), so the expected value is unchanged; in eval mode the input passes unchanged.

The masks are PyTorch's: drawn from the default generator (or the ``generator=`` of
`nn.functional.dropout`) as ``torch.nn.Dropout`` draws them on the CPU, so the same seed drops
the same elements, and the output is ``x * (mask / (1 − p))`` in x's dtype, as PyTorch computes it.

>>> import nn, autograd
>>> drop = nn.Dropout(p=0.5)
>>> _ = autograd.manual_seed(0); a = drop(autograd.ones(8))
>>> _ = autograd.manual_seed(0); bool((drop(autograd.ones(8)) == a).all())
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

from autograd import random
from autograd.tensors import Tensor
from nn.linear import tensor_input
from nn.module import Module

__all__ = ["Dropout", "dropout"]


def _check_p(who: str, p: Any) -> float:
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(f"{who}: p must be a number, got {type(p).__name__}")
    if not 0 <= float(p) <= 1:  # NaN too
        raise ValueError(f"{who}: p must be a probability in [0, 1], got {p!r}")
    return float(p)


def _check_flag(who: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: {name} must be True or False, got {type(value).__name__}")
    return bool(value)


def dropout(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, *, generator: Any = None
) -> Tensor:
    """``torch.nn.functional.dropout``: while ``training`` (True by default, unlike the module's
    mode), each element is zeroed with probability ``p`` and the rest scaled by 1/(1 − p); the
    mask is PyTorch's for the same seed, drawn from ``generator`` (the default one if None).
    ``inplace`` is accepted for PyTorch's signature: the result is always a new node.

    >>> import autograd
    >>> x = autograd.ones(6)
    >>> dropout(x, 0.5, generator=autograd.Generator().manual_seed(0)).tolist()
    [0.0, 0.0, 2.0, 0.0, 0.0, 0.0]
    """
    who = "dropout"
    p = _check_p(who, p)
    training = _check_flag(who, "training", training)
    _check_flag(who, "inplace", inplace)
    x = tensor_input(who, input)
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must hold floats, got {x.dtype}")
    if not training or p == 0 or x._data.size == 0:
        return x
    if p == 1:  # everything dropped, as PyTorch's input * 0 (NaN for inf, as there)
        return x * 0.0
    dtype = x._data.dtype
    draw = dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)
    mask = random.dropout_mask(x._data.shape, p, generator, draw)
    # PyTorch divides the mask by (1 - p) in x's dtype, then multiplies: the same numbers here.
    scale = (mask / draw.type(1.0 - p)).astype(dtype, copy=False)
    return x * scale


class Dropout(Module):
    """Zero each element with probability ``p`` while training (scaling the rest by 1/(1 − p)),
    pass the input on in eval mode. ``p`` is a probability in [0, 1], as PyTorch requires.
    ``inplace`` is accepted for PyTorch's signature, but the result is always a new Tensor (the
    graph needs the input as it was)."""

    p: float
    inplace: bool

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        self.p = _check_p("Dropout", p)
        self.inplace = _check_flag("Dropout", "inplace", inplace)

    def forward(self, x: Any) -> Tensor:
        x = tensor_input("Dropout", x)
        if x._data.dtype.kind != "f":
            raise TypeError(f"Dropout: input must hold floats, got {x._data.dtype}")
        return dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"

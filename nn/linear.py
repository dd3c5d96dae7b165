"""`Linear`: the fully connected layer on Tensors, y = x @ weight.T + bias, as ``torch.nn.Linear``;
`Identity`, which passes its input on; and the input checks the Tensor layers share.

>>> import numpy as np, nn
>>> from autograd import Tensor
>>> layer = nn.Linear(3, 2, rng=0)
>>> layer.weight.shape, layer.bias.shape
((2, 3), (2,))
>>> layer(Tensor(np.ones((4, 3)))).shape
(4, 2)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.devices import check_cpu
from autograd.tensors import Tensor
from autograd.value import Value
from nn import init
from nn.init import RNG, get_rng
from nn.layers import _check_count, _check_size
from nn.module import Module

__all__ = ["Identity", "Linear", "float_dtype", "tensor_input"]


class Linear(Module):
    """``weight`` (out_features, in_features) and ``bias`` (out_features,), initialised as
    PyTorch's: ``kaiming_uniform_(weight, a=√5)`` then the bias from U(−1/√in_features,
    1/√in_features), drawn in that order from the default generator (or ``rng=``), so the same
    seed gives PyTorch's weights. ``dtype`` is float64 by default (pass ``np.float32`` for speed,
    and for PyTorch's float32 numbers); ``device`` may only be the CPU."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: RNG = None,
    ) -> None:
        _check_size("Linear", "in_features", in_features)
        _check_size("Linear", "out_features", out_features)
        _check_count("Linear", [out_features, in_features])
        check_cpu("Linear", device)
        dtype = float_dtype("Linear", dtype)
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"Linear: bias must be True or False, got {type(bias).__name__}")
        self.in_features, self.out_features = in_features, out_features
        gen = get_rng(rng)
        self.weight = Tensor(np.empty((out_features, in_features), dtype), requires_grad=True, label="weight")
        self.bias = Tensor(np.empty(out_features, dtype), requires_grad=True, label="bias") if bias else None
        self.reset_parameters(gen)

    def reset_parameters(self, generator: Any = None) -> None:
        """Draw the weights again, as PyTorch's ``reset_parameters``."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), generator=generator)
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound, generator=generator)

    def forward(self, x: Any) -> Tensor:
        if not isinstance(x, Tensor):
            x = tensor_input("Linear", x, self.weight._data.dtype)
        shape = x._data.shape
        if not shape or shape[-1] != self.in_features:
            raise ValueError(
                f"Linear: input shape {shape} does not fit weight shape {self.weight._data.shape}: "
                f"the last dimension must be in_features={self.in_features}"
            )
        out = x @ self.weight.T
        return out + self.bias if self.bias is not None else out

    def extra_repr(self) -> str:
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"


class Identity(Module):
    """Returns its input unchanged (any arguments to the constructor are ignored, as PyTorch's).

    >>> Identity(54, unused="argument")(3.0)
    3.0
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def forward(self, x: Any) -> Any:
        return x


def float_dtype(who: str, dtype: Any) -> np.dtype:
    """``dtype`` as a numpy float dtype (None: float64, the default), or TypeError naming it."""
    if dtype is None:
        return np.dtype(np.float64)
    try:
        found = np.dtype(dtype)
    except (TypeError, ValueError):  # numpy's "data type 'bogus' not understood" names no layer
        raise TypeError(f"{who}: dtype must be a numpy float type (np.float32, ...), got {dtype!r}") from None
    if found.kind != "f":
        raise TypeError(f"{who}: dtype must be a float type, got {found}")
    return found


def tensor_input(who: str, x: Any, dtype: Any = None) -> Tensor:
    """A layer's input as a Tensor: a Tensor as it is; numbers, lists or arrays as a constant
    Tensor (of ``dtype`` if given) by ``Tensor(x)``'s rules: strings, complex numbers and Values
    are refused. A Value must not be turned into a float here (numpy would call
    ``float(value)``): its gradient would be lost without a word."""
    if isinstance(x, Tensor):
        return x
    try:
        data = Tensor(x)._data
    except TypeError as err:
        if _holds_value(x):
            raise TypeError(
                f"{who}: got Values; Tensor and Value do not mix (their gradients would be lost). "
                "Use nn.MLP or nn.Layer for Values, or Tensor([v.data for v in values]) for constants"
            ) from None
        raise TypeError(f"{who}: input {str(err).removeprefix('Tensor: ')}") from None
    except ValueError as err:
        raise ValueError(f"{who}: input {str(err).removeprefix('Tensor: ')}") from None
    return Tensor(data if dtype is None else data.astype(dtype, copy=False))


def _holds_value(x: Any) -> bool:
    if isinstance(x, Value):
        return True
    if isinstance(x, (list, tuple)):
        return any(_holds_value(item) for item in x)
    if isinstance(x, np.ndarray) and x.dtype == object:
        return any(isinstance(item, Value) for item in x.flat)
    return False

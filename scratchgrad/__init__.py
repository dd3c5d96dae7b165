"""PyTorch's namespace over this project's autograd and nn: ``import scratchgrad as torch``.

Programs written for PyTorch run with their import lines changed and nothing else::

    import scratchgrad as torch                  # import torch
    import scratchgrad.nn.functional as F        # import torch.nn.functional as F
    from scratchgrad import nn                   # from torch import nn

Names, signatures, dtypes and values are PyTorch's: the default dtype is float32, and the random
numbers are PyTorch's own for the same seed (``manual_seed``, ``Generator``, ``generator=``).
Tensors are `autograd.Tensor`; ``dir(scratchgrad)`` lists the API. What scratchgrad cannot do
(a GPU, pickling arbitrary objects) raises an error that says so.

>>> import scratchgrad as torch
>>> g = torch.Generator().manual_seed(2147483647)
>>> W = torch.randn((27, 27), generator=g, requires_grad=True)
>>> loss = torch.tanh(W).sum()
>>> loss.backward()
>>> W.grad.shape, W.dtype
((27, 27), dtype('float32'))
"""

from typing import Any

from autograd.devices import device
from scratchgrad import (
    accelerator,
    autograd,
    backends,
    cuda,
    dtypes,
    factories,
    func,
    functions,
    grad_mode,
    nn,
    numerics,
    optim,
    serialization,
    utils,
)
from scratchgrad.dtypes import *
from scratchgrad.factories import *
from scratchgrad.functions import *
from scratchgrad.grad_mode import *
from scratchgrad.numerics import *
from scratchgrad.serialization import *

# Each module lists its PyTorch names in its __all__; the namespace is theirs and these.
_MODULES = (dtypes, factories, functions, grad_mode, numerics, serialization)
__all__ = sorted(
    {"accelerator", "autograd", "backends", "cuda", "device", "func", "nn", "optim", "utils"}.union(
        *(module.__all__ for module in _MODULES)
    )
)
del _MODULES, dtypes, factories, functions, grad_mode, numerics, serialization


def __getattr__(name: str) -> Any:
    """A name PyTorch has and scratchgrad does not: an AttributeError that says so."""
    if name.startswith("__"):
        raise AttributeError(f"module 'scratchgrad' has no attribute {name!r}")
    raise AttributeError(
        f"scratchgrad has no {name!r}: torch.{name} is not part of scratchgrad (see dir(scratchgrad))"
    )


def __dir__() -> list[str]:
    """The API, not the implementation modules: ``dir(scratchgrad)`` is what a user calls."""
    return sorted(__all__)

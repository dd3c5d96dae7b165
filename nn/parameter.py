"""`Parameter`: PyTorch's ``nn.Parameter``, a Tensor a module counts among its parameters.

Any Tensor attribute of a module that requires grad is already a parameter here; a Parameter is
one also when it is frozen (``requires_grad=False``), so it stays in ``parameters()`` and
``state_dict()``, as in PyTorch.

>>> import numpy as np, nn
>>> class Scale(nn.Module):
...     def __init__(self) -> None:
...         self.gain = nn.Parameter(np.ones(3))
...     def forward(self, x):
...         return x * self.gain
>>> [name for name, _ in Scale().named_parameters()]
['gain']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A leaf Tensor that is a module's parameter, sharing the memory of the ``data`` it is made
    from (a Tensor or an array); it requires grad unless told otherwise."""

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        source = np.empty(0, np.float32) if data is None else data
        super().__init__(source, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

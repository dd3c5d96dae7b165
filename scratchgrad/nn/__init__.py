"""``torch.nn``: this project's `nn` (modules, losses, optimizers, init) under PyTorch's names,
its modules making float32 tensors by default (`scratchgrad.nn.modules`), as PyTorch's.

>>> from scratchgrad import nn
>>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
>>> model[0].weight.shape, model[0].weight.dtype
((8, 4), dtype('float32'))
"""

from nn import *  # noqa: F403 - the namespace is nn's, name for name
from nn import __all__ as _nn_all
from scratchgrad.nn import functional as functional  # type: ignore[no-redef]
from scratchgrad.nn import init as init  # type: ignore[no-redef]
from scratchgrad.nn.modules import BatchNorm1d as BatchNorm1d
from scratchgrad.nn.modules import Embedding as Embedding
from scratchgrad.nn.modules import LayerNorm as LayerNorm
from scratchgrad.nn.modules import Linear as Linear

__all__ = sorted(set(_nn_all) | {"BatchNorm1d", "Embedding", "LayerNorm", "Linear", "functional", "init"})

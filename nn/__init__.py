"""Neural networks on this project's autograd: modules, losses, optimizers, save and load.

>>> import nn
>>> _ = nn.manual_seed(0)
>>> model = nn.MLP(2, [8, 1])
>>> opt = nn.optim.SGD(model.parameters(), lr=0.1)
>>> loss = nn.functional.mse_loss([model([1.0, 2.0])], [1.0])
>>> opt.zero_grad(); loss.backward(); opt.step()

Tensor layers with PyTorch's names, arguments, initialisation and state dict keys:

>>> net = nn.Sequential(nn.Embedding(10, 4), nn.Flatten(), nn.Linear(8, 8), nn.LayerNorm(8),
...                     nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 3))
>>> net([[1, 2], [3, 4]]).shape
(2, 3)
>>> loss_fn = nn.CrossEntropyLoss()
>>> loss_fn(net([[1, 2]]), [0]).shape
()
"""

from autograd.factories import manual_seed
from nn import functional, init, optim, utils
from nn.activations import GELU, Activation, LeakyReLU, LogSoftmax, ReLU, Sigmoid, SiLU, Softmax, Tanh
from nn.containers import ModuleList, Sequential
from nn.dropout import Dropout
from nn.embedding import Embedding
from nn.flatten import Flatten
from nn.layers import MLP, Layer, Neuron
from nn.linear import Identity, Linear
from nn.loss_modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from nn.module import Module
from nn.normalization import BatchNorm1d, LayerNorm
from nn.parameter import Parameter
from nn.serialize import load, save

__all__ = [
    "Activation",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "CrossEntropyLoss",
    "Dropout",
    "Embedding",
    "Flatten",
    "GELU",
    "HuberLoss",
    "Identity",
    "L1Loss",
    "Layer",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MLP",
    "MSELoss",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Neuron",
    "Parameter",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Tanh",
    "functional",
    "init",
    "load",
    "manual_seed",
    "optim",
    "save",
    "utils",
]


def __dir__() -> list[str]:
    """The API, not the modules it is written in: ``dir(nn)`` is what a user calls."""
    return sorted(__all__)

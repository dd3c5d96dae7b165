"""Neural networks on this project's autograd: modules, losses, optimizers, save and load.

>>> import nn
>>> nn.manual_seed(0)
>>> model = nn.MLP(2, [8, 1])
>>> opt = nn.optim.SGD(model.parameters(), lr=0.1)
>>> loss = nn.functional.mse_loss([model([1.0, 2.0])], [1.0])
>>> opt.zero_grad(); loss.backward(); opt.step()

Tensor layers with PyTorch's names, arguments and state dict keys:

>>> net = nn.Sequential(nn.Embedding(10, 4), nn.Flatten(), nn.Linear(8, 8), nn.LayerNorm(8),
...                     nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 3))
>>> net([[1, 2], [3, 4]]).shape
(2, 3)
"""

from nn import functional, init, optim, utils
from nn.activations import GELU, Activation, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from nn.containers import ModuleList, Sequential
from nn.dropout import Dropout
from nn.embedding import Embedding
from nn.flatten import Flatten
from nn.init import manual_seed
from nn.layers import MLP, Layer, Neuron
from nn.linear import Identity, Linear
from nn.module import Module
from nn.normalization import BatchNorm1d, LayerNorm
from nn.serialize import load, save

__all__ = [
    "Activation",
    "BatchNorm1d",
    "Dropout",
    "Embedding",
    "Flatten",
    "GELU",
    "Identity",
    "LayerNorm",
    "LogSoftmax",
    "MLP",
    "Layer",
    "Linear",
    "Module",
    "ModuleList",
    "Neuron",
    "ReLU",
    "Sequential",
    "Sigmoid",
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

"""Neural networks on this project's autograd: modules, losses, optimizers, save and load.

>>> import nn
>>> nn.manual_seed(0)
>>> model = nn.MLP(2, [8, 1])
>>> opt = nn.optim.SGD(model.parameters(), lr=0.1)
>>> loss = nn.functional.mse_loss([model([1.0, 2.0])], [1.0])
>>> opt.zero_grad(); loss.backward(); opt.step()
"""

from nn import functional, optim
from nn.activations import GELU, Activation, ReLU, Sigmoid, Tanh
from nn.init import manual_seed
from nn.layers import MLP, Layer, Neuron
from nn.linear import Linear
from nn.module import Module, Sequential
from nn.serialize import load, save

__all__ = [
    "Activation",
    "GELU",
    "MLP",
    "Layer",
    "Linear",
    "Module",
    "Neuron",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "functional",
    "load",
    "manual_seed",
    "optim",
    "save",
]

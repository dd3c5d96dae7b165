"""``torch.optim``: nn's optimizers (SGD, Adam, AdamW, RMSprop), PyTorch's formulas and defaults.

>>> import scratchgrad as torch
>>> w = torch.zeros(2, requires_grad=True)
>>> opt = torch.optim.SGD([w], lr=0.25)
>>> ((w - 1.0) ** 2).sum().backward()
>>> opt.step(); w.tolist()
[0.5, 0.5]
"""

from nn.optim import *  # noqa: F403 - the namespace is nn.optim's, name for name
from nn.optim import __all__ as __all__

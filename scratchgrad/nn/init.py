"""``torch.nn.init``: nn's initialisers (``kaiming_normal_``, ``uniform_``, ...), PyTorch's formulas.

>>> import scratchgrad as torch
>>> w = torch.nn.init.kaiming_normal_(torch.empty(200, 30), mode="fan_in", nonlinearity="tanh")
>>> w.shape
(200, 30)
"""

from nn.init import *  # noqa: F403 - the namespace is nn.init's, name for name
from nn.init import __all__ as __all__

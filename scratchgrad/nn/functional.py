"""``torch.nn.functional`` (``import scratchgrad.nn.functional as F``): nn's functions, name for
name: the losses, ``softmax``, ``log_softmax``, ``one_hot``, ``tanh``, ``relu``, ``dropout``, ...

>>> import scratchgrad as torch
>>> import scratchgrad.nn.functional as F
>>> F.softmax(torch.zeros(1, 4), dim=1).tolist(), F.tanh(torch.zeros(2)).tolist()
([[0.25, 0.25, 0.25, 0.25]], [0.0, 0.0])
"""

from nn.functional import *  # noqa: F403 - the namespace is nn.functional's, name for name
from nn.functional import __all__ as __all__

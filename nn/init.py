"""Random initialisation with one seed for the whole package: ``nn.manual_seed(n)``.

Every module that draws random weights takes ``rng=``: ``None`` (the package's generator, which
``manual_seed`` resets), an ``int`` seed, or a ``numpy.random.Generator``.

>>> import nn
>>> nn.manual_seed(0); a = nn.Neuron(3).w[0].data
>>> nn.manual_seed(0); b = nn.Neuron(3).w[0].data
>>> a == b
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["RNG", "get_rng", "manual_seed"]

RNG = None | int | np.random.Generator

_generator = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Reset the package's random generator: the same seed gives the same weights afterwards."""
    global _generator
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed: seed must be an int, got {type(seed).__name__}")
    _generator = np.random.default_rng(int(seed))


def get_rng(rng: RNG = None) -> np.random.Generator:
    """The generator to draw from: the package's by default, a fresh one for an int seed."""
    if rng is None:
        return _generator
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {type(rng).__name__}")

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

from typing import Any

import numpy as np

__all__ = ["RNG", "get_rng", "manual_seed"]

RNG = None | int | np.random.Generator

_generator = np.random.default_rng()

_SEED_LIMIT = 2**64  # PyTorch's manual_seed takes up to 2**64 - 1; numpy's refuses negatives


def _seed(who: str, seed: Any) -> int:
    """``seed`` as an int in [0, 2**64), or TypeError/ValueError naming ``who`` (not numpy's message)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{who}: seed must be an int, got {type(seed).__name__}")
    value = int(seed)
    if not 0 <= value < _SEED_LIMIT:
        shown = value if abs(value) < 2**128 else f"an int of {value.bit_length()} bits"
        raise ValueError(f"{who}: seed must be in [0, 2**64), got {shown}")
    return value


def manual_seed(seed: int) -> None:
    """Reset the package's random generator: the same seed gives the same weights afterwards.

    ``seed`` is an int in [0, 2**64).
    """
    global _generator
    _generator = np.random.default_rng(_seed("manual_seed", seed))


def get_rng(rng: RNG = None) -> np.random.Generator:
    """The generator to draw from: the package's by default, a fresh one for an int seed."""
    if rng is None:
        return _generator
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(_seed("rng", rng))
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {type(rng).__name__}")

"""``torch.cuda``: CUDA is never available here (scratchgrad computes on the CPU with numpy).

>>> import scratchgrad as torch
>>> torch.cuda.is_available(), torch.cuda.device_count()
(False, 0)
"""

from __future__ import annotations

__all__ = ["device_count", "is_available", "manual_seed", "manual_seed_all"]


def is_available() -> bool:
    """False: there is no CUDA here."""
    return False


def device_count() -> int:
    """0 GPUs."""
    return 0


def manual_seed(seed: int) -> None:
    """Nothing to seed (PyTorch, too, only remembers the seed until a GPU is used)."""


def manual_seed_all(seed: int) -> None:
    """Nothing to seed, as `manual_seed`."""

"""``torch.backends``: only ``mps.is_available()`` (False), which tutorials ask when picking a device.

>>> import scratchgrad as torch
>>> torch.backends.mps.is_available()
False
"""

from __future__ import annotations

__all__ = ["mps"]


class mps:  # noqa: N801 - torch.backends.mps
    """Apple's Metal backend: not available here."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def is_built() -> bool:
        return False

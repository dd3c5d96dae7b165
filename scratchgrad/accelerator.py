"""``torch.accelerator``: there is none here (scratchgrad computes on the CPU with numpy).

>>> import scratchgrad as torch
>>> torch.accelerator.is_available(), torch.accelerator.current_accelerator()
(False, None)
"""

from __future__ import annotations

from autograd.devices import device

__all__ = ["current_accelerator", "device_count", "is_available"]


def is_available() -> bool:
    """False: no accelerator (GPU) is used here."""
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """None, as PyTorch's answer on a machine without an accelerator."""
    return None


def device_count() -> int:
    """0 accelerators."""
    return 0

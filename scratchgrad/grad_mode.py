"""Grad mode under PyTorch's names: ``no_grad`` and ``enable_grad`` (context managers and
decorators, per thread) are autograd's; ``set_grad_enabled`` and ``inference_mode`` are added.

>>> import scratchgrad as torch
>>> x = torch.ones(2, requires_grad=True)
>>> with torch.set_grad_enabled(False):
...     y = x * 2
>>> y.requires_grad, torch.is_grad_enabled()
(False, True)
"""

from __future__ import annotations

from typing import Any

from autograd import enable_grad, is_grad_enabled, no_grad

__all__ = ["enable_grad", "inference_mode", "is_grad_enabled", "no_grad", "set_grad_enabled"]


class set_grad_enabled:  # noqa: N801 - named like torch.set_grad_enabled
    """Turn recording on or off in this thread, at once (as a function) or for a ``with`` block
    (as a context manager, which restores the mode before it on exit)."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled: mode must be a bool, got {type(mode).__name__}")
        self._mode = enable_grad() if mode else no_grad()
        self._mode.__enter__()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self._mode.__exit__(*exc)


def inference_mode(mode: bool = True) -> Any:
    """``no_grad()`` (PyTorch's faster variant of it; here the same thing), or ``enable_grad()``
    for ``mode=False``: a context manager and decorator."""
    return no_grad() if mode else enable_grad()

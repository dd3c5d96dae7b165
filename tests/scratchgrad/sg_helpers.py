"""Comparisons the scratchgrad tests share."""

from __future__ import annotations

from typing import Any

import numpy as np

# What PyTorch raises for bad input (scratchgrad raises ValueError where it raises RuntimeError).
TORCH_ERRORS = (RuntimeError, ValueError, TypeError, NotImplementedError, OverflowError)


def dtype_name(t: Any) -> str:
    return str(t.dtype).rsplit(".", 1)[-1]


def same(ours: Any, theirs: Any) -> None:
    """Equal dtype name, shape and values (NaN equal to NaN)."""
    assert dtype_name(ours) == dtype_name(theirs)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(np.asarray(ours.tolist()), np.asarray(theirs.tolist()))

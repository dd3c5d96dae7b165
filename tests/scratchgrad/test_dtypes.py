"""scratchgrad's dtype names and its default dtype (float32, as PyTorch's)."""

from __future__ import annotations

import numpy as np
import pytest

import scratchgrad as sg


def test_dtype_names() -> None:
    assert sg.float is sg.float32 == np.float32 and sg.double is sg.float64 == np.float64
    assert sg.long is sg.int64 and sg.int is sg.int32 and sg.half is sg.float16
    assert sg.bool == np.bool_ and sg.short == np.int16 and sg.uint8 == np.uint8
    assert str(sg.tensor([1, 2], dtype=sg.int32).dtype) == "int32"
    assert sg.zeros(2, dtype=float).dtype == np.float64 and sg.zeros(2, dtype=int).dtype == np.int64
    with pytest.raises(TypeError, match="dtype"):
        sg.zeros(2, dtype="complex64")


def test_default_dtype() -> None:
    assert sg.get_default_dtype() == np.float32
    try:
        sg.set_default_dtype(sg.float64)
        assert sg.tensor([0.5]).dtype == np.float64 and sg.randn(2).dtype == np.float64
        assert sg.linspace(0, 1, 3).dtype == np.float64 and sg.tensor([1]).dtype == np.int64
    finally:
        sg.set_default_dtype(sg.float32)
    assert sg.ones(1).dtype == np.float32
    with pytest.raises(TypeError, match="float32 and float64"):
        sg.set_default_dtype(sg.int64)

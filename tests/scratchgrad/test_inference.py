"""scratchgrad.tensor() reads Python data as torch.tensor does: the dtype it infers (bool, int,
float, numpy scalars and arrays promoted as PyTorch's), integers exactly, and a clear error for
what no dtype can hold."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from sg_helpers import TORCH_ERRORS, same

import scratchgrad as sg

# --- tensor(): dtype inference and exact values -------------------------------------------------

INFERRED: list[Any] = [
    [True, 2],
    [True, False],
    range(3),
    [range(2), range(2)],
    [2**53 + 1],
    [2**63 - 1, -(2**63)],
    [1, 2.5],
    [True, 2.5],
    [[1, 2], [3, 4.0]],
    (1, 2),
    [],
    [[]],
    7,
    3.5,
    True,
    np.float64(1.5),
    np.int32(3),
    np.bool_(True),
    np.float16(0.5),
    [np.int32(1), 2],
    [np.int32(1), 2.5],
    [np.float64(1.5), 2],
    [np.float16(1), 2],
    [np.float32(1), np.float64(2)],
    [np.uint8(3), True],
    [np.uint8(1), np.int8(1)],
    [np.int8(1), np.int16(2)],
    [True, np.int16(3)],
    [[np.int64(1)], [2.0]],
    [np.float32(1.5), 2**40],
    [np.int64(2**62), 2.0],
    [np.array([1, 2], np.int8), np.array([3, 4], np.int8)],
    [np.array([1.5, 2], np.float16)] * 2,
    [np.array([1, 2], np.int32), np.array([1.5, 2], np.float16)],
    [np.array([1, 2], np.int32), [1.5, 2]],
    [np.array([1, 2], np.uint8)],
    [np.array([[1.0]], np.float32), np.array([[2.0]], np.float32)],
    [1e39],
    [float("inf"), -1.5],
]


@pytest.mark.parametrize("data", INFERRED, ids=lambda d: repr(d)[:40])
def test_tensor_infers_dtype_and_values_as_torch(data: Any, torch: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning for 1e39 -> inf either
        ours = sg.tensor(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's "a list of numpy.ndarrays is slow"
        theirs = torch.tensor(data)
    same(ours, theirs)


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        ([2.9, -2.9], "int32"),
        ([True, 5], "bool"),
        ([2**63 - 1], "float32"),
        ([1, 2], "float64"),
        ([0.5], "int8"),
    ],
)
def test_tensor_with_a_dtype_as_torch(data: Any, dtype: str, torch: Any) -> None:
    same(sg.tensor(data, dtype=getattr(sg, dtype)), torch.tensor(data, dtype=getattr(torch, dtype)))


def test_tensor_reads_ints_exactly() -> None:
    assert sg.tensor([True, 2]).dtype == np.int64 and sg.tensor([True, 2]).tolist() == [1, 2]
    assert sg.tensor(range(3)).tolist() == [0, 1, 2] and sg.tensor(range(3)).dtype == np.int64
    assert sg.tensor([2**53 + 1]).item() == 2**53 + 1  # not through float64, where it is 2**53
    assert sg.tensor([2**53 + 1, 1]).tolist() == [2**53 + 1, 1]
    assert sg.tensor([1, 2.5]).dtype == np.float32
    assert sg.tensor([np.bool_(True), 5]).tolist() == [1, 5]  # numpy bools among Python ints
    assert sg.tensor([np.uint64(2**64 - 1)]).item() == 2**64 - 1


@pytest.mark.parametrize(
    ("data", "dtype", "message"),
    [
        ([2**63], None, r"tensor: 9223372036854775808 is out of range for int64 \[-9223372036854775808, "),
        ([-(2**63) - 1], None, "tensor: -9223372036854775809 is out of range for int64"),
        ([10**400], None, r"tensor: 100000000000\.\.\.\(401 digits\) is out of range for int64"),
        ([300], "uint8", r"tensor: 300 is out of range for uint8 \[0, 255\]"),
        ([128], "int8", r"tensor: 128 is out of range for int8 \[-128, 127\]"),
        ([1e10], "int32", "tensor: 10000000000.0 is out of range for int32"),
        ([float("nan")], "int32", r"tensor: nan cannot be converted to int32 \(it is not finite\)"),
        ([np.int64(5), 2**63], None, "tensor: 9223372036854775808 is out of range for int64"),
    ],
)
def test_tensor_refuses_values_the_dtype_cannot_hold(data: Any, dtype: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sg.tensor(data, dtype=None if dtype is None else getattr(sg, dtype))


def test_tensor_refuses_out_of_range_where_torch_does(torch: Any) -> None:
    for data, dtype in (([2**63], None), ([300], "uint8"), ([128], "int8"), ([float("nan")], "int32")):
        with pytest.raises(TORCH_ERRORS):
            torch.tensor(data, dtype=None if dtype is None else getattr(torch, dtype))
        with pytest.raises(ValueError, match="tensor: "):
            sg.tensor(data, dtype=None if dtype is None else getattr(sg, dtype))


@pytest.mark.parametrize(
    ("data", "depth"),
    [
        ([[1, 2], [3]], 1),
        ([[1, [2]]], 2),
        ([[[1, 2]], [[3]]], 2),
        ([np.zeros(2, np.int8), np.zeros(3, np.int8)], 1),
        ([[np.zeros(2)], [np.zeros(3)]], 2),
    ],
)
def test_tensor_refuses_ragged_lists(data: Any, depth: int, torch: Any) -> None:
    with pytest.raises(ValueError, match=f"tensor: ragged nested lists: the items at depth {depth} differ"):
        sg.tensor(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((ValueError, TypeError)):
            torch.tensor(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1 + 2j], r"complex numbers are not supported: \(1\+2j\)"),
        ([1, 2j], "complex numbers are not supported: 2j"),
        (2j, "complex numbers are not supported"),
        (["a"], "got str: 'a'"),
        ([None], "got NoneType: None"),
    ],
)
def test_tensor_refuses_what_is_not_a_real_number(data: Any, message: str) -> None:
    with pytest.raises(TypeError, match="tensor: data must be real numbers.*" + message):
        sg.tensor(data)

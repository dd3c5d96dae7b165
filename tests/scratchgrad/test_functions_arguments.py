"""The function forms check their operands as PyTorch does: numbers and Tensors, shapes that
broadcast, tuples of ints, flags; and histc its bins and bounds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sg_helpers import TORCH_ERRORS, same

import scratchgrad as sg

# --- functions: operands, broadcasting, int tuples, flags ---------------------------------------


def x2() -> Any:
    return sg.tensor([1.0, 2.0])


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "maximum", "minimum"])
@pytest.mark.parametrize("other", ["a", None, [1.0, 2.0], np.array(["a"]), {1.0}])
def test_binary_functions_refuse_other_operands(op: str, other: Any, torch: Any) -> None:
    with pytest.raises(TypeError, match=f"scratchgrad.{op}: other must be a Tensor or a number, got"):
        getattr(sg, op)(x2(), other)
    with pytest.raises(TypeError):
        getattr(torch, op)(torch.tensor([1.0, 2.0]), other)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
@pytest.mark.parametrize("other", [2, 0.5, np.float32(3.0)])
def test_binary_functions_take_numbers_as_torch(op: str, other: Any, torch: Any) -> None:
    same(getattr(sg, op)(x2(), other), getattr(torch, op)(torch.tensor([1.0, 2.0]), other))


def test_alpha_and_pow_operands(torch: Any) -> None:
    with pytest.raises(TypeError, match="scratchgrad.add: alpha must be a Tensor or a number, got str"):
        sg.add(x2(), x2(), alpha="x")
    with pytest.raises(TypeError, match="scratchgrad.sub: alpha must be a Tensor or a number, got NoneType"):
        sg.sub(x2(), x2(), alpha=None)
    same(sg.add(x2(), x2(), alpha=2), torch.add(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0]), alpha=2))
    with pytest.raises(TypeError, match="scratchgrad.pow: exponent must be a Tensor or a number, got str"):
        sg.pow(x2(), "x")
    with pytest.raises(TypeError, match="scratchgrad.pow: exponent must be a Tensor or a number, got list"):
        sg.pow(x2(), [1, 2])
    with pytest.raises(TypeError, match="scratchgrad.pow: input must be a Tensor or a number, got str"):
        sg.pow("x", x2())
    same(sg.pow(2, x2()), torch.pow(2, torch.tensor([1.0, 2.0])))
    same(sg.pow(x2(), 3), torch.pow(torch.tensor([1.0, 2.0]), 3))
    with pytest.raises(TypeError, match="scratchgrad.matmul: other must be a Tensor, got list"):
        sg.matmul(x2(), [1.0, 2.0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: sg.maximum(x2(), sg.ones(3)),
            r"scratchgrad.maximum: shapes \(2,\) and \(3,\) do not broadcast",
        ),
        (
            lambda: sg.minimum(sg.ones(2, 3), sg.ones(2)),
            r"scratchgrad.minimum: shapes \(2, 3\) and \(2,\) do not",
        ),
        (lambda: sg.max(x2(), sg.ones(3)), r"scratchgrad.maximum: shapes \(2,\) and \(3,\)"),
        (lambda: sg.min(x2(), sg.ones(3)), r"scratchgrad.minimum: shapes \(2,\) and \(3,\)"),
        (
            lambda: sg.where(x2() > 1, x2(), sg.ones(3)),
            r"scratchgrad.where: shapes \(2,\) and \(2,\) and \(3,\) do not broadcast together",
        ),
        (
            lambda: sg.where(sg.ones(3) > 0, x2(), 0.0),
            r"scratchgrad.where: shapes \(3,\) and \(2,\) and \(\)",
        ),
    ],
)
def test_broadcast_errors_name_the_shapes(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_broadcasting_where_torch_does(torch: Any) -> None:
    t = torch.tensor([1.0, 2.0])
    same(sg.maximum(x2(), sg.ones(2, 1)), torch.maximum(t, torch.ones(2, 1)))
    same(sg.minimum(sg.ones(2, 1), x2()), torch.minimum(torch.ones(2, 1), t))
    same(sg.where(x2() > 1, x2(), 0.0), torch.where(t > 1, t, 0.0))
    same(sg.where(x2() > 1, x2(), sg.zeros(2, 1)), torch.where(t > 1, t, torch.zeros(2, 1)))
    with pytest.raises(RuntimeError, match="must match the size"):
        torch.maximum(t, torch.ones(3))
    with pytest.raises(TypeError, match="scratchgrad.where: other must be a Tensor or a number, got str"):
        sg.where(x2() > 1, x2(), "a")
    with pytest.raises(TypeError, match="scratchgrad.where: input must be a Tensor or a number, got list"):
        sg.where(x2() > 1, [1.0, 2.0], x2())


@pytest.mark.parametrize(("a", "b"), [(1.0, 0.0), (1, 0.0), (1.0, 0), (1, 0), (True, False), (True, 0.5)])
def test_where_of_two_numbers_has_torchs_dtype(a: Any, b: Any, torch: Any) -> None:
    """Two Python numbers: floats give the default dtype (float32), as PyTorch's, not float64."""
    same(sg.where(x2() > 1, a, b), torch.where(torch.tensor([1.0, 2.0]) > 1, a, b))


@pytest.mark.parametrize("op", ["reshape", "permute", "flip"])
@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ((1.0, 0), "must be a tuple of ints, got 1.0 in it"),
        ((True, False), "must be a tuple of ints, got True in it"),
        (1, "must be a tuple of ints, got int"),
        ("ab", "must be a tuple of ints, got str"),
        (np.array([1, 0]), "must be a tuple of ints, got ndarray"),
    ],
)
def test_shape_and_dims_must_be_tuples_of_ints(op: str, arg: Any, message: str, torch: Any) -> None:
    name = "shape" if op == "reshape" else "dims"
    with pytest.raises(TypeError, match=f"scratchgrad.{op}: {name} {message}"):
        getattr(sg, op)(sg.ones(2, 3), arg)
    if not isinstance(arg, np.ndarray):
        with pytest.raises(TypeError):
            getattr(torch, op)(torch.ones(2, 3), arg)


@pytest.mark.parametrize(
    ("op", "arg"), [("reshape", (3, 2)), ("reshape", [-1]), ("reshape", (np.int64(3), 2))]
)
def test_reshape_takes_ints_as_torch(op: str, arg: Any, torch: Any) -> None:
    same(sg.reshape(sg.arange(6), arg), torch.reshape(torch.arange(6), arg))


@pytest.mark.parametrize("dims", [(1, 0), [1, 0], (np.int64(1), 0)])
def test_permute_and_flip_take_ints_as_torch(dims: Any, torch: Any) -> None:
    a, t = sg.arange(6).reshape(2, 3), torch.arange(6).reshape(2, 3)
    same(sg.permute(a, dims), torch.permute(t, dims))
    same(sg.flip(a, dims), torch.flip(t, dims))


@pytest.mark.parametrize("op", ["tril", "triu"])
@pytest.mark.parametrize("diagonal", [0, 2, -1, 3, -3, 2**62, -(2**62), 2**63 - 1, -(2**63), np.int64(1)])
def test_tril_triu_diagonals_as_torch(op: str, diagonal: int, torch: Any) -> None:
    same(getattr(sg, op)(sg.ones(2, 3), diagonal), getattr(torch, op)(torch.ones(2, 3), int(diagonal)))


@pytest.mark.parametrize("op", ["tril", "triu"])
def test_tril_triu_beyond_int64_keep_all_or_nothing(op: str) -> None:
    """PyTorch cannot take these (an overflow); here they mean the same as the largest int64."""
    for diagonal in (10**30, -(10**30)):
        expected = getattr(sg, op)(sg.ones(2, 3), 2**63 - 1 if diagonal > 0 else -(2**63))
        assert getattr(sg, op)(sg.ones(2, 3), diagonal).tolist() == expected.tolist()
    for bad in (1.0, True, "1", None):
        with pytest.raises(TypeError, match=f"scratchgrad.{op}: diagonal must be an int, got"):
            getattr(sg, op)(sg.ones(2, 3), bad)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda lib: lib.sort(lib.tensor([3.0, 1.0]), descending=1),
            "sort: descending must be True or False, got int",
        ),
        (
            lambda lib: lib.sort(lib.tensor([3.0, 1.0]), descending=None),
            "sort: descending must be .* got NoneType",
        ),
        (
            lambda lib: lib.sort(lib.tensor([3.0, 1.0]), stable=1),
            "sort: stable must be True or False, got int",
        ),
        (
            lambda lib: lib.topk(lib.tensor([3.0, 1.0]), 1, largest=0),
            "topk: largest must be True or False, got int",
        ),
        (
            lambda lib: lib.topk(lib.tensor([3.0, 1.0]), 1, sorted=1),
            "topk: sorted must be True or False, got int",
        ),
    ],
)
def test_sort_and_topk_flags(call: Callable[[Any], Any], message: str, torch: Any) -> None:
    with pytest.raises(TypeError, match="scratchgrad." + message):
        call(sg)
    with pytest.raises(TypeError):
        call(torch)


def test_sort_and_topk_take_bools(torch: Any) -> None:
    data = [3.0, 1.0, 2.0]
    ours, theirs = sg.sort(sg.tensor(data), descending=True), torch.sort(torch.tensor(data), descending=True)
    same(ours[0], theirs[0])
    same(ours[1], theirs[1])
    assert sg.sort(sg.tensor(data), descending=np.bool_(True))[0].tolist() == [3.0, 2.0, 1.0]
    same(sg.topk(sg.tensor(data), 2, largest=False)[0], torch.topk(torch.tensor(data), 2, largest=False)[0])


@pytest.mark.parametrize(
    ("bins", "low", "high", "error", "message"),
    [
        (2**60, 0, 1, ValueError, "histc: 1152921504606846976 bins are more than an array can hold"),
        (4, "a", 1, TypeError, "histc: min must be a number, got str"),
        (4, 0, None, TypeError, "histc: max must be a number, got NoneType"),
        (4, True, 2, TypeError, "histc: min must be a number, got bool"),
        (4, 0, sg.ones(2), TypeError, "histc: max must be a number, got Tensor"),
        (4, 10**400, 10**401, ValueError, "histc: min is too large for a float, got an int of 401 digits"),
        (4, 3, 0, ValueError, "histc: max must be larger than min, got min 3.0 and max 0.0"),
    ],
)
def test_histc_checks_bins_and_bounds(
    bins: int, low: Any, high: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        sg.histc(sg.tensor([0.5, 1.5, 2.5]), bins, low, high)


def test_histc_bounds_as_torch(torch: Any) -> None:
    data = [0.5, 1.5, 2.5]
    same(sg.histc(sg.tensor(data), 4, 0, 3), torch.histc(torch.tensor(data), 4, 0, 3))
    ours = sg.histc(sg.tensor(data), 3, sg.tensor(0.0), sg.tensor(3.0))
    same(ours, torch.histc(torch.tensor(data), 3, torch.tensor(0.0), torch.tensor(3.0)))
    same(sg.histc(sg.tensor(data), 3, np.float32(0), 3), torch.histc(torch.tensor(data), 3, 0.0, 3.0))
    for low, high in ((3, 0), ("a", 1), (10**400, 10**401)):
        with pytest.raises(TORCH_ERRORS):
            torch.histc(torch.tensor(data), 4, low, high)

"""nn.Embedding (nn/embedding.py): every index that is out of range or not an integer is a one-line
error naming it and the table size, as torch says it (IndexError), never numpy's or a StopIteration;
the table initialised as PyTorch's (the same numbers for the same seed), padding_idx, lookups and
gradients against PyTorch."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from nn_helpers import TOL, copy_parameters

import autograd
import nn
from autograd import Tensor, Value
from nn.embedding import IndexOutOfRangeError

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.Embedding(0, 3), ValueError, "Embedding: num_embeddings must be positive, got 0"),
        (lambda: nn.Embedding(3, 2.0), TypeError, "Embedding: embedding_dim must be an int, got float"),
        (lambda: nn.Embedding(3, 2, dtype=np.int64), TypeError, "Embedding: dtype must be a float type"),
        (lambda: nn.Embedding(3, 2, device="cuda"), ValueError, "Embedding: only the CPU is here"),
        (lambda: nn.Embedding(3, 2, padding_idx=3), ValueError, "Embedding: padding_idx 3 must be within"),
        (lambda: nn.Embedding(3, 2, padding_idx=1.0), TypeError, "Embedding: padding_idx must be an int"),
        (
            lambda: nn.Embedding(5, 2)([1.0, 2.0]),
            TypeError,
            "Embedding: indices must be integers, got float64",
        ),
        (
            lambda: nn.Embedding(5, 2)(np.array([True])),
            TypeError,
            "Embedding: indices must be integers, got bool",
        ),
        (
            lambda: nn.Embedding(5, 2)([[0, 1], [5, 2]]),
            ValueError,
            r"Embedding: index 5 at \(1, 0\) is out of range for 5",
        ),
        (
            lambda: nn.Embedding(5, 2)([0, -1]),
            ValueError,
            "Embedding: index -1 at 1 is out of range for 5 entries",
        ),
        (
            lambda: nn.Embedding(5, 2)([0, None]),
            TypeError,
            "Embedding: indices must be integers, got NoneType",
        ),
        (lambda: nn.Embedding(5, 2)("1"), TypeError, "Embedding: indices must be integers, got str"),
    ],
)
def test_embedding_refuses_bad_arguments(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        make()


@pytest.mark.parametrize(
    ("indices", "shown"),
    [
        ([10**30], "index 1000000000000000000000000000000 at 0"),  # once a StopIteration
        (10**30, "index 1000000000000000000000000000000"),
        ([-(10**30)], "index -1000000000000000000000000000000 at 0"),
        ([1, 2**64], "index 18446744073709551616 at 1"),
        ([[0, 1], [2, 10**30]], r"index 1000000000000000000000000000000 at \(1, 1\)"),
        ([-1, 2**63], "index -1 at 0"),  # numpy reads this pair as float64: still integers
        ([2**63], "index 9223372036854775808 at 0"),  # uint64
        ([10**5000], "index \\(an int of 16610 bits\\) at 0"),  # too many digits to print
        ([5], "index 5 at 0"),
        (np.array([-1]), "index -1 at 0"),
        (Tensor(np.array([7, 0])), "index 7 at 0"),
    ],
)
def test_out_of_range_indices_are_one_line_index_errors(indices: Any, shown: str) -> None:
    with pytest.raises(IndexError, match=f"^Embedding: {shown} is out of range for 5 entries$") as info:
        nn.Embedding(5, 2)(indices)
    assert isinstance(info.value, ValueError)  # the error this project raised before, still caught


def test_torch_refuses_the_same_indices_with_an_index_error() -> None:
    table = torch.nn.Embedding(5, 2)
    for bad in ([5], [-1]):
        with pytest.raises(IndexError, match="index out of range in self"):
            table(torch.tensor(bad))
        with pytest.raises(IndexOutOfRangeError):
            nn.Embedding(5, 2)(bad)


@pytest.mark.parametrize(
    ("indices", "kind"),
    [
        ([1.5, 10**30], "float"),
        ([None, 10**30], "NoneType"),
        ([True, 10**30], "bool"),
        ([1.0, 2.0], "float64"),
        (np.array([1, 2], dtype=np.float32), "float32"),
        ([{"a": 1}], "dict"),
        ([1, "2"], "<U21"),
        (np.array([object()]), "object"),
    ],
)
def test_indices_that_are_not_integers_are_type_errors(indices: Any, kind: str) -> None:
    with pytest.raises(TypeError, match=f"^Embedding: indices must be integers, got {re.escape(kind)}$"):
        nn.Embedding(5, 2)(indices)


def test_one_hot_shares_the_check() -> None:
    with pytest.raises(
        IndexError, match=r"^one_hot: index 1000000000000000000000000000000 at 0 is out of range of int64$"
    ):
        nn.functional.one_hot([10**30])
    assert nn.functional.one_hot([0, 2], 3).tolist() == [[1, 0, 0], [0, 0, 1]]


def test_valid_indices_still_look_up_rows() -> None:
    table = nn.Embedding(5, 2, rng=0)
    np.testing.assert_array_equal(table([[4, 0]]).data, table.weight.data[[[4, 0]]])
    assert table([]).shape == (0, 2)


@pytest.mark.parametrize(
    "indices", [[3, 1, 3], np.array([[0, 6], [6, 6]]), np.array(2), Tensor(np.array([[[1], [5]]]))]
)
def test_embedding_matches_torch_for_indices_of_any_shape(indices: Any) -> None:
    rng = np.random.default_rng(3)
    ours, theirs = nn.Embedding(7, 3), torch.nn.Embedding(7, 3).double()
    copy_parameters(ours, theirs, rng)
    raw = indices.numpy() if isinstance(indices, Tensor) else np.asarray(indices)
    yo, yt = ours(indices), theirs(torch.from_numpy(raw))
    assert yo.shape == tuple(yt.shape) == (*raw.shape, 3)
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), **TOL)
    weights = rng.normal(size=yo.shape)
    (yo * Tensor(weights)).sum().backward()
    (yt * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), **TOL)  # repeats add up
    assert repr(ours) == repr(theirs)


def test_embedding_weights_are_standard_normal_as_torchs() -> None:
    w = nn.Embedding(400, 50, rng=1).weight.data
    assert abs(w.mean()) < 0.01 and abs(w.std() - 1) < 0.01
    torch.manual_seed(0)  # unseeded, 20,000 draws miss 0.01 about one run in twenty
    assert abs(torch.nn.Embedding(400, 50).weight.detach().numpy().std() - 1) < 0.01


@pytest.mark.parametrize(("dtype", "theirs_dtype"), [(np.float32, None), (None, "float64")])
@pytest.mark.parametrize("shape", [(10, 3), (27, 10), (65, 16)])
def test_embedding_weights_are_torchs_for_the_same_seed(dtype: Any, theirs_dtype: Any, shape: tuple) -> None:
    torch.manual_seed(1337)
    theirs = torch.nn.Embedding(*shape, dtype=getattr(torch, theirs_dtype) if theirs_dtype else None)
    autograd.manual_seed(1337)
    ours = nn.Embedding(*shape, dtype=dtype)
    assert ours.weight.dtype == theirs.weight.detach().numpy().dtype
    np.testing.assert_array_equal(ours.weight.data, theirs.weight.detach().numpy())
    np.testing.assert_array_equal(
        nn.Embedding(*shape, rng=4).weight.data, nn.Embedding(*shape, rng=4).weight.data
    )


def test_padding_idx_starts_at_zero_and_gets_no_gradient_as_torch() -> None:
    torch.manual_seed(0)
    theirs = torch.nn.Embedding(6, 3, padding_idx=-2, dtype=torch.float64)
    autograd.manual_seed(0)
    ours = nn.Embedding(6, 3, padding_idx=-2)
    assert ours.padding_idx == theirs.padding_idx == 4
    np.testing.assert_array_equal(ours.weight.data, theirs.weight.detach().numpy())
    assert ours.weight[4].tolist() == [0.0, 0.0, 0.0]
    with autograd.no_grad():
        ours.weight[4] = 1.5  # a changed padding row is looked up as it is, but learns nothing
    with torch.no_grad():
        theirs.weight[4] = 1.5
    index = [[4, 1], [4, 4]]
    yo, yt = ours(index), theirs(torch.tensor(index))
    np.testing.assert_array_equal(yo.data, yt.detach().numpy())
    (yo * 2).sum().backward()
    (yt * 2).sum().backward()
    np.testing.assert_array_equal(ours.weight.grad, theirs.weight.grad.numpy())
    assert ours.weight.grad[4].tolist() == [0.0, 0.0, 0.0]
    assert repr(ours) == repr(theirs) == "Embedding(6, 3, padding_idx=4)"


def test_embedding_float32_and_values() -> None:
    assert nn.Embedding(4, 2, dtype=np.float32)([1]).dtype == np.float32
    with pytest.raises(TypeError, match="Embedding: indices must be integers, got Value"):
        nn.Embedding(4, 2)([Value(1.0)])

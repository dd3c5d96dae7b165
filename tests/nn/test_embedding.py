"""nn.Embedding (nn/embedding.py): every index that is out of range or not an integer is a one-line
error naming it and the table size, as torch says it (IndexError), never numpy's or a StopIteration."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import nn
from autograd import Tensor
from nn.embedding import IndexOutOfRangeError

torch = pytest.importorskip("torch")


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

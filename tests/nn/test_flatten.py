"""nn.Flatten (nn/flatten.py): the dimensions merged as torch.nn.Flatten merges them, values,
gradients and printed text against PyTorch, and clear errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_helpers import check_step

import nn
from autograd import zeros


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.Flatten(1.0), TypeError, "Flatten: dim must be an int, got float"),
        (
            lambda: nn.Flatten(2, 1)(np.ones((2, 3, 4))),
            ValueError,
            "Flatten: start_dim 2 comes after end_dim 1",
        ),
        (lambda: nn.Flatten(3)(np.ones((2, 3))), ValueError, "Flatten: start_dim 3 is out of range"),
    ],
)
def test_flatten_refuses_bad_arguments(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        make()


def test_flatten_shapes() -> None:
    assert nn.Flatten()(zeros(1, 28, 28)).shape == (1, 784)  # PyTorch's quickstart: one sample
    assert nn.Flatten(0, -1)(zeros(2, 3, 4)).shape == (24,)
    assert nn.Flatten(0)(zeros(())).shape == (1,)  # a 0-d input flattens to one element, as PyTorch's


@pytest.mark.parametrize(("start", "end"), [(1, -1), (0, -2), (-2, -1), (0, 0)])
def test_flatten_matches_torch(start: int, end: int) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    ours, theirs = nn.Flatten(start, end), torch.nn.Flatten(start, end)
    check_step(ours, theirs, rng.normal(size=(2, 3, 4)), rng)
    assert repr(ours) == repr(theirs) == f"Flatten(start_dim={start}, end_dim={end})"

"""nn.Parameter as PyTorch's: a leaf sharing its data's memory, counted by its module even when
frozen."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import nn
from autograd import Tensor


def test_a_parameter_shares_memory_and_trains() -> None:
    data = Tensor(np.ones(3))
    p = nn.Parameter(data)
    assert np.shares_memory(p._data, data._data) and p.requires_grad and p.is_leaf
    (p * p).sum().backward()
    assert p.grad.tolist() == [2.0, 2.0, 2.0]
    assert repr(p).startswith("Parameter containing:\nTensor(")


def test_a_module_keeps_frozen_parameters_as_pytorch_does() -> None:
    torch = pytest.importorskip("torch")

    def build(lib: Any, P: Any) -> Any:
        class Gain(lib.Module):
            def __init__(self) -> None:
                super().__init__()
                self.w = P(np.ones(2))
                self.frozen = P(np.zeros(2), requires_grad=False)

            def forward(self, x: Any) -> Any:
                return x * self.w

        return Gain()

    ours = build(nn, nn.Parameter)
    theirs = build(torch.nn, lambda a, **kw: torch.nn.Parameter(torch.from_numpy(a), **kw))
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())

"""A module's requires_grad_ (frozen weights stay parameters, saved and loaded), and the argument
types of named_parameters and load_state_dict."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_helpers import needs_torch, torch

import nn
from autograd import Tensor

# --- Module.requires_grad_ --------------------------------------------------------------------


def test_requires_grad_false_freezes_tensor_parameters() -> None:
    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU(), nn.Linear(3, 1, rng=1))
    names = [n for n, _ in net.named_parameters()]
    assert net[0].requires_grad_(False) is net[0]
    assert [n for n, _ in net.named_parameters()] == names  # frozen ones stay parameters
    assert list(net.state_dict()) == names
    assert [p.requires_grad for p in net.parameters()] == [False, False, True, True]
    x = Tensor(np.ones((4, 2)))
    frozen = net[0].weight.tolist()
    opt = nn.optim.SGD(net.parameters(), lr=0.1)  # frozen ones may be listed: never stepped
    net(x).sum().backward()
    assert net[0].weight.grad is None and net[2].weight.grad is not None
    opt.step()
    assert net[0].weight.tolist() == frozen
    assert not net[0](x).requires_grad
    net.float()  # frozen parameters are cast too, as PyTorch's
    assert net[0].weight.dtype == np.float32 and net[2].weight.dtype == np.float32
    net.load_state_dict({k: np.zeros_like(v) for k, v in net.state_dict().items()})
    assert net[0].weight.tolist() == [[0.0, 0.0]] * 3  # loaded into the frozen one too
    net.requires_grad_()  # unfreezes what it froze
    assert [p.requires_grad for p in net.parameters()] == [True] * 4


def test_requires_grad_false_adds_no_parameters() -> None:
    """Only the Tensors it froze stay parameters: not a None bias, not a buffer, nor a Tensor
    put in a frozen one's place later."""
    net = nn.Sequential(nn.Linear(2, 2, bias=False), nn.BatchNorm1d(2))
    net.requires_grad_(False)
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "1.weight", "1.bias"]
    assert list(net.state_dict()) == [
        "0.weight",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
    ]
    net[0].weight = Tensor(np.ones((2, 2)))  # a plain Tensor that does not require grad
    assert [n for n, _ in net.named_parameters()] == ["1.weight", "1.bias"]


@needs_torch
def test_requires_grad_matches_pytorch() -> None:
    ours = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1), nn.LayerNorm(1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(3, 1), torch.nn.LayerNorm(1))
    for module in (ours, theirs):
        module[1].requires_grad_(False)
        module.requires_grad_(False)
        module[0].requires_grad_(True)
    assert [(n, p.requires_grad) for n, p in ours.named_parameters()] == [
        (n, p.requires_grad) for n, p in theirs.named_parameters()
    ]
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_requires_grad_checks_its_flag_and_refuses_values() -> None:
    lin = nn.Linear(2, 2)
    for bad in (0, 1, "no", None):
        with pytest.raises(TypeError, match="Linear.requires_grad_: requires_grad must be True or False"):
            lin.requires_grad_(bad)  # type: ignore[arg-type]
    assert lin.requires_grad_(np.bool_(False)) is lin and not lin.weight.requires_grad
    mlp = nn.MLP(2, [3, 1])
    with pytest.raises(ValueError, match="MLP.requires_grad_: Value parameters always require grad"):
        mlp.requires_grad_(False)
    assert mlp.requires_grad_(True) is mlp
    mixed = nn.Sequential(nn.Linear(2, 2), nn.Neuron(2))
    with pytest.raises(ValueError, match="Sequential.requires_grad_: Value parameters"):
        mixed.requires_grad_(False)
    assert mixed[0].weight.requires_grad  # refused before anything was frozen


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prefix": 1}, "named_parameters: prefix must be a str, got int"),
        ({"prefix": b"m"}, "named_parameters: prefix must be a str, got bytes"),
        ({"recurse": 1}, "named_parameters: recurse must be True or False, got int"),
        ({"recurse": None}, "named_parameters: recurse must be True or False, got NoneType"),
    ],
)
def test_named_parameters_checks_its_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        list(nn.Linear(2, 2).named_parameters(**kwargs))


def test_named_parameters_flags_work() -> None:
    net = nn.Sequential(nn.Linear(2, 2))
    assert [n for n, _ in net.named_parameters(prefix="m")] == ["m.0.weight", "m.0.bias"]
    assert [n for n, _ in net.named_parameters(recurse=np.bool_(False))] == []
    assert [n for n, _ in net[0].named_parameters("x", False)] == ["x.weight", "x.bias"]


@pytest.mark.parametrize("strict", [1, 0, "yes", None])
def test_load_state_dict_strict_must_be_a_flag(strict: Any) -> None:
    lin = nn.Linear(2, 2)
    before = lin.weight.tolist()
    with pytest.raises(
        TypeError, match=f"load_state_dict: strict must be True or False, got {type(strict).__name__}"
    ):
        lin.load_state_dict({"weight": np.zeros((2, 2)), "bias": np.zeros(2)}, strict=strict)
    assert lin.weight.tolist() == before  # nothing loaded


def test_load_state_dict_takes_numpy_bools() -> None:
    lin = nn.Linear(2, 2)
    result = lin.load_state_dict({"weight": np.zeros((2, 2)), "extra": np.zeros(1)}, strict=np.bool_(False))
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    assert lin.weight.tolist() == [[0.0, 0.0], [0.0, 0.0]]

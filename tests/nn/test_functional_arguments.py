"""cross_entropy's ignore_index with probability targets, save of an optimizer's state dict, and
the argument types and sizes GELU, leaky_relu, linear, one_hot and the layers refuse by name."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from nn_helpers import needs_torch, torch

import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value

# --- cross_entropy: probability targets and ignore_index ----------------------------------------


@needs_torch
@pytest.mark.parametrize("ignore_index", [0, 2, 7])
def test_probability_targets_refuse_a_class_ignore_index(ignore_index: int) -> None:
    rng = np.random.default_rng(0)
    x, p = rng.normal(size=(3, 4)), rng.dirichlet(np.ones(4), size=3)
    with pytest.raises(RuntimeError, match="ignore_index is not supported for floating point target"):
        torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(p), ignore_index=ignore_index)
    message = f"cross_entropy: ignore_index is not supported .* got ignore_index={ignore_index}"
    with pytest.raises(ValueError, match=message):
        F.cross_entropy(Tensor(x), Tensor(p), ignore_index=ignore_index)
    with pytest.raises(ValueError, match="ignore_index is not supported"):
        nn.CrossEntropyLoss(ignore_index=ignore_index)(Tensor(x), Tensor(p))
    # class-index targets take it as before
    ours = F.cross_entropy(Tensor(x), Tensor(np.array([0, 1, 2])), ignore_index=ignore_index)
    theirs = torch.nn.functional.cross_entropy(
        torch.tensor(x), torch.tensor([0, 1, 2]), ignore_index=ignore_index
    )
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)


@needs_torch
@pytest.mark.parametrize("ignore_index", [-100, -1, -5])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_probability_targets_take_a_negative_ignore_index(ignore_index: int, label_smoothing: float) -> None:
    rng = np.random.default_rng(1)
    x, p = rng.normal(size=(3, 4)), rng.dirichlet(np.ones(4), size=3)
    ours = F.cross_entropy(Tensor(x), Tensor(p), ignore_index=ignore_index, label_smoothing=label_smoothing)
    theirs = torch.nn.functional.cross_entropy(
        torch.tensor(x), torch.tensor(p), ignore_index=ignore_index, label_smoothing=label_smoothing
    )
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)
    module = nn.CrossEntropyLoss(ignore_index=ignore_index, label_smoothing=label_smoothing)
    assert module(Tensor(x), Tensor(p)).item() == pytest.approx(theirs.item(), rel=1e-12)


# --- save -------------------------------------------------------------------------------------


def test_save_refuses_an_optimizer_state_dict(tmp_path: Path) -> None:
    lin = nn.Linear(2, 2)
    opt = nn.optim.Adam(lin.parameters())
    lin(Tensor(np.ones((1, 2)))).sum().backward()
    opt.step()
    path = tmp_path / "opt.npz"
    with pytest.raises(TypeError, match=r"save: this is an optimizer's state_dict\(\).*pickle"):
        nn.save(opt.state_dict(), path)
    fresh = nn.optim.SGD(lin.parameters(), lr=0.1).state_dict()  # empty state: still refused
    with pytest.raises(TypeError, match="optimizer's state_dict"):
        nn.save(fresh, path)
    assert os.listdir(tmp_path) == []
    nn.save(lin.state_dict(), path)  # the model's own is fine
    assert sorted(nn.load(path)) == ["bias", "weight"]


def test_save_refuses_a_nested_dict(tmp_path: Path) -> None:
    path = tmp_path / "x.npz"
    with pytest.raises(TypeError, match="save: 'block' is a dict: save writes one flat state dict"):
        nn.save({"w": np.zeros(2), "block": {"b": np.zeros(2)}}, path)
    with pytest.raises(TypeError, match="save: 'w' must hold numbers, got a list holding str"):
        nn.save({"w": [1.0, "a"]}, path)
    with pytest.raises(TypeError, match=r"save: 'w' cannot be read as an array of numbers \(a ragged"):
        nn.save({"w": [[1.0], [2.0, 3.0]]}, path)
    assert os.listdir(tmp_path) == []


# --- argument types ---------------------------------------------------------------------------


@pytest.mark.parametrize("approximate", [None, 1, b"tanh", "exact", "Tanh", np.array(["tanh"])])
def test_gelu_approximate_must_be_none_or_tanh(approximate: Any) -> None:
    with pytest.raises(ValueError, match="GELU: approximate must be 'none' or 'tanh', got"):
        nn.GELU(approximate)


def test_gelu_takes_its_two_forms() -> None:
    x = Tensor([-1.0, 0.5, 2.0])
    for form in ("none", "tanh", np.str_("tanh")):
        assert nn.GELU(form)(x).tolist() == F.gelu(x, approximate=str(form)).tolist()


@pytest.mark.parametrize("slope", [True, np.bool_(False), "0.1", None, Tensor(0.1), [0.1]])
def test_leaky_relu_negative_slope_must_be_a_number(slope: Any) -> None:
    with pytest.raises(
        TypeError, match=f"leaky_relu: negative_slope must be a number, got {type(slope).__name__}"
    ):
        F.leaky_relu(Tensor([-1.0, 2.0]), slope)


@pytest.mark.parametrize("slope", [0.1, 1, np.float32(0.25), np.int64(2), -0.5])
def test_leaky_relu_takes_any_real_slope(slope: Any) -> None:
    out = F.leaky_relu(Tensor([-2.0, 3.0]), slope)
    assert out.tolist() == [-2.0 * float(slope), 3.0]


@needs_torch
def test_leaky_relu_slopes_as_pytorch() -> None:
    for slope in (0.1, 1, np.float32(0.25)):
        ours = F.leaky_relu(Tensor([-2.0, 3.0]), slope)
        theirs = torch.nn.functional.leaky_relu(torch.tensor([-2.0, 3.0], dtype=torch.float64), float(slope))
        assert ours.tolist() == theirs.tolist()
    with pytest.raises(TypeError, match="negative_slope"):
        torch.nn.functional.leaky_relu(torch.tensor([-2.0]), "0.1")


@pytest.mark.parametrize("bias", [np.ones(2), [1.0, 1.0], 1.0, Value(1.0)])
def test_linear_bias_must_be_a_tensor(bias: Any) -> None:
    weight = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError, match=f"linear: bias must be None or a Tensor, got {type(bias).__name__}"):
        F.linear(Tensor(np.ones((1, 3))), weight, bias)
    assert F.linear(Tensor(np.ones((1, 3))), weight, Tensor(np.ones(2))).tolist() == [[4.0, 4.0]]
    assert F.linear(Tensor(np.ones((1, 3))), weight).tolist() == [[3.0, 3.0]]


@pytest.mark.parametrize(("n", "classes"), [(2, 2**62), (2**10, 2**54), (1, 2**63)])
def test_one_hot_too_large(n: int, classes: int) -> None:
    start = time.perf_counter()
    with pytest.raises(
        ValueError, match=f"one_hot: {n} x {classes} one-hot rows are more than an array can hold"
    ):
        F.one_hot(Tensor(np.arange(n) % 2), classes)
    assert time.perf_counter() - start < 1.0
    assert F.one_hot(Tensor(np.array([0, 2])), 3).tolist() == [[1, 0, 0], [0, 0, 1]]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: nn.Linear(2**31, 2**31),
            r"Linear: 2147483648 x 2147483648 = 4611686018427387904 parameters",
        ),
        (lambda: nn.Linear(2**62, 1), r"Linear: 1 x 4611686018427387904 = "),
        (lambda: nn.Embedding(2**40, 2**30), r"Embedding: 1099511627776 x 1073741824 = "),
        (lambda: nn.MLP(2**16, [2**16, 1]), r"MLP: 4295098369 parameters"),
        (lambda: nn.Layer(2**16, 2**16), r"Layer: 65537 x 65536 = "),
        (lambda: nn.Neuron(2**31), r"Neuron: 2147483649 parameters"),
        (lambda: nn.LayerNorm([2**30, 2**30]), r"LayerNorm: 1073741824 x 1073741824 = "),
        (lambda: nn.BatchNorm1d(2**61), r"BatchNorm1d: 2305843009213693952 parameters"),
    ],
)
def test_huge_sizes_are_refused_before_building(make: Callable[[], Any], message: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=message + ".*more than memory can hold"):
        make()
    assert time.perf_counter() - start < 1.0  # no allocation, no loop over the parameters


def test_the_value_limit_counts_the_biases() -> None:
    """2**31 Values at most: nin=2**31 - 1 inputs and a bias are already too many."""
    with pytest.raises(ValueError, match="Neuron: 2147483648 parameters"):
        nn.Neuron(2**31 - 1)
    with pytest.raises(ValueError, match="Layer: 2 x 1073741824 = "):
        nn.Layer(1, 2**30)

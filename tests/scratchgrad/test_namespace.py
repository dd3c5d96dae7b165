"""The scratchgrad namespace itself: its names (each one PyTorch's) and the three import lines the
lectures use."""

from __future__ import annotations

import importlib

import pytest

import scratchgrad as sg


def test_dir_lists_the_api_and_every_name_exists() -> None:
    assert dir(sg) == sorted(sg.__all__)
    for name in sg.__all__:
        assert hasattr(sg, name), name
    assert "factories" not in dir(sg) and "dtypes" not in dir(sg)


def test_a_name_scratchgrad_lacks_says_so() -> None:
    with pytest.raises(AttributeError, match="torch.einsum is not part of scratchgrad"):
        sg.einsum  # noqa: B018
    assert not hasattr(sg, "__wrapped__")


def test_every_name_is_pytorchs() -> None:
    torch = pytest.importorskip("torch")
    assert [name for name in sg.__all__ if not hasattr(torch, name)] == []
    F = importlib.import_module("scratchgrad.nn.functional")
    functional = importlib.import_module("torch.nn.functional")
    assert [n for n in F.__all__ if not hasattr(functional, n) and n != "hinge_loss"] == []


def test_the_lectures_import_lines() -> None:
    F = importlib.import_module("scratchgrad.nn.functional")
    from scratchgrad import nn

    assert F is sg.nn.functional and nn is sg.nn
    for name in ("cross_entropy", "softmax", "one_hot", "tanh", "sigmoid", "relu", "log_softmax", "mse_loss"):
        assert callable(getattr(F, name)), name
    assert callable(sg.nn.init.kaiming_normal_) and callable(sg.optim.SGD)
    assert sg.utils.data.DataLoader and sg.utils.data.TensorDataset
    assert issubclass(nn.CrossEntropyLoss, nn.Module)

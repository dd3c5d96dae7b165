"""scratchgrad.save / scratchgrad.load: state dicts to any path and back, nothing pickled."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import scratchgrad as sg


def test_round_trip_keeps_names_order_dtypes_and_values(tmp_path: Path) -> None:
    state = {"b.weight": sg.randn(3, 2), "a.bias": sg.zeros(3), "steps": sg.tensor(5), "raw": np.ones(2)}
    path = tmp_path / "model.pth"
    sg.save(state, path)
    assert os.listdir(tmp_path) == ["model.pth"]  # no suffix added, no temporary left behind
    back = sg.load(str(path), weights_only=True)
    assert list(back) == list(state)
    for key, value in state.items():
        assert isinstance(back[key], sg.Tensor)
        np.testing.assert_array_equal(back[key].numpy(), np.asarray(value))
        assert back[key].dtype == np.asarray(value).dtype
    assert sg.load(path, map_location="cpu")["steps"].item() == 5
    assert sg.load(path, map_location=sg.device("cpu"))["a.bias"].shape == (3,)


def test_tensors_that_require_grad_are_saved_as_numbers(tmp_path: Path) -> None:
    w = sg.ones(2, requires_grad=True)
    sg.save({"w": w}, tmp_path / "w.pt")
    back = sg.load(tmp_path / "w.pt")["w"]
    assert back.tolist() == [1.0, 1.0] and not back.requires_grad


def test_refusals_say_what_is_supported(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="state dict"):
        sg.save([sg.ones(2)], tmp_path / "x.pt")
    with pytest.raises(TypeError, match="file objects"), open(tmp_path / "f.pt", "wb") as f:
        sg.save({"w": sg.ones(2)}, f)
    with pytest.raises(ValueError, match="CPU"):
        sg.load(tmp_path / "x.pt", map_location="cuda:0")
    with pytest.raises(FileNotFoundError):
        sg.load(tmp_path / "missing.pt")
    (tmp_path / "torch.pt").write_bytes(b"\x80\x02pickled")
    with pytest.raises(ValueError, match="PyTorch's own pickled files"):
        sg.load(tmp_path / "torch.pt")

"""nn.save / nn.load: atomic writes, clear errors for bad files, nothing changed on failure."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd import Tensor, Value


def test_round_trip_keeps_names_shapes_dtypes(tmp_path: Path) -> None:
    state = {
        "0.weight": np.arange(6, dtype=np.float32).reshape(2, 3),
        "0.bias": np.array([0.5, -0.5]),
        "scalar": np.array(3.0),
        "file": np.ones(1),  # names np.savez would choke on
        "allow_pickle": np.zeros(2, dtype=np.int64),
        "transposed": np.arange(6.0).reshape(2, 3).T,  # not contiguous
    }
    path = tmp_path / "model.npz"
    nn.save(state, path)
    loaded = nn.load(path)
    assert list(loaded) == list(state)
    for key, value in state.items():
        assert loaded[key].dtype == value.dtype and loaded[key].shape == value.shape
        np.testing.assert_array_equal(loaded[key], value)
    assert os.listdir(tmp_path) == ["model.npz"]  # no temporary file left behind


def test_tensors_and_values_are_saved_as_their_data(tmp_path: Path) -> None:
    nn.save({"t": Tensor([[1.0, 2.0]]), "v": Value(3.0)}, tmp_path / "m.npz")
    loaded = nn.load(tmp_path / "m.npz")
    assert loaded["t"].tolist() == [[1.0, 2.0]] and loaded["v"].shape == () and loaded["v"] == 3.0


def test_model_round_trip_through_a_file(tmp_path: Path) -> None:
    a, b = nn.MLP(2, [4, 1], rng=0), nn.MLP(2, [4, 1], rng=1)
    nn.save(a.state_dict(), str(tmp_path / "mlp.npz"))
    b.load_state_dict(nn.load(str(tmp_path / "mlp.npz")))
    assert [p.data for p in b.parameters()] == [p.data for p in a.parameters()]
    assert b([0.3, -0.7]).data == a([0.3, -0.7]).data


def test_save_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    nn.save({"w": np.zeros(2)}, path)
    nn.save({"w": np.ones(3)}, path)
    assert nn.load(path)["w"].tolist() == [1.0, 1.0, 1.0]
    assert os.listdir(tmp_path) == ["m.npz"]


def test_failed_save_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "m.npz"
    nn.save({"w": np.zeros(2)}, path)

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        nn.save({"w": np.ones(2)}, path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["m.npz"]
    assert nn.load(path)["w"].tolist() == [0.0, 0.0]


def test_save_rejects_bad_state_dicts_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    with pytest.raises(TypeError, match="save: expected a dict of arrays, got list"):
        nn.save([np.zeros(2)], path)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="save: keys must be non-empty strings, got 3"):
        nn.save({3: np.zeros(2)}, path)  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="save: 'w' must hold numbers, got an array of object"):
        nn.save({"w": [object()]}, path)
    assert os.listdir(tmp_path) == []


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="load: no such file: .*nothing.npz"):
        nn.load(tmp_path / "nothing.npz")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_file_fails_clearly_and_changes_nothing(tmp_path: Path, cut: float) -> None:
    model = nn.MLP(2, [4, 1], rng=0)
    before = [p.data for p in model.parameters()]
    path = tmp_path / "m.npz"
    nn.save(nn.MLP(2, [4, 1], rng=1).state_dict(), path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ValueError, match="load: .*m.npz' is truncated or not a valid .npz state dict") as err:
        model.load_state_dict(nn.load(path))
    assert err.value.__cause__ is None and err.value.__suppress_context__  # no numpy/zipfile chain
    assert [p.data for p in model.parameters()] == before


def test_corrupted_member_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    nn.save({"w": np.arange(100.0)}, path)
    data = bytearray(path.read_bytes())
    data[200] ^= 0xFF  # inside the array bytes: the CRC check catches it
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="truncated or not a valid .npz"):
        nn.load(path)


def test_foreign_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.npz"
    text.write_text("hello, not an archive")
    with pytest.raises(ValueError, match="notes.npz' is not an .npz state dict"):
        nn.load(text)
    npy = tmp_path / "array.npz"
    with open(npy, "wb") as f:
        np.save(f, np.zeros(3))
    with pytest.raises(ValueError, match="is not an .npz state dict"):
        nn.load(npy)
    other_zip = tmp_path / "other.npz"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("readme.npy", "not an array")
    with pytest.raises(ValueError, match="not a valid .npz state dict: 'readme' is not a numeric array"):
        nn.load(other_zip)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, w=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match=r"not a valid .npz state dict: 'w' is not a numeric array \(object"):
        nn.load(pickled)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_saved_file_has_the_permissions_of_an_ordinary_new_file(tmp_path: Path, umask: int) -> None:
    # mkstemp makes 0600 files; a model file should be like np.savez's: 0666 less the umask
    old = os.umask(umask)
    try:
        nn.save({"w": np.zeros(2)}, tmp_path / "m.npz")
        np.savez(tmp_path / "reference.npz", w=np.zeros(2))
    finally:
        os.umask(old)
    mode = (tmp_path / "m.npz").stat().st_mode & 0o777
    assert mode == 0o666 & ~umask == (tmp_path / "reference.npz").stat().st_mode & 0o777
    assert sorted(os.listdir(tmp_path)) == ["m.npz", "reference.npz"]

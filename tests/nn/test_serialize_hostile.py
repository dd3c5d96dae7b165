"""nn.load and nn.save (nn/serialize.py) against careless and hostile use: missing, truncated,
corrupted and foreign files, crafted archives (sizes that lie, headers claiming huge shapes), paths
that are not paths, unusual keys; each a clear error naming the file, and nothing changed before it."""

from __future__ import annotations

import io
import os
import stat
import struct
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.lib import format as npy_format

import nn

# --- 2. save and load -----------------------------------------------------------------------------


def _npz_with_header(
    path: Path, shape: tuple[int, ...], descr: str = "<f8", data: bytes = b"\0" * 64
) -> None:
    """A small .npz whose one member "w" claims ``shape`` in its .npy header."""
    member = io.BytesIO()
    npy_format.write_array_header_1_0(member, {"descr": descr, "fortran_order": False, "shape": shape})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("w.npy", member.getvalue() + data)


def test_load_refuses_a_huge_claimed_shape_before_allocating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.npz"
    _npz_with_header(path, (10**11,))
    tracemalloc.start()
    try:
        with pytest.raises(
            ValueError, match=r"load: '.*bomb.npz': member 'w' claims shape \(100000000000,\) of float64"
        ):
            nn.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000
    _npz_with_header(path, (3, 1000), "<f4", b"\0" * 100)  # a plain truncated member too
    with pytest.raises(
        ValueError, match=r"member 'w' claims shape \(3, 1000\) of float32 \(12000 bytes\) but holds 100"
    ):
        nn.load(path)


def test_load_refuses_a_zip_directory_that_lies_about_sizes(tmp_path: Path) -> None:
    # The header and the directory agree on 3.2 GB, but the file holds 200 bytes: without the
    # check, numpy allocates the 3.2 GB before it finds the data missing.
    path = tmp_path / "liar.npz"
    _npz_with_header(path, (4 * 10**8,))
    data = bytearray(path.read_bytes())
    claimed = 4 * 10**8 * 8 + 128
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central entries
        at = data.index(signature) + offset
        data[at : at + 4] = struct.pack("<I", claimed)
    path.write_bytes(bytes(data))
    with pytest.raises(
        ValueError, match=r"load: '.*liar.npz': member 'w.npy' claims 3200000128 bytes from 192"
    ):
        nn.load(path)


def test_load_other_hostile_archives(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    with zipfile.ZipFile(path, "w") as z, pytest.warns(UserWarning, match="Duplicate name"):
        for _ in range(2):
            with z.open("w.npy", "w") as member:
                np.save(member, np.zeros(2))
    with pytest.raises(ValueError, match="load: '.*m.npz': key 'w' appears twice in the archive"):
        nn.load(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as z, z.open("w.npy", "w") as member:
        np.save(member, np.zeros(2))
    with pytest.raises(ValueError, match="member 'w.npy' uses a compression .npz files do not use"):
        nn.load(path)
    _npz_with_header(path, (2,), "<c16", b"\0" * 32)
    with pytest.raises(ValueError, match=r"'w' is not a numeric array \(complex128\)"):
        nn.load(path)
    _npz_with_header(path, (-5,))
    with pytest.raises(ValueError, match="load: '.*m.npz' is truncated or not a valid .npz state dict"):
        nn.load(path)
    np.savez_compressed(path, w=np.arange(3.0))  # numpy's own compressed files still load
    assert nn.load(path)["w"].tolist() == [0.0, 1.0, 2.0]
    (tmp_path / "folder.npz").mkdir()
    with pytest.raises(IsADirectoryError, match="load: '.*folder.npz' is a directory"):
        nn.load(tmp_path / "folder.npz")


@pytest.mark.parametrize("path", [None, 3, b"m.npz", ["m.npz"]])
def test_paths_must_be_paths(tmp_path: Path, path: Any) -> None:
    with pytest.raises(TypeError, match="^load: path must be a str or an os.PathLike"):
        nn.load(path)
    with pytest.raises(TypeError, match="^save: path must be a str or an os.PathLike"):
        nn.save({"w": np.zeros(2)}, path)
    with pytest.raises(ValueError, match="^save: path is empty"):
        nn.save({"w": np.zeros(2)}, "")
    with pytest.raises(ValueError, match=r"^load: path '.*m\\x00.npz' contains a NUL character"):
        nn.load(f"{tmp_path}/m\0.npz")
    assert os.listdir(tmp_path) == []


def test_save_errors_name_the_users_path_not_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(FileNotFoundError, match=r"save: cannot write '.*missing/m.npz'") as err:
        nn.save({"w": np.zeros(2)}, tmp_path / "missing" / "m.npz")
    assert ".tmp" not in str(err.value)
    (tmp_path / "dir.npz").mkdir()
    with pytest.raises(IsADirectoryError, match=r"save: cannot write '.*dir.npz'") as err:
        nn.save({"w": np.zeros(2)}, tmp_path / "dir.npz")
    assert ".tmp" not in str(err.value) and os.listdir(tmp_path / "dir.npz") == []

    path = tmp_path / "m.npz"
    nn.save({"w": np.zeros(2)}, path)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / ".m.npz.0000.tmp"))

    monkeypatch.setattr(npy_format, "write_array", broken)
    with pytest.raises(OSError, match=r"save: cannot write '.*m.npz': No space left on device") as err:
        nn.save({"w": np.ones(2)}, path)
    assert ".tmp" not in str(err.value) and err.value.errno == 28
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["dir.npz", "m.npz"] and nn.load(path)["w"].tolist() == [0.0, 0.0]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_saving_over_a_file_keeps_its_permission_bits(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "m.npz"
    nn.save({"w": np.zeros(2)}, path)
    os.chmod(path, mode)
    nn.save({"w": np.ones(2)}, path)
    assert stat.S_IMODE(path.stat().st_mode) == mode and nn.load(path)["w"].tolist() == [1.0, 1.0]


def test_save_refuses_a_read_only_file_and_a_folder_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.replace would go through a read-only file (np.savez, opening it, would not); os.access
    # is stubbed because root may write anything
    path = tmp_path / "m.npz"
    nn.save({"w": np.zeros(2)}, path)
    before = path.read_bytes()
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    with pytest.raises(PermissionError, match="save: cannot write '.*m.npz': the file is read-only to you"):
        nn.save({"w": np.ones(2)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.npz"]
    with pytest.raises(IsADirectoryError, match="save: cannot write '.*new.npz/': it names a directory"):
        nn.save({"w": np.ones(2)}, f"{tmp_path / 'new.npz'}/")  # realpath would drop the slash
    assert os.listdir(tmp_path) == ["m.npz"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_load_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.npz")  # reading it would block forever
    with pytest.raises(ValueError, match="load: '.*pipe.npz' is not a regular file"):
        nn.load(tmp_path / "pipe.npz")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "model.npz"
    nn.save({"w": np.zeros(2)}, target)
    os.chmod(target, 0o600)
    link = tmp_path / "latest.npz"
    link.symlink_to(target)
    nn.save({"w": np.ones(2)}, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert nn.load(target)["w"].tolist() == [1.0, 1.0] and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["latest.npz", "real"] and os.listdir(tmp_path / "real") == [
        "model.npz"
    ]
    dangling = tmp_path / "next.npz"
    dangling.symlink_to(tmp_path / "real" / "new.npz")  # a link to a file yet to be written
    nn.save({"w": np.ones(1)}, dangling)
    assert dangling.is_symlink() and nn.load(tmp_path / "real" / "new.npz")["w"].tolist() == [1.0]
    loop = tmp_path / "loop.npz"
    loop.symlink_to(loop)
    with pytest.raises(OSError, match="save: cannot write '.*loop.npz': its symbolic links form a loop"):
        nn.save({"w": np.ones(1)}, loop)
    assert loop.is_symlink()


BAD_KEYS: list[tuple[Any, type, str]] = [
    ("", ValueError, "save: keys must be non-empty strings, got ''"),
    ("a\0b", ValueError, r"save: key 'a\\x00b' contains '\\x00'"),
    ("layers/0", ValueError, "save: key 'layers/0' contains '/', which a zip member name cannot hold"),
    ("a\\b", ValueError, r"save: key 'a\\\\b' contains '\\\\'"),
    ("a\nb", ValueError, r"save: key 'a\\nb' contains '\\n'"),
    ("\udc80", ValueError, "is not valid Unicode"),
    ("x" * 70000, ValueError, "bytes long; a zip member name holds 65531 at most"),
    (3, TypeError, "save: keys must be non-empty strings, got 3"),
    (None, TypeError, "save: keys must be non-empty strings, got None"),
    (b"w", TypeError, "save: keys must be non-empty strings, got b'w'"),
]


@pytest.mark.parametrize(("key", "error", "message"), BAD_KEYS, ids=[repr(k)[:12] for k, _, _ in BAD_KEYS])
def test_save_refuses_keys_that_would_not_round_trip(
    tmp_path: Path, key: Any, error: type, message: str
) -> None:
    path = tmp_path / "m.npz"
    nn.save({"w": np.zeros(2)}, path)
    before = path.read_bytes()
    with pytest.raises(error, match=message):
        nn.save({"w": np.ones(2), key: np.ones(1)}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.npz"]


def test_save_refuses_a_key_beside_its_npy_name(tmp_path: Path) -> None:
    # np.load looks "a.npy" up as a member name first, and hands back "a"'s array
    np.savez(tmp_path / "numpy.npz", **{"a": np.zeros(1), "a.npy": np.ones(1)})
    with np.load(tmp_path / "numpy.npz") as archive:
        assert archive["a.npy"].tolist() == [0.0]
    with pytest.raises(ValueError, match=r"save: keys 'a' and 'a.npy' would collide in the .npz"):
        nn.save({"a": np.zeros(1), "a.npy": np.ones(1)}, tmp_path / "m.npz")
    with pytest.raises(ValueError, match=r"save: keys 'a.npy' and 'a.npy.npy' would collide"):
        nn.save({"a.npy.npy": np.zeros(1), "a.npy": np.ones(1)}, tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()
    with pytest.raises(TypeError, match=r"save: 'w' cannot be read as an array of numbers"):
        nn.save({"w": [[1.0], [1.0, 2.0]]}, tmp_path / "m.npz")


def test_unusual_keys_round_trip_through_np_load(tmp_path: Path) -> None:
    state = {
        k: np.full(2, i, dtype=np.float32)
        for i, k in enumerate(
            ["0.weight", "a.npy", "b.npy.npy", "file", "权重", " spaced ", ".", "..", "b.npz"]
        )
    }
    nn.save(state, tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as archive:
        assert sorted(archive.files) == sorted(state)
        for key, value in state.items():
            np.testing.assert_array_equal(archive[key], value)
    assert list(nn.load(tmp_path / "m.npz")) == list(state)


# --- 5. Value models ------------------------------------------------------------------------------


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

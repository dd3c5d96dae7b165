"""nn.save / nn.load (nn/serialize.py): round trips of state dicts and models, atomic writes (nothing
changed on failure), the size limit checked before inflating (zip bombs), temporary names that fit
NAME_MAX, and hostile files and paths. (Bad and crafted files: test_serialize_hostile.py.)"""

from __future__ import annotations

import io
import os
import pickle
import re
import stat
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from nn_helpers import make_net
from numpy.lib import format as npy_format

import nn
import nn.serialize
from autograd import Tensor, Value

MB = 1 << 20


def _deflated_zeros(path: Path, members: dict[str, int]) -> None:
    """An .npz whose members are uint8 arrays of zeros of the given sizes, deflated: each takes
    about a thousandth of its size on disk (a zip bomb, in small)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, size in members.items():
            with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                header = {"descr": "|u1", "fortran_order": False, "shape": (size,)}
                npy_format.write_array_header_1_0(member, header)
                for start in range(0, size, MB):
                    member.write(bytes(min(MB, size - start)))


def _npy(shape: tuple[int, ...], descr: str, body: bytes) -> bytes:
    buffer = io.BytesIO()
    npy_format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + body


def _npz(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


# --- the size limit --------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_anything_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.npz"
    _deflated_zeros(path, {"w": 20 * MB})
    assert path.stat().st_size < 40_000  # 20 MB in 20 KB
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as info:
            nn.load(path, max_bytes=10 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MB  # nothing was inflated
    message = str(info.value)
    assert message.startswith(f"load: {str(path)!r}: member 'w' claims 20971648 bytes uncompressed")
    assert "over the limit of 10485760 bytes (raise it with nn.load(path, max_bytes=...))" in message
    assert "\n" not in message
    assert nn.load(path, max_bytes=21 * MB)["w"].shape == (20 * MB,)  # a file under the limit loads


def test_the_default_limit_is_a_module_setting_of_1_gib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert nn.serialize.MAX_BYTES == 1 << 30
    path = tmp_path / "bomb.npz"
    _deflated_zeros(path, {"w": 2 * MB})
    monkeypatch.setattr(nn.serialize, "MAX_BYTES", MB)
    with pytest.raises(
        ValueError, match=r"member 'w' claims 2097280 bytes uncompressed, over the limit of 1048576"
    ):
        nn.load(path)
    assert nn.load(path, max_bytes=3 * MB)["w"].size == 2 * MB  # the argument wins


def test_the_limit_is_on_all_the_members_together(tmp_path: Path) -> None:
    path = tmp_path / "many.npz"
    _deflated_zeros(path, {"a": 3 * MB, "b": 3 * MB, "c": 3 * MB})
    with pytest.raises(
        ValueError, match=r"member 'c' claims \d+ bytes uncompressed \(9437568 with the members"
    ):
        nn.load(path, max_bytes=8 * MB)
    assert len(nn.load(path, max_bytes=10 * MB)) == 3


def test_a_header_claiming_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "claim.npz"
    _npz(path, {"w.npy": _npy((1000,), "<f8", bytes(8))})  # 136 bytes that claim 8000
    with pytest.raises(
        ValueError,
        match=r"member 'w' claims shape \(1000,\) of float64 \(8000 bytes\), over the limit of 200 bytes",
    ):
        nn.load(path, max_bytes=200)


@pytest.mark.parametrize(
    ("max_bytes", "error", "message"),
    [
        ("1GB", TypeError, "load: max_bytes must be an int (a number of bytes), got str"),
        (True, TypeError, "load: max_bytes must be an int (a number of bytes), got bool"),
        (1.5e9, TypeError, "load: max_bytes must be an int (a number of bytes), got float"),
        (-1, ValueError, "load: max_bytes must be >= 0, got -1"),
    ],
)
def test_max_bytes_is_checked(tmp_path: Path, max_bytes: Any, error: type, message: str) -> None:
    nn.save({"w": np.zeros(2)}, tmp_path / "m.npz")
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        nn.load(tmp_path / "m.npz", max_bytes=max_bytes)


def test_a_limit_of_zero_still_loads_empty_arrays(tmp_path: Path) -> None:
    nn.save({"e": np.zeros((0, 3))}, tmp_path / "m.npz")
    with pytest.raises(ValueError, match="over the limit of 0 bytes"):
        nn.load(tmp_path / "m.npz", max_bytes=0)  # the header itself has a size
    assert nn.load(tmp_path / "m.npz", max_bytes=np.int64(1000))["e"].shape == (0, 3)


# --- save: temporary names within NAME_MAX ---------------------------------------------------


@pytest.mark.parametrize("length", [241, 242, 251, 255])
def test_save_accepts_every_file_name_the_file_system_does(tmp_path: Path, length: int) -> None:
    path = tmp_path / ("m" * (length - 4) + ".npz")
    nn.save({"w": np.arange(3.0)}, path)
    assert nn.load(path)["w"].tolist() == [0.0, 1.0, 2.0]
    assert os.listdir(tmp_path) == [path.name]


def test_save_accepts_a_long_name_of_multibyte_characters(tmp_path: Path) -> None:
    path = tmp_path / ("é" * 125 + ".npz")  # 254 bytes in UTF-8
    nn.save({"w": np.ones(1)}, path)
    assert nn.load(path)["w"].tolist() == [1.0] and os.listdir(tmp_path) == [path.name]


def test_the_temporary_is_short_in_the_same_folder_and_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / ("m" * 251 + ".npz")
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        renames.append((os.fspath(src), os.fspath(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    nn.save({"w": np.ones(1)}, path)
    [(tmp, target)] = renames
    assert target == str(path) and os.path.dirname(tmp) == str(tmp_path)
    assert len(os.fsencode(os.path.basename(tmp))) <= 86 and os.path.basename(tmp).startswith(".mmmm")


def test_a_failed_save_with_a_long_name_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / ("m" * 251 + ".npz")
    nn.save({"w": np.zeros(2)}, path)

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left on device"):
        nn.save({"w": np.ones(2)}, path)
    assert os.listdir(tmp_path) == [path.name] and nn.load(path)["w"].tolist() == [0.0, 0.0]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits and symbolic links")
def test_a_long_name_keeps_its_mode_and_is_written_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / ("t" * 251 + ".npz")
    nn.save({"w": np.zeros(1)}, target)
    os.chmod(target, 0o640)
    link = tmp_path / ("l" * 251 + ".npz")
    link.symlink_to(target)
    nn.save({"w": np.ones(1)}, link)
    assert link.is_symlink() and os.stat(target).st_mode & 0o777 == 0o640
    assert nn.load(target)["w"].tolist() == [1.0] and sorted(os.listdir(tmp_path)) == [link.name, target.name]


# --- hostile files and paths ---------------------------------------------------------------------


class _Tripwire:
    """Unpickling this calls `_trip`, which would record that load unpickled something."""

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_trip, ())


TRIPPED: list[bool] = []


def _trip() -> None:
    TRIPPED.append(True)


def test_load_never_unpickles(tmp_path: Path) -> None:
    payload = pickle.dumps(_Tripwire())
    members = {
        "obj.npy": _npy((1,), "|O", payload),  # an object array: numpy would unpickle it
        "raw.npy": payload,  # a pickle where an .npy should be
    }
    for name, data in members.items():
        path = tmp_path / f"{name}.npz"
        _npz(path, {name: data})
        with pytest.raises(ValueError, match="is not a numeric array"):
            nn.load(path)
    assert TRIPPED == []


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"w.npy": _npy((2,), "<f8", bytes(8))}, r"claims shape \(2,\) of float64 \(16 bytes\) but holds 8"),
        ({"w.npy": _npy((2**62, 2**62), "<f8", b"")}, r"claims shape .* over the limit"),
        ({"w.npy": _npy((-1,), "<f8", b"")}, "truncated or not a valid .npz"),
        ({"w.npy": b"\x93NUMPY\x09\x00" + bytes(20)}, "version"),
        ({"w.npy": _npy((1,), "<c16", bytes(16))}, "is not a numeric array"),
        ({"w.npy": _npy((1,), "<U3", bytes(12))}, "is not a numeric array"),
        ({"w.npy": _npy((1,), "|V8", bytes(8))}, "is not a numeric array"),
        ({"../../etc/passwd.npy": _npy((1,), "<f8", bytes(8))}, None),
        ({"w.npy": _npy((1,), "<f8", bytes(8)), "w.npy ": _npy((1,), "<f8", bytes(8))}, "is not a numeric"),
    ],
    ids=["short", "huge", "negative", "version", "complex", "str", "void", "path-member", "trailing-space"],
)
def test_hostile_members_fail_clearly_or_load_as_plain_keys(
    tmp_path: Path, members: dict[str, bytes], message: str | None
) -> None:
    path = tmp_path / "hostile.npz"
    _npz(path, members)
    if message is None:  # a member name is a key, never a path: nothing is written anywhere
        assert list(nn.load(path)) == ["../../etc/passwd"]
        assert os.listdir(tmp_path) == ["hostile.npz"]
        return
    with pytest.raises(ValueError, match=message) as info:
        nn.load(path)
    assert "\n" not in str(info.value)


def test_duplicate_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.npz"
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "w") as archive:
        archive.writestr("w.npy", _npy((1,), "<f8", bytes(8)))
        archive.writestr("w.npy", _npy((1,), "<f8", bytes(8)))
    with pytest.raises(ValueError, match="key 'w' appears twice in the archive"):
        nn.load(path)


@pytest.mark.parametrize("cut", [0, 4, 22, 100])
def test_truncated_archives_fail_clearly(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "m.npz"
    nn.save({"w": np.arange(50.0)}, path)
    path.write_bytes(path.read_bytes()[:cut])
    with pytest.raises(ValueError, match="m.npz'") as info:
        nn.load(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("path", ["nul\0name.npz", b"bytes.npz", 3, None, ""])
def test_odd_paths_are_refused_by_name(path: Any) -> None:
    for call in (lambda: nn.load(path), lambda: nn.save({"w": np.ones(1)}, path)):
        with pytest.raises((TypeError, ValueError), match="^(load|save): path"):
            call()


def test_save_to_a_missing_folder_or_over_a_folder_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="save: cannot write .*missing"):
        nn.save({"w": np.ones(1)}, tmp_path / "missing" / "m.npz")
    with pytest.raises(IsADirectoryError, match="save: cannot write"):
        nn.save({"w": np.ones(1)}, tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="save: cannot write .*file"):
        nn.save({"w": np.ones(1)}, tmp_path / "file" / "m.npz")
    long_name = tmp_path / ("m" * 256 + ".npz")
    with pytest.raises(OSError, match="save: cannot write .*File name too long"):
        nn.save({"w": np.ones(1)}, long_name)
    assert sorted(os.listdir(tmp_path)) == ["file"]


def test_a_header_numpy_refuses_as_too_long_is_one_line(tmp_path: Path) -> None:
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }".ljust(59_999) + b"\n"
    member = b"\x93NUMPY\x02\x00" + len(header).to_bytes(4, "little") + header + bytes(8)
    _npz(tmp_path / "h.npz", {"w.npy": member})
    with pytest.raises(ValueError, match="truncated or not a valid .npz state dict") as info:
        nn.load(tmp_path / "h.npz")
    assert "\n" not in str(info.value)  # numpy's own message spans two lines


NPY_IMPL = npy_format.read_array_header_1_0.__globals__  # numpy.lib._format_impl's names


@pytest.mark.skipif("_read_array_header" not in NPY_IMPL, reason="numpy's header reader moved")
def test_each_header_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Parsing each header twice (a check, then np.lib.format.read_array) made a 12 MB file of
    # 50,000 tiny arrays take 17 s to load; once, 4 s.
    path = tmp_path / "many.npz"
    nn.save({f"k{i}": np.full(3, float(i)) for i in range(200)}, path)
    calls = []
    real = NPY_IMPL["_read_array_header"]
    monkeypatch.setitem(NPY_IMPL, "_read_array_header", lambda *a, **k: calls.append(1) or real(*a, **k))
    loaded = nn.load(path)
    assert len(calls) == 200 and loaded["k7"].tolist() == [7.0] * 3 and loaded["k7"].flags.writeable


def test_every_member_is_read_to_its_end_so_its_crc_is_checked(tmp_path: Path) -> None:
    member = _npy((1,), "<f8", bytes(8)) + bytes(200_000)  # bytes after the array, past zipfile's read-ahead
    _npz(tmp_path / "t.npz", {"w.npy": member})
    raw = bytearray((tmp_path / "t.npz").read_bytes())
    raw[150_000] ^= 0xFF
    (tmp_path / "t.npz").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="truncated or not a valid .npz state dict .Bad CRC-32"):
        nn.load(tmp_path / "t.npz")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_save_refuses_to_replace_a_fifo_or_a_device(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(
        OSError, match=r"save: cannot write .*pipe.npz': it is a FIFO \(a named pipe\), not a regular"
    ):
        nn.save({"w": np.ones(1)}, fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and os.listdir(tmp_path) == ["pipe.npz"]
    if os.path.exists("/dev/null"):  # nn.save(sd, "/dev/null") once replaced it, as root, with a file
        with pytest.raises(OSError, match="save: cannot write '/dev/null': it is a character device"):
            nn.save({"w": np.ones(1)}, "/dev/null")
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_sequential_round_trip_through_a_file(tmp_path: Path) -> None:
    a, b = make_net(0), make_net(5)
    nn.save(a.state_dict(), tmp_path / "net.npz")
    b.load_state_dict(nn.load(tmp_path / "net.npz"))
    x = Tensor(np.ones((1, 4)))
    np.testing.assert_array_equal(a(x).data, b(x).data)
    # loaded arrays are copies, not shared with the dict they came from
    state = a.state_dict()
    b.load_state_dict(state)
    state["0.bias"][:] = 7.0
    assert not np.any(b[0].bias.detach().numpy() == 7.0)
    # a dict of Tensors works too
    b.load_state_dict({k: Tensor(v) for k, v in make_net(9).state_dict().items()})
    np.testing.assert_array_equal(b[2].bias.data, make_net(9)[2].bias.data)


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
    with pytest.raises(TypeError, match="save: 'w' must hold numbers, got a list holding object"):
        nn.save({"w": [object()]}, path)
    assert os.listdir(tmp_path) == []


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

"""nn against careless and hostile use: wrong kinds raise TypeError, wrong values ValueError, each
naming the operation and the operand, and nothing changes before the error. Where PyTorch has the
same function, its answer (or its refusal) is the reference."""

from __future__ import annotations

import collections
import io
import math
import os
import stat
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.lib import format as npy_format

import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value

LOSSES: dict[str, Callable[..., Any]] = {
    "mse_loss": F.mse_loss,
    "l1_loss": F.l1_loss,
    "smooth_l1_loss": F.smooth_l1_loss,
    "binary_cross_entropy": F.binary_cross_entropy,
    "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits,
    "hinge_loss": F.hinge_loss,
}


try:  # at import, so that no single test pays for loading torch
    import torch as _torch_module
except ImportError:  # pragma: no cover - the PyTorch comparisons are skipped
    _torch_module = None


def _torch() -> Any:
    if _torch_module is None:
        pytest.skip("torch is not installed")
    return _torch_module


# --- 1. losses ----------------------------------------------------------------------------------

NOT_REAL_TARGETS = {
    "None": None,
    "None in a list": [None, 1.0],
    "str": "3",
    "bytes": b"3",
    "bool": True,
    "numpy bool": np.True_,
    "complex": 1 + 2j,
    "bools in a list": [True, False],
    "str in a list": [1.0, "2"],
    "bool array": np.array([True, False]),
    "complex array": np.array([1 + 0j, 2]),
    "str array": np.array(["1", "2"]),
    "bytes array": np.array([b"1", b"0"]),
    "object array": np.array([1.0, None], dtype=object),
    "datetime array": np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),
    "bool Tensor": Tensor(np.array([True, False])),
}


@pytest.mark.parametrize("target", NOT_REAL_TARGETS.values(), ids=list(NOT_REAL_TARGETS))
@pytest.mark.parametrize("name", LOSSES)
def test_losses_refuse_targets_that_are_not_real_numbers(name: str, target: Any) -> None:
    # numpy alone reads "3" as 3.0, None as nan, True as 1.0 and drops imaginary parts
    loss = LOSSES[name]
    with pytest.raises(TypeError, match=f"^{name}: target"):
        loss(Tensor([0.5, 0.5]), target)
    with pytest.raises(TypeError, match=f"^{name}: target"):
        loss([Value(0.5), Value(0.5)], target)


def test_target_messages_name_the_bad_item() -> None:
    with pytest.raises(
        TypeError, match="mse_loss: target must hold real numbers, got NoneType None at index 1"
    ):
        F.mse_loss(Tensor([0.5, 0.5]), [1.0, None])
    with pytest.raises(
        TypeError, match=r"l1_loss: target must hold real numbers, got str '2' at index \(1, 0\)"
    ):
        F.l1_loss(Tensor(np.zeros((2, 1))), [[1], ["2"]])
    with pytest.raises(TypeError, match="got a Tensor of dtype bool"):
        F.mse_loss(Tensor([0.5]), Tensor(np.array([True])))
    with pytest.raises(ValueError, match="mse_loss: target is ragged"):
        F.mse_loss(Tensor(np.zeros((2, 2))), [[1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="mse_loss: target holds an int too large for a float"):
        F.mse_loss(Tensor([0.5]), [10**400])
    with pytest.raises(ValueError, match="mse_loss: target item 0 is an int too large for a float"):
        F.mse_loss([Value(0.5)], [10**400])


def test_real_targets_of_any_numeric_kind_still_work() -> None:
    x = Tensor([0.5, 2.0])
    expected = F.mse_loss(x, np.array([1.0, 0.0])).data
    for target in (
        [1, 0],
        (1.0, 0),
        np.array([1, 0], dtype=np.uint8),
        Tensor(np.array([1, 0])),
        [np.float16(1), np.int8(0)],
    ):
        assert F.mse_loss(x, target).data == expected
    assert F.mse_loss([Value(0.5), Value(2.0)], [np.float32(1.0), np.int64(0)]).data == expected
    assert F.mse_loss(Tensor(np.zeros(0)), [], reduction="sum").data == 0.0  # empty: as PyTorch


def test_losses_refuse_targets_torch_refuses_too() -> None:
    torch = _torch()
    x = torch.tensor([0.5, 0.5])
    with pytest.raises((RuntimeError, NotImplementedError)):
        torch.nn.functional.mse_loss(x, torch.tensor([1 + 0j, 0]))
    with pytest.raises(TypeError, match="mse_loss"):
        F.mse_loss(Tensor([0.5, 0.5]), np.array([1 + 0j, 0]))


@pytest.mark.parametrize("target", [-0.5, 1.5, np.nan, np.inf])
def test_bce_targets_outside_0_1(target: float) -> None:
    torch = _torch()
    with pytest.raises(RuntimeError, match="target should be between 0 and 1"):
        torch.nn.functional.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([target]))
    for name in ("binary_cross_entropy", "binary_cross_entropy_with_logits"):
        with pytest.raises(ValueError, match=rf"^{name}: target values must be in \[0, 1\], got {target}"):
            LOSSES[name](Tensor([0.5]), np.array([target]))
        with pytest.raises(ValueError, match=rf"^{name}: target values must be in \[0, 1\]"):
            LOSSES[name]([Value(0.5)], [Value(target)])
    # PyTorch's with_logits computes a loss there (one with no minimum: −y·x falls forever);
    # refused here on purpose, like binary_cross_entropy
    assert torch.isfinite(
        torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor([0.5]), torch.tensor([1.5]))
    )


def _torch_loss_and_grad(
    name: str, x: np.ndarray, y: np.ndarray, **options: Any
) -> tuple[np.ndarray, np.ndarray]:
    torch = _torch()
    tx = torch.tensor(x, requires_grad=True)
    out = getattr(torch.nn.functional, name)(tx, torch.tensor(y), reduction="none", **options)
    out.sum().backward()
    return out.detach().numpy(), tx.grad.numpy()


def _ours(
    name: str, x: np.ndarray, y: np.ndarray, **options: Any
) -> tuple[np.ndarray, np.ndarray, list[float], list[float]]:
    tx = Tensor(x, requires_grad=True)
    out = LOSSES[name](tx, y, reduction="none", **options)
    out.sum().backward()
    vs = [Value(float(v)) for v in x]
    outs = LOSSES[name](vs, y.tolist(), reduction="none", **options)
    for o in outs:
        o.backward()
    return out.data, tx.grad, [o.data for o in outs], [v.grad for v in vs]


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # inf - inf at d = inf, beta = inf
@pytest.mark.parametrize("beta", [math.inf, 1.0, 0.5, 1e-320, 1e308])
def test_smooth_l1_matches_torch_at_any_beta(beta: float) -> None:
    # beta = inf: 0 everywhere d is finite (it gave NaN: inf·0); d = ±inf: inf, gradient ±1;
    # NaN stays NaN, in the loss and in the gradient. (atol: at d = 1e-321 < beta = 1e-320,
    # PyTorch's d·d underflows to 0, where 0.5·d²/beta is 5e-323.)
    x = np.array([-np.inf, -3.0, -0.5, 0.0, 1e-321, 0.25, 2.0, 1e6, np.inf, np.nan])
    y = np.zeros_like(x)
    loss, grad = _torch_loss_and_grad("smooth_l1_loss", x, y, beta=beta)
    ours, ours_grad, values, value_grads = _ours("smooth_l1_loss", x, y, beta=beta)
    for got in (ours, values):
        np.testing.assert_allclose(got, loss, rtol=1e-12, atol=1e-320)
    for got in (ours_grad, value_grads):
        np.testing.assert_allclose(got, grad, rtol=1e-12, atol=1e-320)


def test_smooth_l1_stays_finite_where_torch_overflows() -> None:
    # 0.5·d²/beta with d = 1e300: PyTorch squares first (inf, or inf/inf = NaN at beta = inf)
    x = Tensor([1e300], requires_grad=True)
    assert F.smooth_l1_loss(x, [0.0], beta=math.inf).data == 0.0
    out = F.smooth_l1_loss(x, [0.0], beta=1e308)
    out.backward()
    assert out.data == pytest.approx(5e291) and x.grad[0] == pytest.approx(1e-8)


@pytest.mark.parametrize(
    ("beta", "error"), [(math.nan, ValueError), (-1.0, ValueError), ("1", TypeError), (None, TypeError)]
)
def test_smooth_l1_bad_beta(beta: Any, error: type) -> None:
    torch = _torch()
    if error is ValueError:
        with pytest.raises(RuntimeError, match="beta"):
            torch.nn.functional.smooth_l1_loss(torch.zeros(1), torch.zeros(1), beta=beta)
    with pytest.raises(error, match="^smooth_l1_loss: beta must be"):
        F.smooth_l1_loss(Tensor([0.5]), [0.0], beta=beta)
    assert (
        F.smooth_l1_loss(Tensor([3.0]), [0.0], beta=np.float32(2.0)).data == 2.0
    )  # numpy numbers are numbers


def test_bce_with_logits_at_infinite_logits_matches_torch_gradients() -> None:
    x = np.array([-np.inf, -np.inf, np.inf, np.inf, -1e4, 1e4, 0.0])
    y = np.array([0.3, 1.0, 0.0, 0.3, 1.0, 0.0, 0.7])
    loss, grad = _torch_loss_and_grad("binary_cross_entropy_with_logits", x, y)
    ours, ours_grad, values, value_grads = _ours("binary_cross_entropy_with_logits", x, y)
    np.testing.assert_allclose(ours_grad, grad, rtol=1e-12)
    np.testing.assert_allclose(value_grads, grad, rtol=1e-12)
    # PyTorch gives NaN at -inf for y > 0 (inf·0 inside); the loss there is +inf
    assert ours.tolist()[:2] == [math.inf, math.inf] and values[:2] == [math.inf, math.inf]
    np.testing.assert_allclose(ours[2:], loss[2:], rtol=1e-12)


def test_settings_and_targets_beyond_float_range() -> None:
    with pytest.raises(ValueError, match="^smooth_l1_loss: beta is too large for a float"):
        F.smooth_l1_loss(Tensor([0.5]), [0.0], beta=10**400)
    with pytest.raises(ValueError, match="^hinge_loss: margin is too large for a float"):
        F.hinge_loss(Tensor([0.5]), [1.0], margin=10**400)
    with pytest.raises(
        ValueError, match="^SGD: lr must be a finite number, got an int too large for a float"
    ):
        nn.optim.SGD([Value(1.0)], lr=10**400)


def test_a_target_that_requires_grad_keeps_its_gradient_or_is_refused() -> None:
    # Casting a float64 target to a float32 input's dtype would cut the target's graph silently
    x = Tensor(np.array([1.0], dtype=np.float32), requires_grad=True)
    y = Tensor(np.array([0.0]), requires_grad=True)
    with pytest.raises(
        TypeError, match="^mse_loss: a target that requires grad must have the input's dtype float32"
    ):
        F.mse_loss(x, y)
    y32 = Tensor(np.array([0.0], dtype=np.float32), requires_grad=True)
    F.mse_loss(x, y32).backward()
    assert y32.grad.tolist() == [-2.0]


def test_hinge_and_reduction_arguments() -> None:
    with pytest.raises(ValueError, match="hinge_loss: margin must be a number, not NaN"):
        F.hinge_loss(Tensor([0.5]), [1.0], margin=math.nan)
    with pytest.raises(TypeError, match="hinge_loss: margin must be a number, got str"):
        F.hinge_loss(Tensor([0.5]), [1.0], margin="1")
    for name, loss in LOSSES.items():
        with pytest.raises(
            TypeError, match=f"^{name}: reduction must be 'mean', 'sum' or 'none', got NoneType"
        ):
            loss(Tensor([0.5]), [1.0], reduction=None)
    with pytest.raises(TypeError, match="cross_entropy: reduction must be"):
        F.cross_entropy(Tensor([[0.5, 0.5]]), [1], reduction=["mean"])


def test_cross_entropy_single_row_targets_as_torch() -> None:
    torch = _torch()
    z = np.array([1.0, 2.0, 3.0])
    expected = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(1)).item()
    rows = [Value(v) for v in z]
    for target in (1, np.int64(1), np.array(1), [1], np.array([1]), Tensor(np.array(1))):
        assert F.cross_entropy(Tensor(z), target).data == pytest.approx(expected, rel=1e-12)
        assert F.cross_entropy(rows, target).data == pytest.approx(expected, rel=1e-12)
    assert torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor([1])).item() == pytest.approx(
        expected
    )
    for target in ([1, 2], np.array([1, 2]), Tensor(np.array([1, 2])), [[1]], []):
        with pytest.raises(
            ValueError, match=r"^cross_entropy: a single row of 3 logits takes one class index, got shape"
        ):
            F.cross_entropy(Tensor(z), target)  # numpy's "cannot reshape array" before
        with pytest.raises(
            ValueError, match="^cross_entropy: a single row of 3 logits takes one class index"
        ):
            F.cross_entropy(rows, target)
    with pytest.raises(ValueError, match="1D target must have size 1"):
        torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor([1, 2]))


def test_cross_entropy_bad_shapes_and_kinds() -> None:
    z = Tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="^cross_entropy: input must be float logits, got dtype int64"):
        F.cross_entropy(Tensor(np.zeros((2, 3), dtype=np.int64)), [0, 1])
    with pytest.raises(
        ValueError, match=r"^cross_entropy: input must be float logits of shape \(N, C\) or \(C,\), got \(\)"
    ):
        F.cross_entropy(Tensor(np.array(1.0)), 0)
    with pytest.raises(
        ValueError, match=r"^cross_entropy: expected 2 targets \(shape \(2,\)\), got shape \(\)"
    ):
        F.cross_entropy(z, 1)
    with pytest.raises(ValueError, match="^cross_entropy: targets are ragged"):
        F.cross_entropy(z, [[1], [1, 2]])
    with pytest.raises(
        ValueError, match=r"^cross_entropy: target 10{30} at index 0 is out of range for 3 classes"
    ):
        F.cross_entropy(z, [10**30, 0])
    with pytest.raises(ValueError, match="^cross_entropy: target 0 at index 0 is out of range for 0 classes"):
        F.cross_entropy(Tensor(np.zeros((2, 0))), [0, 0])
    for target, shown in (
        (None, "NoneType None"),
        ([None, 1], "NoneType None at index 0"),
        (True, "dtype bool"),
    ):
        with pytest.raises(
            TypeError, match=f"^cross_entropy: targets must be integer class indices, got {shown}"
        ):
            F.cross_entropy(z if isinstance(target, list) else Tensor(np.zeros(3)), target)
    for target in ("1", b"1", 1 + 0j, [1j, 0], np.array(["1", "2"]), [Value(1.0), Value(0.0)]):
        with pytest.raises(TypeError, match="^cross_entropy: targets must be integer class indices"):
            F.cross_entropy(z, target)
    with pytest.raises(TypeError, match="^cross_entropy: row 0 must be a list of Values, got float"):
        F.cross_entropy([1.0, 2.0], 0)  # len(1.0) before
    with pytest.raises(TypeError, match="got dict$"):
        F.cross_entropy({0: [Value(1.0)]}, [0])
    # an empty batch: NaN for the mean, 0 for the sum, as PyTorch
    assert math.isnan(F.cross_entropy(Tensor(np.zeros((0, 3))), []).data)
    assert F.cross_entropy(Tensor(np.zeros((0, 3))), np.zeros(0, dtype=int), reduction="sum").data == 0.0


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


# --- 3. seeds and dtypes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, r"manual_seed: seed must be in \[0, 2\*\*64\), got -1$"),
        (np.int64(-5), ValueError, "got -5$"),
        (2**64, ValueError, "got 18446744073709551616$"),
        (10**1000, ValueError, "got an int of 3322 bits$"),
        (1.0, TypeError, "manual_seed: seed must be an int, got float$"),
        (True, TypeError, "manual_seed: seed must be an int, got bool$"),
        (np.True_, TypeError, "got bool$"),
        ("1", TypeError, "got str$"),
        (None, TypeError, "got NoneType$"),
    ],
)
def test_manual_seed_bad_seeds(seed: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}" if message.startswith("manual_seed") else message):
        nn.manual_seed(seed)


def test_manual_seed_range_is_torchs() -> None:
    torch = _torch()
    for seed in (0, 2**64 - 1, np.uint64(2**64 - 1)):
        nn.manual_seed(seed)
        torch.manual_seed(int(seed))
    with pytest.raises((RuntimeError, ValueError)):
        torch.manual_seed(2**64)
    with pytest.raises(ValueError, match=r"rng: seed must be in \[0, 2\*\*64\), got -1"):
        nn.Linear(2, 2, rng=-1)


@pytest.mark.parametrize("dtype", ["bogus", 3, object, np.int32, bool, "f8,f8", np.complex64, [("a", "f8")]])
def test_linear_refuses_dtypes_that_are_not_floats(dtype: Any) -> None:
    with pytest.raises(TypeError, match="^Linear: dtype must be a") as err:
        nn.Linear(2, 3, dtype=dtype)
    assert "not understood" not in str(err.value)


def test_linear_dtypes_accepted() -> None:
    torch = _torch()
    with pytest.raises(
        TypeError, match=r"Linear: dtype must be a numpy float type \(np.float32, ...\), got torch.float32"
    ):
        nn.Linear(2, 3, dtype=torch.float32)
    for dtype, expected in (
        (None, np.float64),
        (float, np.float64),
        ("float32", np.float32),
        (np.float16, np.float16),
    ):
        assert nn.Linear(2, 3, dtype=dtype).weight.dtype == expected


# --- 4. optimizers --------------------------------------------------------------------------------

OPTIMIZERS = [nn.optim.SGD, nn.optim.Adam, nn.optim.AdamW, nn.optim.RMSprop]


def _two_params() -> tuple[Tensor, Tensor]:
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([[3.0]], requires_grad=True)
    a.grad, b.grad = np.ones(2), np.ones((1, 1))
    return a, b


def _refuses_and_changes_nothing(opt: Any, params: list[Any], error: type, message: str) -> None:
    before = [np.array(p.data, copy=True) for p in params]
    state = repr(opt.state)
    with pytest.raises(error, match=message):
        opt.step()
    assert all(np.array_equal(p.data, b) for p, b in zip(params, before)) and repr(opt.state) == state


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_step_checks_every_parameter_before_updating_any(cls: type) -> None:
    name = cls.__name__
    a, b = _two_params()
    v = Value(1.0)
    opt = (
        cls([v, a, b], lr=0.1, momentum=0.9)
        if cls in (nn.optim.SGD, nn.optim.RMSprop)
        else cls([v, a, b], lr=0.1)
    )
    opt.step()  # state exists now: the buffers must not move either
    b.data.setflags(write=False)
    _refuses_and_changes_nothing(
        opt, [v, a, b], ValueError, f"^{name}: parameter 2's array is read-only; nothing was updated"
    )
    b.data = np.array([[3.0]])
    for grad, error, message in [
        (np.ones(1), ValueError, r"parameter 2's grad has shape \(1,\) but the parameter has shape \(1, 1\)"),
        (
            np.ones((1, 1), dtype=complex),
            TypeError,
            "parameter 2's grad has dtype complex128, not real numbers",
        ),
        (np.ones((1, 1), dtype=bool), TypeError, "parameter 2's grad has dtype bool"),
        ([[1.0]], TypeError, "parameter 2's grad has type list"),
        (np.full((1, 1), 1e300), ValueError, None),
    ]:
        b.grad = grad
        if message is None:  # a float64 grad that float32 cannot hold
            b.data, b.grad = np.array([[3.0]], dtype=np.float32), np.full((1, 1), 1e300)
            opt2 = cls([v, a, b], lr=0.1)
            _refuses_and_changes_nothing(opt2, [v, a, b], ValueError, "float64 grad overflows float32")
            continue
        _refuses_and_changes_nothing(opt, [v, a, b], error, f"^{name}: {message}")
    b.data, b.grad = np.array([[3.0]]), np.ones((1, 1))
    v.grad = None  # type: ignore[assignment]
    _refuses_and_changes_nothing(
        opt, [v, a, b], TypeError, f"^{name}: parameter 0 .a Value. has .grad of type NoneType"
    )
    v.grad = 0.0
    opt.lr = math.nan  # a schedule gone wrong
    _refuses_and_changes_nothing(opt, [v, a, b], ValueError, f"^{name}: lr must be a finite number, got nan")


def test_replaced_parameter_data_must_fit_the_optimizer_state() -> None:
    a, b = _two_params()
    opt = nn.optim.SGD([a, b], lr=0.1, momentum=0.9)
    opt.step()
    b.data = np.zeros((1, 2))
    b.grad = np.ones((1, 2))
    _refuses_and_changes_nothing(
        opt, [a, b], ValueError, r"SGD: a parameter of shape \(1, 2\) has momentum_buffer of shape \(1, 1\)"
    )
    b.data = np.array([[1]])
    _refuses_and_changes_nothing(opt, [a, b], TypeError, "SGD: parameter 1 holds int64, not a float array")


SETTINGS = [
    (nn.optim.SGD, {"lr": -0.1}),
    (nn.optim.SGD, {"momentum": -0.1}),
    (nn.optim.SGD, {"weight_decay": -1e-3}),
    (nn.optim.Adam, {"lr": -1.0}),
    (nn.optim.Adam, {"lr": math.nan}),
    (nn.optim.Adam, {"eps": -1e-8}),
    (nn.optim.Adam, {"eps": math.nan}),
    (nn.optim.Adam, {"betas": (math.nan, 0.9)}),
    (nn.optim.Adam, {"betas": (0.9, -0.1)}),
    (nn.optim.Adam, {"betas": (1.0, 0.9)}),
    (nn.optim.Adam, {"weight_decay": math.nan}),
    (nn.optim.AdamW, {"weight_decay": -0.1}),
    (nn.optim.RMSprop, {"alpha": -0.5}),
    (nn.optim.RMSprop, {"momentum": math.nan}),
    (nn.optim.RMSprop, {"eps": -1.0}),
]


@pytest.mark.parametrize(("cls", "options"), SETTINGS, ids=[f"{c.__name__}-{o}" for c, o in SETTINGS])
def test_bad_settings_are_refused_where_torch_refuses_them(cls: type, options: dict) -> None:
    torch = _torch()
    with pytest.raises(ValueError, match="Invalid"):
        getattr(torch.optim, cls.__name__)([torch.zeros(1, requires_grad=True)], **options)
    name = next(iter(options))
    with pytest.raises(ValueError, match=f"^{cls.__name__}: {name}"):
        cls([Value(1.0)], **options)


@pytest.mark.parametrize(
    ("cls", "options", "error"),
    [
        (nn.optim.SGD, {"lr": math.nan}, ValueError),  # PyTorch's SGD lets NaN through
        (nn.optim.SGD, {"lr": math.inf}, ValueError),  # and inf: both can only ruin the weights
        (nn.optim.Adam, {"eps": math.inf}, ValueError),
        (nn.optim.RMSprop, {"weight_decay": -math.inf}, ValueError),
        (nn.optim.SGD, {"lr": "0.1"}, TypeError),
        (nn.optim.Adam, {"eps": None}, TypeError),
        (nn.optim.RMSprop, {"alpha": True}, TypeError),
        (nn.optim.Adam, {"betas": (0.9, "0.99")}, TypeError),
    ],
)
def test_bad_settings_beyond_torch(cls: type, options: dict, error: type) -> None:
    with pytest.raises(error, match=f"^{cls.__name__}: "):
        cls([Value(1.0)], **options)


def test_numpy_numbers_are_fine_settings() -> None:
    x = Value(1.0)
    opt = nn.optim.Adam([x], lr=np.float32(0.5), betas=(np.float64(0.9), 0.999), eps=np.float32(1e-8))
    x.grad = 1.0
    opt.step()
    assert x.data == pytest.approx(0.5) and isinstance(opt.lr, float)


# --- 5. Value models ------------------------------------------------------------------------------

MODELS = [nn.Neuron(2, rng=0), nn.Layer(2, 3, rng=0), nn.MLP(2, [3, 1], rng=0)]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_value_models_refuse_unordered_and_one_shot_inputs(model: nn.Module) -> None:
    name = type(model).__name__
    for x, kind in [
        ({1.0: 0, 2.0: 1}, "dict"),  # ran on its keys before
        ({1.0, 2.0}, "set"),  # ran in hash order before
        ({1.0: 0, 2.0: 1}.keys(), "dict_keys"),
        ("ab", "str"),
        ((v for v in [1.0, 2.0]), "generator"),
        (iter([1.0, 2.0]), "list_iterator"),
        (None, "NoneType"),
    ]:
        with pytest.raises(TypeError, match=f"^{name}: expected a sequence of 2 inputs, got {kind}$"):
            model(x)
    for x, kind in [
        ([None, 1.0], "NoneType"),
        (["1", 2.0], "str"),
        ([True, 1.0], "bool"),
        ([1j, 0.0], "complex"),
        ([[1.0], [2.0]], "list"),
    ]:
        with pytest.raises(TypeError, match=f"^{name}: input 0 must be a number or a Value, got {kind}$"):
            model(x)
    with pytest.raises(
        ValueError, match=rf"^{name}: expected a sequence of 2 inputs, got an array of shape \(2, 2\)$"
    ):
        model(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=f"^{name}: input 1 is an int too large for a float$"):
        model([0, 10**400])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_value_models_take_any_ordered_sequence(model: nn.Module) -> None:
    def data(out: Any) -> Any:
        return [o.data for o in out] if isinstance(out, list) else out.data

    expected = data(model([1.0, 2.0]))
    for x in [
        (1.0, 2.0),
        np.array([1.0, 2.0]),
        collections.deque([1, 2]),
        range(1, 3),
        [np.float32(1), np.int64(2)],
        [Value(1.0), 2],
    ]:
        assert data(model(x)) == pytest.approx(expected)

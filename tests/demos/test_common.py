"""demos/_common.py: a bad ``--out`` (its demo's subfolder a file, or not writable) is a one-line error
before any training, on the command line, in ``python -m demos`` and in ``run(out=...)``."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

import demos.__main__ as runner
from demos import _common, backprop_by_hand, linear_regression, microgpt
from demos._common import OutFolderError, check_writable


def _never_trains(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[str]:
    """Make ``load_names``/``make_data`` fail loudly: the check must come before any of that."""
    calls: list[str] = []

    def trap(*args: Any, **kwargs: Any) -> Any:
        calls.append("trained")
        raise AssertionError("the demo started before its --out was checked")

    for name in ("load_names", "make_data"):
        if hasattr(module, name):
            monkeypatch.setattr(module, name, trap)
    return calls


def test_run_refuses_a_file_where_its_folder_goes_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "microgpt").write_text("in the way")
    calls = _never_trains(monkeypatch, microgpt)
    with pytest.raises(OutFolderError) as info:
        microgpt.run(out=tmp_path, steps=1)
    message = str(info.value)
    assert message == (
        f"microgpt: cannot write pictures under out={str(tmp_path)!r}: "
        f"{str(tmp_path / 'microgpt')!r} is a file, not a folder"
    )
    assert calls == [] and (tmp_path / "microgpt").read_text() == "in the way"


def test_run_refuses_an_out_that_is_a_file_or_below_one(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    for out in (blocker, blocker / "deeper" / "still"):
        with pytest.raises(OutFolderError, match=f"{str(blocker)!r} is a file, not a folder$"):
            linear_regression.run(out=str(out), iterations=1)


def test_the_demos_command_line_refuses_it_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "linear_regression").write_text("in the way")
    calls = _never_trains(monkeypatch, linear_regression)
    with pytest.raises(SystemExit) as info:
        linear_regression.main(["--out", str(tmp_path), "--iterations", "2", "--quiet"])
    assert calls == []
    assert info.value.code == (
        f"error: linear_regression: cannot write pictures under out={str(tmp_path)!r}: "
        f"{str(tmp_path / 'linear_regression')!r} is a file, not a folder"
    )


def test_python_m_demos_checks_every_demos_folder_before_the_first_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "microgpt").write_text("in the way")  # the last demo: it would fail after all the others
    calls = _never_trains(monkeypatch, backprop_by_hand)
    assert runner.main(["backprop_by_hand", "microgpt", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    blocker = tmp_path / "microgpt"
    assert (
        err == f"error: cannot write to --out {str(tmp_path)!r}: {str(blocker)!r} is a file, not a folder\n"
    )
    assert calls == [] and not (tmp_path / "backprop_by_hand" / "graph.png").exists()


def _unwritable_folders(monkeypatch: pytest.MonkeyPatch, refused: Path) -> None:
    """Simulate a folder that cannot be written (we may run as root, whom chmod does not stop)."""
    real = tempfile.TemporaryFile

    def temporary_file(*args: Any, dir: Any = None, **kwargs: Any) -> Any:
        if dir is not None and Path(dir).resolve().is_relative_to(refused.resolve()):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(_common.tempfile, "TemporaryFile", temporary_file)


def test_an_unwritable_demo_folder_is_refused_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unwritable_folders(monkeypatch, tmp_path / "microgpt")
    calls = _never_trains(monkeypatch, microgpt)
    with pytest.raises(OutFolderError, match=f"{str(tmp_path / 'microgpt')!r}: Permission denied$") as info:
        microgpt.run(out=tmp_path, steps=1)
    assert info.value.errno is None or info.value.errno == errno.EACCES
    assert calls == []
    assert check_writable(tmp_path, ["microgpt"]) == (
        f"error: cannot write to --out {str(tmp_path)!r}: {str(tmp_path / 'microgpt')!r}: Permission denied"
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into a read-only folder anyway"
)
def test_a_read_only_folder_is_refused_for_real(tmp_path: Path) -> None:
    folder = tmp_path / "microgpt"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutFolderError, match="Permission denied"):
            microgpt.run(out=tmp_path, steps=1)
    finally:
        folder.chmod(0o700)


def test_a_good_out_is_made_and_a_bad_option_makes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="^linear_regression: iterations must be"):
        linear_regression.run(out=tmp_path / "new", iterations=0)
    assert not (tmp_path / "new").exists()  # options first: a refused run leaves no folder
    backprop_by_hand.run(out=tmp_path / "new")
    assert (tmp_path / "new" / "backprop_by_hand").is_dir()
    with pytest.raises(ValueError, match="^backprop_by_hand: out 'a\\\\x00b' holds a NUL character$"):
        backprop_by_hand.run(out="a\0b")


def test_a_path_too_long_for_the_system_is_a_one_line_error(tmp_path: Path) -> None:
    deep = tmp_path / ("a/" * 2500)  # past PATH_MAX: even asking whether it exists fails
    with pytest.raises(OutFolderError, match="File name too long$") as info:
        backprop_by_hand.run(out=deep)
    assert "\n" not in str(info.value)
    problem = check_writable(deep)
    assert problem is not None and problem.startswith("error: cannot write to --out") and "\n" not in problem

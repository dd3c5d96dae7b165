"""``python -m autograd.viz`` (autograd/viz/cli.py): names that Python's NFKC normalisation of
identifiers changes ("ℌ" is read as "H") are refused, saying so, in the expression and in --at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd.viz import ExpressionError, main
from autograd.viz.cli import parse_expression

ROOT = Path(__file__).resolve().parents[3]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as done:
        status = int(done.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("argv", "written", "read"),
    [
        (["ℌ*2", "--at", "ℌ=2"], "ℌ", "H"),  # the reported case: it said "unknown name 'H'"
        (["ℌ*2", "--at", "H=2"], "ℌ", "H"),
        (["x*2", "--at", "x=1", "ℌ=2"], "ℌ", "H"),
        (["ｅｘｐ(x)", "--at", "x=1"], "ｅｘｐ", "exp"),  # fullwidth letters
        (["x + ﬁ", "--at", "x=1", "fi=2"], "ﬁ", "fi"),  # a ligature
        (["x**²", "--at", "x=1"], None, None),  # not a name at all: a syntax error, as before
        (["𝐱*2", "--at", "x=1"], "𝐱", "x"),  # mathematical bold: would silently be x
    ],
)
def test_names_that_nfkc_changes_are_refused_clearly(
    argv: list[str], written: str | None, read: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_cli(argv, capsys)
    assert status == 2 and out == "" and err.count("\n") == 1, (status, out, err)
    assert err.startswith("python -m autograd.viz: error: ")
    if written is None:
        assert "syntax error" in err or "invalid" in err
    else:
        assert f"the name {written!r} is read by Python as {read!r}" in err, err
        assert "unknown name" not in err


def test_parse_expression_refuses_them_too() -> None:
    with pytest.raises(ExpressionError, match="^the name 'ℌ' is read by Python as 'H'"):
        parse_expression("ℌ + 1", {"ℌ": 2.0})
    assert parse_expression("H + 1", {"H": 2.0}).data == 3.0
    assert parse_expression("é + 1", {"é": 2.0}).data == 3.0  # NFC text NFKC leaves alone


def test_names_nfkc_keeps_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(["α*β + x_1", "--at", "α=2", "β=3", "x_1=1"], capsys)
    assert status == 0 and err == "", err
    assert out.splitlines()[-4:] == ["L = 7", "dL/dx_1 = 1", "dL/dα = 3", "dL/dβ = 2"]  # after the source


@needs_dot
def test_a_long_name_is_drawn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "x" * 9_000  # the expression's limit is 10,000 characters
    status, out, err = run_cli([f"{name}*2", "--at", f"{name}=3", "--out", str(tmp_path / "g.svg")], capsys)
    assert status == 0 and err == "", err
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "x" * 99 + "…" in texts and max(len(t) for t in texts) <= 100
    assert 'xlink:title="' + "x" * 999 + '…"' in svg  # the tooltip keeps more of it


def test_a_long_renamed_name_is_shown_cut(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(["ℵ" * 3000 + "*2", "--at", "x=1"], capsys)  # ℵ is read as Hebrew א
    assert status == 2 and err.count("\n") == 1 and len(err) < 400, len(err)
    assert "the name '" + "ℵ" * 39 + "…' is read by Python as '" + "א" * 39 + "…'" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
@pytest.mark.parametrize(("flag", "name"), [("--out", "g.svg"), ("--steps", "s.html")])
def test_a_fifo_as_output_is_refused_instead_of_blocking(flag: str, name: str, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / name)  # writing to it would wait forever for a reader
    done = subprocess.run(  # in a process of its own: the bug this guards against was a hang
        [sys.executable, "-m", "autograd.viz", "x*2", "--at", "x=1", flag, str(tmp_path / name)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == "", done
    assert done.stderr == (
        f"python -m autograd.viz: error: {flag}: cannot write {str(tmp_path / name)!r}: "
        "it is not a regular file (a FIFO or a device)\n"
    )

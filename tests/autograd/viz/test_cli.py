"""``python -m autograd.viz`` (autograd/viz/cli.py): the expression parsed, never evaluated; the
picture, the page and the numbers written; under hostile input every error is one line on stderr
with exit status 2 (1 only without Graphviz), never a traceback, and no command runs for long;
names that Python's NFKC normalisation of identifiers changes ("ℌ" is read as "H") refused, saying so."""

from __future__ import annotations

import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from viz_helpers import ROOT, SVG, needs_dot

from autograd.primitive import functions
from autograd.viz import ExpressionError, cli, main, parse_expression

QUADRATIC = ["3*x**2 + 2", "--at", "x=2"]


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """main(argv) in this process: (status, stdout, stderr); argparse's exits count as statuses."""
    try:
        status = main(argv)
    except SystemExit as done:
        status = int(done.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line_error(status: int, out: str, err: str, *words: str) -> None:
    assert status == 2, (status, err)
    assert err.count("\n") == 1 and err.startswith("python -m autograd.viz: error: "), err
    assert "Traceback" not in err and out == "", (out, err)
    for word in words:
        assert word in err, (word, err)


# --- expressions ------------------------------------------------------------------------------


def test_parse_expression_builds_the_graph() -> None:
    out = parse_expression("3*x**2 + 2", {"x": 2.0})
    assert out.data == 14.0
    out = parse_expression("tanh(x*y) - -exp(1) / 2", {"x": 0.5, "y": -1.0})
    assert math.isclose(out.data, math.tanh(-0.5) + math.e / 2)


@needs_dot
def test_cli_writes_the_picture_and_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg, page = tmp_path / "graph.svg", tmp_path / "steps.html"
    assert main(["3*x**2 + 2", "--at", "x=2", "--out", str(svg), "--steps", str(page)]) == 0
    assert capsys.readouterr().out.splitlines() == ["L = 14", "dL/dx = 12"]
    texts = {t.text for t in ET.parse(svg).iter(f"{SVG}text")}
    assert "grad 12.0000" in texts
    assert "dL/dx = 12" in page.read_text(encoding="utf-8")


@needs_dot
def test_cli_with_a_bare_variable_keeps_its_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x", "--at", "x=2", "--out", str(tmp_path / "x.svg")]) == 0
    assert capsys.readouterr().out.splitlines() == ["x = 2", "dx/dx = 1"]


def test_cli_prints_the_source_without_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x*y + 1", "--at", "x=2", "y=3", "--no-backward"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph") and "grad not computed" in out and out.rstrip().endswith("L = 7")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["3*x**2 +", "--at", "x=2"], "syntax error"),
        (["3*y", "--at", "x=2"], "unknown name 'y'"),
        (["__import__('os').system('echo pwned')", "--at", "x=2"], "unknown function"),
        (["x.__class__", "--at", "x=2"], "not allowed"),
        (["[x for x in ()]", "--at", "x=2"], "not allowed"),
        (["x if x else 1", "--at", "x=2"], "not allowed"),
        (["log(x)", "--at", "x=-1"], "log: input must be positive"),
        (["x / 0", "--at", "x=1"], "div"),
        (["exp + x", "--at", "x=1"], "exp is a function"),
        (["tanh(x, x)", "--at", "x=1"], "exactly one argument"),
        (["'a'", "--at", "x=1"], "only numbers"),
        (["2 ** 3", "--at", "x=1"], "no variables"),
        (["x", "--at", "x=1", "--out", "graph.jpg"], "svg, png, pdf"),
        (["x" + "+x" * 3000, "--at", "x=1"], "nested too deeply"),
        (["(" * 300 + "x" + ")" * 300, "--at", "x=1"], "syntax error"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "pwned" not in captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_cli_bad_assignment_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["x", "--at", "x=two"])
    assert info.value.code == 2
    assert "'two' is not a number" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "autograd.viz", "3*x**2 + 2", "--at", "x=2", "--out", str(tmp_path / "g.gv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert "dL/dx = 12" in ok.stdout and "grad 12.0000" in (tmp_path / "g.gv").read_text(encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "autograd.viz", "3*y", "--at", "x=2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


# --- output paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--out", "--steps"])
def test_output_path_problems_are_one_line_before_any_work(
    flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    (tmp_path / "a_folder.svg").mkdir()
    suffix = ".svg" if flag == "--out" else ".html"
    cases = {
        str(tmp_path / "missing" / f"g{suffix}"): "does not exist",
        str(tmp_path / "a_folder.svg"): "it is a folder",
        str(a_file / f"g{suffix}"): "is not a folder",
        "": "path is empty",
        str(tmp_path / f"a\0b{suffix}"): "NUL",
    }
    for path, why in cases.items():
        status, out, err = run_cli([*QUADRATIC, flag, path], capsys)
        assert_one_line_error(status, out, err, flag, why)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "a_folder.svg"]  # nothing written


@pytest.mark.parametrize("flag, path", [("--out", "g.gv"), ("--out", "g.svg"), ("--steps", "s.html")])
def test_an_unwritable_output_is_one_line(
    flag: str, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not path.endswith(".gv") and shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")

    def refuse(self: Path, data: bytes) -> int:  # as a read-only folder does, even for root
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    status, out, err = run_cli([*QUADRATIC, flag, str(tmp_path / path)], capsys)
    assert_one_line_error(status, out, err, "cannot write", path, "Permission denied")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        status, out, err = run_cli([*QUADRATIC, "--out", str(locked / "g.gv")], capsys)
    finally:
        locked.chmod(0o700)
    assert_one_line_error(status, out, err, "--out", "Permission denied")


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


def test_from_the_shell_a_bad_path_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "autograd.viz", *QUADRATIC, "--out", str(tmp_path / "no" / "g.svg")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"python -m autograd.viz: error: --out: cannot write {str(tmp_path / 'no' / 'g.svg')!r}: "
        f"the folder {str(tmp_path / 'no')!r} does not exist"
    ]


# --- numbers and hostile expressions ----------------------------------------------------------


@pytest.mark.parametrize(
    "argv, printed",
    [
        (["x**x**x**9999", "--at", "x=2"], ["L = inf", "dL/dx = inf"]),
        (["exp(exp(exp(x)))", "--at", "x=100"], ["L = inf", "dL/dx = inf"]),
        (["10**400 * x", "--at", "x=1"], ["L = inf", "dL/dx = inf"]),  # as Values: inf, not OverflowError
        (["9**9**9 * x", "--at", "x=1"], ["L = inf", "dL/dx = inf"]),
        (["x - x", "--at", "x=inf"], ["L = nan", "dL/dx = 0"]),
        (["x * 1e-320", "--at", "x=1"], ["L = 1e-320", "dL/dx = 1e-320"]),
    ],
)
def test_overflowing_numbers_are_reported_as_numbers(
    argv: list[str], printed: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_cli([*argv, "--out", str(tmp_path / "g.gv")], capsys)
    assert (status, err) == (0, "")
    assert out.splitlines() == printed


def test_number_errors_are_the_engines_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, words in [
        (["1/0 * x", "--at", "x=1"], ["div", "division by zero"]),  # two numbers, as x/0 is said
        (["log(0) + x", "--at", "x=1"], ["log"]),
        (["(-8)**(1/3) * x", "--at", "x=1"], ["pow", "not a real number"]),
    ]:
        assert_one_line_error(*run_cli(argv, capsys), *words)


@needs_dot
def test_infinite_values_are_drawn_and_stepped_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, svg = tmp_path / "s.html", tmp_path / "g.svg"
    status, out, err = run_cli(
        ["exp(exp(exp(x)))", "--at", "x=100", "--out", str(svg), "--steps", str(page)], capsys
    )
    assert (status, err) == (0, "") and "dL/dx = inf" in out
    assert "inf" in svg.read_text(encoding="utf-8") and "dL/dx = inf" in page.read_text(encoding="utf-8")


def test_the_formula_of_a_product_with_a_subnormal_number_does_not_crash_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # graph._product writes k·y as y/(1/k) when 1/k is whole: for k = 1e-320, 1/k overflows.
    status, out, err = run_cli(["(x + 1) * 1e-320", "--at", "x=1", "--out", str(tmp_path / "g.gv")], capsys)
    assert status in (0, 2) and "Traceback" not in err
    if status == 2:
        assert_one_line_error(status, out, err, "cannot draw the graph")


HOSTILE = [
    "x\0",
    "\0",
    "\udcff",  # what undecodable bytes in argv become
    "x\u200b*2",
    "\ufeffx",
    "x*２",
    "x*2\n+1",
    "",
    "   ",
    "(" * 300 + "x" + ")" * 300,
    "tanh(" * 200 + "x" + ")" * 200,
    "x" + "+x" * 3000,
    "x" + "**x" * 2000,
    "-" * 5000 + "x",
    "x" * 20_000,
    "[" * 300 + "x" + "]" * 300,
    "__import__('os').system('echo pwned')",
    "x.__class__.__bases__",
    "(lambda: x)()",
    "f'{x}'",
    "1j * x",
    "x if x else x",
    "exp(x)(x)",
    "exp(*x)",
    "exp(x=x)",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_expressions_give_a_number_or_a_one_line_error(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    start = time.perf_counter()
    status, out, err = run_cli([text, "--at", "x=1"], capsys)
    assert time.perf_counter() - start < 2
    if status:
        assert_one_line_error(status, out, err)
    else:
        assert err == "" and out.splitlines()[-1].startswith("dL/dx = ")
    assert "pwned" not in out + err


def test_an_expression_starting_with_minus_says_how_to_write_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line_error(*run_cli(["-x", "--at", "x=2"], capsys), "'--'")
    status, out, err = run_cli(["--at", "x=2", "--", "-x**2"], capsys)
    assert (status, err) == (0, "") and out.splitlines()[-2:] == ["L = -4", "dL/dx = -4"]


def test_every_listed_function_gives_a_number_or_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    for name in functions():
        for value in ("0.5", "-1", "0", "1e308", "nan"):
            status, out, err = run_cli([f"{name}(x) + {name}(2)", "--at", f"x={value}"], capsys)
            if status:
                assert_one_line_error(status, out, err)
            else:
                assert err == "" and out.splitlines()[-1].startswith("dL/dx = ")


def random_expression(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.2:
        return rng.choice(["x", "y", "x", "0", "2", "0.5", "9999", "1e308", "1e-320", "1e999", "710"])
    r = rng.random()
    if r < 0.4:
        return f"{rng.choice(sorted(functions()))}({random_expression(rng, depth - 1)})"
    if r < 0.5:
        return f"-({random_expression(rng, depth - 1)})"
    op = rng.choice(["+", "-", "*", "/", "**"])
    return f"({random_expression(rng, depth - 1)}) {op} ({random_expression(rng, depth - 1)})"


def test_random_expressions_at_extreme_values_never_raise(capsys: pytest.CaptureFixture[str]) -> None:
    # A small, seeded version of the fuzzing this command line went through (tens of thousands).
    rng = random.Random(0)
    values = ["0", "-0", "1", "-1", "1e308", "-1e308", "1e-320", "inf", "-inf", "nan", "710"]
    for _ in range(120):
        text = f"x * ({random_expression(rng, rng.randint(1, 5))})"
        status, out, err = run_cli(
            [text, "--at", f"x={rng.choice(values)}", f"y={rng.choice(values)}"], capsys
        )
        if status:
            assert_one_line_error(status, out, err)
        else:
            assert err == "" and "\ndL/dx = " in out


def test_a_step_page_of_a_big_expression_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "x" + "*x" * cli.MAX_PAGE_NODES
    status, out, err = run_cli([text, "--at", "x=1", "--steps", str(tmp_path / "s.html")], capsys)
    assert_one_line_error(status, out, err, "--steps", f"at most {cli.MAX_PAGE_NODES}")
    assert not (tmp_path / "s.html").exists()


@needs_dot
@pytest.mark.parametrize("flag, path, products", [("--out", "g.svg", 100), ("--steps", "s.html", 45)])
def test_dot_is_stopped_past_the_time_limit(
    flag: str,
    path: str,
    products: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A chain of products of x takes dot seconds to minutes (every product uses x: long edges
    # across all the ranks); it is stopped at the limit.
    monkeypatch.setattr(cli, "DOT_SECONDS", 0.05)
    start = time.perf_counter()
    status, out, err = run_cli(["x" + "*x" * products, "--at", "x=1", flag, str(tmp_path / path)], capsys)
    assert time.perf_counter() - start < 3
    assert_one_line_error(status, out, err, flag, "took over 0.05 s")
    assert not (tmp_path / path).exists()


# --- names that NFKC changes ------------------------------------------------------------------


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

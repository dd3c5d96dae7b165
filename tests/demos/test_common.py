"""demos/_common.py, what every demo shares: its command line and ``run()`` refuse a bad ``--out``
(its demo's subfolder a file, or not writable) and every numeric option outside its ``LIMITS``, in
one line and before any training; the smallest valid options make a whole run; the limits keep the
numbers finite; long runs show their progress (a bar on a terminal, quiet in tests and logs)."""

from __future__ import annotations

import argparse
import errno
import importlib
import inspect
import io
import math
import os
import pkgutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import demos
import demos.__main__ as runner
from demos import _common, backprop_by_hand, linear_regression, microgpt
from demos._common import Limits, OutFolderError, Progress, check_writable, demo_parser


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


# --- options ------------------------------------------------------------------------------------

# --- every numeric option has limits ----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]

DEMOS = sorted(m.name for m in pkgutil.iter_modules(demos.__path__) if not m.name.startswith("_"))

HOSTILE = [
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "1e300",
    "-1e300",
    "9" * 30,
    "-" + "9" * 30,
    "9" * 5000,
    "",
    "x",
]


def module_of(name: str) -> ModuleType:
    return importlib.import_module(f"demos.{name}")


def parser_of(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> argparse.ArgumentParser:
    """The demo's command-line parser, built by its own ``main`` but not run."""
    monkeypatch.setattr(module, "demo_main", lambda run, doc, argv, add: demo_parser(run, doc, add))
    return module.main([])


def numeric_options(parser: argparse.ArgumentParser) -> dict[str, str]:
    """dest -> flag of the options that parse a number (--out is a folder; --optimizer a choice)."""
    return {
        a.dest: a.option_strings[-1]
        for a in parser._actions
        if a.type is not None and a.dest != "out" and a.choices is None
    }


class Stub:
    """Stands in for a demo's ``run``: records its options, trains nothing."""

    def __init__(self, module: ModuleType) -> None:
        self.calls: list[dict[str, Any]] = []
        self.__module__ = module.__name__  # the command line names the demo from it
        self.__signature__ = inspect.signature(module.run)  # and takes its defaults from run's

    def __call__(self, **options: Any) -> dict[str, Any]:
        self.calls.append(options)
        return {}


@pytest.mark.parametrize("name", DEMOS)
def test_every_numeric_option_has_limits_shared_by_the_command_line_and_run(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = module_of(name)
    options = numeric_options(parser_of(module, monkeypatch))
    assert options, f"{name} has no numeric options?"
    limits = getattr(module, "LIMITS", None)
    assert limits is not None, f"demos.{name} has no LIMITS table"
    assert set(options) == set(limits), f"{name}: options {sorted(options)} vs LIMITS {sorted(limits)}"
    for action in parser_of(module, monkeypatch)._actions:
        if action.dest in limits:
            assert action.type == limits[action.dest].parse, f"{name} {action.dest}"
            assert limits[action.dest].ok(action.default), f"{name}: the default {action.dest} is refused"


@pytest.mark.parametrize("name", DEMOS)
def test_hostile_values_are_refused_in_one_line_before_running(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = module_of(name)
    options = numeric_options(parser_of(module, monkeypatch))
    monkeypatch.undo()
    stub = Stub(module)
    monkeypatch.setattr(module, "run", stub)
    for dest, flag in options.items():
        limits: Limits = module.LIMITS[dest]
        if limits.kind is int:
            too_big, too_small = str(int(limits.high) + 1), str(int(limits.low) - 1)
        else:
            too_big, too_small = repr(limits.high * 1.01 + 1), repr(limits.low - abs(limits.low) * 0.01 - 1)
        bad = [*HOSTILE, too_big, too_small] + (["1.5", "1e3"] if limits.kind is int else [])
        if limits.above:
            bad.append(f"{limits.low:g}")
        for value in bad:
            with pytest.raises(SystemExit) as info:
                module.main(["--out", str(tmp_path), "--quiet", f"{flag}={value}"])
            err = capsys.readouterr().err
            shown = f"{flag}={value[:20]}"
            assert info.value.code == 2, shown
            assert err.count("\n") == 1 and "Traceback" not in err, (shown, err)
            assert err.startswith(f"python -m demos.{name}: error: argument {flag}: must be "), (shown, err)
    assert stub.calls == []  # nothing ran
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("name", DEMOS)
def test_the_ends_of_each_range_are_accepted(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = module_of(name)
    stub = Stub(module)
    monkeypatch.setattr(module, "run", stub)
    for dest, limits in module.LIMITS.items():
        flag = "--" + dest.replace("_", "-")
        ends = [limits.high] if limits.above else [limits.low, limits.high]
        for end in ends:
            text = str(int(end)) if limits.kind is int else repr(float(end))
            module.main(["--out", str(tmp_path), "--quiet", f"{flag}={text}"])
            assert stub.calls[-1][dest] == end and type(stub.calls[-1][dest]) is limits.kind
    capsys.readouterr()


@pytest.mark.parametrize("name", DEMOS)
def test_run_refuses_the_same_values_naming_the_option(name: str) -> None:
    module = module_of(name)
    for dest, limits in module.LIMITS.items():
        wrong_kind: list[Any] = ["1", None, True, [1]] + ([2.5, 1e3] if limits.kind is int else [])
        wrong_value: list[Any] = [10**400, -(10**400)]
        wrong_value += [int(limits.high) + 1] if limits.kind is int else [math.nan, math.inf, -math.inf]
        wrong_value += [limits.high * 1.5 + 1]
        for value in wrong_kind + wrong_value:
            expected = TypeError if any(value is w for w in wrong_kind) else ValueError
            if expected is ValueError and limits.kind is int and isinstance(value, float):
                expected = TypeError  # a count must be an int, whatever its size
            with pytest.raises(expected, match=rf"^{name}: {dest} must be ") as info:
                module.run(**{dest: value})  # refused before anything is computed
            assert len(str(info.value)) < 200, str(info.value)  # 10**400 is not printed digit by digit


@pytest.mark.parametrize("name", DEMOS)
def test_an_empty_out_is_refused(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = module_of(name)
    monkeypatch.chdir(tmp_path)  # where an empty path would have written
    monkeypatch.setattr(module, "run", Stub(module))
    with pytest.raises(SystemExit) as info:
        module.main(["--out", ""])
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and "argument --out: must be a folder" in err
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=rf"^{name}: out is empty"):
        module.run(out="")
    with pytest.raises(TypeError, match=rf"^{name}: out must be a folder path"):
        module.run(out=3)
    assert not any(tmp_path.iterdir())


def test_a_bad_option_from_the_shell_is_one_line_and_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "demos.perceptron_diabetes", "--m0", "nan"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "python -m demos.perceptron_diabetes: error: argument --m0: must be a finite number "
        "from -1e+06 to 1e+06, got 'nan'"
    ]


def test_bad_option_gets_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    from demos import perceptron_diabetes

    with pytest.raises(SystemExit) as exit_info:
        perceptron_diabetes.main(["--epochs", "many"])
    assert exit_info.value.code == 2 and "--epochs" in capsys.readouterr().err


# Each demo's count and rate options at and just past their limits: a bad value gets argparse's
# error (exit 2, the option named), not a traceback from deep inside the run.

INVALID_OPTIONS = [
    ("softmax_classifier", "--iterations", "0"),
    ("softmax_classifier", "--batch-size", "0"),
    ("softmax_classifier", "--lr", "0"),
    ("softmax_classifier", "--seed", "-1"),
    ("moons_mlp", "--steps", "0"),
    ("moons_mlp", "--steps", "-3"),
    ("moons_mlp", "--alpha", "-1e-4"),
    ("moons_mlp", "--data-seed", "-1"),
    ("single_neuron", "--every", "0"),
    ("single_neuron", "--iterations", "0"),
    ("single_neuron", "--alpha", "nan"),
    ("linear_regression", "--iterations", "0"),
    ("linear_regression", "--lr", "-0.9"),
    ("perceptron_diabetes", "--epochs", "0"),
    ("perceptron_diabetes", "--lr", "0"),
    ("polynomial_regression", "--samples", "6"),  # the order-6 least-squares fit needs 7
    ("polynomial_regression", "--hidden", "0"),
    ("polynomial_regression", "--steps", "0"),
    ("polynomial_regression", "--steps", "1.5"),
    ("polynomial_regression", "--lr", "inf"),
    ("polynomial_regression", "--noise-std", "-1"),
]


@pytest.mark.parametrize(("name", "option", "value"), INVALID_OPTIONS)
def test_invalid_option_value_gets_argparse_error(
    name: str, option: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = importlib.import_module(f"demos.{name}")
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--out", str(tmp_path), "--quiet", f"{option}={value}"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert f"error: argument {option}: must be" in err and "Traceback" not in err
    assert not (tmp_path / name).exists()  # refused before any training


# --- the limits keep runs whole and finite ----------------------------------------------------


# The limits are not too loose: at their ends the numbers stay finite, with no overflow warning.

EXTREMES = [
    ("backprop_by_hand", {"x": -1e6}),
    ("linear_regression", {"lr": 1.0, "iterations": 300, "seed": 2**31 - 1}),
    ("perceptron_diabetes", {"lr": 0.009, "epochs": 300, "m0": 1e6, "b0": -1e6}),
    ("single_neuron", {"alpha": 10.0, "iterations": 300, "every": 1_000_000}),
    ("softmax_classifier", {"lr": 10.0, "iterations": 100, "batch_size": 1000}),
    ("polynomial_regression", {"lr": 1.0, "steps": 30, "noise_std": 1000.0, "hidden": 1024, "samples": 7}),
    ("moons_mlp", {"alpha": 1.0, "steps": 2}),
    ("microgpt", {"temperature": 100.0, "steps": 1, "samples": 2}),
]


@pytest.mark.parametrize(("name", "options"), EXTREMES)
def test_the_limits_keep_the_numbers_finite(name: str, options: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's overflow RuntimeWarning fails the test
        result = module_of(name).run(**options)
    numbers = [v for value in result.values() for v in (value if isinstance(value, list) else [value])]
    assert all(math.isfinite(v) for v in numbers if isinstance(v, float)), result


def test_the_learning_rate_limits_are_where_gradient_descent_stops_converging() -> None:
    linear_regression, perceptron_diabetes = module_of("linear_regression"), module_of("perceptron_diabetes")
    # Full-batch descent on a mean squared error converges iff lr < 2 / (its largest curvature).
    x, _ = perceptron_diabetes.load_data()
    curvature = 2 * np.linalg.eigvalsh([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]).max()
    assert perceptron_diabetes.LIMITS["lr"].high < 2 / curvature < 0.01
    for seed in (0, 13, 2**31 - 1):  # y = w·x on x ~ U(0, 1): the curvature 2·mean(x²) is below 2
        x, _ = linear_regression.make_data(np.random.RandomState(seed))
        assert linear_regression.LIMITS["lr"].high < 2 / (2 * np.mean(x * x))


# --- progress -----------------------------------------------------------------------------------


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_bar_shows_the_run_and_its_numbers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm", reason="tqdm is not installed (the demos extra has it)")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    progress = Progress("demo", total=400, every=200, verbose=True)
    for step in range(400):
        progress.update(step, loss=1.0 / (step + 1))
    bar = terminal.getvalue()
    assert "demo" in bar and "400/400" in bar and "loss 0.0025" in bar  # the bar, with the last loss
    assert capsys.readouterr().out.splitlines() == [
        "[demo] step 200/400  loss 0.005",
        "[demo] step 400/400  loss 0.0025",
    ]


@pytest.mark.parametrize("where", ["a test", "a log", "quiet"])
def test_without_a_terminal_in_tests_or_quiet_there_is_no_bar(
    where: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if where != "a test":
        monkeypatch.delenv("PYTEST_CURRENT_TEST")
    terminal = Terminal()
    if where != "a log":
        monkeypatch.setattr(sys, "stderr", terminal)
    progress = Progress("demo", total=4, every=2, verbose=where != "quiet")
    assert progress.bar is None
    for step in range(4):
        progress.update(step, loss=1.0)
    captured = capsys.readouterr()
    assert captured.out.splitlines() == (
        [] if where == "quiet" else ["[demo] step 2/4  loss 1", "[demo] step 4/4  loss 1"]
    )
    assert terminal.getvalue() == "" and captured.err == ""

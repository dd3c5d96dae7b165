"""Every numeric option of every demo (each module in demos/) is bounded: the command line refuses
a bad value with one line (exit 2) before any training, and ``run()`` refuses the same value from
Python, naming it.

Nothing here trains for more than a few steps: where a value would be accepted, the demo's ``run``
is replaced by a stub that records what it was given.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import math
import pkgutil
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import demos
import demos.__main__ as runner
from demos._common import Limits, demo_parser

ROOT = Path(__file__).resolve().parents[1]
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


def test_the_runner_refuses_an_empty_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in (["--out", ""], ["linear_regression", "--out="], ["--out", "a\0b"]):
        with pytest.raises(SystemExit) as info:
            runner.main(argv)
        err = capsys.readouterr().err
        assert info.value.code == 2 and err.count("\n") == 1, (argv, err)
        assert err.startswith("python -m demos: error: argument --out: must be a folder"), err
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

"""``python -m demos`` (demos/__main__.py): it lists the demos, refuses bad input, runs them and builds a
gallery that links every picture; the graph pictures show their own graph's gradients, and the demos
are deterministic. ``python -m demos.<name>``: each demo runs whole at its smallest valid options."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import demos.__main__ as runner
from demos import NAMES
from demos.__main__ import gallery, main


def test_list_names_every_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "demos", "--list"], capture_output=True, text=True, check=True
    )
    assert [line.split()[0] for line in done.stdout.splitlines()] == list(NAMES)


def test_unknown_name_lists_the_valid_ones_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no_such_demo"]) == 2
    err = capsys.readouterr().err
    assert "no_such_demo" in err and all(name in err for name in NAMES)


def test_unwritable_out_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert main(["linear_regression", "--out", str(blocker / "sub")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error:") and "a_file" in err


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


def test_gallery_links_every_picture(runs: Any) -> None:
    rows = []
    for name in NAMES:
        module = importlib.import_module(f"demos.{name}")
        rows.append((name, module.summary(runs[name]), module.PUBLISHED, "-"))
    page = gallery(runs.out, rows).read_text(encoding="utf-8")
    pictures = [p for p in runs.out.rglob("*") if p.is_file() and p.name != "index.html"]
    # Every demo drew something (backprop_by_hand draws only graphs, which need Graphviz's dot).
    drew = set(NAMES) if shutil.which("dot") else set(NAMES) - {"backprop_by_hand"}
    assert {p.parent.name for p in pictures} == drew
    links = set(re.findall(r'href="([^"]+)"', page))
    for picture in pictures:
        assert picture.relative_to(runs.out).as_posix() in links, f"{picture} is not in the gallery"
    for link in links:
        if link.startswith("#"):  # the table of contents
            assert f'<section id="{link[1:]}">' in page
        else:
            assert (runs.out / link).is_file(), f"the gallery links a missing {link}"
    assert {f"#{name}" for name in NAMES} <= links


def test_graph_pictures_show_this_graphs_gradients_not_training_leftovers(runs: Any) -> None:
    # The softmax picture's backward() once followed training without zeroing: each parameter's
    # pictured grad was the last training step's plus the pictured batch's.
    for name in NAMES:
        runs[name]
    assert runs.graphs_checked.keys() >= {"backprop_by_hand", "softmax_classifier"}
    assert {name: stale for name, stale in runs.stale_grads.items() if stale} == {}


def test_demos_are_deterministic() -> None:
    from demos import single_neuron, softmax_classifier

    assert single_neuron.run(iterations=500) == single_neuron.run(iterations=500)
    assert softmax_classifier.run(iterations=300, seed=3) == softmax_classifier.run(iterations=300, seed=3)


def test_without_graphviz_the_demo_warns_and_goes_on(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path / "no-bin"), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-m", "demos", "backprop_by_hand", "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert "warning: the graph and the step page not drawn" in done.stderr
    assert "| backprop_by_hand" in done.stdout and not (tmp_path / "backprop_by_hand" / "graph.png").exists()


# --- one demo's own command line: python -m demos.<name> -------------------------------------

# The smallest valid values: a whole run with every picture and a summary line.
SMALL_VALID_OPTIONS = [
    ("softmax_classifier", ["--iterations", "50"]),  # shorter than the loss plot's running mean
    ("softmax_classifier", ["--iterations", "1", "--batch-size", "1"]),
    ("moons_mlp", ["--steps", "1", "--alpha", "0"]),
    ("single_neuron", ["--iterations", "1", "--every", "1"]),
    ("single_neuron", ["--iterations", "5", "--every", "100"]),
    ("linear_regression", ["--iterations", "1"]),
    ("perceptron_diabetes", ["--epochs", "1"]),
    ("polynomial_regression", ["--samples", "7", "--hidden", "1", "--steps", "1", "--noise-std", "0"]),
    ("makemore_mlp", ["--steps", "1", "--samples", "0"]),
    ("microgpt", ["--steps", "1", "--samples", "0"]),
]


@pytest.mark.parametrize(("name", "options"), SMALL_VALID_OPTIONS)
def test_smallest_valid_options_make_a_whole_run(
    name: str, options: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = importlib.import_module(f"demos.{name}")
    invisible: list[str] = []

    def save_figure(fig: Any, folder: Path, filename: str) -> Path:
        # A line through one point, or a running mean as long as the run, is drawn as nothing.
        for ax in fig.axes:
            for line in ax.get_lines():
                if len(line.get_xdata()) < 2 and line.get_marker() in ("", "None", None):
                    invisible.append(f"{filename}: {line.get_label()}")
        return real_save_figure(fig, folder, filename)

    real_save_figure = module.save_figure
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "save_figure", save_figure)
        result = module.main(["--out", str(tmp_path), "--quiet", *options])
    assert "done in" in capsys.readouterr().out
    assert invisible == []
    assert module.summary(result)  # the line python -m demos would print
    for picture in module.PICTURES:
        if "graph" in picture and shutil.which("dot") is None:
            continue  # graph pictures need Graphviz's dot; the demo warns and goes on without them
        assert (tmp_path / name / picture).is_file(), f"{name} {options} drew no {picture}"


def test_a_demo_runs_alone_from_its_own_command_line(tmp_path: Path) -> None:
    from demos import linear_regression

    result = linear_regression.main(["--out", str(tmp_path), "--iterations", "3", "--quiet"])
    assert (tmp_path / "linear_regression" / "fit.png").is_file()
    assert 0 < result["w"] < 4

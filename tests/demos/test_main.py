"""The demos reproduce their tutorials' figures; the runner lists, refuses bad input, and builds a gallery.

Every demo runs once per session (small options where the full run is slow) into one folder, which
the gallery test then checks.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, grad
from autograd.engine import toposort
from demos import NAMES
from demos.__main__ import gallery, main

# Options that keep each demo to a few seconds while still reaching the figure under test.
SMALL: dict[str, dict[str, Any]] = {
    "backprop_by_hand": {},
    "linear_regression": {},
    "perceptron_diabetes": {},  # the published m, b are after exactly 10,000 epochs (about 3 s)
    "single_neuron": {"iterations": 3000},
    "softmax_classifier": {},
    "polynomial_regression": {"steps": 1500},
    "moons_mlp": {"steps": 60},
    "makemore_mlp": {"steps": 400, "samples": 5},
    "microgpt": {"steps": 6, "samples": 3},
}


class Runs:
    """Each demo's ``run()`` result, computed on first use, pictures under one shared folder.

    While a demo runs, its ``draw_graph`` is watched: for each graph drawn with gradients, the
    ``.grad`` of every leaf that will be pictured is compared with a fresh ``grad()`` of the drawn
    output, and any difference (a gradient left over from training) is kept in ``stale_grads``.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.results: dict[str, dict[str, Any]] = {}
        self.stale_grads: dict[str, list[str]] = {}
        self.graphs_checked: dict[str, int] = {}

    def __getitem__(self, name: str) -> dict[str, Any]:
        if name not in self.results:
            module = importlib.import_module(f"demos.{name}")
            with pytest.MonkeyPatch.context() as patch:
                if hasattr(module, "draw_graph"):
                    patch.setattr(module, "draw_graph", self._watched(name, module.draw_graph))
                self.results[name] = module.run(out=str(self.out), **SMALL[name])
        return self.results[name]

    def _watched(self, name: str, draw_graph: Any) -> Any:
        def draw(root: Any, **options: Any) -> Any:
            if options.get("show_grad") is not False:
                self.graphs_checked[name] = self.graphs_checked.get(name, 0) + 1
                self.stale_grads.setdefault(name, []).extend(stale_leaf_grads(root))
            return draw_graph(root, **options)

        return draw


def stale_leaf_grads(root: Any) -> list[str]:
    """The leaves below ``root`` whose ``.grad`` is not d(root)/d(leaf) computed afresh."""
    leaves = [
        node
        for node in toposort([root])
        if not node._prev and (isinstance(node, Value) or node.requires_grad)
    ]
    fresh = grad(root, leaves)
    stale = []
    for leaf, expected in zip(leaves, fresh):
        shown = leaf.grad
        if shown is None or not np.allclose(shown, expected.data, rtol=1e-12, atol=1e-12):
            stale.append(f"{leaf.label or type(leaf).__name__}: shown {shown}, fresh {expected.data}")
    return stale


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory.mktemp("demos"))


def test_backprop_by_hand(runs: Runs) -> None:
    result = runs["backprop_by_hand"]
    assert (result["x"], result["L"], result["dL_dx"]) == (2.0, 14.0, 12.0)  # L = 3x²+2, dL/dx = 6x


def test_linear_regression(runs: Runs) -> None:
    result = runs["linear_regression"]
    assert abs(result["w"] - 2) < 0.2
    # With the tutorial's seed, its printed table: w(4) = 2.0426, loss 0.0424.
    assert round(result["w4"], 4) == 2.0426 and round(result["loss4"], 4) == 0.0424


def test_perceptron_diabetes_matches_the_tutorial_to_4_decimals(runs: Runs) -> None:
    result = runs["perceptron_diabetes"]
    assert round(result["m_closed_form"], 4) == 11.2137
    assert round(result["b_closed_form"], 4) == 25.2528
    assert round(result["m"], 4) == 11.2349
    assert round(result["b"], 4) == 25.0117


def test_single_neuron_training_error_falls(runs: Runs) -> None:
    errors = runs["single_neuron"]["errors"]
    assert len(errors) == 30  # every 100 of 3000 iterations
    # Per-sample SGD makes the curve jumpy: compare the last 10 points' mean with the start.
    assert sum(errors[-10:]) / 10 < 0.75 * errors[0]


def test_softmax_classifier_is_perfect(runs: Runs) -> None:
    result = runs["softmax_classifier"]
    assert (result["val_accuracy"], result["test_accuracy"]) == (100.0, 100.0)


def test_polynomial_regression_fits_down_to_the_noise(runs: Runs) -> None:
    result = runs["polynomial_regression"]
    assert result["noise_std"] == 1.0
    assert result["train_mse"] < 2 * result["noise_std"] ** 2
    assert result["baseline_train_mse"] < 2 * result["noise_std"] ** 2


def test_moons_mlp_separates_the_moons(runs: Runs) -> None:
    assert runs["moons_mlp"]["accuracy"] >= 0.95


def test_makemore_mlp_learns_from_a_uniform_guess(runs: Runs) -> None:
    result = runs["makemore_mlp"]
    assert abs(result["losses"][0] - np.log(27)) < 0.1  # the last layer scaled down: near uniform
    assert result["train_loss"] < 2.8 and result["dev_loss"] < 2.8  # 400 steps; the full run 2.1
    assert len(result["samples"]) == 5 and all(re.fullmatch("[a-z]*", name) for name in result["samples"])


def test_makemore_data_is_the_lectures_split() -> None:
    from demos import makemore_mlp as demo

    names = demo.load_names()
    chars = demo.alphabet(names)
    data = demo.splits(names, {c: i for i, c in enumerate(chars)})
    assert len(names) == 32033 and len(chars) == 27 and chars[0] == "."
    assert {k: len(v[0]) for k, v in data.items()} == {"train": 182625, "dev": 22655, "test": 22866}
    X, Y = demo.examples(["emma"], {c: i for i, c in enumerate(chars)})
    assert X.tolist() == [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]]
    assert Y.tolist() == [5, 13, 13, 1, 0]


def test_microgpt_two_engines_agree_step_for_step(runs: Runs) -> None:
    result = runs["microgpt"]
    assert len(result["value_losses"]) == len(result["tensor_losses"]) == 6
    assert result["max_difference"] <= 1e-9
    assert abs(result["value_losses"][0] - np.log(27)) < 0.3
    assert result["value_ms_per_step"] > 0 and result["tensor_ms_per_step"] > 0
    assert len(result["samples"]) == 3


def test_graph_pictures_show_this_graphs_gradients_not_training_leftovers(runs: Runs) -> None:
    # The softmax picture's backward() once followed training without zeroing: each parameter's
    # pictured grad was the last training step's plus the pictured batch's.
    for name in NAMES:
        runs[name]
    assert runs.graphs_checked.keys() >= {"backprop_by_hand", "softmax_classifier"}
    assert {name: stale for name, stale in runs.stale_grads.items() if stale} == {}


def test_softmax_picture_loss_zeroes_the_gradients_first() -> None:
    from demos import softmax_classifier as demo

    model = nn.Linear(4, 2, rng=0)
    x, y = demo.X[demo.TRAIN], demo.Y[demo.TRAIN]
    leftover = nn.functional.cross_entropy(model(Tensor(x[4:])), y[4:], reduction="sum")
    leftover.backward()  # as after a training step
    loss = demo.picture_loss(model, x[:4], y[:4])
    fresh = grad(loss, [model.weight, model.bias])
    assert np.allclose(model.weight.grad, fresh[0].data) and np.allclose(model.bias.grad, fresh[1].data)


def test_softmax_picture_shows_only_named_inputs() -> None:
    # cross_entropy once multiplied by a one-hot mask (and a -1), drawn as unnamed inputs.
    from demos import softmax_classifier as demo

    model = nn.Linear(4, 2, rng=0)
    loss = demo.picture_loss(model, demo.X[demo.TRAIN][:4], demo.Y[demo.TRAIN][:4])
    named = {id(p): name for name, p in model.named_parameters()}
    leaves = [node for node in toposort([loss]) if not node._prev]
    assert sorted(named.get(id(leaf), leaf.label) for leaf in leaves) == ["batch", "bias", "weight"]
    assert loss.label == "loss" and "logits" in {node.label for node in toposort([loss])}


def test_gallery_links_every_picture(runs: Runs) -> None:
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


def test_a_demo_runs_alone_from_its_own_command_line(tmp_path: Path) -> None:
    from demos import linear_regression

    result = linear_regression.main(["--out", str(tmp_path), "--iterations", "3", "--quiet"])
    assert (tmp_path / "linear_regression" / "fit.png").is_file()
    assert 0 < result["w"] < 4


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


def test_demos_are_deterministic() -> None:
    from demos import single_neuron, softmax_classifier

    assert single_neuron.run(iterations=500) == single_neuron.run(iterations=500)
    assert softmax_classifier.run(iterations=300, seed=3) == softmax_classifier.run(iterations=300, seed=3)


def test_without_graphviz_the_demo_warns_and_goes_on(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path / "no-bin"), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "demos", "backprop_by_hand", "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert "warning: the graph and the step page not drawn" in done.stderr
    assert "| backprop_by_hand" in done.stdout and not (tmp_path / "backprop_by_hand" / "graph.png").exists()

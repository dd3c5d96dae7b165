"""micrograd's demo: a 2-16-16-1 MLP on scalar Values separates the two moons.

Karpathy's micrograd notebook makes 100 two-moons points (scikit-learn, noise 0.1) with labels -1
and +1, trains ``MLP(2, [16, 16, 1])`` (ReLU hidden layers, linear output) on the max-margin loss
mean(relu(1 - y·score)) plus 1e-4·Σp² for 100 full-batch steps of SGD at learning rate
1.0 - 0.9·k/100, reaches 100% accuracy by about step 40, and draws the decision boundary. We make
the moons with numpy the way scikit-learn does, build the same model from ``nn``, and also draw
the graph of one forward pass, collapsed by module.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import Value, no_grad
from autograd.viz import draw_graph, save
from demos._common import (
    SEED,
    Limits,
    Progress,
    add_option,
    check_options,
    demo_dir,
    demo_main,
    dots,
    graphviz_optional,
    new_figure,
    save_figure,
    say,
)

TITLE = "micrograd's two-moons MLP on Values"
PUBLISHED = "accuracy 100% (by step 40 of 100)"
PICTURES = {
    "decision_boundary.png": "The 100 moons and the trained network's decision regions "
    "(score > 0 against < 0).",
    "training.png": "Loss and training accuracy at each of the full-batch SGD steps.",
    "forward_graph.png": "The graph of one forward pass (one point through the 2-16-16-1 MLP), "
    "collapsed by layer, with the parameters and operations in each.",
    "forward_graph_neurons.png": "The same forward pass collapsed by neuron: the fully connected wiring "
    "of 16 + 16 + 1 neurons.",
}


LIMITS = {
    "steps": Limits(int, 1, 1000),  # about 0.15 s each on Values: two and a half minutes at most
    # The L2 term's own step is 2·alpha·lr·p (lr up to 1): above alpha = 1 it overshoots and grows.
    "alpha": Limits(float, 0.0, 1.0),
    "seed": SEED,
    "data_seed": SEED,
}


def summary(result: dict[str, Any]) -> str:
    first = result["first_perfect_step"]
    reached = f" (100% from step {first})" if first is not None else ""
    return f"accuracy {100 * result['accuracy']:.0f}% after {result['steps']} steps{reached}"


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles as scikit-learn's ``make_moons`` draws them; labels -1 and +1."""
    rng = np.random.RandomState(seed)
    n_out, n_in = n // 2, n - n // 2
    outer = np.linspace(0, np.pi, n_out)
    inner = np.linspace(0, np.pi, n_in)
    x = np.concatenate(
        [np.stack([np.cos(outer), np.sin(outer)], 1), np.stack([1 - np.cos(inner), 0.5 - np.sin(inner)], 1)]
    )
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    order = np.arange(n)
    rng.shuffle(order)
    x, y = x[order], y[order]
    x = x + rng.normal(scale=noise, size=x.shape)
    return x, 2 * y - 1


def loss_and_accuracy(model: nn.MLP, x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[Value, float]:
    """micrograd's objective over the whole batch, and the fraction of points on the right side."""
    scores = [model(row) for row in x.tolist()]
    data_loss = nn.functional.hinge_loss(scores, y.tolist())  # mean of relu(1 - y·score)
    reg_loss = alpha * sum(p * p for p in model.parameters())
    accuracy = float(np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, y)]))
    return data_loss + reg_loss, accuracy


def run(
    out: str | None = None,
    *,
    steps: int = 100,
    alpha: float = 1e-4,
    seed: int = 1337,
    data_seed: int = 1,
    verbose: bool = False,
) -> dict[str, Any]:
    """Train for ``steps`` full-batch steps; ``accuracy`` is the fraction right after the last step."""
    check_options("moons_mlp", LIMITS, out, steps=steps, alpha=alpha, seed=seed, data_seed=data_seed)
    x, y = make_moons(seed=data_seed)
    model = nn.MLP(2, [16, 16, 1], rng=seed)
    optimizer = nn.optim.SGD(model.parameters(), lr=1.0)
    say(verbose, f"MLP(2, [16, 16, 1]): {len(model.parameters())} parameters, {len(x)} points")
    progress = Progress("moons_mlp", steps, every=max(1, steps // 10), verbose=verbose)
    history = []
    for k in range(steps):
        loss, accuracy = loss_and_accuracy(model, x, y, alpha)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 1.0 - 0.9 * k / steps  # micrograd's linear decay
        optimizer.step()
        history.append((loss.data, accuracy))
        progress.update(k, loss=loss.data, accuracy=accuracy)
    with no_grad():
        _, accuracy = loss_and_accuracy(model, x, y, alpha)  # after the last update
    say(verbose, f"accuracy after {steps} steps: {100 * accuracy:.0f}%")

    folder = demo_dir(out, "moons_mlp")
    if folder is not None:
        _plot_boundary(folder, model, x, y, accuracy)
        _plot_training(folder, history)
        _draw_forward(folder, model, x[0])
    # micrograd's figure: the first step whose (pre-update) accuracy is 100%, counted from 1.
    first_perfect = next((k + 1 for k, (_, acc) in enumerate(history) if acc == 1.0), None)
    return {"accuracy": accuracy, "steps": steps, "first_perfect_step": first_perfect}


def _plot_boundary(folder: Path, model: nn.MLP, x: np.ndarray, y: np.ndarray, accuracy: float) -> None:
    h = 0.05
    xs = np.arange(x[:, 0].min() - 0.5, x[:, 0].max() + 0.5, h)
    ys = np.arange(x[:, 1].min() - 0.5, x[:, 1].max() + 0.5, h)
    gx, gy = np.meshgrid(xs, ys)
    with no_grad():  # thousands of forward passes: record no graph
        scores = np.array([model([a, b]).data for a, b in zip(gx.ravel().tolist(), gy.ravel().tolist())])
    fig, ax = new_figure(width=6.4, height=5.2)
    ax.contourf(
        gx, gy, (scores > 0).reshape(gx.shape), levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#c6dbef"]
    )
    ax.contour(gx, gy, scores.reshape(gx.shape), levels=[0.0], colors="k", linewidths=1)
    for label, colour, name in ((-1, "tab:red", "y = -1"), (1, "tab:blue", "y = +1")):
        ax.scatter(*x[y == label].T, c=colour, edgecolors="k", s=30, label=name)
    ax.set(
        xlabel="x1",
        ylabel="x2",
        title=f"Decision boundary of MLP(2, [16, 16, 1]): {100 * accuracy:.0f}% right",
    )
    ax.legend(loc="lower left")
    save_figure(fig, folder, "decision_boundary.png")


def _draw_forward(folder: Path, model: nn.MLP, point: np.ndarray) -> None:
    """One forward pass, as a graph: each layer as one box, and each neuron as one box."""
    inputs = [Value(float(point[0]), label="x1"), Value(float(point[1]), label="x2")]
    score = model(inputs)
    score.label = "score"
    for collapse, filename in ((2, "forward_graph.png"), (True, "forward_graph_neurons.png")):
        with graphviz_optional(filename):
            save(draw_graph(score, module=model, collapse=collapse, show_grad=False), folder / filename)


def _plot_training(folder: Path, history: list[tuple[float, float]]) -> None:
    losses, accuracies = zip(*history)
    steps = np.arange(1, len(history) + 1)
    fig, ax = new_figure()
    ax.plot(steps, losses, color="tab:red", label="loss (max-margin + L2)", **dots(len(steps)))
    ax.set(xlabel="step (full batch)", ylabel="loss", title="Training the moons MLP (on its 100 points)")
    ax.set_yscale("log")
    twin = ax.twinx()
    twin.plot(steps, np.array(accuracies) * 100, color="tab:blue", label="accuracy", **dots(len(steps)))
    twin.set(ylabel="training accuracy (%)", ylim=(40, 102))
    lines = ax.get_lines() + twin.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="center right")
    ax.grid(alpha=0.3)
    save_figure(fig, folder, "training.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(parser, run, LIMITS, "steps", "full-batch SGD steps (default 100)")
        add_option(parser, run, LIMITS, "alpha", "L2 regularisation strength, at most 1 (default 1e-4)")
        add_option(parser, run, LIMITS, "seed", "seed of the weights (default 1337)")
        add_option(parser, run, LIMITS, "data_seed", "seed of the moons (default 1)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

"""One sigmoid neuron trained by per-sample SGD (after Real Python's "Python AI: How to Build a
Neural Network & Make Predictions").

The tutorial's network is ŷ = sigmoid(w·x + b) on an 8-row table of two inputs and a 0/1 target,
with the squared error (ŷ - y)². Its weights and bias start as three draws of numpy's seed 42; for
10,000 iterations it picks a row at random, takes the gradient (derived by hand through the
sigmoid) and steps at alpha = 0.1; every 100 iterations it sums the squared error over all 8 rows
and plots that list. We use ``nn.Neuron`` and ``nn.optim.SGD``, drawing the tutorial's starting
weights from the same seed, and take the gradient from ``backward()``. The tutorial warns, and so
do we: this error is measured on the training rows themselves, so it says how well the neuron fits
them, not how it would do on new data.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import no_grad
from demos._common import (
    SEED,
    Limits,
    Progress,
    add_option,
    check_options,
    demo_dir,
    demo_main,
    dots,
    new_figure,
    save_figure,
    say,
)

TITLE = "One sigmoid neuron, per-sample SGD"
PUBLISHED = "training error falls (a plot, no number)"
PICTURES = {
    "training_error.png": "Cumulative squared error over the 8 training rows, every 100 iterations: "
    "training data, not a test of new data.",
}

# The tutorial's table: inputs (x1, x2) and the target.
INPUTS = [(3.0, 1.5), (2.0, 1.0), (4.0, 1.5), (3.0, 4.0), (3.5, 0.5), (2.0, 0.5), (5.5, 1.0), (1.0, 1.0)]
TARGETS = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0]


LIMITS = {
    "iterations": Limits(int, 1, 1_000_000),  # under 0.2 ms each: minutes at most
    "alpha": Limits(float, 0.0, 10.0, above=True),  # past 10 the sigmoid only saturates
    "every": Limits(int, 1, 1_000_000),
    "seed": SEED,
}


def summary(result: dict[str, Any]) -> str:
    errors = result["errors"]
    return f"training error {errors[0]:.3f} -> {errors[-1]:.3f} ({len(errors)} points)"


def tutorial_neuron(rng: np.random.RandomState) -> nn.Neuron:
    """ŷ = sigmoid(w·x + b), with the two weights and then the bias drawn as the tutorial draws them."""
    neuron = nn.Neuron(2, activation="sigmoid", rng=0)  # rng=0: its own draws, replaced just below
    for w in neuron.w:
        w.data = rng.randn()
    neuron.b.data = rng.randn()
    return neuron


def cumulative_error(neuron: nn.Neuron) -> float:
    """Sum over the 8 training rows of (ŷ - y)²."""
    with no_grad():
        return sum(((neuron(x) - y) ** 2).data for x, y in zip(INPUTS, TARGETS))


def run(
    out: str | None = None,
    *,
    iterations: int = 10_000,
    alpha: float = 0.1,
    every: int = 100,
    seed: int = 42,
    verbose: bool = False,
) -> dict[str, Any]:
    """Train for ``iterations``; ``errors`` is the cumulative training error every ``every`` iterations."""
    check_options("single_neuron", LIMITS, out, iterations=iterations, alpha=alpha, every=every, seed=seed)
    rng = np.random.RandomState(seed)  # the tutorial's np.random.seed(42) stream
    neuron = tutorial_neuron(rng)
    optimizer = nn.optim.SGD(neuron.parameters(), lr=alpha)
    say(
        verbose, f"first row before training: prediction {neuron(INPUTS[0]).data:.4f} (target {TARGETS[0]:g})"
    )
    progress = Progress(
        "single_neuron", iterations, every=max(1, iterations // 5), verbose=verbose, label="iteration"
    )
    errors: list[float] = []
    for iteration in range(iterations):
        i = rng.randint(len(INPUTS))
        loss = (neuron(INPUTS[i]) - TARGETS[i]) ** 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if iteration % every == 0:  # as the tutorial: after the update at iterations 0, 100, ...
            errors.append(cumulative_error(neuron))
        progress.update(iteration, training_error=errors[-1])

    folder = demo_dir(out, "single_neuron")
    if folder is not None:
        _plot(folder, errors, every, alpha)
    return {"errors": errors}


def _plot(folder: Path, errors: list[float], every: int, alpha: float) -> None:
    fig, ax = new_figure()
    ax.plot(np.arange(len(errors)) * every, errors, color="tab:blue", **dots(len(errors)))
    ax.set(
        xlabel="iteration (one randomly picked row each)",
        ylabel="squared error summed over all 8 rows",
        title=f"One sigmoid neuron, SGD at alpha {alpha:g}: error on the TRAINING data",
    )
    ax.text(
        0.98,
        0.95,
        "measured on the rows it trains on:\nnot a test of how it does on new data",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=9,
        bbox={"boxstyle": "round", "facecolor": "lightyellow", "edgecolor": "tab:gray"},
    )
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    save_figure(fig, folder, "training_error.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(parser, run, LIMITS, "iterations", "SGD iterations (default 10000)")
        add_option(parser, run, LIMITS, "alpha", "learning rate (default 0.1)")
        add_option(parser, run, LIMITS, "every", "measure the error every N iterations (default 100)")
        add_option(parser, run, LIMITS, "seed", "numpy seed (default 42, as the tutorial)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

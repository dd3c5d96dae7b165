"""A softmax classifier on 16 toy points (Shubhang Desai, "A Soft Introduction to Neural Networks").

The tutorial's data: 16 points of 4 binary features whose class is the third feature, split into
8 training, 4 validation and 4 test points. Its network is one linear layer 4 -> 2 with softmax
cross-entropy, trained for 4000 iterations on random batches of 4 training points at learning
rate 1e-2; it prints the training accuracy every 100 iterations and the validation accuracy every
500, and reaches 100% validation and test accuracy. We use ``nn.Linear`` on Tensors,
``nn.functional.cross_entropy`` (summed over the batch, as the tutorial's update is) and
``nn.optim.SGD``; the gradients of the weight matrix and bias, which the tutorial derives by hand
through softmax and cross-entropy, come from ``backward()``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

import nn
from autograd import Tensor, no_grad
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

TITLE = "Softmax classifier, 4 binary features"
PUBLISHED = "validation 100%, test 100%"
PICTURES = {
    "training.png": "Cross-entropy of each batch of 4 (and its running mean), and the validation accuracy "
    "every 500 iterations.",
    "weights.png": "The learned 4x2 weight matrix: the third feature, which is the label, "
    "carries the decision.",
    "graph.png": "The graph of one batch's loss: logits = batch @ weight.T + bias, their log_softmax, "
    "each row's entry for its target class picked out ([]), negated and summed; on each node, the "
    "gradient that one backward() of this batch alone puts there.",
}

# The tutorial's 16 points; the label is the third feature.
X = np.array(
    [[1, 1, 0, 1], [0, 1, 0, 1], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 1, 0], [1, 0, 1, 1], [0, 0, 0, 0],
     [1, 1, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 1],
     [1, 0, 0, 1], [1, 0, 0, 1]],
    dtype=np.float64,
)  # fmt: skip
Y = np.array([0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0])
TRAIN, VAL, TEST = slice(0, 8), slice(8, 12), slice(12, 16)


LIMITS = {
    "iterations": Limits(int, 1, 1_000_000),  # about 0.2 ms each: minutes at most
    "lr": Limits(float, 0.0, 10.0, above=True),
    "batch_size": Limits(int, 1, 1000),  # drawn with replacement from 8 rows: more says nothing new
    "seed": SEED,
}


def summary(result: dict[str, Any]) -> str:
    return f"validation {result['val_accuracy']:.0f}%, test {result['test_accuracy']:.0f}%"


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    """Percentage of rows whose larger logit is the right class."""
    with no_grad():
        predicted = model(Tensor(x)).argmax(dim=1).numpy()
    return float(100 * np.mean(predicted == y))


def run(
    out: str | None = None,
    *,
    iterations: int = 4000,
    lr: float = 1e-2,
    batch_size: int = 4,
    seed: int = 0,
    verbose: bool = False,
) -> dict[str, Any]:
    """Train on random batches; ``val_accuracy`` and ``test_accuracy`` are percentages."""
    check_options(
        "softmax_classifier", LIMITS, out, iterations=iterations, lr=lr, batch_size=batch_size, seed=seed
    )
    rng = np.random.RandomState(seed)
    model = nn.Linear(4, 2, rng=seed)
    optimizer = nn.optim.SGD(model.parameters(), lr=lr)
    x_train, y_train = X[TRAIN], Y[TRAIN]
    report_every = max(1, min(500, iterations))  # the tutorial's every 100 would be 40 lines
    progress = Progress("softmax_classifier", iterations, every=0, verbose=verbose, label="iteration")
    losses, validation = [], []
    for i in range(iterations):
        rows = rng.choice(len(x_train), batch_size)  # with replacement, as the tutorial's np.random.choice
        logits = model(Tensor(x_train[rows]))
        # Summed over the batch, not averaged: the tutorial's hand-written backward never divides by
        # the batch size, so its step is this sum's gradient (and the mean's 4x smaller steps are
        # not always enough in 4000 iterations).
        loss = nn.functional.cross_entropy(logits, y_train[rows], reduction="sum")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        progress.update(i, loss=losses[-1])
        if (i + 1) % report_every == 0:  # the tutorial's two accuracies, on one line
            validation.append((i + 1, accuracy(model, X[VAL], Y[VAL])))
            batch_accuracy = 100 * np.mean(logits.argmax(dim=1).numpy() == y_train[rows])
            progress.write(
                f"[softmax_classifier] iteration {i + 1}/{iterations}  loss {losses[-1]:.4f}  training "
                f"accuracy (this batch) {batch_accuracy:.0f}%  validation accuracy {validation[-1][1]:.0f}%",
            )
    val_accuracy, test_accuracy = accuracy(model, X[VAL], Y[VAL]), accuracy(model, X[TEST], Y[TEST])
    say(verbose, f"Validation Accuracy: {val_accuracy:f}\nTest Accuracy: {test_accuracy:f}")

    folder = demo_dir(out, "softmax_classifier")
    if folder is not None:
        _plot_training(folder, losses, validation, lr, batch_size)
        _plot_weights(folder, model.weight.detach().numpy())
        loss = picture_loss(model, x_train[:batch_size], y_train[:batch_size])
        with graphviz_optional("graph.png"):
            save(draw_graph(loss, module=model, rankdir="TB"), folder / "graph.png")  # LR: too wide
    return {"val_accuracy": val_accuracy, "test_accuracy": test_accuracy}


def picture_loss(model: nn.Linear, x: np.ndarray, y: np.ndarray) -> Tensor:
    """The loss of one batch after ``backward()``, for the graph picture: every ``.grad`` in it is
    this batch's gradient alone (the parameters' are zeroed first, not left from the last step)."""
    model.zero_grad()
    logits = model(Tensor(x, label="batch"))
    logits.label = "logits"
    loss = nn.functional.cross_entropy(logits, y, reduction="sum")
    loss.label = "loss"
    loss.backward()
    return loss


def _plot_training(
    folder: Path, losses: list[float], validation: list[tuple[int, float]], lr: float, batch_size: int
) -> None:
    fig, ax = new_figure()
    steps = np.arange(1, len(losses) + 1)
    # 100, or a fifth of a short run (--iterations 50): a window as long as the run is one point,
    # and under 10 iterations there is nothing to smooth.
    window = min(100, len(losses) // 5)
    smooth = window > 1
    ax.plot(
        steps,
        losses,
        color="tab:red",
        alpha=0.25 if smooth else 1.0,
        lw=0.8,
        label=f"loss of each batch of {batch_size}",
        **dots(len(losses)),
    )
    if smooth:
        running = np.convolve(losses, np.ones(window) / window, mode="valid")
        ax.plot(steps[window - 1 :], running, color="tab:red", label=f"running mean of {window}")
    ax.set(
        xlabel="iteration",
        ylabel="cross-entropy (sum over the batch)",
        title=f"Softmax classifier, SGD at learning rate {lr:g}",
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no iteration 2.25 on short runs
    twin = ax.twinx()
    twin.plot(*zip(*validation), "o-", color="tab:blue", label="validation accuracy")
    twin.set(ylabel="validation accuracy (%)", ylim=(-5, 105))
    lines = ax.get_lines() + twin.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="center right")
    ax.grid(alpha=0.3)
    save_figure(fig, folder, "training.png")


def _plot_weights(folder: Path, weight: np.ndarray) -> None:
    """``weight`` is (classes, features), as PyTorch stores a Linear layer's."""
    fig, ax = new_figure(width=6.4, height=3.0)
    limit = np.abs(weight).max()
    image = ax.imshow(weight, cmap="coolwarm", vmin=-limit, vmax=limit)
    for (cls, feature), value in np.ndenumerate(weight):
        ax.text(feature, cls, f"{value:+.2f}", ha="center", va="center")
    ax.set_xticks(range(weight.shape[1]), [f"feature {k + 1}" for k in range(weight.shape[1])])
    ax.set_yticks(range(weight.shape[0]), [f"class {k}" for k in range(weight.shape[0])])
    ax.set_title("Learned weights: feature 3, the label, decides the class")
    fig.colorbar(image, ax=ax, shrink=0.8)
    save_figure(fig, folder, "weights.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(parser, run, LIMITS, "iterations", "SGD iterations (default 4000)")
        add_option(parser, run, LIMITS, "lr", "learning rate (default 0.01)")
        add_option(parser, run, LIMITS, "batch_size", "rows per batch (default 4)")
        add_option(parser, run, LIMITS, "seed", "seed of the weights and batches (default 0)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

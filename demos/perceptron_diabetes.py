"""Linear regression as a one-input perceptron on 20 rows of the diabetes data ("A Basic Neural
Network from Scratch").

The tutorial fits ŷ = m·x + b to the last 20 rows of scikit-learn's diabetes data (x: body-mass
index, scaled; y: disease progression). Closed-form least squares gives m = 11.2137, b = 25.2528.
Then, from m = 5, b = 10, it runs 10,000 epochs of full-batch gradient descent at learning rate
0.001: each epoch takes the gradient of each row's squared error (y - ŷ)², averages them, and
steps; it ends at m = 11.2349, b = 25.0117 (not yet at the minimum). Last, it shows on the first
row's loss parabola why the learning rate matters (0.003 bounces across, 0.001 slides down).

We take each row's gradient from ``backward()`` on a `Value` graph (gradients add up in ``.grad``
over the 20 rows, then we divide by 20: the average) and reproduce both results to 4 decimals.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Value
from demos._common import (
    DATA,
    Limits,
    Progress,
    add_option,
    check_options,
    demo_dir,
    demo_main,
    new_figure,
    save_figure,
    say,
)

TITLE = "Perceptron (linear regression) on 20 diabetes rows"
PUBLISHED = "m 11.2349, b 25.0117; closed form 11.2137, 25.2528"
PICTURES = {
    "fit.png": "The 20 diabetes rows with the closed-form line and the line gradient descent "
    "reached (10,000 epochs by default): they all but coincide.",
    "learning_rates.png": "First row's loss against the prediction: 10 steps at learning rate 0.003 bounce "
    "across the parabola, at 0.001 they slide down it.",
}


LIMITS = {
    "epochs": Limits(int, 1, 1_000_000),  # about 0.12 ms each: two minutes at most
    # Full-batch descent on these 20 rows converges only below 2/206 = 0.0097 (206: the largest
    # curvature of the mean squared error in (m, b)); above it m and b grow until they overflow.
    "lr": Limits(float, 0.0, 0.009, above=True),
    "m0": Limits(float, -1e6, 1e6),
    "b0": Limits(float, -1e6, 1e6),
}


def summary(result: dict[str, Any]) -> str:
    return (
        f"m {result['m']:.4f}, b {result['b']:.4f}; "
        f"closed form {result['m_closed_form']:.4f}, {result['b_closed_form']:.4f}"
    )


def load_data(path: Path = DATA / "diabetes_bmi_last20.csv") -> tuple[np.ndarray, np.ndarray]:
    """The 20 rows as (x, y) arrays; the file's ``#`` lines say where they come from."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return np.array([float(r["x"]) for r in rows]), np.array([float(r["y"]) for r in rows])


def closed_form(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and intercept, by the tutorial's formulas."""
    n = len(x)
    denom = n * (x**2).sum() - x.sum() ** 2
    m = (n * (x * y).sum() - x.sum() * y.sum()) / denom
    b = (y.sum() * (x**2).sum() - x.sum() * (x * y).sum()) / denom
    return float(m), float(b)


def train(
    x: np.ndarray, y: np.ndarray, m0: float, b0: float, lr: float, epochs: int, verbose: bool = False
) -> tuple[float, float]:
    """Full-batch gradient descent, each epoch stepping by the average of the rows' gradients."""
    m, b = Value(m0, label="m"), Value(b0, label="b")
    rows = list(zip(x.tolist(), y.tolist()))
    progress = Progress(
        "perceptron_diabetes", epochs, every=max(1, epochs // 5), verbose=verbose, label="epoch"
    )
    for epoch in range(epochs):
        m.grad = b.grad = 0.0
        loss = 0.0
        for xi, yi in rows:
            error = (m * xi + b - yi) ** 2  # this row's squared error, a graph with leaves m and b
            error.backward()  # adds d(error)/dm and d(error)/db into m.grad, b.grad
            loss += error.data
        m.data -= lr * m.grad / len(rows)
        b.data -= lr * b.grad / len(rows)
        progress.update(epoch, mse=loss / len(rows), m=m.data, b=b.data)
    return m.data, b.data


def bounce(
    x0: float, y0: float, lr: float, m0: float, b0: float, steps: int
) -> tuple[list[float], list[float]]:
    """``steps`` gradient steps on one row's squared error; the predictions and losses on the way."""
    m, b = Value(m0), Value(b0)
    predictions, losses = [], []
    for _ in range(steps):
        m.grad = b.grad = 0.0
        prediction = m * x0 + b
        loss = (prediction - y0) ** 2
        loss.backward()
        predictions.append(prediction.data)
        losses.append(loss.data)
        m.data -= lr * m.grad
        b.data -= lr * b.grad
    return predictions, losses


def run(
    out: str | None = None,
    *,
    epochs: int = 10_000,
    lr: float = 0.001,
    m0: float = 5.0,
    b0: float = 10.0,
    verbose: bool = False,
) -> dict[str, Any]:
    """Closed form, then gradient descent from (m0, b0); pictures of both fits and of two learning rates."""
    check_options("perceptron_diabetes", LIMITS, out, epochs=epochs, lr=lr, m0=m0, b0=b0)
    x, y = load_data()
    m_cf, b_cf = closed_form(x, y)
    say(verbose, f"closed form: m: {m_cf:.4f}; b: {b_cf:.4f}")
    m, b = train(x, y, m0, b0, lr, epochs, verbose)
    say(verbose, f"gradient descent, {epochs} epochs at learning rate {lr:g}: m: {m:.4f}; b: {b:.4f}")

    folder = demo_dir(out, "perceptron_diabetes")
    if folder is not None:
        _plot_fit(folder, x, y, (m_cf, b_cf), (m, b), epochs)
        _plot_learning_rates(folder, float(x[0]), float(y[0]))
    return {"m": m, "b": b, "m_closed_form": m_cf, "b_closed_form": b_cf}


def _plot_fit(
    folder: Path, x: np.ndarray, y: np.ndarray, cf: tuple[float, float], gd: tuple[float, float], epochs: int
) -> None:
    fig, ax = new_figure()
    grid = np.array([0.0, 20.0])
    ax.scatter(x, y, color="tab:blue", label="the 20 rows")
    ax.plot(
        grid,
        cf[0] * grid + cf[1],
        color="tab:gray",
        lw=3,
        alpha=0.6,
        label=f"closed form: {cf[0]:.4f}·x + {cf[1]:.4f}",
    )
    ax.plot(
        grid,
        gd[0] * grid + gd[1],
        "--",
        color="tab:red",
        label=f"{epochs:,} epochs: {gd[0]:.4f}·x + {gd[1]:.4f}",
    )
    ax.set(
        xlabel="x: body-mass index (scaled ×100, +10)",
        ylabel="y: disease progression after one year",
        title="The perceptron's line against least squares",
    )
    ax.legend()
    ax.grid(alpha=0.3)
    save_figure(fig, folder, "fit.png")


def _plot_learning_rates(folder: Path, x0: float, y0: float, steps: int = 10) -> None:
    # Both runs start from the tutorial's m = 5, b = 5 (its code forgot to reset them between runs).
    fig, axes = new_figure(ncols=2, width=10.5, height=4.4)
    for ax, lr in zip(axes, (0.003, 0.001)):
        predictions, losses = bounce(x0, y0, lr, m0=5.0, b0=5.0, steps=steps)
        span = max(abs(p - y0) for p in predictions) * 1.1
        grid = np.linspace(y0 - span, y0 + span, 200)
        ax.plot(grid, (grid - y0) ** 2, color="tab:gray", label="loss (ŷ - y)² of row 1")
        ax.plot(predictions, losses, "o--", color="tab:red", label=f"{steps} steps, learning rate {lr:g}")
        ax.annotate("start", (predictions[0], losses[0]), textcoords="offset points", xytext=(4, 8))
        ax.set(xlabel="prediction ŷ = m·x + b", ylabel="squared error", title=f"Learning rate {lr:g}")
        ax.legend(loc="upper center")
        ax.grid(alpha=0.3)
    fig.suptitle(f"Gradient descent on row 1 alone (x = {x0:.2f}, y = {y0:g}), from m = 5, b = 5")
    save_figure(fig, folder, "learning_rates.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(parser, run, LIMITS, "epochs", "epochs of gradient descent (default 10000)")
        add_option(
            parser,
            run,
            LIMITS,
            "lr",
            "learning rate, at most 0.009: above 0.0097 it diverges (default 0.001)",
        )
        add_option(parser, run, LIMITS, "m0", "starting slope (default 5)")
        add_option(parser, run, LIMITS, "b0", "starting intercept (default 10)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

"""A one-hidden-layer tanh network fits noisy samples of a 6th-order polynomial (Shubham
Shrivastava, "Machine Learning for Beginners: ... a simple neural network built and trained using
NumPy").

The tutorial samples a 6th-order polynomial with noise of standard deviation 1.0, fits a network
1 -> n tanh -> 1 on the mean squared error, with backpropagation derived by hand, and contrasts
it with linear least squares, which must be told the polynomial's order. It publishes no
coefficients or numbers, so we pick the polynomial: 5·T6(x) + 2x on [-1, 1] (T6 the Chebyshev
polynomial: five turning points of height 5, well above the noise). The network is ``nn.Sequential`` on
Tensors, trained full-batch by an optimizer from ``nn.optim`` (Adam by default). A fit that has
learned the curve, not the noise, has a training MSE near the noise variance, 1.0.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import Tensor, no_grad
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

TITLE = "Polynomial regression, 1 -> n tanh -> 1"
PUBLISHED = "a fit through noise of std 1.0 (plot only)"
PICTURES = {
    "fit.png": "Noisy samples of the 6th-order polynomial, the polynomial itself, the network's fit "
    "and the order-6 least-squares fit.",
    "loss.png": "The network's training MSE by step, against the noise variance and the "
    "least-squares fit's MSE.",
}

# 5·T6(x) + 2x, highest power first (numpy.polyval's order): T6 = 32x⁶ - 48x⁴ + 18x² - 1.
COEFFICIENTS = np.array([160.0, 0.0, -240.0, 0.0, 90.0, 2.0, -5.0])
OPTIMIZERS = {"adam": nn.optim.Adam, "sgd": nn.optim.SGD}
LIMITS = {
    "samples": Limits(int, len(COEFFICIENTS), 10_000),  # the order-6 least-squares fit needs 7
    "hidden": Limits(int, 1, 1024),
    "steps": Limits(int, 1, 100_000),  # about 0.3 ms each at the defaults
    # Adam's steps are about lr each; SGD with momentum can diverge well below 1 (a wide hidden
    # layer, lr 0.05): its losses then turn NaN, which the summary shows.
    "lr": Limits(float, 0.0, 1.0, above=True),
    "noise_std": Limits(float, 0.0, 1000.0),
    "seed": SEED,
}


def summary(result: dict[str, Any]) -> str:
    return (
        f"train MSE {result['train_mse']:.3f} (least squares {result['baseline_train_mse']:.3f}), "
        f"noise variance {result['noise_std'] ** 2:g}"
    )


def make_data(n: int, noise_std: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points x ~ U(-1, 1) and y = polynomial(x) + N(0, noise_std²), as (n, 1) columns."""
    x = rng.uniform(-1.0, 1.0, (n, 1))
    return x, np.polyval(COEFFICIENTS, x) + rng.normal(0.0, noise_std, (n, 1))


def run(
    out: str | None = None,
    *,
    samples: int = 200,
    hidden: int = 16,
    steps: int = 3000,
    optimizer: str = "adam",
    lr: float = 0.02,
    noise_std: float = 1.0,
    seed: int = 0,
    verbose: bool = False,
) -> dict[str, Any]:
    """Fit the network for ``steps`` full-batch steps and the order-6 least-squares polynomial.

    Returns ``train_mse`` and ``baseline_train_mse`` (least squares) on the samples, the
    ``noise_std``, and ``true_mse``, ``baseline_true_mse``: each fit's mean squared distance from the
    noiseless polynomial on [-1, 1].
    """
    check_options(
        "polynomial_regression",
        LIMITS,
        out,
        samples=samples,
        hidden=hidden,
        steps=steps,
        lr=lr,
        noise_std=noise_std,
        seed=seed,
    )
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            f"polynomial_regression: optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}"
        )
    rng = np.random.RandomState(seed)
    x, y = make_data(samples, noise_std, rng)
    model = nn.Sequential(nn.Linear(1, hidden, rng=seed), nn.Tanh(), nn.Linear(hidden, 1, rng=seed + 1))
    # SGD gets momentum, as the tutorial's code used; Adam its PyTorch defaults.
    opt = OPTIMIZERS[optimizer](
        model.parameters(), lr=lr, **({"momentum": 0.9} if optimizer == "sgd" else {})
    )
    inputs, targets = Tensor(x), Tensor(y)
    progress = Progress("polynomial_regression", steps, every=max(1, steps // 5), verbose=verbose)
    history = []
    for step in range(steps):
        loss = nn.functional.mse_loss(model(inputs), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.append(loss.item())
        progress.update(step, mse=history[-1])

    def predict(points: np.ndarray) -> np.ndarray:
        with no_grad():
            return model(Tensor(points)).numpy()

    baseline = np.polyfit(x[:, 0], y[:, 0], deg=len(COEFFICIENTS) - 1)  # the "traditional" method
    grid = np.linspace(-1.0, 1.0, 400)[:, None]
    truth = np.polyval(COEFFICIENTS, grid)
    result = {
        "train_mse": float(np.mean((predict(x) - y) ** 2)),
        "noise_std": noise_std,
        "baseline_train_mse": float(np.mean((np.polyval(baseline, x) - y) ** 2)),
        "true_mse": float(np.mean((predict(grid) - truth) ** 2)),
        "baseline_true_mse": float(np.mean((np.polyval(baseline, grid) - truth) ** 2)),
    }
    say(verbose, ", ".join(f"{key} {value:.4f}" for key, value in result.items()))

    folder = demo_dir(out, "polynomial_regression")
    if folder is not None:
        _plot_fit(folder, x, y, grid, truth, predict(grid), np.polyval(baseline, grid), hidden)
        _plot_loss(folder, history, noise_std, result["baseline_train_mse"], optimizer, lr)
    return result


def _plot_fit(
    folder: Path,
    x: np.ndarray,
    y: np.ndarray,
    grid: np.ndarray,
    truth: np.ndarray,
    fit: np.ndarray,
    baseline: np.ndarray,
    hidden: int,
) -> None:
    fig, ax = new_figure(width=7.5, height=5.0)
    ax.plot(x, y, "o", color="tab:gray", ms=4, alpha=0.7, label=f"{len(x)} noisy samples")
    ax.plot(grid, truth, color="k", lw=2, label="true polynomial 5·T6(x) + 2x")
    ax.plot(grid, fit, color="tab:red", lw=2, label=f"network 1 → {hidden} tanh → 1")
    ax.plot(grid, baseline, "--", color="tab:blue", lw=1.5, label="least squares, order 6")
    ax.set(xlabel="x", ylabel="y", title="Polynomial regression: the network against least squares")
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.3 * (high - low))  # headroom, so the legend covers no data
    ax.legend(loc="upper center", ncol=2, fontsize=9)
    ax.grid(alpha=0.3)
    save_figure(fig, folder, "fit.png")


def _plot_loss(
    folder: Path, history: list[float], noise_std: float, baseline_mse: float, optimizer: str, lr: float
) -> None:
    fig, ax = new_figure()
    ax.plot(
        np.arange(1, len(history) + 1),
        history,
        color="tab:red",
        label=f"network ({optimizer}, lr {lr:g})",
        **dots(len(history)),
    )
    ax.axhline(noise_std**2, color="k", ls=":", label=f"noise variance {noise_std**2:g}")
    ax.axhline(baseline_mse, color="tab:blue", ls="--", label=f"least squares, order 6: {baseline_mse:.3f}")
    ax.set(
        xlabel="step (full batch)",
        ylabel="training MSE",
        yscale="log",
        title="The network's training loss falls to the noise level",
    )
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    save_figure(fig, folder, "loss.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(
            parser,
            run,
            LIMITS,
            "samples",
            "noisy samples (default 200; the order-6 least-squares fit needs 7)",
        )
        add_option(parser, run, LIMITS, "hidden", "tanh units in the hidden layer (default 16)")
        add_option(parser, run, LIMITS, "steps", "full-batch training steps (default 3000)")
        parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam", help="default adam")
        add_option(parser, run, LIMITS, "lr", "learning rate (default 0.02)")
        add_option(parser, run, LIMITS, "noise_std", "noise standard deviation (default 1)")
        add_option(parser, run, LIMITS, "seed", "seed of the data and weights (default 0)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

"""Gradient descent for y = w·x (Peter Roelants, "How to implement a neural network", part 1).

The tutorial draws 20 inputs x ~ U(0, 1) and targets t = 2x + 0.2·N(0, 1), fits y = w·x without
a bias by minimising the mean squared error with gradient descent at learning rate 0.9, and prints
w(k) and the loss for 4 iterations (w(0) = 0.1380 ... w(4) = 2.0426, loss 0.0424); then it fits
again from a fresh random w for 10 iterations and draws the line. We build the loss from `Value`s
and take dξ/dw from ``backward()`` instead of the hand-derived 2·x·(y - t). numpy's seed 13 draws
the tutorial's data and starting w, so we print the same table.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import numpy as np

import nn
from autograd import Value
from demos._common import (
    SEED,
    Limits,
    add_option,
    check_options,
    demo_dir,
    demo_main,
    new_figure,
    save_figure,
    say,
)

TITLE = "Linear regression y = w·x by gradient descent"
PUBLISHED = "w(4) = 2.0426, loss 0.0424 (w -> 2)"
PICTURES = {
    "descent.png": "The loss parabola ξ(w) and the 4 gradient-descent steps from w(0): big steps where "
    "it is steep, small ones near the minimum (zoomed on the right).",
    "fit.png": "The 20 noisy samples, the line t = 2x they came from, and y = w·x after the final fit "
    "(10 iterations from a fresh random w).",
}


LIMITS = {
    # x ~ U(0, 1) keeps the loss's curvature 2·mean(x²) at most 2: any lr up to 1 converges, for
    # every seed (above 2/curvature the steps grow until they overflow).
    "lr": Limits(float, 0.0, 1.0, above=True),
    "iterations": Limits(int, 1, 1_000_000),  # about 0.1 ms each: two minutes at most
    "seed": SEED,
}


def summary(result: dict[str, Any]) -> str:
    return f"w(4) = {result['w4']:.4f}, loss {result['loss4']:.4f}; then w {result['w']:.4f}"


def make_data(rng: np.random.RandomState, n: int = 20, noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """The tutorial's samples: x ~ U(0, 1), t = 2x + noise·N(0, 1).

    The tutorial calls its 0.2 a variance, but its code multiplies N(0, 1) by it: a std.
    """
    x = rng.uniform(0, 1, n)
    t = 2 * x + rng.randn(n) * noise
    return x, t


def mse(w: Value, x: np.ndarray, t: np.ndarray) -> Value:
    """ξ = mean over samples of (t_i - w·x_i)², as a graph whose leaf is ``w``."""
    return nn.functional.mse_loss([w * xi for xi in x.tolist()], t.tolist())


def descend(w0: float, x: np.ndarray, t: np.ndarray, lr: float, steps: int) -> list[tuple[float, float]]:
    """``steps`` updates w <- w - lr·dξ/dw; the (w, loss) pairs before the first and after each."""
    w = Value(w0, label="w")
    history = []
    for _ in range(steps):
        w.grad = 0.0
        loss = mse(w, x, t)
        history.append((w.data, loss.data))
        loss.backward()
        w.data -= lr * w.grad
    history.append((w.data, mse(w, x, t).data))
    return history


def run(
    out: str | None = None, *, lr: float = 0.9, iterations: int = 10, seed: int = 13, verbose: bool = False
) -> dict[str, Any]:
    """Print the 4-iteration table, fit for ``iterations`` from a fresh random w, draw both.

    Returns ``w`` and ``loss`` after the ``iterations`` run, and ``w4``, ``loss4`` after the
    tutorial's 4 printed iterations.
    """
    check_options("linear_regression", LIMITS, out, lr=lr, iterations=iterations, seed=seed)
    rng = np.random.RandomState(seed)  # the legacy generator: the tutorial's np.random.seed(13) draws
    x, t = make_data(rng)
    table = descend(rng.rand(), x, t, lr, steps=4)
    for k, (w, loss) in enumerate(table):
        say(verbose, f"w({k}): {w:.4f} \t loss: {loss:.4f}")
    fit = descend(rng.rand(), x, t, lr, steps=iterations)
    w_final, loss_final = fit[-1]
    say(
        verbose,
        f"{iterations} iterations from w(0) = {fit[0][0]:.4f}: w = {w_final:.4f}, loss {loss_final:.4f}",
    )

    folder = demo_dir(out, "linear_regression")
    if folder is not None:
        _plot_descent(folder, x, t, table, lr)
        _plot_fit(folder, x, t, w_final, iterations)
    return {"w": w_final, "loss": loss_final, "w4": table[4][0], "loss4": table[4][1]}


def _plot_descent(
    folder: Any, x: np.ndarray, t: np.ndarray, table: list[tuple[float, float]], lr: float
) -> None:
    """The parabola with the path, whole and (right) zoomed on the last steps, which crowd the minimum."""
    fig, axes = new_figure(ncols=2, width=10.5, height=4.4)
    path_w, path_loss = zip(*table)
    last = path_w[2:]
    margin = max(0.05, (max(last) - min(last)) * 0.4)
    for ax, (lo, hi), first in zip(axes, [(0.0, 4.0), (min(last) - margin, max(last) + margin)], (0, 2)):
        ws = np.linspace(lo, hi, 200)
        losses = ((t[None, :] - ws[:, None] * x[None, :]) ** 2).mean(axis=1)
        ax.plot(ws, losses, color="tab:gray", label="loss ξ(w)")
        ax.plot(
            path_w[first:], path_loss[first:], "o-", color="tab:blue", label=f"w(k), learning rate {lr:g}"
        )
        for k in range(first, len(table) if first else first + 2):  # w(2).. crowd: labelled in the zoom
            ax.annotate(f"w({k})", (path_w[k], path_loss[k]), textcoords="offset points", xytext=(5, 7))
        ax.set(xlabel="w", ylabel="ξ (mean squared error)")
        ax.grid(alpha=0.3)
    axes[0].set_title(f"Gradient descent on the loss: {len(table) - 1} iterations")
    axes[1].set_title("Zoom on the last steps, near the minimum")
    axes[0].legend()
    save_figure(fig, folder, "descent.png")


def _plot_fit(folder: Any, x: np.ndarray, t: np.ndarray, w: float, iterations: int) -> None:
    fig, ax = new_figure()
    line = np.array([0.0, 1.0])
    ax.plot(x, t, "o", color="tab:blue", label="samples t")
    ax.plot(line, 2 * line, "--", color="tab:blue", label="t = 2x (before noise)")
    ax.plot(line, w * line, "-", color="tab:red", label=f"fitted y = {w:.3f}·x")
    ax.set(xlabel="x", ylabel="t, y", title=f"y = w·x after {iterations} gradient-descent iterations")
    ax.legend()
    ax.grid(alpha=0.3)
    save_figure(fig, folder, "fit.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(parser, run, LIMITS, "lr", "learning rate, at most 1 (default 0.9)")
        add_option(parser, run, LIMITS, "iterations", "iterations of the final fit (default 10)")
        add_option(parser, run, LIMITS, "seed", "numpy seed (13: the tutorial's data)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

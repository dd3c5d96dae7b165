"""makemore's MLP on names: the Bengio et al. (2003) character model of the makemore lectures,
written with this engine's Tensors and nn layers as the lectures write it with PyTorch's.

Karpathy's makemore lectures (parts 2 and 3, 2022) predict each letter of a name from the three
before it: the three letters' embeddings (10 numbers each, a table learned with the rest) go
through a hidden layer of 200 with BatchNorm and tanh, then a layer of 27 logits (26 letters and
".", which pads the start and marks the end). Kaiming initialisation with tanh's gain 5/3, the
last layer scaled by 0.1 so the first guess is near uniform (loss ln 27 = 3.30), minibatches of
32, SGD at lr 0.1 for the first three quarters of the steps and 0.01 after, on 80% of the
shuffled names; 10% are the dev set, 10% the test set. The lectures' 200,000 steps reach a dev
loss of about 2.17 without BatchNorm and 2.10 with it. ``--steps 200000`` is that full run; the
default is a short one.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import autograd
import nn
from autograd import no_grad
from demos._common import (
    DATA,
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

TITLE = "makemore's MLP on names (BatchNorm, tanh)"
PUBLISHED = "dev loss 2.10 with BatchNorm (2.17 without) after 200,000 steps"
PICTURES = {
    "loss.png": "The training loss of every minibatch (light) and its mean over each 1% of the run, with "
    "the dev loss at the end and the lectures' figure.",
}

CONTEXT, EMBED, HIDDEN = 3, 10, 200
BATCH = 32
LIMITS = {
    "steps": Limits(int, 1, 1_000_000),  # about 1 ms a step: the lectures' 200,000 take a few minutes
    "seed": SEED,
    "samples": Limits(int, 0, 1000),
}


def summary(result: dict[str, Any]) -> str:
    return (
        f"{result['steps']:,} steps: train {result['train_loss']:.3f}, dev {result['dev_loss']:.3f}; "
        f"{result['ms_per_step']:.2f} ms a step; {', '.join(result['samples'][:4])}"
    )


# --- data -----------------------------------------------------------------------------------------


def load_names(seed: int = 42) -> list[str]:
    """The 32,033 names of names.txt, shuffled as the lectures shuffle them (``random.seed(42)``)."""
    names = [line.strip() for line in (DATA / "names.txt").read_text().splitlines() if line.strip()]
    random.Random(seed).shuffle(names)
    return names


def alphabet(names: Sequence[str]) -> list[str]:
    """Token i is ``alphabet[i]``: "." (0) pads the start and ends every name, then the letters."""
    return ["."] + sorted(set("".join(names)))


def examples(names: Sequence[str], stoi: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Every (three letters before, next letter) pair in ``names``: X (n, 3) and Y (n,) as ints."""
    xs: list[list[int]] = []
    ys: list[int] = []
    for name in names:
        context = [0] * CONTEXT
        for ch in name + ".":
            xs.append(context)
            ys.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return np.array(xs, dtype=np.int64).reshape(-1, CONTEXT), np.array(ys, dtype=np.int64)


def splits(names: Sequence[str], stoi: dict[str, int]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """80% of the names to train on, 10% dev, 10% test (the lectures' split)."""
    n1, n2 = int(0.8 * len(names)), int(0.9 * len(names))
    parts = {"train": names[:n1], "dev": names[n1:n2], "test": names[n2:]}
    return {key: examples(part, stoi) for key, part in parts.items()}


# --- the model ------------------------------------------------------------------------------------


def build_model(vocab: int) -> nn.Sequential:
    """Embedding -> flatten -> Linear (no bias: BatchNorm has one) -> BatchNorm1d -> tanh -> Linear,
    in float32 as the lectures train it. Draws from the generator ``autograd.manual_seed`` sets."""
    f32 = np.float32
    model = nn.Sequential(
        nn.Embedding(vocab, EMBED, dtype=f32),
        nn.Flatten(),
        nn.Linear(CONTEXT * EMBED, HIDDEN, bias=False, dtype=f32),
        nn.BatchNorm1d(HIDDEN, dtype=f32),
        nn.Tanh(),
        nn.Linear(HIDDEN, vocab, dtype=f32),
    )
    nn.init.kaiming_normal_(model[2].weight, nonlinearity="tanh")  # std (5/3) / sqrt(30)
    with no_grad():
        model[5].weight.data *= 0.1  # a near-uniform first guess: loss starts near ln 27
    return model


@no_grad()
def split_loss(model: nn.Module, X: np.ndarray, Y: np.ndarray) -> float:
    """Mean cross-entropy over a whole split, BatchNorm on its running statistics (eval mode)."""
    model.eval()
    loss = nn.functional.cross_entropy(model(X), Y).item()
    model.train()
    return loss


@no_grad()
def sample(model: nn.Module, chars: Sequence[str], rng: np.random.Generator, limit: int = 50) -> str:
    """One name, letter by letter from the model's probabilities, until it emits "."."""
    model.eval()
    context, out = [0] * CONTEXT, list[str]()
    while len(out) < limit:
        probs = nn.functional.softmax(model(np.array([context])), dim=1).numpy()[0].astype(np.float64)
        ix = int(rng.choice(len(chars), p=probs / probs.sum()))
        if ix == 0:
            break
        out.append(chars[ix])
        context = context[1:] + [ix]
    model.train()
    return "".join(out)


# --- training -------------------------------------------------------------------------------------


def run(
    out: str | Path | None = None,
    *,
    steps: int = 50_000,
    seed: int = 2147483647,
    samples: int = 20,
    verbose: bool = False,
) -> dict[str, Any]:
    """Train for ``steps`` minibatches; return the final train and dev losses (over the whole
    splits, BatchNorm in eval mode), the loss of every step, the time per step, and sampled names."""
    check_options("makemore_mlp", LIMITS, out, steps=steps, seed=seed, samples=samples)
    names = load_names()
    chars = alphabet(names)
    data = splits(names, {c: i for i, c in enumerate(chars)})
    Xtr, Ytr = data["train"]
    autograd.manual_seed(seed)
    model = build_model(len(chars))
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    rng = np.random.default_rng(seed)
    switch = steps * 3 // 4  # the lectures: 0.1 for 150,000 of 200,000 steps, then 0.01
    losses: list[float] = []
    progress = Progress("makemore_mlp", steps, every=max(steps // 10, 1), verbose=verbose)
    start = time.perf_counter()
    for step in range(steps):
        ix = rng.integers(0, len(Xtr), size=BATCH)
        loss = nn.functional.cross_entropy(model(Xtr[ix]), Ytr[ix])
        opt.zero_grad()
        loss.backward()
        opt.param_groups[0]["lr"] = 0.1 if step < switch else 0.01
        opt.step()
        losses.append(loss.item())
        progress.update(step, loss=losses[-1])
    ms_per_step = 1e3 * (time.perf_counter() - start) / steps
    result: dict[str, Any] = {
        "steps": steps,
        "train_loss": split_loss(model, *data["train"]),
        "dev_loss": split_loss(model, *data["dev"]),
        "losses": losses,
        "ms_per_step": ms_per_step,
    }
    say(verbose, f"train {result['train_loss']:.4f}, dev {result['dev_loss']:.4f} (lectures: 2.07, 2.10)")
    draw = np.random.default_rng(seed + 10)
    result["samples"] = [sample(model, chars, draw) for _ in range(samples)]
    say(verbose, f"{samples} names: {', '.join(result['samples'])}")
    folder = demo_dir(out, "makemore_mlp")
    if folder is not None:
        _plot(folder, losses, result["dev_loss"])
    return result


def _plot(folder: Path, losses: list[float], dev_loss: float) -> None:
    fig, ax = new_figure(width=8, height=4.6)
    steps = np.arange(1, len(losses) + 1)
    ax.plot(
        steps, losses, color="tab:blue", lw=0.4, alpha=0.25, label="each minibatch of 32", **dots(len(steps))
    )
    chunk = max(len(losses) // 100, 1)
    if len(losses) >= 2 * chunk:
        whole = len(losses) // chunk * chunk
        means = np.asarray(losses[:whole]).reshape(-1, chunk).mean(axis=1)
        ax.plot(
            steps[chunk - 1 : whole : chunk], means, color="tab:blue", lw=2, label=f"mean of each {chunk:,}"
        )
    ax.axhline(dev_loss, color="tab:red", lw=1.5, label=f"dev loss at the end: {dev_loss:.3f}")
    ax.axhline(2.10, color="black", ls="--", lw=1, label="the lectures' dev loss (2.10)")
    ax.axhline(math.log(27), color="grey", ls=":", lw=1, label="ln 27: a uniform guess")
    ax.set(xlabel="step", ylabel="loss (cross-entropy)", title="makemore's MLP on names")
    ax.legend(loc="upper right")
    save_figure(fig, folder, "loss.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(parser, run, LIMITS, "steps", "minibatches of 32 (default 50,000; the lectures: 200,000)")
        add_option(
            parser,
            run,
            LIMITS,
            "seed",
            "seed of the weights, the batches and the samples (default 2147483647, the lectures')",
        )
        add_option(parser, run, LIMITS, "samples", "names to sample (default 20)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

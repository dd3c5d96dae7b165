"""microgpt's GPT on names, trained twice from the same weights: on scalar Values, as microgpt writes
it, and on Tensors, all positions of a name at once.

Karpathy's microgpt (2026) trains a GPT-2-like model in pure Python on scalar Values: a character
tokenizer over names.txt (26 letters and a BOS token that starts and ends each name), n_embd 16,
4 heads, 1 layer, block 16, RMSNorm, a ReLU MLP 4x wide, weights N(0, 0.08), Adam (0.85, 0.99)
at lr 0.01 decaying linearly to 0, one name a step for 1,000 steps, then samples names at
temperature 0.5. Here the Value model is that code on this engine's Value; the Tensor model is
the same network written with matrix products and a causal mask. Both start from the same weights
and see the same names, so their losses must agree step for step (to about 1e-9): each engine
checks the other. The loss starts at ln 27 = 3.30 (a uniform guess over 27 tokens).
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad
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

TITLE = "microgpt's GPT on names, on Values and on Tensors"
PUBLISHED = "loss from ln 27 = 3.30 down over 1,000 steps; names such as kamon, karai, anna"
PICTURES = {
    "loss.png": "The training loss of each step on Values and on Tensors (the two lines lie on top of each "
    "other), with its running mean, and how far apart the two are at each step.",
}

N_EMBD, N_HEAD, N_LAYER, BLOCK = 16, 4, 1, 16
HEAD_DIM = N_EMBD // N_HEAD


def summary(result: dict[str, Any]) -> str:
    losses = result["tensor_losses"]
    tail = float(np.mean(losses[-50:]))
    return (
        f"loss {losses[0]:.2f} -> {tail:.2f} (last 50), engines agree to {result['max_difference']:.0e}; "
        f"{result['value_ms_per_step']:.0f} ms on Values, {result['tensor_ms_per_step']:.1f} ms on Tensors; "
        f"{', '.join(result['samples'][:4])}"
    )


# --- data -----------------------------------------------------------------------------------------


def load_names(seed: int = 42) -> list[str]:
    """The 32,033 names of makemore's names.txt, shuffled (microgpt shuffles them with seed 42)."""
    names = [line.strip() for line in (DATA / "names.txt").read_text().splitlines() if line.strip()]
    random.Random(seed).shuffle(names)
    return names


class Tokenizer:
    """Characters to ids 0..25 and back; id 26 is BOS, which starts and ends every name."""

    def __init__(self, names: Sequence[str]) -> None:
        self.chars = sorted(set("".join(names)))
        self.bos = len(self.chars)
        self.vocab = len(self.chars) + 1
        self._index = {c: i for i, c in enumerate(self.chars)}

    def encode(self, name: str) -> list[int]:
        return [self.bos] + [self._index[c] for c in name] + [self.bos]

    def decode(self, ids: Sequence[int]) -> str:
        return "".join(self.chars[i] for i in ids if i != self.bos)


def init_weights(vocab: int, seed: int = 0) -> dict[str, np.ndarray]:
    """The weight matrices, each (out, in), drawn from N(0, 0.08)."""
    rng = np.random.default_rng(seed)
    shapes = {"wte": (vocab, N_EMBD), "wpe": (BLOCK, N_EMBD), "lm_head": (vocab, N_EMBD)}
    for i in range(N_LAYER):
        shapes |= {f"layer{i}.attn_{name}": (N_EMBD, N_EMBD) for name in ("wq", "wk", "wv", "wo")}
        shapes |= {f"layer{i}.mlp_fc1": (4 * N_EMBD, N_EMBD), f"layer{i}.mlp_fc2": (N_EMBD, 4 * N_EMBD)}
    return {name: rng.normal(0.0, 0.08, size=shape) for name, shape in shapes.items()}


class Adam:
    """microgpt's Adam with its linear decay, on a list of floats or of arrays alike."""

    def __init__(self, steps: int, lr: float = 0.01, beta1: float = 0.85, beta2: float = 0.99) -> None:
        self.steps, self.lr, self.beta1, self.beta2, self.eps = steps, lr, beta1, beta2, 1e-8
        self.m: list[Any] = []
        self.v: list[Any] = []
        self.t = 0

    def step(self, params: Sequence[Any]) -> None:
        """Update every ``p.data`` from ``p.grad``, then zero the grads."""
        if not self.m:
            self.m, self.v = [p.grad * 0 for p in params], [p.grad * 0 for p in params]
        b1, b2, t = self.beta1, self.beta2, self.t
        lr_t = self.lr * (1 - t / self.steps)
        for i, p in enumerate(params):
            self.m[i] = b1 * self.m[i] + (1 - b1) * p.grad
            self.v[i] = b2 * self.v[i] + (1 - b2) * p.grad**2
            m_hat = self.m[i] / (1 - b1 ** (t + 1))
            v_hat = self.v[i] / (1 - b2 ** (t + 1))
            p.data -= lr_t * m_hat / (v_hat**0.5 + self.eps)
            p.grad = p.grad * 0
        self.t += 1


# --- the model on scalar Values, as microgpt writes it --------------------------------------------


class ValueGPT:
    """microgpt's model on a scalar Value class ``V`` (this engine's `Value`, or the benchmark's
    peers): every weight a Value, every position computed on its own with a cache of keys and
    values, the loss a graph of about 8,000 nodes per position."""

    def __init__(self, weights: dict[str, np.ndarray], V: Callable[[float], Any] = Value) -> None:
        self.sd = {k: [[V(float(x)) for x in row] for row in m] for k, m in weights.items()}
        self.params = [p for m in self.sd.values() for row in m for p in row]

    @staticmethod
    def linear(x: Sequence[Any], w: Sequence[Sequence[Any]]) -> list[Any]:
        return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]

    @staticmethod
    def softmax(logits: Sequence[Any]) -> list[Any]:
        top = max(v.data for v in logits)
        exps = [(v - top).exp() for v in logits]
        total = sum(exps)
        return [e / total for e in exps]

    @staticmethod
    def rmsnorm(x: Sequence[Any]) -> list[Any]:
        ms = sum(xi * xi for xi in x) / len(x)
        scale = (ms + 1e-5) ** -0.5
        return [xi * scale for xi in x]

    def forward(self, token: int, pos: int, keys: list[list[Any]], values: list[list[Any]]) -> list[Any]:
        sd = self.sd
        x = self.rmsnorm([t + p for t, p in zip(sd["wte"][token], sd["wpe"][pos])])
        for li in range(N_LAYER):
            residual = x
            x = self.rmsnorm(x)
            q = self.linear(x, sd[f"layer{li}.attn_wq"])
            keys[li].append(self.linear(x, sd[f"layer{li}.attn_wk"]))
            values[li].append(self.linear(x, sd[f"layer{li}.attn_wv"]))
            heads: list[Any] = []
            for h in range(N_HEAD):
                s = h * HEAD_DIM
                qh = q[s : s + HEAD_DIM]
                kh = [k[s : s + HEAD_DIM] for k in keys[li]]
                vh = [v[s : s + HEAD_DIM] for v in values[li]]
                scores = [sum(qh[j] * kt[j] for j in range(HEAD_DIM)) / HEAD_DIM**0.5 for kt in kh]
                weights = self.softmax(scores)
                heads.extend(sum(weights[t] * vh[t][j] for t in range(len(vh))) for j in range(HEAD_DIM))
            x = [a + b for a, b in zip(self.linear(heads, sd[f"layer{li}.attn_wo"]), residual)]
            residual = x
            x = [xi.relu() for xi in self.linear(self.rmsnorm(x), sd[f"layer{li}.mlp_fc1"])]
            x = [a + b for a, b in zip(self.linear(x, sd[f"layer{li}.mlp_fc2"]), residual)]
        return self.linear(x, sd["lm_head"])

    def loss(self, tokens: Sequence[int]) -> Any:
        """The mean cross-entropy of predicting each next token of one name."""
        n = min(BLOCK, len(tokens) - 1)
        keys: list[list[Any]] = [[] for _ in range(N_LAYER)]
        values: list[list[Any]] = [[] for _ in range(N_LAYER)]
        losses = []
        for pos in range(n):
            probs = self.softmax(self.forward(tokens[pos], pos, keys, values))
            losses.append(-probs[tokens[pos + 1]].log())
        return (1 / n) * sum(losses)


# --- the same model on Tensors ----------------------------------------------------------------------

FUTURE = np.triu(np.ones((BLOCK, BLOCK), dtype=bool), k=1)  # position t may not look at t+1, t+2, ...


class TensorGPT:
    """The same network on Tensors: a name's positions all at once, attention masked to the past."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.w = {k: Tensor(m.copy(), requires_grad=True, label=k) for k, m in weights.items()}
        self.params = list(self.w.values())

    @staticmethod
    def rmsnorm(x: Tensor) -> Tensor:
        return x * ((x * x).mean(dim=-1, keepdim=True) + 1e-5) ** -0.5

    def forward(self, ids: Sequence[int]) -> Tensor:
        """The logits (n, vocab) of every position of ``ids``."""
        w, n = self.w, len(ids)
        x = self.rmsnorm(w["wte"][np.asarray(ids)] + w["wpe"][:n])
        for li in range(N_LAYER):
            residual = x
            h = self.rmsnorm(x)
            q, k, v = (
                (h @ w[f"layer{li}.attn_{name}"].T).view(n, N_HEAD, HEAD_DIM).transpose(0, 1)
                for name in ("wq", "wk", "wv")
            )  # (heads, n, head_dim)
            scores = (q @ k.transpose(-2, -1) / HEAD_DIM**0.5).masked_fill(FUTURE[:n, :n], -math.inf)
            heads = (scores.softmax(dim=-1) @ v).transpose(0, 1).reshape(n, N_EMBD)
            x = heads @ w[f"layer{li}.attn_wo"].T + residual
            residual = x
            x = (self.rmsnorm(x) @ w[f"layer{li}.mlp_fc1"].T).relu() @ w[f"layer{li}.mlp_fc2"].T + residual
        return x @ w["lm_head"].T

    def loss(self, tokens: Sequence[int]) -> Tensor:
        n = min(BLOCK, len(tokens) - 1)
        logp = self.forward(tokens[:n]).log_softmax(dim=-1)
        return -logp[np.arange(n), np.asarray(tokens[1 : n + 1])].mean()

    @no_grad()
    def sample(self, tok: Tokenizer, rng: np.random.Generator, temperature: float = 0.5) -> str:
        """One name, drawn a character at a time until BOS (or the block is full)."""
        ids = [tok.bos]
        while len(ids) <= BLOCK:
            probs = sampling_probs(self.forward(ids)[-1].numpy(), temperature)
            nxt = int(rng.choice(tok.vocab, p=probs))
            if nxt == tok.bos:
                break
            ids.append(nxt)
        return tok.decode(ids)


def sampling_probs(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / temperature), for any temperature > 0: the logits are shifted by their
    largest before the division, so the exponent is at most 0 and a tiny temperature (1e-308)
    sends every other logit to -inf (probability 0) instead of overflowing to inf/inf = NaN.
    As the temperature goes to 0 this becomes argmax (shared between exact ties).

    >>> sampling_probs(np.array([1.0, 3.0, 2.0]), 1e-308).tolist()
    [0.0, 1.0, 0.0]
    """
    with np.errstate(over="ignore"):  # (x - max) / 1e-308 is -inf: exp gives the 0 it should
        scaled = (logits - logits.max()) / temperature
    weights = np.exp(scaled)
    return weights / weights.sum()


# --- training both ----------------------------------------------------------------------------------

LIMITS = {
    "steps": Limits(int, 1, 1000),  # microgpt's own run: about 0.12 s a step (both models), two minutes
    "seed": SEED,
    "samples": Limits(int, 0, 1000),  # a few ms each
    # past 100 every name is a uniform draw; down to the smallest float above 0 it is argmax
    "temperature": Limits(float, 0.0, 100.0, above=True),
}


def run(
    out: str | Path | None = None,
    *,
    steps: int = 100,
    seed: int = 0,
    samples: int = 20,
    temperature: float = 0.5,
    verbose: bool = False,
) -> dict[str, Any]:
    """Train the Value model and the Tensor model side by side for ``steps`` names; return both
    losses of every step, each one's time per step, and names sampled from the Tensor model."""
    check_options("microgpt", LIMITS, out, steps=steps, seed=seed, samples=samples, temperature=temperature)
    names = load_names()
    tok = Tokenizer(names)
    weights = init_weights(tok.vocab, seed)
    scalar, tensor = ValueGPT(weights), TensorGPT(weights)
    adam_v, adam_t = Adam(steps), Adam(steps)
    value_losses, tensor_losses, value_s, tensor_s = [], [], 0.0, 0.0
    progress = Progress("microgpt", steps, every=max(steps // 10, 1), verbose=verbose)
    for step in range(steps):
        tokens = tok.encode(names[step % len(names)])
        t0 = time.perf_counter()
        loss = scalar.loss(tokens)
        loss.backward()
        adam_v.step(scalar.params)
        t1 = time.perf_counter()
        loss_t = tensor.loss(tokens)
        loss_t.backward()
        adam_t.step(tensor.params)
        t2 = time.perf_counter()
        value_s, tensor_s = value_s + t1 - t0, tensor_s + t2 - t1
        value_losses.append(loss.data)
        tensor_losses.append(loss_t.item())
        progress.update(step, value_loss=loss.data, tensor_loss=loss_t.item())
    rng = np.random.default_rng(seed)
    drawn = [tensor.sample(tok, rng, temperature) for _ in range(samples)]
    difference = max(abs(a - b) for a, b in zip(value_losses, tensor_losses))
    result = {
        "steps": steps,
        "value_losses": value_losses,
        "tensor_losses": tensor_losses,
        "max_difference": difference,
        "value_ms_per_step": 1e3 * value_s / steps,
        "tensor_ms_per_step": 1e3 * tensor_s / steps,
        "samples": drawn,
    }
    say(verbose, f"{samples} names at temperature {temperature}: {', '.join(drawn)}")
    folder = demo_dir(out, "microgpt")
    if folder is not None:
        _plot(folder, value_losses, tensor_losses)
    return result


def _plot(folder: Path, value_losses: list[float], tensor_losses: list[float]) -> None:
    fig, (ax, gap) = new_figure(2, width=11, height=4.2)
    steps = np.arange(1, len(value_losses) + 1)
    ax.plot(steps, value_losses, color="tab:orange", lw=2.5, alpha=0.6, label="on Values", **dots(len(steps)))
    ax.plot(steps, tensor_losses, color="tab:blue", lw=0.8, label="on Tensors", **dots(len(steps)))
    window = max(len(steps) // 10, 1)
    if len(steps) >= 10:
        smooth = np.convolve(tensor_losses, np.ones(window) / window, mode="valid")
        ax.plot(steps[window - 1 :], smooth, color="black", lw=1.5, label=f"running mean of {window}")
    ax.axhline(math.log(27), color="grey", ls=":", lw=1, label="ln 27: a uniform guess")
    ax.set(xlabel="step (one name each)", ylabel="loss (mean cross-entropy)", title="microgpt's GPT on names")
    ax.legend()
    diff = np.abs(np.asarray(value_losses) - np.asarray(tensor_losses))
    gap.semilogy(steps, np.maximum(diff, 1e-18), color="tab:purple", lw=1, **dots(len(steps)))
    gap.set(xlabel="step", ylabel="|loss on Values - loss on Tensors|", title="the two engines agree")
    save_figure(fig, folder, "loss.png")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(
            parser, run, LIMITS, "steps", "training steps, one name each (default 100; microgpt: 1000)"
        )
        add_option(parser, run, LIMITS, "seed", "seed of the weights and the samples (default 0)")
        add_option(parser, run, LIMITS, "samples", "names to sample (default 20)")
        add_option(parser, run, LIMITS, "temperature", "sampling temperature (default 0.5)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

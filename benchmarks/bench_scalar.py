"""Scalar engine against micrograd 0.1.0, side by side in one process.

One training step of micrograd's two-moons demo: nn.MLP 2-16-16-1 (ReLU, linear output), 100 points,
SVM max-margin loss mean(relu(1 - y·score)) + 1e-4·Σp², full-batch backward, SGD update. Both
engines start from the same weights; the garbage collector stays on, as users run it. Also: bytes
per graph node (tracemalloc) and seconds for backward through a 1,000,000-node chain.

Run: ``make bench`` or ``python benchmarks/bench_scalar.py [--repeats N]``. micrograd is a
benchmark-only dependency (``pip install micrograd==0.1.0``); without it only our figures print.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Value

try:
    from micrograd.engine import Value as MgValue
except ImportError:  # benchmark-only dependency
    MgValue = None


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, labels -1/+1 (as micrograd's demo uses)."""
    rng = np.random.default_rng(seed)
    t_out = np.linspace(0, np.pi, n // 2 + n % 2)
    t_in = np.linspace(0, np.pi, n // 2)
    X = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)], np.c_[1 - np.cos(t_in), 0.5 - np.sin(t_in)]])
    X += rng.normal(0.0, noise, X.shape)
    y = np.concatenate([-np.ones(len(t_out)), np.ones(len(t_in))])
    return X, y


def make_models() -> dict[str, tuple[Any, Callable[[float], Any]]]:
    """name -> (model, its Value class): nn.MLP(2, [16, 16, 1]) and, when installed, micrograd's
    MLP with the same weights (both list a neuron's weights, then its bias, layer by layer)."""
    import nn

    ours = nn.MLP(2, [16, 16, 1], rng=0)
    models: dict[str, tuple[Any, Callable[[float], Any]]] = {"ours": (ours, Value)}
    if MgValue is not None:
        from micrograd import nn as micrograd_nn

        theirs = micrograd_nn.MLP(2, [16, 16, 1])
        for mine, their in zip(ours.parameters(), theirs.parameters(), strict=True):
            their.data = mine.data
        models["micrograd"] = (theirs, MgValue)
    return models


def train_step(
    model: Any, cls: Callable[[float], Any], X: np.ndarray, y: np.ndarray, lr: float = 0.1
) -> float:
    """micrograd's demo step, written as its notebook writes it."""
    inputs = [[cls(v) for v in row] for row in X.tolist()]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * s).relu() for yi, s in zip(y.tolist(), scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def time_steps(model: Any, cls: Callable[[float], Any], repeats: int) -> tuple[float, float]:
    X, y = make_moons()
    times, loss = [], 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        loss = train_step(model, cls, X, y)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), loss


def bytes_per_node(cls: Any, n: int = 100_000) -> float:
    """Memory held by a graph of n `a * b + c`-style nodes, per node, measured by tracemalloc."""
    leaves = [cls(0.5) for _ in range(3)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    nodes = []
    x = leaves[0]
    for _ in range(n):
        x = x * leaves[1] + leaves[2]  # two nodes per round, no constants
        nodes.append(x)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before - sys.getsizeof(nodes)) / (2 * n)


def chain_seconds(n: int = 1_000_000) -> float:
    x = Value(0.0)
    y = x
    t0 = time.perf_counter()
    for _ in range(n - 1):
        y = y.tanh()
    y.backward()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-chain", action="store_true", help="skip the 1,000,000-node chain")
    args = parser.parse_args(argv)

    models = make_models()
    ours, loss_ours = time_steps(*models["ours"], args.repeats)
    print(f"moons MLP step (nn.MLP 2-16-16-1, 100 points), median of {args.repeats}:")
    print(f"  ours       {ours * 1e3:8.1f} ms   loss after {args.repeats} steps {loss_ours:.6f}")
    mem_ours = bytes_per_node(Value)
    if "micrograd" in models:
        theirs, loss_theirs = time_steps(*models["micrograd"], args.repeats)
        print(f"  micrograd  {theirs * 1e3:8.1f} ms   loss after {args.repeats} steps {loss_theirs:.6f}")
        print(f"  speed-up   {theirs / ours:8.1f}x   (bar: >= 10x)")
        mem_theirs = bytes_per_node(MgValue)
        print(f"bytes per node: ours {mem_ours:.0f}, micrograd {mem_theirs:.0f}, "
              f"ratio {mem_ours / mem_theirs:.2f} (bar: <= 0.25, and <= 170 bytes)")
    else:
        print("  micrograd not installed (pip install micrograd==0.1.0): no ratio")
        print(f"bytes per node: ours {mem_ours:.0f} (bar: <= 170)")
    if not args.no_chain:
        print(f"1,000,000-node chain, forward + backward: {chain_seconds():.2f} s")


if __name__ == "__main__":
    main()

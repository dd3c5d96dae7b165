"""Scalar engine against micrograd 0.1.0, side by side in one process.

One training step of micrograd's two-moons demo: MLP 2-16-16-1 (ReLU, linear output), 100 points,
SVM max-margin loss mean(relu(1 - y·score)) + 1e-4·Σp², full-batch backward, SGD update. Both
engines start from the same weights; the garbage collector stays on, as users run it. Also: bytes
per graph node (tracemalloc) and seconds for backward through a 1,000,000-node chain.

Run: ``make bench`` or ``python benchmarks/bench_scalar.py [--repeats N]``. micrograd is a
benchmark-only dependency (``pip install micrograd==0.1.0``); without it only our figures print.
"""

from __future__ import annotations

import argparse
import gc
import random
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


def init_weights(sizes: list[int], seed: int = 0) -> list[tuple[list[list[float]], list[float]]]:
    rng = random.Random(seed)
    return [
        ([[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)], [0.0] * nout)
        for nin, nout in zip(sizes, sizes[1:])
    ]


def build_mlp(cls: Callable[[float], Any], weights: list[tuple[list[list[float]], list[float]]]) -> list[Any]:
    """Layers as lists of (w, b) neurons made of `cls` nodes."""
    return [[([cls(w) for w in row], cls(b)) for row, b in zip(W, B)] for W, B in weights]


def forward(layers: list[Any], x: list[Any]) -> Any:
    for k, layer in enumerate(layers):
        last = k == len(layers) - 1
        out = []
        for w, b in layer:
            act = sum((wi * xi for wi, xi in zip(w, x)), b)
            out.append(act if last else act.relu())
        x = out
    return x[0]


def params(layers: list[Any]) -> list[Any]:
    return [p for layer in layers for w, b in layer for p in [*w, b]]


def train_step(layers: list[Any], X: np.ndarray, y: np.ndarray, lr: float = 0.1) -> float:
    xs = X.tolist()
    scores = [forward(layers, x) for x in xs]
    losses = [(1 + -yi * s).relu() for yi, s in zip(y.tolist(), scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    ps = params(layers)
    loss = data_loss + 1e-4 * sum(p * p for p in ps)
    for p in ps:
        p.grad = 0.0
    loss.backward()
    for p in ps:
        p.data -= lr * p.grad
    return loss.data


def time_steps(cls: Any, repeats: int) -> tuple[float, float]:
    X, y = make_moons()
    layers = build_mlp(cls, init_weights([2, 16, 16, 1]))
    times, loss = [], 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        loss = train_step(layers, X, y)
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

    ours, loss_ours = time_steps(Value, args.repeats)
    print(f"moons MLP step (2-16-16-1, 100 points), median of {args.repeats}:")
    print(f"  ours       {ours * 1e3:8.1f} ms   loss after {args.repeats} steps {loss_ours:.6f}")
    mem_ours = bytes_per_node(Value)
    if MgValue is not None:
        theirs, loss_theirs = time_steps(MgValue, args.repeats)
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

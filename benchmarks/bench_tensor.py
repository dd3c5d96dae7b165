"""Tensor engine against hand-written numpy and PyTorch (CPU), side by side in one process.

One SGD training step (forward, backward, update) of two MLPs, all three starting from the same
weights, taking turns in blocks of steps (so load from other processes hits all alike), garbage
collector on:

(a) 784-256-10, ReLU, batch 128, float32, softmax cross-entropy;
(b) 2-16-16-1, ReLU, batch 100 two-moons points, float64, max-margin loss mean(relu(1 - y·score))
    + 1e-4·Σp² (micrograd's demo), where per-op Python overhead dominates.

The hand-written numpy step is the floor: the same math with the backward pass derived by hand.
Bars (DESIGN.md): ours <= 1.2x numpy on (a), <= 2.5x on (b), and faster than PyTorch on both.
Reported: the median over blocks of the per-block ratio of median step times. Weights are (in,
out), so a layer is x @ W + b.

BLAS and PyTorch run single-threaded (unless OPENBLAS_NUM_THREADS is set: the script re-runs
itself with the variables set): on a small machine shared with other work, a multi-threaded matrix
product stalls whenever another process holds one of its cores, and the medians then measure the
neighbours. All three contenders get the same setting.

Run: ``make bench`` or ``python benchmarks/bench_tensor.py [--repeats N]``. PyTorch is optional.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scalar import make_moons  # noqa: E402  (one two-moons generator for both benchmarks)

from autograd import Tensor  # noqa: E402

torch: Any
try:
    import torch
except ImportError:  # benchmark-only dependency
    torch = None

LR = 0.1
ALPHA = 1e-4  # L2 weight of the max-margin loss


def init_weights(sizes: list[int], dtype: type, seed: int = 0) -> list[np.ndarray]:
    """[W1, b1, W2, b2, ...], He-initialised W of shape (in, out), small random biases."""
    rng = np.random.default_rng(seed)
    params = []
    for nin, nout in zip(sizes, sizes[1:]):
        params.append((rng.standard_normal((nin, nout)) * np.sqrt(2.0 / nin)).astype(dtype))
        params.append((rng.standard_normal(nout) * 0.01).astype(dtype))
    return params


def mlp(params: list[Any], x: Any) -> Any:
    """Layers x @ W + b with ReLU between them, the last one linear (Tensors or torch tensors)."""
    last = len(params) // 2 - 1
    for i in range(0, len(params), 2):
        x = x @ params[i] + params[i + 1]
        if i // 2 < last:
            x = x.relu()
    return x


def sgd_step(params: list[Tensor], loss: Tensor) -> float:
    """Our backward and plain SGD update, the same for both problems (``.data`` and ``.grad``
    share the parameter's memory, as PyTorch's: the update changes its array in place)."""
    for p in params:
        p.grad = None
    loss.backward()
    for p in params:
        p.data -= LR * p.grad  # type: ignore[operator]
    return loss.item()


# --- (a) cross-entropy ---------------------------------------------------------------------------


def ours_ce_step(params: list[Tensor], X: Tensor, y: np.ndarray) -> float:
    logits = mlp(params, X)
    loss = -logits.log_softmax(axis=1)[np.arange(len(y)), y].mean()
    return sgd_step(params, loss)


def numpy_ce_step(params: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    W1, b1, W2, b2 = params
    n, rows = len(y), np.arange(len(y))
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    logits = h @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -logp[rows, y].mean()
    d = np.exp(logp)  # dloss/dlogits = (softmax - onehot) / n
    d[rows, y] -= 1
    d /= n
    dz1 = (d @ W2.T) * (z1 > 0)
    for w, g in zip(params, (X.T @ dz1, dz1.sum(axis=0), h.T @ d, d.sum(axis=0))):
        w -= LR * g
    return float(loss)


def torch_ce_step(params: list[Any], X: Any, y: Any) -> float:
    loss = torch.nn.functional.cross_entropy(mlp(params, X), y)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= LR * p.grad
            p.grad = None
    return loss.item()


# --- (b) max-margin ------------------------------------------------------------------------------


def ours_margin_step(params: list[Tensor], X: Tensor, y: Tensor) -> float:
    scores = mlp(params, X)
    data_loss = (1 + -y * scores).relu().mean()
    loss = data_loss + ALPHA * sum((p * p).sum() for p in params)
    return sgd_step(params, loss)


def numpy_margin_step(params: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    W1, b1, W2, b2, W3, b3 = params
    z1 = X @ W1 + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ W2 + b2
    h2 = np.maximum(z2, 0)
    margin = 1 - y * (h2 @ W3 + b3)
    loss = np.maximum(margin, 0).mean() + ALPHA * sum((p * p).sum() for p in params)
    ds = -y * (margin > 0) / len(y)  # dloss/dscores
    dz2 = (ds @ W3.T) * (z2 > 0)
    dz1 = (dz2 @ W2.T) * (z1 > 0)
    grads = (X.T @ dz1, dz1.sum(axis=0), h1.T @ dz2, dz2.sum(axis=0), h2.T @ ds, ds.sum(axis=0))
    for w, g in zip(params, grads):
        w -= LR * (g + 2 * ALPHA * w)
    return float(loss)


def torch_margin_step(params: list[Any], X: Any, y: Any) -> float:
    data_loss = (1 - y * mlp(params, X)).relu().mean()
    loss = data_loss + ALPHA * sum((p * p).sum() for p in params)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= LR * p.grad
            p.grad = None
    return loss.item()


# --- timing --------------------------------------------------------------------------------------


def problem_a() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X = rng.random((128, 784), dtype=np.float32)
    y = rng.integers(0, 10, size=128)
    return init_weights([784, 256, 10], np.float32), X, y


def problem_b() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    X, y = make_moons(100)
    return init_weights([2, 16, 16, 1], np.float64), X, y.reshape(-1, 1)


def contenders(
    weights: list[np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    steps: dict[str, Callable[..., float]],
    y_is_index: bool,
) -> dict[str, Callable[[], float]]:
    """name -> a no-argument step on its own copy of the weights."""
    runs: dict[str, Callable[[], float]] = {}
    ours = [Tensor(w.copy(), requires_grad=True) for w in weights]
    X_t, y_t = Tensor(X), (y if y_is_index else Tensor(y))
    runs["ours"] = lambda: steps["ours"](ours, X_t, y_t)
    hand = [w.copy() for w in weights]
    runs["numpy"] = lambda: steps["numpy"](hand, X, y)
    if torch is not None:
        theirs = [torch.tensor(w, requires_grad=True) for w in weights]
        X_p, y_p = torch.from_numpy(X), torch.from_numpy(y)
        runs["torch"] = lambda: steps["torch"](theirs, X_p, y_p)
    return runs


def race(runs: dict[str, Callable[[], float]], repeats: int, blocks: int = 20) -> dict[str, Any]:
    """Time every contender's step, taking turns block by block.

    The contenders take turns in blocks of steps, so that a load spike from other processes hits
    them alike, while each block is long enough for the other library's worker threads (OpenBLAS,
    PyTorch's OpenMP pool) to go idle: stepping them alternately makes them fight for the cores.
    Returns name -> (the median step time of each block, the loss of the last step).
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    losses: dict[str, float] = {}
    per_block = max(repeats // blocks, 1)
    for _ in range(blocks):
        for name, step in runs.items():
            for _ in range(3):  # warm up: caches, allocator, thread pool
                step()
            block = []
            for _ in range(per_block):
                t0 = time.perf_counter()
                losses[name] = step()
                block.append(time.perf_counter() - t0)
            times[name].append(statistics.median(block))
    return {name: (times[name], losses[name]) for name in runs}


def report(title: str, results: dict[str, Any], bar: float) -> float:
    """Print each contender's median step time and its ratio to numpy: the median over blocks of
    the per-block ratios (a load spike moves both sides of a block's ratio alike)."""
    numpy_blocks = results["numpy"][0]
    base = statistics.median(numpy_blocks)
    unit, scale, digits = ("ms", 1e3, 3) if base > 5e-4 else ("us", 1e6, 1)
    print(title)
    for name, (blocks, loss) in results.items():
        ratio = statistics.median(b / n for b, n in zip(blocks, numpy_blocks))
        median = statistics.median(blocks) * scale
        print(f"  {name:6s} {median:8.{digits}f} {unit}   {ratio:4.2f}x numpy   loss {loss:.6f}")
    ours = statistics.median(b / n for b, n in zip(results["ours"][0], numpy_blocks))
    met = "met" if ours <= bar else "NOT met"
    line = f"  ours / numpy: {ours:.2f}x, median of per-block ratios (bar: <= {bar}x: {met})"
    if "torch" in results:
        vs = statistics.median(b / t for b, t in zip(results["ours"][0], results["torch"][0]))
        line += f"; ours / PyTorch: {vs:.2f}x (bar: < 1: {'met' if vs < 1 else 'NOT met'})"
    print(line)
    return ours


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=400)
    args = parser.parse_args(argv)
    if torch is None:
        print("PyTorch not installed: ours against numpy only")

    Steps = dict[str, Callable[..., float]]
    weights, X, y = problem_a()
    steps_a: Steps = {"ours": ours_ce_step, "numpy": numpy_ce_step, "torch": torch_ce_step}
    results = race(contenders(weights, X, y, steps_a, y_is_index=True), args.repeats // 2)
    title = "(a) MLP 784-256-10, batch 128, float32, cross-entropy: one SGD step"
    report(f"{title}, {args.repeats // 2} runs", results, 1.2)

    weights, X, y = problem_b()
    steps_b: Steps = {"ours": ours_margin_step, "numpy": numpy_margin_step, "torch": torch_margin_step}
    results = race(contenders(weights, X, y, steps_b, y_is_index=False), args.repeats)
    title = "(b) MLP 2-16-16-1, batch 100, float64, max-margin + L2: one SGD step"
    report(f"{title}, {args.repeats} runs", results, 2.5)


def single_threaded() -> None:
    """Re-run this script with one BLAS / OpenMP thread, unless the caller chose (see above)."""
    if "OPENBLAS_NUM_THREADS" not in os.environ:
        one = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **one})


if __name__ == "__main__":
    single_threaded()
    main()

"""Forward mode against reverse mode: `autograd.func`'s jacfwd and jacrev, and jvp's memory.

One pass of forward mode (`jvp`) gives one column of the Jacobian, one pass of reverse mode (`vjp`)
one row. So `jacfwd` needs one pass per input and `jacrev` one per output, and the theory says:
forward wins on a tall Jacobian (few inputs, many outputs) and loses on a wide one. And forward
mode keeps no graph, so its memory does not grow with the length of the computation, where
reverse mode holds every node until the backward pass. Two measurements, in one process:

1. Jacobians, float64 Tensors, n = 1000 (``a``, ``b``, ``c`` fixed random n-vectors):
   tall f: R^1 -> R^n, f(x) = tanh(a·x + b); wide g: R^n -> R^1, g(x) = Σ tanh(x)·c.
   ``jacfwd`` and ``jacrev`` of each, and ``torch.func.jacfwd``/``jacrev`` of the same functions
   beside them when PyTorch is installed (one thread, as ours). The contenders take turns repeat
   by repeat (the order rotating), each sample long enough (several calls) to read the clock
   well; the figure is the median over repeats of the per-repeat ratio jacfwd / jacrev. All
   Jacobians must agree to 1e-12. Bar (DESIGN.md): jacfwd faster on the tall one, slower on the
   wide one.
2. ``jvp`` through a chain of 1,000,000 Value ops (x -> x·A + B, A = 1 + 1e-7, B = 1e-7: the
   value stays finite and dx/dx0 = A^(ops/2)), beside the same chain differentiated by reverse
   mode (forward, then ``backward()``): wall time (the two taking turns, round by round) and the
   peak memory each allocates (tracemalloc, in separate runs, as tracemalloc slows every
   allocation), also at 100,000 ops. Bar: jvp's memory is flat, the same at both lengths.

Run: ``make bench`` or ``python benchmarks/bench_func.py [--repeats N] [--size N] [--chain OPS]``.
PyTorch is optional. About a minute with the defaults (a jvp under tracemalloc is most of it).
"""

from __future__ import annotations

import argparse
import functools
import gc
import math
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, Value
from autograd.func import jacfwd, jacrev, jvp

torch: Any
try:
    import torch
    import torch.func
except ImportError:  # a benchmark-only peer
    torch = None

A, B = 1.0 + 1e-7, 1e-7  # the chain's step: small, so a million ops stay finite (0.5 -> 0.58)
TOL = 1e-12
SAMPLE_SECONDS = 0.005  # each timed sample repeats a call until about this long


# --- the functions, written once for our Tensors and torch's ----------------------------------


def tall(x: Any, a: Any, b: Any) -> Any:
    """R^1 -> R^n: each output depends on the one input."""
    return (x * a + b).tanh()


def wide(x: Any, c: Any) -> Any:
    """R^n -> R^1: the one output depends on every input."""
    return (x.tanh() * c).sum()


def problems(
    n: int, seed: int = 0
) -> dict[str, tuple[str, Callable[..., Any], dict[str, np.ndarray], np.ndarray]]:
    """name -> (description, function, its constants, the point x), for the tall and the wide
    Jacobian of size n."""
    rng = np.random.default_rng(seed)
    a, b, c = (rng.standard_normal(n) for _ in range(3))
    return {
        "tall": (f"R^1 -> R^{n}, tanh(a*x + b)", tall, {"a": a, "b": b}, np.array([0.3])),
        "wide": (f"R^{n} -> R^1, sum(tanh(x) * c)", wide, {"c": c}, rng.standard_normal(n)),
    }


def contenders(
    fn: Callable[..., Any], consts: dict[str, np.ndarray], x: np.ndarray
) -> dict[str, Callable[[], np.ndarray]]:
    """name -> a no-argument call computing the Jacobian of ``fn`` at ``x``, as an ndarray."""
    ours = functools.partial(fn, **consts)
    x_ours = Tensor(x)
    runs: dict[str, Callable[[], np.ndarray]] = {
        "ours jacfwd": lambda: jacfwd(ours)(x_ours).numpy(),
        "ours jacrev": lambda: jacrev(ours)(x_ours).numpy(),
    }
    if torch is not None:
        theirs = functools.partial(fn, **{k: torch.from_numpy(v) for k, v in consts.items()})
        x_torch = torch.from_numpy(x)
        runs["torch jacfwd"] = lambda: torch.func.jacfwd(theirs)(x_torch).numpy()
        runs["torch jacrev"] = lambda: torch.func.jacrev(theirs)(x_torch).numpy()
    return runs


def race(runs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    """Seconds per call of each contender, one sample per repeat, the contenders taking turns
    (the order rotating) so that load from other processes hits them alike."""
    number = {}
    for name, run in runs.items():  # warm up, and find how many calls make a readable sample
        run()
        t0 = time.perf_counter()
        run()
        number[name] = max(1, math.ceil(SAMPLE_SECONDS / max(time.perf_counter() - t0, 1e-9)))
    names = list(runs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            run, k = runs[name], number[name]
            t0 = time.perf_counter()
            for _ in range(k):
                run()
            times[name].append((time.perf_counter() - t0) / k)
    return times


def ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    """The median over repeats of time(a) / time(b) in the same repeat."""
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def jacobian_race(n: int, repeats: int) -> dict[str, float]:
    """Time and check every contender on the tall and the wide Jacobian; name -> our ratio."""
    found = {}
    for name, (description, fn, consts, x) in problems(n).items():
        runs = contenders(fn, consts, x)
        jacs = {k: run() for k, run in runs.items()}
        worst = max(float(np.abs(j - jacs["ours jacrev"]).max()) for j in jacs.values())
        shapes = {j.shape for j in jacs.values()}
        assert len(shapes) == 1 and worst <= TOL, f"{name}: Jacobians disagree ({shapes}, {worst:.1e})"
        times = race(runs, repeats)
        print(f"{name} Jacobian {description}, {repeats} repeats:")
        for who in ("ours", "torch"):
            if f"{who} jacfwd" not in runs:
                continue
            fwd, rev = (statistics.median(times[f"{who} {m}"]) * 1e3 for m in ("jacfwd", "jacrev"))
            r = ratio(times, f"{who} jacfwd", f"{who} jacrev")
            print(f"  {who:5s} jacfwd {fwd:9.3f} ms   jacrev {rev:9.3f} ms   jacfwd / jacrev {r:8.3g}x")
        found[name] = ratio(times, "ours jacfwd", "ours jacrev")
        peers = "each other and torch.func" if torch is not None else "each other"
        print(f"  Jacobians {jacs['ours jacrev'].shape} agree with {peers} to {worst:.1e} (bar: {TOL:g})")
    tall_ok, wide_ok = found["tall"] < 1, found["wide"] > 1
    print(
        f"bar: jacfwd faster on the tall one ({found['tall']:.3g}x: {_met(tall_ok)}), "
        f"slower on the wide one ({found['wide']:.3g}x: {_met(wide_ok)})"
    )
    return found


# --- the chain --------------------------------------------------------------------------------


def chain(x: Any, ops: int) -> Any:
    """``ops`` Value ops (a multiply and an add, ops/2 times): x_m = A^m·x0 + B·(A^m - 1)/(A - 1)."""
    for _ in range(ops // 2):
        x = x * A + B
    return x


def chain_jvp(ops: int, x0: float = 0.5) -> tuple[float, float]:
    """(value, d value / d x0) by forward mode: no graph is kept."""
    return jvp(lambda x: chain(x, ops), (x0,), (1.0,))


def chain_reverse(ops: int, x0: float = 0.5) -> tuple[float, float]:
    """(value, d value / d x0) by reverse mode: the chain's graph, then ``backward()``."""
    x = Value(x0)
    y = chain(x, ops)
    y.backward()
    return y.data, x.grad


def peak_bytes(fn: Callable[[], Any]) -> tuple[Any, int]:
    """``fn()`` and the most memory it held at once beyond what existed before (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    out = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak - before


def chain_race(ops: int, rounds: int) -> tuple[int, int]:
    """Time and measure jvp and reverse mode on the chain (and on one a tenth as long); returns
    jvp's peak bytes at the two lengths."""
    short = ops // 10
    expected = A ** (ops // 2)
    modes: dict[str, Callable[[int], tuple[float, float]]] = {"jvp": chain_jvp, "reverse": chain_reverse}
    times: dict[str, list[float]] = {name: [] for name in modes}
    for i in range(rounds):
        for name in list(modes)[i % 2 :] + list(modes)[: i % 2]:
            t0 = time.perf_counter()
            _, slope = modes[name](ops)
            times[name].append(time.perf_counter() - t0)
            assert abs(slope - expected) <= 1e-9 * expected, f"{name}: {slope} != {expected}"
    peaks = {
        (name, n): peak_bytes(functools.partial(mode, n))[1]
        for n in (short, ops)
        for name, mode in modes.items()
    }
    print(
        f"a chain of {ops:,} Value ops (x -> x * A + B), d/dx0 = A^{ops // 2} = {expected:.12f}\n"
        f"  time: the median of {rounds} rounds, taking turns; memory: tracemalloc's peak, run alone"
    )
    print(f"  {'':28s} {'time':>9s} {f'peak, {ops:,} ops':>22s} {f'peak, {short:,} ops':>22s}")
    for name, what in (("jvp", "jvp (forward mode)"), ("reverse", "reverse (graph + backward)")):
        seconds = statistics.median(times[name])
        big, small = peaks[(name, ops)], peaks[(name, short)]
        print(f"  {what:28s} {seconds:7.3f} s {big:16,d} bytes {small:16,d} bytes")
    r = statistics.median(j / v for j, v in zip(times["jvp"], times["reverse"]))
    per_op = peaks[("reverse", ops)] / ops
    jvp_big, jvp_small = peaks[("jvp", ops)], peaks[("jvp", short)]
    growth = jvp_big / max(jvp_small, 1)
    print(
        f"  jvp / reverse time: {r:.2f}x (median of per-round ratios); "
        f"reverse holds {per_op:.0f} bytes per op at its peak"
    )
    # Flat: ten times the ops, about the same peak (a graph kept would make it ten times larger).
    print(f"  bar: jvp's memory flat: {growth:.2f}x the peak for 10x the ops ({_met(growth < 1.5)})")
    return jvp_big, jvp_small


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="repeats of the Jacobian race")
    parser.add_argument("--size", type=int, default=1000, help="n: outputs of the tall, inputs of the wide")
    parser.add_argument("--chain", type=int, default=1_000_000, help="Value ops in the chain")
    parser.add_argument("--chain-rounds", type=int, default=2, help="timed runs of each mode on the chain")
    args = parser.parse_args(argv)
    if torch is None:
        print("PyTorch not installed: ours only (no torch.func beside it)")
    else:
        torch.set_num_threads(1)  # as ours: on a shared 2-core machine a second thread times the neighbours
    jacobian_race(args.size, args.repeats)
    chain_race(args.chain, args.chain_rounds)


if __name__ == "__main__":
    main()

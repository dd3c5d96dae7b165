"""Scalar engines side by side in one process: ours against the peers written below, and micrograd.

Contenders (each a scalar ``Value`` class; the model code is the same for all of them):

- ``ours``: ``autograd.Value``.
- ``microgpt``: a Value in the style of Karpathy's microgpt: ``__slots__``, each node keeps its
  children and their local gradients as tuples made at forward time, and a recursive topological
  sort; backward is one multiply-add per edge.
- ``floor``: a bare ``__slots__`` Value: two parent slots, an int op code (numbers kept beside it,
  not as nodes), an iterative topological sort and a walk adding straight into ``.grad``. About as
  little as pure Python can do per node: the floor.
- ``micrograd``: micrograd 0.1.0, when installed (``pip install micrograd==0.1.0``).

Workloads:

1. microgpt's GPT (char-level on names.txt: n_embd 16, 4 heads, 1 layer, block 16, rmsnorm, ReLU MLP
   4x, weights N(0, 0.08), Adam 0.85/0.99, lr 0.01 decaying linearly, one name a step): time per
   training step (forward, backward, Adam), and the loss of every step, which must agree across
   engines to 1e-9 (all start from the same weights and see the same names).
2. micrograd's two-moons step: MLP 2-16-16-1 (ReLU, linear output), 100 points, max-margin loss
   mean(relu(1 - y·score)) + 1e-4·Σp², full-batch backward, SGD.
3. Bytes per graph node (tracemalloc), and seconds for a 1,000,000-node chain (forward + backward).

Contenders take turns step by step (the order rotating), each step of each contender is timed, and a
ratio is formed per step: the figure reported is the median of those per-step ratios, which holds
still on a noisy machine where absolute times do not. The garbage collector stays on, as users run
it, and each step ends with a collection, timed, so that each contender pays for its own garbage
(micrograd's nodes are reference cycles, freed only by the collector) and none for another's.

Run: ``make bench``, or ``python benchmarks/bench_scalar.py [--steps N] [--repeats N] [--no-chain]``;
``--profile`` shows where our engine spends its time on the GPT step instead.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value
from demos.microgpt import Adam, Tokenizer, ValueGPT, init_weights, load_names

NAMES = load_names()

try:
    from micrograd.engine import Value as MicrogradValue
except ImportError:  # a benchmark-only peer
    MicrogradValue = None


# --- peer 1: microgpt's style ---------------------------------------------------------------------


class MicroValue:
    """A Value as microgpt writes it: children and local gradients stored at forward time."""

    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data: float, children: tuple = (), local_grads: tuple = ()) -> None:
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other: Any) -> MicroValue:
        other = other if isinstance(other, MicroValue) else MicroValue(other)
        return MicroValue(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other: Any) -> MicroValue:
        other = other if isinstance(other, MicroValue) else MicroValue(other)
        return MicroValue(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, k: float) -> MicroValue:
        return MicroValue(self.data**k, (self,), (k * self.data ** (k - 1),))

    def log(self) -> MicroValue:
        return MicroValue(math.log(self.data), (self,), (1 / self.data,))

    def exp(self) -> MicroValue:
        e = math.exp(self.data)
        return MicroValue(e, (self,), (e,))

    def tanh(self) -> MicroValue:
        t = math.tanh(self.data)
        return MicroValue(t, (self,), (1 - t * t,))

    def relu(self) -> MicroValue:
        return MicroValue(max(0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self) -> MicroValue:
        return self * -1

    def __radd__(self, other: Any) -> MicroValue:
        return self + other

    def __sub__(self, other: Any) -> MicroValue:
        return self + (-other)

    def __rsub__(self, other: Any) -> MicroValue:
        return other + (-self)

    def __rmul__(self, other: Any) -> MicroValue:
        return self * other

    def __truediv__(self, other: Any) -> MicroValue:
        return self * other**-1

    def __rtruediv__(self, other: Any) -> MicroValue:
        return other * self**-1

    def backward(self) -> None:
        topo: list[MicroValue] = []
        visited: set[MicroValue] = set()

        def build(v: MicroValue) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    build(child)
                topo.append(v)

        build(self)
        self.grad = 1
        for v in reversed(topo):
            for child, local in zip(v._children, v._local_grads):
                child.grad += local * v.grad


# --- peer 2: the floor ----------------------------------------------------------------------------

LEAF, ADD, MUL, ADDK, MULK, POWK, EXP, LOG, TANH, RELU = range(10)


class FloorValue:
    """Two parent slots and an int op code; a number operand sits in ``_b`` (no constant nodes)."""

    __slots__ = ("data", "grad", "_a", "_b", "_op")

    def __init__(self, data: float, a: Any = None, b: Any = None, op: int = LEAF) -> None:
        self.data = data
        self.grad = 0.0
        self._a = a
        self._b = b
        self._op = op

    def __add__(self, other: Any) -> FloorValue:
        if isinstance(other, FloorValue):
            return FloorValue(self.data + other.data, self, other, ADD)
        return FloorValue(self.data + other, self, other, ADDK)

    def __mul__(self, other: Any) -> FloorValue:
        if isinstance(other, FloorValue):
            return FloorValue(self.data * other.data, self, other, MUL)
        return FloorValue(self.data * other, self, other, MULK)

    def __pow__(self, k: float) -> FloorValue:
        return FloorValue(self.data**k, self, k, POWK)

    def exp(self) -> FloorValue:
        return FloorValue(math.exp(self.data), self, None, EXP)

    def log(self) -> FloorValue:
        return FloorValue(math.log(self.data), self, None, LOG)

    def tanh(self) -> FloorValue:
        return FloorValue(math.tanh(self.data), self, None, TANH)

    def relu(self) -> FloorValue:
        return FloorValue(self.data if self.data > 0 else 0.0, self, None, RELU)

    def __neg__(self) -> FloorValue:
        return self * -1

    def __radd__(self, other: Any) -> FloorValue:
        return self + other

    def __sub__(self, other: Any) -> FloorValue:
        return self + (-other)

    def __rsub__(self, other: Any) -> FloorValue:
        return (-self) + other

    def __rmul__(self, other: Any) -> FloorValue:
        return self * other

    def __truediv__(self, other: Any) -> FloorValue:
        return self * other**-1

    def __rtruediv__(self, other: Any) -> FloorValue:
        return self**-1 * other

    def backward(self) -> None:
        order: list[FloorValue] = []
        seen = {self}
        stack = [self]
        while stack:  # iterative depth-first search: a node is emitted after its inputs
            v = stack[-1]
            for p in (v._a, v._b):
                if p.__class__ is FloorValue and p not in seen:
                    seen.add(p)
                    stack.append(p)
                    break
            else:
                stack.pop()
                order.append(v)
        self.grad = 1.0
        for v in reversed(order):
            op, g = v._op, v.grad
            if op == LEAF:
                continue
            a, b = v._a, v._b
            if op == ADD:
                a.grad += g
                b.grad += g
            elif op == MUL:
                a.grad += g * b.data
                b.grad += g * a.data
            elif op == ADDK:
                a.grad += g
            elif op == MULK:
                a.grad += g * b
            elif op == POWK:
                a.grad += g * b * a.data ** (b - 1)
            elif op == EXP:
                a.grad += g * v.data
            elif op == LOG:
                a.grad += g / a.data
            elif op == TANH:
                a.grad += g * (1 - v.data * v.data)
            else:  # RELU
                a.grad += g if a.data > 0 else 0.0


# --- workload 1: microgpt's GPT (the model and its Adam are demos/microgpt.py's, on any Value) ---


def gpt_models(V: Callable[[float], Any], steps: int) -> tuple[ValueGPT, Adam]:
    """microgpt's model on the Value class ``V``, from the demo's weights, and its Adam."""
    return ValueGPT(init_weights(Tokenizer(NAMES).vocab), V), Adam(steps)


# --- workload 2: micrograd's moons step, written once for any Value class -------------------------


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[Any, Any]:
    """Two interleaving half circles, labels -1/+1 (as micrograd's demo uses)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    t_out = np.linspace(0, np.pi, n // 2 + n % 2)
    t_in = np.linspace(0, np.pi, n // 2)
    X = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)], np.c_[1 - np.cos(t_in), 0.5 - np.sin(t_in)]])
    X += rng.normal(0.0, noise, X.shape)
    y = np.concatenate([-np.ones(len(t_out)), np.ones(len(t_in))])
    return X, y


class ScalarMLP:
    """micrograd's MLP(2, [16, 16, 1]) as micrograd's nn.py computes it: act = b + Σ wi·xi, relu on
    the hidden layers. Weights U(-1, 1) from a seeded generator, biases 0: the same for every V."""

    def __init__(
        self, V: Callable[[float], Any], sizes: Sequence[int] = (2, 16, 16, 1), seed: int = 0
    ) -> None:
        rng = random.Random(seed)
        self.layers = [
            [([V(rng.uniform(-1, 1)) for _ in range(nin)], V(0.0)) for _ in range(nout)]
            for nin, nout in zip(sizes, sizes[1:])
        ]

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x: list[Any]) -> Any:
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            if i < last:
                x = [xi.relu() for xi in x]
        return x[0]

    def step(self, V: Callable[[float], Any], X: list[list[float]], y: list[float], lr: float = 0.1) -> float:
        scores = [self([V(a), V(b)]) for a, b in X]
        losses = [(1 + -yi * s).relu() for yi, s in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in self.parameters())
        for p in self.parameters():
            p.grad = 0.0
        loss.backward()
        for p in self.parameters():
            p.data -= lr * p.grad
        return loss.data


# --- measuring ------------------------------------------------------------------------------------


def race(
    steps: dict[str, Callable[[], Any]], repeats: int
) -> tuple[dict[str, list[float]], dict[str, list[Any]]]:
    """Run each contender's step ``repeats`` times, taking turns (the order rotating each round).

    Returns name -> the seconds of each step, and name -> what each step returned."""
    names = list(steps)
    times: dict[str, list[float]] = {n: [] for n in names}
    results: dict[str, list[Any]] = {n: [] for n in names}
    gc.collect()
    gc.freeze()  # what exists now (models, data) is not re-examined by every collection
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            t0 = time.perf_counter()
            out = steps[name]()
            gc.collect()  # each pays for collecting its own garbage (micrograd's graphs are cycles)
            times[name].append(time.perf_counter() - t0)
            results[name].append(out)
    return times, results


def ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    """The median over steps of time(a) / time(b) on the same step."""
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def bytes_per_node(cls: Any, n: int = 100_000) -> float:
    """Memory held by a graph of ``x = x * a + c`` nodes, per node (tracemalloc)."""
    leaves = [cls(0.5) for _ in range(3)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    nodes = []
    x = leaves[0]
    for _ in range(n):
        x = x * leaves[1] + leaves[2]
        nodes.append(x)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before - sys.getsizeof(nodes)) / (2 * n)


def chain_seconds(cls: Any, n: int = 1_000_000) -> float:
    """Forward and backward through ``n`` nested tanh nodes."""
    x = y = cls(0.1)
    t0 = time.perf_counter()
    for _ in range(n - 1):
        y = y.tanh()
    y.backward()
    seconds = time.perf_counter() - t0
    assert x.grad != 0.0
    return seconds


def gpt_race(steps: int) -> None:
    encode = Tokenizer(NAMES).encode
    engines = {"ours": Value, "microgpt": MicroValue, "floor": FloorValue}
    models = {k: gpt_models(V, steps) for k, V in engines.items()}
    split: dict[str, list[tuple[float, float]]] = {k: [] for k in engines}

    def stepper(name: str) -> Callable[[], float]:
        model, adam = models[name]

        def step() -> float:
            t0 = time.perf_counter()
            loss = model.loss(encode(NAMES[adam.t % len(NAMES)]))
            t1 = time.perf_counter()
            loss.backward()
            split[name].append((t1 - t0, time.perf_counter() - t1))
            adam.step(model.params)
            return float(loss.data)

        return step

    times, losses = race({k: stepper(k) for k in engines}, steps)
    print(f"microgpt's GPT, {steps} training steps (one name each), per step:")
    for name in engines:
        fwd = statistics.median(f for f, _ in split[name]) * 1e3
        bwd = statistics.median(b for _, b in split[name]) * 1e3
        total = statistics.median(times[name]) * 1e3
        print(f"  {name:9s} {total:7.1f} ms  (forward {fwd:6.1f} ms, backward {bwd:6.1f} ms)")
    worst = max(abs(a - b) for peer in ("microgpt", "floor") for a, b in zip(losses["ours"], losses[peer]))
    print(
        f"  losses agree across engines at every step to {worst:.1e} (bar: 1e-9); "
        f"first {losses['ours'][0]:.6f}, last {losses['ours'][-1]:.6f}"
    )
    r = ratio(times, "ours", "microgpt")
    print(f"  ours / microgpt-style: {r:.2f}x, median of per-step ratios (bar: <= 0.75x: {_met(r <= 0.75)})")
    print(f"  ours / floor:          {ratio(times, 'ours', 'floor'):.2f}x")


def moons_race(repeats: int) -> None:
    X, y = make_moons()
    X, y = X.tolist(), y.tolist()
    engines: dict[str, Any] = {"ours": Value, "floor": FloorValue, "microgpt": MicroValue}
    if MicrogradValue is not None:
        engines["micrograd"] = MicrogradValue
    models = {k: ScalarMLP(V) for k, V in engines.items()}
    times, losses = race({k: (lambda k=k: models[k].step(engines[k], X, y)) for k in engines}, repeats)
    print(f"micrograd's two-moons step (MLP 2-16-16-1, 100 points), {repeats} steps, per step:")
    for name in engines:
        print(f"  {name:9s} {statistics.median(times[name]) * 1e3:7.1f} ms")
    worst = max(abs(a - b) for peer in engines for a, b in zip(losses["ours"], losses[peer]))
    print(f"  losses agree across engines at every step to {worst:.1e}")
    r = ratio(times, "ours", "floor")
    print(f"  ours / floor: {r:.2f}x, median of per-step ratios (bar: <= 1.3x: {_met(r <= 1.3)})")
    print(f"  ours / microgpt-style: {ratio(times, 'ours', 'microgpt'):.2f}x")
    if "micrograd" in engines:
        r = ratio(times, "micrograd", "ours")
        print(f"  micrograd / ours: {r:.1f}x faster (bar: >= 10x: {_met(r >= 10)})")
    else:
        print("  micrograd not installed (pip install micrograd==0.1.0): no ratio")


def profile_gpt(steps: int = 5) -> None:
    """Where our engine's time goes in the GPT step: cProfile's top functions by own time."""
    import cProfile
    import pstats

    encode = Tokenizer(NAMES).encode
    model, adam = gpt_models(Value, steps)

    def train() -> None:
        for _ in range(steps):
            model.loss(encode(NAMES[adam.t])).backward()
            adam.step(model.params)

    profiler = cProfile.Profile()
    profiler.runcall(train)
    print(f"profile of our engine on {steps} GPT steps (own time, top 12):")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="GPT training steps per engine")
    parser.add_argument("--repeats", type=int, default=10, help="moons steps per engine")
    parser.add_argument("--no-chain", action="store_true", help="skip the 1,000,000-node chain")
    parser.add_argument("--profile", action="store_true", help="only profile our engine on the GPT step")
    args = parser.parse_args(argv)
    if args.profile:
        profile_gpt()
        return

    gpt_race(args.steps)
    moons_race(args.repeats)
    peers: dict[str, Any] = {"ours": Value, "microgpt": MicroValue, "floor": FloorValue}
    if MicrogradValue is not None:
        peers["micrograd"] = MicrogradValue
    mem = {k: bytes_per_node(V) for k, V in peers.items()}
    print(
        "bytes per graph node: "
        + ", ".join(f"{k} {v:.0f}" for k, v in mem.items())
        + f" (bar: ours <= 110: {_met(mem['ours'] <= 110)})"
    )
    if not args.no_chain:
        print(
            f"1,000,000-node chain, forward + backward: ours {chain_seconds(Value):.2f} s, "
            f"floor {chain_seconds(FloorValue):.2f} s (microgpt's and micrograd's recursive sorts "
            "stop at Python's recursion limit)"
        )


if __name__ == "__main__":
    main()

"""benchmarks/bench_scalar.py: every scalar engine computes the same steps (not timed here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_scalar  # noqa: E402


def test_scalar_contenders_compute_the_same_steps() -> None:
    """Every engine of the scalar benchmark trains the GPT and the moons MLP to the same losses."""
    encode = bench_scalar.Tokenizer(bench_scalar.NAMES).encode
    engines = {
        "ours": bench_scalar.Value,
        "microgpt": bench_scalar.MicroValue,
        "floor": bench_scalar.FloorValue,
    }
    losses: dict[str, list[float]] = {}
    for name, V in engines.items():
        model, adam = bench_scalar.gpt_models(V, steps=10)
        losses[name] = []
        for step in range(2):
            loss = model.loss(encode(bench_scalar.NAMES[step]))
            loss.backward()
            adam.step(model.params)
            losses[name].append(loss.data)
    for name in engines:
        assert losses[name] == pytest.approx(losses["ours"], rel=1e-12, abs=1e-12)
    X, y = bench_scalar.make_moons()
    if bench_scalar.MicrogradValue is not None:
        engines["micrograd"] = bench_scalar.MicrogradValue
    moons = {name: bench_scalar.ScalarMLP(V) for name, V in engines.items()}
    for _ in range(2):
        results = {name: m.step(engines[name], X.tolist(), y.tolist()) for name, m in moons.items()}
        for name in engines:
            assert results[name] == pytest.approx(results["ours"], rel=1e-12)

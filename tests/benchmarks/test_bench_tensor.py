"""The benchmarks' contenders compute the same training step (not timed here: see benchmarks/)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_scalar  # noqa: E402
import bench_tensor  # noqa: E402

from autograd import Tensor  # noqa: E402


@pytest.mark.parametrize(
    "problem, ours, hand, y_is_index",
    [
        (bench_tensor.problem_a, bench_tensor.ours_ce_step, bench_tensor.numpy_ce_step, True),
        (bench_tensor.problem_b, bench_tensor.ours_margin_step, bench_tensor.numpy_margin_step, False),
    ],
    ids=["cross-entropy 784-256-10", "max-margin 2-16-16-1"],
)
def test_tensor_step_matches_hand_written_numpy(
    problem: Callable[[], Any], ours: Callable[..., float], hand: Callable[..., float], y_is_index: bool
) -> None:
    weights, X, y = problem()
    params = [Tensor(w.copy(), requires_grad=True) for w in weights]
    floor = [w.copy() for w in weights]
    for _ in range(3):
        loss_ours = ours(params, Tensor(X), y if y_is_index else Tensor(y))
        loss_hand = hand(floor, X, y)
        assert loss_ours == pytest.approx(loss_hand, rel=1e-5)
    tol = 1e-5 if weights[0].dtype == np.float32 else 1e-12
    for p, w in zip(params, floor, strict=True):
        np.testing.assert_allclose(p.data, w, rtol=tol, atol=tol)


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

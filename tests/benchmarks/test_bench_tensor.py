"""benchmarks/bench_tensor.py: its contenders compute the same training step (not timed here)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

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

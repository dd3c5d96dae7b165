"""demos/linear_regression.py: the tutorial's printed table, w(4) = 2.0426, loss 0.0424."""

from __future__ import annotations

from typing import Any


def test_linear_regression(runs: Any) -> None:
    result = runs["linear_regression"]
    assert abs(result["w"] - 2) < 0.2
    # With the tutorial's seed, its printed table: w(4) = 2.0426, loss 0.0424.
    assert round(result["w4"], 4) == 2.0426 and round(result["loss4"], 4) == 0.0424

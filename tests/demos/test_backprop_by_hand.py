"""demos/backprop_by_hand.py: L = 3x² + 2 walked backwards gives dL/dx = 6x."""

from __future__ import annotations

from typing import Any


def test_backprop_by_hand(runs: Any) -> None:
    result = runs["backprop_by_hand"]
    assert (result["x"], result["L"], result["dL_dx"]) == (2.0, 14.0, 12.0)  # L = 3x²+2, dL/dx = 6x

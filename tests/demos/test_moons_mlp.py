"""demos/moons_mlp.py: micrograd's MLP separates the two moons."""

from __future__ import annotations

from typing import Any


def test_moons_mlp_separates_the_moons(runs: Any) -> None:
    assert runs["moons_mlp"]["accuracy"] >= 0.95

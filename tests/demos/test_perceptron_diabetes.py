"""demos/perceptron_diabetes.py: the tutorial's m and b, to 4 decimals."""

from __future__ import annotations

from typing import Any


def test_perceptron_diabetes_matches_the_tutorial_to_4_decimals(runs: Any) -> None:
    result = runs["perceptron_diabetes"]
    assert round(result["m_closed_form"], 4) == 11.2137
    assert round(result["b_closed_form"], 4) == 25.2528
    assert round(result["m"], 4) == 11.2349
    assert round(result["b"], 4) == 25.0117

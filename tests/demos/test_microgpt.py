"""demos/microgpt.py: sampling at any temperature its LIMITS allow, down to the smallest float above
0 (argmax), without a numpy warning or a NaN traceback."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from demos import microgpt


def test_tiny_temperatures_sample_the_argmax() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's overflow or invalid-value warning fails the test
        tiniest = microgpt.run(steps=1, samples=3, temperature=5e-324)  # once NaN probabilities
        tiny = microgpt.run(steps=1, samples=1, temperature=1e-308)
    assert tiniest["samples"] == tiny["samples"] * 3  # argmax: the same name every time


@pytest.mark.parametrize("temperature", [5e-324, 1e-308, 1e-3, 0.5, 1.0, 100.0])
def test_sampling_probs_are_a_distribution(temperature: float) -> None:
    logits = np.random.default_rng(0).normal(size=27) * 30
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = microgpt.sampling_probs(logits, temperature)
    assert np.all(np.isfinite(probs)) and np.all(probs >= 0) and probs.sum() == pytest.approx(1.0)
    if temperature < 1e-300:
        assert probs.tolist() == [1.0 if i == logits.argmax() else 0.0 for i in range(27)]
    else:  # the softmax it replaces, where that one is finite
        scaled = logits / temperature
        expected = np.exp(scaled - scaled.max())
        np.testing.assert_allclose(probs, expected / expected.sum(), rtol=1e-9, atol=1e-300)


def test_ties_share_the_argmax() -> None:
    assert microgpt.sampling_probs(np.array([2.0, 2.0, -1.0]), 5e-324).tolist() == [0.5, 0.5, 0.0]


@pytest.mark.parametrize(
    ("temperature", "error"),
    [(0.0, ValueError), (-1e-308, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
     (101.0, ValueError), ("0.5", TypeError), (None, TypeError), (True, TypeError)],
)  # fmt: skip
def test_temperatures_outside_the_limits_are_refused_up_front(temperature: object, error: type) -> None:
    with pytest.raises(error, match="^microgpt: temperature must be"):
        microgpt.run(steps=1, samples=1, temperature=temperature)  # type: ignore[arg-type]


def test_microgpt_two_engines_agree_step_for_step(runs: Any) -> None:
    result = runs["microgpt"]
    assert len(result["value_losses"]) == len(result["tensor_losses"]) == 6
    assert result["max_difference"] <= 1e-9
    assert abs(result["value_losses"][0] - np.log(27)) < 0.3
    assert result["value_ms_per_step"] > 0 and result["tensor_ms_per_step"] > 0
    assert len(result["samples"]) == 3

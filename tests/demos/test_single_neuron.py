"""demos/single_neuron.py: the training error of one sigmoid neuron falls."""

from __future__ import annotations

from typing import Any


def test_single_neuron_training_error_falls(runs: Any) -> None:
    errors = runs["single_neuron"]["errors"]
    assert len(errors) == 30  # every 100 of 3000 iterations
    # Per-sample SGD makes the curve jumpy: compare the last 10 points' mean with the start.
    assert sum(errors[-10:]) / 10 < 0.75 * errors[0]

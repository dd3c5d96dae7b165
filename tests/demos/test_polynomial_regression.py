"""demos/polynomial_regression.py: the network fits down to the noise, as least squares does."""

from __future__ import annotations

from typing import Any


def test_polynomial_regression_fits_down_to_the_noise(runs: Any) -> None:
    result = runs["polynomial_regression"]
    assert result["noise_std"] == 1.0
    assert result["train_mse"] < 2 * result["noise_std"] ** 2
    assert result["baseline_train_mse"] < 2 * result["noise_std"] ** 2

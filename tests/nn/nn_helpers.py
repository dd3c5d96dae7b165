"""Helpers the nn tests share: running one of our modules beside PyTorch's (same parameters, one
forward and backward pass, every output and gradient compared)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import nn
from autograd import Tensor

TOL = {"rtol": 1e-10, "atol": 1e-12}

try:  # at import, so that no single test pays for loading torch
    import torch
except ImportError:  # pragma: no cover - the PyTorch comparisons are skipped
    torch = None  # type: ignore[assignment]

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")


def copy_parameters(ours: nn.Module, theirs: Any, rng: np.random.Generator) -> None:
    """Random values for every parameter, the same in both modules (so weights and biases matter)."""
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        p._data[...] = rng.normal(size=p.shape)
        with torch.no_grad():
            theirs_params[name].copy_(torch.from_numpy(p._data))
    assert sorted(theirs_params) == sorted(n for n, _ in ours.named_parameters())


def check_step(ours: nn.Module, theirs: Any, x: np.ndarray, rng: np.random.Generator) -> None:
    """One forward and backward pass through both: outputs and every gradient agree."""
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt * 1.0)  # (a computed input: torch's inplace=True may change it)
    np.testing.assert_allclose(yo.detach(), yt.detach().numpy(), **TOL)
    weights = rng.normal(size=yo.shape)  # a random loss, so every output's gradient matters
    (yo * Tensor(weights)).sum().backward()
    (yt * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), **TOL)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, theirs_params[name].grad.numpy(), **TOL, err_msg=name)
    ours.zero_grad()
    theirs.zero_grad()


def make_net(seed: int = 0) -> nn.Sequential:
    """Linear(4, 8), ReLU, Linear(8, 3), float64, seeded."""
    return nn.Sequential(nn.Linear(4, 8, rng=seed), nn.ReLU(), nn.Linear(8, 3, rng=seed + 1))

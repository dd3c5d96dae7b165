"""scratchgrad.nn: nn under PyTorch's names, its modules in float32 by default and initialised
with PyTorch's numbers; scratchgrad.nn.functional's additions; scratchgrad.nn.init."""

from __future__ import annotations

import numpy as np
import pytest

import nn as plain_nn
import scratchgrad as sg
import scratchgrad.nn.functional as F  # noqa: N812 - as the lectures import it
from scratchgrad import nn

torch = pytest.importorskip("torch")


def test_nn_is_the_projects_nn_with_float32_modules() -> None:
    assert nn.Module is plain_nn.Module and nn.Sequential is plain_nn.Sequential and nn.ReLU is plain_nn.ReLU
    assert nn.init.kaiming_normal_ is plain_nn.init.kaiming_normal_ and sg.optim.SGD is plain_nn.optim.SGD
    assert nn.functional is F and F.cross_entropy is plain_nn.functional.cross_entropy
    layers = [nn.Linear(3, 2), nn.Embedding(5, 4), nn.LayerNorm(4), nn.BatchNorm1d(4)]
    for m in layers:
        assert isinstance(m, getattr(plain_nn, type(m).__name__))
        assert {p.dtype for p in m.parameters()} == {np.dtype("float32")}, m
    assert nn.Linear(3, 2, dtype=sg.float64).weight.dtype == np.float64
    assert nn.Linear(3, 2, device="cpu").bias.shape == (2,)
    with pytest.raises(ValueError, match="CPU"):
        nn.Linear(3, 2, device="cuda")
    assert repr(nn.Linear(3, 2)) == repr(torch.nn.Linear(3, 2))


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_functional_forms(name: str) -> None:
    x = np.array([[-2.0, 0.0, 0.5]], np.float32)
    ours, theirs = getattr(F, name)(sg.tensor(x)), getattr(torch.nn.functional, name)(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_linear_draws_pytorchs_weights() -> None:
    sg.manual_seed(0), torch.manual_seed(0)
    ours, theirs = nn.Linear(7, 3), torch.nn.Linear(7, 3)
    np.testing.assert_array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())
    np.testing.assert_array_equal(ours.bias.detach().numpy(), theirs.bias.detach().numpy())


def test_kaiming_normal_draws_from_the_default_generator() -> None:
    sg.manual_seed(42), torch.manual_seed(42)
    ours = nn.init.kaiming_normal_(sg.empty(200, 30), mode="fan_in", nonlinearity="tanh")
    theirs = torch.nn.init.kaiming_normal_(torch.empty(200, 30), mode="fan_in", nonlinearity="tanh")
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)

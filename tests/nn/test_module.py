"""nn.Module's state dict (nn/module.py) with tied weights and shared modules, as torch 2.13 keeps
it: every name of a shared parameter is a key, while parameters() gives it once."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor

torch = pytest.importorskip("torch")


def _tied() -> nn.Sequential:
    a, b = nn.Linear(3, 3, rng=0), nn.Linear(3, 3, rng=1)
    b.weight = a.weight
    return nn.Sequential(a, nn.Tanh(), b)


def _tied_torch() -> torch.nn.Sequential:
    a, b = torch.nn.Linear(3, 3, dtype=torch.float64), torch.nn.Linear(3, 3, dtype=torch.float64)
    b.weight = a.weight
    return torch.nn.Sequential(a, torch.nn.Tanh(), b)


def test_a_tied_weight_is_in_the_state_dict_under_both_names_as_torch() -> None:
    ours, theirs = _tied(), _tied_torch()
    assert (
        list(ours.state_dict()) == list(theirs.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    )
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert len(ours.parameters()) == 3  # the shared one once, as torch's parameters()
    sd = ours.state_dict()
    np.testing.assert_array_equal(sd["0.weight"], sd["2.weight"])
    assert sd["0.weight"] is not sd["2.weight"]  # copies, each its own


def test_our_state_dict_loads_into_torch_and_back() -> None:
    ours, theirs = _tied(), _tied_torch()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})  # strict
    x = np.random.default_rng(0).normal(size=(4, 3))
    np.testing.assert_allclose(theirs(torch.from_numpy(x)).detach().numpy(), ours(Tensor(x)).data, rtol=1e-12)
    with torch.no_grad():
        theirs[0].weight.mul_(-2.0)  # moves the tied weight of both layers
        theirs[2].bias.add_(1.0)
    back = _tied()
    back.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})  # strict
    assert back[0].weight is back[2].weight
    np.testing.assert_allclose(back(Tensor(x)).data, theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-12)


def test_loading_without_the_alias_key_is_refused_as_torch_refuses() -> None:
    model = _tied()
    sd = model.state_dict()
    del sd["2.weight"]
    with pytest.raises(RuntimeError, match="Missing key"):
        _tied_torch().load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})
    before = {k: v.copy() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError, match=r"missing keys \['2.weight'\]"):
        model.load_state_dict({k: v + 1 for k, v in sd.items()})
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])  # nothing loaded
    result = model.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["2.weight"] and result.unexpected_keys == []


def test_a_module_used_twice_is_saved_under_both_names_as_torch() -> None:
    layer, layer_t = nn.Linear(2, 2, rng=0), torch.nn.Linear(2, 2, dtype=torch.float64)
    ours, theirs = (
        nn.Sequential(layer, nn.ReLU(), layer),
        torch.nn.Sequential(layer_t, torch.nn.ReLU(), layer_t),
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert len(ours.parameters()) == 2


def test_where_the_names_of_a_tied_weight_differ_the_last_wins_as_torch() -> None:
    ours, theirs = _tied(), _tied_torch()
    sd = ours.state_dict()
    sd["0.weight"], sd["2.weight"] = np.zeros((3, 3)), np.ones((3, 3))
    ours.load_state_dict(sd)
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})
    np.testing.assert_array_equal(ours[0].weight.data, theirs[0].weight.detach().numpy())
    np.testing.assert_array_equal(ours[0].weight.data, np.ones((3, 3)))


def test_a_module_inside_itself_does_not_loop_forever() -> None:
    outer = nn.Sequential(nn.Linear(2, 2, rng=0))
    outer.itself = outer  # a cycle: torch's state_dict would recurse without end
    assert list(outer.state_dict()) == ["0.weight", "0.bias"]
    outer.load_state_dict(outer.state_dict())

"""nn.Sequential and nn.ModuleList (nn/containers.py): children named by position (or by an
OrderedDict's keys), indexing, slicing, changes, errors, and PyTorch's printed text."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
from nn_helpers import make_net

import nn
from autograd import Tensor


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: nn.ModuleList([nn.ReLU(), np.tanh]),
            TypeError,
            "ModuleList.extend: item 1 must be a Module, got ufunc",
        ),
        (
            lambda: nn.ModuleList(nn.ReLU()),
            TypeError,
            "ModuleList.extend: expected an iterable of Modules, got ReLU",
        ),
        (lambda: nn.ModuleList()(1), NotImplementedError, "ModuleList: forward"),
        (lambda: nn.Sequential(OrderedDict([("a.b", nn.ReLU())])), ValueError, "Sequential: 'a.b' cannot"),
        (lambda: nn.Sequential(OrderedDict([("forward", nn.ReLU())])), ValueError, "Sequential: 'forward'"),
        (
            lambda: nn.Sequential(OrderedDict([(1, nn.ReLU())])),
            TypeError,
            "Sequential: module names must be str",
        ),
        (lambda: nn.Sequential({"a": 3}), TypeError, "Sequential: item 'a' must be a Module, got int"),
    ],
)
def test_containers_refuse_bad_arguments(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        make()


def test_module_list_is_a_list_of_children_named_by_position() -> None:
    a, b, c = nn.Linear(2, 2, rng=0), nn.Tanh(), nn.Linear(2, 1, rng=1)
    layers = nn.ModuleList([a])
    assert layers.append(b) is layers and layers.extend([c]) is layers
    assert len(layers) == 3 and list(layers) == [a, b, c] and layers[-1] is c
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    layers.insert(0, nn.ReLU())
    assert [type(m).__name__ for m in layers] == ["ReLU", "Linear", "Tanh", "Linear"]
    assert [n for n, _ in layers.named_children()] == ["0", "1", "2", "3"]
    assert list(layers.state_dict()) == ["1.weight", "1.bias", "3.weight", "3.bias"]
    del layers[0]
    assert list(layers.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    layers[1] = nn.Sigmoid()
    assert (
        isinstance(layers[1], nn.Sigmoid) and isinstance(layers[:2], nn.ModuleList) and len(layers[:2]) == 2
    )
    layers += [nn.Identity()]
    both = layers + nn.ModuleList([nn.ReLU()])
    assert len(layers) == 4 and len(both) == 5 and both[0] is a
    del layers[1:]
    assert list(layers) == [a] and not hasattr(layers, "1")
    with pytest.raises(IndexError, match="ModuleList: index 3 out of range for 1 modules"):
        layers[3]
    with pytest.raises(TypeError, match="ModuleList: index must be an int, got str"):
        layers["0"]  # type: ignore[index]
    with pytest.raises(TypeError, match="ModuleList.append: item 1 must be a Module, got int"):
        layers.append(3)  # type: ignore[arg-type]
    assert list(layers) == [a]


def test_module_list_inside_a_model_and_its_repr() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            self.blocks = nn.ModuleList([nn.Linear(3, 3, rng=i) for i in range(3)])

        def forward(self, x: Any) -> Tensor:
            for block in self.blocks:
                x = block(x).relu()
            return x

    net = Net()
    assert len(net.parameters()) == 6 and list(net.state_dict())[0] == "blocks.0.weight"
    assert net(np.ones((2, 3))).shape == (2, 3)
    assert repr(net) == (
        "Net(\n"
        "  (blocks): ModuleList(\n"
        "    (0-2): 3 x Linear(in_features=3, out_features=3, bias=True)\n"
        "  )\n"
        ")"
    )


def test_sequential_runs_in_order_and_indexes() -> None:
    net = make_net()
    x = np.random.default_rng(0).normal(size=(2, 4))
    w0, b0, w2, b2 = (p.detach().numpy() for p in net.parameters())
    h = np.maximum(x @ w0.T + b0, 0)
    np.testing.assert_allclose(net(Tensor(x)).data, h @ w2.T + b2, rtol=1e-12)
    assert len(net) == 3 and isinstance(net[1], nn.ReLU) and net[-1] is net[2]
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    with pytest.raises(IndexError, match="Sequential: index 3 out of range for 3 modules"):
        net[3]
    with pytest.raises(TypeError, match="Sequential: item 1 must be a Module, got ufunc"):
        nn.Sequential(nn.ReLU(), np.tanh)  # type: ignore[arg-type]


def test_sequential_state_dict_names_shapes_and_copies() -> None:
    net = make_net()
    state = net.state_dict()
    assert {k: v.shape for k, v in state.items()} == {
        "0.weight": (8, 4),
        "0.bias": (8,),
        "2.weight": (3, 8),
        "2.bias": (3,),
    }
    state["0.weight"][0, 0] = 100.0
    assert net[0].weight[0, 0].item() != 100.0
    assert [p for p in net.parameters()] == [net[0].weight, net[0].bias, net[2].weight, net[2].bias]


def test_sequential_slices_names_and_changes_as_torch() -> None:
    relu, tanh, sigmoid, gelu = nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.GELU()
    net = nn.Sequential(relu, tanh, sigmoid)
    tail = net[1:]
    assert isinstance(tail, nn.Sequential) and list(tail) == [tanh, sigmoid]
    assert [n for n, _ in tail.named_children()] == ["1", "2"]  # the names stay, as PyTorch's
    del net[0]
    assert [n for n, _ in net.named_children()] == ["0", "1"] and net[0] is tanh  # renumbered
    net.insert(0, gelu)
    assert list(net) == [gelu, tanh, sigmoid]
    assert net.pop(1) is tanh and list(net) == [gelu, sigmoid]
    assert net.append(relu) is net and net.extend([tanh]) is net and len(net) == 4
    net[0] = nn.Identity()
    assert isinstance(net[0], nn.Identity) and [n for n, _ in net.named_children()] == ["0", "1", "2", "3"]
    named = nn.Sequential(OrderedDict([("hidden", nn.Linear(2, 3, rng=0)), ("act", relu)]))
    assert named.hidden is named[0] and list(named.state_dict()) == ["hidden.weight", "hidden.bias"]
    named.append(tanh)
    assert [n for n, _ in named.named_children()] == ["hidden", "act", "2"]
    assert len(named + nn.Sequential(relu)) == 4
    assert named(np.ones((1, 2))).shape == (1, 3)


def test_containers_print_as_torch() -> None:
    torch = pytest.importorskip("torch")

    def both(build: Any) -> tuple[str, str]:
        return repr(build(nn)), repr(build(torch.nn))

    cases = [
        lambda m: m.Sequential(),
        lambda m: m.ModuleList(),
        lambda m: m.Sequential(m.Linear(2, 2), m.Linear(2, 2), m.ReLU()),  # Sequential: each printed
        lambda m: m.ModuleList([m.Linear(2, 2), m.Linear(2, 2), m.ReLU(), m.ReLU(), m.Tanh()]),
        lambda m: m.ModuleList([m.Sequential(m.Linear(2, 2), m.ReLU()) for _ in range(3)]),
        lambda m: m.Sequential(OrderedDict([("a", m.ReLU()), ("b", m.Sequential(m.Tanh()))])),
        lambda m: m.Sequential(m.ReLU(), m.Tanh())[1:],
    ]
    for build in cases:
        ours, theirs = both(build)
        assert ours == theirs

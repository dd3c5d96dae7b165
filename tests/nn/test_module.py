"""nn.Module (nn/module.py): the tree of modules and parameters, names and order, zero_grad,
train/eval, apply, to(device or dtype), PyTorch's printed text; and its state dict with tied weights
and shared modules, as torch 2.13 keeps it: every name of a shared parameter is a key, while
parameters() gives it once. (Buffers and state dicts otherwise: test_state.py.)"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_helpers import make_net

import nn
from autograd import Tensor, Value

try:  # at import, so that no single test pays for loading torch
    import torch
except ImportError:  # pragma: no cover - the PyTorch comparisons are skipped
    torch = None


def _torch() -> Any:
    if torch is None:
        pytest.skip("torch is not installed")
    return torch


def _tied() -> nn.Sequential:
    a, b = nn.Linear(3, 3, rng=0), nn.Linear(3, 3, rng=1)
    b.weight = a.weight
    return nn.Sequential(a, nn.Tanh(), b)


def _tied_torch() -> Any:
    _torch()
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


def test_module_apply_visits_children_first() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Tanh()))
    seen: list[str] = []
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "ReLU", "Tanh", "Sequential", "Sequential"]
    with pytest.raises(TypeError, match="Sequential.apply: fn must be callable, got int"):
        net.apply(3)  # type: ignore[arg-type]


def test_repr_and_zero_grad() -> None:
    net = make_net()
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=8, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=8, out_features=3, bias=True)\n"
        ")"
    )
    net(Tensor(np.ones((2, 4)))).sum().backward()
    assert net[0].weight.grad is not None
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_parameters_in_registration_order_with_dotted_names() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    named = list(model.named_parameters())
    assert len(named) == 3 * 3 + 4 == len(model.parameters())
    assert [name for name, _ in named[:4]] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert named[-1][0] == "layers.1.neurons.0.b"
    assert named[0][1] is model.layers[0].neurons[0].w[0]


def test_equal_parameters_are_not_merged_but_shared_ones_are() -> None:
    class Pair(nn.Module):
        def __init__(self) -> None:
            self.a = Value(1.0)
            self.b = Value(1.0)  # equal data: still its own parameter
            self.again = self.a  # the same object: listed once

        def forward(self, x: Value) -> Value:
            return self.a * x + self.b

    params = Pair().parameters()
    assert len(params) == 2 and params[0] is not params[1]


def test_zero_grad() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_train_and_eval_reach_every_module() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    assert len(list(model.modules())) == 1 + 2 + 4


def test_repr_is_a_tree() -> None:
    text = repr(nn.MLP(2, [3, 1], rng=0))
    assert text == (
        "MLP(\n"
        "  (layers.0): Layer(\n"
        "    2, 3\n"
        "    (neurons.0-2): 3 x Neuron(2, activation='relu')\n"
        "  )\n"
        "  (layers.1): Layer(\n"
        "    3, 1\n"
        "    (neurons.0): Neuron(3, activation='linear')\n"
        "  )\n"
        ")"
    )


def test_module_without_forward() -> None:
    with pytest.raises(NotImplementedError, match="Module: forward"):
        nn.Module()()


# --- PyTorch's printed text -----------------------------------------------------------------------


def _quickstart(m: Any) -> Any:
    """PyTorch's quickstart network, written once for both libraries (``m`` is nn or torch.nn)."""

    class NeuralNetwork(m.Module):
        def __init__(self) -> None:
            super().__init__()
            self.flatten = m.Flatten()
            self.linear_relu_stack = m.Sequential(
                m.Linear(28 * 28, 512), m.ReLU(), m.Linear(512, 512), m.ReLU(), m.Linear(512, 10)
            )

        def forward(self, x: Any) -> Any:
            return self.linear_relu_stack(self.flatten(x))

    return NeuralNetwork()


QUICKSTART = """NeuralNetwork(
  (flatten): Flatten(start_dim=1, end_dim=-1)
  (linear_relu_stack): Sequential(
    (0): Linear(in_features=784, out_features=512, bias=True)
    (1): ReLU()
    (2): Linear(in_features=512, out_features=512, bias=True)
    (3): ReLU()
    (4): Linear(in_features=512, out_features=10, bias=True)
  )
)"""


def test_the_quickstart_network_prints_as_torch_and_has_its_names() -> None:
    model = _quickstart(nn)
    assert repr(model) == str(model) == QUICKSTART
    assert isinstance(model.linear_relu_stack[0], nn.Linear) and model.linear_relu_stack[0].in_features == 784
    names = [n for n, _ in model.named_parameters()]
    assert names[:2] == ["linear_relu_stack.0.weight", "linear_relu_stack.0.bias"] and len(names) == 6
    assert list(model.state_dict()) == names
    assert sum(p.numel() for p in model.parameters()) == 669_706
    assert model(Tensor(np.zeros((1, 28, 28)))).shape == (1, 10)
    if torch is not None:
        assert repr(_quickstart(torch.nn)) == QUICKSTART
        assert list(_quickstart(torch.nn).state_dict()) == names


class _Block(nn.Module):
    def __init__(self, extra: str = "") -> None:
        self.extra = extra
        self.inner = nn.Sequential(nn.Linear(2, 2), nn.GELU("tanh"))
        self.norm = nn.LayerNorm((2,), eps=1e-3)

    def extra_repr(self) -> str:
        return self.extra


def test_extra_lines_children_and_indents_print_as_torch() -> None:
    # one extra line and no children: inline; several lines, or children: one per line, indented
    class Lines(nn.Module):
        def extra_repr(self) -> str:
            return "a=1\nb=2"

    assert repr(Lines()) == "Lines(\n  a=1\n  b=2\n)"
    assert repr(_Block("size=2")) == (
        "_Block(\n"
        "  size=2\n"
        "  (inner): Sequential(\n"
        "    (0): Linear(in_features=2, out_features=2, bias=True)\n"
        "    (1): GELU(approximate='tanh')\n"
        "  )\n"
        "  (norm): LayerNorm((2,), eps=0.001, elementwise_affine=True, bias=True)\n"
        ")"
    )
    assert repr(nn.Module()) == "Module()"
    if torch is not None:

        class TorchLines(torch.nn.Module):
            def extra_repr(self) -> str:
                return "a=1\nb=2"

        assert repr(TorchLines()).replace("TorchLines", "Lines") == repr(Lines())


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.Sequential(m.Embedding(27, 10), m.Flatten(), m.Linear(30, 200, bias=False)),
        lambda m: m.Sequential(m.BatchNorm1d(200), m.Tanh(), m.Dropout(0.2), m.Linear(200, 27)),
        lambda m: m.ModuleList([m.Sequential(m.LayerNorm(8), m.Linear(8, 8), m.SiLU()) for _ in range(4)]),
        lambda m: m.Sequential(m.Softmax(dim=1), m.LogSoftmax(dim=-1), m.Identity(), m.LeakyReLU(0.1)),
        lambda m: m.Sequential(m.CrossEntropyLoss(), m.MSELoss(), m.BCEWithLogitsLoss(), m.NLLLoss()),
        lambda m: m.Sequential(m.L1Loss(), m.BCELoss(), m.SmoothL1Loss(), m.HuberLoss()),
    ],
)
def test_printed_text_is_torchs(build: Any) -> None:
    theirs = _torch()
    assert repr(build(nn)) == repr(build(theirs.nn))


# --- the tree -------------------------------------------------------------------------------------


def test_named_parameters_prefix_recurse_and_submodules() -> None:
    model = _quickstart(nn)
    assert [n for n, _ in model.named_parameters(prefix="model")][0] == "model.linear_relu_stack.0.weight"
    assert model.parameters(recurse=False) == []
    assert [n for n, _ in model.linear_relu_stack[0].named_parameters(recurse=False)] == ["weight", "bias"]
    assert model.get_submodule("linear_relu_stack.2") is model.linear_relu_stack[2]
    assert model.get_submodule("") is model
    with pytest.raises(AttributeError, match="Sequential has no submodule '7'"):
        model.get_submodule("linear_relu_stack.7")
    model.add_module("head", nn.Softmax(dim=1))
    assert model.head is model.get_submodule("head")
    with pytest.raises(TypeError, match="NeuralNetwork.add_module: 'bad' must be a Module or None, got int"):
        model.add_module("bad", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="NeuralNetwork.add_module: name must be non-empty"):
        model.add_module("a.b", nn.ReLU())


def test_zero_grad_sets_none_or_zeroes_in_place() -> None:
    net = make_net()
    net(Tensor(np.ones((2, 4)))).sum().backward()
    grad = net[0].weight.grad  # a Tensor sharing the gradient's memory
    net.zero_grad(set_to_none=False)
    assert net[0].weight.grad is not None and not grad.numpy().any()  # zeroed in place, as PyTorch's
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.zero_grad(set_to_none=False)  # nothing to zero: still None
    assert all(p.grad is None for p in net.parameters())


# --- to(): devices and dtypes ---------------------------------------------------------------------


def test_to_cpu_returns_the_module_and_another_device_is_a_clear_error() -> None:
    model = _quickstart(nn)
    assert model.to("cpu") is model and model.to(device="cpu") is model and model.cpu() is model
    if torch is not None:
        assert model.to(torch.device("cpu")) is model  # any device whose type is "cpu"
    for device in ("cuda", "cuda:0", "mps"):
        with pytest.raises(
            ValueError, match=f"^NeuralNetwork.to: only the CPU is here .numpy., got device '{device}'$"
        ):
            model.to(device)
    with pytest.raises(ValueError, match="NeuralNetwork.cuda: only the CPU is here"):
        model.cuda()
    with pytest.raises(
        TypeError, match="NeuralNetwork.to: expected a device, a dtype or a Tensor, got 'gpu'"
    ):
        model.to("gpu")
    with pytest.raises(
        TypeError, match="NeuralNetwork.to: a module takes floating-point dtypes only, got int64"
    ):
        model.to(np.int64)
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        model.to(place="cpu")


def test_to_a_dtype_casts_floats_in_place_and_keeps_the_parameters() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    model(Tensor(np.ones((5, 3)))).sum().backward()
    weight = model[0].weight
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    assert model.to(np.float32) is model and model[0].weight is weight  # the same objects
    assert all(p.dtype == np.float32 and p.grad.dtype == np.float32 for p in model.parameters())
    assert model[1].running_mean.dtype == np.float32 and model[1].num_batches_tracked.dtype == np.int64
    assert model(np.ones((5, 3))).dtype == np.float32
    opt.step()  # the optimizer made before still holds them
    assert model.double()[0].weight.dtype == np.float64
    assert model.float()[0].weight.dtype == np.float32 and model.half()[0].weight.dtype == np.float16
    assert model.to("cpu", np.float64)[2].bias.dtype == np.float64
    assert model.to(Tensor(np.zeros(1, np.float32)))[2].bias.dtype == np.float32  # a Tensor's dtype
    values = nn.MLP(2, [2, 1], rng=0)
    assert values.to(np.float32) is values and isinstance(values.parameters()[0].data, float)


def test_dir_of_nn_lists_the_api() -> None:
    names = dir(nn)
    assert {"Linear", "CrossEntropyLoss", "Module", "functional", "optim", "manual_seed"} <= set(names)
    assert not {"module", "linear", "losses", "activations"} & set(names)

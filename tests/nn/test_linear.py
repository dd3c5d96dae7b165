"""Tensor modules: Linear, Sequential, activations; state dicts with PyTorch's names and shapes."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value, gradcheck


def test_linear_shapes_init_and_forward() -> None:
    layer = nn.Linear(5, 3, rng=0)
    assert layer.weight.shape == (3, 5) and layer.bias is not None and layer.bias.shape == (3,)
    bound = 1 / math.sqrt(5)
    assert np.all(np.abs(layer.weight.data) <= bound) and np.all(np.abs(layer.bias.data) <= bound)
    assert layer.weight.requires_grad and layer.bias.requires_grad
    x = np.random.default_rng(1).normal(size=(4, 5))
    np.testing.assert_allclose(layer(Tensor(x)).data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-12)
    np.testing.assert_allclose(layer(x).data, layer(Tensor(x)).data)  # arrays are accepted too
    assert layer(Tensor(x[0])).shape == (3,)  # one sample without a batch dimension


def test_linear_init_spreads_over_the_pytorch_bound() -> None:
    w = nn.Linear(400, 300, rng=0).weight.data
    bound = 1 / math.sqrt(400)
    assert w.min() > -bound and w.max() < bound
    assert w.min() < -0.95 * bound and w.max() > 0.95 * bound  # uniform over the whole range
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound  # the std of U(-a, a)


def test_linear_gradients() -> None:
    layer = nn.Linear(3, 2, rng=0)
    x = Tensor(np.random.default_rng(2).normal(size=(4, 3)), requires_grad=True)
    assert gradcheck(lambda x, w, b: layer(x), [x, layer.weight, layer.bias])


def test_linear_without_bias_and_float32() -> None:
    layer = nn.Linear(3, 2, bias=False, rng=0)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    assert repr(layer) == "Linear(in_features=3, out_features=2, bias=False)"
    fast = nn.Linear(3, 2, rng=0, dtype=np.float32)
    assert fast.weight.dtype == np.float32 and fast(np.ones((1, 3), dtype=np.float32)).dtype == np.float32


def test_linear_seeding() -> None:
    assert np.array_equal(nn.Linear(4, 4, rng=3).weight.data, nn.Linear(4, 4, rng=3).weight.data)
    nn.manual_seed(11)
    a = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2)).state_dict()
    nn.manual_seed(11)
    b = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2)).state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_linear_bad_input() -> None:
    layer = nn.Linear(4, 2, rng=0)
    with pytest.raises(ValueError, match=r"Linear: input shape \(3, 5\) does not fit weight shape \(2, 4\)"):
        layer(Tensor(np.ones((3, 5))))
    with pytest.raises(ValueError, match=r"Linear: input shape \(\) does not fit"):
        layer(Tensor(1.0))
    with pytest.raises(ValueError, match="Linear: in_features must be positive, got 0"):
        nn.Linear(0, 2)
    with pytest.raises(ValueError, match="Linear: out_features must be positive, got -3"):
        nn.Linear(2, -3)
    with pytest.raises(TypeError, match="Linear: in_features must be an int, got float"):
        nn.Linear(2.5, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Linear: dtype must be a float type, got int32"):
        nn.Linear(2, 3, dtype=np.int32)


def make_net(seed: int = 0) -> nn.Sequential:
    return nn.Sequential(nn.Linear(4, 8, rng=seed), nn.ReLU(), nn.Linear(8, 3, rng=seed + 1))


def test_sequential_runs_in_order_and_indexes() -> None:
    net = make_net()
    x = np.random.default_rng(0).normal(size=(2, 4))
    h = np.maximum(x @ net[0].weight.data.T + net[0].bias.data, 0)
    np.testing.assert_allclose(net(Tensor(x)).data, h @ net[2].weight.data.T + net[2].bias.data, rtol=1e-12)
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
    assert net[0].weight.data[0, 0] != 100.0
    assert [p for p in net.parameters()] == [net[0].weight, net[0].bias, net[2].weight, net[2].bias]


def test_sequential_round_trip_through_a_file(tmp_path: Path) -> None:
    a, b = make_net(0), make_net(5)
    nn.save(a.state_dict(), tmp_path / "net.npz")
    b.load_state_dict(nn.load(tmp_path / "net.npz"))
    x = Tensor(np.ones((1, 4)))
    np.testing.assert_array_equal(a(x).data, b(x).data)
    # loaded arrays are copies, not shared with the dict they came from
    state = a.state_dict()
    b.load_state_dict(state)
    state["0.bias"][:] = 7.0
    assert not np.any(b[0].bias.data == 7.0)
    # a dict of Tensors works too
    b.load_state_dict({k: Tensor(v) for k, v in make_net(9).state_dict().items()})
    np.testing.assert_array_equal(b[2].bias.data, make_net(9)[2].bias.data)


def test_mismatched_state_dict_changes_nothing() -> None:
    net = make_net()
    before = {k: v.copy() for k, v in net.state_dict().items()}
    other = nn.Sequential(nn.Linear(4, 8, rng=1), nn.ReLU(), nn.Linear(8, 2, rng=1)).state_dict()
    with pytest.raises(ValueError) as err:
        net.load_state_dict(other)
    assert "'2.weight' has shape (2, 8) in the state dict but (3, 8) in the model" in str(err.value)
    assert "'2.bias' has shape (2,) in the state dict but (3,) in the model" in str(err.value)
    assert all(np.array_equal(before[k], v) for k, v in net.state_dict().items())


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


@pytest.mark.parametrize(
    ("module", "f"),
    [
        (nn.ReLU(), lambda x: np.maximum(x, 0)),
        (nn.Tanh(), np.tanh),
        (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
        (nn.GELU(), lambda x: np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])),
        (
            nn.GELU(approximate="tanh"),
            lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
        ),
    ],
)
def test_activations_on_tensors_and_values(module: nn.Module, f) -> None:
    x = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    np.testing.assert_allclose(module(Tensor(x)).data, f(x), rtol=1e-12, atol=1e-15)
    assert [v.data for v in module([Value(float(v)) for v in x])] == pytest.approx(f(x).tolist(), rel=1e-12)
    assert module(Value(0.7)).data == pytest.approx(float(f(x)[3]), rel=1e-12)
    assert list(module.parameters()) == []


def test_activation_errors() -> None:
    with pytest.raises(ValueError, match="GELU: approximate must be 'none' or 'tanh', got 'fast'"):
        nn.GELU(approximate="fast")
    with pytest.raises(TypeError, match="ReLU: expected a Tensor or Values, got str"):
        nn.ReLU()("x")
    assert repr(nn.GELU(approximate="tanh")) == "GELU(approximate='tanh')"


def test_training_a_tensor_network_lowers_the_loss() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1).astype(np.int64)
    net = make_net(3)
    opt = nn.optim.Adam(net.parameters(), lr=0.05)
    losses = []
    for _ in range(60):
        loss = F.cross_entropy(net(Tensor(X)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_linear_refuses_values_instead_of_dropping_their_gradients() -> None:
    layer = nn.Linear(2, 1, rng=0)
    for x in ([Value(1.0), Value(2.0)], [[Value(1.0), Value(2.0)]], [1.0, Value(2.0)], Value(1.0)):
        with pytest.raises(TypeError, match="Linear: got Values; Tensor and Value do not mix"):
            layer(x)
    with pytest.raises(TypeError, match="Linear: .*strings"):
        layer(["a", "b"])
    with pytest.raises(TypeError, match="Linear: .*complex"):
        layer(np.array([1 + 2j, 3.0]))
    # lists and arrays of numbers still work, cast to the weight's dtype
    fast = nn.Linear(2, 1, rng=0, dtype=np.float32)
    assert fast([[1, 2]]).dtype == np.float32 and fast(np.array([[1.0, 2.0]])).dtype == np.float32
    np.testing.assert_allclose(layer([1, 2]).data, layer(Tensor([1.0, 2.0])).data)
    assert layer(np.array([True, False])).dtype == np.float64


def test_value_models_explain_that_tensors_go_to_linear() -> None:
    message = "MLP: Value models take numbers or Values, got a Tensor; for Tensors use nn.Linear / nn.Seq"
    with pytest.raises(TypeError, match=message):
        nn.MLP(2, [3, 1], rng=0)(Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="MLP: Value models take numbers or Values, got a Tensor"):
        nn.MLP(2, [3, 1], rng=0)([Tensor(1.0), 2.0])
    with pytest.raises(TypeError, match="Layer: Value models take numbers or Values, got a Tensor"):
        nn.Layer(2, 3, rng=0)(Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="Neuron: Value models take numbers or Values, got a Tensor"):
        nn.Neuron(2, rng=0)([1.0, Tensor(2.0)])
    assert nn.MLP(2, [3, 1], rng=0)(np.array([1.0, 2.0])).data == nn.MLP(2, [3, 1], rng=0)([1.0, 2.0]).data


def test_load_state_dict_refuses_complex_and_overflowing_values_and_changes_nothing() -> None:
    net = nn.Sequential(nn.Linear(2, 2, rng=0, dtype=np.float32))
    before = {k: v.copy() for k, v in net.state_dict().items()}
    good = {k: np.zeros_like(v) for k, v in before.items()}
    for key, bad, problem in [
        ("0.weight", np.full((2, 2), 1 + 2j), "holds complex128 numbers, not real ones"),
        ("0.bias", np.array([1e300, 0.0]), "1e+300 becomes inf as float32"),
        ("0.bias", np.array([0.0, -1e39]), "-1e+39 becomes -inf as float32"),
    ]:
        with pytest.raises(ValueError, match=rf"'{key}' {re.escape(problem)}.*nothing loaded"):
            net.load_state_dict({**good, key: bad})
        assert all(np.array_equal(before[k], v) for k, v in net.state_dict().items())
    # values that are already infinite or NaN in the dict are the dict's own: they load as they are
    net.load_state_dict({**good, "0.bias": np.array([np.inf, np.nan])})
    assert np.isinf(net[0].bias.data[0]) and np.isnan(net[0].bias.data[1])
    # a Value model: complex refused, ints and bools load as floats
    model = nn.MLP(1, [1], rng=0)
    with pytest.raises(ValueError, match="'layers.0.neurons.0.b' holds complex128 numbers"):
        model.load_state_dict({"layers.0.neurons.0.w.0": 1.0, "layers.0.neurons.0.b": 2 + 0j})
    model.load_state_dict({"layers.0.neurons.0.w.0": np.int64(3), "layers.0.neurons.0.b": True})
    assert [p.data for p in model.parameters()] == [3.0, 1.0]

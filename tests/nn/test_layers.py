"""micrograd's model on Values (nn/layers.py): Neuron, Layer, MLP: the computation, micrograd's
attribute names, seeding, bad input, and micrograd's two-moons demo."""

from __future__ import annotations

import collections
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value


def test_neuron_computes_activation_of_weighted_sum() -> None:
    n = nn.Neuron(2, activation="tanh", rng=0)
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
    out = n([2.0, 1.0])
    assert out.data == pytest.approx(np.tanh(0.5 * 2 - 1.0 + 0.25))
    out.backward()
    assert n.w[0].grad == pytest.approx((1 - np.tanh(0.25) ** 2) * 2.0)


@pytest.mark.parametrize(
    ("activation", "f"),
    [
        ("relu", lambda z: max(z, 0.0)),
        ("tanh", np.tanh),
        ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
        ("linear", lambda z: z),
    ],
)
def test_every_activation(activation: str, f) -> None:
    n = nn.Neuron(3, activation=activation, rng=1)
    x = [0.3, -1.2, 2.0]
    z = sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data
    assert n(x).data == pytest.approx(f(z))


def test_micrograd_attribute_names_and_labels() -> None:
    model = nn.MLP(3, [4, 4, 1], rng=0)
    assert len(model.layers) == 3
    assert len(model.layers[0].neurons) == 4
    neuron = model.layers[1].neurons[2]
    assert isinstance(neuron.w, list) and len(neuron.w) == 4 and isinstance(neuron.b, Value)
    assert [w.label for w in neuron.w] == ["w0", "w1", "w2", "w3"] and neuron.b.label == "b"
    # micrograd's layout: hidden layers use the activation, the last layer is linear
    assert [layer.neurons[0].activation for layer in model.layers] == ["relu", "relu", "linear"]


def test_outputs_one_value_or_a_list() -> None:
    assert isinstance(nn.MLP(2, [3, 1], rng=0)([1.0, 2.0]), Value)
    out = nn.MLP(2, [3, 2], rng=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2
    assert isinstance(nn.Layer(2, 1, rng=0)([1.0, 2.0]), Value)
    # a hidden layer one neuron wide still feeds the next layer
    assert isinstance(nn.MLP(2, [1, 3], rng=0)([1.0, 2.0]), list)


def test_inputs_may_be_values_and_gradients_reach_them() -> None:
    x = [Value(1.0), Value(-2.0)]
    nn.MLP(2, [4, 1], activation="tanh", rng=3)(x).backward()
    assert any(v.grad != 0.0 for v in x)


def test_same_seed_same_weights_and_manual_seed() -> None:
    def weights(model: nn.Module) -> list[float]:
        return [p.data for p in model.parameters()]

    assert weights(nn.MLP(2, [4, 1], rng=7)) == weights(nn.MLP(2, [4, 1], rng=7))
    assert weights(nn.MLP(2, [4, 1], rng=7)) != weights(nn.MLP(2, [4, 1], rng=8))
    nn.manual_seed(5)
    first = weights(nn.MLP(2, [4, 1]))
    nn.manual_seed(5)
    assert weights(nn.MLP(2, [4, 1])) == first
    assert weights(nn.MLP(2, [4, 1])) != first  # the generator moved on
    assert all(-1 <= w <= 1 for w in first)
    # the weights: U(-1, 1) (micrograd's), float64 draws of autograd's generator, neuron by neuron
    nn.manual_seed(5)
    draws = autograd.zeros(2 * 4 + 4).uniform_(-1.0, 1.0, generator=autograd.Generator().manual_seed(5))
    model = nn.MLP(2, [4, 1])
    assert [w.data for layer in model.layers for n in layer.neurons for w in n.w] == draws.tolist()
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: nn.Neuron(0), "Neuron: nin must be positive, got 0"),
        (lambda: nn.Layer(2, -1), "Layer: nout must be positive, got -1"),
        (lambda: nn.MLP(0, [2]), "MLP: nin must be positive, got 0"),
        (lambda: nn.MLP(2, [3, 0]), "MLP: each layer size must be positive, got 0"),
        (
            lambda: nn.Neuron(2, activation="no_such_fn"),
            "Neuron: unknown activation 'no_such_fn'; valid: 'exp', 'log', 'tanh', 'sigmoid', 'relu'",
        ),
        (lambda: nn.MLP(2, [3, 1], activation="elu"), "MLP: unknown activation 'elu'"),
    ],
)
def test_bad_sizes_and_activations(make, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_bad_kinds() -> None:
    with pytest.raises(TypeError, match="Neuron: nin must be an int, got float"):
        nn.Neuron(2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="MLP: nouts must be a non-empty list"):
        nn.MLP(2, [])
    with pytest.raises(TypeError, match="MLP: expected a sequence of 2 inputs, got float"):
        nn.MLP(2, [1], rng=0)(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rng must be None, an int seed or an autograd.Generator, got str"):
        nn.Neuron(2, rng="seed")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="manual_seed: seed must be an int"):
        nn.manual_seed(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("model", [nn.MLP(2, [3, 1], rng=0), nn.Layer(2, 3, rng=0), nn.Neuron(2, rng=0)])
def test_wrong_number_of_inputs(model: nn.Module) -> None:
    with pytest.raises(ValueError, match=f"^{type(model).__name__}: expected 2 inputs, got 3$"):
        model([1.0, 2.0, 3.0])


MODELS = [nn.Neuron(2, rng=0), nn.Layer(2, 3, rng=0), nn.MLP(2, [3, 1], rng=0)]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_value_models_refuse_unordered_and_one_shot_inputs(model: nn.Module) -> None:
    name = type(model).__name__
    for x, kind in [
        ({1.0: 0, 2.0: 1}, "dict"),  # ran on its keys before
        ({1.0, 2.0}, "set"),  # ran in hash order before
        ({1.0: 0, 2.0: 1}.keys(), "dict_keys"),
        ("ab", "str"),
        ((v for v in [1.0, 2.0]), "generator"),
        (iter([1.0, 2.0]), "list_iterator"),
        (None, "NoneType"),
    ]:
        with pytest.raises(TypeError, match=f"^{name}: expected a sequence of 2 inputs, got {kind}$"):
            model(x)
    for x, kind in [
        ([None, 1.0], "NoneType"),
        (["1", 2.0], "str"),
        ([True, 1.0], "bool"),
        ([1j, 0.0], "complex"),
        ([[1.0], [2.0]], "list"),
    ]:
        with pytest.raises(TypeError, match=f"^{name}: input 0 must be a number or a Value, got {kind}$"):
            model(x)
    with pytest.raises(
        ValueError, match=rf"^{name}: expected a sequence of 2 inputs, got an array of shape \(2, 2\)$"
    ):
        model(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=f"^{name}: input 1 is an int too large for a float$"):
        model([0, 10**400])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_value_models_take_any_ordered_sequence(model: nn.Module) -> None:
    def data(out: Any) -> Any:
        return [o.data for o in out] if isinstance(out, list) else out.data

    expected = data(model([1.0, 2.0]))
    for x in [
        (1.0, 2.0),
        np.array([1.0, 2.0]),
        collections.deque([1, 2]),
        range(1, 3),
        [np.float32(1), np.int64(2)],
        [Value(1.0), 2],
    ]:
        assert data(model(x)) == pytest.approx(expected)


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


def make_moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's make_moons), labels -1 and +1."""
    n_out = n // 2
    n_in = n - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], axis=1)
    X = np.vstack([outer, inner]) + rng.normal(0.0, noise, (n, 2))
    y = np.hstack([-np.ones(n_out), np.ones(n_in)])
    return X, y


def test_micrograd_moons_demo_reaches_95_percent() -> None:
    X, y = make_moons(100, 0.1, np.random.default_rng(1337))
    model = nn.MLP(2, [16, 16, 1], rng=1337)
    params = model.parameters()
    assert len(params) == 337  # micrograd's count
    opt = nn.optim.SGD(params, lr=1.0)
    rows, targets = X.tolist(), y.tolist()
    accuracy = 0.0
    for k in range(100):
        scores = [model(row) for row in rows]
        data_loss = F.hinge_loss(scores, targets)  # mean(relu(1 - y·score)): the SVM max-margin loss
        loss = data_loss + 1e-4 * sum(p * p for p in params)
        accuracy = float(np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, targets)]))
        opt.zero_grad()
        loss.backward()
        opt.lr = 1.0 - 0.9 * k / 100  # micrograd's schedule
        opt.step()
    assert accuracy >= 0.95, f"training accuracy {accuracy:.0%} after 100 steps"
    assert loss.data < 0.1

"""Module, Neuron, Layer, MLP: names, order, seeding, printing, state dicts and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value


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


def test_zero_grad() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


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


def test_value_state_dict_round_trip_and_copies() -> None:
    a, b = nn.MLP(2, [3, 1], rng=0), nn.MLP(2, [3, 1], rng=1)
    state = a.state_dict()
    assert list(state) == [name for name, _ in a.named_parameters()]
    assert all(v.shape == () and v.dtype == np.float64 for v in state.values())
    state["layers.0.neurons.0.b"] += 1.0  # a copy: the model does not change
    assert a.layers[0].neurons[0].b.data == 0.0
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert [p.data for p in b.parameters()] == [p.data for p in a.parameters()]
    assert all(isinstance(p.data, float) for p in b.parameters())


def _snapshot(model: nn.Module) -> list[float]:
    return [float(np.sum(v)) for v in model.state_dict().values()]


def test_load_state_dict_names_every_problem_and_changes_nothing() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    before = _snapshot(model)
    state = nn.MLP(2, [3, 1], rng=1).state_dict()
    del state["layers.1.neurons.0.b"]
    state["extra.weight"] = np.zeros(2)
    state["layers.0.neurons.0.w.0"] = np.zeros(3)
    with pytest.raises(ValueError) as err:
        model.load_state_dict(state)
    message = str(err.value)
    assert "missing keys ['layers.1.neurons.0.b']" in message
    assert "unexpected keys ['extra.weight']" in message
    assert "'layers.0.neurons.0.w.0' has shape (3,) in the state dict but () in the model" in message
    assert _snapshot(model) == before


def test_load_state_dict_not_strict_skips_keys_but_not_shapes() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    state = {"layers.0.neurons.0.b": np.array(2.5), "other": np.ones(1)}
    result = model.load_state_dict(state, strict=False)
    assert model.layers[0].neurons[0].b.data == 2.5
    assert result.unexpected_keys == ["other"] and len(result.missing_keys) == 12
    before = _snapshot(model)
    with pytest.raises(ValueError, match="has shape"):
        model.load_state_dict(
            {"layers.0.neurons.0.b": np.ones(2), "layers.0.neurons.1.b": np.array(9.0)}, strict=False
        )
    assert _snapshot(model) == before


def test_load_state_dict_bad_values() -> None:
    model = nn.MLP(1, [1], rng=0)
    with pytest.raises(TypeError, match="expected a dict"):
        model.load_state_dict([1.0, 2.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot be read as float64"):
        model.load_state_dict({"layers.0.neurons.0.w.0": "abc", "layers.0.neurons.0.b": 0.0})


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
    with pytest.raises(TypeError, match="rng must be None, an int seed or a numpy Generator"):
        nn.Neuron(2, rng="seed")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="manual_seed: seed must be an int"):
        nn.manual_seed(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("model", [nn.MLP(2, [3, 1], rng=0), nn.Layer(2, 3, rng=0), nn.Neuron(2, rng=0)])
def test_wrong_number_of_inputs(model: nn.Module) -> None:
    with pytest.raises(ValueError, match=f"^{type(model).__name__}: expected 2 inputs, got 3$"):
        model([1.0, 2.0, 3.0])


def test_module_without_forward() -> None:
    with pytest.raises(NotImplementedError, match="Module: forward"):
        nn.Module()()

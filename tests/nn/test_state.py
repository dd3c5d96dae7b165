"""Module state (nn/module.py's state_dict, load_state_dict and buffers; nn/state.py's checks of
the numbers loaded): buffers, state dicts with PyTorch's keys and order (both ways, for a model using
every new layer), everything checked before anything is loaded, save/load with buffers, train/eval.
Optimizer state: test_optim_state.py."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from nn_helpers import make_net

import nn
from autograd import Tensor

# torch is imported once at collection, so that each test stays fast; the tests that need it still
# ask pytest.importorskip("torch")
with contextlib.suppress(ImportError):
    import torch as _torch  # noqa: F401

# --- buffers ------------------------------------------------------------------------------------


class Scaler(nn.Module):
    """A module that does not call super().__init__(): buffers must work anyway."""

    def __init__(self) -> None:
        self.register_buffer("scale", Tensor(np.array([2.0, 3.0])))
        self.weight = Tensor(np.ones(2), requires_grad=True)
        self.register_buffer("cache", Tensor(np.zeros(2)), persistent=False)
        self.norm = nn.BatchNorm1d(2)
        self.register_buffer("unused", None)

    def forward(self, x: Any) -> Tensor:
        return self.norm(x * self.weight * self.scale)


def test_buffers_without_init_in_pytorchs_order() -> None:
    m = Scaler()
    assert [n for n, _ in m.named_buffers()] == [
        "scale",
        "cache",
        "norm.running_mean",
        "norm.running_var",
        "norm.num_batches_tracked",
    ]
    assert m.buffers()[0] is m.scale and not any(b.requires_grad for b in m.buffers())
    assert [n for n, _ in m.named_parameters()] == ["weight", "norm.weight", "norm.bias"]
    # own parameters, own persistent buffers, then the children: PyTorch's order
    assert list(m.state_dict()) == [
        "weight",
        "scale",
        "norm.weight",
        "norm.bias",
        "norm.running_mean",
        "norm.running_var",
        "norm.num_batches_tracked",
    ]
    state = m.state_dict()
    assert (
        state["norm.num_batches_tracked"].dtype == np.int64 and state["norm.num_batches_tracked"].shape == ()
    )
    state["scale"][0] = 100.0  # a copy
    assert m.scale.data[0] == 2.0
    m.scale = Tensor(np.array([5.0, 5.0]))  # assigning replaces the buffer, as in PyTorch
    assert m.state_dict()["scale"].tolist() == [5.0, 5.0]


def test_buffer_order_matches_torch() -> None:
    torch = pytest.importorskip("torch")

    class TorchScaler(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("scale", torch.tensor([2.0, 3.0]))
            self.weight = torch.nn.Parameter(torch.ones(2))
            self.register_buffer("cache", torch.zeros(2), persistent=False)
            self.norm = torch.nn.BatchNorm1d(2)
            self.register_buffer("unused", None)

    theirs = TorchScaler()
    assert list(Scaler().state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in Scaler().named_buffers()] == [n for n, _ in theirs.named_buffers()]


def test_register_buffer_refuses_bad_arguments() -> None:
    m = Scaler()
    cases = [
        (
            lambda: m.register_buffer(3, Tensor([1.0])),
            TypeError,
            "Scaler.register_buffer: name must be a str",
        ),
        (lambda: m.register_buffer("a.b", Tensor([1.0])), ValueError, "hold no '.', got 'a.b'"),
        (lambda: m.register_buffer("", Tensor([1.0])), ValueError, "name must be non-empty"),
        (
            lambda: m.register_buffer("x", np.ones(2)),
            TypeError,
            "buffer 'x' must be a Tensor or None, got ndarray",
        ),
        (lambda: m.register_buffer("weight", Tensor([1.0])), ValueError, "attribute 'weight' already exists"),
        (
            lambda: m.register_buffer("forward", Tensor([1.0])),
            ValueError,
            "attribute 'forward' already exists",
        ),
        (
            lambda: m.register_buffer("w", Tensor([1.0], requires_grad=True)),
            ValueError,
            "buffer 'w' requires grad",
        ),
        (lambda: m.register_buffer("y", Tensor([1.0]), persistent=1), TypeError, "persistent must be a bool"),
    ]
    for make, error, message in cases:
        with pytest.raises(error, match=message):
            make()
    m.register_buffer("scale", Tensor(np.zeros(2)))  # registering a buffer again replaces it
    assert m.scale.data.tolist() == [0.0, 0.0]
    m.scale = 3  # type: ignore[assignment]
    with pytest.raises(TypeError, match="Scaler: buffer 'scale' must be a Tensor or None, got int"):
        m.state_dict()


def test_load_state_dict_loads_buffers_all_or_nothing() -> None:
    a, b = Scaler(), Scaler()
    a(Tensor(np.random.default_rng(0).normal(size=(4, 2))))  # running statistics move
    state = a.state_dict()
    assert state["norm.num_batches_tracked"] == 1
    before = b.state_dict()
    for key, bad, message in [
        (
            "norm.num_batches_tracked",
            np.array(2.5),
            "'norm.num_batches_tracked' holds 2.5, not a whole number",
        ),
        ("norm.num_batches_tracked", np.array(2.0**70), "beyond the range of its int64"),
        ("norm.running_var", np.ones(3), r"'norm.running_var' has shape \(3,\) in the state dict but \(2,\)"),
        ("scale", np.array(["a", "b"]), "'scale' cannot be read as float64 numbers"),
    ]:
        with pytest.raises(ValueError, match=message):
            b.load_state_dict({**state, key: bad})
        assert all(np.array_equal(before[k], v) for k, v in b.state_dict().items())
    partial = dict(state)
    del partial["norm.running_mean"]
    with pytest.raises(ValueError, match=r"missing keys \['norm.running_mean'\]"):
        b.load_state_dict(partial)
    with pytest.raises(ValueError, match=r"unexpected keys \['cache'\]"):  # not persistent: not loaded
        b.load_state_dict({**state, "cache": np.zeros(2)})
    assert all(np.array_equal(before[k], v) for k, v in b.state_dict().items())
    b.load_state_dict({**state, "norm.num_batches_tracked": np.array(1.0)})  # a whole float is fine
    assert b.norm.num_batches_tracked.dtype == np.int64
    assert all(np.array_equal(state[k], v) for k, v in b.state_dict().items())
    assert b.load_state_dict(partial, strict=False).missing_keys == ["norm.running_mean"]


def test_save_and_load_round_trip_with_buffers(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    a = nn.Sequential(nn.Linear(3, 4, rng=0), nn.BatchNorm1d(4), nn.ReLU(), nn.LayerNorm(4))
    for _ in range(3):
        a(Tensor(rng.normal(size=(5, 3))))
    nn.save(a.state_dict(), tmp_path / "model.npz")
    loaded = nn.load(tmp_path / "model.npz")
    assert list(loaded) == list(a.state_dict())
    assert loaded["1.num_batches_tracked"].dtype == np.int64 and loaded["1.num_batches_tracked"] == 3
    b = nn.Sequential(nn.Linear(3, 4, rng=1), nn.BatchNorm1d(4), nn.ReLU(), nn.LayerNorm(4))
    b.load_state_dict(loaded)
    x = Tensor(rng.normal(size=(2, 3)))
    np.testing.assert_array_equal(a.eval()(x).data, b.eval()(x).data)
    np.testing.assert_array_equal(b[1].running_var.data, a[1].running_var.data)


# --- a model using every new layer, against PyTorch ---------------------------------------------


class Everything(nn.Module):
    def __init__(self) -> None:
        self.embed = nn.Embedding(10, 4)
        self.norm = nn.LayerNorm(4)
        self.flat = nn.Flatten()
        self.blocks = nn.ModuleList([nn.Linear(12, 8), nn.Linear(8, 8)])
        self.batch = nn.BatchNorm1d(8)
        self.drop = nn.Dropout(0.25)
        self.same = nn.Identity()
        self.head = nn.Sequential(nn.Linear(8, 5), nn.LogSoftmax(dim=1))
        self.soft = nn.Softmax(dim=-1)

    def forward(self, tokens: Any) -> tuple[Tensor, Tensor]:
        h = self.flat(self.norm(self.embed(tokens)))
        for block in self.blocks:
            h = self.drop(self.batch(block(h)) if block is self.blocks[-1] else block(h).tanh())
        log_probs = self.head(self.same(h))
        return log_probs, self.soft(log_probs)


def _torch_everything(torch: Any) -> Any:
    tnn = torch.nn

    class TorchEverything(tnn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = tnn.Embedding(10, 4)
            self.norm = tnn.LayerNorm(4)
            self.flat = tnn.Flatten()
            self.blocks = tnn.ModuleList([tnn.Linear(12, 8), tnn.Linear(8, 8)])
            self.batch = tnn.BatchNorm1d(8)
            self.drop = tnn.Dropout(0.25)
            self.same = tnn.Identity()
            self.head = tnn.Sequential(tnn.Linear(8, 5), tnn.LogSoftmax(dim=1))
            self.soft = tnn.Softmax(dim=-1)

        def forward(self, tokens: Any) -> Any:
            h = self.flat(self.norm(self.embed(tokens)))
            for block in self.blocks:
                h = self.drop(self.batch(block(h)) if block is self.blocks[-1] else block(h).tanh())
            log_probs = self.head(self.same(h))
            return log_probs, self.soft(log_probs)

    return TorchEverything().double()


TOKENS = np.random.default_rng(2).integers(0, 10, size=(6, 3))


def _train(model: Any, steps: int, make_input: Any) -> None:
    """A few training-mode passes (the running statistics move; no gradient step needed)."""
    model.train()
    for k in range(steps):
        model(make_input(TOKENS[:, ::-1] if k % 2 else TOKENS))


def test_every_new_layer_state_dict_loads_into_torch_and_back() -> None:
    torch = pytest.importorskip("torch")
    ours, theirs = Everything(), _torch_everything(torch)
    keys = list(theirs.state_dict())
    assert list(ours.state_dict()) == keys  # same names, same order
    for key, value in theirs.state_dict().items():
        mine = ours.state_dict()[key]
        assert mine.shape == tuple(value.shape) and mine.dtype == value.numpy().dtype, key
    assert "batch.num_batches_tracked" in keys and "blocks.1.weight" in keys and "head.0.bias" in keys

    # ours -> torch: train ours a little, load into torch, compare in eval mode
    _train(ours, 3, lambda t: np.ascontiguousarray(t))
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()}, strict=True)
    assert int(theirs.batch.num_batches_tracked) == 3
    ours.eval()
    theirs.eval()
    tokens = TOKENS[:4]
    for o, t in zip(ours(tokens), theirs(torch.from_numpy(tokens))):
        np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)

    # torch -> ours: train torch further, load it into a fresh model of ours
    _train(theirs, 2, lambda t: torch.from_numpy(np.ascontiguousarray(t)))
    fresh = Everything()
    fresh.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert fresh.batch.num_batches_tracked.item() == 5
    fresh.eval()
    theirs.eval()
    for o, t in zip(fresh(tokens), theirs(torch.from_numpy(tokens))):
        np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)
    # the repr of the tree reads as PyTorch's
    assert repr(fresh).replace("Everything", "X") == repr(theirs).replace("TorchEverything", "X")


RNG = np.random.default_rng(2024)


def _torch_net() -> Any:
    torch = pytest.importorskip("torch")
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3)).double()


def test_state_dict_loads_into_torch_sequential_unchanged(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(4, 8, rng=0), nn.ReLU(), nn.Linear(8, 3, rng=1))
    nn.save(ours.state_dict(), tmp_path / "net.npz")
    theirs = _torch_net()
    state = {k: torch.from_numpy(v) for k, v in nn.load(tmp_path / "net.npz").items()}
    theirs.load_state_dict(state, strict=True)  # same keys, same shapes
    x = RNG.normal(size=(7, 4))
    expected = theirs(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(ours(Tensor(x)).data, expected, rtol=1e-12)


def test_torch_state_dict_loads_into_ours() -> None:
    torch = pytest.importorskip("torch")
    theirs = _torch_net()
    ours = nn.Sequential(nn.Linear(4, 8, rng=0), nn.ReLU(), nn.Linear(8, 3, rng=0))
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = RNG.normal(size=(2, 4))
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12)


def test_mismatched_state_dict_changes_nothing() -> None:
    net = make_net()
    before = {k: v.copy() for k, v in net.state_dict().items()}
    other = nn.Sequential(nn.Linear(4, 8, rng=1), nn.ReLU(), nn.Linear(8, 2, rng=1)).state_dict()
    with pytest.raises(ValueError) as err:
        net.load_state_dict(other)
    assert "'2.weight' has shape (2, 8) in the state dict but (3, 8) in the model" in str(err.value)
    assert "'2.bias' has shape (2,) in the state dict but (3,) in the model" in str(err.value)
    assert all(np.array_equal(before[k], v) for k, v in net.state_dict().items())


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


def test_train_and_eval_switch_batch_norm_and_dropout_everywhere() -> None:
    model = Everything()
    assert model.eval() is model and not model.batch.training and not model.drop.training
    out = [model(TOKENS)[0].data for _ in range(2)]
    np.testing.assert_array_equal(*out)  # eval: deterministic, running statistics untouched
    assert model.batch.num_batches_tracked.item() == 0
    model.train()
    assert all(m.training for m in model.modules())
    model(TOKENS)
    assert model.batch.num_batches_tracked.item() == 1
    with pytest.raises(TypeError, match="Everything.train: mode must be a bool, got str"):
        model.train("no")  # type: ignore[arg-type]


def test_state_dict_keep_vars_and_prefix() -> None:
    net = make_net()
    kept = net.state_dict(keep_vars=True)
    assert kept["0.weight"] is net[0].weight and kept["2.bias"] is net[2].bias  # the Tensors themselves
    copies = net.state_dict(prefix="model.")
    assert list(copies)[0] == "model.0.weight" and isinstance(copies["model.0.weight"], np.ndarray)
    net.load_state_dict({k: v for k, v in kept.items()})  # Tensors load too (their numbers are copied)
    assert net[0].weight is kept["0.weight"]

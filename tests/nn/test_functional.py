"""nn.functional (nn/functional.py): PyTorch's function forms (activations, softmax, one_hot,
dropout, linear, embedding, layer_norm and the losses) against torch.nn.functional, their errors, and
``dir(nn.functional)`` listing the API only."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_helpers import TOL, needs_torch, torch

import autograd
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value

TF = torch.nn.functional if torch is not None else None


FUNCTIONS = [
    ("relu", lambda f, x: f.relu(x)),
    ("relu inplace", lambda f, x: f.relu(x * 1.0, inplace=True)),
    ("softmax dim=1", lambda f, x: f.softmax(x, dim=1)),
    ("softmax 0", lambda f, x: f.softmax(x, 0)),
    ("log_softmax", lambda f, x: f.log_softmax(x, dim=-1)),
    ("tanh", lambda f, x: f.tanh(x)),
    ("sigmoid", lambda f, x: f.sigmoid(x)),
    ("gelu", lambda f, x: f.gelu(x)),
    ("gelu tanh", lambda f, x: f.gelu(x, approximate="tanh")),
    ("silu", lambda f, x: f.silu(x)),
    ("leaky_relu", lambda f, x: f.leaky_relu(x)),
    ("leaky_relu 0.2", lambda f, x: f.leaky_relu(x, 0.2)),
]


@needs_torch
@pytest.mark.parametrize(("name", "call"), FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_functional_activations_match_torch(name: str, call: Any) -> None:
    _matches_torch(lambda x: call(F, x), lambda x: call(TF, x))


def _matches_torch(ours: Any, theirs: Any) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 4)) * 4
    x[0, 0] = 0.0  # relu's kink: gradient 0 in both
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), **TOL)
    weights = rng.normal(size=yo.shape)
    (yo * Tensor(weights)).sum().backward()
    (yt * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), **TOL)


@needs_torch
@pytest.mark.parametrize(
    ("indices", "num_classes"),
    [([0, 2, 1], -1), ([[0, 2], [1, 1]], 5), (np.array(3), -1), (np.zeros((2, 0), dtype=np.int64), 3)],
)
def test_one_hot_matches_torch(indices: Any, num_classes: int) -> None:
    ours = F.one_hot(indices, num_classes)
    theirs = TF.one_hot(torch.tensor(np.asarray(indices)), num_classes).numpy()
    assert ours.dtype == theirs.dtype == np.int64
    np.testing.assert_array_equal(ours.data, theirs)
    np.testing.assert_array_equal(F.one_hot(Tensor(np.asarray(indices)), num_classes).data, theirs)


# --- nn.init ------------------------------------------------------------------------------------


def test_functional_keeps_every_loss_name_and_adds_the_new_ones() -> None:
    import nn.cross_entropy
    import nn.losses

    losses = ["mse_loss", "l1_loss", "smooth_l1_loss", "binary_cross_entropy", "hinge_loss", "huber_loss"]
    losses += ["binary_cross_entropy_with_logits"]
    for name in losses:
        assert getattr(F, name) is getattr(nn.losses, name)
    for name in ("cross_entropy", "nll_loss"):
        assert getattr(F, name) is getattr(nn.cross_entropy, name)
    for name in ("relu", "softmax", "log_softmax", "one_hot"):
        assert callable(getattr(F, name)) and name in F.__all__


@pytest.mark.parametrize(
    ("run", "error", "message"),
    [
        (lambda: F.relu([1.0]), TypeError, "relu: input must be a Tensor or a Value, got list"),
        (lambda: F.tanh(np.ones(2)), TypeError, "tanh: input must be a Tensor or a Value, got ndarray"),
        (lambda: F.gelu(Tensor([1.0]), approximate="x"), ValueError, "gelu: approximate must be"),
        (
            lambda: F.linear(Tensor([[1.0, 2.0]]), [[1.0, 2.0]]),
            TypeError,
            "linear: weight must be a 1-D or 2-D Tensor",
        ),
        (
            lambda: F.linear(Tensor([[1.0, 2.0]]), Tensor([[1.0, 2.0, 3.0]])),
            ValueError,
            r"linear: input shape \(1, 2\) does not fit weight shape \(1, 3\)",
        ),
        (
            lambda: F.embedding([3], Tensor(np.zeros((3, 2)))),
            IndexError,
            "embedding: index 3 at 0 is out of range",
        ),
        (lambda: F.embedding([0], Tensor(np.zeros(3))), TypeError, "embedding: weight must be a 2-D Tensor"),
        (lambda: F.softmax(Tensor([1.0]), dim=1), ValueError, "softmax: dim 1 is out of range"),
        (lambda: F.log_softmax(Tensor([1.0]), dim=0.5), TypeError, "log_softmax: dim must be an int"),
        (lambda: F.softmax(Tensor(np.array([1, 2])), 0), TypeError, "softmax: input must hold floats"),
        (lambda: F.one_hot([0, -1]), ValueError, "one_hot: class values must be >= 0, got -1"),
        (
            lambda: F.one_hot([0, 3], num_classes=3),
            ValueError,
            "one_hot: class value 3 is out of range for 3",
        ),
        (lambda: F.one_hot([0.0, 1.0]), TypeError, "one_hot: indices must be integers, got float64"),
        (lambda: F.one_hot(np.zeros(0, dtype=int)), ValueError, "one_hot: cannot infer num_classes"),
        (lambda: F.one_hot([1], num_classes=2.0), TypeError, "one_hot: num_classes must be an int"),
        (lambda: F.one_hot([1], num_classes=-2), ValueError, "one_hot: num_classes must be -1"),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 3]),
            ValueError,
            "nll_loss: target 3 at index 1 is out of range",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0.0, 1.0]),
            ValueError,
            "nll_loss: targets must be integer",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 1], ignore_index=True),
            TypeError,
            "nll_loss: ignore_index",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 1], [1.0, 2.0]),
            ValueError,
            "nll_loss: weight must have one",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3, 4))), [0, 1]),
            ValueError,
            r"nll_loss: input of shape \(2, 3, 4\)",
        ),
        (
            lambda: F.nll_loss(Tensor(np.zeros((2, 3))), [0, 1], reduction="avg"),
            ValueError,
            "nll_loss: reduction",
        ),
        (
            lambda: F.nll_loss([[Value(0.0)], [1.0]], [0, 0]),
            TypeError,
            "nll_loss: log-probabilities must be Values",
        ),
    ],
)
def test_functional_errors(run: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        run()


def test_dir_lists_the_api_only() -> None:
    names = dir(F)
    assert names == sorted(F.__all__)
    for name in ("relu", "tanh", "sigmoid", "gelu", "softmax", "log_softmax", "one_hot", "cross_entropy"):
        assert name in names and callable(getattr(F, name))
    for name in ("mse_loss", "dropout", "linear", "embedding", "layer_norm", "nll_loss", "silu"):
        assert name in names
    assert not {"np", "Any", "Tensor", "Value", "annotations", "check_dim", "tensor_input"} & set(names)


def test_softmax_without_dim_takes_torchs_implicit_choice() -> None:
    x = Tensor([[1.0, 2.0], [3.0, 5.0]])
    with pytest.warns(UserWarning, match="softmax: implicit dimension choice is deprecated"):
        implicit = F.softmax(x)
    np.testing.assert_array_equal(implicit.data, F.softmax(x, dim=1).data)  # 2-D: dim 1, as PyTorch
    with pytest.warns(UserWarning):
        np.testing.assert_array_equal(
            F.log_softmax(Tensor([1.0, 2.0])).data, F.log_softmax(Tensor([1.0, 2.0]), 0).data
        )


@needs_torch
def test_linear_and_embedding_match_torch() -> None:
    rng = np.random.default_rng(6)
    w, b = rng.normal(size=(3, 4)), rng.normal(size=3)
    _matches_torch(
        lambda x: F.linear(x, Tensor(w), Tensor(b)), lambda x: TF.linear(x, torch.tensor(w), torch.tensor(b))
    )
    wo, wt = Tensor(w.copy(), requires_grad=True), torch.tensor(w, requires_grad=True)
    index = np.array([[2, 0], [2, 2]])
    for padding in (None, 2):
        yo, yt = (
            F.embedding(index, wo, padding_idx=padding),
            TF.embedding(torch.from_numpy(index), wt, padding_idx=padding),
        )
        np.testing.assert_array_equal(yo.data, yt.detach().numpy())
        yo.sum().backward()
        yt.sum().backward()
        np.testing.assert_array_equal(wo.grad, wt.grad.numpy())
        wo.grad, wt.grad = None, None


@needs_torch
def test_dropout_matches_torch_for_the_same_generator() -> None:
    x = np.random.default_rng(2).normal(size=(4, 16)).astype(np.float32)
    autograd.manual_seed(9)
    torch.manual_seed(9)
    expected = TF.dropout(torch.from_numpy(x), 0.25).numpy()
    np.testing.assert_array_equal(F.dropout(Tensor(x), 0.25).data, expected)
    own = F.dropout(Tensor(x), 0.25, generator=autograd.Generator().manual_seed(9))  # the same stream
    np.testing.assert_array_equal(own.data, expected)
    assert F.dropout(Tensor(x), 0.25, training=False).tolist() == x.tolist()

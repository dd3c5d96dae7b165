"""Activation modules (nn/activations.py): ReLU, Tanh, Sigmoid, GELU, SiLU, LeakyReLU, Softmax,
LogSoftmax and Activation by name, on Tensors and Values; against PyTorch: values, gradients and
the printed text."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from nn_helpers import check_step

import nn
from autograd import Tensor, Value


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
        (nn.SiLU(), lambda x: x / (1 + np.exp(-x))),
        (nn.LeakyReLU(), lambda x: np.where(x > 0, x, 0.01 * x)),
        (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    ],
)
def test_activations_on_tensors_and_values(module: nn.Module, f) -> None:
    x = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    np.testing.assert_allclose(module(Tensor(x)), f(x), rtol=1e-12, atol=1e-15)
    assert [v.data for v in module([Value(float(v)) for v in x])] == pytest.approx(f(x).tolist(), rel=1e-12)
    assert module(Value(0.7)).data == pytest.approx(float(f(x)[3]), rel=1e-12)
    assert list(module.parameters()) == []


def test_activation_errors() -> None:
    with pytest.raises(ValueError, match="GELU: approximate must be 'none' or 'tanh', got 'fast'"):
        nn.GELU(approximate="fast")
    with pytest.raises(TypeError, match="ReLU: expected a Tensor or Values, got str"):
        nn.ReLU()("x")
    with pytest.raises(TypeError, match="LeakyReLU: negative_slope must be a number, got str"):
        nn.LeakyReLU("0.1")
    with pytest.raises(TypeError, match="ReLU: inplace must be True or False, got int"):
        nn.ReLU(1)
    assert repr(nn.GELU(approximate="tanh")) == "GELU(approximate='tanh')"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.Softmax("1"), TypeError, "Softmax: dim must be an int, got str"),
        (lambda: nn.LogSoftmax(1.0), TypeError, "LogSoftmax: dim must be an int, got float"),
        (
            lambda: nn.Softmax(2)(np.ones((2, 2))),
            ValueError,
            r"Softmax: dim 2 is out of range for an input of shape",
        ),
        (lambda: nn.LogSoftmax(0)(np.ones(2, dtype=int)), TypeError, "LogSoftmax: input must hold floats"),
    ],
)
def test_softmax_modules_refuse_bad_arguments(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        make()


def test_softmax_without_dim_chooses_as_torch_with_its_warning() -> None:
    # nn.LogSoftmax(None) was a TypeError; PyTorch takes it (dim 0 for 0-, 1- and 3-D input, else 1)
    torch = pytest.importorskip("torch")
    for shape in [(4,), (2, 3), (2, 3, 4), (2, 3, 4, 2)]:
        x = np.random.default_rng(0).normal(size=shape)
        for ours, theirs in (
            (nn.Softmax(), torch.nn.Softmax()),
            (nn.LogSoftmax(None), torch.nn.LogSoftmax()),
        ):
            with pytest.warns(UserWarning, match="implicit dimension"):
                got = ours(Tensor(x))
            with pytest.warns(UserWarning):
                expected = theirs(torch.from_numpy(x)).numpy()
            np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert repr(nn.Softmax()) == repr(torch.nn.Softmax()) == "Softmax(dim=None)"


def test_float32_stays_float32() -> None:
    x32 = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    for layer in (nn.Softmax(1), nn.LogSoftmax(0), nn.ReLU(), nn.SiLU(), nn.LeakyReLU(), nn.GELU()):
        assert layer(Tensor(x32)).dtype == np.float32, type(layer).__name__


# --- against PyTorch ---------------------------------------------------------------------------------

LAYERS = [
    ("Softmax(dim=1)", lambda m: m.Softmax(dim=1), (3, 4)),
    ("Softmax(dim=-1)", lambda m: m.Softmax(dim=-1), (2, 3, 4)),
    ("LogSoftmax(dim=0)", lambda m: m.LogSoftmax(dim=0), (3, 4)),
    ("ReLU()", lambda m: m.ReLU(), (3, 4)),
    ("ReLU(inplace=True)", lambda m: m.ReLU(inplace=True), (3, 4)),
    ("Tanh()", lambda m: m.Tanh(), (3, 4)),
    ("Sigmoid()", lambda m: m.Sigmoid(), (3, 4)),
    ("GELU(approximate='none')", lambda m: m.GELU(), (3, 4)),
    ("GELU(approximate='tanh')", lambda m: m.GELU("tanh"), (3, 4)),
    ("SiLU()", lambda m: m.SiLU(), (3, 4)),
    ("LeakyReLU(negative_slope=0.01)", lambda m: m.LeakyReLU(), (3, 4)),
    ("LeakyReLU(negative_slope=0.2, inplace=True)", lambda m: m.LeakyReLU(0.2, True), (3, 4)),
]


@pytest.mark.parametrize(("text", "make", "shape"), LAYERS, ids=[t for t, *_ in LAYERS])
def test_activation_modules_match_torch(text: str, make: Any, shape: tuple) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    ours, theirs = make(nn), make(torch.nn)
    x = rng.normal(size=shape) * 5
    x.flat[0] = 0.0  # the kinks: relu's and leaky_relu's gradient there is torch's
    check_step(ours, theirs, x, rng)
    assert repr(ours) == repr(theirs) == text

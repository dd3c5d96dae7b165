"""nn.Dropout and nn.functional.dropout (nn/dropout.py): PyTorch's masks for the same seed (and the
same generator), the scaling, the gradients, eval mode and bad arguments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_helpers import check_step

import autograd
import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.Dropout(1.5), ValueError, r"Dropout: p must be a probability in \[0, 1\], got 1.5"),
        (lambda: nn.Dropout(math_nan()), ValueError, "Dropout: p must be a probability"),
        (lambda: nn.Dropout("0.5"), TypeError, "Dropout: p must be a number, got str"),
        (lambda: nn.Dropout(True), TypeError, "Dropout: p must be a number, got bool"),
        (lambda: nn.Dropout(0.5, inplace="no"), TypeError, "Dropout: inplace must be True or False"),
        (
            lambda: nn.Dropout()(np.ones(2, dtype=int)),
            TypeError,
            "Dropout: input must hold floats, got int64",
        ),
        (lambda: nn.Dropout()("abc"), TypeError, "Dropout: input data must be numbers"),
        (
            lambda: F.dropout(Tensor([1.0]), 0.5, training=1),
            TypeError,
            "dropout: training must be True or False",
        ),
        (lambda: F.dropout(Tensor([1.0]), -0.1), ValueError, r"dropout: p must be a probability in \[0, 1\]"),
        (lambda: F.dropout(Tensor([1.0]), generator=0), TypeError, "generator must be a Generator, got int"),
    ],
)
def test_dropout_refuses_bad_arguments(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        make()


def math_nan() -> float:
    return float("nan")


def test_dropout_masks_scale_gradients_and_follow_one_seed() -> None:
    x = Tensor(np.arange(1.0, 1001.0), requires_grad=True)
    drop = nn.Dropout(0.3)
    nn.manual_seed(9)
    y = drop(x)
    kept = y.detach().numpy() != 0
    np.testing.assert_allclose(y.detach().numpy()[kept], x.detach().numpy()[kept] / 0.7, rtol=1e-15)
    assert 0.25 < 1 - kept.mean() < 0.35
    y.sum().backward()
    np.testing.assert_allclose(x.grad, kept / 0.7, rtol=1e-15)  # the gradient goes through the kept ones
    autograd.manual_seed(9)  # the same seed, by the other name: the same mask
    np.testing.assert_array_equal(drop(x).detach(), y.detach())
    assert not np.array_equal(drop(x).detach().numpy(), y.detach().numpy())  # the generator moved on


def test_dropout_edges_and_eval() -> None:
    x = Tensor(np.ones(5), requires_grad=True)
    assert nn.Dropout(0.0)(x) is x and nn.Dropout(0.7).eval()(x) is x
    assert F.dropout(x, 0.7, training=False) is x
    out = nn.Dropout(1.0)(x)
    assert out.tolist() == [0.0] * 5
    out.sum().backward()
    assert x.grad.tolist() == [0.0] * 5
    assert nn.Dropout(0.5)(np.ones((2, 2))).shape == (2, 2)  # arrays are taken as constants
    x32 = Tensor(np.ones(4, dtype=np.float32))
    assert nn.Dropout(0.5)(x32).dtype == np.float32
    empty = Tensor(np.zeros((0, 3)))
    assert nn.Dropout(0.5)(empty) is empty  # nothing to drop: no draw


def test_functional_dropout_takes_a_generator_and_trains_by_default() -> None:
    x = autograd.ones(1000)
    a = F.dropout(x, 0.4, generator=autograd.Generator().manual_seed(3))
    b = F.dropout(x, 0.4, generator=autograd.Generator().manual_seed(3))
    np.testing.assert_array_equal(a, b)
    assert 0.3 < (a.numpy() == 0).mean() < 0.5


# --- against PyTorch ---------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.9])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_masks_and_values_are_torchs_for_the_same_seed(p: float, dtype: Any) -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).normal(size=(7, 33)).astype(dtype)
    autograd.manual_seed(123)
    torch.manual_seed(123)
    drop, theirs = nn.Dropout(p), torch.nn.Dropout(p)
    for _ in range(3):  # the generators move on alike
        ours = drop(Tensor(x))
        expected = theirs(torch.from_numpy(x)).numpy()
        assert ours.dtype == expected.dtype
        np.testing.assert_array_equal(ours, expected)  # bit for bit: the mask and the scaling
    g, gt = autograd.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    mask = F.dropout(autograd.ones(50, dtype=dtype), p, generator=g)
    expected = torch.ones(50, dtype=torch.from_numpy(x).dtype).bernoulli_(1 - p, generator=gt) / (1 - p)
    np.testing.assert_array_equal(mask, expected.numpy())


def test_dropout_gradients_and_eval_match_torch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 4)) * 5
    autograd.manual_seed(0)
    torch.manual_seed(0)
    check_step(nn.Dropout(0.3), torch.nn.Dropout(0.3), x, rng)  # the same mask: the same gradients
    check_step(nn.Dropout(0.3).eval(), torch.nn.Dropout(0.3).eval(), x, rng)


def test_dropout_repr_and_training_statistics_as_torch() -> None:
    torch = pytest.importorskip("torch")
    assert repr(nn.Dropout()) == repr(torch.nn.Dropout()) == "Dropout(p=0.5, inplace=False)"
    assert repr(nn.Dropout(0.1, inplace=True)) == repr(torch.nn.Dropout(0.1, inplace=True))
    autograd.manual_seed(0)
    torch.manual_seed(0)
    x = np.ones(200_000)
    for p in (0.2, 0.5):
        ours = nn.Dropout(p)(Tensor(x)).numpy()
        theirs = torch.nn.Dropout(p)(torch.from_numpy(x)).numpy()
        assert set(np.unique(ours)) == set(np.unique(theirs)) == {0.0, 1 / (1 - p)}
        assert abs((ours == 0).mean() - p) < 0.005 and abs((theirs == 0).mean() - p) < 0.005

"""allclose, isclose, equal, histc and histogram against PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest

import scratchgrad as sg

torch = pytest.importorskip("torch")


def both(data: object, dtype: str = "float32") -> tuple[sg.Tensor, torch.Tensor]:
    return sg.tensor(data, dtype=getattr(sg, dtype)), torch.tensor(data, dtype=getattr(torch, dtype))


CASES = [
    ([1.0, 2.0, 3.0], [1.0, 2.0 + 1e-6, 3.0]),
    ([1.0, 2.0], [1.0, 2.001]),
    ([1e-9, 0.0], [0.0, 1e-9]),
    ([float("inf"), 1.0], [float("inf"), 1.0]),
    ([float("inf")], [float("-inf")]),
    ([float("nan"), 1.0], [float("nan"), 1.0]),
    ([100.0, 1e-3], [100.001, 1.001e-3]),
]


@pytest.mark.parametrize("a, b", CASES)
@pytest.mark.parametrize(
    "kwargs", [{}, {"atol": 1e-6}, {"rtol": 1e-3, "equal_nan": True}, {"rtol": 0, "atol": 0}]
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_isclose_and_allclose(a: list, b: list, kwargs: dict, dtype: str) -> None:
    (x, tx), (y, ty) = both(a, dtype), both(b, dtype)
    assert sg.isclose(x, y, **kwargs).tolist() == torch.isclose(tx, ty, **kwargs).tolist()
    assert sg.allclose(x, y, **kwargs) is torch.allclose(tx, ty, **kwargs)


def test_isclose_edges_and_float32_rounding() -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal(10000).astype(np.float32)
    b = (a * (1 + rng.standard_normal(10000) * 1e-5)).astype(np.float32)
    ours = sg.isclose(sg.tensor(a), sg.tensor(b)).numpy()
    np.testing.assert_array_equal(ours, torch.isclose(torch.tensor(a), torch.tensor(b)).numpy())
    assert sg.isclose(sg.tensor([1, 2]), sg.tensor([1, 3])).tolist() == [True, False]
    with pytest.raises(TypeError, match="one dtype"):
        sg.isclose(sg.tensor([1.0]), sg.tensor([1.0], dtype=sg.float64))
    with pytest.raises(TypeError, match="Tensor"):
        sg.allclose([1.0], sg.tensor([1.0]))  # type: ignore[arg-type]
    assert sg.allclose(sg.tensor([1.0], requires_grad=True), sg.tensor([1.0]))


def test_equal() -> None:
    assert sg.equal(sg.tensor([1, 2]), sg.tensor([1, 2]))
    assert not sg.equal(sg.tensor([1, 2]), sg.tensor([1, 2, 3]))
    assert not sg.equal(sg.tensor([1.0, 2.0]), sg.tensor([1.0, 2.5]))


def data(seed: int, n: int = 5000) -> np.ndarray:
    return np.tanh(np.random.default_rng(seed).standard_normal(n) * 2).astype(np.float32)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("bins", [100, 7, 1])
@pytest.mark.parametrize("density", [False, True])
def test_histogram(seed: int, bins: int, density: bool) -> None:
    x = data(seed)
    hist, edges = sg.histogram(sg.tensor(x, requires_grad=True), bins=bins, density=density)
    thist, tedges = torch.histogram(torch.tensor(x, requires_grad=True), bins=bins, density=density)
    np.testing.assert_array_equal(edges.numpy(), tedges.detach().numpy())
    np.testing.assert_allclose(hist.numpy(), thist.detach().numpy(), rtol=1e-6)
    assert hist.dtype == np.float32 and not hist.requires_grad


def test_histogram_range_weights_edges_and_constant_input() -> None:
    x, tx = both([0.0, 0.5, 1.0, 1.0, 3.0, -2.0])
    w, tw = both([1.0, 2.0, 0.5, 0.5, 1.0, 4.0])
    for kwargs in ({"range": (0.0, 2.0)}, {"weight": (w, tw)}, {"range": (-1.0, 1.0), "density": True}):
        ours = {k: v[0] if k == "weight" else v for k, v in kwargs.items()}
        theirs = {k: v[1] if k == "weight" else v for k, v in kwargs.items()}
        for a, b in zip(sg.histogram(x, 4, **ours), torch.histogram(tx, 4, **theirs)):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    e, te = both([-2.0, 0.0, 0.25, 3.0])
    for a, b in zip(sg.histogram(x, bins=e), torch.histogram(tx, bins=te)):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    c, tc = both([2.0, 2.0])
    for a, b in zip(sg.histogram(c, 4), torch.histogram(tc, 4)):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    result = sg.histogram(x, 2)
    assert result.hist is result[0] and result.bin_edges is result[1]


@pytest.mark.parametrize(
    "kwargs", [{}, {"bins": 10}, {"bins": 4, "min": 0, "max": 3}, {"bins": 3, "min": 2, "max": 2}]
)
def test_histc(kwargs: dict) -> None:
    for x in (data(1), np.array([0.0, 0.5, 1.0, 1.0, 3.0, -2.0, 2.0], np.float32)):
        ours = sg.histc(sg.tensor(x), **kwargs)
        theirs = torch.histc(torch.tensor(x), **kwargs)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert ours.dtype == np.float32


def test_histograms_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="bins"):
        sg.histogram(sg.ones(3), 0)
    with pytest.raises(TypeError, match="floating"):
        sg.histc(sg.tensor([1, 2]))
    with pytest.raises(ValueError, match="max must be larger"):
        sg.histc(sg.ones(3), min=2, max=1)
    with pytest.raises(ValueError, match="increasing"):
        sg.histogram(sg.ones(3), bins=sg.tensor([1.0, 0.0]))

"""nn.utils.clip_grad_norm_ (nn/utils.py) against torch 2.13: the norm computed in the gradients'
dtype, the total torch returns, and the clipping torch does (infinite and NaN totals too)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from nn_helpers import TOL

import nn
from autograd import Tensor, Value
from nn.utils import NonFiniteNormError

torch = pytest.importorskip("torch")


def _both(grads: list[np.ndarray], max_norm: float = 1.0, **options: Any) -> tuple[Any, Any, list, list]:
    """Clip copies of ``grads`` with ours and with torch: (our total, torch's, our grads, torch's)."""
    ours = [Tensor(np.zeros_like(g), requires_grad=True) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.from_numpy(g).dtype, requires_grad=True) for g in grads]
    for o, t, g in zip(ours, theirs, grads):
        o.grad, t.grad = g.copy(), torch.from_numpy(g.copy())
    with np.errstate(all="raise"):  # no numpy warning escapes clip_grad_norm_
        total = nn.utils.clip_grad_norm_(ours, max_norm, **options)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, **options)
    return total, expected, [o.grad for o in ours], [t.grad.numpy() for t in theirs]


f32 = np.float32


@pytest.mark.parametrize(
    "grads",
    [
        [np.array([3e38, 3e38], f32)],  # the squares overflow float32
        [np.array([1e20, 1e20], f32)],  # the reported case: torch's total is inf, so is ours
        [np.array([1e20], f32), np.array([1e20], f32)],
        [np.array([np.inf, 1.0], f32)],  # inf·0 = nan, 1·0 = 0
        [np.array([np.nan, 1.0], f32)],
        [np.array([3.0, 4.0], f32), np.array([1e300, 1e300])],  # float64 overflow too
    ],
    ids=["3e38", "1e20", "1e20-split", "inf", "nan", "mixed-1e300"],
)
def test_huge_float32_gradients_give_torchs_infinite_total_and_clip_as_torch(grads: list[np.ndarray]) -> None:
    total, expected, ours, theirs = _both(grads)
    assert total.dtype == expected.numpy().dtype
    np.testing.assert_array_equal(total.data, expected.numpy())  # inf (or nan) as torch's
    for o, t in zip(ours, theirs):
        assert o.dtype == t.dtype
        np.testing.assert_array_equal(o, t)  # 0 (or nan) as torch's, not a finite-norm clip


@pytest.mark.parametrize(
    ("grads", "norm_type"),
    [
        ([np.array([1e-30, 1e-30], f32)], 2.0),  # the squares underflow: torch says 0, not 1.4e-30
        ([np.array([1e-30], f32)], 2.0),  # one element: its |g|, exactly, as torch's
        ([np.array([1e29], f32)], 3.0),
        ([np.array([1e30, 1e30], f32)], 3.0),
        ([np.array([3e38], f32), np.array([3e38], f32)], math.inf),
        ([np.array([3.0, 4.0], f32), np.array([1.0, 2.0])], 3.0),  # float32 and float64 together
        ([np.array([300.0, 300.0], np.float16)], 2.0),  # float16 summed in float32, as torch's
    ],
)
def test_the_norm_is_computed_in_the_gradients_dtype_as_torch(
    grads: list[np.ndarray], norm_type: float
) -> None:
    total, expected, ours, theirs = _both(grads, norm_type=norm_type)
    assert total.dtype == expected.numpy().dtype
    np.testing.assert_allclose(total.data, expected.numpy(), rtol=1e-6)
    for o, t in zip(ours, theirs):
        assert o.dtype == t.dtype
        np.testing.assert_allclose(o, t, rtol=1e-6 if o.dtype != np.float16 else 1e-3)


def test_random_gradients_of_every_dtype_and_scale_match_torch() -> None:
    rng = np.random.default_rng(5)
    for _ in range(60):
        dtypes = rng.choice([np.float16, np.float32, np.float64], size=rng.integers(1, 4))
        scale = 10.0 ** rng.integers(-40, 40)
        with np.errstate(over="ignore"):
            grads = [(rng.normal(size=rng.integers(1, 6)) * scale).astype(d) for d in dtypes]
        norm_type = float(rng.choice([1.0, 2.0, 3.0, 0.5, math.inf]))
        total, expected, ours, theirs = _both(grads, float(rng.choice([0.5, 1e30])), norm_type=norm_type)
        assert total.dtype == expected.numpy().dtype
        np.testing.assert_allclose(total.data, expected.numpy(), rtol=1e-5)
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(o, t, rtol=2e-3 if o.dtype == np.float16 else 1e-5)


@pytest.mark.parametrize("grad", [[3e38, 3e38], [np.inf, 0.0], [np.nan, 0.0]])
def test_error_if_nonfinite_raises_as_torch_and_changes_nothing(grad: list[float]) -> None:
    w, wt = Tensor(np.zeros(2, f32), requires_grad=True), torch.zeros(2, requires_grad=True)
    w.grad, wt.grad = np.array(grad, f32), torch.tensor(grad, dtype=torch.float32)
    before = w.grad.numpy().copy()
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_([wt], 1.0, error_if_nonfinite=True)
    with pytest.raises(
        NonFiniteNormError, match="of the gradients is (inf|nan); nothing was clipped"
    ) as info:
        nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, ValueError)  # torch's and ours
    np.testing.assert_array_equal(w.grad, before)


def test_values_and_tensors_share_one_float64_total() -> None:
    w, v = Tensor(np.zeros(1, f32), requires_grad=True), Value(0.0)
    w.grad, v.grad = np.array([3.0], f32), 4.0
    total = nn.utils.clip_grad_norm_([w, v], 1.0)
    assert total.dtype == np.float64 and total.item() == pytest.approx(5.0)
    assert w.grad.dtype == np.float32 and w.grad[0] == pytest.approx(0.6, rel=1e-6)
    assert v.grad == pytest.approx(0.8)


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, 0.5, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(norm_type: Any, max_norm: float) -> None:
    rng = np.random.default_rng(8)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=5) * 3, np.array(-2.5)]
    ours = [Tensor(np.zeros_like(g), requires_grad=True) for g in grads[:2]] + [Value(0.0)]
    ours.append(Tensor(np.zeros(2), requires_grad=True))  # no grad: skipped, as in PyTorch
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    theirs.append(torch.zeros(2, dtype=torch.float64, requires_grad=True))
    for o, t, g in zip(ours, theirs, grads):
        o.grad = float(g) if isinstance(o, Value) else g.copy()
        t.grad = torch.from_numpy(g.copy())
    total = nn.utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, Tensor) and total.shape == () and total.dtype == np.float64
    assert total.item() == pytest.approx(expected.item(), rel=1e-12)
    for o, t in zip(ours[:3], theirs):
        np.testing.assert_allclose(o.grad, t.grad.numpy(), **TOL)
    assert ours[3].grad is None


def test_clip_grad_norm_of_a_single_tensor_and_non_finite_totals_as_torch() -> None:
    w, wt = Tensor(np.zeros(3), requires_grad=True), torch.zeros(3, dtype=torch.float64, requires_grad=True)
    w.grad, wt.grad = np.array([3.0, 4.0, 0.0]), torch.tensor([3.0, 4.0, 0.0], dtype=torch.float64)
    assert nn.utils.clip_grad_norm_(w, 1.0).item() == torch.nn.utils.clip_grad_norm_(wt, 1.0).item() == 5.0
    np.testing.assert_allclose(w.grad, wt.grad.numpy(), rtol=1e-15)
    w.grad, wt.grad = np.array([np.inf, 1.0, 0.0]), torch.tensor([np.inf, 1.0, 0.0], dtype=torch.float64)
    with np.errstate(invalid="ignore"):
        assert nn.utils.clip_grad_norm_(w, 1.0).item() == torch.nn.utils.clip_grad_norm_(wt, 1.0).item()
    np.testing.assert_array_equal(w.grad, wt.grad.numpy())  # inf·0 = nan, 1·0 = 0, as PyTorch
    assert nn.utils.clip_grad_norm_([], 1.0).item() == torch.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0


def test_clip_grad_norm_errors_and_dtypes() -> None:
    w = Tensor(np.zeros(2, dtype=np.float32), requires_grad=True)
    w.grad = np.array([3.0, 4.0], dtype=np.float32)
    total = nn.utils.clip_grad_norm_([w], 1.0)
    assert total.dtype == np.float32 and total.item() == 5.0 and w.grad.dtype == np.float32
    cases = [
        (
            {"max_norm": math.inf},
            ValueError,
            "clip_grad_norm_: max_norm must be a finite number >= 0, got inf",
        ),
        ({"max_norm": math.nan}, ValueError, "clip_grad_norm_: max_norm must be a finite number"),
        ({"max_norm": -1.0}, ValueError, "clip_grad_norm_: max_norm must be a finite number >= 0, got -1.0"),
        ({"max_norm": "1"}, TypeError, "clip_grad_norm_: max_norm must be a number, got str"),
        (
            {"max_norm": 1.0, "norm_type": 0},
            ValueError,
            "clip_grad_norm_: norm_type must be a positive number",
        ),
        ({"max_norm": 1.0, "norm_type": "two"}, TypeError, "clip_grad_norm_: norm_type must be a number"),
        (
            {"max_norm": 1.0, "error_if_nonfinite": 1},
            TypeError,
            "clip_grad_norm_: error_if_nonfinite must be a bool",
        ),
    ]
    for options, error, message in cases:
        with pytest.raises(error, match=f"^{message}"):
            nn.utils.clip_grad_norm_([w], **options)
    with pytest.raises(TypeError, match="clip_grad_norm_: pass model.parameters()"):
        nn.utils.clip_grad_norm_(nn.Linear(2, 2), 1.0)
    with pytest.raises(
        TypeError, match="clip_grad_norm_: parameter 1 must be a Tensor or a Value, got float"
    ):
        nn.utils.clip_grad_norm_([w, 1.0], 1.0)
    w.grad = np.array([np.nan, 1.0], dtype=np.float32)
    with pytest.raises(
        ValueError, match="the total norm of order 2.0 of the gradients is nan; nothing was clipped"
    ):
        nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
    assert w.grad[1] == 1.0


def test_clipping_scales_the_gradients_in_place_as_torch() -> None:
    w = Tensor(np.zeros(2), requires_grad=True)
    w.grad = np.array([3.0, 4.0])
    grad = w.grad  # a Tensor sharing the gradient's memory, as PyTorch's p.grad
    nn.utils.clip_grad_norm_([w], 1.0)
    np.testing.assert_allclose(
        grad, [0.6, 0.8], rtol=1e-6
    )  # the same memory, scaled in place (1e-6: the eps)

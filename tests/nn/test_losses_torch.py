"""The elementwise losses (nn/losses.py) against PyTorch (skipped where torch is not installed):
values and gradients for every reduction, with element weights and pos_weight, at the edges
(infinite logits, any beta), and the targets and settings PyTorch refuses."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(2024)
X = RNG.normal(size=(4, 3)) * 2
PROBS = 1 / (1 + np.exp(-X))
SOFT = RNG.uniform(size=(4, 3))
SIGNS = np.sign(RNG.normal(size=(4, 3)))

# name -> (our loss, torch's, input, target, extra keyword arguments)
LOSSES = {
    "mse": (F.mse_loss, TF.mse_loss, X, SOFT, {}),
    "l1": (F.l1_loss, TF.l1_loss, X, SOFT, {}),
    "smooth_l1": (F.smooth_l1_loss, TF.smooth_l1_loss, X, SOFT, {}),
    "smooth_l1_beta": (F.smooth_l1_loss, TF.smooth_l1_loss, X, SOFT, {"beta": 0.4}),
    "huber": (F.huber_loss, TF.huber_loss, X, SOFT, {}),
    "huber_delta": (F.huber_loss, TF.huber_loss, X, SOFT, {"delta": 0.4}),
    "bce": (F.binary_cross_entropy, TF.binary_cross_entropy, PROBS, SOFT, {}),
    "bce_logits": (F.binary_cross_entropy_with_logits, TF.binary_cross_entropy_with_logits, X * 10, SOFT, {}),
    "hinge": (
        F.hinge_loss,
        lambda x, y, reduction: _torch_reduce(torch.clamp(1 - y * x, min=0), reduction),
        X,
        SIGNS,
        {},
    ),
}


def _torch_reduce(t, reduction: str):
    return {"mean": t.mean, "sum": t.sum, "none": lambda: t}[reduction]()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_losses_and_their_gradients_match_torch(name: str, reduction: str) -> None:
    ours_fn, torch_fn, x, y, kw = LOSSES[name]
    weights = RNG.uniform(0.5, 1.5, size=x.shape)  # so 'none' is checked through backward too
    ours_x, ours_y = Tensor(x.copy(), requires_grad=True), Tensor(y.copy(), requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    theirs_y = torch.tensor(y, requires_grad=True)
    ours = ours_fn(ours_x, ours_y, reduction=reduction, **kw)
    theirs = torch_fn(theirs_x, theirs_y, reduction=reduction, **kw)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    (ours * Tensor(weights)).sum().backward() if reduction == "none" else ours.backward()
    (theirs * torch.tensor(weights)).sum().backward() if reduction == "none" else theirs.backward()
    np.testing.assert_allclose(ours_x.grad, theirs_x.grad.numpy(), rtol=1e-9, atol=1e-12)
    if name != "bce":  # torch gives no gradient for BCE's target
        np.testing.assert_allclose(ours_y.grad, theirs_y.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", LOSSES)
def test_value_losses_match_torch(name: str) -> None:
    ours_fn, torch_fn, x, y, kw = LOSSES[name]
    xs = [Value(float(v)) for v in x.ravel()]
    ours = ours_fn(xs, y.ravel().tolist(), **kw)
    theirs_x = torch.tensor(x.ravel(), requires_grad=True)
    theirs = torch_fn(theirs_x, torch.tensor(y.ravel()), reduction="mean", **kw)
    ours.backward()
    theirs.backward()
    assert ours.data == pytest.approx(theirs.item(), rel=1e-10)
    np.testing.assert_allclose([v.grad for v in xs], theirs_x.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_bce_at_the_edges_matches_torch() -> None:
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-50])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.3])
    ours = F.binary_cross_entropy(Tensor(x), y, reduction="none").data
    theirs = TF.binary_cross_entropy(torch.tensor(x), torch.tensor(y), reduction="none").numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_float32_bce_at_the_edges_matches_torch() -> None:
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-45, 0.25], dtype=np.float32)
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.3, 0.5], dtype=np.float32)
    ours = F.binary_cross_entropy(Tensor(x), y, reduction="none")
    theirs = TF.binary_cross_entropy(torch.tensor(x), torch.tensor(y), reduction="none").numpy()
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours.data, theirs, rtol=1e-6)
    assert ours.data[0] == theirs[0] == 100.0


# --- state dicts ------------------------------------------------------------------------------


def test_losses_refuse_targets_torch_refuses_too() -> None:
    x = torch.tensor([0.5, 0.5])
    with pytest.raises((RuntimeError, NotImplementedError)):
        torch.nn.functional.mse_loss(x, torch.tensor([1 + 0j, 0]))
    with pytest.raises(TypeError, match="mse_loss"):
        F.mse_loss(Tensor([0.5, 0.5]), np.array([1 + 0j, 0]))


@pytest.mark.parametrize("target", [-0.5, 1.5, np.nan, np.inf])
def test_bce_targets_outside_0_1(target: float) -> None:
    with pytest.raises(RuntimeError, match="target should be between 0 and 1"):
        torch.nn.functional.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([target]))
    for name in ("binary_cross_entropy", "binary_cross_entropy_with_logits"):
        with pytest.raises(ValueError, match=rf"^{name}: target values must be in \[0, 1\], got {target}"):
            getattr(F, name)(Tensor([0.5]), np.array([target]))
        with pytest.raises(ValueError, match=rf"^{name}: target values must be in \[0, 1\]"):
            getattr(F, name)([Value(0.5)], [Value(target)])
    # PyTorch's with_logits computes a loss there (one with no minimum: −y·x falls forever);
    # refused here on purpose, like binary_cross_entropy
    assert torch.isfinite(
        torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor([0.5]), torch.tensor([1.5]))
    )


def _torch_loss_and_grad(
    name: str, x: np.ndarray, y: np.ndarray, **options: Any
) -> tuple[np.ndarray, np.ndarray]:
    tx = torch.tensor(x, requires_grad=True)
    out = getattr(torch.nn.functional, name)(tx, torch.tensor(y), reduction="none", **options)
    out.sum().backward()
    return out.detach().numpy(), tx.grad.numpy()


def _ours(
    name: str, x: np.ndarray, y: np.ndarray, **options: Any
) -> tuple[np.ndarray, np.ndarray, list[float], list[float]]:
    tx = Tensor(x, requires_grad=True)
    out = getattr(F, name)(tx, y, reduction="none", **options)
    out.sum().backward()
    vs = [Value(float(v)) for v in x]
    outs = getattr(F, name)(vs, y.tolist(), reduction="none", **options)
    for o in outs:
        o.backward()
    return out.data, tx.grad, [o.data for o in outs], [v.grad for v in vs]


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # inf - inf at d = inf, beta = inf
@pytest.mark.parametrize("beta", [math.inf, 1.0, 0.5, 1e-320, 1e308])
def test_smooth_l1_matches_torch_at_any_beta(beta: float) -> None:
    # beta = inf: 0 everywhere d is finite (it gave NaN: inf·0); d = ±inf: inf, gradient ±1;
    # NaN stays NaN, in the loss and in the gradient. (atol: at d = 1e-321 < beta = 1e-320,
    # PyTorch's d·d underflows to 0, where 0.5·d²/beta is 5e-323.)
    x = np.array([-np.inf, -3.0, -0.5, 0.0, 1e-321, 0.25, 2.0, 1e6, np.inf, np.nan])
    y = np.zeros_like(x)
    loss, grad = _torch_loss_and_grad("smooth_l1_loss", x, y, beta=beta)
    ours, ours_grad, values, value_grads = _ours("smooth_l1_loss", x, y, beta=beta)
    for got in (ours, values):
        np.testing.assert_allclose(got, loss, rtol=1e-12, atol=1e-320)
    for got in (ours_grad, value_grads):
        np.testing.assert_allclose(got, grad, rtol=1e-12, atol=1e-320)


def test_smooth_l1_stays_finite_where_torch_overflows() -> None:
    # 0.5·d²/beta with d = 1e300: PyTorch squares first (inf, or inf/inf = NaN at beta = inf)
    x = Tensor([1e300], requires_grad=True)
    assert F.smooth_l1_loss(x, [0.0], beta=math.inf).data == 0.0
    out = F.smooth_l1_loss(x, [0.0], beta=1e308)
    out.backward()
    assert out.data == pytest.approx(5e291) and x.grad[0] == pytest.approx(1e-8)


@pytest.mark.parametrize(
    ("beta", "error"), [(math.nan, ValueError), (-1.0, ValueError), ("1", TypeError), (None, TypeError)]
)
def test_smooth_l1_bad_beta(beta: Any, error: type) -> None:
    if error is ValueError:
        with pytest.raises(RuntimeError, match="beta"):
            torch.nn.functional.smooth_l1_loss(torch.zeros(1), torch.zeros(1), beta=beta)
    with pytest.raises(error, match="^smooth_l1_loss: beta must be"):
        F.smooth_l1_loss(Tensor([0.5]), [0.0], beta=beta)
    assert (
        F.smooth_l1_loss(Tensor([3.0]), [0.0], beta=np.float32(2.0)).data == 2.0
    )  # numpy numbers are numbers


def test_bce_with_logits_at_infinite_logits_matches_torch_gradients() -> None:
    x = np.array([-np.inf, -np.inf, np.inf, np.inf, -1e4, 1e4, 0.0])
    y = np.array([0.3, 1.0, 0.0, 0.3, 1.0, 0.0, 0.7])
    loss, grad = _torch_loss_and_grad("binary_cross_entropy_with_logits", x, y)
    ours, ours_grad, values, value_grads = _ours("binary_cross_entropy_with_logits", x, y)
    np.testing.assert_allclose(ours_grad, grad, rtol=1e-12)
    np.testing.assert_allclose(value_grads, grad, rtol=1e-12)
    # PyTorch gives NaN at -inf for y > 0 (inf·0 inside); the loss there is +inf
    assert ours.tolist()[:2] == [math.inf, math.inf] and values[:2] == [math.inf, math.inf]
    np.testing.assert_allclose(ours[2:], loss[2:], rtol=1e-12)


WEIGHTED = {
    "mse": (F.mse_loss, TF.mse_loss, X, {"weight": SOFT}),
    "l1": (F.l1_loss, TF.l1_loss, X, {"weight": SOFT}),
    "huber": (F.huber_loss, TF.huber_loss, X, {"weight": SOFT, "delta": 0.5}),
    "bce": (F.binary_cross_entropy, TF.binary_cross_entropy, PROBS, {"weight": SOFT[0]}),
    "bce_logits": (
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        X,
        {"weight": SOFT[0]},
    ),
    "bce_logits_pos": (
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        X * 10,
        {"pos_weight": np.array([0.5, 2.0, 3.0])},
    ),
    "bce_logits_both": (
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        X,
        {"weight": SOFT, "pos_weight": np.array([0.5, 2.0, 3.0])},
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", WEIGHTED)
def test_weighted_losses_and_their_gradients_match_torch(name: str, reduction: str) -> None:
    ours, theirs, x, options = WEIGHTED[name]
    y = SOFT[::-1].copy()
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    theirs_options = {k: torch.tensor(v) for k, v in options.items() if k != "delta"}
    theirs_options.update({k: v for k, v in options.items() if k == "delta"})
    out = ours(xo, y, reduction=reduction, **options)
    expected = theirs(xt, torch.tensor(y), reduction=reduction, **theirs_options)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_pos_weight_at_large_logits_matches_torch() -> None:
    x = np.array([-1e300, 1e300, -1e4, 1e4, 0.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.7])
    pw = np.array([2.0])
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    out = F.binary_cross_entropy_with_logits(xo, y, pos_weight=pw, reduction="none")
    expected = TF.binary_cross_entropy_with_logits(
        xt, torch.tensor(y), pos_weight=torch.tensor(pw), reduction="none"
    )
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), rtol=1e-12)


def test_legacy_arguments_match_torch() -> None:
    x, y = torch.tensor(X), torch.tensor(SOFT)
    for size_average, reduce in ((False, None), (None, False), (True, True), (False, True)):
        with pytest.warns(UserWarning):
            ours = F.mse_loss(Tensor(X), SOFT, size_average, reduce)
        with pytest.warns(UserWarning):
            theirs = TF.mse_loss(x, y, size_average, reduce)
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)

"""Losses: values against closed forms, gradients against finite differences, for Tensors and Values."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value, gradcheck


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def _smooth_l1(d: np.ndarray, beta: float = 1.0) -> np.ndarray:
    a = np.abs(d)
    return np.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta)


# name -> (loss, closed form of the elementwise loss, make input from raw numbers, make target)
CASES: dict[str, tuple[Callable, Callable, Callable, Callable]] = {
    "mse_loss": (F.mse_loss, lambda x, y: (x - y) ** 2, lambda r: r, lambda r: r),
    "l1_loss": (F.l1_loss, lambda x, y: np.abs(x - y), lambda r: r, lambda r: r),
    "smooth_l1_loss": (F.smooth_l1_loss, lambda x, y: _smooth_l1(x - y), lambda r: 2 * r, lambda r: r),
    "binary_cross_entropy": (
        F.binary_cross_entropy,
        lambda x, y: -(y * np.log(x) + (1 - y) * np.log(1 - x)),
        lambda r: 1 / (1 + np.exp(-r)),
        lambda r: 0.1 + 0.8 * (r > 0),  # inside [0, 1], so gradcheck may nudge the target too
    ),
    "binary_cross_entropy_with_logits": (
        F.binary_cross_entropy_with_logits,
        lambda x, y: _softplus(x) - x * y,
        lambda r: 3 * r,
        lambda r: 1 / (1 + np.exp(-r)),  # soft targets are allowed, as in PyTorch
    ),
    "hinge_loss": (F.hinge_loss, lambda x, y: np.maximum(0.0, 1 - y * x), lambda r: r, np.sign),
}


def _data(name: str, seed: int = 0, shape: tuple[int, ...] = (3, 4)) -> tuple[np.ndarray, np.ndarray]:
    _, _, make_x, make_y = CASES[name]
    rng = np.random.default_rng(seed)
    return make_x(rng.normal(size=shape)), make_y(rng.normal(size=shape))


@pytest.mark.parametrize("name", CASES)
def test_tensor_losses_match_closed_forms(name: str) -> None:
    loss, closed, _, _ = CASES[name]
    x, y = _data(name)
    expected = closed(x, y)
    out = loss(Tensor(x), Tensor(y), reduction="none")
    assert isinstance(out, Tensor) and out.shape == x.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(loss(Tensor(x), y, reduction="sum").data, expected.sum(), rtol=1e-12)
    mean = loss(Tensor(x), Tensor(y))
    assert mean.shape == () and mean.data == pytest.approx(expected.mean(), rel=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_value_losses_match_closed_forms(name: str) -> None:
    loss, closed, _, _ = CASES[name]
    x, y = _data(name, shape=(5,))
    expected = closed(x, y)
    xs = [Value(float(v)) for v in x]
    for targets in (y.tolist(), [Value(float(v)) for v in y]):  # number or Value targets
        out = loss(xs, targets, reduction="none")
        assert isinstance(out, list) and [o.data for o in out] == pytest.approx(expected.tolist(), rel=1e-12)
        assert loss(xs, targets, reduction="sum").data == pytest.approx(expected.sum(), rel=1e-12)
        assert loss(xs, targets).data == pytest.approx(expected.mean(), rel=1e-12)
    single = loss(xs[0], float(y[0]), reduction="none")  # one Value, one number
    assert isinstance(single, Value) and single.data == pytest.approx(expected[0], rel=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", CASES)
def test_tensor_gradients(name: str, reduction: str) -> None:
    loss = CASES[name][0]
    x, y = _data(name, seed=1)
    tx, ty = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    # the target is differentiated too (except where PyTorch's formula treats it as data anyway)
    assert gradcheck(lambda a, b: loss(a, b, reduction=reduction), [tx, ty])


@pytest.mark.parametrize("name", CASES)
def test_value_gradients(name: str) -> None:
    loss = CASES[name][0]
    x, y = _data(name, seed=2, shape=(4,))
    xs = [Value(float(v)) for v in x]
    ys = [Value(float(v)) for v in y]
    assert gradcheck(lambda *vs: loss(list(vs[:4]), list(vs[4:])), xs + ys)


def test_smooth_l1_beta() -> None:
    d = np.array([-3.0, -0.2, 0.0, 0.1, 0.5, 2.0])
    for beta in (0.5, 2.0):
        out = F.smooth_l1_loss(Tensor(d), np.zeros(6), reduction="none", beta=beta)
        np.testing.assert_allclose(out.data, _smooth_l1(d, beta), rtol=1e-12)
    out = F.smooth_l1_loss(Tensor(d), np.zeros(6), reduction="none", beta=0.0)  # L1, as PyTorch
    np.testing.assert_allclose(out.data, np.abs(d))
    with pytest.raises(ValueError, match="smooth_l1_loss: beta must be >= 0, got -1"):
        F.smooth_l1_loss(Tensor(d), np.zeros(6), beta=-1.0)


def test_kinks_have_pytorchs_gradients() -> None:
    # l1 at equality: 0 (sign(0)); bce_with_logits at logit 0: sigmoid(0) - y; hinge at margin: 0
    x = Tensor([0.0, 0.0], requires_grad=True)
    F.l1_loss(x, np.zeros(2), reduction="sum").backward()
    assert x.grad.tolist() == [0.0, 0.0]
    x = Tensor([0.0, 0.0], requires_grad=True)
    F.binary_cross_entropy_with_logits(x, np.array([1.0, 0.25]), reduction="sum").backward()
    assert x.grad.tolist() == pytest.approx([-0.5, 0.25])
    v = Value(0.0)
    F.binary_cross_entropy_with_logits([v], [0.0]).backward()
    assert v.grad == pytest.approx(0.5)


def test_extreme_inputs_stay_finite() -> None:
    # probabilities 0 and 1: logs clamped at -100, as PyTorch
    out = F.binary_cross_entropy(Tensor([0.0, 1.0, 1.0]), np.array([1.0, 0.0, 1.0]), reduction="none")
    assert out.data.tolist() == [100.0, 100.0, 0.0]
    assert F.binary_cross_entropy([Value(0.0)], [1.0]).data == 100.0
    # huge logits
    x = Tensor([-1000.0, 1000.0, 1e4], requires_grad=True)
    out = F.binary_cross_entropy_with_logits(x, np.array([1.0, 0.0, 1.0]), reduction="none")
    assert out.data.tolist() == [1000.0, 1000.0, 0.0]
    out.sum().backward()
    assert x.grad.tolist() == [-1.0, 1.0, 0.0]
    logits = Tensor([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0]], requires_grad=True)
    ce = F.cross_entropy(logits, np.array([1, 1]), reduction="none")
    assert ce.data.tolist() == [1e4, 0.0]
    ce.sum().backward()
    assert np.isfinite(logits.grad).all()
    assert logits.grad.tolist() == [[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]]
    row = [Value(1e4), Value(0.0), Value(-1e4)]
    loss = F.cross_entropy(row, 2)
    loss.backward()
    assert loss.data == 2e4 and [v.grad for v in row] == [1.0, 0.0, -1.0]


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def test_cross_entropy_closed_form_tensor_and_values() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 4))
    t = np.array([0, 3, 1, 1, 2])
    expected = -_log_softmax(z)[np.arange(5), t]
    np.testing.assert_allclose(F.cross_entropy(Tensor(z), t, reduction="none").data, expected, rtol=1e-12)
    assert F.cross_entropy(Tensor(z), Tensor(t)).data == pytest.approx(expected.mean(), rel=1e-12)
    assert F.cross_entropy(Tensor(z), t.tolist(), reduction="sum").data == pytest.approx(expected.sum())
    rows = [[Value(float(v)) for v in r] for r in z]
    assert [o.data for o in F.cross_entropy(rows, t, reduction="none")] == pytest.approx(expected.tolist())
    assert F.cross_entropy(rows, t.tolist()).data == pytest.approx(expected.mean(), rel=1e-12)
    # one unbatched row of C logits with a single class index
    assert F.cross_entropy(Tensor(z[1]), 3).data == pytest.approx(expected[1], rel=1e-12)
    assert F.cross_entropy(rows[1], 3).data == pytest.approx(expected[1], rel=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_gradients(reduction: str) -> None:
    rng = np.random.default_rng(4)
    t = np.array([2, 0, 1])
    logits = Tensor(rng.normal(size=(3, 3)), requires_grad=True)
    assert gradcheck(lambda z: F.cross_entropy(z, t, reduction=reduction), [logits])


def test_cross_entropy_gradients_values_and_closed_form() -> None:
    z = np.random.default_rng(5).normal(size=(2, 3))
    values = [Value(float(v)) for v in z.ravel()]
    assert gradcheck(lambda *vs: F.cross_entropy([list(vs[:3]), list(vs[3:])], [2, 0]), values)
    # the closed-form gradient: (softmax - one_hot) / N
    logits = Tensor(z, requires_grad=True)
    F.cross_entropy(logits, np.array([2, 0])).backward()
    soft = np.exp(_log_softmax(z))
    soft[[0, 1], [2, 0]] -= 1
    np.testing.assert_allclose(logits.grad, soft / 2, rtol=1e-12)


def test_float32_stays_float32() -> None:
    x = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    assert F.cross_entropy(x, np.array([0, 2])).dtype == np.float32
    assert F.mse_loss(x, np.zeros((2, 3))).dtype == np.float32


@pytest.mark.parametrize("name", CASES)
def test_bad_inputs(name: str) -> None:
    loss = CASES[name][0]
    x = Tensor(np.full((2, 3), 0.5))
    with pytest.raises(ValueError, match=f"{name}: reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        loss(x, np.zeros((2, 3)), reduction="avg")
    with pytest.raises(ValueError, match=rf"{name}: input shape \(2, 3\) and target shape \(3, 2\) differ"):
        loss(x, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=f"{name}: 2 inputs but 3 targets"):
        loss([Value(0.5), Value(0.5)], [1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match=f"{name}: input is empty"):
        loss([], [])
    with pytest.raises(TypeError, match=f"{name}: input item 1 must be a Value, got float"):
        loss([Value(0.5), 0.5], [1.0, 1.0])
    with pytest.raises(TypeError, match=f"{name}: target item 0 must be a number or a Value, got str"):
        loss([Value(0.5)], ["1"])
    with pytest.raises(TypeError, match=f"{name}: a Tensor input needs a Tensor or array target, not Values"):
        loss(x, [Value(1.0)])
    with pytest.raises(TypeError, match=f"{name}: input must be a Tensor, a Value or a sequence of Values"):
        loss(3.0, [1.0])
    with pytest.raises(TypeError, match=f"{name}: input must be a float Tensor, got dtype int64"):
        loss(Tensor(np.array([1, 0])), np.array([1, 0]))


def test_bce_needs_probabilities() -> None:
    message = r"binary_cross_entropy: input values must be probabilities in \[0, 1\], got 1.5"
    with pytest.raises(ValueError, match=message):
        F.binary_cross_entropy(Tensor([0.5, 1.5]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="got -0.1 .for raw scores use binary_cross_entropy_with_logits"):
        F.binary_cross_entropy([Value(-0.1)], [1.0])
    with pytest.raises(ValueError, match="got nan"):
        F.binary_cross_entropy(Tensor([np.nan]), np.array([1.0]))


NOT_INTEGERS = "cross_entropy: targets must be integer class indices, got dtype float64"


def test_cross_entropy_bad_targets() -> None:
    z = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=NOT_INTEGERS):
        F.cross_entropy(z, np.array([0.0, 1.0, 2.0]))
    # bools are not numbers: a TypeError, as for every loss
    with pytest.raises(
        TypeError, match="cross_entropy: targets must be integer class indices, got dtype bool"
    ):
        F.cross_entropy(z, np.array([True, False, True]))
    with pytest.raises(ValueError, match="cross_entropy: target 4 at index 1 is out of range for 4 classes"):
        F.cross_entropy(z, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="cross_entropy: target -1 at index 2 is out of range"):
        F.cross_entropy(z, [0, 1, -1])
    with pytest.raises(ValueError, match=r"expected 3 targets \(shape \(3,\)\), got shape \(2,\)"):
        F.cross_entropy(z, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"input must be float logits of shape \(N, C\) or \(C,\)"):
        F.cross_entropy(Tensor(np.zeros((2, 3, 4))), np.array([0, 1]))
    rows = [[Value(0.0), Value(1.0)], [Value(2.0), Value(3.0)]]
    with pytest.raises(ValueError, match="cross_entropy: target 2 at index 0 is out of range for 2 classes"):
        F.cross_entropy(rows, [2, 0])
    with pytest.raises(ValueError, match=NOT_INTEGERS):
        F.cross_entropy(rows, [1.0, 0.0])
    with pytest.raises(TypeError, match="cross_entropy: targets must be integer class indices, not Values"):
        F.cross_entropy(rows, [Value(1.0), Value(0.0)])
    with pytest.raises(ValueError, match="cross_entropy: row 1 must be a list of 2 Values"):
        F.cross_entropy([rows[0], [Value(1.0)]], [0, 0])
    with pytest.raises(TypeError, match="cross_entropy: logits must be Values, got float in row 0"):
        F.cross_entropy([[0.0, 1.0]], [0])
    with pytest.raises(ValueError, match="cross_entropy: reduction must be"):
        F.cross_entropy(z, [0, 1, 2], reduction="max")


def test_cross_entropy_with_minus_infinity_logits() -> None:
    # masked logits: -inf must give exp(-inf) = 0, not -inf·0 = NaN (PyTorch: 0.1566 for the mean)
    z = np.array([[0.0, -np.inf], [1.0, 2.0]])
    t = np.array([0, 1])
    expected = np.array([0.0, np.log1p(np.exp(-1.0))])
    logits = Tensor(z, requires_grad=True)
    loss = F.cross_entropy(logits, t, reduction="none")
    np.testing.assert_allclose(loss.data, expected, rtol=1e-12, atol=0)
    loss.sum().backward()
    soft = np.exp(-np.logaddexp(0.0, -1.0))  # softmax(1, 2)[1]
    np.testing.assert_allclose(logits.grad, [[0.0, 0.0], [1 - soft, soft - 1]], rtol=1e-12, atol=0)
    assert F.cross_entropy(Tensor(z), t).data == pytest.approx(expected.mean(), rel=1e-12)
    assert F.cross_entropy(Tensor(z[0]), 0).data == 0.0  # one unbatched row
    rows = [[Value(float(v)) for v in r] for r in z]
    mean = F.cross_entropy(rows, t)
    mean.backward()
    assert mean.data == pytest.approx(expected.mean(), rel=1e-12)
    np.testing.assert_allclose([[v.grad for v in r] for r in rows], logits.grad / 2, rtol=1e-12, atol=0)


def test_bce_at_the_edges_is_exactly_100_in_float32_too() -> None:
    # e^-100 is a float32 denormal: clamping the log's input there gave 99.983; the output is clamped
    x = Tensor(np.array([0.0, 1.0, 1.0, 1e-45], dtype=np.float32), requires_grad=True)
    out = F.binary_cross_entropy(x, np.array([1.0, 0.0, 1.0, 1.0]), reduction="none")
    assert out.dtype == np.float32 and out.data.tolist() == [100.0, 100.0, 0.0, 100.0]
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, -1.0, 0.0]  # 0 where a log is clamped, as documented
    v = Value(0.0)
    loss = F.binary_cross_entropy([v], [0.25])
    loss.backward()
    assert loss.data == pytest.approx(25.0, rel=1e-15) and v.grad == pytest.approx(0.75)
    # away from the clamp the value is log's own, not log's rounded through a shifted sum
    x64 = np.array([1 - 1e-10, 1e-10, 0.3])
    np.testing.assert_allclose(
        F.binary_cross_entropy(Tensor(x64), np.array([1.0, 0.0, 0.6]), reduction="none").data,
        [-np.log(1 - 1e-10), -np.log(1 - 1e-10), -(0.6 * np.log(0.3) + 0.4 * np.log(0.7))],
        rtol=1e-13,
    )

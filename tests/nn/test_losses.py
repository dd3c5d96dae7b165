"""The elementwise losses (nn/losses.py): values against closed forms, gradients against finite
differences, for Tensors and Values; finite at the edges; element weights and PyTorch's legacy
arguments; targets that are not real numbers refused, naming the bad item. (Against PyTorch:
test_losses_torch.py; cross_entropy and nll_loss: test_cross_entropy.py.)"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value, gradcheck

LOSSES: dict[str, Callable[..., Any]] = {
    "mse_loss": F.mse_loss,
    "l1_loss": F.l1_loss,
    "smooth_l1_loss": F.smooth_l1_loss,
    "huber_loss": F.huber_loss,
    "binary_cross_entropy": F.binary_cross_entropy,
    "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits,
    "hinge_loss": F.hinge_loss,
}


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
    "huber_loss": (F.huber_loss, lambda x, y: _smooth_l1(x - y), lambda r: 2 * r, lambda r: r),
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


NOT_REAL_TARGETS = {
    "None": None,
    "None in a list": [None, 1.0],
    "str": "3",
    "bytes": b"3",
    "bool": True,
    "numpy bool": np.True_,
    "complex": 1 + 2j,
    "bools in a list": [True, False],
    "str in a list": [1.0, "2"],
    "bool array": np.array([True, False]),
    "complex array": np.array([1 + 0j, 2]),
    "str array": np.array(["1", "2"]),
    "bytes array": np.array([b"1", b"0"]),
    "object array": np.array([1.0, None], dtype=object),
    "datetime array": np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),
    "bool Tensor": Tensor(np.array([True, False])),
}


@pytest.mark.parametrize("target", NOT_REAL_TARGETS.values(), ids=list(NOT_REAL_TARGETS))
@pytest.mark.parametrize("name", LOSSES)
def test_losses_refuse_targets_that_are_not_real_numbers(name: str, target: Any) -> None:
    # numpy alone reads "3" as 3.0, None as nan, True as 1.0 and drops imaginary parts
    loss = LOSSES[name]
    with pytest.raises(TypeError, match=f"^{name}: target"):
        loss(Tensor([0.5, 0.5]), target)
    with pytest.raises(TypeError, match=f"^{name}: target"):
        loss([Value(0.5), Value(0.5)], target)


def test_target_messages_name_the_bad_item() -> None:
    with pytest.raises(
        TypeError, match="mse_loss: target must hold real numbers, got NoneType None at index 1"
    ):
        F.mse_loss(Tensor([0.5, 0.5]), [1.0, None])
    with pytest.raises(
        TypeError, match=r"l1_loss: target must hold real numbers, got str '2' at index \(1, 0\)"
    ):
        F.l1_loss(Tensor(np.zeros((2, 1))), [[1], ["2"]])
    with pytest.raises(TypeError, match="got a Tensor of dtype bool"):
        F.mse_loss(Tensor([0.5]), Tensor(np.array([True])))
    with pytest.raises(ValueError, match="mse_loss: target is ragged"):
        F.mse_loss(Tensor(np.zeros((2, 2))), [[1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="mse_loss: target holds an int too large for a float"):
        F.mse_loss(Tensor([0.5]), [10**400])
    with pytest.raises(ValueError, match="mse_loss: target item 0 is an int too large for a float"):
        F.mse_loss([Value(0.5)], [10**400])


def test_real_targets_of_any_numeric_kind_still_work() -> None:
    x = Tensor([0.5, 2.0])
    expected = F.mse_loss(x, np.array([1.0, 0.0])).data
    for target in (
        [1, 0],
        (1.0, 0),
        np.array([1, 0], dtype=np.uint8),
        Tensor(np.array([1, 0])),
        [np.float16(1), np.int8(0)],
    ):
        assert F.mse_loss(x, target).data == expected
    assert F.mse_loss([Value(0.5), Value(2.0)], [np.float32(1.0), np.int64(0)]).data == expected
    assert F.mse_loss(Tensor(np.zeros(0)), [], reduction="sum").data == 0.0  # empty: as PyTorch


def test_settings_and_targets_beyond_float_range() -> None:
    with pytest.raises(ValueError, match="^smooth_l1_loss: beta is too large for a float"):
        F.smooth_l1_loss(Tensor([0.5]), [0.0], beta=10**400)
    with pytest.raises(ValueError, match="^hinge_loss: margin is too large for a float"):
        F.hinge_loss(Tensor([0.5]), [1.0], margin=10**400)
    with pytest.raises(
        ValueError, match="^SGD: lr must be a finite number, got an int too large for a float"
    ):
        nn.optim.SGD([Value(1.0)], lr=10**400)


def test_a_target_that_requires_grad_keeps_its_gradient_or_is_refused() -> None:
    # Casting a float64 target to a float32 input's dtype would cut the target's graph silently
    x = Tensor(np.array([1.0], dtype=np.float32), requires_grad=True)
    y = Tensor(np.array([0.0]), requires_grad=True)
    with pytest.raises(
        TypeError, match="^mse_loss: a target that requires grad must have the input's dtype float32"
    ):
        F.mse_loss(x, y)
    y32 = Tensor(np.array([0.0], dtype=np.float32), requires_grad=True)
    F.mse_loss(x, y32).backward()
    assert y32.grad.tolist() == [-2.0]


def test_hinge_and_reduction_arguments() -> None:
    with pytest.raises(ValueError, match="hinge_loss: margin must be a number, not NaN"):
        F.hinge_loss(Tensor([0.5]), [1.0], margin=math.nan)
    with pytest.raises(TypeError, match="hinge_loss: margin must be a number, got str"):
        F.hinge_loss(Tensor([0.5]), [1.0], margin="1")
    for name, loss in LOSSES.items():
        with pytest.raises(
            TypeError, match=f"^{name}: reduction must be 'mean', 'sum' or 'none', got NoneType"
        ):
            loss(Tensor([0.5]), [1.0], reduction=None)
    with pytest.raises(TypeError, match="cross_entropy: reduction must be"):
        F.cross_entropy(Tensor([[0.5, 0.5]]), [1], reduction=["mean"])


def test_element_weights_multiply_each_loss() -> None:
    x, y = Tensor([[1.0, 2.0], [3.0, -1.0]]), np.zeros((2, 2))
    w = np.array([[1.0, 0.5], [0.0, 2.0]])
    squared = np.array([[1.0, 4.0], [9.0, 1.0]])
    assert F.mse_loss(x, y, weight=w, reduction="none").tolist() == (squared * w).tolist()
    assert F.mse_loss(x, y, weight=w).item() == pytest.approx((squared * w).sum() / w.sum())  # torch's mean
    assert F.l1_loss(x, y, weight=Tensor(w)).item() == pytest.approx((np.abs(x.numpy()) * w).sum() / w.sum())
    assert F.huber_loss(x, y, weight=w).item() == pytest.approx(
        (np.array([[0.5, 1.5], [2.5, 0.5]]) * w).mean()
    )
    bce = F.binary_cross_entropy(Tensor([0.5, 0.5]), [1.0, 0.0], weight=[2.0, 0.0])
    assert bce.item() == pytest.approx(math.log(2))  # the mean of w·loss, over every element
    with pytest.raises(
        ValueError, match=r"mse_loss: weight must have the input's shape \(2, 2\), got \(2,\)"
    ):
        F.mse_loss(x, y, weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="binary_cross_entropy: weight of shape .3,. does not broadcast"):
        F.binary_cross_entropy(Tensor([0.5, 0.5]), [1.0, 0.0], weight=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="mse_loss: weight= works with Tensor inputs"):
        F.mse_loss([Value(1.0)], [0.0], weight=[2.0])


def test_legacy_size_average_and_reduce_as_torch() -> None:
    x, y = Tensor([1.0, 3.0]), [0.0, 0.0]
    with pytest.warns(UserWarning, match="mse_loss: size_average and reduce are deprecated"):
        assert F.mse_loss(x, y, size_average=False).item() == 10.0
    with pytest.warns(UserWarning):
        assert F.l1_loss(x, y, reduce=False).tolist() == [1.0, 3.0]
    with pytest.warns(UserWarning):
        assert F.smooth_l1_loss(x, y, True, True).item() == pytest.approx((0.5 + 2.5) / 2)
    with pytest.warns(UserWarning):
        assert F.binary_cross_entropy(Tensor([0.5]), [1.0], None, False).item() == pytest.approx(math.log(2))


def test_huber_loss_is_delta_times_smooth_l1() -> None:
    x = Tensor([-3.0, -0.5, 0.0, 0.2, 4.0], requires_grad=True)
    y = np.zeros(5)
    for delta in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(
            F.huber_loss(x, y, reduction="none", delta=delta).data,
            delta * F.smooth_l1_loss(x, y, reduction="none", beta=delta).data,
            rtol=1e-15,
        )
    assert gradcheck(lambda x: F.huber_loss(x, y, delta=0.7), [x])
    for delta, error in ((0.0, ValueError), (-1.0, ValueError), (math.inf, ValueError), ("1", TypeError)):
        with pytest.raises(error, match="^huber_loss: delta must be"):
            F.huber_loss(x, y, delta=delta)

"""nn.functional.cross_entropy and nll_loss (nn/cross_entropy.py): closed forms, gradients against
finite differences, Tensors and Values, finite at extreme logits; against PyTorch: values and
gradients with class weights, ignore_index, label smoothing, class-probability targets, (N, C, d...)
inputs, every reduction; and clear errors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from nn_helpers import TOL, needs_torch, torch

import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value, gradcheck

TF = torch.nn.functional if torch is not None else None
RNG = np.random.default_rng(2024)


NLL_CASES = [
    ((5, 4), (5,), {}),
    ((5, 4), (5,), {"reduction": "sum"}),
    ((5, 4), (5,), {"reduction": "none"}),
    ((5, 4), (5,), {"weight": [0.5, 1.0, 2.0, 0.1]}),
    ((5, 4), (5,), {"weight": [0.5, 1.0, 2.0, 0.1], "reduction": "none"}),
    ((5, 4), (5,), {"ignore_index": 2}),
    ((5, 4), (5,), {"ignore_index": 2, "weight": [0.5, 1.0, 2.0, 0.1], "reduction": "sum"}),
    ((4,), (), {}),
    ((4,), (), {"weight": [0.5, 1.0, 2.0, 0.1]}),
    ((3, 4, 2), (3, 2), {}),
    ((2, 4, 3, 2), (2, 3, 2), {"weight": [0.5, 1.0, 2.0, 0.1], "reduction": "none"}),
]


@needs_torch
@pytest.mark.parametrize(("shape", "target_shape", "options"), NLL_CASES)
def test_nll_loss_matches_torch(shape: tuple, target_shape: tuple, options: dict) -> None:
    rng = np.random.default_rng(6)
    x = np.log(rng.dirichlet(np.ones(4), size=math.prod(shape) // 4)).reshape(shape)
    if len(shape) > 2:  # classes on dim 1
        x = np.ascontiguousarray(np.moveaxis(x.reshape(shape[0], *shape[2:], 4), -1, 1))
    target = rng.integers(0, 4, size=target_shape)
    if target.ndim == 1:
        target[0] = 2  # one ignored when ignore_index=2
    theirs_options = {
        k: torch.tensor(v, dtype=torch.float64) if k == "weight" else v for k, v in options.items()
    }
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = F.nll_loss(xo, target, **options), TF.nll_loss(xt, torch.from_numpy(target), **theirs_options)
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), **TOL)
    weights = rng.normal(size=yo.shape)
    (yo * Tensor(weights)).sum().backward()
    (yt * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), **TOL)


@needs_torch
def test_nll_loss_on_values_and_of_log_softmax_is_cross_entropy() -> None:
    rng = np.random.default_rng(7)
    x, target = rng.normal(size=(3, 4)), [1, 3, 0]
    rows = [[Value(float(v)) for v in row] for row in np.asarray(F.log_softmax(Tensor(x), dim=1).data)]
    for options in ({}, {"reduction": "sum"}, {"weight": [1.0, 2.0, 3.0, 4.0]}, {"ignore_index": 3}):
        ours = F.nll_loss(rows, target, **options)
        theirs_options = {
            k: torch.tensor(v, dtype=torch.float64) if k == "weight" else v for k, v in options.items()
        }
        theirs = TF.nll_loss(TF.log_softmax(torch.tensor(x), 1), torch.tensor(target), **theirs_options)
        assert ours.data == pytest.approx(theirs.item(), rel=1e-12)
    xo = Tensor(x, requires_grad=True)
    assert F.nll_loss(F.log_softmax(xo, dim=1), target).item() == pytest.approx(
        F.cross_entropy(xo, np.array(target)).item(), rel=1e-14
    )
    all_ignored = TF.nll_loss(torch.tensor(x), torch.tensor([0, 0, 0]), ignore_index=0)
    assert math.isnan(F.nll_loss(Tensor(x), [0, 0, 0], ignore_index=0).item()) and torch.isnan(all_ignored)


@needs_torch
def test_cross_entropy_single_row_targets_as_torch() -> None:
    z = np.array([1.0, 2.0, 3.0])
    expected = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(1)).item()
    rows = [Value(v) for v in z]
    for target in (1, np.int64(1), np.array(1), [1], np.array([1]), Tensor(np.array(1))):
        assert F.cross_entropy(Tensor(z), target).data == pytest.approx(expected, rel=1e-12)
        assert F.cross_entropy(rows, target).data == pytest.approx(expected, rel=1e-12)
    assert torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor([1])).item() == pytest.approx(
        expected
    )
    for target in ([1, 2], np.array([1, 2]), Tensor(np.array([1, 2])), [[1]], []):
        with pytest.raises(
            ValueError, match=r"^cross_entropy: a single row of 3 logits takes one class index, got shape"
        ):
            F.cross_entropy(Tensor(z), target)  # numpy's "cannot reshape array" before
        with pytest.raises(
            ValueError, match="^cross_entropy: a single row of 3 logits takes one class index"
        ):
            F.cross_entropy(rows, target)
    with pytest.raises(ValueError, match="1D target must have size 1"):
        torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor([1, 2]))


def test_cross_entropy_bad_shapes_and_kinds() -> None:
    z = Tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="^cross_entropy: input must be float logits, got dtype int64"):
        F.cross_entropy(Tensor(np.zeros((2, 3), dtype=np.int64)), [0, 1])
    with pytest.raises(
        ValueError,
        match=r"^cross_entropy: input must be float logits of shape \(N, C\), \(C,\) or \(N, C, d1, ...\), "
        r"got \(\)",
    ):
        F.cross_entropy(Tensor(np.array(1.0)), 0)
    with pytest.raises(
        ValueError, match=r"^cross_entropy: expected 2 targets \(shape \(2,\)\), got shape \(\)"
    ):
        F.cross_entropy(z, 1)
    with pytest.raises(ValueError, match="^cross_entropy: targets are ragged"):
        F.cross_entropy(z, [[1], [1, 2]])
    with pytest.raises(
        ValueError, match=r"^cross_entropy: target 10{30} at index 0 is out of range for 3 classes"
    ):
        F.cross_entropy(z, [10**30, 0])
    with pytest.raises(ValueError, match="^cross_entropy: target 0 at index 0 is out of range for 0 classes"):
        F.cross_entropy(Tensor(np.zeros((2, 0))), [0, 0])
    for target, shown in (
        (None, "NoneType None"),
        ([None, 1], "NoneType None at index 0"),
        (True, "dtype bool"),
    ):
        with pytest.raises(
            TypeError, match=f"^cross_entropy: targets must be integer class indices, got {shown}"
        ):
            F.cross_entropy(z if isinstance(target, list) else Tensor(np.zeros(3)), target)
    for target in ("1", b"1", 1 + 0j, [1j, 0], np.array(["1", "2"]), [Value(1.0), Value(0.0)]):
        with pytest.raises(TypeError, match="^cross_entropy: targets must be integer class indices"):
            F.cross_entropy(z, target)
    with pytest.raises(TypeError, match="^cross_entropy: row 0 must be a list of Values, got float"):
        F.cross_entropy([1.0, 2.0], 0)  # len(1.0) before
    with pytest.raises(TypeError, match="got dict$"):
        F.cross_entropy({0: [Value(1.0)]}, [0])
    # an empty batch: NaN for the mean, 0 for the sum, as PyTorch
    assert math.isnan(F.cross_entropy(Tensor(np.zeros((0, 3))), []).data)
    assert F.cross_entropy(Tensor(np.zeros((0, 3))), np.zeros(0, dtype=int), reduction="sum").data == 0.0


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
    # (N, C, d1) input is PyTorch's too now: it needs (N, d1) targets
    with pytest.raises(
        ValueError, match=r"input of shape \(2, 3, 4\) needs targets of shape \(2, 4\), got \(2,\)"
    ):
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


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("scale", [1.0, 1e4])
def test_cross_entropy_matches_torch(reduction: str, scale: float) -> None:
    z = RNG.normal(size=(6, 5)) * scale
    t = RNG.integers(0, 5, size=6)
    ours_z, theirs_z = Tensor(z.copy(), requires_grad=True), torch.tensor(z, requires_grad=True)
    ours = F.cross_entropy(ours_z, t, reduction=reduction)
    theirs = TF.cross_entropy(theirs_z, torch.tensor(t), reduction=reduction)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_z.grad, theirs_z.grad.numpy(), rtol=1e-9, atol=1e-12)


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_minus_infinity_logits_matches_torch(reduction: str) -> None:
    z = np.array([[0.0, -np.inf, 1.0], [1.0, 2.0, -np.inf], [-np.inf, -np.inf, 0.5]])
    t = np.array([0, 1, 2])
    ours_z, theirs_z = Tensor(z.copy(), requires_grad=True), torch.tensor(z, requires_grad=True)
    ours = F.cross_entropy(ours_z, t, reduction=reduction)
    theirs = TF.cross_entropy(theirs_z, torch.tensor(t), reduction=reduction)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=0)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_z.grad, theirs_z.grad.numpy(), rtol=1e-12, atol=1e-300)
    if reduction != "none":  # and on Values
        rows = [[Value(float(v)) for v in r] for r in z]
        value_loss = F.cross_entropy(rows, t, reduction=reduction)
        value_loss.backward()
        assert value_loss.data == pytest.approx(theirs.item(), rel=1e-12)
        np.testing.assert_allclose([[v.grad for v in r] for r in rows], theirs_z.grad.numpy(), rtol=1e-12)


# --- PyTorch's other arguments ---------------------------------------------------------------------

CE_CASES = [
    ((5, 4), (5,), {"weight": [0.5, 1.0, 2.0, 0.1]}),
    ((5, 4), (5,), {"ignore_index": 2}),
    ((5, 4), (5,), {"ignore_index": 2, "weight": [0.5, 1.0, 2.0, 0.1]}),
    ((5, 4), (5,), {"label_smoothing": 0.1}),
    ((5, 4), (5,), {"label_smoothing": 0.3, "weight": [0.5, 1.0, 2.0, 0.1], "ignore_index": 2}),
    ((4,), (), {"label_smoothing": 0.2}),
    ((4,), (), {"weight": [0.5, 1.0, 2.0, 0.1]}),
    ((3, 4, 2), (3, 2), {}),
    ((3, 4, 2), (3, 2), {"label_smoothing": 0.2, "weight": [0.5, 1.0, 2.0, 0.1]}),
    ((2, 4, 3, 2), (2, 3, 2), {"ignore_index": 1}),
    ((5, 4), (5, 4), {}),  # class probabilities
    ((5, 4), (5, 4), {"weight": [0.5, 1.0, 2.0, 0.1], "label_smoothing": 0.25}),
    ((3, 4, 2), (3, 4, 2), {}),
]


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(("shape", "target_shape", "options"), CE_CASES)
def test_cross_entropy_options_match_torch(
    shape: tuple, target_shape: tuple, options: dict, reduction: str
) -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(size=shape) * 2
    if target_shape == shape:  # probabilities over the classes (dim 1, or 0 for one row)
        target: Any = rng.dirichlet(np.ones(shape[1]), size=(shape[0], *shape[2:]))
        target = np.ascontiguousarray(np.moveaxis(target, -1, 1))
    else:
        target = rng.integers(0, shape[0] if len(shape) == 1 else shape[1], size=target_shape)
        if target.ndim == 1:
            target[0] = 2  # one ignored when ignore_index=2
    theirs_options = {
        k: torch.tensor(v, dtype=torch.float64) if k == "weight" else v for k, v in options.items()
    }
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    yo = F.cross_entropy(xo, target, reduction=reduction, **options)
    yt = TF.cross_entropy(xt, torch.from_numpy(np.asarray(target)), reduction=reduction, **theirs_options)
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), **TOL)
    weights = rng.normal(size=yo.shape)
    (yo * Tensor(weights)).sum().backward()
    (yt * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), **TOL)
    if len(shape) == 2 and target_shape != shape:  # and on rows of Values
        rows = [[Value(float(v)) for v in row] for row in x]
        yv = F.cross_entropy(rows, target.tolist(), reduction=reduction, **options)
        got = [v.data for v in yv] if reduction == "none" else yv.data
        np.testing.assert_allclose(got, yt.detach().numpy(), **TOL)


def test_cross_entropy_legacy_arguments_and_bad_options() -> None:
    z, t = Tensor([[1.0, 2.0], [0.5, -1.0]]), [1, 0]
    with pytest.warns(UserWarning, match="size_average and reduce are deprecated"):
        assert (
            F.cross_entropy(z, t, size_average=False).item() == F.cross_entropy(z, t, reduction="sum").item()
        )
    with pytest.warns(UserWarning):
        assert F.nll_loss(z, t, reduce=False).shape == (2,)
    with pytest.raises(
        ValueError, match="cross_entropy: label_smoothing must be between 0.0 and 1.0, got 1.5"
    ):
        F.cross_entropy(z, t, label_smoothing=1.5)
    with pytest.raises(TypeError, match="cross_entropy: label_smoothing must be a number, got str"):
        F.cross_entropy(z, t, label_smoothing="0.1")
    with pytest.raises(TypeError, match="cross_entropy: ignore_index must be an int, got float"):
        F.cross_entropy(z, t, ignore_index=1.0)
    with pytest.raises(
        ValueError, match=r"cross_entropy: weight must have one entry per class, shape \(2,\)"
    ):
        F.cross_entropy(z, t, weight=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="cross_entropy: size_average must be True, False or None, got str"):
        F.cross_entropy(z, t, size_average="no")
    # every target ignored: NaN for the mean, as PyTorch's
    assert math.isnan(F.cross_entropy(z, [-100, -100]).item())
    assert F.cross_entropy(z, [-100, -100], reduction="sum").item() == 0.0

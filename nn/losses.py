"""The elementwise loss functions, with PyTorch's definitions and arguments, for Tensors and for
sequences of Values (`cross_entropy` and `nll_loss` are in `nn.cross_entropy`).

Each loss is one elementwise formula written with operations that Values and Tensors share
(arithmetic, ``relu``, ``exp``, ``log``), then a reduction: ``"mean"`` (the default), ``"sum"``
or ``"none"``. A Tensor input gives a Tensor (the same shape as the input for ``"none"``); a
sequence of Values (targets: numbers or Values) gives a Value (a list for ``"none"``).

Where a formula has a kink or a branch, it is written so that its gradient is the one PyTorch
uses (for example ``l1_loss`` has gradient 0 where input equals target), and so that nothing
overflows: ``binary_cross_entropy_with_logits`` and ``cross_entropy`` stay finite at any logit.

>>> from autograd import Value
>>> import nn.functional as F
>>> F.mse_loss([Value(1.0), Value(3.0)], [0.0, 1.0]).data          # (1 + 4) / 2
2.5

PyTorch's deprecated ``size_average=`` and ``reduce=`` are read as it reads them (with its
warning). ``weight=`` (Tensor inputs) multiplies each element's loss, as PyTorch's.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

import autograd
from autograd.tensors import Tensor
from autograd.value import Value
from nn.loss_inputs import _as_float, _elementwise, _is_real, _is_tensor, _weights, legacy_reduction

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "hinge_loss",
    "huber_loss",
    "l1_loss",
    "mse_loss",
    "smooth_l1_loss",
]

_LOG_MIN = -100.0  # PyTorch clamps BCE's logs at -100, so log(0) gives -100, not -inf


# --- helpers that work on a Value and on a Tensor alike --------------------------------------


def _abs(x: Any) -> Any:
    # relu(x) + relu(-x): its gradient at 0 is 0, like PyTorch's sign(0).
    return x.relu() + (-x).relu()


def _above(x: Any, level: float = 0.0) -> Any:
    """1 where x > level, else 0, as a constant (not differentiated) of x's kind."""
    if isinstance(x, Value):
        return 1.0 if x.data > level else 0.0
    return Tensor((x._data > level).astype(x._data.dtype))


def _clamped_log(x: Any) -> Any:
    """max(log(x), -100) for x >= 0, so log(0) gives -100, as PyTorch's binary_cross_entropy.

    The clamp is on the log's output, not its input: e^-100 is a denormal in float32, so a floor
    there would give log ≈ -99.98. Zeros become 1 before the log (which refuses 0), and the masks
    are constants that pick exact values, so the gradient is 1/x where the log is kept and 0 where
    it is clamped.
    """
    positive = _above(x)
    log = (positive * x + (1 - positive)).log()
    kept = positive * _above(log, _LOG_MIN)
    return kept * log + (1 - kept) * _LOG_MIN


def _positive(x: Any) -> Any:
    """x > 0 as `autograd.where` takes it: a bool for a Value, a bool array for a Tensor (a constant)."""
    return bool(x.data > 0) if isinstance(x, Value) else x._data > 0


# --- the losses -------------------------------------------------------------------------------


def mse_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Mean squared error: (input − target)². With ``weight`` (the input's shape), "mean" is
    Σ w·(input − target)² / Σ w, as PyTorch's.

    >>> from autograd import Value
    >>> mse_loss([Value(2.0)], [0.0], reduction="sum").data
    4.0
    """
    who = "mse_loss"
    reduction = legacy_reduction(who, size_average, reduce, reduction)
    w = _weights(who, weight, input, same_shape=True)
    return _elementwise(who, lambda x, y: (x - y) * (x - y), input, target, reduction, None, w, True)


def l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Mean absolute error: |input − target| (gradient 0 where they are equal, as PyTorch). With
    ``weight`` (the input's shape), "mean" is Σ w·|input − target| / Σ w, as PyTorch's.

    >>> from autograd import Value
    >>> l1_loss([Value(2.0), Value(-1.0)], [0.0, 0.0]).data
    1.5
    """
    who = "l1_loss"
    reduction = legacy_reduction(who, size_average, reduce, reduction)
    w = _weights(who, weight, input, same_shape=True)
    return _elementwise(who, lambda x, y: _abs(x - y), input, target, reduction, None, w, True)


def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Any:
    """0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta) (d = input − target): ``delta``
    times `smooth_l1_loss` with ``beta=delta``, as PyTorch's. With ``weight`` (the input's
    shape), "mean" is the mean of w·loss.

    >>> from autograd import Value
    >>> huber_loss([Value(3.0)], [0.0], delta=2.0).data     # 2 * (3 - 1)
    4.0
    """
    who = "huber_loss"
    if not _is_real(delta):
        raise TypeError(f"{who}: delta must be a number, got {type(delta).__name__}")
    delta = _as_float(who, "delta", delta)
    if not (delta > 0 and math.isfinite(delta)):  # also NaN
        raise ValueError(f"{who}: delta must be a finite number > 0, got {delta}")
    w = _weights(who, weight, input, same_shape=True)
    return _elementwise(who, _smooth_l1(who, delta, delta), input, target, reduction, None, w)


def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any:
    """Huber-like: 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta (d = input − target);
    ``beta=0`` is the L1 loss and ``beta=inf`` is 0 for every finite d, as in PyTorch.

    The branches are selections (`autograd.where`), not products with masks, so an infinite d or
    beta gives inf or 0 where the formula does, never inf·0 = NaN; the quadratic branch sees d
    only where it is chosen, and is written as 0.5·d·(d/beta) so that it does not overflow.

    >>> from autograd import Value
    >>> smooth_l1_loss([Value(0.5), Value(3.0)], [0.0, 0.0], reduction="none")[1].data
    2.5
    """
    who = "smooth_l1_loss"
    reduction = legacy_reduction(who, size_average, reduce, reduction)
    if not _is_real(beta):
        raise TypeError(f"{who}: beta must be a number, got {type(beta).__name__}")
    beta = _as_float(who, "beta", beta)
    if not beta >= 0:  # also NaN
        raise ValueError(f"{who}: beta must be >= 0, got {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    return _elementwise(who, _smooth_l1(who, beta), input, target, reduction)


def _smooth_l1(who: str, beta: float, factor: float = 1.0) -> Any:
    """The formula of smooth_l1_loss (times ``factor``: huber_loss's delta), for beta > 0."""
    # 1/beta overflows for a subnormal beta: scaling one factor up and the other down by the
    # same power of two (exact) keeps both finite, and their gradients too.
    scale = 2.0**600 if beta < sys.float_info.min else 1.0
    inverse = 1.0 / (beta * scale)

    def formula(x: Any, y: Any) -> Any:
        a = _abs(x - y)
        # "not >=" puts NaN in the quadratic branch, whose gradient is then NaN, as PyTorch's
        small = ~(a._data >= beta) if _is_tensor(a) else not a.data >= beta
        m = autograd.where(small, a, 0.0)  # |d| where the quadratic branch is taken, else 0
        loss = autograd.where(small, 0.5 * (m * scale) * (m * inverse), a - 0.5 * beta)
        return loss if factor == 1.0 else loss * factor

    return formula


def _check_probabilities(data: np.ndarray, target: np.ndarray) -> None:
    bad = ~((data >= 0) & (data <= 1))
    if bad.any():
        first = float(data[bad].flat[0])
        raise ValueError(
            f"binary_cross_entropy: input values must be probabilities in [0, 1], got {first!r} "
            "(for raw scores use binary_cross_entropy_with_logits)"
        )
    _check_target_range("binary_cross_entropy", target)


def _check_target_range(who: str, target: np.ndarray) -> None:
    # PyTorch's binary_cross_entropy refuses these too; outside [0, 1] the loss has no minimum
    bad = ~((target >= 0) & (target <= 1))
    if bad.any():
        first = float(target[bad].flat[0])
        raise ValueError(f"{who}: target values must be in [0, 1], got {first!r}")


def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Any:
    """−(target·log(input) + (1 − target)·log(1 − input)) for probabilities ``input`` in [0, 1];
    each log is clamped at −100, as PyTorch does, so 0 and 1 give finite losses. (Where a log is
    clamped its gradient is 0; PyTorch's hand-written gradient gives about ±1e12 there instead.)
    ``weight`` (broadcast to the input's shape) multiplies each element's loss.

    >>> from autograd import Value
    >>> round(binary_cross_entropy([Value(0.5)], [1.0]).data, 6)   # log 2
    0.693147
    """

    def formula(x: Any, y: Any) -> Any:
        return -(y * _clamped_log(x) + (1 - y) * _clamped_log(1 - x))

    who = "binary_cross_entropy"
    reduction = legacy_reduction(who, size_average, reduce, reduction)
    w = _weights(who, weight, input, same_shape=False)
    return _elementwise(who, formula, input, target, reduction, _check_probabilities, w)


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any:
    """Binary cross-entropy of sigmoid(input), computed from the logits without overflow:
    softplus(x) − target·x, with softplus(x) = max(x, 0) + log(1 + e^−|x|). ``weight``
    (broadcast to the input's shape) multiplies each element's loss; ``pos_weight`` (broadcast
    along the last dimension, one per class) weighs the positive term, as PyTorch's:
    (1 − y)·x + (1 + (pos_weight − 1)·y)·softplus(−x).

    >>> from autograd import Value
    >>> round(binary_cross_entropy_with_logits([Value(1000.0)], [0.0]).data, 6)
    1000.0
    """

    who = "binary_cross_entropy_with_logits"
    reduction = legacy_reduction(who, size_average, reduce, reduction)
    w = _weights(who, weight, input, same_shape=False)
    pw = _weights(f"{who}: pos_weight", pos_weight, input, same_shape=False)

    def formula(x: Any, y: Any) -> Any:
        # x⁺ and x⁻ are x on their side of 0 and 0 on the other, by selection, so an infinite
        # logit meets no inf·0; at x = 0 the gradient is the left side's, sigmoid(0) − y.
        pos = _positive(x)
        x_pos, x_neg = autograd.where(pos, x, 0.0), autograd.where(pos, 0.0, x)
        log_term = ((x_neg - x_pos).exp() + 1).log()  # log(1 + e^−|x|)
        loss = (1 - y) * x_pos - y * x_neg + log_term
        if pw is not None:  # (pos_weight − 1)·y·softplus(−x), softplus(−x) = log_term − x⁻
            loss = loss + (pw - 1) * y * (log_term - x_neg)
        return loss

    return _elementwise(
        who,
        formula,
        input,
        target,
        reduction,
        lambda _, target: _check_target_range(who, target),
        w,
    )


def hinge_loss(input: Any, target: Any, reduction: str = "mean", margin: float = 1.0) -> Any:
    """The max-margin (SVM) loss of micrograd's demo: max(0, margin − target·input), for targets
    −1 or +1 and raw scores ``input``.

    PyTorch has no loss by this name (its HingeEmbeddingLoss is a different formula); this is
    ``torch.clamp(margin - target * input, min=0)`` with the chosen reduction.

    >>> from autograd import Value
    >>> hinge_loss([Value(0.5), Value(2.0)], [1.0, 1.0], reduction="none")[0].data
    0.5
    """
    if not _is_real(margin):
        raise TypeError(f"hinge_loss: margin must be a number, got {type(margin).__name__}")
    margin = _as_float("hinge_loss", "margin", margin)
    if math.isnan(margin):
        raise ValueError("hinge_loss: margin must be a number, not NaN")
    return _elementwise("hinge_loss", lambda x, y: (margin - y * x).relu(), input, target, reduction)

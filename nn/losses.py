"""Loss functions with PyTorch's definitions, for Tensors and for sequences of Values.

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
>>> F.cross_entropy([[Value(0.0), Value(0.0)]], [1]).data           # log 2
0.6931471805599453
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from autograd.tensors import Tensor
from autograd.value import Value
from nn.loss_inputs import (
    _as_float,
    _check_reduction,
    _class_indices,
    _elementwise,
    _is_real,
    _is_tensor,
    _reduce,
    _value_rows,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "l1_loss",
    "mse_loss",
    "nll_loss",
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
    return Tensor((x.data > level).astype(x.data.dtype))


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
    return bool(x.data > 0) if isinstance(x, Value) else x.data > 0


# --- the losses -------------------------------------------------------------------------------


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error: (input − target)².

    >>> from autograd import Value
    >>> mse_loss([Value(2.0)], [0.0], reduction="sum").data
    4.0
    """
    return _elementwise("mse_loss", lambda x, y: (x - y) * (x - y), input, target, reduction)


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean absolute error: |input − target| (gradient 0 where they are equal, as PyTorch).

    >>> from autograd import Value
    >>> l1_loss([Value(2.0), Value(-1.0)], [0.0, 0.0]).data
    1.5
    """
    return _elementwise("l1_loss", lambda x, y: _abs(x - y), input, target, reduction)


def smooth_l1_loss(input: Any, target: Any, reduction: str = "mean", beta: float = 1.0) -> Any:
    """Huber-like: 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta (d = input − target);
    ``beta=0`` is the L1 loss and ``beta=inf`` is 0 for every finite d, as in PyTorch.

    The branches are selections (`autograd.where`), not products with masks, so an infinite d or
    beta gives inf or 0 where the formula does, never inf·0 = NaN; the quadratic branch sees d
    only where it is chosen, and is written as 0.5·d·(d/beta) so that it does not overflow.

    >>> from autograd import Value
    >>> smooth_l1_loss([Value(0.5), Value(3.0)], [0.0, 0.0], reduction="none")[1].data
    2.5
    """
    if not _is_real(beta):
        raise TypeError(f"smooth_l1_loss: beta must be a number, got {type(beta).__name__}")
    beta = _as_float("smooth_l1_loss", "beta", beta)
    if not beta >= 0:  # also NaN
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction)
    # 1/beta overflows for a subnormal beta: scaling one factor up and the other down by the
    # same power of two (exact) keeps both finite, and their gradients too.
    scale = 2.0**600 if beta < sys.float_info.min else 1.0
    inverse = 1.0 / (beta * scale)

    def formula(x: Any, y: Any) -> Any:
        a = _abs(x - y)
        # "not >=" puts NaN in the quadratic branch, whose gradient is then NaN, as PyTorch's
        small = ~(a.data >= beta) if _is_tensor(a) else not a.data >= beta
        m = autograd.where(small, a, 0.0)  # |d| where the quadratic branch is taken, else 0
        return autograd.where(small, 0.5 * (m * scale) * (m * inverse), a - 0.5 * beta)

    return _elementwise("smooth_l1_loss", formula, input, target, reduction)


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


def binary_cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """−(target·log(input) + (1 − target)·log(1 − input)) for probabilities ``input`` in [0, 1];
    each log is clamped at −100, as PyTorch does, so 0 and 1 give finite losses. (Where a log is
    clamped its gradient is 0; PyTorch's hand-written gradient gives about ±1e12 there instead.)

    >>> from autograd import Value
    >>> round(binary_cross_entropy([Value(0.5)], [1.0]).data, 6)   # log 2
    0.693147
    """

    def formula(x: Any, y: Any) -> Any:
        return -(y * _clamped_log(x) + (1 - y) * _clamped_log(1 - x))

    return _elementwise("binary_cross_entropy", formula, input, target, reduction, _check_probabilities)


def binary_cross_entropy_with_logits(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Binary cross-entropy of sigmoid(input), computed from the logits without overflow:
    softplus(x) − target·x, with softplus(x) = max(x, 0) + log(1 + e^−|x|).

    >>> from autograd import Value
    >>> round(binary_cross_entropy_with_logits([Value(1000.0)], [0.0]).data, 6)
    1000.0
    """

    def formula(x: Any, y: Any) -> Any:
        # x⁺ and x⁻ are x on their side of 0 and 0 on the other, by selection, so an infinite
        # logit meets no inf·0; at x = 0 the gradient is the left side's, sigmoid(0) − y.
        pos = _positive(x)
        x_pos, x_neg = autograd.where(pos, x, 0.0), autograd.where(pos, 0.0, x)
        return (1 - y) * x_pos - y * x_neg + ((x_neg - x_pos).exp() + 1).log()

    return _elementwise(
        "binary_cross_entropy_with_logits",
        formula,
        input,
        target,
        reduction,
        lambda _, target: _check_target_range("binary_cross_entropy_with_logits", target),
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


# --- cross-entropy ----------------------------------------------------------------------------


def _value_row_nll(row: Sequence[Value], k: int) -> Value:
    # log-sum-exp shifted by the largest logit (a constant: the result does not depend on it),
    # so exp never overflows and the log's argument is at least 1.
    top = max(v.data for v in row)
    total = (row[0] - top).exp()
    for v in row[1:]:
        total = total + (v - top).exp()
    return total.log() + top - row[k]


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Softmax cross-entropy of logits ``input`` (N, C) against integer classes ``target`` (N,):
    −log_softmax(input)[n, target[n]], computed through a stable log-softmax. A single row of C
    logits with one integer target also works. Targets may be a Tensor, an array or a list.

    For Values: a list of N rows of C Values (or one row) and a list of N ints (or one int).

    >>> import numpy as np
    >>> from autograd import Value
    >>> round(cross_entropy([[Value(1e4), Value(0.0)]], np.array([1])).data, 3)   # finite
    10000.0
    """
    who = "cross_entropy"
    _check_reduction(who, reduction)
    if _is_tensor(input):
        shape = input.data.shape
        if input.data.dtype.kind != "f":
            raise TypeError(f"{who}: input must be float logits, got dtype {input.data.dtype}")
        if input.data.ndim not in (1, 2):
            raise ValueError(f"{who}: input must be float logits of shape (N, C) or (C,), got {shape}")
        single = input.data.ndim == 1
        n, classes = (1, shape[0]) if single else shape
        indices = _class_indices(who, target, n, classes, single)
        # Pick each row's target entry by indexing (not by a one-hot product, where a masked
        # logit of -inf would give -inf·0 = NaN).
        if single:
            return -input.log_softmax(axis=0)[int(indices[0])]
        return _reduce(-input.log_softmax(axis=1)[np.arange(n), indices], reduction)
    rows, single = _value_rows(who, input, "logits")
    indices = _class_indices(who, target, len(rows), len(rows[0]), single)
    losses = [_value_row_nll(row, int(k)) for row, k in zip(rows, indices)]
    return losses[0] if single else _reduce(losses, reduction)


def nll_loss(
    input: Any, target: Any, weight: Any = None, *, ignore_index: int = -100, reduction: str = "mean"
) -> Any:
    """The negative log-likelihood of log-probabilities ``input``: −weight[c]·input[n, c] for each
    target class c = target[n], as PyTorch's (``cross_entropy`` is ``nll_loss`` of
    ``log_softmax``). ``input`` is (N, C) with targets (N,), one row (C,) with one target, or
    (N, C, d1, ...) with targets (N, d1, ...). ``weight`` (C,) weighs the classes (a constant);
    targets equal to ``ignore_index`` count for nothing. ``"mean"`` divides by the total weight
    of the targets counted, as PyTorch (NaN if there are none).

    For Values: a list of N rows of C Values (or one row) and a list of N ints (or one int).

    >>> from autograd import Tensor
    >>> logp = Tensor([[-0.5, -1.0], [-2.0, -0.1]])
    >>> nll_loss(logp, [0, 1]).item(), nll_loss(logp, [0, -100]).item()
    (0.3, 0.5)
    """
    who = "nll_loss"
    _check_reduction(who, reduction)
    if isinstance(ignore_index, (bool, np.bool_)) or not isinstance(ignore_index, (int, np.integer)):
        raise TypeError(f"{who}: ignore_index must be an int, got {type(ignore_index).__name__}")
    if _is_tensor(input):
        return _tensor_nll(who, input, target, weight, int(ignore_index), reduction)
    rows, single = _value_rows(who, input, "log-probabilities")
    classes = len(rows[0])
    weights = _class_weights(who, weight, classes)
    indices = _class_indices(who, target, len(rows), classes, single, ignore=int(ignore_index))
    losses, total = [], 0.0
    for row, k in zip(rows, indices.tolist()):
        w = 0.0 if k == ignore_index else 1.0 if weights is None else float(weights[k])
        losses.append(-row[k] * w if w else Value(0.0))
        total += w
    if reduction == "none":
        return losses[0] if single else losses
    summed = _reduce(losses, "sum")
    return summed if reduction == "sum" else summed * (1.0 / total if total else math.nan)


def _tensor_nll(who: str, input: Tensor, target: Any, weight: Any, ignore: int, reduction: str) -> Any:
    shape = input.shape
    if input.dtype.kind != "f":
        raise TypeError(f"{who}: input must be float log-probabilities, got dtype {input.dtype}")
    if input.ndim == 0:
        raise ValueError(f"{who}: input must be log-probabilities of shape (N, C), (C,) or (N, C, d1, ...)")
    classes = shape[0] if input.ndim == 1 else shape[1]
    weights = _class_weights(who, weight, classes)
    if input.ndim <= 2:
        n = 1 if input.ndim == 1 else shape[0]
        indices = _class_indices(who, target, n, classes, input.ndim == 1, ignore=ignore)
        indices = indices.reshape(()) if input.ndim == 1 else indices
    else:  # targets (N, d1, ...): checked flat, then given their shape back
        expected = (shape[0], *shape[2:])
        try:
            array = np.asarray(target.data if _is_tensor(target) else target)
        except ValueError:
            raise ValueError(f"{who}: targets are ragged (their rows differ in length)") from None
        if array.shape != expected:
            raise ValueError(
                f"{who}: input of shape {shape} needs targets of shape {expected}, got {array.shape}"
            )
        flat = _class_indices(who, array.reshape(-1), array.size, classes, ignore=ignore)
        indices = flat.reshape(expected)
    counted = indices != ignore
    safe = np.where(counted, indices, 0)  # an index for the ignored ones too; their weight is 0
    if input.ndim == 1:
        picked = input[int(safe)]
    else:
        grid = np.indices(indices.shape)
        picked = input[(grid[0], safe, *grid[1:])]
    if weights is None and counted.all():
        losses = -picked
        total = float(indices.size)
    else:
        w = np.where(counted, 1.0 if weights is None else weights[safe], 0.0).astype(input.dtype)
        losses = -picked * w
        total = float(w.sum())
    if reduction == "none":
        return losses
    summed = losses.sum()
    return summed if reduction == "sum" else summed * (1.0 / total if total else math.nan)


def _class_weights(who: str, weight: Any, classes: int) -> np.ndarray | None:
    """``weight`` as a float array of one weight per class, or None for none."""
    if weight is None:
        return None
    data = weight.data if _is_tensor(weight) else weight
    try:
        array = np.asarray(data)
    except ValueError:
        raise ValueError(f"{who}: weight is ragged") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{who}: weight must hold real numbers, got dtype {array.dtype}")
    if array.shape != (classes,):
        raise ValueError(
            f"{who}: weight must have one entry per class, shape ({classes},), got {array.shape}"
        )
    return array.astype(np.float64)

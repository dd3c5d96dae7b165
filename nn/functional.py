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

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.tensor import Tensor
from autograd.value import Value

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "l1_loss",
    "mse_loss",
    "smooth_l1_loss",
]

_REDUCTIONS = ("mean", "sum", "none")
_LOG_MIN = -100.0  # PyTorch clamps BCE's logs at -100, so log(0) gives -100, not -inf


def _holds_values(x: Any) -> bool:
    return isinstance(x, Value) or (isinstance(x, (list, tuple)) and any(isinstance(t, Value) for t in x))


def _is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


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


# --- the shared driver ------------------------------------------------------------------------


def _check_reduction(who: str, reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _tensor_target(who: str, input: Any, target: Any) -> Any:
    """The target as a Tensor of the input's float dtype and shape."""
    if _is_tensor(target):
        if target.data.dtype != input.data.dtype:
            target = Tensor(target.data.astype(input.data.dtype))
    else:
        if _holds_values(target):
            raise TypeError(f"{who}: a Tensor input needs a Tensor or array target, not Values")
        try:
            array = np.asarray(target, dtype=input.data.dtype)
        except (TypeError, ValueError):
            kind = type(target).__name__
            raise TypeError(f"{who}: target must be a Tensor, an array or numbers, got {kind}") from None
        target = Tensor(array)
    if target.data.shape != input.data.shape and target.data.ndim != 0:
        raise ValueError(f"{who}: input shape {input.data.shape} and target shape {target.data.shape} differ")
    return target


def _value_pairs(who: str, input: Any, target: Any) -> tuple[list[Value], list[Any]]:
    xs = [input] if isinstance(input, Value) else input
    ys = [target] if isinstance(input, Value) and not isinstance(target, (list, tuple)) else target
    if isinstance(xs, (str, bytes)) or not isinstance(xs, Sequence):
        kind = type(input).__name__
        raise TypeError(f"{who}: input must be a Tensor, a Value or a sequence of Values, got {kind}")
    if isinstance(ys, (str, bytes)) or not isinstance(ys, Sequence):
        raise TypeError(f"{who}: target must be a sequence of numbers or Values, got {type(target).__name__}")
    if len(xs) != len(ys):
        raise ValueError(f"{who}: {len(xs)} inputs but {len(ys)} targets")
    if not xs:
        raise ValueError(f"{who}: input is empty")
    for i, x in enumerate(xs):
        if not isinstance(x, Value):
            raise TypeError(f"{who}: input item {i} must be a Value, got {type(x).__name__}")
    for i, y in enumerate(ys):
        if isinstance(y, bool) or not isinstance(y, (Value, int, float, np.integer, np.floating)):
            raise TypeError(f"{who}: target item {i} must be a number or a Value, got {type(y).__name__}")
    return list(xs), list(ys)


def _reduce(losses: Any, reduction: str) -> Any:
    if not isinstance(losses, list):  # a Tensor of elementwise losses
        if reduction == "none":
            return losses
        return losses.mean() if reduction == "mean" else losses.sum()
    if reduction == "none":
        return losses
    total = losses[0]
    for loss in losses[1:]:
        total = total + loss
    return total * (1.0 / len(losses)) if reduction == "mean" else total


def _elementwise(
    who: str,
    formula: Callable[[Any, Any], Any],
    input: Any,
    target: Any,
    reduction: str,
    check: Callable[[np.ndarray], None] | None = None,
) -> Any:
    """formula(input, target) element by element, then the reduction."""
    _check_reduction(who, reduction)
    if _is_tensor(input):
        if input.data.dtype.kind != "f":
            raise TypeError(f"{who}: input must be a float Tensor, got dtype {input.data.dtype}")
        target = _tensor_target(who, input, target)
        if check:
            check(input.data)
        return _reduce(formula(input, target), reduction)
    xs, ys = _value_pairs(who, input, target)
    if check:
        check(np.array([x.data for x in xs]))
    losses = [formula(x, y) for x, y in zip(xs, ys)]
    return losses[0] if isinstance(input, Value) and reduction == "none" else _reduce(losses, reduction)


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
    ``beta=0`` is the L1 loss, as in PyTorch.

    Written as (0.5·m² + beta·(|d| − m)) / beta with m = min(|d|, beta), which is that branch
    without a branch, so it works elementwise on Tensors too.

    >>> from autograd import Value
    >>> smooth_l1_loss([Value(0.5), Value(3.0)], [0.0, 0.0], reduction="none")[1].data
    2.5
    """
    if isinstance(beta, bool) or not isinstance(beta, (int, float)):
        raise TypeError(f"smooth_l1_loss: beta must be a number, got {type(beta).__name__}")
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction)

    def formula(x: Any, y: Any) -> Any:
        a = _abs(x - y)
        m = a - (a - beta).relu()  # min(|d|, beta)
        return (0.5 * m * m + beta * (a - m)) * (1.0 / beta)

    return _elementwise("smooth_l1_loss", formula, input, target, reduction)


def _check_probabilities(data: np.ndarray) -> None:
    bad = ~((data >= 0) & (data <= 1))
    if bad.any():
        first = float(data[bad].flat[0])
        raise ValueError(
            f"binary_cross_entropy: input values must be probabilities in [0, 1], got {first!r} "
            "(for raw scores use binary_cross_entropy_with_logits)"
        )


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
        pos = _above(x)  # a constant mask, so the gradient is right on both sides of 0
        relu_x = pos * x
        minus_abs_x = x - 2 * relu_x  # −|x|
        return relu_x + (minus_abs_x.exp() + 1).log() - y * x

    return _elementwise("binary_cross_entropy_with_logits", formula, input, target, reduction)


def hinge_loss(input: Any, target: Any, reduction: str = "mean", margin: float = 1.0) -> Any:
    """The max-margin (SVM) loss of micrograd's demo: max(0, margin − target·input), for targets
    −1 or +1 and raw scores ``input``.

    PyTorch has no loss by this name (its HingeEmbeddingLoss is a different formula); this is
    ``torch.clamp(margin - target * input, min=0)`` with the chosen reduction.

    >>> from autograd import Value
    >>> hinge_loss([Value(0.5), Value(2.0)], [1.0, 1.0], reduction="none")[0].data
    0.5
    """
    if isinstance(margin, bool) or not isinstance(margin, (int, float)):
        raise TypeError(f"hinge_loss: margin must be a number, got {type(margin).__name__}")
    return _elementwise("hinge_loss", lambda x, y: (margin - y * x).relu(), input, target, reduction)


# --- cross-entropy ----------------------------------------------------------------------------


def _class_indices(who: str, target: Any, n: int, classes: int) -> np.ndarray:
    data = target.data if _is_tensor(target) else target
    if _holds_values(data):
        raise TypeError(f"{who}: targets must be integer class indices, not Values")
    array = np.asarray(data)
    if array.dtype == np.bool_ or array.dtype.kind not in "iu":
        raise ValueError(f"{who}: targets must be integer class indices, got dtype {array.dtype}")
    if array.shape != (n,):
        raise ValueError(f"{who}: expected {n} targets (shape ({n},)), got shape {array.shape}")
    bad = (array < 0) | (array >= classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{who}: target {int(array[i])} at index {i} is out of range for {classes} classes")
    return array.astype(np.intp)


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
        if input.data.ndim not in (1, 2) or input.data.dtype.kind != "f":
            shape = input.data.shape
            raise ValueError(f"{who}: input must be float logits of shape (N, C) or (C,), got {shape}")
        single = input.data.ndim == 1
        n, classes = (1, input.data.shape[0]) if single else input.data.shape
        indices = _class_indices(who, np.reshape(_raw(target), (1,)) if single else target, n, classes)
        # Pick each row's target entry by indexing (not by a one-hot product, where a masked
        # logit of -inf would give -inf·0 = NaN).
        if single:
            return -input.log_softmax(axis=0)[int(indices[0])]
        return _reduce(-input.log_softmax(axis=1)[np.arange(n), indices], reduction)
    if isinstance(input, (str, bytes)) or not isinstance(input, Sequence) or not input:
        raise TypeError(f"{who}: input must be a Tensor or a non-empty list of rows of Values, got {input!r}")
    single = isinstance(input[0], Value)
    rows = [input] if single else list(input)
    classes = len(rows[0])
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)) or len(row) != classes or not classes:
            raise ValueError(f"{who}: row {i} must be a list of {classes} Values")
        for v in row:
            if not isinstance(v, Value):
                raise TypeError(f"{who}: logits must be Values, got {type(v).__name__} in row {i}")
    targets = [target] if single and not isinstance(target, (list, tuple, np.ndarray)) else target
    indices = _class_indices(who, targets, len(rows), classes)
    losses = [_value_row_nll(row, int(k)) for row, k in zip(rows, indices)]
    return losses[0] if single else _reduce(losses, reduction)


def _raw(x: Any) -> Any:
    return x.data if _is_tensor(x) else x

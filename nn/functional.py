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
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd
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
    if not isinstance(reduction, str):
        raise TypeError(f"{who}: reduction must be 'mean', 'sum' or 'none', got {type(reduction).__name__}")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _is_real(y: Any) -> bool:
    """A real number: int or float (numpy's too), but not bool, which numpy would read as 0/1."""
    return isinstance(y, (int, float, np.integer, np.floating)) and not isinstance(y, bool)


def _as_float(who: str, name: str, x: Any) -> float:
    try:
        return float(x)
    except OverflowError:  # an int beyond float range
        raise ValueError(f"{who}: {name} is too large for a float") from None


def _shown(x: Any) -> str:
    text = repr(x)
    return f"{type(x).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _at(index: tuple[int, ...]) -> str:
    return "" if not index else f" at index {index[0] if len(index) == 1 else index}"


def _real_array(who: str, target: Any) -> np.ndarray:
    """The target's numbers as an int or float array, or TypeError naming what is not a real number.

    numpy would read "3" and b"3" as 3.0, None as nan, True as 1.0 and drop an imaginary part,
    so anything but ints and floats is refused before it is converted.
    """
    if _is_tensor(target) or isinstance(target, np.ndarray):
        array = target.data if _is_tensor(target) else target
        if array.dtype.kind not in "iufO":
            kind = "a Tensor" if _is_tensor(target) else "an array"
            raise TypeError(f"{who}: target must hold real numbers, got {kind} of dtype {array.dtype}")
    elif isinstance(target, (list, tuple)):
        if _holds_values(target):
            raise TypeError(f"{who}: a Tensor input needs a Tensor or array target, not Values")
        try:
            array = np.asarray(target)
            if array.dtype.kind not in "iuf":  # look at the items themselves to name the bad one
                array = np.asarray(target, dtype=object)
        except ValueError:
            raise ValueError(f"{who}: target is ragged (its rows differ in length)") from None
        except TypeError as err:  # items numpy refuses to convert (a Tensor among numbers, ...)
            raise TypeError(f"{who}: target must hold real numbers ({err})") from None
    elif _is_real(target):
        array = np.asarray(target)
    else:
        raise TypeError(f"{who}: target must be a Tensor, an array or real numbers, got {_shown(target)}")
    if array.dtype.kind == "O":  # lists of mixed items, and Python ints too big for int64
        for index, item in np.ndenumerate(array):
            if isinstance(item, Value):
                raise TypeError(f"{who}: a Tensor input needs a Tensor or array target, not Values")
            if not _is_real(item):
                raise TypeError(f"{who}: target must hold real numbers, got {_shown(item)}{_at(index)}")
        try:
            array = array.astype(np.float64)
        except OverflowError:
            raise ValueError(f"{who}: target holds an int too large for a float") from None
    return array


def _tensor_target(who: str, input: Any, target: Any) -> Any:
    """The target as a Tensor of the input's float dtype and shape."""
    if not (_is_tensor(target) and target.data.dtype == input.data.dtype):
        if _is_tensor(target) and target.requires_grad:  # a cast here would cut its gradient off
            raise TypeError(
                f"{who}: a target that requires grad must have the input's dtype {input.data.dtype}, "
                f"got {target.data.dtype}"
            )
        array = _real_array(who, target)
        with np.errstate(over="ignore"):  # a float64 target beyond float32's range becomes inf
            target = Tensor(array.astype(input.data.dtype, copy=False))
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
        if not isinstance(y, Value) and not _is_real(y):
            raise TypeError(f"{who}: target item {i} must be a number or a Value, got {type(y).__name__}")
        if isinstance(y, int) and not isinstance(y, Value):
            try:
                float(y)
            except OverflowError:
                raise ValueError(f"{who}: target item {i} is an int too large for a float") from None
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
    check: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> Any:
    """formula(input, target) element by element, then the reduction; ``check(inputs, targets)``
    sees the numbers first and raises for values the loss is not defined on."""
    _check_reduction(who, reduction)
    if _is_tensor(input):
        if input.data.dtype.kind != "f":
            raise TypeError(f"{who}: input must be a float Tensor, got dtype {input.data.dtype}")
        target = _tensor_target(who, input, target)
        if check:
            check(input.data, target.data)
        return _reduce(formula(input, target), reduction)
    xs, ys = _value_pairs(who, input, target)
    if check:
        check(
            np.array([x.data for x in xs]),
            np.array([y.data if isinstance(y, Value) else float(y) for y in ys]),
        )
    losses = [formula(x, y) for x, y in zip(xs, ys)]
    return losses[0] if isinstance(input, Value) and reduction == "none" else _reduce(losses, reduction)


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


def _class_indices(who: str, target: Any, n: int, classes: int, single: bool = False) -> np.ndarray:
    """The targets as n class indices in range(classes); ``single``: one index, given as a number
    or as a one-element list or array. TypeError for what is not a number at all (None, str,
    bool, complex, Values), ValueError for wrong numbers (floats, out of range) and shapes."""
    data = _raw(target)
    if _holds_values(data):
        raise TypeError(f"{who}: targets must be integer class indices, not Values")
    try:
        array = np.asarray(data)
    except ValueError:
        raise ValueError(f"{who}: targets are ragged (their rows differ in length)") from None
    if array.size == 0 and array.dtype.kind in "fO":  # [] reads as float64: no targets, any dtype
        array = array.astype(np.intp)
    if array.dtype.kind == "O":  # None, strings among numbers, ints too large for int64, ...
        for index, item in np.ndenumerate(array):
            if isinstance(item, Value):
                raise TypeError(f"{who}: targets must be integer class indices, not Values")
            if not _is_real(item):
                raise TypeError(
                    f"{who}: targets must be integer class indices, got {_shown(item)}{_at(index)}"
                )
            if not isinstance(item, (int, np.integer)):
                raise ValueError(f"{who}: targets must be integer class indices, got {_shown(item)}")
    elif array.dtype.kind not in "iuf":
        raise TypeError(f"{who}: targets must be integer class indices, got dtype {array.dtype}")
    elif array.dtype.kind == "f":  # PyTorch reads float targets as class probabilities
        raise ValueError(f"{who}: targets must be integer class indices, got dtype {array.dtype}")
    if single and array.shape in ((), (1,)):
        array = array.reshape(1)
    elif single:
        raise ValueError(
            f"{who}: a single row of {classes} logits takes one class index, got shape {array.shape}"
        )
    if array.shape != (n,):
        raise ValueError(f"{who}: expected {n} targets (shape ({n},)), got shape {array.shape}")
    for i, k in enumerate(array.tolist() if array.dtype.kind == "O" else ()):
        if not 0 <= k < classes:
            raise ValueError(f"{who}: target {k} at index {i} is out of range for {classes} classes")
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
    if isinstance(input, (str, bytes)) or not isinstance(input, Sequence) or not input:
        got = _shown(input) if isinstance(input, (str, bytes, Sequence)) else type(input).__name__
        raise TypeError(f"{who}: input must be a Tensor or a non-empty list of rows of Values, got {got}")
    single = isinstance(input[0], Value)
    rows = [input] if single else list(input)
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)):
            raise TypeError(f"{who}: row {i} must be a list of Values, got {type(row).__name__}")
    classes = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != classes or not classes:
            raise ValueError(f"{who}: row {i} must be a list of {classes} Values")
        for v in row:
            if not isinstance(v, Value):
                raise TypeError(f"{who}: logits must be Values, got {type(v).__name__} in row {i}")
    indices = _class_indices(who, target, len(rows), classes, single)
    losses = [_value_row_nll(row, int(k)) for row, k in zip(rows, indices)]
    return losses[0] if single else _reduce(losses, reduction)


def _raw(x: Any) -> Any:
    return x.data if _is_tensor(x) else x

"""The classification losses, with PyTorch's definitions and arguments: `cross_entropy` (of
logits) and `nll_loss` (of log-probabilities), for Tensors and for lists of rows of Values.

Both take class ``weight``\\ s, an ``ignore_index`` (targets equal to it count for nothing) and
PyTorch's reductions ("mean" divides by the total weight of the targets counted);
``cross_entropy`` also takes ``label_smoothing`` and, for Tensors, class probabilities as
targets (a float target of the input's shape) and inputs (N, C, d1, ...) with targets
(N, d1, ...), as PyTorch's.

>>> from autograd import Tensor, Value
>>> cross_entropy([[Value(0.0), Value(0.0)]], [1]).data           # log 2
0.6931471805599453
>>> x = Tensor([[1.0, 2.0], [3.0, 0.0]])
>>> nll_loss(x.log_softmax(dim=1), [1, 0]).item() == cross_entropy(x, [1, 0]).item()
True
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.factories import where
from autograd.tensors import Tensor
from autograd.value import Value
from nn.loss_inputs import (
    _check_reduction,
    _class_indices,
    _is_tensor,
    _real_array,
    _reduce,
    _value_rows,
    legacy_reduction,
)

__all__ = ["cross_entropy", "nll_loss"]


def _check_ignore(who: str, ignore_index: Any) -> int:
    if isinstance(ignore_index, (bool, np.bool_)) or not isinstance(ignore_index, (int, np.integer)):
        raise TypeError(f"{who}: ignore_index must be an int, got {type(ignore_index).__name__}")
    return int(ignore_index)


def _check_smoothing(who: str, label_smoothing: Any) -> float:
    if isinstance(label_smoothing, (bool, np.bool_)) or not isinstance(label_smoothing, numbers.Real):
        raise TypeError(f"{who}: label_smoothing must be a number, got {type(label_smoothing).__name__}")
    if not 0.0 <= float(label_smoothing) <= 1.0:
        raise ValueError(f"{who}: label_smoothing must be between 0.0 and 1.0, got {label_smoothing!r}")
    return float(label_smoothing)


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Any:
    """Softmax cross-entropy of logits ``input`` against integer classes ``target``:
    −weight[c]·log_softmax(input)[n, c] with c = target[n], computed through a stable
    log-softmax, as PyTorch's. ``input`` is (N, C) with targets (N,), one row (C,) with one
    target, or (N, C, d1, ...) with targets (N, d1, ...); targets may be a Tensor, an array or a
    list. A float target of the input's shape holds class probabilities instead (Tensors).
    ``label_smoothing`` ε mixes the target with the uniform distribution: (1 − ε)·nll + ε/C·Σ.

    For Values: a list of N rows of C Values (or one row) and a list of N ints (or one int).

    >>> import numpy as np
    >>> from autograd import Value
    >>> round(cross_entropy([[Value(1e4), Value(0.0)]], np.array([1])).data, 3)   # finite
    10000.0
    """
    who = "cross_entropy"
    reduction = legacy_reduction(who, size_average, reduce, reduction)
    _check_reduction(who, reduction)
    ignore = _check_ignore(who, ignore_index)
    smoothing = _check_smoothing(who, label_smoothing)
    if not _is_tensor(input):
        return _value_cross_entropy(who, input, target, weight, ignore, reduction, smoothing)
    shape, dtype = input._data.shape, input._data.dtype
    if dtype.kind != "f":
        raise TypeError(f"{who}: input must be float logits, got dtype {dtype}")
    if input._data.ndim == 0:
        raise ValueError(
            f"{who}: input must be float logits of shape (N, C), (C,) or (N, C, d1, ...), got ()"
        )
    dim = 0 if input._data.ndim == 1 else 1
    if _probabilities(target, shape):
        if ignore >= 0:  # PyTorch's check: a negative index cannot name a class, so it may stay
            raise ValueError(
                f"{who}: ignore_index is not supported for floating point (class probability) "
                f"targets, got ignore_index={ignore}"
            )
        return _soft_cross_entropy(who, input, target, weight, reduction, smoothing, dim)
    if input._data.ndim <= 2 and weight is None and smoothing == 0:
        single = input._data.ndim == 1
        n, classes = (1, shape[0]) if single else shape
        indices = _class_indices(who, target, n, classes, single, ignore=ignore)
        if not (indices == ignore).any():  # the common case: pick each row's entry directly
            # by indexing (not by a one-hot product, where a masked logit of -inf would give
            # -inf·0 = NaN)
            if single:
                return -input.log_softmax(dim=0)[int(indices[0])]
            return _reduce(-input.log_softmax(dim=1)[np.arange(n), indices], reduction)
    logp = input.log_softmax(dim=dim)
    nll = _tensor_nll(who, logp, target, weight, ignore, reduction)
    if smoothing == 0:
        return nll
    return (1 - smoothing) * nll + _smooth_term(who, logp, target, weight, ignore, reduction, dim, smoothing)


def _probabilities(target: Any, shape: tuple[int, ...]) -> bool:
    """Whether ``target`` holds class probabilities: floats of the input's shape."""
    data = target._data if _is_tensor(target) else target
    if isinstance(data, (list, tuple)):
        try:
            data = np.asarray(data)
        except (ValueError, TypeError):
            return False
    return isinstance(data, np.ndarray) and data.dtype.kind == "f" and data.shape == shape


def _soft_cross_entropy(
    who: str, input: Tensor, target: Any, weight: Any, reduction: str, smoothing: float, dim: int
) -> Any:
    """−Σ_c weight[c]·p[n, c]·log_softmax(input)[n, c] for class probabilities p (PyTorch's)."""
    classes = input._data.shape[dim]
    if _is_tensor(target) and target._requires_grad and target._data.dtype == input._data.dtype:
        p = target
    else:
        p = Tensor(_real_array(who, target).astype(input._data.dtype))
    if smoothing:
        p = p * (1 - smoothing) + smoothing / classes
    terms = input.log_softmax(dim=dim) * p
    weights = _class_weights(who, weight, classes)
    if weights is not None:
        terms = terms * _along(weights.astype(input._data.dtype), input._data.ndim, dim)
    return _reduce(-terms.sum(dim=dim), reduction)


def _along(values: np.ndarray, ndim: int, dim: int) -> np.ndarray:
    """One value per class, shaped to broadcast along dimension ``dim`` of an ``ndim``-D input."""
    return values.reshape((-1,) + (1,) * (ndim - dim - 1))


def _smooth_term(
    who: str, logp: Tensor, target: Any, weight: Any, ignore: int, reduction: str, dim: int, eps: float
) -> Any:
    """ε/C times the reduced −Σ_c weight[c]·log_softmax[n, c], zero where the target is ignored:
    PyTorch's label smoothing (its mean divides by the counted targets' total weight)."""
    shape = logp._data.shape
    classes = shape[dim]
    weights = _class_weights(who, weight, classes)
    terms = logp if weights is None else logp * _along(weights.astype(logp._data.dtype), logp.ndim, dim)
    indices = _targets(who, target, shape, ignore)
    counted = indices != ignore
    smooth = where(counted, -terms.sum(dim=dim), 0.0)
    if reduction == "none":
        out = smooth
    elif reduction == "sum":
        out = smooth.sum()
    else:
        total = counted.sum() if weights is None else weights[np.where(counted, indices, 0)][counted].sum()
        out = smooth.sum() * (1.0 / float(total) if total else math.nan)
    return out * (eps / classes)


def _targets(who: str, target: Any, shape: tuple[int, ...], ignore: int) -> np.ndarray:
    """The class indices for log-probabilities of ``shape``: shaped () for one row (C,), (N,) for
    (N, C), (N, d1, ...) for (N, C, d1, ...); each in range or equal to ``ignore``."""
    classes = shape[0] if len(shape) == 1 else shape[1]
    if len(shape) <= 2:
        n = 1 if len(shape) == 1 else shape[0]
        indices = _class_indices(who, target, n, classes, len(shape) == 1, ignore=ignore)
        return indices.reshape(()) if len(shape) == 1 else indices
    expected = (shape[0], *shape[2:])  # targets (N, d1, ...): checked flat, then given their shape back
    try:
        array = np.asarray(target._data if _is_tensor(target) else target)
    except ValueError:
        raise ValueError(f"{who}: targets are ragged (their rows differ in length)") from None
    if array.shape != expected:
        raise ValueError(
            f"{who}: input of shape {shape} needs targets of shape {expected}, got {array.shape}"
        )
    flat = _class_indices(who, array.reshape(-1), array.size, classes, ignore=ignore)
    return flat.reshape(expected)


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
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
    reduction = legacy_reduction(who, size_average, reduce, reduction)
    _check_reduction(who, reduction)
    ignore = _check_ignore(who, ignore_index)
    if _is_tensor(input):
        if input._data.dtype.kind != "f":
            raise TypeError(f"{who}: input must be float log-probabilities, got dtype {input._data.dtype}")
        if input._data.ndim == 0:
            raise ValueError(
                f"{who}: input must be log-probabilities of shape (N, C), (C,) or (N, C, d1, ...)"
            )
        return _tensor_nll(who, input, target, weight, ignore, reduction)
    rows, single = _value_rows(who, input, "log-probabilities")
    weights = _class_weights(who, weight, len(rows[0]))
    indices = _class_indices(who, target, len(rows), len(rows[0]), single, ignore=ignore)
    losses, total = [], 0.0
    for row, k in zip(rows, indices.tolist()):
        w = 0.0 if k == ignore else 1.0 if weights is None else float(weights[k])
        losses.append(-row[k] * w if w else Value(0.0))
        total += w
    return _value_reduce(losses, total, reduction, single)


def _value_reduce(losses: list[Any], total: float, reduction: str, single: bool) -> Any:
    """Per-row losses of Values reduced as PyTorch's nll_loss: "mean" divides by ``total``, the
    counted targets' weight (NaN when none counts)."""
    if reduction == "none":
        return losses[0] if single else losses
    summed = _reduce(losses, "sum")
    return summed if reduction == "sum" else summed * (1.0 / total if total else math.nan)


def _tensor_nll(who: str, input: Tensor, target: Any, weight: Any, ignore: int, reduction: str) -> Any:
    shape = input._data.shape
    classes = shape[0] if input._data.ndim == 1 else shape[1]
    weights = _class_weights(who, weight, classes)
    indices = _targets(who, target, shape, ignore)
    counted = indices != ignore
    safe = np.where(counted, indices, 0)  # an index for the ignored ones too; their weight is 0
    if input._data.ndim == 1:
        picked = input[int(safe)]
    else:
        grid = np.indices(indices.shape)
        picked = input[(grid[0], safe, *grid[1:])]
    if weights is None and counted.all():
        losses = -picked
        total = float(indices.size)
    else:
        w = np.where(counted, 1.0 if weights is None else weights[safe], 0.0).astype(input._data.dtype)
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
    data = weight._data if _is_tensor(weight) else weight
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


# --- Values -------------------------------------------------------------------------------------


def _value_cross_entropy(
    who: str, input: Any, target: Any, weight: Any, ignore: int, reduction: str, smoothing: float
) -> Any:
    rows, single = _value_rows(who, input, "logits")
    classes = len(rows[0])
    weights = _class_weights(who, weight, classes)
    indices = _class_indices(who, target, len(rows), classes, single, ignore=ignore)
    if weights is None and smoothing == 0 and not (indices == ignore).any():
        losses = [_value_row_nll(row, int(k)) for row, k in zip(rows, indices)]
        return losses[0] if single else _reduce(losses, reduction)
    losses, total = [], 0.0
    for row, k in zip(rows, indices.tolist()):
        w = 0.0 if k == ignore else 1.0 if weights is None else float(weights[k])
        total += w
        if k == ignore:
            losses.append(Value(0.0))
            continue
        lse = _value_logsumexp(row)
        loss = (lse - row[k]) * w
        if smoothing:  # −Σ_c weight[c]·log_softmax[c], then mixed in
            factors = [1.0] * classes if weights is None else weights.tolist()
            smooth = (lse - row[0]) * factors[0]
            for v, c in zip(row[1:], factors[1:]):
                smooth = smooth + (lse - v) * c
            loss = loss * (1 - smoothing) + smooth * (smoothing / classes)
        losses.append(loss)
    return _value_reduce(losses, total, reduction, single)


def _value_logsumexp(row: Sequence[Value]) -> Value:
    # log-sum-exp shifted by the largest logit (a constant: the result does not depend on it),
    # so exp never overflows and the log's argument is at least 1.
    top = max(v.data for v in row)
    total = (row[0] - top).exp()
    for v in row[1:]:
        total = total + (v - top).exp()
    return total.log() + top


def _value_row_nll(row: Sequence[Value], k: int) -> Value:
    return _value_logsumexp(row) - row[k]

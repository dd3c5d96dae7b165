"""What the losses share: checking inputs and targets, pairing Values with their targets, and
the reduction (``"mean"``, ``"sum"`` or ``"none"``).

Targets must be real numbers: numpy would read "3" and b"3" as 3.0, None as nan, True as 1.0 and
drop an imaginary part, so anything but ints and floats is refused, naming the bad item.

>>> _real_array("mse_loss", [1, 2.5]).tolist()
[1.0, 2.5]
>>> _class_indices("cross_entropy", [0, 2], 2, 3).tolist()
[0, 2]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.tensors import Tensor
from autograd.value import Value

__all__: list[str] = []  # helpers for nn.losses, not part of the API

_REDUCTIONS = ("mean", "sum", "none")


def _holds_values(x: Any) -> bool:
    return isinstance(x, Value) or (isinstance(x, (list, tuple)) and any(isinstance(t, Value) for t in x))


def _is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


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
        array = target._data if _is_tensor(target) else target
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
    dtype = input._data.dtype
    if not (_is_tensor(target) and target._data.dtype == dtype):
        if _is_tensor(target) and target._requires_grad:  # a cast here would cut its gradient off
            raise TypeError(
                f"{who}: a target that requires grad must have the input's dtype {dtype}, "
                f"got {target._data.dtype}"
            )
        array = _real_array(who, target)
        with np.errstate(over="ignore"):  # a float64 target beyond float32's range becomes inf
            target = Tensor(array.astype(dtype, copy=False))
    if target._data.shape != input._data.shape and target._data.ndim != 0:
        raise ValueError(
            f"{who}: input shape {input._data.shape} and target shape {target._data.shape} differ"
        )
    return target


def legacy_reduction(who: str, size_average: Any, reduce: Any, reduction: str) -> str:
    """PyTorch's deprecated ``size_average=`` and ``reduce=`` as a reduction (they win when
    given, with PyTorch's warning): reduce=False is "none", else size_average=False "sum"."""
    if size_average is None and reduce is None:
        return reduction
    for name, flag in (("size_average", size_average), ("reduce", reduce)):
        if flag is not None and not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{who}: {name} must be True, False or None, got {type(flag).__name__}")
    warnings.warn(
        f"{who}: size_average and reduce are deprecated, use reduction= instead", UserWarning, stacklevel=3
    )
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


def _weights(who: str, weight: Any, input: Any, same_shape: bool) -> np.ndarray | None:
    """A loss's elementwise ``weight`` as an array of the input's dtype: the input's shape when
    ``same_shape`` (mse, l1, huber), else one that broadcasts to it (the BCE losses)."""
    if weight is None:
        return None
    if not _is_tensor(input):
        raise TypeError(f"{who}: weight= works with Tensor inputs; weigh Values by multiplying them")
    array = _real_array(f"{who}: weight", weight).astype(input._data.dtype)
    shape = input._data.shape
    if same_shape and array.shape != shape:
        raise ValueError(f"{who}: weight must have the input's shape {shape}, got {array.shape}")
    try:
        if np.broadcast_shapes(array.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(f"{who}: weight of shape {array.shape} does not broadcast to {shape}") from None
    return array


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
    weight: np.ndarray | None = None,
    mean_over_weights: bool = False,
) -> Any:
    """formula(input, target) element by element, then the reduction; ``check(inputs, targets)``
    sees the numbers first and raises for values the loss is not defined on. A Tensor's losses
    are multiplied by ``weight`` (an array) if given; ``mean_over_weights``: "mean" is then
    Σ w·loss / Σ w (PyTorch's mse_loss and l1_loss), else the mean of w·loss."""
    _check_reduction(who, reduction)
    if _is_tensor(input):
        if input._data.dtype.kind != "f":
            raise TypeError(f"{who}: input must be a float Tensor, got dtype {input._data.dtype}")
        target = _tensor_target(who, input, target)
        if check:
            check(input._data, target._data)
        losses = formula(input, target)
        if weight is None:
            return _reduce(losses, reduction)
        losses = losses * weight
        if reduction == "mean" and mean_over_weights:
            return losses.sum() / float(weight.sum())
        return _reduce(losses, reduction)
    xs, ys = _value_pairs(who, input, target)
    if check:
        check(
            np.array([x.data for x in xs]),
            np.array([y.data if isinstance(y, Value) else float(y) for y in ys]),
        )
    losses = [formula(x, y) for x, y in zip(xs, ys)]
    return losses[0] if isinstance(input, Value) and reduction == "none" else _reduce(losses, reduction)


def _class_indices(
    who: str, target: Any, n: int, classes: int, single: bool = False, ignore: int | None = None
) -> np.ndarray:
    """The targets as n class indices in range(classes) (or equal to ``ignore``); ``single``: one
    index, given as a number or as a one-element list or array. TypeError for what is not a
    number at all (None, str, bool, complex, Values), ValueError for wrong numbers (floats, out of
    range) and shapes."""
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
        if not 0 <= k < classes and k != ignore:
            raise ValueError(f"{who}: target {k} at index {i} is out of range for {classes} classes")
    bad = (array < 0) | (array >= classes)
    if ignore is not None:
        bad &= array != ignore
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{who}: target {int(array[i])} at index {i} is out of range for {classes} classes")
    return array.astype(np.intp)


def _value_rows(who: str, input: Any, what: str) -> tuple[list[Sequence[Value]], bool]:
    """Rows of Values (a list of rows, or one row) as a list of rows, and whether it was one row."""
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
                raise TypeError(f"{who}: {what} must be Values, got {type(v).__name__} in row {i}")
    return rows, single


def _raw(x: Any) -> Any:
    return x._data if _is_tensor(x) else x

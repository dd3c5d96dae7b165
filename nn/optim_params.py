"""How an optimizer sees its parameters and checks its settings (for `nn.optim`).

Each Tensor parameter is a `_TensorSlot`: its own arrays (``_data`` and ``_grad``, which its
``.data`` and ``.grad`` show), updated in place.
The `Value` parameters of a param group are one `_ValueGroup`: one flat float64 array, read
before the update and written back after it, so scalar models update in one vectorised step.
Everything a step needs is read and checked before anything is updated.

>>> _check("SGD", "lr", 0.5), _check_betas("Adam", "betas", (0.9, 0.999))
(0.5, (0.9, 0.999))
"""

from __future__ import annotations

import math
import numbers
import os
import sys
import warnings
from collections.abc import Iterable
from types import FrameType
from typing import Any

import numpy as np

from autograd.tensors import Tensor
from autograd.value import Value
from nn.module import Module

__all__: list[str] = []  # helpers for nn.optim, not part of the API

_FLOAT = {float, np.float64, np.float32}  # what np.array reads exactly; ints may overflow


class _ValueGroup:
    """All Value parameters of a param group seen as one float64 array (their grads are floats,
    never None). ``read`` gives fresh arrays; the update works on them and ``write`` copies the
    result back. ``indices``: the parameters' positions in the optimizer (state_dict's numbers)."""

    def __init__(self, params: list[Value], indices: list[int], group: int) -> None:
        self.params, self.indices, self.group = params, indices, group

    def read(self, who: str) -> tuple[np.ndarray, np.ndarray | None]:
        data = [p.data for p in self.params]
        grad = [p.grad for p in self.params]
        # numpy would read None as NaN without a word: anything but floats is looked at closely
        if not _FLOAT.issuperset(map(type, data)) or not _FLOAT.issuperset(map(type, grad)):
            for i, p in zip(self.indices, self.params):
                for name in ("data", "grad"):
                    _check_number(who, i, name, getattr(p, name))
        return np.array(data, dtype=np.float64), np.array(grad, dtype=np.float64)

    def write(self, data: np.ndarray) -> None:
        for p, x in zip(self.params, data.tolist()):
            p.data = x


def _check_number(who: str, i: int, name: str, item: Any) -> None:
    """A Value parameter's ``.data`` or ``.grad`` must be a real number that fits a float."""
    if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
        raise TypeError(
            f"{who}: parameter {i} (a Value) has .{name} of type {type(item).__name__}, "
            "not a number; nothing was updated"
        )
    try:
        float(item)
    except OverflowError:
        raise ValueError(
            f"{who}: parameter {i} (a Value) has .{name} too large for a float; nothing was updated"
        ) from None


class _TensorSlot:
    """One Tensor parameter: ``read`` gives its own data array, which the update changes in place
    (so views of it stay in step); nothing is left to write back."""

    def __init__(self, param: Any, index: int, group: int) -> None:
        self.param, self.index, self.group = param, index, group
        self.indices = [index]

    def read(self, who: str) -> tuple[np.ndarray, np.ndarray | None]:
        data, grad = self.param._data, self.param._grad
        i = self.index
        if grad is not None and not isinstance(grad, np.ndarray):  # a node (create_graph=True)
            grad = getattr(grad, "_data", grad)
        if not isinstance(data, np.ndarray) or data.dtype.kind != "f":
            kind = data.dtype if isinstance(data, np.ndarray) else type(data).__name__
            raise TypeError(f"{who}: parameter {i} holds {kind}, not a float array; nothing was updated")
        if grad is None:
            return data, None
        if not data.flags.writeable:  # found before any parameter moves, not halfway through
            raise ValueError(f"{who}: parameter {i}'s array is read-only; nothing was updated")
        if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "iuf":
            kind = f"dtype {grad.dtype}" if isinstance(grad, np.ndarray) else f"type {type(grad).__name__}"
            raise TypeError(f"{who}: parameter {i}'s grad has {kind}, not real numbers; nothing was updated")
        if grad.shape != data.shape:
            raise ValueError(
                f"{who}: parameter {i}'s grad has shape {grad.shape} but the parameter has shape "
                f"{data.shape}; nothing was updated"
            )
        if grad.dtype != data.dtype:
            with np.errstate(over="ignore"):
                cast = grad.astype(data.dtype)
            if (np.isinf(cast) & np.isfinite(grad)).any():
                raise ValueError(
                    f"{who}: parameter {i}'s {grad.dtype} grad overflows {data.dtype}; nothing was updated"
                )
            grad = cast
        return data, grad

    def write(self, data: np.ndarray) -> None:
        pass


def _collect(who: str, params: Any, allow_empty: bool = False) -> list[Any]:
    """The parameters of one group: leaf Values and float Tensors, each once (by identity; a
    parameter listed twice warns, as PyTorch's, and is kept once: PyTorch would step it twice)."""
    if isinstance(params, Module):
        raise TypeError(f"{who}: pass model.parameters(), not the model itself")
    if isinstance(params, (Value, Tensor, str, bytes)) or not isinstance(params, Iterable):
        kind = type(params).__name__
        raise TypeError(f"{who}: params must be an iterable of Values or Tensors, got {kind}")
    out: list[Any] = []
    seen: set[int] = set()
    for i, p in enumerate(params):
        is_tensor = isinstance(p, Tensor)
        if not isinstance(p, Value) and not is_tensor:
            raise TypeError(f"{who}: parameter {i} must be a Value or a Tensor, got {type(p).__name__}")
        if is_tensor and p._data.dtype.kind != "f":
            raise TypeError(f"{who}: parameter {i} has dtype {p._data.dtype}; only float Tensors train")
        leaf = p.is_leaf if is_tensor else not p._prev
        if not leaf:  # computed from others: a step would move this copy, never its leaves
            kind = "Tensor" if is_tensor else "Value"
            raise ValueError(
                f"{who}: parameter {i} is not a leaf {kind} (it was computed from others): can't "
                f"optimize a non-leaf {kind}; pass the leaf itself, or a copy made a leaf with .detach()"
                + (".requires_grad_()" if is_tensor else "")
            )
        if id(p) in seen:  # by identity: equal Values are still different parameters
            warnings.warn(
                f"{who}: parameter {i} is listed twice; it is kept once, and updated once a step "
                "(PyTorch warns likewise, steps it twice, and will refuse it in future)",
                UserWarning,
                stacklevel=_caller_level(),
            )
            continue
        seen.add(id(p))
        out.append(p)
    if not out and not allow_empty:
        raise ValueError(f"{who}: got no parameters to optimize")
    return out


def _caller_level() -> int:
    """The ``stacklevel`` of the first caller outside nn, for a warning that points at the line
    of user code (the calls inside nn differ from optimizer to optimizer)."""
    frame: FrameType | None = sys._getframe(1)
    level, here = 1, os.path.dirname(__file__)
    while frame is not None and os.path.dirname(frame.f_code.co_filename) == here:
        frame, level = frame.f_back, level + 1
    return level


# --- settings --------------------------------------------------------------------------------


def _check(who: str, name: str, value: Any, upper: float | None = None) -> float:
    """A hyperparameter as a float: a real number (not a bool), finite, >= 0 and below ``upper``.

    PyTorch refuses negative values too (and NaN, except SGD, which lets NaN through); an
    infinite rate or decay can only turn the parameters into inf and NaN, so it is refused here.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        raise ValueError(f"{who}: {name} must be a finite number, got an int too large for a float") from None
    if not math.isfinite(number):
        raise ValueError(f"{who}: {name} must be a finite number, got {number}")
    if not number >= 0.0 or (upper is not None and not number < upper):
        bound = f"in [0, {upper:g})" if upper is not None else ">= 0"
        raise ValueError(f"{who}: {name} must be {bound}, got {value!r}")
    return number


def _check_flag(who: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: {name} must be True or False, got {type(value).__name__}")
    return bool(value)


def _check_betas(who: str, name: str, value: Any) -> tuple[float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{who}: {name} must be a pair of numbers, got {value!r}")
    return (_check(who, f"{name}[0]", value[0], 1.0), _check(who, f"{name}[1]", value[1], 1.0))

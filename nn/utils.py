"""Training utilities with PyTorch's names: `clip_grad_norm_`.

>>> import numpy as np, nn
>>> from autograd import Tensor, Value
>>> w, v = Tensor([3.0, 0.0], requires_grad=True), Value(0.0)
>>> w.grad, v.grad = np.array([3.0, 0.0]), 4.0
>>> nn.utils.clip_grad_norm_([w, v], max_norm=1.0).item()     # √(3² + 4²), before clipping
5.0
>>> np.round(w.grad.numpy(), 4).tolist(), round(v.grad, 4)    # scaled by 1/5 together
([0.6, 0.0], 0.8)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd.tensors import Tensor
from autograd.value import Value
from nn.module import Module

__all__ = ["NonFiniteNormError", "clip_grad_norm_"]

_EPS = 1e-6  # PyTorch's: max_norm / (total + 1e-6), so a zero gradient never divides by zero


def _number(who: str, name: str, x: Any) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{who}: {name} must be a number, got {type(x).__name__}")
    try:
        return float(x)
    except OverflowError:
        raise ValueError(f"{who}: {name} is too large for a float") from None


def _grads(who: str, parameters: Any) -> list[tuple[Any, np.ndarray]]:
    """(parameter, its gradient as an array) for each parameter that has one (None is skipped)."""
    if isinstance(parameters, Module):
        raise TypeError(f"{who}: pass model.parameters(), not the model itself")
    if isinstance(parameters, (Tensor, Value)):
        parameters = [parameters]
    if isinstance(parameters, (str, bytes)) or not isinstance(parameters, Iterable):
        raise TypeError(f"{who}: parameters must be Tensors or Values, got {type(parameters).__name__}")
    out: list[tuple[Any, np.ndarray]] = []
    for i, p in enumerate(parameters):
        if not isinstance(p, (Tensor, Value)):
            raise TypeError(f"{who}: parameter {i} must be a Tensor or a Value, got {type(p).__name__}")
        g = p.grad if isinstance(p, Value) else p._grad
        if g is None:
            continue
        if isinstance(p, Value):
            if isinstance(g, (bool, np.bool_)) or not isinstance(g, numbers.Real):
                raise TypeError(f"{who}: parameter {i} (a Value) has .grad of type {type(g).__name__}")
            out.append((p, np.asarray(float(g))))
        elif not isinstance(g, np.ndarray) and isinstance(g, Tensor):  # a node (create_graph=True)
            out.append((p, g._data))
        elif not isinstance(g, np.ndarray) or g.dtype.kind != "f":
            kind = f"dtype {g.dtype}" if isinstance(g, np.ndarray) else f"type {type(g).__name__}"
            raise TypeError(f"{who}: parameter {i}'s grad has {kind}, not floats")
        else:
            out.append((p, g))
    return out


def _norm(g: np.ndarray, p: float) -> np.ndarray:
    """The p-norm of an array's elements (the largest |g| for p = inf) as a 0-d array of its
    dtype, computed in that dtype as PyTorch computes it: float32 gradients of 1e20 have an
    infinite 2-norm (their squares overflow), and 1e-30 ones a 2-norm of 0; but the norm of a
    single element is its |g|, exactly. float16 is summed in float32 (as PyTorch does on the
    CPU) and the result rounded back."""
    work = np.float32 if g.dtype == np.float16 else g.dtype
    a = np.abs(g).astype(work, copy=False)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if a.size <= 1:
            total = a.sum()  # 0 for no elements, |g| for one
        elif p == math.inf:
            total = a.max()
        elif p == 1:
            total = a.sum()
        elif p == 2:
            total = np.sqrt(np.sum(a * a))
        else:
            total = np.sum(a**p) ** (1.0 / p)
        return np.asarray(total, dtype=g.dtype)


class NonFiniteNormError(ValueError, RuntimeError):
    """``clip_grad_norm_(..., error_if_nonfinite=True)`` found a NaN or infinite total norm: a
    ValueError, as this project's errors about values are, and a RuntimeError, as PyTorch's."""


def clip_grad_norm_(
    parameters: Any, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> Tensor:
    """Scale the gradients of ``parameters`` (Tensors and Values; those whose grad is None are
    skipped) together, in place, so that their total ``norm_type``-norm is at most ``max_norm``:
    each is multiplied by min(1, max_norm / (total + 1e-6)), as PyTorch does. Returns the total
    norm before clipping, as a 0-d Tensor.

    ``norm_type`` is a positive number or ``inf`` (``"inf"`` too): the total is the norm of the
    per-parameter norms, which is the norm of all the gradients' elements together. A
    ``max_norm`` that is negative, NaN or infinite is refused (PyTorch would flip the gradients'
    signs, or make them NaN).

    The norms are PyTorch's: each gradient's norm is computed in its own dtype, so float32
    gradients of 1e20 have an infinite 2-norm (their squares overflow float32) and the total
    returned is inf; the total is in the dtype the gradients promote to. An infinite total scales
    every gradient by 0 (an infinite gradient becomes NaN), a NaN total makes them NaN, as
    PyTorch's; ``error_if_nonfinite=True`` raises `NonFiniteNormError` instead (a ValueError
    and, as PyTorch's error, a RuntimeError), changing nothing.
    """
    who = "clip_grad_norm_"
    limit = _number(who, "max_norm", max_norm)
    if not (math.isfinite(limit) and limit >= 0):
        raise ValueError(f"{who}: max_norm must be a finite number >= 0, got {max_norm!r}")
    p = (
        math.inf
        if isinstance(norm_type, str) and norm_type == "inf"
        else _number(who, "norm_type", norm_type)
    )
    if not p > 0:  # also NaN
        raise ValueError(f"{who}: norm_type must be a positive number or inf, got {norm_type!r}")
    if not isinstance(error_if_nonfinite, (bool, np.bool_)):
        raise TypeError(f"{who}: error_if_nonfinite must be a bool, got {type(error_if_nonfinite).__name__}")
    grads = _grads(who, parameters)
    if not grads:
        return Tensor(np.array(0.0))
    # As PyTorch: each gradient's norm in its own dtype, then the norm of those norms in the
    # dtype they promote to (float64 if any is), then one factor in that dtype for all of them.
    norms = [_norm(g, p) for _, g in grads]
    total = _norm(np.stack(norms), p)
    if error_if_nonfinite and not np.isfinite(total):
        raise NonFiniteNormError(
            f"{who}: the total norm of order {norm_type} of the gradients is {total.item()}; "
            "nothing was clipped (error_if_nonfinite=True)"
        )
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        coefficient = np.minimum(limit / (total + total.dtype.type(_EPS)), 1.0).astype(total.dtype)
    if not coefficient >= 1:  # NaN for a NaN total: the gradients become NaN, as PyTorch's
        with np.errstate(under="ignore", invalid="ignore"):  # inf·0 is NaN, as PyTorch's
            for param, g in grads:
                if isinstance(param, Value):
                    param.grad = param.grad * float(coefficient)
                elif g is param._grad and g.flags.writeable:  # in place, as PyTorch's mul_
                    g *= coefficient.astype(g.dtype)  # the factor in the gradient's own dtype
                else:
                    param._grad = g * coefficient.astype(g.dtype)
    return Tensor(total)

"""Check gradients against central finite differences: the proof that a derivative rule is right.

Both ways users get gradients are checked, and must agree: ``backward()`` (into ``.grad``) and
`autograd.grad` (returned); with ``order=2`` and up, also the gradients of gradients
(``grad(..., create_graph=True)``, then both again).

>>> from autograd import Value, gradcheck
>>> x, y = Value(0.5), Value(-1.5)
>>> gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [x, y])
True
>>> gradcheck(lambda x: x**3, [x], order=2)   # the gradient's gradient too
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.engine import Node, grad
from autograd.value import Value

__all__ = ["GradcheckError", "central_difference", "gradcheck"]


class GradcheckError(AssertionError):
    """backward's gradient and the finite-difference estimate disagree."""


def _label(node: Any, i: int) -> str:
    name = getattr(node, "label", "")
    return f"input {i} ({name})" if name else f"input {i}"


def _to_scalar(out: Any, rng: random.Random) -> Any:
    """A scalar to differentiate: the output itself, or for an array output a fixed random
    weighting of its elements (so every element's gradient is checked at once)."""
    if isinstance(out, Value):
        return out
    data = getattr(out, "data", None)
    if isinstance(data, np.ndarray) and hasattr(out, "sum"):
        if data.size == 1:
            return out.sum()
        weights = np.array([rng.uniform(0.5, 1.5) for _ in range(data.size)]).reshape(data.shape)
        return (out * type(out)(weights.astype(data.dtype))).sum()
    raise TypeError(f"gradcheck: fn must return a Value or a Tensor, got {type(out).__name__}")


def _as_float(out: Any) -> float:
    data = out.data
    return float(data) if isinstance(data, float) else float(np.sum(data))


def central_difference(f: Callable[[], Any], node: Any, eps: float = 1e-6) -> Any:
    """d f() / d node.data, element by element, as (f(x + eps) - f(x - eps)) / 2 eps.

    ``f`` takes no arguments and returns a scalar node; ``node.data`` is nudged in place and
    always restored.
    """
    if isinstance(node, Value):
        x = node.data
        try:
            node.data = x + eps
            hi = _as_float(f())
            node.data = x - eps
            lo = _as_float(f())
        finally:
            node.data = x
        return (hi - lo) / (2 * eps)
    data = node.data
    estimate = np.zeros(data.shape, dtype=np.float64)
    for index in np.ndindex(data.shape):
        x = data[index]
        try:
            data[index] = x + eps
            hi = _as_float(f())
            data[index] = x - eps
            lo = _as_float(f())
        finally:
            data[index] = x
        estimate[index] = (hi - lo) / (2 * eps)
    return estimate


def gradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    order: int = 1,
    seed: int = 0,
) -> bool:
    """True when the gradients of ``fn(*inputs)``, by ``backward()`` and by `grad`, both match
    central finite differences.

    ``inputs`` are Values or float64 Tensors. A Tensor output is reduced to a scalar by a fixed
    random weighting of its elements. ``order=2`` also checks the gradient's own gradient
    (through ``create_graph=True``), and so on for higher orders. Raises `GradcheckError`
    naming the way (backward or grad), the input, the element and both numbers when they differ
    by more than ``atol + rtol * |finite difference|``. The inputs' ``.grad`` are left as they were.
    """
    for name, v in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"gradcheck: {name} must be a number, got {type(v).__name__}")
        if not (math.isfinite(v) and v >= 0) or (name == "eps" and v == 0):
            raise ValueError(
                f"gradcheck: {name} must be a finite number {'> 0' if name == 'eps' else '>= 0'}, got {v!r}"
            )
    if isinstance(order, bool) or not isinstance(order, int):
        raise TypeError(f"gradcheck: order must be an int, got {type(order).__name__}")
    if order < 1:
        raise ValueError(f"gradcheck: order must be >= 1, got {order}")
    inputs = list(inputs)
    for i, node in enumerate(inputs):
        if not isinstance(node, Node):
            kind = type(node).__name__
            raise TypeError(f"gradcheck: {_label(node, i)} must be a Value or Tensor, got {kind}")
        if not getattr(node, "requires_grad", True):
            raise ValueError(f"gradcheck: {_label(node, i)} does not require grad (use requires_grad=True)")
        dtype = getattr(node.data, "dtype", None)
        if dtype is not None and dtype != np.float64:
            raise ValueError(f"gradcheck: {_label(node, i)} is {dtype}; finite differences need float64")
    rng = random.Random(seed)

    def scalar_fn(*args: Any) -> Any:
        return _to_scalar(fn(*args), random.Random(seed))

    _check_first_order(scalar_fn, inputs, eps, atol, rtol)
    if order > 1:
        # The gradient is a function of the inputs too: check it, projected to a scalar.
        weights = [_random_like(node, rng) for node in inputs]

        def grad_fn(*args: Any) -> Any:
            grads = grad(scalar_fn(*args), list(args), create_graph=True)
            total: Any = 0.0
            for g, w in zip(grads, weights):
                total = total + (g * w if isinstance(g, Value) else (g * type(g)(w)).sum())
            if not isinstance(total, Node):
                raise GradcheckError("gradcheck: the gradient does not depend on the inputs")
            return total

        gradcheck(grad_fn, inputs, eps=eps, atol=atol, rtol=rtol, order=order - 1, seed=seed + 1)
    return True


def _random_like(node: Any, rng: random.Random) -> Any:
    if isinstance(node, Value):
        return rng.uniform(0.5, 1.5)
    shape = node.data.shape
    return np.array([rng.uniform(0.5, 1.5) for _ in range(node.data.size)]).reshape(shape)


def _by_backward(out: Any, inputs: list[Any]) -> list[Any]:
    """d out / d input for each input by ``out.backward()``, each input's ``.grad`` put back after."""
    saved = [node.grad for node in inputs]
    try:
        for node in inputs:
            node.grad = node._ZERO_GRAD
        out.backward()
        return [np.zeros(np.shape(node.data)) if node.grad is None else node.grad for node in inputs]
    finally:
        for node, old in zip(inputs, saved):
            node.grad = old


def _check_first_order(
    scalar_fn: Callable[..., Any], inputs: list[Any], eps: float, atol: float, rtol: float
) -> None:
    out = scalar_fn(*inputs)
    if getattr(out, "requires_grad", True):
        ways = {"backward": _by_backward(out, inputs), "grad": [g.data for g in grad(out, inputs)]}
    else:  # a Tensor that depends on no input (e.g. the gradient of a linear fn): derivative 0
        ways = {"grad": [np.zeros(np.shape(node.data)) for node in inputs]}
    for i, node in enumerate(inputs):
        # Not under no_grad: at higher orders fn itself calls grad().
        numeric = np.asarray(central_difference(lambda: scalar_fn(*inputs), node, eps), dtype=np.float64)
        for way, analytic in ways.items():
            exact = np.asarray(analytic[i], dtype=np.float64)
            bad = ~(np.abs(exact - numeric) <= atol + rtol * np.abs(numeric))
            if bad.any():
                where = np.unravel_index(int(np.argmax(bad)), exact.shape) if exact.ndim else ()
                element = f", element {tuple(int(k) for k in where)}" if where else ""
                a, n = float(exact[where]), float(numeric[where])
                raise GradcheckError(
                    f"gradcheck: {_label(node, i)}{element}: {way} gives {a:.8g}, "
                    f"finite differences {n:.8g} (off by {abs(a - n):.3g}; "
                    f"tolerance {atol + rtol * abs(n):.3g})"
                )

"""The Tensor-only primitives, each defined once: matmul, reductions, shapes, indexing, softmax.

Written as the elementwise ones in `autograd.ops`: a forward on arrays and one rule per operand,
``rule(g, out, *operands, **params)``, where the params are the op's settings (an axis, a shape,
an index). A rule uses arithmetic, methods that ndarrays and Tensors share (``sum``, ``reshape``,
``transpose``) and the helpers here, so it runs on arrays (first order) and on Tensor nodes (any
order). A rule may return a gradient of the broadcast shape: the Tensor sums it back to its
operand's shape in one place.

>>> import numpy as np
>>> SUM(np.ones((2, 3)), axes=(1,), keepdims=False)
array([3., 3.])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops import EXP, PRODUCT_LEVEL
from autograd.primitive import primitive, where

__all__ = [
    "BROADCAST",
    "CAST",
    "CAT",
    "CLAMP",
    "GETITEM",
    "LOG_SOFTMAX",
    "MATMUL",
    "MAX",
    "RESHAPE",
    "SCATTER",
    "SOFTMAX",
    "SUM",
    "TRANSPOSE",
    "WHERE",
    "kept_shape",
]


def _raw(x: Any) -> Any:
    return getattr(x, "data", x) if not isinstance(x, np.ndarray) else x


def kept_shape(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> tuple[int, ...]:
    """``shape`` with the reduced ``axes`` (None: all) kept as 1s: what a reduction's gradient is
    reshaped to."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _unreduce(g: Any, a: Any, axes: tuple[int, ...] | None) -> Any:
    """A reduction's gradient with the reduced axes put back as 1s, so it broadcasts against the
    input. A 0-d one (all axes reduced) already does and is left as it is (reshaping a numpy
    scalar costs twice a small add)."""
    return g.reshape(kept_shape(a.shape, axes)) if g.ndim else g


def _expand(x: Any, shape: tuple[int, ...]) -> Any:
    """x broadcast to ``shape``: a new array (np.broadcast_to costs 5x more for small ones), or
    the differentiable broadcast for a Tensor node."""
    if not isinstance(x, (np.ndarray, np.generic)):
        return BROADCAST(x, shape=shape)
    out = np.empty(shape, dtype=x.dtype)
    out[...] = x
    return out


def _scatter(g: Any, index: Any, shape: tuple[int, ...], repeats: bool) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices add up): indexing's adjoint."""
    if not isinstance(g, (np.ndarray, np.generic)):
        return SCATTER(g, index=index, shape=shape, repeats=repeats)
    out = np.zeros(shape, dtype=g.dtype)
    if repeats:  # integer arrays may repeat an index: each occurrence must add
        np.add.at(out, index, g)
    else:  # slices, ints and masks never do: plain assignment is much faster
        out[index] = g
    return out


def _swap_last(x: Any) -> Any:
    """The matrix transpose of each matrix in a stack (the last two axes)."""
    if x.ndim == 2:
        return x.T
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return x.transpose(tuple(axes))


def _as_matrices(g: Any, a: Any, b: Any) -> tuple[Any, Any, Any]:
    """Treat a 1-D operand as a matrix (a row on the left, a column on the right) and shape g to
    match, so the usual G·Bᵀ and Aᵀ·G rules apply."""
    if a.ndim == 1:
        a = a.reshape((1, a.shape[0]))
        g = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:]) if b.ndim > 1 else g.reshape(g.shape + (1,))
    if b.ndim == 1:
        b = b.reshape((b.shape[0], 1))
        g = g.reshape(g.shape + (1,))
    return g, a, b


def _matmul_grad_a(g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim > 1 and b.ndim > 1:
        return g @ _swap_last(b)
    g, _, b2 = _as_matrices(g, a, b)
    return g @ _swap_last(b2)  # (..., 1, k) for a 1-D a: the sum to a's shape drops the 1


def _matmul_grad_b(g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim > 1 and b.ndim > 1:
        return _swap_last(a) @ g
    g, a2, b2 = _as_matrices(g, a, b)
    gb = _swap_last(a2) @ g
    return gb.reshape(gb.shape[:-1]) if b.ndim == 1 else gb  # drop the column axis added for b


def _matmul(a: Any, b: Any) -> Any:
    try:
        return a @ b
    except ValueError:
        raise ValueError(f"matmul: shapes {np.shape(a)} and {np.shape(b)} do not align") from None


def _ties(a: Any, out: Any, axes: tuple[int, ...] | None) -> np.ndarray:
    """1/k at each of the k tied maxima of a reduced slice, 0 elsewhere (a constant)."""
    a, out = _raw(a), _raw(out)
    kshape = kept_shape(a.shape, axes)
    mask = a == np.reshape(out, kshape)
    return (mask / mask.sum(axis=axes, keepdims=True)).astype(a.dtype, copy=False)


def _inverse(axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argsort(axes))


def _softmax(a: np.ndarray, *, axis: int) -> np.ndarray:
    if a.size == 0:  # an empty axis (or batch): an empty result, as PyTorch
        return np.array(a, dtype=np.result_type(a, 1.0))
    with np.errstate(invalid="ignore"):  # a row of -inf: -inf - -inf = nan, as PyTorch
        e = np.exp(a - a.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(a: np.ndarray, *, axis: int) -> np.ndarray:
    if a.size == 0:
        return np.array(a, dtype=np.result_type(a, 1.0))
    top = a.max(axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)  # a row of -inf stays -inf, not NaN
    z = a - top
    with np.errstate(divide="ignore", invalid="ignore"):  # a row of -inf: -inf - -inf = nan, as PyTorch
        return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


MATMUL = primitive(
    "@",
    arrays=_matmul,
    rules=[_matmul_grad_a, _matmul_grad_b],
    kind="matmul",
    derivatives=["g·{b}ᵀ", "{a}ᵀ·g"],
    notation="{a} @ {b}",
    precedence=PRODUCT_LEVEL,
)
SUM = primitive(
    "sum",
    arrays=lambda a, *, axes, keepdims: np.add.reduce(a, axis=axes, keepdims=keepdims),
    rules=[lambda g, out, a, *, axes, keepdims: _expand(_unreduce(g, a, axes), a.shape)],
    kind="reduction",
    derivatives=["1"],
    notation="Σ{a}",
)
MAX = primitive(
    "max",
    arrays=lambda a, *, axes, keepdims: np.max(a, axis=axes, keepdims=keepdims),
    # The gradient goes to the arg-max; k tied maxima get 1/k each (as torch.amax).
    rules=[lambda g, out, a, *, axes, keepdims: _unreduce(g, a, axes) * _ties(a, out, axes)],
    kind="reduction",
    derivatives=["1 at the maximum"],
)
RESHAPE = primitive(
    "reshape",
    arrays=lambda a, *, shape: a.reshape(shape),
    rules=[lambda g, out, a, *, shape: g.reshape(a.shape)],
    kind="shape",
    derivatives=["1"],
)
TRANSPOSE = primitive(
    "transpose",
    arrays=lambda a, *, axes: a.transpose(axes),
    rules=[lambda g, out, a, *, axes: g.transpose(_inverse(axes))],
    kind="shape",
    derivatives=["1"],
    notation="{a}ᵀ",
)
BROADCAST = primitive(
    "broadcast",
    arrays=lambda a, *, shape: np.broadcast_to(a, shape),
    rules=[lambda g, out, a, *, shape: g],  # summed back to a's shape by the Tensor
    kind="shape",
    derivatives=["1"],
)
GETITEM = primitive(
    "[]",
    arrays=lambda a, *, index, repeats: a[index],
    rules=[lambda g, out, a, *, index, repeats: _scatter(g, index, a.shape, repeats)],
    kind="indexing",
    derivatives=["1 at the picked elements"],
    notation="{a}[…]",
)
SCATTER = primitive(
    "scatter",
    arrays=lambda a, *, index, shape, repeats: _scatter(a, index, shape, repeats),
    rules=[lambda g, out, a, *, index, shape, repeats: g[index]],
    kind="indexing",
    derivatives=["1 at the scattered elements"],
)
SOFTMAX = primitive(
    "softmax",
    arrays=_softmax,
    rules=[lambda g, out, a, *, axis: out * (g - (g * out).sum(axis=axis, keepdims=True))],
    kind="normalization",
    derivatives=["softmax·(1 - softmax)"],
)
LOG_SOFTMAX = primitive(
    "log_softmax",
    arrays=_log_softmax,
    rules=[lambda g, out, a, *, axis: g - EXP(out) * g.sum(axis=axis, keepdims=True)],
    kind="normalization",
    derivatives=["1 - softmax"],
)
WHERE = primitive(
    "where",
    arrays=lambda x, y, *, cond: np.where(cond, x, y),
    rules=[
        lambda g, out, x, y, *, cond: where(cond, g, 0.0),
        lambda g, out, x, y, *, cond: where(cond, 0.0, g),
    ],
    kind="elementwise",
    derivatives=["1 where the condition holds, else 0", "0 where the condition holds, else 1"],
)


def _cat_rule(g: Any, out: Any, *operands: Any, position: int, axis: int) -> Any:
    """The gradient of operand ``position`` of a concatenation: its slice of g along ``axis``."""
    start = sum(x.shape[axis] for x in operands[:position])
    index = (slice(None),) * axis + (slice(start, start + operands[position].shape[axis]),)
    return g[index]


def _clamp_rule(g: Any, out: Any, a: Any, *, low: float | None, high: float | None) -> Any:
    # The gradient passes where low <= a <= high, the bounds included (as PyTorch's clamp).
    inside = None
    if low is not None:
        inside = _raw(a) >= low
    if high is not None:
        below = _raw(a) <= high
        inside = below if inside is None else inside & below
    return g if inside is None else where(inside, g, 0.0)


def _cast_back(g: Any, out: Any, a: Any, *, dtype: Any) -> Any:
    return CAST(g, dtype=a.dtype)  # the gradient goes back to the input's dtype


CAT = primitive(
    "cat",
    arrays=lambda *xs, axis: np.concatenate(xs, axis=axis),
    rules=[_cat_rule],
    kind="join",
    derivatives=["1 on its own slice"],
    variadic=True,
)
CLAMP = primitive(
    "clamp",
    arrays=lambda a, *, low, high: np.clip(a, low, high),
    rules=[_clamp_rule],
    derivatives=["1 between the bounds, else 0"],
)
CAST = primitive(
    "cast",
    arrays=lambda a, *, dtype: a.astype(dtype),
    rules=[_cast_back],
    kind="shape",
    derivatives=["1"],
)

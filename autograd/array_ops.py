"""The Tensor-only primitives, each defined once: matmul, reductions, shapes, indexing, softmax.

Written as the elementwise ones in `autograd.ops`: a forward on arrays and one rule per operand,
``rule(g, out, *operands, **params)``, where the params are the op's settings (an axis, a shape,
an index). A rule runs on arrays (first order) and on Tensor nodes (any order): where it needs a
shape operation it calls a primitive (through the small helpers below, which take numpy's fast
path for arrays), never a Tensor method that might read its arguments another way. A rule may
return a gradient of the broadcast shape: the engine sums it back to its operand's shape.

>>> import numpy as np
>>> SUM(np.ones((2, 3)), axes=(1,), keepdims=False)
array([3., 3.])
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from autograd.ops import EXP, PRODUCT_LEVEL
from autograd.primitive import Primitive, where
from autograd.primitive import primitive as _primitive

primitive = partial(_primitive, checked=False)  # proven by the op table (see autograd.ops)


def _raw(x: Any) -> Any:
    """The array of a node (a constant mask is computed from it), an array as it is."""
    return x if x.__class__ is np.ndarray else getattr(x, "_data", x)


def _is_array(x: Any) -> bool:
    return x.__class__ is np.ndarray or isinstance(x, np.generic)


# --- shape operations inside rules: numpy's own on arrays, the primitive on nodes ----------------


def _reshape(x: Any, shape: tuple[int, ...]) -> Any:
    return x.reshape(shape) if _is_array(x) else RESHAPE(x, shape=shape)


def _transpose(x: Any, axes: tuple[int, ...]) -> Any:
    return x.transpose(axes) if _is_array(x) else TRANSPOSE(x, axes=axes)


def sum_axes(x: Any, axes: tuple[int, ...] | None, keepdims: bool) -> Any:
    return (
        np.add.reduce(x, axis=axes, keepdims=keepdims)  # type: ignore[call-overload]
        if _is_array(x)
        else SUM(x, axes=axes, keepdims=keepdims)
    )


def _index(x: Any, index: Any) -> Any:
    return x[index] if _is_array(x) else GETITEM(x, index=index, repeats=False)


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
    return _reshape(g, kept_shape(a.shape, axes)) if g.ndim else g


def expand(x: Any, shape: tuple[int, ...]) -> Any:
    """x broadcast to ``shape``: a new array (np.broadcast_to costs 5x more for small ones), or
    the differentiable broadcast for a node."""
    if not _is_array(x):
        return BROADCAST(x, shape=shape)
    out = np.empty(shape, dtype=x.dtype)
    out[...] = x
    return out


def _scatter(g: Any, index: Any, shape: tuple[int, ...], repeats: bool) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices add up): indexing's adjoint."""
    if not _is_array(g):
        return SCATTER(g, index=index, shape=shape, repeats=repeats)
    out = np.zeros(shape, dtype=g.dtype)
    if repeats:  # integer arrays may repeat an index: each occurrence must add
        np.add.at(out, index, g)
    else:  # slices, ints and masks never do: plain assignment is much faster
        out[index] = g
    return out


# --- matmul ------------------------------------------------------------------------------------


def _swap_last(x: Any) -> Any:
    """The matrix transpose of each matrix in a stack (the last two axes)."""
    if x.__class__ is np.ndarray and x.ndim == 2:
        return x.T
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return _transpose(x, tuple(axes))


def _as_matrices(g: Any, a: Any, b: Any) -> tuple[Any, Any, Any]:
    """Treat a 1-D operand as a matrix (a row on the left, a column on the right) and shape g to
    match, so the usual G·Bᵀ and Aᵀ·G rules apply."""
    if a.ndim == 1:
        a = _reshape(a, (1, a.shape[0]))
        g = _reshape(g, g.shape[:-1] + (1,) + g.shape[-1:] if b.ndim > 1 else g.shape + (1,))
    if b.ndim == 1:
        b = _reshape(b, (b.shape[0], 1))
        g = _reshape(g, g.shape + (1,))
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
    return _reshape(gb, gb.shape[:-1]) if b.ndim == 1 else gb  # drop the column axis added for b


def _matmul(a: Any, b: Any) -> Any:
    try:
        return a @ b
    except ValueError:
        raise ValueError(f"matmul: shapes {np.shape(a)} and {np.shape(b)} do not align") from None


def _matmul_jvp(t: Any, out: Any, a: Any, b: Any) -> Any:
    """d(a @ b) = da @ b + a @ db."""
    terms = [t[0] @ b if t[0] is not None else None, a @ t[1] if t[1] is not None else None]
    found = [x for x in terms if x is not None]
    return found[0] if len(found) == 1 else found[0] + found[1]


MATMUL = primitive(
    "@",
    arrays=_matmul,
    rules=[_matmul_grad_a, _matmul_grad_b],
    kind="matmul",
    derivatives=["g·{b}ᵀ", "{a}ᵀ·g"],
    notation="{a} @ {b}",
    precedence=PRODUCT_LEVEL,
    jvp=_matmul_jvp,
)

# --- reductions ----------------------------------------------------------------------------------


def _ties(a: Any, out: Any, axes: tuple[int, ...] | None) -> np.ndarray:
    """1/k at each of the k tied maxima of a reduced slice, 0 elsewhere (a constant)."""
    a, out = _raw(a), _raw(out)
    mask = a == np.reshape(out, kept_shape(a.shape, axes))
    return (mask / mask.sum(axis=axes, keepdims=True)).astype(a.dtype, copy=False)


def _count(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> int:
    return math.prod(shape) if axes is None else math.prod(shape[i] for i in axes)


def _var(a: np.ndarray, *, axes: tuple[int, ...] | None, correction: float, keepdims: bool) -> np.ndarray:
    n = _count(a.shape, axes)
    with np.errstate(divide="ignore", invalid="ignore"):  # n <= correction: inf or nan, as PyTorch
        centred = a - np.add.reduce(a, axis=axes, keepdims=True) / n if n else a
        squares = np.add.reduce(centred * centred, axis=axes, keepdims=keepdims)  # type: ignore[call-overload]
        return squares / max(n - correction, 0) if n else squares * np.nan


def _var_rule(g: Any, out: Any, a: Any, *, axes: Any, correction: float, keepdims: bool) -> Any:
    """d var / d a = 2 (a - mean) / (n - correction): the mean's own dependence on a sums to 0,
    so it is left out, as PyTorch does. No degrees of freedom left (n <= correction): inf, as
    PyTorch's."""
    n = _count(a.shape, axes)
    g = _unreduce(g, a, axes)
    if n <= correction:
        return expand(g * math.inf, a.shape)
    return g * (a - sum_axes(a, axes, True) * (1.0 / n)) * (2.0 / (n - correction))


def _var_jvp(t: Any, out: Any, a: Any, *, axes: Any, correction: float, keepdims: bool) -> Any:
    """d var = 2 Σ (a - mean) da / (n - correction) (the mean's own change sums to 0)."""
    n = _count(a.shape, axes)
    if n <= correction:
        return sum_axes(t[0] * math.inf, axes, keepdims)
    return sum_axes(t[0] * (a - sum_axes(a, axes, True) * (1.0 / n)), axes, keepdims) * (
        2.0 / (n - correction)
    )


SUM = primitive(
    "sum",
    arrays=lambda a, *, axes, keepdims: np.add.reduce(a, axis=axes, keepdims=keepdims),
    rules=[lambda g, out, a, *, axes, keepdims: expand(_unreduce(g, a, axes), a.shape)],
    kind="reduction",
    derivatives=["1"],
    notation="Σ{a}",
    jvp=lambda t, out, a, *, axes, keepdims: sum_axes(t[0], axes, keepdims),
)
MAX = primitive(
    "max",
    arrays=lambda a, *, axes, keepdims: np.max(a, axis=axes, keepdims=keepdims),
    # The gradient goes to the arg-max; k tied maxima get 1/k each (as torch.amax).
    rules=[lambda g, out, a, *, axes, keepdims: _unreduce(g, a, axes) * _ties(a, out, axes)],
    kind="reduction",
    derivatives=["1 at the maximum"],
    jvp=lambda t, out, a, *, axes, keepdims: sum_axes(t[0] * _ties(a, out, axes), axes, keepdims),
)
VAR = primitive(
    "var",
    arrays=_var,
    rules=[_var_rule],
    kind="reduction",
    derivatives=["2({a} - mean)/(n - correction)"],
    jvp=_var_jvp,
)


def _cumsum(x: Any, axis: int) -> Any:
    return np.cumsum(x, axis=axis) if _is_array(x) else CUMSUM(x, axis=axis)


def _cumsum_rule(g: Any, out: Any, a: Any, *, axis: int) -> Any:
    """Element i of the input is in every running sum from i on: its gradient is the sum of g
    from i to the end (a running sum taken backwards)."""
    backwards = (slice(None),) * axis + (slice(None, None, -1),)
    return _index(_cumsum(_index(g, backwards), axis), backwards)


CUMSUM = primitive(
    "cumsum",
    arrays=lambda a, *, axis: np.cumsum(a, axis=axis),
    rules=[_cumsum_rule],
    kind="reduction",
    derivatives=["1 for each later sum"],
    jvp=lambda t, out, a, *, axis: _cumsum(t[0], axis),
)

# --- shapes and indexing -------------------------------------------------------------------------

RESHAPE = primitive(
    "reshape",
    arrays=lambda a, *, shape: a.reshape(shape),
    rules=[lambda g, out, a, *, shape: _reshape(g, a.shape)],
    kind="shape",
    derivatives=["1"],
    jvp=lambda t, out, a, *, shape: _reshape(t[0], shape),
)
TRANSPOSE = primitive(
    "transpose",
    arrays=lambda a, *, axes: a.transpose(axes),
    rules=[lambda g, out, a, *, axes: _transpose(g, tuple(int(i) for i in np.argsort(axes)))],
    kind="shape",
    derivatives=["1"],
    notation="{a}ᵀ",
    jvp=lambda t, out, a, *, axes: _transpose(t[0], axes),
)
BROADCAST: Primitive = primitive(
    "broadcast",
    arrays=lambda a, *, shape: np.broadcast_to(a, shape),
    rules=[lambda g, out, a, *, shape: g],  # summed back to a's shape by the engine
    kind="shape",
    derivatives=["1"],
    jvp=lambda t, out, a, *, shape: expand(t[0], shape),
)
GETITEM = primitive(
    "[]",
    arrays=lambda a, *, index, repeats: a[index],
    rules=[lambda g, out, a, *, index, repeats: _scatter(g, index, a.shape, repeats)],
    kind="indexing",
    derivatives=["1 at the picked elements"],
    notation="{a}[…]",
    jvp=lambda t, out, a, *, index, repeats: _index(t[0], index),
)
SCATTER = primitive(
    "scatter",
    arrays=lambda a, *, index, shape, repeats: _scatter(a, index, shape, repeats),
    rules=[lambda g, out, a, *, index, shape, repeats: _index(g, index)],
    kind="indexing",
    derivatives=["1 at the scattered elements"],
    jvp=lambda t, out, a, *, index, shape, repeats: _scatter(t[0], index, shape, repeats),
)


def _put(base: np.ndarray, value: Any, *, index: Any) -> np.ndarray:
    out = base.copy()
    out[index] = value
    return out


def _picked(shape: tuple[int, ...], index: Any) -> np.ndarray:
    """True at the elements ``index`` picks (a constant mask)."""
    mask = np.zeros(shape, dtype=bool)
    mask[index] = True
    return mask


def _zero_like(x: Any) -> Any:
    return np.zeros_like(x) if _is_array(x) else x * 0.0


def _setitem_jvp(t: Any, out: Any, base: Any, value: Any, *, index: Any) -> Any:
    """t[index] = v is linear in (t, v) together: the tangents put the same way."""
    tb = t[0] if t[0] is not None else _zero_like(base)
    tv = t[1] if t[1] is not None else _zero_like(value)
    return _put(tb, tv, index=index) if _is_array(tb) and _is_array(tv) else SETITEM(tb, tv, index=index)


SETITEM = primitive(
    "[]=",
    arrays=_put,
    # t[index] = value as a new node: t's gradient passes where nothing was written, the
    # value's is what reaches the elements it wrote (the engine sums it to the value's shape).
    rules=[
        lambda g, out, base, value, *, index: where(_picked(base.shape, index), 0.0, g),
        lambda g, out, base, value, *, index: _index(g, index),
    ],
    kind="indexing",
    derivatives=["1 where nothing was written, else 0", "1 at the written elements"],
    notation="{a}[…] = {b}",
    jvp=_setitem_jvp,
)


def _cat_rule(g: Any, out: Any, x: Any, *, position: int, axis: int, bounds: tuple[int, ...]) -> Any:
    """The gradient of operand ``position`` of a concatenation: its slice of g along ``axis``
    (``bounds``: where each operand starts, so that each rule is O(1), not O(n))."""
    return _index(g, (slice(None),) * axis + (slice(bounds[position], bounds[position + 1]),))


def _cat_jvp(t: Any, out: Any, *xs: Any, axis: int, bounds: tuple[int, ...]) -> Any:
    """A concatenation is linear: the tangents concatenated (zeros where an operand has none)."""
    parts = [tx if tx is not None else _zero_like(x) for tx, x in zip(t, xs)]
    if all(_is_array(p) for p in parts):
        return np.concatenate(parts, axis=axis)
    return CAT(*parts, axis=axis, bounds=bounds)


CAT = primitive(
    "cat",
    arrays=lambda *xs, axis, bounds: np.concatenate(xs, axis=axis),
    rules=[_cat_rule],
    kind="join",
    derivatives=["1 on its own slice"],
    variadic=True,
    jvp=_cat_jvp,
)
CAST: Primitive = primitive(
    "cast",
    arrays=lambda a, *, dtype: a.astype(dtype),
    rules=[lambda g, out, a, *, dtype: CAST(g, dtype=a.dtype)],  # back to the input's dtype
    kind="shape",
    derivatives=["1"],
    jvp=lambda t, out, a, *, dtype: CAST(t[0], dtype=dtype),
)

# --- selections ------------------------------------------------------------------------------


def _clamp_rule(g: Any, out: Any, a: Any, *, low: float | None, high: float | None) -> Any:
    # The gradient passes where low <= a <= high, the bounds included (as PyTorch's clamp).
    inside = None
    if low is not None:
        inside = _raw(a) >= low
    if high is not None:
        below = _raw(a) <= high
        inside = below if inside is None else inside & below
    return g if inside is None else where(inside, g, 0.0)


CLAMP = primitive(
    "clamp",
    arrays=lambda a, *, low, high: np.clip(a, low, high),
    rules=[_clamp_rule],
    derivatives=["1 between the bounds, else 0"],
)
WHERE = primitive(
    "where",
    arrays=lambda x, y, *, cond: np.where(cond, x, y),
    rules=[
        lambda g, out, x, y, *, cond: where(cond, g, 0.0),
        lambda g, out, x, y, *, cond: where(cond, 0.0, g),
    ],
    derivatives=["1 where the condition holds, else 0", "0 where the condition holds, else 1"],
)

# --- softmax -------------------------------------------------------------------------------------


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
    top = np.where(top == -np.inf, 0.0, top)  # a row of -inf stays -inf - -inf = nan, as PyTorch
    with np.errstate(divide="ignore", invalid="ignore"):  # +inf: inf - inf = nan, as PyTorch
        z = a - top
        return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


SOFTMAX = primitive(
    "softmax",
    arrays=_softmax,
    rules=[lambda g, out, a, *, axis: out * (g - sum_axes(g * out, (axis,), True))],
    kind="normalization",
    derivatives=["softmax·(1 - softmax)"],
    jvp=lambda t, out, a, *, axis: out * (t[0] - sum_axes(t[0] * out, (axis,), True)),
)
LOG_SOFTMAX = primitive(
    "log_softmax",
    arrays=_log_softmax,
    rules=[lambda g, out, a, *, axis: g - EXP(out) * sum_axes(g, (axis,), True)],
    kind="normalization",
    derivatives=["1 - softmax"],
    jvp=lambda t, out, a, *, axis: t[0] - sum_axes(EXP(out) * t[0], (axis,), True),
)

__all__ = [name for name, value in list(globals().items()) if isinstance(value, Primitive)]
__all__ += ["expand", "kept_shape", "sum_axes"]

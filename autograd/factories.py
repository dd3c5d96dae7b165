"""Making Tensors, and combining them, as PyTorch spells it: ``zeros ones full arange eye randn
rand randint zeros_like ones_like``, ``cat stack where maximum minimum``, ``manual_seed``, and the
dtype names ``float32 float64 int64 ...``.

Floating factories give float64 unless told otherwise (PyTorch's default is float32: here numpy's
precision is the default, and ``dtype=autograd.float32`` is one word away). ``randn``, ``rand``,
``randint`` and nn's initialisation draw from one generator that `manual_seed` resets.

>>> import autograd
>>> _ = autograd.manual_seed(0)
>>> autograd.zeros(2, 3).shape, autograd.arange(4).tolist(), autograd.randn(2, dtype=autograd.float32).dtype
((2, 3), [0, 1, 2, 3], dtype('float32'))
>>> x = autograd.ones(2, requires_grad=True)
>>> autograd.stack([x, 2 * x]).sum().backward()
>>> x.grad
Tensor([3., 3.])
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import random
from autograd.primitive import _REGISTRY
from autograd.tensors import Tensor

__all__ = [
    "Generator",
    "bool_",
    "cat",
    "eye",
    "float16",
    "float32",
    "float64",
    "full",
    "multinomial",
    "int32",
    "int64",
    "long",
    "manual_seed",
    "maximum",
    "minimum",
    "ones",
    "ones_like",
    "arange",
    "rand",
    "randint",
    "randn",
    "randperm",
    "stack",
    "tensor",
    "where",
    "zeros",
    "zeros_like",
]

# PyTorch's dtype names, as numpy dtypes: `dtype=autograd.float32` reads as `dtype=torch.float32`.
float16, float32, float64 = np.dtype("float16"), np.dtype("float32"), np.dtype("float64")
int32, int64, bool_ = np.dtype("int32"), np.dtype("int64"), np.dtype("bool")
long = int64

Generator = random.Generator


def manual_seed(seed: int) -> random.Generator:
    """Seed the default generator (``randn``, ``rand``, ``randint``, ``multinomial``, nn's initial
    weights and dropout), as ``torch.manual_seed``: the same seed and the same calls give the same
    numbers as PyTorch's CPU generator. Returns that generator.

    >>> import autograd
    >>> _ = autograd.manual_seed(7); a = autograd.randn(3)
    >>> _ = autograd.manual_seed(7); bool((autograd.randn(3) == a).all())
    True
    """
    return random.manual_seed(seed)


def as_dtype(op: str, dtype: Any, default: Any) -> np.dtype:
    """``dtype`` as a numpy dtype (``default`` for None): Python's ``float`` is float64, ``int``
    int64; anything not a real number type is a TypeError naming ``op``."""
    if dtype is None:
        return np.dtype(default)
    if dtype is float:
        return float64
    if dtype is int:
        return int64
    try:
        found = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{op}: dtype must be a numpy dtype or its name, got {dtype!r}") from None
    if found.kind not in "biuf":
        raise TypeError(f"{op}: dtype must be a real number type, got {found}")
    return found


def _size(op: str, size: tuple[Any, ...]) -> tuple[int, ...]:
    """``f(2, 3)`` or ``f((2, 3))``: non-negative ints."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for n in size:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"{op}: sizes must be ints, got {n!r}")
        if n < 0:
            raise ValueError(f"{op}: sizes must be >= 0, got {n}")
    shape = tuple(int(n) for n in size)
    if any(n >= 2**63 for n in shape) or math.prod(shape) >= 2**63:  # (numpy's limit)
        raise ValueError(f"{op}: {shape} is too large for a tensor")
    return shape


def _made(op: str, data: np.ndarray, requires_grad: bool) -> Tensor:
    if requires_grad and data.dtype.kind != "f":
        raise TypeError(f"{op}: only floating-point tensors can require grad, got {data.dtype}")
    return Tensor(data, requires_grad=requires_grad)


def tensor(data: Any, *, dtype: Any = None, requires_grad: bool = False, default: Any = float64) -> Tensor:
    """A new Tensor holding a copy of ``data`` (PyTorch's ``torch.tensor``): Python floats give
    the default float dtype (float64 here; scratchgrad's is float32), ints int64, bools bool;
    arrays and Tensors keep their dtype; ``dtype=`` chooses.

    >>> import autograd
    >>> autograd.tensor([[1, 2], [3, 4]]).dtype, autograd.tensor([0.5]).dtype
    (dtype('int64'), dtype('float64'))
    """
    if isinstance(data, Tensor):
        arr = data._data.copy()
    elif isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        arr = np.array([np.asarray(x._data) if isinstance(x, Tensor) else x for x in data])
    else:
        arr = np.array(Tensor(data)._data if not isinstance(data, np.ndarray) else data, copy=True)
        if not isinstance(data, (np.ndarray, np.generic)):
            arr = arr.astype(_inferred(data, default), copy=False)
    if dtype is not None:
        arr = arr.astype(as_dtype("tensor", dtype, default), copy=False)
    return Tensor(arr, requires_grad=requires_grad)


def _inferred(data: Any, default: Any) -> np.dtype:
    """PyTorch's dtype for Python data: bool if all are bools, int64 if all are ints, else the
    default float dtype."""
    items = np.asarray(data, dtype=object).ravel() if isinstance(data, (list, tuple)) else [data]
    if len(items) and all(isinstance(x, (bool, np.bool_)) for x in items):
        return bool_
    if len(items) and all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in items):
        return int64
    return np.dtype(default)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of shape ``size`` (float64 by default)."""
    return _made(
        "zeros", np.zeros(_size("zeros", size), dtype=as_dtype("zeros", dtype, float64)), requires_grad
    )


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of shape ``size`` (float64 by default)."""
    return _made("ones", np.ones(_size("ones", size), dtype=as_dtype("ones", dtype, float64)), requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape ``size`` holding ``fill_value`` (int64 for an int, bool for a bool, else
    float64, unless ``dtype`` says otherwise, as PyTorch infers it)."""
    if not isinstance(fill_value, (numbers.Real, np.bool_)):
        raise TypeError(f"full: fill_value must be a real number, got {type(fill_value).__name__}")
    default = (
        bool_
        if isinstance(fill_value, (bool, np.bool_))
        else int64
        if isinstance(fill_value, numbers.Integral)
        else float64
    )
    shape = _size("full", tuple(size) if isinstance(size, (tuple, list)) else (size,))
    return _made("full", np.full(shape, fill_value, dtype=as_dtype("full", dtype, default)), requires_grad)


def arange(
    start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """``start, start + step, ...`` up to ``end`` (not included); ``arange(n)`` is 0 .. n-1. Ints
    give int64 (indices), any float gives float64, as PyTorch.

    >>> arange(1, 2, 0.25).tolist()
    [1.0, 1.25, 1.5, 1.75]
    """
    if end is None:
        start, end = 0, start
    for name, v in (("start", start), ("end", end), ("step", step)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise TypeError(f"arange: {name} must be a number, got {type(v).__name__}")
        if not np.isfinite(float(v)):
            raise ValueError(f"arange: {name} must be finite, got {v!r}")
    if step == 0:
        raise ValueError("arange: step must not be 0")
    integral = all(isinstance(v, numbers.Integral) for v in (start, end, step))
    data = np.arange(start, end, step, dtype=as_dtype("arange", dtype, int64 if integral else float64))
    return _made("arange", data, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The n x m identity matrix (n x n by default)."""
    rows, cols = _size("eye", (n, n if m is None else m))
    return _made("eye", np.eye(rows, cols, dtype=as_dtype("eye", dtype, float64)), requires_grad)


def randn(*size: Any, generator: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal numbers, PyTorch's for the same seed (float64 by default here).

    >>> import autograd
    >>> g = autograd.Generator().manual_seed(0)
    >>> autograd.randn(3, generator=g, dtype=autograd.float32).tolist()  # torch.randn(3, generator=g)
    [1.5409960746765137, -0.293428897857666, -2.1787893772125244]
    """
    kind = _float("randn", dtype)
    return _made("randn", random.randn(_size("randn", size), generator, kind), requires_grad)


def rand(*size: Any, generator: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform numbers in [0, 1), PyTorch's for the same seed (float64 by default here)."""
    kind = _float("rand", dtype)
    return _made("rand", random.rand(_size("rand", size), generator, kind), requires_grad)


def randint(
    low: int, high: int | None = None, size: Any = (), *, generator: Any = None, dtype: Any = None
) -> Tensor:
    """Integers in [low, high) (``randint(high, size)`` is from 0, as PyTorch's), int64 by
    default, PyTorch's for the same seed.

    >>> import autograd
    >>> g = autograd.Generator().manual_seed(2147483647)
    >>> autograd.randint(0, 27, (5,), generator=g).tolist()
    [0, 26, 16, 12, 5]
    """
    if high is None or isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, (size if high is None else high)
    for name, v in (("low", low), ("high", high)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"randint: {name} must be an int, got {type(v).__name__}")
    if high <= low:
        raise ValueError(f"randint: high ({high}) must be greater than low ({low})")
    shape = _size("randint", tuple(size) if isinstance(size, (tuple, list)) else (size,))
    return Tensor(random.randint(int(low), int(high), shape, generator, as_dtype("randint", dtype, int64)))


def randperm(n: int, *, generator: Any = None, dtype: Any = None) -> Tensor:
    """A random permutation of 0 .. n-1 (int64), PyTorch's for the same seed."""
    return Tensor(random.randperm(n, generator).astype(as_dtype("randperm", dtype, int64), copy=False))


def multinomial(input: Any, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
    """``num_samples`` indices drawn by the weights ``input`` (1-D, or 2-D row by row), with or
    without replacement, PyTorch's for the same seed (makemore samples names this way).

    >>> import autograd
    >>> g = autograd.Generator().manual_seed(2147483647)
    >>> autograd.multinomial(autograd.tensor([0.6, 0.3, 0.1]), 1, generator=g).tolist()
    [0]
    """
    probs = np.asarray(getattr(input, "_data", input))
    return Tensor(random.multinomial(probs, num_samples, replacement, generator))


def _float(op: str, dtype: Any) -> np.dtype:
    kind = as_dtype(op, dtype, float64)
    if kind.kind != "f":
        raise TypeError(f"{op}: dtype must be a float type, got {kind}")
    return kind


def zeros_like(t: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of ``t``'s shape and dtype."""
    data = np.asarray(getattr(t, "_data", t))
    return _made(
        "zeros_like", np.zeros(data.shape, dtype=as_dtype("zeros_like", dtype, data.dtype)), requires_grad
    )


def ones_like(t: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of ``t``'s shape and dtype."""
    data = np.asarray(getattr(t, "_data", t))
    return _made(
        "ones_like", np.ones(data.shape, dtype=as_dtype("ones_like", dtype, data.dtype)), requires_grad
    )


# --- combining tensors -----------------------------------------------------------------------------


def cat(tensors: Sequence[Any], dim: int = 0) -> Tensor:
    """The tensors joined along the existing axis ``dim``; each gets back its own slice of the
    gradient.

    >>> cat([zeros(2, 3), ones(1, 3)]).shape
    (3, 3)
    """
    return Tensor._cat(tensors, dim)


def stack(tensors: Sequence[Any], dim: int = 0) -> Tensor:
    """The tensors (all of one shape) stacked along a new axis ``dim``.

    >>> stack([zeros(3), ones(3)], dim=1).shape
    (3, 2)
    """
    return Tensor._stack(tensors, dim)


def where(cond: Any, a: Any, b: Any) -> Any:
    """``a`` where ``cond`` (booleans) holds, ``b`` elsewhere, broadcast together; the gradient
    goes to the side that was picked (a selection: an infinite gradient never meets a 0). One
    bool picks one side as it is (for Values: ``where(x.data > 0, x, 0.0)``).

    >>> where(Tensor([1.0, -1.0]) > 0, Tensor([10.0, 10.0]), 0.0).tolist()
    [10.0, 0.0]
    """
    if isinstance(cond, (bool, np.bool_)):
        return a if cond else b
    return Tensor._where(cond, a, b)


def maximum(a: Any, b: Any) -> Any:
    """The elementwise maximum of two Tensors (or Values, or a node and a number); a tie sends
    half the gradient to each side, as PyTorch."""
    return _REGISTRY["maximum"](a, b)


def minimum(a: Any, b: Any) -> Any:
    """The elementwise minimum (see `maximum`)."""
    return _REGISTRY["minimum"](a, b)

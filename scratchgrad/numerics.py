"""Comparing tensors and counting their values as PyTorch does: ``allclose``, ``isclose``,
``equal``, ``histc`` and ``histogram``, on the numbers (none of them is differentiated).

The arithmetic is PyTorch's, in the tensor's own dtype: ``isclose`` tests
``|a - b| <= atol + |rtol * b|`` in float32 for float32 tensors, and the histograms take their
bin edges from `linspace` and count each element where PyTorch's kernels count it.

>>> import scratchgrad as torch
>>> torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-6]))
True
>>> hist, edges = torch.histogram(torch.tensor([0.0, 1.0, 1.0, 3.0]), bins=3)
>>> hist.tolist(), edges.tolist()
([1.0, 2.0, 1.0], [0.0, 1.0, 2.0, 3.0])
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor
from scratchgrad import dtypes
from scratchgrad.factories import linspace

__all__ = ["allclose", "equal", "histc", "histogram", "isclose"]


def _numbers(op: str, x: Any, name: str = "input") -> np.ndarray:
    if not isinstance(x, Tensor):
        raise TypeError(f"scratchgrad.{op}: {name} must be a Tensor, got {type(x).__name__}")
    return x.detach().numpy()


def isclose(
    input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """Elementwise ``|input - other| <= atol + |rtol * other|`` (equal infinities are close; NaN
    only with ``equal_nan``), a bool tensor; both tensors must have one dtype, as in PyTorch."""
    a, b = _numbers("isclose", input), _numbers("isclose", other, "other")
    if a.dtype != b.dtype:
        raise TypeError(f"isclose: expected both tensors to have one dtype, got {a.dtype} and {b.dtype}")
    if rtol < 0 or atol < 0:
        raise ValueError(f"isclose: rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
    close = np.asarray(a == b)
    if equal_nan:
        close = close | (np.isnan(a) & np.isnan(b))
    if a.dtype.kind in "biu":  # integers: the allowed error is a float, as PyTorch promotes it
        a, b = (x.astype(dtypes.get_default_dtype()) for x in (a, b))
    with np.errstate(invalid="ignore", over="ignore"):
        allowed = atol + np.abs(rtol * b)
        actual = np.abs(a - b)
        close = close | (np.isfinite(actual) & (actual <= allowed))
    return Tensor(np.asarray(close))


def allclose(
    input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """Whether every element is close (see `isclose`): a Python bool."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all().item())


def equal(input: Any, other: Any) -> bool:
    """Whether the two tensors have one shape and the same elements: a Python bool."""
    a, b = _numbers("equal", input), _numbers("equal", other, "other")
    return a.shape == b.shape and bool((a == b).all())


class Histogram(NamedTuple):
    """`histogram`'s result: the counts (or densities) and the ``bins + 1`` edges."""

    hist: Tensor
    bin_edges: Tensor


def _outer_edges(op: str, data: np.ndarray, low: float, high: float, widen: float) -> tuple[float, float]:
    if low == high and data.size:  # no range given: the data's own
        low, high = float(data.min()), float(data.max())
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"{op}: range of [{low}, {high}] is not finite")
    if low > high:
        raise ValueError(f"{op}: max must be larger than min, got min {low} and max {high}")
    return (low - widen, high + widen) if low == high else (low, high)


def _bins(op: str, bins: Any) -> int:
    if isinstance(bins, (bool, np.bool_)) or not isinstance(bins, (int, np.integer)):
        raise TypeError(f"{op}: bins must be an int or a 1-D tensor of edges, got {type(bins).__name__}")
    if bins <= 0:
        raise ValueError(f"{op}: bins must be > 0, got {bins}")
    if bins >= 2**60:
        raise ValueError(f"{op}: {bins} bins are more than an array can hold")
    return int(bins)


def _bound(name: str, x: Any) -> float:
    if isinstance(x, Tensor) and x.numel() == 1:
        x = x.item()
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"histc: {name} must be a number, got {type(x).__name__}")
    try:
        return float(x)
    except OverflowError:
        raise ValueError(
            f"histc: {name} is too large for a float, got an int of {len(str(x))} digits"
        ) from None


def histc(input: Any, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    """The counts of ``bins`` equal bins from ``min`` to ``max`` (the data's own range when both
    are 0), in ``input``'s dtype; elements outside are not counted.

    >>> import scratchgrad as torch
    >>> torch.histc(torch.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3).tolist()
    [0.0, 2.0, 1.0, 0.0]
    """
    data = _numbers("histc", input).ravel()
    if data.dtype.kind != "f":
        raise TypeError(f"histc: expected a floating-point tensor, got {data.dtype}")
    n = _bins("histc", bins)
    low, high = _outer_edges("histc", data, _bound("min", min), _bound("max", max), 1.0)
    edges = linspace(low, high, n + 1, dtype=data.dtype).numpy()
    left, right = edges[0], edges[-1]
    inside = data[(data >= left) & (data <= right)]
    with np.errstate(invalid="ignore", divide="ignore"):  # PyTorch's division, in the dtype
        pos = ((inside - left) * data.dtype.type(n) / (right - left)).astype(np.int64)
    pos[pos == n] = n - 1
    return Tensor(np.bincount(pos, minlength=n).astype(data.dtype))


def histogram(
    input: Any, bins: Any = 100, *, range: Any = None, weight: Any = None, density: bool = False
) -> Histogram:
    """``(hist, bin_edges)``: the counts (or the weights' sums) of ``input``'s elements in each
    bin, and the edges. ``bins`` is a number of equal bins over ``range`` (the data's own range
    by default) or a 1-D tensor of increasing edges; the last bin includes its right edge.
    ``density=True`` scales the counts so that they integrate to 1.

    >>> import scratchgrad as torch
    >>> hist, edges = torch.histogram(torch.tensor([1.0, 2.0, 1.0, 4.0]), bins=3, density=True)
    >>> round(float((hist * (edges[1:] - edges[:-1])).sum()), 6)
    1.0
    """
    data = _numbers("histogram", input).ravel()
    if data.dtype.kind != "f":
        raise TypeError(f"histogram: expected a floating-point tensor, got {data.dtype}")
    if isinstance(bins, Tensor):
        edges = _numbers("histogram", bins, "bins").astype(data.dtype)
        if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) < 0):
            raise ValueError("histogram: bins must be a 1-D tensor of at least 2 increasing edges")
    else:
        n = _bins("histogram", bins)
        low, high = (0.0, 0.0) if range is None else (float(range[0]), float(range[1]))
        low, high = _outer_edges("histogram", data, low, high, 0.5)
        edges = linspace(low, high, n + 1, dtype=data.dtype).numpy()
    count = edges.size - 1
    weights = None if weight is None else _numbers("histogram", weight, "weight").ravel()
    if weights is not None and weights.shape != data.shape:
        raise ValueError(f"histogram: weight must have the input's shape {input.shape}")
    keep = (data >= edges[0]) & (data <= edges[-1])
    pos = np.searchsorted(edges, data[keep], side="right") - 1
    pos[pos == count] = count - 1  # the last bin includes its right edge
    picked = None if weights is None else weights[keep]
    hist = np.bincount(pos, weights=picked, minlength=count).astype(data.dtype)
    if density:
        hist = hist / data.dtype.type(hist.sum()) / np.diff(edges)
    return Histogram(Tensor(hist), Tensor(edges))

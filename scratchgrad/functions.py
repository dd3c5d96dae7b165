"""PyTorch's function forms (``torch.tanh(x)``, ``torch.sum(x, 1)``, ``torch.cat([a, b], 1)``):
each is the Tensor's own method, or autograd's function, under PyTorch's name and signature, so
values, dtypes and gradients are the methods'. A function given something other than a Tensor
raises TypeError naming it.

>>> import scratchgrad as torch
>>> x = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
>>> torch.sum(torch.tanh(x), 1).shape, torch.max(x, 1).indices.tolist(), torch.unbind(x, 1)[0].tolist()
((2,), [0, 0], [1.0, 3.0])
"""

from __future__ import annotations

import builtins
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Tensor
from scratchgrad import dtypes

__all__ = [
    "chunk",
    "cumsum",
    "flip",
    "gather",
    "sort",
    "split",
    "topk",
    "abs",
    "add",
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "bmm",
    "cat",
    "clamp",
    "clip",
    "clone",
    "concat",
    "detach",
    "div",
    "erf",
    "exp",
    "flatten",
    "isinf",
    "isnan",
    "log",
    "log10",
    "log2",
    "log_softmax",
    "masked_fill",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mm",
    "mul",
    "neg",
    "negative",
    "numel",
    "permute",
    "pow",
    "relu",
    "reshape",
    "rsqrt",
    "sigmoid",
    "softmax",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "sub",
    "sum",
    "t",
    "tanh",
    "transpose",
    "tril",
    "triu",
    "unbind",
    "unsqueeze",
    "var",
    "where",
]


def _tensor(op: str, x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"scratchgrad.{op}: expected a Tensor, got {type(x).__name__}")
    return x


def _operand(op: str, name: str, x: Any) -> Any:
    """A second operand: a Tensor or a real number (a bool counts, as in PyTorch)."""
    if isinstance(x, (Tensor, numbers.Real, np.bool_)):
        return x
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":  # numpy's arrays mix in, as with the operators
        return x
    raise TypeError(f"scratchgrad.{op}: {name} must be a Tensor or a number, got {type(x).__name__}")


def _broadcast(op: str, *operands: Any) -> None:
    """The operands' shapes must broadcast together (numbers count as shape ())."""
    shapes = [tuple(getattr(x, "shape", ())) for x in operands]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = " and ".join(str(s) for s in shapes)
        raise ValueError(f"scratchgrad.{op}: shapes {listed} do not broadcast together") from None


def _ints(op: str, name: str, values: Any) -> tuple[int, ...]:
    """A tuple or list of ints (PyTorch's "tuple of ints"), as a tuple."""
    if not isinstance(values, (tuple, list)):
        raise TypeError(f"scratchgrad.{op}: {name} must be a tuple of ints, got {type(values).__name__}")
    for v in values:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"scratchgrad.{op}: {name} must be a tuple of ints, got {v!r} in it")
    return tuple(int(v) for v in values)


def _flag(op: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"scratchgrad.{op}: {name} must be True or False, got {type(value).__name__}")
    return bool(value)


def _as(op: str, x: Tensor, dtype: Any) -> Tensor:
    """``x`` cast to ``dtype`` first (PyTorch's ``dtype=`` on reductions and softmax)."""
    kind = dtypes.resolve(op, dtype)
    return x if kind is None else x.to(kind)


# --- elementwise ----------------------------------------------------------------------------------


def abs(input: Any) -> Tensor:  # noqa: A001 - PyTorch's name
    """|x| elementwise."""
    return _tensor("abs", input).abs()


def exp(input: Any) -> Tensor:
    """e**x elementwise."""
    return _tensor("exp", input).exp()


def log(input: Any) -> Tensor:
    """The natural logarithm elementwise."""
    return _tensor("log", input).log()


def log10(input: Any) -> Tensor:
    """The base-10 logarithm elementwise."""
    return _tensor("log10", input).log10()


def log2(input: Any) -> Tensor:
    """The base-2 logarithm elementwise."""
    return _tensor("log2", input).log2()


def sqrt(input: Any) -> Tensor:
    """The square root elementwise."""
    return _tensor("sqrt", input).sqrt()


def rsqrt(input: Any) -> Tensor:
    """1 / sqrt(x) elementwise."""
    return _tensor("rsqrt", input) ** -0.5


def square(input: Any) -> Tensor:
    """x**2 elementwise."""
    return _tensor("square", input) ** 2


def tanh(input: Any) -> Tensor:
    """tanh elementwise."""
    return _tensor("tanh", input).tanh()


def sigmoid(input: Any) -> Tensor:
    """1 / (1 + e**-x) elementwise."""
    return _tensor("sigmoid", input).sigmoid()


def relu(input: Any) -> Tensor:
    """max(x, 0) elementwise."""
    return _tensor("relu", input).relu()


def erf(input: Any) -> Tensor:
    """The error function elementwise."""
    return _tensor("erf", input).erf()


def isnan(input: Any) -> Tensor:
    """Where the elements are NaN: a bool tensor."""
    return Tensor(np.isnan(_tensor("isnan", input).detach().numpy()))


def isinf(input: Any) -> Tensor:
    """Where the elements are +inf or -inf: a bool tensor."""
    return Tensor(np.isinf(_tensor("isinf", input).detach().numpy()))


def neg(input: Any) -> Tensor:
    """-x elementwise."""
    return -_tensor("neg", input)


negative = neg


def clamp(input: Any, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002 - PyTorch's names
    """Each element limited to [min, max] (either may be None)."""
    return _tensor("clamp", input).clamp(min, max)


clip = clamp


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input + alpha * other."""
    x, other, alpha = _tensor("add", input), _operand("add", "other", other), _operand("add", "alpha", alpha)
    return x + (other if alpha == 1 else alpha * other)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input - alpha * other."""
    x, other, alpha = _tensor("sub", input), _operand("sub", "other", other), _operand("sub", "alpha", alpha)
    return x - (other if alpha == 1 else alpha * other)


def mul(input: Any, other: Any) -> Tensor:
    """input * other, broadcast."""
    return _tensor("mul", input) * _operand("mul", "other", other)


def div(input: Any, other: Any) -> Tensor:
    """input / other (true division), broadcast."""
    return _tensor("div", input) / _operand("div", "other", other)


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001 - PyTorch's name
    """input ** exponent (a number, or a Tensor: then ``input`` may be a number too)."""
    if not isinstance(input, Tensor) and isinstance(exponent, Tensor):
        return _operand("pow", "input", input) ** exponent
    return _tensor("pow", input) ** _operand("pow", "exponent", exponent)


def matmul(input: Any, other: Any) -> Tensor:
    """The matrix product (1-D, 2-D, batched), as ``@``."""
    x = _tensor("matmul", input)
    if not isinstance(other, Tensor):
        raise TypeError(f"scratchgrad.matmul: other must be a Tensor, got {type(other).__name__}")
    return x @ other


def mm(input: Any, mat2: Any) -> Tensor:
    """The product of two matrices (2-D only)."""
    if _tensor("mm", input).ndim != 2 or _tensor("mm", mat2).ndim != 2:
        raise ValueError(f"mm: expected two matrices, got shapes {input.shape} and {mat2.shape}")
    return input @ mat2


def bmm(input: Any, mat2: Any) -> Tensor:
    """Batched matrix products: (b, n, m) @ (b, m, p)."""
    a, b = _tensor("bmm", input), _tensor("bmm", mat2)
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0]:
        raise ValueError(f"bmm: expected two 3-D tensors of one batch size, got {a.shape} and {b.shape}")
    return input @ mat2


def maximum(input: Any, other: Any) -> Tensor:
    """The larger of the two elementwise, broadcast (ties share the gradient)."""
    x, y = _operand("maximum", "input", input), _operand("maximum", "other", other)
    _broadcast("maximum", x, y)
    return autograd.maximum(x, y)


def minimum(input: Any, other: Any) -> Tensor:
    """The smaller of the two elementwise, broadcast (ties share the gradient)."""
    x, y = _operand("minimum", "input", input), _operand("minimum", "other", other)
    _broadcast("minimum", x, y)
    return autograd.minimum(x, y)


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """``input`` where ``condition`` holds, ``other`` elsewhere (numbers broadcast too)."""
    x, y = _operand("where", "input", input), _operand("where", "other", other)
    _broadcast("where", condition, x, y)
    scalars = not isinstance(x, (Tensor, np.ndarray)) and not isinstance(y, (Tensor, np.ndarray))
    if scalars and (isinstance(x, float) or isinstance(y, float)):  # floats in the default dtype
        x = Tensor(np.asarray(x, dtype=dtypes.get_default_dtype()))
    return autograd.where(condition, x, y)


def masked_fill(input: Any, mask: Any, value: Any) -> Tensor:
    """``value`` where ``mask`` holds, ``input`` elsewhere."""
    return _tensor("masked_fill", input).masked_fill(mask, value)


# --- reductions -----------------------------------------------------------------------------------


def sum(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001
    """The sum over ``dim`` (an int, a tuple, or None for all)."""
    return _as("sum", _tensor("sum", input), dtype).sum(dim, keepdim)


def mean(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The mean over ``dim``."""
    return _as("mean", _tensor("mean", input), dtype).mean(dim, keepdim)


def var(
    input: Any, dim: Any = None, unbiased: bool = True, keepdim: bool = False, *, correction: Any = None
) -> Tensor:
    """The variance over ``dim``, unbiased by default (``correction=0`` divides by n)."""
    return _tensor("var", input).var(dim, unbiased, keepdim, correction=correction)


def std(
    input: Any, dim: Any = None, unbiased: bool = True, keepdim: bool = False, *, correction: Any = None
) -> Tensor:
    """The standard deviation over ``dim``, unbiased by default."""
    return _tensor("std", input).std(dim, unbiased, keepdim, correction=correction)


def max(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 - PyTorch's name
    """``max(x)``: the largest element; ``max(x, dim)``: the pair ``(values, indices)``;
    ``max(x, other)`` with a Tensor ``other``: the elementwise maximum."""
    if isinstance(dim, Tensor):
        return maximum(_tensor("max", input), dim)
    return _tensor("max", input).max() if dim is None else input.max(dim, keepdim)


def min(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 - PyTorch's name
    """As `max`, for the smallest: an element, ``(values, indices)``, or the elementwise minimum."""
    if isinstance(dim, Tensor):
        return minimum(_tensor("min", input), dim)
    return _tensor("min", input).min() if dim is None else input.min(dim, keepdim)


def amax(input: Any, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The largest elements over ``dim`` (all by default), ties sharing the gradient."""
    return _tensor("amax", input).amax(dim, keepdim)


def amin(input: Any, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The smallest elements over ``dim`` (all by default), ties sharing the gradient."""
    return _tensor("amin", input).amin(dim, keepdim)


def argmax(input: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The index of the largest element along ``dim`` (of the flattened tensor for None)."""
    return _tensor("argmax", input).argmax(dim, keepdim)


def argmin(input: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The index of the smallest element along ``dim`` (of the flattened tensor for None)."""
    return _tensor("argmin", input).argmin(dim, keepdim)


def all(input: Any, dim: Any = None) -> Tensor:  # noqa: A001 - PyTorch's name
    """Whether every element is nonzero (along ``dim``): a bool tensor."""
    return _tensor("all", input).all(dim)


def any(input: Any, dim: Any = None) -> Tensor:  # noqa: A001 - PyTorch's name
    """Whether some element is nonzero (along ``dim``): a bool tensor."""
    return _tensor("any", input).any(dim)


def numel(input: Any) -> int:
    """The number of elements."""
    return _tensor("numel", input).numel()


def softmax(input: Any, dim: int, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim``."""
    return _as("softmax", _tensor("softmax", input), dtype).softmax(dim)


def log_softmax(input: Any, dim: int, dtype: Any = None) -> Tensor:
    """x - log(sum(exp(x))) along ``dim``, computed stably."""
    return _as("log_softmax", _tensor("log_softmax", input), dtype).log_softmax(dim)


# --- shapes and copies ----------------------------------------------------------------------------


def reshape(input: Any, shape: Sequence[int]) -> Tensor:
    """The same elements in the shape ``shape`` (one size may be -1)."""
    return _tensor("reshape", input).reshape(_ints("reshape", "shape", shape))


def flatten(input: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dimensions ``start_dim`` to ``end_dim`` merged into one."""
    return _tensor("flatten", input).flatten(start_dim, end_dim)


def squeeze(input: Any, dim: Any = None) -> Tensor:
    """Dimensions of length 1 removed (only ``dim``, if given)."""
    return _tensor("squeeze", input).squeeze(dim)


def unsqueeze(input: Any, dim: int) -> Tensor:
    """A new dimension of length 1 at ``dim``."""
    return _tensor("unsqueeze", input).unsqueeze(dim)


def transpose(input: Any, dim0: int, dim1: int) -> Tensor:
    """Dimensions ``dim0`` and ``dim1`` swapped."""
    return _tensor("transpose", input).transpose(dim0, dim1)


def t(input: Any) -> Tensor:
    """The transpose of a matrix (a 0-D or 1-D tensor as it is)."""
    x = _tensor("t", input)
    if x.ndim > 2:
        raise ValueError(f"t: expects a tensor with <= 2 dimensions, got shape {x.shape}")
    return x.T


def permute(input: Any, dims: Sequence[int]) -> Tensor:
    """The dimensions in the order ``dims``."""
    return _tensor("permute", input).permute(*_ints("permute", "dims", dims))


def _triangle(op: str, input: Any, diagonal: int, lower: bool) -> Tensor:
    """``input`` with 0 outside the triangle of its last two dimensions (differentiable)."""
    x = _tensor(op, input)
    if isinstance(diagonal, (bool, np.bool_)) or not isinstance(diagonal, (int, np.integer)):
        raise TypeError(f"scratchgrad.{op}: diagonal must be an int, got {type(diagonal).__name__}")
    if x.ndim < 2:
        raise ValueError(f"{op}: expects a tensor of at least 2 dimensions, got shape {x.shape}")
    n, m = x.shape[-2:]
    diagonal = builtins.max(-(n + m), builtins.min(n + m, int(diagonal)))  # beyond: all or nothing kept
    keep = np.tri(n, m, diagonal, dtype=bool) if lower else ~np.tri(n, m, diagonal - 1, dtype=bool)
    return x.masked_fill(~keep, 0)


def tril(input: Any, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dimensions (on and below ``diagonal``), 0 elsewhere.

    >>> import scratchgrad as torch
    >>> torch.tril(torch.ones(3, 3)).tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    return _triangle("tril", input, diagonal, lower=True)


def triu(input: Any, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dimensions (on and above ``diagonal``), 0 elsewhere."""
    return _triangle("triu", input, diagonal, lower=False)


def clone(input: Any) -> Tensor:
    """A copy with its own memory; gradients flow back to ``input``."""
    return _tensor("clone", input).clone()


def detach(input: Any) -> Tensor:
    """The same numbers, out of the graph."""
    return _tensor("detach", input).detach()


def cat(tensors: Sequence[Any], dim: int = 0) -> Tensor:
    """The tensors joined along the existing dimension ``dim``."""
    return autograd.cat(tensors, dim)


concat = cat


def stack(tensors: Sequence[Any], dim: int = 0) -> Tensor:
    """The tensors (all of one shape) stacked along a new dimension ``dim``."""
    return autograd.stack(tensors, dim)


def unbind(input: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along ``dim``, that dimension removed, as a tuple (each one differentiable).

    >>> import scratchgrad as torch
    >>> [t.tolist() for t in torch.unbind(torch.tensor([[1, 2], [3, 4]]), 1)]
    [[1, 3], [2, 4]]
    """
    return _tensor("unbind", input).unbind(dim)


def cumsum(input: Any, dim: int) -> Tensor:
    """Running sums along ``dim``."""
    return _tensor("cumsum", input).cumsum(dim)


def sort(input: Any, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Any:
    """``(values, indices)``: the elements along ``dim`` in order, and where each came from."""
    x, descending = _tensor("sort", input), _flag("sort", "descending", descending)
    return x.sort(dim, descending, stable=_flag("sort", "stable", stable))


def topk(input: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    """``(values, indices)`` of the ``k`` largest (or smallest) elements along ``dim``."""
    x, largest = _tensor("topk", input), _flag("topk", "largest", largest)
    return x.topk(k, dim, largest, _flag("topk", "sorted", sorted))


def gather(input: Any, dim: int, index: Any) -> Tensor:
    """Elements picked along ``dim`` by ``index`` (as ``Tensor.gather``)."""
    return _tensor("gather", input).gather(dim, index)


def split(tensor: Any, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces along ``dim`` of the given size, or of the sizes listed."""
    return _tensor("split", tensor).split(split_size_or_sections, dim)


def chunk(input: Any, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``chunks`` pieces along ``dim``."""
    return _tensor("chunk", input).chunk(chunks, dim)


def flip(input: Any, dims: Sequence[int]) -> Tensor:
    """The elements along each of ``dims`` in reverse order."""
    return _tensor("flip", input).flip(*_ints("flip", "dims", dims))

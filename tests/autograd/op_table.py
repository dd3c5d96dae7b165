"""The one table of ops for the tests: every primitive, and the composites users write, with how to
apply each (the same function for Values and Tensors), its numpy reference, its PyTorch
counterpart, the shapes to try, and where its inputs are drawn.

`tests/autograd/test_ops.py` runs every row on both node kinds (values, first and second order, PyTorch)
and fails when a primitive appears in no row: adding an op is one definition plus one row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from math import erf, sqrt
from typing import Any

import numpy as np

import autograd
from autograd import where

Shapes = tuple[tuple[int, ...], ...]

SCALAR: list[Shapes] = [((),)]
SCALARS: list[Shapes] = [((), ())]
BROADCASTING: list[Shapes] = [((3, 1), (1, 4)), ((), (3, 4)), ((2, 3, 4), (4,)), ((2, 3), (2, 3)), ((), ())]
MATMUL: list[Shapes] = [
    ((3, 4), (4, 5)),
    ((4,), (4, 5)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((2, 3, 4), (4, 5)),
    ((2, 3, 4), (1, 4, 2)),
    ((4,), (2, 4, 3)),
]
UNARY: list[Shapes] = [((3, 4),), ((),), ((2, 3, 2),)]
GATHER = np.array([[3, 0, 0], [1, 2, 1], [0, 0, 3]])
MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])


@dataclass(frozen=True)
class Row:
    """One op. ``fn`` takes Values or Tensors (``scalar`` rows run on Values too, with shape-()
    inputs), ``reference`` ndarrays, ``torch_fn`` torch tensors (None: as ``fn``). ``domain`` is
    where inputs are drawn; ``kink`` keeps them this far from 0 (relu, max, abs are not
    differentiable there); ``smooth`` ops are checked to second order. ``derivative`` is the
    closed form of a scalar op's gradient."""

    name: str
    fn: Callable[..., Any]
    reference: Callable[..., Any]
    shapes: list[Shapes]
    torch_fn: Callable[..., Any] | None = None
    domain: tuple[float, float] = (-2.0, 2.0)
    kink: float = 0.0
    smooth: bool = True
    scalar: bool = False
    derivative: Callable[..., tuple[float, ...]] | None = field(default=None, compare=False)
    keeps_dtype: bool = True  # float32 in, float32 out

    def inputs(self, shapes: Shapes, seed: int = 0, dtype: Any = np.float64) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        out = []
        for shape in shapes:
            x = rng.uniform(*self.domain, size=shape)
            if self.kink:  # magnitudes in [kink, max]: away from the kink at 0, and no ties
                x = np.sign(x + (x == 0)) * (self.kink + np.abs(x))
                x += np.arange(x.size).reshape(shape) * 1e-3
            out.append(np.asarray(x, dtype=dtype))
        return out


def _phi(x: Any) -> Any:
    return 0.5 * (1 + np.vectorize(erf)(x / sqrt(2)))


def _gelu(x: np.ndarray) -> np.ndarray:
    return x * _phi(x)


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _put(a: Any, index: Any, b: Any) -> Any:
    """a[index] = b, giving a (the third way to say it: as a function)."""
    a[index] = b
    return a


def _torch() -> Any:
    import torch

    return torch


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + np.exp(-x))


ROWS: list[Row] = [
    # elementwise, on both node kinds; Tensors broadcast
    Row("add", lambda a, b: a + b, np.add, BROADCASTING, scalar=True, derivative=lambda a, b: (1.0, 1.0)),
    Row(
        "sub", lambda a, b: a - b, np.subtract, BROADCASTING, scalar=True, derivative=lambda a, b: (1.0, -1.0)
    ),
    Row("mul", lambda a, b: a * b, np.multiply, BROADCASTING, scalar=True, derivative=lambda a, b: (b, a)),
    Row(
        "div",
        lambda a, b: a / b,
        np.divide,
        BROADCASTING,
        domain=(0.5, 2.0),
        scalar=True,
        derivative=lambda a, b: (1 / b, -a / b**2),
    ),
    Row(
        "pow",
        lambda a, b: a**b,
        np.power,
        BROADCASTING,
        domain=(0.5, 2.0),
        scalar=True,
        derivative=lambda a, b: (b * a ** (b - 1), a**b * np.log(a)),
    ),
    # with plain numbers on either side
    Row("add_number", lambda a: 2.5 + a, lambda a: 2.5 + a, UNARY, scalar=True, derivative=lambda a: (1.0,)),
    Row(
        "rsub_number", lambda a: 2.5 - a, lambda a: 2.5 - a, UNARY, scalar=True, derivative=lambda a: (-1.0,)
    ),
    Row("sub_number", lambda a: a - 2.5, lambda a: a - 2.5, UNARY, scalar=True),
    Row(
        "mul_number", lambda a: a * -3.0, lambda a: a * -3.0, UNARY, scalar=True, derivative=lambda a: (-3.0,)
    ),
    Row("div_number", lambda a: a / 4.0, lambda a: a / 4.0, UNARY, scalar=True, derivative=lambda a: (0.25,)),
    Row(
        "rdiv_number",
        lambda a: 3.0 / a,
        lambda a: 3.0 / a,
        UNARY,
        domain=(0.5, 2.0),
        scalar=True,
        derivative=lambda a: (-3.0 / a**2,),
    ),
    Row("square", lambda a: a**2, lambda a: a**2, UNARY, scalar=True, derivative=lambda a: (2 * a,)),
    Row("cube", lambda a: a**3, lambda a: a**3, UNARY, scalar=True, derivative=lambda a: (3 * a * a,)),
    Row("pow_half", lambda a: a**0.5, np.sqrt, UNARY, domain=(0.5, 2.0), scalar=True),
    Row(
        "rpow_number",
        lambda a: 2.0**a,
        lambda a: 2.0**a,
        UNARY,
        scalar=True,
        derivative=lambda a: (2.0**a * np.log(2.0),),
    ),
    Row("neg", lambda a: -a, np.negative, UNARY, scalar=True, derivative=lambda a: (-1.0,)),
    # unary functions
    Row("exp", lambda a: a.exp(), np.exp, UNARY, scalar=True, derivative=lambda a: (np.exp(a),)),
    Row(
        "log", lambda a: a.log(), np.log, UNARY, domain=(0.2, 3.0), scalar=True, derivative=lambda a: (1 / a,)
    ),
    Row("tanh", lambda a: a.tanh(), np.tanh, UNARY, scalar=True, derivative=lambda a: (1 - np.tanh(a) ** 2,)),
    Row(
        "sigmoid",
        lambda a: a.sigmoid(),
        _sigmoid,
        UNARY,
        scalar=True,
        derivative=lambda a: (_sigmoid(a) * (1 - _sigmoid(a)),),
    ),
    Row(
        "relu",
        lambda a: a.relu(),
        lambda a: np.maximum(a, 0),
        UNARY,
        kink=0.1,
        smooth=False,
        scalar=True,
        derivative=lambda a: (float(a > 0),),
    ),
    Row(
        "erf",
        lambda a: a.erf(),
        np.vectorize(erf),
        UNARY,
        torch_fn=lambda a: _torch().erf(a),
        scalar=True,
        derivative=lambda a: (2 / sqrt(np.pi) * np.exp(-a * a),),
    ),
    Row(
        "abs",
        lambda a: a.abs(),
        np.abs,
        UNARY,
        kink=0.1,
        smooth=False,
        scalar=True,
        derivative=lambda a: (float(np.sign(a)),),
    ),
    Row(
        "sqrt",
        lambda a: a.sqrt(),
        np.sqrt,
        UNARY,
        domain=(0.2, 3.0),
        scalar=True,
        derivative=lambda a: (0.5 / np.sqrt(a),),
    ),
    Row(
        "gelu",
        lambda a: a.gelu(),
        _gelu,
        UNARY,
        torch_fn=lambda a: _torch().nn.functional.gelu(a),
        scalar=True,
        derivative=lambda a: (_phi(a) + a * np.exp(-a * a / 2) / sqrt(2 * np.pi),),
    ),
    Row(
        "gelu_tanh",
        lambda a: a.gelu(approximate="tanh"),
        _gelu_tanh,
        UNARY,
        torch_fn=lambda a: _torch().nn.functional.gelu(a, approximate="tanh"),
        scalar=True,
    ),
    # Tensor-only: matmul, reductions, normalisations
    Row("matmul", lambda a, b: a @ b, np.matmul, MATMUL),
    Row("sum", lambda a: a.sum(), np.sum, UNARY),
    Row("sum_axis0", lambda a: a.sum(axis=0), lambda a: a.sum(axis=0), [((3, 4),), ((2, 3, 2),)]),
    Row(
        "sum_axes_keepdims",
        lambda a: a.sum(axis=(0, -1), keepdims=True),
        lambda a: a.sum(axis=(0, -1), keepdims=True),
        [((2, 3, 2),)],
        torch_fn=lambda a: a.sum(dim=(0, -1), keepdim=True),
    ),
    Row("mean", lambda a: a.mean(), np.mean, UNARY),
    Row(
        "mean_axis",
        lambda a: a.mean(axis=-1, keepdims=True),
        lambda a: a.mean(axis=-1, keepdims=True),
        [((3, 4),), ((2, 3, 2),)],
        torch_fn=lambda a: a.mean(dim=-1, keepdim=True),
    ),
    Row("max", lambda a: a.max(), np.max, UNARY, kink=0.1, smooth=False),
    Row(
        "max_axis",
        lambda a: a.max(axis=1),
        lambda a: a.max(axis=1),
        [((3, 4),), ((2, 3, 2),)],
        torch_fn=lambda a: a.amax(dim=1),
        kink=0.1,
        smooth=False,
    ),
    Row(
        "softmax",
        lambda a: a.softmax(axis=-1),
        lambda a: _softmax(a, -1),
        [((3, 4),), ((5,),)],
        torch_fn=lambda a: a.softmax(dim=-1),
    ),
    Row(
        "softmax_axis0",
        lambda a: a.softmax(axis=0),
        lambda a: _softmax(a, 0),
        [((3, 4),)],
        torch_fn=lambda a: a.softmax(dim=0),
    ),
    Row(
        "log_softmax",
        lambda a: a.log_softmax(axis=1),
        lambda a: np.log(_softmax(a, 1)),
        [((3, 4),), ((2, 3, 2),)],
        torch_fn=lambda a: a.log_softmax(dim=1),
    ),
    # shapes and indexing
    Row("reshape", lambda a: a.reshape(4, -1), lambda a: a.reshape(4, -1), [((3, 4),), ((2, 3, 2),)]),
    Row(
        "transpose",
        lambda a: a.transpose(1, 2, 0),
        lambda a: a.transpose(1, 2, 0),
        [((2, 3, 4),)],
        torch_fn=lambda a: a.permute(1, 2, 0),
    ),
    Row("T", lambda a: a.T, lambda a: a.T, [((3, 4),)], torch_fn=lambda a: a.T),
    Row("index_int", lambda a: a[1], lambda a: a[1], [((3, 4),)]),
    Row("index_slices", lambda a: a[1:, ::2], lambda a: a[1:, ::2], [((3, 4),)]),
    Row("index_repeated", lambda a: a[[0, 0, 2, 0]], lambda a: a[[0, 0, 2, 0]], [((3, 4),)]),
    Row(
        "index_pairs",
        lambda a: a[np.array([0, 2, 2]), np.array([1, 3, 3])],
        lambda a: a[[0, 2, 2], [1, 3, 3]],
        [((3, 4),)],
        torch_fn=lambda a: a[[0, 2, 2], [1, 3, 3]],
    ),
    Row(
        "index_mask",
        lambda a: a[MASK],
        lambda a: a[MASK],
        [((3, 4),)],
        torch_fn=lambda a: a[_torch().from_numpy(MASK)],
    ),
    Row(
        "where",
        lambda a, b: where(MASK, a, b),
        lambda a, b: np.where(MASK, a, b),
        [((3, 4), (3, 4)), ((3, 4), (4,))],
        torch_fn=lambda a, b: _torch().where(_torch().from_numpy(MASK), a, b),
    ),
    # gradients that are graphs themselves use broadcast (sum's rule) and scatter (indexing's)
    Row("sum_squared", lambda a: a.sum(axis=0) ** 2, lambda a: a.sum(axis=0) ** 2, [((3, 4),)]),
    Row("index_squared", lambda a: a[[0, 0, 2]] ** 2, lambda a: a[[0, 0, 2]] ** 2, [((3, 4),)]),
    # elementwise on both kinds: the larger or smaller of two
    Row(
        "maximum",
        autograd.maximum,
        np.maximum,
        BROADCASTING,
        torch_fn=lambda a, b: _torch().maximum(a, b),
        smooth=False,
        scalar=True,
    ),
    Row(
        "minimum",
        autograd.minimum,
        np.minimum,
        BROADCASTING,
        torch_fn=lambda a, b: _torch().minimum(a, b),
        smooth=False,
        scalar=True,
    ),
    # the everyday PyTorch surface: joins, bounds, casts, and composites of the primitives
    Row(
        "cat",
        lambda a, b: autograd.cat([a, b], dim=0),
        lambda a, b: np.concatenate([a, b], axis=0),
        [((2, 3), (4, 3)), ((1,), (3,))],
        torch_fn=lambda a, b: _torch().cat([a, b], dim=0),
    ),
    Row(
        "cat_dim1",
        lambda a, b, c: autograd.cat([a, b, c], dim=-1),
        lambda a, b, c: np.concatenate([a, b, c], axis=-1),
        [((2, 1), (2, 3), (2, 2))],
        torch_fn=lambda a, b, c: _torch().cat([a, b, c], dim=-1),
    ),
    Row(
        "stack",
        lambda a, b: autograd.stack([a, b], dim=1),
        lambda a, b: np.stack([a, b], axis=1),
        [((2, 3), (2, 3))],
        torch_fn=lambda a, b: _torch().stack([a, b], dim=1),
    ),
    Row("clamp", lambda a: a.clamp(-0.5, 0.7), lambda a: np.clip(a, -0.5, 0.7), UNARY, smooth=False),
    Row("clamp_min", lambda a: a.clamp(min=0.1), lambda a: np.maximum(a, 0.1), UNARY, smooth=False),
    Row("double", lambda a: a.double() * 2, lambda a: a * 2, UNARY, keeps_dtype=False),
    Row("clone", lambda a: a.clone() * 2, lambda a: a * 2, UNARY, torch_fn=lambda a: a.clone() * 2),
    Row(
        "min_dim",
        lambda a: a.min(dim=1).values,
        lambda a: a.min(axis=1),
        [((3, 4),)],
        torch_fn=lambda a: a.min(dim=1).values,
        kink=0.1,
        smooth=False,
    ),
    Row(
        "max_dim_keepdim",
        lambda a: a.max(0, keepdim=True).values * 2,
        lambda a: a.max(axis=0, keepdims=True) * 2,
        [((3, 4),)],
        torch_fn=lambda a: a.max(0, keepdim=True).values * 2,
        kink=0.1,
        smooth=False,
    ),
    Row(
        "amin",
        lambda a: a.amin(dim=(0, 1)),
        lambda a: a.min(axis=(0, 1)),
        [((3, 4),)],
        torch_fn=lambda a: a.amin(dim=(0, 1)),
        kink=0.1,
        smooth=False,
    ),
    Row(
        "setitem",
        lambda a, b: _put(a * 1, (slice(None), 1), b),
        lambda a, b: _put(a.copy(), (slice(None), 1), b),
        [((3, 4), (3,))],
        torch_fn=lambda a, b: _put(a * 1, (slice(None), 1), b),
    ),
    Row("var", lambda a: a.var(dim=1), lambda a: a.var(axis=1, ddof=1), [((3, 4),), ((2, 3, 2),)]),
    Row(
        "var_all_biased",
        lambda a: a.var(unbiased=False),
        lambda a: a.var(),
        UNARY[:1],
        torch_fn=lambda a: a.var(unbiased=False),
    ),
    Row(
        "std",
        lambda a: a.std(dim=0, keepdim=True),
        lambda a: a.std(axis=0, ddof=1, keepdims=True),
        [((3, 4),)],
    ),
    Row("view_flatten", lambda a: a.view(2, -1).flatten(), lambda a: a.reshape(-1), [((2, 3, 2),)]),
    Row(
        "unsqueeze_squeeze", lambda a: a.unsqueeze(1).squeeze(0), lambda a: a[:, None].squeeze(0), [((1, 4),)]
    ),
    Row("permute", lambda a: a.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1), [((2, 3, 4),)]),
    Row(
        "transpose_swap",
        lambda a: a.transpose(-2, -1),
        lambda a: np.swapaxes(a, -2, -1),
        [((2, 3, 4),), ((3, 4),)],
    ),
    Row(
        "masked_fill",
        lambda a: a.masked_fill(MASK, -1.5),
        lambda a: np.where(MASK, -1.5, a),
        [((3, 4),)],
        torch_fn=lambda a: a.masked_fill(_torch().from_numpy(MASK), -1.5),
    ),
    Row("cumsum", lambda a: a.cumsum(dim=1), lambda a: np.cumsum(a, axis=1), [((3, 4),), ((2, 3, 2),)]),
    Row("cumsum_first_dim", lambda a: a.cumsum(0), lambda a: np.cumsum(a, axis=0), [((3, 4),)]),
    Row(
        "sort_descending",
        lambda a: a.sort(dim=1, descending=True).values,
        lambda a: -np.sort(-a, axis=1),
        [((3, 4),), ((2, 3, 2),)],
    ),
    Row("topk", lambda a: a.topk(2, dim=0).values, lambda a: -np.sort(-a, axis=0)[:2], [((3, 4),)]),
    Row(
        "gather",
        lambda a: a.gather(1, GATHER),
        lambda a: np.take_along_axis(a, GATHER, 1),
        [((3, 4),)],
        torch_fn=lambda a: a.gather(1, _torch().from_numpy(GATHER)),
    ),
    Row(
        "expand_repeat",
        lambda a: a.expand(2, 3, 4).repeat(1, 2, 1),
        lambda a: np.tile(np.broadcast_to(a, (2, 3, 4)), (1, 2, 1)),
        [((3, 4),), ((3, 1),)],
    ),
    Row(
        "flip_split_chunk",
        lambda a: a.flip(0).split([1, 3], dim=1)[1] * a.chunk(2, dim=1)[0].sum(),
        lambda a: a[::-1][:, 1:] * a[:, :2].sum(),
        [((3, 4),)],
    ),
    # composites users write
    Row(
        "cross_entropy",
        lambda a: -a.log_softmax(axis=1)[np.arange(3), np.array([2, 0, 3])].mean(),
        lambda a: -np.log(_softmax(a, 1))[np.arange(3), [2, 0, 3]].mean(),
        [((3, 4),)],
        torch_fn=lambda a: _torch().nn.functional.cross_entropy(a, _torch().tensor([2, 0, 3])),
    ),
    Row(
        "mlp_layer",
        lambda x, w, b: (x @ w + b).tanh().sum(axis=0),
        lambda x, w, b: np.tanh(x @ w + b).sum(axis=0),
        [((5, 3), (3, 4), (4,))],
    ),
]


def expand(rows: list[Row], scalar: bool = False) -> list[tuple[Row, Shapes]]:
    """Every (row, shapes) pair, for parametrize; ``scalar``: only the rows that run on Values."""
    if scalar:
        return [(row, tuple(() for _ in row.shapes[0])) for row in rows if row.scalar]
    return [(row, shapes) for row in rows for shapes in row.shapes]


def pair_id(pair: Any) -> str:
    if isinstance(pair, Row):
        return pair.name
    return "-".join("x".join(map(str, s)) or "scalar" for s in pair)


def _primitives_in(roots: list[Any]) -> set[Any]:
    return {n._op.primitive for n in autograd.engine.toposort(roots) if getattr(n._op, "primitive", None)}


def missing_rows(primitives: list[Any]) -> list[str]:
    """The names of ``primitives`` that no row uses (on Tensors, and on Values where they have a
    float forward), counting the graphs their rules build (second order) too."""
    on_values: set[Any] = set()
    on_tensors: set[Any] = set()
    for row in ROWS:
        for shapes in row.shapes:
            xs = [autograd.Tensor(a, requires_grad=True) for a in row.inputs(shapes)]
            out = row.fn(*xs)
            total = (out * np.random.default_rng(3).uniform(0.5, 1.5, size=out.shape)).sum()
            grads = autograd.grad(total, xs, create_graph=True)
            on_tensors |= _primitives_in([total, *[g for g in grads if g.requires_grad]])
        if row.scalar:
            vs = [autograd.Value(float(a)) for a in row.inputs(tuple(() for _ in row.shapes[0]))]
            out = row.fn(*vs)
            on_values |= _primitives_in([out, *autograd.grad(out, vs, create_graph=True)])
    names = {p.name for p in on_tensors}, {p.name for p in on_values}
    missing = [p.name for p in primitives if p.arrays is not None and p.name not in names[0]]
    missing += [
        p.name
        for p in primitives
        if p.floats is not None and p.name not in names[1] and p.name not in missing
    ]
    return missing

"""One table of Tensor ops for the tests: how to apply each to our Tensors, to numpy arrays (the
reference values) and to torch tensors (the parity module), with the shapes to try.

Shapes broadcast on purpose: (3, 1) with (1, 4), a scalar with a matrix, a matrix with a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import erf, sqrt
from typing import Any

import numpy as np

Shapes = tuple[tuple[int, ...], ...]

BROADCASTING: list[Shapes] = [((3, 1), (1, 4)), ((), (3, 4)), ((2, 3, 4), (4,)), ((2, 3), (2, 3))]
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
MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])


@dataclass(frozen=True)
class Case:
    """One op. ``fn`` takes Tensors, ``reference`` ndarrays, ``torch_fn`` torch tensors (None: as
    ``fn``). ``domain`` is where inputs are drawn; ``kink`` keeps them this far from 0 (relu, max,
    abs-like ops are not differentiable there); ``smooth`` ops are checked to second order."""

    name: str
    fn: Callable[..., Any]
    reference: Callable[..., np.ndarray]
    shapes: list[Shapes]
    torch_fn: Callable[..., Any] | None = None
    domain: tuple[float, float] = (-2.0, 2.0)
    kink: float = 0.0
    smooth: bool = True

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


def _gelu(x: np.ndarray) -> np.ndarray:
    return x * 0.5 * (1 + np.vectorize(erf)(x / sqrt(2)))


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _torch() -> Any:
    import torch

    return torch


def _mask() -> Any:
    return _torch().from_numpy(MASK)


CASES: list[Case] = [
    # elementwise, two Tensors, broadcasting
    Case("add", lambda a, b: a + b, np.add, BROADCASTING),
    Case("sub", lambda a, b: a - b, np.subtract, BROADCASTING),
    Case("mul", lambda a, b: a * b, np.multiply, BROADCASTING),
    Case("div", lambda a, b: a / b, np.divide, BROADCASTING, domain=(0.5, 2.0)),
    Case("pow", lambda a, b: a**b, np.power, BROADCASTING, domain=(0.5, 2.0)),
    Case("matmul", lambda a, b: a @ b, np.matmul, MATMUL),
    # with plain numbers on either side
    Case("add_number", lambda a: 2.5 + a, lambda a: 2.5 + a, UNARY),
    Case("rsub_number", lambda a: 2.5 - a, lambda a: 2.5 - a, UNARY),
    Case("sub_number", lambda a: a - 2.5, lambda a: a - 2.5, UNARY),
    Case("mul_number", lambda a: a * -3.0, lambda a: a * -3.0, UNARY),
    Case("div_number", lambda a: a / 4.0, lambda a: a / 4.0, UNARY),
    Case("rdiv_number", lambda a: 3.0 / a, lambda a: 3.0 / a, UNARY, domain=(0.5, 2.0)),
    Case("pow_number", lambda a: a**3, lambda a: a**3, UNARY),
    Case("pow_half", lambda a: a**0.5, np.sqrt, UNARY, domain=(0.5, 2.0)),
    Case("rpow_number", lambda a: 2.0**a, lambda a: 2.0**a, UNARY),
    Case("neg", lambda a: -a, np.negative, UNARY),
    # unary functions
    Case("exp", lambda a: a.exp(), np.exp, UNARY),
    Case("log", lambda a: a.log(), np.log, UNARY, domain=(0.2, 3.0)),
    Case("tanh", lambda a: a.tanh(), np.tanh, UNARY),
    Case("sigmoid", lambda a: a.sigmoid(), lambda a: 1 / (1 + np.exp(-a)), UNARY),
    Case("relu", lambda a: a.relu(), lambda a: np.maximum(a, 0), UNARY, kink=0.1, smooth=False),
    Case("erf", lambda a: a.erf(), np.vectorize(erf), UNARY, torch_fn=lambda a: _torch().erf(a)),
    Case("gelu", lambda a: a.gelu(), _gelu, UNARY, torch_fn=lambda a: _torch().nn.functional.gelu(a)),
    Case(
        "gelu_tanh",
        lambda a: a.gelu(approximate="tanh"),
        _gelu_tanh,
        UNARY,
        torch_fn=lambda a: _torch().nn.functional.gelu(a, approximate="tanh"),
    ),
    # reductions
    Case("sum", lambda a: a.sum(), np.sum, UNARY),
    Case("sum_axis0", lambda a: a.sum(axis=0), lambda a: a.sum(axis=0), [((3, 4),), ((2, 3, 2),)]),
    Case(
        "sum_axes_keepdims",
        lambda a: a.sum(axis=(0, -1), keepdims=True),
        lambda a: a.sum(axis=(0, -1), keepdims=True),
        [((2, 3, 2),)],
        torch_fn=lambda a: a.sum(dim=(0, -1), keepdim=True),
    ),
    Case("mean", lambda a: a.mean(), np.mean, UNARY),
    Case(
        "mean_axis",
        lambda a: a.mean(axis=-1, keepdims=True),
        lambda a: a.mean(axis=-1, keepdims=True),
        [((3, 4),), ((2, 3, 2),)],
        torch_fn=lambda a: a.mean(dim=-1, keepdim=True),
    ),
    Case("max", lambda a: a.max(), np.max, UNARY, kink=0.1, smooth=False),
    Case(
        "max_axis",
        lambda a: a.max(axis=1),
        lambda a: a.max(axis=1),
        [((3, 4),), ((2, 3, 2),)],
        torch_fn=lambda a: a.amax(dim=1),
        kink=0.1,
        smooth=False,
    ),
    Case(
        "softmax",
        lambda a: a.softmax(axis=-1),
        lambda a: _softmax(a, -1),
        [((3, 4),), ((5,),)],
        torch_fn=lambda a: a.softmax(dim=-1),
    ),
    Case(
        "softmax_axis0",
        lambda a: a.softmax(axis=0),
        lambda a: _softmax(a, 0),
        [((3, 4),)],
        torch_fn=lambda a: a.softmax(dim=0),
    ),
    Case(
        "log_softmax",
        lambda a: a.log_softmax(axis=1),
        lambda a: np.log(_softmax(a, 1)),
        [((3, 4),), ((2, 3, 2),)],
        torch_fn=lambda a: a.log_softmax(dim=1),
    ),
    # shape and indexing
    Case("reshape", lambda a: a.reshape(4, -1), lambda a: a.reshape(4, -1), [((3, 4),), ((2, 3, 2),)]),
    Case(
        "transpose",
        lambda a: a.transpose(1, 2, 0),
        lambda a: a.transpose(1, 2, 0),
        [((2, 3, 4),)],
        torch_fn=lambda a: a.permute(1, 2, 0),
    ),
    Case("T", lambda a: a.T, lambda a: a.T, [((3, 4),)]),
    Case("index_int", lambda a: a[1], lambda a: a[1], [((3, 4),)]),
    Case("index_slices", lambda a: a[1:, ::2], lambda a: a[1:, ::2], [((3, 4),)]),
    Case(
        "index_repeated",
        lambda a: a[[0, 0, 2, 0]],
        lambda a: a[[0, 0, 2, 0]],
        [((3, 4),)],
        torch_fn=lambda a: a[[0, 0, 2, 0]],
    ),
    Case(
        "index_pairs",
        lambda a: a[np.array([0, 2, 2]), np.array([1, 3, 3])],
        lambda a: a[[0, 2, 2], [1, 3, 3]],
        [((3, 4),)],
        torch_fn=lambda a: a[[0, 2, 2], [1, 3, 3]],
    ),
    Case("index_mask", lambda a: a[MASK], lambda a: a[MASK], [((3, 4),)], torch_fn=lambda a: a[_mask()]),
    # composites a user writes
    Case(
        "cross_entropy",
        lambda a: -a.log_softmax(axis=1)[np.arange(3), np.array([2, 0, 3])].mean(),
        lambda a: -np.log(_softmax(a, 1))[np.arange(3), [2, 0, 3]].mean(),
        [((3, 4),)],
        torch_fn=lambda a: _torch().nn.functional.cross_entropy(a, _torch().tensor([2, 0, 3])),
    ),
    Case(
        "mlp_layer",
        lambda x, w, b: (x @ w + b).tanh().sum(axis=0),
        lambda x, w, b: np.tanh(x @ w + b).sum(axis=0),
        [((5, 3), (3, 4), (4,))],
    ),
]

CASE_IDS = [case.name for case in CASES]


def expand(cases: list[Case]) -> list[tuple[Case, Shapes]]:
    """Every (case, shapes) pair, for parametrize."""
    return [(case, shapes) for case in cases for shapes in case.shapes]


def pair_id(pair: Any) -> str:
    if isinstance(pair, Case):
        return pair.name
    return "-".join("x".join(map(str, s)) or "scalar" for s in pair)

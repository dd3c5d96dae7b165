"""Optimizers' checks (nn/optim_params.py): every parameter and setting is checked before any
parameter moves; settings PyTorch refuses are refused here too, naming the optimizer and the
setting."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import nn
from autograd import Tensor, Value

OPTIMIZERS = [nn.optim.SGD, nn.optim.Adam, nn.optim.AdamW, nn.optim.RMSprop]


def _two_params() -> tuple[Tensor, Tensor]:
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([[3.0]], requires_grad=True)
    a.grad, b.grad = np.ones(2), np.ones((1, 1))
    return a, b


def _numbers(p: Any) -> np.ndarray:
    return np.array(p._data if isinstance(p, Tensor) else p.data, copy=True)


def _refuses_and_changes_nothing(opt: Any, params: list[Any], error: type, message: str) -> None:
    before = [_numbers(p) for p in params]
    state = repr(opt.state)
    with pytest.raises(error, match=message):
        opt.step()
    assert all(np.array_equal(_numbers(p), b) for p, b in zip(params, before)) and repr(opt.state) == state


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_step_checks_every_parameter_before_updating_any(cls: type) -> None:
    name = cls.__name__
    a, b = _two_params()
    v = Value(1.0)
    opt = (
        cls([v, a, b], lr=0.1, momentum=0.9)
        if cls in (nn.optim.SGD, nn.optim.RMSprop)
        else cls([v, a, b], lr=0.1)
    )
    opt.step()  # state exists now: the buffers must not move either
    b._data.setflags(write=False)
    _refuses_and_changes_nothing(
        opt, [v, a, b], ValueError, f"^{name}: parameter 2's array is read-only; nothing was updated"
    )
    b.data = np.array([[3.0]])
    for grad, error, message in [
        (np.ones(1), ValueError, r"parameter 2's grad has shape \(1,\) but the parameter has shape \(1, 1\)"),
        (
            np.ones((1, 1), dtype=complex),
            TypeError,
            "parameter 2's grad has dtype complex128, not real numbers",
        ),
        (np.ones((1, 1), dtype=bool), TypeError, "parameter 2's grad has dtype bool"),
        ([[1.0]], TypeError, "parameter 2's grad has type list"),
        (np.full((1, 1), 1e300), ValueError, None),
    ]:
        # (b.grad = ... refuses these itself now: a wrong shape or dtype reaches ._grad only directly)
        b._grad = grad
        if message is None:  # a float64 grad that float32 cannot hold
            b._data, b._grad = np.array([[3.0]], dtype=np.float32), np.full((1, 1), 1e300)
            opt2 = cls([v, a, b], lr=0.1)
            _refuses_and_changes_nothing(opt2, [v, a, b], ValueError, "float64 grad overflows float32")
            continue
        _refuses_and_changes_nothing(opt, [v, a, b], error, f"^{name}: {message}")
    b.data, b.grad = np.array([[3.0]]), np.ones((1, 1))
    v.grad = None  # type: ignore[assignment]
    _refuses_and_changes_nothing(
        opt, [v, a, b], TypeError, f"^{name}: parameter 0 .a Value. has .grad of type NoneType"
    )
    v.grad = 0.0
    opt.lr = math.nan  # a schedule gone wrong
    _refuses_and_changes_nothing(opt, [v, a, b], ValueError, f"^{name}: lr must be a finite number, got nan")


def test_replaced_parameter_data_must_fit_the_optimizer_state() -> None:
    a, b = _two_params()
    opt = nn.optim.SGD([a, b], lr=0.1, momentum=0.9)
    opt.step()
    b.data = np.zeros((1, 2))
    b.grad = np.ones((1, 2))
    _refuses_and_changes_nothing(
        opt, [a, b], ValueError, r"SGD: a parameter of shape \(1, 2\) has momentum_buffer of shape \(1, 1\)"
    )
    with pytest.raises(TypeError, match="data: a Tensor that requires grad holds floats, not int64"):
        b.data = np.array([[1]])  # refused by .data's setter now; directly, it reaches the optimizer
    b._data = np.array([[1]])
    _refuses_and_changes_nothing(opt, [a, b], TypeError, "SGD: parameter 1 holds int64, not a float array")


SETTINGS = [
    (nn.optim.SGD, {"lr": -0.1}),
    (nn.optim.SGD, {"momentum": -0.1}),
    (nn.optim.SGD, {"weight_decay": -1e-3}),
    (nn.optim.Adam, {"lr": -1.0}),
    (nn.optim.Adam, {"lr": math.nan}),
    (nn.optim.Adam, {"eps": -1e-8}),
    (nn.optim.Adam, {"eps": math.nan}),
    (nn.optim.Adam, {"betas": (math.nan, 0.9)}),
    (nn.optim.Adam, {"betas": (0.9, -0.1)}),
    (nn.optim.Adam, {"betas": (1.0, 0.9)}),
    (nn.optim.Adam, {"weight_decay": math.nan}),
    (nn.optim.AdamW, {"weight_decay": -0.1}),
    (nn.optim.RMSprop, {"alpha": -0.5}),
    (nn.optim.RMSprop, {"momentum": math.nan}),
    (nn.optim.RMSprop, {"eps": -1.0}),
]


@pytest.mark.parametrize(("cls", "options"), SETTINGS, ids=[f"{c.__name__}-{o}" for c, o in SETTINGS])
def test_bad_settings_are_refused_where_torch_refuses_them(cls: type, options: dict) -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="Invalid"):
        getattr(torch.optim, cls.__name__)([torch.zeros(1, requires_grad=True)], **options)
    name = next(iter(options))
    with pytest.raises(ValueError, match=f"^{cls.__name__}: {name}"):
        cls([Value(1.0)], **options)


@pytest.mark.parametrize(
    ("cls", "options", "error"),
    [
        (nn.optim.SGD, {"lr": math.nan}, ValueError),  # PyTorch's SGD lets NaN through
        (nn.optim.SGD, {"lr": math.inf}, ValueError),  # and inf: both can only ruin the weights
        (nn.optim.Adam, {"eps": math.inf}, ValueError),
        (nn.optim.RMSprop, {"weight_decay": -math.inf}, ValueError),
        (nn.optim.SGD, {"lr": "0.1"}, TypeError),
        (nn.optim.Adam, {"eps": None}, TypeError),
        (nn.optim.RMSprop, {"alpha": True}, TypeError),
        (nn.optim.Adam, {"betas": (0.9, "0.99")}, TypeError),
    ],
)
def test_bad_settings_beyond_torch(cls: type, options: dict, error: type) -> None:
    with pytest.raises(error, match=f"^{cls.__name__}: "):
        cls([Value(1.0)], **options)


def test_numpy_numbers_are_fine_settings() -> None:
    x = Value(1.0)
    opt = nn.optim.Adam([x], lr=np.float32(0.5), betas=(np.float64(0.9), 0.999), eps=np.float32(1e-8))
    x.grad = 1.0
    opt.step()
    assert x.data == pytest.approx(0.5) and isinstance(opt.lr, float)

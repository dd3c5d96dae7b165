"""Optimizer state as PyTorch's: param groups (settings per group, a learning-rate schedule written
through them), state_dict/load_state_dict in PyTorch's format, moved between torch.optim and ours
step for step, in both directions; everything checked before anything changes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import nn
from autograd import Tensor, Value

try:  # imported once at collection, its optimizers' lazy imports too, so that each test stays fast;
    # the tests that need it still ask pytest.importorskip("torch")
    import torch as _torch

    _torch.optim.SGD([_torch.zeros(1, requires_grad=True)])
except ImportError:
    pass


# --- optimizers: param groups -------------------------------------------------------------------


def test_param_groups_hold_params_and_settings() -> None:
    a, b, v = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True), Value(3.0)
    opt = nn.optim.SGD([{"params": [a, v]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [list(g) for g in opt.param_groups] == [
        ["params", "lr", "momentum", "dampening", "weight_decay", "nesterov"]
    ] * 2
    assert opt.param_groups[0]["params"] == [a, v] and opt.param_groups[1]["params"] == [b]
    assert (opt.param_groups[0]["lr"], opt.param_groups[1]["lr"], opt.momentum) == (0.1, 0.5, 0.9)
    with pytest.raises(ValueError, match=r"SGD: lr differs between param groups \(\[0.1, 0.5\]\)"):
        _ = opt.lr
    opt.lr = 0.2  # every group
    assert [g["lr"] for g in opt.param_groups] == [0.2, 0.2] and opt.lr == 0.2
    a.grad, b.grad, v.grad = np.ones(1), np.ones(1), 1.0
    opt.param_groups[1]["lr"] = 1.0
    opt.step()
    assert (a.data[0], b.data[0], v.data) == pytest.approx((0.8, 1.0, 2.8))
    assert "Parameter Group 1\n    dampening: 0.0\n    lr: 1.0" in repr(opt)


def test_param_group_errors_name_the_group_and_setting() -> None:
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    cases = [
        (
            lambda: nn.optim.SGD([{"params": [a]}, {"params": [a]}]),
            ValueError,
            "param group 1: some parameters",
        ),
        (
            lambda: nn.optim.SGD([{"params": [a], "learning_rate": 1}]),
            ValueError,
            r"unknown settings \['learning_rate'\]",
        ),
        (
            lambda: nn.optim.SGD([{"params": [a]}, {"params": [b], "lr": -1}]),
            ValueError,
            "SGD: param group 1: lr must be >= 0",
        ),
        (
            lambda: nn.optim.Adam([{"params": [a]}, [b]]),
            TypeError,
            "Adam: param group 1 must be a dict, got list",
        ),
        (
            lambda: nn.optim.Adam([{"lr": 0.1}]),
            ValueError,
            "Adam: param group 0: a param group needs 'params'",
        ),
        (lambda: nn.optim.RMSprop([{"params": []}]), ValueError, "RMSprop: got no parameters to optimize"),
        (
            lambda: nn.optim.SGD(a),
            TypeError,
            "SGD: params must be an iterable of Values or Tensors, got Tensor",
        ),
        (lambda: nn.optim.SGD([a], nesterov=1), TypeError, "SGD: nesterov must be True or False, got int"),
    ]
    for make, error, message in cases:
        with pytest.raises(error, match=message):
            make()
    opt = nn.optim.Adam([a])
    opt.add_param_group({"params": [b], "betas": (0.5, 0.6)})
    assert opt.param_groups[1]["betas"] == (0.5, 0.6) and opt.param_groups[1]["lr"] == 1e-3
    opt.param_groups[1]["betas"] = (0.5, 1.5)  # checked when the step reads it
    a.grad = b.grad = np.ones(1)
    with pytest.raises(ValueError, match=r"Adam: param group 1: betas\[1\] must be in \[0, 1\)"):
        opt.step()
    assert (a.data[0], b.data[0]) == (1.0, 2.0)


OPTIMIZERS = [
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.1, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1, "betas": (0.8, 0.9)}),
    ("AdamW", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.1}),
]
IDS = [f"{name}-{'-'.join(options)}" for name, options in OPTIMIZERS]
TARGET = np.random.default_rng(3).normal(size=(3, 2))


class _Torch:
    """A Tensor parameter and a 0-d one in two param groups, on a smooth loss."""

    def __init__(self, torch: Any, name: str, options: dict, w: np.ndarray, s: float) -> None:
        self.torch = torch
        self.w = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        self.s = torch.tensor(s, dtype=torch.float64, requires_grad=True)
        groups = [{"params": [self.w]}, {"params": [self.s], "lr": options["lr"] / 2}]
        self.opt = getattr(torch.optim, name)(groups, **options)

    def step(self) -> None:
        self.opt.zero_grad()
        loss = ((self.w - self.torch.from_numpy(TARGET)) ** 2).sum() * (1 + 0.1 * self.s**2)
        loss.backward()
        self.opt.step()

    def values(self) -> list[float]:
        return [*self.w.detach().numpy().ravel().tolist(), self.s.item()]


class _Ours:
    """The same on our side: a Tensor and a Value, with the same gradients."""

    def __init__(self, name: str, options: dict, w: np.ndarray, s: float) -> None:
        self.w, self.s = Tensor(np.array(w, dtype=np.float64), requires_grad=True), Value(float(s))
        groups = [{"params": [self.w]}, {"params": [self.s], "lr": options["lr"] / 2}]
        self.opt = getattr(nn.optim, name)(groups, **options)

    def step(self) -> None:
        self.opt.zero_grad()
        w = Tensor(self.w.data)
        d = w - TARGET
        scale = 1 + 0.1 * self.s.data**2
        self.w.grad = (2 * d * scale).data
        self.s.grad = float((d * d).sum().item() * 0.2 * self.s.data)
        self.opt.step()

    def values(self) -> list[float]:
        return [*self.w._data.ravel().tolist(), self.s.data]


def _to_arrays(torch: Any, state: dict) -> dict:
    """A PyTorch optimizer state dict with its tensors as numpy arrays."""
    arrays = {k: {n: v.numpy() for n, v in entry.items()} for k, entry in state["state"].items()}
    return {"state": arrays, "param_groups": [dict(g) for g in state["param_groups"]]}


def _to_tensors(torch: Any, state: dict) -> dict:
    tensors = {
        k: {n: torch.from_numpy(np.array(v)) for n, v in entry.items()} for k, entry in state["state"].items()
    }
    return {"state": tensors, "param_groups": [dict(g) for g in state["param_groups"]]}


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS, ids=IDS)
def test_a_learning_rate_schedule_through_param_groups_matches_torch(name: str, options: dict) -> None:
    torch = pytest.importorskip("torch")
    w, s = np.random.default_rng(4).normal(size=(3, 2)), 0.7
    theirs, ours = _Torch(torch, name, options, w, s), _Ours(name, options, w, s)
    for step in range(6):
        for opt in (theirs.opt, ours.opt):  # PyTorch's way of writing a schedule
            for group in opt.param_groups:
                group["lr"] *= 0.8
        theirs.step()
        ours.step()
        np.testing.assert_allclose(
            ours.values(), theirs.values(), rtol=1e-10, atol=1e-12, err_msg=f"step {step}"
        )


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS, ids=IDS)
def test_optimizer_state_moves_between_torch_and_ours_step_for_step(name: str, options: dict) -> None:
    torch = pytest.importorskip("torch")
    w, s = np.random.default_rng(5).normal(size=(3, 2)), -0.4
    theirs = _Torch(torch, name, options, w, s)
    for _ in range(3):
        theirs.step()
    # torch -> ours: the same parameters, then the state; the next steps agree
    ours = _Ours(name, options, theirs.w.detach().numpy(), theirs.s.item())
    ours.opt.load_state_dict(_to_arrays(torch, theirs.opt.state_dict()))
    for step in range(3):
        theirs.step()
        ours.step()
        np.testing.assert_allclose(
            ours.values(), theirs.values(), rtol=1e-10, atol=1e-12, err_msg=f"step {step}"
        )
    # our state dict has PyTorch's shape: the same indices, names, shapes and settings
    mine, reference = ours.opt.state_dict(), theirs.opt.state_dict()
    assert list(mine) == ["state", "param_groups"]
    assert list(mine["state"]) == list(reference["state"])
    for index, entry in reference["state"].items():
        assert list(mine["state"][index]) == list(entry)
        for key, value in entry.items():
            assert mine["state"][index][key].shape == tuple(value.shape)
            assert mine["state"][index][key].dtype == value.numpy().dtype, key  # step: float32
            np.testing.assert_allclose(mine["state"][index][key], value.numpy(), rtol=1e-10, atol=1e-12)
    for group, expected in zip(mine["param_groups"], reference["param_groups"]):
        assert {k: group[k] for k in expected} == expected  # ours holds torch's implementation keys too
    # ours -> torch: a fresh torch optimizer continues from our state
    fresh = _Torch(torch, name, options, ours.w._data, ours.s.data)
    fresh.opt.load_state_dict(_to_tensors(torch, ours.opt.state_dict()))
    for step in range(3):
        fresh.step()
        ours.step()
        np.testing.assert_allclose(
            ours.values(), fresh.values(), rtol=1e-10, atol=1e-12, err_msg=f"step {step}"
        )


def test_state_dict_of_our_own_optimizer_round_trips() -> None:
    w, s = np.random.default_rng(6).normal(size=(3, 2)), 0.3
    a = _Ours("Adam", {"lr": 0.05, "amsgrad": True}, w, s)
    for _ in range(2):
        a.step()
    state = a.opt.state_dict()
    assert state["param_groups"] == [
        {"lr": 0.05, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": True, "params": [0]},
        {
            "lr": 0.025,
            "betas": (0.9, 0.999),
            "eps": 1e-8,
            "weight_decay": 0.0,
            "amsgrad": True,
            "params": [1],
        },
    ]
    assert list(state["state"][1]) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    assert state["state"][1]["exp_avg"].shape == () and state["state"][1]["step"] == 2
    b = _Ours("Adam", {"lr": 0.05, "amsgrad": True}, a.w._data.copy(), a.s.data)
    b.opt.load_state_dict(state)
    state["state"][0]["exp_avg"][:] = 99.0  # the optimizer holds copies
    for _ in range(3):
        a.step()
        b.step()
        assert a.values() == b.values()
    sgd = nn.optim.SGD([Tensor([1.0], requires_grad=True)], lr=0.1)
    sgd.params[0].grad = np.ones(1)
    sgd.step()
    assert sgd.state_dict()["state"] == {}  # no momentum: no state, as PyTorch's


def _snapshot(opt: Any) -> str:
    return repr(opt.state_dict()) + repr(opt.param_groups)


def test_load_state_dict_checks_everything_and_changes_nothing() -> None:
    w, s = np.random.default_rng(7).normal(size=(3, 2)), 0.3
    ours = _Ours("Adam", {"lr": 0.05}, w, s)
    ours.step()
    good = ours.opt.state_dict()
    before = _snapshot(ours.opt)

    def edited(change: Any) -> dict:
        state = {
            "state": {k: dict(v) for k, v in good["state"].items()},
            "param_groups": [dict(g) for g in good["param_groups"]],
        }
        change(state)
        return state

    cases = [
        (lambda s: s["param_groups"].pop(), ValueError, "the state dict has 1 param groups, the optimizer 2"),
        (lambda s: s["param_groups"][0].update(params=[0, 5]), ValueError, "param group 0 has 2 parameters"),
        (lambda s: s["param_groups"][1].update(params=[0]), ValueError, "parameter index 0 appears twice"),
        (lambda s: s["param_groups"][1].update(lr=-1.0), ValueError, "param group 1: lr must be >= 0"),
        (lambda s: s["param_groups"][0].pop("eps"), ValueError, "param group 0: the group has no 'eps'"),
        (lambda s: s["param_groups"][0].update(maximize=True), ValueError, "maximize=True is not supported"),
        (
            lambda s: s["param_groups"][0].update(decoupled_weight_decay=True),
            ValueError,
            "decoupled_weight_decay=True: it belongs to AdamW",
        ),
        (
            lambda s: s["state"][0].update(momentum_buffer=np.zeros((3, 2))),
            ValueError,
            "'momentum_buffer' is not state Adam keeps",
        ),
        (
            lambda s: s["state"][0].update(exp_avg=np.zeros(6)),
            ValueError,
            r"'exp_avg' has shape \(6,\) but the parameter has shape \(3, 2\)",
        ),
        (lambda s: s["state"][0].update(exp_avg_sq=np.zeros((3, 2), complex)), ValueError, "not real ones"),
        (
            lambda s: s["state"][0].update(step=np.array(1.5)),
            ValueError,
            "'step' must be a whole number >= 0",
        ),
        (
            lambda s: s["state"].update({7: {}}),
            ValueError,
            "an entry for parameter 7, which no param group lists",
        ),
        (lambda s: s["state"].update({"0": {}}), TypeError, "parameter indices must be ints, got str"),
        (lambda s: s.pop("state"), ValueError, "the state dict has no 'state'"),
    ]
    for change, error, message in cases:
        with pytest.raises(error, match=message):
            ours.opt.load_state_dict(edited(change))
        assert _snapshot(ours.opt) == before, message
    with pytest.raises(TypeError, match="Adam: load_state_dict: expected a dict, got list"):
        ours.opt.load_state_dict([])  # type: ignore[arg-type]
    ours.opt.load_state_dict(edited(lambda s: s["param_groups"][1].update(lr=0.5, foreach=None)))
    assert ours.opt.param_groups[1]["lr"] == 0.5 and ours.opt.param_groups[1]["foreach"] is None


def test_values_stepped_together_need_one_step_count() -> None:
    a, b = Value(1.0), Value(2.0)
    opt = nn.optim.Adam([a, b], lr=0.1)
    a.grad = b.grad = 1.0
    opt.step()
    state = opt.state_dict()
    assert state["state"][0]["step"] == state["state"][1]["step"] == 1
    state["state"][1]["step"] = np.array(4.0, dtype=np.float32)
    with pytest.raises(
        ValueError, match=r"parameters \[0, 1\] are Values, updated together with one step count"
    ):
        opt.load_state_dict(state)
    del state["state"][1]
    with pytest.raises(ValueError, match="the same entries for all of them"):
        opt.load_state_dict(state)
    opt.load_state_dict({"state": {}, "param_groups": state["param_groups"]})  # a fresh start
    assert opt.state == [{}]
    opt.step()
    assert (a.data, b.data) == pytest.approx((0.8, 1.8))  # two first steps of Adam: lr·sign(g) each


def test_momentum_none_from_an_older_torch_is_no_buffer() -> None:
    w = Tensor([1.0], requires_grad=True)
    opt = nn.optim.SGD([w], lr=0.1, momentum=0.9)
    opt.load_state_dict(
        {"state": {0: {"momentum_buffer": None}}, "param_groups": opt.state_dict()["param_groups"]}
    )
    w.grad = np.ones(1)
    opt.step()
    assert w.data[0] == pytest.approx(0.9) and not math.isnan(opt.state[0]["momentum_buffer"][0])

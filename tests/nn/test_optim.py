"""Optimizers (nn/optim.py): first steps against updates worked out by hand, for Value and Tensor
parameters, updated in place; trajectories against torch.optim step for step, and its defaults.
(Checks of parameters and settings: test_optim_params.py; state dicts: test_optim_state.py.)"""

from __future__ import annotations

import math
import tracemalloc
from typing import Any

import numpy as np
import pytest
from nn_helpers import needs_torch, torch

import nn
from autograd import Tensor, Value


def run(opt_cls, steps: int = 2, x0: float = 1.0, f=lambda x: x * x, **options) -> list[float]:
    """Minimise f (x² by default: gradient 2x) from x0; the positions after each step."""
    x = Value(x0)
    opt = opt_cls([x], **options)
    path = []
    for _ in range(steps):
        opt.zero_grad()
        f(x).backward()
        opt.step()
        path.append(x.data)
    return path


def test_sgd_plain() -> None:
    # x1 = 1 - 0.1·2 = 0.8; x2 = 0.8 - 0.1·1.6 = 0.64
    assert run(nn.optim.SGD, lr=0.1) == pytest.approx([0.8, 0.64])


def test_sgd_momentum_dampening_weight_decay() -> None:
    # g1 = 2 + 0.5·1 = 2.5, b1 = g1 = 2.5 (no dampening on the first step), x1 = 1 - 0.1·2.5 = 0.75
    # g2 = 1.5 + 0.375 = 1.875, b2 = 0.9·2.5 + (1 - 0.2)·1.875 = 3.75, x2 = 0.75 - 0.375 = 0.375
    path = run(nn.optim.SGD, lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.5)
    assert path == pytest.approx([0.75, 0.375])


def test_sgd_nesterov() -> None:
    # g1 = 2, b1 = 2, step = g1 + 0.9·b1 = 3.8, x1 = 1 - 0.38 = 0.62
    # g2 = 1.24, b2 = 0.9·2 + 1.24 = 3.04, step = 1.24 + 0.9·3.04 = 3.976, x2 = 0.62 - 0.3976
    path = run(nn.optim.SGD, lr=0.1, momentum=0.9, nesterov=True)
    assert path == pytest.approx([0.62, 0.62 - 0.3976])


def test_adam_first_steps() -> None:
    # Step 1: m = 0.1·2, v = 0.001·4; bias-corrected m̂ = 2, v̂ = 4: x1 = 1 - 0.1·2/(2 + eps) ≈ 0.9
    lr, eps = 0.1, 1e-8
    x1 = 1 - lr * 2 / (2 + eps)
    g2 = 2 * x1
    m2 = 0.9 * 0.2 + 0.1 * g2
    v2 = 0.999 * 0.004 + 0.001 * g2 * g2
    x2 = x1 - lr / (1 - 0.9**2) * m2 / (math.sqrt(v2) / math.sqrt(1 - 0.999**2) + eps)
    assert run(nn.optim.Adam, lr=lr) == pytest.approx([x1, x2], rel=1e-12)


def test_adam_weight_decay_is_added_to_the_gradient() -> None:
    # f = 2x (gradient 2). g1 = 2 + 1·1 = 3: step 1 is lr·g/|g| = 0.1 (Adam is scale free there)
    x1 = 1 - 0.1 * 3 / (3 + 1e-8)
    g2 = 2 + 1.0 * x1
    m2 = 0.9 * 0.1 * 3 + 0.1 * g2
    v2 = 0.999 * 0.001 * 9 + 0.001 * g2 * g2
    x2 = x1 - 0.1 / (1 - 0.9**2) * m2 / (math.sqrt(v2) / math.sqrt(1 - 0.999**2) + 1e-8)
    path = run(nn.optim.Adam, lr=0.1, weight_decay=1.0, f=lambda x: 2 * x)
    assert path == pytest.approx([x1, x2], rel=1e-12)


def test_adam_amsgrad_keeps_the_largest_second_moment() -> None:
    # A big first step shrinks the gradient, so with beta2 = 0.5 the second moment falls at
    # step 2 and amsgrad keeps using the larger, earlier one.
    plain = run(nn.optim.Adam, steps=2, lr=0.9, betas=(0.9, 0.5))
    ams = run(nn.optim.Adam, steps=2, lr=0.9, betas=(0.9, 0.5), amsgrad=True)
    assert plain[0] == ams[0]
    x1 = ams[0]
    g2 = 2 * x1
    m2 = 0.9 * 0.2 + 0.1 * g2
    v1, v2 = 0.5 * 4, 0.5 * 0.5 * 4 + 0.5 * g2 * g2
    assert v1 > v2
    expected = x1 - 0.9 / (1 - 0.9**2) * m2 / (math.sqrt(v1) / math.sqrt(1 - 0.5**2) + 1e-8)
    assert ams[1] == pytest.approx(expected, rel=1e-12)
    assert plain[1] != pytest.approx(expected)


def test_adamw_decays_the_weights_directly() -> None:
    # x ← x·(1 - lr·wd) first, then the Adam step (0.1 at step 1): 1·(1 - 0.01) - 0.1
    (x1,) = run(nn.optim.AdamW, steps=1, lr=0.1, weight_decay=0.1)
    assert x1 == pytest.approx(0.99 - 0.1)
    assert nn.optim.AdamW([Value(0.0)]).weight_decay == 1e-2


def test_rmsprop_plain_and_centered_and_momentum() -> None:
    # v1 = 0.01·4 = 0.04, x1 = 1 - 0.01·2/(0.2 + eps)
    eps = 1e-8
    x1 = 1 - 0.01 * 2 / (math.sqrt(0.04) + eps)
    assert run(nn.optim.RMSprop, steps=1) == pytest.approx([x1], rel=1e-12)
    # centered: ḡ1 = 0.01·2 = 0.02, v' = 0.04 - 0.0004
    x1c = 1 - 0.01 * 2 / (math.sqrt(0.04 - 0.0004) + eps)
    assert run(nn.optim.RMSprop, steps=1, centered=True) == pytest.approx([x1c], rel=1e-12)
    # momentum: b1 = 2/(0.2 + eps), b2 = 0.5·b1 + g2/(√v2 + eps)
    b1 = 2 / (0.2 + eps)
    x1m = 1 - 0.01 * b1
    g2 = 2 * x1m
    v2 = 0.99 * 0.04 + 0.01 * g2 * g2
    b2 = 0.5 * b1 + g2 / (math.sqrt(v2) + eps)
    assert run(nn.optim.RMSprop, momentum=0.5) == pytest.approx([x1m, x1m - 0.01 * b2], rel=1e-12)


def test_rmsprop_weight_decay() -> None:
    # g = 2 + 1 = 3, v = 0.01·9: step = 0.01·3/0.3
    assert run(nn.optim.RMSprop, steps=1, weight_decay=1.0) == pytest.approx([1 - 0.1], rel=1e-6)


def test_learning_rate_can_change_between_steps() -> None:
    x = Value(1.0)
    opt = nn.optim.SGD([x], lr=0.1)
    (x * x).backward()
    opt.lr = 0.25
    opt.step()
    assert x.data == pytest.approx(0.5)


def test_many_value_parameters_update_together_and_duplicates_once() -> None:
    a, b = Value(1.0), Value(1.0)  # equal data, different parameters
    with pytest.warns(UserWarning, match="parameter 2 is listed twice"):
        opt = nn.optim.SGD([a, b, a], lr=0.5)
    assert len(opt.params) == 2
    (a * 2 + b * 4).backward()
    opt.step()
    assert (a.data, b.data) == (0.0, -1.0)


def test_tensor_parameters_in_place_and_none_grads_skipped() -> None:
    w, frozen = Tensor([1.0, -2.0], requires_grad=True), Tensor([5.0], requires_grad=True)
    original = w._data
    opt = nn.optim.SGD([w, frozen], lr=0.1, momentum=0.9)
    w.grad = np.array([1.0, 1.0])
    opt.step()
    assert w._data is original and w.data.tolist() == pytest.approx([0.9, -2.1])
    assert frozen.data.tolist() == [5.0]
    w.grad += 1.0  # the momentum buffer must not alias the gradient array
    opt.step()
    assert w.data.tolist() == pytest.approx([0.9 - 0.1 * (0.9 + 2), -2.1 - 0.1 * (0.9 + 2)])
    opt.zero_grad()
    assert w.grad is None
    w.grad = np.ones(2)
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0]


def test_float32_tensors_stay_float32() -> None:
    w = Tensor(np.array([1.0], dtype=np.float32), requires_grad=True)
    w.grad = np.array([0.5], dtype=np.float32)
    nn.optim.Adam([w], lr=0.1).step()
    assert w.data.dtype == np.float32 and w.data[0] == pytest.approx(0.9)


@pytest.mark.parametrize("cls", [nn.optim.SGD, nn.optim.Adam, nn.optim.AdamW, nn.optim.RMSprop])
def test_bad_arguments(cls) -> None:
    name = cls.__name__
    with pytest.raises(ValueError, match=f"{name}: got no parameters to optimize"):
        cls([], lr=0.1)
    with pytest.raises(ValueError, match=rf"{name}: lr must be >= 0, got -0.1"):
        cls([Value(1.0)], lr=-0.1)
    with pytest.raises(TypeError, match=f"{name}: parameter 1 must be a Value or a Tensor, got float"):
        cls([Value(1.0), 2.0], lr=0.1)
    with pytest.raises(TypeError, match=f"{name}: pass model.parameters"):
        cls(nn.MLP(1, [1], rng=0), lr=0.1)
    with pytest.raises(TypeError, match=f"{name}: lr must be a number"):
        cls([Value(1.0)], lr="fast")


def test_bad_options() -> None:
    p = [Value(1.0)]
    with pytest.raises(ValueError, match="SGD: nesterov needs momentum > 0 and dampening = 0"):
        nn.optim.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="SGD: momentum must be >= 0"):
        nn.optim.SGD(p, lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match=r"Adam: betas\[1\] must be in \[0, 1\), got 1.0"):
        nn.optim.Adam(p, betas=(0.9, 1.0))
    with pytest.raises(TypeError, match="AdamW: betas must be a pair"):
        nn.optim.AdamW(p, betas=0.9)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="RMSprop: eps must be >= 0"):
        nn.optim.RMSprop(p, eps=-1.0)
    with pytest.raises(ValueError, match="Adam: weight_decay must be >= 0"):
        nn.optim.Adam(p, weight_decay=-1.0)
    with pytest.raises(TypeError, match="SGD: parameter 0 has dtype int64; only float Tensors train"):
        nn.optim.SGD([Tensor(np.array([1]))], lr=0.1)


def test_value_and_tensor_parameters_together() -> None:
    v, t = Value(2.0), Tensor([[1.0, 2.0]], requires_grad=True)
    opt = nn.optim.Adam([v, t], lr=0.1)
    loss = (t * t).sum()
    loss.backward()
    (v * v).backward()
    opt.step()
    assert v.data == pytest.approx(1.9) and t.data[0].tolist() == pytest.approx([0.9, 1.9])


def test_unused_value_parameters_count_as_having_gradient_zero() -> None:
    # Documented: a Value's grad is 0.0, never None, so a Value the loss did not reach is still
    # updated (weight decay, momentum, Adam's averages), unlike a Tensor whose grad is None.
    used, unused = Value(1.0), Value(1.0)
    frozen = Tensor([1.0], requires_grad=True)
    opt = nn.optim.SGD([used, unused, frozen], lr=0.1, weight_decay=0.5)
    (used * used).backward()
    opt.step()
    assert used.data == pytest.approx(1 - 0.1 * (2 + 0.5)) and unused.data == pytest.approx(1 - 0.1 * 0.5)
    assert frozen.data.tolist() == [1.0] and frozen.grad is None
    assert "without a gradient" in (nn.optim.__doc__ or "")
    assert "a Value's 0.0 counts as a gradient" in (nn.optim.Optimizer.step.__doc__ or "")

    v, t = Value(1.0), Tensor([1.0], requires_grad=True)
    adam = nn.optim.Adam([v, t], lr=0.1)
    v.grad, t.grad = 1.0, np.array([1.0])
    adam.step()
    assert v.data == pytest.approx(0.9) and t.data[0] == pytest.approx(0.9)
    adam.zero_grad()  # v.grad = 0.0: v still moves on its momentum; t (grad None) is skipped
    adam.step()
    assert v.data < 0.9 - 0.05 and t.data[0] == pytest.approx(0.9)
    assert adam.state[0]["step"] == 2 and adam.state[1]["step"] == 1


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, 1 - 2 * 0.05),  # two steps of lr·g = 0.05
        ({"momentum": 0.9}, 0.95 - 0.1 * (0.9 * 0.5 + 0.5)),
        ({"momentum": 0.9, "dampening": 0.1}, 0.95 - 0.1 * (0.9 * 0.5 + 0.9 * 0.5)),
    ],
)
def test_sgd_updates_tensors_in_place_with_one_temporary_at_most(options: dict, expected: float) -> None:
    w = Tensor(np.ones(1_000_000), requires_grad=True)
    w.grad = np.full(1_000_000, 0.5)
    opt = nn.optim.SGD([w], lr=0.1, **options)
    opt.step()  # the first step may allocate the momentum buffer
    original = w._data
    tracemalloc.start()
    try:
        opt.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert w._data is original
    # one temporary at most (lr·g), where `p - lr·g` and copying it back needed two or more
    assert peak < 1.5 * original.nbytes, f"peak {peak / original.nbytes:.2f} parameter sizes"
    assert w[0].item() == pytest.approx(expected, rel=1e-12)


# --- against torch.optim ---------------------------------------------------------------------------

RNG = np.random.default_rng(2024)
A = RNG.normal(size=(5, 3))
B = RNG.normal(size=5)
W0 = RNG.normal(size=3)


def _objective(w, a, b):
    """A least-squares fit plus a quartic, so gradients change scale along the way."""
    r = a @ w - b
    return (r * r).sum() + 0.1 * (w * w * w * w).sum()


OPTIMIZERS = [
    ("SGD", {"lr": 0.01}),
    ("SGD", {"lr": 0.01, "momentum": 0.9}),
    ("SGD", {"lr": 0.01, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    ("Adam", {}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True, "betas": (0.7, 0.9)}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.005, "alpha": 0.9, "momentum": 0.5}),
    ("RMSprop", {"lr": 0.005, "centered": True, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.005, "centered": True, "momentum": 0.9, "eps": 1e-4}),
]


@needs_torch
@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_tensor_trajectories_match_torch(name: str, options: dict) -> None:
    ours_w = Tensor(W0.copy(), requires_grad=True)
    theirs_w = torch.tensor(W0.copy(), requires_grad=True)
    ours = getattr(nn.optim, name)([ours_w], **options)
    theirs = getattr(torch.optim, name)([theirs_w], **options)
    At, Bt = torch.tensor(A), torch.tensor(B)
    for step in range(12):
        ours.zero_grad()
        theirs.zero_grad()
        _objective(ours_w, Tensor(A), Tensor(B)).backward()
        _objective(theirs_w, At, Bt).backward()
        ours.step()
        theirs.step()
        np.testing.assert_allclose(
            ours_w.data,
            theirs_w.detach().numpy(),
            rtol=1e-10,
            atol=1e-12,
            err_msg=f"{name} {options}: step {step + 1}",
        )


@needs_torch
@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_value_trajectories_match_torch(name: str, options: dict) -> None:
    ours_w = [Value(float(v)) for v in W0]
    theirs_w = torch.tensor(W0.copy(), requires_grad=True)
    ours = getattr(nn.optim, name)(ours_w, **options)
    theirs = getattr(torch.optim, name)([theirs_w], **options)

    def value_objective() -> Value:
        total = Value(0.0)
        for row, b in zip(A.tolist(), B.tolist()):
            r = sum((a * w for a, w in zip(row, ours_w)), Value(-b))
            total = total + r * r
        return total + 0.1 * sum(w * w * w * w for w in ours_w)

    for step in range(12):
        ours.zero_grad()
        theirs.zero_grad()
        value_objective().backward()
        _objective(theirs_w, torch.tensor(A), torch.tensor(B)).backward()
        ours.step()
        theirs.step()
        np.testing.assert_allclose(
            [w.data for w in ours_w],
            theirs_w.detach().numpy(),
            rtol=1e-10,
            atol=1e-12,
            err_msg=f"{name} {options}: step {step + 1}",
        )


@needs_torch
def test_defaults_match_torch() -> None:
    import inspect

    for name in ("SGD", "Adam", "AdamW", "RMSprop"):
        ours = inspect.signature(getattr(nn.optim, name)).parameters
        theirs = inspect.signature(getattr(torch.optim, name)).parameters
        for arg, param in ours.items():
            if arg != "params":
                assert param.default == theirs[arg].default, f"{name}.{arg}"


@needs_torch
@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop"])
def test_the_quickstart_loop_follows_torch_in_float32(name: str) -> None:
    # PyTorch's tutorial order: loss.backward(); optimizer.step(); optimizer.zero_grad()
    import autograd

    def net(m: Any) -> Any:
        kw = {"dtype": np.float32} if m is nn else {}
        return m.Sequential(m.Flatten(), m.Linear(64, 32, **kw), m.ReLU(), m.Linear(32, 10, **kw))

    autograd.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = net(nn), net(torch.nn)  # the same weights: the same seed
    rng = np.random.default_rng(1)
    X, y = rng.random((16, 8, 8), dtype=np.float32), rng.integers(0, 10, 16)
    opt, opt_t = (
        getattr(nn.optim, name)(ours.parameters(), lr=1e-2),
        getattr(torch.optim, name)(theirs.parameters(), lr=1e-2),
    )
    loss_fn, loss_fn_t = nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    for _ in range(5):
        loss, loss_t = loss_fn(ours(X), y), loss_fn_t(theirs(torch.from_numpy(X)), torch.from_numpy(y))
        loss.backward()
        loss_t.backward()
        opt.step()
        opt_t.step()
        opt.zero_grad()
        opt_t.zero_grad()
        assert loss.dtype == np.float32 and loss.item() == pytest.approx(loss_t.item(), rel=1e-5)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-4, atol=1e-6)
        assert p.grad is None and q.grad is None


def test_the_lectures_manual_update_reaches_the_parameter() -> None:
    # makemore's `p.data += -lr * p.grad`: .data shares the parameter's memory
    w = Tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.data += -0.1 * w.grad
    assert w.tolist() == pytest.approx([0.8, 1.6])
    w.grad = None
    assert w.grad is None

"""nn against PyTorch (skipped where torch is not installed): losses, optimizer trajectories,
and state dicts that load into torch.nn unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(2024)
X = RNG.normal(size=(4, 3)) * 2
PROBS = 1 / (1 + np.exp(-X))
SOFT = RNG.uniform(size=(4, 3))
SIGNS = np.sign(RNG.normal(size=(4, 3)))

# name -> (our loss, torch's, input, target, extra keyword arguments)
LOSSES = {
    "mse": (F.mse_loss, TF.mse_loss, X, SOFT, {}),
    "l1": (F.l1_loss, TF.l1_loss, X, SOFT, {}),
    "smooth_l1": (F.smooth_l1_loss, TF.smooth_l1_loss, X, SOFT, {}),
    "smooth_l1_beta": (F.smooth_l1_loss, TF.smooth_l1_loss, X, SOFT, {"beta": 0.4}),
    "bce": (F.binary_cross_entropy, TF.binary_cross_entropy, PROBS, SOFT, {}),
    "bce_logits": (F.binary_cross_entropy_with_logits, TF.binary_cross_entropy_with_logits, X * 10, SOFT, {}),
    "hinge": (
        F.hinge_loss,
        lambda x, y, reduction: _torch_reduce(torch.clamp(1 - y * x, min=0), reduction),
        X,
        SIGNS,
        {},
    ),
}


def _torch_reduce(t, reduction: str):
    return {"mean": t.mean, "sum": t.sum, "none": lambda: t}[reduction]()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_losses_and_their_gradients_match_torch(name: str, reduction: str) -> None:
    ours_fn, torch_fn, x, y, kw = LOSSES[name]
    weights = RNG.uniform(0.5, 1.5, size=x.shape)  # so 'none' is checked through backward too
    ours_x, ours_y = Tensor(x.copy(), requires_grad=True), Tensor(y.copy(), requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    theirs_y = torch.tensor(y, requires_grad=True)
    ours = ours_fn(ours_x, ours_y, reduction=reduction, **kw)
    theirs = torch_fn(theirs_x, theirs_y, reduction=reduction, **kw)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    (ours * Tensor(weights)).sum().backward() if reduction == "none" else ours.backward()
    (theirs * torch.tensor(weights)).sum().backward() if reduction == "none" else theirs.backward()
    np.testing.assert_allclose(ours_x.grad, theirs_x.grad.numpy(), rtol=1e-9, atol=1e-12)
    if name != "bce":  # torch gives no gradient for BCE's target
        np.testing.assert_allclose(ours_y.grad, theirs_y.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", LOSSES)
def test_value_losses_match_torch(name: str) -> None:
    ours_fn, torch_fn, x, y, kw = LOSSES[name]
    xs = [Value(float(v)) for v in x.ravel()]
    ours = ours_fn(xs, y.ravel().tolist(), **kw)
    theirs_x = torch.tensor(x.ravel(), requires_grad=True)
    theirs = torch_fn(theirs_x, torch.tensor(y.ravel()), reduction="mean", **kw)
    ours.backward()
    theirs.backward()
    assert ours.data == pytest.approx(theirs.item(), rel=1e-10)
    np.testing.assert_allclose([v.grad for v in xs], theirs_x.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_bce_at_the_edges_matches_torch() -> None:
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-50])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.3])
    ours = F.binary_cross_entropy(Tensor(x), y, reduction="none").data
    theirs = TF.binary_cross_entropy(torch.tensor(x), torch.tensor(y), reduction="none").numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("scale", [1.0, 1e4])
def test_cross_entropy_matches_torch(reduction: str, scale: float) -> None:
    z = RNG.normal(size=(6, 5)) * scale
    t = RNG.integers(0, 5, size=6)
    ours_z, theirs_z = Tensor(z.copy(), requires_grad=True), torch.tensor(z, requires_grad=True)
    ours = F.cross_entropy(ours_z, t, reduction=reduction)
    theirs = TF.cross_entropy(theirs_z, torch.tensor(t), reduction=reduction)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_z.grad, theirs_z.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_minus_infinity_logits_matches_torch(reduction: str) -> None:
    z = np.array([[0.0, -np.inf, 1.0], [1.0, 2.0, -np.inf], [-np.inf, -np.inf, 0.5]])
    t = np.array([0, 1, 2])
    ours_z, theirs_z = Tensor(z.copy(), requires_grad=True), torch.tensor(z, requires_grad=True)
    ours = F.cross_entropy(ours_z, t, reduction=reduction)
    theirs = TF.cross_entropy(theirs_z, torch.tensor(t), reduction=reduction)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=0)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_z.grad, theirs_z.grad.numpy(), rtol=1e-12, atol=1e-300)
    if reduction != "none":  # and on Values
        rows = [[Value(float(v)) for v in r] for r in z]
        value_loss = F.cross_entropy(rows, t, reduction=reduction)
        value_loss.backward()
        assert value_loss.data == pytest.approx(theirs.item(), rel=1e-12)
        np.testing.assert_allclose([[v.grad for v in r] for r in rows], theirs_z.grad.numpy(), rtol=1e-12)


def test_float32_bce_at_the_edges_matches_torch() -> None:
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-45, 0.25], dtype=np.float32)
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.3, 0.5], dtype=np.float32)
    ours = F.binary_cross_entropy(Tensor(x), y, reduction="none")
    theirs = TF.binary_cross_entropy(torch.tensor(x), torch.tensor(y), reduction="none").numpy()
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours.data, theirs, rtol=1e-6)
    assert ours.data[0] == theirs[0] == 100.0


# --- optimizers -------------------------------------------------------------------------------

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


def test_defaults_match_torch() -> None:
    import inspect

    for name in ("SGD", "Adam", "AdamW", "RMSprop"):
        ours = inspect.signature(getattr(nn.optim, name)).parameters
        theirs = inspect.signature(getattr(torch.optim, name)).parameters
        for arg, param in ours.items():
            if arg != "params":
                assert param.default == theirs[arg].default, f"{name}.{arg}"


# --- state dicts ------------------------------------------------------------------------------


def _torch_net():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3)).double()


def test_state_dict_loads_into_torch_sequential_unchanged(tmp_path: Path) -> None:
    ours = nn.Sequential(nn.Linear(4, 8, rng=0), nn.ReLU(), nn.Linear(8, 3, rng=1))
    nn.save(ours.state_dict(), tmp_path / "net.npz")
    theirs = _torch_net()
    state = {k: torch.from_numpy(v) for k, v in nn.load(tmp_path / "net.npz").items()}
    theirs.load_state_dict(state, strict=True)  # same keys, same shapes
    x = RNG.normal(size=(7, 4))
    expected = theirs(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(ours(Tensor(x)).data, expected, rtol=1e-12)


def test_torch_state_dict_loads_into_ours() -> None:
    theirs = _torch_net()
    ours = nn.Sequential(nn.Linear(4, 8, rng=0), nn.ReLU(), nn.Linear(8, 3, rng=0))
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = RNG.normal(size=(2, 4))
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12)


def test_linear_init_matches_torch_distribution() -> None:
    torch.manual_seed(0)
    theirs = torch.nn.Linear(300, 200).weight.detach().numpy()
    ours = nn.Linear(300, 200, rng=0).weight.data
    # same bound and spread (different random streams): U(-1/sqrt(300), 1/sqrt(300))
    assert abs(ours.max() - theirs.max()) < 1e-3 and abs(ours.min() - theirs.min()) < 1e-3
    assert abs(ours.std() - theirs.std()) < 1e-3

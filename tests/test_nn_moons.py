"""micrograd's demo: an MLP(2, [16, 16, 1]) learns two moons with the max-margin loss."""

from __future__ import annotations

import numpy as np

import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know


def make_moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's make_moons), labels -1 and +1."""
    n_out = n // 2
    n_in = n - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], axis=1)
    X = np.vstack([outer, inner]) + rng.normal(0.0, noise, (n, 2))
    y = np.hstack([-np.ones(n_out), np.ones(n_in)])
    return X, y


def test_micrograd_moons_demo_reaches_95_percent() -> None:
    X, y = make_moons(100, 0.1, np.random.default_rng(1337))
    model = nn.MLP(2, [16, 16, 1], rng=1337)
    params = model.parameters()
    assert len(params) == 337  # micrograd's count
    opt = nn.optim.SGD(params, lr=1.0)
    rows, targets = X.tolist(), y.tolist()
    accuracy = 0.0
    for k in range(100):
        scores = [model(row) for row in rows]
        data_loss = F.hinge_loss(scores, targets)  # mean(relu(1 - y·score)): the SVM max-margin loss
        loss = data_loss + 1e-4 * sum(p * p for p in params)
        accuracy = float(np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, targets)]))
        opt.zero_grad()
        loss.backward()
        opt.lr = 1.0 - 0.9 * k / 100  # micrograd's schedule
        opt.step()
    assert accuracy >= 0.95, f"training accuracy {accuracy:.0%} after 100 steps"
    assert loss.data < 0.1

"""The loss modules (nn/loss_modules.py): nn.CrossEntropyLoss, MSELoss, L1Loss, BCELoss,
BCEWithLogitsLoss, NLLLoss, SmoothL1Loss, HuberLoss with PyTorch's arguments: the same values and
gradients as torch's modules, the same printed text and state dict (weights are buffers), bad
arguments refused when the module is made."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nn_helpers import TOL, needs_torch, torch

import nn
from autograd import Tensor, Value

RNG = np.random.default_rng(7)
LOGITS = RNG.normal(size=(6, 4)) * 2
CLASSES = np.array([0, 3, 1, 1, 2, 3])
X = RNG.normal(size=(6, 4))
PROBS = 1 / (1 + np.exp(-X))
SOFT = RNG.uniform(size=(6, 4))
CLASS_WEIGHTS = np.array([0.5, 1.0, 2.0, 0.25])

# (module name, constructor arguments, input, target): torch's module takes the same arguments
CASES: list[tuple[str, dict[str, Any], np.ndarray, np.ndarray]] = [
    ("CrossEntropyLoss", {}, LOGITS, CLASSES),
    ("CrossEntropyLoss", {"reduction": "sum", "label_smoothing": 0.1}, LOGITS, CLASSES),
    ("CrossEntropyLoss", {"weight": CLASS_WEIGHTS, "ignore_index": 1}, LOGITS, CLASSES),
    ("CrossEntropyLoss", {"reduction": "none"}, LOGITS, SOFT / SOFT.sum(1, keepdims=True)),
    ("NLLLoss", {}, np.log(PROBS / PROBS.sum(1, keepdims=True)), CLASSES),
    ("NLLLoss", {"weight": CLASS_WEIGHTS, "reduction": "none"}, np.log(PROBS), CLASSES),
    ("MSELoss", {}, X, SOFT),
    ("MSELoss", {"reduction": "sum"}, X, SOFT),
    ("L1Loss", {"reduction": "none"}, X, SOFT),
    ("BCELoss", {}, PROBS, SOFT),
    ("BCELoss", {"weight": CLASS_WEIGHTS}, PROBS, SOFT),
    ("BCEWithLogitsLoss", {}, X * 5, SOFT),
    ("BCEWithLogitsLoss", {"pos_weight": np.array([1.0, 2.0, 0.5, 3.0]), "reduction": "sum"}, X, SOFT),
    ("SmoothL1Loss", {"beta": 0.5}, X, SOFT),
    ("HuberLoss", {"delta": 0.3, "reduction": "none"}, X, SOFT),
]


@needs_torch
@pytest.mark.parametrize(("name", "options", "x", "y"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_loss_modules_match_torchs(name: str, options: dict, x: np.ndarray, y: np.ndarray) -> None:
    theirs_options = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()}
    ours_options = {k: Tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()}
    ours, theirs = getattr(nn, name)(**ours_options), getattr(torch.nn, name)(**theirs_options)
    assert repr(ours) == repr(theirs) == f"{name}()"
    assert list(ours.state_dict()) == list(theirs.state_dict())  # weight, pos_weight: buffers
    assert ours.reduction == theirs.reduction
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours(xo, y), theirs(xt, torch.from_numpy(y))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOL)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), **TOL)


def test_the_quickstart_use_float32_logits_and_int64_classes() -> None:
    loss_fn = nn.CrossEntropyLoss()
    pred = Tensor(LOGITS.astype(np.float32), requires_grad=True)
    y = Tensor(CLASSES)  # int64
    loss = loss_fn(pred, y)
    assert loss.dtype == np.float32 and loss.shape == ()
    loss.backward()
    assert pred.grad.dtype == np.float32
    assert isinstance(loss_fn, nn.Module) and loss_fn.parameters() == [] and loss_fn.state_dict() == {}


def test_loss_modules_work_on_values_too() -> None:
    rows = [[Value(float(v)) for v in row] for row in LOGITS[:2]]
    expected = nn.functional.cross_entropy(Tensor(LOGITS[:2]), CLASSES[:2]).item()
    assert nn.CrossEntropyLoss()(rows, CLASSES[:2].tolist()).data == pytest.approx(expected, rel=1e-12)
    assert nn.MSELoss()([Value(1.0), Value(3.0)], [0.0, 1.0]).data == 2.5


def test_loss_modules_check_their_arguments_when_made() -> None:
    with pytest.raises(ValueError, match="^MSELoss: reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(TypeError, match="^CrossEntropyLoss: reduction must be"):
        nn.CrossEntropyLoss(reduction=None)
    with pytest.raises(TypeError, match="CrossEntropyLoss.register_buffer: buffer 'weight' must be a Tensor"):
        nn.CrossEntropyLoss(weight=[1.0, 2.0])
    with pytest.warns(UserWarning, match="size_average and reduce are deprecated"):
        assert nn.L1Loss(size_average=False).reduction == "sum"
    with pytest.warns(UserWarning):
        assert nn.NLLLoss(reduce=False).reduction == "none"


def test_a_weight_buffer_follows_the_module() -> None:
    loss_fn = nn.CrossEntropyLoss(weight=Tensor(CLASS_WEIGHTS))
    assert list(loss_fn.state_dict()) == ["weight"] and loss_fn.buffers()[0] is loss_fn.weight
    loss_fn.to(np.float32)
    assert loss_fn.weight.dtype == np.float32
    assert loss_fn(Tensor(LOGITS.astype(np.float32)), CLASSES).dtype == np.float32

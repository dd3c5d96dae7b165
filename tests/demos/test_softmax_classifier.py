"""demos/softmax_classifier.py: 100% on validation and test, and a graph picture whose
gradients are its own batch's, with only named inputs."""

from __future__ import annotations

from typing import Any

import numpy as np

import nn
from autograd import Tensor, grad
from autograd.engine import toposort


def test_softmax_classifier_is_perfect(runs: Any) -> None:
    result = runs["softmax_classifier"]
    assert (result["val_accuracy"], result["test_accuracy"]) == (100.0, 100.0)


def test_softmax_picture_loss_zeroes_the_gradients_first() -> None:
    from demos import softmax_classifier as demo

    model = nn.Linear(4, 2, rng=0)
    x, y = demo.X[demo.TRAIN], demo.Y[demo.TRAIN]
    leftover = nn.functional.cross_entropy(model(Tensor(x[4:])), y[4:], reduction="sum")
    leftover.backward()  # as after a training step
    loss = demo.picture_loss(model, x[:4], y[:4])
    fresh = grad(loss, [model.weight, model.bias])
    assert np.allclose(model.weight.grad.numpy(), fresh[0].numpy())
    assert np.allclose(model.bias.grad.numpy(), fresh[1].numpy())


def test_softmax_picture_shows_only_named_inputs() -> None:
    # cross_entropy once multiplied by a one-hot mask (and a -1), drawn as unnamed inputs.
    from demos import softmax_classifier as demo

    model = nn.Linear(4, 2, rng=0)
    loss = demo.picture_loss(model, demo.X[demo.TRAIN][:4], demo.Y[demo.TRAIN][:4])
    named = {id(p): name for name, p in model.named_parameters()}
    leaves = [node for node in toposort([loss]) if not node._prev]
    assert sorted(named.get(id(leaf), leaf.label) for leaf in leaves) == ["batch", "bias", "weight"]
    assert loss.label == "loss" and "logits" in {node.label for node in toposort([loss])}

"""scratchgrad.autograd.grad: PyTorch's argument forms, and a clear error for what is not a Tensor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sg_helpers import TORCH_ERRORS, same

import scratchgrad as sg

# --- autograd.grad ----------------------------------------------------------------------------


def graph() -> tuple[sg.Tensor, sg.Tensor]:
    x = sg.tensor([1.0, 2.0], requires_grad=True)
    return x, (x * x).sum()


@pytest.mark.parametrize(
    ("outputs", "inputs", "message"),
    [
        (
            lambda x, y: y,
            lambda x, y: x.tolist(),
            "inputs must be a Tensor or a sequence of Tensors, got float",
        ),
        (lambda x, y: y, lambda x, y: [x, 3], "inputs must be a Tensor or a sequence of Tensors, got int"),
        (lambda x, y: y, lambda x, y: {x}, "inputs must be a Tensor or a sequence of Tensors, got set"),
        (lambda x, y: y, lambda x, y: None, "inputs must be .* got NoneType"),
        (lambda x, y: 3.0, lambda x, y: x, "outputs must be a Tensor or a sequence of Tensors, got float"),
        (
            lambda x, y: [y, None],
            lambda x, y: x,
            "outputs must be a Tensor or a sequence of Tensors, got NoneType",
        ),
        (lambda x, y: y.item(), lambda x, y: [x], "outputs must be .* got float"),
    ],
)
def test_autograd_grad_refuses_what_is_not_a_tensor(
    outputs: Callable[..., Any], inputs: Callable[..., Any], message: str
) -> None:
    x, y = graph()
    with pytest.raises(TypeError, match="autograd.grad: " + message):
        sg.autograd.grad(outputs(x, y), inputs(x, y))


def test_autograd_grad_takes_tensors_lists_and_tuples(torch: Any) -> None:
    for wrap in (lambda t: t, lambda t: [t], lambda t: (t,)):
        x, y = graph()
        tx = torch.tensor([1.0, 2.0], requires_grad=True)
        ty = (tx * tx).sum()
        (ours,) = sg.autograd.grad(wrap(y), wrap(x))
        (theirs,) = torch.autograd.grad(wrap(ty), wrap(tx))
        same(ours, theirs)
    with pytest.raises(TORCH_ERRORS):
        torch.autograd.grad(ty, [tx, 3])

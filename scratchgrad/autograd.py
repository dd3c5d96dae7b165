"""``torch.autograd``: ``grad`` as PyTorch's, over `autograd.grad` (the same walk as
``backward()``, leaving every ``.grad`` alone).

>>> import scratchgrad as torch
>>> x = torch.tensor([2.0], requires_grad=True)
>>> (dx,) = torch.autograd.grad((x**3).sum(), x, create_graph=True)
>>> torch.autograd.grad(dx.sum(), x)[0].tolist()
[12.0]
"""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor, engine

__all__ = ["grad"]


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    """The gradients of ``outputs`` with respect to each of ``inputs``, as PyTorch's: an input
    the outputs do not depend on is an error, or None with ``allow_unused=True``, or zeros with
    ``materialize_grads=True``. (Graphs are kept here, so ``retain_graph`` changes nothing.)"""
    if is_grads_batched:
        raise ValueError("autograd.grad: is_grads_batched is not supported here; loop over the batch")
    ins, outs = _tensors("inputs", inputs), _tensors("outputs", outputs)
    found = autograd.grad(outs, ins, grad_outputs, create_graph=create_graph)
    reached = {id(n) for n in engine.toposort(o for o in outs if isinstance(o, Tensor))}
    result: list[Any] = []
    for i, (x, g) in enumerate(zip(ins, found)):
        if id(x) in reached or materialize_grads:
            result.append(g)
        elif allow_unused:
            result.append(None)
        else:
            raise ValueError(
                f"autograd.grad: input {i} was not used to compute the outputs; pass "
                "allow_unused=True to get None for it, or materialize_grads=True for zeros"
            )
    return tuple(result)


def _tensors(name: str, given: Any) -> list[Any]:
    """A Tensor, or a sequence of them, as a list."""
    if isinstance(given, Tensor):
        return [given]
    if isinstance(given, (list, tuple)) and all(isinstance(t, Tensor) for t in given):
        return list(given)
    found = (
        next((t for t in given if not isinstance(t, Tensor)), given)
        if isinstance(given, (list, tuple))
        else given
    )
    raise TypeError(
        f"autograd.grad: {name} must be a Tensor or a sequence of Tensors, got {type(found).__name__}"
    )

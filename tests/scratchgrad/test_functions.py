"""scratchgrad's function forms (torch.tanh, torch.sum, torch.cat, ...) against PyTorch's: values,
dtypes, shapes and gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import scratchgrad as sg

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.25, 2.0], [3.0, 0.75, -0.5]], np.float32)
POS = np.abs(X) + 0.5


def check(fn: Callable[[Any, Any], Any], data: np.ndarray = X, grad: bool = True) -> None:
    """fn(library, x) on both libraries: the same result, and the same gradient of its sum."""
    ours_x = sg.tensor(data, requires_grad=grad)
    theirs_x = torch.tensor(data, requires_grad=grad)
    ours, theirs = fn(sg, ours_x), fn(torch, theirs_x)
    if isinstance(theirs, tuple):  # (values, indices), unbind
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6)
        ours, theirs = ours[0], theirs[0]
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).rsplit(".", 1)[-1]
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-7)
    if grad and theirs.requires_grad:
        ours.sum().backward()
        theirs.sum().backward()
        np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["abs", "exp", "tanh", "sigmoid", "relu", "neg", "square", "erf"])
def test_elementwise(name: str) -> None:
    check(lambda lib, x: getattr(lib, name)(x))


@pytest.mark.parametrize("name", ["log", "log10", "log2", "sqrt", "rsqrt"])
def test_elementwise_of_positive_numbers(name: str) -> None:
    check(lambda lib, x: getattr(lib, name)(x), POS)


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: lib.add(x, 2.0, alpha=3),
        lambda lib, x: lib.sub(x, x * 2, alpha=0.5),
        lambda lib, x: lib.mul(x, x),
        lambda lib, x: lib.div(x, 4.0),
        lambda lib, x: lib.pow(x, 2),
        lambda lib, x: lib.pow(2.0, x),
        lambda lib, x: lib.clamp(x, min=-1.0, max=1.0),
        lambda lib, x: lib.clip(x, -0.5),
        lambda lib, x: lib.matmul(x, x.T),
        lambda lib, x: lib.mm(x.T, x),
        lambda lib, x: lib.maximum(x, x * -1),
        lambda lib, x: lib.minimum(x, lib.zeros(3)),
        lambda lib, x: lib.where(x > 0, x, x * 0.1),
        lambda lib, x: lib.masked_fill(x, x < 0, 0.0),
        lambda lib, x: lib.bmm(lib.stack([x, x * 2]), lib.stack([x.T, x.T])),
        lambda lib, x: lib.tril(x),
        lambda lib, x: lib.tril(x, 1),
        lambda lib, x: lib.triu(x),
        lambda lib, x: lib.triu(lib.stack([x, x]), -1),
    ],
)
def test_binary_and_selection(fn: Callable[[Any, Any], Any]) -> None:
    check(fn)


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: lib.sum(x),
        lambda lib, x: lib.sum(x, 1),
        lambda lib, x: lib.sum(x, dim=0, keepdim=True),
        lambda lib, x: lib.sum(x, (0, 1)),
        lambda lib, x: lib.sum(x, 1, dtype=lib.float64),
        lambda lib, x: lib.mean(x, 0),
        lambda lib, x: lib.var(x, 1),
        lambda lib, x: lib.var(x, 0, keepdim=True, unbiased=False),
        lambda lib, x: lib.std(x),
        lambda lib, x: lib.std(x, 1, correction=0),
        lambda lib, x: lib.max(x),
        lambda lib, x: lib.max(x, 1),
        lambda lib, x: lib.max(x, 0, keepdim=True),
        lambda lib, x: lib.min(x, 1),
        lambda lib, x: lib.max(x, x * 0.5),
        lambda lib, x: lib.min(x, x * 0.5),
        lambda lib, x: lib.amax(x, 1),
        lambda lib, x: lib.amin(x),
        lambda lib, x: lib.softmax(x, 1),
        lambda lib, x: lib.softmax(x, dim=0),
        lambda lib, x: lib.log_softmax(x, 1),
        lambda lib, x: lib.softmax(x, 1, dtype=lib.float64),
    ],
)
def test_reductions(fn: Callable[[Any, Any], Any]) -> None:
    check(fn)


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: lib.argmax(x),
        lambda lib, x: lib.argmax(x, 1),
        lambda lib, x: lib.argmin(x, 0, keepdim=True),
        lambda lib, x: lib.all(x > -2),
        lambda lib, x: lib.any(x > 2, 1),
        lambda lib, x: lib.all(x == x),
        lambda lib, x: lib.isnan(lib.where(x > 0, x, x * float("nan"))),
        lambda lib, x: lib.isinf(lib.where(x > 1, x * float("inf"), x)),
        lambda lib, x: lib.tril(lib.ones(3, 4, dtype=lib.long)),
    ],
)
def test_not_differentiated(fn: Callable[[Any, Any], Any]) -> None:
    check(fn, grad=False)


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: lib.reshape(x, (3, 2)),
        lambda lib, x: lib.flatten(x),
        lambda lib, x: lib.squeeze(lib.unsqueeze(x, 0)),
        lambda lib, x: lib.unsqueeze(x, -1),
        lambda lib, x: lib.transpose(x, 0, 1),
        lambda lib, x: lib.t(x),
        lambda lib, x: lib.permute(x, (1, 0)),
        lambda lib, x: lib.clone(x) * 2,
        lambda lib, x: lib.cat([x, x * 2], 1),
        lambda lib, x: lib.concat((x, x), dim=0),
        lambda lib, x: lib.stack([x, x], 1),
        lambda lib, x: lib.unbind(x, 1),
        lambda lib, x: lib.unbind(x),
        lambda lib, x: lib.cat(lib.unbind(x, 1), 0),
    ],
)
def test_shapes(fn: Callable[[Any, Any], Any]) -> None:
    check(fn)


def test_counts_and_detach() -> None:
    x = sg.tensor(X, requires_grad=True)
    assert sg.numel(x) == x.nelement() == 6
    assert not sg.detach(x).requires_grad
    assert sg.cat(sg.unbind(sg.tensor([[1, 2], [3, 4]]), 1)).tolist() == [1, 3, 2, 4]


def test_functions_name_themselves_on_wrong_input() -> None:
    with pytest.raises(TypeError, match="scratchgrad.tanh: expected a Tensor, got list"):
        sg.tanh([1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unbind"):
        sg.unbind(sg.ones(2), 1)
    with pytest.raises(ValueError, match="mm"):
        sg.mm(sg.ones(2), sg.ones(2))
    with pytest.raises(ValueError, match="t: "):
        sg.t(sg.ones(2, 2, 2))
    with pytest.raises(ValueError, match="tril"):
        sg.tril(sg.ones(3))
    with pytest.raises(ValueError, match="bmm"):
        sg.bmm(sg.ones(2, 2), sg.ones(2, 2))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x: t.cumsum(x, 1),
        lambda t, x: t.sort(x, 1, descending=True),
        lambda t, x: t.topk(x, 2, dim=1),
        lambda t, x: t.gather(x, 1, t.tensor([[2, 0], [1, 1]])),
        lambda t, x: t.split(x, [1, 2], 1),
        lambda t, x: t.chunk(x, 2, 1),
        lambda t, x: t.flip(x, [0, 1]),
    ],
    ids=["cumsum", "sort", "topk", "gather", "split", "chunk", "flip"],
)
def test_ordering_and_slicing_forms(fn: Callable[[Any, Any], Any]) -> None:
    check(fn)


def test_autograd_grad_is_pytorchs() -> None:
    """torch.autograd.grad: gradients to any order; an unused input is an error, None with
    allow_unused, zeros with materialize_grads."""
    x, unused = sg.tensor([2.0], requires_grad=True), sg.tensor([1.0], requires_grad=True)
    (dx,) = sg.autograd.grad((x**3).sum(), x, create_graph=True)
    assert sg.autograd.grad(dx.sum(), [x])[0].tolist() == [12.0]
    with pytest.raises(ValueError, match="input 1 was not used"):
        sg.autograd.grad((x * 2).sum(), [x, unused])
    assert sg.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)[1] is None
    assert sg.autograd.grad((x * 2).sum(), [x, unused], materialize_grads=True)[1].tolist() == [0.0]


def test_func_is_autograd_func_under_pytorchs_names() -> None:
    jac = sg.func.jacrev(lambda x: x**2)(sg.tensor([1.0, 2.0]))
    theirs = torch.func.jacrev(lambda x: x**2)(torch.tensor([1.0, 2.0]))
    np.testing.assert_array_equal(jac.numpy(), theirs.numpy())

"""Changing a Tensor in place (autograd/tensor_inplace.py), against PyTorch: in the array where no
graph needs it (views share the change), as a new node where one does, and the gradients through
it, including an update that reads its own target (``y += y.mean()``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograd import Tensor, func, no_grad

torch = pytest.importorskip("torch")


def test_data_and_grad_share_memory_so_the_update_reaches_the_parameter() -> None:
    p = Tensor([1.0, 2.0], requires_grad=True)
    (p * p).sum().backward()
    p.data -= 0.5 * p.grad
    assert p.tolist() == [0.0, 0.0]
    with no_grad():
        p += 1.0
    assert p.tolist() == [1.0, 1.0] and p.requires_grad and p.is_leaf


def test_a_leaf_that_requires_grad_changes_only_under_no_grad() -> None:
    p = Tensor([1.0], requires_grad=True)
    for change in (lambda: p.__iadd__(1.0), lambda: p.mul_(2.0), lambda: p.__setitem__(0, 3.0)):
        with pytest.raises(ValueError, match="leaf Tensor that requires grad"):
            change()


def test_an_integer_tensor_keeps_its_dtype_or_refuses() -> None:
    counts = Tensor(np.array([1, 2]))
    counts += 1
    assert counts.dtype == np.int64 and counts.tolist() == [2, 3]
    with pytest.raises(TypeError, match="float64 result cannot go into a int64 tensor"):
        counts += 0.5
    with pytest.raises(TypeError, match="cannot go into a int64 tensor"):
        counts[0] = Tensor([1.5], requires_grad=True)[0]


CHANGES: dict[str, Callable[[Any], Any]] = {
    "y += 1": lambda y: y.__iadd__(1.0),
    "y += y": lambda y: y.__iadd__(y),
    "y += y.mean()": lambda y: y.__iadd__(y.mean()),
    "y /= y.sum()": lambda y: y.__itruediv__(y.sum()),
    "y += (2 * y).sum()": lambda y: y.__iadd__((2 * y).sum()),
    "y.mul_(y.sigmoid())": lambda y: y.mul_(y.sigmoid()),
    "y.clamp_(0, 1.5)": lambda y: y.clamp_(0.0, 1.5),
    "y.masked_fill_": lambda y: y.masked_fill_(y > 1.5, 0.0),
    "y[0:1] = y[1:2]": lambda y: (y.__setitem__(slice(0, 1), y[1:2]), y)[1],
    "y.copy_(y * 2)": lambda y: y.copy_(y * 2),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_gradients_through_a_change_in_place_are_pytorchs(name: str) -> None:
    """The changed tensor becomes a new node; what the change read of it keeps its old value."""
    change = CHANGES[name]
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = change(x * 1)
    (y * Tensor([1.0, 10.0])).sum().backward()
    xt = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    yt = change(xt * 1)
    (yt * torch.tensor([1.0, 10.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-12)


def test_a_jvp_carries_tangents_through_a_change_in_place_and_drops_them_after() -> None:
    buffer = Tensor([0.0])

    def accumulate(x: Any) -> Any:
        buffer.__iadd__(x)
        return buffer * 1.0

    out, tangent = func.jvp(accumulate, (np.array([1.0]),), (np.array([3.0]),))
    assert out.tolist() == [1.0] and tangent.tolist() == [3.0]
    assert getattr(buffer, "tangent", None) is None  # a later jvp must not read it
    assert func.jvp(lambda x: x * buffer, (np.array([2.0]),), (np.array([0.0]),))[1].tolist() == [0.0]


def test_squaring_in_place_has_the_square_s_gradient() -> None:
    """``y *= y``: PyTorch refuses it (mul needs y's old value, which the change overwrote);
    here the old value is kept as a node of its own, so the gradient is 2y's."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y *= y
    (y * Tensor([1.0, 10.0])).sum().backward()
    assert x.grad.tolist() == [2.0, 40.0]


def test_bad_arguments_to_changes_in_place_are_named() -> None:
    t = Tensor([1.0, 2.0])
    cases: list[tuple[Callable[[], Any], type[Exception], str]] = [
        (lambda: t.fill_(None), TypeError, "fill_: the value must be a number, got NoneType"),
        (lambda: t.normal_(None), TypeError, "normal_: mean must be a number, got NoneType"),
        (lambda: t.uniform_(0.0, float("inf")), ValueError, "uniform_ expects a finite range"),
        (lambda: t.add_(t, alpha="2"), TypeError, "add_: alpha must be a number, got str"),
        (lambda: t.sub_(t, alpha=None), TypeError, "sub_: alpha must be a number, got NoneType"),
        (lambda: t.bernoulli_(2.0), ValueError, "bernoulli expects 0 <= p <= 1"),
    ]
    for call, kind, message in cases:
        with pytest.raises(kind, match=message):
            call()
    assert t.tolist() == [1.0, 2.0]  # nothing changed on the way


def test_bernoulli_takes_a_probability_per_element() -> None:
    t = Tensor(np.zeros(4)).bernoulli_(Tensor([0.0, 1.0, 0.0, 1.0]))
    assert t.tolist() == [0.0, 1.0, 0.0, 1.0]


def test_a_one_element_value_goes_into_one_element_as_pytorch_puts_it() -> None:
    """numpy refuses a[0] = array([5.]); PyTorch drops the value's leading dims of size 1."""
    a = Tensor([1.0, 2.0, 3.0])
    a[0] = Tensor([5.0])
    x = Tensor([5.0], requires_grad=True)
    b = Tensor([1.0, 2.0, 3.0]) * 1
    b[1] = x * 2
    b.sum().backward()
    assert a.tolist() == [5.0, 2.0, 3.0] and b.tolist() == [1.0, 10.0, 3.0] and x.grad.tolist() == [2.0]

"""Shapes, indexing and joining at their edges: PyTorch's transpose of two dims under
create_graph, cat and stack of many tensors, masked_fill, reshape and index lists."""

from __future__ import annotations

import time

import numpy as np
import pytest

import autograd
from autograd import Tensor, grad


@pytest.mark.parametrize(
    "transform", [lambda x: x.permute(0, 1), lambda x: x.transpose(0, 0), lambda x: x.T.T]
)
def test_an_identity_permutation_keeps_the_gradient_unchanged_to_second_order(transform) -> None:  # type: ignore[no-untyped-def]
    """The rule transposes its gradient with the transpose primitive: a Tensor method taking two
    dims as PyTorch's swap once turned the gradient of permute(0, 1) around under create_graph."""
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    w = Tensor(np.arange(6.0).reshape(2, 3) + 1)
    (gx,) = grad((transform(x) * w).sum(), [x], create_graph=True)
    np.testing.assert_array_equal(gx.data, w.data)
    x.grad = None
    (transform(x) * w).sum().backward()
    np.testing.assert_array_equal(x.grad, w.data)


@pytest.mark.parametrize("join", [autograd.cat, autograd.stack])
def test_joining_twenty_thousand_tensors_takes_seconds(join) -> None:  # type: ignore[no-untyped-def]
    ts = [Tensor(np.full(2, float(i)), requires_grad=True) for i in range(20_000)]
    started = time.perf_counter()
    out = join(ts)
    (out * out).sum().backward()
    assert time.perf_counter() - started < 10
    assert ts[123].grad.tolist() == [246.0, 246.0]


def test_masked_fill_refuses_a_value_that_would_grow_the_tensor() -> None:
    t = Tensor(np.zeros((2, 3)))
    mask = np.array([True, False, True])
    assert t.masked_fill(mask, Tensor(np.ones(3))).shape == (2, 3)
    with pytest.raises(
        ValueError, match=r"masked_fill: the value's shape \(4, 2, 3\) does not fit the tensor's \(2, 3\)"
    ):
        t.masked_fill(mask, Tensor(np.ones((4, 2, 3))))


def test_reshape_refuses_negative_sizes_but_minus_one() -> None:
    t = Tensor(np.arange(12.0))
    assert t.reshape(-1, 6).shape == (2, 6)
    with pytest.raises(
        ValueError, match=r"reshape: a size must be >= 0, or -1 for the one inferred, got \(-2, 6\)"
    ):
        t.reshape(-2, 6)


def test_a_list_of_tensors_indexes_as_the_list_of_their_numbers() -> None:
    t = Tensor(np.arange(5.0), requires_grad=True)
    picked = t[[Tensor(np.array(1)), Tensor(np.array(3)), Tensor(np.array(3))]]
    picked.sum().backward()
    assert picked.tolist() == [1.0, 3.0, 3.0] and t.grad.tolist() == [0.0, 1.0, 0.0, 2.0, 0.0]
    assert t[range(2)].tolist() == [0.0, 1.0]


def test_gather_refuses_an_index_out_of_bounds_as_pytorch() -> None:
    """A negative index would wrap around in numpy; PyTorch's gather refuses it."""
    for index in (-1, 2):
        with pytest.raises(IndexError, match=f"gather: index {index} is out of bounds for dim 1 of size 2"):
            Tensor([[1.0, 2.0]]).gather(1, Tensor(np.array([[index]])))


def test_flip_repeat_and_contiguous_copy_as_pytorch() -> None:
    x = Tensor([[1.0, 2.0], [3.0, 4.0]])
    x.flip(0).mul_(0)
    x.repeat(1, 1).zero_()
    x.T.contiguous()[0, 1] = 9.0
    x.to("cpu", copy=True).zero_()
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0]] and x.contiguous() is x

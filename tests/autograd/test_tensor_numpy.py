"""numpy's functions on Tensors: each keyword numpy would honour is honoured or refused by name,
never ignored."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor


@pytest.mark.parametrize(
    ("call", "keyword"),
    [
        (lambda t, m: np.sum(t, where=m), "where"),
        (lambda t, m: np.sum(t, initial=5.0), "initial"),
        (lambda t, m: np.sum(t, dtype=np.float32), "dtype"),
        (lambda t, m: np.mean(t, out=np.zeros(())), "out"),
        (lambda t, m: np.max(t, initial=3.0), "initial"),
        (lambda t, m: np.reshape(t, (3, 2), order="F"), "order"),
        (lambda t, m: np.concatenate([t, t], dtype=np.float32), "dtype"),
    ],
)
def test_a_keyword_the_twin_cannot_honour_is_refused_by_name(call, keyword) -> None:  # type: ignore[no-untyped-def]
    t = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    with pytest.raises(TypeError, match=f"the keyword {keyword}= is not supported on Tensors"):
        call(t, np.ones((2, 3), dtype=bool))


def test_keywords_the_twins_honour() -> None:
    t = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert np.sum(t, axis=1, keepdims=True).shape == (2, 1)
    assert np.reshape(t, shape=(3, 2)).shape == (3, 2) and np.reshape(t, (6,), order="C").shape == (6,)
    assert np.sum(t, where=True).item() == 15.0  # numpy's defaults, given explicitly, are fine


def test_where_with_the_condition_alone_gives_its_indices() -> None:
    t = Tensor([-1.0, 2.0, 0.0, 3.0])
    (idx,) = np.where(t > 0)
    assert idx.tolist() == [1, 3]
    with pytest.raises(TypeError, match="give the condition alone, or the condition and both sides"):
        np.where(t > 0, t)


def test_numpy_functions_take_tensors_no_gradient_flows_through() -> None:
    """.data, .grad and detached Tensors are numbers to numpy (as in PyTorch); a Tensor that
    requires grad is refused by any function that would drop its graph."""
    t = Tensor([1.0, 2.0], requires_grad=True)
    (t * t).sum().backward()
    assert np.allclose(t.grad, [2.0, 4.0]) and np.array_equal(t.data, [1.0, 2.0])
    assert np.linalg.norm(t.grad) == np.sqrt(20.0)
    assert np.std([t.detach(), t.detach()]) == 0.5  # inside a list too
    for call in (lambda: np.allclose(t, [1.0, 2.0]), lambda: np.linalg.norm([t])):
        with pytest.raises(TypeError, match="requires grad"):
            call()

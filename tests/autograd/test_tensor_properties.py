"""Tensor ops over shapes and values that hypothesis picks: values against numpy, gradients against
finite differences and closed forms."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor, gradcheck

Axis = int | tuple[int, ...] | None
FAST = settings(max_examples=25, deadline=None)
values = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
positive = st.floats(0.5, 3.0)


def arrays(shape: tuple[int, ...], elements: st.SearchStrategy[float] = values) -> st.SearchStrategy:
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def broadcasting_pairs(draw: st.DrawFn, elements_b: st.SearchStrategy = values) -> tuple[np.ndarray, ...]:
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
    a_shape, b_shape = shapes.input_shapes
    return draw(arrays(a_shape)), draw(arrays(b_shape, elements_b))


@st.composite
def array_and_axis(draw: st.DrawFn) -> tuple[np.ndarray, Axis, bool]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    ndim = len(shape)
    axis = draw(
        st.none()
        | st.integers(-ndim, ndim - 1)
        | st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)
    )
    return draw(arrays(shape)), axis, draw(st.booleans())


BINARY: dict[str, Callable[..., object]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
}


@FAST
@given(broadcasting_pairs(), st.sampled_from(sorted(BINARY)))
def test_broadcasting_binary_ops(pair: tuple[np.ndarray, np.ndarray], name: str) -> None:
    fn = BINARY[name]
    a, b = pair
    out = fn(Tensor(a), Tensor(b))
    np.testing.assert_allclose(out.data, fn(a, b))  # type: ignore[attr-defined]
    assert gradcheck(fn, [Tensor(a.copy(), requires_grad=True), Tensor(b.copy(), requires_grad=True)])


@FAST
@given(broadcasting_pairs(elements_b=positive))
def test_broadcasting_division_and_power(pair: tuple[np.ndarray, np.ndarray]) -> None:
    a, b = pair
    np.testing.assert_allclose((Tensor(a) / Tensor(b)).data, a / b)
    np.testing.assert_allclose((Tensor(b) ** Tensor(a)).data, b**a)
    tb = Tensor(b.copy(), requires_grad=True)
    ta = Tensor(a.copy(), requires_grad=True)
    assert gradcheck(lambda x, y: x / y + y**x, [ta, tb])


@FAST
@given(array_and_axis())
def test_sum_and_mean_over_any_axes(case: tuple[np.ndarray, Axis, bool]) -> None:
    x, axis, keepdims = case
    np.testing.assert_allclose(Tensor(x).sum(axis, keepdims).data, x.sum(axis=axis, keepdims=keepdims))
    np.testing.assert_allclose(Tensor(x).mean(axis, keepdims).data, x.mean(axis=axis, keepdims=keepdims))
    t = Tensor(x.copy(), requires_grad=True)
    assert gradcheck(lambda v: v.sum(axis, keepdims) * 2.0 + v.mean(axis, keepdims), [t])


@FAST
@given(array_and_axis())
def test_max_gradient_is_split_among_ties(case: tuple[np.ndarray, Axis, bool]) -> None:
    x, axis, keepdims = case
    x = np.round(x)  # many ties on purpose
    t = Tensor(x, requires_grad=True)
    out = t.amax(axis, keepdims)
    np.testing.assert_array_equal(out.data, x.max(axis=axis, keepdims=keepdims))
    out.sum().backward()
    top = x == x.max(axis=axis, keepdims=True)
    np.testing.assert_allclose(t.grad, top / top.sum(axis=axis, keepdims=True))


@FAST
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4).flatmap(arrays), st.integers(-1, 0))
def test_softmax_and_log_softmax(x: np.ndarray, axis: int) -> None:
    s = Tensor(x).softmax(axis)
    np.testing.assert_allclose(s.data.sum(axis=axis), 1.0)
    np.testing.assert_allclose(Tensor(x).log_softmax(axis).data, np.log(s.data), atol=1e-12)
    t = Tensor(x.copy(), requires_grad=True)
    assert gradcheck(lambda v: v.softmax(axis) * 3.0 + v.log_softmax(axis), [t])


@FAST
@given(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4).flatmap(arrays), st.data())
def test_indexing_with_integer_arrays_accumulates(x: np.ndarray, data: st.DataObject) -> None:
    index = np.array(data.draw(st.lists(st.integers(0, x.shape[0] - 1), min_size=1, max_size=6)))
    t = Tensor(x, requires_grad=True)
    t[index].sum().backward()
    counts = np.bincount(index, minlength=x.shape[0]).astype(float)
    expected = np.broadcast_to(counts.reshape((-1,) + (1,) * (x.ndim - 1)), x.shape)
    np.testing.assert_array_equal(t.grad, expected)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data())
def test_matmul_any_sizes(n: int, k: int, m: int, data: st.DataObject) -> None:
    a = data.draw(arrays((n, k)))
    b = data.draw(arrays((k, m)))
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).data, a @ b)
    inputs = [Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)]
    assert gradcheck(lambda x, y: (x @ y).tanh(), inputs, order=2)

"""Every op of the table in `op_table.py`, on both node kinds: values against numpy, gradients
against finite differences to first and second order, closed forms, float32, and PyTorch (values,
gradients and second derivatives). The first test fails when a primitive has no row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from op_table import ROWS, Row, Shapes, expand, missing_rows, pair_id

from autograd import Tensor, Value, array_ops, grad, gradcheck, ops
from autograd.primitive import Primitive

BUILT_IN = list(
    dict.fromkeys(p for module in (ops, array_ops) for p in vars(module).values() if isinstance(p, Primitive))
)


def as_values(arrays: list[np.ndarray]) -> list[Value]:
    return [Value(float(a)) for a in arrays]


def scalar_out(out: Any) -> Any:
    """A scalar to differentiate: a Value itself, or a fixed weighting of a Tensor's elements."""
    if isinstance(out, Value):
        return out
    weights = np.random.default_rng(3).uniform(0.5, 1.5, size=out.shape)
    return (out * weights).sum()


def test_every_primitive_has_a_row_for_each_node_kind_it_supports() -> None:
    assert not missing_rows(BUILT_IN), (
        f"primitives with no row in tests/autograd/op_table.py: {missing_rows(BUILT_IN)}"
    )


# --- values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS), ids=pair_id)
def test_tensor_values_match_numpy(row: Row, shapes: Shapes) -> None:
    arrays = row.inputs(shapes)
    out = row.fn(*[Tensor(a) for a in arrays])
    expected = np.asarray(row.reference(*arrays))
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS, scalar=True), ids=pair_id)
def test_value_values_match_numpy(row: Row, shapes: Shapes) -> None:
    arrays = row.inputs(shapes)
    out = row.fn(*as_values(arrays))
    assert isinstance(out, Value)
    assert out.data == pytest.approx(float(row.reference(*arrays)), rel=1e-12, abs=1e-12)


# --- gradients: finite differences, closed forms ----------------------------------------------------


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS), ids=pair_id)
def test_tensor_gradients_match_finite_differences(row: Row, shapes: Shapes) -> None:
    inputs = [Tensor(a, requires_grad=True) for a in row.inputs(shapes)]
    assert gradcheck(row.fn, inputs, order=2 if row.smooth else 1)


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS, scalar=True), ids=pair_id)
def test_value_gradients_match_finite_differences(row: Row, shapes: Shapes) -> None:
    assert gradcheck(row.fn, as_values(row.inputs(shapes)), order=2 if row.smooth else 1)


CLOSED = [row for row in ROWS if row.scalar and row.derivative is not None]


@pytest.mark.parametrize("row", CLOSED, ids=lambda r: r.name)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_value_gradients_match_closed_forms(row: Row, data: st.DataObject) -> None:
    lo, hi = row.domain
    x = st.floats(lo, hi, allow_nan=False)
    if row.kink:
        x = x.filter(lambda v: abs(v) > 1e-3)
    xs = data.draw(st.tuples(*[x] * len(row.shapes[0])))
    nodes = [Value(v) for v in xs]
    out = row.fn(*nodes)
    assert out.data == pytest.approx(float(row.reference(*map(np.float64, xs))), rel=1e-12, abs=1e-12)
    out.backward()
    assert row.derivative is not None
    for node, expected in zip(nodes, row.derivative(*map(np.float64, xs))):
        assert node.grad == pytest.approx(float(expected), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS), ids=pair_id)
def test_float32_stays_float32(row: Row, shapes: Shapes) -> None:
    inputs = [Tensor(a, requires_grad=True) for a in row.inputs(shapes, dtype=np.float32)]
    out = row.fn(*inputs)
    assert out.dtype == (np.float32 if row.keeps_dtype else np.float64)
    out.backward(np.ones(out.shape, dtype=out.dtype))
    for t in inputs:
        assert t.grad is not None and t.grad.dtype == np.float32 and t.grad.shape == t.shape


# --- PyTorch ---------------------------------------------------------------------------------------


def run_both(row: Row, arrays: list[np.ndarray], ours: list[Any]) -> tuple[Any, Any, list[Any]]:
    torch = pytest.importorskip("torch")
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    return row.fn(*ours), (row.torch_fn or row.fn)(*theirs), theirs


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS), ids=pair_id)
def test_tensors_match_torch_to_second_order(row: Row, shapes: Shapes) -> None:
    torch = pytest.importorskip("torch")
    arrays = row.inputs(shapes, seed=7)
    ours = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out, ref, theirs = run_both(row, arrays, ours)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = np.random.default_rng(8).normal(size=out.shape)
    firsts = grad(out, ours, grad_outputs=Tensor(upstream), create_graph=row.smooth)
    expected = torch.autograd.grad(ref, theirs, torch.from_numpy(upstream), create_graph=row.smooth)
    for mine, reference in zip(firsts, expected):
        np.testing.assert_allclose(mine.data, reference.detach().numpy(), rtol=1e-9, atol=1e-12)
    if not row.smooth:
        return
    # Second order: the gradient of a random projection of the gradient (a Hessian-vector product).
    vs = [np.random.default_rng(9 + i).normal(size=a.shape) for i, a in enumerate(arrays)]
    ours_2 = sum(((g * v).sum() for g, v in zip(firsts, vs) if g.requires_grad), Tensor(0.0))
    theirs_2 = sum((g * torch.from_numpy(v)).sum() for g, v in zip(expected, vs) if g.requires_grad)
    if not ours_2.requires_grad:  # a linear op: its second derivative is 0
        return
    for mine, reference in zip(grad(ours_2, ours), torch.autograd.grad(theirs_2, theirs, allow_unused=True)):
        want = np.zeros(mine.shape) if reference is None else reference.numpy()
        np.testing.assert_allclose(mine.data, want, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS, scalar=True), ids=pair_id)
def test_values_match_torch_to_second_order(row: Row, shapes: Shapes) -> None:
    torch = pytest.importorskip("torch")
    arrays = row.inputs(shapes, seed=7)
    ours = as_values(arrays)
    out, ref, theirs = run_both(row, arrays, ours)
    assert out.data == pytest.approx(ref.item(), rel=1e-10, abs=1e-12)
    firsts = grad(out, ours, create_graph=True)
    expected = torch.autograd.grad(ref, theirs, create_graph=True)
    for mine, reference in zip(firsts, expected):
        assert mine.data == pytest.approx(reference.item(), rel=1e-9, abs=1e-12)
    if not row.smooth:
        return
    for i, g in enumerate(firsts):
        seconds = grad(g, ours)
        want = (
            torch.autograd.grad(expected[i], theirs, allow_unused=True) if expected[i].requires_grad else None
        )
        for j, mine in enumerate(seconds):
            w = 0.0 if want is None or want[j] is None else want[j].item()
            assert mine.data == pytest.approx(w, rel=1e-8, abs=1e-10)


FLOAT32_ROWS = [
    row
    for row in ROWS
    if row.name in {"matmul", "add", "log_softmax", "sigmoid", "cross_entropy", "mlp_layer"}
]


@pytest.mark.parametrize(("row", "shapes"), expand(FLOAT32_ROWS), ids=pair_id)
def test_float32_matches_torch(row: Row, shapes: Shapes) -> None:
    torch = pytest.importorskip("torch")
    arrays = row.inputs(shapes, seed=7, dtype=np.float32)
    ours = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out, ref, theirs = run_both(row, arrays, ours)
    upstream = np.random.default_rng(8).normal(size=out.shape).astype(np.float32)
    out.backward(upstream)
    ref.backward(torch.from_numpy(upstream))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-5, atol=1e-6)
    for mine, reference in zip(ours, theirs):
        assert mine.grad.dtype == np.float32
        np.testing.assert_allclose(mine.grad, reference.grad.numpy(), rtol=1e-4, atol=1e-5)

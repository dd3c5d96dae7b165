"""The engine: the one graph walk for both node kinds (order, accumulation, reuse, repeated
backward, depth), grad() to any order, and grad mode."""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from op_table import ROWS, Row, Shapes, expand, pair_id

from autograd import Tensor, Value, detect_anomaly, enable_grad, engine, grad, is_grad_enabled, no_grad
from autograd.engine import toposort


def test_L_equals_3x_squared_plus_2() -> None:
    x = Value(2.0, label="x")
    L = 3 * x**2 + 2
    L.backward()
    assert (L.data, x.grad, L.grad) == (14.0, 12.0, 1.0)


def test_reused_node_gets_every_path() -> None:
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad) == (4.0, 2.0)
    d = a * a * a  # the same node three times in one graph: 3a^2
    a.grad = 0.0
    d.backward()
    assert a.grad == 27.0


def test_every_node_gets_its_grad() -> None:
    x = Value(2.0)
    sq = x**2
    scaled = 3 * sq
    L = scaled + 2
    L.backward()
    assert [L.grad, scaled.grad, sq.grad, x.grad] == [1.0, 1.0, 3.0, 12.0]


def test_repeated_backward_accumulates() -> None:
    x = Value(2.0)
    y = x * x + x  # an intermediate node used once: the second pass must not double-count it
    y.backward()
    y.backward()
    assert x.grad == 10.0  # 2 * (2x + 1)


def test_backward_with_a_starting_gradient() -> None:
    x = Value(1.5)
    (x * 4).backward(0.5)
    assert x.grad == 2.0


def test_million_node_chain_at_default_recursion_limit() -> None:
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0000001
    y.backward()
    assert x.grad == pytest.approx(1.0000001**1_000_000, rel=1e-9)
    del y  # freeing a million-deep chain must not overflow the C stack either


def test_toposort_orders_inputs_first_and_visits_once() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = toposort([e])
    assert len(order) == len({id(n) for n in order}) == 5
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node._prev:
            assert position[id(parent)] < position[id(node)]


def test_no_grad_records_nothing_on_values() -> None:
    x = Value(2.0)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3 + 1
        with enable_grad():
            z = x * 3
    assert is_grad_enabled()
    assert y._prev == () and y._op == ""
    assert z._prev == (x,) and z._op == "*"  # the 3 is the op's number, not a node
    with pytest.raises(ValueError, match="computed under no_grad"):
        y.backward()  # it has no graph: say so, rather than leave every grad 0
    x.backward()  # a plain leaf's backward is fine
    assert x.grad == 1.0


def test_no_grad_as_decorator() -> None:
    @no_grad()
    def f(v: Value) -> Value:
        return v * v

    x = Value(3.0)
    assert f(x)._prev == ()
    assert is_grad_enabled()


def test_no_grad_restored_after_exception() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    assert is_grad_enabled()


def test_grad_leaves_dot_grad_alone() -> None:
    x, y = Value(2.0), Value(3.0)
    f = x * y + x
    dx, dy = grad(f, [x, y])
    assert (dx.data, dy.data) == (4.0, 2.0)
    assert (x.grad, y.grad, f.grad) == (0.0, 0.0, 0.0)


def test_grad_puts_back_what_dot_grad_held_even_after_an_error() -> None:
    """grad() runs the same walk as backward(), borrowing .grad: what was there comes back."""
    x, y = Value(2.0), Value(3.0)
    f = x * y
    f.backward()
    (dx,) = grad(f * 2, [x], create_graph=True)
    assert dx.data == 6.0 and (x.grad, y.grad, f.grad) == (3.0, 2.0, 1.0)
    t = Tensor([1.0, 2.0], requires_grad=True)
    u = (t * t).sum()
    u.backward()
    before = t.grad.clone()
    with pytest.raises(ValueError):
        grad(u, [t], grad_outputs=[np.ones(3)])
    (dt,) = grad(u, [t])
    np.testing.assert_array_equal(dt.data, [2.0, 4.0])
    np.testing.assert_array_equal(t.grad, before)


def test_the_walk_is_written_once() -> None:
    """backward() and grad() go through one walk (the chain-rule line appears once in engine.py,
    and once more in walk_values, its copy for Values)."""
    source = inspect.getsource(engine)
    assert source.count("child._accumulate(local)") == 1
    assert len(re.findall(r"(?<!def )\bwalk\(order[,)]", source)) == 2  # backward() and grad()


def test_grad_of_an_unused_input_is_zero() -> None:
    x, unused = Value(2.0), Value(5.0)
    (d,) = grad(x * x, [unused])
    assert d.data == 0.0


def test_second_derivative_of_cube() -> None:
    for x0 in (-1.5, 0.0, 2.0):
        x = Value(x0)
        (dx,) = grad(x**3, [x], create_graph=True)
        (d2x,) = grad(dx, [x])
        assert dx.data == pytest.approx(3 * x0**2)
        assert d2x.data == pytest.approx(6 * x0)


def test_third_derivative_of_x_exp_x() -> None:
    x = Value(0.7)
    (d1,) = grad(x * x.exp(), [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    assert d3.data == pytest.approx(math.exp(0.7) * (0.7 + 3), rel=1e-12)


def test_design_example_higher_order() -> None:
    x = Value(2.0, label="x")
    L = 3 * x**2 + 2
    (dx,) = grad(L, [x], create_graph=True)
    (d2x,) = grad(dx, [x])
    assert dx.data == 12.0 and d2x.data == 6.0
    assert x.grad == 0.0


def test_mixed_partials() -> None:
    x, y = Value(1.2), Value(-0.4)
    f = (x * y).tanh()
    dx, _ = grad(f, [x, y], create_graph=True)
    (dxy,) = grad(dx, [y])
    t = math.tanh(1.2 * -0.4)
    s2 = 1 - t * t  # d/dy [y·sech²(xy)] = sech² - 2xy·tanh·sech²
    assert dxy.data == pytest.approx(s2 - 2 * 1.2 * -0.4 * t * s2)


def test_grad_rejects_non_nodes_and_mismatched_grad_outputs() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match="grad: inputs must be Value or Tensor nodes, got float"):
        grad(x * 2, [1.0])
    with pytest.raises(ValueError, match="1 outputs but 2 grad_outputs"):
        grad(x * 2, [x], grad_outputs=[1.0, 2.0])


def test_hessian_vector_product_of_sum_of_cubes() -> None:
    rng = np.random.default_rng(3)
    x = Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    v = rng.normal(size=(2, 3))
    (g,) = grad((x**3).sum(), [x], create_graph=True)  # 3x²
    (hv,) = grad((g * v).sum(), [x])  # H·v = 6x·v
    np.testing.assert_allclose(g.data, 3 * x.data**2)
    np.testing.assert_allclose(hv.data, 6 * x.data * v)
    assert x.grad is None  # grad() leaves .grad alone


def test_third_order_through_create_graph() -> None:
    x = Tensor([0.5, -1.0], requires_grad=True)
    (d1,) = grad(x.exp().sum(), [x], create_graph=True)
    (d2,) = grad(d1.sum(), [x], create_graph=True)
    (d3,) = grad(d2.sum(), [x])
    np.testing.assert_allclose(d3.data, np.exp(x.data))


def test_reused_tensor_node_gradient() -> None:
    a = Tensor([2.0, -1.0], requires_grad=True)
    b = a + a
    c = b + b
    c.sum().backward()
    np.testing.assert_array_equal(a.grad, [4.0, 4.0])


def test_backward_accumulates_and_grad_has_the_data_shape_and_dtype() -> None:
    x = Tensor(np.ones((2, 2), dtype=np.float32), requires_grad=True)
    assert x.grad is None
    (x * 3.0).sum().backward()
    (x * 3.0).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.shape == (2, 2)
    np.testing.assert_array_equal(x.grad, np.full((2, 2), 6.0))


def test_leaf_grads_are_their_own_arrays() -> None:
    # + hands its gradient on unchanged; each leaf must still own a separate, writable array.
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
    s = a + b
    s.sum().backward()
    assert a.grad is not b.grad and a.grad is not s.grad
    a.grad *= 0  # what an optimizer's zero_grad may do
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    np.testing.assert_array_equal(s.grad, [1.0, 1.0])


def test_intermediate_results_keep_their_gradient() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    y = (h * h).sum()
    y.backward()
    np.testing.assert_array_equal(h.grad, 2 * h.data)
    assert y.grad == 1.0


def test_results_of_constants_record_nothing() -> None:
    a, b = Tensor([1.0]), Tensor([2.0])
    c = (a * b).exp()
    assert c._prev == () and not c.requires_grad
    with pytest.raises(ValueError, match="does not require grad"):
        c.sum().backward()


def test_no_grad_records_nothing_on_tensors() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = (x * 2).sum()
    assert y._prev == () and not y.requires_grad
    z = (x * 2).sum()
    assert z.requires_grad and z._prev


def test_a_result_requires_grad_when_any_input_does() -> None:
    x, c = Tensor([1.0], requires_grad=True), Tensor([2.0])
    assert (x + c).requires_grad and (c + x).requires_grad and not (c + c).requires_grad


def test_grad_of_an_input_the_output_ignores_is_zero() -> None:
    x, y = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0], requires_grad=True)
    gx, gy = grad((x * 2).sum(), [x, y])
    np.testing.assert_array_equal(gx.data, [2, 2])
    np.testing.assert_array_equal(gy.data, [0])


def test_long_tensor_chain_has_no_recursion_limit() -> None:
    x = Tensor([0.5], requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.sum().backward()
    assert x.grad[0] == 1.0 and len(toposort([y])) == 5001


def test_second_derivative_of_a_linear_map_is_zero() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    (dt,) = grad((3 * t).sum(), [t], create_graph=True)  # 3, a constant
    (d2t,) = grad(dt.sum(), [t])
    np.testing.assert_array_equal(d2t.data, [0.0, 0.0])


def general_walk_grads(out: Value, leaves: list[Value]) -> list[float]:
    """The leaves' gradients by the general walk, not `walk_values`, in the general order (not
    `order_values`'s, which must be the same)."""
    with detect_anomaly():  # (which runs the general toposort and walk, checking each step)
        order = engine.toposort([out])
        assert order == engine.order_values([out])
        for n in order:
            n.grad = 0.0
        out.grad = 1.0
        engine.walk(order)
    return [v.grad for v in leaves]


@pytest.mark.parametrize("row", [r for r in ROWS if r.scalar], ids=lambda r: r.name)
def test_the_fast_walk_for_values_is_the_general_walk(row: Row) -> None:
    """walk_values, backward()'s copy of the walk for Values, gives exactly the general step's
    gradients, for every op the Values have: first order, and through a create_graph graph."""
    leaves = [Value(float(a)) for a in row.inputs(tuple(() for _ in row.shapes[0]))]
    out = row.fn(*leaves)
    out.backward()
    assert [v.grad for v in leaves] == general_walk_grads(out, leaves)
    grads = grad(out, leaves, create_graph=True)
    total = sum(grads[1:], grads[0])
    for v in leaves:
        v.grad = 0.0
    total.backward()
    assert [v.grad for v in leaves] == general_walk_grads(total, leaves)


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS), ids=pair_id)
def test_the_fast_walk_for_tensors_is_the_general_walk(row: Row, shapes: Shapes) -> None:
    """walk_arrays, the first-order copy of the walk for Tensors, gives exactly the general
    step's gradients for every op of the table."""
    leaves = [Tensor(a, requires_grad=True) for a in row.inputs(shapes)]
    out = row.fn(*leaves)
    total = (out * np.random.default_rng(1).uniform(0.5, 1.5, size=out.shape)).sum()
    total.backward()
    fast = [t.grad for t in leaves]
    order = engine.toposort([total])
    for n in order:
        n.grad = None
    total.grad = np.ones(())
    with detect_anomaly():  # (which runs the general walk, checking each step)
        engine.walk(order)
    for a, b in zip(fast, [t.grad for t in leaves]):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_random_value_graphs_agree_on_both_walks_and_in_grad(data: st.DataObject) -> None:
    nodes: list[Value] = [Value(1.0), Value(2.0), Value(0.5)]
    leaves = list(nodes)
    for _ in range(data.draw(st.integers(1, 30))):
        a = data.draw(st.sampled_from(nodes))
        kind = data.draw(st.sampled_from(["add", "mul", "tanh", "number", "rpow", "pow"]))
        if kind in ("add", "mul"):
            b = data.draw(st.sampled_from(nodes))
            nodes.append(a + b if kind == "add" else a * b)
        elif kind == "tanh":
            nodes.append(a.tanh())
        elif kind == "number":
            nodes.append(a * 3 + 1)
        elif kind == "rpow":
            nodes.append(2 ** a.tanh())
        else:
            nodes.append(a.tanh().exp() ** Value(2.0))
    out = nodes[-1]
    out.backward()
    fast = [v.grad for v in leaves]
    with detect_anomaly():
        assert engine.toposort(nodes[-3:]) == engine.order_values(nodes[-3:])  # several roots
    assert fast == general_walk_grads(out, leaves)
    assert fast == [g.data for g in grad(out, leaves)]


def test_backward_takes_pytorchs_arguments() -> None:
    """gradient=, retain_graph= (graphs are kept anyway), create_graph= and inputs=, as PyTorch's
    Tensor.backward: a second backward through the first one's gradient adds 6x to 3x²."""
    torch = pytest.importorskip("torch")
    x, xt = Tensor([2.0], requires_grad=True), torch.tensor([2.0], dtype=torch.float64, requires_grad=True)
    for t in (x, xt):
        (t**3).sum().backward(retain_graph=True, create_graph=True)
        t.grad.sum().backward(inputs=[t])
    assert x.grad.tolist() == xt.grad.tolist() == [24.0]
    y, other = Tensor([1.0, 2.0], requires_grad=True), Tensor([1.0], requires_grad=True)
    (y * y * other).backward(gradient=Tensor([1.0, 3.0]), inputs=[y])
    assert y.grad.tolist() == [2.0, 12.0] and other.grad is None

"""Function transforms against torch.func, op by op (the op table), to 1e-12 in float64; forward
mode in flat memory; nesting; your own primitive in forward mode, with or without a jvp rule."""

from __future__ import annotations

import math
import tracemalloc
from typing import Any

import numpy as np
import pytest
from op_table import ROWS, Row, Shapes, expand, pair_id

from autograd import Tensor, Value, func, primitive

torch = pytest.importorskip("torch")
tf = torch.func


def _torch_fn(row: Row) -> Any:
    return row.torch_fn or row.fn


def _np(x: Any) -> np.ndarray:
    return np.asarray(x.detach().numpy() if hasattr(x, "detach") else x)


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS), ids=pair_id)
def test_jvp_matches_torch_func(row: Row, shapes: Shapes) -> None:
    xs = row.inputs(shapes)
    ts = row.inputs(shapes, seed=7)
    out, t = func.jvp(row.fn, xs, ts)
    ref, ref_t = tf.jvp(
        _torch_fn(row), tuple(torch.tensor(x) for x in xs), tuple(torch.tensor(t) for t in ts)
    )
    np.testing.assert_allclose(out, _np(ref), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(t, _np(ref_t), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("row", "shapes"), expand(ROWS), ids=pair_id)
def test_vjp_matches_torch_func(row: Row, shapes: Shapes) -> None:
    xs = row.inputs(shapes)
    out, back = func.vjp(row.fn, *xs)
    v = np.random.default_rng(3).uniform(0.5, 1.5, size=np.shape(out))
    ref, ref_back = tf.vjp(_torch_fn(row), *(torch.tensor(x) for x in xs))
    for ours, theirs in zip(back(v), ref_back(torch.tensor(v))):
        np.testing.assert_allclose(ours, _np(theirs), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("row", "shapes"), [pair for pair in expand(ROWS) if pair[0].smooth][::3], ids=pair_id
)
def test_jacobians_both_ways_match_torch_func(row: Row, shapes: Shapes) -> None:
    xs = row.inputs(shapes)
    n = len(xs)
    argnums = tuple(range(n)) if n > 1 else 0
    forward, backward = func.jacfwd(row.fn, argnums)(*xs), func.jacrev(row.fn, argnums)(*xs)
    ref = tf.jacrev(_torch_fn(row), argnums)(*(torch.tensor(x) for x in xs))
    pairs = zip(forward, backward, ref) if n > 1 else [(forward, backward, ref)]
    for f, b, r in pairs:
        np.testing.assert_allclose(f, _np(r), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(b, _np(r), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("row", [r for r in ROWS if r.scalar and r.smooth], ids=lambda r: r.name)
def test_on_values_and_plain_floats(row: Row) -> None:
    xs = [float(x) for x in row.inputs(tuple(() for _ in row.shapes[0]))]
    out, t = func.jvp(row.fn, xs, [1.0] * len(xs))
    f64 = torch.float64
    ref, ref_t = tf.jvp(
        _torch_fn(row),
        tuple(torch.tensor(x, dtype=f64) for x in xs),
        tuple(torch.ones((), dtype=f64) for _ in xs),
    )
    assert isinstance(out, float) and out == pytest.approx(float(ref), rel=1e-12)
    assert t == pytest.approx(float(ref_t), rel=1e-12, abs=1e-12)
    value_out, value_t = func.jvp(row.fn, [Value(x) for x in xs], [1.0] * len(xs))
    assert isinstance(value_out, Value) and value_t.data == pytest.approx(t, rel=1e-15, abs=1e-15)
    if len(xs) == 1:
        h = func.hessian(row.fn)(xs[0])
        ref_h = tf.hessian(_torch_fn(row))(torch.tensor(xs[0], dtype=f64))
        assert h == pytest.approx(float(ref_h), rel=1e-10, abs=1e-10)


def test_hessian_is_forward_over_reverse_and_matches_torch() -> None:
    rng = np.random.default_rng(0)
    W, x0 = rng.normal(size=(4, 3)), rng.normal(size=4)

    def f(x: Any) -> Any:
        return ((x @ W).tanh() * x.sum()).log_softmax(0).sum() ** 2

    ours = func.hessian(f)(x0)
    theirs = tf.hessian(lambda x: ((x @ torch.tensor(W)).tanh() * x.sum()).log_softmax(0).sum() ** 2)(
        torch.tensor(x0)
    )
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-12)


def test_a_jvp_of_a_grad_is_a_hessian_vector_product_and_a_grad_of_a_jvp_works() -> None:
    f = lambda x: (x * x * x).sum()  # noqa: E731
    x0, v = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0])
    _, hv = func.jvp(func.grad(f), (x0,), (v,))
    np.testing.assert_allclose(hv, 6 * x0 * v)
    directional = func.grad(lambda x: func.jvp(f, (x,), (Tensor(v),))[1])(x0)  # d/dx (3x²·v)
    np.testing.assert_allclose(directional, 6 * x0 * v)


@pytest.mark.parametrize("x0", [0.5, Value(0.5)], ids=["float", "Value"])
def test_jvp_keeps_no_graph_a_long_chain_runs_in_flat_memory(x0: Any) -> None:
    """A Value always requires grad, yet a jvp keeps no graph for it either."""

    def chain(n: int) -> float:
        def f(x: Any) -> Any:
            for _ in range(n):
                x = (x * 0.999).tanh() + 0.001
            return x

        tracemalloc.start()
        func.jvp(f, (x0,), (1.0,))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = chain(20_000), chain(100_000)
    assert large < 1_000_000 and large < 2 * small + 100_000  # five times the ops, not more memory


def test_jvp_keeps_the_graph_a_tensor_that_requires_grad_asks_for() -> None:
    """As in PyTorch: the tangent of a jvp of a Tensor that requires grad can be walked back."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    out, t = func.jvp(lambda x: (x**3).sum(), (x,), (Tensor([1.0, 1.0]),))
    t.backward()  # d/dx of 3x²·v summed: 6x
    assert x.grad.tolist() == [6.0, 12.0] and out.item() == 9.0
    _, t = func.jvp(lambda x: x**3, (Value(2.0),), (1.0,))
    assert not t._prev  # a Value's jvp keeps none; func.grad differentiates it:
    assert func.grad(lambda x: func.jvp(lambda y: y**3, (x,), (1.0,))[1])(Value(2.0)).data == 12.0


def test_a_primitive_of_yours_has_forward_mode_with_nothing_added(registry: None) -> None:
    softplus = primitive(
        "softplus_fwd",
        floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
        arrays=lambda x: np.logaddexp(0.0, x),
        rules=[lambda g, out, x: g / (1 + (-x).exp()) if hasattr(x, "_op") else g / (1 + np.exp(-x))],
    )
    _, t = func.jvp(lambda x: softplus(x), (np.array([0.0, 1.0]),), (np.array([1.0, 2.0]),))
    np.testing.assert_allclose(t, [0.5, 2 / (1 + math.exp(-1))])
    mixer = primitive(  # not elementwise: forward mode transposes its reverse rule
        "reverse_rows",
        arrays=lambda a: a[::-1].copy(),
        rules=[lambda g, out, a: g[::-1]],
        kind="shape",
    )
    _, t = func.jvp(lambda x: mixer(x) * 2, (np.array([1.0, 2.0, 3.0]),), (np.array([1.0, 0.0, 0.0]),))
    np.testing.assert_allclose(t, [0.0, 0.0, 2.0])
    stated = primitive(  # and a jvp rule of its own is used as it is
        "twice",
        arrays=lambda a: 2 * a,
        rules=[lambda g, out, a: 2 * g],
        jvp=lambda t, out, a: 2 * t[0],
        kind="shape",
    )
    assert func.jvp(lambda x: stated(x), (np.array([1.0]),), (np.array([3.0]),))[1].tolist() == [6.0]


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="jvp: 1 primals but 2 tangents"):
        func.jvp(lambda x: x, (1.0,), (1.0, 2.0))
    with pytest.raises(ValueError, match=r"jvp: tangent 0 has shape \(3,\), primal 0 has \(2,\)"):
        func.jvp(lambda x: x, (np.ones(2),), (np.ones(3),))
    with pytest.raises(
        TypeError, match=r"jvp: primals\[0\] must be a number, an array, a Value or a Tensor, got str"
    ):
        func.jvp(lambda x: x, ("a",), (1.0,))
    with pytest.raises(ValueError, match="grad: func must return one number"):
        func.grad(lambda x: x * 2)(np.ones(3))
    with pytest.raises(ValueError, match="jacrev: argnums 2 out of range for 1 argument"):
        func.jacrev(lambda x: x, argnums=2)(1.0)
    with pytest.raises(ValueError, match=r"grad: argnums \(0, 0\) names an argument twice"):
        func.grad(lambda x, y: x * y, argnums=(0, 0))(3.0, 2.0)
    for argnums in ([0, 1], ()):
        with pytest.raises(TypeError, match="argnums must be an int or a non-empty tuple of ints"):
            func.grad(lambda x, y: x * y, argnums=argnums)(3.0, 2.0)


def test_forward_mode_inside_forward_mode_is_refused_not_mixed() -> None:
    """The two levels' tangents would mix (a jvp of a jvp gave 0 where d/dx of 3x² is 6x)."""
    with pytest.raises(ValueError, match="forward mode inside forward mode"):
        func.jvp(lambda x: func.jvp(lambda y: y**3, (x,), (1.0,))[1], (2.0,), (1.0,))
    with pytest.raises(ValueError, match="forward mode inside forward mode"):
        func.jacfwd(func.jacfwd(lambda x: (x**3).sum()))(np.array([1.0, 2.0]))


def test_empty_jacobians_have_the_empty_shapes() -> None:
    assert func.jacfwd(lambda x: x.sum() * x)(np.zeros(0)).shape == (0, 0)
    assert func.jacrev(lambda x: x[:0])(np.ones(3)).shape == (0, 3)
    assert func.jacrev(lambda x: x * 2)(Tensor(np.zeros((2, 0)))).shape == (2, 0, 2, 0)


def test_a_primitive_on_a_dual_and_a_plain_value() -> None:
    import autograd

    assert func.jvp(lambda x: autograd.maximum(x, Value(1.0)), (2.0,), (1.0,)) == (2.0, 1.0)
    assert func.jvp(lambda x: autograd.maximum(Value(3.0), x), (2.0,), (1.0,)) == (3.0, 0.0)


def test_complex_tangents_are_refused_not_truncated() -> None:
    with pytest.raises(TypeError, match=r"jvp: tangents\[0\] must hold real numbers, got complex128"):
        func.jvp(lambda x: x * 2, (np.ones(2),), (np.ones(2) * 1j,))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda f: func.jacfwd(func.jacrev(f)), lambda f: torch.func.jacfwd(torch.func.jacrev(f))),
        (lambda f: func.jacrev(func.jacrev(f)), lambda f: torch.func.jacrev(torch.func.jacrev(f))),
        (lambda f: func.jacrev(func.jacfwd(f)), lambda f: torch.func.jacrev(torch.func.jacfwd(f))),
        (func.hessian, lambda f: torch.func.hessian(f)),
    ],
    ids=["jacfwd(jacrev)", "jacrev(jacrev)", "jacrev(jacfwd)", "hessian"],
)
def test_second_jacobians_of_a_vector_function_as_torch(ours: Any, theirs: Any) -> None:
    """The inner Jacobian is stacked from nodes, so the outer transform sees its tangents and graph
    (it once saw a constant: all zeros)."""
    torch = pytest.importorskip("torch")
    x0 = np.array([0.3, -0.5, 1.2])
    mine = ours(lambda x: (x * x).tanh().sum() * x + x.exp())(x0)
    expected = theirs(lambda x: (x * x).tanh().sum() * x + x.exp())(torch.tensor(x0))
    np.testing.assert_allclose(mine, expected.numpy(), rtol=1e-12, atol=1e-12)


def test_transforms_of_inputs_that_need_no_grad_give_results_that_need_none() -> None:
    """The vjp inside a hessian records a graph for its own use; what the caller gets is plain, as
    torch.func's (numpy takes it)."""
    x = Tensor([1.0, 2.0, 3.0])
    h = func.hessian(lambda x: (x**3).sum())(x)
    assert not h.requires_grad and np.diag(h).tolist() == [6.0, 12.0, 18.0]
    _, hv = func.jvp(func.grad(lambda x: (x**3).sum()), (x,), (Tensor([1.0, 0.0, 0.0]),))
    assert not hv.requires_grad and hv.tolist() == [6.0, 0.0, 0.0]
    xg = Tensor([1.0, 2.0, 3.0], requires_grad=True)  # one that asks: the graph stays
    _, hv = func.jvp(func.grad(lambda x: (x**3).sum()), (xg,), (Tensor([1.0, 0.0, 0.0]),))
    hv.sum().backward()  # d/dx of 6·x·v: 6v
    assert xg.grad.tolist() == [6.0, 0.0, 0.0]


def test_a_grad_with_respect_to_the_tangent_of_a_jvp_at_a_number() -> None:
    """d/dv of f'(x)·v is f'(x): the tangent, a node, makes the jvp give nodes."""
    assert func.grad(lambda v: func.jvp(lambda x: x**3, (0.7,), (v,))[1])(1.0) == pytest.approx(3 * 0.7**2)

"""Tensor: closed forms, broadcasting, indexing, dtypes, interop and bad input (the ops themselves are
checked in test_ops.py, the walk in test_engine.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, gradcheck, ops
from autograd.gradcheck import GradcheckError
from autograd.primitive import define
from autograd.viz.graph import sent_gradients


def test_gradcheck_catches_a_wrong_rule(registry: None) -> None:
    define(ops.TANH.replaced(rules=[lambda g, out, a: g * (1 + out * out)]), replace=True)
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(lambda x: x.tanh(), [Tensor([0.3, -0.4], requires_grad=True)])


# --- closed forms ----------------------------------------------------------------------------------


def test_matmul_gradients_are_G_Bt_and_At_G() -> None:
    rng = np.random.default_rng(0)
    A, B, G = rng.normal(size=(3, 4)), rng.normal(size=(4, 5)), rng.normal(size=(3, 5))
    a, b = Tensor(A, requires_grad=True), Tensor(B, requires_grad=True)
    (a @ b).backward(G)
    np.testing.assert_allclose(a.grad, G @ B.T)
    np.testing.assert_allclose(b.grad, A.T @ G)


def test_matmul_does_not_compute_the_gradient_of_a_constant_input() -> None:
    x = Tensor(np.ones((2, 3)))  # data: requires no grad
    w = Tensor(np.ones((3, 4)), requires_grad=True)
    y = x @ w
    ((i, operand, gw),) = sent_gradients(y, np.ones((2, 4)))  # only w's rule runs
    assert (i, operand) == (1, w)
    np.testing.assert_allclose(gw, np.full((3, 4), 2.0))


def test_broadcast_gradients_sum_back_to_each_input_shape() -> None:
    a = Tensor(np.ones((3, 1)), requires_grad=True)
    b = Tensor(np.ones((1, 4)), requires_grad=True)
    s = Tensor(2.0, requires_grad=True)
    (a * b * s).sum().backward()
    np.testing.assert_array_equal(a.grad, np.full((3, 1), 8.0))  # 4 columns times s
    np.testing.assert_array_equal(b.grad, np.full((1, 4), 6.0))
    assert s.grad.shape == () and s.grad == 12.0


def test_repeated_indices_accumulate() -> None:
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    x[np.array([0, 1, 0, 0]), np.array([2, 1, 2, 2])].sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0, 3], [0, 1, 0]])
    y = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y[Tensor(np.array([2, 2]))].sum().backward()  # an integer Tensor as the index
    np.testing.assert_array_equal(y.grad, [0, 0, 2])


def test_boolean_mask_gradient() -> None:
    x = Tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
    x[x.data > 0].sum().backward()
    np.testing.assert_array_equal(x.grad, [[1, 0], [0, 1]])


def test_max_sends_the_gradient_to_the_argmax_and_splits_ties() -> None:
    x = Tensor([[1.0, 5.0, 2.0], [7.0, 7.0, 0.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    # Row 0 has one maximum; row 1 two tied ones, which share the gradient equally (as torch.amax).
    np.testing.assert_array_equal(x.grad, [[0, 1, 0], [0.5, 0.5, 0]])
    y = Tensor([3.0, 3.0, 3.0, 1.0], requires_grad=True)
    y.max().backward()
    np.testing.assert_allclose(y.grad, [1 / 3, 1 / 3, 1 / 3, 0])


def test_float32_survives_numbers_and_numpy_scalars() -> None:
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = (x * np.float64(2.0) + 1 - x / 3.0) ** 2 * 0.5
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_mixed_float_dtypes_promote_like_numpy_and_grads_keep_each_dtype() -> None:
    a = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    b = Tensor(np.ones(2), requires_grad=True)
    y = a * b
    assert y.dtype == np.float64
    y.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64


def test_numbers_on_either_side() -> None:
    x = Tensor([1.0, 4.0])
    np.testing.assert_allclose((1 - x).data, [0, -3])
    np.testing.assert_allclose((8 / x).data, [8, 2])
    np.testing.assert_allclose((2**x).data, [2, 16])
    np.testing.assert_allclose((x / 0).data, [math.inf, math.inf])  # IEEE, as numpy


def test_numpy_array_on_the_left_gives_a_tensor() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    for y in (np.ones(2) + x, np.ones(2) * x, np.ones(2) - x, np.ones(2) / x, np.ones((3, 2)) @ x):
        assert isinstance(y, Tensor) and y.requires_grad


# --- the node protocol and requires_grad -------------------------------------------------------------


def test_hashing_is_by_identity_and_comparisons_are_elementwise() -> None:
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 2.0])
    assert len({a, b}) == 2
    eq = a == b
    assert isinstance(eq, Tensor) and eq.dtype == np.bool_ and eq.data.all()
    np.testing.assert_array_equal((a > 1.5).data, [False, True])


def test_interop() -> None:
    t = Tensor([[1.0, 2.0, 3.0]])
    assert np.asarray(t) is t.numpy() and np.shares_memory(np.asarray(t.data), t.numpy())
    assert (
        t.shape == (1, 3)
        and t.ndim == 2
        and t.dtype == np.float64
        and len(t) == 1
        and t.size() == (1, 3)
        and t.numel() == 3
    )
    assert t.sum().item() == 6.0 and isinstance(t.sum().item(), float)
    assert np.shares_memory(t.detach().numpy(), t.numpy()) and not t.detach().requires_grad
    assert repr(Tensor([1.0], requires_grad=True, label="w")) == "Tensor([1.], requires_grad=True, label='w')"
    assert Tensor(3).dtype == np.float64 and Tensor([1, 2]).dtype == np.float64  # Python numbers: float64
    assert Tensor(np.array([1, 2])).dtype == np.int64  # integer arrays stay integer


def test_integer_tensors() -> None:
    idx = Tensor(np.array([0, 2, 1]))
    assert (idx + 1).dtype == np.int64 and (idx * 2.5).dtype == np.float64
    assert -idx is not idx and (-idx).dtype == np.int64
    with pytest.raises(TypeError, match="only floating-point tensors can require grad, got int64"):
        Tensor(np.array([1, 2]), requires_grad=True)


# --- stable numerics --------------------------------------------------------------------------------


def test_log_softmax_of_huge_logits_is_finite_and_exact() -> None:
    x = Tensor([[1e4, 0.0, -1e4], [1e4, 1e4, 0.0]], requires_grad=True)
    y = x.log_softmax(axis=1)
    np.testing.assert_allclose(y.data, [[0.0, -1e4, -2e4], [-math.log(2), -math.log(2), -1e4 - math.log(2)]])
    y[np.arange(2), np.array([0, 2])].sum().backward()
    assert np.isfinite(x.grad).all()
    np.testing.assert_allclose(x.grad, [[0, 0, 0], [-0.5, -0.5, 1]], atol=1e-12)


def test_softmax_rows_sum_to_one_even_for_huge_logits() -> None:
    rng = np.random.default_rng(5)
    x = Tensor(rng.normal(scale=1e3, size=(4, 6)))
    s = x.softmax(axis=1)
    assert np.isfinite(s.data).all()
    np.testing.assert_allclose(s.data.sum(axis=1), 1.0)


def test_sigmoid_of_extremes_is_finite_with_finite_gradients() -> None:
    x = Tensor([-1000.0, -30.0, 0.0, 30.0, 1000.0], requires_grad=True)
    y = x.sigmoid()
    np.testing.assert_allclose(y.data, [0.0, 1 / (1 + math.exp(30)), 0.5, 1 / (1 + math.exp(-30)), 1.0])
    y.sum().backward()
    assert np.isfinite(x.grad).all() and x.grad[2] == 0.25


def test_cross_entropy_at_extreme_logits_is_finite() -> None:
    logits = Tensor([[1e4, -1e4], [-1e4, 1e4]], requires_grad=True)
    loss = -logits.log_softmax(axis=1)[np.arange(2), np.array([1, 1])].mean()
    loss.backward()
    assert loss.item() == pytest.approx(1e4)
    assert np.isfinite(logits.grad).all()


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ("abc", TypeError, "Tensor: data must be numbers, got str 'abc'"),
        (object(), TypeError, "Tensor: data must be real numbers .* got objects"),
        ([[1.0, 2.0], [3.0]], ValueError, "Tensor: ragged nested lists"),
        ([1 + 2j], TypeError, "got complex numbers"),
        (["a", "b"], TypeError, "got strings"),
        (Value(1.0), TypeError, "Tensor and Value do not mix"),
    ],
)
def test_bad_data(data: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        Tensor(data)


def test_bad_constructor_arguments() -> None:
    with pytest.raises(TypeError, match="requires_grad must be a bool"):
        Tensor([1.0], requires_grad="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="label must be a str"):
        Tensor([1.0], label=3)  # type: ignore[arg-type]


def test_shape_errors_name_the_op_and_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"^matmul: shapes \(3, 4\) and \(5, 2\) do not align$"):
        Tensor(np.ones((3, 4))) @ Tensor(np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"^matmul: shapes \(\) and \(3,\) do not align$"):
        Tensor(1.0) @ Tensor(np.ones(3))
    with pytest.raises(ValueError, match=r"^add: shapes \(3,\) and \(4,\) do not broadcast$"):
        Tensor(np.ones(3)) + Tensor(np.ones(4))
    with pytest.raises(ValueError, match=r"^mul: shapes \(2, 3\) and \(2,\) do not broadcast$"):
        Tensor(np.ones((2, 3))) * np.ones(2)
    with pytest.raises(ValueError, match=r"^reshape: cannot reshape shape \(3, 4\) \(12 elements\) into"):
        Tensor(np.ones((3, 4))).reshape(5)
    with pytest.raises(ValueError, match=r"^transpose: 1 axes given for shape \(3, 4\), need 2$"):
        Tensor(np.ones((3, 4))).transpose(0)
    with pytest.raises(ValueError, match="transpose: repeated axis"):
        Tensor(np.ones((3, 4, 2))).transpose(1, 1, 0)


def test_backward_needs_a_scalar_or_a_gradient_of_the_right_shape() -> None:
    y = Tensor(np.ones((2, 3)), requires_grad=True) * 2
    with pytest.raises(ValueError, match=r"output has shape \(2, 3\); .* pass grad= an array of that shape"):
        y.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(3,\), expected the output's \(2, 3\)"):
        y.backward(np.ones(3))
    with pytest.raises(TypeError, match="backward: grad: data must be numbers"):
        y.backward("x")


@pytest.mark.parametrize("op", ["sum", "mean", "max", "softmax", "log_softmax"])
def test_axis_out_of_range(op: str) -> None:
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=rf"^{op}: axis 2 is out of range for a tensor with 2 dimensions$"):
        getattr(x, op)(axis=2)
    with pytest.raises(ValueError, match=rf"^{op}: axis -3 is out of range"):
        getattr(x, op)(axis=-3)
    with pytest.raises(TypeError, match=rf"^{op}: axis must be an int or a tuple of ints, got float"):
        getattr(x, op)(axis=1.0)


def test_bad_values() -> None:
    with pytest.raises(ValueError, match=r"log: input must be positive, got 0.0 at index \(1,\) \(2 of 3"):
        Tensor([1.0, 0.0, -1.0]).log()
    with pytest.raises(ValueError, match="pow: negative base to the fractional power 0.5"):
        Tensor([-1.0, 4.0]) ** 0.5
    with pytest.raises(ValueError, match="an exponent that requires grad needs a base >= 0"):
        Tensor([-2.0]) ** Tensor([2.0], requires_grad=True)
    assert (Tensor([-2.0]) ** 2).item() == 4.0  # integral powers of negatives are fine
    with pytest.raises(ValueError, match="max: cannot take the max over an empty dimension"):
        Tensor(np.ones((0, 3))).max()
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh'"):
        Tensor([1.0]).gelu(approximate="fast")
    with pytest.raises(ValueError, match=r"item: the tensor has 2 elements \(shape \(2,\)\), not 1"):
        Tensor([1.0, 2.0]).item()


def test_bad_indices() -> None:
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(IndexError, match=r"index: .*out of bounds.*\(tensor shape \(2, 3\)\)"):
        x[5]
    with pytest.raises(TypeError, match="index: index arrays must be integers or booleans, got float64"):
        x[np.array([0.5])]


def test_tensor_and_value_do_not_mix() -> None:
    t, v = Tensor([1.0]), Value(2.0)
    for op in (lambda: t + v, lambda: v + t, lambda: t * v, lambda: v * t, lambda: t @ v, lambda: t - v):
        with pytest.raises(TypeError, match="cannot mix Tensor and Value"):
            op()


def test_unsupported_operands_raise_type_error() -> None:
    with pytest.raises(TypeError, match="unsupported operand"):
        Tensor([1.0]) + "a"  # type: ignore[operator]
    with pytest.raises(TypeError, match="cannot combine a Tensor with an array of <U1"):
        Tensor([1.0]) * np.array(["a"])


@pytest.mark.parametrize("axis", [None, (0, 1), [1]])
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_needs_one_int_axis(op: str, axis: object) -> None:
    with pytest.raises(TypeError, match=f"{op}: axis must be one int, got"):
        getattr(Tensor(np.zeros((2, 3))), op)(axis)


def test_pow_at_zero_base_has_finite_gradients_where_the_math_does() -> None:
    # 0 ** 0 = 1 is constant in the base (slope 0, as PyTorch), and its exponent slope is 0 too.
    a = Tensor([0.0, 0.0, 2.0], requires_grad=True)
    b = Tensor([0.0, 2.0, 0.0], requires_grad=True)
    (a**b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(b.grad, [0.0, 0.0, np.log(2.0)])
    x = Tensor([0.0, 1.0], requires_grad=True)
    (x**0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


# --- dtypes as PyTorch promotes them -------------------------------------------------------------


def test_a_float_tensor_with_an_integer_tensor_keeps_the_float_dtype_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    f32, i64 = Tensor(np.ones(3, dtype=np.float32), requires_grad=True), Tensor(np.arange(3))
    for out, ref in [
        (f32 + i64, torch.ones(3) + torch.arange(3)),
        (i64 * f32, torch.arange(3) * torch.ones(3)),
    ]:
        assert out.dtype == np.float32 and ref.dtype == torch.float32
    (f32 * i64).sum().backward()
    assert f32.grad is not None and f32.grad.dtype == np.float32
    assert (autograd.maximum(f32, i64)).dtype == np.float32


def test_division_by_an_integer_tensor_is_true_division_as_pytorch() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    out = x / Tensor(np.array([2, 4]))
    np.testing.assert_array_equal(out.data, [0.5, 0.5])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.5, 0.25])
    np.testing.assert_array_equal((2 / Tensor(np.array([1, 4]))).data, [2.0, 0.5])
    np.testing.assert_array_equal((Tensor(np.array([1, 2])) / Tensor(np.array([2, 2]))).data, [0.5, 1.0])


def test_a_float64_seed_gives_a_float32_input_its_float32_gradient() -> None:
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    y = x * 3
    (g,) = autograd.grad(y, [x], grad_outputs=[Tensor(np.ones(2))], create_graph=True)
    assert g.dtype == np.float32

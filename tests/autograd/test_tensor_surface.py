"""The everyday PyTorch surface of Tensor: dim/keepdim, argmax/argmin, casts, factories, cat/stack,
where, numpy functions on Tensors, and the errors for wrong arguments. (Values and gradients of the
differentiable ones are in the op table, tests/autograd/op_table.py.)"""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor


def test_dim_and_keepdim_are_axis_and_keepdims() -> None:
    x = Tensor(np.arange(24.0).reshape(2, 3, 4))
    for op in ("sum", "mean", "amax", "amin", "var", "std", "max", "min"):
        a = getattr(x, op)(dim=1, keepdim=True)
        a = a.values if op in ("max", "min") else a  # PyTorch's (values, indices) along a dim
        b = getattr(x, "a" + op if op in ("max", "min") else op)(axis=1, keepdims=True) if op[0] != "a" else a
        np.testing.assert_array_equal(a.data, b.data)
        assert a.shape == (2, 1, 4)
        if op[0] != "a":
            with pytest.raises(TypeError, match=f"{op}: give dim= or axis=, not both"):
                getattr(x, op)(axis=1, dim=1)
    np.testing.assert_array_equal(x.softmax(dim=0).data, x.softmax(axis=0).data)
    assert x.sum(1).shape == (2, 4) and x.sum((0, 2)).shape == (3,)


def test_argmax_and_argmin_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    data = np.array([[1.0, 5.0, 5.0], [3.0, 2.0, 3.0]])
    x, xt = Tensor(data), torch.from_numpy(data)
    for name in ("argmax", "argmin"):
        assert getattr(x, name)().tolist() == getattr(xt, name)().tolist()
        for dim in (0, 1, -1):
            for keep in (False, True):
                ours = getattr(x, name)(dim=dim, keepdim=keep)
                assert ours.dtype == np.int64 and not ours.requires_grad
                assert ours.tolist() == getattr(xt, name)(dim=dim, keepdim=keep).tolist()
    with pytest.raises(ValueError, match="argmax: no element to pick from"):
        Tensor(np.zeros(0)).argmax()


def test_casts_and_python_values() -> None:
    x = Tensor([1.5, -2.5], requires_grad=True)
    assert x.float().dtype == np.float32 and x.float().requires_grad
    assert x.double().dtype == np.float64 and x.long().tolist() == [1, -2] and not x.long().requires_grad
    assert x.int().dtype == np.int32 and x.bool().tolist() == [True, True]
    (x.float() * 2).sum().backward()
    assert x.grad.dtype == np.float64 and x.grad.tolist() == [2.0, 2.0]
    assert (
        x.numel() == 2 and x.dim() == 1 and x.size() == (2,) and x.size(0) == 2 and x.tolist() == [1.5, -2.5]
    )
    with pytest.raises(TypeError, match="requires grad; use .detach"):
        x.numpy()
    assert x.detach().numpy().tolist() == [1.5, -2.5]
    with pytest.raises(TypeError, match="to: dtype must be a real number type"):
        x.to(np.complex128)


def test_factories() -> None:
    assert autograd.zeros(2, 3).dtype == np.float64 and autograd.zeros((2, 3)).shape == (2, 3)
    assert autograd.ones(3, dtype=autograd.float32).dtype == np.float32
    assert autograd.full((2,), 7).dtype == np.int64 and autograd.full((2,), 0.5).tolist() == [0.5, 0.5]
    assert autograd.arange(3).tolist() == [0, 1, 2] and autograd.arange(0, 1, 0.5).dtype == np.float64
    assert autograd.eye(2, 3).tolist() == [[1, 0, 0], [0, 1, 0]]
    assert autograd.zeros_like(Tensor(np.array([[1, 2]]))).dtype == np.int64 and autograd.ones_like(
        np.zeros(2)
    ).tolist() == [1, 1]
    w = autograd.randn(3, 2, requires_grad=True)
    assert w.requires_grad and w.shape == (3, 2)
    r = autograd.randint(0, 5, (100,))
    assert r.dtype == np.int64 and r.data.min() >= 0 and r.data.max() < 5
    assert autograd.randint(3, (4,)).shape == (4,)
    autograd.manual_seed(3)
    a = autograd.randn(5).data, autograd.rand(5).data
    autograd.manual_seed(3)
    b = autograd.randn(5).data, autograd.rand(5).data
    assert all((p == q).all() for p, q in zip(a, b))


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: autograd.zeros(2, -1), ValueError, "zeros: sizes must be >= 0"),
        (lambda: autograd.zeros(2.5), TypeError, "zeros: sizes must be ints"),
        (lambda: autograd.ones(2, dtype="complex128"), TypeError, "ones: dtype must be a real number type"),
        (lambda: autograd.zeros(2, dtype="bogus"), TypeError, "zeros: dtype"),
        (lambda: autograd.arange(0, 1, 0), ValueError, "arange: step must not be 0"),
        (lambda: autograd.arange(float("nan")), ValueError, "arange: end must be finite"),
        (lambda: autograd.randint(5, 5, (2,)), ValueError, "randint: high"),
        (lambda: autograd.arange(3, requires_grad=True), TypeError, "only floating-point"),
        (lambda: autograd.manual_seed(2**64), ValueError, "manual_seed: seed must be in"),
        (lambda: autograd.manual_seed(1.5), TypeError, "manual_seed: seed must be an int"),
        (lambda: autograd.cat([]), ValueError, "cat: expected at least one tensor"),
        (lambda: autograd.cat(Tensor([1.0])), TypeError, "cat: expected a list"),
        (lambda: autograd.cat([Tensor([1.0]), Tensor([[1.0]])]), ValueError, "same number of dimensions"),
        (
            lambda: autograd.cat([Tensor(np.zeros((2, 3))), Tensor(np.zeros((2, 4)))]),
            ValueError,
            "differ outside dim 0",
        ),
        (
            lambda: autograd.stack([Tensor([1.0]), Tensor([1.0, 2.0])]),
            ValueError,
            "stack: tensors need one shape",
        ),
        (
            lambda: autograd.where(np.array([1, 0]), 1.0, 0.0),
            TypeError,
            "where: the condition must be booleans",
        ),
        (lambda: Tensor([1.0]).clamp(), ValueError, "clamp: give min, max or both"),
        (lambda: Tensor([1.0]).clamp(2, 1), ValueError, "clamp: min 2 is greater than max 1"),
        (lambda: Tensor([1.0]).clamp("a"), TypeError, "clamp: min must be a number"),
        (
            lambda: Tensor([1.0, 2.0]).masked_fill(np.array([1, 0]), 0.0),
            TypeError,
            "masked_fill: the mask must be booleans",
        ),
        (lambda: Tensor([1.0, 2.0]).masked_fill(np.ones((2, 2), bool), 0.0), ValueError, "would grow"),
        (lambda: Tensor([1.0]).unsqueeze(3), ValueError, "unsqueeze: dim 3 is out of range"),
        (lambda: Tensor(np.zeros((2, 3))).flatten(1, 0), ValueError, "flatten: start_dim"),
        (lambda: Tensor(np.zeros((2, 3))).permute(0), ValueError, "permute: 1 dims given"),
        (lambda: Tensor(1.0).softmax(), ValueError, "softmax: a 0-d tensor has no axis"),
        (lambda: Tensor([1.0]).var(unbiased="yes"), TypeError, "var: unbiased must be a bool"),
    ],
)
def test_wrong_arguments_name_the_function(make, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        make()


def test_cat_and_stack_send_each_piece_its_slice() -> None:
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0], requires_grad=True)
    (autograd.cat([a, b]) * Tensor([1.0, 2.0, 3.0])).sum().backward()
    assert a.grad.tolist() == [1.0, 2.0] and b.grad.tolist() == [3.0]
    c = Tensor([[1.0, 2.0]], requires_grad=True)
    autograd.stack([c, c, c * 2], dim=0).sum().backward()
    assert c.grad.tolist() == [[4.0, 4.0]]


def test_numpy_functions_on_tensors_keep_the_graph_or_refuse() -> None:
    x = Tensor([1.0, -2.0], requires_grad=True)
    joined = np.concatenate([x, x * 2])
    assert isinstance(joined, Tensor) and joined.requires_grad
    assert isinstance(np.where(x.data > 0, x, 0.0), Tensor)
    assert np.sum(x).item() == -1.0 and np.shape(x) == (2,)
    np.sum(x * x).backward()
    assert x.grad.tolist() == [2.0, -4.0]
    with pytest.raises(TypeError, match="np.linalg.norm|np.norm"):
        np.linalg.norm(x)
    y = np.exp(x)  # a ufunc with a Tensor operation runs it, in the graph
    assert isinstance(y, Tensor) and y.requires_grad
    with pytest.raises(TypeError, match="np.sin cannot work on a Tensor that requires grad"):
        np.sin(x)
    assert isinstance(np.sin(x.detach()), Tensor)


def test_squeeze_and_transpose_follow_pytorch() -> None:
    x = Tensor(np.zeros((1, 3, 1)))
    assert x.squeeze().shape == (3,) and x.squeeze(0).shape == (3, 1) and x.squeeze(1).shape == (1, 3, 1)
    m = Tensor(np.arange(6.0).reshape(2, 3))
    assert m.transpose(0, 1).shape == (3, 2) and m.transpose().shape == (3, 2) and m.T.shape == (3, 2)


def test_unbind_gives_differentiable_slices_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    data = np.arange(6.0).reshape(2, 3)
    x, t = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    for dim in (0, 1, -1):
        ours, theirs = x.unbind(dim), t.unbind(dim)
        assert [o.tolist() for o in ours] == [s.tolist() for s in theirs]
    (x.unbind(1)[2] * 3).sum().backward()
    (t.unbind(1)[2] * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())
    with pytest.raises(ValueError, match="unbind: a 0-d tensor has no dimension to unbind"):
        Tensor(1.0).unbind()
    with pytest.raises(ValueError, match="unbind: axis 2 is out of range"):
        x.unbind(2)


def test_type_names_and_casts_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    for name in ("float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool"):
        ours, theirs = Tensor(np.zeros(2, dtype=name)), torch.zeros(2, dtype=getattr(torch, name))
        assert ours.type() == theirs.type()
        assert str(ours.type(theirs.type()).dtype) == name  # the name casts back to the type
    assert Tensor([1.7, -1.7]).type("torch.LongTensor").tolist() == torch.tensor([1.7, -1.7]).long().tolist()
    assert Tensor([1.5]).type(np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="type: invalid type 'torch.FooTensor'"):
        Tensor([1.0]).type("torch.FooTensor")
    with pytest.raises(TypeError, match="type: expected a dtype or a type's name, got True"):
        Tensor([1.0]).type(True)

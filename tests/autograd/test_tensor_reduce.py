"""Reductions at their edges, against PyTorch: ``dim=()``, a constant's ``std``, ``var`` with as
many corrections as elements, ``max``/``min`` of empty tensors."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, gradcheck

torch = pytest.importorskip("torch")


TORCH_NAME = {"max": "amax", "min": "amin"}


@pytest.mark.parametrize("op", ["sum", "mean", "max", "min", "var", "std"])
def test_dim_empty_tuple_reduces_every_dim_as_pytorch(op: str) -> None:
    """Values as PyTorch's; gradients by finite differences (PyTorch's own var and std backward
    take dim=() for no dims at all and give inf)."""
    x0 = np.arange(6.0).reshape(2, 3) ** 1.5 + 0.1
    ours = Tensor(x0, requires_grad=True)
    out = getattr(ours, op)(dim=())
    ref = getattr(torch.tensor(x0), TORCH_NAME.get(op, op))(dim=())
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-12)
    assert gradcheck(lambda x: getattr(x, op)(dim=()), [ours])


def test_std_of_a_constant_has_gradient_zero_not_nan() -> None:
    """A constant feature must not poison training with NaN (PyTorch gives 0 there too)."""
    x = Tensor(np.ones(4), requires_grad=True)
    x.std().backward()
    np.testing.assert_array_equal(x.grad, np.zeros(4))
    rows = Tensor(np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]]), requires_grad=True)
    theirs = torch.tensor(np.asarray(rows.data), requires_grad=True)
    rows.std(dim=1).sum().backward()
    theirs.std(dim=1).sum().backward()
    np.testing.assert_allclose(rows.grad, theirs.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("correction", [0, 1, 3, 4])
def test_var_with_any_correction_matches_pytorch(correction: int) -> None:
    x0 = np.array([1.0, 2.0, 4.0, 7.0])
    ours, theirs = Tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
    out, ref = ours.var(correction=correction), theirs.var(correction=correction)
    np.testing.assert_allclose(out.data, ref.detach().numpy())
    out.backward()
    ref.backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy())  # inf at correction = n, as PyTorch


def test_max_and_min_of_an_empty_tensor_along_a_full_dim_are_empty() -> None:
    x = Tensor(np.zeros((0, 3)))
    assert x.max(dim=1).values.shape == (0,) and x.min(dim=1).indices.shape == (0,)
    assert tuple(torch.zeros(0, 3).amax(dim=1).shape) == (0,)
    with pytest.raises(ValueError, match="max: cannot take the max over an empty dimension"):
        x.max(dim=0)


@pytest.mark.parametrize(
    "values",
    [
        np.array([-128, 0, 5], np.int8),  # the type's minimum: -a would overflow
        np.array([np.iinfo(np.int64).min, 3, -1]),
        np.array([np.inf, 1.0, -np.inf, np.nan]),  # NaN is the largest
        np.array([1.0, np.nan, 1.0, np.inf, 1.0]),  # ties keep their order
        np.array([3, 1, 2], np.uint8),
        np.array([True, False, True]),
    ],
    ids=["int8_min", "int64_min", "nan_and_inf", "ties", "uint8", "bool"],
)
def test_sort_and_topk_order_as_pytorch(values: np.ndarray) -> None:
    for descending in (False, True):
        ours = Tensor(values).sort(descending=descending)
        theirs = torch.from_numpy(values).sort(descending=descending, stable=True)
        assert ours.indices.tolist() == theirs.indices.tolist()
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
    if values.dtype != bool:  # (PyTorch has no topk of bools)
        np.testing.assert_array_equal(
            Tensor(values).topk(2).values.numpy(), torch.from_numpy(values).topk(2).values.numpy()
        )


def test_all_and_any_take_dim_and_keepdim() -> None:
    t = Tensor([[1.0, 0.0], [1.0, 1.0]])
    assert t.all(1).tolist() == [False, True] and t.any(0, keepdim=True).tolist() == [[True, True]]
    assert t.all().item() is False and t.any(dim=(0, 1)).item() is True
    with pytest.raises(ValueError, match="all: axis 5 is out of range for a tensor with 2 dimensions"):
        t.all(5)

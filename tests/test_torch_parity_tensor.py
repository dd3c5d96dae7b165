"""Every op of the Tensor table against PyTorch: values and gradients (float64, and float32 for a
few). Skipped when torch is not installed: it is a benchmark and test extra, not a dependency."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_cases import CASES, Case, Shapes, expand, pair_id

from autograd import Tensor

torch = pytest.importorskip("torch")


def run_both(case: Case, shapes: Shapes, dtype: type) -> tuple[list[Tensor], list[object], Tensor, object]:
    arrays = case.inputs(shapes, seed=7, dtype=dtype)
    ours = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = case.fn(*ours)
    ref = (case.torch_fn or case.fn)(*theirs)
    upstream = np.random.default_rng(8).normal(size=out.shape).astype(dtype)
    out.backward(upstream)
    ref.backward(torch.from_numpy(upstream))
    return ours, theirs, out, ref


@pytest.mark.parametrize(("case", "shapes"), expand(CASES), ids=pair_id)
def test_values_and_gradients_match_torch(case: Case, shapes: Shapes) -> None:
    ours, theirs, out, ref = run_both(case, shapes, np.float64)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad, reference.grad.numpy(), rtol=1e-9, atol=1e-12)


FLOAT32_OPS = {"matmul", "add", "log_softmax", "sigmoid", "cross_entropy", "mlp_layer"}
FLOAT32 = [case for case in CASES if case.name in FLOAT32_OPS]


@pytest.mark.parametrize(("case", "shapes"), expand(FLOAT32), ids=pair_id)
def test_float32_matches_torch(case: Case, shapes: Shapes) -> None:
    ours, theirs, out, ref = run_both(case, shapes, np.float32)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-5, atol=1e-6)
    for mine, reference in zip(ours, theirs):
        assert mine.grad.dtype == np.float32
        np.testing.assert_allclose(mine.grad, reference.grad.numpy(), rtol=1e-4, atol=1e-5)


def test_hessian_vector_product_matches_torch() -> None:
    from autograd import grad

    rng = np.random.default_rng(9)
    x0, v0 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))

    x = Tensor(x0, requires_grad=True)
    (g,) = grad((x.tanh() * x).softmax(axis=1).log().sum(), [x], create_graph=True)
    (hv,) = grad((g * v0).sum(), [x])

    xt = torch.tensor(x0, requires_grad=True)
    (gt,) = torch.autograd.grad((xt.tanh() * xt).softmax(dim=1).log().sum(), [xt], create_graph=True)
    (hvt,) = torch.autograd.grad((gt * torch.from_numpy(v0)).sum(), [xt])
    np.testing.assert_allclose(g.data, gt.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(hv.data, hvt.numpy(), rtol=1e-9, atol=1e-12)

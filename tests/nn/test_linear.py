"""nn.Linear and nn.Identity (nn/linear.py): shapes, forward, gradients, dtypes, devices, and PyTorch's
initialisation (the same weights for the same seed), values and printed text."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from nn_helpers import check_step, copy_parameters, make_net

import autograd
import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value, gradcheck


def test_linear_shapes_init_and_forward() -> None:
    layer = nn.Linear(5, 3, rng=0)
    assert layer.weight.shape == (3, 5) and layer.bias is not None and layer.bias.shape == (3,)
    bound = 1 / math.sqrt(5)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert np.all(np.abs(w) <= bound) and np.all(np.abs(b) <= bound)
    assert layer.weight.requires_grad and layer.bias.requires_grad
    x = np.random.default_rng(1).normal(size=(4, 5))
    np.testing.assert_allclose(layer(Tensor(x)).data, x @ w.T + b, rtol=1e-12)
    np.testing.assert_allclose(layer(x).data, layer(Tensor(x)).data)  # arrays are accepted too
    assert layer(Tensor(x[0])).shape == (3,)  # one sample without a batch dimension


def test_linear_init_spreads_over_the_pytorch_bound() -> None:
    w = nn.Linear(400, 300, rng=0).weight.detach().numpy()
    bound = 1 / math.sqrt(400)
    assert w.min() > -bound and w.max() < bound
    assert w.min() < -0.95 * bound and w.max() > 0.95 * bound  # uniform over the whole range
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound  # the std of U(-a, a)


def test_linear_gradients() -> None:
    layer = nn.Linear(3, 2, rng=0)
    x = Tensor(np.random.default_rng(2).normal(size=(4, 3)), requires_grad=True)
    assert gradcheck(lambda x, w, b: layer(x), [x, layer.weight, layer.bias])


def test_linear_without_bias_and_float32() -> None:
    layer = nn.Linear(3, 2, bias=False, rng=0)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    assert repr(layer) == "Linear(in_features=3, out_features=2, bias=False)"
    fast = nn.Linear(3, 2, rng=0, dtype=np.float32)
    assert fast.weight.dtype == np.float32 and fast(np.ones((1, 3), dtype=np.float32)).dtype == np.float32


def test_linear_seeding() -> None:
    np.testing.assert_array_equal(nn.Linear(4, 4, rng=3).weight.data, nn.Linear(4, 4, rng=3).weight.data)
    nn.manual_seed(11)
    a = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2)).state_dict()
    nn.manual_seed(11)
    b = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2)).state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_linear_bad_input() -> None:
    layer = nn.Linear(4, 2, rng=0)
    with pytest.raises(ValueError, match=r"Linear: input shape \(3, 5\) does not fit weight shape \(2, 4\)"):
        layer(Tensor(np.ones((3, 5))))
    with pytest.raises(ValueError, match=r"Linear: input shape \(\) does not fit"):
        layer(Tensor(1.0))
    with pytest.raises(ValueError, match="Linear: in_features must be positive, got 0"):
        nn.Linear(0, 2)
    with pytest.raises(ValueError, match="Linear: out_features must be positive, got -3"):
        nn.Linear(2, -3)
    with pytest.raises(TypeError, match="Linear: in_features must be an int, got float"):
        nn.Linear(2.5, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Linear: dtype must be a float type, got int32"):
        nn.Linear(2, 3, dtype=np.int32)
    with pytest.raises(ValueError, match="Linear: only the CPU is here .numpy., got device 'cuda'"):
        nn.Linear(2, 3, device="cuda")
    with pytest.raises(TypeError, match="Linear: bias must be True or False, got str"):
        nn.Linear(2, 3, bias="no")
    assert nn.Linear(2, 3, device="cpu").weight.shape == (3, 2)


def test_training_a_tensor_network_lowers_the_loss() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1).astype(np.int64)
    net = make_net(3)
    opt = nn.optim.Adam(net.parameters(), lr=0.05)
    losses = []
    for _ in range(60):
        loss = F.cross_entropy(net(Tensor(X)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_linear_refuses_values_instead_of_dropping_their_gradients() -> None:
    layer = nn.Linear(2, 1, rng=0)
    for x in ([Value(1.0), Value(2.0)], [[Value(1.0), Value(2.0)]], [1.0, Value(2.0)], Value(1.0)):
        with pytest.raises(TypeError, match="Linear: got Values; Tensor and Value do not mix"):
            layer(x)
    with pytest.raises(TypeError, match="Linear: .*strings"):
        layer(["a", "b"])
    with pytest.raises(TypeError, match="Linear: .*complex"):
        layer(np.array([1 + 2j, 3.0]))
    # lists and arrays of numbers still work, cast to the weight's dtype
    fast = nn.Linear(2, 1, rng=0, dtype=np.float32)
    assert fast([[1, 2]]).dtype == np.float32 and fast(np.array([[1.0, 2.0]])).dtype == np.float32
    np.testing.assert_allclose(layer([1, 2]).data, layer(Tensor([1.0, 2.0])).data)
    assert layer(np.array([True, False])).dtype == np.float64


@pytest.mark.parametrize("dtype", ["bogus", 3, object, np.int32, bool, "f8,f8", np.complex64, [("a", "f8")]])
def test_linear_refuses_dtypes_that_are_not_floats(dtype: Any) -> None:
    with pytest.raises(TypeError, match="^Linear: dtype must be a") as err:
        nn.Linear(2, 3, dtype=dtype)
    assert "not understood" not in str(err.value)


def test_linear_dtypes_accepted() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(
        TypeError, match=r"Linear: dtype must be a numpy float type \(np.float32, ...\), got torch.float32"
    ):
        nn.Linear(2, 3, dtype=torch.float32)
    for dtype, expected in (
        (None, np.float64),
        (float, np.float64),
        ("float32", np.float32),
        (np.float16, np.float16),
    ):
        assert nn.Linear(2, 3, dtype=dtype).weight.dtype == expected


def test_linear_init_matches_torch_distribution() -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = torch.nn.Linear(300, 200).weight.detach().numpy()
    ours = nn.Linear(300, 200, rng=0).weight.detach().numpy()
    # same bound and spread (float64 here: another stream): U(-1/sqrt(300), 1/sqrt(300))
    assert abs(ours.max() - theirs.max()) < 1e-3 and abs(ours.min() - theirs.min()) < 1e-3
    assert abs(ours.std() - theirs.std()) < 1e-3


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linear_weights_are_torchs_for_the_same_seed(dtype: str) -> None:
    # kaiming_uniform_(a=√5) on the (out, in) weight, then the bias, layer by layer from the
    # default generator: PyTorch's quickstart network, the same numbers
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(
        torch.nn.Linear(784, 512),
        torch.nn.ReLU(),
        torch.nn.Linear(512, 10, bias=False),
        torch.nn.Linear(10, 3),
    ).to(getattr(torch, dtype))
    autograd.manual_seed(0)
    ours = nn.Sequential(
        nn.Linear(784, 512, dtype=dtype),
        nn.ReLU(),
        nn.Linear(512, 10, bias=False, dtype=dtype),
        nn.Linear(10, 3, dtype=dtype),
    )
    if dtype == "float64":  # torch draws float32 and casts; we draw float64: build torch's in float64
        torch.manual_seed(0)
        theirs = torch.nn.Sequential(
            torch.nn.Linear(784, 512, dtype=torch.float64),
            torch.nn.ReLU(),
            torch.nn.Linear(512, 10, bias=False, dtype=torch.float64),
            torch.nn.Linear(10, 3, dtype=torch.float64),
        )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        assert ours.state_dict()[key].dtype == value.numpy().dtype
        np.testing.assert_array_equal(ours.state_dict()[key], value.numpy(), err_msg=key)
    g, gt = autograd.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    layer = nn.Linear(30, 7, dtype=dtype, rng=g)
    expected = torch.empty(7, 30, dtype=getattr(torch, dtype))
    torch.nn.init.kaiming_uniform_(expected, a=math.sqrt(5), generator=gt)
    np.testing.assert_array_equal(layer.weight.data, expected.numpy())  # rng= a generator of one's own
    layer.reset_parameters(autograd.Generator().manual_seed(5))
    np.testing.assert_array_equal(layer.weight.data, expected.numpy())


def test_linear_and_identity_match_torch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    for ours, theirs in (
        (nn.Linear(3, 4), torch.nn.Linear(3, 4).double()),
        (nn.Linear(3, 4, bias=False), torch.nn.Linear(3, 4, bias=False).double()),
        (nn.Identity(3, bias=False), torch.nn.Identity(3, bias=False)),
    ):
        copy_parameters(ours, theirs, rng)
        check_step(ours, theirs, rng.normal(size=(2, 5, 3)), rng)
        assert repr(ours) == repr(theirs)
    assert repr(nn.Identity()) == "Identity()"

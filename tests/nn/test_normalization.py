"""nn.LayerNorm, nn.BatchNorm1d and nn.functional.layer_norm (nn/normalization.py) against PyTorch:
values, gradients, running statistics over several training steps, eval mode, printed text; an input
of another float dtype than their parameters is refused, as torch 2.13 refuses it, instead of a
silently promoted float64 output; bad arguments are clear errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from nn_helpers import TOL, check_step, copy_parameters

import nn
import nn.functional as F  # noqa: N812 - the name PyTorch users know
from autograd import Tensor, Value

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: nn.LayerNorm("4"),
            TypeError,
            "LayerNorm: normalized_shape must be an int or a tuple of ints",
        ),
        (
            lambda: nn.LayerNorm(()),
            ValueError,
            "LayerNorm: normalized_shape must name at least one dimension",
        ),
        (lambda: nn.LayerNorm((4, 0)), ValueError, "LayerNorm: normalized_shape must be positive, got 0"),
        (lambda: nn.LayerNorm(4, eps=-1e-5), ValueError, "LayerNorm: eps must be a finite number >= 0"),
        (lambda: nn.LayerNorm(4, eps="small"), TypeError, "LayerNorm: eps must be a number, got str"),
        (
            lambda: nn.LayerNorm(4, elementwise_affine=1),
            TypeError,
            "LayerNorm: elementwise_affine must be True or False",
        ),
        (lambda: nn.LayerNorm(4, device="mps"), ValueError, "LayerNorm: only the CPU is here"),
        (lambda: nn.BatchNorm1d(-2), ValueError, "BatchNorm1d: num_features must be positive, got -2"),
        (lambda: nn.BatchNorm1d(4, momentum=1.5), ValueError, r"BatchNorm1d: momentum must be in \[0, 1\]"),
        (lambda: nn.BatchNorm1d(4, momentum=float("nan")), ValueError, "BatchNorm1d: momentum must be in"),
        (
            lambda: nn.BatchNorm1d(4, momentum="0.1"),
            TypeError,
            "BatchNorm1d: momentum must be a number or None",
        ),
        (lambda: nn.BatchNorm1d(4, affine=None), TypeError, "BatchNorm1d: affine must be True or False"),
        (lambda: nn.BatchNorm1d(4, eps=float("inf")), ValueError, "BatchNorm1d: eps must be a finite number"),
        (lambda: nn.BatchNorm1d(4, device="cuda"), ValueError, "BatchNorm1d: only the CPU is here"),
        (
            lambda: nn.LayerNorm(4)(np.ones((2, 3))),
            ValueError,
            r"LayerNorm: input shape \(2, 3\) does not end in",
        ),
        (
            lambda: nn.LayerNorm((2, 3))(np.ones(3)),
            ValueError,
            r"LayerNorm: input shape \(3,\) does not end in",
        ),
        (
            lambda: nn.LayerNorm(2)(np.ones(2, dtype=int)),
            TypeError,
            "LayerNorm: input must hold floats, got int64",
        ),
        (
            lambda: nn.BatchNorm1d(3)(np.ones((4, 2))),
            ValueError,
            r"BatchNorm1d: input shape \(4, 2\) has 2 channels",
        ),
        (
            lambda: nn.BatchNorm1d(3)(np.ones((2, 3, 4, 5))),
            ValueError,
            "BatchNorm1d: expected 2D or 3D input",
        ),
        (
            lambda: nn.BatchNorm1d(3)(np.ones((1, 3))),
            ValueError,
            "BatchNorm1d: expected more than 1 value per channel",
        ),
        (
            lambda: nn.BatchNorm1d(3)([Value(1.0)]),
            TypeError,
            "BatchNorm1d: got Values; Tensor and Value do not mix",
        ),
        (lambda: F.layer_norm(Tensor([1.0, 2.0]), "2"), TypeError, "layer_norm: normalized_shape must be"),
        (
            lambda: F.layer_norm(Tensor([1.0, 2.0]), 2, Tensor([1.0])),
            ValueError,
            r"layer_norm: weight must be",
        ),
    ],
)
def test_normalization_refuses_bad_arguments(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}"):
        make()


LAYERS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    # name: (ours with dtype=..., torch's with dtype=...)
    "LayerNorm": (lambda d: nn.LayerNorm(3, dtype=d), lambda d: torch.nn.LayerNorm(3, dtype=d)),
    "BatchNorm1d": (lambda d: nn.BatchNorm1d(3, dtype=d), lambda d: torch.nn.BatchNorm1d(3, dtype=d)),
    "BatchNorm1d-eval": (
        lambda d: nn.BatchNorm1d(3, dtype=d).eval(),
        lambda d: torch.nn.BatchNorm1d(3, dtype=d).eval(),
    ),
    "BatchNorm1d-no-affine": (  # the running statistics alone fix its dtype
        lambda d: nn.BatchNorm1d(3, affine=False, dtype=d),
        lambda d: torch.nn.BatchNorm1d(3, affine=False, dtype=d),
    ),
}
STATELESS = {  # no parameters, no buffers: any float dtype, the input's kept
    "LayerNorm-no-affine": (
        lambda d: nn.LayerNorm(3, elementwise_affine=False, dtype=d),
        lambda d: torch.nn.LayerNorm(3, elementwise_affine=False, dtype=d),
    ),
    "BatchNorm1d-bare": (
        lambda d: nn.BatchNorm1d(3, affine=False, track_running_stats=False, dtype=d),
        lambda d: torch.nn.BatchNorm1d(3, affine=False, track_running_stats=False, dtype=d),
    ),
}
X = np.arange(6.0).reshape(2, 3) ** 2


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize(("layer_dtype", "input_dtype"), [(np.float64, np.float32), (np.float32, np.float64)])
def test_mixed_dtypes_are_refused_as_torch_refuses_them(
    name: str, layer_dtype: Any, input_dtype: Any
) -> None:
    ours, theirs = LAYERS[name]
    with pytest.raises(RuntimeError, match="mixed dtype"):
        theirs(getattr(torch, np.dtype(layer_dtype).name))(torch.from_numpy(X.astype(input_dtype)))
    layer = ours(layer_dtype)
    before = layer.state_dict()  # copies
    who, given, own = name.split("-")[0], np.dtype(input_dtype), np.dtype(layer_dtype)
    with pytest.raises(
        TypeError,
        match=f"^{who}: input dtype {given} does not match the layer's {own} ",
    ):
        layer(Tensor(X.astype(input_dtype)))
    for key, value in layer.state_dict().items():  # the running statistics did not move
        np.testing.assert_array_equal(value, before[key])


@pytest.mark.parametrize("name", [*LAYERS, *STATELESS])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matching_dtypes_give_torchs_output_and_dtype(name: str, dtype: Any) -> None:
    ours, theirs = {**LAYERS, **STATELESS}[name]
    expected = theirs(getattr(torch, np.dtype(dtype).name))(torch.from_numpy(X.astype(dtype)))
    out = ours(dtype)(Tensor(X.astype(dtype)))
    assert out.dtype == dtype == expected.detach().numpy().dtype
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", STATELESS)
def test_a_layer_without_parameters_or_buffers_keeps_the_inputs_dtype(name: str) -> None:
    ours, theirs = STATELESS[name]
    expected = theirs(torch.float64)(torch.from_numpy(X.astype(np.float32)))
    assert (
        ours(np.float64)(Tensor(X.astype(np.float32))).dtype == np.float32 == expected.detach().numpy().dtype
    )


@pytest.mark.parametrize("name", LAYERS)
def test_plain_numbers_are_constants_of_the_layers_dtype(name: str) -> None:
    ours, _ = LAYERS[name]
    assert ours(np.float32)(X.tolist()).dtype == np.float32  # a list, as Linear takes it
    assert ours(np.float32)(X).dtype == np.float32  # a float64 array: a constant, cast
    with pytest.raises(TypeError, match="input must hold floats, got int64"):
        ours(np.float32)(np.ones((2, 3), dtype=np.int64))


LAYER_NORMS = [
    ((4, 5), 5, {}),
    ((2, 3, 4), (3, 4), {}),
    ((3, 4), [4], {"eps": 0.1}),
    ((3, 4), 4, {"bias": False}),
    ((3, 4), 4, {"elementwise_affine": False}),
    ((6,), 6, {}),
]


@pytest.mark.parametrize(("shape", "normalized", "options"), LAYER_NORMS)
def test_layer_norm_matches_torch(shape: tuple, normalized: Any, options: dict) -> None:
    rng = np.random.default_rng(0)
    ours, theirs = nn.LayerNorm(normalized, **options), torch.nn.LayerNorm(normalized, **options).double()
    copy_parameters(ours, theirs, rng)
    check_step(ours, theirs, rng.normal(size=shape) * 3 + 1, rng)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


BATCH_NORMS = [
    ((8, 4), {}),
    ((5, 4, 3), {}),
    ((8, 4), {"momentum": None}),
    ((5, 4, 2), {"momentum": None}),
    ((8, 4), {"momentum": 0.3, "eps": 1e-3}),
    ((8, 4), {"affine": False}),
    ((8, 4), {"bias": False}),
    ((8, 4), {"track_running_stats": False}),
]


def _running_stats_agree(ours: nn.BatchNorm1d, theirs: Any) -> None:
    for name, buffer in ours.named_buffers():
        expected = dict(theirs.named_buffers())[name].numpy()
        assert buffer.dtype == expected.dtype, name
        np.testing.assert_allclose(buffer.data, expected, **TOL, err_msg=name)


@pytest.mark.parametrize(("shape", "options"), BATCH_NORMS)
def test_batch_norm_training_steps_running_statistics_and_eval_match_torch(
    shape: tuple, options: dict
) -> None:
    rng = np.random.default_rng(1)
    ours, theirs = nn.BatchNorm1d(4, **options), torch.nn.BatchNorm1d(4, **options).double()
    copy_parameters(ours, theirs, rng)
    for _ in range(4):  # the running statistics move step by step
        check_step(ours, theirs, rng.normal(size=shape) * 2 + 3, rng)
        _running_stats_agree(ours, theirs)
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    ours.eval()
    theirs.eval()
    check_step(ours, theirs, rng.normal(size=shape), rng)  # running statistics (batch ones untracked)
    _running_stats_agree(ours, theirs)  # eval mode leaves them alone
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_batch_norm_in_a_network_through_train_and_eval() -> None:
    rng = np.random.default_rng(2)
    ours = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 2))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Tanh(), torch.nn.Linear(4, 2)
    ).double()
    copy_parameters(ours, theirs, rng)
    for mode in (True, False, True):
        ours.train(mode)
        theirs.train(mode)
        check_step(ours, theirs, rng.normal(size=(6, 3)), rng)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), **TOL, err_msg=key)


def test_batch_norm_on_one_sample_works_in_eval_mode() -> None:
    bn = nn.BatchNorm1d(2).eval()
    np.testing.assert_allclose(bn(np.array([[3.0, -1.0]])).data, [[3.0, -1.0]], rtol=1e-5)
    untracked = nn.BatchNorm1d(2, track_running_stats=False).eval()
    assert untracked.state_dict().keys() == {"weight", "bias"} and untracked.running_mean is None
    out = untracked(np.array([[3.0, -1.0], [1.0, 1.0]])).data  # batch statistics, even in eval
    np.testing.assert_allclose(out, [[1.0, -1.0], [-1.0, 1.0]], rtol=1e-4)


def test_float32_layers_stay_float32() -> None:
    x32 = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    for layer in (nn.LayerNorm(3, dtype=np.float32), nn.BatchNorm1d(3, dtype=np.float32)):
        assert layer(Tensor(x32)).dtype == np.float32, type(layer).__name__
    assert nn.BatchNorm1d(3, dtype=np.float32).running_var.dtype == np.float32


@pytest.mark.parametrize(("shape", "normalized"), [((4, 5), 5), ((2, 3, 4), (3, 4))])
def test_functional_layer_norm_matches_torch(shape: tuple, normalized: Any) -> None:
    rng = np.random.default_rng(9)
    x = rng.normal(size=shape) * 3 + 1
    dims = (normalized,) if isinstance(normalized, int) else normalized
    w, b = rng.normal(size=dims), rng.normal(size=dims)
    xo, wo, bo = (Tensor(a.copy(), requires_grad=True) for a in (x, w, b))
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    yo, yt = (
        F.layer_norm(xo, normalized, wo, bo, eps=1e-3),
        torch.nn.functional.layer_norm(xt, dims, wt, bt, 1e-3),
    )
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), **TOL)
    yo.sum().backward()
    yt.sum().backward()
    for ours, theirs in ((xo, xt), (wo, wt), (bo, bt)):
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), **TOL)
    plain = torch.nn.functional.layer_norm(torch.tensor(x), dims).numpy()
    np.testing.assert_allclose(F.layer_norm(Tensor(x), normalized).data, plain, **TOL)

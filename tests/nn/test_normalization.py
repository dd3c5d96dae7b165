"""nn.LayerNorm and nn.BatchNorm1d (nn/normalization.py) with an input of another float dtype than
their parameters: refused, as torch 2.13 refuses it, instead of a silently promoted float64 output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nn
from autograd import Tensor

torch = pytest.importorskip("torch")

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
    before = {k: v.copy() for k, v in layer.state_dict().items()}
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

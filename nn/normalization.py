"""Normalisation layers with PyTorch's arguments, formulas and state: `LayerNorm` and `BatchNorm1d`.

Both compute (x − mean) / √(var + eps) · weight + bias with the biased variance. LayerNorm takes
the statistics of each sample over its last dimensions; BatchNorm1d those of each channel over
the batch (and the length, for (N, C, L) input) while training, and keeps running averages of
them (``running_mean``, ``running_var``: buffers, saved in the state dict with
``num_batches_tracked``) to use in eval mode.

>>> import numpy as np, nn
>>> from autograd import Tensor
>>> bn = nn.BatchNorm1d(3)
>>> out = bn(Tensor(np.arange(12.0).reshape(4, 3)))
>>> [round(v, 4) for v in out[:, 0].tolist()]
[-1.3416, -0.4472, 0.4472, 1.3416]
>>> list(bn.state_dict())
['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
>>> bn.running_mean.tolist(), int(bn.num_batches_tracked.item())
([0.45, 0.55, 0.65], 1)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.devices import check_cpu
from autograd.tensors import Tensor
from nn.layers import _check_count, _check_size
from nn.linear import float_dtype, tensor_input
from nn.module import Module

__all__ = ["BatchNorm1d", "LayerNorm", "layer_norm"]


def _check_flag(who: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: {name} must be True or False, got {type(value).__name__}")
    return bool(value)


def _check_eps(who: str, eps: Any) -> float:
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise TypeError(f"{who}: eps must be a number, got {type(eps).__name__}")
    value = float(eps)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{who}: eps must be a finite number >= 0, got {eps!r}")
    return value


def _affine(out: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple[int, ...]) -> Tensor:
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def _same_dtype(who: str, x: Tensor, given: bool, state: tuple[Tensor | None, ...]) -> Tensor:
    """A layer's input ``x`` (``given`` as a Tensor, or made from numbers) as a float Tensor of
    the dtype of the layer's parameters and buffers (``state``).

    PyTorch refuses to mix them ("mixed dtype (CPU): expect parameter to have scalar type of
    Float"): a float32 Tensor into a float64 layer is a TypeError here too, not a float64 output
    behind the user's back. Numbers, lists and arrays are constants, made of the layer's dtype (as
    `Linear` does). A layer with no parameters or buffers takes any float dtype, as PyTorch's."""
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must hold floats, got {x.dtype}")
    dtype = next((t._data.dtype for t in state if t is not None), x.dtype)
    if x.dtype == dtype:
        return x
    if not given:
        return Tensor(x._data.astype(dtype))
    raise TypeError(
        f"{who}: input dtype {x.dtype} does not match the layer's {dtype} (PyTorch refuses mixed "
        f"dtypes too): pass x.to(np.{dtype}), or make the layer with dtype=np.{x.dtype}"
    )


def _parameter(value: float, shape: tuple[int, ...], dtype: np.dtype, label: str) -> Tensor:
    return Tensor(np.full(shape, value, dtype=dtype), requires_grad=True, label=label)


class LayerNorm(Module):
    """Normalises each sample over its last dimensions, ``normalized_shape`` (an int or a tuple
    of ints: the trailing shape of the input), then scales by ``weight`` (ones) and shifts by
    ``bias`` (zeros), both of that shape, when ``elementwise_affine``; ``bias=False`` leaves
    the shift out.

    >>> from autograd import Tensor
    >>> [[round(v, 4) for v in row] for row in LayerNorm(2)(Tensor([[1.0, 3.0]])).tolist()]
    [[-1.0, 1.0]]
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        who = "LayerNorm"
        check_cpu(who, device)
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
            kind = type(normalized_shape).__name__
            raise TypeError(f"{who}: normalized_shape must be an int or a tuple of ints, got {kind}")
        if not shape:
            raise ValueError(f"{who}: normalized_shape must name at least one dimension, got {shape!r}")
        self.normalized_shape = tuple(_check_size(who, "normalized_shape", n) for n in shape)
        _check_count(who, self.normalized_shape)
        self.eps = _check_eps(who, eps)
        self.elementwise_affine = _check_flag(who, "elementwise_affine", elementwise_affine)
        with_bias = _check_flag(who, "bias", bias)
        dtype = float_dtype(who, dtype)
        affine = self.elementwise_affine
        self.weight = _parameter(1.0, self.normalized_shape, dtype, "weight") if affine else None
        self.bias = _parameter(0.0, self.normalized_shape, dtype, "bias") if affine and with_bias else None

    def forward(self, x: Any) -> Tensor:
        return _layer_norm("LayerNorm", x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        affine, bias = self.elementwise_affine, self.bias is not None
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={affine}, bias={bias}"


def _layer_norm(
    who: str, x: Any, shape: tuple[int, ...], weight: Tensor | None, bias: Tensor | None, eps: float
) -> Tensor:
    given, x = isinstance(x, Tensor), tensor_input(who, x)
    k = len(shape)
    if x.shape[x.ndim - k :] != shape or x.ndim < k:
        raise ValueError(f"{who}: input shape {x.shape} does not end in normalized_shape {shape}")
    x = _same_dtype(who, x, given, (weight, bias))
    axes = tuple(range(x.ndim - k, x.ndim))
    mean = x.mean(dim=axes, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(dim=axes, keepdim=True)
    out = centred * (var + eps) ** -0.5
    return _affine(out, weight, bias, shape)


def layer_norm(
    input: Any,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """``torch.nn.functional.layer_norm``: each sample normalised over its last dimensions
    (``normalized_shape``), then scaled by ``weight`` and shifted by ``bias`` when given.

    >>> from autograd import Tensor
    >>> [round(v, 4) for v in layer_norm(Tensor([[1.0, 3.0]]), (2,))[0].tolist()]
    [-1.0, 1.0]
    """
    who = "layer_norm"
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence) or not shape:
        raise TypeError(f"{who}: normalized_shape must be an int or a non-empty tuple of ints, got {shape!r}")
    dims = tuple(_check_size(who, "normalized_shape", n) for n in shape)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (not isinstance(t, Tensor) or t.shape != dims):
            raise ValueError(f"{who}: {name} must be a Tensor of shape {dims}, got {t!r}")
    return _layer_norm(who, input, dims, weight, bias, _check_eps(who, eps))


class BatchNorm1d(Module):
    """Batch normalisation of (N, C) or (N, C, L) input, C = ``num_features``, as PyTorch's.

    Training: each channel is normalised with its batch mean and biased variance, and the running
    averages move towards the batch's mean and *unbiased* variance by ``momentum``
    (r ← (1 − momentum)·r + momentum·batch; ``momentum=None``: the cumulative average, momentum
    1/num_batches_tracked); ``num_batches_tracked`` counts the batches. Eval: the running
    statistics are used (batch statistics when ``track_running_stats=False``, which keeps none).
    ``affine``: a learned per-channel ``weight`` (ones) and ``bias`` (zeros; ``bias=False``
    leaves it out).
    """

    running_mean: Tensor | None  # buffers (None without track_running_stats)
    running_var: Tensor | None
    num_batches_tracked: Tensor | None

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        who = "BatchNorm1d"
        check_cpu(who, device)
        self.num_features = _check_size(who, "num_features", num_features)
        _check_count(who, [self.num_features])
        self.eps = _check_eps(who, eps)
        if momentum is not None:
            if isinstance(momentum, (bool, np.bool_)) or not isinstance(momentum, numbers.Real):
                raise TypeError(f"{who}: momentum must be a number or None, got {type(momentum).__name__}")
            if not 0 <= float(momentum) <= 1:
                raise ValueError(f"{who}: momentum must be in [0, 1] (or None), got {momentum!r}")
            momentum = float(momentum)
        self.momentum = momentum
        self.affine = _check_flag(who, "affine", affine)
        with_bias = _check_flag(who, "bias", bias)
        self.track_running_stats = _check_flag(who, "track_running_stats", track_running_stats)
        dtype = float_dtype(who, dtype)
        c = (num_features,)
        self.weight = _parameter(1.0, c, dtype, "weight") if self.affine else None
        self.bias = _parameter(0.0, c, dtype, "bias") if self.affine and with_bias else None
        tracking = self.track_running_stats
        self.register_buffer("running_mean", Tensor(np.zeros(c, dtype)) if tracking else None)
        self.register_buffer("running_var", Tensor(np.ones(c, dtype)) if tracking else None)
        self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)) if tracking else None)

    def forward(self, x: Any) -> Tensor:
        who = "BatchNorm1d"
        given, x = isinstance(x, Tensor), tensor_input(who, x)
        if x.ndim not in (2, 3):
            raise ValueError(f"{who}: expected 2D or 3D input (N, C) or (N, C, L), got shape {x.shape}")
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"{who}: input shape {x.shape} has {x.shape[1]} channels (dim 1), "
                f"expected num_features={self.num_features}"
            )
        x = _same_dtype(who, x, given, (self.weight, self.bias, self.running_mean, self.running_var))
        shape = (1, self.num_features) + (1,) * (x.ndim - 2)  # per channel, broadcast over N and L
        if self.training or self.running_mean is None or self.running_var is None:
            out = self._batch_normalize(x)
        else:  # eval: the running statistics, constants
            mean, var = self.running_mean._data.reshape(shape), self.running_var._data.reshape(shape)
            out = (x - mean) * (var + self.eps) ** -0.5
        return _affine(out, self.weight, self.bias, shape)

    def _batch_normalize(self, x: Tensor) -> Tensor:
        """x normalised with its own per-channel statistics; in training mode they also move the
        running averages."""
        axes = (0,) if x.ndim == 2 else (0, 2)
        count = x._data.size // self.num_features
        if count <= 1 and self.training:  # the variance of one value is 0: nothing to learn from
            raise ValueError(
                "BatchNorm1d: expected more than 1 value per channel when training, "
                f"got input shape {x.shape}"
            )
        mean = x.mean(dim=axes, keepdim=True)
        centred = x - mean
        var = (centred * centred).mean(dim=axes, keepdim=True)  # biased: what normalises
        if self.training and self.track_running_stats:
            self._track(mean._data.reshape(-1), var._data.reshape(-1) * (count / (count - 1)))
        return centred * (var + self.eps) ** -0.5

    def _track(self, mean: np.ndarray, unbiased_var: np.ndarray) -> None:
        """Move the running statistics towards the batch's, in place (as PyTorch's buffers)."""
        factor = 0.0 if self.momentum is None else self.momentum
        if self.num_batches_tracked is not None:
            self.num_batches_tracked._data += 1
            if self.momentum is None:  # the cumulative average of all batches so far
                factor = 1.0 / int(self.num_batches_tracked._data)
        for buffer, batch in ((self.running_mean, mean), (self.running_var, unbiased_var)):
            if buffer is not None:
                data = buffer._data
                data *= 1 - factor
                data += factor * batch

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )

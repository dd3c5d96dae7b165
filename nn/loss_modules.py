"""The losses as modules, as PyTorch's (``loss_fn = nn.CrossEntropyLoss(); loss_fn(pred, y)``):
each keeps its settings (``reduction``, ``weight``, ...) and calls the function of the same
name in `nn.functional`. PyTorch's deprecated ``size_average=`` and ``reduce=`` are read as it
reads them; class and element weights are buffers (in the state dict when given), as PyTorch's.

>>> import nn
>>> from autograd import Tensor
>>> loss_fn = nn.CrossEntropyLoss()
>>> loss_fn
CrossEntropyLoss()
>>> round(loss_fn(Tensor([[0.0, 0.0]]), [1]).item(), 4)     # log 2
0.6931
>>> nn.MSELoss(reduction="sum")(Tensor([1.0, 2.0]), [0.0, 0.0]).item()
5.0
"""

from __future__ import annotations

from typing import Any

from autograd.tensors import Tensor
from nn.cross_entropy import cross_entropy, nll_loss
from nn.loss_inputs import _check_reduction, legacy_reduction
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    huber_loss,
    l1_loss,
    mse_loss,
    smooth_l1_loss,
)
from nn.module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
]


class _Loss(Module):
    """A loss module: ``reduction`` ("mean", "sum" or "none"), checked when made."""

    reduction: str

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> None:
        who = self._get_name()
        self.reduction = legacy_reduction(who, size_average, reduce, reduction)
        _check_reduction(who, self.reduction)


class _WeightedLoss(_Loss):
    """A loss module with a ``weight`` buffer (None when not given)."""

    weight: Tensor | None

    def __init__(
        self, weight: Any = None, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    """Mean absolute error (`nn.functional.l1_loss`)."""

    def forward(self, input: Any, target: Any) -> Any:
        return l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error (`nn.functional.mse_loss`)."""

    def forward(self, input: Any, target: Any) -> Any:
        return mse_loss(input, target, reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities (`nn.functional.binary_cross_entropy`)."""

    def forward(self, input: Any, target: Any) -> Any:
        return binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits (`nn.functional.binary_cross_entropy_with_logits`), with
    element ``weight`` and class ``pos_weight`` buffers."""

    weight: Tensor | None
    pos_weight: Tensor | None

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        pos_weight: Any = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Any, target: Any) -> Any:
        return binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities (`nn.functional.nll_loss`)."""

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Any, target: Any) -> Any:
        return nll_loss(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy of logits against class indices or probabilities
    (`nn.functional.cross_entropy`)."""

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Any, target: Any) -> Any:
        return cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class SmoothL1Loss(_Loss):
    """The Huber-like loss with threshold ``beta`` (`nn.functional.smooth_l1_loss`)."""

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean", beta: float = 1.0
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Any, target: Any) -> Any:
        return smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """The Huber loss with threshold ``delta`` (`nn.functional.huber_loss`)."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Any, target: Any) -> Any:
        return huber_loss(input, target, reduction=self.reduction, delta=self.delta)

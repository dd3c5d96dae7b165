"""A small automatic-differentiation engine: scalar `Value` and numpy-backed `Tensor` nodes.

``import autograd`` is this project (distributed as ``scratchgrad``), not the
older HIPS ``autograd`` package that shares the import name.
"""

from autograd import array_ops, ops
from autograd.anomaly import AnomalyError
from autograd.engine import grad
from autograd.gradcheck import gradcheck
from autograd.modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.primitive import Primitive, functions, primitive, where
from autograd.tensor import Tensor
from autograd.value import Value

__all__ = [
    "AnomalyError",
    "Primitive",
    "Tensor",
    "Value",
    "array_ops",
    "detect_anomaly",
    "enable_grad",
    "functions",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "ops",
    "primitive",
    "where",
]

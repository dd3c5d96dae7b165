"""A small automatic-differentiation engine: scalar `Value` and numpy-backed `Tensor` nodes.

``import autograd`` is this project (distributed as ``scratchgrad``), not the
older HIPS ``autograd`` package that shares the import name.
"""

from autograd import array_ops, ops
from autograd.anomaly import AnomalyError
from autograd.engine import grad
from autograd.factories import (
    arange,
    bool_,
    cat,
    eye,
    float16,
    float32,
    float64,
    full,
    int32,
    int64,
    long,
    manual_seed,
    maximum,
    minimum,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    stack,
    where,
    zeros,
    zeros_like,
)
from autograd.gradcheck import gradcheck
from autograd.modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.primitive import Primitive, functions, primitive
from autograd.tensor import Tensor
from autograd.value import Value

__all__ = [
    "AnomalyError",
    "Primitive",
    "Tensor",
    "Value",
    "arange",
    "array_ops",
    "bool_",
    "cat",
    "detect_anomaly",
    "enable_grad",
    "eye",
    "float16",
    "float32",
    "float64",
    "full",
    "functions",
    "grad",
    "gradcheck",
    "int32",
    "int64",
    "is_grad_enabled",
    "long",
    "manual_seed",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "ops",
    "primitive",
    "rand",
    "randint",
    "randn",
    "stack",
    "where",
    "zeros",
    "zeros_like",
]

"""A small automatic-differentiation engine: scalar `Value` and numpy-backed `Tensor` nodes.

``import autograd`` is this project (distributed as ``scratchgrad``), not the
older HIPS ``autograd`` package that shares the import name.

>>> from autograd import Value
>>> x = Value(2.0)
>>> L = 3 * x**2 + 2
>>> L.backward()
>>> x.grad
12.0
"""

from autograd import array_ops as array_ops  # the primitives, defined before anything uses them
from autograd import ops as ops
from autograd.anomaly import AnomalyError
from autograd.engine import grad
from autograd.factories import (
    Generator,
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
    multinomial,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    stack,
    tensor,
    where,
    zeros,
    zeros_like,
)
from autograd.gradcheck import gradcheck
from autograd.modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.primitive import Primitive, functions, primitive
from autograd.tensors import Tensor
from autograd.value import Value

__all__ = [
    "AnomalyError",
    "Generator",
    "Primitive",
    "Tensor",
    "Value",
    "arange",
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
    "multinomial",
    "no_grad",
    "ones",
    "ones_like",
    "primitive",
    "rand",
    "randint",
    "randn",
    "randperm",
    "stack",
    "tensor",
    "where",
    "zeros",
    "zeros_like",
]


def __dir__() -> list[str]:
    """The API, not the submodules: ``dir(autograd)`` is what a user calls."""
    return sorted(__all__)

"""``torch.func``: the function transforms, `autograd.func`'s, under PyTorch's names.

>>> import scratchgrad as torch
>>> torch.func.jacrev(lambda x: x**2)(torch.tensor([1.0, 2.0])).tolist()
[[2.0, 0.0], [0.0, 4.0]]
"""

from autograd.func import grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp

__all__ = ["grad", "grad_and_value", "hessian", "jacfwd", "jacrev", "jvp", "vjp"]

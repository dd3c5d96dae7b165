"""Making tensors as PyTorch does: Python floats and the floating factories give the default dtype
(float32, as PyTorch's; see `set_default_dtype`), Python ints int64, and the random factories draw
PyTorch's own numbers for the same seed (`manual_seed`, ``Generator().manual_seed(s)``).

Under the names are autograd's factories (float64 by default there): this module only chooses
the dtype PyTorch would, checks ``device=``, and adds what autograd lacks (``linspace``,
``empty``, ``from_numpy``, ``Tensor(...)`` as PyTorch's legacy constructor).

>>> import scratchgrad as torch
>>> torch.tensor([0.5]).dtype, torch.tensor([[1, 2]]).dtype, torch.zeros(2, 3).dtype
(dtype('float32'), dtype('int64'), dtype('float32'))
>>> g = torch.Generator().manual_seed(2147483647)
>>> torch.randint(0, 27, (5,), generator=g).tolist()
[0, 26, 16, 12, 5]
>>> torch.linspace(0, 1, 5).tolist()
[0.0, 0.25, 0.5, 0.75, 1.0]
"""

from __future__ import annotations

import math
import numbers
import operator
import warnings
from typing import Any

import numpy as np

import autograd
from autograd import random
from autograd.devices import check_cpu
from autograd.random import CAPABILITY, FUSED, fma  # how torch's compiled kernels round
from scratchgrad import dtypes
from scratchgrad.inference import check_fits, exact_array

__all__ = [
    "Generator",
    "Size",
    "Tensor",
    "arange",
    "as_tensor",
    "bernoulli",
    "empty",
    "empty_like",
    "eye",
    "from_numpy",
    "full",
    "full_like",
    "get_rng_state",
    "initial_seed",
    "is_tensor",
    "linspace",
    "manual_seed",
    "multinomial",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "seed",
    "set_rng_state",
    "tensor",
    "zeros",
    "zeros_like",
]

Generator = autograd.Generator
Size = tuple  # a Tensor's shape is a plain tuple: t.shape[0], B, T, C = t.shape, view(t.shape)


class _TensorType(type):
    """The metaclass of `Tensor`: every autograd Tensor is a ``scratchgrad.Tensor`` (isinstance),
    and calling the class is PyTorch's legacy constructor."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, autograd.Tensor)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, autograd.Tensor)

    def __call__(cls, *data: Any, requires_grad: bool = False) -> autograd.Tensor:
        if cls is not Tensor:
            raise TypeError("scratchgrad.Tensor cannot be subclassed: its tensors are autograd.Tensor")
        if data and all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in data):
            return zeros(*data, requires_grad=requires_grad)  # Tensor(2, 3): a (2, 3) float tensor
        if len(data) > 1:
            raise TypeError(f"Tensor: expected sizes (ints) or one sequence of numbers, got {data!r}")
        found = tensor(data[0] if data else [], requires_grad=False)
        return found.to(dtypes.get_default_dtype()).requires_grad_(requires_grad)


class Tensor(autograd.Tensor, metaclass=_TensorType):
    """PyTorch's ``torch.Tensor``: the class of every tensor (``isinstance(t, torch.Tensor)``; its
    tensors are `autograd.Tensor`), and the legacy constructor: ``Tensor([1, 2])`` gives the
    default dtype (float32), ``Tensor(2, 3)`` a (2, 3) tensor of zeros. Prefer `tensor`.

    >>> import scratchgrad as torch
    >>> isinstance(torch.ones(2), torch.Tensor), torch.Tensor([1, 2]).dtype, torch.Tensor(2, 3).shape
    (True, dtype('float32'), (2, 3))
    """


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a tensor."""
    return isinstance(obj, autograd.Tensor)


def tensor(
    data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> autograd.Tensor:
    """A new tensor holding a copy of ``data``: Python floats give the default dtype (float32),
    ints int64, bools bool, numpy scalars, arrays and tensors keep theirs, mixed ones promote as
    PyTorch's (see `scratchgrad.inference`); ``dtype=`` chooses. Integers are exact, and a value
    the dtype cannot hold is a ValueError.

    >>> import scratchgrad as torch
    >>> torch.tensor([True, 2]).dtype, torch.tensor(range(3)).dtype, torch.tensor([2**53 + 1]).item()
    (dtype('int64'), dtype('int64'), 9007199254740993)
    """
    check_cpu("tensor", device)
    kind, default = dtypes.resolve("tensor", dtype), dtypes.get_default_dtype()
    if not isinstance(data, (np.ndarray, autograd.Tensor)):
        exact = exact_array("tensor", data, kind, default)
        data = data if exact is None else exact  # None: autograd.tensor names what is wrong
    return autograd.tensor(data, dtype=kind, requires_grad=requires_grad, default=default)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> autograd.Tensor:
    """``data`` itself when it is a tensor of that dtype, an ndarray's memory shared (as
    `from_numpy`), else a new tensor."""
    check_cpu("as_tensor", device)
    kind = dtypes.resolve("as_tensor", dtype)
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf":
        data = from_numpy(data)
    if isinstance(data, autograd.Tensor):
        return data if kind is None else data.to(kind)
    return tensor(data, dtype=kind)


def from_numpy(ndarray: np.ndarray) -> autograd.Tensor:
    """A tensor sharing ``ndarray``'s memory and dtype: a change to one shows in the other."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy: expected an np.ndarray, got {type(ndarray).__name__}")
    return autograd.Tensor(ndarray)


def _made(op: str, device: Any, make: Any, *args: Any, **kwargs: Any) -> autograd.Tensor:
    check_cpu(op, device)
    return make(*args, **kwargs)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """Zeros of shape ``size`` (``zeros(2, 3)`` or ``zeros((2, 3))``), float32 by default."""
    kind = dtypes.floating("zeros", dtype)
    return _made("zeros", device, autograd.zeros, *size, dtype=kind, requires_grad=requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """Ones of shape ``size``, float32 by default."""
    kind = dtypes.floating("ones", dtype)
    return _made("ones", device, autograd.ones, *size, dtype=kind, requires_grad=requires_grad)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """A tensor of shape ``size`` to be filled (PyTorch leaves it uninitialised; here it holds 0s)."""
    kind = dtypes.floating("empty", dtype)
    return _made("empty", device, autograd.zeros, *size, dtype=kind, requires_grad=requires_grad)


def full(
    size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> autograd.Tensor:
    """A tensor of shape ``size`` holding ``fill_value``: int64 for an int, bool for a bool, else
    the default float dtype, as PyTorch infers it."""
    kind = dtypes.resolve("full", dtype)
    if kind is None and isinstance(fill_value, numbers.Real) and not isinstance(fill_value, numbers.Integral):
        kind = dtypes.get_default_dtype()
    _check_fill("full", fill_value, kind)
    return _made("full", device, autograd.full, size, fill_value, dtype=kind, requires_grad=requires_grad)


def _check_fill(op: str, fill_value: Any, kind: np.dtype | None) -> None:
    """A real fill value must fit the tensor's dtype (int64 for an int when none is given)."""
    if isinstance(fill_value, (numbers.Real, np.bool_)):
        check_fits(op, fill_value, np.dtype(np.int64) if kind is None else kind)


def eye(
    n: int, m: int | None = None, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> autograd.Tensor:
    """The n x m identity matrix (n x n by default), float32 by default."""
    kind = dtypes.floating("eye", dtype)
    return _made("eye", device, autograd.eye, n, m, dtype=kind, requires_grad=requires_grad)


def _like(op: str, input: Any, dtype: Any) -> tuple[tuple[int, ...], np.dtype]:
    if not isinstance(input, autograd.Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    kind = dtypes.resolve(op, dtype)
    return input.shape, input.dtype if kind is None else kind


def zeros_like(input: Any, *, dtype: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """Zeros of ``input``'s shape and dtype."""
    shape, kind = _like("zeros_like", input, dtype)
    return autograd.zeros(shape, dtype=kind, requires_grad=requires_grad)


def ones_like(input: Any, *, dtype: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """Ones of ``input``'s shape and dtype."""
    shape, kind = _like("ones_like", input, dtype)
    return autograd.ones(shape, dtype=kind, requires_grad=requires_grad)


def empty_like(input: Any, *, dtype: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """A tensor of ``input``'s shape and dtype to be filled (0s here)."""
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad)


def full_like(
    input: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False
) -> autograd.Tensor:
    """``fill_value`` in ``input``'s shape and dtype."""
    shape, kind = _like("full_like", input, dtype)
    _check_fill("full_like", fill_value, kind)
    return autograd.full(shape, fill_value, dtype=kind, requires_grad=requires_grad)


def rand_like(input: Any, *, dtype: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """Uniform numbers in [0, 1) of ``input``'s shape and dtype, from the default generator."""
    shape, kind = _like("rand_like", input, dtype)
    return rand(shape, dtype=kind, requires_grad=requires_grad)


def randn_like(input: Any, *, dtype: Any = None, requires_grad: bool = False) -> autograd.Tensor:
    """Standard normal numbers of ``input``'s shape and dtype, from the default generator."""
    shape, kind = _like("randn_like", input, dtype)
    return randn(shape, dtype=kind, requires_grad=requires_grad)


def _number(op: str, name: str, x: Any) -> Any:
    if isinstance(x, autograd.Tensor):
        x = x.item()
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{op}: {name} must be a number, got {type(x).__name__}")
    if not math.isfinite(x):
        raise ValueError(f"{op}: {name} must be finite, got {x!r}")
    return x


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> autograd.Tensor:
    """``start, start + step, ...`` up to ``end`` (excluded); ``arange(n)`` is 0 .. n-1. Ints give
    int64, any float the default dtype (float32), each element computed as PyTorch's CPU kernel
    computes it (see `_range`). An integer ``dtype`` cuts start, end and step toward zero first,
    as PyTorch does (so ``arange(0, 3, 0.5, dtype=int64)`` has step 0, an error); a step whose
    sign leads away from ``end`` is an error, as are values the dtype cannot hold.

    >>> import scratchgrad as torch
    >>> torch.arange(3).tolist(), torch.arange(0, 1, 0.25).tolist()
    ([0, 1, 2], [0.0, 0.25, 0.5, 0.75])
    """
    check_cpu("arange", device)
    kind = dtypes.resolve("arange", dtype)
    if end is None:
        start, end = 0, start
    start, end, step = (_number("arange", n, x) for n, x in (("start", start), ("end", end), ("step", step)))
    if kind is not None and kind.kind in "biu":
        if kind.kind == "b":
            raise TypeError("arange: dtype must be a number type, got bool")
        given = step
        start, end, step = (math.trunc(v) for v in (start, end, step))  # PyTorch casts them first
        if step == 0 and given != 0:
            raise ValueError(f"arange: step {given!r} becomes 0 as {kind}, and step must not be 0")
    if step == 0:
        raise ValueError("arange: step must not be 0")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise ValueError(
            f"arange: upper bound and lower bound inconsistent with step sign: from {start!r} to "
            f"{end!r} by {step!r}"
        )
    integral = all(isinstance(v, numbers.Integral) for v in (start, end, step))
    if integral:
        start, end, step = int(start), int(end), int(step)
        count = -(-(end - start) // step)
    else:  # numpy's length, in float64
        count = max(0, math.ceil((float(end) - float(start)) / float(step)))
    itemsize = (kind or (np.dtype(np.int64) if integral else dtypes.get_default_dtype())).itemsize
    if count * itemsize >= 2**63:
        raise ValueError(f"arange: {count} elements are more than an array can hold")
    if integral and count and (kind is None or kind.kind in "iu"):
        check_fits("arange", start, kind or np.dtype(np.int64))
        check_fits("arange", start + (count - 1) * step, kind or np.dtype(np.int64))
    if integral and (kind is None or kind.kind != "f"):
        return autograd.arange(start, end, step, dtype=kind, requires_grad=requires_grad)
    kind = dtypes.get_default_dtype() if kind is None else kind
    return autograd.Tensor(_range(float(start), float(step), count, kind), requires_grad=requires_grad)


def _range(start: float, step: float, count: int, kind: np.dtype) -> np.ndarray:
    """PyTorch's CPU arange kernel, bit for bit (on one thread: up to 32768 elements): in pairs
    of vectors of ``width`` elements, each vector from its first element, ``base = start + i *
    step`` rounded to the dtype, then ``base + k * step``; the elements after the last pair one by
    one, ``start + i * step``; all in float64, each a fused multiply-add, then rounded."""
    width = (64 if CAPABILITY == "avx512" else 32) // kind.itemsize
    mul_add = fma if FUSED else (lambda a, b, c: a * b + c)
    i = np.arange(count)
    first = i - i % width  # each vector's first index
    base = mul_add(first.astype(np.float64), step, start).astype(kind).astype(np.float64)
    vectors = mul_add((i - first).astype(np.float64), step, base)
    one_by_one = mul_add(i.astype(np.float64), step, start)
    return np.where(i < count - count % (2 * width), vectors, one_by_one).astype(kind)


def linspace(
    start: Any, end: Any, steps: int, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> autograd.Tensor:
    """``steps`` evenly spaced numbers from ``start`` to ``end``, both included, float32 by
    default. Bit for bit PyTorch's: the first half counted up from ``start`` and the second down
    from ``end``, each as one fused multiply-add in the tensor's dtype.

    >>> import scratchgrad as torch
    >>> torch.linspace(-3, 0, 4).tolist()
    [-3.0, -2.0, -1.0, 0.0]
    """
    check_cpu("linspace", device)
    kind = dtypes.floating("linspace", dtype)
    start, end = _number("linspace", "start", start), _number("linspace", "end", end)
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"linspace: steps must be an int, got {type(steps).__name__}")
    if steps < 0:
        raise ValueError(f"linspace: steps must be >= 0, got {steps}")
    if steps * kind.itemsize >= 2**63:
        raise ValueError(f"linspace: {steps} steps are more than an array can hold")
    index = np.arange(steps)
    upper = index >= steps // 2  # counted down from end
    if steps == 1:
        data = np.full(1, start).astype(kind)
    elif kind.kind != "f":  # integers: the step in float64, each value truncated
        s, e = (float(kind.type(v)) for v in (start, end))
        step64 = (e - s) / (steps - 1)
        data = np.where(upper, e - step64 * (steps - index - 1), s + step64 * index).astype(kind)
    else:
        s, e = kind.type(start), kind.type(end)
        step = (e - s) / kind.type(steps - 1)
        k = np.where(upper, steps - index - 1, index).astype(kind)
        if FUSED:
            data = np.where(upper, fma(k, -step, e), fma(k, step, s))
        else:
            data = np.where(upper, e - step * k, s + step * k)
    return autograd.Tensor(np.asarray(data, kind), requires_grad=requires_grad)


# --- random numbers: PyTorch's streams --------------------------------------------------------------


def manual_seed(seed: int) -> random.Generator:
    """Seed the default generator, as ``torch.manual_seed``, and return it."""
    if isinstance(seed, autograd.Tensor) and seed.numel() == 1 and seed.dtype.kind in "iu":
        seed = seed.item()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed: seed must be an int, got {type(seed).__name__}")
    return autograd.manual_seed(seed)


def seed() -> int:
    """Seed the default generator from the OS's entropy and return the seed."""
    return random.default_generator.seed()


def initial_seed() -> int:
    """The default generator's seed."""
    return random.default_generator.initial_seed()


def get_rng_state() -> autograd.Tensor:
    """The default generator's state, laid out as PyTorch's (5056 uint8), so the two interchange."""
    return autograd.Tensor(random.default_generator.get_state())


def set_rng_state(new_state: Any) -> None:
    """Restore the default generator's state from `get_rng_state` (or from PyTorch's)."""
    state = new_state.numpy() if isinstance(new_state, autograd.Tensor) else new_state
    if not isinstance(state, np.ndarray) or state.dtype != np.uint8:
        kind = f"{state.dtype} array" if isinstance(state, np.ndarray) else type(new_state).__name__
        raise TypeError(
            f"set_rng_state: new_state must be a uint8 tensor (as get_rng_state gives), got {kind}"
        )
    try:
        random.default_generator.set_state(state)
    except ValueError as err:
        raise ValueError(f"set_rng_state: {err}") from None


def randn(
    *size: Any, generator: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> autograd.Tensor:
    """Standard normal numbers of shape ``size``, float32 by default, PyTorch's for the same seed."""
    kind = dtypes.floating("randn", dtype)
    return _made(
        "randn", device, autograd.randn, *size, generator=generator, dtype=kind, requires_grad=requires_grad
    )


def rand(
    *size: Any, generator: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> autograd.Tensor:
    """Uniform numbers in [0, 1) of shape ``size``, float32 by default, PyTorch's for the same seed."""
    kind = dtypes.floating("rand", dtype)
    return _made(
        "rand", device, autograd.rand, *size, generator=generator, dtype=kind, requires_grad=requires_grad
    )


def randint(
    *args: Any,
    low: Any = None,
    high: Any = None,
    size: Any = None,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> autograd.Tensor:
    """Integers in [low, high) of shape ``size``, int64 by default, PyTorch's for the same seed:
    ``randint(low, high, size)``, ``randint(high, size)``, or by keyword
    (``randint(high=n, size=(32,))``)."""
    check_cpu("randint", device)
    given = list(args)
    if len(given) > 3:
        raise TypeError(f"randint: expected at most 3 positional arguments, got {len(given)}")
    if size is None and given:
        size = given.pop()
    if high is None and given:
        high = given.pop()
    if low is None and given:
        low = given.pop()
    if given or high is None or size is None:
        raise TypeError("randint: expected randint(low=0, high, size), e.g. randint(0, 10, (3,))")
    kind = dtypes.resolve("randint", dtype)
    low = 0 if low is None else low
    _check_bounds(low, high, np.dtype(np.int64) if kind is None else kind)
    out = autograd.randint(low, high, size, generator=generator, dtype=kind)
    return out.requires_grad_(True) if requires_grad else out


def _check_bounds(low: Any, high: Any, kind: np.dtype) -> None:
    """[low, high) must hold values of ``kind``, as PyTorch checks them: low and high - 1 in the
    integers' range, or within a float type's range (past its exact integers, 2**24 for float32,
    PyTorch warns, and so does this)."""
    try:
        low, high = operator.index(low), operator.index(high)
    except TypeError:
        return  # autograd.randint names the argument that is not an int
    if low >= high:
        return  # autograd.randint says so
    if kind.kind == "f":
        largest = int(np.finfo(kind).max)
        lowest, highest, what = -largest, largest, str(kind)
    elif kind.kind == "b":
        lowest, highest, what = 0, 1, "bool"
    else:
        info = np.iinfo(kind)
        lowest, highest, what = int(info.min), int(info.max), str(kind)
    for name, value in (("low", low), ("high - 1", high - 1)):
        if not lowest <= value <= highest:
            raise ValueError(f"randint: {name} ({value}) is out of range for {what} [{lowest}, {highest}]")
        exact = 2 ** (np.finfo(kind).nmant + 1) if kind.kind == "f" else None
        if exact is not None and not -exact <= value <= exact:
            warnings.warn(
                f"randint: {name} ({value}) is out of bounds [{-exact}, {exact}]: beyond them, "
                f"{kind} cannot hold every integer, so the draws are not uniform",
                stacklevel=3,
            )


def randperm(n: int, *, generator: Any = None, dtype: Any = None, device: Any = None) -> autograd.Tensor:
    """A random permutation of 0 .. n-1 (int64), PyTorch's for the same seed."""
    check_cpu("randperm", device)
    if isinstance(n, autograd.Tensor) and n.numel() == 1 and n.dtype.kind in "iu":
        n = n.item()
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"randperm: n must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"randperm: n must be >= 0, got {n}")
    if n >= 2**60:
        raise ValueError(f"randperm: {n} elements are more than an array can hold")
    return autograd.randperm(int(n), generator=generator, dtype=dtypes.resolve("randperm", dtype))


def bernoulli(input: Any, p: Any = None, *, generator: Any = None) -> autograd.Tensor:
    """1s and 0s in ``input``'s shape and dtype, each 1 with probability the element of ``input``
    (or ``p`` for all, when given), PyTorch's for the same seed.

    >>> import scratchgrad as torch
    >>> torch.bernoulli(torch.tensor([0.0, 1.0]), generator=torch.Generator().manual_seed(0)).tolist()
    [0.0, 1.0]
    """
    if not isinstance(input, autograd.Tensor) or input.dtype.kind != "f":
        kind = input.dtype if isinstance(input, autograd.Tensor) else type(input).__name__
        raise TypeError(f"bernoulli: expected a floating-point Tensor of probabilities, got {kind}")
    if isinstance(p, autograd.Tensor) and p.ndim == 0:
        p = p.item()  # one probability for all, as PyTorch reads a 0-d tensor
    out = autograd.Tensor(np.empty(input.shape, input.dtype))  # (the draws ignore the graph)
    return out.bernoulli_(input.detach() if p is None else p, generator=generator)


def multinomial(
    input: Any, num_samples: int, replacement: bool = False, *, generator: Any = None
) -> autograd.Tensor:
    """``num_samples`` indices drawn by the weights ``input`` (1-D, or 2-D row by row; they need
    not sum to 1), with or without replacement, PyTorch's for the same seed."""
    if not isinstance(input, autograd.Tensor):
        raise TypeError(f"multinomial: expected a Tensor of weights, got {type(input).__name__}")
    if input.dtype not in (np.float32, np.float64) or input.ndim not in (1, 2):
        raise TypeError(
            f"multinomial: expected float32 or float64 weights of 1 or 2 dimensions, got {input.dtype} "
            f"of shape {input.shape}"
        )
    if isinstance(num_samples, (bool, np.bool_)) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"multinomial: num_samples must be an int, got {type(num_samples).__name__}")
    if not isinstance(replacement, (bool, np.bool_)):
        raise TypeError(f"multinomial: replacement must be True or False, got {type(replacement).__name__}")
    categories = input.shape[-1]
    if num_samples <= 0:
        raise ValueError(f"multinomial: num_samples must be > 0, got {num_samples}")
    if not replacement and num_samples > categories:
        raise ValueError(
            f"multinomial: cannot draw {num_samples} samples from {categories} categories without replacement"
        )
    if num_samples * max(1, input.numel() // max(categories, 1)) >= 2**60:
        raise ValueError(f"multinomial: {num_samples} samples are more than an array can hold")
    try:
        return autograd.multinomial(input, int(num_samples), bool(replacement), generator=generator)
    except ValueError as err:  # the weights themselves (negative, NaN, all zero): named here
        reason = str(err).removeprefix("multinomial ")
        raise ValueError(f"multinomial: {reason}") from None

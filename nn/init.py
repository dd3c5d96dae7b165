"""Random initialisation as PyTorch does it (``torch.nn.init``): the same formulas, drawn from the
same generator in the same order, so the same seed gives PyTorch's numbers.

Every random draw (``autograd.randn``, nn's initial weights, `Dropout`'s masks and the functions
here) comes from autograd's generator, PyTorch's CPU generator bit for bit (`autograd.random`):
the default one, which ``nn.manual_seed(n)`` (the same function as ``autograd.manual_seed``)
seeds, or the ``generator=`` given. Modules that draw weights also take ``rng=``: None (the
default generator), an ``int`` seed (a generator of their own) or an ``autograd.Generator``.

Each initialiser fills the Tensor's array in place (under the hood, as PyTorch's do under
``no_grad``, so parameters that require grad can be filled) and returns the Tensor.

>>> import autograd, nn
>>> _ = nn.manual_seed(0); a = nn.Neuron(3).w[0].data
>>> _ = nn.manual_seed(0); b = nn.Neuron(3).w[0].data
>>> a == b
True
>>> w = autograd.zeros(128, 256)
>>> _ = nn.init.kaiming_uniform_(w, nonlinearity="relu")   # U(-√(6/256), √(6/256))
>>> bool(abs(w).max() <= (6 / 256) ** 0.5)
True
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from autograd import random
from autograd.factories import manual_seed as manual_seed
from autograd.tensors import Tensor

__all__ = [
    "calculate_gain",
    "constant_",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

RNG = None | int | random.Generator


def get_rng(rng: RNG = None) -> random.Generator:
    """The generator to draw from: the default one for None, a new one seeded with an ``int``,
    or the ``autograd.Generator`` given."""
    if rng is None:
        return random.default_generator  # manual_seed reseeds this one object
    if isinstance(rng, random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        try:
            return random.Generator().manual_seed(int(rng))
        except ValueError as err:
            raise ValueError(f"rng: {err}") from None
    raise TypeError(f"rng must be None, an int seed or an autograd.Generator, got {type(rng).__name__}")


def _generator(who: str, generator: Any) -> random.Generator:
    if generator is None:
        return random.default_generator
    if not isinstance(generator, random.Generator):
        kind = type(generator).__name__
        raise TypeError(f"{who}: generator must be an autograd.Generator or None, got {kind}")
    return generator


# --- checks ---------------------------------------------------------------------------------

_CONVS = ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
_LINEAR_GAINS = ("linear", *_CONVS)
_GAINS = {"sigmoid": 1.0, "tanh": 5.0 / 3, "relu": math.sqrt(2.0), "selu": 3.0 / 4}


def _number(who: str, name: str, x: Any) -> float:
    """A real number (not a bool) as a float, or TypeError naming it."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{who}: {name} must be a number, got {type(x).__name__}")
    try:
        return float(x)
    except OverflowError:
        raise ValueError(f"{who}: {name} is too large for a float") from None


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor PyTorch scales a standard deviation by for ``nonlinearity``: 1 for linear,
    conv and sigmoid, 5/3 for tanh, √2 for relu, √(2/(1 + slope²)) for leaky_relu (slope
    ``param``, 0.01 by default), 3/4 for selu.

    >>> calculate_gain("relu") == 2 ** 0.5, calculate_gain("leaky_relu", 0.0) == 2 ** 0.5
    (True, True)
    """
    who = "calculate_gain"
    if not isinstance(nonlinearity, str):
        raise TypeError(f"{who}: nonlinearity must be a str, got {type(nonlinearity).__name__}")
    if nonlinearity in _LINEAR_GAINS or nonlinearity in _GAINS:
        return 1.0 if nonlinearity in _LINEAR_GAINS else _GAINS[nonlinearity]
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else _number(who, "param (the negative slope)", param)
        return math.sqrt(2.0 / (1 + slope**2))
    valid = ", ".join(repr(n) for n in (*_LINEAR_GAINS, *_GAINS, "leaky_relu"))
    raise ValueError(f"{who}: unsupported nonlinearity {nonlinearity!r}; valid: {valid}")


def _target(who: str, tensor: Any, floats: bool = True) -> np.ndarray:
    """The array ``tensor`` holds, to fill in place: a writable float array (any real one for
    constants), or TypeError/ValueError naming ``who``."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{who}: expected a Tensor, got {type(tensor).__name__}")
    data = tensor._data
    if data.dtype.kind not in ("f" if floats else "biuf"):
        raise TypeError(f"{who}: the tensor must hold floats, got {data.dtype}")
    if not data.flags.writeable:
        raise ValueError(f"{who}: the tensor's array is read-only")
    return data


def _uniform(tensor: Tensor, data: np.ndarray, low: float, high: float, generator: Any, who: str) -> Tensor:
    """``tensor.uniform_(low, high, generator=generator)``: PyTorch's numbers for the seed."""
    gen = _generator(who, generator)
    if data.dtype in (np.float32, np.float64):
        random.uniform_(data, low, high, gen)
    else:  # float16: drawn as float32, then rounded
        data[...] = random.uniform_(np.empty(data.shape, np.float32), low, high, gen)
    return tensor


def _normal(tensor: Tensor, data: np.ndarray, mean: float, std: float, generator: Any, who: str) -> Tensor:
    """``tensor.normal_(mean, std, generator=generator)``: PyTorch's numbers for the seed."""
    gen = _generator(who, generator)
    if data.dtype in (np.float32, np.float64):
        random.normal_(data, mean, std, gen)
    else:
        data[...] = random.normal_(np.empty(data.shape, np.float32), mean, std, gen)
    return tensor


# --- the initialisers -------------------------------------------------------------------------


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with numbers from U(a, b).

    >>> from autograd import zeros
    >>> bool((uniform_(zeros(100), -1, 1) < 1).all())
    True
    """
    who = "uniform_"
    low, high = _number(who, "a", a), _number(who, "b", b)
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise ValueError(f"{who}: need finite a <= b, got a={a!r}, b={b!r}")
    return _uniform(tensor, _target(who, tensor), low, high, generator, who)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with numbers from N(mean, std²).

    >>> from autograd import zeros
    >>> normal_(zeros(2, 3), std=0.02).shape
    (2, 3)
    """
    who = "normal_"
    mu, sigma = _number(who, "mean", mean), _number(who, "std", std)
    if not (math.isfinite(mu) and math.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"{who}: need a finite mean and a finite std >= 0, got mean={mean!r}, std={std!r}")
    return _normal(tensor, _target(who, tensor), mu, sigma, generator, who)


def _fill(tensor: Tensor, data: np.ndarray, values: Any) -> Tensor:
    data[...] = values  # in place: views of the array and optimizers holding it stay in step
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``.

    >>> from autograd import zeros
    >>> constant_(zeros(2), 0.5).tolist()
    [0.5, 0.5]
    """
    value = _number("constant_", "val", val)
    data = _target("constant_", tensor, floats=False)
    if data.dtype.kind != "f" and not (math.isfinite(value) and value == round(value)):
        raise ValueError(f"constant_: {val!r} is not a whole number, as the tensor's {data.dtype} needs")
    return _fill(tensor, data, val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return _fill(tensor, _target("zeros_", tensor, floats=False), 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return _fill(tensor, _target("ones_", tensor, floats=False), 1)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity matrix (ones on the diagonal, zeros elsewhere).

    >>> from autograd import zeros
    >>> eye_(zeros(2, 3)).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    data = _target("eye_", tensor, floats=False)
    if data.ndim != 2:
        raise ValueError(f"eye_: only 2-D tensors are supported, got shape {data.shape}")
    return _fill(tensor, data, np.eye(*data.shape))


def _fans(who: str, shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) as PyTorch counts them: a weight (out, in, *kernel) has fan_in =
    in·∏kernel and fan_out = out·∏kernel."""
    if len(shape) < 2:
        raise ValueError(
            f"{who}: fan in and fan out need a tensor of 2 or more dimensions, got shape {shape}"
        )
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _fan(who: str, shape: tuple[int, ...], mode: Any) -> int:
    if not isinstance(mode, str):
        raise TypeError(f"{who}: mode must be 'fan_in' or 'fan_out', got {type(mode).__name__}")
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{who}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(who, shape)
    return fan_in if mode == "fan_in" else fan_out


def _gain(who: str, gain: Any) -> float:
    value = _number(who, "gain", gain)
    if not math.isfinite(value):
        raise ValueError(f"{who}: gain must be finite, got {gain!r}")
    return value


# The formulas below are written in PyTorch's order of operations: the bounds are then the same
# floats, and so are the numbers drawn with them.


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot & Bengio: U(−a, a) with a = gain·√(6/(fan_in + fan_out)).

    >>> from autograd import zeros
    >>> bool(abs(xavier_uniform_(zeros(3, 5))).max() <= (6 / 8) ** 0.5)
    True
    """
    who = "xavier_uniform_"
    data = _target(who, tensor)
    fan_in, fan_out = _fans(who, data.shape)
    std = _gain(who, gain) * math.sqrt(2.0 / float(fan_in + fan_out)) if data.size else 0.0
    a = math.sqrt(3.0) * std
    return _uniform(tensor, data, -a, a, generator, who)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot & Bengio: N(0, std²) with std = gain·√(2/(fan_in + fan_out))."""
    who = "xavier_normal_"
    data = _target(who, tensor)
    fan_in, fan_out = _fans(who, data.shape)
    std = _gain(who, gain) * math.sqrt(2.0 / float(fan_in + fan_out)) if data.size else 0.0
    return _normal(tensor, data, 0.0, std, generator, who)


def _kaiming_std(who: str, shape: tuple[int, ...], a: Any, mode: Any, nonlinearity: Any) -> float:
    fan = _fan(who, shape, mode)
    gain = calculate_gain(nonlinearity, a)
    return gain / math.sqrt(fan) if fan else math.inf


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """He et al.: U(−bound, bound) with bound = gain·√(3/fan), gain from `calculate_gain`
    (``a``: leaky_relu's negative slope), fan the ``mode``'s. PyTorch's Linear uses ``a=√5``.

    >>> from autograd import zeros
    >>> bool(abs(kaiming_uniform_(zeros(4, 3), a=5 ** 0.5)).max() <= 1 / 3 ** 0.5)
    True
    """
    who = "kaiming_uniform_"
    data = _target(who, tensor)
    std = _kaiming_std(who, data.shape, a, mode, nonlinearity)
    if data.size == 0:  # nothing to fill (PyTorch warns and returns)
        return tensor
    bound = math.sqrt(3.0) * std
    return _uniform(tensor, data, -bound, bound, generator, who)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """He et al.: N(0, std²) with std = gain/√fan (see `kaiming_uniform_`).

    >>> import autograd
    >>> w = kaiming_normal_(autograd.zeros(200, 30), mode="fan_in", nonlinearity="tanh")
    >>> round(float(w.std()), 1)          # (5/3)/√30 = 0.30
    0.3
    """
    who = "kaiming_normal_"
    data = _target(who, tensor)
    std = _kaiming_std(who, data.shape, a, mode, nonlinearity)
    if data.size == 0:
        return tensor
    return _normal(tensor, data, 0.0, std, generator, who)


def __dir__() -> list[str]:
    """The initialisers, not the helpers."""
    return sorted(__all__)

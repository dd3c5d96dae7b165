"""Random initialisation: one seed for the whole project, and PyTorch's initialisers.

Every random draw (``autograd.randn``, nn's initial weights, `Dropout`'s masks and the functions
here) comes from one generator, ``autograd.factories.generator()``, which ``nn.manual_seed(n)``
and ``autograd.manual_seed(n)`` both reset: they are one seed. Modules that draw random weights
also take ``rng=``: ``None`` (that generator), an ``int`` seed (a fresh generator of its own) or a
``numpy.random.Generator``.

The initialisers have PyTorch's names, arguments and formulas (``torch.nn.init``): each fills a
Tensor's array in place and returns the Tensor.

>>> import nn
>>> nn.manual_seed(0); a = nn.Neuron(3).w[0].data
>>> nn.manual_seed(0); b = nn.Neuron(3).w[0].data
>>> a == b
True
>>> w = nn.Linear(256, 128).weight
>>> _ = nn.init.kaiming_uniform_(w, nonlinearity="relu")   # U(-√(6/256), √(6/256))
>>> bool(abs(w.data).max() <= (6 / 256) ** 0.5)
True
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from autograd import factories
from autograd.tensors import Tensor

__all__ = [
    "RNG",
    "calculate_gain",
    "constant_",
    "get_rng",
    "kaiming_normal_",
    "kaiming_uniform_",
    "manual_seed",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

RNG = None | int | np.random.Generator

_SEED_LIMIT = 2**64  # PyTorch's manual_seed takes up to 2**64 - 1; numpy's refuses negatives


def _seed(who: str, seed: Any) -> int:
    """``seed`` as an int in [0, 2**64), or TypeError/ValueError naming ``who`` (not numpy's message)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{who}: seed must be an int, got {type(seed).__name__}")
    value = int(seed)
    if not 0 <= value < _SEED_LIMIT:
        shown = value if abs(value) < 2**128 else f"an int of {value.bit_length()} bits"
        raise ValueError(f"{who}: seed must be in [0, 2**64), got {shown}")
    return value


def manual_seed(seed: int) -> None:
    """Reset the project's one random generator (``autograd.manual_seed``): the same seed gives
    the same weights, masks and random tensors afterwards. ``seed`` is an int in [0, 2**64).

    >>> import autograd, nn
    >>> nn.manual_seed(3); a = autograd.randn(2)
    >>> autograd.manual_seed(3); bool((autograd.randn(2) == a).data.all())
    True
    """
    factories.manual_seed(_seed("manual_seed", seed))


def get_rng(rng: RNG = None) -> np.random.Generator:
    """The generator to draw from: the project's by default, a fresh one for an int seed."""
    if rng is None:
        return factories.generator()  # looked up each time: manual_seed replaces it
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(_seed("rng", rng))
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {type(rng).__name__}")


# --- PyTorch's initialisers ------------------------------------------------------------------

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
    data = tensor.data
    if data.dtype.kind not in ("f" if floats else "biuf"):
        raise TypeError(f"{who}: the tensor must hold floats, got {data.dtype}")
    if not data.flags.writeable:
        raise ValueError(f"{who}: the tensor's array is read-only")
    return data


def _fill(tensor: Tensor, data: np.ndarray, values: Any) -> Tensor:
    data[...] = values  # in place: views of the array and optimizers holding it stay in step
    return tensor


def _generator(who: str, generator: Any) -> np.random.Generator:
    if generator is None:
        return factories.generator()
    if not isinstance(generator, np.random.Generator):
        raise TypeError(f"{who}: generator must be a numpy Generator or None, got {type(generator).__name__}")
    return generator


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with numbers from U(a, b).

    >>> from autograd import zeros
    >>> bool((uniform_(zeros(100), -1, 1).data < 1).all())
    True
    """
    who = "uniform_"
    low, high = _number(who, "a", a), _number(who, "b", b)
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise ValueError(f"{who}: need finite a <= b, got a={a!r}, b={b!r}")
    data = _target(who, tensor)
    return _fill(tensor, data, _generator(who, generator).uniform(low, high, data.shape))


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
    data = _target(who, tensor)
    return _fill(tensor, data, _generator(who, generator).normal(mu, sigma, data.shape))


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


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot & Bengio: U(−a, a) with a = gain·√(6/(fan_in + fan_out)).

    >>> from autograd import zeros
    >>> bool(abs(xavier_uniform_(zeros(3, 5)).data).max() <= (6 / 8) ** 0.5)
    True
    """
    who = "xavier_uniform_"
    data = _target(who, tensor)
    fan_in, fan_out = _fans(who, data.shape)
    if data.size == 0:  # nothing to fill
        return tensor
    bound = math.sqrt(3.0) * _gain(who, gain) * math.sqrt(2.0 / (fan_in + fan_out))
    return _fill(tensor, data, _generator(who, generator).uniform(-bound, bound, data.shape))


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot & Bengio: N(0, std²) with std = gain·√(2/(fan_in + fan_out))."""
    who = "xavier_normal_"
    data = _target(who, tensor)
    fan_in, fan_out = _fans(who, data.shape)
    if data.size == 0:
        return tensor
    std = _gain(who, gain) * math.sqrt(2.0 / (fan_in + fan_out))
    return _fill(tensor, data, _generator(who, generator).normal(0.0, std, data.shape))


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
    >>> bool(abs(kaiming_uniform_(zeros(4, 3), a=5 ** 0.5).data).max() <= 1 / 3 ** 0.5)
    True
    """
    who = "kaiming_uniform_"
    data = _target(who, tensor)
    bound = math.sqrt(3.0) * _kaiming_std(who, data.shape, a, mode, nonlinearity)
    if data.size == 0:  # nothing to fill (PyTorch warns and returns)
        return tensor
    return _fill(tensor, data, _generator(who, generator).uniform(-bound, bound, data.shape))


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """He et al.: N(0, std²) with std = gain/√fan (see `kaiming_uniform_`)."""
    who = "kaiming_normal_"
    data = _target(who, tensor)
    std = _kaiming_std(who, data.shape, a, mode, nonlinearity)
    if data.size == 0:
        return tensor
    return _fill(tensor, data, _generator(who, generator).normal(0.0, std, data.shape))

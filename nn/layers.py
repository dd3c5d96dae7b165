"""micrograd's model, on scalar `Value` nodes: `Neuron`, `Layer` and `MLP`.

The attribute names are micrograd's (``model.layers[i].neurons[j].w`` and ``.b``), so its notebooks
run unchanged, and the parameters are named for pictures and state dicts:
``layers.0.neurons.3.w.1`` (weight labels ``w0``, ``w1``, ..., bias label ``b``).

>>> import nn
>>> _ = nn.manual_seed(1)
>>> model = nn.MLP(2, [4, 1])
>>> out = model([1.0, -2.0])          # one output: a Value
>>> out.backward()
>>> len(model.parameters()), type(out).__name__
(17, 'Value')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np

from autograd import random
from autograd.primitive import functions
from autograd.tensors import Tensor
from autograd.value import Value
from nn.init import RNG, get_rng
from nn.module import Module

__all__ = ["MLP", "Layer", "Neuron", "activations"]

Scalar = Value | float


def activations() -> dict[str, Callable[[Value], Value]]:
    """The activations a neuron may use: every unary function the primitives define
    (`autograd.functions`: relu, tanh, sigmoid, gelu, ...), and "linear" (none)."""
    return {**functions(), "linear": lambda v: v}


def _check_size(who: str, what: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{who}: {what} must be an int, got {type(n).__name__}")
    if n <= 0:
        raise ValueError(f"{who}: {what} must be positive, got {n}")
    return n


_MOST_VALUES = 2**31  # scalar parameters: each a Python object, so more would never finish building
_MOST_ELEMENTS = 2**60  # a Tensor's elements: more cannot be allocated (numpy's own limit is near)


def _check_count(who: str, sizes: Sequence[int], most: int = _MOST_ELEMENTS) -> None:
    """Sizes already checked one by one: their product, the parameters they make, must be buildable."""
    count = math.prod(sizes)
    if count >= most:
        shown = " x ".join(str(n) for n in sizes) + f" = {count}" if len(sizes) > 1 else str(count)
        raise ValueError(f"{who}: {shown} parameters are more than memory can hold")


def _check_activation(who: str, activation: str, nonlin: bool | None = None) -> str:
    """The activation's name, from ``activation=`` or micrograd's ``nonlin=`` (True: relu; also
    as micrograd's second positional argument, ``Neuron(3, False)``)."""
    if isinstance(activation, bool) and nonlin is None:
        activation, nonlin = "relu", activation
    if nonlin is not None:
        if not isinstance(nonlin, bool):
            raise TypeError(f"{who}: nonlin must be True or False, got {type(nonlin).__name__}")
        chosen = "relu" if nonlin else "linear"
        if activation not in ("relu", chosen):
            raise ValueError(
                f"{who}: nonlin={nonlin} contradicts activation={activation!r}; give one of them"
            )
        activation = chosen
    known = activations()
    if not isinstance(activation, str) or activation not in known:
        valid = ", ".join(repr(a) for a in known)
        raise ValueError(f"{who}: unknown activation {activation!r}; valid: {valid}")
    return activation


def _check_inputs(who: str, x: Any, nin: int) -> Sequence[Any]:
    """``x`` if it is an ordered sequence (list, tuple, 1-D array, ...) of ``nin`` numbers or
    Values; TypeError for unordered or one-shot containers (a dict would run on its keys, a set in
    no fixed order, a generator would be used up) and for items that are not real numbers."""
    if isinstance(x, Tensor) or (isinstance(x, (list, tuple)) and any(isinstance(xi, Tensor) for xi in x)):
        raise TypeError(
            f"{who}: Value models take numbers or Values, got a Tensor; "
            "for Tensors use nn.Linear / nn.Sequential"
        )
    if isinstance(x, np.ndarray) and x.ndim != 1:
        raise ValueError(f"{who}: expected a sequence of {nin} inputs, got an array of shape {x.shape}")
    if isinstance(x, (str, bytes)) or not isinstance(x, (Sequence, np.ndarray)):
        raise TypeError(f"{who}: expected a sequence of {nin} inputs, got {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"{who}: expected {nin} inputs, got {len(x)}")
    for i, xi in enumerate(x):
        if isinstance(xi, Value):
            continue
        # numbers.Real minus bools: numpy's floats and ints, and Fractions, but not True/False
        if isinstance(xi, (bool, np.bool_)) or not isinstance(xi, numbers.Real):
            raise TypeError(f"{who}: input {i} must be a number or a Value, got {type(xi).__name__}")
        if isinstance(xi, int):
            try:
                float(xi)
            except OverflowError:
                raise ValueError(f"{who}: input {i} is an int too large for a float") from None
    return cast(Sequence[Any], x)


class Neuron(Module):
    """act(w · x + b): ``nin`` weights drawn from U(-1, 1) (as micrograd; from autograd's
    generator, see `nn.init`), the bias starting at 0.

    >>> import nn
    >>> n = nn.Neuron(2, activation="tanh", rng=0)
    >>> [w.label for w in n.w], n.b.label
    (['w0', 'w1'], 'b')
    >>> n([1.0, 2.0, 3.0])
    Traceback (most recent call last):
    ...
    ValueError: Neuron: expected 2 inputs, got 3
    """

    def __init__(
        self, nin: int, activation: str = "relu", *, nonlin: bool | None = None, rng: RNG = None
    ) -> None:
        _check_size("Neuron", "nin", nin)
        _check_count("Neuron", [nin + 1], _MOST_VALUES)
        self.activation = _check_activation("Neuron", activation, nonlin)
        self._act = activations()[self.activation]
        draws = random.uniform_(np.empty(nin), -1.0, 1.0, get_rng(rng)).tolist()
        self.w = [Value(u, label=f"w{i}") for i, u in enumerate(draws)]
        self.b = Value(0.0, label="b")

    def forward(self, x: Sequence[Scalar]) -> Value:
        _check_inputs("Neuron", x, len(self.w))
        return self._weighted(x)

    def _weighted(self, x: Sequence[Scalar]) -> Value:
        # Unchecked: Layer and MLP check the inputs once for all their neurons.
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return self._act(act)

    def extra_repr(self) -> str:
        return f"{len(self.w)}, activation={self.activation!r}"


class Layer(Module):
    """``nout`` neurons, each seeing all ``nin`` inputs; one output gives a Value, several a list.

    >>> import nn
    >>> len(nn.Layer(3, 4, activation="sigmoid", rng=0)([1.0, 2.0, 3.0]))
    4
    """

    def __init__(
        self, nin: int, nout: int, activation: str = "relu", *, nonlin: bool | None = None, rng: RNG = None
    ) -> None:
        _check_size("Layer", "nin", nin)
        _check_size("Layer", "nout", nout)
        _check_count("Layer", [nin + 1, nout], _MOST_VALUES)
        activation = _check_activation("Layer", activation, nonlin)
        gen = get_rng(rng)
        self.neurons = [Neuron(nin, activation, rng=gen) for _ in range(nout)]
        self.nin = nin

    def forward(self, x: Sequence[Scalar]) -> Value | list[Value]:
        out = self._outputs(_check_inputs("Layer", x, self.nin))
        return out[0] if len(out) == 1 else out

    def _outputs(self, x: Sequence[Scalar]) -> list[Value]:
        return [n._weighted(x) for n in self.neurons]

    def extra_repr(self) -> str:
        return f"{self.nin}, {len(self.neurons)}"


class MLP(Module):
    """Layers of sizes ``nouts`` after ``nin`` inputs; hidden layers use ``activation``, the last
    layer is linear (micrograd's choice: its output is a score, not a probability).

    >>> import nn
    >>> nn.MLP(2, [16, 16, 1], rng=0)
    MLP(
      (layers.0): Layer(
        2, 16
        (neurons.0-15): 16 x Neuron(2, activation='relu')
      )
      (layers.1): Layer(
        16, 16
        (neurons.0-15): 16 x Neuron(16, activation='relu')
      )
      (layers.2): Layer(
        16, 1
        (neurons.0): Neuron(16, activation='linear')
      )
    )
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu", *, rng: RNG = None) -> None:
        _check_size("MLP", "nin", nin)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise TypeError(f"MLP: nouts must be a non-empty list of layer sizes, got {nouts!r}")
        for k in nouts:
            _check_size("MLP", "each layer size", k)
        _check_count("MLP", [sum((a + 1) * b for a, b in zip([nin, *nouts], nouts))], _MOST_VALUES)
        _check_activation("MLP", activation)
        sizes = [nin, *nouts]
        gen = get_rng(rng)
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < last else "linear", rng=gen)
            for i in range(len(nouts))
        ]
        self.nin = nin

    def forward(self, x: Sequence[Scalar]) -> Value | list[Value]:
        # Plain numbers become input leaves once, instead of a constant per weight that uses them.
        out = [xi if isinstance(xi, Value) else Value(xi) for xi in _check_inputs("MLP", x, self.nin)]
        for layer in self.layers:  # lists all the way through, so a 1-wide hidden layer works too
            out = layer._outputs(out)
        return out[0] if len(out) == 1 else list(out)

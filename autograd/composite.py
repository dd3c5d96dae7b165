"""What `Value` and `Tensor` share: the unary primitives as methods, and the composite operations.

Each method here is written once for both node kinds. The unary primitives are one line each
over their definitions (`autograd.ops`); the composites (``-``, ``/``, the reflected operators,
``gelu``) are built from primitives, so they need no derivative rules of their own and work to
any order.

>>> from autograd import Value, Tensor
>>> (Value(6.0) / 3).data, (Tensor([6.0]) / 3).data
(2.0, Tensor([2.]))
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from autograd.node import Node
from autograd.primitive import _FUNCTIONS, _REGISTRY, Primitive, define_function, on_function

if TYPE_CHECKING:
    from typing import Self

__all__ = ["Composites", "gelu"]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_HALF = 1 / math.sqrt(2.0)


class Composites(Node):
    """Methods shared by the node kinds; each kind supplies ``+``, ``*``, ``**``, `_apply1` (its
    fast path for a unary primitive), `_operand` and `_reciprocal`.

    Every unary function (a unary elementwise primitive, or a composite like ``gelu``) is a
    method: the built-in ones below, written out for their docs and types, and any defined later
    with `autograd.primitive` (``x.softplus()``), added as it is defined (`_add_method`)."""

    __slots__ = ()

    if TYPE_CHECKING:

        def __add__(self, other: Any) -> Self: ...

        def __mul__(self, other: Any) -> Self: ...

        def __pow__(self, other: Any) -> Self: ...

        def _apply1(self, prim: Primitive) -> Self: ...

        def _operand(self, other: Any, op: str) -> Any: ...

        def _reciprocal(self, k: Any) -> Any: ...

    # --- unary primitives --------------------------------------------------------------------

    def exp(self) -> Self:
        """e ** x (inf where it overflows, as IEEE floats)."""
        return self._apply1(_REGISTRY["exp"])

    def log(self) -> Self:
        """Natural logarithm; ValueError where x <= 0 (not a real number there)."""
        return self._apply1(_REGISTRY["log"])

    def tanh(self) -> Self:
        """Hyperbolic tangent."""
        return self._apply1(_REGISTRY["tanh"])

    def sigmoid(self) -> Self:
        """1 / (1 + e^-x), computed so that it never overflows (sigmoid(-1000) is 0)."""
        return self._apply1(_REGISTRY["sigmoid"])

    def relu(self) -> Self:
        """max(0, x); the derivative at 0 is 0, as in PyTorch; NaN stays NaN."""
        return self._apply1(_REGISTRY["relu"])

    def erf(self) -> Self:
        """The error function (the exact gelu uses it)."""
        return self._apply1(_REGISTRY["erf"])

    def abs(self) -> Self:
        """|x|; the derivative at 0 is 0 (sign(0)), as in PyTorch."""
        return self._apply1(_REGISTRY["abs"])

    def sqrt(self) -> Self:
        """√x; ValueError where x < 0; the derivative at 0 is inf, as in PyTorch."""
        return self._apply1(_REGISTRY["sqrt"])

    def log10(self) -> Self:
        """Logarithm to base 10 (a composite: ln x / ln 10)."""
        return self._apply1(_REGISTRY["log"]) * (1 / math.log(10))

    def log2(self) -> Self:
        """Logarithm to base 2 (a composite: ln x / ln 2)."""
        return self._apply1(_REGISTRY["log"]) * (1 / math.log(2))

    def __abs__(self) -> Self:
        return self._apply1(_REGISTRY["abs"])

    # --- composites --------------------------------------------------------------------------

    def gelu(self, approximate: str = "none") -> Self:
        """Gaussian error linear unit, x·Φ(x): exact (erf) by default, or the tanh form with
        ``approximate="tanh"``, as ``torch.nn.functional.gelu``."""
        return gelu(self, approximate)

    def __neg__(self) -> Self:
        return self * -1

    def __pos__(self) -> Self:
        return self

    def __radd__(self, other: Any) -> Self:
        return self + other  # addition commutes

    def __rmul__(self, other: Any) -> Self:
        return self * other

    def __sub__(self, other: Any) -> Self:
        other = self._operand(other, "sub")
        if other is NotImplemented:
            return other
        return self + (-other)

    def __rsub__(self, other: Any) -> Self:
        other = self._operand(other, "sub")
        if other is NotImplemented:
            return other
        return (-self) + other

    def __truediv__(self, other: Any) -> Self:
        other = self._operand(other, "div")
        if other is NotImplemented:
            return other
        if isinstance(other, (int, float)):
            return self * self._reciprocal(other)
        try:
            return self * other**-1
        except ZeroDivisionError:
            raise ZeroDivisionError(f"div: division by zero (the divisor is {_data(other)!r})") from None

    def __rtruediv__(self, other: Any) -> Self:
        other = self._operand(other, "div")
        if other is NotImplemented:
            return other
        try:
            return self**-1 * other
        except ZeroDivisionError:
            raise ZeroDivisionError(f"div: division by zero ({_data(other)!r} / 0)") from None


def _add_method(name: str) -> None:
    """Make the unary function ``name`` a method of both node kinds (``x.softplus()``), unless a
    method of that name exists. It looks the function up when called, so a replaced one is used."""
    if hasattr(Composites, name) or name.startswith("_"):
        return

    def method(self: Any) -> Any:
        fn = _FUNCTIONS.get(name)
        if fn is None:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r} (no longer defined)"
            )
        return fn(self)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"The unary function {name!r} (defined with autograd.primitive)."
    setattr(Composites, name, method)


def _data(x: Any) -> Any:
    return getattr(x, "_data", x)


def gelu(x: Any, approximate: str = "none") -> Any:
    """x·Φ(x) for a Value or a Tensor: exact (erf) by default, the tanh form with
    ``approximate="tanh"`` (as PyTorch). A composite: built from primitives, no rule of its own.

    >>> from autograd import Value
    >>> round(gelu(Value(1.0)).data, 4), round(gelu(Value(1.0), "tanh").data, 4)
    (0.8413, 0.8412)
    """
    if approximate == "none":
        return 0.5 * x * (1 + (x * _SQRT_HALF).erf())
    if approximate == "tanh":
        # √(2/π)·x·(1 + 0.044715·x²) rather than ·(x + 0.044715·x³): the same number, but x³
        # overflows at |x| = 1e103 and its slope (3x²) at 1e154, where tanh's slope is 0: 0·inf.
        return 0.5 * x * (1 + (_SQRT_2_OVER_PI * x * (1 + 0.044715 * (x * x))).tanh())
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


define_function("gelu", gelu)
on_function(_add_method)  # every unary function defined from now on, and those defined before

"""`Value`: a scalar that remembers how it was computed, so it can be differentiated.

Each primitive below computes its forward on Python floats; its derivative rules are in the
table of `autograd.ops`, shared with `Tensor`. The same rules serve both kinds of backward pass:

- first order (``backward()``, ``grad()``): the gradients are plain floats: fast;
- higher order (``grad(..., create_graph=True)``): they are `Value` nodes, so the gradient is
  itself a graph that can be differentiated again.

>>> x = Value(2.0, label="x")
>>> L = 3 * x**2 + 2
>>> L.backward()
>>> L.data, x.grad
(14.0, 12.0)
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Union

from autograd import engine
from autograd.engine import _GradMode
from autograd.ops import ADD, ERF, EXP, LOG, MUL, POW, POW_NUMBER, RELU, SIGMOID, TANH, Op, raw
from autograd.ops import exp as _exp

__all__ = ["Value"]

Scalar = Union["Value", int, float]  # noqa: UP007 - a runtime alias, for Python 3.10


# Leaves made from plain numbers (the 3 and the 2 in 3*x**2 + 2) carry this marker as their op,
# so pictures can tell constants from inputs. They have no inputs, so it needs no rules.
CONST = Op("const")


def _float_sigmoid(x: float) -> float:
    # Two forms so that exp never overflows: exp(-x) for x >= 0, exp(x) for x < 0.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_POW_BY_NUMBER: dict[float, Op] = {}


def _pow_op(k: float) -> Op:
    """x ** k for a number k: POW_NUMBER's rule with k bound, named "**2" in pictures (a Value
    node has no room for op parameters, so the exponent lives in the op)."""
    op = _POW_BY_NUMBER.get(k)
    if op is None:
        rule = POW_NUMBER.rules[0]
        op = Op(f"**{k:g}", lambda g, out, a: rule(g, out, a, k))
        if len(_POW_BY_NUMBER) < 1024:  # a cache of the usual few exponents, not a leak
            _POW_BY_NUMBER[k] = op
    return op


def _new(data: float, op: Op, a: Value, b: Value | None = None) -> Value:
    """Make a result node without __init__'s checks (data is already a float)."""
    v = _object_new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    if _GradMode.enabled:
        v._op, v._a, v._b = op, a, b
    else:  # under no_grad: a leaf that remembers nothing
        v._op = v._a = v._b = None
    return v


_object_new = object.__new__


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _const(x: Any) -> Value | Any:
    """A plain number as a constant leaf; anything else as NotImplemented (so Python says no)."""
    if not _is_number(x):
        return NotImplemented
    v = _object_new(Value)
    v.data, v.grad, v.label, v._op, v._a, v._b = float(x), 0.0, "", CONST, None, None
    return v


class Value:
    """A scalar node of the computation graph.

    ``data`` is the float it holds, ``grad`` the derivative of the last ``backward()``'s output
    with respect to it (0.0 until then; repeated backward calls add up, zero it yourself), and
    ``label`` a name for pictures. Arithmetic with Values or plain numbers on either side builds the
    graph. Comparisons (``<``, ``==``, ...) compare ``data`` and are not differentiated; hashing is
    by identity, so Values can be dictionary keys.

    >>> a = Value(2.0, label="a")
    >>> b = a * a + a
    >>> b.backward()
    >>> b.data, a.grad
    (6.0, 5.0)
    """

    # Small and cycle-free: the inputs sit in two slots (no tuple, no closure), the rule lives on
    # a shared Op. One object per node keeps memory low and the garbage collector's work small.
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b")
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * Value works

    data: float
    grad: float
    label: str
    _op: Op | None
    _a: Value | None
    _b: Value | None

    def __init__(self, data: float, label: str = "") -> None:
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            hint = "" if isinstance(data, str) or not hasattr(data, "__len__") else " (for arrays use Tensor)"
            raise TypeError(f"Value: data must be a real number, got {type(data).__name__}{hint}")
        if not isinstance(label, str):
            raise TypeError(f"Value: label must be a str, got {type(label).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._op = self._a = self._b = None

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # --- primitives -------------------------------------------------------------------------

    def __add__(self, other: Scalar) -> Value:
        if not isinstance(other, Value):
            other = _const(other)
            if other is NotImplemented:
                return NotImplemented
        return _new(self.data + other.data, ADD, self, other)

    def __mul__(self, other: Scalar) -> Value:
        if not isinstance(other, Value):
            other = _const(other)
            if other is NotImplemented:
                return NotImplemented
        return _new(self.data * other.data, MUL, self, other)

    def __pow__(self, other: Scalar) -> Value:
        """``x ** k``. With a number k, any real result; with a Value exponent, the base must not
        be negative (the derivative in the exponent, out·log(base), is undefined there), and at
        base 0 that derivative is taken as 0. Raises ValueError rather than return a complex or
        NaN, and ZeroDivisionError for 0 to a negative power, as Python floats do.

        >>> (Value(3.0) ** 2).data, (Value(4.0) ** Value(0.5)).data
        (9.0, 2.0)
        """
        if isinstance(other, Value):
            if self.data < 0:
                raise ValueError(
                    f"pow: base {self.data!r} is negative; a Value exponent needs a base >= 0 "
                    "(use a number exponent for powers of negative numbers)"
                )
            return _new(_float_pow(self.data, other.data), POW, self, other)
        if not _is_number(other):
            return NotImplemented
        k = float(other)
        return _new(_float_pow(self.data, k), _pow_op(k), self)

    def exp(self) -> Value:
        """e ** x (inf past about 709.78, as IEEE floats)."""
        return _new(_exp(self.data), EXP, self)

    def log(self) -> Value:
        """Natural logarithm. ValueError for x <= 0, where it is not a real number.

        >>> Value(1.0).log().data
        0.0
        """
        if self.data <= 0:
            raise ValueError(f"log: input must be positive, got {self.data!r}")
        return _new(math.log(self.data), LOG, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent; finite for any input."""
        return _new(math.tanh(self.data), TANH, self)

    def sigmoid(self) -> Value:
        """1 / (1 + e^-x), computed so that it never overflows (sigmoid(-1000) is 0.0)."""
        return _new(_float_sigmoid(self.data), SIGMOID, self)

    def relu(self) -> Value:
        """max(0, x); its derivative at 0 is taken as 0, as in PyTorch."""
        return _new(self.data if self.data > 0 else 0.0, RELU, self)

    def erf(self) -> Value:
        """The error function (used by the exact gelu)."""
        return _new(math.erf(self.data), ERF, self)

    # --- composites: built from the primitives, so they need no rules of their own ---------

    def gelu(self, approximate: str = "none") -> Value:
        """Gaussian error linear unit, x·Φ(x): exact (erf) by default, or the tanh form with
        ``approximate="tanh"``, as ``torch.nn.functional.gelu``.

        >>> round(Value(1.0).gelu().data, 4)
        0.8413
        """
        if approximate == "none":
            return 0.5 * self * (1 + (self * (1 / math.sqrt(2.0))).erf())
        if approximate == "tanh":
            return 0.5 * self * (1 + (_SQRT_2_OVER_PI * (self + 0.044715 * self**3)).tanh())
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Scalar) -> Value:
        if not isinstance(other, Value) and not _is_number(other):
            return NotImplemented
        return self + (-other)

    def __truediv__(self, other: Scalar) -> Value:
        if isinstance(other, Value):
            return self * other**-1
        if not _is_number(other):
            return NotImplemented
        if other == 0:
            raise ZeroDivisionError(f"div: {self.data!r} / 0")
        return self * (1.0 / other)

    def __radd__(self, other: Scalar) -> Value:
        return self + other

    def __rmul__(self, other: Scalar) -> Value:
        return self * other

    def __rsub__(self, other: Scalar) -> Value:
        if not _is_number(other):
            return NotImplemented
        return (-self) + other

    def __rtruediv__(self, other: Scalar) -> Value:
        if not _is_number(other):
            return NotImplemented
        return self**-1 * other

    def __rpow__(self, other: Scalar) -> Value:
        base = _const(other)
        if base is NotImplemented:
            return NotImplemented
        return base**self

    # --- comparisons: on data, not differentiated -------------------------------------------

    def __eq__(self, other: object) -> bool:
        return self.data == raw(other)

    def __ne__(self, other: object) -> bool:
        return self.data != raw(other)

    def __lt__(self, other: Scalar) -> bool:
        return self.data < raw(other)

    def __le__(self, other: Scalar) -> bool:
        return self.data <= raw(other)

    def __gt__(self, other: Scalar) -> bool:
        return self.data > raw(other)

    def __ge__(self, other: Scalar) -> bool:
        return self.data >= raw(other)

    __hash__ = object.__hash__

    def __float__(self) -> float:
        return self.data

    # --- backward -----------------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every node this Value was computed from with d(self)/d(node).

        Gradients add up over repeated calls (zero them between steps), as in PyTorch.
        """
        engine.backward(self, grad)

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from the graph."""
        return Value(self.data, self.label)

    # The engine's node protocol (see autograd.engine).

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The Values this one was computed from (empty for a leaf)."""
        a, b = self._a, self._b
        if a is None:
            return ()
        return (a,) if b is None else (a, b)

    def _vjp(self, g: Any, create_graph: bool) -> tuple[Any, ...]:
        rules = self._op.rules  # type: ignore[union-attr]  # only nodes with inputs are asked
        a, b = self._a, self._b
        if create_graph:  # the rules run on the nodes themselves: their results are graphs
            if b is None:
                return (rules[0](g, self, a),)
            return rules[0](g, self, a, b), rules[1](g, self, a, b)
        if b is None:
            return (rules[0](g, self.data, a.data),)  # type: ignore[union-attr]
        out, ad, bd = self.data, a.data, b.data  # type: ignore[union-attr]
        return rules[0](g, out, ad, bd), rules[1](g, out, ad, bd)

    def _accumulate(self, g: float) -> None:
        self.grad += g

    def _seed(self, g: Any, create_graph: bool) -> Any:
        if g is None:
            g = 1.0
        if isinstance(g, Value):
            return g if create_graph else g.data
        if not _is_number(g):
            raise TypeError(f"backward: the starting gradient must be a number, got {type(g).__name__}")
        return Value(g) if create_graph else float(g)

    def _zeros(self) -> float:
        return 0.0

    def _detached(self, raw: Any) -> Value:
        return raw if isinstance(raw, Value) else Value(raw)


def _float_pow(a: float, k: float) -> float:
    try:
        out = a**k
    except ZeroDivisionError:
        raise ZeroDivisionError(f"pow: 0.0 cannot be raised to the negative power {k!r}") from None
    except OverflowError:
        return math.inf
    if isinstance(out, complex):
        raise ValueError(f"pow: {a!r} ** {k!r} is not a real number (negative base, fractional power)")
    return out

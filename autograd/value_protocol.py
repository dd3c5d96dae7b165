"""What the engine, the rules and Python ask of a `Value` beyond its arithmetic: comparisons and
conversions, how a rule's `where` and a division treat it, and the walk's node protocol
(`_accumulate`, `_seed`, `_gradient`). Mixed into `autograd.value.Value`.

>>> from autograd import Value
>>> a, b = Value(1.0), Value(1.0)
>>> a == b, a < 2, float(b)          # == is identity, as in micrograd; < compares the numbers
(False, True, 1.0)
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.modes import Modes
from autograd.primitive import _REGISTRY, Op, Primitive, _named_op, float_power

if TYPE_CHECKING:
    from typing import Self

__all__ = ["NO_GRAPH", "ValueProtocol", "check_base", "number", "refuse"]

# The op of a Value made under no_grad: a leaf ('' as micrograd's _op) that remembers it came
# from an op, so that backward() from it can say why nothing flows.
NO_GRAPH = Op("")


def number(x: Any) -> float | None:
    """x as a float if it is a real number (numpy scalars too, not bools), else None."""
    cls = x.__class__
    if cls is float:
        return x
    if cls is not int and (cls is bool or not isinstance(x, numbers.Real)):  # (an ABC check: slow)
        return None
    try:
        return float(x)
    except OverflowError:  # a huge int (its repr could be thousands of digits: not shown)
        size = f"an int of {x.bit_length()} bits" if isinstance(x, int) else f"the {type(x).__name__}"
        raise ValueError(f"{size} is too large for a float") from None


def _as_float(x: Any, op: str) -> float:
    k = x.data if isinstance(x, ValueProtocol) else number(x)
    if k is None:
        raise TypeError(f"'{op}' not supported between Value and {type(x).__name__}")
    return k


class ValueProtocol:
    """The rest of `Value` (a mixin: see the module docstring)."""

    __slots__ = ()
    data: float
    grad: Any
    _op: Any
    _node: Any  # (data, op, a, b=None) -> a result node (autograd.value)

    # --- comparisons and conversions ------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        return self is other  # identity, as micrograd: params.index(p) finds p itself

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__

    def __lt__(self, other: Any) -> bool:
        return self.data < _as_float(other, "<")

    def __le__(self, other: Any) -> bool:
        return self.data <= _as_float(other, "<=")

    def __gt__(self, other: Any) -> bool:
        return self.data > _as_float(other, ">")

    def __ge__(self, other: Any) -> bool:
        return self.data >= _as_float(other, ">=")

    def __float__(self) -> float:
        if Modes.here().rules:  # a rule that calls math.exp(x) would cut the graph it builds
            raise TypeError(
                "a derivative rule turned a Value node into a float (math.exp(x)?), which would cut "
                "the graph of its gradient: write rules with primitives and arithmetic (EXP(x))"
            )
        return self.data

    def item(self) -> float:
        """The float it holds (as ``Tensor.item()``)."""
        return self.data

    # --- more operations: a number to the power of a Value, any primitive, a rule's power -------

    def __rpow__(self, other: Any) -> Self:
        k = number(other)
        if k is None:
            return NotImplemented
        check_base(k)
        prim = _REGISTRY["**"]
        return self._node(prim.floats(k, self.data), prim.op, k, self)

    @classmethod
    def _apply(cls, prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Any:
        """Any primitive on Values and numbers (how ``prim(x)`` records a node)."""
        if params or prim.floats is None or prim.arity > 2:
            why = "takes no parameters" if params else "needs a float forward and at most two operands"
            raise TypeError(f"{prim.name}: a Value op {why}")
        args = [x if isinstance(x, ValueProtocol) else number(x) for x in operands]
        if None in args:
            bad = next(x for x, a in zip(operands, args) if a is None)
            raise TypeError(f"{prim.name}: operands must be Values or numbers, got {type(bad).__name__}")
        return cls._node(
            prim.floats(*(x.data if isinstance(x, ValueProtocol) else x for x in args)), prim.op, *args
        )

    @classmethod
    def _power(cls, a: Any, k: Any) -> Any:
        """`autograd.primitive.power` on Values (a rule's k·a^(k-1) with create_graph): the ``**``
        node, with IEEE's answer at a singularity (0 ** -1 is inf), as a derivative there is."""
        prim = _REGISTRY["**"]
        if not isinstance(a, ValueProtocol):
            return cls._node(float_power(float(a), k.data), prim.op, float(a), k)
        if isinstance(k, ValueProtocol):
            return cls._node(float_power(a.data, k.data), prim.op, a, k)
        return cls._node(float_power(a.data, float(k)), _named_op(prim, f"**{float(k):g}"), a, float(k))

    # --- for composites and rules (autograd.composite, autograd.primitive.where) -----------------

    @staticmethod
    def _where(cond: Any, x: Any, y: Any) -> Any:
        """`autograd.primitive.where` when a Value is among its sides: one condition picks one."""
        if np.size(cond) != 1:
            raise TypeError("where: a Value takes one condition, not an array of them")
        return x if bool(cond) else y

    def _operand(self, other: Any, op: str) -> Any:
        if isinstance(other, ValueProtocol):
            return other
        k = number(other)
        return NotImplemented if k is None else k

    def _reciprocal(self, k: float) -> float:
        if k == 0:
            raise ZeroDivisionError(f"div: division by zero ({self.data!r} / 0)")
        return 1.0 / k

    # --- the walk's node protocol (autograd.node.Node) ---------------------------------------------

    def _accumulate(self, g: Any) -> None:
        old = self.grad
        self.grad = g if old.__class__ is float and not old else old + g  # no 0 + node with create_graph

    def _seed(self, g: Any, create_graph: bool) -> Any:
        if self._op is NO_GRAPH:
            raise ValueError(
                "backward: this Value was computed under no_grad, so it has no graph to go back "
                "through (compute it with grad mode on)"
            )
        if g is None:
            g = 1.0
        if isinstance(g, ValueProtocol):
            return g if create_graph else g.data
        k = number(g)
        if k is None:
            raise TypeError(f"backward: the starting gradient must be a number, got {type(g).__name__}")
        return type(self)(k) if create_graph else k  # type: ignore[call-arg]

    def _gradient(self, raw: Any, create_graph: bool) -> Any:
        """What grad() returns for this input, from what the walk left in its .grad."""
        if isinstance(raw, ValueProtocol):
            return raw if create_graph else type(self)(raw.data)  # type: ignore[call-arg]
        return type(self)(0.0 if raw is None else raw)  # type: ignore[call-arg]


def check_base(base: float) -> None:
    if base < 0:
        raise ValueError(
            f"pow: base {base!r} is negative; a Value exponent needs a base >= 0 "
            "(use a number exponent for powers of negative numbers)"
        )


def refuse(data: Any, children: Any, op: Any, label: Any) -> None:
    """Say what is wrong with the arguments of ``Value(data, _children, _op, label)``."""
    if isinstance(data, ValueProtocol):
        raise TypeError("Value: data is already a Value; use it as it is, or Value(v.data) for a copy")
    if number(data) is None:
        hint = " (for arrays use Tensor)" if hasattr(data, "__len__") and not isinstance(data, str) else ""
        raise TypeError(f"Value: data must be a real number, got {type(data).__name__}{hint}")
    if isinstance(children, str):
        raise TypeError(
            "Value: the second argument is _children, as in micrograd's Value(data, _children, _op); "
            "pass a label as label=..."
        )
    for what, text in (("_op", op), ("label", label)):
        if not isinstance(text, str):
            raise TypeError(f"Value: {what} must be a str, got {type(text).__name__}")

"""`Value`: a scalar that remembers how it was computed, so it can be differentiated.

A Value node keeps its ``data`` (a float), its ``grad`` (dL/d(this node), 0.0 until a backward
pass reaches it), a ``label``, the op that made it (``_op``: micrograd's string, ``'*'``, which
also knows its primitive and so its derivative rules) and its operands in two slots (``_a``,
``_b``): Values, or plain numbers (the 3 in ``3 * x``, the 2 in ``x ** 2``), which are constants
of the op and get no gradient.

Each operation is one line over its primitive (`autograd.ops`): compute the forward on the
operands' numbers, and record the op and the operands. ``backward()`` is `autograd.engine`'s
walk. micrograd's node surface works as the lecture uses it: ``Value(data, _children, _op,
label)``, ``_prev``, ``_op``, ``_backward()``, and ``==`` and hashing by identity.

>>> x = Value(2.0, label="x")
>>> L = 3 * x**2 + 2
>>> L.backward()
>>> L.data, x.grad
(14.0, 12.0)
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd import engine
from autograd.anomaly import check_new_node
from autograd.composite import Composites
from autograd.modes import Modes
from autograd.primitive import _REGISTRY, Op, Primitive, _named_op, float_power

__all__ = ["Value"]

_new = object.__new__

# A Value made by an op under no_grad is a leaf ('' as micrograd's _op) that remembers it came
# from an op, so that backward() from it can say why nothing flows.
NO_GRAPH = Op("")


def _number(x: Any) -> float | None:
    """x as a float if it is a real number (numpy scalars too, not bools), else None."""
    cls = x.__class__
    if cls is float:
        return x
    if cls is bool or not isinstance(x, numbers.Real):
        return None
    try:
        return float(x)
    except OverflowError:  # a huge int (its repr could be thousands of digits: not shown)
        size = f"an int of {x.bit_length()} bits" if isinstance(x, int) else f"the {type(x).__name__}"
        raise ValueError(f"{size} is too large for a float") from None


def _node(data: float, op: Op, a: Any, b: Any = None) -> Value:
    """A result node: ``data`` made by ``op`` from ``a`` (and ``b``). Under no_grad in this
    thread, a leaf that remembers nothing."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v._op = op
    v._a = a
    v._b = b
    if Modes.special:  # some thread has grad mode off or anomaly detection on
        if Modes.anomaly():
            check_new_node(v)
        if not Modes.recording():
            v._op, v._a, v._b = NO_GRAPH, None, None
    return v


def _binary(name: str) -> Callable[[Value, Any], Any]:
    """The method applying the primitive named ``name`` to a Value and a Value or a number:
    ``__add__`` and ``__mul__``, the hottest code of a forward pass (so written out)."""

    def method(a: Value, b: Any) -> Any:
        prim = _REGISTRY[name]  # the primitive defined under this name now
        if b.__class__ is not Value and not isinstance(b, Value):
            try:
                b = _number(b)
            except ValueError as err:
                raise ValueError(f"{name}: {err}") from None
            if b is None:
                return NotImplemented
            return _node(prim.floats(a.data, b), prim.op, a, b)
        return _node(prim.floats(a.data, b.data), prim.op, a, b)

    method.__name__ = method.__qualname__ = f"{name} (from its definition)"
    return method


def _power_op(k: float) -> Op:
    """The op of ``x ** k`` for a number k, named as micrograd names it: ``'**2'``."""
    return _named_op(_REGISTRY["**"], f"**{k:g}")


class Value(Composites):
    """A scalar node of the computation graph.

    ``Value(data, _children=(), _op='', label='')`` (micrograd's signature; ``label`` names it
    in pictures). ``data`` is the float it holds, ``grad`` the derivative of the last
    ``backward()``'s output with respect to it (0.0 until then; repeated calls add up, as in
    micrograd and PyTorch). Arithmetic with Values or plain numbers on either side builds the
    graph. ``==`` and hashing are by identity, as in micrograd (``params.index(p)``, ``p in
    params``); ``<``, ``<=``, ``>``, ``>=`` compare ``data``.

    >>> a = Value(2.0, label="a")
    >>> b = a * a + a
    >>> b.backward()
    >>> b.data, a.grad, b._op, [p.data for p in b._prev]
    (6.0, 5.0, '+', [4.0, 2.0])
    """

    # Small and cycle-free: the operands sit in two slots (no tuple, no closure), the rules on a
    # shared Op. One object per node keeps memory low and the garbage collector's work small.
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b")
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * Value works
    _ZERO_GRAD = 0.0
    _TWO_SLOTS = True  # the engine's walk_values reads _a and _b directly
    requires_grad = True  # every Value takes part in differentiation (as micrograd)

    data: float
    grad: Any  # a float; a Value while grad(create_graph=True) runs
    label: str
    _op: str
    _a: Any
    _b: Any

    def __init__(self, data: Any, _children: Iterable[Value] = (), _op: str = "", label: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError("Value: data is already a Value; use it as it is, or Value(v.data) for a copy")
        value = _number(data)
        if value is None:
            hint = (
                " (for arrays use Tensor)" if hasattr(data, "__len__") and not isinstance(data, str) else ""
            )
            raise TypeError(f"Value: data must be a real number, got {type(data).__name__}{hint}")
        if isinstance(_children, str):
            raise TypeError(
                "Value: the second argument is _children, as in micrograd's Value(data, _children, _op); "
                "pass a label as label=..."
            )
        children = tuple(_children)
        if len(children) > 2 or not all(isinstance(c, Value) for c in children):
            raise TypeError("Value: _children must be at most two Values")
        for what, text in (("_op", _op), ("label", label)):
            if not isinstance(text, str):
                raise TypeError(f"Value: {what} must be a str, got {type(text).__name__}")
        self.data = value
        self.grad = 0.0
        self.label = label
        # A node built by hand (micrograd's lecture does) is drawn with its children, but no
        # rule passes a gradient through it, as in micrograd until _backward is set.
        self._op = Op(_op) if children or _op else ""
        self._a, self._b = (children + (None, None))[:2]

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={float(getattr(self.grad, 'data', self.grad)):.6g})"

    # --- operations: one line each over their primitives ---------------------------------------

    __add__ = __radd__ = _binary("+")  # both commute: 2 + x is recorded as x + 2
    __mul__ = __rmul__ = _binary("*")

    def __pow__(self, other: Any) -> Value:
        """``x ** k``. With a number k, any real result; with a Value exponent the base must not
        be negative (the derivative in the exponent, out·log(base), is not real there), and at
        base 0 that derivative is taken as 0. Raises ValueError rather than return a complex or
        NaN, and ZeroDivisionError for 0 to a negative power, as Python floats do.

        >>> (Value(3.0) ** 2).data, (Value(4.0) ** Value(0.5)).data, (Value(3.0) ** 2)._op
        (9.0, 2.0, '**2')
        """
        prim = _REGISTRY["**"]
        if isinstance(other, Value):
            if self.data < 0:
                raise ValueError(
                    f"pow: base {self.data!r} is negative; a Value exponent needs a base >= 0 "
                    "(use a number exponent for powers of negative numbers)"
                )
            return _node(prim.floats(self.data, other.data), prim.op, self, other)
        k = _number(other)
        if k is None:
            return NotImplemented
        return _node(prim.floats(self.data, k), _power_op(k), self, k)

    def __rpow__(self, other: Any) -> Value:
        k = _number(other)
        if k is None:
            return NotImplemented
        if k < 0:
            raise ValueError(f"pow: base {k!r} is negative; a Value exponent needs a base >= 0")
        prim = _REGISTRY["**"]
        return _node(prim.floats(k, self.data), prim.op, k, self)

    @staticmethod
    def _power(a: Any, k: Any) -> Value:
        """``autograd.primitive.power`` on Values (a rule's k·a^(k-1) run with create_graph): the
        ``**`` node, but with IEEE's answer at a singularity (0 to a negative power is inf), as a
        derivative there is, rather than Python's exception."""
        prim = _REGISTRY["**"]
        if isinstance(a, Value) and isinstance(k, Value):
            return _node(float_power(a.data, k.data), prim.op, a, k)
        if isinstance(a, Value):
            return _node(float_power(a.data, float(k)), _power_op(float(k)), a, float(k))
        return _node(float_power(float(a), k.data), prim.op, float(a), k)

    def _apply1(self, prim: Primitive) -> Value:
        """A unary primitive: the fast path of ``exp``, ``tanh``, ``relu``, ..."""
        if prim.floats is None:
            raise TypeError(f"{prim.name}: defined for Tensors only (no forward on floats)")
        return _node(prim.floats(self.data), prim.op, self)

    @staticmethod
    def _apply(prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Value:
        """Any primitive on Values and numbers (how ``prim(x)`` records a node)."""
        if params:
            raise TypeError(f"{prim.name}: a Value op takes no parameters; pass numbers as operands")
        if prim.floats is None:
            raise TypeError(f"{prim.name}: defined for Tensors only (no forward on floats)")
        if prim.arity > 2:
            raise TypeError(f"{prim.name}: a Value node holds at most two operands, this takes {prim.arity}")
        args = []
        for x in operands:
            k = x if isinstance(x, Value) else _number(x)
            if k is None:
                raise TypeError(f"{prim.name}: operands must be Values or numbers, got {type(x).__name__}")
            args.append(k)
        data = prim.floats(*(x.data if isinstance(x, Value) else x for x in args))
        return _node(data, prim.op, *args)

    @staticmethod
    def _where(cond: Any, x: Any, y: Any) -> Any:
        """`autograd.primitive.where` when a Value is among its sides: one condition picks one."""
        if np.size(cond) != 1:
            raise TypeError("where: a Value takes one condition, not an array of them")
        return x if bool(cond) else y

    def _operand(self, other: Any, op: str) -> Any:
        if isinstance(other, Value):
            return other
        k = _number(other)
        return NotImplemented if k is None else k

    def _reciprocal(self, k: float) -> float:
        if k == 0:
            raise ZeroDivisionError(f"div: division by zero ({self.data!r} / 0)")
        return 1.0 / k

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

    # --- the graph ----------------------------------------------------------------------------

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The Values this one was computed from (empty for a leaf)."""
        a, b = self._a, self._b
        if a is None or a.__class__ is float:
            return () if b is None or b.__class__ is float else (b,)
        return (a,) if b is None or b.__class__ is float else (a, b)

    @property
    def _args(self) -> tuple[Any, ...]:
        """The op's operands in order: Values and plain numbers."""
        return (self._a,) if self._b is None else (self._a, self._b)

    def _backward(self) -> None:
        """Add ``self.grad`` times each local derivative into the inputs' ``.grad`` (micrograd's
        ``_backward``: the lecture calls it by hand, node by node): one step of the walk."""
        engine.walk([self])

    def backward(self, grad: float = 1.0) -> None:
        """Add d(self)/d(node) into ``.grad`` of every node this Value was computed from.

        Gradients add up over repeated calls (zero them between steps), as in PyTorch.
        """
        engine.backward(self, grad)

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from the graph."""
        return Value(self.data, label=self.label)

    # The rest of the engine's node protocol (see autograd.engine.Node).

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
        if isinstance(g, Value):
            return g if create_graph else g.data
        k = _number(g)
        if k is None:
            raise TypeError(f"backward: the starting gradient must be a number, got {type(g).__name__}")
        return Value(k) if create_graph else k

    def _gradient(self, raw: Any, create_graph: bool) -> Value:
        """What grad() returns for this input, from what the walk left in its .grad."""
        if isinstance(raw, Value):
            return raw if create_graph else Value(raw.data)
        return Value(0.0 if raw is None else raw)


def _as_float(x: Any, op: str) -> float:
    if isinstance(x, Value):
        return x.data
    k = _number(x)
    if k is None:
        raise TypeError(f"'{op}' not supported between Value and {type(x).__name__}")
    return k

"""`Value`: a scalar that remembers how it was computed, so it can be differentiated.

A Value keeps its ``data`` (a float), its ``grad`` (dL/d(this node): 0.0 until a backward pass
reaches it), a ``label``, the op that made it (``_op``: micrograd's string, ``'*'``, which also
knows its primitive and so its derivative rules) and its operands in two slots, ``_a`` and
``_b``: Values, or plain numbers (the 3 in ``3 * x``), constants that get no gradient.

Each operation computes the forward on its operands' numbers, by its primitive's definition
(`autograd.ops`), and records the op and the operands; ``backward()`` is `autograd.engine`'s
walk. micrograd's node surface works as its lecture uses it: ``Value(data, _children, _op,
label)``, ``_prev``, ``_op``, ``_backward()``, and ``==`` and hashing by identity.

>>> x = Value(2.0, label="x")
>>> L = 3 * x**2 + 2
>>> L.backward()
>>> L.data, x.grad
(14.0, 12.0)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from autograd import engine, forward
from autograd.anomaly import check_new_node
from autograd.composite import Composites
from autograd.modes import Modes
from autograd.primitive import _REGISTRY, Op, Primitive, _named_op, on_define
from autograd.value_protocol import NO_GRAPH, ValueProtocol, check_base, number, refuse

__all__ = ["Value"]

_new = object.__new__
_ZERO = 0.0  # every new node's grad: this one float, so the walk tells "still zero" by identity


def _node(data: float, op: Op, a: Any, b: Any = None) -> Value:
    """A result node: ``data``, made by ``op`` from ``a`` (and ``b``). Under no_grad (in this
    thread) a leaf that remembers nothing."""
    v = _new(Value)
    v.data = data
    v.grad = _ZERO
    v.label = ""
    v._op = op
    v._a = a
    v._b = b
    if Modes.special:  # some thread has grad mode off, anomaly detection or forward mode on
        modes = Modes.here()  # this thread's
        if modes.forward and not modes.paused:
            v = _with_tangent(v, (a,) if b is None else (a, b))
        if modes.anomaly:
            check_new_node(v)
        if not modes.enabled:
            v._op, v._a, v._b = NO_GRAPH, None, None
    return v


def _with_tangent(v: Value, operands: tuple[Any, ...]) -> Value:
    """``v`` with its tangent, if its operands carry some (forward mode: autograd.forward)."""
    t = forward.tangent(v._op, v, operands, {})
    if t is None:
        return v
    w = _new(TangentValue)
    w.data, w.grad, w.label, w._op, w._a, w._b, w.tangent = v.data, v.grad, v.label, v._op, v._a, v._b, t
    return w


@functools.lru_cache(maxsize=4096)  # the usual few exponents, each Op made once
def _power_op(prim: Primitive, k: float) -> Op:
    """The Op of ``x ** k``, named as micrograd names it: ``'**2'``."""
    return _named_op(prim, f"**{k:g}")


def _binary(name: str) -> Callable[[Value, Any], Value]:
    """``a + b`` or ``a * b`` (the primitive named ``name``) for a Value ``a`` and a Value or a
    number ``b``: the hottest code of a forward pass, so written out, with the primitive's
    forward and op at hand (made again if the primitive is replaced: see `_remade`)."""
    prim = _REGISTRY[name]
    forward, op = prim.floats, prim.op

    def method(a: Value, b: Any) -> Any:
        cls = b.__class__
        if cls is float:  # a number: kept as an operand, not made a node
            return _node(forward(a.data, b), op, a, b)
        if cls is Value or isinstance(b, Value):
            return _node(forward(a.data, b.data), op, a, b)
        try:
            k = number(b)
        except ValueError as err:
            raise ValueError(f"{name}: {err}") from None
        return NotImplemented if k is None else _node(forward(a.data, k), op, a, k)

    method.__name__ = method.__qualname__ = f"{name} (from its definition)"
    return method


class Value(Composites, ValueProtocol):
    """A scalar node of the computation graph.

    ``Value(data, _children=(), _op='', label='')`` (micrograd's signature; ``label`` names it
    in pictures). ``data`` is the float it holds, ``grad`` the derivative of the last
    ``backward()``'s output with respect to it (0.0 until then; repeated calls add up, as in
    micrograd and PyTorch). Arithmetic with Values or plain numbers on either side builds the
    graph; ``-``, ``/``, ``exp()``, ``tanh()``, ... come from `autograd.composite`.

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
    _ZERO_GRAD = _ZERO
    _TWO_SLOTS = True  # the walk reads _a and _b directly (autograd.fast.walk_values)
    requires_grad = True  # every Value takes part in differentiation (as micrograd)
    _node = staticmethod(_node)  # (for the ops in autograd.value_protocol)

    data: float
    grad: Any  # a float (a Value while grad(create_graph=True) runs)
    label: str
    _op: str
    _a: Any
    _b: Any

    def __init__(self, data: Any, _children: Iterable[Value] = (), _op: str = "", label: str = "") -> None:
        value = number(data)
        if (
            value is None
            or isinstance(_children, str)
            or not isinstance(_op, str)
            or not isinstance(label, str)
        ):
            refuse(data, _children, _op, label)
        children = tuple(_children)
        if len(children) > 2 or not all(isinstance(c, Value) for c in children):
            raise TypeError("Value: _children must be at most two Values")
        self.data = value  # type: ignore[assignment]
        self.grad = _ZERO
        self.label = label
        # A node built by hand (micrograd's lecture does) is drawn with its children, but no
        # rule passes a gradient through it, as in micrograd until _backward is set.
        self._op = Op(_op) if children or _op else ""
        self._a, self._b = (children + (None, None))[:2]

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={float(getattr(self.grad, 'data', self.grad)):.6g})"

    # --- operations: each records its op and operands --------------------------------------------

    __add__ = __radd__ = _binary("+")  # both commute: 2 + x is recorded as x + 2
    __mul__ = __rmul__ = _binary("*")

    def __pow__(self, other: Any) -> Value:
        """``x ** k``. With a number k, any real result; a Value exponent needs a base >= 0 (the
        derivative in the exponent, out·log(base), is not real below 0). ValueError rather than a
        complex or NaN; ZeroDivisionError for 0 to a negative power, as Python floats.

        >>> (Value(3.0) ** 2).data, (Value(4.0) ** Value(0.5)).data, (Value(3.0) ** 2)._op
        (9.0, 2.0, '**2')
        """
        prim = _REGISTRY["**"]
        if isinstance(other, Value):
            check_base(self.data)
            return _node(prim.floats(self.data, other.data), prim.op, self, other)
        k = number(other)
        if k is None:
            return NotImplemented
        return _node(prim.floats(self.data, k), _power_op(prim, k), self, k)

    def _apply1(self, prim: Primitive) -> Value:
        """A unary primitive: ``exp``, ``tanh``, ``relu``, ..."""
        if prim.floats is None:
            raise TypeError(f"{prim.name}: defined for Tensors only (no forward on floats)")
        return _node(prim.floats(self.data), prim.op, self)

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

    def backward(self, grad: float = 1.0) -> None:
        """Add d(self)/d(node) into ``.grad`` of every node this Value was computed from.

        Gradients add up over repeated calls (zero them between steps), as in PyTorch.
        """
        engine.backward(self, grad)

    def _backward(self) -> None:
        """Add ``self.grad`` times each local derivative into the inputs' ``.grad``: one step of
        the walk (micrograd's ``_backward``, which its lecture calls by hand, node by node)."""
        engine.walk([self])

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from the graph."""
        return Value(self.data, label=self.label)


def _remade(name: str) -> None:
    """A replaced ``+`` or ``*`` (``primitive("+", ..., replace=True)``): the methods made again."""
    if name == "+":
        Value.__add__ = Value.__radd__ = _binary("+")
    elif name == "*":
        Value.__mul__ = Value.__rmul__ = _binary("*")


on_define(_remade)

# The walk reads every node's value, gradient and flag by these names (a Tensor's .data and .grad
# are Tensors, as PyTorch's): for a Value they are its own slots, at no cost.
Value._data = Value.__dict__["data"]
Value._grad = Value.__dict__["grad"]
Value._requires_grad = True


class TangentValue(Value):
    """A Value carrying its tangent (forward mode, while `autograd.func.jvp` runs): the
    derivative of its value along the jvp's direction."""

    __slots__ = ("tangent",)
    tangent: Any

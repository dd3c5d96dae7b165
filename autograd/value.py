"""`Value`: a scalar that remembers how it was computed, so it can be differentiated.

A Value node keeps its ``data`` (a float), its ``grad``, a ``label``, the `Op` that made it
(``_op``: micrograd's string, ``'*'``, that also knows its primitive) and its two operands in
two slots (``_a``, ``_b``): Values, or plain numbers (the 3 in ``3 * x``, the 2 in ``x ** 2``),
which are constants of the op and get no gradient.

The methods are one line over the primitives' definitions (`autograd.ops`); ``backward()`` walks
the graph once and runs each node's step (``_op.send``), compiled from those definitions
(`autograd.compile`). micrograd's node surface works as the lecture uses it: the constructor
``Value(data, _children, _op, label)``, ``_prev``, ``_op``, ``_backward()``, and ``==`` and
hashing by identity.

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
from autograd.ops import ADD, MUL, POW
from autograd.primitive import Op, Primitive, float_power, scalar_op

__all__ = ["Value"]

_new = object.__new__

# The marker of a Value made by an op under no_grad: a leaf ('' as micrograd's _op), that
# remembers it came from an op, so that backward() from it can say why nothing flows.
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


def _binary_method(prim: Primitive) -> Callable[[Value, Any], Any]:
    """The method applying ``prim`` to a Value and a Value or a number: ``__add__`` and
    ``__mul__`` are these, the hottest code of a forward pass (one call, no table lookups)."""
    forward = prim.floats
    both_nodes, number_second = prim.scalar_ops()[:2]
    assert forward is not None

    def method(a: Value, b: Any) -> Any:
        cls = b.__class__
        if cls is Value or (cls is not float and isinstance(b, Value)):
            data = forward(a.data, b.data)
            op = both_nodes
        else:
            if cls is not float:
                try:
                    b = _number(b)
                except ValueError as err:
                    raise ValueError(f"{prim.name}: {err}") from None
                if b is None:
                    return NotImplemented
            data = forward(a.data, b)
            op = number_second
        v = _new(Value)
        v.data = data
        v.grad = 0.0
        v.label = ""
        v._op = op
        v._a = a
        v._b = b
        if Modes.special:  # some thread has grad mode off or anomaly detection on
            _special(v)
        return v

    method.__name__ = method.__qualname__ = f"{prim.name} (from its definition)"
    return method


def _node(data: float, op: Op, a: Any, b: Any = None) -> Value:
    """A result node (or, under no_grad, a leaf that remembers nothing)."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v._op = op
    v._a = a
    v._b = b
    if Modes.special:
        _special(v)
    return v


def _special(v: Value) -> None:
    """A new node in a thread where grad mode is off (it becomes a leaf that remembers nothing)
    or anomaly detection is on (it is checked)."""
    if Modes.anomaly():
        check_new_node(v)
    if not Modes.recording():
        v._op = NO_GRAPH
        v._a = v._b = None


_pow_nodes = _binary_method(POW)  # x ** y for two Values (after the check of the base)


def _power_op(k: float) -> Op:
    """The op of ``x ** k`` for a number k, named as micrograd names it: ``'**2'``."""
    op = POW._named_ops.get(k)
    if op is None:
        op = scalar_op(POW, (1,), f"**{k:g}")
        if len(POW._named_ops) < 1024:  # the usual few exponents; not a leak for a sweep over k
            POW._named_ops[k] = op
    return op


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

    # Small and cycle-free: the operands sit in two slots (no tuple, no closure), the rule on a
    # shared Op. One object per node keeps memory low and the garbage collector's work small.
    # An operand slot holds a Value, a float (a number operand: a constant) or None.
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b")
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * Value works
    _ZERO_GRAD = 0.0

    data: float
    grad: float
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
        if not isinstance(_op, str) or not isinstance(label, str):
            bad = "_op" if not isinstance(_op, str) else "label"
            raise TypeError(
                f"Value: {bad} must be a str, got {type(_op if bad == '_op' else label).__name__}"
            )
        self.data = value
        self.grad = 0.0
        self.label = label
        # A node built by hand (micrograd's lecture does) is drawn with its children, but no
        # rule passes a gradient through it, as in micrograd until _backward is set.
        self._op = Op(_op) if children or _op else ""
        self._a, self._b = (children + (None, None))[:2]

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # --- primitives: one line each over their definitions -------------------------------------

    __add__ = __radd__ = _binary_method(ADD)  # both commute: 2 * x is recorded as x * 2
    __mul__ = __rmul__ = _binary_method(MUL)

    def __pow__(self, other: Any) -> Value:
        """``x ** k``. With a number k, any real result; with a Value exponent the base must not
        be negative (the derivative in the exponent, out·log(base), is not real there), and at
        base 0 that derivative is taken as 0. Raises ValueError rather than return a complex or
        NaN, and ZeroDivisionError for 0 to a negative power, as Python floats do.

        >>> (Value(3.0) ** 2).data, (Value(4.0) ** Value(0.5)).data, (Value(3.0) ** 2)._op
        (9.0, 2.0, '**2')
        """
        if isinstance(other, Value):
            if self.data < 0:
                raise ValueError(
                    f"pow: base {self.data!r} is negative; a Value exponent needs a base >= 0 "
                    "(use a number exponent for powers of negative numbers)"
                )
            return _pow_nodes(self, other)
        k = _number(other)
        if k is None:
            return NotImplemented
        return _node(POW.floats(self.data, k), _power_op(k), self, k)

    def __rpow__(self, other: Any) -> Value:
        k = _number(other)
        if k is None:
            return NotImplemented
        if k < 0:
            raise ValueError(f"pow: base {k!r} is negative; a Value exponent needs a base >= 0")
        return _node(POW.floats(k, self.data), POW.scalar_ops()[2], k, self)

    @staticmethod
    def _power(a: Any, k: Any) -> Value:
        """``autograd.primitive.power`` on Values (a rule's k·a^(k-1) run with create_graph): the
        ``**`` node, but with IEEE's answer at a singularity (0 to a negative power is inf), as a
        derivative there is, rather than Python's exception."""
        if isinstance(a, Value) and isinstance(k, Value):
            return _node(float_power(a.data, k.data), POW.scalar_ops()[0], a, k)
        if isinstance(a, Value):
            return _node(float_power(a.data, float(k)), _power_op(float(k)), a, float(k))
        return _node(float_power(float(a), k.data), POW.scalar_ops()[2], float(a), k)

    def _apply1(self, prim: Primitive) -> Value:
        """A unary primitive: the fast path of ``exp``, ``tanh``, ``relu``, ..."""
        return _node(prim.floats(self.data), (prim._scalar_ops or prim.scalar_ops())[0], self)

    @staticmethod
    def _apply(prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Value:
        """Any primitive on Values and numbers (how ``prim(x)`` records a node)."""
        if params:
            raise TypeError(f"{prim.name}: a Value op takes no parameters; pass numbers as operands")
        if prim.floats is None:
            raise TypeError(f"{prim.name}: defined for Tensors only (no forward on floats)")
        if prim.arity > 2:
            raise TypeError(f"{prim.name}: a Value node holds at most two operands, this takes {prim.arity}")
        raw, consts = [], []
        for i, x in enumerate(operands):
            if isinstance(x, Value):
                raw.append(x.data)
                continue
            k = _number(x)
            if k is None:
                raise TypeError(f"{prim.name}: operands must be Values or numbers, got {type(x).__name__}")
            raw.append(k)
            consts.append(i)
        op = next(op for op in prim.scalar_ops() if list(op.consts) == consts)
        args = [x if i not in consts else r for i, (x, r) in enumerate(zip(operands, raw))]
        return _node(prim.floats(*raw), op, *args)

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
        return self.data

    def item(self) -> float:
        """The float it holds (as ``Tensor.item()``)."""
        return self.data

    # --- the graph ----------------------------------------------------------------------------

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The Values this one was computed from (empty for a leaf)."""
        return tuple(x for x in (self._a, self._b) if x is not None and x.__class__ is not float)

    @staticmethod
    def _toposort(roots: list[Value]) -> list[Value]:
        """`autograd.engine.toposort` for a graph of Values, in the same order, reading the two
        operand slots directly: building a ``_prev`` tuple for every node would cost a third of a
        scalar backward pass. The engine uses it for Value roots."""
        order: list[Value] = []
        seen: set[Value] = set()
        for root in reversed(roots):
            if root in seen:
                continue
            seen.add(root)
            stack = [root]
            while stack:
                v = stack[-1]
                b = v._b  # the last operand first, as engine.toposort visits them
                if b is not None and b.__class__ is not float and b not in seen:  # a Value
                    seen.add(b)
                    stack.append(b)
                    continue
                a = v._a
                if a is not None and a.__class__ is not float and a not in seen:
                    seen.add(a)
                    stack.append(a)
                    continue
                stack.pop()
                order.append(v)
        return order

    @property
    def _args(self) -> tuple[Any, ...]:
        """The op's operands in order: Values and plain numbers."""
        op = self._op
        prim = getattr(op, "primitive", None)
        n = prim.arity if prim is not None else len(self._prev)
        return (self._a, self._b)[:n]

    @property
    def requires_grad(self) -> bool:
        """Always True: every Value takes part in differentiation (as micrograd)."""
        return True

    def _backward(self) -> None:
        """Add ``self.grad`` times each local derivative into the inputs' ``.grad`` (micrograd's
        ``_backward``: the lecture calls it by hand, node by node)."""
        op = self._op
        if op:
            op.send(self)  # type: ignore[attr-defined]

    def backward(self, grad: float = 1.0) -> None:
        """Add d(self)/d(node) into ``.grad`` of every node this Value was computed from.

        Gradients add up over repeated calls (zero them between steps), as in PyTorch.
        """
        engine.backward(self, grad)

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from the graph."""
        return Value(self.data, label=self.label)

    # The rest of the engine's node protocol (see autograd.engine).

    def _vjp(self, g: Any, create_graph: bool) -> list[Any]:
        """The gradients for each node of ``_prev`` given ``g``, by the op's rules: on floats, or
        on the nodes themselves (``create_graph``) so that the gradients are graphs too."""
        op = self._op
        prim = getattr(op, "primitive", None)
        prev = self._prev
        if prim is None:
            return [None] * len(prev)
        args = self._args
        operands: tuple[Any, ...] = args
        out: Any = self
        if not create_graph:
            operands, out = tuple(x.data if isinstance(x, Value) else x for x in args), self.data
        return [
            prim.rules[i](g, out, *operands) if prim.rules[i] is not None else None
            for i, x in enumerate(args)
            if isinstance(x, Value)
        ]

    def _accumulate(self, g: Any) -> None:
        self.grad += g

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

    def _zeros(self) -> float:
        return 0.0

    def _detached(self, raw: Any) -> Value:
        return raw if isinstance(raw, Value) else Value(raw)


def _as_float(x: Any, op: str) -> float:
    if isinstance(x, Value):
        return x.data
    k = _number(x)
    if k is None:
        raise TypeError(f"'{op}' not supported between Value and {type(x).__name__}")
    return k

"""`Tensor`: a numpy array that remembers how it was computed, on the same engine as `Value`.

Each primitive has one forward (numpy) and one derivative rule per input. The elementwise ones
(``+ * ** exp log tanh sigmoid relu erf``) take their rules from the table in `autograd.ops`,
shared with `Value`; the Tensor-only ones (matmul, reductions, shape, indexing, softmax) have theirs
in the table below, written the same way: ``rule(g, out, *inputs, *params)`` gets the gradient
``g`` of the final output with respect to the op's result ``out`` and returns the gradient with
respect to one input. The same rule serves both kinds of backward pass:

- first order (``backward()``, ``grad()``): ``g``, ``out`` and the inputs are raw ndarrays: fast;
- higher order (``grad(..., create_graph=True)``): they are `Tensor` nodes, so the gradient is
  itself a graph that can be differentiated again (Hessian-vector products).

So rules use only arithmetic, methods ndarray and Tensor share (``sum``, ``reshape``,
``transpose``) and small helpers (``_unreduce``, ``_expand``, ``_scatter`` here, ``exp`` and
friends in `autograd.ops`). A rule may return a gradient of the broadcast shape: `Tensor._vjp`
sums it back to the input's shape in one place (`_sum_to`). A rule runs only for inputs that
require grad.

Decisions worth knowing:

- Python lists and numbers become float64; ndarrays keep their dtype and are not copied. A plain
  number in arithmetic (``2 * t``) is a parameter of the op, not a node, and numpy treats it as
  weakly typed, so float32 stays float32 (numpy float64 scalars are turned into Python floats).
- Integer and bool Tensors (class indices, masks) are allowed but cannot require grad.
- `Tensor` and `Value` do not mix: arithmetic between them raises TypeError (use ``v.data``).
- After ``backward()``, a leaf's ``.grad`` is its own writable array (optimizers update it in
  place). An intermediate result keeps its ``.grad`` too (graph pictures show it), the engine's
  own array, which may be shared with a neighbour's (``+`` passes its gradient on unchanged):
  read it, do not change it in place.
- ``log`` of a value <= 0 raises ValueError, as `Value.log` does; ``x ** y`` likewise refuses a
  negative base with a fractional or differentiated exponent rather than return NaN.
- ``max`` splits the gradient equally among tied maxima (as ``torch.amax``).
- ``x * x`` (the same Tensor twice) is recorded as ``x ** 2``, one input: its backward pass is one
  product, not two products and a sum (the L2 term ``(p * p).sum()`` is written that way). Pictures
  show it as ``**2``.

>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
array([[2., 4.],
       [6., 8.]])
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Iterator
from typing import Any, Union

import numpy as np

from autograd import engine
from autograd.engine import _GradMode
from autograd.ops import (
    ADD,
    ADD_NUMBER,
    ERF,
    EXP,
    LOG,
    MUL,
    MUL_NUMBER,
    POW,
    POW_NUMBER,
    RELU,
    SIGMOID,
    TANH,
    Op,
    exp,
    raw,
)
from autograd.value import Value

__all__ = ["Tensor"]

Operand = Union["Tensor", float, int, np.ndarray]
Axis = int | tuple[int, ...] | list[int] | None


def _unreduce(g: Any, kshape: tuple[int, ...]) -> Any:
    """A reduction's gradient with the reduced axes put back as 1s (``kshape``), so that it
    broadcasts against the input. A 0-d one (all axes reduced) already does and is left as it is
    (reshaping a numpy scalar takes 0.7 us, twice a small add)."""
    return g.reshape(kshape) if g.ndim else g


def _expand(x: Any, shape: tuple[int, ...]) -> Any:
    """Broadcast x to shape: a new array (np.broadcast_to costs 5x more for small ones), or a
    differentiable op for Tensors."""
    if isinstance(x, Tensor):
        return x._broadcast_to(shape)
    out = np.empty(shape, dtype=x.dtype)
    out[...] = x
    return out


def _scatter(g: Any, index: Any, shape: tuple[int, ...], repeats: bool) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices add up): indexing's adjoint."""
    if isinstance(g, Tensor):
        return g._scatter(index, shape, repeats)
    out = np.zeros(shape, dtype=g.dtype)
    if repeats:  # integer arrays may repeat an index: each occurrence must add
        np.add.at(out, index, g)
    else:  # slices, ints and masks never do: plain assignment is much faster
        out[index] = g
    return out


def _swap_last(x: Any) -> Any:
    """The matrix transpose of each matrix in a stack (the last two axes)."""
    if x.ndim == 2:
        return x.T
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return x.transpose(tuple(axes))


def _matmul_grads_setup(g: Any, a: Any, b: Any) -> tuple[Any, Any, Any]:
    """Treat a 1-D operand as a matrix (a row on the left, a column on the right) and shape g to
    match, so the usual G·Bᵀ and Aᵀ·G rules apply."""
    if a.ndim == 1:
        a = a.reshape((1, a.shape[0]))
        g = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:]) if b.ndim > 1 else g.reshape(g.shape + (1,))
    if b.ndim == 1:
        b = b.reshape((b.shape[0], 1))
        g = g.reshape(g.shape + (1,))
    return g, a, b


def _matmul_grad_a(g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim > 1 and b.ndim > 1:
        return g @ _swap_last(b)
    g, _, b2 = _matmul_grads_setup(g, a, b)
    return g @ _swap_last(b2)  # (..., 1, k) for a 1-D a: _sum_to drops the batch axes and the 1


def _matmul_grad_b(g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim > 1 and b.ndim > 1:
        return _swap_last(a) @ g
    g, a2, b2 = _matmul_grads_setup(g, a, b)
    gb = _swap_last(a2) @ g
    return gb.reshape(gb.shape[:-1]) if b.ndim == 1 else gb  # drop the column axis added for b


def _ties(a: Any, out: Any, axes: tuple[int, ...], kshape: tuple[int, ...]) -> np.ndarray:
    """1/k at each of the k tied maxima of a reduced slice, 0 elsewhere (a constant)."""
    a, out = raw(a), raw(out)
    mask = a == out.reshape(kshape)
    return (mask / mask.sum(axis=axes, keepdims=True)).astype(a.dtype, copy=False)


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)

# --- the Tensor-only primitives: one rule per input, (g, out, *inputs, *params) -> gradient ----
MATMUL = Op("@", _matmul_grad_a, _matmul_grad_b)
# Reductions keep as params the shape with the reduced axes kept as 1 (and max the axes).
SUM = Op("sum", lambda g, out, a, kshape: _expand(_unreduce(g, kshape), a.shape))
MAX = Op("max", lambda g, out, a, axes, kshape: _unreduce(g, kshape) * _ties(a, out, axes, kshape))
RESHAPE = Op("reshape", lambda g, out, a: g.reshape(a.shape))
TRANSPOSE = Op("transpose", lambda g, out, a, inverse: g.transpose(inverse))
BROADCAST = Op("broadcast", lambda g, out, a, shape: g)  # _sum_to sums it back to a's shape
GETITEM = Op("[]", lambda g, out, a, index, repeats: _scatter(g, index, a.shape, repeats))
SCATTER = Op("scatter", lambda g, out, a, index, shape, repeats: g[index])
SOFTMAX = Op("softmax", lambda g, out, a, axis: out * (g - (g * out).sum(axis=axis, keepdims=True)))
LOG_SOFTMAX = Op("log_softmax", lambda g, out, a, axis: g - exp(out) * g.sum(axis=axis, keepdims=True))


def _sum_to(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum a broadcast gradient back to an input's shape: the one place broadcasting is undone."""
    lead = g.ndim - len(shape)
    if lead:  # axes broadcasting put in front
        g = g.sum(axis=0) if lead == 1 else g.sum(axis=tuple(range(lead)))
    if g.shape == shape:
        return g
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=stretched, keepdims=True) if stretched else g


# --- making nodes ----------------------------------------------------------------------------

_new = object.__new__
_ndarray = np.ndarray
_asarray = np.asarray
_add_reduce = np.add.reduce  # ndarray.sum without its Python wrapper


def _node1(data: Any, op: Op, a: Tensor, params: tuple[Any, ...] = ()) -> Tensor:
    """The result of a one-input op, without __init__'s checks (``data`` comes from numpy).

    It records its input only when that requires grad and grad mode is on.
    """
    t = _new(Tensor)
    t.data = data if data.__class__ is _ndarray else _asarray(data)  # numpy returns scalars for 0-d
    t.grad = None
    t.label = ""
    if a.requires_grad and _GradMode.enabled:
        t.requires_grad = True
        t._prev = (a,)
        t._op = op
        t._params = params
    else:
        t.requires_grad = False
        t._prev = t._params = ()
        t._op = None
    return t


def _node2(data: Any, op: Op, a: Tensor, b: Tensor) -> Tensor:
    """The result of a two-input op, as `_node1`."""
    t = _new(Tensor)
    t.data = data if data.__class__ is _ndarray else _asarray(data)
    t.grad = None
    t.label = ""
    if (a.requires_grad or b.requires_grad) and _GradMode.enabled:
        t.requires_grad = True
        t._prev = (a, b)
        t._op = op
    else:
        t.requires_grad = False
        t._prev = ()
        t._op = None
    t._params = ()
    return t


def _scalar(data: np.ndarray) -> Any:
    """A 0-d array as its numpy scalar, other arrays as they are: numpy takes 0.5 us for a 0-d
    array with a Python number (``loss * 1e-4``), eight times what the scalar takes."""
    return data if data.ndim else data[()]


def _leaf(data: np.ndarray) -> Tensor:
    t = _new(Tensor)
    t.data, t.grad, t.label, t.requires_grad, t._prev, t._op, t._params = data, None, "", False, (), None, ()
    return t


def _as_number(x: Any) -> float | int | None:
    """x as a plain Python number if it is a real number (numpy scalars too, but not bools), else
    None. Python numbers are weakly typed in numpy: float32 * 2.0 stays float32."""
    cls = x.__class__
    if cls is float or cls is int:
        return x
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, (numbers.Real, np.floating)) and not isinstance(x, bool):
        return float(x)
    return None


def _operand(x: Any, op: str) -> Any:
    """A non-number operand of a binary op as a Tensor, or NotImplemented (Python then says no)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{op}: cannot combine a Tensor with an array of {x.dtype}")
        return _leaf(x)
    if isinstance(x, Value):
        raise TypeError(
            f"{op}: cannot mix Tensor and Value; use Values throughout, or Tensor(value.data) for a constant"
        )
    return NotImplemented


def _constant(k: float | int, like: Tensor) -> Tensor:
    """A number as a 0-d leaf, in like's float dtype (for the rare ops that need it as a node)."""
    dtype = like.data.dtype
    return _leaf(np.array(k, dtype=dtype) if dtype.kind == "f" else np.array(k))


def _arith(name: str, op: Op, number_op: Op, fn: Callable[[Any, Any], Any], a: Tensor, b: Any) -> Any:
    """``fn(a, b)`` for a Tensor a and b a Tensor, an ndarray or a number (kept as the op's
    parameter, not made a node)."""
    if b.__class__ is not Tensor:
        k = _as_number(b)
        if k is not None:
            return _node1(fn(a.data, k), number_op, a, (k,))
        b = _operand(b, name)
        if b is NotImplemented:
            return b
    try:
        data = fn(a.data, b.data)
    except ValueError:
        raise _no_broadcast(name, a, b) from None
    return _node2(data, op, a, b)


def _no_broadcast(name: str, a: Tensor, b: Tensor) -> ValueError:
    return ValueError(f"{name}: shapes {a.shape} and {b.shape} do not broadcast")


def _axes(op: str, axis: Axis, ndim: int) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes; ValueError naming ``op`` if out of range."""
    if axis is None:
        return tuple(range(ndim))
    items = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for ax in items:
        if isinstance(ax, (bool, np.bool_)) or not isinstance(ax, (int, np.integer)):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {type(ax).__name__}")
        if not -ndim <= ax < ndim:
            raise ValueError(f"{op}: axis {ax} is out of range for a tensor with {ndim} dimensions")
        out.append(int(ax) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(out))


def _one_axis(op: str, axis: Any, ndim: int) -> int:
    """A single axis (softmax normalises along one), checked as `_axes` checks it."""
    if axis is None or isinstance(axis, (tuple, list)):
        raise TypeError(f"{op}: axis must be one int, got {axis!r}")
    return _axes(op, axis, ndim)[0]


def _index(op: str, index: Any) -> tuple[Any, bool]:
    """An index with Tensors replaced by their arrays, and whether it may repeat an element."""
    items = index if isinstance(index, tuple) else (index,)
    clean, repeats = [], False
    for item in items:
        if isinstance(item, Tensor):
            item = item.data
        elif isinstance(item, list):
            item = np.asarray(item)
        if isinstance(item, np.ndarray):
            if item.dtype.kind not in "biu":
                raise TypeError(f"{op}: index arrays must be integers or booleans, got {item.dtype}")
            repeats = repeats or item.dtype.kind != "b"
        clean.append(item)
    return (tuple(clean) if isinstance(index, tuple) else clean[0]), repeats


class Tensor:
    """An n-dimensional array node of the computation graph, backed by numpy.

    ``Tensor(data, requires_grad=False, label="")``: ``data`` is a number, a nested list (both
    become float64) or an ndarray (kept as is, not copied). Attributes: ``data`` the ndarray,
    ``grad`` the gradient of the last ``backward()``'s output with respect to it (None until then;
    repeated backward calls add up), ``requires_grad`` whether gradients flow to it, ``label`` a
    name for pictures. Operators follow numpy broadcasting. Comparisons (``<``, ``==``, ...) give
    bool Tensors and are not differentiated; hashing is by identity.

    >>> w = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label="w")
    >>> x = Tensor([1.0, -1.0])
    >>> loss = (w @ x).relu().sum()
    >>> loss.backward()
    >>> loss.item(), w.grad.tolist()
    (0.0, [[0.0, 0.0], [0.0, 0.0]])
    """

    __slots__ = ("data", "grad", "requires_grad", "label", "_prev", "_op", "_params")
    __array_ufunc__ = None  # numpy defers to our reflected operators: ndarray + Tensor works

    data: np.ndarray
    grad: np.ndarray | None
    requires_grad: bool
    label: str
    _prev: tuple[Tensor, ...]
    _op: Op | None
    _params: tuple[Any, ...]

    def __init__(self, data: Any, requires_grad: bool = False, label: str = "") -> None:
        arr = _to_array(data)
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"Tensor: requires_grad must be a bool, got {type(requires_grad).__name__}")
        if requires_grad and arr.dtype.kind != "f":
            raise TypeError(f"Tensor: only floating-point tensors can require grad, got {arr.dtype}")
        if not isinstance(label, str):
            raise TypeError(f"Tensor: label must be a str, got {type(label).__name__}")
        self.data = arr
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.label = label
        self._prev = ()
        self._op = None
        self._params = ()

    # --- plain array facts --------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    def __len__(self) -> int:
        if not self.data.ndim:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        """The sub-tensors along the first axis (each a differentiable ``self[i]``)."""
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        return bool(self.data)  # numpy's rule: only a one-element tensor has a truth value

    def __float__(self) -> float:
        return float(self.item())

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None or dtype == self.data.dtype:
            return self.data.copy() if copy else self.data
        return self.data.astype(dtype)

    def numpy(self) -> np.ndarray:
        """The data array itself (shared, not copied)."""
        return self.data

    def item(self) -> float | int | bool:
        """The single element as a Python number.

        >>> Tensor([[2.5]]).item()
        2.5
        """
        if self.data.size != 1:
            raise ValueError(f"item: the tensor has {self.data.size} elements (shape {self.shape}), not 1")
        return self.data.item()

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = "" if self.data.dtype == np.float64 else f", dtype={self.data.dtype}"
        extra += ", requires_grad=True" if self.requires_grad else ""
        extra += f", label={self.label!r}" if self.label else ""
        return f"Tensor({body}{extra})"

    # --- elementwise arithmetic (broadcasting) -------------------------------------------------

    # + and * are the hottest ops: their usual cases (a Tensor, a Python number) skip _arith's checks.

    def __add__(self, other: Operand) -> Tensor:
        cls = other.__class__
        if cls is Tensor:
            try:
                data = self.data + other.data  # type: ignore[union-attr]
            except ValueError:
                raise _no_broadcast("add", self, other) from None  # type: ignore[arg-type]
            return _node2(data, ADD, self, other)  # type: ignore[arg-type]
        if cls is float or cls is int:
            return _node1(_scalar(self.data) + other, ADD_NUMBER, self, (other,))
        return _arith("add", ADD, ADD_NUMBER, operator.add, self, other)

    def __mul__(self, other: Operand) -> Tensor:
        if other is self:  # x * x is recorded as x ** 2: one gradient product, not two and a sum
            return _node1(self.data * self.data, POW_NUMBER, self, (2,))
        cls = other.__class__
        if cls is Tensor:
            try:
                data = self.data * other.data  # type: ignore[union-attr]
            except ValueError:
                raise _no_broadcast("mul", self, other) from None  # type: ignore[arg-type]
            return _node2(data, MUL, self, other)  # type: ignore[arg-type]
        if cls is float or cls is int:
            return _node1(_scalar(self.data) * other, MUL_NUMBER, self, (other,))
        return _arith("mul", MUL, MUL_NUMBER, operator.mul, self, other)

    __radd__ = __add__  # commutative: a number + Tensor is Tensor + the number
    __rmul__ = __mul__

    def __pow__(self, other: Operand) -> Tensor:
        """``x ** y``, y a number or a Tensor. A negative base is refused (ValueError) with a
        fractional exponent, or with an exponent that requires grad (its derivative, out·log x,
        is not real there); 0 to a negative power is inf, as in numpy.

        >>> (Tensor([1.0, 2.0, 3.0]) ** 2).data
        array([1., 4., 9.])
        """
        k = _as_number(other)
        if k is not None:
            return _power(self, k)
        b = _operand(other, "pow")
        return b if b is NotImplemented else _power(self, b)

    def __rpow__(self, other: Operand) -> Tensor:
        k = _as_number(other)
        base = _constant(k, self) if k is not None else _operand(other, "pow")
        return base if base is NotImplemented else _power(base, self)

    def __matmul__(self, other: Operand) -> Tensor:
        """Matrix product as ``np.matmul``: 1-D, 2-D and batched (..., n, k) @ (..., k, m).

        >>> (Tensor([[1.0, 2.0]]) @ Tensor([[3.0], [4.0]])).data
        array([[11.]])
        """
        b = _operand(other, "matmul")
        return b if b is NotImplemented else _matmul(self, b)

    def __rmatmul__(self, other: Operand) -> Tensor:
        a = _operand(other, "matmul")
        return a if a is NotImplemented else _matmul(a, self)

    # Composites, built from the primitives above: no rules of their own.

    def __neg__(self) -> Tensor:
        return self * -1

    def __sub__(self, other: Operand) -> Tensor:
        k = _as_number(other)
        if k is not None:
            return self + (-k)
        b = _operand(other, "sub")
        return b if b is NotImplemented else self + (-b)

    def __rsub__(self, other: Operand) -> Tensor:
        return (-self) + other

    def __truediv__(self, other: Operand) -> Tensor:
        k = _as_number(other)
        if k is not None:
            return self * _reciprocal(k)
        b = _operand(other, "div")
        return b if b is NotImplemented else self * b**-1

    def __rtruediv__(self, other: Operand) -> Tensor:
        return self**-1 * other

    # --- unary functions ---------------------------------------------------------------------

    def exp(self) -> Tensor:
        """e ** x elementwise (inf where it overflows, as numpy)."""
        return _node1(np.exp(self.data), EXP, self)

    def log(self) -> Tensor:
        """Natural logarithm. ValueError if any element is <= 0 (not a real number there).

        >>> Tensor([1.0, math.e]).log().data
        array([0., 1.])
        """
        bad = self.data <= 0
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"log: input must be positive, got {self.data[where].item()!r} at index {where} "
                f"({int(bad.sum())} of {self.data.size} elements are <= 0)"
            )
        return _node1(np.log(self.data), LOG, self)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent elementwise."""
        return _node1(np.tanh(self.data), TANH, self)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e^-x) elementwise, computed so that nothing overflows (sigmoid(-1000) is 0).

        >>> Tensor([-1000.0, 0.0, 1000.0]).sigmoid().data
        array([0. , 0.5, 1. ])
        """
        x = self.data
        e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
        return _node1(np.where(x >= 0, 1 / (1 + e), e / (1 + e)), SIGMOID, self)

    def relu(self) -> Tensor:
        """max(0, x) elementwise; the derivative at 0 is taken as 0, as in PyTorch."""
        return _node1(np.maximum(self.data, 0), RELU, self)

    def erf(self) -> Tensor:
        """The error function elementwise (``math.erf`` per element: exact, not fast)."""
        return _node1(_erf(self.data), ERF, self)

    def gelu(self, approximate: str = "none") -> Tensor:
        """x·Φ(x): exact (erf) by default, or the tanh form with ``approximate="tanh"``, as PyTorch.

        >>> Tensor([1.0]).gelu().data.round(4)
        array([0.8413])
        """
        if approximate == "none":
            return 0.5 * self * (1 + (self * (1 / math.sqrt(2.0))).erf())
        if approximate == "tanh":
            return 0.5 * self * (1 + (_SQRT_2_OVER_PI * (self + 0.044715 * self**3)).tanh())
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")

    # --- reductions --------------------------------------------------------------------------

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (an int, a tuple, or None for all; negative axes count from the end).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0).data
        array([4., 6.])
        """
        data = self.data
        if axis is None and not keepdims:  # the common case, without the axis bookkeeping
            return _node1(_add_reduce(data, None), SUM, self, ((1,) * data.ndim,))
        axes = _axes("sum", axis, data.ndim)
        kshape = tuple(1 if i in axes else n for i, n in enumerate(data.shape))
        return _node1(data.sum(axis=axes, keepdims=keepdims), SUM, self, (kshape,))

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis``, as `sum` over the count.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1).data
        array([1.5, 3.5])
        """
        if axis is None:
            count = self.data.size
        else:
            count = math.prod(self.data.shape[i] for i in _axes("mean", axis, self.data.ndim))
        return self.sum(axis, keepdims) * (1.0 / count if count else math.nan)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Maximum over ``axis``. The gradient goes to the arg-max; k tied maxima get 1/k each.

        >>> x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
        >>> x.max().backward()
        >>> x.grad
        array([0. , 0.5, 0.5])
        """
        axes = _axes("max", axis, self.data.ndim)
        if self.data.size == 0:
            raise ValueError(f"max: cannot take the max of an empty tensor, shape {self.shape}")
        kshape = tuple(1 if i in axes else n for i, n in enumerate(self.data.shape))
        return _node1(self.data.max(axis=axes, keepdims=keepdims), MAX, self, (axes, kshape))

    def softmax(self, axis: int = -1) -> Tensor:
        """exp(x) / Σ exp(x) along ``axis``, shifted by the max first so that nothing overflows.

        >>> Tensor([1000.0, 1000.0]).softmax().data
        array([0.5, 0.5])
        """
        ax = _one_axis("softmax", axis, self.data.ndim)
        e = np.exp(self.data - self.data.max(axis=ax, keepdims=True))
        return _node1(e / e.sum(axis=ax, keepdims=True), SOFTMAX, self, (ax,))

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x - log Σ exp(x) along ``axis``, computed stably (finite for logits of 1e4).

        >>> Tensor([0.0, 1e4]).log_softmax().data
        array([-10000.,      0.])
        """
        ax = _one_axis("log_softmax", axis, self.data.ndim)
        z = self.data - self.data.max(axis=ax, keepdims=True)
        return _node1(z - np.log(np.exp(z).sum(axis=ax, keepdims=True)), LOG_SOFTMAX, self, (ax,))

    # --- shape ---------------------------------------------------------------------------------

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (one dimension may be -1), as ``ndarray.reshape``.

        >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2).shape
        (2, 2)
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            data = self.data.reshape(shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape shape {self.shape} ({self.data.size} elements) into {shape}"
            ) from None
        except TypeError:
            raise TypeError(f"reshape: the shape must be ints, got {shape!r}") from None
        return _node1(data, RESHAPE, self)

    def transpose(self, *axes: Any) -> Tensor:
        """Permute the axes (all reversed when none are given), as ``ndarray.transpose``.

        >>> Tensor(np.zeros((2, 3, 4))).transpose(2, 0, 1).shape
        (4, 2, 3)
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        ndim = self.data.ndim
        axes = axes or tuple(range(ndim - 1, -1, -1))
        if len(axes) != ndim:
            raise ValueError(f"transpose: {len(axes)} axes given for shape {self.shape}, need {ndim}")
        _axes("transpose", axes, ndim)  # ints, in range, none repeated: a permutation
        axes = tuple(int(a) % ndim for a in axes)
        inverse = tuple(int(i) for i in np.argsort(axes))
        return _node1(self.data.transpose(axes), TRANSPOSE, self, (inverse,))

    @property
    def T(self) -> Tensor:
        """All axes reversed (the matrix transpose for 2-D)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        """numpy indexing: ints, slices, None, ..., integer arrays and boolean masks. Gradients of
        repeated indices add up.

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> x[[0, 0, 2]].sum().backward()
        >>> x.grad
        array([2., 0., 1.])
        """
        index, repeats = _index("index", index)
        try:
            data = self.data[index]
        except IndexError as e:
            raise IndexError(f"index: {e} (tensor shape {self.shape})") from None
        return _node1(data, GETITEM, self, (index, repeats))

    def _broadcast_to(self, shape: tuple[int, ...]) -> Tensor:
        return _node1(np.broadcast_to(self.data, shape), BROADCAST, self, (shape,))

    def _scatter(self, index: Any, shape: tuple[int, ...], repeats: bool) -> Tensor:
        return _node1(_scatter(self.data, index, shape, repeats), SCATTER, self, (index, shape, repeats))

    # --- comparisons: elementwise bool Tensors, not differentiated -------------------------------

    def _compare(self, other: Any, fn: Callable[[Any, Any], Any]) -> Any:
        if isinstance(other, Value):
            raise TypeError("compare: cannot compare a Tensor with a Value; use value.data")
        other = other.data if isinstance(other, Tensor) else other
        if not isinstance(other, (np.ndarray, numbers.Real, np.number, np.bool_)):
            return NotImplemented
        return _leaf(_asarray(fn(self.data, other)))

    def __eq__(self, other: object) -> Any:
        return self._compare(other, lambda a, b: a == b)

    def __ne__(self, other: object) -> Any:
        return self._compare(other, lambda a, b: a != b)

    def __lt__(self, other: Operand) -> Any:
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other: Operand) -> Any:
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other: Operand) -> Any:
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other: Operand) -> Any:
        return self._compare(other, lambda a, b: a >= b)

    __hash__ = object.__hash__  # by identity: nodes are dictionary keys in the engine

    # --- backward ------------------------------------------------------------------------------

    def backward(self, grad: Any = None) -> None:
        """Add d(self)/d(node) into ``.grad`` of every node this Tensor was computed from.

        ``grad`` is the gradient to start from: needed (with this Tensor's shape) unless the
        Tensor has a single element. Gradients add up over repeated calls, as in PyTorch.
        """
        engine.backward(self, grad)

    def detach(self) -> Tensor:
        """A new leaf sharing this data, cut off from the graph."""
        return _leaf(self.data)

    # The engine's node protocol (see autograd.engine).

    def _vjp(self, g: Any, create_graph: bool) -> tuple[Any, ...]:
        prev = self._prev
        rules = self._op.rules  # type: ignore[union-attr]  # only nodes with inputs are asked
        if len(prev) == 1:  # the one input requires grad: that is why this node was recorded
            a = prev[0]
            if create_graph:
                ga = rules[0](g, self, a, *self._params)
            else:
                ga = rules[0](g, self.data, a.data, *self._params)
            if ga.shape != a.data.shape:
                ga = _sum_to(ga, a.data.shape)
            return (ga,)
        a, b = prev
        out: Any
        ad: Any
        bd: Any
        if create_graph:
            out, ad, bd = self, a, b
        else:
            out, ad, bd = self.data, a.data, b.data
        ga = gb = None
        if a.requires_grad:  # never compute a gradient nobody needs (e.g. a matmul's data input)
            ga = rules[0](g, out, ad, bd)
            if ga.shape != ad.shape:
                ga = _sum_to(ga, ad.shape)
        if b.requires_grad:
            gb = rules[1](g, out, ad, bd)
            if gb.shape != bd.shape:
                gb = _sum_to(gb, bd.shape)
        return ga, gb

    def _accumulate(self, g: Any) -> None:
        old = self.grad
        dtype = self.data.dtype
        if self._prev:
            # An intermediate result keeps the engine's array as it is (no copy; read it, do not
            # change it in place): 0-d results come back from numpy as scalars, so make them arrays.
            if old is not None:
                g = old + g
            if g.__class__ is not _ndarray or g.dtype != dtype:
                g = _asarray(g, dtype)
            self.grad = g
        else:
            # A leaf gets its own array (optimizers update .grad in place), never one the engine
            # may share with other nodes' .grad (+ passes its gradient on unchanged). astype
            # copies, at half np.array's cost for a small matrix; a scalar needs np.array.
            if old is not None:
                self.grad = np.add(old, g, dtype=dtype)
            elif g.__class__ is _ndarray:
                self.grad = g.astype(dtype)
            else:
                self.grad = np.array(g, dtype=dtype)

    def _seed(self, g: Any, create_graph: bool) -> Any:
        if not self.requires_grad:
            raise ValueError(
                "backward: this tensor does not require grad (no input it was computed from has "
                "requires_grad=True, or it was computed under no_grad)"
            )
        dtype = self.data.dtype
        if g is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward: the output has shape {self.shape}; only a one-element output can start "
                    "from 1, so pass grad= an array of that shape"
                )
            if not create_graph and not self.data.ndim:
                # A 0-d gradient travels as a numpy scalar (np.float64(1.0), say): numpy arithmetic
                # on a 0-d array costs about ten times more. `_accumulate` makes .grad an array.
                return self.data.dtype.type(1)
            raw = np.ones_like(self.data)
        elif isinstance(g, Tensor):
            if g.shape != self.shape:
                raise ValueError(f"backward: grad has shape {g.shape}, expected the output's {self.shape}")
            if create_graph:
                return g
            raw = np.array(g.data, dtype=dtype)
        else:
            raw = _to_array(g, what="backward: grad").astype(dtype)  # a copy: the engine may share it
            if raw.shape != self.shape:
                raise ValueError(f"backward: grad has shape {raw.shape}, expected the output's {self.shape}")
        return _leaf(raw) if create_graph else raw

    def _zeros(self) -> np.ndarray:
        return np.zeros_like(self.data)

    def _detached(self, raw: Any) -> Tensor:
        if isinstance(raw, Tensor):
            return raw
        return _leaf(np.array(raw, dtype=self.data.dtype))  # a copy: the engine's arrays may be shared


def _power(a: Tensor, b: Tensor | float | int) -> Tensor:
    """a ** b with the checks `Tensor.__pow__` documents."""
    base = a.data
    if isinstance(b, Tensor):
        exponent = b.data
        if base.dtype.kind == "f" or exponent.dtype.kind == "f":
            negative = base < 0
            if negative.any():
                if b.requires_grad:
                    raise ValueError(
                        "pow: the base has negative elements; an exponent that requires grad needs a "
                        "base >= 0 (its derivative out·log(base) is not real there)"
                    )
                if (negative & (exponent != np.round(exponent))).any():
                    raise ValueError("pow: negative base with a fractional exponent is not a real number")
        return _arith("pow", POW, POW, operator.pow, a, b)
    if not float(b).is_integer() and (base < 0).any():
        raise ValueError(f"pow: negative base to the fractional power {b!r} is not a real number")
    try:
        data = base**b
    except ValueError as e:  # integer tensors to negative integer powers
        raise ValueError(f"pow: {e}") from None
    return _node1(data, POW_NUMBER, a, (b,))


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    try:
        data = a.data @ b.data
    except ValueError:
        raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not align") from None
    return _node2(data, MATMUL, a, b)


def _reciprocal(k: Any) -> float:
    """1 / k, with 1 / 0 = ±inf as numpy gives for arrays (Python floats would raise)."""
    return 1.0 / k if k != 0 else math.copysign(math.inf, k)


_erf_object = np.frompyfunc(math.erf, 1, 1)


def _erf(x: np.ndarray) -> np.ndarray:
    return np.asarray(_erf_object(x), dtype=x.dtype if x.dtype.kind == "f" else np.float64)


def _to_array(data: Any, what: str = "Tensor") -> np.ndarray:
    """Validate and convert user data: ndarrays keep their dtype, Python numbers and lists become
    float64; strings, objects, complex numbers and ragged lists are refused."""
    if isinstance(data, Tensor):
        return data.data
    if isinstance(data, Value):
        raise TypeError(f"{what}: got a Value; Tensor and Value do not mix (use Tensor(value.data))")
    if isinstance(data, (str, bytes)):
        raise TypeError(f"{what}: data must be numbers, got {type(data).__name__} {data!r}")
    if isinstance(data, (np.ndarray, np.generic)):
        arr = np.asarray(data)
    else:
        try:
            arr = np.array(data)
        except ValueError as e:
            raise ValueError(f"{what}: ragged nested lists (rows of different lengths): {e}") from None
        if arr.dtype.kind in "biuf":
            arr = arr.astype(np.float64)
    if arr.dtype.kind not in "biuf":
        kinds = {"U": "strings", "S": "bytes", "O": "objects", "c": "complex numbers"}
        found = kinds.get(arr.dtype.kind, str(arr.dtype))
        raise TypeError(f"{what}: data must be real numbers (ints, floats or bools), got {found}")
    return arr

"""`Tensor`: a numpy array that remembers how it was computed, on the same engine as `Value`.

Every operation is a primitive defined once (`autograd.ops` for the elementwise ones shared with
`Value`, `autograd.array_ops` for matmul, reductions, shapes, indexing and softmax); the methods
here and in the family mixins (`autograd.tensor_reduce`, `autograd.tensor_shape`) are one line
over those definitions, plus the checks that give clear errors. A node keeps its `Op`, its
operands (``_args``: Tensors and plain numbers), the op's parameters (``_params``: an axis, a
shape) and the Tensors among its operands (``_prev``).

Decisions worth knowing:

- Python lists and numbers become float64; ndarrays keep their dtype and are not copied. A plain
  number in arithmetic (``2 * t``) stays a number, an operand of the op but not a node, and numpy
  treats it as weakly typed, so float32 stays float32.
- Integer and bool Tensors (class indices, masks) are allowed but cannot require grad.
- `Tensor` and `Value` do not mix: arithmetic between them raises TypeError (use ``v.data``).
- After ``backward()``, a leaf's ``.grad`` is its own writable array (optimizers update it in
  place). An intermediate result keeps its ``.grad`` too (graph pictures show it), the engine's
  own array, which may be shared with a neighbour's (``+`` passes its gradient on unchanged):
  read it, do not change it in place.
- ``log`` of a value <= 0 raises ValueError, as `Value.log` does; ``x ** y`` likewise refuses a
  negative base with a fractional or differentiated exponent rather than return NaN.
- ``x * x`` (the same Tensor twice) is recorded as ``x ** 2``, one operand: its backward is one
  product, not two products and a sum (the L2 term ``(p * p).sum()`` is written that way).

>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
Tensor([[2., 4.],
        [6., 8.]])
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd import forward
from autograd.anomaly import check_new_node
from autograd.composite import Composites
from autograd.modes import Modes
from autograd.primitive import _REGISTRY, Op, Primitive
from autograd.tensor_grad import Gradients
from autograd.tensor_inplace import InPlace
from autograd.tensor_numpy import NumpyInterop
from autograd.tensor_reduce import Reductions, one_axis
from autograd.tensor_shape import Shapes
from autograd.value import Value

__all__ = ["Tensor"]

_new = object.__new__
_ndarray = np.ndarray
_asarray = np.asarray
_NO_PARAMS: dict[str, Any] = {}  # shared by every node without params: never changed


def _make(
    data: Any, op: Op, args: tuple[Any, ...], prev: tuple[Tensor, ...], params: Any = _NO_PARAMS
) -> Tensor:
    """A result node of ``op`` on ``args``, of which ``prev`` are the Tensors. It records them
    only if one requires grad and grad mode is on in this thread; otherwise it is a constant leaf."""
    t = _new(Tensor)
    t._data = data if data.__class__ is _ndarray else _asarray(data)  # numpy gives scalars for 0-d
    t._grad = None
    t.label = ""
    for x in prev:
        if x._requires_grad:
            t._requires_grad = True
            t._op, t._prev, t._args, t._params = op, prev, args, params
            return _special(t, args) if Modes.special else t
    t._requires_grad, t._op, t._prev, t._args, t._params = False, "", (), (), _NO_PARAMS
    if Modes.special and Modes.tangents():  # constants carry tangents too in forward mode
        t._op, t._args, t._params = op, args, params
        t = _special(t, args)
        t._op, t._args, t._params = "", (), _NO_PARAMS
    return t


def _special(t: Tensor, args: tuple[Any, ...]) -> Tensor:
    """A new node in a thread where grad mode is off (it becomes a constant leaf), anomaly
    detection is on (it is checked) or forward mode is on (it gets its tangent)."""
    modes = Modes.here()  # this thread's
    if modes.forward and not modes.paused:
        tangent = forward.tangent(t._op, t, args, t._params)
        if tangent is not None:
            t.tangent = tangent  # (a slot set only in forward mode: read with getattr)
    if modes.anomaly:
        check_new_node(t)
    if not modes.enabled:
        t._requires_grad, t._op, t._prev, t._args, t._params = False, "", (), (), _NO_PARAMS
    return t


def _leaf(data: np.ndarray) -> Tensor:
    t = _new(Tensor)
    t._data, t._grad, t.label, t._requires_grad = data, None, "", False
    t._op, t._prev, t._args, t._params = "", (), (), _NO_PARAMS
    return t


def _scalar(data: np.ndarray) -> Any:
    """A 0-d array as its numpy scalar, other arrays as they are: numpy takes 0.5 us for a 0-d
    array with a Python number (``loss * 1e-4``), eight times what the scalar takes."""
    return data if data.ndim else data[()]


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
    """An operand as a Tensor or a plain number, or NotImplemented (Python then says no)."""
    if isinstance(x, Tensor):
        return x
    k = _as_number(x)
    if k is not None:
        return k
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{op}: cannot combine a Tensor with an array of {x.dtype}")
        return _leaf(x)
    if isinstance(x, Value):
        raise TypeError(
            f"{op}: cannot mix Tensor and Value; use Values throughout, or Tensor(value.data) for a constant"
        )
    return NotImplemented


def _binary_method(name: str, what: str, reflected: bool = False) -> Callable[[Tensor, Any], Tensor]:
    """The method applying the primitive ``name`` to a Tensor ``a`` and an operand ``b`` (a
    Tensor, an array or a number), as ``prim(a, b)``, or ``prim(b, a)`` when ``reflected``: ``+``,
    ``*``, ``**`` (``what`` names it in errors)."""

    def method(a: Tensor, b: Any) -> Any:
        prim = _REGISTRY[name]  # the primitive defined under this name now
        forward = prim.arrays
        if b.__class__ is not Tensor:
            b = _operand(b, what)
            if b is NotImplemented:
                return b
        tensor = b.__class__ is Tensor or isinstance(b, Tensor)
        x, y = (b, a) if reflected else (a, b)
        if tensor and x._data.dtype is not y._data.dtype:
            x, y = _promoted((x, y))
        try:
            if tensor:
                return _make(forward(x._data, y._data), prim.op, (x, y), (x, y))
            data = forward(b, _scalar(a._data)) if reflected else forward(_scalar(a._data), b)
        except ValueError as err:
            if "broadcast" in str(err):
                raise ValueError(
                    f"{what}: shapes {np.shape(_raw(x))} and {np.shape(_raw(y))} do not broadcast"
                ) from None
            raise
        return _make(data, prim.op, (x, y), (a,))

    method.__name__ = method.__qualname__ = f"{name} (from its definition)"
    return method


_multiply = _binary_method("*", "mul")
_power = _binary_method("**", "pow")
_power_reflected = _binary_method("**", "pow", reflected=True)


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _promoted(args: Any) -> Any:
    """The operands with integer and bool Tensors cast to the floating dtype among them: PyTorch's
    promotion (float32 with int64 is float32; numpy would make it float64). Other mixes (float32
    with float64, int32 with int64) promote alike in both."""
    floats = [x._data.dtype for x in args if isinstance(x, Tensor) and x._data.dtype.kind == "f"]
    if not floats:
        return args
    dtype = np.result_type(*floats)
    cast = [
        _leaf(x._data.astype(dtype)) if isinstance(x, Tensor) and x._data.dtype.kind in "biu" else x
        for x in args
    ]
    return type(args)(cast) if isinstance(args, tuple) else cast


class Tensor(Composites, Reductions, Shapes, InPlace, NumpyInterop, Gradients):
    """An n-dimensional array node of the computation graph, backed by numpy.

    ``Tensor(data, _requires_grad=False, label="")``: ``data`` is a number, a nested list (both
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

    # The array and its gradient live in _data and _grad; .data and .grad show them as Tensors
    # sharing their memory, as PyTorch's do.
    __slots__ = ("_data", "_grad", "_requires_grad", "label", "_op", "_prev", "_args", "_params", "tangent")

    _data: np.ndarray
    _grad: Any  # an ndarray or None (a Tensor node while grad(create_graph=True) runs)
    _requires_grad: bool
    label: str
    _op: str
    _prev: tuple[Tensor, ...]
    _args: tuple[Any, ...]
    _params: Any
    tangent: Any  # its tangent while autograd.func.jvp runs (autograd.forward); unset otherwise

    def __init__(self, data: Any, requires_grad: bool = False, label: str = "") -> None:
        arr = _to_array(data)
        if not isinstance(label, str):
            raise TypeError(f"Tensor: label must be a str, got {type(label).__name__}")
        self._data = arr
        self._grad = None
        self._requires_grad = _grad_flag("Tensor", requires_grad, arr.dtype)
        self.label = label
        self._op, self._prev, self._args, self._params = "", (), (), _NO_PARAMS

    # --- PyTorch's .data, .grad and .requires_grad ------------------------------------------------

    @property
    def data(self) -> Tensor:
        """The values, as a Tensor with no graph that shares this one's memory (as PyTorch's):
        ``p.data -= lr * p.grad`` changes ``p`` in place. Assigning replaces them."""
        return _leaf(self._data)

    @data.setter
    def data(self, value: Any) -> None:
        arr = value._data if isinstance(value, Tensor) else _to_array(value, "data")
        if self._requires_grad and arr.dtype.kind != "f":
            raise TypeError(f"data: a Tensor that requires grad holds floats, not {arr.dtype}")
        self._data = arr

    @property
    def grad(self) -> Tensor | None:
        """The gradient of the last ``backward()``'s output with respect to this Tensor: None
        until one reaches it, then a Tensor of this shape and dtype (sharing memory with the
        gradient optimizers update). Repeated ``backward()`` calls add up."""
        g = self._grad
        return g if g is None or isinstance(g, Tensor) else _leaf(g)

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is None:
            self._grad = None
            return
        arr = value._data if isinstance(value, Tensor) else _to_array(value, "grad")
        if arr.shape != self._data.shape:
            raise ValueError(f"grad: shape {arr.shape} does not match the tensor's {self._data.shape}")
        if arr.dtype != self._data.dtype:
            raise TypeError(f"grad: dtype {arr.dtype} does not match the tensor's {self._data.dtype}")
        self._grad = arr

    @property
    def requires_grad(self) -> bool:
        """Whether gradients flow to this Tensor. Set it on a leaf (``p.requires_grad = True``);
        only floating-point tensors can require grad."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: Any) -> None:
        if self._op and not flag:
            raise ValueError(
                "requires_grad: only a leaf's flag can change; for a computed tensor without a graph, "
                "use .detach()"
            )
        self._requires_grad = _grad_flag("requires_grad", flag, self._data.dtype)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return this Tensor (PyTorch's)."""
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep this computed Tensor's gradient after ``backward()`` (PyTorch's): every node keeps
        its gradient here already (the pictures show them), so there is nothing more to do."""
        if not self._requires_grad:
            raise ValueError("retain_grad: this tensor does not require grad, so it gets no gradient")

    @staticmethod
    def _constant(data: np.ndarray) -> Tensor:
        """A leaf holding ``data`` as it is (no copy, no checks), requiring no grad."""
        return _leaf(data)

    # --- plain array facts --------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    def size(self, dim: int | None = None) -> Any:
        """PyTorch's ``size()``: the shape, or the length along ``dim``.

        >>> Tensor([[1.0, 2.0, 3.0]]).size(), Tensor([[1.0, 2.0, 3.0]]).size(-1)
        ((1, 3), 3)
        """
        if dim is None:
            return self._data.shape
        return self._data.shape[one_axis("size", dim, self._data.ndim)]

    def numel(self) -> int:
        """The number of elements."""
        return int(self._data.size)

    def dim(self) -> int:
        """The number of dimensions (PyTorch's name for ``ndim``)."""
        return self._data.ndim

    def __len__(self) -> int:
        if not self._data.ndim:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        """The sub-tensors along the first axis (each a differentiable ``self[i]``)."""
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        return bool(self._data)  # numpy's rule: only a one-element tensor has a truth value

    def __float__(self) -> float:
        return float(self.item())

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extra = "" if self._data.dtype == np.float64 else f", dtype={self._data.dtype}"
        extra += ", requires_grad=True" if self._requires_grad else ""
        extra += f", label={self.label!r}" if self.label else ""
        return f"Tensor({body}{extra})"

    # --- elementwise arithmetic (broadcasting): one line each over the primitives ------------

    __add__ = __radd__ = _binary_method("+", "add")  # both commute: 2 * t is recorded as t * 2

    def __mul__(self, other: Any) -> Tensor:
        if other is self:  # x * x is recorded as x ** 2: one gradient product, not two and a sum
            return _make(self._data * self._data, _REGISTRY["**"].op, (self, 2), (self,))
        return _multiply(self, other)

    __rmul__ = __mul__

    def __pow__(self, other: Any) -> Tensor:
        """``x ** y``, y a number or a Tensor. A negative base is refused (ValueError) with a
        fractional exponent, or with an exponent that requires grad (its derivative, out·log x,
        is not real there); 0 to a negative power is inf, as in numpy.

        >>> (Tensor([1.0, 2.0, 3.0]) ** 2).data
        Tensor([1., 4., 9.])
        """
        b = _operand(other, "pow")
        if b is not NotImplemented:
            _check_power(self, b)
        return _power(self, b)

    def __rpow__(self, other: Any) -> Tensor:
        a = _operand(other, "pow")
        if a is not NotImplemented:
            _check_power(a, self)
        return _power_reflected(self, a)

    def __matmul__(self, other: Any) -> Tensor:
        """Matrix product as ``np.matmul``: 1-D, 2-D and batched (..., n, k) @ (..., k, m).

        >>> (Tensor([[1.0, 2.0]]) @ Tensor([[3.0], [4.0]])).data
        Tensor([[11.]])
        """
        b = _operand(other, "matmul")
        if not isinstance(b, Tensor):
            return b if b is NotImplemented else _matmul(self, _leaf(np.asarray(b)))
        return _matmul(self, b)

    def __rmatmul__(self, other: Any) -> Tensor:
        a = _operand(other, "matmul")
        if not isinstance(a, Tensor):
            return a if a is NotImplemented else _matmul(_leaf(np.asarray(a)), self)
        return _matmul(a, self)

    def _apply1(self, prim: Primitive, **params: Any) -> Tensor:
        """A primitive of this one Tensor: the fast path of ``exp``, ``relu``, ``sum``, ``reshape``,
        ... (no dispatch on operand kinds)."""
        args = (self,)
        if prim.arrays is None:
            raise TypeError(f"{prim.name}: defined for Values only (no forward on arrays)")
        return _make(prim.arrays(self._data, **params), prim.op, args, args, params or _NO_PARAMS)

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:
        """Each element limited to [min, max] (either may be None); the gradient passes where an
        element lies within the bounds, the bounds included, as PyTorch.

        >>> Tensor([-2.0, 0.5, 3.0]).clamp(-1, 1).tolist()
        [-1.0, 0.5, 1.0]
        """
        for name, bound in (("min", min), ("max", max)):
            if bound is not None and (isinstance(bound, bool) or _as_number(bound) is None):
                raise TypeError(f"clamp: {name} must be a number or None, got {type(bound).__name__}")
        if min is None and max is None:
            raise ValueError("clamp: give min, max or both")
        low = None if min is None else _as_number(min)
        high = None if max is None else _as_number(max)
        if low is not None and high is not None and low > high:
            raise ValueError(f"clamp: min {low} is greater than max {high}")
        return self._apply1(_REGISTRY["clamp"], low=low, high=high)

    clip = clamp

    @staticmethod
    def _apply(prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Tensor:
        """Any primitive on Tensors, arrays and numbers (how ``prim(t, ...)`` records a node)."""
        if prim.arrays is None:
            raise TypeError(f"{prim.name}: defined for Values only (no forward on arrays)")
        args = []
        for x in operands:
            y = _operand(x, prim.name)
            if y is NotImplemented:
                raise TypeError(
                    f"{prim.name}: operands must be Tensors, arrays or numbers, got {type(x).__name__}"
                )
            args.append(y)
        args = _promoted(args)
        data = prim.arrays(*(_raw(x) for x in args), **params)
        prev = tuple(x for x in args if isinstance(x, Tensor))
        return _make(data, prim.op, tuple(args), prev, params or _NO_PARAMS)

    @staticmethod
    def _where(cond: Any, x: Any, y: Any) -> Tensor:
        """`autograd.where` for Tensors: x where cond holds, else y (cond is not differentiated)."""
        mask = np.asarray(_raw(cond))
        if mask.dtype != np.bool_:
            raise TypeError(f"where: the condition must be booleans, got {mask.dtype}")
        if not isinstance(x, Tensor) and not isinstance(y, Tensor):
            return Tensor(np.where(mask, _raw(x), _raw(y)))
        return Tensor._apply(_REGISTRY["where"], (x, y), {"cond": mask})

    def _operand(self, other: Any, op: str) -> Any:
        return _operand(other, op)

    def __truediv__(self, other: Any) -> Tensor:
        """``x / y`` is true division, as PyTorch: integer tensors divide as floats."""
        a, b = _floats(self, _operand(other, "div"))
        return b if b is NotImplemented else Composites.__truediv__(a, b)

    def __rtruediv__(self, other: Any) -> Tensor:
        b, a = _floats(self, _operand(other, "div"))
        return a if a is NotImplemented else Composites.__rtruediv__(b, a)

    def _reciprocal(self, k: Any) -> float:
        """1 / k, with 1 / 0 = ±inf as numpy gives for arrays (Python floats would raise)."""
        return 1.0 / k if k != 0 else float(np.copysign(np.inf, k))

    # --- comparisons: elementwise bool Tensors, not differentiated -------------------------------

    def _compare(self, other: Any, fn: Any) -> Any:
        if isinstance(other, Value):
            raise TypeError("compare: cannot compare a Tensor with a Value; use value.data")
        other = other._data if isinstance(other, Tensor) else other
        if not isinstance(other, (np.ndarray, numbers.Real, np.number, np.bool_)):
            return NotImplemented
        return _leaf(_asarray(fn(self._data, other)))

    def __eq__(self, other: object) -> Any:
        return self._compare(other, np.equal)

    def __ne__(self, other: object) -> Any:
        return self._compare(other, np.not_equal)

    def __lt__(self, other: Any) -> Any:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Any:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Any:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Any:
        return self._compare(other, np.greater_equal)

    __hash__ = object.__hash__  # by identity: nodes are dictionary keys in the engine


def _floats(a: Tensor, b: Any) -> tuple[Any, Any]:
    """``a`` and ``b`` with integer and bool Tensors cast to a floating dtype (the other's, or
    float64), for true division."""
    if b is NotImplemented:
        return a, b
    dtype = next(
        (x._data.dtype for x in (a, b) if isinstance(x, Tensor) and x._data.dtype.kind == "f"), np.float64
    )
    a, b = (
        _leaf(x._data.astype(dtype)) if isinstance(x, Tensor) and x._data.dtype.kind in "biu" else x
        for x in (a, b)
    )
    return a, b


def _grad_flag(what: str, flag: Any, dtype: np.dtype) -> bool:
    """``flag`` as requires_grad: a bool, True only for floating-point tensors."""
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"{what}: requires_grad must be a bool, got {type(flag).__name__}")
    if flag and dtype.kind != "f":
        raise TypeError(f"{what}: only floating-point tensors can require grad, got {dtype}")
    return bool(flag)


def _check_power(a: Any, b: Any) -> None:
    """An exponent that requires grad needs a base >= 0: its derivative out·log(base) is not
    real elsewhere (the forward checks the rest)."""
    if isinstance(b, Tensor) and b._requires_grad and (np.asarray(_raw(a)) < 0).any():
        raise ValueError(
            "pow: the base has negative elements; an exponent that requires grad needs a "
            "base >= 0 (its derivative out·log(base) is not real there)"
        )


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    args = (a, b)
    prim = _REGISTRY["@"]
    return _make(prim.arrays(a._data, b._data), prim.op, args, args)


def _to_array(data: Any, what: str = "Tensor") -> np.ndarray:
    """Validate and convert user data: ndarrays keep their dtype, Python numbers and lists become
    float64; strings, objects, complex numbers and ragged lists are refused."""
    if isinstance(data, Tensor):
        return data._data
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

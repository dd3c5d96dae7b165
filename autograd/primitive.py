"""Primitives: each differentiable operation defined once, in one place.

A `Primitive` holds everything the project knows about one operation:

- its name (``"tanh"``, ``"*"``) and how a result is written from its operands (``"{a}·{b}"``);
- its forward on Python floats (for `Value`) and on numpy arrays (for `Tensor`);
- one derivative rule per operand;
- its kind (``"elementwise"``, ``"reduction"``, ``"shape"``, ``"indexing"``, ``"matmul"``, ...);
- the text of each local derivative, for the step sentences (``"1 - tanh²({a})"``);
- optionally its forward in JavaScript, so the step page can recompute it in the browser.

A rule ``rule(g, out, *operands, **params)`` gets ``g``, the gradient of the final output with
respect to the op's result ``out``, and returns the gradient with respect to its own operand: one
link of the chain rule. A rule is written with arithmetic, comparisons, primitives and the two
helpers below (`where`, `power`), so that the same rule runs on every kind of operand:

- Python floats: a Value's first-order backward (compiled into straight-line code, see
  `autograd.compile`);
- numpy arrays: a Tensor's first-order backward;
- graph nodes: higher-order gradients (``grad(..., create_graph=True)``), since the rule then
  builds a graph that can be differentiated again;
- symbols: the rule traced into source code (Python for the fast path, JavaScript for the page).

Define your own the same way; it then works on Values and Tensors, to any order, and is named in
pictures and step sentences:

>>> import math
>>> import numpy as np
>>> from autograd import Value, primitive
>>> from autograd.ops import SIGMOID
>>> softplus = primitive(
...     "softplus",
...     floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
...     arrays=lambda x: np.logaddexp(0.0, x),
...     rules=[lambda g, out, x: g * SIGMOID(x)],
...     derivatives=["σ({a})"],
... )
>>> x = Value(0.0, label="x")
>>> y = softplus(x)
>>> y.backward()
>>> round(y.data, 6), x.grad, y._op
(0.693147, 0.5, 'softplus')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["KINDS", "Op", "Primitive", "functions", "lookup", "power", "primitive", "primitives", "where"]

KINDS = ("elementwise", "reduction", "shape", "indexing", "matmul", "normalization", "join")

Rule = Callable[..., Any]
Text = str | Callable[..., str]


class Primitive:
    """A differentiable operation, defined once (see the module docstring).

    Call it on operands to apply it: on Values or Tensors it records a node of the graph; on
    plain floats or arrays it is just the forward. Keyword arguments are the op's parameters
    (an axis, a shape), passed to the forward and to every rule; numbers among the operands (the
    2 in ``x ** 2``) are constants: they get no gradient.
    """

    def __init__(
        self,
        name: str,
        *,
        rules: Sequence[Rule | None],
        floats: Callable[..., Any] | None = None,
        arrays: Callable[..., Any] | None = None,
        kind: str = "elementwise",
        derivatives: Sequence[Text] | None = None,
        notation: str | None = None,
        precedence: int = 5,
        js: str | None = None,
        variadic: bool = False,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"primitive: name must be a non-empty str, got {name!r}")
        if floats is None and arrays is None:
            raise TypeError(
                f"primitive {name!r}: give a forward: floats= (for Value), arrays= (for Tensor), or both"
            )
        rules = tuple(rules)
        if not rules or not all(r is None or callable(r) for r in rules):
            raise TypeError(f"primitive {name!r}: rules must be a list of functions, one per operand")
        if kind not in KINDS:
            raise ValueError(f"primitive {name!r}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if variadic and (len(rules) != 1 or floats is not None):
            raise TypeError(f"primitive {name!r}: a variadic primitive has one rule and no float forward")
        derivatives = tuple(derivatives) if derivatives is not None else ()
        if derivatives and len(derivatives) != len(rules):
            raise ValueError(f"primitive {name!r}: {len(rules)} rules but {len(derivatives)} derivatives")
        self.name = name
        self._rules: tuple[Rule | None, ...] = rules
        # Typed loosely: callers check for None where a primitive may lack a forward.
        self.floats: Any = floats
        self.arrays: Any = arrays
        self.kind = kind
        self.derivatives: tuple[Text, ...] = derivatives
        placeholders = ", ".join("{" + o + "}" for o in OPERANDS[: len(rules)])
        self.notation = notation or f"{name}({placeholders})"
        self.precedence = precedence
        self.js = js
        self._scalar_ops: tuple[Op, ...] | None = None  # made on first use (scalar_ops)
        self._tensor_ops: dict[Any, Op] = {}  # the Ops of Tensor nodes, made by autograd.tensor
        self._named_ops: dict[Any, Op] = {}  # Value ops named by their number (x ** 2: '**2')
        # Variadic (cat): any number of operands, one rule for all, told its operand's position.
        self.variadic = variadic
        self._positional: dict[int, Rule] = {}

    @property
    def rules(self) -> tuple[Rule | None, ...]:
        """One derivative rule per operand (None for an operand never differentiated)."""
        return self._rules

    @rules.setter
    def rules(self, rules: Sequence[Rule | None]) -> None:
        # New rules (a test may patch one in): the steps compiled from the old ones are dropped.
        self._rules = tuple(rules)
        self._scalar_ops = None
        self._tensor_ops = {}
        self._named_ops = {}
        self._positional = {}

    def rule(self, i: int) -> Rule | None:
        """The rule for operand ``i`` (a variadic primitive's one rule, told ``position=i``)."""
        if not self.variadic:
            return self._rules[i]
        rule = self._positional.get(i)
        if rule is None:
            shared = self._rules[0]
            assert shared is not None

            def rule(g: Any, out: Any, *operands: Any, **params: Any) -> Any:
                return shared(g, out, *operands, position=i, **params)

            self._positional[i] = rule
        return rule

    @property
    def arity(self) -> int:
        """How many operands the op takes (a variadic one: at least one)."""
        return len(self.rules)

    def __repr__(self) -> str:
        return f"Primitive({self.name!r})"

    def __reduce__(self) -> Any:
        return (lookup, (self.name,))  # pickles by name: the definitions live in code

    def __call__(self, *operands: Any, **params: Any) -> Any:
        if len(operands) != self.arity and not (self.variadic and operands):
            raise TypeError(f"{self.name}: takes {self.arity} operand(s), got {len(operands)}")
        for x in operands:  # the first operand that is a graph node (or a symbol) decides
            apply = getattr(type(x), "_apply", None)
            if apply is not None:
                return apply(self, operands, params)
        return self.forward(operands, params)

    def forward(self, operands: Sequence[Any], params: dict[str, Any]) -> Any:
        """The forward on plain numbers (``floats``) or arrays (``arrays``)."""
        if any(isinstance(x, (np.ndarray, np.generic)) for x in operands) or self.floats is None:
            if self.arrays is None:
                raise TypeError(f"{self.name}: defined on floats only, got an array")
            return self.arrays(*operands, **params)
        return self.floats(*operands, **params)

    def scalar_ops(self) -> tuple[Op, ...]:
        """The `Op` a Value node records, by which operands are plain numbers: ``[0]`` none,
        ``[1]`` the second, ``[2]`` the first. Each carries its compiled first-order step."""
        if self._scalar_ops is None:
            from autograd.compile import scalar_send  # here: compile imports this module

            masks = [()] if self.arity == 1 else [(), (1,), (0,)]
            self._scalar_ops = tuple(
                Op(self.name, self, scalar_send(self, consts), consts, (scalar_op, (self, consts)))
                for consts in masks
            )
        return self._scalar_ops


OPERANDS = ("a", "b", "c", "d", "e", "f")  # how formulas name the operands: {a}, {b}, ...


def _send_nothing(node: Any) -> None:
    """The step of a node no rule passes through (made by hand, as micrograd allows)."""


class Op(str):
    """How a node was made: micrograd's ``_op`` string (``'+'``, ``'**2'``, ``'tanh'``) that also
    knows its `Primitive`, which of its operands are plain numbers (``consts``, by position), and
    ``send(node)``: the first-order backward step, adding ``node.grad`` times each local
    derivative into the inputs' ``.grad`` (micrograd's ``_backward``).

    >>> from autograd import Value
    >>> op = (Value(2.0) * 3)._op
    >>> op, op.primitive.name, op.consts, "" + op
    ('*', '*', (1,), '*')
    """

    primitive: Primitive | None
    consts: tuple[int, ...]
    send: Callable[[Any], None]
    origin: tuple[Callable[..., Op], tuple[Any, ...]] | None

    def __new__(
        cls,
        name: str,
        primitive: Primitive | None = None,
        send: Callable[[Any], None] = _send_nothing,
        consts: tuple[int, ...] = (),
        origin: tuple[Callable[..., Op], tuple[Any, ...]] | None = None,
    ) -> Op:
        op = super().__new__(cls, name)
        op.primitive, op.send, op.consts = primitive, send, consts
        op.origin = origin  # how to make it again in another process (a pickled graph)
        return op

    def __reduce__(self) -> Any:
        return self.origin or (Op, (str(self),))


def scalar_op(prim: Primitive, consts: tuple[int, ...], name: str | None = None) -> Op:
    """The Op of a Value node of ``prim`` with plain numbers at ``consts`` (named ``name``, e.g.
    ``'**2'``, or as the primitive): the same compiled step in every process."""
    shared = next(op for op in prim.scalar_ops() if op.consts == consts)
    return (
        shared
        if name is None or name == shared
        else Op(name, prim, shared.send, consts, (scalar_op, (prim, consts, name)))
    )


# --- the two helpers rules use besides arithmetic and primitives ------------------------------


def where(cond: Any, x: Any, y: Any) -> Any:
    """``x`` where ``cond`` holds, else ``y``: a selection, not a product (``0 · inf`` would be
    NaN). ``cond`` is a constant (a comparison of data); ``x`` and ``y`` may be numbers, arrays
    or nodes. Also public as ``autograd.where`` for Tensors.

    >>> where(2.0 > 0, 5.0, 0.0), where(np.array([True, False]), 1.0, -1.0).tolist()
    (5.0, [1.0, -1.0])
    """
    if cond.__class__ is bool:  # floats, and Value nodes (their comparisons give bools)
        return x if cond else y
    if cond.__class__ is np.ndarray and x.__class__ in _PLAIN and y.__class__ in _PLAIN:
        return np.where(cond, x, y)  # arrays: the first-order backward of a Tensor
    for v in (cond, x, y):
        select = getattr(type(v), "_where", None)
        if select is not None:  # a node or a symbol decides how to select
            return select(cond, x, y)
    return np.where(cond, x, y)


_PLAIN = (np.ndarray, float, int, np.float64, np.float32)


def power(a: Any, k: Any) -> Any:
    """``a ** k`` as IEEE arithmetic has it: 0 to a negative power is inf and an overflow is
    ±inf, never an exception (a derivative at a singularity, as numpy and PyTorch give it). On
    nodes it is the ``**`` primitive.

    >>> power(0.0, -1.0), power(-10.0, 401.0)
    (inf, -inf)
    """
    if a.__class__ is float and (k.__class__ is float or k.__class__ is int):
        return float_power(a, k)
    symbolic = getattr(type(a), "_power", None) or getattr(type(k), "_power", None)
    if symbolic is not None:
        return symbolic(a, k)
    if isinstance(a, (np.ndarray, np.generic)) or isinstance(k, (np.ndarray, np.generic)):
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return np.power(a, k)
    return a**k  # graph nodes: the ** primitive


def float_power(a: float, k: float) -> float:
    """``a ** k`` on floats, IEEE style (see `power`); NaN where the result is not real."""
    try:
        out = a**k
    except ZeroDivisionError:  # 0.0 to a negative power
        return math.copysign(math.inf, a) if k % 2 == 1 else math.inf
    except OverflowError:
        return -math.inf if a < 0 and k % 2 == 1 else math.inf
    return math.nan if out.__class__ is complex else out


# --- the registry -------------------------------------------------------------------------------

_REGISTRY: dict[str, Primitive] = {}
_FUNCTIONS: dict[str, Callable[..., Any]] = {}


def primitive(
    name: str,
    *,
    rules: Sequence[Rule | None],
    floats: Callable[..., Any] | None = None,
    arrays: Callable[..., Any] | None = None,
    kind: str = "elementwise",
    derivatives: Sequence[Text] | None = None,
    notation: str | None = None,
    precedence: int = 5,
    js: str | None = None,
    variadic: bool = False,
) -> Primitive:
    """Define a differentiable primitive: the public way, and how the built-in ones are made.

    - ``rules``: one function per operand, ``rule(g, out, *operands, **params)`` returning the
      gradient for that operand (None for an operand that is never differentiated). Write it
      with arithmetic, comparisons, primitives (``EXP(x)``), `where` and `power`, so that it
      works on floats, arrays and graph nodes alike (and so to any order).
    - ``floats``: the forward on Python floats (Value); ``arrays``: on numpy arrays (Tensor).
    - ``derivatives``: each rule as text for the step sentences, with ``{a}``, ``{b}`` for the
      operands and ``{out}`` for the result: ``"1 - tanh²({a})"``.
    - ``notation``: how a result is written, ``"{a}·{b}"``; by default ``name({a})``.
    - ``js``: the forward in JavaScript (operands ``a``, ``b``), for the step page.
    - ``variadic``: any number of operands (``cat``); its one rule gets ``position=i``.

    A unary elementwise primitive with a float forward also becomes a function of the command
    line (``python -m autograd.viz``) and an activation of ``nn``. Defining a name again
    replaces it. See the module docstring for an example.
    """
    prim = Primitive(
        name,
        rules=rules,
        floats=floats,
        arrays=arrays,
        kind=kind,
        derivatives=derivatives,
        notation=notation,
        precedence=precedence,
        js=js,
        variadic=variadic,
    )
    _REGISTRY[name] = prim
    if prim.arity == 1 and kind == "elementwise" and floats is not None and name.isidentifier():
        _FUNCTIONS[name] = prim
    return prim


def define_function(name: str, fn: Callable[..., Any]) -> None:
    """Register a composite unary function (``gelu``) beside the unary primitives."""
    _FUNCTIONS[name] = fn


def primitives() -> list[Primitive]:
    """Every primitive defined so far, built-in and yours, in the order they were defined."""
    return list(_REGISTRY.values())


def lookup(name: str) -> Primitive:
    """The primitive defined under ``name`` (KeyError names the known ones)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no primitive named {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def functions() -> dict[str, Callable[..., Any]]:
    """The unary elementwise functions, by name: every such primitive and the composites
    (``gelu``). The command line and ``nn``'s activations offer exactly these.

    >>> import autograd
    >>> {"exp", "tanh", "relu", "gelu"} <= set(functions())
    True
    """
    return dict(_FUNCTIONS)

"""Primitives: each differentiable operation defined once, in one place.

A `Primitive` holds everything the project knows about one operation:

- its name (``"tanh"``, ``"*"``) and how a result is written from its operands (``"{a}·{b}"``);
- its forward on Python floats (for `Value`) and on numpy arrays (for `Tensor`);
- one derivative rule per operand;
- its kind (``"elementwise"``, ``"reduction"``, ``"shape"``, ...) and the text of each local
  derivative, for pictures and step sentences (``"1 - tanh²({a})"``);
- optionally its forward in JavaScript (the step page recomputes graphs in the browser) and its
  forward-mode rule (``jvp``; derived from the rules when not given).

A rule ``rule(g, out, *operands, **params)`` gets ``g``, the gradient of the final output with
respect to the op's result ``out``, and returns the gradient with respect to its own operand: one
link of the chain rule (see `autograd.engine`). A rule is written with arithmetic, comparisons,
primitives and the two helpers below (`where`, `power`), so that the same rule runs on Python
floats, on numpy arrays, and on graph nodes, where it builds a graph that can be differentiated
again (``grad(..., create_graph=True)``).

A primitive never changes once made: defining a name again is an error unless you ask to replace
it (``replace=True``). Graphs already built keep the primitive that made them; methods, functions,
nn's activations and the command line look the name up, so they use the new one from then on.

Define your own the same way; it then works on Values and Tensors, to any order, is a method of
both (``x.softplus()``) and is named in pictures and step sentences:

>>> import math
>>> import numpy as np
>>> from autograd import Value, primitive
>>> from autograd.ops import SIGMOID
>>> softplus = primitive(
...     "softplus_example",
...     floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
...     arrays=lambda x: np.logaddexp(0.0, x),
...     rules=[lambda g, out, x: g * SIGMOID(x)],
...     derivatives=["σ({a})"],
... )
>>> x = Value(0.0, label="x")
>>> y = softplus(x)
>>> y.backward()
>>> round(y.data, 6), x.grad, y._op
(0.693147, 0.5, 'softplus_example')
"""

from __future__ import annotations

import math
import numbers
import string
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeGuard

import numpy as np

from autograd.modes import Modes

__all__ = [
    "KINDS",
    "OPERANDS",
    "Op",
    "Primitive",
    "define_function",
    "functions",
    "lookup",
    "power",
    "primitive",
    "primitives",
    "where",
]

KINDS = ("elementwise", "reduction", "shape", "indexing", "matmul", "normalization", "join")
OPERANDS = ("a", "b", "c", "d", "e", "f")  # how formulas name the operands: {a}, {b}, ...

Rule = Callable[..., Any]
Text = str | Callable[..., str]


class Primitive:
    """A differentiable operation, defined once (see the module docstring). Immutable.

    Call it on operands to apply it: on Values or Tensors it records a node of the graph; on
    plain floats or arrays it is just the forward. Keyword arguments are the op's parameters
    (an axis, a shape), passed to the forward and to every rule; numbers among the operands (the
    2 in ``x ** 2``) are constants: they get no gradient.
    """

    __slots__ = (
        "name",
        "floats",
        "arrays",
        "rules",
        "kind",
        "derivatives",
        "notation",
        "precedence",
        "js",
        "jvp",
        "variadic",
        "op",
    )
    name: str
    floats: Any  # the forward on floats, or None (Tensor-only primitives)
    arrays: Any  # the forward on arrays, or None (Value-only primitives)
    rules: Any  # one rule per operand (a variadic primitive: indexable by any position)
    kind: str
    derivatives: tuple[Text, ...]
    notation: str
    precedence: int
    js: str | None
    jvp: Rule | None
    variadic: bool
    op: Op

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
        jvp: Rule | None = None,
        variadic: bool = False,
    ) -> None:
        if not isinstance(name, str) or not name or not name.isprintable() or len(name) > 64:
            raise TypeError(f"primitive: name must be a short printable non-empty str, got {name!r:.80}")
        if floats is None and arrays is None:
            raise TypeError(
                f"primitive {name!r}: give a forward: floats= (for Value), arrays= (for Tensor), or both"
            )
        if not all(f is None or callable(f) for f in (floats, arrays, jvp)):
            raise TypeError(f"primitive {name!r}: floats=, arrays= and jvp= must be functions")
        if isinstance(rules, (str, bytes)) or not isinstance(rules, Sequence):
            raise TypeError(f"primitive {name!r}: rules must be a list of functions, one per operand")
        rules = tuple(rules)
        if not rules or not all(r is None or callable(r) for r in rules) or all(r is None for r in rules):
            raise TypeError(f"primitive {name!r}: rules must be a list of functions, one per operand")
        if len(rules) > len(OPERANDS):
            raise TypeError(f"primitive {name!r}: at most {len(OPERANDS)} operands, got {len(rules)} rules")
        if kind not in KINDS:
            raise ValueError(f"primitive {name!r}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if variadic and (len(rules) != 1 or floats is not None):
            raise TypeError(f"primitive {name!r}: a variadic primitive has one rule and no float forward")
        derivatives = tuple(derivatives) if derivatives is not None else ()
        if derivatives and len(derivatives) != len(rules):
            raise ValueError(f"primitive {name!r}: {len(rules)} rules but {len(derivatives)} derivatives")
        names = OPERANDS[: len(rules)]
        if notation is None:
            notation = f"{name}({', '.join('{' + o + '}' for o in names)})"
        _check_text(name, "notation", notation, names)
        for text in derivatives:
            if not callable(text):
                _check_text(name, "derivative", text, (*names, "out"))
        if isinstance(precedence, bool) or not isinstance(precedence, int):
            raise TypeError(f"primitive {name!r}: precedence must be an int, got {precedence!r}")
        if js is not None and not isinstance(js, str):
            raise TypeError(f"primitive {name!r}: js must be a str of JavaScript, got {type(js).__name__}")
        values = {
            "name": name,
            "floats": floats,
            "arrays": arrays,
            "rules": _Positional(rules[0]) if variadic and rules[0] is not None else rules,
            "kind": kind,
            "derivatives": derivatives,
            "notation": notation,
            "precedence": precedence,
            "js": js,
            "jvp": jvp,
            "variadic": variadic,
        }
        for key, value in values.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "op", Op(name, self))

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(
            f"primitive {self.name!r} cannot change: define a new one with "
            f"primitive({self.name!r}, ..., replace=True)"
        )

    @property
    def arity(self) -> int:
        """How many operands the op takes (a variadic one: at least one)."""
        return 1 if self.variadic else len(self.rules)

    def __repr__(self) -> str:
        return f"Primitive({self.name!r})"

    def __reduce__(self) -> Any:
        return (lookup, (self.name,))  # pickles by name: the definitions live in code

    def __call__(self, *operands: Any, **params: Any) -> Any:
        if len(operands) != self.arity and not (self.variadic and operands):
            raise TypeError(f"{self.name}: takes {self.arity} operand(s), got {len(operands)}")
        for x in operands:  # the first operand that is a graph node decides how to apply it
            apply = getattr(type(x), "_apply", None)
            if apply is not None:
                return apply(self, operands, params)
        return self.forward(operands, params)

    def forward(self, operands: Sequence[Any], params: dict[str, Any]) -> Any:
        """The forward on plain numbers (``floats``) or arrays (``arrays``)."""
        if self.floats is None or any(isinstance(x, (np.ndarray, np.generic)) for x in operands):
            if self.arrays is None:
                raise TypeError(f"{self.name}: defined on floats only, got an array")
            return self.arrays(*operands, **params)
        return self.floats(*operands, **params)

    def replaced(self, **changes: Any) -> Primitive:
        """A new primitive like this one with ``changes`` (not registered: see `primitive`)."""
        fields = {k: getattr(self, k) for k in self.__slots__ if k not in ("op", "rules")}
        fields["rules"] = [self.rules[0]] if self.variadic else list(self.rules)
        fields.update(changes)
        return Primitive(**fields)


class _Positional:
    """The rules of a variadic primitive (cat): one rule for every operand, given that operand
    alone (all n of them, for each of n rules, would cost n²) and told its position."""

    __slots__ = ("rule",)

    def __init__(self, rule: Rule) -> None:
        self.rule = rule

    def __getitem__(self, i: int) -> Rule:
        return partial(self.rule, position=i)

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Any:
        return iter((self.rule,))


class Op(str):
    """How a node was made: micrograd's ``_op`` string (``'+'``, ``'**2'``, ``'tanh'``) that also
    knows its `Primitive` (``op.primitive``) and so its rules (``op.rules``).

    >>> from autograd import Value
    >>> op = (Value(2.0) * 3)._op
    >>> op, op.primitive.name, "" + op
    ('*', '*', '*')
    """

    primitive: Primitive | None
    rules: Any
    variadic: bool

    def __new__(cls, name: str, primitive: Primitive | None = None) -> Op:
        op = super().__new__(cls, name)
        op.primitive = primitive
        op.rules = primitive.rules if primitive is not None else ()
        op.variadic = primitive is not None and primitive.variadic
        return op

    def __reduce__(self) -> Any:
        if self.primitive is None:
            return (Op, (str(self),))
        return (_named_op, (self.primitive, str(self)))


_NAMED: dict[tuple[Primitive, str], Op] = {}


def _named_op(prim: Primitive, name: str) -> Op:
    """The Op of ``prim`` written ``name`` (micrograd writes x ** 2 as ``'**2'``), shared."""
    if name == prim.name:
        return prim.op
    op = _NAMED.get((prim, name))
    if op is None:
        op = Op(name, prim)
        if len(_NAMED) < 4096:  # the usual few exponents; not a leak for a sweep over k
            _NAMED[prim, name] = op
    return op


def _check_text(name: str, what: str, text: Any, allowed: Sequence[str]) -> None:
    """A notation or derivative text may name only the operands ({a}, {b}) and {out}: no
    attributes, indices or formats, which would fail when a picture fills them in."""
    if not isinstance(text, str):
        raise TypeError(f"primitive {name!r}: {what} must be a str, got {type(text).__name__}")
    try:
        fields = [f for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
        specs = [(spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError as err:
        raise ValueError(
            f"primitive {name!r}: {what} {text!r}: {err} (write a brace as {{{{ or }}}})"
        ) from None
    for field, (spec, conv) in zip(fields, specs):
        if field not in allowed or spec or conv:
            names = ", ".join("{" + a + "}" for a in allowed)
            raise ValueError(f"primitive {name!r}: {what} {text!r} may name only {names}, got {{{field}}}")


# --- the two helpers rules use besides arithmetic and primitives ------------------------------


def where(cond: Any, x: Any, y: Any) -> Any:
    """``x`` where ``cond`` holds, else ``y``: a selection, not a product (``0 · inf`` would be
    NaN). ``cond`` is a constant (a comparison of data); ``x`` and ``y`` may be numbers, arrays
    or nodes. Also public as ``autograd.where`` for Tensors.

    >>> where(2.0 > 0, 5.0, 0.0), where(np.array([True, False]), 1.0, -1.0).tolist()
    (5.0, [1.0, -1.0])
    """
    if cond.__class__ is bool or cond.__class__ is np.bool_:  # floats, and Value nodes
        return x if cond else y
    if cond.__class__ is np.ndarray and x.__class__ in _PLAIN and y.__class__ in _PLAIN:
        if cond.size > 4096:  # relu's rule, clamp's, ...: g or 0, on a big array (see _kept)
            if _is_zero(x) and _is_floats(y):
                return _kept(y, ~cond)
            if _is_zero(y) and _is_floats(x):
                return _kept(x, cond)
        return np.where(cond, x, y)  # arrays: a Tensor's first-order rules
    for v in (x, y, cond):
        select = getattr(type(v), "_where", None)
        if select is not None:  # a node decides how to select
            return select(cond, x, y)
    return np.where(cond, x, y)


_PLAIN = (np.ndarray, float, int, np.float64, np.float32)


def _is_zero(x: Any) -> bool:
    return (x.__class__ is float or x.__class__ is int) and x == 0 and math.copysign(1.0, x) > 0


def _is_floats(x: Any) -> TypeGuard[np.ndarray]:
    return x.__class__ is np.ndarray and x.dtype.kind == "f"


def _kept(g: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``g`` where ``keep`` holds, else +0.0: ``np.where(keep, g, 0.0)`` exactly, four times as
    fast on a big array (np.where branches on every element, and a random mask mispredicts half
    of them): each number's bits times 1 or 0. (Multiplying the numbers themselves would turn
    0 · inf into NaN, where a selection gives 0.)"""
    return (g.view(f"u{g.dtype.itemsize}") * keep).view(g.dtype)


def power(a: Any, k: Any) -> Any:
    """``a ** k`` as IEEE arithmetic has it: 0 to a negative power is inf and an overflow is
    ±inf, never an exception (a derivative at a singularity, as numpy and PyTorch give it). On
    nodes it is the ``**`` primitive.

    >>> power(0.0, -1.0), power(-10.0, 401.0)
    (inf, -inf)
    """
    if a.__class__ is float and (k.__class__ is float or k.__class__ is int):
        return float_power(a, k)
    special = getattr(type(a), "_power", None) or getattr(type(k), "_power", None)
    if special is not None:  # a Value: the ** node, with IEEE's answer at a singularity
        return special(a, k)
    if isinstance(a, (np.ndarray, np.generic)) or isinstance(k, (np.ndarray, np.generic)):
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return np.power(a, k)
    return a**k  # Tensor nodes: the ** primitive


def float_power(a: float, k: float) -> float:
    """``a ** k`` on floats, IEEE style (see `power`); NaN where the result is not real."""
    try:
        out = a**k
    except ZeroDivisionError:  # 0.0 to a negative power
        return math.copysign(math.inf, a) if k % 2 == 1 else math.inf
    except OverflowError:
        return -math.inf if a < 0 and k % 2 == 1 else math.inf
    return math.nan if out.__class__ is complex else out


# --- checking what a user's definition returns ------------------------------------------------


def _real(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _shape(x: Any) -> tuple[int, ...]:
    return tuple(getattr(x, "shape", ()))


def _checked_floats(name: str, forward: Callable[..., Any]) -> Callable[..., float]:
    def floats(*operands: Any, **params: Any) -> float:
        out = forward(*operands, **params)
        if not _real(out):
            raise TypeError(f"{name}: the float forward must return a real number, got {type(out).__name__}")
        return float(out)

    return floats


def _checked_arrays(name: str, kind: str, forward: Callable[..., Any]) -> Callable[..., Any]:
    def arrays(*operands: Any, **params: Any) -> Any:
        out = forward(*operands, **params)
        if _real(out):
            out = np.asarray(out)
        if not isinstance(out, (np.ndarray, np.generic)) or out.dtype.kind not in "biuf":
            what = (
                f"an array of {out.dtype}"
                if isinstance(out, (np.ndarray, np.generic))
                else type(out).__name__
            )
            raise TypeError(f"{name}: the array forward must return a real array, got {what}")
        if any(getattr(x, "dtype", np.dtype(float)).kind == "f" for x in operands) and out.dtype.kind != "f":
            raise TypeError(
                f"{name}: the array forward returned {out.dtype} from floating operands; a "
                "differentiable op must return floats"
            )
        if kind == "elementwise" and not params:
            expected = np.broadcast_shapes(*(_shape(x) for x in operands))
            if out.shape != expected:
                raise ValueError(
                    f"{name}: an elementwise forward must return the operands' broadcast shape "
                    f"{expected}, got {out.shape}"
                )
        return out

    return arrays


def _checked_rule(name: str, i: int, rule: Rule) -> Rule:
    def checked(g: Any, out: Any, *operands: Any, **params: Any) -> Any:
        node = hasattr(out, "_op")  # graph nodes: grad(create_graph=True)
        try:
            result = rule(g, out, *operands, **params)
        except Exception as err:
            on = "graph nodes (create_graph)" if node else f"{type(out).__name__}s"
            raise _renamed(err, f"{name}: rule {i} failed on {on}: {err}") from err
        if isinstance(out, float):  # a Value's numbers
            if not _real(result):
                raise TypeError(f"{name}: rule {i} must return a real number, got {type(result).__name__}")
        elif node or isinstance(out, (np.ndarray, np.generic)):  # a Tensor's arrays, or nodes
            if not (hasattr(result, "_op") or _real(result) or isinstance(result, (np.ndarray, np.generic))):
                raise TypeError(f"{name}: rule {i} must return a real array, got {type(result).__name__}")
            kind = getattr(result, "dtype", np.dtype(float)).kind
            if kind not in "biuf":
                raise TypeError(f"{name}: rule {i} must return a real array, got an array of {result.dtype}")
            shape = _shape(operands[0] if "position" in params else operands[i])
            try:
                fits = np.broadcast_shapes(shape, _shape(result)) == _shape(result) or _real(result)
            except ValueError:
                fits = False
            if not fits:
                raise ValueError(
                    f"{name}: rule {i} returned shape {_shape(result)} for an operand of shape {shape}"
                )
        return result  # (symbols, tracing the rule for the step page, pass as they are)

    return checked


def _renamed(err: Exception, message: str) -> Exception:
    """``err`` with ``message``, as the same kind of exception where it can be made so."""
    try:
        return type(err)(message)
    except Exception:
        return RuntimeError(message)


# --- the registry -------------------------------------------------------------------------------

_REGISTRY: dict[str, Primitive] = {}
_FUNCTIONS: dict[str, Callable[..., Any]] = {}  # unary elementwise: methods, CLI, nn activations
_LISTENERS: list[Callable[[str], None]] = []  # told each unary function's name as it is defined


def on_function(listener: Callable[[str], None]) -> None:
    """Call ``listener(name)`` for every unary function defined so far and from now on (the node
    kinds make each a method this way, without this module knowing them)."""
    _LISTENERS.append(listener)
    for name in list(_FUNCTIONS):
        listener(name)


_DEFINED: list[Callable[[str], None]] = []  # told each name whose primitive is (re)defined


def on_define(listener: Callable[[str], None]) -> None:
    """Call ``listener(name)`` whenever the primitive under ``name`` is defined, replaced or
    restored (methods that keep a primitive's forward at hand make themselves again)."""
    _DEFINED.append(listener)


def _function(name: str, fn: Callable[..., Any]) -> None:
    _FUNCTIONS[name] = fn
    for listener in _LISTENERS:
        listener(name)


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
    jvp: Rule | None = None,
    variadic: bool = False,
    replace: bool = False,
    checked: bool = True,
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
    - ``jvp``: the forward-mode rule ``jvp(tangents, out, *operands, **params)`` (optional:
      derived from the rules otherwise).
    - ``variadic``: any number of operands (``cat``); its one rule gets its own operand alone,
      and ``position=i``: ``rule(g, out, x, *, position, **params)``.
    - ``replace``: redefine an existing name (graphs already built keep the old definition).
    - ``checked``: check what the forward and rules return as they run, naming the op when it
      is wrong (the built-in primitives, proven by the test suite, skip it for speed).

    A unary elementwise primitive with a float forward becomes a method of Value and Tensor
    (``x.softplus()``), a function of the command line (``python -m autograd.viz``) and an
    activation of ``nn``. See the module docstring for an example.
    """
    if not replace and isinstance(name, str) and name in _REGISTRY:
        raise ValueError(
            f"primitive {name!r} is already defined; pass replace=True to redefine it "
            "(graphs already built keep the old definition)"
        )
    if checked and isinstance(name, str):
        if floats is not None:
            floats = _checked_floats(name, floats)
        if arrays is not None:
            arrays = _checked_arrays(name, kind, arrays)
        if not isinstance(rules, (str, bytes)) and isinstance(rules, Sequence):
            rules = [r if not callable(r) else _checked_rule(name, i, r) for i, r in enumerate(rules)]
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
        jvp=jvp,
        variadic=variadic,
    )
    return define(prim, replace=replace)


def define(prim: Primitive, replace: bool = False) -> Primitive:
    """Register ``prim`` under its name (``replace`` to put it in place of an existing one)."""
    if not isinstance(prim, Primitive):
        raise TypeError(f"define: expected a Primitive, got {type(prim).__name__}")
    if prim.name in _REGISTRY and not replace:
        raise ValueError(f"primitive {prim.name!r} is already defined; pass replace=True to redefine it")
    _REGISTRY[prim.name] = prim
    for listener in _DEFINED:
        listener(prim.name)
    if prim.arity == 1 and not prim.variadic and prim.kind == "elementwise" and prim.floats is not None:
        if prim.name.isidentifier():
            _function(prim.name, prim)
    elif _FUNCTIONS.get(prim.name) is not None and isinstance(_FUNCTIONS[prim.name], Primitive):
        del _FUNCTIONS[prim.name]  # replaced by a primitive that is not a unary function
    return prim


def define_function(name: str, fn: Callable[..., Any]) -> None:
    """Register a composite unary function (``gelu``) beside the unary primitives."""
    _function(name, fn)


def primitives() -> list[Primitive]:
    """Every primitive defined now, built-in and yours, in the order their names were defined."""
    return list(_REGISTRY.values())


def lookup(name: str) -> Primitive:
    """The primitive defined under ``name`` now (KeyError names the known ones)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no primitive named {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def functions() -> dict[str, Callable[..., Any]]:
    """The unary elementwise functions, by name: every such primitive and the composites
    (``gelu``). Methods, the command line and ``nn``'s activations offer exactly these.

    >>> import autograd
    >>> {"exp", "tanh", "relu", "gelu"} <= set(functions())
    True
    """
    return dict(_FUNCTIONS)


def snapshot() -> tuple[dict[str, Primitive], dict[str, Callable[..., Any]]]:
    """The registry as it is now, for `restore` (tests that define primitives put it back)."""
    return dict(_REGISTRY), dict(_FUNCTIONS)


def restore(saved: tuple[dict[str, Primitive], dict[str, Callable[..., Any]]]) -> None:
    """Put back a registry saved by `snapshot`."""
    changed = [name for name in {*_REGISTRY, *saved[0]} if _REGISTRY.get(name) is not saved[0].get(name)]
    _REGISTRY.clear()
    _REGISTRY.update(saved[0])
    _FUNCTIONS.clear()
    _FUNCTIONS.update(saved[1])
    for name in changed:
        for listener in _DEFINED:
            listener(name)


def in_rules() -> bool:
    """True while the engine runs rules on graph nodes (``create_graph``) in this thread: a
    node turned into a plain number then (``math.exp(x)``) would silently cut the graph."""
    return Modes.here().rules

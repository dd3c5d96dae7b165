"""Rules traced into code: the fast first-order backward of `Value`, derived from the definitions.

A derivative rule is a Python function written with arithmetic, primitives, `where` and `power`.
Called on `Sym` operands instead of numbers, it returns the expression it computes, as a small
tree. That tree is then written out as source code:

- in Python, as a Value node's backward step: ``a.grad += (g * b.data)`` for ``a * b``. One such
  function per primitive (and per choice of which operands are plain numbers), so the backward
  pass runs one straight-line function per node, with no call to a rule and no table lookup: the
  speed of hand-written code, from the one definition of each rule;
- in JavaScript, for the step page that recomputes a graph in the browser (`to_js`).

A rule that cannot be traced (it branches on its operand, or calls ``math.exp`` directly) still
works: its step then calls the rule itself, a little slower.

>>> from autograd.ops import MUL, TANH
>>> print(MUL.scalar_ops()[0].send.source)
def send(v):
    g = v.grad
    a = v._a
    b = v._b
    a.grad += (g * b.data)
    b.grad += (g * a.data)
>>> print(TANH.scalar_ops()[0].send.source.splitlines()[-1])
    a.grad += (g * (1 - (v.data * v.data)))
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from autograd.primitive import OPERANDS, Primitive, float_power

__all__ = ["Sym", "javascript", "scalar_send", "tensor_send", "to_js", "to_python"]

Tree = tuple[Any, ...]


class Sym:
    """A symbolic operand: arithmetic on it records the expression instead of computing it."""

    __slots__ = ("tree",)

    def __init__(self, tree: Tree | str) -> None:
        self.tree: Tree = ("var", tree) if isinstance(tree, str) else tree

    def _bin(self, op: str, other: Any, reflected: bool = False) -> Sym:
        left, right = _tree(self), _tree(other)
        return Sym(("bin", op, right, left) if reflected else ("bin", op, left, right))

    def __add__(self, o: Any) -> Sym:
        return self._bin("+", o)

    def __radd__(self, o: Any) -> Sym:
        return self._bin("+", o, True)

    def __sub__(self, o: Any) -> Sym:
        return self._bin("-", o)

    def __rsub__(self, o: Any) -> Sym:
        return self._bin("-", o, True)

    def __mul__(self, o: Any) -> Sym:
        return self._bin("*", o)

    def __rmul__(self, o: Any) -> Sym:
        return self._bin("*", o, True)

    def __truediv__(self, o: Any) -> Sym:
        return self._bin("/", o)

    def __rtruediv__(self, o: Any) -> Sym:
        return self._bin("/", o, True)

    def __pow__(self, o: Any) -> Sym:
        return self._bin("**", o)

    def __rpow__(self, o: Any) -> Sym:
        return self._bin("**", o, True)

    def __neg__(self) -> Sym:
        return Sym(("neg", self.tree))

    def __gt__(self, o: Any) -> Sym:
        return self._bin(">", o)

    def __lt__(self, o: Any) -> Sym:
        return self._bin("<", o)

    def __ge__(self, o: Any) -> Sym:
        return self._bin(">=", o)

    def __le__(self, o: Any) -> Sym:
        return self._bin("<=", o)

    def __eq__(self, o: Any) -> Sym:  # type: ignore[override]
        return self._bin("==", o)

    def __ne__(self, o: Any) -> Sym:  # type: ignore[override]
        return self._bin("!=", o)

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError("a rule that branches on its operand cannot be traced: write where(cond, x, y)")

    def __float__(self) -> float:
        raise TypeError("a rule that calls a float function on its operand cannot be traced")

    # How primitives, where() and power() see a symbol (see autograd.primitive).

    @staticmethod
    def _apply(prim: Primitive, operands: tuple[Any, ...], params: dict[str, Any]) -> Sym:
        if params or prim.floats is None:
            raise TypeError(f"{prim.name}: only parameter-free primitives with a float forward are traced")
        return Sym(("call", prim, tuple(_tree(x) for x in operands)))

    @staticmethod
    def _where(cond: Any, x: Any, y: Any) -> Sym:
        return Sym(("where", _tree(cond), _tree(x), _tree(y)))

    @staticmethod
    def _power(a: Any, k: Any) -> Sym:
        return Sym(("power", _tree(a), _tree(k)))


def _tree(x: Any) -> Tree:
    if isinstance(x, Sym):
        return x.tree
    if isinstance(x, (bool, int, float)):
        return ("num", x)
    raise TypeError(f"cannot trace an operand of type {type(x).__name__}")


def to_python(tree: Tree, env: dict[str, Any]) -> str:
    """Python source for ``tree``; names it calls are added to ``env`` (the function's globals)."""
    head = tree[0]
    if head == "var":
        return str(tree[1])
    if head == "num":
        v = tree[1]
        if isinstance(v, float) and not math.isfinite(v):
            env["_inf"], env["_nan"] = math.inf, math.nan
            return "_nan" if math.isnan(v) else ("_inf" if v > 0 else "(-_inf)")
        return repr(v)
    if head == "bin":
        return f"({to_python(tree[2], env)} {tree[1]} {to_python(tree[3], env)})"
    if head == "neg":
        return f"(-{to_python(tree[1], env)})"
    if head == "where":
        c, x, y = (to_python(t, env) for t in tree[1:])
        return f"({x} if {c} else {y})"
    if head == "power":
        env["_power"] = float_power
        return f"_power({to_python(tree[1], env)}, {to_python(tree[2], env)})"
    if head == "call":
        prim = tree[1]
        name = "_" + re.sub(r"\W", "_", prim.name) + f"_{id(prim):x}"
        env[name] = prim.floats
        return f"{name}({', '.join(to_python(t, env) for t in tree[2])})"
    raise ValueError(f"unknown expression {head!r}")  # pragma: no cover


def to_js(tree: Tree) -> str:
    """JavaScript source for ``tree``: calls go to ``F[name]`` (each primitive's ``js`` forward)
    and ``power`` to ``power``, which the page defines."""
    head = tree[0]
    if head == "var":
        return str(tree[1])
    if head == "num":
        v = tree[1]
        if isinstance(v, float) and not math.isfinite(v):
            return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "(-Infinity)")
        return repr(float(v)) if not isinstance(v, bool) else ("1" if v else "0")
    if head == "bin":
        op = {"==": "===", "!=": "!=="}.get(tree[1], tree[1])
        return f"({to_js(tree[2])} {op} {to_js(tree[3])})"
    if head == "neg":
        return f"(-{to_js(tree[1])})"
    if head == "where":
        c, x, y = (to_js(t) for t in tree[1:])
        return f"({c} ? {x} : {y})"
    if head == "power":
        return f"power({to_js(tree[1])}, {to_js(tree[2])})"
    if head == "call":
        return f"F[{tree[1].name!r}]({', '.join(to_js(t) for t in tree[2])})"
    raise ValueError(f"unknown expression {head!r}")  # pragma: no cover


def trace_rule(prim: Primitive, i: int, g: Sym, out: Sym, operands: list[Sym]) -> Tree:
    """Rule ``i`` of ``prim`` as an expression in the symbols ``g``, ``out`` and ``operands``."""
    rule = prim.rules[i]
    assert rule is not None
    return _tree(rule(g, out, *operands))


_SLOTS = ("_a", "_b")


def scalar_send(prim: Primitive, consts: tuple[int, ...]) -> Callable[[Any], None]:
    """The backward step of a Value node made by ``prim``, ``consts`` saying which operands are
    plain numbers: ``send(v)`` adds ``v.grad`` times each local derivative into the inputs'
    ``.grad``. Its source is kept as ``send.source``."""
    names = OPERANDS[: prim.arity]
    if prim.arity > len(_SLOTS):
        raise TypeError(f"{prim.name}: a Value node holds at most two operands, this takes {prim.arity}")
    operands = [Sym(f"v.{_SLOTS[i]}" if i in consts else f"{x}.data") for i, x in enumerate(names)]
    grads = [i for i, rule in enumerate(prim.rules) if rule is not None and i not in consts]
    env: dict[str, Any] = {}
    lines = ["def send(v):", "    g = v.grad"]
    lines += [f"    {names[i]} = v.{_SLOTS[i]}" for i in range(prim.arity) if i not in consts]
    try:
        for i in grads:
            expr = to_python(trace_rule(prim, i, Sym("g"), Sym("v.data"), operands), env)
            lines.append(f"    {names[i]}.grad += {expr}")
    except (TypeError, ValueError, AttributeError):
        return _calling_send(prim, consts, grads)
    source = "\n".join(lines if grads else [*lines, "    pass"])
    exec(compile(source, f"<backward step of {prim.name}>", "exec"), env)
    send = env["send"]
    send.source = source
    return send


def _calling_send(prim: Primitive, consts: tuple[int, ...], grads: list[int]) -> Callable[[Any], None]:
    """The step for a rule that cannot be traced: it calls the rules on the floats."""
    rules, slots = prim.rules, _SLOTS[: prim.arity]

    def send(v: Any) -> None:
        operands = [getattr(v, s) for s in slots]
        raw = [x if i in consts else x.data for i, x in enumerate(operands)]
        g, out = v.grad, v.data
        for i in grads:
            operands[i].grad += rules[i](g, out, *raw)  # type: ignore[misc]

    send.source = f"# {prim.name}: the rules are called as they are (they could not be traced)"  # type: ignore[attr-defined]
    return send


def tensor_send(prim: Primitive, n: int, consts: tuple[int, ...], with_params: bool) -> Callable[[Any], None]:
    """The backward step of a Tensor node made by ``prim`` on ``n`` operands (``consts``: which
    are plain numbers; ``with_params``: whether the node has params to pass): each rule runs on
    the arrays for each operand that requires grad, its result summed back to that operand's
    shape and added into its ``.grad``. Written out per signature, as `scalar_send`, so that a
    small graph pays no loop or check per node beyond what its op needs. Its source is kept as
    ``send.source``."""
    from autograd.tensor_grad import sum_to  # here: tensor_grad's module imports the primitives

    names = [f"x{i}" for i in range(n)]
    env: dict[str, Any] = {"sum_to": sum_to}
    kw = ", **v._params" if with_params else ""
    raw = ", ".join(names[i] if i in consts else f"{names[i]}_" for i in range(n))
    lines = [
        "def send(v):",
        "    g = v.grad",
        "    if g is None:",
        "        return",
        "    if not g.ndim:",
        "        g = g[()]  # a 0-d gradient as a numpy scalar: ten times cheaper arithmetic",
        f"    {', '.join(names)}{',' if n == 1 else ''} = v._args",
        "    out = v.data",
    ]
    lines += [f"    {x}_ = {x}.data" for i, x in enumerate(names) if i not in consts]
    for i, x in enumerate(names):
        rule = prim.rule(i)
        if rule is None or i in consts:
            continue
        env[f"rule_{x}"] = rule
        lines += [
            f"    if {x}.requires_grad:",
            f"        g{x} = rule_{x}(g, out, {raw}{kw})",
            f"        {x}._accumulate(g{x} if g{x}.shape == {x}_.shape else sum_to(g{x}, {x}_.shape))",
        ]
    source = "\n".join(lines)
    exec(compile(source, f"<backward step of {prim.name} on Tensors>", "exec"), env)
    send = env["send"]
    send.source = source
    return send


def javascript(prims: Sequence[Primitive]) -> tuple[dict[str, str], list[str]]:
    """JavaScript for the step page: ``F[name](a, b)``, each primitive's forward (its ``js``),
    and ``D[name](g, out, a, b)``, the list of its rules' results (null where an operand has no
    rule), traced from the Python rules: the browser recomputes a graph from the same
    definitions. Written for ``prims`` and every primitive their rules call. Returns each one's
    source by name, and the names of those it could not write (no ``js``, untraceable rules)."""
    sources: dict[str, str] = {}
    missing: list[str] = []
    todo = list(prims)
    while todo:
        prim = todo.pop()
        if prim.name in sources or prim.name in missing:
            continue
        names = list(OPERANDS[: prim.arity])
        if prim.js is None or prim.variadic or prim.floats is None:
            missing.append(prim.name)
            continue
        try:
            trees = [
                None if rule is None else trace_rule(prim, i, Sym("g"), Sym("out"), [Sym(x) for x in names])
                for i, rule in enumerate(prim.rules[: prim.arity])
            ]
        except (TypeError, ValueError, AttributeError):
            missing.append(prim.name)
            continue
        todo.extend(p for tree in trees if tree is not None for p in _calls(tree))
        grads = ", ".join("null" if tree is None else to_js(tree) for tree in trees)
        key, args = json.dumps(prim.name), ", ".join(names)
        sources[prim.name] = (
            f"F[{key}] = function ({args}) {{ return {prim.js}; }};\n"
            f"D[{key}] = function (g, out, {args}) {{ return [{grads}]; }};"
        )
    return sources, missing


def _calls(tree: Tree) -> list[Primitive]:
    """The primitives an expression calls."""
    found = [tree[1]] if tree[0] == "call" else []
    for part in tree[1:]:
        if isinstance(part, tuple):
            found += _calls(part)
        elif isinstance(part, list):
            found += [p for t in part for p in _calls(t)]
    return found

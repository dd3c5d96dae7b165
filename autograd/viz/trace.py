"""Rules traced into JavaScript, so that the step page recomputes a graph in the browser from the
same definitions the engine uses.

A derivative rule is a Python function written with arithmetic, primitives, `where` and `power`.
Called on `Sym` operands instead of numbers, it returns the expression it computes, as a small
tree, which `to_js` writes out as JavaScript. A rule that cannot be traced (it branches on its
operand, or calls ``math.exp`` directly) still works in Python; the page then says it cannot be
recomputed live.

>>> from autograd.ops import TANH
>>> to_js(trace_rule(TANH, 0, Sym("g"), Sym("out"), [Sym("a")]))
'(g * (1.0 - (out * out)))'
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from autograd.primitive import OPERANDS, Primitive

__all__ = ["Sym", "javascript", "to_js", "trace_rule"]

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

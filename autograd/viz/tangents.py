"""Forward mode one value at a time, in words and numbers: each value's tangent d(value)/dx
carried beside its data, explained by the chain rule as it is computed:

``x² = 2² = 4; d(x²)/dx = 2x · dx/dx = 4 · 1 = 4``

A value's tangent is the sum over its operands of ∂value/∂operand · tangent(operand). A
primitive's rule is linear in g, so the rule given the operand's tangent as g is that term: the
backward pass's rules serve here too, and no derivative is written twice. The numbers are the
engine's own forward mode: the graph replayed under `autograd.func.jvp`, x carrying the tangent
1. The other inputs carry none (constants along x: tangent 0), and neither does a value computed
from them alone. The step page writes the same sum in JavaScript, from the traced rules.

>>> from autograd import Value
>>> from autograd.viz.graph import GraphView
>>> from autograd.viz.steps import render
>>> x = Value(2.0, label="x")
>>> g = GraphView(3 * x**2 + 2, root_name="L")
>>> tangents = Tangents(g, x)
>>> render(tangents.template(g.order[1]), tangents.numbers)
'x² = 2² = 4; d(x²)/dx = 2x · dx/dx = 4 · 1 = 4'
>>> tangents.total[g.root]
12.0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from autograd import engine
from autograd.func import jvp
from autograd.value import Value
from autograd.viz.draw import natural
from autograd.viz.graph import GraphView, is_array, operands, primitive_of
from autograd.viz.steps import (
    Numbers,
    _local_formula,
    _partial,
    d,
    edge_template,
    forward_template,
    template_view,
)

__all__ = ["MODES", "Mode", "Tangents", "check_mode", "check_wrt", "engine_tangents"]

Mode = Literal["reverse", "forward"]
MODES = ("reverse", "forward")


def check_mode(mode: Any, wrt: Any, who: str) -> None:
    """ValueError unless ``mode`` is one of `MODES`, with ``wrt`` given exactly in forward mode.

    >>> check_mode("forward", None, "backward_page")
    Traceback (most recent call last):
    ValueError: backward_page: mode='forward' needs wrt=, the input whose tangent is carried ...
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"{who}: mode must be 'reverse' or 'forward', got {mode!r:.60}")
    if mode == "reverse" and wrt is not None:
        raise ValueError(
            f"{who}: wrt= is for mode='forward' (the backward pass finds the gradient of every "
            "value at once); pass mode='forward' to carry tangents from wrt, or leave wrt out"
        )
    if mode == "forward" and wrt is None:
        raise ValueError(
            f"{who}: mode='forward' needs wrt=, the input whose tangent is carried forward "
            "(a leaf of root's graph, e.g. wrt=x)"
        )


def check_wrt(g: GraphView, wrt: Any, who: str) -> None:
    """TypeError or ValueError, naming the problem, unless forward mode can start from ``wrt``:
    a named leaf of a graph of Values, every op of which is a primitive."""
    if any(is_array(n) for n in g.order):
        raise ValueError(
            f"{who}: mode='forward' steps through graphs of Values; this graph holds Tensors (its "
            "step page has mode='reverse'; for a Tensor's tangents use autograd.func.jvp)"
        )
    if not isinstance(wrt, Value):
        raise TypeError(f"{who}: wrt must be a Value, a leaf of root's graph, got {type(wrt).__name__}")
    named = sorted((g.name(n) for n in g.order if not n._prev and g.own_name(n)), key=natural)
    offer = f"; its inputs: {', '.join(named[:8])}{', ...' if len(named) > 8 else ''}" if named else ""
    if wrt not in g.index:
        raise ValueError(f"{who}: wrt {wrt!r:.80} is not in the graph below root{offer}")
    if wrt._prev:
        op = primitive_of(wrt)
        raise ValueError(
            f"{who}: wrt {g.name(wrt)!r:.60} is not a leaf: it is computed (by "
            f"{op.name if op else wrt._op}); forward mode starts from an input{offer}"
        )
    if not g.own_name(wrt):
        raise ValueError(
            f"{who}: wrt (the input {g.name(wrt)}) has no name, so the page cannot write d(value)/dx: "
            f"label it, e.g. Value({float(wrt._data)!r}, label='x')"
        )
    for n in g.order:
        if n._prev and primitive_of(n) is None:
            raise ValueError(
                f"{who}: mode='forward' needs every value made by a primitive; {g.name(n)!r:.60} "
                f"was built by hand (op {n._op!r:.20})"
            )


def engine_tangents(g: GraphView, wrt: Any) -> dict[Any, float]:
    """Each value's tangent d(value)/d(wrt) by the engine's forward mode: the graph replayed, op by
    op from its primitives, under `autograd.func.jvp` with ``wrt`` carrying the tangent 1. Values
    that carry no tangent (they do not depend on ``wrt``) are left out.

    >>> from autograd import Value
    >>> x, y = Value(2.0, label="x"), Value(3.0, label="y")
    >>> g = GraphView(x * y + y)
    >>> {g.name(n): t for n, t in engine_tangents(g, x).items()}     # y carries none
    {'x': 1.0, 'x·y': 3.0, 'x·y + y': 3.0}
    """
    made: dict[Any, Any] = {}

    def replay(x: Any) -> Any:
        for n in g.order:
            if n is wrt:
                made[n] = x
            elif not n._prev:
                made[n] = n  # another input: a constant along wrt, with no tangent
            else:
                args = tuple(made[a] if isinstance(a, engine.Node) else a for a in operands(n))
                # As Value applies a primitive (prim(x, y) itself would refuse a plain Value y
                # beside the TangentValue x: see the report); check_wrt: none is built by hand.
                made[n] = Value._apply(primitive_of(n), args, {})  # type: ignore[arg-type]
        return made[g.root]

    jvp(replay, (float(wrt._data),), (1.0,))
    return {n: float(t) for n, v in made.items() if (t := getattr(v, "tangent", None)) is not None}


def _factor(text: str) -> str:
    """A local derivative as a factor of a product: ``(1 - tanh²(n))``, ``2x``."""
    depth = 0
    for k, ch in enumerate(text):
        depth += 1 if ch in "([" else -1 if ch in ")]" else 0
        if depth == 0 and text[k : k + 3] in (" + ", " - "):  # a sum: bracketed, as on paper
            return f"({text})"
    return text


class Tangents:
    """Forward mode below ``g.root`` from ``wrt``, worked out once for all its steps: ``total``
    (each value's tangent, for those that carry one), the sentences' templates and their
    ``numbers``."""

    def __init__(self, g: GraphView, wrt: Any) -> None:
        self.g, self.wrt = g, wrt
        self.total = engine_tangents(g, wrt)
        self.numbers = Numbers(g.order, {}, self.total)

    def terms(self, node: Any) -> list[tuple[int, Any]]:
        """(position, operand) of each term of ``node``'s tangent: operands carrying a tangent."""
        prim = primitive_of(node)
        rules: Sequence[Any] = prim.rules if prim is not None else ()
        return [
            (j, x)
            for j, x in enumerate(operands(node))
            if isinstance(x, engine.Node) and x in self.total and j < len(rules) and rules[j] is not None
        ]

    def head(self, node: Any) -> str:
        """``d(x²)/dx = {t:1}``: the tangent, as the list of those found so far shows it."""
        t = template_view(self.g)
        return f"{d(t.name(node))}/{d(t.name(self.wrt))} = {{t:{self.g.index[node]}}}"

    def inputs_template(self, leaves: Sequence[Any]) -> str:
        t, by = template_view(self.g), template_view(self.g).name(self.wrt)
        listed = ", ".join(f"{t.name(n)} = {{d:{self.g.index[n]}}}" for n in leaves[:12])
        more = f" and {len(leaves) - 12} more" if len(leaves) > 12 else ""
        others = " (the other inputs are held constant: their tangents are 0)" if len(leaves) > 1 else ""
        return (
            f"The inputs: {listed}{more}. Forward mode computes each value together with its tangent, "
            f"its derivative with respect to {by}, starting from {d(by)}/{d(by)} = 1{others}. One pass "
            f"forward ends with {d(t.name(self.g.root))}/{d(by)}."
        )

    def template(self, node: Any) -> str:
        """The forward step of a computed value: its data, then its tangent by the chain rule."""
        g, t = self.g, template_view(self.g)
        c, me, by = g.index[node], t.name(node), t.name(self.wrt)
        value, head = forward_template(t, node), f"{d(me)}/{d(by)}"
        terms = self.terms(node)
        if not terms:
            return f"{value}; {me} does not depend on {by}, so {head} = 0"
        factors = []
        for j, x in terms:
            formula = _local_formula(t, node, j)
            if not formula or re.search(r" if | where |,", formula):  # a selection: its symbol
                formula = _partial(me, t.name(x))
            factors.append(f"{_factor(formula)} · {d(t.name(x))}/{d(by)}")
        numbers = " + ".join(f"{{l:{c}:{j}}} · {{t:{g.index[x]}}}" for j, x in terms)
        flat = [
            t.name(x)
            for x in dict.fromkeys(operands(node))
            if isinstance(x, engine.Node) and x not in self.total
        ]
        note = ""
        if flat:
            note = f" ({' and '.join(flat)} {'does' if len(flat) == 1 else 'do'} not depend on {by})"
        return f"{value}; {head} = {' + '.join(factors)} = {numbers} = {{t:{c}}}{note}"

    def labels(self, node: Any) -> list[dict[str, Any]]:
        """The local derivative on each edge a tangent comes along, once per operand."""
        c, seen, out = self.g.index[node], set(), []
        for j, x in self.terms(node):
            if x not in seen:
                seen.add(x)
                out.append({"edge": [self.g.index[x], c], "template": edge_template(self.g, node, j)})
        return out

"""The backward pass one node at a time, in the engine's order: each step's gradient, its
chain-rule sentence in words and numbers, and a picture with the nodes done so far, the current
one, and the rest:

``dL/dx = 12: through x² the gradient becomes 3 · 2x = 3 · 4 = 12 (chain rule: dL/dx = dL/d(x²) · ∂(x²)/∂x).``

The local derivative in each sentence is the text its primitive's definition gives
(``1 - tanh²(n)``), and its number comes from the primitive's own rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from autograd import engine
from autograd.ops import ADD, ATOM_LEVEL, MUL, POW, POWER_LEVEL
from autograd.primitive import OPERANDS
from autograd.viz.draw import Plan, check_rankdir, picture
from autograd.viz.graph import (
    Formula,
    GraphView,
    check_root,
    fill,
    fmt_fixed,
    fmt_number,
    is_array,
    is_number,
    number_formula,
    op_label,
    operands,
    paren,
    power_text,
    primitive_of,
    sent_gradients,
    summary,
)
from autograd.viz.render import GraphPicture

# What one consumer sent a node: (consumer, operand position, consumer's gradient, what it sent).
Sent = tuple[Any, int, Any, Any]


def d(name: str) -> str:
    """``x`` -> ``dx``; a formula -> ``d(3·x²)``."""
    return "d" + name if re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", name) else f"d({name})"


def _partial(of: str, by: str) -> str:
    """The local derivative ``∂(x²)/∂x``: one op's own, told apart from the total ``dL/dx``."""
    return "∂" + d(of)[1:] + "/∂" + d(by)[1:]


def grad_text(g: Any) -> str:
    return fmt_number(float(g)) if np.ndim(g) == 0 else summary(g)


def _operand_text(g: GraphView, x: Any) -> str:
    return fmt_number(float(x)) if is_number(x) else g.name(x)


def _operand_formula(g: GraphView, x: Any) -> Formula:
    return number_formula(float(x)) if is_number(x) else g.named(x)


def _through(g: GraphView, consumer: Any, j: int) -> str:
    """How the path from operand ``j`` through ``consumer`` reads: ``+ 2``, ``3 ·``, ``x²``, ``tanh``."""
    prim, ops = primitive_of(consumer), operands(consumer)
    if prim in (ADD, MUL) and len(ops) == 2:
        other = ops[1 - j]
        text = _operand_text(g, other)
        if prim is ADD and is_number(other) and other < 0:
            return f"- {fmt_number(-float(other))}"
        if prim is ADD and j == 0 and text.startswith("-") and not is_number(other):
            return f"- {text[1:]}"
        if prim is MUL and is_number(other):
            return f"{text} ·"
        sym = "+" if prim is ADD else "·"
        return f"{sym} {text}" if j == 0 else f"{text} {sym}"
    if prim is POW and is_number(ops[1]):
        return power_text(g.named(ops[0]), float(ops[1]))
    if prim is POW:
        return f"{_operand_text(g, ops[0])}^{_operand_text(g, ops[1])}"
    return prim.name if prim is not None else str(consumer._op or "?")


def _local_formula(g: GraphView, consumer: Any, j: int, local: float) -> str:
    """d(consumer)/d(operand j) as a formula in the operands' names (``2x``, ``1 - tanh²(n)``):
    the text the primitive's definition gives, or the number when it gives none."""
    prim = primitive_of(consumer)
    if prim is None or not prim.derivatives:
        return fmt_number(local)
    ops = operands(consumer)
    formulas = {OPERANDS[i]: _operand_formula(g, x) for i, x in enumerate(ops)}
    formulas["out"] = g.named(consumer)
    text = prim.derivatives[j]
    if callable(text):
        return text(**{k: paren(f, ATOM_LEVEL) for k, f in formulas.items()})
    return fill(text, formulas, POWER_LEVEL) or fmt_number(local)


def _factor(formula: str) -> str:
    """A formula as the right-hand factor of a product: ``(1 - tanh²(n))``, ``(-1)``."""
    return f"({formula})" if " - " in formula or " + " in formula or formula.startswith("-") else formula


def sentence(g: GraphView, node: Any, total: Any, sent: list[Sent]) -> str:
    """The chain rule for ``node``, whose gradient is ``total``, with numbers; ``sent`` says what
    each consumer sent it."""
    R, me = g.name(g.root), g.name(node)
    dR, dn = d(R), d(me)
    head = f"{dR}/{dn} = {grad_text(total)}"
    if node is g.root:
        return f"{head}: the backward pass starts at the output {R}; d{R}/d{R} is always 1."
    if is_array(node) or any(is_array(c) for c, *_ in sent):
        return _array_sentence(g, node, total, sent, head)
    terms: list[tuple[Any, Any, float, str, bool]] = []
    values: list[float] = []
    ways: list[str] = []
    for consumer, j, gc, pg in sent:
        local = float(_local_value(consumer, j))
        formula = _local_formula(g, consumer, j, local)
        terms.append((consumer, gc, local, formula, formula == fmt_number(local)))
        values.append(float(pg))
        ways.append(_through(g, consumer, j))
    if len(terms) == 1:
        consumer, gc, local, formula, numeric = terms[0]
        formula = _factor(formula)
        dc = d(g.name(consumer))
        rule = f"{dR}/{dn} = {dR}/{dc} · {formula if numeric else _partial(g.name(consumer), me)}"
        if formula == "1":
            return f"{head}: through {ways[0]} the gradient stays {fmt_number(gc)} (chain rule: {rule})."
        expl = f"{fmt_number(gc)} · {formula}" + (
            "" if numeric else f" = {fmt_number(gc)} · {fmt_number(local)}"
        )
        result = f"{expl} = {fmt_number(total)}"
        return f"{head}: through {ways[0]} the gradient becomes {result} (chain rule: {rule})."
    users = [g.name(c) for c, *_ in sent]
    places = (
        "in " + ", ".join(users[:-1]) + " and " + users[-1] if len(set(users)) > 1 else f"both in {users[0]}"
    )
    products = " + ".join(f"{fmt_number(gc)} · {_factor(formula)}" for _, gc, _, formula, _ in terms)
    added = fmt_number(values[0]) + "".join(
        f" - {fmt_number(-v)}" if v < 0 else f" + {fmt_number(v)}" for v in values[1:]
    )
    return (
        f"{head}: {me} is used {len(terms)} times ({places}), so what it receives "
        f"adds up: {products} = {added} = {grad_text(total)}."
    )


def _local_value(consumer: Any, j: int) -> Any:
    """∂(consumer)/∂(operand j): the rule run with g = 1 (rules are linear in g)."""
    prim = primitive_of(consumer)
    rule = prim.rule(j) if prim is not None else None
    if rule is None:
        return 0.0
    raw = [getattr(x, "data", x) for x in operands(consumer)]
    return rule(1.0, consumer.data, *raw)


def _array_sentence(g: GraphView, node: Any, total: Any, sent: list[Sent], head: str) -> str:
    me, dR = g.name(node), d(g.name(g.root))
    shape = f" (shape {tuple(np.shape(total))})" if np.ndim(total) else ""
    if len(sent) == 1:
        consumer = sent[0][0]
        summed = ""
        prim = primitive_of(consumer)
        if prim is not None and prim.kind == "elementwise" and np.shape(consumer.data) != np.shape(total):
            summed = f", summed over the broadcast axes back to shape {tuple(np.shape(total))}"
        rule = f"{dR}/{d(me)} = {dR}/{d(g.name(consumer))} · {_partial(g.name(consumer), me)}"
        return f"{head}{shape}: through {op_label(consumer)} (chain rule: {rule}{summed})."
    ops = ", ".join(op_label(c) for c, *_ in sent)
    return f"{head}{shape}: {me} is used {len(sent)} times (through {ops}), and what it receives adds up."


class BackwardStep:
    """One node of the backward pass: its gradient, the chain-rule sentence, and its picture.

    ``picture`` is built when first asked for (a graph of n nodes has n steps of n nodes each).
    """

    __slots__ = ("index", "node", "name", "grad", "sentence", "_make", "_picture")

    def __init__(
        self, index: int, node: Any, name: str, grad: Any, sentence: str, make: Callable[[int], GraphPicture]
    ) -> None:
        self.index = index
        self.node = node
        self.name = name
        self.grad = grad
        self.sentence = sentence
        self._make = make
        self._picture: GraphPicture | None = None

    @property
    def picture(self) -> GraphPicture:
        """The graph with the nodes done so far highlighted, this one marked, the rest grey."""
        if self._picture is None:
            self._picture = self._make(self.index)
        return self._picture

    def __repr__(self) -> str:
        return f"BackwardStep({self.index}, {self.sentence!r})"


class Walk:
    """The backward pass below ``g.root``, worked out once for all its steps.

    Gradients are computed afresh with `autograd.engine.grad`; what each node sends to each of
    its operands is the engine's own rule, run on that gradient.
    """

    def __init__(self, g: GraphView, rankdir: str) -> None:
        self.g, self.rankdir = g, rankdir
        self.plan = Plan(g, fold=True)
        nodes = [n for n in reversed(g.order) if getattr(n, "requires_grad", True)]  # data needs none
        raw = [getattr(v, "data", v) for v in engine.grad(g.root, nodes)]
        self.total: dict[Any, Any] = dict(zip(nodes, raw))  # node -> its gradient (data, not a node)
        self.sent: dict[Any, list[Sent]] = {n: [] for n in g.order}
        self.reached = {g.root}  # nodes a gradient flows to (data that needs none is not)
        for node in nodes:
            if node not in self.reached or not node._prev:
                continue
            for j, parent, pg in sent_gradients(node, self.total[node]):
                if pg is not None:
                    self.sent[parent].append((node, j, self.total[node], pg))
                    self.reached.add(parent)
        self.order = [n for n in nodes if n in self.reached]

    def steps(self) -> list[BackwardStep]:
        g, total = self.g, self.total
        return [
            BackwardStep(k, n, g.name(n), total[n], sentence(g, n, total[n], self.sent[n]), self.picture)
            for k, n in enumerate(self.order)
        ]

    def picture(self, k: int) -> GraphPicture:
        """Step ``k``: the nodes before it done, its node current, the rest pending."""
        state = {n: "done" for n in self.order[:k]}
        state[self.order[k]] = "current"
        return picture(
            self.g,
            self.plan,
            rankdir=self.rankdir,
            cluster=True,
            grad_text=lambda n: self.grad_text(n, state),
            state=state,
            incoming={c for c, *_ in self.sent[self.order[k]]},
            note=f"step {k + 1} of {len(self.order)}",
        )

    def grad_text(self, node: Any, state: Mapping[Any, str]) -> str:
        if node not in self.reached:  # no gradient flows here (data that needs none): not a step
            return "no grad"
        if state.get(node, "pending") == "pending":
            return "grad ?"
        grad = self.total[node]
        return "grad " + (fmt_fixed(grad) if np.ndim(grad) == 0 else summary(grad, "\n"))


def backward_steps(
    root: Any,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "LR",
) -> list[BackwardStep]:
    """The backward pass from ``root``, one step per node in the order the engine visits them.

    Gradients are computed afresh with `autograd.engine.grad`: no ``.grad`` changes. An unnamed
    output is called L.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> steps = backward_steps(3 * x**2 + 2)
    >>> print(steps[-1].sentence)
    dL/dx = 12: through x² the gradient becomes 3 · 2x = 3 · 4 = 12 (chain rule: dL/dx = dL/d(x²) · ∂(x²)/∂x).
    >>> x.grad   # untouched
    0.0
    """
    check_root(root, "backward_steps")
    check_rankdir(rankdir, "backward_steps")
    return Walk(GraphView(root, names, module, root_name="L"), rankdir).steps()

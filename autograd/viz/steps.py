"""The passes one step at a time, in words and numbers: the forward pass node by node, and the
backward pass one gradient at a time, each explained by the chain rule as soon as it is final:

``dL/dx = 12: x feeds x², whose local derivative ∂(x²)/∂x = 2x = 4; by the chain rule
dL/dx = dL/d(x²) · ∂(x²)/∂x = 3 · 4 = 12.``

A sentence is made as a template whose numbers are slots (``{g:3}``: the gradient of node 3),
filled here for `backward_steps` and in the browser by the step page, which recomputes the
numbers when a learner edits an input: one wording, one number format, two places it is read.
The local derivatives are the texts the primitives' definitions give (``1 - tanh²(n)``), and
their numbers come from the primitives' own rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from autograd import engine
from autograd.ops import ATOM_LEVEL, POWER_LEVEL, PRODUCT_LEVEL
from autograd.primitive import OPERANDS
from autograd.viz.draw import check_rankdir, picture
from autograd.viz.graph import (
    Formula,
    GraphView,
    check_root,
    combine,
    fill,
    fmt_number,
    is_array,
    is_number,
    is_op,
    number_formula,
    op_label,
    operands,
    paren,
    primitive_of,
    sent_gradients,
    summary,
)
from autograd.viz.plan import Plan
from autograd.viz.render import GraphPicture

# --- templates and their numbers -------------------------------------------------------------------

# A slot: d (data), g (gradient), l (local derivative: the rule with g = 1), s (what a node sends
# an operand), v (whether a 0-or-1 local derivative passes the gradient or blocks it), t (the
# tangent of forward mode). A negative number right after an operator is put in parentheses:
# 0.5 · (-3), 2^(-1).
SLOT = re.compile(r"\{\{|\}\}|\{([dglsvt]):(\d+)(?::(\d+))?\}")  # {{ and }}: a brace of a name
_AFTER_OPERATOR = re.compile(r"[·*/^+\-×] ?$")


def number_text(x: Any) -> str:
    """One number as every sentence and the step page show it: 3, 0.5, -1.5, 0.3333, 1.2e-07."""
    return fmt_number(float(x)) if np.ndim(x) == 0 else summary(x)


class Numbers:
    """The numbers a template's slots refer to: each node's data, gradient (or, in forward mode,
    tangent), and each node's local derivatives and what it sends, by operand position."""

    def __init__(
        self, order: Sequence[Any], grads: Mapping[Any, Any], tangents: Mapping[Any, Any] | None = None
    ) -> None:
        self.index = {n: i for i, n in enumerate(order)}
        self.nodes = list(order)
        self.grads = grads
        self.tangents = tangents or {}

    def data(self, i: int) -> Any:
        return self.nodes[i]._data

    def grad(self, i: int) -> Any:
        return self.grads.get(self.nodes[i], 0.0)

    def local(self, i: int, j: int) -> Any:
        node = self.nodes[i]
        prim = primitive_of(node)
        rule = prim.rules[j] if prim is not None else None
        if rule is None:
            return 0.0
        raw = [getattr(x, "_data", x) for x in operands(node)]
        params = getattr(node, "_params", None) or {}
        return rule(1.0, node._data, *raw, **params)

    def value(self, kind: str, i: int, j: int | None) -> Any:
        if kind == "d":
            return self.data(i)
        if kind == "g":
            return self.grad(i)
        if kind == "t":
            return self.tangents.get(self.nodes[i], 0.0)
        local = self.local(i, j or 0)
        return local * self.grad(i) if kind == "s" else local


def render(template: str, numbers: Numbers) -> str:
    """A template with its slots filled by ``numbers`` (the step page does the same in JavaScript)."""

    def one(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return m.group()[0]
        kind, i, j = m.group(1), int(m.group(2)), m.group(3)
        if kind == "v":
            return "blocks it" if numbers.local(i, int(j or 0)) == 0 else "passes it on"
        text = number_text(numbers.value(kind, i, None if j is None else int(j)))
        after_operator = _AFTER_OPERATOR.search(template, 0, m.start()) is not None
        return f"({text})" if after_operator and text.startswith("-") else text

    return SLOT.sub(one, template)


# --- writing the templates -------------------------------------------------------------------------


def braces(text: str) -> str:
    """Text as it goes into a template: braces doubled, so a label such as ``{d:0}`` reads as
    itself and is never taken for a slot."""
    return text.replace("{", "{{").replace("}", "}}")


class TemplateView:
    """A `GraphView` whose names come out as templates need them (see `braces`)."""

    def __init__(self, g: GraphView) -> None:
        self.graph = g

    def __getattr__(self, attr: str) -> Any:  # index, root, order, own_name, ...: the graph's own
        return getattr(self.graph, attr)

    def name(self, node: Any) -> str:
        return braces(self.graph.name(node))

    def named(self, node: Any) -> Formula:
        text, level = self.graph.named(node)
        return braces(text), level


def template_view(g: GraphView | TemplateView) -> TemplateView:
    return g if isinstance(g, TemplateView) else TemplateView(g)


def d(name: str) -> str:
    """``x`` -> ``dx``; a formula -> ``d(3·x²)``."""
    return "d" + name if re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", name) else f"d({name})"


def _partial(of: str, by: str) -> str:
    """The local derivative ``∂(x²)/∂x``: one op's own, told apart from the total ``dL/dx``."""
    return "∂" + d(of)[1:] + "/∂" + d(by)[1:]


def _operand_formula(g: TemplateView, x: Any) -> Formula:
    """An operand as a formula; an unnamed reciprocal y⁻¹ (the inside of a division) as 1/y."""
    if is_number(x):
        return number_formula(float(x))
    base = _reciprocal_of(g, x)
    if base is not None:
        return (f"1/{paren(g.named(base), POWER_LEVEL)}", PRODUCT_LEVEL)
    return g.named(x)


def _reciprocal_of(g: TemplateView, x: Any) -> Any:
    """y when ``x`` is an unnamed y ** -1 (how x / y is made), else None."""
    ops = operands(x)
    if (
        is_op(primitive_of(x), "**")
        and len(ops) == 2
        and is_number(ops[1])
        and ops[1] == -1
        and not g.own_name(x)
    ):
        return ops[0]
    return None


def _slot_formula(g: TemplateView, x: Any) -> Formula:
    """An operand as a number slot in a formula; a reciprocal as one over its base's slot, so that
    x·y⁻¹ reads as x/y with numbers too."""
    if is_number(x):
        return number_formula(float(x))
    base = _reciprocal_of(g, x)
    if base is not None:
        return (f"{{d:{g.index[base]}}}⁻¹", POWER_LEVEL)
    return (f"{{d:{g.index[x]}}}", ATOM_LEVEL)


def forward_template(g: GraphView | TemplateView, node: Any) -> str:
    """The forward step of a computed node: its formula, with names and then with numbers."""
    g = template_view(g)
    i, name = g.index[node], g.name(node)
    with_names = combine(
        node, [number_formula(float(x)) if is_number(x) else g.named(x) for x in operands(node)]
    )
    with_numbers = combine(node, [_slot_formula(g, x) for x in operands(node)])
    shown = [name]
    if with_names is not None and with_names[0] != name:
        shown.append(with_names[0])
    if with_numbers is not None:
        shown.append(with_numbers[0])
    return " = ".join([*shown, f"{{d:{i}}}"])


def _local_formula(g: TemplateView, consumer: Any, j: int) -> str:
    """d(consumer)/d(operand j) as a formula in the operands' names (``2x``, ``1 - tanh²(n)``):
    the text the primitive's definition gives, or "" when it gives none."""
    prim = primitive_of(consumer)
    if prim is None or not prim.derivatives:
        return ""
    formulas = {OPERANDS[i]: _operand_formula(g, x) for i, x in enumerate(operands(consumer))}
    formulas["out"] = g.named(consumer)
    text = prim.derivatives[min(j, len(prim.derivatives) - 1)]
    if callable(text):
        return text(**{k: paren(f, ATOM_LEVEL) for k, f in formulas.items()})
    return fill(text, formulas, POWER_LEVEL) or ""


def _term(g: TemplateView, consumer: Any, j: int) -> tuple[str, str]:
    """How operand j's local derivative through ``consumer`` reads, and its number slot."""
    c, me = g.index[consumer], g.name(operands(consumer)[j])
    partial = _partial(g.name(consumer), me)
    formula = _local_formula(g, consumer, j)
    slot = f"{{l:{c}:{j}}}"
    if " if " in formula:  # a selection (relu): say which side was taken, and why
        value = f"{{d:{g.index[operands(consumer)[j]]}}}"
        verdict = f"{g.name(consumer)} {{v:{c}:{j}}}"
        return f"{partial} = {formula}; {me} = {value}, so it is {{l:{c}:{j}}}: {verdict}", slot
    if not formula or re.fullmatch(r"-?[\d.]+", formula):
        note = " (a sum passes the gradient on unchanged)" if is_op(primitive_of(consumer), "+") else ""
        return f"{partial} = {{l:{c}:{j}}}{note}", slot
    return f"{partial} = {formula} = {{l:{c}:{j}}}", slot


def edge_template(g: GraphView | TemplateView, consumer: Any, j: int) -> str:
    """The label of the edge into ``consumer`` from its operand j: ``∂(x·w)/∂x = w = {l:4:0}``."""
    g = template_view(g)
    partial = _partial(g.name(consumer), g.name(operands(consumer)[j]))
    formula = _local_formula(g, consumer, j)
    slot = f"{{l:{g.index[consumer]}:{j}}}"
    if not formula or " if " in formula or re.fullmatch(r"-?[\d.]+", formula):
        return f"{partial} = {slot}"
    return f"{partial} = {formula} = {slot}"


def backward_template(g: GraphView | TemplateView, node: Any, sent: list[tuple[Any, int]]) -> str:
    """The backward step of ``node``, whose users ``sent`` (consumer, operand position) sent it
    its gradient: the chain rule, with numbers."""
    g = template_view(g)
    i, root = g.index[node], g.name(g.root)
    dR, me = d(root), g.name(node)
    head = f"{dR}/{d(me)} = {{g:{i}}}"
    if node is g.root:
        return f"{head}: the backward pass starts at the output {root}; d{root}/d{root} is always 1."
    if is_array(node) or any(is_array(c) for c, _ in sent):
        return _array_template(g, node, sent, head)
    if len(sent) == 1:
        consumer, j = sent[0]
        c = g.index[consumer]
        local, slot = _term(g, consumer, j)
        return (
            f"{head}: {me} feeds {g.name(consumer)}, whose local derivative {local}; by the chain rule "
            f"{dR}/{d(me)} = {dR}/{d(g.name(consumer))} · {_partial(g.name(consumer), me)} = "
            f"{{g:{c}}} · {slot} = {{g:{i}}}."
        )
    places = _places([g.name(c) for c, _ in sent])
    locals_ = "; ".join(_term(g, c, j)[0] for c, j in sent)
    rule = " + ".join(f"{dR}/{d(g.name(c))} · {_partial(g.name(c), me)}" for c, _ in sent)
    products = " + ".join(f"{{g:{g.index[c]}}} · {{l:{g.index[c]}:{j}}}" for c, j in sent)
    shares = " + ".join(f"{{s:{g.index[c]}:{j}}}" for c, j in sent)
    return (
        f"{head}: {me} is used {len(sent)} times ({places}), so the gradients it receives add up. "
        f"Local derivatives: {locals_}. {dR}/{d(me)} = {rule} = {products} = {shares} = {{g:{i}}}."
    )


def _places(users: list[str]) -> str:
    """Where a node is used: "in a/q and twice in a·a"."""
    counts = dict.fromkeys(users, 0)
    for u in users:
        counts[u] += 1
    times = {1: "", 2: "twice ", 3: "three times "}
    parts = [f"{times.get(k, f'{k} times ')}in {u}" for u, k in counts.items()]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _array_template(g: TemplateView, node: Any, sent: list[tuple[Any, int]], head: str) -> str:
    me, dR = g.name(node), d(g.name(g.root))
    shape = f" (shape {tuple(np.shape(node._data))})" if np.ndim(node._data) else ""
    if me.endswith(str(tuple(np.shape(node._data)))):  # matmul (32, 10): the name says it
        shape = ""
    if len(sent) == 1:
        consumer = sent[0][0]
        prim = primitive_of(consumer)
        summed = ""
        if (
            prim is not None
            and prim.kind == "elementwise"
            and np.shape(consumer._data) != np.shape(node._data)
        ):
            summed = f", summed over the broadcast axes back to shape {tuple(np.shape(node._data))}"
        rule = f"{dR}/{d(me)} = {dR}/{d(g.name(consumer))} · {_partial(g.name(consumer), me)}"
        return f"{head}{shape}: through {braces(op_label(consumer))} (chain rule: {rule}{summed})."
    ops = ", ".join(braces(op_label(c)) for c, _ in sent)
    return f"{head}{shape}: {me} is used {len(sent)} times (through {ops}), and what it receives adds up."


# --- the steps ---------------------------------------------------------------------------------------


class BackwardStep:
    """One gradient of the backward pass: the node, its gradient, the chain-rule sentence (and
    its ``template``, for the step page), and its picture.

    ``picture`` is built when first asked for (a graph of n nodes has n steps of n nodes each).
    """

    __slots__ = ("index", "node", "name", "grad", "sentence", "template", "_make", "_picture")

    def __init__(
        self,
        index: int,
        node: Any,
        name: str,
        grad: Any,
        sentence: str,
        template: str,
        make: Callable[[int], GraphPicture],
    ) -> None:
        self.index = index
        self.node = node
        self.name = name
        self.grad = grad
        self.sentence = sentence
        self.template = template
        self._make = make
        self._picture: GraphPicture | None = None

    @property
    def picture(self) -> GraphPicture:
        """The graph with the gradients final so far highlighted, this one marked, the rest grey."""
        if self._picture is None:
            self._picture = self._make(self.index)
        return self._picture

    def __repr__(self) -> str:
        return f"BackwardStep({self.index}, {self.sentence!r})"


class Walk:
    """The backward pass below ``g.root``, worked out once for all its steps.

    Gradients are computed afresh with `autograd.engine.grad`. The engine visits the nodes in
    reverse topological order; a node's gradient is final once every node that uses it has sent
    its share, and the steps follow that order: a leaf's gradient is explained as soon as it is
    known, not after the rest of the graph.
    """

    def __init__(self, g: GraphView, rankdir: str) -> None:
        self.g, self.rankdir = g, rankdir
        self.plan = Plan(g, fold=True)
        nodes = [n for n in reversed(g.order) if getattr(n, "_requires_grad", True)]  # data needs none
        raw = [getattr(v, "_data", v) for v in engine.grad(g.root, nodes)]
        self.total: dict[Any, Any] = dict(zip(nodes, raw))  # node -> its gradient (data, not a node)
        self.sent: dict[Any, list[tuple[Any, int]]] = {n: [] for n in g.order}
        self.reached = {g.root}  # nodes a gradient flows to (data that needs none is not)
        for node in nodes:
            if node in self.reached and node._prev:
                for j, parent, pg in sent_gradients(node, self.total[node]):
                    if pg is not None:
                        self.sent[parent].append((node, j))
                        self.reached.add(parent)
        # The order gradients become final in: after the last of a node's users has sent.
        waiting = {n: len(self.sent[n]) for n in self.reached}
        self.order = [g.root]
        for node in nodes:
            if node not in self.reached:
                continue
            for parent in dict.fromkeys(p for p in node._prev if node in (c for c, _ in self.sent[p])):
                waiting[parent] -= sum(1 for c, _ in self.sent[parent] if c is node)
                if waiting[parent] == 0:
                    self.order.append(parent)
        self.numbers = Numbers(g.order, self.total)

    def steps(self) -> list[BackwardStep]:
        g, total, out = self.g, self.total, []
        for k, n in enumerate(self.order):
            template = backward_template(g, n, self.sent[n])
            out.append(
                BackwardStep(
                    k, n, g.name(n), total[n], render(template, self.numbers), template, self.picture
                )
            )
        return out

    def picture(self, k: int) -> GraphPicture:
        """Step ``k``: the gradients final before it done, its node current, the rest pending."""
        state = {n: "done" for n in self.order[:k]}
        state[self.order[k]] = "current"
        return picture(
            self.g,
            self.plan,
            rankdir=self.rankdir,
            cluster=True,
            grad_text=lambda n: self.grad_text(n, state),
            data_text=number_text,
            state=state,
            incoming={c for c, _ in self.sent[self.order[k]]},
            note=f"step {k + 1} of {len(self.order)}",
        )

    def grad_text(self, node: Any, state: Mapping[Any, str]) -> str:
        if node not in self.reached:  # no gradient flows here (data that needs none): not a step
            return "no grad"
        if state.get(node, "pending") == "pending":
            return "grad ?"
        return "grad " + number_text(self.total[node])


def backward_steps(
    root: Any,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "LR",
) -> list[BackwardStep]:
    """The backward pass from ``root``, one step per gradient, in the order they become final.

    Gradients are computed afresh with `autograd.engine.grad`: no ``.grad`` changes. An unnamed
    output is called L.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> steps = backward_steps(3 * x**2 + 2)
    >>> print(steps[-1].sentence)
    dL/dx = 12: x feeds x², whose local derivative ∂(x²)/∂x = 2x = 4; by the chain rule
    dL/dx = dL/d(x²) · ∂(x²)/∂x = 3 · 4 = 12.
    >>> x.grad   # untouched
    0.0
    """
    check_root(root, "backward_steps")
    check_rankdir(rankdir, "backward_steps")
    return Walk(GraphView(root, names, module, root_name="L", who="backward_steps"), rankdir).steps()

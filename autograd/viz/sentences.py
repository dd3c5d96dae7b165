"""The chain rule for one node in words and numbers: ``dL/dx = 12: through x² the gradient becomes
3 · 2x = 3 · 4 = 12 (chain rule: dL/dx = dL/d(x²) · ∂(x²)/∂x).``"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from autograd.viz.formulas import _ATOM, _POW, _Formula, _num, _op_label, _paren, _power_text, _summary
from autograd.viz.graph import _Graph
from autograd.viz.nodes import _is_array, _is_const, _op_name, _pow_exponent

# What one consumer sent a node: (consumer, input index, consumer's gradient, what it sent here).
_Sent = tuple[Any, int, Any, Any]


def _d(name: str) -> str:
    """``x`` -> ``dx``; a formula -> ``d(3·x²)``."""
    return "d" + name if re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", name) else f"d({name})"


def _partial(of: str, by: str) -> str:
    """The local derivative ``∂(x²)/∂x``: one op's own, told apart from the total ``dL/dx``."""
    return "∂" + _d(of)[1:] + "/∂" + _d(by)[1:]


def _gtext(g: Any) -> str:
    return _num(float(g)) if np.ndim(g) == 0 else _summary(g)


def _named(g: _Graph, node: Any) -> _Formula:
    """How sentences call ``node``, as a formula: a name binds tightest, ``3·x²`` as a product."""
    e = g.expr.get(node)
    return (g.name(node), _ATOM if g.own_name(node) or e is None else e[1])


def _through(g: _Graph, consumer: Any, j: int) -> str:
    """How the path from input ``j`` through ``consumer`` reads: ``+ 2``, ``3 ·``, ``x²``, ``tanh``."""
    op = _op_name(consumer)
    prev = consumer._prev
    if op in ("+", "*") and len(prev) == 2:
        other = prev[1 - j]
        sym = "+" if op == "+" else "·"
        text = _num(float(other.data)) if _is_const(other) and not _is_array(other) else g.name(other)
        if op == "+" and _is_const(other) and float(other.data) < 0:
            return f"- {_num(-float(other.data))}"
        if op == "+" and j == 0 and text.startswith("-") and not _is_const(other):
            return f"- {text[1:]}"
        if op == "*" and _is_const(other):
            return f"{text} ·"
        return f"{sym} {text}" if j == 0 else f"{text} {sym}"
    k = _pow_exponent(consumer)
    if k is not None:
        return _power_text(_named(g, prev[0]), k)
    if op == "**" and len(prev) == 2:
        return f"{g.name(prev[0])}^{g.name(prev[1])}"
    return op or "?"


def _local_formula(g: _Graph, consumer: Any, j: int, local: float) -> str:
    """d(consumer)/d(input j) as a formula in the input's name (``2x``, ``1 - tanh²(n)``)."""
    op = _op_name(consumer)
    prev = consumer._prev
    me = g.name(prev[j])
    atom = _paren(_named(g, prev[j]), _ATOM)
    if op == "+":
        return "1"
    if op == "*" and len(prev) == 2:
        other = prev[1 - j]
        if _is_const(other):
            return _num(float(other.data))
        return _paren(_named(g, other), _POW)
    k = _pow_exponent(consumer)
    if k is not None:
        if k - 1 == 1:
            return f"{_num(k)}{atom}" if atom == me and len(me) == 1 else f"{_num(k)}·{atom}"
        return f"{_num(k)}·{_power_text(_named(g, prev[j]), k - 1)}"
    if op == "**" and len(prev) == 2:
        a, b = g.name(prev[0]), g.name(prev[1])
        return f"{b}·{a}^({b} - 1)" if j == 0 else f"{a}^{b}·ln {a}"
    formulas = {
        "exp": f"exp({me})",
        "log": f"1/{atom}",
        "tanh": f"1 - tanh²({me})",
        "sigmoid": f"σ({me})·(1 - σ({me}))",
        "erf": f"2/√π·exp(-{atom}²)",
    }
    return formulas.get(op, _num(local))


def _factor(formula: str) -> str:
    """A formula as the right-hand factor of a product: ``(1 - tanh²(n))``, ``(-1)``."""
    return f"({formula})" if " - " in formula or " + " in formula or formula.startswith("-") else formula


def _sentence(g: _Graph, node: Any, total: Any, sent: list[_Sent]) -> str:
    """The chain rule for ``node``, whose gradient is ``total``, with numbers; ``sent`` says what
    each consumer sent it."""
    R, me = g.name(g.root), g.name(node)
    dR, dn = _d(R), _d(me)
    head = f"{dR}/{dn} = {_gtext(total)}"
    if node is g.root:
        return f"{head}: the backward pass starts at the output {R}; d{R}/d{R} is always 1."
    if _is_array(node) or any(_is_array(c) for c, *_ in sent):
        shape = f" (shape {tuple(np.shape(total))})" if np.ndim(total) else ""
        if len(sent) == 1:
            consumer = sent[0][0]
            dc = _d(g.name(consumer))
            summed = ""
            if _op_name(consumer) in ("+", "*", "**") and np.shape(consumer.data) != np.shape(total):
                summed = f", summed over the broadcast axes back to shape {tuple(np.shape(total))}"
            return (
                f"{head}{shape}: through {_op_label(consumer, True)} "
                f"(chain rule: {dR}/{dn} = {dR}/{dc} · {_partial(g.name(consumer), me)}{summed})."
            )
        ops = ", ".join(_op_label(c, True) for c, *_ in sent)
        return f"{head}{shape}: {me} is used {len(sent)} times (through {ops}), and what it receives adds up."
    terms: list[tuple[Any, Any, float, str, bool]] = []
    values: list[float] = []
    ways: list[str] = []
    for consumer, j, gc, pg in sent:
        local = float(consumer._vjp(1.0, False)[j])  # the rules are linear in g: this is d(out)/d(in)
        formula = _local_formula(g, consumer, j, local)
        numeric = formula == _num(local)
        terms.append((consumer, gc, local, formula, numeric))
        values.append(float(pg))
        ways.append(_through(g, consumer, j))
    if len(terms) == 1:
        consumer, gc, local, formula, numeric = terms[0]
        formula = _factor(formula)
        dc = _d(g.name(consumer))
        rule = f"{dR}/{dn} = {dR}/{dc} · {formula if numeric else _partial(g.name(consumer), me)}"
        if formula == "1":
            return f"{head}: through {ways[0]} the gradient stays {_num(gc)} (chain rule: {rule})."
        expl = f"{_num(gc)} · {formula}" + ("" if numeric else f" = {_num(gc)} · {_num(local)}")
        return f"{head}: through {ways[0]} the gradient becomes {expl} = {_num(total)} (chain rule: {rule})."
    users = [g.name(c) for c, *_ in sent]
    places = (
        "in " + ", ".join(users[:-1]) + " and " + users[-1] if len(set(users)) > 1 else f"both in {users[0]}"
    )
    products = " + ".join(f"{_num(gc)} · {_factor(formula)}" for _, gc, _, formula, _ in terms)
    added = _num(values[0]) + "".join(f" - {_num(-v)}" if v < 0 else f" + {_num(v)}" for v in values[1:])
    return (
        f"{head}: {me} is used {len(terms)} times ({places}), so what it receives "
        f"adds up: {products} = {added} = {_gtext(total)}."
    )

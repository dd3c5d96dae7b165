"""Forward mode: tangents carried beside values, from the same primitive definitions.

While a jvp runs (`autograd.func.jvp`), each new node whose operands carry tangents gets its
own at once, ``tangent(out) = Σ ∂out/∂operand · tangent(operand)``: the derivative of everything
computed so far along one direction, pushed forward with the values. Nothing is kept for later:
under a jvp no graph is recorded, so a chain of a million ops runs in the memory of one node.

The tangent of an op comes from its primitive's definition:

- its ``jvp`` rule when it gives one (``jvp(tangents, out, *operands, **params)``, tangents
  aligned with the operands, None for an operand without one);
- otherwise, for an elementwise op, its reverse rules: each local derivative is a number per
  element, so the rule that sends ``g · ∂out/∂x`` back sends ``t · ∂out/∂x`` forward when given
  the tangent t instead of g;
- otherwise, from its reverse rules by transposition: the rules are linear in g, so the
  Jacobian-vector product is the gradient, with respect to g, of ``Σ <rule_i(g), t_i>``.

>>> from autograd import func
>>> func.jvp(lambda x: 3 * x**2 + 2, (2.0,), (1.0,))    # L(2), dL/dx(2) = 6x
(14.0, 12.0)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from autograd import engine
from autograd.array_ops import expand
from autograd.modes import Modes, enable_grad

__all__ = ["forward_mode", "tangent"]


@contextmanager
def forward_mode() -> Iterator[None]:
    """New nodes made in this thread carry tangents while it runs. One level: tangents carry no
    mark of the jvp they belong to, so a jvp inside a jvp would mix the two (a second derivative
    is ``jacfwd(jacrev(f))``: forward over reverse). A Tensor changed in place meanwhile loses
    its tangent at the end (it outlives the jvp; its tangent would not)."""
    state = Modes.here()
    if state.forward:
        raise ValueError(
            "jvp: forward mode inside forward mode (a jvp or jacfwd of a function that runs one) is "
            "not supported: the two levels' tangents would mix. For second derivatives use "
            "hessian(f) or jacfwd(jacrev(f))"
        )
    Modes.add_forward(1)
    try:
        yield
    finally:
        Modes.add_forward(-1)
        for t in state.changed:
            if getattr(t, "tangent", None) is not None:
                del t.tangent
        state.changed.clear()


def tangent(op: Any, out: Any, operands: Sequence[Any], params: dict[str, Any]) -> Any:
    """The tangent of the node ``out`` that ``op`` made from ``operands``, or None when none of
    them carries one. On the numbers, or on the nodes when a graph is being recorded (so that a
    jvp's tangent can be differentiated again)."""
    tangents = [getattr(x, "tangent", None) for x in operands]
    prim = getattr(op, "primitive", None)
    if prim is None or all(t is None for t in tangents):
        return None
    if not Modes.recording():  # on the numbers (the rules then make no nodes)
        raw = out._data
        t = _pushed(type(out), prim, tangents, raw, [getattr(x, "_data", x) for x in operands], params)
        return t if t.__class__ is float else _shaped(t, raw)
    with _paused():  # the nodes the rules make carry no tangents of their own
        return _shaped(_pushed(type(out), prim, tangents, out, operands, params), out)


@contextmanager
def _paused() -> Iterator[None]:
    state = Modes.here()
    before, state.paused = state.paused, True
    try:
        yield
    finally:
        state.paused = before


def _pushed(
    kind: Any, prim: Any, tangents: list[Any], out: Any, values: Sequence[Any], params: dict[str, Any]
) -> Any:
    """Σ ∂out/∂operand · tangent(operand), from the primitive's definition (see above)."""
    if prim.jvp is not None:
        return prim.jvp(tangents, out, *values, **params)
    if prim.kind == "elementwise" and not prim.variadic:
        return _by_rules(prim, tangents, out, values, params)
    with _paused():
        return _by_transposition(kind, prim, tangents, getattr(out, "_data", out), values, params)


def _by_rules(prim: Any, tangents: list[Any], out: Any, values: Sequence[Any], params: dict[str, Any]) -> Any:
    total = None
    for i, t in enumerate(tangents):
        if t is not None and prim.rules[i] is not None:
            term = prim.rules[i](t, out, *values, **params)
            total = term if total is None else total + term
    return total


def _by_transposition(
    kind: Any, prim: Any, tangents: list[Any], raw: Any, values: Sequence[Any], params: dict[str, Any]
) -> Any:
    """J·t as the gradient with respect to g of Σ <rule_i(g), t_i> (the rules are linear in g),
    for a primitive of yours that gives neither a jvp rule nor elementwise rules."""
    scalar = isinstance(raw, float)
    g = kind(0.0) if scalar else kind(np.zeros_like(raw), requires_grad=True)
    with enable_grad():
        total: Any = 0.0
        for i, t in enumerate(tangents):
            if t is None or prim.rules[i] is None:
                continue
            given = [values[i]] if prim.variadic else values
            sent = prim.rules[i](g, raw, *[getattr(x, "_data", x) for x in given], **params)
            t = getattr(t, "_data", t)
            total = total + (sent * t if scalar else (sent * kind(np.asarray(t))).sum())
        (jt,) = engine.grad(total, [g])
    return jt._data


def _shaped(t: Any, out: Any) -> Any:
    """A tangent of ``out``'s shape and dtype (a term may come broadcast smaller, or as a number)."""
    raw = getattr(out, "_data", out)
    if t is None or isinstance(raw, float):
        return t if t is None or hasattr(t, "_op") else float(t)
    if hasattr(t, "_op"):  # a node (a graph is recorded): broadcast by the primitive
        return t if t.shape == raw.shape else expand(t, raw.shape)
    t = np.asarray(t, dtype=raw.dtype)
    return t if t.shape == raw.shape else np.broadcast_to(t, raw.shape).copy()

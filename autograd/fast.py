"""The walk written out for speed: `walk_values` for Value graphs and `walk_arrays` for Tensor
graphs, first order (what ``backward()`` and ``grad()`` run unless ``create_graph``), and
`order_values`, the topological order of a Value graph.

Each is `autograd.engine.walk` with its general step spelled out for the common shapes of a node
(two operand slots for a Value; one or two operands for a Tensor): the same rules, called on the
same numbers, added into ``.grad`` in the same order. That saves the general step's loop and
checks: three times as fast on scalar graphs, a third faster on small arrays. The tests check,
for every op of the table, that both give exactly the general walk's gradients
(``tests/autograd/test_engine.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.node import Node

__all__ = ["order_values", "walk_arrays", "walk_values"]


def order_values(roots: Sequence[Any]) -> list[Any]:
    """`autograd.engine.toposort` for Value graphs: the same order, read from a Value's two
    operand slots (``_a``, ``_b``: a Value, a number, or None) instead of a ``_prev`` tuple
    made for every node, which takes half the time of a scalar backward pass. The tests check
    that both give the same order."""
    order: list[Any] = []
    seen: set[Any] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [root]
        while stack:
            v = stack[-1]
            a = v._a
            if a is not None and a.__class__ is not float and a not in seen:  # its first input
                seen.add(a)
                stack.append(a)
                continue
            b = v._b
            if b is not None and b.__class__ is not float and b not in seen:  # its second
                seen.add(b)
                stack.append(b)
                continue
            order.append(stack.pop())  # all of its inputs are emitted
    return order


def walk_values(order: Sequence[Any]) -> None:
    """`walk` for Value graphs, first order: the same steps, with `sends` written out for a
    Value's two operand slots (``_a``, ``_b``: a Value, a number, or None). Three times as
    fast as the general step on scalar graphs; the tests check that both give the same gradients
    for every op."""
    for v in reversed(order):
        op = v._op
        if op.__class__ is str:  # a leaf
            continue
        rules, g, out, a, b = op.rules, v.grad, v.data, v._a, v._b
        if not rules:  # built by hand, without a rule (micrograd's default _backward)
            continue
        if b is None:  # one operand: exp, tanh, ...
            a.grad += rules[0](g, out, a.data)
        elif b.__class__ is float:  # a node and a number: x * 3
            a.grad += rules[0](g, out, a.data, b)
        elif a.__class__ is float:  # a number and a node: 2 ** x
            b.grad += rules[1](g, out, a, b.data)
        else:  # two nodes: x * y
            x, y = a.data, b.data
            if rules[0] is not None:  # (None: an operand no gradient goes to)
                a.grad += rules[0](g, out, x, y)
            if rules[1] is not None:
                b.grad += rules[1](g, out, x, y)


def walk_arrays(order: Sequence[Any]) -> None:
    """`walk` for Tensor graphs, first order: the same steps, with the loop over the operands
    written out for one and two of them (nearly every op), which halves the time of a step on
    small arrays; the tests check that it gives the same gradients as `walk` for every op."""
    for node in reversed(order):
        op, g = node._op, node._grad
        if op.__class__ is str or g is None or not op.rules:  # a leaf, or nothing to send
            continue
        if not g.ndim:
            g = g[()]  # a 0-d array as numpy's scalar: its arithmetic is ten times cheaper
        rules, args, params, out = op.rules, node._args, node._params, node._data
        if len(args) == 1:  # one operand (always a node): relu, sum, reshape, ...
            a = args[0]
            if a._requires_grad:
                a._accumulate(rules[0](g, out, a._data, **params) if params else rules[0](g, out, a._data))
        elif len(args) == 2 and not params:  # two, without params: + * ** @ maximum ...
            a, b = args
            x = a._data if isinstance(a, Node) else a
            y = b._data if isinstance(b, Node) else b
            if x is not a and a._requires_grad and rules[0] is not None:
                a._accumulate(rules[0](g, out, x, y))
            if y is not b and b._requires_grad and rules[1] is not None:
                b._accumulate(rules[1](g, out, x, y))
        elif op.variadic:  # cat: each rule gets its own operand
            for i, child in enumerate(args):
                if child._requires_grad:
                    child._accumulate(rules[i](g, out, child._data, **params))
        else:
            operands = [x._data if isinstance(x, Node) else x for x in args]
            for i, child in enumerate(args):
                if isinstance(child, Node) and child._requires_grad and rules[i] is not None:
                    child._accumulate(rules[i](g, out, *operands, **params))

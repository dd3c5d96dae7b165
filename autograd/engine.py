"""The backward pass: one walk over the graph, applying the chain rule from the output back.

Every node of the graph (a `Value` or a `Tensor`) remembers how it was made: ``_op``, the
operation (empty for a leaf you made), and ``_args``, its operands. Each operation has one
derivative *rule* per operand (`autograd.ops`): ``rule(g, out, *operands)`` takes ``g``, the
gradient dL/d(out) of the final output L with respect to the op's result, and returns
dL/d(operand) along this one use: ``g · ∂out/∂operand``.

The walk, for ``L.backward()``:

1. sort the graph so that every node comes after the nodes it was computed from (`toposort`);
2. start at the output: dL/dL = 1;
3. visit the nodes from the output back; each sends its gradient through its rules to its
   operands, which add up what they receive from every node that uses them:

       child.grad += rule(node.grad, node.data, *operands)        # the chain rule

   When the walk reaches a node, every node that uses it has already sent its share (they come
   after it in the order), so its gradient is complete.

That is the whole algorithm. `backward` runs it and leaves the gradients in ``.grad``. `grad`
runs the same walk and returns the gradients instead, leaving ``.grad`` as it found it; with
``create_graph=True`` it runs the rules on the nodes themselves rather than on their numbers, so
the gradients are graphs too and can be differentiated again.

>>> from autograd import Value
>>> x = Value(2.0)
>>> L = 3 * x**2 + 2
>>> L.backward()
>>> x.grad                     # dL/dx = 6x
12.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd.anomaly import check_step, gradients_before
from autograd.modes import Modes

_ndarray = np.ndarray

__all__ = ["Node", "backward", "grad", "sends", "toposort", "walk", "walk_arrays", "walk_values"]


class Node:
    """What the walk needs from a graph node; `Value` and `Tensor` are nodes.

    - ``data``: its value; ``grad``: where the walk adds its gradient (``_ZERO_GRAD`` before any);
    - ``_op``: the op that made it (its ``rules``; empty for a leaf), ``_args`` its operands
      (nodes and plain numbers), ``_params`` the op's settings (an axis), ``_prev`` the operands
      that gradients flow to;
    - ``_accumulate(g)``: ``grad += g`` (a Tensor first sums a broadcast g back to its shape);
    - ``_seed(g, create_graph)``: the starting gradient of an output.
    """

    __slots__ = ()
    _ZERO_GRAD: Any = None
    _TWO_SLOTS = False  # operands kept in two slots, _a and _b (Value): see walk_values
    _params: Any = {}  # the op's settings, by name (none for most ops)
    data: Any
    grad: Any
    requires_grad: bool
    _op: Any
    _accumulate: Any  # (g) -> None
    _seed: Any  # (g, create_graph) -> the starting gradient
    _gradient: Any  # (what the walk left in .grad, create_graph) -> what grad() returns
    # and _args, _prev: the operands, and those that are nodes (attributes or properties)


# --- 1. the order ----------------------------------------------------------------------------


def toposort(roots: Iterable[Node]) -> list[Any]:
    """Every node reachable from ``roots``, each once, inputs before the nodes made from them.

    Depth-first, with a stack instead of recursion (a chain of a million nodes would pass
    Python's recursion limit): a node is emitted once all of its inputs are.
    """
    order: list[Any] = []
    seen: set[Node] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root._prev))]  # type: ignore[attr-defined]
        while stack:
            node, inputs = stack[-1]
            for x in inputs:
                if x not in seen:
                    seen.add(x)
                    stack.append((x, iter(x._prev)))
                    break
            else:  # all of its inputs are emitted
                stack.pop()
                order.append(node)
    return order


# --- 2 and 3. the walk ---------------------------------------------------------------------------


def walk(order: Sequence[Node], create_graph: bool = False) -> None:
    """Step 3: from the output back (``order`` has inputs first), every node sends the gradient
    in its ``.grad`` through its rules to its operands' ``.grad``: on their numbers, or, with
    ``create_graph``, on the nodes themselves, so that what it sends is a graph too."""
    anomaly = Modes.special and Modes.anomaly()  # detect_anomaly: each step is checked
    if order and not (create_graph or anomaly):  # first order: the same walk, written out
        return walk_values(order) if order[-1]._TWO_SLOTS else walk_arrays(order)
    for node in reversed(order):
        op, g = node._op, node.grad
        if op.__class__ is str or g is None or not op.rules:  # a leaf, or nothing to send
            continue
        args: Any = node._args  # type: ignore[attr-defined]
        rules, params = op.rules, node._params
        if create_graph:
            out, operands = node, args
        else:
            out, operands = node.data, _numbers(args)
            if g.__class__ is _ndarray and not g.ndim:
                g = g[()]  # a 0-d array as numpy's scalar: its arithmetic is ten times cheaper
        before = anomaly and gradients_before(node)
        for i, child in enumerate(args):
            if isinstance(child, Node) and child.requires_grad and rules[i] is not None:
                local = rules[i](g, out, *operands, **params)  # dL/dchild along this use: g · ∂node/∂child
                child._accumulate(local)  # child.grad += local: the chain rule
        if before:
            check_step(node, before)
    return None


def _numbers(args: tuple[Any, ...]) -> Any:
    """The operands' values: each node's data, and the plain numbers as they are."""
    if len(args) == 1:  # (one or two operands nearly always: without a loop, a third of the time)
        return (args[0].data,)
    if len(args) == 2:
        a, b = args
        return (a.data if isinstance(a, Node) else a, b.data if isinstance(b, Node) else b)
    return [x.data if isinstance(x, Node) else x for x in args]


def sends(node: Node, g: Any) -> list[tuple[int, Node, Any]]:
    """What one step of `walk` sends back from ``node`` given its gradient ``g`` (the step
    pictures and sentences explain): (position, operand, gradient) for each operand that takes
    one, by the op's rules on the numbers."""
    args: Any = node._args  # type: ignore[attr-defined]
    rules = node._op.rules
    if node._op.__class__ is str or not rules:
        return []
    operands = _numbers(args)
    return [
        (i, x, rules[i](g, node.data, *operands, **node._params))
        for i, x in enumerate(args)
        if isinstance(x, Node) and x.requires_grad and rules[i] is not None
    ]


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
        op, g = node._op, node.grad
        if op.__class__ is str or g is None or not op.rules:  # a leaf, or nothing to send
            continue
        if not g.ndim:
            g = g[()]  # a 0-d array as numpy's scalar: its arithmetic is ten times cheaper
        rules, args, params, out = op.rules, node._args, node._params, node.data
        if len(args) == 1:  # one operand (always a node): relu, sum, reshape, ...
            a = args[0]
            if a.requires_grad:
                a._accumulate(rules[0](g, out, a.data, **params) if params else rules[0](g, out, a.data))
        elif len(args) == 2 and not params:  # two, without params: + * ** @ maximum ...
            a, b = args
            x = a.data if isinstance(a, Node) else a
            y = b.data if isinstance(b, Node) else b
            if x is not a and a.requires_grad and rules[0] is not None:
                a._accumulate(rules[0](g, out, x, y))
            if y is not b and b.requires_grad and rules[1] is not None:
                b._accumulate(rules[1](g, out, x, y))
        else:
            operands = [x.data if isinstance(x, Node) else x for x in args]
            for i, child in enumerate(args):
                if isinstance(child, Node) and child.requires_grad and rules[i] is not None:
                    child._accumulate(rules[i](g, out, *operands, **params))


# --- what users call -----------------------------------------------------------------------


def backward(root: Node, g: Any = None) -> None:
    """Add d(root)/d(node) into ``node.grad`` for every node of the graph below ``root``.

    ``g`` is the gradient to start from: ``None`` means 1 (only for a one-element output).
    Calling it again adds again: gradients accumulate until you zero them, as in micrograd and
    PyTorch.
    """
    seed = root._seed(g, False)
    order = toposort([root])
    # Only this pass's gradient may flow through a computed node: set aside what an earlier
    # backward() left there, and add it back afterwards.
    earlier = [
        (n, g) for n in order if n._op and (g := n.grad) is not None and (g.__class__ is not float or g)
    ]
    for n, _ in earlier:
        n.grad = n._ZERO_GRAD
    root._accumulate(seed)
    walk(order)
    for n, old in earlier:
        n._accumulate(old)


def _as_nodes(x: Any, what: str) -> list[Node]:
    nodes = [x] if isinstance(x, Node) else list(x) if isinstance(x, (list, tuple)) else [x]
    for node in nodes:
        if not isinstance(node, Node):
            raise TypeError(f"grad: {what} must be Value or Tensor nodes, got {type(node).__name__}")
    return nodes


def grad(
    outputs: Node | Sequence[Node],
    inputs: Node | Sequence[Node],
    grad_outputs: Any = None,
    create_graph: bool = False,
) -> tuple[Any, ...]:
    """The gradients of ``outputs`` with respect to each of ``inputs``; no ``.grad`` is changed.

    The same walk as `backward`, which borrows the ``.grad`` of the graph's nodes while it runs
    and puts back what they held. With ``create_graph=True`` the gradients are graph nodes
    themselves, so they can be differentiated again (to any order). An input the outputs do not
    depend on gets zeros; an input that does not require grad is an error (its gradient would
    silently read 0).

    >>> from autograd import Value, grad
    >>> x = Value(2.0)
    >>> (dx,) = grad(x**3, [x], create_graph=True)   # 3x^2
    >>> (d2x,) = grad(dx, [x])                         # 6x
    >>> dx.data, d2x.data
    (12.0, 12.0)
    """
    outs = _as_nodes(outputs, "outputs")
    ins = _as_nodes(inputs, "inputs")
    for i, node in enumerate(ins):
        if not node.requires_grad:
            raise ValueError(
                f"grad: input {i} does not require grad, so it has no gradient (use requires_grad=True)"
            )
    if grad_outputs is None:
        grad_outputs = [None] * len(outs)
    elif isinstance(grad_outputs, Node) or not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outs):
        raise ValueError(f"grad: {len(outs)} outputs but {len(grad_outputs)} grad_outputs")
    # An output that requires no grad (made from constants only, e.g. the gradient of a linear
    # map) is a constant: it sends nothing, so its inputs get zeros from it.
    pairs = [(out, out._seed(g, create_graph)) for out, g in zip(outs, grad_outputs) if out.requires_grad]
    order = toposort([out for out, _ in pairs])
    saved = [n.grad for n in order]
    previous = Modes.set(enabled=create_graph, rules=create_graph)  # rules record a graph if asked
    try:
        for n in order:
            n.grad = n._ZERO_GRAD
        for out, seed in pairs:
            out._accumulate(seed)
        walk(order, create_graph)
        found = {id(n): n.grad for n in order}
    finally:
        Modes.set(*previous)
        for n, old in zip(order, saved):
            n.grad = old
    return tuple(node._gradient(found.get(id(node)), create_graph) for node in ins)

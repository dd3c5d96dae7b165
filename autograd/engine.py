"""The backward pass: one walk over the graph, applying the chain rule from the output back.

Every node of the graph (a `Value` or a `Tensor`) remembers how it was made: ``_op``, the
operation, and ``_args``, its operands. Each operation has one derivative *rule* per operand
(`autograd.ops`): ``rule(g, out, *operands)`` takes ``g``, the gradient dL/d(out) of the final
output L with respect to the op's result, and returns what that sends to the operand:
``g · ∂out/∂operand``. The walk, for ``L.backward()``:

1. sort the graph so that every node comes after the nodes it was computed from (`toposort`);
2. start at the output: dL/dL = 1;
3. visit the nodes from the output back; each sends its gradient through its rules to its
   operands, which add up what they get from every node that uses them (`walk`):
   ``child.grad += rule(node.grad, node.data, *operands)``, the chain rule. When the walk
   reaches a node, every node that uses it has sent its share already, so its gradient is whole.

`backward` leaves the gradients in ``.grad``; `grad` runs the same walk and returns them instead;
with ``create_graph=True`` the rules run on the nodes rather than their numbers, so the gradients
are graphs too, to be differentiated again.

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

from autograd.anomaly import check_step, gradients_before
from autograd.fast import order_values, walk_arrays, walk_values
from autograd.modes import Modes
from autograd.node import Node

__all__ = ["Node", "backward", "grad", "toposort", "walk"]


def toposort(roots: Iterable[Node]) -> list[Any]:
    """Step 1: every node reachable from ``roots``, once, inputs before the nodes made from them.

    Depth-first, with a stack instead of recursion (a chain of a million nodes would pass
    Python's recursion limit): a node is emitted once all of its inputs are.
    """
    roots = list(roots)
    if roots and all(root._TWO_SLOTS for root in roots) and not (Modes.special and Modes.anomaly()):
        return order_values(roots)  # Values: the same order, written out for speed (autograd.fast)
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
                    below = x._prev
                    if not below:  # a leaf: nothing to emit before it
                        order.append(x)
                        continue
                    stack.append((x, iter(below)))
                    break
            else:  # all of its inputs are emitted
                stack.pop()
                order.append(node)
    return order


def walk(order: Sequence[Node], create_graph: bool = False) -> None:
    """Step 3: from the output back (``order`` has inputs first), every node sends the gradient
    in its ``.grad`` through its rules into its operands' ``.grad``: rules on the operands'
    numbers, or, with ``create_graph``, on the nodes themselves (what they send is a graph too).

    First order it runs `autograd.fast`'s copies of this loop, written out for speed (the tests
    check they give exactly what this loop gives)."""
    anomaly = Modes.special and Modes.anomaly()  # detect_anomaly: each step is checked
    if order and not (create_graph or anomaly):
        return walk_values(order) if order[-1]._TWO_SLOTS else walk_arrays(order)
    for node in reversed(order):
        op, g = node._op, node._grad
        if op.__class__ is str or g is None or not op.rules:  # a leaf, or nothing to send
            continue
        args: Any = node._args  # type: ignore[attr-defined]
        out, operands = (node, args) if create_graph else (node._data, _numbers(args))
        before = anomaly and gradients_before(node)
        for i, child in enumerate(args):
            if isinstance(child, Node) and child._requires_grad and op.rules[i] is not None:
                given = (operands[i],) if op.variadic else operands  # (cat's rule: its own only)
                local = op.rules[i](g, out, *given, **node._params)  # g · ∂node/∂child
                child._accumulate(local)  # child.grad += local: the chain rule
        if before:
            check_step(node, before)
    return None


def _numbers(args: tuple[Any, ...]) -> list[Any]:
    """The operands' values: each node's data, the plain numbers as they are."""
    return [x._data if isinstance(x, Node) else x for x in args]


def backward(root: Node, g: Any = None, create_graph: bool = False) -> None:
    """Add d(root)/d(node) into ``node.grad`` for every node of the graph below ``root``.

    ``g`` is the gradient to start from: ``None`` means 1 (only for a one-element output).
    Calling it again adds again: gradients accumulate until you zero them, as in micrograd and
    PyTorch. With ``create_graph=True`` the gradients added are graph nodes (see `grad`).
    """
    seed = root._seed(g, create_graph)
    order = toposort([root])
    # Only this pass's gradient may flow through a computed node: set aside what an earlier
    # backward() left there, and add it back afterwards. (A new node holds _ZERO_GRAD itself.)
    zero = root._ZERO_GRAD
    earlier = [(n, n._grad) for n in order if n._grad is not zero and n._op]
    for n, _ in earlier:
        n._grad = n._ZERO_GRAD
    previous = Modes.set(enabled=True, rules=True) if create_graph else None
    try:
        root._accumulate(seed)
        walk(order, create_graph)
    finally:
        if previous is not None:
            Modes.set(*previous)
    for n, old in earlier:
        n._accumulate(old)


def grad(
    outputs: Node | Sequence[Node],
    inputs: Node | Sequence[Node],
    grad_outputs: Any = None,
    create_graph: bool = False,
) -> tuple[Any, ...]:
    """The gradients of ``outputs`` with respect to each of ``inputs``; no ``.grad`` is changed.

    The same walk as `backward`: it borrows the ``.grad`` of the graph's nodes while it runs, and
    puts back what they held. With ``create_graph=True`` the gradients are graph nodes themselves,
    so they can be differentiated again (to any order). An input the outputs do not depend on gets
    zeros; an input that does not require grad is an error (its gradient would silently read 0).

    >>> from autograd import Value, grad
    >>> x = Value(2.0)
    >>> (dx,) = grad(x**3, [x], create_graph=True)   # 3x^2
    >>> (d2x,) = grad(dx, [x])                         # 6x
    >>> dx.data, d2x.data
    (12.0, 12.0)
    """
    outs, ins = _nodes(outputs, "outputs"), _nodes(inputs, "inputs")
    for i, node in enumerate(ins):
        if not node._requires_grad:
            raise ValueError(
                f"grad: input {i} does not require grad, so it has no gradient (use requires_grad=True)"
            )
    if grad_outputs is None:
        grad_outputs = [None] * len(outs)
    elif isinstance(grad_outputs, Node) or not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outs):
        raise ValueError(f"grad: {len(outs)} outputs but {len(grad_outputs)} grad_outputs")
    # An output that requires no grad (a constant, e.g. the gradient of a linear map) sends nothing.
    seeds = [(out, out._seed(g, create_graph)) for out, g in zip(outs, grad_outputs) if out._requires_grad]
    order = toposort([out for out, _ in seeds])
    saved = [n._grad for n in order]
    previous = Modes.set(enabled=create_graph, rules=create_graph)  # rules record a graph if asked
    try:
        for n in order:
            n._grad = n._ZERO_GRAD
        for out, seed in seeds:
            out._accumulate(seed)
        walk(order, create_graph)
        found = {id(n): n._grad for n in order}
    finally:
        Modes.set(*previous)
        for n, old in zip(order, saved):
            n._grad = old
    return tuple(node._gradient(found.get(id(node)), create_graph) for node in ins)


def _nodes(x: Any, what: str) -> list[Node]:
    nodes = [x] if isinstance(x, Node) else list(x) if isinstance(x, (list, tuple)) else [x]
    for node in nodes:
        if not isinstance(node, Node):
            raise TypeError(f"grad: {what} must be Value or Tensor nodes, got {type(node).__name__}")
    return nodes

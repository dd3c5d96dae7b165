"""The graph walk: one reverse-mode engine for every kind of node.

The engine knows nothing about `Value` or `Tensor`. It needs a node to offer:

- ``_prev``: the nodes it was computed from (empty for a leaf), and hashing by identity;
- ``_op``: the `Op` that made it (empty, so false, for a leaf), whose ``send(node)`` adds
  ``node.grad`` times each local derivative into the inputs' ``.grad``: one step of
  ``backward()``, as micrograd's ``_backward``;
- ``_vjp(g, create_graph)``: the gradients for each node of ``_prev`` given the gradient ``g``
  of the output with respect to this node (raw numbers or arrays; graph nodes when
  ``create_graph``, so that they can be differentiated again): what ``grad()`` uses;
- ``grad``, ``_accumulate(g)`` (add a raw gradient into ``.grad``) and ``_ZERO_GRAD`` (a
  ``.grad`` holding nothing: 0.0 for a Value, None for a Tensor);
- ``_seed(g, create_graph)``, ``_zeros()``, ``_detached(raw)``: an output's starting gradient, an
  input's zero gradient, and a raw gradient as a leaf of the node's kind.

Two walks share one topological order, computed iteratively so that a chain of a million nodes
does not hit Python's recursion limit:

- `backward` visits the nodes from the output back to the leaves and runs each node's step once;
  gradients collect in ``.grad`` as they go (first order; the fast path);
- `grad` collects the gradients in a dictionary instead, touching no ``.grad``, and runs each
  node's rules once on the sum of what its users sent it: on raw numbers, or on graph nodes for
  derivatives of any order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from autograd.anomaly import checked_send
from autograd.modes import Modes

__all__ = ["Node", "backward", "grad", "toposort"]


class Node(Protocol):
    """What the engine needs from a graph node (see the module docstring)."""

    grad: Any
    _op: Any  # the Op that made it (false for a leaf); _op.send(node) is one step of backward()
    _ZERO_GRAD: Any

    @property
    def _prev(self) -> tuple[Node, ...]: ...

    def _vjp(self, g: Any, create_graph: bool) -> Sequence[Any]: ...

    def _accumulate(self, g: Any) -> None: ...

    def _seed(self, g: Any, create_graph: bool) -> Any: ...

    def _zeros(self) -> Any: ...

    def _detached(self, raw: Any) -> Node: ...


# ---------------------------------------------------------------------------------------------
# The walks.


def toposort(roots: Iterable[Node], fast: bool = True) -> list[Node]:
    """Every node reachable from ``roots``, each once, inputs before the nodes made from them.

    Iterative depth-first search: a stack of the open nodes; the one on top looks for an input
    not seen yet (opening it, or emitting it at once if it is a leaf) and is emitted when it has
    none left, so after all of its inputs. Inputs are visited last to first (roots likewise), so
    that walking the order backwards, as the backward pass does, meets a node's first input
    before its second. (A node has few inputs, so looking again from the first is cheap.)
    """
    roots = list(roots)
    kind = type(roots[0]) if roots else None
    faster = getattr(kind, "_toposort", None) if fast else None
    if faster is not None and all(type(r) is kind for r in roots):
        return faster(roots)
    order: list[Node] = []
    seen: set[Node] = set()
    for root in reversed(roots):
        if root in seen:
            continue
        seen.add(root)
        stack = [root]
        while stack:
            for parent in reversed(stack[-1]._prev):
                if parent not in seen:
                    seen.add(parent)
                    if parent._prev:  # open it: its inputs come first
                        stack.append(parent)
                        break
                    order.append(parent)  # a leaf: nothing to open
            else:  # every input is emitted
                order.append(stack.pop())
    return order


def backward(root: Node, g: Any = None) -> None:
    """Add d(root)/d(node) into ``node.grad`` for every node of the graph below ``root``.

    ``g`` is the gradient to start from: ``None`` means 1 (only for a one-element output).
    Calling it again adds again: gradients accumulate until you zero them, as in micrograd and
    PyTorch. Each node's step runs once, after every node that uses it has sent it its share.
    """
    seed = root._seed(g, False)
    order = toposort([root])
    # A computed node may still hold the gradient of an earlier backward(): set it aside, so
    # that only this pass's gradient flows through it, and add it back afterwards.
    earlier = [
        (n, old)
        for n in order
        if n._op and (old := n.grad) is not None and (old.__class__ is not float or old)
    ]
    for n, _ in earlier:
        n.grad = n._ZERO_GRAD
    root._accumulate(seed)
    if Modes.special and Modes.anomaly():  # the same walk, each step checked (detect_anomaly)
        for node in reversed(order):
            op = node._op
            if op:
                checked_send(op, node)
    else:
        for node in reversed(order):
            op = node._op
            if op:
                op.send(node)
    for n, old in earlier:
        n._accumulate(old)


def _as_nodes(x: Any, what: str) -> list[Node]:
    nodes = [x] if hasattr(x, "_vjp") else list(x) if isinstance(x, (list, tuple)) else [x]
    for node in nodes:
        if not hasattr(node, "_vjp"):
            raise TypeError(f"grad: {what} must be Value or Tensor nodes, got {type(node).__name__}")
    return nodes


def grad(
    outputs: Node | Sequence[Node],
    inputs: Node | Sequence[Node],
    grad_outputs: Any = None,
    create_graph: bool = False,
) -> tuple[Any, ...]:
    """The gradients of ``outputs`` with respect to each of ``inputs``; no ``.grad`` is touched.

    With ``create_graph=True`` the gradients are graph nodes themselves, so they can be
    differentiated again (to any order). An input the outputs do not depend on gets zeros; an
    input that does not require grad is an error (its gradient would silently read 0).

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
        if not getattr(node, "requires_grad", True):
            raise ValueError(
                f"grad: input {i} does not require grad, so it has no gradient (use requires_grad=True)"
            )
    if grad_outputs is None:
        grad_outputs = [None] * len(outs)
    elif hasattr(grad_outputs, "_prev") or not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outs):
        raise ValueError(f"grad: {len(outs)} outputs but {len(grad_outputs)} grad_outputs")
    # An output that requires no grad (made from constants only, e.g. the gradient of a linear
    # map) is a constant: it sends nothing, so its inputs get zeros from it.
    pairs = [(out, g) for out, g in zip(outs, grad_outputs) if getattr(out, "requires_grad", True)]
    roots = [out for out, _ in pairs]
    grads: dict[Node, Any] = {}
    for root, g in pairs:
        seed = root._seed(g, create_graph)
        grads[root] = seed if root not in grads else grads[root] + seed
    previous = Modes.set(enabled=create_graph)  # rules record a graph only when asked (this thread)
    try:
        for node in reversed(toposort(roots)):
            g = grads.get(node)
            parents = node._prev
            if g is None or not parents:  # no gradient reaches it, or a leaf
                continue
            for parent, pg in zip(parents, node._vjp(g, create_graph)):
                if pg is not None:
                    old = grads.get(parent)
                    grads[parent] = pg if old is None else old + pg
    finally:
        Modes.set(*previous)
    result = []
    for node in ins:
        g = grads.get(node)
        if g is None:  # not reached: the outputs do not depend on this input
            result.append(node._detached(node._zeros()))
        else:
            # with create_graph a rule may give a plain number (a constant, e.g. relu blocking)
            result.append(g if create_graph and hasattr(g, "_prev") else node._detached(g))
    return tuple(result)

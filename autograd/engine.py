"""The graph walk: one reverse-mode engine for every kind of node.

The engine knows nothing about `Value` or `Tensor`. It needs a node to offer:

- hashing by identity (nodes are dictionary keys here);
- ``_prev``: the tuple of nodes it was computed from (empty for a leaf);
- ``_vjp(g, create_graph)``: given the gradient ``g`` of the final output with respect to this
  node, the gradients with respect to each node in ``_prev`` (``None`` where none is needed).
  With ``create_graph=False``, ``g`` and the results are raw numbers (floats or arrays: fast);
  with ``create_graph=True`` they are graph nodes, so the gradients can be differentiated again;
- ``_accumulate(g)``: add a raw gradient into the node's ``.grad`` (used by ``backward``);
- ``_seed(g, create_graph)``: the starting gradient of an output (``None``: one, for a scalar);
- ``_zeros()``: a raw zero gradient of the node's shape (for an input the output ignores);
- ``_detached(raw)``: a new leaf node of the same kind holding ``raw`` (what ``grad`` returns).

The walk is: order the graph topologically (iteratively, so a chain of a million nodes does not
hit Python's recursion limit), then visit the nodes from the output back to the leaves, running
each node's derivative rule exactly once with the sum of the gradients its users sent it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

__all__ = ["Node", "backward", "enable_grad", "grad", "is_grad_enabled", "no_grad", "toposort"]


class Node(Protocol):
    """What the engine needs from a graph node (see the module docstring)."""

    @property
    def _prev(self) -> tuple[Node, ...]: ...

    def _vjp(self, g: Any, create_graph: bool) -> Sequence[Any]: ...

    def _accumulate(self, g: Any) -> None: ...

    def _seed(self, g: Any, create_graph: bool) -> Any: ...

    def _zeros(self) -> Any: ...

    def _detached(self, raw: Any) -> Node: ...


# ---------------------------------------------------------------------------------------------
# Grad mode: whether new operations record their inputs (and so can be differentiated).


class _GradMode:
    enabled = True


def is_grad_enabled() -> bool:
    """True when operations record the graph (the default)."""
    return _GradMode.enabled


class _SetGradMode(contextlib.ContextDecorator):
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._saved: list[bool] = []

    def __enter__(self) -> None:
        self._saved.append(_GradMode.enabled)
        _GradMode.enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._saved.pop()


class no_grad(_SetGradMode):  # noqa: N801 - named like torch.no_grad
    """Context manager and decorator: operations inside record no graph.

    >>> from autograd import Value, no_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * 3
    >>> y._prev
    ()
    """

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(_SetGradMode):  # noqa: N801 - named like torch.enable_grad
    """Context manager and decorator: record the graph again, even inside ``no_grad``."""

    def __init__(self) -> None:
        super().__init__(True)


# ---------------------------------------------------------------------------------------------
# The walk.


def toposort(roots: Iterable[Node]) -> list[Node]:
    """Every node reachable from ``roots``, each once, inputs before the nodes made from them.

    Iterative depth-first search: the stack holds each open node with an iterator over its
    inputs; a node is emitted once that iterator is used up, so after all of its inputs. Inputs
    are visited last to first (roots likewise), so that walking the order backwards, as the
    backward pass does, meets a node's first input before its second.
    """
    order: list[Node] = []
    seen: set[Node] = set()
    for root in reversed(list(roots)):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, reversed(root._prev))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent not in seen:  # open it: its inputs come first
                    seen.add(parent)
                    stack.append((parent, reversed(parent._prev)))
                    break
            else:  # every input is emitted
                stack.pop()
                order.append(node)
    return order


def _propagate(
    order: list[Node], roots: Sequence[Node], seeds: Sequence[Any], create_graph: bool, accumulate: bool
) -> dict[Node, Any]:
    """The gradients of the seeded roots with respect to every node in ``order``.

    ``order`` is ``toposort(roots)``. Each node's rule runs once, on the sum of what it received.
    With ``accumulate``, each node's gradient is also added into its ``.grad``.
    """
    grads: dict[Node, Any] = {}
    for root, seed in zip(roots, seeds):
        grads[root] = seed if root not in grads else grads[root] + seed
    get = grads.get
    saved, _GradMode.enabled = _GradMode.enabled, create_graph  # rules record a graph only if asked
    try:
        for node in reversed(order):
            g = get(node)
            if g is None:  # no path from a root carries a gradient here
                continue
            if accumulate:
                node._accumulate(g)
            parents = node._prev
            if not parents:
                continue
            parent_grads = node._vjp(g, create_graph)
            # Two inputs and one, the common cases, unrolled: this loop is the hot path.
            n = len(parents)
            if n == 2:
                (a, b), (ga, gb) = parents, parent_grads
                if ga is not None:
                    old = get(a)
                    grads[a] = ga if old is None else old + ga
                if gb is not None:
                    old = get(b)
                    grads[b] = gb if old is None else old + gb
                continue
            if n == 1:
                (a,), (ga,) = parents, parent_grads
                if ga is not None:
                    old = get(a)
                    grads[a] = ga if old is None else old + ga
                continue
            for parent, pg in zip(parents, parent_grads):
                if pg is not None:
                    old = get(parent)
                    grads[parent] = pg if old is None else old + pg
    finally:
        _GradMode.enabled = saved
    return grads


def backward(root: Node, g: Any = None) -> None:
    """Add d(root)/d(node) into ``node.grad`` for every node of the graph below ``root``.

    ``g`` is the gradient to start from: ``None`` means 1 (only for a scalar output). Calling it
    again adds again: gradients accumulate until you zero them, as in micrograd and PyTorch.
    """
    _propagate(toposort([root]), [root], [root._seed(g, False)], create_graph=False, accumulate=True)


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
    differentiated again (to any order). An input the outputs do not depend on gets zeros.

    >>> from autograd import Value, grad
    >>> x = Value(2.0)
    >>> (dx,) = grad(x**3, [x], create_graph=True)   # 3x^2
    >>> (d2x,) = grad(dx, [x])                         # 6x
    >>> dx.data, d2x.data
    (12.0, 12.0)
    """
    outs = _as_nodes(outputs, "outputs")
    ins = _as_nodes(inputs, "inputs")
    if grad_outputs is None:
        grad_outputs = [None] * len(outs)
    elif hasattr(grad_outputs, "_prev") or not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outs):
        raise ValueError(f"grad: {len(outs)} outputs but {len(grad_outputs)} grad_outputs")
    # An output that requires no grad (a Tensor made from constants) is a constant: it sends no
    # gradient, so every input gets zeros from it (the gradient of a linear map's gradient, say).
    pairs = [(out, g) for out, g in zip(outs, grad_outputs) if getattr(out, "requires_grad", True)]
    outs = [out for out, _ in pairs]
    seeds = [out._seed(g, create_graph) for out, g in pairs]
    grads = _propagate(toposort(outs), outs, seeds, create_graph, accumulate=False)
    result = []
    for node in ins:
        g = grads.get(node)
        if g is None:  # not reached: the outputs do not depend on this input
            result.append(node._detached(node._zeros()))
        else:
            result.append(g if create_graph else node._detached(g))
    return tuple(result)

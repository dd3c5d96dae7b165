"""`Node`: what the walk (`autograd.engine`) needs from a node of the graph. `Value` and `Tensor`
are nodes."""

from __future__ import annotations

from typing import Any

__all__ = ["Node"]


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

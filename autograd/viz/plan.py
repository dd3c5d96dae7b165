"""What a picture shows: every node, or modules collapsed into boxes, or only the nodes nearest the
output, so that a big graph stays readable (``draw_graph``'s ``collapse`` and ``max_nodes``)."""

from __future__ import annotations

from collections import deque
from typing import Any

from autograd.viz.graph import _Graph
from autograd.viz.nodes import _is_const


class _Plan:
    """Which nodes are drawn inside boxes (collapsed modules), hidden, or folded into their op
    (constants, with ``fold``), and how many nodes that leaves on the picture (``count``)."""

    def __init__(
        self, g: _Graph, fold: bool, depth: int | None = None, hidden: set[Any] | None = None
    ) -> None:
        self.fold = fold
        self.hidden = hidden or set()
        self.box: dict[Any, str] = {}  # node -> the module prefix it is drawn inside of, as one box
        self.boxes: dict[str, list[Any]] = {}  # that prefix -> its nodes, in the graph's order
        if depth is not None:
            for node in g.order:
                mod = g.module[node]
                if mod and mod.count(".") + 1 >= depth:
                    self.box[node] = ".".join(mod.split(".")[:depth])
                    self.boxes.setdefault(self.box[node], []).append(node)
        drawn = sum(2 if node._prev else 1 for node in g.order if self.drawn(node))  # a value and its op
        self.count = drawn + len(self.boxes) + (1 if self.hidden else 0)

    def folded(self, node: Any) -> bool:
        """A constant written into its op (``* 3``) instead of drawn."""
        return self.fold and _is_const(node)

    def drawn(self, node: Any) -> bool:
        """Whether ``node`` is drawn as a node of its own."""
        return node not in self.box and node not in self.hidden and not self.folded(node)


def _module_depths(g: _Graph) -> list[int]:
    """Collapse depths worth trying, finest first; depths that group nodes alike are skipped."""
    mods = {m for m in g.module.values() if m}
    if not mods:
        return []
    depths = []
    seen: set[frozenset[frozenset[str]]] = set()
    for d in range(max(m.count(".") + 1 for m in mods), 0, -1):
        groups: dict[str, set[str]] = {}
        for m in mods:
            groups.setdefault(".".join(m.split(".")[:d]), set()).add(m)
        partition = frozenset(frozenset(s) for s in groups.values())
        if partition not in seen:  # layers.0.neurons groups the same nodes as layers.0
            seen.add(partition)
            depths.append(d)
    return depths


def _nearest(g: _Graph, fold: bool, limit: int) -> set[Any]:
    """The nodes to hide so that about ``limit`` remain: keep those nearest the output."""
    kept: set[Any] = set()
    count = 0
    queue = deque([g.root])
    while queue:
        node = queue.popleft()
        if node in kept or (fold and _is_const(node)):
            continue
        cost = 2 if node._prev else 1
        if count + cost > limit:
            break
        kept.add(node)
        count += cost
        queue.extend(node._prev)
    return {n for n in g.order if n not in kept and not (fold and _is_const(n))}


def _choose_plan(
    g: _Graph, fold: bool, collapse: bool | int | None, max_nodes: int | None
) -> tuple[_Plan, str]:
    """The plan for ``draw_graph``, and the note the legend carries when it leaves nodes out."""
    full = _Plan(g, fold)
    depths = _module_depths(g)
    if isinstance(collapse, int) and collapse is not False:  # True, or a depth
        if collapse is not True and collapse < 1:
            raise ValueError(f"draw_graph: collapse depth must be at least 1, got {collapse}")
        if not depths:
            return full, ""
        return _Plan(g, fold, depths[0] if collapse is True else int(collapse)), ""
    if collapse is False or max_nodes is None or full.count <= max_nodes:
        return full, ""
    too_many = f"{full.count} nodes > max_nodes={max_nodes}"
    for depth in depths:
        plan = _Plan(g, fold, depth)
        if plan.count <= max_nodes:
            return plan, f"{too_many}: modules drawn as boxes (collapse=False draws all)"
    plan = _Plan(g, fold, None, _nearest(g, fold, max_nodes - 1))
    return plan, f"{too_many}: the nodes nearest the output (max_nodes=None draws all)"

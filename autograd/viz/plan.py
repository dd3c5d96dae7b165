"""What one picture shows: which nodes are drawn, which are gathered into collapsed module boxes,
and which are left out, so that a picture stays readable (``draw_graph``'s ``collapse`` and
``max_nodes``)."""

from __future__ import annotations

from collections import deque
from typing import Any

from autograd.viz.graph import GraphView, boxed_numbers


class Plan:
    """Which nodes are drawn inside boxes (collapsed modules) or hidden, whether plain numbers
    are folded into their ops (``fold``), and how many nodes that leaves on the picture."""

    def __init__(
        self,
        g: GraphView,
        fold: bool,
        depth: int | None = None,
        hidden: set[Any] | None = None,
        cut: set[Any] | None = None,
    ) -> None:
        self.fold = fold
        self.hidden = hidden or set()
        self.cut = cut or set()  # drawn as inputs, without the op that made them (a module's inside)
        self.box: dict[Any, str] = {}  # node -> the module prefix it is drawn inside of, as one box
        self.boxes: dict[str, list[Any]] = {}  # that prefix -> its nodes, in the graph's order
        if depth is not None:
            for node in g.order:
                mod = g.module[node]
                if mod and mod.count(".") + 1 >= depth:
                    self.box[node] = ".".join(mod.split(".")[:depth])
                    self.boxes.setdefault(self.box[node], []).append(node)
        drawn = sum(1 if n in self.cut else _cost(n, fold) for n in g.order if self.drawn(n))
        self.count = drawn + len(self.boxes) + (1 if self.noted else 0)

    @property
    def noted(self) -> bool:
        """Whether a note on the picture counts the nodes left out (not for a module's inside)."""
        return bool(self.hidden) and not self.cut

    def drawn(self, node: Any) -> bool:
        """Whether ``node`` is drawn as a node of its own."""
        return node not in self.box and node not in self.hidden


def _cost(node: Any, fold: bool) -> int:
    """Nodes on the picture for one value: its record, its op, and unfolded numbers."""
    return 1 if not node._prev else 2 + (0 if fold else len(boxed_numbers(node)))


def _module_depths(g: GraphView) -> list[int]:
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


def _nearest(g: GraphView, fold: bool, limit: int) -> set[Any]:
    """The nodes to hide so that about ``limit`` remain: keep those nearest the output."""
    kept: set[Any] = set()
    count = 0
    queue = deque([g.root])
    while queue:
        node = queue.popleft()
        if node in kept:
            continue
        cost = _cost(node, fold)
        if count + cost > limit:
            break
        kept.add(node)
        count += cost
        queue.extend(node._prev)
    return {n for n in g.order if n not in kept}


def choose_plan(
    g: GraphView, fold: bool, collapse: bool | int | None, max_nodes: int | None
) -> tuple[Plan, str]:
    """The plan for ``draw_graph``, and the note the legend carries when it leaves nodes out."""
    full = Plan(g, fold)
    depths = _module_depths(g)
    if isinstance(collapse, int) and collapse is not False:  # True, or a depth
        if collapse is not True and collapse < 1:
            raise ValueError(f"draw_graph: collapse depth must be at least 1, got {collapse}")
        if not depths:
            return full, ""
        return Plan(g, fold, depths[0] if collapse is True else int(collapse)), ""
    if collapse is False or max_nodes is None or full.count <= max_nodes:
        return full, ""
    too_many = f"{full.count} nodes > max_nodes={max_nodes}"
    for depth in depths:
        plan = Plan(g, fold, depth)
        if plan.count <= max_nodes:
            return plan, f"{too_many}: modules drawn as boxes (collapse=False draws all)"
    plan = Plan(g, fold, None, _nearest(g, fold, max_nodes - 1))
    return plan, f"{too_many}: the nodes nearest the output (max_nodes=None draws all)"


def module_outputs(g: GraphView, members: list[Any]) -> list[Any]:
    """The nodes of a module that are used outside it (or are the graph's output)."""
    inside = set(members)
    return [n for n in members if n is g.root or any(c not in inside for c, _ in g.consumers[n])]

"""The backward pass one node at a time, in the engine's order: each step's gradient, its
chain-rule sentence, and a picture with the nodes done so far, the current one, and the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from autograd import engine
from autograd.viz.draw import _check_rankdir, _draw
from autograd.viz.formulas import _fmt, _summary
from autograd.viz.graph import _Graph
from autograd.viz.nodes import _check_root, _is_const
from autograd.viz.plan import _Plan
from autograd.viz.render import GraphPicture
from autograd.viz.sentences import _Sent, _sentence


class BackwardStep:
    """One node of the backward pass: its gradient, the chain-rule sentence, and its picture.

    ``picture`` is built when first asked for (a graph of n nodes has n steps of n nodes each).
    """

    __slots__ = ("index", "node", "name", "grad", "sentence", "_make", "_picture")

    def __init__(
        self, index: int, node: Any, name: str, grad: Any, sentence: str, make: Callable[[int], GraphPicture]
    ) -> None:
        self.index = index
        self.node = node
        self.name = name
        self.grad = grad
        self.sentence = sentence
        self._make = make
        self._picture: GraphPicture | None = None

    @property
    def picture(self) -> GraphPicture:
        """The graph with the nodes done so far highlighted, this one marked, the rest grey."""
        if self._picture is None:
            self._picture = self._make(self.index)
        return self._picture

    def __repr__(self) -> str:
        return f"BackwardStep({self.index}, {self.sentence!r})"


class _Walk:
    """The backward pass below ``g.root``, worked out once for all its steps.

    Gradients are computed afresh with `autograd.engine.grad`; what each node sends to each of
    its inputs is the engine's own rule, run on that gradient. Constants are no steps.
    """

    def __init__(self, g: _Graph, rankdir: str) -> None:
        self.g, self.rankdir = g, rankdir
        self.plan = _Plan(g, fold=True)
        nodes = [n for n in reversed(g.order) if not _is_const(n)]
        raw = [getattr(d, "data", d) for d in engine.grad(g.root, nodes)]
        self.total: dict[Any, Any] = dict(zip(nodes, raw))  # node -> its gradient (data, not a node)
        self.sent: dict[Any, list[_Sent]] = {n: [] for n in g.order}
        self.reached = {g.root}  # nodes a gradient flows to (data that needs none is not)
        for node in nodes:
            if node not in self.reached or not node._prev:
                continue
            for j, (parent, pg) in enumerate(zip(node._prev, node._vjp(self.total[node], False))):
                if pg is not None and not _is_const(parent):
                    self.sent[parent].append((node, j, self.total[node], pg))
                    self.reached.add(parent)
        self.order = [n for n in nodes if n in self.reached]

    def steps(self) -> list[BackwardStep]:
        g, total = self.g, self.total
        return [
            BackwardStep(k, n, g.name(n), total[n], _sentence(g, n, total[n], self.sent[n]), self.picture)
            for k, n in enumerate(self.order)
        ]

    def picture(self, k: int) -> GraphPicture:
        """Step ``k``: the nodes before it done, its node current, the rest pending."""
        state = {n: "done" for n in self.order[:k]}
        state[self.order[k]] = "current"
        return _draw(
            self.g,
            self.plan,
            rankdir=self.rankdir,
            cluster=True,
            grad_text=lambda n: self.grad_text(n, state),
            state=state,
            incoming={c for c, *_ in self.sent[self.order[k]]},
            note=f"step {k + 1} of {len(self.order)}",
        )

    def grad_text(self, node: Any, state: Mapping[Any, str]) -> str:
        if node not in self.reached:  # no gradient flows here (data that needs none): not a step
            return "no grad"
        if state.get(node, "pending") == "pending":
            return "grad ?"
        grad = self.total[node]
        return "grad " + (_fmt(grad) if np.ndim(grad) == 0 else _summary(grad, "\n"))


def backward_steps(
    root: Any,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "LR",
) -> list[BackwardStep]:
    """The backward pass from ``root``, one step per node in the order the engine visits them.

    Gradients are computed afresh with `autograd.engine.grad`: no ``.grad`` changes. Constants
    (plain numbers) are skipped: nothing uses their gradients. An unnamed output is called L.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> steps = backward_steps(3 * x**2 + 2)
    >>> print(steps[-1].sentence)
    dL/dx = 12: through x² the gradient becomes 3 · 2x = 3 · 4 = 12 (chain rule: dL/dx = dL/d(x²) · ∂(x²)/∂x).
    >>> x.grad   # untouched
    0.0
    """
    _check_root(root, "backward_steps")
    _check_rankdir(rankdir, "backward_steps")
    return _Walk(_Graph(root, names, module, root_name="L"), rankdir).steps()

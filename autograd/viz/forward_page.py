"""The step page in forward mode: ``backward_page(L, mode="forward", wrt=x)``.

It steps through the forward pass only, one value at a time, each with its tangent d(value)/dx
beside its data (``tangent`` in the box where the backward page shows ``grad``; the attribute
``data-tangent`` on the value's ``<g>``, full precision) and the chain rule with numbers:
``d(x²)/dx = 2x · dx/dx = 4 · 1 = 4``. Editing an input recomputes every value and tangent in
the browser, from the same traced rules as the backward page (``D[name](g, out, a, b)`` given
an operand's tangent as g is that operand's term): one source of truth, in both directions.

>>> from autograd import Value
>>> from autograd.viz import backward_page
>>> x = Value(2.0, label="x")
>>> page = backward_page(3 * x**2 + 2, mode="forward", wrt=x)
>>> 'data-tangent' in page.html, page.steps        # the inputs, then x², 3·x² and L
(True, 4)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.viz.display import BackwardPage
from autograd.viz.draw import picture
from autograd.viz.graph import GraphView
from autograd.viz.page import _num, _padded, _Page
from autograd.viz.plan import Plan
from autograd.viz.steps import d, number_text
from autograd.viz.tangents import Tangents, check_wrt

__all__ = ["forward_page"]


def forward_page(g: GraphView, wrt: Any, rankdir: str, max_nodes: int, timeout: float | None) -> BackwardPage:
    """The forward-mode step page of ``g`` from the leaf ``wrt`` (checked here, by name)."""
    check_wrt(g, wrt, "backward_page")
    plan = Plan(g, fold=True)  # every value is a step: nothing is collapsed or left out
    if plan.count > max_nodes:
        raise ValueError(
            f"backward_page: mode='forward' steps through every value, and the graph has {plan.count} "
            f"nodes to draw, more than max_nodes={max_nodes}; raise max_nodes"
        )
    return _ForwardPage(g, Tangents(g, wrt), plan, rankdir).build(timeout)


class _ForwardPage(_Page):
    """Forward mode's steps, nodes, picture and words; the rest (inputs, HTML) is the page's."""

    mode = "forward"

    def __init__(self, g: GraphView, tangents: Tangents, plan: Plan, rankdir: str) -> None:
        self.tangents = tangents
        self.setup(g, plan, rankdir, tangents.numbers)

    def steps(self) -> list[dict[str, Any]]:
        g, tan = self.g, self.tangents
        first = {"kind": "inputs", "node": -1, "template": tan.inputs_template(self.leaves())}
        steps: list[dict[str, Any]] = [{**first, "head": tan.head(tan.wrt)}]  # dx/dx = 1 heads the list
        for node in g.order:
            if node._prev:
                c = g.index[node]
                steps.append(
                    {
                        "kind": "forward",
                        "node": c,
                        "template": tan.template(node),
                        "head": tan.head(node),
                        "edges": [[g.index[p], c] for p in dict.fromkeys(node._prev)],
                        "labels": tan.labels(node),
                    }
                )
        return self.rendered(steps)

    def nodes(self, steps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each value's data and tangent, and whether it carries one: a value that does not
        depend on wrt has none, and adds no term to its users' tangents (as in a jvp)."""
        out, total = self.node_entries(steps), self.tangents.total
        for n, entry in zip(self.g.order, out):
            entry.update(
                data=_num(n._data),
                tangent=_num(total.get(n, 0.0)),
                carries=n in total,
                wrt=n is self.tangents.wrt,
            )
        return out

    def pictures(self) -> list[Any]:
        total = self.tangents.total
        return [
            picture(
                self.g,
                self.plan,
                rankdir=self.rankdir,
                cluster=True,
                grad_text=lambda n: "tangent " + _padded(number_text(total.get(n, 0.0))),
                data_text=lambda x: _padded(number_text(x)),
                stacked=True,
                numbered=True,
                legend=False,
            )
        ]

    def texts(self) -> dict[str, str]:
        name = self.g.name(self.tangents.wrt)
        by = d(name)
        return {
            "what": f"forward mode, tangents d(value)/{by}, step by step",
            "heading": f" (forward mode: d/{by})",
            "box": f"its tangent d(value)/{by}; a blue border marks {name}, where the tangents start",
            "sofar": "Tangents so far",
            "about": f"the graph after the forward pass, each box with its data and tangent d(value)/{by}",
            "mode": f"forward mode (d/{by})",
        }

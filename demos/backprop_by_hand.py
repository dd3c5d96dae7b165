"""Backpropagation by hand: L(x) = 3x² + 2, node by node (the walk-through in Shubhang Desai's
"A Soft Introduction to Neural Networks").

The tutorial draws L = 3x² + 2 as a graph x -> n² -> 3n -> n + 2 and walks it backwards: dL/dL is
1; through "+ 2" the gradient stays 1; through "3·" it becomes 3; through "²" it becomes 3·2x = 6x,
which is indeed the derivative of 3x² + 2. We build the same graph from `Value`s, let
``backward()`` do the walk, print the engine's chain-rule sentence for each node, and draw the
annotated graph and a page that steps through both passes.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd.viz import backward_steps, draw_graph, save, write_backward_html
from demos._common import Limits, add_option, check_options, demo_dir, demo_main, graphviz_optional, say

TITLE = "Backprop by hand: L = 3x² + 2"
PUBLISHED = "dL/dx = 6x (= 12 at x = 2)"
PICTURES = {
    "graph.png": "L = 3x² + 2 after backward(): every value with its data and its gradient dL/d(node).",
    "backward_steps.html": "The forward pass and then the backward pass one step at a time, each gradient "
    "with its chain-rule sentence; change x and every value and gradient is recomputed (arrow keys, "
    "the slider or play to move).",
}


# Where the walk-through may be taken: 3x² + 2 and its pictures stay ordinary numbers.
LIMITS = {"x": Limits(float, -1e6, 1e6)}


def summary(result: dict[str, Any]) -> str:
    return f"L({result['x']:g}) = {result['L']:g}, dL/dx = {result['dL_dx']:g}"


def run(out: str | None = None, *, x: float = 2.0, verbose: bool = False) -> dict[str, Any]:
    """L = 3x² + 2 at ``x``: its value and dL/dx from ``backward()``, narrated node by node."""
    check_options("backprop_by_hand", LIMITS, out, x=x)
    xv = Value(x, label="x")
    L = 3 * xv**2 + 2
    L.label = "L"
    L.backward()
    for step in backward_steps(L):
        say(verbose, step.sentence)
    say(verbose, f"the tutorial's closed form 6x gives {6 * x:g}; backward() gave {xv.grad:g}")

    folder = demo_dir(out, "backprop_by_hand")
    if folder is not None:
        with graphviz_optional("the graph and the step page"):
            save(draw_graph(L), folder / "graph.png")
            write_backward_html(L, folder / "backward_steps.html")
    return {"x": xv.data, "L": L.data, "dL_dx": xv.grad}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    def options(parser: argparse.ArgumentParser) -> None:
        add_option(parser, run, LIMITS, "x", "where to evaluate L and dL/dx (default 2)")

    return demo_main(run, __doc__, argv, options)


if __name__ == "__main__":
    main()

"""Every demo runs once per session (small options where the full run is slow) into one folder:
the per-demo tests read its key numbers, the gallery test its pictures (``runs``).

While a demo runs, its ``draw_graph`` is watched: for each graph drawn with gradients, the
``.grad`` of every leaf that will be pictured is compared with a fresh ``grad()`` of the drawn
output, and any difference (a gradient left over from training) is kept in ``stale_grads``."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograd import Value, grad
from autograd.engine import toposort

# Options that keep each demo to a few seconds while still reaching the figure under test.

SMALL: dict[str, dict[str, Any]] = {
    "backprop_by_hand": {},
    "linear_regression": {},
    "perceptron_diabetes": {},  # the published m, b are after exactly 10,000 epochs (about 3 s)
    "single_neuron": {"iterations": 3000},
    "softmax_classifier": {},
    "polynomial_regression": {"steps": 1500},
    "moons_mlp": {"steps": 60},
    "makemore_mlp": {"steps": 400, "samples": 5},
    "microgpt": {"steps": 6, "samples": 3},
}


class Runs:
    """Each demo's ``run()`` result, computed on first use, pictures under one shared folder.

    While a demo runs, its ``draw_graph`` is watched: for each graph drawn with gradients, the
    ``.grad`` of every leaf that will be pictured is compared with a fresh ``grad()`` of the drawn
    output, and any difference (a gradient left over from training) is kept in ``stale_grads``.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.results: dict[str, dict[str, Any]] = {}
        self.stale_grads: dict[str, list[str]] = {}
        self.graphs_checked: dict[str, int] = {}

    def __getitem__(self, name: str) -> dict[str, Any]:
        if name not in self.results:
            module = importlib.import_module(f"demos.{name}")
            with pytest.MonkeyPatch.context() as patch:
                if hasattr(module, "draw_graph"):
                    patch.setattr(module, "draw_graph", self._watched(name, module.draw_graph))
                self.results[name] = module.run(out=str(self.out), **SMALL[name])
        return self.results[name]

    def _watched(self, name: str, draw_graph: Any) -> Any:
        def draw(root: Any, **options: Any) -> Any:
            if options.get("show_grad") is not False:
                self.graphs_checked[name] = self.graphs_checked.get(name, 0) + 1
                self.stale_grads.setdefault(name, []).extend(stale_leaf_grads(root))
            return draw_graph(root, **options)

        return draw


def stale_leaf_grads(root: Any) -> list[str]:
    """The leaves below ``root`` whose ``.grad`` is not d(root)/d(leaf) computed afresh."""
    leaves = [
        node
        for node in toposort([root])
        if not node._prev and (isinstance(node, Value) or node.requires_grad)
    ]
    fresh = grad(root, leaves)
    stale = []
    for leaf, expected in zip(leaves, fresh):
        shown = leaf._grad  # a float or an array, whichever kind of node the leaf is
        if shown is None or not np.allclose(shown, expected._data, rtol=1e-12, atol=1e-12):
            stale.append(f"{leaf.label or type(leaf).__name__}: shown {shown}, fresh {expected._data}")
    return stale


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory.mktemp("demos"))

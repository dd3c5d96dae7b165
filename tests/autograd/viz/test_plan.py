"""What fits on one picture (autograd/viz/plan.py): past ``max_nodes`` a graph with modules is
drawn with a box per module (per neuron, then per layer), one without them shows the nodes nearest
the output; ``collapse`` chooses, and the boxes keep their order."""

from __future__ import annotations

import re

import numpy as np
from viz_helpers import needs_dot, node_lines

import nn
from autograd import Value, engine
from autograd.viz import draw_graph


def value_mlp(sizes: list[int], rng: np.random.Generator) -> tuple[dict[str, Value], list[Value], Value]:
    """micrograd's MLP by hand, named as nn.MLP names its parameters (layers.i.neurons.j.w.k)."""
    names: dict[str, Value] = {}
    xs = [Value(float(v), label=f"x{i}") for i, v in enumerate(rng.uniform(-1, 1, sizes[0]))]
    acts: list[Value] = xs
    for i, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
        outs = []
        for j in range(nout):
            ws = [Value(float(rng.uniform(-1, 1))) for _ in range(nin)]
            b = Value(0.0)
            for k, w in enumerate(ws):
                names[f"layers.{i}.neurons.{j}.w.{k}"] = w
            names[f"layers.{i}.neurons.{j}.b"] = b
            act = b
            for w, a in zip(ws, acts):
                act = act + w * a
            outs.append(act.relu() if i < len(sizes) - 2 else act)
        acts = outs
    loss = (1 + -1.0 * acts[0]).relu()
    loss.label = "loss"
    return names, xs, loss


def test_moons_mlp_collapses_by_module_past_the_size_limit() -> None:
    names, xs, loss = value_mlp([2, 16, 16, 1], np.random.default_rng(0))
    loss.backward()
    src = draw_graph(loss, names=names).source  # about 1600 nodes: too many to read
    boxes = node_lines(src, "m")
    assert len(boxes) == 16 + 16 + 1  # one box per neuron
    drawn = len(node_lines(src, "v")) + len(node_lines(src, "o")) + len(boxes)
    assert drawn <= 150
    assert "max_nodes=150" in src and ">module</td>" in src
    assert "cluster_layers_0" in src and "cluster_layers_1" in src
    assert 'label="{ x0 | data' in src  # the inputs stay visible
    assert "3 parameters, 5 ops" in src and "17 parameters, 33 ops" in src
    layers = draw_graph(loss, names=names, collapse=2).source
    assert len(node_lines(layers, "m")) == 3
    assert "48 parameters" in layers and "272 parameters" in layers


def test_clustered_full_drawing_when_asked() -> None:
    names, xs, loss = value_mlp([2, 3, 1], np.random.default_rng(1))
    src = draw_graph(loss, names=names, collapse=False).source
    assert not node_lines(src, "m")
    order = engine.toposort([loss])
    assert len(node_lines(src, "v")) == len(order)
    # One cluster per neuron, inside one per layer; parameters named within their neuron.
    assert len(re.findall(r"subgraph cluster_layers_0_neurons_\d", src)) == 3
    assert 'label="neurons.2 ' in src or 'label="neurons.2"' in src
    assert 'label="{ w.1 | data' in src


def test_a_long_chain_without_modules_shows_the_nodes_nearest_the_output() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(5_000):  # deeper than Python's recursion limit: nothing here may recurse
        y = y * 1.0001
    pic = draw_graph(y, max_nodes=40)
    src = pic.source
    drawn = len(node_lines(src, "v")) + len(node_lines(src, "o")) + src.count("earlier nodes not drawn")
    assert drawn <= 40
    assert re.search(r"\d+ earlier nodes not drawn", src)
    assert "{ x |" not in src  # the far input is hidden behind the note
    everything = draw_graph(y, max_nodes=None).source
    assert len(node_lines(everything, "o")) == 5_000


@needs_dot
def test_collapsed_neurons_are_drawn_in_order() -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [16, 16, 1])
    out = model([Value(1.0, label="x1"), Value(2.0, label="x2")])
    svg = draw_graph(out, module=model, collapse=True).pipe(format="svg").decode()
    columns: dict[int, list[tuple[float, int]]] = {}
    box = r'<g id="b\d+" class="node">.*?<text[^>]*x="([-\d.]+)" y="([-\d.]+)"[^>]*>neurons\.(\d+)'
    for x, y, k in re.findall(box, svg, re.S):
        columns.setdefault(round(float(x)), []).append((float(y), int(k)))
    layers = [[k for _, k in sorted(column)] for _, column in sorted(columns.items())]
    assert layers == [list(range(16)), list(range(16)), [0]]  # top to bottom, as numbered

"""Reading a graph (autograd/viz/graph.py): how pictures and sentences name a node: its label or
parameter name, else its formula as a person writes it, else (a Tensor) its op and shape; modules
and their class names from the model."""

from __future__ import annotations

import re

import numpy as np
import pytest
from viz_helpers import node_lines

from autograd import Tensor, Value
from autograd.viz import backward_steps, draw_graph


def test_unnamed_nodes_are_labelled_with_their_formula() -> None:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    d = y**-1
    d.label = "d"  # a named node stays a name inside formulas
    cases = {
        "x/y": x / y,
        "x/(x + y)": x / (x + y),
        "1/x": 1 / x,
        "x - 2": x - 2,
        "x - y": x - y,
        "x/3": x / 3,
        "0.5·x": x * 0.5,
        "x·d": x * d,
        "tanh(x·y) - 1": (x * y).tanh() - 1,
        "(x + 1)⁻¹": (x + 1) ** -1,
    }
    for formula, node in cases.items():
        assert f'label="{{ {formula} | data' in draw_graph(node).source, formula
    long = x
    for _ in range(12):
        long = long * y + 1
    assert re.search(r'label="\{ data [-\d.e+]+ \| grad', draw_graph(long, max_nodes=None).source)


def test_nn_mlp_module_gives_names_clusters_and_class_names() -> None:
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [16, 16, 1], rng=0)
    out = model([Value(1.0, label="x0"), Value(-0.5, label="x1")])
    out.backward()
    src = draw_graph(out, module=model).source
    assert len(node_lines(src, "m")) == 33
    assert "(Layer)" in src and "neurons.3 (Neuron)" in src
    same = draw_graph(out, names=dict(model.named_parameters())).source
    assert len(node_lines(same, "m")) == 33


def test_unnamed_tensors_are_named_by_op_and_shape() -> None:
    W = Tensor(np.ones((784, 10)), requires_grad=True)
    x = Tensor(np.ones((32, 784)))
    b = Tensor(np.zeros(10), requires_grad=True, label="b")
    logits = x @ W + b
    loss = (logits.tanh() - 1).sum()
    loss.backward()
    src = draw_graph(loss).source
    for name in ("tensor (32, 784)", "tensor (784, 10)", "matmul (32, 10)", "add (32, 10)", "tanh (32, 10)"):
        assert re.search(rf'label="{re.escape(name)} \| float64 \| data', src), name  # the shape once
    assert 'label="b | (10,) float64 | data' in src  # a label names it, and the shape follows
    assert "sub (32, 10)" in src and not re.search(r"label=\"#\d", src)
    sentences = [s.sentence for s in backward_steps(loss)]
    assert any(s.startswith("dL/d(matmul (32, 10)) = ") and "(shape" not in s for s in sentences)
    logits.label = "logits"  # a label wins over op and shape
    assert 'label="logits | (32, 10) float64' in draw_graph(loss).source

"""micrograd's lecture code runs unchanged but for the import: its hand-written ``draw_dot`` over
``_prev``/``_op``/``label``/``data``/``grad``, the manual backprop of the tanh neuron with
``_backward()``, micrograd's constructor, identity equality, ``nonlin=``, micrograd's own tests and
its README example."""

from __future__ import annotations

import shutil

import pytest
from graphviz import Digraph

import nn
from autograd import Value

# --- the lecture's helpers, as written there ---------------------------------------------------


def trace(root):  # type: ignore[no-untyped-def]
    # builds a set of all nodes and edges in a graph
    nodes, edges = set(), set()

    def build(v):  # type: ignore[no-untyped-def]
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def draw_dot(root):  # type: ignore[no-untyped-def]
    dot = Digraph(format="svg", graph_attr={"rankdir": "LR"})  # LR = left to right

    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        # for any value in the graph, create a rectangular ('record') node for it
        dot.node(name=uid, label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad), shape="record")  # noqa: E501, UP031
        if n._op:
            # if this value is a result of some operation, create an op node for it
            dot.node(name=uid + n._op, label=n._op)
            # and connect this node to it
            dot.edge(uid + n._op, uid)

    for n1, n2 in edges:
        # connect n1 to the op node of n2
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)

    return dot


def neuron() -> dict[str, Value]:
    # inputs x1,x2
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    # weights w1,w2
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    # bias of the neuron
    b = Value(6.8813735870195432, label="b")
    # x1*w1 + x2*w2 + b
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return locals()


# --- the lecture, step by step -------------------------------------------------------------------


def test_manual_backprop_of_the_tanh_neuron_with_underscore_backward() -> None:
    v = neuron()
    assert round(v["o"].data, 4) == 0.7071
    v["o"].grad = 1.0
    for name in ("o", "n", "b", "x1w1x2w2", "x2w2", "x1w1"):
        v[name]._backward()
    assert round(v["n"].grad, 4) == 0.5
    assert round(v["x1"].grad, 4) == -1.5 and round(v["w1"].grad, 4) == 1.0
    assert round(v["x2"].grad, 4) == 0.5 and v["w2"].grad == 0.0


def test_backward_gives_the_same_as_the_manual_pass() -> None:
    v = neuron()
    v["o"].backward()
    assert [round(v[k].grad, 4) for k in ("x1", "w1", "x2", "w2", "b")] == [-1.5, 1.0, 0.5, 0.0, 0.5]


def test_tanh_written_with_exp_gives_the_same_gradients() -> None:
    v = neuron()
    n = v["n"]
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.backward()
    assert round(o.data, 4) == 0.7071
    assert [round(v[k].grad, 4) for k in ("x1", "w1", "x2", "w2")] == [-1.5, 1.0, 0.5, 0.0]


def test_the_lectures_draw_dot_runs_on_our_nodes() -> None:
    v = neuron()
    v["o"].backward()
    dot = draw_dot(v["o"])
    src = dot.source
    assert "{ o | data 0.7071 | grad 1.0000 }" in src
    assert "{ x1 | data 2.0000 | grad -1.5000 }" in src
    assert src.count("shape=record") == 10  # every value; no constant nodes
    assert {"+", "*", "tanh"} <= {
        line.split("label=")[-1].strip(']" ')
        for line in src.splitlines()
        if "label=" in line and "record" not in line
    }
    if shutil.which("dot"):
        assert "<svg" in dot.pipe(format="svg").decode()


def test_op_is_a_string_as_in_micrograd() -> None:
    x = Value(3.0, label="x")
    assert x._op == "" and "" + x._op == ""
    assert (x + 1)._op == "+" and (x * x)._op == "*" and (x**2)._op == "**2" and x.tanh()._op == "tanh"
    assert (x.exp())._op == "exp" and (x.relu())._op == "relu" and isinstance((x**2)._op, str)
    assert "" + (x**-1)._op == "**-1"


def test_micrographs_constructor_signature() -> None:
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = Value(a.data + b.data, (a, b), "+", label="c")  # a node built by hand, as the lecture does
    assert c._op == "+" and set(c._prev) == {a, b} and c.label == "c"
    c.grad = 1.0
    c._backward()  # no rule was given to it (micrograd's default _backward does nothing)
    assert a.grad == 0.0
    with pytest.raises(TypeError, match="_children"):
        Value(1.0, "x")  # type: ignore[arg-type]


def test_equality_and_hashing_are_by_identity() -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [16, 16, 1])
    params = model.parameters()
    for i in (0, 12, 100, len(params) - 1):
        assert params.index(params[i]) == i
    p = params[12]
    twin = Value(p.data)
    assert p in params and twin not in params and p != twin
    assert len(set(params)) == len(params)


def test_nonlin_as_micrograd_spells_it() -> None:
    assert nn.Neuron(2, nonlin=False).activation == "linear"
    assert nn.Neuron(2, nonlin=True).activation == "relu"
    assert nn.Neuron(2, False).activation == "linear"  # micrograd's second positional argument
    assert nn.Layer(2, 3, nonlin=False).neurons[0].activation == "linear"
    with pytest.raises(ValueError, match="contradicts"):
        nn.Neuron(2, "tanh", nonlin=True)


def test_the_lectures_training_loop() -> None:
    nn.manual_seed(1)
    n = nn.MLP(3, [4, 4, 1], activation="tanh")
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for _ in range(30):
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.05 * p.grad
        losses.append(loss.data)
    assert losses[-1] < 0.1 * losses[0]


# --- micrograd's own tests and README, values as micrograd's test_engine.py checks them ---------


def test_micrograd_sanity_check() -> None:
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == -20.0
    assert x.grad == 46.0


def test_micrograd_more_ops_and_readme_example() -> None:
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert f"{g.data:.4f}" == "24.7041"  # the outcome of this forward pass
    g.backward()
    assert f"{a.grad:.4f}" == "138.8338"  # dg/da
    assert f"{b.grad:.4f}" == "645.5773"  # dg/db

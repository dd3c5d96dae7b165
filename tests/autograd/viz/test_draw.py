"""Pictures of a graph (autograd/viz/draw.py): each value a record ``label | data | grad``, ops as
small nodes, colours by role and a legend, Tensors with shape, dtype and summaries, modules as
clusters; odd labels drawn escaped, and labels longer than Graphviz's dot reads in one quoted
string (16,384 bytes) cut to MAX_LABEL characters with an ellipsis, the full text in the tooltip."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from viz_helpers import SVG, needs_dot, node_lines, op_labels, quadratic

import nn
from autograd import Tensor, Value, engine
from autograd.viz import ROLE_COLOURS, backward_page, backward_steps, draw_graph, save
from autograd.viz.render import MAX_LABEL, MAX_TOOLTIP, shorten

# --- the DOT source ---------------------------------------------------------------------------


def test_source_after_backward_has_every_label_data_grad_and_the_three_ops() -> None:
    x, L = quadratic()
    L.backward()
    src = draw_graph(L).source
    for text in (
        "{ x | data 2.0000 | grad 12.0000 }",
        "{ x² | data 4.0000 | grad 3.0000 }",
        "{ 3·x² | data 12.0000 | grad 1.0000 }",
        "{ 3·x² + 2 | data 14.0000 | grad 1.0000 }",
    ):
        assert text in src
    assert sorted(op_labels(src)) == sorted(["**2", "* 3", "+ 2"])
    assert "not computed" not in src


def test_node_count_matches_the_graph() -> None:
    x, L = quadratic()
    order = engine.toposort([L])  # x, x², 3·x², L: the numbers are the ops' operands, not nodes
    computed = sum(1 for n in order if n._prev)
    src = draw_graph(L).source
    assert len(node_lines(src, "v")) == len(order) == 4
    assert len(node_lines(src, "o")) == computed == 3
    unfolded = draw_graph(L, fold_constants=False).source  # the numbers drawn as small boxes
    assert len(node_lines(unfolded, "v")) == len(order)
    assert sorted(op_labels(unfolded)) == ["*", "**2", "+"]
    assert unfolded.count("label=3 ") + unfolded.count("label=2 ") == 2
    assert unfolded.count("->") == computed + sum(len(n._prev) for n in order) + 2


def test_before_backward_gradients_are_not_computed_not_zero() -> None:
    x, L = quadratic()
    src = draw_graph(L).source
    assert src.count("grad not computed") == 4
    assert "grad 0.0000" not in src
    assert "grad 0.0000" in draw_graph(L, show_grad=True).source  # asked for: the raw numbers
    assert "grad" not in "".join(node_lines(draw_graph(L, show_grad=False).source, "v"))
    L.backward()
    assert "not computed" not in draw_graph(L).source


def test_a_zero_gradient_after_backward_is_shown_as_zero() -> None:
    a = Value(-1.0, label="a")
    b = Value(5.0, label="b")
    out = a.relu() + b  # a's gradient is really 0
    out.backward()
    assert "{ a | data -1.0000 | grad 0.0000 }" in draw_graph(out).source


def test_roles_have_their_colours_and_the_legend_names_them() -> None:
    x = Value(1.5, label="x")
    w = Value(-0.5, label="w")
    out = (w * x + 1).tanh()
    src = draw_graph(out, names={"neuron.w": w}).source
    lines = node_lines(src, "v")

    def line_of(name: str) -> str:
        (line,) = [ln for ln in lines if f"{{ {name} |" in ln]
        return line

    assert ROLE_COLOURS["input"] in line_of("x")
    assert ROLE_COLOURS["parameter"] in line_of("w")  # clustered inside "neuron": its short name
    assert ROLE_COLOURS["output"] in line_of("tanh(w·x + 1)")
    assert sum(ROLE_COLOURS["intermediate"] in ln for ln in lines) == 2  # w·x and w·x + 1
    assert "subgraph cluster_neuron" in src
    legend = src[src.rindex("label=<<table") :]
    for role in ("input", "parameter", "intermediate", "output"):
        assert f">{role}</td>" in legend
    assert ">constant</td>" not in legend  # folded, so not drawn, so not in the legend
    assert ">constant</td>" in draw_graph(out, fold_constants=False).source


def test_rankdir_turns_records_so_the_fields_stay_in_a_row() -> None:
    x, L = quadratic()
    assert "{ x | data 2.0000" in draw_graph(L).source
    tb = draw_graph(L, rankdir="TB").source
    assert 'label="x | data 2.0000' in tb and "rankdir=TB" in tb


def test_bad_input_raises_clear_errors() -> None:
    x, L = quadratic()
    for bad in (3.0, "x", [x], None):
        with pytest.raises(TypeError, match="Value or Tensor"):
            draw_graph(bad)
    with pytest.raises(TypeError, match="Value or Tensor"):
        backward_steps(1.0)
    with pytest.raises(ValueError, match="svg, png, pdf"):
        draw_graph(L, format="jpg")
    with pytest.raises(ValueError, match="svg, png, pdf"):
        save(draw_graph(L), "/tmp/never-written.jpeg")
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(L, rankdir="up")
    with pytest.raises(ValueError, match="rankdir"):
        backward_steps(L, rankdir="sideways")
    with pytest.raises(TypeError, match="named_parameters"):
        draw_graph(L, module=object())


# --- Tensors ----------------------------------------------------------------------------------


def test_tensor_nodes_show_shape_dtype_and_summaries() -> None:
    Tensor = pytest.importorskip("autograd.tensors").Tensor
    w = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="w")
    x = Tensor(np.ones((4, 3)), label="x")
    loss = ((x @ w.T) ** 2).mean()
    before = draw_graph(loss).source
    assert "(2, 3) float64" in before and "(4, 3) float64" in before
    assert "grad not computed" in before
    assert "no grad (requires_grad=False)" in before  # x is data
    steps = backward_steps(loss)
    assert all(s.node is not x for s in steps) and steps[-1].node is w  # data needs no gradient: no step
    assert "no grad" in steps[-1].picture.source
    assert "min 0  max 5" in before  # the summary of w's six values
    assert "**2" in op_labels(before) and "* 0.125" in op_labels(before)
    loss.backward()
    after = draw_graph(loss).source
    assert "grad not computed" not in after
    assert f"grad [{loss.grad:.4g}]" in after or "grad [1]" in after


def test_tensor_mlp_with_module_clusters_each_linear() -> None:
    nn = pytest.importorskip("nn")
    Tensor = pytest.importorskip("autograd.tensors").Tensor
    net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
    x = Tensor(np.random.default_rng(0).normal(size=(8, 2)), label="x")
    loss = (net(x) ** 2).mean()
    loss.backward()
    src = draw_graph(loss, module=net).source
    assert "cluster_0" in src and "cluster_2" in src
    assert "0 (Linear)" in src and "2 (Linear)" in src
    collapsed = draw_graph(loss, module=net, collapse=True).source
    assert len(node_lines(collapsed, "m")) == 2 and "out (8, 16) float64" in collapsed
    assert "(16, 2) float64" in src  # 0.weight
    steps = backward_steps(loss, module=net)
    by_name = {s.name: s.grad for s in steps}
    for name, p in net.named_parameters():
        np.testing.assert_allclose(by_name[name], p.grad)


# --- odd and long labels ----------------------------------------------------------------------

ODD = [
    "a\0b",
    "\0",
    "esc\x1b[31m",
    "tab\t",
    "bell\x07",
    "a\ufffeb",
    "lone\ud800",
    "rtl\u202eab",
    "x\\",
    "<b>",
]


@needs_dot
def test_labels_with_control_characters_are_drawn_escaped() -> None:
    for text in ODD:
        x = Value(2.0, label=text)
        y = Value(3.0, (x,), text)  # an op named by hand (micrograd's signature)
        L = x * y
        L.label = text
        L.backward()
        for pic in (draw_graph(L), backward_steps(L)[1].picture):
            tree = ET.fromstring(pic.pipe(format="svg"))  # dot draws it, and it is well-formed XML
            texts = [t.text for t in tree.iter(f"{SVG}text")]
            shown = text.encode("unicode_escape").decode("ascii") if text not in ("x\\", "<b>") else text
            assert texts.count(shown) >= 2, (text, texts)  # the value's record and the op's name


@needs_dot
def test_module_names_with_control_characters_title_clusters_and_boxes() -> None:
    x, w, b = Value(1.0, label="x"), Value(2.0), Value(3.0)
    L = x * w + b
    L.backward()
    names = {"lay\0er.0.w": w, "lay\0er.0.b": b}
    for collapse in (False, True):
        tree = ET.fromstring(draw_graph(L, names=names, collapse=collapse).pipe(format="svg"))
        assert "lay\\x00er" in {t.text for t in tree.iter(f"{SVG}text")}


def _texts(svg: str) -> list[str]:
    """What the picture shows: the text of its <text> elements."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@needs_dot
@pytest.mark.parametrize("length", [16_383, 16_384, 20_000, 1_000_000])
def test_a_label_too_long_for_dot_is_cut_and_drawn(length: int) -> None:
    x = Value(2.0, label="x" * length)
    y = x * 3
    y.backward()
    svg = draw_graph(y).pipe(format="svg").decode("utf-8")  # was CalledProcessError from dot
    assert "x" * (MAX_LABEL - 1) + "…" in _texts(svg)
    assert max(len(t) for t in _texts(svg)) <= MAX_LABEL
    assert 'xlink:title="' + "x" * (MAX_TOOLTIP - 1) + '…"' in svg  # the tooltip keeps more, within bounds


@needs_dot
@pytest.mark.parametrize(
    "label",
    [
        "ℵ" * 7_000,  # 3 bytes each in UTF-8: 21,000 bytes
        "\x00" * 5_000,  # written as \x00 escapes: 20,000 bytes
        '{|}<>"\\' * 3_000,  # record syntax, each escaped with a backslash
        "\u202e" * 5_000,  # bidi overrides, escaped
        "😀" * 5_000,  # 4 bytes each
    ],
    ids=["3-byte", "nul", "record-syntax", "bidi", "emoji"],
)
def test_long_labels_of_any_characters_are_drawn(label: str) -> None:
    x = Value(1.0, label=label)
    y = (x * 2).tanh()
    y.backward()
    svg = draw_graph(y).pipe(format="svg").decode("utf-8")
    assert "…" in svg
    page = backward_page(y)  # the step page draws its pictures through the same code
    assert page.steps > 0


@needs_dot
def test_a_label_of_max_label_characters_is_drawn_whole_without_a_tooltip() -> None:
    x = Value(1.0, label="y" * MAX_LABEL)
    source = draw_graph(x * 2, show_grad=False).source
    assert "y" * MAX_LABEL in source and "…" not in source and "tooltip" not in source


@needs_dot
def test_long_module_names_are_cut_in_titles_ids_and_clusters() -> None:
    class Deep(nn.Module):
        def __init__(self) -> None:
            setattr(self, "m" * 20_000, nn.Linear(2, 2, rng=0))
            setattr(self, "m" * 19_999 + "n", nn.Linear(2, 2, rng=1))  # the same first 100 characters

        def forward(self, x: Tensor) -> Tensor:
            return getattr(self, "m" * 19_999 + "n")(getattr(self, "m" * 20_000)(x))

    model = Deep()
    y = model(Tensor(np.ones((1, 2)))).sum()
    y.backward()
    for options in ({}, {"collapse": True}, {"cluster": False}):
        picture = draw_graph(y, module=model, **options)
        assert max(len(line) for line in picture.source.splitlines()) < 16_384
        svg = picture.pipe(format="svg").decode("utf-8")
        assert max(len(t) for t in _texts(svg)) <= MAX_LABEL + 20  # a title and its " (Linear)"
    clusters = re.findall(r"subgraph (\S+) \{", draw_graph(y, module=model).source)
    assert len(clusters) == len(set(clusters)) == 2  # cut, yet told apart


@needs_dot
def test_long_op_names_are_cut() -> None:
    x = Value(1.0, label="x")
    y = Value(2.0, (x,), "op" * 10_000)  # micrograd's signature: any text as the op
    source = draw_graph(y, show_grad=False).source
    assert "op" * 49 + "o…" in source and "op" * 60 not in source.split("tooltip=")[0]
    svg = draw_graph(y, show_grad=False).pipe(format="svg").decode("utf-8")
    assert "op" * 49 + "o…" in _texts(svg)
    assert shorten("short") == "short" and len(shorten("op" * 100)) == MAX_LABEL

"""The step page in forward mode, as a document (autograd/viz/forward_page.py, tangents.py): each
value's tangent equals what the engine's jvp and its reverse mode say, on every primitive; the
steps and their sentences; bad arguments refused by name; the notebook cell; reverse mode as it was.
The page in a browser is in test_page_forward_browser.py."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from viz_helpers import MARKUP, every_primitive, needs_dot, page_model, quadratic

from autograd import Tensor, Value, engine, func, primitive
from autograd.viz import backward_page, write_backward_html
from autograd.viz.graph import GraphView
from autograd.viz.tangents import Tangents, engine_tangents

pytestmark = needs_dot


def neuron() -> tuple[dict[str, Value], Value]:
    """tanh(x1·w1 + x2·w2 + b), micrograd's neuron."""
    leaves = {k: Value(v, label=k) for k, v in [("x1", 2.0), ("x2", 0.0), ("w1", -3.0), ("w2", 1.0)]}
    leaves["b"] = Value(6.8813735870195432, label="b")
    n = leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return leaves, o


def texts(page: Any) -> list[str]:
    return [s["text"] for s in page_model(page.html)["steps"]]


# --- the numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("point", [(0.7, -1.3, 2.1), (-1.2, 0.4, 3.0)])
def test_tangents_are_jvps_on_every_primitive(point: tuple[float, float, float]) -> None:
    """Each value's tangent on the page is d(value)/d(wrt): the output's equals jvp's (exactly),
    and every value's equals the gradient reverse mode finds for it (the graph uses every
    primitive: test_trace.py checks that)."""
    L = every_primitive(*point)
    nodes = engine.toposort([L])
    leaves = {n.label: n for n in nodes if not n._prev and n.label}
    for k, name in enumerate("xyz"):
        model = page_model(backward_page(L, mode="forward", wrt=leaves[name]).html)
        tangents = [n["tangent"] for n in model["nodes"]]
        assert [n["data"] for n in model["nodes"]] == [n.data for n in nodes]
        # jvp with every input a primal: the others with tangent 0 (plain Values beside the dual
        # trip a core bug: see the report)
        _, by_jvp = func.jvp(every_primitive, point, tuple(float(i == k) for i in range(3)))
        assert tangents[-1] == by_jvp
        for i, n in enumerate(nodes):
            (by_reverse,) = engine.grad(n, [leaves[name]])
            assert tangents[i] == pytest.approx(getattr(by_reverse, "data", by_reverse), rel=1e-12, abs=1e-15)
        carries = {n["name"] for n in model["nodes"] if n["carries"]}
        assert name in carries and "L" in carries and len(carries) < len(nodes)


def test_a_value_that_does_not_depend_on_wrt_carries_no_tangent() -> None:
    """As in a jvp: x2·w2 has no tangent along w1, and adds no term to its users'."""
    leaves, o = neuron()
    g = GraphView(o, root_name="L")
    total = engine_tangents(g, leaves["w1"])
    assert {g.name(n) for n in total} == {"w1", "x1·w1", "x1·w1 + x2·w2", "n", "o"}
    assert total[o] == pytest.approx(2 * (1 - math.tanh(0.8813735870195432) ** 2), rel=1e-15)
    _, by_jvp = func.jvp(lambda w: (w * 2.0 + 6.8813735870195432).tanh(), (-3.0,), (1.0,))
    assert total[o] == by_jvp


def test_nothing_changes_in_the_graph() -> None:
    x = Value(2.0, label="x")
    L = (x * x).tanh()
    x.grad = 7.0
    backward_page(L, mode="forward", wrt=x)
    assert x.grad == 7.0 and L.grad == 0.0 and not hasattr(L, "tangent")


# --- the steps and their sentences --------------------------------------------------------------


def test_the_quadratic_step_by_step() -> None:
    x, L = quadratic()
    page = backward_page(L, mode="forward", wrt=x)
    assert page.steps == 4 and repr(page) == "<BackwardPage: 'L = 3·x² + 2', forward mode (d/dx), 4 steps>"
    model = page_model(page.html)
    assert model["mode"] == "forward"
    assert [s["kind"] for s in model["steps"]] == ["inputs", "forward", "forward", "forward"]
    assert [s.get("head_text") for s in model["steps"]] == [
        "dx/dx = 1",
        "d(x²)/dx = 4",
        "d(3·x²)/dx = 12",
        "dL/dx = 12",
    ]
    assert texts(page) == [
        "The inputs: x = 2. Forward mode computes each value together with its tangent, its "
        "derivative with respect to x, starting from dx/dx = 1. One pass forward ends with dL/dx.",
        "x² = 2² = 4; d(x²)/dx = 2x · dx/dx = 4 · 1 = 4",
        "3·x² = 3·4 = 12; d(3·x²)/dx = 3 · d(x²)/dx = 3 · 4 = 12",
        "L = 3·x² + 2 = 12 + 2 = 14; dL/dx = 1 · d(3·x²)/dx = 1 · 12 = 12",
    ]
    assert model["steps"][1]["labels"] == [
        {"edge": [0, 1], "template": "∂(x²)/∂x = 2x = {l:1:0}", "text": "∂(x²)/∂x = 2x = 4"}
    ]
    assert [s.get("edges") for s in model["steps"]] == [None, [[0, 1]], [[1, 2]], [[2, 3]]]


def test_the_neuron_says_what_does_not_depend_on_wrt() -> None:
    leaves, o = neuron()
    page = backward_page(o, mode="forward", wrt=leaves["w1"])
    model = page_model(page.html)
    assert page.steps == 6 and [n["wrt"] for n in model["nodes"]].count(True) == 1
    said = texts(page)
    assert "(the other inputs are held constant: their tangents are 0)" in said[0]
    assert (
        said[1] == "x1·w1 = 2·(-3) = -6; d(x1·w1)/dw1 = x1 · dw1/dw1 = 2 · 1 = 2 (x1 does not depend on w1)"
    )
    assert said[2] == "x2·w2 = 0·1 = 0; x2·w2 does not depend on w1, so d(x2·w2)/dw1 = 0"
    assert said[-1] == "o = tanh(n) = tanh(0.8814) = 0.7071; do/dw1 = (1 - tanh²(n)) · dn/dw1 = 0.5 · 2 = 1"
    assert model["steps"][2]["labels"] == []  # no tangent comes along those edges


def test_sentences_sum_every_term() -> None:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    L = x * x + x / y + abs(x).relu()
    said = "\n".join(texts(backward_page(L, mode="forward", wrt=x)))
    assert "; d(x·x)/dx = x · dx/dx + x · dx/dx = 2 · 1 + 2 · 1 = 4\n" in said  # x twice: two terms
    assert "; d(x/y)/dx = 1/y · dx/dx = 0.3333 · 1 = 0.3333 (y⁻¹ does not depend on x)\n" in said
    assert "; d(relu(|x|))/dx = ∂(relu(|x|))/∂(|x|) · d(|x|)/dx = 1 · 1 = 1\n" in said  # a selection
    assert said.endswith("dL/dx = 1 · d(x·x + x/y)/dx + 1 · d(relu(|x|))/dx = 1 · 4.333 + 1 · 1 = 5.333")


def test_a_leaf_root_is_its_own_tangent() -> None:
    x = Value(2.0, label="x")
    page = backward_page(x, mode="forward", wrt=x)
    assert page.steps == 1 and page_model(page.html)["nodes"][0]["tangent"] == 1.0


def test_tangents_render_like_the_rest() -> None:
    """The slot {t:i} is filled as the other numbers are; a label that looks like a slot is text."""
    x = Value(0.5, label="{t:0}")
    L = x.exp() * 3
    g = GraphView(L, root_name="L")
    t = Tangents(g, x)
    page = backward_page(L, mode="forward", wrt=x)
    assert (
        texts(page)[-1]
        == "L = 3·exp({t:0}) = 3·1.649 = 4.946; dL/d({t:0}) = 3 · d(exp({t:0}))/d({t:0}) = 3 · 1.649 = 4.946"
    )
    assert t.total[L] == pytest.approx(3 * math.exp(0.5), rel=1e-15)


# --- the document -------------------------------------------------------------------------------


@pytest.mark.parametrize("label", [MARKUP[0], MARKUP[2], "a\x1bb"])
def test_a_wrt_named_like_markup_stays_text(label: str) -> None:
    x = Value(1.0, label=label)
    page = backward_page(x * 2, mode="forward", wrt=x)
    for text in (page.html, page._repr_html_(), page.picture):  # repr is plain text: it may hold it
        assert label not in text
    assert "a\\x1bb" in page.html or label != "a\x1bb"  # a control character, written as an escape


def test_the_document_and_its_notebook_cell(tmp_path: Path) -> None:
    x, L = quadratic()
    page = backward_page(L, mode="forward", wrt=x)
    path = write_backward_html(L, tmp_path / "forward.html", mode="forward", wrt=x)
    assert path.read_text(encoding="utf-8") == page.html
    assert 'data-leaf="x"' in page.html and "Tangents so far" in page.html
    assert "its tangent d(value)/dx" in page.html and "forward mode, tangents d(value)/dx" in page.html
    assert "tangent 12" in page.picture and "grad" not in page.picture  # the static picture
    cell = page._repr_html_()
    assert "after the forward pass, each box with its data and tangent d(value)/dx" in cell
    bundle = page._repr_mimebundle_()
    assert "tangent 12" in bundle["image/svg+xml"]


def test_reverse_mode_is_the_page_it_was() -> None:
    x, L = quadratic()
    assert backward_page(L, mode="reverse").html == backward_page(L).html
    model = page_model(backward_page(L).html)
    assert model["mode"] == "reverse" and "tangent" not in model["nodes"][0]
    assert "Gradients so far" in backward_page(L).html


# --- bad arguments ------------------------------------------------------------------------------


def test_bad_arguments_are_refused_by_name(tmp_path: Path, registry: None) -> None:
    x, L = quadratic()
    y = Value(1.0, label="y")
    hand = Value(3.0, (x,), "twice")  # built by hand, as micrograd's lecture does: no primitive
    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"mode": "sideways"}, ValueError, "mode must be 'reverse' or 'forward', got 'sideways'"),
        ({"mode": None, "wrt": x}, ValueError, "mode must be 'reverse' or 'forward', got None"),
        ({"wrt": x}, ValueError, r"wrt= is for mode='forward'"),
        ({"mode": "reverse", "wrt": x}, ValueError, r"wrt= is for mode='forward'"),
        ({"mode": "forward"}, ValueError, r"mode='forward' needs wrt="),
        (
            {"mode": "forward", "wrt": 2.0},
            TypeError,
            "wrt must be a Value, a leaf of root's graph, got float",
        ),
        (
            {"mode": "forward", "wrt": y},
            ValueError,
            r"wrt Value\(label='y'.* is not in the graph below root; its inputs: x",
        ),
        (
            {"mode": "forward", "wrt": L._prev[0]},
            ValueError,
            r"wrt '3·x²' is not a leaf: it is computed \(by \*\)",
        ),
    ]
    for kwargs, kind, message in cases:
        with pytest.raises(kind, match="^backward_page: " + message):
            backward_page(L, **kwargs)
        with pytest.raises(kind, match="^write_backward_html: " + message):  # before the path is
            write_backward_html(L, tmp_path / "no.html", **kwargs)
        assert not (tmp_path / "no.html").exists()
    unnamed = Value(2.0)
    with pytest.raises(ValueError, match=r"^backward_page: wrt \(the input 2\) has no name.*label='x'"):
        backward_page(unnamed * x, mode="forward", wrt=unnamed)
    with pytest.raises(ValueError, match=r"every value made by a primitive; 'twice\(x\)' was built by hand"):
        backward_page(hand * x, mode="forward", wrt=x)
    t = Tensor(2.0, requires_grad=True)
    with pytest.raises(
        ValueError, match=r"^backward_page: mode='forward' steps through graphs of Values; .*jvp"
    ):
        backward_page((t * t).sum(), mode="forward", wrt=t)
    chain = x
    for _ in range(80):
        chain = chain * 1.01
    with pytest.raises(
        ValueError, match=r"steps through every value, and the graph has 161 nodes.*max_nodes=150"
    ):
        backward_page(chain, mode="forward", wrt=x)
    assert backward_page(chain, mode="forward", wrt=x, max_nodes=200).steps == 81


def test_a_primitive_with_its_own_jvp_rule_gives_the_page_its_tangent(registry: None) -> None:
    """The Python tangents are the engine's forward mode: a primitive's own jvp= rule is used."""
    cube = primitive(
        "cube",
        floats=lambda a: a**3,
        rules=[lambda g, out, a: g * 3 * a * a],
        jvp=lambda tangents, out, a: 3 * a * a * tangents[0],
        js="a * a * a",
    )
    x = Value(2.0, label="x")
    L = cube(x) + x
    model = page_model(backward_page(L, mode="forward", wrt=x).html)
    assert [n["tangent"] for n in model["nodes"]] == [1.0, 12.0, 13.0] and model["live"]
    square = primitive("square", floats=lambda a: a * a, rules=[lambda g, out, a: 2 * a * g])  # no js=
    page = backward_page(square(x) * 3, mode="forward", wrt=x)
    model = page_model(page.html)
    assert not model["live"] and 'data-leaf="x"' not in page.html  # Python's numbers, not editable
    assert [n["tangent"] for n in model["nodes"]] == [1.0, 4.0, 12.0]

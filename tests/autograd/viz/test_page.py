"""The step page as a document (autograd/viz/page.py), no browser needed: self-contained, its model
written from the primitives' definitions, labels that look like markup or hold control characters
written as text, the node budget, arguments and paths refused by name, and its cell in a notebook
(the live page in an iframe, and a static picture where scripts do not run)."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pytest
from viz_helpers import MARKUP, chain, needs_dot, neuron, page_model, quadratic

import nn
from autograd import Tensor, Value, no_grad, primitive
from autograd.ops import SIGMOID
from autograd.viz import backward_page, write_backward_html

INVISIBLE = ["a\x00b", "a\x1bb", "\u202eevil\u202c", "\u2066x\u2069", "a\u2028b", "\ud800"]

# --- the document -----------------------------------------------------------------------------


@needs_dot
def test_step_page_is_self_contained(tmp_path: Path) -> None:
    x, L = quadratic()
    path = write_backward_html(L, tmp_path / "steps.html")
    page = path.read_text(encoding="utf-8")
    assert page.count("<svg") == 1  # one picture; the script shows each step on it
    assert "dL/dx = 12: x feeds x²" in page and "x² = 2² = 4" in page
    for hook in ('id="prev"', 'id="next"', 'id="play"', 'type="range"', 'data-step="1"', 'data-leaf="x"'):
        assert hook in page
    assert not re.search(r"<script[^>]+src|<link|<img|@import|url\(", page)
    external = re.findall(r"https?://[^\s\"'<>]+", page)
    assert set(external) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}  # namespaces
    assert "Content-Security-Policy" in page
    assert backward_page(L).html == page  # the file is the page
    with pytest.raises(ValueError, match="max_nodes=150, and no modules"):
        y = x
        for _ in range(80):
            y = y * 1.01
        backward_page(y)


def test_the_page_model_comes_from_the_definitions() -> None:
    """The script's model: each value's op and operands, and the steps in the order of the passes;
    the JavaScript of every primitive the graph uses, written from its definition."""
    x, L = quadratic()
    page = backward_page(L).html
    model = page_model(page)
    assert [n["op"] for n in model["nodes"]] == [None, "**", "*", "+"]
    assert model["nodes"][1]["args"] == [{"n": 0}, {"k": 2.0}]
    assert [s["kind"] for s in model["steps"]] == ["inputs"] + ["forward"] * 3 + ["backward"] * 4
    assert model["live"] and model["steps"][-1]["labels"][0]["template"] == "∂(x²)/∂x = 2x = {l:1:0}"
    for name in ("+", "*", "**"):
        assert f"F[{json.dumps(name)}] = function" in page and f"D[{json.dumps(name)}] = function" in page


@needs_dot
def test_the_page_leaves_grads_alone() -> None:
    x = Value(2.0, label="x")
    L = (x * x).tanh()
    x.grad = 7.0
    backward_page(L)
    assert x.grad == 7.0 and L.grad == 0.0


@needs_dot
def test_tensor_roots_of_one_element_step_but_are_not_live() -> None:
    A = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = Tensor([1.0, -2.0], requires_grad=True)
    for root in [
        (A * b + 1.0).tanh().sum(),
        (Tensor([2.0], requires_grad=True) ** 2).sum(),
        Tensor(2.0, requires_grad=True).exp() * 3,
    ]:
        page = backward_page(root)
        assert page.steps >= 4 and "data-leaf=" not in page.html
        assert '"live": false' in page.html


@needs_dot
def test_an_unlabelled_leaf_is_a_constant_not_an_input() -> None:
    x = Value(2.0, label="x")
    page = backward_page(Value(3.0) * x + 1).html
    assert 'data-leaf="x"' in page and 'data-leaf="3"' not in page
    assert "The inputs: x = 2." in page


@needs_dot
def test_a_primitive_without_javascript_makes_a_page_that_is_not_live(registry: None) -> None:
    softplus = primitive(
        "hostile-softplus-nojs",
        floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
        rules=[lambda g, out, x: g * SIGMOID(x)],
    )
    page = backward_page(softplus(Value(0.3, label="x")) * 2)
    assert "data-leaf=" not in page.html and '"live": false' in page.html


# --- labels written as text -------------------------------------------------------------------


@needs_dot
@pytest.mark.parametrize("label", MARKUP)
def test_markup_in_labels_stays_text(label: str) -> None:
    page = backward_page(neuron(label_x=label, out=label)).html
    if "<" in label:
        assert label not in page  # only its escaped forms are written
    plain = backward_page(neuron(label_x="x", out="out")).html
    assert len(re.findall(r"<script\b", page)) == len(re.findall(r"<script\b", plain))  # nothing injected
    assert "<img" not in page
    assert page.count("</script>") == plain.count("</script>")


@needs_dot
@pytest.mark.parametrize("label", INVISIBLE)
def test_control_and_bidi_characters_are_written_as_escapes(label: str) -> None:
    page = backward_page(neuron(label_x=label)).html
    raw = [c for c in label if not c.isalnum()]
    assert raw and not any(c in page for c in raw)


@needs_dot
def test_zero_width_and_bidi_marks_are_written_as_escapes() -> None:
    for mark in ("\u200b", "\u200e", "\u200f", "\ufeff", "\u061c"):
        page = backward_page(neuron(label_x=f"a{mark}b")).html
        assert mark not in page


@needs_dot
def test_a_step_page_of_odd_labels_shows_them_escaped(tmp_path: Path) -> None:
    x = Value(2.0, label="x\0")
    L = 3 * x**2
    L.label = "L\x1b"
    page = write_backward_html(L, tmp_path / "steps.html").read_text(encoding="utf-8")
    assert "\0" not in page and "\x1b" not in page
    assert (
        "L\\x1b = 3·x\\x00²" in page and "d(L\\x1b)/d(x\\x00) = 12" in page_model(page)["steps"][-1]["text"]
    )


# --- sizes, arguments and paths ---------------------------------------------------------------


@needs_dot
def test_the_node_budget_at_its_edge() -> None:
    assert backward_page(chain(74)).steps == 150  # 149 nodes drawn: fits the default 150
    with pytest.raises(
        ValueError, match=r"^backward_page: the graph has 151 nodes to draw, more than max_nodes=150"
    ):
        backward_page(chain(75))
    assert backward_page(chain(75), max_nodes=151).steps == 152


@needs_dot
def test_too_big_even_in_boxes_says_so() -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 1])
    loss = model([Value(1.0, label="a"), Value(2.0, label="b")])
    with pytest.raises(ValueError, match="even with a box per module; raise max_nodes"):
        backward_page(loss, module=model, max_nodes=2)


@needs_dot
def test_bad_arguments_are_refused_by_name() -> None:
    x = Value(2.0, label="x")
    L = 3 * x
    for bad in (True, 2.5, 1, None, "150"):
        with pytest.raises(ValueError, match=r"^backward_page: max_nodes must be a whole number"):
            backward_page(L, max_nodes=bad)  # type: ignore[arg-type]
    for rankdir in ("lr", "", None):
        with pytest.raises(ValueError, match=r"^backward_page: rankdir must be one of"):
            backward_page(L, rankdir=rankdir)  # type: ignore[arg-type]
    for root in (None, 3.0, [x], "x"):
        with pytest.raises(TypeError, match=r"^backward_page: root must be a Value or Tensor"):
            backward_page(root)
    with pytest.raises(ValueError, match=r"^backward_page: root has shape \(2,\).*\.sum\(\)"):
        backward_page(Tensor([1.0, 2.0], requires_grad=True) * 3)
    with pytest.raises(ValueError, match=r"^backward_page: root does not require grad"):
        backward_page(Tensor([1.0]) * 3)
    with pytest.raises(TimeoutError, match=r"^backward_page: Graphviz's dot did not finish"):
        backward_page(chain(40), timeout=1e-6)


@needs_dot
def test_arguments_are_named_by_the_function_called() -> None:
    x = Value(2.0, label="x")
    for timeout in (math.nan, math.inf, "5", 0, -1, True):
        with pytest.raises(ValueError, match="^backward_page: timeout must be"):
            backward_page(x * 3, timeout=timeout)  # type: ignore[arg-type]
    for names in ("x", [("a", x, 1)], {"a": [x]}):
        with pytest.raises(TypeError, match="^backward_page: names"):
            backward_page(x * 3, names=names)  # type: ignore[arg-type]
    for name in ("..w", "...", ".w"):  # empty module parts once recursed forever
        assert backward_page(x * 3, names={name: x}).steps == 4


@needs_dot
def test_bad_paths_are_named_before_anything_is_written(tmp_path: Path) -> None:
    page = backward_page(neuron())
    with pytest.raises(IsADirectoryError, match=r"BackwardPage\.save: cannot write .* it is a folder"):
        page.save(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"BackwardPage\.save: cannot write .* does not exist"):
        page.save(tmp_path / "missing" / "steps.html")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"BackwardPage\.save: .* is not a folder"):
        page.save(tmp_path / "file" / "steps.html")
    with pytest.raises(ValueError, match=r"^BackwardPage\.save: path is empty"):
        page.save("")
    with pytest.raises(TypeError, match=r"^BackwardPage\.save: path must be a str"):
        page.save(None)  # type: ignore[arg-type]
    # write_backward_html checks the path first: a bad folder, not dot's time limit, is reported.
    with pytest.raises(FileNotFoundError, match=r"^.*write_backward_html: cannot write"):
        write_backward_html(neuron(), tmp_path / "missing" / "steps.html", timeout=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_write_backward_html_without_a_backward_pass_says_why(tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    w = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        value_under_no_grad = x * 3
        tensor_under_no_grad = (w * 2).sum()
    roots = {
        "does not require grad": [Tensor([1.0, 2.0]).sum(), Tensor(3.0), tensor_under_no_grad],
        "computed under no_grad": [value_under_no_grad],
        "shape (2,)": [w * 2],
    }
    for why, nodes in roots.items():
        for root in nodes:
            with pytest.raises(ValueError, match=rf"^write_backward_html: .*{re.escape(why)}"):
                write_backward_html(root, tmp_path / "steps.html")
    with pytest.raises(TypeError, match=r"^write_backward_html: root must be a Value or Tensor"):
        write_backward_html(3.0, tmp_path / "steps.html")
    with pytest.raises(FileNotFoundError, match=r"write_backward_html: cannot write .* does not exist"):
        write_backward_html(3 * x, tmp_path / "missing" / "steps.html")
    assert not any(tmp_path.iterdir())


# --- in a notebook ----------------------------------------------------------------------------


@needs_dot
def test_the_jupyter_iframe_holds_the_whole_document_escaped() -> None:
    page = backward_page(neuron(label_x='"></iframe><script>alert(1)</script>', out="</iframe>"))
    cell = page._repr_html_()
    assert cell.count("<iframe") == 1 and cell.count("</iframe>") == 1
    # One script: the cell's own, which puts the live page in place of the static picture.
    scripts = re.findall(r"<script>[^<]*</script>", cell)
    assert cell.count("<script") == len(scripts) == 1 and "alert" not in scripts[0]
    srcdoc = re.search(
        r'<iframe srcdoc="([^"]*)" title="([^"]*)" sandbox="allow-scripts" hidden[^>]*></iframe>', cell
    )
    assert srcdoc is not None
    assert html.unescape(srcdoc[1]) == page.html
    assert html.unescape(srcdoc[2]) == page.title


@needs_dot
def test_where_scripts_do_not_run_the_cell_shows_a_static_picture() -> None:
    x, L = quadratic()
    page = backward_page(L)
    picture = page.picture
    assert picture.startswith("<svg") and picture.rstrip().endswith("</svg>")
    texts = [" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", picture)]
    for shown in ("x", "data 2", "grad 12", "x²", "data 4", "grad 3", "L", "data 14", "grad 1"):
        assert shown in texts, shown  # every value with its data and its final gradient
    assert not re.search(r"\sid=", picture)  # a notebook holds many: no ids to clash
    width = float(re.search(r'<svg width="([\d.]+)pt"', picture)[1])  # type: ignore[index]
    assert width <= 680
    cell = page._repr_html_()
    assert cell.index(picture) < cell.index("<iframe")  # the picture first; the script swaps them
    bundle = page._repr_mimebundle_()
    assert bundle["image/svg+xml"] == picture and bundle["text/html"].startswith('<div id="scratchgrad-page-')
    assert bundle["text/plain"] == repr(page)
    assert set(page._repr_mimebundle_(include=["text/html"])) == {"text/html"}
    # Each cell's script finds its own cell: two displays of one page do not share an id.
    assert re.search(r'id="([^"]+)"', cell)[1] != re.search(r'id="([^"]+)"', page._repr_html_())[1]  # type: ignore[index]

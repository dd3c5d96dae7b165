"""Graph pictures: sources, renders, the backward pass step by step, the step page and the CLI."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import graphviz
import numpy as np
import pytest

import nn
from autograd import Value, engine
from autograd.viz import (
    FORMATS,
    ROLE_COLOURS,
    STEP_COLOURS,
    DotNotFoundError,
    backward_page,
    backward_steps,
    draw_graph,
    main,
    parse_expression,
    save,
    write_backward_html,
)

ROOT = Path(__file__).resolve().parents[1]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
SVG = "{http://www.w3.org/2000/svg}"


def quadratic() -> tuple[Value, Value]:
    """L = 3x² + 2 at x = 2: the running example (L = 14, dL/dx = 12)."""
    x = Value(2.0, label="x")
    return x, 3 * x**2 + 2


def node_lines(source: str, kind: str) -> list[str]:
    """DOT statements defining value (``v``), op (``o``) or module-box (``m_``) nodes."""
    pattern = {"v": r"v\d+", "o": r"o\d+", "m": r"m_[\w.]+"}[kind]
    return [line for line in source.splitlines() if re.match(rf"\s*\"?{pattern}\"? \[", line)]


def op_labels(source: str) -> list[str]:
    """The labels of the op nodes (graphviz quotes a label only when it must)."""
    found = [re.search(r'label=(?:"([^"]*)"|([^\s\]]+))', line) for line in node_lines(source, "o")]
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in found if m]


# --- draw_graph: the DOT source ------------------------------------------------------------------


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


def test_save_writes_source_without_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    x, L = quadratic()
    path = save(draw_graph(L), tmp_path / "graph.gv")
    assert path.read_text(encoding="utf-8") == draw_graph(L).source


def test_missing_dot_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    x, L = quadratic()
    pic = draw_graph(L)
    for render in (lambda: pic.pipe(format="svg"), lambda: save(pic, tmp_path / "g.png")):
        with pytest.raises(DotNotFoundError, match="apt-get install graphviz") as info:
            render()
        assert isinstance(info.value, graphviz.ExecutableNotFound)  # graphviz's own handlers still work
    with pytest.raises(DotNotFoundError):
        write_backward_html(L, tmp_path / "steps.html")
    assert not (tmp_path / "steps.html").exists()


# --- rendering through dot ----------------------------------------------------------------------


@needs_dot
def test_svg_renders_and_parses_with_the_expected_texts() -> None:
    x, L = quadratic()
    L.backward()
    svg = draw_graph(L).pipe(format="svg")
    tree = ET.fromstring(svg)
    texts = {t.text.strip() for t in tree.iter(f"{SVG}text") if t.text}
    for expected in ("x", "data 2.0000", "grad 12.0000", "x²", "3·x² + 2", "**2", "* 3", "+ 2", "legend"):
        assert expected in texts
    assert len([g for g in tree.iter(f"{SVG}g") if g.get("class") == "node"]) == 7


@needs_dot
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF")])
def test_png_and_pdf_render(tmp_path: Path, fmt: str, magic: bytes) -> None:
    x, L = quadratic()
    L.backward()
    path = save(draw_graph(L), tmp_path / f"graph.{fmt}")
    assert path.read_bytes().startswith(magic)
    assert draw_graph(L, format=fmt).pipe().startswith(magic)
    assert fmt in FORMATS


@needs_dot
def test_jupyter_shows_the_graph_inline() -> None:
    x, L = quadratic()
    bundle = draw_graph(L)._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


# --- big graphs: clusters, collapsing, the size limit -------------------------------------------


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


# --- Tensors ---------------------------------------------------------------------------------------


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


# --- backward_steps --------------------------------------------------------------------------------


def test_backward_steps_for_the_quadratic() -> None:
    x, L = quadratic()
    steps = backward_steps(L)
    assert [s.sentence for s in steps] == [
        "dL/dL = 1: the backward pass starts at the output L; dL/dL is always 1.",
        "dL/d(3·x²) = 1: 3·x² feeds L, whose local derivative ∂L/∂(3·x²) = 1 (a sum passes the gradient "
        "on unchanged); by the chain rule dL/d(3·x²) = dL/dL · ∂L/∂(3·x²) = 1 · 1 = 1.",
        "dL/d(x²) = 3: x² feeds 3·x², whose local derivative ∂(3·x²)/∂(x²) = 3; by the chain rule "
        "dL/d(x²) = dL/d(3·x²) · ∂(3·x²)/∂(x²) = 1 · 3 = 3.",
        "dL/dx = 12: x feeds x², whose local derivative ∂(x²)/∂x = 2x = 4; by the chain rule "
        "dL/dx = dL/d(x²) · ∂(x²)/∂x = 3 · 4 = 12.",
    ]
    assert [s.grad for s in steps] == [1.0, 1.0, 3.0, 12.0]
    assert steps[-1].node is x and steps[0].node is L
    # The engine's order: reversed topological order, constants left out.
    assert [s.node for s in steps] == list(reversed(engine.toposort([L])))


def test_backward_steps_change_no_grad() -> None:
    x, L = quadratic()
    backward_steps(L)
    assert x.grad == 0.0 and L.grad == 0.0
    L.backward()
    steps = backward_steps(L)
    assert x.grad == 12.0 and L.grad == 1.0  # not accumulated a second time
    assert steps[-1].grad == 12.0


@pytest.mark.parametrize(
    "build",
    [
        lambda a, b: (a + a) * (a + a),  # reuse: d/da 4a² = 8a
        lambda a, b: (a * b + a).tanh(),
        lambda a, b: (a / b - b**3).exp() + a.sigmoid() * b.relu(),
        lambda a, b: (a**b).log() + 2**a - a.gelu(),
    ],
)
def test_backward_steps_agree_with_backward(build) -> None:  # type: ignore[no-untyped-def]
    a, b = Value(0.7, label="a"), Value(1.3, label="b")
    out = build(a, b)
    steps = backward_steps(out)
    out.backward()
    for step in steps:
        assert math.isclose(step.grad, step.node.grad, rel_tol=1e-12, abs_tol=1e-15)
        assert step.sentence.startswith("d")
        number = step.sentence.split(": ")[0].rsplit(" = ", 1)[1]
        assert math.isclose(float(number), step.grad, rel_tol=1e-3, abs_tol=1e-9)  # four digits


def test_a_reused_node_adds_what_it_receives() -> None:
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    step = backward_steps(c)[-1]
    assert step.node is a and step.grad == 4.0
    assert "a is used 2 times" in step.sentence and "= 2 + 2 = 4." in step.sentence


def test_step_pictures_mark_done_current_and_pending() -> None:
    x, L = quadratic()
    steps = backward_steps(L)
    src = steps[2].picture.source  # the step for x²
    lines = node_lines(src, "v")
    current = [ln for ln in lines if "penwidth=3" in ln]
    assert len(current) == 1 and "x²" in current[0] and STEP_COLOURS["current"] in current[0]
    assert "grad 3 " in current[0] and "data 4 " in current[0]  # as the sentences write numbers
    done = [ln for ln in lines if STEP_COLOURS["done"] in ln]
    assert len(done) == 2 and all("grad 1 " in ln for ln in done)
    pending = [ln for ln in lines if STEP_COLOURS["pending"] in ln]
    assert len(pending) == 1 and "{ x |" in pending[0] and "grad ?" in pending[0]
    assert "#e03131" in src  # the edge the gradient came through
    assert "step 3 of 4" in src


# --- the step page ---------------------------------------------------------------------------------


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


def page_model(page: str) -> dict[str, Any]:
    """The JSON the page's script reads."""
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found[1])  # type: ignore[no-any-return]


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


# --- the command line --------------------------------------------------------------------------


def test_parse_expression_builds_the_graph() -> None:
    out = parse_expression("3*x**2 + 2", {"x": 2.0})
    assert out.data == 14.0
    out = parse_expression("tanh(x*y) - -exp(1) / 2", {"x": 0.5, "y": -1.0})
    assert math.isclose(out.data, math.tanh(-0.5) + math.e / 2)


@needs_dot
def test_cli_writes_the_picture_and_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg, page = tmp_path / "graph.svg", tmp_path / "steps.html"
    assert main(["3*x**2 + 2", "--at", "x=2", "--out", str(svg), "--steps", str(page)]) == 0
    assert capsys.readouterr().out.splitlines() == ["L = 14", "dL/dx = 12"]
    texts = {t.text for t in ET.parse(svg).iter(f"{SVG}text")}
    assert "grad 12.0000" in texts
    assert "dL/dx = 12" in page.read_text(encoding="utf-8")


@needs_dot
def test_cli_with_a_bare_variable_keeps_its_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x", "--at", "x=2", "--out", str(tmp_path / "x.svg")]) == 0
    assert capsys.readouterr().out.splitlines() == ["x = 2", "dx/dx = 1"]


def test_cli_prints_the_source_without_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x*y + 1", "--at", "x=2", "y=3", "--no-backward"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph") and "grad not computed" in out and out.rstrip().endswith("L = 7")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["3*x**2 +", "--at", "x=2"], "syntax error"),
        (["3*y", "--at", "x=2"], "unknown name 'y'"),
        (["__import__('os').system('echo pwned')", "--at", "x=2"], "unknown function"),
        (["x.__class__", "--at", "x=2"], "not allowed"),
        (["[x for x in ()]", "--at", "x=2"], "not allowed"),
        (["x if x else 1", "--at", "x=2"], "not allowed"),
        (["log(x)", "--at", "x=-1"], "log: input must be positive"),
        (["x / 0", "--at", "x=1"], "div"),
        (["exp + x", "--at", "x=1"], "exp is a function"),
        (["tanh(x, x)", "--at", "x=1"], "exactly one argument"),
        (["'a'", "--at", "x=1"], "only numbers"),
        (["2 ** 3", "--at", "x=1"], "no variables"),
        (["x", "--at", "x=1", "--out", "graph.jpg"], "svg, png, pdf"),
        (["x" + "+x" * 3000, "--at", "x=1"], "nested too deeply"),
        (["(" * 300 + "x" + ")" * 300, "--at", "x=1"], "syntax error"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "pwned" not in captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_cli_bad_assignment_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["x", "--at", "x=two"])
    assert info.value.code == 2
    assert "'two' is not a number" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "autograd.viz", "3*x**2 + 2", "--at", "x=2", "--out", str(tmp_path / "g.gv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert "dL/dx = 12" in ok.stdout and "grad 12.0000" in (tmp_path / "g.gv").read_text(encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "autograd.viz", "3*y", "--at", "x=2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


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


# --- robustness: save's arguments, odd labels, pages with nothing to step through -----------------


def test_save_refuses_what_is_not_a_picture_or_a_path(tmp_path: Path) -> None:
    x, L = quadratic()
    for bad in ("str", None, L, draw_graph(L).source):
        with pytest.raises(TypeError, match=r"^save: picture must be a graphviz.Digraph"):
            save(bad, tmp_path / "x.svg")
    pic = draw_graph(L)
    with pytest.raises(TypeError, match=r"^save: path must be a str or an os.PathLike, got NoneType"):
        save(pic, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^save: path must be .* of str, got bytes"):
        save(pic, b"x.gv")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^save: path is empty"):
        save(pic, "")
    with pytest.raises(ValueError, match=r"^save: path .* contains a NUL"):
        save(pic, tmp_path / "a\0.gv")
    with pytest.raises(TypeError, match=r"^save: format must be a str or None, got int"):
        save(pic, tmp_path / "x.svg", format=3)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


def test_save_into_a_missing_folder_names_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    x, L = quadratic()
    pic = draw_graph(L)
    monkeypatch.setenv("PATH", str(tmp_path))  # the path is checked before dot would be needed
    target = tmp_path / "missing" / "graph.svg"
    with pytest.raises(FileNotFoundError, match=r"^\[Errno 2\] save: cannot write .*graph\.svg") as info:
        save(pic, target)
    assert str(target) in str(info.value) and "does not exist" in str(info.value)
    (tmp_path / "folder.gv").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        save(pic, tmp_path / "folder.gv")
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError, match="is not a folder"):
        save(pic, tmp_path / "file" / "graph.gv")


def test_save_names_the_path_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    x, L = quadratic()

    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(PermissionError, match=r"save: cannot write .*g\.gv.*: Permission denied"):
        save(draw_graph(L), tmp_path / "g.gv")


@needs_dot
def test_save_stops_dot_past_its_timeout(tmp_path: Path) -> None:
    x, L = quadratic()
    with pytest.raises(TimeoutError, match=r"^save: Graphviz's dot did not finish"):
        save(draw_graph(L), tmp_path / "g.svg", timeout=1e-6)
    assert not (tmp_path / "g.svg").exists()
    assert save(draw_graph(L), tmp_path / "g.svg", timeout=30).read_bytes().startswith(b"<?xml")


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


def test_write_backward_html_without_a_backward_pass_says_why(tmp_path: Path) -> None:
    from autograd import Tensor, no_grad

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


@needs_dot
def test_jupyter_shows_a_big_picture_at_a_notebooks_width() -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 1])
    out = model([Value(1.0), Value(2.0)])
    out.backward()
    svg = draw_graph(out, module=model)._repr_mimebundle_()["image/svg+xml"]
    width, height = (
        float(v) for v in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    )
    natural = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg).groups()
    assert width == 680 and float(natural[0]) > 2000  # scaled down, drawing kept whole
    assert height / width == pytest.approx(float(natural[1]) / float(natural[0]), rel=1e-3)
    small = draw_graph(Value(2.0, label="x") * 3)._repr_mimebundle_()["image/svg+xml"]
    assert re.search(r'<svg width="([\d.]+)pt"', small)[1] != "680"  # a small one keeps its size


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

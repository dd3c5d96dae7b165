"""`backward_page`: the forward pass and then the backward pass of a graph, one step at a time, on
one self-contained page: one picture, the current edge labelled with its local derivative, the
chain rule in words and numbers, and an input per leaf. Change an input and every value and
gradient is recomputed in the browser by JavaScript written out from the primitives' own
definitions (`autograd.viz.trace.javascript`): the page and the engine compute the same thing.

A graph too big to step through (an MLP) is drawn with its modules as boxes, each with its
output and the norm of its parameters' gradients; a click opens a box. ``mode="forward"`` steps
through forward mode instead (`autograd.viz.forward_page`): each value with its tangent.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> backward_page(3 * x**2 + 2)     # in Jupyter it shows itself; .save("steps.html") writes it
<BackwardPage: 'L = 3·x² + 2', 8 steps>
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from autograd.viz.display import ABOUT, BackwardPage, still_picture
from autograd.viz.draw import check_rankdir, grad_norm, natural, picture, visible
from autograd.viz.graph import GraphView, check_root, is_array, operands, primitive_of
from autograd.viz.plan import Plan, choose_plan, module_outputs
from autograd.viz.render import output_path, run_dot, write_file
from autograd.viz.steps import (
    Numbers,
    Walk,
    backward_template,
    d,
    edge_template,
    forward_template,
    number_text,
    render,
    template_view,
)
from autograd.viz.tangents import Mode, check_mode, check_wrt
from autograd.viz.trace import javascript

HERE = Path(__file__).resolve().parent
_WIDE = 10  # characters a number field holds (-1.235e-05), so an edited number still fits its box
_MAX_INPUTS = 12  # past this many leaves, a model's parameters get no input of their own


def backward_page(
    root: Any,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "LR",
    max_nodes: int = 150,
    timeout: float | None = None,
    mode: Mode = "reverse",
    wrt: Any = None,
) -> BackwardPage:
    """The step page of the graph below ``root`` (a Value, or a Tensor of one element).

    The steps: the inputs, each value of the forward pass, then each gradient of the backward
    pass in the order it becomes final. Buttons, a slider, the arrow keys and play move between
    them; ``#step=N`` in the address opens step N. A graph of Values is live: each leaf has an
    input, and editing it recomputes the page. Past ``max_nodes`` drawn nodes, a graph with
    modules (``module=model``, or ``names``) is drawn with each module as a box that opens on a
    click; without modules it is refused (ValueError). Needs Graphviz's ``dot``; past
    ``timeout`` seconds it is stopped (TimeoutError). Gradients are computed afresh: no
    ``.grad`` changes.

    ``mode="forward", wrt=x`` (x a named leaf of a graph of Values) steps through forward mode
    instead: each value in turn with its tangent d(value)/dx (node attribute ``data-tangent``),
    by the chain rule, from dx/dx = 1; editing an input recomputes every value and tangent.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> backward_page(3 * x**2 + 2, mode="forward", wrt=x)
    <BackwardPage: 'L = 3·x² + 2', forward mode (d/dx), 4 steps>
    """
    check_root(root, "backward_page")
    check_mode(mode, wrt, "backward_page")
    if mode == "reverse":
        _check_start(root)
    check_rankdir(rankdir, "backward_page")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 2:
        raise ValueError(f"backward_page: max_nodes must be a whole number of at least 2, got {max_nodes!r}")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < 1e6
    ):
        raise ValueError(f"backward_page: timeout must be seconds above 0, or None; got {timeout!r}")
    g = GraphView(root, names, module, root_name="L", who="backward_page")
    if mode == "forward":  # imported here: forward_page builds on _Page, below
        from autograd.viz.forward_page import forward_page

        return forward_page(g, wrt, rankdir, max_nodes, timeout)
    plan, _ = choose_plan(g, True, None, max_nodes)
    if plan.hidden:
        size = f"the graph has {Plan(g, True).count} nodes to draw, more than max_nodes={max_nodes}"
        if g.params:
            raise ValueError(f"backward_page: {size}, even with a box per module; raise max_nodes")
        raise ValueError(
            f"backward_page: {size}, and no modules to gather them in; pass module=model, or raise max_nodes"
        )
    return _Page(g, Walk(g, rankdir), plan, rankdir).build(timeout)


def write_backward_html(
    root: Any,
    path: str | Path,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "LR",
    max_nodes: int = 150,
    timeout: float | None = None,
    mode: Mode = "reverse",
    wrt: Any = None,
) -> Path:
    """``backward_page(root, ...).save(path)``; the path is checked before anything is drawn."""
    check_root(root, "write_backward_html")
    check_mode(mode, wrt, "write_backward_html")
    if mode == "reverse":
        _check_start(root, "write_backward_html")
    else:
        check_wrt(GraphView(root, names, module, who="write_backward_html"), wrt, "write_backward_html")
    path = output_path(path, "write_backward_html")
    page = backward_page(
        root,
        names=names,
        module=module,
        rankdir=rankdir,
        max_nodes=max_nodes,
        timeout=timeout,
        mode=mode,
        wrt=wrt,
    )
    return write_file(path, page.html.encode("utf-8"), "write_backward_html")


def _check_start(root: Any, who: str = "backward_page") -> None:
    """ValueError when no backward pass starts at ``root``: else the page would have no steps, or
    the engine's error would name backward()."""
    if getattr(root, "_requires_grad", True) is False:
        raise ValueError(
            f"{who}: root does not require grad (no input it was computed from has "
            "requires_grad=True, or it was computed under no_grad): there is no backward pass to step through"
        )
    if isinstance(root._data, np.ndarray) and root._data.size != 1:
        raise ValueError(
            f"{who}: root has shape {root._data.shape}; the backward pass starts from an "
            "output of one element (a loss), so reduce it first (e.g. .sum())"
        )
    try:
        root._seed(None, False)  # what backward() starts from; it says why when nothing can start
    except ValueError as err:
        reason = str(err).removeprefix("backward: ")
        raise ValueError(f"{who}: no backward pass to step through: {reason}") from None


def _num(x: Any) -> Any:
    """A number for JSON, which has no NaN or infinities: those travel as strings."""
    x = float(x)
    return x if math.isfinite(x) else ("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))


def _padded(text: str) -> str:
    """A number field as wide as any number the page may write into it (figure spaces)."""
    return text + "\u2007" * max(_WIDE - len(text), 0)


class _Page:
    """The page's parts: the JSON model the script reads, the pictures, the inputs, the HTML.
    This is reverse mode's page; forward mode's (`autograd.viz.forward_page`) changes the steps,
    the nodes, the picture and the words."""

    mode = "reverse"

    def __init__(self, g: GraphView, walk: Walk, plan: Plan, rankdir: str) -> None:
        self.walk = walk
        self.setup(g, plan, rankdir, walk.numbers)

    def setup(self, g: GraphView, plan: Plan, rankdir: str, numbers: Numbers) -> None:
        self.g, self.plan, self.rankdir, self.numbers = g, plan, rankdir, numbers
        self.scalar = not any(is_array(n) for n in g.order)
        self.collapsed = bool(plan.boxes)
        prims = list(dict.fromkeys(primitive_of(n) for n in g.order if n._prev))
        used = [p for p in prims if p is not None]
        self.scripts, missing = javascript(used)
        self.live = self.scalar and len(used) == len(prims) and not any(p.name in missing for p in used)

    # --- the model -------------------------------------------------------------------------------

    def leaves(self) -> list[Any]:
        """The named inputs, sorted as people sort names (b, w1, w2, x1, x2, x10). An unnamed one
        is a constant: the picture and the sentences call it by its number."""
        named = (n for n in self.g.order if not n._prev and self.g.own_name(n))
        return sorted(named, key=lambda n: natural(self.g.name(n)))

    def steps(self) -> list[dict[str, Any]]:
        g, walk, t = self.g, self.walk, template_view(self.g)  # t: names as templates take them
        leaves = self.leaves()
        listed = ", ".join(f"{t.name(n)} = {{d:{g.index[n]}}}" for n in leaves[:12])
        more = f" and {len(leaves) - 12} more" if len(leaves) > 12 else ""
        root = t.name(g.root)
        start = f"The inputs: {listed}{more}. " if leaves else "The graph starts from numbers. "
        steps = [
            {
                "kind": "inputs",
                "node": -1,
                "template": f"{start}The forward pass computes {root} one value at a time; then the "
                f"backward pass finds d{root}/d of every value, from {root} back to the inputs.",
            }
        ]
        if self.collapsed:
            steps[0]["template"] = (
                f"{len(g.order)} values: too many to step through one at a time. Each box is a module: "
                "its parameters and ops, its output, and ‖grad‖, the norm of its parameters' gradients "
                f"(d{root}/d of each). Click a box to open it"
                + (", and change an input to recompute everything." if self.live else ".")
            )
            return self.rendered(steps)
        for node in g.order:
            if node._prev:
                c = g.index[node]
                edges = [[g.index[p], c] for p in dict.fromkeys(node._prev)]
                steps.append(
                    {"kind": "forward", "node": c, "template": forward_template(g, node), "edges": edges}
                )
        for node in walk.order:
            p = g.index[node]
            sent = walk.sent[node]
            steps.append(
                {
                    "kind": "backward",
                    "node": p,
                    "template": backward_template(g, node, sent),
                    "head": f"{d(root)}/{d(t.name(node))} = {{g:{p}}}",
                    "edges": [[p, g.index[c]] for c, _ in sent],
                    "labels": [
                        {"edge": [p, g.index[c]], "template": edge_template(g, c, j)}
                        for c, j in sent
                        if not is_array(c)
                    ],
                }
            )
        return self.rendered(steps)

    def rendered(self, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each template filled in Python too: what a page that cannot recompute shows."""
        numbers = self.numbers
        for s in steps:  # names may hold control characters: shown escaped, as in the picture
            s["template"] = visible(s["template"])
            s["text"] = render(s["template"], numbers)
            if "head" in s:
                s["head"] = visible(s["head"])
                s["head_text"] = render(s["head"], numbers)
            for label in s.get("labels", ()):
                label["template"] = visible(label["template"])
                label["text"] = render(label["template"], numbers)
        return steps

    def nodes(self, steps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        walk, out = self.walk, self.node_entries(steps)
        final = {s["node"]: k for k, s in enumerate(steps) if s["kind"] == "backward"}
        for i, (n, entry) in enumerate(zip(self.g.order, out)):
            entry.update(reached=n in walk.reached, final=final.get(i))
            if self.scalar:
                entry.update(data=_num(n._data), grad=_num(walk.total.get(n, 0.0)))
        return out

    def node_entries(self, steps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """What the script knows of each value in either mode: its name, its op and operands (to
        recompute it), and the step it is known from."""
        g = self.g
        known = {s["node"]: k for k, s in enumerate(steps) if s["kind"] == "forward"}
        out = []
        for i, n in enumerate(g.order):
            prim = primitive_of(n)
            args = [{"n": g.index[x]} if hasattr(x, "_prev") else {"k": _num(x)} for x in operands(n)]
            entry: dict[str, Any] = {
                "name": visible(g.name(n)),
                "leaf": not n._prev,
                "op": prim.name if prim is not None else None,
                "args": args if n._prev else [],
                "known": known.get(i, 0),
            }
            out.append(entry)
        return out

    def boxes(self) -> list[dict[str, Any]]:
        """Each collapsed module: its nodes, its parameters and its output, by index."""
        g, out = self.g, []
        for members in self.plan.boxes.values():
            outs = module_outputs(g, members)
            out.append(
                {
                    "params": [g.index[n] for n in members if n in g.params],
                    "out": g.index[outs[0]] if len(outs) == 1 and not is_array(outs[0]) else None,
                }
            )
        return out

    # --- the pictures ----------------------------------------------------------------------------

    def pictures(self) -> list[Any]:
        """The main picture, then (collapsed) one picture of each module's inside."""
        g, walk = self.g, self.walk

        def grad_text(node: Any) -> str:
            if node not in walk.reached:
                return "grad none"
            return "grad " + (
                _padded(number_text(walk.total[node])) if self.scalar else number_text(walk.total[node])
            )

        def norm_text(params: Sequence[Any]) -> str | None:
            grads = [walk.total[p] for p in params if p in walk.total]
            return "‖grad‖ " + _padded(number_text(grad_norm(grads))) if grads else None

        def data_text(x: Any) -> str:
            return _padded(number_text(x))

        draw = partial(
            picture,
            g,
            rankdir=self.rankdir,
            grad_text=grad_text,
            data_text=data_text,
            stacked=True,
            numbered=True,
            legend=False,
        )
        pics = [draw(self.plan, cluster=True, norm_text=norm_text)]
        for members in self.plan.boxes.values():  # a module's inside: its nodes, and what feeds them
            inside = set(members)
            cut = {p for n in members for p in n._prev if p not in inside}
            hidden = {n for n in g.order if n not in inside and n not in cut}
            pics.append(draw(Plan(g, True, hidden=hidden, cut=cut), cluster=False))
        return pics

    # --- the document ----------------------------------------------------------------------------

    def inputs(self) -> str:
        if not self.live:
            return ""
        fields = []
        leaves = self.leaves()
        many = len(leaves) > _MAX_INPUTS  # then a model's parameters are not offered, only its data
        for n in leaves:
            if many and n in self.g.params:
                continue
            i, name = self.g.index[n], visible(self.g.name(n))
            fields.append(
                f'<label><span>{html.escape(name)}</span><input type="text" inputmode="decimal" '
                f'spellcheck="false" data-leaf="{html.escape(name, quote=True)}" data-index="{i}" '
                f'data-initial="{float(n._data)!r}" value="{float(n._data)!r}"></label>'
            )
        return (
            '<section class="inputs"><h2>Inputs <button id="reset" type="button">reset</button></h2>'
            f'<div class="fields">{"".join(fields)}</div><p id="error" class="error" hidden></p></section>'
        )

    def texts(self) -> dict[str, str]:
        """The words that tell the two modes apart."""
        return {
            "what": "forward and backward, step by step",
            "heading": "",
            "box": f"its gradient {d(self.g.name(self.g.root))}/d(value)",
            "sofar": "Gradients so far",
            "about": ABOUT,
            "mode": "",
        }

    def build(self, timeout: float | None) -> BackwardPage:
        g, texts = self.g, {k: visible(v) for k, v in self.texts().items()}  # names shown escaped
        steps = self.steps()
        model = {
            "nodes": self.nodes(steps),
            "steps": steps,
            "root": g.index[g.root],
            "live": self.live,
            "scalar": self.scalar,
            "boxes": self.boxes(),
            "mode": self.mode,
        }
        pics = self.pictures()
        source = "\n".join(p.source for p in pics)
        out = run_dot(source, "svg", timeout=timeout, who="backward_page").decode("utf-8")
        svgs = [
            re.sub(r"<!--[\s\S]*?-->|<title>[^<]*</title>", "", s)
            for s in re.findall(r"<svg[\s\S]*?</svg>", out)
        ]
        main, details = svgs[0], svgs[1:]
        detail_html = "".join(
            f'<div class="detail" data-box="{k}" hidden><h2>{html.escape(visible(prefix))} '
            '<button class="close" type="button">close</button></h2>'
            f'<div class="detail-picture">{svg}</div></div>'
            for k, (prefix, svg) in enumerate(zip(self.plan.boxes, details))
        )
        root = g.name(g.root)
        formula = g.formula(g.root)
        title = visible(f"{root} = {formula}" if formula and formula != root else root)
        data = json.dumps(model, ensure_ascii=False).replace("<", "\\u003c")
        # One <script> each, so that one primitive's broken js= cannot stop the rest (the page then
        # finds its numbers disagree with Python's and turns editing off); "</" cannot end one early.
        sources = [(HERE / "prelude.js").read_text(), *self.scripts.values(), (HERE / "page.js").read_text()]
        script = "\n".join("<script>\n" + src.replace("</", "<\\/") + "\n</script>" for src in sources)
        document = _TEMPLATE.format(
            title=html.escape(f"{title}: {texts['what']}"),
            heading=html.escape(title + texts["heading"]),
            style=(HERE / "page.css").read_text(),
            steps=len(steps),
            controls_hidden=" hidden" if self.collapsed else "",
            picture=main,
            details=detail_html,
            inputs=self.inputs(),
            sentence=html.escape(steps[0]["text"]),
            data=data,
            script=script,
            box=html.escape(texts["box"]),
            sofar=html.escape(texts["sofar"]),
            mode="collapsed" if self.collapsed else "steps",
        )
        return BackwardPage(document, title, len(steps), still_picture(main), texts["about"], texts["mode"])


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body class="{mode}">
<header><h1>{heading}</h1>
<div class="controls"{controls_hidden}>
<button id="prev" type="button" title="previous step (←)">&#9664;</button>
<button id="play" type="button" title="play or pause (space)">&#9654; Play</button>
<button id="next" type="button" title="next step (→)">&#9654;</button>
<input id="slider" type="range" min="1" max="{steps}" value="1" aria-label="step">
<span id="counter">Step 1 of {steps}</span>
<span id="phase" class="phase"></span>
</div>
<div class="zoom"><button id="zoom-out" type="button" title="smaller">&minus;</button>\
<button id="zoom-fit" type="button" title="fit">fit</button>\
<button id="zoom-in" type="button" title="larger">+</button></div>
</header>
<main>
<div id="picture" class="picture">{picture}<div id="labels" class="labels"></div></div>
{details}
<div class="panel">
<div class="explain"><p id="sentence" class="sentence" data-step="1">{sentence}</p>
<h2 id="sofar-title" hidden>{sofar}</h2><ol id="sofar" class="sofar"></ol></div>
{inputs}
</div>
<p class="hint">Keys: ← → step, Home and End, space plays. Drag the picture to pan; ctrl + wheel zooms.
Each box shows a value's data and {box}.</p>
</main>
<script type="application/json" id="graph-data">{data}</script>
{script}
</body>
</html>
"""

"""Drawing a graph: every value a record ``{ label | data | grad }``, every op a small node of its
own, colours by role with a legend on the picture, modules as clusters or collapsed boxes, and a
plan of what fits on one picture (``collapse``, ``max_nodes``)."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from autograd.viz.graph import (
    GraphView,
    boxed_numbers,
    check_root,
    fmt_fixed,
    fmt_number,
    is_array,
    op_label,
    relative,
    shape_name,
    summary,
)
from autograd.viz.plan import Plan, choose_plan, module_outputs
from autograd.viz.render import (
    FORMATS,
    MAX_LABEL,
    GraphPicture,
    plain,
    record_field,
    shorten,
    tooltip,
    visible,
)

# Light fills, told apart by hue, so black text stays readable on every one of them.
ROLE_COLOURS = {
    "input": "#cfe2ff",
    "parameter": "#ffd8a8",
    "constant": "#eeeeee",
    "intermediate": "#ffffff",
    "output": "#c3ecc3",
    "module": "#e5dbff",
}
STEP_COLOURS = {"done": "#c3ecc3", "current": "#ffd43b", "pending": "#f4f4f4"}
OP_FILL = "#f8f9fa"
FONT = "Helvetica"
CURRENT = "#e03131"  # the red border of the current step's node, its legend cell and its edges

_Attrs = dict[str, str]


def check_rankdir(rankdir: str, who: str) -> None:
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"{who}: rankdir must be one of LR, RL, TB, BT, got {rankdir!r}")


# --- the drawing ---------------------------------------------------------------------------------


def record(fields: Sequence[str], horizontal: bool, rankdir: str) -> str:
    # Records lay their fields out across the rank direction; braces turn them the other way.
    flip = horizontal == (rankdir in ("LR", "RL"))
    body = " | ".join(record_field(f) for f in fields)
    return "{ " + body + " }" if flip else body


def _legend(roles: Sequence[str], colours: Mapping[str, str], note: str) -> str:
    edge = {"current": f' color="{CURRENT}"'}  # the current step's cell has its node's red border
    cells = "".join(
        f'<td bgcolor="{colours[r]}" border="1"{edge.get(r, "")}>{html.escape(r)}</td>' for r in roles
    )
    if note:
        cells += f"<td>  {html.escape(visible(note))}</td>"
    return f'<<table border="0" cellspacing="3" cellpadding="3"><tr><td>legend</td>{cells}</tr></table>>'


def natural(text: str) -> list[Any]:
    """Sort key putting layers.2 before layers.10."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", text)]


class _Drawing:
    """The statements of one picture, gathered per module so that clusters can nest, then written.

    ``state`` (node -> done/current/pending) colours a backward step instead of the roles;
    ``incoming`` are the nodes whose gradient reached the current one (their edges turn red).
    """

    def __init__(
        self,
        g: GraphView,
        plan: Plan,
        *,
        rankdir: str,
        cluster: bool,
        grad_text: Callable[[Any], str | None],
        data_text: Callable[[Any], str],
        norm_text: Callable[[Sequence[Any]], str | None],
        stacked: bool,
        numbered: bool,
        state: Mapping[Any, str] | None,
        incoming: set[Any],
    ) -> None:
        self.g, self.plan, self.rankdir = g, plan, rankdir
        self.clustered = cluster and bool(g.params)
        self.grad_text = grad_text
        self.data_text = data_text
        self.norm_text = norm_text
        self.stacked = stacked
        self.numbered = numbered or state is not None
        self.state = state
        self.incoming = incoming
        self.groups: dict[str, list[tuple[str, _Attrs]]] = {"": []}  # module -> its nodes' statements
        self.edges: dict[tuple[str, str], _Attrs] = {}
        self.box_fields: dict[str, tuple[str, list[str]]] = {}  # box node -> (module, fields after the title)
        self.long_clusters: dict[str, int] = {}  # module -> its number, for names too long to write
        # A box's node id is its module's name, unless that name holds what an id should not (a NUL)
        # or is longer than dot reads.
        self.box_ids = {
            prefix: "m_" + prefix if re.fullmatch(rf"[\w.]{{1,{MAX_LABEL}}}", prefix, re.ASCII) else f"m_#{k}"
            for k, prefix in enumerate(plan.boxes)
        }
        for node in g.order:
            if plan.drawn(node):
                self.add_value(node)
        for prefix, members in sorted(plan.boxes.items(), key=lambda item: natural(item[0])):
            self.add_box(prefix, members)
        if plan.noted:
            self.add_hidden_note()

    def put(self, module: str, name: str, attrs: _Attrs) -> None:
        self.groups.setdefault(module if self.clustered else "", []).append((name, attrs))

    def node_id(self, node: Any) -> str:
        if node in self.plan.hidden:
            return "hidden"
        if node in self.plan.box:
            return self.box_ids[self.plan.box[node]]
        return f"v{self.g.index[node]}"

    def step_state(self, node: Any) -> str | None:
        """done, current or pending in a backward step's picture; None in a plain picture."""
        return None if self.state is None else self.state.get(node, "pending")

    def add_value(self, node: Any) -> None:
        """A value's record, and for a computed value its op node and the edges into it."""
        i, mod = self.g.index[node], self.g.module[node]
        # The ids name the SVG's elements (v3, o3, e1_3: the edge from value 1 into op 3), so the
        # step page can find them.
        attrs = {"id": f"v{i}", "label": self.value_label(node), "shape": "record", "style": "filled"}
        attrs.update(self.value_colours(node))
        attrs.update(tooltip(self.g.name(node)))
        self.put(mod, f"v{i}", attrs)
        if not node._prev or node in self.plan.cut:
            return
        op_text = op_label(node, self.plan.fold)
        op_attrs = {
            "id": f"o{i}",
            "label": plain(shorten(op_text)),
            **tooltip(op_text),
            "shape": "ellipse",
            "fontsize": "10",
            "style": "filled",
            "fillcolor": OP_FILL,
            "width": "0",
            "height": "0",
            "margin": "0.05,0.02",
        }
        if self.step_state(node) == "pending":
            op_attrs.update(color="#aaaaaa", fontcolor="#888888")
        self.put(mod, f"o{i}", op_attrs)
        self.edges[(f"o{i}", f"v{i}")] = {"id": f"r{i}"}
        if not self.plan.fold:  # plain numbers as small boxes of their own
            for j, k in boxed_numbers(node):
                self.put(mod, f"k{i}_{j}", _constant_attrs(k))
                self.edges[(f"k{i}_{j}", f"o{i}")] = {}
        for parent in node._prev:
            edge = {"id": f"e{self.g.index[parent]}_{i}"} if self.plan.drawn(parent) else {}
            if node in self.incoming and self.step_state(parent) == "current":
                edge.update(color=CURRENT, penwidth="2.5")  # the way the gradient came
            if parent not in self.plan.hidden or not self.plan.cut:
                self.edges[(self.node_id(parent), f"o{i}")] = edge

    def value_label(self, node: Any) -> str:
        g, mod = self.g, self.g.module[node]
        name = g.name(node)
        if self.clustered and node in g.params and mod:  # the cluster's title says the rest
            name = relative(g.params[node], mod)
        elif name.startswith("#") and not self.numbered:
            name = ""  # #k only where sentences call a value so: step pictures and the step page
        array = is_array(node)
        fields = [shorten(name)] if name else []
        if array:  # an unnamed Tensor's name (matmul (32, 10)) says its shape already
            shape = "" if name == shape_name(node) else f"{tuple(node._data.shape)} "
            fields.append(f"{shape}{node._data.dtype}")
            fields.append("data " + summary(node._data, "\n"))
        else:
            fields.append("data " + self.data_text(node._data))
        gt = self.grad_text(node)
        if gt is not None:
            fields.append(gt)
        return record(fields, not array and not self.stacked, self.rankdir)

    def value_colours(self, node: Any) -> _Attrs:
        s = self.step_state(node)
        if s is None:
            attrs = {"fillcolor": ROLE_COLOURS[self.g.role[node]]}
            if node is self.g.root:
                attrs["penwidth"] = "2"
            return attrs
        attrs = {"fillcolor": STEP_COLOURS[s]}
        if s == "current":
            attrs.update(penwidth="3", color=CURRENT)
        elif s == "pending":
            attrs.update(color="#aaaaaa", fontcolor="#777777")
        return attrs

    def add_box(self, prefix: str, members: list[Any]) -> None:
        """A collapsed module as one box: its size, its output, and the edges that enter it."""
        g = self.g
        inside = set(members)
        outs = module_outputs(g, members)
        n_params = sum(1 for n in members if n in g.params)
        n_ops = sum(1 for n in members if n._prev)
        fields = [f"{n_params} parameters, {n_ops} ops"]
        if len(outs) == 1 and not is_array(outs[0]):
            gt = self.grad_text(outs[0])
            fields.append(f"out {self.data_text(outs[0]._data)}" + (f"  {gt}" if gt else ""))
        elif len(outs) == 1:
            fields.append(f"out {tuple(outs[0]._data.shape)} {outs[0]._data.dtype}")
        elif len(outs) > 1:
            fields.append(f"{len(outs)} outputs")
        norm = self.norm_text([n for n in members if n in g.params])
        if norm is not None:
            fields.append(norm)
        name = self.box_ids[prefix]
        self.box_fields[name] = (prefix, fields)  # the title depends on the cluster it is drawn in
        parent_mod = prefix.rsplit(".", 1)[0] if "." in prefix else ""
        self.put(
            parent_mod,
            name,
            {
                "id": f"b{list(self.plan.boxes).index(prefix)}",
                "shape": "record",
                "style": "filled,rounded",
                "fillcolor": ROLE_COLOURS["module"],
            },
        )
        for node in members:
            for parent in node._prev:
                if parent in inside:
                    continue
                # Between layers every box feeds every box: thin light lines keep that legible.
                self.edges[(self.node_id(parent), name)] = {"color": "#868e96", "penwidth": "0.6"}

    def add_hidden_note(self) -> None:
        attrs = {
            "label": f"{len(self.plan.hidden)} earlier nodes not drawn",
            "shape": "note",
            "style": "filled",
            "fillcolor": "#f1f3f5",
            "fontcolor": "#555555",
        }
        self.put("", "hidden", attrs)

    def write(self, pic: GraphPicture) -> None:
        """Nodes in nested clusters by module path, then the edges."""
        children: dict[str, set[str]] = {}
        for mod in self.groups:
            parts = mod.split(".") if mod else []
            for d in range(len(parts)):
                parent, child = ".".join(parts[:d]), ".".join(parts[: d + 1])
                if child != parent:  # a name starting with "." has an empty first part
                    children.setdefault(parent, set()).add(child)
        self.write_cluster(pic, "", "", children)
        if self.plan.boxes:  # room for the fan of edges between collapsed layers
            # Every box of a layer feeds every box of the next, so reordering them crosses no fewer
            # edges: keeping dot's first order (as written: neurons 0, 1, 2, ...) reads better.
            pic.attr("graph", ranksep="0.9", mclimit="0.01")
        for (a, b), attrs in self.edges.items():
            pic.edge(a, b, **attrs)

    def write_cluster(self, target: Any, mod: str, title: str, children: Mapping[str, set[str]]) -> None:
        """The nodes of ``mod``, then a cluster for each sub-module. A level with no nodes of its own
        and a single sub-module would only draw a box around a box, so it is skipped."""
        for name, attrs in self.groups.get(mod, []):
            if name in self.box_fields:  # inside layers.0's box, neurons.3 says enough
                prefix, fields = self.box_fields[name]
                heading = self.g.title(prefix, title)
                attrs = {
                    **attrs,
                    "label": record([shorten(heading), *fields], False, self.rankdir),
                    **tooltip(heading),
                }
            target.node(name, **attrs)
        for child in sorted(children.get(mod, ()), key=natural):
            inner = child  # layers.0 holding only layers.0.neurons: one box, the shorter name
            while not self.groups.get(inner) and len(children.get(inner, ())) == 1:
                inner = next(iter(children[inner]))
            heading = self.g.title(child, title)
            with target.subgraph(name=self.cluster_name(child)) as sub:
                sub.attr(
                    label=plain(shorten(heading)),
                    **tooltip(heading),
                    style="rounded",
                    color="#adb5bd",
                    fontsize="10",
                    fontcolor="#495057",
                    labeljust="l",
                )
                self.write_cluster(sub, inner, child, children)

    def cluster_name(self, module: str) -> str:
        """``cluster_layers_0`` for ``layers.0``; a name too long for dot is cut and numbered (unique)."""
        name = "cluster_" + re.sub(r"\W", "_", module)
        k = self.long_clusters.setdefault(module, len(self.long_clusters)) if len(name) > MAX_LABEL else None
        return name if k is None else f"{name[: MAX_LABEL // 2]}_#{k}"

    def legend(self, note: str) -> str:
        """The legend: the roles drawn (or a step's done/current/pending), and ``note``."""
        if self.state is not None:
            return _legend(list(STEP_COLOURS), STEP_COLOURS, note)
        g, plan = self.g, self.plan
        shown = {g.role[n] for n in g.order if n not in plan.box and n not in plan.hidden}
        if not plan.fold and any(boxed_numbers(n) for n in g.order if plan.drawn(n)):
            shown.add("constant")
        roles = [r for r in ROLE_COLOURS if r in shown]
        if plan.boxes:
            roles.append("module")
        return _legend(roles, ROLE_COLOURS, note)


def _constant_attrs(k: float) -> _Attrs:
    return {
        "label": fmt_number(k),
        "shape": "box",
        "style": "rounded,filled",
        "fontsize": "9",
        "fillcolor": ROLE_COLOURS["constant"],
        "height": "0.2",
        "margin": "0.03,0.01",
    }


def picture(
    g: GraphView,
    plan: Plan,
    *,
    rankdir: str,
    cluster: bool,
    grad_text: Callable[[Any], str | None],
    data_text: Callable[[Any], str] = fmt_fixed,
    norm_text: Callable[[Sequence[Any]], str | None] = lambda params: None,
    stacked: bool = False,
    numbered: bool = False,
    state: Mapping[Any, str] | None = None,
    incoming: set[Any] | None = None,
    legend: bool = True,
    note: str = "",
    fmt: str = "svg",
) -> GraphPicture:
    """The picture of ``g`` as ``plan`` says. ``state`` (node -> done/current/pending) colours a
    backward step; ``grad_text`` writes a node's grad field (None leaves it out), ``data_text`` a
    scalar's number, ``norm_text`` a collapsed module's parameter gradients (None: no field);
    ``stacked`` stacks a scalar's fields (name over data over grad) across the rank direction;
    ``numbered`` writes an unnamed value's ``#k``, as sentences call it (always in a step)."""
    drawing = _Drawing(
        g,
        plan,
        rankdir=rankdir,
        cluster=cluster,
        grad_text=grad_text,
        data_text=data_text,
        norm_text=norm_text,
        stacked=stacked,
        numbered=numbered,
        state=state,
        incoming=incoming or set(),
    )
    pic = GraphPicture(
        "autograd",
        format=fmt,
        graph_attr={"rankdir": rankdir, "fontname": FONT, "nodesep": "0.2", "ranksep": "0.3"},
        node_attr={"fontname": FONT, "fontsize": "11", "height": "0.3"},
        edge_attr={"arrowsize": "0.6", "color": "#555555"},
    )
    drawing.write(pic)
    if legend:
        pic.attr("graph", label=drawing.legend(note), labelloc="b", labeljust="l", fontsize="10")
    return pic


def draw_graph(
    root: Any,
    *,
    rankdir: str = "LR",
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    show_grad: bool | None = None,
    fold_constants: bool = True,
    cluster: bool = True,
    collapse: bool | int | None = None,
    max_nodes: int | None = 150,
    legend: bool = True,
    format: str = "svg",
) -> GraphPicture:
    """The computation graph below ``root`` (a Value or a Tensor) as a `graphviz.Digraph`.

    A node is named by its label (``x.label = "x"``) or parameter name, else by its formula when
    short (``3·x²``), else a Tensor by its op and shape (``matmul (32, 10)``). In a notebook the
    picture shows itself, as SVG and PNG.

    - ``names``: parameter names, e.g. ``dict(model.named_parameters())``; or pass the model as
      ``module``. Named parameters are coloured as parameters, and with ``cluster`` (the default)
      nodes are grouped in boxes by module (``layers.0.neurons.3``).
    - ``collapse``: True draws each innermost module as one box, an int ``d`` the modules named by
      the first ``d`` parts of their names (``collapse=2``: ``layers.0``), False never collapses.
      ``None`` (default) collapses only when more than ``max_nodes`` nodes would be drawn: by
      module if there are modules, else by hiding the nodes furthest from the output.
    - ``show_grad``: None (default) shows gradients once backward has run and "not computed"
      before. A Tensor's grad is None until then; a Value's is 0.0 both before backward and where
      the derivative is really 0, so a Value graph counts as computed when any node in it has a
      nonzero grad (after ``L.backward()``, L's own grad is 1). True always shows the numbers,
      False leaves the grad field out.
    - ``fold_constants``: write plain numbers into their op (``* 3``) instead of drawing them.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> pic = draw_graph(x * x + 1, show_grad=False)
    >>> print(pic.source.count("shape=record"), pic.source.count("shape=ellipse"))
    3 2
    """
    check_root(root, "draw_graph")
    check_rankdir(rankdir, "draw_graph")
    if format not in FORMATS:
        raise ValueError(f"draw_graph: unknown format {format!r}; formats: {', '.join(FORMATS)}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int)):
        raise TypeError(f"draw_graph: max_nodes must be an int or None, got {type(max_nodes).__name__}")
    if max_nodes is not None and max_nodes < 2:
        raise ValueError(f"draw_graph: max_nodes must be at least 2, got {max_nodes}")
    g = GraphView(root, names, module)
    plan, note = choose_plan(g, fold_constants, collapse, max_nodes)
    return picture(
        g,
        plan,
        rankdir=rankdir,
        cluster=cluster,
        grad_text=_grad_texter(g, show_grad),
        norm_text=_norm_texter(g, show_grad),
        legend=legend,
        note=note,
        fmt=format,
    )


def _grad_texter(g: GraphView, show_grad: bool | None) -> Callable[[Any], str | None]:
    if show_grad is False:
        return lambda node: None
    # A Value graph has been through backward when any of its nodes has a nonzero grad.
    computed = show_grad is True or any(n._grad != 0 for n in g.order if not is_array(n))

    def text(node: Any) -> str:
        if is_array(node):
            grad = getattr(node, "_grad", None)
            if grad is not None:
                return "grad " + summary(grad, "\n")
            if getattr(node, "_requires_grad", True) is False:
                return "no grad (requires_grad=False)"
            return "grad not computed"
        return "grad " + fmt_fixed(node._grad) if computed else "grad not computed"

    return text


def _norm_texter(g: GraphView, show_grad: bool | None) -> Callable[[Sequence[Any]], str | None]:
    """A collapsed module's field ``‖grad‖ 0.4132``: the norm of its parameters' gradients."""
    shown = _grad_texter(g, show_grad)

    def text(params: Sequence[Any]) -> str | None:
        if not params or any(getattr(p, "_grad", None) is None for p in params):
            return None
        if show_grad is False or "not computed" in (shown(params[0]) or "not computed"):
            return None
        return "‖grad‖ " + fmt_fixed(grad_norm(p._grad for p in params))

    return text


def grad_norm(grads: Iterable[Any]) -> float:
    """The Euclidean norm of gradients taken together (floats and arrays alike)."""
    return math.sqrt(sum(float(np.sum(np.square(np.asarray(gr, dtype=np.float64)))) for gr in grads))

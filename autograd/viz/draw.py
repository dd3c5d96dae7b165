"""Drawing a graph: every value a record ``{ label | data | grad }``, every op a small node of its
own, colours by role with a legend on the picture, modules as clusters or collapsed boxes."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from autograd.viz.formulas import _fmt, _num, _op_label, _summary
from autograd.viz.graph import _Graph, _relative
from autograd.viz.nodes import _check_root, _is_array, _is_const
from autograd.viz.plan import _choose_plan, _Plan
from autograd.viz.render import FORMATS, GraphPicture

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
_CURRENT = "#e03131"  # the red border of the current step's node, its legend cell and its edges

_Attrs = dict[str, str]


def _check_rankdir(rankdir: str, who: str) -> None:
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"{who}: rankdir must be one of LR, RL, TB, BT, got {rankdir!r}")


_RECORD_SPECIAL = re.compile(r'([{}|<>"\\])')


def _field(text: str) -> str:
    """Text safe inside one field of a record label."""
    return _RECORD_SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")  # a line break inside the field


def _record(fields: Sequence[str], horizontal: bool, rankdir: str) -> str:
    # Records lay their fields out across the rank direction; braces turn them the other way.
    flip = horizontal == (rankdir in ("LR", "RL"))
    body = " | ".join(_field(f) for f in fields)
    return "{ " + body + " }" if flip else body


def _legend(roles: Sequence[str], colours: Mapping[str, str], note: str) -> str:
    # The current step's cell gets the red border its node has.
    edge = {"current": f' color="{_CURRENT}"'}
    cells = "".join(
        f'<td bgcolor="{colours[r]}" border="1"{edge.get(r, "")}>{html.escape(r)}</td>' for r in roles
    )
    if note:
        cells += f"<td>  {html.escape(note)}</td>"
    return f'<<table border="0" cellspacing="3" cellpadding="3"><tr><td>legend</td>{cells}</tr></table>>'


def _natural(text: str) -> list[Any]:
    """Sort key putting layers.2 before layers.10."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", text)]


class _Drawing:
    """The statements of one picture, gathered per module so that clusters can nest, then written.

    ``state`` (node -> done/current/pending) colours a backward step instead of the roles;
    ``incoming`` are the nodes whose gradient reached the current one (their edges turn red).
    """

    def __init__(
        self,
        g: _Graph,
        plan: _Plan,
        *,
        rankdir: str,
        cluster: bool,
        grad_text: Callable[[Any], str | None],
        state: Mapping[Any, str] | None,
        incoming: set[Any],
    ) -> None:
        self.g, self.plan, self.rankdir = g, plan, rankdir
        self.clustered = cluster and bool(g.params)
        self.grad_text = grad_text
        self.state = state
        self.incoming = incoming
        self.groups: dict[str, list[tuple[str, _Attrs]]] = {"": []}  # module -> its nodes' statements
        self.edges: dict[tuple[str, str], _Attrs] = {}
        self.box_fields: dict[str, tuple[str, list[str]]] = {}  # box node -> (module, fields after the title)
        for node in g.order:
            if plan.drawn(node) and _is_const(node):
                self.add_constant(node)
            elif plan.drawn(node):
                self.add_value(node)
        for prefix, members in sorted(plan.boxes.items(), key=lambda item: _natural(item[0])):
            self.add_box(prefix, members)
        if plan.hidden:
            self.add_hidden_note()

    # -- gathering ---------------------------------------------------------------------------------

    def put(self, module: str, name: str, attrs: _Attrs) -> None:
        self.groups.setdefault(module if self.clustered else "", []).append((name, attrs))

    def node_id(self, node: Any) -> str:
        if node in self.plan.hidden:
            return "hidden"
        if node in self.plan.box:
            return "m_" + self.plan.box[node]
        return f"v{self.g.index[node]}"

    def step_state(self, node: Any) -> str | None:
        """done, current or pending in a backward step's picture; None in a plain picture."""
        return None if self.state is None else self.state.get(node, "pending")

    def add_constant(self, node: Any) -> None:
        label = (
            _num(float(np.asarray(node.data).ravel()[0])) if np.size(node.data) == 1 else _summary(node.data)
        )
        attrs = {
            "label": label,
            "shape": "box",
            "style": "rounded,filled",
            "fontsize": "9",
            "fillcolor": ROLE_COLOURS["constant"],
            "height": "0.2",
            "margin": "0.03,0.01",
        }
        self.put(self.g.module[node], f"v{self.g.index[node]}", attrs)

    def add_value(self, node: Any) -> None:
        """A value's record, and for a computed value its op node and the edges into it."""
        i, mod = self.g.index[node], self.g.module[node]
        attrs = {"label": self.value_label(node), "shape": "record", "style": "filled"}
        attrs.update(self.value_colours(node))
        self.put(mod, f"v{i}", attrs)
        if not node._prev:
            return
        op_attrs = {
            "label": _op_label(node, self.plan.fold),
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
        self.edges[(f"o{i}", f"v{i}")] = {}
        for parent in node._prev:
            if self.plan.folded(parent):
                continue
            edge = {}
            if node in self.incoming and self.step_state(parent) == "current":
                edge = {"color": _CURRENT, "penwidth": "2.5"}  # the way the gradient came
            self.edges[(self.node_id(parent), f"o{i}")] = edge

    def value_label(self, node: Any) -> str:
        g, mod = self.g, self.g.module[node]
        name = g.name(node)
        if self.clustered and node in g.params and mod:  # the cluster's title says the rest
            name = _relative(g.params[node], mod)
        elif name.startswith("#") and self.state is None:  # step pictures keep #k: sentences use it
            name = ""
        array = _is_array(node)
        fields = [name] if name else []
        if array:
            fields.append(f"{tuple(node.data.shape)} {node.data.dtype}")
            fields.append("data " + _summary(node.data, "\n"))
        else:
            fields.append("data " + _fmt(node.data))
        gt = self.grad_text(node)
        if gt is not None:
            fields.append(gt)
        return _record(fields, not array, self.rankdir)

    def value_colours(self, node: Any) -> _Attrs:
        s = self.step_state(node)
        if s is None:
            attrs = {"fillcolor": ROLE_COLOURS[self.g.role[node]]}
            if node is self.g.root:
                attrs["penwidth"] = "2"
            return attrs
        attrs = {"fillcolor": STEP_COLOURS[s]}
        if s == "current":
            attrs.update(penwidth="3", color=_CURRENT)
        elif s == "pending":
            attrs.update(color="#aaaaaa", fontcolor="#777777")
        return attrs

    def add_box(self, prefix: str, members: list[Any]) -> None:
        """A collapsed module as one box: its size, its output, and the edges that enter it."""
        g = self.g
        inside = set(members)
        outs = [n for n in members if n is g.root or any(c not in inside for c, _ in g.consumers[n])]
        n_params = sum(1 for n in members if n in g.params)
        n_ops = sum(1 for n in members if n._prev)
        fields = [f"{n_params} parameters, {n_ops} ops"]
        if len(outs) == 1 and not _is_array(outs[0]):
            gt = self.grad_text(outs[0])
            fields.append(f"out {_fmt(outs[0].data)}" + (f"  {gt}" if gt else ""))
        elif len(outs) == 1:
            fields.append(f"out {tuple(outs[0].data.shape)} {outs[0].data.dtype}")
        elif len(outs) > 1:
            fields.append(f"{len(outs)} outputs")
        name = "m_" + prefix
        self.box_fields[name] = (prefix, fields)  # the title depends on the cluster it is drawn in
        parent_mod = prefix.rsplit(".", 1)[0] if "." in prefix else ""
        self.put(
            parent_mod,
            name,
            {"shape": "record", "style": "filled,rounded", "fillcolor": ROLE_COLOURS["module"]},
        )
        for node in members:
            for parent in node._prev:
                if parent in inside or self.plan.folded(parent):
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

    # -- writing -----------------------------------------------------------------------------------

    def write(self, pic: GraphPicture) -> None:
        """Nodes in nested clusters by module path, then the edges."""
        children: dict[str, set[str]] = {}
        for mod in self.groups:
            parts = mod.split(".") if mod else []
            for d in range(len(parts)):
                children.setdefault(".".join(parts[:d]), set()).add(".".join(parts[: d + 1]))
        self.write_cluster(pic, "", "", children)
        if self.plan.boxes:  # room for the fan of edges between collapsed layers
            pic.attr("graph", ranksep="0.9")
        for (a, b), attrs in self.edges.items():
            pic.edge(a, b, **attrs)

    def write_cluster(self, target: Any, mod: str, title: str, children: Mapping[str, set[str]]) -> None:
        """The nodes of ``mod``, then a cluster for each sub-module. A level with no nodes of its own
        and a single sub-module would only draw a box around a box, so it is skipped."""
        for name, attrs in self.groups.get(mod, []):
            if name in self.box_fields:  # inside layers.0's box, neurons.3 says enough
                prefix, fields = self.box_fields[name]
                attrs = {
                    **attrs,
                    "label": _record([self.g.title(prefix, title), *fields], False, self.rankdir),
                }
            target.node(name, **attrs)
        for child in sorted(children.get(mod, ()), key=_natural):
            inner = child  # layers.0 holding only layers.0.neurons: one box, the shorter name
            while not self.groups.get(inner) and len(children.get(inner, ())) == 1:
                inner = next(iter(children[inner]))
            with target.subgraph(name="cluster_" + re.sub(r"\W", "_", child)) as sub:
                sub.attr(
                    label=self.g.title(child, title),
                    style="rounded",
                    color="#adb5bd",
                    fontsize="10",
                    fontcolor="#495057",
                    labeljust="l",
                )
                self.write_cluster(sub, inner, child, children)

    def legend(self, note: str) -> str:
        """The legend: the roles drawn (or a step's done/current/pending), and ``note``."""
        if self.state is not None:
            return _legend(list(STEP_COLOURS), STEP_COLOURS, note)
        g, plan = self.g, self.plan
        shown = {g.role[n] for n in g.order if n not in plan.box and n not in plan.hidden}
        roles = [r for r in ROLE_COLOURS if r in shown and not (plan.fold and r == "constant")]
        if plan.boxes:
            roles.append("module")
        return _legend(roles, ROLE_COLOURS, note)


def _draw(
    g: _Graph,
    plan: _Plan,
    *,
    rankdir: str,
    cluster: bool,
    grad_text: Callable[[Any], str | None],
    state: Mapping[Any, str] | None = None,
    incoming: set[Any] | None = None,
    legend: bool = True,
    note: str = "",
    fmt: str = "svg",
) -> GraphPicture:
    """The picture of ``g`` as ``plan`` says. ``state`` (node -> done/current/pending) colours a
    backward step; ``grad_text`` writes a node's grad field (None leaves it out)."""
    drawing = _Drawing(
        g,
        plan,
        rankdir=rankdir,
        cluster=cluster,
        grad_text=grad_text,
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
    _check_root(root, "draw_graph")
    _check_rankdir(rankdir, "draw_graph")
    if format not in FORMATS:
        raise ValueError(f"draw_graph: unknown format {format!r}; formats: {', '.join(FORMATS)}")
    if max_nodes is not None and max_nodes < 2:
        raise ValueError(f"draw_graph: max_nodes must be at least 2, got {max_nodes}")
    g = _Graph(root, names, module)
    grad_text = _grad_texter(g, show_grad)
    plan, note = _choose_plan(g, fold_constants, collapse, max_nodes)
    return _draw(
        g, plan, rankdir=rankdir, cluster=cluster, grad_text=grad_text, legend=legend, note=note, fmt=format
    )


def _grads_computed(g: _Graph) -> bool:
    """Whether a Value graph has been through backward (see draw_graph's ``show_grad``)."""
    return any(n.grad != 0 for n in g.order if not _is_array(n) and not _is_const(n))


def _grad_texter(g: _Graph, show_grad: bool | None) -> Callable[[Any], str | None]:
    if show_grad is False:
        return lambda node: None
    computed = show_grad is True or _grads_computed(g)

    def text(node: Any) -> str:
        if _is_array(node):
            grad = getattr(node, "grad", None)
            if grad is not None:
                return "grad " + _summary(grad, "\n")
            if getattr(node, "requires_grad", True) is False:
                return "no grad (requires_grad=False)"
            return "grad not computed"
        return "grad " + _fmt(node.grad) if computed else "grad not computed"

    return text

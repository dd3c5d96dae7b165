"""Pictures of computation graphs, and the backward pass shown step by step.

``draw_graph(root)`` returns a `graphviz.Digraph`: every value is a record
``{ label | data 2.0000 | grad 12.0000 }``, every operation a small node of its own, colours tell
inputs, parameters, constants, intermediates and the output apart, and a legend on the picture
says which is which. Its ``.source`` needs nothing else; SVG, PNG and PDF need Graphviz's ``dot``
program (see `save`). In Jupyter the returned graph shows itself inline.

``backward_steps(root)`` replays the backward pass one node at a time, in the engine's order, with
the chain-rule sentence and a picture for each step; ``write_backward_html(root, path)`` puts
those pictures on one self-contained page. From the shell::

    python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg --steps steps.html

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> L = 3 * x**2 + 2
>>> "not computed" in draw_graph(L).source     # before backward: no gradients yet
True
>>> L.backward()
>>> "grad 12.0000" in draw_graph(L).source
True
>>> [s.sentence.split(": ")[0] for s in backward_steps(L)]
['dL/dL = 1', 'dL/d(3·x²) = 1', 'dL/d(x²) = 3', 'dL/dx = 12']
"""

from __future__ import annotations

import argparse
import ast
import html
import math
import numbers
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from autograd import engine

__all__ = [
    "FORMATS",
    "BackwardStep",
    "DotNotFoundError",
    "ExpressionError",
    "GraphPicture",
    "backward_steps",
    "draw_graph",
    "main",
    "parse_expression",
    "save",
    "write_backward_html",
]

FORMATS = ("svg", "png", "pdf")
"""What `save` and ``draw_graph(format=...)`` render through ``dot`` (``.dot``/``.gv`` write source)."""

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

_INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH; the Python package `graphviz` alone cannot "
    "render. Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` "
    "(macOS), `conda install -c conda-forge graphviz`, or https://graphviz.org/download/ . "
    "`.source` works without it."
)


class DotNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's ``dot`` program, and it is not installed (the message says how)."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, _INSTALL_HINT)


class GraphPicture(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering says how to install ``dot`` when it is missing.

    Everything else is graphviz's: ``.source``, ``.pipe(format=...)``, ``.render(...)``, and the
    ``_repr_mimebundle_`` that makes Jupyter show the picture inline (as SVG).
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise DotNotFoundError() from err

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise DotNotFoundError() from err


# ---------------------------------------------------------------------------------------------
# Reading a graph: only the engine's node protocol (``_prev``) plus ``data``, ``grad``, ``label``
# and ``_op.name``, so Value and Tensor nodes (and anything shaped like them) are drawn alike.


def _check_root(root: Any, who: str) -> None:
    if not (hasattr(root, "_prev") and hasattr(root, "data") and hasattr(root, "_vjp")):
        raise TypeError(f"{who}: root must be a Value or Tensor graph node, got {type(root).__name__}")


def _check_rankdir(rankdir: str, who: str) -> None:
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"{who}: rankdir must be one of LR, RL, TB, BT, got {rankdir!r}")


def _is_array(node: Any) -> bool:
    return isinstance(node.data, np.ndarray)


def _op_name(node: Any) -> str:
    op = node._op
    if op is None:
        return ""
    return op if isinstance(op, str) else str(getattr(op, "name", type(op).__name__))


def _is_const(node: Any) -> bool:
    """A leaf made from a plain number: Value's CONST marker (an op named "const"), or an unnamed
    0-d array leaf that needs no gradient (how a Tensor op holds a number it needs as a node)."""
    if node._prev:
        return False
    if _op_name(node) == "const":
        return True
    return (
        _is_array(node)
        and node.data.ndim == 0
        and not getattr(node, "label", "")
        and getattr(node, "requires_grad", True) is False
    )


def _number_param(node: Any) -> float | None:
    """The number a Tensor op keeps as a parameter instead of a node (``t * 3``, ``t ** 2``)."""
    params: Sequence[Any] = getattr(node, "_params", ())
    if len(params) == 1 and len(node._prev) == 1 and _op_name(node) in ("+", "*", "**"):
        k = params[0]
        if isinstance(k, numbers.Real) and not isinstance(k, bool):
            return float(k)
    return None


# Ops that only rearrange their one input: a transposed weight still belongs to its layer.
_VIEWS = {"transpose", "T", "reshape", "broadcast", "[]"}


def _module_of(name: str) -> str:
    """The module part of a parameter name: ``layers.0.neurons.3.w.1`` -> ``layers.0.neurons.3``,
    ``0.weight`` -> ``0`` (drop trailing list indices, then the attribute name)."""
    parts = name.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


def _common_prefix(paths: Iterable[str]) -> str:
    split = [p.split(".") for p in paths]
    common: list[str] = []
    for level in zip(*split):
        if any(part != level[0] for part in level):
            break
        common.append(level[0])
    return ".".join(common)


# Ops that turn one node of a module into another node of the same module (an activation after a
# neuron's sum). Other one-input ops (``* 3``, ``**2``, ``sum``) are as likely to be a loss.
_ACTIVATIONS = {"tanh", "relu", "sigmoid", "gelu", "erf", "exp", "softmax", "log_softmax", "leaky_relu"}


def _param_names(names: Any, module: Any) -> dict[Any, str]:
    """node -> dotted parameter name, from ``names`` (name -> node, or pairs) and ``module``."""
    found: dict[Any, str] = {}
    sources: list[Any] = []
    if module is not None:
        if not callable(getattr(module, "named_parameters", None)):
            raise TypeError(f"draw_graph: module must have named_parameters(), got {type(module).__name__}")
        sources.append(module.named_parameters())
    if names is not None:
        sources.append(names.items() if isinstance(names, Mapping) else names)
    for pairs in sources:
        for name, node in pairs:
            if not isinstance(name, str):
                raise TypeError(f"draw_graph: names must map str to nodes, got key {type(name).__name__}")
            found[node] = name
    return found


def _module_kinds(module: Any) -> dict[str, str]:
    """Module name -> class name, from a module's ``named_modules()`` (if it has one)."""
    named = getattr(module, "named_modules", None)
    if not callable(named):
        return {}
    return {name: type(m).__name__ for name, m in named() if name}


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5  # precedence of the expression forms
_EXPR_MAX = 22  # longer expressions are not shown on nodes: past that they obscure more than help


def _num(x: float) -> str:
    """A number as a person writes it: 3, 0.5, 12, 0.3333, 1.2e-07."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def _pow_exponent(node: Any) -> float | None:
    name = _op_name(node)
    if name == "**" and _number_param(node) is not None:
        return _number_param(node)
    if name.startswith("**") and len(name) > 2:
        try:
            return float(name[2:])
        except ValueError:
            return None
    return None


def _power_text(base: tuple[str, int], k: float) -> str:
    text = base[0] if base[1] >= _ATOM else f"({base[0]})"
    if k.is_integer():
        return text + _num(k).translate(_SUPERSCRIPT)
    return f"{text}^{_num(k)}"


class _Graph:
    """One analysis of the graph below ``root``: order, roles, names, modules, who uses whom."""

    def __init__(
        self,
        root: Any,
        params: dict[Any, str],
        root_name: str | None = None,
        kinds: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.kinds = kinds or {}  # module name -> class name (Linear, Neuron), when a module was given
        self.order: list[Any] = engine.toposort([root])
        self.index = {node: i for i, node in enumerate(self.order)}
        self.params = params
        self.consumers: dict[Any, list[tuple[Any, int]]] = {node: [] for node in self.order}
        for node in self.order:
            for j, parent in enumerate(node._prev):
                self.consumers[parent].append((node, j))
        self.root_name = root_name
        self.role = {node: self._role(node) for node in self.order}
        self.module = self._modules()
        self.expr = self._expressions()

    def _role(self, node: Any) -> str:
        if node is self.root:
            return "output"
        if _is_const(node):
            return "constant"
        if node in self.params:
            return "parameter"
        return "input" if not node._prev else "intermediate"

    def _modules(self) -> dict[Any, str]:
        """Each node's module ("" for none): a parameter's own; a computed node's from the
        parameters it uses directly, else shared by all its (non-constant) inputs."""
        module: dict[Any, str] = {}
        paramish = set(self.params)  # parameters, and views of them (weight.T)
        for node in self.order:
            if node in self.params:
                module[node] = _module_of(self.params[node])
                continue
            parents = node._prev
            if not parents:
                module[node] = ""
                continue
            op = _op_name(node)
            direct = [module[p] for p in parents if p in paramish]
            if direct:
                module[node] = _common_prefix(direct)
                if len(parents) == 1 and op in _VIEWS:
                    paramish.add(node)
                continue
            # Data enters a layer through a matmul: its leaf inputs do not pull it out.
            matmul = op in ("@", "matmul")
            inner = [p for p in parents if not _is_const(p) and (p._prev or not matmul)]
            mods = [module[p] for p in inner]
            if not mods or "" in mods or (len(mods) == 1 and op not in _ACTIVATIONS and not matmul):
                module[node] = ""
            else:
                module[node] = _common_prefix(mods)
        return module

    def _expressions(self) -> dict[Any, tuple[str, int] | None]:
        """A short formula for each node (``3·x²``), built in order so it never recurses."""
        expr: dict[Any, tuple[str, int] | None] = {}
        for node in self.order:
            expr[node] = self._expression(node, expr)
        return expr

    def _expression(
        self, node: Any, expr: dict[Any, tuple[str, int] | None], named: bool = True
    ) -> tuple[str, int] | None:
        own = self.own_name(node) if named else ""
        if node in self.params and named:  # w.1, not layers.0.neurons.2.w.1: formulas must stay short
            own = _relative(own, self.module[node])
        if own:
            return (own, _ATOM)
        parents = node._prev
        if not parents:
            if _is_array(node):
                return None
            text = _num(float(node.data))
            return (text, _ATOM if node.data >= 0 else _NEG)
        args = [expr.get(p) for p in parents]
        if any(a is None for a in args):
            return None
        k = _number_param(node)
        if k is not None:  # a Tensor op with its number kept aside: write it like Value's constant
            arg: tuple[str, int] = args[0]  # type: ignore[assignment]
            op = _op_name(node)
            if op == "**":
                return (_power_text(arg, k), _POW)
            if op == "*":
                return (f"-{_paren(arg, _POW)}" if k == -1 else f"{_num(k)}·{_paren(arg, _MUL)}", _MUL)
            return (f"{_paren(arg, _ADD)} {'-' if k < 0 else '+'} {_num(abs(k))}", _ADD)
        out = _combine(_op_name(node), parents, args)  # type: ignore[arg-type]
        return out if out is not None and len(out[0]) <= _EXPR_MAX else None

    def formula(self, node: Any) -> str:
        """How ``node`` was computed (``tanh(a·b + a)``), even when it has a name; "" if too long."""
        e = self._expression(node, self.expr, named=False) if node._prev else None
        return e[0] if e else ""

    def own_name(self, node: Any) -> str:
        """The name a user gave: a parameter name, a label, or the output's name in sentences."""
        if node in self.params:
            return self.params[node]
        label = getattr(node, "label", "")
        if label:
            return str(label)
        if node is self.root and self.root_name:
            return self.root_name
        return ""

    def name(self, node: Any) -> str:
        """How pictures and sentences call a node: its own name, else its formula, else ``#i``."""
        own = self.own_name(node)
        if own:
            return own
        e = self.expr.get(node)
        return e[0] if e else f"#{self.index[node]}"


def _relative(name: str, context: str) -> str:
    """``name`` inside ``context`` (``neurons.3`` inside ``layers.0``), unless that is a bare index."""
    if context and name.startswith(context + "."):
        rest = name[len(context) + 1 :]
        if not rest.isdigit():
            return rest
    return name


def _paren(arg: tuple[str, int], prec: int) -> str:
    return arg[0] if arg[1] >= prec else f"({arg[0]})"


def _combine(op: str, parents: Sequence[Any], args: Sequence[tuple[str, int]]) -> tuple[str, int] | None:
    """The formula of ``op`` applied to formulas ``args``, in ordinary notation."""
    if op == "+" and len(args) == 2:
        a, b = args
        if b[0].startswith("-") and b[1] in (_NEG, _ATOM) and len(b[0]) > 1:
            return (f"{_paren(a, _ADD)} - {b[0][1:]}", _ADD)
        return (f"{_paren(a, _ADD)} + {_paren(b, _ADD)}", _ADD)
    if op == "*" and len(args) == 2:
        (a, b), (pa, pb) = args, parents
        if _is_const(pa) and not _is_const(pb):  # constants first: 3·x², as on paper
            (a, b), (pa, pb) = (b, a), (pb, pa)
        if _is_const(pb) and pb.data == -1:
            return (f"-{_paren(a, _POW)}", _NEG)
        if _pow_exponent(pb) == -1 and b[0].endswith("⁻¹"):  # a * b**-1 (unnamed) is a / b
            return (f"{_paren(a, _MUL)}/{b[0][: -len('⁻¹')]}", _MUL)
        if _is_const(pb):
            c = float(pb.data)
            if a[0].endswith("⁻¹") and a[1] == _POW:  # 1/x and 2/x, as written
                return (f"{b[0]}/{a[0][: -len('⁻¹')]}", _MUL)
            if len(_num(c)) > 5 and c != 0 and abs(1 / c - round(1 / c)) < 1e-9:  # x/3, not 0.3333·x
                return (f"{_paren(a, _MUL)}/{_num(float(round(1 / c)))}", _MUL)
            return (f"{_paren(b, _POW)}·{_paren(a, _MUL)}", _MUL)
        return (f"{_paren(a, _MUL)}·{_paren(b, _POW)}", _MUL)
    if op.startswith("**") and len(args) == 1:
        try:
            k = float(op[2:])
        except ValueError:
            return None
        return (_power_text(args[0], k), _POW)
    if op == "**" and len(args) == 2:
        return (f"{_paren(args[0], _ATOM)}^{_paren(args[1], _ATOM)}", _POW)
    if op in ("transpose", "T") and len(args) == 1:
        return (f"{_paren(args[0], _ATOM)}ᵀ", _POW)
    if op in ("@", "-", "/") and len(args) == 2:
        prec = _ADD if op == "-" else _MUL
        return (f"{_paren(args[0], prec)} {op} {_paren(args[1], prec + 1)}", prec)
    if op:
        return (f"{op}({', '.join(a[0] for a in args)})", _ATOM)
    return None


# ---------------------------------------------------------------------------------------------
# Drawing.


def _fmt(x: Any) -> str:
    """Four decimals, as micrograd's pictures, switching to exponents where those would hide it."""
    x = float(x)
    if math.isfinite(x) and (x == 0 or 1e-3 <= abs(x) < 1e6):
        return f"{x:.4f}"
    return f"{x:.4g}" if not math.isfinite(x) else f"{x:.4e}"


def _summary(a: Any, sep: str = "  ") -> str:
    """A few values, or min/mean/max and the norm of a bigger array (``sep`` between the two)."""
    arr = np.asarray(a)
    if arr.size == 0:
        return "[]"
    if arr.dtype.kind not in "fiub":
        return f"{arr.dtype} array"
    flat = arr.ravel().astype(np.float64)
    if flat.size <= 4:
        return "[" + ", ".join(f"{v:.4g}" for v in flat) + "]"
    return (
        f"min {flat.min():.3g}  max {flat.max():.3g}{sep}"
        f"mean {flat.mean():.3g}  norm {float(np.linalg.norm(flat)):.3g}"
    )


_RECORD_SPECIAL = re.compile(r'([{}|<>"\\])')


def _field(text: str) -> str:
    """Text safe inside one field of a record label."""
    return _RECORD_SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")  # a line break inside the field


def _record(fields: Sequence[str], horizontal: bool, rankdir: str) -> str:
    # Records lay their fields out across the rank direction; braces turn them the other way.
    flip = horizontal == (rankdir in ("LR", "RL"))
    body = " | ".join(_field(f) for f in fields)
    return "{ " + body + " }" if flip else body


def _op_label(g: _Graph, node: Any, fold: bool) -> str:
    """The op's name, with a folded constant beside it: ``+ 2``, ``* 3``."""
    name = _op_name(node) or "?"
    k = _number_param(node)
    if k is not None:  # Tensor ops keep their number aside, not as a node: always shown
        if name == "**":
            return f"**{_num(k)}"
        if name == "+" and k < 0:
            return f"- {_num(-k)}"
        return "neg" if name == "*" and k == -1 else f"{name} {_num(k)}"
    if not fold:
        return name
    consts = [p for p in node._prev if _is_const(p)]
    if len(consts) != 1 or _is_array(consts[0]) and np.size(consts[0].data) != 1:
        return name
    c = float(np.asarray(consts[0].data).ravel()[0])
    if name == "+" and c < 0:
        return f"- {_num(-c)}"
    if name == "*" and c == -1:
        return "neg"
    if node._prev[0] is consts[0] and name not in ("+", "*"):  # a constant base or left operand
        return f"{_num(c)} {name}"
    return f"{name} {_num(c)}"


class _Plan:
    """What to draw: which nodes are folded into boxes (collapsed modules) or hidden."""

    def __init__(self, g: _Graph, fold: bool, depth: int | None, hidden: set[Any] | None = None) -> None:
        self.depth = depth
        self.hidden = hidden or set()
        self.box: dict[Any, str] = {}  # node -> the module prefix it is drawn inside of, as one box
        if depth is not None:
            for node in g.order:
                mod = g.module[node]
                if mod and mod.count(".") + 1 >= depth:
                    self.box[node] = ".".join(mod.split(".")[:depth])
        drawn = 0
        for node in g.order:
            if node in self.box or node in self.hidden or (fold and _is_const(node)):
                continue
            drawn += 2 if node._prev else 1  # a computed value comes with its op node
        self.count = drawn + len(set(self.box.values())) + (1 if self.hidden else 0)


def _module_depths(g: _Graph) -> list[int]:
    """Collapse depths worth trying, finest first; depths that group nodes alike are skipped."""
    mods = {m for m in g.module.values() if m}
    if not mods:
        return []
    depths = []
    seen: set[frozenset[frozenset[str]]] = set()
    for d in range(max(m.count(".") + 1 for m in mods), 0, -1):
        groups: dict[str, set[str]] = {}
        for m in mods:
            groups.setdefault(".".join(m.split(".")[:d]), set()).add(m)
        partition = frozenset(frozenset(s) for s in groups.values())
        if partition not in seen:  # layers.0.neurons groups the same nodes as layers.0
            seen.add(partition)
            depths.append(d)
    return depths


def _nearest(g: _Graph, fold: bool, limit: int) -> set[Any]:
    """The nodes to hide so that about ``limit`` remain: keep those nearest the output."""
    kept: set[Any] = set()
    count = 0
    queue = deque([g.root])
    while queue:
        node = queue.popleft()
        if node in kept or (fold and _is_const(node)):
            continue
        cost = 2 if node._prev else 1
        if count + cost > limit:
            break
        kept.add(node)
        count += cost
        queue.extend(node._prev)
    return {n for n in g.order if n not in kept and not (fold and _is_const(n))}


def _legend(roles: Sequence[str], colours: Mapping[str, str], note: str) -> str:
    # The current step's cell gets the red border its node has.
    edge = {"current": ' color="#e03131"'}
    cells = "".join(
        f'<td bgcolor="{colours[r]}" border="1"{edge.get(r, "")}>{html.escape(r)}</td>' for r in roles
    )
    if note:
        cells += f"<td>  {html.escape(note)}</td>"
    return f'<<table border="0" cellspacing="3" cellpadding="3"><tr><td>legend</td>{cells}</tr></table>>'


def _draw(
    g: _Graph,
    plan: _Plan,
    *,
    rankdir: str,
    fold: bool,
    cluster: bool,
    grad_text: Callable[[Any], str | None],
    state: Mapping[Any, str] | None = None,
    incoming: set[Any] | None = None,
    legend: bool = True,
    note: str = "",
    fmt: str = "svg",
) -> GraphPicture:
    """The picture itself. ``state`` (node -> done/current/pending) colours a backward step."""
    pic = GraphPicture(
        "autograd",
        format=fmt,
        graph_attr={"rankdir": rankdir, "fontname": FONT, "nodesep": "0.2", "ranksep": "0.3"},
        node_attr={"fontname": FONT, "fontsize": "11", "height": "0.3"},
        edge_attr={"arrowsize": "0.6", "color": "#555555"},
    )
    incoming = incoming or set()
    # Statements per module, so clusters can be written as nested subgraphs at the end.
    groups: dict[str, list[tuple[str, dict[str, str]]]] = {"": []}
    edges: dict[tuple[str, str], dict[str, str]] = {}
    clustered = cluster and bool(g.params)

    def put(module: str, name: str, attrs: dict[str, str]) -> None:
        groups.setdefault(module if clustered else "", []).append((name, attrs))

    def fill(node: Any) -> dict[str, str]:
        if state is None:
            attrs = {"fillcolor": ROLE_COLOURS[g.role[node]]}
            if node is g.root:
                attrs["penwidth"] = "2"
            return attrs
        s = state.get(node, "pending")
        attrs = {"fillcolor": STEP_COLOURS[s]}
        if s == "current":
            attrs.update(penwidth="3", color="#e03131")
        elif s == "pending":
            attrs.update(color="#aaaaaa", fontcolor="#777777")
        return attrs

    def vid(node: Any) -> str:
        if node in plan.hidden:
            return "hidden"
        if node in plan.box:
            return "m_" + plan.box[node]
        return f"v{g.index[node]}"

    boxes: dict[str, list[Any]] = {}
    box_fields: dict[str, list[str]] = {}
    for node in g.order:
        if node in plan.box:
            boxes.setdefault(plan.box[node], []).append(node)
            continue
        if node in plan.hidden or (fold and _is_const(node)):
            continue
        i = g.index[node]
        mod = g.module[node]
        if _is_const(node):
            attrs = {
                "label": _num(float(np.asarray(node.data).ravel()[0]))
                if np.size(node.data) == 1
                else _summary(node.data),
                "shape": "box",
                "style": "rounded,filled",
                "fontsize": "9",
                "fillcolor": ROLE_COLOURS["constant"],
                "height": "0.2",
                "margin": "0.03,0.01",
            }
            put(mod, f"v{i}", attrs)
            continue
        name = g.name(node)
        if clustered and node in g.params and mod:  # the cluster's title says the rest
            name = _relative(g.params[node], mod)
        elif name.startswith("#") and state is None:  # step pictures keep #k: sentences use it
            name = ""
        array = _is_array(node)
        fields = [name] if name else []
        if array:
            fields.append(f"{tuple(node.data.shape)} {node.data.dtype}")
            fields.append("data " + _summary(node.data, "\n"))
        else:
            fields.append("data " + _fmt(node.data))
        gt = grad_text(node)
        if gt is not None:
            fields.append(gt)
        attrs = {"label": _record(fields, not array, rankdir), "shape": "record", "style": "filled"}
        attrs.update(fill(node))
        put(mod, f"v{i}", attrs)
        if not node._prev:
            continue
        op_attrs = {
            "label": _op_label(g, node, fold),
            "shape": "ellipse",
            "fontsize": "10",
            "style": "filled",
            "fillcolor": OP_FILL,
            "width": "0",
            "height": "0",
            "margin": "0.05,0.02",
        }
        if state is not None and state.get(node, "pending") == "pending":
            op_attrs.update(color="#aaaaaa", fontcolor="#888888")
        put(mod, f"o{i}", op_attrs)
        edges[(f"o{i}", f"v{i}")] = {}
        for parent in node._prev:
            if fold and _is_const(parent):
                continue
            attrs = {}
            if node in incoming and state is not None and state.get(parent) == "current":
                attrs = {"color": "#e03131", "penwidth": "2.5"}  # the way the gradient came
            edges[(vid(parent), f"o{i}")] = attrs

    for prefix, members in sorted(boxes.items(), key=lambda item: _natural(item[0])):
        inside = set(members)
        outs = [n for n in members if n is g.root or any(c not in inside for c, _ in g.consumers[n])]
        n_params = sum(1 for n in members if n in g.params)
        n_ops = sum(1 for n in members if n._prev)
        parent_mod = prefix.rsplit(".", 1)[0] if "." in prefix else ""
        fields = [_titled(g, prefix, ""), f"{n_params} parameters, {n_ops} ops"]
        if len(outs) == 1 and not _is_array(outs[0]):
            gt = grad_text(outs[0])
            fields.append(f"out {_fmt(outs[0].data)}" + (f"  {gt}" if gt else ""))
        elif len(outs) == 1:
            fields.append(f"out {tuple(outs[0].data.shape)} {outs[0].data.dtype}")
        elif len(outs) > 1:
            fields.append(f"{len(outs)} outputs")
        box_fields["m_" + prefix] = fields
        put(
            parent_mod,
            "m_" + prefix,
            {
                "label": _record(fields, False, rankdir),
                "shape": "record",
                "style": "filled,rounded",
                "fillcolor": ROLE_COLOURS["module"],
            },
        )
        for node in members:
            for parent in node._prev:
                if parent in inside or (fold and _is_const(parent)):
                    continue
                # Between layers every box feeds every box: thin light lines keep that legible.
                edges[(vid(parent), "m_" + prefix)] = {"color": "#868e96", "penwidth": "0.6"}
    if plan.hidden:
        put(
            "",
            "hidden",
            {
                "label": f"{len(plan.hidden)} earlier nodes not drawn",
                "shape": "note",
                "style": "filled",
                "fillcolor": "#f1f3f5",
                "fontcolor": "#555555",
            },
        )

    # Nested clusters by module path; a level with no nodes of its own and a single sub-module
    # would only draw a box around a box, so it is skipped.
    children: dict[str, set[str]] = {}
    for mod in groups:
        parts = mod.split(".") if mod else []
        for d in range(len(parts)):
            children.setdefault(".".join(parts[:d]), set()).add(".".join(parts[: d + 1]))

    def emit(target: Any, mod: str, title: str) -> None:
        for name, attrs in groups.get(mod, []):
            if name in box_fields and title:  # inside layers.0's box, neurons.3 says enough
                fields = box_fields[name]
                short = [_titled(g, name[2:], title), *fields[1:]]
                attrs = {**attrs, "label": _record(short, False, rankdir)}
            target.node(name, **attrs)
        for child in sorted(children.get(mod, ()), key=_natural):
            inner = child  # layers.0 holding only layers.0.neurons: one box, the shorter name
            while not groups.get(inner) and len(children.get(inner, ())) == 1:
                inner = next(iter(children[inner]))
            with target.subgraph(name="cluster_" + re.sub(r"\W", "_", child)) as sub:
                sub.attr(
                    label=_titled(g, child, title),
                    style="rounded",
                    color="#adb5bd",
                    fontsize="10",
                    fontcolor="#495057",
                    labeljust="l",
                )
                emit(sub, inner, child)

    emit(pic, "", "")
    if boxes:  # room for the fan of edges between collapsed layers
        pic.attr("graph", ranksep="0.9")
    for (a, b), attrs in edges.items():
        if a != b:
            pic.edge(a, b, **attrs)
    if legend:
        if state is None:
            drawn = {g.role[n] for n in g.order if n not in plan.box and n not in plan.hidden}
            roles = [r for r in ROLE_COLOURS if r in drawn and not (fold and r == "constant")]
            if boxes:
                roles.append("module")
            pic.attr(
                "graph", label=_legend(roles, ROLE_COLOURS, note), labelloc="b", labeljust="l", fontsize="10"
            )
        else:
            pic.attr(
                "graph",
                label=_legend(list(STEP_COLOURS), STEP_COLOURS, note),
                labelloc="b",
                labeljust="l",
                fontsize="10",
            )
    return pic


def _titled(g: _Graph, name: str, context: str) -> str:
    """A module's title inside ``context``: ``neurons.3 (Neuron)``, ``0 (Linear)``."""
    kind = g.kinds.get(name)
    return _relative(name, context) + (f" ({kind})" if kind else "")


def _natural(text: str) -> list[Any]:
    """Sort key putting layers.2 before layers.10."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", text)]


def _grads_computed(g: _Graph) -> bool:
    """Whether a Value graph has been through backward (see draw_graph's ``show_grad``)."""
    return any(n.grad != 0 for n in g.order if not _is_array(n) and not _is_const(n))


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
    g = _Graph(root, _param_names(names, module), kinds=_module_kinds(module))
    grad_text = _grad_texter(g, show_grad)
    plan, note = _choose_plan(g, fold_constants, collapse, max_nodes)
    return _draw(
        g,
        plan,
        rankdir=rankdir,
        fold=fold_constants,
        cluster=cluster,
        grad_text=grad_text,
        legend=legend,
        note=note,
        fmt=format,
    )


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


def _choose_plan(
    g: _Graph, fold: bool, collapse: bool | int | None, max_nodes: int | None
) -> tuple[_Plan, str]:
    full = _Plan(g, fold, None)
    depths = _module_depths(g)
    if collapse is True or (isinstance(collapse, int) and not isinstance(collapse, bool)):
        if isinstance(collapse, int) and not isinstance(collapse, bool) and collapse < 1:
            raise ValueError(f"draw_graph: collapse depth must be at least 1, got {collapse}")
        if not depths:
            return full, ""
        depth = depths[0] if collapse is True else int(collapse)
        return _Plan(g, fold, depth), ""
    if collapse is False or max_nodes is None or full.count <= max_nodes:
        return full, ""
    too_many = f"{full.count} nodes > max_nodes={max_nodes}"
    for depth in depths:
        plan = _Plan(g, fold, depth)
        if plan.count <= max_nodes:
            return plan, f"{too_many}: modules drawn as boxes (collapse=False draws all)"
    plan = _Plan(g, fold, None, _nearest(g, fold, max_nodes - 1))
    return plan, f"{too_many}: the nodes nearest the output (max_nodes=None draws all)"


def save(picture: graphviz.Digraph, path: str | Path, format: str | None = None) -> Path:
    """Write ``picture`` to ``path`` as SVG, PNG or PDF (from the suffix unless ``format`` is given;
    ``.dot``/``.gv`` write the source, which needs no Graphviz program). Returns the path."""
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt in ("dot", "gv"):
        path.write_text(picture.source, encoding="utf-8")
        return path
    if fmt not in FORMATS:
        known = ", ".join(FORMATS)
        raise ValueError(f"save: unknown format {fmt!r} for {str(path)!r}; formats: {known} (or dot, gv)")
    try:
        data = picture.pipe(format=fmt)
    except graphviz.ExecutableNotFound as err:
        if isinstance(err, DotNotFoundError):
            raise
        raise DotNotFoundError() from err
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------
# The backward pass, step by step.


def _d(name: str) -> str:
    """``x`` -> ``dx``; a formula -> ``d(3·x²)``."""
    return "d" + name if re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", name) else f"d({name})"


def _partial(of: str, by: str) -> str:
    """The local derivative ``∂(x²)/∂x``: one op's own, told apart from the total ``dL/dx``."""
    return "∂" + _d(of)[1:] + "/∂" + _d(by)[1:]


def _gtext(g: Any) -> str:
    return _num(float(g)) if np.ndim(g) == 0 else _summary(g)


class BackwardStep:
    """One node of the backward pass: its gradient, the chain-rule sentence, and its picture.

    ``picture`` is built when first asked for (a graph of n nodes has n steps of n nodes each).
    """

    __slots__ = ("index", "node", "name", "grad", "sentence", "_make", "_picture")

    def __init__(
        self, index: int, node: Any, name: str, grad: Any, sentence: str, make: Callable[[int], GraphPicture]
    ) -> None:
        self.index = index
        self.node = node
        self.name = name
        self.grad = grad
        self.sentence = sentence
        self._make = make
        self._picture: GraphPicture | None = None

    @property
    def picture(self) -> GraphPicture:
        """The graph with the nodes done so far highlighted, this one marked, the rest grey."""
        if self._picture is None:
            self._picture = self._make(self.index)
        return self._picture

    def __repr__(self) -> str:
        return f"BackwardStep({self.index}, {self.sentence!r})"


def _through(g: _Graph, consumer: Any, j: int) -> str:
    """How the path from input ``j`` through ``consumer`` reads: ``+ 2``, ``3 ·``, ``x²``, ``tanh``."""
    op = _op_name(consumer)
    prev = consumer._prev
    if op in ("+", "*") and len(prev) == 2:
        other = prev[1 - j]
        sym = "+" if op == "+" else "·"
        text = _num(float(other.data)) if _is_const(other) and not _is_array(other) else g.name(other)
        if op == "+" and _is_const(other) and float(other.data) < 0:
            return f"- {_num(-float(other.data))}"
        if op == "+" and j == 0 and text.startswith("-") and not _is_const(other):
            return f"- {text[1:]}"
        if op == "*" and _is_const(other):
            return f"{text} ·"
        return f"{sym} {text}" if j == 0 else f"{text} {sym}"
    k = _pow_exponent(consumer)
    if k is not None:
        return _power_text((g.name(prev[0]), _prec_of(g, prev[0])), k)
    if op == "**" and len(prev) == 2:
        return f"{g.name(prev[0])}^{g.name(prev[1])}"
    return op or "?"


def _prec_of(g: _Graph, node: Any) -> int:
    e = g.expr.get(node)
    return _ATOM if g.own_name(node) or e is None else e[1]


def _local_formula(g: _Graph, consumer: Any, j: int, local: float) -> str:
    """d(consumer)/d(input j) as a formula in the input's name (``2x``, ``1 - tanh²(n)``)."""
    op = _op_name(consumer)
    prev = consumer._prev
    me = g.name(prev[j])
    atom = me if _prec_of(g, prev[j]) >= _ATOM else f"({me})"
    if op == "+":
        return "1"
    if op == "*" and len(prev) == 2:
        other = prev[1 - j]
        if _is_const(other):
            return _num(float(other.data))
        return g.name(other) if _prec_of(g, other) >= _POW else f"({g.name(other)})"
    k = _pow_exponent(consumer)
    if k is not None:
        if k - 1 == 1:
            return f"{_num(k)}{atom}" if atom == me and len(me) == 1 else f"{_num(k)}·{atom}"
        return f"{_num(k)}·{_power_text((me, _prec_of(g, prev[j])), k - 1)}"
    if op == "**" and len(prev) == 2:
        a, b = g.name(prev[0]), g.name(prev[1])
        return f"{b}·{a}^({b} - 1)" if j == 0 else f"{a}^{b}·ln {a}"
    formulas = {
        "exp": f"exp({me})",
        "log": f"1/{atom}",
        "tanh": f"1 - tanh²({me})",
        "sigmoid": f"σ({me})·(1 - σ({me}))",
        "erf": f"2/√π·exp(-{atom}²)",
    }
    return formulas.get(op, _num(local))


def _factor(formula: str) -> str:
    """A formula as the right-hand factor of a product: ``(1 - tanh²(n))``, ``(-1)``."""
    return f"({formula})" if " - " in formula or " + " in formula or formula.startswith("-") else formula


def _sentence(g: _Graph, node: Any, total: Any, sent: list[tuple[Any, int, Any, Any]]) -> str:
    """The chain rule for one node, with numbers. ``sent``: (consumer, input index, consumer's
    gradient, what it sent here)."""
    R, me = g.name(g.root), g.name(node)
    dR, dn = _d(R), _d(me)
    head = f"{dR}/{dn} = {_gtext(total)}"
    if node is g.root:
        return f"{head}: the backward pass starts at the output {R}; d{R}/d{R} is always 1."
    if _is_array(node) or any(_is_array(c) for c, *_ in sent):
        shape = f" (shape {tuple(np.shape(total))})" if np.ndim(total) else ""
        if len(sent) == 1:
            consumer = sent[0][0]
            dc = _d(g.name(consumer))
            summed = ""
            if _op_name(consumer) in ("+", "*", "**") and np.shape(consumer.data) != np.shape(total):
                summed = f", summed over the broadcast axes back to shape {tuple(np.shape(total))}"
            return (
                f"{head}{shape}: through {_op_label(g, consumer, True)} "
                f"(chain rule: {dR}/{dn} = {dR}/{dc} · {_partial(g.name(consumer), me)}{summed})."
            )
        ops = ", ".join(_op_label(g, c, True) for c, *_ in sent)
        return f"{head}{shape}: {me} is used {len(sent)} times (through {ops}), and what it receives adds up."
    terms: list[tuple[Any, Any, float, str, bool]] = []
    values: list[float] = []
    ways: list[str] = []
    for consumer, j, gc, pg in sent:
        local = float(consumer._vjp(1.0, False)[j])  # the rules are linear in g: this is d(out)/d(in)
        formula = _local_formula(g, consumer, j, local)
        numeric = formula == _num(local)
        terms.append((consumer, gc, local, formula, numeric))
        values.append(float(pg))
        ways.append(_through(g, consumer, j))
    if len(terms) == 1:
        consumer, gc, local, formula, numeric = terms[0]
        formula = _factor(formula)
        dc = _d(g.name(consumer))
        rule = f"{dR}/{dn} = {dR}/{dc} · {formula if numeric else _partial(g.name(consumer), me)}"
        if formula == "1":
            return f"{head}: through {ways[0]} the gradient stays {_num(gc)} (chain rule: {rule})."
        expl = f"{_num(gc)} · {formula}" + ("" if numeric else f" = {_num(gc)} · {_num(local)}")
        return f"{head}: through {ways[0]} the gradient becomes {expl} = {_num(total)} (chain rule: {rule})."
    users = [g.name(c) for c, *_ in sent]
    places = (
        "in " + ", ".join(users[:-1]) + " and " + users[-1] if len(set(users)) > 1 else f"both in {users[0]}"
    )
    products = " + ".join(f"{_num(gc)} · {_factor(formula)}" for _, gc, _, formula, _ in terms)
    added = _num(values[0]) + "".join(f" - {_num(-v)}" if v < 0 else f" + {_num(v)}" for v in values[1:])
    return (
        f"{head}: {me} is used {len(terms)} times ({places}), so what it receives "
        f"adds up: {products} = {added} = {_gtext(total)}."
    )


def backward_steps(
    root: Any,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "LR",
) -> list[BackwardStep]:
    """The backward pass from ``root``, one step per node in the order the engine visits them.

    Gradients are computed afresh with `autograd.engine.grad`: no ``.grad`` changes. Constants
    (plain numbers) are skipped: nothing uses their gradients. An unnamed output is called L.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> steps = backward_steps(3 * x**2 + 2)
    >>> print(steps[-1].sentence)
    dL/dx = 12: through x² the gradient becomes 3 · 2x = 3 · 4 = 12 (chain rule: dL/dx = dL/d(x²) · ∂(x²)/∂x).
    >>> x.grad   # untouched
    0.0
    """
    _check_root(root, "backward_steps")
    _check_rankdir(rankdir, "backward_steps")
    params = _param_names(names, module)
    g = _Graph(root, params, root_name="L", kinds=_module_kinds(module))
    fold = True
    nodes = [n for n in reversed(g.order) if not _is_const(n)]
    raw = [getattr(d, "data", d) for d in engine.grad(root, nodes)]
    total = dict(zip(nodes, raw))
    # What each node sends to each of its inputs: the engine's own rule, run on the fresh gradient.
    sent: dict[Any, list[tuple[Any, int, Any, Any]]] = {n: [] for n in g.order}
    reached = {root}
    for node in nodes:
        if node not in reached or not node._prev:
            continue
        for j, (parent, pg) in enumerate(zip(node._prev, node._vjp(total[node], False))):
            if pg is not None and not _is_const(parent):
                sent[parent].append((node, j, total[node], pg))
                reached.add(parent)
    order = [n for n in nodes if n in reached]

    def make(k: int) -> GraphPicture:
        state = {n: "done" for n in order[:k]}
        state[order[k]] = "current"
        for c in g.order:  # constants take the state of the op they are folded into
            if _is_const(c):
                state[c] = "done"

        def grad_text(n: Any) -> str:
            if n not in reached:  # no gradient flows here (data that needs none): not a step
                return "no grad"
            if state.get(n, "pending") == "pending":
                return "grad ?"
            return "grad " + (_fmt(total[n]) if np.ndim(total[n]) == 0 else _summary(total[n], "\n"))

        incoming = {c for c, *_ in sent[order[k]]}
        return _draw(
            g,
            _Plan(g, fold, None),
            rankdir=rankdir,
            fold=fold,
            cluster=True,
            grad_text=grad_text,
            state=state,
            incoming=incoming,
            note=f"step {k + 1} of {len(order)}",
        )

    return [
        BackwardStep(k, n, g.name(n), total[n], _sentence(g, n, total[n], sent[n]), make)
        for k, n in enumerate(order)
    ]


_PAGE_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.2rem;
       color: #212529; background: #fff; }
h1 { font-size: 1.25rem; margin: 0 0 .8rem; }
.controls { display: flex; align-items: center; gap: .6rem; margin-bottom: .8rem; flex-wrap: wrap; }
.controls button { font-size: 1rem; padding: .3rem .9rem; cursor: pointer; }
.controls input[type=range] { flex: 1; min-width: 10rem; max-width: 30rem; }
#counter { font-variant-numeric: tabular-nums; min-width: 7rem; }
.step { display: flex; gap: 1.5rem; align-items: flex-start; }
.step[hidden] { display: none; }
.picture { flex: 0 1 auto; max-width: 72%; min-width: 0; overflow: auto; padding: .5rem;
           border: 1px solid #dee2e6; border-radius: 6px; }
.picture svg { max-width: 100%; height: auto; }
.text { flex: 1 1 18rem; min-width: 16rem; max-width: 32rem; }
.sentence { font-size: 1.1rem; line-height: 1.5; background: #fff9db; border-left: 4px solid #fab005;
            padding: .6rem .8rem; margin: 0 0 1rem; }
.sofar { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9rem; padding-left: 1.2rem; }
.hint { color: #868e96; font-size: .85rem; }
@media (max-width: 60rem) { .step { flex-direction: column; } .text { max-width: none; } }
"""

_PAGE_SCRIPT = """
(function () {
  var steps = document.querySelectorAll('.step');
  var slider = document.getElementById('slider');
  var counter = document.getElementById('counter');
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    for (var k = 0; k < steps.length; k++) { steps[k].hidden = (k !== current); }
    slider.value = current + 1;
    counter.textContent = 'Step ' + (current + 1) + ' of ' + steps.length;
    document.getElementById('prev').disabled = current === 0;
    document.getElementById('next').disabled = current === steps.length - 1;
  }
  document.getElementById('prev').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  slider.addEventListener('input', function () { show(slider.valueAsNumber - 1); });
  document.addEventListener('keydown', function (e) {
    if (e.target === slider) { return; }  /* the slider handles its own arrow keys */
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { show(current + 1); }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { show(current - 1); }
    else if (e.key === 'Home') { show(0); }
    else if (e.key === 'End') { show(steps.length - 1); }
    else { return; }
    e.preventDefault();
  });
  show(0);
})();
"""


def _svgs(pictures: Sequence[graphviz.Digraph]) -> list[str]:
    """All pictures rendered by one run of ``dot`` (it lays out every graph in its input)."""
    try:
        out = graphviz.pipe("dot", "svg", "\n".join(p.source for p in pictures).encode("utf-8"))
    except graphviz.ExecutableNotFound as err:
        raise DotNotFoundError() from err
    svgs = re.findall(r"<svg[\s\S]*?</svg>", out.decode("utf-8"))
    if len(svgs) != len(pictures):  # pragma: no cover - dot printed something unexpected
        raise RuntimeError(f"write_backward_html: dot made {len(svgs)} pictures of {len(pictures)}")
    # Comments and <title>s (the node ids) carry nothing for a reader; tooltips of "v3" confuse.
    return [re.sub(r"<!--[\s\S]*?-->|<title>[^<]*</title>", "", s) for s in svgs]


def write_backward_html(
    root: Any,
    path: str | Path,
    *,
    names: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    module: Any = None,
    rankdir: str = "BT",
    max_steps: int = 300,
) -> Path:
    """Write one self-contained HTML page that steps through the backward pass from ``root``.

    Each step shows its picture (inline SVG) with its chain-rule sentence beside it and the
    gradients found so far; previous/next buttons, the arrow keys and a slider move between
    steps. The page loads nothing from anywhere (no network, no external scripts). Needs ``dot``.
    ``rankdir="BT"`` by default: the output on top, so the backward pass reads downwards.
    Raises ValueError past ``max_steps`` steps: such a page would be too big to be useful.
    """
    steps = backward_steps(root, names=names, module=module, rankdir=rankdir)
    if len(steps) > max_steps:
        raise ValueError(
            f"write_backward_html: {len(steps)} steps > max_steps={max_steps}; "
            "draw a smaller graph or raise max_steps"
        )
    svgs = _svgs([s.picture for s in steps])
    root_name = steps[0].name
    dR = _d(root_name)
    formula = _Graph(root, _param_names(names, module)).formula(root)
    formula = f" = {formula}" if formula else ""
    parts = []
    for k, (step, svg) in enumerate(zip(steps, svgs)):
        done = [f"{dR}/{_d(s.name)} = {_gtext(s.grad)}" for s in steps[: k + 1]]
        so_far = "".join(f"<li>{html.escape(line)}</li>" for line in done)
        parts.append(
            f'<section class="step" id="step-{k + 1}">'
            f'<div class="picture">{svg}</div>'
            f'<div class="text"><p class="sentence">{html.escape(step.sentence)}</p>'
            f'<p>Gradients so far:</p><ol class="sofar">{so_far}</ol></div></section>'
        )
    title = f"The backward pass of {root_name}{formula}, step by step"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_PAGE_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<div class="controls">
<button id="prev" type="button" aria-label="previous step">&#9664; Previous</button>
<button id="next" type="button" aria-label="next step">Next &#9654;</button>
<input id="slider" type="range" min="1" max="{len(steps)}" value="1" aria-label="step">
<span id="counter">Step 1 of {len(steps)}</span>
<span class="hint">keys: &larr; &rarr;, Home, End</span>
</div>
{"".join(parts)}
<script>{_PAGE_SCRIPT}</script>
</body>
</html>
"""
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Command line: python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg --steps steps.html

_FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu", "gelu", "erf")
_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


class ExpressionError(ValueError):
    """An expression the command line does not accept (the message says why, in one line)."""


def parse_expression(text: str, values: Mapping[str, float]) -> Any:
    """Build the graph of ``text`` with Values named by ``values``; only numbers, those names,
    ``+ - * / **``, unary minus and the functions exp, log, tanh, sigmoid, relu, gelu, erf are
    allowed. Nothing is evaluated by Python itself: the syntax tree is walked here.

    >>> x = parse_expression("3*x**2 + 2", {"x": 2.0})
    >>> x.data
    14.0
    >>> parse_expression("__import__('os')", {})
    Traceback (most recent call last):
    ...
    autograd.viz.ExpressionError: unknown function '__import__'; functions: exp, log, tanh, ...
    """
    from autograd.value import Value  # here, not at the top: viz reads graphs by duck typing

    if len(text) > 10_000:
        raise ExpressionError(f"expression too long ({len(text)} characters)")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        where = f" at column {err.offset}" if err.offset else ""
        raise ExpressionError(f"syntax error{where} in {text.strip()!r}: {err.msg}") from None
    except (RecursionError, MemoryError):  # Python's own parser gives up on very deep nesting
        raise ExpressionError("expression nested too deeply") from None
    leaves = {name: Value(float(v), label=name) for name, v in values.items()}

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ExpressionError(f"only numbers are allowed as constants, got {node.value!r}")
            return float(node.value)  # floats, so 9**9**9 cannot run Python's big integers for hours
        if isinstance(node, ast.Name):
            if node.id in leaves:
                return leaves[node.id]
            if node.id in _FUNCTIONS:
                raise ExpressionError(f"{node.id} is a function: write {node.id}(...)")
            raise ExpressionError(f"unknown name {node.id!r}: give it a value with --at {node.id}=NUMBER")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            fname = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            if fname not in _FUNCTIONS:
                raise ExpressionError(f"unknown function {fname!r}; functions: {', '.join(_FUNCTIONS)}")
            if len(node.args) != 1 or node.keywords:
                raise ExpressionError(f"{fname} takes exactly one argument")
            arg = walk(node.args[0])
            if isinstance(arg, Value):
                return getattr(arg, fname)()
            return getattr(Value(arg), fname)().data  # a function of a number is a number
        if isinstance(node, ast.Expression):
            return walk(node.body)
        raise ExpressionError(f"not allowed in an expression: {ast.unparse(node)!r} ({type(node).__name__})")

    try:
        out = walk(tree)
    except RecursionError:
        raise ExpressionError("expression nested too deeply") from None
    except (ZeroDivisionError, OverflowError) as err:
        raise ExpressionError(str(err)) from None
    if not isinstance(out, Value):
        raise ExpressionError("the expression has no variables: name one and give it a value with --at")
    return out


def _assignment(text: str) -> tuple[str, float]:
    name, sep, number = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}")
    try:
        return name, float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: {number.strip()!r} is not a number") from None


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status (0, or 2 for a bad expression, 1 without ``dot``)."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.viz",
        description="Draw the computation graph of an expression, with its gradients.",
        epilog='example: python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg --steps steps.html',
    )
    parser.add_argument("expression", help=f"numbers, variables, + - * / **, {', '.join(_FUNCTIONS)}")
    parser.add_argument(
        "--at",
        metavar="NAME=NUMBER",
        type=_assignment,
        nargs="+",
        action="extend",
        default=[],
        help="values of the variables, e.g. --at x=2 y=-1",
    )
    kinds = ", .".join(FORMATS)
    parser.add_argument("--out", metavar="FILE", help=f"picture to write: .{kinds}, .dot or .gv")
    parser.add_argument("--steps", metavar="FILE.html", help="also write the step-by-step backward page")
    parser.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR")
    parser.add_argument("--no-backward", action="store_true", help="draw before backward (no gradients)")
    args = parser.parse_args(argv)

    def fail(message: str, status: int = 2) -> int:
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        return status

    values = dict(args.at)
    try:
        out = parse_expression(args.expression, values)
    except (ExpressionError, ValueError, ZeroDivisionError) as err:  # log(-1) and friends too
        return fail(str(err).splitlines()[0])
    out.label = "out" if "L" in values else "L"
    if args.out:
        suffix = Path(args.out).suffix.lstrip(".").lower()
        if suffix not in (*FORMATS, "dot", "gv"):
            return fail(f"unknown format {suffix!r} for --out; formats: {', '.join(FORMATS)}, dot, gv")
    try:
        if args.steps:
            write_backward_html(out, args.steps, rankdir=args.rankdir)
        if not args.no_backward:
            out.backward()
        picture = draw_graph(out, rankdir=args.rankdir)
        if args.out:
            save(picture, args.out)
        elif not args.steps:
            print(picture.source)
    except DotNotFoundError as err:
        return fail(str(err), status=1)
    print(f"{out.label} = {_num(out.data)}")
    if not args.no_backward:
        leaves: list[Any] = [n for n in engine.toposort([out]) if getattr(n, "label", "") in values]
        for leaf in sorted(leaves, key=lambda n: n.label):
            print(f"d{out.label}/d{leaf.label} = {_num(leaf.grad)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

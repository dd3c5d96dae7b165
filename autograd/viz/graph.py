"""One reading of the graph below a root: its order, who uses whom, and what to call each node.

Every node gets a role (input, parameter, constant, intermediate, output), a module (from the
parameter names a user gave, ``layers.0.neurons.3``) and a name: its own (a label, a parameter
name), else a short formula of how it was computed (``3·x²``), else ``#i``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from autograd import engine
from autograd.viz.formulas import _ATOM, _NEG, _combine, _Formula, _num, _with_number
from autograd.viz.nodes import _is_array, _is_const, _number_param, _op_name

_EXPR_MAX = 22  # longer expressions are not shown on nodes: past that they obscure more than help

# Ops that only rearrange their one input: a transposed weight still belongs to its layer.
_VIEWS = {"transpose", "T", "reshape", "broadcast", "[]"}

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


def _relative(name: str, context: str) -> str:
    """``name`` inside ``context`` (``neurons.3`` inside ``layers.0``), unless that is a bare index."""
    if context and name.startswith(context + "."):
        rest = name[len(context) + 1 :]
        if not rest.isdigit():
            return rest
    return name


class _Graph:
    """One analysis of the graph below ``root``: order, roles, names, modules, who uses whom.

    ``names`` (name -> node, or pairs) and ``module`` (anything with ``named_parameters()``) name
    the parameters; ``root_name`` is what sentences call an unnamed root.
    """

    def __init__(
        self, root: Any, names: Any = None, module: Any = None, root_name: str | None = None
    ) -> None:
        self.params = _param_names(names, module)
        self.kinds = _module_kinds(module)  # module name -> class name (Linear, Neuron)
        self.root = root
        self.root_name = root_name
        self.order: list[Any] = engine.toposort([root])
        self.index = {node: i for i, node in enumerate(self.order)}
        self.consumers: dict[Any, list[tuple[Any, int]]] = {node: [] for node in self.order}
        for node in self.order:
            for j, parent in enumerate(node._prev):
                self.consumers[parent].append((node, j))
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

    def _expressions(self) -> dict[Any, _Formula | None]:
        """A short formula for each node (``3·x²``), built in order so it never recurses."""
        expr: dict[Any, _Formula | None] = {}
        for node in self.order:
            expr[node] = self._expression(node, expr)
        return expr

    def _expression(self, node: Any, expr: dict[Any, _Formula | None], named: bool = True) -> _Formula | None:
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
        if k is not None:
            return _with_number(_op_name(node), args[0], k)  # type: ignore[arg-type]
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

    def title(self, module: str, context: str) -> str:
        """A module's title inside ``context``: ``neurons.3 (Neuron)``, ``0 (Linear)``."""
        kind = self.kinds.get(module)
        return _relative(module, context) + (f" ({kind})" if kind else "")

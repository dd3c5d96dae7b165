"""Reading a graph for pictures and sentences: numbers and formulas as a person writes them, and
one analysis of the graph below a root (its order, who uses whom, roles, modules, names).

Everything about an operation comes from its `Primitive`: how its result is written (its
``notation`` and ``precedence``), its kind (a view of its input, an activation, a matmul), and
the text of its local derivatives. Nodes are read by duck typing (``_prev``, ``_op``, ``_args``,
``_data``, ``_grad``, ``_requires_grad``, ``label``: a float for a Value, an array for a Tensor,
whose public ``.data`` and ``.grad`` are Tensors), so Values and Tensors are drawn alike. An
unnamed Tensor is called by its op and shape (``matmul (32, 10)``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from autograd import engine
from autograd.ops import ATOM_LEVEL, NEGATION_LEVEL, POWER_LEVEL, PRODUCT_LEVEL, SUM_LEVEL
from autograd.ops import superscript as superscript
from autograd.primitive import OPERANDS, Primitive
from autograd.tensor_grad import sum_to

Formula = tuple[str, int]  # (text, precedence): combining two knows where brackets go
EXPR_MAX = 22  # longer formulas are not shown on nodes: past that they obscure more than help

# --- one node -------------------------------------------------------------------------------------


def check_root(root: Any, who: str) -> None:
    if not isinstance(root, engine.Node):
        raise TypeError(f"{who}: root must be a Value or Tensor graph node, got {type(root).__name__}")


def is_op(prim: Primitive | None, name: str) -> bool:
    """Whether ``prim`` is the primitive named ``name`` (by name: a replaced one reads the same)."""
    return prim is not None and prim.name == name


def is_array(node: Any) -> bool:
    return isinstance(node._data, np.ndarray)


def primitive_of(node: Any) -> Primitive | None:
    """The primitive that made ``node`` (None for a leaf, or a node built by hand)."""
    return getattr(node._op, "primitive", None) if node._op else None


def is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def operands(node: Any) -> tuple[Any, ...]:
    """The operands of the op that made ``node``, in order: nodes and plain numbers."""
    return tuple(getattr(node, "_args", node._prev)) if node._prev else ()


def number_operands(node: Any) -> list[tuple[int, float]]:
    """(position, value) of each plain number among the operands (the 3 in ``3 * x``)."""
    return [(j, float(x)) for j, x in enumerate(operands(node)) if is_number(x)]


def sent_gradients(node: Any, g: Any) -> list[tuple[int, Any, Any]]:
    """What one step of the walk sends back from ``node`` given its gradient ``g``: (operand
    position, operand, gradient) for each operand that takes one, by the op's rules on the numbers
    (as `autograd.engine.walk` runs them), summed back to each operand's shape."""
    op = node._op
    if op.__class__ is str or not op.rules:  # a leaf, or built by hand
        return []
    args = node._args
    numbers = [x._data if isinstance(x, engine.Node) else x for x in args]
    return [
        (
            j,
            x,
            _fit(
                op.rules[j](g, node._data, *(numbers[j : j + 1] if op.variadic else numbers), **node._params),
                x,
            ),
        )
        for j, x in enumerate(args)
        if isinstance(x, engine.Node) and x._requires_grad and op.rules[j] is not None
    ]


def _fit(g: Any, x: Any) -> Any:
    return sum_to(np.asarray(g), x._data.shape) if is_array(x) else g


# --- numbers and formulas -------------------------------------------------------------------------


def fmt_number(x: float) -> str:
    """A number as a person writes it: 3, 0.5, 12, 0.3333, 1.2e-07."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def fmt_fixed(x: Any) -> str:
    """Four decimals, as micrograd's pictures, switching to exponents where those would hide it."""
    x = float(x)
    if math.isfinite(x) and (x == 0 or 1e-3 <= abs(x) < 1e6):
        return f"{x:.4f}"
    return f"{x:.4g}" if not math.isfinite(x) else f"{x:.4e}"


def summary(a: Any, sep: str = "  ") -> str:
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


def paren(f: Formula, level: int) -> str:
    """A formula's text, bracketed unless it binds at least as tightly as ``level``."""
    return f[0] if f[1] >= level else f"({f[0]})"


def power_text(base: Formula, k: float) -> str:
    """``x²``, ``(x + 1)⁻¹``, ``x^0.5``."""
    text = paren(base, ATOM_LEVEL)
    return text + superscript(k) if float(k).is_integer() else f"{text}^{fmt_number(k)}"


def number_formula(k: float) -> Formula:
    return (fmt_number(k), ATOM_LEVEL if k >= 0 else NEGATION_LEVEL)


def _product(node_f: Formula, k: float, reciprocal: bool) -> Formula:
    """k times a formula, as on paper: -x, 2/x, x/3, 3·x²."""
    if k == -1:
        return (f"-{paren(node_f, PRODUCT_LEVEL)}", NEGATION_LEVEL)  # -(2·q) is -2·q
    if reciprocal:  # k · y⁻¹ is k/y
        return (f"{fmt_number(k)}/{node_f[0][: -len('⁻¹')]}", PRODUCT_LEVEL)
    inverse = 1 / k if k != 0 else math.inf
    if len(fmt_number(k)) > 5 and abs(inverse) < 1e15 and abs(inverse - round(inverse)) < 1e-9:  # x/3
        return (f"{paren(node_f, PRODUCT_LEVEL)}/{fmt_number(float(round(1 / k)))}", PRODUCT_LEVEL)
    return (f"{paren(number_formula(k), POWER_LEVEL)}·{paren(node_f, PRODUCT_LEVEL)}", PRODUCT_LEVEL)


def combine(node: Any, args: Sequence[Formula]) -> Formula | None:
    """The formula of ``node`` from its operands' formulas ``args``, in ordinary notation."""
    prim, ops = primitive_of(node), operands(node)
    numbers_at = [j for j, x in enumerate(ops) if is_number(x)]
    if prim is None:  # built by hand: its op string names it
        return (f"{node._op}({', '.join(a[0] for a in args)})", ATOM_LEVEL) if node._op else None
    if is_op(prim, "+") and len(args) == 2:
        a, b = args
        if b[0].startswith("-") and b[1] in (NEGATION_LEVEL, ATOM_LEVEL) and len(b[0]) > 1:
            return (f"{paren(a, SUM_LEVEL)} - {b[0][1:]}", SUM_LEVEL)
        return (f"{paren(a, SUM_LEVEL)} + {paren(b, SUM_LEVEL)}", SUM_LEVEL)
    if is_op(prim, "*") and len(args) == 2:
        if numbers_at:
            j = numbers_at[0]
            other = args[1 - j]
            return _product(other, float(ops[j]), other[0].endswith("⁻¹") and other[1] == POWER_LEVEL)
        a, b = args
        if _power_of(ops[1]) == -1 and not getattr(ops[1], "label", "") and b[0].endswith("⁻¹"):
            return (f"{paren(a, PRODUCT_LEVEL)}/{b[0][: -len('⁻¹')]}", PRODUCT_LEVEL)  # a · b⁻¹ is a/b
        return (f"{paren(a, PRODUCT_LEVEL)}·{paren(b, POWER_LEVEL)}", PRODUCT_LEVEL)
    if is_op(prim, "**") and numbers_at == [1]:
        return (power_text(args[0], float(ops[1])), POWER_LEVEL)
    if prim.variadic:
        return (f"{prim.name}({', '.join(a[0] for a in args)})", ATOM_LEVEL)
    level = prim.precedence
    levels = [min(level + (j > 0), ATOM_LEVEL) for j in range(len(args))]  # infix: the right binds tighter
    text = fill(prim.notation, dict(zip(OPERANDS, args)), levels)
    return None if text is None else (text, level)


# What may stand just left and just right of a placeholder that needs no brackets of its own.
_OPEN = ("(", "|", ",", "if", "where", ">", "<", "=")
_CLOSE = (")", "|", ",", ">", "<", "=")


def fill(template: str, formulas: Mapping[str, Formula], levels: Sequence[int] | int) -> str | None:
    """``template`` (``"exp({a})"``, ``"{a} @ {b}"``) with its placeholders replaced by formulas.
    One set off on both sides by brackets, bars, commas, comparisons or the template's ends
    (``exp({a})``, ``|{a}|``, ``1 if {a} > 0``, ``{b}``) needs no brackets of its own; elsewhere
    it is bracketed unless it binds at least as tightly as its level. None if the template names
    a placeholder it is not given."""
    names = {}
    for j, (key, f) in enumerate(formulas.items()):
        token = "{" + key + "}"
        i = template.find(token)
        left, right = template[:i].rstrip(), template[i + len(token) :].lstrip()
        enclosed = i >= 0 and (not left or left.endswith(_OPEN)) and (not right or right.startswith(_CLOSE))
        level = levels if isinstance(levels, int) else levels[min(j, len(levels) - 1)]
        names[key] = f[0] if enclosed else paren(f, level)
    try:
        return template.format(**names)
    except (KeyError, IndexError):
        return None


def _power_of(x: Any) -> float | None:
    """k when ``x`` is a node ``y ** k`` for a number k."""
    if not hasattr(x, "_prev") or not is_op(primitive_of(x), "**"):
        return None
    ops = operands(x)
    return float(ops[1]) if len(ops) == 2 and is_number(ops[1]) else None


def boxed_numbers(node: Any) -> list[tuple[int, float]]:
    """The plain-number operands a picture draws as boxes of their own when not folded: all but
    a power's exponent, which its op's name always carries (``**2``, as micrograd)."""
    consts = number_operands(node)
    return [] if is_op(primitive_of(node), "**") and [j for j, _ in consts] == [1] else consts


def op_label(node: Any, fold: bool = True) -> str:
    """The op's name as a picture shows it, with a plain-number operand beside it (``* 3``,
    ``+ 2``, ``**2``, ``- 1``, ``neg``) unless ``fold`` is off."""
    prim = primitive_of(node)
    name = prim.name if prim is not None else str(node._op or "?")
    consts = number_operands(node)
    if is_op(prim, "**") and [j for j, _ in consts] == [1]:
        return "**" + fmt_number(consts[0][1])  # always: micrograd names it so
    if not fold or len(consts) != 1:
        return name
    j, k = consts[0]
    if is_op(prim, "+") and k < 0:
        return f"- {fmt_number(-k)}"
    if is_op(prim, "*") and k == -1:
        return "neg"
    return (
        f"{fmt_number(k)} {name}"
        if j == 0 and not (is_op(prim, "+") or is_op(prim, "*"))
        else f"{name} {fmt_number(k)}"
    )


# Ops written as symbols, in words as PyTorch names them (its MulBackward0, MmBackward0, ...).
_WORDS = {"+": "add", "*": "mul", "**": "pow", "@": "matmul", "[]": "index", "[]=": "index_put"}


def op_word(node: Any) -> str:
    """The op that made ``node`` as a word: ``matmul``, ``add``, ``tanh``, ``sum``."""
    prim = primitive_of(node)
    name = prim.name if prim is not None else str(node._op or "op")
    numbers = [k for _, k in number_operands(node)]
    if name == "+" and numbers and numbers[0] < 0:
        return "sub"  # x - 1 is recorded as x + (-1)
    if name == "*" and numbers == [-1.0]:
        return "neg"  # -x is recorded as x · (-1)
    return _WORDS.get(name, name)


def shape_name(node: Any) -> str:
    """An unnamed Tensor by its op and shape: ``matmul (32, 10)``, ``tanh (32, 200)``, a leaf
    ``tensor (32, 30)``; a scalar's shape () is left out (``sum``)."""
    word = op_word(node) if node._prev else "tensor"
    shape = tuple(node._data.shape)
    return f"{word} {shape}" if shape else word


# --- the graph ------------------------------------------------------------------------------------


def _param_names(names: Any, module: Any, who: str) -> dict[Any, str]:
    """node -> dotted parameter name, from ``names`` (name -> node, or pairs) and ``module``."""
    found: dict[Any, str] = {}
    sources: list[tuple[str, Any]] = []
    if module is not None:
        if not callable(getattr(module, "named_parameters", None)):
            raise TypeError(f"{who}: module must have named_parameters(), got {type(module).__name__}")
        sources.append(("module.named_parameters()", module.named_parameters()))
    if names is not None:
        sources.append(("names", names.items() if isinstance(names, Mapping) else names))
    for what, pairs in sources:
        if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
            raise TypeError(f"{who}: {what} must give (name, node) pairs, got {type(pairs).__name__}")
        for pair in pairs:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise TypeError(f"{who}: {what} must give (name, node) pairs, got {pair!r:.60}")
            name, node = pair
            if not isinstance(name, str):
                raise TypeError(f"{who}: {what} must name nodes with str, got {type(name).__name__}")
            if not hasattr(node, "_prev"):
                kind = type(node).__name__
                raise TypeError(f"{who}: {what} names {name!r} a {kind}, not a Value or Tensor")
            found[node] = name
    return found


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


def relative(name: str, context: str) -> str:
    """``name`` inside ``context`` (``neurons.3`` inside ``layers.0``), unless that is a bare index."""
    if context and name.startswith(context + "."):
        rest = name[len(context) + 1 :]
        if not rest.isdigit():
            return rest
    return name


def _is_view(prim: Primitive | None) -> bool:
    """Ops that only rearrange their input: a transposed weight still belongs to its layer."""
    return prim is not None and prim.kind in ("shape", "indexing")


def _is_activation(prim: Primitive | None) -> bool:
    """Ops that turn one node of a module into another of the same module (an activation after a
    neuron's sum). Ops with a number operand (``* 3``, ``**2``) are as likely to be a loss."""
    return prim is not None and prim.arity == 1 and prim.kind in ("elementwise", "normalization")


class GraphView:
    """One analysis of the graph below ``root``: order, roles, names, modules, who uses whom.

    ``names`` (name -> node, or pairs) and ``module`` (anything with ``named_parameters()``) name
    the parameters; ``root_name`` is what sentences call an unnamed root.
    """

    def __init__(
        self,
        root: Any,
        names: Any = None,
        module: Any = None,
        root_name: str | None = None,
        who: str = "draw_graph",
    ) -> None:
        self.params = _param_names(names, module, who)
        named = getattr(module, "named_modules", None)
        self.kinds = {n: type(m).__name__ for n, m in named() if n} if callable(named) else {}
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
        self.expr: dict[Any, Formula | None] = {}
        for node in self.order:  # in order, so building formulas never recurses
            self.expr[node] = self._expression(node)

    def _role(self, node: Any) -> str:
        if node is self.root:
            return "output"
        if node in self.params:
            return "parameter"
        return "input" if not node._prev else "intermediate"

    def _modules(self) -> dict[Any, str]:
        """Each node's module ("" for none): a parameter's own; a computed node's from the
        parameters it uses directly, else shared by all its inputs."""
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
            prim = primitive_of(node)
            direct = [module[p] for p in parents if p in paramish]
            if direct:
                module[node] = _common_prefix(direct)
                if len(parents) == 1 and _is_view(prim):
                    paramish.add(node)
                continue
            # Data enters a layer through a matmul: its leaf inputs do not pull it out.
            matmul = prim is not None and prim.kind == "matmul"
            inner = [p for p in parents if p._prev or not matmul]
            mods = [module[p] for p in inner]
            if not mods or "" in mods or (len(mods) == 1 and not _is_activation(prim) and not matmul):
                module[node] = ""
            else:
                module[node] = _common_prefix(mods)
        return module

    def _expression(self, node: Any, named: bool = True) -> Formula | None:
        own = self.own_name(node) if named else ""
        if node in self.params and named:  # w.1, not layers.0.neurons.2.w.1: formulas stay short
            own = relative(own, self.module[node])
        if own:
            return (own, ATOM_LEVEL)
        if not node._prev:
            return None if is_array(node) else number_formula(float(node._data))
        args: list[Formula] = []
        for x in operands(node):
            f = number_formula(float(x)) if is_number(x) else self.expr.get(x)
            if f is None:
                return None
            args.append(f)
        out = combine(node, args)
        return out if out is not None and len(out[0]) <= EXPR_MAX else None

    def formula(self, node: Any) -> str:
        """How ``node`` was computed (``tanh(a·b + a)``), even when it has a name; "" if too long."""
        e = self._expression(node, named=False) if node._prev else None
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
        """How pictures and sentences call a node: its own name, else its formula, else a Tensor by
        its op and shape (``matmul (32, 10)``), a Value by its number in the graph (``#i``)."""
        own = self.own_name(node)
        if own:
            return own
        e = self.expr.get(node)
        if e:
            return e[0]
        return shape_name(node) if is_array(node) else f"#{self.index[node]}"

    def named(self, node: Any) -> Formula:
        """`name` as a formula: a given name binds tightest, ``3·x²`` as a product."""
        e = self.expr.get(node)
        return (self.name(node), ATOM_LEVEL if self.own_name(node) or e is None else e[1])

    def title(self, module: str, context: str) -> str:
        """A module's title inside ``context``: ``neurons.3 (Neuron)``, ``0 (Linear)``."""
        kind = self.kinds.get(module)
        return relative(module, context) + (f" ({kind})" if kind else "")

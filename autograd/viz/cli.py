"""The command line: ``python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg --steps steps.html``.

`parse_expression` builds the graph of an expression without evaluating any Python; `main` draws
it, optionally writes the step page, and prints the value and the gradients.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from autograd import engine
from autograd.primitive import functions
from autograd.viz.draw import draw_graph
from autograd.viz.graph import fmt_number
from autograd.viz.page import write_backward_html
from autograd.viz.render import FORMATS, DotNotFoundError, save

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
    ``+ - * / **``, unary minus and the unary functions of `autograd.functions` (exp, tanh, ...) are
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
    known = functions()  # the unary functions the primitives define (and composites: gelu)

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ExpressionError(f"only numbers are allowed as constants, got {node.value!r}")
            return float(node.value)  # floats, so 9**9**9 cannot run Python's big integers for hours
        if isinstance(node, ast.Name):
            if node.id in leaves:
                return leaves[node.id]
            if node.id in known:
                raise ExpressionError(f"{node.id} is a function: write {node.id}(...)")
            raise ExpressionError(f"unknown name {node.id!r}: give it a value with --at {node.id}=NUMBER")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            fname = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            if fname not in known:
                raise ExpressionError(f"unknown function {fname!r}; functions: {', '.join(known)}")
            if len(node.args) != 1 or node.keywords:
                raise ExpressionError(f"{fname} takes exactly one argument")
            arg = walk(node.args[0])
            if isinstance(arg, Value):
                return known[fname](arg)
            return known[fname](Value(arg)).data  # a function of a number is a number
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
    parser.add_argument("expression", help=f"numbers, variables, + - * / **, {', '.join(functions())}")
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
    if out._prev:  # a bare variable keeps its own name (a number is drawn as itself)
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
    print(f"{out.label} = {fmt_number(out.data)}")
    if not args.no_backward:
        leaves: list[Any] = [n for n in engine.toposort([out]) if getattr(n, "label", "") in values]
        for leaf in sorted(leaves, key=lambda n: n.label):
            print(f"d{out.label}/d{leaf.label} = {fmt_number(leaf.grad)}")
    return 0

"""The command line: ``python -m autograd.viz "3*x**2 + 2" --at x=2 --out graph.svg --steps steps.html``.

`parse_expression` builds the graph of an expression without evaluating any Python; `main` draws
it, optionally writes the step page, and prints the value and the gradients.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

import graphviz

from autograd import engine
from autograd.primitive import functions
from autograd.viz.draw import draw_graph
from autograd.viz.graph import fmt_number
from autograd.viz.page import write_backward_html
from autograd.viz.render import FORMATS, DotNotFoundError, output_path, save

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


MAX_PAGE_NODES = 100
"""The most nodes ``--steps`` steps through (each value is two steps, forward and backward)."""
DOT_SECONDS = 5.0
"""How long ``dot`` may take for all the pictures of one command: its time grows much faster than
the graph (a page for a chain of 60 products of x took two minutes). Past it: a one-line error."""


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
    except (UnicodeError, ValueError):  # a lone surrogate (undecodable bytes in argv), a NUL
        raise ExpressionError(f"not valid text: {text.strip()!r}") from None
    except (RecursionError, MemoryError):  # Python's own parser gives up on very deep nesting
        raise ExpressionError("expression nested too deeply") from None
    _check_names_as_written(text.strip(), tree)
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
            left, right = walk(node.left), walk(node.right)
            if not isinstance(left, Value) and not isinstance(right, Value):
                # Two numbers: combined as a Value and a number are, so 10**400 is inf (not
                # Python's OverflowError) and 1/0 is the engine's division error, as x/0 is.
                return _BINARY[type(node.op)](Value(left), right).data
            return _BINARY[type(node.op)](left, right)
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
            try:
                if isinstance(arg, Value):
                    return known[fname](arg)
                return known[fname](Value(arg)).data  # a function of a number is a number
            except TypeError as err:  # a function defined for Tensors only
                raise ExpressionError(str(err).splitlines()[0]) from None
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


def _check_names_as_written(source: str, tree: ast.AST) -> None:
    """Python reads the name "ℌ" as "H" (identifiers are NFKC-normalised): refuse such a name,
    saying so, instead of reporting the confusing "unknown name 'H'" later."""
    if source.isascii():  # NFKC leaves ASCII alone
        return
    lines = source.encode("utf-8").splitlines(keepends=True)  # the parser's lines, in its byte offsets
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.end_col_offset is not None:
            written = lines[node.lineno - 1][node.col_offset : node.end_col_offset].decode("utf-8", "replace")
            if written != node.id:
                raise ExpressionError(_renamed(written, node.id))


def _renamed(written: str, read: str) -> str:
    def short(name: str) -> str:  # a 3,000-character name once made a 6,000-character line
        return repr(name if len(name) <= 40 else name[:39] + "…")

    return (
        f"the name {short(written)} is read by Python as {short(read)} (Unicode NFKC normalisation "
        f"of identifiers); write {short(read)}, or a name that normalisation leaves alone"
    )


def _assignment(text: str) -> tuple[str, float]:
    name, sep, number = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}")
    read = unicodedata.normalize("NFKC", name)
    if read != name:  # the expression's "ℌ" is the name "H": this one could never be used
        raise argparse.ArgumentTypeError(_renamed(name, read))
    try:
        return name, float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: {number.strip()!r} is not a number") from None


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (``--help`` shows the usage)."""

    def error(self, message: str) -> NoReturn:
        if "required: expression" in message:  # "-x" was read as an option
            message += " (one that starts with '-' goes after '--': --at x=2 -- -x**2)"
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status: 0, 1 without ``dot``, or 2 with a one-line error
    (a bad expression or output path, or pictures that ``dot`` takes too long to draw)."""
    parser = _Parser(
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

    try:  # before any work: a bad path is reported at once, and nothing is half written
        paths = {
            flag: output_path(path, flag)
            for flag, path in (("--out", args.out), ("--steps", args.steps))
            if path is not None
        }
    except (ValueError, OSError) as err:
        return fail(_reason(err))
    if "--out" in paths:
        suffix = paths["--out"].suffix.lstrip(".").lower()
        if suffix not in (*FORMATS, "dot", "gv"):
            return fail(f"unknown format {suffix!r} for --out; formats: {', '.join(FORMATS)}, dot, gv")
    values = dict(args.at)
    try:
        out = parse_expression(args.expression, values)
    except (ExpressionError, ValueError, ZeroDivisionError) as err:  # log(-1) and friends too
        return fail(str(err).splitlines()[0])
    if out._prev:  # a bare variable keeps its own name (a number is drawn as itself)
        out.label = "out" if "L" in values else "L"
    nodes = engine.toposort([out])
    if "--steps" in paths and len(nodes) > MAX_PAGE_NODES:
        return fail(
            f"--steps: the expression has {len(nodes)} nodes; the command line makes a step page of at "
            f"most {MAX_PAGE_NODES}"
        )
    deadline = time.monotonic() + DOT_SECONDS  # dot's time grows much faster than the graph

    def seconds_left() -> float:
        return max(deadline - time.monotonic(), 0.1)

    doing = "--steps"
    try:
        if "--steps" in paths:
            write_backward_html(out, paths["--steps"], rankdir=args.rankdir, timeout=seconds_left())
        if not args.no_backward:
            out.backward()
        picture = draw_graph(out, rankdir=args.rankdir)
        doing = "--out"
        if "--out" in paths:
            save(picture, paths["--out"], timeout=seconds_left())
        elif "--steps" not in paths:
            print(picture.source)
    except DotNotFoundError as err:
        return fail(str(err), status=1)
    except TimeoutError:
        return fail(
            f"{doing}: Graphviz's dot took over {DOT_SECONDS:g} s to draw it; try a smaller expression"
        )
    except OSError as err:  # the folder went away, permissions, a full disk
        return fail(_reason(err))
    except graphviz.CalledProcessError as err:  # dot itself failed: its last words, on one line
        return fail(f"dot failed: {_reason(err)}")
    except OverflowError as err:  # writing a formula with a number like 1e-320 (graph._product)
        return fail(f"cannot draw the graph: {_reason(err)}")
    print(f"{out.label} = {fmt_number(out.data)}")
    if not args.no_backward:
        leaves: list[Any] = [n for n in nodes if getattr(n, "label", "") in values]
        for leaf in sorted(leaves, key=lambda n: n.label):
            print(f"d{out.label}/d{leaf.label} = {fmt_number(leaf.grad)}")
    return 0


def _reason(err: Exception) -> str:
    """An error as one line: an OSError's own words without its ``[Errno 2]``."""
    text = (err.strerror if isinstance(err, OSError) and err.strerror else None) or str(err)
    return " ".join(text.split())

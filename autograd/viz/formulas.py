"""Numbers, arrays and formulas written as a person writes them: ``3``, ``12.0000``, ``3·x²``, ``x/y``.

A formula is a pair (text, precedence), so that combining two of them knows where brackets go.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.viz.nodes import _exponent_in_name, _is_array, _is_const, _number_param, _op_name, _pow_exponent

_Formula = tuple[str, int]  # (text, precedence)
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5  # precedence of the expression forms
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _num(x: float) -> str:
    """A number as a person writes it: 3, 0.5, 12, 0.3333, 1.2e-07."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


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


def _paren(arg: _Formula, prec: int) -> str:
    return arg[0] if arg[1] >= prec else f"({arg[0]})"


def _power_text(base: _Formula, k: float) -> str:
    text = _paren(base, _ATOM)
    if k.is_integer():
        return text + _num(k).translate(_SUPERSCRIPT)
    return f"{text}^{_num(k)}"


def _with_number(op: str, arg: _Formula, k: float) -> _Formula:
    """A Tensor op that keeps its number aside (``t * 3``), written like Value's constant node."""
    if op == "**":
        return (_power_text(arg, k), _POW)
    if op == "*":
        return (f"-{_paren(arg, _POW)}" if k == -1 else f"{_num(k)}·{_paren(arg, _MUL)}", _MUL)
    return (f"{_paren(arg, _ADD)} {'-' if k < 0 else '+'} {_num(abs(k))}", _ADD)


def _combine(op: str, parents: Sequence[Any], args: Sequence[_Formula]) -> _Formula | None:
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
        k = _exponent_in_name(op)
        return None if k is None else (_power_text(args[0], k), _POW)
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


def _op_label(node: Any, fold: bool) -> str:
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

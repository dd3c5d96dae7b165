"""Reading one graph node by duck typing.

Only the engine's node protocol (``_prev``, ``_vjp``) plus ``data``, ``grad``, ``label`` and
``_op.name`` are used, so Value and Tensor nodes (and anything shaped like them) are drawn alike.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np


def _check_root(root: Any, who: str) -> None:
    if not (hasattr(root, "_prev") and hasattr(root, "data") and hasattr(root, "_vjp")):
        raise TypeError(f"{who}: root must be a Value or Tensor graph node, got {type(root).__name__}")


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


def _exponent_in_name(op: str) -> float | None:
    """The number in a power op's name: ``**2`` -> 2.0 (Value names ``x ** k`` that way)."""
    if not op.startswith("**") or len(op) == 2:
        return None
    try:
        return float(op[2:])
    except ValueError:
        return None


def _pow_exponent(node: Any) -> float | None:
    """``k`` when ``node`` is ``x ** k`` for a number ``k`` (a Value's ``**2``, a Tensor's ``**``)."""
    name = _op_name(node)
    return _number_param(node) if name == "**" else _exponent_in_name(name)

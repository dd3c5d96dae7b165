"""Anomaly detection: what `autograd.detect_anomaly` checks, and how it names the culprit.

Forward: a new node whose value is NaN or infinite while its inputs are finite. Backward: a step
that sends a NaN or infinite gradient to an input although its own gradient, its value and its
inputs are finite (``sqrt`` at 0 times 0, ``log(0)`` in a loss, an ``exp`` that overflows). The
error names the op, the node's label, its input values and the line of user code that made the
node (recorded when it was made, while detection is on).
"""

from __future__ import annotations

import math
import os
import sys
from typing import Any

import numpy as np

from autograd.modes import Modes

__all__ = ["AnomalyError", "check_new_node", "check_step", "gradients_before"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


class AnomalyError(FloatingPointError):
    """An op made a NaN or an infinity from finite numbers (raised under `detect_anomaly`)."""


def _finite(x: Any) -> bool:
    if x is None:
        return True
    data = getattr(x, "data", x)
    if isinstance(data, float | int):
        return math.isfinite(data)
    return bool(np.isfinite(np.asarray(data)).all())


def _short(x: Any) -> str:
    data = getattr(x, "data", x)
    if isinstance(data, np.ndarray) and data.size > 4:
        return f"array of shape {data.shape}"
    return repr(data if not isinstance(data, np.ndarray) else data.tolist())


def _user_line() -> str:
    """The first frame outside this package: the line of user code that made the node."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return "an unknown place"
    import linecache

    code = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" + (f": {code}" if code else "")


def _describe(node: Any) -> str:
    label = getattr(node, "label", "")
    inputs = ", ".join(_short(x) for x in getattr(node, "_args", ()))
    where = Modes.here().sites.get(node, "an unknown place (made before detect_anomaly)")
    return f"{'node ' + repr(label) + ', ' if label else ''}inputs ({inputs}), made at {where}"


def check_new_node(node: Any) -> None:
    """Record where ``node`` was made, and raise if its value is NaN/inf from finite inputs."""
    Modes.here().sites[node] = _user_line()
    if not _finite(node.data) and all(_finite(x) for x in getattr(node, "_args", ())):
        raise AnomalyError(f"forward: {node._op} gave {_short(node)} from finite numbers; {_describe(node)}")


def gradients_before(node: Any) -> list[Any]:
    """The ``.grad`` of ``node``'s inputs before its step (to tell what the step did)."""
    return [getattr(p, "grad", None) for p in node._prev]


def check_step(node: Any, before: list[Any]) -> None:
    """Raise if ``node``'s step sent a NaN/inf gradient from finite numbers."""
    if not (_finite(node.grad) and _finite(node.data) and all(_finite(x) for x in node._args)):
        return  # not born here: it came from upstream, or from non-finite data
    for j, (p, old) in enumerate(zip(node._prev, before)):
        if _finite(old) and not _finite(p.grad):
            which = "its input" if len(node._prev) == 1 else f"its input {j}"
            bad = _short(getattr(p, "grad", None))
            raise AnomalyError(
                f"backward: the gradient that {node._op} sends to {which} became {bad} from finite numbers; "
                f"{_describe(node)}"
            )

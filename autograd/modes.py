"""Modes, kept per thread as PyTorch keeps them: grad mode (whether new operations record the
graph: `no_grad`, `enable_grad`) and anomaly detection (`detect_anomaly`).

Making a node must stay cheap, so it reads one class attribute, ``Modes.special``: the number of
threads that have grad mode off or anomaly detection on right now. While it is 0, as nearly always,
nothing else is looked at; otherwise the node asks `Modes.recording` and `Modes.anomaly` what this
thread wants. A thread that ends with a mode still set (it died inside ``no_grad``) gives its count
back when its state is freed.

>>> from autograd import Value, no_grad
>>> x = Value(2.0)
>>> with no_grad():
...     y = x * 3
>>> y._prev
()
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

__all__ = ["Modes", "detect_anomaly", "enable_grad", "is_grad_enabled", "no_grad"]


class _State:
    """One thread's modes. Freed with its thread: then it takes back its share of the count."""

    def __init__(self) -> None:
        self.enabled = True  # grad mode
        self.anomaly = False
        self.rules = False  # the engine is running rules on graph nodes (create_graph)
        self.forward = 0  # jvps running (autograd.forward): new nodes carry tangents
        self.paused = False  # ... but not the nodes a jvp rule makes while it runs
        self.changed: list[Any] = []  # Tensors changed in place during a jvp (their tangents go after)
        self.reverse = 0  # vjps running their function (autograd.func): a jvp inside keeps its graph
        self.saved: list[tuple[bool, bool, bool]] = []
        self.sites: dict[Any, str] = {}  # node -> the user's line that made it (anomaly mode)

    @property
    def special(self) -> int:
        return int(not self.enabled) + int(self.anomaly) + int(self.forward > 0)

    def __del__(self) -> None:
        if self.special:
            Modes.count(-self.special)


class _Local(threading.local):
    def __init__(self) -> None:
        self.state = _State()


class Modes:
    """The modes of every thread (see the module docstring)."""

    special = 0
    _local = _Local()
    _lock = threading.Lock()

    @classmethod
    def here(cls) -> _State:
        return cls._local.state

    @classmethod
    def recording(cls) -> bool:
        return cls._local.state.enabled

    @classmethod
    def anomaly(cls) -> bool:
        return cls._local.state.anomaly

    @classmethod
    def tangents(cls) -> bool:
        """Whether new nodes in this thread carry tangents (forward mode: `autograd.func.jvp`)."""
        state = cls._local.state
        return state.forward > 0 and not state.paused

    @classmethod
    def add_forward(cls, change: int) -> None:
        """Enter (+1) or leave (-1) a level of forward mode in this thread."""
        state = cls._local.state
        before = state.special
        state.forward += change
        if state.special != before:
            cls.count(state.special - before)

    @classmethod
    def count(cls, change: int) -> None:
        with cls._lock:
            cls.special += change

    @classmethod
    def set(
        cls, enabled: bool | None = None, anomaly: bool | None = None, rules: bool | None = None
    ) -> tuple[bool, bool, bool]:
        """Set this thread's modes (None leaves one as it is); returns the previous ones."""
        state = cls._local.state
        previous = (state.enabled, state.anomaly, state.rules)
        before = state.special
        if enabled is not None:
            state.enabled = enabled
        if anomaly is not None:
            state.anomaly = anomaly
        if rules is not None:
            state.rules = rules
        if state.special != before:  # grad off or anomaly on: this thread is special
            cls.count(state.special - before)
        if not state.anomaly:
            state.sites.clear()  # the sites are only kept while anomaly detection is on
        return previous


def is_grad_enabled() -> bool:
    """True when operations in this thread record the graph (the default)."""
    return Modes.recording()


class _SetModes(contextlib.ContextDecorator):
    enabled: bool | None = None
    anomaly: bool | None = None

    def __enter__(self) -> None:
        Modes.here().saved.append(Modes.set(self.enabled, self.anomaly))

    def __exit__(self, *exc: object) -> None:
        Modes.set(*Modes.here().saved.pop())


class no_grad(_SetModes):  # noqa: N801 - named like torch.no_grad
    """Context manager and decorator: operations inside record no graph (in this thread only).
    A Value made under it is a leaf; ``backward()`` from it is an error (it has no graph)."""

    enabled = False


class enable_grad(_SetModes):  # noqa: N801 - named like torch.enable_grad
    """Context manager and decorator: record the graph again, even inside ``no_grad``."""

    enabled = True


class detect_anomaly(_SetModes):  # noqa: N801 - named like torch.autograd.detect_anomaly
    """Context manager and decorator: raise `AnomalyError` at the first op whose result, or
    whose gradient in ``backward()``, becomes NaN or infinite from finite numbers, naming the op,
    the node's label, its input values and the line of your code that made it. Costs nothing when
    off; when on, every node records where it was made (slow: for finding a bug, not training).

    >>> from autograd import Value, detect_anomaly
    >>> x = Value(0.0, label="x")
    >>> with detect_anomaly():
    ...     y = x.sqrt() * 0
    ...     y.backward()
    Traceback (most recent call last):
    ...
    autograd.anomaly.AnomalyError: backward: the gradient that sqrt sends to its input became nan...
    """

    anomaly = True

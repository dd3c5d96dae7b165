"""Shared by the lecture tests: each program's RESULTS under both backends (run once per
session), and the comparisons, which list every difference from PyTorch at once."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from harness import PROGRAMS, run_lecture

RTOL = 1e-4
LETTERS = set("abcdefghijklmnopqrstuvwxyz.")


@functools.cache
def torch_results(name: str) -> dict[str, Any]:
    """Each program runs once under PyTorch per test session; every test reads the same results."""
    pytest.importorskip("torch")
    return run_lecture(PROGRAMS[name], "torch")


def scratchgrad_results(name: str) -> dict[str, Any]:
    return run_lecture(PROGRAMS[name], "scratchgrad")


# --- checks -----------------------------------------------------------------------------------------


def is_name(s: Any) -> bool:
    return isinstance(s, str) and s.endswith(".") and len(s) >= 1 and set(s) <= LETTERS and "." not in s[:-1]


def mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def falls(losses: Sequence[float], window: int = 10) -> bool:
    """The mean of the last ``window`` losses is below the mean of the first ``window``."""
    window = max(1, min(window, len(losses) // 2))
    return mean(losses[-window:]) < mean(losses[:window])


class Diff:
    """Collects every difference between scratchgrad's results and PyTorch's, then fails once."""

    def __init__(self, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
        self.ours, self.theirs, self.problems = ours, theirs, []

    def _get(self, key: str) -> tuple[Any, Any] | None:
        if key not in self.ours:
            self.problems.append(f"{key}: missing from scratchgrad's RESULTS")
            return None
        return self.ours[key], self.theirs[key]

    def equal(self, key: str) -> None:
        pair = self._get(key)
        if pair is not None and pair[0] != pair[1]:
            self.problems.append(f"{key}: {_short(pair[0])} != torch's {_short(pair[1])}")

    def dtype(self, key: str) -> None:
        """A dtype's str: "torch.int32" under PyTorch; scratchgrad may name its module differently."""
        pair = self._get(key)
        if pair is not None and _dtype_names(pair[0]) != _dtype_names(pair[1]):
            self.problems.append(f"{key}: dtype {pair[0]!r}, torch's {pair[1]!r}")

    def close(
        self, key: str, rtol: float = RTOL, atol: float = 0.0, start: int = 0, stop: int | None = None
    ) -> None:
        pair = self._get(key)
        if pair is None:
            return
        ours, theirs = _flat(pair[0]), _flat(pair[1])
        if len(ours) != len(theirs):
            self.problems.append(f"{key}: {len(ours)} numbers, torch has {len(theirs)}")
            return
        for i in range(start, len(theirs) if stop is None else min(stop, len(theirs))):
            a, b = ours[i], theirs[i]
            if not (isinstance(a, (int, float)) and math.isclose(a, b, rel_tol=rtol, abs_tol=atol)):
                where = f"[{i}]" if len(theirs) > 1 else ""
                self.problems.append(f"{key}{where}: {a!r} vs torch's {b!r} (rtol {rtol}, atol {atol})")
                return

    def names(self, key: str, at_least: float = 0.8) -> None:
        """Sampled names: all names, and most of them (a fraction ``at_least``) torch's own."""
        pair = self._get(key)
        if pair is None:
            return
        ours, theirs = pair
        if not (isinstance(ours, list) and len(ours) == len(theirs) and all(is_name(s) for s in ours)):
            self.problems.append(f"{key}: {_short(ours)} are not {len(theirs)} names")
            return
        same = sum(a == b for a, b in zip(ours, theirs))
        if same < at_least * len(theirs):
            self.problems.append(f"{key}: only {same} of {len(theirs)} names are torch's: {ours} vs {theirs}")

    def check(self, what: str, ok: bool) -> None:
        if not ok:
            self.problems.append(what)

    def done(self) -> None:
        assert not self.problems, f"{len(self.problems)} differences from PyTorch:\n  " + "\n  ".join(
            self.problems
        )


def _dtype_names(x: Any) -> Any:
    if isinstance(x, list):
        return [_dtype_names(y) for y in x]
    return x.rsplit(".", 1)[-1] if isinstance(x, str) else x


def _flat(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flat(item)]
    if isinstance(x, dict):
        return [y for item in x.values() for y in _flat(item)]
    return [x]


def _short(x: Any) -> str:
    text = repr(x)
    return text if len(text) < 200 else text[:200] + "..."


def compare(name: str, body: Callable[[Diff], None]) -> None:
    ours = scratchgrad_results(name)  # first: fails fast while scratchgrad does not exist
    diff = Diff(ours, torch_results(name))
    body(diff)
    diff.done()

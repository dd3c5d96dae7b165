"""The scratchgrad tests share a ``torch`` fixture (PyTorch, the reference, or a skip) and keep
the default generators' states around each test; ``sg_helpers.py`` beside this file (put on the
import path here) holds the comparisons."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import scratchgrad as sg

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)


@pytest.fixture
def torch() -> Any:
    """PyTorch, where it is installed: only the tests that compare with it skip without it."""
    return pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _keep_rng_states() -> Iterator[None]:
    """Tests seed the default generators: the next test finds them as they were."""
    state = sg.get_rng_state()
    try:
        import torch as real_torch
    except ImportError:  # pragma: no cover
        real_torch = None
    saved = real_torch.get_rng_state() if real_torch is not None else None
    yield
    sg.set_rng_state(state)
    if real_torch is not None:
        real_torch.set_rng_state(saved)

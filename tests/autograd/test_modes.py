"""Grad mode and anomaly detection per thread, and what a thread leaves behind."""

from __future__ import annotations

import gc
import threading

from autograd import Value, no_grad
from autograd.modes import Modes


def test_a_thread_that_dies_inside_no_grad_gives_its_mode_back() -> None:
    """A thread that ends with no_grad still on (it never left the block) must not leave the
    count of special threads raised: every op would take the slow path for good."""
    assert Modes.special == 0

    def abandoned() -> None:
        no_grad().__enter__()  # and never __exit__
        assert Value(1.0) * 2 is not None

    thread = threading.Thread(target=abandoned)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    assert Modes.special == 0
    y = Value(1.0) * 2
    assert y._prev  # this thread records as ever


def test_grad_mode_is_per_thread() -> None:
    seen: dict[str, bool] = {}
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with no_grad():
            inside.set()
            leave.wait(5)
            seen["other"] = bool((Value(1.0) * 2)._prev)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    seen["main"] = bool((Value(1.0) * 2)._prev)
    leave.set()
    thread.join()
    assert seen == {"main": True, "other": False}

"""Grad mode under PyTorch's names: no_grad, enable_grad, set_grad_enabled, inference_mode."""

from __future__ import annotations

import pytest

import scratchgrad as sg


def test_grad_mode() -> None:
    x = sg.ones(2, requires_grad=True)

    @sg.no_grad()
    def doubled(t: sg.Tensor) -> sg.Tensor:
        return t * 2

    assert not doubled(x).requires_grad and (x * 2).requires_grad
    with sg.no_grad():
        assert not sg.is_grad_enabled()
        with sg.enable_grad():
            assert (x * 2).requires_grad
    with sg.inference_mode():
        assert not (x * 2).requires_grad
    with sg.set_grad_enabled(False):
        assert not sg.is_grad_enabled()
    assert sg.is_grad_enabled()
    sg.set_grad_enabled(False)
    try:
        assert not (x * 2).requires_grad
    finally:
        sg.set_grad_enabled(True)
    with pytest.raises(TypeError, match="bool"):
        sg.set_grad_enabled("no")  # type: ignore[arg-type]

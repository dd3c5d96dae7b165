"""The backward pass step by step (autograd/viz/steps.py): one chain-rule sentence per gradient,
with numbers, in the order gradients become final, computed afresh (no ``.grad`` changes), and a
picture per step marking what is done, current and pending."""

from __future__ import annotations

import math

import pytest
from viz_helpers import SLOTS, needs_dot, neuron, node_lines, quadratic

from autograd import Value, engine
from autograd.viz import STEP_COLOURS, backward_page, backward_steps


def test_backward_steps_for_the_quadratic() -> None:
    x, L = quadratic()
    steps = backward_steps(L)
    assert [s.sentence for s in steps] == [
        "dL/dL = 1: the backward pass starts at the output L; dL/dL is always 1.",
        "dL/d(3·x²) = 1: 3·x² feeds L, whose local derivative ∂L/∂(3·x²) = 1 (a sum passes the gradient "
        "on unchanged); by the chain rule dL/d(3·x²) = dL/dL · ∂L/∂(3·x²) = 1 · 1 = 1.",
        "dL/d(x²) = 3: x² feeds 3·x², whose local derivative ∂(3·x²)/∂(x²) = 3; by the chain rule "
        "dL/d(x²) = dL/d(3·x²) · ∂(3·x²)/∂(x²) = 1 · 3 = 3.",
        "dL/dx = 12: x feeds x², whose local derivative ∂(x²)/∂x = 2x = 4; by the chain rule "
        "dL/dx = dL/d(x²) · ∂(x²)/∂x = 3 · 4 = 12.",
    ]
    assert [s.grad for s in steps] == [1.0, 1.0, 3.0, 12.0]
    assert steps[-1].node is x and steps[0].node is L
    # The engine's order: reversed topological order, constants left out.
    assert [s.node for s in steps] == list(reversed(engine.toposort([L])))


def test_backward_steps_change_no_grad() -> None:
    x, L = quadratic()
    backward_steps(L)
    assert x.grad == 0.0 and L.grad == 0.0
    L.backward()
    steps = backward_steps(L)
    assert x.grad == 12.0 and L.grad == 1.0  # not accumulated a second time
    assert steps[-1].grad == 12.0


@pytest.mark.parametrize(
    "build",
    [
        lambda a, b: (a + a) * (a + a),  # reuse: d/da 4a² = 8a
        lambda a, b: (a * b + a).tanh(),
        lambda a, b: (a / b - b**3).exp() + a.sigmoid() * b.relu(),
        lambda a, b: (a**b).log() + 2**a - a.gelu(),
    ],
)
def test_backward_steps_agree_with_backward(build) -> None:  # type: ignore[no-untyped-def]
    a, b = Value(0.7, label="a"), Value(1.3, label="b")
    out = build(a, b)
    steps = backward_steps(out)
    out.backward()
    for step in steps:
        assert math.isclose(step.grad, step.node.grad, rel_tol=1e-12, abs_tol=1e-15)
        assert step.sentence.startswith("d")
        number = step.sentence.split(": ")[0].rsplit(" = ", 1)[1]
        assert math.isclose(float(number), step.grad, rel_tol=1e-3, abs_tol=1e-9)  # four digits


def test_a_reused_node_adds_what_it_receives() -> None:
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    step = backward_steps(c)[-1]
    assert step.node is a and step.grad == 4.0
    assert "a is used 2 times" in step.sentence and "= 2 + 2 = 4." in step.sentence


def test_step_pictures_mark_done_current_and_pending() -> None:
    x, L = quadratic()
    steps = backward_steps(L)
    src = steps[2].picture.source  # the step for x²
    lines = node_lines(src, "v")
    current = [ln for ln in lines if "penwidth=3" in ln]
    assert len(current) == 1 and "x²" in current[0] and STEP_COLOURS["current"] in current[0]
    assert "grad 3 " in current[0] and "data 4 " in current[0]  # as the sentences write numbers
    done = [ln for ln in lines if STEP_COLOURS["done"] in ln]
    assert len(done) == 2 and all("grad 1 " in ln for ln in done)
    pending = [ln for ln in lines if STEP_COLOURS["pending"] in ln]
    assert len(pending) == 1 and "{ x |" in pending[0] and "grad ?" in pending[0]
    assert "#e03131" in src  # the edge the gradient came through
    assert "step 3 of 4" in src


@needs_dot
@pytest.mark.parametrize("label", SLOTS)
def test_a_label_that_looks_like_a_slot_reads_as_itself(label: str) -> None:
    from autograd.viz import backward_steps

    L = neuron(label_x=label)
    sentences = [s.sentence for s in backward_steps(L)]
    assert any(f"d({label})" in s or f"d{label}" in s for s in sentences)
    page = backward_page(L, names={f"{label}.w": Value(1.0)})
    assert page.steps == 9
